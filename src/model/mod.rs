//! The content model: every file under `content/`, parsed, checked and cross-linked.
//!
//! A [`Site`] is only built from content that passed validation, so later stages (views,
//! rendering, the digest) can rely on every reference resolving.

mod digest;
mod items;
mod values;
mod vocab;

use std::collections::BTreeMap;
use std::path::PathBuf;

pub use digest::*;
pub use items::*;
pub use values::*;
pub use vocab::*;

/// The kinds of item, each with its folder under `content/` and its pages under `/<kind>/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Article,
    Policy,
    Ranking,
    Book,
    Product,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Article,
        Kind::Policy,
        Kind::Ranking,
        Kind::Book,
        Kind::Product,
    ];

    /// Folder name under `content/` and `site/`.
    pub fn dir(self) -> &'static str {
        match self {
            Kind::Article => "articles",
            Kind::Policy => "policies",
            Kind::Ranking => "rankings",
            Kind::Book => "books",
            Kind::Product => "products",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Kind::Article => "文章",
            Kind::Policy => "政策",
            Kind::Ranking => "排行榜",
            Kind::Book => "图书推荐",
            Kind::Product => "金融产品",
        }
    }

    /// The measure word that counts items of this kind: 文章 12 篇, 政策 30 项, 排行榜 6 个,
    /// 图书 4 本, 金融产品 63 项.
    pub fn measure(self) -> &'static str {
        match self {
            Kind::Article => "篇",
            Kind::Policy | Kind::Product => "项",
            Kind::Ranking => "个",
            Kind::Book => "本",
        }
    }

    /// Markdown files carry front matter and a body; the others are plain YAML.
    pub fn extension(self) -> &'static str {
        match self {
            Kind::Article | Kind::Policy => "md",
            _ => "yaml",
        }
    }

    pub fn from_dir(dir: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.dir() == dir)
    }

    /// Names under `/<kind>/` taken by listing pages, so no item may use them as a slug.
    pub fn reserved_slugs(self) -> &'static [&'static str] {
        match self {
            Kind::Article => &["page", "sections"],
            Kind::Policy => &["page", "level", "region", "issuer", "year"],
            Kind::Product => &["page", "category"],
            _ => &["page"],
        }
    }
}

/// One content item: where it came from, its slug, its fields and its Markdown body.
#[derive(Debug, Clone)]
pub struct Item<M> {
    pub slug: Slug,
    /// Path relative to the site root, e.g. `content/articles/x/y.md`; used in messages.
    pub path: PathBuf,
    pub meta: M,
    /// Markdown (empty for YAML kinds).
    pub body: String,
    /// The month this item belongs to for the digest: its issue's month, else its date's.
    pub month: Month,
}

pub type Article = Item<ArticleMeta>;
pub type Policy = Item<PolicyMeta>;
pub type Ranking = Item<RankingMeta>;
pub type Book = Item<BookMeta>;
pub type Product = Item<ProductMeta>;

/// An issue file, with the reference other files use for it.
#[derive(Debug, Clone)]
pub struct Issue {
    pub key: IssueRef,
    pub path: PathBuf,
    pub meta: IssueMeta,
}

/// Everything under `content/`, validated.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: SiteConfig,
    pub issues: BTreeMap<IssueRef, Issue>,
    /// Each kind sorted newest first, then by slug, so every listing is deterministic.
    pub articles: Vec<Article>,
    pub policies: Vec<Policy>,
    pub rankings: Vec<Ranking>,
    pub books: Vec<Book>,
    pub products: Vec<Product>,
    /// Editors' notes for the monthly digest, by month.
    pub notes: BTreeMap<Month, DigestNote>,
    /// The regions and issuers of `content/vocab/`; items hold their canonical names.
    pub vocab: std::sync::Arc<Vocab>,
}

impl Site {
    pub fn policy(&self, slug: &Slug) -> Option<&Policy> {
        self.policies.iter().find(|p| &p.slug == slug)
    }

    /// The file of every item, of every kind (relative to the site root).
    pub fn item_paths(&self) -> impl Iterator<Item = &std::path::Path> {
        self.articles
            .iter()
            .map(|x| x.path.as_path())
            .chain(self.policies.iter().map(|x| x.path.as_path()))
            .chain(self.rankings.iter().map(|x| x.path.as_path()))
            .chain(self.books.iter().map(|x| x.path.as_path()))
            .chain(self.products.iter().map(|x| x.path.as_path()))
    }
}

/// Fields every kind shares, so listings, feeds and the digest treat items alike.
pub trait Entry {
    const KIND: Kind;
    fn title(&self) -> &str;
    fn date(&self) -> Date;
    fn issue(&self) -> Option<&IssueRef>;
    fn section(&self) -> Option<&str> {
        None
    }
    fn summary(&self) -> &str;
}

macro_rules! entry {
    ($meta:ty, $kind:expr, title: $t:ident, summary: $s:expr, section: $sec:expr) => {
        impl Entry for Item<$meta> {
            const KIND: Kind = $kind;
            fn title(&self) -> &str {
                &self.meta.$t
            }
            fn date(&self) -> Date {
                self.meta.date
            }
            fn issue(&self) -> Option<&IssueRef> {
                self.meta.issue.as_ref()
            }
            fn section(&self) -> Option<&str> {
                let f: fn(&$meta) -> Option<&str> = $sec;
                f(&self.meta)
            }
            fn summary(&self) -> &str {
                let f: fn(&Item<$meta>) -> &str = $s;
                f(self)
            }
        }
    };
}

entry!(ArticleMeta, Kind::Article, title: title, summary: |a| &a.body, section: |m| m.section.as_deref());
entry!(PolicyMeta, Kind::Policy, title: title, summary: |p| &p.meta.summary, section: |m| m.section.as_deref());
entry!(RankingMeta, Kind::Ranking, title: title, summary: |r| &r.meta.summary, section: |m| m.section.as_deref());
entry!(BookMeta, Kind::Book, title: title, summary: |b| &b.meta.summary, section: |_| Some("图书推荐"));
entry!(ProductMeta, Kind::Product, title: name, summary: |p| &p.meta.summary, section: |_| None);
