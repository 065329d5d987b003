//! The print view of an issue (打印本期, `/issues/<series>/<id>/print/`): every item of the
//! issue in printed order with its full text and printed page, for printing as the issue.

use std::sync::Arc;

use serde::Serialize;

use super::cards::*;
use super::issues::{printed_order, Masthead, Member};
use super::select::shape;
use super::{Index, Page, Select, Slot};
use crate::contents::Printed;
use crate::markdown::{LinkBase, Renderer};
use crate::model::*;

#[derive(Debug, Serialize)]
struct PrintView {
    issue_url: String,
    /// The issue page's masthead, its fields named as there.
    #[serde(flatten)]
    masthead: Masthead,
    /// The site's and the issue's names as CSS strings, for the print margins.
    margin_site: String,
    margin_issue: String,
    sections: Vec<PrintSection>,
}

#[derive(Debug, Serialize)]
struct PrintSection {
    name: String,
    items: Vec<PrintItem>,
}

#[derive(Debug, Serialize)]
struct PrintItem {
    kind: &'static str,
    kind_zh: &'static str,
    badge: bool,
    title: String,
    url: String,
    byline: String,
    date: String,
    date_zh: String,
    page: Option<u32>,
    /// The full text: the body, or for kinds without one the summary and what the page adds.
    html: String,
    reason_html: Option<String>,
    entries: Vec<RankingEntry>,
    policies: Vec<Arc<Card>>,
}

/// The print page of `issue`, built lazily: it shows the data of every item it lists.
pub fn print_page(ix: &Index, sel: &Select, issue: &Issue, members: &[Member]) -> Slot {
    let order = printed_order(issue, members);
    let printed = Printed::new(issue);
    let listed: Vec<(Kind, &Slug, Option<u32>)> = order
        .iter()
        .flat_map(|(_, ms)| {
            ms.iter()
                .map(|m| (m.kind, m.slug, printed.page(m.kind, m.slug)))
        })
        .collect();
    let nested = members
        .iter()
        .flat_map(|m| m.policies.iter().map(|s| (Kind::Policy, s)));
    let deps: Vec<(Kind, &Slug)> = listed
        .iter()
        .map(|(k, s, _)| (*k, *s))
        .chain(nested)
        .collect();
    let names: Vec<&str> = order.iter().map(|(n, _)| n.as_str()).collect();
    let dir = format!("{}print/", issue_dir(&issue.key));
    sel.lazy(
        dir.clone(),
        "print.html",
        shape(&(&listed, &names)),
        deps,
        || {
            let view = print_view(ix, issue, &printed, order);
            Page::new(dir, "print.html", &view).from_source(&issue.path)
        },
    )
}

fn print_view(
    ix: &Index,
    issue: &Issue,
    printed: &Printed,
    order: Vec<(String, Vec<Member>)>,
) -> PrintView {
    // The page sits four folders deep: bodies link from there, not from an item page.
    let md = Renderer::new(LinkBase::Relative("../../../../".into()));
    let sections = order
        .into_iter()
        .filter(|(_, ms)| !ms.is_empty())
        .map(|(name, ms)| PrintSection {
            items: ms
                .iter()
                .filter_map(|m| {
                    let mut item = print_item(ix, &md, m)?;
                    item.page = printed.page(m.kind, m.slug);
                    item.badge = m.kind != Kind::Article && !name.contains(m.kind.zh());
                    Some(item)
                })
                .collect(),
            name,
        })
        .collect();
    let m = &issue.meta;
    PrintView {
        issue_url: crate::urls::href(&issue_dir(&issue.key)),
        masthead: Masthead::of(m),
        margin_site: css_string(&ix.site.config.title),
        margin_issue: css_string(&m.title),
        sections,
    }
}

/// The item's full text, from its card (title, byline, date) and its own fields.
fn print_item(ix: &Index, md: &Renderer, m: &Member) -> Option<PrintItem> {
    let site = ix.site;
    let card = ix.cards.get(m.kind, m.slug)?;
    let (mut reason_html, mut entries) = (None, Vec::new());
    let html = match m.kind {
        Kind::Article => {
            let a = &site.articles[ix.position(Kind::Article, m.slug)?];
            md.html(&a.body)
        }
        Kind::Policy => {
            let p = &site.policies[ix.position(Kind::Policy, m.slug)?];
            format!("{}{}", md.html(&p.meta.summary), md.html(&p.body))
        }
        Kind::Ranking => {
            let r = &site.rankings[ix.position(Kind::Ranking, m.slug)?];
            entries = r.meta.entries.clone();
            md.html(&r.meta.summary)
        }
        Kind::Book => {
            let b = &site.books[ix.position(Kind::Book, m.slug)?];
            reason_html = Some(md.html(&b.meta.reason));
            md.html(&b.meta.summary)
        }
        Kind::Product => {
            let p = &site.products[ix.position(Kind::Product, m.slug)?];
            md.html(&p.meta.summary)
        }
    };
    Some(PrintItem {
        kind: card.kind,
        kind_zh: card.kind_zh,
        badge: false,
        title: card.title.clone(),
        url: card.url.clone(),
        byline: card.byline.clone(),
        date: card.date.clone(),
        date_zh: card.date_zh.clone(),
        page: None,
        html,
        reason_html,
        entries,
        policies: m
            .policies
            .iter()
            .filter_map(|s| ix.cards.get(Kind::Policy, s).cloned())
            .collect(),
    })
}

/// `text` as a quoted CSS string that is safe anywhere: every character but ASCII letters and
/// digits as a hex escape, so neither CSS nor HTML can read anything into it.
pub fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else {
            out.push_str(&format!("\\{:x} ", c as u32));
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn css_strings_escape_everything_but_letters_and_digits() {
        assert_eq!(super::css_string("a\"<b1"), "\"a\\22 \\3c b1\"");
        assert_eq!(super::css_string("信息"), "\"\\4fe1 \\606f \"");
    }
}
