//! The digest's web archive: `/digest/` lists every month with items, `/digest/YYYY-MM/` shows
//! the same content as that month's e-mail.

use serde::Serialize;

use super::{Index, Page};
use crate::digest::view::{digest_dir, digest_view, months, DigestView};
use crate::markdown::{LinkBase, Renderer};

#[derive(Debug, Serialize)]
struct MonthLink {
    month: String,
    month_zh: String,
    url: String,
    policies: usize,
    rankings: usize,
    books: usize,
}

#[derive(Debug, Serialize)]
struct ArchiveView {
    title: &'static str,
    months: Vec<MonthLink>,
}

#[derive(Debug, Serialize)]
struct MonthView<'a> {
    title: String,
    digest: &'a DigestView,
}

/// The archive index and one page per month, newest first.
pub fn digest_pages(ix: &Index) -> Vec<Page> {
    let md = Renderer::new(LinkBase::Relative("../../".into()));
    let mut pages = Vec::new();
    let mut list = Vec::new();
    for month in months(ix.site).into_iter().rev() {
        let d = digest_view(ix.site, month, &md);
        let title = match d.note.as_ref().and_then(|n| n.subject.clone()) {
            Some(s) => s,
            None => format!("{}摘要", d.month_zh),
        };
        list.push(MonthLink {
            month: d.month.clone(),
            month_zh: d.month_zh.clone(),
            url: d.url.clone(),
            policies: d.policies.len(),
            rankings: d.rankings.len(),
            books: d.books.len(),
        });
        let view = MonthView { title, digest: &d };
        pages.push(Page::new(digest_dir(month), "digest.html", "digest", &view));
    }
    let archive = ArchiveView {
        title: "每月摘要",
        months: list,
    };
    pages.push(Page::new(
        "digest/".to_string(),
        "digests.html",
        "digests",
        &archive,
    ));
    pages
}
