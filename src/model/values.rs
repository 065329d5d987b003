//! Small value types that parse themselves: once a `Date`, `Month`, `Slug`, `IssueRef`, `Level` or
//! `ProductCategory` exists, it is known to be well formed.
//!
//! Parse errors are strings of the form "message | hint: hint", which the YAML layer splits into
//! a diagnostic's message and hint.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::diag::did_you_mean;

/// Implements serde for a type through its `FromStr` and `Display`.
macro_rules! serde_via_str {
    ($t:ty) => {
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = Scalar::deserialize(d)?.0;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
    };
}

/// A scalar read as text whatever YAML typed it as (so `number: 7` and `value: 1.5` both read).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Scalar(pub String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A visitor rather than an untagged enum: an untagged enum turns every error, a
        // missing field included, into its own "did not match".
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a single value (text or number), not a list or mapping")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Scalar, E> {
                Ok(Scalar(s.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, i: i64) -> Result<Scalar, E> {
                Ok(Scalar(i.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, u: u64) -> Result<Scalar, E> {
                Ok(Scalar(u.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, f: f64) -> Result<Scalar, E> {
                Ok(Scalar(f.to_string()))
            }
            fn visit_bool<E: serde::de::Error>(self, b: bool) -> Result<Scalar, E> {
                Ok(Scalar(b.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for Scalar {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

mod dates;
pub use dates::{Date, Month};

/// A URL-safe identifier: lowercase ASCII letters, digits and single hyphens.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slug(String);

impl Slug {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What to write instead of `s`, for an error about it: the rule, with a slug made from `s`
    /// when it has letters or digits.
    pub fn hint_for(s: &str) -> String {
        let suggestion = suggest_slug(s);
        if suggestion.is_empty() {
            "use lowercase ASCII letters, digits and hyphens, e.g. 2024-06-19-zhuanjingtexin"
                .to_string()
        } else {
            format!("use lowercase ASCII letters, digits and hyphens, e.g. `{suggestion}`")
        }
    }
}

impl FromStr for Slug {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let ok = !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--");
        if ok {
            Ok(Slug(s.to_string()))
        } else {
            Err(format!("invalid slug `{s}` | hint: {}", Slug::hint_for(s)))
        }
    }
}

/// Lowercases and replaces runs of other characters by one hyphen.
pub fn suggest_slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
serde_via_str!(Slug);

/// A reference to an issue file: `<series>/<id>` for `content/issues/<series>/<id>.yaml`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IssueRef {
    pub series: Slug,
    pub id: Slug,
}

impl FromStr for IssueRef {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let hint = "write `<series>/<id>`, the path of the issue file under content/issues/ without `.yaml`, e.g. xinxi-zhaibian/2024-07";
        let (a, b) = s
            .split_once('/')
            .ok_or_else(|| format!("invalid issue reference `{s}` | hint: {hint}"))?;
        let series = a
            .parse()
            .map_err(|_| format!("invalid issue reference `{s}` | hint: {hint}"))?;
        let id = b
            .trim_end_matches(".yaml")
            .parse()
            .map_err(|_| format!("invalid issue reference `{s}` | hint: {hint}"))?;
        Ok(IssueRef { series, id })
    }
}

impl fmt::Display for IssueRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.series, self.id)
    }
}
serde_via_str!(IssueRef);

/// A link to an original source on the web: `http://` or `https://` only, so a `javascript:`
/// address can never reach a page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WebUrl(String);

impl WebUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for WebUrl {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let rest = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"));
        match rest {
            Some(r)
                if !r.is_empty()
                    && !r.starts_with('/')
                    && !s.chars().any(|c| {
                        c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>'
                    }) =>
            {
                Ok(WebUrl(s.to_string()))
            }
            _ => {
                let hint = if s.starts_with("www.") {
                    format!("write `https://{s}`")
                } else {
                    "write the full address, starting with https:// or http://".to_string()
                };
                Err(format!("invalid url `{s}` | hint: {hint}"))
            }
        }
    }
}

impl fmt::Display for WebUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
serde_via_str!(WebUrl);

/// Defines a closed set of Chinese names, parsed with a "did you mean" hint.
macro_rules! zh_enum {
    ($(#[$m:meta])* $name:ident, $what:literal, { $($(#[$vm:meta])* $var:ident => $zh:literal, $slug:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($(#[$vm])* $var),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$var),+];
            pub fn zh(&self) -> &'static str {
                match self { $($name::$var => $zh),+ }
            }
            /// ASCII name used in URLs.
            pub fn slug(&self) -> &'static str {
                match self { $($name::$var => $slug),+ }
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($zh => Ok($name::$var),)+
                    _ => {
                        let names = [$($zh),+];
                        let hint = match did_you_mean(s, names) {
                            Some(best) => format!("did you mean `{best}`?"),
                            None => format!("use one of {}", names.join("、")),
                        };
                        Err(format!("unknown {} `{s}`, expected one of {} | hint: {hint}", $what, names.join(", ")))
                    }
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.zh()) }
        }
        serde_via_str!($name);
    };
}

zh_enum!(
    /// The administrative level of a policy's issuer.
    Level, "level", {
        National => "国家", "national",
        Provincial => "省级", "provincial",
        Municipal => "市级", "municipal",
        County => "区县", "county",
    }
);

zh_enum!(
    /// What a policy's `date` is: 发布 (issued, the default) or 报道 (first reported, when the
    /// source does not give the issue date).
    #[derive(Default)]
    DateKind, "date_kind", {
        #[default]
        Issued => "发布", "issued",
        Reported => "报道", "reported",
    }
);

impl DateKind {
    pub fn is_issued(&self) -> bool {
        *self == DateKind::Issued
    }

    /// The label the pages show beside the date: 发布日期 or 报道日期.
    pub fn label(&self) -> String {
        format!("{}日期", self.zh())
    }
}

zh_enum!(
    /// The chapter of the finance-products report a product belongs to.
    ProductCategory, "category", {
        Credit => "信贷业务", "credit",
        Intermediary => "中间业务", "intermediary",
        Fintech => "金融科技", "fintech",
        Other => "其他业务", "other",
    }
);

zh_enum!(
    /// A region's administrative level, in `content/vocab/regions.yaml`.
    RegionLevel, "region level", {
        Nation => "全国", "nation",
        Province => "省级", "province",
        Prefecture => "地级", "prefecture",
        County => "区县", "county",
    }
);

zh_enum!(
    /// What sort of body an issuer is, in `content/vocab/issuers.yaml`; the order is the rank
    /// issuer facets list them by.
    IssuerKind, "issuer kind", {
        PartyCentral => "党中央", "party-central",
        StateCouncil => "国务院", "state-council",
        Ministry => "部委", "ministry",
        Bureau => "司局", "bureau",
        National => "全国性机构", "national-body",
        LocalParty => "地方党委", "local-party",
        LocalCongress => "地方人大", "local-congress",
        LocalGovernment => "地方政府", "local-government",
        LocalDepartment => "地方部门", "local-department",
        Branch => "派出机构", "branch",
        Court => "司法机关", "court",
        Other => "其他", "other",
    }
);

impl IssuerKind {
    /// Rank for sorting: the order of the list above.
    pub fn rank(self) -> u8 {
        self as u8
    }
}

zh_enum!(
    /// What a policy item is: a document of a kind, or a meeting or statement reported.
    DocType, "document type", {
        Notice => "通知", "notice",
        Opinion => "意见", "opinion",
        Measures => "办法", "measures",
        Plan => "方案", "plan",
        Policy => "措施", "policy-measures",
        Rules => "规定", "rules",
        Detail => "细则", "detail",
        Guide => "指引", "guide",
        Guidelines => "指南", "guidelines",
        ActionPlan => "计划", "action-plan",
        KeyPoints => "要点", "key-points",
        Regulation => "条例", "regulation",
        Program => "规划", "program",
        Standard => "标准", "standard",
        Report => "报告", "report",
        Announcement => "公告", "announcement",
        Meeting => "会议", "meeting",
        Speech => "讲话", "speech",
        Statement => "表态", "statement",
    }
);

impl DocType {
    /// Whether the item is a document someone issued (not a meeting or a statement reported).
    pub fn is_document(self) -> bool {
        !matches!(
            self,
            DocType::Meeting | DocType::Speech | DocType::Statement
        )
    }

    /// The label of the bodies it names: who issued a document, held a meeting, said it.
    pub fn issuers_label(self) -> &'static str {
        match self {
            DocType::Meeting => "召开单位",
            DocType::Speech | DocType::Statement => "表态单位",
            _ => "发文机关",
        }
    }
}

zh_enum!(
    /// Where a document stands, when it is not simply in force.
    PolicyStatus, "status", {
        Draft => "征求意见稿", "draft",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!("2024-06-19-abc".parse::<Slug>().is_ok());
        let e = "Hello World".parse::<Slug>().unwrap_err();
        assert!(e.contains("`hello-world`"), "{e}");
        assert!("a--b".parse::<Slug>().is_err());
    }

    #[test]
    fn enums_hint() {
        assert_eq!("省级".parse::<Level>().unwrap(), Level::Provincial);
        let e = "省".parse::<Level>().unwrap_err();
        assert!(e.contains("expected one of 国家, 省级, 市级, 区县"), "{e}");
    }
}
