//! `feed.xml`: an Atom feed of the newest items, built with atom_syndication.

use atom_syndication::{Content, Entry, Feed, FixedDateTime, Link, Person, Text};
use chrono::{FixedOffset, NaiveTime};

use crate::markdown::excerpt_markdown;
use crate::model::*;
use crate::view::{item_url, policy_byline};

/// How many items the feed carries.
pub const FEED_ITEMS: usize = 50;
/// Characters of an entry's summary: enough for a reader to decide whether to open it.
const FEED_SUMMARY: usize = 300;

/// Dates carry no time of day; noon China time keeps the day right in every reader's zone.
/// Atom needs a full timestamp, so a month-only date stands at its month's first day.
fn at_noon(d: Date) -> FixedDateTime {
    let day = d.first_day();
    let tz = FixedOffset::east_opt(8 * 3600)
        .unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset"));
    day.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default())
        .and_local_timezone(tz)
        .single()
        .unwrap_or_else(|| {
            chrono::DateTime::<FixedOffset>::from_naive_utc_and_offset(
                day.and_time(NaiveTime::default()),
                tz,
            )
        })
}

struct FeedItem {
    date: Date,
    kind: Kind,
    slug: Slug,
    title: String,
    summary: String,
}

pub fn feed(site: &Site) -> String {
    let base = &site.config.base_url;
    let mut items: Vec<FeedItem> = Vec::new();
    let mut push = |kind: Kind, slug: &Slug, date: Date, title: &str, summary: &str| {
        items.push(FeedItem {
            date,
            kind,
            slug: slug.clone(),
            title: title.to_string(),
            summary: summary.to_string(),
        })
    };
    for a in &site.articles {
        push(
            Kind::Article,
            &a.slug,
            a.meta.date,
            &a.meta.title,
            &a.meta.source,
        );
    }
    for p in &site.policies {
        let byline = policy_byline(p);
        push(
            Kind::Policy,
            &p.slug,
            p.meta.date,
            &p.meta.title,
            &format!("{byline}。{}", p.meta.summary),
        );
    }
    for r in &site.rankings {
        push(
            Kind::Ranking,
            &r.slug,
            r.meta.date,
            &r.meta.title,
            &r.meta.summary,
        );
    }
    for b in &site.books {
        push(
            Kind::Book,
            &b.slug,
            b.meta.date,
            &b.meta.title,
            &b.meta.summary,
        );
    }
    for p in &site.products {
        push(
            Kind::Product,
            &p.slug,
            p.meta.date,
            &format!("{}：{}", p.meta.bank, p.meta.name),
            &p.meta.summary,
        );
    }
    items.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then_with(|| a.kind.cmp(&b.kind))
            .then_with(|| a.slug.cmp(&b.slug))
    });
    items.truncate(FEED_ITEMS);

    let updated = items
        .first()
        .map(|i| at_noon(i.date))
        .unwrap_or_else(|| at_noon(Date::day(chrono::NaiveDate::default())));
    let entries: Vec<Entry> = items
        .into_iter()
        .map(|i| {
            let url = base.join(&item_url(i.kind, &i.slug));
            Entry {
                id: url.clone(),
                title: Text::plain(i.title),
                updated: at_noon(i.date),
                published: Some(at_noon(i.date)),
                links: vec![Link {
                    href: url,
                    rel: "alternate".into(),
                    mime_type: Some("text/html".into()),
                    ..Default::default()
                }],
                // Summaries are Markdown; a feed reader shows them as text.
                summary: Some(Text::plain(excerpt_markdown(&i.summary, FEED_SUMMARY))),
                categories: vec![atom_syndication::Category {
                    term: i.kind.dir().into(),
                    label: Some(i.kind.zh().into()),
                    ..Default::default()
                }],
                content: None::<Content>,
                ..Default::default()
            }
        })
        .collect();
    let feed = Feed {
        id: base.join(""),
        title: Text::plain(site.config.title.clone()),
        subtitle: Some(Text::plain(site.config.description.clone())),
        updated,
        authors: vec![Person {
            name: site.config.title.clone(),
            ..Default::default()
        }],
        links: vec![
            Link {
                href: base.join("feed.xml"),
                rel: "self".into(),
                mime_type: Some("application/atom+xml".into()),
                ..Default::default()
            },
            Link {
                href: base.join(""),
                rel: "alternate".into(),
                mime_type: Some("text/html".into()),
                ..Default::default()
            },
        ],
        lang: Some(site.config.language.clone()),
        entries,
        ..Default::default()
    };
    xml_chars(&feed.to_string())
}

/// Drops every character XML 1.0 cannot carry, escaped or not. Loading refuses them in content
/// already; this keeps the feed and sitemap well-formed whatever reaches them. Such a character
/// can never be part of the markup, so filtering the finished document is safe.
pub fn xml_chars(s: &str) -> String {
    let ok = |c: char| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..);
    if s.chars().all(ok) {
        s.to_string()
    } else {
        s.chars().filter(|&c| ok(c)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_xml_cannot_carry_are_dropped() {
        assert_eq!(xml_chars("a\u{1}b\u{fffe}c\td\u{1b}"), "abc\td");
    }
}
