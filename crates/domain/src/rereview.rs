//! 定期评估审查 — 第十八条: an agency reviews, at regular intervals, the information it decided
//! not to disclose, and discloses what changed circumstances now allow. The information withheld
//! is what its answers withheld (不予公开, and the withheld part of 部分公开); each is due for
//! review a number of months (the agency's setting — the 条例 says only 定期) after its answer
//! or its last review.

use gongkai_law::{Date, OutcomeGroup};
use serde::{Deserialize, Serialize};

use crate::{
    Actor, AgencyCode, Application, ApplicationNumber, DomainError, Role, UserName,
    records::{Record, RecordKind},
};

/// The default interval between reviews, in months.
pub const DEFAULT_REVIEW_MONTHS: u32 = 12;

/// What a review found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewResult {
    /// 仍不宜公开 — the grounds still hold.
    StillWithheld,
    /// 情势变化，可以公开 — to be published proactively (第十八条).
    NowDisclosable,
}

impl ReviewResult {
    pub const ALL: [ReviewResult; 2] = [Self::StillWithheld, Self::NowDisclosable];

    pub fn code(self) -> &'static str {
        match self {
            Self::StillWithheld => "still_withheld",
            Self::NowDisclosable => "now_disclosable",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::StillWithheld => "仍不宜公开",
            Self::NowDisclosable => "情势变化，可以公开",
        }
    }
}

/// One review of information withheld in an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub agency: AgencyCode,
    pub application: ApplicationNumber,
    pub reviewed_on: Date,
    pub result: ReviewResult,
    /// The grounds found, or what is to be published.
    pub note: String,
    pub by: UserName,
}

impl Record for Review {
    const KIND: RecordKind = RecordKind::Review;
    fn agency(&self) -> &AgencyCode {
        &self.agency
    }
    fn key(&self) -> String {
        format!("{}/{}", self.application, self.reviewed_on)
    }
}

impl Review {
    pub fn new(
        actor: &Actor,
        withheld: &Application,
        reviewed_on: Date,
        today: Date,
        result: ReviewResult,
        note: &str,
    ) -> Result<Self, DomainError> {
        actor.require(&withheld.agency, Role::Reviewer, "评估审查不予公开的信息")?;
        if !withholds(withheld) {
            return Err(DomainError::State(format!(
                "申请 {} 的答复没有不予公开的信息",
                withheld.number
            )));
        }
        let answered = withheld.answered_on.expect("withholds() needs an answer");
        if reviewed_on < answered || reviewed_on > today {
            return Err(DomainError::invalid(
                "审查日期",
                format!("审查日期应在答复日期 {answered} 与今天之间"),
            ));
        }
        let note = note.trim();
        if note.is_empty() || note.chars().count() > 1000 {
            return Err(DomainError::invalid(
                "审查意见",
                "请写明审查意见（1–1000字）：仍不宜公开的依据，或可以公开的内容",
            ));
        }
        Ok(Self {
            agency: withheld.agency.clone(),
            application: withheld.number.clone(),
            reviewed_on,
            result,
            note: note.to_string(),
            by: actor.user.clone(),
        })
    }
}

/// Whether an answer withheld information (不予公开, or the withheld part of 部分公开).
pub fn withholds(application: &Application) -> bool {
    application.answered_on.is_some()
        && application.answer.as_ref().is_some_and(|a| {
            matches!(
                a.outcome.group(),
                OutcomeGroup::Withheld | OutcomeGroup::PartlyDisclosed
            )
        })
}

/// An item of the review queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withheld<'a> {
    pub application: &'a Application,
    /// The latest review, if any.
    pub last_review: Option<&'a Review>,
    /// When the next review is due.
    pub due: Date,
}

/// The information withheld and not found disclosable yet, soonest due first.
pub fn queue<'a>(
    applications: &'a [Application],
    reviews: &'a [Review],
    months: u32,
) -> Vec<Withheld<'a>> {
    let mut items: Vec<Withheld<'a>> = applications
        .iter()
        .filter(|a| withholds(a))
        .filter_map(|application| {
            let last_review = reviews
                .iter()
                .filter(|r| r.application == application.number)
                .max_by_key(|r| r.reviewed_on);
            if last_review.is_some_and(|r| r.result == ReviewResult::NowDisclosable) {
                return None;
            }
            let from = last_review
                .map(|r| r.reviewed_on)
                .or(application.answered_on)?;
            let due = add_months(from, months);
            Some(Withheld {
                application,
                last_review,
                due,
            })
        })
        .collect();
    items.sort_by_key(|w| (w.due, w.application.number.clone()));
    items
}

/// `months` calendar months after `date` (the last day of a shorter month when it has no such
/// day).
fn add_months(date: Date, months: u32) -> Date {
    let total = i32::from(date.year()) * 12 + i32::from(date.month()) - 1 + months as i32;
    let (year, month) = (total / 12, (total % 12 + 1) as i8);
    let first = Date::new(year as i16, month, 1).expect("a valid month");
    let last = first.last_of_month().day();
    Date::new(year as i16, month, date.day().min(last)).expect("a valid day")
}

/// The interval bound: 1 to 60 months.
pub fn check_review_months(months: u32) -> Result<u32, DomainError> {
    if (1..=60).contains(&months) {
        Ok(months)
    } else {
        Err(DomainError::invalid(
            "评估审查周期",
            format!("评估审查周期应为1至60个月，收到 {months}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use gongkai_law::{ApplicantKind, Outcome, parse_date};
    use jiff::Timestamp;

    use super::*;
    use crate::{Applicant, Channel, NewApplication};

    fn d(text: &str) -> Date {
        parse_date("t", text).unwrap()
    }

    fn answered(number: &str, on: &str, outcome: Outcome) -> Application {
        let new = NewApplication {
            number: ApplicationNumber::parse(number).unwrap(),
            applicant: Applicant::new(ApplicantKind::NaturalPerson, "张三", None, "").unwrap(),
            channel: Channel::InPerson,
            received: d("2024-01-02"),
            content: "某信息".into(),
            wanted_form: "纸质".into(),
        };
        Application::historical(
            AgencyCode::parse("demo").unwrap(),
            new,
            Some((d(on), outcome)),
            Timestamp::UNIX_EPOCH,
            d("2026-11-27"),
        )
        .unwrap()
    }

    #[test]
    fn withheld_information_is_reviewed_periodically_until_it_can_be_disclosed() {
        let apps = vec![
            answered("2024-001", "2024-01-31", Outcome::StateSecret),
            answered("2024-002", "2024-02-29", Outcome::PartlyDisclosed),
            answered("2024-003", "2024-03-10", Outcome::Disclosed),
        ];
        let queue0 = queue(&apps, &[], 12);
        let due: Vec<_> = queue0
            .iter()
            .map(|w| (w.application.number.as_str(), w.due))
            .collect();
        assert_eq!(
            due,
            [("2024-001", d("2025-01-31")), ("2024-002", d("2025-02-28"))]
        );

        let reviewer = Actor {
            user: UserName::parse("head").unwrap(),
            agency: AgencyCode::parse("demo").unwrap(),
            roles: vec![Role::Reviewer],
        };
        let kept = Review::new(
            &reviewer,
            &apps[0],
            d("2025-02-03"),
            d("2026-11-27"),
            ReviewResult::StillWithheld,
            "仍属国家秘密",
        )
        .unwrap();
        let open = Review::new(
            &reviewer,
            &apps[1],
            d("2025-03-03"),
            d("2026-11-27"),
            ReviewResult::NowDisclosable,
            "项目已验收，可公开",
        )
        .unwrap();
        let reviews = [kept, open];
        let after = queue(&apps, &reviews, 12);
        assert_eq!(after.len(), 1, "what can be disclosed leaves the queue");
        assert_eq!(after[0].due, d("2026-02-03"));
        assert!(
            Review::new(
                &reviewer,
                &apps[2],
                d("2025-03-03"),
                d("2026-11-27"),
                ReviewResult::StillWithheld,
                "x"
            )
            .is_err()
        );
        let clerk = Actor {
            roles: vec![Role::CaseOfficer],
            ..reviewer
        };
        assert!(
            Review::new(
                &clerk,
                &apps[0],
                d("2025-03-03"),
                d("2026-11-27"),
                ReviewResult::StillWithheld,
                "x"
            )
            .is_err()
        );
        assert_eq!(add_months(d("2024-01-31"), 1), d("2024-02-29"));
    }
}
