//! 考核: the supervising office's ranking of the agencies below for a period, a chart of their
//! totals, the evidence behind every lost point, and the scheme's weights.

use std::{collections::BTreeMap, sync::Arc};

use axum::{
    extract::{Query, State},
    response::{IntoResponse, Redirect, Response},
};
use gongkai_domain::{Role, assessment::Criterion, store::Store};
use gongkai_law::{Date, date::chinese, parse_date};
use maud::{Markup, html};
use serde::Deserialize;

use crate::{
    app::App,
    error::WebError,
    security::{CsrfForm, CsrfToken, Staff},
    usecases::assessment::{self as assess, Assessed},
    views::{chrome, csrf_field, page, urlencode},
};

type Shared<S> = State<Arc<App<S>>>;

#[derive(Deserialize, Default)]
pub struct PeriodQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    done: String,
}

fn supervised(staff: &Staff) -> Result<(), WebError> {
    if staff.actor.has(Role::Supervisor) {
        Ok(())
    } else {
        Err(WebError::Forbidden("只有上级监督人员可进行考核".into()))
    }
}

/// The period asked for: by default from 1 January to today; `to` never past today, `from`
/// never after `to`.
fn period(query: &PeriodQuery, today: Date) -> Result<(Date, Date), WebError> {
    let day = |text: &str, default: Date, field: &str| -> Result<Date, WebError> {
        match text.trim() {
            "" => Ok(default),
            text => parse_date(field, text)
                .map_err(|_| WebError::BadRequest(format!("{field}格式应为 YYYY-MM-DD"))),
        }
    };
    let start = Date::new(today.year(), 1, 1).unwrap_or(today);
    let to = day(&query.to, today, "截止日期")?.min(today);
    let from = day(&query.from, start, "起始日期")?.min(to);
    Ok((from, to))
}

pub async fn assessment_page<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    Query(query): Query<PeriodQuery>,
) -> Result<Markup, WebError> {
    supervised(&staff)?;
    let (from, to) = period(&query, app.today())?;
    let office = &staff.user.agency;
    let scheme = assess::scheme(&app, office).await?.value;
    let results = assess::assess(&app, office, from, to).await?;
    Ok(page(
        "考核",
        chrome(&staff, &csrf),
        html! {
            h1 { "政务公开工作考核" }
            @if !query.done.is_empty() { p.notice role="status" { "已" (query.done) "。" } }
            form.inline method="get" action="/staff/assessment" {
                div.field { label for="from" { "起始日期" } input #from type="date" name="from" value=(from); }
                div.field { label for="to" { "截止日期" } input #to type="date" name="to" value=(to); }
                button type="submit" { "计算" }
            }
            p.muted { "按本机关的考核办法，由下级机关在" (chinese(from)) "至" (chinese(to)) "的记录计算：每项得分＝权重×做到的比例（没有可考核事项的得满分），总分折合为100分。" }
            @if results.is_empty() {
                p.muted { "本机关没有下级机关。" }
            } @else {
                (chart(&results))
                div.scroll tabindex="0" {
                    table #ranking {
                        caption { "考核排名" }
                        thead { tr {
                            th { "名次" } th { "机关" } th { "总分" }
                            @for c in Criterion::ALL { th { (c.label()) "（" (scheme.weight(c)) "）" } }
                        } }
                        tbody {
                            @for (i, r) in results.iter().enumerate() {
                                tr {
                                    td { (i + 1) }
                                    th scope="row" { a href={ "#agency-" (r.agency.code) } { (r.agency.name) } }
                                    td { strong { (format!("{:.1}", r.score.total)) } }
                                    @for (c, points) in &r.score.points {
                                        @let m = r.measures.iter().find(|m| m.criterion == *c);
                                        td { (format!("{points:.1}"))
                                            @if let Some(m) = m { br; span.muted { @if m.of == 0 { "无此类事项" } @else { (m.right) "/" (m.of) } } } }
                                    }
                                }
                            }
                        }
                    }
                }
                h2 { "失分依据" }
                @for r in &results {
                    section id={ "agency-" (r.agency.code) } {
                        h3 { (r.agency.name) "（" (format!("{:.1}", r.score.total)) "分）" }
                        @let missed: Vec<(Criterion, &String)> = r.measures.iter().flat_map(|m| m.missed.iter().map(move |t| (m.criterion, t))).collect();
                        @if missed.is_empty() { p.muted { "无失分事项。" } }
                        ul { @for (c, text) in missed.iter().take(200) { li { span.tag { (c.label()) } " " (text) } } }
                    }
                }
            }
            h2 #scheme { "考核办法（权重）" }
            form.stack method="post" action="/staff/assessment/scheme" {
                (csrf_field(&csrf))
                @for c in Criterion::ALL {
                    div.field {
                        label for={ "w-" (c.code()) } { (c.label()) }
                        input id={ "w-" (c.code()) } type="number" min="0" max=(gongkai_domain::assessment::MAX_WEIGHT) name=(c.code()) value=(scheme.weight(c)) required;
                    }
                }
                p { button type="submit" { "保存考核办法" } }
            }
        },
    ))
}

/// The totals as horizontal bars (out of 100), highest first.
fn chart(results: &[Assessed]) -> Markup {
    let row = 28;
    let label = 260;
    let width = 760;
    let height = row * results.len() + 10;
    html! {
        figure {
            svg #assessment-chart role="img" aria-labelledby="assessment-chart-title" viewBox={ "0 0 " (width) " " (height) } width="100%" {
                title #assessment-chart-title { "各机关考核总分" }
                @for (i, r) in results.iter().enumerate() {
                    @let y = i * row + 4;
                    @let bar = (r.score.total.clamp(0.0, 100.0) / 100.0 * (width - label - 60) as f64) as usize;
                    text x=(label - 8) y=(y + 17) text-anchor="end" font-size="14" fill="#1a1a1a" { (r.agency.name) }
                    rect x=(label) y=(y) width=(bar.max(1)) height=(row - 8) fill="#a4161a" {}
                    text x=(label + bar + 6) y=(y + 17) font-size="14" fill="#1a1a1a" { (format!("{:.1}", r.score.total)) }
                }
            }
            figcaption.muted { "各机关考核总分（满分100分）" }
        }
    }
}

pub async fn set_scheme<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    CsrfForm(fields): CsrfForm<BTreeMap<String, String>>,
) -> Result<Response, WebError> {
    supervised(&staff)?;
    let mut weights = BTreeMap::new();
    for c in Criterion::ALL {
        let text = fields.get(c.code()).map_or("", |v| v.trim());
        let weight = text
            .parse::<u32>()
            .map_err(|_| WebError::BadRequest(format!("“{}”的权重应为0至100的整数", c.label())))?;
        weights.insert(c, weight);
    }
    assess::set_scheme(&app, &staff.actor, weights).await?;
    Ok(Redirect::to(&format!(
        "/staff/assessment?done={}",
        urlencode("保存考核办法")
    ))
    .into_response())
}
