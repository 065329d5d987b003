//! serde's `Deserializer` over a [`super::tree::Tree`]: each error knows the node it is about, and the nodes
//! already found wrong can be skipped, so [`super::parse`] can go on and report the next one.
//!
//! Messages are written for editors: "a whole number", "text", "a list", never a Rust type.

use serde::de::{self, IntoDeserializer, Visitor};

use super::access::{MapAccess, SeqAccess};
use super::ctx::Ctx;
use super::error::{Error, Problem};
use super::tree::Value;

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
