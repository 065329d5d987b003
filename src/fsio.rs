//! File access: every read and write goes through here so each error names its path.

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
}

/// Reads an editor's file as UTF-8. A file that is not valid UTF-8 becomes a diagnostic pointing
/// at the first bad byte's line and column.
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let bytes =
        fs::read(path).map_err(|e| Diagnostic::new(path, format!("cannot read file: {e}")))?;
    text_from_bytes(path, bytes)
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
            let shown = String::from_utf8_lossy(&bytes).into_owned();
            Err(Diagnostic::new(path, "file is not valid UTF-8 text")
                .at(&shown, line, column)
                .with_hint("save the file as UTF-8 (GBK and other encodings are not supported)"))
        }
    }
}

pub fn read_bytes(path: &Path) -> Result<Vec<u8>, IoError> {
    fs::read(path).map_err(|e| IoError::new("cannot read", path, e))
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
