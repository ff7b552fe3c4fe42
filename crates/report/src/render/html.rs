//! The public page: the metadata block agency sites show, the narrative, and the three
//! tables in the official layout with merged header cells.

use std::fmt::Write;

use super::{
    layout::{self, TableLayout},
    metadata_lines, narrative, title,
};
use crate::model::{Report, SectionKind};

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
            SectionKind::Proactive => table(&layout::table2(report), "table2", &mut out),
            SectionKind::Applications => table(&layout::table3(report), "table3", &mut out),
            SectionKind::Appeals => table(&layout::table4(report), "table4", &mut out),
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

fn table(layout: &TableLayout, class: &str, out: &mut String) {
    let _ = writeln!(out, "<table class=\"{class}\">");
    for row in &layout.rows {
        out.push_str("<tr>");
        for cell in row {
            let tag = if cell.header { "th" } else { "td" };
            let _ = write!(out, "<{tag}");
            if cell.rows > 1 {
                let _ = write!(out, " rowspan=\"{}\"", cell.rows);
            }
            if cell.cols > 1 {
                let _ = write!(out, " colspan=\"{}\"", cell.cols);
            }
            if cell.label {
                out.push_str(" class=\"label\"");
            }
            let _ = write!(out, ">{}</{tag}>", escape(&cell.text));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
}

pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
