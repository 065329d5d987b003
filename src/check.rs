//! `bulletin check`: the build's loading, validation and rendering, then every internal link of
//! the rendered site must lead to a page or file of the same build. Nothing is written.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use percent_encoding::percent_decode_str;

use crate::build::{render_site, BuildError, BuildReport};
use crate::diag::{Diagnostic, Diagnostics};
use crate::render::OutFile;

/// `bulletin check`: the build's loading, validation and rendering plus a link check.
pub fn run(root: &Path) -> Result<BuildReport, BuildError> {
    let start = Instant::now();
    let (site, files) = render_site(root)?;
    let broken = check_links(root, &files, site.config.base_url.path());
    if !broken.is_empty() {
        return Err(BuildError::Content(broken.sorted()));
    }
    Ok(BuildReport {
        pages: files.iter().filter(|f| f.path.ends_with(".html")).count(),
        files: files.len(),
        elapsed: start.elapsed(),
    })
}

/// Checks `href` and `src` attributes of every HTML file. `base_path` is the path part of
/// `base_url` (absolute links on 404.html start with it). A broken link is reported at the line
/// of the content file (under `root`) that holds it.
pub fn check_links(root: &Path, files: &[OutFile], base_path: &str) -> Diagnostics {
    let paths: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut diags = Diagnostics::default();
    let mut sources = Sources::new(root);
    for f in files.iter().filter(|f| f.path.ends_with(".html")) {
        let html = String::from_utf8_lossy(&f.bytes);
        let dir = f.path.rsplit_once('/').map_or("", |(d, _)| d);
        for link in links(&html) {
            let Some(target) = resolve(dir, &link, base_path) else {
                continue;
            };
            let found = paths.contains(target.as_str())
                || paths.contains(format!("{target}/index.html").as_str())
                || (target.is_empty() && paths.contains("index.html"));
            if !found {
                let page = f.path.trim_end_matches("index.html");
                let message = format!("broken link `{link}` on page /{page}");
                let hint = format!("no page or file `/{target}` in the site; link to an existing page, e.g. /policies/<slug>/");
                let d = match sources.locate(f.source.as_deref(), &link) {
                    Some((path, text, line, col)) => {
                        Diagnostic::new(path, message).at(text, line, col)
                    }
                    None => Diagnostic::new(
                        f.source
                            .clone()
                            .unwrap_or_else(|| PathBuf::from("site").join(&f.path)),
                        message,
                    ),
                };
                diags.push(d.with_hint(hint));
            }
        }
    }
    diags
}

/// The content files a broken link may come from, read when one is found.
struct Sources<'a> {
    root: &'a Path,
    texts: HashMap<PathBuf, Option<String>>,
    all: Option<Vec<PathBuf>>,
}

impl<'a> Sources<'a> {
    fn new(root: &'a Path) -> Self {
        Sources {
            root,
            texts: HashMap::new(),
            all: None,
        }
    }

    fn text(&mut self, rel: &Path) -> Option<&str> {
        let root = self.root;
        self.texts
            .entry(rel.to_path_buf())
            .or_insert_with(|| crate::fsio::read_to_string(&root.join(rel)).ok())
            .as_deref()
    }

    /// The file, its text and the position of `link` as written: in the page's own content file,
    /// or else (a listing, the digest page, a card) in the first content file that holds it.
    fn locate(
        &mut self,
        source: Option<&Path>,
        link: &str,
    ) -> Option<(PathBuf, &str, usize, usize)> {
        let forms = written_forms(link);
        // The page's own file first: a page also shows other items' text (cards, excerpts).
        let root = self.root;
        let all = self.all.get_or_insert_with(|| content_files(root));
        let candidates: Vec<PathBuf> = source
            .map(Path::to_path_buf)
            .into_iter()
            .chain(all.iter().cloned())
            .collect();
        let (rel, at) = candidates.into_iter().find_map(|rel| {
            let text = self.text(&rel)?;
            let at = forms
                .iter()
                .find_map(|f| Some(f.captures(text)?.get(1)?.start()))?;
            Some((rel, at))
        })?;
        let text = self.text(&rel)?;
        let before = &text[..at];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        Some((rel, text, line, col))
    }
}

/// How a rendered link may have been written in Markdown: as a site path (`/policies/x/`,
/// rendered `../../policies/x/`), decoded (comrak percent-encodes, the HTML escapes), as is;
/// each as a [`pattern`].
fn written_forms(link: &str) -> Vec<regex::Regex> {
    let unescaped = link
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    let decoded = percent_decode_str(&unescaped)
        .decode_utf8_lossy()
        .into_owned();
    let mut forms = Vec::new();
    for base in [decoded, unescaped] {
        let mut core = base.as_str();
        while let Some(r) = core.strip_prefix("../").or_else(|| core.strip_prefix("./")) {
            core = r;
        }
        forms.extend([format!("/{core}"), core.to_string()]);
        forms.push(base.clone());
    }
    // First as a whole destination (after `(`, `<`, `=` or a reference's `]:`, before `)`, a
    // quote, `>` or a space), then anywhere, so that a short link (`x`) is not found inside a word.
    let delimited = forms.iter().map(|f| {
        format!(
            r#"(?m)(?:[(<]|=["']?|\]:[ \t]*)({})(?:[)"'>\s]|$)"#,
            pattern(f)
        )
    });
    let anywhere = forms
        .iter()
        .filter(|f| f.chars().count() > 2)
        .map(|f| format!("({})", pattern(f)));
    // Last, the link's tail after each `/`, longest first: a template writes a link as
    // `{{ root }}{{ x.url }}tail`, of which only the tail is in its text.
    let core = forms.get(1).cloned().unwrap_or_default();
    let tails: Vec<String> = core
        .match_indices('/')
        .map(|(i, _)| core[i + 1..].to_string())
        .filter(|t| t.trim_matches('/').chars().count() > 3)
        .map(|t| format!("({})", pattern(&t)))
        .collect();
    // Very last, its last segment alone: a template may build the link from a bare name
    // (`{% for n in ["tags:标签"] %}…{{ root }}{{ n }}/`), with no slash beside it in its text.
    let last = core
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|t| t.chars().count() > 3)
        .map(|t| format!("({})", pattern(t)));
    delimited
        .chain(anywhere)
        .chain(tails)
        .chain(last)
        .filter_map(|p| regex::Regex::new(&p).ok())
        .collect()
}

/// A pattern for `text` as Markdown may write it: punctuation possibly backslash-escaped, the
/// characters HTML escapes possibly as entities.
fn pattern(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '&' => "(?:&amp;|&#38;|&)".to_string(),
            '<' => "(?:&lt;|<)".to_string(),
            '>' => "(?:&gt;|>)".to_string(),
            '"' => "(?:&quot;|\")".to_string(),
            c if c.is_ascii_punctuation() => format!(r"\\?{}", regex::escape(&c.to_string())),
            c => regex::escape(&c.to_string()),
        })
        .collect()
}

/// Every file under `root/content`, then under `root/templates` (a template may make a link
/// too), relative to `root`, in a stable order.
fn content_files(root: &Path) -> Vec<PathBuf> {
    ["content", "templates"]
        .iter()
        .flat_map(|dir| walkdir::WalkDir::new(root.join(dir)).sort_by_file_name())
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.path().strip_prefix(root).ok().map(Path::to_path_buf))
        .collect()
}

/// Values of `href="…"` and `src="…"` attributes (templates and comrak quote with `"`), read
/// inside tags only: text may hold ` src="` too (ammonia leaves `"` unescaped in text), and every
/// `<` that is not a tag is escaped, so a tag runs from `<` to the next `>`.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        for attr in [" href=\"", " src=\""] {
            let mut t = tag;
            while let Some(i) = t.find(attr) {
                t = &t[i + attr.len()..];
                let Some(e) = t.find('"') else { break };
                out.push(t[..e].replace("&amp;", "&"));
                t = &t[e..];
            }
        }
        rest = rest.get(end + 1..).unwrap_or("");
    }
    out
}

/// The site path a link points to, or `None` for external links and same-page anchors.
fn resolve(dir: &str, link: &str, base_path: &str) -> Option<String> {
    let link = link.split(['#', '?']).next().unwrap_or("");
    if link.is_empty()
        || link.starts_with("//")
        || link.contains(':')
            && !link.starts_with('/')
            && link.split('/').next().is_some_and(|s| s.contains(':'))
    {
        return None;
    }
    let decoded = percent_decode_str(link).decode_utf8_lossy().into_owned();
    let mut parts: Vec<&str> = Vec::new();
    let rel = if let Some(abs) = decoded.strip_prefix(base_path) {
        abs.to_string()
    } else if decoded.starts_with('/') {
        // Absolute but outside the site's base path: cannot be one of ours.
        return Some(format!("../{}", decoded.trim_start_matches('/')));
    } else {
        if !dir.is_empty() {
            parts.extend(dir.split('/'));
        }
        decoded
    };
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Some(format!("../{rel}"));
                }
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
// Tests set up files directly (the fsio rule of `clippy.toml` is for the code under test).
#[allow(clippy::disallowed_methods, clippy::disallowed_types)]
mod tests {
    use super::*;

    fn f(path: &str, html: &str) -> OutFile {
        OutFile {
            path: path.into(),
            bytes: html.as_bytes().to_vec(),
            source: None,
        }
    }

    #[test]
    fn finds_broken_and_accepts_good() {
        let files = vec![
            f(
                "index.html",
                r##"<a href="policies/a/">a</a><a href="policies/b/">b</a><a href="https://x.example/">x</a><a href="#top">t</a>"##,
            ),
            f(
                "policies/a/index.html",
                r#"<a href="../../">home</a><link href="../../style.css">"#,
            ),
            f("style.css", ""),
            f(
                "404.html",
                r#"<a href="/bulletin/">home</a><a href="/bulletin/nope/">n</a>"#,
            ),
        ];
        let d = check_links(Path::new("."), &files, "/bulletin/");
        let msgs: Vec<_> = d.iter().map(|d| d.message.clone()).collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(msgs[0].contains("policies/b/"));
        assert!(msgs[1].contains("/bulletin/nope/"));
    }

    #[test]
    fn reads_links_in_tags_only() {
        let files = vec![
            f(
                "index.html",
                r#"<p>&lt;img src="nope" href="x"</p><img alt="a" src="style.css">"#,
            ),
            f("style.css", ""),
        ];
        assert!(check_links(Path::new("."), &files, "/").is_empty());
    }

    #[test]
    fn a_broken_link_is_placed_where_it_is_written() {
        let root = tempfile::tempdir().expect("tempdir");
        let md =
            "---\ntitle: t\n---\n正文 x &amp;\n\n见[政策](/policies/a\\(b&amp;/)。<img src=x>\n";
        std::fs::create_dir_all(root.path().join("content/articles")).expect("mkdir");
        std::fs::write(root.path().join("content/articles/x.md"), md).expect("write");
        let mut page = f(
            "articles/x/index.html",
            r#"<a href="../../policies/a(b&amp;/">政策</a><img src="x">"#,
        );
        page.source = Some("content/articles/x.md".into());
        let d = check_links(root.path(), &[page.clone()], "/");
        let at: Vec<_> = d.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(at, [(Some(6), Some(7)), (Some(6), Some(38))], "{d}");
        // A page without a content file of its own (a listing): the first file holding it.
        page.source = None;
        page.path = "index.html".into();
        page.bytes = br#"<a href="policies/a(b&amp;/">x</a>"#.to_vec();
        let d = check_links(root.path(), &[page], "/");
        let d = d.iter().next().expect("a broken link");
        assert_eq!(d.path, Path::new("content/articles/x.md"));
        assert_eq!(d.line, Some(6), "{d}");
        // A link a template makes: its tail is in the template.
        std::fs::create_dir_all(root.path().join("templates")).expect("mkdir");
        let tpl = "<ul>\n<li><a href=\"{{ root }}{{ d.url }}[[x]\">月</a></li>\n</ul>";
        std::fs::write(root.path().join("templates/digests.html"), tpl).expect("write");
        let page = f(
            "digest/index.html",
            r#"<a href="../digest/2024-05/[[x]">月</a>"#,
        );
        let d = check_links(root.path(), &[page], "/");
        let d = d.iter().next().expect("a broken link");
        assert_eq!(d.path, Path::new("templates/digests.html"));
        assert_eq!((d.line, d.column), (Some(2), Some(35)), "{d}");
        // A link a template builds from a bare name, with no slash in its text (found by the
        // template fuzzer: a mutated menu entry `tagegions:地区`).
        let tpl = "<nav>\n{% for n in [\"issues:期刊\", \"tagegions:地区\"] %}<a href=\"{{ root }}{{ n }}/\">\n</nav>";
        std::fs::write(root.path().join("templates/base.html"), tpl).expect("write");
        let page = f(
            "books/x/index.html",
            r#"<a href="../../tagegions/">地区</a>"#,
        );
        let d = check_links(root.path(), &[page], "/");
        let d = d.iter().next().expect("a broken link");
        assert_eq!(d.path, Path::new("templates/base.html"));
        assert_eq!((d.line, d.column), (Some(2), Some(28)), "{d}");
    }

    #[test]
    fn decodes_percent_encoding() {
        let files = vec![
            f("index.html", r#"<a href="tags/%E5%85%AC%E5%BC%8F/">t</a>"#),
            f("tags/公式/index.html", ""),
        ];
        assert!(check_links(Path::new("."), &files, "/").is_empty());
    }
}
