//! XLSX: each table on its own sheet in the official layout with merged header cells, and a
//! flat sheet (数据) with one row per cell for machines.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::{
    layout::{self, TableLayout},
    metadata_lines, title,
};
use crate::{
    export::{TableId, grid},
    model::Report,
};

pub fn render(report: &Report) -> Result<Vec<u8>, String> {
    build(report).map_err(|e| format!("XLSX 生成失败：{e}"))
}

fn build(report: &Report) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let base = Format::new()
        .set_font_name("宋体")
        .set_font_size(10.5)
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    let formats = Formats {
        header: base
            .clone()
            .set_bold()
            .set_align(FormatAlign::Center)
            .set_background_color(0xF3F5F8),
        label: base.clone().set_align(FormatAlign::Left),
        value: base.clone().set_align(FormatAlign::Center),
    };

    let about = workbook.add_worksheet().set_name("说明")?;
    about.set_column_width(0, 16)?;
    about.set_column_width(1, 60)?;
    about.write_string(0, 0, title(report))?;
    for (i, (label, value)) in metadata_lines(report).into_iter().enumerate() {
        about.write_string(i as u32 + 1, 0, label)?;
        about.write_string(i as u32 + 1, 1, value)?;
    }

    for (name, table) in [
        ("表二 主动公开", layout::table2(report)),
        ("表三 依申请公开", layout::table3(report)),
        ("表四 复议诉讼", layout::table4(report)),
    ] {
        let sheet = workbook.add_worksheet().set_name(name)?;
        draw(sheet, &table, &formats)?;
    }

    let flat = workbook.add_worksheet().set_name("数据")?;
    for (c, heading) in ["表", "行", "列", "值"].iter().enumerate() {
        flat.write_string(0, c as u16, *heading)?;
    }
    let mut row = 1u32;
    for table in [TableId::Two, TableId::Three, TableId::Four] {
        let g = grid(report, table);
        for (label, cells) in &g.rows {
            for (i, value) in cells.iter().enumerate() {
                let column = g.header.get(i + 1).cloned().unwrap_or_default();
                flat.write_string(row, 0, table.label())?;
                flat.write_string(row, 1, label)?;
                flat.write_string(row, 2, column)?;
                if !value.is_empty() {
                    write_value(flat, row, 3, value, None)?;
                }
                row += 1;
            }
        }
    }
    flat.set_column_width(1, 40)?;
    workbook.save_to_buffer()
}

struct Formats {
    header: Format,
    label: Format,
    value: Format,
}

fn draw(sheet: &mut Worksheet, table: &TableLayout, formats: &Formats) -> Result<(), XlsxError> {
    for (c, width) in table.widths.iter().enumerate() {
        sheet.set_column_width(c as u16, f64::from(*width) * 6.0)?;
    }
    for (r, c, cell) in layout::placed(table) {
        let format = if cell.header {
            &formats.header
        } else if cell.label {
            &formats.label
        } else {
            &formats.value
        };
        let (r, c) = (r as u32, c as u16);
        if cell.rows > 1 || cell.cols > 1 {
            let last_row = r + cell.rows as u32 - 1;
            let last_col = c + cell.cols as u16 - 1;
            sheet.merge_range(r, c, last_row, last_col, &cell.text, format)?;
        }
        if cell.header || cell.label {
            sheet.write_string_with_format(r, c, &cell.text, format)?;
        } else {
            write_value(sheet, r, c, &cell.text, Some(format))?;
        }
    }
    Ok(())
}

/// Figures as numbers (so sheets can sum them), blanks as blank cells.
fn write_value(
    sheet: &mut Worksheet,
    r: u32,
    c: u16,
    text: &str,
    format: Option<&Format>,
) -> Result<(), XlsxError> {
    match (text.parse::<f64>(), format) {
        (Ok(n), Some(f)) => sheet.write_number_with_format(r, c, n, f).map(|_| ()),
        (Ok(n), None) => sheet.write_number(r, c, n).map(|_| ()),
        (Err(_), Some(f)) if text.is_empty() => sheet.write_blank(r, c, f).map(|_| ()),
        (Err(_), Some(f)) => sheet.write_string_with_format(r, c, text, f).map(|_| ()),
        (Err(_), None) => sheet.write_string(r, c, text).map(|_| ()),
    }
}

/// Several agencies' tables side by side (a supervisor's roll-up): one sheet per table, one
/// block of rows per agency, blanks kept blank.
pub fn many(reports: &[(String, &Report)]) -> Result<Vec<u8>, String> {
    build_many(reports).map_err(|e| format!("XLSX 生成失败：{e}"))
}

fn build_many(reports: &[(String, &Report)]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    for (name, table) in [
        ("表二 主动公开", TableId::Two),
        ("表三 依申请公开", TableId::Three),
        ("表四 复议诉讼", TableId::Four),
    ] {
        let sheet = workbook.add_worksheet().set_name(name)?;
        sheet.set_column_width(0, 36)?;
        sheet.set_column_width(1, 40)?;
        let mut row = 0u32;
        for (agency, report) in reports {
            let g = grid(report, table);
            sheet.write_string_with_format(row, 0, "机关", &bold)?;
            for (c, heading) in g.header.iter().enumerate() {
                sheet.write_string_with_format(row, c as u16 + 1, heading, &bold)?;
            }
            row += 1;
            for (label, cells) in &g.rows {
                sheet.write_string(row, 0, agency)?;
                sheet.write_string(row, 1, label)?;
                for (i, value) in cells.iter().enumerate() {
                    if !value.is_empty() {
                        write_value(sheet, row, i as u16 + 2, value, None)?;
                    }
                }
                row += 1;
            }
            row += 1;
        }
    }
    workbook.save_to_buffer()
}
