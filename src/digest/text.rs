//! Sanitised HTML fragments to readable plain text for the `text/plain` part: paragraphs and
//! list items on their own lines, links written out after their label.

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
}
