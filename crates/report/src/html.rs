//! HTML to the reader's plain form: each table cell followed by ` |`, each table row and
//! each block element on its own line, entities decoded. Tolerant of any tag soup.

/// Whether a text looks like HTML rather than plain text.
pub fn looks_like_html(text: &str) -> bool {
    let head = &text.as_bytes()[..text.len().min(60_000)];
    let tags: [&[u8]; 7] = [b"<table", b"<td", b"<p>", b"<p ", b"<div", b"<html", b"<br"];
    head.iter().enumerate().any(|(i, &b)| {
        b == b'<'
            && tags.iter().any(|tag| {
                head.get(i..i + tag.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(tag))
            })
    })
}

pub fn to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        push_text(&mut out, &rest[..open]);
        rest = &rest[open..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let Some(close) = rest.find('>') else {
            // A lone '<' in text.
            push_text(&mut out, rest);
            rest = "";
            break;
        };
        let tag = &rest[1..close];
        rest = &rest[close + 1..];
        let bare = tag.trim_start_matches('/');
        let name_len = bare.bytes().take_while(u8::is_ascii_alphanumeric).count();
        let name = &bare[..name_len];
        let is = |wanted: &str| name.eq_ignore_ascii_case(wanted);
        let closing = tag.starts_with('/');
        if (is("script") || is("style")) && !closing {
            // Skip to the matching end tag, whatever its case.
            let end = rest.as_bytes().windows(name.len() + 2).position(|w| {
                w[0] == b'<' && w[1] == b'/' && w[2..].eq_ignore_ascii_case(name.as_bytes())
            });
            rest = end.map_or("", |end| &rest[end..]);
        } else if (is("td") || is("th")) && closing {
            out.push_str(" |");
        } else if [
            "tr", "table", "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section",
            "article", "tbody", "thead",
        ]
        .iter()
        .any(|block| is(block))
        {
            out.push('\n');
        } else if is("br") {
            out.push(' ');
        }
    }
    push_text(&mut out, rest);
    out
}

fn push_text(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest
            .char_indices()
            .take(12)
            .find(|&(_, c)| c == ';')
            .map(|(i, _)| i);
        let Some(end) = end else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let decoded = match entity {
            "nbsp" | "ensp" | "emsp" | "thinsp" => Some(' '),
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "ldquo" => Some('“'),
            "rdquo" => Some('”'),
            "middot" => Some('·'),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_become_pipes_and_entities_decode() {
        let html = "<table><tr><td><p>规章</p></td><td>&nbsp;</td><td>1&#50;</td></tr></table><p>五、问题</p>";
        let text = to_text(html);
        assert!(text.contains("规章\n |"), "{text:?}");
        assert!(text.contains("  |12 |"), "{text:?}");
        assert!(text.contains("五、问题"));
        assert!(looks_like_html(html));
        assert!(!looks_like_html("一、总体情况\n8 |"));
    }

    #[test]
    fn survives_broken_markup() {
        for junk in [
            "<",
            "<td",
            "&",
            "&#xZZ;",
            "<!-- never closed",
            "<script>x",
            "a<b>c&amp",
        ] {
            let _ = to_text(junk);
        }
    }
}
