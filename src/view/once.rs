//! Saying things once on an item page: a summary that is the body's own opening is not shown
//! again above it, a related item's card does not repeat text the page already shows, and a
//! body's headings sit below the heading the page puts over the body.

use std::sync::Arc;

use super::Card;
use crate::markdown::excerpt;

/// The visible text of an HTML fragment without any whitespace: two texts are the same to a
/// reader when these are.
pub fn text_key(html: &str) -> String {
    excerpt(html, usize::MAX)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Whether a summary (`summary_html`) only repeats the opening of the body (`body_key`, see
/// [`text_key`]).
pub fn summary_opens_body(summary_html: &str, body_key: &str) -> bool {
    let summary = text_key(summary_html);
    !summary.is_empty() && body_key.starts_with(&summary)
}

/// `cards`, each without its excerpt where the page already shows that text (`shown`: the
/// [`text_key`]s of the page's texts). A card's excerpt is cut at a length (`…`): its shown
/// part is what must occur.
pub fn without_repeated_excerpts(cards: Vec<Arc<Card>>, shown: &[&str]) -> Vec<Arc<Card>> {
    cards
        .into_iter()
        .map(|c| {
            let key: String = c
                .excerpt
                .trim_end_matches('…')
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            if !key.is_empty() && shown.iter().any(|s| s.contains(&key)) {
                Arc::new(Card {
                    excerpt: String::new(),
                    ..(*c).clone()
                })
            } else {
                c
            }
        })
        .collect()
}

/// `html` with every heading one level lower (`h2` to `h3`; `h6` stays): for a body shown under
/// a heading of the page's own level. Rendered bodies are clean HTML, where `<h2` only ever
/// starts a tag (text has `&lt;`).
pub fn demote_headings(html: &str) -> String {
    if !html.contains("<h") {
        return html.to_string();
    }
    let mut out = html.to_string();
    // Lowest first, so that no heading moves twice.
    for n in (1..=5).rev() {
        let (from, to) = (n, n + 1);
        out = out
            .replace(&format!("<h{from}>"), &format!("<h{to}>"))
            .replace(&format!("<h{from} "), &format!("<h{to} "))
            .replace(&format!("</h{from}>"), &format!("</h{to}>"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_go_one_level_down() {
        assert_eq!(
            demote_headings("<h2>一、总体要求</h2><h3 id=\"a\">（一）</h3><p>h2 &lt;h2&gt;</p>"),
            "<h3>一、总体要求</h3><h4 id=\"a\">（一）</h4><p>h2 &lt;h2&gt;</p>"
        );
        assert_eq!(
            demote_headings("<h5>x</h5><h6>y</h6>"),
            "<h6>x</h6><h6>y</h6>"
        );
    }

    #[test]
    fn a_summary_that_opens_the_body_is_a_repeat() {
        let body = text_key("<p>财政部 印发通知。</p><p>通知提出……</p>");
        assert!(summary_opens_body("<p>财政部印发通知。</p>", &body));
        assert!(!summary_opens_body("<p>通知提出……</p>", &body));
        assert!(!summary_opens_body("", &body));
    }
}
