//! Renderings of a report. Markdown and HTML read back to identical tables (tested).

pub mod docx;
pub mod html;
pub mod layout;
pub mod letter;
pub mod markdown;
pub mod xlsx;

use crate::model::{Format, Report, SectionKind, Table3Row};
use gongkai_law::{Outcome, OutcomeGroup};

/// The metadata lines agency sites show, as (label, value), only those known.
pub fn metadata_lines(report: &Report) -> Vec<(&'static str, String)> {
    let m = &report.meta;
    [
        ("索引号", &m.index_number),
        ("公开目录", &m.catalog),
        ("发布机构", &m.agency),
        ("成文日期", &m.written_date),
        ("发布日期", &m.published_date),
    ]
    .into_iter()
    .filter_map(|(label, value)| value.clone().map(|v| (label, v)))
    .collect()
}

pub fn title(report: &Report) -> String {
    report
        .meta
        .title
        .clone()
        .unwrap_or_else(|| match (&report.meta.agency, report.meta.year) {
            (Some(agency), Some(year)) => format!("{agency}{year}年政府信息公开工作年度报告"),
            (None, Some(year)) => format!("{year}年政府信息公开工作年度报告"),
            _ => "政府信息公开工作年度报告".to_string(),
        })
}

/// The 第二十条 blocks of table 二: the item heading, the column headings and its rows.
pub fn table2_blocks(
    report: &Report,
) -> Vec<(
    &'static str,
    &'static [&'static str],
    Vec<&crate::model::Table2Row>,
)> {
    let format = report.table2.format;
    let mut blocks: Vec<(
        &'static str,
        &'static [&'static str],
        Vec<&crate::model::Table2Row>,
    )> = Vec::new();
    for row in &report.table2.rows {
        let heading = row.item.article_item();
        match blocks.last_mut() {
            Some((h, _, rows)) if *h == heading => rows.push(row),
            _ => blocks.push((heading, row.item.columns(format), vec![row])),
        }
    }
    blocks
}

/// The narrative sections in order, with 二/三/四 standing for their tables.
pub fn narrative(report: &Report, kind: SectionKind) -> Option<&[String]> {
    report.section(kind).map(|s| s.paragraphs.as_slice())
}

/// Label cells of a table-三 row in the official layout: (group label, item label).
pub fn table3_label_parts(row: Table3Row) -> (Option<String>, String) {
    match row {
        Table3Row::Result(outcome) => match outcome.item_number() {
            Some(n) => (
                Some(format!(
                    "{}{}",
                    outcome.group().number(),
                    outcome.group().label()
                )),
                format!("{n}.{}", outcome.label()),
            ),
            None => (None, outcome.full_label()),
        },
        other => (None, other.label()),
    }
}

/// How many rows a result group spans in the given format.
pub fn group_span(format: Format, group: OutcomeGroup) -> usize {
    match (format, group) {
        (Format::Trial2019, OutcomeGroup::OtherHandling) => 1,
        _ => group.outcomes().count(),
    }
}

/// Whether this row opens its group (the group label cell goes here).
pub fn opens_group(row: Table3Row) -> bool {
    matches!(row, Table3Row::Result(o) if o.item_number() == Some(1))
}

pub fn is_first_result(row: Table3Row) -> bool {
    row == Table3Row::Result(Outcome::Disclosed)
}

#[cfg(test)]
mod tests;
