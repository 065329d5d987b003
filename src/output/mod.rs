//! Writing `site/` so that readers never see a mix of two builds. A build that makes the site
//! anew fills a fresh folder beside it ([`Staging`]) and swaps it in with one rename; a build
//! that changes a few files replaces them through a journal ([`journal`]), all at once or not
//! at all. Which folders may be written at all is [`guard`]'s.

pub mod guard;
pub mod journal;

/// The cache folder under the site root (the build's record, the journal's pointers). Safe to
/// delete at any time.
pub const CACHE_DIR: &str = ".bulletin-cache";

/// Where a build of `root` keeps its record of the output folder `out`: one record per output
/// folder, so `build --out elsewhere` leaves the record of `site/` alone. Here rather than in
/// the cache, because the guard asks whether a folder has one (a site built before the marker).
pub fn cache_record(root: &Path, out: &Path) -> PathBuf {
    record_named(root, out, "bin")
}

/// Where bulletin kept the record while it was JSON: `build-<hash>.json`. Only
/// asked whether it exists (the guard) and removed once the new record is written.
pub fn legacy_cache_record(root: &Path, out: &Path) -> PathBuf {
    record_named(root, out, "json")
}

fn record_named(root: &Path, out: &Path, ext: &str) -> PathBuf {
    let h = blake3::hash(out.as_os_str().as_encoded_bytes()).to_hex();
    root.join(CACHE_DIR)
        .join(format!("build-{}.{ext}", &h[..16]))
}

use std::path::{Path, PathBuf};

use crate::fsio::{self, IoError};

/// A folder being filled with the next version of the site.
pub struct Staging {
    dir: tempfile::TempDir,
    out: PathBuf,
}

impl Staging {
    /// Creates the staging folder beside `out`, removing those of builds that were killed.
    pub fn new(out: &Path) -> Result<Staging, IoError> {
        let parent = parent_of(out);
        fsio::create_dir_all(&parent)?;
        let name = name_of(out);
        remove_stale(&parent, &name);
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}.build-"))
            .tempdir_in(&parent)
            .map_err(|e| IoError::new("cannot create a build folder in", &parent, e))?;
        set_public(dir.path())?;
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes one file (relative path) into the staging folder. Safe to call from many threads.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), IoError> {
        let path = self.dir.path().join(rel);
        match fsio::write_in_place(&path, bytes) {
            Ok(()) => Ok(()),
            Err(e) if e.is_not_found() => fsio::write(&path, bytes).map_err(|e| self.named(rel, e)),
            Err(e) => Err(self.named(rel, e)),
        }
    }

    /// An error about a staged file, told as about the file of the site it becomes: the
    /// staging folder's random name means nothing to an editor.
    fn named(&self, rel: &str, e: IoError) -> IoError {
        IoError {
            path: self.out.join(rel),
            ..e
        }
    }

    /// Hard-links `from/rel` into the staging folder at `rel`: an unchanged file of the current
    /// site carried over without copying its bytes. The current site's files are never written
    /// in place (only replaced), so sharing them is safe.
    pub fn link(&self, from: &Path, rel: &str) -> Result<(), IoError> {
        let src = from.join(rel);
        let dest = self.dir.path().join(rel);
        match fsio::hard_link(&src, &dest) {
            Ok(()) => Ok(()),
            Err(e) if e.is_not_found() && src.is_file() => {
                if let Some(parent) = dest.parent() {
                    fsio::create_dir_all(parent).map_err(|e| self.named(rel, e))?;
                }
                fsio::hard_link(&src, &dest)
                    .map_err(|e| e.told("cannot write", &self.out.join(rel)))
            }
            Err(e) => Err(e.told("cannot write", &self.out.join(rel))),
        }
    }

    /// Swaps the staged folder in as the site.
    pub fn commit(self) -> Result<(), IoError> {
        let out = self.out.clone();
        swap_in(self.dir.keep(), &out)
    }
}

pub(crate) fn parent_of(out: &Path) -> PathBuf {
    match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

pub(crate) fn name_of(out: &Path) -> String {
    out.file_name()
        .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned())
}

/// Removes the staging folders of builds that were killed before their swap, beside `out`.
pub fn remove_stale_builds(out: &Path) {
    remove_stale(&parent_of(out), &name_of(out));
}

/// Folders of builds that were killed before their swap.
fn remove_stale(parent: &Path, name: &str) {
    let prefix = format!(".{name}.build-");
    let old = format!(".{name}.old-");
    if let Ok(entries) = fsio::read_dir(parent) {
        for e in entries.flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            if n.starts_with(&prefix) || n.starts_with(&old) {
                let _ = fsio::remove_dir_all(&e.path());
            }
        }
    }
}

/// Temporary folders are private (0700); a published site must be readable by a web server.
fn set_public(dir: &Path) -> Result<(), IoError> {
    fsio::set_mode(dir, 0o755)
}

fn swap_in(new: PathBuf, out: &Path) -> Result<(), IoError> {
    if !out.exists() {
        return fsio::rename(&new, out);
    }
    #[cfg(target_os = "linux")]
    {
        // One atomic step: readers see the old site or the new one, never neither.
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        if renameat_with(CWD, &new, CWD, out, RenameFlags::EXCHANGE).is_ok() {
            return fsio::remove_dir_all(&new);
        }
    }
    let parent = parent_of(out);
    let old = tempfile::Builder::new()
        .prefix(&format!(".{}.old-", name_of(out)))
        .tempdir_in(&parent)
        .map_err(|e| IoError::new("cannot create a folder in", &parent, e))?
        .keep();
    fsio::remove_dir_all(&old)?;
    fsio::rename(out, &old)?;
    fsio::rename(&new, out)?;
    fsio::remove_dir_all(&old)
}
