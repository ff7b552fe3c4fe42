//! JSON API under `/api/v1`, described by `/api/openapi.json`. Public: submit an application,
//! look one up with its query code. Staff (bearer token from `gongkai admin token create`):
//! list and read cases, act on them, table 三 as CSV or JSON.

mod records;

use std::sync::Arc;

pub use records::{add_correction, corrections, decide_correction, review_queue};

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
    applicant: Value,
    content: String,
    wanted_form: String,
}

pub async fn submit<S: Store>(State(app): Shared<S>, ip: ClientIp, body: Bytes) -> ApiResult {
    if !app.public_limiter.allow(ip.0, app.now()) {
        return Err(WebError::TooManyRequests.into());
    }
    let body: NewApplicationBody = parse_json(&body)?;
    let agency = app.agency(&AgencyCode::parse(&body.agency)?).await?;
    let field = |name: &str| {
        body.applicant
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .trim()
            .to_string()
    };
    let mut form = FormState::default();
    let applicant = applicant_from(&field, &mut form);
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
    crate::usecases::applications::take_daily_quota(&app, ip.0, &applicant)?;
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
    let body: ActBody = parse_json(&body)?;
    let (agency, a) = own(&app, &staff, &number).await?;
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
    #[serde(default)]
    format: String,
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
    match query.format.as_str() {
        "" | "json" => Ok(Json(export::to_json(&report, TableId::Three)).into_response()),
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

pub async fn openapi() -> Response {
    Json(openapi_document()).into_response()
}

pub fn openapi_document() -> Value {
    let error = json!({ "$ref": "#/components/schemas/Error" });
    let errors = |codes: &[&str]| -> Value {
        let mut m = serde_json::Map::new();
        for c in codes {
            m.insert(
                (*c).to_string(),
                json!({ "description": "错误说明（中文）", "content": { "application/json": { "schema": error } } }),
            );
        }
        Value::Object(m)
    };
    let merge = |mut ok: Value, codes: &[&str]| -> Value {
        if let (Some(o), Value::Object(e)) = (ok.as_object_mut(), errors(codes)) {
            o.extend(e);
        }
        ok
    };
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "gongkai 政府信息公开接口",
            "version": "1",
            "description": "依申请公开的提交与查询（公开），办理与统计（工作人员，Bearer 令牌：gongkai admin token create --user 用户名）。"
        },
        "servers": [{ "url": "/" }],
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": {
                "Error": { "type": "object", "required": ["error"], "properties": {
                    "error": { "type": "string" }, "field": { "type": "string" },
                    "errors": { "type": "object", "additionalProperties": { "type": "string" } } } },
                "Applicant": { "type": "object", "required": ["kind", "name", "id_type", "id_number", "phone"], "properties": {
                    "kind": { "type": "string", "enum": ["natural_person", "business", "research", "public_interest", "legal_service", "other_organisation"] },
                    "name": { "type": "string" },
                    "id_type": { "type": "string", "enum": ["resident_id", "credit_code", "other"] },
                    "id_number": { "type": "string" }, "id_name": { "type": "string" },
                    "phone": { "type": "string" }, "email": { "type": "string" }, "address": { "type": "string" } } },
                "NewApplication": { "type": "object", "required": ["agency", "applicant", "content", "wanted_form"], "properties": {
                    "agency": { "type": "string" }, "applicant": { "$ref": "#/components/schemas/Applicant" },
                    "content": { "type": "string", "description": "所需政府信息的名称、文号或特征描述（第二十九条）" },
                    "wanted_form": { "type": "string", "description": "获取信息的方式、途径" } } },
                "Receipt": { "type": "object", "properties": {
                    "agency": { "type": "string" }, "number": { "type": "string" }, "query_code": { "type": "string" },
                    "received": { "type": "string", "format": "date" }, "state": { "type": "string" } } },
                "Status": { "type": "object", "properties": {
                    "agency": { "type": "string" }, "number": { "type": "string" }, "state": { "type": "string" },
                    "state_label": { "type": "string" }, "received": { "type": "string", "format": "date" },
                    "due": { "type": "string", "format": "date", "nullable": true }, "outcome": { "type": "string", "nullable": true },
                    "letters": { "type": "array", "items": { "type": "object" } } } },
                "Case": { "type": "object", "properties": {
                    "number": { "type": "string" }, "state": { "type": "string" }, "received": { "type": "string", "format": "date" },
                    "due": { "type": "string", "nullable": true }, "working_days_left": { "type": "integer", "nullable": true },
                    "version": { "type": "integer" },
                    "fee": { "type": "object", "description": "信息处理费：计费方式、数量、金额、计算说明、送达日期、缴费期限、减免" },
                    "reasonable_deadline": { "type": "object", "description": "第三十五条确定的延迟答复合理期限" },
                    "applicant_record": { "type": "object", "description": "申请人记录（承办人员可见）" },
                    "applicant_history": { "type": "object", "description": "申请人的其他申请、本月件数、可能的重复申请（承办人员可见）" } } },
                "Correction": { "type": "object", "properties": {
                    "id": { "type": "integer" }, "received": { "type": "string", "format": "date" }, "requester": { "type": "object" },
                    "record": { "type": "string" }, "correction": { "type": "string" }, "evidence": { "type": "string" },
                    "decision": { "type": "object", "nullable": true }, "version": { "type": "integer" } } },
                "Action": { "type": "object", "required": ["action"], "description": "办理事项：action 为 register、start_handling、request_supplement{date,what,period?（补正期限工作日数，缺省为机关设置）}、receive_supplement{date}、start_consultation{date,party,kind?（third_party 第三十二条 或 other_agency 第三十四条）}、end_consultation{date}、extend{date,reason}、send_fee_notice{date,method（per_application 按件计收：件数由系统按申请人本自然月的申请统计；per_page 按量计收）,quantity?（按量计收的页数）}（金额按国办函〔2020〕109号计算）、deliver_fee_notice{date（申请人收到收费通知之日）}、waive_fee{date,yuan（减免后金额，0 为免收）,reason}（负责人）、record_fee_paid{date}、ask_for_reasons{date,what}（第三十五条）、set_reasonable_deadline{date,due,reason}（第三十五条，负责人）、confirm_applicant{same}、submit_answer{outcome,text,referral?}、answer_on_the_spot{outcome,text}（当面提交当天，第三十三条第一款；仅予以公开、本机关不掌握、公开出版物）、return_for_revision{reason}、approve_answer{date}、deliver{method,date,proof}、archive、add_note{text}；version 为读取时的版本（防止覆盖他人修改）",
                    "properties": { "action": { "type": "string" }, "version": { "type": "integer" } }, "additionalProperties": true }
            }
        },
        "paths": {
            "/healthz": { "get": { "summary": "健康检查", "responses": { "200": { "description": "ok" } } } },
            "/api/v1/applications": { "post": {
                "summary": "提交政府信息公开申请（公开）",
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/NewApplication" } } } },
                "responses": merge(json!({ "201": { "description": "已提交：申请编号和查询码", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Receipt" } } } } }), &["404", "422", "429"]) } },
            "/api/v1/applications/{number}": { "get": {
                "summary": "凭查询码查询办理进度（公开）",
                "parameters": [
                    { "name": "number", "in": "path", "required": true, "schema": { "type": "string" } },
                    { "name": "code", "in": "query", "required": true, "schema": { "type": "string" } },
                    { "name": "agency", "in": "query", "required": false, "schema": { "type": "string" } } ],
                "responses": merge(json!({ "200": { "description": "办理进度", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Status" } } } } }), &["404", "429"]) } },
            "/api/v1/cases": { "get": {
                "summary": "本机关的申请（工作人员）", "security": [{ "bearer": [] }],
                "parameters": [
                    { "name": "state", "in": "query", "schema": { "type": "string" }, "description": "open（默认）、overdue、all 或状态代码" },
                    { "name": "q", "in": "query", "schema": { "type": "string" } },
                    { "name": "department", "in": "query", "schema": { "type": "string" } } ],
                "responses": merge(json!({ "200": { "description": "申请列表", "content": { "application/json": { "schema": { "type": "object", "properties": { "cases": { "type": "array", "items": { "$ref": "#/components/schemas/Case" } } } } } } } }), &["401"]) } },
            "/api/v1/cases/{number}": { "get": {
                "summary": "一件申请（工作人员）", "security": [{ "bearer": [] }],
                "parameters": [ { "name": "number", "in": "path", "required": true, "schema": { "type": "string" } } ],
                "responses": merge(json!({ "200": { "description": "申请", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Case" } } } } }), &["401", "404"]) } },
            "/api/v1/cases/{number}/actions": { "post": {
                "summary": "办理一件申请（工作人员）", "security": [{ "bearer": [] }],
                "parameters": [ { "name": "number", "in": "path", "required": true, "schema": { "type": "string" } } ],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Action" } } } },
                "responses": merge(json!({ "200": { "description": "办理后的申请", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Case" } } } } }), &["401", "403", "404", "409", "422"]) } },
            "/api/v1/corrections": {
                "get": { "summary": "更正申请（第四十一条，承办人员）", "security": [{ "bearer": [] }],
                    "responses": merge(json!({ "200": { "description": "更正申请列表", "content": { "application/json": { "schema": { "type": "object", "properties": { "corrections": { "type": "array", "items": { "$ref": "#/components/schemas/Correction" } } } } } } } }), &["401", "403"]) },
                "post": { "summary": "登记更正申请（须有证据）", "security": [{ "bearer": [] }],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["received", "requester", "record", "correction", "evidence"], "properties": {
                        "received": { "type": "string", "format": "date" }, "requester": { "$ref": "#/components/schemas/Applicant" },
                        "record": { "type": "string" }, "correction": { "type": "string" }, "evidence": { "type": "string" } } } } } },
                    "responses": merge(json!({ "201": { "description": "已登记", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Correction" } } } } }), &["400", "401", "403", "422"]) } },
            "/api/v1/corrections/{id}/decision": { "post": {
                "summary": "办结更正申请（审核人）", "security": [{ "bearer": [] }],
                "parameters": [ { "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } } ],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["on", "outcome", "note"], "properties": {
                    "on": { "type": "string", "format": "date" },
                    "outcome": { "type": "string", "enum": ["corrected", "not_verified", "transferred", "directed"] },
                    "other_agency": { "type": "string", "description": "转送或告知时，有权更正的行政机关" },
                    "note": { "type": "string" }, "version": { "type": "integer" } } } } } },
                "responses": merge(json!({ "200": { "description": "办结后的更正申请", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Correction" } } } } }), &["400", "401", "403", "404", "409", "422"]) } },
            "/api/v1/rereview": { "get": {
                "summary": "不予公开信息的定期评估审查队列（第十八条）", "security": [{ "bearer": [] }],
                "responses": merge(json!({ "200": { "description": "到期先后排列", "content": { "application/json": {} } } }), &["401"]) } },
            "/api/v1/statistics/table3": { "get": {
                "summary": "年报表三（由办理记录计算）", "security": [{ "bearer": [] }],
                "parameters": [
                    { "name": "agency", "in": "query", "schema": { "type": "string" } },
                    { "name": "year", "in": "query", "schema": { "type": "integer" } },
                    { "name": "format", "in": "query", "schema": { "type": "string", "enum": ["csv", "json"] } } ],
                "responses": merge(json!({ "200": { "description": "表三", "content": { "text/csv": {}, "application/json": {} } } }), &["401", "403", "422"]) } }
        }
    })
}
