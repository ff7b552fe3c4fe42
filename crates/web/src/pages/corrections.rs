//! 更正申请 (第四十一条) — requests to correct a government information record about the
//! requester: registered with the evidence, decided by a 审核人 (corrected, not verified, or
//! transferred / directed to the agency that may correct it), and told in a letter.

use std::{collections::BTreeMap, sync::Arc};

use axum::{
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use gongkai_domain::{
    correction::{CorrectionOutcome, CorrectionRequest},
    records::{self, Versioned},
    store::Store,
};
use gongkai_law::date::chinese;
use gongkai_report::render::letter::LetterDocument;
use maud::{Markup, html};
use serde::Deserialize;

use crate::{
    app::App,
    error::WebError,
    forms::{KINDS, applicant_from, date},
    letters,
    security::{CsrfForm, CsrfToken, Staff},
    usecases::{
        applications::handles_cases,
        records::{self as record_use, NewCorrection},
    },
    views::{FormState, Input, chrome, csrf_field, field, page, urlencode},
};

type Shared<S> = State<Arc<App<S>>>;

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: String,
}

pub async fn corrections_page<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    Query(query): Query<DoneQuery>,
) -> Result<Markup, WebError> {
    view(&app, &staff, &csrf, &query.done, &FormState::default()).await
}

async fn view<S: Store>(
    app: &App<S>,
    staff: &Staff,
    csrf: &CsrfToken,
    done: &str,
    form: &FormState,
) -> Result<Markup, WebError> {
    only_case_handlers(staff)?;
    let requests: Vec<Versioned<CorrectionRequest>> =
        records::load_all(&app.store, &staff.user.agency).await?;
    let today = app.today().to_string();
    let outcomes: Vec<(&str, &str)> = CorrectionOutcome::ALL
        .iter()
        .map(|o| (o.code(), o.label()))
        .collect();
    Ok(page(
        "更正申请",
        chrome(staff, csrf),
        html! {
            h1 { "更正申请（第四十一条）" }
            p.muted { "公民、法人或者其他组织有证据证明行政机关提供的与其自身相关的政府信息记录不准确的，可以要求更正。审核属实的予以更正并告知申请人；不属于本机关职能范围的，转送有权更正的机关处理并告知申请人，或者告知申请人向其提出。更正申请不是政府信息公开申请，不计入年度报告表三；条例未规定办理期限。" }
            @if !done.is_empty() { p.notice role="status" { "已" (done) "。" } }
            @if form.has_errors() {
                div.alert role="alert" { ul { @for (name, m) in &form.errors { li { a href={ "#f-" (name) } { (m) } } } } }
            }
            table #corrections {
                thead { tr { th { "编号" } th { "收到日期" } th { "申请人" } th { "记录" } th { "办理" } } }
                tbody {
                    @for v in &requests {
                        @let r = &v.value;
                        tr {
                            td { (r.id) } td { (r.received) }
                            td { (r.requester.name) }
                            td { (r.record) br; span.muted { "应更正为：" (r.correction) "；证据：" (r.evidence) } }
                            td {
                                @if let Some(d) = &r.decision {
                                    (d.outcome.label()) "（" (d.on) "，" (d.by) "）"
                                    @if let Some(other) = &d.other_agency { " " (other) }
                                    br;
                                    @for (format, label) in letters::FORMATS {
                                        a href={ "/staff/corrections/" (r.id) "/letter?format=" (format) } { "告知书" (label) } " "
                                    }
                                } @else {
                                    form.stack method="post" action="/staff/corrections/decide" {
                                        (csrf_field(csrf))
                                        input type="hidden" name="id" value=(r.id);
                                        input type="hidden" name="version" value=(v.version);
                                        select name="outcome" aria-label="办理结果" { @for (c, l) in &outcomes { option value=(c) { (l) } } }
                                        input type="date" name="date" value=(today) aria-label="办结日期";
                                        input type="text" name="other_agency" placeholder="有权更正的机关（转送或告知时填写）" aria-label="有权更正的机关";
                                        input type="text" name="note" placeholder="更正的内容或不予更正的理由" aria-label="说明" required;
                                        button.secondary type="submit" { "办结" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if requests.is_empty() { p.muted { "尚无更正申请。" } }
            form.stack method="post" action="/staff/corrections" {
                (csrf_field(csrf))
                h2 { "登记更正申请" }
                (field(form, "received", "收到日期", Input::Date, true, None))
                (field(form, "kind", "申请人类型", Input::Select(&KINDS), true, None))
                (field(form, "name", "姓名或名称", Input::Text, true, None))
                (field(form, "id_type", "身份证明类型", Input::Select(&[("resident_id", "居民身份证"), ("credit_code", "统一社会信用代码"), ("other", "其他有效证件")]), true, None))
                (field(form, "id_number", "证件号码", Input::Text, true, None))
                (field(form, "id_name", "其他证件名称", Input::Text, false, None))
                (field(form, "phone", "联系电话", Input::Tel, true, None))
                (field(form, "record", "需要更正的政府信息记录", Input::TextArea, true, Some("与申请人自身相关的记录：名称、出处")))
                (field(form, "correction", "不准确之处及应当如何更正", Input::TextArea, true, None))
                (field(form, "evidence", "证据", Input::TextArea, true, Some("申请人提供的证明记录不准确的材料")))
                p { button type="submit" { "登记" } }
            }
        },
    ))
}

pub async fn add<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    CsrfForm(fields): CsrfForm<BTreeMap<String, String>>,
) -> Result<Response, WebError> {
    let get = |name: &str| {
        fields
            .get(name)
            .map_or(String::new(), |v| v.trim().to_string())
    };
    let mut form = FormState {
        values: fields.clone(),
        ..FormState::default()
    };
    form.values.remove("csrf");
    let requester = applicant_from(&get, &mut form);
    let received = date(&get("received"), "received", "收到日期");
    if let Err(WebError::Field { field, message }) = &received {
        form.errors.insert(field.clone(), message.clone());
    }
    let result = match (requester, received) {
        (Some(requester), Ok(received)) if !form.has_errors() => {
            let new = NewCorrection {
                received,
                requester,
                record: get("record"),
                correction: get("correction"),
                evidence: get("evidence"),
            };
            record_use::add_correction(&app, &staff.actor, new).await
        }
        _ => Err(WebError::field("form", "请按提示修改")),
    };
    match result {
        Ok(_) => Ok(redirect("登记更正申请")),
        Err(WebError::Field { field, message }) => {
            if field != "form" {
                form.errors.insert(field, message);
            }
            let page = view(&app, &staff, &csrf, "", &form).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DecideForm {
    id: String,
    version: String,
    outcome: String,
    date: String,
    other_agency: String,
    note: String,
}

pub async fn decide<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<DecideForm>,
) -> Result<Response, WebError> {
    let result = async {
        let id: u64 = form
            .id
            .trim()
            .parse()
            .map_err(|_| WebError::BadRequest("缺少更正申请编号".into()))?;
        let outcome = CorrectionOutcome::from_code(&form.outcome)
            .ok_or_else(|| WebError::field("outcome", "请选择办理结果"))?;
        let on = date(&form.date, "date", "办结日期")?;
        record_use::decide_correction(
            &app,
            &staff.actor,
            id,
            form.version.trim().parse().ok(),
            (on, outcome, &form.other_agency, &form.note),
        )
        .await
    }
    .await;
    match result {
        Ok(_) => Ok(redirect("办结更正申请")),
        Err(e @ (WebError::Field { .. } | WebError::Conflict(_))) => {
            let mut shown = FormState::default();
            shown.errors.insert("decide".into(), e.message());
            let page = view(&app, &staff, &csrf, "", &shown).await?;
            let status = if matches!(e, WebError::Conflict(_)) {
                axum::http::StatusCode::CONFLICT
            } else {
                axum::http::StatusCode::UNPROCESSABLE_ENTITY
            };
            Ok((status, page).into_response())
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
pub struct Format {
    #[serde(default)]
    format: String,
}

/// The letter that tells the requester how the request ended (告知申请人).
pub async fn letter<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    Path(id): Path<u64>,
    Query(format): Query<Format>,
) -> Result<Response, WebError> {
    only_case_handlers(&staff)?;
    let request = record_use::correction(&app, &staff.actor, id).await?.value;
    let agency = app.agency(&staff.user.agency).await?;
    let (Some(paragraphs), Some(decision)) = (request.letter(), request.decision.as_ref()) else {
        return Err(WebError::Conflict(
            "这件更正申请尚未办结，没有告知书".into(),
        ));
    };
    let document = LetterDocument {
        title: "更正政府信息记录申请告知书".into(),
        number: String::new(),
        recipient: format!("{}：", request.requester.name),
        paragraphs,
        agency: agency.name.clone(),
        date: chinese(decision.on),
    };
    letters::download_document(&document, &format!("correction-{id}"), &format.format)
}

/// The requests carry personal data and evidence: only those who handle cases see them.
fn only_case_handlers(staff: &Staff) -> Result<(), WebError> {
    if handles_cases(&staff.actor) {
        Ok(())
    } else {
        Err(WebError::Forbidden(
            "更正申请含申请人个人信息，仅承办人员可查看".into(),
        ))
    }
}

fn redirect(done: &str) -> Response {
    Redirect::to(&format!("/staff/corrections?done={}", urlencode(done))).into_response()
}
