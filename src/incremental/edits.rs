//! `bulletin build` after edits, additions or removals of item files and nothing else: `serve`'s
//! fast path ([`Hot`]) run from what the last build recorded instead of from memory.
//!
//! The record holds every page's shape and the URL keys of the names ([`Layout`]) and names the
//! search index's state. The content is loaded and validated whole, as any build does (so the
//! errors are the same), but only the pages that show an edited item or whose shape changed are
//! viewed, fingerprinted and rendered, and only the edited items are indexed again. Whatever the
//! fast path does not take (a template, an issue, `site.yaml`, a renamed tag's URL, a site
//! changed by hand) is left to the general path, which gives the same bytes.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::cache::{self, Cache, Layout, Stamp};
use super::deps::TemplateHashes;
use super::hot::{self, Fast, Hot};
use super::Report;
use crate::build::{BuildError, BuildOptions};
use crate::model::Kind;
use crate::view::{BodyCache, IndexData, ItemKey};

/// What the general path has already read that this one needs.
pub(super) struct Recorded<'a> {
    /// Its fingerprints are taken while the fast path runs and put back if it falls back.
    pub old: &'a mut Cache,
    pub inputs: &'a BTreeMap<String, Stamp>,
    /// Every recorded file and folder of the site still has its stamp.
    pub site_as_recorded: bool,
    /// The output folder's stamps now; taken once the site has been written.
    pub current: &'a mut Option<BTreeMap<String, Stamp>>,
    pub bodies: &'a BodyCache,
}

/// The build, if the change is one the fast path takes; `Ok(None)` when the general path must
/// run (nothing has been written then).
pub(super) fn build(
    opts: &BuildOptions,
    out: &Path,
    rec: Recorded,
    start: Instant,
) -> Result<Option<Report>, BuildError> {
    let Some(layout) = Layout::read(&rec.old.layout) else {
        return Ok(None);
    };
    // A site changed by hand since the last build: the general path sees which files to redo.
    if !rec.site_as_recorded {
        return Ok(None);
    }
    let changed = changed_files(&rec.old.inputs, rec.inputs);
    if changed.is_empty() || !changed.iter().all(|p| in_item_folder(p)) {
        return Ok(None);
    }
    let Some(search) = cache::read_search(&opts.root, &rec.old.search) else {
        return Ok(None);
    };
    crate::timings::stage("read the search state");
    let (site, tera) = crate::build::load_inputs_with(&opts.root, None)?;
    crate::timings::stage("load and validate");
    let templates_dir = opts.root.join("templates");
    let hashes = TemplateHashes::new(&tera, &templates_dir);
    let data = IndexData::new(&site, rec.bodies);
    crate::timings::stage("bodies and cards");
    if !layout.same_links(&data) {
        return Ok(None);
    }
    let mut hot = Hot {
        site,
        tera,
        hashes,
        data,
        shapes: layout.shapes.into_iter().collect(),
        search,
        search_written: true,
    };
    let Some(keys) = edited_items(&hot, &opts.root, &changed) else {
        return Ok(None);
    };
    let mut fingerprints = std::mem::take(&mut rec.old.fingerprints);
    // As in the general path: the record goes first, so that an interrupted write is followed
    // by a full build rather than trusted.
    Cache::remove(&opts.root, out);
    let (written, removed) = match hot.write(&opts.root, out, &keys, &mut fingerprints)? {
        Fast::Done { written, removed } => (written, removed),
        // A template that fails on the new data: the general path reports it. Nothing was
        // written (nor were the fingerprints changed), and the general path writes a record.
        Fast::Fallback | Fast::Unchanged => {
            rec.old.fingerprints = fingerprints;
            return Ok(None);
        }
    };
    crate::timings::stage("pages, index, write the site");
    let touched = written.iter().chain(&removed).map(String::as_str);
    let outputs = cache::restamp(out, rec.current.take().unwrap_or_default(), touched);
    let mut new = Cache {
        out: out.to_path_buf(),
        inputs: rec.inputs.clone(),
        outputs,
        fingerprints,
        layout: Layout::of(&hot.shapes, &hot.data),
        ..Cache::default()
    };
    cache::save(&opts.root, &mut new, Some((&hot.search, "")), rec.bodies);
    crate::timings::stage("save the cache");
    Ok(Some(Report {
        unchanged: false,
        pages: new.pages,
        files: new.files,
        reused: new.files - written.len(),
        written,
        removed,
        fast: true,
        elapsed: start.elapsed(),
    }))
}

/// Files (not folders) whose stamp changed, appeared or disappeared, root-relative.
fn changed_files(old: &BTreeMap<String, Stamp>, new: &BTreeMap<String, Stamp>) -> Vec<PathBuf> {
    let gone = old.keys().filter(|k| !new.contains_key(*k));
    let differ = new
        .iter()
        .filter(|(k, s)| old.get(*k) != Some(s))
        .map(|(k, _)| k);
    gone.chain(differ)
        .filter(|k| !cache::is_dir_key(k))
        .map(PathBuf::from)
        .collect()
}

/// Whether `rel` lies in one of the item kinds' folders: a cheap test before loading anything.
fn in_item_folder(rel: &Path) -> bool {
    let mut parts = rel.components().map(|c| c.as_os_str().to_str());
    parts.next() == Some(Some("content"))
        && parts.next().flatten().and_then(Kind::from_dir).is_some()
        && parts.next().is_some()
}

/// The items of the changed files, as the fast path classifies them; `None` if a file is not
/// one it takes.
fn edited_items(hot: &Hot, root: &Path, changed: &[PathBuf]) -> Option<HashSet<ItemKey>> {
    let mut keys = HashSet::new();
    for rel in changed {
        // `Some(None)`: an editor's swap or backup file, which the loader skips.
        if let Some((kind, rel)) = hot.classify(root, rel)? {
            keys.insert((kind, hot::slug_of(rel)?));
        }
    }
    (!keys.is_empty()).then_some(keys)
}
