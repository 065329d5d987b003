//! Page paths and links: where each page is written and how other pages link to it.
//!
//! Output paths keep names as they are (Chinese included); links percent-encode them. Names
//! that only differ in punctuation or case get distinct keys, so no two terms share a page.

use std::collections::{BTreeMap, BTreeSet};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

const PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

/// A link to a site-relative directory path (`policies/x/`), percent-encoded.
pub fn href(dir: &str) -> String {
    utf8_percent_encode(dir, PATH).to_string()
}

/// The file a directory path is written to: `policies/x/` -> `policies/x/index.html`.
pub fn file_for(dir: &str) -> String {
    format!("{dir}index.html")
}

/// The relative prefix from a page at `dir` back to the site root: `a/b/` -> `../../`.
pub fn root_from(dir: &str) -> String {
    "../".repeat(dir.matches('/').count())
}

/// Assigns each distinct name a URL path segment. The segment keeps letters and digits of every
/// script (so 公式 and 公示 stay apart) and turns anything else into `-`; two names that would
/// still collide get a stable suffix.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Keys(BTreeMap<String, String>);

impl Keys {
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let names: BTreeSet<&str> = names.into_iter().collect();
        let mut by_base: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for n in &names {
            by_base.entry(segment(n)).or_default().push(n);
        }
        let mut map = BTreeMap::new();
        for (base, group) in by_base {
            if group.len() == 1 {
                map.insert(group[0].to_string(), base);
            } else {
                for n in group {
                    map.insert(n.to_string(), format!("{base}-{:08x}", fnv(n)));
                }
            }
        }
        Keys(map)
    }

    /// Whether every name both sets know has the same segment in each.
    pub fn same_where_shared(&self, other: &Keys) -> bool {
        self.0
            .iter()
            .all(|(name, key)| other.0.get(name).is_none_or(|k| k == key))
    }

    /// The segment for a name this set was built with.
    pub fn get(&self, name: &str) -> String {
        self.0.get(name).cloned().unwrap_or_else(|| segment(name))
    }
}

fn segment(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        format!("n{:08x}", fnv(name))
    } else if out.len() > MAX_SEGMENT {
        // File systems allow 255 bytes per name (a CJK character takes 3): keep the start,
        // readable, and make the name unique by a hash of the whole.
        let mut cut = MAX_SEGMENT - 9;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        format!("{}-{:08x}", out[..cut].trim_end_matches('-'), fnv(name))
    } else {
        out
    }
}

/// The longest URL segment, in bytes: well under the 255 a file name may have, leaving room
/// for a collision suffix.
const MAX_SEGMENT: usize = 120;

/// FNV-1a: a tiny stable hash (std's hasher is randomised per run).
fn fnv(s: &str) -> u32 {
    let mut h: u32 = 0x811c9dc5;
    for b in s.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x01000193);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn homophones_stay_apart() {
        let k = Keys::new(["公式", "公示"]);
        assert_ne!(k.get("公式"), k.get("公示"));
        assert_eq!(k.get("公式"), "公式");
    }

    #[test]
    fn punctuation_collisions_get_suffixes() {
        let k = Keys::new(["A B", "a-b", "../etc"]);
        assert_ne!(k.get("A B"), k.get("a-b"));
        assert_eq!(k.get("../etc"), "etc");
    }

    #[test]
    fn long_names_are_shortened_stably_and_apart() {
        let long = "长".repeat(100);
        let other = format!("{}短", "长".repeat(99));
        let k = Keys::new([long.as_str(), other.as_str()]);
        let (a, b) = (k.get(&long), k.get(&other));
        assert!(a.len() <= MAX_SEGMENT && b.len() <= MAX_SEGMENT, "{a} {b}");
        assert_ne!(a, b);
        assert_eq!(a, Keys::new([long.as_str()]).get(&long));
        assert!(a.starts_with("长长长"));
    }

    #[test]
    fn links_and_roots() {
        assert_eq!(href("tags/公式/"), "tags/%E5%85%AC%E5%BC%8F/");
        assert_eq!(root_from("a/b/"), "../../");
        assert_eq!(root_from(""), "");
    }
}
