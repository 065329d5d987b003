//! Bad input found by the hostile review (issue 10, D5–D12): each case runs the real binary and
//! snapshots its whole stderr (tests/README.md says how to add a case and bless a snapshot).

use std::path::Path;

use crate::support::{require_tools, snapshot_dir, SiteTest};

const ARTICLE: &str = "content/articles/a/2024-06-19-test.md";
const ISSUE: &str = "content/issues/xinxi-zhaibian/2024-07.yaml";

fn article(front: &str) -> String {
    format!("---\n{front}---\n正文。\n")
}

/// stderr of a failed `check` (exit 1), with the temporary root replaced so snapshots are stable.
fn check_fails(site: &SiteTest) -> String {
    let err = site.run(&["check"]).fails_with(1);
    stable(site, &err)
}

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
fn every_unknown_missing_and_invalid_field_of_a_file() {
    let site = SiteTest::new();
    site.write(
        ARTICLE,
        &article("tittle: 标题\ndat: 2024-06-19\nsorce: 新京报\n"),
    );
    site.write(
        "content/rankings/r/x.yaml",
        "title: 榜单\ndate: 2024-02-30\nurl: ftp://x\nentries:\n  - {rank: 1, name: 甲}\n  - {rank: \"一\", name: 乙}\n  - {rank: -1, nme: 丙}\n",
    );
    let err = check_fails(&site);
    has(
        &err,
        &[
            "unknown field `tittle`",
            "unknown field `dat`",
            "unknown field `sorce`",
            "did you mean `source`?",
            "missing required field `publisher`",
            "missing required field `summary`",
            "invalid date `2024-02-30`",
            "invalid url `ftp://x`",
            "entries[1].rank: invalid type: string \"一\", expected a whole number",
            "x.yaml:6:12",
            "`entries[2].rank` must be 0 or more",
            "unknown field `nme`",
            "10 errors found",
        ],
    );
    assert!(!err.contains("u32") && !err.contains("u128"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn a_broken_issue_file_gives_its_own_error_only() {
    let site = SiteTest::shipped();
    let issue = std::fs::read_to_string(site.root().join(ISSUE)).expect("issue");
    // Tab-indented sub-keys of `period:`: the review's case, 98 errors before.
    let tabbed = issue.replace("\n  from:", "\n\tfrom:");
    assert_ne!(
        tabbed, issue,
        "the shipped issue file has a `period:` block"
    );
    site.write(ISSUE, &tabbed);
    let err = check_fails(&site);
    has(
        &err,
        &[
            "a tab character in the indentation",
            "YAML forbids tabs for indentation: use spaces",
            "1 error found",
        ],
    );
    insta::assert_snapshot!(err);
}

#[test]
fn an_empty_issue_file_or_a_file_for_its_series_gives_one_error() {
    let referring = |site: &SiteTest| {
        for n in 1..=3 {
            site.write(
                &format!("content/articles/a/2024-06-1{n}-a.md"),
                &article("title: t\ndate: 2024-06-19\nsource: s\nissue: xinxi-zhaibian/2024-07\nsection: 热点关注\n"),
            );
        }
    };
    let site = SiteTest::new();
    site.write(ISSUE, "");
    referring(&site);
    let err = check_fails(&site);
    has(&err, &["missing required field `series`", "4 errors found"]);
    assert!(!err.contains("unknown issue"), "{err}");
    insta::assert_snapshot!(err);

    let site = SiteTest::new();
    site.write("content/issues/xinxi-zhaibian", "series: 信息摘编\n");
    referring(&site);
    let err = check_fails(&site);
    has(&err, &["unexpected file", "1 error found"]);
    insta::assert_snapshot!("series_folder_is_a_file", err);
}

#[test]
fn a_broken_policy_gives_its_own_error_only() {
    let site = SiteTest::new();
    site.write(
        "content/policies/p/2024-07-10-wangluo.md",
        "---\ntitle: t\ndate: 2024-07-10\nissuers: [财政部]\nlevel: 国 家\nsummary: s\n---\n",
    );
    site.write(
        "content/policies/p/2024-05-06-shangwubu-lvsehua.md",
        "---\ntitle: t\ndate: 2024-05-06\nissuers: [商务部]\nlevel: 国家\nsummary: s\n---\n",
    );
    site.write(
        ARTICLE,
        &article("title: 标题\ndate: 2024-06-19\nsource: s\npolicies: [2024-07-10-wangluo, 2024-07-11-other-name]\n"),
    );
    let err = check_fails(&site);
    has(
        &err,
        &[
            "unknown level `国 家`",
            "unknown policy `2024-07-11-other-name`",
            "2 errors found",
        ],
    );
    // An implausible name is not offered.
    assert!(!err.contains("did you mean `2024-05-06"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn positions_and_hints_of_yaml_mistakes() {
    let site = SiteTest::new();
    site.with_issue();
    site.write(
        "content/articles/a/2024-06-19-dup.md",
        &article("title: 一\ndate: 2024-06-19\ntitle: 二\nsource: s\n"),
    );
    site.write(
        "content/articles/a/2024-06-19-tab.md",
        &article("title: 标题\n\tdate: 2024-06-19\nsource: s\n"),
    );
    site.write(
        "content/articles/a/2024-06-19-same.md",
        &article("title: 2024-02-30\ndate: 2024-02-30\nsource: s\n"),
    );
    site.write(
        "content/issues/other/2024-08.yaml",
        "series: 信息摘编\ntitle: 第八期\nmonth: 2024-08\nnumber: 99999999999999999999\n",
    );
    let err = check_fails(&site);
    has(
        &err,
        &[
            "duplicate field `title`",
            "2024-06-19-dup.md:4:1",
            "`title` is already given at line 2",
            "2024-06-19-tab.md:3:1",
            "YAML forbids tabs for indentation: use spaces",
            "invalid date `2024-02-30`: no such day",
            "2024-06-19-same.md:3:7",
            "`number` is too large",
            "2024-08.yaml:4:9",
        ],
    );
    assert!(!err.contains("found character"), "libyaml's words: {err}");
    insta::assert_snapshot!(err);
}

#[test]
fn values_that_mean_nothing_are_errors() {
    let site = SiteTest::new();
    let fronts = [
        ("empty", "title: \"\"\ndate: 2024-06-19\nsource: s\n"),
        ("nothing", "title:\ndate: 2024-06-19\nsource: s\n"),
        ("blank", "title: \"   \"\ndate: 2024-06-19\nsource: s\n"),
        ("tilde", "title: ~\ndate: 2024-06-19\nsource: s\n"),
        ("null", "title: t\ndate: 2024-06-19\nsource: null\n"),
        ("year0", "title: t\ndate: 0000-01-01\nsource: s\n"),
    ];
    for (slug, front) in fronts {
        site.write(
            &format!("content/articles/a/2024-06-19-{slug}.md"),
            &article(front),
        );
    }
    site.write(
        ISSUE,
        "series: 信息摘编\ntitle: 第七期\nmonth: 2024-07\nnumber: -7\nperiod:\n  from: 2024-08-16\n  to: 2024-07-15\n",
    );
    let err = check_fails(&site);
    has(
        &err,
        &[
            "2024-06-19-empty.md:2:8",
            "`title` is empty",
            "2024-06-19-blank.md:2:8",
            "2024-06-19-tilde.md:2:1",
            "`title` is empty: `~` means no value",
            "2024-06-19-null.md:4:1",
            "`source` is empty: `null` means no value",
            "there is no year 0000",
            "2024-07.yaml:4:9",
            "`number` must be 1 or more, found `-7`",
            "2024-07.yaml:6:9",
            "`period.from` (2024-08-16) is after `period.to` (2024-07-15)",
            "2024-06-19-nothing.md:2:1",
            "8 errors found",
        ],
    );
    insta::assert_snapshot!(err);
}

#[test]
fn content_bulletin_does_not_read_is_an_error() {
    let site = SiteTest::new();
    site.write(
        "content/artciles/x/2024-06-19-a.md",
        &article("title: t\ndate: 2024-06-19\nsource: s\n"),
    );
    site.write("content/site.yml", "title: t\n");
    // Files an editor may keep there.
    site.write("content/README.md", "说明\n");
    site.write("content/.gitkeep", "");
    site.write(
        "content/articles/a/2024-06-19-real.md",
        &article("title: t\ndate: 2024-06-19\nsource: s\n"),
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        site.root().join("content/articles/a/2024-06-19-real.md"),
        site.root().join("content/articles/a/2024-06-19-link.md"),
    )
    .expect("symlink");
    let err = check_fails(&site);
    has(
        &err,
        &[
            "unknown folder `content/artciles/`",
            "did you mean `articles`?",
            "unexpected file `content/site.yml`",
            "rename it to site.yaml",
            "2 errors found",
        ],
    );
    #[cfg(unix)]
    has(
        &err,
        &["warning: symbolic link skipped", "2024-06-19-link.md"],
    );
    assert!(!err.contains("README"), "{err}");
    insta::assert_snapshot!(err);

    // A file where a kind's folder should be.
    let site = SiteTest::new();
    site.write("content/articles", "not a folder\n");
    let err = check_fails(&site);
    has(
        &err,
        &[
            "`content/articles` is a file, not a folder",
            "1 error found",
        ],
    );
    insta::assert_snapshot!("kind_folder_is_a_file", err);
}

#[test]
fn terminal_escapes_from_content_are_shown_escaped() {
    let site = SiteTest::new();
    site.write(
        ARTICLE,
        &article("title: t\ndate: \"\u{1b}[2J\u{1b}]0;PWNED\u{7}2024-02-30\"\nsource: s\n"),
    );
    let err = check_fails(&site);
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    has(&err, &["\\u{1b}[2J"]);
    insta::assert_snapshot!(err);
}

#[test]
fn control_characters_are_refused_and_the_feed_stays_well_formed() {
    let site = SiteTest::new();
    site.write(ARTICLE, &article("title: t\ndate: 2024-06-19\nsource: s\n"));
    site.build().ok();
    let before = snapshot_dir(&site.out());
    site.write(
        "content/books/b/x.yaml",
        "title: \"控制\u{1}书\"\nauthors: [甲]\npublisher: 乙\npublished: 2024-01\nsummary: s\nreason: r\ndate: 2024-06-19\n",
    );
    site.write(
        ARTICLE,
        "---\ntitle: t\ndate: 2024-06-19\nsource: s\n---\n正文\n第二\u{8}行\n",
    );
    let err = check_fails(&site);
    has(
        &err,
        &[
            "content/books/b/x.yaml:1:11",
            "`title` contains the control character \\u{1}",
            "2024-06-19-test.md:7:3",
            "2 errors found",
        ],
    );
    insta::assert_snapshot!(err);
    site.build().fails_with(1);
    assert_eq!(
        before,
        snapshot_dir(&site.out()),
        "a failed build changed site/"
    );
    xmllint(&site.out().join("feed.xml"));
}

fn xmllint(file: &Path) {
    match std::process::Command::new("xmllint")
        .arg("--noout")
        .arg(file)
        .output()
    {
        Ok(o) => assert!(
            o.status.success() && o.stderr.is_empty(),
            "xmllint: {}",
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(_) if require_tools() => panic!("xmllint missing: run the README's test command"),
        Err(_) => eprintln!("xmllint not installed: skipped"),
    }
}

/// Percent-encodes like the site's links do (every byte but ASCII letters, digits and `-_.~/`).
fn href(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[test]
fn a_tag_too_long_for_a_file_name_gets_a_short_page_name() {
    let site = SiteTest::new();
    let tag = "长".repeat(100);
    site.write(
        ARTICLE,
        &article(&format!(
            "title: t\ndate: 2024-06-19\nsource: s\ntags: [{tag}]\nregions: [{tag}]\n"
        )),
    );
    site.run(&["check"]).ok();
    site.build().ok();
    let tags: Vec<String> = std::fs::read_dir(site.out().join("tags"))
        .expect("site/tags")
        .map(|e| e.expect("entry"))
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let [name] = tags.as_slice() else {
        panic!("one tag page expected: {tags:?}")
    };
    assert!(name.len() <= 255 && name.starts_with("长长长"), "{name}");
    let page = site.read(&format!("tags/{name}/index.html"));
    assert!(page.contains(&tag), "the tag page names the tag in full");
    let linking = site.read("articles/2024-06-19-test/index.html");
    assert!(
        linking.contains(&href(&format!("tags/{name}/"))),
        "the article links to the tag page"
    );
    // The same name on another run: stable.
    let again = SiteTest::new();
    again.write(
        ARTICLE,
        &article(&format!(
            "title: t\ndate: 2024-06-19\nsource: s\ntags: [{tag}]\n"
        )),
    );
    again.build().ok();
    assert!(again
        .out()
        .join("tags")
        .join(name)
        .join("index.html")
        .is_file());
}

#[cfg(unix)]
#[test]
fn a_linked_kind_folder_is_read_without_a_warning() {
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let site = SiteTest::new();
    let dir = elsewhere.path().join("articles");
    std::fs::create_dir_all(dir.join("a")).expect("mkdir");
    std::fs::write(
        dir.join("a/2024-06-19-x.md"),
        article("title: t\ndate: 2024-06-19\nsource: s\n"),
    )
    .expect("write");
    std::os::unix::fs::symlink(&dir, site.root().join("content/articles")).expect("symlink");
    let run = site.run(&["build"]);
    run.ok();
    assert!(!run.stderr().contains("warning"), "{}", run.stderr());
    assert!(site
        .out()
        .join("articles/2024-06-19-x/index.html")
        .is_file());
}

#[test]
fn a_character_reference_xml_cannot_carry_is_dropped_from_the_feed() {
    // The YAML holds no control character, but the Markdown entity decodes to one.
    let site = SiteTest::new();
    site.write(
        "content/books/b/x.yaml",
        "title: 书\nauthors: [甲]\npublisher: 乙\npublished: 2024-01\nsummary: \"简介&#1;内容&#xFFFE;\"\nreason: r\ndate: 2024-06-19\n",
    );
    site.build().ok();
    let feed = site.read("feed.xml");
    assert!(feed.contains("简介"), "{feed}");
    assert!(
        !feed.contains('\u{1}') && !feed.contains('\u{fffe}'),
        "{feed:?}"
    );
    xmllint(&site.out().join("feed.xml"));
}

/// Vocabularies for the name cases: two provinces, a city, national and local bodies.
fn with_vocab(site: &SiteTest) -> &SiteTest {
    site.write(
        "content/vocab/regions.yaml",
        "regions:\n- {name: 上海市, aliases: [上海], level: 省级}\n- {name: 福建省, aliases: [福建], level: 省级}\n- {name: 福州市, level: 地级, parent: 福建省}\n",
    )
    .write(
        "content/vocab/issuers.yaml",
        "issuers:\n- {name: 工业和信息化部, aliases: [工信部], kind: 部委}\n- {name: 福建省财政厅, kind: 地方部门, region: 福建省, short: [省财政厅]}\n",
    )
}

fn policy(front: &str) -> String {
    format!(
        "---\ntitle: 通知\ndate: 2024-06-19\nlevel: 省级\nsummary: 摘要。\n{front}---\n正文。\n"
    )
}

#[test]
fn an_unknown_region_names_the_closest_one() {
    let site = SiteTest::new();
    with_vocab(&site);
    site.write(
        "content/policies/p/x.md",
        &policy("issuers: [工信部]\nregion: 上海巿\n"),
    );
    site.write(
        ARTICLE,
        &article("title: t\ndate: 2024-06-19\nsource: s\nregions: [福建, 火星]\n"),
    );
    let err = check_fails(&site);
    has(
        &err,
        &[
            "unknown region `上海巿`",
            "x.md:7:9",
            "did you mean `上海市`?",
            "unknown region `火星`",
            "add it to content/vocab/regions.yaml",
            "2 errors found",
        ],
    );
    insta::assert_snapshot!(err);
}

#[test]
fn an_unknown_issuer_names_the_closest_one() {
    let site = SiteTest::new();
    with_vocab(&site);
    site.write(
        "content/policies/p/x.md",
        &policy("issuers: [工业和信息化布, 工信部, 工业和信息化部]\n"),
    );
    let err = check_fails(&site);
    has(
        &err,
        &[
            "unknown issuer `工业和信息化布`",
            "did you mean `工业和信息化部`?",
            "issuer `工业和信息化部` is listed twice",
            "2 errors found",
        ],
    );
    insta::assert_snapshot!(err);
}

#[test]
fn an_unqualified_department_needs_a_region_that_has_it() {
    let site = SiteTest::new();
    with_vocab(&site);
    site.write(
        "content/policies/p/none.md",
        &policy("issuers: [省财政厅]\n"),
    );
    site.write(
        "content/policies/p/shanghai.md",
        &policy("issuers: [省财政厅]\nregion: 上海\n"),
    );
    // In 福州市, which lies in 福建省, the short name resolves: no error for this one.
    site.write(
        "content/policies/p/fuzhou.md",
        &policy("issuers: [省财政厅]\nregion: 福州市\n"),
    );
    let err = check_fails(&site);
    has(
        &err,
        &[
            "none.md:6:11",
            "`省财政厅` is a local department's short name, and this policy has no `region` to say whose",
            "write the full name (e.g. `福建省财政厅`), or give the policy its `region:`",
            "no issuer of 上海市 has it",
            "`region: 上海市` and `short: [省财政厅]`",
            "2 errors found",
        ],
    );
    assert!(!err.contains("fuzhou.md"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn a_vocabulary_with_clashing_names_and_bad_parents() {
    let site = SiteTest::new();
    site.write(
        "content/vocab/regions.yaml",
        "regions:\n- {name: 上海市, aliases: [上海], level: 省级}\n- {name: 上海, level: 省级}\n- {name: 浦东新区, level: 区县, parent: 上海巿}\n- {name: 福建省, level: 省级, parent: 福州市}\n- {name: 福州市, level: 地级, parent: 福建省}\n",
    )
    .write(
        "content/vocab/issuers.yaml",
        "issuers:\n- {name: 财政部, kind: 部委}\n- {name: 福建省财政厅, kind: 地方部门, region: 福建, short: [省财政厅]}\n- {name: 财政厅, kind: 厅, short: [财政厅]}\n",
    )
    .write("content/vocab/region.yaml", "regions: []\n");
    let err = check_fails(&site);
    has(
        &err,
        &[
            "`上海` is already a name of entry 1 in `regions`",
            "unknown parent region `上海巿`",
            "did you mean `上海市`?",
            "`福建省` (省级) cannot lie in `福州市` (地级)",
            "unknown issuer kind `厅`",
            "unexpected file `content/vocab/region.yaml`",
            "did you mean `regions.yaml`?",
        ],
    );
    insta::assert_snapshot!(err);
}

#[test]
fn an_unknown_document_type_or_status() {
    let site = SiteTest::new();
    site.write(
        "content/policies/p/x.md",
        &policy("issuers: [财政部]\ndoc_type: 通告知\nstatus: 草稿\n"),
    );
    let err = check_fails(&site);
    has(
        &err,
        &[
            "unknown document type `通告知`",
            "unknown status `草稿`, expected one of 征求意见稿",
            "2 errors found",
        ],
    );
    insta::assert_snapshot!(err);
}

/// The fixture's issue with `entries` as its `contents`.
fn with_contents(site: &SiteTest, entries: &str) {
    let issue = "content/issues/xinxi-zhaibian/2024-07.yaml";
    let text = std::fs::read_to_string(site.root().join(issue)).expect("issue");
    let (head, _) = text
        .split_once("contents:")
        .expect("the fixture issue has contents");
    site.write(issue, &format!("{head}contents:\n{entries}"));
}

#[test]
fn a_contents_entry_that_names_no_item_is_an_error_at_its_line() {
    let site = SiteTest::fixture();
    with_contents(
        &site,
        "  - {item: articles/2024-06-19-zhuanjingtexn, page: 1}\n  - {item: products/2024-05-gongshang-edai}\n  - {item: books/shuzi-jingji, section: 图书推介}\n  - {item: rankings/2024-dashuju-xiaojuren}\n  - {item: rankings/2024-dashuju-xiaojuren}\n",
    );
    let err = check_fails(&site);
    has(
        &err,
        &[
            "contents entry `articles/2024-06-19-zhuanjingtexn` names no item",
            "2024-07.yaml:13:12",
            "did you mean `articles/2024-06-19-zhuanjingtexin`?",
            "`products/2024-05-gongshang-edai` is not an item of this issue",
            "section `图书推介` is not one of this issue's sections",
            "did you mean `图书推荐`?",
            "`rankings/2024-dashuju-xiaojuren` is listed twice",
            "4 errors found",
        ],
    );
    insta::assert_snapshot!(err);
}

#[test]
fn a_contents_entry_that_is_not_an_item_or_a_page_is_an_error_at_its_line() {
    let site = SiteTest::fixture();
    with_contents(
        &site,
        "  - {item: artcles/2024-07-01-lidian-guifan}\n  - {item: rankings/2023-dujiaoshou, page: 0}\n  - {page: 3}\n",
    );
    let err = check_fails(&site);
    has(
        &err,
        &[
            "invalid item `artcles/2024-07-01-lidian-guifan`",
            "did you mean `articles/2024-07-01-lidian-guifan`?",
            "invalid page `0`",
            "missing required field `item`",
        ],
    );
    insta::assert_snapshot!(err);
}

/// A content file saved in GB18030 (GBK) or UTF-16 is named by the encoding it looks like, at
/// the line of its first byte that is not UTF-8, with the command that converts it; damaged UTF-8
/// is not taken for another encoding.
#[test]
fn a_content_file_not_in_utf8_names_the_encoding_it_looks_like() {
    let site = SiteTest::new();
    let text =
        article("title: 两部门：进一步支持专精特新中小企业\ndate: 2024-06-19\nsource: 新京报\n");
    let (gb, _, _) = encoding_rs::GB18030.encode(&text);
    site.write_bytes(ARTICLE, &gb);
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    site.write_bytes("content/articles/a/2024-06-19-utf16.md", &utf16);
    let mut damaged = text.clone().into_bytes();
    let at = damaged.len() - 4;
    damaged[at] = 0xb1;
    site.write_bytes("content/articles/a/2024-06-19-damaged.md", &damaged);
    let err = check_fails(&site);
    has(
        &err,
        &[
            "2024-06-19-test.md:2:8",
            "it looks like GB18030",
            "iconv -f GB18030 -t UTF-8",
            "2024-06-19-utf16.md:1:1",
            "it looks like UTF-16LE",
            "iconv -f UTF-16LE -t UTF-8",
            "2024-06-19-damaged.md:6:3",
            "a byte here is damaged",
        ],
    );
    insta::assert_snapshot!(err);
}
