//! The e-mail's three renderings: subject, HTML part and text part, each through its template
//! under `templates/digest/`. The HTML part gets every style inlined (css-inline), because
//! Gmail and Outlook drop `<style>` blocks in many cases and never load stylesheets; only the
//! `@media` rules (phone gutters, dark palette) stay in one `<style>` in `<head>`, which a
//! client may drop without harm. The text part is wrapped to 80 columns.

use std::path::Path;

use serde::Serialize;

use super::view::DigestView;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::render::error_chain;

pub const SUBJECT: &str = "digest/subject.txt";
pub const HTML: &str = "digest/email.html";
pub const TEXT: &str = "digest/email.txt";

/// A rendered digest, the same for every recipient.
#[derive(Debug, Clone)]
pub struct Email {
    pub subject: String,
    pub html: String,
    pub text: String,
}

#[derive(Serialize)]
struct Base<'a> {
    /// The site's address, ending in `/`: every link in the e-mail starts with it.
    base: &'a str,
    /// The month's page in the web archive.
    web_url: String,
}

/// Renders the month's e-mail; `view` must have been built with absolute links.
pub fn render(
    tera: &tera::Tera,
    site: &Site,
    view: &DigestView,
    templates_dir: &Path,
) -> Result<Email, Diagnostics> {
    let base = site.config.base_url.as_str();
    let mut ctx = tera::Context::new();
    ctx.insert("page", view);
    ctx.insert("site", &crate::render::site_view(site));
    let b = Base {
        base,
        web_url: format!("{base}{}", view.url),
    };
    ctx.insert("base", b.base);
    ctx.insert("web_url", &b.web_url);
    let unsubscribe = site.config.digest.as_ref().and_then(|d| {
        let u = &d.list_unsubscribe;
        u.iter()
            .find(|u| u.is_https())
            .or(u.first())
            .map(|u| u.as_str().to_string())
    });
    ctx.insert("unsubscribe", &unsubscribe);
    let mut diags = Diagnostics::default();
    let one =
        |name: &str, ctx: &tera::Context, diags: &mut Diagnostics| match tera.render(name, ctx) {
            Ok(s) => Some(s),
            Err(e) => {
                diags.push(
                    Diagnostic::new(
                        templates_dir.join(name),
                        format!(
                            "template error while rendering the digest: {}",
                            error_chain(&e)
                        ),
                    )
                    .with_hint("templates/digest/ holds subject.txt, email.html and email.txt"),
                );
                None
            }
        };
    let subject =
        one(SUBJECT, &ctx, &mut diags).map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "));
    if subject.as_deref() == Some("") {
        diags.push(
            Diagnostic::new(templates_dir.join(SUBJECT), "the subject is empty")
                .with_hint("the template must produce a line of text"),
        );
    }
    // The HTML's <title> is the subject.
    ctx.insert("subject", subject.as_deref().unwrap_or(""));
    let html = one(HTML, &ctx, &mut diags);
    let text = one(TEXT, &ctx, &mut diags);
    let (Some(subject), Some(html), Some(text)) = (subject, html, text) else {
        return Err(diags);
    };
    if !diags.is_empty() {
        return Err(diags);
    }
    let html = inline(&html).map_err(|m| Diagnostic::new(templates_dir.join(HTML), m))?;
    let mut text = super::wrap::wrap(text.trim(), super::wrap::WIDTH);
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(Email {
        subject,
        html,
        text,
    })
}

/// Moves the plain `<style>` rules into `style` attributes, keeps the `@media` rules in one
/// `<style>` in `<head>`, and checks that nothing a mail client refuses is left.
fn inline(html: &str) -> Result<String, String> {
    let inliner = css_inline::CSSInliner::options()
        .load_remote_stylesheets(false)
        .keep_style_tags(false)
        .keep_link_tags(false)
        .keep_at_rules(true)
        .build();
    let mut out = inliner
        .inline(html)
        .map_err(|e| format!("cannot inline the e-mail's styles: {e}"))?;
    super::safety::check(&out)?;
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}
