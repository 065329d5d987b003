//! Editors' notes for the monthly digest: `content/digests/YYYY-MM.md`, front matter
//! (`subject`, `preheader`, `picks`) and a Markdown body.

use std::path::{Path, PathBuf};

use super::frontmatter::{self, FrontMatterError};
use crate::diag::{Diagnostic, Diagnostics};
use crate::fsio;
use crate::model::{DigestNote, DigestNoteMeta, Month};
use crate::yaml;

/// Reads every note under `content/digests/`; reports the files that do not parse.
pub fn read_notes(root: &Path, diags: &mut Diagnostics) -> Vec<DigestNote> {
    let dir = root.join("content/digests");
    let mut notes = Vec::new();
    for rel in super::list_files(root, &dir, "md", diags) {
        if rel.components().count() != 3 {
            diags.push(
                Diagnostic::new(&rel, "digest notes must be at content/digests/YYYY-MM.md")
                    .with_hint("move the file directly into content/digests/"),
            );
            continue;
        }
        match fsio::read_text(&root.join(&rel)) {
            Ok(text) => match parse_note(&rel, &text) {
                Ok(n) => notes.push(n),
                Err(ds) => ds.into_iter().for_each(|d| diags.push(d)),
            },
            Err(d) => diags.push(Diagnostic { path: rel, ..d }),
        }
    }
    notes
}

/// Parses a note; `path` is relative to the site root and its file name gives the month. A
/// file without front matter is all body.
pub fn parse_note(path: &Path, text: &str) -> Result<DigestNote, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let month = stem.parse::<Month>().map_err(|_| {
        Diagnostic::new(
            path,
            format!("invalid digest note name `{stem}`: the file name is the month, YYYY-MM"),
        )
        .with_hint("rename the file, e.g. content/digests/2024-07.md")
    });
    let (meta, body) = match frontmatter::split(text) {
        Ok(s) => match yaml::parse::<DigestNoteMeta>(path, text, s.yaml, s.yaml_first_line) {
            Ok(m) => {
                errors.extend(m.picks.iter().filter_map(|p| check_pick(path, text, p)));
                (Some(m), s.body)
            }
            Err(ds) => {
                errors.extend(ds);
                (None, s.body)
            }
        },
        Err(FrontMatterError::Missing) => (Some(DigestNoteMeta::default()), text),
        Err(FrontMatterError::Unclosed) => {
            let last = text.lines().count().max(1);
            errors.push(
                Diagnostic::new(path, "unclosed front matter: no `---` line ends it")
                    .at(text, last, 1)
                    .with_hint("add a line `---` after the last field, before the note"),
            );
            (None, "")
        }
    };
    match (month, meta) {
        (Ok(month), Some(meta)) if errors.is_empty() => Ok(DigestNote {
            month,
            path: PathBuf::from(path),
            meta,
            body: body.to_string(),
        }),
        (m, _) => {
            errors.extend(m.err());
            Err(errors)
        }
    }
}

/// A pick is `<kind folder>/<slug>`, e.g. `policies/2024-07-10-wangluo-qu-nat-ipv6-bushu`;
/// whether that item exists is checked when the digest is made.
fn check_pick(path: &Path, text: &str, p: &str) -> Option<Diagnostic> {
    let ok = p
        .trim()
        .trim_matches('/')
        .split_once('/')
        .is_some_and(|(dir, slug)| {
            crate::model::Kind::from_dir(dir).is_some()
                && slug.parse::<crate::model::Slug>().is_ok()
        });
    (!ok).then(|| {
        let line = crate::model::pick_line(text, p);
        Diagnostic::new(path, format!("invalid pick `{}`", p.trim()))
            .at(text, line, 1)
            .with_hint("write the item's folder and slug, e.g. policies/2024-07-10-wangluo-qu-nat-ipv6-bushu (the address of its page without the slashes around it)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn note_with_front_matter() {
        let n = parse_note(
            Path::new("content/digests/2024-07.md"),
            "---\nsubject: 七月\npreheader: 本月要点\n---\n正文\n",
        )
        .unwrap();
        assert_eq!(n.month.to_string(), "2024-07");
        assert_eq!(n.meta.subject.as_deref(), Some("七月"));
        assert_eq!(n.body, "正文\n");
    }

    #[test]
    fn picks_are_folder_and_slug() {
        let n = parse_note(
            Path::new("content/digests/2024-07.md"),
            "---\npicks:\n  - policies/a-b\n  - /books/c/\n---\n",
        )
        .unwrap();
        assert_eq!(n.meta.picks.len(), 2);
        let errs = parse_note(
            Path::new("content/digests/2024-07.md"),
            "---\npicks:\n  - policies/a-b\n  - polices/a-b\n---\n",
        )
        .unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].line, Some(4));
    }

    #[test]
    fn unknown_field_and_bad_name() {
        let errs = parse_note(
            Path::new("content/digests/july.md"),
            "---\nsubjet: x\n---\n",
        )
        .unwrap_err();
        assert_eq!(errs.len(), 2);
        assert_eq!(errs[0].line, Some(2));
        assert_eq!(errs[0].hint.as_deref(), Some("did you mean `subject`?"));
        assert!(errs[1].message.contains("YYYY-MM"));
    }
}
