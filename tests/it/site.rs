//! The end-to-end fixture site: every kind and page type, checked against the expected output
//! in tests/fixtures/site-expected (refresh with `BULLETIN_BLESS=1 cargo test`), and through
//! real validators: the Nu HTML Checker, feedparser and xmllint.

use std::path::Path;
use std::process::Command;

use crate::support::{copy_dir, repo, require_tools, snapshot_dir, SiteTest};

fn built_fixture() -> SiteTest {
    let site = SiteTest::fixture();
    site.build().ok();
    site
}

#[test]
fn fixture_matches_expected_output() {
    let site = built_fixture();
    let expected_dir = repo().join("tests/fixtures/site-expected");
    if std::env::var_os("BULLETIN_BLESS").is_some() {
        let _ = std::fs::remove_dir_all(&expected_dir);
        copy_dir(&site.out(), &expected_dir);
    }
    let got = snapshot_dir(&site.out());
    let want = snapshot_dir(&expected_dir);
    let got_names: Vec<_> = got.keys().collect();
    let want_names: Vec<_> = want.keys().collect();
    assert_eq!(
        got_names, want_names,
        "the set of files differs from tests/fixtures/site-expected"
    );
    for (name, bytes) in &got {
        if want[name] != *bytes {
            panic!(
                "{name} differs from the expected output (BULLETIN_BLESS=1 cargo test refreshes it)\n--- got:\n{}",
                String::from_utf8_lossy(bytes)
            );
        }
    }
}

#[test]
fn every_page_type_is_built() {
    let site = built_fixture();
    for page in [
        "index.html",
        "404.html",
        "feed.xml",
        "sitemap.xml",
        "style.css",
        "issues/index.html",
        "issues/xinxi-zhaibian/2024-07/index.html",
        "articles/index.html",
        "articles/2024-06-19-zhuanjingtexin/index.html",
        "articles/sections/index.html",
        "articles/sections/热点关注/index.html",
        "policies/index.html",
        "policies/2024-06-zhuanjingtexin-tongzhi/index.html",
        "policies/level/national/index.html",
        "policies/region/上海市/index.html",
        "policies/issuer/财政部/index.html",
        "policies/year/2024/index.html",
        "rankings/index.html",
        "rankings/2023-dujiaoshou/index.html",
        "books/index.html",
        "books/shuzi-jingji/index.html",
        "products/index.html",
        "products/2024-05-gongshang-edai/index.html",
        "products/category/credit/index.html",
        "tags/index.html",
        "regions/上海市/index.html",
    ] {
        assert!(site.out().join(page).is_file(), "missing {page}");
    }
}

#[test]
fn pages_show_what_editors_wrote() {
    let site = built_fixture();
    let article = site.read("articles/2024-06-19-zhuanjingtexin/index.html");
    assert!(article.contains("<time datetime=\"2024-06-19\">2024年6月19日</time>"));
    assert!(article.contains("新京报"));
    assert!(article.contains("href=\"https://www.bjnews.com.cn/detail/1718766380168857.html\""));
    assert!(
        article.contains("href=\"../../policies/2024-06-zhuanjingtexin-tongzhi/\""),
        "policy link"
    );
    let policy = site.read("policies/2024-06-zhuanjingtexin-tongzhi/index.html");
    assert!(
        policy.contains("相关报道")
            && policy.contains("两部门：进一步支持专精特新中小企业高质量发展"),
        "backlink to the article"
    );
    let issue = site.read("issues/xinxi-zhaibian/2024-07/index.html");
    for text in [
        "第7期（总第37期）",
        "<span class=\"name\">2024年6月16日</span> 至 <span class=\"name\">2024年7月15日</span>",
        "沈习春",
        "热点关注",
        "企业排行榜",
    ] {
        assert!(issue.contains(text), "issue page lacks {text}");
    }
    let unicorn = site.read("rankings/2023-dujiaoshou/index.html");
    assert!(unicorn.contains("<td>字节跳动</td>") && unicorn.contains("估值（亿美元）"));
    let no_table = site.read("rankings/2024-dashuju-xiaojuren/index.html");
    assert!(
        no_table.contains("原刊未以文字形式给出榜单")
            && no_table.contains("href=\"https://example.org/bigdata-50\"")
    );
}

#[test]
fn content_cannot_inject_script() {
    let site = built_fixture();
    for (name, bytes) in snapshot_dir(&site.out()) {
        let mut text = String::from_utf8_lossy(&bytes).into_owned();
        // The site's own scripts, from templates/static, on the two pages that use them: the
        // search page, and the policy finder (which reads the index through search.js).
        if name == "search/index.html" {
            text = text.replacen(r#"<script src="../search.js"></script>"#, "", 1);
        }
        if name == "policies/index.html" {
            text = text.replacen(
                r#"<script src="../search.js"></script><script src="../finder.js"></script>"#,
                "",
                1,
            );
        }
        assert!(!text.contains("<script"), "{name} contains a script tag");
        assert!(
            !text.contains("alert("),
            "{name} contains the injected code"
        );
    }
}

#[test]
fn homophone_tags_get_distinct_pages() {
    let site = built_fixture();
    assert!(site.out().join("tags/公式/index.html").is_file());
    assert!(site.out().join("tags/公示/index.html").is_file());
}

#[test]
fn output_is_deterministic_and_independent_of_out_dir() {
    let site = built_fixture();
    let other = tempfile::tempdir().expect("tempdir");
    let out2 = other.path().join("elsewhere/public");
    site.run(&["build", "--out", out2.to_str().expect("utf8")])
        .ok();
    assert_eq!(snapshot_dir(&site.out()), snapshot_dir(&out2));
    site.build().ok();
    assert_eq!(snapshot_dir(&site.out()), snapshot_dir(&out2));
}

#[test]
fn site_folder_is_readable_by_a_web_server() {
    use std::os::unix::fs::PermissionsExt;
    let site = built_fixture();
    let mode = std::fs::metadata(site.out())
        .expect("meta")
        .permissions()
        .mode();
    assert_eq!(mode & 0o755, 0o755, "site/ mode {mode:o}");
}

#[test]
fn check_passes_on_the_fixture() {
    let site = SiteTest::fixture();
    let run = site.run(&["check"]);
    run.ok();
    assert!(!site.out().exists(), "check must not write the site");
}

#[test]
fn every_link_resolves_under_the_base_path() {
    // Links are relative, so the site works under any base path; 404.html uses the absolute
    // base path because it is served at arbitrary addresses.
    let site = built_fixture();
    let not_found = site.read("404.html");
    assert!(not_found.contains("href=\"/bulletin/\""), "{not_found}");
    assert!(not_found.contains("href=\"/bulletin/style.css\""));
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains(
        "<loc>https://intranet.example/bulletin/policies/2024-06-zhuanjingtexin-tongzhi/</loc>"
    ));
}

fn vnu_jar() -> Option<std::path::PathBuf> {
    let jar = repo().join("node_modules/vnu-jar/build/dist/vnu.jar");
    if jar.is_file() {
        Some(jar)
    } else if require_tools() {
        panic!("vnu.jar missing: run the README's test command (it installs the validators)");
    } else {
        eprintln!("skipping: vnu.jar not installed (npm ci)");
        None
    }
}

/// Runs the Nu HTML Checker over every page under `dir`; panics with its report on errors.
pub fn assert_valid_html(dir: &Path) {
    let Some(jar) = vnu_jar() else { return };
    let out = Command::new("java")
        .arg("-jar")
        .arg(jar)
        .args([
            "--skip-non-html",
            "--errors-only",
            "--stdout",
            "--format",
            "gnu",
        ])
        .arg(dir)
        .output()
        .expect("run java");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && report.trim().is_empty(),
        "vnu errors:\n{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn every_page_is_valid_html() {
    let site = built_fixture();
    assert_valid_html(&site.out());
}

fn python_has(module: &str) -> bool {
    let ok = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .status()
        .is_ok_and(|s| s.success());
    if !ok && require_tools() {
        panic!("python module {module} missing: run the README's test command");
    }
    ok
}

#[test]
fn feed_parses_with_a_real_feed_parser() {
    if !python_has("feedparser") {
        eprintln!("skipping: feedparser not installed");
        return;
    }
    let site = built_fixture();
    let out = Command::new("python3")
        .arg(repo().join("tests/tools/check_feed.py"))
        .arg(site.out().join("feed.xml"))
        .arg("https://intranet.example/bulletin/")
        .output()
        .expect("python3");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Every item of the fixture (2 articles, 2 policies, 2 rankings, 1 book, 1 product).
    assert!(report.contains("ENTRIES 8"), "{report}");
    assert!(report.contains("LINK https://intranet.example/bulletin/policies/2024-06-zhuanjingtexin-tongzhi/ TITLE 关于进一步支持专精特新中小企业高质量发展的通知"), "{report}");
}

#[test]
fn sitemap_lists_every_page() {
    let site = built_fixture();
    let sitemap = site.read("sitemap.xml");
    let xmllint = Command::new("xmllint")
        .args(["--noout", "--nonet"])
        .arg(site.out().join("sitemap.xml"))
        .status();
    match xmllint {
        Ok(s) => assert!(s.success(), "xmllint rejects sitemap.xml"),
        Err(_) if require_tools() => panic!("xmllint missing: run the README's test command"),
        Err(_) => eprintln!("skipping xmllint: not installed"),
    }
    let locs: std::collections::BTreeSet<String> = sitemap
        .split("<loc>")
        .skip(1)
        .filter_map(|s| s.split("</loc>").next())
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect();
    for (file, _) in snapshot_dir(&site.out()) {
        if file.ends_with("index.html") {
            let url = format!(
                "https://intranet.example/bulletin/{}",
                file.trim_end_matches("index.html")
            );
            assert!(locs.contains(&url), "sitemap lacks {url}");
        }
    }
    assert!(!sitemap.contains("404"), "404.html is not a page to index");
}

#[test]
fn interrupted_build_leaves_previous_site() {
    // A killed build leaves its temporary folder behind; the site stays whole and the next
    // build cleans up.
    let site = built_fixture();
    let before = snapshot_dir(&site.out());
    let stale = site.root().join(".site.build-killed");
    std::fs::create_dir_all(stale.join("articles")).expect("mkdir");
    std::fs::write(stale.join("index.html"), "half").expect("write");
    assert_eq!(before, snapshot_dir(&site.out()));
    site.build().ok();
    assert!(!stale.exists(), "stale build folder not cleaned up");
    assert_eq!(before, snapshot_dir(&site.out()));
}
