//! The RFC 5322 message for one recipient, built with lettre: multipart/alternative with the
//! text part then the HTML part, UTF-8, encoded headers, and `List-Unsubscribe` when configured.
//!
//! Determinism: the multipart boundary and the Message-ID are derived from the rendered digest
//! and the recipient, so the same content gives the same message; only `Date` varies, and it too
//! is fixed when `SOURCE_DATE_EPOCH` is set (the reproducible-builds convention).

use std::time::{Duration, SystemTime};

use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{MultiPart, SinglePart};
use lettre::Message;

use super::email::Email;
use crate::model::{BaseUrl, DigestConfig, EmailAddress, Month};

/// The latest `SOURCE_DATE_EPOCH` a `Date` header can carry: 9999-12-31 23:59:59 UTC.
const LAST_EPOCH: u64 = 253_402_300_799;

/// The `Date` of messages: `SOURCE_DATE_EPOCH` if set (whole seconds since 1970, at most
/// year 9999), else now. A value that is set but not such a number is an error, since whoever
/// set it wants the same bytes every time (the reproducible-builds convention).
pub fn message_date() -> Result<SystemTime, String> {
    let Some(raw) = std::env::var_os("SOURCE_DATE_EPOCH") else {
        return Ok(SystemTime::now());
    };
    let s = raw.to_string_lossy();
    let shown: String = s.chars().take(40).flat_map(char::escape_default).collect();
    match s.trim().parse::<u64>() {
        Ok(n) if n <= LAST_EPOCH => Ok(SystemTime::UNIX_EPOCH + Duration::from_secs(n)),
        _ => Err(format!(
            "error: SOURCE_DATE_EPOCH=`{shown}` is not a date a message can carry: it must be whole seconds since 1970-01-01 UTC, at most {LAST_EPOCH} (the end of year 9999); nothing was written or sent\n  = hint: unset it (the current time is used) or set e.g. SOURCE_DATE_EPOCH=$(date +%s)"
        )),
    }
}

/// Who a message goes to: a recipient, whose `List-Unsubscribe` names them, or the preview
/// written beside the e-mail files, addressed to the sender, with the configured addresses.
#[derive(Debug, Clone, Copy)]
pub enum To<'a> {
    Recipient(&'a EmailAddress),
    Preview(&'a EmailAddress),
}

impl<'a> To<'a> {
    fn address(self) -> &'a EmailAddress {
        match self {
            To::Recipient(a) | To::Preview(a) => a,
        }
    }
}

/// Query-string values: everything but unreserved characters percent-encoded (RFC 3986).
const QUERY: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The configured unsubscribe address for `to`: an https URL gets `address=` with the
/// recipient's address, a mailto URL a `subject` (when it has none) and a `body` naming them,
/// so that the list's keeper knows who asks.
pub fn unsubscribe_for(url: &str, to: To) -> String {
    let To::Recipient(a) = to else {
        return url.to_string();
    };
    let key = percent_encoding::utf8_percent_encode(&a.key(), QUERY).to_string();
    let sep = if url.contains('?') { '&' } else { '?' };
    if url.starts_with("mailto:") {
        let has_subject = url.split_once('?').is_some_and(|(_, q)| {
            q.split('&')
                .any(|kv| kv.to_ascii_lowercase().starts_with("subject="))
        });
        let subject = if has_subject {
            ""
        } else {
            "subject=unsubscribe&"
        };
        format!("{url}{sep}{subject}body=unsubscribe%20{key}")
    } else {
        format!("{url}{sep}address={key}")
    }
}

/// The message for `to`, and its Message-ID (with the angle brackets).
pub fn build(
    email: &Email,
    cfg: &DigestConfig,
    base_url: &BaseUrl,
    month: Month,
    to: To,
    date: SystemTime,
) -> Result<(Message, String), String> {
    let to_addr = to.address();
    let hash = fnv64(&[
        email.subject.as_bytes(),
        email.text.as_bytes(),
        email.html.as_bytes(),
        to_addr.key().as_bytes(),
    ]);
    let host = base_url
        .as_str()
        .split_once("://")
        .map_or("localhost", |(_, r)| {
            r.split(['/', ':']).next().unwrap_or("localhost")
        });
    let id = format!("<digest-{month}-{hash:016x}@{host}>");
    let body = MultiPart::alternative()
        .boundary(format!("bulletin-digest-{hash:016x}"))
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(email.text.clone()),
        )
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_HTML)
                .body(email.html.clone()),
        );
    let mut b = Message::builder()
        .from(cfg.from.0.clone())
        .to(to_addr.0.clone())
        .subject(email.subject.clone())
        .date(date)
        .message_id(Some(id.clone()));
    if !cfg.list_unsubscribe.is_empty() {
        let value = cfg
            .list_unsubscribe
            .iter()
            .map(|u| format!("<{}>", unsubscribe_for(u.as_str(), to)))
            .collect::<Vec<_>>()
            .join(", ");
        b = b.header(ListUnsubscribe(value));
        // One-click unsubscription (RFC 8058) is only defined for an https address.
        if cfg.list_unsubscribe.iter().any(|u| u.is_https()) {
            b = b.header(ListUnsubscribePost);
        }
    }
    let message = b
        .multipart(body)
        .map_err(|e| format!("cannot build the message: {e}"))?;
    Ok((message, id))
}

/// `List-Unsubscribe: <https://…>, <mailto:…>` (RFC 2369); the value is checked ASCII.
#[derive(Debug, Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(s.to_string()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
#[derive(Debug, Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribePost)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_string())
    }
}

/// FNV-1a over several byte strings, each followed by a separator: stable across runs.
fn fnv64(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for p in parts {
        for b in p.iter().chain(&[0u8]) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    h
}
