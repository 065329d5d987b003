//! The cover: series name, year and 期 number, 总期 number, publisher, editors, contacts and
//! the collection period (本期刊物信息搜集时间).

use chrono::NaiveDate;
use regex::Regex;
use std::sync::LazyLock;

use super::model::Masthead;
use super::text::{chinese_number, collapse_ws, is_cjk};
use super::{ParseError, ParseErrorKind};

const NUMERAL: &str = "[0-9一二三四五六七八九十百零〇两]+";

static ISSUE_NO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(\d{{4}})\s*年\s*第\s*({NUMERAL})\s*期")).expect("static regex")
});
static TOTAL_NO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"总\s*第\s*({NUMERAL})\s*期")).expect("static regex"));
static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    let d = r"(\d{4})\s*[.\-/年]\s*(\d{1,2})\s*[.\-/月]\s*(\d{1,2})\s*日?";
    Regex::new(&format!(r"{d}\s*[-—–~～至到]+\s*{d}")).expect("static regex")
});

const CONTACT_LABELS: &[&str] = &["电话", "传真", "网址", "E-mail", "Email", "邮箱", "地址"];

/// Parses the masthead lines (everything before the contents list). `lines` are the whole
/// file's lines; `end` is the 0-based index of the contents heading.
pub fn parse(lines: &[&str], end: usize) -> Result<Masthead, Vec<ParseError>> {
    let mut m = Masthead::default();
    let mut errors = Vec::new();
    let head: Vec<(usize, &str)> = lines[..end]
        .iter()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .collect();
    m.series_name = head
        .first()
        .map(|(_, l)| l.trim_matches(['《', '》']).to_string())
        .unwrap_or_default();

    let joined: String = head.iter().map(|(_, l)| *l).collect::<Vec<_>>().join("\n");
    match ISSUE_NO.captures(&joined) {
        Some(c) => {
            m.year = c[1].parse().ok();
            m.number = chinese_number(&c[2]).unwrap_or(0);
            m.edition = c[0].split_whitespace().collect();
        }
        None => errors.push(ParseError::new(
            head.first().map_or(1, |(n, _)| *n),
            ParseErrorKind::NoIssueNumber,
        )),
    }
    m.total_number = TOTAL_NO
        .captures(&joined)
        .and_then(|c| chinese_number(&c[1]));

    // Labelled values: `标签: 值` on one line, or the label alone and the value on the next line.
    let value_of = |idx: usize, label_rest: &str| -> Option<String> {
        let rest = label_rest.trim_start_matches([':', '：', ' ']).trim();
        if !rest.is_empty() {
            return Some(rest.to_string());
        }
        head.get(idx + 1).map(|(_, l)| l.to_string())
    };
    let mut editors_from: Option<usize> = None;
    let mut editors_to = head.len();
    for (idx, (line, l)) in head.iter().enumerate() {
        if let Some(rest) = l.strip_prefix("编辑单位") {
            m.publisher = value_of(idx, rest).map(|v| collapse_ws(&v));
        }
        for label in CONTACT_LABELS {
            if let Some(rest) = l.strip_prefix(label) {
                if rest.trim().is_empty() || rest.starts_with([':', '：']) {
                    if let Some(v) = value_of(idx, rest) {
                        m.contacts.push((label.to_string(), v));
                    }
                }
            }
        }
        if l.starts_with("编审名单") || l.starts_with("编委") {
            editors_from = Some(idx + 1);
        }
        if l.contains("搜集时间") || l.contains("收集时间") {
            if editors_from.is_some() && editors_to == head.len() {
                editors_to = idx;
            }
            let text = value_of(idx, l.split_once(['：', ':']).map_or("", |(_, r)| r));
            match text.as_deref().and_then(|t| PERIOD.captures(t)) {
                Some(c) => {
                    let date = |o: usize| {
                        let n = |i: usize| c[o + i].parse::<u32>().unwrap_or(0);
                        NaiveDate::from_ymd_opt(n(0) as i32, n(1), n(2))
                    };
                    match (date(1), date(4)) {
                        (Some(a), Some(b)) => m.period = Some((a, b)),
                        _ => errors.push(ParseError::new(*line, ParseErrorKind::BadPeriod)),
                    }
                }
                None => errors.push(ParseError::new(*line, ParseErrorKind::BadPeriod)),
            }
        }
    }
    if let Some(from) = editors_from {
        for (_, l) in &head[from.min(editors_to)..editors_to] {
            let names = l
                .split_once([':', '：'])
                .map_or(*l, |(_, names)| names)
                .trim();
            m.editors.extend(split_names(names));
        }
    }
    if errors.is_empty() {
        Ok(m)
    } else {
        Err(errors)
    }
}

/// `沈习春 薛晓莹` -> two names; `张 欣` (a two-character name spaced out by justification) -> one.
pub fn split_names(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in s.split(['、', '，', ',', ';', '；']) {
        let tokens: Vec<&str> = part.split_whitespace().collect();
        if tokens.is_empty() {
            continue;
        }
        let single = tokens
            .iter()
            .all(|t| t.chars().count() == 1 && t.chars().all(is_cjk));
        if single {
            out.push(tokens.concat());
        } else {
            out.extend(tokens.iter().map(|t| t.to_string()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const COVER: &str = "\n\n信息摘编\n\n2024年 第七期\n(总第三十七期)\n\n天津港保税区文教局\n(图书档案馆、地方志编修办公室)\n\n编辑单位:\n\n天津港保税区文教局(图书馆、地方志编修办公室)\n\n电话:\n\n(022) 84925879\n\n编审名单\n\n主 编: 沈习春\n薛晓莹\n副主编: 张 欣\n朱丹丹\n\n本期刊物信息搜集时间:\n\n2024.06.16-2024.07.15\n\n目录";

    #[test]
    fn parses_the_cover() {
        let lines: Vec<&str> = COVER.lines().collect();
        let m = parse(&lines, lines.len() - 1).expect("masthead");
        assert_eq!(m.series_name, "信息摘编");
        assert_eq!(
            (m.year, m.number, m.total_number),
            (Some(2024), 7, Some(37))
        );
        assert_eq!(
            m.publisher.as_deref(),
            Some("天津港保税区文教局(图书馆、地方志编修办公室)")
        );
        assert_eq!(m.editors, vec!["沈习春", "薛晓莹", "张欣", "朱丹丹"]);
        assert_eq!(
            m.contacts,
            vec![("电话".to_string(), "(022) 84925879".to_string())]
        );
        let (a, b) = m.period.expect("period");
        assert_eq!(
            (a.to_string(), b.to_string()),
            ("2024-06-16".into(), "2024-07-15".into())
        );
    }

    #[test]
    fn missing_issue_number_is_an_error() {
        let lines = ["信息摘编", "", "目录"];
        let errs = parse(&lines, 2).expect_err("no 期");
        assert_eq!(errs[0].line, 1);
    }
}
