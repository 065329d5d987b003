//! The shipped months' digests, part by part: the overview, policies by level, rankings with
//! their ties, products by category, the subject; the text part at 80 columns, snapshotted.

use super::*;
use crate::support::SiteTest;

/// The HTML part, the text part and what the command said, of the shipped `month`.
fn shipped(month: &str) -> (String, String, String) {
    let site = SiteTest::shipped();
    let out = site.root().join("preview");
    let run = digest(&site, &[month, "--out", out.to_str().expect("utf8")], None);
    run.ok();
    (
        read(&out.join("email.html")),
        read(&out.join("email.txt")),
        run.stderr(),
    )
}

/// Display columns of a line: Chinese (wide) characters take two.
fn columns(line: &str) -> usize {
    line.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF => 2,
            0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

#[test]
fn july_digest_opens_with_the_overview_and_keeps_every_part_short() {
    let (html, _, out) = shipped("2024-07");
    let pos = |s: &str| {
        html.find(s)
            .unwrap_or_else(|| panic!("email.html lacks {s}"))
    };
    // Subject: the point within a phone inbox's 18 characters.
    assert!(
        out.contains("【信息摘编】7月摘要：30项政策、6个榜单、4本书"),
        "{out}"
    );
    // The overview first: the web link, the period from the issue, the counts.
    assert!(pos("在网页上阅读本期") < pos("本期导读"));
    assert!(pos("本期导读") < pos("本期政策"));
    assert!(html.contains("本期收录 2024年6月16日—7月15日"));
    assert!(html.contains("30项政策 · 6个榜单 · 4本书"));
    assert!(
        !html.contains("本月政策"),
        "the policies are the issue's, not the month's"
    );
    // Policies by level, in order, each with 阅读全文.
    let levels: Vec<usize> = ["国家（19项）", "省级（9项）", "市级（1项）", "区县（1项）"]
        .iter()
        .map(|l| pos(l))
        .collect();
    assert!(levels.windows(2).all(|w| w[0] < w[1]), "{levels:?}");
    assert!(html.matches(">阅读全文</a>").count() >= 30);
    // The summary of 关于开展“网络去 NAT”… was 20 lines; now cut at a clause end.
    assert!(!html.contains("各省（区、市）有关部门要推动属地终端设备制造企业"));
    // A ranking cut at ten names its hidden tie; one without entries brings one line, not its
    // commentary.
    assert!(html.contains("极氪汽车</td>") && !html.contains("货拉拉</td>"));
    assert!(
        html.contains("另有 1 项（并列第十：货拉拉）"),
        "the tie is named"
    );
    assert!(html.matches("原刊未以文字形式给出榜单").count() == 5);
    assert!(
        !html.contains("智慧社区是未来城市发展的重要方向"),
        "a ranking without entries brings its commentary"
    );
}

#[test]
fn may_digest_has_its_products_by_category() {
    let (html, _, out) = shipped("2024-05");
    assert!(
        out.contains("【信息摘编】5月摘要：83项政策、62项金融产品"),
        "{out}"
    );
    assert!(html.contains("83项政策 · 62项金融产品"));
    let pos = |s: &str| {
        html.find(s)
            .unwrap_or_else(|| panic!("email.html lacks {s}"))
    };
    assert!(pos("本期政策") < pos("金融产品</h2>"));
    for c in [
        "信贷业务（26项）",
        "中间业务（17项）",
        "金融科技（12项）",
        "其他业务（7项）",
    ] {
        assert!(html.contains(c), "lacks {c}");
    }
    assert!(html.contains(&format!("href=\"{BASE}products/category/credit/\"")));
    // 83 policies: each level's newest ten with excerpts, the rest by title.
    assert!(html.contains("国家（41项）") && html.contains("其余31项"));
    // Region is not repeated when it only repeats the issuer.
    assert!(!html.contains("贵州省 · 2024年5月31日 · 省级 · 贵州省"));
}

#[test]
fn text_part_has_the_same_structure_within_80_columns() {
    let (_, text, _) = shipped("2024-07");
    let text = text.as_str();
    for l in text.lines() {
        // A URL longer than the line keeps its own line whole.
        assert!(
            columns(l) <= 80 || (l.trim_start().starts_with("https://") && !l.trim().contains(' ')),
            "{} columns: {l}",
            columns(l)
        );
    }
    let pos = |s: &str| {
        text.find(s)
            .unwrap_or_else(|| panic!("email.txt lacks {s}"))
    };
    assert!(pos("本期导读") < pos("本期政策"));
    assert!(pos("【国家】19项") < pos("【省级】9项"));
    assert!(pos("本期政策") < pos("排行榜 ====") && pos("排行榜 ====") < pos("图书推荐 ===="));
    insta::assert_snapshot!("july_text", text);
}

#[test]
fn editors_picks_lead_the_overview_and_unknown_ones_are_errors() {
    let site = crate::support::SiteTest::fixture();
    site.write(
        "content/digests/2024-07.md",
        "---\npicks:\n  - books/shuzi-jingji\n  - rankings/2023-dujiaoshou\n---\n本月重点。\n",
    );
    let out = site.root().join("out");
    digest(
        &site,
        &["2024-07", "--out", out.to_str().expect("utf8")],
        None,
    )
    .ok();
    let html = read(&out.join("email.html"));
    let pos = |s: &str| {
        html.find(s)
            .unwrap_or_else(|| panic!("email.html lacks {s}"))
    };
    assert!(pos("编辑推荐") < pos(&format!("href=\"{BASE}books/shuzi-jingji/\"")));
    assert!(pos("数字经济通识</a></li>") < pos("2023年中国独角兽企业排行榜</a></li>"));
    assert!(
        !html.contains("本期要点"),
        "the editor's picks replace the default ones"
    );
    assert!(pos("2023年中国独角兽企业排行榜</a></li>") < pos("本期政策"));
    // A pick that names no item, and one that is no item name at all.
    site.write(
        "content/digests/2024-07.md",
        "---\npicks:\n  - books/shuzi-jingji\n  - policies/no-such-policy\n---\n",
    );
    let err = digest(
        &site,
        &["2024-07", "--out", out.to_str().expect("utf8")],
        None,
    )
    .fails_with(1);
    assert!(
        err.contains("content/digests/2024-07.md:4") && err.contains("no such item"),
        "{err}"
    );
    site.write(
        "content/digests/2024-07.md",
        "---\npicks:\n  - polices/x\n---\n",
    );
    let err = site.run(&["check"]).fails_with(1);
    assert!(
        err.contains("content/digests/2024-07.md:3") && err.contains("invalid pick `polices/x`"),
        "{err}"
    );
}

#[test]
fn an_issue_without_policies_brings_its_articles() {
    let site = crate::support::SiteTest::fixture();
    site.write(
        "content/issues/chanye/2024-08.yaml",
        "series: 产业报道\ntitle: 头版（2024年8月）\nmonth: 2024-08\nnumber: \"2024-08\"\nperiod: {from: 2024-08-01, to: 2024-08-31}\n",
    );
    for (slug, title) in [("toutiao-yi", "头条一"), ("toutiao-er", "头条二")] {
        site.write(
            &format!("content/articles/chanye-2024-08/{slug}.md"),
            &format!("---\ntitle: {title}\ndate: 2024-08-02\nsource: 产业报\nissue: chanye/2024-08\n---\n正文。\n"),
        );
    }
    let out = site.root().join("out");
    let run = digest(
        &site,
        &["2024-08", "--out", out.to_str().expect("utf8")],
        None,
    );
    run.ok();
    run.stderr_has("【信息摘编资料库】8月摘要：2篇文章");
    let html = read(&out.join("email.html"));
    for s in [
        "本期收录 2024年8月1日—8月31日",
        "2篇文章",
        "头版（2024年8月）（2篇）",
        "头条一</a>",
        "产业报 · 2024年8月2日",
    ] {
        assert!(html.contains(s), "email.html lacks {s}");
    }
    // Parts with nothing are left out.
    for s in ["本期政策", "排行榜</h2>", "图书推荐</h2>", "金融产品</h2>"] {
        assert!(!html.contains(s), "email.html has an empty part {s}");
    }
    // The web archive has the month, with the same parts.
    site.build().ok();
    let page = site.read("digest/2024-08/index.html");
    assert!(
        page.contains("本期导读") && page.contains("头条二</a>"),
        "{page}"
    );
    assert!(site.read("digest/index.html").contains("文章 2 篇"));
}
