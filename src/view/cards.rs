//! View structs: the data templates see. Templates get these, never the model, so the model
//! can change without breaking editors' templates.

use std::sync::Arc;

use serde::Serialize;

use crate::markdown::{excerpt, excerpt_markdown};
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
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Link {
    pub name: String,
    pub url: String,
}

/// A term (tag, region, issuer…) with how many items carry it.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct Term {
    pub name: String,
    pub url: String,
    pub count: usize,
}

/// One item as listings show it. Built once per item and shared (`Arc`) by every page showing
/// it; a page's shape (see [`super::select`]) hashes a card as its `version`, not its text, so
/// checking ten thousand pages for change does not hash ten thousand excerpts.
#[derive(Debug, Clone, Serialize, PartialEq)]
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
    /// A mark beside the title: a policy's status (征求意见稿) when its title does not say it.
    pub flag: Option<&'static str>,
    /// A hash of all the fields above: equal versions, equal cards.
    #[serde(skip)]
    pub version: u64,
}

impl std::hash::Hash for Card {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        // The version hashes the URL with the rest.
        self.version.hash(h);
    }
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

/// An issue as readers name it: its title, after its series' name unless the title names the
/// series already (`《信息摘编》2024年第七期`, not `信息摘编 《信息摘编》2024年第七期`).
pub fn issue_name(series: &str, title: &str) -> String {
    if title.contains(series) {
        title.to_string()
    } else {
        format!("{series} {title}")
    }
}

/// How many items of one kind, with the kind's measure word.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct KindCount {
    pub name: &'static str,
    pub url: String,
    pub count: usize,
    pub measure: &'static str,
}

impl KindCount {
    pub fn new(kind: Kind, count: usize) -> Self {
        KindCount {
            name: kind.zh(),
            url: format!("{}/", kind.dir()),
            count,
            measure: kind.measure(),
        }
    }
}

/// Characters of text on a card.
const EXCERPT: usize = 120;

/// Builds a card around an excerpt already made plain text.
pub fn card<M>(
    kind: Kind,
    item: &Item<M>,
    title: &str,
    date: Date,
    byline: String,
    excerpt: String,
) -> Arc<Card> {
    let mut c = Card {
        kind: kind.dir(),
        kind_zh: kind.zh(),
        title: title.to_string(),
        url: item_url(kind, &item.slug),
        date: date.to_string(),
        date_zh: date.zh(),
        byline,
        excerpt,
        flag: None,
        version: 0,
    };
    c.version = c.shape();
    Arc::new(c)
}

impl Card {
    fn shape(&self) -> u64 {
        super::select::shape(&(
            self.kind,
            &self.title,
            &self.url,
            &self.date,
            &self.date_zh,
            &self.byline,
            &self.excerpt,
            self.flag,
        ))
    }
}

pub fn article_card(a: &Article, body_html: &str) -> Arc<Card> {
    card(
        Kind::Article,
        a,
        &a.meta.title,
        a.meta.date,
        a.meta.source.clone(),
        excerpt(body_html, EXCERPT),
    )
}

/// Who issued a policy (its region when the source names no body), and its document number
/// when it has one.
pub fn policy_byline(p: &Policy) -> String {
    let by = match p.meta.issuers.is_empty() {
        true => p.meta.region.clone().unwrap_or_default(),
        false => p.meta.issuers.join("、"),
    };
    match &p.meta.doc_number {
        Some(n) => format!("{by}　{n}"),
        None => by,
    }
}

pub fn policy_card(p: &Policy) -> Arc<Card> {
    let by = policy_byline(p);
    let c = card(
        Kind::Policy,
        p,
        &p.meta.title,
        p.meta.date,
        by,
        excerpt_markdown(&p.meta.summary, EXCERPT),
    );
    match policy_flag(p) {
        None => c,
        flag => {
            let mut c = Arc::unwrap_or_clone(c);
            c.flag = flag;
            c.version = c.shape();
            Arc::new(c)
        }
    }
}

/// The status to show beside a policy's title: none when the title already says it.
pub fn policy_flag(p: &Policy) -> Option<&'static str> {
    p.meta
        .status
        .map(|s| s.zh())
        .filter(|s| !p.meta.title.contains(s))
}

pub fn ranking_card(r: &Ranking) -> Arc<Card> {
    card(
        Kind::Ranking,
        r,
        &r.meta.title,
        r.meta.date,
        r.meta.publisher.clone(),
        excerpt_markdown(&r.meta.summary, EXCERPT),
    )
}

pub fn book_card(b: &Book) -> Arc<Card> {
    let by = format!("{}　{}", b.meta.authors.join("、"), b.meta.publisher);
    card(
        Kind::Book,
        b,
        &b.meta.title,
        b.meta.date,
        by,
        excerpt_markdown(&b.meta.summary, EXCERPT),
    )
}

pub fn product_card(p: &Product) -> Arc<Card> {
    let by = format!("{}　{}", p.meta.bank, p.meta.category.zh());
    card(
        Kind::Product,
        p,
        &p.meta.name,
        p.meta.date,
        by,
        excerpt_markdown(&p.meta.summary, EXCERPT),
    )
}
