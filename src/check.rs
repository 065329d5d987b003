//! `bulletin check`: every internal link of the rendered site must lead to a page or file of
//! the same build. Nothing is written.

use std::collections::HashSet;
use std::path::PathBuf;

use percent_encoding::percent_decode_str;

use crate::diag::{Diagnostic, Diagnostics};
use crate::render::OutFile;

/// Checks `href` and `src` attributes of every HTML file. `base_path` is the path part of
/// `base_url` (absolute links on 404.html start with it).
pub fn check_links(files: &[OutFile], base_path: &str) -> Diagnostics {
    let paths: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut diags = Diagnostics::default();
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
                let path = f
                    .source
                    .clone()
                    .unwrap_or_else(|| PathBuf::from("site").join(&f.path));
                diags.push(
                    Diagnostic::new(path, format!("broken link `{link}` on page /{}", f.path.trim_end_matches("index.html")))
                        .with_hint(format!("no page or file `/{target}` in the site; link to an existing page, e.g. /policies/<slug>/")),
                );
            }
        }
    }
    diags
}

/// Values of `href="…"` and `src="…"` attributes (templates and comrak quote with `"`).
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            if let Some(end) = rest.find('"') {
                out.push(rest[..end].replace("&amp;", "&"));
                rest = &rest[end..];
            }
        }
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
        let d = check_links(&files, "/bulletin/");
        let msgs: Vec<_> = d.iter().map(|d| d.message.clone()).collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(msgs[0].contains("policies/b/"));
        assert!(msgs[1].contains("/bulletin/nope/"));
    }

    #[test]
    fn decodes_percent_encoding() {
        let files = vec![
            f("index.html", r#"<a href="tags/%E5%85%AC%E5%BC%8F/">t</a>"#),
            f("tags/公式/index.html", ""),
        ];
        assert!(check_links(&files, "/").is_empty());
    }
}
