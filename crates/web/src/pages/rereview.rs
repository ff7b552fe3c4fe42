//! 定期评估审查 (第十八条) — the information this agency's answers withheld, each due for review
//! at the agency's interval; a review records whether it is still withheld or can now be
//! published (and then leads to a draft).

use std::sync::Arc;

use axum::{
    extract::{Query, State},
    response::{IntoResponse, Redirect, Response},
};
use gongkai_domain::{
    ApplicationNumber, Role,
    records::{self, Versioned},
    rereview::{self, Review, ReviewResult},
    store::Store,
};
use gongkai_law::date::chinese;
use maud::{Markup, html};
use serde::Deserialize;

use crate::{
    app::App,
    error::WebError,
    forms::date,
    security::{CsrfForm, CsrfToken, Staff},
    usecases::records as record_use,
    views::{chrome, csrf_field, page, short, urlencode},
};

type Shared<S> = State<Arc<App<S>>>;

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: String,
}

pub async fn queue_page<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    Query(query): Query<DoneQuery>,
) -> Result<Markup, WebError> {
    view(&app, &staff, &csrf, &query.done, None).await
}

async fn view<S: Store>(
    app: &App<S>,
    staff: &Staff,
    csrf: &CsrfToken,
    done: &str,
    error: Option<&str>,
) -> Result<Markup, WebError> {
    let agency = app.agency(&staff.user.agency).await?;
    let applications = app.store.applications(&agency.code).await?;
    let reviews: Vec<Review> = records::load_all::<Review, _>(&app.store, &agency.code)
        .await?
        .into_iter()
        .map(|v: Versioned<Review>| v.value)
        .collect();
    let months = agency.settings.review_months;
    let queue = rereview::queue(&applications, &reviews, months);
    let today = app.today();
    let may_review = staff.actor.has(Role::Reviewer);
    let disclosable: Vec<&Review> = reviews
        .iter()
        .filter(|r| r.result == ReviewResult::NowDisclosable)
        .collect();
    Ok(page(
        "定期评估审查",
        chrome(staff, csrf),
        html! {
            h1 { "不予公开信息的定期评估审查（第十八条）" }
            p.muted { "对本机关答复中不予公开的政府信息（含部分公开中不予公开的部分）定期评估审查，因情势变化可以公开的，应当公开。本机关的审查周期为每"
                (months) "个月（机关设置；条例只规定“定期”）。" }
            @if !done.is_empty() { p.notice role="status" { "已" (done) "。" } }
            @if let Some(e) = error { p.alert role="alert" { (e) } }
            @if queue.is_empty() { p.muted { "没有需要评估审查的不予公开信息。" } }
            @else {
                table #rereview {
                    thead { tr { th { "申请" } th { "申请内容" } th { "答复" } th { "上次审查" } th { "应审查日期" } th { "审查" } } }
                    tbody { @for item in &queue {
                        @let a = item.application;
                        tr class=[(item.due <= today).then_some("overdue")] {
                            td { a href={ "/staff/cases/" (a.number) } { (a.number) } }
                            td { (short(&a.content, 40)) }
                            td { @if let (Some(answer), Some(on)) = (&a.answer, a.answered_on) { (answer.outcome.short_label()) "（" (on) "）" } }
                            td { @match item.last_review { Some(r) => { (r.reviewed_on) " " (r.result.label()) "：" (short(&r.note, 30)) }, None => { span.muted { "尚未审查" } } } }
                            td { (chinese(item.due)) @if item.due <= today { " " span.tag.overdue { "已到期" } } }
                            td {
                                @if may_review {
                                    form.stack method="post" action="/staff/rereview" {
                                        (csrf_field(csrf))
                                        input type="hidden" name="application" value=(a.number);
                                        select name="result" aria-label="审查结果" { @for r in ReviewResult::ALL { option value=(r.code()) { (r.label()) } } }
                                        input type="date" name="date" value=(today) aria-label="审查日期";
                                        input type="text" name="note" required placeholder="审查意见：仍不宜公开的依据，或可以公开的内容" aria-label="审查意见";
                                        button.secondary type="submit" { "登记审查" }
                                    }
                                } @else { span.muted { "由审核人审查" } }
                            }
                        }
                    } }
                }
            }
            @if !disclosable.is_empty() {
                h2 { "审查后可以公开的信息" }
                ul #disclosable { @for r in &disclosable {
                    li { a href={ "/staff/cases/" (r.application) } { (r.application) } " " (r.reviewed_on) "：" (r.note) " · "
                        a href="/staff/publications/new" { "起草主动公开" } }
                } }
            }
        },
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReviewForm {
    application: String,
    result: String,
    date: String,
    note: String,
}

pub async fn review<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<ReviewForm>,
) -> Result<Response, WebError> {
    let result = async {
        let number = ApplicationNumber::parse(form.application.trim())
            .map_err(|_| WebError::BadRequest("缺少申请编号".into()))?;
        let result = ReviewResult::from_code(&form.result)
            .ok_or_else(|| WebError::field("result", "请选择审查结果"))?;
        let on = date(&form.date, "date", "审查日期")?;
        record_use::review_withheld(&app, &staff.actor, &number, on, result, &form.note).await
    }
    .await;
    match result {
        Ok(_) => Ok(
            Redirect::to(&format!("/staff/rereview?done={}", urlencode("登记审查")))
                .into_response(),
        ),
        Err(e @ (WebError::Field { .. } | WebError::Conflict(_))) => {
            let status = if matches!(e, WebError::Conflict(_)) {
                axum::http::StatusCode::CONFLICT
            } else {
                axum::http::StatusCode::UNPROCESSABLE_ENTITY
            };
            Ok((
                status,
                view(&app, &staff, &csrf, "", Some(&e.message())).await?,
            )
                .into_response())
        }
        Err(e) => Err(e),
    }
}
