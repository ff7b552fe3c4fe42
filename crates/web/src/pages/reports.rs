//! 年度报告 on the portal: the list of an agency's published reports, each report in the page
//! frame, its downloads (`.md .html .docx .xlsx .json .pdf`), and `/reports/{year}` for the
//! agency the site belongs to. Also the report view the back office shares, with links from
//! every table cell to the records counted in it.

use std::sync::Arc;

use axum::{
    extract::{Path, Query, State},
    http::header,
    response::{IntoResponse, Response},
};
use gongkai_domain::{Agency, AgencyCode, annual::ReportStatus, store::Store};
use gongkai_report::{
    Report,
    model::{SectionKind, TABLE4_COLUMNS, Table3Column, Table3Row, Table4Group},
    render,
};
use maud::{Markup, html};
use serde::Deserialize;

use crate::{
    annual,
    app::App,
    error::WebError,
    views::{Chrome, page},
};

type Shared<S> = State<Arc<App<S>>>;

/// The download formats, with their labels.
pub const FORMATS: [(&str, &str); 6] = [
    ("md", "Markdown"),
    ("html", "网页"),
    ("docx", "Word"),
    ("xlsx", "Excel"),
    ("pdf", "PDF"),
    ("json", "JSON"),
];

/// Where a table cell of the report leads (the back office links cells to records).
pub trait CellLinks {
    /// Table 二 comes from the 第二十条 register.
    fn table2(&self) -> Option<String> {
        None
    }
    fn table3(&self, row: Table3Row, column: Table3Column) -> Option<String>;
    fn table4(&self, group: Table4Group, column: usize) -> Option<String>;
}

/// The portal links nowhere.
pub struct NoLinks;

impl CellLinks for NoLinks {
    fn table3(&self, _: Table3Row, _: Table3Column) -> Option<String> {
        None
    }
    fn table4(&self, _: Table4Group, _: usize) -> Option<String> {
        None
    }
}

fn figure(value: Option<u64>, link: Option<String>, label: String) -> Markup {
    match (value, link) {
        (Some(n), Some(href)) if n > 0 => {
            html! { a href=(href) aria-label={ (label) "：" (n) "件" } { (n) } }
        }
        (Some(n), _) => html! { (n) },
        (None, _) => html! { span.muted title="空白（未填报）" { "—" } },
    }
}

/// Tables 二/三/四 and the narrative, in the report's order.
pub fn report_body(
    report: &Report,
    links: &dyn CellLinks,
    editor: Option<&dyn Fn(SectionKind) -> Markup>,
) -> Markup {
    html! {
        @for p in &report.preamble { p.indent { (p) } }
        @for kind in SectionKind::ALL {
            section.report-section id={ "section-" (kind.code()) } {
                h2 { (kind.heading()) }
                @match kind {
                    SectionKind::Proactive => {
                        (table2(report, links))
                        @if let Some(href) = links.table2() { p.muted { "表二由" a href=(href) { "第二十条登记" } "的规章、行政规范性文件和各项处理决定数、收费金额计算。" } }
                    }
                    SectionKind::Applications => (table3(report, links)),
                    SectionKind::Appeals => (table4(report, links)),
                    _ => {
                        @for p in render::narrative(report, kind).unwrap_or_default() {
                            @if is_subheading(p) { h3 { (p) } } @else { p.indent { (p) } }
                        }
                    }
                }
                @if let Some(editor) = editor { (editor(kind)) }
            }
        }
    }
}

fn is_subheading(p: &str) -> bool {
    p.starts_with('（') && p.chars().count() <= 30 && !p.ends_with('。')
}

fn table2(report: &Report, links: &dyn CellLinks) -> Markup {
    let register = links.table2();
    html! {
        div.scroll { table #table2 {
            @for (heading, columns, rows) in render::table2_blocks(report) {
                tr { th colspan="4" { (heading) } }
                tr { th { "信息内容" } @for c in columns { th { (c) } } }
                @for row in rows {
                    tr {
                        th scope="row" { (row.item.label(report.table2.format)) }
                        @for cell in &row.cells {
                            td.num {
                                @match (&register, row.item) {
                                    // 规章 and 行政规范性文件 open the documents counted; the rest the year's figures.
                                    (Some(href), gongkai_report::model::Table2Item::Regulations | gongkai_report::model::Table2Item::NormativeDocuments) => {
                                        a href={ (href) "#documents" } { (render::table2_value(cell)) }
                                    }
                                    (Some(href), _) => { a href={ (href) "#table2" } { (render::table2_value(cell)) } }
                                    (None, _) => { (render::table2_value(cell)) }
                                }
                            }
                        }
                    }
                }
            }
        } }
    }
}

fn table3(report: &Report, links: &dyn CellLinks) -> Markup {
    html! {
        div.scroll { table #table3 {
            thead { tr { th { "项目" } @for c in Table3Column::ALL { th.num { (c.label()) } } } }
            tbody {
                @for (row, cells) in &report.table3.rows {
                    tr {
                        th scope="row" { (row.label()) }
                        @for c in Table3Column::ALL {
                            td.num { (figure(cells[c.index()], links.table3(*row, c), format!("{}，{}", row.short_label(), c.label()))) }
                        }
                    }
                }
            }
        } }
    }
}

fn table4(report: &Report, links: &dyn CellLinks) -> Markup {
    html! {
        div.scroll { table #table4 {
            thead {
                tr { th { "类别" } @for c in TABLE4_COLUMNS { th.num { (c) } } }
            }
            tbody {
                @for group in Table4Group::ALL {
                    tr {
                        th scope="row" { @if group != Table4Group::Reconsideration { "行政诉讼 · " } (group.label()) }
                        @for (i, cell) in report.table4.group(group).iter().enumerate() {
                            td.num { (figure(*cell, links.table4(group, i), format!("{}，{}", group.label(), TABLE4_COLUMNS[i]))) }
                        }
                    }
                }
            }
        } }
    }
}

/// A report file in one format.
pub fn download(report: &Report, format: &str, base: &str) -> Result<Response, WebError> {
    let internal = |e: String| WebError::Internal(e);
    let (bytes, media) = match format {
        "md" => (
            render::markdown::render(report).into_bytes(),
            "text/markdown; charset=utf-8",
        ),
        "html" => (
            render::html::render(report).into_bytes(),
            "text/html; charset=utf-8",
        ),
        "docx" => (
            render::docx::render(report).map_err(internal)?,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        "xlsx" => (
            render::xlsx::render(report).map_err(internal)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        "json" => (
            serde_json::to_string_pretty(&gongkai_report::json::to_json(report))
                .map_err(|e| internal(e.to_string()))?
                .into_bytes(),
            "application/json",
        ),
        #[cfg(feature = "pdf")]
        "pdf" => (
            gongkai_report_pdf::render(report).map_err(internal)?,
            "application/pdf",
        ),
        #[cfg(not(feature = "pdf"))]
        "pdf" => {
            return Err(WebError::NotFound(
                "本服务器编译时未启用 PDF（typst），请下载 Word 或网页版本".into(),
            ));
        }
        other => {
            return Err(WebError::NotFound(format!(
                "没有「{other}」格式：可下载 {}",
                FORMATS.map(|(c, _)| c).join("、")
            )));
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, media.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{base}.{format}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// `2023` or `2023.md`.
fn year_and_format(file: &str) -> Result<(i16, Option<&str>), WebError> {
    let (year, format) = match file.split_once('.') {
        Some((y, f)) => (y, Some(f)),
        None => (file, None),
    };
    let year = year
        .parse::<i16>()
        .ok()
        .filter(|y| (2008..=2100).contains(y))
        .ok_or_else(|| {
            WebError::NotFound(format!(
                "「{file}」不是年度报告的地址，例如 /reports/2023 或 /reports/2023.md"
            ))
        })?;
    Ok((year, format))
}

#[derive(Deserialize, Default)]
pub struct VersionQuery {
    #[serde(default)]
    pub v: Option<u32>,
}

async fn portal_agency<S: Store>(app: &App<S>, code: &str) -> Result<Agency, WebError> {
    let code = AgencyCode::parse(code).map_err(|_| WebError::NotFound("没有这个机关".into()))?;
    app.agency(&code).await.map_err(WebError::from)
}

/// `/agencies/{code}/reports`: every year with a published report.
pub async fn list<S: Store>(
    State(app): Shared<S>,
    Path(code): Path<String>,
) -> Result<Markup, WebError> {
    let agency = portal_agency(&app, &code).await?;
    let this = app.today().year();
    let mut years = Vec::new();
    for year in (2008..this).rev() {
        if let Some((number, report)) = annual::published(&app, &agency.code, year).await? {
            years.push((year, number, report));
        }
    }
    Ok(page(
        "年度报告",
        Chrome {
            agency: Some(&agency),
            ..Chrome::default()
        },
        html! {
            h1 { (agency.name) "政府信息公开工作年度报告" }
            p { "依据《条例》第四十九条、第五十条，本机关每年公布上一年度政府信息公开工作年度报告（部门、乡镇街道于1月31日前，县级以上人民政府于3月31日前）。" }
            @if years.is_empty() { p.muted #no-reports { "目前尚无已发布的年度报告。" } }
            ul #reports {
                @for (year, number, report) in &years {
                    li {
                        a href={ "/agencies/" (agency.code) "/reports/" (year) } { (render::title(report)) }
                        @if *number > 1 { " " span.tag { "更正版" } }
                        @if let Some(date) = &report.meta.published_date { " " span.muted { "发布日期 " (date) } }
                    }
                }
            }
        },
    ))
}

/// `/agencies/{code}/reports/{year}` and its downloads.
pub async fn show<S: Store>(
    State(app): Shared<S>,
    Path((code, file)): Path<(String, String)>,
    Query(query): Query<VersionQuery>,
) -> Result<Response, WebError> {
    let agency = portal_agency(&app, &code).await?;
    show_for(&app, &agency, &file, query.v).await
}

/// `/reports/{year}`: the report of the agency this site belongs to (`--site-agency`).
pub async fn site<S: Store>(
    State(app): Shared<S>,
    Path(file): Path<String>,
    Query(query): Query<VersionQuery>,
) -> Result<Response, WebError> {
    let Some(code) = app.config.site_agency.clone() else {
        return Err(WebError::NotFound(
            "本网站未指定所属机关（gongkai serve --site-agency 机关代码）；请从首页选择机关后查看其年度报告".into(),
        ));
    };
    let agency = app.agency(&code).await?;
    show_for(&app, &agency, &file, query.v).await
}

async fn show_for<S: Store>(
    app: &App<S>,
    agency: &Agency,
    file: &str,
    version: Option<u32>,
) -> Result<Response, WebError> {
    let (year, format) = year_and_format(file)?;
    let versions = annual::versions(app, &agency.code, year).await?;
    let published: Vec<(u32, Report)> = versions
        .iter()
        .filter_map(|v| v.published().map(|r| (v.record.value.number, r)))
        .collect();
    let newest = published.last().map(|(n, _)| *n);
    let chosen = match version {
        Some(n) => published.iter().find(|(number, _)| *number == n),
        None => published.last(),
    };
    let Some((number, report)) = chosen else {
        return Err(WebError::NotFound(format!(
            "{}尚未发布{year}年度报告",
            agency.name
        )));
    };
    if let Some(format) = format {
        return download(
            report,
            format,
            &format!("report-{}-{year}-v{number}", agency.code),
        );
    }
    let superseded = Some(*number) != newest;
    let correction = versions
        .iter()
        .find(|v| v.record.value.number == *number)
        .and_then(|v| v.record.value.correction_reason.clone());
    let query = if superseded {
        format!("?v={number}")
    } else {
        String::new()
    };
    let base = format!("/agencies/{}/reports/{year}", agency.code);
    Ok(page(
        &render::title(report),
        Chrome { agency: Some(agency), ..Chrome::default() },
        html! {
            @if superseded {
                p.alert role="alert" #superseded { "此版本已被更正，" a href=(base) { "查看最新版本" } "。" }
            }
            table.meta {
                @for (label, value) in render::metadata_lines(report) { tr { th { (label) } td { (value) } } }
            }
            h1 { (render::title(report)) }
            @if let Some(reason) = correction { p.muted { "更正说明：" (reason) } }
            p.downloads {
                "下载："
                @for (ext, label) in FORMATS {
                    a href={ (base) "." (ext) (query) } { (label) } " "
                }
            }
            (report_body(report, &NoLinks, None))
            @if published.len() > 1 {
                h2 { "各版本" }
                ul {
                    @for (n, r) in &published {
                        li {
                            a href={ (base) "?v=" (n) } { "第" (n) "版" }
                            @if let Some(d) = &r.meta.published_date { "（" (d) "发布）" }
                            @if Some(*n) != newest { " " span.tag { "已更正" } }
                        }
                    }
                }
            }
        },
    )
    .into_response())
}

/// The status words for a version in lists.
pub fn status_tag(status: &ReportStatus) -> Markup {
    let class = match status {
        ReportStatus::Published => "ok",
        ReportStatus::Returned => "overdue",
        _ => "soon",
    };
    html! { span class={ "tag " (class) } { (status.label()) } }
}
