//! 考核 — the supervising office scores the agencies below on their disclosure work: each
//! criterion is a share of things done right (answers on time, items published in time, catalog
//! entries fulfilled, …) counted from the records for a period, weighted by the office's
//! scheme, with the items that cost points named as the evidence.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{
    Actor, AgencyCode, DomainError, Role,
    records::{Record, RecordKind},
};

/// What is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    /// 依申请公开按期答复 (第三十三条)
    AnswersOnTime,
    /// 主动公开按时发布 (第二十六条)
    PublishedInTime,
    /// 主动公开基本目录落实
    CatalogFulfilled,
    /// 年度报告按时公布 (第四十九条) and passing its checks
    AnnualReport,
    /// 政策解读按时发布
    Interpretations,
    /// 公众参与按期回复
    ParticipationReplies,
}

impl Criterion {
    pub const ALL: [Self; 6] = [
        Self::AnswersOnTime,
        Self::PublishedInTime,
        Self::CatalogFulfilled,
        Self::AnnualReport,
        Self::Interpretations,
        Self::ParticipationReplies,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::AnswersOnTime => "answers_on_time",
            Self::PublishedInTime => "published_in_time",
            Self::CatalogFulfilled => "catalog_fulfilled",
            Self::AnnualReport => "annual_report",
            Self::Interpretations => "interpretations",
            Self::ParticipationReplies => "participation_replies",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::AnswersOnTime => "依申请公开按期答复",
            Self::PublishedInTime => "主动公开按时发布",
            Self::CatalogFulfilled => "基本目录落实",
            Self::AnnualReport => "年度报告按时公布且核对无误",
            Self::Interpretations => "政策解读按时发布",
            Self::ParticipationReplies => "公众参与按期回复",
        }
    }

    pub fn default_weight(self) -> u32 {
        match self {
            Self::AnswersOnTime | Self::PublishedInTime => 20,
            Self::CatalogFulfilled | Self::AnnualReport | Self::Interpretations => 15,
            Self::ParticipationReplies => 15,
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// Which agencies below an office a 考核 ranks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// 直属下级机关: those directly under the office (a city ranks its districts and
    /// departments, not every street of every district together with them).
    #[default]
    Direct,
    /// 全部下级机关: every agency in the office's tree.
    Whole,
}

impl Scope {
    pub fn code(self) -> &'static str {
        match self {
            Self::Direct => "direct",
            Self::Whole => "whole",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Direct => "直属下级机关",
            Self::Whole => "全部下级机关",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Direct, Self::Whole]
            .into_iter()
            .find(|s| s.code() == code)
    }

    /// The agencies of `agencies` the scope takes under `office`, in tree order.
    pub fn agencies(self, agencies: &[crate::Agency], office: &AgencyCode) -> Vec<AgencyCode> {
        match self {
            Self::Direct => agencies
                .iter()
                .filter(|a| a.parent.as_ref() == Some(office))
                .map(|a| a.code.clone())
                .collect(),
            Self::Whole => crate::store::subtree(agencies, office)
                .into_iter()
                .skip(1)
                .collect(),
        }
    }
}

/// The most one criterion may weigh.
pub const MAX_WEIGHT: u32 = 100;

/// 考核办法: the weight of each criterion, set by the supervising office (one record).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scheme {
    pub agency: AgencyCode,
    pub weights: BTreeMap<Criterion, u32>,
}

impl Record for Scheme {
    const KIND: RecordKind = RecordKind::AssessmentScheme;
    fn agency(&self) -> &AgencyCode {
        &self.agency
    }
    fn key(&self) -> String {
        "scheme".into()
    }
}

impl Scheme {
    pub fn standard(agency: AgencyCode) -> Self {
        Self {
            agency,
            weights: Criterion::ALL
                .into_iter()
                .map(|c| (c, c.default_weight()))
                .collect(),
        }
    }

    pub fn set(
        actor: &Actor,
        agency: AgencyCode,
        weights: BTreeMap<Criterion, u32>,
    ) -> Result<Self, DomainError> {
        actor.require(&agency, Role::Supervisor, "设置考核办法")?;
        if weights.values().any(|w| *w > MAX_WEIGHT) {
            return Err(DomainError::invalid(
                "权重",
                format!("每项权重为0至{MAX_WEIGHT}分"),
            ));
        }
        if weights.values().all(|w| *w == 0) {
            return Err(DomainError::invalid("权重", "至少一项权重大于0"));
        }
        Ok(Self { agency, weights })
    }

    pub fn weight(&self, criterion: Criterion) -> u32 {
        self.weights.get(&criterion).copied().unwrap_or(0)
    }

    pub fn total_weight(&self) -> u32 {
        self.weights.values().sum()
    }
}

/// One criterion measured for one agency: how many things were done right out of how many,
/// and the ones that were not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measure {
    pub criterion: Criterion,
    pub right: usize,
    pub of: usize,
    /// What cost points, in words (a case number, a title, a catalog entry …).
    pub missed: Vec<String>,
}

impl Measure {
    /// The share done right; nothing to judge counts as full marks.
    pub fn share(&self) -> f64 {
        if self.of == 0 {
            1.0
        } else {
            self.right as f64 / self.of as f64
        }
    }
}

/// An agency's points: per criterion, and the total on a scale of 100.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub agency: AgencyCode,
    pub points: Vec<(Criterion, f64)>,
    pub total: f64,
}

pub fn score(scheme: &Scheme, agency: AgencyCode, measures: &[Measure]) -> Score {
    let total_weight = scheme.total_weight().max(1) as f64;
    let points: Vec<(Criterion, f64)> = measures
        .iter()
        .map(|m| {
            let weight = scheme.weight(m.criterion) as f64;
            (m.criterion, weight * m.share() * 100.0 / total_weight)
        })
        .collect();
    let total = points.iter().map(|(_, p)| p).sum::<f64>();
    Score {
        agency,
        points,
        total: (total * 10.0).round() / 10.0,
    }
}

/// Evidence kept per criterion and agency in a published result at most (the count of what
/// cost points is kept whole).
pub const MAX_EVIDENCE: usize = 50;

/// One criterion of one agency as published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedMeasure {
    pub criterion: Criterion,
    pub points: f64,
    pub right: usize,
    pub of: usize,
    /// What cost points, the first [`MAX_EVIDENCE`].
    pub missed: Vec<String>,
}

/// One agency's line of a published result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedRow {
    pub agency: AgencyCode,
    /// The agency's name when published (names change; the result does not).
    pub name: String,
    pub total: f64,
    pub measures: Vec<PublishedMeasure>,
}

impl PublishedRow {
    pub fn new(name: String, score: &Score, measures: &[Measure]) -> Self {
        Self {
            agency: score.agency.clone(),
            name,
            total: score.total,
            measures: score
                .points
                .iter()
                .filter_map(|(criterion, points)| {
                    let m = measures.iter().find(|m| m.criterion == *criterion)?;
                    Some(PublishedMeasure {
                        criterion: *criterion,
                        points: (points * 10.0).round() / 10.0,
                        right: m.right,
                        of: m.of,
                        missed: m.missed.iter().take(MAX_EVIDENCE).cloned().collect(),
                    })
                })
                .collect(),
        }
    }
}

/// 考核结果 — the ranking a supervising office publishes for a period, frozen as computed:
/// records changed later do not change what was published. One record per period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedResult {
    /// The supervising office.
    pub agency: AgencyCode,
    pub from: gongkai_law::Date,
    pub to: gongkai_law::Date,
    /// The scheme's weights it was scored by.
    pub weights: BTreeMap<Criterion, u32>,
    pub published_on: gongkai_law::Date,
    pub published_by: crate::UserName,
    /// Which agencies it ranks.
    #[serde(default)]
    pub scope: Scope,
    /// Highest total first.
    pub rows: Vec<PublishedRow>,
    /// 撤回: published in error; its ranking is no longer shown.
    #[serde(default)]
    pub withdrawn: Option<Retraction>,
    /// Results of this period published before and withdrawn, oldest first: a corrected
    /// result says so.
    #[serde(default)]
    pub earlier: Vec<Retraction>,
}

/// A result withdrawn: when it had been published, when and why it was withdrawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retraction {
    pub published_on: gongkai_law::Date,
    pub on: gongkai_law::Date,
    pub reason: String,
    pub by: crate::UserName,
}

/// The longest reason for withdrawing a result.
pub const MAX_RETRACTION_CHARS: usize = 500;

impl Record for PublishedResult {
    const KIND: RecordKind = RecordKind::AssessmentResult;
    fn agency(&self) -> &AgencyCode {
        &self.agency
    }
    fn key(&self) -> String {
        Self::key_of(self.from, self.to)
    }
}

impl PublishedResult {
    /// `2026-01-01_2026-06-30`: the period, sorting by its start.
    pub fn key_of(from: gongkai_law::Date, to: gongkai_law::Date) -> String {
        format!("{from}_{to}")
    }

    /// A supervisor of `office` publishes the ranking of `rows` for `from..=to`, a period
    /// already over or ending today.
    pub fn publish(
        actor: &Actor,
        scheme: &Scheme,
        (from, to, scope): (gongkai_law::Date, gongkai_law::Date, Scope),
        today: gongkai_law::Date,
        mut rows: Vec<PublishedRow>,
    ) -> Result<Self, DomainError> {
        actor.require(&scheme.agency, Role::Supervisor, "公布考核结果")?;
        if from > to {
            return Err(DomainError::invalid("起始日期", "起始日期不能晚于截止日期"));
        }
        if to > today {
            return Err(DomainError::invalid(
                "截止日期",
                "考核期间尚未结束，不能公布；截止日期最晚为今天",
            ));
        }
        if rows.is_empty() {
            return Err(DomainError::invalid(
                "机关",
                "本机关没有下级机关，无可公布的考核结果",
            ));
        }
        rows.sort_by(|a, b| {
            b.total
                .total_cmp(&a.total)
                .then_with(|| a.agency.cmp(&b.agency))
        });
        Ok(Self {
            agency: scheme.agency.clone(),
            from,
            to,
            weights: scheme.weights.clone(),
            published_on: today,
            published_by: actor.user.clone(),
            scope,
            rows,
            withdrawn: None,
            earlier: Vec::new(),
        })
    }

    /// 撤回 with a reason, by a supervisor of the office.
    pub fn withdraw(
        &self,
        actor: &Actor,
        reason: &str,
        today: gongkai_law::Date,
    ) -> Result<Self, DomainError> {
        actor.require(&self.agency, Role::Supervisor, "撤回考核结果")?;
        if let Some(w) = &self.withdrawn {
            return Err(DomainError::State(format!(
                "本期考核结果已于{}撤回",
                gongkai_law::date::chinese(w.on)
            )));
        }
        let mut next = self.clone();
        next.withdrawn = Some(Retraction {
            published_on: self.published_on,
            on: today,
            reason: crate::error::bounded_text("撤回理由", reason, MAX_RETRACTION_CHARS)?,
            by: actor.user.clone(),
        });
        Ok(next)
    }

    /// This result published again in place of `earlier` of the same period: allowed only
    /// once that one is withdrawn, and it keeps the history.
    pub fn replacing(mut self, earlier: &Self) -> Result<Self, DomainError> {
        let retraction = earlier.may_be_replaced()?;
        self.earlier = earlier.earlier.clone();
        self.earlier.push(retraction.clone());
        Ok(self)
    }

    /// Its withdrawal, which alone lets another result of the period be published.
    pub fn may_be_replaced(&self) -> Result<&Retraction, DomainError> {
        self.withdrawn.as_ref().ok_or_else(|| {
            DomainError::Conflict(format!(
                "{}至{}的考核结果已于{}公布，不能重复公布；如需更正，请先撤回",
                gongkai_law::date::chinese(self.from),
                gongkai_law::date::chinese(self.to),
                gongkai_law::date::chinese(self.published_on),
            ))
        })
    }

    pub fn weight(&self, criterion: Criterion) -> u32 {
        self.weights.get(&criterion).copied().unwrap_or(0)
    }

    pub fn ranks(&self) -> Vec<usize> {
        ranks(&self.rows)
    }
}

/// Rank of each row of a ranking (highest total first): equal totals share a rank (1, 2, 2, 4).
pub fn ranks(rows: &[PublishedRow]) -> Vec<usize> {
    let mut ranks: Vec<usize> = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let rank = match i.checked_sub(1) {
            Some(prev) if rows[prev].total == row.total => ranks[prev],
            _ => i + 1,
        };
        ranks.push(rank);
    }
    ranks
}

impl Criterion {
    /// Whether the items that cost points may be named to the public: a 公众参与 message's
    /// subject is the sender's words and may identify them, so only its count is published.
    pub fn evidence_is_public(self) -> bool {
        !matches!(self, Self::ParticipationReplies)
    }
}

/// What an agency's records say for a period `from..=to`, to be measured.
pub struct Inputs<'a> {
    pub agency: &'a crate::Agency,
    pub from: gongkai_law::Date,
    pub to: gongkai_law::Date,
    pub applications: &'a [crate::Application],
    pub publications: &'a [crate::publication::Publication],
    pub catalog: &'a [crate::catalog::CatalogEntry],
    pub messages: &'a [crate::participation::Message],
    /// Last year's report (the year before `to`): when it went out and how many errors its
    /// checks find; `None` when it is not published.
    pub report: Option<(gongkai_law::Date, usize)>,
    pub calendar: &'a gongkai_law::WorkingCalendar,
}

/// Every criterion measured from the records of the period.
pub fn measures(i: &Inputs<'_>) -> Vec<Measure> {
    use gongkai_law::date::chinese;
    let within = |d: gongkai_law::Date| d >= i.from && d <= i.to;
    let settings = &i.agency.settings;
    let mut out = Vec::new();

    let mut answers = Measure::new(Criterion::AnswersOnTime);
    for a in i.applications {
        let Some(answered) = a.answered_on.filter(|d| within(*d)) else {
            continue;
        };
        let due = a
            .deadline(i.calendar, settings.fee_wait_pauses_clock, None)
            .ok()
            .and_then(|d| d.due);
        answers.judge(due.is_none_or(|due| answered <= due), || {
            format!("申请{}于{}答复，超过答复期限", a.number, chinese(answered))
        });
    }
    out.push(answers);

    let mut published = Measure::new(Criterion::PublishedInTime);
    for p in i.publications {
        let Some(on) = p.published_on.filter(|d| within(*d)) else {
            continue;
        };
        published.judge(!p.is_late(i.calendar, on), || {
            format!("“{}”超过20个工作日才公开", p.draft.title)
        });
    }
    out.push(published);

    let mut catalog = Measure::new(Criterion::CatalogFulfilled);
    for entry in i.catalog {
        let fulfilled = i
            .publications
            .iter()
            .any(|p| p.is_public() && p.draft.catalog_entry == Some(entry.id));
        catalog.judge(fulfilled, || {
            format!("目录事项“{}”尚无公开信息", entry.matter)
        });
    }
    out.push(catalog);

    // Last year's report, judged once its due day falls in the period.
    let year = i.to.year() - 1;
    let due = crate::annual::due_date(i.agency.level, year);
    let mut report = Measure::new(Criterion::AnnualReport);
    if due <= i.to {
        match i.report {
            Some((on, 0)) if on <= due => report.judge(true, String::new),
            Some((on, errors)) => report.judge(false, || {
                let mut text = format!("{year}年度报告于{}公布", chinese(on));
                if on > due {
                    text.push_str(&format!("，晚于{}", chinese(due)));
                }
                if errors > 0 {
                    text.push_str(&format!("，核对有{errors}处错误"));
                }
                text
            }),
            None => report.judge(false, || format!("{year}年度报告尚未公布")),
        }
    }
    out.push(report);

    let mut interpretations = Measure::new(Criterion::Interpretations);
    for c in crate::publication::interpretation::coverage(
        i.publications,
        i.calendar,
        settings.interpretation_days,
        i.to,
    )
    .iter()
    .filter(|c| c.document.published_on.is_some_and(within))
    {
        use crate::publication::interpretation::Standing;
        match c.standing {
            Standing::OnTime => interpretations.judge(true, String::new),
            Standing::Missing { overdue: false } => {}
            Standing::Late(_) | Standing::Missing { overdue: true } => {
                interpretations.judge(false, || format!("“{}”未按时解读", c.document.draft.title))
            }
        }
    }
    out.push(interpretations);

    let mut replies = Measure::new(Criterion::ParticipationReplies);
    for m in i
        .messages
        .iter()
        .filter(|m| within(m.received) && m.application.is_none())
    {
        let days = crate::participation::days_for(&settings.participation_days, m.channel);
        let late = m.is_late(i.calendar, days, i.to);
        if m.reply.is_some() || late {
            replies.judge(!late, || {
                format!("{}“{}”未按期回复", m.channel.label(), m.subject)
            });
        }
    }
    out.push(replies);
    out
}

impl Measure {
    fn new(criterion: Criterion) -> Self {
        Self {
            criterion,
            right: 0,
            of: 0,
            missed: Vec::new(),
        }
    }

    fn judge(&mut self, right: bool, missed: impl FnOnce() -> String) {
        self.of += 1;
        if right {
            self.right += 1;
        } else {
            self.missed.push(missed());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::UserName;

    fn code(text: &str) -> AgencyCode {
        AgencyCode::parse(text).unwrap()
    }

    fn measure(criterion: Criterion, right: usize, of: usize) -> Measure {
        Measure {
            criterion,
            right,
            of,
            missed: Vec::new(),
        }
    }

    #[test]
    fn points_follow_the_weights_and_the_shares() {
        let scheme = Scheme::standard(code("district"));
        assert_eq!(scheme.total_weight(), 100);
        let all_right: Vec<Measure> = Criterion::ALL.iter().map(|c| measure(*c, 3, 3)).collect();
        assert_eq!(score(&scheme, code("a"), &all_right).total, 100.0);
        // Half the answers late: 10 of the 20 points for answers lost.
        let mut half = all_right.clone();
        half[0] = measure(Criterion::AnswersOnTime, 2, 4);
        let s = score(&scheme, code("b"), &half);
        assert_eq!(s.total, 90.0);
        assert_eq!(s.points[0], (Criterion::AnswersOnTime, 10.0));
        // Nothing to judge is full marks.
        assert_eq!(measure(Criterion::Interpretations, 0, 0).share(), 1.0);
    }

    #[test]
    fn a_published_result_is_ranked_frozen_and_only_for_a_period_over() {
        let supervisor = Actor {
            user: UserName::parse("supervisor").unwrap(),
            agency: code("district"),
            roles: vec![Role::Supervisor],
        };
        let scheme = Scheme::standard(code("district"));
        let row = |agency: &str, share: (usize, usize)| {
            let measures: Vec<Measure> = Criterion::ALL
                .iter()
                .map(|c| Measure {
                    missed: (share.0..share.1).map(|i| format!("事项{i}")).collect(),
                    ..measure(*c, share.0, share.1)
                })
                .collect();
            PublishedRow::new(
                agency.to_uppercase(),
                &score(&scheme, code(agency), &measures),
                &measures,
            )
        };
        let day = |d| gongkai_law::Date::new(2026, 6, d).unwrap();
        let rows = vec![row("b", (1, 2)), row("a", (2, 2)), row("c", (1, 2))];
        let published = PublishedResult::publish(
            &supervisor,
            &scheme,
            (day(1), day(30), Scope::Direct),
            day(30),
            rows.clone(),
        )
        .unwrap();
        let order: Vec<&str> = published.rows.iter().map(|r| r.agency.as_str()).collect();
        assert_eq!(order, ["a", "b", "c"]);
        assert_eq!(published.ranks(), [1, 2, 2]);
        assert_eq!(published.key(), "2026-06-01_2026-06-30");
        assert_eq!(published.rows[1].measures[0].missed, ["事项1"]);
        assert_eq!(published.weight(Criterion::AnswersOnTime), 20);
        // A period not over yet, a period backwards, nothing below, a clerk: refused.
        assert!(
            PublishedResult::publish(
                &supervisor,
                &scheme,
                (day(1), day(30), Scope::Direct),
                day(29),
                rows.clone()
            )
            .is_err()
        );
        assert!(
            PublishedResult::publish(
                &supervisor,
                &scheme,
                (day(2), day(1), Scope::Direct),
                day(30),
                rows.clone()
            )
            .is_err()
        );
        assert!(
            PublishedResult::publish(
                &supervisor,
                &scheme,
                (day(1), day(2), Scope::Direct),
                day(30),
                Vec::new()
            )
            .is_err()
        );
        let clerk = Actor {
            roles: vec![Role::CaseOfficer],
            ..supervisor
        };
        assert!(
            PublishedResult::publish(
                &clerk,
                &scheme,
                (day(1), day(2), Scope::Direct),
                day(30),
                rows
            )
            .is_err()
        );
    }

    #[test]
    fn the_scope_takes_the_office_s_children_or_its_whole_tree() {
        use crate::{Agency, AgencyLevel};
        let agency = |c: &str, parent: Option<&str>| {
            Agency::new(code(c), c, AgencyLevel::County, parent.map(code)).unwrap()
        };
        let tree = [
            agency("city", None),
            agency("district", Some("city")),
            agency("street", Some("district")),
            agency("bureau", Some("city")),
        ];
        let names = |v: Vec<AgencyCode>| v.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        assert_eq!(
            names(Scope::Direct.agencies(&tree, &code("city"))),
            ["district", "bureau"]
        );
        assert_eq!(
            names(Scope::Whole.agencies(&tree, &code("city"))),
            ["district", "bureau", "street"]
        );
        assert_eq!(Scope::from_code("whole"), Some(Scope::Whole));
        assert_eq!(Scope::default(), Scope::Direct);
    }

    #[test]
    fn a_result_withdrawn_is_published_again_with_its_history() {
        let supervisor = Actor {
            user: UserName::parse("supervisor").unwrap(),
            agency: code("district"),
            roles: vec![Role::Supervisor],
        };
        let scheme = Scheme::standard(code("district"));
        let day = |d| gongkai_law::Date::new(2026, 7, d).unwrap();
        let measures: Vec<Measure> = Criterion::ALL.iter().map(|c| measure(*c, 1, 1)).collect();
        let rows = vec![PublishedRow::new(
            "A".into(),
            &score(&scheme, code("a"), &measures),
            &measures,
        )];
        let first = PublishedResult::publish(
            &supervisor,
            &scheme,
            (day(1), day(2), Scope::Direct),
            day(3),
            rows.clone(),
        )
        .unwrap();
        let again = PublishedResult::publish(
            &supervisor,
            &scheme,
            (day(1), day(2), Scope::Direct),
            day(4),
            rows,
        )
        .unwrap();
        assert!(again.clone().replacing(&first).is_err(), "withdraw first");
        assert!(
            first.withdraw(&supervisor, " ", day(4)).is_err(),
            "a reason"
        );
        let long = "由".repeat(MAX_RETRACTION_CHARS + 1);
        let refused = first
            .withdraw(&supervisor, &long, day(4))
            .unwrap_err()
            .to_string();
        assert!(refused.contains("500"), "refused with its bound: {refused}");
        let clerk = Actor {
            roles: vec![Role::CaseOfficer],
            ..supervisor.clone()
        };
        assert!(first.withdraw(&clerk, "权重有误", day(4)).is_err());
        let withdrawn = first.withdraw(&supervisor, "权重设置有误", day(4)).unwrap();
        assert!(withdrawn.withdraw(&supervisor, "再撤", day(4)).is_err());
        let corrected = again.replacing(&withdrawn).unwrap();
        assert_eq!(corrected.earlier.len(), 1);
        assert_eq!(corrected.earlier[0].published_on, day(3));
        assert_eq!(corrected.earlier[0].reason, "权重设置有误");
        assert!(corrected.withdrawn.is_none());
    }

    #[test]
    fn evidence_kept_is_bounded() {
        let scheme = Scheme::standard(code("district"));
        let many = Measure {
            missed: (0..500).map(|i| i.to_string()).collect(),
            ..measure(Criterion::AnswersOnTime, 0, 500)
        };
        let row = PublishedRow::new(
            "A".into(),
            &score(&scheme, code("a"), std::slice::from_ref(&many)),
            &[many],
        );
        assert_eq!(row.measures[0].missed.len(), MAX_EVIDENCE);
        assert_eq!(row.measures[0].of - row.measures[0].right, 500);
    }

    #[test]
    fn only_a_supervisor_sets_the_scheme_and_within_bounds() {
        let person = |role| Actor {
            user: UserName::parse("someone").unwrap(),
            agency: code("district"),
            roles: vec![role],
        };
        let weights: BTreeMap<Criterion, u32> = [(Criterion::AnswersOnTime, 50)].into();
        assert!(
            Scheme::set(
                &person(Role::CaseOfficer),
                code("district"),
                weights.clone()
            )
            .is_err()
        );
        assert!(Scheme::set(&person(Role::Supervisor), code("district"), weights).is_ok());
        let zero: BTreeMap<Criterion, u32> = [(Criterion::AnswersOnTime, 0)].into();
        assert!(Scheme::set(&person(Role::Supervisor), code("district"), zero).is_err());
        let huge: BTreeMap<Criterion, u32> = [(Criterion::AnswersOnTime, 101)].into();
        assert!(Scheme::set(&person(Role::Supervisor), code("district"), huge).is_err());
    }
}
