//! What every build shares, below the incremental engine and the commands: its options and
//! errors, loading content and templates together, the progress bar, and rendering the whole
//! site in memory (load -> validate -> views -> render), which `bulletin check` starts from.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::diag::Diagnostics;
use crate::fsio::IoError;
use crate::model::Site;
use crate::render::{self, OutFile};

/// Why a build or check failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Problems in content or templates: the editor's to fix.
    #[error("{0}")]
    Content(Diagnostics),
    #[error(transparent)]
    Io(#[from] IoError),
    /// An output folder that may not be replaced (see [`crate::output::guard`]).
    #[error(transparent)]
    Usage(#[from] crate::output::guard::UsageError),
}

impl From<Diagnostics> for BuildError {
    fn from(d: Diagnostics) -> Self {
        BuildError::Content(d)
    }
}

#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The folder holding `content/` and `templates/`.
    pub root: PathBuf,
    /// Where the site goes (default `ROOT/site`).
    pub out: PathBuf,
    /// Show a progress bar (on a terminal, never in CI).
    pub progress: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        BuildOptions {
            out: root.join("site"),
            root,
            progress: false,
        }
    }
}

#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub elapsed: Duration,
}

/// Loads, validates and renders everything in memory; writes nothing (`bulletin check`).
pub fn render_site(root: &Path) -> Result<(Site, Vec<OutFile>), Diagnostics> {
    let templates_dir = root.join("templates");
    let (site, tera) = load_inputs(root)?;
    let pages = crate::view::pages(&site);
    let dirs: Vec<String> = pages
        .iter()
        .filter(|p| p.file != "404.html")
        .map(|p| p.dir.clone())
        .collect();
    let mut files = render::render_pages(&tera, &site, pages, &templates_dir)?;
    let mut extra = render::static_files(&templates_dir)?;
    extra.push(OutFile {
        path: "feed.xml".into(),
        bytes: render::feed(&site).into_bytes(),
        source: None,
    });
    extra.push(OutFile {
        path: "sitemap.xml".into(),
        bytes: render::sitemap(&site.config.base_url, dirs.iter().map(String::as_str)).into_bytes(),
        source: None,
    });
    files.extend(extra);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((site, files))
}

/// Loads and validates content and templates. Both are checked before failing, so all errors
/// come at once.
pub fn load_inputs(root: &Path) -> Result<(Site, tera::Tera), Diagnostics> {
    load_inputs_with(root, None)
}

/// [`load_inputs`], taking unchanged content files from `parsed` (see [`crate::load::ParseCache`]).
pub fn load_inputs_with(
    root: &Path,
    parsed: Option<&crate::load::ParseCache>,
) -> Result<(Site, tera::Tera), Diagnostics> {
    let site = crate::validate::load_site_with(root, parsed);
    let tera = render::templates(&root.join("templates")).map_err(|d| d.relative_to(root));
    match (site, tera) {
        (Ok(s), Ok(t)) => Ok((s, t)),
        (s, t) => {
            let mut d = Diagnostics::default();
            if let Err(e) = s {
                d.extend(e);
            }
            if let Err(e) = t {
                d.extend(e);
            }
            Err(d.sorted())
        }
    }
}

/// The terminal progress bar of a build, or a hidden one when `show` is false.
pub fn progress_bar(show: bool) -> indicatif::ProgressBar {
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let style = indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} pages")
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    indicatif::ProgressBar::new(0)
        .with_style(style)
        .with_message("rendering")
}
