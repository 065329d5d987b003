//! The send log, `digest-sent.log` beside `content/`: one line per delivered message,
//! `MONTH<TAB>ADDRESS<TAB>SENT-AT (UTC)<TAB>MESSAGE-ID`. A line is appended and flushed to disk
//! (fsync) as soon as the server accepts a message, so an interrupted run forgets at most the
//! delivery in flight (accepted by the server, not yet logged: delivery is at-least-once within
//! that window) and a re-run sends only to the rest. Deleting a line lets that address get the
//! month again.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::fsio::IoError;
use crate::model::Month;

pub const LOG_FILE: &str = "digest-sent.log";

const HEADER: &str = "# bulletin digest send log: month, recipient, sent at (UTC), Message-ID.\n# One line per delivered message; delete a line to send that month to that address again.\n";

#[derive(Debug)]
pub struct SendLog {
    path: PathBuf,
    sent: BTreeSet<(Month, String)>,
    /// Held for the whole run: two sends at once would both see an address as not yet sent.
    _lock: Option<std::fs::File>,
}

/// Locks the folder holding `content/` against a second concurrent send (`flock`, released by
/// the kernel when the process ends, so a crash leaves no stale lock).
#[cfg(target_os = "linux")]
fn lock(root: &Path) -> Result<Option<std::fs::File>, Diagnostic> {
    let dir = crate::fsio::open(root)
        .map_err(|e| Diagnostic::new(root, format!("cannot open the folder: {}", e.source)))?;
    rustix::fs::flock(&dir, rustix::fs::FlockOperation::NonBlockingLockExclusive).map_err(
        |_| {
            Diagnostic::new(
                root.join(LOG_FILE),
                "another `bulletin digest --send` is running on this content",
            )
            .with_hint("wait for it to finish; the send log then says who already got the digest")
        },
    )?;
    Ok(Some(dir))
}

#[cfg(not(target_os = "linux"))]
fn lock(_root: &Path) -> Result<Option<std::fs::File>, Diagnostic> {
    Ok(None)
}

impl SendLog {
    /// Reads the log under `root`; a missing log is an empty one.
    pub fn open(root: &Path) -> Result<SendLog, Diagnostic> {
        let lock = lock(root)?;
        let path = root.join(LOG_FILE);
        let mut sent = BTreeSet::new();
        if path.exists() {
            let text = super::limits::read_limited(
                &path,
                &path,
                super::limits::SEND_LOG_MAX,
                "the send log lists who received which month; move it away (and keep it) to start a new one",
            )?;
            for (i, line) in text.lines().enumerate() {
                if line.trim().is_empty() || line.starts_with('#') {
                    continue;
                }
                let mut fields = line.split('\t');
                let month = fields.next().and_then(|m| m.parse::<Month>().ok());
                let addr = fields.next().filter(|a| a.contains('@'));
                match (month, addr) {
                    (Some(m), Some(a)) => {
                        sent.insert((m, a.trim().to_lowercase()));
                    }
                    _ => {
                        return Err(Diagnostic::new(&path, "damaged send log line")
                            .at(&text, i + 1, 1)
                            .with_hint("each line is MONTH<TAB>ADDRESS<TAB>TIME<TAB>MESSAGE-ID; fix or delete the line"))
                    }
                }
            }
        }
        Ok(SendLog {
            path,
            sent,
            _lock: lock,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Has `month` been delivered to the address with this key ([`crate::model::EmailAddress::key`])?
    pub fn contains(&self, month: Month, key: &str) -> bool {
        self.sent.contains(&(month, key.to_string()))
    }

    /// Records a delivery and makes it durable before returning.
    pub fn record(&mut self, month: Month, key: &str, message_id: &str) -> Result<(), IoError> {
        let new = !self.path.exists();
        let mut f = crate::fsio::open_append(&self.path)?;
        let at = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ");
        let mut line = String::new();
        if new {
            line.push_str(HEADER);
        }
        line.push_str(&format!("{month}\t{key}\t{at}\t{message_id}\n"));
        f.write_all(line.as_bytes())
            .and_then(|()| f.sync_data())
            .map_err(|e| IoError::new("cannot write", &self.path, e))?;
        // A new log's name is in its folder: make that durable too, or a crash could lose the
        // file with its first line.
        #[cfg(unix)]
        if new {
            if let Some(dir) = self.path.parent() {
                crate::fsio::open(dir)
                    .and_then(|d| {
                        d.sync_all()
                            .map_err(|e| IoError::new("cannot write", dir, e))
                    })
                    .map_err(|e| e.told("cannot write", dir))?;
            }
        }
        self.sent.insert((month, key.to_string()));
        Ok(())
    }
}
