//! Markdown to safe HTML: comrak renders (tables, autolinks, footnotes, strikethrough), ammonia
//! removes anything that could run script, whatever an editor or an imported file contains.

use std::borrow::Cow;

use comrak::Options;

pub mod document;
mod nesting;
pub use nesting::{TooDeep, MAX_DEPTH};

/// How links written as site paths (`/policies/x/`) in content are rewritten.
pub enum LinkBase {
    /// Prefix with a relative path to the site root, e.g. `../../` for an item page.
    Relative(String),
    /// Prefix with the site's absolute address (e-mail, feed).
    Absolute(String),
}

pub struct Renderer {
    options: Options<'static>,
    cleaner: ammonia::Builder<'static>,
}

/// comrak's options for a body: tables, autolinks, footnotes, strikethrough, and raw HTML,
/// which passes comrak so that ammonia can keep the harmless part (e.g. `<sub>`).
fn body_options() -> Options<'static> {
    let mut options = Options::default();
    options.extension.table = true;
    options.extension.autolink = true;
    options.extension.footnotes = true;
    options.extension.strikethrough = true;
    options.render.r#unsafe = true;
    options
}

/// Where a body nests its elements deeper than [`MAX_DEPTH`] (line and byte column in `md`),
/// which [`Renderer::html`] would not render as written: loaders
/// refuse such a body with this position.
pub fn check_nesting(md: &str) -> Result<(), TooDeep> {
    let mut options = body_options();
    // Byte columns: comrak counting characters re-scans the line for every node, which is
    // quadratic on one long line of `>`. The diagnostic turns the byte column into characters.
    options.parse.sourcepos_chars = false;
    let arena = comrak::Arena::new();
    match nesting::too_deep(comrak::parse_document(&arena, md, &options)) {
        Some(at) => Err(at),
        None => Ok(()),
    }
}

impl Renderer {
    pub fn new(base: LinkBase) -> Self {
        let options = body_options();

        let (prefix, absolute) = match base {
            LinkBase::Relative(p) => (p, false),
            LinkBase::Absolute(p) => (p, true),
        };
        let mut cleaner = ammonia::Builder::default();
        cleaner
            .add_generic_attributes(["id", "class"])
            .add_tag_attributes("a", ["aria-label"])
            .add_tags(["section"])
            .link_rel(Some("noopener noreferrer"))
            .url_relative(ammonia::UrlRelative::Custom(Box::new(SitePath {
                prefix,
                absolute,
            })));
        Renderer { options, cleaner }
    }

    /// Renders Markdown to sanitised HTML, in time linear in its length: a body nested deeper
    /// than [`MAX_DEPTH`] comes out as escaped text. Headings are shifted so the body's highest heading is
    /// an `h2`: the page title is the only `h1`, and no level is skipped whatever the editor used.
    pub fn html(&self, md: &str) -> String {
        use comrak::nodes::NodeValue;
        let arena = comrak::Arena::new();
        let root = comrak::parse_document(&arena, md, &self.options);
        if nesting::too_deep(root).is_some() {
            // Sanitising such nesting takes quadratic time (see `nesting`); the text is shown
            // as written instead, and `check_nesting` lets the loader refuse it.
            return format!("<p>{}</p>", crate::text::escape_html(md));
        }
        let top = root
            .descendants()
            .filter_map(|n| match &n.data().value {
                NodeValue::Heading(h) => Some(h.level),
                _ => None,
            })
            .min();
        if let Some(top) = top {
            for n in root.descendants() {
                if let NodeValue::Heading(h) = &mut n.data_mut().value {
                    h.level = (h.level + 2 - top).min(6);
                }
            }
        }
        let mut raw = String::new();
        if comrak::format_html(root, &self.options, &mut raw).is_err() {
            // Writing into a String cannot fail; fall back to escaped text all the same.
            return format!("<p>{}</p>", crate::text::escape_html(md));
        }
        document::mark(&mut raw);
        // HTML5 has no `align` on cells; keep the editor's alignment as a class. Only tables
        // have it: most bodies skip the three passes.
        if raw.contains(" align=\"") {
            raw = raw
                .replace(" align=\"left\">", " class=\"align-left\">")
                .replace(" align=\"right\">", " class=\"align-right\">")
                .replace(" align=\"center\">", " class=\"align-center\">");
        }
        valid_tags(&self.cleaner.clean(&raw).to_string())
    }
}

/// What cleaning leaves invalid in HTML5, mended: an `<img>` from raw HTML without `alt` gets an
/// empty one, and an `<a>` whose unsafe `href` was removed loses the `rel` that then needs it.
/// Ammonia's output is normalised (double-quoted attributes, `>` escaped inside them), so a
/// tag ends at the first `>`.
fn valid_tags(html: &str) -> String {
    if !html.contains("<img") && !html.contains("<a ") {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + 16);
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let tag_and_after = &rest[start..];
        let Some(end) = tag_and_after.find('>') else {
            out.push_str(tag_and_after);
            return out;
        };
        let tag = &tag_and_after[..end];
        if tag.starts_with("<img") && !tag.contains(" alt=") {
            out.push_str(tag);
            out.push_str(" alt=\"\"");
        } else if tag.starts_with("<a ") && !tag.contains(" href=") {
            out.push_str(&tag.replace(" rel=\"noopener noreferrer\"", ""));
        } else {
            out.push_str(tag);
        }
        out.push('>');
        rest = &tag_and_after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Rewrites `/x` to the site root prefix; leaves `#frag` alone. Other relative links (`x/`,
/// `../x`) stay as written on the site; in an e-mail, which has no page to be relative to, they
/// are taken from the site root too.
struct SitePath {
    prefix: String,
    absolute: bool,
}

impl ammonia::UrlRelativeEvaluate<'static> for SitePath {
    fn evaluate<'a>(&self, url: &'a str) -> Option<Cow<'a, str>> {
        match url.strip_prefix('/') {
            Some(rest) if !rest.starts_with('/') => {
                Some(Cow::Owned(format!("{}{rest}", self.prefix)))
            }
            Some(_) => None, // protocol-relative: an external host; drop it
            None if self.absolute && !url.starts_with('#') => {
                let mut rest = url;
                while let Some(r) = rest.strip_prefix("../").or_else(|| rest.strip_prefix("./")) {
                    rest = r;
                }
                Some(Cow::Owned(format!("{}{rest}", self.prefix)))
            }
            None => Some(Cow::Borrowed(url)),
        }
    }
}

/// Plain text of an HTML fragment, whitespace collapsed, at most `max` characters.
///
/// One pass that stops once it knows the text is longer than `max`: every card takes its
/// excerpt from a whole rendered body, of which it shows the first few lines.
pub fn excerpt(html: &str, max: usize) -> String {
    const ENTITIES: [(&str, char); 5] = [
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&quot;", '"'),
        ("&#39;", '\''),
        ("&amp;", '&'),
    ];
    let mut out = String::new();
    let mut count = 0;
    // A space is written only before the next visible character: none leads or trails.
    let mut space = false;
    let mut in_tag = false;
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        let mut len = c.len_utf8();
        let text = match c {
            '<' => {
                in_tag = true;
                None
            }
            '>' if in_tag => {
                in_tag = false;
                space = true;
                None
            }
            _ if in_tag => None,
            '&' => match ENTITIES.iter().find(|(e, _)| rest.starts_with(e)) {
                Some((e, decoded)) => {
                    len = e.len();
                    Some(*decoded)
                }
                None => Some('&'),
            },
            _ => Some(c),
        };
        rest = &rest[len..];
        match text {
            Some(c) if c.is_whitespace() => space = true,
            Some(c) => {
                if space && count > 0 {
                    out.push(' ');
                    count += 1;
                }
                space = false;
                if count >= max {
                    // A visible character beyond `max`: the text is cut.
                    let cut = out.char_indices().nth(max).map_or(out.len(), |(i, _)| i);
                    out.truncate(cut);
                    out.push('…');
                    return out;
                }
                out.push(c);
                count += 1;
            }
            None => {}
        }
    }
    out
}

/// Plain text of Markdown (no `**`, `#` or link syntax), at most `max` characters: the excerpt
/// of a summary on a card. Raw HTML in the Markdown is dropped, not shown as text.
pub fn excerpt_markdown(md: &str, max: usize) -> String {
    use comrak::nodes::NodeValue;
    let mut options = Options::default();
    options.extension.table = true;
    options.extension.autolink = true;
    options.extension.footnotes = true;
    options.extension.strikethrough = true;
    let arena = comrak::Arena::new();
    let root = comrak::parse_document(&arena, md, &options);
    let mut text = String::new();
    for n in root.descendants() {
        match &n.data().value {
            NodeValue::Text(t) => text.push_str(t),
            NodeValue::Code(c) => text.push_str(&c.literal),
            NodeValue::CodeBlock(c) => text.push_str(&c.literal),
            // Block starts and line breaks separate words; truncate() collapses the runs.
            NodeValue::SoftBreak
            | NodeValue::LineBreak
            | NodeValue::Paragraph
            | NodeValue::Heading(_)
            | NodeValue::Item(_)
            | NodeValue::TableCell => text.push(' '),
            _ => {}
        }
    }
    truncate(&text, max)
}

/// Whitespace collapsed, cut at `max` characters with an ellipsis.
fn truncate(text: &str, max: usize) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= max {
        collapsed
    } else {
        let mut s: String = collapsed.chars().take(max).collect();
        s.push('…');
        s
    }
}

#[cfg(test)]
// Tests set up files directly (the fsio rule of `clippy.toml` is for the code under test).
#[allow(clippy::disallowed_methods, clippy::disallowed_types)]
mod tests {
    use super::*;

    #[test]
    fn cleaned_raw_html_stays_valid() {
        let html = r().html(
            "图 <img src=\"https://example.com/x.png\"> <img alt=\"有\" src=\"y.png\">\n\
             <a href=\"javascript:alert(1)\">链接</a> <a href=\"https://e.com/\">好</a> a > b",
        );
        assert!(
            html.contains("<img src=\"https://example.com/x.png\" alt=\"\">"),
            "{html}"
        );
        assert!(html.contains("<img alt=\"有\" src=\"y.png\">"), "{html}");
        assert!(html.contains("<a>链接</a>"), "{html}");
        assert!(
            html.contains("<a href=\"https://e.com/\" rel=\"noopener noreferrer\">好</a>"),
            "{html}"
        );
        assert!(html.contains("a &gt; b"), "{html}");
    }

    #[test]
    fn markdown_excerpts_drop_the_markup() {
        let md = "近日发布 **2023 年中国独角兽企业排行榜**，见[榜单](https://example.com/)。\n\n# 标题\n\n<script>x</script>\n\n`a<b`";
        assert_eq!(
            excerpt_markdown(md, 200),
            "近日发布 2023 年中国独角兽企业排行榜，见榜单。 标题 a<b"
        );
        assert_eq!(excerpt_markdown("一二三四五", 3), "一二三…");
    }

    fn r() -> Renderer {
        Renderer::new(LinkBase::Relative("../../".into()))
    }

    #[test]
    fn strips_script_and_handlers() {
        let html = r().html(
            "hi <script>alert(1)</script><img src=x onerror=alert(1)> [a](javascript:alert(1))",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn rewrites_site_paths() {
        let html = r().html("[p](/policies/x/) [e](https://e.example/) [f](#fn)");
        assert!(html.contains("href=\"../../policies/x/\""), "{html}");
        assert!(html.contains("href=\"https://e.example/\""), "{html}");
    }

    #[test]
    fn absolute_links_for_email() {
        let r = Renderer::new(LinkBase::Absolute("https://i.example/b/".into()));
        let html = r.html("[p](/policies/x/) [q](../books/y/) [f](#fn) [e](https://e.example/)");
        assert!(
            html.contains("href=\"https://i.example/b/policies/x/\""),
            "{html}"
        );
        assert!(
            html.contains("href=\"https://i.example/b/books/y/\""),
            "{html}"
        );
        assert!(html.contains("href=\"#fn\""), "{html}");
        assert!(html.contains("href=\"https://e.example/\""), "{html}");
    }

    #[test]
    fn tables_have_no_obsolete_align() {
        let html = r().html("| a | b |\n|:--|--:|\n| 1 | 2 |\n");
        assert!(html.contains("<table>"), "{html}");
        assert!(!html.contains("align="), "{html}");
        assert!(html.contains("class=\"align-right\""), "{html}");
    }

    #[test]
    fn footnotes_survive() {
        let html = r().html("text[^1]\n\n[^1]: note\n");
        assert!(html.contains("href=\"#fn-1\""), "{html}");
        assert!(html.contains("id=\"fn-1\""), "{html}");
    }

    #[test]
    fn headings_start_at_h2_and_keep_their_steps() {
        let html = r().html("### a\n\n#### b\n\n### c\n");
        assert!(
            html.contains("<h2>a</h2>") && html.contains("<h3>b</h3>"),
            "{html}"
        );
        let html = r().html("# top\n\n## sub\n");
        assert!(
            html.contains("<h2>top</h2>") && html.contains("<h3>sub</h3>"),
            "{html}"
        );
    }

    /// The excerpt as first written (strip, decode, collapse, cut): the one-pass version must
    /// give the same text.
    fn excerpt_reference(html: &str, max: usize) -> String {
        let mut text = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => {
                    in_tag = false;
                    text.push(' ');
                }
                _ if !in_tag => text.push(c),
                _ => {}
            }
        }
        let text = text
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
        truncate(&text, max)
    }

    #[test]
    fn excerpt_matches_the_reference() {
        let cases = [
            "",
            "   ",
            "<p></p>",
            "<p>a</p><p>b</p>",
            "<p>一二三</p>\n\n<p>四五</p>",
            "a &amp;lt; b &lt;c&gt; &quot;d&quot; &#39;e&#39; &amp; &nbsp; &",
            "&l<b>t;</b> x > y <i>z</i>",
            "全角\u{3000}空格\u{00a0}与 \t 制表",
            "<a href=\"/x/\">链接</a>文字 <ul><li>一</li><li>二</li></ul>",
            "unclosed <tag never ends",
            "ends with space   ",
            "<p>一二三四五六七八九十</p>",
        ];
        let body = r().html(
            &std::fs::read_to_string(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/bulletins/000_cffa8b30958d59cf.txt"
            ))
            .expect("fixture bulletin"),
        );
        for html in cases.iter().copied().chain([body.as_str()]) {
            for max in [0, 1, 2, 3, 5, 9, 10, 11, 120, 100_000] {
                assert_eq!(
                    excerpt(html, max),
                    excerpt_reference(html, max),
                    "{html:?} at {max}"
                );
            }
        }
    }

    #[test]
    fn excerpt_is_plain() {
        assert_eq!(excerpt("<p>a &amp; <b>b</b></p>", 10), "a & b");
        assert_eq!(excerpt("<p>一二三四五</p>", 3), "一二三…");
    }
}
