//! Parsed content files kept between rebuilds by `serve`, so that a save re-reads and re-parses
//! only the files that changed rather than all of them (at 10,000 pages, reading and parsing
//! every file costs about 300 ms; checking each file's stamp a few).
//!
//! An entry is used only while the file's stamp (size, modification time, inode) is the one it
//! was read at. Modification times can be coarser than two quick saves, so `serve` also
//! [`ParseCache::forget`]s every path the watcher names before rebuilding.

use std::any::Any;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::fsio::Stamp;

type Entry = (Stamp, Box<dyn Any + Send>);

#[derive(Default)]
pub struct ParseCache {
    map: Mutex<HashMap<PathBuf, Entry>>,
}

impl ParseCache {
    /// The value parsed from `rel` when its stamp was `stamp`, if it is of type `T`.
    pub(super) fn get<T: Clone + 'static>(&self, rel: &Path, stamp: &Stamp) -> Option<T> {
        let map = self.map.lock().ok()?;
        let (s, v) = map.get(rel)?;
        if s != stamp {
            return None;
        }
        v.downcast_ref::<T>().cloned()
    }

    pub(super) fn put<T: Send + 'static>(&self, rel: &Path, stamp: Stamp, value: T) {
        if let Ok(mut map) = self.map.lock() {
            map.insert(rel.to_path_buf(), (stamp, Box::new(value)));
        }
    }

    /// Drops what is known of these paths (absolute, or relative to `root`) and of anything
    /// under them.
    pub fn forget(&self, root: &Path, paths: &[PathBuf]) {
        let abs = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        let Ok(mut map) = self.map.lock() else {
            return;
        };
        for p in paths {
            let rel = p
                .strip_prefix(root)
                .or_else(|_| p.strip_prefix(&abs))
                .unwrap_or(p);
            map.retain(|k, _| !k.starts_with(rel));
        }
    }
}
