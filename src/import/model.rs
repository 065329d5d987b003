//! The in-memory form of a parsed 《信息摘编》 bulletin.

use chrono::NaiveDate;

/// A whole bulletin as read from its text extraction.
#[derive(Debug, Clone, PartialEq)]
pub struct Bulletin {
    pub masthead: Masthead,
    /// Section names in table-of-contents order.
    pub sections: Vec<String>,
    /// Every entry of the table of contents that names an item (not the section headings).
    pub toc: Vec<TocEntry>,
    /// Articles of every section except the rankings and books sections, in body order.
    pub articles: Vec<Article>,
    pub rankings: Vec<Ranking>,
    pub books: Vec<Book>,
}

impl Bulletin {
    /// The policy documents named on the articles' `附：《…》` lines: (article title, document names).
    pub fn policy_documents(&self) -> Vec<(&str, &[String])> {
        self.articles
            .iter()
            .filter(|a| !a.policy_documents.is_empty())
            .map(|a| (a.title.as_str(), a.policy_documents.as_slice()))
            .collect()
    }

    /// `YYYY-MM`: the masthead year with the 期 number when it is 1..=12, else the month of the
    /// collection period's end date.
    pub fn month(&self) -> Option<String> {
        let m = &self.masthead;
        match (m.year, m.number) {
            (Some(y), n) if (1..=12).contains(&n) => Some(format!("{y:04}-{n:02}")),
            _ => m.period.map(|(_, to)| to.format("%Y-%m").to_string()),
        }
    }
}

/// The cover page and its imprint.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Masthead {
    /// The series' display name (first line of the cover), e.g. 信息摘编.
    pub series_name: String,
    pub year: Option<i32>,
    /// 第七期 -> 7.
    pub number: u32,
    /// The edition as printed, spaces removed, e.g. `2024年第七期`.
    pub edition: String,
    /// 总第三十七期 -> 37.
    pub total_number: Option<u32>,
    pub publisher: Option<String>,
    pub editors: Vec<String>,
    /// Labelled contacts in cover order, e.g. ("电话", "(022) 84925879").
    pub contacts: Vec<(String, String)>,
    /// 本期刊物信息搜集时间 (from, to).
    pub period: Option<(NaiveDate, NaiveDate)>,
}

/// One item line of the table of contents.
#[derive(Debug, Clone, PartialEq)]
pub struct TocEntry {
    /// 1-based line of the entry (its first line when broken over two).
    pub line: usize,
    /// The title as the contents list prints it (broken lines joined).
    pub title: String,
    pub page: Option<u32>,
    pub section: String,
}

/// A news article (or a 国研专稿 paper).
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// 1-based line of the title in the body.
    pub line: usize,
    /// Its place in the table of contents (an index into [`Bulletin::toc`]).
    pub toc_index: usize,
    /// The page the table of contents prints for it.
    pub page: Option<u32>,
    pub title: String,
    pub section: String,
    pub source: String,
    pub date: NaiveDate,
    pub url: Option<String>,
    /// Markdown body, cleaned of extraction damage; keeps the `附：` line.
    pub body: String,
    /// Text of the `附：` lines (without the `附：` prefix).
    pub attachments: Vec<String>,
    /// The 《…》 names on the `附：` lines, without the brackets.
    pub policy_documents: Vec<String>,
}

/// A ranking of the 企业排行榜 section.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranking {
    pub line: usize,
    /// Its place in the table of contents (an index into [`Bulletin::toc`]).
    pub toc_index: usize,
    pub page: Option<u32>,
    pub title: String,
    pub section: String,
    /// The source outlet.
    pub publisher: String,
    pub date: NaiveDate,
    pub url: Option<String>,
    /// The commentary (Markdown), without the `附：` and link lines.
    pub summary: String,
    /// Only the entries the text names; empty when the table was an image.
    pub entries: Vec<RankingEntry>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RankingEntry {
    pub rank: u32,
    pub name: String,
    pub note: Option<String>,
}

/// A record of the 图书推荐 section.
#[derive(Debug, Clone, PartialEq)]
pub struct Book {
    pub line: usize,
    pub title: String,
    pub authors: Vec<String>,
    pub publisher: String,
    /// `YYYY-MM`.
    pub published: String,
    pub summary: String,
    pub reason: String,
}
