//! Text normalization shared by the reader and the checks.

/// Full-width ASCII (（）：，．０-９ …) to half-width, ideographic and no-break spaces to
/// spaces, CR dropped. Chinese punctuation without a half-width twin (、。“”) is kept.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c != '\r' && c != '\u{feff}' {
            out.push(normalize_char(c));
        }
    }
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
        assert_eq!(normalize("（一）予以公开　８"), "(一)予以公开 8");
        assert_eq!(
            fold("三、 本年\n度办 理结 果 |"),
            "三.本年度办理结果".chars().collect::<Vec<_>>()
        );
        assert_eq!(fold("危及“三安全一稳定”"), fold("危及\"三安全一稳定\""));
    }
}
