//! Pruning of the build records in `ROOT/.bulletin-cache/`: without it every `--out` folder ever
//! built into would keep its record (~4 MB at 10,000 pages) for good.

use std::path::{Path, PathBuf};

/// How many records (`build-*.bin`, and `build-*.json` from before the binary format; the one
/// just written included) survive a build. Each is
/// ~4 MB at 10,000 pages and only saves its own folder a full build, so a handful covers the
/// usual `site/` plus a few preview or deploy folders while bounding the records (8 × ~4 MB) for
/// someone (or a benchmark) who builds into a new folder every time.
const KEEP_RECORDS: usize = 8;

/// Deletes the other records in `current`'s folder whose output folder is gone, then the
/// oldest beyond [`KEEP_RECORDS`]. Touches only `build-<16 hex>.json` files and never
/// `current`; any error leaves a record in place, as the cache is only a shortcut.
pub(super) fn others_than(current: &Path) {
    let (Some(dir), Some(name)) = (current.parent(), current.file_name()) else {
        return;
    };
    let Ok(entries) = crate::fsio::read_dir(dir) else {
        return;
    };
    let mut kept = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_name() == name
            || !is_record_name(&entry.file_name())
            || !entry.file_type().is_ok_and(|t| t.is_file())
        {
            continue;
        }
        // Only a folder known to be absent condemns a record: an unreadable record, a relative
        // path or a failed look-up (permissions) leaves it to the cap.
        let gone = recorded_out(&path)
            .is_some_and(|out| out.is_absolute() && matches!(out.try_exists(), Ok(false)));
        if gone {
            let _ = crate::fsio::remove_file(&path);
        } else if let Ok(written) = entry.metadata().and_then(|m| m.modified()) {
            kept.push((written, path));
        }
    }
    for path in beyond_cap(kept, KEEP_RECORDS - 1) {
        let _ = crate::fsio::remove_file(&path);
    }
}

/// Whether `name` is one of ours: `build-`, 16 lowercase hex digits (see [`super::file`]),
/// `.bin` (or `.json`, a record from before the binary format).
fn is_record_name(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .and_then(|n| n.strip_prefix("build-"))
        .and_then(|n| n.strip_suffix(".bin").or_else(|| n.strip_suffix(".json")))
        .is_some_and(|h| h.len() == 16 && h.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
}

/// The records past the `keep` most recently written (ties broken by path, so the choice is
/// the same on every run).
fn beyond_cap(mut records: Vec<(std::time::SystemTime, PathBuf)>, keep: usize) -> Vec<PathBuf> {
    records.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    records.into_iter().skip(keep).map(|(_, p)| p).collect()
}

/// The `out` field of the record at `path`, reading only as far as that field.
/// [`super::Cache`] declares `out` before the large maps, so serde writes it near the start and
/// this reads the start of a multi-megabyte record rather than all of it.
fn recorded_out(path: &Path) -> Option<PathBuf> {
    if path.extension().is_some_and(|e| e == "json") {
        return recorded_out_json(path);
    }
    use std::io::Read as _;
    let mut start = Vec::new();
    // Enough for any output path a file system takes (PATH_MAX is 4,096).
    crate::fsio::open(path)
        .ok()?
        .take(8192)
        .read_to_end(&mut start)
        .ok()?;
    postcard::take_from_bytes::<super::Id>(&start)
        .ok()
        .map(|(id, _)| id.out)
}

/// [`recorded_out`] of a JSON record, as bulletin wrote them before the binary format.
fn recorded_out_json(path: &Path) -> Option<PathBuf> {
    use serde::de::{Deserializer as _, IgnoredAny, MapAccess, Visitor};
    struct OutOnly<'a>(&'a mut Option<PathBuf>);
    impl<'de> Visitor<'de> for OutOnly<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a build record")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            while let Some(key) = map.next_key::<String>()? {
                if key == "out" {
                    *self.0 = Some(map.next_value()?);
                    // Stop here: the rest of the record is never read.
                    return Ok(());
                }
                map.next_value::<IgnoredAny>()?;
            }
            Ok(())
        }
    }
    let reader = std::io::BufReader::new(crate::fsio::open(path).ok()?);
    let mut out = None;
    // Stopping early makes serde_json report the unread rest as an error; what was read
    // before it stands.
    let _ = serde_json::Deserializer::from_reader(reader).deserialize_map(OutOnly(&mut out));
    out
}

#[cfg(test)]
// Tests set up files directly (the fsio rule of `clippy.toml` is for the code under test).
#[allow(clippy::disallowed_methods, clippy::disallowed_types)]
mod tests {
    use super::super::{file, Cache, BAD, CACHE_DIR, FORMAT};
    use super::*;
    use std::ffi::OsStr;
    use std::time::{Duration, SystemTime};

    #[test]
    fn only_our_record_names_are_records() {
        assert!(is_record_name(OsStr::new("build-0123456789abcdef.bin")));
        assert!(is_record_name(OsStr::new("build-0123456789abcdef.json")));
        for other in [
            "bodies.bin",
            "build-0123456789abcdef.json.tmp",
            "build-0123456789abcdef.bin.tmp",
            "build-0123456789abcdef.txt",
            "build-0123456789ABCDEF.json",
            "build-0123456789abcde.json",
            "build-0123456789abcdef0.json",
            "build-0123456789abcdeg.json",
            "xbuild-0123456789abcdef.json",
            ".tmpAbC123",
        ] {
            assert!(!is_record_name(OsStr::new(other)), "{other}");
        }
        let root = Path::new("/r");
        let made = file(root, Path::new("/some/out"));
        assert!(is_record_name(made.file_name().expect("name")), "{made:?}");
    }

    #[test]
    fn the_cap_keeps_the_most_recently_written() {
        let at = |s| SystemTime::UNIX_EPOCH + Duration::from_secs(s);
        let records = vec![
            (at(3), PathBuf::from("c")),
            (at(1), PathBuf::from("a")),
            (at(4), PathBuf::from("d")),
            (at(2), PathBuf::from("b2")),
            (at(2), PathBuf::from("b1")),
        ];
        assert_eq!(
            beyond_cap(records.clone(), 3),
            [PathBuf::from("b2"), PathBuf::from("a")]
        );
        assert_eq!(beyond_cap(records.clone(), 5), Vec::<PathBuf>::new());
        assert_eq!(beyond_cap(records, 0).len(), 5);
    }

    #[test]
    fn the_output_folder_is_read_from_the_start_of_a_record() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("站点 \"out\"");
        let mut cache = Cache {
            out: out.clone(),
            ..Cache::default()
        };
        cache.outputs.insert("a.html".into(), BAD);
        cache.write(dir.path()).expect("write");
        let path = file(dir.path(), &out);
        assert_eq!(recorded_out(&path), Some(out.clone()));

        // Only the start is read: a record cut off after `out` still names its folder.
        let bytes = std::fs::read(&path).expect("read");
        let cut = postcard::to_stdvec(&(cache.format, &cache.binary, &out))
            .expect("encode")
            .len();
        std::fs::write(&path, &bytes[..cut]).expect("cut");
        assert_eq!(recorded_out(&path), Some(out.clone()));

        for bad in [&b""[..], b"\x02", b"\x02\x05abc", b"not a record at all"] {
            std::fs::write(&path, bad).expect("write");
            assert_eq!(recorded_out(&path), None, "{bad:?}");
        }
        // A record from before the binary format is read as the JSON it is.
        let legacy = path.with_extension("json");
        std::fs::write(
            &legacy,
            serde_json::json!({ "format": 1, "out": out }).to_string(),
        )
        .expect("write");
        assert_eq!(recorded_out(&legacy), Some(out));
        for bad in ["", "{", "[]", "{\"format\":1}", "{\"out\":3}", "not json"] {
            std::fs::write(&legacy, bad).expect("write");
            assert_eq!(recorded_out(&legacy), None, "{bad:?}");
        }
        assert_eq!(recorded_out(&dir.path().join("missing.json")), None);
    }

    #[test]
    fn prune_drops_dead_and_old_records_and_nothing_else() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        let cache_dir = root.join(CACHE_DIR);
        std::fs::create_dir_all(&cache_dir).expect("mkdir");
        // Binary records, and (odd `secs`) JSON ones from before the binary format.
        let record = |name: &str, out: &Path, secs: u64| {
            let path = if secs % 2 == 0 {
                let path = cache_dir.join(format!("build-{name}.bin"));
                let cache = Cache {
                    format: FORMAT,
                    out: out.to_path_buf(),
                    ..Cache::default()
                };
                std::fs::write(&path, postcard::to_stdvec(&cache).expect("encode")).expect("write");
                path
            } else {
                let path = cache_dir.join(format!("build-{name}.json"));
                let json = serde_json::json!({ "format": 1, "out": out, "inputs": {} });
                std::fs::write(&path, json.to_string()).expect("write");
                path
            };
            let f = std::fs::File::options()
                .write(true)
                .open(&path)
                .expect("open");
            f.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000 + secs))
                .expect("set mtime");
            path
        };
        let live = root.join("live");
        std::fs::create_dir(&live).expect("mkdir");
        let gone = root.join("gone");
        // Thirteen records of a live folder, oldest first, and one of a deleted folder.
        let olds: Vec<PathBuf> = (0..13)
            .map(|i| record(&format!("{i:016x}"), &live, i))
            .collect();
        let dead = record("dead000000000000", &gone, 100);
        // Not ours: kept whatever they hold.
        let foreign = [
            cache_dir.join("bodies.bin"),
            cache_dir.join("build-notours.json"),
            cache_dir.join(".tmpXyZ123"),
            cache_dir.join("notes.json"),
        ];
        for f in &foreign {
            let json = serde_json::json!({ "out": gone });
            std::fs::write(f, json.to_string()).expect("write");
        }
        let a_folder = cache_dir.join("build-00000000000000ff.json");
        std::fs::create_dir(&a_folder).expect("mkdir");

        // The record just written is the oldest of all and its folder is gone: still kept.
        let current = record("ffffffffffffffff", &gone, 0);
        others_than(&current);

        assert!(current.exists());
        assert!(!dead.exists(), "the record of a deleted folder stays");
        for f in foreign.iter().chain([&a_folder]) {
            assert!(f.exists(), "{f:?} was deleted");
        }
        for (i, old) in olds.iter().enumerate() {
            // The current record counts towards the cap: the newest KEEP_RECORDS - 1 others stay.
            let kept = i >= olds.len() - (KEEP_RECORDS - 1);
            assert_eq!(old.exists(), kept, "record {i}");
        }
    }
}
