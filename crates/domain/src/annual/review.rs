//! 核查 — a supervisor's decisions on the findings in the annual reports of the agencies
//! below: confirmed (确认) or dismissed with a reason (驳回), kept with the supervising agency,
//! so the 下级机关汇总 shows next time only what is new or changed
//! (`gongkai_report::review` gives the fingerprints and standings).

use gongkai_report::review::{Decision, Decisions, Fingerprint, Verdict};

use crate::{
    Actor, AgencyCode, DomainError, Role, UserName,
    records::{Record, RecordKind},
};

/// One decision on one finding, kept by the supervising agency.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FindingDecision {
    /// The agency whose supervisor decided (the record's owner).
    pub supervisor: AgencyCode,
    pub year: i16,
    /// The agency whose report the finding is in.
    pub report_of: AgencyCode,
    pub decision: Decision,
    pub at: jiff::Timestamp,
    pub by: UserName,
}

impl Record for FindingDecision {
    const KIND: RecordKind = RecordKind::FindingDecision;
    fn agency(&self) -> &AgencyCode {
        &self.supervisor
    }
    fn key(&self) -> String {
        format!("{}/{}", self.year, self.decision.fingerprint)
    }
}

/// The name a report goes by in fingerprints: its agency's code and the year.
pub fn document(agency: &AgencyCode, year: i16) -> String {
    format!("{agency} {year}")
}

impl FindingDecision {
    /// A supervisor's decision on a finding in the report of `agency` (one of `below`, the
    /// agencies they supervise). A dismissal must say why.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        actor: &Actor,
        below: &[AgencyCode],
        year: i16,
        agency: AgencyCode,
        print: &Fingerprint,
        verdict: Verdict,
        reason: &str,
        now: jiff::Timestamp,
    ) -> Result<Self, DomainError> {
        if !actor.has(Role::Supervisor) {
            return Err(DomainError::Forbidden(
                "只有上级监督人员可核查下级机关的报告".into(),
            ));
        }
        if !below.contains(&agency) {
            return Err(DomainError::Forbidden(format!(
                "{agency} 不是本机关或所属机关"
            )));
        }
        let hex = |s: &str| s.len() == 16 && s.bytes().all(|b| b.is_ascii_hexdigit());
        if !hex(&print.full) || !hex(&print.place) {
            return Err(DomainError::invalid(
                "fingerprint",
                "发现的指纹无效：请从汇总页面重新提交",
            ));
        }
        let date = gongkai_law::date::china_date(now).to_string();
        let decision = Decision::new(print, verdict, reason, actor.user.as_str(), &date)
            .map_err(|e| DomainError::invalid("reason", e))?;
        Ok(Self {
            supervisor: actor.agency.clone(),
            year,
            report_of: agency,
            decision,
            at: now,
            by: actor.user.clone(),
        })
    }
}

/// The decisions of one year, as the report crate weighs findings against them.
pub fn decisions<'a>(kept: impl IntoIterator<Item = &'a FindingDecision>, year: i16) -> Decisions {
    let mut decisions = Decisions::default();
    for d in kept.into_iter().filter(|d| d.year == year) {
        decisions.insert(d.decision.clone());
    }
    decisions
}
