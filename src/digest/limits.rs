//! Reading the files `--send` depends on, the recipients file and the send log, safely: the
//! recipients file named in `site.yaml` must lie inside the folder holding `content/`, and
//! both must be regular files of a sensible size, so that a wrong name (`/etc/passwd`,
//! `/dev/zero`, a log linked to `/dev/full`) is one clear error rather than a flood of quoted
//! lines or a read that never ends.

use std::path::{Component, Path, PathBuf};

use crate::diag::Diagnostic;
use crate::fsio;

/// A recipients file holds one address a line: 4 MiB is some 100,000 readers.
pub const RECIPIENTS_MAX: u64 = 4 << 20;
/// A send-log line is about 100 bytes: 64 MiB is some 600,000 deliveries.
pub const SEND_LOG_MAX: u64 = 64 << 20;
/// Errors of one file listed before the rest are only counted.
pub const ERRORS_SHOWN: usize = 10;
/// Characters of a quoted line in an error.
pub const EXCERPT_CHARS: usize = 60;

/// `rel` (as written in `site.yaml`) resolved under `root`, refused when it is absolute or
/// leads outside `root`, through `..` or a symbolic link.
pub fn inside_root(root: &Path, rel: &Path, hint: &str) -> Result<PathBuf, Diagnostic> {
    let outside = || {
        Diagnostic::new(
            "content/site.yaml",
            format!(
                "the recipients file `{}` is outside the folder holding content/",
                short(&rel.display().to_string())
            ),
        )
        .with_hint(hint.to_string())
    };
    if rel.is_absolute() || rel.components().any(|c| matches!(c, Component::ParentDir)) {
        return Err(outside());
    }
    let path = root.join(rel);
    // A link inside the root may still point elsewhere: compare the real locations.
    if let (Ok(real_root), Ok(real)) = (
        crate::fsio::canonicalize(root),
        crate::fsio::canonicalize(&path),
    ) {
        if !real.starts_with(&real_root) {
            return Err(outside());
        }
    }
    Ok(path)
}

/// The UTF-8 text of the regular file `path`, at most `max` bytes; errors name `shown`.
pub fn read_limited(path: &Path, shown: &Path, max: u64, hint: &str) -> Result<String, Diagnostic> {
    // The bounded read every command uses; only the path shown and the hint are the digest's.
    let bytes = fsio::read_bounded(path, max).map_err(|e| {
        Diagnostic::new(shown, format!("cannot read file: {}", e.source))
            .with_hint(hint.to_string())
    })?;
    fsio::text_from_bytes(shown, bytes).map_err(|d| Diagnostic {
        snippet: d.snippet.map(|s| short(&s)),
        ..d
    })
}

/// At most [`EXCERPT_CHARS`] characters of `s`, control characters escaped.
pub fn short(s: &str) -> String {
    let mut out: String = s
        .chars()
        .take(EXCERPT_CHARS)
        .flat_map(|c| match c.is_control() {
            true => c.escape_default().collect::<Vec<_>>(),
            false => vec![c],
        })
        .collect();
    if s.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    out
}
