//! The index's state between builds: [`State`] as bytes, kept in the build cache
//! (`.bulletin-cache/search.bin`) so that a build after an edit updates the index as `serve`
//! does, item by item, instead of building it anew from every item's text.
//!
//! The bytes are a private format of one `bulletin` binary: the build cache's record names the
//! binary and holds the BLAKE3 hash of the state it was written with, so a state is only read
//! back by the binary that wrote it, for the site it describes. Anything that does not decode
//! reads as "no state" (a full index build), never as an error.

use std::collections::HashMap;
use std::sync::Arc;

use super::docs::Doc;
use super::postings::{Lengths, Postings};
use super::{varint, State};
use crate::model::{Date, DocType, Kind, Level, Slug, Vocab};

const MAGIC: &[u8] = b"bulletin-search 2\n";

/// Appends values to a state's bytes.
pub(super) struct Writer(pub Vec<u8>);

impl Writer {
    pub fn n(&mut self, v: u32) {
        varint(&mut self.0, v);
    }
    pub fn str(&mut self, s: &str) {
        self.n(s.len() as u32);
        self.0.extend_from_slice(s.as_bytes());
    }
    pub fn bytes(&mut self, b: &[u8]) {
        self.n(b.len() as u32);
        self.0.extend_from_slice(b);
    }
    fn opt(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.n(1);
                self.str(s);
            }
            None => self.n(0),
        }
    }
    fn list(&mut self, v: &[String]) {
        self.n(v.len() as u32);
        for s in v {
            self.str(s);
        }
    }
}

/// Reads what [`Writer`] wrote; `None` at the first thing that does not fit.
pub(super) struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    pub fn n(&mut self) -> Option<u32> {
        super::read_varint(self.bytes, &mut self.at)
    }
    pub fn bytes(&mut self) -> Option<&'a [u8]> {
        let len = self.n()? as usize;
        let end = self.at.checked_add(len)?;
        let b = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(b)
    }
    pub fn str(&mut self) -> Option<String> {
        String::from_utf8(self.bytes()?.to_vec()).ok()
    }
    fn opt(&mut self) -> Option<Option<String>> {
        match self.n()? {
            0 => Some(None),
            1 => self.str().map(Some),
            _ => None,
        }
    }
    fn list(&mut self) -> Option<Vec<String>> {
        let n = self.n()? as usize;
        // A count is never trusted for an allocation larger than the bytes left.
        let mut v = Vec::with_capacity(n.min(self.bytes.len() - self.at));
        for _ in 0..n {
            v.push(self.str()?);
        }
        Some(v)
    }
    /// A count of things each taking at least one byte, checked against what is left.
    pub fn count(&mut self) -> Option<usize> {
        let n = self.n()? as usize;
        (n <= self.bytes.len() - self.at).then_some(n)
    }
}

impl State {
    /// The state as bytes, for [`State::from_bytes`].
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer(MAGIC.to_vec());
        w.n(self.docs.len() as u32);
        for d in &self.docs {
            write_doc(&mut w, d);
        }
        for l in &self.lengths {
            w.n(l.title);
            w.n(l.text);
        }
        self.postings.save(&mut w);
        w.0
    }

    /// The state [`State::to_bytes`] wrote, or `None` if the bytes are not such a state. The
    /// vocabularies (which order the filters) are the site's, given to [`State::resume`].
    pub fn from_bytes(bytes: &[u8]) -> Option<State> {
        let mut r = Reader {
            bytes: bytes.strip_prefix(MAGIC)?,
            at: 0,
        };
        let n = r.count()?;
        let mut docs = Vec::with_capacity(n);
        for _ in 0..n {
            docs.push(read_doc(&mut r)?);
        }
        let mut lengths = Vec::with_capacity(n);
        for _ in 0..n {
            lengths.push(Lengths {
                title: r.n()?,
                text: r.n()?,
            });
        }
        let postings = Postings::restore(&mut r)?;
        (r.at == r.bytes.len()).then_some(State {
            docs,
            postings,
            lengths,
            vocab: Arc::default(),
        })
    }

    /// This state (the previous build's) brought up to the items of `next` (every item of the
    /// site now, as [`super::docs`] makes them): only the items that differ are re-indexed.
    /// Returns the files that may have changed; every other index file is as before.
    pub fn resume(&mut self, next: Vec<Doc>, vocab: Arc<Vocab>) -> Vec<crate::render::OutFile> {
        self.vocab = vocab;
        let before: HashMap<(Kind, &Slug), &Doc> =
            self.docs.iter().map(|d| ((d.kind, &d.slug), d)).collect();
        let mut changed: std::collections::HashSet<crate::view::ItemKey> = next
            .iter()
            .filter(|d| before.get(&(d.kind, &d.slug)) != Some(d))
            .map(|d| (d.kind, d.slug.clone()))
            .collect();
        let now: std::collections::HashSet<(Kind, &Slug)> =
            next.iter().map(|d| (d.kind, &d.slug)).collect();
        changed.extend(
            self.docs
                .iter()
                .filter(|d| !now.contains(&(d.kind, &d.slug)))
                .map(|d| (d.kind, d.slug.clone())),
        );
        drop(before);
        let fresh = next
            .into_iter()
            .filter(|d| changed.contains(&(d.kind, d.slug.clone())))
            .collect();
        self.update_with(fresh, &changed)
    }
}

fn write_doc(w: &mut Writer, d: &Doc) {
    w.n(Kind::ALL.iter().position(|k| *k == d.kind).unwrap_or(0) as u32);
    w.str(d.slug.as_str());
    w.str(&d.url);
    w.str(&d.date.to_string());
    w.str(&d.byline);
    w.list(&d.fields);
    w.opt(d.doc_number.as_deref());
    w.n(d.level.map_or(0, |l| {
        Level::ALL.iter().position(|x| *x == l).unwrap_or(0) as u32 + 1
    }));
    w.n(d.doc_type.map_or(0, |t| {
        DocType::ALL.iter().position(|x| *x == t).unwrap_or(0) as u32 + 1
    }));
    w.list(&d.regions);
    w.list(&d.issuers);
    w.opt(d.series.as_deref());
    w.opt(d.series_name.as_deref());
}

fn read_doc(r: &mut Reader) -> Option<Doc> {
    let kind = *Kind::ALL.get(r.n()? as usize)?;
    let slug: Slug = r.str()?.parse().ok()?;
    let url = r.str()?;
    let date: Date = r.str()?.parse().ok()?;
    let byline = r.str()?;
    let fields = r.list()?;
    let doc_number = r.opt()?;
    let level = match r.n()? {
        0 => None,
        i => Some(*Level::ALL.get(i as usize - 1)?),
    };
    let doc_type = match r.n()? {
        0 => None,
        i => Some(*DocType::ALL.get(i as usize - 1)?),
    };
    Some(Doc {
        kind,
        slug,
        url,
        date,
        byline,
        fields,
        doc_number,
        level,
        doc_type,
        regions: r.list()?,
        issuers: r.list()?,
        series: r.opt()?,
        series_name: r.opt()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_damaged_state_reads_as_none() {
        let vocab = Arc::new(Vocab::default());
        let state = State::of(Vec::new(), vocab.clone());
        let bytes = state.to_bytes();
        assert!(State::from_bytes(&bytes).is_some());
        for cut in 0..bytes.len() {
            assert!(State::from_bytes(&bytes[..cut]).is_none());
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(State::from_bytes(&longer).is_none());
    }
}
