//! `bulletin import` on the 2024 第七期 《信息摘编》 (tests/fixtures/import/xinxi-zhaibian-2024-07.txt).

use bulletin::import::{import_file, parse, ImportError, ImportReport};
use serde_yaml::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::support::{text_files, SiteTest};

const FIXTURE: &str = "tests/fixtures/import/xinxi-zhaibian-2024-07.txt";
const SECTIONS: [&str; 8] = [
    "热点关注",
    "行业动向",
    "国际视野",
    "国内动态",
    "自贸专题",
    "国研专稿",
    "企业排行榜",
    "图书推荐",
];

fn fixture() -> String {
    std::fs::read_to_string(FIXTURE).expect("fixture")
}

fn import(site: &SiteTest, force: bool) -> ImportReport {
    import_file(Path::new(FIXTURE), &site.import_options(force)).expect("import")
}

/// Same key as the importer's matching, written independently: no whitespace, half-width
/// punctuation, one kind of dash, lowercase.
fn key(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '：' => ':',
            '！' => '!',
            '（' => '(',
            '）' => ')',
            '–' | '—' => '-',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// The contents list as printed: (section, title) for every item line, the one title broken
/// over two lines joined by hand.
fn toc_items() -> Vec<(String, String)> {
    let text = fixture();
    let lines: Vec<&str> = text.lines().collect();
    let mut section = String::new();
    let mut out = Vec::new();
    let mut pending = String::new();
    for l in &lines[50..130] {
        let l = l.trim_end();
        if l.is_empty() {
            continue;
        }
        let (title, page) = match l.rsplit_once('\t') {
            Some((t, p)) if p.chars().all(|c| c.is_ascii_digit()) => (t, p),
            _ => (l, ""),
        };
        if SECTIONS.contains(&title.trim()) {
            section = title.trim().to_string();
        } else if page.is_empty() {
            pending = title.to_string();
        } else {
            out.push((section.clone(), format!("{pending}{title}")));
            pending.clear();
        }
    }
    out
}

fn yaml_files(dir: &Path) -> Vec<BTreeMap<String, Value>> {
    text_files(dir)
        .values()
        .map(|s| {
            let s = s.strip_prefix("---\n").map_or(s.as_str(), |r| {
                r.split_once("\n---\n").map_or(r, |(front, _)| front)
            });
            serde_yaml::from_str(s).expect("yaml")
        })
        .collect()
}

fn s<'a>(m: &'a BTreeMap<String, Value>, k: &str) -> &'a str {
    m.get(k).and_then(Value::as_str).unwrap_or("")
}

#[test]
fn imports_exactly_the_contents_items_each_in_its_section() {
    let site = SiteTest::empty();
    let report = import(&site, false);
    assert_eq!(
        report.written.len(),
        1 + 57 + 6 + 4 + report.proposed.len(),
        "{report}"
    );
    for path in &report.written {
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let ok = stem
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        assert!(ok && stem.len() <= 60, "slug {stem}");
    }
    let content = site.root().join("content");
    let articles = yaml_files(&content.join("articles/xinxi-zhaibian-2024-07"));
    let rankings = yaml_files(&content.join("rankings/xinxi-zhaibian-2024-07"));
    let mut got: Vec<(String, String)> = articles
        .iter()
        .chain(rankings.iter())
        .map(|m| (s(m, "section").to_string(), key(s(m, "title"))))
        .collect();
    let mut want: Vec<(String, String)> = toc_items()
        .into_iter()
        .map(|(sec, t)| (sec, key(&t)))
        .collect();
    assert_eq!(want.len(), 63);
    got.sort();
    want.sort();
    assert_eq!(got, want);

    for a in &articles {
        assert_eq!(s(a, "issue"), "xinxi-zhaibian/2024-07");
        assert!(!s(a, "source").is_empty());
        let date = s(a, "date");
        assert!(("2024-06-01".."2024-07-31").contains(&date), "{date}");
        // The text gives a link for every article except the foreign-press and research pieces.
        let has_url = s(a, "url").starts_with("https://mp.weixin.qq.com/s/");
        assert_eq!(
            has_url,
            !["国际视野", "国研专稿"].contains(&s(a, "section")),
            "{a:?}"
        );
        let keys: Vec<&str> = a.keys().map(String::as_str).collect();
        assert!(keys
            .iter()
            .all(
                |k| ["title", "date", "source", "url", "issue", "section", "policies"].contains(k)
            ));
    }
    let find = |t: &str| {
        articles
            .iter()
            .find(|a| s(a, "title") == t)
            .unwrap_or_else(|| panic!("no article {t}"))
    };
    let a = find("两部门：进一步支持专精特新中小企业高质量发展");
    assert_eq!((s(a, "source"), s(a, "date")), ("新京报", "2024-06-19"));
    assert_eq!(
        s(a, "url"),
        "https://mp.weixin.qq.com/s/3FJ2eIXXXcqBSK7zkP57Gg"
    );
    assert_eq!(s(a, "section"), "热点关注");
    let a = find("美企报告预测：2030 年中国汽车品牌 全球市占率将达 33%");
    assert_eq!((s(a, "source"), s(a, "date")), ("参考消息网", "2024-07-03"));
    assert_eq!(s(a, "section"), "国际视野");
    let a = find("报告显示：东盟今年仍将是最大的贸易伙伴");
    assert_eq!(s(a, "source"), "PR Newswire-Chinese");
    let a = find("我国高技术产业技术创新发展现状及对策研究");
    assert_eq!(
        (s(a, "source"), s(a, "date")),
        ("《产业追踪》", "2024-07-02")
    );
    let a = find("江苏：14 只产业专项基金集中签约！战略性新兴产业母基金进入“实操阶段”");
    assert_eq!(
        s(a, "url"),
        "https://mp.weixin.qq.com/s/kAOYpMBjzI5fnrkxzTMTNw"
    );
}

#[test]
fn the_issue_file_carries_the_masthead() {
    let site = SiteTest::empty();
    import(&site, false);
    let text = std::fs::read_to_string(
        site.root()
            .join("content/issues/xinxi-zhaibian/2024-07.yaml"),
    )
    .expect("issue");
    let keys: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with([' ', '-']))
        .filter_map(|l| l.split(':').next())
        .collect();
    assert_eq!(
        keys,
        [
            "series",
            "title",
            "month",
            "number",
            "total_number",
            "period",
            "publisher",
            "editors",
            "sections",
            "contents"
        ]
    );
    let m: BTreeMap<String, Value> = serde_yaml::from_str(&text).expect("yaml");
    assert_eq!(s(&m, "series"), "信息摘编");
    assert_eq!(s(&m, "month"), "2024-07");
    assert_eq!(m["number"].as_u64(), Some(7));
    assert_eq!(m["total_number"].as_u64(), Some(37));
    assert_eq!(m["period"]["from"].as_str(), Some("2024-06-16"));
    assert_eq!(m["period"]["to"].as_str(), Some("2024-07-15"));
    let sections: Vec<&str> = m["sections"]
        .as_sequence()
        .expect("sections")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(sections, SECTIONS);
    assert_eq!(m["editors"].as_sequence().map(Vec::len), Some(4));
}

#[test]
fn six_rankings_and_the_unicorn_top_ten() {
    let site = SiteTest::empty();
    import(&site, false);
    let rankings = yaml_files(&site.root().join("content/rankings/xinxi-zhaibian-2024-07"));
    assert_eq!(rankings.len(), 6);
    for r in &rankings {
        assert_eq!(s(r, "section"), "企业排行榜");
        assert_eq!(r["complete"].as_bool(), Some(false));
        assert!(!s(r, "summary").is_empty());
        assert!(!s(r, "summary").contains("附："));
        assert!(s(r, "url").starts_with("https://mp.weixin.qq.com/s/"));
    }
    let unicorn = rankings
        .iter()
        .find(|r| s(r, "title") == "2023 年中国独角兽企业排行榜（附完整榜单）")
        .expect("unicorn ranking");
    assert_eq!(
        (s(unicorn, "publisher"), s(unicorn, "date")),
        ("中商情报网", "2024-06-18")
    );
    let entries: Vec<(u64, &str)> = unicorn["entries"]
        .as_sequence()
        .expect("entries")
        .iter()
        .map(|e| {
            (
                e["rank"].as_u64().unwrap_or(0),
                e["name"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        entries,
        [
            (1, "抖音"),
            (2, "SHEIN"),
            (3, "京东科技"),
            (4, "微众银行"),
            (5, "长鑫科技"),
            (6, "菜鸟网络"),
            (7, "广汽埃安"),
            (8, "元气森林"),
            (9, "小红书"),
            (10, "极氪汽车"),
            (10, "货拉拉"),
        ]
    );
    let others_with_entries = rankings
        .iter()
        .filter(|r| r.contains_key("entries"))
        .count();
    assert_eq!(
        others_with_entries, 1,
        "only the unicorn ranking names entries"
    );
}

#[test]
fn four_books() {
    let site = SiteTest::empty();
    import(&site, false);
    let books = yaml_files(&site.root().join("content/books/xinxi-zhaibian-2024-07"));
    assert_eq!(books.len(), 4);
    let find = |t: &str| books.iter().find(|b| s(b, "title") == t).expect("book");
    let b = find("繁荣与停滞");
    let authors: Vec<&str> = b["authors"]
        .as_sequence()
        .expect("authors")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(authors, ["伊藤隆敏", "星岳雄"]);
    assert_eq!(s(b, "publisher"), "中信出版社");
    assert_eq!(s(b, "published"), "2022-09");
    assert!(s(b, "summary").starts_with("本书深入、细致、全面地介绍了日本经济"));
    assert!(s(b, "reason").starts_with("严谨的学术训练和丰富的政策经验"));
    assert_eq!(s(b, "date"), "2024-07-15");
    let expected = [
        ("元宇宙", "机械工业出版社", "2022-05"),
        ("赋能型领导", "中信出版集团", "2022-10"),
        ("新定位时代", "上海三联书店", "2022-08"),
    ];
    for (title, publisher, month) in expected {
        let b = find(title);
        assert_eq!((s(b, "publisher"), s(b, "published")), (publisher, month));
        assert!(!s(b, "summary").is_empty() && !s(b, "reason").is_empty());
        assert!(!b["authors"].as_sequence().expect("authors").is_empty());
    }
}

#[test]
fn a_second_run_changes_nothing_and_lists_what_it_skipped() {
    let site = SiteTest::empty();
    let first = import(&site, false);
    let before = site.text_files("");
    let second = import(&site, false);
    assert!(second.written.is_empty() && second.overwritten.is_empty());
    // The drafts are not planned again: they are matched as existing policies.
    let drafts: Vec<&PathBuf> = first.proposed.iter().map(|(p, _)| p).collect();
    let not_drafts: Vec<PathBuf> = first
        .written
        .iter()
        .filter(|p| !drafts.contains(p))
        .cloned()
        .collect();
    assert_eq!(second.skipped, not_drafts);
    assert_eq!(second.matched.len(), first.proposed.len());
    assert!(second.proposed.is_empty());
    assert_eq!(
        site.text_files(""),
        before,
        "no file changed, no temp file left"
    );
    let shown = second.to_string();
    assert!(shown.starts_with("skipped 68 files"), "{shown}");
    assert!(shown.contains("2024-06-19-jin-yi-bu-zhi-chi-zhuan.md"));
}

#[test]
fn edited_files_are_kept_unless_forced() {
    let site = SiteTest::empty();
    let first = import(&site, false);
    let edited = first.written[1].clone();
    let original = std::fs::read_to_string(&edited).expect("read");
    std::fs::write(&edited, "edited by hand\n").expect("write");
    let again = import(&site, false);
    assert!(again.skipped.contains(&edited));
    assert_eq!(
        std::fs::read_to_string(&edited).expect("read"),
        "edited by hand\n"
    );
    let forced = import(&site, true);
    assert_eq!(forced.overwritten.len(), 68);
    assert!(forced.written.is_empty() && forced.skipped.is_empty());
    assert_eq!(std::fs::read_to_string(&edited).expect("read"), original);
}

/// Imports a damaged copy of the fixture; returns the error and asserts nothing was written.
fn import_damaged(damage: impl Fn(Vec<&str>) -> Vec<String>) -> ImportError {
    let text = fixture();
    let lines: Vec<&str> = text.lines().collect();
    let (input, site) = (SiteTest::empty(), SiteTest::empty());
    let input = input.root().join("damaged.txt");
    std::fs::write(&input, damage(lines).join("\n")).expect("write");
    let err = import_file(&input, &site.import_options(false)).expect_err("must fail");
    assert!(site.text_files("").is_empty(), "nothing written on error");
    assert!(parse(&std::fs::read_to_string(&input).expect("read")).is_err());
    err
}

#[test]
fn no_table_of_contents_is_an_error_at_the_first_article() {
    let err = import_damaged(|lines| {
        lines
            .iter()
            .filter(|l| !l.starts_with("目录"))
            .map(|l| l.to_string())
            .collect()
    });
    let msg = err.to_string();
    assert!(msg.contains("no table of contents"), "{msg}");
    // The contents lines are now the top of the text; the first article title is at line 131 (one line up).
    assert_eq!(err.lines(), vec![131], "{msg}");
}

#[test]
fn an_article_without_a_source_line_is_an_error_naming_its_line() {
    let err = import_damaged(|lines| {
        lines
            .iter()
            .map(|l| {
                if *l == "人民网 2024-06-20" {
                    String::new()
                } else {
                    l.to_string()
                }
            })
            .collect()
    });
    let msg = err.to_string();
    assert!(
        msg.contains("line 146: article `证监会：发布“科创板八条” 为新质生产力营造良好投融资环境` has no source line (expected `<outlet> YYYY-MM-DD`)"),
        "{msg}"
    );
}

#[test]
fn a_section_not_in_the_table_of_contents_is_an_error() {
    let err = import_damaged(|lines| {
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                if i == 1792 {
                    "新书速递".to_string()
                } else {
                    l.to_string()
                }
            })
            .collect()
    });
    let msg = err.to_string();
    assert!(
        msg.contains("line 1793: section `新书速递` is not in the table of contents"),
        "{msg}"
    );
}

#[test]
fn policy_documents_are_returned_with_their_articles() {
    let b = parse(&fixture()).expect("parse");
    let docs = b.policy_documents();
    let (title, names) = docs[0];
    assert_eq!(title, "两部门：进一步支持专精特新中小企业高质量发展");
    assert_eq!(names, ["关于进一步支持专精特新中小企业高质量发展的通知"]);
    let pv = docs
        .iter()
        .find(|(t, _)| t.starts_with("工信部：出台新规加速光伏"))
        .expect("photovoltaic");
    assert_eq!(pv.1.len(), 2);
    let body = &b.articles[0].body;
    assert!(
        body.ends_with("附：《关于进一步支持专精特新中小企业高质量发展的通知》"),
        "{body}"
    );
}

#[test]
fn bad_options_are_refused_before_reading() {
    let mut o = SiteTest::empty().import_options(false);
    o.series = "Xinxi Zhaibian".into();
    let err = import_file(Path::new(FIXTURE), &o).expect_err("bad series");
    assert!(err.to_string().contains("--series"));
}

#[test]
fn damaged_inputs_never_panic() {
    let text = fixture();
    let lines: Vec<&str> = text.lines().collect();
    for cut in (0..lines.len()).step_by(97) {
        // Truncated text, and the text with one line dropped.
        let _ = parse(&lines[..cut].join("\n"));
        let dropped: Vec<&str> = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != cut)
            .map(|(_, l)| *l)
            .collect();
        let _ = parse(&dropped.join("\n"));
    }
    let _ = parse("");
    let _ = parse("目录\n\n新京报 2024-06-19\n");
    let _ = parse("标题\n新京报 2024-13-45\n");
}

/// The command as an editor runs it: import, then the imported issue checks and builds.
#[test]
fn imported_issue_checks_and_builds() {
    let site = SiteTest::new();
    let fixture = crate::support::repo().join(FIXTURE);
    let run = site.run(&[
        "import",
        fixture.to_str().expect("utf8"),
        "--series",
        "xinxi-zhaibian",
        "--id",
        "2024-07",
    ]);
    run.ok();
    assert!(
        run.stderr()
            .contains("content/issues/xinxi-zhaibian/2024-07.yaml"),
        "{}",
        run.stderr()
    );
    // The draft policies are refused until confirmed (tests/it/import_policies.rs), then the
    // issue checks and builds.
    site.run(&["check"]).fails_with(1);
    for e in walkdir::WalkDir::new(site.root().join("content/policies")) {
        let e = e.expect("walk");
        if e.file_type().is_file() {
            let text = std::fs::read_to_string(e.path()).expect("read");
            std::fs::write(e.path(), crate::import_policies::confirm(&text)).expect("write");
        }
    }
    site.run(&["check"]).ok();
    site.build().ok();
    let issue = site.read("issues/xinxi-zhaibian/2024-07/index.html");
    assert!(
        issue.contains("两部门: 进一步支持专精特新中小企业高质量发展")
            || issue.contains("两部门：进一步支持专精特新中小企业高质量发展"),
        "{issue}"
    );
    // A second run writes nothing and says what it skipped.
    let again = site.run(&[
        "import",
        fixture.to_str().expect("utf8"),
        "--series",
        "xinxi-zhaibian",
        "--id",
        "2024-07",
    ]);
    again.ok();
    again.stderr_has("skipped");
    // A malformed file is refused with its line and a non-zero exit.
    site.write("bad.txt", "信息摘编\n\n两部门：标题\n\n正文没有来源行。\n");
    let bad = site.run(&[
        "import",
        site.root().join("bad.txt").to_str().expect("utf8"),
        "--series",
        "x",
        "--id",
        "y",
    ]);
    let err = bad.fails_with(1);
    assert!(err.contains("line"), "{err}");
}

/// A bad `--series` or `--id` is a usage error (exit 2), refused before anything is read or
/// written.
#[test]
fn bad_series_or_id_exits_with_the_usage_code() {
    let site = SiteTest::new();
    let fixture = crate::support::repo().join(FIXTURE);
    let before = crate::support::snapshot_dir(site.root());
    for (series, id) in [
        ("../x", "2024-07"),
        ("../../../evil", "2024-07"),
        ("a/b", "2024-07"),
        ("", "2024-07"),
        ("UPPER", "2024-07"),
        ("中文", "2024-07"),
        // What `check` would then refuse as a slug (one rule for both).
        ("a--b", "2024-07"),
        ("-a", "2024-07"),
        ("xinxi-zhaibian", "2024--07"),
        ("xinxi-zhaibian", "../../x"),
        ("xinxi-zhaibian", "2024/07"),
    ] {
        let run = site.run(&[
            "import",
            fixture.to_str().expect("utf8"),
            "--series",
            series,
            "--id",
            id,
        ]);
        let err = run.fails_with(2);
        assert!(err.contains("--series") || err.contains("--id"), "{err}");
    }
    assert_eq!(crate::support::snapshot_dir(site.root()), before);
}

/// Reads are bounded: a device, a pipe or a file over 64 MiB is refused at once with a clear
/// error, never read until memory runs out (or, for a pipe, waited on forever).
#[test]
fn devices_pipes_and_huge_files_are_refused_at_once() {
    let site = SiteTest::new();
    let before = crate::support::snapshot_dir(site.root());
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("pipe.txt");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let huge = dir.path().join("huge.txt");
    let f = std::fs::File::create(&huge).expect("create");
    f.set_len(65 * 1024 * 1024).expect("sparse file");
    for (input, why) in [
        (PathBuf::from("/dev/zero"), "not a regular file"),
        (fifo, "not a regular file"),
        (huge, "larger than 64 MiB"),
    ] {
        let run = site.run(&[
            "import",
            input.to_str().expect("utf8"),
            "--series",
            "xinxi-zhaibian",
            "--id",
            "2024-08",
        ]);
        let err = run.fails_with(1);
        assert!(
            err.contains(why) && err.contains(input.to_str().expect("utf8")),
            "{err}"
        );
    }
    assert_eq!(crate::support::snapshot_dir(site.root()), before);
}
