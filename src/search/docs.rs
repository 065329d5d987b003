//! The searchable items: one [`Doc`] per article, policy, ranking, book and product, with the
//! fields its page shows and the facets the search page filters by.

use crate::markdown::excerpt_markdown;
use crate::model::*;
use crate::view::{item_url, policy_byline, IndexData};

use super::text::html_text;

/// One item as the search index sees it.
#[derive(Debug, PartialEq)]
pub struct Doc {
    pub kind: Kind,
    pub slug: Slug,
    /// Link relative to the site root, percent-encoded.
    pub url: String,
    pub date: Date,
    /// Who: issuers (and 文号), source, publisher, authors or bank.
    pub byline: String,
    /// Searchable fields as plain text, the title first.
    pub fields: Vec<String>,
    /// A policy's 文号, shown in the finder's table.
    pub doc_number: Option<String>,
    pub level: Option<Level>,
    /// A policy's type (通知, 意见, 会议…).
    pub doc_type: Option<DocType>,
    pub regions: Vec<String>,
    pub issuers: Vec<String>,
    /// The issue's series (its key in `content/issues/`) and its name.
    pub series: Option<String>,
    pub series_name: Option<String>,
}

/// Markdown summaries as the page shows them: plain text, whole.
fn md(text: &str) -> String {
    excerpt_markdown(text, usize::MAX)
}

fn series_name(site: &Site, issue: Option<&IssueRef>) -> Option<String> {
    issue
        .and_then(|r| site.issues.get(r))
        .map(|i| i.meta.series.clone())
}

/// Every item, oldest first (by date, then kind, then slug): a new item, usually the newest,
/// then takes the next number and leaves the others' numbers, and their files, as they were.
pub fn docs(site: &Site, data: &IndexData) -> Vec<Doc> {
    let mut docs = docs_where(site, data, |_, _| true);
    docs.sort_by(|a, b| a.order().cmp(&b.order()));
    docs
}

impl Doc {
    /// What numbers items: oldest first (see [`docs`]).
    pub fn order(&self) -> (Date, Kind, &str) {
        (self.date, self.kind, &self.url)
    }
}

/// The items `want` names, in no particular order.
pub fn docs_where(site: &Site, data: &IndexData, want: impl Fn(Kind, &Slug) -> bool) -> Vec<Doc> {
    let body = |kind: Kind, slug: &Slug| {
        data.bodies
            .get(&(kind, slug.clone()))
            .map_or_else(String::new, |b| html_text(b))
    };
    let mut docs = Vec::new();
    for a in site
        .articles
        .iter()
        .filter(|x| want(Kind::Article, &x.slug))
    {
        let m = &a.meta;
        let mut fields = vec![
            m.title.clone(),
            body(Kind::Article, &a.slug),
            m.source.clone(),
        ];
        fields.extend(m.tags.iter().cloned());
        fields.extend(m.regions.iter().cloned());
        docs.push(Doc {
            kind: Kind::Article,
            slug: a.slug.clone(),
            url: item_url(Kind::Article, &a.slug),
            date: m.date,
            byline: m.source.clone(),
            fields,
            doc_number: None,
            level: None,
            doc_type: None,
            regions: m.regions.clone(),
            issuers: Vec::new(),
            series: m.issue.as_ref().map(|r| r.series.to_string()),
            series_name: series_name(site, m.issue.as_ref()),
        });
    }
    for p in site.policies.iter().filter(|x| want(Kind::Policy, &x.slug)) {
        let m = &p.meta;
        let mut fields = vec![m.title.clone(), md(&m.summary), body(Kind::Policy, &p.slug)];
        fields.extend(m.issuers.iter().cloned());
        fields.extend(m.doc_number.iter().cloned());
        fields.extend(m.region.iter().cloned());
        fields.extend(m.tags.iter().cloned());
        docs.push(Doc {
            kind: Kind::Policy,
            slug: p.slug.clone(),
            url: item_url(Kind::Policy, &p.slug),
            date: m.date,
            byline: policy_byline(p),
            fields,
            doc_number: m.doc_number.clone(),
            level: Some(m.level),
            doc_type: m.doc_type,
            regions: m.region.iter().cloned().collect(),
            issuers: m.issuers.clone(),
            series: m.issue.as_ref().map(|r| r.series.to_string()),
            series_name: series_name(site, m.issue.as_ref()),
        });
    }
    for r in site
        .rankings
        .iter()
        .filter(|x| want(Kind::Ranking, &x.slug))
    {
        let m = &r.meta;
        let mut fields = vec![m.title.clone(), md(&m.summary), m.publisher.clone()];
        for e in &m.entries {
            fields.push(e.name.clone());
            fields.extend(e.note.iter().cloned());
        }
        docs.push(Doc {
            kind: Kind::Ranking,
            slug: r.slug.clone(),
            url: item_url(Kind::Ranking, &r.slug),
            date: m.date,
            byline: m.publisher.clone(),
            fields,
            doc_number: None,
            level: None,
            doc_type: None,
            regions: Vec::new(),
            issuers: Vec::new(),
            series: m.issue.as_ref().map(|r| r.series.to_string()),
            series_name: series_name(site, m.issue.as_ref()),
        });
    }
    for b in site.books.iter().filter(|x| want(Kind::Book, &x.slug)) {
        let m = &b.meta;
        let mut fields = vec![m.title.clone(), md(&m.summary), md(&m.reason)];
        fields.extend(m.authors.iter().cloned());
        fields.push(m.publisher.clone());
        docs.push(Doc {
            kind: Kind::Book,
            slug: b.slug.clone(),
            url: item_url(Kind::Book, &b.slug),
            date: m.date,
            byline: format!("{}　{}", m.authors.join("、"), m.publisher),
            fields,
            doc_number: None,
            level: None,
            doc_type: None,
            regions: Vec::new(),
            issuers: Vec::new(),
            series: m.issue.as_ref().map(|r| r.series.to_string()),
            series_name: series_name(site, m.issue.as_ref()),
        });
    }
    for p in site
        .products
        .iter()
        .filter(|x| want(Kind::Product, &x.slug))
    {
        let m = &p.meta;
        let mut fields = vec![m.name.clone(), md(&m.summary), m.bank.clone()];
        fields.extend(m.region.iter().cloned());
        docs.push(Doc {
            kind: Kind::Product,
            slug: p.slug.clone(),
            url: item_url(Kind::Product, &p.slug),
            date: m.date,
            byline: m.bank.clone(),
            fields,
            doc_number: None,
            level: None,
            doc_type: None,
            regions: m.region.iter().cloned().collect(),
            issuers: Vec::new(),
            series: m.issue.as_ref().map(|r| r.series.to_string()),
            series_name: series_name(site, m.issue.as_ref()),
        });
    }
    docs
}
