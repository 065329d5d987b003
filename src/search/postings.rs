//! The inverted index: for each character pair (bigram) of the normal form, where it occurs in
//! which item; for each character, which items hold it. Both go into shards chosen by a hash of
//! the key, so a query downloads the few shards its keys are in.
//!
//! Positions count characters of the normal form across an item's fields, with one position
//! left out between fields: no bigram spans two fields, so no query matches across them.
//! A bigram's entry for an item: `first position × 2 + (1 if it is the only one)`, then for
//! several, `count − 2` and the deltas of the others. A character's: `count × 2 + in title`.
//! With positions, the browser verifies a phrase from the postings alone (each covering bigram
//! at its offset from the same start): exact answers, no item text needed.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;

use super::text::normalize;
use super::varint;

/// What a shard holds per key, encoded as it grows (items are added in number order).
#[derive(Default)]
struct List {
    docs: u32,
    last: u32,
    bytes: Vec<u8>,
}

impl List {
    fn doc(&mut self, doc: u32) {
        varint(
            &mut self.bytes,
            if self.docs == 0 { doc } else { doc - self.last },
        );
        self.docs += 1;
        self.last = doc;
    }
}

/// Per item: its normalised title's and whole text's length in characters.
pub struct Lengths {
    pub title: u32,
    pub text: u32,
}

/// Keys: a bigram `(a, b)`, or a character `(a, 0)`.
type Key = (u32, u32);

/// A multiplicative hash for the keys: two code points need no SipHash, and building the
/// lists is mostly hash lookups (millions at 10,000 pages). Order never depends on it.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u32(u32::from(*b));
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0.rotate_left(26) ^ u64::from(n)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type Lists = HashMap<Key, List, BuildHasherDefault<KeyHasher>>;

pub struct Postings {
    lists: Lists,
    /// The shard count: a power of two.
    count: usize,
    /// Each shard's keys, sorted.
    by_shard: Vec<Vec<Key>>,
}

/// Calls `each` with every (key, position) of an item, and returns its lengths.
fn each_pair(fields: &[String], mut each: impl FnMut(Key, u32)) -> Lengths {
    let mut pos = 0u32;
    let mut title = 0;
    for (i, f) in fields.iter().enumerate() {
        let chars = normalize(f);
        for (j, c) in chars.iter().enumerate() {
            let p = pos + j as u32;
            each((*c as u32, 0), p);
            if let Some(next) = chars.get(j + 1) {
                each((*c as u32, *next as u32), p);
            }
        }
        if i == 0 {
            title = chars.len() as u32;
        }
        pos += chars.len() as u32 + 1;
    }
    let text = pos.saturating_sub(fields.len() as u32);
    Lengths { title, text }
}

/// One item's keys: sorted (key, position), and its lengths.
fn analyse(fields: &[String]) -> (Vec<(Key, u32)>, Lengths) {
    let mut pairs = Vec::new();
    let lengths = each_pair(fields, |k, p| pairs.push((k, p)));
    pairs.sort_unstable();
    (pairs, lengths)
}

/// How many parts [`Postings::build`] fills at once.
const PARTS: usize = 64;

/// The part of a key: the top bits of its hash (the shard uses another hash, so parts and
/// shards are independent).
fn part_of(key: Key) -> usize {
    let mut h = KeyHasher::default();
    h.write_u32(key.0);
    h.write_u32(key.1);
    (h.finish() >> (64 - PARTS.trailing_zeros())) as usize
}

/// One item's keys, grouped by part: what [`Postings::build`] adds to each part's lists.
struct Analysed {
    /// Ordered by part, then by key and position: each part's pairs are one run, so the thread
    /// filling a part reads them in order (reading them scattered, ordered by key alone, was
    /// most of the index's time: a cache miss per key).
    pairs: Vec<(Key, u32)>,
    /// Where each part's run starts in `pairs`, and where the last ends.
    starts: [u32; PARTS + 1],
    lengths: Lengths,
}

impl Analysed {
    fn of(fields: &[String]) -> Analysed {
        // Packed as part, then key (code points fit in 21 bits), so that one sort of integers
        // orders them; within a part the keys stay in key order.
        let mut packed: Vec<(u64, u32)> = Vec::new();
        let lengths = each_pair(fields, |(a, b), p| {
            let part = part_of((a, b)) as u64;
            packed.push((part << 42 | u64::from(a) << 21 | u64::from(b), p));
        });
        packed.sort_unstable();
        let mut starts = [0u32; PARTS + 1];
        let mut pairs = Vec::with_capacity(packed.len());
        for (k, p) in packed {
            starts[(k >> 42) as usize + 1] += 1;
            pairs.push((((k >> 21) as u32 & 0x1f_ffff, k as u32 & 0x1f_ffff), p));
        }
        for i in 0..PARTS {
            starts[i + 1] += starts[i];
        }
        Analysed {
            pairs,
            starts,
            lengths,
        }
    }

    /// The pairs of each of this item's keys in `part`.
    fn groups(&self, part: usize) -> impl Iterator<Item = &[(Key, u32)]> {
        let run = &self.pairs[self.starts[part] as usize..self.starts[part + 1] as usize];
        run.chunk_by(|a, b| a.0 == b.0)
    }
}

/// About how many bytes one shard holds.
fn shard_count(lists: &Lists, target: usize) -> usize {
    let total: usize = lists.values().map(|l| l.bytes.len() + 8).sum();
    (total / target.max(1)).clamp(1, 4096).next_power_of_two()
}

impl Postings {
    /// The postings of items `fields` (numbered in order), in shards of about `target` bytes,
    /// and each item's lengths.
    pub fn build(fields: &[&[String]], target: usize) -> (Postings, Vec<Lengths>) {
        // The keys are split into parts by a hash, each part's lists filled on its own thread:
        // filling one map was the index's longest sequential step.
        let mut parts: Vec<Lists> = (0..PARTS).map(|_| Lists::default()).collect();
        let mut lengths = Vec::with_capacity(fields.len());
        // Analysed in parallel a chunk at a time: the whole site's pairs at once would be the
        // largest allocation of the build.
        for (c, chunk) in fields.chunks(512).enumerate() {
            let analysed: Vec<Analysed> = chunk.par_iter().map(|f| Analysed::of(f)).collect();
            parts.par_iter_mut().enumerate().for_each(|(part, lists)| {
                for (i, a) in analysed.iter().enumerate() {
                    let doc = (c * 512 + i) as u32;
                    for group in a.groups(part) {
                        let list = lists.entry(group[0].0).or_default();
                        list.doc(doc);
                        payload(&mut list.bytes, group, a.lengths.title);
                    }
                }
            });
            lengths.extend(analysed.into_iter().map(|a| a.lengths));
        }
        let mut lists = Lists::default();
        lists.reserve(parts.iter().map(HashMap::len).sum());
        for part in parts {
            lists.extend(part);
        }
        let mut p = Postings {
            count: shard_count(&lists, target),
            lists,
            by_shard: Vec::new(),
        };
        p.reshard();
        (p, lengths)
    }

    fn reshard(&mut self) {
        let mut by_shard: Vec<Vec<Key>> = vec![Vec::new(); self.count];
        for key in self.lists.keys() {
            by_shard[shard_of(*key, self.count)].push(*key);
        }
        by_shard.par_iter_mut().for_each(|k| k.sort_unstable());
        self.by_shard = by_shard;
    }

    pub fn count(&self) -> usize {
        self.count
    }

    /// Shard `n`'s file: entry count, each entry's key and length, then the entries.
    pub fn shard(&self, n: usize) -> Vec<u8> {
        let mut head = Vec::new();
        let mut body = Vec::new();
        varint(&mut head, self.by_shard[n].len() as u32);
        for key in &self.by_shard[n] {
            let list = &self.lists[key];
            let start = body.len();
            varint(&mut body, list.docs);
            body.extend_from_slice(&list.bytes);
            varint(&mut head, key.0);
            varint(&mut head, key.1);
            varint(&mut head, (body.len() - start) as u32);
        }
        head.extend_from_slice(&body);
        head
    }

    /// Appends the postings to a state's bytes (see [`super::persist`]), shard by shard in key
    /// order, so that reading them back needs no hashing or sorting.
    pub(super) fn save(&self, w: &mut super::persist::Writer) {
        w.n(self.count as u32);
        for keys in &self.by_shard {
            w.n(keys.len() as u32);
            for key in keys {
                let list = &self.lists[key];
                w.n(key.0);
                w.n(key.1);
                w.n(list.docs);
                w.n(list.last);
                w.bytes(&list.bytes);
            }
        }
    }

    /// What [`Postings::save`] wrote, or `None`.
    pub(super) fn restore(r: &mut super::persist::Reader) -> Option<Postings> {
        let count = r.count()?;
        if !count.is_power_of_two() {
            return None;
        }
        let mut lists = Lists::default();
        let mut by_shard = Vec::with_capacity(count);
        for n in 0..count {
            let len = r.count()?;
            let mut keys = Vec::with_capacity(len);
            for _ in 0..len {
                let key = (r.n()?, r.n()?);
                let list = List {
                    docs: r.n()?,
                    last: r.n()?,
                    bytes: r.bytes()?.to_vec(),
                };
                if shard_of(key, count) != n || keys.last().is_some_and(|k| *k >= key) {
                    return None;
                }
                lists.insert(key, list);
                keys.push(key);
            }
            by_shard.push(keys);
        }
        Some(Postings {
            lists,
            count,
            by_shard,
        })
    }

    /// Item `doc` changed from `old` fields to `new` (either absent: added or removed; a
    /// removed item must be the last). Returns its new lengths and adds the shards whose
    /// bytes may have changed to `touched`; every shard when the count changed.
    pub fn update(
        &mut self,
        doc: u32,
        old: Option<&[String]>,
        new: Option<&[String]>,
        touched: &mut std::collections::BTreeSet<usize>,
    ) -> Option<Lengths> {
        let old_pairs = old.map(|f| analyse(f).0).unwrap_or_default();
        let (new_pairs, len) = match new.map(analyse) {
            Some((p, l)) => (p, Some(l)),
            None => (Vec::new(), None),
        };
        let title = len.as_ref().map_or(0, |l| l.title);
        let mut fresh: std::collections::BTreeMap<Key, Vec<u8>> = Default::default();
        for group in new_pairs.chunk_by(|a, b| a.0 == b.0) {
            let mut bytes = Vec::new();
            payload(&mut bytes, group, title);
            fresh.insert(group[0].0, bytes);
        }
        let mut keys: Vec<Key> = old_pairs.iter().map(|(k, _)| *k).collect();
        keys.extend(fresh.keys());
        keys.sort_unstable();
        keys.dedup();
        for key in keys {
            let mut entries = self
                .lists
                .get(&key)
                .map_or_else(Vec::new, |l| decode(key, l));
            entries.retain(|(d, _)| *d != doc);
            if let Some(bytes) = fresh.remove(&key) {
                let at = entries.partition_point(|(d, _)| *d < doc);
                entries.insert(at, (doc, bytes));
            }
            let shard = shard_of(key, self.count);
            touched.insert(shard);
            let keys = &mut self.by_shard[shard];
            let at = keys.binary_search(&key);
            if entries.is_empty() {
                self.lists.remove(&key);
                if let Ok(i) = at {
                    keys.remove(i);
                }
            } else {
                let mut list = List::default();
                for (d, bytes) in entries {
                    list.doc(d);
                    list.bytes.extend_from_slice(&bytes);
                }
                self.lists.insert(key, list);
                if let Err(i) = at {
                    keys.insert(i, key);
                }
            }
        }
        len
    }

    /// After updates: reshards when the shard count for `target` changed (every shard is
    /// then touched).
    pub fn settle(&mut self, target: usize, touched: &mut std::collections::BTreeSet<usize>) {
        let count = shard_count(&self.lists, target);
        if count != self.count {
            self.count = count;
            self.reshard();
            touched.extend(0..count);
        }
        touched.retain(|s| *s < self.count);
    }
}

/// One item's entry for one key (its pairs `group`): how often and whether in the title for a
/// character, the positions for a bigram.
fn payload(out: &mut Vec<u8>, group: &[(Key, u32)], title: u32) {
    if group[0].0 .1 == 0 {
        let in_title = u32::from(group[0].1 < title);
        varint(out, (group.len() as u32) << 1 | in_title);
    } else {
        // Most bigrams occur once in an item: the first position carries whether more follow,
        // so a single occurrence costs no count.
        let first = group[0].1;
        let more = group.len() > 1;
        varint(out, first << 1 | u32::from(!more));
        if more {
            varint(out, group.len() as u32 - 2);
            let mut last = first;
            for (_, p) in &group[1..] {
                varint(out, p - last);
                last = *p;
            }
        }
    }
}

/// A varint of a list this module encoded (so never short).
fn read(bytes: &[u8], at: &mut usize) -> u32 {
    super::read_varint(bytes, at).unwrap_or(0)
}

/// A list's entries: item number and its entry's bytes.
fn decode(key: Key, list: &List) -> Vec<(u32, Vec<u8>)> {
    let b = &list.bytes;
    let mut at = 0;
    let mut doc = 0;
    let mut out = Vec::with_capacity(list.docs as usize);
    for i in 0..list.docs {
        let delta = read(b, &mut at);
        doc = if i == 0 { delta } else { doc + delta };
        let start = at;
        let x = read(b, &mut at);
        if key.1 != 0 && x & 1 == 0 {
            let n = read(b, &mut at) + 1;
            for _ in 0..n {
                read(b, &mut at);
            }
        }
        out.push((doc, b[start..at].to_vec()));
    }
    out
}

/// The shard of a key: FNV-1a (32 bits) of its UTF-8, modulo the shard count. search.js
/// computes the same.
pub fn shard_of(key: Key, count: usize) -> usize {
    let mut buf = [0u8; 8];
    let mut len = 0;
    for cp in [key.0, key.1] {
        if let Some(c) = char::from_u32(cp).filter(|_| cp != 0) {
            len += c.encode_utf8(&mut buf[len..]).len();
        }
    }
    let mut h: u32 = 0x811c_9dc5;
    for b in &buf[..len] {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h as usize & (count - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_apart_and_positions_count_the_normal_form() {
        let (pairs, len) = analyse(&["Ａ b".into(), "cd".into()]);
        assert_eq!(len.title, 2);
        assert_eq!(len.text, 4);
        let bigrams: Vec<_> = pairs.iter().filter(|(k, _)| k.1 != 0).collect();
        let a = 'a' as u32;
        let c = 'c' as u32;
        assert_eq!(
            bigrams,
            [&((a, 'b' as u32), 0), &((c, 'd' as u32), 3)],
            "no bigram spans the two fields"
        );
    }

    #[test]
    fn shard_hash_is_fnv1a_of_utf8() {
        // FNV-1a("a") = 0xe40c292c.
        assert_eq!(shard_of(('a' as u32, 0), 1 << 31), 0xe40c292c & 0x7fff_ffff);
        assert!(shard_of(('政' as u32, '策' as u32), 64) < 64);
    }
}
