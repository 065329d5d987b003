//! The parts of a month's digest, each item cut to what a reader scans: policies (grouped by
//! level), rankings (ten entries, ties named) and books; bank products and articles are
//! [`super::listings`].

use std::collections::BTreeMap;

use serde::Serialize;

pub use super::listings::*;
use super::text::{excerpt, html_to_text, plain};
use super::view::RANKING_ENTRIES;
use crate::markdown::Renderer;
use crate::model::*;
use crate::view::item_url;

/// Characters of an item's excerpt at most.
pub const EXCERPT: usize = 80;
/// Lines an item may take on a phone (375 px) up to its 阅读全文 link, and how many Chinese
/// characters a line of its title, byline and excerpt holds there: an item with a long title or
/// byline gets a shorter excerpt, so that every item reads at a glance.
const PHONE_LINES: usize = 6;
const TITLE_CHARS: usize = 20;
const META_CHARS: usize = 25;
const TEXT_CHARS: usize = 23;
/// The link 阅读全文 after the excerpt, in characters.
const MORE_CHARS: usize = 5;
/// Issuers named before `等N部门`.
const ISSUERS_SHOWN: usize = 3;
/// Up to this many policies a month, every one gets its excerpt; beyond it, each level shows
/// its newest [`FULL_PER_LEVEL`] with excerpts and lists the rest by title.
pub const ALL_FULL: usize = 30;
pub const FULL_PER_LEVEL: usize = 10;
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
    /// 0 for 国家 to 3 for 区县: the order of the groups.
    pub level_rank: u8,
    /// Left out when it only repeats the issuers.
    pub region: Option<String>,
    pub summary: Rich,
    /// About [`EXCERPT`] characters of the summary, plain text.
    pub excerpt: String,
}

/// The policies of one level.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyGroup {
    pub level: String,
    pub count: usize,
    /// Shown with their excerpts.
    pub items: Vec<PolicyEntry>,
    /// Shown by title and date only.
    pub brief: Vec<PolicyEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RankingView {
    pub title: String,
    pub url: String,
    pub publisher: String,
    pub date_zh: String,
    pub summary: Rich,
    pub excerpt: String,
    pub value_label: Option<String>,
    pub has_values: bool,
    pub has_notes: bool,
    pub complete: bool,
    /// The first entries, at most [`RANKING_ENTRIES`].
    pub entries: Vec<RankingEntry>,
    /// How many more the full ranking has.
    pub more: usize,
    /// Of those, the ones tied with the last entry shown: `并列第十：货拉拉`.
    pub tied: Option<String>,
    /// How many of the hidden ones tie with the last shown.
    pub tied_count: usize,
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
    pub excerpt: String,
    pub reason_excerpt: String,
}

/// Every part of one month.
pub struct DigestParts {
    pub policies: Vec<PolicyEntry>,
    pub rankings: Vec<RankingView>,
    pub books: Vec<BookEntry>,
    pub products: Option<Products>,
    pub articles: Vec<ArticleGroup>,
}

fn rich(md: &Renderer, text: &str) -> Rich {
    let html = md.html(text);
    Rich {
        text: html_to_text(&html),
        html,
    }
}

impl DigestParts {
    pub fn new(site: &Site, month: Month, md: &Renderer) -> DigestParts {
        DigestParts {
            policies: site
                .policies
                .iter()
                .filter(|p| p.month == month)
                .map(|p| policy(p, md))
                .collect(),
            rankings: site
                .rankings
                .iter()
                .filter(|r| r.month == month)
                .map(|r| ranking(r, md))
                .collect(),
            books: site
                .books
                .iter()
                .filter(|b| b.month == month)
                .map(|b| book(b, md))
                .collect(),
            products: super::listings::products(site, month),
            articles: super::listings::articles(site, month),
        }
    }
}

/// Lines `s` takes where a line holds `per_line` Chinese characters (Latin letters: half one).
fn phone_lines(s: &str, per_line: usize) -> usize {
    use unicode_width::UnicodeWidthStr;
    s.width().div_ceil(2 * per_line).max(1)
}

/// The excerpt's length for an item whose title and byline are these.
fn excerpt_len(title: &str, meta: &str) -> usize {
    let used = phone_lines(title, TITLE_CHARS) + phone_lines(meta, META_CHARS);
    let lines = PHONE_LINES.saturating_sub(used).max(1);
    (lines * TEXT_CHARS)
        .saturating_sub(MORE_CHARS)
        .clamp(TEXT_CHARS - MORE_CHARS, EXCERPT)
}

/// `甲、乙、丙等6部门` when there are more than [`ISSUERS_SHOWN`].
fn issuers_line(all: &[String]) -> String {
    match all.len() > ISSUERS_SHOWN {
        true => format!("{}等{}部门", all[..ISSUERS_SHOWN].join("、"), all.len()),
        false => all.join("、"),
    }
}

fn policy(p: &Policy, md: &Renderer) -> PolicyEntry {
    let m = &p.meta;
    let summary = rich(md, &m.summary);
    // A source that names no issuing body: the region says whose policy it is.
    let issuers = match m.issuers.is_empty() {
        true => m.region.clone().unwrap_or_default(),
        false => issuers_line(&m.issuers),
    };
    let region = m.region.clone().filter(|r| *r != issuers);
    let meta = format!(
        "{issuers}{} · {} · {}{}",
        m.doc_number
            .as_deref()
            .map(|d| format!("　{d}"))
            .unwrap_or_default(),
        m.date.zh(),
        m.level.zh(),
        region
            .as_deref()
            .map(|r| format!(" · {r}"))
            .unwrap_or_default()
    );
    let max = excerpt_len(&m.title, &meta);
    let title = match crate::view::policy_flag(p) {
        Some(f) => format!("{}（{f}）", m.title),
        None => m.title.clone(),
    };
    PolicyEntry {
        title,
        url: item_url(Kind::Policy, &p.slug),
        doc_number: m.doc_number.clone(),
        date: m.date.to_string(),
        date_zh: m.date.zh(),
        level: m.level.zh().to_string(),
        level_rank: m.level as u8,
        region,
        issuers,
        excerpt: excerpt(&plain(&summary.html), max),
        summary,
    }
}

/// Groups by level, 国家 → 省级 → 市级 → 区县, each newest first.
pub fn group_policies(all: &[PolicyEntry]) -> Vec<PolicyGroup> {
    let mut by: BTreeMap<u8, Vec<PolicyEntry>> = BTreeMap::new();
    for p in all {
        by.entry(p.level_rank).or_default().push(p.clone());
    }
    let many = all.len() > ALL_FULL;
    by.into_values()
        .map(|mut items| {
            let brief = match many && items.len() > FULL_PER_LEVEL {
                true => items.split_off(FULL_PER_LEVEL),
                false => Vec::new(),
            };
            PolicyGroup {
                level: items[0].level.clone(),
                count: items.len() + brief.len(),
                items,
                brief,
            }
        })
        .collect()
}

/// 1 → 一, 10 → 十, 23 → 二十三: ranks as a reader says them.
pub fn zh_number(n: u32) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n as usize].to_string(),
        10..=19 => format!("十{}", if n > 10 { D[n as usize - 10] } else { "" }),
        20..=99 => format!(
            "{}十{}",
            D[n as usize / 10],
            if n % 10 > 0 { D[n as usize % 10] } else { "" }
        ),
        _ => n.to_string(),
    }
}

fn ranking(r: &Ranking, md: &Renderer) -> RankingView {
    let m = &r.meta;
    let entries: Vec<RankingEntry> = m.entries.iter().take(RANKING_ENTRIES).cloned().collect();
    let hidden = &m.entries[entries.len()..];
    let last = entries.last().map(|e| e.rank);
    let tied: Vec<&str> = hidden
        .iter()
        .filter(|e| Some(e.rank) == last)
        .map(|e| e.name.as_str())
        .collect();
    let summary = rich(md, &m.summary);
    RankingView {
        title: m.title.clone(),
        url: item_url(Kind::Ranking, &r.slug),
        publisher: m.publisher.clone(),
        date_zh: m.date.zh(),
        excerpt: excerpt(&plain(&summary.html), EXCERPT),
        summary,
        value_label: m.value_label.clone(),
        has_values: entries.iter().any(|e| e.value.is_some()),
        has_notes: entries.iter().any(|e| e.note.is_some()),
        complete: m.complete,
        more: hidden.len(),
        tied_count: tied.len(),
        tied: match (last, tied.is_empty()) {
            (Some(rank), false) => Some(format!("并列第{}：{}", zh_number(rank), tied.join("、"))),
            _ => None,
        },
        entries,
        original_url: m.url.as_ref().map(|u| u.as_str().to_string()),
    }
}

fn book(b: &Book, md: &Renderer) -> BookEntry {
    let m = &b.meta;
    let summary = rich(md, &m.summary);
    let reason = rich(md, &m.reason);
    let meta = format!(
        "{} · {} · {}",
        m.authors.join("、"),
        m.publisher,
        m.published.zh()
    );
    let max = excerpt_len(&format!("《{}》", m.title), &meta);
    BookEntry {
        title: m.title.clone(),
        url: item_url(Kind::Book, &b.slug),
        authors: m.authors.join("、"),
        publisher: m.publisher.clone(),
        published_zh: m.published.zh(),
        excerpt: excerpt(&plain(&summary.html), max),
        reason_excerpt: excerpt(&plain(&reason.html), EXCERPT / 2),
        summary,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::zh_number;

    #[test]
    fn chinese_numbers() {
        let got: Vec<String> = [1, 10, 11, 20, 23, 100].map(zh_number).into();
        assert_eq!(got, ["一", "十", "十一", "二十", "二十三", "100"]);
    }
}
