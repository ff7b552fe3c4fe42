//! 政务公开工作要点 — every year the upper level sets out its tasks (text, deadline, which
//! agencies below), each agency records what it did with its publications as evidence, the
//! upper level follows the progress, and the annual report's sections 五 and 六 say how the
//! tasks were carried out.

use gongkai_law::Date;
use serde::{Deserialize, Serialize};

use crate::{
    Actor, AgencyCode, DomainError, Role, UserName,
    error::bounded_text,
    records::{Record, RecordKind},
};

pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_TEXT_CHARS: usize = 5000;
/// Publications cited as the evidence of one report.
pub const MAX_EVIDENCE: usize = 20;

/// A task of the year's 工作要点, kept by the agency that set it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyTask {
    /// The agency that set it (the upper level).
    pub agency: AgencyCode,
    pub id: u64,
    pub year: i16,
    pub title: String,
    pub detail: String,
    /// 完成时限
    pub due: Date,
    /// The agencies below that carry it out; empty: every agency below.
    pub assignees: Vec<AgencyCode>,
    pub set_by: UserName,
    /// 撤销: a task set by mistake or overtaken, no longer carried out nor reported.
    #[serde(default)]
    pub withdrawn: Option<Withdrawal>,
}

/// Why and when a task was withdrawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withdrawal {
    pub on: Date,
    pub reason: String,
    pub by: UserName,
}

/// The longest reason for withdrawing a task.
pub const MAX_REASON_CHARS: usize = 500;

impl Record for KeyTask {
    const KIND: RecordKind = RecordKind::KeyTask;
    fn agency(&self) -> &AgencyCode {
        &self.agency
    }
    fn key(&self) -> String {
        format!("{}-{:06}", self.year, self.id)
    }
}

/// What a supervisor sets.
#[derive(Debug, Clone, Copy)]
pub struct NewTask<'a> {
    pub year: i16,
    pub title: &'a str,
    pub detail: &'a str,
    pub due: Date,
}

impl KeyTask {
    pub fn new(
        actor: &Actor,
        agency: AgencyCode,
        id: u64,
        new: NewTask<'_>,
        assignees: Vec<AgencyCode>,
    ) -> Result<Self, DomainError> {
        actor.require(&agency, Role::Supervisor, "部署工作要点")?;
        if new.due.year() != new.year {
            return Err(DomainError::invalid("完成时限", "应在要点所属的年度内"));
        }
        Ok(Self {
            agency,
            id,
            year: new.year,
            title: bounded_text("任务", new.title, MAX_TITLE_CHARS)?,
            detail: match new.detail.trim() {
                "" => String::new(),
                detail => bounded_text("要求", detail, MAX_TEXT_CHARS)?,
            },
            due: new.due,
            assignees,
            set_by: actor.user.clone(),
            withdrawn: None,
        })
    }

    /// Corrected by a supervisor of the agency that set it (its year stays), unless withdrawn.
    pub fn edit(
        &self,
        actor: &Actor,
        new: NewTask<'_>,
        assignees: Vec<AgencyCode>,
    ) -> Result<Self, DomainError> {
        actor.require(&self.agency, Role::Supervisor, "修改工作要点")?;
        self.refuse_withdrawn()?;
        if new.year != self.year {
            return Err(DomainError::invalid("年度", "任务所属的年度不能修改"));
        }
        let mut next = Self::new(actor, self.agency.clone(), self.id, new, assignees)?;
        next.set_by = self.set_by.clone();
        Ok(next)
    }

    /// 撤销 with a reason: the agencies no longer carry it out, the reports say nothing of it;
    /// what they reported is kept.
    pub fn withdraw(&self, actor: &Actor, reason: &str, today: Date) -> Result<Self, DomainError> {
        actor.require(&self.agency, Role::Supervisor, "撤销工作要点")?;
        self.refuse_withdrawn()?;
        let mut next = self.clone();
        next.withdrawn = Some(Withdrawal {
            on: today,
            reason: bounded_text("撤销理由", reason, MAX_REASON_CHARS)?,
            by: actor.user.clone(),
        });
        Ok(next)
    }

    pub fn is_active(&self) -> bool {
        self.withdrawn.is_none()
    }

    fn refuse_withdrawn(&self) -> Result<(), DomainError> {
        match &self.withdrawn {
            Some(w) => Err(DomainError::State(format!(
                "任务“{}”已于{}撤销",
                self.title,
                gongkai_law::date::chinese(w.on)
            ))),
            None => Ok(()),
        }
    }

    /// The report on this task among an agency's `reports`.
    pub fn report_in<'a>(&self, reports: &'a [TaskReport]) -> Option<&'a TaskReport> {
        reports
            .iter()
            .find(|r| r.setter == self.agency && r.task == self.id)
    }

    /// Whether `agency` carries it out (`below`: the agencies under the task's setter).
    pub fn is_for(&self, agency: &AgencyCode, below: &[AgencyCode]) -> bool {
        if self.assignees.is_empty() {
            below.contains(agency)
        } else {
            self.assignees.contains(agency)
        }
    }
}

/// What an agency did about a task, kept by that agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskReport {
    /// The agency reporting.
    pub agency: AgencyCode,
    /// The task: its setter and id.
    pub setter: AgencyCode,
    pub task: u64,
    pub text: String,
    /// 完成日期; none while it is still being carried out.
    pub done_on: Option<Date>,
    /// The reporting agency's publications that show it (by id).
    pub evidence: Vec<u64>,
    pub reported_by: UserName,
}

impl Record for TaskReport {
    const KIND: RecordKind = RecordKind::TaskReport;
    fn agency(&self) -> &AgencyCode {
        &self.agency
    }
    fn key(&self) -> String {
        report_key(&self.setter, self.task)
    }
}

/// The key of an agency's report on a task.
pub fn report_key(setter: &AgencyCode, task: u64) -> String {
    format!("{setter}-{task:06}")
}

impl TaskReport {
    pub fn new(
        actor: &Actor,
        task: &KeyTask,
        text: &str,
        done_on: Option<Date>,
        evidence: Vec<u64>,
        today: Date,
    ) -> Result<Self, DomainError> {
        actor.require(&actor.agency, Role::CaseOfficer, "报告工作要点落实情况")?;
        if done_on.is_some_and(|d| d > today) {
            return Err(DomainError::invalid("完成日期", "不能晚于今天"));
        }
        if evidence.len() > MAX_EVIDENCE {
            return Err(DomainError::invalid(
                "佐证",
                format!("最多引用{MAX_EVIDENCE}条公开信息"),
            ));
        }
        Ok(Self {
            agency: actor.agency.clone(),
            setter: task.agency.clone(),
            task: task.id,
            text: bounded_text("落实情况", text, MAX_TEXT_CHARS)?,
            done_on,
            evidence,
            reported_by: actor.user.clone(),
        })
    }
}

/// Where an agency stands with a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Done by the deadline.
    Done,
    /// Done after it.
    DoneLate,
    /// Being carried out (reported, not done); `overdue` past the deadline.
    Underway { overdue: bool },
    /// Nothing reported; `overdue` past the deadline.
    NotReported { overdue: bool },
}

impl Progress {
    pub fn of(task: &KeyTask, report: Option<&TaskReport>, today: Date) -> Self {
        let overdue = today > task.due;
        match report {
            Some(TaskReport {
                done_on: Some(day), ..
            }) if *day <= task.due => Self::Done,
            Some(TaskReport {
                done_on: Some(_), ..
            }) => Self::DoneLate,
            Some(_) => Self::Underway { overdue },
            None => Self::NotReported { overdue },
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Done => "已完成",
            Self::DoneLate => "逾期完成",
            Self::Underway { overdue: false } => "推进中",
            Self::Underway { overdue: true } => "推进中，已超时限",
            Self::NotReported { overdue: false } => "未报告",
            Self::NotReported { overdue: true } => "未报告，已超时限",
        }
    }

    /// As the API names it.
    pub fn code(self) -> &'static str {
        match self {
            Self::Done => "done",
            Self::DoneLate => "done_late",
            Self::Underway { overdue: false } => "underway",
            Self::Underway { overdue: true } => "underway_overdue",
            Self::NotReported { overdue: false } => "not_reported",
            Self::NotReported { overdue: true } => "not_reported_overdue",
        }
    }

    pub fn is_done(self) -> bool {
        matches!(self, Self::Done | Self::DoneLate)
    }
}

/// An agency's year of tasks, as its annual report states it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YearTasks {
    pub tasks: usize,
    pub done: usize,
    pub done_late: usize,
    /// Titles of the tasks not done by 31 December.
    pub open: Vec<String>,
}

/// `tasks` (those set for the agency, any year) and its `reports`, for `year` as of 31 December.
pub fn year(tasks: &[KeyTask], reports: &[TaskReport], year: i16) -> YearTasks {
    let Ok(end) = Date::new(year, 12, 31) else {
        return YearTasks::default();
    };
    let mut out = YearTasks::default();
    for task in tasks.iter().filter(|t| t.year == year && t.is_active()) {
        out.tasks += 1;
        let report = task
            .report_in(reports)
            .filter(|r| r.done_on.is_none_or(|d| d <= end));
        match Progress::of(task, report, end) {
            Progress::Done => out.done += 1,
            Progress::DoneLate => {
                out.done += 1;
                out.done_late += 1;
            }
            _ => out.open.push(task.title.clone()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        gongkai_law::parse_date("t", text).unwrap()
    }

    fn person(agency: &str, role: Role) -> Actor {
        Actor {
            user: UserName::parse("someone").unwrap(),
            agency: AgencyCode::parse(agency).unwrap(),
            roles: vec![role],
        }
    }

    fn task(id: u64, due: &str) -> KeyTask {
        KeyTask::new(
            &person("district", Role::Supervisor),
            AgencyCode::parse("district").unwrap(),
            id,
            NewTask {
                year: 2026,
                title: "推进基层政务公开标准化",
                detail: "",
                due: d(due),
            },
            Vec::new(),
        )
        .unwrap()
    }

    #[test]
    fn tasks_are_set_by_a_supervisor_for_their_year() {
        let clerk = person("district", Role::CaseOfficer);
        let new = NewTask {
            year: 2026,
            title: "任务",
            detail: "",
            due: d("2026-06-30"),
        };
        let district = AgencyCode::parse("district").unwrap();
        assert!(KeyTask::new(&clerk, district.clone(), 1, new, Vec::new()).is_err());
        let supervisor = person("district", Role::Supervisor);
        let next_year = NewTask {
            due: d("2027-01-15"),
            ..new
        };
        assert!(KeyTask::new(&supervisor, district.clone(), 1, next_year, Vec::new()).is_err());
        // Past its bound a text is refused, not cut.
        let long = "要".repeat(MAX_TEXT_CHARS + 1);
        let too_long = NewTask {
            detail: &long,
            ..new
        };
        let refused = KeyTask::new(&supervisor, district.clone(), 1, too_long, Vec::new())
            .unwrap_err()
            .to_string();
        assert!(refused.contains("5000"), "{refused}");
        let all = task(1, "2026-06-30");
        let street = AgencyCode::parse("street").unwrap();
        assert!(all.is_for(&street, std::slice::from_ref(&street)));
        assert!(!all.is_for(&street, &[]));
    }

    #[test]
    fn a_task_is_corrected_or_withdrawn_by_its_setter_only() {
        let t = task(1, "2026-06-30");
        let supervisor = person("district", Role::Supervisor);
        let corrected = NewTask {
            year: 2026,
            title: "推进基层政务公开标准化规范化",
            detail: "9月底前完成。",
            due: d("2026-09-30"),
        };
        let edited = t.edit(&supervisor, corrected, Vec::new()).unwrap();
        assert_eq!((edited.id, edited.due), (1, d("2026-09-30")));
        assert!(
            t.edit(
                &supervisor,
                NewTask {
                    year: 2027,
                    due: d("2027-03-31"),
                    ..corrected
                },
                Vec::new()
            )
            .is_err(),
            "its year stays"
        );
        assert!(
            t.edit(&person("street", Role::Supervisor), corrected, Vec::new())
                .is_err()
        );
        assert!(
            t.withdraw(&supervisor, "  ", d("2026-07-01")).is_err(),
            "a reason"
        );
        let long = "由".repeat(MAX_REASON_CHARS + 1);
        let refused = t
            .withdraw(&supervisor, &long, d("2026-07-01"))
            .unwrap_err()
            .to_string();
        assert!(refused.contains("500"), "refused with its bound: {refused}");
        let withdrawn = edited
            .withdraw(&supervisor, "与省级要点重复", d("2026-07-01"))
            .unwrap();
        assert!(!withdrawn.is_active());
        assert!(withdrawn.edit(&supervisor, corrected, Vec::new()).is_err());
        assert!(
            withdrawn
                .withdraw(&supervisor, "再撤", d("2026-07-02"))
                .is_err()
        );
        // The year's figures leave it out.
        let counted = year(&[withdrawn, task(2, "2026-06-30")], &[], 2026);
        assert_eq!(counted.tasks, 1);
    }

    #[test]
    fn progress_follows_the_report_and_the_deadline() {
        let t = task(1, "2026-06-30");
        let street = person("street", Role::CaseOfficer);
        let report = |done: Option<&str>| {
            TaskReport::new(
                &street,
                &t,
                "已完成目录梳理。",
                done.map(d),
                vec![3],
                d("2026-11-27"),
            )
            .unwrap()
        };
        assert_eq!(
            Progress::of(&t, None, d("2026-06-01")),
            Progress::NotReported { overdue: false }
        );
        assert_eq!(
            Progress::of(&t, Some(&report(None)), d("2026-07-01")),
            Progress::Underway { overdue: true }
        );
        assert_eq!(
            Progress::of(&t, Some(&report(Some("2026-06-20"))), d("2026-11-27")),
            Progress::Done
        );
        assert_eq!(
            Progress::of(&t, Some(&report(Some("2026-07-20"))), d("2026-11-27")),
            Progress::DoneLate
        );
        assert!(
            TaskReport::new(
                &street,
                &t,
                "x",
                Some(d("2026-12-01")),
                vec![],
                d("2026-11-27")
            )
            .is_err(),
            "not done in the future"
        );
        let tasks = [t.clone(), task(2, "2026-09-30"), task(3, "2026-12-31")];
        let reports = [report(Some("2026-07-20"))];
        assert_eq!(
            year(&tasks, &reports, 2026),
            YearTasks {
                tasks: 3,
                done: 1,
                done_late: 1,
                open: vec!["推进基层政务公开标准化".into(); 2],
            }
        );
    }
}
