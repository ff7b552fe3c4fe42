//! 第二十条 register in the back office: 规章 and 行政规范性文件 as issued and repealed, each
//! year's decisions and fees, and table 二 of any year computed from them.

use std::sync::Arc;

use axum::{
    extract::{Query, State},
    response::{IntoResponse, Redirect, Response},
};
use gongkai_domain::{
    Role,
    register::{DocumentKind, YearFigures, table2},
    store::Store,
};
use gongkai_law::parse_date;
use gongkai_report::model::Format;
use maud::{Markup, html};
use serde::Deserialize;

use crate::{
    app::App,
    error::WebError,
    security::{CsrfForm, CsrfToken, CsrfUpload, Staff},
    usecases::{register, statistics::year_of},
    views::{chrome, csrf_field, page, urlencode},
};

type Shared<S> = State<Arc<App<S>>>;

#[derive(Deserialize, Default)]
pub struct YearQuery {
    #[serde(default)]
    year: Option<i16>,
    #[serde(default)]
    done: String,
}

pub async fn register_page<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    Query(query): Query<YearQuery>,
) -> Result<Markup, WebError> {
    let year = year_of(&app, query.year)?;
    view(&app, &staff, &csrf, year, &query.done, None).await
}

async fn view<S: Store>(
    app: &App<S>,
    staff: &Staff,
    csrf: &CsrfToken,
    year: i16,
    done: &str,
    error: Option<&str>,
) -> Result<Markup, WebError> {
    let agency = app.agency(&staff.user.agency).await?;
    let documents = app.store.register_documents(&agency.code).await?;
    let figures = app.store.year_figures(&agency.code, year).await?;
    let table = table2(&documents, &figures, year);
    let figure = |v: Option<u64>| v.map(|n| n.to_string()).unwrap_or_default();
    let editable = staff.actor.has(Role::CaseOfficer) || staff.actor.has(Role::Administrator);
    Ok(page(
        "第二十条信息登记",
        chrome(staff, csrf),
        html! {
            h1 { (agency.name) " · " (year) "年主动公开政府信息情况（表二）" }
            p { a href={ "/staff/register20?year=" (year - 1) } { "← " (year - 1) "年" } " · " a href={ "/staff/register20?year=" (year + 1) } { (year + 1) "年 →" } }
            @if !done.is_empty() { p.notice role="status" { "已" (done) "。" } }
            @if let Some(e) = error { p.alert role="alert" { (e) } }
            div.scroll tabindex="0" { table #table2 {
                thead { tr { th { "依据" } th { "信息内容" } th { "数据" } } }
                tbody { @for row in &table.rows {
                    tr {
                        td { (row.item.article_item()) }
                        td { (row.item.label(Format::Current2021)) }
                        td { @for (label, cell) in row.item.columns(Format::Current2021).iter().zip(&row.cells) {
                            (label) "：" @match cell { Some(v) => { strong { (v) } }, None => { span.muted { "未填" } } } br;
                        } }
                    }
                } }
            } }
            p.muted { "规章和行政规范性文件由下面的登记自动统计：本年制发、本年废止、年底现行有效。" }
            h2 { "规章和行政规范性文件" }
            div.scroll tabindex="0" { table #documents {
                thead { tr { th { "类别" } th { "名称" } th { "文号" } th { "制发日期" } th { "废止日期" } } }
                tbody { @for d in &documents {
                    tr { td { (d.kind.label()) } td { (d.title) } td { (d.doc_number) } td { (d.issued_on) }
                        td {
                            @if let Some(r) = d.repealed_on { (r) }
                            @else if editable {
                                form.inline method="post" action="/staff/register20/repeal" {
                                    (csrf_field(csrf))
                                    input type="hidden" name="id" value=(d.id);
                                    input type="hidden" name="year" value=(year);
                                    label for={ "repeal-" (d.id) } { "废止于" }
                                    input id={ "repeal-" (d.id) } type="date" name="date" required;
                                    button.secondary type="submit" { "登记废止" }
                                }
                            }
                        }
                    }
                } }
            } }
            @if editable {
                h2 { "登记新文件" }
                form.stack method="post" action="/staff/register20/documents" {
                    (csrf_field(csrf))
                    input type="hidden" name="year" value=(year);
                    div.field { label for="doc-kind" { "类别" } select #doc-kind name="kind" { option value="normative_document" { "行政规范性文件" } option value="regulation" { "规章" } } }
                    div.field { label for="doc-title" { "名称" } input #doc-title type="text" name="title" required; }
                    div.field { label for="doc-number" { "文号" } input #doc-number type="text" name="doc_number" required; }
                    div.field { label for="doc-issued" { "制发日期" } input #doc-issued type="date" name="issued_on" required; }
                    p { button type="submit" { "登记" } }
                }
                h2 { "导入规章和行政规范性文件" }
                p.muted { "CSV（UTF-8 或 GBK）或 Excel（.xlsx）文件，第一行为表头：类别（规章或行政规范性文件）、名称、文号、制发日期，可有废止日期；日期为 YYYY-MM-DD 或 Excel 日期。全部正确才导入，有问题的行逐行说明。" }
                form.stack method="post" action="/staff/register20/import" enctype="multipart/form-data" {
                    (csrf_field(csrf))
                    input type="hidden" name="year" value=(year);
                    div.field { label for="register-file" { "登记文件" } input #register-file type="file" name="files" accept=".csv,.xlsx" required; }
                    p { button type="submit" { "导入" } }
                }
                p.muted { "逐行检查通过后由服务器分批写入，可在" a href="/staff/imports" { "导入任务" } "中查看进度。" }
                h2 { (year) "年处理决定和收费" }
                form.stack method="post" action="/staff/register20/figures" {
                    (csrf_field(csrf))
                    input type="hidden" name="year" value=(year);
                    div.field { label for="fig-licensing" { "行政许可 本年处理决定数量" } input #fig-licensing type="number" min="0" name="licensing" value=(figure(figures.licensing)); }
                    div.field { label for="fig-punishment" { "行政处罚 本年处理决定数量" } input #fig-punishment type="number" min="0" name="punishment" value=(figure(figures.punishment)); }
                    div.field { label for="fig-enforcement" { "行政强制 本年处理决定数量" } input #fig-enforcement type="number" min="0" name="enforcement" value=(figure(figures.enforcement)); }
                    div.field { label for="fig-fees" { "行政事业性收费 本年收费金额（万元）" } input #fig-fees type="text" inputmode="decimal" name="fees" value=(figures.fees_wan_yuan.map(|d| d.to_string()).unwrap_or_default()); }
                    p.muted { "未发生的填 0；留空表示尚未统计（年报中为空白，核对时作为未知）。" }
                    p { button type="submit" { "保存" } }
                }
            }
        },
    ))
}

/// 登记规章或行政规范性文件.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DocumentForm {
    year: String,
    kind: String,
    title: String,
    doc_number: String,
    issued_on: String,
}

pub async fn add_document<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<DocumentForm>,
) -> Result<Response, WebError> {
    let year = year_of(&app, form.year.trim().parse().ok())?;
    let result = async {
        let kind = DocumentKind::parse(form.kind.trim())
            .ok_or_else(|| WebError::field("类别", "请选择规章或行政规范性文件"))?;
        let issued = parse_date("制发日期", form.issued_on.trim())
            .map_err(|_| WebError::field("制发日期", "格式应为 YYYY-MM-DD"))?;
        let (title, number) = (form.title.trim(), form.doc_number.trim());
        register::add_document(&app, &staff.actor, kind, title, number, issued).await?;
        Ok(())
    }
    .await;
    finish(&app, &staff, &csrf, year, result, "登记文件").await
}

/// 导入 — 规章 and 行政规范性文件 from CSV (UTF-8 or GBK) or XLSX; every bad row reported with
/// its line, and nothing saved unless all are good.
pub async fn import<S: Store + 'static>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    CsrfUpload(submitted): CsrfUpload,
) -> Result<Response, WebError> {
    let year = year_of(&app, submitted.get("year").parse().ok())?;
    let result = async {
        let file = submitted
            .files
            .into_iter()
            .next()
            .ok_or_else(|| WebError::field("文件", "请选择要导入的 CSV 或 Excel 文件"))?;
        let file_name = file.name.clone();
        let rows = crate::uploads::rows_of(file)
            .await
            .map_err(|e| WebError::field("文件", e))?;
        register::import_documents(&app, &staff.actor, &file_name, &rows).await
    }
    .await;
    match result {
        // Checked; the server writes it in pieces while the clerk watches its progress.
        Ok(job) => Ok(Redirect::to(&format!("/staff/imports/{}", job.id)).into_response()),
        Err(e) => finish(&app, &staff, &csrf, year, Err(e), "导入文件").await,
    }
}

/// 登记废止.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RepealForm {
    year: String,
    id: String,
    date: String,
}

pub async fn repeal<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<RepealForm>,
) -> Result<Response, WebError> {
    let year = year_of(&app, form.year.trim().parse().ok())?;
    let result = async {
        let id: u64 = form
            .id
            .trim()
            .parse()
            .map_err(|_| WebError::NotFound("没有这份文件".into()))?;
        let date = parse_date("废止日期", form.date.trim())
            .map_err(|_| WebError::field("废止日期", "格式应为 YYYY-MM-DD"))?;
        register::repeal(&app, &staff.actor, id, date).await?;
        Ok(())
    }
    .await;
    finish(&app, &staff, &csrf, year, result, "登记废止").await
}

/// 行政许可、处罚、强制决定数 and 收费金额（万元） of a year; blank stays blank.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FiguresForm {
    year: String,
    licensing: String,
    punishment: String,
    enforcement: String,
    fees: String,
}

pub async fn save_figures<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<FiguresForm>,
) -> Result<Response, WebError> {
    let year = year_of(&app, form.year.trim().parse().ok())?;
    let count = |text: &str, label: &str| -> Result<Option<u64>, WebError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        text.parse().map(Some).map_err(|_| {
            WebError::field(
                label,
                format!("「{text}」不是非负整数", text = gongkai_law::excerpt(text)),
            )
        })
    };
    let result = async {
        let fees = match form.fees.trim() {
            "" => None,
            t => Some(
                t.parse::<rust_decimal::Decimal>()
                    .ok()
                    .filter(|d| !d.is_sign_negative())
                    .ok_or_else(|| {
                        WebError::field("收费金额", format!("「{t}」不是金额（万元），如 1.25"))
                    })?,
            ),
        };
        let figures = YearFigures {
            licensing: count(&form.licensing, "行政许可")?,
            punishment: count(&form.punishment, "行政处罚")?,
            enforcement: count(&form.enforcement, "行政强制")?,
            fees_wan_yuan: fees,
        };
        register::save_figures(&app, &staff.actor, year, &figures).await
    }
    .await;
    finish(&app, &staff, &csrf, year, result, "保存处理决定和收费").await
}

async fn finish<S: Store>(
    app: &App<S>,
    staff: &Staff,
    csrf: &CsrfToken,
    year: i16,
    result: Result<(), WebError>,
    done: &str,
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!(
            "/staff/register20?year={year}&done={}",
            urlencode(done)
        ))
        .into_response()),
        Err(e @ (WebError::Field { .. } | WebError::NotFound(_))) => {
            let page = view(app, staff, csrf, year, "", Some(&e.message())).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e),
    }
}
