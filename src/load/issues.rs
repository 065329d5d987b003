//! Issue files: `content/issues/<series>/<id>.yaml`, and which of them failed to load (so the
//! items that refer to them are not reported again).

use std::collections::BTreeSet;
use std::path::Path;

use super::{checks, list_files};
use crate::diag::{Diagnostic, Diagnostics};
use crate::fsio;
use crate::model::*;
use crate::yaml;

/// Parses an issue file; `path` must be `content/issues/<series>/<id>.yaml`.
pub fn parse_issue(path: &Path, text: &str) -> Result<Issue, Vec<Diagnostic>> {
    let key = issue_key(path).map_err(|d| vec![d]);
    let meta = yaml::parse::<IssueMeta>(path, text, text, 1);
    let meta = meta.and_then(|m| {
        let problems = checks::issue(path, text, &m);
        if problems.is_empty() {
            Ok(m)
        } else {
            Err(problems)
        }
    });
    match (key, meta) {
        (Ok(key), Ok(meta)) => Ok(Issue {
            key,
            path: path.to_path_buf(),
            meta,
        }),
        (k, m) => Err(k.err().into_iter().chain(m.err()).flatten().collect()),
    }
}

fn issue_key(path: &Path) -> Result<IssueRef, Diagnostic> {
    let series = path
        .parent()
        .and_then(Path::file_name)
        .and_then(|s| s.to_str())
        .unwrap_or("");
    let id = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    format!("{series}/{id}").parse().map_err(|_| {
        Diagnostic::new(
            path,
            format!("invalid issue file name `{series}/{id}`: the folder (series) and file name (id) must be slugs"),
        )
        .with_hint("use lowercase ASCII letters, digits and hyphens, e.g. content/issues/xinxi-zhaibian/2024-07.yaml")
    })
}

/// The slug of a content file that failed to load, from its error.
pub(super) fn failed_slug(d: &Diagnostic) -> Option<Slug> {
    d.path.file_stem()?.to_str()?.parse().ok()
}

type ReadIssues = (Vec<(Issue, String)>, BTreeSet<IssueRef>, Diagnostics);

pub(super) fn read_issues(root: &Path) -> ReadIssues {
    let mut diags = Diagnostics::default();
    let dir = root.join("content/issues");
    let mut issues = Vec::new();
    let mut failed = BTreeSet::new();
    for rel in list_files(root, &dir, "yaml", &mut diags) {
        if rel.components().count() != 4 {
            diags.push(
                Diagnostic::new(
                    &rel,
                    "issue files must be at content/issues/<series>/<id>.yaml",
                )
                .with_hint("move the file into a folder named after its series"),
            );
            continue;
        }
        let text = match fsio::read_text(&root.join(&rel)) {
            Ok(t) => t,
            Err(d) => {
                diags.push(Diagnostic { path: rel, ..d });
                continue;
            }
        };
        match parse_issue(&rel, &text) {
            Ok(issue) => issues.push((issue, text)),
            Err(ds) => {
                failed.extend(issue_key(&rel).ok());
                ds.into_iter().for_each(|d| diags.push(d));
            }
        }
    }
    (issues, failed, diags)
}
