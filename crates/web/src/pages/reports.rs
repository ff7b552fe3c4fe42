//! 年度报告 on the portal: the list of an agency's published reports, each report in the page
//! frame, its downloads (`.md .html .docx .xlsx .json .pdf`), and `/reports/{year}` for the
//! agency the site belongs to. Also the report view the back office shares, with links from
//! every table cell to the records counted in it.

use std::sync::Arc;

use axum::{
    extract::{Path, Query, State},
    response::{IntoResponse, Response},
};
use gongkai_domain::{Agency, store::Store};
use gongkai_report::{Report, render};
use maud::{Markup, html};
use serde::Deserialize;

use crate::{
    app::App,
    error::WebError,
    report_view::{FORMATS, NoLinks, download, report_body},
    usecases::annual,
    views::{Chrome, page},
};

type Shared<S> = State<Arc<App<S>>>;

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
    app.agency_named(code).await
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
                        @if let Some(date) = &report.meta.published_date { " " span.muted { "发布日期 " (chinese_date(date)) } }
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
            &app.report_files,
            report,
            format,
            &format!("report-{}-{year}-v{number}", agency.code),
        )
        .await;
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
                @for (label, value) in render::metadata_lines(report) { tr { th { (label) } td { (chinese_date(&value)) } } }
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
                            @if let Some(d) = &r.meta.published_date { "（" (chinese_date(d)) "发布）" }
                            @if Some(*n) != newest { " " span.tag { "已更正" } }
                        }
                    }
                }
            }
        },
    )
    .into_response())
}

/// `2026-11-27` → `2026年11月27日`, the one style of the public pages; anything else as it is.
fn chinese_date(value: &str) -> String {
    gongkai_law::parse_date("date", value)
        .map_or_else(|_| value.to_string(), gongkai_law::date::chinese)
}
