//! Breadcrumbs: the pages above a page, from its directory alone (首页 › 政策 › 发文机关).
//!
//! A page's ancestors are the prefixes of its directory that are pages of their own, named as
//! the masthead and the listings name them; a prefix that is no page (`issues/<series>/`) is
//! left out. The page itself is not in the trail: `base.html` adds it, marked as the current
//! page, under the name its template gives it. Being a function of the directory, a trail never
//! changes a page's shape (see [`super::select`]).

use super::Link;
use crate::urls::href;

/// The names of the directories that are pages, besides items and terms.
const NAMES: &[(&str, &str)] = &[
    ("issues/", "期刊"),
    ("digest/", "每月摘要"),
    ("policies/", "政策"),
    ("policies/level/", "层级"),
    ("policies/region/", "地区"),
    ("policies/issuer/", "发文机关"),
    ("policies/year/", "年份"),
    ("articles/", "文章"),
    ("articles/sections/", "栏目"),
    ("rankings/", "排行榜"),
    ("books/", "图书推荐"),
    ("products/", "金融产品"),
    ("products/category/", "类别"),
    ("tags/", "标签"),
    ("regions/", "地区"),
    ("search/", "搜索"),
];

/// The pages above `dir` (e.g. `policies/issuer/财政部/`), the home page first. Empty for the
/// home page itself. A listing's later pages (`…/page/2/`) have its first page above them,
/// named `listing` (its title without the page number).
pub fn trail(dir: &str, listing: Option<&str>) -> Vec<Link> {
    if dir.is_empty() {
        return Vec::new();
    }
    let mut out = vec![Link {
        name: "首页".into(),
        url: String::new(),
    }];
    let (base, paged) = match later_page(dir) {
        Some(first) => (first, true),
        None => (dir, false),
    };
    for (i, _) in base.match_indices('/') {
        let prefix = &base[..=i];
        let own = prefix.len() == base.len();
        if own && !paged {
            break;
        }
        let known = NAMES.iter().find(|(d, _)| *d == prefix).map(|(_, n)| *n);
        let name = if own { listing.or(known) } else { known };
        if let Some(name) = name {
            out.push(Link {
                name: name.to_string(),
                url: href(prefix),
            });
        }
    }
    out
}

/// The first page's directory of a listing's later page (`x/page/2/` gives `x/`).
fn later_page(dir: &str) -> Option<&str> {
    let (rest, n) = dir.strip_suffix('/')?.rsplit_once('/')?;
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let first = rest.strip_suffix("page")?;
    (first.is_empty() || first.ends_with('/')).then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &str, listing: Option<&str>) -> Vec<String> {
        trail(dir, listing).into_iter().map(|l| l.name).collect()
    }

    #[test]
    fn ancestors_are_the_prefixes_that_are_pages() {
        assert!(trail("", None).is_empty());
        assert_eq!(names("policies/", None), ["首页"]);
        assert_eq!(names("policies/x/", None), ["首页", "政策"]);
        assert_eq!(
            names("policies/issuer/财政部/", None),
            ["首页", "政策", "发文机关"]
        );
        // No page at issues/<series>/.
        assert_eq!(
            names("issues/xinxi-zhaibian/2024-07/", None),
            ["首页", "期刊"]
        );
        assert_eq!(names("digest/2024-07/", None), ["首页", "每月摘要"]);
    }

    #[test]
    fn later_pages_of_a_listing_have_its_first_page_above_them() {
        assert_eq!(names("policies/page/3/", Some("政策")), ["首页", "政策"]);
        let t = trail("policies/issuer/财政部/page/2/", Some("发文机关：财政部"));
        let got: Vec<(&str, &str)> = t.iter().map(|l| (&*l.name, &*l.url)).collect();
        assert_eq!(got[3].0, "发文机关：财政部");
        assert_eq!(got[3].1, href("policies/issuer/财政部/"));
        assert_eq!(got[0], ("首页", ""));
        // A term that happens to be called `page` is not a later page.
        assert_eq!(names("tags/mypage/", None), ["首页", "标签"]);
        assert_eq!(
            names("tags/mypage/page/2/", Some("标签：mypage")),
            ["首页", "标签", "标签：mypage"]
        );
    }
}
