//! The references each body of the templates makes: the macros it calls and the templates it
//! includes, with how deeply tags enclose them, read from Tera's syntax trees.

use std::collections::BTreeMap;

use tera::ast::{Expr, ExprVal, Node};

use super::{Refs, Vertex};

/// The references of every macro body and every template's top-level body.
pub(super) fn collect_refs(tera: &tera::Tera) -> BTreeMap<Vertex, Refs> {
    let mut out = BTreeMap::new();
    for (name, t) in &tera.templates {
        let mut r = Refs::default();
        walk(&t.ast, &mut r);
        out.insert(Vertex::Body(name.clone()), r);
        for (m, def) in &t.macros {
            let mut r = Refs::default();
            walk(&def.body, &mut r);
            out.insert(Vertex::Macro(name.clone(), m.clone()), r);
        }
    }
    out
}

/// Adds the macro calls and includes anywhere in `nodes` (macro definitions excepted: Tera
/// skips them when rendering a body, and they are vertices of their own).
pub(super) fn walk(nodes: &[Node], r: &mut Refs) {
    for n in nodes {
        match n {
            Node::VariableBlock(_, e) => expr(e, r),
            Node::Set(_, s) => expr(&s.value, r),
            Node::Include(_, names, _) => {
                let d = r.depth;
                r.includes.extend(names.iter().map(|n| (n.clone(), d)));
            }
            Node::FilterSection(_, f, _) => {
                f.filter.args.values().for_each(|e| expr(e, r));
                nested(&f.body, r);
            }
            Node::Block(_, b, _) => nested(&b.body, r),
            Node::Forloop(_, f, _) => {
                expr(&f.container, r);
                nested(&f.body, r);
                if let Some(e) = &f.empty_body {
                    nested(e, r);
                }
            }
            Node::If(i, _) => {
                for (_, cond, body) in &i.conditions {
                    expr(cond, r);
                    nested(body, r);
                }
                if let Some((_, body)) = &i.otherwise {
                    nested(body, r);
                }
            }
            _ => {}
        }
    }
}

/// [`walk`] one tag deeper.
pub(super) fn nested(nodes: &[Node], r: &mut Refs) {
    r.depth += 1;
    r.deepest = r.deepest.max(r.depth);
    walk(nodes, r);
    r.depth -= 1;
}

pub(super) fn expr(e: &Expr, r: &mut Refs) {
    val(&e.val, r);
    for f in &e.filters {
        f.args.values().for_each(|a| expr(a, r));
    }
}

pub(super) fn val(v: &ExprVal, r: &mut Refs) {
    match v {
        ExprVal::MacroCall(c) => {
            r.calls.push((c.namespace.clone(), c.name.clone(), r.depth));
            c.args.values().for_each(|a| expr(a, r));
        }
        ExprVal::Math(m) => {
            expr(&m.lhs, r);
            expr(&m.rhs, r);
        }
        ExprVal::Logic(l) => {
            expr(&l.lhs, r);
            expr(&l.rhs, r);
        }
        ExprVal::Test(t) => t.args.iter().for_each(|a| expr(a, r)),
        ExprVal::FunctionCall(f) => f.args.values().for_each(|a| expr(a, r)),
        ExprVal::Array(items) => items.iter().for_each(|a| expr(a, r)),
        ExprVal::StringConcat(s) => s.values.iter().for_each(|v| val(v, r)),
        ExprVal::In(i) => {
            expr(&i.lhs, r);
            expr(&i.rhs, r);
        }
        _ => {}
    }
}
