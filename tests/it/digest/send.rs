//! Delivery to a real SMTP server: what arrives, the send log, resuming, refused logins.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use super::server::SmtpServer;
use super::*;

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
        // Each message's List-Unsubscribe names its own recipient, one-click included.
        let key = to
            .rsplit(['<', ' '])
            .next()
            .expect("address")
            .trim_end_matches('>')
            .replace('@', "%40");
        assert_eq!(
            m["list_unsubscribe"],
            format!("<https://intranet.example/bulletin/unsubscribe?address={key}>, <mailto:unsubscribe@example.org?subject=unsubscribe&body=unsubscribe%20{key}>"),
            "{m}"
        );
        assert_eq!(m["list_unsubscribe_post"], "List-Unsubscribe=One-Click");
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
        assert!(!html.contains("<script"));
        assert_eq!(html.matches("<style").count(), 1, "only the @media block");
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
    again.ok().stderr_has("0 sent, 3 already had it");
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
    // No password at all: a mistake of the setup (exit 1), stopped before connecting.
    let err = digest(&site, &["2024-07", "--send"], None).fails_with(1);
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
fn a_second_concurrent_send_is_refused() {
    if !python_has("fcntl") {
        return;
    }
    let site = fixture_with_smtp(1, false, "[r1@example.com]");
    // Another process holding the lock, as a running `bulletin digest --send` does.
    let mut holder = Command::new("python3")
        .args([
            "-c",
            "import fcntl,os,sys,time; fd=os.open(sys.argv[1], os.O_RDONLY); fcntl.flock(fd, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(60)",
        ])
        .arg(site.root())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3");
    let mut line = String::new();
    BufReader::new(holder.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("read");
    assert_eq!(line.trim(), "locked");
    let err = digest(&site, &["2024-07", "--send"], None).fails_with(1);
    let _ = holder.kill();
    let _ = holder.wait();
    assert!(
        err.contains("another `bulletin digest --send` is running"),
        "{err}"
    );
}
