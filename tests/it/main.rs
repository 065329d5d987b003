//! The integration tests: one binary, one module per feature, all driving the real `bulletin`
//! binary against real files and, where it matters, real validators.

mod support;

mod bench_gen;
mod content;
mod digest;
mod errors;
mod fast_path;
mod fidelity;
mod import;
mod incremental;
mod new;
mod search;
mod serve;
mod site;
