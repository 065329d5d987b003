//! Delivery over STARTTLS and TLS from the first byte to a real server whose certificate comes
//! from a throwaway internal CA (made with the openssl CLI for each test): refused without
//! `--ca-file`, delivered with it; a certificate for another name, a server without STARTTLS
//! and bad CA files are refused with nothing sent.

use std::path::Path;

use super::pki::Pki;
use super::server::{SmtpServer, Tls, PASSWORD};
use super::*;

fn arg(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}

/// No message and no login reached the server, and the send log records nothing.
#[track_caller]
fn nothing_sent(server: &SmtpServer, site: &SiteTest) {
    assert!(server.messages().is_empty(), "{:?}", server.messages());
    assert!(
        server.auth_attempts().is_empty(),
        "{:?}",
        server.auth_attempts()
    );
    assert!(!site.root().join("digest-sent.log").exists());
}

/// The same relay, whose certificate is issued by an internal CA: refused with the bundled roots
/// only, and with an unrelated CA; delivered, encrypted, with `--ca-file` naming its CA.
fn refused_then_delivered_with_ca_file(security: &str) {
    let Some(pki) = Pki::new() else { return };
    let ca = pki.ca("company");
    let other_ca = pki.ca("other");
    let (cert, key) = pki.server("company", "relay", "IP:127.0.0.1,DNS:localhost");
    let tls = match security {
        "starttls" => Tls::Starttls {
            cert: &cert,
            key: &key,
        },
        _ => Tls::Implicit {
            cert: &cert,
            key: &key,
        },
    };
    let Some(server) = SmtpServer::start_tls(tls) else {
        return;
    };
    let site = fixture_with_security(
        server.port,
        security,
        true,
        "[reader-a@example.com, 读者乙 <reader-b@example.com>]",
    );
    with_note(&site);

    let err = digest(&site, &["2024-07", "--send"], Some(PASSWORD)).fails_with(3);
    for s in [
        &format!(
            "the SMTP server 127.0.0.1:{} presented a certificate that is not trusted",
            server.port
        ),
        "not issued by a trusted CA (UnknownIssuer)",
        "nothing was sent",
        "hint: if the relay uses your organisation's internal CA",
        "--ca-file",
    ] {
        assert!(err.contains(s), "lacks {s}:\n{err}");
    }
    nothing_sent(&server, &site);

    let err = digest(
        &site,
        &["2024-07", "--send", "--ca-file", arg(&other_ca)],
        Some(PASSWORD),
    )
    .fails_with(3);
    assert!(err.contains("not issued by a trusted CA"), "{err}");
    assert!(
        err.contains(&format!(
            "nor by the 1 certificate(s) in {}",
            other_ca.display()
        )),
        "{err}"
    );
    nothing_sent(&server, &site);

    let run = digest(
        &site,
        &["2024-07", "--send", "--ca-file", arg(&ca)],
        Some(PASSWORD),
    );
    run.ok();
    assert!(
        run.stderr()
            .contains("2 sent, 0 already had it, 0 not sent"),
        "{}",
        run.stderr()
    );
    assert_eq!(
        server.recipients(),
        ["reader-a@example.com", "reader-b@example.com"]
    );
    // Both messages and every login went over TLS, never in clear text.
    let modern = ["TLSv1.2", "TLSv1.3"];
    let versions = server.tls_versions();
    assert!(
        versions.iter().all(|v| modern.contains(&v.as_str())),
        "messages arrived over {versions:?}"
    );
    let auths = server.auth_attempts();
    assert!(!auths.is_empty());
    for a in &auths {
        let v = a.strip_prefix("ok ").unwrap_or_else(|| panic!("login {a}"));
        assert!(modern.contains(&v), "login over {v}");
    }
    let mails = parse_mail(&server.messages());
    for (m, to) in mails
        .iter()
        .zip(["reader-a@example.com", "读者乙 <reader-b@example.com>"])
    {
        assert_eq!(m["to"], to);
        assert_eq!(m["subject"], "七月摘要：专精特新新政");
        assert_eq!(m["header_ascii"], true, "{m}");
        assert_eq!(m["content_type"], "multipart/alternative");
        let (html, text) = (part(m, "text/html"), part(m, "text/plain"));
        for s in [
            "关于进一步支持专精特新中小企业高质量发展的通知",
            "数字经济通识",
        ] {
            assert!(html.contains(s) && text.contains(s), "{s} missing for {to}");
        }
        assert!(html.contains(&format!(
            "href=\"{BASE}policies/2024-06-zhuanjingtexin-tongzhi/\""
        )));
        assert!(!html.contains("<script"));
    }
    let log = read(&site.root().join("digest-sent.log"));
    for a in ["reader-a@example.com", "reader-b@example.com"] {
        assert!(
            log.lines()
                .any(|l| l.starts_with(&format!("2024-07\t{a}\t"))),
            "{log}"
        );
    }
}

#[test]
fn starttls_relay_with_internal_ca_is_refused_then_delivered_with_ca_file() {
    refused_then_delivered_with_ca_file("starttls");
}

#[test]
fn implicit_tls_relay_with_internal_ca_is_refused_then_delivered_with_ca_file() {
    refused_then_delivered_with_ca_file("tls");
}

#[test]
fn certificate_for_another_name_is_refused_even_with_its_ca() {
    let Some(pki) = Pki::new() else { return };
    let ca = pki.ca("company");
    let (cert, key) = pki.server("company", "relay", "DNS:relay.internal.example");
    let Some(server) = SmtpServer::start_tls(Tls::Implicit {
        cert: &cert,
        key: &key,
    }) else {
        return;
    };
    let site = fixture_with_security(server.port, "tls", true, "[r1@example.com]");
    let err = digest(
        &site,
        &["2024-07", "--send", "--ca-file", arg(&ca)],
        Some(PASSWORD),
    )
    .fails_with(3);
    for s in [
        "presented a certificate that is not trusted",
        "certificate not valid for name \"127.0.0.1\"",
        "relay.internal.example",
        "hint: digest.smtp.host in content/site.yaml must be a name",
    ] {
        assert!(err.contains(s), "lacks {s}:\n{err}");
    }
    nothing_sent(&server, &site);
}

#[test]
fn intermediate_ca_and_self_signed_relays() {
    let Some(pki) = Pki::new() else { return };
    let root = pki.ca("root");
    let issuing = pki.intermediate("root", "issuing");
    let (leaf, key) = pki.server("issuing", "relay", "IP:127.0.0.1");
    let chain = pki.path("chain.pem");
    std::fs::write(&chain, read(&leaf) + &read(&issuing)).expect("chain");
    let send = |port: u16, security: &str, ca: &Path| {
        let site = fixture_with_security(port, security, true, "[r1@example.com]");
        digest(
            &site,
            &["2024-07", "--send", "--ca-file", arg(ca)],
            Some(PASSWORD),
        )
    };
    // The relay sends its certificate and the issuing CA's: the organisation's root is enough.
    let Some(server) = SmtpServer::start_tls(Tls::Implicit {
        cert: &chain,
        key: &key,
    }) else {
        return;
    };
    send(server.port, "tls", &root).ok();
    assert_eq!(server.recipients(), ["r1@example.com"]);
    // The relay sends only its own certificate: the root cannot vouch for it, the issuing CA can.
    let Some(server) = SmtpServer::start_tls(Tls::Implicit {
        cert: &leaf,
        key: &key,
    }) else {
        return;
    };
    let err = send(server.port, "tls", &root).fails_with(3);
    assert!(err.contains("not issued by a trusted CA"), "{err}");
    assert!(server.messages().is_empty());
    send(server.port, "tls", &issuing).ok();
    assert_eq!(server.recipients(), ["r1@example.com"]);
    // A self-signed relay: its own certificate is the CA file.
    let (own, own_key) = pki.self_signed("selfsigned", "IP:127.0.0.1");
    let Some(server) = SmtpServer::start_tls(Tls::Starttls {
        cert: &own,
        key: &own_key,
    }) else {
        return;
    };
    send(server.port, "starttls", &own).ok();
    assert_eq!(server.recipients(), ["r1@example.com"]);
}

#[test]
fn starttls_not_offered_is_refused_before_the_login() {
    // A plain server that offers AUTH in clear text: a client that fell back would log in.
    let Some(server) = SmtpServer::start(None) else {
        return;
    };
    let site = fixture_with_security(server.port, "starttls", true, "[r1@example.com]");
    let err = digest(&site, &["2024-07", "--send"], Some(PASSWORD)).fails_with(3);
    for s in [
        &format!(
            "the SMTP server 127.0.0.1:{} does not offer STARTTLS",
            server.port
        ),
        "never falls back to clear text",
        "nothing was sent",
        "hint: a server that takes TLS from the first byte",
    ] {
        assert!(err.contains(s), "lacks {s}:\n{err}");
    }
    nothing_sent(&server, &site);

    // `security: tls` against the same plain server: not TLS, said so.
    let site = fixture_with_security(server.port, "tls", true, "[r1@example.com]");
    let err = digest(&site, &["2024-07", "--send"], Some(PASSWORD)).fails_with(3);
    assert!(err.contains("does not answer in TLS"), "{err}");
    assert!(err.contains("needs security: starttls"), "{err}");
    nothing_sent(&server, &site);
}

#[test]
fn bad_ca_file_is_a_usage_error_and_nothing_is_sent() {
    let Some(pki) = Pki::new() else { return };
    let ca = pki.ca("company");
    let other_ca = pki.ca("other");
    let (cert, key) = pki.server("company", "relay", "IP:127.0.0.1");
    let Some(server) = SmtpServer::start_tls(Tls::Starttls {
        cert: &cert,
        key: &key,
    }) else {
        return;
    };
    let site = fixture_with_security(server.port, "starttls", true, "[r1@example.com]");
    let ca_text = read(&ca);
    let other_text = read(&other_ca);
    let lines: Vec<&str> = ca_text.lines().collect();
    // The openssl CLI writes DER on request: the same CA, binary.
    pki.openssl("x509 -in company.pem -outform der -out company.der");
    let mut damaged = lines.clone();
    damaged[2] = "!!!! not base64 !!!!";
    let second = other_text.lines().count() + 1;
    let fake = "-----BEGIN CERTIFICATE-----\naGVsbG8sIHdvcmxkOiBub3QgYSBjZXJ0aWZpY2F0ZQ==\n-----END CERTIFICATE-----\n";
    let files: Vec<(&str, Vec<u8>, Vec<String>)> = vec![
        (
            "notes.txt",
            "内部 CA：见运维手册\n".into(),
            vec!["not a PEM file: no `-----BEGIN CERTIFICATE-----` line".into()],
        ),
        (
            "company.der",
            std::fs::read(pki.path("company.der")).expect("der"),
            vec![
                "binary (DER) certificate, not PEM".into(),
                "openssl x509 -inform der".into(),
            ],
        ),
        (
            "relay.key",
            std::fs::read(&key).expect("key"),
            vec!["holds a `PRIVATE KEY` but no certificate".into()],
        ),
        (
            "cut.pem",
            lines[..4].join("\n").into(),
            vec![":1: certificate 1 has no `-----END CERTIFICATE-----` line".into()],
        ),
        // A bundle whose second certificate is damaged: its line is the one reported.
        (
            "bundle.pem",
            format!("{other_text}{}\n", damaged.join("\n")).into(),
            vec![format!(":{second}: certificate 2 is not valid base64")],
        ),
        (
            "fake.pem",
            fake.into(),
            vec![":1: certificate 1 is not a valid X.509 certificate".into()],
        ),
    ];
    let out = site.root().join("preview");
    for (name, bytes, expected) in &files {
        let p = pki.path(name);
        std::fs::write(&p, bytes).expect("write");
        let err = digest(
            &site,
            &[
                "2024-07",
                "--send",
                "--out",
                arg(&out),
                "--ca-file",
                arg(&p),
            ],
            Some(PASSWORD),
        )
        .fails_with(2);
        assert!(
            err.contains(&format!("--ca-file <PEM>': {}", p.display())),
            "{err}"
        );
        for s in expected {
            assert!(err.contains(s), "{name}: lacks {s}:\n{err}");
        }
        assert!(err.contains("= hint: "), "{err}");
        nothing_sent(&server, &site);
        assert!(!out.exists(), "{name}: preview written");
    }
    let missing = pki.path("missing.pem");
    let err = digest(
        &site,
        &["2024-07", "--send", "--ca-file", arg(&missing)],
        Some(PASSWORD),
    )
    .fails_with(2);
    assert!(
        err.contains(&format!("{}: cannot read the CA file", missing.display())),
        "{err}"
    );
    assert!(
        err.contains("hint: check the path given to --ca-file"),
        "{err}"
    );
    // --ca-file is about sending.
    let err = digest(
        &site,
        &["2024-07", "--out", arg(&out), "--ca-file", arg(&ca)],
        None,
    )
    .fails_with(2);
    assert!(err.contains("--send"), "{err}");
    nothing_sent(&server, &site);

    // The server does take mail: a bundle holding the right CA (second) delivers; the text
    // around the certificates (as `openssl x509 -text` writes it) is ignored.
    std::fs::write(
        pki.path("good.pem"),
        format!("Certificate:\n    Subject: CN=other\n{other_text}\n# 公司根证书\n{ca_text}"),
    )
    .expect("write");
    digest(
        &site,
        &["2024-07", "--send", "--ca-file", arg(&pki.path("good.pem"))],
        Some(PASSWORD),
    )
    .ok();
    assert_eq!(server.recipients(), ["r1@example.com"]);
}

#[test]
fn ca_file_with_security_none_is_refused() {
    let Some(pki) = Pki::new() else { return };
    let ca = pki.ca("company");
    let site = fixture_with_smtp(1, false, "[r1@example.com]");
    let err = digest(&site, &["2024-07", "--send", "--ca-file", arg(&ca)], None).fails_with(1);
    assert!(
        err.contains("is given but digest.smtp.security is `none`"),
        "{err}"
    );
    assert!(err.contains("hint: set security: starttls or tls"), "{err}");
    assert!(!site.root().join("digest-sent.log").exists());
}
