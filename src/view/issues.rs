//! Issue pages: one per issue (masthead and table of contents) and the index of all issues.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use serde::Serialize;

use super::cards::*;
use super::{Index, Select, Slot};
use crate::contents::Printed;
use crate::model::*;
use crate::urls::href;

/// One line of an issue's contents: the item, its printed page, and the policies it reports
/// (shown under it rather than as lines of their own).
#[derive(Debug, Clone, Serialize, Hash)]
pub struct TocEntry {
    pub card: Arc<Card>,
    pub page: Option<u32>,
    /// Whether to show the kind: not when the section's heading already says it.
    pub badge: bool,
    pub policies: Vec<Arc<Card>>,
}

#[derive(Debug, Clone, Serialize, Hash)]
pub struct TocSection {
    pub name: String,
    pub entries: Vec<TocEntry>,
}

/// An issue's masthead as the issue page, the home page and the print view show it. Its
/// fields are the view's own in templates (`issue.number`), flattened.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct Masthead {
    pub series: String,
    pub title: String,
    pub month: String,
    pub month_zh: String,
    pub number: String,
    pub total_number: Option<String>,
    pub period_zh: Option<String>,
    pub publisher: Option<String>,
    pub editors: Vec<String>,
}

impl Masthead {
    pub fn of(m: &IssueMeta) -> Masthead {
        Masthead {
            series: m.series.clone(),
            title: m.title.clone(),
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
        }
    }
}

/// An issue as its page and the home page show it: masthead and table of contents.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct IssueView {
    pub url: String,
    #[serde(flatten)]
    pub masthead: Masthead,
    /// The title, after the series' name unless the title names it (see [`issue_name`]).
    pub name: String,
    pub toc: Vec<TocSection>,
    pub item_count: usize,
    /// The previous and next issue of the same series, by month.
    pub prev: Option<Link>,
    pub next: Option<Link>,
    /// That month's digest, when the site has one.
    pub digest: Option<Link>,
    pub print_url: String,
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

/// An item of an issue: its kind, the section its file names, its slug and (articles) the
/// policies it reports.
#[derive(Debug, Clone, Copy)]
pub struct Member<'a> {
    pub kind: Kind,
    pub section: Option<&'a str>,
    pub slug: &'a Slug,
    pub policies: &'a [Slug],
}

/// Each issue's items, oldest first within each kind, kinds in the order articles, policies,
/// rankings, books, products.
pub type Members<'a> = HashMap<&'a IssueRef, Vec<Member<'a>>>;

/// [`Members`] of every issue, in one pass over the items.
pub fn issue_members<'a>(site: &'a Site) -> Members<'a> {
    let mut m: Members = HashMap::new();
    let mut add = |issue: Option<&'a IssueRef>, member: Member<'a>| {
        if let Some(i) = issue {
            m.entry(i).or_default().push(member);
        }
    };
    let none: &[Slug] = &[];
    for a in site.articles.iter().rev() {
        let section = a.meta.section.as_deref();
        let policies = a.meta.policies.as_slice();
        add(
            a.meta.issue.as_ref(),
            Member {
                kind: Kind::Article,
                section,
                slug: &a.slug,
                policies,
            },
        );
    }
    for p in site.policies.iter().rev() {
        let section = p.meta.section.as_deref();
        add(
            p.meta.issue.as_ref(),
            Member {
                kind: Kind::Policy,
                section,
                slug: &p.slug,
                policies: none,
            },
        );
    }
    for r in site.rankings.iter().rev() {
        let section = r.meta.section.as_deref();
        add(
            r.meta.issue.as_ref(),
            Member {
                kind: Kind::Ranking,
                section,
                slug: &r.slug,
                policies: none,
            },
        );
    }
    for b in site.books.iter().rev() {
        let section = Some("图书推荐");
        add(
            b.meta.issue.as_ref(),
            Member {
                kind: Kind::Book,
                section,
                slug: &b.slug,
                policies: none,
            },
        );
    }
    for p in site.products.iter().rev() {
        add(
            p.meta.issue.as_ref(),
            Member {
                kind: Kind::Product,
                section: None,
                slug: &p.slug,
                policies: none,
            },
        );
    }
    m
}

/// An issue's items in printed order, by section: the issue's sections in order, each with
/// the items the contents list under it in the contents' order, then those it does not list
/// (oldest first); items outside every section follow, grouped by kind. A policy that an
/// article of the issue reports is shown under that article, not on its own.
pub fn printed_order<'a>(
    issue: &'a Issue,
    members: &[Member<'a>],
) -> Vec<(String, Vec<Member<'a>>)> {
    let printed = Printed::new(issue);
    let nested: HashSet<&Slug> = members
        .iter()
        .filter(|m| m.kind == Kind::Article)
        .flat_map(|m| m.policies)
        .collect();
    let has = |s: &str| issue.meta.sections.iter().any(|x| x == s);
    let mut by_section: HashMap<&str, Vec<Member>> = HashMap::new();
    let mut rest: BTreeMap<Kind, Vec<Member>> = BTreeMap::new();
    for m in members {
        if m.kind == Kind::Policy && nested.contains(m.slug) {
            continue;
        }
        match m.section.or_else(|| printed.section(m.kind, m.slug)) {
            Some(s) if has(s) => by_section.entry(s).or_default().push(*m),
            _ => rest.entry(m.kind).or_default().push(*m),
        }
    }
    // Stable: items the contents do not list keep their order, after those it lists.
    let unlisted = usize::MAX;
    let mut out: Vec<(String, Vec<Member>)> = Vec::new();
    for s in &issue.meta.sections {
        let mut v = by_section.remove(s.as_str()).unwrap_or_default();
        v.sort_by_key(|m| printed.position(m.kind, m.slug).unwrap_or(unlisted));
        out.push((s.clone(), v));
    }
    for (k, mut v) in rest {
        v.sort_by_key(|m| printed.position(m.kind, m.slug).unwrap_or(unlisted));
        out.push((k.zh().to_string(), v));
    }
    out
}

/// Cards of every item of an issue in printed order (see [`printed_order`]).
pub fn issue_view(ix: &Index, issue: &Issue, members: &Members) -> IssueView {
    let printed = Printed::new(issue);
    let own = members.get(&issue.key).map_or(&[][..], Vec::as_slice);
    let toc: Vec<TocSection> = printed_order(issue, own)
        .into_iter()
        .map(|(name, ms)| TocSection {
            entries: ms
                .iter()
                .map(|m| TocEntry {
                    card: ix.card(m.kind, m.slug),
                    page: printed.page(m.kind, m.slug),
                    badge: m.kind != Kind::Article && !name.contains(m.kind.zh()),
                    policies: m
                        .policies
                        .iter()
                        .filter_map(|s| ix.cards.get(Kind::Policy, s).cloned())
                        .collect(),
                })
                .collect(),
            name,
        })
        .collect();
    let item_count = own.len();
    let mut per_kind = [0usize; 5];
    for m in own {
        per_kind[m.kind as usize] += 1;
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
    let dir = issue_dir(&issue.key);
    IssueView {
        url: href(&dir),
        masthead: Masthead::of(m),
        name: issue_name(&m.series, &m.title),
        toc,
        item_count,
        prev: None,
        next: None,
        digest: None,
        print_url: href(&format!("{dir}print/")),
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

/// The issues of the same series just before and after `issue` by month (`newest` is
/// newest first).
fn neighbours<'a>(newest: &[&'a Issue], issue: &Issue) -> (Option<&'a Issue>, Option<&'a Issue>) {
    let same: Vec<&Issue> = newest
        .iter()
        .copied()
        .filter(|i| i.key.series == issue.key.series)
        .collect();
    let Some(at) = same.iter().position(|i| i.key == issue.key) else {
        return (None, None);
    };
    let prev = same.get(at + 1).copied();
    let next = at.checked_sub(1).and_then(|j| same.get(j).copied());
    (prev, next)
}

pub fn issue_pages(ix: &Index, sel: &Select) -> Vec<Slot> {
    let site = ix.site;
    let members = issue_members(site);
    let mut pages = Vec::new();
    let mut groups: BTreeMap<&str, BTreeMap<i32, Vec<IssueView>>> = BTreeMap::new();
    let digests = crate::view::month::view::months(site);
    let newest = issues_newest_first(site);
    for issue in &newest {
        let mut view = issue_view(ix, issue, &members);
        let (prev, next) = neighbours(&newest, issue);
        let link = |i: &Issue| Link {
            name: i.meta.title.clone(),
            url: href(&issue_dir(&i.key)),
        };
        view.prev = prev.map(link);
        view.next = next.map(link);
        view.digest = digests.contains(&issue.meta.month).then(|| Link {
            name: format!("{}摘要", issue.meta.month.zh()),
            url: href(&crate::view::month::view::digest_dir(issue.meta.month)),
        });
        let mut slot = sel.view(issue_dir(&issue.key), "issue.html", &view);
        slot.page = slot.page.map(|p| p.from_source(&issue.path));
        pages.push(slot);
        let own = members.get(&issue.key).map_or(&[][..], Vec::as_slice);
        pages.push(super::print::print_page(ix, sel, issue, own));
        groups
            .entry(issue.meta.series.as_str())
            .or_default()
            .entry(issue.meta.month.year)
            .or_default()
            .push(IssueView {
                toc: Vec::new(),
                prev: None,
                next: None,
                digest: None,
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
