//! 政务公开工作要点: a supervising agency sets the year's tasks and follows each agency's
//! progress; an agency reports what it did, its publications as evidence.

use std::{collections::BTreeMap, sync::Arc};

use axum::{
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use gongkai_domain::{
    AgencyCode, Role,
    store::Store,
    work_plan::{KeyTask, NewTask, Progress, TaskReport},
};
use gongkai_law::{Date, date::chinese, parse_date};
use maud::{Markup, html};
use serde::Deserialize;

use crate::{
    app::App,
    error::WebError,
    security::{CsrfForm, CsrfToken, Staff},
    usecases::work_plan as plan,
    views::{Chrome, chrome, csrf_field, page, short, urlencode},
};

type Shared<S> = State<Arc<App<S>>>;

/// Public publications offered as evidence at most (the newest).
const EVIDENCE_OFFERED: usize = 100;

#[derive(Deserialize, Default)]
pub struct PlanQuery {
    #[serde(default)]
    year: Option<i16>,
    #[serde(default)]
    done: String,
}

fn progress_tag(progress: Progress) -> Markup {
    let class = match progress {
        Progress::Done => "tag ok",
        Progress::DoneLate | Progress::Underway { overdue: false } => "tag soon",
        Progress::NotReported { overdue: false } => "tag",
        _ => "tag overdue",
    };
    html! { span class=(class) { (progress.label()) } }
}

pub async fn work_plan_page<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    Query(query): Query<PlanQuery>,
) -> Result<Markup, WebError> {
    view(&app, &staff, &csrf, query.year, &query.done, None).await
}

async fn view<S: Store>(
    app: &App<S>,
    staff: &Staff,
    csrf: &CsrfToken,
    year: Option<i16>,
    done: &str,
    error: Option<&str>,
) -> Result<Markup, WebError> {
    let today = app.today();
    let year = year.unwrap_or(today.year());
    let agency = app.agency(&staff.user.agency).await?;
    let agencies = app.agencies().await?;
    let name_of = |code: &AgencyCode| {
        agencies
            .iter()
            .find(|a| &a.code == code)
            .map_or_else(|| code.to_string(), |a| a.name.clone())
    };
    let supervising = staff.actor.has(Role::Supervisor);
    // What this agency set (its supervisors), with each agency's progress.
    let set: Vec<KeyTask> = if supervising {
        plan::tasks_set_by(app, &agency.code, Some(year)).await?
    } else {
        Vec::new()
    };
    let under = plan::below(&agencies, &agency.code);
    let mut reports_below: BTreeMap<AgencyCode, Vec<TaskReport>> = BTreeMap::new();
    if !set.is_empty() {
        for code in &under {
            reports_below.insert(
                code.clone(),
                plan::reports_of(app, code)
                    .await?
                    .into_iter()
                    .map(|v| v.value)
                    .collect(),
            );
        }
    }
    // What the levels above set for this agency, and its own reports.
    let mine: Vec<KeyTask> = plan::tasks_for(app, &agency.code)
        .await?
        .into_iter()
        .filter(|t| t.year == year)
        .collect();
    let my_reports: Vec<TaskReport> = plan::reports_of(app, &agency.code)
        .await?
        .into_iter()
        .map(|v| v.value)
        .collect();
    let mut evidence: Vec<(u64, String)> = app
        .store
        .public_publications(&agency.code)
        .await?
        .into_iter()
        .take(EVIDENCE_OFFERED)
        .map(|p| (p.id, p.draft.title))
        .collect();
    evidence.sort_by_key(|(id, _)| std::cmp::Reverse(*id));
    Ok(page(
        "工作要点",
        chrome(staff, csrf),
        html! {
            h1 { (year) "年政务公开工作要点" }
            @if !done.is_empty() { p.notice role="status" { "已" (done) "。" } }
            @if let Some(error) = error { p.alert role="alert" { (error) } }
            nav.buttons aria-label="年度" {
                a.button.secondary href={ "/staff/work-plan?year=" (year - 1) } { (year - 1) "年" }
                a.button.secondary href={ "/staff/work-plan?year=" (year + 1) } { (year + 1) "年" }
            }
            @if supervising {
                h2 { "本机关部署的任务" }
                @if set.is_empty() { p.muted { "本年度尚未部署任务。" } }
                @for t in &set {
                    @let assigned: Vec<&AgencyCode> = under.iter().filter(|a| t.is_for(a, &under)).collect();
                    @let progress: Vec<(&AgencyCode, Progress, Option<TaskReport>)> = assigned.iter().map(|a| {
                        let report = reports_below.get(*a).and_then(|r| t.report_in(r).cloned());
                        (*a, Progress::of(t, report.as_ref(), today), report)
                    }).collect();
                    @let finished = progress.iter().filter(|(_, p, _)| p.is_done()).count();
                    section.task id={ "set-" (t.id) } {
                      @if let Some(w) = &t.withdrawn {
                        h3 { (t.title) " " span.tag { "已撤销" } }
                        p.muted { (chinese(w.on)) "撤销：" (w.reason) }
                      } @else {
                        h3 { (t.title) }
                        p.muted { "完成时限：" (chinese(t.due)) "；已完成" (finished) "/" (progress.len()) "个机关" }
                        @if !t.detail.is_empty() { p { (t.detail) } }
                        details {
                            summary { "修改任务" }
                            form.stack method="post" action="/staff/work-plan/tasks/edit" {
                                (csrf_field(csrf))
                                input type="hidden" name="id" value=(t.id);
                                input type="hidden" name="year" value=(t.year);
                                (task_fields(&format!("t{}", t.id), Some(t), &under, &name_of))
                                p { button type="submit" { "保存修改" } }
                            }
                        }
                        details {
                            summary { "撤销任务" }
                            form.stack method="post" action="/staff/work-plan/tasks/withdraw" {
                                (csrf_field(csrf))
                                input type="hidden" name="id" value=(t.id);
                                input type="hidden" name="year" value=(t.year);
                                div.field { label for={ "reason-" (t.id) } { "撤销理由" } textarea id={ "reason-" (t.id) } name="reason" required {} }
                                p { button type="submit" { "撤销任务" } }
                            }
                        }
                        div.scroll tabindex="0" {
                            table.cards {
                                thead { tr { th { "机关" } th { "进度" } th { "落实情况" } } }
                                tbody {
                                    @for (code, p, report) in &progress {
                                        tr {
                                            td data-label="机关" { (name_of(code)) }
                                            td data-label="进度" { (progress_tag(*p)) }
                                            td data-label="落实情况" {
                                                @if let Some(r) = report {
                                                    (short(&r.text, 80))
                                                    @for id in &r.evidence {
                                                        " " a href={ "/agencies/" (code) "/publications/" (id) } { "佐证" (id) }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                      }
                    }
                }
                h3 #add-task { "部署任务" }
                form.stack method="post" action="/staff/work-plan/tasks" {
                    (csrf_field(csrf))
                    input type="hidden" name="year" value=(year);
                    (task_fields("task", None, &under, &name_of))
                    p { button type="submit" { "部署" } }
                }
            }
            h2 { "上级部署给本机关的任务" }
            @if mine.is_empty() { p.muted { "本年度上级未部署任务。" } }
            @for t in &mine {
                @let report = t.report_in(&my_reports).cloned();
                @let p = Progress::of(t, report.as_ref(), today);
                section.task id={ "task-" (t.agency) "-" (t.id) } {
                    h3 { (t.title) " " (progress_tag(p)) }
                    p.muted { (name_of(&t.agency)) "部署；完成时限：" (chinese(t.due)) }
                    @if !t.detail.is_empty() { p { (t.detail) } }
                    details open[report.is_none()] {
                        summary { @if report.is_some() { "修改落实情况" } @else { "报告落实情况" } }
                        form.stack method="post" action="/staff/work-plan/report" {
                            (csrf_field(csrf))
                            input type="hidden" name="setter" value=(t.agency);
                            input type="hidden" name="task" value=(t.id);
                            @let id = format!("{}-{}", t.agency, t.id);
                            div.field { label for={ "text-" (id) } { "落实情况" } textarea id={ "text-" (id) } name="text" required { (report.as_ref().map_or("", |r| r.text.as_str())) } }
                            div.field { label for={ "done-" (id) } { "完成日期（尚在推进的不填）" } input id={ "done-" (id) } type="date" name="done_on" value=[report.as_ref().and_then(|r| r.done_on)]; }
                            fieldset {
                                legend { "佐证：本机关已公开的信息" }
                                @for (pid, title) in &evidence {
                                    label.check { input type="checkbox" name={ "evidence_" (pid) } value="yes" checked[report.as_ref().is_some_and(|r| r.evidence.contains(pid))]; " " (short(title, 40)) }
                                }
                            }
                            p { button type="submit" { "报告" } }
                        }
                    }
                }
            }
        },
    ))
}

/// A task's fields, empty or as `task` has them; `prefix` keeps the ids of several forms apart.
fn task_fields(
    prefix: &str,
    task: Option<&KeyTask>,
    under: &[AgencyCode],
    name_of: &dyn Fn(&AgencyCode) -> String,
) -> Markup {
    let id = |name: &str| format!("{prefix}-{name}");
    html! {
        div.field { label for=(id("title")) { "任务" } input id=(id("title")) type="text" name="title" value=[task.map(|t| &t.title)] required; }
        div.field { label for=(id("detail")) { "要求" } textarea id=(id("detail")) name="detail" { (task.map_or("", |t| t.detail.as_str())) } }
        div.field { label for=(id("due")) { "完成时限" } input id=(id("due")) type="date" name="due" value=[task.map(|t| t.due)] required; }
        fieldset {
            legend { "承担的机关（不选即全部下级机关）" }
            @for code in under {
                label.check { input type="checkbox" name={ "assignee_" (code) } value="yes" checked[task.is_some_and(|t| t.assignees.contains(code))]; " " (name_of(code)) }
            }
        }
    }
}

/// What every task form carries besides its words: the year, the deadline and the agencies
/// named to carry it out.
fn task_form(fields: &BTreeMap<String, String>) -> Result<(i16, Date, Vec<AgencyCode>), WebError> {
    let get = |name: &str| fields.get(name).map_or("", |v| v.trim());
    let year = get("year")
        .parse::<i16>()
        .map_err(|_| WebError::field("year", "年度有误"))?;
    let due = parse_date("完成时限", get("due"))
        .map_err(|_| WebError::field("due", "请填写完成时限（YYYY-MM-DD）"))?;
    let assignees = fields
        .iter()
        .filter(|(k, v)| k.starts_with("assignee_") && v.as_str() == "yes")
        .filter_map(|(k, _)| AgencyCode::parse(&k["assignee_".len()..]).ok())
        .collect();
    Ok((year, due, assignees))
}

/// The task a form names by its number.
fn task_id(fields: &BTreeMap<String, String>) -> Result<u64, WebError> {
    fields
        .get("id")
        .and_then(|v| v.trim().parse::<u64>().ok())
        .ok_or_else(|| WebError::NotFound("没有这项任务".into()))
}

pub async fn add_task<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    CsrfForm(fields): CsrfForm<BTreeMap<String, String>>,
) -> Result<Response, WebError> {
    let get = |name: &str| fields.get(name).map_or("", |v| v.trim());
    let year = get("year").parse::<i16>().ok();
    let result = async {
        let (year, due, assignees) = task_form(&fields)?;
        let new = NewTask {
            year,
            title: get("title"),
            detail: get("detail"),
            due,
        };
        plan::add_task(&app, &staff.actor, new, assignees).await
    }
    .await;
    finish(&app, &staff, &csrf, year, result.map(|_| "部署任务")).await
}

/// 修改任务: its words, deadline and agencies (its year stays).
pub async fn edit_task<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    CsrfForm(fields): CsrfForm<BTreeMap<String, String>>,
) -> Result<Response, WebError> {
    let get = |name: &str| fields.get(name).map_or("", |v| v.trim());
    let year = get("year").parse::<i16>().ok();
    let result = async {
        let id = task_id(&fields)?;
        let (year, due, assignees) = task_form(&fields)?;
        let new = NewTask {
            year,
            title: get("title"),
            detail: get("detail"),
            due,
        };
        plan::edit_task(&app, &staff.actor, id, None, new, assignees).await
    }
    .await;
    finish(&app, &staff, &csrf, year, result.map(|_| "修改任务")).await
}

/// 撤销任务 with its reason.
pub async fn withdraw_task<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    CsrfForm(fields): CsrfForm<BTreeMap<String, String>>,
) -> Result<Response, WebError> {
    let year = fields
        .get("year")
        .and_then(|v| v.trim().parse::<i16>().ok());
    let result = async {
        let id = task_id(&fields)?;
        let reason = fields.get("reason").map_or("", |v| v.as_str());
        plan::withdraw_task(&app, &staff.actor, id, reason).await
    }
    .await;
    finish(&app, &staff, &csrf, year, result.map(|_| "撤销任务")).await
}

pub async fn report<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    CsrfForm(fields): CsrfForm<BTreeMap<String, String>>,
) -> Result<Response, WebError> {
    let get = |name: &str| fields.get(name).map_or("", |v| v.trim());
    let result = async {
        let setter = AgencyCode::parse(get("setter"))
            .map_err(|_| WebError::NotFound("没有这项任务".into()))?;
        let task = get("task")
            .parse::<u64>()
            .map_err(|_| WebError::NotFound("没有这项任务".into()))?;
        let done_on = match get("done_on") {
            "" => None,
            text => Some(
                parse_date("完成日期", text)
                    .map_err(|_| WebError::field("done_on", "完成日期格式应为 YYYY-MM-DD"))?,
            ),
        };
        let evidence = fields
            .iter()
            .filter(|(k, v)| k.starts_with("evidence_") && v.as_str() == "yes")
            .filter_map(|(k, _)| k["evidence_".len()..].parse::<u64>().ok())
            .collect();
        plan::report(
            &app,
            &staff.actor,
            &setter,
            task,
            get("text"),
            done_on,
            evidence,
        )
        .await
    }
    .await;
    finish(&app, &staff, &csrf, None, result.map(|_| "报告落实情况")).await
}

async fn finish<S: Store>(
    app: &App<S>,
    staff: &Staff,
    csrf: &CsrfToken,
    year: Option<i16>,
    result: Result<&'static str, WebError>,
) -> Result<Response, WebError> {
    match result {
        Ok(done) => Ok(Redirect::to(&format!(
            "/staff/work-plan?{}done={}",
            year.map_or(String::new(), |y| format!("year={y}&")),
            urlencode(done)
        ))
        .into_response()),
        Err(e @ (WebError::Field { .. } | WebError::BadRequest(_) | WebError::Conflict(_))) => {
            let body = view(app, staff, csrf, year, "", Some(&e.message())).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
        Err(e) => Err(e),
    }
}

/// 政务公开工作要点 as the public reads them: the tasks an agency set for a year, each with how
/// many of the agencies carrying it out have done it.
pub async fn public_plan<S: Store>(
    State(app): Shared<S>,
    Path(code): Path<String>,
    Query(query): Query<PlanQuery>,
) -> Result<Markup, WebError> {
    let agency = app.agency_named(&code).await?;
    let today = app.today();
    let year = query
        .year
        .filter(|y| (2000..=today.year() + 1).contains(y))
        .unwrap_or(today.year());
    let tasks: Vec<KeyTask> = plan::tasks_set_by(&app, &agency.code, Some(year))
        .await?
        .into_iter()
        .filter(KeyTask::is_active)
        .collect();
    let agencies = app.agencies().await?;
    let under = plan::below(&agencies, &agency.code);
    let mut reports: Vec<TaskReport> = Vec::new();
    if !tasks.is_empty() {
        for below in &under {
            reports.extend(
                plan::reports_of(&app, below)
                    .await?
                    .into_iter()
                    .map(|v| v.value)
                    .filter(|r| r.setter == agency.code),
            );
        }
    }
    let title = format!("{year}年政务公开工作要点");
    Ok(page(
        &title,
        Chrome {
            agency: Some(&agency),
            ..Chrome::default()
        },
        html! {
            h1 { (agency.name) " · " (title) }
            @if tasks.is_empty() { p.muted #no-tasks { "本年度未发布政务公开工作要点。" } }
            ol.results #public-tasks {
                @for t in &tasks {
                    @let assigned: Vec<&AgencyCode> = under.iter().filter(|a| t.is_for(a, &under)).collect();
                    @let done = assigned.iter().filter(|a| {
                        let report = reports.iter().find(|r| &&r.agency == *a && r.task == t.id);
                        Progress::of(t, report, today).is_done()
                    }).count();
                    li {
                        h2 { (t.title) }
                        p.muted { "完成时限：" (chinese(t.due)) "；承担机关" (assigned.len()) "个，已完成" (done) "个" }
                        @if !t.detail.is_empty() { p { (t.detail) } }
                    }
                }
            }
        },
    ))
}
