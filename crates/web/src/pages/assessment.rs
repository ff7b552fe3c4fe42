//! 考核: the supervising office's ranking of the agencies below for a period, a chart of their
//! totals, the evidence behind every lost point, and the scheme's weights.

use std::{collections::BTreeMap, sync::Arc};

use axum::{
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use gongkai_domain::{
    Role,
    assessment::{self, Criterion, PublishedMeasure, PublishedResult, PublishedRow, Scope},
    records::Record,
    store::Store,
};
use gongkai_law::{Date, date::chinese, parse_date};
use maud::{Markup, html};
use serde::Deserialize;

use crate::{
    app::App,
    error::WebError,
    security::{CsrfForm, CsrfToken, Staff},
    usecases::assessment as assess,
    views::{Chrome, chrome, csrf_field, page, urlencode},
};

type Shared<S> = State<Arc<App<S>>>;

/// A period and scope, asked in the address or sent to publish; every field defaults to empty,
/// so that who may publish is judged before what was sent.
#[derive(Deserialize, Default)]
pub struct PeriodQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    done: String,
}

/// The scope asked for; the office's direct subordinates unless the whole tree is asked.
fn scope(text: &str) -> Result<Scope, WebError> {
    match text.trim() {
        "" => Ok(Scope::default()),
        code => Scope::from_code(code)
            .ok_or_else(|| WebError::BadRequest("考核范围应为直属下级机关或全部下级机关".into())),
    }
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
    let scope = scope(&query.scope)?;
    let office = &staff.user.agency;
    let scheme = assess::scheme(&app, office).await?.value;
    let rows: Vec<PublishedRow> = assess::assess(&app, office, (from, to, scope))
        .await?
        .into_iter()
        .map(|a| PublishedRow::new(a.agency.name, &a.score, &a.measures))
        .collect();
    let published = assess::published(&app, office).await?;
    let already = published.iter().find(|r| r.from == from && r.to == to);
    Ok(page(
        "考核",
        chrome(&staff, &csrf),
        html! {
            h1 { "政务公开工作考核" }
            @if !query.done.is_empty() { p.notice role="status" { "已" (query.done) "。" } }
            form.inline method="get" action="/staff/assessment" {
                div.field { label for="from" { "起始日期" } input #from type="date" name="from" value=(from); }
                div.field { label for="to" { "截止日期" } input #to type="date" name="to" value=(to); }
                div.field { label for="scope" { "考核范围" } select #scope name="scope" {
                    @for s in [Scope::Direct, Scope::Whole] { option value=(s.code()) selected[s == scope] { (s.label()) } }
                } }
                button type="submit" { "计算" }
            }
            p.muted { "按本机关的考核办法，由" (scope.label()) "在" (chinese(from)) "至" (chinese(to)) "的记录计算：每项得分＝权重×做到的比例（没有可考核事项的得满分），总分折合为100分。" }
            @if rows.is_empty() {
                p.muted { "本机关没有下级机关。" }
            } @else {
                (chart(&rows))
                (ranking(&rows, |c| scheme.weight(c)))
                @match already.filter(|r| r.withdrawn.is_none()) {
                    Some(r) => {
                        p.notice #published-already {
                            "本期考核结果已于" (chinese(r.published_on)) "公布："
                            a href=(result_href(r)) { "查看公布的考核结果" } "。"
                        }
                        details {
                            summary { "撤回本期考核结果" }
                            form.stack #withdraw method="post" action="/staff/assessment/withdraw" {
                                (csrf_field(&csrf))
                                input type="hidden" name="from" value=(r.from);
                                input type="hidden" name="to" value=(r.to);
                                p.muted { "撤回后，门户网站上本期的排名不再显示，只显示撤回的日期和理由；更正后可重新公布，新结果会注明曾经撤回。" }
                                div.field { label for="withdraw-reason" { "撤回理由" } textarea #withdraw-reason name="reason" required {} }
                                p { button type="submit" { "撤回" } }
                            }
                        }
                    },
                    None => form.stack #publish method="post" action="/staff/assessment/publish" {
                        @if let Some(w) = already.and_then(|r| r.withdrawn.as_ref()) {
                            p.notice { "本期考核结果曾于" (chinese(w.published_on)) "公布，" (chinese(w.on)) "撤回（" (w.reason) "）。可重新公布。" }
                        }
                        (csrf_field(&csrf))
                        input type="hidden" name="from" value=(from);
                        input type="hidden" name="to" value=(to);
                        input type="hidden" name="scope" value=(scope.code());
                        p.muted { "公布后，本期的排名、各项得分和失分依据按现在的记录固定，在本机关的门户网站公开；以后的记录不改变已公布的结果。公众参与来信的主题不公开，只公开件数。" }
                        p { button type="submit" { "公布考核结果" } }
                    },
                }
                h2 { "失分依据" }
                (evidence(&rows, false))
            }
            @if !published.is_empty() {
                h2 #published { "已公布的考核结果" }
                ul #published-results {
                    @for r in &published {
                        li { a href=(result_href(r)) { (period_title(r)) } span.muted { "（" (chinese(r.published_on)) "公布" @if r.withdrawn.is_some() { "，已撤回" } "）" } }
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

fn result_href(r: &PublishedResult) -> String {
    format!("/agencies/{}/assessment/{}", r.agency, urlencode(&r.key()))
}

fn period_title(r: &PublishedResult) -> String {
    format!("{}至{}", chinese(r.from), chinese(r.to))
}

/// The ranking: rank, agency, total, and each criterion's points with what they rest on.
fn ranking(rows: &[PublishedRow], weight: impl Fn(Criterion) -> u32) -> Markup {
    let ranks = assessment::ranks(rows);
    html! {
        div.scroll tabindex="0" {
            table #ranking {
                caption { "考核排名" }
                thead { tr {
                    th { "名次" } th { "机关" } th { "总分" }
                    @for c in Criterion::ALL { th { (c.label()) "（" (weight(c)) "）" } }
                } }
                tbody {
                    @for (r, rank) in rows.iter().zip(&ranks) {
                        tr {
                            td { (rank) }
                            th scope="row" { a href={ "#agency-" (r.agency) } { (r.name) } }
                            td { strong { (format!("{:.1}", r.total)) } }
                            @for c in Criterion::ALL {
                                @match r.measures.iter().find(|m| m.criterion == c) {
                                    Some(m) => td { (format!("{:.1}", m.points)) br; span.muted { @if m.of == 0 { "无此类事项" } @else { (m.right) "/" (m.of) } } },
                                    None => td { "—" },
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// What cost each agency points; for the public, a criterion whose items may identify a
/// person is given as a count.
fn evidence(rows: &[PublishedRow], public: bool) -> Markup {
    html! {
        @for r in rows {
            section id={ "agency-" (r.agency) } {
                h3 { (r.name) "（" (format!("{:.1}", r.total)) "分）" }
                @let lost: Vec<&PublishedMeasure> = r.measures.iter().filter(|m| m.right < m.of).collect();
                @if lost.is_empty() { p.muted { "无失分事项。" } }
                ul {
                    @for m in lost {
                        @let count = m.of - m.right;
                        @if public && !m.criterion.evidence_is_public() {
                            li { span.tag { (m.criterion.label()) } " " (count) "件未做到" }
                        } @else {
                            @for text in &m.missed { li { span.tag { (m.criterion.label()) } " " (text) } }
                            @if count > m.missed.len() {
                                li.muted { span.tag { (m.criterion.label()) } " 另有" (count - m.missed.len()) "件未列出" }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The totals as horizontal bars (out of 100), highest first: each agency's name above its
/// bar, so that the chart reads at a phone's width as well.
fn chart(rows: &[PublishedRow]) -> Markup {
    const ROW: usize = 46;
    const WIDTH: usize = 360;
    const BAR: f64 = 300.0;
    let height = ROW * rows.len() + 6;
    html! {
        figure.chart {
            svg #assessment-chart role="img" aria-labelledby="assessment-chart-title" viewBox={ "0 0 " (WIDTH) " " (height) } width="100%" {
                title #assessment-chart-title { "各机关考核总分" }
                @for (i, r) in rows.iter().enumerate() {
                    @let y = i * ROW;
                    @let bar = (r.total.clamp(0.0, 100.0) / 100.0 * BAR) as usize;
                    text x="0" y=(y + 16) font-size="16" fill="#1a1a1a" { (r.name) }
                    rect x="0" y=(y + 22) width=(bar.max(1)) height="16" fill="#a4161a" {}
                    text x=(bar + 6) y=(y + 36) font-size="15" fill="#1a1a1a" { (format!("{:.1}", r.total)) }
                }
            }
            figcaption.muted { "各机关考核总分（满分100分）" }
        }
    }
}

pub async fn publish<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    CsrfForm(form): CsrfForm<PeriodQuery>,
) -> Result<Response, WebError> {
    supervised(&staff)?;
    let day = |text: &str, field: &str| {
        parse_date(field, text.trim())
            .map_err(|_| WebError::BadRequest(format!("{field}格式应为 YYYY-MM-DD")))
    };
    let from = day(&form.from, "起始日期")?;
    let to = day(&form.to, "截止日期")?;
    let scope = scope(&form.scope)?;
    let result = assess::publish(&app, &staff.actor, (from, to, scope)).await?;
    Ok(Redirect::to(&format!(
        "/staff/assessment?from={from}&to={to}&scope={}&done={}#published",
        scope.code(),
        urlencode(&format!("公布{}的考核结果", period_title(&result)))
    ))
    .into_response())
}

/// The portal's list of an office's published results.
pub async fn public_results<S: Store>(
    State(app): Shared<S>,
    Path(code): Path<String>,
) -> Result<Markup, WebError> {
    let agency = app.agency_named(&code).await?;
    let published = assess::published(&app, &agency.code).await?;
    Ok(page(
        "政务公开工作考核结果",
        Chrome {
            agency: Some(&agency),
            ..Chrome::default()
        },
        html! {
            h1 { (agency.name) " · 政务公开工作考核结果" }
            @if published.is_empty() { p.muted #no-results { "本机关尚未公布考核结果。" } }
            ul.results #public-results {
                @for r in &published {
                    li {
                        h2 { a href=(result_href(r)) { (period_title(r)) } }
                        @match &r.withdrawn {
                            Some(w) => p.muted { (chinese(r.published_on)) "公布，" (chinese(w.on)) "已撤回" },
                            None => p.muted { (chinese(r.published_on)) "公布；考核下级机关" (r.rows.len()) "个" },
                        }
                    }
                }
            }
        },
    ))
}

/// One published result as it was frozen: ranking, chart, the scheme's weights and the
/// evidence (a 公众参与 message's subject only as a count).
pub async fn public_result<S: Store>(
    State(app): Shared<S>,
    Path((code, key)): Path<(String, String)>,
) -> Result<Markup, WebError> {
    let agency = app.agency_named(&code).await?;
    let not_found = || WebError::NotFound("没有这一期考核结果".into());
    let (from, to) = key.split_once('_').ok_or_else(not_found)?;
    let from = parse_date("起始日期", from).map_err(|_| not_found())?;
    let to = parse_date("截止日期", to).map_err(|_| not_found())?;
    let result =
        assess::published_one(&app, &agency.code, &PublishedResult::key_of(from, to)).await?;
    let title = format!("政务公开工作考核结果（{}）", period_title(&result));
    Ok(page(
        &title,
        Chrome {
            agency: Some(&agency),
            ..Chrome::default()
        },
        html! {
            h1 { (agency.name) " · " (title) }
            @for e in &result.earlier {
                p.notice.earlier { "本期结果曾于" (chinese(e.published_on)) "公布，" (chinese(e.on)) "撤回：" (e.reason) "。以下为重新公布的结果。" }
            }
            @match &result.withdrawn {
                Some(w) => p.alert #withdrawn role="status" {
                    "本期考核结果于" (chinese(result.published_on)) "公布，已于" (chinese(w.on)) "撤回：" (w.reason) "。"
                },
                None => {
                    p.muted {
                        (chinese(result.published_on)) "公布。按本机关考核办法，由" (result.scope.label()) "在" (period_title(&result))
                        "的办理和公开记录计算：每项得分＝权重×做到的比例（没有可考核事项的得满分），总分折合为100分。结果按公布时的记录固定。"
                    }
                    (chart(&result.rows))
                    (ranking(&result.rows, |c| result.weight(c)))
                    h2 { "失分依据" }
                    (evidence(&result.rows, true))
                },
            }
            p { a href={ "/agencies/" (agency.code) "/assessment" } { "历次考核结果" } }
        },
    ))
}

#[derive(Deserialize)]
pub struct WithdrawForm {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    reason: String,
}

/// 撤回 a published result.
pub async fn withdraw<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    CsrfForm(form): CsrfForm<WithdrawForm>,
) -> Result<Response, WebError> {
    supervised(&staff)?;
    let not_found = || WebError::NotFound("没有这一期考核结果".into());
    let from = parse_date("起始日期", form.from.trim()).map_err(|_| not_found())?;
    let to = parse_date("截止日期", form.to.trim()).map_err(|_| not_found())?;
    let key = PublishedResult::key_of(from, to);
    let result = assess::withdraw(&app, &staff.actor, &key, &form.reason).await?;
    Ok(Redirect::to(&format!(
        "/staff/assessment?from={from}&to={to}&scope={}&done={}#published",
        result.scope.code(),
        urlencode(&format!("撤回{}的考核结果", period_title(&result)))
    ))
    .into_response())
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
