//! Validation: turns what was loaded into a [`Site`] once every cross reference resolves.
//!
//! Checks here span files: unique slugs, `issue:` naming an existing issue file, `section:`
//! naming one of that issue's sections, `policies:` naming existing policies, and every
//! issuer and region resolving through the vocabularies ([`names`]).

mod names;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::diag::{did_you_mean, Diagnostic, Diagnostics};
use crate::load::{Loaded, ParseCache, Parsed};
use crate::model::*;
use crate::yaml::{locate_key, locate_path, locate_value};

/// Loads and validates the site under `root` (the folder holding `content/`): every error of
/// both stages at once.
pub fn load_site(root: &Path) -> Result<Site, Diagnostics> {
    load_site_with(root, None)
}

/// [`load_site`], taking unchanged item files from `cache` and adding those it parses.
pub fn load_site_with(root: &Path, cache: Option<&ParseCache>) -> Result<Site, Diagnostics> {
    let (loaded, mut diags) = crate::load::read_all_with(root, cache);
    match validate(loaded) {
        Ok(site) if diags.is_empty() => Ok(site),
        Ok(_) => Err(diags.sorted()),
        Err(more) => {
            diags.extend(more);
            Err(diags.sorted())
        }
    }
}

pub fn validate(loaded: Loaded) -> Result<Site, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut issues = BTreeMap::new();
    let mut texts = Vec::new();
    for (issue, text) in loaded.issues {
        check_sections(&issue, &text, &mut diags);
        texts.push((issue.key.clone(), text));
        issues.insert(issue.key.clone(), issue);
    }
    let policies: BTreeSet<Slug> = loaded.policies.iter().map(|p| p.slug.clone()).collect();
    let known = Known {
        issues: &issues,
        policies: &policies,
        vocab: &loaded.vocab,
    };
    let failed = Failed {
        issues: &loaded.failed_issues,
        policies: &loaded.failed_policies,
        series: &loaded.failed_series,
    };
    let articles = finish(loaded.articles, &known, &failed, &mut diags);
    let policies = finish(loaded.policies, &known, &failed, &mut diags);
    let rankings = finish(loaded.rankings, &known, &failed, &mut diags);
    let books = finish(loaded.books, &known, &failed, &mut diags);
    let products = finish(loaded.products, &known, &failed, &mut diags);
    let mut filed = crate::contents::Filed::new();
    add_filed(&mut filed, Kind::Article, &articles);
    add_filed(&mut filed, Kind::Policy, &policies);
    add_filed(&mut filed, Kind::Ranking, &rankings);
    add_filed(&mut filed, Kind::Book, &books);
    add_filed(&mut filed, Kind::Product, &products);
    let failed_items = loaded.failed_items.iter().map(|(k, s)| (*k, s)).collect();
    for (key, text) in &texts {
        if let Some(issue) = issues.get(key) {
            crate::contents::check(issue, text, &filed, &failed_items, &mut diags);
        }
    }
    drop(filed);

    let Some(config) = loaded.config else {
        return Err(diags);
    };
    diags.into_result(Site {
        config,
        issues,
        articles,
        policies,
        rankings,
        books,
        products,
        notes: loaded.notes.into_iter().map(|n| (n.month, n)).collect(),
        vocab: std::sync::Arc::new(loaded.vocab),
    })
}

/// Records where each item is filed, for the check of the issues' contents.
fn add_filed<'a, M: Refs>(
    filed: &mut crate::contents::Filed<'a>,
    kind: Kind,
    items: &'a [Item<M>],
) {
    for i in items {
        filed.insert((kind, &i.slug), (i.meta.issue_ref(), i.meta.section_name()));
    }
}

/// What an item's references may name: the issues, and the slugs of the policies.
pub struct Known<'a> {
    pub issues: &'a BTreeMap<IssueRef, Issue>,
    pub policies: &'a BTreeSet<Slug>,
    /// What issuer and region names resolve to.
    pub vocab: &'a Vocab,
}

/// Files that exist but did not load: their own errors are reported, so a reference to one is
/// not an error too (one broken issue file would otherwise bury its cause under every item).
pub struct Failed<'a> {
    pub issues: &'a BTreeSet<IssueRef>,
    pub policies: &'a BTreeSet<Slug>,
    pub series: &'a BTreeSet<Slug>,
}

fn check_sections(issue: &Issue, text: &str, diags: &mut Diagnostics) {
    let mut seen = HashMap::new();
    for (i, s) in issue.meta.sections.iter().enumerate() {
        if seen.insert(s.as_str(), ()).is_some() {
            // The second one: searching for the text would find the first.
            let (line, col) = locate_path(text, &["sections", &i.to_string()], 1)
                .or_else(|| locate_value(text, "sections", s, 1))
                .unwrap_or((1, 1));
            diags.push(
                Diagnostic::new(&issue.path, format!("section `{s}` is listed twice"))
                    .at(text, line, col)
                    .with_hint("each section name appears once in `sections`"),
            );
        }
    }
}

/// What every kind needs checked: a unique slug and an issue/section that exist (and, for
/// articles, policies that exist).
pub trait Refs {
    fn issue_ref(&self) -> Option<&IssueRef>;
    fn section_name(&self) -> Option<&str>;
    fn date(&self) -> Date;
    fn policies(&self) -> &[Slug];
    /// What the item is, in messages (`policy`).
    fn what(&self) -> &'static str;
    /// Its names the vocabularies govern.
    fn names_mut(&mut self) -> names::NamesMut<'_>;
}

macro_rules! refs {
    ($meta:ty, $what:literal, $section:expr, $policies:expr, $names:expr) => {
        impl Refs for $meta {
            fn what(&self) -> &'static str {
                $what
            }
            fn names_mut(&mut self) -> names::NamesMut<'_> {
                let f: fn(&mut $meta) -> names::NamesMut<'_> = $names;
                f(self)
            }
            fn policies(&self) -> &[Slug] {
                let f: fn(&$meta) -> &[Slug] = $policies;
                f(self)
            }
            fn issue_ref(&self) -> Option<&IssueRef> {
                self.issue.as_ref()
            }
            fn section_name(&self) -> Option<&str> {
                let f: fn(&$meta) -> Option<&str> = $section;
                f(self)
            }
            fn date(&self) -> Date {
                self.date
            }
        }
    };
}
refs!(
    ArticleMeta,
    "article",
    |m| m.section.as_deref(),
    |m| &m.policies,
    |m| names::NamesMut {
        regions: Some(&mut m.regions),
        ..Default::default()
    }
);
refs!(
    PolicyMeta,
    "policy",
    |m| m.section.as_deref(),
    |_| &[],
    |m| names::NamesMut {
        issuers: Some(&mut m.issuers),
        region: m.region.as_mut(),
        regions: None,
    }
);
refs!(
    RankingMeta,
    "ranking",
    |m| m.section.as_deref(),
    |_| &[],
    |_| Default::default()
);
refs!(BookMeta, "book", |_| None, |_| &[], |_| Default::default());
refs!(ProductMeta, "product", |_| None, |_| &[], |m| {
    names::NamesMut {
        region: m.region.as_mut(),
        ..Default::default()
    }
});

fn at_key<M>(p: &Parsed<M>, key: &str, message: String) -> Diagnostic {
    let file_text = file_text(p);
    let (line, col) = locate_key(&p.yaml, key, p.yaml_first_line).unwrap_or((1, 1));
    Diagnostic::new(&p.path, message).at(&file_text, line, col)
}

fn at_value<M>(p: &Parsed<M>, key: &str, value: &str, message: String) -> Diagnostic {
    let file_text = file_text(p);
    let (line, col) = locate_value(&p.yaml, key, value, p.yaml_first_line).unwrap_or((1, 1));
    Diagnostic::new(&p.path, message).at(&file_text, line, col)
}

/// The file's lines as far as the YAML goes, placed at their real line numbers.
fn file_text<M>(p: &Parsed<M>) -> String {
    let mut s = "\n".repeat(p.yaml_first_line - 1);
    s.push_str(&p.yaml);
    s
}

fn finish<M: Refs>(
    parsed: Vec<Parsed<M>>,
    known: &Known,
    failed: &Failed,
    diags: &mut Diagnostics,
) -> Vec<Item<M>> {
    let mut first_seen: HashMap<Slug, PathBuf> = HashMap::new();
    let mut items = Vec::with_capacity(parsed.len());
    for p in parsed {
        if let Some(first) = first_seen.get(&p.slug) {
            diags.push(
                Diagnostic::new(&p.path, format!("duplicate slug `{}`: {} has the same file name", p.slug, first.display()))
                    .with_hint("slugs are unique within a kind, across all subfolders: rename one of the files"),
            );
            continue;
        }
        first_seen.insert(p.slug.clone(), p.path.clone());
        items.extend(check_refs(p, known, failed, diags));
    }
    sort_items(&mut items);
    items
}

/// Each kind's order: newest first, then by slug, so every listing is deterministic.
pub fn sort_items<M: Refs>(items: &mut [Item<M>]) {
    items.sort_by(|a, b| {
        b.meta
            .date()
            .cmp(&a.meta.date())
            .then_with(|| a.slug.cmp(&b.slug))
    });
}

/// One item's references checked against what they may name; the item, or `None` with the
/// errors in `diags`. Its slug's uniqueness is the caller's to check.
pub fn check_item<M: Refs>(
    p: Parsed<M>,
    known: &Known,
    diags: &mut Diagnostics,
) -> Option<Item<M>> {
    let (issues, policies, series) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    let failed = Failed {
        issues: &issues,
        policies: &policies,
        series: &series,
    };
    check_refs(p, known, &failed, diags)
}

fn check_refs<M: Refs>(
    mut p: Parsed<M>,
    known: &Known,
    failed: &Failed,
    diags: &mut Diagnostics,
) -> Option<Item<M>> {
    let issues = known.issues;
    let mut ok = names::resolve(&mut p, known.vocab, diags);
    let issue = p.meta.issue_ref().and_then(|r| {
        let found = issues.get(r);
        if found.is_none() && (failed.issues.contains(r) || failed.series.contains(&r.series)) {
            ok = false;
        } else if found.is_none() {
            ok = false;
            let keys: Vec<String> = issues.keys().map(ToString::to_string).collect();
            let hint = did_you_mean(&r.to_string(), keys.iter().map(String::as_str))
                .map(|k| format!("did you mean `{k}`?"))
                .unwrap_or_else(|| {
                    format!("no file content/issues/{r}.yaml; issues are named `<series>/<id>`")
                });
            diags.push(at_key(&p, "issue", format!("unknown issue `{r}`")).with_hint(hint));
        }
        found
    });
    if let Some(section) = p.meta.section_name() {
        match (p.meta.issue_ref(), issue) {
            (None, _) => {
                ok = false;
                diags.push(
                    at_key(
                        &p,
                        "section",
                        format!("section `{section}` given without an issue"),
                    )
                    .with_hint("a section belongs to an issue: add `issue: <series>/<id>`"),
                );
            }
            (Some(r), Some(issue)) if !issue.meta.sections.iter().any(|s| s == section) => {
                ok = false;
                let names = &issue.meta.sections;
                let hint = did_you_mean(section, names.iter().map(String::as_str))
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| format!("the sections of {r} are: {}", names.join("、")));
                diags.push(
                    at_key(
                        &p,
                        "section",
                        format!("section `{section}` is not one of the sections of issue `{r}`"),
                    )
                    .with_hint(hint),
                );
            }
            _ => {}
        }
    }
    for slug in p.meta.policies() {
        if failed.policies.contains(slug) {
            ok = false;
        } else if !known.policies.contains(slug) {
            ok = false;
            let hint = did_you_mean(slug.as_str(), known.policies.iter().map(Slug::as_str))
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| {
                    "policies are named by their file name under content/policies/ without `.md`"
                        .to_string()
                });
            diags.push(
                at_value(
                    &p,
                    "policies",
                    slug.as_str(),
                    format!("unknown policy `{slug}`"),
                )
                .with_hint(hint),
            );
        }
    }
    if !ok {
        return None;
    }
    let month = issue.map_or_else(|| p.meta.date().month(), |i| i.meta.month);
    Some(Item {
        slug: p.slug,
        path: p.path,
        meta: p.meta,
        body: p.body,
        month,
    })
}
