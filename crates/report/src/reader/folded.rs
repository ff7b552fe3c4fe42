//! The text with layout folded away, so labels are found whatever spaces, line breaks and
//! cell bars a site put inside them; every folded char remembers where it came from.

use crate::text::{fold, fold_mark, is_folded_away};

pub struct Folded {
    chars: Vec<char>,
    /// Byte offset in the normalized text of each folded char.
    origin: Vec<u32>,
    text_len: usize,
}

/// A label found in the folded text: `[start, end)` in folded positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
}

impl Folded {
    pub fn new(normalized: &str) -> Self {
        // Offsets are u32: a report is never 4 GB; a larger input is cut there.
        let normalized = &normalized[..floor_boundary(normalized, u32::MAX as usize)];
        let mut chars = Vec::with_capacity(normalized.len() / 2);
        let mut origin = Vec::with_capacity(normalized.len() / 2);
        for (offset, c) in normalized.char_indices() {
            // Han characters, most of a report, are kept as they are: no table lookups.
            if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
                chars.push(c);
                origin.push(offset as u32);
                continue;
            }
            let keep = if c.is_ascii() {
                !(c.is_ascii_whitespace() || matches!(c, '|' | '"' | '\''))
            } else {
                !is_folded_away(c)
            };
            if keep {
                chars.push(fold_mark(c));
                origin.push(offset as u32);
            }
        }
        Self {
            chars,
            origin,
            text_len: normalized.len(),
        }
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    /// Byte offset in the normalized text where folded position `pos` starts.
    pub fn byte(&self, pos: usize) -> usize {
        self.origin.get(pos).map_or(self.text_len, |&o| o as usize)
    }

    /// Byte offset just past folded char `pos - 1` (the end of a hit).
    pub fn byte_end(&self, pos: usize) -> usize {
        if pos == 0 {
            return self.byte(0).min(self.text_len);
        }
        match self.origin.get(pos - 1) {
            Some(&offset) => offset as usize + self.chars[pos - 1].len_utf8(),
            None => self.text_len,
        }
    }

    /// First exact occurrence of `needle` starting in `[from, to)`.
    pub fn find(&self, needle: &[char], from: usize, to: usize) -> Option<usize> {
        let to = to.min(self.chars.len());
        if needle.is_empty() || from >= to {
            return None;
        }
        let hay = &self.chars[from..to];
        let first = needle[0];
        let mut at = 0;
        // The first character by a plain scan (which the compiler vectorizes), then the rest.
        while let Some(skip) = hay[at..].iter().position(|&c| c == first) {
            at += skip;
            if at + needle.len() > hay.len() {
                return None;
            }
            if hay[at..at + needle.len()] == *needle {
                return Some(from + at);
            }
            at += 1;
        }
        None
    }

    /// First occurrence of `needle` within one edit (a wrong, extra or missing character),
    /// for the typos real reports carry (行政法复议). Exact matches win.
    pub fn find_near(&self, needle: &[char], from: usize, to: usize) -> Option<Hit> {
        if let Some(start) = self.find(needle, from, to) {
            return Some(Hit {
                start,
                end: start + needle.len(),
            });
        }
        if needle.len() < 4 {
            return None;
        }
        let to = to.min(self.chars.len());
        (from..to).find_map(|i| self.one_edit_at(needle, i, to))
    }

    fn one_edit_at(&self, needle: &[char], start: usize, to: usize) -> Option<Hit> {
        let text = &self.chars[start..to];
        if text.first() != needle.first() && text.get(1) != needle.get(1) {
            return None;
        }
        let n = needle.len();
        // A figure is never a label's character: a wrong or extra digit is the next cell
        // (`禁止公0` is `禁止公` and a 0, not a misread `禁止公开`).
        // substitution
        if text.len() >= n {
            let mut differing = text[..n].iter().zip(needle).filter(|(a, b)| a != b);
            if let (Some((wrong, _)), None) = (differing.next(), differing.next())
                && !wrong.is_ascii_digit()
            {
                return Some(Hit {
                    start,
                    end: start + n,
                });
            }
        }
        // one extra char in the text
        if text.len() > n {
            for skip in 1..n {
                if !text[skip].is_ascii_digit()
                    && text[..skip] == needle[..skip]
                    && text[skip + 1..=n] == needle[skip..]
                {
                    return Some(Hit {
                        start,
                        end: start + n + 1,
                    });
                }
            }
        }
        // one char missing from the text (the last one too: `禁止公` for `禁止公开`)
        if text.len() >= n - 1 {
            for skip in 1..n {
                if text[..skip] == needle[..skip] && text[skip..n - 1] == needle[skip + 1..] {
                    return Some(Hit {
                        start,
                        end: start + n - 1,
                    });
                }
            }
        }
        None
    }

    /// Extends a hit of `key` backwards over as much of `full` (the whole label, which has
    /// `key` at its end or inside) as the text has, so the label's own numbering (`5.`) is
    /// not mistaken for the previous row's last cell.
    pub fn extend_back(&self, hit: Hit, full: &[char], key: &[char]) -> Hit {
        let Some(key_at) = full.windows(key.len()).position(|w| w == key) else {
            return hit;
        };
        let mut start = hit.start;
        let mut i = key_at;
        while i > 0 && start > 0 && self.chars[start - 1] == full[i - 1] {
            start -= 1;
            i -= 1;
        }
        Hit {
            start,
            end: hit.end,
        }
    }

    /// Extends a hit of `key` forwards over the rest of `full` as far as the text has it
    /// (`存在的主要问题` + `及改进情况`).
    pub fn extend_forward(&self, hit: Hit, full: &[char], key: &[char]) -> Hit {
        let Some(key_at) = full.windows(key.len()).position(|w| w == key) else {
            return hit;
        };
        let mut end = hit.end;
        let mut i = key_at + key.len();
        while i < full.len() && end < self.chars.len() && self.chars[end] == full[i] {
            end += 1;
            i += 1;
        }
        Hit {
            start: hit.start,
            end,
        }
    }

    pub fn slice(&self, from: usize, to: usize) -> &[char] {
        &self.chars[from.min(self.chars.len())..to.min(self.chars.len())]
    }
}

pub(super) fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Labels are literals: known by where they sit, hashed by that alone.
#[derive(Default)]
struct ByAddress(u64);

impl std::hash::Hasher for ByAddress {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0.rotate_left(5) ^ n as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type LabelCache = std::collections::HashMap<
    (usize, usize),
    std::rc::Rc<[char]>,
    std::hash::BuildHasherDefault<ByAddress>,
>;

thread_local! {
    /// Labels are folded once per thread, not once per search.
    static FOLDED_LABELS: std::cell::RefCell<LabelCache> = std::cell::RefCell::new(LabelCache::default());
}

/// A label (always a literal) folded for searching.
pub fn chars(label: &'static str) -> std::rc::Rc<[char]> {
    FOLDED_LABELS.with(|cache| {
        cache
            .borrow_mut()
            .entry((label.as_ptr() as usize, label.len()))
            .or_insert_with(|| fold(label).into())
            .clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_labels_through_layout_and_typos() {
        let text = "三、 本年\n度办 理结 果 |\n行政法复议 | 5.属于三类";
        let folded = Folded::new(text);
        assert!(
            folded
                .find(&chars("本年度办理结果"), 0, folded.len())
                .is_some()
        );
        let hit = folded
            .find_near(&chars("行政复议"), 0, folded.len())
            .unwrap();
        assert_eq!(
            folded.slice(hit.start, hit.end).iter().collect::<String>(),
            "行政法复议"
        );
        let key = chars("属于三类");
        let at = folded.find(&key, 0, folded.len()).unwrap();
        let hit = folded.extend_back(
            Hit {
                start: at,
                end: at + key.len(),
            },
            &chars("5.属于三类内部事务信息"),
            &key,
        );
        assert_eq!(
            folded.slice(hit.start, hit.end).iter().collect::<String>(),
            "5.属于三类"
        );
        assert_eq!(
            &text[folded.byte(hit.start)..folded.byte_end(hit.end)],
            "5.属于三类"
        );
    }

    #[test]
    fn a_figure_is_never_a_misread_label_character() {
        // OCR dropped the label's last character; the next cell's 0 follows it.
        let folded = Folded::new("2.其他法律行政法规禁止公 | 0 | 0 |");
        let hit = folded
            .find_near(&chars("其他法律行政法规禁止公开"), 0, folded.len())
            .unwrap();
        assert_eq!(
            folded.slice(hit.start, hit.end).iter().collect::<String>(),
            "其他法律行政法规禁止公",
            "the 0 stays a cell"
        );
        // A wrong character that is no figure is still a typo of the label.
        let folded = Folded::new("本年新收政府倍息公开申请数量 | 8 |");
        let hit = folded
            .find_near(&chars("本年新收政府信息公开申请数量"), 0, folded.len())
            .unwrap();
        assert_eq!(
            hit.end - hit.start,
            "本年新收政府信息公开申请数量".chars().count()
        );
    }
}
