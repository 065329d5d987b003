//! What the attempts at reading one document share: the nodes to skip, the problems found by
//! walking mappings against their fields, and a budget against alias bombs.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;

use super::error::{Error, Problem};
use super::tree::{Tree, Value};
use crate::diag::did_you_mean;

/// A problem found by walking a mapping: the mapping, the problem, and where the key is.
pub type Found = (usize, Problem, Option<(usize, usize)>);

/// What one attempt at deserializing shares: what to skip, what was found, what is left to do.
pub struct Ctx<'t> {
    pub tree: &'t Tree,
    pub excluded: HashSet<usize>,
    /// Unknown keys and missing fields, found by walking a mapping against its fields.
    pub found: RefCell<Vec<Found>>,
    walked: RefCell<HashSet<usize>>,
    /// Per mapping node, the fields already reported missing (so serde's own report is dropped).
    pub missing: RefCell<HashSet<(usize, String)>>,
    budget: Cell<usize>,
}

impl<'t> Ctx<'t> {
    pub fn new(tree: &'t Tree) -> Self {
        Ctx {
            tree,
            excluded: HashSet::new(),
            found: RefCell::new(Vec::new()),
            walked: RefCell::new(HashSet::new()),
            missing: RefCell::new(HashSet::new()),
            budget: Cell::new(0),
        }
    }

    /// Every attempt may visit this many nodes: aliases can make a small file expand hugely.
    pub fn reset_budget(&self) {
        self.budget.set((self.tree.nodes.len() * 100).max(200_000));
    }

    pub fn spend(&self) -> Result<(), Error> {
        let left = self.budget.get();
        if left == 0 {
            return Err(Error::new(Problem::TooLarge));
        }
        self.budget.set(left - 1);
        Ok(())
    }

    /// Unknown keys and missing required fields of a mapping, once per mapping.
    pub fn walk(&self, id: usize, fields: &'static [&'static str], required: &[&str]) {
        if !self.walked.borrow_mut().insert(id) {
            return;
        }
        let Value::Map(entries) = &self.tree.nodes[id].value else {
            return;
        };
        let present: Vec<&str> = entries.iter().map(|e| e.key.as_str()).collect();
        let absent: Vec<&str> = fields
            .iter()
            .copied()
            .filter(|f| !present.contains(f))
            .collect();
        let mut explained = Vec::new();
        for e in entries.iter().filter(|e| !fields.contains(&e.key.as_str())) {
            let best = did_you_mean(&e.key, absent.iter().copied())
                .or_else(|| did_you_mean(&e.key, fields.iter().copied()));
            let hint = match best {
                Some(b) => {
                    explained.push(b);
                    self.missing.borrow_mut().insert((id, b.to_string()));
                    format!("did you mean `{b}`?")
                }
                None => format!("the fields allowed here are: {}", fields.join(", ")),
            };
            let msg = format!("unknown field `{}` | hint: {hint}", e.key);
            self.found
                .borrow_mut()
                .push((id, Problem::Custom(msg), Some((e.line, e.col))));
        }
        for f in required.iter().filter(|f| !present.contains(f)) {
            self.missing.borrow_mut().insert((id, f.to_string()));
            if !explained.contains(f) {
                self.found
                    .borrow_mut()
                    .push((id, Problem::Missing(f.to_string()), None));
            }
        }
    }
}
