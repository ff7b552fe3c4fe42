//! Table 三 of the annual report from the records.
//!
//! 本年新收 counts applications by their receipt date; 办理结果 by the date of the answer;
//! a case open on 31 December is 结转下年度 and next year's 上年结转. Every application
//! received by the end of the year is therefore either answered in some year or carried
//! forward, so identity 1 (一 + 二 = 三（七） + 四) holds by construction.

use std::collections::BTreeMap;

use gongkai_law::{ApplicantKind, Date, Outcome};
use gongkai_report::model::{Format, Table3, Table3Column, Table3Row};

use crate::ApplicationNumber;

/// What statistics need of an application (stores can select just this).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub number: ApplicationNumber,
    pub kind: ApplicantKind,
    pub received: Date,
    /// Set once the answer is issued, with its outcome.
    pub answered: Option<(Date, Outcome)>,
}

impl CaseFacts {
    /// From the columns a store keeps (codes and `YYYY-MM-DD` text); a value that does not
    /// parse is reported as corrupt data.
    pub fn from_columns(
        number: &str,
        kind: &str,
        received: &str,
        outcome: Option<&str>,
        answered_on: Option<&str>,
    ) -> Result<Self, String> {
        let date = |text: &str| gongkai_law::parse_date("date", text).map_err(|e| e.to_string());
        let kind = ApplicantKind::from_code(kind)
            .ok_or_else(|| format!("unknown applicant kind {kind}"))?;
        let answered = match (answered_on, outcome) {
            (Some(a), Some(o)) => Some((
                date(a)?,
                Outcome::from_code(o).ok_or_else(|| format!("unknown outcome {o}"))?,
            )),
            _ => None,
        };
        Ok(Self {
            number: ApplicationNumber::parse(number).map_err(|e| e.to_string())?,
            kind,
            received: date(received)?,
            answered,
        })
    }
}

/// Which row of table 三 a case falls in for `year`, if any (besides 本年新收).
fn rows_for(case: &CaseFacts, year: i16) -> Vec<Table3Row> {
    let first = Date::new(year, 1, 1).expect("valid year");
    let last = Date::new(year, 12, 31).expect("valid year");
    let mut rows = Vec::new();
    if case.received.year() == year {
        rows.push(Table3Row::NewlyReceived);
    }
    let open_at = |day: Date| {
        case.received <= day && case.answered.is_none_or(|(answered, _)| answered > day)
    };
    if case.received < first && open_at(first.yesterday().expect("not year 1")) {
        rows.push(Table3Row::CarriedOver);
    }
    if let Some((answered, outcome)) = case.answered
        && answered.year() == year
    {
        rows.push(Table3Row::Result(outcome));
        rows.push(Table3Row::Total);
    }
    if open_at(last) {
        rows.push(Table3Row::CarriedForward);
    }
    rows
}

/// Table 三 for `year`, with the applications behind every cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table3FromRecords {
    pub table: Table3,
    /// (row, column) → the applications counted there.
    pub cells: BTreeMap<(Table3Row, usize), Vec<ApplicationNumber>>,
}

impl Table3FromRecords {
    pub fn behind(&self, row: Table3Row, column: Table3Column) -> &[ApplicationNumber] {
        self.cells
            .get(&(row, column.index()))
            .map_or(&[], Vec::as_slice)
    }
}

pub fn table3<'a>(cases: impl IntoIterator<Item = &'a CaseFacts>, year: i16) -> Table3FromRecords {
    let mut table = Table3::blank(Format::Current2021);
    for (_, cells) in &mut table.rows {
        *cells = [Some(0); 7];
    }
    let mut behind: BTreeMap<(Table3Row, usize), Vec<ApplicationNumber>> = BTreeMap::new();
    for case in cases {
        for row in rows_for(case, year) {
            let column = Table3Column::Applicant(case.kind).index();
            if let Some(cells) = table.row_mut(row) {
                for c in [column, Table3Column::Total.index()] {
                    cells[c] = Some(cells[c].unwrap_or(0) + 1);
                    behind
                        .entry((row, c))
                        .or_default()
                        .push(case.number.clone());
                }
            }
        }
    }
    Table3FromRecords {
        table,
        cells: behind,
    }
}

/// Adds tables of several agencies (a supervisor's roll-up).
pub fn sum(tables: &[Table3]) -> Table3 {
    let mut total = Table3::blank(Format::Current2021);
    for (row, cells) in &mut total.rows {
        for (c, cell) in cells.iter_mut().enumerate() {
            *cell = Some(
                tables
                    .iter()
                    .map(|t| t.cell(*row, Table3Column::ALL[c]).unwrap_or(0))
                    .sum(),
            );
        }
    }
    total
}

/// The counts a store computes with SQL (rows grouped), turned into table 三. Used by the
/// stores for large agencies; must agree with [`table3`] (the contract suite checks it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table3Counts {
    pub newly_received: Vec<(ApplicantKind, u64)>,
    pub carried_over: Vec<(ApplicantKind, u64)>,
    pub results: Vec<(ApplicantKind, Outcome, u64)>,
    pub carried_forward: Vec<(ApplicantKind, u64)>,
}

impl Table3Counts {
    pub fn into_table(self) -> Table3 {
        let mut table = Table3::blank(Format::Current2021);
        for (_, cells) in &mut table.rows {
            *cells = [Some(0); 7];
        }
        let mut add = |row: Table3Row, kind: ApplicantKind, n: u64| {
            if let Some(cells) = table.row_mut(row) {
                for c in [kind.index(), 6] {
                    cells[c] = Some(cells[c].unwrap_or(0) + n);
                }
            }
        };
        for (kind, n) in self.newly_received {
            add(Table3Row::NewlyReceived, kind, n);
        }
        for (kind, n) in self.carried_over {
            add(Table3Row::CarriedOver, kind, n);
        }
        for (kind, outcome, n) in self.results {
            add(Table3Row::Result(outcome), kind, n);
            add(Table3Row::Total, kind, n);
        }
        for (kind, n) in self.carried_forward {
            add(Table3Row::CarriedForward, kind, n);
        }
        table
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        gongkai_law::parse_date("t", text).unwrap()
    }

    fn case(
        n: &str,
        kind: ApplicantKind,
        received: &str,
        answered: Option<(&str, Outcome)>,
    ) -> CaseFacts {
        CaseFacts {
            number: ApplicationNumber::parse(n).unwrap(),
            kind,
            received: d(received),
            answered: answered.map(|(a, o)| (d(a), o)),
        }
    }

    #[test]
    fn year_boundaries() {
        use ApplicantKind::*;
        let cases = [
            case(
                "1",
                NaturalPerson,
                "2022-12-20",
                Some(("2023-01-10", Outcome::Disclosed)),
            ),
            case(
                "2",
                Business,
                "2023-03-01",
                Some(("2023-03-20", Outcome::PartlyDisclosed)),
            ),
            case("3", NaturalPerson, "2023-12-25", None),
            case(
                "4",
                NaturalPerson,
                "2023-12-28",
                Some(("2024-01-15", Outcome::NotHeld)),
            ),
            case(
                "5",
                NaturalPerson,
                "2022-05-01",
                Some(("2022-05-10", Outcome::Disclosed)),
            ),
        ];
        let t2023 = table3(&cases, 2023);
        let cell = |t: &Table3FromRecords, row, col: ApplicantKind| {
            t.table.cell(row, Table3Column::Applicant(col))
        };
        assert_eq!(
            cell(&t2023, Table3Row::NewlyReceived, NaturalPerson),
            Some(2)
        );
        assert_eq!(cell(&t2023, Table3Row::CarriedOver, NaturalPerson), Some(1));
        assert_eq!(
            cell(
                &t2023,
                Table3Row::Result(Outcome::PartlyDisclosed),
                Business
            ),
            Some(1)
        );
        assert_eq!(
            cell(&t2023, Table3Row::CarriedForward, NaturalPerson),
            Some(2)
        );
        assert_eq!(
            t2023
                .behind(Table3Row::CarriedForward, Table3Column::Total)
                .len(),
            2
        );
        let t2024 = table3(&cases, 2024);
        assert_eq!(
            cell(&t2024, Table3Row::CarriedOver, NaturalPerson),
            Some(2),
            "2023's 结转 is 2024's 上年结转"
        );
        let mut report = gongkai_report::Report::blank(Format::Current2021);
        for t in [&t2023, &t2024] {
            report.table3 = t.table.clone();
            let errors: Vec<_> = gongkai_report::check(&report, None)
                .into_iter()
                .filter(|f| f.severity == gongkai_report::Severity::Error)
                .collect();
            assert!(errors.is_empty(), "{errors:?}");
        }
        report.table3 = t2024.table.clone();
        let mut previous = gongkai_report::Report::blank(Format::Current2021);
        previous.table3 = t2023.table.clone();
        assert!(
            gongkai_report::check(&report, Some(&previous))
                .iter()
                .all(|f| f.code != gongkai_report::Code::CrossYear)
        );
    }
}
