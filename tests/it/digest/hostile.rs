//! The digest's defects found by the hostile review (issue 10): each case as reproduced there,
//! and what bulletin must do instead.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::server::{SmtpServer, PASSWORD};
use super::*;
use crate::support::{bin, Run, SiteTest};

fn digest_with_epoch(site: &SiteTest, epoch: &str, out: &Path) -> Run {
    let mut cmd = bin();
    cmd.arg("--root")
        .arg(site.root())
        .args(["digest", "2024-07", "--out"])
        .arg(out)
        .env("SOURCE_DATE_EPOCH", epoch)
        .env("RUST_BACKTRACE", "1");
    Run(cmd.output().expect("run"))
}

/// D4: a SOURCE_DATE_EPOCH past year 9999 panicked in httpdate; any value that is no such date
/// is a usage error, before anything is created.
#[test]
fn source_date_epoch_out_of_range_is_a_usage_error_not_a_panic() {
    let site = SiteTest::fixture();
    for bad in [
        "253402300800",
        "9223372036854775807",
        "-1",
        "abc",
        "1.5",
        "99999999999999999999",
    ] {
        let out = site.root().join("x");
        let err = digest_with_epoch(&site, bad, &out).fails_with(2);
        assert!(!err.contains("panicked"), "{bad}: {err}");
        assert!(
            err.contains("SOURCE_DATE_EPOCH") && err.contains("nothing was written"),
            "{bad}: {err}"
        );
        assert!(!out.exists(), "{bad}: --out was created before the error");
    }
    // The last second of year 9999 is fine.
    let out = site.root().join("ok");
    digest_with_epoch(&site, "253402300799", &out).ok();
    assert!(read(&out.join("message.eml")).contains("Date: Fri, 31 Dec 9999 23:59:59 +0000"));
}

/// Start tags of `html` as a browser's parser sees them (Python's html.parser).
fn start_tags(html: &Path) -> Vec<String> {
    let out = Command::new("python3")
        .args([
            "-c",
            "import sys, html.parser\nclass P(html.parser.HTMLParser):\n    def handle_starttag(self, t, a): print(t)\nP().feed(open(sys.argv[1], encoding='utf-8').read())",
        ])
        .arg(html)
        .output()
        .expect("python3");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// D10: an image alt text `<script>` is text, not a script: the month's digest is made, and
/// the e-mail has no script element. A real one from a template is still refused.
#[test]
fn script_in_alt_text_is_not_a_script_element() {
    let site = SiteTest::fixture().file(
        "content/books/2024-07/shuzi-jingji.yaml",
        "title: 数字经济通识\nauthors: [某作者]\npublisher: 某出版社\npublished: 2024-01\nsummary: '![<script>](https://example.com/c.png) 与 <img alt=\"&quot;><script>alert(1)</script>\" src=\"https://example.com/d.png\">'\nreason: 推荐理由。\ndate: 2024-07-15\nissue: xinxi-zhaibian/2024-07\n",
    );
    let out = site.root().join("out");
    digest(
        &site,
        &["2024-07", "--out", out.to_str().expect("utf8")],
        None,
    )
    .ok();
    let tags = start_tags(&out.join("email.html"));
    assert!(tags.iter().any(|t| t == "table"), "parsed: {tags:?}");
    assert!(
        !tags.iter().any(|t| t == "script"),
        "a script element: {tags:?}"
    );
    // A template that does add a script is refused, the template named.
    let t = site.root().join("templates/digest/email.html");
    let html = read(&t).replace("</body>", "<script>alert(1)</script></body>");
    std::fs::write(&t, html).expect("write");
    let err = digest(
        &site,
        &["2024-07", "--out", out.to_str().expect("utf8")],
        None,
    )
    .fails_with(1);
    assert!(
        err.contains("`<script>` element") && err.contains("templates/digest/email.html"),
        "{err}"
    );
}

fn send_fails(site: &SiteTest) -> String {
    let mut cmd = bin();
    cmd.arg("--root")
        .arg(site.root())
        .args(["digest", "2024-07", "--send"])
        .env_remove("BULLETIN_SMTP_PASSWORD")
        .stdin(Stdio::null());
    let start = Instant::now();
    let run = Run(cmd.output().expect("run"));
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "took {:?}",
        start.elapsed()
    );
    run.fails_with(1)
}

/// D13: the recipients file stays inside the root, and is a regular file of sensible size;
/// an error quotes a short excerpt at most.
#[test]
fn recipients_file_is_confined_and_bounded() {
    for path in [
        "/etc/passwd",
        "../../../../etc/passwd",
        "/dev/zero",
        "link-to-passwd",
    ] {
        let site = fixture_with_smtp(1, false, path);
        std::os::unix::fs::symlink("/etc/passwd", site.root().join("link-to-passwd"))
            .expect("symlink");
        let err = send_fails(&site);
        assert!(
            err.contains("outside the folder holding content/"),
            "{path}: {err}"
        );
        assert!(
            !err.contains("root:x:0:0"),
            "{path}: quotes /etc/passwd: {err}"
        );
    }
    // Inside the root but not a regular file (a FIFO would block a plain read forever).
    let site = fixture_with_smtp(1, false, "fifo");
    let made = Command::new("mkfifo")
        .arg(site.root().join("fifo"))
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let err = send_fails(&site);
    assert!(err.contains("is not a regular file"), "{err}");
    // Too large.
    let site = fixture_with_smtp(1, false, "big.txt");
    let line = "reader@example.com\n";
    site.write("big.txt", &line.repeat((5 << 20) / line.len()));
    let err = send_fails(&site);
    assert!(err.contains("larger than 4 MiB"), "{err}");
    // Not a list of addresses: ten lines quoted, each cut short, the rest counted.
    let site = fixture_with_smtp(1, false, "wrong.txt");
    let long = "x".repeat(500);
    site.write("wrong.txt", &format!("{long}:x:0:0\n").repeat(30));
    let err = send_fails(&site);
    assert!(
        err.contains("and 20 more lines that are not e-mail addresses"),
        "{err}"
    );
    assert!(
        !err.contains(&"x".repeat(100)),
        "a whole long line is quoted: {err}"
    );
}

/// D13: a send log that is a device (linked to /dev/full) is a clear error, quickly, with
/// nothing sent, not a read until memory runs out.
#[test]
fn send_log_must_be_a_regular_file() {
    let site = fixture_with_smtp(1, false, "[r1@example.com]");
    std::os::unix::fs::symlink("/dev/full", site.root().join("digest-sent.log")).expect("symlink");
    let err = send_fails(&site);
    assert!(
        err.contains("digest-sent.log") && err.contains("is not a regular file"),
        "{err}"
    );
}

/// A `from:` with an RFC 5322 quoted display name, or a comment, is a valid sender.
#[test]
fn quoted_display_names_are_accepted() {
    if !python_has("email") {
        return;
    }
    let site = SiteTest::fixture();
    let yaml = read(&site.root().join("content/site.yaml"));
    let from = yaml
        .lines()
        .find(|l| l.trim_start().starts_with("from:"))
        .expect("from line")
        .to_string();
    for (written, name) in [
        (
            r#"'"张\"三 信息" <bulletin@example.org>'"#,
            r#""张\"三 信息""#,
        ),
        (
            r#"'"资料室, 天津" <bulletin@example.org>'"#,
            r#""资料室, 天津""#,
        ),
        ("'信息摘编 (备注) <bulletin@example.org>'", "信息摘编"),
        ("'bulletin@example.org (张三)'", "张三"),
    ] {
        site.write(
            "content/site.yaml",
            &yaml.replace(&from, &format!("  from: {written}")),
        );
        let out = site.root().join("out");
        digest(
            &site,
            &["2024-07", "--out", out.to_str().expect("utf8")],
            None,
        )
        .ok();
        let m = &parse_mail(&[out.join("message.eml")])[0];
        assert_eq!(m["defects"].as_array().map(Vec::len), Some(0), "{m}");
        assert_eq!(m["header_ascii"], true);
        assert_eq!(
            m["from"],
            format!("{name} <bulletin@example.org>"),
            "{written}"
        );
    }
}

/// `kill -9` during `--send`: the re-run sends to the rest, and at most the one message in
/// flight at the kill arrives twice (each delivery is logged, with fsync, once accepted).
#[test]
fn killed_send_resends_at_most_the_message_in_flight() {
    let Some(server) = SmtpServer::start(None) else {
        return;
    };
    let all: Vec<String> = (0..400).map(|i| format!("r{i:03}@example.com")).collect();
    let site = fixture_with_smtp(server.port, true, &format!("[{}]", all.join(", ")));
    let mut child = bin()
        .arg("--root")
        .arg(site.root())
        .args(["digest", "2024-07", "--send"])
        .env("BULLETIN_SMTP_PASSWORD", PASSWORD)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let start = Instant::now();
    while server.messages().len() < 20 && start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(2));
    }
    // SIGKILL: no chance to clean up or flush anything.
    let still_running = child.try_wait().expect("wait").is_none();
    child.kill().expect("kill");
    let _ = child.wait();
    assert!(still_running, "the send finished before it could be killed");
    let log_lines = |site: &SiteTest| {
        std::fs::read_to_string(site.root().join("digest-sent.log"))
            .unwrap_or_default()
            .lines()
            .filter(|l| l.starts_with("2024-07\t"))
            .count()
    };
    let delivered = server.recipients().len();
    let logged = log_lines(&site);
    assert!(
        delivered - logged <= 1,
        "{delivered} delivered, {logged} logged"
    );
    digest(&site, &["2024-07", "--send"], Some(PASSWORD)).ok();
    let got = server.recipients();
    let mut counts = std::collections::BTreeMap::new();
    for r in &got {
        *counts.entry(r.clone()).or_insert(0) += 1;
    }
    assert_eq!(counts.len(), all.len(), "every recipient has it");
    let twice = counts.values().filter(|&&n| n > 1).count();
    assert!(twice <= 1, "{twice} recipients got it twice");
    assert_eq!(log_lines(&site), all.len());
}
