//! Delivery over SMTP (lettre): the recipients, the password from `BULLETIN_SMTP_PASSWORD`, a
//! login checked before the first message, one message per recipient, the send log.

use std::path::Path;

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::Tls;
use lettre::{SmtpTransport, Transport};

use super::email::Email;
use super::limits;
use super::log::SendLog;
use super::message;
use super::tls::{self, CaFile};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{BaseUrl, DigestConfig, EmailAddress, Month, Recipients, Security};

/// The only place the SMTP password comes from; it is never printed or written.
pub const PASSWORD_VAR: &str = "BULLETIN_SMTP_PASSWORD";

/// What happened to each recipient.
#[derive(Debug, Default)]
pub struct Outcome {
    pub delivered: Vec<String>,
    /// Skipped: the send log says they already received this month.
    pub already: Vec<String>,
    /// Refused by the server, with its reason.
    pub failed: Vec<(String, String)>,
    /// Not tried because the connection failed before their turn.
    pub not_attempted: Vec<String>,
}

impl Outcome {
    pub fn complete(&self) -> bool {
        self.failed.is_empty() && self.not_attempted.is_empty()
    }
}

/// Why nothing was sent.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("{0}")]
    Setup(String),
    #[error("the SMTP server rejected the login of `{user}`: {reason}\n  = hint: check digest.smtp.username in content/site.yaml and the password in {PASSWORD_VAR}; nothing was sent")]
    Login { user: String, reason: String },
    #[error("cannot reach the SMTP server {host}:{port}: {reason}\n  = hint: check digest.smtp (host, port, security) in content/site.yaml; nothing was sent")]
    Connect {
        host: String,
        port: u16,
        reason: String,
    },
    #[error("the SMTP server {host}:{port} does not offer STARTTLS, which digest.smtp.security: starttls requires; nothing was sent (bulletin never falls back to clear text)\n  = hint: a server that takes TLS from the first byte (usually port 465) needs security: tls; otherwise check digest.smtp.host and port in content/site.yaml")]
    NoStarttls { host: String, port: u16 },
    #[error("the SMTP server {host}:{port} does not answer in TLS; nothing was sent\n  = hint: with security: tls the server must speak TLS from the first byte (usually port 465); a server that offers STARTTLS (usually port 587) needs security: starttls")]
    NotTls { host: String, port: u16 },
    #[error("the SMTP server {host}:{port} presented a certificate that is not trusted: {reason}; nothing was sent\n  = hint: {hint}")]
    Certificate {
        host: String,
        port: u16,
        reason: String,
        hint: String,
    },
}

/// The configured recipients, deduplicated (first mention wins). A recipients file has one
/// address per line; blank lines and `#` comments are skipped. Every bad line is reported.
pub fn recipients(root: &Path, cfg: &DigestConfig) -> Result<Vec<EmailAddress>, Diagnostics> {
    let mut diags = Diagnostics::default();
    let list = match &cfg.recipients {
        Recipients::List(v) => v.clone(),
        Recipients::File(rel) => {
            let hint = "digest.recipients in content/site.yaml names this file, relative to the folder holding content/";
            let path = limits::inside_root(root, rel, hint)?;
            let text = limits::read_limited(&path, rel, limits::RECIPIENTS_MAX, hint)?;
            let mut v = Vec::new();
            let mut bad = 0;
            for (i, line) in text.lines().enumerate() {
                let t = line.trim();
                if t.is_empty() || t.starts_with('#') {
                    continue;
                }
                match t.parse::<EmailAddress>() {
                    Ok(a) => v.push(a),
                    Err(e) => {
                        let (msg, hint) = e.split_once(" | hint: ").unwrap_or((&e, ""));
                        let col = line.len() - line.trim_start().len() + 1;
                        bad += 1;
                        if bad <= limits::ERRORS_SHOWN {
                            let d = Diagnostic::new(rel, msg)
                                .at(&text, i + 1, col)
                                .with_hint(hint);
                            diags.push(Diagnostic {
                                snippet: d.snippet.as_deref().map(limits::short),
                                ..d
                            });
                        }
                    }
                }
            }
            if bad > limits::ERRORS_SHOWN {
                diags.push(
                    Diagnostic::new(
                        rel,
                        format!(
                            "and {} more lines that are not e-mail addresses",
                            bad - limits::ERRORS_SHOWN
                        ),
                    )
                    .with_hint(
                        "is this the file of recipients? one address a line, # for comments",
                    ),
                );
            }
            v
        }
    };
    if !diags.is_empty() {
        return Err(diags.sorted());
    }
    let mut seen = std::collections::BTreeSet::new();
    let list: Vec<EmailAddress> = list.into_iter().filter(|a| seen.insert(a.key())).collect();
    if list.is_empty() {
        return Err(
            Diagnostic::new("content/site.yaml", "the digest has no recipients")
                .with_hint("list addresses under digest.recipients, or name a file of addresses")
                .into(),
        );
    }
    Ok(list)
}

/// A login needs its password: a missing one is a mistake of the setup, found before anything
/// is written or sent.
pub fn check_password(cfg: &DigestConfig) -> Result<(), Diagnostic> {
    match (&cfg.smtp.username, std::env::var_os(PASSWORD_VAR)) {
        (Some(_), p) if p.as_ref().is_none_or(|p| p.is_empty()) => Err(Diagnostic::new(
            "content/site.yaml",
            format!("digest.smtp.username is set but {PASSWORD_VAR} is not; nothing was sent"),
        )
        .with_hint(format!(
            "export {PASSWORD_VAR}=… in the shell that runs bulletin (it is never written to a file)"
        ))),
        _ => Ok(()),
    }
}

/// The server to deliver through: `digest.smtp` of `site.yaml` and the CA certificates that
/// `--ca-file` adds to the trusted roots.
#[derive(Debug, Clone, Copy)]
pub struct Relay<'a> {
    pub cfg: &'a DigestConfig,
    pub ca: Option<&'a CaFile>,
}

fn transport(relay: Relay) -> Result<SmtpTransport, SendError> {
    let smtp = &relay.cfg.smtp;
    let tls = || tls::parameters(&smtp.host, relay.ca);
    let mut b = SmtpTransport::builder_dangerous(smtp.host.clone())
        .port(smtp.port())
        .timeout(Some(std::time::Duration::from_secs(30)));
    b = match smtp.security {
        Security::None => b.tls(Tls::None),
        Security::Starttls => b.tls(Tls::Required(tls()?)),
        Security::Tls => b.tls(Tls::Wrapper(tls()?)),
    };
    if let Some(user) = &smtp.username {
        let password = std::env::var(PASSWORD_VAR).unwrap_or_default();
        if password.is_empty() {
            return Err(SendError::Setup(format!(
                "error: digest.smtp.username is set but {PASSWORD_VAR} is not\n  = hint: export {PASSWORD_VAR}=… in the shell that runs bulletin; nothing was sent"
            )));
        }
        b = b.credentials(Credentials::new(user.clone(), password));
    }
    Ok(b.build())
}

/// Sends `email` for `month` to each recipient the log does not already list (all of them with
/// `resend`). Stops at the first connection failure; a recipient the server refuses is reported
/// and the others still get theirs.
pub fn send(
    email: &Email,
    relay: Relay,
    base_url: &BaseUrl,
    month: Month,
    recipients: &[EmailAddress],
    log: &mut SendLog,
    resend: bool,
) -> Result<Outcome, SendError> {
    let mut out = Outcome::default();
    let pending: Vec<&EmailAddress> = recipients
        .iter()
        .filter(|r| {
            let done = !resend && log.contains(month, &r.key());
            if done {
                out.already.push(r.key());
            }
            !done
        })
        .collect();
    if pending.is_empty() {
        return Ok(out);
    }
    let transport = transport(relay)?;
    // Connect and log in once before the first message, so a wrong password or host is one
    // clear error with nothing sent.
    transport
        .test_connection()
        .map_err(|e| classify(relay, &e))?;
    let date = message::message_date().map_err(SendError::Setup)?;
    let mut rest = pending.into_iter();
    for to in rest.by_ref() {
        let (msg, id) = message::build(
            email,
            relay.cfg,
            base_url,
            month,
            message::To::Recipient(to),
            date,
        )
        .map_err(SendError::Setup)?;
        match transport.send(&msg) {
            Ok(_) => {
                log.record(month, &to.key(), &id).map_err(|e| {
                    SendError::Setup(format!(
                        "error: delivered to {0} but could not record it: {e}; stopped, so that no more go unrecorded\n  = hint: fix the problem (free disk space, permissions), then add the line `{month}<TAB>{0}<TAB>…` to {1} by hand or {0} gets it again on the next run",
                        to.key(),
                        log.path().display()
                    ))
                })?;
                out.delivered.push(to.key());
            }
            // The server answered with a status: this recipient was refused, the others may
            // be fine. Anything else (a dropped connection, a garbled reply) stops the run.
            Err(e) if e.status().is_some() => out.failed.push((to.key(), e.to_string())),
            Err(e) => {
                out.failed.push((to.key(), e.to_string()));
                break;
            }
        }
    }
    out.not_attempted = rest.map(EmailAddress::key).collect();
    Ok(out)
}

fn classify(relay: Relay, e: &lettre::transport::smtp::Error) -> SendError {
    let cfg = relay.cfg;
    if let Some(tls) = tls::explain(cfg, relay.ca, e) {
        return tls;
    }
    let code = e.status().map(|c| c.to_string()).unwrap_or_default();
    let text = e.to_string();
    let login = matches!(code.as_str(), "530" | "534" | "535" | "538" | "454")
        || text.contains("authentication mechanism");
    match (&cfg.smtp.username, login) {
        (Some(user), true) => SendError::Login {
            user: user.clone(),
            reason: text,
        },
        _ => SendError::Connect {
            host: cfg.smtp.host.clone(),
            port: cfg.smtp.port(),
            reason: text,
        },
    }
}
