//! Diagnostics for content and template errors: a file, a position, what was expected, a hint.
//!
//! Every stage that reads what editors wrote reports through [`Diagnostic`], and a run collects
//! all of them into [`Diagnostics`] so an editor sees every problem at once.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in one file, with the position (1-based) when it is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub hint: Option<String>,
    /// The offending source line, shown under the message.
    pub snippet: Option<String>,
}

impl Diagnostic {
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            line: None,
            column: None,
            message: message.into(),
            hint: None,
            snippet: None,
        }
    }

    /// Sets the position and picks the source line out of `text` for display.
    pub fn at(mut self, text: &str, line: usize, column: usize) -> Self {
        self.line = Some(line.max(1));
        self.column = Some(column.max(1));
        self.snippet = text.lines().nth(line.saturating_sub(1)).map(str::to_owned);
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn maybe_hint(mut self, hint: Option<String>) -> Self {
        if hint.is_some() {
            self.hint = hint;
        }
        self
    }

    /// Orders diagnostics by file, then position, so output is stable.
    fn sort_key(&self) -> (&Path, usize, usize, &str) {
        (
            &self.path,
            self.line.unwrap_or(0),
            self.column.unwrap_or(0),
            &self.message,
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Content reaches the terminal here: escape what could drive it (ESC sequences).
        write!(f, "error: {}", escape(&self.message))?;
        write!(f, "\n  --> {}", escape(&self.path.display().to_string()))?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        if let (Some(line), Some(full)) = (self.line, &self.snippet) {
            let (snippet, column) = window(full, self.column);
            let snippet = snippet.as_str();
            let gutter = line.to_string().len();
            let shown: String = snippet.chars().map(escape_char).collect();
            write!(f, "\n{:gutter$} |", "")?;
            write!(f, "\n{line} | {shown}")?;
            if let Some(col) = column {
                // Columns count characters; CJK text is double width on a terminal.
                let pad: usize = snippet
                    .chars()
                    .take(col.saturating_sub(1))
                    .map(shown_width)
                    .sum();
                // Underline what is at fault, not just its first letter: a key up to its colon,
                // a value to the end of the line.
                let rest: String = snippet.chars().skip(col.saturating_sub(1)).collect();
                let key_len = rest
                    .chars()
                    .take_while(|c| !c.is_whitespace() && *c != ':')
                    .count();
                let before: String = snippet.chars().take(col.saturating_sub(1)).collect();
                let marked = if rest.starts_with(char::is_whitespace) {
                    // A tab or stray space is itself what is at fault.
                    rest.chars().take(1).collect()
                } else if rest.chars().nth(key_len) == Some(':') {
                    rest.chars().take(key_len).collect::<String>()
                } else {
                    value_extent(&rest, before.contains(['[', '{']))
                };
                let width = marked.chars().map(shown_width).sum::<usize>().max(1);
                let carets = "^".repeat(width);
                write!(f, "\n{:gutter$} | {:pad$}{carets}", "", "")?;
            }
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  = hint: {}", escape(hint))?;
        }
        Ok(())
    }
}

/// Lines longer than this are shown in part, around the column at fault.
const MAX_SHOWN: usize = 160;

/// A long line cut to a window around `column` (marked with `…`), and the column in it.
fn window(line: &str, column: Option<usize>) -> (String, Option<usize>) {
    let n = line.chars().count();
    if n <= MAX_SHOWN {
        return (line.to_string(), column);
    }
    let col = column.unwrap_or(1).clamp(1, n);
    let start = col.saturating_sub(MAX_SHOWN / 4 + 1);
    let end = (start + MAX_SHOWN).min(n);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.extend(line.chars().skip(start).take(end - start));
    if end < n {
        out.push('…');
    }
    let shift = usize::from(start > 0);
    (out, column.map(|_| col - start + shift))
}

/// The value that starts `rest`: a quoted string to its closing quote; inside `[…]` or `{…}`, up
/// to the next `,` or bracket; else to the end of the line.
fn value_extent(rest: &str, in_flow: bool) -> String {
    let mut chars = rest.chars();
    match chars.next() {
        Some(q @ ('"' | '\'')) => match chars.position(|c| c == q) {
            Some(end) => rest.chars().take(end + 2).collect(),
            None => rest.trim_end().to_string(),
        },
        _ if in_flow => rest
            .chars()
            .take_while(|c| !matches!(c, ',' | '}' | ']'))
            .collect::<String>()
            .trim_end()
            .to_string(),
        _ => rest.trim_end().to_string(),
    }
}

/// Text from content made safe for a terminal: control characters (ESC, BEL, DEL, C1, a tab in
/// a quoted line) and the bidirectional overrides are shown as `\u{1b}`.
pub fn escape(s: &str) -> String {
    s.chars().map(escape_char).collect()
}

fn escape_char(c: char) -> String {
    let bidi = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if c == '\t' {
        "\\t".to_string()
    } else if c.is_control() || bidi {
        format!("\\u{{{:x}}}", c as u32)
    } else {
        c.to_string()
    }
}

fn shown_width(c: char) -> usize {
    let e = escape_char(c);
    if e.chars().count() > 1 {
        e.chars().count()
    } else {
        display_width(c)
    }
}

/// Prints a problem that does not stop the run, in the same shape as an error.
pub fn warn(d: &Diagnostic) {
    let text = d.to_string();
    let text = text.strip_prefix("error: ").unwrap_or(&text);
    eprintln!("warning: {text}\n");
}

fn display_width(c: char) -> usize {
    let cp = c as u32;
    let wide = (0x1100..=0x115F).contains(&cp)
        || (0x2E80..=0xA4CF).contains(&cp)
        || (0xAC00..=0xD7A3).contains(&cp)
        || (0xF900..=0xFAFF).contains(&cp)
        || (0xFE30..=0xFE4F).contains(&cp)
        || (0xFF00..=0xFF60).contains(&cp)
        || (0xFFE0..=0xFFE6).contains(&cp);
    if wide {
        2
    } else {
        1
    }
}

/// All the problems of a run, reported together.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// Each path under `root` shown relative to it, as content files are (`templates/x.html`,
    /// not the absolute path): what an editor sees does not depend on where the site lives.
    pub fn relative_to(mut self, root: &Path) -> Self {
        for d in &mut self.0 {
            if let Ok(rel) = d.path.strip_prefix(root) {
                if !rel.as_os_str().is_empty() {
                    d.path = rel.to_path_buf();
                }
            }
        }
        self
    }

    /// Sorted and deduplicated, for stable output.
    pub fn sorted(mut self) -> Self {
        self.0.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.0.dedup();
        self
    }

    /// `Ok(value)` when nothing was reported.
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self.sorted())
        }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}\n")?;
        }
        let n = self.0.len();
        write!(
            f,
            "{n} error{} found; nothing was written",
            if n == 1 { "" } else { "s" }
        )
    }
}

/// The closest candidate to a misspelt name, if one is close enough to be a likely typo: at most
/// one edit per three characters (a transposition is one edit), so long names that merely share
/// a prefix (dates in slugs) are not offered.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let bound = (input.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (strsim::osa_distance(input, c), c))
        .filter(|(d, c)| *d <= bound && *d < c.chars().count().max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_points_at_column() {
        let d = Diagnostic::new("content/a.md", "unknown field `tittle`")
            .at("---\ntittle: x\n", 2, 1)
            .with_hint("did you mean `title`?");
        let s = d.to_string();
        assert!(s.contains("content/a.md:2:1"), "{s}");
        assert!(s.contains("2 | tittle: x"), "{s}");
        assert!(s.contains("hint: did you mean `title`?"), "{s}");
        assert!(
            s.contains("\n  | ^^^^^^\n"),
            "the key is underlined whole: {s}"
        );
    }

    #[test]
    fn underline_counts_wide_characters_twice() {
        let d = Diagnostic::new("content/a.yaml", "unknown level `国`").at("level: 国 家\n", 1, 8);
        let s = d.to_string();
        assert!(s.contains("\n  |        ^^^^^"), "{s}");
    }

    #[test]
    fn suggestion_needs_similarity() {
        assert_eq!(did_you_mean("tittle", ["title", "date"]), Some("title"));
        assert_eq!(did_you_mean("zzz", ["title", "date"]), None);
        assert_eq!(
            did_you_mean(
                "2024-07-10-wangluo-qu-nat-ipv6-bushu",
                ["2024-05-06-shangwubu-lvsehua-shuzihua-maoyi"]
            ),
            None
        );
        assert_eq!(
            did_you_mean("artciles", ["articles", "books"]),
            Some("articles")
        );
    }

    #[test]
    fn long_lines_are_shown_around_the_column() {
        let text = format!("tags: [{}x]\n", "a, ".repeat(5000));
        let d = Diagnostic::new("a.md", "bad").at(&text, 1, 15_008);
        let s = d.to_string();
        assert!(s.len() < 600, "{s}");
        assert!(s.contains("1 | …") && s.contains("a, a, x]"), "{s}");
    }

    #[test]
    fn terminal_controls_are_escaped() {
        let d = Diagnostic::new("content/a.md", "invalid date `\u{1b}[2J`").at(
            "date: \u{1b}[2J\n",
            1,
            7,
        );
        let s = d.to_string();
        assert!(!s.contains('\u{1b}'), "{s}");
        assert!(s.contains("\\u{1b}[2J"), "{s}");
    }
}
