//! What a search compares: an item's fields as plain text, and the normal form both the index
//! and the browser put text and queries in.
//!
//! The normal form is NFKC, then lower case, then no whitespace. The browser does the same with
//! `String.prototype.normalize("NFKC")`, `toLowerCase()` and the whitespace class of
//! [`is_space`] (templates/static/search.js); tests/it/search.rs checks that both agree.

use unicode_normalization::UnicodeNormalization;

/// Whitespace the normal form drops: Unicode's White_Space plus U+FEFF, which is exactly what
/// JavaScript's `/[\s\u0085]/u` matches (JavaScript's `\s` lacks U+0085 and has U+FEFF).
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

/// Characters the normal form leaves as they are, whatever surrounds them: ASCII other than
/// capitals and whitespace, CJK Unified Ideographs and the CJK punctuation of U+3001–U+3011.
/// Each is NFKC_Quick_Check=Yes with combining class 0, so a text of them only is already
/// NFKC (UAX #15's quick check), and none has a lower case or is whitespace.
fn is_settled(c: char) -> bool {
    matches!(c, '!'..='@' | '['..='~' | '\u{4e00}'..='\u{9fff}' | '\u{3001}'..='\u{3011}')
}

/// `text` in the normal form, as characters.
pub fn normalize(text: &str) -> Vec<char> {
    // Most of a Chinese text is settled except for spaces and capitals: those are handled
    // here, and only a text with anything else goes through NFKC (a fifth of the index's
    // time when every field did).
    let simple = |c: char| is_settled(c) || c == ' ' || c == '\n' || c.is_ascii_uppercase();
    if text.chars().all(simple) {
        return text
            .chars()
            .filter(|c| *c != ' ' && *c != '\n')
            .map(|c| c.to_ascii_lowercase())
            .collect();
    }
    let nfkc: String = text.nfkc().collect();
    nfkc.to_lowercase()
        .chars()
        .filter(|c| !is_space(*c))
        .collect()
}

/// The visible text of sanitised HTML (a rendered body): tags dropped, entities decoded, block
/// boundaries and runs of whitespace turned into one space.
pub fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            push_space(&mut out);
            rest = &rest[end..];
        } else if c == '&' {
            let (decoded, len) = entity(rest);
            out.push(decoded);
            rest = &rest[len..];
        } else {
            if c.is_whitespace() {
                push_space(&mut out);
            } else {
                out.push(c);
            }
            rest = &rest[c.len_utf8()..];
        }
    }
    out.trim_end().to_string()
}

fn push_space(out: &mut String) {
    if !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
}

/// The character an entity at the start of `s` stands for, and the entity's length; a lone
/// `&` stands for itself.
fn entity(s: &str) -> (char, usize) {
    // Searched as bytes: `;` is ASCII, so `end` is on a character boundary whatever follows.
    let Some(end) = s.bytes().take(12).position(|b| b == b';') else {
        return ('&', 1);
    };
    let name = &s[1..end];
    let named = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        _ => None,
    };
    let numeric = || {
        let code = match name.strip_prefix('#')? {
            n if n.starts_with(['x', 'X']) => u32::from_str_radix(&n[1..], 16).ok()?,
            n => n.parse().ok()?,
        };
        char::from_u32(code)
    };
    match named.or_else(numeric) {
        Some(c) => (c, end + 1),
        None => ('&', 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_form_ignores_width_case_and_spaces() {
        let n = |s: &str| normalize(s).into_iter().collect::<String>();
        assert_eq!(n("供应链 金融服务"), "供应链金融服务");
        assert_eq!(n("ＡＢＣ　１２３"), "abc123");
        assert_eq!(n("〔2024〕\t１号\u{feff}"), "〔2024〕1号");
        assert_eq!(n("Ⅻ ﬁ"), "xiifi");
        assert_eq!(n("e\u{301}"), "\u{e9}", "composed across characters");
        assert_eq!(n("ABC 政策\n"), "abc政策");
    }

    #[test]
    fn the_shortcut_agrees_with_nfkc_for_every_settled_character() {
        let slow = |s: &str| {
            let nfkc: String = s.nfkc().collect();
            nfkc.to_lowercase()
                .chars()
                .filter(|c| !is_space(*c))
                .collect::<Vec<char>>()
        };
        let settled: String = (0..0x30000u32)
            .filter_map(char::from_u32)
            .filter(|c| is_settled(*c))
            .collect();
        assert!(settled.chars().count() > 20_000);
        for c in settled.chars() {
            let s = format!("A {c}b");
            assert_eq!(normalize(&s), slow(&s), "{c:?}");
        }
        assert_eq!(normalize(&settled), slow(&settled));
    }

    #[test]
    fn html_text_drops_tags_and_decodes_entities() {
        assert_eq!(
            html_text("<p>甲&amp;乙</p>\n<p>丙&lt;丁&#x4e00;&#20108;&nbsp;x &bogus; &</p>"),
            "甲&乙 丙<丁一二\u{a0}x &bogus; &"
        );
        assert_eq!(html_text(""), "");
        assert_eq!(html_text("甲&中文字符；乙"), "甲&中文字符；乙");
    }
}
