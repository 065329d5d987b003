//! Writing `site/`: everything goes into a fresh folder beside it, which is swapped in at the
//! end, so a failed or killed build leaves the previous site exactly as it was.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::fsio::{self, IoError};
use crate::render::OutFile;

/// Writes `files` as the complete content of `out`, replacing what was there atomically.
pub fn write_site(out: &Path, files: &[OutFile]) -> Result<(), IoError> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fsio::create_dir_all(&parent)?;
    let name = out
        .file_name()
        .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
    remove_stale(&parent, &name);
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}.build-"))
        .tempdir_in(&parent)
        .map_err(|e| IoError::new("cannot create a build folder in", &parent, e))?;
    set_public(tmp.path())?;
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(|p| tmp.path().join(p)))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        fsio::create_dir_all(d)?;
    }
    files.par_iter().try_for_each(|f| {
        std::fs::write(tmp.path().join(&f.path), &f.bytes)
            .map_err(|e| IoError::new("cannot write", &tmp.path().join(&f.path), e))
    })?;
    swap_in(tmp.keep(), out)
}

/// Folders of builds that were killed before their swap.
fn remove_stale(parent: &Path, name: &str) {
    let prefix = format!(".{name}.build-");
    let old = format!(".{name}.old-");
    if let Ok(entries) = std::fs::read_dir(parent) {
        for e in entries.flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            if n.starts_with(&prefix) || n.starts_with(&old) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
}

/// Temporary folders are private (0700); a published site must be readable by a web server.
fn set_public(dir: &Path) -> Result<(), IoError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| IoError::new("cannot set permissions of", dir, e))?;
    }
    Ok(())
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
    let parent = out.parent().unwrap_or(Path::new("."));
    let name = out
        .file_name()
        .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
    let old = tempfile::Builder::new()
        .prefix(&format!(".{name}.old-"))
        .tempdir_in(if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        })
        .map_err(|e| IoError::new("cannot create a folder in", parent, e))?
        .keep();
    fsio::remove_dir_all(&old)?;
    fsio::rename(out, &old)?;
    fsio::rename(&new, out)?;
    fsio::remove_dir_all(&old)
}
