//! bulletin: renders editors' Markdown and YAML under `content/` into a static site and a
//! monthly e-mail digest.
//!
//! The pipeline, one module per stage: [`load`] (files to typed values) -> [`validate`] (cross
//! references, giving a [`model::Site`]) -> [`view`] (the pages and what templates see) ->
//! [`render`] (pages through Tera, feed, sitemap) -> [`output`] (the atomic write of `site/`).
//! [`incremental`] runs them for `bulletin build`, rendering only what changed, and [`serve`]
//! on every save; [`build`] holds what they share; [`check`] is `bulletin check` (the site in
//! memory and a link check); [`digest`] makes and sends the monthly e-mail; [`import`] turns a bulletin's text into
//! content files; [`new`] scaffolds one.

// Diagnostics are the error path of editors' mistakes: rare, and kept whole for the message.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod check;
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
