//! `bulletin new`: scaffolds content files that `check` rejects until every placeholder is
//! filled, and never overwrites.

use std::fs;

use crate::support::SiteTest;

const ISSUE: &str = "xinxi-zhaibian/2024-07";

fn today() -> String {
    chrono::Local::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string()
}

#[test]
fn every_kind_gets_its_required_fields_and_check_flags_each_placeholder() {
    for (kind, ext) in [
        ("article", "md"),
        ("policy", "md"),
        ("ranking", "yaml"),
        ("book", "yaml"),
        ("product", "yaml"),
    ] {
        let site = SiteTest::fixture();
        site.build().ok();
        let slug = format!("xin-{kind}");
        let run = site.run(&["new", kind, &slug, "--issue", ISSUE]);
        run.ok();
        let rel = run.stdout().trim().to_string();
        assert!(
            rel.ends_with(&format!("/xinxi-zhaibian-2024-07/{slug}.{ext}")),
            "{rel}"
        );
        let text = fs::read_to_string(site.root().join(&rel)).expect("new file");
        assert!(text.contains(&format!("date: {}", today())), "{text}");
        assert!(text.contains(&format!("issue: {ISSUE}")), "{text}");
        let todos = text.lines().filter(|l| l.contains("TODO:")).count();
        assert!(todos >= 2, "{kind}: {text}");

        let err = site.run(&["check"]).fails_with(1);
        let flagged = err.matches("placeholder written by `bulletin new`").count();
        assert_eq!(flagged, todos, "{kind}: every placeholder, once:\n{err}");
        assert!(err.contains(&format!("{rel}:")), "{err}");
        assert!(
            !err.contains("invalid"),
            "{kind}: a placeholder read as a bad value:\n{err}"
        );
        // Nothing unfinished reaches the site.
        let before = crate::support::snapshot_dir(&site.out());
        site.build().fails_with(1);
        assert!(crate::support::snapshot_dir(&site.out()) == before);
    }
}

#[test]
fn a_filled_in_article_builds_with_its_title_as_given() {
    let site = SiteTest::fixture();
    let title = "新闻：\"数字金融\" 试点 #1 & <b>加速</b>";
    let run = site.run(&[
        "new",
        "article",
        "shu-zi-jin-rong",
        "--title",
        title,
        "--issue",
        ISSUE,
    ]);
    run.ok();
    let rel = run.stdout().trim().to_string();
    let path = site.root().join(&rel);
    let text = fs::read_to_string(&path).expect("read");
    let filled = text
        .replace("\"TODO: 来源（媒体或机构）\"", "新华社")
        .replace("TODO: 正文（Markdown）", "试点启动。");
    assert!(!filled.contains("TODO"), "{filled}");
    fs::write(&path, filled).expect("write");
    site.run(&["check"]).ok();
    site.build().ok();
    let page = site.read("articles/shu-zi-jin-rong/index.html");
    assert!(
        page.contains("新闻：&quot;数字金融&quot; 试点 #1 &amp; &lt;b&gt;加速&lt;/b&gt;"),
        "title not kept exactly (and escaped)"
    );
}

#[test]
fn refuses_to_overwrite_or_duplicate_a_slug() {
    let site = SiteTest::fixture();
    let run = site.run(&["new", "policy", "bao-liu"]);
    run.ok();
    let rel = run.stdout().trim().to_string();
    assert_eq!(rel, "content/policies/bao-liu.md");
    site.write(&rel, "editor's work");
    let err = site.run(&["new", "policy", "bao-liu"]).fails_with(1);
    assert!(err.contains("already exists; not overwriting it"), "{err}");
    assert_eq!(
        fs::read_to_string(site.root().join(&rel)).expect("read"),
        "editor's work"
    );
    // The same slug in another issue's folder is the same page: refused too.
    let err = site
        .run(&["new", "policy", "bao-liu", "--issue", ISSUE])
        .fails_with(1);
    assert!(
        err.contains("content/policies/bao-liu.md already exists"),
        "{err}"
    );
    let existing = site.run(&["new", "article", "2024-07-01-lidian-guifan"]);
    let err = existing.fails_with(1);
    assert!(
        err.contains("2024-07-01-lidian-guifan.md already exists"),
        "{err}"
    );
}

#[test]
fn bad_slugs_kinds_and_issues_are_refused_with_a_hint() {
    let site = SiteTest::fixture();
    let before = crate::support::snapshot_dir(&site.root().join("content"));
    let err = site.run(&["new", "article", "Xin_Wen"]).fails_with(1);
    assert!(
        err.contains("invalid slug") && err.contains("hint:"),
        "{err}"
    );
    let err = site.run(&["new", "policy", "level"]).fails_with(1);
    assert!(err.contains("reserved"), "{err}");
    let err = site.run(&["new", "article", "a/../b"]).fails_with(1);
    assert!(err.contains("invalid slug"), "{err}");
    let err = site
        .run(&["new", "article", "xin", "--issue", "xinxi-zhaibian/2099-01"])
        .fails_with(1);
    assert!(err.contains("no issue `xinxi-zhaibian/2099-01`"), "{err}");
    assert!(
        err.contains("existing issues: ") && err.contains(ISSUE),
        "{err}"
    );
    let err = site
        .run(&["new", "article", "xin", "--issue", "no-slash"])
        .fails_with(1);
    assert!(err.contains("invalid issue"), "{err}");
    let err = site.run(&["new", "essay", "xin"]).fails_with(2);
    assert!(err.contains("unknown kind `essay`"), "{err}");
    assert!(
        crate::support::snapshot_dir(&site.root().join("content")) == before,
        "a refused `new` wrote something"
    );
}
