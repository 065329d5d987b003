//! A bound on how deeply a template nests, checked before Tera parses it.
//!
//! Tera's parser and renderer recurse once per level of `{% if %}`/`{% for %}`/… and of
//! brackets in an expression; a few thousand levels overflow the stack, which aborts the process
//! (`serve` included) instead of reporting an error. No real template comes near the bound.

use std::collections::BTreeMap;

/// The deepest nesting of tags (`if`, `for`, `block`, `macro`, `filter`) a template may have.
pub const MAX_TAGS: usize = 64;
/// The deepest nesting of `(`, `[` and `{` inside one tag or `{{ … }}`.
pub const MAX_BRACKETS: usize = 64;

/// How deep one page's rendering may go, counting each macro call, include and tag on the way
/// (a debug build crashed at about 260 of them on a 2 MB thread; 128 leaves room).
pub const MAX_RENDER: usize = 128;

/// The deepest rendering `graph` allows, if it is deeper than [`MAX_RENDER`]: its depth and the
/// chain of vertices from where it starts. `graph` maps a vertex to those it calls or includes,
/// each with the tag depth of the call; `own` is each vertex's own deepest tag. The graph has no
/// cycle (refused before).
pub fn deepest_chain<V: Ord + Clone>(
    graph: &BTreeMap<&V, Vec<(V, usize)>>,
    own: &BTreeMap<&V, usize>,
) -> Option<(usize, Vec<V>)> {
    // Depth from each vertex down, and the next vertex on its deepest chain.
    let mut cost: BTreeMap<&V, (usize, Option<&V>)> = BTreeMap::new();
    for &start in graph.keys() {
        // Iterative post-order: a vertex is costed once all it calls are.
        let mut stack = vec![(start, false)];
        while let Some((v, expanded)) = stack.pop() {
            if cost.contains_key(v) {
                continue;
            }
            let succ = graph.get(v).map(Vec::as_slice).unwrap_or(&[]);
            if !expanded {
                stack.push((v, true));
                for (w, _) in succ {
                    if let Some((w, _)) = graph.get_key_value(w) {
                        if !cost.contains_key(w) {
                            stack.push((w, false));
                        }
                    }
                }
                continue;
            }
            let mut best = (own.get(v).copied().unwrap_or(0), None);
            for (w, at) in succ {
                let Some((w, _)) = graph.get_key_value(w) else {
                    continue;
                };
                let down = cost.get(w).map_or(0, |c| c.0);
                if at + 1 + down > best.0 {
                    best = (at + 1 + down, Some(*w));
                }
            }
            cost.insert(v, best);
        }
    }
    let (&top, &(levels, _)) = cost
        .iter()
        .max_by_key(|(v, c)| (c.0, std::cmp::Reverse(**v)))?;
    if levels <= MAX_RENDER {
        return None;
    }
    let mut chain = vec![top.clone()];
    let mut at = top;
    while let Some(&(_, Some(next))) = cost.get(at) {
        chain.push(next.clone());
        at = next;
    }
    Some((levels, chain))
}

/// Where `text` first nests deeper than allowed: (1-based line, column, what).
pub fn too_deep(text: &str) -> Option<(usize, usize, String)> {
    let b = text.as_bytes();
    let mut tags = 0usize;
    let mut i = 0;
    while let Some(open) = find(b, i, b"{") {
        let kind = b.get(open + 1).copied();
        let close: &[u8] = match kind {
            Some(b'%') => b"%}",
            Some(b'{') => b"}}",
            Some(b'#') => b"#}",
            _ => {
                i = open + 1;
                continue;
            }
        };
        let inner_start = open + 2;
        let (inner_end, deepest) = scan_tag(b, inner_start, close);
        if let Some(at) = deepest {
            let msg = format!("brackets nested more than {MAX_BRACKETS} deep");
            return Some(position(text, at, msg));
        }
        i = (inner_end + 2).min(b.len());
        if kind != Some(b'%') {
            continue;
        }
        let inner = String::from_utf8_lossy(&b[inner_start..inner_end.min(b.len())]);
        let word = inner
            .trim_matches(|c: char| c == '-' || c.is_whitespace())
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .next()
            .unwrap_or("");
        match word {
            "raw" => {
                // Everything up to `endraw` is text.
                i = find_word_tag(b, i, "endraw").unwrap_or(b.len());
            }
            "if" | "for" | "block" | "macro" | "filter" => {
                tags += 1;
                if tags > MAX_TAGS {
                    let msg = format!("`{{% {word} %}}` tags nested more than {MAX_TAGS} deep");
                    return Some(position(text, open, msg));
                }
            }
            w if w.starts_with("end") => tags = tags.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The end of a tag's inside (the index of `close`, or the end of the text) and, if its
/// brackets go deeper than [`MAX_BRACKETS`], where. Quoted strings are skipped.
fn scan_tag(b: &[u8], from: usize, close: &[u8]) -> (usize, Option<usize>) {
    let mut depth = 0usize;
    let mut i = from;
    while i < b.len() {
        if b[i..].starts_with(close) {
            return (i, None);
        }
        match b[i] {
            q @ (b'"' | b'\'' | b'`') => {
                i = b[i + 1..]
                    .iter()
                    .position(|&c| c == q)
                    .map_or(b.len(), |p| i + 1 + p);
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_BRACKETS {
                    return (i, Some(i));
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    (b.len(), None)
}

/// The index just past the `{% word … %}` tag at or after `from`.
fn find_word_tag(b: &[u8], mut from: usize, word: &str) -> Option<usize> {
    while let Some(open) = find(b, from, b"{%") {
        let rest = String::from_utf8_lossy(&b[open + 2..(open + 2 + 40).min(b.len())]);
        let end = find(b, open + 2, b"%}")? + 2;
        if rest
            .trim_start_matches(['-', ' ', '\t', '\n'])
            .starts_with(word)
        {
            return Some(end);
        }
        from = end;
    }
    None
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn position(text: &str, at: usize, msg: String) -> (usize, usize, String) {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col, msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_tags_and_brackets_are_found_where_they_go_too_deep() {
        let ifs = |n: usize| {
            format!(
                "a\n{}x{}",
                "{% if true %}".repeat(n),
                "{% endif %}".repeat(n)
            )
        };
        assert_eq!(too_deep(&ifs(MAX_TAGS)), None);
        let (line, col, msg) = too_deep(&ifs(MAX_TAGS + 1)).expect("too deep");
        assert_eq!((line, col), (2, 13 * MAX_TAGS + 1));
        assert!(msg.contains("`{% if %}` tags nested"), "{msg}");
        let parens = |n: usize| format!("{{{{ {}1{} }}}}", "(".repeat(n), ")".repeat(n));
        assert_eq!(too_deep(&parens(MAX_BRACKETS)), None);
        assert_eq!(
            too_deep(&parens(MAX_BRACKETS + 1)).map(|t| (t.0, t.1)),
            Some((1, 4 + MAX_BRACKETS))
        );
    }

    #[test]
    fn siblings_strings_comments_and_raw_do_not_count() {
        let siblings = "{% if a %}x{% endif %}".repeat(1000);
        let strings = format!("{{{{ \"{}\" }}}}", "(".repeat(1000));
        let comment = format!("{{# {} #}}", "{% if %}".repeat(1000));
        let raw = format!("{{% raw %}}{}{{% endraw %}}", "{% if %}".repeat(1000));
        for t in [siblings, strings, comment, raw] {
            assert_eq!(too_deep(&t), None, "{}", &t[..30]);
        }
    }
}
