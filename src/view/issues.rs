//! Issue pages: one per issue (masthead and table of contents) and the index of all issues.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;

use super::cards::*;
use super::{Index, Select, Slot};
use crate::model::*;
use crate::urls::href;

#[derive(Debug, Clone, Serialize, Hash)]
pub struct TocSection {
    pub name: String,
    pub cards: Vec<Arc<Card>>,
}

/// An issue as its page and the home page show it: masthead and table of contents.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct IssueView {
    pub url: String,
    pub series: String,
    pub title: String,
    /// The title, after the series' name unless the title names it (see [`issue_name`]).
    pub name: String,
    pub month: String,
    pub month_zh: String,
    pub number: String,
    pub total_number: Option<String>,
    pub period_zh: Option<String>,
    pub publisher: Option<String>,
    pub editors: Vec<String>,
    pub toc: Vec<TocSection>,
    pub item_count: usize,
    /// How many items of each kind the issue holds, each with its measure word.
    pub counts: Vec<KindCount>,
}

#[derive(Debug, Serialize, Hash)]
struct SeriesGroup {
    name: String,
    years: Vec<YearGroup>,
}

#[derive(Debug, Serialize, Hash)]
struct YearGroup {
    year: i32,
    issues: Vec<IssueView>,
}

/// Each issue's items, oldest first within each kind, kinds in the order articles, policies,
/// rankings, books, products; with the section each is filed under.
pub type Members<'a> = HashMap<&'a IssueRef, Vec<(Kind, Option<&'a str>, &'a Slug)>>;

/// [`Members`] of every issue, in one pass over the items.
pub fn issue_members(site: &Site) -> Members<'_> {
    fn add<'a>(
        m: &mut Members<'a>,
        issue: Option<&'a IssueRef>,
        kind: Kind,
        section: Option<&'a str>,
        slug: &'a Slug,
    ) {
        if let Some(i) = issue {
            m.entry(i).or_default().push((kind, section, slug));
        }
    }
    let mut m: Members = HashMap::new();
    // Within a section, oldest first, as a printed bulletin runs.
    for a in site.articles.iter().rev() {
        let s = a.meta.section.as_deref();
        add(&mut m, a.meta.issue.as_ref(), Kind::Article, s, &a.slug);
    }
    for p in site.policies.iter().rev() {
        let s = p.meta.section.as_deref();
        add(&mut m, p.meta.issue.as_ref(), Kind::Policy, s, &p.slug);
    }
    for r in site.rankings.iter().rev() {
        let s = r.meta.section.as_deref();
        add(&mut m, r.meta.issue.as_ref(), Kind::Ranking, s, &r.slug);
    }
    for b in site.books.iter().rev() {
        add(
            &mut m,
            b.meta.issue.as_ref(),
            Kind::Book,
            Some("图书推荐"),
            &b.slug,
        );
    }
    for p in site.products.iter().rev() {
        add(&mut m, p.meta.issue.as_ref(), Kind::Product, None, &p.slug);
    }
    m
}

/// Cards of every item of an issue, grouped by the issue's sections in order; items without a
/// section follow, grouped by kind.
pub fn issue_view(ix: &Index, issue: &Issue, members: &Members) -> IssueView {
    let mut by_section: BTreeMap<String, Vec<Arc<Card>>> = BTreeMap::new();
    let mut rest: BTreeMap<Kind, Vec<Arc<Card>>> = BTreeMap::new();
    let has = |s: &str| issue.meta.sections.iter().any(|x| x == s);
    for (kind, section, slug) in members.get(&issue.key).into_iter().flatten() {
        let card = ix.card(*kind, slug);
        match section {
            Some(s) if has(s) => by_section.entry(s.to_string()).or_default().push(card),
            _ => rest.entry(*kind).or_default().push(card),
        }
    }
    let mut toc: Vec<TocSection> = issue
        .meta
        .sections
        .iter()
        .map(|s| TocSection {
            name: s.clone(),
            cards: by_section.remove(s).unwrap_or_default(),
        })
        .collect();
    toc.extend(rest.into_iter().map(|(k, cards)| TocSection {
        name: k.zh().to_string(),
        cards,
    }));
    let item_count = toc.iter().map(|s| s.cards.len()).sum();
    let mut per_kind = [0usize; 5];
    for (kind, _, _) in members.get(&issue.key).into_iter().flatten() {
        per_kind[*kind as usize] += 1;
    }
    let counts = [
        Kind::Article,
        Kind::Policy,
        Kind::Ranking,
        Kind::Book,
        Kind::Product,
    ]
    .into_iter()
    .filter(|k| per_kind[*k as usize] > 0)
    .map(|k| KindCount::new(k, per_kind[k as usize]))
    .collect();
    let m = &issue.meta;
    IssueView {
        url: href(&issue_dir(&issue.key)),
        series: m.series.clone(),
        title: m.title.clone(),
        name: issue_name(&m.series, &m.title),
        month: m.month.to_string(),
        month_zh: m.month.zh(),
        number: m.number.to_string(),
        total_number: m.total_number.as_ref().map(ToString::to_string),
        period_zh: m
            .period
            .as_ref()
            .map(|p| format!("{} 至 {}", p.from.zh(), p.to.zh())),
        publisher: m.publisher.clone(),
        editors: m.editors.clone(),
        toc,
        item_count,
        counts,
    }
}

/// Issues newest first (by month, then series and id).
pub fn issues_newest_first(site: &Site) -> Vec<&Issue> {
    let mut v: Vec<&Issue> = site.issues.values().collect();
    v.sort_by(|a, b| {
        b.meta
            .month
            .cmp(&a.meta.month)
            .then_with(|| a.key.cmp(&b.key))
    });
    v
}

pub fn issue_pages(ix: &Index, sel: &Select) -> Vec<Slot> {
    let site = ix.site;
    let members = issue_members(site);
    let mut pages = Vec::new();
    let mut groups: BTreeMap<&str, BTreeMap<i32, Vec<IssueView>>> = BTreeMap::new();
    for issue in issues_newest_first(site) {
        let view = issue_view(ix, issue, &members);
        let mut slot = sel.view(issue_dir(&issue.key), "issue.html", &view);
        slot.page = slot.page.map(|p| p.from_source(&issue.path));
        pages.push(slot);
        groups
            .entry(issue.meta.series.as_str())
            .or_default()
            .entry(issue.meta.month.year)
            .or_default()
            .push(IssueView {
                toc: Vec::new(),
                ..view
            });
    }
    let series: Vec<SeriesGroup> = groups
        .into_iter()
        .map(|(name, years)| SeriesGroup {
            name: name.to_string(),
            years: years
                .into_iter()
                .rev()
                .map(|(year, issues)| YearGroup { year, issues })
                .collect(),
        })
        .collect();
    #[derive(Serialize, Hash)]
    struct IssuesIndex {
        title: &'static str,
        series: Vec<SeriesGroup>,
    }
    let view = IssuesIndex {
        title: "期刊",
        series,
    };
    pages.push(sel.view("issues/".into(), "issues.html", &view));
    pages
}
