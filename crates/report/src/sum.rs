//! 汇总 — several reports' tables added into one (a region's figures, or the sum a parent's
//! report is held to). A blank cell in any of them leaves the sum blank: unknown, not zero.

use rust_decimal::Decimal;

use crate::model::{Format, Report, Table2, Table3, Table4};

/// Table 二 summed; rows the formats do not share stay blank.
pub fn table2(tables: &[&Table2]) -> Table2 {
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
pub fn table3(tables: &[&Table3]) -> Table3 {
    let mut total = Table3::blank(Format::Current2021);
    for (row, cells) in &mut total.rows {
        for (c, cell) in cells.iter_mut().enumerate() {
            *cell = tables.iter().try_fold(0u64, |acc, t| {
                acc.checked_add(t.row(*row).and_then(|cells| cells[c])?)
            });
        }
    }
    total
}

/// Table 四 summed.
pub fn table4(tables: &[&Table4]) -> Table4 {
    let mut total = Table4 {
        groups: [[Some(0); 5]; 3],
    };
    for t in tables {
        for (g, group) in t.groups.iter().enumerate() {
            for (c, cell) in group.iter().enumerate() {
                total.groups[g][c] = total.groups[g][c]
                    .zip(*cell)
                    .and_then(|(a, b)| a.checked_add(b));
            }
        }
    }
    total
}

/// The tables of several reports summed into one report.
pub fn reports(reports: &[&Report]) -> Report {
    let mut total = Report::blank(Format::Current2021);
    total.table2 = table2(&reports.iter().map(|r| &r.table2).collect::<Vec<_>>());
    total.table3 = table3(&reports.iter().map(|r| &r.table3).collect::<Vec<_>>());
    total.table4 = table4(&reports.iter().map(|r| &r.table4).collect::<Vec<_>>());
    total
}

#[cfg(test)]
mod tests {
    use crate::model::{Table3Column, Table3Row};

    #[test]
    fn sums_keep_blanks_unknown() {
        let a = crate::read(include_str!("../testdata/2023-hedong-taiping.txt")).report;
        let mut b = a.clone();
        let at = |r: &crate::Report| r.table3.cell(Table3Row::NewlyReceived, Table3Column::Total);
        assert_eq!(at(&super::reports(&[&a, &b])), Some(2 * at(&a).unwrap()));
        b.table3.rows[0].1[6] = None;
        assert_eq!(at(&super::reports(&[&a, &b])), None);
        b.table4.groups[0][0] = None;
        assert_eq!(super::reports(&[&a, &b]).table4.groups[0][0], None);
        assert_eq!(
            super::reports(&[&a, &a]).table4.groups[1][4],
            a.table4.groups[1][4].map(|n| 2 * n)
        );
    }
}
