//! The controlled vocabularies editors keep in `content/vocab/`: regions (`regions.yaml`) and
//! issuing bodies (`issuers.yaml`), each entry with its canonical name and aliases.
//!
//! Owns how a name written in an item resolves: an alias to its entry's canonical name, and a
//! local department's short name (`省财政厅`) to the entry the item's region qualifies it as
//! (`福建省财政厅`). Items keep only canonical names once validated, so every page, facet, the
//! digest and the search index show and link one name per place or body. Also owns the order
//! facets list them in: regions in the file's order, grouped under their province; issuers by
//! the rank of their kind.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::values::{IssuerKind, RegionLevel};

/// `content/vocab/regions.yaml`
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RegionsFile {
    pub regions: Vec<RegionEntry>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RegionEntry {
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    pub level: RegionLevel,
    /// The region this one lies in (a province for a city, a city or province for a county).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// `content/vocab/issuers.yaml`
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IssuersFile {
    pub issuers: Vec<IssuerEntry>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IssuerEntry {
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    pub kind: IssuerKind,
    /// The region a local body belongs to; none for a national one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// What texts of its own region call it (`省财政厅`): accepted in an item whose region is
    /// this body's region, or lies in it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub short: Vec<String>,
}

/// How a name written in an item resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved<'a> {
    /// The canonical name (the name itself, or the entry an alias or short name stands for).
    Found(&'a str),
    /// No vocabulary file of this sort: names are taken as written.
    Free,
    /// A short name (`省财政厅`) that the item's region does not qualify; `examples` are the
    /// canonical names it stands for elsewhere.
    Unqualified { examples: Vec<&'a str> },
    /// Not in the vocabulary; `suggestion` is a close name when there is one.
    Unknown { suggestion: Option<&'a str> },
}

/// Both vocabularies, indexed. Empty (every name free) when `content/vocab/` has no file.
#[derive(Debug, Clone, Default)]
pub struct Vocab {
    pub regions: Option<Vec<RegionEntry>>,
    pub issuers: Option<Vec<IssuerEntry>>,
    region_names: HashMap<String, usize>,
    issuer_names: HashMap<String, usize>,
    /// (region index, short name) -> issuer index.
    short: HashMap<(usize, String), usize>,
    /// short name -> issuer indexes, for hints.
    short_any: HashMap<String, Vec<usize>>,
    /// Sort key of each region: its province's position, its depth, its own position.
    region_order: Vec<(usize, usize, usize)>,
}

impl Vocab {
    /// Indexes the entries; assumes [`crate::load`] checked them (unique names, parents and
    /// regions that exist). Later duplicates never replace earlier entries.
    pub fn new(regions: Option<Vec<RegionEntry>>, issuers: Option<Vec<IssuerEntry>>) -> Vocab {
        let mut v = Vocab::default();
        for (i, r) in regions.iter().flatten().enumerate() {
            for n in std::iter::once(&r.name).chain(&r.aliases) {
                v.region_names.entry(n.clone()).or_insert(i);
            }
        }
        v.regions = regions;
        let rs = v.regions.as_deref().unwrap_or_default();
        v.region_order = (0..rs.len())
            .map(|i| {
                let chain = v.chain(i);
                (*chain.last().unwrap_or(&i), chain.len(), i)
            })
            .collect();
        for (i, e) in issuers.iter().flatten().enumerate() {
            for n in std::iter::once(&e.name).chain(&e.aliases) {
                v.issuer_names.entry(n.clone()).or_insert(i);
            }
            let region = e.region.as_deref().and_then(|r| v.region_names.get(r));
            for s in &e.short {
                v.short_any.entry(s.clone()).or_default().push(i);
                if let Some(&r) = region {
                    v.short.entry((r, s.clone())).or_insert(i);
                }
            }
        }
        v.issuers = issuers;
        v
    }

    /// A region and the regions it lies in, nearest first (a loop in parents stops).
    fn chain(&self, i: usize) -> Vec<usize> {
        let rs = self.regions.as_deref().unwrap_or_default();
        let mut out = vec![i];
        let mut at = i;
        while let Some(p) = rs[at]
            .parent
            .as_deref()
            .and_then(|p| self.region_names.get(p))
        {
            if out.contains(p) {
                break;
            }
            out.push(*p);
            at = *p;
        }
        out
    }

    pub fn region(&self, name: &str) -> Resolved<'_> {
        let Some(rs) = &self.regions else {
            return Resolved::Free;
        };
        match self.region_names.get(name) {
            Some(&i) => Resolved::Found(&rs[i].name),
            None => Resolved::Unknown {
                suggestion: suggest(name, rs.iter().flat_map(|r| names(&r.name, &r.aliases))),
            },
        }
    }

    /// `name` as written in an item whose (canonical) region is `region`.
    pub fn issuer(&self, name: &str, region: Option<&str>) -> Resolved<'_> {
        let Some(es) = &self.issuers else {
            return Resolved::Free;
        };
        if let Some(&i) = self.issuer_names.get(name) {
            return Resolved::Found(&es[i].name);
        }
        if let Some(any) = self.short_any.get(name) {
            let here = region.and_then(|r| self.region_names.get(r));
            let found = here
                .map(|&r| self.chain(r))
                .unwrap_or_default()
                .into_iter()
                .find_map(|r| self.short.get(&(r, name.to_string())));
            return match found {
                Some(&i) => Resolved::Found(&es[i].name),
                None => Resolved::Unqualified {
                    examples: any.iter().take(3).map(|&i| es[i].name.as_str()).collect(),
                },
            };
        }
        Resolved::Unknown {
            suggestion: suggest(name, es.iter().flat_map(|e| names(&e.name, &e.aliases))),
        }
    }

    /// The entry a region's name or alias names.
    pub fn region_entry(&self, name: &str) -> Option<&RegionEntry> {
        let i = *self.region_names.get(name)?;
        self.regions.as_deref()?.get(i)
    }

    /// The entry an issuer's name or alias names (not a short name: that needs a region).
    pub fn issuer_entry(&self, name: &str) -> Option<&IssuerEntry> {
        let i = *self.issuer_names.get(name)?;
        self.issuers.as_deref()?.get(i)
    }

    /// Sort key of a canonical region name: provinces in the file's order, each followed by
    /// the regions in it. `None` for a name the vocabulary does not hold.
    pub fn region_rank(&self, name: &str) -> Option<(usize, usize, usize)> {
        self.region_names
            .get(name)
            .and_then(|&i| self.region_order.get(i).copied())
    }

    /// Sort key of a canonical issuer name: its kind's rank, then its place in the file.
    pub fn issuer_rank(&self, name: &str) -> Option<(u8, usize)> {
        let es = self.issuers.as_deref()?;
        self.issuer_names.get(name).map(|&i| (es[i].kind.rank(), i))
    }
}

fn names<'a>(name: &'a str, aliases: &'a [String]) -> impl Iterator<Item = &'a str> {
    std::iter::once(name).chain(aliases.iter().map(String::as_str))
}

fn suggest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    crate::diag::did_you_mean(name, candidates)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(name: &str, aliases: &[&str], level: &str, parent: Option<&str>) -> RegionEntry {
        RegionEntry {
            name: name.into(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            level: level.parse().unwrap(),
            parent: parent.map(Into::into),
        }
    }

    fn vocab() -> Vocab {
        let regions = vec![
            region("福建省", &["福建"], "省级", None),
            region("上海市", &["上海"], "省级", None),
            region("福州市", &[], "地级", Some("福建省")),
        ];
        let issuers = vec![IssuerEntry {
            name: "福建省财政厅".into(),
            aliases: vec![],
            kind: "地方部门".parse().unwrap(),
            region: Some("福建省".into()),
            short: vec!["省财政厅".into()],
        }];
        Vocab::new(Some(regions), Some(issuers))
    }

    #[test]
    fn aliases_and_short_names_resolve() {
        let v = vocab();
        assert_eq!(v.region("上海"), Resolved::Found("上海市"));
        assert_eq!(
            v.region("上海巿"),
            Resolved::Unknown {
                suggestion: Some("上海市")
            }
        );
        assert_eq!(
            v.issuer("省财政厅", Some("福州市")),
            Resolved::Found("福建省财政厅")
        );
        assert!(matches!(
            v.issuer("省财政厅", Some("上海市")),
            Resolved::Unqualified { .. }
        ));
        assert!(matches!(
            v.issuer("省财政厅", None),
            Resolved::Unqualified { .. }
        ));
    }

    #[test]
    fn regions_sort_under_their_province() {
        let v = vocab();
        let mut names = ["上海市", "福州市", "福建省"];
        names.sort_by_key(|n| v.region_rank(n));
        assert_eq!(names, ["福建省", "福州市", "上海市"]);
    }
}
