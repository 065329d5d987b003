//! One month's digest as templates see it: the editor's note, then 本月政策, 排行榜 and 图书推荐.
//!
//! The same view feeds the e-mail (absolute links) and the web archive (relative links); only
//! the Markdown renderer, which rewrites links in content, differs.

use std::collections::BTreeSet;

use serde::Serialize;

use super::text::html_to_text;
use crate::markdown::Renderer;
use crate::model::*;
use crate::view::item_url;

/// At most this many entries of a ranking appear in the digest.
pub const RANKING_ENTRIES: usize = 10;

#[derive(Debug, Clone, Serialize)]
pub struct DigestView {
    pub month: String,
    pub month_zh: String,
    /// The web archive page, relative to the site root: `digest/2024-07/`.
    pub url: String,
    pub note: Option<NoteView>,
    /// The line shown after the subject in an inbox.
    pub preheader: String,
    pub policies: Vec<PolicyEntry>,
    pub rankings: Vec<RankingView>,
    pub books: Vec<BookEntry>,
    pub total: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct NoteView {
    pub subject: Option<String>,
    pub html: String,
    pub text: String,
}

/// A Markdown field rendered for both parts of the e-mail.
#[derive(Debug, Clone, Serialize)]
pub struct Rich {
    pub html: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PolicyEntry {
    pub title: String,
    /// Relative to the site root, like every `url` here.
    pub url: String,
    pub issuers: String,
    pub doc_number: Option<String>,
    pub date: String,
    pub date_zh: String,
    pub level: String,
    pub region: Option<String>,
    pub summary: Rich,
}

#[derive(Debug, Clone, Serialize)]
pub struct RankingView {
    pub title: String,
    pub url: String,
    pub publisher: String,
    pub date_zh: String,
    pub summary: Rich,
    pub value_label: Option<String>,
    pub has_values: bool,
    pub has_notes: bool,
    pub complete: bool,
    /// The first entries, at most [`RANKING_ENTRIES`].
    pub entries: Vec<RankingEntry>,
    /// How many more the full ranking has.
    pub more: usize,
    pub original_url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BookEntry {
    pub title: String,
    pub url: String,
    pub authors: String,
    pub publisher: String,
    pub published_zh: String,
    pub summary: Rich,
    pub reason: Rich,
}

/// Every month with at least one policy, ranking or book, oldest first.
pub fn months(site: &Site) -> BTreeSet<Month> {
    site.policies
        .iter()
        .map(|p| p.month)
        .chain(site.rankings.iter().map(|r| r.month))
        .chain(site.books.iter().map(|b| b.month))
        .collect()
}

fn rich(md: &Renderer, text: &str) -> Rich {
    let html = md.html(text);
    Rich {
        text: html_to_text(&html),
        html,
    }
}

/// The digest of `month`. Items keep the site's order: newest first, then by slug.
pub fn digest_view(site: &Site, month: Month, md: &Renderer) -> DigestView {
    let policies: Vec<PolicyEntry> = site
        .policies
        .iter()
        .filter(|p| p.month == month)
        .map(|p| {
            let m = &p.meta;
            PolicyEntry {
                title: m.title.clone(),
                url: item_url(Kind::Policy, &p.slug),
                issuers: m.issuers.join("、"),
                doc_number: m.doc_number.clone(),
                date: m.date.to_string(),
                date_zh: m.date.zh(),
                level: m.level.zh().to_string(),
                region: m.region.clone(),
                summary: rich(md, &m.summary),
            }
        })
        .collect();
    let rankings: Vec<RankingView> = site
        .rankings
        .iter()
        .filter(|r| r.month == month)
        .map(|r| {
            let m = &r.meta;
            let entries: Vec<RankingEntry> =
                m.entries.iter().take(RANKING_ENTRIES).cloned().collect();
            RankingView {
                title: m.title.clone(),
                url: item_url(Kind::Ranking, &r.slug),
                publisher: m.publisher.clone(),
                date_zh: m.date.zh(),
                summary: rich(md, &m.summary),
                value_label: m.value_label.clone(),
                has_values: entries.iter().any(|e| e.value.is_some()),
                has_notes: entries.iter().any(|e| e.note.is_some()),
                complete: m.complete,
                more: m.entries.len() - entries.len(),
                entries,
                original_url: m.url.as_ref().map(|u| u.as_str().to_string()),
            }
        })
        .collect();
    let books: Vec<BookEntry> = site
        .books
        .iter()
        .filter(|b| b.month == month)
        .map(|b| {
            let m = &b.meta;
            BookEntry {
                title: m.title.clone(),
                url: item_url(Kind::Book, &b.slug),
                authors: m.authors.join("、"),
                publisher: m.publisher.clone(),
                published_zh: m.published.zh(),
                summary: rich(md, &m.summary),
                reason: rich(md, &m.reason),
            }
        })
        .collect();
    let note = site.notes.get(&month);
    let total = policies.len() + rankings.len() + books.len();
    let preheader = note
        .and_then(|n| n.meta.preheader.clone())
        .unwrap_or_else(|| default_preheader(&policies, &rankings, &books));
    DigestView {
        month: month.to_string(),
        month_zh: month.zh(),
        url: crate::urls::href(&digest_dir(month)),
        note: note.map(|n| {
            let html = md.html(&n.body);
            NoteView {
                subject: n.meta.subject.clone(),
                text: html_to_text(&html),
                html,
            }
        }),
        preheader,
        policies,
        rankings,
        books,
        total,
    }
}

/// The directory of a month's web page: `digest/2024-07/`.
pub fn digest_dir(month: Month) -> String {
    format!("digest/{month}/")
}

fn default_preheader(p: &[PolicyEntry], r: &[RankingView], b: &[BookEntry]) -> String {
    let mut parts = Vec::new();
    if !p.is_empty() {
        parts.push(format!("{}项政策", p.len()));
    }
    if !r.is_empty() {
        parts.push(format!("{}个排行榜", r.len()));
    }
    if !b.is_empty() {
        parts.push(format!("{}本图书推荐", b.len()));
    }
    if parts.is_empty() {
        "本月没有新的政策、排行榜或图书推荐".to_string()
    } else {
        format!("本月{}", parts.join("、"))
    }
}
