//! The home page and the 404 page.

use std::sync::Arc;

use serde::Serialize;

use super::cards::*;
use super::issues::{issue_members, issue_view, issues_newest_first, IssueView};
use super::{Index, Page, Select, Slot};
use crate::model::{Issue, Kind};

#[derive(Debug, Serialize, Hash)]
struct HomeView {
    /// How many items of each kind the library holds, for the search box's line.
    counts: Vec<KindCount>,
    /// The newest issue of each series.
    latest_issues: Vec<IssueView>,
    other_issues: Vec<IssueView>,
    policies: Vec<Arc<Card>>,
    rankings: Vec<Arc<Card>>,
    books: Vec<Arc<Card>>,
    products: Vec<Arc<Card>>,
}

pub fn home(ix: &Index, sel: &Select) -> Vec<Slot> {
    let site = ix.site;
    let issues = issues_newest_first(site);
    let members = issue_members(site);
    // The newest issue of each series leads, newest first: a month's short newspaper page
    // does not push the month's flagship bulletin down to the older issues.
    let mut seen = std::collections::HashSet::new();
    let (latest, older): (Vec<&Issue>, Vec<&Issue>) = issues
        .into_iter()
        .partition(|i| seen.insert(i.meta.series.as_str()));
    let brief = |i: &Issue| IssueView {
        toc: Vec::new(),
        ..issue_view(ix, i, &members)
    };
    let latest_issues = latest.into_iter().map(brief).collect();
    let other_issues = older.into_iter().take(6).map(brief).collect();
    let counts = [
        (Kind::Policy, site.policies.len()),
        (Kind::Article, site.articles.len()),
        (Kind::Ranking, site.rankings.len()),
        (Kind::Book, site.books.len()),
        (Kind::Product, site.products.len()),
    ]
    .into_iter()
    .filter(|(_, n)| *n > 0)
    .map(|(k, count)| KindCount::new(k, count))
    .collect();
    let view = HomeView {
        counts,
        latest_issues,
        other_issues,
        policies: site
            .policies
            .iter()
            .take(10)
            .map(|x| ix.card(Kind::Policy, &x.slug))
            .collect(),
        rankings: site
            .rankings
            .iter()
            .take(6)
            .map(|x| ix.card(Kind::Ranking, &x.slug))
            .collect(),
        books: site
            .books
            .iter()
            .take(6)
            .map(|x| ix.card(Kind::Book, &x.slug))
            .collect(),
        products: site
            .products
            .iter()
            .take(6)
            .map(|x| ix.card(Kind::Product, &x.slug))
            .collect(),
    };
    vec![sel.view(String::new(), "index.html", &view)]
}

/// `404.html` is served at any missing address, so its links are absolute (see render). It
/// shows nothing of the content, so it is always built: only its template can change it.
pub fn not_found() -> Slot {
    #[derive(Serialize)]
    struct NotFound {
        title: &'static str,
    }
    let mut page = Page::new(
        String::new(),
        "404.html",
        &NotFound {
            title: "页面未找到",
        },
    );
    page.file = "404.html".into();
    Slot {
        dir: page.dir.clone(),
        file: page.file.clone(),
        shape: 0,
        page: Some(page),
    }
}
