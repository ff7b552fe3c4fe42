//! Checks across documents: a folder of reports grouped by agency and year (from their own
//! title or metadata), each year held to the year before it — 上年结转 against last year's
//! 结转下年度, the format against the year, the sections the format requires, 信息处理费 in
//! section 六, and text copied from last year's report (内容雷同, which 国办公开办函〔2021〕30号
//! names), the copied passages shown; and, given who is under whom, a parent's tables against
//! the sum of its children's.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::{
    checks,
    findings::{Code, Finding},
    model::{CellAt, Format, Report, SectionKind, TABLE4_COLUMNS, Table3Column, Table4Group},
    sum,
    text::normalize,
};

/// Sentences of at least this many characters count when found again word for word.
const MIN_COPIED_CHARS: usize = 20;
/// Copied passages shown in a finding, at most.
const SHOWN: usize = 3;

/// Who published a report: its 发布机构, else its title before the year.
pub fn agency_of(report: &Report) -> Option<String> {
    if let Some(agency) = report
        .meta
        .agency
        .as_deref()
        .filter(|a| !a.trim().is_empty())
    {
        return Some(agency.trim().to_string());
    }
    let title = normalize(report.meta.title.as_deref()?);
    let year = report.meta.year?.to_string();
    let at = title.find(&year)?;
    let agency = title[..at].trim();
    (!agency.is_empty()).then(|| agency.to_string())
}

/// Who is under whom: each child agency's name to its parent's, as the reports name them.
pub type Parents = BTreeMap<String, String>;

/// A hierarchy file holds at most this many lines (a province's agencies, several times).
pub const MAX_PARENT_LINES: usize = 100_000;

/// Reads a hierarchy file: one `下级机关,上级机关` a line (comma or tab; a header line naming
/// 下级/上级 and lines starting with # are skipped). Names as the reports' 发布机构 or titles
/// give them.
pub fn parents_from(text: &str) -> Result<Parents, String> {
    let mut parents = Parents::new();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (i, line) in text.lines().enumerate() {
        let line_number = i + 1;
        if line_number > MAX_PARENT_LINES {
            return Err(format!("隶属关系文件超过{MAX_PARENT_LINES}行"));
        }
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((child, parent)) = line.split_once([',', '\t', '，']) else {
            return Err(format!(
                "隶属关系文件第{line_number}行：应为“下级机关,上级机关”，读到“{line}”"
            ));
        };
        let (child, parent) = (
            child.trim().trim_matches('"').trim(),
            parent.trim().trim_matches('"').trim(),
        );
        if line_number == 1 && child.contains("下级") {
            continue;
        }
        if child.is_empty() || parent.is_empty() || parent.contains([',', '\t', '，']) {
            return Err(format!(
                "隶属关系文件第{line_number}行：应为“下级机关,上级机关”两个名称，读到“{line}”"
            ));
        }
        if child == parent {
            return Err(format!(
                "隶属关系文件第{line_number}行：{child}不能是自己的上级"
            ));
        }
        if let Some(earlier) = parents.insert(child.to_string(), parent.to_string())
            && earlier != parent
        {
            return Err(format!(
                "隶属关系文件第{line_number}行：{child}已有上级{earlier}，又写了{parent}"
            ));
        }
    }
    Ok(parents)
}

/// The findings each report gets from the others: `(index into reports, finding)`.
/// `parents` says who is under whom (empty: no parent is held to its children).
pub fn lint(reports: &[&Report], parents: &Parents) -> Vec<(usize, Finding)> {
    // Each report's agency and year worked out once, and the reports of each agency-year and
    // the children of each parent found by lookup: a province's archive is tens of thousands.
    let keys: Vec<Option<(String, i32)>> = reports
        .iter()
        .map(|r| Some((agency_of(r)?, r.meta.year?)))
        .collect();
    let mut by_key: std::collections::HashMap<(&str, i32), Vec<usize>> = Default::default();
    for (i, key) in keys.iter().enumerate() {
        if let Some((agency, year)) = key {
            by_key.entry((agency.as_str(), *year)).or_default().push(i);
        }
    }
    let mut children_of: std::collections::HashMap<&str, Vec<&str>> = Default::default();
    for (child, parent) in parents {
        children_of
            .entry(parent.as_str())
            .or_default()
            .push(child.as_str());
    }
    let first = |agency: &str, year: i32| by_key.get(&(agency, year)).map(|found| found[0]);
    let mut findings = Vec::new();
    for (i, report) in reports.iter().enumerate() {
        for finding in on_its_own(report) {
            findings.push((i, finding));
        }
        let Some((agency, year)) = &keys[i] else {
            continue;
        };
        let (agency, year) = (agency.as_str(), *year);
        if let Some(p) = first(agency, year - 1) {
            for finding in against_last_year(report, reports[p]) {
                findings.push((i, finding));
            }
        }
        let twins = by_key[&(agency, year)].len() - 1;
        let children = children_of.get(agency).map_or(&[][..], Vec::as_slice);
        if !children.is_empty() {
            let found: Vec<Option<&Report>> = children
                .iter()
                .map(|child| first(child, year).map(|c| reports[c]))
                .collect();
            let missing: Vec<&str> = children
                .iter()
                .zip(&found)
                .filter(|(_, report)| report.is_none())
                .map(|(child, _)| *child)
                .collect();
            if missing.is_empty() {
                let named: Vec<(&str, &Report)> = children
                    .iter()
                    .copied()
                    .zip(found.into_iter().flatten())
                    .collect();
                for finding in against_children(report, &named) {
                    findings.push((i, finding));
                }
            } else {
                findings.push((
                    i,
                    Finding::warning(
                        Code::HierarchySum,
                        "报告",
                        format!(
                            "未见下级机关{}的{year}年度报告，未核对本报告与下级之和（共{}个下级）",
                            missing.join("、"),
                            children.len()
                        ),
                    ),
                ));
            }
        }
        if twins > 0 {
            findings.push((
                i,
                Finding::warning(
                    Code::Duplicate,
                    "报告",
                    format!("{agency}{year}年度另有{twins}份报告：请确认哪一份是正式发布的"),
                ),
            ));
        }
    }
    findings
}

/// What a report lacks whatever the others say: the format its year requires, the sections,
/// 信息处理费 in section 六.
fn on_its_own(report: &Report) -> Vec<Finding> {
    let mut findings = Vec::new();
    if let Some(year) = report.meta.year
        && report.format == Format::Current2021
        && year < 2020
    {
        findings.push(Finding::warning(
            Code::OutdatedFormat,
            "表三",
            format!("{year}年度报告却使用国办公开办函〔2021〕30号格式：该格式自2021年度报告起施行，请核实年度"),
        ));
    }
    if !report.sections.is_empty() {
        // Sections 二 to 四 are their tables (checked as such); the prose ones are looked for.
        let missing: Vec<&str> = [
            SectionKind::Overview,
            SectionKind::Problems,
            SectionKind::Other,
        ]
        .iter()
        .filter(|kind| report.section(**kind).is_none())
        .map(|kind| kind.heading())
        .collect();
        if !missing.is_empty() {
            findings.push(Finding::warning(
                Code::MissingSection,
                "正文",
                format!(
                    "缺少或改名的部分：{}（国办公开办函〔2021〕30号规定六个部分）",
                    missing.join("、")
                ),
            ));
        }
    }
    if report.format == Format::Current2021
        && let Some(other) = report.section(SectionKind::Other)
    {
        let text = other.paragraphs.join("");
        if !text.contains("信息处理费") && !text.contains("收费") {
            findings.push(Finding::warning(
                Code::MissingSection,
                "正文 六、其他需要报告的事项",
                "未说明信息处理费的收取情况（国办公开办函〔2021〕30号要求在第六部分报告，未收取的也应写明）",
            ));
        }
    }
    findings
}

/// Every cell of the three tables with its figure (blank: `None`).
fn cells(report: &Report) -> Vec<(CellAt, Option<Decimal>)> {
    let mut out = Vec::new();
    for row in &report.table2.rows {
        for (c, cell) in row.cells.iter().enumerate() {
            out.push((CellAt::Table2(row.item, c), *cell));
        }
    }
    for (row, values) in &report.table3.rows {
        for (column, cell) in Table3Column::ALL.into_iter().zip(values) {
            out.push((CellAt::Table3(*row, column), cell.map(Decimal::from)));
        }
    }
    for group in Table4Group::ALL {
        for (c, cell) in report.table4.group(group).iter().enumerate() {
            out.push((CellAt::Table4(group, c), cell.map(Decimal::from)));
        }
    }
    out
}

/// A parent's report (one that counts its region) against the sum of its children's, cell by
/// cell. Where a child's cell is blank the sum is unknown and the cell is not compared. A
/// parent below its children's sum is an error (the region cannot count less than its parts);
/// above it a warning (the parent's own office may add to it).
pub fn against_children(parent: &Report, children: &[(&str, &Report)]) -> Vec<Finding> {
    let reports: Vec<&Report> = children.iter().map(|(_, r)| *r).collect();
    let total = sum::reports(&reports);
    let theirs: std::collections::HashMap<CellAt, Option<Decimal>> =
        cells(&total).into_iter().collect();
    let names: Vec<&str> = children.iter().map(|(n, _)| *n).collect();
    let mut unknown = 0;
    // Row → (columns that differ, whether any is below the children's sum).
    let mut rows: Vec<(String, Vec<String>, bool)> = Vec::new();
    for (at, own) in cells(parent) {
        let Some(own) = own else {
            continue;
        };
        let Some(sum) = theirs.get(&at).copied().flatten() else {
            unknown += 1;
            continue;
        };
        if own == sum {
            continue;
        }
        let (row, column) = match at {
            CellAt::Table2(item, c) => (
                format!("表二 {}", item.label(parent.table2.format)),
                item.columns(parent.table2.format)
                    .get(c)
                    .copied()
                    .unwrap_or("")
                    .to_string(),
            ),
            CellAt::Table3(row, column) => (
                format!("表三 {}", row.short_label()),
                column.label().to_string(),
            ),
            CellAt::Table4(group, c) => (
                format!("表四 {}", group.label()),
                TABLE4_COLUMNS.get(c).copied().unwrap_or("").to_string(),
            ),
        };
        let said = format!("{column} 本报告{own}、下级之和{sum}");
        match rows.iter_mut().find(|(r, _, _)| *r == row) {
            Some((_, said_before, below)) => {
                said_before.push(said);
                *below |= own < sum;
            }
            None => rows.push((row, vec![said], own < sum)),
        }
    }
    let unknown_note = if unknown > 0 {
        format!("；另有{unknown}个单元格因下级报告空白无法核对")
    } else {
        String::new()
    };
    rows.into_iter()
        .map(|(row, said, below)| {
            let message = format!(
                "与{}个下级机关（{}）报告之和不符：{}{}",
                names.len(),
                names.join("、"),
                said.join("；"),
                unknown_note
            );
            if below {
                Finding::error(
                    Code::HierarchySum,
                    row,
                    format!("{message}。本级报告统计全辖区时，不应少于下级之和"),
                )
            } else {
                Finding::warning(
                    Code::HierarchySum,
                    row,
                    format!("{message}。多出部分若为本级机关自身的工作可忽略，否则请核实"),
                )
            }
        })
        .collect()
}

/// This year's report against last year's: the carry-over, and text copied over.
fn against_last_year(report: &Report, last: &Report) -> Vec<Finding> {
    let mut findings: Vec<Finding> = checks::check(report, Some(last))
        .into_iter()
        .filter(|f| f.code == Code::CrossYear)
        .collect();
    for kind in [
        SectionKind::Overview,
        SectionKind::Problems,
        SectionKind::Other,
    ] {
        let (Some(this), Some(before)) = (report.section(kind), last.section(kind)) else {
            continue;
        };
        let earlier: std::collections::HashSet<String> =
            sentences(&before.paragraphs).into_iter().collect();
        let now = sentences(&this.paragraphs);
        let total: usize = now.iter().map(|s| s.chars().count()).sum();
        let copied: Vec<&String> = now
            .iter()
            .filter(|s| s.chars().count() >= MIN_COPIED_CHARS && earlier.contains(*s))
            .collect();
        let copied_chars: usize = copied.iter().map(|s| s.chars().count()).sum();
        if copied.is_empty() || copied_chars * 3 < total {
            continue;
        }
        let shown: Vec<String> = copied
            .iter()
            .take(SHOWN)
            .map(|s| format!("“{s}”"))
            .collect();
        findings.push(Finding::warning(
            Code::CopiedText,
            format!("正文 {}", kind.heading()),
            format!(
                "与上一年度报告内容雷同：{}句、{}字（占本部分{}%）逐字相同，如：{}{}",
                copied.len(),
                copied_chars,
                copied_chars * 100 / total.max(1),
                shown.join("；"),
                if copied.len() > SHOWN { "……" } else { "" }
            ),
        ));
    }
    findings
}

/// A section's sentences, normalized, each without the year it names (a copied sentence with
/// only the year changed is still copied).
fn sentences(paragraphs: &[String]) -> Vec<String> {
    paragraphs
        .iter()
        .flat_map(|p| {
            normalize(p)
                .split(['。', '；', ';', '！', '？'])
                .map(|s| {
                    s.chars()
                        .filter(|c| !c.is_whitespace() && !c.is_ascii_digit())
                        .collect::<String>()
                })
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Section, Table3Column, Table3Row};

    fn seed() -> Report {
        crate::read(include_str!("../testdata/2023-hedong-taiping.txt")).report
    }

    #[test]
    fn the_same_agency_a_year_apart_is_held_to_itself() {
        let this = seed();
        let mut last = seed();
        last.meta.year = Some(2022);
        last.meta.title = last.meta.title.as_ref().map(|t| t.replace("2023", "2022"));
        // Last year carried 3 applications forward; this year says none came over.
        last.table3.row_mut(Table3Row::CarriedForward).unwrap()[Table3Column::Total.index()] =
            Some(3);
        assert_eq!(agency_of(&this), agency_of(&last));
        let findings = lint(&[&this, &last], &Parents::new());
        let on_this: Vec<&Finding> = findings
            .iter()
            .filter(|(i, _)| *i == 0)
            .map(|(_, f)| f)
            .collect();
        assert!(
            on_this
                .iter()
                .any(|f| f.code == Code::CrossYear && f.message.contains("为3")),
            "{on_this:?}"
        );
        // The seed's text is last year's word for word: copied, with the passages shown.
        let copied = on_this.iter().find(|f| f.code == Code::CopiedText).unwrap();
        assert!(
            copied.message.contains("逐字相同") && copied.message.contains('“'),
            "{}",
            copied.message
        );
        // Nothing is held against last year's report from this one.
        assert!(
            findings
                .iter()
                .filter(|(i, _)| *i == 1)
                .all(|(_, f)| f.code != Code::CrossYear)
        );
    }

    #[test]
    fn reports_of_other_agencies_or_years_apart_are_not_compared() {
        let this = seed();
        let mut other = seed();
        other.meta.agency = Some("另一机关".into());
        other.meta.year = Some(2022);
        assert!(
            lint(&[&this, &other], &Parents::new())
                .iter()
                .all(|(_, f)| f.code != Code::CopiedText)
        );
    }

    #[test]
    fn sections_fees_and_format_on_their_own() {
        let mut report = seed();
        report.sections.retain(|s| s.kind != SectionKind::Problems);
        report.sections.retain(|s| s.kind != SectionKind::Other);
        report.sections.push(Section {
            kind: SectionKind::Other,
            paragraphs: vec!["无其他需要报告的事项。".into()],
        });
        report.meta.year = Some(2019);
        let codes: Vec<Code> = on_its_own(&report).iter().map(|f| f.code).collect();
        assert_eq!(
            codes,
            vec![
                Code::OutdatedFormat,
                Code::MissingSection,
                Code::MissingSection
            ]
        );
        // The testdata reports, as published, raise none of these.
        for text in [
            include_str!("../testdata/2023-hedong-taiping.txt"),
            include_str!("../testdata/2023-pingtan.txt"),
        ] {
            let report = crate::read(text).report;
            assert!(
                on_its_own(&report)
                    .iter()
                    .all(|f| f.code != Code::OutdatedFormat),
                "{:?}",
                on_its_own(&report)
            );
        }
    }

    /// Two published reports as the children of a region whose report is their sum, written
    /// out and read back as any published report would be.
    fn region() -> (Report, Report, Report) {
        let mut street = seed();
        street.meta.agency = Some("太平街道办事处".into());
        let mut county = crate::read(include_str!("../testdata/2023-pingtan.txt")).report;
        county.meta.agency = Some("平潭综合实验区管委会".into());
        let mut parent = crate::sum::reports(&[&street, &county]);
        parent.meta.agency = Some("某市人民政府".into());
        parent.meta.year = Some(2023);
        parent.meta.title = Some("某市人民政府2023年政府信息公开工作年度报告".into());
        let parent = crate::read(&crate::render::markdown::render(&parent)).report;
        (parent, street, county)
    }

    fn hierarchy() -> Parents {
        parents_from(
            "下级机关,上级机关\n太平街道办事处,某市人民政府\n# 注释\n平潭综合实验区管委会\t某市人民政府\n",
        )
        .unwrap()
    }

    #[test]
    fn a_parent_is_held_to_the_sum_of_its_children() {
        let (parent, street, county) = region();
        let parents = hierarchy();
        let sums = |reports: &[&Report]| -> Vec<Finding> {
            lint(reports, &parents)
                .into_iter()
                .filter(|(_, f)| f.code == Code::HierarchySum)
                .map(|(_, f)| f)
                .collect()
        };
        assert_eq!(sums(&[&parent, &street, &county]), Vec::<Finding>::new());

        // The region counts fewer new applications than its parts: an error on that row.
        let mut short = parent.clone();
        let cell = Table3Column::Total.index();
        short.table3.row_mut(Table3Row::NewlyReceived).unwrap()[cell] = Some(1);
        let found = sums(&[&short, &street, &county]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].severity, crate::Severity::Error);
        assert!(found[0].location.contains("一、本年新收"), "{found:?}");
        assert!(
            found[0].message.contains("总计 本报告1、下级之和"),
            "{found:?}"
        );

        // More than its parts (the parent's own office): a warning.
        let mut more = parent.clone();
        more.table4.groups[0][0] = more.table4.groups[0][0].map(|n| n + 2);
        let found = sums(&[&more, &street, &county]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, crate::Severity::Warning);
        assert!(found[0].location.starts_with("表四 行政复议"), "{found:?}");

        // A child's blank cell leaves that cell of the sum unknown: not compared, counted.
        let mut dashed = street.clone();
        dashed.table3.row_mut(Table3Row::NewlyReceived).unwrap()[cell] = None;
        let found = sums(&[&short, &dashed, &county]);
        assert!(
            found.iter().all(|f| !f.location.contains("一、本年新收")),
            "{found:?}"
        );
        // A child with no report: nothing compared, and said.
        let found = sums(&[&short, &street]);
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .message
                .contains("未见下级机关平潭综合实验区管委会")
        );
        // Without the hierarchy, nothing is held to anything.
        assert!(
            lint(&[&short, &street, &county], &Parents::new())
                .iter()
                .all(|(_, f)| f.code != Code::HierarchySum)
        );
    }

    #[test]
    fn a_hierarchy_file_says_what_is_wrong_with_it() {
        assert_eq!(hierarchy().len(), 2);
        for (bad, says) in [
            ("甲\n", "第1行：应为“下级机关,上级机关”"),
            ("甲,\n", "两个名称"),
            ("甲,甲\n", "不能是自己的上级"),
            ("甲,乙\n甲,丙\n", "第2行：甲已有上级乙，又写了丙"),
        ] {
            let error = parents_from(bad).unwrap_err();
            assert!(error.contains(says), "{bad}: {error}");
        }
        let long: String = (0..=MAX_PARENT_LINES)
            .map(|i| format!("甲{i},乙\n"))
            .collect();
        assert!(parents_from(&long).unwrap_err().contains("超过100000行"));
    }
}
