//! An item's text after its title, cut into chunks of about [`CHUNK`] characters of the normal
//! form, for excerpts: a hit fetches only the chunk holding its first match (whose position the
//! postings give), not the item's whole text. All of them travel in the item's file
//! (`d/<n>.bin`, see [`super::pack`]); the first is in its head.

use serde::Serialize;

use super::text::is_space;
use unicode_normalization::UnicodeNormalization;

/// Characters of the normal form per chunk: a hit's excerpt (about 100 characters) rarely
/// needs more, and the 20 hits of a first page fetch 20 chunks.
pub const CHUNK: u32 = 400;

/// Pieces of consecutive text, each `(field index, text)`: a chunk may end one field and begin
/// the next.
#[derive(Debug, Default, PartialEq, Serialize)]
pub struct Chunk {
    /// The normal-form position of the chunk's first character.
    #[serde(skip)]
    pub start: u32,
    pub parts: Vec<(u32, String)>,
}

/// How many characters `c` is in the normal form. The browser counts the same way, character
/// by character; for text in a decomposed form (rare in Chinese) this may differ slightly from
/// the index's count over the whole field, which only moves an excerpt, never a hit.
fn normal_len(c: char) -> u32 {
    if is_space(c) {
        0
    } else if c.is_ascii() || ('\u{4e00}'..='\u{9fff}').contains(&c) {
        1
    } else {
        let n: String = c.nfkc().collect();
        n.to_lowercase().chars().filter(|c| !is_space(*c)).count() as u32
    }
}

/// The chunks of `fields` (title first; the title is not chunked, only counted) of an item
/// whose title is `title_len` characters of the normal form.
pub fn chunks(fields: &[String], title_len: u32) -> Vec<Chunk> {
    let mut out = vec![Chunk {
        start: title_len + 1,
        parts: Vec::new(),
    }];
    let mut pos = title_len + 1;
    for (i, f) in fields.iter().enumerate().skip(1) {
        let mut piece = String::new();
        for c in f.chars() {
            let n = normal_len(c);
            let cur = out.len() - 1;
            if n > 0 && pos - out[cur].start >= CHUNK {
                if !piece.is_empty() {
                    out[cur].parts.push((i as u32, std::mem::take(&mut piece)));
                }
                out.push(Chunk {
                    start: pos,
                    parts: Vec::new(),
                });
            }
            piece.push(c);
            pos += n;
        }
        if !piece.is_empty() {
            let cur = out.len() - 1;
            out[cur].parts.push((i as u32, piece));
        }
        pos += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_start_where_the_index_counts_and_keep_fields_apart() {
        let long = "甲".repeat(CHUNK as usize + 10);
        let fields = vec!["标题".to_string(), "ａ b".to_string(), long.clone()];
        let c = chunks(&fields, 2);
        assert_eq!(c.len(), 2);
        // Title (2) + gap, then "ab" (2) + gap: the long field starts at 6.
        assert_eq!(c[0].start, 3);
        assert_eq!(c[0].parts[0], (1, "ａ b".to_string()));
        assert_eq!(c[0].parts[1].0, 2);
        assert_eq!(c[1].start, 3 + CHUNK);
        let rejoined: String = c
            .iter()
            .flat_map(|k| &k.parts)
            .filter(|p| p.0 == 2)
            .map(|p| p.1.as_str())
            .collect();
        assert_eq!(rejoined, long);
    }

    #[test]
    fn an_item_without_text_has_one_empty_chunk() {
        assert_eq!(
            chunks(&["t".into()], 1),
            vec![Chunk {
                start: 2,
                parts: vec![]
            }]
        );
    }
}
