//! A bulletin's text, folded, with its numbers, pages and the dates and months it states.

use super::*;

pub(super) struct Bulletin {
    pub(super) id: &'static str,
    pub(super) file: &'static str,
    pub(super) year: i32,
    pub(super) norm: String,
    /// Folded like `norm` but with whitespace between digits marked (see [`normalize_marked`]).
    pub(super) marked: String,
    pub(super) numbers: BTreeSet<String>,
    /// The page numbers its contents lists print: the number that ends a line (after a tab,
    /// dots or spaces), as `标题<TAB>12` or `……12`.
    pub(super) pages: BTreeSet<u32>,
}

impl Bulletin {
    pub(super) fn load(id: &'static str, file: &'static str, year: i32) -> Bulletin {
        let path = manifest_dir().join("tests/fixtures/bulletins").join(file);
        let raw = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read bulletin fixture {}: {e}", path.display()));
        let norm = normalize(&raw);
        let spaced = fold_keep_spaces(&raw);
        let mut numbers = BTreeSet::new();
        for variant in [
            norm.clone(),
            spaced.clone(),
            strip_digit_commas(&norm),
            strip_digit_commas(&spaced),
        ] {
            numbers.extend(number_tokens(&variant));
        }
        let pages = raw
            .lines()
            .filter_map(|l| {
                let t = l.trim_end();
                let digits = t.len() - t.trim_end_matches(|c: char| c.is_ascii_digit()).len();
                let before = t[..t.len() - digits].chars().last();
                let led = before
                    .is_none_or(|c| c == '\t' || c == '.' || c == ' ' || c == '•' || c == '》');
                (digits > 0 && digits <= 3 && led).then(|| t[t.len() - digits..].parse().ok())?
            })
            .collect();
        Bulletin {
            id,
            file,
            year,
            pages,
            marked: normalize_marked(&raw),
            norm,
            numbers,
        }
    }

    pub(super) fn has_text(&self, value: &str) -> bool {
        let v = normalize(value);
        !v.is_empty() && self.norm.contains(&v)
    }

    pub(super) fn has_number(&self, tok: &str) -> bool {
        self.numbers.contains(tok)
    }

    /// A date form occurs, not glued to other digits, with or without the text's whitespace.
    pub(super) fn has_form(&self, form: &str) -> bool {
        contains_bounded(&self.norm, form) || contains_bounded(&self.marked, form)
    }

    pub(super) fn year_evident(&self, y: i32) -> bool {
        y == self.year || self.numbers.contains(&y.to_string())
    }

    pub(super) fn has_date(&self, y: i32, m: u32, d: u32) -> bool {
        let forms = [
            format!("{y}-{m:02}-{d:02}"),
            format!("{y}.{m:02}.{d:02}"),
            format!("{y}/{m:02}/{d:02}"),
            format!("{y}.{m}.{d}"),
            format!("{y}-{m}-{d}"),
            format!("{y}/{m}/{d}"),
            format!("{y}年{m}月{d}日"),
            format!("{y}年{m:02}月{d:02}日"),
        ];
        if forms.iter().any(|f| self.has_form(f)) {
            return true;
        }
        let short = [format!("{m}月{d}日"), format!("{m:02}月{d:02}日")];
        if self.year_evident(y) && short.iter().any(|f| self.has_form(f)) {
            return true;
        }
        // `2024年4月末` (the end of April) is its last day.
        let last = chrono::NaiveDate::from_ymd_opt(y, m, 1)
            .and_then(|f| f.checked_add_months(chrono::Months::new(1)))
            .and_then(|n| n.pred_opt())
            .map(|l| chrono::Datelike::day(&l));
        last == Some(d) && self.has_form(&format!("{y}年{m}月末"))
    }

    pub(super) fn has_month(&self, y: i32, m: u32) -> bool {
        let forms = [
            format!("{y}年{m}月"),
            format!("{y}年{m:02}月"),
            format!("{y}.{m:02}"),
            format!("{y}-{m:02}"),
            format!("{y}/{m:02}"),
            format!("{y}.{m}"),
        ];
        if forms.iter().any(|f| self.has_form(f)) {
            return true;
        }
        let short = [format!("{m}月"), format!("{m:02}月")];
        self.year_evident(y) && short.iter().any(|f| self.has_form(f))
    }
}

pub(super) fn load_bulletins() -> BTreeMap<&'static str, Bulletin> {
    BULLETINS
        .iter()
        .map(|&(id, file, year)| (id, Bulletin::load(id, file, year)))
        .collect()
}
