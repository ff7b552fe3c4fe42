//! gongkai's web server: the public portal (公开指南、在线申请、进度查询), the staff back office
//! (待办、办理、登记、统计、用户与机关、工作日历、审计) and the JSON API, over any
//! [`Store`]. Pages work without JavaScript; every response carries the security headers.

pub mod api;
pub mod app;
pub mod client;
pub mod error;
pub mod forms;
pub mod letters;
pub mod pages;
pub mod published;
pub mod report_view;
pub mod richtext;
pub mod security;
pub mod server;
pub mod uploads;
pub mod usecases;
pub mod views;

use std::{sync::Arc, time::Instant};

use axum::{
    Router,
    extract::{DefaultBodyLimit, MatchedPath, Request, State},
    middleware::{self, Next},
    response::Response,
    routing::{get, post},
};
use gongkai_domain::store::Store;

pub use app::{App, Clock, Config};

use pages::{
    admin, annual as annual_pages, assessment, case, catalog, catalog_admin, corrections, imports,
    interpretations, kiosk, participation, portal, publications, records, register, reports,
    rereview, staff, statistics, supervision, tokens, work_plan,
};

/// Every route of the server.
pub fn router<S: Store + 'static>(app: Arc<App<S>>) -> Router {
    // 政务公开专区: the terminal's pages, never kept by its browser.
    let kiosk = Router::new()
        .route("/kiosk/{code}", get(kiosk::home::<S>))
        .route(
            "/kiosk/{code}/apply",
            get(kiosk::apply_page::<S>)
                .post(kiosk::apply::<S>)
                .layer(DefaultBodyLimit::max(64 * 1024 * 1024)),
        )
        .route("/kiosk/{code}/receipt", get(kiosk::receipt::<S>))
        .route("/kiosk/{code}/reset", get(kiosk::reset::<S>))
        .route("/kiosk/{code}/search", get(kiosk::search::<S>))
        .route("/kiosk/{code}/gazette", get(kiosk::gazette::<S>))
        .route(
            "/kiosk/{code}/publications/{agency}/{id}",
            get(kiosk::publication::<S>),
        )
        .route("/kiosk/{code}/contact", get(kiosk::contact::<S>))
        .route("/static/kiosk.js", get(portal::kiosk_script))
        .layer(middleware::from_fn(kiosk::never_kept));
    // A terminal's own server (`serve --kiosk CODE`): the kiosk and nothing else.
    if app.config.kiosk.is_some() {
        return Router::new()
            .route("/", get(kiosk::root::<S>))
            .route("/healthz", get(healthz::<S>))
            .route("/static/style.css", get(portal::stylesheet))
            .merge(kiosk)
            .fallback(not_found)
            .layer(middleware::from_fn_with_state(
                app.clone(),
                security::protect::<S>,
            ))
            .layer(middleware::from_fn(log_request))
            .layer(DefaultBodyLimit::max(2 * 1024 * 1024))
            .with_state(app);
    }
    let public = Router::new()
        .route("/", get(portal::home::<S>))
        .route("/healthz", get(healthz::<S>))
        .route("/static/style.css", get(portal::stylesheet))
        .route("/agencies/{code}", get(portal::agency_home::<S>))
        .route("/agencies/{code}/guide", get(portal::guide::<S>))
        .route(
            "/agencies/{code}/apply",
            get(portal::apply_page::<S>)
                .post(portal::apply_submit::<S>)
                // Ten files of up to 20 MB each, 60 MB together (`UploadLimits::ATTACHMENTS`),
                // and the form around them; counted as they stream in.
                .layer(DefaultBodyLimit::max(64 * 1024 * 1024)),
        )
        .route("/agencies/{code}/receipt", get(portal::receipt::<S>))
        .route(
            "/agencies/{code}/status",
            get(portal::status_page::<S>).post(portal::status_lookup::<S>),
        )
        .route(
            "/agencies/{code}/status/supplement",
            post(portal::supplement::<S>),
        )
        .route(
            "/agencies/{code}/status/letter",
            post(portal::letter_download::<S>),
        )
        .route(
            "/agencies/{code}/status/attachment",
            post(portal::answer_attachment::<S>),
        )
        .route(
            "/agencies/{code}/participation",
            get(participation::public_replies::<S>),
        )
        .route(
            "/agencies/{code}/work-plan",
            get(work_plan::public_plan::<S>),
        )
        .route(
            "/agencies/{code}/assessment",
            get(assessment::public_results::<S>),
        )
        .route(
            "/agencies/{code}/assessment/{id}",
            get(assessment::public_result::<S>),
        )
        .route("/agencies/{code}/reports", get(reports::list::<S>))
        .route("/agencies/{code}/reports/{file}", get(reports::show::<S>))
        .route("/reports/{file}", get(reports::site::<S>))
        .route("/agencies/{code}/publications", get(catalog::catalog::<S>))
        .route("/agencies/{code}/catalog", get(catalog::basic_catalog::<S>))
        .route(
            "/agencies/{code}/publications.atom",
            get(catalog::atom::<S>),
        )
        .route(
            "/agencies/{code}/publications/{id}",
            get(catalog::item::<S>),
        )
        .route(
            "/agencies/{code}/publications/{id}/attachments/{index}",
            get(catalog::attachment::<S>),
        )
        .route("/sitemap.xml", get(catalog::sitemap::<S>))
        .route(
            "/agencies/{code}/sitemap.xml",
            get(catalog::agency_sitemap::<S>),
        )
        .route("/search", get(catalog::search::<S>))
        // Inside `protect`: its headers and cookie go on kept pages too.
        .layer(middleware::from_fn_with_state(
            app.clone(),
            published::serve::<S>,
        ));
    let back_office = Router::new()
        .route(
            "/staff/login",
            get(staff::login_page).post(staff::login::<S>),
        )
        .route("/staff/logout", post(staff::logout::<S>))
        .route("/staff", get(staff::queue::<S>))
        .route(
            "/staff/register",
            get(staff::register_page::<S>).post(staff::register::<S>),
        )
        .route("/staff/cases/{number}", get(case::case_page::<S>))
        .route(
            "/staff/cases/{number}/act",
            post(case::act::<S>).layer(DefaultBodyLimit::max(64 * 1024 * 1024)),
        )
        .route(
            "/staff/cases/{number}/answer-attachments/{index}",
            get(case::answer_attachment::<S>),
        )
        .route(
            "/staff/cases/{number}/letters/{index}",
            get(case::letter_download::<S>),
        )
        .route(
            "/staff/cases/{number}/attachments/{index}",
            get(case::attachment::<S>),
        )
        .route("/staff/statistics", get(statistics::statistics::<S>))
        .route("/staff/statistics/cases", get(statistics::cell_cases::<S>))
        .route(
            "/staff/statistics/table3",
            get(api::table3_for_session::<S>),
        )
        .route("/staff/admin", get(admin::admin_page::<S>))
        .route("/staff/admin/users", post(admin::add_user::<S>))
        .route("/staff/admin/users/active", post(admin::set_active::<S>))
        .route(
            "/staff/admin/users/password",
            post(admin::set_password::<S>),
        )
        .route("/staff/admin/agency", post(admin::update_agency::<S>))
        .route(
            "/staff/admin/tokens",
            get(tokens::tokens_page::<S>).post(tokens::create::<S>),
        )
        .route("/staff/admin/tokens/revoke", post(tokens::revoke::<S>))
        .route(
            "/staff/admin/review-chain",
            post(admin::update_review_chain::<S>),
        )
        .route(
            "/staff/calendar",
            get(admin::calendar_page::<S>).post(admin::load_notice::<S>),
        )
        .route("/staff/audit", get(admin::audit_page::<S>))
        .route("/staff/publications", get(publications::list::<S>))
        .route(
            "/staff/interpretations",
            get(interpretations::interpretations_page::<S>),
        )
        .route(
            "/staff/participation",
            get(participation::participation_page::<S>).post(participation::add::<S>),
        )
        .route("/staff/participation/edit", post(participation::edit::<S>))
        .route(
            "/staff/participation/reply",
            post(participation::reply::<S>),
        )
        .route("/staff/assessment", get(assessment::assessment_page::<S>))
        .route("/staff/assessment/publish", post(assessment::publish::<S>))
        .route(
            "/staff/assessment/withdraw",
            post(assessment::withdraw::<S>),
        )
        .route(
            "/staff/assessment/scheme",
            post(assessment::set_scheme::<S>),
        )
        .route("/staff/work-plan", get(work_plan::work_plan_page::<S>))
        .route("/staff/work-plan/tasks", post(work_plan::add_task::<S>))
        .route(
            "/staff/work-plan/tasks/edit",
            post(work_plan::edit_task::<S>),
        )
        .route(
            "/staff/work-plan/tasks/withdraw",
            post(work_plan::withdraw_task::<S>),
        )
        .route("/staff/work-plan/report", post(work_plan::report::<S>))
        .route(
            "/staff/publications/new",
            get(publications::new_page::<S>)
                .post(publications::create::<S>)
                .layer(DefaultBodyLimit::max(64 * 1024 * 1024)),
        )
        .route("/staff/publications/{id}", get(publications::show::<S>))
        .route(
            "/staff/publications/{id}/attachments/{index}",
            get(publications::attachment::<S>),
        )
        .route("/staff/publications/{id}/act", post(publications::act::<S>))
        .route(
            "/staff/publications/{id}/revise",
            get(publications::revise_page::<S>).post(publications::revise::<S>),
        )
        .route(
            "/staff/catalog",
            get(catalog_admin::catalog_page::<S>)
                .post(catalog_admin::import::<S>)
                .layer(DefaultBodyLimit::max(25 * 1024 * 1024)),
        )
        .route("/staff/reports", get(annual_pages::report_page::<S>))
        .route("/staff/reports/act", post(annual_pages::act::<S>))
        .route(
            "/staff/reports/appeals",
            get(annual_pages::appeal_cases::<S>),
        )
        .route(
            "/staff/corrections",
            get(corrections::corrections_page::<S>).post(corrections::add::<S>),
        )
        .route("/staff/corrections/decide", post(corrections::decide::<S>))
        .route(
            "/staff/corrections/{id}/letter",
            get(corrections::letter::<S>),
        )
        .route(
            "/staff/rereview",
            get(rereview::queue_page::<S>).post(rereview::review::<S>),
        )
        .route("/staff/records", get(records::records_page::<S>))
        .route("/staff/records/appeals", post(records::add_appeal::<S>))
        .route(
            "/staff/records/appeals/decide",
            post(records::decide_appeal::<S>),
        )
        .route("/staff/records/trainings", post(records::add_training::<S>))
        .route("/staff/records/proposals", post(records::add_proposal::<S>))
        .route(
            "/staff/supervision",
            get(supervision::supervision_page::<S>),
        )
        .route(
            "/staff/supervision/findings",
            post(supervision::decide::<S>),
        )
        .route(
            "/staff/supervision/import",
            post(supervision::import::<S>).layer(DefaultBodyLimit::max(50 * 1024 * 1024)),
        )
        .route("/staff/register20", get(register::register_page::<S>))
        .route(
            "/staff/register20/documents",
            post(register::add_document::<S>),
        )
        .route("/staff/register20/repeal", post(register::repeal::<S>))
        .route(
            "/staff/register20/import",
            post(register::import::<S>).layer(DefaultBodyLimit::max(25 * 1024 * 1024)),
        )
        .route(
            "/staff/register20/figures",
            post(register::save_figures::<S>),
        )
        .route("/staff/imports", get(imports::list::<S>))
        .route("/staff/imports/{id}", get(imports::show::<S>));
    let api = Router::new()
        .route("/api/openapi.json", get(api::openapi::<S>))
        .route("/api/v1/applications", post(api::submit::<S>))
        .route("/api/v1/applications/{number}", get(api::lookup::<S>))
        .route("/api/v1/cases", get(api::cases::<S>))
        .route("/api/v1/cases/{number}", get(api::case::<S>))
        .route("/api/v1/cases/{number}/actions", post(api::act::<S>))
        .route("/api/v1/work-plan", get(api::work_plan_tasks::<S>))
        .route("/api/v1/work-plan/report", post(api::report_on_task::<S>))
        .route(
            "/api/v1/assessment/results",
            get(api::assessment_results::<S>),
        )
        .route(
            "/api/v1/participation",
            get(api::messages::<S>).post(api::add_message::<S>),
        )
        .route(
            "/api/v1/participation/{id}/reply",
            post(api::reply_to_message::<S>),
        )
        .route(
            "/api/v1/corrections",
            get(api::corrections::<S>).post(api::add_correction::<S>),
        )
        .route(
            "/api/v1/corrections/{id}/decision",
            post(api::decide_correction::<S>),
        )
        .route("/api/v1/rereview", get(api::review_queue::<S>))
        .route(
            "/api/v1/publications",
            get(api::publications::<S>).post(api::add_publication::<S>),
        )
        .route("/api/v1/publications/{id}", get(api::publication::<S>))
        .route(
            "/api/v1/publications/{id}/actions",
            post(api::act_on_publication::<S>),
        )
        .route("/api/v1/statistics/table3", get(api::table3::<S>))
        .layer(middleware::map_response(api::errors_as_json));
    public
        .merge(kiosk)
        .merge(back_office)
        .merge(api)
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            app.clone(),
            security::protect::<S>,
        ))
        .layer(middleware::from_fn_with_state(
            app.clone(),
            published::note_changes::<S>,
        ))
        .layer(middleware::from_fn(log_request))
        .layer(DefaultBodyLimit::max(2 * 1024 * 1024))
        .with_state(app)
}

/// Makes public what was approved for release today, in every agency; the server runs it
/// every minute. Returns how many items went out.
pub async fn release_scheduled_everywhere<S: Store>(
    app: &App<S>,
) -> Result<usize, error::WebError> {
    let mut released = 0;
    for agency in app.store.agencies().await? {
        released += usecases::publications::release_scheduled(app, &agency).await?;
    }
    if released > 0 {
        app.published.changed();
    }
    Ok(released)
}

async fn healthz<S: Store>(State(app): State<Arc<App<S>>>) -> Response {
    use axum::response::IntoResponse;
    match app.store.agencies().await {
        // The database answers: the server serves. Search that lags is said, not fatal.
        Ok(_) => match app.search_health().await {
            Some(health) if !health.is_complete() => {
                format!("ok\nsearch: incomplete — {}", health.describe()).into_response()
            }
            Some(_) => "ok\nsearch: complete".into_response(),
            None => "ok".into_response(),
        },
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "database unavailable",
            )
                .into_response()
        }
    }
}

async fn not_found() -> error::WebError {
    error::WebError::NotFound("没有这个页面".into())
}

/// One line per request: method, route pattern (not the path, which may carry an
/// application number), status and time. No query strings, no personal data.
async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(unmatched)".to_string(), |m| m.as_str().to_string());
    let started = Instant::now();
    let response = next.run(request).await;
    tracing::info!(
        method = %method,
        route = %route,
        status = response.status().as_u16(),
        ms = started.elapsed().as_millis() as u64,
        "request"
    );
    response
}
