//! Listing pages: each kind's index, article sections, policy facets, product categories, tags
//! and regions.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use super::cards::*;
use super::finder;
use super::listing::{paginate, Facet};
use super::{Index, Select, Slot};
use crate::model::*;
use crate::urls::href;

#[derive(Debug, Serialize, Hash)]
struct TermsView {
    title: String,
    intro: Option<String>,
    terms: Vec<Term>,
}

/// Counts cards per term and builds one paginated listing per term under `dir`; the terms
/// are listed in the order `sort` puts them.
fn term_pages(
    sel: &Select,
    dir: &str,
    index_title: &str,
    title_of: impl Fn(&str) -> String,
    groups: BTreeMap<String, (String, Vec<Arc<Card>>)>,
    sort: impl Fn(&mut [Term]),
    pages: &mut Vec<Slot>,
) -> Vec<Term> {
    let mut terms = Vec::new();
    for (name, (key, cards)) in groups {
        let term_dir = format!("{dir}{key}/");
        terms.push(Term {
            name: name.clone(),
            url: href(&term_dir),
            count: cards.len(),
        });
        pages.extend(paginate(
            sel,
            &term_dir,
            &title_of(&name),
            None,
            cards,
            Vec::new(),
        ));
    }
    sort(&mut terms);
    let view = TermsView {
        title: index_title.to_string(),
        intro: None,
        terms: terms.clone(),
    };
    pages.push(sel.view(dir.to_string(), "terms.html", &view));
    terms
}

type Groups = BTreeMap<String, (String, Vec<Arc<Card>>)>;

/// Adds `card` to the group `name`, made with `key()` (its URL segment) if new. A listing
/// build adds tens of thousands of cards to a few hundred groups: no allocation per card.
fn add(groups: &mut Groups, name: &str, key: impl FnOnce() -> String, card: Arc<Card>) {
    match groups.get_mut(name) {
        Some(g) => g.1.push(card),
        None => {
            groups.insert(name.to_string(), (key(), vec![card]));
        }
    }
}

pub fn listings(ix: &Index, sel: &Select) -> Vec<Slot> {
    let site = ix.site;
    let mut pages = Vec::new();
    let article_cards: Vec<(&Article, Arc<Card>)> = site
        .articles
        .iter()
        .map(|a| (a, ix.card(Kind::Article, &a.slug)))
        .collect();
    let policy_cards: Vec<(&Policy, Arc<Card>)> = site
        .policies
        .iter()
        .map(|p| (p, ix.card(Kind::Policy, &p.slug)))
        .collect();

    // Articles and their sections.
    let mut sections = BTreeMap::new();
    for (a, c) in &article_cards {
        if let Some(s) = &a.meta.section {
            add(&mut sections, s, || ix.sections.get(s), c.clone());
        }
    }
    let section_terms = term_pages(
        sel,
        "articles/sections/",
        "文章栏目",
        |s| format!("栏目：{s}"),
        sections,
        |_| {},
        &mut pages,
    );
    let facets = vec![Facet {
        name: "栏目".into(),
        url: href("articles/sections/"),
        terms: section_terms,
    }];
    let all: Vec<Arc<Card>> = article_cards.iter().map(|(_, c)| c.clone()).collect();
    pages.extend(paginate(sel, "articles/", "文章", None, all, facets));

    // Policies and their facets.
    let mut levels = BTreeMap::new();
    let mut regions = BTreeMap::new();
    let mut issuers = BTreeMap::new();
    let mut years = BTreeMap::new();
    for (p, c) in &policy_cards {
        let lv = p.meta.level;
        add(
            &mut levels,
            &format!("{}{}", level_order(lv), lv.zh()),
            || lv.slug().to_string(),
            c.clone(),
        );
        if let Some(r) = &p.meta.region {
            add(&mut regions, r, || ix.regions.get(r), c.clone());
        }
        for i in &p.meta.issuers {
            add(&mut issuers, i, || ix.issuers.get(i), c.clone());
        }
        let y = p.meta.date.year().to_string();
        add(&mut years, &y, || y.clone(), c.clone());
    }
    // Levels sort by rank, not by name; the sort prefix is dropped from the label.
    let levels = levels
        .into_iter()
        .map(|(k, v)| (k[1..].to_string(), v))
        .collect::<Vec<_>>();
    let mut level_terms = Vec::new();
    for (name, (key, cards)) in levels {
        let dir = format!("policies/level/{key}/");
        level_terms.push(Term {
            name: name.clone(),
            url: href(&dir),
            count: cards.len(),
        });
        pages.extend(paginate(
            sel,
            &dir,
            &format!("{name}政策"),
            None,
            cards,
            Vec::new(),
        ));
    }
    pages.push(sel.view(
        "policies/level/".into(),
        "terms.html",
        &TermsView {
            title: "政策层级".into(),
            intro: None,
            terms: level_terms.clone(),
        },
    ));
    let region_terms = term_pages(
        sel,
        "policies/region/",
        "政策地区",
        |r| format!("{r}政策"),
        regions,
        |t| by_region(&site.vocab, t),
        &mut pages,
    );
    let issuer_terms = term_pages(
        sel,
        "policies/issuer/",
        "发文机关",
        |i| format!("发文机关：{i}"),
        issuers,
        |t| by_issuer(&site.vocab, t),
        &mut pages,
    );
    let mut year_terms = term_pages(
        sel,
        "policies/year/",
        "政策年份",
        |y| format!("{y}年政策"),
        years,
        |_| {},
        &mut pages,
    );
    year_terms.reverse();
    let facets = vec![
        Facet {
            name: "层级".into(),
            url: href("policies/level/"),
            terms: level_terms,
        },
        Facet {
            name: "地区".into(),
            url: href("policies/region/"),
            terms: region_terms,
        },
        Facet {
            name: "发文机关".into(),
            url: href("policies/issuer/"),
            terms: issuer_terms,
        },
        Facet {
            name: "年份".into(),
            url: href("policies/year/"),
            terms: year_terms,
        },
    ];
    let rows = site.policies.iter().map(|p| finder::row(ix, p)).collect();
    pages.extend(finder::pages(sel, rows, facets));

    // Rankings and books.
    pages.extend(paginate(
        sel,
        "rankings/",
        "企业排行榜",
        None,
        site.rankings
            .iter()
            .map(|r| ix.card(Kind::Ranking, &r.slug))
            .collect(),
        Vec::new(),
    ));
    pages.extend(paginate(
        sel,
        "books/",
        "图书推荐",
        None,
        site.books
            .iter()
            .map(|b| ix.card(Kind::Book, &b.slug))
            .collect(),
        Vec::new(),
    ));

    // Products by category.
    let mut cats = BTreeMap::new();
    for p in &site.products {
        let c = p.meta.category;
        add(
            &mut cats,
            &format!("{}{}", c as u8, c.zh()),
            || c.slug().to_string(),
            ix.card(Kind::Product, &p.slug),
        );
    }
    let mut cat_terms = Vec::new();
    for (name, (key, cards)) in cats {
        let name = name[1..].to_string();
        let dir = format!("products/category/{key}/");
        cat_terms.push(Term {
            name: name.clone(),
            url: href(&dir),
            count: cards.len(),
        });
        pages.extend(paginate(
            sel,
            &dir,
            &format!("金融产品：{name}"),
            None,
            cards,
            Vec::new(),
        ));
    }
    pages.push(sel.view(
        "products/category/".into(),
        "terms.html",
        &TermsView {
            title: "金融产品类别".into(),
            intro: None,
            terms: cat_terms.clone(),
        },
    ));
    let facets = vec![Facet {
        name: "类别".into(),
        url: href("products/category/"),
        terms: cat_terms,
    }];
    pages.extend(paginate(
        sel,
        "products/",
        "金融产品",
        None,
        site.products
            .iter()
            .map(|p| ix.card(Kind::Product, &p.slug))
            .collect(),
        facets,
    ));

    // Tags and regions across kinds.
    let mut tags = BTreeMap::new();
    let mut regions = BTreeMap::new();
    for (a, c) in &article_cards {
        for t in &a.meta.tags {
            add(&mut tags, t, || ix.tags.get(t), c.clone());
        }
        for r in &a.meta.regions {
            add(&mut regions, r, || ix.regions.get(r), c.clone());
        }
    }
    for (p, c) in &policy_cards {
        for t in &p.meta.tags {
            add(&mut tags, t, || ix.tags.get(t), c.clone());
        }
        if let Some(r) = &p.meta.region {
            add(&mut regions, r, || ix.regions.get(r), c.clone());
        }
    }
    for p in &site.products {
        if let Some(r) = &p.meta.region {
            add(
                &mut regions,
                r,
                || ix.regions.get(r),
                ix.card(Kind::Product, &p.slug),
            );
        }
    }
    term_pages(
        sel,
        "tags/",
        "标签",
        |t| format!("标签：{t}"),
        tags,
        |_| {},
        &mut pages,
    );
    term_pages(
        sel,
        "regions/",
        "地区",
        |r| format!("地区：{r}"),
        regions,
        |t| by_region(&site.vocab, t),
        &mut pages,
    );
    pages
}

/// Regions in the vocabulary's order (provinces in the national order, each followed by the
/// regions in it); names it does not hold after them, most used first.
fn by_region(vocab: &Vocab, terms: &mut [Term]) {
    terms.sort_by_cached_key(|t| {
        let rank = vocab.region_rank(&t.name);
        (rank.is_none(), rank, std::cmp::Reverse(t.count))
    });
}

/// Issuers by the rank of their kind (国务院 before 部委 before local bodies), then most used
/// first, then in the vocabulary's order; names it does not hold after them.
fn by_issuer(vocab: &Vocab, terms: &mut [Term]) {
    terms.sort_by_cached_key(|t| {
        let rank = vocab.issuer_rank(&t.name);
        (
            rank.is_none(),
            rank.map(|r| r.0),
            std::cmp::Reverse(t.count),
            rank.map(|r| r.1),
        )
    });
}

/// Sort key putting levels in administrative order (国家 first).
fn level_order(l: Level) -> char {
    match l {
        Level::National => '1',
        Level::Provincial => '2',
        Level::Municipal => '3',
        Level::County => '4',
    }
}
