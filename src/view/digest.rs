//! The digest's web archive: `/digest/` lists every month with items, `/digest/YYYY-MM/` shows
//! the same content as that month's e-mail.

use serde::Serialize;

use super::{Index, Page, Select, Slot};
use crate::markdown::{LinkBase, Renderer};
use crate::model::{Kind, Slug};
use crate::view::month::view::{digest_dir, digest_view, months, DigestView};

#[derive(Debug, Serialize, Hash)]
struct MonthLink {
    month: String,
    month_zh: String,
    url: String,
    policies: usize,
    rankings: usize,
    books: usize,
    products: usize,
    articles: usize,
}

#[derive(Debug, Serialize, Hash)]
struct ArchiveView {
    title: &'static str,
    months: Vec<MonthLink>,
}

#[derive(Debug, Serialize)]
struct MonthView<'a> {
    title: String,
    digest: &'a DigestView,
}

/// The archive index and one page per month, newest first. A month's page is built lazily
/// (rendering its summaries is costly): it shows the same parts as the month's e-mail.
pub fn digest_pages(ix: &Index, sel: &Select) -> Vec<Slot> {
    let site = ix.site;
    let md = Renderer::new(LinkBase::Relative("../../".into()));
    let mut pages = Vec::new();
    let mut list = Vec::new();
    let with_policies = crate::view::month::listings::PolicyIssues::of(site);
    for month in months(site).into_iter().rev() {
        let items: Vec<(Kind, &Slug)> = site
            .policies
            .iter()
            .filter(|p| p.month == month)
            .map(|p| (Kind::Policy, &p.slug))
            .chain(
                site.rankings
                    .iter()
                    .filter(|r| r.month == month)
                    .map(|r| (Kind::Ranking, &r.slug)),
            )
            .chain(
                site.books
                    .iter()
                    .filter(|b| b.month == month)
                    .map(|b| (Kind::Book, &b.slug)),
            )
            .chain(
                site.products
                    .iter()
                    .filter(|p| p.month == month)
                    .map(|p| (Kind::Product, &p.slug)),
            )
            .chain(
                site.articles
                    .iter()
                    .filter(|a| a.month == month && with_policies.lack(a.meta.issue.as_ref()))
                    .map(|a| (Kind::Article, &a.slug)),
            )
            .collect();
        let count = |k: Kind| items.iter().filter(|(x, _)| *x == k).count();
        list.push(MonthLink {
            month: month.to_string(),
            month_zh: month.zh(),
            url: crate::urls::href(&digest_dir(month)),
            policies: count(Kind::Policy),
            rankings: count(Kind::Ranking),
            books: count(Kind::Book),
            products: count(Kind::Product),
            articles: count(Kind::Article),
        });
        let dir = digest_dir(month);
        // Besides its items, the page shows what its issues say of themselves (title, period)
        // and the editor's picks, which may name items of other months.
        let issues: Vec<String> = site
            .issues
            .values()
            .filter(|i| i.meta.month == month)
            .map(|i| {
                format!(
                    "{:?}{:?}{:?}",
                    i.key,
                    i.meta.title,
                    i.meta.period.as_ref().map(|p| (p.from, p.to))
                )
            })
            .collect();
        let picks = site.notes.get(&month).map(|n| n.meta.picks.clone());
        let shape = super::select::shape(&(&items, issues, picks));
        pages.push(sel.lazy(
            dir.clone(),
            "digest.html",
            shape,
            items.iter().copied(),
            || {
                let d = digest_view(site, month, &md);
                let title = match d.note.as_ref().and_then(|n| n.subject.clone()) {
                    Some(s) => s,
                    None => format!("{}摘要", d.month_zh),
                };
                Page::new(dir, "digest.html", &MonthView { title, digest: &d })
            },
        ));
    }
    let archive = ArchiveView {
        title: "每月摘要",
        months: list,
    };
    pages.push(sel.view("digest/".to_string(), "digests.html", &archive));
    pages
}
