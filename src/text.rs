//! Text helpers every stage shares, below all of them: HTML escaping, used by Markdown
//! rendering for the bodies it refuses to parse and by the renderer for every printed value.

/// Escapes what can break out of text or a quoted attribute. Unlike Tera's default it leaves
/// `/` alone, so links stay readable in the page source.
///
/// Tera calls this for every value a page prints, so it searches bytes: the five characters
/// are ASCII, and most text here is Chinese, which a search by `char` would decode for nothing.
pub fn escape_html(input: &str) -> String {
    let bytes = input.as_bytes();
    let Some(first) = bytes.iter().position(|b| b"&<>\"'".contains(b)) else {
        return input.to_string();
    };
    let mut out = String::with_capacity(input.len() + 16);
    let mut start = 0;
    for (i, b) in bytes.iter().enumerate().skip(first) {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // `i` is at an ASCII byte, hence on a char boundary.
        out.push_str(&input[start..i]);
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(&input[start..]);
    out
}
