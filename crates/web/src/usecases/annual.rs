//! The annual report of (agency, year) as the back office and the portal see it: the records
//! gathered from the store, the report assembled by `domain::annual`, its versions and the
//! publications carrying them, last year's report for the comparisons and 上年结转.

use gongkai_domain::{
    Actor, Agency, AgencyCode,
    annual::{self, AnnualReport, ImportedReport, ReportStatus},
    appeal::Appeal,
    facts::{Proposal, Training},
    publication::{Draft, Publication, PublicationAction},
    records::{self, Record, Versioned},
    store::Store,
};
use gongkai_report::{Finding, Report, model::SectionKind, render};

use crate::{
    app::App,
    error::WebError,
    usecases::{
        numbering::{self, Series},
        publications,
    },
};

/// One version with the publication that carries it.
pub struct VersionView {
    pub record: Versioned<AnnualReport>,
    pub publication: Option<Publication>,
}

impl VersionView {
    pub fn status(&self) -> ReportStatus {
        self.record.value.status(self.publication.as_ref())
    }

    /// The report as published: frozen at submission, with the publication's 索引号 and
    /// 发布日期.
    pub fn published(&self) -> Option<Report> {
        if self.status() != ReportStatus::Published {
            return None;
        }
        let mut report = self.record.value.frozen()?.ok()?;
        if let Some(p) = &self.publication {
            report.meta.index_number = p.index_number.clone();
            report.meta.published_date = p.published_on.map(|d| d.to_string());
            report.meta.written_date = Some(p.draft.written_on.to_string());
        }
        Some(report)
    }
}

/// Every version of a year's report, oldest first (possibly none yet).
pub async fn versions<S: Store>(
    app: &App<S>,
    agency: &AgencyCode,
    year: i16,
) -> Result<Vec<VersionView>, WebError> {
    let prefix = format!("{year}-");
    let mut out = Vec::new();
    for record in records::load_all::<AnnualReport, _>(&app.store, agency).await? {
        if !record.value.key().starts_with(&prefix) {
            continue;
        }
        let publication = match &record.value.submission {
            Some(s) => app.store.publication(agency, s.publication).await?,
            None => None,
        };
        out.push(VersionView {
            record,
            publication,
        });
    }
    Ok(out)
}

/// The newest published version of a year, if any.
pub async fn published<S: Store>(
    app: &App<S>,
    agency: &AgencyCode,
    year: i16,
) -> Result<Option<(u32, Report)>, WebError> {
    Ok(versions(app, agency, year)
        .await?
        .iter()
        .rev()
        .find_map(|v| v.published().map(|r| (v.record.value.number, r))))
}

/// Typesets the downloads of the report `publication` carries, once it is public (called when
/// a publication is released; other publications carry no report and nothing happens).
pub async fn prepare_downloads<S: Store>(app: &App<S>, agency: &AgencyCode, publication: u64) {
    let carried = match records::load_all::<AnnualReport, _>(&app.store, agency).await {
        Ok(all) => all.into_iter().find(|r| {
            r.value
                .submission
                .as_ref()
                .is_some_and(|s| s.publication == publication)
        }),
        Err(e) => {
            tracing::error!(error = %e, "annual reports not read to typeset ahead");
            return;
        }
    };
    let Some(carried) = carried else {
        return;
    };
    match published(app, agency, carried.value.year).await {
        Ok(Some((_, report))) => app.report_files.prepare(&report).await,
        Ok(None) => {}
        Err(e) => tracing::error!(error = %e.message(), "published report not read"),
    }
}

/// Where last year's report came from.
pub enum PreviousSource {
    Gongkai,
    Imported(String),
}

/// Last year's report: published by gongkai, or read in from the agency's site.
pub async fn previous<S: Store>(
    app: &App<S>,
    agency: &AgencyCode,
    year: i16,
) -> Result<Option<(Report, PreviousSource)>, WebError> {
    if let Some((_, report)) = published(app, agency, year - 1).await? {
        return Ok(Some((report, PreviousSource::Gongkai)));
    }
    let imported =
        records::load::<ImportedReport, _>(&app.store, agency, &(year - 1).to_string()).await?;
    Ok(imported.and_then(|i| {
        let assessment = i.value.assess(None);
        (assessment.status != gongkai_report::Status::Unreadable).then_some((
            assessment.reading.report,
            PreviousSource::Imported(i.value.source),
        ))
    }))
}

/// The report as it stands now, from the records.
pub struct Assembled {
    pub report: Report,
    pub findings: Vec<Finding>,
    pub previous: Option<(Report, PreviousSource)>,
}

pub async fn assemble<S: Store>(
    app: &App<S>,
    agency: &Agency,
    year: i16,
    edits: &annual::Edits,
) -> Result<Assembled, WebError> {
    let code = &agency.code;
    let applications = app.store.applications(code).await?;
    let publications = app.store.publications(code).await?;
    let register = app.store.register_documents(code).await?;
    let figures = app.store.year_figures(code, year).await?;
    let appeals: Vec<Appeal> = records::load_all::<Appeal, _>(&app.store, code)
        .await?
        .into_iter()
        .map(|v| v.value)
        .collect();
    let trainings: Vec<Training> = records::load_all::<Training, _>(&app.store, code)
        .await?
        .into_iter()
        .map(|v| v.value)
        .collect();
    let proposals: Vec<Proposal> = records::load_all::<Proposal, _>(&app.store, code)
        .await?
        .into_iter()
        .map(|v| v.value)
        .collect();
    let messages = crate::usecases::participation::messages(app, code).await?;
    let tasks = crate::usecases::work_plan::tasks_for(app, code).await?;
    let task_reports: Vec<gongkai_domain::work_plan::TaskReport> =
        crate::usecases::work_plan::reports_of(app, code)
            .await?
            .into_iter()
            .map(|v| v.value)
            .collect();
    let previous = previous(app, code, year).await?;
    let calendar = app.calendar();
    let sources = annual::Sources {
        agency,
        year,
        applications: &applications,
        publications: &publications,
        register: &register,
        figures: &figures,
        appeals: &appeals,
        trainings: &trainings,
        proposals: &proposals,
        messages: &messages,
        tasks: &tasks,
        task_reports: &task_reports,
        previous: previous.as_ref().map(|(r, _)| r),
        calendar: &calendar,
    };
    let (facts, tables) = annual::compile(&sources);
    let report = annual::assemble(&facts, &tables, edits);
    let findings = gongkai_report::check(&report, previous.as_ref().map(|(r, _)| r));
    Ok(Assembled {
        report,
        findings,
        previous,
    })
}

/// The version being worked on: the newest, or a first one not stored yet.
pub fn current(
    versions: &[VersionView],
    agency: &AgencyCode,
    year: i16,
) -> Versioned<AnnualReport> {
    versions.last().map_or_else(
        || Versioned {
            value: AnnualReport::first(agency.clone(), year),
            version: 0,
        },
        |v| v.record.clone(),
    )
}

/// 提交发布: the report assembled now is checked and frozen in the version, and goes into the
/// agency's review chain as a publication. The publication's id is taken first, so the
/// version never points at another item; if the publication could not be added, the version
/// shows as returned and can be reopened.
pub async fn submit<S: Store>(
    app: &App<S>,
    actor: &Actor,
    agency: &Agency,
    current: &Versioned<AnnualReport>,
) -> Result<u64, WebError> {
    let stamp = app.stamp(actor.user.as_str());
    let year = current.value.year;
    let assembled = assemble(app, agency, year, &current.value.edits).await?;
    let id = numbering::next(app, &agency.code, Series::Publications).await?;
    let next =
        current
            .value
            .submit(actor, &assembled.report, &assembled.findings, id, app.now())?;
    let draft = carrier_draft(&assembled.report, agency, year, app.today());
    records::save(&app.store, &next, current.version, "submit", &stamp).await?;
    let p = publications::add_draft(app, actor, agency, id, draft).await?;
    publications::act_on(app, actor, agency, &p, PublicationAction::Submit, None).await?;
    Ok(id)
}

/// The publication that carries a report through the review chain: its text, and where the
/// tables and downloads are.
fn carrier_draft(
    report: &gongkai_report::Report,
    agency: &Agency,
    year: i16,
    today: gongkai_law::Date,
) -> Draft {
    let mut body = report.preamble.clone();
    for kind in SectionKind::ALL {
        body.push(kind.heading().to_string());
        match kind {
            SectionKind::Proactive | SectionKind::Applications | SectionKind::Appeals => {
                body.push("（见报告表格）".to_string());
            }
            _ => body.extend(
                render::narrative(report, kind)
                    .unwrap_or_default()
                    .iter()
                    .cloned(),
            ),
        }
    }
    body.push(format!(
        "报告全文及表格见 /agencies/{}/reports/{year}，可下载 Word、Excel、PDF 版本。",
        agency.code
    ));
    Draft {
        title: render::title(report),
        body,
        category: annual::REPORT_CATEGORY.to_string(),
        topic: "综合政务".to_string(),
        written_on: today,
        changed_on: None,
        doc_number: None,
        channels: vec![annual::WEBSITE.to_string()],
        release_on: None,
        department: None,
        catalog_entry: None,
        attachments: Vec::new(),
        interprets: None,
    }
}

/// Keeps last year's report as published elsewhere (`source` names where), read with the
/// report reader, for the comparison and the 上年结转 check; replaces an earlier import.
pub async fn import_previous<S: Store>(
    app: &App<S>,
    actor: &Actor,
    agency: &Agency,
    year: i16,
    source: Option<&str>,
    text: &str,
) -> Result<(), WebError> {
    let source = source.unwrap_or("粘贴的文字");
    let imported = ImportedReport::new(
        actor,
        agency.code.clone(),
        year - 1,
        source,
        text,
        app.now(),
    )?;
    let key = (year - 1).to_string();
    let existing = records::load::<ImportedReport, _>(&app.store, &agency.code, &key).await?;
    let read = existing.map_or(0, |e| e.version);
    let stamp = app.stamp(actor.user.as_str());
    records::save(&app.store, &imported, read, "import", &stamp).await?;
    Ok(())
}

/// What staff do to the report of a year.
pub enum ReportAction {
    /// A section (一、五、六) rewritten.
    Edit { section: SectionKind, text: String },
    /// Checked, frozen and sent along the review chain as a publication.
    Submit,
    /// A 审核人 lets a text with check errors go out, with the reason kept.
    AllowErrors { reason: String },
    /// Back to editing after a rejection or withdrawal.
    Reopen,
    /// A corrected version of a published report.
    Correct { reason: String },
}

/// Applies `action` to the year's report, if nobody changed it since `version` was read.
/// Returns what was done, for the page.
pub async fn act<S: Store>(
    app: &App<S>,
    actor: &Actor,
    agency: &Agency,
    year: i16,
    action: ReportAction,
    version: Option<u64>,
) -> Result<&'static str, WebError> {
    let stamp = app.stamp(actor.user.as_str());
    let all = versions(app, &agency.code, year).await?;
    let current = current(&all, &agency.code, year);
    let publication = all.last().and_then(|v| v.publication.clone());
    if version.is_some_and(|v| v != current.version) {
        return Err(WebError::Conflict(
            "报告已被他人修改，请查看最新内容后重新操作，您的操作未保存".into(),
        ));
    }
    let (next, code, done) = match action {
        ReportAction::Edit { section, text } => (
            current.value.edit(actor, section, &text)?,
            "edit",
            "保存修改",
        ),
        ReportAction::Submit => {
            submit(app, actor, agency, &current).await?;
            return Ok("提交审核");
        }
        ReportAction::AllowErrors { reason } => (
            current.value.allow_errors(actor, &reason)?,
            "allow_errors",
            "批准带错误发布",
        ),
        ReportAction::Reopen => (
            current.value.reopen(actor, publication.as_ref())?,
            "reopen",
            "重新编辑",
        ),
        ReportAction::Correct { reason } => {
            let next = current
                .value
                .correction(actor, publication.as_ref(), &reason)?;
            records::save(&app.store, &next, 0, "correct", &stamp).await?;
            return Ok("起草更正版本");
        }
    };
    records::save(&app.store, &next, current.version, code, &stamp).await?;
    Ok(done)
}

/// A supervisor's decision (确认/驳回) on a finding in the report of an agency below, kept with
/// the supervising agency; deciding again replaces the earlier decision.
#[allow(clippy::too_many_arguments)]
pub async fn decide_finding<S: Store>(
    app: &App<S>,
    actor: &Actor,
    year: i16,
    agency: AgencyCode,
    print: &gongkai_report::review::Fingerprint,
    verdict: gongkai_report::review::Verdict,
    reason: &str,
    by: &str,
) -> Result<(), WebError> {
    let all = app.store.agencies().await?;
    let below = gongkai_domain::store::subtree(&all, &actor.agency);
    let decision = annual::review::FindingDecision::new(
        actor,
        &below,
        year,
        agency,
        print,
        verdict,
        reason,
        app.now(),
    )?;
    let existing = records::load::<annual::review::FindingDecision, _>(
        &app.store,
        &actor.agency,
        &decision.key(),
    )
    .await?;
    records::save(
        &app.store,
        &decision,
        existing.map_or(0, |e| e.version),
        verdict.code(),
        &app.stamp(by),
    )
    .await?;
    Ok(())
}

/// The decisions the supervising agency has taken on the findings of a year.
pub async fn finding_decisions<S: Store>(
    app: &App<S>,
    supervisor: &AgencyCode,
    year: i16,
) -> Result<gongkai_report::review::Decisions, WebError> {
    let kept =
        records::load_all::<annual::review::FindingDecision, _>(&app.store, supervisor).await?;
    Ok(annual::review::decisions(
        kept.iter().map(|v| &v.value),
        year,
    ))
}
