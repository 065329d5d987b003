//! The parts of a month's digest that are lists of names: the month's bank products by category
//! (the first few of each, then a count and a link) and the articles of an issue that reports
//! no policies (a newspaper's pages).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::*;
use crate::view::item_url;

/// Products of a category listed by name; the rest are counted, with a link.
pub const PRODUCTS_PER_CATEGORY: usize = 3;
/// Articles of an issue listed; the rest are counted, with a link to the issue.
pub const ARTICLES_PER_ISSUE: usize = 10;

#[derive(Debug, Clone, Serialize)]
pub struct Products {
    pub total: usize,
    pub categories: Vec<ProductGroup>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProductGroup {
    pub category: String,
    pub count: usize,
    pub url: String,
    pub items: Vec<ProductEntry>,
    pub more: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProductEntry {
    pub bank: String,
    pub name: String,
    pub url: String,
}

/// The articles of one issue that reports no policies (a newspaper's pages).
#[derive(Debug, Clone, Serialize)]
pub struct ArticleGroup {
    pub issue: String,
    pub url: String,
    pub total: usize,
    pub items: Vec<ArticleEntry>,
    pub more: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleEntry {
    pub title: String,
    pub url: String,
    pub source: String,
    pub date_zh: String,
}

pub(super) fn products(site: &Site, month: Month) -> Option<Products> {
    let mut by: BTreeMap<ProductCategory, Vec<&Product>> = BTreeMap::new();
    for p in site.products.iter().filter(|p| p.month == month) {
        by.entry(p.meta.category).or_default().push(p);
    }
    let total = by.values().map(Vec::len).sum();
    let categories = by
        .into_iter()
        .map(|(c, v)| ProductGroup {
            category: c.zh().to_string(),
            count: v.len(),
            url: crate::urls::href(&format!("products/category/{}/", c.slug())),
            more: v.len().saturating_sub(PRODUCTS_PER_CATEGORY),
            items: v
                .iter()
                .take(PRODUCTS_PER_CATEGORY)
                .map(|p| ProductEntry {
                    bank: p.meta.bank.clone(),
                    name: p.meta.name.clone(),
                    url: item_url(Kind::Product, &p.slug),
                })
                .collect(),
        })
        .collect();
    (total > 0).then_some(Products { total, categories })
}

/// The issues some policy belongs to: made once and asked per article, because asking the
/// policies for every article was quadratic (an hour's work at 100,000 pages).
pub struct PolicyIssues<'a>(std::collections::HashSet<&'a IssueRef>);

impl<'a> PolicyIssues<'a> {
    pub fn of(site: &'a Site) -> PolicyIssues<'a> {
        PolicyIssues(
            site.policies
                .iter()
                .filter_map(|p| p.meta.issue.as_ref())
                .collect(),
        )
    }

    /// Whether `issue` names an issue that no policy belongs to.
    pub fn lack(&self, issue: Option<&IssueRef>) -> bool {
        issue.is_some_and(|i| !self.0.contains(i))
    }
}

pub(super) fn articles(site: &Site, month: Month) -> Vec<ArticleGroup> {
    let mut by: BTreeMap<&IssueRef, Vec<&Article>> = BTreeMap::new();
    let with_policies = PolicyIssues::of(site);
    for a in site.articles.iter().filter(|a| a.month == month) {
        if let Some(i) = a.meta.issue.as_ref() {
            if with_policies.lack(Some(i)) {
                by.entry(i).or_default().push(a);
            }
        }
    }
    by.into_iter()
        .map(|(i, v)| ArticleGroup {
            issue: site
                .issues
                .get(i)
                .map_or_else(|| i.to_string(), |x| x.meta.title.clone()),
            url: crate::urls::href(&crate::view::issue_dir(i)),
            total: v.len(),
            more: v.len().saturating_sub(ARTICLES_PER_ISSUE),
            items: v
                .iter()
                .take(ARTICLES_PER_ISSUE)
                .map(|a| ArticleEntry {
                    title: a.meta.title.clone(),
                    url: item_url(Kind::Article, &a.slug),
                    source: a.meta.source.clone(),
                    date_zh: a.meta.date.zh(),
                })
                .collect(),
        })
        .collect()
}
