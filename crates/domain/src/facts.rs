//! Facts the annual report states that are recorded where they happen: 政务公开培训 (section
//! 一（五）监督保障) and 人大代表建议、政协委员提案 handled (section 六). Fees collected come from
//! the applications' fee notices; channel counts from the publications.

use gongkai_law::Date;
use serde::{Deserialize, Serialize};

use crate::{
    Actor, AgencyCode, DomainError, Role,
    records::{Record, RecordKind},
};

/// 政务公开培训
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Training {
    pub agency: AgencyCode,
    pub id: u64,
    pub held_on: Date,
    pub title: String,
    /// 参训人次, when counted.
    pub participants: Option<u32>,
}

impl Record for Training {
    const KIND: RecordKind = RecordKind::Training;
    fn agency(&self) -> &AgencyCode {
        &self.agency
    }
    fn key(&self) -> String {
        format!("{:010}", self.id)
    }
}

impl Training {
    pub fn new(
        actor: &Actor,
        agency: AgencyCode,
        id: u64,
        held_on: Date,
        title: &str,
        participants: Option<u32>,
    ) -> Result<Self, DomainError> {
        actor.require(&agency, Role::CaseOfficer, "登记培训")?;
        let title = title.trim();
        if title.is_empty() || title.chars().count() > 200 {
            return Err(DomainError::invalid("title", "培训名称应为1–200个字"));
        }
        Ok(Self {
            agency,
            id,
            held_on,
            title: title.to_string(),
            participants,
        })
    }
}

/// 人大代表建议 or 政协委员提案
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposalKind {
    /// 人大代表建议
    DeputySuggestion,
    /// 政协委员提案
    MemberProposal,
}

impl ProposalKind {
    pub const ALL: [ProposalKind; 2] = [Self::DeputySuggestion, Self::MemberProposal];

    pub fn label(self) -> &'static str {
        match self {
            Self::DeputySuggestion => "人大代表建议",
            Self::MemberProposal => "政协委员提案",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::DeputySuggestion => "deputy_suggestion",
            Self::MemberProposal => "member_proposal",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// 建议提案办理
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub agency: AgencyCode,
    pub id: u64,
    pub kind: ProposalKind,
    /// 交办日期
    pub received_on: Date,
    pub title: String,
    /// 办复日期, once answered.
    pub answered_on: Option<Date>,
}

impl Record for Proposal {
    const KIND: RecordKind = RecordKind::Proposal;
    fn agency(&self) -> &AgencyCode {
        &self.agency
    }
    fn key(&self) -> String {
        format!("{:010}", self.id)
    }
}

impl Proposal {
    pub fn new(
        actor: &Actor,
        agency: AgencyCode,
        id: u64,
        kind: ProposalKind,
        received_on: Date,
        title: &str,
        answered_on: Option<Date>,
    ) -> Result<Self, DomainError> {
        actor.require(&agency, Role::CaseOfficer, "登记建议提案")?;
        let title = title.trim();
        if title.is_empty() || title.chars().count() > 200 {
            return Err(DomainError::invalid("title", "建议提案标题应为1–200个字"));
        }
        if answered_on.is_some_and(|a| a < received_on) {
            return Err(DomainError::invalid(
                "answered_on",
                "办复日期不能早于交办日期",
            ));
        }
        Ok(Self {
            agency,
            id,
            kind,
            received_on,
            title: title.to_string(),
            answered_on,
        })
    }
}
