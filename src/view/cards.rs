//! View structs: the data templates see. Templates get these, never the model, so the model
//! can change without breaking editors' templates.

use serde::Serialize;

use crate::markdown::excerpt;
use crate::model::*;
use crate::urls::href;

/// The site-wide fields every page gets as `site`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub language: String,
    pub base_url: String,
}

/// A link with a label; `url` is relative to the site root.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Link {
    pub name: String,
    pub url: String,
}

/// A term (tag, region, issuer…) with how many items carry it.
#[derive(Debug, Clone, Serialize)]
pub struct Term {
    pub name: String,
    pub url: String,
    pub count: usize,
}

/// One item as listings show it.
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    pub kind: &'static str,
    pub kind_zh: &'static str,
    pub title: String,
    pub url: String,
    pub date: String,
    pub date_zh: String,
    /// A short line under the title: source, issuers, publisher…
    pub byline: String,
    pub excerpt: String,
}

/// The directory path of an item's page, e.g. `policies/x/`.
pub fn item_dir(kind: Kind, slug: &Slug) -> String {
    format!("{}/{}/", kind.dir(), slug)
}

pub fn item_url(kind: Kind, slug: &Slug) -> String {
    href(&item_dir(kind, slug))
}

pub fn issue_dir(r: &IssueRef) -> String {
    format!("issues/{}/{}/", r.series, r.id)
}

/// Builds a card; `text` is the plain-text source of the excerpt.
pub fn card<M>(
    kind: Kind,
    item: &Item<M>,
    title: &str,
    date: Date,
    byline: String,
    text: &str,
) -> Card {
    Card {
        kind: kind.dir(),
        kind_zh: kind.zh(),
        title: title.to_string(),
        url: item_url(kind, &item.slug),
        date: date.to_string(),
        date_zh: date.zh(),
        byline,
        excerpt: excerpt(text, 120),
    }
}

pub fn article_card(a: &Article, body_html: &str) -> Card {
    card(
        Kind::Article,
        a,
        &a.meta.title,
        a.meta.date,
        a.meta.source.clone(),
        body_html,
    )
}

pub fn policy_card(p: &Policy) -> Card {
    let mut by = p.meta.issuers.join("、");
    if let Some(n) = &p.meta.doc_number {
        by = format!("{by}　{n}");
    }
    card(
        Kind::Policy,
        p,
        &p.meta.title,
        p.meta.date,
        by,
        &p.meta.summary,
    )
}

pub fn ranking_card(r: &Ranking) -> Card {
    card(
        Kind::Ranking,
        r,
        &r.meta.title,
        r.meta.date,
        r.meta.publisher.clone(),
        &r.meta.summary,
    )
}

pub fn book_card(b: &Book) -> Card {
    let by = format!("{}　{}", b.meta.authors.join("、"), b.meta.publisher);
    card(
        Kind::Book,
        b,
        &b.meta.title,
        b.meta.date,
        by,
        &b.meta.summary,
    )
}

pub fn product_card(p: &Product) -> Card {
    let by = format!("{}　{}", p.meta.bank, p.meta.category.zh());
    card(
        Kind::Product,
        p,
        &p.meta.name,
        p.meta.date,
        by,
        &p.meta.summary,
    )
}
