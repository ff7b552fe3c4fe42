//! 复议诉讼与报告事项 — what the annual report states that is recorded here: 行政复议 and 行政诉讼
//! cases linked to applications (table 四), 政务公开培训, and 人大代表建议、政协委员提案.

use std::sync::Arc;

use axum::{
    extract::{Query, State},
    response::{IntoResponse, Redirect, Response},
};
use gongkai_domain::{
    ApplicationNumber,
    appeal::{Appeal, AppealKind, AppealResult, Decision},
    facts::{Proposal, ProposalKind, Training},
    records::{self, Versioned},
    store::Store,
};
use maud::{Markup, html};
use serde::{Deserialize, Serialize};

use crate::{
    app::App,
    error::WebError,
    forms::{date, optional_date},
    security::{CsrfForm, CsrfToken, Staff},
    usecases::records::{self as record_use, NewAppeal},
    views::{FormState, Input, chrome, csrf_field, field, page, urlencode},
};

type Shared<S> = State<Arc<App<S>>>;

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    pub done: String,
}

const KINDS: [(&str, &str); 3] = [
    ("reconsideration", "行政复议"),
    ("direct_litigation", "行政诉讼（未经复议直接起诉）"),
    ("litigation_after_reconsideration", "行政诉讼（复议后起诉）"),
];
const RESULTS: [(&str, &str); 3] = [
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
];
const PROPOSAL_KINDS: [(&str, &str); 2] = [
    ("deputy_suggestion", "人大代表建议"),
    ("member_proposal", "政协委员提案"),
];

pub async fn records_page<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    Query(query): Query<DoneQuery>,
) -> Result<Markup, WebError> {
    view(
        &app,
        &staff,
        &csrf,
        &query.done,
        &FormState::default(),
        None,
    )
    .await
}

async fn view<S: Store>(
    app: &App<S>,
    staff: &Staff,
    csrf: &CsrfToken,
    done: &str,
    form: &FormState,
    error: Option<&str>,
) -> Result<Markup, WebError> {
    let agency = &staff.user.agency;
    let appeals: Vec<Versioned<Appeal>> = records::load_all(&app.store, agency).await?;
    let trainings: Vec<Versioned<Training>> = records::load_all(&app.store, agency).await?;
    let proposals: Vec<Versioned<Proposal>> = records::load_all(&app.store, agency).await?;
    let today = app.today().to_string();
    Ok(page(
        "复议诉讼与报告事项",
        chrome(staff, csrf),
        html! {
            h1 { "复议诉讼与报告事项" }
            p.muted { "这里登记的事项计入年度报告：行政复议、行政诉讼案件进入表四（按收到年度计，年底未审结的计入“尚未审结”）；培训和建议提案写入报告第一、六部分。" }
            @if !done.is_empty() { p.notice role="status" { "已" (done) "。" } }
            @if let Some(e) = error { p.alert role="alert" { (e) } }
            section #appeals {
                h2 { "行政复议、行政诉讼" }
                table {
                    thead { tr { th { "类别" } th { "案号" } th { "申请" } th { "收到日期" } th { "复议机关/法院" } th { "结果" } } }
                    tbody {
                        @for v in &appeals {
                            @let a = &v.value;
                            tr {
                                td { (a.kind.label()) } td { (a.case_number) }
                                td { a href={ "/staff/cases/" (urlencode(a.application.as_str())) } { (a.application) } }
                                td { (a.filed_on) } td { (a.body) }
                                td {
                                    (a.status_label())
                                    @if let Some(d) = &a.decision { "（" (d.on) "）" @if !d.note.is_empty() { " " (d.note) } }
                                    @else {
                                        form.inline method="post" action="/staff/records/appeals/decide" {
                                            (csrf_field(csrf))
                                            input type="hidden" name="id" value=(a.id);
                                            input type="hidden" name="version" value=(v.version);
                                            select name="result" aria-label="审理结果" { @for (c, l) in RESULTS { option value=(c) { (l) } } }
                                            input type="date" name="date" value=(today) aria-label="审结日期";
                                            input type="text" name="note" placeholder="决定书/判决书文号" aria-label="文号或说明";
                                            button.secondary type="submit" { "登记审结" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                form.stack method="post" action="/staff/records/appeals" {
                    (csrf_field(csrf))
                    h3 { "登记新案件" }
                    (field(form, "kind", "类别", Input::Select(&KINDS), true, None))
                    (field(form, "application", "所涉申请编号", Input::Text, true, Some("因哪一件申请的答复引起")))
                    (field(form, "filed_on", "收到复议申请书或起诉状之日", Input::Date, true, None))
                    (field(form, "body", "复议机关或人民法院", Input::Text, true, None))
                    (field(form, "case_number", "案号", Input::Text, false, None))
                    button type="submit" { "登记" }
                }
            }
            section #trainings {
                h2 { "政务公开培训" }
                ul { @for t in &trainings { li { (t.value.held_on) " " (t.value.title) @if let Some(n) = t.value.participants { "（" (n) "人次）" } } } }
                form.stack method="post" action="/staff/records/trainings" {
                    (csrf_field(csrf))
                    (field(form, "held_on", "日期", Input::Date, true, None))
                    (field(form, "title", "培训名称", Input::Text, true, None))
                    (field(form, "participants", "参训人次", Input::Text, false, None))
                    button type="submit" { "登记培训" }
                }
            }
            section #proposals {
                h2 { "建议、提案办理" }
                ul { @for p in &proposals { li { (p.value.kind.label()) " " (p.value.received_on) " " (p.value.title) " · " @match p.value.answered_on { Some(d) => { "已办复（" (d) "）" }, None => { "办理中" } } } } }
                form.stack method="post" action="/staff/records/proposals" {
                    (csrf_field(csrf))
                    (field(form, "proposal_kind", "类别", Input::Select(&PROPOSAL_KINDS), true, None))
                    (field(form, "received_on", "交办日期", Input::Date, true, None))
                    (field(form, "proposal_title", "标题", Input::Text, true, None))
                    (field(form, "answered_on", "办复日期", Input::Date, false, Some("尚未办复的留空")))
                    button type="submit" { "登记建议提案" }
                }
            }
        },
    ))
}

/// Runs a change; a wrong field comes back as the page with the input kept and the message.
async fn finish<S: Store>(
    app: &App<S>,
    staff: &Staff,
    csrf: &CsrfToken,
    typed: &impl serde::Serialize,
    result: Result<&'static str, WebError>,
) -> Result<Response, WebError> {
    match result {
        Ok(done) => {
            Ok(Redirect::to(&format!("/staff/records?done={}", urlencode(done))).into_response())
        }
        Err(e @ (WebError::Field { .. } | WebError::Conflict(_) | WebError::BadRequest(_))) => {
            let mut form = FormState::keep(typed);
            if let WebError::Field { field, message } = &e {
                form.errors.insert(field.clone(), message.clone());
            }
            let status = if matches!(e, WebError::Conflict(_)) {
                axum::http::StatusCode::CONFLICT
            } else {
                axum::http::StatusCode::UNPROCESSABLE_ENTITY
            };
            Ok((
                status,
                view(app, staff, csrf, "", &form, Some(&e.message())).await?,
            )
                .into_response())
        }
        Err(e) => Err(e),
    }
}

/// 登记行政复议、行政诉讼案件.
#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
pub struct AppealForm {
    kind: String,
    application: String,
    filed_on: String,
    body: String,
    case_number: String,
}

pub async fn add_appeal<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<AppealForm>,
) -> Result<Response, WebError> {
    let result = async {
        let new = NewAppeal {
            kind: AppealKind::from_code(form.kind.trim())
                .ok_or_else(|| WebError::field("kind", "请选择类别"))?,
            application: ApplicationNumber::parse(form.application.trim())
                .map_err(|_| WebError::field("application", "请填写申请编号"))?,
            filed_on: date(&form.filed_on, "filed_on", "收到日期")?,
            body: form.body.trim().to_string(),
            case_number: form.case_number.trim().to_string(),
        };
        record_use::add_appeal(&app, &staff.actor, new).await?;
        Ok("登记案件")
    }
    .await;
    finish(&app, &staff, &csrf, &form, result).await
}

/// 登记审结.
#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
pub struct DecisionForm {
    id: String,
    result: String,
    date: String,
    note: String,
    version: String,
}

pub async fn decide_appeal<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> Result<Response, WebError> {
    let result = async {
        let id: u64 = form
            .id
            .trim()
            .parse()
            .map_err(|_| WebError::BadRequest("缺少案件编号".into()))?;
        let decision = Decision {
            on: date(&form.date, "date", "审结日期")?,
            result: AppealResult::from_code(form.result.trim())
                .ok_or_else(|| WebError::field("result", "请选择审理结果"))?,
            note: form.note.trim().to_string(),
        };
        let version = form.version.trim().parse().ok();
        record_use::decide_appeal(&app, &staff.actor, id, version, decision).await?;
        Ok("登记审结")
    }
    .await;
    finish(&app, &staff, &csrf, &form, result).await
}

/// 登记培训.
#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
pub struct TrainingForm {
    held_on: String,
    title: String,
    participants: String,
}

pub async fn add_training<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<TrainingForm>,
) -> Result<Response, WebError> {
    let result = async {
        let held_on = date(&form.held_on, "held_on", "培训日期")?;
        let participants = match form.participants.trim() {
            "" => None,
            p => Some(
                p.parse::<u32>()
                    .map_err(|_| WebError::field("participants", "参训人次应为整数"))?,
            ),
        };
        let title = form.title.trim();
        record_use::add_training(&app, &staff.actor, held_on, title, participants).await?;
        Ok("登记培训")
    }
    .await;
    finish(&app, &staff, &csrf, &form, result).await
}

/// 登记建议提案.
#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
pub struct ProposalForm {
    proposal_kind: String,
    received_on: String,
    proposal_title: String,
    answered_on: String,
}

pub async fn add_proposal<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<ProposalForm>,
) -> Result<Response, WebError> {
    let result = async {
        let kind = ProposalKind::from_code(form.proposal_kind.trim())
            .ok_or_else(|| WebError::field("proposal_kind", "请选择类别"))?;
        let received_on = date(&form.received_on, "received_on", "交办日期")?;
        let answered_on = optional_date(&form.answered_on, "answered_on", "办复日期")?;
        let title = form.proposal_title.trim();
        record_use::add_proposal(&app, &staff.actor, kind, received_on, title, answered_on).await?;
        Ok("登记建议提案")
    }
    .await;
    finish(&app, &staff, &csrf, &form, result).await
}
