//! `/api/v1` for the records beside the cases that the law asks for: 更正申请 (第四十一条) —
//! listed, registered and decided — and the 第十八条 review queue. Only staff who handle cases
//! (the requests carry personal data).

use axum::{
    Json,
    body::Bytes,
    extract::{Path, State},
    http::StatusCode,
    response::IntoResponse,
};
use gongkai_domain::{
    correction::{CorrectionOutcome, CorrectionRequest},
    records::{self, Versioned},
    rereview::{self, Review},
    store::Store,
};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{ApiResult, Shared, parse_json};
use crate::{
    error::WebError,
    forms::{applicant_from, date},
    security::ApiStaff,
    usecases::records::{self as record_use, NewCorrection},
    views::FormState,
};

fn case_handler(staff: &ApiStaff) -> Result<(), WebError> {
    super::case_handler(staff, "更正申请", "申请人")
}

fn correction_json(v: &Versioned<CorrectionRequest>) -> Value {
    let r = &v.value;
    json!({
        "id": r.id,
        "received": r.received,
        "requester": r.requester,
        "record": r.record,
        "correction": r.correction,
        "evidence": r.evidence,
        "decision": r.decision.as_ref().map(|d| json!({
            "on": d.on,
            "outcome": d.outcome.code(),
            "other_agency": d.other_agency,
            "note": d.note,
            "by": d.by,
        })),
        "version": v.version,
    })
}

pub async fn corrections<S: Store>(State(app): Shared<S>, staff: ApiStaff) -> ApiResult {
    case_handler(&staff)?;
    let all: Vec<Versioned<CorrectionRequest>> = records::load_all(&app.store, &staff.actor.agency)
        .await
        .map_err(WebError::from)?;
    Ok(
        Json(json!({ "corrections": all.iter().map(correction_json).collect::<Vec<_>>() }))
            .into_response(),
    )
}

#[derive(Deserialize)]
struct NewCorrectionBody {
    received: String,
    requester: super::ApplicantBody,
    record: String,
    correction: String,
    evidence: String,
}

pub async fn add_correction<S: Store>(
    State(app): Shared<S>,
    staff: ApiStaff,
    body: Bytes,
) -> ApiResult {
    case_handler(&staff)?;
    let body: NewCorrectionBody = parse_json(&body)?;
    let mut form = FormState::default();
    let requester = applicant_from(&|name| body.requester.field(name), &mut form);
    let received = date(&body.received, "received", "收到日期");
    let (Some(requester), Ok(received)) = (requester, received) else {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({ "error": "未登记：请按 errors 修改后重试", "errors": form.errors })),
        )
            .into_response());
    };
    let new = NewCorrection {
        received,
        requester,
        record: body.record,
        correction: body.correction,
        evidence: body.evidence,
    };
    let added = record_use::add_correction(&app, &staff.actor, new).await?;
    Ok((
        StatusCode::CREATED,
        Json(correction_json(&Versioned {
            value: added,
            version: 1,
        })),
    )
        .into_response())
}

#[derive(Deserialize)]
struct DecisionBody {
    on: String,
    outcome: String,
    #[serde(default)]
    other_agency: String,
    note: String,
    #[serde(default)]
    version: Option<u64>,
}

pub async fn decide_correction<S: Store>(
    State(app): Shared<S>,
    staff: ApiStaff,
    Path(id): Path<u64>,
    body: Bytes,
) -> ApiResult {
    case_handler(&staff)?;
    // The request first: staff of another agency learn nothing from how their input is judged.
    record_use::correction(&app, &staff.actor, id).await?;
    let body: DecisionBody = parse_json(&body)?;
    let outcome = CorrectionOutcome::from_code(&body.outcome).ok_or_else(|| {
        WebError::field(
            "outcome",
            "应为 corrected、not_verified、transferred 或 directed",
        )
    })?;
    let on = date(&body.on, "on", "办结日期")?;
    record_use::decide_correction(
        &app,
        &staff.actor,
        id,
        body.version,
        (on, outcome, &body.other_agency, &body.note),
    )
    .await?;
    let current = record_use::correction(&app, &staff.actor, id).await?;
    Ok(Json(correction_json(&current)).into_response())
}

/// 第十八条: the information withheld and when each is due for review.
pub async fn review_queue<S: Store>(State(app): Shared<S>, staff: ApiStaff) -> ApiResult {
    let agency = app.agency(&staff.actor.agency).await?;
    let applications = app
        .store
        .applications(&agency.code)
        .await
        .map_err(WebError::from)?;
    let reviews: Vec<Review> = records::load_all::<Review, _>(&app.store, &agency.code)
        .await
        .map_err(WebError::from)?
        .into_iter()
        .map(|v| v.value)
        .collect();
    let queue = rereview::queue(&applications, &reviews, agency.settings.review_months);
    let today = app.today();
    Ok(Json(json!({
        "review_months": agency.settings.review_months,
        "queue": queue.iter().map(|w| json!({
            "application": w.application.number,
            "outcome": w.application.answer.as_ref().map(|a| a.outcome.code()),
            "answered_on": w.application.answered_on,
            "last_review": w.last_review.map(|r| json!({ "on": r.reviewed_on, "result": r.result.code(), "note": r.note })),
            "due": w.due,
            "overdue": w.due <= today,
        })).collect::<Vec<_>>(),
    }))
    .into_response())
}
