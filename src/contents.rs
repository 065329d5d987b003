//! An issue's printed table of contents (`contents:` in the issue file): the check that every
//! entry names an item of that issue, and the printed order the issue page and its print view
//! follow.

use std::collections::{HashMap, HashSet};

use crate::diag::{did_you_mean, Diagnostic, Diagnostics};
use crate::model::*;
use crate::yaml::locate_path;

/// Where an item is filed: its issue and section.
pub type Filed<'a> = HashMap<(Kind, &'a Slug), (Option<&'a IssueRef>, Option<&'a str>)>;

/// Checks `issue`'s contents entries against the items that loaded (`filed`); an entry naming
/// an item that exists but did not load (`failed`) is left to that file's own errors.
pub fn check(
    issue: &Issue,
    text: &str,
    filed: &Filed,
    failed: &HashSet<(Kind, &Slug)>,
    diags: &mut Diagnostics,
) {
    let mut seen = HashSet::new();
    for (i, e) in issue.meta.contents.iter().enumerate() {
        let at = |field: &str, message: String| {
            let (line, col) = locate_path(text, &["contents", &i.to_string(), field], 1)
                .or_else(|| locate_path(text, &["contents", &i.to_string()], 1))
                .unwrap_or((1, 1));
            Diagnostic::new(&issue.path, message).at(text, line, col)
        };
        let key = (e.item.kind, &e.item.slug);
        if failed.contains(&key) {
            continue;
        }
        if !seen.insert(key) {
            diags.push(
                at(
                    "item",
                    format!("`{}` is listed twice in `contents`", e.item),
                )
                .with_hint("each item appears once in the table of contents"),
            );
            continue;
        }
        let Some(&(item_issue, item_section)) = filed.get(&key) else {
            diags.push(
                at("item", format!("contents entry `{}` names no item", e.item))
                    .with_hint(missing_hint(&e.item, &issue.key, filed)),
            );
            continue;
        };
        if item_issue != Some(&issue.key) {
            let is = item_issue.map_or("no `issue:`".to_string(), |r| format!("`issue: {r}`"));
            diags.push(
                at(
                    "item",
                    format!(
                        "`{}` is not an item of this issue: its file has {is}",
                        e.item
                    ),
                )
                .with_hint(format!(
                    "list only items whose file says `issue: {}`",
                    issue.key
                )),
            );
        }
        if let Some(s) = &e.section {
            check_section(issue, e, s, item_section, |m| at("section", m), diags);
        }
    }
}

fn check_section(
    issue: &Issue,
    e: &ContentsEntry,
    s: &str,
    item_section: Option<&str>,
    at: impl Fn(String) -> Diagnostic,
    diags: &mut Diagnostics,
) {
    let names = &issue.meta.sections;
    if !names.iter().any(|n| n == s) {
        let hint = did_you_mean(s, names.iter().map(String::as_str))
            .map(|n| format!("did you mean `{n}`?"))
            .unwrap_or_else(|| format!("the sections of this issue are: {}", names.join("、")));
        diags
            .push(at(format!("section `{s}` is not one of this issue's sections")).with_hint(hint));
    } else if let Some(own) = item_section.filter(|own| *own != s) {
        diags.push(
            at(format!("`{}` is filed under section `{own}`, not `{s}`", e.item)).with_hint(
                "leave `section` out of this entry: an item with a `section` of its own is listed there",
            ),
        );
    }
}

/// A did-you-mean among the items of that kind (this issue's first), or where the file would be.
fn missing_hint(r: &ItemRef, issue: &IssueRef, filed: &Filed) -> String {
    let same_kind = |own: bool| {
        filed
            .iter()
            .filter(move |((k, _), (i, _))| *k == r.kind && (*i == Some(issue)) == own)
            .map(|((_, s), _)| s.as_str())
    };
    let mut names: Vec<&str> = same_kind(true).collect();
    names.sort_unstable();
    let mut others: Vec<&str> = same_kind(false).collect();
    others.sort_unstable();
    let best =
        did_you_mean(r.slug.as_str(), names).or_else(|| did_you_mean(r.slug.as_str(), others));
    match best {
        Some(s) => format!("did you mean `{}/{s}`?", r.kind.dir()),
        None => format!(
            "no file content/{}/**/{}.{}: name an item by its folder and file name without the extension",
            r.kind.dir(),
            r.slug,
            r.kind.extension()
        ),
    }
}

/// Each listed item's position in the printed contents and its page, for one issue.
#[derive(Debug, Default)]
pub struct Printed<'a> {
    at: HashMap<(Kind, &'a Slug), (usize, &'a ContentsEntry)>,
}

impl<'a> Printed<'a> {
    pub fn new(issue: &'a Issue) -> Self {
        let at = issue
            .meta
            .contents
            .iter()
            .enumerate()
            .map(|(i, e)| ((e.item.kind, &e.item.slug), (i, e)))
            .collect();
        Printed { at }
    }

    /// The item's place in the printed order, `None` when the contents do not list it.
    pub fn position(&self, kind: Kind, slug: &Slug) -> Option<usize> {
        self.at.get(&(kind, slug)).map(|(i, _)| *i)
    }

    pub fn page(&self, kind: Kind, slug: &Slug) -> Option<u32> {
        self.at
            .get(&(kind, slug))
            .and_then(|(_, e)| e.page.map(|p| p.0))
    }

    /// The section the entry places it under (for an item without a section of its own).
    pub fn section(&self, kind: Kind, slug: &Slug) -> Option<&'a str> {
        self.at
            .get(&(kind, slug))
            .and_then(|(_, e)| e.section.as_deref())
    }
}
