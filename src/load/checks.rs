//! Checks of values that parse but mean nothing: an issue number of -7, a period that ends
//! before it starts, a control character in a Markdown body.

use std::path::Path;

use crate::diag::{escape, Diagnostic};
use crate::model::{IssueMeta, Scalar};
use crate::yaml::{forbidden, locate_path};

/// Bodies with more bad characters than this show the first ones.
const MAX_BODY_REPORTS: usize = 5;

pub fn issue(path: &Path, text: &str, meta: &IssueMeta) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let at = |keys: &[&str], message: String, hint: &str| {
        let (line, col) = locate_path(text, keys, 1).unwrap_or((1, 1));
        Diagnostic::new(path, message)
            .at(text, line, col)
            .with_hint(hint)
    };
    let numbers = [
        ("number", Some(&meta.number)),
        ("total_number", meta.total_number.as_ref()),
    ];
    for (key, value) in numbers {
        if let Some(problem) = value.and_then(|v| edition_number(key, v)) {
            out.push(at(
                &[key],
                problem,
                &format!("write the number as printed on the bulletin, e.g. `{key}: 7`"),
            ));
        }
    }
    if let Some(p) = &meta.period {
        if p.from > p.to {
            out.push(at(
                &["period", "from"],
                format!("`period.from` ({}) is after `period.to` ({})", p.from, p.to),
                "the period runs from its first day to its last: swap the two dates or correct one",
            ));
        }
    }
    out
}

/// A number that is written as digits must be a positive edition number; other text (such as
/// `2024-12`) is kept as written.
fn edition_number(key: &str, v: &Scalar) -> Option<String> {
    let s = v.0.trim();
    if s.is_empty() {
        return Some(format!("`{key}` is empty"));
    }
    let digits = s.trim_start_matches(['-', '+']);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match s.parse::<i64>() {
        Ok(n) if n >= 1 && n <= i64::from(u32::MAX) => None,
        Ok(n) if n < 1 => Some(format!("`{key}` must be 1 or more, found `{s}`")),
        _ => Some(format!("`{key}` is too large: `{s}`")),
    }
}

/// Control characters in a Markdown body (from line `first_line` of `text` on).
pub fn body(path: &Path, text: &str, first_line: usize) -> Vec<Diagnostic> {
    // Every body of a build passes here: both checks first look at the bytes, cheaply, and do
    // the real work only for the rare body that may fail them.
    let start = line_start(text, first_line);
    let body = &text[start..];
    let mut errors = if may_hold_forbidden(body.as_bytes()) {
        control_characters(path, text, first_line)
    } else {
        Vec::new()
    };
    errors.extend(nesting(path, text, first_line, body));
    errors
}

/// The byte offset where 1-based `line` of `text` starts (the end when there is no such line).
fn line_start(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.bytes()
        .enumerate()
        .filter(|&(_, b)| b == b'\n')
        .nth(line - 2)
        .map_or(text.len(), |(i, _)| i + 1)
}

/// False when `bytes` (UTF-8) certainly holds no character [`forbidden`] refuses: no C0 control
/// but tab and line ends, no DEL or C1 (U+0080–U+009F, `C2 80`–`C2 9F`), no U+FFFE/U+FFFF.
fn may_hold_forbidden(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    // Jump from one byte that could start a forbidden character to the next.
    while let Some(i) = rest
        .iter()
        .position(|&b| BYTE_CLASS[b as usize] & SUSPECT != 0)
    {
        let next = |k: usize| rest.get(i + k).copied();
        let hit = match rest[i] {
            0xc2 => next(1).is_some_and(|n| (0x80..=0x9f).contains(&n)),
            0xef => next(1) == Some(0xbf) && matches!(next(2), Some(0xbe | 0xbf)),
            _ => true,
        };
        if hit {
            return true;
        }
        rest = &rest[i + 1..];
    }
    false
}

const SUSPECT: u8 = 1;
const OPENER: u8 = 2;

/// Per byte: may it start a forbidden character ([`SUSPECT`]), may it open a level of nesting
/// ([`OPENER`]). A table, because both scans run over every body of every build.
static BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        if b != b'\t' as usize && b != b'\n' as usize && b != b'\r' as usize {
            t[b] = SUSPECT;
        }
        b += 1;
    }
    t[0x7f] = SUSPECT;
    t[0xc2] = SUSPECT;
    t[0xef] = SUSPECT;
    let openers = b"><-*+.)[_~";
    let mut i = 0;
    while i < openers.len() {
        t[openers[i] as usize] |= OPENER;
        i += 1;
    }
    t
};

/// A body nested deeper than the renderer renders as written (see [`crate::markdown::MAX_DEPTH`]).
fn nesting(path: &Path, text: &str, first_line: usize, body: &str) -> Option<Diagnostic> {
    // Every level of nesting needs one of these bytes (a quote, list or HTML tag opener,
    // emphasis, a link): a body with few of them cannot be too deep, which spares the second
    // Markdown parse for nearly every file.
    let openers = body
        .bytes()
        .filter(|&b| BYTE_CLASS[b as usize] & OPENER != 0)
        .count();
    if openers < crate::markdown::MAX_DEPTH / 2 {
        return None;
    }
    let at = crate::markdown::check_nesting(body).err()?;
    // The position comes as a byte column: diagnostics count characters.
    let line = body.lines().nth(at.line.saturating_sub(1)).unwrap_or("");
    let mut byte = at.column.saturating_sub(1).min(line.len());
    while !line.is_char_boundary(byte) {
        byte -= 1;
    }
    let column = line[..byte].chars().count() + 1;
    Some(
        Diagnostic::new(
            path,
            format!(
                "the text nests more than {} levels deep here",
                crate::markdown::MAX_DEPTH
            ),
        )
        .at(text, first_line + at.line - 1, column)
        .with_hint("flatten the quotes, lists or HTML: no page nests its text this deep"),
    )
}

fn control_characters(path: &Path, text: &str, first_line: usize) -> Vec<Diagnostic> {
    text.lines()
        .enumerate()
        .skip(first_line.saturating_sub(1))
        .filter_map(|(i, line)| {
            let col = line.chars().position(forbidden)?;
            let c = line.chars().nth(col)?;
            Some(
                Diagnostic::new(
                    path,
                    format!(
                        "the text contains the control character {}",
                        escape(&c.to_string())
                    ),
                )
                .at(text, i + 1, col + 1)
                .with_hint("delete it: it is invisible, and XML (the feed) cannot carry it"),
            )
        })
        .take(MAX_BODY_REPORTS)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte prefilter agrees with `forbidden` on every character.
    #[test]
    fn the_prefilter_misses_no_forbidden_character() {
        let mut buf = [0u8; 4];
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let s = c.encode_utf8(&mut buf);
            assert_eq!(may_hold_forbidden(s.as_bytes()), forbidden(c), "{c:?}");
        }
    }

    #[test]
    fn line_starts() {
        assert_eq!(line_start("a\nb\nc", 1), 0);
        assert_eq!(line_start("a\nb\nc", 3), 4);
        assert_eq!(line_start("a\n", 5), 2);
    }
}
