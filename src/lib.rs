//! bulletin: renders editors' Markdown and YAML under `content/` into a static site and a
//! monthly e-mail digest.
//!
//! The pipeline, one module per stage: [`load`] (files to typed values) -> [`validate`] (cross
//! references, giving a [`model::Site`]) -> [`view`] (the pages and what templates see) ->
//! [`render`] (pages through Tera, feed, sitemap) -> [`output`] (the atomic write of `site/`).
//! [`incremental`] runs them for `bulletin build`, rendering only what changed, and [`serve`]
//! on every save; [`build`] holds what they share; [`check`] is `bulletin check` (the site in
//! memory and a link check); [`digest`] makes and sends the monthly e-mail; [`import`] turns a bulletin's text into
//! content files; [`new`] scaffolds one. [`cli`] is each command as the terminal meets it
//! (printing, exit codes); `main.rs` only parses the command line.

// Diagnostics are the error path of editors' mistakes: rare, and kept whole for the message.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod check;
pub mod cli;
pub mod contents;
pub mod diag;
pub mod digest;
pub mod encoding;
pub mod fsio;
pub mod import;
pub mod incremental;
pub mod load;
pub mod markdown;
pub mod model;
pub mod new;
pub mod output;
pub mod render;
pub mod search;
pub mod serve;
pub mod text;
pub mod timings;
pub mod urls;
pub mod validate;
pub mod view;
pub mod yaml;

/// Turns transparent huge pages off for this process. mimalloc asks the kernel for them
/// (`madvise(MADV_HUGEPAGE)`) on every segment it maps, and the kernel then zeroes 2 MiB at the
/// first touch of each: in a build after one edit at 10,000 pages that zeroing was 41% of the
/// samples, and it raised the peak memory by ~45 MB (docs/benchmarks.md). With 4 KiB pages only
/// what is touched is zeroed. Best effort: a kernel without the setting changes nothing.
pub fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}
