//! Incremental `bulletin build`: the same output as a clean build, doing only the work a change
//! needs. Owns the build cache (`ROOT/.bulletin-cache/`, see [`cache`]) and the reuse of files
//! of the current site.
//!
//! A build first compares the stamps (size, modification time, inode) of every file under
//! `content/` and `templates/`, and of every file of the output folder, with those the last
//! build recorded: if nothing changed it does nothing at all. Otherwise it loads everything and
//! builds the views, fingerprints every page ([`deps`]) and renders only the pages whose
//! fingerprint changed, in memory. Nothing is written until every page has rendered, so a
//! failed build leaves `site/` untouched. Then:
//!
//! - a small change (at most a quarter of the files) replaces just those files in place, each
//!   atomically (temporary file + rename), and deletes the files no longer produced;
//! - a large change, or no usable cache, stages a complete new site beside the old one
//!   (unchanged files hard-linked from it) and swaps it in atomically, as a clean build does.
//!
//! Why not always stage: on this project's machine, hard-linking 10,000 page files into a new
//! tree and deleting the old tree costs about as much as rendering them (seconds of file-system
//! metadata work), which would make a one-file build nearly as slow as a full one. The cache is
//! deleted before files are replaced and written after, so a build killed half-way through a
//! replacement is followed by a full build.

pub mod cache;
pub mod deps;
mod edits;
pub mod hot;
mod plan;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::build::{BuildError, BuildOptions};
use crate::fsio::{self, IoError};
use crate::output::Staging;
use cache::{Cache, Stamp};
use deps::Fingerprint;

pub use cache::CACHE_DIR;
use plan::{collect, feed_file, sitemap_file};
pub use plan::{plan, plan_hot, PageRenderer, Plan, Planned};

/// What an incremental build did.
#[derive(Debug, Default)]
pub struct Report {
    /// Nothing had changed: nothing was loaded, rendered or written.
    pub unchanged: bool,
    /// HTML pages in the site.
    pub pages: usize,
    /// Files in the site.
    pub files: usize,
    /// Files rendered or written anew (paths relative to the site root), sorted.
    pub written: Vec<String>,
    /// Files no longer produced, deleted from the site.
    pub removed: Vec<String>,
    /// Files carried over from the previous site unchanged.
    pub reused: usize,
    /// Only item files had changed, and only the pages they touch were viewed (see [`edits`]).
    pub fast: bool,
    pub elapsed: Duration,
}

/// `bulletin build`, reusing the previous site and the cache. `clean` ignores both.
pub fn build(opts: &BuildOptions, clean: bool) -> Result<Report, BuildError> {
    let start = Instant::now();
    crate::timings::stage("start");
    let out = crate::output::guard::resolve(&opts.root, &opts.out)?.out;
    crate::output::journal::recover(&opts.root, Some(&out))?;
    let record = if clean {
        None
    } else {
        cache::Record::read(&opts.root, &out)
    };
    crate::timings::stage("read the record");
    // Even a build with nothing to do cleans up after a killed one.
    crate::output::remove_stale_builds(&out);
    let mut same_out = false;
    if let Some(head) = record.as_ref().and_then(cache::Record::head) {
        // Each recorded file and folder is looked up directly: no folder is listed.
        let same_in;
        (same_in, same_out) = rayon::join(
            || crate::fsio::stamps_match(&opts.root, &head.inputs.0),
            || crate::fsio::stamps_match(&out, &head.outputs.0),
        );
        crate::timings::stage("check the stamps");
        if same_in && same_out {
            return Ok(Report {
                unchanged: true,
                pages: head.pages,
                files: head.files,
                elapsed: start.elapsed(),
                ..Report::default()
            });
        }
    }
    let mut old = record.as_ref().and_then(cache::Record::cache);
    // Stamps are taken before anything is read: a file saved during the build then differs
    // from its recorded stamp and is seen by the next build.
    let (inputs, mut current) = match &old {
        // Every recorded file and folder of the site has its stamp: the site is as recorded
        // (a file added or removed shows in its folder's stamp), no need to walk it again.
        Some(c) if same_out => (
            cache::stamp_inputs(&opts.root, &["content", "templates"]),
            Some(c.outputs.clone()),
        ),
        _ => rayon::join(
            || cache::stamp_inputs(&opts.root, &["content", "templates"]),
            || cache::stamp_tree(&out),
        ),
    };
    let bodies = if clean {
        crate::view::BodyCache::default()
    } else {
        cache::read_bodies(&opts.root)
    };
    crate::timings::stage("cache, stamps, bodies");
    if let (Some(c), false) = (&mut old, clean) {
        let rec = edits::Recorded {
            old: c,
            inputs: &inputs,
            site_as_recorded: same_out,
            current: &mut current,
            bodies: &bodies,
        };
        if let Some(report) = edits::build(opts, &out, rec, start)? {
            return Ok(report);
        }
    }
    let reusable = reusable(old.as_ref(), current.as_ref());
    let bar = crate::build::progress_bar(opts.progress);
    // With nothing to reuse the site is staged whole: pages are written there as they render.
    let staging = if reusable.is_empty() {
        Some(Staging::new(&out)?)
    } else {
        None
    };
    // The index's state is only worth reading when its files can be carried over.
    let search = match (&old, reusable.is_empty()) {
        (Some(c), false) => cache::read_search(&opts.root, &c.search),
        _ => None,
    };
    let held = match (&old, &search) {
        (Some(c), Some(_)) => c.search.clone(),
        _ => String::new(),
    };
    let planned = plan_hot(
        &opts.root,
        &bodies,
        None,
        search,
        &|p| reusable.get(p).copied(),
        false,
        &bar,
        staging.as_ref(),
    );
    bar.finish_and_clear();
    // On error a staging folder is dropped (deleted) and the site is left as it was.
    let plan::Plan {
        planned,
        search,
        layout,
        ..
    } = planned?;
    crate::timings::stage("plan");
    let removed: Vec<String> = match &current {
        Some(cur) => {
            let next: std::collections::HashSet<&str> =
                planned.iter().map(|p| p.path.as_str()).collect();
            cur.keys()
                .filter(|p| !cache::is_dir_key(p) && !next.contains(p.as_str()))
                .cloned()
                .collect()
        }
        None => Vec::new(),
    };
    let written: Vec<String> = planned
        .iter()
        .filter(|p| p.is_new())
        .map(|p| p.path.clone())
        .collect();
    // The cache goes first: if what follows is interrupted, the next build must not believe
    // the site matches it.
    Cache::remove(&opts.root, &out);
    let small = written.len() + removed.len() <= planned.len() / 4;
    let outputs = match current {
        Some(stamps) if staging.is_none() && small => {
            replace_in_place(&opts.root, &out, &planned, &removed)?;
            // Only the replaced files and their folders changed: re-stamp those rather than
            // walk the whole site again.
            let touched = written.iter().chain(&removed).map(String::as_str);
            cache::restamp(&out, stamps, touched)
        }
        _ => {
            let staging = match staging {
                Some(s) => s,
                None => Staging::new(&out)?,
            };
            planned.par_iter().try_for_each(|p| match &p.bytes {
                Some(b) => staging.write(&p.path, b),
                None if p.staged => Ok(()),
                None => staging.link(&out, &p.path).or_else(|_| {
                    fsio::read_bytes(&out.join(&p.path)).and_then(|b| staging.write(&p.path, &b))
                }),
            })?;
            let outputs = cache::stamp_tree(staging.path()).unwrap_or_default();
            staging.commit()?;
            outputs
        }
    };
    crate::timings::stage("write the site");
    let fingerprints: BTreeMap<String, Fingerprint> = planned
        .into_iter()
        .map(|p| (p.path, p.fingerprint))
        .collect();
    let mut new = Cache {
        out,
        inputs,
        outputs,
        fingerprints,
        layout,
        ..Cache::default()
    };
    cache::save(
        &opts.root,
        &mut new,
        search.as_ref().map(|s| (s, held.as_str())),
        &bodies,
    );
    crate::timings::stage("save the cache");
    Ok(Report {
        unchanged: false,
        pages: new.pages,
        files: new.files,
        reused: new.files - written.len(),
        written,
        removed,
        fast: false,
        elapsed: start.elapsed(),
    })
}

/// Writes the changed files of `planned` into `out` and deletes `removed` (and folders left
/// empty), all or nothing: see [`crate::output::journal`].
pub fn replace_in_place(
    root: &Path,
    out: &Path,
    planned: &[Planned],
    removed: &[String],
) -> Result<(), IoError> {
    let put: Vec<(&str, &[u8])> = planned
        .iter()
        .filter_map(|p| p.bytes.as_deref().map(|b| (p.path.as_str(), b)))
        .collect();
    crate::output::journal::replace(root, out, &put, removed)
}

/// Files of the current site that are exactly as the last build left them, with the
/// fingerprint they were built from.
fn reusable<'a>(
    old: Option<&'a Cache>,
    current: Option<&BTreeMap<String, Stamp>>,
) -> HashMap<&'a str, &'a str> {
    let (Some(old), Some(current)) = (old, current) else {
        return HashMap::new();
    };
    old.fingerprints
        .iter()
        .filter(|(path, _)| {
            let recorded = old.outputs.get(path.as_str());
            recorded.is_some() && recorded == current.get(path.as_str())
        })
        .map(|(p, f)| (p.as_str(), f.as_str()))
        .collect()
}
