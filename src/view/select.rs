//! Which pages a build needs the views of, and what each page depends on.
//!
//! Every page builder declares its page's dependencies in one of two ways:
//!
//! - [`Select::view`]: the view is cheap to build (listings, issue, term, home pages), so it is
//!   built and hashed whole. Cards, the bulk of such views, hash as their URL and version
//!   (see [`super::Card`]), so the hash is cheap too.
//! - [`Select::lazy`]: the view is costly (item pages render Markdown summaries, digest pages
//!   whole months), so the builder names the items whose data the page shows (`deps`) and
//!   hashes everything else the page depends on (`shape`: which related items it lists, in
//!   what order). The view is built only when needed.
//!
//! A full build ([`Select::all`]) builds every view and records every page's shape. `serve`
//! keeps those shapes; after a save it passes the items that changed ([`Select::changed`]) and
//! gets views only for pages whose shape differs from the recorded one, or which show a
//! changed item, or which are new. Everything else the views read (the site's configuration,
//! issue files, digest notes, templates, the URL keys of tags and regions) is outside this
//! scheme: `serve` takes its general path, a full plan, when any of it changes.
//! `tests/it/serve.rs` checks the result against a clean build byte for byte.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use serde::Serialize;

use super::Page;
use crate::model::{Kind, Slug};
use crate::urls::file_for;

/// An item of the site: its kind and slug.
pub type ItemKey = (Kind, Slug);

/// Each page's shape, by file path relative to the site root (`policies/x/index.html`).
pub type Shapes = HashMap<String, u64>;

/// A hash of `v`. `DefaultHasher::new()` has fixed keys, so equal values give equal hashes
/// within one run of the binary, which is as long as shapes are kept.
pub fn shape<T: Hash + ?Sized>(v: &T) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}

/// One page of the site: always its address and shape, and its view when the build needs it.
#[derive(Debug)]
pub struct Slot {
    pub dir: String,
    pub file: String,
    pub shape: u64,
    pub page: Option<Page>,
}

/// Which views to build: all of them, or those a change of some items may have changed.
pub struct Select<'s> {
    changed: Option<(&'s HashSet<ItemKey>, &'s Shapes)>,
}

impl<'s> Select<'s> {
    /// Every page's view.
    pub fn all() -> Select<'static> {
        Select { changed: None }
    }

    /// The views of pages that show one of `items`, or whose shape is not the one in
    /// `shapes`, or which `shapes` does not know.
    pub fn changed(items: &'s HashSet<ItemKey>, shapes: &'s Shapes) -> Select<'s> {
        Select {
            changed: Some((items, shapes)),
        }
    }

    /// Whether every view is built (a full build).
    pub fn is_all(&self) -> bool {
        self.changed.is_none()
    }

    fn wants<'k>(
        &self,
        file: &str,
        shape: u64,
        deps: impl IntoIterator<Item = (Kind, &'k Slug)>,
    ) -> bool {
        let Some((items, shapes)) = self.changed else {
            return true;
        };
        // A save changes a few items: a scan is cheaper than building a key to look one up.
        shapes.get(file) != Some(&shape)
            || deps
                .into_iter()
                .any(|(k, s)| items.iter().any(|(ck, cs)| *ck == k && cs == s))
    }

    /// A page whose whole view is its shape.
    pub fn view<V: Serialize + Hash>(&self, dir: String, template: &'static str, view: &V) -> Slot {
        let file = file_for(&dir);
        let shape = shape(&(template, view));
        let page = self
            .wants(&file, shape, [])
            .then(|| Page::new(dir.clone(), template, view));
        Slot {
            dir,
            file,
            shape,
            page,
        }
    }

    /// A page built by `build` only when needed: `shape` hashes what it depends on besides
    /// the data of the items `deps`.
    pub fn lazy<'k>(
        &self,
        dir: String,
        template: &'static str,
        shape: u64,
        deps: impl IntoIterator<Item = (Kind, &'k Slug)>,
        build: impl FnOnce() -> Page,
    ) -> Slot {
        let file = file_for(&dir);
        let shape = self::shape(&(template, shape));
        let page = self.wants(&file, shape, deps).then(build);
        Slot {
            dir,
            file,
            shape,
            page,
        }
    }
}
