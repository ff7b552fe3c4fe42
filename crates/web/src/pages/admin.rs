//! 管理 — users and roles, the agency's settings (指南、文书、救济), the working calendar, and
//! the audit log with its verification.

use std::sync::Arc;

use axum::{
    extract::{Query, State},
    response::{IntoResponse, Redirect, Response},
};
use gongkai_domain::{
    Role, UserName,
    publication::{ReviewChain, ReviewStep, index_number},
    store::Store,
};
use gongkai_law::{HolidayNotice, calendar::DayReason, date::weekday_zh};
use maud::{Markup, html};
use serde::Deserialize;

use crate::{
    app::App,
    error::WebError,
    security::{CsrfForm, CsrfToken, Staff, check_password_rules},
    usecases::admin,
    views::{Fields, FormState, Input, chrome, csrf_field, field, get, page, urlencode},
};

type Shared<S> = State<Arc<App<S>>>;

/// The outcomes whose route the law leaves to the reading of the agency (since 2024, those that
/// are not 复议前置 by the table).
fn optional_reconsideration_first() -> impl Iterator<Item = gongkai_law::Outcome> {
    let since = gongkai_law::appeal::revised_law_in_force();
    gongkai_law::Outcome::ALL.into_iter().filter(move |o| {
        gongkai_law::appeal::route_for(Some(*o), since).route == gongkai_law::AppealRoute::Either
    })
}

fn require_admin(staff: &Staff) -> Result<(), WebError> {
    Ok(staff.actor.require(
        &staff.user.agency,
        Role::Administrator,
        "管理用户和机关设置",
    )?)
}

#[derive(Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    done: String,
}

pub async fn admin_page<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    Query(done): Query<Done>,
) -> Result<Markup, WebError> {
    require_admin(&staff)?;
    admin_view(&app, &staff, &csrf, &done.done, &FormState::default()).await
}

async fn admin_view<S: Store>(
    app: &App<S>,
    staff: &Staff,
    csrf: &CsrfToken,
    done: &str,
    form: &FormState,
) -> Result<Markup, WebError> {
    let agency = app.agency(&staff.user.agency).await?;
    let users = app.store.users(Some(&agency.code)).await?;
    let search = app.search_health().await;
    let s = &agency.settings;
    let mut settings_form = FormState {
        values: [
            ("letter_prefix", s.letter_prefix.as_str()),
            ("index_prefix", s.index_prefix.as_str()),
            ("reconsideration_body", s.reconsideration_body.as_str()),
            ("court", s.court.as_str()),
            ("fee_payment", s.fee_payment.as_str()),
            ("address", s.office.address.as_str()),
            ("postcode", s.office.postcode.as_str()),
            ("hours", s.office.hours.as_str()),
            ("phone", s.office.phone.as_str()),
            ("fax", s.office.fax.as_str()),
            ("email", s.office.email.as_str()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect(),
        errors: form.errors.clone(),
    };
    settings_form
        .values
        .insert("supplement_period".into(), s.supplement_period.to_string());
    settings_form
        .values
        .insert("volume_threshold".into(), s.volume_threshold.to_string());
    settings_form
        .values
        .insert("review_months".into(), s.review_months.to_string());
    // 系统管理员 is offered only to those who hold it.
    let role_options: Vec<(&str, &str)> = Role::ALL
        .iter()
        .filter(|r| **r != Role::SystemAdministrator || staff.actor.has(Role::SystemAdministrator))
        .map(|r| (r.code(), r.label()))
        .collect();
    Ok(page(
        "用户与机关",
        chrome(staff, csrf),
        html! {
            h1 { (agency.name) " · 用户与机关设置" }
            @if let Some(health) = search {
                p #search-health class=(if health.is_complete() { "muted" } else { "warning" }) { "全文检索：" (health.describe()) }
            }
            @if !done.is_empty() { p.notice role="status" { "已" (done) "。" } }
            @if form.has_errors() { div.alert role="alert" { ul { @for (_, m) in &form.errors { li { (m) } } } } }
            p { a href="/staff/admin/tokens" { "接口令牌（用途、有效期、吊销）" } }
            h2 { "用户" }
            div.scroll tabindex="0" { table {
                thead { tr { th { "用户名" } th { "姓名" } th { "角色" } th { "状态" } th { "操作" } } }
                tbody { @for user in &users {
                    tr {
                        td { (user.name) } td { (user.display_name) }
                        td { (user.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join("、")) }
                        td { @if user.active { "启用" } @else { span.muted { "已停用" } } }
                        td {
                            form.inline method="post" action="/staff/admin/users/active" {
                                (csrf_field(csrf))
                                input type="hidden" name="user" value=(user.name);
                                input type="hidden" name="active" value=(if user.active { "no" } else { "yes" });
                                button.secondary type="submit" { @if user.active { "停用" } @else { "启用" } }
                            }
                            form.inline method="post" action="/staff/admin/users/password" {
                                (csrf_field(csrf))
                                input type="hidden" name="user" value=(user.name);
                                label for={ "pw-" (user.name) } { "新密码" }
                                input id={ "pw-" (user.name) } type="password" name="password" autocomplete="new-password" minlength="10";
                                button.secondary type="submit" { "重设密码" }
                            }
                        }
                    }
                } }
            } }
            h2 { "添加用户" }
            form.stack method="post" action="/staff/admin/users" {
                (csrf_field(csrf))
                (field(form, "name", "用户名", Input::Text, true, Some("字母、数字、点、连字符或下划线")))
                (field(form, "display_name", "姓名", Input::Text, true, None))
                (field(form, "role", "角色", Input::Select(&role_options), true, Some("一人多角色时可添加后再调整；经办与审核宜由不同的人担任。")))
                (field(form, "password", "初始密码", Input::Password, true, Some("至少10个字符")))
                p { button type="submit" { "添加" } }
            }
            h2 { "主动公开审核流程" }
            p.muted { "每行一个步骤：“步骤名称：角色”，按顺序审核；必须有一步由保密审查员办理（先审后发、保密审查不可删除）。改动只影响此后提交的稿件。" }
            form.stack method="post" action="/staff/admin/review-chain" {
                (csrf_field(csrf))
                div.field.invalid[form.error("chain").is_some()] {
                    label for="f-chain" { "审核步骤" }
                    textarea #f-chain name="chain" required aria-describedby="f-chain-error" {
                        @if form.value("chain").is_empty() {
                            @for step in agency.settings.review_chain.steps() { (step.name) "：" (step.role.label()) "\n" }
                        } @else { (form.value("chain")) }
                    }
                    @if let Some(e) = form.error("chain") { span.error #f-chain-error role="alert" { (e) } }
                }
                div.field {
                    label for="f-index_pattern" { "索引号格式" }
                    span.hint { "{unit} 为索引号前缀，{year} 为年份，{seq:7} 为7位流水号" }
                    input #f-index_pattern type="text" name="index_pattern" value=(agency.settings.index_pattern) required;
                }
                p { button type="submit" { "保存审核流程" } }
            }
            h2 { "机关设置" }
            form.stack method="post" action="/staff/admin/agency" {
                (csrf_field(csrf))
                (field(&settings_form, "letter_prefix", "文书编号字头", Input::Text, true, Some("例：太政公（文号为 太政公复〔2026〕12号）")))
                (field(&settings_form, "index_prefix", "索引号前缀", Input::Text, false, None))
                (field(&settings_form, "reconsideration_body", "行政复议机关", Input::Text, true, Some("决定类文书告知的复议机关，如 示例区人民政府")))
                (field(&settings_form, "court", "管辖人民法院", Input::Text, true, None))
                label.check {
                    input type="checkbox" name="one_person_office" value="yes" checked[agency.settings.one_person_office];
                    " 一人办理：答复的起草人也可以审核（本机关设置；未勾选时审核须由另一人完成）"
                }
                (field(&settings_form, "supplement_period", "补正期限（工作日）", Input::Text, false, Some("补正告知书告知的合理期限，自告知之日起算（第三十条由机关确定，默认15个工作日）；留空不变")))
                (field(&settings_form, "fee_payment", "缴费方式", Input::Text, false, Some("收费通知写明的收款单位、账号或缴款渠道（国办函〔2020〕109号；未填写时不能出具收费通知）")))
                (field(&settings_form, "review_months", "不予公开信息评估审查周期（月）", Input::Text, false, Some("第十八条要求定期评估审查不予公开的信息，周期由本机关确定（默认12个月）；留空不变")))
                (field(&settings_form, "volume_threshold", "申请件数提示线（件/月）", Input::Text, false, Some("同一申请人一个自然月内的申请超过此数时，办理页提示可要求说明理由（第三十五条由机关判断“合理范围”；默认10件，即按件计收的免费件数）；留空不变")))
                fieldset {
                    legend { "公开指南：受理机构（第十二条）" }
                    (field(&settings_form, "address", "办公地址", Input::Text, false, None))
                    (field(&settings_form, "postcode", "邮政编码", Input::Text, false, None))
                    (field(&settings_form, "hours", "办公时间", Input::Text, false, None))
                    (field(&settings_form, "phone", "联系电话", Input::Tel, false, None))
                    (field(&settings_form, "fax", "传真", Input::Tel, false, None))
                    (field(&settings_form, "email", "电子邮箱", Input::Email, false, None))
                }
                fieldset {
                    legend { "救济途径：另列为先行申请行政复议的办理结果（本机关设置）" }
                    p.muted { "不予公开和部分公开中不予公开的部分，依《行政复议法》第二十三条一律先行复议，无需设置；如本机关法律顾问认为以下办理结果也属于先行复议的情形，请勾选，答复书和公开指南将照此告知。" }
                    @for outcome in optional_reconsideration_first() {
                        label.check {
                            input type="checkbox" name={ "rf_" (outcome.code()) } value="yes"
                                checked[agency.settings.reconsideration_first.contains(&outcome)];
                            " " (outcome.short_label())
                        }
                    }
                }
                p { button type="submit" { "保存设置" } }
            }
        },
    ))
}

/// 添加用户.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewUserForm {
    name: String,
    display_name: String,
    role: String,
    password: String,
}

pub async fn add_user<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    CsrfForm(input): CsrfForm<NewUserForm>,
) -> Result<Response, WebError> {
    require_admin(&staff)?;
    // The password is never shown again.
    let mut form = FormState::default();
    for (k, v) in [
        ("name", &input.name),
        ("display_name", &input.display_name),
        ("role", &input.role),
    ] {
        form.values.insert(k.into(), v.clone());
    }
    let name = UserName::parse(input.name.trim());
    let role = Role::parse(input.role.trim());
    let display = input.display_name.trim().to_string();
    let password = input.password;
    let rules = check_password_rules(&password);
    if let Err(e) = &name {
        form.errors.insert("name".into(), e.to_string());
    }
    if let Err(e) = &role {
        form.errors.insert("role".into(), e.to_string());
    }
    if display.is_empty() {
        form.errors
            .insert("display_name".into(), "请填写姓名".into());
    }
    if let Err(e) = &rules {
        form.errors.insert("password".into(), e.message());
    }
    let (Ok(name), Ok(role), Ok(())) = (name, role, rules) else {
        let page = admin_view(&app, &staff, &csrf, "", &form).await?;
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    if form.has_errors() {
        let page = admin_view(&app, &staff, &csrf, "", &form).await?;
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    if let Err(e) = admin::add_user(&app, &staff.actor, name, &display, role, &password).await {
        form.errors.insert("name".into(), e.message());
        let page = admin_view(&app, &staff, &csrf, "", &form).await?;
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    Ok(Redirect::to(&format!("/staff/admin?done={}", urlencode("添加用户"))).into_response())
}

/// A change to one account: enable or disable it, or reset its password.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AccountForm {
    user: String,
    active: String,
    password: String,
}

impl AccountForm {
    fn user(&self) -> Result<UserName, WebError> {
        Ok(UserName::parse(self.user.trim())?)
    }
}

pub async fn set_active<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    CsrfForm(form): CsrfForm<AccountForm>,
) -> Result<Response, WebError> {
    let active = form.active.trim() == "yes";
    admin::set_user_active(&app, &staff.actor, &form.user()?, active).await?;
    let done = if active {
        "启用用户"
    } else {
        "停用用户"
    };
    Ok(Redirect::to(&format!("/staff/admin?done={}", urlencode(done))).into_response())
}

pub async fn set_password<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    CsrfForm(form): CsrfForm<AccountForm>,
) -> Result<Response, WebError> {
    admin::reset_password(&app, &staff.actor, &form.user()?, &form.password).await?;
    Ok(Redirect::to(&format!("/staff/admin?done={}", urlencode("重设密码"))).into_response())
}

/// 主动公开审核流程 (one step a line, `名称：角色`) and the 索引号 pattern.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReviewChainForm {
    chain: String,
    index_pattern: String,
}

pub async fn update_review_chain<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    CsrfForm(input): CsrfForm<ReviewChainForm>,
) -> Result<Response, WebError> {
    require_admin(&staff)?;
    let parsed = input
        .chain
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let (name, role) = line
                .split_once(['：', ':'])
                .ok_or_else(|| format!("「{line}」应写成“步骤名称：角色”"))?;
            let role = Role::parse(role).map_err(|e| e.to_string())?;
            Ok(ReviewStep {
                name: name.trim().to_string(),
                role,
            })
        })
        .collect::<Result<Vec<ReviewStep>, String>>()
        .and_then(|steps| ReviewChain::new(steps).map_err(|e| e.to_string()));
    let pattern = input.index_pattern.trim().to_string();
    let checked_pattern = index_number(&pattern, "unit", 2026, 1).map_err(|e| e.to_string());
    match (parsed, checked_pattern) {
        (Ok(chain), Ok(_)) => {
            admin::update_settings(&app, &staff.actor, |s| {
                s.review_chain = chain;
                s.index_pattern = pattern;
            })
            .await?;
            Ok(
                Redirect::to(&format!("/staff/admin?done={}", urlencode("保存审核流程")))
                    .into_response(),
            )
        }
        (chain, pattern) => {
            let mut form = FormState {
                values: [("chain".to_string(), input.chain.trim().to_string())].into(),
                ..FormState::default()
            };
            if let Err(e) = chain {
                form.errors.insert("chain".into(), e);
            }
            if let Err(e) = pattern {
                form.errors.insert("index_pattern".into(), e);
            }
            let page = admin_view(&app, &staff, &csrf, "", &form).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// 机关设置: letters, the 指南's office details, the outcomes also sent to 行政复议 first
/// (`rf_{outcome}` checkboxes). Kept by name: the checkboxes follow the outcome table.
#[derive(Deserialize, Default)]
#[serde(transparent)]
pub struct SettingsForm(Fields);

impl SettingsForm {
    fn get(&self, name: &str) -> String {
        get(&self.0, name)
    }
}

pub async fn update_agency<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    CsrfForm(input): CsrfForm<SettingsForm>,
) -> Result<Response, WebError> {
    require_admin(&staff)?;
    let mut form = FormState::default();
    for (name, label) in [
        ("letter_prefix", "文书编号字头"),
        ("reconsideration_body", "行政复议机关"),
        ("court", "管辖人民法院"),
    ] {
        if input.get(name).is_empty() {
            form.errors.insert(name.into(), format!("请填写{label}"));
        }
    }
    // Left empty: unchanged.
    let period_text = input.get("supplement_period");
    let period = if period_text.is_empty() {
        None
    } else {
        let days = period_text
            .parse::<u32>()
            .map_err(|_| format!("补正期限应为工作日数，收到「{period_text}」"))
            .and_then(|d| gongkai_domain::check_supplement_period(d).map_err(|e| e.to_string()));
        if let Err(message) = &days {
            form.errors
                .insert("supplement_period".into(), message.clone());
        }
        days.ok()
    };
    let threshold_text = input.get("volume_threshold");
    let threshold = if threshold_text.is_empty() {
        None
    } else {
        let count = threshold_text
            .parse::<u32>()
            .map_err(|_| {
                format!(
                    "提示线应为件数，收到「{}」",
                    crate::views::short(&threshold_text, 20)
                )
            })
            .and_then(|n| {
                gongkai_domain::agency::check_volume_threshold(n).map_err(|e| e.to_string())
            });
        if let Err(message) = &count {
            form.errors
                .insert("volume_threshold".into(), message.clone());
        }
        count.ok()
    };
    let months_text = input.get("review_months");
    let months = if months_text.is_empty() {
        None
    } else {
        let months = months_text
            .parse::<u32>()
            .map_err(|_| {
                format!(
                    "审查周期应为月数，收到「{}」",
                    crate::views::short(&months_text, 20)
                )
            })
            .and_then(|m| {
                gongkai_domain::rereview::check_review_months(m).map_err(|e| e.to_string())
            });
        if let Err(message) = &months {
            form.errors.insert("review_months".into(), message.clone());
        }
        months.ok()
    };
    let fee_payment = gongkai_domain::agency::check_fee_payment(&input.get("fee_payment"));
    if let Err(e) = &fee_payment {
        form.errors.insert("fee_payment".into(), e.to_string());
    }
    if form.has_errors() {
        let page = admin_view(&app, &staff, &csrf, "", &form).await?;
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    admin::update_settings(&app, &staff.actor, |s| {
        s.letter_prefix = input.get("letter_prefix");
        s.index_prefix = input.get("index_prefix");
        s.reconsideration_body = input.get("reconsideration_body");
        s.court = input.get("court");
        s.office.address = input.get("address");
        s.office.postcode = input.get("postcode");
        s.office.hours = input.get("hours");
        s.office.phone = input.get("phone");
        s.office.fax = input.get("fax");
        s.office.email = input.get("email");
        if let Some(days) = period {
            s.supplement_period = days;
        }
        if let Some(count) = threshold {
            s.volume_threshold = count;
        }
        if let Some(months) = months {
            s.review_months = months;
        }
        s.fee_payment = fee_payment.unwrap_or_default();
        s.one_person_office = input.get("one_person_office") == "yes";
        s.reconsideration_first = optional_reconsideration_first()
            .filter(|o| input.get(&format!("rf_{}", o.code())) == "yes")
            .collect();
    })
    .await?;
    Ok(Redirect::to(&format!("/staff/admin?done={}", urlencode("保存机关设置"))).into_response())
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    #[serde(default)]
    year: Option<i16>,
    #[serde(default)]
    done: String,
}

pub async fn calendar_page<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    Query(query): Query<YearQuery>,
) -> Result<Markup, WebError> {
    let year = query.year.unwrap_or(app.today().year()).clamp(2000, 2100);
    Ok(calendar_view(&app, &staff, &csrf, year, &query.done, None))
}

fn calendar_view<S: Store>(
    app: &App<S>,
    staff: &Staff,
    csrf: &CsrfToken,
    year: i16,
    done: &str,
    error: Option<&str>,
) -> Markup {
    let calendar = app.calendar();
    let loaded: Vec<i16> = calendar.notice_years().collect();
    let provisional = !calendar.covers_year(year);
    page(
        "工作日历",
        chrome(staff, csrf),
        html! {
            h1 { (year) "年工作日历" }
            p {
                a href={ "/staff/calendar?year=" (year - 1) } { "← " (year - 1) "年" } " · "
                a href={ "/staff/calendar?year=" (year + 1) } { (year + 1) "年 →" }
            }
            @if !done.is_empty() { p.notice role="status" { (done) } }
            @if let Some(e) = error { p.alert role="alert" { (e) } }
            @if provisional {
                p.warning { (year) "年的国务院节假日安排尚未加载：期限暂按周末推算（暂定）。通知发布后请在下方加载。" }
            } @else {
                p.muted { "依据国务院办公厅关于" (year) "年部分节假日安排的通知。红色为放假日，黄色为调休上班的周末。" }
            }
            div.grid2 {
                @for month in 1..=12i8 {
                    section {
                        h2 { (month) "月" }
                        div.cal role="table" aria-label={ (year) "年" (month) "月" } {
                            @for head in ["一", "二", "三", "四", "五", "六", "日"] { span.head role="columnheader" { (head) } }
                            @let first = gongkai_law::Date::new(year, month, 1).expect("valid month");
                            @for _ in 0..(first.weekday().to_monday_zero_offset()) { span aria-hidden="true" {} }
                            @for day in 1..=first.days_in_month() {
                                @let date = gongkai_law::Date::new(year, month, day).expect("valid day");
                                @let status = calendar.day_status(date);
                                @let (class, why) = match &status.reason {
                                    DayReason::Holiday(name) => ("off", name.clone()),
                                    DayReason::Makeup(name) => ("shift", format!("{name}调休上班")),
                                    DayReason::Weekend => ("off", "周末".to_string()),
                                    DayReason::Weekday => ("", "工作日".to_string()),
                                };
                                span class=(class) role="cell" title={ (date) " " (weekday_zh(date)) " " (why) } { (day) }
                            }
                        }
                    }
                }
            }
            h2 { "已加载的通知" }
            p { (loaded.iter().map(|y| y.to_string()).collect::<Vec<_>>().join("、")) }
            @if !staff.actor.has(Role::SystemAdministrator) {
                p.muted { "节假日通知对所有机关有效，由系统管理员加载（或在服务器上运行 gongkai calendar load）。" }
            }
            @if staff.actor.has(Role::SystemAdministrator) {
                h2 { "加载下一年的通知" }
                p.muted { "粘贴 holiday-cn 格式的 JSON（{\"year\":2027,\"papers\":[\"通知网址\"],\"days\":[{\"name\":\"元旦\",\"date\":\"2027-01-01\",\"isOffDay\":true},…]}）。加载后所有服务器立即使用。" }
                form.stack method="post" action="/staff/calendar" {
                    (csrf_field(csrf))
                    div.field { label for="f-notice" { "通知 JSON" } textarea #f-notice name="notice" required {} }
                    p { button type="submit" { "加载" } }
                }
            }
        },
    )
}

/// A State Council holiday notice as holiday-cn JSON.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NoticeForm {
    notice: String,
}

pub async fn load_notice<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    CsrfForm(input): CsrfForm<NoticeForm>,
) -> Result<Response, WebError> {
    let refused = |message: String| {
        let page = calendar_view(&app, &staff, &csrf, app.today().year(), "", Some(&message));
        Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    };
    let notice = match HolidayNotice::from_json(input.notice.trim()) {
        Ok(notice) => notice,
        Err(v) => return refused(v.to_string()),
    };
    match admin::load_holiday_notice(&app, &staff.actor, &notice).await {
        Ok(()) => {}
        Err(e @ WebError::BadRequest(_)) => return refused(e.message()),
        Err(e) => return Err(e),
    }
    Ok(Redirect::to(&format!(
        "/staff/calendar?year={}&done={}",
        notice.year,
        urlencode(&format!("已加载{}年通知", notice.year))
    ))
    .into_response())
}

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    /// The page shows entries numbered below this one (the last page's oldest).
    before: Option<u64>,
}

const AUDIT_PER_PAGE: u32 = 100;

/// `street/2026-D0001` → `示例县城关镇人民政府/2026-D0001`; an account → its holder's 姓名.
fn subject_named(
    subject: &str,
    agencies: &[gongkai_domain::Agency],
    names: &crate::usecases::admin::StaffNames,
) -> String {
    let named = |part: &str| -> String {
        agencies
            .iter()
            .find(|a| a.code.as_str() == part)
            .map(|a| a.name.clone())
            .or_else(|| names.get(part).map(str::to_string))
            .unwrap_or_else(|| part.to_string())
    };
    subject.split('/').map(named).collect::<Vec<_>>().join("/")
}

pub async fn audit_page<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    Query(query): Query<AuditQuery>,
) -> Result<Markup, WebError> {
    if !(staff.actor.has(Role::Administrator) || staff.actor.has(Role::Supervisor)) {
        return Err(WebError::Forbidden(
            "审计日志仅管理员和上级监督人员可查看".into(),
        ));
    }
    let watch = app.check_audit().await?;
    let agency = &staff.user.agency;
    let total = app.store.audit_count_of(agency).await?;
    let entries = app
        .store
        .audit_entries_of(agency, query.before, AUDIT_PER_PAGE)
        .await?;
    // People and agencies by their names, not their codes.
    let names = crate::usecases::admin::display_names(&app, None).await?;
    let agencies = app.agencies().await?;
    let older = match entries.last() {
        Some(last) if entries.len() == AUDIT_PER_PAGE as usize => Some(last.seq),
        _ => None,
    };
    Ok(page(
        "审计日志",
        chrome(&staff, &csrf),
        html! {
            h1 { "审计日志" }
            @match &watch.broken {
                None => { p.notice role="status" { "校验通过：全部" (watch.head.seq) "条记录的哈希链完整，未被篡改（新记录每分钟校验，全链每天重验）。" } },
                Some(broken) => { p.alert role="alert" { "校验失败：第" (broken.seq) "条记录 " (broken.reason) "。请立即报告系统管理员。" } },
            }
            p.muted { "本机关共" (total) "条记录（含对所有机关有效的节假日通知等全系统操作），最新在前，每页" (AUDIT_PER_PAGE) "条。可用 gongkai audit anchor 签发链头锚点另行保存，日后以 gongkai audit verify --anchor 证明此前记录未被改写。" }
            div.scroll tabindex="0" { table {
                thead { tr { th { "序号" } th { "时间（北京时间）" } th { "操作人" } th { "操作" } th { "对象" } } }
                tbody { @for e in &entries {
                    tr {
                        td.num { (e.seq) }
                        td { (e.record.at.parse::<jiff::Timestamp>().map_or_else(|_| e.record.at.clone(), crate::views::beijing_time)) }
                        td { (names.get(&e.record.actor).unwrap_or("系统")) }
                        td title=(e.record.action) { (crate::views::audit_action(&e.record.action)) @if e.record.agency.is_empty() { " " span.tag { "全系统" } } }
                        td { (subject_named(&e.record.subject, &agencies, &names)) }
                    }
                } }
            } }
            p {
                @if query.before.is_some() { a href="/staff/audit" { "← 最新" } " " }
                @if let Some(seq) = older { a href={ "/staff/audit?before=" (seq) } { "较早 →" } }
            }
        },
    ))
}
