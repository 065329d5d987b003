//! `sitemap.xml`: every HTML page of the site, by absolute URL.

use crate::model::BaseUrl;
use crate::urls::href;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// `dirs` are page directory paths (`policies/x/`); they are sorted for stable output.
pub fn sitemap<'a>(base: &BaseUrl, dirs: impl IntoIterator<Item = &'a str>) -> String {
    let mut dirs: Vec<&str> = dirs.into_iter().collect();
    dirs.sort_unstable();
    dirs.dedup();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for d in dirs {
        out.push_str("  <url><loc>");
        out.push_str(&escape(&base.join(&href(d))));
        out.push_str("</loc></url>\n");
    }
    out.push_str("</urlset>\n");
    super::feed::xml_chars(&out)
}
