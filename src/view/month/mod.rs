//! A month's digest as data: what the month holds (its policies by level, rankings, books,
//! products, articles of issues without policies), cut to excerpts a phone shows whole. The
//! site's `/digest/` pages and the e-mail (`crate::digest`) are both made from it, so it lives
//! with the views, below both.

pub mod listings;
pub mod parts;
pub mod text;
pub mod view;
