//! Rendering: the site's pages through the editors' Tera templates (`templates/`), plus the
//! feed, the sitemap and the static files of `templates/static/`.
//!
//! Tera 1.x rather than 2.x: 1.x is the stable line that Zola and most users run, its syntax and
//! docs are settled, and autoescaping of `.html` templates is on by default; 2.x was still
//! changing its API when this was written.

mod cycles;
mod depth;
mod feed;
mod locate;
mod sitemap;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics};
use crate::fsio;
use crate::model::Site;
use crate::view::{Page, SiteView};

pub use feed::{feed, FEED_ITEMS};
pub use sitemap::sitemap;

/// A file of the built site: its path relative to the site root and its bytes.
#[derive(Debug, Clone)]
pub struct OutFile {
    pub path: String,
    pub bytes: Vec<u8>,
    /// The content file behind the page, if any.
    pub source: Option<PathBuf>,
}

/// Loads every template under `dir`; reports all that fail to parse.
pub fn templates(dir: &Path) -> Result<tera::Tera, Diagnostics> {
    let mut tera = tera::Tera::default();
    let mut diags = Diagnostics::default();
    let mut sources = Vec::new();
    if !dir.is_dir() {
        return Err(Diagnostic::new(dir, "no `templates/` folder here")
            .with_hint(
                "run bulletin in the folder holding content/ and templates/, or pass --root DIR",
            )
            .into());
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let Ok(entry) = entry else { continue };
        let path = entry.path();
        let is_template = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("html" | "xml" | "txt")
        );
        if !entry.file_type().is_file() || !is_template || path.starts_with(dir.join("static")) {
            continue;
        }
        let name = path
            .strip_prefix(dir)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        match fsio::read_text(path) {
            Ok(text) => sources.push((name, text)),
            Err(d) => diags.push(d),
        }
    }
    // Added one by one so that every broken template is reported, then all together so that
    // inheritance resolves.
    for (name, text) in &sources {
        if let Some((line, col, what)) = depth::too_deep(text) {
            let d = Diagnostic::new(dir.join(name), format!("template error: {what}"));
            diags.push(d.at(text, line, col).with_hint(
                "Tera reads and renders each level by recursion, and this many would crash \
                 bulletin; move the inner part into a macro or flatten the conditions",
            ));
            continue;
        }
        if let Err(e) = tera::Template::new(name, None, text) {
            diags.push(template_error(&dir.join(name), text, &e));
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    tera.set_escape_fn(escape_html);
    if let Err(e) = tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
        return Err(inheritance_error(dir, &sources, &e).into());
    }
    let texts = sources
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    diags.0.extend(cycles::check(&tera, dir, &texts));
    diags.into_result(tera)
}

pub use crate::text::escape_html;

/// Tera's message with its causes, which hold the useful part (the position, the variable).
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(s.to_string().trim());
        src = s.source();
    }
    msg
}

/// An error of the templates together (inheritance, imports), at the template it names first.
fn inheritance_error(dir: &Path, sources: &[(String, String)], e: &tera::Error) -> Diagnostic {
    let msg = error_chain(e);
    let text_of = |n: &str| sources.iter().find(|s| s.0 == n).map(|s| s.1.clone());
    let is_template = |n: &str| sources.iter().any(|s| s.0 == n);
    let mut named = locate::quoted(&msg, '\'');
    named.extend(locate::quoted(&msg, '`'));
    named.retain(|n| is_template(n));
    let message = format!("template error: {msg}");
    match locate::culprit(&msg, &named, text_of, is_template) {
        Some(f) => Diagnostic::new(dir.join(&f.name), message).at(&f.text, f.line, f.column),
        None => Diagnostic::new(dir, message),
    }
}

fn template_error(path: &Path, text: &str, e: &tera::Error) -> Diagnostic {
    let msg = error_chain(e);
    // Parse errors carry " --> LINE:COL".
    let pos = msg.split(" --> ").nth(1).and_then(|rest| {
        let (l, c) = rest.split_once(':')?;
        let c: String = c.chars().take_while(char::is_ascii_digit).collect();
        Some((l.trim().parse().ok()?, c.parse().ok()?))
    });
    // Pest's report ends with "= expected …": that is the part worth a message.
    let first = msg
        .split(" --> ")
        .next()
        .unwrap_or("")
        .trim_end_matches([':', ' ']);
    // Pest's own parse errors have nothing before the position: say what failed.
    let first = if first.trim().is_empty() {
        "cannot parse the template"
    } else {
        first
    };
    let expected = msg
        .lines()
        .filter_map(|l| l.trim().strip_prefix("= "))
        .collect::<Vec<_>>()
        .join("; ");
    let message = if expected.is_empty() {
        format!("template error: {first}")
    } else {
        format!("template error: {first}: {expected}")
    };
    let d = Diagnostic::new(path, message);
    if let Some((l, c)) = pos {
        return d.at(text, l, c);
    }
    // Other errors of one template (a duplicated block) name what is at fault.
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let candidates: Vec<String> = name.into_iter().collect();
    match locate::culprit(&msg, &candidates, |_| Some(text.to_string()), |_| false) {
        Some(f) => d.at(text, f.line, f.column),
        None => d,
    }
}

pub fn site_view(site: &Site) -> SiteView {
    let c = &site.config;
    SiteView {
        title: c.title.clone(),
        description: c.description.clone(),
        language: c.language.clone(),
        base_url: c.base_url.to_string(),
    }
}

/// Renders pages in parallel. Each template sees `page`, `site`, `root` (the relative path back
/// to the site root, or the absolute base path on `404.html`) and `current` (the page's path).
pub fn render_pages(
    tera: &tera::Tera,
    site: &Site,
    pages: Vec<Page>,
    templates_dir: &Path,
) -> Result<Vec<OutFile>, Diagnostics> {
    let sv = site_view(site);
    let base_path = site.config.base_url.path().to_string();
    let results: Vec<Result<OutFile, Diagnostic>> = pages
        .into_par_iter()
        .map(|p| {
            let p = prepare_page(p, &sv, &base_path);
            let bytes = render_page(tera, &p, templates_dir)?;
            Ok(OutFile {
                path: p.file,
                bytes,
                source: p.source,
            })
        })
        .collect();
    let mut out = Vec::with_capacity(results.len());
    let mut diags = Diagnostics::default();
    for r in results {
        match r {
            Ok(f) => out.push(f),
            Err(d) => diags.push(d),
        }
    }
    // One broken template fails every page using it; report each place in it once.
    let place = |d: &Diagnostic| (d.path.clone(), d.line, d.column);
    diags.0.sort_by_key(place);
    diags.0.dedup_by(|a, b| place(a) == place(b));
    diags.into_result(out)
}

/// Adds what every template sees besides `page`: `site`, `root` (the relative path back to the
/// site root, or the absolute base path on `404.html`), `current` and `section`. After this the
/// page's context is everything its rendering depends on, besides its templates.
pub fn prepare_page(mut p: Page, sv: &SiteView, base_path: &str) -> Page {
    let root = if p.file == "404.html" {
        base_path.to_string()
    } else {
        crate::urls::root_from(&p.dir)
    };
    p.context.insert("site", sv);
    p.context.insert("root", &root);
    p.context.insert("current", &crate::urls::href(&p.dir));
    p.context
        .insert("section", p.dir.split('/').next().unwrap_or(""));
    p
}

/// Renders one prepared page through its template.
pub fn render_page(
    tera: &tera::Tera,
    p: &Page,
    templates_dir: &Path,
) -> Result<Vec<u8>, Diagnostic> {
    match tera.render(p.template, &p.context) {
        Ok(html) => Ok(html.into_bytes()),
        Err(e) => {
            let mut d = Diagnostic::new(
                templates_dir.join(p.template),
                format!(
                    "template error while rendering /{}: {}",
                    p.dir,
                    error_chain(&e)
                ),
            );
            if let Some(f) = locate::render_error(tera, &e, p.template, templates_dir) {
                d.path = templates_dir.join(&f.name);
                d = d.at(&f.text, f.line, f.column);
            }
            if let Some(src) = &p.source {
                d = d.with_hint(format!("the page is for {}", src.display()));
            }
            Err(d)
        }
    }
}

/// Files under `templates/static/`, copied to the site root as they are.
pub fn static_files(templates_dir: &Path) -> Result<Vec<OutFile>, Diagnostics> {
    let dir = templates_dir.join("static");
    let mut out = Vec::new();
    let mut diags = Diagnostics::default();
    if !dir.is_dir() {
        return Ok(out);
    }
    for entry in walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(&dir)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        match fsio::read_bytes(entry.path()) {
            Ok(bytes) => out.push(OutFile {
                path: rel,
                bytes,
                source: None,
            }),
            Err(e) => diags.push(Diagnostic::new(entry.path(), e.to_string())),
        }
    }
    diags.into_result(out)
}

#[cfg(test)]
// Tests set up files directly (the fsio rule of `clippy.toml` is for the code under test).
#[allow(clippy::disallowed_methods, clippy::disallowed_types)]
mod tests {
    use super::{escape_html, locate};

    #[test]
    fn render_errors_are_placed_at_their_culprit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let files = [
            (
                "macros.html",
                "{% macro m() %}\n  {{ nope.x }}{% endmacro %}",
            ),
            (
                "page.html",
                "{% import \"macros.html\" as m %}\n\n{{ m::m() }}",
            ),
        ];
        let mut tera = tera::Tera::default();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).expect("write");
        }
        tera.add_raw_templates(files).expect("templates");
        let e = tera
            .render("page.html", &tera::Context::new())
            .expect_err("nope is not there");
        let f = locate::render_error(&tera, &e, "page.html", dir.path()).expect("placed");
        assert_eq!((f.name.as_str(), f.line, f.column), ("macros.html", 2, 6));
    }

    #[test]
    fn escapes_the_five_and_keeps_the_rest() {
        assert_eq!(
            escape_html(r#"政策 a&b <i>"x"</i> 'y' /z/ 完"#),
            "政策 a&amp;b &lt;i&gt;&quot;x&quot;&lt;/i&gt; &#39;y&#39; /z/ 完"
        );
        assert_eq!(escape_html("纯文本，无特殊字符/"), "纯文本，无特殊字符/");
        assert_eq!(escape_html(""), "");
        assert_eq!(escape_html("&"), "&amp;");
        assert_eq!(escape_html("尾&"), "尾&amp;");
    }
}
