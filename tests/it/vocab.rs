//! The vocabularies of `content/vocab/` end to end with the real binary: aliases shown and
//! linked under their canonical names on pages, facets and in the digest; short names of local
//! departments resolved by the item's region; facet order; page addresses that do not move when
//! an alias is added; meetings and drafts labelled as such.

use std::path::Path;

use crate::support::SiteTest;

const REGIONS: &str = "regions:\n- {name: 北京市, aliases: [北京], level: 省级}\n- {name: 上海市, aliases: [上海], level: 省级}\n- {name: 福建省, aliases: [福建], level: 省级}\n- {name: 福州市, level: 地级, parent: 福建省}\n- {name: 广东省, aliases: [广东], level: 省级}\n";
const ISSUERS: &str = "issuers:\n- {name: 国务院, kind: 国务院}\n- {name: 工业和信息化部, aliases: [工信部], kind: 部委}\n- {name: 财政部, kind: 部委}\n- {name: 福建省财政厅, kind: 地方部门, region: 福建省, short: [省财政厅]}\n";

fn policy(site: &SiteTest, slug: &str, front: &str) {
    site.write(
        &format!("content/policies/p/{slug}.md"),
        &format!("---\ntitle: 关于{slug}的通知\ndate: 2024-06-19\nlevel: 省级\nsummary: 摘要。\n{front}---\n正文。\n"),
    );
}

/// Three bodies and three regions, each ordered differently by rank, by count and by code
/// point, so only the vocabulary's order passes.
fn site() -> SiteTest {
    let site = SiteTest::new();
    site.write("content/vocab/regions.yaml", REGIONS)
        .write("content/vocab/issuers.yaml", ISSUERS);
    policy(&site, "a", "issuers: [省财政厅, 财政部]\nregion: 福建\n");
    policy(&site, "b", "issuers: [省财政厅, 财政部]\nregion: 福州市\n");
    policy(&site, "c", "issuers: [省财政厅, 财政部]\nregion: 福建省\n");
    policy(
        &site,
        "d",
        "issuers: [国务院, 工信部]\nregion: 上海\ndoc_type: 会议\n",
    );
    policy(
        &site,
        "e",
        "issuers: [工业和信息化部]\nregion: 广东\nstatus: 征求意见稿\n",
    );
    policy(&site, "f", "issuers: []\nregion: 北京\n");
    site.write(
        "content/articles/a/2024-06-19-x.md",
        "---\ntitle: 报道\ndate: 2024-06-19\nsource: 新京报\nregions: [上海]\npolicies: [d]\n---\n正文。\n",
    );
    site
}

fn exists(site: &SiteTest, rel: &str) -> bool {
    site.out().join(rel).exists()
}

/// The names of a terms page's links, in order.
fn term_names(html: &str) -> Vec<String> {
    let list = html
        .split("<ul class=\"terms-list\">")
        .nth(1)
        .unwrap_or(html);
    let list = list.split("</ul>").next().unwrap_or(list);
    list.split("</a>")
        .filter_map(|s| s.rsplit('>').next())
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn aliases_and_short_names_become_canonical_names_everywhere() {
    let site = site();
    site.build().ok();
    for page in [
        "policies/issuer/工业和信息化部/index.html",
        "policies/issuer/福建省财政厅/index.html",
        "policies/region/上海市/index.html",
        "policies/region/福建省/index.html",
        "regions/上海市/index.html",
    ] {
        assert!(exists(&site, page), "{page}");
    }
    for gone in [
        "policies/issuer/工信部",
        "policies/issuer/省财政厅",
        "policies/region/上海",
        "policies/region/福建",
        "regions/上海",
    ] {
        assert!(!exists(&site, gone), "an alias got a page: {gone}");
    }
    // 福建 and 福建省 are one page: both policies in it.
    let fujian = site.read("policies/region/福建省/index.html");
    assert!(
        fujian.contains("关于a的通知") && fujian.contains("关于c的通知"),
        "{fujian}"
    );
    let d = site.read("policies/d/index.html");
    assert!(
        d.contains(">工业和信息化部</a>") && !d.contains("工信部"),
        "{d}"
    );
    assert!(
        d.contains("issuer/%E5%B7%A5%E4%B8%9A%E5%92%8C%E4%BF%A1%E6%81%AF%E5%8C%96%E9%83%A8/"),
        "{d}"
    );
    let b = site.read("policies/b/index.html");
    assert!(
        b.contains(">福建省财政厅</a>") && !b.contains(">省财政厅</a>"),
        "{b}"
    );
    let article = site.read("articles/2024-06-19-x/index.html");
    assert!(article.contains(">上海市</a>"), "{article}");
    let index = site.read("policies/index.html");
    assert!(
        !index.contains("工信部") && !index.contains(">上海<"),
        "{index}"
    );

    let out = site.root().join("d");
    site.run(&["digest", "2024-06", "--out", out.to_str().expect("utf8")])
        .ok();
    let text = std::fs::read_to_string(out.join("email.txt")).expect("email.txt");
    assert!(text.contains("国务院、工业和信息化部"), "{text}");
    assert!(text.contains("福建省财政厅、财政部"), "{text}");
    assert!(
        !text.contains("工信部") && !text.contains("\n省财政厅"),
        "{text}"
    );
    assert!(text.contains("关于e的通知（征求意见稿）"), "{text}");
}

#[test]
fn facets_follow_the_vocabulary_not_code_points() {
    let site = site();
    site.build().ok();
    let regions = term_names(&site.read("policies/region/index.html"));
    // Code point order would be 上海市, 北京市, 广东省, 福州市, 福建省.
    assert_eq!(
        regions,
        ["北京市", "上海市", "福建省", "福州市", "广东省"],
        "{regions:?}"
    );
    let issuers = term_names(&site.read("policies/issuer/index.html"));
    // By count 福建省财政厅 (3) would lead; by code point 国务院, 工业和信息化部, 福建省财政厅, 财政部.
    assert_eq!(
        issuers,
        ["国务院", "财政部", "工业和信息化部", "福建省财政厅"],
        "{issuers:?}"
    );
    // The search page and the finder list their filter values in the index's order: the
    // vocabulary's, never code points (their scripts reorder only issuers, by count).
    let manifest: serde_json::Value =
        serde_json::from_str(&site.read("search/index.json")).expect("index.json");
    let names = |key: &str| -> Vec<String> {
        manifest[key]
            .as_array()
            .expect("a list")
            .iter()
            .map(|v| v.as_str().expect("a name").to_string())
            .collect()
    };
    assert_eq!(
        names("regions"),
        ["北京市", "上海市", "福建省", "福州市", "广东省"]
    );
    // Issuers by kind of body, then the file's order (the script puts the most used first).
    assert_eq!(
        names("issuers"),
        ["国务院", "工业和信息化部", "财政部", "福建省财政厅"]
    );
}

#[test]
fn adding_an_alias_moves_no_page() {
    let site = site();
    site.build().ok();
    let before = crate::support::snapshot_dir(&site.out());
    // New aliases, and an item written with one: same pages at the same addresses.
    site.write(
        "content/vocab/regions.yaml",
        &REGIONS.replace("aliases: [上海]", "aliases: [上海, 沪]"),
    );
    site.write(
        "content/vocab/issuers.yaml",
        &ISSUERS.replace("aliases: [工信部]", "aliases: [工信部, 工业部, 中国工信部]"),
    );
    policy(
        &site,
        "d",
        "issuers: [国务院, 中国工信部]\nregion: 沪\ndoc_type: 会议\n",
    );
    site.build().ok();
    let after = crate::support::snapshot_dir(&site.out());
    let pages = |m: &std::collections::BTreeMap<String, Vec<u8>>| {
        m.keys()
            .filter(|k| k.ends_with(".html"))
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(pages(&before), pages(&after));
    for (file, bytes) in &before {
        if file.ends_with(".html") {
            assert_eq!(Some(bytes), after.get(file), "{file} changed");
        }
    }
}

#[test]
fn meetings_and_drafts_say_what_they_are() {
    let site = site();
    site.build().ok();
    let d = site.read("policies/d/index.html");
    assert!(
        d.contains("<dt>召开单位</dt>") && !d.contains("发文机关"),
        "{d}"
    );
    assert!(d.contains("<dt>类型</dt><dd>会议</dd>"), "{d}");
    let e = site.read("policies/e/index.html");
    assert!(
        e.contains("<span class=\"flag\">征求意见稿</span></h1>"),
        "{e}"
    );
    assert!(e.contains("<dt>状态</dt><dd>征求意见稿</dd>"), "{e}");
    let card = site.read("policies/region/广东省/index.html");
    assert!(
        card.contains("关于e的通知<span class=\"flag\">征求意见稿</span></a>"),
        "{card}"
    );
    // The source names no body: said so, and the region stands in on the card.
    let f = site.read("policies/f/index.html");
    assert!(f.contains("<dt>发文机关</dt><dd>原文未载明</dd>"), "{f}");
    let list = site.read("policies/region/北京市/index.html");
    assert!(
        list.contains("<span class=\"byline\"><span class=\"name\">北京市</span></span>"),
        "{list}"
    );
}

#[test]
fn without_vocabularies_names_are_taken_as_written() {
    let site = SiteTest::new();
    policy(&site, "a", "issuers: [省财政厅, 财政部]\nregion: 福建\n");
    site.run(&["check"]).ok();
    site.build().ok();
    assert!(Path::new(&site.out().join("policies/issuer/省财政厅/index.html")).exists());
}

/// The vocabularies read on their own (serde_yaml, not the crate's loader), for tests that
/// compute what a page or the search index must show: the canonical name of what an item wrote.
#[derive(Default)]
pub struct Canon {
    regions: std::collections::HashMap<String, (String, Option<String>)>,
    issuers: std::collections::HashMap<String, String>,
    /// (canonical region, short name) -> canonical issuer
    short: std::collections::HashMap<(String, String), String>,
}

impl Canon {
    pub fn read(root: &Path) -> Canon {
        let load = |f: &str| -> serde_yaml::Value {
            std::fs::read_to_string(root.join("content/vocab").join(f))
                .map(|t| serde_yaml::from_str(&t).expect("vocab yaml"))
                .unwrap_or(serde_yaml::Value::Null)
        };
        let strs = |v: &serde_yaml::Value, k: &str| -> Vec<String> {
            v[k].as_sequence()
                .into_iter()
                .flatten()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        };
        let mut c = Canon::default();
        for r in load("regions.yaml")["regions"]
            .as_sequence()
            .into_iter()
            .flatten()
        {
            let name = r["name"].as_str().expect("name").to_string();
            let parent = r["parent"].as_str().map(String::from);
            for n in std::iter::once(name.clone()).chain(strs(r, "aliases")) {
                c.regions.insert(n, (name.clone(), parent.clone()));
            }
        }
        for e in load("issuers.yaml")["issuers"]
            .as_sequence()
            .into_iter()
            .flatten()
        {
            let name = e["name"].as_str().expect("name").to_string();
            for n in std::iter::once(name.clone()).chain(strs(e, "aliases")) {
                c.issuers.insert(n, name.clone());
            }
            if let Some(r) = e["region"].as_str() {
                let r = c.region(r);
                for s in strs(e, "short") {
                    c.short.insert((r.clone(), s), name.clone());
                }
            }
        }
        c
    }

    pub fn region(&self, name: &str) -> String {
        self.regions
            .get(name)
            .map_or_else(|| name.to_string(), |(c, _)| c.clone())
    }

    /// An issuer as written in an item of `region` (canonical).
    pub fn issuer(&self, name: &str, region: Option<&str>) -> String {
        if let Some(c) = self.issuers.get(name) {
            return c.clone();
        }
        let mut at = region.map(String::from);
        while let Some(r) = at {
            if let Some(c) = self.short.get(&(r.clone(), name.to_string())) {
                return c.clone();
            }
            at = self.regions.get(&r).and_then(|(_, p)| p.clone());
        }
        name.to_string()
    }
}
