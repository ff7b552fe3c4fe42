//! Checks across documents: a folder of reports grouped by agency and year (from their own
//! title or metadata), each year held to the year before it — 上年结转 against last year's
//! 结转下年度, the format against the year, the sections the format requires, 信息处理费 in
//! section 六, and text copied from last year's report (内容雷同, which 国办公开办函〔2021〕30号
//! names), the copied passages shown.

use crate::{
    checks,
    findings::{Code, Finding},
    model::{Format, Report, SectionKind},
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

/// The findings each report gets from the others: `(index into reports, finding)`.
pub fn lint(reports: &[&Report]) -> Vec<(usize, Finding)> {
    let mut findings = Vec::new();
    for (i, report) in reports.iter().enumerate() {
        for finding in on_its_own(report) {
            findings.push((i, finding));
        }
        let (Some(agency), Some(year)) = (agency_of(report), report.meta.year) else {
            continue;
        };
        let previous = reports.iter().position(|other| {
            other.meta.year == Some(year - 1) && agency_of(other).as_deref() == Some(&agency)
        });
        if let Some(p) = previous {
            for finding in against_last_year(report, reports[p]) {
                findings.push((i, finding));
            }
        }
        let twins = reports
            .iter()
            .enumerate()
            .filter(|(j, other)| {
                *j != i
                    && other.meta.year == Some(year)
                    && agency_of(other).as_deref() == Some(&agency)
            })
            .count();
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
        let findings = lint(&[&this, &last]);
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
            lint(&[&this, &other])
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
}
