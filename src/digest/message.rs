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

/// The `Date` of messages: `SOURCE_DATE_EPOCH` if set (seconds since 1970), else now.
pub fn message_date() -> SystemTime {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map_or_else(SystemTime::now, |s| {
            SystemTime::UNIX_EPOCH + Duration::from_secs(s)
        })
}

/// The message for `to`, and its Message-ID (with the angle brackets).
pub fn build(
    email: &Email,
    cfg: &DigestConfig,
    base_url: &BaseUrl,
    month: Month,
    to: &EmailAddress,
    date: SystemTime,
) -> Result<(Message, String), String> {
    let hash = fnv64(&[
        email.subject.as_bytes(),
        email.text.as_bytes(),
        email.html.as_bytes(),
        to.key().as_bytes(),
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
        .to(to.0.clone())
        .subject(email.subject.clone())
        .date(date)
        .message_id(Some(id.clone()));
    if !cfg.list_unsubscribe.is_empty() {
        let value = cfg
            .list_unsubscribe
            .iter()
            .map(|u| format!("<{}>", u.as_str()))
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
