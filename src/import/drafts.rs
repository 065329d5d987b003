//! Plans the draft policy files of an import: one per document the articles name (see
//! [`super::propose`]) that no existing policy already is, matched by document number and by
//! normalised title. Each draft carries a first line `# TODO: …` that `bulletin check` refuses
//! (the placeholder rule of `load::placeholders`) until an editor has checked the file and deleted
//! it, and a `TODO:` value for every field the text does not state. Drafts never replace a
//! file: their slugs avoid every existing policy's, with or without `--force`.

use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use super::model::Bulletin;
use super::propose::{proposals, Proposal};
use super::slug::{slug, Deduper};
use super::text::norm_key;
use super::write::Planned;
use super::ImportError;
use crate::load::PLACEHOLDER;

/// What the import does with the documents its articles name.
#[derive(Debug, Clone, Default)]
pub struct Drafts {
    /// New draft files, each with the document's name.
    pub files: Vec<(Planned, String)>,
    /// Per article (by index), the slugs its `policies:` lists.
    pub links: BTreeMap<usize, Vec<String>>,
    /// Documents that are already policies: (name, the policy's path relative to the root).
    pub matched: Vec<(String, PathBuf)>,
    /// Names on `附：` lines that are not read as policy documents: (article line, name).
    pub not_policies: Vec<(usize, String)>,
}

/// An existing policy file's slug, path and the keys it is matched by.
struct Existing {
    slug: String,
    path: PathBuf,
    title: Option<String>,
    doc_number: Option<String>,
}

fn existing_policies(root: &Path) -> Vec<Existing> {
    let dir = root.join("content/policies");
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let path = e.path();
        let Some(slug) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        // A file that does not read still holds its slug; it just matches no document.
        let meta = crate::fsio::read_text(path)
            .ok()
            .and_then(|text| {
                let yaml = crate::load::split_front_matter(&text)
                    .ok()?
                    .yaml
                    .to_string();
                serde_yaml::from_str::<serde_yaml::Value>(&yaml).ok()
            })
            .unwrap_or_default();
        let field = |k: &str| meta.get(k).and_then(|v| v.as_str()).map(str::to_string);
        out.push(Existing {
            slug: slug.to_string(),
            path: path.strip_prefix(root).unwrap_or(path).to_path_buf(),
            title: field("title"),
            doc_number: field("doc_number"),
        });
    }
    out
}

#[derive(Serialize)]
struct PolicyYaml<'a> {
    title: &'a str,
    date: String,
    issuers: Vec<String>,
    level: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    doc_number: Option<&'a str>,
    summary: String,
    issue: &'a str,
    section: &'a str,
}

fn todo(what: &str) -> String {
    format!("{PLACEHOLDER} {what}")
}

/// Plans the drafts of bulletin `b`, imported as `issue` (`series/id`) into `folder`.
pub fn plan(b: &Bulletin, root: &Path, issue: &str, folder: &str) -> Result<Drafts, ImportError> {
    let existing = existing_policies(root);
    let mut drafts = Drafts::default();
    for a in &b.articles {
        for n in &a.policy_documents {
            if !super::propose::is_policy_name(n) {
                drafts.not_policies.push((a.line, n.clone()));
            }
        }
    }
    // Every existing policy's slug, this import's folder included: a draft never lands on a file.
    let taken: HashSet<String> = existing.iter().map(|e| e.slug.clone()).collect();
    let mut slugs = Deduper::with_reserved(taken);
    // The same document named by two articles is one draft, linked from both.
    let mut planned: BTreeMap<String, String> = BTreeMap::new();
    let places = super::places::Places::read(root);
    for p in proposals(&b.articles, &places) {
        let key = norm_key(&p.name);
        let found = existing.iter().find(|e| {
            e.title.as_deref().map(norm_key) == Some(key.clone())
                || (p.doc_number.is_some()
                    && e.doc_number.as_deref().map(norm_key)
                        == p.doc_number.as_deref().map(norm_key))
        });
        let s = if let Some(e) = found {
            if !drafts.matched.iter().any(|(n, _)| norm_key(n) == key) {
                drafts.matched.push((p.name.clone(), e.path.clone()));
            }
            e.slug.clone()
        } else if let Some(s) = planned.get(&key) {
            s.clone()
        } else {
            let a = &b.articles[p.article];
            let date = p.date.unwrap_or(a.date).to_string();
            let s = slugs.unique(&slug(&date, &p.name));
            let file = Planned {
                path: Path::new("content/policies")
                    .join(folder)
                    .join(format!("{s}.md")),
                contents: draft_text(b, &p, issue)?,
            };
            drafts.files.push((file, p.name.clone()));
            planned.insert(key, s.clone());
            s
        };
        let links = drafts.links.entry(p.article).or_default();
        if !links.contains(&s) {
            links.push(s);
        }
    }
    Ok(drafts)
}

/// The draft file: the marker line and notes for the editor, the front matter, and the
/// reporting article's text with where it comes from (as the shipped policies carry it).
fn draft_text(b: &Bulletin, p: &Proposal, issue: &str) -> Result<String, ImportError> {
    let a = &b.articles[p.article];
    let m = &b.masthead;
    let edition = format!("《{}》{}", m.series_name, m.edition);
    let mut notes = vec![format!(
        "# {PLACEHOLDER} 待确认的草稿：bulletin import 据{edition}第 {} 行的文章「{}」提出。逐项核对原文、填好每个 {PLACEHOLDER} 项后，删除本行即为确认。",
        a.line, a.title
    )];
    let date = match (p.date, &p.date_note) {
        (Some(d), _) => d.to_string(),
        (None, Some(said)) if !super::propose::is_vague(said) => todo(&format!(
            "发布日期 YYYY-MM-DD（原文只说“{said}”；报道日期 {}）",
            a.date
        )),
        (None, said) => {
            let said = said
                .as_deref()
                .map_or(String::new(), |s| format!("（“{s}”）"));
            notes.push(format!(
                "# date: 原文未给出发布日期{said}，这是报道日期（{} {}）",
                a.source, a.date
            ));
            a.date.to_string()
        }
    };
    if let Some(more) = &p.issuers_more {
        notes.push(format!("# issuers: 原文称“{more}”，只列出了以上机关"));
    }
    let issuers = if p.issuers.is_empty() {
        vec![todo("发文机关（原文没有列出）")]
    } else {
        p.issuers.clone()
    };
    let y = PolicyYaml {
        title: &p.name,
        date,
        issuers,
        level: p
            .level
            .map_or_else(|| todo("国家、省级、市级或区县"), str::to_string),
        region: p.region.as_deref(),
        doc_number: p.doc_number.as_deref(),
        summary: p.summary.clone().unwrap_or_else(|| todo("摘要")),
        issue,
        section: &a.section,
    };
    let front = crate::yaml::to_string(&y).map_err(ImportError::Serialize)?;
    let body: Vec<&str> = a
        .body
        .split("\n\n")
        .filter(|para| !para.starts_with("附：") && !para.starts_with("附:"))
        .collect();
    Ok(format!(
        "---\n{}\n{front}---\n\n{}\n\n（要点摘自{} {} 的报道，{edition}转载。）\n",
        notes.join("\n"),
        body.join("\n\n"),
        a.source,
        a.date
    ))
}
