//! The build cache on disk (`ROOT/.bulletin-cache/build-<hash of the output folder>.bin`) and the file stamps it compares.
//!
//! The cache is only ever a shortcut: a missing, unreadable, corrupt or foreign cache (another
//! format or another `bulletin` binary) reads as "no cache", which means a full build.
//!
//! Layout: one record per output folder, `build-<first 16 hex digits of the BLAKE3 hash of
//! the absolute output folder>.bin`, holding [`Cache`] in postcard (serde's compact binary
//! form: a no-op build reads ~40,000 stamps at 10,000 pages, and JSON took ~40 ms of its time)
//! with its identity and stamps before the large maps; and `bodies.bin`, shared by all of them.
//! Each build that writes its record prunes the others (module `prune`): those whose `out` no longer exists, then all but the most recently
//! written few, so building into many folders does not grow the cache without bound.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::fsio::{self, IoError};

mod prune;

pub use crate::output::CACHE_DIR;
/// Bumped whenever the cache's meaning changes.
const FORMAT: u32 = 2;

pub use crate::fsio::Stamp;

/// The state of the last successful build.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Cache {
    pub format: u32,
    /// The binary that wrote it: another build of `bulletin` may render differently.
    pub binary: String,
    /// The output folder it describes. Declared before the large maps, so serde writes it
    /// near the start of the file, where pruning reads it without parsing the rest.
    pub out: PathBuf,
    /// How many pages and files the site has: what a build with nothing to do reports, and
    /// what the build reports after [`save`]. Set by [`Cache::write`].
    pub pages: usize,
    pub files: usize,
    /// Stamps of every file under `content/` and `templates/`.
    pub inputs: BTreeMap<String, Stamp>,
    /// Stamps of every file of the output folder as the build left it.
    pub outputs: BTreeMap<String, Stamp>,
    /// Per output file, the hash of everything its bytes depend on.
    pub fingerprints: BTreeMap<String, String>,
    /// BLAKE3 of the search index's state (`search.bin`) that made this site's index files;
    /// empty when there is none.
    pub search: String,
    /// What the fast path needs beyond the content ([`Layout`], see [`super::edits`]); `None`
    /// from a build that did not make every page's shape. Kept encoded: a build with nothing
    /// to do reads the record and does not need it decoded.
    pub layout: Option<Vec<u8>>,
}

/// Each page's shape (which items it shows, in what order) and the URL keys of the names, as
/// the build that wrote the record made them: with these, a build after edits of item files
/// picks the pages that may have changed the way `serve`'s fast path does.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Layout {
    pub shapes: BTreeMap<String, u64>,
    /// Tags, regions, issuers, sections: see [`crate::view::IndexData`].
    pub keys: [crate::urls::Keys; 4],
}

impl Layout {
    /// The record's field for `shapes` and `data`.
    pub fn of(shapes: &crate::view::Shapes, data: &crate::view::IndexData) -> Option<Vec<u8>> {
        let layout = Layout {
            shapes: shapes.iter().map(|(f, s)| (f.clone(), *s)).collect(),
            keys: Layout::keys_of(data).map(Clone::clone),
        };
        postcard::to_stdvec(&layout).ok()
    }

    /// The layout a record holds, if any.
    pub fn read(raw: &Option<Vec<u8>>) -> Option<Layout> {
        postcard::from_bytes(raw.as_ref()?).ok()
    }

    fn keys_of(data: &crate::view::IndexData) -> [&crate::urls::Keys; 4] {
        [&data.tags, &data.regions, &data.issuers, &data.sections]
    }

    /// Whether every name `data` shares with the recorded build links where it did: if not,
    /// pages beyond the edited items' link elsewhere now.
    pub fn same_links(&self, data: &crate::view::IndexData) -> bool {
        self.keys
            .iter()
            .zip(Layout::keys_of(data))
            .all(|(a, b)| a.same_where_shared(b))
    }
}

impl Cache {
    /// The cache for `out`, or `None` when there is none usable.
    pub fn read(root: &Path, out: &Path) -> Option<Cache> {
        Record::read(root, out)?.cache()
    }

    /// Writes the cache through a temporary file, so a killed build never leaves half a cache,
    /// then prunes the records of other output folders (see module `prune`).
    pub fn write(&mut self, root: &Path) -> Result<(), IoError> {
        self.format = FORMAT;
        self.binary = binary_id();
        self.files = self.fingerprints.len();
        self.pages = self
            .fingerprints
            .keys()
            .filter(|p| p.ends_with(".html"))
            .count();
        let bytes = postcard::to_stdvec(self).unwrap_or_default();
        let path = file(root, &self.out);
        fsio::write_atomic(&path, &bytes)?;
        let _ = fsio::remove_file(&crate::output::legacy_cache_record(root, &self.out));
        prune::others_than(&path);
        Ok(())
    }

    /// Forgets the cache, e.g. before a build that may fail after changing the output.
    pub fn remove(root: &Path, out: &Path) {
        let _ = fsio::remove_file(&file(root, out));
    }
}

/// The record of `out` as read from disk, decoded only as far as asked: a build with nothing
/// to do needs the stamps ([`Record::head`]), not the fingerprints and layout behind them.
pub struct Record {
    bytes: Vec<u8>,
}

/// The start of a record: the counts and the stamps, borrowed from its bytes.
pub struct Head<'a> {
    pub pages: usize,
    pub files: usize,
    pub inputs: Listed<'a>,
    pub outputs: Listed<'a>,
}

/// A map of stamps read as the list it is stored as (in key order), without building a map.
pub struct Listed<'a>(pub Vec<(&'a str, Stamp)>);

impl<'de: 'a, 'a> Deserialize<'de> for Listed<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for V<'a> {
            type Value = Listed<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("stamps by path")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<Listed<'a>, A::Error> {
                let mut list = Vec::with_capacity(m.size_hint().unwrap_or(0));
                while let Some(entry) = m.next_entry()? {
                    list.push(entry);
                }
                Ok(Listed(list))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

/// The fields [`Cache`] starts with, in its order (postcard is positional): what says whose
/// record it is. Read alone by [`Record::read`] and by pruning.
#[derive(Deserialize)]
pub(super) struct Id<'a> {
    format: u32,
    binary: &'a str,
    pub out: PathBuf,
}

impl Record {
    pub fn read(root: &Path, out: &Path) -> Option<Record> {
        let bytes = fsio::read(&file(root, out)).ok()?;
        let record = Record { bytes };
        // Another format, another binary or another folder's record counts as none.
        let (id, _) = postcard::take_from_bytes::<Id>(&record.bytes).ok()?;
        (id.format == FORMAT && id.binary == binary_id() && id.out == out).then_some(record)
    }

    pub fn head(&self) -> Option<Head<'_>> {
        // A nested struct is its fields in sequence: `Id`, then the counts and the stamps.
        #[derive(Deserialize)]
        struct Start<'a> {
            #[serde(borrow)]
            _id: Id<'a>,
            pages: usize,
            files: usize,
            #[serde(borrow)]
            inputs: Listed<'a>,
            #[serde(borrow)]
            outputs: Listed<'a>,
        }
        let (s, _) = postcard::take_from_bytes::<Start>(&self.bytes).ok()?;
        Some(Head {
            pages: s.pages,
            files: s.files,
            inputs: s.inputs,
            outputs: s.outputs,
        })
    }

    pub fn cache(&self) -> Option<Cache> {
        postcard::from_bytes(&self.bytes).ok()
    }
}

/// One cache file per output folder: `build --out elsewhere` leaves the cache of `site/` alone.
fn file(root: &Path, out: &Path) -> PathBuf {
    crate::output::cache_record(root, out)
}

/// The running binary: its version, size and modification time. A rebuilt `bulletin` may
/// render differently, so its cache is not trusted.
fn binary_id() -> String {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| fsio::metadata(&p).ok())
        .map(|m| Stamp::of(&m));
    match exe {
        Some(s) => format!("{} {} {}", env!("CARGO_PKG_VERSION"), s.len, s.mtime_ns),
        None => env!("CARGO_PKG_VERSION").to_string(),
    }
}

/// Stamps of every file under `dirs` (relative to `root`), keyed by their path relative to
/// `root`. Unreadable entries get an impossible stamp so they never compare equal.
pub fn stamp_inputs(root: &Path, dirs: &[&str]) -> BTreeMap<String, Stamp> {
    let mut map = BTreeMap::new();
    for d in dirs {
        stamp_into(&root.join(d), root, &mut map);
    }
    map
}

/// Stamps of every file under `dir`, keyed by their path relative to it; `None` if `dir` does
/// not exist.
pub fn stamp_tree(dir: &Path) -> Option<BTreeMap<String, Stamp>> {
    if !dir.is_dir() {
        return None;
    }
    let mut map = BTreeMap::new();
    stamp_into(dir, dir, &mut map);
    Some(map)
}

fn stamp_into(dir: &Path, base: &Path, map: &mut BTreeMap<String, Stamp>) {
    for entry in walkdir::WalkDir::new(dir) {
        let (path, stamp, is_dir) = match entry {
            Ok(e) => {
                let stamp = e.metadata().map_or(BAD, |m| Stamp::of(&m));
                let is_dir = e.file_type().is_dir();
                (e.into_path(), stamp, is_dir)
            }
            Err(e) => {
                let Some(p) = e.path() else { continue };
                (p.to_path_buf(), BAD, false)
            }
        };
        let mut rel = path
            .strip_prefix(base)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        // Folders are recorded too (with a trailing slash): adding, removing or renaming a
        // file changes its folder's stamp, so a no-op check need not list folders again.
        if is_dir {
            rel.push('/');
        }
        map.insert(rel, stamp);
    }
}

/// A stamp that never equals a real one, for entries that could not be read.
const BAD: Stamp = Stamp {
    len: u64::MAX,
    mtime_ns: -1,
    ino: 0,
};

/// `stamps` of `base` updated after the files `touched` (relative paths) were written or
/// deleted: those files and every folder above them are stamped again, or dropped if gone.
pub fn restamp<'a>(
    base: &Path,
    mut stamps: BTreeMap<String, Stamp>,
    touched: impl Iterator<Item = &'a str>,
) -> BTreeMap<String, Stamp> {
    let mut keys = std::collections::BTreeSet::new();
    for rel in touched {
        keys.insert(rel.to_string());
        keys.insert("/".to_string());
        let mut dir = rel;
        while let Some((parent, _)) = dir.rsplit_once('/') {
            keys.insert(format!("{parent}/"));
            dir = parent;
        }
    }
    for key in keys {
        let path = base.join(key.trim_end_matches('/'));
        match fsio::symlink_metadata(&path) {
            Ok(m) => stamps.insert(key, Stamp::of(&m)),
            Err(_) => stamps.remove(&key),
        };
    }
    stamps
}

/// Whether a recorded key is a folder's.
pub fn is_dir_key(rel: &str) -> bool {
    rel.ends_with('/')
}

/// The rendered Markdown bodies of the last build (`bodies.bin`), so that a build after a
/// one-file change renders one body rather than all. Any doubt (another binary, a short or
/// damaged file) gives an empty cache.
pub fn read_bodies(root: &Path) -> crate::view::BodyCache {
    let entries = fsio::read(&root.join(CACHE_DIR).join("bodies.bin"))
        .ok()
        .and_then(|b| parse_bodies(&b))
        .unwrap_or_default();
    crate::view::BodyCache::from_entries(entries)
}

fn bodies_header() -> String {
    format!("bulletin-bodies {FORMAT} {}\n", binary_id())
}

fn parse_bodies(bytes: &[u8]) -> Option<Vec<([u8; 32], String)>> {
    let mut rest = bytes.strip_prefix(bodies_header().as_bytes())?;
    let mut out = Vec::new();
    while !rest.is_empty() {
        let key: [u8; 32] = rest.get(..32)?.try_into().ok()?;
        let len = u64::from_le_bytes(rest.get(32..40)?.try_into().ok()?) as usize;
        let end = 40usize.checked_add(len)?;
        let html = String::from_utf8(rest.get(40..end)?.to_vec()).ok()?;
        out.push((key, html));
        rest = &rest[end..];
    }
    Some(out)
}

/// Saves the bodies if they changed. Errors only cost the next build its shortcut.
fn write_bodies(root: &Path, bodies: &crate::view::BodyCache) {
    let Some(entries) = bodies.changed_entries() else {
        return;
    };
    let mut buf = bodies_header().into_bytes();
    for (k, html) in entries {
        buf.extend_from_slice(&k);
        buf.extend_from_slice(&(html.len() as u64).to_le_bytes());
        buf.extend_from_slice(html.as_bytes());
    }
    let _ = fsio::write_atomic(&root.join(CACHE_DIR).join("bodies.bin"), &buf);
}

fn search_file(root: &Path) -> PathBuf {
    root.join(CACHE_DIR).join("search.bin")
}

/// The search index's state recorded as `hash`, or `None` if `search.bin` holds another (the
/// state of another output folder's build, or a damaged one).
pub fn read_search(root: &Path, hash: &str) -> Option<crate::search::State> {
    if hash.is_empty() {
        return None;
    }
    // Not a bounded read: the cache is bulletin's own, ~5 KB an item.
    let bytes = fsio::read(&search_file(root)).ok()?;
    (blake3::hash(&bytes).to_hex().as_str() == hash)
        .then(|| crate::search::State::from_bytes(&bytes))
        .flatten()
}

/// Saves what the next build reads: the search state (if any; `held` is the hash of the one
/// already on disk), then the record that names it, and beside them the bodies. Two threads: at
/// 10,000 pages the state is ~49 MB and the bodies ~19 MB, and one after the other they were
/// most of a one-edit build's last 0.2 s. A cache that cannot be written only costs the next
/// build its shortcut.
pub fn save(
    root: &Path,
    record: &mut Cache,
    search: Option<(&crate::search::State, &str)>,
    bodies: &crate::view::BodyCache,
) {
    rayon::join(
        || {
            // Saved before the record that names it: a record never points at a state not
            // yet there.
            record.search =
                search.map_or_else(String::new, |(s, held)| write_search(root, s, held));
            let _ = record.write(root);
        },
        || write_bodies(root, bodies),
    );
}

/// Saves the search index's state unless `search.bin` already holds it (`held`: the hash of the
/// state read from it); its hash, for the record, or empty if it could not be saved.
fn write_search(root: &Path, state: &crate::search::State, held: &str) -> String {
    let bytes = state.to_bytes();
    let hash = blake3::hash(&bytes).to_hex().to_string();
    if hash == held || fsio::write_atomic(&search_file(root), &bytes).is_ok() {
        hash
    } else {
        String::new()
    }
}
