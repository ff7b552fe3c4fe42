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
        match bytes[i] {
            // Of U+0080–U+00FF only U+00A0 changes; of U+2000–U+2FFF only U+2002–U+200B; of
            // U+3000–U+3FFF (、。《》…) only U+3000. The others are passed over whole.
            0xC2 if bytes.get(i + 1) != Some(&0xA0) => {
                i += 2;
                continue;
            }
            0xE2 if !(bytes.get(i + 1) == Some(&0x80)
                && bytes.get(i + 2).is_some_and(|b| (0x82..=0x8B).contains(b))) =>
            {
                i += 3;
                continue;
            }
            0xE3 if bytes.get(i + 1..i + 3) != Some(&[0x80, 0x80]) => {
                i += 3;
                continue;
            }
            b'\r' | 0xC2 | 0xE2 | 0xE3 | 0xEF => {}
            // The lead byte of a Han character (U+4000–U+9FFF): its three bytes at once.
            0xE4..=0xE9 => {
                i += 3;
                continue;
            }
            _ => {
                i += 1;
                continue;
            }
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

    proptest::proptest! {
        /// The byte-level shortcuts give what normalizing char by char gives, on text drawn
        /// from every range they pass over (Latin-1, U+2000s, CJK punctuation and Han,
        /// full-width forms).
        #[test]
        fn normalizing_by_bytes_is_normalizing_by_chars(
            text in "[\\x00-\\x{ff}\\x{2000}-\\x{2030}\\x{3000}-\\x{3010}\\x{4e00}-\\x{4e10}\\x{fe30}-\\x{fe40}\\x{feff}\\x{ff00}-\\x{ff60}\r]{0,40}"
        ) {
            let by_chars: String = text
                .chars()
                .filter(|&c| c != '\r' && c != '\u{feff}')
                .map(normalize_char)
                .collect();
            proptest::prop_assert_eq!(normalize(&text), by_chars);
        }
    }
}
