//! Views: turns the validated [`Site`] into the list of pages to render, each with its template
//! and the view structs its template sees (`page`, plus `site` and `root` added by the renderer).

mod bodies;
mod cards;
pub mod crumbs;
mod digest;
mod finder;
mod home;
mod index;
mod indexes;
mod issues;
mod items;
mod listing;
pub mod month;
mod once;
mod print;
mod search;
pub mod select;

use std::path::PathBuf;

use serde::Serialize;

pub use bodies::BodyCache;
pub use cards::*;
pub use index::{all_regions, Cards, Index, IndexData};
pub use listing::{Facet, ListingView, Pager, PER_PAGE};
pub use select::{ItemKey, Select, Shapes, Slot};

use crate::model::*;
use crate::urls::file_for;

/// One page to render: where it goes, with which template and data.
#[derive(Debug)]
pub struct Page {
    /// Directory path relative to the site root (`policies/x/`; `` for the home page).
    pub dir: String,
    /// File path relative to the site root (`policies/x/index.html`).
    pub file: String,
    pub template: &'static str,
    pub context: tera::Context,
    /// The content file the page is about, for messages (e.g. a broken link in its body).
    pub source: Option<PathBuf>,
}

impl Page {
    /// A page with its view as `page` and its breadcrumbs as `crumbs` (see [`crumbs`]).
    pub fn new<T: Serialize>(dir: String, template: &'static str, view: &T) -> Page {
        let mut context = tera::Context::new();
        context.insert("page", view);
        context.insert("crumbs", &crumbs::trail(&dir, None));
        Page {
            file: file_for(&dir),
            dir,
            template,
            context,
            source: None,
        }
    }

    pub fn from_source(mut self, path: &std::path::Path) -> Page {
        self.source = Some(path.to_path_buf());
        self
    }
}

/// All HTML pages of the site, in a stable order.
pub fn pages(site: &Site) -> Vec<Page> {
    let data = IndexData::new(site, &BodyCache::default());
    let mut pages = Vec::new();
    for_each_group(site, &data, &Select::all(), |group| {
        pages.extend(group.into_iter().filter_map(|s| s.page))
    });
    pages
}

/// The pages in groups (home and items, issues, listings, digest and 404), each built when the
/// previous one has been handed to `f`: a caller that renders and drops each group holds one
/// group's views at a time, not the whole site's (the largest part of a build's memory).
/// Every page has its slot; only those `select` wants have their view.
pub fn for_each_group(
    site: &Site,
    data: &IndexData,
    select: &Select,
    mut f: impl FnMut(Vec<Slot>),
) {
    let ix = &Index::new(site, data);
    let first = || {
        let mut first = home::home(ix, select);
        first.extend(items::item_pages(ix, select));
        first
    };
    let last = || {
        let mut last = digest::digest_pages(ix, select);
        last.push(search::search_page(select));
        last.push(home::not_found());
        last
    };
    if select.is_all() {
        f(first());
        f(issues::issue_pages(ix, select));
        f(indexes::listings(ix, select));
        f(last());
    } else {
        // Few views are built: the groups are small, and built side by side.
        let ((a, b), (c, d)) = rayon::join(
            || rayon::join(first, || issues::issue_pages(ix, select)),
            || rayon::join(|| indexes::listings(ix, select), last),
        );
        for group in [a, b, c, d] {
            f(group);
        }
    }
}
