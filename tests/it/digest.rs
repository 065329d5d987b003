//! `bulletin digest`: the e-mail files, the message as a real MIME parser reads it, delivery to
//! a real SMTP server (aiosmtpd on loopback) with the send log, and every way it can go wrong.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

use crate::support::{bin, repo, require_tools, Run, TestSite};

const BASE: &str = "https://intranet.example/bulletin/";

fn has_tool(what: &str, ok: bool) -> bool {
    if !ok && require_tools() {
        panic!("{what} missing: run scripts/test.sh (it installs the test tools)");
    }
    if !ok {
        eprintln!("skipping: {what} not installed");
    }
    ok
}

fn python_has(module: &str) -> bool {
    let ok = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .status()
        .is_ok_and(|s| s.success());
    has_tool(&format!("python module {module}"), ok)
}

/// The fixture with a digest block pointing at `port`, logging in as `digest` when `auth`.
fn fixture_with_smtp(port: u16, auth: bool, recipients: &str) -> TestSite {
    let site = TestSite::fixture();
    let user = if auth { ", username: digest" } else { "" };
    site.write(
        "content/site.yaml",
        &format!(
            "title: 信息摘编资料库\nbase_url: {BASE}\nlanguage: zh-CN\ndescription: 测试\ndigest:\n  from: 信息摘编资料室 <bulletin@example.org>\n  recipients: {recipients}\n  list_unsubscribe: [https://intranet.example/bulletin/unsubscribe, mailto:unsubscribe@example.org]\n  smtp: {{host: 127.0.0.1, port: {port}, security: none{user}}}\n"
        ),
    );
    site
}

fn digest(site: &TestSite, args: &[&str], password: Option<&str>) -> Run {
    let mut cmd = bin();
    cmd.arg("--root")
        .arg(site.root())
        .arg("digest")
        .args(args)
        .env("CI", "true")
        .env_remove("BULLETIN_SMTP_PASSWORD");
    if let Some(p) = password {
        cmd.env("BULLETIN_SMTP_PASSWORD", p);
    }
    Run(cmd.output().expect("run bulletin"))
}

/// A real SMTP server (tests/tools/smtp_server.py) storing what it receives in a folder.
struct SmtpServer {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl SmtpServer {
    /// `die_after`: accept that many messages, then drop the connection on the next and exit.
    fn start(die_after: Option<usize>) -> Option<SmtpServer> {
        if !python_has("aiosmtpd") {
            return None;
        }
        let dir = tempfile::tempdir().expect("tempdir");
        Some(Self::start_in(dir, die_after, None))
    }

    fn start_in(dir: tempfile::TempDir, die_after: Option<usize>, port: Option<u16>) -> SmtpServer {
        let port = port.unwrap_or_else(|| {
            std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .expect("free port")
                .port()
        });
        let mut cmd = Command::new("python3");
        cmd.arg(repo().join("tests/tools/smtp_server.py"))
            .arg("--dir")
            .arg(dir.path())
            .args(["--port", &port.to_string()])
            .args(["--user", "digest", "--password", "s3cret-密码"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if let Some(k) = die_after {
            cmd.args(["--die-after", &k.to_string()]);
        }
        let mut child = cmd.spawn().expect("start python3");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("read");
        assert_eq!(line.trim(), "ready", "SMTP server did not start");
        SmtpServer { child, port, dir }
    }

    /// The same messages and port, a fresh server (after one that died).
    fn restart(mut self) -> SmtpServer {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let dir = tempfile::tempdir().expect("tempdir");
        for e in std::fs::read_dir(self.dir.path()).expect("ls") {
            let e = e.expect("entry");
            std::fs::copy(e.path(), dir.path().join(e.file_name())).expect("copy");
        }
        Self::start_in(dir, None, Some(self.port))
    }

    fn messages(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .expect("ls")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        v.sort();
        v
    }

    /// Envelope recipients of every stored message, in arrival order.
    fn recipients(&self) -> Vec<String> {
        self.messages()
            .iter()
            .map(|p| {
                std::fs::read_to_string(p.with_extension("rcpt"))
                    .expect("rcpt")
                    .trim()
                    .to_string()
            })
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Parses messages with Python's `email` package (policy.default).
fn parse_mail(files: &[PathBuf]) -> Vec<Value> {
    let out = Command::new("python3")
        .arg(repo().join("tests/tools/check_mail.py"))
        .args(files)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Value>(&out.stdout)
        .expect("json")
        .as_array()
        .expect("array")
        .clone()
}

fn part<'a>(m: &'a Value, ty: &str) -> &'a str {
    m["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .find(|p| p["type"] == ty)
        .and_then(|p| p["content"].as_str())
        .unwrap_or_else(|| panic!("no {ty} part in {m}"))
}

/// An editor's note with a site link, a relative link and things that must not survive.
fn with_note(site: &TestSite) {
    site.write(
        "content/digests/2024-07.md",
        "---\nsubject: 七月摘要：专精特新新政\npreheader: 财政奖补支持“小巨人”企业\n---\n本月重点见[通知](/policies/2024-06-zhuanjingtexin-tongzhi/)与[图书](../books/shuzi-jingji/)。\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[坏链接](javascript:alert(3))\n",
    );
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
}

fn hrefs(html: &str) -> Vec<String> {
    regex::Regex::new(r#"href="([^"]*)""#)
        .expect("regex")
        .captures_iter(html)
        .map(|c| c[1].to_string())
        .collect()
}

#[test]
fn out_writes_html_text_and_message() {
    let site = TestSite::fixture();
    with_note(&site);
    let out = site.root().join("preview");
    let run = digest(
        &site,
        &["2024-07", "--out", out.to_str().expect("utf8")],
        None,
    );
    run.ok();
    let html = read(&out.join("email.html"));
    let text = read(&out.join("email.txt"));
    assert!(out.join("message.eml").is_file());
    // The note, then the three sections in order, each with the month's items.
    let pos = |s: &str| {
        html.find(s)
            .unwrap_or_else(|| panic!("email.html lacks {s}"))
    };
    assert!(pos("本月重点见") < pos("本月政策") && pos("本月政策") < pos("排行榜</h2>"));
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
        "<meta name=\"color-scheme\" content=\"light\">",
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
        "======== 本月政策 ========",
        "1. 关于进一步支持专精特新中小企业高质量发展的通知",
        &format!("链接：{BASE}policies/2024-06-zhuanjingtexin-tongzhi/"),
        "  1. 字节跳动（估值（亿美元）：2250）",
        "《数字经济通识》",
        &format!("通知 <{BASE}policies/2024-06-zhuanjingtexin-tongzhi/>"),
        "退订：https://intranet.example/bulletin/unsubscribe",
    ] {
        assert!(text.contains(s), "email.txt lacks {s}:\n{text}");
    }
}

#[test]
fn email_html_is_inlined_table_layout_at_most_640px() {
    let site = TestSite::fixture();
    let out = site.root().join("preview");
    digest(
        &site,
        &["2024-07", "--out", out.to_str().expect("utf8")],
        None,
    )
    .ok();
    let html = read(&out.join("email.html"));
    let lower = html.to_lowercase();
    for tag in ["<style", "<link", "<script"] {
        assert!(!lower.contains(tag), "email.html contains {tag}");
    }
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
    let site = TestSite::fixture();
    with_note(&site);
    let out = site.root().join("preview");
    digest(
        &site,
        &["2024-07", "--out", out.to_str().expect("utf8")],
        None,
    )
    .ok();
    let run = Command::new("node")
        .arg(repo().join("tests/tools/check_email_css.mjs"))
        .arg(out.join("email.html"))
        .output()
        .expect("node");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let report: Value = serde_json::from_slice(&run.stdout).expect("json");
    // Accepted: the preheader's hiding (display:none, opacity, overflow) degrades to a tiny
    // line where unsupported; Outlook's mobile apps replace <body>; `role` is only ignored.
    let accepted = [
        "`<body> element`",
        "`display:none`",
        "`overflow`",
        "`opacity`",
        "`role attribute`",
    ];
    for e in report["errors"].as_array().expect("errors") {
        let e = e.as_str().expect("str");
        assert!(
            accepted.iter().any(|a| e.starts_with(a)),
            "unsupported in a common mail client: {e}"
        );
    }
}

#[test]
fn output_is_deterministic() {
    let site = TestSite::fixture();
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
    let site = TestSite::fixture();
    with_note(&site);
    let out = site.root().join("preview");
    digest(
        &site,
        &["2024-07", "--out", out.to_str().expect("utf8")],
        None,
    )
    .ok();
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
fn send_delivers_once_to_each_recipient() {
    let Some(server) = SmtpServer::start(None) else {
        return;
    };
    let site = fixture_with_smtp(
        server.port,
        true,
        "[reader-a@example.com, 读者乙 <reader-b@example.com>, Reader-A@Example.com, reader-c@example.com]",
    );
    with_note(&site);
    let run = digest(&site, &["2024-07", "--send"], Some("s3cret-密码"));
    run.ok();
    let err = run.stderr();
    assert!(!err.contains("s3cret"), "the password is printed: {err}");
    assert!(err.contains("sent to reader-c@example.com"), "{err}");
    // One message each; the duplicate (different case) is sent once.
    assert_eq!(
        server.recipients(),
        [
            "reader-a@example.com",
            "reader-b@example.com",
            "reader-c@example.com"
        ]
    );
    let mails = parse_mail(&server.messages());
    let mut ids = std::collections::BTreeSet::new();
    for (m, to) in mails.iter().zip([
        "reader-a@example.com",
        "读者乙 <reader-b@example.com>",
        "reader-c@example.com",
    ]) {
        assert_eq!(m["to"], to);
        assert_eq!(m["subject"], "七月摘要：专精特新新政");
        assert_eq!(m["header_ascii"], true, "{m}");
        assert_eq!(m["content_type"], "multipart/alternative");
        let html = part(m, "text/html");
        let text = part(m, "text/plain");
        for s in [
            "关于进一步支持专精特新中小企业高质量发展的通知",
            "2023年中国独角兽企业排行榜",
            "数字经济通识",
        ] {
            assert!(
                html.contains(s) && text.contains(s),
                "{s} missing in the message to {to}"
            );
        }
        assert!(html.contains(&format!(
            "href=\"{BASE}policies/2024-06-zhuanjingtexin-tongzhi/\""
        )));
        assert!(!html.contains("<style") && !html.contains("<script"));
        ids.insert(m["message_id"].as_str().expect("id").to_string());
    }
    assert_eq!(ids.len(), 3, "each message has its own Message-ID");
    // The log records each delivery; the password is nowhere on disk.
    let log = read(&site.root().join("digest-sent.log"));
    for a in [
        "reader-a@example.com",
        "reader-b@example.com",
        "reader-c@example.com",
    ] {
        assert!(
            log.lines()
                .any(|l| l.starts_with(&format!("2024-07\t{a}\t"))),
            "{log}"
        );
    }
    assert!(!log.contains("s3cret"));
    // A re-run sends nothing.
    let again = digest(&site, &["2024-07", "--send"], Some("s3cret-密码"));
    again.ok();
    assert!(
        again.stderr().contains("0 sent, 3 already had it"),
        "{}",
        again.stderr()
    );
    assert_eq!(server.messages().len(), 3);
    // --resend sends again, to everyone.
    digest(
        &site,
        &["2024-07", "--send", "--resend"],
        Some("s3cret-密码"),
    )
    .ok();
    assert_eq!(server.messages().len(), 6);
}

#[test]
fn server_dying_mid_list_then_rerun_sends_only_to_the_rest() {
    let Some(server) = SmtpServer::start(Some(2)) else {
        return;
    };
    let site = fixture_with_smtp(
        server.port,
        true,
        "[r1@example.com, r2@example.com, r3@example.com, r4@example.com]",
    );
    let run = digest(&site, &["2024-07", "--send"], Some("s3cret-密码"));
    let err = run.fails_with(3);
    for s in [
        "sent to r1@example.com",
        "sent to r2@example.com",
        "NOT sent to r3@example.com",
        "NOT sent to r4@example.com",
        "2 sent, 0 already had it, 2 not sent",
        "run the same command again",
    ] {
        assert!(err.contains(s), "lacks {s}:\n{err}");
    }
    assert_eq!(server.recipients(), ["r1@example.com", "r2@example.com"]);
    let log = read(&site.root().join("digest-sent.log"));
    assert!(
        log.contains("\tr2@example.com\t") && !log.contains("r3@"),
        "{log}"
    );
    let server = SmtpServer::restart(server);
    let run = digest(&site, &["2024-07", "--send"], Some("s3cret-密码"));
    run.ok();
    assert!(
        run.stderr()
            .contains("2 sent, 2 already had it, 0 not sent"),
        "{}",
        run.stderr()
    );
    assert_eq!(
        server.recipients(),
        [
            "r1@example.com",
            "r2@example.com",
            "r3@example.com",
            "r4@example.com"
        ]
    );
}

#[test]
fn bad_password_is_refused_and_nothing_is_logged() {
    let Some(server) = SmtpServer::start(None) else {
        return;
    };
    let site = fixture_with_smtp(server.port, true, "[r1@example.com, r2@example.com]");
    let err = digest(&site, &["2024-07", "--send"], Some("wrong-password")).fails_with(3);
    assert!(err.contains("rejected the login of `digest`"), "{err}");
    assert!(
        err.contains("BULLETIN_SMTP_PASSWORD") && err.contains("nothing was sent"),
        "{err}"
    );
    assert!(
        !err.contains("wrong-password"),
        "the password is printed: {err}"
    );
    assert!(server.messages().is_empty());
    assert!(!site.root().join("digest-sent.log").exists());
    // No password at all: stopped before connecting.
    let err = digest(&site, &["2024-07", "--send"], None).fails_with(3);
    assert!(err.contains("BULLETIN_SMTP_PASSWORD is not"), "{err}");
}

#[test]
fn unreachable_server_is_a_clear_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let site = fixture_with_smtp(port, false, "[r1@example.com]");
    let err = digest(&site, &["2024-07", "--send"], None).fails_with(3);
    assert!(
        err.contains(&format!("cannot reach the SMTP server 127.0.0.1:{port}")),
        "{err}"
    );
    assert!(!site.root().join("digest-sent.log").exists());
}

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
    let site = TestSite::fixture();
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
    let site = TestSite::fixture();
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
    let site = TestSite::fixture();
    site.write(
        "content/digests/2024-07.md",
        "---\nsubject: 七月\npreheadr: 要点\n---\n正文\n",
    );
    site.write("content/digests/july.md", "正文\n");
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
    let site = TestSite::fixture();
    site.write(
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
    assert!(
        run.stderr().contains("message.eml not written"),
        "{}",
        run.stderr()
    );
    let err = digest(&site, &["2024-07", "--send"], None).fails_with(1);
    assert!(err.contains("no `digest:` block"), "{err}");
}

#[test]
fn web_archive_shows_each_month() {
    let site = TestSite::fixture();
    site.write(
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
    let site = TestSite::shipped();
    let out = site.root().join("preview");
    digest(
        &site,
        &["2024-07", "--out", out.to_str().expect("utf8")],
        None,
    )
    .ok();
    let html = read(&out.join("email.html"));
    assert!(html.contains("本月政策") && html.contains("排行榜") && html.contains("图书推荐"));
    let eml = read(&out.join("message.eml"));
    assert!(eml.contains("@example.org>"), "example addresses only");
}
