//! Text normalization shared by the reader and the checks.

/// Full-width ASCII (（）：，．０-９ …) to half-width, ideographic and no-break spaces to
/// spaces, CR dropped. Chinese punctuation without a half-width twin (、。“”) is kept.
pub fn normalize(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Only these bytes can start a char that changes: CR, U+00A0, U+2002–U+200B,
        // U+3000, U+FE30–U+FF5E (full-width forms) and the BOM.
        if !matches!(bytes[i], b'\r' | 0xC2 | 0xE2 | 0xE3 | 0xEF) {
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().expect("i is a char boundary");
        let changed = if c == '\r' || c == '\u{feff}' {
            None
        } else {
            Some(normalize_char(c))
        };
        if changed != Some(c) {
            out.push_str(&text[copied..i]);
            if let Some(replacement) = changed {
                out.push(replacement);
            }
            copied = i + c.len_utf8();
        }
        i += c.len_utf8();
    }
    out.push_str(&text[copied..]);
    out
}

pub fn normalize_char(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        '\u{3000}' | '\u{a0}' | '\u{2002}'..='\u{200b}' => ' ',
        '﹒' => '.',
        '︰' => ':',
        _ => c,
    }
}

/// Characters that never matter when matching labels: layout and quoting.
pub fn is_folded_away(c: char) -> bool {
    c.is_whitespace() || matches!(c, '|' | '“' | '”' | '"' | '‘' | '’' | '\'' | '「' | '」')
}

/// Label spelling folded for comparison: normalized, layout and quotes removed, and the
/// enumeration marks that reports use interchangeably made one.
pub fn fold(text: &str) -> Vec<char> {
    normalize(text)
        .chars()
        .filter(|&c| !is_folded_away(c))
        .map(fold_mark)
        .collect()
}

pub fn fold_mark(c: char) -> char {
    match c {
        '、' | '，' | ',' | '．' => '.',
        '﹙' => '(',
        '﹚' => ')',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_and_spaces() {
        assert_eq!(normalize("a\r\nb\u{feff}　１２﹒"), "a\nb 12.");
        assert_eq!(normalize("三、总体情况\u{a0}"), "三、总体情况 ");
        assert_eq!(normalize("（一）予以公开　８"), "(一)予以公开 8");
        assert_eq!(
            fold("三、 本年\n度办 理结 果 |"),
            "三.本年度办理结果".chars().collect::<Vec<_>>()
        );
        assert_eq!(fold("危及“三安全一稳定”"), fold("危及\"三安全一稳定\""));
    }
}
