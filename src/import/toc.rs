//! The table of contents: section headings (no page number) and item lines (`title<TAB>page`),
//! with titles broken over two lines joined back together.

use regex::Regex;
use std::collections::HashSet;
use std::sync::LazyLock;

use super::model::TocEntry;
use super::text::{join_broken, norm_key};
use super::{ParseError, ParseErrorKind};

static LEADER_PAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(.*?\S)\s*(?:\.{2,}|…+|·{2,}|[ \u{3000}]{2,})\s*(\d{1,3})$")
        .expect("static regex")
});

/// A line of the contents list as printed.
#[derive(Debug, Clone, PartialEq)]
pub struct RawLine {
    pub line: usize,
    pub text: String,
    pub page: Option<u32>,
}

/// Splits `title<TAB>12` (or `title …… 12`, `title   12`) into title and page.
pub fn split_page(l: &str) -> RawLine {
    let t = l.trim_end();
    if let Some((left, right)) = t.rsplit_once('\t') {
        let right = right.trim();
        if !left.trim().is_empty() && !right.is_empty() && right.len() <= 3 {
            if let Ok(p) = right.parse() {
                return raw(left, Some(p));
            }
        }
    }
    if let Some(c) = LEADER_PAGE.captures(t) {
        if let Ok(p) = c[2].parse() {
            return raw(&c[1], Some(p));
        }
    }
    raw(t, None)
}

fn raw(text: &str, page: Option<u32>) -> RawLine {
    RawLine {
        line: 0,
        text: text.replace('\t', " ").trim().to_string(),
        page,
    }
}

/// What the body offers to resolve the contents list against.
pub struct BodyIndex {
    /// Keys of every non-blank body line and of every pair of consecutive non-blank lines.
    pub lines: HashSet<String>,
    /// Keys of body lines directly followed by book records (the book section's heading).
    pub book_headings: HashSet<String>,
}

/// The resolved contents list.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Toc {
    pub sections: Vec<String>,
    pub items: Vec<TocEntry>,
    /// The section whose body holds the book records, if the contents list names one.
    pub book_section: Option<String>,
}

/// Resolves the raw contents lines (`line` already set, 1-based) into sections and items.
pub fn resolve(raw: &[RawLine], body: &BodyIndex) -> Result<Toc, Vec<ParseError>> {
    let mut toc = Toc::default();
    let mut errors = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        let r = &raw[i];
        let key = norm_key(&r.text);
        let mut item: Option<(String, Option<u32>)> = None;
        let mut heading = false;
        match r.page {
            None => {
                let next = raw.get(i + 1).filter(|n| n.page.is_some());
                let joined = next.map(|n| join_broken(&r.text, &n.text));
                if let (Some(n), Some(j)) = (next, joined) {
                    if body.lines.contains(&norm_key(&j)) {
                        item = Some((j, n.page));
                        i += 1;
                    }
                }
                heading = item.is_none();
            }
            Some(p) => {
                if body.book_headings.contains(&key) {
                    heading = true;
                    toc.book_section = Some(r.text.clone());
                } else if body.lines.contains(&key) {
                    item = Some((r.text.clone(), Some(p)));
                } else if r.text.chars().count() <= 10 {
                    heading = true;
                } else {
                    errors.push(ParseError::new(
                        r.line,
                        ParseErrorKind::TocEntryNotInBody(r.text.clone()),
                    ));
                }
            }
        }
        if heading {
            toc.sections.push(r.text.clone());
        }
        if let Some((title, page)) = item {
            match toc.sections.last() {
                Some(s) => toc.items.push(TocEntry {
                    line: r.line,
                    title,
                    page,
                    section: s.clone(),
                }),
                None => errors.push(ParseError::new(
                    r.line,
                    ParseErrorKind::TocEntryBeforeSection(title),
                )),
            }
        }
        i += 1;
    }
    if toc.items.is_empty() && errors.is_empty() {
        errors.push(ParseError::new(
            raw.first().map_or(1, |r| r.line),
            ParseErrorKind::EmptyToc,
        ));
    }
    if errors.is_empty() {
        Ok(toc)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_split_off() {
        assert_eq!(
            split_page("国资委: 中央企业牵头建设 24 个创新联合体\t3").page,
            Some(3)
        );
        assert_eq!(
            split_page("2024 车路云一体化创新企业 TOP30\t84").text,
            "2024 车路云一体化创新企业 TOP30"
        );
        assert_eq!(split_page("国内动态\t").page, None);
        assert_eq!(split_page("国内动态\t").text, "国内动态");
        assert_eq!(split_page("热点关注").page, None);
        assert_eq!(split_page("标题 ........ 12").page, Some(12));
        assert_eq!(split_page("2024 车路云一体化创新企业 TOP30").page, None);
    }

    fn lines(v: &[(&str, Option<u32>)]) -> Vec<RawLine> {
        v.iter()
            .enumerate()
            .map(|(i, (t, p))| RawLine {
                line: i + 1,
                text: t.to_string(),
                page: *p,
            })
            .collect()
    }

    #[test]
    fn broken_titles_are_joined_and_sections_found() {
        let raw = lines(&[
            ("国际视野", None),
            ("美企报告预测: 2030 年中国汽车品牌 全球市占率", None),
            ("将达 33%", Some(27)),
            ("国内动态", None),
            ("北京：出台硬核举措", Some(32)),
            ("图书推荐", Some(86)),
        ]);
        let body = BodyIndex {
            lines: [
                "美企报告预测：2030 年中国汽车品牌 全球市占率将达 33%",
                "北京：出台硬核举措",
                "图书推荐",
            ]
            .iter()
            .map(|s| norm_key(s))
            .collect(),
            book_headings: [norm_key("图书推荐")].into_iter().collect(),
        };
        let toc = resolve(&raw, &body).expect("toc");
        assert_eq!(toc.sections, vec!["国际视野", "国内动态", "图书推荐"]);
        assert_eq!(toc.items.len(), 2);
        assert_eq!(
            toc.items[0].title,
            "美企报告预测: 2030 年中国汽车品牌 全球市占率将达 33%"
        );
        assert_eq!(toc.items[0].section, "国际视野");
        assert_eq!(toc.items[1].section, "国内动态");
        assert_eq!(toc.book_section.as_deref(), Some("图书推荐"));
    }
}
