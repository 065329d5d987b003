//! What several pages need, computed once per build: rendered bodies, each item's card, which
//! articles report each policy, and the URL keys of names (tags, regions, issuers, sections).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use super::{article_card, book_card, policy_card, product_card, ranking_card, BodyCache, Card};
use super::{issue_dir, ItemKey, Link};
use crate::markdown::{LinkBase, Renderer};
use crate::model::*;

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
    /// Each item's place in its kind's list of `site`: pages that show many items find each
    /// here rather than by searching the list (which made the print pages quadratic). Made on
    /// first use: `serve`'s fast path seldom needs it.
    at: std::sync::OnceLock<HashMap<(Kind, &'a Slug), usize>>,
}

impl<'a> Index<'a> {
    pub fn new(site: &'a Site, data: &'a IndexData) -> Index<'a> {
        Index {
            site,
            data,
            at: std::sync::OnceLock::new(),
        }
    }

    /// Where the item `kind`/`slug` is in its kind's list of the site.
    pub fn position(&self, kind: Kind, slug: &Slug) -> Option<usize> {
        let site = self.site;
        let at = self.at.get_or_init(|| {
            let mut at = HashMap::new();
            let kinds: [(Kind, Vec<&'a Slug>); 5] = [
                (
                    Kind::Article,
                    site.articles.iter().map(|x| &x.slug).collect(),
                ),
                (
                    Kind::Policy,
                    site.policies.iter().map(|x| &x.slug).collect(),
                ),
                (
                    Kind::Ranking,
                    site.rankings.iter().map(|x| &x.slug).collect(),
                ),
                (Kind::Book, site.books.iter().map(|x| &x.slug).collect()),
                (
                    Kind::Product,
                    site.products.iter().map(|x| &x.slug).collect(),
                ),
            ];
            for (kind, slugs) in kinds {
                for (i, slug) in slugs.into_iter().enumerate() {
                    at.insert((kind, slug), i);
                }
            }
            at
        });
        at.get(&(kind, slug)).copied()
    }
}

impl std::ops::Deref for Index<'_> {
    type Target = IndexData;
    fn deref(&self) -> &IndexData {
        self.data
    }
}

impl IndexData {
    /// Everything, rendering each body unless `cache` has it.
    pub fn new(site: &Site, cache: &BodyCache) -> Self {
        let mut data = IndexData::default();
        data.fill(site, cache, |_, _| true);
        // Keep only this site's bodies, so edits do not grow the cache forever.
        let used = site
            .articles
            .iter()
            .map(|a| &a.body)
            .chain(site.policies.iter().map(|p| &p.body))
            .map(|b| blake3::hash(b.as_bytes()))
            .collect();
        cache.retain(&used);
        data.relink(site);
        data
    }

    /// After the items `changed` of `site` were edited, added or removed: renders their bodies
    /// and cards again (or drops them) and recomputes what spans items. Returns whether the
    /// URL key of a tag, region, issuer or section that existed before changed (a collision
    /// with a new name): item pages' links then change beyond the changed items.
    pub fn update(&mut self, site: &Site, changed: &HashSet<ItemKey>, cache: &BodyCache) -> bool {
        for (kind, slug) in changed {
            self.bodies.remove(&(*kind, slug.clone()));
            self.cards.remove(*kind, slug);
        }
        // A save changes a few items: a scan is cheaper than building a key to look one up.
        self.fill(site, cache, |k, s| {
            changed.iter().any(|(ck, cs)| *ck == k && cs == s)
        });
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

    /// Renders the bodies and makes the cards of the items `want` picks (an article's card
    /// shows an excerpt of its body), in parallel.
    fn fill(&mut self, site: &Site, cache: &BodyCache, want: impl Fn(Kind, &Slug) -> bool + Sync) {
        use rayon::prelude::*;
        let jobs: Vec<(Kind, &Slug, &str)> = site
            .articles
            .iter()
            .map(|a| (Kind::Article, &a.slug, a.body.as_str()))
            .chain(
                site.policies
                    .iter()
                    .map(|p| (Kind::Policy, &p.slug, p.body.as_str())),
            )
            .filter(|(k, s, _)| want(*k, s))
            .collect();
        // Renderer holds ammonia's builder, which is not Sync; give each worker its own.
        let bodies: Vec<(ItemKey, Arc<str>)> = jobs
            .par_iter()
            .map_init(
                || Renderer::new(LinkBase::Relative("../../".into())),
                |r, (k, s, body)| ((*k, (*s).clone()), cache.html(r, body)),
            )
            .collect();
        self.bodies.extend(bodies);
        let bodies = &self.bodies;
        let body = |s: &Slug| bodies.get(&(Kind::Article, s.clone())).map_or("", |b| b);
        let mut cards: Vec<(ItemKey, Arc<Card>)> = site
            .articles
            .par_iter()
            .filter(|a| want(Kind::Article, &a.slug))
            .map(|a| {
                (
                    (Kind::Article, a.slug.clone()),
                    article_card(a, body(&a.slug)),
                )
            })
            .collect();
        cards.extend(
            site.policies
                .par_iter()
                .filter(|p| want(Kind::Policy, &p.slug))
                .map(|p| ((Kind::Policy, p.slug.clone()), policy_card(p)))
                .collect::<Vec<_>>(),
        );
        cards.extend(
            site.rankings
                .iter()
                .filter(|x| want(Kind::Ranking, &x.slug))
                .map(|x| ((Kind::Ranking, x.slug.clone()), ranking_card(x))),
        );
        cards.extend(
            site.books
                .iter()
                .filter(|x| want(Kind::Book, &x.slug))
                .map(|x| ((Kind::Book, x.slug.clone()), book_card(x))),
        );
        cards.extend(
            site.products
                .iter()
                .filter(|x| want(Kind::Product, &x.slug))
                .map(|x| ((Kind::Product, x.slug.clone()), product_card(x))),
        );
        for ((kind, slug), card) in cards {
            self.cards.insert(kind, slug, card);
        }
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
        term_link("tags/", &self.tags, name)
    }

    pub fn region_link(&self, name: &str) -> Link {
        term_link("regions/", &self.regions, name)
    }

    pub fn issuer_link(&self, name: &str) -> Link {
        term_link("policies/issuer/", &self.issuers, name)
    }

    pub fn section_link(&self, name: &str) -> Link {
        term_link("articles/sections/", &self.sections, name)
    }

    pub fn issue_link(&self, r: &IssueRef) -> Option<Link> {
        self.site.issues.get(r).map(|i| Link {
            name: super::issue_name(&i.meta.series, &i.meta.title),
            url: crate::urls::href(&issue_dir(r)),
        })
    }
}

/// The link to the page of term `name` under `dir`, at the URL segment `keys` gives it.
fn term_link(dir: &str, keys: &crate::urls::Keys, name: &str) -> Link {
    Link {
        name: name.to_string(),
        url: crate::urls::href(&format!("{dir}{}/", keys.get(name))),
    }
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
