//! One page per item: `/articles/<slug>/`, `/policies/<slug>/`, and so on.

use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::cards::*;
use super::select::shape;
use super::{once, Index, Page, Select, Slot};
use crate::markdown::{document, LinkBase, Renderer};
use crate::model::*;

/// Where an item sits in its bulletin.
#[derive(Debug, Serialize)]
pub struct Placement {
    pub issue: Option<Link>,
    pub section: Option<String>,
}

fn placement(ix: &Index, issue: Option<&IssueRef>, section: Option<&str>) -> Placement {
    Placement {
        issue: issue.and_then(|r| ix.issue_link(r)),
        section: section.map(str::to_owned),
    }
}

#[derive(Debug, Serialize)]
struct ArticleView<'a> {
    title: &'a str,
    date: String,
    date_zh: String,
    source: &'a str,
    original_url: Option<&'a str>,
    placement: Placement,
    section: Option<Link>,
    tags: Vec<Link>,
    regions: Vec<Link>,
    policies: Vec<Arc<Card>>,
    body_html: &'a str,
}

#[derive(Debug, Serialize)]
struct PolicyView<'a> {
    title: &'a str,
    date: String,
    date_zh: String,
    /// 发布日期 or 报道日期: what the date is.
    date_label: String,
    doc_number: Option<&'a str>,
    doc_type: Option<&'static str>,
    status: Option<&'static str>,
    /// The status again when the title does not say it, shown beside the title.
    flag: Option<&'static str>,
    /// 发文机关, or who held the meeting or made the statement.
    issuers_label: &'static str,
    /// Not a meeting or statement: a page without issuers says the source names none.
    is_document: bool,
    issuers: Vec<Link>,
    level: Link,
    region: Option<Link>,
    original_url: Option<&'a str>,
    placement: Placement,
    tags: Vec<Link>,
    /// Empty when it only repeats the opening of the body.
    summary_html: String,
    /// `全文` over a body that is the document itself (it ends with its 落款), else `要点`.
    body_heading: &'static str,
    body_html: String,
    articles: Vec<Arc<Card>>,
}

#[derive(Debug, Serialize)]
struct RankingView<'a> {
    title: &'a str,
    date: String,
    date_zh: String,
    publisher: &'a str,
    summary_html: String,
    original_url: Option<&'a str>,
    placement: Placement,
    value_label: Option<&'a str>,
    complete: bool,
    has_values: bool,
    has_notes: bool,
    entries: &'a [RankingEntry],
}

#[derive(Debug, Serialize)]
struct BookView<'a> {
    title: &'a str,
    authors: &'a [String],
    publisher: &'a str,
    published_zh: String,
    summary_html: String,
    reason_html: String,
    date: String,
    date_zh: String,
    isbn: Option<&'a str>,
    placement: Placement,
}

#[derive(Debug, Serialize)]
struct ProductView<'a> {
    name: &'a str,
    bank: &'a str,
    date: String,
    date_zh: String,
    category: Link,
    region: Option<Link>,
    summary_html: String,
    original_url: Option<&'a str>,
    placement: Placement,
}

/// Item pages are built lazily (see [`Select::lazy`]): a page shows its own item's data and
/// the cards of related items, so its shape is those cards (URL and version, in order).
pub fn item_pages(ix: &Index, sel: &Select) -> Vec<Slot> {
    let site = ix.site;
    let md = || Renderer::new(LinkBase::Relative("../../".into()));
    let mut pages: Vec<Slot> = site
        .articles
        .par_iter()
        .map(|a| {
            let policies = article_policies(ix, a);
            sel.lazy(
                item_dir(Kind::Article, &a.slug),
                "article.html",
                shape(&policies),
                [(Kind::Article, &a.slug)],
                || article(ix, a, policies),
            )
        })
        .collect();
    pages.extend(
        site.policies
            .par_iter()
            .map_init(md, |r, p| {
                let articles = policy_articles(ix, p);
                sel.lazy(
                    item_dir(Kind::Policy, &p.slug),
                    "policy.html",
                    shape(&articles),
                    [(Kind::Policy, &p.slug)],
                    || policy(ix, r, p, articles),
                )
            })
            .collect::<Vec<_>>(),
    );
    pages.extend(
        site.rankings
            .par_iter()
            .map_init(md, |r, x| {
                let dir = item_dir(Kind::Ranking, &x.slug);
                sel.lazy(dir, "ranking.html", 0, [(Kind::Ranking, &x.slug)], || {
                    ranking(ix, r, x)
                })
            })
            .collect::<Vec<_>>(),
    );
    pages.extend(
        site.books
            .par_iter()
            .map_init(md, |r, x| {
                let dir = item_dir(Kind::Book, &x.slug);
                sel.lazy(dir, "book.html", 0, [(Kind::Book, &x.slug)], || {
                    book(ix, r, x)
                })
            })
            .collect::<Vec<_>>(),
    );
    pages.extend(
        site.products
            .par_iter()
            .map_init(md, |r, x| {
                let dir = item_dir(Kind::Product, &x.slug);
                sel.lazy(dir, "product.html", 0, [(Kind::Product, &x.slug)], || {
                    product(ix, r, x)
                })
            })
            .collect::<Vec<_>>(),
    );
    pages
}

/// The cards of the policies an article reports on.
fn article_policies(ix: &Index, a: &Article) -> Vec<Arc<Card>> {
    a.meta
        .policies
        .iter()
        .filter_map(|s| ix.cards.get(Kind::Policy, s).cloned())
        .collect()
}

/// The cards of the articles reporting on a policy.
fn policy_articles(ix: &Index, p: &Policy) -> Vec<Arc<Card>> {
    ix.reported_by
        .get(&p.slug)
        .map(|v| v.iter().map(|a| ix.card(Kind::Article, a)).collect())
        .unwrap_or_default()
}

fn article(ix: &Index, a: &Article, policies: Vec<Arc<Card>>) -> Page {
    let m = &a.meta;
    let body = ix.body(Kind::Article, &a.slug);
    let view = ArticleView {
        title: &m.title,
        date: m.date.to_string(),
        date_zh: m.date.zh(),
        source: &m.source,
        original_url: m.url.as_ref().map(WebUrl::as_str),
        placement: placement(ix, m.issue.as_ref(), m.section.as_deref()),
        section: m.section.as_deref().map(|s| ix.section_link(s)),
        tags: m.tags.iter().map(|t| ix.tag_link(t)).collect(),
        regions: m.regions.iter().map(|t| ix.region_link(t)).collect(),
        policies: once::without_repeated_excerpts(policies, &[&once::text_key(body)]),
        body_html: body,
    };
    Page::new(item_dir(Kind::Article, &a.slug), "article.html", &view).from_source(&a.path)
}

fn policy(ix: &Index, md: &Renderer, p: &Policy, articles: Vec<Arc<Card>>) -> Page {
    let m = &p.meta;
    let body = ix.body(Kind::Policy, &p.slug);
    let body_key = once::text_key(body);
    let summary_html = md.html(&m.summary);
    let articles =
        once::without_repeated_excerpts(articles, &[&body_key, &once::text_key(&summary_html)]);
    let view = PolicyView {
        title: &m.title,
        date: m.date.to_string(),
        date_zh: m.date.zh(),
        date_label: m.date_kind.label(),
        doc_number: m.doc_number.as_deref(),
        doc_type: m.doc_type.map(|d| d.zh()),
        status: m.status.map(|s| s.zh()),
        flag: policy_flag(p),
        issuers_label: m.doc_type.map_or("发文机关", |d| d.issuers_label()),
        is_document: m.doc_type.is_none_or(|d| d.is_document()),
        issuers: m.issuers.iter().map(|i| ix.issuer_link(i)).collect(),
        level: Link {
            name: m.level.zh().to_string(),
            url: format!("policies/level/{}/", m.level.slug()),
        },
        region: m.region.as_deref().map(|r| ix.region_link(r)),
        original_url: m.url.as_ref().map(WebUrl::as_str),
        placement: placement(ix, m.issue.as_ref(), m.section.as_deref()),
        tags: m.tags.iter().map(|t| ix.tag_link(t)).collect(),
        summary_html: if once::summary_opens_body(&summary_html, &body_key) {
            String::new()
        } else {
            summary_html
        },
        body_heading: if document::is_document(body) {
            "全文"
        } else {
            "要点"
        },
        body_html: once::demote_headings(body),
        articles,
    };
    Page::new(item_dir(Kind::Policy, &p.slug), "policy.html", &view).from_source(&p.path)
}

fn ranking(ix: &Index, md: &Renderer, r: &Ranking) -> Page {
    let m = &r.meta;
    let view = RankingView {
        title: &m.title,
        date: m.date.to_string(),
        date_zh: m.date.zh(),
        publisher: &m.publisher,
        summary_html: md.html(&m.summary),
        original_url: m.url.as_ref().map(WebUrl::as_str),
        placement: placement(ix, m.issue.as_ref(), m.section.as_deref()),
        value_label: m.value_label.as_deref(),
        complete: m.complete,
        has_values: m.entries.iter().any(|e| e.value.is_some()),
        has_notes: m.entries.iter().any(|e| e.note.is_some()),
        entries: &m.entries,
    };
    Page::new(item_dir(Kind::Ranking, &r.slug), "ranking.html", &view).from_source(&r.path)
}

fn book(ix: &Index, md: &Renderer, b: &Book) -> Page {
    let m = &b.meta;
    let view = BookView {
        title: &m.title,
        authors: &m.authors,
        publisher: &m.publisher,
        published_zh: m.published.zh(),
        summary_html: md.html(&m.summary),
        reason_html: md.html(&m.reason),
        date: m.date.to_string(),
        date_zh: m.date.zh(),
        isbn: m.isbn.as_deref(),
        placement: placement(ix, m.issue.as_ref(), book_section(ix, m.issue.as_ref())),
    };
    Page::new(item_dir(Kind::Book, &b.slug), "book.html", &view).from_source(&b.path)
}

/// Books are filed under their issue's 图书推荐 section when it has one (the issue page does
/// the same), so their placement names it like a ranking's names 企业排行榜.
fn book_section<'a>(ix: &'a Index, issue: Option<&IssueRef>) -> Option<&'a str> {
    let i = ix.site.issues.get(issue?)?;
    i.meta
        .sections
        .iter()
        .find(|s| s.as_str() == "图书推荐")
        .map(String::as_str)
}

fn product(ix: &Index, md: &Renderer, p: &Product) -> Page {
    let m = &p.meta;
    let view = ProductView {
        name: &m.name,
        bank: &m.bank,
        date: m.date.to_string(),
        date_zh: m.date.zh(),
        category: Link {
            name: m.category.zh().to_string(),
            url: format!("products/category/{}/", m.category.slug()),
        },
        region: m.region.as_deref().map(|r| ix.region_link(r)),
        summary_html: md.html(&m.summary),
        original_url: m.url.as_ref().map(WebUrl::as_str),
        placement: placement(ix, m.issue.as_ref(), None),
    };
    Page::new(item_dir(Kind::Product, &p.slug), "product.html", &view).from_source(&p.path)
}
