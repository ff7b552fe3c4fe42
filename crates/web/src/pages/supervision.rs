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
    annual::{self, ImportedReport, ReportStatus},
    records,
    store::{Store, subtree},
};
use gongkai_law::Date;
use gongkai_report::{
    Finding, Report, Severity, Status,
    batch::Reviewed,
    model::Table3Row,
    render,
    review::{Decisions, Fingerprint, Standing, Verdict, fingerprint},
};
use maud::{Markup, html};

use crate::{
    app::App,
    error::WebError,
    report_view::{NoLinks, ReportQuery, download, report_body},
    security::{CsrfForm, CsrfToken, Staff, check_csrf},
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
    /// What the reader and the checks found in its report.
    findings: Vec<Finding>,
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
        let (source, report, check, findings) = match (published, imported) {
            (Some((report, on)), _) => {
                let previous = assembly::previous(app, &code, year).await?;
                let findings = gongkai_report::check(&report, previous.as_ref().map(|(r, _)| r));
                let check = checked(&findings);
                (
                    Source::Published(on.unwrap_or(today)),
                    report,
                    check,
                    findings,
                )
            }
            (None, Some(imported)) => {
                let assessment = imported.value.assess(None);
                (
                    Source::Imported(imported.value.source.clone()),
                    assessment.reading.report,
                    assessment.status,
                    assessment.findings,
                )
            }
            (None, None) => {
                let edits = versions
                    .last()
                    .map(|v| v.record.value.edits.clone())
                    .unwrap_or_default();
                let assembled = assembly::assemble(app, &agency, year, &edits).await?;
                let check = checked(&assembled.findings);
                (Source::Records, assembled.report, check, assembled.findings)
            }
        };
        let errors = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
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
            findings,
            overdue_applications,
            late_publications,
        });
    }
    Ok(out)
}

fn checked(findings: &[Finding]) -> Status {
    if findings.iter().any(|f| f.severity == Severity::Error) {
        Status::Inconsistent
    } else {
        Status::Consistent
    }
}

/// A finding with the row (agency) whose report it is in.
type RowFinding = (usize, Reviewed);

/// Every finding of the agencies' reports with where it stands against the decisions taken.
fn reviewed(rows: &[Row], decisions: &Decisions, year: i16) -> Vec<RowFinding> {
    let mut out = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let document = annual::review::document(&row.agency.code, year);
        for finding in &row.findings {
            let print = fingerprint(&document, finding);
            out.push((
                i,
                Reviewed {
                    standing: decisions.standing(&print),
                    quote: gongkai_report::batch::quote(&row.report, finding),
                    finding: finding.clone(),
                    print,
                },
            ));
        }
    }
    out
}

fn findings_table(
    rows: &[Row],
    findings: &[&(usize, Reviewed)],
    year: i16,
    csrf: &CsrfToken,
) -> Markup {
    html! {
        div.scroll tabindex="0" { table.findings {
            thead { tr { th { "机关" } th { "严重程度" } th { "位置" } th { "说明" } th { "原文（表格中的这一行）" } th { "核查" } } }
            tbody {
                @for (i, r) in findings {
                    @let row = &rows[*i];
                    tr class=(if r.finding.severity == Severity::Error { "error" } else { "warning" }) {
                        th scope="row" { (row.agency.name) }
                        td title=(r.finding.code.as_str()) { (r.finding.severity.label()) br; small.muted { (r.finding.code.label()) } }
                        td { (r.finding.location) }
                        td { (r.finding.message) }
                        td { (r.quote.as_deref().unwrap_or("")) }
                        td {
                            @match &r.standing {
                                Standing::Decided(d) => { "已" (d.verdict.label()) "：" (d.reason) " （" (d.reviewer) " " (d.date) "）" }
                                Standing::Changed(d) => { span.tag.overdue { "有变化" } " 此处曾" (d.verdict.label()) "（" (d.reason) "），数字已不同" }
                                Standing::New => { span.tag { "新发现" } }
                            }
                            form.stack method="post" action="/staff/supervision/findings" {
                                (csrf_field(csrf))
                                input type="hidden" name="year" value=(year);
                                input type="hidden" name="agency" value=(row.agency.code);
                                input type="hidden" name="fingerprint" value=(r.print.full);
                                input type="hidden" name="place" value=(r.print.place);
                                label { "结论 "
                                    select name="verdict" {
                                        option value="confirmed" { "确认" }
                                        option value="dismissed" { "驳回（须写理由）" }
                                    }
                                }
                                label { "理由（驳回必填）" input type="text" name="reason" maxlength="500"; }
                                button type="submit" { "提交" }
                            }
                        }
                    }
                }
            }
        } }
    }
}

fn summed(rows: &[Row], root: &Agency, year: i16) -> Report {
    let reports: Vec<&Report> = rows.iter().map(|r| &r.report).collect();
    let mut total = gongkai_report::sum::reports(&reports);
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
    let decisions = assembly::finding_decisions(&app, &root.code, year).await?;
    let all_findings = reviewed(&rows, &decisions, year);
    let (open, decided): (Vec<&RowFinding>, Vec<&RowFinding>) =
        all_findings.iter().partition(|(_, r)| r.standing.open());
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
            div.scroll tabindex="0" { table #children {
                thead { tr { th { "机关" } th { "应发布日期" } th { "报告" } th { "核对" } th.num { "逾期未答复申请（截至" (today) "）" } th.num { "超期未公开信息（截至" (today) "）" } } }
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
                            td {
                                @if matches!(r.source, Source::Records) && r.status.is_none() {
                                    span.muted { "未编写" }
                                } @else {
                                    (r.check.label()) @if r.errors > 0 { "（" (r.errors) "项错误）" }
                                }
                            }
                            td.num { (r.overdue_applications) }
                            td.num { (r.late_publications) }
                        }
                    }
                }
            } }
            section #findings {
                h2 { "核查发现" }
                p #findings-tally { (open.len()) "项待核查，" (decided.len()) "项已处理。" span.muted { "逐项确认或驳回（驳回须写明理由）；已处理的不再列在这里，数字变化后会重新列出。" } }
                @if !open.is_empty() { (findings_table(&rows, &open, year, &csrf)) }
                @if !decided.is_empty() {
                    details #decided { summary { "已处理" (decided.len()) "项" } (findings_table(&rows, &decided, year, &csrf)) }
                }
            }
            div.grid2 {
                section { h2 { "逾期未答复的申请（按机关，截至" (today) "）" } (bars(&overdue, "overdue-chart", "件")) }
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

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DecisionForm {
    year: String,
    agency: String,
    fingerprint: String,
    place: String,
    verdict: String,
    reason: String,
}

/// 核查: a supervisor confirms or dismisses one finding; back to the summary's findings.
pub async fn decide<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> Result<Response, WebError> {
    supervised(&staff)?;
    let year = report_year(&app, form.year.trim().parse::<i16>().ok())?;
    let agency = AgencyCode::parse(form.agency.trim())
        .map_err(|_| WebError::BadRequest("缺少机关代码".into()))?;
    let verdict = Verdict::parse(&form.verdict)
        .ok_or_else(|| WebError::field("verdict", "请选择结论：确认或驳回"))?;
    let print = Fingerprint {
        full: form.fingerprint.trim().to_ascii_lowercase(),
        place: form.place.trim().to_ascii_lowercase(),
    };
    assembly::decide_finding(
        &app,
        &staff.actor,
        year,
        agency,
        &print,
        verdict,
        &form.reason,
        staff.user.name.as_str(),
    )
    .await?;
    Ok(
        axum::response::Redirect::to(&format!("/staff/supervision?year={year}#findings"))
            .into_response(),
    )
}
