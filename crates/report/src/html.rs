//! HTML to the reader's plain form: each table cell followed by ` |`, each table row and
//! each block element on its own line, entities decoded. Tolerant of any tag soup.

/// Whether a text looks like HTML rather than plain text.
pub fn looks_like_html(text: &str) -> bool {
    let mut end = text.len().min(60_000);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let tags: [&[u8]; 7] = [b"<table", b"<td", b"<p>", b"<p ", b"<div", b"<html", b"<br"];
    // `str::find` of a char runs at memchr speed: plain text has few '<' to look at.
    let mut rest = &text[..end];
    while let Some(at) = rest.find('<') {
        let here = &rest.as_bytes()[at..];
        if tags.iter().any(|tag| {
            here.get(..tag.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(tag))
        }) {
            return true;
        }
        rest = &rest[at + 1..];
    }
    false
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
        // Word-style pages carry thousands of tags: each named once, lower-cased in place.
        let mut lower = [0u8; 8];
        let known = name_len <= lower.len();
        if known {
            lower[..name_len].copy_from_slice(name.as_bytes());
            lower[..name_len].make_ascii_lowercase();
        }
        let closing = tag.starts_with('/');
        match if known { &lower[..name_len] } else { b"" } {
            b"script" | b"style" if !closing => {
                // Skip to the matching end tag, whatever its case.
                let end = rest.as_bytes().windows(name.len() + 2).position(|w| {
                    w[0] == b'<' && w[1] == b'/' && w[2..].eq_ignore_ascii_case(name.as_bytes())
                });
                rest = end.map_or("", |end| &rest[end..]);
            }
            b"td" | b"th" if closing => out.push_str(" |"),
            b"tr" | b"table" | b"p" | b"div" | b"li" | b"h1" | b"h2" | b"h3" | b"h4" | b"h5"
            | b"h6" | b"section" | b"article" | b"tbody" | b"thead" => out.push('\n'),
            b"br" => out.push(' '),
            _ => {}
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
