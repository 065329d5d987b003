//! Paginated listings: one logical list of cards becomes `dir/`, `dir/page/2/`, ….

use std::sync::Arc;

use serde::Serialize;

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
    /// The first and last pages and those within `PAGER_REACH` (2) of the current one, in order:
    /// a listing of hundreds of pages does not list them all on each.
    pub pages: Vec<PagerLink>,
}

#[derive(Debug, Clone, Serialize, Hash)]
pub struct PagerLink {
    pub number: usize,
    pub url: String,
    /// Pages are left out between the previous link and this one (templates show `…`).
    pub gap_before: bool,
}

/// How many pages either side of the current one the pager links.
const PAGER_REACH: usize = 2;

/// The pager's links for page `current` of `total`.
fn pager_links(dir: &str, current: usize, total: usize) -> Vec<PagerLink> {
    let near = current.saturating_sub(PAGER_REACH).max(1)..=(current + PAGER_REACH).min(total);
    let mut numbers: Vec<usize> = std::iter::once(1)
        .chain(near)
        .chain(std::iter::once(total))
        .collect();
    numbers.dedup();
    let mut last = 0;
    numbers
        .into_iter()
        .map(|number| {
            let link = PagerLink {
                number,
                url: href(&page_dir(dir, number)),
                gap_before: number > last + 1 && last > 0,
            };
            last = number;
            link
        })
        .collect()
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

/// Page `current` of `total` of the listing at `dir`: its directory and its pager.
pub fn pager(dir: &str, current: usize, total: usize) -> (String, Pager) {
    let pager = Pager {
        current,
        total,
        prev: (current > 1).then(|| href(&page_dir(dir, current - 1))),
        next: (current < total).then(|| href(&page_dir(dir, current + 1))),
        pages: pager_links(dir, current, total),
    };
    (page_dir(dir, current), pager)
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
    let mut chunks: Vec<Vec<Arc<Card>>> = cards.chunks(PER_PAGE).map(<[_]>::to_vec).collect();
    if chunks.is_empty() {
        chunks.push(Vec::new());
    }
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, cards)| {
            let current = i + 1;
            let (page, pager) = pager(dir, current, total);
            let view = ListingView {
                title: if current == 1 {
                    title.to_string()
                } else {
                    format!("{title}（第{current}页）")
                },
                intro: intro.clone(),
                cards,
                total_items,
                pager,
                facets: if current == 1 {
                    facets.clone()
                } else {
                    Vec::new()
                },
            };
            let mut slot = sel.view(page, "listing.html", &view);
            if current > 1 {
                // Page 1 of the listing is above this one in the breadcrumbs, named as it is.
                if let Some(p) = &mut slot.page {
                    let trail = super::crumbs::trail(&p.dir, Some(title));
                    p.context.insert("crumbs", &trail);
                }
            }
            slot
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(current: usize, total: usize) -> String {
        pager_links("x/", current, total)
            .iter()
            .map(|l| format!("{}{}", if l.gap_before { "… " } else { "" }, l.number))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn pager_links_the_ends_and_the_neighbourhood() {
        assert_eq!(shown(1, 1), "1");
        assert_eq!(shown(2, 5), "1 2 3 4 5");
        assert_eq!(shown(1, 140), "1 2 3 … 140");
        assert_eq!(shown(70, 140), "1 … 68 69 70 71 72 … 140");
        assert_eq!(shown(4, 140), "1 2 3 4 5 6 … 140");
        assert_eq!(shown(140, 140), "1 … 138 139 140");
        let l = pager_links("tags/x/", 2, 3);
        assert_eq!(l[0].url, "tags/x/");
        assert_eq!(l[1].url, "tags/x/page/2/");
    }
}
