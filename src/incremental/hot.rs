//! The fast path of `serve`: a save that edits, adds or removes item files (articles,
//! policies, rankings, books, products) and nothing else. Owns what `serve` keeps in memory
//! after a good rebuild to take it: the validated [`Site`], the parsed templates, their closure
//! hashes, the [`IndexData`] (rendered bodies, cards) and each page's shape.
//!
//! A save re-reads only the files the watcher names, checks each the way a full load would
//! (parse, then references: issue, section, policies, unique slug), updates the site and the
//! index for those items only, and asks the page builders for the views of the pages that may
//! have changed (see [`crate::view::select`]): a page showing a changed item, or whose shape
//! (which items it lists, in what order) is not the recorded one. Only those views are built,
//! fingerprinted and, when their fingerprint changed, rendered and written. At 10,000 pages a
//! title edit thus builds a few dozen views instead of ten thousand.
//!
//! Anything else returns [`Fast::Fallback`] and `serve` takes the general path, which loads
//! everything and reports errors as `bulletin check` does: a file that does not parse or
//! names something that does not exist, a removed policy that an article still names, an item
//! an issue's `contents` name that is removed or leaves that issue, a
//! template, `site.yaml`, an issue file or a digest note, a folder, a changed URL key of an
//! existing tag or region. `tests/it/serve.rs` compares both paths with a clean build byte for
//! byte.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::deps::{Fingerprint, TemplateHashes};
use super::{feed_file, sitemap_file, PageRenderer, Planned};
use crate::diag::Diagnostics;
use crate::fsio::IoError;
use crate::load::Parsed;
use crate::model::{Item, Kind, Site, Slug};
use crate::validate::{check_item, sort_items, Known, Refs};
use crate::view::{BodyCache, IndexData, ItemKey, Select, Shapes};

/// What a good general rebuild leaves for the fast path.
pub struct Hot {
    pub site: Site,
    pub tera: tera::Tera,
    pub hashes: TemplateHashes,
    pub data: IndexData,
    /// Every page's shape, by file; its keys are the pages of the current site.
    pub shapes: Shapes,
    /// The search index, updated item by item.
    pub search: crate::search::State,
    /// Whether `search` describes the index files as written: not after a save whose index
    /// was updated in memory but whose files were not written.
    pub search_written: bool,
}

/// What the fast path did.
pub enum Fast {
    /// Files written and removed (site-relative paths); `fingerprints` is updated.
    Done {
        written: Vec<String>,
        removed: Vec<String>,
    },
    /// Only files the loader ignores changed (an editor's swap file): nothing to do.
    Unchanged,
    /// The change is not one the fast path takes: take the general path.
    Fallback,
}

/// One changed item file, checked.
enum Change {
    Article(Option<Item<crate::model::ArticleMeta>>),
    Policy(Option<Item<crate::model::PolicyMeta>>),
    Ranking(Option<Item<crate::model::RankingMeta>>),
    Book(Option<Item<crate::model::BookMeta>>),
    Product(Option<Item<crate::model::ProductMeta>>),
}

impl Change {
    fn is_gone(&self) -> bool {
        match self {
            Change::Article(x) => x.is_none(),
            Change::Policy(x) => x.is_none(),
            Change::Ranking(x) => x.is_none(),
            Change::Book(x) => x.is_none(),
            Change::Product(x) => x.is_none(),
        }
    }
}

impl Hot {
    /// Rebuilds after saves of the files `changed` (absolute or root-relative paths) if each
    /// is an item file; writes the changed files into `out`. `fingerprints` are those of the
    /// files of `out`, updated here. On [`Fast::Fallback`] nothing was changed; on an error
    /// some files may have been replaced, and `self` must be dropped.
    pub fn apply(
        &mut self,
        root: &Path,
        out: &Path,
        changed: &[PathBuf],
        bodies: &BodyCache,
        fingerprints: &mut BTreeMap<String, Fingerprint>,
    ) -> Result<Fast, IoError> {
        let mut rels: Vec<&Path> = changed.iter().map(|p| relative(root, p)).collect();
        rels.sort();
        rels.dedup();
        let mut files = Vec::new();
        for rel in rels {
            match self.classify(root, rel) {
                Some(Some(f)) => files.push(f),
                Some(None) => {}
                None => return Ok(Fast::Fallback),
            }
        }
        if files.is_empty() {
            return Ok(if changed.is_empty() {
                Fast::Fallback
            } else {
                Fast::Unchanged
            });
        }
        let Some(changes) = self.check(root, &files) else {
            return Ok(Fast::Fallback);
        };
        // From here on the site in memory is the new one.
        let mut keys = HashSet::new();
        for (kind, rel, change) in changes {
            keys.extend(slug_of(&rel).map(|s| (kind, s)));
            self.apply_change(&rel, change);
        }
        let relinked = self.data.update(&self.site, &keys, bodies);
        if relinked {
            // An existing tag's or region's URL changed: pages beyond the changed items' link
            // to it. Rare (a new name colliding with one in use); the general path handles it.
            return Ok(Fast::Fallback);
        }
        self.write(root, out, &keys, fingerprints)
    }

    /// Views, fingerprints and renders what changed, then writes it.
    pub(super) fn write(
        &mut self,
        root: &Path,
        out: &Path,
        keys: &HashSet<ItemKey>,
        fingerprints: &mut BTreeMap<String, Fingerprint>,
    ) -> Result<Fast, IoError> {
        let templates_dir = root.join("templates");
        let renderer = PageRenderer::new(&self.site, &self.tera, &self.hashes, &templates_dir);
        let previous = |p: &str| fingerprints.get(p).map(String::as_str);
        let select = Select::changed(keys, &self.shapes);
        let mut shapes = Shapes::with_capacity(self.shapes.len());
        let mut dirs = Vec::new();
        let mut results = Vec::new();
        let views = || {
            crate::view::for_each_group(&self.site, &self.data, &select, |slots| {
                let mut pages = Vec::new();
                for s in slots {
                    if s.file != "404.html" {
                        dirs.push(s.dir);
                    }
                    shapes.insert(s.file, s.shape);
                    pages.extend(s.page);
                }
                results.extend(
                    pages
                        .into_par_iter()
                        .map(|p| renderer.plan(p, &previous, None))
                        .collect::<Vec<_>>(),
                );
            })
        };
        // The feed and the search index read the whole site, not the views: made alongside.
        let search = &mut self.search;
        let (site, data) = (&self.site, &self.data);
        let whole = || {
            let mut files = search.update(site, data, keys);
            files.push(feed_file(site));
            files
        };
        let (whole, ()) = rayon::join(whole, views);
        let mut planned = match super::collect(results) {
            Ok(p) => p,
            // A template that fails on the new data: the general path reports it.
            Err(_) => {
                self.search_written = false;
                return Ok(Fast::Fallback);
            }
        };
        // Index files beyond the new item or shard count are gone with the items they held.
        let mut removed: Vec<String> = fingerprints
            .keys()
            .filter(|f| crate::search::is_index_file(f) && !self.search.has(f))
            .cloned()
            .collect();
        for f in whole {
            planned.push(Planned::file(f, &previous));
        }
        planned.push(Planned::file(sitemap_file(&self.site, &dirs), &previous));
        removed.extend(
            self.shapes
                .keys()
                .filter(|f| !shapes.contains_key(*f))
                .cloned(),
        );
        removed.sort();
        planned.retain(|p| p.bytes.is_some());
        planned.sort_by(|a, b| a.path.cmp(&b.path));
        self.shapes = shapes;
        super::replace_in_place(root, out, &planned, &removed)?;
        for r in &removed {
            fingerprints.remove(r);
        }
        let written = planned
            .into_iter()
            .map(|p| {
                fingerprints.insert(p.path.clone(), p.fingerprint);
                p.path
            })
            .collect();
        Ok(Fast::Done { written, removed })
    }

    /// What a changed path is: `Some(Some(kind))` for an item file (existing or gone),
    /// `Some(None)` for a file the loader skips, `None` for anything else.
    pub(super) fn classify<'r>(
        &self,
        root: &Path,
        rel: &'r Path,
    ) -> Option<Option<(Kind, &'r Path)>> {
        let mut parts = rel.components().map(|c| c.as_os_str().to_str());
        if parts.next()? != Some("content") {
            return None;
        }
        let kind = Kind::from_dir(parts.next()??)?;
        let abs = root.join(rel);
        let name = rel.file_name()?.to_str()?;
        let meta = crate::fsio::symlink_metadata(&abs).ok();
        if meta.as_ref().is_some_and(|m| !m.is_file()) {
            // A folder, or a link, which the loader does not follow: the general path's.
            return None;
        }
        let known = self.known(rel);
        if (name.starts_with('.') || name.ends_with('~')) && !known {
            // Editors' swap and backup files: the loader skips them too.
            return Some(None);
        }
        if rel.extension().and_then(|e| e.to_str()) != Some(kind.extension()) {
            // Another file in an item folder: an error if it exists (the general path says
            // so), nothing if it is gone and held no item (an editor's temporary file).
            return (meta.is_none() && !self.holds(rel)).then_some(None);
        }
        Some(Some((kind, rel)))
    }

    /// Whether `rel` is an item's file.
    fn known(&self, rel: &Path) -> bool {
        self.site.item_paths().any(|p| p == rel)
    }

    /// Whether an item's file is under `rel`.
    fn holds(&self, rel: &Path) -> bool {
        self.site.item_paths().any(|p| p.starts_with(rel))
    }

    /// Reads and checks each changed file as a full load would; `None` if any fails.
    fn check(&self, root: &Path, files: &[(Kind, &Path)]) -> Option<Vec<(Kind, PathBuf, Change)>> {
        // References are checked against the site after the change: an article may name a
        // policy added in the same save, and no article may keep naming a removed one.
        let mut policies: BTreeSet<Slug> =
            self.site.policies.iter().map(|p| p.slug.clone()).collect();
        let mut texts = Vec::new();
        for &(kind, rel) in files {
            let text = match crate::fsio::read(&root.join(rel)) {
                Ok(b) => Some(crate::fsio::text_from_bytes(rel, b).ok()?),
                Err(e) if e.is_not_found() => None,
                Err(_) => return None,
            };
            if let (Kind::Policy, Some(slug)) = (kind, slug_of(rel)) {
                if text.is_some() {
                    policies.insert(slug);
                } else {
                    policies.remove(&slug);
                }
            }
            texts.push((kind, rel, text));
        }
        let known = Known {
            issues: &self.site.issues,
            policies: &policies,
            vocab: &self.site.vocab,
        };
        let mut changes = Vec::new();
        for (kind, rel, text) in texts {
            let change = match kind {
                Kind::Article => {
                    Change::Article(self.item(kind, rel, text, &known, &self.site.articles)?)
                }
                Kind::Policy => {
                    Change::Policy(self.item(kind, rel, text, &known, &self.site.policies)?)
                }
                Kind::Ranking => {
                    Change::Ranking(self.item(kind, rel, text, &known, &self.site.rankings)?)
                }
                Kind::Book => Change::Book(self.item(kind, rel, text, &known, &self.site.books)?),
                Kind::Product => {
                    Change::Product(self.item(kind, rel, text, &known, &self.site.products)?)
                }
            };
            changes.push((kind, rel.to_path_buf(), change));
        }
        if !changes
            .iter()
            .all(|(k, rel, c)| self.keeps_contents(*k, rel, c))
        {
            return None;
        }
        // Two files of this save with one slug (each new to the site) are a duplicate.
        let mut slugs = HashSet::new();
        if !changes
            .iter()
            .all(|(k, rel, c)| c.is_gone() || slugs.insert((*k, slug_of(rel))))
        {
            return None;
        }
        // Articles not changed in this save must not name a policy that is gone.
        let changed: HashSet<&Path> = files.iter().map(|(_, r)| *r).collect();
        let dangling = self.site.articles.iter().any(|a| {
            !changed.contains(a.path.as_path())
                && a.meta.policies.iter().any(|p| !policies.contains(p))
        });
        (!dangling).then_some(changes)
    }

    /// Whether an issue's `contents` still name this item as one of that issue's: an item they
    /// name that is gone or leaves the issue is a check error, the general path's to report.
    fn keeps_contents(&self, kind: Kind, rel: &Path, change: &Change) -> bool {
        let Some(slug) = slug_of(rel) else {
            return true;
        };
        let issue = match change {
            Change::Article(x) => x.as_ref().map(|i| i.meta.issue.as_ref()),
            Change::Policy(x) => x.as_ref().map(|i| i.meta.issue.as_ref()),
            Change::Ranking(x) => x.as_ref().map(|i| i.meta.issue.as_ref()),
            Change::Book(x) => x.as_ref().map(|i| i.meta.issue.as_ref()),
            Change::Product(x) => x.as_ref().map(|i| i.meta.issue.as_ref()),
        };
        self.site.issues.values().all(|i| {
            let named = i
                .meta
                .contents
                .iter()
                .any(|e| e.item.kind == kind && e.item.slug == slug);
            !named || issue == Some(Some(&i.key))
        })
    }

    /// The checked item of file `rel` (`Some(None)` when it is gone), or `None` when it does
    /// not parse, names what does not exist, or takes a slug another file of `kind` has.
    fn item<M>(
        &self,
        kind: Kind,
        rel: &Path,
        text: Option<String>,
        known: &Known,
        current: &[Item<M>],
    ) -> Option<Option<Item<M>>>
    where
        M: Refs + serde::de::DeserializeOwned,
    {
        let Some(text) = text else {
            return Some(None);
        };
        let parsed: Parsed<M> = crate::load::parse_item(kind, rel, &text).ok()?;
        if current
            .iter()
            .any(|x| x.slug == parsed.slug && x.path != rel)
        {
            return None;
        }
        let mut diags = Diagnostics::default();
        check_item(parsed, known, &mut diags).map(Some)
    }

    fn apply_change(&mut self, rel: &Path, change: Change) {
        let s = &mut self.site;
        match change {
            Change::Article(new) => replace(&mut s.articles, rel, new),
            Change::Policy(new) => replace(&mut s.policies, rel, new),
            Change::Ranking(new) => replace(&mut s.rankings, rel, new),
            Change::Book(new) => replace(&mut s.books, rel, new),
            Change::Product(new) => replace(&mut s.products, rel, new),
        }
    }
}

/// Puts `new` in the place of the item of file `rel` (or adds it, or removes the old one)
/// and restores the kind's order.
fn replace<M: Refs>(items: &mut Vec<Item<M>>, rel: &Path, new: Option<Item<M>>) {
    items.retain(|x| x.path != rel);
    items.extend(new);
    sort_items(items);
}

/// The slug of an item file: its name without the extension. `None` only for a gone file
/// whose name is no slug (a present one failed to parse), which no item had.
pub(super) fn slug_of(rel: &Path) -> Option<Slug> {
    rel.file_stem()?.to_str()?.parse().ok()
}

/// `path` (as the watcher reports it, usually absolute) relative to the site root.
fn relative<'a>(root: &Path, path: &'a Path) -> &'a Path {
    if let Ok(r) = path.strip_prefix(root) {
        return r;
    }
    match std::path::absolute(root) {
        Ok(abs) => path.strip_prefix(&abs).unwrap_or(path),
        Err(_) => path,
    }
}
