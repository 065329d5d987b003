//! Replacing some files of a published site all at once, or not at all.
//!
//! A small incremental build changes a few files of a large site. Staging a whole new tree for
//! that costs seconds of file-system work at 10,000 pages, so instead the changed files are
//! written into a pending folder beside the site (`.site.pending-XXXX/new/…`) and a journal
//! listing every replacement and removal is committed there by one rename. Only then is the
//! site touched: each old file is hard-linked into `old/` as a backup and the new one renamed
//! over it (so a reader never finds a page missing), each removed file is moved into `old/`.
//!
//! Every step can be redone, so a build killed while replacing leaves a journal that the next
//! `bulletin` command finishes ([`recover`]) before it does anything else. A replacement that
//! fails part-way (a read-only folder, a full disk) is undone from the backups: the journal is
//! renamed to `abort` first, so an undo that is itself interrupted is finished by the next
//! command too. A pending folder without either file was never committed and is deleted.
//! Nothing temporary is ever created inside the site.

use std::path::{Path, PathBuf};

use crate::fsio::IoError;

const JOURNAL: &str = "journal";
const ABORT: &str = "abort";
/// Where a build notes the output folder it is replacing files in, so that commands which do
/// not know `--out` still finish its work.
const POINTERS: &str = "publishing";

/// One change to the site, by path relative to its folder.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Op {
    Put(String),
    Del(String),
}

/// Replaces `put` (path, bytes) and removes `del` in `out`, all or nothing (see the module).
pub fn replace(
    root: &Path,
    out: &Path,
    put: &[(&str, &[u8])],
    del: &[String],
) -> Result<(), IoError> {
    if put.is_empty() && del.is_empty() {
        return Ok(());
    }
    let pointer = note_pointer(root, out);
    let pending = pending_dir(out)?;
    let result = stage_and_apply(&pending, out, put, del);
    if result.is_ok() || !pending.exists() {
        if let Some(p) = pointer {
            let _ = crate::fsio::remove_file(&p);
        }
    }
    result
}

fn stage_and_apply(
    pending: &Path,
    out: &Path,
    put: &[(&str, &[u8])],
    del: &[String],
) -> Result<(), IoError> {
    use rayon::prelude::*;
    // Errors name the site's file: the pending folder's random name means nothing to an editor.
    let staged = put.par_iter().try_for_each(|(rel, bytes)| {
        crate::fsio::write(&pending.join("new").join(rel), bytes).map_err(|e| IoError {
            path: out.join(rel),
            ..e
        })
    });
    let mut ops: Vec<Op> = put.iter().map(|(r, _)| Op::Put(r.to_string())).collect();
    ops.extend(del.iter().map(|r| Op::Del(r.clone())));
    let committed = staged.and_then(|()| commit(pending, &ops));
    if let Err(e) = committed {
        // Not committed: the site was not touched.
        let _ = crate::fsio::remove_dir_all(pending);
        return Err(e);
    }
    if let Err(e) = redo(pending, out, &ops) {
        // Undo what was done; if even that fails, the next command retries it.
        if crate::fsio::rename(&pending.join(JOURNAL), &pending.join(ABORT)).is_ok()
            && undo(pending, out, &ops).is_ok()
        {
            let _ = crate::fsio::remove_dir_all(pending);
        }
        return Err(e);
    }
    crate::fsio::remove_dir_all(pending)
}

/// Writes the journal through a temporary name: its rename is the commit point.
fn commit(pending: &Path, ops: &[Op]) -> Result<(), IoError> {
    let mut text = String::new();
    for op in ops {
        match op {
            Op::Put(r) => text.push_str(&format!("put {r}\n")),
            Op::Del(r) => text.push_str(&format!("del {r}\n")),
        }
    }
    text.push_str("end\n");
    let tmp = pending.join("journal.tmp");
    crate::fsio::write(&tmp, text.as_bytes())?;
    crate::fsio::rename(&tmp, &pending.join(JOURNAL))
}

fn parse(text: &str) -> Option<Vec<Op>> {
    let mut ops = Vec::new();
    for line in text.lines() {
        match line.split_once(' ') {
            Some(("put", r)) => ops.push(Op::Put(r.to_string())),
            Some(("del", r)) => ops.push(Op::Del(r.to_string())),
            _ if line == "end" => return Some(ops),
            _ => return None,
        }
    }
    None
}

/// Applies the journal; safe to run again after being interrupted at any point.
fn redo(pending: &Path, out: &Path, ops: &[Op]) -> Result<(), IoError> {
    let (new, old) = (pending.join("new"), pending.join("old"));
    for op in ops {
        match op {
            Op::Put(rel) => {
                let (src, dest, backup) = (new.join(rel), out.join(rel), old.join(rel));
                if !src.exists() {
                    continue; // done before the interruption
                }
                if dest.exists() && !backup.exists() {
                    crate::fsio::create_dir_all(parent(&backup))?;
                    if crate::fsio::hard_link(&dest, &backup).is_err() {
                        crate::fsio::copy(&dest, &backup)
                            .map_err(|e| e.told("cannot back up", &dest))?;
                    }
                }
                crate::fsio::create_dir_all(parent(&dest))?;
                crate::fsio::rename(&src, &dest).map_err(|e| e.told("cannot write", &dest))?;
            }
            Op::Del(rel) => {
                let (dest, backup) = (out.join(rel), old.join(rel));
                if crate::fsio::symlink_metadata(&dest).is_ok() {
                    crate::fsio::create_dir_all(parent(&backup))?;
                    crate::fsio::rename(&dest, &backup)
                        .map_err(|e| e.told("cannot remove", &dest))?;
                }
            }
        }
    }
    for op in ops {
        if let Op::Del(rel) = op {
            remove_empty_parents(out, &out.join(rel));
        }
    }
    Ok(())
}

/// Puts back what [`redo`] changed, from the backups; safe to run again.
fn undo(pending: &Path, out: &Path, ops: &[Op]) -> Result<(), IoError> {
    let (new, old) = (pending.join("new"), pending.join("old"));
    for op in ops.iter().rev() {
        match op {
            Op::Put(rel) => {
                let (dest, backup) = (out.join(rel), old.join(rel));
                if backup.exists() {
                    crate::fsio::rename(&backup, &dest)
                        .map_err(|e| e.told("cannot restore", &dest))?;
                } else if !new.join(rel).exists() && dest.exists() {
                    // A file this build added: it had no previous version.
                    crate::fsio::remove_file(&dest)?;
                    remove_empty_parents(out, &dest);
                }
            }
            Op::Del(rel) => {
                let (dest, backup) = (out.join(rel), old.join(rel));
                if backup.exists() {
                    crate::fsio::create_dir_all(parent(&dest))?;
                    crate::fsio::rename(&backup, &dest)
                        .map_err(|e| e.told("cannot restore", &dest))?;
                }
            }
        }
    }
    Ok(())
}

fn parent(p: &Path) -> &Path {
    p.parent().unwrap_or(Path::new("."))
}

/// Folders of pages that are gone: `remove_dir` only removes them when empty.
fn remove_empty_parents(out: &Path, path: &Path) {
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == out || !d.starts_with(out) || crate::fsio::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// Finishes (or, for an aborted one, undoes) every interrupted replacement in `out` and in the
/// output folders the root's pointers name. Run by every command before anything else.
pub fn recover(root: &Path, out: Option<&Path>) -> Result<(), IoError> {
    let mut outs: Vec<PathBuf> = out.map(Path::to_path_buf).into_iter().collect();
    let pointers = root.join(super::CACHE_DIR).join(POINTERS);
    let mut notes = Vec::new();
    if let Ok(entries) = crate::fsio::read_dir(&pointers) {
        for e in entries.flatten() {
            if let Ok(bytes) = crate::fsio::read_bounded(&e.path(), 4096) {
                let o = PathBuf::from(String::from_utf8_lossy(&bytes).into_owned());
                if o.is_absolute() && !outs.contains(&o) {
                    outs.push(o);
                }
            }
            notes.push(e.path());
        }
    }
    for o in &outs {
        recover_out(o)?;
    }
    for n in notes {
        let _ = crate::fsio::remove_file(&n);
    }
    Ok(())
}

fn recover_out(out: &Path) -> Result<(), IoError> {
    let (parent, prefix) = (
        super::parent_of(out),
        format!(".{}.pending-", super::name_of(out)),
    );
    let Ok(entries) = crate::fsio::read_dir(&parent) else {
        return Ok(());
    };
    let mut dirs: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| e.path())
        .collect();
    dirs.sort();
    for pending in dirs {
        let read = |name| {
            crate::fsio::read_bounded(&pending.join(name), 256 * 1024 * 1024)
                .ok()
                .and_then(|b| parse(&String::from_utf8_lossy(&b)))
        };
        if let Some(ops) = read(ABORT) {
            undo(&pending, out, &ops)?;
        } else if let Some(ops) = read(JOURNAL) {
            redo(&pending, out, &ops)?;
        }
        crate::fsio::remove_dir_all(&pending)?;
    }
    Ok(())
}

fn pending_dir(out: &Path) -> Result<PathBuf, IoError> {
    let parent = super::parent_of(out);
    crate::fsio::create_dir_all(&parent)?;
    tempfile::Builder::new()
        .prefix(&format!(".{}.pending-", super::name_of(out)))
        .tempdir_in(&parent)
        .map(tempfile::TempDir::keep)
        .map_err(|e| IoError::new("cannot create a folder in", &parent, e))
}

/// Notes `out` under the root's cache, for [`recover`]. Best effort: `build` itself also looks
/// beside `out`, so a root that cannot be written only loses the other commands' recovery.
fn note_pointer(root: &Path, out: &Path) -> Option<PathBuf> {
    let h = blake3::hash(out.as_os_str().as_encoded_bytes()).to_hex();
    let path = root.join(super::CACHE_DIR).join(POINTERS).join(&h[..16]);
    let text = out.to_str()?;
    crate::fsio::write_atomic(&path, text.as_bytes()).ok()?;
    Some(path)
}

#[cfg(test)]
// Tests set up files directly (the fsio rule of `clippy.toml` is for the code under test).
#[allow(clippy::disallowed_methods, clippy::disallowed_types)]
mod tests {
    use super::*;

    fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
                (
                    rel.display().to_string(),
                    std::fs::read(e.path()).unwrap_or_default(),
                )
            })
            .collect();
        v.sort();
        v
    }

    fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("root");
        let out = dir.path().join("site");
        for (rel, text) in [
            ("a.html", "old a"),
            ("gone/b.html", "old b"),
            ("c.html", "c"),
        ] {
            crate::fsio::write(&out.join(rel), text.as_bytes()).expect("write");
        }
        std::fs::create_dir_all(&root).expect("mkdir");
        (dir, root, out)
    }

    #[test]
    fn replaces_and_removes_and_leaves_nothing_behind() {
        let (dir, root, out) = setup();
        let put: Vec<(&str, &[u8])> = vec![("a.html", b"new a"), ("d/e.html", b"e")];
        replace(&root, &out, &put, &["gone/b.html".to_string()]).expect("replace");
        let names: Vec<String> = tree(&out).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["a.html", "c.html", "d/e.html"]);
        assert_eq!(std::fs::read(out.join("a.html")).expect("read"), b"new a");
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .expect("ls")
            .flatten()
            .collect();
        assert_eq!(left.len(), 2, "only root/ and site/ remain");
    }

    /// Every prefix of the work a replacement does, interrupted, is finished by `recover`.
    #[test]
    fn an_interrupted_replacement_is_finished_from_any_point() {
        let ops = vec![
            Op::Put("a.html".into()),
            Op::Put("d/e.html".into()),
            Op::Del("gone/b.html".into()),
        ];
        let (_d, root, out) = setup();
        let before = tree(&out);
        let want = {
            let (_d2, root2, out2) = setup();
            let put: Vec<(&str, &[u8])> = vec![("a.html", b"new a"), ("d/e.html", b"e")];
            replace(&root2, &out2, &put, &["gone/b.html".to_string()]).expect("replace");
            tree(&out2)
        };
        for stop in 0..=ops.len() {
            let pending = pending_dir(&out).expect("pending");
            crate::fsio::write(&pending.join("new/a.html"), b"new a").expect("w");
            crate::fsio::write(&pending.join("new/d/e.html"), b"e").expect("w");
            commit(&pending, &ops).expect("commit");
            redo(&pending, &out, &ops[..stop]).expect("redo part");
            recover(&root, Some(&out)).expect("recover");
            assert_eq!(tree(&out), want, "stopped after {stop} steps");
            // Back to the old site for the next round.
            let pending = pending_dir(&out).expect("pending");
            crate::fsio::write(&pending.join("new/a.html"), b"old a").expect("w");
            crate::fsio::write(&pending.join("new/gone/b.html"), b"old b").expect("w");
            let back = vec![
                Op::Put("a.html".into()),
                Op::Put("gone/b.html".into()),
                Op::Del("d/e.html".into()),
            ];
            commit(&pending, &back).expect("commit");
            redo(&pending, &out, &back).expect("redo");
            std::fs::remove_dir_all(&pending).expect("rm");
            assert_eq!(tree(&out), before);
        }
    }

    /// An undo interrupted at any point is finished by `recover`, giving the old site.
    #[test]
    fn an_interrupted_undo_gives_back_the_old_site() {
        let ops = vec![
            Op::Put("a.html".into()),
            Op::Put("d/e.html".into()),
            Op::Del("gone/b.html".into()),
        ];
        for applied in 0..=ops.len() {
            let (_d, root, out) = setup();
            let before = tree(&out);
            let pending = pending_dir(&out).expect("pending");
            crate::fsio::write(&pending.join("new/a.html"), b"new a").expect("w");
            crate::fsio::write(&pending.join("new/d/e.html"), b"e").expect("w");
            commit(&pending, &ops).expect("commit");
            redo(&pending, &out, &ops[..applied]).expect("redo part");
            std::fs::rename(pending.join(JOURNAL), pending.join(ABORT)).expect("abort");
            recover(&root, Some(&out)).expect("recover");
            assert_eq!(tree(&out), before, "undone after {applied} steps");
            assert!(!pending.exists());
        }
    }

    #[test]
    fn an_uncommitted_pending_folder_is_dropped() {
        let (_d, root, out) = setup();
        let before = tree(&out);
        let pending = pending_dir(&out).expect("pending");
        crate::fsio::write(&pending.join("new/a.html"), b"new a").expect("w");
        recover(&root, Some(&out)).expect("recover");
        assert_eq!(tree(&out), before);
        assert!(!pending.exists());
    }
}
