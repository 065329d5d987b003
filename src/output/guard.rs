//! Which folders `build` and `serve` may replace. A build replaces its output folder whole, so
//! the folder it is given must be one bulletin wrote: never the root, `content/`, `templates/`,
//! a folder above them or inside them, and never a folder holding someone else's files.
//!
//! A folder counts as bulletin's when it is absent, empty, or holds the [`MARKER`] file that
//! every build writes into the site (or, for sites built before the marker existed, when the
//! root's build cache has a record of it). Everything else is a usage error, decided before
//! anything is created or touched.

use std::path::{Component, Path, PathBuf};

use crate::fsio;

/// The file every build leaves in the site's folder, naming who wrote it.
pub const MARKER: &str = ".bulletin-site";

/// What the marker says, for a person who finds it.
pub const MARKER_TEXT: &str = "This folder is written by `bulletin build` and replaced whole by \
each build.\nDo not keep your own files in it: the next build deletes them.\n";

/// A root and an output folder that passed [`resolve`]: both absolute, the root existing.
#[derive(Debug, Clone)]
pub struct Checked {
    pub root: PathBuf,
    pub out: PathBuf,
}

/// Why a folder was refused. Shown as `error: {self}` with exit code 2.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum UsageError {
    #[error("no folder {0}: --root must name an existing folder holding content/ and templates/")]
    NoRoot(PathBuf),
    #[error("--root {0} is a file, not a folder")]
    RootIsFile(PathBuf),
    #[error("refusing to write the site into {out}: {why}\n  = hint: {hint}", out = .out.display())]
    Out {
        out: PathBuf,
        why: String,
        hint: &'static str,
    },
}

const HINT_ELSEWHERE: &str = "choose a new folder for --out, such as ROOT/site (the default)";
const HINT_FOREIGN: &str = "choose an empty or new folder for --out; bulletin replaces its output \
folder whole, so it only writes into an empty folder or one it built before";

/// Checks `root` exists and that `out` may be replaced by a build of `root`.
pub fn resolve(root: &Path, out: &Path) -> Result<Checked, UsageError> {
    let root = existing_root(root)?;
    let out_abs = canonical_prefix(&std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf()));
    let refuse = |why: String, hint| UsageError::Out {
        out: out_abs.clone(),
        why,
        hint,
    };
    if root.starts_with(&out_abs) {
        let why = if root == out_abs {
            "it is the root, which holds content/ and templates/".to_string()
        } else {
            format!("it holds the root {}", root.display())
        };
        return Err(refuse(why, HINT_ELSEWHERE));
    }
    for protected in ["content", "templates", super::CACHE_DIR] {
        let dir = canonical_prefix(&root.join(protected));
        if out_abs.starts_with(&dir) {
            let why = if out_abs == dir {
                format!("it is the root's {protected}/ folder")
            } else {
                format!("it lies inside the root's {protected}/ folder")
            };
            return Err(refuse(why, HINT_ELSEWHERE));
        }
    }
    match fsio::symlink_metadata(&out_abs) {
        Err(_) => {}
        Ok(m) if m.is_dir() => {
            if !is_ours(&root, &out_abs) {
                return Err(refuse(
                    "it holds files that bulletin did not write".to_string(),
                    HINT_FOREIGN,
                ));
            }
        }
        Ok(_) => {
            return Err(refuse(
                "it is a file, not a folder".to_string(),
                HINT_ELSEWHERE,
            ))
        }
    }
    Ok(Checked { root, out: out_abs })
}

/// The root, absolute and with links resolved; a usage error when it does not exist.
pub fn existing_root(root: &Path) -> Result<PathBuf, UsageError> {
    match fsio::metadata(root) {
        Ok(m) if m.is_dir() => Ok(fsio::canonicalize(root).unwrap_or_else(|_| root.into())),
        Ok(_) => Err(UsageError::RootIsFile(root.to_path_buf())),
        Err(_) => Err(UsageError::NoRoot(root.to_path_buf())),
    }
}

/// An empty folder, one holding the marker, or one the build cache records as built.
fn is_ours(root: &Path, dir: &Path) -> bool {
    if dir.join(MARKER).is_file() {
        return true;
    }
    if fsio::is_empty_dir(dir) {
        return true;
    }
    super::cache_record(root, dir).is_file() || super::legacy_cache_record(root, dir).is_file()
}

/// `path` with its longest existing prefix canonicalised (links resolved) and the rest
/// normalised lexically, so that `R/./site`, `R/x/../site` and a link to `R` all compare by
/// what they name.
fn canonical_prefix(path: &Path) -> PathBuf {
    let mut existing = path.to_path_buf();
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    loop {
        if let Ok(c) = fsio::canonicalize(&existing) {
            let mut out = c;
            for part in rest.iter().rev() {
                push_normal(&mut out, Path::new(part));
            }
            return out;
        }
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => return lexical(path),
        }
    }
}

fn push_normal(out: &mut PathBuf, part: &Path) {
    for c in part.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
}

fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    push_normal(&mut out, path);
    out
}

#[cfg(test)]
// Tests set up files directly (the fsio rule of `clippy.toml` is for the code under test).
#[allow(clippy::disallowed_methods, clippy::disallowed_types)]
mod tests {
    use super::*;

    #[test]
    fn dot_segments_after_a_missing_folder_are_normalised() {
        let dir = tempfile::tempdir().expect("tempdir");
        let base = std::fs::canonicalize(dir.path()).expect("canon");
        let p = canonical_prefix(&base.join("missing/../site/./x"));
        assert_eq!(p, base.join("site/x"));
    }
}
