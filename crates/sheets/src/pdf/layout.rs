//! A page's characters and ruling lines as paragraphs and tables, by geometry alone.
//!
//! Tables are found by their ruling lines ("lattice"): lines that cross one another make one
//! table; the distinct positions of its vertical lines are the column edges and of its
//! horizontal lines the row edges; a cell is merged with its neighbour where the line between
//! them is missing. Each character goes to the cell its centre falls in; a cell's lines are
//! joined without breaks (a Chinese cell wraps where the column ends, not where a word does).
//! The characters outside every table are lines by their baselines, and lines that run to the
//! right margin go on into the next as one paragraph.

use super::{Glyph, Rule};

/// The OCR confidence (per cent) from which a figure in a cell is taken as read. Below it the
/// cell is written as the report reader's uncertain mark (`\u{FFF9}read\u{FFFA}confidence\u{FFFB}`,
/// Unicode's interlinear annotation): a blank, with what was read beside it.
pub const CERTAIN_CONFIDENCE: u8 = 80;

/// Points within which two lines are one (LibreOffice draws each cell's border on its own).
const SAME_LINE: f32 = 1.5;
/// Points by which a line may fall short of the one it meets and still meet it.
const MEETS: f32 = 2.5;

/// A paragraph or a table, with the height it starts at (PDF space: larger is higher).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    Paragraph(String),
    Table(Vec<Vec<Cell>>),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cell {
    pub text: String,
    pub colspan: usize,
    pub rowspan: usize,
}

/// The page's blocks from top to bottom.
pub(crate) fn blocks(glyphs: Vec<Glyph>, rules: Vec<Rule>) -> Vec<Block> {
    blocks_read_twice(glyphs, Vec::new(), rules)
}

/// As [`blocks`], for a page read twice by OCR: `alone` (each table cell read on its own)
/// give the text of every table cell they fall in, the page's reading the rest.
pub(crate) fn blocks_read_twice(
    glyphs: Vec<Glyph>,
    alone: Vec<Glyph>,
    rules: Vec<Rule>,
) -> Vec<Block> {
    let (horizontal, vertical): (Vec<Rule>, Vec<Rule>) =
        rules.into_iter().partition(|r| r.horizontal);
    let horizontal = merge(horizontal);
    let vertical = merge(vertical);
    let grids = grids(&horizontal, &vertical);

    let mut cells: Vec<Vec<Vec<Glyph>>> = grids
        .iter()
        .map(|g| vec![Vec::new(); g.cells.len()])
        .collect();
    let mut free = Vec::new();
    for glyph in glyphs {
        match cell_of(&grids, &glyph) {
            Some((grid, cell)) => cells[grid][cell].push(glyph),
            None => free.push(glyph),
        }
    }

    let mut second: Vec<Vec<Vec<Glyph>>> = grids
        .iter()
        .map(|g| vec![Vec::new(); g.cells.len()])
        .collect();
    for glyph in alone {
        if let Some((grid, cell)) = cell_of(&grids, &glyph) {
            second[grid][cell].push(glyph);
        }
    }
    let mut placed: Vec<(f32, Block)> = Vec::new();
    for ((grid, mut glyphs), second) in grids.iter().zip(cells).zip(second) {
        for (cell, alone) in glyphs.iter_mut().zip(second) {
            if !alone.is_empty() {
                *cell = alone;
            }
        }
        placed.push((grid.top(), grid.table(glyphs)));
    }
    let mut free = lines(free);
    drop_page_number(&mut free, &grids);
    placed.extend(paragraphs(free));
    placed.sort_by(|a, b| b.0.total_cmp(&a.0));
    placed.into_iter().map(|(_, block)| block).collect()
}

/// The table and cell a character's centre falls in.
fn cell_of(grids: &[Grid], glyph: &Glyph) -> Option<(usize, usize)> {
    let (cx, cy) = glyph.centre();
    grids
        .iter()
        .enumerate()
        .find_map(|(i, g)| g.cell_at(cx, cy).map(|c| (i, c)))
}

impl Glyph {
    /// The middle of the character: a little above its baseline.
    fn centre(&self) -> (f32, f32) {
        ((self.x + self.end) / 2.0, self.y + self.size * 0.3)
    }
}

impl Rule {
    pub(crate) fn horizontal(at: f32, from: f32, to: f32) -> Rule {
        Rule {
            horizontal: true,
            at,
            from: from.min(to),
            to: from.max(to),
        }
    }

    pub(crate) fn vertical(at: f32, from: f32, to: f32) -> Rule {
        Rule {
            horizontal: false,
            ..Rule::horizontal(at, from, to)
        }
    }

    /// The segment as a ruling line, if it is straight across or straight down.
    pub(super) fn between(a: (f32, f32), b: (f32, f32)) -> Option<Rule> {
        let (dx, dy) = ((b.0 - a.0).abs(), (b.1 - a.1).abs());
        if dy < 0.5 && dx > 2.0 {
            Some(Rule::horizontal((a.1 + b.1) / 2.0, a.0, b.0))
        } else if dx < 0.5 && dy > 2.0 {
            Some(Rule::vertical((a.0 + b.0) / 2.0, a.1, b.1))
        } else {
            None
        }
    }

    fn crosses(&self, other: &Rule) -> bool {
        other.at >= self.from - MEETS
            && other.at <= self.to + MEETS
            && self.at >= other.from - MEETS
            && self.at <= other.to + MEETS
    }

    fn covers(&self, at: f32, point: f32) -> bool {
        (self.at - at).abs() <= MEETS && self.from <= point && point <= self.to
    }
}

/// Pieces of one line, end to end or overlapping, as one.
fn merge(mut rules: Vec<Rule>) -> Vec<Rule> {
    rules.sort_by(|a, b| a.at.total_cmp(&b.at).then(a.from.total_cmp(&b.from)));
    let mut merged: Vec<Rule> = Vec::new();
    // Lines at the same height are gathered, then joined along their length.
    let mut i = 0;
    while i < rules.len() {
        let mut j = i + 1;
        while j < rules.len() && rules[j].at - rules[i].at <= SAME_LINE {
            j += 1;
        }
        let mut group = rules[i..j].to_vec();
        group.sort_by(|a, b| a.from.total_cmp(&b.from));
        let at = group.iter().map(|r| r.at).sum::<f32>() / group.len() as f32;
        let mut current: Option<Rule> = None;
        for rule in group {
            match &mut current {
                Some(c) if rule.from <= c.to + MEETS => c.to = c.to.max(rule.to),
                _ => {
                    merged.extend(current.take());
                    current = Some(Rule { at, ..rule });
                }
            }
        }
        merged.extend(current);
        i = j;
    }
    merged
}

/// A table's grid: column edges left to right, row edges top to bottom, and its cells.
struct Grid {
    columns: Vec<f32>,
    rows: Vec<f32>,
    /// Cell index of each grid square, row by row.
    owner: Vec<usize>,
    /// (top row, left column, rows, columns) of each cell.
    cells: Vec<(usize, usize, usize, usize)>,
}

impl Grid {
    fn top(&self) -> f32 {
        self.rows[0]
    }

    fn cell_at(&self, x: f32, y: f32) -> Option<usize> {
        let (left, right) = (self.columns[0], *self.columns.last()?);
        let (top, bottom) = (self.rows[0], *self.rows.last()?);
        if x < left || x > right || y > top || y < bottom {
            return None;
        }
        let column = self
            .columns
            .partition_point(|&c| c <= x)
            .clamp(1, self.columns.len() - 1)
            - 1;
        let row = self
            .rows
            .partition_point(|&r| r >= y)
            .clamp(1, self.rows.len() - 1)
            - 1;
        Some(self.owner[row * (self.columns.len() - 1) + column])
    }

    fn table(&self, mut glyphs: Vec<Vec<Glyph>>) -> Block {
        let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); self.rows.len() - 1];
        for (index, &(row, _, rowspan, colspan)) in self.cells.iter().enumerate() {
            let glyphs = std::mem::take(&mut glyphs[index]);
            let confidence = glyphs.iter().map(|g| g.confidence).min().unwrap_or(100);
            let mut text = cell_text(lines(glyphs));
            // A figure read without enough confidence is handed on as uncertain, never as read.
            if confidence < CERTAIN_CONFIDENCE && is_figure(&text) {
                text = format!("\u{FFF9}{text}\u{FFFA}{confidence}\u{FFFB}");
            }
            rows[row].push(Cell {
                text,
                colspan,
                rowspan,
            });
        }
        Block::Table(rows)
    }
}

/// Every table cell the ruling lines draw: (left, top, right, bottom) in points.
pub(crate) fn cell_boxes(rules: Vec<Rule>) -> Vec<[f32; 4]> {
    let (horizontal, vertical): (Vec<Rule>, Vec<Rule>) =
        rules.into_iter().partition(|r| r.horizontal);
    let grids = grids(&merge(horizontal), &merge(vertical));
    grids
        .iter()
        .flat_map(|g| {
            g.cells.iter().map(|&(row, column, rows, columns)| {
                [
                    g.columns[column],
                    g.rows[row],
                    g.columns[column + columns],
                    g.rows[row + rows],
                ]
            })
        })
        .collect()
}

/// The tables the ruling lines draw: lines that cross one another, two across and two down
/// at least.
fn grids(horizontal: &[Rule], vertical: &[Rule]) -> Vec<Grid> {
    // Union-find over all lines (horizontal first, then vertical).
    let n = horizontal.len() + vertical.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for (h, across) in horizontal.iter().enumerate() {
        for (v, down) in vertical.iter().enumerate() {
            if across.crosses(down) {
                let (a, b) = (
                    find(&mut parent, h),
                    find(&mut parent, horizontal.len() + v),
                );
                parent[a] = b;
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, (Vec<&Rule>, Vec<&Rule>)> =
        Default::default();
    for (i, rule) in horizontal.iter().chain(vertical).enumerate() {
        let group = groups.entry(find(&mut parent, i)).or_default();
        if rule.horizontal {
            group.0.push(rule);
        } else {
            group.1.push(rule);
        }
    }
    groups
        .into_values()
        .filter_map(|(across, down)| grid(&across, &down))
        .collect()
}

fn grid(across: &[&Rule], down: &[&Rule]) -> Option<Grid> {
    let mut columns = edges(down.iter().map(|r| r.at));
    let mut rows = edges(across.iter().map(|r| r.at));
    rows.reverse();
    if columns.len() < 2 || rows.len() < 2 {
        return None;
    }
    // A grid of more than 200 × 200 is a drawing, not a report's table.
    if columns.len() > 201 || rows.len() > 1001 {
        columns.truncate(201);
        rows.truncate(1001);
    }
    let (width, height) = (columns.len() - 1, rows.len() - 1);
    let wall_right = |row: usize, column: usize| {
        let mid = (rows[row] + rows[row + 1]) / 2.0;
        down.iter().any(|r| r.covers(columns[column + 1], mid))
    };
    let wall_below = |row: usize, column: usize| {
        let mid = (columns[column] + columns[column + 1]) / 2.0;
        across.iter().any(|r| r.covers(rows[row + 1], mid))
    };
    let mut owner = vec![usize::MAX; width * height];
    let mut cells = Vec::new();
    for row in 0..height {
        for column in 0..width {
            if owner[row * width + column] != usize::MAX {
                continue;
            }
            let mut right = column;
            while right + 1 < width
                && !wall_right(row, right)
                && owner[row * width + right + 1] == usize::MAX
            {
                right += 1;
            }
            let mut bottom = row;
            while bottom + 1 < height
                && (column..=right).all(|c| !wall_below(bottom, c))
                && (column..=right).all(|c| owner[(bottom + 1) * width + c] == usize::MAX)
            {
                bottom += 1;
            }
            let index = cells.len();
            for r in row..=bottom {
                for c in column..=right {
                    owner[r * width + c] = index;
                }
            }
            cells.push((row, column, bottom - row + 1, right - column + 1));
        }
    }
    Some(Grid {
        columns,
        rows,
        owner,
        cells,
    })
}

/// Distinct positions, ascending, those within `SAME_LINE + 1` of each other taken as one.
fn edges(positions: impl Iterator<Item = f32>) -> Vec<f32> {
    let mut all: Vec<f32> = positions.collect();
    all.sort_by(f32::total_cmp);
    let mut edges: Vec<f32> = Vec::new();
    for p in all {
        match edges.last() {
            Some(&last) if p - last <= SAME_LINE + 1.0 => {}
            _ => edges.push(p),
        }
    }
    edges
}

/// One line of text: its baseline, size, extent and characters in order.
#[derive(Debug)]
struct Line {
    y: f32,
    size: f32,
    x: f32,
    end: f32,
    text: String,
}

/// Characters grouped by baseline (within 40 % of their size), each line left to right.
fn lines(mut glyphs: Vec<Glyph>) -> Vec<Line> {
    glyphs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    let mut groups: Vec<Vec<Glyph>> = Vec::new();
    for glyph in glyphs {
        match groups.last_mut() {
            Some(group) if (group[0].y - glyph.y).abs() <= group[0].size.max(glyph.size) * 0.4 => {
                group.push(glyph)
            }
            _ => groups.push(vec![glyph]),
        }
    }
    groups
        .into_iter()
        .map(|mut group| {
            group.sort_by(|a, b| a.x.total_cmp(&b.x));
            let size = group.iter().map(|g| g.size).fold(0.0, f32::max);
            let mut text = String::new();
            let mut previous: Option<&Glyph> = None;
            for glyph in &group {
                if let Some(previous) = previous {
                    let gap = glyph.x - previous.end;
                    // Overprinted (bold made by drawing twice): once.
                    if gap < -size * 0.5 && glyph.text == previous.text {
                        continue;
                    }
                    // Between Chinese and a figure the gap is typography, not a space.
                    let latin = |t: &str| t.chars().all(|c| !is_cjk(c));
                    if gap > size * 1.5 {
                        text.push_str("  ");
                    } else if gap > size * 0.2 && latin(&previous.text) && latin(&glyph.text) {
                        text.push(' ');
                    }
                }
                text.push_str(&glyph.text);
                previous = Some(glyph);
            }
            Line {
                y: group[0].y,
                size,
                x: group[0].x,
                end: group.iter().map(|g| g.end).fold(f32::MIN, f32::max),
                text,
            }
        })
        .collect()
}

/// The page number, when it is the page's first or last line (a footer between two pieces
/// of a table would otherwise read as one more cell of its last row).
fn drop_page_number(lines: &mut Vec<Line>, grids: &[Grid]) {
    let table_top = grids.iter().map(|g| g.rows[0]).fold(f32::MIN, f32::max);
    let table_bottom = grids
        .iter()
        .filter_map(|g| g.rows.last().copied())
        .fold(f32::MAX, f32::min);
    let highest = lines.iter().map(|l| l.y).fold(table_top, f32::max);
    let lowest = lines.iter().map(|l| l.y).fold(table_bottom, f32::min);
    lines.retain(|l| !(is_page_number(&l.text) && (l.y >= highest || l.y <= lowest)));
}

/// "3", "— 3 —", "- 3 -", "第3页", "第3页 共7页", "共7页 第3页", "3/7", "Page 3".
fn is_page_number(text: &str) -> bool {
    let bare: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !"—–-－·~～".contains(*c))
        .collect();
    let bare = bare.trim_start_matches("Page").trim_start_matches("page");
    let digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
    let page = |s: &str| {
        s.strip_prefix('第')
            .and_then(|s| s.strip_suffix('页'))
            .is_some_and(digits)
    };
    let of = |s: &str| {
        s.strip_prefix('共')
            .and_then(|s| s.strip_suffix('页'))
            .is_some_and(digits)
    };
    digits(bare)
        || page(bare)
        || bare
            .split_once('/')
            .is_some_and(|(a, b)| digits(a) && digits(b))
        || bare
            .find("页共")
            .is_some_and(|i| page(&bare[..i + 3]) && of(&bare[i + 3..]))
        || bare
            .find("页第")
            .is_some_and(|i| of(&bare[..i + 3]) && page(&bare[i + 3..]))
}

/// A cell's lines as one text: Chinese wraps without a space, Latin words with one.
fn cell_text(lines: Vec<Line>) -> String {
    let mut text = String::new();
    for line in lines {
        let piece = line.text.trim();
        if piece.is_empty() {
            continue;
        }
        let joins_words = text.chars().last().is_some_and(|c| c.is_ascii_alphabetic())
            && piece
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic());
        if joins_words {
            text.push(' ');
        }
        text.push_str(piece);
    }
    text
}

/// Lines outside the tables as paragraphs: a line that runs to the right margin and is
/// followed closely by another goes on in it, and so does a centred line (a title) followed
/// closely by another centred on the same middle in the same size.
fn paragraphs(lines: Vec<Line>) -> Vec<(f32, Block)> {
    let right = lines.iter().map(|l| l.end).fold(f32::MIN, f32::max);
    let left = lines.iter().map(|l| l.x).fold(f32::MAX, f32::min);
    let centred = |l: &Line| l.x > left + l.size * 2.0 && l.end < right - l.size * 2.0;
    let middle = |l: &Line| (l.x + l.end) / 2.0;
    let mut out: Vec<(f32, Block)> = Vec::new();
    let mut open: Option<(f32, String, &Line)> = None;
    for line in &lines {
        let text = line.text.trim();
        if text.is_empty() {
            continue;
        }
        if let Some((_, paragraph, last)) = &mut open {
            let close = last.y - line.y <= last.size.max(line.size) * 2.2;
            let full = last.end >= right - last.size * 2.0;
            let title =
                centred(last) && centred(line) && (middle(last) - middle(line)).abs() <= last.size;
            let same_size = (last.size - line.size).abs() <= last.size * 0.1;
            if close && same_size && (full || title) && !starts_heading(text) {
                paragraph.push_str(text);
                *last = line;
                continue;
            }
        }
        if let Some((top, paragraph, _)) = open.take() {
            out.push((top, Block::Paragraph(paragraph)));
        }
        open = Some((line.y + line.size, text.to_string(), line));
    }
    if let Some((top, paragraph, _)) = open {
        out.push((top, Block::Paragraph(paragraph)));
    }
    out
}

/// A cell's text that is a figure (a count or an amount), not a label with a number in it.
fn is_figure(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit())
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || ".,%-— ".contains(c))
}

/// Whether a cell's reading is Chinese text (a label), not a figure OCR took for stray
/// characters: two Chinese characters or more read with some confidence (60 % on average),
/// or one read with certainty.
pub(crate) fn reads_as_chinese(glyphs: &[Glyph]) -> bool {
    let chinese: Vec<&Glyph> = glyphs
        .iter()
        .filter(|g| g.text.chars().any(is_cjk))
        .collect();
    let characters: usize = chinese
        .iter()
        .map(|g| g.text.chars().filter(|c| is_cjk(*c)).count())
        .sum();
    let mean = chinese.iter().map(|g| u32::from(g.confidence)).sum::<u32>()
        / (chinese.len() as u32).max(1);
    (characters >= 2 && mean >= 60) || chinese.iter().any(|g| g.confidence >= CERTAIN_CONFIDENCE)
}

/// Chinese characters and the full-width punctuation around them.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c, '\u{2E80}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}')
}

/// `一、`, `（一）`, `1.` … begin a heading or an item: never the rest of a paragraph.
fn starts_heading(text: &str) -> bool {
    let mut chars = text.chars();
    let first = chars.next();
    let numeral = |c: char| "一二三四五六七八九十".contains(c);
    match first {
        Some('（' | '(') => chars.next().is_some_and(numeral),
        Some(c) if numeral(c) => chars.find(|c| !numeral(*c)) == Some('、'),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyphs(text: &str, x: f32, y: f32) -> Vec<Glyph> {
        text.chars()
            .enumerate()
            .map(|(i, c)| Glyph {
                x: x + i as f32 * 10.0,
                end: x + i as f32 * 10.0 + 10.0,
                y,
                size: 10.0,
                text: c.to_string(),
                confidence: 100,
            })
            .collect()
    }

    /// A 3 × 3 grid drawn as each cell's own border (as LibreOffice does), with the top-left
    /// cell spanning two rows and the bottom row's two right cells one.
    #[test]
    fn a_lattice_with_merged_cells() {
        let xs = [0.0, 100.0, 200.0, 300.0];
        let ys = [300.0, 280.0, 260.0, 240.0];
        let mut rules = Vec::new();
        for &y in &ys {
            // Every horizontal line except under the first column's first row.
            for c in 0..3 {
                if y == 280.0 && c == 0 {
                    continue;
                }
                rules.push(Rule::horizontal(y, xs[c], xs[c + 1]));
            }
        }
        for &x in &xs {
            for r in 0..3 {
                if x == 200.0 && r == 2 {
                    continue;
                }
                rules.push(Rule::vertical(x + 0.4, ys[r + 1], ys[r]));
            }
        }
        let mut text = glyphs("项目", 10.0, 272.0);
        text.extend(glyphs("甲", 110.0, 285.0));
        text.extend(glyphs("12", 210.0, 285.0));
        text.extend(glyphs("乙", 110.0, 265.0));
        text.extend(glyphs("3", 210.0, 265.0));
        text.extend(glyphs("合计", 10.0, 245.0));
        text.extend(glyphs("15", 150.0, 245.0));
        text.extend(glyphs("一、总体情况", 0.0, 320.0));
        let blocks = blocks(text, rules);
        assert_eq!(blocks[0], Block::Paragraph("一、总体情况".into()));
        let Block::Table(rows) = &blocks[1] else {
            panic!("{blocks:?}")
        };
        let texts: Vec<Vec<(&str, usize, usize)>> = rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| (c.text.as_str(), c.rowspan, c.colspan))
                    .collect()
            })
            .collect();
        assert_eq!(
            texts,
            vec![
                vec![("项目", 2, 1), ("甲", 1, 1), ("12", 1, 1)],
                vec![("乙", 1, 1), ("3", 1, 1)],
                vec![("合计", 1, 1), ("15", 1, 2)],
            ]
        );
    }

    #[test]
    fn lines_that_reach_the_margin_go_on_in_the_next() {
        let mut text = glyphs("本机关收到申请", 0.0, 500.0);
        text.extend(glyphs("共75件。", 0.0, 485.0));
        text.extend(glyphs("二、主动公开", 0.0, 450.0));
        let blocks = blocks(text, Vec::new());
        assert_eq!(
            blocks,
            vec![
                Block::Paragraph("本机关收到申请共75件。".into()),
                Block::Paragraph("二、主动公开".into())
            ]
        );
    }

    #[test]
    fn page_numbers_at_the_foot_or_head_are_left_out() {
        for number in [
            "4",
            "— 4 —",
            "- 4 -",
            "第4页",
            "第 4 页 共 7 页",
            "共7页第4页",
            "4/7",
        ] {
            assert!(is_page_number(number), "{number}");
        }
        for text in ["2023年", "4件", "第4条", "一、总体情况"] {
            assert!(!is_page_number(text), "{text}");
        }
        let mut text = glyphs("3", 0.0, 500.0);
        text.extend(glyphs("共收到3件", 0.0, 450.0));
        text.extend(glyphs("— 4 —", 0.0, 30.0));
        // "3" is the page's first line and a number, so it is taken as a page number too.
        assert_eq!(
            blocks(text, Vec::new()),
            vec![Block::Paragraph("共收到3件".into())]
        );
    }

    #[test]
    fn wide_gaps_stay_apart_and_overprinting_is_read_once() {
        let mut text = glyphs("索引号", 0.0, 100.0);
        text.extend(glyphs("日期", 100.0, 100.0));
        text.extend(glyphs("日期", 100.3, 100.0));
        let blocks = blocks(text, Vec::new());
        assert_eq!(blocks, vec![Block::Paragraph("索引号  日期".into())]);
    }
}
