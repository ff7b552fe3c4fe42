//! 主动公开基本目录 in the back office: import from CSV or XLSX (every bad row reported, all
//! or nothing), and each entry with the publications that fulfil it and whether it is overdue.

use std::sync::Arc;

use axum::{
    extract::{Query, State},
    response::{IntoResponse, Redirect, Response},
};
use gongkai_domain::{
    Role,
    catalog::CatalogEntry,
    publication::{Publication, PublicationState},
    store::Store,
};
use maud::{Markup, html};
use serde::Deserialize;

use crate::{
    app::App,
    error::WebError,
    security::{CsrfToken, CsrfUpload, Staff},
    uploads,
    usecases::register,
    views::{chrome, csrf_field, page},
};

type Shared<S> = State<Arc<App<S>>>;

/// How an entry stands.
pub enum Standing {
    /// 尚无公开信息
    Nothing,
    /// Some linked item is past its 第二十六条 deadline and not public.
    Overdue(usize),
    /// The catalog's own 时限 (每季度, 每年3月31日前 …): nothing public in the last period.
    Missed(gongkai_domain::catalog::Period),
    Fine(usize),
}

pub fn standing<S: Store>(
    app: &App<S>,
    entry: &CatalogEntry,
    publications: &[Publication],
) -> Standing {
    let calendar = app.calendar();
    let today = app.today();
    let linked: Vec<&Publication> = publications
        .iter()
        .filter(|p| {
            p.draft.catalog_entry == Some(entry.id) && p.state != PublicationState::Withdrawn
        })
        .collect();
    let late = linked
        .iter()
        .filter(|p| !p.is_public() && p.is_late(&calendar, today))
        .count();
    let public = linked.iter().filter(|p| p.is_public()).count();
    let missed = entry
        .schedule()
        .and_then(|s| s.last_due(today))
        .filter(|period| {
            !linked.iter().any(|p| {
                p.is_public()
                    && p.published_on
                        .is_some_and(|d| period.start <= d && d <= period.due)
            })
        });
    if late > 0 {
        Standing::Overdue(late)
    } else if let Some(period) = missed {
        Standing::Missed(period)
    } else if public == 0 {
        Standing::Nothing
    } else {
        Standing::Fine(public)
    }
}

#[derive(Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    done: String,
}

pub async fn catalog_page<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    Query(done): Query<Done>,
) -> Result<Markup, WebError> {
    view(&app, &staff, &csrf, &done.done, &[]).await
}

async fn view<S: Store>(
    app: &App<S>,
    staff: &Staff,
    csrf: &CsrfToken,
    done: &str,
    errors: &[String],
) -> Result<Markup, WebError> {
    let entries = app.store.catalog_entries(&staff.user.agency).await?;
    let publications = app.store.publications(&staff.user.agency).await?;
    Ok(page(
        "主动公开基本目录",
        chrome(staff, csrf),
        html! {
            h1 { "主动公开基本目录" }
            @if !done.is_empty() { p.notice role="status" { "已" (done) "。" } }
            @if !errors.is_empty() {
                div.alert role="alert" {
                    p { strong { "未导入：文件中有" (errors.len()) "处问题，请改正后重新导入（全部正确才导入）：" } }
                    ul #import-errors { @for e in errors { li { (e) } } }
                }
            }
            div.scroll tabindex="0" { table #catalog-entries {
                thead { tr { th { "公开事项" } th { "公开内容" } th { "内容概述" } th { "公开依据" } th { "公开时限" } th { "公开主体" } th { "渠道" } th { "对象" } th { "方式" } th { "层级" } th { "落实情况" } } }
                tbody { @for e in &entries {
                    @let standing = standing(app, e, &publications);
                    tr class=(match standing { Standing::Overdue(_) | Standing::Missed(_) => "overdue", Standing::Nothing => "soon", _ => "" }) {
                        td { (e.matter) } td { (e.content) } td { (e.summary) } td { (e.basis) } td { (e.time_limit) } td { (e.owner) }
                        td { (e.channels) } td { (e.audience) } td { (e.mode) } td { (e.level) }
                        td { @match standing {
                            Standing::Overdue(n) => { span.tag.overdue { (n) "条超期未公开" } },
                            Standing::Missed(period) => { span.tag.overdue { (period.label) "未公开（时限至" (period.due) "）" } },
                            Standing::Nothing => { span.tag.soon { "尚无公开信息" } },
                            Standing::Fine(n) => { span.tag.ok { "已公开" (n) "条" } },
                        } }
                    }
                } }
            } }
            @if entries.is_empty() { p.muted { "尚未导入目录。" } }
            @if staff.actor.has(Role::Administrator) || staff.actor.has(Role::CaseOfficer) {
                h2 { "导入目录" }
                p.muted { "CSV（UTF-8 或 GBK）或 Excel（.xlsx）文件，第一行为表头：公开事项、公开内容、内容概述（可选）、公开依据、公开时限、公开主体（或牵头科室）、公开渠道、公开对象、公开方式、公开层级。" }
                form.stack method="post" action="/staff/catalog" enctype="multipart/form-data" {
                    (csrf_field(csrf))
                    div.field { label for="catalog-file" { "目录文件" } input #catalog-file type="file" name="files" accept=".csv,.xlsx" required; }
                    p { button type="submit" { "导入" } }
                }
                p.muted { "逐行检查通过后由服务器分批写入，可在" a href="/staff/imports" { "导入任务" } "中查看进度。" }
            }
        },
    ))
}

pub async fn import<S: Store + 'static>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    CsrfUpload(submitted): CsrfUpload,
) -> Result<Response, WebError> {
    let Some(file) = submitted.files.into_iter().next() else {
        let page = view(&app, &staff, &csrf, "", &["请选择要导入的文件".into()]).await?;
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let file_name = file.name.clone();
    let rows = match uploads::rows_of(file).await {
        Ok(rows) => rows,
        Err(e) => {
            let page = view(&app, &staff, &csrf, "", &[e]).await?;
            return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    match register::import_catalog(&app, &staff.actor, &file_name, &rows).await {
        Ok(Ok(job)) => Ok(Redirect::to(&format!("/staff/imports/{}", job.id)).into_response()),
        Err(e @ WebError::Field { .. }) => {
            let page = view(&app, &staff, &csrf, "", &[e.message()]).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e),
        Ok(Err(errors)) => {
            let page = view(&app, &staff, &csrf, "", &errors).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
