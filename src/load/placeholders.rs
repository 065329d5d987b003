//! The placeholder rule: `bulletin new` and `bulletin import` write [`PLACEHOLDER`] where an
//! editor must write something, and loading refuses every file that still holds one, at its
//! line and column, so an unfinished file can never be published.

use std::path::Path;

use crate::diag::Diagnostic;

/// What `new` and `import` write where the editor must write something. Any value or body line containing
/// it is an error, so an unfinished file can never be published.
pub const PLACEHOLDER: &str = "TODO:";

/// The line `bulletin import` begins a draft with: a YAML comment holding the placeholder, so
/// the draft is refused until an editor has checked it and deleted the line.
pub fn is_draft_mark(line: &str) -> bool {
    line.trim_start()
        .strip_prefix('#')
        .is_some_and(|rest| rest.trim_start().starts_with(PLACEHOLDER))
}

/// Errors for every placeholder left in a content file's text, at its line and column.
pub fn placeholders(path: &Path, text: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let draft = text.lines().any(is_draft_mark);
    let writer = if draft {
        "`bulletin import`"
    } else {
        "`bulletin new`"
    };
    // The key a list item (`- "TODO: …"`) belongs to.
    let mut key: Option<&str> = None;
    for (i, line) in text.lines().enumerate() {
        if let Some((k, _)) = line.split_once(':') {
            if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                key = Some(k);
            }
        }
        let Some(at) = line.find(PLACEHOLDER) else {
            continue;
        };
        if is_draft_mark(line) {
            out.push(
                Diagnostic::new(
                    path,
                    "unconfirmed draft: `bulletin import` proposed this file and no editor has confirmed it",
                )
                .at(text, i + 1, 1)
                .with_hint(format!(
                    "check every field against the source the line names, replace each `{PLACEHOLDER} …` value, then delete line {} to confirm the file (or delete the file, and its slug from the article's `policies:`)",
                    i + 1
                )),
            );
            continue;
        }
        // A field's name comes before the placeholder; a body line has none.
        let field = line[..at]
            .split_once(':')
            .map(|(k, _)| k.trim())
            .filter(|k| !k.is_empty() && !k.contains(' '))
            .or(key.filter(|_| line.trim_start().starts_with('-')));
        let what = match field {
            Some(f) => format!("`{f}` still holds the placeholder written by {writer}"),
            None => format!("the text still holds a placeholder written by {writer}"),
        };
        let column = line[..at].chars().count() + 1;
        let hint = line[at + PLACEHOLDER.len()..]
            .trim()
            .trim_end_matches(['"', '\'', ']'])
            .to_string();
        out.push(
            Diagnostic::new(path, what)
                .at(text, i + 1, column)
                .with_hint(format!(
                    "replace `{PLACEHOLDER} …` with the real value: {hint}"
                )),
        );
    }
    out
}
