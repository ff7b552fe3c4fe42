//! 监督 — a supervisor's view of the agencies below: for a year, who has published the annual
//! report by its 第四十九条 date, each one's checks, the tables summed (XLSX of every agency's
//! tables, a region-level draft), reports of agencies that do not run gongkai read in by the
//! batch, and the dashboard of overdue applications and publications with their trend.

use std::sync::Arc;

use axum::{
    extract::{Query, State},
    http::header,
    response::{IntoResponse, Response},
};
use gongkai_domain::{
    Agency, AgencyCode, Role,
    annual::{self, ImportedReport, ReportStatus, rollup},
    records,
    store::{Store, subtree},
};
use gongkai_law::Date;
use gongkai_report::{Report, Severity, Status, model::Table3Row, render};
use maud::{Markup, html};

use crate::{
    app::App,
    error::WebError,
    report_view::{NoLinks, ReportQuery, download, report_body},
    security::{CsrfToken, Staff, check_csrf},
    usecases::{annual as assembly, statistics::report_year},
    views::{chrome, csrf_field, page},
};

type Shared<S> = State<Arc<App<S>>>;

/// Where an agency's figures for the year come from.
enum Source {
    Published(Date),
    Imported(String),
    Records,
}

struct Row {
    agency: Agency,
    due: Date,
    source: Source,
    status: Option<ReportStatus>,
    report: Report,
    check: Status,
    errors: usize,
    overdue_applications: usize,
    late_publications: usize,
}

fn supervised(staff: &Staff) -> Result<(), WebError> {
    if staff.actor.has(Role::Supervisor) {
        Ok(())
    } else {
        Err(WebError::Forbidden(
            "只有上级监督人员可查看下级机关汇总".into(),
        ))
    }
}

async fn rows<S: Store>(app: &App<S>, root: &AgencyCode, year: i16) -> Result<Vec<Row>, WebError> {
    let all = app.store.agencies().await?;
    let codes = subtree(&all, root);
    let calendar = app.calendar();
    let today = app.today();
    let mut out = Vec::new();
    for code in codes {
        let Some(agency) = all.iter().find(|a| a.code == code).cloned() else {
            continue;
        };
        let versions = assembly::versions(app, &code, year).await?;
        let published = versions.iter().rev().find_map(|v| {
            v.published()
                .map(|r| (r, v.publication.as_ref().and_then(|p| p.published_on)))
        });
        let imported =
            records::load::<ImportedReport, _>(&app.store, &code, &year.to_string()).await?;
        let (source, report, check, errors) = match (published, imported) {
            (Some((report, on)), _) => {
                let previous = assembly::previous(app, &code, year).await?;
                let findings = gongkai_report::check(&report, previous.as_ref().map(|(r, _)| r));
                let errors = findings
                    .iter()
                    .filter(|f| f.severity == Severity::Error)
                    .count();
                let check = if errors > 0 {
                    Status::Inconsistent
                } else {
                    Status::Consistent
                };
                (
                    Source::Published(on.unwrap_or(today)),
                    report,
                    check,
                    errors,
                )
            }
            (None, Some(imported)) => {
                let assessment = imported.value.assess(None);
                let errors = assessment.errors();
                (
                    Source::Imported(imported.value.source.clone()),
                    assessment.reading.report,
                    assessment.status,
                    errors,
                )
            }
            (None, None) => {
                let edits = versions
                    .last()
                    .map(|v| v.record.value.edits.clone())
                    .unwrap_or_default();
                let assembled = assembly::assemble(app, &agency, year, &edits).await?;
                let errors = assembled
                    .findings
                    .iter()
                    .filter(|f| f.severity == Severity::Error)
                    .count();
                let check = if errors > 0 {
                    Status::Inconsistent
                } else {
                    Status::Consistent
                };
                (Source::Records, assembled.report, check, errors)
            }
        };
        let applications = app.store.applications(&code).await?;
        let overdue_applications = applications
            .iter()
            .filter(|a| a.state.is_open())
            .filter(|a| {
                a.deadline(
                    &calendar,
                    agency.settings.fee_wait_pauses_clock,
                    Some(today),
                )
                .ok()
                .and_then(|d| d.working_days_left)
                .is_some_and(|left| left < 0)
            })
            .count();
        let late_publications = app
            .store
            .publications(&code)
            .await?
            .iter()
            .filter(|p| p.published_on.is_none() && p.is_late(&calendar, today))
            .count();
        out.push(Row {
            due: annual::due_date(agency.level, year),
            status: versions.last().map(assembly::VersionView::status),
            agency,
            source,
            report,
            check,
            errors,
            overdue_applications,
            late_publications,
        });
    }
    Ok(out)
}

fn summed(rows: &[Row], root: &Agency, year: i16) -> Report {
    let reports: Vec<&Report> = rows.iter().map(|r| &r.report).collect();
    let mut total = rollup::sum_reports(&reports);
    total.meta.title = Some(format!(
        "{}及所属机关{year}年政府信息公开工作年度报告数据汇总（草稿）",
        root.name
    ));
    total.meta.year = Some(i32::from(year));
    total.meta.agency = Some(root.name.clone());
    let facts = annual::YearFacts {
        agency_name: root.name.clone(),
        year,
        ..annual::YearFacts::default()
    };
    let mut overview = vec![
        format!(
            "本汇总由{}个机关的{year}年度报告数据相加而成（含本机关），供编写本级年度报告时参考；各机关的报告以其发布的为准。",
            rows.len()
        ),
        "（二）依申请公开".to_string(),
    ];
    overview.push(
        annual::narrative::applications_paragraph(&total, None, &facts)
            .replace("本机关", "全区（含所属机关）"),
    );
    overview.push(annual::narrative::appeals_sentence(&total));
    total.sections.push(gongkai_report::model::Section {
        kind: gongkai_report::model::SectionKind::Overview,
        paragraphs: overview,
    });
    total
}

pub async fn supervision_page<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    Query(query): Query<ReportQuery>,
) -> Result<Response, WebError> {
    supervised(&staff)?;
    let year = report_year(&app, query.year)?;
    let root = app.agency(&staff.user.agency).await?;
    let rows = rows(&app, &root.code, year).await?;
    let total = summed(&rows, &root, year);
    match query.format.as_str() {
        "" => {}
        "tables.xlsx" => {
            let named: Vec<(String, &Report)> = rows
                .iter()
                .map(|r| (r.agency.name.clone(), &r.report))
                .collect();
            let bytes = render::xlsx::many(&named).map_err(WebError::Internal)?;
            return Ok((
                [
                    (
                        header::CONTENT_TYPE,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                            .to_string(),
                    ),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"tables-{}-{year}.xlsx\"", root.code),
                    ),
                ],
                bytes,
            )
                .into_response());
        }
        format => {
            return download(
                &app.report_files,
                &total,
                format,
                &format!("rollup-{}-{year}", root.code),
            )
            .await;
        }
    }
    let today = app.today();
    let on_time = rows
        .iter()
        .filter(|r| matches!(r.source, Source::Published(d) if d <= r.due))
        .count();
    let trend = trend(&app, &rows, year).await?;
    let overdue: Vec<(String, usize)> = rows
        .iter()
        .map(|r| (r.agency.name.clone(), r.overdue_applications))
        .collect();
    Ok(page(
        "下级机关汇总",
        chrome(&staff, &csrf),
        html! {
            h1 { (root.name) " · " (year) "年度报告汇总与监督" }
            form.inline method="get" action="/staff/supervision" {
                div.field { label for="year" { "报告年度" } input #year type="number" name="year" value=(year) min="2008" max=(today.year()); }
                button type="submit" { "查看" }
                a.button.secondary href={ "/staff/supervision?year=" (year) "&format=tables.xlsx" } { "下载各机关表格（Excel）" }
                a.button.secondary href={ "/staff/supervision?year=" (year) "&format=md" } { "汇总草稿（Markdown）" }
                a.button.secondary href={ "/staff/supervision?year=" (year) "&format=docx" } { "汇总草稿（Word）" }
            }
            p #on-time { (rows.len()) "个机关中，" (on_time) "个已按期发布" (year) "年度报告（《条例》第四十九条）。" }
            div.scroll { table #children {
                thead { tr { th { "机关" } th { "应发布日期" } th { "报告" } th { "核对" } th.num { "逾期未答复申请" } th.num { "超期未公开信息" } } }
                tbody {
                    @for r in &rows {
                        @let late = !matches!(r.source, Source::Published(d) if d <= r.due) && today > r.due;
                        tr class=(if late { "overdue" } else { "" }) {
                            th scope="row" { a href={ "/staff/reports?year=" (year) "&agency=" (r.agency.code) } { (r.agency.name) } }
                            td { (r.due) }
                            td {
                                @match &r.source {
                                    Source::Published(d) => { "已发布（" (d) "）" @if *d > r.due { " " span.tag.overdue { "超期" } } }
                                    Source::Imported(s) => { "已导入（" (s) "）" }
                                    Source::Records => {
                                        @match &r.status { Some(s) => { (s.label()) }, None => { "未编写" } }
                                        @if late { " " span.tag.overdue { "超期未发布" } }
                                    }
                                }
                            }
                            td { (r.check.label()) @if r.errors > 0 { "（" (r.errors) "项错误）" } }
                            td.num { (r.overdue_applications) }
                            td.num { (r.late_publications) }
                        }
                    }
                }
            } }
            div.grid2 {
                section { h2 { "逾期未答复的申请（按机关）" } (bars(&overdue, "overdue-chart", "件")) }
                section { h2 { "收到申请件数（近五年，合计）" } (bars(&trend, "trend-chart", "件")) }
            }
            h2 { "汇总表（各机关相加；有空白单元格的，合计为空白）" }
            article.report { (report_body(&total, &NoLinks, None)) }
            section #import {
                h2 { "导入下级机关已发布的报告" }
                p.muted { "不使用本系统的下级机关：上传其已发布报告的文件（PDF、Word、Excel、网页或文本），文件名为机关代码（如 demo-dept.pdf、demo-dept.html），可一次选择多个文件。全部读取成功才导入；有问题的文件逐个说明。" }
                form.stack method="post" action="/staff/supervision/import" enctype="multipart/form-data" {
                    (csrf_field(&csrf))
                    input type="hidden" name="year" value=(year);
                    label for="reports" { "报告文件" }
                    input #reports type="file" name="files" multiple accept=".pdf,.docx,.xlsx,.html,.htm,.txt";
                    button type="submit" { "读取并导入" }
                }
            }
        },
    )
    .into_response())
}

/// Applications received per year across the subtree, for the five years up to `year`.
async fn trend<S: Store>(
    app: &App<S>,
    rows: &[Row],
    year: i16,
) -> Result<Vec<(String, usize)>, WebError> {
    let codes: Vec<AgencyCode> = rows.iter().map(|r| r.agency.code.clone()).collect();
    let mut out = Vec::new();
    for y in year - 4..=year {
        let table = app.store.table3_counts(&codes, y).await?.into_table();
        let n = table
            .cell(
                Table3Row::NewlyReceived,
                gongkai_report::model::Table3Column::Total,
            )
            .unwrap_or(0);
        out.push((format!("{y}年"), n as usize));
    }
    Ok(out)
}

/// Horizontal bars with the figure written beside each (no colour needed to read it).
fn bars(items: &[(String, usize)], id: &str, unit: &str) -> Markup {
    let max = items.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let (w, label_w, row_h) = (480.0, 200.0, 26.0);
    let h = row_h * items.len() as f64 + 8.0;
    let title = items
        .iter()
        .map(|(l, n)| format!("{l}{n}{unit}"))
        .collect::<Vec<_>>()
        .join("，");
    html! {
        svg.chart viewBox={ "0 0 " (w) " " (h) } role="img" aria-labelledby={ (id) "-title" } id=(id) {
            title id={ (id) "-title" } { (title) }
            @for (i, (label, n)) in items.iter().enumerate() {
                @let y = 4.0 + row_h * i as f64;
                @let width = *n as f64 / max as f64 * (w - label_w - 40.0);
                text x=(label_w - 6.0) y=(y + 17.0) text-anchor="end" font-size="12" fill="#1a1a1a" { (crate::views::short(label, 14)) }
                rect x=(label_w) y=(y + 3.0) width=(width.max(1.0)) height=(row_h - 8.0) fill="#0b4f9c" {}
                text x=(label_w + width + 4.0) y=(y + 17.0) font-size="12" fill="#1a1a1a" { (n) }
            }
        }
    }
}

/// The batch: files named by agency code. Every file is read and checked before any is kept;
/// one bad file and nothing is imported. Each agency's report is then saved on its own.
pub async fn import<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    request: axum::extract::Request,
) -> Result<Response, WebError> {
    supervised(&staff)?;
    let multipart = crate::uploads::multipart_of(request).await?;
    let submitted =
        crate::uploads::read_within(multipart, crate::uploads::UploadLimits::REPORT_BATCH).await?;
    let year = submitted.get("year").parse::<i16>().ok();
    let token = submitted.get(crate::security::CSRF_FIELD).to_string();
    let files: Vec<(&str, &[u8])> = submitted
        .files
        .iter()
        .filter(|f| !f.name.is_empty())
        .map(|f| (f.name.as_str(), f.bytes.as_slice()))
        .collect();
    // Checked here: the batch is read with its own limits (many files), not `CsrfUpload`'s.
    check_csrf(&csrf, &token)?;
    let year = report_year(&app, year)?;
    if files.is_empty() {
        return Err(WebError::field("files", "请选择要导入的报告文件"));
    }
    let all = app.store.agencies().await?;
    let below = subtree(&all, &staff.user.agency);
    let mut problems = Vec::new();
    let mut ready = Vec::new();
    for (file_name, bytes) in &files {
        let stem = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
        let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
        let Ok(code) = AgencyCode::parse(stem) else {
            problems.push(format!("「{file_name}」：文件名应为机关代码"));
            continue;
        };
        if !below.contains(&code) {
            problems.push(format!("「{file_name}」：{code} 不是本机关或所属机关"));
            continue;
        }
        let text = match crate::uploads::report_text(bytes.to_vec()).await {
            Ok(text) => text,
            Err(e) => {
                problems.push(format!("「{file_name}」：{e}"));
                continue;
            }
        };
        match ImportedReport::new(
            &staff.actor,
            code.clone(),
            year,
            file_name,
            &text,
            app.now(),
        ) {
            Ok(report) => ready.push(report),
            Err(e) => problems.push(format!("「{file_name}」：{e}")),
        }
    }
    if !problems.is_empty() {
        return Ok((
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            page(
                "导入未完成",
                chrome(&staff, &csrf),
                html! {
                    h1 { "导入未完成" }
                    p.alert role="alert" { "以下" (problems.len()) "个文件有问题，本次未导入任何报告。请更正后重新上传全部文件：" }
                    ul #import-problems { @for p in &problems { li { (p) } } }
                    p { a href={ "/staff/supervision?year=" (year) } { "← 返回汇总" } }
                },
            ),
        )
            .into_response());
    }
    let stamp = app.stamp(staff.user.name.as_str());
    for report in &ready {
        let existing =
            records::load::<ImportedReport, _>(&app.store, &report.agency, &year.to_string())
                .await?;
        records::save(
            &app.store,
            report,
            existing.map_or(0, |e| e.version),
            "import",
            &stamp,
        )
        .await?;
    }
    Ok(axum::response::Redirect::to(&format!("/staff/supervision?year={year}")).into_response())
}
