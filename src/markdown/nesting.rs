//! A bound on how deeply a body's elements nest, so that every body renders in time linear in
//! its size.
//!
//! The cost is in html5ever, the HTML parser under ammonia: for many start tags it searches the
//! stack of open elements ("is there a `p` in button scope?"), so N nested elements cost N².
//! A 200 KB line of `>` (200,000 nested block quotes) took over two minutes, 100,000 nested
//! `<div>` 13 s. comrak itself stays linear on such input.
//!
//! The depth is estimated from comrak's syntax tree (every element is one level:
//! a list level is two, the list and its item) plus the raw HTML inside it, read with a small
//! tag scanner. The scanner errs on the deep side where HTML's rules would need a full parser:
//! an end tag closes only what it plainly closes, and a formatting element (`<b>`, `<a>`, …)
//! closed out of order stays counted, since html5ever may reopen it.

use comrak::arena_tree::NodeEdge;
use comrak::nodes::{AstNode, NodeValue};

/// The deepest nesting of elements a body may have. Real bulletins stay below 15; the bound
/// keeps the worst case (a body made only of nested elements) to a few seconds per 10 MB.
pub const MAX_DEPTH: usize = 100;

/// Where a body's nesting first goes deeper than [`MAX_DEPTH`]: 1-based line and byte column in
/// the Markdown text (comrak counts characters only by re-scanning each line, quadratic on one
/// long line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    pub line: usize,
    pub column: usize,
}

/// The first place where `root`'s elements nest deeper than [`MAX_DEPTH`], if any.
pub fn too_deep<'a>(root: &'a AstNode<'a>) -> Option<TooDeep> {
    let mut depth = 0usize;
    let mut raw = RawHtml::default();
    for edge in root.traverse() {
        match edge {
            NodeEdge::Start(n) => {
                let data = n.data();
                let start = data.sourcepos.start;
                let at = |line_offset: usize, column: usize| TooDeep {
                    line: start.line + line_offset,
                    column: if line_offset == 0 {
                        start.column + column - 1
                    } else {
                        column
                    },
                };
                let literal = match &data.value {
                    NodeValue::HtmlBlock(b) => Some(b.literal.as_str()),
                    NodeValue::HtmlInline(s) => Some(s.as_str()),
                    _ => None,
                };
                if let Some(text) = literal {
                    if let Some((l, c)) = raw.feed(text, MAX_DEPTH.saturating_sub(depth)) {
                        return Some(at(l, c));
                    }
                }
                if is_element(&data.value) {
                    depth += 1;
                    if depth + raw.depth() > MAX_DEPTH {
                        return Some(at(0, 1));
                    }
                }
            }
            NodeEdge::End(n) => {
                if is_element(&n.data().value) {
                    depth -= 1;
                }
            }
        }
    }
    None
}

/// Whether comrak writes `value` as an element of its own (raw HTML is read separately).
fn is_element(value: &NodeValue) -> bool {
    !matches!(
        value,
        NodeValue::Document
            | NodeValue::Text(_)
            | NodeValue::SoftBreak
            | NodeValue::LineBreak
            | NodeValue::HtmlBlock(_)
            | NodeValue::HtmlInline(_)
    )
}

/// Elements that never hold others (void), or that an opening tag of their own kind closes
/// (so they cannot pile up without a counted element between them), or that html5ever ignores
/// inside a body: none adds a level.
const UNCOUNTED: [&str; 30] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param", "keygen", "frame", "p", "li", "dt", "dd", "option", "tr", "td", "th", "thead",
    "tbody", "tfoot", "caption", "colgroup", "html",
];

/// Elements whose content is text up to their end tag.
const RAW_TEXT: [&str; 7] = [
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed",
];

/// Formatting elements: html5ever keeps a list of them and may reopen one closed out of order.
const FORMATTING: [&str; 14] = [
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];

/// The raw HTML seen so far in a body: the elements it left open, in order.
#[derive(Default)]
struct RawHtml {
    open: Vec<String>,
    /// Formatting elements closed out of order, still counted.
    leaked: usize,
    /// Inside a raw-text element (`<script>` …) that a previous piece left open.
    raw_text: Option<String>,
    /// After `<plaintext>`: the rest is text.
    plaintext: bool,
}

impl RawHtml {
    fn depth(&self) -> usize {
        self.open.len() + self.leaked
    }

    /// Reads one piece of raw HTML. Returns the (0-based line offset, 1-based byte column) in `text`
    /// of the start tag at which the depth goes past `room`.
    fn feed(&mut self, text: &str, room: usize) -> Option<(usize, usize)> {
        let b = text.as_bytes();
        let mut i = 0;
        if let Some(name) = self.raw_text.take() {
            match find_end_tag(b, 0, &name) {
                Some(end) => i = end,
                None => {
                    self.raw_text = Some(name);
                    return None;
                }
            }
        }
        while !self.plaintext {
            let Some(lt) = b[i..].iter().position(|&c| c == b'<').map(|p| p + i) else {
                break;
            };
            let rest = &b[lt + 1..];
            if rest.starts_with(b"!--") {
                i = find(b, lt + 4, b"-->").map_or(b.len(), |e| e + 3);
                continue;
            }
            let closing = rest.first() == Some(&b'/');
            let name_start = lt + 1 + usize::from(closing);
            let name_len = b[name_start..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
                .count();
            let starts_with_letter = b.get(name_start).is_some_and(u8::is_ascii_alphabetic);
            if name_len == 0 || !starts_with_letter {
                // `<!…>`, `<?…>`, `</ …>` are comments to html5ever; a lone `<` is text.
                let bogus = matches!(rest.first(), Some(b'!' | b'?' | b'/'));
                i = if bogus {
                    find(b, lt, b">").map_or(b.len(), |e| e + 1)
                } else {
                    lt + 1
                };
                continue;
            }
            let name = text[name_start..name_start + name_len].to_ascii_lowercase();
            let Some(end) = tag_end(b, name_start + name_len) else {
                break; // a tag cut off at the end is dropped
            };
            i = end;
            if closing {
                self.close(&name);
                continue;
            }
            if name == "plaintext" {
                self.plaintext = true;
            } else if RAW_TEXT.contains(&name.as_str()) {
                match find_end_tag(b, i, &name) {
                    Some(e) => i = e,
                    None => {
                        self.raw_text = Some(name);
                        return None;
                    }
                }
                continue;
            }
            if UNCOUNTED.contains(&name.as_str()) || self.self_closed_foreign(b, end) {
                continue;
            }
            self.open.push(name);
            if self.depth() > room {
                let before = &text[..lt];
                let line = before.matches('\n').count();
                let column = before.rsplit('\n').next().unwrap_or("").len() + 1;
                return Some((line, column));
            }
        }
        None
    }

    /// `<x/>` closes itself only inside SVG or MathML; in HTML the slash means nothing.
    fn self_closed_foreign(&self, b: &[u8], end: usize) -> bool {
        end >= 2 && b[end - 2] == b'/' && self.open.iter().any(|n| n == "svg" || n == "math")
    }

    fn close(&mut self, name: &str) {
        if FORMATTING.contains(&name) {
            if self.open.last().is_some_and(|n| n == name) {
                self.open.pop();
            }
            return;
        }
        let Some(at) = self.open.iter().rposition(|n| n == name) else {
            return;
        };
        let closed = self.open.split_off(at);
        self.leaked += closed
            .iter()
            .filter(|n| FORMATTING.contains(&n.as_str()))
            .count();
    }
}

/// The index just past the `>` ending a tag whose name ends at `from`, skipping quoted
/// attribute values.
fn tag_end(b: &[u8], mut from: usize) -> Option<usize> {
    while from < b.len() {
        match b[from] {
            b'>' => return Some(from + 1),
            b'=' => {
                from += 1;
                while b.get(from).is_some_and(u8::is_ascii_whitespace) {
                    from += 1;
                }
                if let Some(&q @ (b'"' | b'\'')) = b.get(from) {
                    from = b[from + 1..].iter().position(|&c| c == q)? + from + 2;
                }
            }
            _ => from += 1,
        }
    }
    None
}

/// The index just past `</name …>` (any case) at or after `from`.
fn find_end_tag(b: &[u8], mut from: usize, name: &str) -> Option<usize> {
    while let Some(lt) = find(b, from, b"</") {
        let n = lt + 2;
        let here = b.get(n..n + name.len());
        let after = b.get(n + name.len()).copied();
        if here.is_some_and(|h| h.eq_ignore_ascii_case(name.as_bytes()))
            && !after.is_some_and(|c| c.is_ascii_alphanumeric())
        {
            return tag_end(b, n + name.len()).or(Some(b.len()));
        }
        from = n;
    }
    None
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(md: &str) -> Option<TooDeep> {
        let mut options = comrak::Options::default();
        options.parse.sourcepos_chars = false;
        options.extension.footnotes = true;
        let arena = comrak::Arena::new();
        too_deep(comrak::parse_document(&arena, md, &options))
    }

    #[test]
    fn quotes_lists_and_raw_html_are_bounded_where_they_go_too_deep() {
        assert_eq!(check(&">".repeat(MAX_DEPTH)), None);
        let deep = format!("正文\n\n{}", ">".repeat(MAX_DEPTH + 1));
        assert_eq!(
            check(&deep),
            Some(TooDeep {
                line: 3,
                column: MAX_DEPTH + 1
            })
        );
        // A list level is two elements: the list and its item.
        let list = |n: usize| format!("{}项", "- ".repeat(n));
        assert!(check(&list(MAX_DEPTH / 2 - 1)).is_none());
        assert!(check(&list(MAX_DEPTH / 2 + 1)).is_some());
        let divs = format!("一\n\n二\n{}", "<div>".repeat(MAX_DEPTH + 5));
        assert_eq!(
            check(&divs),
            Some(TooDeep {
                line: 4,
                column: 5 * MAX_DEPTH + 1
            })
        );
        let spread = "<div>\n\n正文\n\n".repeat(MAX_DEPTH + 1);
        // The paragraph inside the hundredth open `<div>` is one level too many.
        assert_eq!(check(&spread).map(|t| t.line), Some(4 * MAX_DEPTH - 1));
    }

    #[test]
    fn closed_void_commented_and_raw_text_elements_add_nothing() {
        let closed = "<div><span>x</span></div>\n".repeat(1000);
        let void = "<br><img src=x><p>a<li>b\n".repeat(1000);
        let comment = format!("<!-- {} -->", "<div>".repeat(1000));
        let script = format!("<script>{}</script>", "<div>".repeat(1000));
        let svg = format!("<svg>{}</svg>", "<path d=\"a>b\"/>".repeat(1000));
        for md in [closed, void, comment, script, svg] {
            assert_eq!(check(&md), None, "{}", &md[..40]);
        }
    }

    #[test]
    fn tricks_that_keep_html5ever_deep_are_counted() {
        // End tags of elements that are not open are ignored by html5ever too.
        let stray = "<div></span></em>".repeat(MAX_DEPTH + 1);
        // A formatting element closed out of order may be reopened.
        let misnested = "<div><b id=1>x</div>".repeat(MAX_DEPTH);
        let quoted = format!("<div title=\"{}\">", "<".repeat(10)).repeat(MAX_DEPTH + 1);
        for md in [stray, misnested, quoted] {
            assert!(check(&md).is_some(), "{}", &md[..40]);
        }
    }
}
