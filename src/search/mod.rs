//! The search index under `site/search/`, read by `templates/static/search.js` (the format is in
//! docs/search.md):
//!
//! - `index.json`: the manifest: item and shard counts, the names of every facet value;
//! - `cols.bin`: per item, its facets and lengths (what filters, counts and ranking need);
//! - `s/<n>.bin`: the postings shards (see [`postings`]);
//! - `d/<n>.bin`: per item, what a hit shows: kind, link, date, byline, title, 文号, and its
//!   text in chunks (see [`chunks`], [`pack`]).
//!
//! Every file but the manifest is zlib-compressed. A query fetches the manifest, the columns,
//! the shards of its keys and the files of the hits it shows. Made from the whole site, like
//! the feed; deterministic, so an incremental build writes only the files whose bytes changed.

mod chunks;
mod docs;
mod pack;
mod persist;
mod postings;
pub mod text;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use rayon::prelude::*;

use serde::Serialize;

use crate::model::{DocType, Kind, Level, Site};
use crate::render::OutFile;
use crate::view::{IndexData, ItemKey};

pub use docs::{docs, Doc};

/// About how many bytes one postings shard holds: small enough that a query's few shards are
/// a small download, large enough that a site has few files.
const SHARD_BYTES: usize = 8 * 1024;

/// Appends `v` as a LEB128 varint.
pub(crate) fn varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads a varint [`varint`] wrote at `*at`, moving past it; `None` if the bytes end first or
/// it does not fit in 32 bits.
pub(crate) fn read_varint(bytes: &[u8], at: &mut usize) -> Option<u32> {
    let mut v = 0u32;
    for shift in (0..35).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        v |= u32::from(b & 0x7f).checked_shl(shift)?;
        if b & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

#[derive(Serialize)]
struct Manifest<'a> {
    version: u32,
    docs: usize,
    shards: usize,
    kinds: Vec<[&'static str; 2]>,
    levels: Vec<[&'static str; 2]>,
    years: Vec<i32>,
    series: Vec<[&'a str; 2]>,
    regions: Vec<&'a str>,
    issuers: Vec<&'a str>,
    types: Vec<[&'static str; 2]>,
}

/// Every file of `site/search/` but the page.
pub fn files(site: &Site, data: &IndexData) -> Vec<OutFile> {
    State::new(site, data).files()
}

/// The index of a site, kept by `serve` between saves so that a save re-encodes only the
/// postings of the items it changed.
pub struct State {
    /// In number order.
    docs: Vec<Doc>,
    postings: postings::Postings,
    lengths: Vec<postings::Lengths>,
    /// The order of the region and issuer filters (the vocabularies' order, never code points).
    vocab: std::sync::Arc<crate::model::Vocab>,
}

impl State {
    pub fn new(site: &Site, data: &IndexData) -> State {
        State::of(docs(site, data), site.vocab.clone())
    }

    /// The index of the items `docs` (as [`docs`] makes them).
    pub fn of(docs: Vec<Doc>, vocab: std::sync::Arc<crate::model::Vocab>) -> State {
        let fields: Vec<&[String]> = docs.iter().map(|d| d.fields.as_slice()).collect();
        let (postings, lengths) = postings::Postings::build(&fields, SHARD_BYTES);
        State {
            docs,
            postings,
            lengths,
            vocab,
        }
    }

    /// Every file.
    pub fn files(&self) -> Vec<OutFile> {
        let mut out = self.head();
        out.extend(
            (0..self.postings.count())
                .into_par_iter()
                .map(|n| self.shard(n))
                .collect::<Vec<_>>(),
        );
        out.extend(
            (0..self.docs.len())
                .into_par_iter()
                .map(|n| self.doc(n))
                .collect::<Vec<_>>(),
        );
        out
    }

    /// The path of every index file, as [`State::files`] makes them.
    pub fn paths(&self) -> Vec<String> {
        let mut out = vec![
            "search/index.json".to_string(),
            "search/cols.bin".to_string(),
        ];
        out.extend((0..self.postings.count()).map(|n| format!("search/s/{n}.bin")));
        out.extend((0..self.docs.len()).map(|n| format!("search/d/{n}.bin")));
        out
    }

    /// The index file at `path` (one of [`State::paths`]), made anew.
    pub fn file_at(&self, path: &str) -> Option<OutFile> {
        let number = |rest: &str| rest.split('.').next()?.parse::<usize>().ok();
        let files = if let Some(rest) = path.strip_prefix("search/s/") {
            vec![self.shard(number(rest).filter(|n| *n < self.postings.count())?)]
        } else if let Some(rest) = path.strip_prefix("search/d/") {
            vec![self.doc(number(rest).filter(|n| *n < self.docs.len())?)]
        } else {
            self.head()
        };
        files.into_iter().find(|f| f.path == path)
    }

    /// Whether `path` is one of the index's files now.
    pub fn has(&self, path: &str) -> bool {
        let number = |prefix: &str| {
            path.strip_prefix(prefix)
                .and_then(|r| r.strip_suffix(".bin"))
                .and_then(|n| n.parse::<usize>().ok().filter(|v| v.to_string() == n))
        };
        matches!(path, "search/index.json" | "search/cols.bin")
            || number("search/s/").is_some_and(|n| n < self.postings.count())
            || number("search/d/").is_some_and(|n| n < self.docs.len())
    }

    /// After the items `changed` were edited, added or removed in `site`: the files that may
    /// differ. When an item's number moves (a date edit, an older item added, one removed
    /// before the last), every item after it is renumbered: the postings are built anew.
    pub fn update(
        &mut self,
        site: &Site,
        data: &IndexData,
        changed: &HashSet<ItemKey>,
    ) -> Vec<OutFile> {
        self.vocab = site.vocab.clone();
        let fresh = docs::docs_where(site, data, |k, s| changed.contains(&(k, s.clone())));
        self.update_with(fresh, changed)
    }

    /// [`State::update`] given the changed items' new documents (`fresh`; a removed item has
    /// none).
    fn update_with(&mut self, fresh: Vec<Doc>, changed: &HashSet<ItemKey>) -> Vec<OutFile> {
        let is_changed = |d: &Doc| changed.contains(&(d.kind, d.slug.clone()));
        let old: Vec<ItemKey> = self.docs.iter().map(|d| (d.kind, d.slug.clone())).collect();
        let (gone, mut next): (Vec<Doc>, Vec<Doc>) = std::mem::take(&mut self.docs)
            .into_iter()
            .partition(is_changed);
        next.extend(fresh);
        next.sort_by(|a, b| a.order().cmp(&b.order()));
        // Items added after the last or removed from the end keep the others' numbers.
        let same_numbers = next
            .iter()
            .zip(&old)
            .all(|(d, (k, s))| d.kind == *k && d.slug == *s);
        if !same_numbers {
            *self = State::of(next, self.vocab.clone());
            return self.files();
        }
        let gone: HashMap<ItemKey, Doc> = gone
            .into_iter()
            .map(|d| ((d.kind, d.slug.clone()), d))
            .collect();
        let mut touched = BTreeSet::new();
        let mut docs_out = Vec::new();
        for i in 0..old.len().max(next.len()) {
            let before = old.get(i).and_then(|k| gone.get(k));
            let after = next.get(i).filter(|d| i >= old.len() || is_changed(d));
            if before.is_none() && after.is_none() {
                continue;
            }
            let len = self.postings.update(
                i as u32,
                before.map(|d| d.fields.as_slice()),
                after.map(|d| d.fields.as_slice()),
                &mut touched,
            );
            if let Some(l) = len {
                if i < self.lengths.len() {
                    self.lengths[i] = l;
                } else {
                    self.lengths.push(l);
                }
            }
            if after.is_some() {
                docs_out.push(i);
            }
        }
        self.lengths.truncate(next.len());
        self.docs = next;
        self.postings.settle(SHARD_BYTES, &mut touched);
        let mut out = self.head();
        out.extend(touched.into_iter().map(|n| self.shard(n)));
        out.extend(
            docs_out
                .into_par_iter()
                .map(|n| self.doc(n))
                .collect::<Vec<_>>(),
        );
        out
    }

    fn shard(&self, n: usize) -> OutFile {
        file(
            &format!("search/s/{n}.bin"),
            pack::zlib(&self.postings.shard(n)),
        )
    }

    /// Item `n`'s file: its head and its text's chunks.
    fn doc(&self, n: usize) -> OutFile {
        let d = &self.docs[n];
        let chunks = chunks::chunks(&d.fields, self.lengths[n].title);
        let head = pack::Head {
            k: d.kind.dir(),
            u: &d.url,
            d: d.date.to_string(),
            b: &d.byline,
            t: d.fields.first().map_or("", String::as_str),
            n: d.doc_number.as_deref(),
            c: chunks.iter().map(|c| c.start).collect(),
            x: chunks.first().map_or(&[], |c| c.parts.as_slice()),
        };
        file(&format!("search/d/{n}.bin"), pack::item(&head, &chunks))
    }

    /// The manifest and the columns.
    fn head(&self) -> Vec<OutFile> {
        let docs = &self.docs;
        let mut series: BTreeMap<&str, &str> = BTreeMap::new();
        for d in docs {
            if let (Some(key), Some(name)) = (&d.series, &d.series_name) {
                series.entry(key.as_str()).or_insert(name.as_str());
            }
        }
        let mut regions: Vec<&str> = docs
            .iter()
            .flat_map(|d| &d.regions)
            .map(|s| s.as_str())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        // As the facet pages order them: the vocabulary's order, names it lacks after (then by
        // name, so the order is total and stable).
        regions.sort_by_key(|r| {
            (
                self.vocab.region_rank(r).is_none(),
                self.vocab.region_rank(r),
            )
        });
        let mut issuers: Vec<&str> = docs
            .iter()
            .flat_map(|d| &d.issuers)
            .map(|s| s.as_str())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        issuers.sort_by_key(|i| {
            (
                self.vocab.issuer_rank(i).is_none(),
                self.vocab.issuer_rank(i),
            )
        });
        let region_ix: HashMap<&str, u32> = regions
            .iter()
            .enumerate()
            .map(|(i, r)| (*r, i as u32))
            .collect();
        let issuer_ix: HashMap<&str, u32> = issuers
            .iter()
            .enumerate()
            .map(|(i, r)| (*r, i as u32))
            .collect();
        let years: BTreeSet<i32> = docs.iter().map(|d| d.date.month().year).collect();
        let manifest = Manifest {
            version: 4,
            docs: docs.len(),
            shards: self.postings.count(),
            kinds: Kind::ALL.iter().map(|k| [k.dir(), k.zh()]).collect(),
            levels: Level::ALL.iter().map(|l| [l.slug(), l.zh()]).collect(),
            years: years.iter().rev().copied().collect(),
            series: series.iter().map(|(k, v)| [*k, *v]).collect(),
            regions: regions.clone(),
            issuers: issuers.clone(),
            types: DocType::ALL.iter().map(|t| [t.slug(), t.zh()]).collect(),
        };
        let mut cols = Vec::with_capacity(docs.len() * 8);
        let mut last_date = 0;
        for (d, len) in docs.iter().zip(&self.lengths) {
            let level = d.level.map_or(0, |l| {
                Level::ALL.iter().position(|x| *x == l).unwrap_or(0) as u32 + 1
            });
            // One byte for kind, level and whether regions and issuers follow: most items have
            // neither, and this file is part of every first query.
            let has = |v: &Vec<String>, bit: u32| u32::from(!v.is_empty()) << bit;
            let head = d.kind as u32 | level << 3 | has(&d.regions, 6) | has(&d.issuers, 7);
            cols.push(head as u8);
            // The date, as a change from the previous item's: items are in date order, so
            // this is mostly one byte, and it sorts the finder by day, not only by year.
            let code = date_code(d.date);
            varint(&mut cols, code - last_date);
            last_date = code;
            let s = d
                .series
                .as_deref()
                .and_then(|s| manifest.series.iter().position(|x| x[0] == s));
            varint(&mut cols, s.map_or(0, |i| i as u32 + 1));
            if d.kind == Kind::Policy {
                let t = d
                    .doc_type
                    .and_then(|t| DocType::ALL.iter().position(|x| *x == t));
                varint(&mut cols, t.map_or(0, |i| i as u32 + 1));
            }
            for (list, names) in [(&d.regions, &region_ix), (&d.issuers, &issuer_ix)] {
                if !list.is_empty() {
                    varint(&mut cols, list.len() as u32);
                    for v in list {
                        varint(&mut cols, names.get(v.as_str()).copied().unwrap_or(0));
                    }
                }
            }
            varint(&mut cols, len.title);
            // Ranking needs only how long items are relative to each other: one byte.
            cols.push(length_byte(len.text));
        }

        let json = serde_json::to_vec(&manifest).unwrap_or_default();
        vec![
            file("search/index.json", json),
            // Part of every first query, and one file: worth the best compression.
            file("search/cols.bin", pack::zlib_best(&cols)),
        ]
    }
}

/// A length in one byte, on a log scale: below 16 exact, else 4 bits of mantissa (rounded
/// down) and the exponent, so about 1/16 relative accuracy; lengths past the largest
/// (31 × 2^14) are that. [`length_of_byte`] (and `search.js`) give it back as an integer.
fn length_byte(v: u32) -> u8 {
    if v < 16 {
        return v as u8;
    }
    let e = (31 - v.leading_zeros()) - 4;
    if e > 14 {
        return 255;
    }
    (16 * (e + 1) + ((v >> e) - 16)) as u8
}

/// The length [`length_byte`] stands for: `b` below 16, else `(16 + b % 16) << (b / 16 - 1)`.
#[cfg(test)]
fn length_of_byte(b: u8) -> u32 {
    let b = u32::from(b);
    if b < 16 {
        b
    } else {
        (16 + (b & 15)) << ((b >> 4) - 1)
    }
}

/// A date as `year × 512 + month × 32 + day` (day 0 for a month-only date, which sorts before
/// the month's days, as [`crate::model::Date`] does): ordered as dates are, and the year is
/// `code >> 9`.
fn date_code(d: crate::model::Date) -> u32 {
    let m = d.month();
    (d.year().max(0) as u32) << 9 | m.month << 5 | d.day_of_month().unwrap_or(0)
}

/// Whether a site file is one [`files`] makes (rather than the search page).
pub fn is_index_file(path: &str) -> bool {
    path.starts_with("search/") && path != "search/index.html"
}

fn file(path: &str, bytes: Vec<u8>) -> OutFile {
    OutFile {
        path: path.to_string(),
        bytes,
        source: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_byte_is_monotone_and_close() {
        let mut last = 0;
        for v in 0..600_000u32 {
            let b = length_byte(v);
            assert!(b >= last, "{v}");
            last = b;
            let back = length_of_byte(b);
            assert!(back <= v);
            if v < 507_904 {
                assert!(f64::from(v - back) <= f64::from(v) / 16.0, "{v} -> {back}");
            }
            assert_eq!(length_byte(back), b);
        }
        assert_eq!(length_of_byte(255), 31 << 14);
    }
}
