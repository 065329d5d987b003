//! `bulletin digest`: the e-mail files, the message as a real MIME parser reads it, delivery to
//! a real SMTP server (aiosmtpd on loopback) with the send log, over STARTTLS and TLS with an
//! internal CA, and every way it can go wrong.

mod errors;
mod files;
mod hostile;
mod overview;
mod phone;
mod pki;
mod send;
mod server;
mod tls;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::{bin, repo, require_tools, Run, SiteTest};

pub const BASE: &str = "https://intranet.example/bulletin/";

pub fn has_tool(what: &str, ok: bool) -> bool {
    if !ok && require_tools() {
        panic!("{what} missing: run scripts/test.sh (it installs the test tools)");
    }
    if !ok {
        eprintln!("skipping: {what} not installed");
    }
    ok
}

pub fn python_has(module: &str) -> bool {
    let ok = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .status()
        .is_ok_and(|s| s.success());
    has_tool(&format!("python module {module}"), ok)
}

/// The fixture with a digest block pointing at `port`, logging in as `digest` when `auth`.
pub fn fixture_with_smtp(port: u16, auth: bool, recipients: &str) -> SiteTest {
    fixture_with_security(port, "none", auth, recipients)
}

/// The same with `security:` (none, starttls or tls).
pub fn fixture_with_security(port: u16, security: &str, auth: bool, recipients: &str) -> SiteTest {
    let site = SiteTest::fixture();
    let user = if auth { ", username: digest" } else { "" };
    site.write(
        "content/site.yaml",
        &format!(
            "title: 信息摘编资料库\nbase_url: {BASE}\nlanguage: zh-CN\ndescription: 测试\ndigest:\n  from: 信息摘编资料室 <bulletin@example.org>\n  recipients: {recipients}\n  list_unsubscribe: [https://intranet.example/bulletin/unsubscribe, mailto:unsubscribe@example.org]\n  smtp: {{host: 127.0.0.1, port: {port}, security: {security}{user}}}\n"
        ),
    );
    site
}

pub fn digest(site: &SiteTest, args: &[&str], password: Option<&str>) -> Run {
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

/// Parses messages with Python's `email` package (policy.default).
pub fn parse_mail(files: &[PathBuf]) -> Vec<Value> {
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

pub fn part<'a>(m: &'a Value, ty: &str) -> &'a str {
    m["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .find(|p| p["type"] == ty)
        .and_then(|p| p["content"].as_str())
        .unwrap_or_else(|| panic!("no {ty} part in {m}"))
}

/// An editor's note with a site link, a relative link and things that must not survive.
pub fn with_note(site: &SiteTest) {
    site.write(
        "content/digests/2024-07.md",
        "---\nsubject: 七月摘要：专精特新新政\npreheader: 财政奖补支持“小巨人”企业\n---\n本月重点见[通知](/policies/2024-06-zhuanjingtexin-tongzhi/)与[图书](../books/shuzi-jingji/)。\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[坏链接](javascript:alert(3))\n",
    );
}

pub fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
}

pub fn hrefs(html: &str) -> Vec<String> {
    regex::Regex::new(r#"href="([^"]*)""#)
        .expect("regex")
        .captures_iter(html)
        .map(|c| c[1].to_string())
        .collect()
}
