//! DOCX in the layout of official documents (GB/T 9704): A4, 仿宋 body in 三号, 黑体 section
//! headings, the tables in 宋体 五号 with the official merged header cells, page numbers.

use docx_rs::{
    AlignmentType, Docx, Footer, PageMargin, PageNum, Paragraph, Run, RunFonts, Shading, Table,
    TableCell, TableRow, VMergeType, WidthType,
};

use super::{
    layout::{self, TableLayout},
    metadata_lines, narrative, title,
};
use crate::model::{Report, SectionKind};

/// A4 in twentieths of a point.
const PAGE: (u32, u32) = (11_906, 16_838);
/// GB/T 9704 margins: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
const MARGINS: (i32, i32, i32, i32) = (2_098, 1_984, 1_587, 1_474);
const TEXT_WIDTH: usize = (PAGE.0 as i32 - MARGINS.2 - MARGINS.3) as usize;

/// Half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt, 五号 10.5 pt.
const SIZE_TITLE: usize = 44;
const SIZE_BODY: usize = 32;
const SIZE_META: usize = 24;
const SIZE_TABLE: usize = 21;

fn run(text: &str, font: &str, size: usize) -> Run {
    Run::new()
        .add_text(text)
        .fonts(RunFonts::new().east_asia(font).ascii(font).hi_ansi(font))
        .size(size)
}

fn body(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, "仿宋", SIZE_BODY))
        .first_line_chars(200)
}

pub fn render(report: &Report) -> Result<Vec<u8>, String> {
    let footer = Footer::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_page_num(PageNum::new()),
    );
    let mut doc = Docx::new()
        .page_size(PAGE.0, PAGE.1)
        .page_margin(
            PageMargin::new()
                .top(MARGINS.0)
                .bottom(MARGINS.1)
                .left(MARGINS.2)
                .right(MARGINS.3),
        )
        .footer(footer);
    for (label, value) in metadata_lines(report) {
        doc = doc.add_paragraph(Paragraph::new().add_run(run(
            &format!("{label}：{value}"),
            "仿宋",
            SIZE_META,
        )));
    }
    doc = doc.add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(run(&title(report), "宋体", SIZE_TITLE).bold()),
    );
    for paragraph in &report.preamble {
        doc = doc.add_paragraph(body(paragraph));
    }
    for kind in SectionKind::ALL {
        doc = doc.add_paragraph(
            Paragraph::new()
                .add_run(run(kind.heading(), "黑体", SIZE_BODY))
                .first_line_chars(200),
        );
        doc = match kind {
            SectionKind::Proactive => doc.add_table(table(&layout::table2(report))),
            SectionKind::Applications => doc.add_table(table(&layout::table3(report))),
            SectionKind::Appeals => doc.add_table(table(&layout::table4(report))),
            _ => narrative(report, kind)
                .unwrap_or_default()
                .iter()
                .fold(doc, |doc, p| doc.add_paragraph(body(p))),
        };
    }
    let mut bytes = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut bytes)
        .map_err(|e| format!("DOCX 打包失败：{e}"))?;
    Ok(bytes.into_inner())
}

/// Word expresses a vertical merge with a "continue" cell in every covered row.
fn table(layout: &TableLayout) -> Table {
    let placed = layout::placed(layout);
    let total: u32 = layout.widths.iter().sum();
    let grid: Vec<usize> = layout
        .widths
        .iter()
        .map(|w| TEXT_WIDTH * *w as usize / total as usize)
        .collect();
    let width_of = |c: usize, cols: usize| grid[c..c + cols].iter().sum::<usize>();
    let rows = (0..layout.rows.len())
        .map(|r| {
            let mut cells = Vec::new();
            let mut c = 0;
            while c < layout.columns {
                if let Some((_, _, cell)) = placed.iter().find(|(pr, pc, _)| *pr == r && *pc == c) {
                    let mut tc = TableCell::new()
                        .add_paragraph(cell_paragraph(cell))
                        .width(width_of(c, cell.cols), WidthType::Dxa);
                    if cell.cols > 1 {
                        tc = tc.grid_span(cell.cols);
                    }
                    if cell.rows > 1 {
                        tc = tc.vertical_merge(VMergeType::Restart);
                    }
                    if cell.header {
                        tc = tc.shading(Shading::new().fill("F3F5F8"));
                    }
                    cells.push(tc);
                    c += cell.cols;
                } else if let Some((_, _, above)) = placed
                    .iter()
                    .find(|(pr, pc, cell)| *pc == c && *pr < r && r < pr + cell.rows)
                {
                    let mut tc = TableCell::new()
                        .add_paragraph(Paragraph::new())
                        .vertical_merge(VMergeType::Continue)
                        .width(width_of(c, above.cols), WidthType::Dxa);
                    if above.cols > 1 {
                        tc = tc.grid_span(above.cols);
                    }
                    cells.push(tc);
                    c += above.cols;
                } else {
                    cells.push(TableCell::new().add_paragraph(Paragraph::new()));
                    c += 1;
                }
            }
            TableRow::new(cells)
        })
        .collect();
    Table::new(rows)
        .set_grid(grid)
        .width(TEXT_WIDTH, WidthType::Dxa)
}

fn cell_paragraph(cell: &layout::Cell) -> Paragraph {
    let mut text = run(&cell.text, "宋体", SIZE_TABLE);
    if cell.header {
        text = text.bold();
    }
    let align = if cell.label {
        AlignmentType::Left
    } else {
        AlignmentType::Center
    };
    Paragraph::new().align(align).add_run(text)
}
