//! Structured facts stated in prose: the book records of 图书推荐, and the ranking entries a
//! ranking's commentary names outright (榜首 / 排名第二和第三 / 依次排名 4-10 名 / 并列第十).
//! Only what the text states is extracted; anything inconsistent yields no entries.

use regex::Regex;
use std::sync::LazyLock;

use super::masthead::split_names;
use super::model::{Book, RankingEntry};
use super::text::{chinese_number, join_broken};
use super::{ParseError, ParseErrorKind};

static BOOK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^书名\s*/\s*著者\s*[:：]\s*(?P<ta>.*?)\s*出版社\s*/\s*出版日期\s*[:：]\s*(?P<pd>.*?)\s*内容简介\s*[:：]\s*(?P<sum>.*?)\s*推荐理由\s*[:：]\s*(?P<why>.*?)\s*$",
    )
    .expect("static regex")
});
static YEAR_MONTH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d{4})\s*[-./年]\s*(\d{1,2})").expect("static regex"));

/// True for the first line of a book record.
pub fn is_book_start(l: &str) -> bool {
    strip_p(l).starts_with("书名")
}

fn strip_p(l: &str) -> &str {
    let t = l.trim();
    let t = t.strip_prefix("<p>").unwrap_or(t);
    t.strip_suffix("</p>").unwrap_or(t).trim()
}

/// Parses the book section: `lines` are (1-based line, text) from the first record to the end.
pub fn books(lines: &[(usize, &str)]) -> Result<Vec<Book>, Vec<ParseError>> {
    let mut records: Vec<(usize, String)> = Vec::new();
    for (n, l) in lines {
        let t = strip_p(l);
        if t.is_empty() {
            continue;
        }
        match records.last_mut() {
            Some((_, rec)) if !is_book_start(t) => *rec = join_broken(rec, t),
            _ => records.push((*n, t.to_string())),
        }
    }
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (line, rec) in records {
        match book(&rec) {
            Some(b) => out.push(Book { line, ..b }),
            None => errors.push(ParseError::new(line, ParseErrorKind::BadBook)),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn book(rec: &str) -> Option<Book> {
    let c = BOOK.captures(rec)?;
    let (title, authors) = c["ta"].split_once('/')?;
    let authors: Vec<String> = authors.split('/').flat_map(split_names).collect();
    let (publisher, date) = c["pd"].rsplit_once('/')?;
    let ym = YEAR_MONTH.captures(date)?;
    let month: u32 = ym[2].parse().ok()?;
    if !(1..=12).contains(&month) || title.trim().is_empty() || authors.is_empty() {
        return None;
    }
    Some(Book {
        line: 0,
        title: title.trim().to_string(),
        authors,
        publisher: publisher.trim().to_string(),
        published: format!("{}-{month:02}", &ym[1]),
        summary: c["sum"].to_string(),
        reason: c["why"].to_string(),
    })
}

const NUM: &str = "[0-9一二三四五六七八九十]+";
static TOP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[，；])([^，。；]+?)位居榜首").expect("static regex"));
static PAIR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:^|[，；])([^，。；]+?)排名第({NUM})(?:和|与|、)第({NUM})"
    ))
    .expect("static regex")
});
static RUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:^|[，；])([^，。；]+?)进入前{NUM}[，,]\s*依次排名\s*(\d+)\s*[-—–~至到]\s*(\d+)\s*名"
    ))
    .expect("static regex")
});
static TIE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"其中([^，。；]+?)(?:估值)?并列第({NUM})")).expect("static regex")
});

fn names(s: &str) -> Vec<String> {
    s.split('、')
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect()
}

/// The entries a ranking's commentary names with their ranks; empty when it names none or
/// when the statements do not add up.
pub fn ranking_entries(text: &str) -> Vec<RankingEntry> {
    let mut out: Vec<RankingEntry> = Vec::new();
    let entry = |rank, name: &str, note: Option<String>| RankingEntry {
        rank,
        name: name.to_string(),
        note,
    };
    for sentence in text.split(['。', '\n']) {
        if let Some(c) = TOP.captures(sentence) {
            out.push(entry(1, c[1].trim(), None));
        }
        if let Some(c) = PAIR.captures(sentence) {
            let ns = names(&c[1]);
            let ranks = [chinese_number(&c[2]), chinese_number(&c[3])];
            if let ([a, b], [Some(ra), Some(rb)]) = (ns.as_slice(), ranks) {
                out.push(entry(ra, a, None));
                out.push(entry(rb, b, None));
            }
        }
        if let Some(c) = RUN.captures(sentence) {
            let ns = names(&c[1]);
            let (from, to) = (c[2].parse().unwrap_or(0), c[3].parse().unwrap_or(0));
            let tie = text.split('。').find_map(|s| {
                TIE.captures(s)
                    .map(|t| (names(&t[1]), chinese_number(&t[2]), t[0].to_string()))
            });
            out.extend(run(&ns, from, to, tie));
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|e| seen.insert(e.name.clone()));
    out.sort_by_key(|e| e.rank);
    out
}

/// Names ranked `from..=to` in order; a tie (names, rank) puts those names at that rank.
fn run(
    ns: &[String],
    from: u32,
    to: u32,
    tie: Option<(Vec<String>, Option<u32>, String)>,
) -> Vec<RankingEntry> {
    if from == 0 || to < from {
        return Vec::new();
    }
    let (tied, tie_rank, tie_text) = match tie {
        Some((t, Some(r), text)) if t.iter().all(|n| ns.contains(n)) => (t, r, text),
        _ => (Vec::new(), 0, String::new()),
    };
    let mut next = from;
    let mut out = Vec::new();
    for n in ns {
        if tied.contains(n) {
            let note = tie_text.trim_start_matches("其中").trim().to_string();
            let note = note.strip_prefix(&tied.join("、")).unwrap_or(&note).trim();
            out.push(RankingEntry {
                rank: tie_rank,
                name: n.clone(),
                note: Some(note.to_string()),
            });
        } else {
            out.push(RankingEntry {
                rank: next,
                name: n.clone(),
                note: None,
            });
            next += 1;
        }
    }
    let consistent = out.iter().all(|e| e.rank >= from && e.rank <= to)
        && (tied.is_empty() || next == tie_rank)
        && (!tied.is_empty() || next == to + 1);
    if consistent {
        out
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const UNICORN: &str = "从独角兽企业估值排名来看，抖音位居榜首，估值最高。SHEIN、京东科技排名第二和第三，估值均超 300 亿元。微众银行、长鑫科技、菜鸟网络、广汽埃安、元气森林、小红书、极氪汽车、货拉拉进入前十，依次排名 4-10 名。其中极氪汽车、货拉拉估值并列第十。";

    #[test]
    fn unicorn_top_ten_with_a_shared_tenth_place() {
        let e = ranking_entries(UNICORN);
        let got: Vec<(u32, &str)> = e.iter().map(|e| (e.rank, e.name.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (1, "抖音"),
                (2, "SHEIN"),
                (3, "京东科技"),
                (4, "微众银行"),
                (5, "长鑫科技"),
                (6, "菜鸟网络"),
                (7, "广汽埃安"),
                (8, "元气森林"),
                (9, "小红书"),
                (10, "极氪汽车"),
                (10, "货拉拉"),
            ]
        );
        assert_eq!(e[9].note.as_deref(), Some("估值并列第十"));
    }

    #[test]
    fn inconsistent_runs_give_nothing() {
        assert!(ranking_entries("甲、乙进入前十，依次排名 4-10 名。").is_empty());
        assert!(ranking_entries("智慧社区是未来城市发展的重要方向。").is_empty());
    }

    #[test]
    fn book_records() {
        let lines = [(
            1795,
            "\t<p>书名/著者: 繁荣与停滞/伊藤隆敏 星岳雄 出版社/出版日期: 中信出版社/2022-09 内容简介: 本书介绍。 推荐理由: 值得一读。</p>",
        ), (
            1797,
            "<p>书名/著者: 赋能型领导/弗朗西丝·弗赖/安妮·莫里斯 出版社/出版日期: 中信出版集团/2022-10 内容简介: 简介。 推荐理由: 理由。</p>",
        )];
        let b = books(&lines).expect("books");
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].title, "繁荣与停滞");
        assert_eq!(b[0].authors, vec!["伊藤隆敏", "星岳雄"]);
        assert_eq!(b[0].publisher, "中信出版社");
        assert_eq!(b[0].published, "2022-09");
        assert_eq!(b[0].summary, "本书介绍。");
        assert_eq!(b[0].reason, "值得一读。");
        assert_eq!(b[0].line, 1795);
        assert_eq!(b[1].authors, vec!["弗朗西丝·弗赖", "安妮·莫里斯"]);
    }

    #[test]
    fn a_record_without_its_fields_is_an_error() {
        let errs = books(&[(9, "书名/著者: 只有书名")]).expect_err("bad");
        assert_eq!(errs[0].line, 9);
    }
}
