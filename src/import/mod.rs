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
//!
//! [`parse`] is pure; [`import_file`] parses, plans every file, then writes.

mod body;
mod extract;
mod masthead;
mod model;
mod parse;
mod slug;
mod text;
mod toc;
mod write;

use std::fmt;
use std::path::{Path, PathBuf};

pub use model::{Article, Book, Bulletin, Masthead, Ranking, RankingEntry, TocEntry};
pub use parse::parse;
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
}

/// What an import did. Paths include the root.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportReport {
    pub written: Vec<PathBuf>,
    pub skipped: Vec<PathBuf>,
    pub overwritten: Vec<PathBuf>,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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
        if self.written.is_empty() && self.overwritten.is_empty() && self.skipped.is_empty() {
            writeln!(f, "nothing to import")?;
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
    #[error("{}: line {line}: not valid UTF-8", path.display())]
    NotUtf8 { path: PathBuf, line: usize },
    #[error("{}:\n{}", path.display(), list(errors))]
    Parse {
        path: PathBuf,
        errors: Vec<ParseError>,
    },
    #[error("--{name} `{value}`: {reason}")]
    InvalidOption {
        name: &'static str,
        value: String,
        reason: &'static str,
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
            ImportError::NotUtf8 { line, .. } => vec![*line],
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

fn check_slug(name: &'static str, value: &str) -> Result<(), ImportError> {
    let ok = !value.is_empty()
        && !value.starts_with('-')
        && !value.ends_with('-')
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(ImportError::InvalidOption {
            name,
            value: value.to_string(),
            reason: "use lowercase ASCII letters, digits and hyphens",
        })
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
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        ImportError::NotUtf8 {
            path: input.to_path_buf(),
            line,
        }
    })?;
    let bulletin = parse(&text).map_err(|errors| ImportError::Parse {
        path: input.to_path_buf(),
        errors,
    })?;
    let planned = plan(&bulletin, opts)?;
    write::write(&opts.root, &planned, opts.force)
}
