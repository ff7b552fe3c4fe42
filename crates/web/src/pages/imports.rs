//! 导入任务 — the imports of this agency and how far each has come. A job's page reloads
//! itself every two seconds until it ends (no script needed).

use std::sync::Arc;

use axum::extract::{Path, State};
use gongkai_domain::{
    imports::{ImportJob, ImportKind, ImportState},
    store::Store,
};
use maud::{Markup, html};

use crate::{
    app::App,
    error::WebError,
    security::{CsrfToken, Staff},
    usecases::imports,
    views::{beijing_time, chrome, page},
};

type Shared<S> = State<Arc<App<S>>>;

pub async fn list<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
) -> Result<Markup, WebError> {
    let jobs = imports::jobs(&app, &staff.actor).await?;
    let running = jobs.iter().any(|j| !j.state.finished());
    let mut frame = chrome(&staff, &csrf);
    frame.refresh_seconds = running.then_some(5);
    Ok(page(
        "导入任务",
        frame,
        html! {
            h1 { "导入任务" }
            p.muted { "导入的文件先逐行检查（有一行不对就全部不导入），检查通过后由服务器分批写入，不影响公众提交申请；本页显示本机关最近的导入。" }
            @if jobs.is_empty() { p.muted { "还没有导入任务。" } }
            @else {
                table #imports {
                    thead { tr { th { "编号" } th { "内容" } th { "文件" } th { "开始时间" } th { "导入人" } th { "状态" } th { "进度" } } }
                    tbody { @for job in &jobs {
                        tr {
                            td.num { a href={ "/staff/imports/" (job.id) } { (job.id) } }
                            td { (job.kind.label()) }
                            td { (crate::views::short(&job.file_name, 30)) }
                            td { (beijing_time(job.created_at)) }
                            td { (job.created_by) }
                            td { (state_tag(job)) }
                            td { progress value=(job.done) max=(job.total.max(1)) { (job.percent()) "%" } " " (job.done) "/" (job.total) }
                        }
                    } }
                }
            }
        },
    ))
}

pub async fn show<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    Path(id): Path<String>,
) -> Result<Markup, WebError> {
    let id: u64 = id
        .parse()
        .map_err(|_| WebError::NotFound("没有这个导入任务".into()))?;
    let job = imports::job(&app, &staff.actor, id).await?;
    let mut frame = chrome(&staff, &csrf);
    frame.refresh_seconds = (!job.state.finished()).then_some(2);
    Ok(page(
        &format!("导入任务 {}", job.id),
        frame,
        html! {
            h1 { "导入" (job.kind.label()) " · 任务 " (job.id) }
            dl.meta {
                dt { "文件" } dd { (job.file_name) }
                dt { "开始时间" } dd { (beijing_time(job.created_at)) " · " (job.created_by) }
                dt { "状态" } dd #import-state { (state_tag(&job)) }
            }
            p {
                progress #import-progress value=(job.done) max=(job.total.max(1)) aria-label="导入进度" { (job.percent()) "%" }
                " " span #import-count { (job.progress()) }
            }
            @match job.state {
                ImportState::Done => p.notice role="status" { "全部" (job.total) (job.kind.unit()) "已导入，每一" (job.kind.unit()) "都有审计记录。" " " a href=(destination(job.kind)) { "查看" (job.kind.label()) " →" } }
                ImportState::Failed => p.alert role="alert" { (job.message.as_deref().unwrap_or("导入未完成")) }
                _ => p.muted { "正在分批写入，本页每两秒刷新一次；离开本页不影响导入。" }
            }
            p { a href="/staff/imports" { "← 全部导入任务" } }
        },
    ))
}

fn state_tag(job: &ImportJob) -> Markup {
    let class = match job.state {
        ImportState::Done => "tag ok",
        ImportState::Failed => "tag overdue",
        _ => "tag",
    };
    html! { span class=(class) { (job.state.label()) } }
}

/// Where the imported items are seen.
fn destination(kind: ImportKind) -> &'static str {
    match kind {
        ImportKind::Applications => "/staff",
        ImportKind::RegisterDocuments => "/staff/register20",
        ImportKind::CatalogEntries => "/staff/catalog",
    }
}
