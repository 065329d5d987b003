//! The text format -> [`Bulletin`]: masthead, contents list, then the body, cut into articles
//! at their `<outlet> YYYY-MM-DD` source lines and matched to the contents list by title.

use chrono::NaiveDate;
use regex::Regex;
use std::collections::HashSet;
use std::sync::LazyLock;

use super::body::{self, bracketed_names, Drops};
use super::extract::{self, is_book_start};
use super::model::{Article, Bulletin, Ranking, TocEntry};
use super::text::{collapse_ws, join_broken, norm_key, tidy_title};
use super::toc::{self, BodyIndex, RawLine};
use super::{masthead, ParseError, ParseErrorKind};

static SOURCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\S.{0,40}?)\s+(\d{4})[-.](\d{1,2})[-.](\d{1,2})$").expect("static regex")
});

/// `新京报 2024-06-19` -> (outlet, date); `None` for anything else.
pub fn source_line(l: &str) -> Option<(String, Option<NaiveDate>)> {
    let c = SOURCE.captures(l.trim())?;
    let n = |i: usize| c[i].parse::<u32>().unwrap_or(0);
    let date = NaiveDate::from_ymd_opt(n(2) as i32, n(3), n(4));
    Some((collapse_ws(&c[1]), date))
}

fn is_contents_heading(l: &str) -> bool {
    let t = l.trim();
    t.starts_with("目录") || t.eq_ignore_ascii_case("contents")
}

/// The section that holds rankings rather than articles.
pub fn is_rankings_section(name: &str) -> bool {
    name.contains("排行") || name.contains("榜单")
}

/// Parses a whole bulletin. Pure: no disk access.
pub fn parse(text: &str) -> Result<Bulletin, Vec<ParseError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().collect();
    let prev_nonblank = |before: usize| (0..before).rev().find(|&j| !lines[j].trim().is_empty());
    let is_source_at = |i: usize| source_line(lines[i]).is_some();
    let keys: Vec<String> = lines.iter().map(|l| norm_key(l)).collect();

    // Article starts: a title-like line followed by a source line.
    let mut starts: Vec<(usize, usize)> = Vec::new(); // (title line, source line), 0-based
    for (s, l) in lines.iter().enumerate() {
        if source_line(l).is_none() {
            continue;
        }
        if let Some(t) = prev_nonblank(s) {
            let title = lines[t].trim();
            if title.chars().count() <= 80 && !title.ends_with('。') && !is_source_at(t) {
                starts.push((t, s));
            }
        }
    }
    let contents = lines.iter().position(|l| is_contents_heading(l));
    let first_title = starts.first().map(|(t, _)| *t);
    let contents = match (contents, first_title) {
        (Some(c), Some(f)) if c < f => c,
        (_, f) => {
            return Err(vec![ParseError::new(
                f.map_or(1, |f| f + 1),
                ParseErrorKind::NoToc,
            )])
        }
    };
    // The body begins at the first article title: the first line that repeats an item of the
    // contents list (or, failing that, the first line followed by a source line).
    let mut seen: HashSet<String> = HashSet::new();
    let mut pending: Option<String> = None;
    let mut body_start = first_title.unwrap_or(lines.len());
    for (j, l) in lines.iter().enumerate().take(body_start).skip(contents + 1) {
        if l.trim().is_empty() {
            continue;
        }
        let key = keys[j].clone();
        if seen.contains(&key) {
            body_start = j;
            break;
        }
        let r = toc::split_page(l);
        if r.page.is_some() {
            seen.insert(norm_key(&r.text));
            if let Some(p) = pending.take() {
                seen.insert(norm_key(&join_broken(&p, &r.text)));
            }
        } else {
            pending = Some(r.text);
        }
    }
    let mut errors = Vec::new();
    let mast = masthead::parse(&lines, contents).unwrap_or_else(|e| {
        errors.extend(e);
        Default::default()
    });

    // The book section: records at the end, under a heading line.
    let first_book = (body_start..lines.len()).find(|&i| is_book_start(lines[i]));
    let book_heading = first_book
        .and_then(prev_nonblank)
        .filter(|&h| h >= body_start);
    let articles_end = book_heading.or(first_book).unwrap_or(lines.len());

    // Resolve the contents list against the body.
    let mut index = BodyIndex {
        lines: HashSet::new(),
        book_headings: HashSet::new(),
    };
    let mut prev: Option<&str> = None;
    for l in &lines[body_start..] {
        let t = l.trim();
        if t.is_empty() {
            continue;
        }
        index.lines.insert(norm_key(t));
        if let Some(p) = prev {
            index.lines.insert(norm_key(&join_broken(p, t)));
        }
        prev = Some(t);
    }
    if let Some(h) = book_heading {
        index.book_headings.insert(norm_key(lines[h]));
    }
    let raw: Vec<RawLine> = (contents + 1..body_start)
        .filter(|&i| !lines[i].trim().is_empty())
        .map(|i| RawLine {
            line: i + 1,
            ..toc::split_page(lines[i])
        })
        .collect();
    let toc = match toc::resolve(&raw, &index) {
        Ok(t) => t,
        Err(e) => {
            errors.extend(e);
            return Err(errors);
        }
    };
    if let Some(h) = book_heading {
        let name = lines[h].trim();
        if !toc.sections.iter().any(|s| norm_key(s) == norm_key(name)) {
            errors.push(ParseError::new(
                h + 1,
                ParseErrorKind::SectionNotInToc(name.to_string()),
            ));
        }
    }

    // Match each body article to a contents item.
    let mut claimed = vec![false; toc.items.len()];
    let item_keys: Vec<String> = toc.items.iter().map(|i| norm_key(&i.title)).collect();
    let mut claim = |key: &str| -> Option<usize> {
        let i = (0..toc.items.len()).find(|&i| !claimed[i] && item_keys[i] == key)?;
        claimed[i] = true;
        Some(i)
    };
    let mut found: Vec<(usize, usize, usize, String)> = Vec::new(); // (title line, source line, toc idx, title)
    for &(t, s) in starts.iter().filter(|(t, _)| *t < articles_end) {
        let title = tidy_title(lines[t]);
        if let Some(i) = claim(&norm_key(&title)) {
            found.push((t, s, i, title));
            continue;
        }
        // A title broken over two lines in the body.
        let t2 = prev_nonblank(t).filter(|&t2| found.last().is_none_or(|f| t2 > f.1));
        if let Some(t2) = t2 {
            let joined = tidy_title(&join_broken(lines[t2], lines[t]));
            if let Some(i) = claim(&norm_key(&joined)) {
                found.push((t2, s, i, joined));
                continue;
            }
        }
        errors.push(ParseError::new(
            t + 1,
            ParseErrorKind::ArticleNotInToc(title),
        ));
    }
    for (i, item) in toc.items.iter().enumerate().filter(|(i, _)| !claimed[*i]) {
        let key = norm_key(&item.title);
        let at = (body_start..lines.len()).find(|&j| keys[j] == key);
        errors.push(match at {
            Some(j) => ParseError::new(j + 1, ParseErrorKind::MissingSource(tidy_title(lines[j]))),
            None => ParseError::new(
                item.line,
                ParseErrorKind::TocEntryNotInBody(toc.items[i].title.clone()),
            ),
        });
    }

    // Cut the body into articles and clean each.
    let mut drops: Vec<String> = toc.sections.clone();
    if !mast.series_name.is_empty() {
        drops.push(mast.series_name.clone());
    }
    let drops = Drops {
        running_headers: &drops,
    };
    let mut articles = Vec::new();
    let mut rankings = Vec::new();
    for (k, (t, s, i, title)) in found.iter().enumerate() {
        let end = found.get(k + 1).map_or(articles_end, |f| f.0);
        let item: &TocEntry = &toc.items[*i];
        let (source, date) = source_line(lines[*s]).unwrap_or_default();
        let Some(date) = date else {
            errors.push(ParseError::new(
                s + 1,
                ParseErrorKind::BadDate(lines[*s].trim().to_string()),
            ));
            continue;
        };
        let raw_lines = &lines[s + 1..end.max(s + 1)];
        check_trailing_heading(raw_lines, s + 1, &toc.sections, &mut errors);
        let parts = body::clean(raw_lines, &drops);
        let attachments = parts.attachments();
        if is_rankings_section(&item.section) {
            let summary = parts.markdown(false);
            rankings.push(Ranking {
                line: t + 1,
                toc_index: *i,
                page: item.page,
                title: title.clone(),
                section: item.section.clone(),
                publisher: source,
                date,
                url: parts.url(),
                entries: extract::ranking_entries(&summary),
                summary,
            });
        } else {
            articles.push(Article {
                line: t + 1,
                toc_index: *i,
                page: item.page,
                title: title.clone(),
                section: item.section.clone(),
                source,
                date,
                url: parts.url(),
                body: parts.markdown(true),
                policy_documents: attachments
                    .iter()
                    .flat_map(|a| bracketed_names(a))
                    .collect(),
                attachments,
            });
        }
    }
    let books = match first_book {
        Some(b) => {
            if toc.book_section.is_none() && book_heading.is_none() {
                errors.push(ParseError::new(
                    b + 1,
                    ParseErrorKind::SectionNotInToc("图书推荐".into()),
                ));
            }
            let book_lines: Vec<(usize, &str)> =
                (b..lines.len()).map(|i| (i + 1, lines[i])).collect();
            extract::books(&book_lines).unwrap_or_else(|e| {
                errors.extend(e);
                Vec::new()
            })
        }
        None => Vec::new(),
    };
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Err(errors);
    }
    Ok(Bulletin {
        masthead: mast,
        sections: toc.sections,
        toc: toc.items,
        articles,
        rankings,
        books,
    })
}

/// After an article's link line, a short standalone line before the next title is a section
/// heading: it must be one the contents list names.
fn check_trailing_heading(
    raw: &[&str],
    first_line: usize,
    sections: &[String],
    errors: &mut Vec<ParseError>,
) {
    let Some(link_at) = raw.iter().rposition(|l| body::link(l).is_some()) else {
        return;
    };
    for (j, l) in raw.iter().enumerate().skip(link_at + 1) {
        let t = l.trim();
        if t.is_empty() || sections.iter().any(|s| norm_key(s) == norm_key(t)) {
            continue;
        }
        let short = t.chars().count() <= 12;
        let plain = !t.chars().any(|c| "。，；：！？,.;:!?".contains(c));
        if short && plain {
            errors.push(ParseError::new(
                first_line + j + 1,
                ParseErrorKind::SectionNotInToc(t.to_string()),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_lines() {
        let (o, d) = source_line("新京报 2024-06-19").expect("source");
        assert_eq!(o, "新京报");
        assert_eq!(d.map(|d| d.to_string()).as_deref(), Some("2024-06-19"));
        assert_eq!(
            source_line("PR Newswire-Chinese 2024-07-11")
                .map(|s| s.0)
                .as_deref(),
            Some("PR Newswire-Chinese")
        );
        assert_eq!(
            source_line("《产业追踪》 2024-07-02")
                .map(|s| s.0)
                .as_deref(),
            Some("《产业追踪》")
        );
        assert!(source_line("据悉，截至 2024 年 5 月 31 日，科创板上市公司已达 572 家").is_none());
        assert!(source_line("2024-06-19").is_none());
    }

    const MINI: &str = "信息摘编\n\n2024年 第七期\n(总第三十七期)\n\n本期刊物信息搜集时间:\n2024.06.16-2024.07.15\n\n目录\n\n热点关注\n\n两部门: 进一步支持专精特新 中小企业\t1\n企业排行榜\n榜单一 TOP50\t2\n图书推荐\t3\n\n两部门：进一步支持专精特新中小企业\n\n新京报 2024-06-19\n\n正文第一段。\n\n附：《关于进一步支持的通知》\n\n<https://mp.weixin.qq.com/s/a>\n\n榜单一 TOP50\n\n硅谷动力 2024-06-18\n\n评论。\n\n附：榜单一 TOP50\n\nhttps://mp.weixin.qq.com/s/b\n\n图书推荐\n\n<p>书名/著者: 书/作者 出版社/出版日期: 社/2022-05 内容简介: 简介。 推荐理由: 理由。</p>\n";

    #[test]
    fn parses_a_minimal_bulletin() {
        let b = parse(MINI).expect("parse");
        assert_eq!(b.sections, vec!["热点关注", "企业排行榜", "图书推荐"]);
        assert_eq!(b.articles.len(), 1);
        let a = &b.articles[0];
        assert_eq!(a.title, "两部门：进一步支持专精特新中小企业");
        assert_eq!(
            (a.source.as_str(), a.date.to_string().as_str()),
            ("新京报", "2024-06-19")
        );
        assert_eq!(a.url.as_deref(), Some("https://mp.weixin.qq.com/s/a"));
        assert_eq!(a.policy_documents, vec!["关于进一步支持的通知"]);
        assert_eq!(b.rankings.len(), 1);
        assert_eq!(b.rankings[0].summary, "评论。");
        assert_eq!(b.books.len(), 1);
        assert_eq!(b.month().as_deref(), Some("2024-07"));
    }

    #[test]
    fn errors_name_their_lines() {
        let no_toc = MINI.replace("目录", "");
        assert!(matches!(
            parse(&no_toc).expect_err("no toc")[0].kind,
            ParseErrorKind::NoToc
        ));
        let no_source = MINI.replace("新京报 2024-06-19", "");
        let e = parse(&no_source).expect_err("no source");
        assert!(e
            .iter()
            .any(|e| e.line == 18 && matches!(e.kind, ParseErrorKind::MissingSource(_))));
        let bad_section = MINI.replace("\n图书推荐\n\n<p>", "\n新书速递\n\n<p>");
        let e = parse(&bad_section).expect_err("section");
        assert!(e
            .iter()
            .any(|e| matches!(&e.kind, ParseErrorKind::SectionNotInToc(s) if s == "新书速递")));
    }
}
