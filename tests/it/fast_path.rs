//! `serve`'s fast path (`incremental::hot`) against a full plan, in process: after each kind
//! of edit of item files of the shipped content (front matter fields, bodies, additions,
//! removals), the files the fast path left must be exactly those a full build makes, each with
//! the fingerprint a full build gives it. A page the dependency tracking missed would keep its
//! old fingerprint and show up here as stale.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use bulletin::incremental::hot::{Fast, Hot};
use bulletin::incremental::{plan, plan_hot, replace_in_place};
use bulletin::view::BodyCache;

use crate::support::SiteTest;

/// A site root served by the fast path: the output folder, its fingerprints and the state.
struct Served {
    site: SiteTest,
    out: PathBuf,
    fingerprints: BTreeMap<String, String>,
    hot: Hot,
    bodies: BodyCache,
}

impl Served {
    fn start(site: SiteTest) -> Served {
        let out = site.out();
        let bodies = BodyCache::default();
        let plan = plan_hot(
            site.root(),
            &bodies,
            None,
            None,
            &|_| None,
            true,
            &indicatif::ProgressBar::hidden(),
            None,
        )
        .expect("the shipped content builds");
        let (planned, hot) = (plan.planned, plan.hot);
        replace_in_place(site.root(), &out, &planned, &[]).expect("write the site");
        let fingerprints = planned
            .into_iter()
            .map(|p| (p.path, p.fingerprint))
            .collect();
        Served {
            site,
            out,
            fingerprints,
            hot: hot.expect("kept"),
            bodies,
        }
    }

    /// Tells the fast path that `rels` changed; panics unless it took them.
    #[track_caller]
    fn saved(&mut self, rels: &[&Path], what: &str) {
        let changed: Vec<PathBuf> = rels.iter().map(|r| self.site.root().join(r)).collect();
        let done = self
            .hot
            .apply(
                self.site.root(),
                &self.out,
                &changed,
                &self.bodies,
                &mut self.fingerprints,
            )
            .expect("write");
        assert!(
            matches!(done, Fast::Done { .. }),
            "{what}: the fast path did not take it"
        );
        self.assert_matches_a_full_plan(what);
    }

    /// Every file of the site is one a full build makes, with its fingerprint, and no more.
    #[track_caller]
    fn assert_matches_a_full_plan(&self, what: &str) {
        let full = plan(self.site.root(), &BodyCache::default(), &|p| {
            self.fingerprints.get(p).map(String::as_str)
        })
        .expect("the content builds");
        let stale: Vec<&str> = full
            .iter()
            .filter(|p| p.is_new())
            .map(|p| p.path.as_str())
            .collect();
        assert!(stale.is_empty(), "after {what}: stale files {stale:?}");
        let want: BTreeSet<&str> = full.iter().map(|p| p.path.as_str()).collect();
        let known: BTreeSet<&str> = self.fingerprints.keys().map(String::as_str).collect();
        assert_eq!(known, want, "after {what}: the fingerprinted files differ");
        let on_disk: BTreeSet<String> = walkdir::WalkDir::new(&self.out)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(&self.out).expect("inside");
                rel.to_string_lossy().into_owned()
            })
            .collect();
        let on_disk: BTreeSet<&str> = on_disk.iter().map(String::as_str).collect();
        assert_eq!(on_disk, want, "after {what}: the files on disk differ");
    }
}

/// The item files of the content, by kind folder, sorted.
fn item_files(root: &Path) -> BTreeMap<String, Vec<PathBuf>> {
    let mut files: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for kind in ["articles", "policies", "rankings", "books", "products"] {
        for e in walkdir::WalkDir::new(root.join("content").join(kind))
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
        {
            let rel = e.path().strip_prefix(root).expect("inside").to_path_buf();
            files.entry(kind.to_string()).or_default().push(rel);
        }
    }
    files
}

/// Splits an item file into its front matter (as YAML) and the rest.
fn split(text: &str, markdown: bool) -> (serde_yaml::Mapping, String) {
    if !markdown {
        return (serde_yaml::from_str(text).expect("yaml"), String::new());
    }
    let rest = text.strip_prefix("---\n").expect("front matter");
    let end = rest.find("\n---\n").expect("closed front matter");
    let yaml = serde_yaml::from_str(&rest[..end]).expect("yaml");
    (yaml, rest[end + 5..].to_string())
}

fn join(yaml: &serde_yaml::Mapping, body: &str, markdown: bool) -> String {
    let y = serde_yaml::to_string(yaml).expect("yaml");
    if markdown {
        format!("---\n{y}---\n{body}")
    } else {
        y
    }
}

/// Edits the front matter (and body) of an item file as an editor would.
fn edit(root: &Path, rel: &Path, f: impl FnOnce(&mut serde_yaml::Mapping, &mut String)) {
    let path = root.join(rel);
    let markdown = rel.extension().is_some_and(|e| e == "md");
    let text = std::fs::read_to_string(&path).expect("read");
    let (mut yaml, mut body) = split(&text, markdown);
    f(&mut yaml, &mut body);
    std::fs::write(&path, join(&yaml, &body, markdown)).expect("write");
}

fn set(y: &mut serde_yaml::Mapping, key: &str, value: serde_yaml::Value) {
    y.insert(key.into(), value);
}

fn append_to(y: &mut serde_yaml::Mapping, key: &str, suffix: &str) {
    if let Some(serde_yaml::Value::String(s)) = y.get_mut(key) {
        s.push_str(suffix);
    }
}

#[test]
fn every_kind_of_item_edit_equals_a_full_plan() {
    // Without the issues' printed contents, so that every item may leave its issue or go (with
    // them, that is a check error: see `an_edit_that_breaks_an_issues_contents_falls_back`).
    let site = SiteTest::shipped();
    for issue in walkdir::WalkDir::new(site.root().join("content/issues")) {
        let path = issue.expect("walk").into_path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let text = std::fs::read_to_string(&path).expect("issue");
            let head = text.split("\ncontents:\n").next().unwrap_or(&text);
            std::fs::write(&path, format!("{}\n", head.trim_end())).expect("write");
        }
    }
    let mut served = Served::start(site);
    let root = served.site.root().to_path_buf();
    served.assert_matches_a_full_plan("the first build");
    for (kind, files) in item_files(&root) {
        // The first, a middle and the last file of each kind: oldest, newest, and between.
        let picks: BTreeSet<&PathBuf> =
            [&files[0], &files[files.len() / 2], &files[files.len() - 1]]
                .into_iter()
                .collect();
        for rel in picks {
            let name = rel.display().to_string();
            let title = if kind == "products" { "name" } else { "title" };
            edit(&root, rel, |y, _| append_to(y, title, "（修订）"));
            served.saved(&[rel], &format!("a title edit of {name}"));

            edit(&root, rel, |y, _| set(y, "date", "2019-03-02".into()));
            served.saved(&[rel], &format!("a date edit of {name}"));

            edit(&root, rel, |y, _| {
                y.remove("issue");
                y.remove("section");
            });
            served.saved(&[rel], &format!("taking {name} out of its issue"));

            match kind.as_str() {
                "articles" | "policies" => {
                    edit(&root, rel, |y, body| {
                        set(y, "tags", vec!["测试新标签", "中小企业"].into());
                        body.insert_str(0, "新的第一段，改变卡片摘要。\n\n");
                    });
                    served.saved(&[rel], &format!("new tags and excerpt of {name}"));
                    if kind == "articles" {
                        edit(&root, rel, |y, _| {
                            set(y, "regions", vec!["河北省"].into());
                            y.remove("policies");
                        });
                    } else {
                        edit(&root, rel, |y, _| {
                            set(y, "region", "河北省".into());
                            set(y, "level", "市级".into());
                            append_to(y, "summary", "新增一句摘要。");
                        });
                    }
                    served.saved(&[rel], &format!("regions and facets of {name}"));
                }
                "products" => {
                    edit(&root, rel, |y, _| {
                        set(y, "region", "河北省".into());
                        append_to(y, "summary", "新增一句摘要。");
                    });
                    served.saved(&[rel], &format!("the region of {name}"));
                }
                _ => {
                    edit(&root, rel, |y, _| append_to(y, "summary", "新增一句摘要。"));
                    served.saved(&[rel], &format!("the summary of {name}"));
                }
            }

            // Gone, then back under another name: a removal and an addition.
            let text = std::fs::read_to_string(root.join(rel)).expect("read");
            std::fs::remove_file(root.join(rel)).expect("remove");
            if kind == "policies" && named_by_an_article(&root, rel) {
                // A check error, the general path's to report: the fast path leaves it alone.
                let done = served
                    .hot
                    .apply(
                        &root,
                        &served.out,
                        &[root.join(rel)],
                        &served.bodies,
                        &mut served.fingerprints,
                    )
                    .expect("no write");
                assert!(
                    matches!(done, Fast::Fallback),
                    "removing {name}, which an article names"
                );
                std::fs::write(root.join(rel), &text).expect("restore");
                continue;
            }
            served.saved(&[rel], &format!("removing {name}"));
            let moved = rel.with_file_name(format!(
                "zz-moved-{}",
                rel.file_name().expect("name").to_string_lossy()
            ));
            std::fs::write(root.join(&moved), &text).expect("write");
            served.saved(
                &[&moved],
                &format!("adding {name} back as {}", moved.display()),
            );
        }
    }
}

/// Whether an article names the policy of file `rel` in its `policies`.
#[test]
fn an_edit_that_breaks_an_issues_contents_falls_back() {
    let mut served = Served::start(SiteTest::fixture());
    let root = served.site.root().to_path_buf();
    let rel = Path::new("content/rankings/2024-07/2023-dujiaoshou.yaml");
    let text = std::fs::read_to_string(root.join(rel)).expect("read");
    let mut try_save = |what: &str| {
        let done = served
            .hot
            .apply(
                &root,
                &served.out,
                &[root.join(rel)],
                &served.bodies,
                &mut served.fingerprints,
            )
            .expect("no write");
        assert!(matches!(done, Fast::Fallback), "{what}");
    };
    edit(&root, rel, |y, _| {
        y.remove("issue");
        y.remove("section");
    });
    try_save("taking an item the contents name out of its issue");
    std::fs::remove_file(root.join(rel)).expect("remove");
    try_save("removing an item the contents name");
    std::fs::write(root.join(rel), &text).expect("restore");
}

fn named_by_an_article(root: &Path, rel: &Path) -> bool {
    let slug = rel.file_stem().expect("stem").to_string_lossy();
    item_files(root)["articles"].iter().any(|a| {
        let (yaml, _) = split(&std::fs::read_to_string(root.join(a)).expect("read"), true);
        yaml.get("policies")
            .and_then(|p| p.as_sequence())
            .is_some_and(|ps| ps.iter().any(|p| p.as_str() == Some(&*slug)))
    })
}
