//! Loading: reads every file under `content/` into typed values, collecting every error.
//!
//! `parse_*` functions take text and never touch the disk; [`read_all_with`] walks the folder
//! and reads files through [`crate::fsio`]; `validate::load_site` runs it and then validation.

mod cache;
mod checks;
mod frontmatter;
mod issues;
mod layout;
mod notes;
mod placeholders;
pub mod vocab;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use crate::diag::{Diagnostic, Diagnostics};
use crate::fsio;
use crate::model::*;
use crate::yaml;

pub use cache::ParseCache;
pub use frontmatter::{split as split_front_matter, FrontMatterError};
pub use issues::parse_issue;
use issues::{failed_slug, read_issues};
pub use notes::parse_note;
pub use placeholders::{is_draft_mark, PLACEHOLDER};

/// A parsed file before cross-references are checked.
#[derive(Debug, Clone)]
pub struct Parsed<M> {
    pub slug: Slug,
    pub path: PathBuf,
    pub meta: M,
    pub body: String,
    /// The YAML text and the line it starts on, to place errors found later.
    pub yaml: String,
    pub yaml_first_line: usize,
}

/// Everything read from `content/`, not yet cross-checked.
#[derive(Debug, Default)]
pub struct Loaded {
    pub config: Option<SiteConfig>,
    pub issues: Vec<(Issue, String)>,
    pub articles: Vec<Parsed<ArticleMeta>>,
    pub policies: Vec<Parsed<PolicyMeta>>,
    pub rankings: Vec<Parsed<RankingMeta>>,
    pub books: Vec<Parsed<BookMeta>>,
    pub products: Vec<Parsed<ProductMeta>>,
    pub notes: Vec<DigestNote>,
    /// Issue files and policies that exist but did not load (their errors are reported).
    pub failed_issues: std::collections::BTreeSet<IssueRef>,
    pub failed_policies: std::collections::BTreeSet<Slug>,
    /// Series whose folder is not a folder (a file in its place): none of its issues loaded.
    pub failed_series: std::collections::BTreeSet<Slug>,
    /// `content/vocab/`; empty (names taken as written) when a file of it failed to load.
    pub vocab: Vocab,
    /// Items of every kind that exist but did not load, so an issue's `contents` naming one
    /// is not an error too.
    pub failed_items: std::collections::BTreeSet<(Kind, Slug)>,
}

/// Reads every content file; returns what parsed and the errors of what did not.
pub fn read_all(root: &Path) -> (Loaded, Diagnostics) {
    read_all_with(root, None)
}

/// [`read_all`], taking unchanged item files from `cache`.
pub fn read_all_with(root: &Path, cache: Option<&ParseCache>) -> (Loaded, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut loaded = Loaded::default();
    let content = root.join("content");
    if !content.is_dir() {
        diags.push(
            Diagnostic::new(&content, "no `content/` folder here").with_hint(
                "run bulletin in the folder holding content/ and templates/, or pass --root DIR",
            ),
        );
        return (loaded, diags);
    }
    layout::check(root, &mut diags);
    let site_rel = PathBuf::from("content/site.yaml");
    match fsio::read_text(&root.join(&site_rel)) {
        Ok(text) => match parse_site_config(&site_rel, &text) {
            Ok(c) => loaded.config = Some(c),
            Err(ds) => ds.into_iter().for_each(|d| diags.push(d)),
        },
        Err(d) => diags.push(Diagnostic {
            path: site_rel,
            ..d
        }),
    }
    let (issues, failed, d) = read_issues(root);
    loaded.issues = issues;
    loaded.failed_issues = failed;
    // A file directly in content/issues/ where a series folder should be.
    loaded.failed_series = d
        .iter()
        .filter(|d| d.path.components().count() == 3)
        .filter_map(failed_slug)
        .collect();
    diags.extend(d);
    let before = diags.len();
    loaded.articles = read_kind(root, Kind::Article, cache, &mut diags);
    failed_items(&mut loaded, Kind::Article, &diags, before);
    let before = diags.len();
    loaded.policies = read_kind(root, Kind::Policy, cache, &mut diags);
    loaded.failed_policies = diags.iter().skip(before).filter_map(failed_slug).collect();
    failed_items(&mut loaded, Kind::Policy, &diags, before);
    let before = diags.len();
    loaded.rankings = read_kind(root, Kind::Ranking, cache, &mut diags);
    failed_items(&mut loaded, Kind::Ranking, &diags, before);
    let before = diags.len();
    loaded.books = read_kind(root, Kind::Book, cache, &mut diags);
    failed_items(&mut loaded, Kind::Book, &diags, before);
    let before = diags.len();
    loaded.products = read_kind(root, Kind::Product, cache, &mut diags);
    failed_items(&mut loaded, Kind::Product, &diags, before);
    loaded.notes = notes::read_notes(root, &mut diags);
    let v = vocab::read(root, &mut diags);
    if !v.failed {
        loaded.vocab = v.vocab;
    }
    (loaded, diags)
}

/// Records the items of `kind` whose errors are in `diags` from `before` on.
fn failed_items(loaded: &mut Loaded, kind: Kind, diags: &Diagnostics, before: usize) {
    let slugs = diags.iter().skip(before).filter_map(failed_slug);
    loaded.failed_items.extend(slugs.map(|s| (kind, s)));
}

pub fn parse_site_config(path: &Path, text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
    yaml::parse(path, text, text, 1)
}

/// Parses one item file of `kind` from its text. `path` is relative to the site root.
pub fn parse_item<M: DeserializeOwned>(
    kind: Kind,
    path: &Path,
    text: &str,
) -> Result<Parsed<M>, Vec<Diagnostic>> {
    // A file from `bulletin new` not yet filled in: say so, rather than report its placeholders
    // as values of the wrong type.
    let unfilled = placeholders::placeholders(path, text);
    if !unfilled.is_empty() {
        return Err(unfilled);
    }
    let mut errors = Vec::new();
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let slug = match stem.parse::<Slug>() {
        Ok(s) if kind.reserved_slugs().contains(&s.as_str()) => {
            errors.push(
                Diagnostic::new(
                    path,
                    format!(
                        "the slug `{s}` is reserved: /{}/{s}/ is a listing page",
                        kind.dir()
                    ),
                )
                .with_hint("rename the file"),
            );
            None
        }
        Ok(s) => Some(s),
        Err(e) => {
            let (msg, hint) = e.split_once(" | hint: ").unwrap_or((&e, ""));
            errors.push(
                Diagnostic::new(path, format!("{msg} (the slug is the file name)"))
                    .with_hint(format!("rename the file: {hint}")),
            );
            None
        }
    };
    let (yaml_text, first_line, body) = if kind.extension() == "md" {
        match frontmatter::split(text) {
            Ok(s) => {
                let body_line = s.yaml_first_line + s.yaml.lines().count() + 1;
                errors.extend(checks::body(path, text, body_line));
                (s.yaml, s.yaml_first_line, s.body)
            }
            Err(FrontMatterError::Missing) => {
                errors.push(
                    Diagnostic::new(
                        path,
                        "missing front matter: the file must start with a `---` line",
                    )
                    .at(text, 1, 1)
                    .with_hint(
                        "begin the file with `---`, the fields (title: …), then `---` and the body",
                    ),
                );
                return Err(errors);
            }
            Err(FrontMatterError::Unclosed) => {
                let last = text.lines().count().max(1);
                errors.push(
                    Diagnostic::new(path, "unclosed front matter: no `---` line ends it")
                        .at(text, last, 1)
                        .with_hint("add a line `---` after the last field, before the body"),
                );
                return Err(errors);
            }
        }
    } else {
        (text, 1, "")
    };
    match yaml::parse::<M>(path, text, yaml_text, first_line) {
        Ok(meta) if errors.is_empty() => Ok(Parsed {
            slug: slug.expect("no errors means the slug parsed"),
            path: path.to_path_buf(),
            meta,
            body: body.to_string(),
            yaml: yaml_text.to_string(),
            yaml_first_line: first_line,
        }),
        Ok(_) => Err(errors),
        Err(ds) => {
            errors.extend(ds);
            Err(errors)
        }
    }
}

/// Lists the files of one kind, relative to `root`, sorted; reports misplaced files.
fn list_files(root: &Path, dir: &Path, ext: &str, diags: &mut Diagnostics) -> Vec<PathBuf> {
    let mut files = Vec::new();
    if !dir.is_dir() {
        return files;
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let p = e.path().unwrap_or(dir).to_path_buf();
                diags.push(Diagnostic::new(p, format!("cannot read: {e}")));
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') || name.ends_with('~') {
            continue;
        }
        if entry.path_is_symlink() && entry.depth() > 0 {
            layout::symlink(entry.path().strip_prefix(root).unwrap_or(entry.path()));
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .to_path_buf();
        match entry.path().extension().and_then(|e| e.to_str()) {
            Some(e) if e == ext => files.push(rel),
            other => {
                let hint = match other {
                    Some("yml") if ext == "yaml" => "rename it to .yaml".to_string(),
                    Some("markdown") if ext == "md" => "rename it to .md".to_string(),
                    _ => format!("files here must end in .{ext}; move other files out of content/"),
                };
                diags.push(
                    Diagnostic::new(rel, format!("unexpected file: expected a .{ext} file"))
                        .with_hint(hint),
                );
            }
        }
    }
    files
}

fn read_kind<M: DeserializeOwned + Send + Clone + 'static>(
    root: &Path,
    kind: Kind,
    cache: Option<&ParseCache>,
    diags: &mut Diagnostics,
) -> Vec<Parsed<M>> {
    let files = list_files(
        root,
        &root.join("content").join(kind.dir()),
        kind.extension(),
        diags,
    );
    let results: Vec<Result<Parsed<M>, Vec<Diagnostic>>> = files
        .par_iter()
        .map(|rel| {
            // Stamped before reading: a save in between changes the stamp, never the reverse.
            let stamp = cache
                .and_then(|_| crate::fsio::metadata(&root.join(rel)).ok())
                .map(|m| crate::fsio::Stamp::of(&m));
            if let (Some(c), Some(s)) = (cache, &stamp) {
                if let Some(p) = c.get::<Parsed<M>>(rel, s) {
                    return Ok(p);
                }
            }
            let text = fsio::read_text(&root.join(rel)).map_err(|d| {
                vec![Diagnostic {
                    path: rel.clone(),
                    ..d
                }]
            })?;
            let parsed = parse_item::<M>(kind, rel, &text)?;
            if let (Some(c), Some(s)) = (cache, stamp) {
                c.put(rel, s, parsed.clone());
            }
            Ok(parsed)
        })
        .collect();
    let mut items = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(p) => items.push(p),
            Err(ds) => ds.into_iter().for_each(|d| diags.push(d)),
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_with_bad_slug_and_field_reports_both() {
        let text = "---\ntitle: t\ndate: 2024-01-01\nsource: s\ntittle: x\n---\nbody";
        let errs = parse_item::<ArticleMeta>(
            Kind::Article,
            Path::new("content/articles/Bad Name.md"),
            text,
        )
        .unwrap_err();
        assert_eq!(errs.len(), 2);
        assert!(errs[0].message.contains("invalid slug"));
        assert_eq!(errs[1].line, Some(5));
    }

    #[test]
    fn reserved_slug() {
        let text = "title: t\ndate: 2024-01-01\nissuers: [a]\nlevel: 国家\nsummary: s\n";
        let errs = parse_item::<PolicyMeta>(
            Kind::Policy,
            Path::new("content/policies/level.md"),
            &format!("---\n{text}---\n"),
        )
        .unwrap_err();
        assert!(errs[0].message.contains("reserved"));
    }

    #[test]
    fn every_listing_folder_is_a_reserved_slug() {
        // /products/category/<name>/ are listing pages: a product may not take that slug.
        let text = "bank: b\nname: n\ndate: 2024-01-01\ncategory: 信贷业务\nsummary: s\n";
        let errs = parse_item::<ProductMeta>(
            Kind::Product,
            Path::new("content/products/category.yaml"),
            text,
        )
        .unwrap_err();
        assert!(errs[0].message.contains("reserved"), "{}", errs[0].message);
    }
}
