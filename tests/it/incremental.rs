//! Incremental `bulletin build`: after any change it produces exactly what a clean build does,
//! writes only what the change needs, and never harms the site when it fails.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::support::{snapshot_dir, Run, SiteTest};

const ARTICLE: &str = "content/articles/2024-07/2024-07-01-lidian-guifan.md";
const ARTICLE_PAGE: &str = "articles/2024-07-01-lidian-guifan/index.html";
const OTHER_ARTICLE_PAGE: &str = "articles/2024-06-19-zhuanjingtexin/index.html";
const POLICY_PAGE: &str = "policies/2024-05-shanghai-jinrong/index.html";

/// Builds `site` incrementally into its `site/`, then cleanly into a fresh folder beside it,
/// and asserts the two are the same byte for byte.
#[track_caller]
fn assert_matches_clean(site: &SiteTest, what: &str) -> String {
    let stderr = site.build().ok().stderr();
    let clean = site.root().join("clean");
    let _ = fs::remove_dir_all(&clean);
    site.run(&[
        "build",
        "--clean",
        "--out",
        clean.to_str().expect("utf-8 path"),
    ])
    .ok();
    let inc = snapshot_dir(&site.out());
    let full = snapshot_dir(&clean);
    let inc_names: Vec<&String> = inc.keys().collect();
    let full_names: Vec<&String> = full.keys().collect();
    assert_eq!(inc_names, full_names, "after {what}: the files differ");
    for (name, bytes) in &inc {
        assert!(
            bytes == &full[name],
            "after {what}: {name} differs from a clean build"
        );
    }
    stderr
}

/// Paths the last `build -v` reported as written.
fn written(site: &SiteTest) -> Vec<String> {
    let run = site.run(&["build", "-v"]);
    run.ok();
    run.stdout()
        .lines()
        .filter_map(|l| l.strip_prefix("wrote "))
        .map(str::to_string)
        .collect()
}

fn edit(site: &SiteTest, rel: &str, from: &str, to: &str) {
    let path = site.root().join(rel);
    let text = fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{rel} does not contain {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

fn ino(path: &Path) -> (u64, i64, i64) {
    let m = fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (m.ino(), m.mtime(), m.mtime_nsec())
}

#[test]
fn equals_a_clean_build_after_content_and_template_changes() {
    let site = SiteTest::fixture();
    assert_matches_clean(&site, "the first build");

    edit(&site, ARTICLE, "工业和信息化部印发", "工信部正式印发");
    assert_matches_clean(&site, "an edit of an article's body");

    edit(&site, ARTICLE, "title: 工信部：", "title: 工业和信息化部：");
    assert_matches_clean(&site, "an edit of an article's title");

    site.write(
        "content/articles/2024-07/2024-07-02-xin-wenzhang.md",
        "---\ntitle: 新增文章\ndate: 2024-07-02\nsource: 测试\nissue: xinxi-zhaibian/2024-07\nsection: 行业动向\ntags: [新标签]\n---\n新的正文。\n",
    );
    assert_matches_clean(&site, "adding an article with a new tag");

    fs::rename(
        site.root()
            .join("content/articles/2024-07/2024-07-02-xin-wenzhang.md"),
        site.root()
            .join("content/articles/2024-07/2024-07-03-gai-ming.md"),
    )
    .expect("rename");
    assert_matches_clean(&site, "renaming an article");

    site.remove("content/articles/2024-07/2024-07-03-gai-ming.md");
    assert_matches_clean(&site, "deleting an article (its tag page goes too)");
    assert!(!site.out().join("articles/2024-07-03-gai-ming").exists());

    let (from, to) = (
        "<article class=\"item\">",
        "<article class=\"item edited\">",
    );
    edit(&site, "templates/article.html", from, to);
    assert_matches_clean(&site, "an edit of article.html");
    assert!(site.read(ARTICLE_PAGE).contains("item edited"));

    let (from, to) = ("<ul class=\"cards\">", "<ul class=\"cards v2\">");
    edit(&site, "templates/macros.html", from, to);
    assert_matches_clean(&site, "an edit of an imported macro file");
    assert!(site.read("articles/index.html").contains("cards v2"));

    // A new partial included from base.html, then renamed: every page uses base.html.
    site.write(
        "templates/partials/notice.html",
        "<p class=\"notice\">内部资料</p>",
    );
    edit(
        &site,
        "templates/base.html",
        "</body>",
        "{% include \"partials/notice.html\" %}</body>",
    );
    assert_matches_clean(&site, "adding an included template");
    assert!(site.read(POLICY_PAGE).contains("内部资料"));
    site.write(
        "templates/partials/notice.html",
        "<p class=\"notice\">仅供内部参考</p>",
    );
    assert_matches_clean(&site, "an edit of an included template");
    assert!(site.read(POLICY_PAGE).contains("仅供内部参考"));
    fs::rename(
        site.root().join("templates/partials/notice.html"),
        site.root().join("templates/partials/banner.html"),
    )
    .expect("rename");
    edit(
        &site,
        "templates/base.html",
        "partials/notice.html",
        "partials/banner.html",
    );
    assert_matches_clean(&site, "renaming an included template");

    site.write("templates/static/extra.css", "body { margin: 0 }\n");
    assert_matches_clean(&site, "adding a static file");
    site.remove("templates/static/extra.css");
    assert_matches_clean(&site, "deleting a static file");

    edit(&site, "content/site.yaml", "title: ", "title: 新");
    assert_matches_clean(&site, "an edit of site.yaml");
}

#[test]
fn a_build_with_nothing_changed_writes_nothing() {
    let site = SiteTest::fixture();
    site.build().ok();
    let before_dir = ino(&site.out());
    let before_page = ino(&site.out().join(ARTICLE_PAGE));
    let run = site.run(&["build", "-v"]);
    run.ok();
    run.stderr_has("up to date");
    assert_eq!(run.stdout(), "", "a no-op build listed written files");
    assert_eq!(ino(&site.out()), before_dir, "site/ was replaced");
    assert_eq!(ino(&site.out().join(ARTICLE_PAGE)), before_page);
}

#[test]
fn an_article_edit_renders_only_the_pages_that_show_it() {
    let site = SiteTest::fixture();
    site.build().ok();
    let other = ino(&site.out().join(OTHER_ARTICLE_PAGE));

    // The body shows only on the article's own page (cards show the summary of policies, and
    // this text is beyond an article card's excerpt).
    let body = site.read(ARTICLE_PAGE);
    assert!(body.contains("工业和信息化部印发"));
    site.write(
        ARTICLE,
        &fs::read_to_string(site.root().join(ARTICLE))
            .expect("read")
            .replace(
                "<script>alert(\"x\")</script>",
                "<script>alert(\"x\")</script>\n\n补充一段。",
            ),
    );
    let w = written(&site);
    assert!(w.contains(&ARTICLE_PAGE.to_string()), "{w:?}");
    assert!(!w.contains(&OTHER_ARTICLE_PAGE.to_string()), "{w:?}");
    assert!(!w.contains(&POLICY_PAGE.to_string()), "{w:?}");
    assert!(site.read(ARTICLE_PAGE).contains("补充一段。"));
    // What that build recorded matches what it left: the next build has nothing to do.
    assert!(site.build().ok().stderr().contains("up to date"));
    assert_eq!(
        ino(&site.out().join(OTHER_ARTICLE_PAGE)),
        other,
        "an unrelated page was rewritten"
    );

    // A title shows on the article's page, its issue's page, the article listing and the
    // pages of its tags; not on an unrelated policy's page.
    edit(&site, ARTICLE, "title: 工信部：", "title: 工业和信息化部：");
    let w = written(&site);
    for page in [
        ARTICLE_PAGE,
        "issues/xinxi-zhaibian/2024-07/index.html",
        "articles/index.html",
        "feed.xml",
    ] {
        assert!(w.contains(&page.to_string()), "{page} not rewritten: {w:?}");
    }
    assert!(
        w.iter().any(|p| p.starts_with("tags/")),
        "no tag page rewritten: {w:?}"
    );
    assert!(!w.contains(&POLICY_PAGE.to_string()), "{w:?}");
    assert!(!w.contains(&OTHER_ARTICLE_PAGE.to_string()), "{w:?}");
}

#[test]
fn a_failed_build_leaves_the_site_and_cache_usable() {
    let site = SiteTest::fixture();
    site.build().ok();
    let before = snapshot_dir(&site.out());
    let dir = ino(&site.out());
    edit(&site, ARTICLE, "date: 2024-06-24", "date: 2024-13-45");
    let err = site.build().fails_with(1);
    assert!(err.contains("2024-07-01-lidian-guifan.md"), "{err}");
    assert_eq!(ino(&site.out()), dir);
    assert!(
        snapshot_dir(&site.out()) == before,
        "a failed build changed site/"
    );

    edit(
        &site,
        "templates/article.html",
        "{% block",
        "{% if %}{% block",
    );
    site.build().fails_with(1);
    assert!(
        snapshot_dir(&site.out()) == before,
        "a failed build changed site/"
    );
    edit(
        &site,
        "templates/article.html",
        "{% if %}{% block",
        "{% block",
    );
    edit(&site, ARTICLE, "date: 2024-13-45", "date: 2024-06-25");
    assert_matches_clean(&site, "fixing the errors");
}

#[test]
fn a_missing_or_corrupt_cache_means_a_full_build() {
    let site = SiteTest::fixture();
    site.build().ok();
    let cache_dir = site.root().join(".bulletin-cache");
    let caches: Vec<_> = fs::read_dir(&cache_dir)
        .expect("cache folder")
        .flatten()
        .map(|e| e.path())
        .collect();
    assert!(!caches.is_empty(), "no cache written");

    edit(&site, ARTICLE, "工业和信息化部印发", "工信部印发");
    for c in &caches {
        fs::write(c, b"{\"format\": 1, \"fingerprints\": {\"").expect("corrupt");
    }
    let run = site.run(&["build", "-v"]);
    run.ok();
    assert!(
        run.stdout().contains(OTHER_ARTICLE_PAGE),
        "not a full build"
    );
    assert_matches_clean(&site, "a corrupt cache");

    // Deleting the cache folder is always safe.
    fs::remove_dir_all(&cache_dir).expect("rm cache");
    edit(&site, ARTICLE, "工信部印发", "工信部再次印发");
    assert_matches_clean(&site, "a deleted cache");
}

#[test]
fn files_changed_by_hand_in_the_site_are_rebuilt() {
    let site = SiteTest::fixture();
    site.build().ok();
    site.write("site/articles/index.html", "defaced");
    site.write("site/stray.html", "left over");
    site.remove(&format!("site/{POLICY_PAGE}"));
    assert_matches_clean(&site, "changes to site/ by hand");
}

/// Runs `bulletin build ARGS` on a pseudo-terminal (util-linux `script`), as a person at a
/// terminal would; returns all it printed there.
fn build_on_terminal(site: &SiteTest, args: &str, ci: bool) -> String {
    let cmd = format!(
        "{} --root '{}' build {args}",
        env!("CARGO_BIN_EXE_bulletin"),
        site.root().display()
    );
    let mut script = std::process::Command::new("script");
    script.args(["-qec", &cmd, "/dev/null"]);
    if ci {
        script.env("CI", "true");
    } else {
        script.env_remove("CI");
    }
    let out = script.output().expect("run script (util-linux)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn an_incremental_build_shows_a_progress_bar_on_a_terminal_only() {
    let site = SiteTest::fixture();
    let first = build_on_terminal(&site, "", false);
    assert!(
        first.contains("rendering [") && first.contains(" pages"),
        "{first:?}"
    );
    // A template edit: the general path, which views every page. (Item edits take the fast
    // path, which renders a few pages and shows no bar.)
    edit(
        &site,
        "templates/article.html",
        "<article class=\"item\">",
        "<article class=\"item a\">",
    );
    let edit_build = build_on_terminal(&site, "", false);
    assert!(edit_build.contains("rendering ["), "{edit_build:?}");
    edit(&site, ARTICLE, "工业和信息化部印发", "工信部印发");
    edit(&site, ARTICLE, "工信部印发", "工信部今日印发");
    let in_ci = build_on_terminal(&site, "", true);
    assert!(!in_ci.contains("rendering ["), "{in_ci:?}");
    // Not on a terminal (the test's pipes): no bar either.
    edit(&site, ARTICLE, "工信部今日印发", "工信部昨日印发");
    let piped = site.run(&["build"]);
    piped.ok();
    assert!(
        !piped.stderr().contains("rendering ["),
        "{}",
        piped.stderr()
    );
}

/// The build records in the cache folder, keyed by the output folder each one records.
fn records(site: &SiteTest) -> BTreeMap<PathBuf, PathBuf> {
    let is_record = |p: &Path| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("build-") && n.ends_with(".bin"))
    };
    fs::read_dir(site.root().join(".bulletin-cache"))
        .expect("cache folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| is_record(p))
        .map(|p| {
            // A record starts with its format, the binary's id and the output folder (postcard).
            let bytes = fs::read(&p).expect("read record");
            let ((_, _, out), _) =
                postcard::take_from_bytes::<(u32, String, PathBuf)>(&bytes).expect("record");
            (out, p)
        })
        .collect()
}

fn build_into(site: &SiteTest, out: &Path) -> Run {
    site.run(&["build", "--out", out.to_str().expect("utf-8 path")])
}

#[track_caller]
fn assert_up_to_date(run: Run, out: &Path) {
    run.ok();
    assert!(
        run.stderr().contains("up to date"),
        "{}: not a no-op build: {}",
        out.display(),
        run.stderr()
    );
}

#[test]
fn records_of_deleted_output_folders_are_pruned() {
    let site = SiteTest::fixture();
    site.build().ok();
    let outs: Vec<PathBuf> = ["a", "b", "c", "d"]
        .iter()
        .map(|n| site.root().join("outs").join(n))
        .collect();
    for out in &outs {
        build_into(&site, out).ok();
    }
    site.write(".bulletin-cache/notes.json", r#"{"out": "/nowhere"}"#);
    let before = records(&site);
    let all: BTreeSet<PathBuf> = outs.iter().cloned().chain([site.out()]).collect();
    assert_eq!(before.keys().cloned().collect::<BTreeSet<_>>(), all);

    fs::remove_dir_all(&outs[1]).expect("rm b");
    fs::remove_dir_all(&outs[2]).expect("rm c");
    let new = site.root().join("outs/e");
    build_into(&site, &new).ok();

    let after = records(&site);
    let live: BTreeSet<PathBuf> = [&site.out(), &outs[0], &outs[3], &new]
        .into_iter()
        .cloned()
        .collect();
    assert_eq!(after.keys().cloned().collect::<BTreeSet<_>>(), live);
    for gone in &outs[1..3] {
        assert!(!before[gone].exists(), "record of {gone:?} kept");
    }
    assert!(site.root().join(".bulletin-cache/notes.json").exists());
    assert!(site.root().join(".bulletin-cache/bodies.bin").exists());
    // The records kept still describe their folders.
    assert_up_to_date(site.build(), &site.out());
    for out in [&outs[0], &outs[3], &new] {
        assert_up_to_date(build_into(&site, out), out);
    }
}

#[test]
fn only_the_eight_most_recently_written_records_are_kept() {
    let site = SiteTest::fixture();
    let outs: Vec<PathBuf> = (0..10)
        .map(|i| site.root().join(format!("out-{i}")))
        .collect();
    for out in &outs {
        build_into(&site, out).ok();
    }
    // Eight is KEEP_RECORDS in src/incremental/cache/prune.rs; every folder still exists.
    let kept: BTreeSet<PathBuf> = records(&site).into_keys().collect();
    assert_eq!(kept, outs[2..].iter().cloned().collect());
    for out in [&outs[9], &outs[2]] {
        assert_up_to_date(build_into(&site, out), out);
    }

    // An evicted folder gets a full build and a record again, at the cost of the oldest one.
    let run = build_into(&site, &outs[0]);
    run.ok();
    assert!(!run.stderr().contains("up to date"), "{}", run.stderr());
    let kept: BTreeSet<PathBuf> = records(&site).into_keys().collect();
    let expected: BTreeSet<PathBuf> = outs[3..].iter().chain([&outs[0]]).cloned().collect();
    assert_eq!(kept, expected);
    assert_up_to_date(build_into(&site, &outs[0]), &outs[0]);
}

/// The search index is updated from the state the last build saved (`search.bin`), not made
/// anew: whatever that state or the index files went through, the result is a clean build's.
#[test]
fn the_search_index_follows_from_its_saved_state() {
    let site = SiteTest::fixture();
    site.build().ok();
    let state = site.root().join(".bulletin-cache/search.bin");
    assert!(state.is_file(), "the build saved no search state");

    edit(&site, ARTICLE, "工业和信息化部印发", "工信部发布零动智融");
    assert_matches_clean(&site, "a body edit, updated from the saved state");

    // A damaged state, or one of another site, is not used.
    fs::write(&state, b"bulletin-search 1\n\x05garbage").expect("damage");
    edit(&site, ARTICLE, "零动智融", "零动智融二");
    assert_matches_clean(&site, "a damaged state");

    // Index files removed or changed by hand are made again.
    let shard = fs::read_dir(site.out().join("search/s"))
        .expect("shards")
        .flatten()
        .next()
        .expect("a shard")
        .path();
    fs::remove_file(&shard).expect("rm shard");
    site.write("site/search/cols.bin", "defaced");
    edit(&site, ARTICLE, "零动智融二", "零动智融三");
    assert_matches_clean(&site, "index files removed and defaced by hand");

    // A date edit renumbers the items after it; removing an item drops its files.
    edit(&site, ARTICLE, "date: 2024-06-24", "date: 2023-01-01");
    assert_matches_clean(&site, "a date edit that renumbers items");
    site.remove(ARTICLE);
    assert_matches_clean(&site, "removing an item");
}

/// Edits of item files alone take `serve`'s fast path, run from the record (only the pages the
/// items touch are viewed); anything else, or a change of a name's URL, takes the general path.
/// Both give what a clean build gives.
#[test]
fn item_edits_take_the_fast_path_and_equal_a_clean_build() {
    const POLICY: &str = "content/policies/2024-07/2024-06-zhuanjingtexin-tongzhi.md";
    const NEW: &str = "content/articles/2024-07/2024-07-02-xin-wenzhang.md";
    let site = SiteTest::fixture();
    let first = assert_matches_clean(&site, "the first build");
    assert!(!first.contains("fast path"), "{first}");
    let fast = |site: &SiteTest, what: &str| {
        let stderr = assert_matches_clean(site, what);
        assert!(stderr.contains("(fast path)"), "after {what}: {stderr}");
    };
    let general = |site: &SiteTest, what: &str| {
        let stderr = assert_matches_clean(site, what);
        assert!(!stderr.contains("fast path"), "after {what}: {stderr}");
    };

    edit(&site, ARTICLE, "工业和信息化部印发", "工信部正式印发");
    fast(&site, "an edit of an article's body");
    edit(&site, ARTICLE, "title: 工信部：", "title: 工业和信息化部：");
    fast(&site, "an edit of an article's title");
    edit(
        &site,
        POLICY,
        "issuers: [财政部, ",
        "issuers: [上海市地方金融监督管理局, 财政部, ",
    );
    fast(&site, "a new issuer on a policy");
    edit(&site, POLICY, "date: 2024-06", "date: 2019-06");
    fast(&site, "a policy's date moved years back");
    site.write(
        NEW,
        "---\ntitle: 新增文章\ndate: 2024-07-02\nsource: 测试\nissue: xinxi-zhaibian/2024-07\nsection: 行业动向\ntags: [新标签]\npolicies: [2024-06-zhuanjingtexin-tongzhi]\n---\n新的正文。\n",
    );
    fast(
        &site,
        "adding an article with a new tag that reports a policy",
    );
    site.write("content/articles/2024-07/.xin-wenzhang.md.swp", "x");
    site.write("content/articles/2024-07/2024-07-02-xin-wenzhang.md~", "x");
    edit(&site, NEW, "新的正文。", "改过的正文。");
    fast(&site, "an edit beside an editor's swap and backup files");
    site.remove(NEW);
    fast(&site, "deleting that article");
    assert!(!site.out().join("articles/2024-07-02-xin-wenzhang").exists());

    // 锂电池! has the URL segment of the tag 锂电池: both now get a suffix, so every page
    // linking to 锂电池 changes, not only the edited item's.
    edit(&site, ARTICLE, "锂电池]", "锂电池, 锂电池!]");
    general(&site, "a tag whose URL collides with an existing tag's");
    edit(&site, ARTICLE, ", 锂电池!]", "]");
    general(&site, "removing it again");

    edit(&site, "content/site.yaml", "title: ", "title: 新");
    general(&site, "an edit of site.yaml");
    edit(&site, ARTICLE, "工信部正式印发", "工信部印发");
    fast(&site, "an article edit after the general path");

    // A site changed by hand is the general path's: it knows which files to redo.
    fs::write(site.out().join(ARTICLE_PAGE), "changed by hand").expect("write");
    edit(&site, ARTICLE, "工信部印发", "工信部再次印发");
    general(&site, "an edit with a page of the site changed by hand");
}
