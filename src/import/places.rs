//! Where a policy applies and at which level, as far as its names say: a region of the site's
//! vocabulary (`content/vocab/regions.yaml`, by name or alias) a name begins with, a city a name
//! begins with, and whether a body is national (by `content/vocab/issuers.yaml` when it lists
//! the body, else by its name). Used by [`super::propose`].
//!
//! A site without a regions vocabulary is read with the shipped one (the provinces of GB/T
//! 2260): the same file, not a second list, so import knows the provinces in a bare folder too.

use regex::Regex;
use std::path::Path;
use std::sync::LazyLock;

use crate::model::{RegionEntry, RegionLevel, RegionsFile, Vocab};

/// The shipped regions vocabulary, for a site that has none.
const SHIPPED_REGIONS: &str = include_str!("../../content/vocab/regions.yaml");

/// The places import recognises: the site's vocabulary.
pub struct Places {
    vocab: Vocab,
}

impl Places {
    /// The vocabulary under `root`, as `check` reads it. Its errors are `check`'s to report:
    /// import proposes drafts with what could be read.
    pub fn read(root: &Path) -> Places {
        let mut diags = crate::diag::Diagnostics::default();
        let vocab = crate::load::vocab::read(root, &mut diags).vocab;
        Places::new(vocab)
    }

    pub fn new(vocab: Vocab) -> Places {
        if vocab.regions.is_some() {
            return Places { vocab };
        }
        let shipped = serde_yaml::from_str::<RegionsFile>(SHIPPED_REGIONS)
            .map(|f| f.regions)
            .ok();
        Places {
            vocab: Vocab::new(shipped, vocab.issuers),
        }
    }

    /// Every region but the nation, in the file's order.
    fn regions(&self) -> impl Iterator<Item = &RegionEntry> {
        self.vocab
            .regions
            .iter()
            .flatten()
            .filter(|r| r.level != RegionLevel::Nation)
    }

    /// The region `s` begins with, as `s` writes it (name or alias), and its entry: the
    /// longest such name, so `广州市` wins over a region called `广州`.
    fn region_prefix<'a>(&'a self, s: &'a str) -> Option<(&'a str, &'a RegionEntry)> {
        self.regions()
            .flat_map(|r| {
                std::iter::once(&r.name)
                    .chain(&r.aliases)
                    .map(move |n| (n, r))
            })
            .filter(|(n, _)| s.starts_with(n.as_str()))
            .max_by_key(|(n, _)| n.len())
            .map(|(n, r)| (&s[..n.len()], r))
    }

    /// A city the name begins with (`广州市人民政府办公厅`), not a vocabulary region and not
    /// `市场…`: a city the vocabulary does not list yet.
    fn city_prefix(&self, s: &str) -> Option<String> {
        let c = CITY.captures(s)?[1].to_string();
        (self.region_prefix(&c).is_none() && !s.starts_with("市场")).then_some(c)
    }

    /// The region the text states: the article title's place (`福建：…`), else the place the
    /// issuers' or the document's name begins with.
    pub fn region(&self, title: &str, issuers: &[String], name: &str) -> Option<String> {
        let head = title
            .split(['：', ':'])
            .next()
            .filter(|h| h.len() < title.len());
        let whole = |h: &&str| self.region_prefix(h).is_some_and(|(p, _)| p == *h);
        if let Some(p) = head.filter(whole) {
            return Some(p.to_string());
        }
        let names = issuers.iter().map(String::as_str).chain([name]);
        for n in names {
            if let Some((p, _)) = self.region_prefix(n) {
                return Some(p.to_string());
            }
            if let Some(c) = self.city_prefix(n) {
                return Some(c);
            }
        }
        None
    }

    /// Whether the issuers vocabulary lists the body, and as a local one (it has a region).
    fn listed_local(&self, issuer: &str) -> Option<bool> {
        let e = self.vocab.issuer_entry(issuer)?;
        Some(e.region.as_deref().is_some_and(|r| {
            self.vocab
                .region_entry(r)
                .is_none_or(|r| r.level != RegionLevel::Nation)
        }))
    }

    fn is_local(&self, issuer: &str) -> bool {
        if let Some(local) = self.listed_local(issuer) {
            return local;
        }
        self.regions()
            .flat_map(|r| std::iter::once(&r.name).chain(&r.aliases))
            .any(|n| issuer.contains(n.as_str()))
            || self.city_prefix(issuer).is_some()
            || issuer.starts_with(['省', '区', '县'])
            || (issuer.starts_with('市') && !issuer.starts_with("市场"))
    }

    fn is_national(&self, issuer: &str) -> bool {
        if let Some(local) = self.listed_local(issuer) {
            return !local;
        }
        !self.is_local(issuer)
            && (NATIONAL_STARTS.iter().any(|s| issuer.starts_with(s))
                || NATIONAL_PARTS.iter().any(|p| issuer.contains(p)))
    }

    /// The level of a local issuer as its name says: that of the region it begins with (or the
    /// issuers vocabulary gives it), a city's, or `省`/`市` standing for the region the article
    /// is about.
    fn local_level(&self, issuer: &str, region: Option<&str>) -> Option<&'static str> {
        let listed = self
            .vocab
            .issuer_entry(issuer)
            .and_then(|e| self.vocab.region_entry(e.region.as_deref()?));
        if let Some(r) = self.region_prefix(issuer).map(|(_, r)| r).or(listed) {
            return level_of(r.level);
        }
        if self.city_prefix(issuer).is_some()
            || (issuer.starts_with('市') && !issuer.starts_with("市场") && region.is_some())
        {
            return Some("市级");
        }
        (issuer.starts_with('省') && region.is_some()).then_some("省级")
    }

    /// 国家 when every issuer is a national body; else the most local level an issuer's name
    /// states (区县, then 市级, then 省级).
    pub fn level(&self, issuers: &[String], region: Option<&str>) -> Option<&'static str> {
        if issuers.is_empty() {
            return None;
        }
        if issuers.iter().all(|i| self.is_national(i)) {
            return Some("国家");
        }
        let levels: Vec<&str> = issuers
            .iter()
            .filter_map(|i| self.local_level(i, region))
            .collect();
        ["区县", "市级", "省级"]
            .into_iter()
            .find(|l| levels.contains(l))
    }
}

/// A policy's level for a region's.
fn level_of(level: RegionLevel) -> Option<&'static str> {
    match level {
        RegionLevel::Nation => None,
        RegionLevel::Province => Some("省级"),
        RegionLevel::Prefecture => Some("市级"),
        RegionLevel::County => Some("区县"),
    }
}

static CITY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\p{Han}{2,3}市)").expect("regex"));

const NATIONAL_STARTS: &[&str] = &["国务院", "国家", "中国", "中央", "全国"];
const NATIONAL_PARTS: &[&str] = &[
    "部",
    "总局",
    "总署",
    "证监会",
    "国资委",
    "人民银行",
    "发展改革委",
    "卫生健康委",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_and_region_as_stated() {
        let p = Places::new(Vocab::default());
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(p.level(&v(&["财政部", "中国人民银行"]), None), Some("国家"));
        assert_eq!(
            p.level(&v(&["上海市文化和旅游局"]), Some("上海")),
            Some("省级")
        );
        assert_eq!(
            p.level(&v(&["广州市人民政府办公厅"]), Some("广州市")),
            Some("市级")
        );
        assert_eq!(p.level(&v(&["省工信厅"]), Some("福建")), Some("省级"));
        assert_eq!(p.level(&v(&["省工信厅"]), None), None);
        assert_eq!(p.level(&[], Some("福建")), None);
        assert_eq!(
            p.region(
                "福建：实施五项工程",
                &[],
                "推动工业领域设备更新工作实施方案"
            ),
            Some("福建".into())
        );
        assert_eq!(
            p.region("两部门：支持", &v(&["财政部"]), "关于…的通知"),
            None
        );
        assert_eq!(
            p.region("x", &v(&["广州市人民政府办公厅"]), "…"),
            Some("广州市".into())
        );
    }
}
