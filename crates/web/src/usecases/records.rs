//! Records an agency keeps beside its cases: 行政复议、行政诉讼 (linked to the application they
//! arose from), 更正申请 (第四十一条), 政务公开培训, 人大代表建议、政协委员提案 — each numbered
//! in its series, made by the domain (which checks role and content) and saved with its audit
//! entry.

use gongkai_domain::{
    Actor, Applicant, ApplicationNumber, DomainError,
    appeal::{Appeal, AppealKind, Decision},
    correction::{CorrectionOutcome, CorrectionRequest},
    facts::{Proposal, ProposalKind, Training},
    records::{self, Record},
    rereview::{Review, ReviewResult},
    store::Store,
};
use gongkai_law::Date;

use crate::{
    app::App,
    error::WebError,
    usecases::numbering::{self, Series},
};

/// Numbers a new record of the actor's agency in `series`, makes it and saves it.
async fn add<S: Store, R: Record>(
    app: &App<S>,
    actor: &Actor,
    series: Series,
    make: impl Fn(u64) -> Result<R, DomainError>,
) -> Result<R, WebError> {
    // Checked before a number is taken, so a refused form leaves no gap in the series.
    make(0)?;
    let id = numbering::next(app, &actor.agency, series).await?;
    let record = make(id)?;
    let stamp = app.stamp(actor.user.as_str());
    records::save(&app.store, &record, 0, "add", &stamp).await?;
    Ok(record)
}

/// A 行政复议 or 行政诉讼 as it is registered.
pub struct NewAppeal {
    pub kind: AppealKind,
    /// The application it arose from (of the actor's agency).
    pub application: ApplicationNumber,
    pub filed_on: Date,
    /// 复议机关 or 人民法院.
    pub body: String,
    pub case_number: String,
}

pub async fn add_appeal<S: Store>(
    app: &App<S>,
    actor: &Actor,
    new: NewAppeal,
) -> Result<Appeal, WebError> {
    let application = app
        .store
        .application(&actor.agency, &new.application)
        .await?
        .ok_or_else(|| {
            WebError::field("application", format!("本机关没有申请 {}", new.application))
        })?;
    add(app, actor, Series::Appeals, |id| {
        Appeal::new(
            actor,
            actor.agency.clone(),
            id,
            new.kind,
            new.application.clone(),
            new.filed_on,
            &new.body,
            &new.case_number,
            application.received,
        )
    })
    .await
}

/// Records how an appeal ended, if nobody changed it since `version` was read.
pub async fn decide_appeal<S: Store>(
    app: &App<S>,
    actor: &Actor,
    id: u64,
    version: Option<u64>,
    decision: Decision,
) -> Result<Appeal, WebError> {
    let key = format!("{id:010}");
    let current = records::load::<Appeal, _>(&app.store, &actor.agency, &key)
        .await?
        .ok_or_else(|| WebError::NotFound("没有这个案件".into()))?;
    let next = current.value.decide(actor, decision)?;
    let read = version.unwrap_or(current.version);
    let stamp = app.stamp(actor.user.as_str());
    records::save(&app.store, &next, read, "decide", &stamp).await?;
    Ok(next)
}

pub async fn add_training<S: Store>(
    app: &App<S>,
    actor: &Actor,
    held_on: Date,
    title: &str,
    participants: Option<u32>,
) -> Result<Training, WebError> {
    add(app, actor, Series::Trainings, |id| {
        Training::new(
            actor,
            actor.agency.clone(),
            id,
            held_on,
            title,
            participants,
        )
    })
    .await
}

pub async fn add_proposal<S: Store>(
    app: &App<S>,
    actor: &Actor,
    kind: ProposalKind,
    received_on: Date,
    title: &str,
    answered_on: Option<Date>,
) -> Result<Proposal, WebError> {
    add(app, actor, Series::Proposals, |id| {
        Proposal::new(
            actor,
            actor.agency.clone(),
            id,
            kind,
            received_on,
            title,
            answered_on,
        )
    })
    .await
}

/// A 更正申请 as staff register it.
pub struct NewCorrection {
    pub received: Date,
    pub requester: Applicant,
    pub record: String,
    pub correction: String,
    pub evidence: String,
}

pub async fn add_correction<S: Store>(
    app: &App<S>,
    actor: &Actor,
    new: NewCorrection,
) -> Result<CorrectionRequest, WebError> {
    let today = app.today();
    add(app, actor, Series::Corrections, |id| {
        CorrectionRequest::new(
            actor,
            actor.agency.clone(),
            id,
            new.received,
            today,
            new.requester.clone(),
            &new.record,
            &new.correction,
            &new.evidence,
        )
    })
    .await
}

/// How a 更正申请 ended, if nobody changed it since `version` was read.
pub async fn decide_correction<S: Store>(
    app: &App<S>,
    actor: &Actor,
    id: u64,
    version: Option<u64>,
    decision: (Date, CorrectionOutcome, &str, &str),
) -> Result<CorrectionRequest, WebError> {
    let current = correction(app, actor, id).await?;
    let (on, outcome, other_agency, note) = decision;
    let next = current
        .value
        .decide(actor, on, app.today(), outcome, other_agency, note)?;
    let stamp = app.stamp(actor.user.as_str());
    records::save(
        &app.store,
        &next,
        version.unwrap_or(current.version),
        "decide",
        &stamp,
    )
    .await?;
    Ok(next)
}

/// One 更正申请 of the actor's agency.
pub async fn correction<S: Store>(
    app: &App<S>,
    actor: &Actor,
    id: u64,
) -> Result<records::Versioned<CorrectionRequest>, WebError> {
    records::load::<CorrectionRequest, _>(&app.store, &actor.agency, &format!("{id:010}"))
        .await?
        .ok_or_else(|| WebError::NotFound("本机关没有这件更正申请".into()))
}

/// 第十八条: records a periodic review of information an answer withheld.
pub async fn review_withheld<S: Store>(
    app: &App<S>,
    actor: &Actor,
    number: &ApplicationNumber,
    reviewed_on: Date,
    result: ReviewResult,
    note: &str,
) -> Result<Review, WebError> {
    let withheld = app
        .store
        .application(&actor.agency, number)
        .await?
        .ok_or_else(|| WebError::NotFound(format!("本机关没有申请 {number}")))?;
    let review = Review::new(actor, &withheld, reviewed_on, app.today(), result, note)?;
    let stamp = app.stamp(actor.user.as_str());
    records::save(&app.store, &review, 0, "add", &stamp).await?;
    Ok(review)
}
