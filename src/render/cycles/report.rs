//! A cycle told as an editor reads it: the template and line where it closes, and the chain
//! of calls, includes or imports that leads there.

use std::collections::BTreeMap;
use std::path::Path;

use super::Vertex;
use crate::diag::Diagnostic;

pub(super) fn cycle_diagnostic(
    cycle: &[Vertex],
    dir: &Path,
    sources: &BTreeMap<&str, &str>,
) -> Diagnostic {
    let mut chain: Vec<String> = cycle.iter().map(Vertex::label).collect();
    chain.push(cycle[0].label());
    let chain = chain.join(" → ");
    let hint = "Tera has no limit on recursion, so a macro or template that reaches itself \
                again never stops and would crash bulletin; write the repetition as a \
                `{% for %}` loop instead";
    let (tpl, message, pattern) = match &cycle[0] {
        Vertex::Macro(t, m) => {
            let how = if cycle.len() == 1 {
                "calls itself".to_string()
            } else {
                format!("calls itself again: {chain}")
            };
            let pat = format!(r"\{{%-?\s*macro\s+({})\s*\(", regex::escape(m));
            (t, format!("template error: macro `{m}` {how}"), pat)
        }
        Vertex::Body(t) => {
            let next = cycle.get(1).unwrap_or(&cycle[0]).template();
            let pat = format!(
                r#"\{{%-?\s*include\s[^%]*(["'`]{}["'`])"#,
                regex::escape(next)
            );
            let msg = format!("template error: `{t}` includes itself again: {chain}");
            (t, msg, pat)
        }
    };
    located(dir, tpl, sources, &pattern, message).with_hint(hint)
}

pub(super) fn chain_diagnostic(
    levels: usize,
    chain: &[Vertex],
    dir: &Path,
    sources: &BTreeMap<&str, &str>,
) -> Diagnostic {
    let mut labels: Vec<String> = chain.iter().map(Vertex::label).collect();
    if let Vertex::Body(t) = &chain[0] {
        labels[0] = t.clone(); // where rendering starts, not an include
    }
    if labels.len() > 6 {
        labels.splice(3..labels.len() - 2, ["…".to_string()]);
    }
    let message = format!(
        "template error: rendering `{}` goes {levels} levels deep (macro calls, includes and \
         tags), more than {}: {}",
        labels[0],
        crate::render::depth::MAX_RENDER,
        labels.join(" → ")
    );
    let pattern = match &chain[0] {
        Vertex::Macro(_, m) => format!(r"\{{%-?\s*macro\s+({})\s*\(", regex::escape(m)),
        Vertex::Body(_) => "(.)".to_string(),
    };
    located(dir, chain[0].template(), sources, &pattern, message).with_hint(
        "Tera renders each level by recursion, and this many would crash bulletin; \
         call fewer macros from one another",
    )
}

pub(super) fn import_diagnostic(
    cycle: &[String],
    dir: &Path,
    sources: &BTreeMap<&str, &str>,
) -> Diagnostic {
    let next = cycle.get(1).unwrap_or(&cycle[0]);
    let mut chain = cycle.to_vec();
    chain.push(cycle[0].clone());
    let pattern = format!(r#"\{{%-?\s*import\s+(["'`]{}["'`])"#, regex::escape(next));
    let message = format!(
        "template error: `{}` imports macros from itself: {}",
        cycle[0],
        chain.join(" → ")
    );
    located(dir, &cycle[0], sources, &pattern, message).with_hint(
        "Tera follows imports without a limit, so an import loop would crash bulletin; \
         move the shared macros into a file that imports none of the others",
    )
}

/// A diagnostic on template `tpl`, at the first match of `pattern`'s first group in its source.
pub(super) fn located(
    dir: &Path,
    tpl: &str,
    sources: &BTreeMap<&str, &str>,
    pattern: &str,
    message: String,
) -> Diagnostic {
    let d = Diagnostic::new(dir.join(tpl), message);
    let Some(text) = sources.get(tpl) else {
        return d;
    };
    let found = regex::Regex::new(pattern)
        .ok()
        .and_then(|re| re.captures(text)?.get(1).map(|m| m.start()));
    match found {
        Some(at) => {
            let before = &text[..at];
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            d.at(text, line, col)
        }
        None => d,
    }
}
