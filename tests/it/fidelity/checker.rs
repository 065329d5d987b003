//! The checks of each field of an item against the text of its bulletins.

use super::*;

pub(super) struct Checker<'a> {
    pub(super) bulletins: &'a BTreeMap<&'static str, Bulletin>,
    pub(super) failures: Vec<String>,
}

impl Checker<'_> {
    pub(super) fn names(&self, ids: &BTreeSet<&'static str>) -> String {
        ids.iter()
            .map(|id| format!("{id} ({})", self.bulletins[id].file))
            .collect::<Vec<_>>()
            .join(" or ")
    }

    pub(super) fn any(&self, ids: &BTreeSet<&'static str>, f: impl Fn(&Bulletin) -> bool) -> bool {
        ids.iter().any(|id| f(&self.bulletins[id]))
    }

    /// The value must occur verbatim (after normalisation) in the bulletin text.
    pub(super) fn text(
        &mut self,
        item: &Item,
        ids: &BTreeSet<&'static str>,
        fieldname: &str,
        value: &str,
    ) {
        if !self.any(ids, |b| b.has_text(value)) {
            self.failures.push(format!(
                "{}: field `{fieldname}`: `{value}` does not occur in bulletin {}",
                item.rel,
                self.names(ids)
            ));
        }
    }

    /// Every number in the value must occur as a number in the bulletin text.
    pub(super) fn numbers(
        &mut self,
        item: &Item,
        ids: &BTreeSet<&'static str>,
        fieldname: &str,
        value: &str,
    ) {
        let folded = strip_digit_commas(&fold_keep_spaces(value));
        let mut missing: Vec<String> = number_tokens(&folded)
            .into_iter()
            .filter(|t| !self.any(ids, |b| b.has_number(t)))
            .collect();
        missing.dedup();
        if !missing.is_empty() {
            self.failures.push(format!(
                "{}: field `{fieldname}`: number(s) {} not found in bulletin {}",
                item.rel,
                missing
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                self.names(ids)
            ));
        }
    }

    pub(super) fn date(
        &mut self,
        item: &Item,
        ids: &BTreeSet<&'static str>,
        fieldname: &str,
        value: &str,
    ) {
        // A date the source gives only to the month (`date: 2024-05`).
        if parse_month(value).is_some() {
            return self.month(item, ids, fieldname, value);
        }
        match parse_date(value) {
            None => self.failures.push(format!(
                "{}: field `{fieldname}`: `{value}` is not a YYYY-MM-DD date",
                item.rel
            )),
            Some((y, m, d)) => {
                if !self.any(ids, |b| b.has_date(y, m, d)) {
                    self.failures.push(format!(
                        "{}: field `{fieldname}`: date {value} does not appear in bulletin {} \
                         (as {value}, {y}年{m}月{d}日, {y}.{m:02}.{d:02}, or {m}月{d}日 with the year evident)",
                        item.rel,
                        self.names(ids)
                    ));
                }
            }
        }
    }

    pub(super) fn month(
        &mut self,
        item: &Item,
        ids: &BTreeSet<&'static str>,
        fieldname: &str,
        value: &str,
    ) {
        match parse_month(value) {
            None => self.failures.push(format!(
                "{}: field `{fieldname}`: `{value}` is not a YYYY-MM month",
                item.rel
            )),
            Some((y, m)) => {
                if !self.any(ids, |b| b.has_month(y, m)) {
                    self.failures.push(format!(
                        "{}: field `{fieldname}`: month {value} does not appear in bulletin {} \
                         (as {y}年{m}月, {y}.{m:02}, {value}, or {m}月 with the year evident)",
                        item.rel,
                        self.names(ids)
                    ));
                }
            }
        }
    }

    /// Every printed page of `contents` is a page number the bulletin's contents list prints.
    pub(super) fn contents_pages(&mut self, item: &Item, ids: &BTreeSet<&'static str>) {
        let Some(Value::Sequence(entries)) = item.meta.get("contents") else {
            return;
        };
        for (i, e) in entries.iter().enumerate() {
            let Some(page) = e.get("page").and_then(Value::as_u64) else {
                continue;
            };
            let page = page as u32;
            if !self.any(ids, |b| b.pages.contains(&page)) {
                self.failures.push(format!(
                    "{}: `contents[{i}].page`: page {page} ends no line of bulletin {}",
                    item.rel,
                    self.names(ids)
                ));
            }
        }
    }

    /// Every number in a Markdown table of the body (e.g. 002's 表8 as an article) occurs in
    /// the bulletin: a table's figures are facts one by one, not prose to be read back whole.
    pub(super) fn table_cells(&mut self, item: &Item, ids: &BTreeSet<&'static str>) {
        // Footnote references (`[^name]`) are the editor's, not the bulletin's.
        let footnote = regex::Regex::new(r"\[\^[^\]]*\]").expect("regex");
        let rows = item
            .body
            .lines()
            .filter(|l| l.trim_start().starts_with('|'));
        for (i, row) in rows.enumerate() {
            let row = footnote.replace_all(row, "");
            self.numbers(item, ids, &format!("table row {}", i + 1), &row);
        }
    }

    /// A required text field: verbatim and its numbers.
    pub(super) fn title_like(&mut self, item: &Item, ids: &BTreeSet<&'static str>, key: &str) {
        match field(&item.meta, key) {
            Some(v) => {
                self.text(item, ids, key, &v);
                self.numbers(item, ids, key, &v);
            }
            None => self.failures.push(format!(
                "{}: field `{key}` is missing or not text",
                item.rel
            )),
        }
    }

    pub(super) fn opt_text(&mut self, item: &Item, ids: &BTreeSet<&'static str>, key: &str) {
        if let Some(v) = field(&item.meta, key) {
            self.text(item, ids, key, &v);
        }
    }

    pub(super) fn opt_numbers(&mut self, item: &Item, ids: &BTreeSet<&'static str>, key: &str) {
        if let Some(v) = field(&item.meta, key) {
            self.numbers(item, ids, key, &v);
        }
    }

    pub(super) fn opt_date(&mut self, item: &Item, ids: &BTreeSet<&'static str>, key: &str) {
        match field(&item.meta, key) {
            Some(v) => self.date(item, ids, key, &v),
            None => self
                .failures
                .push(format!("{}: field `{key}` is missing", item.rel)),
        }
    }

    pub(super) fn list_text(&mut self, item: &Item, ids: &BTreeSet<&'static str>, key: &str) {
        for (i, v) in list(&item.meta, key).iter().enumerate() {
            self.text(item, ids, &format!("{key}[{i}]"), v);
        }
    }

    /// A policy's `doc_type` and `status` say what its own title and summary say: a document's
    /// type is a word of its title, a meeting is a 会议 (or 座谈会) held, a statement something
    /// 表示ed, a draft one published for 征求意见.
    pub(super) fn doc_type(&mut self, item: &Item) {
        let said = format!(
            "{}{}",
            field(&item.meta, "title").unwrap_or_default(),
            field(&item.meta, "summary").unwrap_or_default()
        );
        let title = field(&item.meta, "title").unwrap_or_default();
        if let Some(t) = field(&item.meta, "doc_type") {
            let ok = match t.as_str() {
                "会议" => said.contains("会议") || said.contains("座谈会"),
                "讲话" | "表态" => said.contains("表示") || said.contains("讲话"),
                word => title.contains(word),
            };
            if !ok {
                self.failures.push(format!(
                    "{}: field `doc_type`: `{t}` is not what its title or summary says it is",
                    item.rel
                ));
            }
        }
        if let Some(s) = field(&item.meta, "status") {
            if !(said.contains(&s) || said.contains("征求意见")) {
                self.failures.push(format!(
                    "{}: field `status`: `{s}`, but neither title nor summary says 征求意见",
                    item.rel
                ));
            }
        }
    }

    pub(super) fn check(&mut self, item: &Item, ids: &BTreeSet<&'static str>) {
        match item.kind {
            "articles" => {
                self.title_like(item, ids, "title");
                self.title_like(item, ids, "source");
                self.list_text(item, ids, "regions");
                self.opt_date(item, ids, "date");
                self.table_cells(item, ids);
            }
            "policies" => {
                self.title_like(item, ids, "title");
                self.opt_text(item, ids, "doc_number");
                self.list_text(item, ids, "issuers");
                self.opt_text(item, ids, "region");
                self.opt_date(item, ids, "date");
                self.opt_numbers(item, ids, "summary");
                self.doc_type(item);
            }
            "rankings" => {
                self.title_like(item, ids, "title");
                self.opt_text(item, ids, "publisher");
                self.opt_date(item, ids, "date");
                self.opt_numbers(item, ids, "summary");
                if let Some(Value::Sequence(entries)) = item.meta.get("entries") {
                    for (i, e) in entries.iter().enumerate() {
                        let key = format!("entries[{i}]");
                        match e.get("name").and_then(scalar) {
                            Some(name) => {
                                self.text(item, ids, &format!("{key}.name"), &name);
                                self.numbers(item, ids, &format!("{key}.name"), &name);
                            }
                            None => self.failures.push(format!(
                                "{}: field `{key}.name` is missing: a ranking entry must name an entry of the text",
                                item.rel
                            )),
                        }
                        for sub in ["value", "note"] {
                            if let Some(v) = e.get(sub).and_then(scalar) {
                                self.numbers(item, ids, &format!("{key}.{sub}"), &v);
                            }
                        }
                    }
                }
            }
            "books" => {
                self.title_like(item, ids, "title");
                self.list_text(item, ids, "authors");
                self.opt_text(item, ids, "publisher");
                self.opt_date(item, ids, "date");
                if let Some(v) = field(&item.meta, "published") {
                    self.month(item, ids, "published", &v);
                }
                self.opt_numbers(item, ids, "summary");
                self.opt_numbers(item, ids, "reason");
            }
            "products" => {
                self.title_like(item, ids, "name");
                self.opt_text(item, ids, "bank");
                self.opt_date(item, ids, "date");
                self.opt_numbers(item, ids, "summary");
            }
            "issues" => {
                self.contents_pages(item, ids);
                self.opt_text(item, ids, "publisher");
                self.list_text(item, ids, "editors");
                if let Some(period) = item.meta.get("period") {
                    for key in ["from", "to"] {
                        if let Some(v) = period.get(key).and_then(scalar) {
                            self.date(item, ids, &format!("period.{key}"), &v);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}
