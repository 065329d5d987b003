//! The framing of an official document's text: the salutation (主送机关) that opens it and the
//! signature (落款: issuers, then the date) that closes it. Neither is prose, so neither is
//! indented like a paragraph, and a 落款 is set flush right, as in the printed document.
//!
//! Recognised in comrak's HTML, before cleaning (a plain `<p>` is comrak's own; a paragraph an
//! editor wrote as HTML keeps its own classes):
//! - salutation: the body's first block is a paragraph that ends with a colon (`：` or `:`) and
//!   holds no full stop, e.g. `各省、自治区、直辖市……：`;
//! - signature: the body's last block is a paragraph of short lines (hard line breaks, two
//!   spaces or `\` at the end of a Markdown line) whose last line is a date
//!   (`2023年7月22日`, `二〇二三年七月二十二日`).
//!
//! A body with a signature is the document itself, not a report of it (see [`is_document`]).

/// The class of the signature paragraph.
const SIGNATURE: &str = "<p class=\"signature\">";
const SALUTATION: &str = "<p class=\"salutation\">";
/// Longest line of a signature, in characters: an issuer's name, not a sentence.
const SIGNATURE_LINE: usize = 40;

/// Marks the salutation and signature of `raw` (comrak's HTML of a body).
pub fn mark(raw: &mut String) {
    if let Some(end) = raw.strip_prefix("<p>").and_then(|r| r.find("</p>")) {
        let text = plain(&raw[3..3 + end]);
        let text = text.trim_end();
        if (text.ends_with('：') || text.ends_with(':')) && !text.contains('。') {
            raw.replace_range(..3, SALUTATION);
        }
    }
    let body = raw.trim_end();
    if let Some(para) = body.strip_suffix("</p>") {
        if let Some(start) = para.rfind("<p>") {
            let lines: Vec<String> = para[start + 3..]
                .split("<br />")
                .map(|l| plain(l).trim().to_string())
                .collect();
            let short = lines.iter().all(|l| l.chars().count() <= SIGNATURE_LINE);
            if lines.len() > 1 && short && lines.last().is_some_and(|l| is_date(l)) {
                raw.replace_range(start..start + 3, SIGNATURE);
            }
        }
    }
}

/// Whether a rendered body is the document's own text: it ends with a 落款.
pub fn is_document(html: &str) -> bool {
    html.contains(SIGNATURE)
}

/// The text of an HTML fragment without its tags (entities left as they are: only the shape
/// of the text matters here).
fn plain(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// `2023年7月22日`, `2023 年 7 月 22 日` or `二〇二三年七月二十二日`.
fn is_date(line: &str) -> bool {
    let s: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    let numeral = |c: char| c.is_ascii_digit() || "〇零一二三四五六七八九十".contains(c);
    let mut rest = s.as_str();
    for unit in ['年', '月', '日'] {
        let Some((n, r)) = rest.split_once(unit) else {
            return false;
        };
        if n.is_empty() || !n.chars().all(numeral) {
            return false;
        }
        rest = r;
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(s: &str) -> String {
        let mut s = s.to_string();
        mark(&mut s);
        s
    }

    #[test]
    fn a_notice_has_its_salutation_and_signature_marked() {
        let html =
            "<p>各省、自治区、直辖市工业和信息化主管部门：</p>\n<p>为贯彻落实……通知如下。</p>\n\
                    <p>工业和信息化部<br />\n中国人民银行<br />\n2023年7月22日</p>\n";
        let m = marked(html);
        assert!(m.starts_with(SALUTATION), "{m}");
        assert!(m.contains("<p class=\"signature\">工业和信息化部"), "{m}");
        assert!(is_document(&m));
    }

    #[test]
    fn prose_is_left_alone() {
        for html in [
            // A colon that ends a sentence's lead-in, after a full stop.
            "<p>会议指出。要点如下：</p>\n<p>一是……</p>\n",
            // The last paragraph ends with a date but is one line of prose.
            "<p>正文。</p>\n<p>本办法自2024年6月1日起施行，有效期至2026年5月31日</p>\n",
            // Short lines, but the last is no date.
            "<p>正文。</p>\n<p>财政部<br />\n工业和信息化部</p>\n",
            // A long line is a sentence, not a signature.
            "<p>正文。</p>\n<p>这是一句很长很长的话，它写了很多很多的内容，远远超过了一个机关名称应有的长度，所以不是落款<br />\n2024年6月1日</p>\n",
        ] {
            assert_eq!(marked(html), html);
        }
    }

    #[test]
    fn dates_in_figures_or_words() {
        assert!(is_date("2023年7月22日"));
        assert!(is_date("2023 年 7 月 22 日"));
        assert!(is_date("二〇二三年七月二十二日"));
        assert!(!is_date("2023年7月"));
        assert!(!is_date("2023年7月22日起"));
        assert!(!is_date("中国人民银行"));
    }
}
