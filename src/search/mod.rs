//! The search index under `site/search/`, read by `templates/static/search.js` (the format is in
//! docs/search.md):
//!
//! - `index.json`: the manifest: item and shard counts, the names of every facet value;
//! - `cols.bin`: per item, its facets and lengths (what filters, counts and ranking need);
//! - `s/<n>.bin`: the postings shards (see [`postings`]);
//! - `d/<n>.json`: per item, what a hit shows: kind, link, date, byline and the fields.
//!
//! A query fetches the manifest, the columns, the shards of its keys and the files of the
//! hits it shows. Made from the whole site, like the feed; deterministic, so an incremental
//! build writes only the files whose bytes changed.

mod docs;
mod postings;
pub mod text;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::model::{Kind, Level, Site};
use crate::render::OutFile;
use crate::view::IndexData;

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
}

#[derive(Serialize)]
struct DocFile<'a> {
    k: &'static str,
    u: &'a str,
    d: String,
    b: &'a str,
    f: &'a [String],
}

/// Every file of `site/search/` but the page.
pub fn files(site: &Site, data: &IndexData) -> Vec<OutFile> {
    let docs = docs(site, data);
    let fields: Vec<&[String]> = docs.iter().map(|d| d.fields.as_slice()).collect();
    let (postings, lengths) = postings::Postings::build(&fields);
    let shards = postings.shards(SHARD_BYTES);

    let mut series: BTreeMap<&str, &str> = BTreeMap::new();
    for issue in site.issues.values() {
        series
            .entry(issue.key.series.as_str())
            .or_insert(issue.meta.series.as_str());
    }
    let regions: BTreeSet<&str> = docs
        .iter()
        .flat_map(|d| &d.regions)
        .map(|s| s.as_str())
        .collect();
    let issuers: BTreeSet<&str> = docs
        .iter()
        .flat_map(|d| &d.issuers)
        .map(|s| s.as_str())
        .collect();
    let years: BTreeSet<i32> = docs.iter().map(|d| d.date.month().year).collect();
    let manifest = Manifest {
        version: 1,
        docs: docs.len(),
        shards: shards.len(),
        kinds: Kind::ALL.iter().map(|k| [k.dir(), k.zh()]).collect(),
        levels: Level::ALL.iter().map(|l| [l.slug(), l.zh()]).collect(),
        years: years.iter().rev().copied().collect(),
        series: series.iter().map(|(k, v)| [*k, *v]).collect(),
        regions: regions.iter().copied().collect(),
        issuers: issuers.iter().copied().collect(),
    };
    let index = |list: &[&str], v: &str| list.binary_search(&v).map_or(0, |i| i as u32);
    let mut cols = Vec::with_capacity(docs.len() * 8);
    for (d, len) in docs.iter().zip(&lengths) {
        let level = d.level.map_or(0, |l| {
            Level::ALL.iter().position(|x| *x == l).unwrap_or(0) as u32 + 1
        });
        // One byte for kind, level and whether regions and issuers follow: most items have
        // neither, and this file is part of every first query.
        let has = |v: &Vec<String>, bit: u32| u32::from(!v.is_empty()) << bit;
        let head = d.kind as u32 | level << 3 | has(&d.regions, 6) | has(&d.issuers, 7);
        cols.push(head as u8);
        let year = manifest
            .years
            .iter()
            .position(|y| *y == d.date.month().year)
            .unwrap_or(0);
        varint(&mut cols, year as u32);
        let s = d
            .series
            .as_deref()
            .and_then(|s| manifest.series.iter().position(|x| x[0] == s));
        varint(&mut cols, s.map_or(0, |i| i as u32 + 1));
        for (list, names) in [
            (&d.regions, &manifest.regions),
            (&d.issuers, &manifest.issuers),
        ] {
            if !list.is_empty() {
                varint(&mut cols, list.len() as u32);
                for v in list {
                    varint(&mut cols, index(names, v));
                }
            }
        }
        varint(&mut cols, len.title);
        varint(&mut cols, len.text);
    }

    let mut out = Vec::with_capacity(docs.len() + shards.len() + 2);
    let json = serde_json::to_vec(&manifest).unwrap_or_default();
    out.push(file("search/index.json", json));
    out.push(file("search/cols.bin", cols));
    for (i, s) in shards.into_iter().enumerate() {
        out.push(file(&format!("search/s/{i}.bin"), s));
    }
    for (i, d) in docs.iter().enumerate() {
        let doc = DocFile {
            k: d.kind.dir(),
            u: &d.url,
            d: d.date.to_string(),
            b: &d.byline,
            f: &d.fields,
        };
        out.push(file(
            &format!("search/d/{i}.json"),
            serde_json::to_vec(&doc).unwrap_or_default(),
        ));
    }
    out
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
