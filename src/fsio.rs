//! File access: every read and write goes through here so each error names its path; and the
//! stamp (size, modification time, inode) by which the build cache and the loader tell an
//! unchanged file. It is the one module of the crate that calls `std::fs`: `clippy.toml` forbids
//! the calls everywhere else, so a new one cannot bypass the path in the error.

// The wrappers below are the crate's only door to `std::fs` (see `clippy.toml`).
#![allow(clippy::disallowed_methods, clippy::disallowed_types)]

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;

/// An I/O failure with the path it happened on.
#[derive(Debug, thiserror::Error)]
#[error("{action} {}: {source}", path.display())]
pub struct IoError {
    pub action: &'static str,
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

impl IoError {
    pub fn new(action: &'static str, path: &Path, source: io::Error) -> Self {
        IoError {
            action,
            path: path.to_path_buf(),
            source,
        }
    }

    /// The same failure told as `action` on `path`: a step's error named for what the editor
    /// asked for (the site's file, not the staging copy it was written through).
    pub fn told(self, action: &'static str, path: &Path) -> Self {
        IoError::new(action, path, self.source)
    }

    /// Whether the path (or a folder on the way to it) does not exist.
    pub fn is_not_found(&self) -> bool {
        self.source.kind() == io::ErrorKind::NotFound
    }
}

/// Reads an editor's file as UTF-8. A file that is not valid UTF-8 becomes a diagnostic pointing
/// at the first bad byte's line and column.
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let bytes = read_bounded(path, MAX_READ).map_err(|e| {
        let d = Diagnostic::new(path, format!("cannot read file: {}", e.source));
        match e.source.kind() {
            io::ErrorKind::FileTooLarge => d.with_hint(
                "content files are text of at most 64 MiB: split the file, or check it is the file you meant",
            ),
            io::ErrorKind::InvalidInput => {
                d.with_hint("name a regular file (not a device, pipe or folder)")
            }
            _ => d,
        }
    })?;
    text_from_bytes(path, bytes)
}

/// The largest file any command reads: far above any bulletin's text (the largest shipped file
/// is under 100 KB), low enough that `/dev/zero` or a runaway file fails at once with a clear
/// message instead of exhausting memory.
pub const MAX_READ: u64 = 64 * 1024 * 1024;

/// Reads at most `limit` bytes of a regular file. A device, pipe or folder is refused before it
/// is opened (opening a pipe would block), a longer file is an error of kind `FileTooLarge`.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, IoError> {
    use std::io::Read;
    let meta = fs::metadata(path).map_err(|e| IoError::new("cannot read", path, e))?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a folder"
        } else {
            "not a regular file"
        };
        let e = io::Error::new(io::ErrorKind::InvalidInput, format!("it is {what}"));
        return Err(IoError::new("cannot read", path, e));
    }
    let file = fs::File::open(path).map_err(|e| IoError::new("cannot read", path, e))?;
    let mut bytes = Vec::with_capacity(meta.len().min(limit) as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| IoError::new("cannot read", path, e))?;
    if bytes.len() as u64 > limit {
        let e = io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!("it is larger than {} MiB", limit / (1024 * 1024)),
        );
        return Err(IoError::new("cannot read", path, e));
    }
    Ok(bytes)
}

/// True when `dir` is a folder with nothing in it.
pub fn is_empty_dir(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none())
}

/// Decodes `bytes` as UTF-8, reporting where decoding failed.
pub fn text_from_bytes(path: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            Ok(s)
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let good = String::from_utf8_lossy(&bytes[..valid]);
            let line = good.matches('\n').count() + 1;
            let column = good.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            // GB18030 text is shown decoded: its bytes before the first bad one are ASCII (the
            // detection demands it), so the line and column hold in the decoded text too.
            let shown = match crate::encoding::detect(&bytes) {
                Some(enc @ crate::encoding::TextEncoding::Gb18030) => {
                    crate::encoding::decode(&bytes, enc).ok()
                }
                _ => None,
            }
            .unwrap_or_else(|| String::from_utf8_lossy(&bytes).into_owned());
            Err(not_utf8(path, &bytes, valid).at(&shown, line, column))
        }
    }
}

/// The error for a file that is not UTF-8: which encoding it looks like, when one decodes all of
/// it, and how to convert it.
fn not_utf8(path: &Path, bytes: &[u8], valid: usize) -> Diagnostic {
    use crate::encoding::{detect, TextEncoding};
    match detect(bytes) {
        Some(enc) if enc != TextEncoding::Utf8 => Diagnostic::new(
            path,
            format!(
                "file is not valid UTF-8 text: it looks like {} (all of it decodes as {0})",
                enc.name()
            ),
        )
        .with_hint(format!(
            "content files are UTF-8: convert it, e.g. `iconv -f {} -t UTF-8 FILE > FILE.utf8`, then put FILE.utf8 in its place (or save it as UTF-8 in your editor)",
            enc.name()
        )),
        _ if !bytes[..valid].is_ascii() => {
            Diagnostic::new(path, "file is not valid UTF-8 text: a byte here is damaged").with_hint(
                "the file is UTF-8 up to this point, so retype or delete the character here",
            )
        }
        _ => Diagnostic::new(path, "file is not valid UTF-8 text").with_hint(
            "save the file as UTF-8 (it is not UTF-16 or GB18030/GBK either, which bulletin would recognise)",
        ),
    }
}

/// Reads a file of at most [`MAX_READ`] bytes (see [`read_bounded`]).
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, IoError> {
    read_bounded(path, MAX_READ)
}

pub fn write(path: &Path, contents: &[u8]) -> Result<(), IoError> {
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    fs::write(path, contents).map_err(|e| IoError::new("cannot write", path, e))
}

pub fn create_dir_all(path: &Path) -> Result<(), IoError> {
    fs::create_dir_all(path).map_err(|e| IoError::new("cannot create directory", path, e))
}

pub fn remove_dir_all(path: &Path) -> Result<(), IoError> {
    match fs::remove_dir_all(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            Err(IoError::new("cannot remove", path, e))
        }
        _ => Ok(()),
    }
}

pub fn rename(from: &Path, to: &Path) -> Result<(), IoError> {
    fs::rename(from, to).map_err(|e| IoError::new("cannot rename", from, e))
}

/// Writes `contents` to `path` through a temporary file in the same directory, so that readers
/// see either the old or the new file, never half of one.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), IoError> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .map_err(|e| IoError::new("cannot create temporary file in", dir, e))?;
    tmp.write_all(contents)
        .map_err(|e| IoError::new("cannot write", tmp.path(), e))?;
    tmp.persist(path)
        .map_err(|e| IoError::new("cannot write", path, e.error))?;
    Ok(())
}

/// Reads a whole file with no size bound: for files bulletin wrote itself (its cache, its
/// output, templates Tera already read). An editor's file goes through [`read_text`] or
/// [`read_bytes`], which refuse a runaway one.
pub fn read(path: &Path) -> Result<Vec<u8>, IoError> {
    fs::read(path).map_err(|e| IoError::new("cannot read", path, e))
}

/// [`read`] as UTF-8 (an error of kind `InvalidData` when it is not).
pub fn read_to_string(path: &Path) -> Result<String, IoError> {
    fs::read_to_string(path).map_err(|e| IoError::new("cannot read", path, e))
}

/// Writes `contents` to `path`, whose folder must exist (see [`write`], which creates it).
pub fn write_in_place(path: &Path, contents: &[u8]) -> Result<(), IoError> {
    fs::write(path, contents).map_err(|e| IoError::new("cannot write", path, e))
}

/// Creates `path` for writing; an error of kind `AlreadyExists` when it is there, so an
/// editor's file is never overwritten.
pub fn create_new(path: &Path) -> Result<fs::File, IoError> {
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| IoError::new("cannot create", path, e))
}

/// Opens `path` for appending, creating it when missing.
pub fn open_append(path: &Path) -> Result<fs::File, IoError> {
    fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| IoError::new("cannot open", path, e))
}

/// Opens a file or folder for reading (a folder to lock it or to sync its entries).
pub fn open(path: &Path) -> Result<fs::File, IoError> {
    fs::File::open(path).map_err(|e| IoError::new("cannot open", path, e))
}

/// The entries of a folder, in the order the file system gives them.
pub fn read_dir(path: &Path) -> Result<fs::ReadDir, IoError> {
    fs::read_dir(path).map_err(|e| IoError::new("cannot read folder", path, e))
}

/// What `path` names, following links.
pub fn metadata(path: &Path) -> Result<fs::Metadata, IoError> {
    fs::metadata(path).map_err(|e| IoError::new("cannot read", path, e))
}

/// What `path` itself is: a link is told as a link, not as what it points to.
pub fn symlink_metadata(path: &Path) -> Result<fs::Metadata, IoError> {
    fs::symlink_metadata(path).map_err(|e| IoError::new("cannot read", path, e))
}

/// `path` absolute, with every link resolved; an error when it does not exist.
pub fn canonicalize(path: &Path) -> Result<PathBuf, IoError> {
    fs::canonicalize(path).map_err(|e| IoError::new("cannot resolve", path, e))
}

pub fn create_dir(path: &Path) -> Result<(), IoError> {
    fs::create_dir(path).map_err(|e| IoError::new("cannot create directory", path, e))
}

pub fn remove_file(path: &Path) -> Result<(), IoError> {
    fs::remove_file(path).map_err(|e| IoError::new("cannot remove", path, e))
}

/// Removes a folder only when it is empty.
pub fn remove_dir(path: &Path) -> Result<(), IoError> {
    fs::remove_dir(path).map_err(|e| IoError::new("cannot remove", path, e))
}

/// A second name for the file `from` (no bytes copied).
pub fn hard_link(from: &Path, to: &Path) -> Result<(), IoError> {
    fs::hard_link(from, to).map_err(|e| IoError::new("cannot link", to, e))
}

pub fn copy(from: &Path, to: &Path) -> Result<(), IoError> {
    fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| IoError::new("cannot copy", from, e))
}

/// Sets the Unix permission bits of `path` (nothing elsewhere).
pub fn set_mode(path: &Path, mode: u32) -> Result<(), IoError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode))
            .map_err(|e| IoError::new("cannot set permissions of", path, e))?;
    }
    let _ = (path, mode);
    Ok(())
}

/// What a file looked like when the build last saw it. Equal stamps mean the file was not
/// touched: an editor's save or a rewrite changes the modification time or the inode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    pub len: u64,
    pub mtime_ns: i128,
    pub ino: u64,
}

impl Stamp {
    pub fn of(meta: &std::fs::Metadata) -> Stamp {
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i128);
        #[cfg(unix)]
        let ino = std::os::unix::fs::MetadataExt::ino(meta);
        #[cfg(not(unix))]
        let ino = 0;
        Stamp {
            len: meta.len(),
            mtime_ns,
            ino,
        }
    }
}

/// Whether every `(path relative to base, stamp)` of `entries` still has its stamp ("" or "/"
/// is `base` itself, a trailing `/` a folder's). Looked up in parallel. A no-op build at 10,000
/// pages checks ~42,000 paths, so this is its cost: `fstatat` per path measured 15% faster than
/// std's `statx` (which fills more fields), and opening each folder to look its entries up
/// relative to it was slower still (most folders of a site hold one page).
pub fn stamps_match(base: &Path, entries: &[(&str, Stamp)]) -> bool {
    use rayon::prelude::*;
    !entries.is_empty()
        && entries
            .par_iter()
            .with_min_len(256)
            .all(|(rel, stamp)| stamp_now(&base.join(rel.trim_end_matches('/'))) == Some(*stamp))
}

/// The stamp of `path` (a link's own, not its target's), or `None` if it cannot be read.
#[cfg(target_os = "linux")]
fn stamp_now(path: &Path) -> Option<Stamp> {
    use rustix::fs::{AtFlags, CWD};
    let st = rustix::fs::statat(CWD, path, AtFlags::SYMLINK_NOFOLLOW).ok()?;
    Some(Stamp {
        len: st.st_size as u64,
        // As `Stamp::of`: nanoseconds since the epoch, 0 before it.
        mtime_ns: if st.st_mtime < 0 {
            0
        } else {
            st.st_mtime as i128 * 1_000_000_000 + st.st_mtime_nsec as i128
        },
        ino: st.st_ino,
    })
}

#[cfg(not(target_os = "linux"))]
fn stamp_now(path: &Path) -> Option<Stamp> {
    fs::symlink_metadata(path).ok().map(|m| Stamp::of(&m))
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_looked_up_again_equals_the_recorded_one() {
        let dir = tempfile::tempdir().expect("tempdir");
        let base = dir.path();
        fs::create_dir(base.join("d")).expect("mkdir");
        fs::write(base.join("d/a.html"), "页面").expect("write");
        #[cfg(unix)]
        std::os::unix::fs::symlink("a.html", base.join("d/link")).expect("symlink");
        let stamp = |rel: &str| Stamp::of(&fs::symlink_metadata(base.join(rel)).expect("stat"));
        let mut recorded: Vec<(&str, Stamp)> = ["/", "d/", "d/a.html"]
            .into_iter()
            .map(|rel| (rel, stamp(rel.trim_end_matches('/'))))
            .collect();
        #[cfg(unix)]
        recorded.push(("d/link", stamp("d/link")));
        assert!(stamps_match(base, &recorded));

        // Rewritten in place (same inode, other length), then gone.
        fs::write(base.join("d/a.html"), "页面，改过").expect("rewrite");
        assert!(!stamps_match(base, &recorded));
        recorded[2].1 = stamp("d/a.html");
        recorded[1].1 = stamp("d");
        assert!(stamps_match(base, &recorded));
        fs::remove_file(base.join("d/a.html")).expect("rm");
        assert!(!stamps_match(base, &recorded));
        assert!(!stamps_match(base, &[]));
    }
}
