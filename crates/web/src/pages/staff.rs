//! 工作台 — staff sign in, work their queue inside the deadlines, act on a case, register
//! applications that came in person, by post, fax or e-mail.

use std::sync::Arc;

use axum::{
    extract::{Path, Query, State},
    http::header,
    response::{IntoResponse, Redirect, Response},
};
use gongkai_domain::{
    Action, Actor, Agency, Application, Channel, Role, State as CaseState, UserName, store::Store,
};
use gongkai_law::{Outcome, date::chinese, parse_date};
use maud::{Markup, html};
use serde::Deserialize;

use crate::{
    app::App,
    error::WebError,
    forms::{KINDS, applicant_from},
    letters,
    security::{
        ClientIp, CsrfForm, CsrfToken, SESSION_COOKIE, Staff, set_cookie, start_session,
        verify_password,
    },
    usecases::applications::{
        PaperApplication, QueueFilter, Row, act_on, handles_cases, matches, own_case,
        register_paper, rows,
    },
    views::{
        Chrome, FormState, Input, chrome, csrf_field, due_tag, field, masked_name, page,
        provisional_mark, row_class, short, urlencode,
    },
};

type Shared<S> = State<Arc<App<S>>>;

fn login_form(csrf: &CsrfToken, form: &FormState) -> Markup {
    page(
        "工作人员登录",
        Chrome::default(),
        html! {
            h1 { "工作人员登录" }
            @if let Some(e) = form.error("login") { p.alert role="alert" { (e) } }
            form.stack method="post" action="/staff/login" {
                (csrf_field(csrf))
                (field(form, "user", "用户名", Input::Text, true, None))
                (field(form, "password", "密码", Input::Password, true, None))
                p { button type="submit" { "登录" } }
            }
        },
    )
}

pub async fn login_page(csrf: CsrfToken) -> Markup {
    login_form(&csrf, &FormState::default())
}

#[derive(Deserialize)]
pub struct Login {
    #[serde(default)]
    user: String,
    #[serde(default)]
    password: String,
}

pub async fn login<S: Store>(
    State(app): Shared<S>,
    ip: ClientIp,
    csrf: CsrfToken,
    CsrfForm(login): CsrfForm<Login>,
) -> Result<Response, WebError> {
    if !app.login_limiter.allow(ip.0, app.now()) {
        return Err(WebError::TooManyRequests);
    }
    let user = match UserName::parse(&login.user) {
        Ok(name) => app.store.user(&name).await?.filter(|u| u.active),
        Err(_) => None,
    };
    let hash = match &user {
        Some(u) => app.store.password_hash(&u.name).await?,
        None => None,
    };
    // Verify even for unknown users so the time taken does not tell which names exist.
    let ok = verify_password(
        &login.password,
        hash.as_deref()
            .unwrap_or_else(|| crate::security::dummy_hash()),
    ) && hash.is_some();
    let Some(user) = user.filter(|_| ok) else {
        tracing::info!("failed login");
        let form = FormState {
            values: [("user".to_string(), login.user.clone())].into(),
            errors: [(
                "login".to_string(),
                "用户名或密码不正确，或账号已停用".to_string(),
            )]
            .into(),
        };
        return Ok((
            axum::http::StatusCode::UNAUTHORIZED,
            login_form(&csrf, &form),
        )
            .into_response());
    };
    let cookie = start_session(&app, &user).await?;
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/staff")).into_response())
}

pub async fn logout<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, WebError> {
    app.store.remove_access_token(&staff.session_hash).await?;
    Ok((
        [(
            header::SET_COOKIE,
            set_cookie(SESSION_COOKIE, "", 0, app.config.secure_cookies),
        )],
        Redirect::to("/staff/login"),
    )
        .into_response())
}

pub async fn queue<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    Query(filter): Query<QueueFilter>,
) -> Result<Markup, WebError> {
    let agency = app.agency(&staff.user.agency).await?;
    let mut rows: Vec<Row> = rows(&app, &agency)
        .await?
        .into_iter()
        .filter(|r| matches(r, &filter))
        .collect();
    // Nearest deadline first; a consultation by the day it should end; then stopped clocks (补正).
    let calendar = app.calendar();
    rows.sort_by_key(|r| {
        let due = r
            .deadline
            .as_ref()
            .and_then(|d| d.due)
            .or(r.application.open_pause(&calendar).map(|p| p.due.date));
        (due.is_none(), due, r.application.received)
    });
    let mut departments: Vec<String> = rows
        .iter()
        .filter_map(|r| r.application.department.clone())
        .collect();
    departments.sort();
    departments.dedup();
    let overdue = rows
        .iter()
        .filter(|r| r.left().is_some_and(|n| n < 0))
        .count();
    let soon = rows
        .iter()
        .filter(|r| r.left().is_some_and(|n| (0..=3).contains(&n)))
        .count();
    let reviewing = staff.actor.has(Role::Reviewer);
    let awaiting = rows
        .iter()
        .filter(|r| r.application.state == CaseState::AwaitingSupplement)
        .count();
    // 第四十九条: last year's report is due in January or March.
    let report_year = app.today().year() - 1;
    let published = crate::usecases::annual::published(&app, &agency.code, report_year)
        .await?
        .is_some();
    let reminder =
        gongkai_domain::annual::reminder(agency.level, report_year, app.today(), published).or(
            gongkai_domain::annual::reminder(agency.level, report_year + 1, app.today(), false),
        );
    Ok(page(
        "我的待办",
        chrome(&staff, &csrf),
        html! {
            @if let Some(r) = reminder {
                p class={ "alert " @if r.days_left < 0 { "overdue" } } role="status" #report-reminder {
                    a href={ "/staff/reports?year=" (r.year) } { (r.year) "年度政府信息公开工作年度报告" }
                    @if r.days_left < 0 { "应于" (r.due) "前公布，已超期" (-r.days_left) "天（《条例》第四十九条）。" }
                    @else { "应于" (r.due) "前公布，还有" (r.days_left) "天（《条例》第四十九条）。" }
                }
            }
            h1 { (agency.name) " · 依申请公开待办" }
            p {
                "共" strong { (rows.len()) } "件；"
                span.tag.overdue { "逾期 " (overdue) } " "
                span.tag.soon { "3个工作日内到期 " (soon) } " "
                @if awaiting > 0 { a href="/staff?state=awaiting_supplement" { "等待补正 " (awaiting) } }
                @if reviewing { " · " a href="/staff?state=under_review" { "待我审核" } }
            }
            form.inline method="get" action="/staff" role="search" {
                div.field { label for="q" { "搜索" } input #q type="search" name="q" value=(filter.q) placeholder="编号、申请人、内容"; }
                div.field {
                    label for="state" { "状态" }
                    select #state name="state" {
                        option value="open" selected[filter.state.is_empty() || filter.state == "open"] { "未办结" }
                        option value="overdue" selected[filter.state == "overdue"] { "已逾期" }
                        @for s in CaseState::ALL { option value=(s.code()) selected[filter.state == s.code()] { (s.label()) } }
                        option value="all" selected[filter.state == "all"] { "全部" }
                    }
                }
                div.field {
                    label for="department" { "承办科室" }
                    select #department name="department" {
                        option value="" { "全部" }
                        @for d in &departments { option value=(d) selected[&filter.department == d] { (d) } }
                    }
                }
                button type="submit" { "筛选" }
            }
            div.scroll {
                table {
                    caption.muted { "按答复期限排序：红色为已逾期，黄色为3个工作日内到期" }
                    thead { tr { th { "申请编号" } th { "申请人" } th { "内容" } th { "收到日期" } th { "状态" } th { "答复期限" } } }
                    tbody {
                        @for row in &rows {
                            @let a = &row.application;
                            tr class=(if a.state.is_open() { row_class(row.left()) } else { "" }) {
                                td { a href={ "/staff/cases/" (a.number) } { (a.number) } }
                                td { (masked_name(&a.applicant.name)) }
                                td { (short(&a.content, 30)) }
                                td { (a.received) }
                                td {
                                    (a.state.label())
                                    @if let Some(due) = a.supplement_due(&calendar) {
                                        br; span.muted.supplement-due { "补正期限至" (due.date) (provisional_mark(&due)) }
                                    }
                                    @if let Some(pause) = a.open_pause(&calendar) {
                                        br; span.muted.consultation-due { "征求意见至" (pause.due.date) (provisional_mark(&pause.due)) }
                                        @if app.today() > pause.due.date { " " span.tag.overdue { "已届满" } }
                                    }
                                }
                                td {
                                    @if a.state.is_open() {
                                        @if let Some(d) = row.deadline.as_ref() {
                                            @if let Some(due) = d.due { (due) " " }
                                            @if d.is_provisional() { span.tag.provisional title="期限涉及尚未公布节假日安排的年份，按周末推算" { "暂定" } " " }
                                        }
                                        (due_tag(row.left()))
                                    } @else { span.muted { "已办结" } }
                                }
                            }
                        }
                    }
                }
            }
            @if rows.is_empty() { p.muted { "没有符合条件的申请。" } }
        },
    ))
}

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
    error: Option<&str>,
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
            @if let Some(error) = error { p.alert role="alert" { (error) } }
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
                            p.muted { (d.state.label()) "；期限" (d.working_days) "个工作日。" }
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
            h2 { "办理经过" }
            ol.timeline {
                li { (a.received) " 收到申请（" (a.channel.label()) "）" }
                @for event in &a.clock { li { (event.date) " " (event.kind.label()) } }
                @if let Some(answer) = &a.answer {
                    li { "答复起草：" (answer.outcome.label()) "（" (answer.drafted_by) "）"
                        @if let Some(by) = &answer.approved_by { "，审核人 " (by) } }
                }
                @if let Some(day) = a.answered_on { li { (day) " 答复" } }
                @if let Some(delivery) = &a.delivery { li { (delivery.date) " 送达（" (delivery.method) "）" (delivery.proof) } }
                @for note in &a.notes { li { (note.at.strftime("%Y-%m-%d %H:%M")) " " (note.by) "：" (note.text) } }
            }
            @if let Some(answer) = &a.answer {
                h2 { "答复" }
                p { strong { (answer.outcome.label()) } " — " span.muted { (answer.outcome.basis()) } }
                p { (answer.text) }
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
            (actions_for(csrf, a, &staff.actor, app.today(), agency.settings.supplement_period))
        },
    ))
}

/// The actions this state allows, whatever the role (the role decides which are shown).
pub fn actions_in(state: CaseState) -> &'static [&'static str] {
    match state {
        CaseState::Pending => &["register", "add_note"],
        CaseState::Registered => &[
            "start_handling",
            "request_supplement",
            "start_consultation",
            "extend",
            "send_fee_notice",
            "submit_answer",
            "add_note",
        ],
        CaseState::AwaitingSupplement => &["receive_supplement", "submit_answer", "add_note"],
        CaseState::InProgress => &[
            "submit_answer",
            "request_supplement",
            "start_consultation",
            "end_consultation",
            "extend",
            "send_fee_notice",
            "record_fee_paid",
            "add_note",
        ],
        CaseState::UnderReview => &["approve_answer", "return_for_revision", "add_note"],
        CaseState::Answered => &["deliver", "add_note"],
        CaseState::Delivered => &["archive", "add_note"],
        CaseState::Archived => &["add_note"],
    }
}

fn role_of(code: &str) -> Role {
    match code {
        "extend" | "return_for_revision" | "approve_answer" => Role::Reviewer,
        _ => Role::CaseOfficer,
    }
}

fn actions_for(
    csrf: &CsrfToken,
    a: &Application,
    actor: &Actor,
    today: gongkai_law::Date,
    supplement_period: u32,
) -> Markup {
    let allowed: Vec<&str> = actions_in(a.state)
        .iter()
        .copied()
        .filter(|code| actor.has(role_of(code)))
        .collect();
    if allowed.is_empty() {
        return html! { p.muted { "您的角色在此状态下没有可办理的事项。" } };
    }
    html! {
        div.actions {
            @for &code in &allowed {
                details id={ "act-" (code) } open[allowed.first() == Some(&code)] {
                    summary { (label_of(code)) }
                    form.stack method="post" action={ "/staff/cases/" (a.number) "/act" } {
                        (csrf_field(csrf))
                        input type="hidden" name="action" value=(code);
                        input type="hidden" name="version" value=(a.version);
                        @match code {
                            "register" => {
                                (action_field(code, "department", "承办科室", ActionInput::Line(""), false))
                                p.muted { "登记后将出具登记回执。" }
                            },
                            "request_supplement" => {
                                (action_field(code, "date", "日期", ActionInput::Date(today), true))
                                (action_field(code, "what", "需要补正的事项（一次性告知，第三十条）", ActionInput::Text, true))
                                (action_field(code, "period", "补正期限（工作日，自告知之日起；默认为本机关设置）", ActionInput::Days(supplement_period), true))
                            },
                            "receive_supplement" | "end_consultation" | "record_fee_paid" | "approve_answer" => {
                                (action_field(code, "date", "日期", ActionInput::Date(today), true))
                                @if code == "approve_answer" { p.muted { "审核通过后出具答复书，答复日期计入年报。" } }
                            },
                            "start_consultation" => {
                                (action_field(code, "date", "日期", ActionInput::Date(today), true))
                                (action_field(code, "party", "征求意见的第三方或机关", ActionInput::Line(""), true))
                                div.field {
                                    label for={ (code) "-consulted" } { "征求对象" }
                                    select id={ (code) "-consulted" } name="consulted" {
                                        @for kind in gongkai_domain::ConsultationKind::ALL { option value=(kind.code()) { (kind.label()) } }
                                    }
                                }
                                p.muted { "对方应自收到之日起" (gongkai_domain::CONSULTATION_PERIOD) "个工作日内提出意见；期间不计入答复期限。期满或收到意见后请登记“征求意见结束”。" }
                            },
                            "extend" => {
                                (action_field(code, "date", "日期", ActionInput::Date(today), true))
                                (action_field(code, "reason", "延期理由（第三十三条）", ActionInput::Text, true))
                            },
                            "send_fee_notice" => {
                                (action_field(code, "date", "日期", ActionInput::Date(today), true))
                                (action_field(code, "yuan", "信息处理费（元）", ActionInput::Yuan, true))
                            },
                            "submit_answer" => {
                                div.field {
                                    label for="submit_answer-outcome" { "办理结果（年报表三）" }
                                    select #submit_answer-outcome name="outcome" required {
                                        @for o in Outcome::ALL {
                                            @if a.state != CaseState::AwaitingSupplement || o == Outcome::SupplementOverdue {
                                                option value=(o.code()) { (o.full_label()) }
                                            }
                                        }
                                    }
                                }
                                (action_field(code, "text", "答复正文（结论、理由、依据）", ActionInput::Text, true))
                                (action_field(code, "referral", "负责公开该信息的机关及联系方式（第三十六条第（五）项，能够确定的）", ActionInput::Line(""), false))
                            },
                            "return_for_revision" => {
                                (action_field(code, "reason", "退回理由", ActionInput::Text, true))
                            },
                            "deliver" => {
                                (action_field(code, "date", "日期", ActionInput::Date(today), true))
                                (action_field(code, "method", "送达方式", ActionInput::Line("在线下载"), true))
                                (action_field(code, "proof", "送达凭证", ActionInput::Line(""), false))
                                label.check {
                                    input type="checkbox" name="consent" value="yes" checked[a.wanted_form.contains("电子") || a.channel == gongkai_domain::Channel::Online];
                                    " 申请人同意电子送达（电子邮件、在线等方式须经申请人同意）"
                                }
                            },
                            "add_note" => {
                                (action_field(code, "text", "备注", ActionInput::Text, true))
                            },
                            _ => {},
                        }
                        p { button type="submit" { (label_of(code)) } }
                    }
                }
            }
        }
    }
}

enum ActionInput<'a> {
    Line(&'a str),
    Text,
    Date(gongkai_law::Date),
    Yuan,
    Days(u32),
}

/// A field of an action form; ids are `{action}-{field}` so every label points at its own input.
fn action_field(
    code: &str,
    name: &str,
    label: &str,
    input: ActionInput<'_>,
    required: bool,
) -> Markup {
    let id = format!("{code}-{name}");
    html! {
        div.field {
            label for=(id) { (label) }
            @match input {
                ActionInput::Line(value) => { input id=(id) type="text" name=(name) value=(value) required[required]; },
                ActionInput::Text => { textarea id=(id) name=(name) required[required] {} },
                ActionInput::Date(today) => { input id=(id) type="date" name=(name) value=(today) required[required]; },
                ActionInput::Yuan => { input id=(id) type="number" min="1" name=(name) required[required]; },
                ActionInput::Days(days) => { input id=(id) type="number" min="1" max=(gongkai_domain::MAX_SUPPLEMENT_PERIOD) name=(name) value=(days) required[required]; },
            }
        }
    }
}

fn label_of(code: &str) -> &'static str {
    match code {
        "register" => "确认登记",
        "start_handling" => "开始办理",
        "request_supplement" => "告知补正",
        "receive_supplement" => "收到补正（纸质、邮寄等）",
        "start_consultation" => "征求意见（第三方或其他机关）",
        "end_consultation" => "征求意见结束",
        "extend" => "延期答复",
        "send_fee_notice" => "发出收费通知",
        "record_fee_paid" => "已缴费",
        "submit_answer" => "起草答复并提交审核",
        "return_for_revision" => "退回修改",
        "approve_answer" => "审核通过并答复",
        "deliver" => "送达",
        "archive" => "归档",
        "add_note" => "添加备注",
        _ => "办理",
    }
}

#[derive(Deserialize, Default, Debug)]
pub struct ActForm {
    pub action: String,
    #[serde(default)]
    pub version: Option<u64>,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub what: String,
    /// 补正期限 in working days.
    #[serde(default)]
    pub period: String,
    /// Whom a consultation asks: `third_party` (第三十二条) or `other_agency` (第三十四条).
    #[serde(default)]
    pub consulted: String,
    /// 第三十六条第（五）项: who holds the information.
    #[serde(default)]
    pub referral: String,
    /// The applicant agreed to electronic delivery (`yes`).
    #[serde(default)]
    pub consent: String,
    #[serde(default)]
    pub party: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub yuan: String,
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub proof: String,
}

impl ActForm {
    /// The domain action the form asks for; field errors name the field in Chinese.
    pub fn action(&self) -> Result<Action, WebError> {
        let date = || {
            parse_date("日期", &self.date)
                .map_err(|_| WebError::field("日期", "请填写日期，格式 YYYY-MM-DD"))
        };
        Ok(match self.action.as_str() {
            "register" => Action::Register {
                department: Some(self.department.trim().to_string()).filter(|d| !d.is_empty()),
            },
            "start_handling" => Action::StartHandling,
            "request_supplement" => Action::RequestSupplement {
                date: date()?,
                what: self.what.clone(),
                period: match self.period.trim() {
                    "" => None,
                    days => Some(days.parse().map_err(|_| {
                        WebError::field("补正期限", "请填写补正期限的工作日数，如 15")
                    })?),
                },
            },
            "receive_supplement" => Action::ReceiveSupplement { date: date()? },
            "start_consultation" => Action::StartConsultation {
                date: date()?,
                party: self.party.clone(),
                kind: match self.consulted.trim() {
                    "" => gongkai_domain::ConsultationKind::default(),
                    code => gongkai_domain::ConsultationKind::ALL
                        .into_iter()
                        .find(|k| k.code() == code)
                        .ok_or_else(|| WebError::field("征求对象", "请选择第三方或其他机关"))?,
                },
            },
            "end_consultation" => Action::EndConsultation { date: date()? },
            "extend" => Action::Extend {
                date: date()?,
                reason: self.reason.clone(),
            },
            "send_fee_notice" => Action::SendFeeNotice {
                date: date()?,
                yuan: self
                    .yuan
                    .trim()
                    .parse()
                    .ok()
                    .filter(|y| *y > 0)
                    .ok_or_else(|| WebError::field("金额", "请填写大于0的整数元"))?,
            },
            "record_fee_paid" => Action::RecordFeePaid { date: date()? },
            "submit_answer" => Action::SubmitAnswer {
                outcome: Outcome::from_code(self.outcome.trim())
                    .ok_or_else(|| WebError::field("办理结果", "请选择办理结果"))?,
                text: self.text.clone(),
                referral: Some(self.referral.trim().to_string()).filter(|r| !r.is_empty()),
            },
            "return_for_revision" => Action::ReturnForRevision {
                reason: self.reason.clone(),
            },
            "approve_answer" => Action::ApproveAnswer { date: date()? },
            "deliver" => Action::Deliver {
                method: self.method.clone(),
                date: date()?,
                proof: self.proof.clone(),
                consent: self.consent.trim() == "yes",
            },
            "archive" => Action::Archive,
            "add_note" => Action::AddNote {
                text: self.text.clone(),
            },
            other => return Err(WebError::BadRequest(format!("未知的办理事项「{other}」"))),
        })
    }
}

pub async fn act<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    Path(number): Path<String>,
    CsrfForm(form): CsrfForm<ActForm>,
) -> Result<Response, WebError> {
    let (agency, application) = own_case(&app, &staff.actor, &number).await?;
    let result = match form.action() {
        Ok(action) => {
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
        Err(e) => Err(e),
    };
    match result {
        Ok(saved) => Ok(Redirect::to(&format!(
            "/staff/cases/{}?done={}",
            urlencode(saved.number.as_str()),
            urlencode(label_of(&form.action))
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
                Some(&e.message()),
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

const CHANNELS: [(&str, &str); 5] = [
    ("in_person", "当面提交"),
    ("registered_mail", "挂号信（以签收之日为收到之日）"),
    ("ordinary_mail", "平信（以与申请人确认之日为收到之日）"),
    ("fax", "传真（以双方确认之日为收到之日）"),
    ("email", "电子邮件（以双方确认之日为收到之日）"),
];

fn register_form(staff: &Staff, csrf: &CsrfToken, form: &FormState) -> Markup {
    page(
        "登记申请",
        chrome(staff, csrf),
        html! {
            h1 { "登记当面、邮寄、传真或电子邮件提交的申请" }
            p.muted { "收到日期按《政府信息公开条例》第三十一条确定，不是录入之日。" }
            @if form.has_errors() {
                div.alert role="alert" { p { strong { "尚未登记，请修改：" } } ul { @for (name, m) in &form.errors { li { a href={ "#f-" (name) } { (m) } } } } }
            }
            form.stack method="post" action="/staff/register" {
                (csrf_field(csrf))
                (field(form, "channel", "申请方式", Input::Select(&CHANNELS), true, None))
                (field(form, "received", "收到日期", Input::Date, true, Some("当面提交：提交之日；挂号信：签收之日；平信、传真、电子邮件：双方确认之日。")))
                (field(form, "kind", "申请人类型", Input::Select(&KINDS), true, None))
                (field(form, "name", "姓名或名称", Input::Text, true, None))
                (field(form, "id_type", "身份证明类型", Input::Select(&[("resident_id", "居民身份证"), ("credit_code", "统一社会信用代码"), ("other", "其他有效证件")]), true, None))
                (field(form, "id_number", "证件号码", Input::Text, true, None))
                (field(form, "id_name", "其他证件名称", Input::Text, false, None))
                (field(form, "phone", "联系电话", Input::Tel, true, None))
                (field(form, "email", "电子邮箱", Input::Email, false, None))
                (field(form, "address", "通信地址", Input::Text, false, None))
                (field(form, "content", "申请内容", Input::TextArea, true, None))
                (field(form, "wanted_form", "获取信息的方式、途径", Input::Text, true, None))
                (field(form, "department", "承办科室", Input::Text, false, None))
                p { button type="submit" { "登记" } }
            }
        },
    )
}

pub async fn register_page<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
) -> Result<Markup, WebError> {
    staff
        .actor
        .require(&staff.user.agency, Role::CaseOfficer, "登记申请")?;
    let form = FormState {
        values: [
            ("received".to_string(), app.today().to_string()),
            ("wanted_form".to_string(), "纸质文本，自行领取".to_string()),
        ]
        .into(),
        ..FormState::default()
    };
    Ok(register_form(&staff, &csrf, &form))
}

pub async fn register<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    CsrfForm(fields): CsrfForm<std::collections::BTreeMap<String, String>>,
) -> Result<Response, WebError> {
    let get = |name: &str| {
        fields
            .get(name)
            .map_or(String::new(), |v| v.trim().to_string())
    };
    let agency = app.agency(&staff.user.agency).await?;
    let mut form = FormState {
        values: fields.clone(),
        ..FormState::default()
    };
    form.values.remove("csrf");
    let applicant = applicant_from(&get, &mut form);
    let channel = Channel::ALL
        .into_iter()
        .find(|c| {
            serde_json::to_value(c)
                .ok()
                .and_then(|v| v.as_str().map(|s| s == get("channel")))
                == Some(true)
        })
        .filter(|c| *c != Channel::Online);
    if channel.is_none() {
        form.errors
            .insert("channel".into(), "请选择申请方式".into());
    }
    let received = parse_date("收到日期", &get("received")).ok();
    match received {
        None => {
            form.errors
                .insert("received".into(), "请填写收到日期（YYYY-MM-DD）".into());
        }
        Some(d) if d > app.today() => {
            form.errors.insert(
                "received".into(),
                format!("{d} 晚于今天，收到之日不能在将来"),
            );
        }
        _ => {}
    }
    if get("content").is_empty() {
        form.errors
            .insert("content".into(), "请填写申请内容（第二十九条）".into());
    }
    if get("wanted_form").is_empty() {
        form.errors
            .insert("wanted_form".into(), "请填写获取信息的方式、途径".into());
    }
    let (Some(applicant), Some(channel), Some(received)) = (applicant, channel, received) else {
        return Ok((
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            register_form(&staff, &csrf, &form),
        )
            .into_response());
    };
    if form.has_errors() {
        return Ok((
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            register_form(&staff, &csrf, &form),
        )
            .into_response());
    }
    let paper = PaperApplication {
        applicant,
        channel,
        received,
        content: get("content"),
        wanted_form: get("wanted_form"),
        department: Some(get("department")).filter(|d| !d.is_empty()),
    };
    let (application, receipt) = register_paper(&app, &staff.actor, &agency, paper).await?;
    let done = if receipt {
        "登记并出具登记回执"
    } else {
        "登记（未出具回执：请先设置文书编号字头）"
    };
    Ok(Redirect::to(&format!(
        "/staff/cases/{}?done={}",
        urlencode(application.number.as_str()),
        urlencode(done)
    ))
    .into_response())
}
