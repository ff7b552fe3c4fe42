//! The whole report as JSON: what `gongkai report render` takes besides published text, and
//! what the site offers for download. Cells are numbers (counts), strings (exact amounts)
//! or null (blank).

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use crate::model::{
    Blank, CellAt, Count, Format, Metadata, Report, Section, SectionKind, Table2Item, Table2Row,
    Table3Column, Table3Row, Table4Group,
};

pub fn to_json(report: &Report) -> Value {
    let m = &report.meta;
    json!({
        "format": report.format.code(),
        "meta": {
            "title": m.title, "year": m.year, "agency": m.agency, "index_number": m.index_number,
            "catalog": m.catalog, "written_date": m.written_date, "published_date": m.published_date,
        },
        "preamble": report.preamble,
        "sections": report.sections.iter().map(|s| json!({
            "kind": s.kind.code(), "heading": s.kind.heading(), "paragraphs": s.paragraphs,
        })).collect::<Vec<_>>(),
        "table2": {
            "format": report.table2.format.code(),
            "rows": report.table2.rows.iter().map(|r| json!({
                "item": r.item.code(),
                "label": r.item.label(report.table2.format),
                "cells": r.cells.iter().map(|c| c.map(|d| d.normalize().to_string())).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        },
        "table3": {
            "rows": report.table3.rows.iter().map(|(row, cells)| json!({
                "row": row.code(), "label": row.short_label(), "cells": cells,
            })).collect::<Vec<_>>(),
        },
        "table4": {
            "groups": Table4Group::ALL.iter().map(|&g| json!({
                "group": g.code(), "label": g.label(), "cells": report.table4.group(g),
            })).collect::<Vec<_>>(),
        },
        "blanks": report.blanks.iter().map(|(at, blank)| blank_json(at, blank)).collect::<Vec<_>>(),
    })
}

/// A blank cell as written: where it is (`table`, `row`, `column` index) and its `kind`.
fn blank_json(at: &CellAt, blank: &Blank) -> Value {
    let (table, row, column) = match at {
        CellAt::Table2(item, column) => ("2", item.code(), *column),
        CellAt::Table3(row, column) => ("3", row.code(), column.index()),
        CellAt::Table4(group, column) => ("4", group.code(), *column),
    };
    let mut value =
        json!({ "table": table, "row": row, "column": column, "kind": blank_kind(blank) });
    if let Blank::Uncertain { read, confidence } = blank {
        value["read"] = json!(read);
        value["confidence"] = json!(confidence);
    }
    value
}

fn blank_kind(blank: &Blank) -> &'static str {
    match blank {
        Blank::Empty => "empty",
        Blank::Dash => "dash",
        Blank::Slash => "slash",
        Blank::Nothing => "nothing",
        Blank::NotApplicable => "not_applicable",
        Blank::Uncertain { .. } => "uncertain",
    }
}

fn blank_from_json(i: usize, value: &Value) -> Result<(CellAt, Blank), String> {
    let wrong = |field: &str| format!("blanks[{i}].{field} 不正确");
    let row = value
        .get("row")
        .and_then(Value::as_str)
        .ok_or_else(|| wrong("row"))?;
    let column = value
        .get("column")
        .and_then(Value::as_u64)
        .ok_or_else(|| wrong("column"))? as usize;
    let at = match value.get("table").and_then(Value::as_str) {
        Some("2") => CellAt::Table2(
            Table2Item::from_code(row).ok_or_else(|| wrong("row"))?,
            column,
        ),
        Some("3") => CellAt::Table3(
            Table3Row::from_code(row).ok_or_else(|| wrong("row"))?,
            *Table3Column::ALL
                .get(column)
                .ok_or_else(|| wrong("column"))?,
        ),
        Some("4") => {
            let group = Table4Group::ALL.into_iter().find(|g| g.code() == row);
            CellAt::Table4(group.ok_or_else(|| wrong("row"))?, column)
        }
        _ => return Err(wrong("table")),
    };
    let blank = match value.get("kind").and_then(Value::as_str) {
        Some("empty") => Blank::Empty,
        Some("dash") => Blank::Dash,
        Some("slash") => Blank::Slash,
        Some("nothing") => Blank::Nothing,
        Some("not_applicable") => Blank::NotApplicable,
        Some("uncertain") => Blank::Uncertain {
            read: value
                .get("read")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            confidence: value
                .get("confidence")
                .and_then(Value::as_u64)
                .map_or(0, |c| c.min(100) as u8),
        },
        _ => return Err(wrong("kind")),
    };
    Ok((at, blank))
}

/// Reads the JSON model back; the message says which field is wrong.
pub fn from_json(text: &str) -> Result<Report, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("JSON 无法解析：{e}"))?;
    let root = value.as_object().ok_or("JSON 顶层应为对象")?;
    let format = str_field(root, "format")
        .and_then(Format::from_code)
        .ok_or("format 应为 \"2019\" 或 \"2021\"")?;
    let mut report = Report::blank(format);
    if let Some(meta) = root.get("meta").and_then(Value::as_object) {
        let text = |key: &str| str_field(meta, key).map(str::to_string);
        report.meta = Metadata {
            title: text("title"),
            year: meta.get("year").and_then(Value::as_i64).map(|y| y as i32),
            agency: text("agency"),
            index_number: text("index_number"),
            catalog: text("catalog"),
            written_date: text("written_date"),
            published_date: text("published_date"),
        };
    }
    report.preamble = strings(root.get("preamble"));
    for (i, section) in array(root, "sections")?.iter().enumerate() {
        let kind = section
            .get("kind")
            .and_then(Value::as_str)
            .and_then(SectionKind::from_code)
            .ok_or_else(|| format!("sections[{i}].kind 不是已知的部分"))?;
        report.sections.push(Section {
            kind,
            paragraphs: strings(section.get("paragraphs")),
        });
    }
    if let Some(table2) = root.get("table2").and_then(Value::as_object) {
        let t2_format = str_field(table2, "format")
            .and_then(Format::from_code)
            .unwrap_or(format);
        report.table2.format = t2_format;
        report.table2.rows.clear();
        for (i, row) in array(table2, "rows")?.iter().enumerate() {
            let item = row
                .get("item")
                .and_then(Value::as_str)
                .and_then(Table2Item::from_code)
                .ok_or_else(|| format!("table2.rows[{i}].item 不是已知的行"))?;
            let cells = row
                .get("cells")
                .and_then(Value::as_array)
                .ok_or_else(|| format!("table2.rows[{i}].cells 缺失"))?
                .iter()
                .enumerate()
                .map(|(j, c)| match c {
                    Value::Null => Ok(None),
                    Value::String(s) => s
                        .parse::<Decimal>()
                        .map(Some)
                        .map_err(|_| format!("table2.rows[{i}].cells[{j}] 不是数值")),
                    Value::Number(n) => n
                        .to_string()
                        .parse::<Decimal>()
                        .map(Some)
                        .map_err(|_| format!("table2.rows[{i}].cells[{j}] 不是数值")),
                    _ => Err(format!(
                        "table2.rows[{i}].cells[{j}] 应为数值、字符串或 null"
                    )),
                })
                .collect::<Result<Vec<_>, _>>()?;
            report.table2.rows.push(Table2Row { item, cells });
        }
    }
    if let Some(table3) = root.get("table3").and_then(Value::as_object) {
        for (i, row) in array(table3, "rows")?.iter().enumerate() {
            let which = row
                .get("row")
                .and_then(Value::as_str)
                .and_then(Table3Row::from_code)
                .ok_or_else(|| format!("table3.rows[{i}].row 不是已知的行"))?;
            let cells = counts(row.get("cells"), 7)
                .ok_or_else(|| format!("table3.rows[{i}].cells 应为7个非负整数或 null"))?;
            let slot = report
                .table3
                .row_mut(which)
                .ok_or_else(|| format!("table3.rows[{i}] 不属于{}格式", format.code()))?;
            slot.copy_from_slice(&cells);
        }
    }
    if let Some(table4) = root.get("table4").and_then(Value::as_object) {
        for (i, group) in array(table4, "groups")?.iter().enumerate().take(3) {
            let cells = counts(group.get("cells"), 5)
                .ok_or_else(|| format!("table4.groups[{i}].cells 应为5个非负整数或 null"))?;
            report.table4.groups[i].copy_from_slice(&cells);
        }
    }
    for (i, blank) in array(root, "blanks")?.iter().enumerate() {
        report.blanks.push(blank_from_json(i, blank)?);
    }
    Ok(report)
}

fn str_field<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    object.get(key).and_then(Value::as_str)
}

fn array<'a>(object: &'a Map<String, Value>, key: &str) -> Result<&'a [Value], String> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(format!("{key} 应为数组")),
    }
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn counts(value: Option<&Value>, n: usize) -> Option<Vec<Count>> {
    let items = value?.as_array()?;
    if items.len() != n {
        return None;
    }
    items
        .iter()
        .map(|c| match c {
            Value::Null => Some(None),
            other => other.as_u64().map(Some),
        })
        .collect()
}
