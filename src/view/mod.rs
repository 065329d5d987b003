//! Views: turns the validated [`Site`] into the list of pages to render, each with its template
//! and the view structs its template sees (`page`, plus `site` and `root` added by the renderer).

mod cards;
mod digest;
mod home;
mod indexes;
mod items;
mod listing;
pub mod select;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

pub use cards::*;
pub use listing::{Facet, ListingView, Pager, PER_PAGE};
pub use select::{ItemKey, Select, Shapes, Slot};

use crate::markdown::{LinkBase, Renderer};
use crate::model::*;
use crate::urls::file_for;

/// One page to render: where it goes, with which template and data.
#[derive(Debug)]
pub struct Page {
    /// Directory path relative to the site root (`policies/x/`; `` for the home page).
    pub dir: String,
    /// File path relative to the site root (`policies/x/index.html`).
    pub file: String,
    pub template: &'static str,
    pub context: tera::Context,
    /// The content file the page is about, for messages (e.g. a broken link in its body).
    pub source: Option<PathBuf>,
}

impl Page {
    pub fn new<T: Serialize>(dir: String, template: &'static str, view: &T) -> Page {
        let mut context = tera::Context::new();
        context.insert("page", view);
        Page {
            file: file_for(&dir),
            dir,
            template,
            context,
            source: None,
        }
    }

    pub fn from_source(mut self, path: &std::path::Path) -> Page {
        self.source = Some(path.to_path_buf());
        self
    }
}

/// What several pages need, computed once per build. Owned, so that `serve` can keep it
/// between saves and update only the changed items' parts ([`IndexData::update`]).
#[derive(Default)]
pub struct IndexData {
    /// Rendered Markdown bodies, by kind and slug.
    pub bodies: HashMap<ItemKey, Arc<str>>,
    /// Each item's card, built once: listings show the same item many times.
    pub cards: Cards,
    /// Slugs of the articles reporting each policy, in site order.
    pub reported_by: BTreeMap<Slug, Vec<Slug>>,
    pub tags: crate::urls::Keys,
    pub regions: crate::urls::Keys,
    pub issuers: crate::urls::Keys,
    pub sections: crate::urls::Keys,
}

/// Cards by kind, then slug: looked up by reference, without building a key (listings look
/// up tens of thousands per build).
#[derive(Default)]
pub struct Cards([HashMap<Slug, Arc<Card>>; 5]);

impl Cards {
    pub fn get(&self, kind: Kind, slug: &Slug) -> Option<&Arc<Card>> {
        self.0[kind as usize].get(slug)
    }

    fn insert(&mut self, kind: Kind, slug: Slug, card: Arc<Card>) {
        self.0[kind as usize].insert(slug, card);
    }

    fn remove(&mut self, kind: Kind, slug: &Slug) {
        self.0[kind as usize].remove(slug);
    }
}

/// The site with its [`IndexData`]: what every page builder reads.
pub struct Index<'a> {
    pub site: &'a Site,
    pub data: &'a IndexData,
}

impl std::ops::Deref for Index<'_> {
    type Target = IndexData;
    fn deref(&self) -> &IndexData {
        self.data
    }
}

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
    fn retain(&self, used: &std::collections::HashSet<blake3::Hash>) {
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

impl IndexData {
    /// Everything, rendering each body unless `cache` has it.
    pub fn new(site: &Site, cache: &BodyCache) -> Self {
        use rayon::prelude::*;
        let mut jobs: Vec<(Kind, &Slug, &str)> = Vec::new();
        jobs.extend(
            site.articles
                .iter()
                .map(|a| (Kind::Article, &a.slug, a.body.as_str())),
        );
        jobs.extend(
            site.policies
                .iter()
                .map(|p| (Kind::Policy, &p.slug, p.body.as_str())),
        );
        // Renderer holds ammonia's builder, which is not Sync; give each worker its own.
        let bodies = jobs
            .par_iter()
            .map_init(
                || Renderer::new(LinkBase::Relative("../../".into())),
                |r, (k, s, body)| ((*k, (*s).clone()), cache.html(r, body)),
            )
            .collect();
        cache.retain(
            &jobs
                .iter()
                .map(|(_, _, b)| blake3::hash(b.as_bytes()))
                .collect(),
        );
        let mut data = IndexData {
            bodies,
            ..IndexData::default()
        };
        data.cards = all_cards(site, &data.bodies);
        data.relink(site);
        data
    }

    /// After the items `changed` of `site` were edited, added or removed: renders their bodies
    /// and cards again (or drops them) and recomputes what spans items. Returns whether the
    /// URL key of a tag, region, issuer or section that existed before changed (a collision
    /// with a new name): item pages' links then change beyond the changed items.
    pub fn update(&mut self, site: &Site, changed: &HashSet<ItemKey>, cache: &BodyCache) -> bool {
        let r = Renderer::new(LinkBase::Relative("../../".into()));
        for (kind, slug) in changed {
            self.bodies.remove(&(*kind, slug.clone()));
            self.cards.remove(*kind, slug);
        }
        let wanted = |k: Kind, s: &Slug| changed.contains(&(k, s.clone()));
        for a in site
            .articles
            .iter()
            .filter(|a| wanted(Kind::Article, &a.slug))
        {
            let html = cache.html(&r, &a.body);
            self.cards
                .insert(Kind::Article, a.slug.clone(), article_card(a, &html));
            self.bodies.insert((Kind::Article, a.slug.clone()), html);
        }
        for p in site
            .policies
            .iter()
            .filter(|p| wanted(Kind::Policy, &p.slug))
        {
            let html = cache.html(&r, &p.body);
            self.bodies.insert((Kind::Policy, p.slug.clone()), html);
            self.cards
                .insert(Kind::Policy, p.slug.clone(), policy_card(p));
        }
        for x in site
            .rankings
            .iter()
            .filter(|x| wanted(Kind::Ranking, &x.slug))
        {
            self.cards
                .insert(Kind::Ranking, x.slug.clone(), ranking_card(x));
        }
        for x in site.books.iter().filter(|x| wanted(Kind::Book, &x.slug)) {
            self.cards.insert(Kind::Book, x.slug.clone(), book_card(x));
        }
        for x in site
            .products
            .iter()
            .filter(|x| wanted(Kind::Product, &x.slug))
        {
            self.cards
                .insert(Kind::Product, x.slug.clone(), product_card(x));
        }
        let before = [
            std::mem::take(&mut self.tags),
            std::mem::take(&mut self.regions),
            std::mem::take(&mut self.issuers),
            std::mem::take(&mut self.sections),
        ];
        self.relink(site);
        let after = [&self.tags, &self.regions, &self.issuers, &self.sections];
        before
            .iter()
            .zip(after)
            .any(|(b, a)| !b.same_where_shared(a))
    }

    /// What spans items: which articles report each policy, and the URL keys of names.
    fn relink(&mut self, site: &Site) {
        let mut reported_by: BTreeMap<Slug, Vec<Slug>> = BTreeMap::new();
        for a in &site.articles {
            for p in &a.meta.policies {
                reported_by
                    .entry(p.clone())
                    .or_default()
                    .push(a.slug.clone());
            }
        }
        self.reported_by = reported_by;
        self.tags = crate::urls::Keys::new(
            site.articles
                .iter()
                .flat_map(|a| &a.meta.tags)
                .chain(site.policies.iter().flat_map(|p| &p.meta.tags))
                .map(String::as_str),
        );
        self.regions = crate::urls::Keys::new(all_regions(site));
        self.issuers = crate::urls::Keys::new(
            site.policies
                .iter()
                .flat_map(|p| &p.meta.issuers)
                .map(String::as_str),
        );
        self.sections = crate::urls::Keys::new(
            site.articles
                .iter()
                .filter_map(|a| a.meta.section.as_deref()),
        );
    }
}

impl<'a> Index<'a> {
    /// The card of an item of this site.
    pub fn card(&self, kind: Kind, slug: &Slug) -> Arc<Card> {
        self.cards.get(kind, slug).cloned().unwrap_or_else(|| {
            panic!(
                "no card for {}/{slug}: items come from the same site",
                kind.dir()
            )
        })
    }

    pub fn body(&self, kind: Kind, slug: &Slug) -> &str {
        self.bodies.get(&(kind, slug.clone())).map_or("", |b| b)
    }

    pub fn tag_link(&self, name: &str) -> Link {
        Link {
            name: name.to_string(),
            url: crate::urls::href(&format!("tags/{}/", self.tags.get(name))),
        }
    }

    pub fn region_link(&self, name: &str) -> Link {
        Link {
            name: name.to_string(),
            url: crate::urls::href(&format!("regions/{}/", self.regions.get(name))),
        }
    }

    pub fn issuer_link(&self, name: &str) -> Link {
        Link {
            name: name.to_string(),
            url: crate::urls::href(&format!("policies/issuer/{}/", self.issuers.get(name))),
        }
    }

    pub fn section_link(&self, name: &str) -> Link {
        Link {
            name: name.to_string(),
            url: crate::urls::href(&format!("articles/sections/{}/", self.sections.get(name))),
        }
    }

    pub fn issue_link(&self, r: &IssueRef) -> Option<Link> {
        self.site.issues.get(r).map(|i| Link {
            name: format!("{} {}", i.meta.series, i.meta.title),
            url: crate::urls::href(&issue_dir(r)),
        })
    }
}

fn all_cards(site: &Site, bodies: &HashMap<ItemKey, Arc<str>>) -> Cards {
    use rayon::prelude::*;
    let body = |k: Kind, s: &Slug| bodies.get(&(k, s.clone())).map_or("", |b| b);
    let mut cards: Vec<(ItemKey, Arc<Card>)> = site
        .articles
        .par_iter()
        .map(|a| {
            (
                (Kind::Article, a.slug.clone()),
                article_card(a, body(Kind::Article, &a.slug)),
            )
        })
        .collect();
    cards.extend(
        site.policies
            .par_iter()
            .map(|p| ((Kind::Policy, p.slug.clone()), policy_card(p)))
            .collect::<Vec<_>>(),
    );
    cards.extend(
        site.rankings
            .iter()
            .map(|r| ((Kind::Ranking, r.slug.clone()), ranking_card(r))),
    );
    cards.extend(
        site.books
            .iter()
            .map(|b| ((Kind::Book, b.slug.clone()), book_card(b))),
    );
    cards.extend(
        site.products
            .iter()
            .map(|p| ((Kind::Product, p.slug.clone()), product_card(p))),
    );
    let mut all = Cards::default();
    for ((kind, slug), card) in cards {
        all.insert(kind, slug, card);
    }
    all
}

/// Every region named by an article, policy or product.
pub fn all_regions(site: &Site) -> impl Iterator<Item = &str> {
    site.articles
        .iter()
        .flat_map(|a| a.meta.regions.iter().map(String::as_str))
        .chain(
            site.policies
                .iter()
                .filter_map(|p| p.meta.region.as_deref()),
        )
        .chain(
            site.products
                .iter()
                .filter_map(|p| p.meta.region.as_deref()),
        )
}

/// All HTML pages of the site, in a stable order.
pub fn pages(site: &Site) -> Vec<Page> {
    let data = IndexData::new(site, &BodyCache::default());
    let mut pages = Vec::new();
    for_each_group(site, &data, &Select::all(), |group| {
        pages.extend(group.into_iter().filter_map(|s| s.page))
    });
    pages
}

/// The pages in groups (home and items, issues, listings, digest and 404), each built when the
/// previous one has been handed to `f`: a caller that renders and drops each group holds one
/// group's views at a time, not the whole site's (the largest part of a build's memory).
/// Every page has its slot; only those `select` wants have their view.
pub fn for_each_group(
    site: &Site,
    data: &IndexData,
    select: &Select,
    mut f: impl FnMut(Vec<Slot>),
) {
    let ix = &Index { site, data };
    let first = || {
        let mut first = home::home(ix, select);
        first.extend(items::item_pages(ix, select));
        first
    };
    let last = || {
        let mut last = digest::digest_pages(ix, select);
        last.push(home::not_found());
        last
    };
    if select.is_all() {
        f(first());
        f(indexes::issue_pages(ix, select));
        f(indexes::listings(ix, select));
        f(last());
    } else {
        // Few views are built: the groups are small, and built side by side.
        let ((a, b), (c, d)) = rayon::join(
            || rayon::join(first, || indexes::issue_pages(ix, select)),
            || rayon::join(|| indexes::listings(ix, select), last),
        );
        for group in [a, b, c, d] {
            f(group);
        }
    }
}
