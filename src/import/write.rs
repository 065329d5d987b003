//! Plans every file of an import (serialised through small serde structs, in the contract's
//! key order), then writes them all-or-nothing: each is staged as a temporary file beside its
//! target, and only when all are staged are they renamed into place.

use serde::Serialize;
use std::collections::HashSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::drafts::Drafts;
use super::model::Bulletin;
use super::slug::{slug, Deduper};
use super::{ImportError, ImportOptions, ImportReport};

/// A file the import would write: path relative to the root, full contents.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub path: PathBuf,
    pub contents: String,
}

#[derive(Serialize)]
struct IssueYaml<'a> {
    series: &'a str,
    title: String,
    month: String,
    number: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    total_number: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<Period>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    editors: &'a [String],
    sections: &'a [String],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    contents: Vec<ContentsYaml>,
}

/// One line of the printed table of contents: the item written for it and its page.
#[derive(Serialize)]
struct ContentsYaml {
    item: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<u32>,
}

#[derive(Serialize)]
struct Period {
    from: String,
    to: String,
}

#[derive(Serialize)]
struct ArticleFront<'a> {
    title: &'a str,
    date: String,
    source: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    issue: &'a str,
    section: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    policies: &'a [String],
}

#[derive(Serialize)]
struct RankingYaml<'a> {
    title: &'a str,
    date: String,
    publisher: &'a str,
    summary: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    issue: &'a str,
    section: &'a str,
    complete: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    entries: Vec<EntryYaml<'a>>,
}

#[derive(Serialize)]
struct EntryYaml<'a> {
    rank: u32,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct BookYaml<'a> {
    title: &'a str,
    authors: &'a [String],
    publisher: &'a str,
    published: &'a str,
    summary: &'a str,
    reason: &'a str,
    date: String,
    issue: &'a str,
}

fn yaml<T: Serialize>(v: &T) -> Result<String, ImportError> {
    crate::yaml::to_string(v).map_err(ImportError::Serialize)
}

/// Slugs already used by files of `kind` outside this import's own folder.
fn reserved(root: &Path, kind: &str, own: &str) -> HashSet<String> {
    let dir = root.join("content").join(kind);
    let own = dir.join(own);
    walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !e.path().starts_with(&own))
        .filter_map(|e| {
            e.path()
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
        })
        .collect()
}

/// Every file of the import, in a fixed order: issue, articles, rankings, books, draft
/// policies; and what became of the documents the articles name.
pub fn plan(b: &Bulletin, opts: &ImportOptions) -> Result<(Vec<Planned>, Drafts), ImportError> {
    let issue = format!("{}/{}", opts.series, opts.id);
    let folder = format!("{}-{}", opts.series, opts.id);
    let drafts = super::drafts::plan(b, &opts.root, &issue, &folder)?;
    let m = &b.masthead;
    let month = b
        .month()
        .ok_or_else(|| ImportError::Serialize("no month".into()))?;
    let mut out = Vec::new();

    let title = if m.edition.is_empty() {
        format!("《{}》", m.series_name)
    } else {
        format!("《{}》{}", m.series_name, m.edition)
    };
    let issue_yaml = IssueYaml {
        series: &m.series_name,
        title,
        month,
        number: m.number,
        total_number: m.total_number,
        period: m.period.map(|(f, t)| Period {
            from: f.to_string(),
            to: t.to_string(),
        }),
        publisher: m.publisher.as_deref(),
        editors: &m.editors,
        sections: &b.sections,
        contents: Vec::new(),
    };
    // The contents in printed order: (place in the contents list, entry); books follow in
    // the order of their records, without a page (the list prints only their section's).
    let mut contents: Vec<(usize, ContentsYaml)> = Vec::new();

    let mut slugs = Deduper::with_reserved(reserved(&opts.root, "articles", &folder));
    for (i, a) in b.articles.iter().enumerate() {
        let front = ArticleFront {
            title: &a.title,
            date: a.date.to_string(),
            source: &a.source,
            url: a.url.as_deref(),
            issue: &issue,
            section: &a.section,
            policies: drafts.links.get(&i).map(Vec::as_slice).unwrap_or(&[]),
        };
        let s = slugs.unique(&slug(&a.date.to_string(), &a.title));
        contents.push((a.toc_index, entry("articles", &s, a.page)));
        out.push(Planned {
            path: Path::new("content/articles")
                .join(&folder)
                .join(format!("{s}.md")),
            contents: format!("---\n{}---\n\n{}\n", yaml(&front)?, a.body.trim_end()),
        });
    }

    let mut slugs = Deduper::with_reserved(reserved(&opts.root, "rankings", &folder));
    for r in &b.rankings {
        let y = RankingYaml {
            title: &r.title,
            date: r.date.to_string(),
            publisher: &r.publisher,
            summary: &r.summary,
            url: r.url.as_deref(),
            issue: &issue,
            section: &r.section,
            complete: false,
            entries: r
                .entries
                .iter()
                .map(|e| EntryYaml {
                    rank: e.rank,
                    name: &e.name,
                    note: e.note.as_deref(),
                })
                .collect(),
        };
        let s = slugs.unique(&slug(&r.date.to_string(), &r.title));
        contents.push((r.toc_index, entry("rankings", &s, r.page)));
        out.push(Planned {
            path: Path::new("content/rankings")
                .join(&folder)
                .join(format!("{s}.yaml")),
            contents: yaml(&y)?,
        });
    }

    let mut slugs = Deduper::with_reserved(reserved(&opts.root, "books", &folder));
    let book_date = m.period.map(|(_, to)| to.to_string());
    for bk in &b.books {
        let date = book_date
            .clone()
            .ok_or_else(|| ImportError::Serialize("books need the collection period".into()))?;
        let y = BookYaml {
            title: &bk.title,
            authors: &bk.authors,
            publisher: &bk.publisher,
            published: &bk.published,
            summary: &bk.summary,
            reason: &bk.reason,
            date: date.clone(),
            issue: &issue,
        };
        let s = slugs.unique(&slug(&date, &bk.title));
        contents.push((usize::MAX, entry("books", &s, None)));
        out.push(Planned {
            path: Path::new("content/books")
                .join(&folder)
                .join(format!("{s}.yaml")),
            contents: yaml(&y)?,
        });
    }
    // Stable: the books keep their order after every listed item.
    contents.sort_by_key(|(i, _)| *i);
    let issue_yaml = IssueYaml {
        contents: contents.into_iter().map(|(_, e)| e).collect(),
        ..issue_yaml
    };
    out.insert(
        0,
        Planned {
            path: Path::new("content/issues")
                .join(&opts.series)
                .join(format!("{}.yaml", opts.id)),
            contents: yaml(&issue_yaml)?,
        },
    );
    out.extend(drafts.files.iter().map(|(p, _)| p.clone()));
    Ok((out, drafts))
}

fn entry(dir: &str, slug: &str, page: Option<u32>) -> ContentsYaml {
    ContentsYaml {
        item: format!("{dir}/{slug}"),
        page,
    }
}

/// Writes the planned files under `root`: new files always, existing ones only with `force`.
/// All files are staged first; nothing is renamed into place unless every one was staged.
pub fn write(root: &Path, planned: &[Planned], force: bool) -> Result<ImportReport, ImportError> {
    let mut report = ImportReport::default();
    let mut staged = Vec::new();
    for p in planned {
        let target = root.join(&p.path);
        let exists = target.exists();
        if exists && !force {
            report.skipped.push(target);
            continue;
        }
        let dir = target
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| root.to_path_buf());
        let io = |source| ImportError::Write {
            path: target.clone(),
            source,
        };
        crate::fsio::create_dir_all(&dir).map_err(|e| io(e.source))?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".import-")
            .tempfile_in(&dir)
            .map_err(io)?;
        tmp.write_all(p.contents.as_bytes()).map_err(io)?;
        tmp.as_file().sync_all().map_err(io)?;
        staged.push((tmp, target, exists));
    }
    for (tmp, target, existed) in staged {
        tmp.persist(&target).map_err(|e| ImportError::Write {
            path: target.clone(),
            source: e.error,
        })?;
        if existed {
            report.overwritten.push(target);
        } else {
            report.written.push(target);
        }
    }
    Ok(report)
}
