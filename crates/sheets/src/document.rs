//! Published reports as office files: a Word document (.docx) or a workbook (.xlsx) as the
//! plain HTML the report reader reads — paragraphs as `<p>`, tables as `<table>` with one `<td>`
//! per cell as Word and Excel show it (a cell merged across columns once; the cells a vertical
//! merge continues left out, as a browser shows them). Read within [`Limits`] like any upload:
//! the archive is measured before any part is parsed.

use std::io::{Cursor, Read};

use quick_xml::{Reader, events::Event};

use crate::{Limits, SheetError, measure_zip, refuse};

/// Which office file a zip archive is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfficeKind {
    /// Word 文档 (.docx)
    Docx,
    /// Excel 工作簿 (.xlsx)
    Xlsx,
}

/// Bounds for a report document: larger than a register upload (fonts and pictures ride along).
pub fn document_limits() -> Limits {
    Limits {
        max_rows: 2_000,
        max_columns: 64,
        max_cell_chars: 20_000,
        max_unzipped_bytes: 64 * 1024 * 1024,
        max_entries: 2_000,
        max_shared_strings: 200_000,
    }
}

/// The office file `bytes` hold, by the parts the archive lists; `None` for anything else.
pub fn office_kind(bytes: &[u8]) -> Option<OfficeKind> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return None;
    }
    let archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    archive
        .file_names()
        .flatten()
        .find_map(|name| match name.as_ref() {
            "word/document.xml" => Some(OfficeKind::Docx),
            "xl/workbook.xml" => Some(OfficeKind::Xlsx),
            _ => None,
        })
}

/// The document as HTML for the report reader, whichever office file it is.
pub fn office_to_html(bytes: &[u8], limits: &Limits) -> Result<String, SheetError> {
    match office_kind(bytes) {
        Some(OfficeKind::Docx) => docx_to_html(bytes, limits),
        Some(OfficeKind::Xlsx) => xlsx_to_html(bytes, limits),
        None => Err(refuse(
            "不是 Word（.docx）或 Excel（.xlsx）文件；旧版 .doc/.xls 请另存为新格式",
        )),
    }
}

/// A Word document's body: its paragraphs and tables in order.
pub fn docx_to_html(bytes: &[u8], limits: &Limits) -> Result<String, SheetError> {
    measure_zip(bytes, limits, "Word")?;
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| refuse(format!("不是可读取的 Word（.docx）文件：{e}")))?;
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .map_err(|e| refuse(format!("Word 文件缺少正文部件：{e}")))?
        .read_to_string(&mut xml)
        .map_err(|e| refuse(format!("无法读取 Word 正文：{e}")))?;
    let mut html = Html::default();
    let mut reader = Reader::from_str(&xml);
    // Where the reader is: the open tables (a cell's text gathers paragraphs), the paragraph.
    let mut tables: Vec<Table> = Vec::new();
    let mut paragraph = String::new();
    let mut in_text = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| refuse(format!("Word 正文不是有效的 XML：{e}")))?;
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                "tbl" => tables.push(Table::default()),
                "tr" => {
                    if let Some(t) = tables.last_mut() {
                        t.rows.push(Vec::new());
                    }
                }
                "tc" => {
                    if let Some(t) = tables.last_mut() {
                        t.cell = Some(Cell::default());
                    }
                }
                "t" => in_text = true,
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "tab" => paragraph.push(' '),
                "br" | "cr" => paragraph.push('\n'),
                // `<w:vMerge/>` (no value, or "continue") continues the cell above.
                "vMerge" => {
                    let restarts = e.attributes().flatten().any(|a| {
                        a.key.local_name().as_ref() == "val" && a.value.as_ref() == "restart"
                    });
                    if !restarts && let Some(cell) = tables.last_mut().and_then(|t| t.cell.as_mut())
                    {
                        cell.continues_above = true;
                    }
                }
                "gridSpan" => {
                    let span = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == "val")
                        .and_then(|a| a.value.trim().parse::<u32>().ok());
                    if let (Some(span), Some(cell)) =
                        (span, tables.last_mut().and_then(|t| t.cell.as_mut()))
                    {
                        cell.span = span.clamp(1, limits.max_columns);
                    }
                }
                _ => {}
            },
            Event::Text(t) if in_text => {
                paragraph.push_str(&t.xml10_content());
            }
            Event::GeneralRef(r) if in_text => {
                // &amp; and the like inside w:t
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    paragraph.push(c);
                } else {
                    match r.as_ref() {
                        "amp" => paragraph.push('&'),
                        "lt" => paragraph.push('<'),
                        "gt" => paragraph.push('>'),
                        "quot" => paragraph.push('"'),
                        "apos" => paragraph.push('\''),
                        _ => {}
                    }
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" => {
                    let text = std::mem::take(&mut paragraph);
                    match tables.last_mut().and_then(|t| t.cell.as_mut()) {
                        Some(cell) => {
                            if !cell.text.is_empty() {
                                cell.text.push('\n');
                            }
                            cell.text.push_str(&text);
                            check_length(&cell.text, limits)?;
                        }
                        None => html.paragraph(&text, limits)?,
                    }
                }
                "tc" => {
                    if let Some(t) = tables.last_mut()
                        && let Some(cell) = t.cell.take()
                    {
                        let row = t.rows.len();
                        if let Some(cells) = t.rows.last_mut() {
                            if cells.len() >= limits.max_columns as usize {
                                return Err(too_wide(row, limits));
                            }
                            cells.push(cell);
                        }
                    }
                }
                "tr" => {
                    if let Some(t) = tables.last()
                        && t.rows.len() > limits.max_rows as usize
                    {
                        return Err(too_long(limits));
                    }
                }
                "tbl" => {
                    if let Some(done) = tables.pop() {
                        match tables.last_mut().and_then(|t| t.cell.as_mut()) {
                            // A table inside a cell: its text joins the cell.
                            Some(outer) => outer.text.push_str(&done.as_text()),
                            None => html.table(&done, limits)?,
                        }
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(html.finish())
}

/// The header of the flat sheet gongkai's workbooks end with.
const FLAT_HEADER: [&str; 4] = ["表", "行", "列", "值"];

/// Every worksheet of a workbook as a table, under its name; a merged area is one cell, as
/// Excel shows it.
pub fn xlsx_to_html(bytes: &[u8], limits: &Limits) -> Result<String, SheetError> {
    let mut html = Html::default();
    for sheet in crate::read_every_sheet(bytes, limits)? {
        // gongkai's own workbooks repeat the tables as rows (表, 行, 列, 值) after them: the
        // tables are read from their own sheets, as their text would be.
        if sheet.rows.first().is_some_and(|head| head == &FLAT_HEADER) {
            continue;
        }
        html.paragraph(&sheet.name, limits)?;
        let width = sheet
            .rows
            .iter()
            .map(Vec::len)
            .chain(sheet.merged.iter().map(|(_, end)| end.1 as usize + 1))
            .max()
            .unwrap_or(0)
            .min(limits.max_columns as usize);
        let merge_at = |row: u32, column: u32| {
            sheet.merged.iter().find(|((r0, c0), (r1, c1))| {
                (*r0..=*r1).contains(&row) && (*c0..=*c1).contains(&column)
            })
        };
        let mut rows = Vec::with_capacity(sheet.rows.len());
        for (r, cells) in sheet.rows.iter().enumerate() {
            let mut row = Vec::new();
            for c in 0..width {
                let (r, c) = (r as u32, c as u32);
                let text = cells.get(c as usize).cloned().unwrap_or_default();
                match merge_at(r, c) {
                    Some(((r0, c0), (_, c1))) if (*r0, *c0) == (r, c) => row.push(Cell {
                        text,
                        span: c1 - c0 + 1,
                        continues_above: false,
                    }),
                    Some(_) => {}
                    None => row.push(Cell {
                        text,
                        ..Cell::default()
                    }),
                }
            }
            rows.push(row);
        }
        html.table(&Table { rows, cell: None }, limits)?;
    }
    Ok(html.finish())
}

#[derive(Default)]
struct Table {
    rows: Vec<Vec<Cell>>,
    cell: Option<Cell>,
}

impl Table {
    fn as_text(&self) -> String {
        self.rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| c.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

struct Cell {
    text: String,
    span: u32,
    continues_above: bool,
}

impl Default for Cell {
    fn default() -> Self {
        Self {
            text: String::new(),
            span: 1,
            continues_above: false,
        }
    }
}

/// The HTML being written, with its size bounded by what the archive could expand to.
#[derive(Default)]
struct Html(String);

impl Html {
    fn paragraph(&mut self, text: &str, limits: &Limits) -> Result<(), SheetError> {
        self.0.push_str("<p>");
        escape_into(&mut self.0, text);
        self.0.push_str("</p>\n");
        self.bounded(limits)
    }

    fn table(&mut self, table: &Table, limits: &Limits) -> Result<(), SheetError> {
        self.0.push_str("<table>\n");
        for row in &table.rows {
            self.0.push_str("<tr>");
            for cell in row.iter().filter(|c| !c.continues_above) {
                if cell.span > 1 {
                    self.0.push_str(&format!("<td colspan=\"{}\">", cell.span));
                } else {
                    self.0.push_str("<td>");
                }
                escape_into(&mut self.0, &cell.text);
                self.0.push_str("</td>");
            }
            self.0.push_str("</tr>\n");
        }
        self.0.push_str("</table>\n");
        self.bounded(limits)
    }

    fn bounded(&self, limits: &Limits) -> Result<(), SheetError> {
        if self.0.len() as u64 > limits.max_unzipped_bytes {
            return Err(refuse(format!(
                "文件内容超过{}MB，无法读取",
                limits.max_unzipped_bytes / 1024 / 1024
            )));
        }
        Ok(())
    }

    fn finish(self) -> String {
        format!("<!DOCTYPE html>\n<html><body>\n{}</body></html>\n", self.0)
    }
}

pub(crate) fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
}

fn check_length(text: &str, limits: &Limits) -> Result<(), SheetError> {
    if text.chars().count() > limits.max_cell_chars {
        return Err(refuse(format!(
            "表格中有单元格超过{}字：“{}”",
            limits.max_cell_chars,
            crate::excerpt(text)
        )));
    }
    Ok(())
}

fn too_wide(row: usize, limits: &Limits) -> SheetError {
    refuse(format!(
        "表格第{row}行超过{}列，不像年度报告的表格",
        limits.max_columns
    ))
}

fn too_long(limits: &Limits) -> SheetError {
    refuse(format!("表格超过{}行，不像年度报告的表格", limits.max_rows))
}
