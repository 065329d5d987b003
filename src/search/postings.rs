//! The inverted index: for each character pair (bigram) of the normal form, where it occurs in
//! which item; for each character, which items hold it. Both go into shards chosen by a hash of
//! the key, so a query downloads the few shards its keys are in.
//!
//! Positions count characters of the normal form across an item's fields, with one position
//! left out between fields: no bigram spans two fields, so no query matches across them.
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
}

/// One item's keys: sorted (key, position), and its lengths.
fn analyse(fields: &[String]) -> (Vec<(Key, u32)>, Lengths) {
    let mut pairs = Vec::new();
    let mut pos = 0u32;
    let mut title = 0;
    for (i, f) in fields.iter().enumerate() {
        let chars = normalize(f);
        for (j, c) in chars.iter().enumerate() {
            let p = pos + j as u32;
            pairs.push(((*c as u32, 0), p));
            if let Some(next) = chars.get(j + 1) {
                pairs.push(((*c as u32, *next as u32), p));
            }
        }
        if i == 0 {
            title = chars.len() as u32;
        }
        pos += chars.len() as u32 + 1;
    }
    pairs.sort_unstable();
    let text = pos.saturating_sub(fields.len() as u32);
    (pairs, Lengths { title, text })
}

impl Postings {
    /// The postings of items `fields` (numbered in order), and each item's lengths.
    pub fn build(fields: &[&[String]]) -> (Postings, Vec<Lengths>) {
        let mut lists = Lists::default();
        let mut lengths = Vec::with_capacity(fields.len());
        // Analysed in parallel a chunk at a time: the whole site's pairs at once would be the
        // largest allocation of the build.
        for (c, chunk) in fields.chunks(512).enumerate() {
            let analysed: Vec<_> = chunk.par_iter().map(|f| analyse(f)).collect();
            for (i, (pairs, len)) in analysed.into_iter().enumerate() {
                let doc = (c * 512 + i) as u32;
                add(&mut lists, doc, &pairs, len.title);
                lengths.push(len);
            }
        }
        (Postings { lists }, lengths)
    }

    /// The shard files' bytes: `count` shards (a power of two) sized so that one averages
    /// about `target` bytes.
    pub fn shards(self, target: usize) -> Vec<Vec<u8>> {
        let total: usize = self.lists.values().map(|l| l.bytes.len() + 8).sum();
        let count = (total / target.max(1)).clamp(1, 4096).next_power_of_two();
        let mut by_shard: Vec<Vec<(Key, List)>> = (0..count).map(|_| Vec::new()).collect();
        for (key, list) in self.lists {
            by_shard[shard_of(key, count)].push((key, list));
        }
        by_shard
            .into_par_iter()
            .map(|mut entries| {
                entries.sort_unstable_by_key(|(k, _)| *k);
                let mut head = Vec::new();
                let mut body = Vec::new();
                varint(&mut head, entries.len() as u32);
                for (key, list) in entries {
                    let start = body.len();
                    varint(&mut body, list.docs);
                    body.extend_from_slice(&list.bytes);
                    varint(&mut head, key.0);
                    varint(&mut head, key.1);
                    varint(&mut head, (body.len() - start) as u32);
                }
                head.extend_from_slice(&body);
                head
            })
            .collect()
    }
}

/// Appends one item's sorted pairs to the lists.
fn add(lists: &mut Lists, doc: u32, pairs: &[(Key, u32)], title: u32) {
    for group in pairs.chunk_by(|a, b| a.0 == b.0) {
        let key = group[0].0;
        let list = lists.entry(key).or_default();
        list.doc(doc);
        if key.1 == 0 {
            // A character: how often, and whether in the title (ranking needs both).
            let in_title = u32::from(group[0].1 < title);
            varint(&mut list.bytes, (group.len() as u32) << 1 | in_title);
        } else {
            varint(&mut list.bytes, group.len() as u32);
            let mut last = 0;
            for (i, (_, p)) in group.iter().enumerate() {
                varint(&mut list.bytes, if i == 0 { *p } else { p - last });
                last = *p;
            }
        }
    }
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
