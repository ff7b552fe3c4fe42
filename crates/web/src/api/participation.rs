//! `/api/v1/participation`: 公众参与 messages — listed, recorded (a 12345 platform pushing its
//! 工单 with their numbers, recorded once) and replied to — by the same use cases as the back
//! office. Only staff who handle cases: a message carries its sender's name and words.

use axum::{
    Json,
    body::Bytes,
    extract::{Path, State},
    http::StatusCode,
    response::IntoResponse,
};
use gongkai_domain::{
    participation::{self, Message, NewMessage, ParticipationChannel},
    store::Store,
};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{ApiResult, Shared, openapi::MAX_SAFE_INTEGER, parse_json};
use crate::{
    app::App, error::WebError, forms::date, security::ApiStaff, usecases::participation as messages,
};

fn case_handler(staff: &ApiStaff) -> Result<(), WebError> {
    super::case_handler(staff, "公众来信", "来信人")
}

fn message_json<S: Store>(app: &App<S>, m: &Message, days: u32) -> Value {
    let calendar = app.calendar();
    json!({
        "id": m.id,
        "channel": m.channel.code(),
        "channel_label": m.channel.label(),
        "received": m.received,
        "reference": m.reference,
        "sender": m.sender,
        "subject": m.subject,
        "text": m.text,
        "publishable": m.publishable,
        "due": m.due(&calendar, days),
        "late": m.is_late(&calendar, days, app.today()),
        "reply": m.reply.as_ref().map(|r| json!({ "on": r.on, "text": r.text, "by": r.by })),
        "application": m.application,
    })
}

async fn answer<S: Store>(app: &App<S>, m: &Message, status: StatusCode) -> ApiResult {
    let agency = app.agency(&m.agency).await?;
    let days = participation::days_for(&agency.settings.participation_days, m.channel);
    Ok((status, Json(message_json(app, m, days))).into_response())
}

pub async fn list<S: Store>(State(app): Shared<S>, staff: ApiStaff) -> ApiResult {
    case_handler(&staff)?;
    let agency = app.agency(&staff.actor.agency).await?;
    let all = messages::messages(&app, &agency.code).await?;
    let settings = &agency.settings.participation_days;
    Ok(Json(json!({
        "agency": agency.code,
        "messages": all
            .iter()
            .map(|m| message_json(&app, m, participation::days_for(settings, m.channel)))
            .collect::<Vec<_>>(),
    }))
    .into_response())
}

#[derive(Deserialize)]
struct MessageBody {
    channel: String,
    received: String,
    #[serde(default)]
    reference: String,
    #[serde(default)]
    sender: String,
    subject: String,
    text: String,
    #[serde(default)]
    publishable: bool,
}

pub async fn add<S: Store>(State(app): Shared<S>, staff: ApiStaff, body: Bytes) -> ApiResult {
    case_handler(&staff)?;
    let body: MessageBody = parse_json(&body)?;
    let channel = ParticipationChannel::from_code(body.channel.trim())
        .ok_or_else(|| WebError::field("channel", format!("渠道应为：{}", CHANNELS.join("、"))))?;
    let new = NewMessage {
        channel,
        received: date(&body.received, "received", "收到日期")?,
        sender: &body.sender,
        subject: &body.subject,
        text: &body.text,
        publishable: body.publishable,
        reference: &body.reference,
    };
    let added = messages::add(&app, &staff.actor, new).await?;
    answer(&app, &added, StatusCode::CREATED).await
}

#[derive(Deserialize)]
struct ReplyBody {
    on: String,
    text: String,
    #[serde(default)]
    version: Option<u64>,
}

pub async fn reply<S: Store>(
    State(app): Shared<S>,
    staff: ApiStaff,
    Path(id): Path<u64>,
    body: Bytes,
) -> ApiResult {
    case_handler(&staff)?;
    // The message first: staff of another agency learn nothing from how their input is judged.
    messages::message(&app, &staff.actor.agency, id).await?;
    let body: ReplyBody = parse_json(&body)?;
    let on = date(&body.on, "on", "回复日期")?;
    let replied = messages::reply(&app, &staff.actor, id, body.version, on, &body.text).await?;
    answer(&app, &replied, StatusCode::OK).await
}

/// The channels as the API names them.
const CHANNELS: [&str; 4] = ["mailbox", "hotline", "consultation", "survey"];

/// The operations for `/api/openapi.json`.
pub fn paths(with_errors: impl Fn(Value, &[&str]) -> Value) -> Value {
    let date = json!({ "type": "string", "format": "date", "description": "YYYY-MM-DD，1949–2100 年，不晚于今天" });
    let ok = |status: &str, description: &str, schema: Value| json!({ status: { "description": description, "content": { "application/json": { "schema": schema } } } });
    let bearer = json!([{ "bearer": [] }]);
    let message = json!({ "type": "object", "required": ["id", "channel", "received", "subject", "text", "publishable", "late"], "properties": {
        "id": { "type": "integer" }, "channel": { "type": "string", "enum": CHANNELS }, "channel_label": { "type": "string" },
        "received": { "type": "string", "format": "date" }, "reference": { "type": "string", "nullable": true },
        "sender": { "type": "string" }, "subject": { "type": "string" }, "text": { "type": "string" },
        "publishable": { "type": "boolean" }, "due": { "type": "string", "format": "date", "nullable": true },
        "late": { "type": "boolean" }, "reply": { "type": "object", "nullable": true }, "application": { "type": "string", "nullable": true } } });
    json!({
        "/api/v1/participation": {
            "get": { "summary": "公众参与来信（领导信箱、12345转办、民意征集、网上调查；承办人员）", "security": bearer,
                "responses": with_errors(ok("200", "来信列表，新收到的在前", json!({ "type": "object", "required": ["agency", "messages"], "properties": { "agency": { "type": "string" }, "messages": { "type": "array", "items": message } } })), &["401", "403", "405"]) },
            "post": { "summary": "登记来信（同一工单编号只登记一次）", "security": bearer,
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["channel", "received", "subject", "text"], "properties": {
                    "channel": { "type": "string", "enum": CHANNELS },
                    "received": date,
                    "reference": { "type": "string", "pattern": format!("^[A-Za-z0-9_-]{{0,{}}}$", participation::MAX_REFERENCE_CHARS), "description": "工单编号（12345等平台转来的）" },
                    "sender": { "type": "string", "maxLength": 50, "description": "来信人；空为匿名" },
                    "subject": { "type": "string", "minLength": 1, "maxLength": participation::MAX_SUBJECT_CHARS, "description": "主题" },
                    "text": { "type": "string", "minLength": 1, "maxLength": participation::MAX_TEXT_CHARS, "description": "内容" },
                    "publishable": { "type": "boolean", "description": "来信人同意在网站公开来信和回复" } } } } } },
                "responses": with_errors(ok("201", "已登记", message.clone()), &["400", "401", "403", "405", "413", "422"]) } },
        "/api/v1/participation/{id}/reply": { "post": {
            "summary": "回复来信（只回复一次）", "security": bearer,
            "parameters": [ { "name": "id", "in": "path", "required": true, "schema": { "type": "integer", "minimum": 0, "maximum": MAX_SAFE_INTEGER } } ],
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["on", "text"], "properties": {
                "on": date,
                "text": { "type": "string", "minLength": 1, "maxLength": participation::MAX_TEXT_CHARS, "description": "回复内容" },
                "version": { "type": "integer", "minimum": 0, "maximum": MAX_SAFE_INTEGER, "nullable": true, "description": "读取时的版本" } } } } } },
            "responses": with_errors(ok("200", "已回复", message), &["400", "401", "403", "404", "405", "409", "413", "422"]) } }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_names_every_channel() {
        let named: Vec<&str> = ParticipationChannel::ALL.iter().map(|c| c.code()).collect();
        assert_eq!(named, CHANNELS);
    }
}
