//! The policies a bulletin's articles report, as drafts for an editor: for each document named
//! on an article's `附：《…》` line, what the article's own text states about it (the date it
//! was issued, the bodies that issued it, its level and region, its document number) and
//! nothing else. A field the text does not state is `None`, for the editor to fill in.
//!
//! The text is read the way such reports are written: the sentence that first names the
//! document, `<issuers><adverbs><verb>《<name>》`, e.g. `财政部、工业和信息化部近日联合印发《…》`.
//! Anything that does not read as a list of bodies gives no issuers rather than a wrong one.

use chrono::{Datelike, NaiveDate};
use regex::Regex;
use std::sync::LazyLock;

use super::model::Article;
use super::places::Places;
use super::text::fold_width;

/// One document an article reports, with what its text states.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// The name as the `附：` line prints it, without the brackets.
    pub name: String,
    /// Index of the reporting article in [`super::Bulletin::articles`].
    pub article: usize,
    /// The issue date, when the sentence naming the document gives its day.
    pub date: Option<NaiveDate>,
    /// What the text says about the date when it gives none to the day (`近日`, `3月`).
    pub date_note: Option<String>,
    /// Empty when the text does not name them as a list of bodies.
    pub issuers: Vec<String>,
    /// `等16部门`: the text names only some of the issuers.
    pub issuers_more: Option<String>,
    pub level: Option<&'static str>,
    pub region: Option<String>,
    pub doc_number: Option<String>,
    /// The paragraph that first names the document (Markdown, as in the article body).
    pub summary: Option<String>,
}

/// Kinds of official document (the last word of its name): a name ending otherwise (a report,
/// an article, a standard's title) is not proposed as a policy.
const DOC_TYPES: &[&str] = &[
    "通知", "意见", "办法", "方案", "措施", "规定", "条件", "条例", "规划", "计划", "指引", "指南",
    "细则", "规则", "决定", "纲要", "公告", "通告", "政策", "要点", "清单", "批复", "通报", "函",
];

/// True when `name` names an official document, judged by its last word (after any trailing
/// `（试行）`, `（2024 年本）`, `(2024—2026年)`).
pub fn is_policy_name(name: &str) -> bool {
    let mut s: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    while let Some(stripped) = strip_trailing_parenthetical(&s) {
        s = stripped;
    }
    DOC_TYPES.iter().any(|t| s.ends_with(t))
}

fn strip_trailing_parenthetical(s: &str) -> Option<String> {
    let close = s.chars().last().filter(|c| matches!(c, '）' | ')'))?;
    let open = if close == '）' { '（' } else { '(' };
    let at = s.rfind(open)?;
    (at > 0).then(|| s[..at].to_string())
}

/// Every document the articles name that reads as a policy, in article order.
pub fn proposals(articles: &[Article], places: &Places) -> Vec<Proposal> {
    let mut out = Vec::new();
    for (i, a) in articles.iter().enumerate() {
        for name in a.policy_documents.iter().filter(|n| is_policy_name(n)) {
            out.push(propose(i, a, name, places));
        }
    }
    out
}

/// Whitespace and Markdown emphasis dropped, full-width ASCII folded: the text as compared.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '*')
        .map(fold_width)
        .collect()
}

fn propose(index: usize, a: &Article, name: &str, places: &Places) -> Proposal {
    let mut p = Proposal {
        name: name.to_string(),
        article: index,
        date: None,
        date_note: None,
        issuers: Vec::new(),
        issuers_more: None,
        level: None,
        region: None,
        doc_number: None,
        summary: None,
    };
    let needle = format!("《{}》", squash(name));
    let paragraphs = a
        .body
        .split("\n\n")
        .filter(|para| !para.starts_with("附：") && !para.starts_with("附:"));
    let found = paragraphs
        .map(|para| (para, squash(para)))
        .find_map(|(para, sq)| sq.find(&needle).map(|at| (para, sq, at)));
    if let Some((para, sq, at)) = found {
        p.summary = Some(para.replace("**", ""));
        // Full-width `！？` are folded to ASCII by `squash`; `。` is not.
        let sentence_start = sq[..at]
            .char_indices()
            .rfind(|(_, c)| matches!(c, '。' | '!' | '?'))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let before = &sq[sentence_start..at];
        (p.date, p.date_note) = issue_date(before, a.date);
        (p.issuers, p.issuers_more) = issuers(before);
        p.doc_number = doc_number(&sq[at + needle.len()..]);
    }
    p.region = places.region(&a.title, &p.issuers, name);
    p.level = places.level(&p.issuers, p.region.as_deref());
    p
}

static FULL_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d{4})年(\d{1,2})月(\d{1,2})日").expect("regex"));
static MONTH_DAY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d{1,2})月(\d{1,2})日").expect("regex"));
static DAY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[^\d月])(\d{1,2})日").expect("regex"));
static MONTH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:(\d{4})年|今年)?(\d{1,2})月份?").expect("regex"));
const VAGUE: &[&str] = &["近日", "日前", "近期", "昨日", "今日", "目前", "此前"];

/// True for a note that is a vague word (`近日`) rather than a month the text gives.
pub fn is_vague(note: &str) -> bool {
    VAGUE.contains(&note)
}

/// The date the text gives before the name, completed from the report date (a day without a
/// month is in the report's month, or the one before when that would be later than the report).
fn issue_date(before: &str, reported: NaiveDate) -> (Option<NaiveDate>, Option<String>) {
    let vague_at = VAGUE.iter().filter_map(|v| before.rfind(v)).max();
    let full = FULL_DATE.captures_iter(before).last().and_then(|c| {
        let n = |i: usize| c[i].parse::<u32>().ok();
        let end = c.get(0).map_or(0, |m| m.end());
        Some((end, NaiveDate::from_ymd_opt(n(1)? as i32, n(2)?, n(3)?)?))
    });
    let month_day = MONTH_DAY.captures_iter(before).last().and_then(|c| {
        let end = c.get(0).map_or(0, |m| m.end());
        let (m, d) = (c[1].parse().ok()?, c[2].parse().ok()?);
        let this = NaiveDate::from_ymd_opt(reported.year(), m, d)?;
        let date = if this > reported {
            NaiveDate::from_ymd_opt(reported.year() - 1, m, d)?
        } else {
            this
        };
        Some((end, date))
    });
    let day = DAY.captures_iter(before).last().and_then(|c| {
        let end = c.get(0).map_or(0, |m| m.end());
        let d = c[1].parse().ok()?;
        let this = NaiveDate::from_ymd_opt(reported.year(), reported.month(), d)?;
        let date = if this > reported {
            let prev = reported.with_day(1)?.pred_opt()?;
            NaiveDate::from_ymd_opt(prev.year(), prev.month(), d)?
        } else {
            this
        };
        Some((end, date))
    });
    let best = [full, month_day, day]
        .into_iter()
        .flatten()
        .max_by_key(|(end, _)| *end);
    match best {
        // A `近日` after the date: the date is of something else (the news), not the issue.
        Some((end, date)) if vague_at.is_none_or(|v| v < end) => (Some(date), None),
        _ => {
            // What the text says instead, the later of a month and a vague word.
            let month = MONTH
                .captures_iter(before)
                .last()
                .and_then(|c| c.get(0))
                .map(|m| (m.start(), m.as_str().to_string()));
            let vague = vague_at.map(|v| (v, before[v..].chars().take(2).collect::<String>()));
            let said = [month, vague]
                .into_iter()
                .flatten()
                .max_by_key(|(at, _)| *at);
            (None, said.map(|(_, s)| s))
        }
    }
}

const VERBS: &[&str] = &[
    "印发了",
    "印发",
    "发布了",
    "发布",
    "出台了",
    "出台",
    "制定了",
    "制定",
    "公布了",
    "公布",
    "审议通过",
    "转发了",
    "转发",
];
/// Words between the bodies and the verb that are not part of a name.
const ADVERBS: &[&str] = &[
    "联合", "共同", "正式", "重点", "对外", "近日", "日前", "近期", "已经", "已", "在", "于",
    "今天", "今日",
];
/// Where a clause begins before the bodies: `据悉`, `记者从…获悉`.
const LEADS: &[&str] = &[
    "近日",
    "日前",
    "近期",
    "据悉",
    "获悉",
    "了解到",
    "消息称",
    "称",
    "转发了",
    "转发",
];
/// The last word of a body's name.
const BODY_ENDS: &[&str] = &[
    "部", "委", "局", "厅", "办", "署", "会", "院", "行", "府", "司", "处", "室", "组", "市", "省",
    "中心", "公司",
];

static MORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"等(?:[\d一二三四五六七八九十]+个?)?(?:部门|单位|机构)$").expect("regex")
});
static SPLIT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"、|会同|联合|同").expect("regex"));
static DATE_WORDS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:\d{4}年)?(?:\d{1,2}月)?\d{1,2}日$").expect("regex"));

/// The bodies named right before the verb that precedes the name, in the text's order.
fn issuers(before: &str) -> (Vec<String>, Option<String>) {
    let clause = before
        .rsplit(['，', ',', '：', ':', '；', ';'])
        .next()
        .unwrap_or("");
    // The verb must stand right before the name (`发布修订后的《`), not somewhere earlier.
    let verb = VERBS
        .iter()
        .filter_map(|v| clause.rfind(v).map(|at| (at, at + v.len())))
        .filter(|(_, end)| clause[*end..].chars().count() <= 5)
        .max_by_key(|(at, end)| (*end, usize::MAX - at));
    let Some((at, _)) = verb else {
        return (Vec::new(), None);
    };
    let mut subject = strip_adverbs(&clause[..at]);
    // After the adverbs, or `近日` right before the verb would cut the bodies off.
    if let Some(cut) = LEADS
        .iter()
        .filter_map(|l| subject.rfind(l).map(|i| i + l.len()))
        .max()
    {
        subject = strip_adverbs(&subject[cut..]);
    }
    let more = MORE.find(&subject).map(|m| m.as_str().to_string());
    if let Some(m) = &more {
        subject.truncate(subject.len() - m.len());
    }
    let names: Vec<String> = SPLIT.split(&subject).map(str::to_string).collect();
    if names.iter().all(|n| is_body(n)) {
        (names, more)
    } else {
        (Vec::new(), None)
    }
}

/// `…近日联合`, `…在6月19日`: what stands between the bodies and the verb.
fn strip_adverbs(s: &str) -> String {
    let mut subject = s.to_string();
    loop {
        let len = subject.len();
        for a in ADVERBS {
            if let Some(s) = subject.strip_suffix(a) {
                subject = s.to_string();
            }
        }
        if let Some(m) = DATE_WORDS.find(&subject) {
            subject.truncate(m.start());
        }
        if subject.len() == len {
            return subject;
        }
    }
}

fn is_body(name: &str) -> bool {
    let n = name.chars().count();
    (2..=30).contains(&n)
        && name.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
        && !name.contains(['的', '了', '据', '将', '对', '为'])
        && BODY_ENDS.iter().any(|e| name.ends_with(e))
}

static DOC_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[(（]([\p{Han}]{1,12}[〔\[]\d{4}[〕\]]\d{1,4}号)[)）]").expect("regex")
});

/// `《…》（国发〔2024〕7号）`: the number printed right after the name.
fn doc_number(after: &str) -> Option<String> {
    DOC_NUMBER.captures(after).map(|c| c[1].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn the_number_printed_after_the_name() {
        assert_eq!(
            doc_number("（国发〔2024〕7号）要求"),
            Some("国发〔2024〕7号".into())
        );
        assert_eq!(doc_number("要求"), None);
    }

    #[test]
    fn policy_names_by_their_last_word() {
        assert!(is_policy_name(
            "关于进一步支持专精特新中小企业高质量发展的通知"
        ));
        assert!(is_policy_name("光伏制造行业规范条件（2024 年本）"));
        assert!(is_policy_name(
            "关于上海促进微短剧产业发展的若干措施（试行）"
        ));
        assert!(!is_policy_name(
            "2024 年中国(山东)自由贸易试验区济南片区金融创新发展报告"
        ));
        assert!(!is_policy_name("稳妥发展金融科技 提升央行履职能力"));
    }

    #[test]
    fn bodies_before_the_verb() {
        let (i, more) = issuers("财政部、工业和信息化部近日联合");
        assert!(i.is_empty() && more.is_none(), "no verb, no issuers");
        let (i, _) = issuers("财政部、工业和信息化部近日联合印发");
        assert_eq!(i, ["财政部", "工业和信息化部"]);
        let (i, _) = issuers("近日，国家发展改革委同农业农村部、商务部联合印发");
        assert_eq!(i, ["国家发展改革委", "农业农村部", "商务部"]);
        let (i, more) = issuers("为此，国家卫生健康委等16部门联合制定了");
        assert_eq!(
            (i, more.as_deref()),
            (vec!["国家卫生健康委".to_string()], Some("等16部门"))
        );
        let (i, _) = issuers("证监会在6月19日发布了");
        assert_eq!(i, ["证监会"]);
        // A place is not a body; a subject that is not a list of bodies gives none.
        assert!(issuers("日前，浙江印发").0.is_empty());
        assert!(issuers("新修订的").0.is_empty());
    }

    #[test]
    fn dates_to_the_day_or_nothing() {
        let r = d("2024-06-26");
        assert_eq!(
            issue_date("6月25日，财政部等4部门发布", r).0,
            Some(d("2024-06-25"))
        );
        assert_eq!(
            issue_date("国务院办公厅在5日转发了", d("2024-07-05")).0,
            Some(d("2024-07-05"))
        );
        assert_eq!(issue_date("人民银行28日发布", r).0, Some(d("2024-05-28")));
        let (date, note) = issue_date("国务院于今年3月份印发的", r);
        assert_eq!((date, note.as_deref()), (None, Some("今年3月份")));
        let (date, note) = issue_date("上海金融监管局17日发布消息称，近日上海金融监管局印发", r);
        assert_eq!((date, note.as_deref()), (None, Some("近日")));
    }
}
