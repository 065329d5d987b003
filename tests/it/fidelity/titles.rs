//! Titles keep only the spaces their bulletin prints.

use super::*;

/// A character around which a space in a title is a break in Chinese text, not between words
/// (digits and Latin letters keep their spaces: `2030 年`, `OpenAI 对`).
pub(super) fn cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9FFF}' | '"' | '《' | '》' | '(' | ')')
}

/// Each space of `title` between two CJK characters, as (text before it, folded and without
/// whitespace).
pub(super) fn cjk_spaces(title: &str) -> Vec<String> {
    let chars: Vec<char> = title.chars().map(fold_char).collect();
    let mut out = Vec::new();
    for (i, c) in chars.iter().enumerate() {
        if c.is_whitespace() && i > 0 {
            let next = chars[i..].iter().find(|c| !c.is_whitespace());
            if cjk(chars[i - 1]) && next.is_some_and(|n| cjk(*n)) && !chars[i - 1].is_whitespace() {
                out.push(chars[..i].iter().filter(|c| !c.is_whitespace()).collect());
            }
        }
    }
    out
}

/// Where `title` occurs within one line of `raw`: for each occurrence, the set of prefixes
/// (folded, no whitespace) after which the line has whitespace.
pub(super) fn spaced_occurrences(raw: &str, title: &str) -> Vec<BTreeSet<String>> {
    let want: Vec<char> = normalize(title).chars().collect();
    let mut found = Vec::new();
    if want.is_empty() {
        return found;
    }
    for line in raw.lines() {
        let chars: Vec<char> = line.chars().map(fold_char).collect();
        for start in 0..chars.len() {
            let (mut i, mut k) = (start, 0);
            let mut spaces = BTreeSet::new();
            while i < chars.len() && k < want.len() {
                if chars[i].is_whitespace() {
                    if k > 0 {
                        spaces.insert(want[..k].iter().collect::<String>());
                    }
                } else if chars[i] == want[k] {
                    k += 1;
                } else {
                    break;
                }
                i += 1;
            }
            if k == want.len() && !chars[start].is_whitespace() {
                found.push(spaces);
            }
        }
    }
    found
}

/// A space inside a title between Chinese characters is the bulletin's only where every
/// one-line occurrence of the title in it (the heading and the table of contents) has it:
/// a space the heading has and the contents line has not is where the extracted line broke
/// (`供应链 金融服务`).
#[test]
pub(super) fn titles_keep_only_the_spaces_their_bulletin_prints() {
    let mut failures = Vec::new();
    let items = load_items(&mut failures);
    let mapped = map_items(&items, &mut failures);
    let raws: BTreeMap<&str, String> = BULLETINS
        .iter()
        .map(|&(id, file, _)| {
            let p = manifest_dir().join("tests/fixtures/bulletins").join(file);
            (id, std::fs::read_to_string(p).expect("bulletin"))
        })
        .collect();
    for (item, ids) in &mapped {
        let Some(title) = field(&item.meta, "title").or_else(|| field(&item.meta, "name")) else {
            continue;
        };
        let spaces = cjk_spaces(&title);
        if spaces.is_empty() {
            continue;
        }
        let occurrences: Vec<BTreeSet<String>> = ids
            .iter()
            .flat_map(|id| spaced_occurrences(&raws[id], &title))
            .collect();
        for at in &spaces {
            if !occurrences.is_empty() && occurrences.iter().any(|o| !o.contains(at)) {
                failures.push(format!(
                    "{}: the space after `{at}` in `{title}` is a line break of the bulletin: \
                     another line prints the title without it",
                    item.rel
                ));
            }
        }
    }
    report("title(s) with a line-break space", &failures);
}
