//! Fidelity of the shipped `content/` to the bulletins it was derived from.
//!
//! Every title, source, document number, issuer, publisher, author, ranking entry, date and
//! number in `content/` must be traceable to the text of its bulletin
//! (`tests/fixtures/bulletins/`, copies of `../shared/bulletins/`). The content files are read
//! directly with serde_yaml (not through the crate's loader), so this test stands on its own.
//!
//! Mapping of items to bulletins:
//! - by `issue:`: `xinxi-zhaibian/2024-07` -> 001, `jinrong-zhiyin/2024-05` -> 002,
//!   `chanye-baodao/2024-12` -> 000, `chanye-baodao/2025-05` -> 003 (another issue is mapped by
//!   the `month` of its issue file: 2024-12 -> 000, 2025-05 -> 003, 2024-07 -> 001, 2024-05 -> 002);
//! - policies under `content/policies/2023/` -> 004;
//! - a policy without `issue` elsewhere -> the bulletins of the articles that list it in
//!   `policies` (a fact may come from any of them).
//!
//! Normalisation (applied to both sides): all whitespace removed; full-width ASCII variants
//! (U+FF01..U+FF5E, e.g. `：` `（` `，` `１`) mapped to ASCII; curly quotes mapped to straight ones.
//! Dates `YYYY-MM-DD` are accepted as `2024-06-19`, `2024.06.19`, `2024/06/19`, `2024.6.19`,
//! `2024年6月19日`, `2024年06月19日`, or `6月19日` when the year appears in the text or is the
//! bulletin's own year; months `YYYY-MM` likewise (`2024年6月`, `2024.06`, `2024-06`, `6月`+year).
//! Numbers are the runs of ASCII digits (with a decimal part: `1.5`, `33` of `33%`) and must occur
//! as a whole number in the text.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_yaml::Value;
use walkdir::WalkDir;

/// (id, file name, the bulletin's own year as its README states it)
const BULLETINS: &[(&str, &str, i32)] = &[
    ("000", "000_cffa8b30958d59cf.txt", 2024),
    ("001", "001_63ddb052a804766a.txt", 2024),
    ("002", "002_6aa2ce7c6a878419.txt", 2024),
    ("003", "003_968f18d31259bbc3.txt", 2025),
    ("004", "004_e7dd661cb3f7d4f1.txt", 2023),
];

const ISSUE_MAP: &[(&str, &str)] = &[
    ("xinxi-zhaibian/2024-07", "001"),
    ("jinrong-zhiyin/2024-05", "002"),
    ("chanye-baodao/2024-12", "000"),
    ("chanye-baodao/2025-05", "003"),
];

const MONTH_MAP: &[(&str, &str)] = &[
    ("2024-07", "001"),
    ("2024-05", "002"),
    ("2024-12", "000"),
    ("2025-05", "003"),
];

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn content_dir() -> PathBuf {
    manifest_dir().join("content")
}

// ---------------------------------------------------------------------------------------------
// Normalisation and matching

/// Whitespace removed, full-width forms folded to ASCII, curly quotes straightened.
fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(fold_char)
        .collect()
}

/// Like [`normalize`], but a whitespace run between two digits becomes `|`, so that numbers
/// separated only by whitespace (`2024.05.03 2023年`) are not glued together.
fn normalize_marked(s: &str) -> String {
    let chars: Vec<char> = s.chars().map(fold_char).collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            let start = i;
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            let before = start.checked_sub(1).map(|j| chars[j]);
            let after = chars.get(i).copied();
            if before.is_some_and(|c| c.is_ascii_digit())
                && after.is_some_and(|c| c.is_ascii_digit())
            {
                out.push('|');
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Like [`normalize`] but every whitespace run becomes one space (keeps token boundaries).
fn fold_keep_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(fold_char(c));
            in_space = false;
        }
    }
    out
}

fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{301D}' | '\u{301E}' => '"',
        '\u{2018}' | '\u{2019}' => '\'',
        _ => c,
    }
}

/// The numbers of a (folded) string: digit runs with an optional decimal part, leading zeros
/// of the integer part dropped (`06` -> `6`).
fn number_tokens(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            if i + 1 < chars.len() && chars[i] == '.' && chars[i + 1].is_ascii_digit() {
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
            }
            let tok: String = chars[start..i].iter().collect();
            out.push(canonical_number(&tok));
        } else {
            i += 1;
        }
    }
    out
}

fn canonical_number(tok: &str) -> String {
    let (int, frac) = match tok.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (tok, None),
    };
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    match frac {
        Some(f) => format!("{int}.{f}"),
        None => int.to_string(),
    }
}

/// Removes thousands separators between digits: `1,234.5` -> `1234.5`.
fn strip_digit_commas(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        let between_digits = i > 0
            && i + 1 < chars.len()
            && chars[i - 1].is_ascii_digit()
            && chars[i + 1].is_ascii_digit();
        if c == ',' && between_digits {
            continue;
        }
        out.push(c);
    }
    out
}

/// `needle` occurs in `hay` where its first and last digits are not glued to further digits.
fn contains_bounded(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    let mut from = 0;
    while let Some(pos) = hay[from..].find(needle) {
        let start = from + pos;
        let end = start + needle.len();
        let glued = |a: Option<char>, b: Option<char>| {
            a.is_some_and(|c| c.is_ascii_digit()) && b.is_some_and(|c| c.is_ascii_digit())
        };
        let before_ok = !glued(hay[..start].chars().next_back(), needle.chars().next());
        let after_ok = !glued(hay[end..].chars().next(), needle.chars().next_back());
        if before_ok && after_ok {
            return true;
        }
        from = start + hay[start..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

struct Bulletin {
    id: &'static str,
    file: &'static str,
    year: i32,
    norm: String,
    /// Folded like `norm` but with whitespace between digits marked (see [`normalize_marked`]).
    marked: String,
    numbers: BTreeSet<String>,
    /// The page numbers its contents lists print: the number that ends a line (after a tab,
    /// dots or spaces), as `标题<TAB>12` or `……12`.
    pages: BTreeSet<u32>,
}

impl Bulletin {
    fn load(id: &'static str, file: &'static str, year: i32) -> Bulletin {
        let path = manifest_dir().join("tests/fixtures/bulletins").join(file);
        let raw = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read bulletin fixture {}: {e}", path.display()));
        let norm = normalize(&raw);
        let spaced = fold_keep_spaces(&raw);
        let mut numbers = BTreeSet::new();
        for variant in [
            norm.clone(),
            spaced.clone(),
            strip_digit_commas(&norm),
            strip_digit_commas(&spaced),
        ] {
            numbers.extend(number_tokens(&variant));
        }
        let pages = raw
            .lines()
            .filter_map(|l| {
                let t = l.trim_end();
                let digits = t.len() - t.trim_end_matches(|c: char| c.is_ascii_digit()).len();
                let before = t[..t.len() - digits].chars().last();
                let led = before
                    .is_none_or(|c| c == '\t' || c == '.' || c == ' ' || c == '•' || c == '》');
                (digits > 0 && digits <= 3 && led).then(|| t[t.len() - digits..].parse().ok())?
            })
            .collect();
        Bulletin {
            id,
            file,
            year,
            pages,
            marked: normalize_marked(&raw),
            norm,
            numbers,
        }
    }

    fn has_text(&self, value: &str) -> bool {
        let v = normalize(value);
        !v.is_empty() && self.norm.contains(&v)
    }

    fn has_number(&self, tok: &str) -> bool {
        self.numbers.contains(tok)
    }

    /// A date form occurs, not glued to other digits, with or without the text's whitespace.
    fn has_form(&self, form: &str) -> bool {
        contains_bounded(&self.norm, form) || contains_bounded(&self.marked, form)
    }

    fn year_evident(&self, y: i32) -> bool {
        y == self.year || self.numbers.contains(&y.to_string())
    }

    fn has_date(&self, y: i32, m: u32, d: u32) -> bool {
        let forms = [
            format!("{y}-{m:02}-{d:02}"),
            format!("{y}.{m:02}.{d:02}"),
            format!("{y}/{m:02}/{d:02}"),
            format!("{y}.{m}.{d}"),
            format!("{y}-{m}-{d}"),
            format!("{y}/{m}/{d}"),
            format!("{y}年{m}月{d}日"),
            format!("{y}年{m:02}月{d:02}日"),
        ];
        if forms.iter().any(|f| self.has_form(f)) {
            return true;
        }
        let short = [format!("{m}月{d}日"), format!("{m:02}月{d:02}日")];
        if self.year_evident(y) && short.iter().any(|f| self.has_form(f)) {
            return true;
        }
        // `2024年4月末` (the end of April) is its last day.
        let last = chrono::NaiveDate::from_ymd_opt(y, m, 1)
            .and_then(|f| f.checked_add_months(chrono::Months::new(1)))
            .and_then(|n| n.pred_opt())
            .map(|l| chrono::Datelike::day(&l));
        last == Some(d) && self.has_form(&format!("{y}年{m}月末"))
    }

    fn has_month(&self, y: i32, m: u32) -> bool {
        let forms = [
            format!("{y}年{m}月"),
            format!("{y}年{m:02}月"),
            format!("{y}.{m:02}"),
            format!("{y}-{m:02}"),
            format!("{y}/{m:02}"),
            format!("{y}.{m}"),
        ];
        if forms.iter().any(|f| self.has_form(f)) {
            return true;
        }
        let short = [format!("{m}月"), format!("{m:02}月")];
        self.year_evident(y) && short.iter().any(|f| self.has_form(f))
    }
}

fn parse_date(s: &str) -> Option<(i32, u32, u32)> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = s[0..4].parse().ok()?;
    let m = s[5..7].parse().ok()?;
    let d = s[8..10].parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

fn parse_month(s: &str) -> Option<(i32, u32)> {
    let b = s.as_bytes();
    if b.len() != 7 || b[4] != b'-' {
        return None;
    }
    let y = s[0..4].parse().ok()?;
    let m = s[5..7].parse().ok()?;
    (1..=12).contains(&m).then_some((y, m))
}

// ---------------------------------------------------------------------------------------------
// Reading content/

struct Item {
    /// Path relative to the crate root, for messages.
    rel: String,
    kind: &'static str,
    slug: String,
    meta: Value,
    /// A Markdown file's body (after the front matter); empty for YAML files.
    body: String,
}

const KINDS: &[(&str, &str)] = &[
    ("articles", "md"),
    ("policies", "md"),
    ("rankings", "yaml"),
    ("books", "yaml"),
    ("products", "yaml"),
    ("issues", "yaml"),
];

fn front_matter(text: &str) -> Result<&str, String> {
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

fn load_items(failures: &mut Vec<String>) -> Vec<Item> {
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
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn field(meta: &Value, key: &str) -> Option<String> {
    meta.get(key).and_then(scalar)
}

fn list(meta: &Value, key: &str) -> Vec<String> {
    match meta.get(key) {
        Some(Value::Sequence(seq)) => seq.iter().filter_map(scalar).collect(),
        Some(v) => scalar(v).into_iter().collect(),
        None => Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// The checks

struct Checker<'a> {
    bulletins: &'a BTreeMap<&'static str, Bulletin>,
    failures: Vec<String>,
}

impl Checker<'_> {
    fn names(&self, ids: &BTreeSet<&'static str>) -> String {
        ids.iter()
            .map(|id| format!("{id} ({})", self.bulletins[id].file))
            .collect::<Vec<_>>()
            .join(" or ")
    }

    fn any(&self, ids: &BTreeSet<&'static str>, f: impl Fn(&Bulletin) -> bool) -> bool {
        ids.iter().any(|id| f(&self.bulletins[id]))
    }

    /// The value must occur verbatim (after normalisation) in the bulletin text.
    fn text(&mut self, item: &Item, ids: &BTreeSet<&'static str>, fieldname: &str, value: &str) {
        if !self.any(ids, |b| b.has_text(value)) {
            self.failures.push(format!(
                "{}: field `{fieldname}`: `{value}` does not occur in bulletin {}",
                item.rel,
                self.names(ids)
            ));
        }
    }

    /// Every number in the value must occur as a number in the bulletin text.
    fn numbers(&mut self, item: &Item, ids: &BTreeSet<&'static str>, fieldname: &str, value: &str) {
        let folded = strip_digit_commas(&fold_keep_spaces(value));
        let mut missing: Vec<String> = number_tokens(&folded)
            .into_iter()
            .filter(|t| !self.any(ids, |b| b.has_number(t)))
            .collect();
        missing.dedup();
        if !missing.is_empty() {
            self.failures.push(format!(
                "{}: field `{fieldname}`: number(s) {} not found in bulletin {}",
                item.rel,
                missing
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                self.names(ids)
            ));
        }
    }

    fn date(&mut self, item: &Item, ids: &BTreeSet<&'static str>, fieldname: &str, value: &str) {
        // A date the source gives only to the month (`date: 2024-05`).
        if parse_month(value).is_some() {
            return self.month(item, ids, fieldname, value);
        }
        match parse_date(value) {
            None => self.failures.push(format!(
                "{}: field `{fieldname}`: `{value}` is not a YYYY-MM-DD date",
                item.rel
            )),
            Some((y, m, d)) => {
                if !self.any(ids, |b| b.has_date(y, m, d)) {
                    self.failures.push(format!(
                        "{}: field `{fieldname}`: date {value} does not appear in bulletin {} \
                         (as {value}, {y}年{m}月{d}日, {y}.{m:02}.{d:02}, or {m}月{d}日 with the year evident)",
                        item.rel,
                        self.names(ids)
                    ));
                }
            }
        }
    }

    fn month(&mut self, item: &Item, ids: &BTreeSet<&'static str>, fieldname: &str, value: &str) {
        match parse_month(value) {
            None => self.failures.push(format!(
                "{}: field `{fieldname}`: `{value}` is not a YYYY-MM month",
                item.rel
            )),
            Some((y, m)) => {
                if !self.any(ids, |b| b.has_month(y, m)) {
                    self.failures.push(format!(
                        "{}: field `{fieldname}`: month {value} does not appear in bulletin {} \
                         (as {y}年{m}月, {y}.{m:02}, {value}, or {m}月 with the year evident)",
                        item.rel,
                        self.names(ids)
                    ));
                }
            }
        }
    }

    /// Every printed page of `contents` is a page number the bulletin's contents list prints.
    fn contents_pages(&mut self, item: &Item, ids: &BTreeSet<&'static str>) {
        let Some(Value::Sequence(entries)) = item.meta.get("contents") else {
            return;
        };
        for (i, e) in entries.iter().enumerate() {
            let Some(page) = e.get("page").and_then(Value::as_u64) else {
                continue;
            };
            let page = page as u32;
            if !self.any(ids, |b| b.pages.contains(&page)) {
                self.failures.push(format!(
                    "{}: `contents[{i}].page`: page {page} ends no line of bulletin {}",
                    item.rel,
                    self.names(ids)
                ));
            }
        }
    }

    /// Every number in a Markdown table of the body (e.g. 002's 表8 as an article) occurs in
    /// the bulletin: a table's figures are facts one by one, not prose to be read back whole.
    fn table_cells(&mut self, item: &Item, ids: &BTreeSet<&'static str>) {
        // Footnote references (`[^name]`) are the editor's, not the bulletin's.
        let footnote = regex::Regex::new(r"\[\^[^\]]*\]").expect("regex");
        let rows = item
            .body
            .lines()
            .filter(|l| l.trim_start().starts_with('|'));
        for (i, row) in rows.enumerate() {
            let row = footnote.replace_all(row, "");
            self.numbers(item, ids, &format!("table row {}", i + 1), &row);
        }
    }

    /// A required text field: verbatim and its numbers.
    fn title_like(&mut self, item: &Item, ids: &BTreeSet<&'static str>, key: &str) {
        match field(&item.meta, key) {
            Some(v) => {
                self.text(item, ids, key, &v);
                self.numbers(item, ids, key, &v);
            }
            None => self.failures.push(format!(
                "{}: field `{key}` is missing or not text",
                item.rel
            )),
        }
    }

    fn opt_text(&mut self, item: &Item, ids: &BTreeSet<&'static str>, key: &str) {
        if let Some(v) = field(&item.meta, key) {
            self.text(item, ids, key, &v);
        }
    }

    fn opt_numbers(&mut self, item: &Item, ids: &BTreeSet<&'static str>, key: &str) {
        if let Some(v) = field(&item.meta, key) {
            self.numbers(item, ids, key, &v);
        }
    }

    fn opt_date(&mut self, item: &Item, ids: &BTreeSet<&'static str>, key: &str) {
        match field(&item.meta, key) {
            Some(v) => self.date(item, ids, key, &v),
            None => self
                .failures
                .push(format!("{}: field `{key}` is missing", item.rel)),
        }
    }

    fn list_text(&mut self, item: &Item, ids: &BTreeSet<&'static str>, key: &str) {
        for (i, v) in list(&item.meta, key).iter().enumerate() {
            self.text(item, ids, &format!("{key}[{i}]"), v);
        }
    }

    /// A policy's `doc_type` and `status` say what its own title and summary say: a document's
    /// type is a word of its title, a meeting is a 会议 (or 座谈会) held, a statement something
    /// 表示ed, a draft one published for 征求意见.
    fn doc_type(&mut self, item: &Item) {
        let said = format!(
            "{}{}",
            field(&item.meta, "title").unwrap_or_default(),
            field(&item.meta, "summary").unwrap_or_default()
        );
        let title = field(&item.meta, "title").unwrap_or_default();
        if let Some(t) = field(&item.meta, "doc_type") {
            let ok = match t.as_str() {
                "会议" => said.contains("会议") || said.contains("座谈会"),
                "讲话" | "表态" => said.contains("表示") || said.contains("讲话"),
                word => title.contains(word),
            };
            if !ok {
                self.failures.push(format!(
                    "{}: field `doc_type`: `{t}` is not what its title or summary says it is",
                    item.rel
                ));
            }
        }
        if let Some(s) = field(&item.meta, "status") {
            if !(said.contains(&s) || said.contains("征求意见")) {
                self.failures.push(format!(
                    "{}: field `status`: `{s}`, but neither title nor summary says 征求意见",
                    item.rel
                ));
            }
        }
    }

    fn check(&mut self, item: &Item, ids: &BTreeSet<&'static str>) {
        match item.kind {
            "articles" => {
                self.title_like(item, ids, "title");
                self.title_like(item, ids, "source");
                self.list_text(item, ids, "regions");
                self.opt_date(item, ids, "date");
                self.table_cells(item, ids);
            }
            "policies" => {
                self.title_like(item, ids, "title");
                self.opt_text(item, ids, "doc_number");
                self.list_text(item, ids, "issuers");
                self.opt_text(item, ids, "region");
                self.opt_date(item, ids, "date");
                self.opt_numbers(item, ids, "summary");
                self.doc_type(item);
            }
            "rankings" => {
                self.title_like(item, ids, "title");
                self.opt_text(item, ids, "publisher");
                self.opt_date(item, ids, "date");
                self.opt_numbers(item, ids, "summary");
                if let Some(Value::Sequence(entries)) = item.meta.get("entries") {
                    for (i, e) in entries.iter().enumerate() {
                        let key = format!("entries[{i}]");
                        match e.get("name").and_then(scalar) {
                            Some(name) => {
                                self.text(item, ids, &format!("{key}.name"), &name);
                                self.numbers(item, ids, &format!("{key}.name"), &name);
                            }
                            None => self.failures.push(format!(
                                "{}: field `{key}.name` is missing: a ranking entry must name an entry of the text",
                                item.rel
                            )),
                        }
                        for sub in ["value", "note"] {
                            if let Some(v) = e.get(sub).and_then(scalar) {
                                self.numbers(item, ids, &format!("{key}.{sub}"), &v);
                            }
                        }
                    }
                }
            }
            "books" => {
                self.title_like(item, ids, "title");
                self.list_text(item, ids, "authors");
                self.opt_text(item, ids, "publisher");
                self.opt_date(item, ids, "date");
                if let Some(v) = field(&item.meta, "published") {
                    self.month(item, ids, "published", &v);
                }
                self.opt_numbers(item, ids, "summary");
                self.opt_numbers(item, ids, "reason");
            }
            "products" => {
                self.title_like(item, ids, "name");
                self.opt_text(item, ids, "bank");
                self.opt_date(item, ids, "date");
                self.opt_numbers(item, ids, "summary");
            }
            "issues" => {
                self.contents_pages(item, ids);
                self.opt_text(item, ids, "publisher");
                self.list_text(item, ids, "editors");
                if let Some(period) = item.meta.get("period") {
                    for key in ["from", "to"] {
                        if let Some(v) = period.get(key).and_then(scalar) {
                            self.date(item, ids, &format!("period.{key}"), &v);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

fn load_bulletins() -> BTreeMap<&'static str, Bulletin> {
    BULLETINS
        .iter()
        .map(|&(id, file, year)| (id, Bulletin::load(id, file, year)))
        .collect()
}

/// `series/id` of an issue file, from its path under content/issues/.
fn issue_key(item: &Item) -> String {
    let p = Path::new(&item.rel);
    let series = p
        .parent()
        .and_then(Path::file_name)
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{series}/{}", item.slug)
}

/// Maps every item to the bulletin(s) its facts must come from; unmappable items are failures.
fn map_items<'a>(
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

fn report(what: &str, failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} {what}:\n  - {}\n",
        failures.len(),
        failures.join("\n  - ")
    );
}

#[test]
fn content_is_traceable_to_its_bulletin() {
    let bulletins = load_bulletins();
    let mut failures = Vec::new();
    let items = load_items(&mut failures);
    let mapped = map_items(&items, &mut failures);
    let mut checker = Checker {
        bulletins: &bulletins,
        failures,
    };
    for (item, ids) in &mapped {
        checker.check(item, ids);
    }
    report(
        "fidelity violation(s) in content/ (see tests/it/fidelity.rs)",
        &checker.failures,
    );
}

#[test]
fn every_bulletin_has_content() {
    let mut failures = Vec::new();
    let items = load_items(&mut failures);
    let mapped = map_items(&items, &mut failures);
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (item, ids) in &mapped {
        if item.kind != "issues" {
            for id in ids {
                *seen.entry(id).or_default() += 1;
            }
        }
    }
    let missing: Vec<String> = BULLETINS
        .iter()
        .filter(|(id, _, _)| !seen.contains_key(id))
        .map(|(id, file, _)| format!("bulletin {id} ({file}) has no item in content/"))
        .collect();
    report("bulletin(s) without content", &missing);
}

#[test]
fn every_article_has_a_source() {
    let mut failures = Vec::new();
    let items = load_items(&mut failures);
    for item in items.iter().filter(|i| i.kind == "articles") {
        match field(&item.meta, "source") {
            Some(s) if !s.trim().is_empty() => {}
            _ => failures.push(format!("{}: field `source` is missing or empty", item.rel)),
        }
    }
    report("article(s) without a source", &failures);
}

/// Words by which a ranking's summary says that the full list is in the source.
const POINTS_TO_SOURCE: &[&str] = &[
    "原文",
    "来源",
    "详见",
    "全文",
    "完整榜单",
    "完整名单",
    "全部榜单",
    "见原",
];

#[test]
fn incomplete_rankings_point_to_their_source() {
    let mut failures = Vec::new();
    let items = load_items(&mut failures);
    for item in items.iter().filter(|i| i.kind == "rankings") {
        let complete = matches!(item.meta.get("complete"), Some(Value::Bool(true)));
        if complete {
            continue;
        }
        let has_url = field(&item.meta, "url").is_some_and(|u| !u.trim().is_empty());
        let summary = field(&item.meta, "summary").unwrap_or_default();
        let says_so = POINTS_TO_SOURCE.iter().any(|w| summary.contains(w));
        if !has_url && !says_so {
            failures.push(format!(
                "{}: `complete: false` but neither a `url` nor a `summary` saying the full list is in the source",
                item.rel
            ));
        }
    }
    report(
        "incomplete ranking(s) without a pointer to the source",
        &failures,
    );
}

#[test]
fn fidelity_matching_rules() {
    assert_eq!(
        normalize("前11个月 我国（集成电路）：１．５"),
        "前11个月我国(集成电路):1.5"
    );
    assert_eq!(
        number_tokens("增长33%，共2000家，1.5倍，06月"),
        ["33", "2000", "1.5", "6"]
    );
    assert!(contains_bounded("2024年6月19日", "6月19日"));
    assert!(!contains_bounded("2024年16月19日", "6月19日"));
    assert!(!contains_bounded("6月190日", "6月19日"));
    let sample = "新京报 2024-06-19 …… 7月2日 2024.05.03 2023年 8 月 1 日 2022年3月";
    let b = Bulletin {
        id: "x",
        file: "x.txt",
        year: 2025,
        norm: normalize(sample),
        marked: normalize_marked(sample),
        numbers: number_tokens("2024 2025").into_iter().collect(),
        pages: BTreeSet::new(),
    };
    assert_eq!(b.id, "x");
    assert!(b.has_date(2024, 6, 19));
    assert!(b.has_date(2024, 5, 3));
    assert!(b.has_date(2023, 8, 1));
    assert!(
        b.has_date(2024, 7, 2),
        "6月19日-style with the year in the text"
    );
    assert!(b.has_date(2025, 7, 2), "with the bulletin's own year");
    assert!(!b.has_date(2021, 7, 2));
    assert!(!b.has_date(2024, 6, 18));
    assert!(b.has_month(2022, 3));
    assert!(b.has_month(2024, 6));
    assert!(!b.has_month(2021, 3));
}

/// A character around which a space in a title is a break in Chinese text, not between words
/// (digits and Latin letters keep their spaces: `2030 年`, `OpenAI 对`).
fn cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9FFF}' | '"' | '《' | '》' | '(' | ')')
}

/// Each space of `title` between two CJK characters, as (text before it, folded and without
/// whitespace).
fn cjk_spaces(title: &str) -> Vec<String> {
    let chars: Vec<char> = title.chars().map(fold_char).collect();
    let mut out = Vec::new();
    for (i, c) in chars.iter().enumerate() {
        if c.is_whitespace() && i > 0 {
            let next = chars[i..].iter().find(|c| !c.is_whitespace());
            if cjk(chars[i - 1]) && next.is_some_and(|n| cjk(*n)) && !chars[i - 1].is_whitespace() {
                out.push(chars[..i].iter().filter(|c| !c.is_whitespace()).collect());
            }
        }
    }
    out
}

/// Where `title` occurs within one line of `raw`: for each occurrence, the set of prefixes
/// (folded, no whitespace) after which the line has whitespace.
fn spaced_occurrences(raw: &str, title: &str) -> Vec<BTreeSet<String>> {
    let want: Vec<char> = normalize(title).chars().collect();
    let mut found = Vec::new();
    if want.is_empty() {
        return found;
    }
    for line in raw.lines() {
        let chars: Vec<char> = line.chars().map(fold_char).collect();
        for start in 0..chars.len() {
            let (mut i, mut k) = (start, 0);
            let mut spaces = BTreeSet::new();
            while i < chars.len() && k < want.len() {
                if chars[i].is_whitespace() {
                    if k > 0 {
                        spaces.insert(want[..k].iter().collect::<String>());
                    }
                } else if chars[i] == want[k] {
                    k += 1;
                } else {
                    break;
                }
                i += 1;
            }
            if k == want.len() && !chars[start].is_whitespace() {
                found.push(spaces);
            }
        }
    }
    found
}

/// A space inside a title between Chinese characters is the bulletin's only where every
/// one-line occurrence of the title in it (the heading and the table of contents) has it:
/// a space the heading has and the contents line has not is where the extracted line broke
/// (`供应链 金融服务`).
#[test]
fn titles_keep_only_the_spaces_their_bulletin_prints() {
    let mut failures = Vec::new();
    let items = load_items(&mut failures);
    let mapped = map_items(&items, &mut failures);
    let raws: BTreeMap<&str, String> = BULLETINS
        .iter()
        .map(|&(id, file, _)| {
            let p = manifest_dir().join("tests/fixtures/bulletins").join(file);
            (id, std::fs::read_to_string(p).expect("bulletin"))
        })
        .collect();
    for (item, ids) in &mapped {
        let Some(title) = field(&item.meta, "title").or_else(|| field(&item.meta, "name")) else {
            continue;
        };
        let spaces = cjk_spaces(&title);
        if spaces.is_empty() {
            continue;
        }
        let occurrences: Vec<BTreeSet<String>> = ids
            .iter()
            .flat_map(|id| spaced_occurrences(&raws[id], &title))
            .collect();
        for at in &spaces {
            if !occurrences.is_empty() && occurrences.iter().any(|o| !o.contains(at)) {
                failures.push(format!(
                    "{}: the space after `{at}` in `{title}` is a line break of the bulletin: \
                     another line prints the title without it",
                    item.rel
                ));
            }
        }
    }
    report("title(s) with a line-break space", &failures);
}

/// A ranking that holds part of its list does not say in its title that the list is attached
/// (`（附完整榜单）`): the page would say both.
#[test]
fn incomplete_rankings_do_not_promise_the_whole_list() {
    let mut failures = Vec::new();
    let items = load_items(&mut failures);
    for item in items.iter().filter(|i| i.kind == "rankings") {
        let complete = matches!(item.meta.get("complete"), Some(Value::Bool(true)));
        let title = field(&item.meta, "title").unwrap_or_default();
        if !complete
            && ["完整榜单", "完整名单", "全部榜单"]
                .iter()
                .any(|w| title.contains(w))
        {
            failures.push(format!(
                "{}: `complete: false` but the title `{title}` promises the whole list",
                item.rel
            ));
        }
    }
    report("incomplete ranking(s) promising the whole list", &failures);
}

/// One product of a bank is one file, even where a bulletin lists it in two tables.
#[test]
fn no_product_is_shipped_twice() {
    let mut failures = Vec::new();
    let items = load_items(&mut failures);
    let mut seen: BTreeMap<(String, String, String), &str> = BTreeMap::new();
    for item in items.iter().filter(|i| i.kind == "products") {
        let key = (
            field(&item.meta, "issue").unwrap_or_default(),
            normalize(&field(&item.meta, "bank").unwrap_or_default()),
            normalize(&field(&item.meta, "name").unwrap_or_default()),
        );
        if let Some(first) = seen.insert(key, &item.rel) {
            failures.push(format!(
                "{}: the same bank and product as {first}",
                item.rel
            ));
        }
    }
    report("product(s) shipped twice", &failures);
}

/// 002's appendix is in the content: its regional policies, and its 表8 as a table whose
/// every row names a bank and the time its figures stand at (the fidelity check above traces
/// each figure).
#[test]
fn the_appendix_of_002_is_content() {
    let mut failures = Vec::new();
    let items = load_items(&mut failures);
    let in_002 = |i: &&Item| field(&i.meta, "issue").as_deref() == Some("jinrong-zhiyin/2024-05");
    let titles: BTreeSet<String> = items
        .iter()
        .filter(in_002)
        .filter(|i| i.kind == "policies")
        .filter_map(|i| field(&i.meta, "title"))
        .collect();
    for want in [
        "江西省现代设施农业建设贷款贴息试点方案",
        "广西进一步提高创业担保贷款额度",
    ] {
        assert!(titles.contains(want), "no policy `{want}` in 002's content");
    }
    let table = items
        .iter()
        .filter(in_002)
        .find(|i| field(&i.meta, "title").as_deref() == Some("部分银行小微信贷业务规模动态"))
        .expect("002's 表8 as an article");
    let rows: Vec<Vec<&str>> = table
        .body
        .lines()
        .filter(|l| l.starts_with('|') && !l.contains("---"))
        .map(|l| l.trim_matches('|').split('|').map(str::trim).collect())
        .collect();
    assert_eq!(rows[0], ["银行名称", "截至", "小微信贷业务发展情况"]);
    assert_eq!(rows.len() - 1, 8, "表8's eight banks");
    for r in &rows[1..] {
        assert!(
            !r[0].is_empty() && !r[1].is_empty() && !r[2].is_empty(),
            "{r:?}"
        );
    }
    report("content error(s) reading 002's appendix", &failures);
}
