//! `/api/v1/publications`: 主动公开 items read, drafted and moved along the review chain
//! (先审后发) by the same use cases as the back office. Files are attached in the back office:
//! a draft sent here cannot name stored files (their sha256 would reach any kept upload).

use axum::{
    Json,
    body::Bytes,
    extract::{Path, Query, State},
    http::StatusCode,
    response::IntoResponse,
};
use gongkai_domain::{
    publication::{
        CHANNELS, Draft, Publication, PublicationAction, Validity,
        interpretation::{InterpretationForm, Interprets},
    },
    store::Store,
};
use gongkai_law::Date;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{ApiResult, Shared, openapi::MAX_SAFE_INTEGER, parse_json};
use crate::{app::App, error::WebError, security::ApiStaff, usecases::publications as use_case};

/// 解读形式 as the API names them.
const FORMS: [&str; 4] = ["text", "graphic", "video", "interview"];

/// The states a list can be narrowed to.
pub const STATES: [&str; 5] = ["draft", "in_review", "scheduled", "published", "withdrawn"];

fn publication_json<S: Store>(app: &App<S>, p: &Publication) -> Value {
    let calendar = app.calendar();
    let d = &p.draft;
    json!({
        "id": p.id,
        "state": p.state.code(),
        "state_label": p.state.label(),
        "title": d.title,
        "body": d.body,
        "category": d.category,
        "topic": d.topic,
        "written_on": d.written_on,
        "changed_on": d.changed_on,
        "doc_number": d.doc_number,
        "channels": d.channels,
        "release_on": d.release_on,
        "department": d.department,
        "catalog_entry": d.catalog_entry,
        "interprets": d.interprets.map(|x| json!({ "document": x.document, "form": x.form.code() })),
        "attachments": d.attachments.iter().map(|a| json!({ "name": a.name, "media_type": a.media_type, "bytes": a.bytes })).collect::<Vec<_>>(),
        "drafted_by": p.drafted_by,
        "approvals": p.approvals.len(),
        "review_steps": p.chain.steps().len(),
        "index_number": p.index_number,
        "published_on": p.published_on,
        "validity": p.validity.label(),
        "reason": p.reason,
        "revises": p.revises,
        "superseded_by": p.superseded_by,
        "due": p.due(&calendar),
        "late": p.is_late(&calendar, app.today()),
        "version": p.version,
    })
}

#[derive(Deserialize)]
pub struct ListQuery {
    state: Option<String>,
}

pub async fn publications<S: Store>(
    State(app): Shared<S>,
    staff: ApiStaff,
    Query(query): Query<ListQuery>,
) -> ApiResult {
    if let Some(state) = query.state.as_deref()
        && !STATES.contains(&state)
    {
        return Err(WebError::field(
            "state",
            format!(
                "「{}」不是可用的状态：{}",
                gongkai_law::excerpt(state),
                STATES.join("、")
            ),
        )
        .into());
    }
    let agency = app.agency(&staff.user.agency).await?;
    let all = app.store.publications(&agency.code).await?;
    let listed: Vec<Value> = all
        .iter()
        .filter(|p| query.state.as_deref().is_none_or(|s| p.state.code() == s))
        .map(|p| publication_json(&app, p))
        .collect();
    Ok(Json(json!({ "agency": agency.code, "publications": listed })).into_response())
}

async fn own<S: Store>(app: &App<S>, staff: &ApiStaff, id: u64) -> Result<Publication, WebError> {
    app.store
        .publication(&staff.user.agency, id)
        .await?
        .ok_or_else(|| WebError::NotFound(format!("本机关没有编号为 {id} 的公开信息")))
}

pub async fn publication<S: Store>(
    State(app): Shared<S>,
    staff: ApiStaff,
    Path(id): Path<u64>,
) -> ApiResult {
    let p = own(&app, &staff, id).await?;
    Ok(Json(publication_json(&app, &p)).into_response())
}

/// A draft as the API takes it: the back office's fields, without files.
#[derive(Deserialize)]
struct DraftBody {
    title: String,
    body: Vec<String>,
    category: String,
    #[serde(default)]
    topic: String,
    written_on: Date,
    #[serde(default)]
    changed_on: Option<Date>,
    #[serde(default)]
    doc_number: Option<String>,
    channels: Vec<String>,
    #[serde(default)]
    release_on: Option<Date>,
    #[serde(default)]
    department: Option<String>,
    #[serde(default)]
    catalog_entry: Option<u64>,
    /// 政策解读: the policy document this item explains.
    #[serde(default)]
    interprets: Option<InterpretsBody>,
}

#[derive(Deserialize)]
struct InterpretsBody {
    document: u64,
    form: String,
}

impl DraftBody {
    /// The domain's draft, keeping the files the item already has.
    fn into_draft(self, attachments: Vec<gongkai_domain::Attachment>) -> Result<Draft, WebError> {
        if let Some(unknown) = self
            .channels
            .iter()
            .find(|c| !CHANNELS.contains(&c.as_str()))
        {
            return Err(WebError::field(
                "channels",
                format!(
                    "「{}」不是发布渠道：可选{}",
                    gongkai_law::excerpt(unknown),
                    CHANNELS.join("、")
                ),
            ));
        }
        let optional = |text: Option<String>| text.filter(|t| !t.trim().is_empty());
        let interprets = match self.interprets {
            None => None,
            Some(x) => Some(Interprets {
                document: x.document,
                form: InterpretationForm::from_code(x.form.trim()).ok_or_else(|| {
                    WebError::field(
                        "interprets.form",
                        format!("解读形式应为：{}", FORMS.join("、")),
                    )
                })?,
            }),
        };
        Ok(Draft {
            title: self.title.trim().to_string(),
            body: self
                .body
                .iter()
                .map(|p| p.trim())
                .filter(|p| !p.is_empty())
                .map(String::from)
                .collect(),
            category: self.category.trim().to_string(),
            topic: self.topic.trim().to_string(),
            written_on: self.written_on,
            changed_on: self.changed_on,
            doc_number: optional(self.doc_number),
            channels: self.channels,
            release_on: self.release_on,
            department: optional(self.department),
            catalog_entry: self.catalog_entry,
            attachments,
            interprets,
        })
    }
}

pub async fn add_publication<S: Store>(
    State(app): Shared<S>,
    staff: ApiStaff,
    body: Bytes,
) -> ApiResult {
    let body: DraftBody = parse_json(&body)?;
    let agency = app.agency(&staff.user.agency).await?;
    let draft = body.into_draft(Vec::new())?;
    let p = use_case::draft(&app, &staff.actor, &agency, draft).await?;
    Ok((StatusCode::CREATED, Json(publication_json(&app, &p))).into_response())
}

#[derive(Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
enum ActionBody {
    Edit {
        draft: Box<DraftBody>,
    },
    Submit,
    Approve {
        #[serde(default)]
        opinion: String,
    },
    Reject {
        reason: String,
    },
    Withdraw {
        reason: String,
    },
    ChangeValidity {
        validity: String,
        since: Option<Date>,
    },
}

#[derive(Deserialize)]
struct ActBody {
    #[serde(flatten)]
    action: ActionBody,
    #[serde(default)]
    version: Option<u64>,
}

fn validity(code: &str, since: Option<Date>) -> Result<Validity, WebError> {
    let since = || since.ok_or_else(|| WebError::field("since", "废止或失效须写明日期"));
    match code {
        "valid" => Ok(Validity::Valid),
        "repealed" => Ok(Validity::Repealed(since()?)),
        "lapsed" => Ok(Validity::Lapsed(since()?)),
        other => Err(WebError::field(
            "validity",
            format!(
                "「{}」不是有效性：valid、repealed 或 lapsed",
                gongkai_law::excerpt(other)
            ),
        )),
    }
}

pub async fn act<S: Store>(
    State(app): Shared<S>,
    staff: ApiStaff,
    Path(id): Path<u64>,
    body: Bytes,
) -> ApiResult {
    // The item first: staff of another agency learn nothing from how their input is judged.
    let p = own(&app, &staff, id).await?;
    let body: ActBody = parse_json(&body)?;
    let action = match body.action {
        ActionBody::Edit { draft } => PublicationAction::Edit {
            draft: Box::new(draft.into_draft(p.draft.attachments.clone())?),
        },
        ActionBody::Submit => PublicationAction::Submit,
        ActionBody::Approve { opinion } => PublicationAction::approve_with(&opinion),
        ActionBody::Reject { reason } => PublicationAction::Reject { reason },
        ActionBody::Withdraw { reason } => PublicationAction::Withdraw { reason },
        ActionBody::ChangeValidity {
            validity: code,
            since,
        } => PublicationAction::ChangeValidity {
            validity: validity(&code, since)?,
        },
    };
    let agency = app.agency(&staff.user.agency).await?;
    let (saved, _) =
        use_case::act_on(&app, &staff.actor, &agency, &p, action, body.version).await?;
    Ok(Json(publication_json(&app, &saved)).into_response())
}

/// The document's part for these routes.
pub fn paths(with_errors: impl Fn(Value, &[&str]) -> Value) -> Value {
    let date =
        json!({ "type": "string", "format": "date", "description": "YYYY-MM-DD，1949–2100 年" });
    let draft = json!({ "type": "object", "required": ["title", "body", "category", "written_on", "channels"], "properties": {
        "title": { "type": "string", "minLength": 1, "description": "标题，1–200字" },
        "body": { "type": "array", "maxItems": gongkai_domain::publication::MAX_PARAGRAPHS, "items": { "type": "string" }, "description": "正文各段（## 小标题、- 列表、**加粗**、[文字](https://…)）；合计至多200000字" },
        "category": { "type": "string", "minLength": 1, "description": "公开目录栏目，至多100字" },
        "topic": { "type": "string", "description": "主题分类，至多100字" },
        "written_on": date, "changed_on": date, "release_on": date,
        "doc_number": { "type": "string", "nullable": true }, "department": { "type": "string", "nullable": true },
        "channels": { "type": "array", "maxItems": CHANNELS.len(), "items": { "type": "string", "enum": CHANNELS } },
        "catalog_entry": { "type": "integer", "minimum": 0, "maximum": MAX_SAFE_INTEGER, "nullable": true },
        "interprets": { "type": "object", "nullable": true, "required": ["document", "form"], "description": "政策解读：所解读的本机关已公开的政策文件（编号）和解读形式", "properties": {
            "document": { "type": "integer", "minimum": 0, "maximum": MAX_SAFE_INTEGER },
            "form": { "type": "string", "enum": FORMS } } } } });
    let item = json!({ "$ref": "#/components/schemas/Publication" });
    let ok = |status: &str, description: &str, schema: Value| json!({ status: { "description": description, "content": { "application/json": { "schema": schema } } } });
    let id = json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer", "minimum": 0, "maximum": MAX_SAFE_INTEGER } });
    let version = json!({ "type": "integer", "minimum": 0, "maximum": MAX_SAFE_INTEGER, "nullable": true, "description": "读取时的版本" });
    let action = |code: &str, required: &[&str], fields: Value| {
        let mut properties = fields.as_object().cloned().unwrap_or_default();
        properties.insert("action".into(), json!({ "type": "string", "enum": [code] }));
        properties.insert("version".into(), version.clone());
        let mut all = vec!["action"];
        all.extend_from_slice(required);
        json!({ "type": "object", "title": code, "required": all, "properties": properties })
    };
    let bearer = json!([{ "bearer": [] }]);
    json!({
        "/api/v1/publications": {
            "get": { "summary": "本机关的主动公开信息（各状态，工作人员）", "security": bearer,
                "parameters": [ { "name": "state", "in": "query", "schema": { "type": "string", "enum": STATES } } ],
                "responses": with_errors(ok("200", "公开信息列表", json!({ "type": "object", "required": ["agency", "publications"], "properties": { "agency": { "type": "string" }, "publications": { "type": "array", "items": item } } })), &["400", "401", "405", "422"]) },
            "post": { "summary": "起草公开信息（经办人；附件在工作台上传）", "security": bearer,
                "requestBody": { "required": true, "content": { "application/json": { "schema": draft } } },
                "responses": with_errors(ok("201", "草稿", item.clone()), &["400", "401", "403", "405", "409", "413", "422"]) } },
        "/api/v1/publications/{id}": { "get": { "summary": "一条公开信息", "security": bearer,
            "parameters": [ id ],
            "responses": with_errors(ok("200", "公开信息", item.clone()), &["400", "401", "404", "405"]) } },
        "/api/v1/publications/{id}/actions": { "post": { "summary": "修改、提交审核、审核通过、退回、撤回、标注有效性（先审后发：每一步由审核链规定的角色办理，起草人不能审核自己的稿件）", "security": bearer,
            "parameters": [ id ],
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "oneOf": [
                action("edit", &["draft"], json!({ "draft": draft })),
                action("submit", &[], json!({})),
                action("approve", &[], json!({ "opinion": { "type": "string", "maxLength": 500, "description": "审核意见；保密审查一步必填" } })),
                action("reject", &["reason"], json!({ "reason": { "type": "string", "minLength": 1 } })),
                action("withdraw", &["reason"], json!({ "reason": { "type": "string", "minLength": 1 } })),
                action("change_validity", &["validity"], json!({ "validity": { "type": "string", "enum": ["valid", "repealed", "lapsed"] }, "since": date })),
            ] } } } },
            "responses": with_errors(ok("200", "办理后的公开信息", item), &["400", "401", "403", "404", "405", "409", "413", "422"]) } }
    })
}

/// The item's schema for the document's components.
pub fn schema() -> Value {
    json!({ "type": "object", "required": ["id", "state", "title", "version"], "properties": {
        "id": { "type": "integer" }, "state": { "type": "string", "enum": STATES }, "state_label": { "type": "string" },
        "title": { "type": "string" }, "body": { "type": "array", "items": { "type": "string" } },
        "category": { "type": "string" }, "topic": { "type": "string" },
        "written_on": { "type": "string", "format": "date" },
        "index_number": { "type": "string", "nullable": true }, "published_on": { "type": "string", "format": "date", "nullable": true },
        "due": { "type": "string", "format": "date", "nullable": true, "description": "第二十六条：形成或变更之日起20个工作日" },
        "late": { "type": "boolean" }, "version": { "type": "integer" },
        "interprets": { "type": "object", "nullable": true, "description": "所解读的政策文件及解读形式" } } })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_names_every_interpretation_form() {
        let named: Vec<&str> = InterpretationForm::ALL.iter().map(|f| f.code()).collect();
        assert_eq!(named, FORMS);
    }
}
