//! Sanitised HTML fragments to readable plain text for the `text/plain` part: paragraphs and
//! list items on their own lines, links written out after their label. Also the short excerpts
//! the digest shows of each item, cut where a sentence or clause ends.

/// Converts a fragment of the HTML our Markdown renderer produces (already sanitised).
pub fn html_to_text(html: &str) -> String {
    let mut out = String::new();
    let mut href: Option<String> = None;
    let mut label_start = 0;
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        // Line breaks between tags are source layout, not text.
        let seg = &rest[..lt];
        if !(seg.trim().is_empty() && seg.contains('\n')) {
            out.push_str(&unescape(seg));
        }
        let Some(gt) = rest[lt..].find('>') else {
            rest = &rest[lt..];
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        rest = &rest[lt + gt + 1..];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        let closing = tag.starts_with('/');
        match (name.as_str(), closing) {
            ("a", false) => {
                href = attr(tag, "href");
                label_start = out.len();
            }
            ("a", true) => {
                if let Some(h) = href.take() {
                    let label = out[label_start..].trim();
                    if !h.starts_with('#') && label != h {
                        out.push_str(&format!(" <{h}>"));
                    }
                }
            }
            ("br", _) => out.push('\n'),
            ("li", false) => out.push_str("\n- "),
            ("td" | "th", false) => out.push_str(" | "),
            ("p" | "div" | "ul" | "ol" | "table" | "tr" | "blockquote" | "section", _)
            | ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", _) => out.push('\n'),
            _ => {}
        }
    }
    out.push_str(&unescape(rest));
    // One blank line at most between blocks; no spaces at line ends.
    let mut text = String::new();
    let mut blank = true;
    for line in out.lines().map(str::trim) {
        if line.is_empty() {
            if !blank {
                text.push('\n');
            }
            blank = true;
        } else {
            text.push_str(line);
            text.push('\n');
            blank = false;
        }
    }
    text.trim_end().to_string()
}

/// The text of a fragment on one line, without link targets: what an excerpt is cut from.
pub fn plain(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else {
            break;
        };
        let name = rest[lt + 1..lt + gt].trim_start_matches('/');
        // Inline tags (strong, a, code) sit inside a sentence; the others end a block.
        if ![
            "a", "strong", "em", "code", "span", "b", "i", "sup", "sub", "del",
        ]
        .iter()
        .any(|t| name == *t || name.starts_with(&format!("{t} ")))
        {
            out.push('\n');
        }
        rest = &rest[lt + gt + 1..];
    }
    out.push_str(rest);
    let text = unescape(&out);
    // Whitespace becomes one space, except a line break between two Chinese characters, which
    // is source layout (Chinese has no spaces between words).
    let mut line = String::new();
    let mut gap: Option<bool> = None;
    for c in text.chars() {
        if c.is_whitespace() {
            gap = Some(gap.unwrap_or(false) || c == '\n');
            continue;
        }
        if let Some(newline) = gap.take() {
            let cjk = |c: char| !c.is_ascii();
            let drop = newline && line.chars().last().is_some_and(cjk) && cjk(c);
            if !line.is_empty() && !drop {
                line.push(' ');
            }
        }
        line.push(c);
    }
    line
}

/// Ends of sentences, where an excerpt ends best.
const SENTENCE_END: [char; 6] = ['。', '；', '！', '？', '!', '?'];
/// Ends of clauses, the next best place.
const CLAUSE_END: [char; 4] = ['，', '、', '：', ';'];
/// Ends of a quotation, a bracket or a word: better than the middle of one.
const PHRASE_END: [char; 6] = ['”', '）', '》', ')', '’', ' '];

/// At most `max` characters of `text`: all of it when short enough, else cut after the last
/// sentence end, or failing that before the last clause end, or after the last closing quote,
/// bracket or space, that leaves at least half of `max`; failing all, at `max`. A cut text ends
/// in `…` (the ellipsis within `max`).
pub fn excerpt(text: &str, max: usize) -> String {
    let chars: Vec<char> = text.trim().chars().collect();
    if chars.len() <= max {
        return chars.into_iter().collect();
    }
    let max = max.max(2);
    let min = max / 2;
    // The ellipsis takes the last place.
    let window = &chars[..max - 1];
    let at = |set: &[char]| {
        window
            .iter()
            .rposition(|c| set.contains(c))
            .filter(|&i| i >= min)
    };
    let phrase = window
        .iter()
        .rposition(|c| PHRASE_END.contains(c))
        .filter(|&i| i >= min);
    let mut cut: String = match (at(&SENTENCE_END), at(&CLAUSE_END), phrase) {
        (Some(i), _, _) => chars[..=i].iter().collect(),
        (None, Some(i), _) => chars[..i].iter().collect(),
        (None, None, Some(i)) => chars[..=i]
            .iter()
            .collect::<String>()
            .trim_end()
            .to_string(),
        (None, None, None) => chars[..max - 1].iter().collect(),
    };
    cut.push('…');
    cut
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!("{name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')?;
    Some(unescape(&tag[start..start + end]))
}

fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_lists_and_links() {
        let t = html_to_text(
            "<p>甲 &amp; 乙</p>\n<ul>\n<li>一</li>\n<li><a href=\"https://e.example/x\">链接</a></li>\n</ul>",
        );
        assert_eq!(t, "甲 & 乙\n\n- 一\n- 链接 <https://e.example/x>");
    }

    #[test]
    fn plain_text_on_one_line() {
        assert_eq!(
            plain("<p>甲\n乙 <a href=\"x\">链接</a>与<strong>重点</strong></p>\n<p>a &amp; b</p>"),
            "甲乙 链接与重点 a & b"
        );
    }

    #[test]
    fn excerpts_end_at_sentences_then_clauses() {
        assert_eq!(excerpt("短句。", 10), "短句。");
        // A sentence end in the second half of the window wins over a later comma.
        assert_eq!(
            excerpt("一二三四五六。七八，九十甲乙丙丁", 10),
            "一二三四五六。…"
        );
        assert_eq!(
            excerpt("一二三四五六七，八九十甲乙丙丁", 10),
            "一二三四五六七…"
        );
        // Too early a boundary is not used.
        assert_eq!(
            excerpt("一。二三四五六七八九十甲乙丙丁", 10),
            "一。二三四五六七八…"
        );
        assert_eq!(excerpt("一二三四五六七八九十甲乙", 10).chars().count(), 10);
        assert_eq!(excerpt("一二三“四五六”七八九十甲乙", 10), "一二三“四五六”…");
    }
}
