//! Where in the templates a Tera error is. Tera gives positions for syntax errors only; its
//! other messages name the template (`'macros.html'`) and the culprit (`` `page.nope` ``, a
//! block, a filter, `'[nope.html]'`), so the culprit is looked up in the named templates.

use std::path::Path;

/// A position in a template: its name, its text, and the 1-based line and column.
pub struct Found {
    pub name: String,
    pub text: String,
    pub line: usize,
    pub column: usize,
}

/// The pieces of `msg` between pairs of `quote`.
pub fn quoted(msg: &str, quote: char) -> Vec<String> {
    msg.split(quote)
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// The first of `candidates` (template names) whose text, from `text_of`, holds a culprit of
/// `msg`, and where. `is_template` tells template names from other quoted values. A duplicated
/// block is placed at its last occurrence, anything else at its first.
pub fn culprit(
    msg: &str,
    candidates: &[String],
    text_of: impl Fn(&str) -> Option<String>,
    is_template: impl Fn(&str) -> bool,
) -> Option<Found> {
    // `ns::macro` mostly names where the error happened, not what is at fault: tried last.
    // Template names are where, not what, unless nothing else is there: tried last of all.
    let (names, ticked): (Vec<String>, Vec<String>) = quoted(msg, '`')
        .into_iter()
        .filter(|t| !t.is_empty())
        .partition(|t| is_template(t));
    let (mut culprits, macros): (Vec<String>, Vec<String>) =
        ticked.into_iter().partition(|t| !t.contains("::"));
    for q in quoted(msg, '\'').iter().filter(|q| !is_template(q)) {
        let inner = q.trim_start_matches('[').trim_end_matches(']');
        culprits.extend(
            inner
                .split(", ")
                .filter(|s| !s.is_empty())
                .map(str::to_string),
        );
    }
    culprits.extend(macros);
    culprits.extend(names);
    let last = msg.contains("is duplicated");
    let mut seen = std::collections::HashSet::new();
    for name in candidates.iter().filter(|n| seen.insert(n.as_str())) {
        let Some(text) = text_of(name) else { continue };
        let at = culprits.iter().find_map(|c| {
            if last {
                text.rfind(c.as_str())
            } else {
                text.find(c.as_str())
            }
        });
        let Some(at) = at else { continue };
        let before = &text[..at];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        return Some(Found {
            name: name.clone(),
            text,
            line,
            column,
        });
    }
    None
}

/// Where a rendering error is in the templates: the culprit looked up in the templates defining
/// the macro it happened in, then those the message names (innermost first), the page's, and
/// then all.
pub fn render_error(
    tera: &tera::Tera,
    e: &tera::Error,
    page_template: &str,
    dir: &Path,
) -> Option<Found> {
    let msg = super::error_chain(e);
    if msg.contains("Inheritance in included templates") {
        return included_extending(tera, page_template, dir);
    }
    let macros: Vec<String> = quoted(&msg, '`')
        .iter()
        .filter_map(|t| t.split_once("::").map(|(_, m)| m.to_string()))
        .collect();
    let mut candidates: Vec<String> = tera
        .templates
        .iter()
        .filter(|(_, t)| macros.iter().any(|m| t.macros.contains_key(m)))
        .map(|(n, _)| n.clone())
        .collect();
    candidates.sort();
    // Only names of loaded templates are read: a message may quote content too.
    let named = quoted(&msg, '\'');
    candidates.extend(
        named
            .into_iter()
            .rev()
            .filter(|n| tera.templates.contains_key(n)),
    );
    candidates.push(page_template.to_string());
    // Tera names the active template, which may only import the macro at fault: all the others
    // last.
    let mut rest: Vec<String> = tera.templates.keys().cloned().collect();
    rest.sort();
    candidates.extend(rest);
    culprit(
        &msg,
        &candidates,
        |n| crate::fsio::read_to_string(&dir.join(n)).ok(),
        |n| tera.templates.contains_key(n),
    )
}

/// The `{% include %}` of a template that extends another (which Tera cannot render), in the
/// page's template or, failing that, any template.
fn included_extending(tera: &tera::Tera, page_template: &str, dir: &Path) -> Option<Found> {
    let re = regex::Regex::new(r#"\{%-?\s*include\s+["'`]([^"'`]+)["'`]"#).ok()?;
    let mut names: Vec<&String> = tera.templates.keys().collect();
    names.sort_by_key(|n| (n.as_str() != page_template, n.as_str()));
    names.into_iter().find_map(|name| {
        let text = crate::fsio::read_to_string(&dir.join(name)).ok()?;
        let at = re.captures_iter(&text).find_map(|c| {
            let inc = c.get(1)?;
            let extends = tera.templates.get(inc.as_str())?.parent.is_some();
            extends.then(|| inc.start())
        })?;
        let before = &text[..at];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        Some(Found {
            name: name.clone(),
            text,
            line,
            column,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(
        msg: &str,
        candidates: &[&str],
        files: &[(&str, &str)],
    ) -> Option<(String, usize, usize)> {
        let candidates: Vec<String> = candidates.iter().map(|s| s.to_string()).collect();
        let text_of = |n: &str| files.iter().find(|f| f.0 == n).map(|f| f.1.to_string());
        let is_template = |n: &str| files.iter().any(|f| f.0 == n);
        culprit(msg, &candidates, text_of, is_template).map(|f| (f.name, f.line, f.column))
    }

    #[test]
    fn finds_variables_blocks_and_missing_templates() {
        let files = [
            ("base.html", "<h1>\n{% include \"nope.html\" %}\n{% block a %}{% endblock %}\n{% block a %}{% endblock %}"),
            ("page.html", "{% extends \"{{base.html\" %}\n{{ page.nope }}\n{{ m::nope() }}\n{% import \"m.htm\" as m %}"),
        ];
        let cases = [
            ("Variable `page.nope` not found in context while rendering 'page.html'", &["page.html"][..], ("page.html", 2, 4)),
            ("Failed to render 'page.html' (error happened in 'base.html').: Template '[nope.html]' not found", &["base.html", "page.html"], ("base.html", 2, 13)),
            ("Block `a` is duplicated", &["base.html"], ("base.html", 4, 10)),
            ("Failed to render 'page.html': Macro `m::nope` not found in template `page.html`", &["page.html"], ("page.html", 3, 4)),
            ("Template 'page.html' is inheriting from '{{base.html', which doesn't exist or isn't loaded.", &["page.html"], ("page.html", 1, 13)),
            ("Template `page.html` loads macros from `m.htm` which isn't present", &["page.html"], ("page.html", 4, 12)),
        ];
        for (msg, candidates, (name, line, col)) in cases {
            assert_eq!(
                find(msg, candidates, &files),
                Some((name.to_string(), line, col)),
                "{msg}"
            );
        }
        assert_eq!(
            find("Tried to divide by zero", &["page.html"], &files),
            None
        );
    }
}
