//! The identities every report must satisfy (LAW.md, 国办公开办函〔2021〕30号), checked with
//! blank cells treated as unknown, never as zero: an identity that cannot hold whatever the
//! blanks are is an error; one that holds only if the blanks are zero passes, the blanks
//! being reported once; one that could hold only with some blanks non-zero is a warning.

use gongkai_law::OutcomeGroup;

use crate::{
    findings::{Code, Finding},
    model::{
        Blank, CellAt, Count, Report, TABLE4_COLUMNS, Table3, Table3Column, Table3Row, Table4Group,
    },
    prose,
};

/// A sum of cells some of which may be blank: known part plus how many unknowns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Partial {
    pub known: u128,
    pub blanks: usize,
}

impl Partial {
    pub fn of(cells: impl IntoIterator<Item = Count>) -> Self {
        cells
            .into_iter()
            .fold(Self::default(), |acc, cell| acc + Self::cell(cell))
    }

    pub fn cell(cell: Count) -> Self {
        match cell {
            Some(n) => Self {
                known: u128::from(n),
                blanks: 0,
            },
            None => Self {
                known: 0,
                blanks: 1,
            },
        }
    }

    pub fn exact(&self) -> Option<u128> {
        (self.blanks == 0).then_some(self.known)
    }
}

impl std::ops::Add for Partial {
    type Output = Partial;
    fn add(self, other: Partial) -> Partial {
        Partial {
            known: self.known + other.known,
            blanks: self.blanks + other.blanks,
        }
    }
}

/// How an identity `left = right` stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Holds,
    /// Holds only if some blank cell is not zero.
    Unverifiable,
    /// Fails whatever the blank cells are.
    Fails,
}

pub fn compare(left: Partial, right: Partial) -> Verdict {
    if left.known == right.known {
        return Verdict::Holds;
    }
    // Blanks can only add: the side with the smaller known part needs blanks to catch up.
    let (small, _) = if left.known < right.known {
        (left, right)
    } else {
        (right, left)
    };
    if small.blanks > 0 {
        Verdict::Unverifiable
    } else {
        Verdict::Fails
    }
}

fn show(p: Partial) -> String {
    match (p.known, p.blanks) {
        (known, 0) => known.to_string(),
        (0, 1) => "空白".to_string(),
        (known, n) => format!("{known}（另有{n}个空白单元格）"),
    }
}

/// Runs every check. `previous` is last year's report for the cross-year identity.
pub fn check(report: &Report, previous: Option<&Report>) -> Vec<Finding> {
    let mut findings = Vec::new();
    blank_cells(report, &mut findings);
    table3_identities(&report.table3, &mut findings);
    table4_identities(report, &mut findings);
    if let Some(previous) = previous {
        cross_year(report, previous, &mut findings);
    }
    prose::check(report, previous, &mut findings);
    findings
}

/// Records an identity that does not hold; the words are only built when needed.
fn push(
    findings: &mut Vec<Finding>,
    code: Code,
    verdict: Verdict,
    describe: impl FnOnce() -> (String, String),
) {
    if verdict == Verdict::Holds {
        return;
    }
    let (location, message) = describe();
    findings.push(match verdict {
        Verdict::Fails => Finding::error(code, location, message),
        _ => Finding::warning(
            code,
            location,
            format!("{message}；含空白单元格，无法核对（空白不视为0）"),
        ),
    });
}

fn blank_cells(report: &Report, findings: &mut Vec<Finding>) {
    let blanks = || {
        report.table3.rows.iter().flat_map(|(row, cells)| {
            cells
                .iter()
                .zip(Table3Column::ALL)
                .filter(|(c, _)| c.is_none())
                .map(move |(_, column)| CellAt::Table3(*row, column))
        })
    };
    let total = blanks().count();
    if total > 0 && total < report.table3.rows.len() * 7 {
        let shown: Vec<String> = blanks()
            .take(5)
            .map(|at| match at {
                CellAt::Table3(row, column) => format!(
                    "{} {}（{}）",
                    row.short_label(),
                    column.label(),
                    report.blank_at(at).describe()
                ),
                _ => unreachable!("table 三 cells only"),
            })
            .collect();
        findings.push(Finding::warning(
            Code::BlankCells,
            "表三",
            format!(
                "有{}个空白单元格（{}；均不视为0，未按0核对），如：{}{}",
                total,
                kinds(report, blanks()),
                shown.join("；"),
                if total > 5 { "……" } else { "" }
            ),
        ));
    }
    let t4_blanks: Vec<CellAt> = Table4Group::ALL
        .iter()
        .flat_map(|&g| {
            let cells = report.table4.group(g).iter().enumerate();
            cells
                .filter(|(_, c)| c.is_none())
                .map(move |(i, _)| CellAt::Table4(g, i))
        })
        .collect();
    if !t4_blanks.is_empty() && t4_blanks.len() < 15 {
        findings.push(Finding::warning(
            Code::BlankCells,
            "表四",
            format!(
                "有{}个空白单元格（{}；均不视为0，未按0核对）",
                t4_blanks.len(),
                kinds(report, t4_blanks.iter().copied())
            ),
        ));
    }
}

/// How the blank cells were written, counted: `“—”3个、空白2个`.
fn kinds(report: &Report, cells: impl Iterator<Item = CellAt>) -> String {
    let mut counted: Vec<(String, usize)> = Vec::new();
    for at in cells {
        let name = match report.blank_at(at) {
            Blank::Uncertain { .. } => "文字识别存疑".to_string(),
            other => other.describe(),
        };
        match counted.iter_mut().find(|(n, _)| *n == name) {
            Some((_, count)) => *count += 1,
            None => counted.push((name, 1)),
        }
    }
    counted
        .iter()
        .map(|(name, count)| format!("{name}{count}个"))
        .collect::<Vec<_>>()
        .join("、")
}

fn table3_identities(table: &Table3, findings: &mut Vec<Finding>) {
    // Identity 3: each row's 总计 is the sum of its six applicant columns.
    for (row, cells) in &table.rows {
        if cells.iter().all(Option::is_none) {
            continue;
        }
        let sum = Partial::of(cells[..6].iter().copied());
        let total = Partial::cell(cells[6]);
        push(findings, Code::RowTotal, compare(sum, total), || {
            (
                format!("表三 {} 总计", row.short_label()),
                format!("六类申请人之和为{}，表中为{}", show(sum), show(total)),
            )
        });
    }
    for column in Table3Column::ALL {
        let c = column.index();
        let cell = |row: Table3Row| Partial::cell(table.cell(row, column));
        // Identity 2: （七）总计 is the sum of the result rows.
        let results = Partial::of(
            table
                .rows
                .iter()
                .filter(|(row, _)| row.is_result())
                .map(|(_, cells)| cells[c]),
        );
        let total = cell(Table3Row::Total);
        push(findings, Code::ResultSum, compare(results, total), || {
            (
                format!("表三 （七）总计 {}", column.label()),
                format!("各项办理结果之和为{}，表中为{}", show(results), show(total)),
            )
        });
        // Identity 1: 一 + 二 = 三（七） + 四.
        let intake = cell(Table3Row::NewlyReceived) + cell(Table3Row::CarriedOver);
        let outflow = total + cell(Table3Row::CarriedForward);
        push(findings, Code::Balance, compare(intake, outflow), || {
            (
                format!("表三 {}", column.label()),
                format!(
                    "第一项加第二项之和为{}，第三项（七）总计加第四项之和为{}，应相等",
                    show(intake),
                    show(outflow)
                ),
            )
        });
    }
}

fn table4_identities(report: &Report, findings: &mut Vec<Finding>) {
    for group in Table4Group::ALL {
        let cells = report.table4.group(group);
        if cells.iter().all(Option::is_none) {
            continue;
        }
        let sum = Partial::of(cells[..4].iter().copied());
        let total = Partial::cell(cells[4]);
        push(findings, Code::AppealTotal, compare(sum, total), || {
            (
                format!("表四 {} 总计", group.label()),
                format!(
                    "{}之和为{}，表中为{}",
                    TABLE4_COLUMNS[..4].join("、"),
                    show(sum),
                    show(total)
                ),
            )
        });
    }
}

fn cross_year(report: &Report, previous: &Report, findings: &mut Vec<Finding>) {
    for column in Table3Column::ALL {
        let this = Partial::cell(report.table3.cell(Table3Row::CarriedOver, column));
        let last = Partial::cell(previous.table3.cell(Table3Row::CarriedForward, column));
        push(findings, Code::CrossYear, compare(this, last), || {
            (
                format!("表三 二、上年结转 {}", column.label()),
                format!(
                    "本年为{}，上年报告“四、结转下年度继续办理”为{}",
                    show(this),
                    show(last)
                ),
            )
        });
    }
}

/// The sum of a group of result rows in one column (for prose claims).
pub fn group_sum(table: &Table3, group: OutcomeGroup, column: Table3Column) -> Partial {
    let c = column.index();
    Partial::of(
        table
            .rows
            .iter()
            .filter(|(row, _)| match row {
                Table3Row::Result(outcome) => outcome.group() == group,
                Table3Row::OtherHandling => group == OutcomeGroup::OtherHandling,
                _ => false,
            })
            .map(|(_, cells)| cells[c]),
    )
}

/// A row's total, falling back on the sum of its applicant columns when 总计 is blank.
pub fn row_total(cells: &[Count; 7]) -> Partial {
    match cells[6] {
        Some(n) => Partial::cell(Some(n)),
        None => Partial::of(cells[..6].iter().copied()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanks_are_unknowns_not_zeros() {
        let p = |known, blanks| Partial { known, blanks };
        assert_eq!(compare(p(5, 0), p(5, 0)), Verdict::Holds);
        assert_eq!(compare(p(5, 0), p(6, 0)), Verdict::Fails);
        assert_eq!(compare(p(5, 1), p(6, 0)), Verdict::Unverifiable);
        assert_eq!(compare(p(7, 1), p(6, 0)), Verdict::Fails, "blanks only add");
        assert_eq!(compare(p(0, 1), p(272, 0)), Verdict::Unverifiable);
        assert_eq!(compare(p(35, 2), p(35, 1)), Verdict::Holds);
    }
}
