//! The integration tests: one binary, one module per feature, all driving the real `bulletin`
//! binary against real files and, where it matters, real validators.

// Tests set up and inspect files directly: `clippy.toml`'s rule that only `src/fsio.rs` touches
// `std::fs` is for the crate, whose errors must name their paths.
#![allow(clippy::disallowed_methods, clippy::disallowed_types)]

mod support;

mod bad_input;
mod bench_gen;
mod content;
mod digest;
mod errors;
mod fast_path;
mod fidelity;
mod finder;
mod fuzz;
mod import;
mod import_policies;
mod incremental;
mod layers;
mod new;
mod printed;
mod publish;
mod reading;
mod search;
mod serve;
mod serve_limits;
mod site;
mod templates;
mod vocab;
