//! Pure text helpers: matching keys, Chinese numerals, and the repair of extraction damage
//! (lines broken mid-sentence, page numbers, running headers) in article bodies.

/// A key for comparing titles across the contents list and the body: whitespace dropped,
/// full-width ASCII folded to half-width, dashes and quotes unified, ASCII lowercased,
/// Markdown emphasis markers dropped.
pub fn norm_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let c = fold_width(c);
        match c {
            c if c.is_whitespace() => {}
            '*' => {}
            '–' | '—' | '―' | '‐' | '‑' | '−' | '－' => out.push('-'),
            '“' | '”' | '„' | '＂' => out.push('"'),
            '‘' | '’' => out.push('\''),
            c => out.push(c.to_ascii_lowercase()),
        }
    }
    out
}

/// Full-width ASCII (U+FF01..U+FF5E) to its half-width form; the ideographic space to a space.
pub fn fold_width(c: char) -> char {
    match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    }
}

/// A CJK ideograph or CJK punctuation (no spaces are needed around it when lines are joined).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
        || matches!(c, '“' | '”' | '‘' | '’' | '…' | '—' | '·')
}

/// Whitespace runs (including no-break and ideographic spaces) collapsed to one space, trimmed.
pub fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A title with whitespace collapsed and no space left beside full-width punctuation
/// (`解读6月份PMI数据： 制造业…` -> `解读6月份PMI数据：制造业…`).
pub fn tidy_title(s: &str) -> String {
    let c = collapse_ws(s);
    let chars: Vec<char> = c.chars().collect();
    let full = |c: Option<&char>| c.is_some_and(|c| "：！？，、；。".contains(*c));
    let mut out = String::with_capacity(c.len());
    for (i, ch) in chars.iter().enumerate() {
        if *ch == ' ' && (full(chars.get(i.wrapping_sub(1))) || full(chars.get(i + 1))) {
            continue;
        }
        out.push(*ch);
    }
    out
}

/// Joins two pieces of one broken line: no space between CJK text, one space between Latin words.
pub fn join_broken(a: &str, b: &str) -> String {
    let a = a.trim_end();
    let b = b.trim_start();
    match (a.chars().last(), b.chars().next()) {
        (Some(x), Some(y)) if !is_cjk(x) && !is_cjk(y) && x.is_ascii_alphanumeric() => {
            format!("{a} {b}")
        }
        _ => format!("{a}{b}"),
    }
}

/// Parses a Chinese (or Arabic) numeral: 七 -> 7, 三十七 -> 37, 十二 -> 12, 一百零二 -> 102.
pub fn chinese_number(s: &str) -> Option<u32> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok();
    }
    let mut total: u32 = 0;
    let mut digit: Option<u32> = None;
    for c in s.chars() {
        let d = match c {
            '零' | '〇' => Some(0),
            '一' => Some(1),
            '二' | '两' => Some(2),
            '三' => Some(3),
            '四' => Some(4),
            '五' => Some(5),
            '六' => Some(6),
            '七' => Some(7),
            '八' => Some(8),
            '九' => Some(9),
            _ => None,
        };
        if let Some(d) = d {
            digit = Some(d);
            continue;
        }
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            _ => return None,
        };
        total += digit.unwrap_or(1) * unit;
        digit = None;
    }
    Some(total + digit.unwrap_or(0))
}

/// The final character of a paragraph that ends a sentence or a heading's own punctuation.
fn ends_sentence(s: &str) -> bool {
    matches!(
        s.trim_end().chars().last(),
        Some(
            '。' | '！'
                | '？'
                | '!'
                | '?'
                | '；'
                | ';'
                | '：'
                | ':'
                | '…'
                | '—'
                | '」'
                | '』'
                | '》'
                | ')'
                | '）'
                | ']'
                | '】'
                | '”'
                | '"'
                | '.'
        )
    )
}

/// True when the text leaves a quote or bracket open (a sure sign of a break mid-sentence).
fn unbalanced(s: &str) -> bool {
    let count = |c: char| s.chars().filter(|&x| x == c).count();
    count('“') > count('”') || count('《') > count('》') || count('（') > count('）')
}

/// Numbered headings (`1.1 创新投入`, `一、…`, `（三）…`, `第二章…`) and figure/table captions.
pub fn is_numbered_heading(s: &str) -> bool {
    let s = s.trim();
    let mut chars = s.chars();
    let first = chars.next().unwrap_or(' ');
    if first.is_ascii_digit() {
        // `1 引言`, `1.2.1 专利…`; not `2024 年…`, `5 年来…`, `10 项举措`.
        let head: String = s
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        if head.split('.').any(|part| part.len() > 2) {
            return false;
        }
        let rest = s[head.len()..].trim_start();
        let spaced = s[head.len()..].starts_with([' ', '\u{3000}']);
        let unit = rest.starts_with(|c: char| "年月日个万亿家项条只名%岁天倍".contains(c));
        return spaced && !unit && !rest.is_empty();
    }
    const NUM: &str = "一二三四五六七八九十";
    if NUM.contains(first) {
        let rest: String = s.chars().skip_while(|c| NUM.contains(*c)).collect();
        return rest.starts_with('、');
    }
    if first == '（' || first == '(' {
        let rest: String = chars.skip_while(|c| NUM.contains(*c)).collect();
        return rest.starts_with('）') || rest.starts_with(')');
    }
    if let Some(rest) = s.strip_prefix('第') {
        let rest: String = rest.chars().skip_while(|c| NUM.contains(*c)).collect();
        return rest.starts_with(['章', '节', '部']);
    }
    if let Some(rest) = s.strip_prefix('图').or_else(|| s.strip_prefix('表')) {
        return rest.trim_start().starts_with(|c: char| c.is_ascii_digit());
    }
    false
}

/// Whether paragraph `a` was broken mid-sentence and continues in paragraph `b` (the blank line
/// between them is extraction damage, typically a page break).
pub fn continues(a: &str, b: &str) -> bool {
    let a = a.trim();
    let b = b.trim();
    if a.is_empty() || b.is_empty() || is_numbered_heading(a) || is_numbered_heading(b) {
        return false;
    }
    if a.ends_with(['，', '、', ',']) || unbalanced(a) {
        return true;
    }
    if ends_sentence(a) {
        return false;
    }
    // Subheadings are short; a paragraph cut at the end of a printed line is long.
    a.chars().count() >= 28
}

/// A line that is a page number (`12`, `- 12 -`, `第 12 页`) rather than text.
pub fn is_page_number(s: &str) -> bool {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.trim_matches(|c| c == '-' || c == '—' || c == '–');
    let t = t
        .strip_prefix('第')
        .and_then(|r| r.strip_suffix('页'))
        .unwrap_or(t);
    !t.is_empty() && t.len() <= 3 && t.chars().all(|c| c.is_ascii_digit())
}

/// Repairs `A and B` between Chinese words, an extraction artefact for 和.
pub fn repair_and(s: &str) -> String {
    let mut out = s.to_string();
    let mut from = 0;
    while let Some(pos) = out[from..].find(" and ") {
        let at = from + pos;
        let before = out[..at].chars().last();
        let after = out[at + 5..].chars().next();
        if before.is_some_and(is_cjk) && after.is_some_and(is_cjk) {
            out.replace_range(at..at + 5, "和");
            from = at + '和'.len_utf8();
        } else {
            from = at + 5;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norm_key_folds_width_space_dash_case() {
        assert_eq!(
            norm_key("美企报告预测: 2030 年中国汽车品牌 全球市占率将达 33%"),
            norm_key("美企报告预测：2030 年中国汽车品牌全球市占率将达 33%")
        );
        assert_eq!(norm_key("OPENAI 对中国设限"), norm_key("OpenAI对中国设限"));
        assert_eq!(norm_key("2023–2024 TOP50"), norm_key("2023-2024 TOP50"));
    }

    #[test]
    fn titles_are_tidied() {
        assert_eq!(
            tidy_title("北京：超百亿元投资！ 出台"),
            "北京：超百亿元投资！出台"
        );
        assert_eq!(
            tidy_title("证监会：发布“科创板八条”  为新质"),
            "证监会：发布“科创板八条” 为新质"
        );
    }

    #[test]
    fn chinese_numbers() {
        assert_eq!(chinese_number("七"), Some(7));
        assert_eq!(chinese_number("三十七"), Some(37));
        assert_eq!(chinese_number("十二"), Some(12));
        assert_eq!(chinese_number("十"), Some(10));
        assert_eq!(chinese_number("一百零二"), Some(102));
        assert_eq!(chinese_number("12"), Some(12));
        assert_eq!(chinese_number("期"), None);
    }

    #[test]
    fn join_rules() {
        assert_eq!(join_broken("集中", "签约"), "集中签约");
        assert_eq!(join_broken("for the", "web"), "for the web");
    }

    #[test]
    fn continuation_heuristics() {
        // page break mid-word inside a long paragraph
        let long = "具体来看，《八条措施》主要包括：一是强化科创板“硬科技”定位；五是完善股权激励制";
        assert!(continues(long, "度；六是完善交易机制。"));
        // open quote
        assert!(continues(
            "实施效果与复制推广价值。截至2020年，四川自贸试验区“银",
            "政互通”平台"
        ));
        // trailing comma
        assert!(continues(
            "实现了车路云一体化的全场景布局，",
            "获科技部科学技术成果"
        ));
        // short subheadings stay separate
        assert!(!continues(
            "以工业大数据和医疗大数据为例",
            "工业大数据已成为业界公认的"
        ));
        assert!(!continues(
            "企业生产保持扩张，制造业市场需求仍显不足——",
            "6月份，我国"
        ));
        assert!(!continues(
            "1.1.2 研发经费内部支出存在区域差异，东部地区远高于其他地区",
            "我国高技术企业主要分布在东部地区"
        ));
        assert!(!continues("完成了。", "下一段"));
    }

    #[test]
    fn numbered_headings() {
        assert!(is_numbered_heading("1.1 创新投入"));
        assert!(is_numbered_heading("0 引言"));
        assert!(is_numbered_heading("一、构建新发展格局"));
        assert!(is_numbered_heading("图 1 2012—2022 年"));
        assert!(!is_numbered_heading("2024 年我国自动驾驶市场规模"));
        assert!(!is_numbered_heading("6月份，我国"));
    }

    #[test]
    fn page_numbers() {
        assert!(is_page_number("12"));
        assert!(is_page_number(" - 7 - "));
        assert!(is_page_number("第 3 页"));
        assert!(!is_page_number("2024"));
        assert!(!is_page_number("结语"));
    }

    #[test]
    fn and_repair() {
        assert_eq!(repair_and("研究 and 转化应用"), "研究和转化应用");
        assert_eq!(repair_and("R and D"), "R and D");
    }
}
