//! The last check of the HTML part, on what a mail client will parse: the document is read as
//! a browser reads it (html5ever's tokenizer), so only real elements and attributes count and
//! escaped text, such as an image's alt text `<script>`, is never taken for a script.
//!
//! Refused: `<script>`, `<link>`, frames and plugins, event-handler attributes, `javascript:`
//! links, and any `<style>` but one in `<head>` that holds only `@media` rules.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

const REFUSED: [&str; 6] = ["script", "link", "iframe", "object", "embed", "base"];

#[derive(Default)]
struct Found {
    problems: Vec<String>,
    in_body: bool,
    /// The text of the `<style>` being read, if one is open.
    style: Option<String>,
    styles: usize,
}

#[derive(Default)]
struct Sink(RefCell<Found>);

impl Sink {
    fn start(&self, tag: &Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        let mut f = self.0.borrow_mut();
        if REFUSED.contains(&name) {
            f.problems.push(format!("a `<{name}>` element"));
        }
        for a in &tag.attrs {
            let attr: &str = &a.name.local;
            let value = a.value.trim().to_ascii_lowercase();
            if attr.starts_with("on") {
                f.problems
                    .push(format!("an event handler `{attr}` on `<{name}>`"));
            }
            if matches!(attr, "href" | "src" | "action") && value.starts_with("javascript:") {
                f.problems
                    .push(format!("a `javascript:` link on `<{name}>`"));
            }
        }
        match name {
            "body" => f.in_body = true,
            "style" => {
                f.styles += 1;
                f.style = Some(String::new());
                if f.in_body {
                    f.problems.push("a `<style>` outside `<head>`".into());
                }
                return TokenSinkResult::RawData(RawKind::Rawtext);
            }
            "title" | "textarea" => return TokenSinkResult::RawData(RawKind::Rcdata),
            "xmp" | "noembed" | "noframes" => return TokenSinkResult::RawData(RawKind::Rawtext),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => return self.start(&tag),
            Token::TagToken(tag) if &*tag.name == "style" => {
                let mut f = self.0.borrow_mut();
                if let Some(css) = f.style.take() {
                    if !only_media_rules(&css) {
                        f.problems
                            .push("a `<style>` with rules other than `@media`".into());
                    }
                }
            }
            Token::CharacterTokens(t) => {
                if let Some(css) = self.0.borrow_mut().style.as_mut() {
                    css.push_str(&t);
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// Whether `css` is a sequence of `@media … { … }` blocks (comments and whitespace between).
fn only_media_rules(css: &str) -> bool {
    let mut rest = css;
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix("/*") {
            match r.find("*/") {
                Some(end) => rest = &r[end + 2..],
                None => return false,
            }
            continue;
        }
        if rest.is_empty() {
            return true;
        }
        if !rest.starts_with("@media") {
            return false;
        }
        let Some(open) = rest.find('{') else {
            return false;
        };
        let mut depth = 0usize;
        let mut end = None;
        for (i, c) in rest[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(open + i + 1);
                        break;
                    }
                }
                _ => {}
            }
        }
        match end {
            Some(e) => rest = &rest[e..],
            None => return false,
        }
    }
}

/// Refuses an e-mail that still holds what mail clients drop or refuse (see the module).
pub fn check(html: &str) -> Result<(), String> {
    let tok = Tokenizer::new(Sink::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tok.feed(&input);
    tok.end();
    let found = tok.sink.0.into_inner();
    let mut problems = found.problems;
    if found.styles > 1 {
        problems.push(format!("{} `<style>` blocks (one at most)", found.styles));
    }
    match problems.first() {
        None => Ok(()),
        Some(p) => Err(format!(
            "the e-mail still contains {p} after inlining styles: mail clients drop or refuse it{}",
            match problems.len() {
                1 => String::new(),
                n => format!(" ({} more problems)", n - 1),
            }
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_text_is_never_an_element() {
        assert!(check(r#"<p><img alt="<script>" src="x.png"> &lt;script&gt;</p>"#).is_ok());
        assert!(
            check(r#"<head><style>@media (max-width: 480px) { .a { b: c } }</style></head>"#)
                .is_ok()
        );
    }

    #[test]
    fn elements_and_attributes_are_refused() {
        for bad in [
            "<p><script>x</script></p>",
            "<link rel=stylesheet href=x>",
            "<img src=x onerror=alert(1)>",
            "<a href=' javascript:x'>a</a>",
            "<head><style>p { color: red }</style></head>",
            "<head><style>@media print { p { color: red } } p { }</style></head>",
            "<body><style>@media print { }</style></body>",
        ] {
            assert!(check(bad).is_err(), "{bad}");
        }
    }
}
