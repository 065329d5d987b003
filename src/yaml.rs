//! The one place that talks to the YAML library (serde_yaml 0.9, archived upstream but stable).
//!
//! Swapping it for a maintained fork means changing this file only: callers get typed values or
//! [`Diagnostic`]s with positions and hints, never the library's own error type.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::diag::{did_you_mean, Diagnostic};

/// Parses `text` (a YAML document that starts at line `first_line` of the file) into `T`.
pub fn parse<T: DeserializeOwned>(
    path: &Path,
    file_text: &str,
    text: &str,
    first_line: usize,
) -> Result<T, Diagnostic> {
    // An empty document deserializes as unit; treat it as an empty mapping so the error is
    // "missing field" instead of a type error.
    let doc = if text.trim().is_empty() { "{}" } else { text };
    serde_yaml::from_str(doc).map_err(|e| to_diagnostic(path, file_text, text, &e, first_line))
}

/// Serializes a value as YAML (used by `import` and `new`).
pub fn to_string<T: Serialize>(value: &T) -> Result<String, String> {
    serde_yaml::to_string(value).map_err(|e| e.to_string())
}

fn to_diagnostic(
    path: &Path,
    file_text: &str,
    text: &str,
    err: &serde_yaml::Error,
    first_line: usize,
) -> Diagnostic {
    let raw = err.to_string();
    // serde_yaml appends " at line L column C"; we show the position ourselves.
    let message = match raw.find(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw.clone(),
    };
    let (message, hint) = explain(&message);
    let d = Diagnostic::new(path, message.clone()).maybe_hint(hint);
    // Errors raised by our own value types (dates, enums, urls) are placed by serde_yaml at the
    // start of the mapping; the value they quote tells where the editor wrote it.
    let own_value = backticked(&message)
        .into_iter()
        .next()
        .filter(|_| !message.starts_with("unknown field") && !message.starts_with("missing"));
    if let Some((line, col)) = own_value.and_then(|v| locate_scalar(text, &v, first_line)) {
        return d.at(file_text, line, col);
    }
    match err.location() {
        Some(loc) => d.at(file_text, loc.line() + first_line - 1, loc.column()),
        None => d,
    }
}

/// The position of a scalar written as `key: value` or `- value` (quoted or not).
fn locate_scalar(text: &str, value: &str, first_line: usize) -> Option<(usize, usize)> {
    if value.is_empty() {
        return None;
    }
    text.lines().enumerate().find_map(|(i, line)| {
        let trimmed = line.trim_end();
        let candidates = [
            format!(": {value}"),
            format!(": \"{value}\""),
            format!(": '{value}'"),
            format!("- {value}"),
            format!("[{value}"),
            format!(", {value}"),
        ];
        candidates.iter().find_map(|c| {
            let at = trimmed.find(c.as_str())?;
            let skip =
                c.find(|ch: char| ch != ':' && ch != ' ' && ch != '-' && ch != '[' && ch != ',')?;
            Some((i + first_line, line[..at + skip].chars().count() + 1))
        })
    })
}

/// Rewrites serde's messages into an editor's terms, with a hint where one helps.
fn explain(message: &str) -> (String, Option<String>) {
    // Errors in nested blocks come as "digest.smtp: unknown field …": explain the rest and
    // keep the path, which says where the field was written.
    if let Some((path, rest)) = message.split_once(": ") {
        let is_path = !path.is_empty()
            && path
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']'));
        if is_path && (rest.starts_with("unknown ") || rest.starts_with("missing field")) {
            let (m, hint) = explain(rest);
            return (format!("{m} in `{path}`"), hint);
        }
    }
    if let Some(rest) = message.strip_prefix("unknown field `") {
        if let Some((field, tail)) = rest.split_once('`') {
            let expected = backticked(tail);
            let hint = match did_you_mean(field, expected.iter().map(String::as_str)) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("the fields allowed here are: {}", expected.join(", ")),
            };
            return (format!("unknown field `{field}`"), Some(hint));
        }
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        if let Some((value, tail)) = rest.split_once('`') {
            let expected = backticked(tail);
            let hint = match did_you_mean(value, expected.iter().map(String::as_str)) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("use one of: {}", expected.join(", ")),
            };
            return (format!("unknown value `{value}`"), Some(hint));
        }
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        if let Some((field, _)) = rest.split_once('`') {
            return (
                format!("missing required field `{field}`"),
                Some(format!("add a line `{field}: …`")),
            );
        }
    }
    if message.contains("invalid type: ") {
        let hint = if message.contains("expected a sequence") {
            Some("write a list, e.g. `[a, b]` or one `- item` per line".to_string())
        } else if message.contains("expected a string") {
            Some("put the value in quotes".to_string())
        } else {
            None
        };
        return (message.to_string(), hint);
    }
    // Values parsed by our own types carry "… | hint: …".
    if let Some((msg, hint)) = message.split_once(" | hint: ") {
        return (msg.to_string(), Some(hint.to_string()));
    }
    (message.to_string(), None)
}

fn backticked(s: &str) -> Vec<String> {
    s.split('`').skip(1).step_by(2).map(str::to_owned).collect()
}

/// Finds the 1-based line and column of a top-level `key:` in a YAML document that starts at
/// `first_line`; used to place errors found after parsing (cross references).
pub fn locate_key(text: &str, key: &str, first_line: usize) -> Option<(usize, usize)> {
    text.lines().enumerate().find_map(|(i, line)| {
        let rest = line.strip_prefix(key)?;
        rest.trim_start()
            .starts_with(':')
            .then_some((i + first_line, 1))
    })
}

/// Finds where `value` is written at or after the line of top-level `key:`; falls back to the key.
pub fn locate_value(
    text: &str,
    key: &str,
    value: &str,
    first_line: usize,
) -> Option<(usize, usize)> {
    let (key_line, _) = locate_key(text, key, first_line)?;
    let start = key_line - first_line;
    for (i, line) in text.lines().enumerate().skip(start) {
        if i > start && !line.starts_with([' ', '\t', '-']) {
            break;
        }
        if let Some(byte) = line.find(value) {
            return Some((i + first_line, line[..byte].chars().count() + 1));
        }
    }
    Some((key_line, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        title: String,
        date: String,
    }

    #[test]
    fn unknown_field_has_hint_and_position() {
        let text = "title: a\ntittle: b\n";
        let e = parse::<T>(Path::new("x.yaml"), text, text, 1).unwrap_err();
        assert_eq!(e.message, "unknown field `tittle`");
        assert_eq!(e.hint.as_deref(), Some("did you mean `title`?"));
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn offset_for_front_matter() {
        let file = "---\ntitle: a\nbogus: 1\n---\n";
        let e = parse::<T>(Path::new("x.md"), file, "title: a\nbogus: 1\n", 2).unwrap_err();
        assert_eq!(e.line, Some(3));
        assert_eq!(e.snippet.as_deref(), Some("bogus: 1"));
    }

    #[test]
    fn locates_list_values() {
        let t = "title: a\npolicies:\n  - one\n  - two\n";
        assert_eq!(locate_value(t, "policies", "two", 1), Some((4, 5)));
        assert_eq!(locate_key(t, "title", 1), Some((1, 1)));
    }
}
