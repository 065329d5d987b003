//! What `build` and `serve` may write, and that publishing is all or nothing: an output folder
//! that is not bulletin's is refused with every file left in place; a failed build (bad content,
//! a full disk, a read-only folder) leaves `site/` byte-identical; a build killed at any point
//! leaves the old site or the new one, once the next command has finished its journal.

use std::collections::BTreeMap;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{bin, require_tools, snapshot_dir, SiteTest};

/// Every file under `dir` with its bytes, and every folder, for "nothing was touched".
fn everything(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.expect("walk"))
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("prefix")
                .display()
                .to_string();
            let bytes = e
                .file_type()
                .is_file()
                .then(|| fs::read(e.path()).expect("read"));
            (rel, bytes)
        })
        .collect()
}

/// Runs `bulletin ARGS` in `cwd` and expects a usage error naming `named`.
#[track_caller]
fn refused(cwd: &Path, args: &[&str], named: &str) {
    let out = bin()
        .current_dir(cwd)
        .args(args)
        .env("CI", "true")
        .stdin(Stdio::null())
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{args:?}: expected exit 2\n{err}"
    );
    assert!(
        err.contains(&format!("refusing to write the site into {named}")) && err.contains("hint:"),
        "{args:?}: the error must name {named} and give a hint:\n{err}"
    );
}

#[test]
fn out_may_never_be_the_root_its_sources_or_a_folder_above_them() {
    let site = SiteTest::fixture();
    // Everything above the root too: a parent holding other files must survive.
    let parent = tempfile::tempdir().expect("tempdir");
    let root = parent.path().join("r");
    crate::support::copy_dir(site.root(), &root);
    fs::write(parent.path().join("notes.txt"), "an editor's file").expect("write");
    let root = fs::canonicalize(&root).expect("canon");
    let before = everything(parent.path());
    let r = root.to_str().expect("utf-8");
    let cases: Vec<(Vec<String>, PathBuf)> = vec![
        (vec!["--out".into(), r.into()], root.clone()),
        (
            vec!["--out".into(), format!("{r}/content")],
            root.join("content"),
        ),
        (
            vec!["--out".into(), format!("{r}/templates")],
            root.join("templates"),
        ),
        (
            vec!["--out".into(), format!("{r}/content/site.yaml")],
            root.join("content/site.yaml"),
        ),
        (
            vec!["--out".into(), format!("{r}/templates/new")],
            root.join("templates/new"),
        ),
        (
            vec!["--out".into(), format!("{r}/content/../")],
            root.clone(),
        ),
        (
            vec!["--out".into(), format!("{r}/..")],
            root.parent().expect("p").to_path_buf(),
        ),
        (
            vec!["--out".into(), format!("{r}/.bulletin-cache")],
            root.join(".bulletin-cache"),
        ),
    ];
    for (extra, named) in &cases {
        for cmd in ["build", "serve"] {
            let mut args = vec![cmd, "--root", r];
            args.extend(extra.iter().map(String::as_str));
            if cmd == "serve" {
                args.extend(["--port", "0"]);
            }
            refused(parent.path(), &args, &named.display().to_string());
        }
    }
    // `cd R && bulletin build --out .`
    refused(&root, &["build", "--out", "."], r);
    // A link to the root is the root.
    std::os::unix::fs::symlink(&root, parent.path().join("link")).expect("symlink");
    let link = parent.path().join("link");
    refused(
        parent.path(),
        &["build", "--root", r, "--out", link.to_str().expect("utf-8")],
        r,
    );
    fs::remove_file(&link).expect("rm link");
    assert_eq!(
        everything(parent.path()),
        before,
        "a refused --out touched files"
    );
}

#[test]
fn a_folder_holding_other_files_is_refused_an_empty_or_built_one_is_replaced() {
    let site = SiteTest::fixture();
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let foreign = elsewhere.path().join("photos");
    fs::create_dir_all(foreign.join("2024")).expect("mkdir");
    fs::write(foreign.join("2024/a.jpg"), "jpeg").expect("write");
    let before = everything(elsewhere.path());
    let f = fs::canonicalize(&foreign).expect("canon");
    let (root, fo) = (
        site.root().to_str().expect("utf-8"),
        f.to_str().expect("utf-8"),
    );
    refused(site.root(), &["build", "--root", root, "--out", fo], fo);
    refused(
        site.root(),
        &["serve", "--root", root, "--out", fo, "--port", "0"],
        fo,
    );
    assert_eq!(everything(elsewhere.path()), before);

    // An empty folder is taken, and then it is bulletin's: the next build replaces it.
    let empty = elsewhere.path().join("empty");
    fs::create_dir(&empty).expect("mkdir");
    let e = empty.to_str().expect("utf-8");
    site.run(&["build", "--out", e]).ok();
    assert!(
        empty.join(".bulletin-site").is_file(),
        "the build marks its folder"
    );
    site.run(&["build", "--clean", "--out", e]).ok();
    // A site built before the marker existed is known from the build cache.
    fs::remove_file(empty.join(".bulletin-site")).expect("rm marker");
    site.run(&["build", "--out", e]).ok();
    assert!(empty.join(".bulletin-site").is_file());
    // A file given as --out is never turned into a folder.
    let file = elsewhere.path().join("site.txt");
    fs::write(&file, "x").expect("write");
    let out = site.run(&["build", "--out", file.to_str().expect("utf-8")]);
    assert!(out.fails_with(2).contains("is a file"));
    assert_eq!(fs::read(&file).expect("read"), b"x");
}

#[test]
fn a_missing_root_is_a_usage_error_and_nothing_is_created() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nowhere");
    let m = missing.to_str().expect("utf-8");
    for args in [
        vec!["build"],
        vec!["check"],
        vec!["serve", "--port", "0"],
        vec!["new", "article", "x"],
        vec!["digest", "2024-07", "--out", "d"],
    ] {
        let out = bin()
            .arg("--root")
            .arg(&missing)
            .args(&args)
            .current_dir(dir.path())
            .env("CI", "true")
            .output()
            .expect("run");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(&format!("no folder {m}")), "{args:?}: {err}");
        assert!(!missing.exists(), "{args:?} created the root");
        assert!(fsio_empty(dir.path()), "{args:?} created files");
    }
}

fn fsio_empty(dir: &Path) -> bool {
    fs::read_dir(dir).expect("ls").next().is_none()
}

#[test]
fn a_build_that_fails_on_content_leaves_the_site_byte_identical() {
    let site = SiteTest::fixture();
    site.build().ok();
    let before = snapshot_dir(&site.out());
    let page = fs::read_dir(site.root().join("content/articles"))
        .expect("ls")
        .flatten()
        .find(|e| e.path().is_dir())
        .expect("an article folder");
    let article = fs::read_dir(page.path())
        .expect("ls")
        .flatten()
        .next()
        .expect("article");
    let text = fs::read_to_string(article.path()).expect("read");
    fs::write(article.path(), text.replacen("title:", "tittle:", 1)).expect("write");
    site.build().fails_with(1);
    assert_eq!(snapshot_dir(&site.out()), before);
}

/// A tmpfs mounted for one test, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Option<Tmpfs> {
        fs::create_dir_all(at).expect("mkdir");
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            assert!(
                !require_tools(),
                "mounting a tmpfs needs root (CI runs as root): the full-disk tests cannot run"
            );
            eprintln!("skipped: cannot mount a tmpfs here");
            return None;
        }
        Some(Tmpfs(at.to_path_buf()))
    }

    fn remount(&self, opts: &str) {
        let s = Command::new("mount")
            .args(["-o", &format!("remount,{opts}")])
            .arg(&self.0)
            .status()
            .expect("mount");
        assert!(s.success(), "remount {opts}");
    }

    fn used_kib(&self) -> u64 {
        let out = Command::new("df")
            .args(["-k", "--output=used"])
            .arg(&self.0)
            .output()
            .expect("df");
        let text = String::from_utf8_lossy(&out.stdout);
        text.lines()
            .nth(1)
            .and_then(|l| l.trim().parse().ok())
            .expect("df output")
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Replaces the body of the fixture's first article with `body`.
fn set_first_body(site: &SiteTest, body: &str) {
    let dir = site.root().join("content/articles");
    let file = walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .find(|e| e.path().extension().is_some_and(|x| x == "md"))
        .expect("an article");
    let text = fs::read_to_string(file.path()).expect("read");
    let end = text[3..].find("\n---").expect("front matter") + 3 + 4;
    fs::write(file.path(), format!("{}\n{body}\n", &text[..end])).expect("write");
}

#[test]
fn a_full_disk_or_a_read_only_folder_leaves_the_site_unchanged() {
    let site = SiteTest::fixture();
    let Some(disk) = Tmpfs::mount(&site.root().join("disk"), "64m") else {
        return;
    };
    let out = disk.0.join("site");
    let o = out.to_str().expect("utf-8").to_string();
    site.run(&["build", "--out", &o]).ok();
    let before = everything(&disk.0);
    // Leave about 200 KB free: a large new body (and the many pages a template edit rewrites)
    // cannot be written.
    disk.remount(&format!("size={}k", disk.used_kib() + 200));
    set_first_body(&site, &"长文".repeat(400_000));
    for clean in [false, true] {
        let mut args = vec!["build", "--out", &o];
        if clean {
            args.push("--clean");
        }
        let err = site.run(&args).fails_with(1);
        assert!(err.contains("No space left on device"), "{err}");
        assert!(
            err.contains(&o) && !err.contains(".build-") && !err.contains(".pending-"),
            "the error names the site's file, not a temporary folder: {err}"
        );
        assert_eq!(
            everything(&disk.0),
            before,
            "a build on a full disk changed the site (clean: {clean})"
        );
    }
    // A template edit touching every page, on the same full disk.
    set_first_body(&site, "短文。");
    let base = site.root().join("templates/base.html");
    let tpl = fs::read_to_string(&base).expect("read");
    fs::write(
        &base,
        tpl.replace("</body>", &format!("<!--{}--></body>", "x".repeat(4000))),
    )
    .expect("write");
    site.run(&["build", "--out", &o]).fails_with(1);
    assert_eq!(
        everything(&disk.0),
        before,
        "a template build on a full disk changed the site"
    );
    // A read-only folder: the build fails and nothing changes.
    disk.remount("size=64m");
    disk.remount("ro");
    let err = site.run(&["build", "--out", &o]).fails_with(1);
    assert!(err.contains("Read-only file system"), "{err}");
    assert_eq!(
        everything(&disk.0),
        before,
        "a build into a read-only folder changed the site"
    );
    // Writable again, the build goes through.
    disk.remount("rw");
    site.run(&["build", "--out", &o]).ok();
    let left: Vec<_> = fs::read_dir(&disk.0)
        .expect("ls")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(left, ["site"], "only the site is left on the disk");
}

/// A 64-bit hash of every file of the tree (path and bytes): "old" or "new", cheaply.
fn tree_hash(dir: &Path) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.expect("walk");
        e.path().strip_prefix(dir).expect("prefix").hash(&mut h);
        if e.file_type().is_file() {
            fs::read(e.path()).expect("read").hash(&mut h);
        }
    }
    h.finish()
}

/// Runs `build ARGS` to completion and returns how long it took.
fn timed_build(root: &Path, args: &[&str]) -> Duration {
    let start = Instant::now();
    let out = bin()
        .arg("--root")
        .arg(root)
        .arg("build")
        .args(args)
        .env("CI", "true")
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    start.elapsed()
}

/// Kills `build ARGS` at each fraction of its uninterrupted time, with `change` applied, and
/// checks that the site is then the old tree or the new one (after the next command finishes
/// an interrupted replacement), and goes back to the old one when `change` is undone.
fn kill_rounds(root: &Path, args: &[&str], change: &dyn Fn(bool), fractions: &[f64]) {
    let out = root.join("site");
    let old = tree_hash(&out);
    change(true);
    let took = timed_build(root, args);
    let new = tree_hash(&out);
    assert_ne!(old, new, "the change must change the site");
    change(false);
    timed_build(root, args);
    assert_eq!(
        tree_hash(&out),
        old,
        "undoing the change gives the old site back"
    );
    for &f in fractions {
        change(true);
        let mut child = bin()
            .arg("--root")
            .arg(root)
            .arg("build")
            .args(args)
            .env("CI", "true")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(took.mul_f64(f));
        let _ = child.kill();
        let _ = child.wait();
        let mut now = tree_hash(&out);
        if now != old && now != new {
            // Only a replacement that was under way may be seen half done, and its journal is
            // then beside the site; any command finishes it.
            let pending = fs::read_dir(root).expect("ls").flatten().any(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(".site.pending-")
            });
            assert!(
                pending,
                "killed at {f}: a mixed site and no journal to finish it"
            );
            let c = bin()
                .arg("--root")
                .arg(root)
                .arg("check")
                .env("CI", "true")
                .output()
                .expect("run");
            assert!(c.status.success(), "{}", String::from_utf8_lossy(&c.stderr));
            now = tree_hash(&out);
        }
        assert!(
            now == old || now == new,
            "killed at {f} of {took:?}: the site is neither old nor new"
        );
        change(false);
        timed_build(root, args);
        assert_eq!(
            tree_hash(&out),
            old,
            "killed at {f}: undoing the change gives the old site"
        );
    }
}

/// At 10,000 pages (the benchmark corpus): a full build, a build after a template edit (1,009
/// pages rewritten in place through the journal) and one after a content edit.
#[test]
fn a_build_killed_at_any_point_leaves_the_old_site_or_the_new_one() {
    let site = SiteTest::bare();
    let gen = Command::new("python3")
        .arg(crate::support::repo().join("bench/gen.py"))
        .args(["--pages", "10000"])
        .arg(site.root())
        .output()
        .expect("python3 runs bench/gen.py");
    assert!(
        gen.status.success(),
        "{}",
        String::from_utf8_lossy(&gen.stderr)
    );
    site.build().ok();
    let root = site.root();
    // Spread over the build, denser near its end, where the replacement happens.
    let fractions = [0.5, 0.85, 0.97];

    let template = root.join("templates/product.html");
    let tpl = fs::read_to_string(&template).expect("read");
    let edit_template = |on: bool| {
        let text = if on {
            tpl.replacen("</article>", "<!-- edited --></article>", 1)
        } else {
            tpl.clone()
        };
        fs::write(&template, text).expect("write");
    };
    kill_rounds(root, &[], &edit_template, &fractions);

    let article = walkdir::WalkDir::new(root.join("content/articles"))
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .find(|e| e.path().extension().is_some_and(|x| x == "md"))
        .expect("an article")
        .into_path();
    let text = fs::read_to_string(&article).expect("read");
    let edit_article = |on: bool| {
        let t = if on {
            format!("{text}\n新增一段。\n")
        } else {
            text.clone()
        };
        fs::write(&article, t).expect("write");
    };
    kill_rounds(root, &[], &edit_article, &fractions);
    kill_rounds(root, &["--clean"], &edit_article, &[0.5, 0.95]);
}
