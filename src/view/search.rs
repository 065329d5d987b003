//! The search page: a shell that `search.js` fills from the index under `search/` (see
//! [`crate::search`]). It shows no content itself, so only its template changes it.

use serde::Serialize;

use super::{Select, Slot};

#[derive(Serialize, Hash)]
struct SearchView {
    title: &'static str,
}

pub fn search_page(sel: &Select) -> Slot {
    sel.view(
        "search/".into(),
        "search.html",
        &SearchView { title: "搜索" },
    )
}
