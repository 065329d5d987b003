//! Resolving the names an item writes (`issuers`, `region`, `regions`) against the
//! vocabularies of `content/vocab/`: each becomes its canonical name, or an error at its line
//! with a close name as a hint.

use crate::diag::Diagnostics;
use crate::load::Parsed;
use crate::model::{Resolved, Vocab};

use super::{at_value, Refs};

/// The names of an item that the vocabularies govern, to be replaced by canonical ones.
#[derive(Default)]
pub struct NamesMut<'a> {
    pub issuers: Option<&'a mut Vec<String>>,
    pub region: Option<&'a mut String>,
    pub regions: Option<&'a mut Vec<String>>,
}

/// Replaces every governed name of `p` by its canonical name; reports those that do not
/// resolve. Returns whether all did.
pub fn resolve<M: Refs>(p: &mut Parsed<M>, vocab: &Vocab, diags: &mut Diagnostics) -> bool {
    let mut errors = Vec::new();
    let what = p.meta.what();
    let names = p.meta.names_mut();
    let mut region_ok = true;
    let mut region = None;
    if let Some(r) = names.region {
        match vocab.region(r) {
            Resolved::Found(c) => *r = c.to_string(),
            Resolved::Free => {}
            other => {
                region_ok = false;
                errors.push(("region", r.clone(), unknown("region", "regions", r, &other)));
            }
        }
        region = Some(r.clone());
    }
    if let Some(rs) = names.regions {
        for r in rs.iter_mut() {
            match vocab.region(r) {
                Resolved::Found(c) => *r = c.to_string(),
                Resolved::Free => {}
                other => errors.push((
                    "regions",
                    r.clone(),
                    unknown("region", "regions", r, &other),
                )),
            }
        }
        errors.extend(twice("regions", rs, "region"));
    }
    if let Some(is) = names.issuers {
        for i in is.iter_mut() {
            match vocab.issuer(i, region.as_deref()) {
                Resolved::Found(c) => *i = c.to_string(),
                Resolved::Free => {}
                Resolved::Unqualified { .. } if !region_ok => {}
                Resolved::Unqualified { examples } => {
                    let e = unqualified(i, what, region.as_deref(), &examples);
                    errors.push(("issuers", i.clone(), e));
                }
                other => errors.push((
                    "issuers",
                    i.clone(),
                    unknown("issuer", "issuers", i, &other),
                )),
            }
        }
        errors.extend(twice("issuers", is, "issuer"));
    }
    let ok = errors.is_empty();
    for (key, value, (message, hint)) in errors {
        diags.push(at_value(p, key, &value, message).with_hint(hint));
    }
    ok
}

type Message = (String, String);

fn unknown(what: &str, file: &str, name: &str, r: &Resolved) -> Message {
    let hint = match r {
        Resolved::Unknown {
            suggestion: Some(s),
        } => format!("did you mean `{s}`?"),
        _ => format!("add it to content/vocab/{file}.yaml, as an entry or as an alias of one"),
    };
    (
        format!("unknown {what} `{name}`: not a name in content/vocab/{file}.yaml"),
        hint,
    )
}

fn unqualified(name: &str, what: &str, region: Option<&str>, examples: &[&str]) -> Message {
    let eg = examples
        .first()
        .map(|e| format!(" (e.g. `{e}`)"))
        .unwrap_or_default();
    match region {
        None => (
            format!("`{name}` is a local department's short name, and this {what} has no `region` to say whose"),
            format!("write the full name{eg}, or give the {what} its `region:`"),
        ),
        Some(r) => (
            format!("`{name}` is a local department's short name, and no issuer of {r} has it"),
            format!(
                "write the full name{eg}, or add the body of {r} to content/vocab/issuers.yaml with `region: {r}` and `short: [{name}]`"
            ),
        ),
    }
}

/// A name listed twice once resolved (an alias beside its canonical name): the second one.
fn twice<'a>(key: &'a str, names: &[String], what: &str) -> Vec<(&'a str, String, Message)> {
    let mut out = Vec::new();
    for (i, n) in names.iter().enumerate() {
        if names[..i].contains(n) {
            out.push((
                key,
                n.clone(),
                (
                    format!("{what} `{n}` is listed twice (a name and its alias count as one)"),
                    format!("list each {what} once"),
                ),
            ));
        }
    }
    out
}
