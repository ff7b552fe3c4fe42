//! `/api/v1/work-plan` and `/api/v1/assessment/results`: 政务公开工作要点 — the tasks set for
//! the token's agency with where it stands, those it set with each agency's progress, its
//! report on a task — and the 考核 results its office published. The same use cases as the
//! back office.

use std::collections::BTreeMap;

use axum::{
    Json,
    body::Bytes,
    extract::{Query, State},
    response::IntoResponse,
};
use gongkai_domain::{
    AgencyCode,
    assessment::PublishedResult,
    store::Store,
    work_plan::{KeyTask, Progress, TaskReport},
};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{ApiResult, Shared, openapi::MAX_SAFE_INTEGER, parse_json};
use crate::{
    error::WebError,
    forms::optional_date,
    security::ApiStaff,
    usecases::{assessment, work_plan as plan},
};

/// What progress is called in the API.
const PROGRESS: [&str; 6] = [
    "done",
    "done_late",
    "underway",
    "underway_overdue",
    "not_reported",
    "not_reported_overdue",
];

#[derive(Deserialize)]
pub struct YearQuery {
    year: Option<i16>,
}

fn task_json(t: &KeyTask) -> Value {
    json!({
        "setter": t.agency,
        "id": t.id,
        "year": t.year,
        "title": t.title,
        "detail": t.detail,
        "due": t.due,
        "assignees": t.assignees,
        "withdrawn": t.withdrawn.as_ref().map(|w| json!({ "on": w.on, "reason": w.reason })),
    })
}

fn report_json(r: &TaskReport) -> Value {
    json!({ "text": r.text, "done_on": r.done_on, "evidence": r.evidence })
}

/// The year's tasks: set for the token's agency (with its report and progress) and set by it
/// (with each agency's progress).
pub async fn work_plan<S: Store>(
    State(app): Shared<S>,
    staff: ApiStaff,
    Query(query): Query<YearQuery>,
) -> ApiResult {
    let today = app.today();
    let year = match query.year {
        None => today.year(),
        Some(y) if (2008..=today.year() + 1).contains(&y) => y,
        Some(y) => {
            return Err(WebError::field(
                "year",
                format!("年度应在2008至{}之间，收到 {y}", today.year() + 1),
            )
            .into());
        }
    };
    let agency = &staff.actor.agency;
    let reports: Vec<TaskReport> = plan::reports_of(&app, agency)
        .await?
        .into_iter()
        .map(|v| v.value)
        .collect();
    let assigned: Vec<Value> = plan::tasks_for(&app, agency)
        .await?
        .iter()
        .filter(|t| t.year == year)
        .map(|t| {
            let report = t.report_in(&reports).cloned();
            let mut v = task_json(t);
            v["progress"] = json!(Progress::of(t, report.as_ref(), today).code());
            v["report"] = report.as_ref().map_or(Value::Null, report_json);
            v
        })
        .collect();
    let set = plan::tasks_set_by(&app, agency, Some(year)).await?;
    let mut progress_of: Vec<Value> = Vec::new();
    if !set.is_empty() {
        let agencies = app.agencies().await?;
        let under = plan::below(&agencies, agency);
        let mut below_reports: BTreeMap<AgencyCode, Vec<TaskReport>> = BTreeMap::new();
        for t in set.iter().filter(|t| t.is_active()) {
            let mut agencies_progress = Vec::new();
            for code in under.iter().filter(|a| t.is_for(a, &under)) {
                if !below_reports.contains_key(code) {
                    let theirs = plan::reports_of(&app, code)
                        .await?
                        .into_iter()
                        .map(|v| v.value)
                        .collect();
                    below_reports.insert(code.clone(), theirs);
                }
                let report = below_reports
                    .get(code)
                    .and_then(|r| t.report_in(r).cloned());
                agencies_progress.push(json!({
                    "agency": code,
                    "progress": Progress::of(t, report.as_ref(), today).code(),
                    "report": report.as_ref().map_or(Value::Null, report_json),
                }));
            }
            let mut v = task_json(t);
            v["progress"] = json!(agencies_progress);
            progress_of.push(v);
        }
        progress_of.extend(set.iter().filter(|t| !t.is_active()).map(task_json));
    }
    Ok(
        Json(json!({ "agency": agency, "year": year, "assigned": assigned, "set": progress_of }))
            .into_response(),
    )
}

#[derive(Deserialize)]
struct ReportBody {
    setter: String,
    task: u64,
    text: String,
    #[serde(default)]
    done_on: String,
    #[serde(default)]
    evidence: Vec<u64>,
}

/// The token's agency reports on a task set for it (again: the report is replaced).
pub async fn report<S: Store>(State(app): Shared<S>, staff: ApiStaff, body: Bytes) -> ApiResult {
    let body: ReportBody = parse_json(&body)?;
    let setter = AgencyCode::parse(body.setter.trim())
        .map_err(|_| WebError::NotFound("没有部署给本机关的这项任务".into()))?;
    let done_on = optional_date(&body.done_on, "done_on", "完成日期")?;
    if body.evidence.len() > gongkai_domain::work_plan::MAX_EVIDENCE {
        return Err(WebError::field(
            "evidence",
            format!(
                "最多引用{}条公开信息",
                gongkai_domain::work_plan::MAX_EVIDENCE
            ),
        )
        .into());
    }
    let report = plan::report(
        &app,
        &staff.actor,
        &setter,
        body.task,
        &body.text,
        done_on,
        body.evidence,
    )
    .await?;
    Ok(Json(report_json(&report)).into_response())
}

fn result_json(r: &PublishedResult) -> Value {
    json!({
        "from": r.from,
        "to": r.to,
        "scope": r.scope.code(),
        "published_on": r.published_on,
        "withdrawn": r.withdrawn.as_ref().map(|w| json!({ "on": w.on, "reason": w.reason })),
        "earlier": r.earlier.iter().map(|e| json!({ "published_on": e.published_on, "withdrawn_on": e.on, "reason": e.reason })).collect::<Vec<_>>(),
        "weights": r.weights.iter().map(|(c, w)| (c.code(), *w)).collect::<BTreeMap<_, _>>(),
        "ranking": r.rows.iter().zip(r.ranks()).map(|(row, rank)| json!({
            "rank": rank,
            "agency": row.agency,
            "name": row.name,
            "total": row.total,
            "measures": row.measures.iter().map(|m| json!({
                "criterion": m.criterion.code(),
                "points": m.points,
                "right": m.right,
                "of": m.of,
                "missed": m.missed,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// The 考核 results the token's office published, the latest period first.
pub async fn assessment_results<S: Store>(State(app): Shared<S>, staff: ApiStaff) -> ApiResult {
    let results = assessment::published(&app, &staff.actor.agency).await?;
    Ok(Json(json!({
        "agency": staff.actor.agency,
        "results": results.iter().map(result_json).collect::<Vec<_>>(),
    }))
    .into_response())
}

/// The operations for `/api/openapi.json`.
pub fn paths(with_errors: impl Fn(Value, &[&str]) -> Value, this_year: i16) -> Value {
    let ok = |status: &str, description: &str, schema: Value| json!({ status: { "description": description, "content": { "application/json": { "schema": schema } } } });
    let bearer = json!([{ "bearer": [] }]);
    let date = json!({ "type": "string", "format": "date" });
    let task = |progress: Value| {
        json!({ "type": "object", "required": ["setter", "id", "year", "title", "due"], "properties": {
            "setter": { "type": "string" }, "id": { "type": "integer" }, "year": { "type": "integer" },
            "title": { "type": "string" }, "detail": { "type": "string" }, "due": date,
            "assignees": { "type": "array", "items": { "type": "string" } },
            "withdrawn": { "type": "object", "nullable": true, "description": "已撤销：日期和理由" },
            "progress": progress,
            "report": { "type": "object", "nullable": true } } })
    };
    let progress = json!({ "type": "string", "enum": PROGRESS });
    let assigned = task(progress.clone());
    let set = task(
        json!({ "type": "array", "description": "各承担机关的进度（已撤销的任务没有）", "items": { "type": "object", "properties": {
        "agency": { "type": "string" }, "progress": progress, "report": { "type": "object", "nullable": true } } } }),
    );
    let report = json!({ "type": "object", "required": ["text", "evidence"], "properties": {
        "text": { "type": "string" }, "done_on": { "type": "string", "format": "date", "nullable": true },
        "evidence": { "type": "array", "items": { "type": "integer" } } } });
    json!({
        "/api/v1/work-plan": { "get": {
            "summary": "政务公开工作要点：上级部署给本机关的任务及进度，本机关部署的任务及各机关进度", "security": bearer,
            "parameters": [ { "name": "year", "in": "query", "schema": { "type": "integer", "minimum": 2008, "maximum": this_year + 1 }, "description": "年度（缺省为今年）" } ],
            "responses": with_errors(ok("200", "本年度任务", json!({ "type": "object", "required": ["agency", "year", "assigned", "set"], "properties": {
                "agency": { "type": "string" }, "year": { "type": "integer" },
                "assigned": { "type": "array", "items": assigned }, "set": { "type": "array", "items": set } } })), &["400", "401", "405", "422"]) } },
        "/api/v1/work-plan/report": { "post": {
            "summary": "报告工作要点落实情况（承办人员；再次报告即替换）", "security": bearer,
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["setter", "task", "text"], "properties": {
                "setter": { "type": "string", "description": "部署任务的机关代码" },
                "task": { "type": "integer", "minimum": 0, "maximum": MAX_SAFE_INTEGER },
                "text": { "type": "string", "minLength": 1, "maxLength": gongkai_domain::work_plan::MAX_TEXT_CHARS, "description": "落实情况" },
                "done_on": { "type": "string", "description": "完成日期 YYYY-MM-DD，不晚于今天；尚在推进的为空" },
                "evidence": { "type": "array", "maxItems": gongkai_domain::work_plan::MAX_EVIDENCE, "items": { "type": "integer", "minimum": 0, "maximum": MAX_SAFE_INTEGER }, "description": "本机关已公开信息的编号" } } } } } },
            "responses": with_errors(ok("200", "已报告", report), &["400", "401", "403", "404", "405", "409", "413", "422"]) } },
        "/api/v1/assessment/results": { "get": {
            "summary": "本机关公布的考核结果（排名、各项得分和失分依据）", "security": bearer,
            "responses": with_errors(ok("200", "考核结果，最近一期在前", json!({ "type": "object", "required": ["agency", "results"], "properties": {
                "agency": { "type": "string" }, "results": { "type": "array", "items": { "type": "object" } } } })), &["401", "405"]) } }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_names_every_progress() {
        let all = [
            Progress::Done,
            Progress::DoneLate,
            Progress::Underway { overdue: false },
            Progress::Underway { overdue: true },
            Progress::NotReported { overdue: false },
            Progress::NotReported { overdue: true },
        ];
        let named: Vec<&str> = all.iter().map(|p| p.code()).collect();
        assert_eq!(named, PROGRESS);
    }
}
