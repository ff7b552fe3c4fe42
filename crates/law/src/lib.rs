//! Statutory rules of 政府信息公开 (government information disclosure), as pure code.
//!
//! Everything here follows `shared/LAW.md`: the 《政府信息公开条例》 (国务院令第711号), the fee
//! measures (国办函〔2020〕109号), the annual report format (国办公开办函〔2021〕30号) and the
//! State Council's yearly holiday notices. Nothing in this crate touches the file system, the
//! network or the system clock: calendar data is embedded or passed in, and "today" is always
//! an argument.

pub mod appeal;
pub mod applicant;
pub mod calendar;
pub mod clock;
pub mod date;
pub mod fees;
pub mod outcome;
mod serde_codes;
pub mod violation;

pub use appeal::{AppealRoute, RouteRule};
pub use applicant::ApplicantKind;
pub use calendar::{HolidayNotice, Reckoning, WorkingCalendar};
pub use clock::{AnswerClock, ClockEvent, ClockEventKind, ClockSettings, ClockState, Deadline};
pub use date::{Date, parse_date};
pub use fees::{FeeAssessment, FeeBand, FeeCharge, FeeMethod};
pub use outcome::{Outcome, OutcomeGroup};
pub use violation::RuleViolation;

/// What an error message quotes of something typed: the first 32 characters, and how long it
/// was when longer (a 10 MB field is never echoed whole).
pub fn excerpt(text: &str) -> String {
    const SHOWN: usize = 32;
    let count = text.chars().count();
    if count <= SHOWN {
        text.to_string()
    } else {
        format!(
            "{}…（共{count}字）",
            text.chars().take(SHOWN).collect::<String>()
        )
    }
}
