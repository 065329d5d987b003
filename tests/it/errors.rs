//! One test per kind of bad input: each names the file, the line, what was expected and a hint,
//! exits with 1, and leaves a previously built site untouched. The whole stderr of each case, as
//! an editor sees it, is an insta snapshot (`tests/it/snapshots/it__errors__*.snap`).

use crate::support::{snapshot_dir, SiteTest};

const ARTICLE: &str = "content/articles/a/2024-06-19-test.md";

fn article(front: &str) -> String {
    format!("---\n{front}---\n正文。\n")
}

const GOOD_FRONT: &str = "title: 标题\ndate: 2024-06-19\nsource: 新京报\nissue: xinxi-zhaibian/2024-07\nsection: 热点关注\n";

/// A site with an issue and one good article, built once so `site/` exists.
fn built_site() -> SiteTest {
    let site = SiteTest::new();
    site.with_issue();
    site.write(ARTICLE, &article(GOOD_FRONT));
    site.build().ok();
    site
}

/// Writes `rel` with `text`, builds, asserts failure (exit 1) and an untouched site; returns stderr.
fn fails(site: &SiteTest, rel: &str, text: &str) -> String {
    let before = snapshot_dir(&site.out());
    site.write(rel, text);
    let err = site.build().fails_with(1);
    assert_eq!(
        before,
        snapshot_dir(&site.out()),
        "a failed build changed site/"
    );
    assert!(err.contains("nothing was written"), "{err}");
    stable(site, &err)
}

/// `text` with the site's temporary root shown as `[ROOT]`, for snapshots.
fn stable(site: &SiteTest, text: &str) -> String {
    text.replace(&site.root().display().to_string(), "[ROOT]")
}

#[track_caller]
fn has(err: &str, parts: &[&str]) {
    for p in parts {
        assert!(err.contains(p), "expected `{p}` in:\n{err}");
    }
}

#[test]
fn unknown_field_suggests_the_right_one() {
    let site = built_site();
    let err = fails(
        &site,
        ARTICLE,
        &article("tittle: 标题\ndate: 2024-06-19\nsource: 新京报\n"),
    );
    has(
        &err,
        &[
            "unknown field `tittle`",
            "2024-06-19-test.md:2:1",
            "2 | tittle: 标题",
            "did you mean `title`?",
        ],
    );
    insta::assert_snapshot!(err);
}

#[test]
fn missing_required_field() {
    let site = built_site();
    let err = fails(&site, ARTICLE, &article("title: 标题\ndate: 2024-06-19\n"));
    has(
        &err,
        &[
            "missing required field `source`",
            "2024-06-19-test.md:2",
            "add a line `source: …`",
        ],
    );
    insta::assert_snapshot!(err);
}

#[test]
fn wrong_type() {
    let site = built_site();
    let err = fails(
        &site,
        "content/policies/p/x.md",
        "---\ntitle: t\ndate: 2024-06-19\nissuers: 财政部\nlevel: 国家\nsummary: s\n---\n",
    );
    has(
        &err,
        &[
            "invalid type: string \"财政部\", expected a sequence",
            "x.md:4",
            "write a list",
        ],
    );
    insta::assert_snapshot!(err);
}

#[test]
fn bad_date() {
    let site = built_site();
    let err = fails(
        &site,
        ARTICLE,
        &article("title: 标题\ndate: 2024-6-19\nsource: 新京报\n"),
    );
    has(
        &err,
        &[
            "invalid date `2024-6-19`, expected YYYY-MM-DD",
            "2024-06-19-test.md:3",
            "hint: write e.g. 2024-06-19",
        ],
    );
    insta::assert_snapshot!(err);
    let err = fails(
        &site,
        ARTICLE,
        &article("title: 标题\ndate: 2024-02-30\nsource: 新京报\n"),
    );
    has(&err, &["no such day", ":3"]);
    insta::assert_snapshot!(err);
}

#[test]
fn unknown_enum_value() {
    let site = built_site();
    let err = fails(
        &site,
        "content/policies/p/x.md",
        "---\ntitle: t\ndate: 2024-06-19\nissuers: [财政部]\nlevel: 省\nsummary: s\n---\n",
    );
    has(
        &err,
        &[
            "unknown level `省`, expected one of 国家, 省级, 市级, 区县",
            "x.md:5",
        ],
    );
    insta::assert_snapshot!(err);
    let err = fails(
        &site,
        "content/products/p/y.yaml",
        "bank: 工商银行\nname: n\ndate: 2024-05-01\ncategory: 信贷\nsummary: s\n",
    );
    has(&err, &["unknown category `信贷`", "y.yaml:4"]);
    insta::assert_snapshot!(err);
}

#[test]
fn missing_issue() {
    let site = built_site();
    let err = fails(
        &site,
        ARTICLE,
        &article("title: 标题\ndate: 2024-06-19\nsource: 新京报\nissue: xinxi-zhaibian/2024-7\n"),
    );
    has(
        &err,
        &[
            "unknown issue `xinxi-zhaibian/2024-7`",
            "2024-06-19-test.md:5:1",
            "did you mean `xinxi-zhaibian/2024-07`?",
        ],
    );
    insta::assert_snapshot!(err);
}

#[test]
fn section_not_in_issue() {
    let site = built_site();
    let err = fails(&site, ARTICLE, &article("title: 标题\ndate: 2024-06-19\nsource: 新京报\nissue: xinxi-zhaibian/2024-07\nsection: 热点关\n"));
    has(
        &err,
        &[
            "section `热点关` is not one of the sections of issue `xinxi-zhaibian/2024-07`",
            ":6:1",
        ],
    );
    insta::assert_snapshot!(err);
}

#[test]
fn missing_policy() {
    let site = built_site();
    site.write(
        "content/policies/p/2024-06-tongzhi.md",
        "---\ntitle: t\ndate: 2024-06-19\nissuers: [财政部]\nlevel: 国家\nsummary: s\n---\n",
    );
    let err = fails(&site, ARTICLE, &article("title: 标题\ndate: 2024-06-19\nsource: 新京报\npolicies:\n  - 2024-06-tongzhi\n  - 2024-06-tongzi\n"));
    has(
        &err,
        &[
            "unknown policy `2024-06-tongzi`",
            "2024-06-19-test.md:7:5",
            "did you mean `2024-06-tongzhi`?",
        ],
    );
    insta::assert_snapshot!(err);
}

#[test]
fn duplicate_slug() {
    let site = built_site();
    let err = fails(
        &site,
        "content/articles/b/2024-06-19-test.md",
        &article(GOOD_FRONT),
    );
    has(
        &err,
        &[
            "duplicate slug `2024-06-19-test`",
            "content/articles/a/2024-06-19-test.md has the same file name",
        ],
    );
    insta::assert_snapshot!(err);
}

#[test]
fn invalid_slug() {
    let site = built_site();
    let err = fails(
        &site,
        "content/articles/a/政策 News.md",
        &article(GOOD_FRONT),
    );
    has(
        &err,
        &[
            "invalid slug `政策 News` (the slug is the file name)",
            "rename the file",
            "`news`",
        ],
    );
    insta::assert_snapshot!(err);
}

#[test]
fn unclosed_front_matter() {
    let site = built_site();
    let err = fails(
        &site,
        ARTICLE,
        "---\ntitle: 标题\ndate: 2024-06-19\nsource: 新京报\n正文\n",
    );
    has(
        &err,
        &[
            "unclosed front matter",
            "2024-06-19-test.md:5",
            "add a line `---`",
        ],
    );
    insta::assert_snapshot!(err);
}

#[test]
fn missing_front_matter() {
    let site = built_site();
    let err = fails(&site, ARTICLE, "title: 标题\n");
    has(&err, &["missing front matter", "2024-06-19-test.md:1:1"]);
    insta::assert_snapshot!(err);
}

#[test]
fn non_utf8_file() {
    let site = built_site();
    let before = snapshot_dir(&site.out());
    // "标题" in GBK.
    let mut bytes = b"---\ntitle: ".to_vec();
    bytes.extend([0xb1, 0xea, 0xcc, 0xe2]);
    bytes.extend(b"\n---\n");
    site.write_bytes(ARTICLE, &bytes);
    let err = stable(&site, &site.build().fails_with(1));
    has(
        &err,
        &[
            "file is not valid UTF-8 text",
            "2024-06-19-test.md:2:8",
            "it looks like GB18030",
            "iconv -f GB18030 -t UTF-8",
        ],
    );
    insta::assert_snapshot!(err);
    assert_eq!(before, snapshot_dir(&site.out()));
}

#[test]
fn yaml_syntax_error() {
    let site = built_site();
    let err = fails(
        &site,
        "content/rankings/r/x.yaml",
        "title: t\ndate: 2024-06-19\npublisher: [unclosed\nsummary: s\n",
    );
    has(&err, &["x.yaml:", "error:"]);
    insta::assert_snapshot!(err);
}

#[test]
fn all_errors_are_reported_together() {
    let site = built_site();
    // One error in each file (a file lacking many fields now reports each of them).
    site.write("content/books/b/x.yaml", "title: [unclosed\n");
    site.write("content/policies/p/y.md", "---\ntitle: t\n");
    let err = fails(
        &site,
        ARTICLE,
        &article("tittle: 标题\ndate: 2024-06-19\nsource: s\n"),
    );
    has(
        &err,
        &[
            "books/b/x.yaml",
            "policies/p/y.md",
            "2024-06-19-test.md",
            "3 errors found",
        ],
    );
    insta::assert_snapshot!(err);
}

#[test]
fn template_errors_name_the_template_and_line() {
    let site = built_site();
    let err = fails(&site, "templates/book.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ page.title }\n{% endblock content %}\n");
    has(&err, &["templates/book.html:3", "template error"]);
    insta::assert_snapshot!(err);
}

#[test]
fn misplaced_and_misnamed_files() {
    let site = built_site();
    let err = fails(&site, "content/rankings/r/x.yml", "title: t\n");
    has(
        &err,
        &[
            "unexpected file: expected a .yaml file",
            "rename it to .yaml",
        ],
    );
    insta::assert_snapshot!(err);
}

#[test]
fn bad_site_config() {
    let site = built_site();
    let err = fails(
        &site,
        "content/site.yaml",
        "title: t\nbase_url: intranet/bulletin\nlanguage: zh-CN\ndescription: d\n",
    );
    has(
        &err,
        &[
            "invalid base_url `intranet/bulletin`",
            "site.yaml:2",
            "https://intranet.example/bulletin/",
        ],
    );
    insta::assert_snapshot!(err);
}

#[test]
fn unsafe_original_links_are_refused() {
    let site = built_site();
    let err = fails(
        &site,
        ARTICLE,
        &article("title: 标题\ndate: 2024-06-19\nsource: s\nurl: javascript:alert(1)\n"),
    );
    has(&err, &["invalid url `javascript:alert(1)`", ":5"]);
    insta::assert_snapshot!(err);
}

#[test]
fn broken_internal_link_fails_check() {
    let site = built_site();
    site.write(
        ARTICLE,
        &format!("---\n{GOOD_FRONT}---\n见[政策](/policies/no-such-policy/)。\n"),
    );
    let err = stable(&site, &site.run(&["check"]).fails_with(1));
    has(
        &err,
        &[
            "broken link `../../policies/no-such-policy/`",
            "content/articles/a/2024-06-19-test.md",
            "/articles/2024-06-19-test/",
        ],
    );
    insta::assert_snapshot!(err);
}

#[test]
fn usage_errors_exit_2() {
    let site = SiteTest::new();
    let err = site.run(&["build", "--bogus"]).fails_with(2);
    assert!(err.contains("--bogus"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn missing_content_folder() {
    let site = SiteTest::bare();
    std::fs::remove_dir_all(site.root().join("content")).expect("rm");
    let err = stable(&site, &site.build().fails_with(1));
    has(&err, &["no `content/` folder here", "--root"]);
    insta::assert_snapshot!(err);
}
