//! Every way `bulletin digest` refuses input: addresses, empty months, usage, unknown fields.

use super::*;
use crate::support::SiteTest;

#[test]
fn invalid_addresses_are_reported_before_sending() {
    // In the list: the line of site.yaml. Nothing is sent (no server is even needed).
    let site = fixture_with_smtp(1, false, "\n    - r1@example.com\n    - not-an-address\n");
    let err = digest(&site, &["2024-07", "--send"], None).fails_with(1);
    assert!(
        err.contains("invalid e-mail address `not-an-address`"),
        "{err}"
    );
    assert!(err.contains("content/site.yaml:9:7"), "{err}");
    // In a recipients file: each bad line, with its number.
    let site = fixture_with_smtp(1, false, "readers.txt");
    site.write(
        "readers.txt",
        "# readers\nr1@example.com\nr2@example\n\n张三 <zhangsan@example.com>\na@example.com, b@example.com\n",
    );
    let err = digest(&site, &["2024-07", "--send"], None).fails_with(1);
    assert!(err.contains("readers.txt:3:1"), "{err}");
    assert!(err.contains("readers.txt:6:1"), "{err}");
    assert!(err.contains("2 errors found"), "{err}");
    assert!(!site.root().join("digest-sent.log").exists());
}

#[test]
fn empty_month_is_an_error_unless_allowed() {
    let site = SiteTest::fixture();
    let out = site.root().join("preview");
    let o = out.to_str().expect("utf8");
    let err = digest(&site, &["2024-08", "--out", o], None).fails_with(1);
    assert!(
        err.contains("2024-08 has no policies, rankings or books"),
        "{err}"
    );
    assert!(err.contains("months with items: 2024-05, 2024-07"), "{err}");
    assert!(err.contains("--allow-empty"), "{err}");
    assert!(!out.exists());
    digest(&site, &["2024-08", "--out", o, "--allow-empty"], None).ok();
    assert!(read(&out.join("email.html")).contains("本月没有新的政策、排行榜或图书推荐"));
    assert!(read(&out.join("email.txt")).contains("本月没有新的政策、排行榜或图书推荐"));
}

#[test]
fn bad_month_and_missing_action_are_usage_errors() {
    let site = SiteTest::fixture();
    for m in ["2024-13", "2024-7", "July"] {
        let err = digest(&site, &[m, "--out", "x"], None).fails_with(2);
        assert!(err.contains("invalid month"), "{err}");
    }
    let err = digest(&site, &["2024-07"], None).fails_with(2);
    assert!(err.contains("--out") && err.contains("--send"), "{err}");
}

#[test]
fn unknown_field_in_digest_block_points_at_it() {
    let site = fixture_with_smtp(25, false, "[r1@example.com]");
    let yaml = read(&site.root().join("content/site.yaml"))
        .replace("security: none", "security: ssl")
        .replace("  recipients:", "  recipient_list: []\n  recipients:");
    site.write("content/site.yaml", &yaml);
    let err = digest(&site, &["2024-07", "--out", "x"], None).fails_with(1);
    assert!(err.contains("unknown field `recipient_list`"), "{err}");
    assert!(err.contains("content/site.yaml:7:3"), "{err}");
    assert!(err.contains("did you mean `recipients`?"), "{err}");
    // The build checks the block too.
    let err = site.build().fails_with(1);
    assert!(err.contains("unknown field `recipient_list`"), "{err}");
    site.write(
        "content/site.yaml",
        &yaml.replace("  recipient_list: []\n", ""),
    );
    let err = digest(&site, &["2024-07", "--out", "x"], None).fails_with(1);
    assert!(
        err.contains("unknown value `ssl`") && err.contains("none, starttls, tls"),
        "{err}"
    );
}

#[test]
fn unknown_field_in_a_note_points_at_it() {
    let site = SiteTest::fixture()
        .file(
            "content/digests/2024-07.md",
            "---\nsubject: 七月\npreheadr: 要点\n---\n正文\n",
        )
        .file("content/digests/july.md", "正文\n");
    let err = digest(&site, &["2024-07", "--out", "x"], None).fails_with(1);
    assert!(err.contains("content/digests/2024-07.md:3:1"), "{err}");
    assert!(
        err.contains("unknown field `preheadr`") && err.contains("did you mean `preheader`?"),
        "{err}"
    );
    assert!(
        err.contains("content/digests/july.md") && err.contains("YYYY-MM"),
        "{err}"
    );
}

#[test]
fn without_a_digest_block_the_preview_still_works() {
    let site = SiteTest::fixture().file(
        "content/site.yaml",
        &format!("title: t\nbase_url: {BASE}\nlanguage: zh-CN\ndescription: d\n"),
    );
    let out = site.root().join("preview");
    let run = digest(
        &site,
        &["2024-07", "--out", out.to_str().expect("utf8")],
        None,
    );
    run.ok();
    assert!(out.join("email.html").is_file() && !out.join("message.eml").exists());
    run.stderr_has("message.eml not written");
    let err = digest(&site, &["2024-07", "--send"], None).fails_with(1);
    assert!(err.contains("no `digest:` block"), "{err}");
}
