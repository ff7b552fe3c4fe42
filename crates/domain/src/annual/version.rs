//! One version of an agency's report for a year: the staff's edits while it is drafted, then,
//! once submitted, the report frozen as it was checked, going out as a publication through
//! the agency's review chain. Publishing is blocked on a check error unless a 审核人 allows it
//! with a written reason, which is kept. A correction is a new version; the old one stays.

use gongkai_report::{Finding, Report, Severity, model::SectionKind};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::{
    Actor, AgencyCode, DomainError, Role, UserName,
    publication::{Publication, PublicationState},
    records::{Record, RecordKind},
};

use super::{EDITABLE, Edits};

/// 审核人 overriding the check errors, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Override {
    pub by: UserName,
    pub reason: String,
}

/// The report as submitted: frozen, with what the checks said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    pub at: Timestamp,
    pub by: UserName,
    /// The publication carrying it through the review chain.
    pub publication: u64,
    /// The report model (`gongkai_report::json`), as it was checked.
    pub report: serde_json::Value,
    /// The check findings at submission, as text.
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
    pub override_errors: Option<Override>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnualReport {
    pub agency: AgencyCode,
    pub year: i16,
    /// 版本 — 1, then 2 for the first correction …
    pub number: u32,
    /// Edited narrative sections by section code; the rest are drafted from the records.
    pub edits: Edits,
    pub submission: Option<Submission>,
    /// Earlier submissions the review returned, or that were withdrawn.
    #[serde(default)]
    pub returned: Vec<Submission>,
    /// 更正说明, for a correction.
    pub correction_reason: Option<String>,
    /// A 审核人's written reason for letting this text go out despite its check errors;
    /// cleared by any edit.
    #[serde(default)]
    pub override_errors: Option<Override>,
}

impl Record for AnnualReport {
    const KIND: RecordKind = RecordKind::AnnualReport;
    fn agency(&self) -> &AgencyCode {
        &self.agency
    }
    fn key(&self) -> String {
        version_key(self.year, self.number)
    }
}

pub fn version_key(year: i16, number: u32) -> String {
    format!("{year}-{number:03}")
}

/// Where a version stands, read with its publication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportStatus {
    /// 编写中
    Drafting,
    /// 审核中 (at a step of the review chain)
    InReview,
    /// 已审定，定时发布
    Scheduled,
    /// 已发布
    Published,
    /// 已撤回 or 退回: may be reopened
    Returned,
}

impl ReportStatus {
    pub fn label(&self) -> &'static str {
        match self {
            Self::Drafting => "编写中",
            Self::InReview => "审核中",
            Self::Scheduled => "已审定，待发布",
            Self::Published => "已发布",
            Self::Returned => "已退回或撤回",
        }
    }
}

impl AnnualReport {
    pub fn first(agency: AgencyCode, year: i16) -> Self {
        Self {
            agency,
            year,
            number: 1,
            edits: Edits::new(),
            submission: None,
            returned: Vec::new(),
            correction_reason: None,
            override_errors: None,
        }
    }

    pub fn status(&self, publication: Option<&Publication>) -> ReportStatus {
        match (&self.submission, publication) {
            (None, _) => ReportStatus::Drafting,
            (Some(_), Some(p)) if p.is_public() => ReportStatus::Published,
            (Some(_), Some(p)) => match p.state {
                PublicationState::InReview(_) => ReportStatus::InReview,
                PublicationState::Scheduled => ReportStatus::Scheduled,
                _ => ReportStatus::Returned,
            },
            (Some(_), None) => ReportStatus::Returned,
        }
    }

    /// The frozen report, once submitted.
    pub fn frozen(&self) -> Option<Result<Report, String>> {
        self.submission
            .as_ref()
            .map(|s| gongkai_report::json::from_json(&s.report.to_string()))
    }

    /// 修改 — a narrative section replaced by the staff's text (audited by the store).
    pub fn edit(
        &self,
        actor: &Actor,
        kind: SectionKind,
        text: &str,
    ) -> Result<AnnualReport, DomainError> {
        actor.require(&self.agency, Role::CaseOfficer, "编写年度报告")?;
        if self.submission.is_some() {
            return Err(DomainError::State(
                "报告已提交发布，内容已锁定；如需修改，请在退回后重新编辑，或发布更正版本".into(),
            ));
        }
        if !EDITABLE.contains(&kind) {
            return Err(DomainError::invalid(
                "section",
                "第二、三、四部分为表格，由记录生成，不能直接修改；请更正相应的办理记录",
            ));
        }
        let paragraphs: Vec<String> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        let mut next = self.clone();
        // What a reviewer let through was the old text.
        next.override_errors = None;
        if paragraphs.is_empty() {
            // An emptied section goes back to the draft from the records.
            next.edits.remove(kind.code());
        } else {
            next.edits.insert(kind.code().to_string(), paragraphs);
        }
        Ok(next)
    }

    /// 批准带错误发布 — a 审核人 lets the current text go out despite its check errors, with a
    /// written reason that is kept with the report.
    pub fn allow_errors(&self, actor: &Actor, reason: &str) -> Result<AnnualReport, DomainError> {
        actor.require(&self.agency, Role::Reviewer, "批准有核对错误的报告发布")?;
        if self.submission.is_some() {
            return Err(DomainError::State("报告已经提交".into()));
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(DomainError::invalid("reason", "请写明允许带错误发布的理由"));
        }
        let mut next = self.clone();
        next.override_errors = Some(Override {
            by: actor.user.clone(),
            reason: reason.to_string(),
        });
        Ok(next)
    }

    /// 提交发布 — freezes the checked report. With a check error it goes on only when a
    /// 审核人 has allowed this text with a reason ([`Self::allow_errors`]).
    pub fn submit(
        &self,
        actor: &Actor,
        report: &Report,
        findings: &[Finding],
        publication: u64,
        now: Timestamp,
    ) -> Result<AnnualReport, DomainError> {
        actor.require(&self.agency, Role::CaseOfficer, "提交年度报告")?;
        if self.submission.is_some() {
            return Err(DomainError::State("报告已经提交".into()));
        }
        let unfilled = super::narrative::unfilled(report);
        if !unfilled.is_empty() {
            return Err(DomainError::invalid(
                "报告正文",
                format!(
                    "报告正文还有{}处“待填写”（系统记录无法提供的内容，须如实填写后才能提交）：{}",
                    unfilled.len(),
                    unfilled
                        .iter()
                        .map(|p| p.chars().take(60).collect::<String>())
                        .collect::<Vec<_>>()
                        .join("；")
                ),
            ));
        }
        let text = |severity| {
            findings
                .iter()
                .filter(|f| f.severity == severity)
                .map(|f| f.to_string())
                .collect::<Vec<_>>()
        };
        let errors = text(Severity::Error);
        if !errors.is_empty() && self.override_errors.is_none() {
            return Err(DomainError::State(format!(
                "报告有{}项核对错误，不能发布：请更正办理记录或报告正文；确需发布的，须由审核人写明理由批准后再提交",
                errors.len()
            )));
        }
        let mut next = self.clone();
        next.submission = Some(Submission {
            at: now,
            by: actor.user.clone(),
            publication,
            report: gongkai_report::json::to_json(report),
            override_errors: if errors.is_empty() {
                None
            } else {
                self.override_errors.clone()
            },
            errors,
            warnings: text(Severity::Warning),
        });
        Ok(next)
    }

    /// 重新编辑 — after the review returned the publication, or it was withdrawn.
    pub fn reopen(
        &self,
        actor: &Actor,
        publication: Option<&Publication>,
    ) -> Result<AnnualReport, DomainError> {
        actor.require(&self.agency, Role::CaseOfficer, "重新编辑年度报告")?;
        if self.status(publication) != ReportStatus::Returned {
            return Err(DomainError::State(
                "只有被退回或撤回的报告可以重新编辑；已发布的报告请发布更正版本".into(),
            ));
        }
        let mut next = self.clone();
        next.returned.extend(next.submission.take());
        Ok(next)
    }

    /// 更正 — a new version of a published report, starting from its text.
    pub fn correction(
        &self,
        actor: &Actor,
        publication: Option<&Publication>,
        reason: &str,
    ) -> Result<AnnualReport, DomainError> {
        actor.require(&self.agency, Role::CaseOfficer, "更正年度报告")?;
        if self.status(publication) != ReportStatus::Published {
            return Err(DomainError::State(
                "只有已发布的报告可以更正；未发布的报告直接修改即可".into(),
            ));
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(DomainError::invalid("reason", "请说明更正的内容和原因"));
        }
        let mut edits = self.edits.clone();
        if let Some(Ok(frozen)) = self.frozen() {
            for kind in EDITABLE {
                if let Some(section) = frozen.section(kind) {
                    edits.insert(kind.code().to_string(), section.paragraphs.clone());
                }
            }
        }
        Ok(AnnualReport {
            agency: self.agency.clone(),
            year: self.year,
            number: self.number + 1,
            edits,
            submission: None,
            returned: Vec::new(),
            correction_reason: Some(reason.to_string()),
            override_errors: None,
        })
    }
}
