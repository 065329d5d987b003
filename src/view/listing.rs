//! Paginated listings: one logical list of cards becomes `dir/`, `dir/page/2/`, ….

use serde::Serialize;

use std::sync::Arc;

use super::cards::{Card, Term};
use super::{Select, Slot};
use crate::urls::href;

/// Items per listing page.
pub const PER_PAGE: usize = 30;

#[derive(Debug, Clone, Serialize, Hash)]
pub struct Pager {
    pub current: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// Shared by every page of the listing (a long listing has hundreds of pages).
    pub pages: Arc<[PagerLink]>,
}

#[derive(Debug, Clone, Serialize, Hash)]
pub struct PagerLink {
    pub number: usize,
    pub url: String,
}

/// A group of terms shown beside a listing (e.g. policy levels and regions).
#[derive(Debug, Clone, Serialize, Hash)]
pub struct Facet {
    pub name: String,
    pub url: String,
    pub terms: Vec<Term>,
}

#[derive(Debug, Clone, Serialize, Hash)]
pub struct ListingView {
    pub title: String,
    pub intro: Option<String>,
    pub cards: Vec<Arc<Card>>,
    pub total_items: usize,
    pub pager: Pager,
    pub facets: Vec<Facet>,
}

fn page_dir(dir: &str, n: usize) -> String {
    if n == 1 {
        dir.to_string()
    } else {
        format!("{dir}page/{n}/")
    }
}

/// Splits `cards` into pages under `dir`. An empty list still gets its first page.
pub fn paginate(
    sel: &Select,
    dir: &str,
    title: &str,
    intro: Option<String>,
    cards: Vec<Arc<Card>>,
    facets: Vec<Facet>,
) -> Vec<Slot> {
    let total_items = cards.len();
    let total = total_items.div_ceil(PER_PAGE).max(1);
    let pages: Arc<[PagerLink]> = (1..=total)
        .map(|number| PagerLink {
            number,
            url: href(&page_dir(dir, number)),
        })
        .collect();
    let mut chunks: Vec<Vec<Arc<Card>>> = cards.chunks(PER_PAGE).map(<[_]>::to_vec).collect();
    if chunks.is_empty() {
        chunks.push(Vec::new());
    }
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, cards)| {
            let current = i + 1;
            let view = ListingView {
                title: if current == 1 {
                    title.to_string()
                } else {
                    format!("{title}（第{current}页）")
                },
                intro: intro.clone(),
                cards,
                total_items,
                pager: Pager {
                    current,
                    total,
                    prev: (current > 1).then(|| pages[current - 2].url.clone()),
                    next: (current < total).then(|| pages[current].url.clone()),
                    pages: pages.clone(),
                },
                facets: if current == 1 {
                    facets.clone()
                } else {
                    Vec::new()
                },
            };
            sel.view(page_dir(dir, current), "listing.html", &view)
        })
        .collect()
}
