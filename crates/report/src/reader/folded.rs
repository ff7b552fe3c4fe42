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
        let last_start = to.checked_sub(needle.len())?;
        let first = needle[0];
        (from..=last_start.min(self.chars.len().saturating_sub(needle.len())))
            .find(|&i| self.chars[i] == first && self.chars[i..i + needle.len()] == *needle)
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
        // substitution
        if text.len() >= n && text[..n].iter().zip(needle).filter(|(a, b)| a != b).count() == 1 {
            return Some(Hit {
                start,
                end: start + n,
            });
        }
        // one extra char in the text
        if text.len() > n {
            for skip in 1..n {
                if text[..skip] == needle[..skip] && text[skip + 1..=n] == needle[skip..] {
                    return Some(Hit {
                        start,
                        end: start + n + 1,
                    });
                }
            }
        }
        // one char missing from the text
        if text.len() >= n - 1 {
            for skip in 1..n - 1 {
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

fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

thread_local! {
    /// Labels are folded once per thread, not once per search.
    static FOLDED_LABELS: std::cell::RefCell<std::collections::HashMap<&'static str, std::rc::Rc<[char]>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// A label (always a literal) folded for searching.
pub fn chars(label: &'static str) -> std::rc::Rc<[char]> {
    FOLDED_LABELS.with(|cache| {
        cache
            .borrow_mut()
            .entry(label)
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
}
