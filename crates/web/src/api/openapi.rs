//! `/api/openapi.json`: every operation with the constraints the server enforces that a schema
//! can state (enums, required fields, patterns, ranges) and every status it returns. What a
//! schema cannot state — check digits of identity documents (GB 11643, GB 32100), the order of
//! a case's dates (the statute), the state a case must be in — is named in the descriptions and
//! answered 422 or 409. `.ci/run` holds the server to this document with Schemathesis.

use std::sync::Arc;

use axum::{Json, extract::State, response::IntoResponse, response::Response};
use gongkai_domain::{
    ConsultationKind, State as CaseState, correction::CorrectionOutcome, store::Store,
};
use gongkai_law::{ApplicantKind, Outcome};
use serde_json::{Value, json};

use crate::app::App;

pub async fn openapi<S: Store>(State(app): State<Arc<App<S>>>) -> Response {
    Json(openapi_document(app.today().year())).into_response()
}

/// 机关代码 in a path or query: ASCII letters, digits, `-` and `_`, 1–64.
const AGENCY_CODE: &str = "^[A-Za-z0-9_-]{1,64}$";
/// The same, or empty for the agency's own.
const AGENCY_CODE_OR_OWN: &str = "^[A-Za-z0-9_-]{0,64}$";
/// 申请编号 as clients send it: 1–64 characters, none of them a control character, a space,
/// a slash or a backslash (the server also trims spaces around it).
const APPLICATION_NUMBER: &str = "^[^\\u0000-\\u0020\\u007f-\\u00a0/\\\\\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]{1,64}$";
/// The largest integer every JSON client reads exactly (2^53 − 1); the server reads up to u64.
pub(super) const MAX_SAFE_INTEGER: u64 = 9_007_199_254_740_991;
/// At least seven ASCII digits anywhere (a phone number the agency can call).
const PHONE: &str = "(?:[^0-9]*[0-9]){7}";

fn codes<T: Copy>(all: &[T], code: impl Fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|x| code(*x)).collect()
}

fn date() -> Value {
    json!({ "type": "string", "format": "date", "description": "YYYY-MM-DD，1949–2100 年" })
}

fn text(description: &str) -> Value {
    json!({ "type": "string", "minLength": 1, "description": description })
}

/// The error responses an operation can give, each with the JSON error body.
fn with_errors(ok: Value, statuses: &[&str]) -> Value {
    let mut responses = ok.as_object().cloned().unwrap_or_default();
    for status in statuses {
        let description = match *status {
            "400" => "请求无法读取（JSON、路径或查询参数不符合本说明）",
            "401" => "缺少或无效的令牌",
            "403" => "无权进行此操作",
            "404" => "没有找到",
            "405" => "此地址不接受该请求方法",
            "409" => "与当前状态冲突（如办理环节不允许、他人已先修改）",
            "413" => "请求体过大（至多 2 MB）",
            "422" => "内容不符合规则（errors 或 field 指出字段）",
            "429" => "请求过于频繁或超出每日限额（Retry-After）",
            _ => "错误",
        };
        responses.insert(
            (*status).to_string(),
            json!({ "description": description, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }),
        );
    }
    Value::Object(responses)
}

fn json_body(schema: Value) -> Value {
    json!({ "required": true, "content": { "application/json": { "schema": schema } } })
}

fn ok(status: &str, description: &str, schema: Value) -> Value {
    json!({ status: { "description": description, "content": { "application/json": { "schema": schema } } } })
}

fn number_in_path() -> Value {
    json!({ "name": "number", "in": "path", "required": true, "description": "申请编号",
        "schema": { "type": "string", "pattern": APPLICATION_NUMBER } })
}

/// One action's request: `action` fixed, its own fields required.
fn action(code: &str, summary: &str, required: &[&str], fields: Value) -> Value {
    let mut properties = fields.as_object().cloned().unwrap_or_default();
    properties.insert("action".into(), json!({ "type": "string", "enum": [code] }));
    properties.insert(
        "version".into(),
        json!({ "type": "integer", "minimum": 0, "maximum": MAX_SAFE_INTEGER, "nullable": true, "description": "读取时的版本（防止覆盖他人修改）" }),
    );
    let mut all_required = vec!["action"];
    all_required.extend_from_slice(required);
    json!({ "type": "object", "title": code, "description": summary,
        "required": all_required, "properties": properties })
}

fn actions() -> Value {
    let outcomes = codes(&Outcome::ALL, Outcome::code);
    let outcome = json!({ "type": "string", "enum": outcomes });
    let consultation = codes(&ConsultationKind::ALL, ConsultationKind::code);
    json!([
        action(
            "register",
            "登记（可分派部门）",
            &[],
            json!({ "department": { "type": "string", "nullable": true } })
        ),
        action("start_handling", "开始办理", &[], json!({})),
        action(
            "request_supplement",
            "告知补正（第三十条：收到之日起7个工作日内、一次）",
            &["date", "what"],
            json!({ "date": date(), "what": text("需补正的事项"), "period": { "type": "integer", "minimum": 0, "maximum": u32::MAX, "description": "补正期限（工作日），缺省为机关设置" } })
        ),
        action(
            "receive_supplement",
            "收到补正（期限重新计算）",
            &["date"],
            json!({ "date": date() })
        ),
        action(
            "start_consultation",
            "征求意见（第三十二条、第三十四条，15个工作日）",
            &["date", "party"],
            json!({ "date": date(), "party": text("征求意见对象"), "kind": { "type": "string", "enum": consultation } })
        ),
        action(
            "end_consultation",
            "征求意见结束",
            &["date"],
            json!({ "date": date() })
        ),
        action(
            "extend",
            "延期答复（第三十三条，审核人，一次）",
            &["date", "reason"],
            json!({ "date": date(), "reason": text("延期理由") })
        ),
        action(
            "send_fee_notice",
            "收费通知（国办函〔2020〕109号；金额由系统计算）",
            &["date", "method"],
            json!({ "date": date(), "method": { "type": "string", "enum": ["per_application", "per_page"] },
                "quantity": { "type": "integer", "minimum": 0, "maximum": u32::MAX, "description": "按量计收的页数（按件计收时由系统统计）" } })
        ),
        action(
            "deliver_fee_notice",
            "收费通知送达之日",
            &["date"],
            json!({ "date": date() })
        ),
        action(
            "waive_fee",
            "减免（负责人）",
            &["date", "yuan", "reason"],
            json!({ "date": date(), "yuan": { "type": "integer", "minimum": 0, "maximum": MAX_SAFE_INTEGER, "description": "减免后金额，0 为免收" }, "reason": text("减免理由") })
        ),
        action(
            "record_fee_paid",
            "已缴费",
            &["date"],
            json!({ "date": date() })
        ),
        action(
            "ask_for_reasons",
            "要求说明理由（第三十五条）",
            &["date", "what"],
            json!({ "date": date(), "what": text("需说明的事项") })
        ),
        action(
            "set_reasonable_deadline",
            "确定延迟答复的合理期限（第三十五条，负责人）",
            &["date", "due", "reason"],
            json!({ "date": date(), "due": date(), "reason": text("理由") })
        ),
        action(
            "confirm_applicant",
            "确认是否同一申请人",
            &["same"],
            json!({ "same": { "type": "boolean" } })
        ),
        action(
            "submit_answer",
            "提交审核",
            &["outcome", "text"],
            json!({ "outcome": outcome, "text": text("答复正文（至多20000字）"), "referral": { "type": "string", "nullable": true, "description": "第三十六条第（五）项：能够确定的负责公开该信息的机关及联系方式" } })
        ),
        action(
            "answer_on_the_spot",
            "当场答复（第三十三条第一款；仅予以公开、本机关不掌握、公开出版物）",
            &["outcome", "text"],
            json!({ "outcome": outcome, "text": text("答复正文（至多20000字）") })
        ),
        action(
            "return_for_revision",
            "退回修改",
            &["reason"],
            json!({ "reason": text("退回理由") })
        ),
        action(
            "approve_answer",
            "审核通过并答复",
            &["date"],
            json!({ "date": date() })
        ),
        action(
            "deliver",
            "送达",
            &["method", "date", "proof"],
            json!({ "method": text("送达方式"), "date": date(), "proof": { "type": "string" }, "consent": { "type": "boolean", "description": "申请人同意电子送达" } })
        ),
        action("archive", "归档", &[], json!({})),
        action(
            "add_note",
            "备注",
            &["text"],
            json!({ "text": text("备注") })
        ),
    ])
}

pub fn openapi_document(this_year: i16) -> Value {
    let kinds = codes(&ApplicantKind::ALL, ApplicantKind::code);
    let states: Vec<&str> = crate::usecases::applications::queue_states().collect();
    let corrections = codes(&CorrectionOutcome::ALL, CorrectionOutcome::code);
    let bearer = json!([{ "bearer": [] }]);
    let mut document = json!({
        "openapi": "3.0.3",
        "info": {
            "title": "gongkai 政府信息公开接口",
            "version": "1",
            "description": "依申请公开的提交与查询（公开），办理与统计（工作人员，Bearer 令牌：gongkai admin token create --user 用户名 --name 用途）。所有错误均为 JSON（error，及 field 或 errors）。文本字段两端的空白会被去掉；身份证件校验码（GB 11643、GB 32100）、日期先后与法定期限、案件所处环节等规则无法用本说明表达，不符时以 422 或 409 答复并说明原因。"
        },
        "servers": [{ "url": "/" }],
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": {
                "Error": { "type": "object", "required": ["error"], "properties": {
                    "error": { "type": "string" }, "field": { "type": "string" },
                    "errors": { "type": "object", "additionalProperties": { "type": "string" } } } },
                "Applicant": { "type": "object", "required": ["kind", "name", "id_type", "id_number", "phone"], "properties": {
                    "kind": { "type": "string", "enum": kinds },
                    "name": text("姓名或名称（至多200字）"),
                    "id_type": { "type": "string", "enum": ["resident_id", "credit_code", "other"] },
                    "id_number": text("证件号码：居民身份证18位（校验码须正确）、统一社会信用代码18位，或其他证件号码"),
                    "id_name": { "type": "string", "description": "id_type 为 other 时必填：证件名称" },
                    "phone": { "type": "string", "pattern": PHONE, "description": "至少7位数字" },
                    "email": { "type": "string", "description": "可空；填写时须含 @ 和 ." },
                    "address": { "type": "string" } } },
                "NewApplication": { "type": "object", "required": ["agency", "applicant", "content", "wanted_form"], "properties": {
                    "agency": text("机关代码：1–64个字母、数字、连字符或下划线"),
                    "applicant": { "$ref": "#/components/schemas/Applicant" },
                    "content": text("所需政府信息的名称、文号或特征描述（第二十九条），4–5000字"),
                    "wanted_form": text("获取信息的方式、途径（至多200字）") } },
                "Receipt": { "type": "object", "required": ["agency", "number", "query_code", "received", "state"], "properties": {
                    "agency": { "type": "string" }, "number": { "type": "string" }, "query_code": { "type": "string" },
                    "received": { "type": "string", "format": "date" }, "state": { "type": "string" } } },
                "Status": { "type": "object", "required": ["agency", "number", "state", "received"], "properties": {
                    "agency": { "type": "string" }, "number": { "type": "string" }, "state": { "type": "string" },
                    "state_label": { "type": "string" }, "received": { "type": "string", "format": "date" },
                    "due": { "type": "string", "format": "date", "nullable": true }, "outcome": { "type": "string", "nullable": true },
                    "letters": { "type": "array", "items": { "type": "object" } } } },
                "Case": { "type": "object", "required": ["number", "state", "received", "version"], "properties": {
                    "number": { "type": "string" }, "state": { "type": "string", "enum": codes(&CaseState::ALL, CaseState::code) },
                    "received": { "type": "string", "format": "date" },
                    "due": { "type": "string", "nullable": true }, "working_days_left": { "type": "integer", "nullable": true },
                    "version": { "type": "integer" },
                    "fee": { "type": "object", "description": "信息处理费：计费方式、数量、金额、计算说明、送达日期、缴费期限、减免" },
                    "reasonable_deadline": { "type": "object", "description": "第三十五条确定的延迟答复合理期限" },
                    "applicant_record": { "type": "object", "nullable": true, "description": "申请人记录（承办人员可见）" },
                    "applicant_history": { "type": "object", "description": "申请人的其他申请、本月件数、可能的重复申请（承办人员可见）" } } },
                "Correction": { "type": "object", "required": ["id", "received", "version"], "properties": {
                    "id": { "type": "integer" }, "received": { "type": "string", "format": "date" }, "requester": { "type": "object" },
                    "record": { "type": "string" }, "correction": { "type": "string" }, "evidence": { "type": "string" },
                    "decision": { "type": "object", "nullable": true }, "version": { "type": "integer" } } },
                "Publication": super::publications::schema(),
                "Action": { "description": "办理事项（action 选定一项，各项所需字段见其说明）", "oneOf": actions() }
            }
        },
        "paths": {
            "/healthz": { "get": { "summary": "健康检查", "responses": { "200": { "description": "ok，及检索索引是否完整", "content": { "text/plain": {} } } } } },
            "/api/v1/applications": { "post": {
                "summary": "提交政府信息公开申请（公开）",
                "requestBody": json_body(json!({ "$ref": "#/components/schemas/NewApplication" })),
                "responses": with_errors(ok("201", "已提交：申请编号和查询码", json!({ "$ref": "#/components/schemas/Receipt" })), &["400", "404", "405", "413", "422", "429"]) } },
            "/api/v1/applications/{number}": { "get": {
                "summary": "凭查询码查询办理进度（公开）",
                "parameters": [
                    number_in_path(),
                    { "name": "code", "in": "query", "required": true, "schema": { "type": "string" }, "description": "提交时得到的查询码" },
                    { "name": "agency", "in": "query", "required": false, "schema": { "type": "string", "pattern": AGENCY_CODE } } ],
                "responses": with_errors(ok("200", "办理进度", json!({ "$ref": "#/components/schemas/Status" })), &["400", "404", "405", "429"]) } },
            "/api/v1/cases": { "get": {
                "summary": "本机关的申请（工作人员）", "security": bearer,
                "parameters": [
                    { "name": "state", "in": "query", "schema": { "type": "string", "enum": states }, "description": "open（缺省或为空）、overdue、all 或状态代码" },
                    { "name": "q", "in": "query", "schema": { "type": "string" }, "description": "编号、内容或申请人中的文字" },
                    { "name": "department", "in": "query", "schema": { "type": "string" } } ],
                "responses": with_errors(ok("200", "申请列表", json!({ "type": "object", "required": ["agency", "cases"], "properties": { "agency": { "type": "string" }, "cases": { "type": "array", "items": { "$ref": "#/components/schemas/Case" } } } })), &["400", "401", "405", "422"]) } },
            "/api/v1/cases/{number}": { "get": {
                "summary": "一件申请（工作人员）", "security": bearer,
                "parameters": [ number_in_path() ],
                "responses": with_errors(ok("200", "申请", json!({ "$ref": "#/components/schemas/Case" })), &["400", "401", "404", "405", "422"]) } },
            "/api/v1/cases/{number}/actions": { "post": {
                "summary": "办理一件申请（工作人员）", "security": bearer,
                "parameters": [ number_in_path() ],
                "requestBody": json_body(json!({ "$ref": "#/components/schemas/Action" })),
                "responses": with_errors(ok("200", "办理后的申请", json!({ "$ref": "#/components/schemas/Case" })), &["400", "401", "403", "404", "405", "409", "413", "422"]) } },
            "/api/v1/corrections": {
                "get": { "summary": "更正申请（第四十一条，承办人员）", "security": bearer,
                    "responses": with_errors(ok("200", "更正申请列表", json!({ "type": "object", "required": ["corrections"], "properties": { "corrections": { "type": "array", "items": { "$ref": "#/components/schemas/Correction" } } } })), &["401", "403", "405"]) },
                "post": { "summary": "登记更正申请（须有证据）", "security": bearer,
                    "requestBody": json_body(json!({ "type": "object", "required": ["received", "requester", "record", "correction", "evidence"], "properties": {
                        "received": date(), "requester": { "$ref": "#/components/schemas/Applicant" },
                        "record": text("需更正的记录（至多2000字）"), "correction": text("更正内容（至多2000字）"), "evidence": text("证据（至多2000字）") } })),
                    "responses": with_errors(ok("201", "已登记", json!({ "$ref": "#/components/schemas/Correction" })), &["400", "401", "403", "405", "413", "422"]) } },
            "/api/v1/corrections/{id}/decision": { "post": {
                "summary": "办结更正申请（审核人）", "security": bearer,
                "parameters": [ { "name": "id", "in": "path", "required": true, "schema": { "type": "integer", "minimum": 0, "maximum": MAX_SAFE_INTEGER } } ],
                "requestBody": json_body(json!({ "type": "object", "required": ["on", "outcome", "note"], "properties": {
                    "on": date(),
                    "outcome": { "type": "string", "enum": corrections },
                    "other_agency": { "type": "string", "description": "转送或告知时必填：有权更正的行政机关" },
                    "note": { "type": "string", "description": "说明（至多1000字）" }, "version": { "type": "integer", "minimum": 0, "maximum": MAX_SAFE_INTEGER, "nullable": true } } })),
                "responses": with_errors(ok("200", "办结后的更正申请", json!({ "$ref": "#/components/schemas/Correction" })), &["400", "401", "403", "404", "405", "409", "413", "422"]) } },
            "/api/v1/rereview": { "get": {
                "summary": "不予公开信息的定期评估审查队列（第十八条）", "security": bearer,
                "responses": with_errors(ok("200", "到期先后排列", json!({ "type": "object", "required": ["review_months", "queue"], "properties": { "review_months": { "type": "integer" }, "queue": { "type": "array", "items": { "type": "object" } } } })), &["401", "405"]) } },
            "/api/v1/statistics/table3": { "get": {
                "summary": "年报表三（由办理记录计算）", "security": bearer,
                "parameters": [
                    { "name": "agency", "in": "query", "schema": { "type": "string", "pattern": AGENCY_CODE_OR_OWN }, "description": "本机关（缺省或为空）或所监督的下级机关" },
                    { "name": "year", "in": "query", "schema": { "type": "integer", "minimum": 2008, "maximum": this_year } },
                    { "name": "format", "in": "query", "schema": { "type": "string", "enum": ["csv", "json"] } } ],
                "responses": with_errors(json!({ "200": { "description": "表三", "content": { "text/csv": { "schema": { "type": "string" } }, "application/json": { "schema": { "type": "object" } } } } }), &["400", "401", "403", "404", "405", "422"]) } }
        }
    });
    for more in [
        super::publications::paths(with_errors),
        super::participation::paths(with_errors),
        super::work_plan::paths(with_errors, this_year),
    ] {
        if let (Some(paths), Value::Object(more)) = (document["paths"].as_object_mut(), more) {
            paths.extend(more);
        }
    }
    document
}
