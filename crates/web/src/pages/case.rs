//! 办理 — one case: the application, its clock with every pause and period, the applicant's
//! other applications (repeats, volume, the 按件 count), its letters, and the actions the
//! actor's roles allow in its state.

use std::sync::Arc;

use axum::{
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use gongkai_domain::{Action, Agency, Application, store::Store};
use gongkai_law::date::chinese;
use maud::{Markup, html};
use serde::Deserialize;

use super::case_actions::{ActForm, actions_for};
use crate::{
    app::App,
    error::WebError,
    letters,
    security::{CsrfToken, CsrfUpload, Staff},
    usecases::applications::{
        ApplicantHistory, act_on, answer_files, applicant_history, handles_cases, own_case,
    },
    views::{
        beijing_time, chrome, csrf_field, due_tag, masked_name, page, provisional_mark, short,
        urlencode,
    },
};

type Shared<S> = State<Arc<App<S>>>;

/// Entries of a case's story shown at most (a case has a few dozen).
const STORY_ENTRIES: u32 = 500;

#[derive(Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    done: String,
}

pub async fn case_page<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    Path(number): Path<String>,
    Query(done): Query<Done>,
) -> Result<Markup, WebError> {
    let (agency, application) = own_case(&app, &staff.actor, &number).await?;
    case_view(&app, &staff, &csrf, &agency, &application, &done.done, None).await
}

async fn case_view<S: Store>(
    app: &App<S>,
    staff: &Staff,
    csrf: &CsrfToken,
    agency: &Agency,
    application: &Application,
    done: &str,
    // An action refused, with the form as it was typed (shown again, filled in).
    error: Option<(&str, &ActForm)>,
) -> Result<Markup, WebError> {
    let full = handles_cases(&staff.actor);
    if full {
        app.store
            .log_personal_data_read(
                &agency.code,
                &application.number,
                &app.stamp(staff.user.name.as_str()),
            )
            .await?;
    }
    let letters = app.store.letters(&agency.code, &application.number).await?;
    // Only for case handlers: who else applied is personal data.
    let history = if full {
        Some(applicant_history(app, application).await?)
    } else {
        None
    };
    let story = app
        .store
        .audit_entries_about(&agency.code, application.number.as_str(), STORY_ENTRIES)
        .await?;
    let names = crate::usecases::admin::display_names(app, Some(&agency.code)).await?;
    let calendar = app.calendar();
    let deadline = application.deadline(
        &app.calendar(),
        agency.settings.fee_wait_pauses_clock,
        Some(app.today()),
    );
    let a = application;
    let applicant = &a.applicant;
    Ok(page(
        &format!("申请 {}", a.number),
        chrome(staff, csrf),
        html! {
            p { a href="/staff" { "← 返回待办" } }
            h1 { "申请 " (a.number) }
            @if !done.is_empty() { p.notice role="status" { "已" (done) "。" } }
            @if let Some((message, _)) = error { p.alert role="alert" { (message) } }
            div.grid2 {
                section {
                    h2 { "申请" }
                    dl.meta {
                        dt { "状态" } dd #state { strong { (a.state.label()) } }
                        dt { "申请方式" } dd { (a.channel.label()) }
                        dt { "收到日期" } dd { (chinese(a.received)) br; span.muted { (a.channel.receipt_rule()) } }
                        dt { "申请人" } dd {
                            @if full { (applicant.name) } @else { (masked_name(&applicant.name)) }
                            "（" (applicant.kind.label()) "）"
                        }
                        dt { "身份证明" } dd {
                            @match (&applicant.id_document, full) {
                                (Some(gongkai_domain::identity::IdDocument::ResidentId(id)), true) => { (id.as_str()) },
                                (Some(gongkai_domain::identity::IdDocument::CreditCode(c)), _) => { (c.as_str()) },
                                (Some(gongkai_domain::identity::IdDocument::Other { name, number }), true) => { (name) " " (number) },
                                (Some(doc), false) => { (doc.masked()) },
                                (None, _) => { span.muted { "未提供" } },
                            }
                        }
                        dt { "联系方式" } dd { @if full { (applicant.contact) } @else { span.muted { "（仅承办人员可见）" } } }
                        dt { "申请内容" } dd { (a.content) }
                        dt { "获取方式" } dd { (a.wanted_form) }
                        dt { "承办科室" } dd { (a.department.as_deref().unwrap_or("未分派")) }
                        @if !a.attachments.is_empty() {
                            dt { "附件" } dd {
                                ul { @for (i, file) in a.attachments.iter().enumerate() {
                                    li { a href={ "/staff/cases/" (a.number) "/attachments/" (i) } { (file.name) } " " span.muted { "(" (file.bytes / 1024 + 1) " KB)" } }
                                } }
                            }
                        }
                    }
                }
                section {
                    h2 { "答复期限" }
                    @if let Some(due) = a.supplement_due(&calendar) {
                        p #supplement-due {
                            "补正期限：" strong { (chinese(due.date)) } (provisional_mark(&due)) "（第三十条；本机关设置的补正期限）。"
                            @if app.today() > due.date { span.tag.overdue { "已逾期未补正" } " 可以“其他处理：逾期不补正”答复。" }
                            @else { " 期限届满前不能认定逾期不补正。" }
                        }
                    }
                    @if let Some(pause) = a.open_pause(&calendar) {
                        p #consultation-due {
                            "征求" (pause.kind.label()) "意见期限：" strong { (chinese(pause.due.date)) } (provisional_mark(&pause.due)) "（期间不计入答复期限）。"
                            @if app.today() > pause.due.date {
                                span.tag.overdue { "已届满" } " " (pause.kind.silence()) "。请登记“征求意见结束”。"
                            }
                        }
                    }
                    @match &deadline {
                        Ok(d) => {
                            p {
                                @match d.due { Some(due) => { "答复期限：" strong { (chinese(due)) } " " }, None => {} }
                                @if a.state.is_open() { (due_tag(d.working_days_left)) } @else { span.tag.ok { "已答复" } }
                            }
                            p.muted #clock-state {
                                @if a.state.is_open() { (d.state.label()) }
                                @else { "已答复" @if let Some(day) = a.answered_on { "（" (chinese(day)) "）" } }
                                "；期限" (d.working_days) "个工作日。"
                            }
                            @if d.is_provisional() { p.warning { "期限涉及尚未公布节假日安排的年份，按周末推算（暂定）。" } }
                            ol.timeline {
                                @for step in &d.steps {
                                    li { (step.date) " · " (step.text) " " span.muted { "（" (step.article) "）" }
                                        @if let Some(due) = step.due { " → " (due) } }
                                }
                            }
                        },
                        Err(e) => { p.alert { (e) } },
                    }
                }
            }
            (fee_section(a, &calendar, app.today()))
            @if let Some(history) = &history { (applicant_section(csrf, a, history, agency.settings.volume_threshold)) }
            h2 { "办理经过" }
            ol.timeline #story {
                li { (chinese(a.received)) " 收到申请（" (a.channel.label()) "）" }
                // Every step as the audit log recorded it: when (Beijing time), who, what.
                @for e in story.iter().filter(|e| e.record.action != "application.read_personal_data") {
                    li {
                        (e.record.at.parse::<jiff::Timestamp>().map_or_else(|_| e.record.at.clone(), beijing_time)) " · "
                        (names.get(&e.record.actor).unwrap_or("申请人（网上提交）")) " · "
                        (crate::views::audit_action(&e.record.action))
                    }
                }
                @for event in &a.clock { li { (chinese(event.date)) " " (event.kind.label()) "（计时依据的日期）" } }
                @if let Some(answer) = &a.answer {
                    li { "答复：" (answer.outcome.label()) "（起草 " (names.of(&answer.drafted_by))
                        @if let Some(by) = &answer.approved_by { "，审核 " (names.of(by)) } "）" }
                }
                @if let Some(day) = a.answered_on { li { (chinese(day)) " 答复" } }
                @if let Some(delivery) = &a.delivery { li { (chinese(delivery.date)) " 送达（" (delivery.method) "）" (delivery.proof) } }
                @for note in &a.notes { li { (beijing_time(note.at)) " " (names.of(&note.by)) "：" (note.text) } }
            }
            @if let Some(answer) = &a.answer {
                h2 { "答复" }
                p { strong { (answer.outcome.label()) } " — " span.muted { (answer.outcome.basis()) } }
                p { (answer.text) }
                @if !answer.attachments.is_empty() {
                    h3 { "附件" }
                    ul #answer-attachments {
                        @for (i, file) in answer.attachments.iter().enumerate() {
                            li { a href={ "/staff/cases/" (a.number) "/answer-attachments/" (i) } { (file.name) } " " span.muted { "(" (file.bytes / 1024 + 1) " KB)" } }
                        }
                    }
                }
            }
            h2 { "文书" }
            @if letters.is_empty() { p.muted { "尚未出具文书。" } }
            ul {
                @for (i, letter) in letters.iter().enumerate() {
                    li { (letter.document.title) " " (letter.number) " " (letter.issued_on) " · "
                        @for (format, label) in letters::FORMATS {
                            a href={ "/staff/cases/" (a.number) "/letters/" (i) "?format=" (format) } { (label) } " "
                        }
                    }
                }
            }
            h2 { "办理" }
            (actions_for(csrf, a, &staff.actor, app.today(), agency.settings.supplement_period, error.map(|(_, typed)| typed)))
        },
    ))
}

pub async fn act<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    Path(number): Path<String>,
    CsrfUpload(submitted): CsrfUpload,
) -> Result<Response, WebError> {
    let (agency, application) = own_case(&app, &staff.actor, &number).await?;
    let form: ActForm = submitted.fields_as()?;
    let result = async {
        let mut action = form.action()?;
        match &mut action {
            Action::SubmitAnswer { attachments, .. } => {
                let kept = |i: usize| submitted.get(&format!("keep_attachment_{i}")) == "yes";
                *attachments = answer_files(&app, &application, kept, &submitted.files).await?;
            }
            _ if !submitted.files.is_empty() => {
                return Err(WebError::BadRequest("只有起草答复时可以上传附件".into()));
            }
            _ => {}
        }
        act_on(
            &app,
            &staff.actor,
            &agency,
            &application,
            action,
            form.version,
        )
        .await
    }
    .await;
    match result {
        Ok(saved) => Ok(Redirect::to(&format!(
            "/staff/cases/{}?done={}",
            urlencode(saved.number.as_str()),
            urlencode(crate::views::case_action_label(&form.action))
        ))
        .into_response()),
        Err(e @ (WebError::Field { .. } | WebError::BadRequest(_) | WebError::Conflict(_))) => {
            let status = match e {
                WebError::Conflict(_) => axum::http::StatusCode::CONFLICT,
                _ => axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            };
            let current = app
                .store
                .application(&agency.code, &application.number)
                .await?
                .unwrap_or(application);
            let page = case_view(
                &app,
                &staff,
                &csrf,
                &agency,
                &current,
                "",
                Some((&e.message(), &form)),
            )
            .await?;
            Ok((status, page).into_response())
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct Format {
    #[serde(default)]
    format: String,
}

pub async fn letter_download<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    Path((number, index)): Path<(String, usize)>,
    Query(format): Query<Format>,
) -> Result<Response, WebError> {
    let (agency, application) = own_case(&app, &staff.actor, &number).await?;
    let letters = app.store.letters(&agency.code, &application.number).await?;
    let letter = letters
        .get(index)
        .ok_or_else(|| WebError::NotFound("没有这份文书".into()))?;
    letters::download(letter, &format.format)
}

pub async fn attachment<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    Path((number, index)): Path<(String, usize)>,
) -> Result<Response, WebError> {
    let (agency, application) = own_case(&app, &staff.actor, &number).await?;
    if !handles_cases(&staff.actor) {
        return Err(WebError::Forbidden(
            "附件含申请人个人信息，仅承办人员可查看".into(),
        ));
    }
    let file = application
        .attachments
        .get(index)
        .ok_or_else(|| WebError::NotFound("没有这个附件".into()))?;
    let bytes = app
        .store
        .attachment_bytes(&file.sha256)
        .await?
        .ok_or_else(|| WebError::NotFound("附件文件缺失".into()))?;
    app.store
        .log_personal_data_read(
            &agency.code,
            &application.number,
            &app.stamp(staff.user.name.as_str()),
        )
        .await?;
    Ok(crate::uploads::download(file, index, bytes, true))
}

/// A file the drafted answer provides (附件), for the staff who handle the case. It is the
/// information given to the applicant, not the applicant's own data: no personal-data read.
pub async fn answer_attachment<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    Path((number, index)): Path<(String, usize)>,
) -> Result<Response, WebError> {
    let (_, application) = own_case(&app, &staff.actor, &number).await?;
    if !handles_cases(&staff.actor) {
        return Err(WebError::Forbidden("答复附件仅承办、审核人员可查看".into()));
    }
    let file = application
        .answer
        .as_ref()
        .and_then(|a| a.attachments.get(index))
        .ok_or_else(|| WebError::NotFound("没有这个附件".into()))?;
    let bytes = app
        .store
        .attachment_bytes(&file.sha256)
        .await?
        .ok_or_else(|| WebError::NotFound("附件文件缺失".into()))?;
    Ok(crate::uploads::download(file, index, bytes, true))
}

/// 信息处理费: how it was worked out, the notice's delivery and the last day to pay, any 减免.
fn fee_section(
    a: &Application,
    calendar: &gongkai_law::WorkingCalendar,
    today: gongkai_law::Date,
) -> Markup {
    let Some(fee) = &a.letter_facts.fee else {
        return html! {};
    };
    html! {
        section #fee {
            h2 { "信息处理费" }
            p { (fee.method.label()) "：" (fee.working) "，计" (fee.charged_yuan) "元（国办函〔2020〕109号）。" }
            @if let Some(waiver) = &fee.waiver {
                p { (chinese(waiver.date)) " 减免为 " strong { (waiver.yuan) "元" } "（" (waiver.by) "：" (waiver.reason) "）。" }
            }
            @match (fee.delivered, a.fee_payment_due(calendar)) {
                (Some(delivered), Some(due)) => {
                    p #fee-due { "收费通知于" (chinese(delivered)) "送达；缴费期限至 " strong { (chinese(due.date)) } (provisional_mark(&due)) "。"
                        @if today > due.date { " " span.tag.overdue { "已逾期" } " 未缴费的，可以“其他处理：逾期未缴费”答复。" }
                    }
                },
                _ => { p.warning #fee-due { "尚未登记收费通知送达日期：缴费期限自申请人收到通知次日起算，请登记“收费通知已送达”。" } },
            }
        }
    }
}

/// 申请人: the applicant's other applications to this agency, with what they mean for this one
/// (第三十六条第（六）项 repeats, 第三十五条 volume), and a suggested record to confirm.
fn applicant_section(
    csrf: &CsrfToken,
    a: &Application,
    history: &ApplicantHistory,
    threshold: u32,
) -> Markup {
    let month = format!("{}年{}月", a.received.year(), a.received.month());
    html! {
        section #applicant-history {
            h2 { "申请人的其他申请" }
            @if let Some(link) = a.applicant_link {
                p.muted { "申请人记录 #" (link.id) "（" (link.basis.label()) "）。" (month) "共" (history.month_count) "件申请，本件为第" (history.place) "件。" }
            } @else {
                p.muted { "本件尚未关联申请人记录。" }
            }
            @if let Some(earlier) = &history.repeat_of {
                p.warning #repeat {
                    "可能属于重复申请（第三十六条第（六）项）：与 "
                    a href={ "/staff/cases/" (earlier.number) } { (earlier.number) }
                    @if let Some(day) = earlier.answered_on { "（已于" (chinese(day)) "答复）" }
                    " 申请内容相同或相近。经核实属于重复申请的，可以“不予处理：重复申请”答复，告知不予重复处理。"
                }
            }
            @if history.month_count > threshold {
                p.warning #volume {
                    "申请人" (month) "已申请" (history.month_count) "件，超过本机关设置的合理范围（每月" (threshold) "件）。"
                    "明显超过合理范围的，可以要求申请人说明理由；理由合理但无法按期答复的，可以确定延迟答复的合理期限（第三十五条）。"
                }
            }
            @if let Some(link) = a.applicant_link {
                @if let Some(suggested) = link.suggested {
                    div.notice #suggested-applicant {
                        p { "申请人记录 #" (suggested) " 的姓名（名称）和联系方式与本件相同，但未提供相同的身份证明，请确认是否为同一申请人：" }
                        ul { @for other in &history.suggested {
                            li { a href={ "/staff/cases/" (other.number) } { (other.number) } " " (chinese(other.received)) " " (short(&other.content, 40)) }
                        } }
                        @for (same, label) in [("yes", "是同一申请人"), ("no", "不是同一申请人")] {
                            form.inline method="post" action={ "/staff/cases/" (a.number) "/act" } {
                                (csrf_field(csrf))
                                input type="hidden" name="action" value="confirm_applicant";
                                input type="hidden" name="version" value=(a.version);
                                input type="hidden" name="same" value=(same);
                                button type="submit" { (label) }
                            }
                        }
                    }
                }
            }
            @if history.others.is_empty() {
                p.muted { "没有其他申请。" }
            } @else {
                table {
                    thead { tr { th { "编号" } th { "收到日期" } th { "申请内容" } th { "状态" } th { "办理结果" } } }
                    tbody {
                        @for other in &history.others {
                            tr {
                                td { a href={ "/staff/cases/" (other.number) } { (other.number) } }
                                td { (other.received) }
                                td { (short(&other.content, 40)) }
                                td { (other.state.label()) }
                                td { @if let Some(answer) = &other.answer { (answer.outcome.short_label()) } }
                            }
                        }
                    }
                }
            }
        }
    }
}
