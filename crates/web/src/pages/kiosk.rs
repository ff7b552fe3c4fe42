//! 政务公开专区 — the touch-screen terminal in the service hall: 政府信息公开申请 (with a printed
//! receipt), 政府信息查询 (the 公开目录 and 全文检索), 政府公报 and 咨询. Large targets, no login,
//! no way off the kiosk; after a while without a touch everything typed is cleared
//! (`/static/kiosk.js` → `reset`), and no page is kept by the browser for the next person.

use std::sync::Arc;

use axum::{
    extract::{Path, Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use gongkai_domain::{Agency, AgencyCode, publication::Publication, store::Store};
use gongkai_law::date::chinese;
use maud::{Markup, html};
use serde::Deserialize;

use super::portal::{RECEIPT_COOKIE, Surface, submit_application};
use crate::{
    app::App,
    error::WebError,
    security::{ClientIp, CsrfToken},
    views::{FormState, page, short},
};

type Shared<S> = State<Arc<App<S>>>;

/// Items a list shows at once on the terminal (big type: a screenful or two).
const KIOSK_PAGE: usize = 20;
/// The best matches a search on the terminal shows (as on the portal).
const KIOSK_SEARCH_HITS: usize = 50;

/// The category of 政府公报 in the 公开目录 (an agency's own, or its parents').
const GAZETTE: &str = "政府公报";

async fn kiosk_agency<S: Store>(app: &App<S>, code: &str) -> Result<Agency, WebError> {
    let code = AgencyCode::parse(code).map_err(|_| WebError::NotFound("没有这个机关".into()))?;
    if app.config.kiosk.as_ref().is_some_and(|only| only != &code) {
        return Err(WebError::NotFound("本机只提供本机关的服务".into()));
    }
    app.agency(&code).await.map_err(WebError::from)
}

/// Nothing of a terminal's pages stays in the browser (Back after the reset shows nothing
/// of the last person's).
pub async fn never_kept(request: axum::extract::Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

pub async fn home<S: Store>(
    State(app): Shared<S>,
    Path(code): Path<String>,
) -> Result<Markup, WebError> {
    let agency = kiosk_agency(&app, &code).await?;
    let surface = Surface::kiosk(&app);
    let base = surface.base(&agency.code);
    Ok(page(
        &agency.name,
        surface.chrome(&agency),
        html! {
            h1 { "政务公开专区" }
            p.lead { "在这里可以申请获取政府信息、查阅本机关主动公开的信息和政府公报，或了解如何咨询。" }
            nav.tiles aria-label="专区服务" {
                a.tile #tile-apply href={ (base) "/apply" } { strong { "政府信息公开申请" } span { "填写申请表，当场打印回执" } }
                a.tile #tile-search href={ (base) "/search" } { strong { "政府信息查询" } span { "公开目录与全文检索" } }
                a.tile #tile-gazette href={ (base) "/gazette" } { strong { "政府公报" } span { "公报各期目录与全文" } }
                a.tile #tile-contact href={ (base) "/contact" } { strong { "咨询" } span { "办公地址、时间和电话" } }
            }
        },
    ))
}

pub async fn apply_page<S: Store>(
    State(app): Shared<S>,
    Path(code): Path<String>,
    csrf: CsrfToken,
) -> Result<Response, WebError> {
    let agency = kiosk_agency(&app, &code).await?;
    // The portal's form, in the terminal's frame.
    let form =
        super::portal::apply_form(&agency, &csrf, &FormState::default(), Surface::kiosk(&app));
    Ok(form.into_response())
}

pub async fn apply<S: Store>(
    State(app): Shared<S>,
    Path(code): Path<String>,
    ip: ClientIp,
    csrf: CsrfToken,
    request: axum::extract::Request,
) -> Result<Response, WebError> {
    kiosk_agency(&app, &code).await?;
    submit_application(&app, &code, ip, &csrf, request, Surface::kiosk(&app)).await
}

pub async fn receipt<S: Store>(
    State(app): Shared<S>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    kiosk_agency(&app, &code).await?;
    super::portal::show_receipt(&app, &code, &headers, Surface::kiosk(&app)).await
}

/// The next person's turn: the receipt and the form token forgotten, whatever the browser
/// held for this site cleared, back to the terminal's home.
pub async fn reset<S: Store>(
    State(app): Shared<S>,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let agency = kiosk_agency(&app, &code).await?;
    let forget = |name: &str| crate::security::set_cookie(name, "", 0, app.config.secure_cookies);
    let mut response = Redirect::to(&Surface::kiosk(&app).base(&agency.code)).into_response();
    let headers = response.headers_mut();
    headers.append(header::SET_COOKIE, forget(RECEIPT_COOKIE));
    headers.append(header::SET_COOKIE, forget(crate::security::CSRF_COOKIE));
    headers.insert(
        "clear-site-data",
        HeaderValue::from_static("\"cookies\", \"storage\""),
    );
    Ok(response)
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    page: Option<u32>,
}

/// 政府信息查询: the 公开目录 by category, or what a search finds.
pub async fn search<S: Store>(
    State(app): Shared<S>,
    Path(code): Path<String>,
    Query(query): Query<ListQuery>,
) -> Result<Markup, WebError> {
    let agency = kiosk_agency(&app, &code).await?;
    let surface = Surface::kiosk(&app);
    let base = surface.base(&agency.code);
    let text = gongkai_domain::search::query(&query.q)?;
    let public = app.store.public_publications(&agency.code).await?;
    let current = public.iter().filter(|p| p.superseded_by.is_none());
    let hits: Vec<Publication>;
    let found: Vec<&Publication> = if text.is_empty() {
        current
            .filter(|p| query.category.is_empty() || p.draft.category.starts_with(&query.category))
            .collect()
    } else if let Some(search) = app.search() {
        let filter = gongkai_domain::search::SearchFilter {
            agency: Some(agency.code.clone()),
            category: None,
        };
        let keys: Vec<(AgencyCode, u64)> = search
            .search(text, &filter, KIOSK_SEARCH_HITS)
            .await
            .map_err(WebError::Internal)?
            .into_iter()
            .map(|h| (h.agency, h.id))
            .collect();
        // The index may lag the database by a moment: only what is public now.
        hits = app.store.publications_by_keys(&keys).await?;
        hits.iter()
            .filter(|p| p.is_public() && p.superseded_by.is_none())
            .collect()
    } else {
        // Without an index: titles that hold the words.
        current.filter(|p| p.draft.title.contains(text)).collect()
    };
    let mut categories: Vec<&str> = public
        .iter()
        .map(|p| p.draft.category.split('/').next().unwrap_or(""))
        .collect();
    categories.sort_unstable();
    categories.dedup();
    let (shown, pages, at) = one_page(&found, query.page);
    Ok(page(
        "政府信息查询",
        surface.chrome(&agency),
        html! {
            h1 { "政府信息查询" }
            form.kiosk-search method="get" action={ (base) "/search" } role="search" autocomplete="off" {
                label for="q" { "输入关键词" }
                input #q type="search" name="q" value=(text) placeholder="如：老旧小区改造";
                button type="submit" { "查询" }
            }
            nav.chips aria-label="公开目录分类" {
                a href={ (base) "/search" } aria-current=[(query.category.is_empty() && text.is_empty()).then_some("page")] { "全部" }
                @for c in &categories {
                    a href={ (base) "/search?category=" (crate::views::urlencode(c)) } aria-current=[(query.category == *c).then_some("page")] { (c) }
                }
            }
            p #kiosk-count { "共" (found.len()) "条" @if pages > 1 { "，第" (at) "/" (pages) "页" } "。" }
            (publication_list(&base, shown))
            (pager(&format!("{base}/search"), &format!("q={}&category={}", crate::views::urlencode(text), crate::views::urlencode(&query.category)), at, pages))
        },
    ))
}

/// 政府公报: the issues published by this agency and those above it, newest first.
pub async fn gazette<S: Store>(
    State(app): Shared<S>,
    Path(code): Path<String>,
    Query(query): Query<ListQuery>,
) -> Result<Markup, WebError> {
    let agency = kiosk_agency(&app, &code).await?;
    let surface = Surface::kiosk(&app);
    let base = surface.base(&agency.code);
    let agencies = app.agencies().await?;
    let mut issues: Vec<Publication> = Vec::new();
    let mut at = Some(agency.code.clone());
    // The agency and its parents (a street office shows its district's 公报), a few levels.
    for _ in 0..6 {
        let Some(code) = at else { break };
        issues.extend(
            app.store
                .public_publications(&code)
                .await?
                .into_iter()
                .filter(|p| p.draft.category.starts_with(GAZETTE) && p.superseded_by.is_none()),
        );
        at = agencies
            .iter()
            .find(|a| a.code == code)
            .and_then(|a| a.parent.clone());
    }
    issues.sort_by_key(|p| std::cmp::Reverse(p.published_on));
    let refs: Vec<&Publication> = issues.iter().collect();
    let (shown, pages, page_at) = one_page(&refs, query.page);
    Ok(page(
        GAZETTE,
        surface.chrome(&agency),
        html! {
            h1 { (GAZETTE) }
            @if issues.is_empty() {
                p.muted #gazette-empty { "暂无政府公报。" }
            }
            (publication_list(&base, shown))
            (pager(&format!("{base}/gazette"), "", page_at, pages))
        },
    ))
}

/// One publication on the terminal: its attributes and text (files are for the website).
pub async fn publication<S: Store>(
    State(app): Shared<S>,
    Path((code, agency_of_item, id)): Path<(String, String, u64)>,
) -> Result<Markup, WebError> {
    let agency = kiosk_agency(&app, &code).await?;
    let owner = AgencyCode::parse(&agency_of_item)
        .map_err(|_| WebError::NotFound("没有这条信息".into()))?;
    let p = app
        .store
        .publication(&owner, id)
        .await?
        .filter(Publication::is_public)
        .ok_or_else(|| WebError::NotFound("没有这条信息".into()))?;
    let surface = Surface::kiosk(&app);
    Ok(page(
        &p.draft.title,
        surface.chrome(&agency),
        html! {
            h1 { (p.draft.title) }
            dl.meta {
                dt { "发布机构" } dd { (p.publisher) }
                dt { "索引号" } dd { (p.index_number.as_deref().unwrap_or("")) }
                @if let Some(number) = &p.draft.doc_number { dt { "文号" } dd { (number) } }
                @if let Some(day) = p.published_on { dt { "发布日期" } dd { (chinese(day)) } }
                dt { "有效性" } dd { (p.validity.label()) }
            }
            (crate::richtext::render(&p.draft.body))
            @if !p.draft.attachments.is_empty() {
                p.muted { "本信息另有" (p.draft.attachments.len()) "个附件，请在本机关网站下载。" }
            }
            p { a.button.secondary href={ (surface.base(&agency.code)) "/search" } { "返回查询" } }
        },
    ))
}

/// 咨询: where and when to ask, and by what number.
pub async fn contact<S: Store>(
    State(app): Shared<S>,
    Path(code): Path<String>,
) -> Result<Markup, WebError> {
    let agency = kiosk_agency(&app, &code).await?;
    let office = &agency.settings.office;
    let surface = Surface::kiosk(&app);
    let known = |value: &str| -> String {
        if value.trim().is_empty() {
            "请到服务窗口询问".into()
        } else {
            value.trim().into()
        }
    };
    Ok(page(
        "咨询",
        surface.chrome(&agency),
        html! {
            h1 { "咨询" }
            p.lead { "关于政府信息公开的咨询，可以到服务窗口当面咨询，或在办公时间拨打咨询电话。" }
            dl.meta #contact {
                dt { "受理机构" } dd { (agency.name) }
                dt { "办公地址" } dd { (known(&office.address)) }
                dt { "办公时间" } dd { (known(&office.hours)) }
                dt { "咨询电话" } dd { (known(&office.phone)) }
                @if !office.email.trim().is_empty() { dt { "电子邮箱" } dd { (office.email) } }
            }
            p { "申请获取政府信息的，可以在本机" a href={ (surface.base(&agency.code)) "/apply" } { "填写申请表" } "，当场打印回执（第二十七条、第二十九条）。" }
        },
    ))
}

fn one_page<'a>(
    all: &'a [&'a Publication],
    page: Option<u32>,
) -> (&'a [&'a Publication], usize, usize) {
    let pages = all.len().div_ceil(KIOSK_PAGE).max(1);
    let at = (page.unwrap_or(1).max(1) as usize).min(pages);
    let from = ((at - 1) * KIOSK_PAGE).min(all.len());
    (&all[from..(at * KIOSK_PAGE).min(all.len())], pages, at)
}

fn publication_list(base: &str, shown: &[&Publication]) -> Markup {
    html! {
        ol.kiosk-list {
            @for p in shown {
                li {
                    a href={ (base) "/publications/" (p.agency) "/" (p.id) } { (short(&p.draft.title, 60)) }
                    span.muted { (p.publisher) @if let Some(day) = p.published_on { " · " (chinese(day)) } }
                }
            }
        }
    }
}

/// Previous and next buttons of the list at `list` (its query, if any, kept).
fn pager(list: &str, query: &str, at: usize, pages: usize) -> Markup {
    let address = |n: usize| {
        let sep = if query.is_empty() { "" } else { "&" };
        format!("{list}?{query}{sep}page={n}")
    };
    html! {
        @if pages > 1 {
            nav.buttons aria-label="翻页" {
                @if at > 1 { a.button.secondary href=(address(at - 1)) { "上一页" } }
                @if at < pages { a.button.secondary href=(address(at + 1)) { "下一页" } }
            }
        }
    }
}

/// Answers `/` on a terminal's own server (`serve --kiosk CODE`): its kiosk.
pub async fn root<S: Store>(State(app): Shared<S>) -> Response {
    match &app.config.kiosk {
        Some(code) => Redirect::to(&format!("/kiosk/{code}")).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
