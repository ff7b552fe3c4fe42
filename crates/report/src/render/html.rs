//! The public page: the metadata block agency sites show, the narrative, and the three
//! tables in the official layout with merged header cells.

use std::fmt::Write;

use super::{
    count, group_span, metadata_lines, narrative, opens_group, table2_blocks, table2_value,
    table3_label_parts, title,
};
use crate::model::{Report, SectionKind, TABLE4_COLUMNS, Table3Column, Table3Row, Table4Group};

const STYLE: &str = "body{font-family:'Noto Serif CJK SC','SimSun',serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.8;color:#1a1a1a}\
h1{text-align:center;font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}\
table{border-collapse:collapse;width:100%;margin:1rem 0;font-size:.9rem}\
td,th{border:1px solid #555;padding:.3rem .4rem;text-align:center}\
td.label{text-align:left}table.meta td,table.meta th{border:none;text-align:left}\
table.meta{background:#f3f5f8;width:auto}p{text-indent:2em;margin:.4rem 0}";

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let title = title(report);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&title)
    );
    let meta = metadata_lines(report);
    if !meta.is_empty() {
        out.push_str("<table class=\"meta\">\n");
        for pair in meta.chunks(2) {
            out.push_str("<tr>");
            for (label, value) in pair {
                let _ = write!(out, "<th>{label}：</th><td>{}</td>", escape(value));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</table>\n");
    }
    let _ = writeln!(out, "<h1>{}</h1>", escape(&title));
    for paragraph in &report.preamble {
        let _ = writeln!(out, "<p>{}</p>", escape(paragraph));
    }
    for kind in SectionKind::ALL {
        let _ = writeln!(out, "<h2>{}</h2>", kind.heading());
        match kind {
            SectionKind::Proactive => table2(report, &mut out),
            SectionKind::Applications => table3(report, &mut out),
            SectionKind::Appeals => table4(report, &mut out),
            _ => {
                for paragraph in narrative(report, kind).unwrap_or_default() {
                    let _ = writeln!(out, "<p>{}</p>", escape(paragraph));
                }
            }
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn table2(report: &Report, out: &mut String) {
    let format = report.table2.format;
    out.push_str("<table class=\"table2\">\n");
    for (heading, columns, rows) in table2_blocks(report) {
        let _ = writeln!(out, "<tr><th colspan=\"4\">{heading}</th></tr>");
        out.push_str("<tr><th>信息内容</th>");
        for (i, column) in columns.iter().enumerate() {
            let span = if i + 1 == columns.len() {
                4 - columns.len()
            } else {
                1
            };
            let _ = write!(out, "<th colspan=\"{span}\">{column}</th>");
        }
        out.push_str("</tr>\n");
        for row in rows {
            let _ = write!(
                out,
                "<tr><td class=\"label\">{}</td>",
                row.item.label(format)
            );
            for (i, cell) in row.cells.iter().enumerate() {
                let span = if i + 1 == row.cells.len() {
                    4 - row.cells.len()
                } else {
                    1
                };
                let _ = write!(out, "<td colspan=\"{span}\">{}</td>", table2_value(cell));
            }
            out.push_str("</tr>\n");
        }
    }
    out.push_str("</table>\n");
}

fn table3(report: &Report, out: &mut String) {
    let format = report.table3.format;
    out.push_str("<table class=\"table3\">\n");
    out.push_str("<tr><th colspan=\"3\" rowspan=\"3\">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</th><th colspan=\"7\">申请人情况</th></tr>\n");
    out.push_str("<tr><th rowspan=\"2\">自然人</th><th colspan=\"5\">法人或其他组织</th><th rowspan=\"2\">总计</th></tr>\n<tr>");
    for column in &Table3Column::ALL[1..6] {
        let _ = write!(out, "<th>{}</th>", column.label());
    }
    out.push_str("</tr>\n");
    let result_rows = report
        .table3
        .rows
        .iter()
        .filter(|(r, _)| r.is_result())
        .count()
        + 1;
    for (row, cells) in &report.table3.rows {
        out.push_str("<tr>");
        if super::is_first_result(*row) {
            let _ = write!(out, "<td rowspan=\"{result_rows}\">三、本年度办理结果</td>");
        }
        match row {
            Table3Row::NewlyReceived | Table3Row::CarriedOver | Table3Row::CarriedForward => {
                let _ = write!(
                    out,
                    "<td colspan=\"3\" class=\"label\">{}</td>",
                    row.label()
                );
            }
            Table3Row::Total | Table3Row::OtherHandling => {
                let _ = write!(
                    out,
                    "<td colspan=\"2\" class=\"label\">{}</td>",
                    row.label()
                );
            }
            Table3Row::Result(outcome) => {
                let (group, item) = table3_label_parts(*row);
                match group {
                    None => {
                        let _ = write!(out, "<td colspan=\"2\" class=\"label\">{item}</td>");
                    }
                    Some(group_label) => {
                        if opens_group(*row) {
                            let span = group_span(format, outcome.group());
                            let _ = write!(out, "<td rowspan=\"{span}\">{group_label}</td>");
                        }
                        let _ = write!(out, "<td class=\"label\">{item}</td>");
                    }
                }
            }
        }
        for cell in cells {
            let _ = write!(out, "<td>{}</td>", count(cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
}

fn table4(report: &Report, out: &mut String) {
    out.push_str("<table class=\"table4\">\n");
    out.push_str("<tr><th colspan=\"5\">行政复议</th><th colspan=\"10\">行政诉讼</th></tr>\n<tr>");
    for column in TABLE4_COLUMNS {
        let _ = write!(out, "<th rowspan=\"2\">{column}</th>");
    }
    for group in &Table4Group::ALL[1..] {
        let _ = write!(out, "<th colspan=\"5\">{}</th>", group.label());
    }
    out.push_str("</tr>\n<tr>");
    for _ in 0..2 {
        for column in TABLE4_COLUMNS {
            let _ = write!(out, "<th>{column}</th>");
        }
    }
    out.push_str("</tr>\n<tr>");
    for cell in report.table4.groups.iter().flatten() {
        let _ = write!(out, "<td>{}</td>", count(cell));
    }
    out.push_str("</tr>\n</table>\n");
}

pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
