//! 政策解读 — a policy document goes out with its 解读 (文字、图解、视频、在线访谈): the two are
//! linked both ways, a document whose 解读 is missing or came late is listed for the office,
//! and the annual report counts them.

use gongkai_law::{Date, WorkingCalendar};
use serde::{Deserialize, Serialize};

use super::Publication;

/// Working days after the document within which its 解读 is due, unless the agency sets
/// another number (`AgencySettings::interpretation_days`).
pub const DEFAULT_DAYS: u32 = 3;
/// The most an agency may allow.
pub const MAX_DAYS: u32 = 60;

/// The 公开目录 column of policy documents (行政规范性文件 and other 政策文件): what is
/// published there needs a 解读.
pub const POLICY_CATEGORY: &str = "政策文件";
/// The column 解读 are published in.
pub const INTERPRETATION_CATEGORY: &str = "政策解读";

/// What a 解读 explains: a policy document of the same agency, by its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interprets {
    pub document: u64,
    pub form: InterpretationForm,
}

/// 解读形式
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InterpretationForm {
    /// 文字解读
    Text,
    /// 图文解读（图解）
    Graphic,
    /// 视频、音频解读
    Video,
    /// 在线访谈、新闻发布会
    Interview,
}

impl InterpretationForm {
    pub const ALL: [Self; 4] = [Self::Text, Self::Graphic, Self::Video, Self::Interview];

    pub fn code(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Graphic => "graphic",
            Self::Video => "video",
            Self::Interview => "interview",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Text => "文字解读",
            Self::Graphic => "图文解读（图解）",
            Self::Video => "视频解读",
            Self::Interview => "在线访谈",
        }
    }

    /// How the annual report names it in a list ("图解3篇").
    pub fn short(self) -> &'static str {
        match self {
            Self::Text => "文字解读",
            Self::Graphic => "图解",
            Self::Video => "视频解读",
            Self::Interview => "在线访谈",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }
}

/// Whether a publication is a policy document that needs a 解读.
pub fn needs_interpretation(p: &Publication) -> bool {
    p.draft.interprets.is_none() && p.draft.category.starts_with(POLICY_CATEGORY)
}

/// Where a published policy document stands with its 解读.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// The first 解读 went out by the due day.
    OnTime,
    /// It went out after it (on this day).
    Late(Date),
    /// None yet; `overdue` once the due day has passed.
    Missing { overdue: bool },
}

/// A published policy document, its public 解读 and when they were due.
#[derive(Debug, Clone)]
pub struct DocumentCoverage<'a> {
    pub document: &'a Publication,
    pub interpretations: Vec<&'a Publication>,
    /// `days` working days after the document was published.
    pub due: Option<Date>,
    pub standing: Standing,
}

/// Every public policy document among `publications` (one agency's), with its 解读, newest
/// first.
pub fn coverage<'a>(
    publications: &'a [Publication],
    calendar: &WorkingCalendar,
    days: u32,
    today: Date,
) -> Vec<DocumentCoverage<'a>> {
    let mut out: Vec<DocumentCoverage<'a>> = publications
        .iter()
        .filter(|p| p.is_public() && needs_interpretation(p) && p.superseded_by.is_none())
        .filter_map(|document| {
            let published = document.published_on?;
            let mut interpretations: Vec<&Publication> = publications
                .iter()
                .filter(|i| {
                    i.is_public()
                        && i.draft
                            .interprets
                            .is_some_and(|x| x.document == document.id)
                })
                .collect();
            interpretations.sort_by_key(|i| (i.published_on, i.id));
            let due = calendar
                .add_working_days(published, days)
                .ok()
                .map(|r| r.date);
            let first = interpretations.first().and_then(|i| i.published_on);
            let standing = match (first, due) {
                (Some(day), Some(due)) if day > due => Standing::Late(day),
                (Some(_), _) => Standing::OnTime,
                (None, due) => Standing::Missing {
                    overdue: due.is_some_and(|due| today > due),
                },
            };
            Some(DocumentCoverage {
                document,
                interpretations,
                due,
                standing,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.document
            .published_on
            .cmp(&a.document.published_on)
            .then(b.document.id.cmp(&a.document.id))
    });
    out
}

/// A year's 政策解读 as the annual report states them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YearInterpretations {
    /// 解读 published in the year, and by form (most first).
    pub published: usize,
    pub by_form: Vec<(InterpretationForm, usize)>,
    /// Policy documents published in the year, of which with a 解读 on time, late, or none.
    pub documents: usize,
    pub on_time: usize,
    pub late: usize,
    pub missing: usize,
}

pub fn year(
    publications: &[Publication],
    calendar: &WorkingCalendar,
    days: u32,
    year: i16,
) -> YearInterpretations {
    let in_year = |p: &Publication| p.published_on.is_some_and(|d| d.year() == year);
    let mut by_form: std::collections::BTreeMap<InterpretationForm, usize> = Default::default();
    let mut published = 0;
    for p in publications.iter().filter(|p| p.is_public() && in_year(p)) {
        if let Some(x) = p.draft.interprets {
            published += 1;
            *by_form.entry(x.form).or_default() += 1;
        }
    }
    let mut by_form: Vec<(InterpretationForm, usize)> = by_form.into_iter().collect();
    by_form.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    // Judged as of the year's end: a 解读 due in January of the next year is not yet missing.
    let Ok(end) = Date::new(year, 12, 31) else {
        return YearInterpretations::default();
    };
    let mut out = YearInterpretations {
        published,
        by_form,
        ..Default::default()
    };
    for c in coverage(publications, calendar, days, end)
        .iter()
        .filter(|c| in_year(c.document))
    {
        out.documents += 1;
        match c.standing {
            Standing::OnTime => out.on_time += 1,
            Standing::Late(_) => out.late += 1,
            Standing::Missing { .. } => out.missing += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;

    use super::*;
    use crate::{
        Actor, AgencyCode, Role, UserName,
        publication::{Draft, PublicationAction, ReviewChain},
    };

    fn d(text: &str) -> Date {
        gongkai_law::parse_date("t", text).unwrap()
    }

    /// A publication in `category` that went out on `on` after every review step.
    fn published(id: u64, category: &str, on: &str, interprets: Option<Interprets>) -> Publication {
        let person = |name: &str, role: Role| Actor {
            user: UserName::parse(name).unwrap(),
            agency: AgencyCode::parse("demo").unwrap(),
            roles: vec![role],
        };
        let draft = Draft {
            title: format!("信息{id}"),
            body: vec!["正文".into()],
            category: category.into(),
            topic: "综合政务".into(),
            written_on: d(on),
            changed_on: None,
            doc_number: None,
            channels: vec!["政府网站".into()],
            release_on: None,
            department: None,
            catalog_entry: None,
            attachments: Vec::new(),
            interprets,
        };
        let chain = ReviewChain::standard();
        let clerk = person("clerk", Role::CaseOfficer);
        let go = |p: &Publication, who: &Actor, action| {
            p.apply(who, action, Timestamp::UNIX_EPOCH, d(on)).unwrap()
        };
        let mut p = Publication::new(
            AgencyCode::parse("demo").unwrap(),
            id,
            "示例街道办事处",
            &clerk,
            draft,
            chain.clone(),
        )
        .unwrap();
        p = go(&p, &clerk, PublicationAction::Submit);
        for (i, step) in chain.steps().iter().enumerate() {
            let who = person(&format!("step{i}"), step.role);
            p = go(&p, &who, PublicationAction::approve_with("经审查同意公开"));
        }
        assert!(p.is_public(), "{id}");
        p
    }

    #[test]
    fn documents_stand_with_their_interpretations() {
        let calendar = WorkingCalendar::embedded();
        // Published on Monday 2026-03-02; 解读 due three working days later, 2026-03-05.
        let doc = published(1, "政策文件/规范性文件", "2026-03-02", None);
        let on_time = published(
            2,
            INTERPRETATION_CATEGORY,
            "2026-03-04",
            Some(Interprets {
                document: 1,
                form: InterpretationForm::Graphic,
            }),
        );
        let other = published(3, "政策文件/其他文件", "2026-03-02", None);
        let late = published(
            4,
            INTERPRETATION_CATEGORY,
            "2026-03-09",
            Some(Interprets {
                document: 3,
                form: InterpretationForm::Text,
            }),
        );
        let alone = published(5, "政策文件/规范性文件", "2026-12-29", None);
        let notice = published(6, "通知公告", "2026-03-02", None);
        let all = vec![doc, on_time, other, late, alone, notice];
        let found = coverage(&all, &calendar, 3, d("2026-12-31"));
        let standing: Vec<(u64, Standing)> =
            found.iter().map(|c| (c.document.id, c.standing)).collect();
        assert_eq!(
            standing,
            [
                (5, Standing::Missing { overdue: false }),
                (3, Standing::Late(d("2026-03-09"))),
                (1, Standing::OnTime),
            ]
        );
        assert_eq!(found[2].due, Some(d("2026-03-05")));
        let counted = year(&all, &calendar, 3, 2026);
        assert_eq!(
            counted,
            YearInterpretations {
                published: 2,
                by_form: vec![
                    (InterpretationForm::Text, 1),
                    (InterpretationForm::Graphic, 1)
                ],
                documents: 3,
                on_time: 1,
                late: 1,
                missing: 1,
            }
        );
        // Past its due day the lone document is overdue.
        let later = coverage(&all, &calendar, 3, d("2027-01-08"));
        assert_eq!(later[0].standing, Standing::Missing { overdue: true });
    }

    #[test]
    fn forms_read_back_from_their_codes() {
        for form in InterpretationForm::ALL {
            assert_eq!(InterpretationForm::from_code(form.code()), Some(form));
        }
        assert_eq!(InterpretationForm::from_code("h5"), None);
    }
}
