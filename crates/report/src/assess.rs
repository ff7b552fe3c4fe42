//! One verdict per report: read it, check it, say where it stands.

use crate::{Finding, Reading, Severity, check, findings::Code, model::Report, read};

/// Where a report stands after reading and checking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// Read in full; every identity holds (warnings allowed).
    Consistent,
    /// Read in full; an identity fails.
    Inconsistent,
    /// Read in part: rows or cells missing.
    Incomplete,
    /// No table 三: not readable as an annual report.
    Unreadable,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Self::Consistent => "consistent",
            Self::Inconsistent => "inconsistent",
            Self::Incomplete => "incomplete",
            Self::Unreadable => "unreadable",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Consistent => "一致",
            Self::Inconsistent => "不一致",
            Self::Incomplete => "不完整",
            Self::Unreadable => "无法读取",
        }
    }

    /// `gongkai report check`: 0 read and consistent, 1 an identity fails, 2 not read.
    pub fn exit_code(self) -> u8 {
        match self {
            Self::Consistent => 0,
            Self::Inconsistent => 1,
            Self::Incomplete | Self::Unreadable => 2,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Assessment {
    pub reading: Reading,
    /// Reading findings first, then the checks'.
    pub findings: Vec<Finding>,
    pub status: Status,
}

impl Assessment {
    pub fn report(&self) -> &Report {
        &self.reading.report
    }

    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .count()
    }
}

/// Reads and checks a published report (text or HTML).
pub fn assess(text: &str, previous: Option<&Report>) -> Assessment {
    assess_reading(read(text), previous)
}

pub fn assess_reading(reading: Reading, previous: Option<&Report>) -> Assessment {
    let mut findings = reading.findings.clone();
    let unreadable = findings.iter().any(|f| f.code == Code::NoTable3);
    if !unreadable {
        findings.extend(check(&reading.report, previous));
    }
    if !unreadable && !reading.is_complete() {
        // Rows that were never read look blank: what cannot be verified because of them
        // is already said by the reading gap.
        findings.retain(|f| {
            f.severity == Severity::Error
                || !matches!(
                    f.code,
                    Code::BlankCells | Code::ResultSum | Code::Balance | Code::ProseMismatch
                )
        });
    }
    let status = if unreadable {
        Status::Unreadable
    } else if !reading.is_complete() {
        Status::Incomplete
    } else if findings.iter().any(|f| f.severity == Severity::Error) {
        Status::Inconsistent
    } else {
        Status::Consistent
    };
    Assessment {
        reading,
        findings,
        status,
    }
}
