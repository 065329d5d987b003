//! A YAML document as a tree of nodes that remember where they were written.
//!
//! serde_yaml places only the first error of a file, often at the start of the mapping; a tree
//! with positions lets every error point at its own key or value (see [`super::de`]).

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Deeper nesting than this is no content a person writes; it would only exhaust the stack.
const MAX_DEPTH: usize = 64;

/// A problem found while reading the document: 1-based line and column in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub col: usize,
    pub message: String,
    pub hint: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Node {
    pub value: Value,
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Clone)]
pub enum Value {
    /// `plain` is false for quoted and block scalars: `"~"` is text, `~` is no value.
    Scalar {
        text: String,
        plain: bool,
    },
    Seq(Vec<usize>),
    Map(Vec<Entry>),
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub key: String,
    pub line: usize,
    pub col: usize,
    pub value: usize,
}

/// How a node is reached from its parent: through a key or a list position.
#[derive(Debug, Clone)]
pub enum Step {
    Key(String),
    Index(usize),
}

#[derive(Debug, Clone)]
pub struct Tree {
    pub nodes: Vec<Node>,
    pub root: usize,
    /// The first parent of each node (an aliased node may have several).
    pub parent: Vec<Option<(usize, Step)>>,
}

impl Tree {
    /// `entries[0].rank`: the key path of a node, as an editor would name it.
    pub fn path(&self, mut id: usize) -> String {
        let mut steps = Vec::new();
        while let Some((p, step)) = &self.parent[id] {
            steps.push(step.clone());
            id = *p;
        }
        let mut out = String::new();
        for step in steps.iter().rev() {
            match step {
                Step::Key(k) if out.is_empty() => out.push_str(k),
                Step::Key(k) => {
                    out.push('.');
                    out.push_str(k);
                }
                Step::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }

    /// Where the key that holds `id` is written, else where the node itself is.
    pub fn key_position(&self, id: usize) -> (usize, usize) {
        if let Some((p, Step::Key(_))) = &self.parent[id] {
            if let Value::Map(entries) = &self.nodes[*p].value {
                if let Some(e) = entries.iter().find(|e| e.value == id) {
                    return (e.line, e.col);
                }
            }
        }
        (self.nodes[id].line, self.nodes[id].col)
    }
}

enum Frame {
    Seq {
        id: usize,
        anchor: usize,
        items: Vec<usize>,
    },
    Map {
        id: usize,
        anchor: usize,
        entries: Vec<Entry>,
        key: Option<(String, usize, usize)>,
        /// Each key's line, so a duplicate is found without a scan (a mapping may be huge).
        lines: HashMap<String, usize>,
    },
}

struct Builder {
    nodes: Vec<Node>,
    parent: Vec<Option<(usize, Step)>>,
    stack: Vec<Frame>,
    anchors: HashMap<usize, usize>,
    root: Option<usize>,
    first_line: usize,
    warnings: Vec<Problem>,
}

/// Reads `text`, a YAML document starting at line `first_line` of its file. Returns the tree
/// and the problems that do not stop reading (duplicate keys), or the one that does.
pub fn build(text: &str, first_line: usize) -> Result<(Tree, Vec<Problem>), Problem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut b = Builder {
        nodes: Vec::new(),
        parent: Vec::new(),
        stack: Vec::new(),
        anchors: HashMap::new(),
        root: None,
        first_line,
        warnings: Vec::new(),
    };
    let mut parser = Parser::new_from_str(text);
    let mut documents = 0;
    loop {
        let (event, mark) = parser
            .next_token()
            .map_err(|e| scan_problem(text, first_line, e.marker(), e.info()))?;
        let (line, col) = b.pos(&mark);
        match event {
            Event::StreamEnd => break,
            Event::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    return Err(problem(
                        line,
                        col,
                        "a second YAML document in one file",
                        "a file holds one document: remove the `---` line",
                    ));
                }
            }
            Event::Scalar(text, style, anchor, _tag) => {
                let plain = matches!(style, TScalarStyle::Plain);
                let id = b.push(Value::Scalar { text, plain }, line, col);
                b.anchor(anchor, id);
                b.attach(id, line, col)?;
            }
            Event::Alias(anchor) => {
                let id = *b.anchors.get(&anchor).ok_or_else(|| {
                    problem(
                        line,
                        col,
                        "this alias (`*name`) names no anchor defined before it",
                        "define `&name` on a value above, or write the value out",
                    )
                })?;
                b.attach(id, line, col)?;
            }
            Event::SequenceStart(anchor, _) => b.open(true, anchor, line, col)?,
            Event::MappingStart(anchor, _) => b.open(false, anchor, line, col)?,
            Event::SequenceEnd | Event::MappingEnd => b.close()?,
            _ => {}
        }
    }
    let root = match b.root {
        Some(r) => r,
        None => b.push(Value::Map(Vec::new()), first_line, 1),
    };
    Ok((
        Tree {
            nodes: b.nodes,
            root,
            parent: b.parent,
        },
        b.warnings,
    ))
}

impl Builder {
    fn pos(&self, m: &Marker) -> (usize, usize) {
        (m.line() + self.first_line - 1, m.col() + 1)
    }

    fn push(&mut self, value: Value, line: usize, col: usize) -> usize {
        self.nodes.push(Node { value, line, col });
        self.parent.push(None);
        self.nodes.len() - 1
    }

    fn anchor(&mut self, anchor: usize, id: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, id);
        }
    }

    /// A list or mapping begins: its node is made now (anchors and errors point at its start)
    /// and filled in by [`Builder::close`].
    fn open(
        &mut self,
        is_seq: bool,
        anchor: usize,
        line: usize,
        col: usize,
    ) -> Result<(), Problem> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(problem(
                line,
                col,
                format!("nested more than {MAX_DEPTH} levels deep"),
                "content files need a few levels at most: check the indentation and brackets",
            ));
        }
        let id = self.push(Value::Seq(Vec::new()), line, col);
        self.stack.push(if is_seq {
            Frame::Seq {
                id,
                anchor,
                items: Vec::new(),
            }
        } else {
            Frame::Map {
                id,
                anchor,
                entries: Vec::new(),
                key: None,
                lines: HashMap::new(),
            }
        });
        Ok(())
    }

    fn close(&mut self) -> Result<(), Problem> {
        let (id, anchor, value) = match self.stack.pop() {
            Some(Frame::Seq { id, anchor, items }) => (id, anchor, Value::Seq(items)),
            Some(Frame::Map {
                id,
                anchor,
                entries,
                ..
            }) => (id, anchor, Value::Map(entries)),
            None => return Ok(()),
        };
        self.nodes[id].value = value;
        self.anchor(anchor, id);
        let (l, c) = (self.nodes[id].line, self.nodes[id].col);
        self.attach(id, l, c)
    }

    fn set_parent(&mut self, id: usize, parent: usize, step: Step) {
        if self.parent[id].is_none() && id != parent {
            self.parent[id] = Some((parent, step));
        }
    }

    /// Puts a finished node in its place: the root, a list item, a key or a key's value.
    fn attach(&mut self, id: usize, line: usize, col: usize) -> Result<(), Problem> {
        let step = match self.stack.last_mut() {
            None => {
                self.root = Some(id);
                return Ok(());
            }
            Some(Frame::Seq { id: p, items, .. }) => {
                items.push(id);
                (*p, Step::Index(items.len() - 1))
            }
            Some(Frame::Map {
                id: p,
                entries,
                key,
                lines,
                ..
            }) => {
                match key.take() {
                    None => {
                        let Value::Scalar { text, .. } = &self.nodes[id].value else {
                            return Err(problem(
                            line,
                            col,
                            "a key must be a name, not a list or mapping",
                            "write `name: value`; put a value that starts with `[`, `{` or `?` in quotes",
                        ));
                        };
                        *key = Some((text.clone(), line, col));
                        return Ok(());
                    }
                    Some((k, kl, kc)) => {
                        if let Some(first) = lines.get(&k) {
                            self.warnings.push(problem(
                            kl,
                            kc,
                            format!("duplicate field `{k}`"),
                            format!("`{k}` is already given at line {first}: keep one of the two lines"),
                        ));
                            return Ok(());
                        }
                        lines.insert(k.clone(), kl);
                        entries.push(Entry {
                            key: k.clone(),
                            line: kl,
                            col: kc,
                            value: id,
                        });
                        (*p, Step::Key(k))
                    }
                }
            }
        };
        self.set_parent(id, step.0, step.1);
        Ok(())
    }
}

fn problem(
    line: usize,
    col: usize,
    message: impl Into<String>,
    hint: impl Into<String>,
) -> Problem {
    Problem {
        line,
        col,
        message: message.into(),
        hint: Some(hint.into()),
    }
}

/// The parser's own words, turned into what an editor can act on.
fn scan_problem(text: &str, first_line: usize, mark: &Marker, info: &str) -> Problem {
    let line_no = mark.line().max(1);
    let src = text.lines().nth(line_no - 1).unwrap_or("");
    let line = line_no + first_line - 1;
    // The parser may stop at the end of the line before the one whose indentation holds a tab.
    let indent_tab = |l: &str| {
        l.char_indices()
            .take_while(|(_, c)| c.is_whitespace())
            .find(|(_, c)| *c == '\t')
            .map(|(i, _)| l[..i].chars().count() + 1)
    };
    let tab_at = text
        .lines()
        .enumerate()
        .skip(line_no - 1)
        .take(2)
        .find_map(|(i, l)| indent_tab(l).map(|c| (i + first_line, c)));
    let at_tab = src.chars().nth(mark.col()) == Some('\t');
    if tab_at.is_some() || at_tab || info.contains("tab") {
        let (line, col) = tab_at.unwrap_or((line, mark.col() + 1));
        return problem(
            line,
            col,
            "a tab character in the indentation",
            "YAML forbids tabs for indentation: use spaces",
        );
    }
    let (message, hint) = if info.contains("mapping values are not allowed") {
        (
            "unexpected `: ` in a value".to_string(),
            "put a value that holds `: ` in quotes, or check the indentation of this line",
        )
    } else if info.contains("did not find expected") || info.contains("while parsing") {
        (
            format!("this line does not fit the structure above it ({info})"),
            "check the indentation, the brackets and the quotes; each `key: value` on its own line",
        )
    } else if info.contains("found unexpected end of stream") {
        (
            "the file ends inside a quoted value or a bracket".to_string(),
            "close the quote or bracket",
        )
    } else {
        (
            format!("invalid YAML: {info}"),
            "check the indentation and the quotes; put values that start with a special character in quotes",
        )
    };
    problem(line, mark.col() + 1, message, hint)
}
