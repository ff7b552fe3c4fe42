//! Reports published as PDF, read from their text layer in Rust: each character where the
//! page puts it, the ruling lines the tables are drawn with, and from those the paragraphs
//! and tables (`layout`), as the plain HTML the report reader reads (the same shape as a
//! Word file's: `<p>` and `<table>` with one `<td>` per cell as a browser shows it).
//!
//! Every PDF is hostile until bounded: the file's size, the bytes any stream may inflate to,
//! the pages, and per page the drawing operations, characters, ruling lines and fonts are all
//! capped before the work they bound; a damaged content stream ends its page where it breaks.
//! A page with images and no characters is a scan: it is reported as such (read it by OCR).

mod content;
mod fonts;
pub(crate) mod layout;

use lopdf::{Document, LoadOptions};

use crate::document::escape_into;
use crate::ocr::{Gray, OcrLimits, Recognize};
use crate::{SheetError, refuse};

use self::layout::Block;

/// How much of a PDF is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PdfLimits {
    pub max_file_bytes: usize,
    pub max_pages: usize,
    /// Bytes any one stream may decompress to, and one page's content all told.
    pub max_page_bytes: usize,
    pub max_operations_per_page: usize,
    pub max_glyphs_per_page: usize,
    pub max_rules_per_page: usize,
    /// Fonts read in one document.
    pub max_fonts: usize,
}

impl Default for PdfLimits {
    /// A long report with room to spare: 200 pages, each far beyond a dense page of tables.
    fn default() -> Self {
        PdfLimits {
            max_file_bytes: 64 * 1024 * 1024,
            max_pages: 200,
            max_page_bytes: 16 * 1024 * 1024,
            max_operations_per_page: 500_000,
            max_glyphs_per_page: 100_000,
            max_rules_per_page: 20_000,
            max_fonts: 500,
        }
    }
}

/// A character where the page puts it (PDF space: points, y upwards).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Glyph {
    /// Where the pen stood, on the baseline.
    pub x: f32,
    /// Where the pen moved to.
    pub end: f32,
    pub y: f32,
    /// The font size on the page.
    pub size: f32,
    pub text: String,
    /// How sure the reading is, 0–100: a text layer is sure; OCR says.
    pub confidence: u8,
}

/// A ruling line: horizontal at `at` from `from` to `to` along x, or vertical along y.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rule {
    pub horizontal: bool,
    pub at: f32,
    pub from: f32,
    pub to: f32,
}

/// Whether the bytes are a PDF (its header may follow a little junk, as readers allow).
pub fn is_pdf(bytes: &[u8]) -> bool {
    bytes
        .get(..1024.min(bytes.len()))
        .is_some_and(|head| head.windows(5).any(|w| w == b"%PDF-"))
}

/// The PDF's text layer as HTML paragraphs and tables, page after page.
pub fn pdf_to_html(bytes: &[u8], limits: &PdfLimits) -> Result<String, SheetError> {
    pdf_to_html_with_ocr(bytes, limits, None)
}

/// As [`pdf_to_html`]; a scan (pages of images, no text) is read by `ocr` when given.
pub fn pdf_to_html_with_ocr(
    bytes: &[u8],
    limits: &PdfLimits,
    ocr: Option<(&dyn Recognize, &OcrLimits)>,
) -> Result<String, SheetError> {
    if bytes.len() > limits.max_file_bytes {
        return Err(refuse(format!(
            "PDF 文件超过{}MB，无法读取",
            limits.max_file_bytes / 1024 / 1024
        )));
    }
    // The parser is a dependency's: should it fail in a way it did not foresee, the file is
    // refused rather than the process brought down.
    // Nothing the closure touches is left half-changed by a panic: the engine only runs a program.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read(bytes, limits, ocr)))
        .unwrap_or_else(|_| {
            Err(refuse(
                "PDF 文件结构损坏，无法读取（请另存或重新导出后再试）",
            ))
        })
}

fn read(
    bytes: &[u8],
    limits: &PdfLimits,
    ocr: Option<(&dyn Recognize, &OcrLimits)>,
) -> Result<String, SheetError> {
    let options = LoadOptions {
        max_decompressed_size: Some(limits.max_page_bytes),
        ..LoadOptions::default()
    };
    let doc = Document::load_mem_with_options(bytes, options)
        .map_err(|e| refuse(format!("不是可读取的 PDF 文件（或设有打开密码）：{e}")))?;
    let pages = doc.get_pages();
    if pages.len() > limits.max_pages {
        return Err(refuse(format!(
            "PDF 有{}页，超过可读取的{}页",
            pages.len(),
            limits.max_pages
        )));
    }
    let mut player = content::Player::new(&doc, limits);
    let mut html = String::from("<!DOCTYPE html>\n<html><body>\n");
    let (mut characters, mut scanned) = (0usize, Vec::new());
    for (&number, &page) in &pages {
        let content = player.page(page, number)?;
        characters += content.glyphs.len();
        if content.glyphs.is_empty() && !content.images.is_empty() {
            scanned.push(content.images);
        }
        write_blocks(&mut html, &layout::blocks(content.glyphs, content.rules));
        if html.len() > limits.max_page_bytes * 4 {
            return Err(refuse("PDF 的文字超过可读取的篇幅"));
        }
    }
    if characters == 0 {
        if let (false, Some((engine, ocr_limits))) = (scanned.is_empty(), ocr) {
            let images = scanned
                .iter()
                .map(|images| page_image(&doc, images, ocr_limits))
                .collect::<Result<Vec<_>, _>>()?;
            return crate::ocr::pages_to_html(images, engine, ocr_limits);
        }
        return Err(refuse(if scanned.is_empty() {
            "PDF 没有文字层（没有可提取的文字）".to_string()
        } else {
            format!(
                "PDF 没有文字层：共{}页扫描图像，需经文字识别（OCR）后读取",
                scanned.len()
            )
        }));
    }
    html.push_str("</body></html>\n");
    Ok(html)
}

/// The scan of a page: the largest of its images.
fn page_image(
    doc: &Document,
    images: &[Option<lopdf::ObjectId>],
    limits: &OcrLimits,
) -> Result<Gray, SheetError> {
    let size = |s: &lopdf::Stream| {
        let n = |k: &[u8]| s.dict.get(k).and_then(lopdf::Object::as_i64).unwrap_or(0);
        n(b"Width").saturating_mul(n(b"Height"))
    };
    let largest = images
        .iter()
        .flatten()
        .filter_map(|id| doc.get_object(*id).and_then(lopdf::Object::as_stream).ok())
        .max_by_key(|s| size(s))
        .ok_or_else(|| {
            refuse("扫描页的图像写在页面内容中，暂不能识别：请导出为 PNG 或 JPEG 图片")
        })?;
    Gray::from_pdf_image(largest, limits.max_pixels)
}

pub(crate) fn write_blocks(html: &mut String, blocks: &[Block]) {
    for block in blocks {
        write_block(html, block);
    }
}

fn write_block(html: &mut String, block: &Block) {
    match block {
        Block::Paragraph(text) => {
            html.push_str("<p>");
            escape_into(html, text);
            html.push_str("</p>\n");
        }
        Block::Table(rows) => {
            html.push_str("<table>\n");
            for row in rows {
                html.push_str("<tr>");
                for cell in row {
                    html.push_str("<td");
                    if cell.rowspan > 1 {
                        html.push_str(&format!(" rowspan=\"{}\"", cell.rowspan));
                    }
                    if cell.colspan > 1 {
                        html.push_str(&format!(" colspan=\"{}\"", cell.colspan));
                    }
                    html.push('>');
                    escape_into(html, &cell.text);
                    html.push_str("</td>");
                }
                html.push_str("</tr>\n");
            }
            html.push_str("</table>\n");
        }
    }
}

#[cfg(test)]
mod tests;
