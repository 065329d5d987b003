//! Reading comfort and wording, as a reader meets them: the built fixture and shipped sites
//! opened in a real headless Chromium (tests/tools/pages.cjs) at a desktop and a phone width,
//! with axe-core; and the words of the built pages (series named once, the right heading over
//! a body, a summary shown once, measure words).
//!
//! In the browser, on every page type: axe finds nothing (link-in-text-block included); links
//! in running text are underlined; dates, 文号 and names (`time`, `.doc-number`, `.name`) are
//! `nowrap` and laid out on one line at 390 px; nothing scrolls sideways; body text runs at
//! most about 38 characters a line; breadcrumbs are a labelled `nav` with an `ol`, the home
//! page first, the page itself last with `aria-current="page"`, and every link resolves.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::support::{repo, require_tools, SiteTest};

fn tools() -> bool {
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

/// What the browser reads on each page (`dirs`, site-relative) of a built site at `width`.
fn read(site: &SiteTest, width: u32, dirs: &[&str]) -> Vec<(String, Value)> {
    let files: Vec<String> = dirs
        .iter()
        .map(|d| site.out().join(d).join("index.html").display().to_string())
        .collect();
    let out = Command::new("node")
        .arg(repo().join("tests/tools/pages.cjs"))
        .arg(width.to_string())
        .args(&files)
        .current_dir(repo())
        .output()
        .expect("run node tests/tools/pages.cjs");
    assert!(
        out.status.success(),
        "pages.cjs failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answers: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(answers.len(), dirs.len(), "one answer per page");
    dirs.iter()
        .map(|d| d.to_string())
        .zip(answers)
        .inspect(|(d, v)| assert_eq!(v["ok"], true, "{d}: {v}"))
        .collect()
}

/// One page of each type of the fixture site, listings and their later parts included.
const FIXTURE_PAGES: &[&str] = &[
    "",
    "articles/2024-06-19-zhuanjingtexin/",
    "articles/",
    "articles/sections/热点关注/",
    "policies/2024-06-zhuanjingtexin-tongzhi/",
    "policies/2024-05-shanghai-jinrong/",
    "policies/",
    "policies/issuer/",
    "policies/issuer/财政部/",
    "policies/level/national/",
    "products/2024-05-gongshang-edai/",
    "products/category/credit/",
    "rankings/2023-dujiaoshou/",
    "rankings/2024-dashuju-xiaojuren/",
    "books/shuzi-jingji/",
    "issues/",
    "issues/xinxi-zhaibian/2024-07/",
    "issues/jinrong-zhiyin/2024-05/",
    "digest/",
    "digest/2024-07/",
    "tags/锂电池/",
    "regions/上海市/",
];

/// The breadcrumbs of the page at `dir`: labelled, ordered, home first, the page last and
/// current, every link to a page of the site.
#[track_caller]
fn check_crumbs(site: &SiteTest, dir: &str, v: &Value) {
    let c = &v["crumbs"];
    if dir.is_empty() {
        assert!(c.is_null(), "the home page has no breadcrumbs: {c}");
        return;
    }
    assert_eq!(c["label"], "当前位置", "{dir}: {c}");
    assert_eq!(c["ol"], true, "{dir}: {c}");
    let items = c["items"].as_array().expect("items");
    assert!(items.len() >= 2, "{dir}: {c}");
    assert_eq!(
        items[0]["text"]
            .as_str()
            .map(|t| t.trim_end_matches('›').trim()),
        Some("首页")
    );
    for (i, it) in items.iter().enumerate() {
        let last = i + 1 == items.len();
        assert_eq!(it["current"].as_str() == Some("page"), last, "{dir}: {it}");
        let href = it["href"].as_str().expect("a link");
        assert!(
            !href.starts_with('/') && !href.contains("://"),
            "{dir}: relative {href}"
        );
        let target = site.out().join(dir).join(
            percent_encoding::percent_decode_str(href)
                .decode_utf8_lossy()
                .as_ref(),
        );
        assert!(
            target.join("index.html").is_file(),
            "{dir}: {href} resolves to no page"
        );
    }
    let own = site.out().join(dir).canonicalize().expect("page dir");
    let last = items.last().expect("last")["href"].as_str().expect("href");
    let last = site.out().join(dir).join(
        percent_encoding::percent_decode_str(last)
            .decode_utf8_lossy()
            .as_ref(),
    );
    assert_eq!(
        last.canonicalize().expect("dir"),
        own,
        "{dir}: the last crumb is the page"
    );
}

#[track_caller]
fn check_page(site: &SiteTest, width: u32, dir: &str, v: &Value) {
    assert_eq!(v["axe"], serde_json::json!([]), "{dir} at {width}px: axe");
    assert_eq!(
        v["bare"],
        serde_json::json!([]),
        "{dir}: links in text not underlined"
    );
    assert_eq!(
        v["wrapping"],
        serde_json::json!([]),
        "{dir}: tokens not nowrap"
    );
    assert_eq!(
        v["broken"],
        serde_json::json!([]),
        "{dir} at {width}px: tokens broken"
    );
    assert_eq!(v["overflow"], false, "{dir} at {width}px: scrolls sideways");
    let chars = v["measure"]["chars"].as_u64().expect("measure");
    assert!(chars <= 40, "{dir} at {width}px: {chars} characters a line");
    check_crumbs(site, dir, v);
}

#[test]
fn every_page_type_reads_well_at_desktop_and_phone_widths() {
    if !tools() {
        return;
    }
    let site = SiteTest::fixture();
    site.build().ok();
    for width in [1280, 390] {
        for (dir, v) in read(&site, width, FIXTURE_PAGES) {
            check_page(&site, width, &dir, &v);
        }
    }
}

/// Pages of the shipped site with its long names and many items, on a phone; a later page of a
/// listing has the listing's first page above it.
#[test]
fn shipped_pages_read_well_on_a_phone() {
    if !tools() {
        return;
    }
    let site = SiteTest::shipped();
    site.build().ok();
    let pages = [
        "",
        "policies/page/2/",
        "policies/region/北京市/",
        "products/page/3/",
        "policies/2024-05-23-nongcun-zhongxiao-yinhang-gaige-huaxian/",
        "articles/2024-04-30-bufen-yinhang-xiaowei-xindai-guimo/",
        "issues/xinxi-zhaibian/2024-07/",
        "issues/jinrong-zhiyin/2024-05/",
        "issues/",
    ];
    for (dir, v) in read(&site, 390, &pages) {
        check_page(&site, 390, &dir, &v);
        if dir == "policies/page/2/" {
            let items = v["crumbs"]["items"].as_array().expect("items");
            let names: Vec<&str> = items.iter().filter_map(|i| i["text"].as_str()).collect();
            assert_eq!(names.len(), 3, "{names:?}");
            assert!(
                names[0].starts_with("首页") && names[1].starts_with("政策"),
                "{names:?}"
            );
            assert!(names[2].starts_with("政策（第2页）"), "{names:?}");
        }
    }
}

/// The full text of a notice (004) is set as the document: salutation flush, 落款 flush right,
/// headed 全文, its headings below the page's heading; and it keeps the measure.
#[test]
fn a_full_text_notice_is_set_as_the_document() {
    let site = SiteTest::shipped();
    site.build().ok();
    let dir = "policies/2023-07-22-yilian-yice-yipi-rongzi-cujin/";
    let html = site.read(&format!("{dir}index.html"));
    assert!(html.contains("<h2>全文</h2>"), "headed 全文");
    assert!(!html.contains("<h2>要点</h2>"));
    let body = &html[html.find("<h2>全文</h2>").expect("body") + 1..];
    assert!(!body.contains("<h2>") || body.find("<h2>") > body.find("</section>"));
    assert!(
        body.contains("<h3>一、总体要求</h3>"),
        "body headings one level down"
    );
    assert!(html.contains("<p class=\"salutation\">各省、自治区、直辖市"));
    assert!(html.contains("<p class=\"signature\">工业和信息化部<br>"));
    if !tools() {
        return;
    }
    for width in [1280, 390] {
        let (_, v) = read(&site, width, &[dir]).remove(0);
        check_page(&site, width, dir, &v);
        assert_eq!(v["signature"]["align"], "right", "{v}");
        assert_eq!(v["signature"]["indent"], "0px", "{v}");
        assert_eq!(v["salutation"]["indent"], "0px", "{v}");
    }
}

/// The text between `<main` and `</main>`.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("main");
    let end = html.find("</main>").expect("/main");
    &html[start..end]
}

#[test]
fn pages_name_things_once_and_count_them_in_the_right_words() {
    let site = SiteTest::shipped();
    site.build().ok();
    // The series is named once, in placement lines and in titles.
    let article = site.read("articles/2024-06-17-zhi-2025-nian-mo-shi-xian/index.html");
    assert!(
        article.contains(">《信息摘编》2024年第七期</a>"),
        "placement names the issue"
    );
    let product =
        site.read("products/2024-05-28-zhongxinweihai-jinkou-yufukuan-rongzi-riyuan/index.html");
    assert!(product.contains(">中小企业金融产品与业务创新指引（2024年5月）</a>"));
    let issue = site.read("issues/xinxi-zhaibian/2024-07/index.html");
    assert!(
        issue.contains("<title>《信息摘编》2024年第七期 · "),
        "issue <title>"
    );
    let paper = site.read("issues/chanye-baodao/2024-12/index.html");
    assert!(
        paper.contains("<title>产业报道 产业新闻版面（2024年12月） · "),
        "a title without its series keeps it"
    );
    for page in [&article, &product, &issue] {
        assert!(!page.contains("信息摘编 《信息摘编》"));
        assert!(!page.contains("中小企业金融产品与业务创新指引 中小企业金融产品与业务创新指引"));
    }
    // A summary that opens the body is shown once; the reporting article's card does not
    // repeat it either.
    let policy =
        site.read("policies/2024-06-19-zhuanjingtexin-zhongxiao-qiye-caizheng-zhichi/index.html");
    let main = main_of(&policy);
    let summary = "部署通过中央财政资金进一步支持专精特新中小企业高质量发展工作";
    assert_eq!(main.matches(summary).count(), 1, "summary shown once");
    assert!(main.contains("<h2>要点</h2>") && !main.contains("<h2>摘要</h2>"));
    // Counts use each kind's measure word.
    let issues = site.read("issues/index.html");
    assert!(issues.contains("金融产品 62 项"), "products are 项");
    assert!(issues.contains("文章 57 篇 · 政策 30 项 · 排行榜 6 个 · 图书推荐 4 本"));
    assert!(!issues.contains("篇</span>") || !issues.contains("148 篇"));
    // The home page leads with the newest issue of each series.
    let home = main_of(&site.read("index.html")).to_string();
    let lead =
        &home[home.find("最新一期").expect("最新一期")..home.find("最新政策").expect("最新政策")];
    for name in [
        "产业报道 头版（2025年5月）",
        "《信息摘编》2024年第七期",
        "中小企业金融产品与业务创新指引（2024年5月）",
    ] {
        assert!(lead.contains(name), "最新一期 lacks {name}");
    }
    assert!(
        !lead.contains("产业新闻版面"),
        "an older issue of a series is not a lead"
    );
}
