//! The index files' bytes as served: an item's head and all its text chunks packed into one
//! file, and every binary file zlib-compressed (RFC 1950, inflated in the browser by
//! `DecompressionStream("deflate")`).

use std::cell::RefCell;

use miniz_oxide::deflate::core::{
    compress, create_comp_flags_from_zip_params, CompressorOxide, TDEFLFlush, TDEFLStatus,
};
use serde::Serialize;

use super::chunks::Chunk;

/// The compression level: measured on the 10,000-page corpus (docs/benchmarks.md, "Search"),
/// level 1 costs a fraction of level 6's CPU for a few percent more bytes, and the index has to
/// stay a small part of the build.
const LEVEL: u8 = 1;

thread_local! {
    /// One compressor per thread, reset between files: a fresh one is a few hundred KB of
    /// zeroed tables, and allocating one per file (thousands of small files) cost more CPU in
    /// page faults than the compression itself.
    static COMPRESSOR: RefCell<Box<CompressorOxide>> = RefCell::new(Box::new(
        CompressorOxide::new(create_comp_flags_from_zip_params(i32::from(LEVEL), 15, 0)),
    ));
}

/// `bytes` as a zlib stream (as `miniz_oxide::deflate::compress_to_vec_zlib` makes it). The
/// compressor is reset to its initial state for each file and has no other input (no time, no
/// threads), so the same bytes always give the same stream: incremental and clean builds agree.
pub fn zlib(bytes: &[u8]) -> Vec<u8> {
    COMPRESSOR.with(|c| {
        let mut c = c.borrow_mut();
        c.reset();
        let mut out = vec![0; (bytes.len() / 2).max(64)];
        let (mut at, mut written) = (0, 0);
        loop {
            let (status, read, wrote) = compress(
                &mut c,
                &bytes[at..],
                &mut out[written..],
                TDEFLFlush::Finish,
            );
            at += read;
            written += wrote;
            match status {
                TDEFLStatus::Done => break,
                // Out of room: more, and go on where it stopped.
                TDEFLStatus::Okay => out.resize(out.len() * 2, 0),
                // Only on a bad parameter, which LEVEL and the flags are not; fall back to the
                // one-shot function rather than write a broken file.
                _ => return miniz_oxide::deflate::compress_to_vec_zlib(bytes, LEVEL),
            }
        }
        out.truncate(written);
        out
    })
}

/// `bytes` as a zlib stream at level 9 (deterministic, like [`zlib`]): for `cols.bin`, one file
/// that every first query fetches, where the bytes saved outweigh the CPU.
pub fn zlib_best(bytes: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(bytes, 9)
}

/// What a hit and a finder row show, and where the item's chunks start.
#[derive(Serialize)]
pub struct Head<'a> {
    pub k: &'static str,
    pub u: &'a str,
    pub d: String,
    pub b: &'a str,
    pub t: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n: Option<&'a str>,
    /// Where each chunk starts (normal-form positions), the first included.
    pub c: Vec<u32>,
    /// The first chunk's parts.
    pub x: &'a [(u32, String)],
}

/// `d/<n>.bin`: the head as one line of JSON, then each further chunk as one line. JSON never
/// holds a raw line break, so the browser finds the head without parsing the rest, and the
/// chunks of 20 hits are 20 downloads, not one per chunk (most items are one small file).
pub fn item(head: &Head, chunks: &[Chunk]) -> Vec<u8> {
    let mut out = serde_json::to_vec(head).unwrap_or_default();
    for c in chunks.iter().skip(1) {
        out.push(b'\n');
        out.extend(serde_json::to_vec(&c.parts).unwrap_or_default());
    }
    zlib(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inflate(b: &[u8]) -> Vec<u8> {
        miniz_oxide::inflate::decompress_to_vec_zlib(b).expect("a zlib stream")
    }

    #[test]
    fn a_reused_compressor_gives_the_one_shot_stream() {
        let texts: Vec<Vec<u8>> = vec![
            "政策".repeat(5000).into_bytes(),
            b"".to_vec(),
            (0..70_000u32).map(|i| (i * 7919 % 251) as u8).collect(),
            "短".into(),
        ];
        for t in texts.iter().chain(texts.iter()) {
            let z = zlib(t);
            assert_eq!(z, miniz_oxide::deflate::compress_to_vec_zlib(t, LEVEL));
            assert_eq!(&inflate(&z), t);
        }
    }

    #[test]
    fn an_item_is_its_head_then_one_line_per_further_chunk() {
        let chunks = vec![
            Chunk {
                start: 3,
                parts: vec![(1, "甲\n乙".into())],
            },
            Chunk {
                start: 403,
                parts: vec![(2, "丙".into())],
            },
        ];
        let head = Head {
            k: "policies",
            u: "policies/a/",
            d: "2024-05-01".into(),
            b: "国务院",
            t: "标题",
            n: None,
            c: vec![3, 403],
            x: &chunks[0].parts,
        };
        let bytes = item(&head, &chunks);
        assert_eq!(bytes, item(&head, &chunks), "deterministic");
        let text = String::from_utf8(inflate(&bytes)).expect("UTF-8");
        let lines: Vec<&str> = text.split('\n').collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert!(lines[0].contains(r#""x":[[1,"甲\n乙"]]"#), "{}", lines[0]);
        assert_eq!(lines[1], r#"[[2,"丙"]]"#);
    }
}
