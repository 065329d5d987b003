//! `bulletin import`: a 《信息摘编》 text extraction -> content files.
//!
//! The format: a masthead (series name, `YYYY年 第N期`, `(总第N期)`, 编辑单位, contacts, 编审名单,
//! `本期刊物信息搜集时间: YYYY.MM.DD-YYYY.MM.DD`); a contents list after a `目录` line (section
//! headings without page numbers, items as `title<TAB>page`, a title sometimes broken over two
//! lines); then the articles, each a title line, a `<outlet> YYYY-MM-DD` source line, the body,
//! an optional `附：` line and a link line; the rankings of the 企业排行榜 section in the same
//! shape; and the 图书推荐 section's book records (`书名/著者: … 出版社/出版日期: … 内容简介: …
//! 推荐理由: …`).
//!
//! What is written (relative to the root), never overwriting an existing file unless forced:
//! - `content/issues/<series>/<id>.yaml`. Its `month` is the masthead year with the 期 number
//!   (第七期 of 2024 -> `2024-07`, the digest is monthly); when the number is not a month
//!   (outside 1..=12) it is the month of the collection period's end date. Its `contents` is
//!   the printed table of contents: every article and ranking written, in the list's order,
//!   with the page it prints, then the books in the order of their records.
//! - `content/articles/<series>-<id>/<slug>.md`, one per contents item outside the rankings section.
//! - `content/rankings/<series>-<id>/<slug>.yaml`, `complete: false`, entries only where the
//!   commentary names them.
//! - `content/books/<series>-<id>/<slug>.yaml`, dated with the collection period's end.
//! - `content/policies/<series>-<id>/<slug>.md`, a draft for each document named on a `附：《…》`
//!   line that reads as a policy and is no existing policy (by document number or normalised
//!   title), linked from its article's `policies:`; `check` refuses a draft until an editor has
//!   confirmed it ([`drafts`]). Drafts never replace a file, `--force` or not.
//!
//! The text may be UTF-8, UTF-16 or GB18030, detected or named (`--encoding`).
//!
//! [`parse`] is pure; [`import_file`] parses, plans every file, then writes.

mod body;
mod drafts;
mod extract;
mod masthead;
mod model;
mod parse;
mod places;
mod propose;
mod slug;
mod text;
mod toc;
mod write;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::encoding::{decode_as, Decoded, TextEncoding};
pub use drafts::Drafts;
pub use model::{Article, Book, Bulletin, Masthead, Ranking, RankingEntry, TocEntry};
pub use parse::parse;
pub use places::Places;
pub use propose::{is_policy_name, proposals, Proposal};
pub use slug::slug;
pub use write::{plan, Planned};

/// What to import into.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportOptions {
    /// Series folder slug, e.g. `xinxi-zhaibian`.
    pub series: String,
    /// Edition id, e.g. `2024-07`.
    pub id: String,
    /// The folder holding `content/`.
    pub root: PathBuf,
    /// Overwrite files that already exist.
    pub force: bool,
    /// The text's encoding; `None` detects it (UTF-8, UTF-16 or GB18030).
    pub encoding: Option<TextEncoding>,
}

/// What an import did. Paths include the root.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportReport {
    /// How the text was read, when not as UTF-8.
    pub read_as: Option<Decoded>,
    pub written: Vec<PathBuf>,
    pub skipped: Vec<PathBuf>,
    pub overwritten: Vec<PathBuf>,
    /// Draft policies written (among `written`), with the document's name.
    pub proposed: Vec<(PathBuf, String)>,
    /// Named documents that are already policies: (name, the policy's path).
    pub matched: Vec<(String, PathBuf)>,
    /// Names on `附：` lines not taken for policy documents: (the article's line, name).
    pub not_policies: Vec<(usize, String)>,
    /// Articles that exist (so were not rewritten) and do not get their `policies:` from this
    /// import: (path, the slugs to list).
    pub unlinked: Vec<(PathBuf, Vec<String>)>,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(d) = self.read_as {
            let how = if d.detected {
                "detected from its bytes; --encoding names another"
            } else {
                "as --encoding says"
            };
            writeln!(f, "read the text as {} ({how})", d.encoding.name())?;
        }
        let groups = [
            ("wrote", &self.written, ""),
            ("overwrote", &self.overwritten, ""),
            (
                "skipped",
                &self.skipped,
                " (they exist; an editor may have changed them; --force overwrites)",
            ),
        ];
        for (verb, paths, note) in groups {
            if paths.is_empty() {
                continue;
            }
            let s = if paths.len() == 1 { "" } else { "s" };
            writeln!(f, "{verb} {} file{s}{note}:", paths.len())?;
            for p in paths {
                writeln!(f, "  {}", p.display())?;
            }
        }
        self.fmt_policies(f)?;
        if self.written.is_empty() && self.overwritten.is_empty() && self.skipped.is_empty() {
            writeln!(f, "nothing to import")?;
        }
        Ok(())
    }
}

impl ImportReport {
    fn fmt_policies(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.proposed.is_empty() {
            let n = self.proposed.len();
            writeln!(
                f,
                "proposed {n} draft polic{} (`bulletin check` refuses each until an editor checks it and deletes its `# TODO:` line):",
                if n == 1 { "y" } else { "ies" }
            )?;
            for (p, name) in &self.proposed {
                writeln!(f, "  {} 《{name}》", p.display())?;
            }
        }
        if !self.matched.is_empty() {
            writeln!(f, "already policies ({}), linked:", self.matched.len())?;
            for (name, p) in &self.matched {
                writeln!(f, "  《{name}》 = {}", p.display())?;
            }
        }
        if !self.not_policies.is_empty() {
            writeln!(
                f,
                "not proposed ({}: by its last word, not the name of a policy document):",
                self.not_policies.len()
            )?;
            for (line, name) in &self.not_policies {
                writeln!(f, "  《{name}》 (article at line {line})")?;
            }
        }
        for (p, slugs) in &self.unlinked {
            writeln!(
                f,
                "not linked: {} exists, so add `policies: [{}]` to it by hand",
                p.display(),
                slugs.join(", ")
            )?;
        }
        Ok(())
    }
}

/// One problem of the input text, at a 1-based line.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("line {line}: {kind}")]
pub struct ParseError {
    pub line: usize,
    pub kind: ParseErrorKind,
}

impl ParseError {
    pub fn new(line: usize, kind: ParseErrorKind) -> Self {
        ParseError { line, kind }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParseErrorKind {
    #[error("no table of contents: expected a `目录` line before the first article")]
    NoToc,
    #[error("the table of contents lists no articles")]
    EmptyToc,
    #[error("no issue number in the masthead (expected `YYYY年 第N期`)")]
    NoIssueNumber,
    #[error("collection period not understood (expected `YYYY.MM.DD-YYYY.MM.DD`)")]
    BadPeriod,
    #[error("table of contents entry `{0}` has no article in the body")]
    TocEntryNotInBody(String),
    #[error("table of contents entry `{0}` comes before any section heading")]
    TocEntryBeforeSection(String),
    #[error("article `{0}` has no source line (expected `<outlet> YYYY-MM-DD`)")]
    MissingSource(String),
    #[error("article `{0}` is not in the table of contents")]
    ArticleNotInToc(String),
    #[error("section `{0}` is not in the table of contents")]
    SectionNotInToc(String),
    #[error("source line `{0}` has an invalid date")]
    BadDate(String),
    #[error(
        "book record not understood (expected `书名/著者: 书名/著者 出版社/出版日期: 出版社/YYYY-MM 内容简介: … 推荐理由: …`)"
    )]
    BadBook,
}

/// Why an import failed. Nothing is written when it does.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: line {line}, column {column}: {what}\n  = hint: {hint}", path.display())]
    NotText {
        path: PathBuf,
        line: usize,
        column: usize,
        what: String,
        hint: String,
    },
    #[error("{}:\n{}", path.display(), list(errors))]
    Parse {
        path: PathBuf,
        errors: Vec<ParseError>,
    },
    #[error("--{name} `{value}`: {reason}")]
    InvalidOption {
        name: &'static str,
        value: String,
        reason: String,
    },
    #[error("{}: cannot write: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot serialise: {0}")]
    Serialize(String),
}

impl ImportError {
    /// True for a bad command-line option (exit 2), rather than a problem of the file.
    pub fn is_usage(&self) -> bool {
        matches!(self, ImportError::InvalidOption { .. })
    }

    /// The 1-based input lines this error points at (empty when it is not about the text).
    pub fn lines(&self) -> Vec<usize> {
        match self {
            ImportError::Parse { errors, .. } => errors.iter().map(|e| e.line).collect(),
            ImportError::NotText { line, .. } => vec![*line],
            _ => Vec::new(),
        }
    }
}

fn list(errors: &[ParseError]) -> String {
    errors
        .iter()
        .map(|e| format!("  {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The one slug rule, [`Slug`]'s: what `import` writes, `check` then accepts.
fn check_slug(name: &'static str, value: &str) -> Result<(), ImportError> {
    match value.parse::<crate::model::Slug>() {
        Ok(_) => Ok(()),
        Err(_) => Err(ImportError::InvalidOption {
            name,
            value: value.to_string(),
            reason: crate::model::Slug::hint_for(value),
        }),
    }
}

/// Reads `input`, parses it and writes its content files under `opts.root`.
pub fn import_file(input: &Path, opts: &ImportOptions) -> Result<ImportReport, ImportError> {
    check_slug("series", &opts.series)?;
    check_slug("id", &opts.id)?;
    // Bounded and regular files only: `import /dev/zero` is an error at once, not a full memory.
    let bytes = crate::fsio::read_bytes(input).map_err(|e| ImportError::Read {
        path: input.to_path_buf(),
        source: e.source,
    })?;
    let (text, decoded) = decode_as(&bytes, opts.encoding).map_err(|m| {
        let (what, hint) = match opts.encoding {
            Some(e) => (
                format!("not valid {} text", e.name()),
                format!(
                    "is the file in another encoding? --encoding takes {}",
                    TextEncoding::NAMES
                ),
            ),
            None => (
                "not valid UTF-8 text, and not UTF-16 or GB18030 throughout either".to_string(),
                format!(
                    "name the file's encoding with --encoding ({}), or convert it to UTF-8",
                    TextEncoding::NAMES
                ),
            ),
        };
        ImportError::NotText {
            path: input.to_path_buf(),
            line: m.line,
            column: m.column,
            what,
            hint,
        }
    })?;
    let bulletin = parse(&text).map_err(|errors| ImportError::Parse {
        path: input.to_path_buf(),
        errors,
    })?;
    let (planned, drafts) = plan(&bulletin, opts)?;
    let mut report = write::write(&opts.root, &planned, opts.force)?;
    report.read_as = (decoded.encoding != TextEncoding::Utf8).then_some(decoded);
    report.proposed = drafts
        .files
        .into_iter()
        .map(|(p, name)| (opts.root.join(p.path), name))
        .collect();
    report.matched = drafts
        .matched
        .into_iter()
        .map(|(name, p)| (name, opts.root.join(p)))
        .collect();
    report.not_policies = drafts.not_policies;
    for (i, slugs) in drafts.links {
        // The plan's order: the issue file, then the articles in order.
        let path = opts.root.join(&planned[1 + i].path);
        if !report.skipped.contains(&path) {
            continue;
        }
        // An article an editor (or an earlier import) already linked needs nothing.
        let text = crate::fsio::read_text(&path).unwrap_or_default();
        let missing: Vec<String> = slugs.into_iter().filter(|s| !text.contains(s)).collect();
        if !missing.is_empty() {
            report.unlinked.push((path, missing));
        }
    }
    Ok(report)
}
