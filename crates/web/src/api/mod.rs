//! JSON API under `/api/v1`, described by `/api/openapi.json`. Public: submit an application,
//! look one up with its query code. Staff (bearer token from `gongkai admin token create`):
//! list and read cases, act on them, table 三 as CSV or JSON.

mod openapi;
mod participation;
mod publications;
mod records;
mod work_plan;

use std::sync::Arc;

pub use openapi::{openapi, openapi_document};
pub use participation::{add as add_message, list as messages, reply as reply_to_message};
pub use publications::{act as act_on_publication, add_publication, publication, publications};
pub use records::{add_correction, corrections, decide_correction, review_queue};
pub use work_plan::{assessment_results, report as report_on_task, work_plan as work_plan_tasks};

use axum::{
    Json,
    body::Bytes,
    extract::{Path, Query, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use gongkai_domain::{Action, Agency, AgencyCode, Application, ApplicationNumber, store::Store};
use gongkai_report::{
    export::{self, TableId},
    model::{Format, Report},
};
use serde::{Deserialize, de::DeserializeOwned};
use serde_json::{Value, json};

use crate::{
    app::App,
    error::{ApiError, WebError},
    forms::applicant_from,
    security::{ApiStaff, ClientIp},
    usecases::{
        applications::{
            QueueFilter, act_on, applicant_history, handles_cases, matches, record_online, rows,
        },
        statistics::{table3_counted, visible_agency, year_of},
    },
    views::FormState,
};

type Shared<S> = State<Arc<App<S>>>;
type ApiResult = Result<Response, ApiError>;

/// Only staff who handle cases read records that carry a person's data (`what` holds `whose`).
fn case_handler(staff: &ApiStaff, what: &str, whose: &str) -> Result<(), WebError> {
    if handles_cases(&staff.actor) {
        Ok(())
    } else {
        Err(WebError::Forbidden(format!(
            "{what}含{whose}个人信息，仅承办人员可查看"
        )))
    }
}

fn parse_json<T: DeserializeOwned>(body: &Bytes) -> Result<T, WebError> {
    serde_json::from_slice(body).map_err(|e| {
        WebError::BadRequest(format!(
            "请求体不是有效的 JSON，或字段不符合接口说明（/api/openapi.json）：{e}"
        ))
    })
}

#[derive(Deserialize)]
struct NewApplicationBody {
    agency: String,
    applicant: ApplicantBody,
    content: String,
    wanted_form: String,
}

/// The applicant as the API takes it: every field a string (a number or `null` is refused
/// before any rule is applied); the optional ones empty when left out.
#[derive(Deserialize)]
pub(crate) struct ApplicantBody {
    kind: String,
    name: String,
    id_type: String,
    id_number: String,
    #[serde(default)]
    id_name: String,
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    address: String,
}

impl ApplicantBody {
    /// A field by its form name, trimmed, as `forms::applicant_from` reads it.
    pub(crate) fn field(&self, name: &str) -> String {
        match name {
            "kind" => &self.kind,
            "name" => &self.name,
            "id_type" => &self.id_type,
            "id_number" => &self.id_number,
            "id_name" => &self.id_name,
            "phone" => &self.phone,
            "email" => &self.email,
            "address" => &self.address,
            _ => "",
        }
        .trim()
        .to_string()
    }
}

pub async fn submit<S: Store>(State(app): Shared<S>, ip: ClientIp, body: Bytes) -> ApiResult {
    if !app.public_limiter.allow(ip.0, app.now()) {
        return Err(WebError::TooManyRequests.into());
    }
    let body: NewApplicationBody = parse_json(&body)?;
    let agency = app.agency(&AgencyCode::parse(&body.agency)?).await?;
    let mut form = FormState::default();
    let applicant = applicant_from(&|name| body.applicant.field(name), &mut form);
    if body.content.trim().chars().count() < 4 {
        form.errors.insert(
            "content".into(),
            "请写明所需政府信息的名称、文号或便于查询的特征描述（第二十九条）".into(),
        );
    }
    if body.wanted_form.trim().is_empty() {
        form.errors
            .insert("wanted_form".into(), "请写明获取信息的方式、途径".into());
    }
    let applicant = match applicant {
        Some(a) if !form.has_errors() => a,
        _ => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(
                    json!({ "error": "申请未提交：请按 errors 修改后重试", "errors": form.errors }),
                ),
            )
                .into_response());
        }
    };
    crate::usecases::applications::take_daily_quota(&app, ip.0, &applicant).await?;
    let (application, code) = record_online(
        &app,
        &agency,
        applicant,
        body.content.trim(),
        body.wanted_form.trim(),
        &[],
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "agency": agency.code,
            "number": application.number,
            "query_code": code,
            "received": application.received,
            "state": application.state.code(),
        })),
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct LookupQuery {
    #[serde(default)]
    code: String,
    #[serde(default)]
    agency: Option<String>,
}

fn public_view<S: Store>(app: &App<S>, agency: &Agency, a: &Application, letters: Value) -> Value {
    let deadline = a
        .deadline(
            &app.calendar(),
            agency.settings.fee_wait_pauses_clock,
            Some(app.today()),
        )
        .ok();
    json!({
        "agency": agency.code,
        "number": a.number,
        "state": a.state.code(),
        "state_label": a.state.label(),
        "received": a.received,
        "due": if a.state.is_open() { deadline.as_ref().and_then(|d| d.due).map(|d| d.to_string()) } else { None },
        "clock": deadline.as_ref().map(|d| d.state.code()),
        "outcome": a.answer.as_ref().filter(|_| a.answered_on.is_some()).map(|x| x.outcome.code()),
        "answered_on": a.answered_on,
        "supplement_requested": a.letter_facts.supplement.as_deref().filter(|_| a.state == gongkai_domain::State::AwaitingSupplement),
        "letters": letters,
    })
}

pub async fn lookup<S: Store>(
    State(app): Shared<S>,
    ip: ClientIp,
    Path(number): Path<String>,
    Query(query): Query<LookupQuery>,
) -> ApiResult {
    if !app.public_limiter.allow(ip.0, app.now()) {
        return Err(WebError::TooManyRequests.into());
    }
    let not_found = || WebError::NotFound("申请编号或查询码不正确".into());
    let number = ApplicationNumber::parse(&number).map_err(|_| not_found())?;
    // Numbers are unique within an agency; without `agency` every agency is asked.
    let agencies = match &query.agency {
        Some(code) => vec![
            app.agency(&AgencyCode::parse(code).map_err(|_| not_found())?)
                .await
                .map_err(|_| not_found())?,
        ],
        None => app.store.agencies().await?,
    };
    for agency in agencies {
        if let Some(a) = app
            .store
            .application(&agency.code, &number)
            .await?
            .filter(|a| a.query_code_matches(&query.code))
        {
            let letters: Vec<Value> = app
                .store
                .letters(&agency.code, &number)
                .await?
                .iter()
                .filter(|l| l.kind != gongkai_domain::letters::LetterKind::ConsultationLetter)
                .map(|l| json!({ "kind": l.kind.code(), "title": l.document.title, "number": l.number, "issued_on": l.issued_on }))
                .collect();
            return Ok(Json(public_view(&app, &agency, &a, Value::Array(letters))).into_response());
        }
    }
    Err(not_found().into())
}

fn case_json(a: &Application, full: bool, due: Option<String>, left: Option<i64>) -> Value {
    let mut v = json!({
        "number": a.number,
        "state": a.state.code(),
        "channel": a.channel,
        "received": a.received,
        "department": a.department,
        "content": a.content,
        "applicant_kind": a.applicant.kind.code(),
        "applicant_name": if full { a.applicant.name.clone() } else { crate::views::masked_name(&a.applicant.name) },
        "due": due,
        "working_days_left": left,
        "outcome": a.answer.as_ref().map(|x| x.outcome.code()),
        "answered_on": a.answered_on,
        "version": a.version,
    });
    if full {
        v["applicant"] = serde_json::to_value(&a.applicant).expect("serializes");
    }
    v
}

pub async fn cases<S: Store>(
    State(app): Shared<S>,
    staff: ApiStaff,
    Query(filter): Query<QueueFilter>,
) -> ApiResult {
    if !crate::usecases::applications::queue_states().any(|code| code == filter.state) {
        return Err(WebError::field(
            "state",
            format!(
                "「{}」不是可用的筛选：open、overdue、all 或状态代码",
                gongkai_law::excerpt(&filter.state)
            ),
        )
        .into());
    }
    let agency = app.agency(&staff.user.agency).await?;
    let list: Vec<Value> = rows(&app, &agency)
        .await?
        .iter()
        .filter(|r| matches(r, &filter))
        .map(|r| {
            case_json(
                &r.application,
                false,
                r.deadline
                    .as_ref()
                    .and_then(|d| d.due)
                    .map(|d| d.to_string()),
                r.left(),
            )
        })
        .collect();
    Ok(Json(json!({ "agency": agency.code, "cases": list })).into_response())
}

async fn own<S: Store>(
    app: &App<S>,
    staff: &ApiStaff,
    number: &str,
) -> Result<(Agency, Application), WebError> {
    let agency = app.agency(&staff.user.agency).await?;
    let number = ApplicationNumber::parse(number)?;
    let a = app
        .store
        .application(&agency.code, &number)
        .await?
        .ok_or_else(|| WebError::NotFound(format!("本机关没有编号为 {number} 的申请")))?;
    Ok((agency, a))
}

pub async fn case<S: Store>(
    State(app): Shared<S>,
    staff: ApiStaff,
    Path(number): Path<String>,
) -> ApiResult {
    let (agency, a) = own(&app, &staff, &number).await?;
    let full = handles_cases(&staff.actor);
    if full {
        app.store
            .log_personal_data_read(
                &agency.code,
                &a.number,
                &app.stamp(staff.user.name.as_str()),
            )
            .await?;
    }
    Ok(Json(case_detail(&app, &agency, &a, full).await?).into_response())
}

/// One case as its page shows it: the list's fields, the fee with its payment period, a
/// 第三十五条 deadline, and (for case handlers) the applicant's other applications.
async fn case_detail<S: Store>(
    app: &App<S>,
    agency: &Agency,
    a: &Application,
    full: bool,
) -> Result<Value, WebError> {
    let calendar = app.calendar();
    let d = a
        .deadline(
            &calendar,
            agency.settings.fee_wait_pauses_clock,
            Some(app.today()),
        )
        .ok();
    let mut v = case_json(
        a,
        full,
        d.as_ref().and_then(|d| d.due).map(|d| d.to_string()),
        d.as_ref().and_then(|d| d.working_days_left),
    );
    if let Some(fee) = &a.letter_facts.fee {
        v["fee"] = json!({
            "method": fee.method.code(),
            "quantity": fee.quantity,
            "charged_yuan": fee.charged_yuan,
            "due_yuan": a.letter_facts.fee_yuan,
            "working": fee.working,
            "delivered": fee.delivered,
            "payment_due": a.fee_payment_due(&calendar).map(|r| r.date.to_string()),
            "waiver": fee.waiver,
        });
    }
    if let Some(later) = &a.letter_facts.reasonable_deadline {
        v["reasonable_deadline"] = serde_json::to_value(later).expect("serializes");
    }
    if full {
        let history = applicant_history(app, a).await?;
        v["applicant_record"] = serde_json::to_value(a.applicant_link).expect("serializes");
        v["applicant_history"] = json!({
            "month_count": history.month_count,
            "place_in_month": history.place,
            "volume_threshold": agency.settings.volume_threshold,
            "repeat_of": history.repeat_of.as_ref().map(|e| e.number.to_string()),
            "others": history.others.iter().map(|o| json!({
                "number": o.number,
                "received": o.received,
                "state": o.state.code(),
                "outcome": o.answer.as_ref().map(|x| x.outcome.code()),
            })).collect::<Vec<_>>(),
        });
    }
    Ok(v)
}

#[derive(Deserialize)]
struct ActBody {
    #[serde(flatten)]
    action: Action,
    #[serde(default)]
    version: Option<u64>,
}

pub async fn act<S: Store>(
    State(app): Shared<S>,
    staff: ApiStaff,
    Path(number): Path<String>,
    body: Bytes,
) -> ApiResult {
    // The case first: staff of another agency learn nothing from how their input is judged.
    let (agency, a) = own(&app, &staff, &number).await?;
    let body: ActBody = parse_json(&body)?;
    let saved = act_on(&app, &staff.actor, &agency, &a, body.action, body.version).await?;
    Ok(
        Json(case_detail(&app, &agency, &saved, handles_cases(&staff.actor)).await?)
            .into_response(),
    )
}

#[derive(Deserialize)]
pub struct Table3Query {
    agency: Option<String>,
    year: Option<i16>,
    format: Option<String>,
}

pub async fn table3<S: Store>(
    State(app): Shared<S>,
    staff: ApiStaff,
    Query(query): Query<Table3Query>,
) -> ApiResult {
    table3_response(
        &app,
        &staff.user.agency,
        staff.actor.has(gongkai_domain::Role::Supervisor),
        query,
    )
    .await
}

/// The same table for a browser session (the statistics page's download link).
pub async fn table3_for_session<S: Store>(
    State(app): Shared<S>,
    staff: crate::security::Staff,
    Query(query): Query<Table3Query>,
) -> ApiResult {
    table3_response(
        &app,
        &staff.user.agency,
        staff.actor.has(gongkai_domain::Role::Supervisor),
        query,
    )
    .await
}

async fn table3_response<S: Store>(
    app: &App<S>,
    own: &AgencyCode,
    supervises: bool,
    query: Table3Query,
) -> ApiResult {
    let agency = visible_agency(app, own, supervises, query.agency.as_deref()).await?;
    let year = year_of(app, query.year)?;
    let mut report = Report::blank(Format::Current2021);
    report.table3 = table3_counted(app, &agency.code, year).await?;
    match query.format.as_deref().unwrap_or("json") {
        "json" => Ok(Json(export::to_json(&report, TableId::Three)).into_response()),
        "csv" => Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"table3-{}-{year}.csv\"", agency.code),
                ),
            ],
            export::to_csv(&export::grid(&report, TableId::Three)),
        )
            .into_response()),
        other => Err(WebError::field(
            "format",
            format!(
                "「{other}」不支持：可选 csv 或 json",
                other = gongkai_law::excerpt(other)
            ),
        )
        .into()),
    }
}

/// Every error of the API in JSON, also those axum writes itself (a path or query that does
/// not parse, a body past its limit, a method the route does not take), which are plain text.
pub async fn errors_as_json(response: Response) -> Response {
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let status = response.status();
    if is_json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // axum's own messages are a line; anything longer is cut, never read whole.
    let text = match axum::body::to_bytes(body, 4096).await {
        Ok(bytes) => String::from_utf8_lossy(&bytes).trim().to_string(),
        Err(_) => String::new(),
    };
    let message = match status {
        StatusCode::PAYLOAD_TOO_LARGE => "请求体过大".to_string(),
        StatusCode::METHOD_NOT_ALLOWED => "此地址不接受该请求方法".to_string(),
        StatusCode::NOT_FOUND => "没有这个接口地址".to_string(),
        _ => format!(
            "请求无法读取：{}",
            text.chars().take(200).collect::<String>()
        ),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    let body = serde_json::to_vec(&json!({ "error": message })).expect("JSON serializes");
    Response::from_parts(parts, axum::body::Body::from(body))
}
