//! The ruling lines of a scanned page: long thin runs of ink across and down. They give the
//! tables their cells, as a PDF's drawn lines do, and are wiped from the page before OCR (a
//! table's lines read as 丨 and 一 otherwise).
//!
//! A run across counts from 1/25 of the page's width; a run down from 1/55 of it, and only
//! where it meets a line across at both ends — a cell's border always does, the stroke of a
//! character never.

use super::raster::Gray;
use crate::pdf::Rule;

/// Ruling lines in pixels (y downwards), each with the rows or columns of ink it covers.
pub struct Found {
    /// (row, from x, to x)
    pub across: Vec<(usize, usize, usize)>,
    /// (column, from y, to y)
    pub down: Vec<(usize, usize, usize)>,
}

pub fn find(page: &Gray) -> Found {
    let dark = page.threshold();
    let ink = |x: usize, y: usize| page.at(x, y) <= dark;
    let gap = (page.width / 800).max(2);
    let across = runs(page.height, page.width, page.width / 25, gap, |y, x| {
        ink(x, y)
    });
    let down = runs(page.width, page.height, page.width / 55, gap, ink);
    let meets = |column: usize, y: usize| {
        across.iter().any(|&(row, from, to)| {
            row.abs_diff(y) <= gap * 3 && from <= column + gap && column <= to + gap
        })
    };
    let down = down
        .into_iter()
        .filter(|&(column, from, to)| meets(column, from) && meets(column, to))
        .collect();
    Found { across, down }
}

/// Runs of ink along each line `0..lines` of length `length`, bridging gaps of `gap` pixels,
/// at least `min` long: (line, from, to).
fn runs(
    lines: usize,
    length: usize,
    min: usize,
    gap: usize,
    ink: impl Fn(usize, usize) -> bool,
) -> Vec<(usize, usize, usize)> {
    let mut found = Vec::new();
    for line in 0..lines {
        let mut start: Option<usize> = None;
        let mut last = 0;
        for at in 0..=length {
            let dark = at < length && ink(line, at);
            match (dark, start) {
                (true, None) => {
                    start = Some(at);
                    last = at;
                }
                (true, Some(_)) => last = at,
                (false, Some(from)) if at - last > gap || at == length => {
                    if last - from + 1 >= min.max(1) {
                        found.push((line, from, last));
                    }
                    start = None;
                }
                _ => {}
            }
        }
    }
    found
}

impl Found {
    /// As ruling lines in PDF space: points (`scale` per pixel), y upwards from the foot.
    pub fn rules(&self, height: usize, scale: f32) -> Vec<Rule> {
        let y = |row: usize| (height - row) as f32 * scale;
        let across = self.across.iter().map(|&(row, from, to)| {
            Rule::horizontal(y(row), from as f32 * scale, to as f32 * scale)
        });
        let down = self
            .down
            .iter()
            .map(|&(column, from, to)| Rule::vertical(column as f32 * scale, y(to), y(from)));
        across.chain(down).collect()
    }

    /// The page with its ruling lines wiped (and a pixel either side, where scans blur).
    pub fn wiped(&self, page: &Gray) -> Gray {
        let mut clean = page.clone();
        let mut wipe = |x: usize, y: usize| {
            if x < clean.width && y < clean.height {
                clean.pixels[y * clean.width + x] = 255;
            }
        };
        for &(row, from, to) in &self.across {
            for x in from..=to {
                for y in row.saturating_sub(1)..=row + 1 {
                    wipe(x, y);
                }
            }
        }
        for &(column, from, to) in &self.down {
            for y in from..=to {
                for x in column.saturating_sub(1)..=column + 1 {
                    wipe(x, y);
                }
            }
        }
        clean
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 2 × 2 table of 400 × 200 pixels with a "character" (a short stroke) in one cell.
    fn table() -> Gray {
        let (width, height) = (600, 300);
        let mut pixels = vec![255u8; width * height];
        let mut ink = |x: usize, y: usize| pixels[y * width + x] = 0;
        for y in [50, 150, 250] {
            for x in 100..=500 {
                ink(x, y);
                ink(x, y + 1);
            }
        }
        for x in [100, 300, 500] {
            for y in 50..=251 {
                ink(x, y);
            }
        }
        for y in 70..130 {
            ink(200, y);
        }
        Gray {
            width,
            height,
            pixels,
        }
    }

    #[test]
    fn borders_are_found_and_strokes_are_not() {
        let page = table();
        let found = find(&page);
        let rows: std::collections::BTreeSet<usize> = found.across.iter().map(|r| r.0).collect();
        assert_eq!(
            rows.into_iter().collect::<Vec<_>>(),
            vec![50, 51, 150, 151, 250, 251]
        );
        let columns: std::collections::BTreeSet<usize> = found.down.iter().map(|r| r.0).collect();
        assert_eq!(columns.into_iter().collect::<Vec<_>>(), vec![100, 300, 500]);
        let wiped = found.wiped(&page);
        assert_eq!(wiped.at(300, 100), 255, "a border wiped");
        assert_eq!(wiped.at(200, 100), 0, "the stroke kept");
        let rules = found.rules(page.height, 0.5);
        assert!(rules.iter().any(|r| !r.horizontal && r.at == 150.0));
    }
}
