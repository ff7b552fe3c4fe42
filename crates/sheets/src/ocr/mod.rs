//! Scanned reports — a PDF of page images, or the images themselves — read by OCR into the
//! same HTML paragraphs and tables as a PDF's text layer. Each page is straightened, its
//! ruling lines found (they make the table's cells, as in a PDF) and wiped, and the rest read
//! by the OCR engine ([`Recognize`]: tesseract, started by the program) twice: once for the
//! text, once for figures alone (a cell without Chinese takes its figure from the second
//! reading: the Chinese model reads a lone 0 as 〇 or misses it). Every word keeps its
//! confidence; a cell whose figure was read below [`CERTAIN_CONFIDENCE`] goes on as uncertain
//! — the report reader keeps it blank and says what was read — never as a figure.

pub mod raster;
mod rules;
pub mod tesseract;

pub use raster::Gray;
pub use tesseract::{Pass, Recognize, Tesseract, Word};

pub use crate::pdf::layout::CERTAIN_CONFIDENCE;
use crate::pdf::{Glyph, layout, write_blocks};
use crate::{SheetError, refuse};

/// How much scanning is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OcrLimits {
    pub max_pages: usize,
    /// Pixels in one page image (A4 at 600 dpi is 35 million).
    pub max_pixels: u64,
}

impl Default for OcrLimits {
    fn default() -> Self {
        OcrLimits {
            max_pages: 60,
            max_pixels: 40_000_000,
        }
    }
}

/// Points across an A4 page: a scan's pixels are scaled to it, so the layout's tolerances
/// (in points) hold whatever the resolution.
const PAGE_WIDTH: f32 = 595.0;

/// An image file (PNG, JPEG) of one page.
pub fn image_to_html(
    bytes: &[u8],
    engine: &dyn Recognize,
    limits: &OcrLimits,
) -> Result<String, SheetError> {
    pages_to_html(
        vec![Gray::decode(bytes, limits.max_pixels)?],
        engine,
        limits,
    )
}

/// Whether the bytes are an image file OCR can read.
pub fn is_image(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x89PNG\r\n\x1a\n") || bytes.starts_with(b"\xFF\xD8\xFF")
}

/// Scanned pages, in order, as HTML.
pub fn pages_to_html(
    pages: Vec<Gray>,
    engine: &dyn Recognize,
    limits: &OcrLimits,
) -> Result<String, SheetError> {
    if pages.len() > limits.max_pages {
        return Err(refuse(format!(
            "扫描件有{}页，超过可识别的{}页",
            pages.len(),
            limits.max_pages
        )));
    }
    let mut html = String::from("<!DOCTYPE html>\n<html><body>\n");
    for page in pages {
        // Pages scanned below about 300 dpi (an A4 page under 2 480 pixels across) are read
        // enlarged: tesseract reads small Chinese far better at that size.
        // The lines are found at the scan's own size (enlarging blurs them); the words are
        // read at about 300 dpi.
        let straight = page.straightened(page.skew());
        let found = rules::find(&straight);
        let factor = (2480.0 / straight.width as f64).min(3.0);
        let clean = found.wiped(&straight);
        let clean = if factor > 1.1 {
            clean.enlarged(factor)
        } else {
            clean
        };
        let pgm = clean.to_pgm();
        let scale = PAGE_WIDTH / clean.width as f32;
        let height = clean.height;
        let glyphs = |words: Vec<Word>| -> Vec<Glyph> {
            words
                .into_iter()
                .map(|w| Glyph {
                    x: w.left as f32 * scale,
                    end: (w.left + w.width) as f32 * scale,
                    y: height.saturating_sub(w.line_top + w.line_height) as f32 * scale,
                    size: w.line_height as f32 * scale,
                    text: w.text,
                    confidence: w.confidence.round() as u8,
                })
                .collect()
        };
        let text = glyphs(engine.recognize(&pgm, Pass::Text)?);
        let rules = found.rules(straight.height, PAGE_WIDTH / straight.width as f32);
        let cells = cells_read_alone(&clean, layout::cell_boxes(rules.clone()), scale, engine)?;
        write_blocks(&mut html, &layout::blocks_read_twice(text, cells, rules));
    }
    html.push_str("</body></html>\n");
    Ok(html)
}

/// Points of paper between two cells stacked for the figures' reading, in pixels.
const STACK_GAP: usize = 24;

/// Every table cell with ink, cut out and stacked one under another into one image, read
/// twice — for text (Chinese) and for figures alone — each cell taking the reading that suits
/// it: a label its Chinese, any other cell its figure. Read on their own, without the page's
/// layout to guess, cells come out far cleaner than from the page as a whole. Each reading is
/// placed back in the middle of its cell.
fn cells_read_alone(
    page: &Gray,
    cells: Vec<[f32; 4]>,
    scale: f32,
    engine: &dyn Recognize,
) -> Result<Vec<Glyph>, SheetError> {
    let dark = page.threshold();
    let to_pixels = |v: f32| (v / scale).round().max(0.0) as usize;
    // Inside the borders, clear of what wiping them left.
    let inset = (page.width / 500).max(3);
    // Each cell's pixels, a little inside its borders, if it has ink.
    let mut crops: Vec<([f32; 4], usize, usize, usize, usize)> = Vec::new();
    for [left, top, right, bottom] in cells {
        let (x0, x1) = (
            to_pixels(left) + inset,
            to_pixels(right).saturating_sub(inset),
        );
        let y0 = page.height.saturating_sub(to_pixels(top)) + inset;
        let y1 = page
            .height
            .saturating_sub(to_pixels(bottom))
            .saturating_sub(inset);
        if x1 <= x0 || y1 <= y0 || x1 > page.width || y1 > page.height {
            continue;
        }
        let inked = (y0..y1).any(|y| (x0..x1).any(|x| page.at(x, y) <= dark));
        if inked {
            crops.push(([left, top, right, bottom], x0, y0, x1, y1));
        }
    }
    if crops.is_empty() {
        return Ok(Vec::new());
    }
    let gap = (page.width / 60).max(STACK_GAP);
    let width = crops.iter().map(|c| c.3 - c.1).max().unwrap_or(0) + 2 * gap;
    let mut offsets = Vec::with_capacity(crops.len());
    let mut height = gap;
    for crop in &crops {
        offsets.push(height);
        height += crop.4 - crop.2 + gap;
    }
    let mut stack = Gray {
        width,
        height,
        pixels: vec![255; width * height],
    };
    for (crop, &offset) in crops.iter().zip(&offsets) {
        let (_, x0, y0, x1, y1) = *crop;
        for y in y0..y1 {
            let row = (offset + y - y0) * width + gap;
            stack.pixels[row..row + (x1 - x0)]
                .copy_from_slice(&page.pixels[y * page.width + x0..y * page.width + x1]);
        }
    }
    let pgm = stack.to_pgm();
    let per_cell = |words: Vec<Word>| -> Vec<Vec<Word>> {
        let mut cells: Vec<Vec<Word>> = vec![Vec::new(); crops.len()];
        for word in words {
            let middle = word.line_top + word.line_height / 2;
            let index = offsets.partition_point(|&o| o <= middle).saturating_sub(1);
            if let Some(cell) = cells.get_mut(index) {
                cell.push(word);
            }
        }
        for cell in &mut cells {
            cell.sort_by_key(|w| (w.line_top / 8, w.left));
        }
        cells
    };
    let texts = per_cell(engine.recognize(&pgm, Pass::Text)?);
    let figures = per_cell(engine.recognize(&pgm, Pass::Figures)?);
    let joined = |words: &[Word]| -> (String, u8) {
        let text: String = words.iter().map(|w| w.text.as_str()).collect();
        let confidence = words
            .iter()
            .map(|w| w.confidence.round() as u8)
            .min()
            .unwrap_or(100);
        (text, confidence)
    };
    // What each cell's text reading is: a label (two Chinese characters or more, read with
    // some confidence), a stray character or two (a figure misread, or a mark), or none.
    let characters = |words: &[Word]| -> usize {
        words
            .iter()
            .map(|w| w.text.chars().filter(|c| layout::is_cjk(*c)).count())
            .sum()
    };
    let labels: Vec<bool> = texts
        .iter()
        .map(|words| characters(words) >= 2 && layout::reads_as_chinese(&as_glyphs(words)))
        .collect();
    // A column of figures: most of its cells are no label. There a cell with no Chinese takes
    // its figure; elsewhere such a cell keeps the page's reading when this one found nothing
    // (a label's item number would otherwise pass for a figure).
    let column = |crop: &([f32; 4], usize, usize, usize, usize)| (crop.0[0] / 4.0).round() as i64;
    let mut columns: std::collections::HashMap<i64, (usize, usize)> = Default::default();
    for (crop, &label) in crops.iter().zip(&labels) {
        let entry = columns.entry(column(crop)).or_default();
        entry.0 += 1;
        entry.1 += usize::from(!label);
    }
    Ok(crops
        .iter()
        .zip(texts.iter().zip(&figures))
        .zip(&labels)
        .filter_map(|((crop, (text, figure)), &label)| {
            let (cells, figures) = columns[&column(crop)];
            let figure_column = figures * 10 >= cells * 6;
            let (read, read_confidence) = joined(text);
            let stray = !label && characters(text) > 0;
            let mark = read == "无" && read_confidence >= CERTAIN_CONFIDENCE;
            if stray && !mark && figure.is_empty() {
                // Neither a figure nor a label: the cell stays, blank and uncertain.
                let uncertain = format!("\u{FFF9}{read}\u{FFFA}0\u{FFFB}");
                return Some(in_the_middle(crop.0, uncertain, 0));
            }
            let take_figure = !figure.is_empty()
                && !label
                && !mark
                && (stray || figure_column || !text.is_empty());
            let (mut text, confidence) = if take_figure {
                joined(figure)
            } else {
                joined(text)
            };
            if take_figure {
                // Counts have no decimal point to end on; tesseract sometimes adds one.
                text = text.trim_end_matches('.').to_string();
            }
            if text.is_empty() {
                return None;
            }
            Some(in_the_middle(crop.0, text, confidence))
        })
        .collect())
}

/// A cell's reading as one glyph in the middle of the cell (left, top, right, bottom).
fn in_the_middle([left, top, right, bottom]: [f32; 4], text: String, confidence: u8) -> Glyph {
    let size = ((top - bottom) * 0.5).max(1.0);
    Glyph {
        x: left + (right - left) * 0.25,
        end: right - (right - left) * 0.25,
        y: (top + bottom) / 2.0 - size * 0.3,
        size,
        text,
        confidence,
    }
}

/// Words as glyphs, for the layout's judgement of what they are (places do not matter).
fn as_glyphs(words: &[Word]) -> Vec<Glyph> {
    words
        .iter()
        .map(|w| Glyph {
            x: 0.0,
            end: 0.0,
            y: 0.0,
            size: 1.0,
            text: w.text.clone(),
            confidence: w.confidence.round() as u8,
        })
        .collect()
}
