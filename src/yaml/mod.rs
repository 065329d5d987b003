//! The one place that reads YAML. Documents are read into a tree that keeps positions
//! ([`tree`]), then into typed values by a serde deserializer over that tree ([`de`]).
//!
//! Every problem of a file is reported in one run: a field found wrong is skipped and the file
//! read again, so the next wrong field shows too; unknown keys and missing fields are found by
//! walking each mapping against its fields. Writing YAML (`import`, `new`) still goes through
//! serde_yaml.

mod access;
mod ctx;
mod de;
mod error;
mod tree;

use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::diag::Diagnostic;
use ctx::Ctx;
pub use de::forbidden;
use de::De;
use error::Problem;
use tree::{Tree, Value};

/// A file with more errors than this shows the first ones: the rest are usually the same mistake.
const MAX_ERRORS: usize = 50;

/// Parses `text` (a YAML document that starts at line `first_line` of `file_text`) into `T`,
/// or every problem found in it.
pub fn parse<T: DeserializeOwned>(
    path: &Path,
    file_text: &str,
    text: &str,
    first_line: usize,
) -> Result<T, Vec<Diagnostic>> {
    let at = |line: usize, col: usize, message: String, hint: Option<String>| {
        Diagnostic::new(path, message)
            .maybe_hint(hint)
            .at(file_text, line, col)
    };
    let (tree, warnings) =
        tree::build(text, first_line).map_err(|p| vec![at(p.line, p.col, p.message, p.hint)])?;
    let mut errors: Vec<Diagnostic> = warnings
        .into_iter()
        .map(|p| at(p.line, p.col, p.message, p.hint))
        .collect();
    let mut ctx = Ctx::new(&tree);
    let mut value = None;
    while errors.len() < MAX_ERRORS {
        ctx.reset_budget();
        let e = match T::deserialize(De {
            ctx: &ctx,
            id: tree.root,
        }) {
            Ok(v) => {
                value = Some(v);
                break;
            }
            Err(e) => e,
        };
        let node = e.node.unwrap_or(tree.root);
        let stop = match &e.problem {
            // Missing because an earlier error took the field out, or already reported.
            Problem::Missing(f) if ctx.missing.borrow().contains(&(node, f.clone())) => false,
            Problem::Missing(f) if excluded_key(&tree, &ctx, node, f) => false,
            Problem::TooLarge => {
                errors.push(describe(&tree, file_text, path, node, &e.problem, None));
                true
            }
            p => {
                errors.push(describe(&tree, file_text, path, node, p, None));
                false
            }
        };
        if stop || node == tree.root || !ctx.excluded.insert(node) {
            break;
        }
    }
    for (node, problem, pos) in ctx.found.take() {
        errors.push(describe(&tree, file_text, path, node, &problem, pos));
    }
    match value {
        Some(v) if errors.is_empty() => Ok(v),
        _ if errors.is_empty() => Err(vec![at(
            first_line,
            1,
            "this file could not be read".into(),
            None,
        )]),
        _ => {
            errors.sort_by_key(|d| (d.line, d.column));
            errors.dedup();
            if errors.len() > MAX_ERRORS {
                let more = errors.len() - MAX_ERRORS;
                errors.truncate(MAX_ERRORS);
                errors.push(
                    Diagnostic::new(path, format!("… and {more} more errors in this file"))
                        .with_hint("fix the ones above first: the rest are often the same mistake"),
                );
            }
            Err(errors)
        }
    }
}

/// Whether `field` of mapping `node` was written but taken out after an error of its own.
fn excluded_key(tree: &Tree, ctx: &Ctx, node: usize, field: &str) -> bool {
    match &tree.nodes[node].value {
        Value::Map(entries) => entries
            .iter()
            .any(|e| e.key == field && ctx.excluded.contains(&e.value)),
        _ => false,
    }
}

/// One problem as a diagnostic: worded with the field's path, placed at its key or value.
fn describe(
    tree: &Tree,
    file_text: &str,
    path: &Path,
    node: usize,
    problem: &Problem,
    pos: Option<(usize, usize)>,
) -> Diagnostic {
    let field = tree.path(node);
    let name = if field.is_empty() {
        "the value".to_string()
    } else {
        format!("`{field}`")
    };
    let key = field.rsplit(['.', '[']).next().unwrap_or("").to_string();
    let n = &tree.nodes[node];
    let (mut line, mut col) = pos.unwrap_or((n.line, n.col));
    let (message, hint): (String, Option<String>) = match problem {
        Problem::Type { expected, found } => {
            let hint = type_hint(expected, &key);
            (
                prefixed(
                    &field,
                    format!("invalid type: {found}, expected {expected}"),
                ),
                hint,
            )
        }
        Problem::Null => {
            (line, col) = tree.key_position(node);
            let raw = match &n.value {
                Value::Scalar { text, .. } if !text.is_empty() => {
                    format!(": `{text}` means no value")
                }
                _ => String::new(),
            };
            (
                format!("{name} is empty{raw}"),
                Some(
                    "write the text; to write the character `~` or the word null, put it in quotes"
                        .into(),
                ),
            )
        }
        Problem::Blank => (
            format!("{name} is empty"),
            Some("write the text, or delete the line if the field is optional".into()),
        ),
        Problem::Control(c) => {
            if let Some(p) = find_char(file_text, n.line, *c) {
                (line, col) = p;
            }
            (
                format!("{name} contains the control character {}", crate::diag::escape(&c.to_string())),
                Some("delete it (it is invisible, and the feed cannot carry it); retype the text around it if unsure".into()),
            )
        }
        Problem::Range { value, max } => (
            format!("{name} is too large: `{value}`"),
            Some(format!("write a whole number of at most {max}")),
        ),
        Problem::Negative(v) => (
            format!("{name} must be 0 or more, found `{v}`"),
            Some("write a whole number without a minus sign".into()),
        ),
        Problem::Missing(f) if node == tree.root => {
            // Nothing is written to point at: name the document's first line only.
            let d = Diagnostic::new(path, format!("missing required field `{f}`"))
                .with_hint(format!("add a line `{f}: …`"));
            return Diagnostic {
                line: Some(line),
                ..d
            };
        }
        Problem::Missing(f) => {
            (line, col) = tree.key_position(node);
            (
                format!("missing required field `{f}` in {name}"),
                Some(format!("add a line `{f}: …`, indented under `{key}:`")),
            )
        }
        Problem::TooLarge => (
            "the values of this file expand to too much data through aliases (`*name`)".into(),
            Some("write the values out instead of repeating aliases".into()),
        ),
        Problem::Custom(m) => custom(&field, m),
    };
    Diagnostic::new(path, message)
        .maybe_hint(hint)
        .at(file_text, line, col)
}

/// A message of the model's own value types, "message | hint: hint".
fn custom(field: &str, m: &str) -> (String, Option<String>) {
    let (msg, hint) = match m.split_once(" | hint: ") {
        Some((m, h)) => (m.to_string(), Some(h.to_string())),
        None => (m.to_string(), None),
    };
    if msg.starts_with("unknown field") {
        (msg, hint)
    } else {
        (prefixed(field, msg), hint)
    }
}

/// Nested fields say where they are: `entries[0].rank: …`.
fn prefixed(field: &str, message: String) -> String {
    if field.contains(['.', '[']) {
        format!("{field}: {message}")
    } else {
        message
    }
}

fn type_hint(expected: &str, key: &str) -> Option<String> {
    let key = if key.is_empty() || key.ends_with(']') {
        "rank"
    } else {
        key
    };
    Some(match expected {
        "a sequence" => "write a list, e.g. `[a, b]` or one `- item` per line".into(),
        "text" => {
            "write the text after the colon; put it in quotes if it starts with a special character"
                .into()
        }
        "a whole number" => format!("write digits only, e.g. `{key}: 3`"),
        "a number" => format!("write a number, e.g. `{key}: 1.5`"),
        "`true` or `false`" => format!("write `{key}: true` or `{key}: false`"),
        e if e.starts_with("fields") => {
            format!("write the fields on the lines below `{key}:`, indented, as `name: value`")
        }
        _ => return None,
    })
}

/// Where `c` is first written at or after `line` (1-based).
fn find_char(file_text: &str, line: usize, c: char) -> Option<(usize, usize)> {
    file_text
        .lines()
        .enumerate()
        .skip(line.saturating_sub(1))
        .find_map(|(i, l)| l.chars().position(|x| x == c).map(|col| (i + 1, col + 1)))
}

/// Serializes a value as YAML (used by `import` and `new`).
pub fn to_string<T: Serialize>(value: &T) -> Result<String, String> {
    serde_yaml::to_string(value).map_err(|e| e.to_string())
}

/// The position of the node at `path` (keys, or list indexes as digits) in a YAML document that
/// starts at `first_line`; with `value`, of the list item or value written as `value`.
fn locate(
    text: &str,
    first_line: usize,
    path: &[&str],
    value: Option<&str>,
) -> Option<(usize, usize)> {
    let (tree, _) = tree::build(text, first_line).ok()?;
    let mut id = tree.root;
    let mut key_pos = None;
    for step in path {
        id = match &tree.nodes[id].value {
            Value::Map(entries) => {
                let e = entries.iter().find(|e| e.key == *step)?;
                key_pos = Some((e.line, e.col));
                e.value
            }
            Value::Seq(items) => *items.get(step.parse::<usize>().ok()?)?,
            Value::Scalar { .. } => return None,
        };
    }
    let Some(value) = value else {
        return key_pos.or(Some((tree.nodes[id].line, tree.nodes[id].col)));
    };
    let is = |i: usize| matches!(&tree.nodes[i].value, Value::Scalar { text, .. } if text == value);
    let found = match &tree.nodes[id].value {
        Value::Seq(items) => items.iter().copied().find(|&i| is(i)),
        Value::Scalar { .. } if is(id) => Some(id),
        _ => None,
    };
    found
        .map(|i| (tree.nodes[i].line, tree.nodes[i].col))
        .or(key_pos)
}

/// The 1-based line and column of a top-level `key:`; places errors found after parsing.
pub fn locate_key(text: &str, key: &str, first_line: usize) -> Option<(usize, usize)> {
    locate(text, first_line, &[key], None)
}

/// Where `value` is written under top-level `key:` (the list item that holds it, or the
/// value); falls back to the key.
pub fn locate_value(
    text: &str,
    key: &str,
    value: &str,
    first_line: usize,
) -> Option<(usize, usize)> {
    locate(text, first_line, &[key], Some(value))
}

/// Where the value at a key path is written: keys, and list positions as digits
/// (`["period", "from"]`, `["sections", "2"]`).
pub fn locate_path(text: &str, path: &[&str], first_line: usize) -> Option<(usize, usize)> {
    let (tree, _) = tree::build(text, first_line).ok()?;
    let mut id = tree.root;
    for step in path {
        id = match &tree.nodes[id].value {
            Value::Map(entries) => entries.iter().find(|e| e.key == *step)?.value,
            Value::Seq(items) => *items.get(step.parse::<usize>().ok()?)?,
            Value::Scalar { .. } => return None,
        };
    }
    Some((tree.nodes[id].line, tree.nodes[id].col))
}

#[cfg(test)]
mod tests;
