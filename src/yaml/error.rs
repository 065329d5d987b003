//! Errors of the deserializer, in editors' words: "a whole number", "text", "a list", never a
//! Rust type.

use std::fmt;

use serde::de;

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
    pub fn new(problem: Problem) -> Self {
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
