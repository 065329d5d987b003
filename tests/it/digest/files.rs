//! The three files of `--out`: content, layout, mail-client support, determinism, MIME; and the
//! web archive.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use super::*;
use crate::support::{bin, repo, Run, SiteTest};

/// Writes the digest preview of `month` into `ROOT/preview`; returns that folder.
fn preview(site: &SiteTest, month: &str) -> std::path::PathBuf {
    let out = site.root().join("preview");
    digest(site, &[month, "--out", out.to_str().expect("utf8")], None).ok();
    out
}

#[test]
fn out_writes_html_text_and_message() {
    let site = SiteTest::fixture();
    with_note(&site);
    let out = preview(&site, "2024-07");
    let html = read(&out.join("email.html"));
    let text = read(&out.join("email.txt"));
    assert!(out.join("message.eml").is_file());
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(out.join("email.html"))
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o777,
            0o644,
            "the preview must be readable by others"
        );
    }
    // The overview with the note, then the three sections in order, each with the month's
    // items. The policies are the issue's (本期), not the month's: some are dated June.
    let pos = |s: &str| {
        html.find(s)
            .unwrap_or_else(|| panic!("email.html lacks {s}"))
    };
    assert!(!html.contains("本月政策"), "the month is the issue's");
    assert!(pos("本期导读") < pos("本月重点见"));
    assert!(pos("本月重点见") < pos("本期政策") && pos("本期政策") < pos("排行榜</h2>"));
    assert!(pos("排行榜</h2>") < pos("图书推荐</h2>"));
    for s in [
        "关于进一步支持专精特新中小企业高质量发展的通知",
        "财政部、工业和信息化部",
        "2024年6月19日",
        "国家",
        "2023年中国独角兽企业排行榜",
        "字节跳动</td>",
        "估值（亿美元）",
        "原刊未以文字形式给出榜单",
        "href=\"https://example.org/bigdata-50\"",
        "数字经济通识",
        "某作者 · 某出版社 · 2024年1月",
        "推荐理由",
        "财政奖补支持“小巨人”企业",
        "<meta name=\"color-scheme\" content=\"light dark\">",
        "<title>七月摘要：专精特新新政</title>",
    ] {
        assert!(html.contains(s), "email.html lacks {s}");
    }
    // The policy from 2024-05 belongs to another month's digest.
    assert!(!html.contains("上海市推进产业链供应链金融服务的措施"));
    // Sanitised like the site: nothing that runs.
    for bad in ["<script", "onerror", "javascript:", "alert("] {
        assert!(!html.contains(bad), "email.html contains {bad}");
        assert!(!text.contains(bad), "email.txt contains {bad}");
    }
    // Every link is absolute: under base_url (with its path), an external https page, or mail.
    let links = hrefs(&html);
    assert!(links.len() > 8, "{links:?}");
    for l in &links {
        assert!(
            l.starts_with(BASE) || l.starts_with("https://example.org/"),
            "link not absolute under the site: {l}"
        );
    }
    assert!(links.contains(&format!("{BASE}policies/2024-06-zhuanjingtexin-tongzhi/")));
    assert!(links.contains(&format!("{BASE}books/shuzi-jingji/")));
    assert!(links.contains(&format!("{BASE}digest/2024-07/")));
    // The text part reads on its own, links written out.
    for s in [
        "七月",
        "======== 本期政策 ========",
        "1. 关于进一步支持专精特新中小企业高质量发展的通知",
        &format!("链接：{BASE}policies/2024-06-zhuanjingtexin-tongzhi/"),
        "  1. 字节跳动（估值（亿美元）：2250）",
        "《数字经济通识》",
        &format!("通知 <{BASE}policies/2024-06-zhuanjingtexin-tongzhi/>"),
        "退订：https://intranet.example/bulletin/unsubscribe",
    ] {
        // Wrapped at 80 columns: a link may go to the line after its label.
        let joined = text.replace("\n<", " <");
        assert!(joined.contains(s), "email.txt lacks {s}:\n{text}");
    }
}

#[test]
fn email_html_is_inlined_table_layout_at_most_640px() {
    let site = SiteTest::fixture();
    let out = preview(&site, "2024-07");
    let html = read(&out.join("email.html"));
    let lower = html.to_lowercase();
    for tag in ["<link", "<script"] {
        assert!(!lower.contains(tag), "email.html contains {tag}");
    }
    // One <style> is kept, in <head>, with nothing but @media rules (phone gutters, dark
    // palette): clients that drop it still get every inlined style.
    assert_eq!(lower.matches("<style").count(), 1, "one <style> block");
    let style = &html[html.find("<style>").expect("style")..html.find("</style>").expect("end")];
    assert!(
        html.find("<style>") < html.find("</head>"),
        "the <style> is in <head>"
    );
    let outside_media = regex::Regex::new(r"(?s)@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}")
        .expect("regex")
        .replace_all(&style["<style>".len()..], "");
    assert!(
        outside_media.trim().is_empty(),
        "rules outside @media: {outside_media}"
    );
    assert!(
        style.contains("@media (max-width: 480px)") && style.contains("prefers-color-scheme: dark")
    );
    assert!(
        !lower.contains("class=\"container\">"),
        "styles were not inlined"
    );
    // Layout: a full-width presentation table holding a 640px container, capped by max-width.
    let container = regex::Regex::new(
        r#"<table class="container" role="presentation"[^>]* width="640"[^>]* style="max-width: 640px;width: 100%;"#,
    )
    .expect("regex");
    assert!(container.is_match(&html), "no 640px container table");
    assert!(html.contains("<table class=\"outer\" role=\"presentation\""));
    assert!(
        !lower.contains("<div class=\"container"),
        "layout must use tables"
    );
    // Nothing is wider than 640px, as attribute or style.
    let attr = regex::Regex::new(r#"width="(\d+)""#).expect("regex");
    for c in attr.captures_iter(&html) {
        assert!(c[1].parse::<u32>().expect("n") <= 640, "width={}", &c[1]);
    }
    let css = regex::Regex::new(r"width:\s*(\d+)px").expect("regex");
    for c in css.captures_iter(&html) {
        assert!(c[1].parse::<u32>().expect("n") <= 640, "width: {}px", &c[1]);
    }
    // Styles are inlined where they apply.
    assert!(html.contains("<h2 class=\"section-title\" style=\""));
    assert!(html.contains("<div class=\"preheader\" style=\"display: none;"));
}

#[test]
fn email_css_is_supported_by_gmail_outlook_and_apple_mail() {
    let module = repo().join("node_modules/doiuse-email");
    if !has_tool("npm doiuse-email", module.is_dir()) {
        return;
    }
    let site = SiteTest::fixture();
    with_note(&site);
    let out = preview(&site, "2024-07");
    // The inlined HTML, as a client that drops <style> sees it, is held to the same list as
    // before the @media block existed; the whole e-mail adds only `@media` itself.
    let html = read(&out.join("email.html"));
    let (head, rest) = html.split_once("<style>").expect("style");
    let inlined = format!("{head}{}", rest.split_once("</style>").expect("end").1);
    let bare = out.join("inlined.html");
    std::fs::write(&bare, inlined).expect("write");
    let errors = |file: &Path| -> Vec<String> {
        let run = Command::new("node")
            .arg(repo().join("tests/tools/check_email_css.mjs"))
            .arg(file)
            .output()
            .expect("node");
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let report: Value = serde_json::from_slice(&run.stdout).expect("json");
        report["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| e.as_str().expect("str").to_string())
            .collect()
    };
    // Accepted: the preheader's hiding (display:none, opacity, overflow) degrades to a tiny
    // line where unsupported; Outlook's mobile apps replace <body>; `role` is only ignored.
    let accepted = [
        "`<body> element`",
        "`display:none`",
        "`overflow`",
        "`opacity`",
        "`role attribute`",
    ];
    for e in errors(&bare) {
        assert!(
            accepted.iter().any(|a| e.starts_with(a)),
            "unsupported in a common mail client: {e}"
        );
    }
    let whole = errors(&out.join("email.html"));
    for e in &whole {
        assert!(
            accepted.iter().any(|a| e.starts_with(a)) || e.starts_with("`@media`"),
            "unsupported in a common mail client: {e}"
        );
    }
    assert!(
        whole.iter().any(|e| e.starts_with("`@media`")),
        "the checker sees the @media block"
    );
}

#[test]
fn output_is_deterministic() {
    let site = SiteTest::fixture();
    with_note(&site);
    let a = site.root().join("a");
    let b = site.root().join("b");
    let run = |dir: &Path, epoch: Option<&str>| {
        let mut cmd = bin();
        cmd.arg("--root")
            .arg(site.root())
            .args(["digest", "2024-07", "--out"])
            .arg(dir);
        match epoch {
            Some(e) => cmd.env("SOURCE_DATE_EPOCH", e),
            None => cmd.env_remove("SOURCE_DATE_EPOCH"),
        };
        Run(cmd.output().expect("run")).ok();
    };
    run(&a, None);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    run(&b, None);
    for f in ["email.html", "email.txt"] {
        assert_eq!(
            std::fs::read(a.join(f)).expect("a"),
            std::fs::read(b.join(f)).expect("b"),
            "{f}"
        );
    }
    // message.eml differs only in Date, which SOURCE_DATE_EPOCH fixes.
    let strip = |p: &Path| {
        read(p)
            .lines()
            .filter(|l| !l.starts_with("Date: "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(&a.join("message.eml")), strip(&b.join("message.eml")));
    run(&a, Some("1721980800"));
    run(&b, Some("1721980800"));
    let eml = std::fs::read(a.join("message.eml")).expect("a");
    assert_eq!(eml, std::fs::read(b.join("message.eml")).expect("b"));
    assert!(read(&a.join("message.eml")).contains("Date: Fri, 26 Jul 2024 08:00:00 +0000"));
}

#[test]
fn message_eml_parses_as_multipart_alternative() {
    if !python_has("email") {
        return;
    }
    let site = SiteTest::fixture();
    with_note(&site);
    let out = preview(&site, "2024-07");
    let m = &parse_mail(&[out.join("message.eml")])[0];
    assert_eq!(m["content_type"], "multipart/alternative");
    assert_eq!(m["header_ascii"], true, "header block must be 7-bit: {m}");
    assert_eq!(m["crlf"], true);
    assert!(m["header_lines_max"].as_u64().expect("n") <= 998);
    assert_eq!(m["defects"].as_array().expect("defects").len(), 0, "{m}");
    assert_eq!(m["subject"], "七月摘要：专精特新新政");
    assert_eq!(m["from"], "信息摘编资料室 <bulletin@example.org>");
    assert_eq!(m["mime_version"], "1.0");
    assert!(m["date"].as_str().is_some());
    let id = m["message_id"].as_str().expect("id");
    assert!(
        id.starts_with("<digest-2024-07-") && id.ends_with("@intranet.example>"),
        "{id}"
    );
    assert_eq!(
        m["list_unsubscribe"],
        "<https://intranet.example/bulletin/unsubscribe>, <mailto:unsubscribe@example.org>"
    );
    assert_eq!(m["list_unsubscribe_post"], "List-Unsubscribe=One-Click");
    // Text first, then HTML, both UTF-8, both the same as the files written beside.
    let parts = m["parts"].as_array().expect("parts");
    assert_eq!(parts[0]["type"], "text/plain");
    assert_eq!(parts[1]["type"], "text/html");
    assert!(parts.iter().all(|p| p["charset"] == "utf-8"));
    // lettre sends every line with CRLF, as SMTP requires.
    assert_eq!(
        part(m, "text/html").replace("\r\n", "\n"),
        read(&out.join("email.html"))
    );
    assert_eq!(
        part(m, "text/plain").replace("\r\n", "\n"),
        read(&out.join("email.txt"))
    );
}

#[test]
fn web_archive_shows_each_month() {
    let site = SiteTest::fixture().file(
        "content/digests/2024-07.md",
        "---\nsubject: 七月摘要：专精特新新政\n---\n本月重点见[通知](/policies/2024-06-zhuanjingtexin-tongzhi/)。\n",
    );
    site.build().ok();
    let index = site.read("digest/index.html");
    assert!(
        index.contains("href=\"../digest/2024-07/\"")
            && index.contains("href=\"../digest/2024-05/\""),
        "{index}"
    );
    assert!(index.find("2024年7月").expect("july") < index.find("2024年5月").expect("may"));
    let july = site.read("digest/2024-07/index.html");
    for s in [
        "<h1>七月摘要：专精特新新政</h1>",
        "本月重点见",
        "href=\"../../policies/2024-06-zhuanjingtexin-tongzhi/\"",
        "<td>字节跳动</td>",
        "数字经济通识",
    ] {
        assert!(july.contains(s), "digest page lacks {s}");
    }
    assert!(site
        .read("sitemap.xml")
        .contains(&format!("<loc>{BASE}digest/2024-07/</loc>")));
    crate::site::assert_valid_html(&site.out().join("digest"));
    // A hostile note is sanitised on the web page as in the e-mail.
    with_note(&site);
    site.build().ok();
    let july = site.read("digest/2024-07/index.html");
    for bad in ["<script", "onerror", "javascript:"] {
        assert!(!july.contains(bad), "digest page contains {bad}");
    }
}

#[test]
fn shipped_content_has_a_working_digest() {
    let site = SiteTest::shipped();
    let out = preview(&site, "2024-07");
    let html = read(&out.join("email.html"));
    assert!(html.contains("本期政策") && html.contains("排行榜") && html.contains("图书推荐"));
    let eml = read(&out.join("message.eml"));
    assert!(eml.contains("@example.org>"), "example addresses only");
}

#[test]
fn long_rankings_are_cut_at_ten_and_regions_shown() {
    let site = SiteTest::fixture();
    let entries: String = (1..=12)
        .map(|i| format!("  - {{rank: {i}, name: 企业{i:02}}}\n"))
        .collect();
    site.write(
        "content/rankings/2024-05/long.yaml",
        &format!("title: 长榜单\ndate: 2024-05-10\npublisher: 某机构\nsummary: 共十二家。\ncomplete: true\nentries:\n{entries}"),
    );
    let out = site.root().join("may");
    digest(
        &site,
        &["2024-05", "--out", out.to_str().expect("utf8")],
        None,
    )
    .ok();
    let html = read(&out.join("email.html"));
    assert!(
        html.contains("企业10</td>") && !html.contains("企业11"),
        "ten entries at most"
    );
    assert!(html.contains("另有 2 项"), "says how many more");
    assert!(
        html.contains(&format!("href=\"{BASE}rankings/long/\"")) && html.contains("完整榜单</a>")
    );
    // The May policy has a region; the July ones are not in May's digest.
    assert!(
        html.contains("2024年5月20日 · 省级 · 上海"),
        "level and region"
    );
    assert!(!html.contains("关于进一步支持专精特新中小企业高质量发展的通知"));
    let text = read(&out.join("email.txt"));
    assert!(text.contains("  10. 企业10") && !text.contains("企业11"));
}
