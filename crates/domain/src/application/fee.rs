//! 信息处理费 of one application (国办函〔2020〕109号): how it was worked out, when the notice
//! reached the applicant (the 20 working days to pay count from the next day), and any 减免.

use gongkai_law::{ClockEventKind, Date, FeeCharge, FeeMethod, Reckoning, WorkingCalendar};
use serde::{Deserialize, Serialize};

use super::Application;
use crate::{DomainError, UserName};

/// The longest reason for a 减免 kept.
pub const MAX_WAIVER_REASON_CHARS: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeFacts {
    pub method: FeeMethod,
    /// 按件: the application's place in the applicant's month; 按量: pages.
    pub quantity: u32,
    /// What the standard gives, before any 减免.
    pub charged_yuan: u64,
    /// How the amount follows from the standard (quoted in the notice).
    pub working: String,
    /// 收费通知送达之日.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiver: Option<FeeWaiver>,
}

/// 减免: the fee reduced, by whom and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeWaiver {
    pub date: Date,
    /// What remains to pay (0 = 免收).
    pub yuan: u64,
    pub reason: String,
    pub by: UserName,
}

impl FeeFacts {
    /// Works the amount out from the standard; a notice for nothing is refused.
    pub fn work_out(method: FeeMethod, quantity: u32) -> Result<Self, DomainError> {
        let charge =
            FeeCharge::new(method, quantity).map_err(|v| DomainError::invalid("计费数量", v.zh))?;
        if charge.yuan == 0 {
            return Err(DomainError::invalid(
                "计费数量",
                format!("{}：不收取信息处理费，无需发出收费通知", charge.working),
            ));
        }
        Ok(Self {
            method,
            quantity,
            charged_yuan: charge.yuan,
            working: charge.working,
            delivered: None,
            waiver: None,
        })
    }

    pub(super) fn delivered(self, date: Date) -> Result<Self, DomainError> {
        if let Some(day) = self.delivered {
            return Err(DomainError::State(format!(
                "收费通知已于{day}送达，不能重复登记"
            )));
        }
        Ok(Self {
            delivered: Some(date),
            ..self
        })
    }
}

impl FeeWaiver {
    pub(super) fn new(
        date: Date,
        yuan: u64,
        reason: &str,
        due_now: u64,
        by: &UserName,
    ) -> Result<Self, DomainError> {
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > MAX_WAIVER_REASON_CHARS {
            return Err(DomainError::invalid(
                "减免理由",
                format!("请写明减免的理由（1–{MAX_WAIVER_REASON_CHARS}字），记入案卷"),
            ));
        }
        if yuan >= due_now {
            return Err(DomainError::invalid(
                "减免后金额",
                format!("减免后金额应少于应缴的{due_now}元（0 为全部免收）"),
            ));
        }
        Ok(Self {
            date,
            yuan,
            reason: reason.to_string(),
            by: by.clone(),
        })
    }
}

impl Application {
    /// The fee notice still awaiting payment, for an action on it (`what`).
    pub(super) fn fee_awaiting(&self, what: &str) -> Result<FeeFacts, DomainError> {
        let settled = self
            .clock
            .iter()
            .any(|e| matches!(e.kind, ClockEventKind::FeePaid | ClockEventKind::FeeWaived));
        match &self.letter_facts.fee {
            Some(fee) if !settled => Ok(fee.clone()),
            _ => Err(DomainError::State(format!(
                "申请 {} 没有待缴费的收费通知，不能{what}",
                self.number
            ))),
        }
    }

    /// The last day to pay: 20 working days from the day after the notice was received; `None`
    /// until its delivery is recorded. 暂定 where a year's holiday notice is missing.
    pub fn fee_payment_due(&self, calendar: &WorkingCalendar) -> Option<Reckoning> {
        let delivered = self.letter_facts.fee.as_ref()?.delivered?;
        gongkai_law::fees::payment_due(calendar, delivered).ok()
    }
}
