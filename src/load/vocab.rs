//! Reading `content/vocab/regions.yaml` and `content/vocab/issuers.yaml`, and checking them:
//! one entry per name (aliases and short names included), parents and regions that exist, a
//! parent above its child's level.
//!
//! Either file may be missing: names of that sort are then taken as written.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diag::{did_you_mean, Diagnostic, Diagnostics};
use crate::fsio;
use crate::model::{IssuersFile, RegionsFile, Vocab};
use crate::yaml::{self, locate_path};

/// The files `content/vocab/` may hold.
pub const FILES: [&str; 2] = ["regions.yaml", "issuers.yaml"];

/// What was read: the vocabulary, and whether a file of it failed (then names of that sort are
/// not checked, so one broken vocabulary file does not bury its cause under every item).
pub struct Read {
    pub vocab: Vocab,
    pub failed: bool,
}

pub fn read(root: &Path, diags: &mut Diagnostics) -> Read {
    let dir = root.join("content/vocab");
    let mut failed = false;
    if dir.is_dir() {
        check_folder(&dir, diags);
    }
    let regions = read_file::<RegionsFile>(root, "regions.yaml", &mut failed, diags);
    let issuers = read_file::<IssuersFile>(root, "issuers.yaml", &mut failed, diags);
    let before = diags.len();
    if let Some((rel, text, f)) = &regions {
        check_regions(rel, text, f, diags);
    }
    let region_names: Vec<&str> = regions
        .iter()
        .flat_map(|(_, _, f)| &f.regions)
        .flat_map(|r| std::iter::once(&r.name).chain(&r.aliases))
        .map(String::as_str)
        .collect();
    if let Some((rel, text, f)) = &issuers {
        let known = regions.as_ref().map(|_| region_names.as_slice());
        check_issuers(rel, text, f, known, diags);
    }
    failed |= diags.len() > before;
    Read {
        vocab: Vocab::new(
            regions.map(|(_, _, f)| f.regions),
            issuers.map(|(_, _, f)| f.issuers),
        ),
        failed,
    }
}

/// Anything in `content/vocab/` but the two files is a typo or misplaced.
fn check_folder(dir: &Path, diags: &mut Diagnostics) {
    let Ok(entries) = crate::fsio::read_dir(dir) else {
        return;
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|n| !n.starts_with('.') && !n.ends_with('~') && !FILES.contains(&n.as_str()))
        .filter(|n| !n.to_ascii_uppercase().starts_with("README"))
        .collect();
    names.sort();
    for n in names {
        let hint = match did_you_mean(&n, FILES) {
            Some(f) => format!("did you mean `{f}`? rename the file"),
            None => format!("content/vocab/ holds {}", FILES.join(" and ")),
        };
        diags.push(
            Diagnostic::new(
                PathBuf::from("content/vocab").join(&n),
                format!("unexpected file `content/vocab/{n}`"),
            )
            .with_hint(hint),
        );
    }
}

fn read_file<T: serde::de::DeserializeOwned>(
    root: &Path,
    name: &str,
    failed: &mut bool,
    diags: &mut Diagnostics,
) -> Option<(PathBuf, String, T)> {
    let rel = PathBuf::from("content/vocab").join(name);
    let abs = root.join(&rel);
    if !abs.exists() {
        return None;
    }
    let text = match fsio::read_text(&abs) {
        Ok(t) => t,
        Err(d) => {
            *failed = true;
            diags.push(Diagnostic { path: rel, ..d });
            return None;
        }
    };
    match yaml::parse::<T>(&rel, &text, &text, 1) {
        Ok(v) => Some((rel, text, v)),
        Err(ds) => {
            *failed = true;
            ds.into_iter().for_each(|d| diags.push(d));
            None
        }
    }
}

/// An error at the value of `path` in a vocabulary file.
fn at(rel: &Path, text: &str, path: &[&str], message: String, hint: String) -> Diagnostic {
    let (line, col) = locate_path(text, path, 1).unwrap_or((1, 1));
    Diagnostic::new(rel, message)
        .at(text, line, col)
        .with_hint(hint)
}

/// Records each name (with where it is) and reports one taken by an earlier entry.
struct Seen<'a> {
    first: HashMap<&'a str, usize>,
    list: &'static str,
}

impl<'a> Seen<'a> {
    fn add(
        &mut self,
        name: &'a str,
        entry: usize,
        place: (&Path, &str, &[&str]),
    ) -> Option<Diagnostic> {
        match self.first.insert(name, entry) {
            Some(prev) => {
                self.first.insert(name, prev);
                let (rel, text, path) = place;
                Some(at(
                    rel,
                    text,
                    path,
                    format!("`{name}` is already a name of entry {} in `{}`", prev + 1, self.list),
                    "each name, alias or short name belongs to one entry: remove one, or merge the entries".into(),
                ))
            }
            None => None,
        }
    }
}

fn check_regions(rel: &Path, text: &str, f: &RegionsFile, diags: &mut Diagnostics) {
    let mut seen = Seen {
        first: HashMap::new(),
        list: "regions",
    };
    for (i, r) in f.regions.iter().enumerate() {
        let n = i.to_string();
        diags
            .0
            .extend(seen.add(&r.name, i, (rel, text, &["regions", n.as_str(), "name"])));
        for (j, a) in r.aliases.iter().enumerate() {
            let place = ["regions", n.as_str(), "aliases", &j.to_string()];
            diags.0.extend(seen.add(a, i, (rel, text, &place)));
        }
    }
    let by_name: HashMap<&str, &crate::model::RegionEntry> = f
        .regions
        .iter()
        .flat_map(|r| {
            std::iter::once(&r.name)
                .chain(&r.aliases)
                .map(move |n| (n.as_str(), r))
        })
        .collect();
    for (i, r) in f.regions.iter().enumerate() {
        let Some(p) = &r.parent else { continue };
        let n = i.to_string();
        let path = ["regions", n.as_str(), "parent"];
        match by_name.get(p.as_str()) {
            None => {
                // In the file's order, so a tie (an alias one edit away) always names the same.
                let names = f
                    .regions
                    .iter()
                    .flat_map(|r| std::iter::once(&r.name).chain(&r.aliases))
                    .map(String::as_str);
                let hint = did_you_mean(p, names)
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| "a parent is another entry of this file: add it".into());
                diags.push(at(
                    rel,
                    text,
                    &path,
                    format!("unknown parent region `{p}`"),
                    hint,
                ));
            }
            Some(parent) if parent.level >= r.level => diags.push(at(
                rel,
                text,
                &path,
                format!(
                    "`{}` ({}) cannot lie in `{}` ({})",
                    r.name, r.level, parent.name, parent.level
                ),
                "a parent is of a higher level: 全国 › 省级 › 地级 › 区县".into(),
            )),
            Some(_) => {}
        }
    }
}

fn check_issuers(
    rel: &Path,
    text: &str,
    f: &IssuersFile,
    regions: Option<&[&str]>,
    diags: &mut Diagnostics,
) {
    let mut seen = Seen {
        first: HashMap::new(),
        list: "issuers",
    };
    let mut shorts: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, e) in f.issuers.iter().enumerate() {
        let n = i.to_string();
        diags
            .0
            .extend(seen.add(&e.name, i, (rel, text, &["issuers", n.as_str(), "name"])));
        for (j, a) in e.aliases.iter().enumerate() {
            let place = ["issuers", n.as_str(), "aliases", &j.to_string()];
            diags.0.extend(seen.add(a, i, (rel, text, &place)));
        }
        if let Some(r) = &e.region {
            let path = ["issuers", n.as_str(), "region"];
            match regions {
                Some(names) if !names.contains(&r.as_str()) => {
                    let hint = did_you_mean(r, names.iter().copied())
                        .map(|s| format!("did you mean `{s}`?"))
                        .unwrap_or_else(|| "add it to content/vocab/regions.yaml".into());
                    diags.push(at(rel, text, &path, format!("unknown region `{r}`"), hint));
                }
                None => diags.push(at(
                    rel,
                    text,
                    &path,
                    format!("region `{r}` given, but there is no content/vocab/regions.yaml"),
                    "an issuer's region is an entry of content/vocab/regions.yaml: write that file"
                        .into(),
                )),
                _ => {}
            }
        }
        for (j, s) in e.short.iter().enumerate() {
            let path = ["issuers", n.as_str(), "short", &j.to_string()];
            let Some(r) = &e.region else {
                diags.push(at(
                    rel,
                    text,
                    &path,
                    format!("short name `{s}` given without a region"),
                    "a short name is what texts of the issuer's own region call it: add `region:`"
                        .into(),
                ));
                continue;
            };
            if let Some(prev) = shorts.insert((r.as_str(), s.as_str()), i) {
                diags.push(at(
                    rel,
                    text,
                    &path,
                    format!("short name `{s}` in {r} is already entry {}'s", prev + 1),
                    "within one region a short name stands for one body".into(),
                ));
            }
        }
    }
}
