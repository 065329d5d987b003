//! Test support: [`SiteTest`], a builder for throwaway site roots (content + the repo's
//! templates) that runs the real `bulletin` binary (or the importer) on them, and [`Run`], the
//! outcome of a run with its assertions. Modelled on mdBook's `BookTest`: a test says what the
//! site holds and what it expects, not how to make temporary folders.

#![allow(dead_code)]

use bulletin::import::{import_file, ImportOptions, ImportReport};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_bulletin"))
}

/// Copies a directory tree.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(from).expect("prefix");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).expect("mkdir");
        } else {
            fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// A site root in a temporary folder.
pub struct SiteTest {
    pub dir: tempfile::TempDir,
}

/// The old name, for the modules not yet moved to [`SiteTest`]'s (search.rs, finder.rs).
pub type TestSite = SiteTest;

/// The series and id the import fixtures are imported as.
pub const IMPORT_SERIES: &str = "xinxi-zhaibian";
pub const IMPORT_ID: &str = "2024-07";

impl SiteTest {
    /// Empty content with a valid `site.yaml`, and the repo's templates.
    pub fn new() -> Self {
        let site = Self::bare();
        site.write(
            "content/site.yaml",
            "title: 测试站点\nbase_url: https://intranet.example/bulletin/\nlanguage: zh-CN\ndescription: 测试\n",
        );
        site
    }

    /// The repo's templates and nothing else.
    pub fn bare() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        copy_dir(&repo().join("templates"), &dir.path().join("templates"));
        fs::create_dir_all(dir.path().join("content")).expect("mkdir");
        SiteTest { dir }
    }

    /// An empty folder: where `import` starts a site from nothing.
    pub fn empty() -> Self {
        SiteTest {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    /// The end-to-end fixture under tests/fixtures/site, with the repo's templates.
    pub fn fixture() -> Self {
        let site = Self::bare();
        copy_dir(
            &repo().join("tests/fixtures/site/content"),
            &site.root().join("content"),
        );
        site
    }

    /// The shipped content/ of the repo.
    pub fn shipped() -> Self {
        let site = Self::bare();
        copy_dir(&repo().join("content"), &site.root().join("content"));
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn out(&self) -> PathBuf {
        self.root().join("site")
    }

    /// The site with `text` at `rel` (folders made as needed), for chaining from a constructor.
    pub fn file(self, rel: &str, text: &str) -> Self {
        self.write(rel, text);
        self
    }

    /// The text of a file of the root (not of the built site: see [`SiteTest::read`]).
    pub fn source(&self, rel: &str) -> String {
        fs::read_to_string(self.root().join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.root().join(rel);
        fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        fs::write(p, text).expect("write");
        self
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let p = self.root().join(rel);
        fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        fs::write(p, bytes).expect("write");
        self
    }

    pub fn remove(&self, rel: &str) -> &Self {
        fs::remove_file(self.root().join(rel)).expect("remove");
        self
    }

    /// A minimal valid issue and article, for tests that need some content.
    pub fn with_issue(&self) -> &Self {
        self.write(
            "content/issues/xinxi-zhaibian/2024-07.yaml",
            "series: 信息摘编\ntitle: 2024年第七期\nmonth: 2024-07\nnumber: 7\nsections: [热点关注, 行业动向]\n",
        )
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let out = bin()
            .arg("--root")
            .arg(self.root())
            .args(args)
            .env("CI", "true")
            .output()
            .expect("run bulletin");
        Run(out)
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.out().join(rel)).unwrap_or_else(|e| panic!("read site/{rel}: {e}"))
    }

    /// The options `bulletin import` gets for the fixture issue into this root.
    pub fn import_options(&self, force: bool) -> ImportOptions {
        ImportOptions {
            series: IMPORT_SERIES.into(),
            id: IMPORT_ID.into(),
            root: self.root().to_path_buf(),
            force,
            encoding: None,
        }
    }

    /// Imports `input` (in the library, as the binary's `import` does) into this root.
    #[track_caller]
    pub fn import(&self, input: &Path) -> ImportReport {
        import_file(input, &self.import_options(false)).expect("import")
    }

    /// Every file under `rel` of the root with its text; none when `rel` does not exist.
    pub fn text_files(&self, rel: &str) -> BTreeMap<PathBuf, String> {
        match rel {
            "" => text_files(self.root()),
            _ => text_files(&self.root().join(rel)),
        }
    }
}

/// Every file under `dir` with its text, in name order; none when `dir` does not exist.
pub fn text_files(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.expect("walk");
        if e.file_type().is_file() {
            let s = fs::read_to_string(e.path()).expect("read");
            out.insert(e.path().to_path_buf(), s);
        }
    }
    out
}

/// The outcome of one run of the binary.
pub struct Run(pub Output);

impl Run {
    pub fn code(&self) -> i32 {
        self.0.status.code().unwrap_or(-1)
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }

    #[track_caller]
    pub fn ok(&self) -> &Self {
        assert_eq!(
            self.code(),
            0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }

    /// Asserts stderr holds `text`, showing all of it when not.
    #[track_caller]
    pub fn stderr_has(&self, text: &str) -> &Self {
        let err = self.stderr();
        assert!(err.contains(text), "stderr lacks {text:?}:\n{err}");
        self
    }

    /// Asserts stdout holds `text`, showing all of it when not.
    #[track_caller]
    pub fn stdout_has(&self, text: &str) -> &Self {
        let out = self.stdout();
        assert!(out.contains(text), "stdout lacks {text:?}:\n{out}");
        self
    }

    #[track_caller]
    pub fn fails_with(&self, code: i32) -> String {
        assert_eq!(
            self.code(),
            code,
            "expected exit {code}\nstdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        self.stderr()
    }
}

/// Every file under `dir`, relative path -> bytes, for byte-for-byte comparisons.
pub fn snapshot_dir(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut map = std::collections::BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.expect("walk");
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("prefix")
                .to_string_lossy()
                .into_owned();
            map.insert(rel, fs::read(e.path()).expect("read"));
        }
    }
    map
}

/// True when tests that need external tools (vnu, Chromium, Python packages) must run: in CI
/// and under the README's test command they are installed, so a missing tool is a failure.
pub fn require_tools() -> bool {
    std::env::var_os("BULLETIN_REQUIRE_TOOLS").is_some() || std::env::var_os("CI").is_some()
}
