//! What a page's bytes depend on, made explicit: its template closure (the template plus every
//! template it extends, includes or imports macros from, read from Tera's parsed syntax trees)
//! and its context (the view data of the page and the site-wide values, serialized). Rendering
//! is a pure function of the two, so a page whose fingerprint is unchanged renders to the same
//! bytes and need not be rendered again.
//!
//! This is dependency tracking by value rather than by a hand-kept graph: an edited article
//! changes exactly the pages whose view data shows something of it (its page, its issue, the
//! listings, tag and region pages that carry its card, the policies it reports on), and a
//! template edit changes exactly the pages whose closure holds that template. Fingerprinting
//! needs every page's view; `serve`'s fast path first narrows which views to build, from what
//! each page declares it depends on (see [`crate::view::select`]).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use tera::ast::Node;

use crate::view::Page;

/// Every key a page's context holds: `page` (the view, from [`Page::new`]) and what
/// [`crate::render::prepare_page`] adds.
pub const CONTEXT_KEYS: [&str; 6] = ["page", "site", "root", "current", "section", "crumbs"];

/// A fingerprint: a BLAKE3 hash, hex-encoded so that the cache is readable.
pub type Fingerprint = String;

/// Per template name, the hash of its closure's sources.
pub struct TemplateHashes(BTreeMap<String, blake3::Hash>);

impl TemplateHashes {
    /// Hashes each template's closure. `dir` is `templates/`, where Tera read the sources.
    pub fn new(tera: &tera::Tera, dir: &Path) -> TemplateHashes {
        let sources: BTreeMap<&str, blake3::Hash> = tera
            .templates
            .keys()
            .map(|name| {
                // Tera read this file a moment ago; if it vanished since, hash the absence and
                // let the next build see the change.
                let bytes = crate::fsio::read(&dir.join(name)).unwrap_or_default();
                (name.as_str(), blake3::hash(&bytes))
            })
            .collect();
        let mut out = BTreeMap::new();
        for name in tera.templates.keys() {
            let mut h = blake3::Hasher::new();
            for dep in closure(tera, name) {
                h.update(dep.as_bytes());
                h.update(&[0]);
                if let Some(src) = sources.get(dep.as_str()) {
                    h.update(src.as_bytes());
                }
            }
            out.insert(name.clone(), h.finalize());
        }
        TemplateHashes(out)
    }

    /// The fingerprint of a prepared page (see [`crate::render::prepare_page`]).
    pub fn page(&self, p: &Page) -> Fingerprint {
        let mut h = blake3::Hasher::new();
        h.update(b"page\0");
        h.update(p.template.as_bytes());
        h.update(&[0]);
        if let Some(t) = self.0.get(p.template) {
            h.update(t.as_bytes());
        }
        // Each value is serialized straight into the hasher (no copy of the context); JSON
        // objects are BTreeMaps, so the serialization is deterministic.
        for key in CONTEXT_KEYS {
            h.update(key.as_bytes());
            h.update(&[0]);
            let _ = serde_json::to_writer(&mut h, &p.context.get(key));
        }
        // Tera's context cannot list its keys cheaply; the tests (debug builds) check that no
        // key beyond CONTEXT_KEYS was added, which would make it an unseen dependency.
        #[cfg(debug_assertions)]
        if let Some(all) = p.context.clone().into_json().as_object() {
            assert!(
                all.keys().all(|k| CONTEXT_KEYS.contains(&k.as_str())),
                "page context key not in deps::CONTEXT_KEYS: {:?}",
                all.keys().collect::<Vec<_>>()
            );
        }
        h.finalize().to_hex().to_string()
    }
}

/// The fingerprint of a file whose bytes are its own input (feed, sitemap, static files).
pub fn bytes(b: &[u8]) -> Fingerprint {
    let mut h = blake3::Hasher::new();
    h.update(b"file\0");
    h.update(b);
    h.finalize().to_hex().to_string()
}

/// The template and everything it pulls in, sorted.
pub fn closure(tera: &tera::Tera, name: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![name.to_string()];
    while let Some(n) = todo.pop() {
        if !seen.insert(n.clone()) {
            continue;
        }
        let Some(t) = tera.templates.get(&n) else {
            continue;
        };
        todo.extend(t.parent.iter().cloned());
        todo.extend(t.imported_macro_files.iter().map(|(file, _)| file.clone()));
        let mut found = Vec::new();
        includes(&t.ast, &mut found);
        for m in t.macros.values() {
            includes(&m.body, &mut found);
        }
        todo.extend(found);
    }
    seen
}

/// Template names named by `{% include %}` anywhere in `nodes`.
fn includes(nodes: &[Node], out: &mut Vec<String>) {
    for n in nodes {
        match n {
            Node::Include(_, names, _) => out.extend(names.iter().cloned()),
            Node::Block(_, b, _) => includes(&b.body, out),
            Node::Forloop(_, f, _) => {
                includes(&f.body, out);
                if let Some(e) = &f.empty_body {
                    includes(e, out);
                }
            }
            Node::If(i, _) => {
                for (_, _, body) in &i.conditions {
                    includes(body, out);
                }
                if let Some((_, body)) = &i.otherwise {
                    includes(body, out);
                }
            }
            Node::FilterSection(_, f, _) => includes(&f.body, out),
            Node::MacroDefinition(_, m, _) => includes(&m.body, out),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closure_follows_extends_imports_and_nested_includes() {
        let mut tera = tera::Tera::default();
        tera.add_raw_templates(vec![
            ("base.html", "{% block b %}{% endblock %}"),
            ("macros.html", "{% macro m() %}{% include \"inner.html\" %}{% endmacro %}"),
            ("inner.html", "x"),
            ("part.html", "p"),
            ("unused.html", "u"),
            (
                "page.html",
                "{% extends \"base.html\" %}{% import \"macros.html\" as m %}\
                 {% block b %}{% if true %}{% for i in [1] %}{% include \"part.html\" %}{% endfor %}{% endif %}{% endblock %}",
            ),
        ])
        .expect("templates");
        let c: Vec<String> = closure(&tera, "page.html").into_iter().collect();
        assert_eq!(
            c,
            [
                "base.html",
                "inner.html",
                "macros.html",
                "page.html",
                "part.html"
            ]
        );
    }
}
