//! What `content/` may hold: `site.yaml` and the folders bulletin reads. Anything else is a typo
//! or a misplaced file, and is an error rather than content silently left out.

use std::path::{Path, PathBuf};

use crate::diag::{did_you_mean, warn, Diagnostic, Diagnostics};
use crate::model::Kind;

/// The folders of `content/` besides the kinds'.
const OTHER_DIRS: [&str; 3] = ["issues", "digests", "vocab"];

/// Files an editor may keep beside the content: notes for colleagues, markers for git.
fn is_editors_file(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    name.starts_with('.')
        || name.ends_with('~')
        || upper.starts_with("README")
        || upper.starts_with("LICENSE")
        || upper.starts_with("NOTES")
}

pub fn check(root: &Path, diags: &mut Diagnostics) {
    let content = root.join("content");
    let Ok(entries) = crate::fsio::read_dir(&content) else {
        return;
    };
    let mut names: Vec<(String, std::fs::FileType)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| Some((e.file_name().to_str()?.to_string(), e.file_type().ok()?)))
        .collect();
    names.sort_by(|a, b| a.0.cmp(&b.0));
    let dirs: Vec<&str> = Kind::ALL
        .iter()
        .map(|k| k.dir())
        .chain(OTHER_DIRS)
        .collect();
    for (name, ty) in names {
        let rel = PathBuf::from("content").join(&name);
        let known_dir = dirs.contains(&name.as_str());
        if ty.is_symlink() {
            // A linked kind folder or site.yaml is read (as it always was); anything else is not.
            if !known_dir && name != "site.yaml" && !name.starts_with('.') {
                symlink(&rel);
            }
            continue;
        }
        if ty.is_dir() && !known_dir && !name.starts_with('.') {
            let hint = match did_you_mean(&name, dirs.iter().copied()) {
                Some(d) => format!("did you mean `{d}`? rename the folder to content/{d}/"),
                None => format!(
                    "bulletin reads only site.yaml and the folders {} under content/: move it out of content/",
                    dirs.join(", ")
                ),
            };
            diags.push(
                Diagnostic::new(&rel, format!("unknown folder `content/{name}/`")).with_hint(hint),
            );
        } else if ty.is_file() && known_dir {
            diags.push(
                Diagnostic::new(&rel, format!("`content/{name}` is a file, not a folder"))
                    .with_hint(format!(
                        "content/{name}/ must be a folder holding the files of that kind"
                    )),
            );
        } else if ty.is_file() && name != "site.yaml" && !is_editors_file(&name) {
            let hint = match did_you_mean(&name, ["site.yaml"]) {
                Some(s) => format!("rename it to {s}"),
                None => "content/ holds site.yaml and the content folders: move the file into its folder, or out of content/".to_string(),
            };
            diags.push(
                Diagnostic::new(&rel, format!("unexpected file `content/{name}`")).with_hint(hint),
            );
        }
    }
}

/// Links are not followed (a link could lead out of the root, or loop): say so.
pub fn symlink(rel: &Path) {
    warn(
        &Diagnostic::new(
            rel,
            "symbolic link skipped: bulletin does not follow links in content/",
        )
        .with_hint("put the file itself here instead of a link to it"),
    );
}
