//! 汇总 — a supervisor's view of a subtree: each agency's report for a year (from gongkai, or
//! read from its published text), whether it is out by the due date, its checks, and the
//! tables summed. A blank cell anywhere leaves the sum blank: unknown, not zero.

use gongkai_report::model::{Format, Report, Table2, Table3, Table4};
use rust_decimal::Decimal;

use crate::appeal;

/// Table 二 summed; rows the formats do not share stay blank.
pub fn sum_table2(tables: &[&Table2]) -> Table2 {
    let mut total = Table2::blank(Format::Current2021);
    for row in &mut total.rows {
        for (c, cell) in row.cells.iter_mut().enumerate() {
            *cell = tables.iter().try_fold(Decimal::ZERO, |acc, t| {
                let value = (t.format == Format::Current2021)
                    .then(|| {
                        t.row(row.item)
                            .and_then(|r| r.cells.get(c).copied().flatten())
                    })
                    .flatten()?;
                Some(acc + value)
            });
        }
    }
    total
}

/// Table 三 summed (2021 rows; a 2019 report's single （六） row leaves those rows blank).
pub fn sum_table3(tables: &[&Table3]) -> Table3 {
    let mut total = Table3::blank(Format::Current2021);
    for (row, cells) in &mut total.rows {
        for (c, cell) in cells.iter_mut().enumerate() {
            *cell = tables.iter().try_fold(0u64, |acc, t| {
                Some(acc + t.row(*row).and_then(|cells| cells[c])?)
            });
        }
    }
    total
}

pub fn sum_table4(tables: &[&Table4]) -> Table4 {
    let owned: Vec<Table4> = tables.iter().map(|t| (*t).clone()).collect();
    appeal::sum(&owned)
}

/// The tables of several reports summed into one report (a region's figures).
pub fn sum_reports(reports: &[&Report]) -> Report {
    let mut total = Report::blank(Format::Current2021);
    total.table2 = sum_table2(&reports.iter().map(|r| &r.table2).collect::<Vec<_>>());
    total.table3 = sum_table3(&reports.iter().map(|r| &r.table3).collect::<Vec<_>>());
    total.table4 = sum_table4(&reports.iter().map(|r| &r.table4).collect::<Vec<_>>());
    total
}
