//! What editors write for the monthly digest: the `digest:` block of `content/site.yaml` and the
//! optional editor's note `content/digests/YYYY-MM.md`.
//!
//! Addresses parse into lettre's [`Mailbox`] here, so an invalid `from` or recipient is an error
//! of the content, with its line, before anything is rendered or sent.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use lettre::message::Mailbox;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::values::Month;

/// `digest:` in `content/site.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DigestConfig {
    /// The sender, e.g. `资料室 <bulletin@example.org>`.
    pub from: EmailAddress,
    pub recipients: Recipients,
    /// `https://…` and/or `mailto:…` addresses for the `List-Unsubscribe` header.
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub list_unsubscribe: Vec<UnsubscribeUrl>,
    pub smtp: SmtpConfig,
    /// The name in the subject's brackets, short enough for a phone's inbox (`【信息摘编】…`);
    /// defaults to the site's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
}

/// `smtp:` under `digest:`. The password is never written here: it comes from the environment.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpConfig {
    pub host: String,
    /// Defaults by `security`: 25 for none, 587 for starttls, 465 for tls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    pub security: Security,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
}

impl SmtpConfig {
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(match self.security {
            Security::None => 25,
            Security::Starttls => 587,
            Security::Tls => 465,
        })
    }
}

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// Plain text: only for a relay on the same machine or a test server.
    None,
    /// Plain connection upgraded with STARTTLS (usually port 587); required, not opportunistic.
    Starttls,
    /// TLS from the first byte (usually port 465).
    Tls,
}

/// Who receives the digest: a list in `site.yaml`, or the path (relative to the folder holding
/// `content/`) of a text file with one address per line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipients {
    List(Vec<EmailAddress>),
    File(PathBuf),
}

impl<'de> Deserialize<'de> for Recipients {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Recipients;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of e-mail addresses, or the path of a file of addresses")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Recipients, E> {
                if s.trim().is_empty() {
                    return Err(E::custom("empty recipients file name | hint: write a list of addresses or a file path, e.g. recipients.txt"));
                }
                Ok(Recipients::File(PathBuf::from(s.trim())))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<Recipients, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = a.next_element::<EmailAddress>()? {
                    v.push(x);
                }
                Ok(Recipients::List(v))
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for Recipients {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Recipients::List(v) => v.serialize(s),
            Recipients::File(p) => s.collect_str(&p.display()),
        }
    }
}

/// An e-mail address, optionally with a display name: `reader@example.org` or
/// `张三 <zhangsan@example.org>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(pub Mailbox);

impl EmailAddress {
    /// The bare address, lowercased: how the send log identifies a recipient.
    pub fn key(&self) -> String {
        self.0.email.to_string().to_lowercase()
    }
}

/// `s` without its RFC 5322 comments (`(…)` outside quoted strings), and the text of the last
/// comment; `None` when a quote or parenthesis is left open. Also whether a `,` or `;` stands
/// outside quotes, which makes `s` a list rather than one address.
fn strip_comments(s: &str) -> Option<(String, Option<String>, bool)> {
    let (mut out, mut comment, mut cur) = (String::new(), None, String::new());
    let (mut quoted, mut depth, mut escaped, mut list) = (false, 0usize, false, false);
    for c in s.chars() {
        if escaped {
            escaped = false;
            match depth {
                0 => out.push(c),
                _ => cur.push(c),
            }
            continue;
        }
        match c {
            '\\' if quoted || depth > 0 => {
                escaped = true;
                if depth == 0 {
                    out.push(c);
                }
            }
            '"' if depth == 0 => {
                quoted = !quoted;
                out.push(c);
            }
            '(' if !quoted => {
                if depth > 0 {
                    cur.push(c);
                }
                depth += 1;
            }
            ')' if !quoted && depth > 0 => {
                depth -= 1;
                match depth {
                    0 => comment = Some(std::mem::take(&mut cur).trim().to_string()),
                    _ => cur.push(c),
                }
            }
            _ if depth > 0 => cur.push(c),
            ',' | ';' if !quoted => {
                list = true;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    (!quoted && depth == 0 && !escaped).then(|| (out.trim().to_string(), comment, list))
}

impl FromStr for EmailAddress {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim();
        let err = || {
            let shown: String = t.chars().take(60).collect();
            let more = if t.chars().count() > 60 { "…" } else { "" };
            format!("invalid e-mail address `{shown}{more}` | hint: write e.g. reader@example.org or 张三 <zhangsan@example.org>, one address each; a name with quotes or commas goes in double quotes: \"张\\\"三\" <zhangsan@example.org>")
        };
        if t.is_empty() || t.chars().any(char::is_control) {
            return Err(err());
        }
        // lettre's parser stops after the first mailbox and ignores the rest; a list or trailing
        // text is a mistake here. Comments are allowed by RFC 5322 but not by lettre.
        let (bare_text, comment, list) = strip_comments(t).ok_or_else(err)?;
        if list {
            return Err(err());
        }
        let mut m: Mailbox = bare_text.parse().map_err(|_| err())?;
        let bare = m.email.to_string();
        let shape_ok = bare_text == bare
            || (bare_text.ends_with('>') && bare_text.contains(&format!("<{bare}>")));
        let domain_ok = m.email.domain().contains('.') || m.email.domain() == "localhost";
        if !shape_ok || !domain_ok {
            return Err(err());
        }
        // `reader@example.org (张三)`: the comment is the name, by old convention.
        if m.name.is_none() {
            m.name = comment.filter(|c| !c.is_empty());
        }
        Ok(EmailAddress(m))
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl<'de> Deserialize<'de> for EmailAddress {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

impl Serialize for EmailAddress {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A `List-Unsubscribe` target: `https://…` (one-click, RFC 8058) or `mailto:…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsubscribeUrl(String);

impl UnsubscribeUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn is_https(&self) -> bool {
        self.0.starts_with("https://")
    }
}

impl FromStr for UnsubscribeUrl {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let ok = (s.starts_with("https://") && s.len() > 8)
            || s.strip_prefix("mailto:").is_some_and(|a| {
                a.split('?')
                    .next()
                    .is_some_and(|a| a.parse::<EmailAddress>().is_ok())
            });
        if ok && s.is_ascii() && !s.contains(['<', '>', ' ', ',', '"']) {
            Ok(UnsubscribeUrl(s.to_string()))
        } else {
            Err(format!("invalid list_unsubscribe `{s}` | hint: write an https:// address or mailto:unsubscribe@example.org (ASCII, percent-encoded)"))
        }
    }
}

impl<'de> Deserialize<'de> for UnsubscribeUrl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

impl Serialize for UnsubscribeUrl {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

fn one_or_many<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    // A visitor rather than an untagged enum, which would hide the inner error.
    struct V<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for V<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an address, or a list of addresses")
        }
        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Vec<T>, E> {
            T::deserialize(serde::de::value::StrDeserializer::<E>::new(s)).map(|x| vec![x])
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Vec<T>, A::Error> {
            let mut v = Vec::new();
            while let Some(x) = a.next_element::<T>()? {
                v.push(x);
            }
            Ok(v)
        }
    }
    d.deserialize_any(V(std::marker::PhantomData))
}

/// Front matter of `content/digests/YYYY-MM.md`; every field is optional.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DigestNoteMeta {
    /// Replaces the subject the template `digest/subject.txt` would give.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The line mail clients show after the subject in the inbox.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preheader: Option<String>,
    /// The editor's picks shown first (本期导读), as `<kind folder>/<slug>`, e.g.
    /// `policies/2024-07-10-wangluo-qu-nat-ipv6-bushu`; without them, the newest national
    /// policies are shown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub picks: Vec<String>,
}

/// The line of `text` where the pick `p` is written (for messages), else the first.
pub fn pick_line(text: &str, p: &str) -> usize {
    let after = text
        .lines()
        .position(|l| l.trim_start().starts_with("picks:"))
        .unwrap_or(0);
    text.lines()
        .enumerate()
        .skip(after)
        .find(|(_, l)| l.contains(p.trim()))
        .map_or(after + 1, |(i, _)| i + 1)
}

/// An editor's note for one month's digest.
#[derive(Debug, Clone)]
pub struct DigestNote {
    pub month: Month,
    pub path: PathBuf,
    pub meta: DigestNoteMeta,
    /// Markdown.
    pub body: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert!("reader@example.org".parse::<EmailAddress>().is_ok());
        assert!("张三 <zhangsan@example.org>"
            .parse::<EmailAddress>()
            .is_ok());
        // RFC 5322 forms: quoted names with escapes, commas or angle brackets, and comments.
        for (good, name) in [
            (r#""张\"三 信息" <a@example.org>"#, Some("张\"三 信息")),
            (r#""资料室, 天津" <a@example.org>"#, Some("资料室, 天津")),
            ("信息摘编 (备注) <a@example.org>", Some("信息摘编")),
            ("a@example.org (张三)", Some("张三")),
        ] {
            let a = good.parse::<EmailAddress>();
            assert_eq!(
                a.map(|a| a.0.name).as_ref().map(Option::as_deref),
                Ok(name),
                "{good}"
            );
        }
        for bad in [
            "reader",
            "a@b",
            "a@example.org, b@example.org",
            "\"open <a@example.org>",
            "(open <a@example.org>",
            "a b@example.org",
            "<a@example.org> x",
        ] {
            assert!(bad.parse::<EmailAddress>().is_err(), "{bad}");
        }
    }

    #[test]
    fn unsubscribe() {
        assert!("https://example.org/u".parse::<UnsubscribeUrl>().is_ok());
        assert!("mailto:u@example.org?subject=unsubscribe"
            .parse::<UnsubscribeUrl>()
            .is_ok());
        assert!("javascript:alert(1)".parse::<UnsubscribeUrl>().is_err());
    }
}
