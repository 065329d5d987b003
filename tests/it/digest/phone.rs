//! The shipped months' digests as a phone shows them: rendered in a real headless Chromium at
//! 375×844 (tests/tools/digest_phone.cjs), measured, and the July one photographed for the
//! README (docs/img/digest-2024-07-375.png).

use std::process::Command;

use serde_json::Value;

use super::*;
use crate::support::{repo, SiteTest};

/// Lines an item may take before its 阅读全文 at 375 px.
const ITEM_LINES: u64 = 6;
const SCREEN: f64 = 844.0;

fn browser_ready() -> bool {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    has_tool(
        "chromium (apt chromium fonts-noto-cjk)",
        Path::new(&chromium).is_file(),
    ) && has_tool(
        "npm playwright-core",
        repo().join("node_modules/playwright-core").is_dir(),
    )
}

/// Renders `month` of the shipped content and returns the measurements.
fn render(month: &str, screenshot: Option<&Path>) -> Value {
    let site = SiteTest::shipped();
    let out = site.root().join("preview");
    digest(&site, &[month, "--out", out.to_str().expect("utf8")], None).ok();
    let profile = tempfile::tempdir().expect("profile");
    let mut cmd = Command::new("node");
    cmd.arg(repo().join("tests/tools/digest_phone.cjs"))
        .arg(out.join("email.html"))
        .arg(profile.path())
        .current_dir(repo());
    if let Some(p) = screenshot {
        cmd.arg(p);
    }
    let run = cmd.output().expect("node");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_slice(&run.stdout).expect("json")
}

fn check(m: &Value, month: &str, max_height: u64, counts: &[&str]) {
    let height = m["height"].as_u64().expect("height");
    eprintln!("digest {month} at 375 px: {height} px tall");
    assert!(
        height <= max_height,
        "{month}: {height} px > {max_height} px"
    );
    // The first screen: the overview's counts and the link to the web page.
    let f = |k: &str| m[k].as_f64().unwrap_or(f64::INFINITY);
    assert!(
        f("weblink_bottom") <= SCREEN,
        "{month}: web link below the first screen: {m}"
    );
    assert!(
        f("counts_bottom") <= SCREEN,
        "{month}: counts below the first screen: {m}"
    );
    assert!(
        m["weblink_href"]
            .as_str()
            .is_some_and(|h| h == format!("{BASE}digest/{month}/")),
        "{m}"
    );
    let text = m["counts_text"].as_str().expect("counts");
    for c in counts {
        assert!(text.contains(c), "{month}: the overview lacks {c}: {text}");
    }
    // Every item is short before its 阅读全文.
    let items = m["items"].as_array().expect("items");
    let with_more: Vec<&Value> = items.iter().filter(|i| i["has_more"] == true).collect();
    assert!(
        with_more.len() >= 10,
        "{month}: {} items with 阅读全文",
        with_more.len()
    );
    for i in with_more {
        let lines = i["lines"].as_u64().expect("lines");
        assert!(
            lines <= ITEM_LINES,
            "{month}: {} takes {lines} lines before 阅读全文",
            i["title"]
        );
    }
    // Nothing wider than a small phone.
    assert!(
        m["overflow_320"].as_f64().expect("overflow") <= 0.0,
        "{month}: overflow at 320 px: {m}"
    );
    // The dark palette applies where the reader asks for it.
    let dark = m["dark"]["background"].as_str().expect("dark");
    assert_ne!(dark, m["light_background"].as_str().expect("light"), "{m}");
    let rgb: Vec<u32> = dark
        .trim_start_matches("rgb(")
        .trim_end_matches(')')
        .split(',')
        .map(|x| x.trim().parse().expect("rgb"))
        .collect();
    assert!(rgb.iter().sum::<u32>() < 150, "dark background {dark}");
}

#[test]
fn july_digest_reads_on_a_phone() {
    if !browser_ready() {
        return;
    }
    let shot = repo().join("docs/img/digest-2024-07-375.png");
    std::fs::create_dir_all(shot.parent().expect("dir")).expect("docs/img");
    let m = render("2024-07", Some(&shot));
    check(&m, "2024-07", 7_000, &["30项政策", "6个榜单", "4本书"]);
    assert!(shot.is_file());
}

#[test]
fn may_digest_reads_on_a_phone() {
    if !browser_ready() {
        return;
    }
    let m = render("2024-05", None);
    check(&m, "2024-05", 9_000, &["83项政策", "62项金融产品"]);
}
