//! 正文 markup: a small, safe subset drafters can type without an editor — `## 小标题`,
//! `- 列表项` / `1. 列表项`, `**加粗**` and `[文字](https://…)` links. Everything else is text,
//! escaped by construction; links go only to http(s) addresses or paths on this site, so no
//! script, style or `javascript:` can get into a published page.

use maud::{Markup, html};

enum Block<'a> {
    Heading(&'a str),
    Bullets(Vec<&'a str>),
    Numbered(Vec<&'a str>),
    Paragraph(&'a str),
}

fn numbered_item(line: &str) -> Option<&str> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0 && digits <= 3)
        .then(|| {
            line[digits..]
                .strip_prefix(". ")
                .or_else(|| line[digits..].strip_prefix("、"))
        })
        .flatten()
}

fn blocks(paragraphs: &[String]) -> Vec<Block<'_>> {
    let mut out: Vec<Block<'_>> = Vec::new();
    for line in paragraphs.iter().map(|p| p.trim()) {
        if let Some(text) = line.strip_prefix("## ") {
            out.push(Block::Heading(text));
        } else if let Some(text) = line.strip_prefix("- ") {
            match out.last_mut() {
                Some(Block::Bullets(items)) => items.push(text),
                _ => out.push(Block::Bullets(vec![text])),
            }
        } else if let Some(text) = numbered_item(line) {
            match out.last_mut() {
                Some(Block::Numbered(items)) => items.push(text),
                _ => out.push(Block::Numbered(vec![text])),
            }
        } else if !line.is_empty() {
            out.push(Block::Paragraph(line));
        }
    }
    out
}

/// A link target the page may carry: http(s), or a path on this site.
fn safe_href(href: &str) -> Option<&str> {
    let lower = href.to_ascii_lowercase();
    let ok = lower.starts_with("https://")
        || lower.starts_with("http://")
        || (href.starts_with('/') && !href.starts_with("//"));
    (ok && !href.contains(['"', '<', '>', ' ', '\\'])).then_some(href)
}

/// Inline `**bold**` and `[text](href)`; anything unmatched stays literal text.
fn inline(text: &str) -> Markup {
    let mut parts: Vec<Markup> = Vec::new();
    let mut rest = text;
    let mut plain = String::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("**")
            && let Some(end) = after.find("**")
            && end > 0
        {
            parts.push(html! { (plain) });
            plain = String::new();
            parts.push(html! { strong { (&after[..end]) } });
            rest = &after[end + 2..];
            continue;
        }
        if let Some(after) = rest.strip_prefix('[')
            && let Some(close) = after.find("](")
            && let Some(end) = after[close + 2..].find(')')
        {
            let label = &after[..close];
            let href = &after[close + 2..close + 2 + end];
            if let Some(href) = safe_href(href)
                && !label.is_empty()
            {
                parts.push(html! { (plain) });
                plain = String::new();
                parts.push(html! { a href=(href) rel="noopener" { (label) } });
                rest = &after[close + 2 + end + 1..];
                continue;
            }
        }
        let c = rest.chars().next().expect("not empty");
        plain.push(c);
        rest = &rest[c.len_utf8()..];
    }
    html! { @for p in parts { (p) } (plain) }
}

pub fn render(paragraphs: &[String]) -> Markup {
    html! {
        @for block in blocks(paragraphs) {
            @match block {
                Block::Heading(t) => { h3 { (inline(t)) } }
                Block::Bullets(items) => { ul { @for i in items { li { (inline(i)) } } } }
                Block::Numbered(items) => { ol { @for i in items { li { (inline(i)) } } } }
                Block::Paragraph(t) => { p { (inline(t)) } }
            }
        }
    }
}

/// The text without markup, for feeds and search snippets.
pub fn plain(paragraph: &str) -> String {
    let mut text = paragraph.trim();
    for prefix in ["## ", "- "] {
        text = text.strip_prefix(prefix).unwrap_or(text);
    }
    text.replace("**", "")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(lines: &[&str]) -> String {
        render(&lines.iter().map(|l| l.to_string()).collect::<Vec<_>>()).into_string()
    }

    #[test]
    fn the_subset_renders() {
        assert_eq!(
            show(&[
                "## 一、工作目标",
                "- 甲",
                "- 乙",
                "1. 第一",
                "2. 第二",
                "详见**附件**和[通知](/agencies/demo/publications/3)。"
            ]),
            "<h3>一、工作目标</h3><ul><li>甲</li><li>乙</li></ul><ol><li>第一</li><li>第二</li></ol><p>详见<strong>附件</strong>和<a href=\"/agencies/demo/publications/3\" rel=\"noopener\">通知</a>。</p>"
        );
    }

    #[test]
    fn nothing_active_gets_through() {
        let out = show(&[
            "<script>alert(1)</script>",
            "[点我](javascript:alert(1))",
            "[x](//evil.example/)",
            "[x](https://a.example/\" onclick=\"y)",
            "<img src=x onerror=alert(1)>",
            "**未闭合",
        ]);
        assert!(!out.contains("<script") && !out.contains("<img"), "{out}");
        assert!(
            !out.contains("href=\"javascript") && !out.contains("href=\"//"),
            "{out}"
        );
        assert!(!out.contains("onclick=\""), "{out}");
        assert!(
            out.contains("&lt;script&gt;") && out.contains("**未闭合"),
            "{out}"
        );
    }
}
