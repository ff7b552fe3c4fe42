//! The official layout of tables 二, 三 and 四 (国办公开办函〔2021〕30号 and the 2019 trial
//! format), described once as rows of cells with spans, HTML-style: a cell covered by a span
//! from above or the left is simply absent. HTML, DOCX, XLSX and PDF all draw from this.

use gongkai_law::Outcome;

use super::{group_span, opens_group, table2_blocks, table3_label_parts};
use crate::model::{CellAt, Report, TABLE4_COLUMNS, Table3Column, Table3Row, Table4Group};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub rows: usize,
    pub cols: usize,
    /// A heading cell (bold, shaded) rather than a label or a figure.
    pub header: bool,
    /// A row label: left-aligned.
    pub label: bool,
}

impl Cell {
    fn head(text: impl Into<String>, rows: usize, cols: usize) -> Self {
        Self {
            text: text.into(),
            rows,
            cols,
            header: true,
            label: false,
        }
    }

    fn label(text: impl Into<String>, rows: usize, cols: usize) -> Self {
        Self {
            text: text.into(),
            rows,
            cols,
            header: false,
            label: true,
        }
    }

    fn value(text: impl Into<String>, cols: usize) -> Self {
        Self {
            text: text.into(),
            rows: 1,
            cols,
            header: false,
            label: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableLayout {
    pub columns: usize,
    pub rows: Vec<Vec<Cell>>,
    /// Relative column widths.
    pub widths: Vec<u32>,
}

/// Where each cell lands on the full grid: (row, column, cell).
pub fn placed(table: &TableLayout) -> Vec<(usize, usize, &Cell)> {
    let height = table.rows.len();
    let mut taken = vec![vec![false; table.columns]; height];
    let mut out = Vec::new();
    for (r, row) in table.rows.iter().enumerate() {
        let mut c = 0;
        for cell in row {
            while c < table.columns && taken[r][c] {
                c += 1;
            }
            if c >= table.columns {
                break;
            }
            for covered_row in taken.iter_mut().skip(r).take(cell.rows) {
                for slot in covered_row.iter_mut().skip(c).take(cell.cols) {
                    *slot = true;
                }
            }
            out.push((r, c, cell));
            c += cell.cols;
        }
    }
    out
}

pub fn table2(report: &Report) -> TableLayout {
    let format = report.table2.format;
    let mut rows = Vec::new();
    for (heading, columns, items) in table2_blocks(report) {
        rows.push(vec![Cell::head(heading, 1, 4)]);
        let mut names = vec![Cell::head("信息内容", 1, 1)];
        for (i, column) in columns.iter().enumerate() {
            let span = if i + 1 == columns.len() {
                4 - columns.len()
            } else {
                1
            };
            names.push(Cell::head(*column, 1, span));
        }
        rows.push(names);
        for item in items {
            let mut row = vec![Cell::label(item.item.label(format), 1, 1)];
            for (i, cell) in item.cells.iter().enumerate() {
                let span = if i + 1 == item.cells.len() {
                    4 - item.cells.len()
                } else {
                    1
                };
                let at = CellAt::Table2(item.item, i);
                row.push(Cell::value(report.shown_amount(at, *cell), span));
            }
            rows.push(row);
        }
    }
    TableLayout {
        columns: 4,
        rows,
        widths: vec![3, 2, 2, 2],
    }
}

pub fn table3(report: &Report) -> TableLayout {
    let format = report.table3.format;
    let mut rows = vec![
        vec![
            Cell::head(
                "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                3,
                3,
            ),
            Cell::head("申请人情况", 1, 7),
        ],
        vec![
            Cell::head("自然人", 2, 1),
            Cell::head("法人或其他组织", 1, 5),
            Cell::head("总计", 2, 1),
        ],
        Table3Column::ALL[1..6]
            .iter()
            .map(|c| Cell::head(c.label(), 1, 1))
            .collect(),
    ];
    let result_rows = report
        .table3
        .rows
        .iter()
        .filter(|(r, _)| r.is_result())
        .count()
        + 1;
    for (row, cells) in &report.table3.rows {
        let mut line = Vec::new();
        if *row == Table3Row::Result(Outcome::Disclosed) {
            line.push(Cell::label("三、本年度办理结果", result_rows, 1));
        }
        match row {
            Table3Row::NewlyReceived | Table3Row::CarriedOver | Table3Row::CarriedForward => {
                line.push(Cell::label(row.label(), 1, 3));
            }
            Table3Row::Total | Table3Row::OtherHandling => {
                line.push(Cell::label(row.label(), 1, 2))
            }
            Table3Row::Result(outcome) => {
                let (group, item) = table3_label_parts(*row);
                match group {
                    None => line.push(Cell::label(item, 1, 2)),
                    Some(group_label) => {
                        if opens_group(*row) {
                            line.push(Cell::label(
                                group_label,
                                group_span(format, outcome.group()),
                                1,
                            ));
                        }
                        line.push(Cell::label(item, 1, 1));
                    }
                }
            }
        }
        line.extend(
            cells
                .iter()
                .zip(Table3Column::ALL)
                .map(|(c, column)| Cell::value(report.shown(CellAt::Table3(*row, column), *c), 1)),
        );
        rows.push(line);
    }
    TableLayout {
        columns: 10,
        rows,
        widths: vec![3, 3, 10, 2, 2, 2, 2, 2, 2, 2],
    }
}

pub fn table4(report: &Report) -> TableLayout {
    let mut second: Vec<Cell> = TABLE4_COLUMNS
        .iter()
        .map(|c| Cell::head(*c, 2, 1))
        .collect();
    second.extend(
        Table4Group::ALL[1..]
            .iter()
            .map(|g| Cell::head(g.label(), 1, 5)),
    );
    let third = (0..2)
        .flat_map(|_| TABLE4_COLUMNS.iter().map(|c| Cell::head(*c, 1, 1)))
        .collect();
    TableLayout {
        columns: 15,
        rows: vec![
            vec![Cell::head("行政复议", 1, 5), Cell::head("行政诉讼", 1, 10)],
            second,
            third,
            Table4Group::ALL
                .iter()
                .flat_map(|&g| {
                    report
                        .table4
                        .group(g)
                        .iter()
                        .enumerate()
                        .map(move |(i, c)| Cell::value(report.shown(CellAt::Table4(g, i), *c), 1))
                })
                .collect(),
        ],
        widths: vec![1; 15],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Format;

    #[test]
    fn every_row_fills_the_grid() {
        for format in [Format::Current2021, Format::Trial2019] {
            let report = Report::blank(format);
            for table in [table2(&report), table3(&report), table4(&report)] {
                let cells = placed(&table);
                let area: usize = cells.iter().map(|(_, _, c)| c.rows * c.cols).sum();
                assert_eq!(area, table.columns * table.rows.len(), "{format:?}");
                assert!(
                    cells
                        .iter()
                        .all(|(r, c, cell)| r + cell.rows <= table.rows.len()
                            && c + cell.cols <= table.columns)
                );
            }
        }
    }
}
