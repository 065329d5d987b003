//! What editors write, field for field: one struct per kind of content file.
//!
//! Every struct denies unknown fields, so a typo is an error with a hint rather than a value
//! silently ignored. Field order follows the content contract (docs/content-guide.md).

use serde::{Deserialize, Serialize};

use super::values::{
    Date, DateKind, DocType, IssueRef, Level, Month, PolicyStatus, ProductCategory, Scalar, Slug,
    WebUrl,
};

/// `content/site.yaml`
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    pub base_url: BaseUrl,
    pub language: String,
    pub description: String,
    /// Sending the monthly digest; only `bulletin digest` needs it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<super::digest::DigestConfig>,
}

/// The site's public address; always ends with `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(String);

impl BaseUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The path part, e.g. `/bulletin/` for `https://intranet.example/bulletin/`.
    pub fn path(&self) -> &str {
        let after_scheme = self.0.split_once("://").map_or("", |(_, r)| r);
        after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
    }

    /// An absolute URL for a site-relative path such as `policies/x/`.
    pub fn join(&self, rel: &str) -> String {
        format!("{}{}", self.0, rel)
    }
}

impl std::str::FromStr for BaseUrl {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let hint =
            "write the address the site is served from, e.g. https://intranet.example/bulletin/";
        let rest = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"))
            .ok_or_else(|| {
                format!(
                    "invalid base_url `{s}`: must start with http:// or https:// | hint: {hint}"
                )
            })?;
        let host = rest.split('/').next().unwrap_or("");
        if host.is_empty() || s.contains(['?', '#', ' ', '"', '<', '>']) {
            return Err(format!("invalid base_url `{s}` | hint: {hint}"));
        }
        let mut url = s.to_string();
        if !url.ends_with('/') {
            url.push('/');
        }
        Ok(BaseUrl(url))
    }
}

impl std::fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for BaseUrl {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

impl Serialize for BaseUrl {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// `content/issues/<series>/<id>.yaml`: one bulletin edition.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IssueMeta {
    pub series: String,
    pub title: String,
    pub month: Month,
    pub number: Scalar,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_number: Option<Scalar>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub editors: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<String>,
    /// The printed table of contents, in printed order: which item, on which page.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contents: Vec<ContentsEntry>,
}

/// One line of an issue's printed table of contents.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields)]
pub struct ContentsEntry {
    /// The item: `<kind folder>/<slug>`, e.g. `articles/2024-06-19-liang-bu-men`.
    pub item: ItemRef,
    /// The page the bulletin prints for it; absent when the bulletin prints none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<PageNumber>,
    /// The section it is printed under, for an item whose file has no `section` (a product
    /// row of a chapter's table); an item with a `section` is listed under that one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
}

/// An item named from another file: `<kind folder>/<slug>` (`policies/2024-06-19-x`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ItemRef {
    pub kind: super::Kind,
    pub slug: super::Slug,
}

impl std::str::FromStr for ItemRef {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let dirs = super::Kind::ALL.map(super::Kind::dir);
        let hint = format!(
            "write `<folder>/<slug>`: the item's folder ({}) and its file name without the extension, e.g. articles/2024-06-19-liang-bu-men",
            dirs.join(", ")
        );
        let (dir, slug) = s
            .split_once('/')
            .ok_or_else(|| format!("invalid item `{s}` | hint: {hint}"))?;
        let Some(kind) = super::Kind::from_dir(dir) else {
            let hint = match crate::diag::did_you_mean(dir, dirs) {
                Some(d) => format!("did you mean `{d}/{slug}`?"),
                None => hint,
            };
            return Err(format!(
                "invalid item `{s}`: no kind `{dir}` | hint: {hint}"
            ));
        };
        let slug = slug
            .parse()
            .map_err(|_| format!("invalid item `{s}`: `{slug}` is not a slug | hint: {hint}"))?;
        Ok(ItemRef { kind, slug })
    }
}

impl std::fmt::Display for ItemRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.kind.dir(), self.slug)
    }
}

impl<'de> Deserialize<'de> for ItemRef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

impl Serialize for ItemRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A printed page number: 1 or more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct PageNumber(pub u32);

impl<'de> Deserialize<'de> for PageNumber {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Scalar::deserialize(d)?.0;
        match s.parse::<u32>() {
            Ok(n) if n >= 1 => Ok(PageNumber(n)),
            _ => Err(serde::de::Error::custom(format!(
                "invalid page `{s}`, expected a page number of 1 or more | hint: write the number the table of contents prints, e.g. 12; leave `page` out when it prints none"
            ))),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub from: Date,
    pub to: Date,
}

/// Front matter of `content/articles/**/<slug>.md`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleMeta {
    pub title: String,
    pub date: Date,
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<WebUrl>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<IssueRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<Slug>,
}

/// Front matter of `content/policies/**/<slug>.md`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyMeta {
    pub title: String,
    pub date: Date,
    /// What `date` is: the day (or month) the document was issued, or, when the source does
    /// not say, the day it was first reported.
    #[serde(default, skip_serializing_if = "DateKind::is_issued")]
    pub date_kind: DateKind,
    pub issuers: Vec<String>,
    pub level: Level,
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_number: Option<String>,
    /// 通知, 意见… or 会议, 讲话, 表态 for what is not a document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_type: Option<DocType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<PolicyStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<WebUrl>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<IssueRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// `content/rankings/**/<slug>.yaml`
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RankingMeta {
    pub title: String,
    pub date: Date,
    pub publisher: String,
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<WebUrl>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<IssueRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_label: Option<String>,
    #[serde(default)]
    pub complete: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entries: Vec<RankingEntry>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RankingEntry {
    pub rank: u32,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Scalar>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `content/books/**/<slug>.yaml`
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BookMeta {
    pub title: String,
    pub authors: Vec<String>,
    pub publisher: String,
    pub published: Month,
    pub summary: String,
    pub reason: String,
    pub date: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isbn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<IssueRef>,
}

/// `content/products/**/<slug>.yaml`: a bank's new SME finance product.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProductMeta {
    pub bank: String,
    pub name: String,
    pub date: Date,
    pub category: ProductCategory,
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<IssueRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<WebUrl>,
}

/// The fields a struct of the model requires, by the struct's name, so a file that lacks
/// several is told of each at once (serde itself stops at the first). Kept beside the structs:
/// a field without `default` or `Option` belongs here (a unit test checks each list).
pub fn required_fields(name: &str) -> &'static [&'static str] {
    match name {
        "SiteConfig" => &["title", "base_url", "language", "description"],
        "IssueMeta" => &["series", "title", "month", "number"],
        "Period" => &["from", "to"],
        "ContentsEntry" => &["item"],
        "ArticleMeta" => &["title", "date", "source"],
        "PolicyMeta" => &["title", "date", "issuers", "level", "summary"],
        "RankingMeta" => &["title", "date", "publisher", "summary"],
        "RankingEntry" => &["rank", "name"],
        "BookMeta" => &[
            "title",
            "authors",
            "publisher",
            "published",
            "summary",
            "reason",
            "date",
        ],
        "ProductMeta" => &["bank", "name", "date", "category", "summary"],
        "DigestConfig" => &["from", "recipients", "smtp"],
        "RegionsFile" => &["regions"],
        "RegionEntry" => &["name", "level"],
        "IssuersFile" => &["issuers"],
        "IssuerEntry" => &["name", "kind"],
        "SmtpConfig" => &["host", "security"],
        _ => &[],
    }
}
