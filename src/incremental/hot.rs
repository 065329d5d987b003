//! The fast path of `serve` for the most common save: an article's or policy's Markdown body
//! edited, nothing else. Owns what `serve` keeps in memory after a good rebuild to take it: the
//! validated [`Site`], the parsed templates, their closure hashes and the prepared item pages.
//!
//! Why it is exact: an item's Markdown body reaches exactly two things in the views (see
//! `view/items.rs` and `view/cards.rs`): its own page's `body_html`, and, for an article, the
//! excerpt of its [`crate::view::Card`], which listings, issue, tag, region and policy pages and
//! the home page show. Nothing else reads a body: the feed shows the source or summary, the
//! digest pages the summaries, validation the front matter. So when the re-parsed file has the
//! same slug and the same front matter values, and (for an article) the same card, only its own
//! page changes: its context is the previous one with `page.body_html` replaced. Anything else
//! (a front-matter edit, a changed excerpt, a new, removed or renamed file, a template or
//! `site.yaml` edit, a file that does not parse) returns [`Fast::Fallback`] and `serve` runs the
//! general path, which fingerprints every page. `tests/it/serve.rs` compares both with a clean
//! build byte for byte.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::fsio::IoError;
use crate::markdown::{LinkBase, Renderer};
use crate::model::{Article, ArticleMeta, Kind, Policy, PolicyMeta, Site};
use crate::view::{article_card, BodyCache, Page};

use super::deps::{Fingerprint, TemplateHashes};

/// What a good general rebuild leaves for the fast path.
pub struct Hot {
    pub site: Site,
    pub tera: tera::Tera,
    pub hashes: TemplateHashes,
    /// Prepared pages (context complete) of articles and policies, by content path relative to
    /// the root (`content/articles/…md`).
    pub pages: HashMap<PathBuf, Page>,
}

/// What the fast path did.
pub enum Fast {
    /// The pages written (site-relative paths) with their new fingerprints.
    Done(Vec<(String, Fingerprint)>),
    /// Only files the loader ignores changed (an editor's swap file): nothing to do.
    Unchanged,
    /// The change may show elsewhere: take the general path.
    Fallback,
}

impl Hot {
    /// Rebuilds after saves of the files `changed` (absolute or root-relative paths) if each is
    /// a body-only edit of a known article or policy; writes the changed pages into `out`.
    pub fn apply(
        &mut self,
        root: &Path,
        out: &Path,
        changed: &[PathBuf],
        bodies: &BodyCache,
    ) -> Result<Fast, IoError> {
        let mut changed = changed.to_vec();
        changed.sort();
        changed.dedup();
        let mut edits = Vec::new();
        for path in &changed {
            let rel = relative(root, path);
            if rel.starts_with("content") && ignored(&root.join(rel)) && !self.holds(rel) {
                // Editors' swap and backup files in content/: the loader skips them too.
                continue;
            }
            match self.edit(root, rel, bodies) {
                Some(e) => edits.push(e),
                None => return Ok(Fast::Fallback),
            }
        }
        if edits.is_empty() {
            return Ok(if changed.is_empty() {
                Fast::Fallback
            } else {
                Fast::Unchanged
            });
        }
        let templates_dir = root.join("templates");
        let mut done = Vec::new();
        // Render everything before writing anything: a template error leaves the site as it was.
        let mut rendered = Vec::new();
        for (rel, page) in edits {
            let bytes = match crate::render::render_page(&self.tera, &page, &templates_dir) {
                Ok(b) => b,
                Err(_) => return Ok(Fast::Fallback),
            };
            rendered.push((rel, page, bytes));
        }
        for (rel, page, bytes) in rendered {
            crate::fsio::write_atomic(&out.join(&page.file), &bytes)?;
            done.push((page.file.clone(), self.hashes.page(&page)));
            self.pages.insert(rel, page);
        }
        Ok(Fast::Done(done))
    }

    /// Whether `rel` is, or holds, a content file of the last build.
    fn holds(&self, rel: &Path) -> bool {
        self.pages.keys().any(|p| p.starts_with(rel))
    }

    /// The item page after a body-only edit of `rel`, or `None` when the edit is more.
    fn edit(&mut self, root: &Path, rel: &Path, bodies: &BodyCache) -> Option<(PathBuf, Page)> {
        let old = self.pages.get(rel)?;
        let text = crate::fsio::read_text(&root.join(rel)).ok()?;
        let r = Renderer::new(LinkBase::Relative("../../".into()));
        let old_html = old
            .context
            .get("page")?
            .get("body_html")?
            .as_str()?
            .to_string();
        let new_html = if let Some(i) = self.site.articles.iter().position(|a| a.path == rel) {
            let new = parse::<ArticleMeta>(Kind::Article, rel, &text)?;
            let a: &mut Article = &mut self.site.articles[i];
            if !same_front(a, &new) {
                return None;
            }
            let html = bodies.html(&r, &new.body);
            // The card is what other pages show of an article; its excerpt comes from the body
            // (the rest from the front matter, which is the same).
            if article_card(a, &html) != article_card(a, &old_html) {
                return None;
            }
            a.body = new.body;
            html.to_string()
        } else {
            let i = self.site.policies.iter().position(|p| p.path == rel)?;
            let new = parse::<PolicyMeta>(Kind::Policy, rel, &text)?;
            let p: &mut Policy = &mut self.site.policies[i];
            if !same_front(p, &new) {
                return None;
            }
            p.body = new.body;
            bodies.html(&r, &p.body).to_string()
        };
        let page = self.pages.get(rel)?;
        let mut view = page.context.get("page")?.clone();
        *view.get_mut("body_html")? = tera::Value::String(new_html);
        let mut context = page.context.clone();
        context.insert("page", &view);
        Some((
            rel.to_path_buf(),
            Page {
                dir: page.dir.clone(),
                file: page.file.clone(),
                template: page.template,
                context,
                source: page.source.clone(),
            },
        ))
    }
}

fn parse<M: serde::de::DeserializeOwned>(
    kind: Kind,
    rel: &Path,
    text: &str,
) -> Option<crate::load::Parsed<M>> {
    crate::load::parse_item::<M>(kind, rel, text)
        .map_err(|_: Vec<Diagnostic>| ())
        .ok()
}

/// Same slug and the same front matter values (compared through their full `Debug` form,
/// which every model type derives, so no field can be missed).
fn same_front<M: std::fmt::Debug>(
    old: &crate::model::Item<M>,
    new: &crate::load::Parsed<M>,
) -> bool {
    old.slug == new.slug && format!("{:?}", old.meta) == format!("{:?}", new.meta)
}

/// Names the content loader skips: hidden files and editors' backups (not folders: the loader
/// reads the files inside a hidden folder).
fn ignored(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    (name.starts_with('.') || name.ends_with('~')) && !path.is_dir()
}

/// `path` (as the watcher reports it, usually absolute) relative to the site root.
fn relative<'a>(root: &Path, path: &'a Path) -> &'a Path {
    if let Ok(r) = path.strip_prefix(root) {
        return r;
    }
    match std::path::absolute(root) {
        Ok(abs) => path.strip_prefix(&abs).unwrap_or(path),
        Err(_) => path,
    }
}
