//! The metadata block at the top of a published report (索引号, 发布机构, 成文日期 …) and the
//! year it covers.

use super::folded::{Folded, chars};
use crate::model::Metadata;

/// Lines looked at for the metadata block.
const HEAD_LINES: usize = 40;
/// A field name's bytes at most, spaces included (`发 布 机 构`).
const MAX_KEY_BYTES: usize = 48;
/// Bytes of each of those lines looked at.
const HEAD_LINE_BYTES: usize = 2048;

pub fn extract(text: &str, folded: &Folded) -> Metadata {
    let mut meta = Metadata::default();
    for line in text.lines().take(HEAD_LINES) {
        // The fields sit at a line's start: a flattened page's whole body on one line is not
        // looked through for them.
        let line = &line[..super::folded::floor_boundary(line, HEAD_LINE_BYTES)];
        if !line.contains(':') {
            continue;
        }
        // Cells of a table row, or fields set apart by a wide gap (a PDF's metadata line:
        // `发布机构：…  成文日期：…`).
        let cells: Vec<&str> = line
            .split('|')
            .flat_map(split_at_wide_gaps)
            .map(str::trim)
            .collect();
        for (i, cell) in cells.iter().enumerate() {
            let Some((key, value)) = cell.split_once(':') else {
                continue;
            };
            // Field names are a few characters: a sentence before a colon is none of them.
            if key.len() > MAX_KEY_BYTES {
                continue;
            }
            let key: String = key.chars().filter(|c| !c.is_whitespace()).collect();
            let field = match key.as_str() {
                "标题" | "题名" => &mut meta.title,
                "发布机构" | "发文机关" | "发布单位" => &mut meta.agency,
                "索引号" => &mut meta.index_number,
                "公开目录" | "主题分类" | "栏目" => &mut meta.catalog,
                "成文日期" => &mut meta.written_date,
                "发布日期" | "发布时间" => &mut meta.published_date,
                _ => continue,
            };
            if field.is_some() {
                continue;
            }
            let mut value = value.trim();
            if value.is_empty() {
                value = cells.get(i + 1).map_or("", |v| v.trim());
            }
            if value.is_empty() {
                continue;
            }
            let dated = matches!(key.as_str(), "成文日期" | "发布日期" | "发布时间");
            *field = Some(if dated {
                date_part(value)
            } else {
                value.to_string()
            });
        }
    }
    if meta.title.is_none() {
        meta.title = text
            .lines()
            .take(HEAD_LINES)
            .map(str::trim)
            .find(|l| {
                // Under 80 characters (checked by bytes first: a long body line is not searched).
                l.len() < 80 * 4
                    && l.chars().count() < 80
                    && l.contains("年度报告")
                    && !l.contains("根据")
            })
            .map(str::to_string);
    }
    meta.year = meta
        .title
        .as_deref()
        .and_then(year_before_nian)
        .or_else(|| statistics_year(folded));
    meta
}

/// A cell split where two spaces or more stand together.
fn split_at_wide_gaps(cell: &str) -> impl Iterator<Item = &str> {
    let bytes = cell.as_bytes();
    let mut start = 0;
    let mut i = 0;
    std::iter::from_fn(move || {
        if start > bytes.len() {
            return None;
        }
        while i + 1 < bytes.len() {
            if bytes[i] == b' ' && bytes[i + 1] == b' ' {
                let piece = &cell[start..i];
                i += 2;
                start = i;
                return Some(piece);
            }
            i += 1;
        }
        let piece = &cell[start..];
        start = bytes.len() + 1;
        Some(piece)
    })
}

/// `2024-01-19 15:34` → `2024-01-19`.
fn date_part(value: &str) -> String {
    value.split_whitespace().next().unwrap_or(value).to_string()
}

/// The first `20xx年` in a title.
fn year_before_nian(title: &str) -> Option<i32> {
    title.match_indices('年').find_map(|(at, _)| {
        let digits = title[..at].get(at.checked_sub(4)?..)?;
        digits
            .bytes()
            .all(|b| b.is_ascii_digit())
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
