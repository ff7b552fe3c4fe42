//! 工作台 — staff sign in, work their queue inside the deadlines, register applications that
//! came in person, by post, fax or e-mail (one case and its actions: `case`).

use std::sync::Arc;

use axum::{
    extract::{Query, State},
    http::header,
    response::{IntoResponse, Redirect, Response},
};
use gongkai_domain::{Channel, Role, State as CaseState, UserName, store::Store};
use gongkai_law::parse_date;
use maud::{Markup, html};
use serde::Deserialize;

use crate::{
    app::App,
    error::WebError,
    forms::{KINDS, applicant_from},
    security::{
        ClientIp, CsrfForm, CsrfToken, SESSION_COOKIE, Staff, set_cookie, start_session,
        verify_password,
    },
    usecases::applications::{PaperApplication, QueueFilter, Row, matches, register_paper, rows},
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
    // Failures slow down this account from this address only: an attacker elsewhere cannot
    // lock the staff member out. Counted by the name as the system reads it.
    let account = UserName::parse(&login.user)
        .map(|n| n.to_string())
        .unwrap_or_else(|_| login.user.trim().to_string());
    let wait = app.login_delays.wait(&account, ip.0, app.now());
    if wait > 0 {
        let form = FormState {
            values: [("user".to_string(), login.user.clone())].into(),
            errors: [(
                "login".to_string(),
                format!("该账号在此地址连续登录失败，请{wait}秒后再试"),
            )]
            .into(),
        };
        return Ok((
            axum::http::StatusCode::TOO_MANY_REQUESTS,
            login_form(&csrf, &form),
        )
            .into_response());
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
        app.login_delays.failed(&account, ip.0, app.now());
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
    app.login_delays.succeeded(&account, ip.0);
    let cookie = start_session(&app, &user).await?;
    // Each lands on their work: a supervisor who handles no cases on the agencies below.
    let landing =
        if user.roles.contains(&Role::Supervisor) && !user.roles.contains(&Role::CaseOfficer) {
            "/staff/supervision"
        } else {
            "/staff"
        };
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to(landing)).into_response())
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
    // What waits for this person's own decision: review steps of publications in their role
    // (not their own drafts), answers to approve.
    let crate::usecases::waiting::Waiting { answers, steps } =
        crate::usecases::waiting::waiting_for(&app, &staff.actor, &agency.code).await?;
    Ok(page(
        "我的待办",
        chrome(&staff, &csrf),
        html! {
            @if !steps.is_empty() || !answers.is_empty() {
                section #waiting-for-me {
                    h2 { "等待我处理（" (steps.len() + answers.len()) "）" }
                    ul {
                        @for a in &answers {
                            li { "答复待审核：" a href={ "/staff/cases/" (a.number) } { (a.number) } " " (short(&a.content, 24)) }
                        }
                        @for p in &steps {
                            li {
                                (p.waiting_on().map_or("", |s| s.name.as_str())) "："
                                a href={ "/staff/publications/" (p.id) } { (p.draft.title) }
                            }
                        }
                    }
                }
            }
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
            div.scroll tabindex="0" {
                table.cards {
                    caption.muted { "按答复期限排序：红色为已逾期，黄色为3个工作日内到期" }
                    thead { tr { th { "申请编号" } th { "申请人" } th { "内容" } th { "收到日期" } th { "状态" } th { "答复期限" } } }
                    tbody {
                        @for row in &rows {
                            @let a = &row.application;
                            tr class=(if a.state.is_open() { row_class(row.left()) } else { "" }) {
                                td data-label="申请编号" { a href={ "/staff/cases/" (a.number) } { (a.number) } }
                                td data-label="申请人" { (masked_name(&a.applicant.name)) }
                                td data-label="内容" { (short(&a.content, 30)) }
                                td data-label="收到日期" { (a.received) }
                                td data-label="状态" {
                                    (a.state.label())
                                    @if let Some(due) = a.supplement_due(&calendar) {
                                        br; span.muted.supplement-due { "补正期限至" (due.date) (provisional_mark(&due)) }
                                    }
                                    @if let Some(pause) = a.open_pause(&calendar) {
                                        br; span.muted.consultation-due { "征求意见至" (pause.due.date) (provisional_mark(&pause.due)) }
                                        @if app.today() > pause.due.date { " " span.tag.overdue { "已届满" } }
                                    }
                                }
                                td data-label="答复期限" {
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

const CHANNELS: [(&str, &str); 5] = [
    ("in_person", "当面提交"),
    ("registered_mail", "挂号信（以签收之日为收到之日）"),
    ("ordinary_mail", "平信（以与申请人确认之日为收到之日）"),
    ("fax", "传真（以双方确认之日为收到之日）"),
    ("email", "电子邮件（以双方确认之日为收到之日）"),
];

fn register_form(staff: &Staff, csrf: &CsrfToken, form: &FormState) -> Markup {
    let mut channels: Vec<(&str, &str)> = Vec::new();
    if !form.value("from_message").is_empty() {
        channels.push(("online", "互联网（公众参与来信）"));
    }
    channels.extend(CHANNELS);
    page(
        "登记申请",
        chrome(staff, csrf),
        html! {
            h1 { "登记当面、邮寄、传真或电子邮件提交的申请" }
            p.muted { "收到日期按《政府信息公开条例》第三十一条确定，不是录入之日。" }
            @if form.has_errors() {
                div.alert role="alert" { p { strong { "尚未登记，请修改：" } } ul { @for (name, m) in &form.errors { li { a href={ "#f-" (name) } { (m) } } } } }
            }
            @if !form.value("from_message").is_empty() {
                p.notice #from-message { "由公众参与来信转为申请：收到日期为来信收到之日（第三十一条）；请补全申请人身份证明和联系方式。" }
            }
            form.stack method="post" action="/staff/register" {
                (csrf_field(csrf))
                @if !form.value("from_message").is_empty() { input type="hidden" name="from_message" value=(form.value("from_message")); }
                (field(form, "channel", "申请方式", Input::Select(&channels), true, None))
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

#[derive(Deserialize, Default)]
pub struct RegisterQuery {
    /// A 公众参与 message that is really a disclosure request (第二十七条): the form starts
    /// from it, and the application keeps its received date.
    #[serde(default)]
    from_message: Option<u64>,
}

pub async fn register_page<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    Query(query): Query<RegisterQuery>,
) -> Result<Markup, WebError> {
    staff
        .actor
        .require(&staff.user.agency, Role::CaseOfficer, "登记申请")?;
    let mut form = FormState {
        values: [
            ("received".to_string(), app.today().to_string()),
            ("wanted_form".to_string(), "纸质文本，自行领取".to_string()),
        ]
        .into(),
        ..FormState::default()
    };
    if let Some(id) = query.from_message {
        let message =
            crate::usecases::participation::may_become_application(&app, &staff.actor, id).await?;
        for (name, value) in [
            ("from_message", id.to_string()),
            ("channel", "online".to_string()),
            ("received", message.received.to_string()),
            ("content", message.text.clone()),
            ("wanted_form", "电子文档（在线下载）".to_string()),
        ] {
            form.values.insert(name.into(), value);
        }
        if message.sender != "匿名" {
            form.values.insert("name".into(), message.sender.clone());
        }
    }
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
        // Online only for a 公众参与 message sent over the internet (its received date kept).
        .filter(|c| *c != Channel::Online || !get("from_message").is_empty());
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
    let from_message = match get("from_message").as_str() {
        "" => None,
        id => {
            let id = id
                .parse::<u64>()
                .map_err(|_| WebError::BadRequest("来信编号有误".into()))?;
            crate::usecases::participation::may_become_application(&app, &staff.actor, id).await?;
            Some(id)
        }
    };
    let paper = PaperApplication {
        applicant,
        channel,
        received,
        content: get("content"),
        wanted_form: get("wanted_form"),
        department: Some(get("department")).filter(|d| !d.is_empty()),
    };
    let (application, receipt) = register_paper(&app, &staff.actor, &agency, paper).await?;
    if let Some(id) = from_message {
        crate::usecases::participation::became(&app, &staff.actor, id, application.number.clone())
            .await?;
    }
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
