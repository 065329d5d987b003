//! One month's digest as templates see it: 本期导读 (what it covers, counts per part, picks),
//! then the parts: policies by level, rankings, books, bank products, and the articles of an
//! issue without policies. Every item is short (title, source, date, an excerpt) and links to
//! its page, where the reader goes deeper.
//!
//! The same view feeds the e-mail (absolute links) and the web archive (relative links); only
//! the Markdown renderer, which rewrites links in content, differs.

use std::collections::BTreeSet;

use serde::Serialize;

pub use super::parts::*;
use super::text::html_to_text;
use crate::markdown::Renderer;
use crate::model::*;
use crate::view::item_url;

/// At most this many entries of a ranking appear in the digest.
pub const RANKING_ENTRIES: usize = 10;
/// Picks shown in the overview when the editor's note names none.
pub const DEFAULT_PICKS: usize = 5;

#[derive(Debug, Clone, Serialize)]
pub struct DigestView {
    pub month: String,
    pub month_zh: String,
    /// The month's number alone, for the subject: `7`.
    pub month_num: u32,
    /// The web archive page, relative to the site root: `digest/2024-07/`.
    pub url: String,
    pub note: Option<NoteView>,
    /// The line shown after the subject in an inbox.
    pub preheader: String,
    /// What the month's issues cover: `2024年6月16日—7月15日`, when they say.
    pub period: Option<String>,
    /// The month's issues, each linked.
    pub issues: Vec<IssueLink>,
    /// One per part with items, in the order of the parts: `30项政策`.
    pub counts: Vec<String>,
    /// The counts joined: `30项政策、6个榜单、4本书`.
    pub counts_line: String,
    /// The name in the subject's brackets: `digest.short_name`, else the site's title.
    pub short_name: String,
    pub picks: Vec<Pick>,
    /// Whether the picks are the editor's (else the newest national policies).
    pub picks_chosen: bool,
    /// Every policy of the month, newest first (also in `policy_groups`).
    pub policies: Vec<PolicyEntry>,
    pub policy_groups: Vec<PolicyGroup>,
    pub rankings: Vec<RankingView>,
    pub books: Vec<BookEntry>,
    pub products: Option<Products>,
    pub articles: Vec<ArticleGroup>,
    pub total: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct NoteView {
    pub subject: Option<String>,
    pub html: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct IssueLink {
    pub title: String,
    pub url: String,
}

/// An item named in the overview.
#[derive(Debug, Clone, Serialize)]
pub struct Pick {
    pub kind_zh: &'static str,
    pub title: String,
    pub url: String,
    pub date_zh: String,
}

/// Every month with at least one policy, ranking, book or product, oldest first, and the
/// months of issues without policies whose articles the digest then shows.
pub fn months(site: &Site) -> BTreeSet<Month> {
    let with_policies = super::listings::PolicyIssues::of(site);
    site.policies
        .iter()
        .map(|p| p.month)
        .chain(site.rankings.iter().map(|r| r.month))
        .chain(site.books.iter().map(|b| b.month))
        .chain(site.products.iter().map(|p| p.month))
        .chain(
            site.articles
                .iter()
                .filter(|a| with_policies.lack(a.meta.issue.as_ref()))
                .map(|a| a.month),
        )
        .collect()
}

/// The issues of `month`, by reference.
fn month_issues(site: &Site, month: Month) -> Vec<&Issue> {
    site.issues
        .values()
        .filter(|i| i.meta.month == month)
        .collect()
}

/// `2024年6月16日—7月15日`: the span of the issues' periods, the second date as short as clear.
fn period(issues: &[&Issue]) -> Option<String> {
    let from = issues
        .iter()
        .filter_map(|i| i.meta.period.as_ref())
        .map(|p| p.from)
        .min()?;
    let to = issues
        .iter()
        .filter_map(|i| i.meta.period.as_ref())
        .map(|p| p.to)
        .max()?;
    let end = if from.year() != to.year() {
        to.zh()
    } else {
        let year = format!("{}年", to.year());
        to.zh().trim_start_matches(&year).to_string()
    };
    Some(format!("{}—{end}", from.zh()))
}

fn count_line(v: &DigestParts) -> Vec<String> {
    let mut c = Vec::new();
    let mut push = |n: usize, unit: &str| {
        if n > 0 {
            c.push(format!("{n}{unit}"));
        }
    };
    push(v.policies.len(), "项政策");
    push(v.rankings.len(), "个榜单");
    push(v.books.len(), "本书");
    push(v.products.as_ref().map_or(0, |p| p.total), "项金融产品");
    push(v.articles.iter().map(|a| a.total).sum(), "篇文章");
    c
}

/// The digest of `month`. Items keep the site's order: newest first, then by slug.
pub fn digest_view(site: &Site, month: Month, md: &Renderer) -> DigestView {
    let parts = DigestParts::new(site, month, md);
    let note = site.notes.get(&month);
    let issues = month_issues(site, month);
    let counts = count_line(&parts);
    let counts_line = counts.join("、");
    let total = parts.policies.len()
        + parts.rankings.len()
        + parts.books.len()
        + parts.products.as_ref().map_or(0, |p| p.total)
        + parts.articles.iter().map(|a| a.total).sum::<usize>();
    let chosen = note.map(|n| n.meta.picks.as_slice()).unwrap_or_default();
    let picks = match chosen.is_empty() {
        true => default_picks(&parts),
        false => chosen_picks(site, chosen),
    };
    let preheader =
        note.and_then(|n| n.meta.preheader.clone())
            .unwrap_or_else(|| match counts_line.is_empty() {
                true => "本月没有新的政策、排行榜或图书推荐".to_string(),
                false => format!("本期{counts_line}"),
            });
    let short_name = site
        .config
        .digest
        .as_ref()
        .and_then(|d| d.short_name.clone())
        .unwrap_or_else(|| site.config.title.clone());
    DigestView {
        month: month.to_string(),
        month_zh: month.zh(),
        month_num: month.month,
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
        period: period(&issues),
        issues: issues
            .iter()
            .map(|i| IssueLink {
                title: i.meta.title.clone(),
                url: crate::urls::href(&crate::view::issue_dir(&i.key)),
            })
            .collect(),
        counts,
        counts_line,
        short_name,
        picks_chosen: !chosen.is_empty(),
        picks,
        policy_groups: group_policies(&parts.policies),
        policies: parts.policies,
        rankings: parts.rankings,
        books: parts.books,
        products: parts.products,
        articles: parts.articles,
        total,
    }
}

/// The newest national policies, topped up with the newest others when there are fewer than
/// three; without policies, the first rankings and books.
fn default_picks(p: &DigestParts) -> Vec<Pick> {
    let mut pol: Vec<&PolicyEntry> = p.policies.iter().collect();
    // Stable: national first, each level newest first as the site orders them.
    pol.sort_by_key(|e| e.level_rank != 0);
    let national = pol.iter().filter(|e| e.level_rank == 0).count();
    let n = national.clamp(3, DEFAULT_PICKS);
    let mut v: Vec<Pick> = pol
        .into_iter()
        .take(n)
        .map(|e| Pick {
            kind_zh: "政策",
            title: e.title.clone(),
            url: e.url.clone(),
            date_zh: e.date_zh.clone(),
        })
        .collect();
    let others = p
        .rankings
        .iter()
        .map(|r| ("排行榜", &r.title, &r.url, &r.date_zh))
        .chain(
            p.books
                .iter()
                .map(|b| ("图书", &b.title, &b.url, &b.published_zh)),
        );
    for (kind_zh, title, url, date_zh) in others {
        if v.len() >= 3 {
            break;
        }
        v.push(Pick {
            kind_zh,
            title: title.clone(),
            url: url.clone(),
            date_zh: date_zh.clone(),
        });
    }
    v
}

/// The picks the editor named that exist (`check_picks` reports the others).
fn chosen_picks(site: &Site, chosen: &[String]) -> Vec<Pick> {
    chosen.iter().filter_map(|c| find_pick(site, c)).collect()
}

/// The item `policies/<slug>` (or `rankings/…`, `books/…`, `products/…`, `articles/…`).
pub fn find_pick(site: &Site, r: &str) -> Option<Pick> {
    let (dir, slug) = r.trim().trim_matches('/').split_once('/')?;
    let kind = Kind::from_dir(dir)?;
    let slug: Slug = slug.parse().ok()?;
    let url = item_url(kind, &slug);
    let pick = |title: &str, date: Date| Pick {
        kind_zh: kind.zh(),
        title: title.to_string(),
        url: url.clone(),
        date_zh: date.zh(),
    };
    macro_rules! find {
        ($v:expr, $t:ident) => {
            $v.iter()
                .find(|x| x.slug == slug)
                .map(|x| pick(&x.meta.$t, x.meta.date))
        };
    }
    match kind {
        Kind::Policy => find!(site.policies, title),
        Kind::Ranking => find!(site.rankings, title),
        Kind::Book => find!(site.books, title),
        Kind::Product => find!(site.products, name),
        Kind::Article => find!(site.articles, title),
    }
}

/// The directory of a month's web page: `digest/2024-07/`.
pub fn digest_dir(month: Month) -> String {
    format!("digest/{month}/")
}
