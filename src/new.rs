//! `bulletin new <kind> <slug>`: writes a new content file holding every required field of its
//! kind, today's date, and placeholders (values starting with [`PLACEHOLDER`]) that loading
//! rejects with a clear message until the editor fills them in (the rule is loading's:
//! `load::placeholders`).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::model::{IssueRef, Kind, Slug};

pub use crate::load::PLACEHOLDER;

#[derive(Debug, Clone)]
pub struct NewOptions {
    pub root: PathBuf,
    pub kind: Kind,
    pub slug: String,
    pub title: Option<String>,
    pub issue: Option<String>,
    /// The date to write (today, from the command line).
    pub date: chrono::NaiveDate,
}

#[derive(Debug, thiserror::Error)]
pub enum NewError {
    #[error("{msg} (slug `{slug}`)\n  = hint: {hint}")]
    Slug {
        slug: String,
        msg: String,
        hint: String,
    },
    #[error("no issue `{0}`: there is no content/issues/{0}.yaml\n  = hint: {1}")]
    UnknownIssue(String, String),
    #[error("invalid issue `{0}`: {1}")]
    Issue(String, String),
    #[error("{} already exists; not overwriting it\n  = hint: pick another slug, or edit that file", .0.display())]
    Exists(PathBuf),
    #[error("cannot write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The kind named on the command line: `article` or `articles`, and so on.
pub fn parse_kind(s: &str) -> Result<Kind, String> {
    Kind::ALL
        .into_iter()
        .find(|k| {
            k.dir() == s
                || k.dir().strip_suffix('s') == Some(s)
                || (s == "policy" && *k == Kind::Policy)
        })
        .ok_or_else(|| format!("unknown kind `{s}`: use article, policy, ranking, book or product"))
}

/// Writes the new file; returns its path relative to the root.
pub fn new_item(opts: &NewOptions) -> Result<PathBuf, NewError> {
    let kind = opts.kind;
    let slug: Slug = opts.slug.parse().map_err(|e: String| {
        let (msg, hint) = e.split_once(" | hint: ").unwrap_or((&e, ""));
        NewError::Slug {
            slug: opts.slug.clone(),
            msg: msg.to_string(),
            hint: hint.to_string(),
        }
    })?;
    if kind.reserved_slugs().contains(&slug.as_str()) {
        return Err(NewError::Slug {
            slug: opts.slug.clone(),
            msg: format!("reserved: /{}/{slug}/ is a listing page", kind.dir()),
            hint: "pick another slug".into(),
        });
    }
    let issue = match &opts.issue {
        Some(i) => Some(existing_issue(&opts.root, i)?),
        None => None,
    };
    let kind_dir = PathBuf::from("content").join(kind.dir());
    let file = format!("{slug}.{}", kind.extension());
    if let Some(other) = find_named(&opts.root.join(&kind_dir), &file) {
        return Err(NewError::Exists(
            other
                .strip_prefix(&opts.root)
                .unwrap_or(&other)
                .to_path_buf(),
        ));
    }
    // Beside the other items of the same issue, as the shipped content is laid out.
    let rel = match &issue {
        Some(r) => kind_dir.join(format!("{}-{}", r.series, r.id)).join(file),
        None => kind_dir.join(file),
    };
    let text = scaffold(kind, opts, issue.as_ref());
    let path = opts.root.join(&rel);
    if let Some(parent) = path.parent() {
        crate::fsio::create_dir_all(parent).map_err(|e| NewError::Io {
            path: rel.clone(),
            source: e.source,
        })?;
    }
    let mut f = crate::fsio::create_new(&path).map_err(|e| match e.source.kind() {
        std::io::ErrorKind::AlreadyExists => NewError::Exists(rel.clone()),
        _ => NewError::Io {
            path: rel.clone(),
            source: e.source,
        },
    })?;
    f.write_all(text.as_bytes()).map_err(|e| NewError::Io {
        path: rel.clone(),
        source: e,
    })?;
    Ok(rel)
}

fn existing_issue(root: &Path, text: &str) -> Result<IssueRef, NewError> {
    let r: IssueRef = text.parse().map_err(|e: String| {
        NewError::Issue(text.into(), e.replace(" | hint: ", "\n  = hint: "))
    })?;
    let file = root
        .join("content/issues")
        .join(r.series.as_str())
        .join(format!("{}.yaml", r.id));
    if file.is_file() {
        return Ok(r);
    }
    let mut known: Vec<String> = walkdir::WalkDir::new(root.join("content/issues"))
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "yaml"))
        .filter_map(|e| {
            let id = e.path().file_stem()?.to_str()?.to_string();
            let series = e.path().parent()?.file_name()?.to_str()?.to_string();
            Some(format!("{series}/{id}"))
        })
        .collect();
    known.sort();
    let hint = if known.is_empty() {
        "create the issue file first".to_string()
    } else {
        format!("existing issues: {}", known.join(", "))
    };
    Err(NewError::UnknownIssue(text.into(), hint))
}

/// A file called `name` anywhere under `dir`: slugs are unique across subfolders.
fn find_named(dir: &Path, name: &str) -> Option<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .find(|e| e.file_type().is_file() && e.file_name() == name)
        .map(walkdir::DirEntry::into_path)
}

/// A YAML double-quoted string.
fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn todo(what: &str) -> String {
    quoted(&format!("{PLACEHOLDER} {what}"))
}

fn scaffold(kind: Kind, opts: &NewOptions, issue: Option<&IssueRef>) -> String {
    let title = opts.title.as_deref().map_or_else(|| todo("标题"), quoted);
    let date = opts.date.format("%Y-%m-%d");
    let issue = issue.map_or_else(String::new, |r| format!("issue: {}/{}\n", r.series, r.id));
    let body = format!("{PLACEHOLDER} 正文（Markdown）\n");
    match kind {
        Kind::Article => format!(
            "---\ntitle: {title}\ndate: {date}\nsource: {}\n{issue}---\n{body}",
            todo("来源（媒体或机构）")
        ),
        Kind::Policy => format!(
            "---\ntitle: {title}\ndate: {date}\nissuers: [{}]\nlevel: {}\nsummary: {}\n{issue}---\n{body}",
            todo("发文机关"),
            todo("国家、省级、市级或区县"),
            todo("摘要"),
        ),
        Kind::Ranking => format!(
            "title: {title}\ndate: {date}\npublisher: {}\nsummary: {}\n{issue}",
            todo("发布机构"),
            todo("摘要"),
        ),
        Kind::Book => format!(
            "title: {title}\nauthors: [{}]\npublisher: {}\npublished: {}\nsummary: {}\nreason: {}\ndate: {date}\n{issue}",
            todo("作者"),
            todo("出版社"),
            todo("出版年月 YYYY-MM"),
            todo("内容简介"),
            todo("推荐理由"),
        ),
        Kind::Product => format!(
            "bank: {}\nname: {title}\ndate: {date}\ncategory: {}\nsummary: {}\n{issue}",
            todo("银行"),
            todo("信贷业务、中间业务、金融科技或其他业务"),
            todo("摘要"),
        ),
    }
}
