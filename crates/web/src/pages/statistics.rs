//! 统计 — the live table 三 of any year, every cell opening the applications counted in it,
//! and SVG charts: applications per month and outcomes. Supervisors choose any agency below
//! their own.

use std::sync::Arc;

use axum::extract::{Query, State};
use gongkai_domain::{
    Agency, AgencyCode, Role,
    stats::{self, Table3FromRecords},
    store::{Store, subtree},
};
use gongkai_law::Outcome;
use gongkai_report::model::{Format, Table3Column, Table3Row};
use maud::{Markup, html};
use serde::Deserialize;

use crate::{
    app::App,
    error::WebError,
    security::{CsrfToken, Staff},
    usecases::statistics::{table3_counted, visible_agency, year_of},
    views::{chrome, page, short, urlencode},
};

type Shared<S> = State<Arc<App<S>>>;

#[derive(Deserialize, Default)]
pub struct StatsQuery {
    #[serde(default)]
    pub year: Option<i16>,
    #[serde(default)]
    pub agency: Option<String>,
    #[serde(default)]
    pub row: String,
    #[serde(default)]
    pub column: String,
}

/// Table 三 with the applications behind every cell (reads every case's facts: for one cell's
/// list, not for showing the table).
pub async fn table3_of<S: Store>(
    app: &App<S>,
    agency: &AgencyCode,
    year: i16,
) -> Result<Table3FromRecords, WebError> {
    let facts = app.store.case_facts(agency, year).await?;
    Ok(stats::table3(&facts, year))
}

pub async fn statistics<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    Query(query): Query<StatsQuery>,
) -> Result<Markup, WebError> {
    let supervises = staff.actor.has(Role::Supervisor);
    let agency = visible_agency(
        &app,
        &staff.user.agency,
        supervises,
        query.agency.as_deref(),
    )
    .await?;
    let year = year_of(&app, query.year)?;
    let table = table3_counted(&app, &agency.code, year).await?;
    let applications = app.store.applications(&agency.code).await?;
    let mut per_month = [0u32; 12];
    for a in applications.iter().filter(|a| a.received.year() == year) {
        per_month[a.received.month() as usize - 1] += 1;
    }
    let outcomes: Vec<(Outcome, u32)> = Outcome::ALL
        .iter()
        .map(|o| {
            let n = table
                .cell(Table3Row::Result(*o), Table3Column::Total)
                .unwrap_or(0) as u32;
            (*o, n)
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    let below: Vec<Agency> = if supervises {
        let all = app.store.agencies().await?;
        let codes = subtree(&all, &staff.user.agency);
        all.into_iter()
            .filter(|a| codes.contains(&a.code))
            .collect()
    } else {
        Vec::new()
    };
    let columns = Table3Column::ALL;
    Ok(page(
        "统计",
        chrome(&staff, &csrf),
        html! {
            h1 { (agency.name) " · " (year) "年依申请公开统计" }
            form.inline method="get" action="/staff/statistics" {
                div.field { label for="year" { "年度" } input #year type="number" name="year" value=(year) min="2008" max=(app.today().year()); }
                @if !below.is_empty() {
                    div.field { label for="agency" { "机关" } select #agency name="agency" {
                        @for a in &below { option value=(a.code) selected[a.code == agency.code] { (a.name) } }
                    } }
                }
                button type="submit" { "查看" }
                a.button.secondary href={ "/api/v1/statistics/table3?agency=" (agency.code) "&year=" (year) "&format=csv" } { "下载 CSV" }
            }
            h2 { "三、收到和处理政府信息公开申请情况" }
            p.muted { "由办理记录实时计算（国办公开办函〔2021〕30号格式）。点击数字查看计入该格的申请。" }
            div.scroll tabindex="0" { table #table3 {
                thead {
                    tr { th { "项目" } @for c in columns { th.num { (c.label()) } } }
                }
                tbody {
                    @for row in Table3Row::rows(Format::Current2021) {
                        tr {
                            th scope="row" { (row.label()) }
                            @for c in columns {
                                @let n = table.cell(row, c).unwrap_or(0);
                                td.num {
                                    @if n > 0 {
                                        a href={ "/staff/statistics/cases?year=" (year) "&agency=" (agency.code) "&row=" (row.code()) "&column=" (c.code()) }
                                          aria-label={ (row.short_label()) "，" (c.label()) "：" (n) "件" } { (n) }
                                    } @else { "0" }
                                }
                            }
                        }
                    }
                }
            } }
            div.grid2 {
                section {
                    h2 { "每月收到申请" }
                    (bar_chart_months(&per_month, year))
                }
                section {
                    h2 { "办理结果" }
                    (outcome_chart(&outcomes))
                }
            }
        },
    ))
}

/// Vertical bars, one a month; numbers written on the bars so no colour is needed to read it.
fn bar_chart_months(per_month: &[u32; 12], year: i16) -> Markup {
    let max = per_month.iter().copied().max().unwrap_or(0).max(1);
    let (w, h, left, bottom) = (480.0, 220.0, 30.0, 24.0);
    let bar = (w - left) / 12.0;
    let total: u32 = per_month.iter().sum();
    html! {
        svg.chart viewBox={ "0 0 " (w) " " (h) } role="img" aria-labelledby="months-title" {
            title #months-title { (year) "年每月收到申请件数，共" (total) "件：" (per_month.iter().enumerate().map(|(i, n)| format!("{}月{}件", i + 1, n)).collect::<Vec<_>>().join("，")) }
            line x1=(left) y1=(h - bottom) x2=(w) y2=(h - bottom) stroke="#555" {}
            @for (i, n) in per_month.iter().enumerate() {
                @let height = f64::from(*n) / f64::from(max) * (h - bottom - 20.0);
                @let x = left + bar * i as f64 + 4.0;
                rect x=(x) y=(h - bottom - height) width=(bar - 8.0) height=(height) fill="#a4161a" {}
                text x=(x + (bar - 8.0) / 2.0) y=(h - bottom - height - 4.0) text-anchor="middle" font-size="11" fill="#1a1a1a" { (n) }
                text x=(x + (bar - 8.0) / 2.0) y=(h - 6.0) text-anchor="middle" font-size="11" fill="#555" { (i + 1) "月" }
            }
        }
    }
}

/// Horizontal bars, one per outcome that occurred.
fn outcome_chart(outcomes: &[(Outcome, u32)]) -> Markup {
    if outcomes.is_empty() {
        return html! { p.muted { "本年度尚无答复。" } };
    }
    let max = outcomes.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
    let row_h = 26.0;
    let (w, label_w) = (480.0, 210.0);
    let h = row_h * outcomes.len() as f64 + 8.0;
    html! {
        svg.chart viewBox={ "0 0 " (w) " " (h) } role="img" aria-labelledby="outcomes-title" {
            title #outcomes-title { "办理结果：" (outcomes.iter().map(|(o, n)| format!("{}{}件", o.short_label(), n)).collect::<Vec<_>>().join("，")) }
            @for (i, (outcome, n)) in outcomes.iter().enumerate() {
                @let y = 4.0 + row_h * i as f64;
                @let width = f64::from(*n) / f64::from(max) * (w - label_w - 40.0);
                text x=(label_w - 6.0) y=(y + 17.0) text-anchor="end" font-size="12" fill="#1a1a1a" { (short(outcome.short_label(), 14)) }
                rect x=(label_w) y=(y + 3.0) width=(width.max(1.0)) height=(row_h - 8.0) fill="#0b4f9c" {}
                text x=(label_w + width + 4.0) y=(y + 17.0) font-size="12" fill="#1a1a1a" { (n) }
            }
        }
    }
}

pub async fn cell_cases<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    Query(query): Query<StatsQuery>,
) -> Result<Markup, WebError> {
    let supervises = staff.actor.has(Role::Supervisor);
    let agency = visible_agency(
        &app,
        &staff.user.agency,
        supervises,
        query.agency.as_deref(),
    )
    .await?;
    let year = year_of(&app, query.year)?;
    let row = Table3Row::from_code(&query.row)
        .ok_or_else(|| WebError::field("row", format!("「{}」不是表三的行", query.row)))?;
    let column = Table3Column::from_code(&query.column)
        .ok_or_else(|| WebError::field("column", format!("「{}」不是表三的列", query.column)))?;
    let table = table3_of(&app, &agency.code, year).await?;
    let numbers = table.behind(row, column);
    let own = agency.code == staff.user.agency;
    Ok(page(
        "统计明细",
        chrome(&staff, &csrf),
        html! {
            p { a href={ "/staff/statistics?year=" (year) "&agency=" (agency.code) } { "← 返回统计表" } }
            h1 { (year) "年 · " (row.label()) " · " (column.label()) }
            p { "计入此格的申请共" strong #cell-count { (numbers.len()) } "件：" }
            ul #cell-cases {
                @for number in numbers {
                    li {
                        @if own { a href={ "/staff/cases/" (urlencode(number.as_str())) } { (number) } }
                        @else { (number) }
                    }
                }
            }
        },
    ))
}
