//! `bulletin import` proposing the policies its articles report (issue 12 §5), on the 2024
//! 第七期 《信息摘编》, against the policies shipped in content/policies for that issue; and the
//! text read in the encodings Windows exports in China.

use bulletin::import::{import_file, parse};
use serde_yaml::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::support::{repo, text_files, SiteTest};

const FIXTURE: &str = "tests/fixtures/import/xinxi-zhaibian-2024-07.txt";
const SHIPPED: &str = "content/policies/xinxi-zhaibian-2024-07";

/// Titles compared as the importer promises: no whitespace, full- and half-width alike.
fn key(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c as u32 {
            0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// The front matter of a policy file, its `# ` comment lines dropped by YAML itself.
fn front(text: &str) -> BTreeMap<String, Value> {
    let rest = text.strip_prefix("---\n").expect("front matter");
    let (yaml, _) = rest.split_once("\n---\n").expect("closed front matter");
    serde_yaml::from_str(yaml).expect("yaml")
}

fn field(m: &BTreeMap<String, Value>, k: &str) -> Option<String> {
    match m.get(k)? {
        Value::String(s) => Some(s.clone()),
        Value::Sequence(items) => Some(
            items
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("、"),
        ),
        other => serde_yaml::to_string(other)
            .ok()
            .map(|s| s.trim().to_string()),
    }
}

const FIELDS: [&str; 6] = ["title", "date", "issuers", "level", "region", "doc_number"];

/// Proposes exactly the shipped policies that the issue's `附：《…》` lines name as policy
/// documents; every field it fills is in the text of the reporting article; the counts of fields
/// that agree with the hand-made shipped files are computed and printed.
#[test]
fn proposes_the_named_policies_and_fills_only_what_the_text_states() {
    let site = SiteTest::empty();
    let report = site.import(&repo().join(FIXTURE));
    let bulletin =
        parse(&std::fs::read_to_string(repo().join(FIXTURE)).expect("read")).expect("parse");
    let shipped: Vec<BTreeMap<String, Value>> = text_files(&repo().join(SHIPPED))
        .values()
        .map(|t| front(t))
        .collect();

    // What should be proposed, computed from the text and the shipped files: every shipped
    // policy whose title is a name on a `附：《…》` line that reads as a policy document.
    let named: Vec<String> = bulletin
        .articles
        .iter()
        .flat_map(|a| a.policy_documents.iter())
        .filter(|n| bulletin::import::is_policy_name(n))
        .map(|n| key(n))
        .collect();
    let mut want: Vec<String> = shipped
        .iter()
        .filter_map(|m| field(m, "title"))
        .map(|t| key(&t))
        .filter(|t| named.contains(t))
        .collect();
    want.sort();
    let drafts: Vec<(PathBuf, BTreeMap<String, Value>, String)> = report
        .proposed
        .iter()
        .map(|(p, _)| {
            let text = std::fs::read_to_string(p).expect("draft");
            (p.clone(), front(&text), text)
        })
        .collect();
    let mut got: Vec<String> = drafts
        .iter()
        .filter_map(|(_, m, _)| field(m, "title"))
        .map(|t| key(&t))
        .collect();
    got.sort();
    assert_eq!(
        got, want,
        "proposed titles vs shipped titles named on 附 lines"
    );
    assert!(!got.is_empty());
    // Everything else named on a 附 line is listed as not proposed, with its line.
    assert_eq!(
        report.not_policies.len(),
        bulletin
            .articles
            .iter()
            .map(|a| a.policy_documents.len())
            .sum::<usize>()
            - named.len()
    );

    let mut agree: BTreeMap<&str, usize> = BTreeMap::new();
    let mut left: BTreeMap<&str, usize> = BTreeMap::new();
    let mut differ: Vec<String> = Vec::new();
    let mut whole = 0;
    for (path, d, text) in &drafts {
        assert!(text.starts_with("---\n# TODO: "), "{text}");
        let title = field(d, "title").unwrap_or_default();
        let article = bulletin
            .articles
            .iter()
            .find(|a| a.policy_documents.iter().any(|n| key(n) == key(&title)))
            .expect("reporting article");
        let s = shipped
            .iter()
            .find(|m| field(m, "title").map(|t| key(&t)) == Some(key(&title)))
            .expect("shipped");
        let mut all = true;
        for f in FIELDS {
            let (dv, sv) = (field(d, f), field(s, f));
            if dv.as_deref().is_some_and(|v| v.contains("TODO:")) {
                *left.entry(f).or_default() += 1;
                all = false;
                continue;
            }
            if dv == sv {
                *agree.entry(f).or_default() += 1;
            } else {
                all = false;
                differ.push(format!("{title}: {f} draft {dv:?}, shipped {sv:?}"));
            }
            // Never invented: each issuer, the region and the doc number are in the article.
            let traced = match f {
                "issuers" => d["issuers"]
                    .as_sequence()
                    .expect("issuers")
                    .iter()
                    .filter_map(Value::as_str)
                    .all(|i| key(&article.body).contains(&key(i))),
                "region" | "doc_number" => dv.as_deref().is_none_or(|v| {
                    key(&article.body).contains(&key(v)) || article.title.starts_with(v)
                }),
                _ => true,
            };
            assert!(
                traced,
                "{}: {f} {dv:?} is not in the article",
                path.display()
            );
        }
        whole += usize::from(all);
        // The article links its draft.
        let article_file = site
            .text_files("content/articles")
            .into_iter()
            .find(|(_, t)| t.contains(&format!("title: {}\n", article.title)))
            .map(|(_, t)| t)
            .expect("article file");
        let slug = path.file_stem().and_then(|s| s.to_str()).expect("slug");
        assert!(
            article_file.contains(&format!("- {slug}\n")),
            "{article_file}"
        );
    }
    eprintln!(
        "proposed {} of {} shipped policies ({} named on 附 lines); all six fields agree: {whole}",
        drafts.len(),
        shipped.len(),
        want.len()
    );
    for f in FIELDS {
        eprintln!(
            "  {f}: agree {}, left for the editor {}",
            agree.get(f).unwrap_or(&0),
            left.get(f).unwrap_or(&0)
        );
    }
    for d in &differ {
        eprintln!("  differs: {d}");
    }
    // A title is never left or changed, and a stated date is the shipped date to the day.
    assert_eq!(agree.get("title"), Some(&drafts.len()));
    assert!(!differ.iter().any(|d| d.contains(": date ")), "{differ:#?}");
}

/// What an editor does to confirm a draft: fill each `TODO:` value and delete the marker line.
pub(crate) fn confirm(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_issuers = false;
    for line in text.lines() {
        if line.starts_with("# TODO:") {
            continue;
        }
        let filled = if !line.contains("TODO:") {
            line.to_string()
        } else if line.starts_with("date:") {
            "date: 2024-07-01".to_string()
        } else if line.starts_with("level:") {
            "level: 国家".to_string()
        } else if line.starts_with("summary:") {
            "summary: 编辑核对后填写的摘要。".to_string()
        } else if in_issuers {
            "- 编辑核对后的机关".to_string()
        } else {
            // Not one the importer writes: left for `check` to refuse.
            line.to_string()
        };
        in_issuers = line.starts_with("issuers:") || (in_issuers && line.starts_with("- "));
        out.push(filled);
    }
    out.join("\n") + "\n"
}

/// The editor's loop through the real binary: import writes the drafts and lists them; `check`
/// refuses each with its file, line and how to confirm it; once confirmed, the site checks and
/// builds, each policy page lists its article; importing again proposes nothing.
#[test]
fn drafts_are_refused_until_confirmed_then_build() {
    let site = SiteTest::new();
    let fixture = repo().join(FIXTURE);
    let args = [
        "import",
        fixture.to_str().expect("utf8"),
        "--series",
        "xinxi-zhaibian",
        "--id",
        "2024-07",
    ];
    let run = site.run(&args);
    run.ok();
    let out = run.stderr();
    let drafts = text_files(&site.root().join("content/policies"));
    let n = drafts.len();
    assert!(n > 0);
    assert!(
        out.contains(&format!("proposed {n} draft policies")),
        "{out}"
    );
    for path in drafts.keys() {
        let rel = path.strip_prefix(site.root()).expect("under root");
        assert!(out.contains(&rel.display().to_string()), "{out}");
    }
    assert!(out.contains("not proposed"), "{out}");

    let err = site.run(&["check"]).fails_with(1);
    assert_eq!(err.matches("unconfirmed draft").count(), n, "{err}");
    for path in drafts.keys() {
        let rel = path.strip_prefix(site.root()).expect("under root");
        assert!(
            err.contains(&format!("{}:2:1", rel.display())),
            "{rel:?} in {err}"
        );
    }
    assert!(
        err.contains("then delete line 2 to confirm the file"),
        "{err}"
    );

    for (path, text) in &drafts {
        std::fs::write(path, confirm(text)).expect("write");
    }
    site.run(&["check"]).ok();
    site.build().ok();
    let (path, text) = drafts.iter().next().expect("a draft");
    let slug = path.file_stem().and_then(|s| s.to_str()).expect("slug");
    let page = site.read(&format!("policies/{slug}/index.html"));
    let title = front(text)["title"].as_str().expect("title").to_string();
    assert!(page.contains(&title), "{page}");
    assert!(page.contains("/articles/"), "the page links its article");

    let again = site.run(&args);
    again.ok();
    let out = again.stderr();
    assert!(
        !out.contains("draft polic") && !out.contains("not linked"),
        "{out}"
    );
    assert!(
        out.contains(&format!("already policies ({n}), linked")),
        "{out}"
    );
    assert_eq!(text_files(&site.root().join("content/policies")).len(), n);
}

fn utf16(s: &str, le: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend(if le { [0xff, 0xfe] } else { [0xfe, 0xff] });
    }
    for u in s.encode_utf16() {
        out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

/// GB18030 and UTF-16 (with and without a byte-order mark) give the very files UTF-8 gives,
/// and the report says how the text was read.
#[test]
fn gb18030_and_utf16_text_imports_as_utf8_does() {
    let text = std::fs::read_to_string(repo().join(FIXTURE)).expect("read");
    let base = SiteTest::empty();
    base.import(&repo().join(FIXTURE));
    let expected: Vec<(PathBuf, String)> = base
        .text_files("")
        .into_iter()
        .map(|(p, t)| (p.strip_prefix(base.root()).expect("rel").to_path_buf(), t))
        .collect();
    let (gb, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable);
    for (bytes, name) in [
        (gb.into_owned(), "GB18030"),
        (utf16(&text, true, true), "UTF-16LE"),
        (utf16(&text, true, false), "UTF-16LE"),
        (utf16(&text, false, true), "UTF-16BE"),
        (utf16(&text, false, false), "UTF-16BE"),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        let input = dir.path().join("bulletin.txt");
        std::fs::write(&input, &bytes).expect("write");
        let site = SiteTest::empty();
        let report = site.import(&input);
        assert!(
            report
                .to_string()
                .starts_with(&format!("read the text as {name} (detected")),
            "{report}"
        );
        let got: Vec<(PathBuf, String)> = site
            .text_files("")
            .into_iter()
            .map(|(p, t)| (p.strip_prefix(site.root()).expect("rel").to_path_buf(), t))
            .collect();
        assert!(
            got == expected,
            "{name}: files differ from the UTF-8 import"
        );
    }
}

/// A named encoding is used as named: the GB18030 text read as UTF-8 is an error at the line of
/// its first bad byte, naming the option; bytes of no encoding are refused, nothing written.
#[test]
fn encoding_option_and_undecodable_text() {
    let site = SiteTest::new();
    let text = std::fs::read_to_string(repo().join(FIXTURE)).expect("read");
    let (gb, _, _) = encoding_rs::GB18030.encode(&text);
    site.write_bytes("gb.txt", &gb);
    let gb_path = site.root().join("gb.txt");
    let before = crate::support::snapshot_dir(&site.root().join("content"));
    let run = |enc: &[&str], input: &Path| {
        let mut args = vec![
            "import",
            input.to_str().expect("utf8"),
            "--series",
            "xinxi-zhaibian",
            "--id",
            "2024-07",
        ];
        args.extend(enc);
        site.run(&args)
    };
    let err = run(&["--encoding", "utf-8"], &gb_path).fails_with(1);
    assert!(
        // Lines 1 and 2 are blank: the masthead's first byte is the first that is not UTF-8.
        err.contains("gb.txt: line 3, column 1: not valid UTF-8 text")
            && err.contains("--encoding takes utf-8, utf-16le, utf-16be, gb18030"),
        "{err}"
    );
    let err = run(&["--encoding", "latin-1"], &gb_path).fails_with(2);
    assert!(err.contains("unknown encoding `latin-1`"), "{err}");
    run(&["--encoding", "gbk"], &gb_path).ok();

    // UTF-8 up to line 3, then a byte no encoding here explains.
    let mut bad = "信息摘编\n\n2024年 第七期\n".as_bytes().to_vec();
    bad.extend([0xff, 0xfe, 0x80]);
    site.write_bytes("bad.txt", &bad);
    let site2 = SiteTest::new();
    let err = site2
        .run(&[
            "import",
            site.root().join("bad.txt").to_str().expect("utf8"),
            "--series",
            "xinxi-zhaibian",
            "--id",
            "2024-08",
        ])
        .fails_with(1);
    assert!(
        err.contains("bad.txt: line 4, column 1: not valid UTF-8 text, and not UTF-16 or GB18030 throughout either"),
        "{err}"
    );
    assert!(err.contains("--encoding"), "{err}");
    assert_ne!(
        before,
        crate::support::snapshot_dir(&site.root().join("content")),
        "the gbk run imported"
    );
    assert!(!site2.root().join("content/issues").exists());
}

/// `--force` rewrites the articles but never a policy: an edited draft stays as the
/// editor left it and is linked again. Imported over the shipped content, the issue proposes
/// nothing: each named document is matched to its shipped policy (by title).
#[test]
fn force_never_rewrites_a_policy_and_shipped_policies_are_matched() {
    let drafted = SiteTest::empty();
    let first = drafted.import(&repo().join(FIXTURE));
    let (draft, _) = first.proposed.first().expect("a draft").clone();
    let edited = confirm(&std::fs::read_to_string(&draft).expect("read"));
    std::fs::write(&draft, &edited).expect("write");
    let forced = import_file(&repo().join(FIXTURE), &drafted.import_options(true)).expect("import");
    assert!(forced.proposed.is_empty(), "{forced}");
    assert_eq!(forced.matched.len(), first.proposed.len());
    assert!(!forced.overwritten.contains(&draft));
    assert_eq!(std::fs::read_to_string(&draft).expect("read"), edited);
    let slug = draft.file_stem().and_then(|s| s.to_str()).expect("slug");
    let linked = forced
        .overwritten
        .iter()
        .filter(|p| {
            std::fs::read_to_string(p)
                .expect("read")
                .contains(&format!("- {slug}\n"))
        })
        .count();
    assert_eq!(linked, 1, "the forced article links the kept draft");

    let site = SiteTest::shipped();
    let report = site.import(&repo().join(FIXTURE));
    assert!(report.proposed.is_empty(), "{report}");
    assert_eq!(report.matched.len(), first.proposed.len(), "{report}");
    for (_, path) in &report.matched {
        assert!(
            path.starts_with(site.root().join(SHIPPED)),
            "{}",
            path.display()
        );
    }
}

/// Import knows the regions of the site's own vocabulary: a region an editor adds to
/// `content/vocab/regions.yaml` is the region and level of the policy an article reports from
/// it, with no change to the code; before it is added, import leaves both to the editor.
#[test]
fn a_region_added_to_the_vocabulary_is_recognised_by_import() {
    let text = std::fs::read_to_string(repo().join(FIXTURE))
        .expect("read")
        .replace("福建：实施五项工程", "闽东：实施五项工程");
    let draft = |vocab_line: Option<&str>| {
        let site = SiteTest::fixture();
        let regions = site.root().join("content/vocab/regions.yaml");
        let mut yaml = std::fs::read_to_string(&regions).expect("regions");
        if let Some(line) = vocab_line {
            yaml.push_str(line);
        }
        site.write("content/vocab/regions.yaml", &yaml);
        let input = site.root().join("bulletin.txt");
        std::fs::write(&input, &text).expect("write");
        let report = site.import(&input);
        let (path, _) = report
            .proposed
            .iter()
            .find(|(_, name)| name == "推动工业领域设备更新工作实施方案")
            .expect("the article's policy is proposed");
        front(&std::fs::read_to_string(path).expect("draft"))
    };
    let before = draft(None);
    assert_eq!(field(&before, "region"), None, "{before:?}");
    assert!(
        field(&before, "level").is_some_and(|v| v.contains("TODO:")),
        "before the vocabulary names 闽东: {before:?}"
    );
    let after = draft(Some("- {name: 闽东省, aliases: [闽东], level: 省级}\n"));
    assert_eq!(
        field(&after, "region").as_deref(),
        Some("闽东"),
        "{after:?}"
    );
    // Its issuers (省工信厅、省财政厅) are the region's own departments.
    assert_eq!(field(&after, "level").as_deref(), Some("省级"), "{after:?}");
}
