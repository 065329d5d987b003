//! The HTTP side of `bulletin serve`: maps request paths to files of the site (refusing any
//! path that could leave it), sets content types, injects the live-reload script into HTML
//! responses, and answers the live-reload long-poll.
//!
//! The connections themselves, and their bounds, are [`super::conn`]'s.

use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use crate::fsio;

use super::conn::Request;

use super::Live;

const LIVE_JS: &str = include_str!("live.js");
/// How long a long-poll waits before answering "no change" (the script then asks again).
const POLL_WAIT: Duration = Duration::from_secs(20);

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A file of the site, relative to its root.
    File(PathBuf),
    /// A path that tries to leave the site, or that cannot be a file name of it.
    Forbidden,
}

/// Resolves a request target (`/a/b/?q`) to a path inside the site, without touching the disk.
/// Refuses `..`, encoded slashes and backslashes, NUL bytes and anything not UTF-8. `base` is
/// the site's base path (`/bulletin/`), stripped when present so absolute links work too.
pub fn resolve(url: &str, base: &str) -> Target {
    let raw = url.split(['?', '#']).next().unwrap_or("");
    let lower = raw.to_ascii_lowercase();
    if raw.contains('\\') || lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00")
    {
        return Target::Forbidden;
    }
    let Ok(decoded) = percent_encoding::percent_decode_str(raw).decode_utf8() else {
        return Target::Forbidden;
    };
    let mut path: &str = &decoded;
    if base.len() > 1 {
        if let Some(rest) = path.strip_prefix(base.trim_end_matches('/')) {
            if rest.is_empty() || rest.starts_with('/') {
                path = rest;
            }
        }
    }
    let mut out = PathBuf::new();
    for seg in path.split('/') {
        match seg {
            "" => {}
            "." | ".." => return Target::Forbidden,
            s if s.contains('\0') => return Target::Forbidden,
            s => out.push(s),
        }
    }
    // Belt and braces: only plain names may remain.
    if !out.components().all(|c| matches!(c, Component::Normal(_))) {
        return Target::Forbidden;
    }
    if path.ends_with('/') || out.as_os_str().is_empty() {
        out.push("index.html");
    }
    Target::File(out)
}

/// The Content-Type for a file name.
pub fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") => "application/xml; charset=utf-8",
        Some("txt") => "text/plain; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        Some("pdf") => "application/pdf",
        Some("woff") => "font/woff",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Adds the live-reload script before `</body>` (or at the end) of a served HTML page.
pub fn inject(html: Vec<u8>) -> Vec<u8> {
    let tag = b"<script src=\"/__bulletin/live.js\"></script>";
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag);
    out.extend_from_slice(&html[at..]);
    out
}

fn respond(req: Request, status: u16, ctype: &str, body: Vec<u8>) {
    let headers = [
        ("Content-Type", ctype),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
    ];
    req.respond(status, &headers, &body);
}

/// Whether a request target is a live-reload poll, which waits (see [`super::conn`]).
pub fn is_poll(target: &str) -> bool {
    target.starts_with("/__bulletin/poll")
}

/// Where `/a/b` (a folder) redirects: `/a/b/`, with the query, and never a scheme-relative
/// `//host/…` URL however many slashes the request starts with.
pub fn redirect_location(url: &str) -> String {
    let (path, query) = match url.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (url, None),
    };
    let path = path.split('#').next().unwrap_or("");
    let mut location = format!("/{}/", path.trim_matches('/'));
    if location == "//" {
        location.pop();
    }
    if let Some(q) = query {
        location.push('?');
        location.push_str(q);
    }
    location
}

/// Answers one request.
pub fn handle(req: Request, out: &Path, base: &str, live: &Live) {
    let url = req.target.clone();
    if !matches!(req.method.as_str(), "GET" | "HEAD") {
        let headers = [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Allow", "GET, HEAD"),
        ];
        return req.respond(405, &headers, b"method not allowed");
    }
    if url.starts_with("/__bulletin/live.js") {
        return respond(req, 200, "text/javascript; charset=utf-8", LIVE_JS.into());
    }
    if let Some(q) = url.strip_prefix("/__bulletin/poll") {
        let since = q
            .strip_prefix("?since=")
            .and_then(|s| s.parse::<u64>().ok());
        let state = live.wait(since, POLL_WAIT);
        return respond(req, 200, "application/json", state.into_bytes());
    }
    let rel = match resolve(&url, base) {
        Target::File(rel) => rel,
        Target::Forbidden => {
            return respond(req, 403, "text/plain; charset=utf-8", b"forbidden".to_vec())
        }
    };
    let mut path = out.join(&rel);
    if path.is_dir() {
        // `/policies/x` without its slash: relative links need the slash, so redirect, always
        // to a path of this site: `//host` would send the browser to another host.
        let location = redirect_location(&url);
        return req.respond(301, &[("Location", &location)], b"");
    }
    // Symbolic links could point anywhere: serve only what really is inside the site.
    let inside = match (fsio::canonicalize(&path), fsio::canonicalize(out)) {
        (Ok(p), Ok(o)) => p.starts_with(o),
        _ => false,
    };
    let (status, bytes) = match fsio::read(&path) {
        Ok(b) if inside && path.is_file() => (200, b),
        _ => {
            path = out.join("404.html");
            let page = fsio::read(&path).unwrap_or_else(|_| b"not found".to_vec());
            (404, page)
        }
    };
    let ctype = content_type(&path);
    let body = if ctype.starts_with("text/html") {
        inject(bytes)
    } else {
        bytes
    };
    respond(req, status, ctype, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_inside_and_refuses_escapes() {
        let f = |p: &str| Target::File(PathBuf::from(p));
        assert_eq!(resolve("/", "/"), f("index.html"));
        assert_eq!(resolve("/policies/x/?a=1", "/"), f("policies/x/index.html"));
        assert_eq!(resolve("/bulletin/style.css", "/bulletin/"), f("style.css"));
        assert_eq!(resolve("/tags/%E9%87%91/", "/"), f("tags/金/index.html"));
        for bad in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/x",
            "/%2E%2E%2Fx",
            "/a%2fb",
            "/a%5c..%5cb",
            "/..\\x",
            "/a/%00",
            "/%ff",
            "/./x",
        ] {
            assert_eq!(resolve(bad, "/"), Target::Forbidden, "{bad}");
        }
    }

    #[test]
    fn redirects_stay_on_the_site() {
        assert_eq!(redirect_location("/articles"), "/articles/");
        assert_eq!(redirect_location("//articles"), "/articles/");
        assert_eq!(redirect_location("///evil.example/x"), "/evil.example/x/");
        assert_eq!(redirect_location("/a?b=1"), "/a/?b=1");
        assert_eq!(redirect_location("//"), "/");
    }

    #[test]
    fn injects_before_the_last_body_end() {
        let out = inject(b"<p>x</p></BODY></html>".to_vec());
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<p>x</p><script src=\"/__bulletin/live.js\"></script></BODY></html>"
        );
    }
}
