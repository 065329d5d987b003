//! The benchmark's corpus generator (`bench/gen.py`) keeps writing content that bulletin
//! accepts, and a Hugo twin with the same items. Speed itself is measured by `bench/run.sh`,
//! never here.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use crate::support::{repo, snapshot_dir, SiteTest};

const KINDS: [&str; 5] = ["articles", "policies", "rankings", "books", "products"];

/// Runs the generator (python3 from the machine, as bench/run.sh does).
fn generate(pages: u32, root: &Path, hugo: &Path) {
    let out = Command::new("python3")
        .arg(repo().join("bench/gen.py"))
        .args(["--pages", &pages.to_string(), "--hugo"])
        .arg(hugo)
        .arg(root)
        .output()
        .expect("python3 must be installed to run bench/gen.py");
    assert!(
        out.status.success(),
        "bench/gen.py failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// File stems of the `.md`/`.yaml` files under `dir`, `_index` pages left out.
fn stems(dir: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let stem = e.path().file_stem()?.to_str()?.to_string();
            (stem != "_index").then_some(stem)
        })
        .collect()
}

#[test]
fn generated_corpus_passes_check_and_builds_every_kind() {
    let site = SiteTest::bare();
    let hugo = tempfile::tempdir().expect("tempdir");
    generate(200, site.root(), hugo.path());

    site.run(&["check"]).ok();
    site.build().ok();

    for kind in KINDS {
        let items = stems(&site.root().join("content").join(kind));
        assert!(!items.is_empty(), "the corpus has no {kind}");
        for slug in &items {
            let page = site.out().join(kind).join(slug).join("index.html");
            assert!(page.is_file(), "no page for {kind}/{slug}");
        }
        // The Hugo twin holds the same items under the same slugs.
        assert_eq!(
            stems(&hugo.path().join("content").join(kind)),
            items,
            "Hugo's {kind} differ from bulletin's"
        );
    }
    // Articles link the policies they report, in the front matter and in the body.
    let linked = walkdir::WalkDir::new(site.root().join("content/articles"))
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .find_map(|e| {
            let text = std::fs::read_to_string(e.path()).expect("read");
            let line = text.lines().find(|l| l.starts_with("policies: "))?;
            let slug = line.split('"').nth(1)?.to_string();
            let stem = e.path().file_stem()?.to_str()?.to_string();
            Some((stem, slug))
        })
        .expect("some article reports a policy");
    let page = site.read(&format!("articles/{}/index.html", linked.0));
    assert!(
        page.contains(&format!("href=\"../../policies/{}/\"", linked.1)),
        "article {} does not link policy {}",
        linked.0,
        linked.1
    );
}

#[test]
fn generator_is_deterministic() {
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    for dir in [&a, &b] {
        generate(150, &dir.path().join("root"), &dir.path().join("hugo"));
    }
    let (sa, sb) = (snapshot_dir(a.path()), snapshot_dir(b.path()));
    assert!(sa.keys().any(|k| k.starts_with("hugo/content/policies/")));
    assert!(
        sa == sb,
        "two runs with the same seed wrote different files"
    );
}
