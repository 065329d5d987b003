//! Splits a Markdown file into its YAML front matter and body.

/// The front matter text, the line it starts on (1-based), and the body.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    pub yaml_first_line: usize,
    pub body: &'a str,
}

#[derive(Debug, PartialEq, Eq)]
pub enum FrontMatterError {
    /// The file does not start with a `---` line.
    Missing,
    /// No closing `---` line after the opening one.
    Unclosed,
}

pub fn split(text: &str) -> Result<Split<'_>, FrontMatterError> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().ok_or(FrontMatterError::Missing)?;
    if first.trim_end() != "---" {
        return Err(FrontMatterError::Missing);
    }
    let start = first.len();
    let mut pos = start;
    for line in lines {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Ok(Split {
                yaml: &text[start..pos],
                yaml_first_line: 2,
                body: &text[pos + line.len()..],
            });
        }
        pos += line.len();
    }
    Err(FrontMatterError::Unclosed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits() {
        let s = split("---\ntitle: a\n---\nbody\n").unwrap();
        assert_eq!(s.yaml, "title: a\n");
        assert_eq!(s.body, "body\n");
    }

    #[test]
    fn crlf_and_errors() {
        assert!(split("---\r\ntitle: a\r\n---\r\nb").is_ok());
        assert_eq!(split("title: a\n"), Err(FrontMatterError::Missing));
        assert_eq!(split("---\ntitle: a\n"), Err(FrontMatterError::Unclosed));
    }
}
