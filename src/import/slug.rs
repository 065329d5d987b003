//! Readable ASCII slugs: `<date>-<pinyin of the title>`, e.g. `2024-06-19-jin-yi-bu-zhi-chi-zhuan`.

use pinyin::ToPinyin;
use std::collections::HashSet;

/// Syllables (or Latin words) kept from the title.
const MAX_WORDS: usize = 6;
/// Upper bound of a whole slug.
const MAX_LEN: usize = 60;

/// The title part of a slug: the words after a `部门：` style prefix when there is one, each
/// Chinese character as its toneless pinyin syllable, Latin words and numbers lowercased.
pub fn title_words(title: &str) -> Vec<String> {
    let main = title
        .split_once(['：', ':'])
        .map(|(_, rest)| rest)
        .filter(|rest| rest.chars().filter(|c| !c.is_whitespace()).count() >= 4)
        .unwrap_or(title);
    let mut words = Vec::new();
    let mut latin = String::new();
    for c in main.chars() {
        if c.is_ascii_alphanumeric() {
            latin.push(c.to_ascii_lowercase());
            continue;
        }
        if !latin.is_empty() {
            words.push(std::mem::take(&mut latin));
        }
        if let Some(p) = c.to_pinyin() {
            // 绿 is `lü`: keep slugs ASCII (`lv`).
            let syllable: String = p
                .plain()
                .chars()
                .map(|c| if c == 'ü' { 'v' } else { c })
                .filter(char::is_ascii_alphanumeric)
                .collect();
            if !syllable.is_empty() {
                words.push(syllable);
            }
        }
    }
    if !latin.is_empty() {
        words.push(latin);
    }
    words
}

/// `<date>-<words>`, at most `MAX_WORDS` (6) words and `MAX_LEN` (60) characters.
pub fn slug(date: &str, title: &str) -> String {
    let mut out = date.to_string();
    for w in title_words(title).into_iter().take(MAX_WORDS) {
        if out.len() + 1 + w.len() > MAX_LEN {
            break;
        }
        out.push('-');
        out.push_str(&w);
    }
    if out == date {
        out.push_str("-item");
    }
    out
}

/// Hands out unique slugs in call order: the second `x` becomes `x-2`, the third `x-3`.
#[derive(Debug, Default)]
pub struct Deduper {
    taken: HashSet<String>,
}

impl Deduper {
    /// A deduper that also avoids `reserved` (slugs already used elsewhere).
    pub fn with_reserved(reserved: HashSet<String>) -> Self {
        Deduper { taken: reserved }
    }

    pub fn unique(&mut self, base: &str) -> String {
        let mut candidate = base.to_string();
        let mut n = 2;
        while self.taken.contains(&candidate) {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        self.taken.insert(candidate.clone());
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_readable_ascii() {
        assert_eq!(
            slug("2024-06-19", "两部门：进一步支持专精特新中小企业高质量发展"),
            "2024-06-19-jin-yi-bu-zhi-chi-zhuan"
        );
        assert_eq!(
            slug(
                "2024-06-26",
                "OpenAI 对中国设限 业内人士称将倒逼中企加速自主研发"
            ),
            "2024-06-26-openai-dui-zhong-guo-she-xian"
        );
        assert_eq!(slug("2024-07-15", "元宇宙"), "2024-07-15-yuan-yu-zhou");
        assert_eq!(
            slug("2024-07-09", "国家绿证"),
            "2024-07-09-guo-jia-lv-zheng"
        );
        assert_eq!(slug("2024-07-15", "？"), "2024-07-15-item");
        let s = slug("2024-06-19", "2024 中国大数据科创小巨人 50 强");
        assert_eq!(s, "2024-06-19-2024-zhong-guo-da-shu-ju");
        assert!(s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
    }

    #[test]
    fn dedup_is_deterministic() {
        let mut d = Deduper::with_reserved(["a-2".to_string()].into_iter().collect());
        assert_eq!(d.unique("a"), "a");
        assert_eq!(d.unique("a"), "a-3");
        assert_eq!(d.unique("a"), "a-4");
        assert_eq!(d.unique("b"), "b");
    }
}
