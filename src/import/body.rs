//! Turns the lines of one article (after its source line) into Markdown: paragraphs rejoined,
//! page numbers and running headers dropped, tab-separated tables turned into Markdown tables,
//! the `附：` line kept and recorded, the link line turned into the article's `url`.

use super::text::{continues, is_page_number, join_broken, norm_key, repair_and};

/// One block of an article body.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Para(String),
    Table(Vec<Vec<String>>),
    /// A `附：` line, without the prefix.
    Attach(String),
    Link(String),
}

/// The cleaned parts of an article body.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BodyParts {
    pub blocks: Vec<Block>,
}

impl BodyParts {
    /// The first link line: the article's source link.
    pub fn url(&self) -> Option<String> {
        self.blocks.iter().find_map(|b| match b {
            Block::Link(u) => Some(u.clone()),
            _ => None,
        })
    }

    pub fn attachments(&self) -> Vec<String> {
        self.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Attach(a) => Some(a.clone()),
                _ => None,
            })
            .collect()
    }

    /// The Markdown body: everything but the first link (which becomes `url`).
    pub fn markdown(&self, with_attachments: bool) -> String {
        let mut out: Vec<String> = Vec::new();
        let mut link_seen = false;
        for b in &self.blocks {
            match b {
                Block::Para(p) => out.push(escape_md(p)),
                Block::Table(rows) => out.push(table_md(rows)),
                Block::Attach(a) if with_attachments => out.push(format!("附：{a}")),
                Block::Attach(_) => {}
                Block::Link(u) if link_seen => out.push(format!("<{u}>")),
                Block::Link(_) => link_seen = true,
            }
        }
        out.join("\n\n")
    }
}

/// What to drop as running headers: the series name and section names standing alone.
pub struct Drops<'a> {
    pub running_headers: &'a [String],
}

impl Drops<'_> {
    fn is_header(&self, text: &str) -> bool {
        let k = norm_key(text);
        self.running_headers.iter().any(|h| norm_key(h) == k)
    }
}

/// Cleans the raw lines of one article body.
pub fn clean(lines: &[&str], drops: &Drops) -> BodyParts {
    // 1. Groups of consecutive non-blank lines.
    let mut groups: Vec<Vec<&str>> = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for l in lines {
        let l = l.trim_end();
        if l.trim().is_empty() {
            if !cur.is_empty() {
                groups.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(l);
        }
    }
    if !cur.is_empty() {
        groups.push(cur);
    }
    // 2. Classify each group; 3. rejoin paragraphs broken across blank lines.
    let mut blocks: Vec<Block> = Vec::new();
    for g in groups {
        if g.len() >= 2 && g.iter().all(|l| l.trim_start_matches(' ').contains('\t')) {
            let rows = g
                .iter()
                .map(|l| l.split('\t').map(|c| c.trim().to_string()).collect())
                .collect();
            blocks.push(Block::Table(rows));
            continue;
        }
        let text = g
            .iter()
            .map(|l| l.replace('\t', " "))
            .fold(String::new(), |acc, l| join_broken(&acc, l.trim()));
        let text = text.trim().to_string();
        if is_page_number(&text) || drops.is_header(&text) {
            continue;
        }
        if let Some(u) = link(&text) {
            blocks.push(Block::Link(u));
            continue;
        }
        if let Some(rest) = text
            .strip_prefix("附：")
            .or_else(|| text.strip_prefix("附:"))
        {
            blocks.push(Block::Attach(rest.trim().to_string()));
            continue;
        }
        match blocks.last_mut() {
            Some(Block::Para(prev)) if continues(prev, &text) => *prev = join_broken(prev, &text),
            Some(Block::Attach(prev))
                if prev.matches('《').count() > prev.matches('》').count() =>
            {
                *prev = join_broken(prev, &text)
            }
            _ => blocks.push(Block::Para(text)),
        }
    }
    for b in &mut blocks {
        if let Block::Para(p) = b {
            *p = repair_and(p);
        }
    }
    BodyParts { blocks }
}

/// `<https://…>` or a bare `https://…` standing alone.
pub fn link(text: &str) -> Option<String> {
    let t = text.trim();
    let t = t
        .strip_prefix('<')
        .and_then(|r| r.strip_suffix('>'))
        .unwrap_or(t);
    let ok = (t.starts_with("https://") || t.starts_with("http://"))
        && !t.chars().any(|c| c.is_whitespace() || c == '<' || c == '>');
    ok.then(|| t.to_string())
}

/// The 《…》 names of a `附：` line (outer brackets only; 〈〉 inside are kept).
pub fn bracketed_names(s: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut depth = 0usize;
    let mut cur = String::new();
    for c in s.chars() {
        match c {
            '《' => {
                if depth > 0 {
                    cur.push(c);
                }
                depth += 1;
            }
            '》' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    let name = cur.trim().to_string();
                    if !name.is_empty() {
                        names.push(name);
                    }
                    cur.clear();
                } else {
                    cur.push(c);
                }
            }
            c if depth > 0 => cur.push(c),
            _ => {}
        }
    }
    names
}

/// Escapes what Markdown would read as block syntax at the start of a paragraph.
fn escape_md(p: &str) -> String {
    let starts_list = p.starts_with("- ") || p.starts_with("+ ") || p.starts_with("* ");
    if p.starts_with('#') || p.starts_with('>') || starts_list {
        return format!("\\{p}");
    }
    let digits: String = p.chars().take_while(|c| c.is_ascii_digit()).collect();
    if !digits.is_empty() {
        let rest = &p[digits.len()..];
        if rest.starts_with(". ") || rest.starts_with(") ") {
            return format!("{digits}\\{rest}");
        }
    }
    p.to_string()
}

fn table_md(rows: &[Vec<String>]) -> String {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let line = |r: &Vec<String>| {
        let cells: Vec<String> = (0..width)
            .map(|i| r.get(i).map_or(String::new(), |c| c.replace('|', "\\|")))
            .collect();
        format!("| {} |", cells.join(" | "))
    };
    let mut out = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        out.push(line(r));
        if i == 0 {
            out.push(format!("|{}", " --- |".repeat(width)));
        }
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drops() -> Vec<String> {
        vec!["信息摘编".to_string(), "热点关注".to_string()]
    }

    #[test]
    fn rejoins_broken_paragraphs_and_keeps_real_ones() {
        let text = "具体来看，《八条措施》主要包括：一是强化科创板“硬科技”定位；五是完善股权激励制\n\n度；六是完善交易机制。\n\n结语\n\n第二段，\n继续。\n\n12\n\n信息摘编\n\n附：《关于深化科创板改革 服务科技创新和新质生产力发展的八条措施》\n\n\n\n<https://mp.weixin.qq.com/s/x>\n";
        let lines: Vec<&str> = text.lines().collect();
        let h = drops();
        let parts = clean(
            &lines,
            &Drops {
                running_headers: &h,
            },
        );
        assert_eq!(parts.url().as_deref(), Some("https://mp.weixin.qq.com/s/x"));
        assert_eq!(
            parts.attachments(),
            vec!["《关于深化科创板改革 服务科技创新和新质生产力发展的八条措施》"]
        );
        let md = parts.markdown(true);
        assert_eq!(
            md,
            "具体来看，《八条措施》主要包括：一是强化科创板“硬科技”定位；五是完善股权激励制度；六是完善交易机制。\n\n结语\n\n第二段，继续。\n\n附：《关于深化科创板改革 服务科技创新和新质生产力发展的八条措施》"
        );
        assert!(!parts.markdown(false).contains("附："));
    }

    #[test]
    fn tables_become_markdown() {
        let lines = [
            "成立时间\t自贸试验区\t个数",
            "2013年9月\t上海\t160",
            "\t天津\t135",
        ];
        let parts = clean(
            &lines,
            &Drops {
                running_headers: &[],
            },
        );
        assert_eq!(
            parts.markdown(true),
            "| 成立时间 | 自贸试验区 | 个数 |\n| --- | --- | --- |\n| 2013年9月 | 上海 | 160 |\n|  | 天津 | 135 |"
        );
    }

    #[test]
    fn names_in_brackets() {
        assert_eq!(
            bracketed_names("《光伏制造行业规范条件（2024 年本）》《光伏制造行业规范公告管理办法（2024 年本）》"),
            vec!["光伏制造行业规范条件（2024 年本）", "光伏制造行业规范公告管理办法（2024 年本）"]
        );
        assert_eq!(
            bracketed_names("《国务院关于印发〈推动大规模设备更新〉的通知》"),
            vec!["国务院关于印发〈推动大规模设备更新〉的通知"]
        );
        assert!(bracketed_names("CICV2024").is_empty());
    }

    #[test]
    fn links() {
        assert_eq!(link("<https://a.b/c>").as_deref(), Some("https://a.b/c"));
        assert_eq!(link("https://a.b/c").as_deref(), Some("https://a.b/c"));
        assert_eq!(link("见 https://a.b/c"), None);
    }

    #[test]
    fn escapes_block_syntax() {
        assert_eq!(escape_md("1. 第一"), "1\\. 第一");
        assert_eq!(escape_md("# 标题"), "\\# 标题");
        assert_eq!(escape_md("1.1 创新投入"), "1.1 创新投入");
    }
}
