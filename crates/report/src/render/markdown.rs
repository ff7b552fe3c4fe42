//! Markdown: headings, paragraphs and pipe tables (GitHub style).

use std::fmt::Write;

use super::{metadata_lines, narrative, table2_blocks, title};
use crate::model::{CellAt, Report, SectionKind, TABLE4_COLUMNS, Table3Column, Table4Group};

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", title(report));
    for (label, value) in metadata_lines(report) {
        let _ = writeln!(out, "{label}：{}  ", escape(&value));
    }
    out.push('\n');
    for paragraph in &report.preamble {
        let _ = writeln!(out, "{}\n", escape(paragraph));
    }
    for kind in SectionKind::ALL {
        let _ = writeln!(out, "## {}\n", kind.heading());
        match kind {
            SectionKind::Proactive => table2(report, &mut out),
            SectionKind::Applications => table3(report, &mut out),
            SectionKind::Appeals => table4(report, &mut out),
            _ => {
                for paragraph in narrative(report, kind).unwrap_or_default() {
                    let _ = writeln!(out, "{}\n", escape(paragraph));
                }
            }
        }
    }
    out
}

fn row(out: &mut String, cells: &[String]) {
    let _ = writeln!(
        out,
        "| {} |",
        cells
            .iter()
            .map(|c| escape(c))
            .collect::<Vec<_>>()
            .join(" | ")
    );
}

fn rule(out: &mut String, width: usize) {
    row(out, &vec!["---".to_string(); width]);
}

fn table2(report: &Report, out: &mut String) {
    let width = 4;
    let format = report.table2.format;
    let mut first = true;
    for (heading, columns, rows) in table2_blocks(report) {
        let mut head = vec![heading.to_string()];
        head.resize(width, String::new());
        row(out, &head);
        if first {
            rule(out, width);
            first = false;
        }
        let mut names = vec!["信息内容".to_string()];
        names.extend(columns.iter().map(|c| c.to_string()));
        names.resize(width, String::new());
        row(out, &names);
        for r in rows {
            let mut cells = vec![r.item.label(format).to_string()];
            cells.extend(
                r.cells
                    .iter()
                    .enumerate()
                    .map(|(i, c)| report.shown_amount(CellAt::Table2(r.item, i), *c)),
            );
            cells.resize(width, String::new());
            row(out, &cells);
        }
    }
    out.push('\n');
}

fn table3(report: &Report, out: &mut String) {
    let mut head =
        vec!["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）".to_string()];
    head.extend(Table3Column::ALL.iter().map(|c| c.label().to_string()));
    row(out, &head);
    rule(out, 8);
    for (r, cells) in &report.table3.rows {
        if super::is_first_result(*r) {
            let mut heading = vec!["三、本年度办理结果".to_string()];
            heading.resize(8, String::new());
            row(out, &heading);
        }
        let mut line = vec![r.label()];
        line.extend(
            cells
                .iter()
                .zip(Table3Column::ALL)
                .map(|(c, column)| report.shown(CellAt::Table3(*r, column), *c)),
        );
        row(out, &line);
    }
    out.push('\n');
}

fn table4(report: &Report, out: &mut String) {
    let mut head = Vec::new();
    for group in Table4Group::ALL {
        let prefix = match group {
            Table4Group::Reconsideration => "行政复议".to_string(),
            other => format!("行政诉讼（{}）", other.label()),
        };
        head.extend(TABLE4_COLUMNS.iter().map(|c| format!("{prefix}{c}")));
    }
    row(out, &head);
    rule(out, 15);
    let cells: Vec<String> = Table4Group::ALL
        .iter()
        .flat_map(|&g| {
            let group = report.table4.group(g).iter().enumerate();
            group.map(move |(i, c)| report.shown(CellAt::Table4(g, i), *c))
        })
        .collect();
    row(out, &cells);
    out.push('\n');
}

/// Keeps text from being read as Markdown table syntax.
fn escape(text: &str) -> String {
    text.replace('|', "\\|")
}
