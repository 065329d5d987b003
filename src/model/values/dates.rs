//! Dates and months as editors write them (`2024-06-19`, `2024-06`), parsed once.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Scalar;

/// A date as precise as the source gives it: a day (`YYYY-MM-DD`) or only a month (`YYYY-MM`,
/// for a source that says 近日 or 5月 without a day). Never more precise than written.
///
/// Dates order by month first; within a month, a month-only date sorts before every day, so
/// it comes last in the newest-first listings (it is no newer than any day of its month).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    month: Month,
    day: Option<u32>,
}

impl Date {
    /// A full date.
    pub fn day(d: NaiveDate) -> Date {
        Date {
            month: Month {
                year: d.year(),
                month: d.month(),
            },
            day: Some(d.day()),
        }
    }

    /// A date known only to the month.
    pub fn of_month(month: Month) -> Date {
        Date { month, day: None }
    }

    pub fn month(&self) -> Month {
        self.month
    }

    /// The day of the month, when the source gives one.
    pub fn day_of_month(&self) -> Option<u32> {
        self.day
    }

    /// Whether the source gives only the month.
    pub fn is_month_only(&self) -> bool {
        self.day.is_none()
    }

    /// The day, or the month's first day for a month-only date: for formats that need a
    /// timestamp (the Atom feed), never for what a page shows.
    pub fn first_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.month.year, self.month.month, self.day.unwrap_or(1))
            .unwrap_or_default()
    }

    /// 2024年6月19日, or 2024年5月 for a month-only date.
    pub fn zh(&self) -> String {
        match self.day {
            Some(d) => format!("{}{d}日", self.month.zh()),
            None => self.month.zh(),
        }
    }

    pub fn year(&self) -> i32 {
        self.month.year
    }
}

impl FromStr for Date {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if s.len() == 7 {
            return s.parse::<Month>().map(Date::of_month).map_err(|_| {
                format!(
                    "invalid date `{s}`, expected YYYY-MM-DD (or YYYY-MM when the source gives only the month) | hint: write e.g. 2024-06-19 or 2024-06"
                )
            });
        }
        let shape_ok = s.len() == 10
            && s.bytes().enumerate().all(|(i, b)| match i {
                4 | 7 => b == b'-',
                _ => b.is_ascii_digit(),
            });
        if shape_ok && s.starts_with("0000") {
            return Err(format!(
                "invalid date `{s}`: there is no year 0000 | hint: check the year"
            ));
        }
        let parsed = shape_ok
            .then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
            .flatten();
        parsed.map(Date::day).ok_or_else(|| {
            if shape_ok {
                format!("invalid date `{s}`: no such day | hint: check the month and day")
            } else {
                format!("invalid date `{s}`, expected YYYY-MM-DD (or YYYY-MM when the source gives only the month) | hint: write e.g. 2024-06-19 or 2024-06")
            }
        })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.day {
            Some(d) => write!(f, "{}-{d:02}", self.month),
            None => write!(f, "{}", self.month),
        }
    }
}
serde_via_str!(Date);

/// A month, written `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    /// 2024年7月
    pub fn zh(&self) -> String {
        format!("{}年{}月", self.year, self.month)
    }
}

impl FromStr for Month {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let err = || format!("invalid month `{s}`, expected YYYY-MM | hint: write e.g. 2024-07");
        let (y, m) = s.split_once('-').ok_or_else(err)?;
        if y.len() != 4 || m.len() != 2 || !(y.bytes().chain(m.bytes())).all(|b| b.is_ascii_digit())
        {
            return Err(err());
        }
        let year = y.parse().map_err(|_| err())?;
        if year == 0 {
            return Err(format!(
                "invalid month `{s}`: there is no year 0000 | hint: check the year"
            ));
        }
        let month: u32 = m.parse().map_err(|_| err())?;
        if !(1..=12).contains(&month) {
            return Err(format!(
                "invalid month `{s}`: month must be 01 to 12 | hint: write e.g. 2024-07"
            ));
        }
        Ok(Month { year, month })
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}
serde_via_str!(Month);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_strict() {
        assert!("2024-06-19".parse::<Date>().is_ok());
        assert!("2024-6-19"
            .parse::<Date>()
            .unwrap_err()
            .contains("YYYY-MM-DD"));
        assert!("2024-02-30"
            .parse::<Date>()
            .unwrap_err()
            .contains("no such day"));
        assert_eq!("2024-06-19".parse::<Date>().unwrap().zh(), "2024年6月19日");
    }

    #[test]
    fn month_precision_dates() {
        let m: Date = "2024-05".parse().unwrap();
        assert!(m.is_month_only());
        assert_eq!(m.to_string(), "2024-05");
        assert_eq!(m.zh(), "2024年5月");
        assert_eq!(m.month().to_string(), "2024-05");
        let (d1, d31): (Date, Date) =
            ("2024-05-01".parse().unwrap(), "2024-05-31".parse().unwrap());
        let april: Date = "2024-04-30".parse().unwrap();
        let june: Date = "2024-06".parse().unwrap();
        // By month first; the month-only date before the month's days.
        let mut v = vec![d31, june, m, april, d1];
        v.sort();
        assert_eq!(v, vec![april, m, d1, d31, june]);
        assert!("2024-13".parse::<Date>().unwrap_err().contains("YYYY-MM"));
        assert!("2024-5".parse::<Date>().is_err());
        assert!("0000-05".parse::<Date>().is_err());
    }

    #[test]
    fn months() {
        assert_eq!("2024-07".parse::<Month>().unwrap().to_string(), "2024-07");
        assert!("2024-13".parse::<Month>().is_err());
        assert!("2024-7".parse::<Month>().is_err());
    }
}
