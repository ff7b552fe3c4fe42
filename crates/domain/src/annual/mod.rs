//! 政府信息公开工作年度报告 from the records: tables 二/三/四 counted from the register, the
//! applications and the appeals, sections 一/五/六 drafted from the year's facts in the
//! official structure, staff edits kept beside the draft, the checks of the report engine run
//! before anything goes out, and each published version frozen (a correction is a new version;
//! the old one stays visible, marked). Due dates follow 第四十九条.

pub mod narrative;
pub mod review;
pub mod version;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use gongkai_law::{Date, WorkingCalendar};
use gongkai_report::model::{Format, Metadata, Report, Section, SectionKind, Table3Row};

use crate::{
    Agency, AgencyLevel, Application, Channel,
    appeal::{self, Appeal, Table4FromRecords},
    facts::{Proposal, ProposalKind, Training},
    publication::Publication,
    register::{self, RegisteredDocument, YearFigures},
    stats::{self, CaseFacts, Table3FromRecords},
};

pub use version::{AnnualReport, Override, ReportStatus, Submission};

/// 公开目录 category the published report goes under.
pub const REPORT_CATEGORY: &str = "政府信息公开年度报告";

/// Everything the report of (agency, year) is made from.
pub struct Sources<'a> {
    pub agency: &'a Agency,
    pub year: i16,
    pub applications: &'a [Application],
    pub publications: &'a [Publication],
    pub register: &'a [RegisteredDocument],
    pub figures: &'a YearFigures,
    pub appeals: &'a [Appeal],
    pub trainings: &'a [Training],
    pub proposals: &'a [Proposal],
    /// 公众参与 messages (领导信箱, 12345, 民意征集, 网上调查) and their replies.
    pub messages: &'a [crate::participation::Message],
    /// 工作要点 tasks set for the agency by the levels above, and its reports on them.
    pub tasks: &'a [crate::work_plan::KeyTask],
    pub task_reports: &'a [crate::work_plan::TaskReport],
    /// Last year's report (from gongkai, or read in from the agency's site).
    pub previous: Option<&'a Report>,
    pub calendar: &'a WorkingCalendar,
}

/// The year's facts the narrative states, each counted from records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YearFacts {
    pub agency_name: String,
    /// A 人民政府 (its report also states 第五十条第（四）项's results).
    pub peoples_government: bool,
    pub year: i16,
    /// 主动公开 items published in the year.
    pub published: usize,
    /// Of which on the website (渠道 政府网站).
    pub website: usize,
    /// Items per channel other than the website, most first.
    pub other_channels: Vec<(String, usize)>,
    /// Published later than 20 working days after 成文 (第二十六条).
    pub late_publications: usize,
    /// 政策解读 published in the year, and how the year's policy documents stand with theirs.
    pub interpretations: crate::publication::interpretation::YearInterpretations,
    /// Working days a 解读 is due after its document (the agency's setting).
    pub interpretation_days: u32,
    /// 工作要点: the year's tasks set by the levels above and how they were carried out.
    pub tasks: crate::work_plan::YearTasks,
    /// 公众参与: the year's messages per channel, replied, late, become applications.
    pub participation: Vec<(
        crate::participation::ParticipationChannel,
        crate::participation::ChannelYear,
    )>,
    /// The steps of the agency's review chain (审核流程).
    pub review_steps: Vec<String>,
    /// Applications received in the year per channel (提交方式).
    pub received_by_channel: Vec<(Channel, usize)>,
    /// Answers issued in the year after their statutory deadline.
    pub late_answers: usize,
    /// 上年收到申请: from last year's report, or from last year's records when there are any.
    pub previous_received: Option<u64>,
    /// 政务公开培训 held in the year, and their 参训人次 where counted.
    pub trainings: usize,
    pub participants: u64,
    /// 建议提案 received in the year, and how many answered by 31 December.
    pub deputy_suggestions: usize,
    pub member_proposals: usize,
    pub proposals_answered: usize,
    /// 信息处理费: notices sent in the year and the amount paid in the year (元).
    pub fee_notices: usize,
    pub fees_paid_yuan: u64,
    pub phone: String,
    pub email: String,
}

/// Tables 二/三/四 with the records behind their cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tables {
    pub table2: gongkai_report::model::Table2,
    pub table3: Table3FromRecords,
    pub table4: Table4FromRecords,
}

pub fn case_facts(application: &Application) -> CaseFacts {
    CaseFacts {
        number: application.number.clone(),
        kind: application.applicant.kind,
        received: application.received,
        answered: application
            .answered_on
            .zip(application.answer.as_ref().map(|a| a.outcome)),
    }
}

/// Counts the tables and the facts of the year from the records.
pub fn compile(src: &Sources<'_>) -> (YearFacts, Tables) {
    let year = src.year;
    let cases: Vec<CaseFacts> = src.applications.iter().map(case_facts).collect();
    let table3 = stats::table3(&cases, year);
    let tables = Tables {
        table2: register::table2(src.register, src.figures, year),
        table3,
        table4: appeal::table4(src.appeals, year),
    };
    let in_year = |d: Date| d.year() == year;

    let published: Vec<&Publication> = src
        .publications
        .iter()
        .filter(|p| p.published_on.is_some_and(in_year))
        .collect();
    let mut channels: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &published {
        for channel in &p.draft.channels {
            *channels.entry(channel.as_str()).or_default() += 1;
        }
    }
    let website = channels.remove(WEBSITE).unwrap_or(0);
    let mut other_channels: Vec<(String, usize)> = channels
        .into_iter()
        .map(|(c, n)| (c.to_string(), n))
        .collect();
    other_channels.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let late_publications = published
        .iter()
        .filter(|p| p.is_late(src.calendar, Date::new(year, 12, 31).expect("valid year")))
        .count();

    let mut by_channel: BTreeMap<Channel, usize> = BTreeMap::new();
    for a in src.applications.iter().filter(|a| in_year(a.received)) {
        *by_channel.entry(a.channel).or_default() += 1;
    }
    let fee_wait = src.agency.settings.fee_wait_pauses_clock;
    let late_answers = src
        .applications
        .iter()
        .filter(|a| a.answered_on.is_some_and(in_year))
        .filter(|a| {
            let due = a
                .deadline(src.calendar, fee_wait, None)
                .ok()
                .and_then(|d| d.due);
            matches!((a.answered_on, due), (Some(answered), Some(due)) if answered > due)
        })
        .count();

    let previous_received = src
        .previous
        .and_then(|r| r.table3.cell(Table3Row::NewlyReceived, TOTAL))
        .or_else(|| {
            let earlier = cases.iter().any(|c| c.received.year() < year);
            earlier.then(|| {
                cases
                    .iter()
                    .filter(|c| c.received.year() == year - 1)
                    .count() as u64
            })
        });

    let trainings: Vec<&Training> = src
        .trainings
        .iter()
        .filter(|t| in_year(t.held_on))
        .collect();
    let proposals: Vec<&Proposal> = src
        .proposals
        .iter()
        .filter(|p| in_year(p.received_on))
        .collect();
    let count_kind = |kind| proposals.iter().filter(|p| p.kind == kind).count();

    let fee_notices = src
        .applications
        .iter()
        .filter(|a| {
            a.clock
                .iter()
                .any(|e| e.kind == gongkai_law::ClockEventKind::FeeNotice && in_year(e.date))
        })
        .count();
    let fees_paid_yuan = src
        .applications
        .iter()
        .filter(|a| {
            a.clock
                .iter()
                .any(|e| e.kind == gongkai_law::ClockEventKind::FeePaid && in_year(e.date))
        })
        .filter_map(|a| a.letter_facts.fee_yuan)
        .sum();

    let facts = YearFacts {
        agency_name: src.agency.name.clone(),
        peoples_government: src.agency.is_peoples_government(),
        year,
        published: published.len(),
        website,
        other_channels,
        late_publications,
        interpretations: crate::publication::interpretation::year(
            src.publications,
            src.calendar,
            src.agency.settings.interpretation_days,
            year,
        ),
        interpretation_days: src.agency.settings.interpretation_days,
        tasks: crate::work_plan::year(src.tasks, src.task_reports, year),
        participation: crate::participation::year(
            src.messages,
            src.calendar,
            &src.agency.settings.participation_days,
            year,
        ),
        review_steps: src
            .agency
            .settings
            .review_chain
            .steps()
            .iter()
            .map(|s| s.name.clone())
            .collect(),
        received_by_channel: by_channel.into_iter().collect(),
        late_answers,
        previous_received,
        trainings: trainings.len(),
        participants: trainings
            .iter()
            .filter_map(|t| t.participants)
            .map(u64::from)
            .sum(),
        deputy_suggestions: count_kind(ProposalKind::DeputySuggestion),
        member_proposals: count_kind(ProposalKind::MemberProposal),
        proposals_answered: proposals
            .iter()
            .filter(|p| p.answered_on.is_some_and(|d| d.year() <= year))
            .count(),
        fee_notices,
        fees_paid_yuan,
        phone: src.agency.settings.office.phone.clone(),
        email: src.agency.settings.office.email.clone(),
    };
    (facts, tables)
}

/// The 政府网站 channel every publication goes to.
pub const WEBSITE: &str = "政府网站";
const TOTAL: gongkai_report::model::Table3Column = gongkai_report::model::Table3Column::Total;

/// Staff edits of the narrative sections, by section; a section not edited is the draft.
pub type Edits = BTreeMap<String, Vec<String>>;

/// The sections staff write (一, 五, 六); 二, 三 and 四 are the tables.
pub const EDITABLE: [SectionKind; 3] = [
    SectionKind::Overview,
    SectionKind::Problems,
    SectionKind::Other,
];

/// The report as it stands: tables from the records, each narrative section as edited or,
/// where nobody edited it, as drafted from the facts.
pub fn assemble(facts: &YearFacts, tables: &Tables, edits: &Edits) -> Report {
    let mut report = Report::blank(Format::Current2021);
    report.meta = Metadata {
        title: Some(format!(
            "{}{}年政府信息公开工作年度报告",
            facts.agency_name, facts.year
        )),
        year: Some(i32::from(facts.year)),
        agency: Some(facts.agency_name.clone()),
        index_number: None,
        catalog: Some(REPORT_CATEGORY.to_string()),
        written_date: None,
        published_date: None,
    };
    report.preamble = narrative::preamble(facts);
    report.table2 = tables.table2.clone();
    report.table3 = tables.table3.table.clone();
    report.table4 = tables.table4.table.clone();
    let drafted = narrative::draft(facts, &report);
    for kind in SectionKind::ALL {
        let paragraphs = match edits.get(kind.code()) {
            Some(edited) if EDITABLE.contains(&kind) => edited.clone(),
            _ => drafted.get(&kind).cloned().unwrap_or_default(),
        };
        report.sections.push(Section { kind, paragraphs });
    }
    report
}

/// 第四十九条: county-level and higher governments publish by 3月31日; their departments — and,
/// as the provinces require of them, 乡镇、街道 — by 1月31日 of the next year.
pub fn due_date(level: AgencyLevel, year: i16) -> Date {
    let (month, day) = match level {
        AgencyLevel::Province | AgencyLevel::City | AgencyLevel::County => (3, 31),
        AgencyLevel::Township | AgencyLevel::Department => (1, 31),
    };
    Date::new(year + 1, month, day).expect("a valid date")
}

/// What the back office says about a year's report that is not out yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reminder {
    pub year: i16,
    pub due: Date,
    /// Calendar days left; negative once late.
    pub days_left: i64,
}

/// A reminder from 1 December of the report's year until it is published (late ones stay).
pub fn reminder(level: AgencyLevel, year: i16, today: Date, published: bool) -> Option<Reminder> {
    let due = due_date(level, year);
    let from = Date::new(year, 12, 1).expect("a valid date");
    if published || today < from {
        return None;
    }
    let days_left = i64::from((due - today).get_days());
    Some(Reminder {
        year,
        due,
        days_left,
    })
}

/// A report published outside gongkai — a subordinate that does not run it, or a year before
/// the agency did — kept as its text and read with the report reader whenever it is used.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImportedReport {
    pub agency: crate::AgencyCode,
    pub year: i16,
    /// The file or address it came from.
    pub source: String,
    pub text: String,
    pub imported_at: jiff::Timestamp,
    pub by: crate::UserName,
}

impl crate::records::Record for ImportedReport {
    const KIND: crate::records::RecordKind = crate::records::RecordKind::ImportedReport;
    fn agency(&self) -> &crate::AgencyCode {
        &self.agency
    }
    fn key(&self) -> String {
        self.year.to_string()
    }
}

impl ImportedReport {
    /// Read and checked; refused when it is not a report at all, or of another year.
    pub fn new(
        actor: &crate::Actor,
        agency: crate::AgencyCode,
        year: i16,
        source: &str,
        text: &str,
        now: jiff::Timestamp,
    ) -> Result<Self, crate::DomainError> {
        if actor.agency != agency && !actor.has(crate::Role::Supervisor) {
            return Err(crate::DomainError::Forbidden(
                "只能导入本机关的报告，或由上级监督人员导入下级机关的报告".into(),
            ));
        }
        let assessment = gongkai_report::assess(text, None);
        if assessment.status == gongkai_report::Status::Unreadable {
            return Err(crate::DomainError::invalid(
                "file",
                format!(
                    "「{source}」中找不到年度报告的表三，无法读取；请上传报告全文（文本或网页）"
                ),
            ));
        }
        if let Some(stated) = assessment.report().meta.year
            && stated != i32::from(year)
        {
            return Err(crate::DomainError::invalid(
                "file",
                format!("「{source}」是{stated}年度的报告，不是{year}年度的"),
            ));
        }
        Ok(Self {
            agency,
            year,
            source: source.to_string(),
            text: text.to_string(),
            imported_at: now,
            by: actor.user.clone(),
        })
    }

    pub fn assess(&self, previous: Option<&Report>) -> gongkai_report::Assessment {
        gongkai_report::assess(&self.text, previous)
    }
}
