//! Every item traceable to its bulletin; every bulletin and article accounted for; and the
//! matching rules themselves.

use super::*;

#[test]
pub(super) fn content_is_traceable_to_its_bulletin() {
    let bulletins = load_bulletins();
    let mut failures = Vec::new();
    let items = load_items(&mut failures);
    let mapped = map_items(&items, &mut failures);
    let mut checker = Checker {
        bulletins: &bulletins,
        failures,
    };
    for (item, ids) in &mapped {
        checker.check(item, ids);
    }
    report(
        "fidelity violation(s) in content/ (see tests/it/fidelity.rs)",
        &checker.failures,
    );
}

#[test]
pub(super) fn every_bulletin_has_content() {
    let mut failures = Vec::new();
    let items = load_items(&mut failures);
    let mapped = map_items(&items, &mut failures);
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (item, ids) in &mapped {
        if item.kind != "issues" {
            for id in ids {
                *seen.entry(id).or_default() += 1;
            }
        }
    }
    let missing: Vec<String> = BULLETINS
        .iter()
        .filter(|(id, _, _)| !seen.contains_key(id))
        .map(|(id, file, _)| format!("bulletin {id} ({file}) has no item in content/"))
        .collect();
    report("bulletin(s) without content", &missing);
}

#[test]
pub(super) fn every_article_has_a_source() {
    let mut failures = Vec::new();
    let items = load_items(&mut failures);
    for item in items.iter().filter(|i| i.kind == "articles") {
        match field(&item.meta, "source") {
            Some(s) if !s.trim().is_empty() => {}
            _ => failures.push(format!("{}: field `source` is missing or empty", item.rel)),
        }
    }
    report("article(s) without a source", &failures);
}

/// Words by which a ranking's summary says that the full list is in the source.
pub(super) const POINTS_TO_SOURCE: &[&str] = &[
    "原文",
    "来源",
    "详见",
    "全文",
    "完整榜单",
    "完整名单",
    "全部榜单",
    "见原",
];

#[test]
pub(super) fn incomplete_rankings_point_to_their_source() {
    let mut failures = Vec::new();
    let items = load_items(&mut failures);
    for item in items.iter().filter(|i| i.kind == "rankings") {
        let complete = matches!(item.meta.get("complete"), Some(Value::Bool(true)));
        if complete {
            continue;
        }
        let has_url = field(&item.meta, "url").is_some_and(|u| !u.trim().is_empty());
        let summary = field(&item.meta, "summary").unwrap_or_default();
        let says_so = POINTS_TO_SOURCE.iter().any(|w| summary.contains(w));
        if !has_url && !says_so {
            failures.push(format!(
                "{}: `complete: false` but neither a `url` nor a `summary` saying the full list is in the source",
                item.rel
            ));
        }
    }
    report(
        "incomplete ranking(s) without a pointer to the source",
        &failures,
    );
}

#[test]
pub(super) fn fidelity_matching_rules() {
    assert_eq!(
        normalize("前11个月 我国（集成电路）：１．５"),
        "前11个月我国(集成电路):1.5"
    );
    assert_eq!(
        number_tokens("增长33%，共2000家，1.5倍，06月"),
        ["33", "2000", "1.5", "6"]
    );
    assert!(contains_bounded("2024年6月19日", "6月19日"));
    assert!(!contains_bounded("2024年16月19日", "6月19日"));
    assert!(!contains_bounded("6月190日", "6月19日"));
    let sample = "新京报 2024-06-19 …… 7月2日 2024.05.03 2023年 8 月 1 日 2022年3月";
    let b = Bulletin {
        id: "x",
        file: "x.txt",
        year: 2025,
        norm: normalize(sample),
        marked: normalize_marked(sample),
        numbers: number_tokens("2024 2025").into_iter().collect(),
        pages: BTreeSet::new(),
    };
    assert_eq!(b.id, "x");
    assert!(b.has_date(2024, 6, 19));
    assert!(b.has_date(2024, 5, 3));
    assert!(b.has_date(2023, 8, 1));
    assert!(
        b.has_date(2024, 7, 2),
        "6月19日-style with the year in the text"
    );
    assert!(b.has_date(2025, 7, 2), "with the bulletin's own year");
    assert!(!b.has_date(2021, 7, 2));
    assert!(!b.has_date(2024, 6, 18));
    assert!(b.has_month(2022, 3));
    assert!(b.has_month(2024, 6));
    assert!(!b.has_month(2021, 3));
}
