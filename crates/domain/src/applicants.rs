//! 申请人 — one applicant across the applications made to one agency.
//!
//! Every application is linked to an applicant record when it is recorded: the record with the
//! same identity document (身份证明) if there is one; otherwise a new record, with a record of
//! the same name and contact *suggested* for staff to confirm (names repeat; a wrong merge
//! would charge someone else's fees and refuse someone else's request). The applicant's other
//! applications then feed three rules: the 按件 fee count of the natural month (国办函〔2020〕
//! 109号), repeated requests for information already answered (第三十六条第（六）项), and
//! volume or frequency beyond a reasonable range (第三十五条).

use gongkai_law::Date;
use serde::{Deserialize, Serialize};

use crate::{Applicant, Application, identity::IdDocument};

/// An applicant record's number within its agency.
pub type ApplicantId = u64;

/// How an application came to belong to its applicant record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchBasis {
    /// The same identity document as earlier applications.
    IdDocument,
    /// No earlier record matched: a record of its own.
    NewRecord,
    /// Staff confirmed the suggested record (same name and contact).
    ConfirmedByStaff,
}

impl MatchBasis {
    pub fn label(self) -> &'static str {
        match self {
            Self::IdDocument => "按身份证明自动关联",
            Self::NewRecord => "新申请人",
            Self::ConfirmedByStaff => "工作人员确认为同一申请人",
        }
    }
}

/// The application's applicant record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicantLink {
    pub id: ApplicantId,
    pub basis: MatchBasis,
    /// A record with the same name and contact, until staff decide whether it is the same
    /// applicant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggested: Option<ApplicantId>,
}

/// What an applicant record is found by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicantKeys {
    /// The identity document, kind and number (`resident:…`, `credit:…`, `other:护照:…`).
    pub document: Option<String>,
    pub name: String,
    /// The contact without spaces, dashes or case (`""` when none was given: no suggestion).
    pub contact: String,
}

impl ApplicantKeys {
    pub fn of(applicant: &Applicant) -> Self {
        let squeeze = |text: &str| -> String {
            text.chars()
                .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '－' | '—'))
                .flat_map(char::to_lowercase)
                .collect()
        };
        let document = applicant.id_document.as_ref().map(|doc| match doc {
            IdDocument::ResidentId(id) => format!("resident:{}", id.as_str()),
            IdDocument::CreditCode(code) => format!("credit:{}", code.as_str()),
            IdDocument::Other { name, number } => {
                format!("other:{}:{}", name.trim(), squeeze(number).to_uppercase())
            }
        });
        Self {
            document,
            name: applicant.name.trim().to_string(),
            contact: squeeze(&applicant.contact),
        }
    }
}

/// What the records already held say about a new application's applicant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matched {
    /// The record with the same identity document.
    Existing(ApplicantId),
    /// A new record; `suggested` is a record with the same name and contact.
    New { suggested: Option<ApplicantId> },
}

/// Decides from the records found by document and by name + contact: a document is proof
/// enough; a name and contact are only a suggestion.
pub fn decide(
    by_document: Option<ApplicantId>,
    by_name_and_contact: Option<ApplicantId>,
) -> Matched {
    match by_document {
        Some(id) => Matched::Existing(id),
        None => Matched::New {
            suggested: by_name_and_contact,
        },
    }
}

impl Matched {
    /// The link for an application, given the id a new record would get.
    pub fn link(self, new_id: ApplicantId) -> ApplicantLink {
        match self {
            Self::Existing(id) => ApplicantLink {
                id,
                basis: MatchBasis::IdDocument,
                suggested: None,
            },
            Self::New { suggested } => ApplicantLink {
                id: new_id,
                basis: MatchBasis::NewRecord,
                suggested: suggested.filter(|s| *s != new_id),
            },
        }
    }
}

/// How similar two requests must be (0–1, character pairs) to be flagged as the same.
pub const REPEAT_SIMILARITY: f64 = 0.85;

/// An earlier application of the same applicant, already answered on its substance, that asked
/// for the same information (第三十六条第（六）项: 不予重复处理). Only a flag for staff: they
/// decide.
pub fn repeat_of<'a>(
    application: &Application,
    history: &'a [Application],
) -> Option<&'a Application> {
    let wanted = normalized(&application.content);
    history
        .iter()
        .filter(|earlier| {
            earlier.number != application.number
                && (earlier.received, &earlier.number)
                    <= (application.received, &application.number)
                && earlier.answered_on.is_some()
                && earlier.answer.as_ref().is_some_and(|a| {
                    // Deemed withdrawn: nothing was answered, asking again is no repeat.
                    !matches!(
                        a.outcome,
                        gongkai_law::Outcome::SupplementOverdue | gongkai_law::Outcome::FeeUnpaid
                    )
                })
        })
        .filter(|earlier| similarity(&wanted, &normalized(&earlier.content)) >= REPEAT_SIMILARITY)
        .max_by_key(|earlier| (earlier.received, earlier.number.clone()))
}

/// The application's place among its applicant's applications received in the same natural
/// month (1 for the first); the applications of the history include it.
pub fn place_in_month(application: &Application, history: &[Application]) -> u32 {
    let month = (application.received.year(), application.received.month());
    let place = history
        .iter()
        .filter(|other| other.number != application.number)
        .filter(|other| (other.received.year(), other.received.month()) == month)
        .filter(|other| {
            (other.received, &other.number) < (application.received, &application.number)
        })
        .count();
    u32::try_from(place).unwrap_or(u32::MAX - 1) + 1
}

/// How many applications the applicant made in the natural month of `day`.
pub fn month_count(history: &[Application], day: Date) -> u32 {
    let count = history
        .iter()
        .filter(|a| a.received.year() == day.year() && a.received.month() == day.month())
        .count();
    u32::try_from(count).unwrap_or(u32::MAX)
}

/// Letters and digits only, without the particles 的、之、了, so punctuation, spacing and
/// wording like 批复 / 的批复 do not hide a repeat.
fn normalized(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| c.is_alphanumeric() && !matches!(c, '的' | '之' | '了'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Dice's coefficient over adjacent character pairs: 1 for equal texts, 0 for nothing shared.
fn similarity(a: &[char], b: &[char]) -> f64 {
    if a == b {
        return 1.0;
    }
    if a.len() < 2 || b.len() < 2 {
        return 0.0;
    }
    let pairs = |t: &[char]| -> Vec<(char, char)> {
        let mut pairs: Vec<_> = t.windows(2).map(|w| (w[0], w[1])).collect();
        pairs.sort_unstable();
        pairs
    };
    let (x, y) = (pairs(a), pairs(b));
    // Shared pairs, counted with multiplicity, by walking both sorted lists.
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < x.len() && j < y.len() {
        match x[i].cmp(&y[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    (2 * shared) as f64 / (x.len() + y.len()) as f64
}

#[cfg(test)]
mod tests;
