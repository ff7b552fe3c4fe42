//! Tables out as CSV and JSON. The CSV is a contract other tools depend on: a header row,
//! then data rows only, label first; a blank cell is empty, or holds the mark it was
//! written with (—, /, 无, 不适用) — never a 0. In JSON a blank cell is null, and a row with
//! marked blanks carries them in `blanks`, cell for cell.

use serde_json::{Value, json};

use crate::model::{Blank, CellAt, Format, Report, TABLE4_COLUMNS, Table3Column, Table4Group};

/// The three tables of the format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableId {
    /// 表二 主动公开政府信息情况
    Two,
    /// 表三 收到和处理政府信息公开申请情况
    Three,
    /// 表四 政府信息公开行政复议、行政诉讼情况
    Four,
}

impl TableId {
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "2" | "二" => Some(Self::Two),
            "3" | "三" => Some(Self::Three),
            "4" | "四" => Some(Self::Four),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Two => "表二",
            Self::Three => "表三",
            Self::Four => "表四",
        }
    }
}

/// A table as a header and rows of (label, cells), cells as text, blank = empty.
pub struct Grid {
    pub header: Vec<String>,
    pub rows: Vec<(String, Vec<String>)>,
}

pub fn grid(report: &Report, table: TableId) -> Grid {
    match table {
        TableId::Three => Grid {
            header: std::iter::once("项目".to_string())
                .chain(Table3Column::ALL.iter().map(|c| c.label().to_string()))
                .collect(),
            rows: report
                .table3
                .rows
                .iter()
                .map(|(row, cells)| {
                    let shown = cells
                        .iter()
                        .zip(Table3Column::ALL)
                        .map(|(c, column)| report.shown(CellAt::Table3(*row, column), *c));
                    (row.short_label(), shown.collect())
                })
                .collect(),
        },
        TableId::Four => Grid {
            header: std::iter::once("项目".to_string())
                .chain(TABLE4_COLUMNS.iter().map(|c| c.to_string()))
                .collect(),
            rows: Table4Group::ALL
                .iter()
                .map(|&g| {
                    (
                        g.label().to_string(),
                        report
                            .table4
                            .group(g)
                            .iter()
                            .enumerate()
                            .map(|(i, c)| report.shown(CellAt::Table4(g, i), *c))
                            .collect(),
                    )
                })
                .collect(),
        },
        TableId::Two => {
            let format = report.table2.format;
            let width = report
                .table2
                .rows
                .iter()
                .map(|r| r.cells.len())
                .max()
                .unwrap_or(3)
                .max(3);
            let first = crate::model::Table2Item::Regulations.columns(format);
            let mut header = vec!["信息内容".to_string()];
            header.extend(first.iter().map(|c| c.to_string()));
            header.resize(width + 1, String::new());
            Grid {
                header,
                rows: report
                    .table2
                    .rows
                    .iter()
                    .map(|row| {
                        let mut cells: Vec<String> = row
                            .cells
                            .iter()
                            .enumerate()
                            .map(|(i, c)| report.shown_amount(CellAt::Table2(row.item, i), *c))
                            .collect();
                        cells.resize(width, String::new());
                        (row.item.label(format).to_string(), cells)
                    })
                    .collect(),
            }
        }
    }
}

pub fn to_csv(grid: &Grid) -> String {
    let mut out = String::new();
    out.push_str(
        &grid
            .header
            .iter()
            .map(|h| csv_field(h))
            .collect::<Vec<_>>()
            .join(","),
    );
    out.push('\n');
    for (label, cells) in &grid.rows {
        out.push_str(&csv_field(label));
        for cell in cells {
            out.push(',');
            out.push_str(&csv_field(cell));
        }
        out.push('\n');
    }
    out
}

pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

pub fn to_json(report: &Report, table: TableId) -> Value {
    let grid = grid(report, table);
    let rows: Vec<Value> = grid
        .rows
        .iter()
        .map(|(label, cells)| {
            let marked = |c: &str| c.is_empty() || Blank::from_mark(c).is_some();
            let values: Vec<Value> = cells
                .iter()
                .map(|c| {
                    if marked(c) {
                        Value::Null
                    } else {
                        number_value(c)
                    }
                })
                .collect();
            if cells.iter().any(|c| !c.is_empty() && marked(c)) {
                let blanks: Vec<Value> = cells
                    .iter()
                    .map(|c| match marked(c) && !c.is_empty() {
                        true => json!(c),
                        false => Value::Null,
                    })
                    .collect();
                json!({"label": label, "cells": values, "blanks": blanks})
            } else {
                json!({"label": label, "cells": values})
            }
        })
        .collect();
    json!({
        "table": table.label(),
        "format": format_of(report, table).code(),
        "columns": grid.header[1..],
        "rows": rows,
    })
}

fn format_of(report: &Report, table: TableId) -> Format {
    match table {
        TableId::Two => report.table2.format,
        _ => report.format,
    }
}

/// Integers as JSON numbers, decimals as strings (exact).
fn number_value(text: &str) -> Value {
    match text.parse::<u64>() {
        Ok(n) => json!(n),
        Err(_) => json!(text),
    }
}
