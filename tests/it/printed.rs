//! The issue as printed (issue 12 §2, §3): the issue page and its print view follow the printed
//! table of contents with its page numbers, and dates are only as precise as the source.

use crate::support::{repo, SiteTest};

const BULLETIN_001: &str = "tests/fixtures/bulletins/001_63ddb052a804766a.txt";

/// Titles and pages as the issue page lists them, in page order.
fn toc_entries(html: &str) -> Vec<(String, Option<u32>)> {
    let title = regex::Regex::new(r#"<span class="toc-title">(?:<span class="kind">[^<]*</span> )?<a href="[^"]*">([^<]*)</a>"#).expect("regex");
    let page = regex::Regex::new(r#"<span class="toc-page">第(\d+)页</span>"#).expect("regex");
    html.split(r#"<li class="toc-entry">"#)
        .skip(1)
        .map(|li| {
            let t = title
                .captures(li)
                .map(|c| c[1].to_string())
                .unwrap_or_default();
            let p = page.captures(li).and_then(|c| c[1].parse().ok());
            (t, p)
        })
        .collect()
}

/// The printed table of contents of 001, read here on its own: every line between `目录` and
/// the first article that ends in a page number, joined with the line before it when that one
/// is a title broken over two lines; section headings (no page, or 图书推荐) are left out.
fn printed_toc() -> Vec<(String, u32)> {
    let text = std::fs::read_to_string(repo().join(BULLETIN_001)).expect("bulletin");
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with("目录"))
        .expect("目录")
        + 1;
    let first_title = lines[start..]
        .iter()
        .position(|l| l.starts_with("两部门：进一步支持"))
        .expect("first article")
        + start;
    let sections = [
        "热点关注",
        "行业动向",
        "国际视野",
        "国内动态",
        "自贸专题",
        "国研专稿",
        "企业排行榜",
        "图书推荐",
    ];
    let mut out = Vec::new();
    let mut pending: Option<&str> = None;
    for l in &lines[start..first_title] {
        let (t, p) = match l.rsplit_once('\t') {
            Some((t, p)) if p.trim().parse::<u32>().is_ok() => (t.trim(), p.trim().parse().ok()),
            _ => (*l, None),
        };
        match p {
            Some(p) if !sections.contains(&t) => {
                let title = pending
                    .take()
                    .map_or(t.to_string(), |first| format!("{first}{t}"));
                out.push((title, p));
            }
            _ => pending = (!sections.contains(&t)).then_some(t),
        }
    }
    out
}

/// Titles compared without spaces and with ASCII punctuation (the contents and the body print
/// the same title with different spacing and colons).
fn key(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '：' => ':',
            '！' => '!',
            '–' | '—' => '-',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

#[test]
fn the_shipped_issue_page_follows_the_printed_table_of_contents() {
    let site = SiteTest::shipped();
    site.build().ok();
    let html = site.read("issues/xinxi-zhaibian/2024-07/index.html");
    let page: Vec<(String, u32)> = toc_entries(&html)
        .into_iter()
        .filter_map(|(t, p)| Some((key(&t), p?)))
        .collect();
    // The unicorn ranking's title no longer promises （附完整榜单）: the bulletin prints only part
    // of the list (issue 12 §4); its printed title is kept in the ranking's editor's note.
    let printed: Vec<(String, u32)> = printed_toc()
        .into_iter()
        .map(|(t, p)| (key(&t.replace("（附完整榜单）", "")), p))
        .collect();
    assert_eq!(
        printed.len(),
        63,
        "57 articles and 6 rankings: {printed:#?}"
    );
    assert_eq!(page.len(), printed.len(), "{page:#?}");
    for (i, (got, want)) in page.iter().zip(&printed).enumerate() {
        assert_eq!(got, want, "entry {i} of the issue page");
    }
    // The books follow under 图书推荐 in the order of their records, without a page.
    let books: Vec<String> = toc_entries(&html)
        .into_iter()
        .filter(|(_, p)| p.is_none())
        .map(|(t, _)| t)
        .collect();
    assert_eq!(books, ["元宇宙", "繁荣与停滞", "赋能型领导", "新定位时代"]);
    // No badge repeats its heading, and reported policies sit under their article.
    assert!(
        !html.contains(r#"<span class="kind">排行榜</span>"#),
        "{html}"
    );
    assert!(!html.contains(r#"<span class="kind">图书推荐</span>"#));
    assert_eq!(
        html.matches("报道政策：").count(),
        30,
        "the 30 policies, nested"
    );
    assert!(
        html.contains("2024年7月摘要"),
        "the month's digest is linked"
    );
    assert!(!html.contains(r#"rel="prev""#) && !html.contains(r#"rel="next""#));
    // The newspaper pages: previous and next issue of the same series, by month.
    let dec = site.read("issues/chanye-baodao/2024-12/index.html");
    let may = site.read("issues/chanye-baodao/2025-05/index.html");
    let next = r#"<a rel="next" href="../../../issues/chanye-baodao/2025-05/">下一期：头版（2025年5月）</a>"#;
    let prev = r#"<a rel="prev" href="../../../issues/chanye-baodao/2024-12/">上一期：产业新闻版面（2024年12月）</a>"#;
    assert!(dec.contains(next), "{dec}");
    assert!(may.contains(prev), "{may}");
    assert!(!dec.contains(r#"rel="prev""#) && !may.contains(r#"rel="next""#));
}

#[test]
fn import_writes_the_printed_order_and_pages() {
    let site = SiteTest::empty();
    site.import(&repo().join(BULLETIN_001));
    let issue = site.source("content/issues/xinxi-zhaibian/2024-07.yaml");
    let (_, contents) = issue.split_once("contents:\n").expect("contents");
    let entries: Vec<(&str, Option<u32>)> = contents
        .split("- item: ")
        .skip(1)
        .map(|e| {
            let mut l = e.lines();
            let item = l.next().unwrap_or_default();
            let page = l.find_map(|x| x.trim().strip_prefix("page: ")?.parse().ok());
            (item, page)
        })
        .collect();
    assert_eq!(entries.len(), 67, "57 articles, 6 rankings, 4 books");
    let printed = printed_toc();
    for (i, ((item, page), (title, p))) in entries.iter().zip(&printed).enumerate() {
        assert_eq!(*page, Some(*p), "entry {i}: {item}");
        let ext = if item.starts_with("articles/") {
            "md"
        } else {
            "yaml"
        };
        let (dir_name, slug) = item.split_once('/').expect("kind/slug");
        let text = site.source(&format!(
            "content/{dir_name}/xinxi-zhaibian-2024-07/{slug}.{ext}"
        ));
        let t = text
            .lines()
            .find_map(|l| l.strip_prefix("title: "))
            .expect("title");
        assert_eq!(key(t.trim_matches('\'')), key(title), "entry {i}");
    }
    assert!(entries[63..]
        .iter()
        .all(|(i, p)| i.starts_with("books/") && p.is_none()));
}

fn product(date: &str, name: &str) -> String {
    format!("bank: 某银行\nname: {name}\ndate: {date}\ncategory: 信贷业务\nsummary: 要点。\n")
}

#[test]
fn a_month_precision_date_is_shown_sorted_and_counted_by_its_month() {
    let site = SiteTest::new();
    site.write(
        "content/products/p/a.yaml",
        &product("2024-05-20", "五月二十日"),
    );
    site.write("content/products/p/b.yaml", &product("2024-05", "只知五月"));
    site.write(
        "content/products/p/c.yaml",
        &product("2024-04-30", "四月末"),
    );
    site.write(
        "content/policies/p/d.md",
        "---\ntitle: 三月印发的方案\ndate: 2024-03\nissuers: [国务院]\nlevel: 国家\nsummary: 要点。\n---\n正文。\n",
    );
    site.write(
        "content/policies/p/e.md",
        "---\ntitle: 近日印发的通知\ndate: 2024-06-19\ndate_kind: 报道\nissuers: [财政部]\nlevel: 国家\nsummary: 要点。\n---\n正文。\n",
    );
    site.build().ok();
    let b = site.read("products/b/index.html");
    assert!(
        b.contains(r#"<time datetime="2024-05">2024年5月</time>"#),
        "{b}"
    );
    // Newest first: the days of May, then the month-only date, then April.
    let list = site.read("products/index.html");
    let at = |s: &str| list.find(s).unwrap_or_else(|| panic!("{s} in {list}"));
    assert!(at("五月二十日") < at("只知五月") && at("只知五月") < at("四月末"));
    // Facets and pages say which date it is.
    let year = site.read("policies/year/2024/index.html");
    assert!(
        year.contains("三月印发的方案") && year.contains("2024年3月"),
        "{year}"
    );
    let d = site.read("policies/d/index.html");
    assert!(
        d.contains("<dt>发布日期</dt>") && d.contains("2024年3月"),
        "{d}"
    );
    let e = site.read("policies/e/index.html");
    assert!(e.contains("<dt>报道日期</dt>"), "{e}");
    // The month's digest holds it; the feed dates it on the month's first day.
    let digest = site.read("digest/2024-05/index.html");
    assert!(digest.contains("只知五月"), "{digest}");
    assert!(!site.read("digest/2024-04/index.html").contains("只知五月"));
    assert!(site
        .read("digest/2024-03/index.html")
        .contains("三月印发的方案"));
    let feed = site.read("feed.xml");
    assert!(feed.contains("2024-05-01T12:00:00+08:00"), "{feed}");
    // The search filters count it in its year.
    let index = std::fs::read_to_string(site.out().join("search/index.json")).expect("index");
    assert!(index.contains(r#""years":[2024]"#), "{index}");
    // A month that is not one is an error with its line.
    site.write("content/products/p/b.yaml", &product("2024-13", "只知五月"));
    let err = site.run(&["check"]).fails_with(1);
    assert!(
        err.contains("invalid date `2024-13`") && err.contains("b.yaml:3:7"),
        "{err}"
    );
}

#[test]
fn the_print_view_holds_every_item_in_printed_order_with_its_text() {
    let site = SiteTest::fixture();
    site.build().ok();
    let issue = site.read("issues/xinxi-zhaibian/2024-07/index.html");
    assert!(
        issue.contains(r#"<a href="../../../issues/xinxi-zhaibian/2024-07/print/">打印本期</a>"#),
        "{issue}"
    );
    let print = site.read("issues/xinxi-zhaibian/2024-07/print/index.html");
    // The contents put 大数据 (p. 78) before 独角兽 (p. 79), though it is the newer of the two.
    let at = |s: &str| print.find(s).unwrap_or_else(|| panic!("{s} in {print}"));
    assert!(at("2024 中国大数据科创小巨人 50 强") < at("2023年中国独角兽企业排行榜"));
    assert!(print.contains("原刊第78页") && print.contains("原刊第1页"));
    // Full text: every article's body, the book's 推荐理由, the ranking's entries.
    for a in ["2024-06-19-zhuanjingtexin", "2024-07-01-lidian-guifan"] {
        let src =
            std::fs::read_to_string(site.root().join(format!("content/articles/2024-07/{a}.md")))
                .expect("article");
        let (_, body) = src[3..].split_once("---").expect("front matter");
        let first = body.lines().find(|l| !l.trim().is_empty()).expect("body");
        let probe: String = first.chars().take(12).collect();
        assert!(print.contains(&probe), "{probe} of {a} in the print view");
    }
    assert!(print.contains("推荐理由") && print.contains("<td>1</td>"));
    // The print margins carry the site's name, escaped for CSS.
    let name: String = "信息摘编资料库"
        .chars()
        .map(|c| format!("\\{:x} ", c as u32))
        .collect();
    assert!(
        print.contains(&format!("@top-left {{ content: \"{name}\"")),
        "{print}"
    );
    assert!(print.contains("counter(page)"));
    crate::site::assert_valid_html(&site.out().join("issues/xinxi-zhaibian/2024-07/print"));
}

#[test]
fn the_shipped_issue_prints_as_the_issue_in_a_real_browser() {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let ready = std::path::Path::new(&chromium).is_file()
        && repo().join("node_modules/playwright-core").is_dir();
    if !ready {
        assert!(
            !crate::support::require_tools(),
            "chromium and playwright-core are required"
        );
        eprintln!("skipped: no chromium or playwright-core");
        return;
    }
    let site = SiteTest::shipped();
    site.build().ok();
    let dir = site.out().join("issues/xinxi-zhaibian/2024-07");
    let profile = tempfile::tempdir().expect("profile");
    let run = std::process::Command::new("node")
        .arg(repo().join("tests/tools/print_issue.cjs"))
        .arg(profile.path())
        .arg(dir.join("index.html"))
        .arg(dir.join("print/index.html"))
        .current_dir(repo())
        .output()
        .expect("node");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&run.stdout).expect("json");
    let (contents, print) = (&v[0], &v[1]);
    eprintln!("printed: contents page {contents}, print view {print}");
    assert_eq!(print["nav_hidden"], true);
    // Every item of the issue (57 articles, 6 rankings, 4 books) with its text.
    assert_eq!(print["items"], 67);
    assert_eq!(print["with_text"], 67);
    let pages = |x: &serde_json::Value| x["pages"].as_u64().expect("pages");
    assert!(
        pages(print) > 4 * pages(contents),
        "the print view prints the articles, not only their titles: {print} vs {contents}"
    );
}
