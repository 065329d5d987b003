//! Whom the SMTP connection trusts and how a refused TLS connection is explained: the bundled
//! Mozilla roots plus the CA certificates of `--ca-file` (an organisation's internal CA), the
//! lettre [`TlsParameters`] built from them, and the errors of a certificate or a server that
//! does not offer STARTTLS.
//!
//! The server's certificate is always verified (rustls: chain to a trusted root, validity dates,
//! the name or IP address in `digest.smtp.host`, the server-auth purpose); `--ca-file` only adds
//! roots, it never turns verification off.

use std::fmt;
use std::path::{Path, PathBuf};

use lettre::transport::smtp::client::{Certificate, CertificateStore, TlsParameters};

use super::send::SendError;
use crate::model::{DigestConfig, Security};

const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
const END: &str = "-----END CERTIFICATE-----";

/// The CA certificates of a PEM file, each checked to be a certificate rustls accepts as a root.
#[derive(Debug, Clone)]
pub struct CaFile {
    path: PathBuf,
    certs: Vec<Certificate>,
}

/// Why a `--ca-file` cannot be used: the file, the line of the certificate at fault, a hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaFileError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
    pub hint: String,
}

impl fmt::Display for CaFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
        }
        write!(f, ": {}\n  = hint: {}", self.message, self.hint)
    }
}

impl std::error::Error for CaFileError {}

const PEM_HINT: &str = "--ca-file takes PEM text: one or more `-----BEGIN CERTIFICATE-----` blocks, the CA certificate(s) of the relay (ask whoever runs it; `openssl s_client -starttls smtp -showcerts -connect HOST:587` shows the chain it sends)";

impl CaFile {
    /// Reads `path` and parses every `CERTIFICATE` block in it. Text around the blocks (such as
    /// `openssl x509 -text` output) and other blocks (keys) are ignored; a file without any
    /// certificate, a block cut short or one that is not a certificate is an error.
    pub fn load(path: &Path) -> Result<CaFile, CaFileError> {
        let err = |line: Option<usize>, message: String, hint: &str| CaFileError {
            path: path.to_path_buf(),
            line,
            message,
            hint: hint.to_string(),
        };
        let bytes = crate::fsio::read(path).map_err(|e| {
            err(
                None,
                format!("cannot read the CA file: {}", e.source),
                "check the path given to --ca-file (relative paths start from the current folder, not --root)",
            )
        })?;
        let Ok(text) = std::str::from_utf8(&bytes) else {
            // DER is a binary ASN.1 SEQUENCE: 0x30, then its length.
            let (message, hint) = if bytes.first() == Some(&0x30) {
                ("this looks like a binary (DER) certificate, not PEM text", "convert it: openssl x509 -inform der -in FILE -out FILE.pem, and pass FILE.pem")
            } else {
                ("not a PEM file: it is not text", PEM_HINT)
            };
            return Err(err(None, message.to_string(), hint));
        };
        let mut certs = Vec::new();
        let mut labels = Vec::new();
        let mut lines = text.lines().enumerate();
        while let Some((i, line)) = lines.next() {
            let line = line.trim();
            if line != BEGIN {
                if let Some(label) = line
                    .strip_prefix("-----BEGIN ")
                    .and_then(|l| l.strip_suffix("-----"))
                {
                    labels.push(label.to_string());
                }
                continue;
            }
            let n = certs.len() + 1;
            let mut block = format!("{BEGIN}\n");
            let mut ended = false;
            for (_, l) in lines.by_ref() {
                let l = l.trim();
                block.push_str(l);
                block.push('\n');
                if l == END {
                    ended = true;
                    break;
                }
            }
            let at = Some(i + 1);
            if !ended {
                return Err(err(
                    at,
                    format!("certificate {n} has no `{END}` line"),
                    "the file is cut short: copy the whole certificate again",
                ));
            }
            let cert = Certificate::from_pem(block.as_bytes()).map_err(|_| {
                err(
                    at,
                    format!("certificate {n} is not valid base64 between its BEGIN and END lines"),
                    "the certificate was damaged when copied: copy it again",
                )
            })?;
            // rustls parses a root when it is added: a block that is base64 but not an X.509
            // certificate is reported here, with its line, not at the first connection.
            TlsParameters::builder("localhost".to_string())
                .certificate_store(CertificateStore::None)
                .add_root_certificate(cert.clone())
                .build()
                .map_err(|e| {
                    err(
                        at,
                        format!("certificate {n} is not a valid X.509 certificate ({e})"),
                        "the certificate was damaged when copied: copy it again",
                    )
                })?;
            certs.push(cert);
        }
        if certs.is_empty() {
            let message = match labels.first() {
                Some(l) => format!("holds a `{l}` but no certificate"),
                None => format!("not a PEM file: no `{BEGIN}` line"),
            };
            return Err(err(None, message, PEM_HINT));
        }
        Ok(CaFile {
            path: path.to_path_buf(),
            certs,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How many certificates the file holds (at least one).
    pub fn count(&self) -> usize {
        self.certs.len()
    }
}

/// TLS for `host`: the bundled Mozilla roots (webpki-roots, through lettre's `rustls-tls`) and
/// the certificates of `ca`.
pub fn parameters(host: &str, ca: Option<&CaFile>) -> Result<TlsParameters, SendError> {
    let mut b = TlsParameters::builder(host.to_string());
    for c in ca.map(|c| c.certs.as_slice()).unwrap_or_default() {
        b = b.add_root_certificate(c.clone());
    }
    b.build()
        .map_err(|e| SendError::Setup(format!("cannot set up TLS for {host}: {e}")))
}

/// A connection failure that TLS explains: the server lacks STARTTLS, does not speak TLS, or
/// its certificate was refused. `None` for anything else.
///
/// lettre reports a failed handshake as a network error whose text is rustls' (the rustls
/// types are not reachable through lettre's error), so this reads the text: rustls writes
/// "invalid peer certificate: …" for every certificate it refuses.
pub fn explain(
    cfg: &DigestConfig,
    ca: Option<&CaFile>,
    e: &lettre::transport::smtp::Error,
) -> Option<SendError> {
    let text = e.to_string();
    let host = cfg.smtp.host.clone();
    let port = cfg.smtp.port();
    if text.contains("STARTTLS is not supported") {
        return Some(SendError::NoStarttls { host, port });
    }
    if cfg.smtp.security == Security::Tls
        && (text.contains("corrupt message") || text.contains("InvalidContentType"))
    {
        return Some(SendError::NotTls { host, port });
    }
    let reason = text.split_once("invalid peer certificate: ")?.1;
    let (reason, hint) = if reason.starts_with("UnknownIssuer") {
        let hint = match ca {
            Some(c) => format!(
                "it is issued neither by the bundled Mozilla roots nor by the {} certificate(s) in {}: check that this file holds the CA that issued the server's certificate (its root CA is enough only if the relay also sends the intermediate certificates)",
                c.count(),
                c.path().display()
            ),
            None => "if the relay uses your organisation's internal CA, pass that CA's certificate (PEM): bulletin digest MONTH --send --ca-file company-ca.pem".to_string(),
        };
        (format!("it is not issued by a trusted CA ({reason})"), hint)
    } else if reason.starts_with("certificate not valid for name") {
        (reason.to_string(), "digest.smtp.host in content/site.yaml must be a name (or IP address) the certificate lists: use the name the relay's certificate was issued for".to_string())
    } else if reason.contains("expired") || reason.contains("not valid yet") {
        (reason.to_string(), "the certificate is outside its validity dates: check this machine's clock, or ask whoever runs the relay to renew it".to_string())
    } else {
        (
            reason.to_string(),
            "ask whoever runs the relay which certificate it presents and which CA issued it"
                .to_string(),
        )
    };
    Some(SendError::Certificate {
        host,
        port,
        reason,
        hint,
    })
}
