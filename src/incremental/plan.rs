//! Planning a build: loading, viewing and fingerprinting every page, and rendering those whose
//! fingerprint changed. Writes nothing; [`super::build`] and `serve` decide where the files go.

use std::path::Path;

use rayon::prelude::*;

use super::deps::{self, Fingerprint, TemplateHashes};
use super::hot;
use crate::diag::{Diagnostic, Diagnostics};
use crate::output::Staging;
use crate::render;
use crate::view::{IndexData, Select, Shapes};

/// One file of the next site.
#[derive(Debug)]
pub struct Planned {
    pub path: String,
    pub fingerprint: Fingerprint,
    /// The bytes, when the file is new or its fingerprint differs from the previous one.
    pub bytes: Option<Vec<u8>>,
    /// Rendered anew but already written to the staging folder, so not held in `bytes`.
    pub staged: bool,
}

impl Planned {
    /// Rendered anew (not carried over from the current site).
    pub fn is_new(&self) -> bool {
        self.bytes.is_some() || self.staged
    }
}

/// Loads, validates and views the site under `root`, fingerprints every output file and
/// renders those whose fingerprint is not `previous(path)`. Writes nothing.
pub fn plan<'p>(
    root: &Path,
    bodies: &crate::view::BodyCache,
    previous: &(dyn Fn(&str) -> Option<&'p str> + Sync),
) -> Result<Vec<Planned>, Diagnostics> {
    let hidden = indicatif::ProgressBar::hidden();
    plan_hot(root, bodies, None, None, previous, false, &hidden, None).map(|p| p.planned)
}

/// What [`plan_hot`] made.
pub struct Plan {
    pub planned: Vec<Planned>,
    /// What `serve`'s fast path needs, when asked for.
    pub hot: Option<hot::Hot>,
    /// The search index's state, when not kept in `hot`.
    pub search: Option<crate::search::State>,
    /// The pages' shapes and the names' URL keys, when not kept in `hot`: what lets the next
    /// `build` after item edits take the fast path.
    pub layout: Option<Vec<u8>>,
}

/// [`plan`], taking unchanged content files from `parsed` and the previous search index from
/// `search` (the state of the files `previous` describes); with `keep`, also what `serve`'s
/// fast path needs ([`hot::Hot`]). `progress` advances by one for each page fingerprinted (and
/// rendered if need be). With a `sink`, rendered pages go straight into that staging folder
/// instead of memory: a full build then never holds the whole site's HTML at once.
#[allow(clippy::too_many_arguments)] // each is one thing a caller may reuse or ask for
pub fn plan_hot<'p>(
    root: &Path,
    bodies: &crate::view::BodyCache,
    parsed: Option<&crate::load::ParseCache>,
    search: Option<crate::search::State>,
    previous: &(dyn Fn(&str) -> Option<&'p str> + Sync),
    keep: bool,
    progress: &indicatif::ProgressBar,
    sink: Option<&Staging>,
) -> Result<Plan, Diagnostics> {
    crate::timings::stage("read the search state");
    let (site, tera) = crate::build::load_inputs_with(root, parsed)?;
    crate::timings::stage("load and validate");
    let templates_dir = root.join("templates");
    let hashes = TemplateHashes::new(&tera, &templates_dir);
    let data = IndexData::new(&site, bodies);
    crate::timings::stage("bodies and cards");
    let renderer = PageRenderer::new(&site, &tera, &hashes, &templates_dir);
    let mut dirs: Vec<String> = Vec::new();
    let mut shapes = Shapes::new();
    let mut results: Vec<Result<Planned, Diagnostic>> = Vec::new();
    // Group by group: a group's views are dropped as its pages render, before the next is built.
    crate::view::for_each_group(&site, &data, &Select::all(), |slots| {
        progress.inc_length(slots.len() as u64);
        let mut pages = Vec::with_capacity(slots.len());
        for s in slots {
            if s.file != "404.html" {
                dirs.push(s.dir);
            }
            shapes.insert(s.file, s.shape);
            pages.extend(s.page);
        }
        let done: Vec<Result<Planned, Diagnostic>> = pages
            .into_par_iter()
            .map(|p| {
                let planned = renderer.plan(p, previous, sink);
                progress.inc(1);
                planned
            })
            .collect();
        results.extend(done);
    });
    let mut planned = collect(results)?;
    crate::timings::stage("pages: view, fingerprint, render");
    let mut extra = render::static_files(&templates_dir)?;
    extra.push(feed_file(&site));
    extra.push(sitemap_file(&site, &dirs));
    extra.push(marker_file());
    planned.extend(extra.into_iter().map(|f| Planned::file(f, previous)));
    crate::timings::stage("feed, sitemap, static files");
    let (search, index) = index_files(&site, &data, search, previous);
    planned.extend(index);
    crate::timings::stage("search index: files");
    planned.sort_by(|a, b| a.path.cmp(&b.path));
    if !keep {
        let layout = super::cache::Layout::of(&shapes, &data);
        return Ok(Plan {
            planned,
            hot: None,
            search: Some(search),
            layout,
        });
    }
    let hot = hot::Hot {
        site,
        tera,
        hashes,
        data,
        shapes,
        search,
        search_written: true,
    };
    Ok(Plan {
        planned,
        hot: Some(hot),
        search: None,
        layout: None,
    })
}

/// The search index's files, and its state. From the previous build's `state`, only the items
/// that changed are indexed again and only the files they touch are made; every other index file
/// is carried over with its previous fingerprint (or made anew if it has none).
fn index_files<'p>(
    site: &crate::model::Site,
    data: &IndexData,
    state: Option<crate::search::State>,
    previous: &(dyn Fn(&str) -> Option<&'p str> + Sync),
) -> (crate::search::State, Vec<Planned>) {
    let (state, made) = match state {
        Some(mut state) => {
            let made = state.resume(crate::search::docs(site, data), site.vocab.clone());
            (state, made)
        }
        None => {
            let docs = crate::search::docs(site, data);
            crate::timings::stage("search index: documents");
            let state = crate::search::State::of(docs, site.vocab.clone());
            crate::timings::stage("search index: postings");
            let made = state.files();
            (state, made)
        }
    };
    let made_paths: std::collections::HashSet<String> =
        made.iter().map(|f| f.path.clone()).collect();
    let mut planned: Vec<Planned> = made
        .into_par_iter()
        .map(|f| Planned::file(f, previous))
        .collect();
    // What the update did not touch: as the previous build left it, unless it is not there.
    let rest: Vec<Planned> = state
        .paths()
        .into_par_iter()
        .filter(|p| !made_paths.contains(p))
        .filter_map(|path| match previous(&path) {
            Some(fingerprint) => Some(Planned {
                fingerprint: fingerprint.to_string(),
                path,
                bytes: None,
                staged: false,
            }),
            None => state.file_at(&path).map(|f| Planned::file(f, previous)),
        })
        .collect();
    planned.extend(rest);
    (state, planned)
}

/// The planned pages, or every error (one per broken template).
pub(super) fn collect(
    results: Vec<Result<Planned, Diagnostic>>,
) -> Result<Vec<Planned>, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut planned = Vec::with_capacity(results.len() + 8);
    for r in results {
        match r {
            Ok(p) => planned.push(p),
            Err(d) => diags.push(d),
        }
    }
    if !diags.is_empty() {
        // One broken template fails every page using it; report it once per template.
        diags.0.sort_by(|a, b| a.path.cmp(&b.path));
        diags.0.dedup_by(|a, b| a.path == b.path);
        return Err(diags);
    }
    Ok(planned)
}

/// The feed: made from the whole site rather than from a page's view.
pub(super) fn feed_file(site: &crate::model::Site) -> render::OutFile {
    render::OutFile {
        path: "feed.xml".into(),
        bytes: render::feed(site).into_bytes(),
        source: None,
    }
}

/// The file that tells a later build the folder is bulletin's to replace.
pub(super) fn marker_file() -> render::OutFile {
    render::OutFile {
        path: crate::output::guard::MARKER.into(),
        bytes: crate::output::guard::MARKER_TEXT.as_bytes().to_vec(),
        source: None,
    }
}

/// The sitemap of the pages at `dirs`.
pub(super) fn sitemap_file(site: &crate::model::Site, dirs: &[String]) -> render::OutFile {
    render::OutFile {
        path: "sitemap.xml".into(),
        bytes: render::sitemap(&site.config.base_url, dirs.iter().map(String::as_str)).into_bytes(),
        source: None,
    }
}

impl Planned {
    /// A file whose bytes are its own fingerprint's input.
    pub(super) fn file<'p>(
        f: render::OutFile,
        previous: &dyn Fn(&str) -> Option<&'p str>,
    ) -> Planned {
        let fingerprint = deps::bytes(&f.bytes);
        let same = previous(&f.path) == Some(fingerprint.as_str());
        Planned {
            path: f.path,
            fingerprint,
            bytes: (!same).then_some(f.bytes),
            staged: false,
        }
    }
}

/// Fingerprints pages and renders those that changed: what every page of a build goes
/// through, the general path's and `serve`'s fast path's alike.
pub struct PageRenderer<'a> {
    tera: &'a tera::Tera,
    hashes: &'a TemplateHashes,
    templates_dir: &'a Path,
    site_view: crate::view::SiteView,
    base_path: String,
}

impl<'a> PageRenderer<'a> {
    pub fn new(
        site: &crate::model::Site,
        tera: &'a tera::Tera,
        hashes: &'a TemplateHashes,
        templates_dir: &'a Path,
    ) -> Self {
        PageRenderer {
            tera,
            hashes,
            templates_dir,
            site_view: render::site_view(site),
            base_path: site.config.base_url.path().to_string(),
        }
    }

    /// Fingerprints the page and renders it unless its fingerprint is `previous(path)`; into
    /// `sink` when given.
    pub fn plan<'p>(
        &self,
        p: crate::view::Page,
        previous: &(dyn Fn(&str) -> Option<&'p str> + Sync),
        sink: Option<&Staging>,
    ) -> Result<Planned, Diagnostic> {
        let p = render::prepare_page(p, &self.site_view, &self.base_path);
        let fingerprint = self.hashes.page(&p);
        let mut staged = false;
        let bytes = if previous(&p.file) == Some(fingerprint.as_str()) {
            None
        } else {
            let html = render::render_page(self.tera, &p, self.templates_dir)?;
            match sink {
                Some(s) => {
                    s.write(&p.file, &html)
                        .map_err(|e| Diagnostic::new(&e.path, e.to_string()))?;
                    staged = true;
                    None
                }
                None => Some(html),
            }
        };
        Ok(Planned {
            path: p.file,
            fingerprint,
            bytes,
            staged,
        })
    }
}
