//! bulletin: renders editors' Markdown and YAML under `content/` into a static site.

pub mod import;
