//! Refuses templates whose rendering would never end: a macro that calls itself (directly or
//! through other macros or includes), a template that includes itself, templates that import
//! each other's macros in a loop.
//!
//! Tera 1.x has no recursion limit, so any of these overflows the stack, and a stack overflow
//! aborts the whole process (`serve` included): it cannot be caught. A depth guard would need a
//! hook inside Tera's renderer, which it does not offer, and a bigger stack only moves the crash.
//! So the call graph is read from the parsed syntax trees after loading and any cycle is an error
//! naming the template and the line. The price: bounded recursion (a macro that stops at some
//! depth) is refused too; a `{% for %}` loop does the same work.
//!
//! Which macro `ns::name` names depends on the template Tera treats as active when it runs:
//! the template holding the code, or, inside a `{% block %}` or the top of an extended template,
//! one fixed template for the whole call chain. Each of those resolutions is checked as its own
//! graph, so a cycle is reported exactly when some rendering would follow it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::diag::Diagnostic;

mod report;
mod walk;

use report::{chain_diagnostic, cycle_diagnostic, import_diagnostic};
use walk::collect_refs;

/// A vertex of the call graph: a macro (its template and name) or a template's own body, entered
/// through `{% include %}`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Vertex {
    Macro(String, String),
    Body(String),
}

impl Vertex {
    fn template(&self) -> &str {
        match self {
            Vertex::Macro(t, _) | Vertex::Body(t) => t,
        }
    }

    fn label(&self) -> String {
        match self {
            Vertex::Macro(t, m) => format!("{t}::{m}"),
            Vertex::Body(t) => format!("include \"{t}\""),
        }
    }
}

/// What a body refers to: macro calls `(namespace, name, tag depth)` and included template
/// names with their tag depth (how many `if`, `for`, … enclose them), and its deepest tag.
#[derive(Default)]
struct Refs {
    calls: Vec<(String, String, usize)>,
    includes: Vec<(String, usize)>,
    depth: usize,
    deepest: usize,
}

/// Namespace -> template, as Tera resolves `ns::macro` with a given template active.
type Namespaces = BTreeMap<String, String>;

/// Every cycle in `tera`'s templates, as diagnostics on the template at fault. `sources` holds
/// the template texts by name, for the line of the definition.
pub fn check(tera: &tera::Tera, dir: &Path, sources: &BTreeMap<&str, &str>) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = import_cycles(tera)
        .into_iter()
        .map(|cycle| import_diagnostic(&cycle, dir, sources))
        .collect();
    if !out.is_empty() {
        // Namespaces cannot be resolved through an import loop.
        return out;
    }
    let refs = collect_refs(tera);
    let mut namespaces = BTreeMap::new();
    for name in tera.templates.keys() {
        namespaces.insert(
            name.clone(),
            namespaces_of(tera, name, &mut BTreeSet::new()),
        );
    }
    // `None`: each body resolves in its own template; `Some(ns)`: one template's namespaces
    // for every body (templates with the same namespaces make the same graph).
    let fixed: BTreeSet<&Namespaces> = namespaces.values().collect();
    let regimes = std::iter::once(None).chain(fixed.into_iter().map(Some));
    let mut cycles = BTreeSet::new();
    let mut deep = None;
    let own: BTreeMap<&Vertex, usize> = refs.iter().map(|(v, r)| (v, r.deepest)).collect();
    for regime in regimes {
        let weighted: BTreeMap<&Vertex, Vec<(Vertex, usize)>> = refs
            .iter()
            .map(|(v, r)| {
                let ns = regime.unwrap_or_else(|| &namespaces[v.template()]);
                (v, targets(tera, ns, r))
            })
            .collect();
        let graph: BTreeMap<&Vertex, Vec<Vertex>> = weighted
            .iter()
            .map(|(v, t)| (*v, t.iter().map(|(w, _)| w.clone()).collect()))
            .collect();
        if let Some(c) = find_cycle(&graph) {
            cycles.insert(c);
        } else if deep.is_none() {
            deep = super::depth::deepest_chain(&weighted, &own);
        }
    }
    out.extend(cycles.iter().map(|c| cycle_diagnostic(c, dir, sources)));
    if let (true, Some((levels, chain))) = (cycles.is_empty(), deep) {
        out.push(chain_diagnostic(levels, &chain, dir, sources));
    }
    out
}

/// The vertices a body with references `r` leads to when `ns` resolves namespaces.
fn targets(tera: &tera::Tera, ns: &Namespaces, r: &Refs) -> Vec<(Vertex, usize)> {
    let mut out = Vec::new();
    for (space, name, depth) in &r.calls {
        let Some(file) = ns.get(space) else { continue };
        if tera
            .templates
            .get(file)
            .is_some_and(|t| t.macros.contains_key(name))
        {
            out.push((Vertex::Macro(file.clone(), name.clone()), *depth));
        }
    }
    for (inc, depth) in &r.includes {
        if tera.templates.contains_key(inc) {
            out.push((Vertex::Body(inc.clone()), *depth));
        }
    }
    out
}

/// Tera's namespace map of template `name` (its `MacroCollection`): `self` for its own macros,
/// its imports, then what its imports and its parents see, earlier entries winning.
fn namespaces_of(tera: &tera::Tera, name: &str, seen: &mut BTreeSet<String>) -> Namespaces {
    let mut map = Namespaces::new();
    let Some(t) = tera.templates.get(name) else {
        return map;
    };
    if !seen.insert(name.to_string()) {
        return map;
    }
    if !t.macros.is_empty() {
        map.insert("self".into(), name.to_string());
    }
    for (file, space) in &t.imported_macro_files {
        map.insert(space.clone(), file.clone());
        for (k, v) in namespaces_of(tera, file, seen) {
            map.entry(k).or_insert(v);
        }
    }
    for parent in &t.parents {
        for (k, v) in namespaces_of(tera, parent, seen) {
            map.entry(k).or_insert(v);
        }
    }
    seen.remove(name);
    map
}

/// A cycle of `graph`, rotated to start at its smallest vertex, or `None`. Iterative, so that
/// a long chain of templates cannot overflow the stack here either.
fn find_cycle(graph: &BTreeMap<&Vertex, Vec<Vertex>>) -> Option<Vec<Vertex>> {
    // 1: on the current path, 2: done.
    let mut state: BTreeMap<&Vertex, u8> = BTreeMap::new();
    for &start in graph.keys() {
        if state.contains_key(start) {
            continue;
        }
        let mut path: Vec<(&Vertex, usize)> = vec![(start, 0)];
        state.insert(start, 1);
        while let Some(&mut (v, ref mut next)) = path.last_mut() {
            let succ = graph.get(v).map(Vec::as_slice).unwrap_or(&[]);
            let Some(w) = succ.get(*next) else {
                state.insert(v, 2);
                path.pop();
                continue;
            };
            *next += 1;
            let Some((w, _)) = graph.get_key_value(w) else {
                continue;
            };
            match state.get(w) {
                Some(1) => {
                    let at = path.iter().position(|(p, _)| p == w).unwrap_or(0);
                    let mut cycle: Vec<Vertex> =
                        path[at..].iter().map(|(p, _)| (*p).clone()).collect();
                    let min = (0..cycle.len()).min_by_key(|&i| &cycle[i]).unwrap_or(0);
                    cycle.rotate_left(min);
                    return Some(cycle);
                }
                Some(_) => {}
                None => {
                    state.insert(w, 1);
                    path.push((w, 0));
                }
            }
        }
    }
    None
}

/// Loops of `{% import %}`, each rotated to start at its smallest template.
fn import_cycles(tera: &tera::Tera) -> Vec<Vec<String>> {
    let names: Vec<Vertex> = tera.templates.keys().cloned().map(Vertex::Body).collect();
    let graph: BTreeMap<&Vertex, Vec<Vertex>> = names
        .iter()
        .map(|v| {
            let t = &tera.templates[v.template()];
            let imports = t.imported_macro_files.iter();
            (v, imports.map(|(f, _)| Vertex::Body(f.clone())).collect())
        })
        .collect();
    find_cycle(&graph)
        .map(|c| c.iter().map(|v| v.template().to_string()).collect())
        .into_iter()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diags(templates: &[(&str, &str)]) -> Vec<String> {
        let mut tera = tera::Tera::default();
        tera.add_raw_templates(templates.to_vec())
            .expect("templates");
        let sources: BTreeMap<&str, &str> = templates.iter().copied().collect();
        check(&tera, Path::new("templates"), &sources)
            .iter()
            .map(|d| format!("{}:{:?}: {}", d.path.display(), d.line, d.message))
            .collect()
    }

    const M: &str = "{% import \"macros.html\" as m %}";

    #[test]
    fn refuses_direct_and_mutual_recursion_at_the_definition() {
        let d = diags(&[
            (
                "macros.html",
                "a\n{% macro rr(n) %}{{ self::rr(n=n+1) }}{% endmacro rr %}",
            ),
            ("page.html", &format!("{M}{{{{ m::rr(n=1) }}}}")),
        ]);
        assert_eq!(
            d,
            ["templates/macros.html:Some(2): template error: macro `rr` calls itself"]
        );
        let d = diags(&[
            (
                "macros.html",
                "{% macro a() %}{% if true %}{{ self::b() }}{% endif %}{% endmacro %}\n\
                 {% macro b() %}{{ x | default(value=self::a()) }}{% endmacro %}",
            ),
            ("page.html", "x"),
        ]);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].contains(
                "macro `a` calls itself again: macros.html::a → macros.html::b → macros.html::a"
            ),
            "{d:?}"
        );
    }

    #[test]
    fn refuses_include_and_import_loops() {
        let d = diags(&[
            ("a.html", "x\n{% include \"b.html\" %}"),
            ("b.html", "{% include \"a.html\" %}"),
        ]);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].starts_with(
                "templates/a.html:Some(2): template error: `a.html` includes itself again"
            ),
            "{d:?}"
        );
        let d = diags(&[
            (
                "a.html",
                "{% import \"b.html\" as b %}{% macro x() %}{% endmacro %}",
            ),
            (
                "b.html",
                "\n{% import \"a.html\" as a %}{% macro y() %}{% endmacro %}",
            ),
        ]);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].starts_with("templates/a.html:Some(1): template error: `a.html` imports macros from itself: a.html → b.html → a.html"), "{d:?}");
    }

    #[test]
    fn refuses_a_chain_of_macros_deeper_than_a_render_can_go() {
        let chain = |n: usize, ifs: usize| {
            let mut m: String = (0..n)
                .map(|i| {
                    format!(
                        "{{% macro c{i}() %}}{{{{ self::c{}() }}}}{{% endmacro %}}\n",
                        i + 1
                    )
                })
                .collect();
            let deep = format!(
                "{}x{}",
                "{% if true %}".repeat(ifs),
                "{% endif %}".repeat(ifs)
            );
            m.push_str(&format!("{{% macro c{n}() %}}{deep}{{% endmacro %}}\n"));
            m
        };
        // 100 calls and 28 tags: 128 levels.
        assert!(diags(&[("macros.html", &chain(100, 28))]).is_empty());
        let d = diags(&[("macros.html", &chain(100, 29))]);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].starts_with(
                "templates/macros.html:Some(1): template error: rendering `macros.html::c0` goes 129 levels deep"
            ),
            "{d:?}"
        );
        assert!(d[0].contains("macros.html::c0 → macros.html::c1 → macros.html::c2 → … → macros.html::c99 → macros.html::c100"), "{d:?}");
    }

    #[test]
    fn accepts_macros_calling_others_and_same_names_in_other_files() {
        let d = diags(&[
            (
                "macros.html",
                "{% macro card(c) %}{{ self::badge(b=c) }}{% endmacro %}\
                 {% macro badge(b) %}{{ b }}{% endmacro %}",
            ),
            // The same name in another file calling the first one is no loop.
            ("other.html", &format!("{M}{{% macro card(c) %}}{{{{ m::card(c=c) }}}}{{% endmacro %}}")),
            ("base.html", "{% block b %}{% endblock %}"),
            (
                "page.html",
                &format!("{{% extends \"base.html\" %}}{M}{{% block b %}}{{{{ m::card(c=1) }}}}{{% include \"part.html\" %}}{{% endblock %}}"),
            ),
            ("part.html", &format!("{M}{{{{ m::badge(b=2) }}}}")),
        ]);
        assert!(d.is_empty(), "{d:?}");
    }
}
