//! The policy finder (`policies/`) in a real browser, against the policies computed here from
//! the content files (tests/it/search.rs reads them): every filter alone, filters combined,
//! several values of one filter, a keyword, sorting both ways, the address restoring the state,
//! the counts beside each value; the page without JavaScript; table and cards; axe. The type
//! filter (类型) has no facet pages: it exists only in the browser.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::search::{expected, hrefs, items, pct, tools, Browser, Item, Rng, Server};
use crate::support::TestSite;

/// The policies matching `q` and every filter of `filters` (one of a filter's values suffices),
/// as the finder lists them: newest first (or oldest first), the same day by address.
fn want<'a>(items: &'a [Item], q: &str, filters: &[(&str, &str)], old: bool) -> Vec<&'a str> {
    let matching = expected(items, q);
    let mut out: Vec<&Item> = items
        .iter()
        .filter(|i| i.kind == "policies" && matching.contains(i.url.as_str()))
        .filter(|i| {
            let names: BTreeSet<&str> = filters.iter().map(|f| f.0).collect();
            names.into_iter().all(|name| {
                let have = values(i, name);
                filters
                    .iter()
                    .any(|(n, v)| *n == name && have.iter().any(|h| h == v))
            })
        })
        .collect();
    out.sort_by(|a, b| {
        let by_date = if old {
            a.date.cmp(&b.date)
        } else {
            b.date.cmp(&a.date)
        };
        by_date.then_with(|| a.url.cmp(&b.url))
    });
    out.into_iter().map(|i| i.url.as_str()).collect()
}

fn values(i: &Item, name: &str) -> Vec<String> {
    match name {
        "level" => i.level.iter().cloned().collect(),
        "region" => i.regions.clone(),
        "issuer" => i.issuers.clone(),
        "type" => i.doc_type.iter().cloned().collect(),
        "year" => vec![i.date[..4].to_string()],
        _ => Vec::new(),
    }
}

fn address(q: &str, filters: &[(&str, &str)], old: bool) -> String {
    let mut parts = Vec::new();
    if !q.is_empty() {
        parts.push(format!("q={}", pct(q)));
    }
    for (n, v) in filters {
        parts.push(format!("{n}={}", pct(v)));
    }
    if old {
        parts.push("sort=old".into());
    }
    format!("policies/?{}", parts.join("&"))
}

/// The finder shows exactly `want`, in order: the first 30 rows, and every row of answers up
/// to 150 after 显示更多; the total too.
#[track_caller]
fn check(b: &mut Browser, base: &str, want: &[&str], what: &str, a: &Value) {
    assert_eq!(
        a["total"].as_u64(),
        Some(want.len() as u64),
        "{what}: total; {a}"
    );
    let got = hrefs(base, a);
    let n = want.len().min(30);
    assert_eq!(got, want[..n], "{what}: the first rows");
    if want.len() > 30 && want.len() <= 150 {
        let all = b.ask("rows");
        assert_eq!(hrefs(base, &all), want, "{what}: every row");
    }
}

/// The count beside each value of each filter is the number of policies matching the keyword
/// and the other filters that have that value.
#[track_caller]
fn counts(items: &[Item], q: &str, filters: &[(&str, &str)], a: &Value) {
    for facet in a["facets"].as_array().expect("facets") {
        let name = facet["name"].as_str().expect("name");
        let others: Vec<(&str, &str)> = filters.iter().copied().filter(|f| f.0 != name).collect();
        let pool = want(items, q, &others, false);
        for o in facet["options"].as_array().expect("options") {
            let value = o[0].as_str().expect("value");
            let n = pool
                .iter()
                .filter(|u| {
                    let it = items.iter().find(|i| i.url == **u).expect("item");
                    values(it, name).iter().any(|v| v == value)
                })
                .count();
            let label = o[1].as_str().expect("label");
            assert!(
                label.ends_with(&format!("（{n}）")),
                "`{q}` {filters:?}: {name}={value} shows {label}, expected {n}"
            );
        }
    }
}

#[test]
fn the_policy_finder_filters_sorts_and_keeps_its_state_in_the_address() {
    if !tools() {
        return;
    }
    let site = TestSite::shipped();
    let items = items(site.root());
    let server = Server::start(&site);
    let base = server.base.clone();
    let mut b = Browser::open(&base);
    let mut rng = Rng(0x00f1_d3e5);
    let policies: Vec<&Item> = items.iter().filter(|i| i.kind == "policies").collect();
    assert!(
        policies.len() > 60,
        "the shipped content has policies to find"
    );

    // Without a filter: every policy, newest first, as the served page lists them.
    let a = b.ask("finder policies/");
    check(
        &mut b,
        &base,
        &want(&items, "", &[], false),
        "no filter",
        &a,
    );
    counts(&items, "", &[], &a);
    assert_eq!(a["sort"], "descending");

    // Each filter alone: a few values each, from the content files.
    for name in ["level", "region", "issuer", "type", "year"] {
        let all: BTreeSet<String> = policies.iter().flat_map(|i| values(i, name)).collect();
        let all: Vec<String> = all.into_iter().collect();
        for _ in 0..3 {
            let v = all[rng.below(all.len())].as_str();
            let f = [(name, v)];
            let a = b.ask(&format!("finder {}", address("", &f, false)));
            check(
                &mut b,
                &base,
                &want(&items, "", &f, false),
                &format!("{name}={v}"),
                &a,
            );
            counts(&items, "", &f, &a);
        }
    }

    // Two types at once widen; with a keyword, the count of each type is that of the keyword.
    let types: BTreeSet<String> = policies.iter().flat_map(|i| values(i, "type")).collect();
    let types: Vec<&str> = types.iter().map(String::as_str).collect();
    assert!(
        types.len() > 5,
        "the shipped policies have types: {types:?}"
    );
    let f = [("type", types[0]), ("type", types[types.len() - 1])];
    let a = b.ask(&format!("finder {}", address("", &f, false)));
    check(&mut b, &base, &want(&items, "", &f, false), "two types", &a);
    counts(&items, "", &f, &a);
    let f = [("type", types[1]), ("level", "national")];
    let a = b.ask(&format!("finder {}", address("发展", &f, true)));
    check(
        &mut b,
        &base,
        &want(&items, "发展", &f, true),
        "type, level, keyword",
        &a,
    );
    counts(&items, "发展", &f, &a);
    assert!(
        a["facets"]
            .as_array()
            .expect("facets")
            .iter()
            .any(|f| f["name"] == "type"),
        "a type filter: {a}"
    );

    // Combined, with several values of one filter, with a keyword, oldest first.
    for round in 0..12 {
        let p = policies[rng.below(policies.len())];
        let mut f: Vec<(&str, String)> = Vec::new();
        for name in ["level", "region", "issuer", "type", "year"] {
            if rng.below(2) == 0 {
                if let Some(v) = values(p, name).first() {
                    f.push((name, v.clone()));
                }
            }
        }
        if round % 3 == 0 {
            let other = policies[rng.below(policies.len())];
            if let Some(v) = other.issuers.first() {
                f.push(("issuer", v.clone()));
            }
        }
        let f: Vec<(&str, &str)> = f.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let q = if round % 2 == 0 {
            // A piece of this policy's title: it matches at least this one.
            let t: Vec<char> = p.fields[0].chars().collect();
            let start = rng.below(t.len().saturating_sub(3));
            t[start..(start + 3).min(t.len())]
                .iter()
                .collect::<String>()
        } else {
            String::new()
        };
        let old = round % 4 == 1;
        let a = b.ask(&format!("finder {}", address(&q, &f, old)));
        let what = format!("`{q}` {f:?} old={old}");
        check(&mut b, &base, &want(&items, &q, &f, old), &what, &a);
        counts(&items, &q, &f, &a);
    }

    // The controls: ticking a value filters and goes into the address; a second value of
    // the same filter widens; sorting reverses; the address alone restores it all.
    let a = b.ask("finder policies/");
    let issuers = a["facets"]
        .as_array()
        .expect("facets")
        .iter()
        .find(|f| f["name"] == "issuer")
        .expect("an issuer filter")
        .clone();
    let opts = issuers["options"].as_array().expect("options");
    assert!(
        opts.iter().skip(12).all(|o| o[3] == true) && opts.iter().take(12).all(|o| o[3] == false),
        "the top 12 issuers show, the rest behind 更多…"
    );
    let counts_of: Vec<u64> = opts
        .iter()
        .map(|o| {
            let l = o[1].as_str().expect("label");
            let n = l.rsplit('（').next().expect("count").trim_end_matches('）');
            n.parse().expect("a number")
        })
        .collect();
    assert!(
        counts_of.windows(2).all(|w| w[0] >= w[1]),
        "issuers by count: {counts_of:?}"
    );
    let first = opts[0][0].as_str().expect("value").to_string();
    let second = opts[1][0].as_str().expect("value").to_string();
    let a = b.ask(&format!(r#"tick ["issuer","{first}"]"#));
    check(
        &mut b,
        &base,
        &want(&items, "", &[("issuer", &first)], false),
        "ticked",
        &a,
    );
    let a = b.ask(&format!(r#"tick ["issuer","{second}"]"#));
    let both = [("issuer", first.as_str()), ("issuer", second.as_str())];
    check(
        &mut b,
        &base,
        &want(&items, "", &both, false),
        "two issuers",
        &a,
    );
    let a = b.ask("sort");
    check(
        &mut b,
        &base,
        &want(&items, "", &both, true),
        "sorted oldest first",
        &a,
    );
    assert_eq!(a["sort"], "ascending");
    let url = a["url"].as_str().expect("url").to_string();
    assert!(
        url.contains("sort=old") && url.matches("issuer=").count() == 2,
        "{url}"
    );
    let again = b.ask(&format!(
        "finder {}",
        url.strip_prefix(&base).expect("in site")
    ));
    assert_eq!(
        again["hrefs"], a["hrefs"],
        "the address restores the finder"
    );
    let v = b.ask("axe");
    assert_eq!(v["violations"], serde_json::json!([]), "axe on the finder");

    // Without JavaScript: the newest policies as links, and every filter as plain links to
    // the facet pages (which exist).
    let plain = b.ask("nojs policies/");
    let first_page: Vec<&str> = want(&items, "", &[], false).into_iter().take(30).collect();
    assert_eq!(hrefs(&base, &plain), first_page, "the served table");
    let links = plain["links"].as_array().expect("links");
    for name in ["level", "region", "issuer", "year"] {
        let dir = format!("policies/{name}/");
        assert!(
            links
                .iter()
                .any(|l| l.as_str().unwrap_or("").contains(&dir)),
            "a plain link into {dir}"
        );
    }
    for l in links {
        let rel = l
            .as_str()
            .expect("href")
            .strip_prefix(&base)
            .expect("in site");
        let rel = percent_encoding::percent_decode_str(rel)
            .decode_utf8_lossy()
            .into_owned();
        assert!(
            site.out().join(&rel).join("index.html").is_file(),
            "{rel} exists"
        );
    }

    // A table on a wide screen with the filters beside it; cards on a phone.
    let wide = b.ask("viewport [1280,800]");
    assert_eq!(wide["rowDisplay"], "table-row");
    assert_eq!(wide["filtersBeside"], true);
    let phone = b.ask("viewport [375,740]");
    assert_eq!(phone["rowDisplay"], "block", "rows become cards");
    assert!(
        phone["width"].as_u64().unwrap_or(9999) <= 375,
        "no sideways scrolling: {phone}"
    );
    let v = b.ask("axe");
    assert_eq!(
        v["violations"],
        serde_json::json!([]),
        "axe on the finder, phone width"
    );
}
