//! Search in a real browser: the built site on a static server, headless Chromium (tests/tools/search.cjs), and
//! the answers the page gives checked against the items that contain each query, computed here
//! from the content files on their own (YAML read with serde_yaml, Markdown stripped of its
//! markup, NFKC, lower case, no whitespace, substring test). Random substrings (seeded) of the
//! fixture's and the shipped content, names, 文号, strings that occur nowhere, several terms,
//! filters and the URL state; the normal forms of the browser and the index agree; axe.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

use crate::support::{repo, require_tools, TestSite};

/// One item as this test reads it from its file.
#[derive(Debug)]
pub(crate) struct Item {
    pub(crate) url: String,
    pub(crate) kind: &'static str,
    pub(crate) date: String,
    /// Each searchable field in the normal form.
    pub(crate) fields: Vec<String>,
    pub(crate) level: Option<String>,
    /// A policy's type as the address names it (`type=notice`).
    pub(crate) doc_type: Option<String>,
    pub(crate) regions: Vec<String>,
    pub(crate) issuers: Vec<String>,
    pub(crate) series: Option<String>,
    /// Names worth searching for whole: issuers, 文号, banks, entries, authors.
    pub(crate) names: Vec<String>,
}

pub(crate) fn norm(s: &str) -> String {
    let n: String = s.nfkc().collect();
    n.to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{feff}')
        .collect()
}

/// Markdown as a reader sees it: no emphasis marks, link targets, list markers or tags.
fn strip_markdown(md: &str) -> String {
    let link = regex::Regex::new(r"\]\([^)]*\)").expect("regex");
    let tag = regex::Regex::new(r"<[^>]*>").expect("regex");
    let marker = regex::Regex::new(r"(?m)^\s*(?:[-*+]|\d+[.)]|#+|>)\s").expect("regex");
    let s = link.replace_all(md, "");
    let s = tag.replace_all(&s, "");
    let s = marker.replace_all(&s, "");
    s.chars()
        .filter(|c| !"*_`[]|".contains(*c))
        .collect::<String>()
        .replace("&amp;", "&")
}

fn strs(v: &serde_yaml::Value, key: &str) -> Vec<String> {
    match &v[key] {
        serde_yaml::Value::String(s) => vec![s.clone()],
        serde_yaml::Value::Sequence(xs) => xs
            .iter()
            .filter_map(|x| x.as_str().map(String::from))
            .collect(),
        serde_yaml::Value::Number(n) => vec![n.to_string()],
        _ => Vec::new(),
    }
}

/// Every item of `root/content`.
pub(crate) fn items(root: &Path) -> Vec<Item> {
    let canon = crate::vocab::Canon::read(root);
    let mut out = Vec::new();
    for kind in ["articles", "policies", "rankings", "books", "products"] {
        let dir = root.join("content").join(kind);
        for e in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let e = e.expect("walk");
            let p = e.path();
            let ext = p.extension().and_then(|x| x.to_str()).unwrap_or("");
            if !e.file_type().is_file() || !["md", "yaml"].contains(&ext) {
                continue;
            }
            let text = std::fs::read_to_string(p).expect("read");
            let (yaml, body) = if ext == "md" {
                let rest = text.strip_prefix("---\n").expect("front matter");
                let (y, b) = rest.split_once("\n---\n").expect("front matter end");
                (y.to_string(), b.to_string())
            } else {
                (text, String::new())
            };
            let y: serde_yaml::Value = serde_yaml::from_str(&yaml).expect("yaml");
            out.push(item(kind, p, &canonical(&canon, y), &body));
        }
    }
    out
}

/// The item's regions and issuers under their canonical names, as the site shows them.
fn canonical(canon: &crate::vocab::Canon, mut y: serde_yaml::Value) -> serde_yaml::Value {
    use serde_yaml::Value;
    let region = y["region"].as_str().map(|r| canon.region(r));
    if let Some(r) = &region {
        y["region"] = Value::String(r.clone());
    }
    for (key, f) in [("regions", true), ("issuers", false)] {
        if let Some(xs) = y.get_mut(key).and_then(Value::as_sequence_mut) {
            for x in xs.iter_mut() {
                if let Some(s) = x.as_str() {
                    let c = match f {
                        true => canon.region(s),
                        false => canon.issuer(s, region.as_deref()),
                    };
                    *x = Value::String(c);
                }
            }
        }
    }
    y
}

fn item(kind: &'static str, path: &Path, y: &serde_yaml::Value, body: &str) -> Item {
    let slug = path.file_stem().and_then(|s| s.to_str()).expect("slug");
    let one = |k: &str| strs(y, k);
    let md = |k: &str| one(k).iter().map(|s| strip_markdown(s)).collect::<Vec<_>>();
    let mut fields = Vec::new();
    let mut names = Vec::new();
    match kind {
        "articles" => {
            fields.extend(one("title"));
            fields.push(strip_markdown(body));
            fields.extend(one("source"));
            fields.extend(one("tags"));
            fields.extend(one("regions"));
        }
        "policies" => {
            fields.extend(one("title"));
            fields.extend(md("summary"));
            fields.push(strip_markdown(body));
            for k in ["issuers", "doc_number", "region", "tags"] {
                fields.extend(one(k));
            }
            names.extend(one("issuers"));
            names.extend(one("doc_number"));
        }
        "rankings" => {
            fields.extend(one("title"));
            fields.extend(md("summary"));
            fields.extend(one("publisher"));
            for e in y["entries"].as_sequence().into_iter().flatten() {
                fields.extend(strs(e, "name"));
                fields.extend(strs(e, "note"));
                names.extend(strs(e, "name"));
            }
        }
        "books" => {
            fields.extend(one("title"));
            fields.extend(md("summary"));
            fields.extend(md("reason"));
            fields.extend(one("authors"));
            fields.extend(one("publisher"));
            names.extend(one("authors"));
        }
        _ => {
            fields.extend(one("name"));
            fields.extend(md("summary"));
            fields.extend(one("bank"));
            fields.extend(one("region"));
            names.extend(one("bank"));
            names.extend(one("name"));
        }
    }
    let regions = match kind {
        "articles" => one("regions"),
        "policies" | "products" => one("region"),
        _ => Vec::new(),
    };
    let level = one("level").first().map(|l| {
        match l.as_str() {
            "国家" => "national",
            "省级" => "provincial",
            "市级" => "municipal",
            _ => "county",
        }
        .to_string()
    });
    let doc_type = one("doc_type").first().map(|t| doc_type(t));
    Item {
        url: format!("{kind}/{slug}/"),
        kind,
        date: one("date").first().cloned().unwrap_or_default(),
        fields: fields.iter().map(|f| norm(f)).collect(),
        level,
        doc_type,
        regions,
        issuers: if kind == "policies" {
            one("issuers")
        } else {
            Vec::new()
        },
        series: one("issue")
            .first()
            .and_then(|i| i.split('/').next().map(String::from)),
        names,
    }
}

/// A policy's type, from its name in the content file to its name in the address: the list of
/// docs/content-guide.md, written out here rather than read from the index.
fn doc_type(zh: &str) -> String {
    const TYPES: [(&str, &str); 19] = [
        ("通知", "notice"),
        ("意见", "opinion"),
        ("办法", "measures"),
        ("方案", "plan"),
        ("措施", "policy-measures"),
        ("规定", "rules"),
        ("细则", "detail"),
        ("指引", "guide"),
        ("指南", "guidelines"),
        ("计划", "action-plan"),
        ("要点", "key-points"),
        ("条例", "regulation"),
        ("规划", "program"),
        ("标准", "standard"),
        ("报告", "report"),
        ("公告", "announcement"),
        ("会议", "meeting"),
        ("讲话", "speech"),
        ("表态", "statement"),
    ];
    let t = TYPES.iter().find(|(z, _)| *z == zh);
    t.map_or_else(|| panic!("unknown doc_type {zh}"), |t| t.1.to_string())
}

/// The items holding every term of `q`, each term within one field.
pub(crate) fn expected<'a>(items: &'a [Item], q: &str) -> BTreeSet<&'a str> {
    let terms: Vec<String> = q.split_whitespace().map(norm).collect();
    items
        .iter()
        .filter(|it| {
            terms
                .iter()
                .all(|t| it.fields.iter().any(|f| f.contains(t.as_str())))
        })
        .map(|it| it.url.as_str())
        .collect()
}

/// A small seeded generator (xorshift), so every run asks the same queries.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// Whether a character is one a random query may hold: Chinese text and its punctuation,
/// never Markdown's ASCII markup.
fn plain(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9fff}' | '\u{3001}'..='\u{303f}')
}

/// `n` random substrings (1 to 8 characters) of the items' fields.
pub(crate) fn substrings(items: &[Item], rng: &mut Rng, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    while out.len() < n {
        let it = &items[rng.below(items.len())];
        let f: Vec<char> = it.fields[rng.below(it.fields.len())].chars().collect();
        if f.is_empty() {
            continue;
        }
        let len = 1 + rng.below(8);
        let start = rng.below(f.len());
        let s: String = f[start..(start + len).min(f.len())].iter().collect();
        if s.chars().all(plain) {
            out.push(s);
        }
    }
    out
}

pub(crate) struct Browser {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
}

impl Browser {
    pub(crate) fn open(base: &str) -> Browser {
        let mut child = Command::new("node")
            .arg(repo().join("tests/tools/search.cjs"))
            .arg(base)
            .current_dir(repo())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("run node");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for l in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(l);
            }
        });
        let mut b = Browser {
            child,
            stdin,
            lines,
        };
        b.answer("start");
        b
    }

    #[track_caller]
    fn answer(&mut self, what: &str) -> Value {
        let line = self
            .lines
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("{what}: no answer from the browser script"));
        let v: Value = serde_json::from_str(&line).expect("JSON answer");
        assert_eq!(v["ok"], true, "{what}: {line}");
        v
    }

    #[track_caller]
    pub(crate) fn ask(&mut self, cmd: &str) -> Value {
        writeln!(self.stdin, "{cmd}").expect("send to browser script");
        self.answer(cmd)
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = writeln!(self.stdin, "quit");
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The built site served by a plain static server (Python's http.server on a free port of
/// 127.0.0.1): the search must work on any web server, with nothing of `bulletin serve`.
pub(crate) struct Server {
    child: Child,
    pub(crate) base: String,
}

impl Server {
    pub(crate) fn start(site: &TestSite) -> Server {
        site.build().ok();
        let mut child = Command::new("python3")
            .args([
                "-u",
                "-m",
                "http.server",
                "--bind",
                "127.0.0.1",
                "0",
                "--directory",
            ])
            .arg(site.out())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start python3 -m http.server");
        let out = BufReader::new(child.stdout.take().expect("stdout"));
        let mut lines = out.lines().map_while(Result::ok);
        let line = lines
            .find(|l| l.starts_with("Serving HTTP on"))
            .expect("http.server prints its port");
        std::thread::spawn(move || lines.for_each(drop));
        let port = line
            .split(" port ")
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
            .expect("port");
        Server {
            child,
            base: format!("http://127.0.0.1:{port}/"),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn tools() -> bool {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let ok = Path::new(&chromium).is_file()
        && repo().join("node_modules/playwright-core").is_dir()
        && repo().join("node_modules/axe-core").is_dir();
    if !ok && require_tools() {
        panic!("chromium, playwright-core or axe-core missing: run scripts/test.sh");
    }
    if !ok {
        eprintln!("skipping: chromium, playwright-core or axe-core not installed");
    }
    ok
}

pub(crate) fn pct(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// The hits' links, site-relative.
pub(crate) fn hrefs(base: &str, v: &Value) -> Vec<String> {
    v["hrefs"]
        .as_array()
        .expect("hrefs")
        .iter()
        .map(|h| {
            let h = h.as_str().expect("href");
            let rel = h.strip_prefix(base).expect("a link into the site");
            percent_encoding::percent_decode_str(rel)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect()
}

/// The page's answer for `q` (and `filters`) is exactly the items that contain it.
#[track_caller]
fn check(b: &mut Browser, base: &str, want: &BTreeSet<&str>, q: &str, answer: &Value) {
    let total = answer["total"].as_u64().expect("total") as usize;
    let got = hrefs(base, answer);
    assert_eq!(total, want.len(), "`{q}`: total {total}, expected {want:?}");
    let shown: BTreeSet<&str> = got.iter().map(String::as_str).collect();
    assert_eq!(shown.len(), got.len(), "`{q}`: a hit is shown twice");
    assert_eq!(got.len(), total.min(20), "`{q}`: 20 a page");
    assert!(
        shown.is_subset(want),
        "`{q}`: {shown:?} not all in {want:?}"
    );
    // Every page of a few larger answers (the rest: the total and the first page).
    if total > 20 && total <= 80 && q.chars().count() > 2 {
        let all = b.ask("all");
        let all: BTreeSet<String> = hrefs(base, &all).into_iter().collect();
        let all: BTreeSet<&str> = all.iter().map(String::as_str).collect();
        assert_eq!(&all, want, "`{q}`: all pages");
    }
}

/// Hits whose title holds the query come before those that do not.
#[track_caller]
fn titles_first(items: &[Item], base: &str, q: &str, answer: &Value) {
    let by_url: BTreeMap<&str, &Item> = items.iter().map(|i| (i.url.as_str(), i)).collect();
    let t = norm(q);
    let in_title: Vec<bool> = hrefs(base, answer)
        .iter()
        .map(|h| by_url[h.as_str()].fields[0].contains(&t))
        .collect();
    assert!(
        in_title.windows(2).all(|w| w[0] || !w[1]),
        "`{q}`: a title match after another hit: {in_title:?}"
    );
}

fn run_queries(site: &TestSite, seed: u64, random: usize) {
    let items = items(site.root());
    let server = Server::start(site);
    let base = server.base.clone();
    let mut b = Browser::open(&base);
    let mut rng = Rng(seed);
    let mut queries = substrings(&items, &mut rng, random);
    for it in items.iter().take(40) {
        queries.extend(it.names.iter().cloned());
    }
    // Two terms from one item, and from two items.
    let pairs = substrings(&items, &mut rng, 40);
    for p in pairs.chunks(2) {
        queries.push(p.join(" "));
    }
    // Strings that occur nowhere: rare characters in an order no text has.
    for i in 0..15 {
        let s: String = (0..4)
            .map(|j| char::from_u32(0x4e00 + ((i * 7919 + j * 104729) % 20000) as u32).unwrap())
            .collect();
        queries.push(s);
    }
    queries.push("零动智融零动智融零".into());
    eprintln!("{} queries, base {base}", queries.len());
    b.ask("open search/");
    let mut seen = BTreeSet::new();
    for (i, q) in queries.iter().enumerate() {
        if !seen.insert(q.clone()) {
            continue;
        }
        let want = expected(&items, q);
        // Every tenth query through the masthead box, the rest by address.
        let answer = if i % 10 == 0 {
            let a = b.ask(&format!("type {q}"));
            assert!(
                a["url"].as_str().unwrap_or("").contains("search/?q="),
                "the masthead box leads to the search page: {a}"
            );
            a
        } else {
            b.ask(&format!("open search/?q={}", pct(q)))
        };
        check(&mut b, &base, &want, q, &answer);
        if !q.contains(' ') {
            titles_first(&items, &base, q, &answer);
        }
    }
    filters(&mut b, &base, &items, &mut rng);
}

/// Each filter alone and with a query, as an address and through the page's controls.
fn filters(b: &mut Browser, base: &str, items: &[Item], rng: &mut Rng) {
    type Pick = fn(&Item) -> Vec<String>;
    let facets: [(&str, Pick); 7] = [
        ("kind", |i| vec![i.kind.to_string()]),
        ("level", |i| i.level.iter().cloned().collect()),
        ("region", |i| i.regions.clone()),
        ("issuer", |i| i.issuers.clone()),
        ("type", |i| i.doc_type.iter().cloned().collect()),
        ("year", |i| vec![i.date[..4].to_string()]),
        ("issue", |i| i.series.iter().cloned().collect()),
    ];
    let qs = substrings(items, rng, 6);
    for (name, pick) in facets {
        let values: BTreeSet<String> = items.iter().flat_map(pick).collect();
        for (k, value) in values.iter().take(3).enumerate() {
            let q = if k == 0 { "" } else { qs[k].as_str() };
            let matching = expected(items, q);
            let want: BTreeSet<&str> = items
                .iter()
                .filter(|i| matching.contains(i.url.as_str()) && pick(i).contains(value))
                .map(|i| i.url.as_str())
                .collect();
            let a = b.ask(&format!("open search/?q={}&{name}={}", pct(q), pct(value)));
            check(b, base, &want, &format!("{q} {name}={value}"), &a);
        }
    }
    types(b, base, items, rng);
    // A control changes the address, and the address alone gives the same answer.
    let q = &qs[0];
    let first = b.ask(&format!("open search/?q={}", pct(q)));
    let kind = first["filters"][0]["options"][1][0]
        .as_str()
        .expect("a kind to choose")
        .to_string();
    let a = b.ask(&format!(r#"select ["kind","{kind}"]"#));
    let url = a["url"].as_str().expect("url").to_string();
    assert!(
        url.contains(&format!("kind={kind}")),
        "the filter is in the address: {url}"
    );
    assert!(
        hrefs(base, &a).iter().all(|h| h.starts_with(&kind)),
        "only {kind}: {a}"
    );
    let again = b.ask(&format!(
        "open {}",
        url.strip_prefix(base).expect("in site")
    ));
    assert_eq!(
        a["hrefs"], again["hrefs"],
        "the address restores the search"
    );
    // The counts beside each kind are those of the query.
    let matching = expected(items, q);
    let kinds = a["filters"]
        .as_array()
        .expect("filters")
        .iter()
        .find(|f| f["name"] == "kind")
        .expect("a kind filter")
        .clone();
    for o in kinds["options"].as_array().expect("options").iter().skip(1) {
        let kind = o[0].as_str().expect("value");
        let n = items
            .iter()
            .filter(|i| i.kind == kind && matching.contains(i.url.as_str()))
            .count();
        assert!(
            o[1].as_str().expect("label").ends_with(&format!("（{n}）")),
            "`{q}`: count of {kind}: {o}"
        );
    }
}

/// The type filter (policies' `doc_type`) with a piece of a policy's title and its level, and
/// chosen in the page's control, whose counts are those of the query.
fn types(b: &mut Browser, base: &str, items: &[Item], rng: &mut Rng) {
    let typed: Vec<&Item> = items.iter().filter(|i| i.doc_type.is_some()).collect();
    if typed.is_empty() {
        return;
    }
    for round in 0..6 {
        let p = typed[rng.below(typed.len())];
        let t = p.doc_type.as_deref().expect("typed");
        let title: Vec<char> = p.fields[0].chars().collect();
        let at = rng.below(title.len().saturating_sub(2));
        let q: String = match round % 3 {
            0 => String::new(),
            _ => title[at..(at + 2).min(title.len())].iter().collect(),
        };
        let level = p.level.as_deref().filter(|_| round % 3 != 1);
        let matching = expected(items, &q);
        let want: BTreeSet<&str> = items
            .iter()
            .filter(|i| matching.contains(i.url.as_str()) && i.doc_type.as_deref() == Some(t))
            .filter(|i| level.is_none() || i.level.as_deref() == level)
            .map(|i| i.url.as_str())
            .collect();
        assert!(want.contains(p.url.as_str()), "the policy itself matches");
        let mut addr = format!("search/?q={}&type={t}", pct(&q));
        if let Some(l) = level {
            addr.push_str(&format!("&level={l}"));
        }
        let a = b.ask(&format!("open {addr}"));
        check(b, base, &want, &addr, &a);
    }
    let q = "政策";
    let matching = expected(items, q);
    let first = b.ask(&format!("open search/?q={}", pct(q)));
    let options = first["filters"]
        .as_array()
        .expect("filters")
        .iter()
        .find(|f| f["name"] == "type")
        .expect("a type filter")["options"]
        .clone();
    for o in options.as_array().expect("options").iter().skip(1) {
        let t = o[0].as_str().expect("value");
        let n = items
            .iter()
            .filter(|i| i.doc_type.as_deref() == Some(t) && matching.contains(i.url.as_str()))
            .count();
        assert!(
            o[1].as_str().expect("label").ends_with(&format!("（{n}）")),
            "`{q}`: count of type {t}: {o}"
        );
    }
    let t = options[1][0]
        .as_str()
        .expect("a type to choose")
        .to_string();
    let a = b.ask(&format!(r#"select ["type","{t}"]"#));
    let url = a["url"].as_str().expect("url").to_string();
    assert!(url.contains(&format!("type={t}")), "in the address: {url}");
    let want: BTreeSet<&str> = items
        .iter()
        .filter(|i| i.doc_type.as_deref() == Some(t.as_str()) && matching.contains(i.url.as_str()))
        .map(|i| i.url.as_str())
        .collect();
    check(b, base, &want, &format!("`{q}` type={t} chosen"), &a);
    let again = b.ask(&format!(
        "open {}",
        url.strip_prefix(base).expect("in site")
    ));
    assert_eq!(a["hrefs"], again["hrefs"], "the address restores the type");
}

/// A browser without DecompressionStream cannot read the index: the search page and the finder
/// say so, and link what a reader without JavaScript gets, rather than waiting forever.
#[test]
fn a_browser_without_decompression_is_told_and_given_the_links() {
    if !tools() {
        return;
    }
    let site = TestSite::fixture();
    let server = Server::start(&site);
    let base = server.base.clone();
    let mut b = Browser::open(&base);
    let a = b.ask("nodecomp search/?q=%E6%94%BF%E7%AD%96");
    assert_eq!(a["state"], "unsupported", "{a}");
    let note = a["note"].as_str().expect("a visible note");
    assert!(note.contains("DecompressionStream"), "{note}");
    let links = hrefs_of(&a["links"]);
    for dir in ["issues/", "policies/", "articles/", "regions/"] {
        assert!(links.contains(&format!("{base}{dir}")), "{dir}: {links:?}");
    }
    assert_eq!(
        a["requests"],
        serde_json::json!([]),
        "no index file is fetched"
    );
    let f = b.ask("nodecomp policies/");
    assert_eq!(f["state"], "unsupported", "{f}");
    assert!(
        f["note"]
            .as_str()
            .expect("a note")
            .contains("DecompressionStream"),
        "{f}"
    );
    let served = b.ask("nojs policies/");
    assert_eq!(f["hrefs"], served["hrefs"], "the served table stays");
    assert_eq!(f["links"], served["links"], "the filters stay links");
    assert!(!hrefs_of(&f["links"]).is_empty(), "{f}");
}

fn hrefs_of(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("links")
        .iter()
        .map(|l| l.as_str().expect("href").to_string())
        .collect()
}

#[test]
fn search_finds_exactly_the_items_that_contain_the_query() {
    if !tools() {
        return;
    }
    let fixture = TestSite::fixture();
    run_queries(&fixture, 0x0f1e_7000, 40);
    let site = TestSite::shipped();
    run_queries(&site, 0x5eed_2024, 200);
}

#[test]
fn browser_and_index_agree_on_the_normal_form_and_the_page_is_accessible() {
    if !tools() {
        return;
    }
    let site = TestSite::fixture();
    let server = Server::start(&site);
    let mut b = Browser::open(&server.base);
    b.ask("open search/?q=%E6%94%BF%E7%AD%96");
    let answer = b.ask("norm");
    // Code points the browser's Unicode does not know yet (it may be older than Rust's): the
    // browser leaves them as they are, and no text of a site uses them.
    let unknown: Vec<(u32, u32)> = answer["unassigned"]
        .as_array()
        .expect("unassigned")
        .iter()
        .map(|r| {
            (
                r[0].as_u64().expect("from") as u32,
                r[1].as_u64().expect("to") as u32,
            )
        })
        .collect();
    assert!(!unknown.iter().any(|(a, b)| (*a..=*b).contains(&0x4e00)));
    let js: BTreeMap<u32, String> = answer["map"]
        .as_array()
        .expect("map")
        .iter()
        .map(|p| {
            (
                p[0].as_u64().expect("cp") as u32,
                p[1].as_str().expect("str").to_string(),
            )
        })
        .collect();
    let mut differ = Vec::new();
    let known = |c: &u32| {
        !(0xd800..0xe000).contains(c) && !unknown.iter().any(|(a, b)| (a..=b).contains(&c))
    };
    for cp in (0..0x30000u32).filter(known) {
        let c = char::from_u32(cp).expect("scalar");
        let rust: String = bulletin::search::text::normalize(&c.to_string())
            .into_iter()
            .collect();
        let browser = js.get(&cp).cloned().unwrap_or_else(|| c.to_string());
        if rust != browser {
            differ.push(format!("U+{cp:04X}: index {rust:?}, browser {browser:?}"));
        }
    }
    assert!(
        differ.is_empty(),
        "{} code points differ: {:?}",
        differ.len(),
        &differ[..differ.len().min(20)]
    );
    let v = b.ask("axe");
    assert_eq!(
        v["violations"],
        serde_json::json!([]),
        "axe on the search page"
    );
}
