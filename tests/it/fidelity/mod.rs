//! Fidelity of the shipped `content/` to the bulletins it was derived from.
//!
//! Every title, source, document number, issuer, publisher, author, ranking entry, date and
//! number in `content/` must be traceable to the text of its bulletin
//! (`tests/fixtures/bulletins/`, copies of `../shared/bulletins/`). The content files are read
//! directly with serde_yaml (not through the crate's loader), so this test stands on its own.
//!
//! Mapping of items to bulletins:
//! - by `issue:`: `xinxi-zhaibian/2024-07` -> 001, `jinrong-zhiyin/2024-05` -> 002,
//!   `chanye-baodao/2024-12` -> 000, `chanye-baodao/2025-05` -> 003 (another issue is mapped by
//!   the `month` of its issue file: 2024-12 -> 000, 2025-05 -> 003, 2024-07 -> 001, 2024-05 -> 002);
//! - policies under `content/policies/2023/` -> 004;
//! - a policy without `issue` elsewhere -> the bulletins of the articles that list it in
//!   `policies` (a fact may come from any of them).
//!
//! Normalisation (applied to both sides): all whitespace removed; full-width ASCII variants
//! (U+FF01..U+FF5E, e.g. `：` `（` `，` `１`) mapped to ASCII; curly quotes mapped to straight ones.
//! Dates `YYYY-MM-DD` are accepted as `2024-06-19`, `2024.06.19`, `2024/06/19`, `2024.6.19`,
//! `2024年6月19日`, `2024年06月19日`, or `6月19日` when the year appears in the text or is the
//! bulletin's own year; months `YYYY-MM` likewise (`2024年6月`, `2024.06`, `2024-06`, `6月`+year).
//! Numbers are the runs of ASCII digits (with a decimal part: `1.5`, `33` of `33%`) and must occur
//! as a whole number in the text.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_yaml::Value;
use walkdir::WalkDir;

/// (id, file name, the bulletin's own year as its README states it)
pub(super) const BULLETINS: &[(&str, &str, i32)] = &[
    ("000", "000_cffa8b30958d59cf.txt", 2024),
    ("001", "001_63ddb052a804766a.txt", 2024),
    ("002", "002_6aa2ce7c6a878419.txt", 2024),
    ("003", "003_968f18d31259bbc3.txt", 2025),
    ("004", "004_e7dd661cb3f7d4f1.txt", 2023),
];

pub(super) const ISSUE_MAP: &[(&str, &str)] = &[
    ("xinxi-zhaibian/2024-07", "001"),
    ("jinrong-zhiyin/2024-05", "002"),
    ("chanye-baodao/2024-12", "000"),
    ("chanye-baodao/2025-05", "003"),
];

pub(super) const MONTH_MAP: &[(&str, &str)] = &[
    ("2024-07", "001"),
    ("2024-05", "002"),
    ("2024-12", "000"),
    ("2025-05", "003"),
];

pub(super) fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub(super) fn content_dir() -> PathBuf {
    manifest_dir().join("content")
}

/// Fails with every failure of a check at once, one a line.
pub(super) fn report(what: &str, failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} {what}:\n  - {}\n",
        failures.len(),
        failures.join("\n  - ")
    );
}

mod bulletin;
mod checker;
mod items;
mod normalize;
mod shape;
mod titles;
mod traced;

use bulletin::*;
use checker::*;
use items::*;
use normalize::*;
