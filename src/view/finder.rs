//! The policy finder's pages: `policies/` (and its further pages) as a table of documents,
//! newest first, with the facets beside it as plain links, complete without JavaScript.
//! `templates/static/finder.js` then filters and sorts the same table in the browser from the
//! search index (docs/search.md, "The policy finder").

use std::sync::Arc;

use serde::Serialize;

use super::listing::{pager, Facet, Pager, PER_PAGE};
use super::{Index, Link, Select, Slot};
use crate::model::*;
use crate::urls::href;

/// How many issuers the finder lists before 更多…: the rest are one click (or one link) away.
const TOP_ISSUERS: usize = 12;

/// One policy as a row of the finder's table.
#[derive(Debug, Serialize, Hash)]
pub struct PolicyRow {
    pub title: String,
    pub url: String,
    pub issuers: Vec<Link>,
    pub doc_number: Option<String>,
    pub level: &'static str,
    pub region: Option<Link>,
    pub date: String,
    pub date_zh: String,
}

/// A facet of the finder: its URL parameter (the one finder.js and the search page read), the
/// terms shown and whether more exist than are shown (then `url` lists them all).
#[derive(Debug, Serialize, Hash)]
pub struct FinderFacet {
    pub name: String,
    pub param: &'static str,
    pub url: String,
    pub terms: Vec<super::Term>,
    pub more: bool,
}

#[derive(Debug, Serialize, Hash)]
struct FinderView {
    title: String,
    total_items: usize,
    rows: Vec<Arc<PolicyRow>>,
    pager: Pager,
    facets: Vec<FinderFacet>,
}

pub fn row(ix: &Index, p: &Policy) -> Arc<PolicyRow> {
    let m = &p.meta;
    Arc::new(PolicyRow {
        title: m.title.clone(),
        url: super::item_url(Kind::Policy, &p.slug),
        issuers: m.issuers.iter().map(|i| ix.issuer_link(i)).collect(),
        doc_number: m.doc_number.clone(),
        level: m.level.zh(),
        region: m.region.as_ref().map(|r| Link {
            name: r.clone(),
            url: href(&format!("policies/region/{}/", ix.regions.get(r))),
        }),
        date: m.date.to_string(),
        date_zh: m.date.zh(),
    })
}

/// `policies/`, `policies/page/2/`, …: `rows` in the site's order (newest first); the facets
/// (level, region, issuer, year, in that order) on the first page only.
pub fn pages(sel: &Select, rows: Vec<Arc<PolicyRow>>, facets: Vec<Facet>) -> Vec<Slot> {
    let params = ["level", "region", "issuer", "year"];
    let facets: Vec<FinderFacet> = facets
        .into_iter()
        .zip(params)
        .map(|(f, param)| {
            let mut terms = f.terms;
            let more = param == "issuer" && terms.len() > TOP_ISSUERS;
            if param == "issuer" {
                // By count: the issuers a reader most likely wants come first.
                // Stable: ties keep the facet's order (the vocabulary's: kind of body, then file).
                terms.sort_by_key(|t| std::cmp::Reverse(t.count));
                terms.truncate(TOP_ISSUERS);
            }
            FinderFacet {
                name: f.name,
                param,
                url: f.url,
                terms,
                more,
            }
        })
        .collect();
    let total_items = rows.len();
    let total = total_items.div_ceil(PER_PAGE).max(1);
    let mut chunks: Vec<Vec<Arc<PolicyRow>>> = rows.chunks(PER_PAGE).map(<[_]>::to_vec).collect();
    if chunks.is_empty() {
        chunks.push(Vec::new());
    }
    let mut facets = Some(facets);
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, rows)| {
            let current = i + 1;
            let (dir, pager) = pager("policies/", current, total);
            let view = FinderView {
                title: if current == 1 {
                    "政策".to_string()
                } else {
                    format!("政策（第{current}页）")
                },
                total_items,
                rows,
                pager,
                facets: facets.take().unwrap_or_default(),
            };
            sel.view(dir, "policies.html", &view)
        })
        .collect()
}
