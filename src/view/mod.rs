//! Views: turns the validated [`Site`] into the list of pages to render, each with its template
//! and the view structs its template sees (`page`, plus `site` and `root` added by the renderer).

mod cards;
mod digest;
mod home;
mod indexes;
mod items;
mod listing;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

pub use cards::*;
pub use listing::{Facet, ListingView, Pager, PER_PAGE};

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
    pub fn new<T: Serialize>(dir: String, template: &'static str, _what: &str, view: &T) -> Page {
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

/// Things several pages need, computed once.
pub struct Index<'a> {
    pub site: &'a Site,
    /// Rendered Markdown bodies, by kind and slug.
    pub bodies: BTreeMap<(Kind, Slug), Arc<str>>,
    /// Articles reporting each policy.
    pub reported_by: BTreeMap<Slug, Vec<&'a Article>>,
    /// Each item's card, built once: listings show the same item many times.
    pub cards: HashMap<(Kind, Slug), Card>,
    pub tags: crate::urls::Keys,
    pub regions: crate::urls::Keys,
    pub issuers: crate::urls::Keys,
    pub sections: crate::urls::Keys,
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

impl<'a> Index<'a> {
    pub fn new(site: &'a Site) -> Self {
        Self::with_cache(site, &BodyCache::default())
    }

    pub fn with_cache(site: &'a Site, cache: &BodyCache) -> Self {
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
        let bodies: BTreeMap<(Kind, Slug), Arc<str>> = bodies;
        let cards = all_cards(site, &bodies);
        let mut reported_by: BTreeMap<Slug, Vec<&Article>> = BTreeMap::new();
        for a in &site.articles {
            for p in &a.meta.policies {
                reported_by.entry(p.clone()).or_default().push(a);
            }
        }
        let tags = crate::urls::Keys::new(
            site.articles
                .iter()
                .flat_map(|a| &a.meta.tags)
                .chain(site.policies.iter().flat_map(|p| &p.meta.tags))
                .map(String::as_str),
        );
        let regions = crate::urls::Keys::new(all_regions(site));
        let issuers = crate::urls::Keys::new(
            site.policies
                .iter()
                .flat_map(|p| &p.meta.issuers)
                .map(String::as_str),
        );
        let sections = crate::urls::Keys::new(
            site.articles
                .iter()
                .filter_map(|a| a.meta.section.as_deref()),
        );
        Index {
            site,
            bodies,
            cards,
            reported_by,
            tags,
            regions,
            issuers,
            sections,
        }
    }

    /// The card of an item of this site.
    pub fn card(&self, kind: Kind, slug: &Slug) -> Card {
        self.cards
            .get(&(kind, slug.clone()))
            .cloned()
            .unwrap_or_else(|| {
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

fn all_cards(
    site: &Site,
    bodies: &BTreeMap<(Kind, Slug), Arc<str>>,
) -> HashMap<(Kind, Slug), Card> {
    use rayon::prelude::*;
    let body = |k: Kind, s: &Slug| bodies.get(&(k, s.clone())).map_or("", |b| b);
    let mut cards: Vec<((Kind, Slug), Card)> = site
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
    cards.into_iter().collect()
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
    pages_cached(site, &BodyCache::default())
}

/// [`pages`], taking rendered bodies from `cache` where their source is unchanged.
pub fn pages_cached(site: &Site, cache: &BodyCache) -> Vec<Page> {
    let mut pages = Vec::new();
    for_each_group(site, cache, |group| pages.extend(group));
    pages
}

/// The pages in groups (home and items, issues, listings, digest and 404), each built when the
/// previous one has been handed to `f`: a caller that renders and drops each group holds one
/// group's views at a time, not the whole site's (the largest part of a build's memory).
pub fn for_each_group(site: &Site, cache: &BodyCache, mut f: impl FnMut(Vec<Page>)) {
    let index = Index::with_cache(site, cache);
    let ix = &index;
    let mut first = home::home(ix);
    first.extend(items::item_pages(ix));
    f(first);
    f(indexes::issue_pages(ix));
    f(indexes::listings(ix));
    let mut last = digest::digest_pages(ix);
    last.push(home::not_found());
    f(last);
}
