//! Rendered Markdown bodies, cached by a hash of their source.

use std::collections::HashMap;
use std::sync::Arc;

use crate::markdown::Renderer;

/// Rendered Markdown bodies by a hash of their source, kept between builds by `serve` (a save
/// then re-renders one body, not ten thousand). Bodies are shared (`Arc`), not copied, between
/// the cache and the views: at 10,000 pages each copy is tens of megabytes.
#[derive(Default)]
pub struct BodyCache {
    map: std::sync::Mutex<HashMap<blake3::Hash, Arc<str>>>,
    /// Whether entries were added or dropped since [`BodyCache::from_entries`].
    changed: std::sync::atomic::AtomicBool,
}

impl BodyCache {
    /// The HTML of `body`, rendered by `r` unless cached. `r` must link relative to an item
    /// page (`../../`), as every cached body is.
    pub fn html(&self, r: &Renderer, body: &str) -> Arc<str> {
        let key = blake3::hash(body.as_bytes());
        if let Some(h) = self.map.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return h;
        }
        let html: Arc<str> = r.html(body).into();
        if let Ok(mut m) = self.map.lock() {
            m.insert(key, Arc::clone(&html));
        }
        self.changed
            .store(true, std::sync::atomic::Ordering::Relaxed);
        html
    }

    /// Keeps only the bodies of the last build, so edits do not grow the cache forever.
    pub(super) fn retain(&self, used: &std::collections::HashSet<blake3::Hash>) {
        if let Ok(mut m) = self.map.lock() {
            let before = m.len();
            m.retain(|k, _| used.contains(k));
            if m.len() != before {
                self.changed
                    .store(true, std::sync::atomic::Ordering::Relaxed);
            }
        }
    }

    /// A cache holding these (source hash, HTML) pairs, e.g. read back from disk.
    pub fn from_entries(entries: impl IntoIterator<Item = ([u8; 32], String)>) -> Self {
        let map = entries
            .into_iter()
            .map(|(k, v)| (blake3::Hash::from_bytes(k), Arc::from(v)))
            .collect();
        BodyCache {
            map: std::sync::Mutex::new(map),
            changed: Default::default(),
        }
    }

    /// The entries, sorted by key, if any changed since the cache was made.
    pub fn changed_entries(&self) -> Option<Vec<([u8; 32], Arc<str>)>> {
        if !self.changed.load(std::sync::atomic::Ordering::Relaxed) {
            return None;
        }
        let m = self.map.lock().ok()?;
        let mut v: Vec<([u8; 32], Arc<str>)> = m
            .iter()
            .map(|(k, v)| (*k.as_bytes(), Arc::clone(v)))
            .collect();
        v.sort_by_key(|a| a.0);
        Some(v)
    }
}
