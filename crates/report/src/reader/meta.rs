//! The metadata block at the top of a published report (索引号, 发布机构, 成文日期 …) and the
//! year it covers.

use super::folded::{Folded, chars};
use crate::model::Metadata;

/// Lines looked at for the metadata block.
const HEAD_LINES: usize = 40;

pub fn extract(text: &str, folded: &Folded) -> Metadata {
    let mut meta = Metadata::default();
    for line in text.lines().take(HEAD_LINES) {
        // Cells of a table row, or fields set apart by a wide gap (a PDF's metadata line:
        // `发布机构：…  成文日期：…`).
        let cells: Vec<&str> = line
            .split('|')
            .flat_map(|cell| cell.split("  "))
            .map(str::trim)
            .collect();
        for (i, cell) in cells.iter().enumerate() {
            let Some((key, value)) = cell.split_once(':') else {
                continue;
            };
            let key: String = key.chars().filter(|c| !c.is_whitespace()).collect();
            let mut value = value.trim().to_string();
            if value.is_empty() {
                value = cells
                    .get(i + 1)
                    .map(|v| v.trim().to_string())
                    .unwrap_or_default();
            }
            if value.is_empty() {
                continue;
            }
            match key.as_str() {
                "标题" | "题名" => meta.title.get_or_insert(value),
                "发布机构" | "发文机关" | "发布单位" => {
                    meta.agency.get_or_insert(value)
                }
                "索引号" => meta.index_number.get_or_insert(value),
                "公开目录" | "主题分类" | "栏目" => meta.catalog.get_or_insert(value),
                "成文日期" => meta.written_date.get_or_insert(date_part(&value)),
                "发布日期" | "发布时间" => {
                    meta.published_date.get_or_insert(date_part(&value))
                }
                _ => continue,
            };
        }
    }
    if meta.title.is_none() {
        meta.title = text
            .lines()
            .take(HEAD_LINES)
            .map(str::trim)
            .find(|l| l.contains("年度报告") && l.chars().count() < 80 && !l.contains("根据"))
            .map(str::to_string);
    }
    meta.year = meta
        .title
        .as_deref()
        .and_then(year_before_nian)
        .or_else(|| statistics_year(folded));
    meta
}

/// `2024-01-19 15:34` → `2024-01-19`.
fn date_part(value: &str) -> String {
    value.split_whitespace().next().unwrap_or(value).to_string()
}

/// The first `20xx年` in a title.
fn year_before_nian(title: &str) -> Option<i32> {
    let chars: Vec<char> = title.chars().collect();
    chars.windows(5).find_map(|w| {
        let digits: String = w[..4].iter().collect();
        (w[4] == '年' && digits.chars().all(|c| c.is_ascii_digit()))
            .then(|| digits.parse().ok())
            .flatten()
            .filter(|y| (2000..2100).contains(y))
    })
}

/// The statistics period stated in the text: `统计期限自2023年1月1日…`.
fn statistics_year(folded: &Folded) -> Option<i32> {
    let needle = chars("年1月1日");
    let at = folded.find(&needle, 4, folded.len())?;
    let digits: String = folded.slice(at - 4, at).iter().collect();
    digits.parse().ok().filter(|y| (2000..2100).contains(y))
}
