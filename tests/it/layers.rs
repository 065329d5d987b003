//! The dependency rule of docs/architecture.md, checked over the source: a module of `src/` may
//! use only the modules before it in [`LAYERS`]. The test fails on any edge that points up and
//! is not in [`KNOWN_BACK_EDGES`] (empty), and on a listed one that is gone.

use crate::support::repo;
use std::collections::BTreeSet;
use std::path::Path;

/// The top-level modules of `src/`, lowest layer first.
const LAYERS: &[&str] = &[
    "diag",
    "timings",
    "text",
    "encoding",
    "fsio",
    "urls",
    "model",
    "yaml",
    "markdown",
    "load",
    "contents",
    "validate",
    "view",
    "render",
    "search",
    "output",
    "build",
    "incremental",
    "check",
    "serve",
    "digest",
    "new",
    "import",
    "cli",
];

/// Edges that may point up (from, to) while a move is under way: none now. Each one the code
/// had was an item in the wrong place, moved down (docs/architecture.md lists them).
const KNOWN_BACK_EDGES: &[(&str, &str)] = &[];

/// Every `crate::<module>` a module's files name outside their `#[cfg(test)]` part, including
/// names inside `use crate::{a::…, b}` groups.
fn uses(src: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let code = match src.find("#[cfg(test)]") {
        Some(cut) => &src[..cut],
        None => src,
    };
    // Comments (doc links included) name modules without depending on them.
    let code: String = code
        .lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = BTreeSet::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = closing_brace(group);
            // Only the first path segment of each item names a module: `{a::b::{c, d}, e}`.
            let mut depth = 0;
            let mut start = true;
            let mut word = String::new();
            for c in group[..end].chars().chain([',']) {
                if c.is_alphanumeric() || c == '_' {
                    if start {
                        word.push(c);
                    }
                    continue;
                }
                if !word.is_empty() {
                    if modules.contains(&word) {
                        found.insert(std::mem::take(&mut word));
                    }
                    word.clear();
                    start = false;
                }
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    _ => {}
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if modules.contains(&name) {
                found.insert(name);
            }
        }
    }
    found
}

/// The index of the `}` closing a group whose `{` was just before `text`.
fn closing_brace(text: &str) -> usize {
    let mut depth = 0;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return i,
            '}' => depth -= 1,
            _ => {}
        }
    }
    text.len()
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// (from, to) for every module-level dependency of `src/`.
fn edges() -> BTreeSet<(String, String)> {
    let src = repo().join("src");
    let modules: BTreeSet<String> = LAYERS.iter().map(|m| m.to_string()).collect();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut edges = BTreeSet::new();
    for file in files {
        let rel = file.strip_prefix(&src).expect("under src");
        let first = rel.components().next().expect("component");
        let top = first.as_os_str().to_string_lossy();
        let top = top.strip_suffix(".rs").unwrap_or(&top).to_string();
        if top == "lib" || top == "main" {
            continue;
        }
        assert!(
            modules.contains(&top),
            "src/{top} is not in LAYERS: give the new module its place in the dependency order"
        );
        let text = std::fs::read_to_string(&file).expect("read source");
        for used in uses(&text, &modules) {
            if used != top {
                edges.insert((top.clone(), used));
            }
        }
    }
    edges
}

#[test]
fn modules_depend_only_on_lower_layers() {
    let rank = |m: &str| LAYERS.iter().position(|l| *l == m).expect("in LAYERS");
    let back: BTreeSet<(String, String)> = edges()
        .into_iter()
        .filter(|(from, to)| rank(to) > rank(from))
        .collect();
    let known: BTreeSet<(String, String)> = KNOWN_BACK_EDGES
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    let new: Vec<_> = back.difference(&known).collect();
    let gone: Vec<_> = known.difference(&back).collect();
    assert!(
        new.is_empty(),
        "modules using a higher layer (move the item down, or change LAYERS and \
         docs/architecture.md together): {new:?}"
    );
    assert!(
        gone.is_empty(),
        "back edges fixed: remove them from KNOWN_BACK_EDGES and docs/architecture.md: {gone:?}"
    );
}

#[test]
fn the_use_scanner_sees_grouped_and_nested_paths() {
    let modules: BTreeSet<String> = ["diag", "model", "render", "urls", "view"]
        .iter()
        .map(|m| m.to_string())
        .collect();
    let src = "use crate::{diag::{Diagnostic, Span}, model::Site};\n\
               use crate::{render, urls::x};\n\
               // crate::view in a comment is no dependency\n\
               fn f() { crate::render::escape(x); }\n\
               #[cfg(test)]\nmod tests { use crate::view; }\n";
    let found: Vec<String> = uses(src, &modules).into_iter().collect();
    assert_eq!(found, ["diag", "model", "render", "urls"]);
}
