//! 更正申请 — 第四十一条: a citizen, legal person or other organisation with evidence that a
//! government information record about themselves is inaccurate may ask the agency to correct
//! it. The agency with the power to correct it verifies it and, if true, corrects it and tells
//! the requester; if it is not within its functions, it transfers the request to the agency
//! that may correct it and tells the requester, or tells the requester to go there.
//!
//! Its own kind of case: not a 公开申请, so it is not counted in table 三, and the 条例 sets it
//! no answer period (none is invented here).

use gongkai_law::Date;
use serde::{Deserialize, Serialize};

use crate::{
    Actor, AgencyCode, Applicant, DomainError, Role, UserName,
    records::{Record, RecordKind},
};

/// The longest text kept in any field of a correction request.
pub const MAX_TEXT_CHARS: usize = 2000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionRequest {
    pub agency: AgencyCode,
    pub id: u64,
    pub received: Date,
    pub requester: Applicant,
    /// 与其自身相关的政府信息记录: which record, where it was provided.
    pub record: String,
    /// What is inaccurate and what it should say.
    pub correction: String,
    /// 证据 the requester gave.
    pub evidence: String,
    pub decision: Option<CorrectionDecision>,
}

/// How a correction request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CorrectionOutcome {
    /// 审核属实，予以更正
    Corrected,
    /// 审核不属实，不予更正
    NotVerified,
    /// 不属于本机关职能范围，转送有权更正的行政机关处理
    Transferred,
    /// 不属于本机关职能范围，告知申请人向有权更正的行政机关提出
    Directed,
}

impl CorrectionOutcome {
    pub const ALL: [CorrectionOutcome; 4] = [
        Self::Corrected,
        Self::NotVerified,
        Self::Transferred,
        Self::Directed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Corrected => "corrected",
            Self::NotVerified => "not_verified",
            Self::Transferred => "transferred",
            Self::Directed => "directed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == code.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Corrected => "审核属实，予以更正",
            Self::NotVerified => "审核不属实，不予更正",
            Self::Transferred => "不属于本机关职能范围，转送有权更正的机关",
            Self::Directed => "不属于本机关职能范围，告知向有权更正的机关提出",
        }
    }

    /// Whether the outcome names the agency that may correct the record.
    pub fn names_another_agency(self) -> bool {
        matches!(self, Self::Transferred | Self::Directed)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionDecision {
    pub on: Date,
    pub outcome: CorrectionOutcome,
    /// The agency with the power to correct (transferred or directed).
    pub other_agency: Option<String>,
    /// What was corrected, or why not.
    pub note: String,
    pub by: UserName,
}

impl Record for CorrectionRequest {
    const KIND: RecordKind = RecordKind::Correction;
    fn agency(&self) -> &AgencyCode {
        &self.agency
    }
    fn key(&self) -> String {
        format!("{:010}", self.id)
    }
}

fn text(field: &str, value: &str, what: &str) -> Result<String, DomainError> {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > MAX_TEXT_CHARS {
        return Err(DomainError::invalid(
            field,
            format!("请写明{what}（1–{MAX_TEXT_CHARS}字）"),
        ));
    }
    Ok(value.to_string())
}

impl CorrectionRequest {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        actor: &Actor,
        agency: AgencyCode,
        id: u64,
        received: Date,
        today: Date,
        requester: Applicant,
        record: &str,
        correction: &str,
        evidence: &str,
    ) -> Result<Self, DomainError> {
        actor.require(&agency, Role::CaseOfficer, "登记更正申请")?;
        if received > today {
            return Err(DomainError::invalid(
                "received",
                format!("收到日期 {received} 晚于今天（{today}）"),
            ));
        }
        Ok(Self {
            agency,
            id,
            received,
            requester,
            record: text("record", record, "需要更正的政府信息记录")?,
            correction: text("correction", correction, "不准确之处及应当如何更正")?,
            // 第四十一条: 有证据证明.
            evidence: text("evidence", evidence, "证明记录不准确的证据（第四十一条）")?,
            decision: None,
        })
    }

    /// Records the decision (a 审核人's: the agency verifies the record before changing it).
    pub fn decide(
        &self,
        actor: &Actor,
        on: Date,
        today: Date,
        outcome: CorrectionOutcome,
        other_agency: &str,
        note: &str,
    ) -> Result<Self, DomainError> {
        actor.require(&self.agency, Role::Reviewer, "决定更正申请")?;
        if self.decision.is_some() {
            return Err(DomainError::State(format!("更正申请 {} 已办结", self.id)));
        }
        if on < self.received || on > today {
            return Err(DomainError::invalid(
                "on",
                format!("办结日期应在收到日期 {} 与今天之间", self.received),
            ));
        }
        let other_agency = other_agency.trim();
        let other_agency = if outcome.names_another_agency() {
            if other_agency.is_empty() || other_agency.chars().count() > 200 {
                return Err(DomainError::invalid(
                    "other_agency",
                    "请写明有权更正的行政机关（第四十一条）",
                ));
            }
            Some(other_agency.to_string())
        } else {
            None
        };
        Ok(Self {
            decision: Some(CorrectionDecision {
                on,
                outcome,
                other_agency,
                note: text("note", note, "更正的内容或不予更正的理由")?,
                by: actor.user.clone(),
            }),
            ..self.clone()
        })
    }

    /// The paragraphs of the letter that tells the requester (告知申请人), once decided.
    pub fn letter(&self) -> Option<Vec<String>> {
        let d = self.decision.as_ref()?;
        let opening = format!(
            "本机关于{}收到您要求更正政府信息记录的申请，申请更正的记录为：{}。",
            gongkai_law::date::chinese(self.received),
            self.record.trim_end_matches('。')
        );
        let decision = match d.outcome {
            CorrectionOutcome::Corrected => format!(
                "经审核，您提供的证据证明该记录不准确，情况属实。根据《中华人民共和国政府信息公开条例》第四十一条，本机关已予以更正：{}。",
                d.note.trim_end_matches('。')
            ),
            CorrectionOutcome::NotVerified => format!(
                "经审核，现有证据不能证明该记录不准确，本机关不予更正。理由：{}。",
                d.note.trim_end_matches('。')
            ),
            CorrectionOutcome::Transferred => format!(
                "该记录的更正不属于本机关职能范围。根据《中华人民共和国政府信息公开条例》第四十一条，本机关已将您的申请转送有权更正的{}处理。{}。",
                d.other_agency.as_deref().unwrap_or_default(),
                d.note.trim_end_matches('。')
            ),
            CorrectionOutcome::Directed => format!(
                "该记录的更正不属于本机关职能范围。根据《中华人民共和国政府信息公开条例》第四十一条，请您向有权更正的{}提出。{}。",
                d.other_agency.as_deref().unwrap_or_default(),
                d.note.trim_end_matches('。')
            ),
        };
        Some(vec![opening, decision])
    }
}

#[cfg(test)]
mod tests {
    use gongkai_law::{ApplicantKind, parse_date};

    use super::*;

    fn d(text: &str) -> Date {
        parse_date("t", text).unwrap()
    }

    fn actor(roles: &[Role]) -> Actor {
        Actor {
            user: UserName::parse("clerk").unwrap(),
            agency: AgencyCode::parse("demo").unwrap(),
            roles: roles.to_vec(),
        }
    }

    fn request() -> CorrectionRequest {
        CorrectionRequest::new(
            &actor(&[Role::CaseOfficer]),
            AgencyCode::parse("demo").unwrap(),
            1,
            d("2026-11-02"),
            d("2026-11-27"),
            Applicant::new(ApplicantKind::NaturalPerson, "张三", None, "13800000000").unwrap(),
            "2026年低保名单中本人的家庭人口数",
            "记为2人，应为3人",
            "户口簿复印件",
        )
        .unwrap()
    }

    #[test]
    fn evidence_is_required_and_the_reviewer_decides() {
        let no_evidence = CorrectionRequest::new(
            &actor(&[Role::CaseOfficer]),
            AgencyCode::parse("demo").unwrap(),
            2,
            d("2026-11-02"),
            d("2026-11-27"),
            Applicant::new(ApplicantKind::NaturalPerson, "张三", None, "").unwrap(),
            "某记录",
            "某处有误",
            " ",
        );
        assert!(no_evidence.unwrap_err().to_string().contains("证据"));
        let r = request();
        let clerk = actor(&[Role::CaseOfficer]);
        let reviewer = actor(&[Role::Reviewer]);
        let decide = |who: &Actor, outcome, other: &str| {
            r.decide(
                who,
                d("2026-11-20"),
                d("2026-11-27"),
                outcome,
                other,
                "已更正为3人",
            )
        };
        assert!(decide(&clerk, CorrectionOutcome::Corrected, "").is_err());
        assert!(decide(&reviewer, CorrectionOutcome::Transferred, "").is_err());
        let done = decide(&reviewer, CorrectionOutcome::Corrected, "").unwrap();
        let letter = done.letter().unwrap().join("");
        assert!(
            letter.contains("第四十一条") && letter.contains("已更正为3人"),
            "{letter}"
        );
        assert!(
            done.decide(
                &reviewer,
                d("2026-11-21"),
                d("2026-11-27"),
                CorrectionOutcome::NotVerified,
                "",
                "x"
            )
            .is_err(),
            "decided once"
        );
        let sent = decide(&reviewer, CorrectionOutcome::Transferred, "示例县民政局").unwrap();
        assert!(sent.letter().unwrap()[1].contains("转送有权更正的示例县民政局"));
    }
}
