//! 第三十五条: when an applicant's requests clearly exceed a reasonable range in number or
//! frequency, the agency may ask for reasons; if the reasons hold but 第三十三条's period cannot
//! be kept, it sets a reasonable later deadline and tells the applicant. That deadline then
//! stands in the clock in place of the statutory one.

use gongkai_law::{Date, Deadline, WorkingCalendar, clock::Step};
use serde::{Deserialize, Serialize};

use crate::DomainError;

/// The longest reason kept for a 第三十五条 deadline.
pub const MAX_REASON_CHARS: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonableDeadline {
    /// The day it was set (and told to the applicant).
    pub set_on: Date,
    pub due: Date,
    pub reason: String,
}

impl ReasonableDeadline {
    pub(super) fn new(
        reasons_asked: Option<Date>,
        set_on: Date,
        due: Date,
        reason: &str,
        statutory: Option<Date>,
    ) -> Result<Self, DomainError> {
        if reasons_asked.is_none() {
            return Err(DomainError::State(
                "须先要求申请人说明理由，认为理由合理的，才能确定延迟答复的合理期限（第三十五条）"
                    .into(),
            ));
        }
        let Some(statutory) = statutory else {
            return Err(DomainError::State(
                "答复期限暂停中，期限恢复计算后再确定合理期限".into(),
            ));
        };
        if due <= statutory {
            return Err(DomainError::invalid(
                "合理期限",
                format!(
                    "合理期限应晚于法定答复期限 {statutory}；在法定期限内能答复的，无需另定期限"
                ),
            ));
        }
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
            return Err(DomainError::invalid(
                "理由",
                format!("请写明无法在法定期限内答复的理由（1–{MAX_REASON_CHARS}字）"),
            ));
        }
        Ok(Self {
            set_on,
            due,
            reason: reason.to_string(),
        })
    }

    /// The clock with this deadline in place of the statutory one (when it is later).
    pub fn apply_to(
        &self,
        mut deadline: Deadline,
        calendar: &WorkingCalendar,
        today: Option<Date>,
    ) -> Deadline {
        let Some(statutory) = deadline.due else {
            return deadline;
        };
        if self.due <= statutory {
            return deadline;
        }
        deadline.due = Some(self.due);
        deadline.working_days_left = today.map(|today| {
            if today <= self.due {
                i64::from(calendar.working_days_between(today, self.due))
            } else {
                -i64::from(calendar.working_days_between(self.due, today))
            }
        });
        deadline.steps.push(Step {
            date: self.set_on,
            event: None,
            article: "第三十五条",
            text: format!(
                "{}申请人说明理由后，本机关认为理由合理但无法在法定期限内答复，确定延迟答复的合理期限至{}并告知申请人（{}）。",
                gongkai_law::date::chinese(self.set_on),
                gongkai_law::date::chinese(self.due),
                self.reason
            ),
            due: Some(self.due),
        });
        deadline
    }
}
