//! Wraps the text part to a terminal's width. Chinese characters take two columns and may break
//! anywhere (except before closing punctuation); Latin words and URLs break only at spaces, and a
//! URL longer than the line keeps its own line whole, so it still works when clicked or copied.

use unicode_width::UnicodeWidthChar;

/// Columns of the text part: a classic terminal.
pub const WIDTH: usize = 80;

/// Characters that may not begin a line (Chinese line-breaking rules, simplified).
const NO_START: &str = "，。、；：？！）》」』”’…—,.;:?!)";

fn width(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// Every line of `text` at most `max` columns wide, continuation lines indented like their
/// first line (after a list marker such as `- ` or `12. `, beneath its text).
pub fn wrap(text: &str, max: usize) -> String {
    let mut out = String::new();
    for line in text.lines() {
        wrap_line(line, max, &mut out);
    }
    out
}

fn hanging_indent(line: &str) -> usize {
    let lead = line.len() - line.trim_start().len();
    let rest = &line[lead..];
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    let marker = if rest.starts_with("- ") {
        2
    } else if digits > 0 && rest[digits..].starts_with(". ") {
        digits + 2
    } else {
        0
    };
    lead + marker
}

/// Splits a line into pieces that may not be broken: a run of non-space ASCII (a word, a URL)
/// with what follows it up to the next space, or one wide character.
fn pieces(line: &str) -> Vec<&str> {
    let mut v = Vec::new();
    let mut start = 0;
    let mut in_word = false;
    for (i, c) in line.char_indices() {
        let wordy = c.is_ascii() && c != ' ';
        if in_word && wordy {
            continue;
        }
        if i > start {
            v.push(&line[start..i]);
        }
        start = i;
        in_word = wordy;
    }
    if start < line.len() {
        v.push(&line[start..]);
    }
    v
}

fn wrap_line(line: &str, max: usize, out: &mut String) {
    if width(line) <= max {
        out.push_str(line.trim_end());
        out.push('\n');
        return;
    }
    let indent = " ".repeat(hanging_indent(line).min(max / 2));
    let mut cur = String::new();
    for p in pieces(line) {
        let fresh = cur.trim().is_empty();
        if !fresh && width(&cur) + width(p.trim_end()) > max {
            // Closing punctuation stays with what it closes: take the last character along.
            let mut carry = String::new();
            if p.chars().next().is_some_and(|c| NO_START.contains(c)) {
                if let Some(last) = cur.pop() {
                    carry.push(last);
                }
            }
            out.push_str(cur.trim_end());
            out.push('\n');
            cur = format!("{indent}{carry}");
            if p == " " {
                continue;
            }
        }
        cur.push_str(p);
    }
    if !cur.trim().is_empty() {
        out.push_str(cur.trim_end());
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_wraps_by_display_width() {
        let line = "政".repeat(50);
        let w = wrap(&line, 80);
        let lines: Vec<&str> = w.lines().collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(width(lines[0]), 80);
    }

    #[test]
    fn urls_and_punctuation_are_kept_whole() {
        let url = format!("https://example.org/{}", "a".repeat(90));
        let w = wrap(&format!("链接：{url}"), 80);
        assert_eq!(w, format!("链接：\n{url}\n"));
        let w = wrap(&format!("{}，后面", "字".repeat(40)), 80);
        assert!(
            w.lines().nth(1).is_some_and(|l| l.starts_with("字，")),
            "{w}"
        );
    }

    #[test]
    fn list_items_hang() {
        let w = wrap(&format!("12. {}", "字".repeat(45)), 80);
        assert!(
            w.lines().nth(1).is_some_and(|l| l.starts_with("    字")),
            "{w}"
        );
        assert!(w.lines().all(|l| width(l) <= 80));
    }
}
