//! Which text encoding a file's bytes are in: UTF-8, UTF-16 (either byte order, with or without
//! a byte-order mark) or GB18030 (which contains GBK and GB2312), the encodings text exported on
//! Windows in China comes in. Owns the detection rule and strict decoding with the line of the
//! first bad byte; `import` decodes with it and content loading uses it to name the encoding of a
//! file that is not UTF-8.
//!
//! Detection is a guess, so it is honest about it: an encoding is named only when the whole file
//! decodes in it without a single bad byte, and a file whose valid UTF-8 start already holds
//! non-ASCII UTF-8 characters is taken for damaged UTF-8, never for GB18030.

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE, UTF_8};

/// An encoding `import --encoding` accepts, or one detection found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Gb18030,
}

impl TextEncoding {
    /// The names `--encoding` accepts, as shown in its help and errors.
    pub const NAMES: &'static str = "utf-8, utf-16le, utf-16be, gb18030";

    fn encoding(self) -> &'static Encoding {
        match self {
            TextEncoding::Utf8 => UTF_8,
            TextEncoding::Utf16Le => UTF_16LE,
            TextEncoding::Utf16Be => UTF_16BE,
            TextEncoding::Gb18030 => GB18030,
        }
    }

    /// The name `iconv -f` knows it by (and people read).
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf16Le => "UTF-16LE",
            TextEncoding::Utf16Be => "UTF-16BE",
            TextEncoding::Gb18030 => "GB18030",
        }
    }
}

impl std::str::FromStr for TextEncoding {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        // GBK and GB2312 text is GB18030 text: accepting their names saves a round trip.
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Ok(TextEncoding::Utf8),
            "utf-16le" | "utf16le" => Ok(TextEncoding::Utf16Le),
            "utf-16be" | "utf16be" => Ok(TextEncoding::Utf16Be),
            "gb18030" | "gbk" | "gb2312" => Ok(TextEncoding::Gb18030),
            _ => Err(format!(
                "unknown encoding `{s}`: use one of {}",
                TextEncoding::NAMES
            )),
        }
    }
}

/// Bytes that are not valid in the encoding they were read as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    /// 1-based line of the first bad byte.
    pub line: usize,
    /// 1-based column (in characters) of the first bad byte.
    pub column: usize,
}

/// How a file was decoded: the encoding, and whether it was detected rather than named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decoded {
    pub encoding: TextEncoding,
    /// True when it came from a byte-order mark or the bytes, not from the command line.
    pub detected: bool,
}

/// Decodes `bytes` strictly as `enc`, dropping a byte-order mark of that encoding.
pub fn decode(bytes: &[u8], enc: TextEncoding) -> Result<String, Malformed> {
    let enc = enc.encoding();
    let body = match Encoding::for_bom(bytes) {
        Some((e, len)) if e == enc => &bytes[len..],
        _ => bytes,
    };
    let mut decoder = enc.new_decoder_without_bom_handling();
    let cap = decoder
        .max_utf8_buffer_length_without_replacement(body.len())
        .unwrap_or(body.len().saturating_mul(3));
    let mut out = String::with_capacity(cap);
    let (result, _) = decoder.decode_to_string_without_replacement(body, &mut out, true);
    match result {
        encoding_rs::DecoderResult::InputEmpty => Ok(out),
        // What was decoded stops right before the bad bytes: it places them.
        _ => Err(Malformed {
            line: out.matches('\n').count() + 1,
            column: out.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
        }),
    }
}

/// The encoding the bytes look like, when one decodes them cleanly: UTF-8 first, then a
/// byte-order mark, then UTF-16 by where its zero bytes fall, then GB18030.
pub fn detect(bytes: &[u8]) -> Option<TextEncoding> {
    if let Some((e, _)) = Encoding::for_bom(bytes) {
        let enc = [
            TextEncoding::Utf8,
            TextEncoding::Utf16Le,
            TextEncoding::Utf16Be,
        ]
        .into_iter()
        .find(|t| t.encoding() == e)?;
        return decode(bytes, enc).is_ok().then_some(enc);
    }
    if std::str::from_utf8(bytes).is_ok() {
        return Some(TextEncoding::Utf8);
    }
    if let Some(enc) = utf16_by_zeros(bytes) {
        return decode(bytes, enc).is_ok().then_some(enc);
    }
    let valid = std::str::from_utf8(bytes)
        .err()
        .map_or(0, |e| e.valid_up_to());
    // Non-ASCII UTF-8 before the first bad byte: a damaged UTF-8 file, whatever else it decodes as.
    if !bytes[..valid].is_ascii() {
        return None;
    }
    decode(bytes, TextEncoding::Gb18030)
        .is_ok()
        .then_some(TextEncoding::Gb18030)
}

/// UTF-16 text of Chinese and ASCII has a zero byte in nearly every ASCII character (newlines,
/// digits, YAML keys), on one side of the pair; GB18030 and UTF-8 text has none at all.
fn utf16_by_zeros(bytes: &[u8]) -> Option<TextEncoding> {
    if bytes.len() % 2 != 0 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in bytes.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    // A CJK character's low byte is now and then zero (U+4E00 一): demand a clear majority.
    if odd > 0 && odd >= 4 * even {
        Some(TextEncoding::Utf16Le)
    } else if even > 0 && even >= 4 * odd {
        Some(TextEncoding::Utf16Be)
    } else {
        None
    }
}

/// Reads `bytes` as `named`, or as what they look like when no encoding is named.
pub fn decode_as(
    bytes: &[u8],
    named: Option<TextEncoding>,
) -> Result<(String, Decoded), Malformed> {
    let (encoding, detected) = match named {
        Some(e) => (e, false),
        None => (detect(bytes).unwrap_or(TextEncoding::Utf8), true),
    };
    decode(bytes, encoding).map(|text| (text, Decoded { encoding, detected }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(s: &str, le: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend(if le { [0xff, 0xfe] } else { [0xfe, 0xff] });
        }
        for u in s.encode_utf16() {
            out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        out
    }

    const TEXT: &str = "信息摘编\n2024年 第七期\n新京报 2024-06-19\n一二三\n";

    #[test]
    fn each_encoding_is_detected_and_decoded() {
        let (gb, _, bad) = GB18030.encode(TEXT);
        assert!(!bad);
        let cases = [
            (TEXT.as_bytes().to_vec(), TextEncoding::Utf8),
            (gb.into_owned(), TextEncoding::Gb18030),
            (utf16(TEXT, true, true), TextEncoding::Utf16Le),
            (utf16(TEXT, true, false), TextEncoding::Utf16Le),
            (utf16(TEXT, false, true), TextEncoding::Utf16Be),
            (utf16(TEXT, false, false), TextEncoding::Utf16Be),
        ];
        for (bytes, want) in cases {
            assert_eq!(detect(&bytes), Some(want));
            let (text, how) = decode_as(&bytes, None).expect("decodes");
            assert_eq!(
                (text.as_str(), how.encoding, how.detected),
                (TEXT, want, true)
            );
        }
    }

    #[test]
    fn damaged_utf8_is_not_taken_for_gb18030() {
        // Valid UTF-8 Chinese, then one stray byte: GB18030 may decode it, but that is no reason.
        let mut bytes = "标题：正文\n".as_bytes().to_vec();
        bytes.push(0xb1);
        bytes.push(b'a');
        assert_eq!(detect(&bytes), None);
        let err = decode(&bytes, TextEncoding::Utf8).expect_err("bad byte");
        assert_eq!(err, Malformed { line: 2, column: 1 });
    }

    #[test]
    fn bytes_of_no_encoding_name_none_and_place_the_bad_byte() {
        // 0x80 is the euro sign in GB18030 (as the WHATWG encoding standard reads it), 0xff is
        // no lead byte; the odd length rules UTF-16 out.
        let bytes = b"ok\nab\x80\xff\xff";
        assert_eq!(detect(bytes), None);
        assert_eq!(
            decode(bytes, TextEncoding::Gb18030),
            Err(Malformed { line: 2, column: 4 })
        );
    }

    #[test]
    fn names_on_the_command_line() {
        assert_eq!("GBK".parse(), Ok(TextEncoding::Gb18030));
        assert_eq!("utf_16le".parse(), Ok(TextEncoding::Utf16Le));
        assert!("latin1"
            .parse::<TextEncoding>()
            .unwrap_err()
            .contains("gb18030"));
    }
}
