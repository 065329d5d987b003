//! The home page and the 404 page.

use serde::Serialize;

use super::cards::*;
use super::indexes::{issue_view, issues_newest_first, IssueView};
use super::{Index, Page};
use crate::model::Kind;

#[derive(Debug, Serialize)]
struct HomeView {
    latest_issue: Option<IssueView>,
    other_issues: Vec<IssueView>,
    policies: Vec<Card>,
    rankings: Vec<Card>,
    books: Vec<Card>,
    products: Vec<Card>,
}

pub fn home(ix: &Index) -> Vec<Page> {
    let site = ix.site;
    let issues = issues_newest_first(site);
    let latest_issue = issues.first().map(|i| issue_view(ix, i));
    let other_issues = issues
        .iter()
        .skip(1)
        .take(6)
        .map(|i| IssueView {
            toc: Vec::new(),
            ..issue_view(ix, i)
        })
        .collect();
    let view = HomeView {
        latest_issue,
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
    vec![Page::new(String::new(), "index.html", "home", &view)]
}

/// `404.html` is served at any missing address, so its links are absolute (see render).
pub fn not_found() -> Page {
    #[derive(Serialize)]
    struct NotFound {
        title: &'static str,
    }
    let mut page = Page::new(
        String::new(),
        "404.html",
        "404",
        &NotFound {
            title: "页面未找到",
        },
    );
    page.file = "404.html".into();
    page
}
