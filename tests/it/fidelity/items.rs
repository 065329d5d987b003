//! Reading `content/` (front matter with serde_yaml, not the crate's loader) and mapping each
//! item to the bulletins its facts must come from.

use super::*;

pub(super) struct Item {
    /// Path relative to the crate root, for messages.
    pub(super) rel: String,
    pub(super) kind: &'static str,
    pub(super) slug: String,
    pub(super) meta: Value,
    /// A Markdown file's body (after the front matter); empty for YAML files.
    pub(super) body: String,
}

pub(super) const KINDS: &[(&str, &str)] = &[
    ("articles", "md"),
    ("policies", "md"),
    ("rankings", "yaml"),
    ("books", "yaml"),
    ("products", "yaml"),
    ("issues", "yaml"),
];

pub(super) fn front_matter(text: &str) -> Result<&str, String> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
        .ok_or("does not start with a `---` front matter line")?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end_matches(['\n', '\r']) == "---" {
            return Ok(&rest[..offset]);
        }
        offset += line.len();
    }
    Err("front matter is not closed by a `---` line".into())
}

pub(super) fn load_items(failures: &mut Vec<String>) -> Vec<Item> {
    let root = manifest_dir();
    let mut items = Vec::new();
    for &(kind, ext) in KINDS {
        let dir = content_dir().join(kind);
        if !dir.is_dir() {
            continue;
        }
        let mut paths: Vec<PathBuf> = WalkDir::new(&dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
            .filter(|p| p.extension().is_some_and(|x| x == ext))
            .collect();
        paths.sort();
        for path in paths {
            let rel = path
                .strip_prefix(&root)
                .unwrap_or(&path)
                .display()
                .to_string();
            let mut body = String::new();
            let text = match std::fs::read_to_string(&path) {
                Ok(t) => t,
                Err(e) => {
                    failures.push(format!("{rel}: cannot read: {e}"));
                    continue;
                }
            };
            let yaml = if ext == "md" {
                match front_matter(&text) {
                    Ok(fm) => {
                        body = text[text.find(fm).map_or(0, |i| i + fm.len())..].to_string();
                        fm
                    }
                    Err(e) => {
                        failures.push(format!("{rel}: {e}"));
                        continue;
                    }
                }
            } else {
                text.as_str()
            };
            let meta: Value = match serde_yaml::from_str(yaml) {
                Ok(v) => v,
                Err(e) => {
                    failures.push(format!("{rel}: YAML does not parse: {e}"));
                    continue;
                }
            };
            if !meta.is_mapping() {
                failures.push(format!("{rel}: expected a YAML mapping of fields"));
                continue;
            }
            let slug = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            items.push(Item {
                rel,
                kind,
                slug,
                meta,
                body,
            });
        }
    }
    items
}

/// A scalar field as text (strings, numbers and booleans; `None` when absent or not a scalar).
pub(super) fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub(super) fn field(meta: &Value, key: &str) -> Option<String> {
    meta.get(key).and_then(scalar)
}

pub(super) fn list(meta: &Value, key: &str) -> Vec<String> {
    match meta.get(key) {
        Some(Value::Sequence(seq)) => seq.iter().filter_map(scalar).collect(),
        Some(v) => scalar(v).into_iter().collect(),
        None => Vec::new(),
    }
}

/// `series/id` of an issue file, from its path under content/issues/.
pub(super) fn issue_key(item: &Item) -> String {
    let p = Path::new(&item.rel);
    let series = p
        .parent()
        .and_then(Path::file_name)
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{series}/{}", item.slug)
}

/// Maps every item to the bulletin(s) its facts must come from; unmappable items are failures.
pub(super) fn map_items<'a>(
    items: &'a [Item],
    failures: &mut Vec<String>,
) -> Vec<(&'a Item, BTreeSet<&'static str>)> {
    // issue ref -> bulletin, from the fixed table, else by the issue file's month.
    let mut issue_bulletin: BTreeMap<String, &'static str> =
        ISSUE_MAP.iter().map(|&(k, v)| (k.to_string(), v)).collect();
    for item in items.iter().filter(|i| i.kind == "issues") {
        let key = issue_key(item);
        if issue_bulletin.contains_key(&key) {
            continue;
        }
        if let Some(month) = field(&item.meta, "month") {
            if let Some(&(_, b)) = MONTH_MAP.iter().find(|(m, _)| *m == month) {
                issue_bulletin.insert(key, b);
            }
        }
    }
    let by_issue = |item: &Item| -> Option<Result<&'static str, String>> {
        let issue = field(&item.meta, "issue")?;
        Some(issue_bulletin.get(&issue).copied().ok_or(issue))
    };

    // policy slug -> bulletins of the articles that list it
    let mut reported_in: BTreeMap<String, BTreeSet<&'static str>> = BTreeMap::new();
    for item in items.iter().filter(|i| i.kind == "articles") {
        if let Some(Ok(b)) = by_issue(item) {
            for slug in list(&item.meta, "policies") {
                reported_in.entry(slug).or_default().insert(b);
            }
        }
    }

    let mut mapped = Vec::new();
    for item in items {
        let mut ids = BTreeSet::new();
        if item.kind == "issues" {
            if let Some(&b) = issue_bulletin.get(&issue_key(item)) {
                ids.insert(b);
            }
        } else {
            match by_issue(item) {
                Some(Ok(b)) => {
                    ids.insert(b);
                }
                Some(Err(issue)) => {
                    failures.push(format!(
                        "{}: field `issue`: `{issue}` is not one of the bulletins' issues",
                        item.rel
                    ));
                    continue;
                }
                None => {}
            }
            if item.kind == "policies" {
                if item
                    .rel
                    .replace('\\', "/")
                    .starts_with("content/policies/2023/")
                {
                    ids.insert("004");
                }
                if let Some(extra) = reported_in.get(&item.slug) {
                    ids.extend(extra.iter().copied());
                }
            }
        }
        if ids.is_empty() {
            failures.push(format!(
                "{}: cannot be traced to a bulletin (no `issue`, not under content/policies/2023/, \
                 and no article lists it in `policies`)",
                item.rel
            ));
            continue;
        }
        mapped.push((item, ids));
    }
    mapped
}
