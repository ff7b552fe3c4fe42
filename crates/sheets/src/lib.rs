//! Tables from uploaded spreadsheets — CSV (UTF-8, UTF-16 with a BOM, or GBK/GB18030) and XLSX (the
//! first sheet) — read within [`Limits`] checked before anything is allocated. A spreadsheet is
//! a zip of XML: a few kilobytes can declare a sheet of a million rows and sixteen thousand
//! columns, or expand to gigabytes. So the archive is measured first (entries, the bytes each
//! really expands to, the shared-string count it declares), then the sheet is read cell by
//! cell, never as a dense grid, and refused at the first cell outside the bounds.

use std::io::{Cursor, Read};

use calamine::{DataRef, Reader, Xlsx};

pub mod document;
pub mod ocr;
pub mod pdf;
pub mod report_file;
pub use document::{OfficeKind, document_limits, office_kind, office_to_html};
pub use pdf::{PdfLimits, is_pdf, pdf_to_html, pdf_to_html_with_ocr};
pub use report_file::report_text;

/// How much a table may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_rows: u32,
    pub max_columns: u32,
    /// Characters in one cell.
    pub max_cell_chars: usize,
    /// Bytes the whole XLSX archive may expand to.
    pub max_unzipped_bytes: u64,
    /// Entries in the XLSX archive.
    pub max_entries: usize,
    /// Strings the shared-string table may declare.
    pub max_shared_strings: u64,
}

impl Default for Limits {
    /// A year's register or catalog with room to spare.
    fn default() -> Self {
        Self {
            max_rows: 20_000,
            max_columns: 64,
            max_cell_chars: 4_000,
            max_unzipped_bytes: 64 * 1024 * 1024,
            max_entries: 256,
            max_shared_strings: 200_000,
        }
    }
}

/// Why a file could not be read, in Chinese, with the place where there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetError(pub String);

impl std::fmt::Display for SheetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SheetError {}

fn refuse(message: impl Into<String>) -> SheetError {
    SheetError(message.into())
}

/// Whether the file is an XLSX workbook (by name, or by its zip signature).
pub fn is_xlsx(name: &str, bytes: &[u8]) -> bool {
    name.to_ascii_lowercase().ends_with(".xlsx") || bytes.starts_with(b"PK\x03\x04")
}

/// The rows of a CSV or XLSX file, row 1 first (blank rows inside the table kept as empty, so
/// that positions are the line numbers people see).
pub fn read(name: &str, bytes: &[u8], limits: &Limits) -> Result<Vec<Vec<String>>, SheetError> {
    if is_xlsx(name, bytes) {
        read_xlsx(bytes, limits)
    } else {
        read_csv(bytes, limits)
    }
}

/// A short excerpt of a cell for a message (never the whole of a long field).
pub fn excerpt(text: &str) -> String {
    const SHOWN: usize = 20;
    if text.chars().count() <= SHOWN {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(SHOWN).collect::<String>())
    }
}

fn check_cell(row: u32, column: u32, text: &str, limits: &Limits) -> Result<(), SheetError> {
    if row >= limits.max_rows || column >= limits.max_columns {
        return Err(refuse(format!(
            "第{}行第{}列超出可导入的范围（最多{}行、{}列）：请只保留需要导入的表格",
            u64::from(row) + 1,
            u64::from(column) + 1,
            limits.max_rows,
            limits.max_columns
        )));
    }
    if text.chars().count() > limits.max_cell_chars {
        return Err(refuse(format!(
            "第{}行第{}列内容过长（不超过{}字）：“{}”",
            u64::from(row) + 1,
            u64::from(column) + 1,
            limits.max_cell_chars,
            excerpt(text)
        )));
    }
    Ok(())
}

fn put(rows: &mut Vec<Vec<String>>, row: u32, column: u32, text: String) {
    let (row, column) = (row as usize, column as usize);
    if rows.len() <= row {
        rows.resize_with(row + 1, Vec::new);
    }
    let cells = &mut rows[row];
    if cells.len() <= column {
        cells.resize(column + 1, String::new());
    }
    cells[column] = text;
}

/// Measures the archive: how many entries, what each really expands to (read through, capped),
/// and the shared-string count the workbook declares.
fn measure_zip(bytes: &[u8], limits: &Limits, kind: &str) -> Result<(), SheetError> {
    let not_xlsx = |e: &dyn std::fmt::Display| {
        refuse(format!(
            "不是可读取的 {kind}（{}）文件：{e}",
            if kind == "Word" { ".docx" } else { ".xlsx" }
        ))
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| not_xlsx(&e))?;
    if archive.len() > limits.max_entries {
        return Err(refuse(format!(
            "{kind} 文件的内部结构异常（{}个部件，超过{}个）",
            archive.len(),
            limits.max_entries
        )));
    }
    let mut total: u64 = 0;
    let mut buf = vec![0u8; 64 * 1024];
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).map_err(|e| not_xlsx(&e))?;
        let is_shared_strings = entry
            .name()
            .is_ok_and(|name| name.ends_with("sharedStrings.xml"));
        let mut head = Vec::new();
        loop {
            let n = entry.read(&mut buf).map_err(|e| not_xlsx(&e))?;
            if n == 0 {
                break;
            }
            total += n as u64;
            if total > limits.max_unzipped_bytes {
                return Err(refuse(format!(
                    "{kind} 文件解压后超过{}MB，无法读取：请删去无关的内容、图片和格式后另存",
                    limits.max_unzipped_bytes / 1024 / 1024
                )));
            }
            if is_shared_strings && head.len() < 4096 {
                head.extend_from_slice(&buf[..n.min(4096 - head.len())]);
            }
        }
        if is_shared_strings {
            check_shared_string_count(&head, limits)?;
        }
    }
    Ok(())
}

/// `<sst count="…" uniqueCount="…">`: calamine reserves room for the declared count at once.
fn check_shared_string_count(head: &[u8], limits: &Limits) -> Result<(), SheetError> {
    let text = String::from_utf8_lossy(head);
    for attribute in ["uniqueCount=\"", "count=\""] {
        let Some(start) = text.find(attribute) else {
            continue;
        };
        let digits: String = text[start + attribute.len()..]
            .chars()
            .take_while(|c| *c != '"')
            .collect();
        let declared = digits.trim().parse::<u64>().unwrap_or(u64::MAX);
        if declared > limits.max_shared_strings {
            return Err(refuse(format!(
                "Excel 文件声明了{}个不同的文本（超过{}个），无法导入",
                excerpt(&digits),
                limits.max_shared_strings
            )));
        }
    }
    Ok(())
}

fn read_xlsx(bytes: &[u8], limits: &Limits) -> Result<Vec<Vec<String>>, SheetError> {
    measure_zip(bytes, limits, "Excel")?;
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| refuse(format!("无法读取 Excel 文件：{e}")))?;
    let first = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| refuse("Excel 文件没有工作表"))?;
    read_sheet(&mut book, &first, limits)
}

/// A worksheet as read: its rows and the cells merged into one (first row and column, last
/// row and column, from 0).
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<String>>,
    pub merged: Vec<((u32, u32), (u32, u32))>,
}

/// Merged areas one worksheet may declare.
const MAX_MERGED: usize = 10_000;

/// Every worksheet, in order (a report's tables may each have their own).
pub fn read_every_sheet(bytes: &[u8], limits: &Limits) -> Result<Vec<Sheet>, SheetError> {
    measure_zip(bytes, limits, "Excel")?;
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| refuse(format!("无法读取 Excel 文件：{e}")))?;
    let names = book.sheet_names();
    let mut sheets = Vec::with_capacity(names.len());
    for name in names {
        let rows = read_sheet(&mut book, &name, limits)?;
        let merged = book.merge_cells_by_sheet_name(&name).map_err(|e| {
            refuse(format!(
                "无法读取工作表“{}”的合并单元格：{e}",
                excerpt(&name)
            ))
        })?;
        if merged.len() > MAX_MERGED {
            return Err(refuse(format!(
                "工作表“{}”有{}处合并单元格（超过{MAX_MERGED}处），不像年度报告",
                excerpt(&name),
                merged.len()
            )));
        }
        let merged = merged.into_iter().map(|d| (d.start, d.end)).collect();
        sheets.push(Sheet { name, rows, merged });
    }
    Ok(sheets)
}

fn read_sheet(
    book: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    limits: &Limits,
) -> Result<Vec<Vec<String>>, SheetError> {
    let mut cells = book
        .worksheet_cells_reader(name)
        .map_err(|e| refuse(format!("无法读取工作表：{e}")))?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    while let Some(cell) = cells
        .next_cell()
        .map_err(|e| refuse(format!("无法读取工作表：{e}")))?
    {
        let (row, column) = cell.get_position();
        let text = text_of(cell.get_value());
        // Empty cells with only a format still count against nothing.
        if text.is_empty() {
            continue;
        }
        check_cell(row, column, &text, limits)?;
        put(&mut rows, row, column, text);
    }
    Ok(rows)
}

fn text_of(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Empty => String::new(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        // Date cells as YYYY-MM-DD (Excel counts days from 1899-12-30).
        DataRef::DateTime(d) => jiff::civil::Date::new(1899, 12, 30)
            .ok()
            .and_then(|base| {
                let days = d.as_f64().floor();
                (days.abs() < 1e6)
                    .then(|| base.checked_add(jiff::Span::new().days(days as i64)).ok())
                    .flatten()
            })
            .map_or_else(String::new, |d| d.to_string()),
        DataRef::DateTimeIso(s) => s.chars().take(10).collect(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => f.to_string(),
        DataRef::String(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::Error(e) => e.to_string(),
    }
}

fn read_csv(bytes: &[u8], limits: &Limits) -> Result<Vec<Vec<String>>, SheetError> {
    // A byte-order mark names the encoding (Excel's Unicode exports are UTF-16); otherwise
    // UTF-8, else GB18030 (which reads GBK).
    let text = match encoding_rs::Encoding::for_bom(bytes) {
        Some((encoding, bom)) => encoding.decode_without_bom_handling(&bytes[bom..]).0,
        None => match std::str::from_utf8(bytes) {
            Ok(text) => std::borrow::Cow::Borrowed(text),
            Err(_) => {
                let (text, _, bad) = encoding_rs::GB18030.decode(bytes);
                if bad {
                    return Err(refuse("文件既不是 UTF-8 也不是 GBK/GB18030 编码的文本"));
                }
                text
            }
        },
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut row: u32 = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                return Err(refuse(format!(
                    "第{}行无法读取：{}",
                    u64::from(row) + 1,
                    excerpt(&e.to_string())
                )));
            }
        }
        // Trailing empty fields (spreadsheet exports pad every line) are not cells.
        let used = (0..record.len())
            .rev()
            .find(|&i| !record[i].trim().is_empty())
            .map_or(0, |last| last + 1);
        let mut cells = Vec::with_capacity(used.min(limits.max_columns as usize));
        for (column, field) in record.iter().take(used).enumerate() {
            let column = u32::try_from(column).unwrap_or(u32::MAX);
            check_cell(row, column, field, limits)?;
            cells.push(field.to_string());
        }
        rows.push(cells);
        row = row.saturating_add(1);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests;
