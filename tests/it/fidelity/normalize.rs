//! Normalisation and matching: the folding applied to both a content file and its bulletin, and
//! how numbers and dates are found in the folded text.

/// Whitespace removed, full-width forms folded to ASCII, curly quotes straightened.
pub(super) fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(fold_char)
        .collect()
}

/// Like [`normalize`], but a whitespace run between two digits becomes `|`, so that numbers
/// separated only by whitespace (`2024.05.03 2023年`) are not glued together.
pub(super) fn normalize_marked(s: &str) -> String {
    let chars: Vec<char> = s.chars().map(fold_char).collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            let start = i;
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            let before = start.checked_sub(1).map(|j| chars[j]);
            let after = chars.get(i).copied();
            if before.is_some_and(|c| c.is_ascii_digit())
                && after.is_some_and(|c| c.is_ascii_digit())
            {
                out.push('|');
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Like [`normalize`] but every whitespace run becomes one space (keeps token boundaries).
pub(super) fn fold_keep_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(fold_char(c));
            in_space = false;
        }
    }
    out
}

pub(super) fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{301D}' | '\u{301E}' => '"',
        '\u{2018}' | '\u{2019}' => '\'',
        _ => c,
    }
}

/// The numbers of a (folded) string: digit runs with an optional decimal part, leading zeros
/// of the integer part dropped (`06` -> `6`).
pub(super) fn number_tokens(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            if i + 1 < chars.len() && chars[i] == '.' && chars[i + 1].is_ascii_digit() {
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
            }
            let tok: String = chars[start..i].iter().collect();
            out.push(canonical_number(&tok));
        } else {
            i += 1;
        }
    }
    out
}

pub(super) fn canonical_number(tok: &str) -> String {
    let (int, frac) = match tok.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (tok, None),
    };
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    match frac {
        Some(f) => format!("{int}.{f}"),
        None => int.to_string(),
    }
}

/// Removes thousands separators between digits: `1,234.5` -> `1234.5`.
pub(super) fn strip_digit_commas(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        let between_digits = i > 0
            && i + 1 < chars.len()
            && chars[i - 1].is_ascii_digit()
            && chars[i + 1].is_ascii_digit();
        if c == ',' && between_digits {
            continue;
        }
        out.push(c);
    }
    out
}

/// `needle` occurs in `hay` where its first and last digits are not glued to further digits.
pub(super) fn contains_bounded(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    let mut from = 0;
    while let Some(pos) = hay[from..].find(needle) {
        let start = from + pos;
        let end = start + needle.len();
        let glued = |a: Option<char>, b: Option<char>| {
            a.is_some_and(|c| c.is_ascii_digit()) && b.is_some_and(|c| c.is_ascii_digit())
        };
        let before_ok = !glued(hay[..start].chars().next_back(), needle.chars().next());
        let after_ok = !glued(hay[end..].chars().next(), needle.chars().next_back());
        if before_ok && after_ok {
            return true;
        }
        from = start + hay[start..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

pub(super) fn parse_date(s: &str) -> Option<(i32, u32, u32)> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = s[0..4].parse().ok()?;
    let m = s[5..7].parse().ok()?;
    let d = s[8..10].parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

pub(super) fn parse_month(s: &str) -> Option<(i32, u32)> {
    let b = s.as_bytes();
    if b.len() != 7 || b[4] != b'-' {
        return None;
    }
    let y = s[0..4].parse().ok()?;
    let m = s[5..7].parse().ok()?;
    (1..=12).contains(&m).then_some((y, m))
}
