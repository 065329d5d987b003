//! serde's `Deserializer` over a [`Tree`]: each error knows the node it is about, and the nodes
//! already found wrong can be skipped, so [`super::parse`] can go on and report the next one.
//!
//! Messages are written for editors: "a whole number", "text", "a list", never a Rust type.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

use super::tree::{Tree, Value};
use crate::diag::did_you_mean;

/// What went wrong, before it is placed and worded with the field's path.
#[derive(Debug, Clone)]
pub enum Problem {
    /// A value of the wrong shape: `expected` and `found` in editors' words.
    Type {
        expected: String,
        found: String,
    },
    /// `~`, `null` or nothing where text is required.
    Null,
    Blank,
    /// A character XML (and so the feed and the pages) cannot carry.
    Control(char),
    Range {
        value: String,
        max: String,
    },
    Negative(String),
    Missing(String),
    /// Aliases expand to more than any content file holds.
    TooLarge,
    /// A message with an optional " | hint: …" (from the value types of the model).
    Custom(String),
}

#[derive(Debug, Clone)]
pub struct Error {
    pub problem: Problem,
    /// The node the error is about; set by the first access that sees it.
    pub node: Option<usize>,
}

impl Error {
    fn new(problem: Problem) -> Self {
        Error {
            problem,
            node: None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.problem)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::new(Problem::Custom(msg.to_string()))
    }
    fn missing_field(field: &'static str) -> Self {
        Error::new(Problem::Missing(field.to_string()))
    }
    fn invalid_type(unexp: de::Unexpected, exp: &dyn de::Expected) -> Self {
        Error::new(Problem::Type {
            expected: expected_words(&exp.to_string()),
            found: unexpected_words(&unexp),
        })
    }
    fn invalid_value(unexp: de::Unexpected, exp: &dyn de::Expected) -> Self {
        Self::invalid_type(unexp, exp)
    }
    fn invalid_length(len: usize, exp: &dyn de::Expected) -> Self {
        Error::new(Problem::Custom(format!(
            "expected {}, found {len} items",
            expected_words(&exp.to_string())
        )))
    }
    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        let hint = match did_you_mean(variant, expected.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("use one of: {}", expected.join(", ")),
        };
        Error::new(Problem::Custom(format!(
            "unknown value `{variant}`, expected one of {} | hint: {hint}",
            expected.join(", ")
        )))
    }
}

/// serde's names of what a visitor expects, in editors' words.
fn expected_words(exp: &str) -> String {
    let e = exp.trim();
    let ints = [
        "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
    ];
    if ints.contains(&e) || e.contains("integer") {
        "a whole number".into()
    } else if e == "f32" || e == "f64" || e.contains("float") {
        "a number".into()
    } else if e.contains("string") || e == "a character" || e == "char" || e.contains("bytes") {
        "text".into()
    } else if e.contains("boolean") || e == "bool" {
        "`true` or `false`".into()
    } else if e.starts_with("a sequence") || e.starts_with("tuple") {
        "a sequence".into()
    } else if e.starts_with("struct ") || e.starts_with("a map") || e.starts_with("map") {
        "fields (`key: value` lines)".into()
    } else if e.starts_with("enum ") || e.contains("variant") {
        "one of the allowed values".into()
    } else if e.contains(' ') && !e.contains("::") {
        // Our own visitors describe what they take in words already.
        e.to_string()
    } else {
        "a different kind of value".into()
    }
}

fn unexpected_words(u: &de::Unexpected) -> String {
    use de::Unexpected as U;
    match u {
        U::Str(s) => format!("string {s:?}"),
        U::Char(c) => format!("string {:?}", c.to_string()),
        U::Unsigned(n) => format!("the number {n}"),
        U::Signed(n) => format!("the number {n}"),
        U::Float(n) => format!("the number {n}"),
        U::Bool(b) => format!("`{b}`"),
        U::Unit | U::Option => "an empty value".into(),
        U::Seq => "a list".into(),
        U::Map => "fields (a mapping)".into(),
        _ => "another kind of value".into(),
    }
}

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

    fn spend(&self) -> Result<(), Error> {
        let left = self.budget.get();
        if left == 0 {
            return Err(Error::new(Problem::TooLarge));
        }
        self.budget.set(left - 1);
        Ok(())
    }

    /// Unknown keys and missing required fields of a mapping, once per mapping.
    fn walk(&self, id: usize, fields: &'static [&'static str], required: &[&str]) {
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

pub struct De<'c, 't> {
    pub ctx: &'c Ctx<'t>,
    pub id: usize,
}

impl<'c, 't> De<'c, 't> {
    fn value(&self) -> &'t Value {
        &self.ctx.tree.nodes[self.id].value
    }

    fn scalar(&self) -> Option<(&'t str, bool)> {
        match self.value() {
            Value::Scalar { text, plain } => Some((text.as_str(), *plain)),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        matches!(self.scalar(), Some((t, true)) if matches!(t, "" | "~" | "null" | "Null" | "NULL"))
    }

    fn found(&self) -> String {
        match self.value() {
            Value::Scalar { .. } if self.is_null() => "an empty value".into(),
            Value::Scalar { text, .. } => format!("string {text:?}"),
            Value::Seq(_) => "a list".into(),
            Value::Map(_) => "fields (a mapping)".into(),
        }
    }

    fn wrong(&self, expected: &str) -> Error {
        Error::new(Problem::Type {
            expected: expected.into(),
            found: self.found(),
        })
    }

    fn text(&self) -> Result<&'t str, Error> {
        if self.is_null() {
            return Err(Error::new(Problem::Null));
        }
        let (text, _) = self.scalar().ok_or_else(|| self.wrong("text"))?;
        if text.trim().is_empty() {
            return Err(Error::new(Problem::Blank));
        }
        if let Some(c) = text.chars().find(|&c| forbidden(c)) {
            return Err(Error::new(Problem::Control(c)));
        }
        Ok(text)
    }

    /// A whole number as written (plain, not quoted), in i128 so range errors can be exact.
    fn integer(&self) -> Result<i128, Error> {
        let (text, plain) = self.scalar().ok_or_else(|| self.wrong("a whole number"))?;
        let t = text.trim().replace('_', "");
        let parsed = if let Some(h) = t.strip_prefix("0x") {
            i128::from_str_radix(h, 16).ok()
        } else if let Some(o) = t.strip_prefix("0o") {
            i128::from_str_radix(o, 8).ok()
        } else if !t.is_empty()
            && t.trim_start_matches(['-', '+'])
                .bytes()
                .all(|b| b.is_ascii_digit())
        {
            // Too long even for i128: still a number, just out of range.
            Some(t.parse::<i128>().unwrap_or(i128::MAX))
        } else {
            None
        };
        match parsed {
            Some(n) if plain => Ok(n),
            Some(_) => Err(Error::new(Problem::Custom(format!(
                "expected a whole number, found the text \"{text}\" | hint: remove the quotes"
            )))),
            None => Err(self.wrong("a whole number")),
        }
    }

    fn ranged<V, T>(self, min: i128, max: i128, make: impl FnOnce(T) -> V) -> Result<V, Error>
    where
        T: TryFrom<i128>,
    {
        let n = self.integer()?;
        let text = self.scalar().map(|(t, _)| t.trim()).unwrap_or_default();
        if n < min {
            return Err(Error::new(Problem::Negative(text.to_string())));
        }
        if n > max {
            return Err(Error::new(Problem::Range {
                value: text.to_string(),
                max: max.to_string(),
            }));
        }
        let v = T::try_from(n).map_err(|_| {
            Error::new(Problem::Range {
                value: text.to_string(),
                max: max.to_string(),
            })
        })?;
        Ok(make(v))
    }

    fn seq_access(&self, items: &'t [usize]) -> SeqAccess<'c, 't> {
        SeqAccess {
            ctx: self.ctx,
            items: items
                .iter()
                .copied()
                .filter(|i| !self.ctx.excluded.contains(i))
                .collect::<Vec<_>>()
                .into_iter(),
        }
    }

    fn map_access(&self, fields: Option<&'static [&'static str]>) -> MapAccess<'c, 't> {
        let entries = match self.value() {
            Value::Map(e) => e
                .iter()
                .filter(|e| !self.ctx.excluded.contains(&e.value))
                .filter(|e| fields.is_none_or(|f| f.contains(&e.key.as_str())))
                .map(|e| (e.key.as_str(), e.value))
                .collect(),
            _ => Vec::new(),
        };
        MapAccess {
            ctx: self.ctx,
            entries: entries.into_iter(),
            value: None,
        }
    }
}

/// Characters XML 1.0 cannot carry, and terminal controls: never wanted in a text field.
pub fn forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}')
}

macro_rules! int {
    ($name:ident, $visit:ident, $t:ty) => {
        fn $name<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
            self.ctx.spend()?;
            self.ranged(i128::from(<$t>::MIN), i128::from(<$t>::MAX), |n: $t| n)
                .and_then(|n| v.$visit(n))
        }
    };
}

impl<'de, 'c, 't> de::Deserializer<'de> for De<'c, 't> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.ctx.spend()?;
        match self.value() {
            Value::Seq(items) => v.visit_seq(self.seq_access(items)),
            Value::Map(_) => v.visit_map(self.map_access(None)),
            Value::Scalar { text, plain } => {
                if let Some(c) = text.chars().find(|&c| forbidden(c)) {
                    return Err(Error::new(Problem::Control(c)));
                }
                if !plain {
                    return v.visit_str(text);
                }
                if self.is_null() {
                    return v.visit_unit();
                }
                match text.as_str() {
                    "true" | "True" | "TRUE" => return v.visit_bool(true),
                    "false" | "False" | "FALSE" => return v.visit_bool(false),
                    _ => {}
                }
                if let Ok(n) = text.parse::<u64>() {
                    return v.visit_u64(n);
                }
                if let Ok(n) = text.parse::<i64>() {
                    return v.visit_i64(n);
                }
                // Digits beyond any integer type stay as written, for the checks that read them.
                if text
                    .trim_start_matches('-')
                    .bytes()
                    .all(|b| b.is_ascii_digit())
                {
                    return v.visit_str(text);
                }
                let numeric = text
                    .bytes()
                    .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'));
                match text.parse::<f64>() {
                    Ok(f) if numeric && f.is_finite() => v.visit_f64(f),
                    _ => v.visit_str(text),
                }
            }
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.ctx.spend()?;
        match self.scalar() {
            Some(("true" | "True" | "TRUE", true)) => v.visit_bool(true),
            Some(("false" | "False" | "FALSE", true)) => v.visit_bool(false),
            _ => Err(self.wrong("`true` or `false`")),
        }
    }

    int!(deserialize_i8, visit_i8, i8);
    int!(deserialize_i16, visit_i16, i16);
    int!(deserialize_i32, visit_i32, i32);
    int!(deserialize_i64, visit_i64, i64);
    int!(deserialize_u8, visit_u8, u8);
    int!(deserialize_u16, visit_u16, u16);
    int!(deserialize_u32, visit_u32, u32);
    int!(deserialize_u64, visit_u64, u64);

    fn deserialize_f32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.deserialize_f64(v)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.ctx.spend()?;
        match self
            .scalar()
            .and_then(|(t, _)| t.trim().parse::<f64>().ok())
        {
            Some(f) if f.is_finite() => v.visit_f64(f),
            _ => Err(self.wrong("a number")),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.deserialize_str(v)
    }

    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.ctx.spend()?;
        v.visit_str(self.text()?)
    }

    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.deserialize_str(v)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.deserialize_str(v)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.deserialize_str(v)
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        if self.is_null() {
            v.visit_none()
        } else {
            v.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        if self.is_null() {
            v.visit_unit()
        } else {
            Err(self.wrong("an empty value"))
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        v: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(v)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        v: V,
    ) -> Result<V::Value, Error> {
        v.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.ctx.spend()?;
        match self.value() {
            Value::Seq(items) => v.visit_seq(self.seq_access(items)),
            // `tags:` with nothing after it: no tags.
            _ if self.is_null() => v.visit_seq(self.seq_access(&[])),
            _ => Err(self.wrong("a sequence")),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, v: V) -> Result<V::Value, Error> {
        self.deserialize_seq(v)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        v: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(v)
    }

    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.ctx.spend()?;
        match self.value() {
            Value::Map(_) => v.visit_map(self.map_access(None)),
            _ if self.is_null() => v.visit_map(self.map_access(None)),
            _ => Err(self.wrong("fields (`key: value` lines)")),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Error> {
        self.ctx.spend()?;
        match self.value() {
            Value::Map(_) => {
                self.ctx
                    .walk(self.id, fields, crate::model::required_fields(name));
                v.visit_map(self.map_access(Some(fields)))
            }
            _ if self.is_null() => v.visit_map(self.map_access(Some(fields))),
            _ => Err(self.wrong("fields (`key: value` lines)")),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Error> {
        self.ctx.spend()?;
        let text = self.text()?;
        v.visit_enum(IntoDeserializer::<Error>::into_deserializer(text))
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.deserialize_str(v)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_unit()
    }
}

/// Places an error from inside a node at that node, unless a deeper access placed it already.
fn placed<T>(r: Result<T, Error>, id: usize) -> Result<T, Error> {
    r.map_err(|mut e| {
        e.node.get_or_insert(id);
        e
    })
}

pub struct SeqAccess<'c, 't> {
    ctx: &'c Ctx<'t>,
    items: std::vec::IntoIter<usize>,
}

impl<'de, 'c, 't> de::SeqAccess<'de> for SeqAccess<'c, 't> {
    type Error = Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Error> {
        match self.items.next() {
            None => Ok(None),
            Some(id) => placed(seed.deserialize(De { ctx: self.ctx, id }), id).map(Some),
        }
    }
}

pub struct MapAccess<'c, 't> {
    ctx: &'c Ctx<'t>,
    entries: std::vec::IntoIter<(&'t str, usize)>,
    value: Option<usize>,
}

impl<'de, 'c, 't> de::MapAccess<'de> for MapAccess<'c, 't> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.entries.next() {
            None => Ok(None),
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(IntoDeserializer::<Error>::into_deserializer(key))
                    .map(Some)
            }
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Error> {
        let id = self
            .value
            .take()
            .ok_or_else(|| Error::new(Problem::Custom("a key without a value".into())))?;
        placed(seed.deserialize(De { ctx: self.ctx, id }), id)
    }
}
