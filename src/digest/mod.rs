//! `bulletin digest YYYY-MM`: the monthly e-mail of the month's policies, rankings and books.
//!
//! [`view`] gathers the month's items (also used by the web archive under `/digest/`),
//! [`email`] renders subject, HTML and text through `templates/digest/`, [`message`] builds the
//! RFC 5322 message with lettre, [`send`] delivers it over SMTP (trusting the CA certificates
//! [`tls`] loads) and [`log`] remembers who got it.

pub mod email;
pub mod limits;
pub mod log;
pub mod message;
pub mod safety;
pub mod send;
pub mod tls;
pub mod wrap;

// The month's view is the site's too: it lives in `view::month`, these names keep the
// digest's own paths.
pub use crate::view::month::{listings, parts, text, view};

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics};
use crate::fsio::{self, IoError};
use crate::markdown::{LinkBase, Renderer};
use crate::model::{DigestConfig, Month, Security, Site};

pub use send::{Outcome, SendError, PASSWORD_VAR};
pub use tls::{CaFile, CaFileError};

#[derive(Debug, Clone)]
pub struct DigestOptions {
    /// The folder holding `content/` and `templates/`.
    pub root: PathBuf,
    pub month: Month,
    /// Write `email.html`, `email.txt` and `message.eml` here.
    pub out: Option<PathBuf>,
    pub send: bool,
    /// Send even to addresses the send log lists for this month.
    pub resend: bool,
    /// A month without items gives an (almost) empty digest instead of an error.
    pub allow_empty: bool,
    /// CA certificates trusted for the SMTP server's certificate, beyond the bundled roots.
    pub ca_file: Option<CaFile>,
}

#[derive(Debug, Default)]
pub struct DigestReport {
    pub subject: String,
    pub items: usize,
    /// Files written under `--out`.
    pub written: Vec<PathBuf>,
    /// Why `message.eml` was not written, if it was not.
    pub no_message: Option<String>,
    pub outcome: Option<Outcome>,
}

#[derive(Debug, thiserror::Error)]
pub enum DigestError {
    /// Problems in content, templates or the recipients: nothing was written or sent.
    #[error("{0}")]
    Content(Diagnostics),
    #[error("error: {month} has no policies, rankings or books\n  = hint: {hint}")]
    Empty { month: Month, hint: String },
    #[error(transparent)]
    Io(#[from] IoError),
    /// The command or its environment is wrong (exit 2); nothing was read, written or sent.
    #[error("{0}")]
    Usage(String),
    /// Nothing was sent: the password, the server or the login.
    #[error(transparent)]
    Send(#[from] SendError),
    /// Some recipients did not get the digest; the report says who did.
    #[error("the digest did not reach every recipient")]
    Partial(DigestReport),
}

impl From<Diagnostics> for DigestError {
    fn from(d: Diagnostics) -> Self {
        DigestError::Content(d)
    }
}

impl From<Diagnostic> for DigestError {
    fn from(d: Diagnostic) -> Self {
        DigestError::Content(d.into())
    }
}

const NO_CONFIG: &str = "content/site.yaml has no `digest:` block (from, recipients, smtp)";

/// Temporary files are created private; a preview is meant to be opened and shared.
fn readable(path: &Path) -> Result<(), IoError> {
    crate::fsio::set_mode(path, 0o644)
}

/// Loads the site and templates, reporting the problems of both together.
fn load(root: &Path) -> Result<(Site, tera::Tera), Diagnostics> {
    match (
        crate::validate::load_site(root),
        crate::render::templates(&root.join("templates")).map_err(|d| d.relative_to(root)),
    ) {
        (Ok(s), Ok(t)) => Ok((s, t)),
        (s, t) => {
            let mut d = Diagnostics::default();
            d.extend(s.err().unwrap_or_default());
            d.extend(t.err().unwrap_or_default());
            Err(d.sorted())
        }
    }
}

/// A CA file asks for a verified TLS connection; sending in clear text instead would surprise.
fn check_ca_file(cfg: &DigestConfig, ca: Option<&CaFile>) -> Result<(), Diagnostic> {
    match (ca, cfg.smtp.security) {
        (Some(ca), Security::None) => Err(Diagnostic::new(
            "content/site.yaml",
            format!(
                "--ca-file {} is given but digest.smtp.security is `none`: the connection would not be encrypted and no certificate checked; nothing was sent",
                ca.path().display()
            ),
        )
        .with_hint("set security: starttls or tls for a relay with a certificate, or leave out --ca-file")),
        _ => Ok(()),
    }
}

/// A file of `--out`: its name and contents.
type PreviewFile = (&'static str, Vec<u8>);

/// The files of `--out`, and why `message.eml` is not among them when it is not. The preview
/// message is addressed to the sender; each recipient's copy differs in `To`, `Message-ID`,
/// `Date` and `List-Unsubscribe`.
fn preview_files(
    email: &email::Email,
    cfg: Option<&DigestConfig>,
    base: &crate::model::BaseUrl,
    month: Month,
    date: std::time::SystemTime,
) -> Result<(Vec<PreviewFile>, Option<String>), Diagnostic> {
    let mut files = vec![
        ("email.html", email.html.clone().into_bytes()),
        ("email.txt", email.text.clone().into_bytes()),
    ];
    let Some(c) = cfg else {
        return Ok((files, Some(format!("message.eml not written: {NO_CONFIG}"))));
    };
    let (m, _) = message::build(email, c, base, month, message::To::Preview(&c.from), date)
        .map_err(|m| Diagnostic::new("content/site.yaml", m))?;
    files.push(("message.eml", m.formatted()));
    Ok((files, None))
}

/// Every pick of the month's note names an item that exists.
fn check_picks(root: &Path, site: &Site, month: Month) -> Result<(), Diagnostics> {
    let Some(note) = site.notes.get(&month) else {
        return Ok(());
    };
    let missing: Vec<&String> = note
        .meta
        .picks
        .iter()
        .filter(|p| view::find_pick(site, p).is_none())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let text = fsio::read_text(&root.join(&note.path)).unwrap_or_default();
    let mut d = Diagnostics::default();
    for p in missing {
        let line = crate::model::pick_line(&text, p);
        d.push(
            Diagnostic::new(&note.path, format!("pick `{}`: no such item", p.trim()))
                .at(&text, line, 1)
                .with_hint("a pick is the item's folder and slug, e.g. policies/<slug> or books/<slug>; see `bulletin check` for the slugs in use"),
        );
    }
    Err(d)
}

/// Renders the digest of `opts.month`, writes it under `opts.out` and sends it with
/// `opts.send`. Everything that can be checked (content, templates, addresses, the send log,
/// the password) is checked before the first file is written or message sent.
pub fn run(opts: &DigestOptions) -> Result<DigestReport, DigestError> {
    // Before anything else: a bad SOURCE_DATE_EPOCH would otherwise stop the run half-way.
    let date = message::message_date().map_err(DigestError::Usage)?;
    let (site, tera) = load(&opts.root)?;
    let base = &site.config.base_url;
    let md = Renderer::new(LinkBase::Absolute(base.to_string()));
    let view = view::digest_view(&site, opts.month, &md);
    if view.total == 0 && !opts.allow_empty {
        let months: Vec<String> = view::months(&site).iter().map(Month::to_string).collect();
        let hint = if months.is_empty() {
            "the content has no policies, rankings or books yet; pass --allow-empty to produce the digest anyway".to_string()
        } else {
            format!(
                "months with items: {}; pass --allow-empty to produce this month's digest anyway",
                months.join(", ")
            )
        };
        return Err(DigestError::Empty {
            month: opts.month,
            hint,
        });
    }
    check_picks(&opts.root, &site, opts.month)?;
    let templates_dir = opts.root.join("templates");
    let email = email::render(&tera, &site, &view, &templates_dir)?;
    let cfg = site.config.digest.as_ref();
    // Checked up front so that a bad recipients file stops the run before any output.
    let recipients = match (cfg, opts.send) {
        (Some(c), true) => {
            check_ca_file(c, opts.ca_file.as_ref())?;
            send::check_password(c)?;
            Some(send::recipients(&opts.root, c)?)
        }
        (None, true) => {
            return Err(
                Diagnostic::new("content/site.yaml", format!("cannot send: {NO_CONFIG}"))
                    .with_hint("add the block described in docs/content-guide.md, \"The digest\"")
                    .into(),
            )
        }
        _ => None,
    };
    let mut log = match opts.send {
        true => Some(log::SendLog::open(&opts.root)?),
        false => None,
    };
    let mut report = DigestReport {
        subject: email.subject.clone(),
        items: view.total,
        ..DigestReport::default()
    };
    if let Some(out) = &opts.out {
        // Everything is made before the folder is created, so an error leaves nothing behind.
        let (files, no_message) = preview_files(&email, cfg, base, opts.month, date)?;
        report.no_message = no_message;
        fsio::create_dir_all(out)?;
        for (name, bytes) in files {
            let p = out.join(name);
            fsio::write_atomic(&p, &bytes)?;
            readable(&p)?;
            report.written.push(p);
        }
    }
    if let (Some(c), Some(rcpts), Some(log)) = (cfg, recipients, log.as_mut()) {
        let relay = send::Relay {
            cfg: c,
            ca: opts.ca_file.as_ref(),
        };
        let outcome = send::send(&email, relay, base, opts.month, &rcpts, log, opts.resend)?;
        let complete = outcome.complete();
        report.outcome = Some(outcome);
        if !complete {
            return Err(DigestError::Partial(report));
        }
    }
    Ok(report)
}
