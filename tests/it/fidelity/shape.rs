//! The shape of the shipped content: rankings, products and 002's appendix.

use super::*;

/// A ranking that holds part of its list does not say in its title that the list is attached
/// (`（附完整榜单）`): the page would say both.
#[test]
pub(super) fn incomplete_rankings_do_not_promise_the_whole_list() {
    let mut failures = Vec::new();
    let items = load_items(&mut failures);
    for item in items.iter().filter(|i| i.kind == "rankings") {
        let complete = matches!(item.meta.get("complete"), Some(Value::Bool(true)));
        let title = field(&item.meta, "title").unwrap_or_default();
        if !complete
            && ["完整榜单", "完整名单", "全部榜单"]
                .iter()
                .any(|w| title.contains(w))
        {
            failures.push(format!(
                "{}: `complete: false` but the title `{title}` promises the whole list",
                item.rel
            ));
        }
    }
    report("incomplete ranking(s) promising the whole list", &failures);
}

/// One product of a bank is one file, even where a bulletin lists it in two tables.
#[test]
pub(super) fn no_product_is_shipped_twice() {
    let mut failures = Vec::new();
    let items = load_items(&mut failures);
    let mut seen: BTreeMap<(String, String, String), &str> = BTreeMap::new();
    for item in items.iter().filter(|i| i.kind == "products") {
        let key = (
            field(&item.meta, "issue").unwrap_or_default(),
            normalize(&field(&item.meta, "bank").unwrap_or_default()),
            normalize(&field(&item.meta, "name").unwrap_or_default()),
        );
        if let Some(first) = seen.insert(key, &item.rel) {
            failures.push(format!(
                "{}: the same bank and product as {first}",
                item.rel
            ));
        }
    }
    report("product(s) shipped twice", &failures);
}

/// 002's appendix is in the content: its regional policies, and its 表8 as a table whose
/// every row names a bank and the time its figures stand at (the fidelity check above traces
/// each figure).
#[test]
pub(super) fn the_appendix_of_002_is_content() {
    let mut failures = Vec::new();
    let items = load_items(&mut failures);
    let in_002 = |i: &&Item| field(&i.meta, "issue").as_deref() == Some("jinrong-zhiyin/2024-05");
    let titles: BTreeSet<String> = items
        .iter()
        .filter(in_002)
        .filter(|i| i.kind == "policies")
        .filter_map(|i| field(&i.meta, "title"))
        .collect();
    for want in [
        "江西省现代设施农业建设贷款贴息试点方案",
        "广西进一步提高创业担保贷款额度",
    ] {
        assert!(titles.contains(want), "no policy `{want}` in 002's content");
    }
    let table = items
        .iter()
        .filter(in_002)
        .find(|i| field(&i.meta, "title").as_deref() == Some("部分银行小微信贷业务规模动态"))
        .expect("002's 表8 as an article");
    let rows: Vec<Vec<&str>> = table
        .body
        .lines()
        .filter(|l| l.starts_with('|') && !l.contains("---"))
        .map(|l| l.trim_matches('|').split('|').map(str::trim).collect())
        .collect();
    assert_eq!(rows[0], ["银行名称", "截至", "小微信贷业务发展情况"]);
    assert_eq!(rows.len() - 1, 8, "表8's eight banks");
    for r in &rows[1..] {
        assert!(
            !r[0].is_empty() && !r[1].is_empty() && !r[2].is_empty(),
            "{r:?}"
        );
    }
    report("content error(s) reading 002's appendix", &failures);
}
