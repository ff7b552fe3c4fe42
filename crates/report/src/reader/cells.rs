//! Turning the text between two row labels into cells.
//!
//! Sites give cells in every shape: one per line ending in `|`, a row per line with ` | `,
//! one per paragraph, space-separated, or flattened into one digit run (`801000081`). The
//! text is first cut into tokens: numbers, explicit blank cells, and text (headers, group
//! labels — dropped). When there are fewer numbers than cells, the digit runs are split so
//! that every group's 总计 is the sum of its other cells; a unique split is taken, several
//! are reported with their candidates, none is reported as unsplittable.

use rust_decimal::Decimal;

use crate::model::Blank;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token<'t> {
    /// A number as written: digits, maybe a sign and a decimal point (a slice of the text).
    Number(&'t str),
    /// A cell with no figure: empty between two bars, or a mark ("—", "/", "无", "不适用"),
    /// or a figure OCR was not sure of.
    Blank(Blank),
}

/// What an OCR reading writes for a cell it is not sure of:
/// `{UNCERTAIN}8{CONFIDENCE}43{END}` (the Unicode interlinear annotation marks: "8",
/// annotated "43").
pub const UNCERTAIN: char = '\u{FFF9}';
pub const CONFIDENCE: char = '\u{FFFA}';
pub const END: char = '\u{FFFB}';
/// The OCR confidence (per cent) from which a figure is taken as read — what
/// `gongkai_sheets::ocr::CERTAIN_CONFIDENCE` decides by (that crate marks the cells; this one
/// only names the threshold in its finding, and keeps no dependency on it).
pub const CERTAIN_CONFIDENCE: u8 = 80;

/// The blank a piece of cell text stands for, if it is one.
fn blank_of(text: &str) -> Option<Blank> {
    if let Some(rest) = text.strip_prefix(UNCERTAIN) {
        let (read, rest) = rest.split_once(CONFIDENCE)?;
        let confidence = rest.strip_suffix(END)?.parse::<u8>().ok()?;
        return Some(Blank::Uncertain {
            read: read.to_string(),
            confidence: confidence.min(100),
        });
    }
    Blank::from_mark(text)
}

/// Cuts a row's text into tokens. `text` runs from just after the row label to just
/// before the next label.
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::with_capacity(8);
    if text.contains('|') {
        let last = text.bytes().filter(|&b| b == b'|').count();
        for (i, piece) in text.split('|').enumerate() {
            let trimmed = piece.trim();
            let blank = blank_of(trimmed);
            // The piece before the first bar ends the label's own cell, the piece after
            // the last bar starts the next label's cell: neither is a cell of this row.
            if blank.is_some() && (i == 0 || i == last) {
                continue;
            }
            // A bar with nothing before it on its line (`||`, a lone `|` ending a row, the
            // line break between two table rows) is layout; an empty cell has a space.
            let on_its_line = piece.rsplit('\n').next().unwrap_or(piece);
            if trimmed.is_empty() && on_its_line.is_empty() {
                continue;
            }
            match blank {
                Some(blank) => tokens.push(Token::Blank(blank)),
                None => push_numbers(piece, &mut tokens),
            }
        }
    } else {
        for word in text.split_whitespace() {
            match blank_of(word).filter(|b| *b != Blank::Empty) {
                Some(blank) => tokens.push(Token::Blank(blank)),
                None => push_numbers(word, &mut tokens),
            }
        }
    }
    tokens
}

/// How each blank cell of a row was written, when the row's tokens are its cells one for one
/// (otherwise where each blank sits is not known, and none is named).
pub fn blanks(tokens: &[Token<'_>], cells: usize) -> Vec<Option<Blank>> {
    let trimmed = trim_filler(tokens, cells);
    if trimmed.len() != cells {
        return vec![None; cells];
    }
    trimmed
        .iter()
        .map(|t| match t {
            Token::Blank(blank) => Some(blank.clone()),
            Token::Number(_) => None,
        })
        .collect()
}

/// Filler bars after (or before) a row's cells are layout, not blank cells.
fn trim_filler<'s, 't>(tokens: &'s [Token<'t>], cells: usize) -> &'s [Token<'t>] {
    let mut tokens = tokens;
    while tokens.len() > cells && matches!(tokens.last(), Some(Token::Blank(_))) {
        tokens = &tokens[..tokens.len() - 1];
    }
    while tokens.len() > cells && matches!(tokens.first(), Some(Token::Blank(_))) {
        tokens = &tokens[1..];
    }
    tokens
}

/// The numbers in a piece of text, each whitespace-separated run on its own. Numbers are
/// ASCII (the text is normalized), so this works on bytes.
fn push_numbers<'t>(piece: &'t str, tokens: &mut Vec<Token<'t>>) {
    for word in piece.split_whitespace() {
        let bytes = word.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let signed = matches!(bytes[i], b'+' | b'-')
                && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
                && (i == 0 || !bytes[i - 1].is_ascii_digit());
            if !(bytes[i].is_ascii_digit() || signed) {
                i += 1;
                continue;
            }
            let start = i;
            i += 1;
            while i < bytes.len()
                && (bytes[i].is_ascii_digit()
                    || (bytes[i] == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)))
            {
                i += 1;
            }
            // `3.补正后…`: an item number of a label cut off in the text, not a cell.
            let enumeration = i - start <= 2
                && (bytes.get(i) == Some(&b'.') || word[i..].starts_with('、'))
                && !bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
            if !enumeration {
                tokens.push(Token::Number(&word[start..i]));
            }
        }
    }
}

/// How the cells of a row hang together.
#[derive(Debug, Clone, Copy)]
pub enum Rule {
    /// Groups of `size` cells whose last is the sum of the others (table 三 rows, table 四).
    SumLast { size: usize },
    /// No relation (table 二): only a split forced by the digits is unique.
    Free,
}

/// What became of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fit<'t> {
    Cells(Vec<Option<&'t str>>),
    /// Several splits fit; the candidates found (at most [`MAX_CANDIDATES`]) and whether
    /// there were more.
    Ambiguous {
        candidates: Vec<Vec<&'t str>>,
        more: bool,
    },
    /// The digits cannot be split to fit the sums.
    Unsplittable {
        runs: Vec<&'t str>,
    },
    /// Fewer values than cells and nothing to split.
    Missing {
        found: Vec<Option<&'t str>>,
    },
    /// More values than cells.
    Extra {
        found: Vec<&'t str>,
    },
    /// Nothing at all between this label and the next.
    Empty,
}

pub const MAX_CANDIDATES: usize = 8;
/// Search steps allowed for one row: a pathological run gives up instead of spinning.
const BUDGET: usize = 50_000;
const MAX_CELL_DIGITS: usize = 12;

pub fn fit<'t>(tokens: &[Token<'t>], cells: usize, rule: Rule) -> Fit<'t> {
    fit_pinned(tokens, cells, rule, &[])
}

/// As [`fit`], a split of flattened digits also holding to the cells known from elsewhere
/// (`pinned[i]`: what cell `i` must read, the report's text having stated it).
pub fn fit_pinned<'t>(
    tokens: &[Token<'t>],
    cells: usize,
    rule: Rule,
    pinned: &[Option<String>],
) -> Fit<'t> {
    if tokens.is_empty() {
        return Fit::Empty;
    }
    let tokens = trim_filler(tokens, cells);
    if tokens.len() == cells {
        let values: Vec<Option<&'t str>> = tokens
            .iter()
            .map(|t| match t {
                Token::Number(n) => Some(*n),
                Token::Blank(_) => None,
            })
            .collect();
        return Fit::Cells(values);
    }
    let runs: Vec<&'t str> = tokens
        .iter()
        .filter_map(|t| match t {
            Token::Number(n) => Some(*n),
            Token::Blank(_) => None,
        })
        .collect();
    if runs.is_empty() {
        return if tokens.len() < cells {
            Fit::Missing {
                found: vec![None; tokens.len()],
            }
        } else {
            Fit::Extra { found: Vec::new() }
        };
    }
    if runs.len() > cells {
        return Fit::Extra { found: runs };
    }
    if runs.len() == cells {
        return Fit::Cells(runs.into_iter().map(Some).collect());
    }
    let splittable: usize = runs
        .iter()
        .map(|r| if is_digits(r) { r.len() } else { 1 })
        .sum();
    if splittable < cells {
        let found = tokens
            .iter()
            .map(|t| match t {
                Token::Number(n) => Some(*n),
                Token::Blank(_) => None,
            })
            .collect();
        return Fit::Missing { found };
    }
    let mut capacity_after = vec![0; runs.len()];
    for i in (0..runs.len().saturating_sub(1)).rev() {
        let next = &runs[i + 1];
        capacity_after[i] = capacity_after[i + 1] + if is_digits(next) { next.len() } else { 1 };
    }
    let mut search = Search {
        runs: &runs,
        capacity_after,
        cells,
        rule,
        pinned,
        current: Vec::with_capacity(cells),
        found: Vec::new(),
        total: 0,
        steps: 0,
    };
    search.run(0, 0);
    match search.total {
        0 if search.steps >= BUDGET => Fit::Ambiguous {
            candidates: Vec::new(),
            more: true,
        },
        0 => Fit::Unsplittable { runs },
        1 => Fit::Cells(search.found.remove(0).into_iter().map(Some).collect()),
        _ => Fit::Ambiguous {
            more: search.total > search.found.len() || search.steps >= BUDGET,
            candidates: search.found,
        },
    }
}

/// A run that may be split: digits, with at most one decimal point inside (an amount
/// flattened after counts, `13575394432.52`).
fn is_digits(text: &str) -> bool {
    !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && text.bytes().filter(|&b| b == b'.').count() <= 1
        && !text.starts_with('.')
        && !text.ends_with('.')
}

/// Whether a piece of a split run can be one cell: no leading zero (but `0` and `0.5`),
/// no dangling decimal point.
fn valid_cell(piece: &str) -> bool {
    if piece.starts_with('.') || piece.ends_with('.') {
        return false;
    }
    !(piece.len() > 1 && piece.starts_with('0') && !piece.starts_with("0."))
}

struct Search<'a, 't> {
    runs: &'a [&'t str],
    /// Cells the runs after each run can fill at most (digits, or 1 for an amount).
    capacity_after: Vec<usize>,
    cells: usize,
    rule: Rule,
    pinned: &'a [Option<String>],
    current: Vec<&'t str>,
    found: Vec<Vec<&'t str>>,
    total: usize,
    steps: usize,
}

impl<'t> Search<'_, 't> {
    /// Splits run `run` from byte `at` on.
    fn run(&mut self, run: usize, at: usize) {
        self.steps += 1;
        // Enough to show the candidates and know there are more.
        if self.steps >= BUDGET || self.total > MAX_CANDIDATES {
            return;
        }
        if run == self.runs.len() {
            if self.current.len() == self.cells {
                self.total += 1;
                if self.found.len() < MAX_CANDIDATES {
                    self.found.push(self.current.clone());
                }
            }
            return;
        }
        let text: &'t str = self.runs[run];
        // Cells still needed must be at least the runs still to place, and the digits left
        // must fit in them.
        let runs_left = self.runs.len() - run;
        if self.current.len() + runs_left > self.cells {
            return;
        }
        let splittable = is_digits(text);
        let digits_here = if splittable { text.len() - at } else { 1 };
        let capacity = digits_here + self.capacity_after[run];
        let cells_left = self.cells - self.current.len();
        if cells_left > capacity || capacity > cells_left * MAX_CELL_DIGITS {
            return;
        }
        let lengths = if splittable {
            1..=(text.len() - at).min(MAX_CELL_DIGITS)
        } else {
            text.len()..=text.len()
        };
        for length in lengths {
            let piece = &text[at..at + length];
            if splittable && !valid_cell(piece) {
                continue;
            }
            if let Some(Some(must)) = self.pinned.get(self.current.len())
                && must.as_str() != piece
            {
                continue;
            }
            self.current.push(piece);
            if self.group_holds() {
                if at + length == text.len() {
                    self.run(run + 1, 0);
                } else if self.current.len() < self.cells {
                    self.run(run, at + length);
                }
            }
            self.current.pop();
            if self.steps >= BUDGET {
                return;
            }
        }
    }

    /// Whether the group just completed (if any) adds up.
    fn group_holds(&self) -> bool {
        let Rule::SumLast { size } = self.rule else {
            return true;
        };
        let n = self.current.len();
        if n == 0 || !n.is_multiple_of(size) {
            return true;
        }
        let group = &self.current[n - size..];
        let (total, items) = group.split_last().expect("size > 0");
        if group.iter().all(|c| !c.contains('.')) {
            // Counts: integer arithmetic, no allocation.
            let parse = |c: &&str| c.parse::<u128>().ok();
            return match (items.iter().map(parse).sum::<Option<u128>>(), parse(total)) {
                (Some(sum), Some(total)) => sum == total,
                _ => false,
            };
        }
        let parse = |c: &&str| c.parse::<Decimal>().ok();
        match (
            items.iter().map(parse).sum::<Option<Decimal>>(),
            parse(total),
        ) {
            (Some(sum), Some(total)) => sum == total,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(fit: Fit) -> Vec<Option<String>> {
        match fit {
            Fit::Cells(cells) => cells.into_iter().map(|c| c.map(str::to_string)).collect(),
            other => panic!("not a fit: {other:?}"),
        }
    }

    fn s(values: &[&str]) -> Vec<Option<String>> {
        values
            .iter()
            .map(|v| {
                if v.is_empty() {
                    None
                } else {
                    Some(v.to_string())
                }
            })
            .collect()
    }

    const ROW: Rule = Rule::SumLast { size: 7 };

    #[test]
    fn cell_per_line_with_filler_bars() {
        let tokens = tokenize(" |\n8 |\n0 |\n0 |\n0 |\n0 |\n0 |\n8 |\n||\n");
        assert_eq!(
            numbers(fit(&tokens, 7, ROW)),
            s(&["8", "0", "0", "0", "0", "0", "8"])
        );
    }

    #[test]
    fn blank_html_cells_stay_blank() {
        let tokens = tokenize(" | 258 | 12 |   |   | 1 | 1 |   |\n");
        assert_eq!(
            numbers(fit(&tokens, 7, ROW)),
            s(&["258", "12", "", "", "1", "1", ""])
        );
    }

    #[test]
    fn flattened_runs_split_by_the_sums() {
        // The row's own sum leaves two splits: the table's column sums decide (reader).
        match fit(&tokenize("191000020"), 7, ROW) {
            Fit::Ambiguous {
                candidates,
                more: false,
            } => assert_eq!(candidates.len(), 2),
            other => panic!("{other:?}"),
        }
        let cases = [
            ("801000081", vec!["80", "1", "0", "0", "0", "0", "81"]),
            ("310000031", vec!["31", "0", "0", "0", "0", "0", "31"]),
            ("230 000023", vec!["23", "0", "0", "0", "0", "0", "23"]),
            ("0 0 0 0 0 00", vec!["0"; 7]),
            ("23 0 00 0 023", vec!["23", "0", "0", "0", "0", "0", "23"]),
        ];
        for (text, expected) in cases {
            let want: Vec<&str> = expected;
            assert_eq!(numbers(fit(&tokenize(text), 7, ROW)), s(&want), "{text}");
        }
        let appeals = fit(&tokenize("110024001510102"), 15, Rule::SumLast { size: 5 });
        assert_eq!(
            numbers(appeals),
            s(&[
                "1", "1", "0", "0", "2", "4", "0", "0", "1", "5", "1", "0", "1", "0", "2"
            ])
        );
    }

    #[test]
    fn free_rows_list_their_candidates() {
        match fit(&tokenize("1234"), 3, Rule::Free) {
            Fit::Ambiguous { candidates, more } => {
                assert_eq!(candidates.len(), 3);
                assert!(!more);
                assert!(candidates.contains(&vec!["1", "2", "34"]));
                assert!(candidates.contains(&vec!["12", "3", "4"]));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            numbers(fit(&tokenize("000"), 3, Rule::Free)),
            s(&["0", "0", "0"])
        );
        assert_eq!(
            numbers(fit(&tokenize("5949.088667"), 1, Rule::Free)),
            s(&["5949.088667"])
        );
        match fit(&tokenize("13575394432.52"), 2, Rule::Free) {
            Fit::Ambiguous { candidates, .. } => {
                assert!(
                    candidates.contains(&vec!["135", "75394432.52"]),
                    "{candidates:?}"
                );
                assert!(
                    candidates.iter().all(|c| !c[0].contains('.')),
                    "{candidates:?}"
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn dropped_cells_and_impossible_runs_are_reported() {
        assert!(matches!(
            fit(&tokenize("3 |\n3 |\n"), 7, ROW),
            Fit::Missing { .. }
        ));
        assert!(matches!(
            fit(&tokenize("12345678"), 7, ROW),
            Fit::Unsplittable { .. }
        ));
        assert!(matches!(
            fit(&tokenize("1 2 3 4 5 6 7 8"), 7, ROW),
            Fit::Extra { .. }
        ));
        assert_eq!(fit(&[], 7, ROW), Fit::Empty);
    }

    #[test]
    fn long_runs_give_up_within_budget() {
        let long = "1".repeat(200);
        let _ = fit(&tokenize(&long), 15, Rule::SumLast { size: 5 });
        let _ = fit(&tokenize(&long), 3, Rule::Free);
    }

    #[test]
    fn signs_and_units() {
        assert_eq!(
            tokenize("-3 | +2元 | 251000元"),
            vec![
                Token::Number("-3"),
                Token::Number("+2"),
                Token::Number("251000"),
            ]
        );
    }
}
