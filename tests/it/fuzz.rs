//! Fuzzing on stable Rust: a seeded mutator over the real fixtures (front matter, YAML data and
//! issue files, Markdown bodies, bulletin texts for the importer, templates). Asserted for every
//! input: no panic or crash, no hang (a time bound per input), and every error names a file
//! and a line.
//!
//! Why a mutator over the shipped files rather than proptest: inputs one or two edits away from
//! valid content get past the first parse and reach validation, rendering and the importer's
//! later stages, where generated-from-scratch input rarely arrives; and it needs no dependency.
//! Content and importer inputs run in-process through the library under `catch_unwind`: about
//! ten times the inputs of one `bulletin` run each, and the diagnostics are checked as values
//! (file, line). Templates run through the real binary, one process per input, because what
//! they can cause (a stack overflow in Tera) aborts the process and cannot be caught.
//!
//! `FUZZ_SECONDS` (default 60: half for content, a quarter each for the importer and the
//! templates; the three tests run side by side) and `FUZZ_SEED` run them longer or otherwise;
//! the i-th input of a seed is always the same. Failing inputs are saved under the target's tmp
//! folder, named in the failure.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use bulletin::build::BuildError;
use bulletin::diag::Diagnostic;

use crate::support::{repo, SiteTest};

/// Diagnostics known to lack a line while their fix is under way: a message containing one of
/// these is counted, not failed. Empty since the loader's positions were fixed (the indented
/// first key of a front matter now gets its line); never add one to make a new finding pass.
const KNOWN_PENDING: &[(&str, &str)] = &[];

/// One input may take this long (a debug build on a shared machine; a real input takes ms).
const PER_INPUT: Duration = Duration::from_secs(20);

/// splitmix64: tiny, fast, and the same sequence on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn seed() -> u64 {
    std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x6275_6c6c_6574_696e)
}

/// This test's share of `FUZZ_SECONDS`.
fn budget(share: f64) -> Duration {
    let total: f64 = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60.0);
    Duration::from_secs_f64(total * share)
}

/// What editors and extraction damage put into files: YAML and Markdown syntax, values that
/// are almost right, characters that need care.
const TOKENS: &[&str] = &[
    ": ",
    ":",
    "- ",
    "-",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "!!str ",
    "!!binary ",
    "~",
    "null",
    "\"",
    "'",
    "\t",
    "---\n",
    "...\n",
    "#",
    "|\n",
    "> ",
    "? ",
    "\\",
    "\u{1}",
    "\u{7f}",
    "\u{feff}",
    "\u{200b}",
    "\r",
    "\r\n",
    "\n",
    "\n\n",
    "  ",
    "2024-02-30",
    "2024-13-01",
    "0000-01-01",
    "9999-12-31",
    "-7",
    "0",
    "99999999999999999999",
    "1e400",
    "NaN",
    "true",
    "TODO: 填写",
    "一",
    "信息摘编",
    "热点关注",
    "xinxi-zhaibian/2024-07",
    "../../etc/passwd",
    "https://",
    "javascript:alert(1)",
    "<script>alert(1)</script>",
    "<div>",
    "</div>",
    "<b>",
    "<img src=x onerror=alert(1)>",
    "<!--",
    "-->",
    "*",
    "**",
    "_",
    "`",
    "```",
    "[^1]",
    "[a](/policies/x/)",
    "](",
    "|",
    "| --- |",
    "    ",
    "#",
    "\\(",
    "&amp;",
    "&#0;",
    "目录",
    "来源",
    "附：",
    "企业排行榜",
    "图书推荐",
    "书名/著者: ",
    "出版社/出版日期: ",
    "内容简介: ",
    "推荐理由: ",
    "2024年 第七期",
    "（总第99期）",
    "本期刊物信息搜集时间: 2024.06.01-2024.06.30",
    "\t12",
    "新京报 2024-06-19",
    "新京报 2024-13-45",
    "- 3 -",
    "长",
];

/// Applies one to four random edits to `text`. Rarely the result is not UTF-8.
fn mutate(rng: &mut Rng, text: &str, others: &[&str]) -> Vec<u8> {
    mutate_with(rng, text, others, TOKENS)
}

/// [`mutate`] with another token list.
fn mutate_with(rng: &mut Rng, text: &str, others: &[&str], tokens: &[&str]) -> Vec<u8> {
    let mut s = text.to_string();
    for _ in 0..=rng.below(4) {
        edit(rng, &mut s, others, tokens);
    }
    let mut bytes = s.into_bytes();
    if rng.below(40) == 0 {
        let at = rng.below(bytes.len() + 1);
        bytes.insert(at, [0xff, 0xc3, 0x80, 0xe4][rng.below(4)]);
    }
    bytes
}

/// A char boundary of `s`, uniformly by byte.
fn boundary(rng: &mut Rng, s: &str) -> usize {
    let mut at = rng.below(s.len() + 1);
    while !s.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// The byte range of a random line of `s` (with its newline).
fn line_range(rng: &mut Rng, s: &str) -> (usize, usize) {
    let at = boundary(rng, s);
    let start = s[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = s[at..].find('\n').map_or(s.len(), |i| at + i + 1);
    (start, end)
}

fn edit(rng: &mut Rng, s: &mut String, others: &[&str], tokens: &[&str]) {
    match rng.below(10) {
        0 | 1 => {
            let at = boundary(rng, s);
            let token = tokens[rng.below(tokens.len())];
            s.insert_str(at, token);
        }
        2 => {
            let a = boundary(rng, s);
            let len = 1 + rng.below(24);
            let mut b = (a + len).min(s.len());
            while !s.is_char_boundary(b) {
                b += 1;
            }
            s.replace_range(a..b, "");
        }
        3 => {
            let (a, b) = line_range(rng, s);
            let line = s[a..b].to_string();
            s.insert_str(a, &line);
        }
        4 => {
            let (a, b) = line_range(rng, s);
            s.replace_range(a..b, "");
        }
        5 => {
            // A value replaced: what follows the first `: ` of a line.
            let (a, b) = line_range(rng, s);
            if let Some(colon) = s[a..b].find(": ") {
                let end = if s[..b].ends_with('\n') { b - 1 } else { b };
                let token = tokens[rng.below(tokens.len())].to_string();
                if a + colon + 2 <= end {
                    s.replace_range(a + colon + 2..end, &token);
                }
            }
        }
        6 => {
            let (a, _) = line_range(rng, s);
            match rng.below(3) {
                0 => s.insert_str(a, "  "),
                1 => s.insert(a, '\t'),
                _ => {
                    if s[a..].starts_with(' ') {
                        s.remove(a);
                    }
                }
            }
        }
        7 => {
            // Nesting and repetition: the cases that once took quadratic time.
            let token = *rng.pick(&[">", "- ", "[", "*", "`", "<div>", "<b>", "{", "[", "  "]);
            let at = boundary(rng, s);
            s.insert_str(at, &token.repeat(1 + rng.below(3000)));
        }
        8 => {
            let at = boundary(rng, s);
            s.truncate(at);
        }
        _ => {
            // A line from another file: structure that belongs elsewhere.
            if let Some(other) = (!others.is_empty()).then(|| *rng.pick(others)) {
                let (a, b) = line_range(rng, other);
                let line = other[a..b].to_string();
                let (c, _) = line_range(rng, s);
                s.insert_str(c, &line);
            }
        }
    }
}

/// What went wrong with one input.
struct Finding {
    index: usize,
    what: String,
    /// The files of the input: path (relative to the root or the repo) and bytes.
    inputs: Vec<(PathBuf, Vec<u8>)>,
}

/// A panic's message.
fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<String>()
        .cloned()
        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "a panic without a message".into())
}

/// Runs `step(i)` for i = 0, 1, … until `budget` passes, on a worker thread, failing if one
/// step takes longer than [`PER_INPUT`]. Returns the number of steps and the findings.
fn run_for<F>(
    name: &str,
    budget: Duration,
    mut step: F,
) -> (usize, Vec<Finding>, Vec<(String, usize)>)
where
    F: FnMut(usize) -> Result<Outcome, Finding> + Send + 'static,
{
    let (tx, rx) = mpsc::channel::<Event>();
    std::thread::spawn(move || {
        let end = Instant::now() + budget;
        let mut i = 0;
        while Instant::now() < end {
            if tx.send(Event::Start(i)).is_err() {
                return;
            }
            let r = step(i);
            if tx.send(Event::Done(r)).is_err() {
                return;
            }
            i += 1;
        }
        let _ = tx.send(Event::End(i));
    });
    let mut findings = Vec::new();
    let mut pending: std::collections::BTreeMap<String, usize> = Default::default();
    let mut current = 0;
    loop {
        match rx.recv_timeout(PER_INPUT) {
            Ok(Event::Start(i)) => current = i,
            Ok(Event::Done(Ok(Outcome::Fine))) => {}
            Ok(Event::Done(Ok(Outcome::Pending(p)))) => *pending.entry(p).or_default() += 1,
            Ok(Event::Done(Err(f))) => findings.push(f),
            Ok(Event::End(n)) => return (n, findings, pending.into_iter().collect()),
            Err(_) => panic!(
                "fuzz {name}: input {current} (seed {}) ran past {PER_INPUT:?}; \
                 rerun with FUZZ_SEED={} to see it",
                seed(),
                seed()
            ),
        }
    }
}

enum Event {
    Start(usize),
    Done(Result<Outcome, Finding>),
    End(usize),
}

enum Outcome {
    Fine,
    /// A known-pending message pattern (see [`KNOWN_PENDING`]).
    Pending(String),
}

/// Saves the failing inputs and fails with the first few.
fn report(name: &str, n: usize, findings: Vec<Finding>, pending: &[(String, usize)]) {
    eprintln!(
        "fuzz {name}: {n} inputs (seed {}), {} findings, known pending: {pending:?}",
        seed(),
        findings.len()
    );
    if findings.is_empty() {
        return;
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("fuzz-{name}"));
    let _ = std::fs::create_dir_all(&dir);
    let mut lines = Vec::new();
    for f in findings.iter().take(20) {
        let mut saved = Vec::new();
        for (input, bytes) in &f.inputs {
            let name = format!("{}-{}", f.index, input.display()).replace('/', "_");
            let file = dir.join(name);
            let _ = std::fs::write(&file, bytes);
            saved.push(format!("{} as {}", input.display(), file.display()));
        }
        lines.push(format!(
            "input {} ({}): {}",
            f.index,
            saved.join(", "),
            f.what
        ));
    }
    panic!(
        "fuzz {name}: {} of {n} inputs failed (seed {}):\n{}",
        findings.len(),
        seed(),
        lines.join("\n\n")
    );
}

/// Why `d` breaks the promise that every error names a file and a line, if it does.
fn lacks_position(d: &Diagnostic, root: &Path) -> Option<String> {
    // Paths are shown relative to the root, or absolute.
    let full = root.join(&d.path);
    let named = full.starts_with(root) && full.is_file();
    if named && d.line.is_some() {
        None
    } else {
        Some(format!(
            "an error without {}: {d}",
            if named { "a line" } else { "a file" }
        ))
    }
}

/// Classifies the result of one `check`: panics, I/O errors and diagnostics without a file or
/// line are findings, unless their message is known pending.
fn judge(
    result: std::thread::Result<Result<bulletin::build::BuildReport, BuildError>>,
    root: &Path,
) -> Result<Outcome, String> {
    let diags = match result {
        Err(p) => return Err(format!("panic: {}", panic_text(&*p))),
        Ok(Ok(_)) => return Ok(Outcome::Fine),
        Ok(Err(BuildError::Io(e))) => return Err(format!("an I/O error: {e}")),
        Ok(Err(BuildError::Usage(e))) => return Err(format!("a usage error: {e}")),
        Ok(Err(BuildError::Content(d))) => d,
    };
    let mut pending = None;
    for d in diags.iter() {
        let Some(why) = lacks_position(d, root) else {
            continue;
        };
        match KNOWN_PENDING
            .iter()
            .find(|(pat, _)| d.message.contains(pat))
        {
            Some((pat, _)) => pending = Some(pat.to_string()),
            None => return Err(why),
        }
    }
    Ok(pending.map_or(Outcome::Fine, Outcome::Pending))
}

/// `bulletin check` in process with templates parsed once and unchanged content files taken
/// from `cache` (as `serve` does): load, validate, render every page, feed and sitemap, links.
fn check(
    root: &Path,
    tera: &tera::Tera,
    cache: &bulletin::load::ParseCache,
) -> Result<bulletin::build::BuildReport, BuildError> {
    let start = Instant::now();
    let site = bulletin::validate::load_site_with(root, Some(cache))?;
    let pages = bulletin::view::pages(&site);
    let dirs: Vec<String> = pages
        .iter()
        .filter(|p| p.file != "404.html")
        .map(|p| p.dir.clone())
        .collect();
    let templates = root.join("templates");
    let mut files = bulletin::render::render_pages(tera, &site, pages, &templates)?;
    let sitemap = bulletin::render::sitemap(&site.config.base_url, dirs.iter().map(String::as_str));
    for (path, text) in [
        ("feed.xml", bulletin::render::feed(&site)),
        ("sitemap.xml", sitemap),
    ] {
        files.push(bulletin::render::OutFile {
            path: path.into(),
            bytes: text.into_bytes(),
            source: None,
        });
    }
    files.extend(bulletin::render::static_files(&templates)?);
    let broken = bulletin::check::check_links(root, &files, site.config.base_url.path());
    if !broken.is_empty() {
        return Err(BuildError::Content(broken));
    }
    Ok(bulletin::build::BuildReport {
        pages: files.len(),
        files: files.len(),
        elapsed: start.elapsed(),
    })
}

/// Mutated content files of the fixture site through [`check`].
#[test]
fn fuzz_content_through_load_validate_and_render() {
    let site = SiteTest::fixture();
    let root = site.root().to_path_buf();
    let files: Vec<(PathBuf, String)> = walkdir::WalkDir::new(root.join("content"))
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(&root).expect("prefix").to_path_buf();
            let text = std::fs::read_to_string(e.path()).expect("fixture text");
            (rel, text)
        })
        .collect();
    assert!(
        files.len() >= 10,
        "the fixture site has {} files",
        files.len()
    );
    let mut rng = Rng(seed());
    let keep = site;
    // Tera parses the templates in about half a second in a debug build: once, not per input.
    let tera = bulletin::render::templates(&root.join("templates")).expect("templates");
    let cache = bulletin::load::ParseCache::default();
    let (n, findings, pending) = run_for("content", budget(0.5), move |i| {
        let _site = &keep;
        let texts: Vec<&str> = files.iter().map(|(_, t)| t.as_str()).collect();
        // One file, sometimes two (references between files).
        let mut changed = vec![rng.below(files.len())];
        if rng.below(5) == 0 {
            changed.push(rng.below(files.len()));
        }
        let mut inputs = Vec::new();
        for &c in &changed {
            let (rel, text) = &files[c];
            let bytes = mutate(&mut rng, text, &texts);
            std::fs::write(root.join(rel), &bytes).expect("write input");
            inputs.push((rel.clone(), bytes));
        }
        let rels: Vec<PathBuf> = changed.iter().map(|&c| files[c].0.clone()).collect();
        cache.forget(&root, &rels);
        let result = catch_unwind(AssertUnwindSafe(|| check(&root, &tera, &cache)));
        cache.forget(&root, &rels);
        for &c in &changed {
            let (rel, text) = &files[c];
            std::fs::write(root.join(rel), text).expect("restore");
        }
        judge(result, &root).map_err(|what| Finding {
            index: i,
            what,
            inputs,
        })
    });
    report("content", n, findings, &pending);
    assert!(n > 0, "no input ran");
}

/// Mutated bulletin texts through the importer's parser; when one parses, its files are
/// imported into an empty site and checked like content.
#[test]
fn fuzz_bulletin_texts_through_the_importer() {
    let mut texts: Vec<(PathBuf, String)> = Vec::new();
    for dir in ["tests/fixtures/import", "tests/fixtures/bulletins"] {
        for e in std::fs::read_dir(repo().join(dir)).expect("fixtures") {
            let p = e.expect("entry").path();
            if p.extension().is_some_and(|x| x == "txt") {
                let rel = p.strip_prefix(repo()).expect("prefix").to_path_buf();
                texts.push((rel, std::fs::read_to_string(&p).expect("text")));
            }
        }
    }
    texts.sort();
    assert!(texts.len() >= 5, "{} bulletin fixtures", texts.len());
    let mut rng = Rng(seed() ^ 0x696d_706f_7274);
    let (n, findings, pending) = run_for("import", budget(0.25), move |i| {
        let others: Vec<&str> = texts.iter().map(|(_, t)| t.as_str()).collect();
        let (rel, text) = &texts[rng.below(texts.len())];
        let bytes = mutate(&mut rng, text, &others);
        let finding = |what: String| Finding {
            index: i,
            what,
            inputs: vec![(rel.clone(), bytes.clone())],
        };
        import_one(&bytes, i % 8 == 0).map_err(finding)
    });
    report("import", n, findings, &pending);
    assert!(n > 0, "no input ran");
}

/// Imports `bytes`: the parse errors must point at lines of the text; with `full`, a text that
/// parses is imported into an empty site, which must then check or fail with positions.
fn import_one(bytes: &[u8], full: bool) -> Result<Outcome, String> {
    let lines = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
    let text = String::from_utf8_lossy(bytes);
    let parsed = catch_unwind(AssertUnwindSafe(|| bulletin::import::parse(&text)));
    match parsed {
        Err(p) => return Err(format!("panic in parse: {}", panic_text(&*p))),
        Ok(Err(errors)) => {
            for e in errors {
                if e.line == 0 || e.line > lines {
                    return Err(format!("line {} of a {lines}-line text: {e}", e.line));
                }
            }
            return Ok(Outcome::Fine);
        }
        Ok(Ok(_)) if !full => return Ok(Outcome::Fine),
        Ok(Ok(_)) => {}
    }
    let site = SiteTest::new();
    let input = site.root().join("input.txt");
    std::fs::write(&input, bytes).map_err(|e| e.to_string())?;
    let opts = site.import_options(false);
    let imported = catch_unwind(AssertUnwindSafe(|| {
        bulletin::import::import_file(&input, &opts)
    }));
    match imported {
        Err(p) => return Err(format!("panic in import: {}", panic_text(&*p))),
        Ok(Err(e)) if e.lines().is_empty() => return Err(format!("import failed: {e}")),
        Ok(Err(_)) => return Ok(Outcome::Fine),
        Ok(Ok(_)) => {}
    }
    std::fs::remove_file(&input).map_err(|e| e.to_string())?;
    // Confirmed as an editor would, so the imported files are checked beyond the drafts' marks.
    for e in walkdir::WalkDir::new(site.root().join("content/policies"))
        .into_iter()
        .flatten()
    {
        if let Ok(text) = std::fs::read_to_string(e.path()) {
            let confirmed = crate::import_policies::confirm(&text);
            std::fs::write(e.path(), confirmed).map_err(|e| e.to_string())?;
        }
    }
    let checked = catch_unwind(AssertUnwindSafe(|| bulletin::check::run(site.root())));
    if let Ok(Err(BuildError::Content(d))) = &checked {
        // Not a broken promise (the errors have positions, checked below), but the importer
        // wrote what the loader refuses: worth a look, so it is counted and shown.
        if let Some(first) = d.iter().next() {
            eprintln!("fuzz import: imported files refused by check: {first}");
        }
        judge(checked, site.root()).map_err(|w| format!("the imported files: {w}"))?;
        return Ok(Outcome::Pending(
            "note: imported files refused by check".into(),
        ));
    }
    judge(checked, site.root()).map_err(|w| format!("the imported files: {w}"))
}

/// Runs `bulletin build` on `site`, killing it after 30 s (a generous guard: these inputs take
/// well under a second; before the nesting bound, the first one took over two minutes).
fn build_within_30s(site: &SiteTest) -> (i32, String) {
    let mut child = crate::support::bin()
        .arg("--root")
        .arg(site.root())
        .arg("build")
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("start bulletin");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let mut err = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut err)
                .expect("stderr");
            return (status.code().unwrap_or(-1), err);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("bulletin build ran past 30 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// D17: bodies nested 40,000 to 200,000 deep build in time linear in their size: each is
/// built, shown as escaped text, or refused at its file and line, never left running.
#[test]
fn pathologically_nested_bodies_build_in_linear_time() {
    const ARTICLE: &str = "content/articles/2024-07/2024-07-01-lidian-guifan.md";
    const PAGE: &str = "articles/2024-07-01-lidian-guifan/index.html";
    let site = SiteTest::fixture();
    let original = std::fs::read_to_string(site.root().join(ARTICLE)).expect("article");
    let cases = [
        (
            "a 200 KB line of `>`",
            ">".repeat(200_000),
            "&gt;&gt;&gt;&gt;",
        ),
        (
            "100,000 nested <div>",
            "<div>".repeat(100_000),
            "&lt;div&gt;&lt;div&gt;",
        ),
        (
            "40,000 nested lists",
            format!("{}项", "- ".repeat(40_000)),
            "- - - - ",
        ),
        (
            "nested <b id>",
            "<b id=x>字".repeat(30_000),
            "&lt;b id=x&gt;字",
        ),
    ];
    // `check` and `build` refuse the body at its line; the renderer, should such a body reach
    // it, shows it as text (unit tests in markdown::nesting).
    let line = original.lines().count() + 3;
    for (what, body, _shown) in cases {
        site.write(ARTICLE, &format!("{original}\n\n{body}\n"));
        let (code, err) = build_within_30s(&site);
        assert_eq!(code, 1, "{what}: {err}");
        assert!(
            err.contains(&format!("{ARTICLE}:{line}:")) && err.contains("nests more than"),
            "{what}: {err}"
        );
    }
    let _ = PAGE;
}

/// Tera syntax for the template fuzzer: tags opened and closed, macro definitions and calls
/// (recursive ones too), includes, imports, inheritance, filters, errors at render time.
const TEMPLATE_TOKENS: &[&str] = &[
    "{% if true %}",
    "{% endif %}",
    "{% for x in [1, 2] %}",
    "{% endfor %}",
    "{% else %}",
    "{{ self::cards(cards=[], root=root) }}",
    "{% include \"macros.html\" %}",
    "{% include \"article.html\" %}",
    "{% include \"nope.html\" %}",
    "{% import \"macros.html\" as m %}",
    "{% import \"article.html\" as a %}",
    "{% macro z(n) %}{{ self::z(n=n) }}{% endmacro z %}",
    "{{ m::z(n=1) }}",
    "{{ m::cards(cards=page.policies, root=root) }}",
    "{{ m::nope() }}",
    "{{ page.nope }}",
    "{{ page.title | truncate(length=-1) }}",
    "{{ 1 / 0 }}",
    "{% set x = page %}",
    "{% block content %}",
    "{% endblock %}",
    "{% extends \"base.html\" %}",
    "{% extends \"article.html\" %}",
    "{% raw %}",
    "{% endraw %}",
    "{#",
    "#}",
    "{{",
    "}}",
    "{%",
    "%}",
    "| safe",
    "{% filter upper %}",
    "{% endfilter %}",
    "{% break %}",
    "{{ super() }}",
    "{{ ((((((((1)))))))) }}",
    "{{ [[[[1]]]] }}",
    "\"",
    "'",
    "`",
    "(",
    ")",
    "\n",
    "页",
];

/// Mutated templates through the real `bulletin check`, one process per input, since what
/// this guards against (a stack overflow in Tera) aborts a process and cannot be caught. Every
/// run must end within 30 s with exit 0 or 1, and every error must name a file and a line.
#[test]
fn fuzz_templates_through_the_real_binary() {
    let site = SiteTest::fixture();
    let dir = site.root().join("templates");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("templates")
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(e.path()).expect("template"))
        })
        .collect();
    files.sort();
    let mut rng = Rng(seed() ^ 0x7465_6d70);
    let (n, findings, pending) = run_for("templates", budget(0.25), move |i| {
        let others: Vec<&str> = files.iter().map(|(_, t)| t.as_str()).collect();
        let (name, text) = &files[rng.below(files.len())];
        let bytes = mutate_with(&mut rng, text, &others, TEMPLATE_TOKENS);
        let path = dir.join(name);
        std::fs::write(&path, &bytes).expect("write template");
        let outcome = check_binary(&site);
        std::fs::write(&path, text).expect("restore");
        outcome.map_err(|what| Finding {
            index: i,
            what,
            inputs: vec![(PathBuf::from("templates").join(name), bytes)],
        })
    });
    report("templates", n, findings, &pending);
    assert!(n > 0, "no input ran");
}

/// `bulletin check` on `site`: exit 0, or exit 1 with every error at a file and line.
fn check_binary(site: &SiteTest) -> Result<Outcome, String> {
    let mut child = crate::support::bin()
        .arg("--root")
        .arg(site.root())
        .arg("check")
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let mut stderr = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut err = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut err);
        err
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err("bulletin check ran past 30 s".into());
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let err = reader.join().unwrap_or_default();
    match status.code() {
        Some(0) => return Ok(Outcome::Fine),
        Some(1) => {}
        other => return Err(format!("exit {other:?}:\n{err}")),
    }
    let at = regex::Regex::new(r"^  --> (.+?)(:\d+(:\d+)?)?$").expect("regex");
    for line in err.lines() {
        let Some(c) = at.captures(line) else { continue };
        if c.get(2).is_none() {
            let pending = KNOWN_PENDING.iter().find(|(pat, _)| err.contains(pat));
            return match pending {
                Some((pat, _)) => Ok(Outcome::Pending(pat.to_string())),
                None => Err(format!("an error without a line:\n{err}")),
            };
        }
    }
    Ok(Outcome::Fine)
}
