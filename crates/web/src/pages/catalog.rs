//! 公开目录 on the portal: the category tree, lists with filters, each item's page with the
//! metadata block agency sites show, an Atom feed per category, and the sitemap. Only what the
//! store returns as public is ever read here.

use std::{collections::BTreeMap, sync::Arc};

use axum::{
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use gongkai_domain::{
    AgencyCode,
    publication::{Publication, PublicationState, Validity},
    store::Store,
};
use gongkai_law::date::chinese;
use maud::{Markup, html};
use serde::Deserialize;

use crate::{
    app::App,
    error::WebError,
    usecases::publications::serve_attachment,
    views::{Chrome, attachment_list, page},
};

type Shared<S> = State<Arc<App<S>>>;

#[derive(Deserialize, Default)]
pub struct CatalogQuery {
    #[serde(default)]
    category: String,
    #[serde(default)]
    validity: String,
    #[serde(default)]
    year: Option<i16>,
    /// 第几页, from 1.
    #[serde(default)]
    page: Option<u32>,
}

/// Items a page of the 公开目录 lists (an agency may have tens of thousands).
const CATALOG_PAGE: usize = 50;

async fn agency_of<S: Store>(app: &App<S>, code: &str) -> Result<gongkai_domain::Agency, WebError> {
    app.agency_named(code).await
}

fn in_category(p: &Publication, category: &str) -> bool {
    category.is_empty()
        || p.draft.category == category
        || p.draft.category.starts_with(&format!("{category}/"))
}

pub async fn catalog<S: Store>(
    State(app): Shared<S>,
    Path(code): Path<String>,
    Query(query): Query<CatalogQuery>,
) -> Result<Markup, WebError> {
    let agency = agency_of(&app, &code).await?;
    let public = app.store.public_publications(&agency.code).await?;
    // The tree: top-level categories with their sub-categories and counts.
    let mut tree: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for p in &public {
        let (top, sub) = p
            .draft
            .category
            .split_once('/')
            .unwrap_or((&p.draft.category, ""));
        *tree
            .entry(top.to_string())
            .or_default()
            .entry(sub.to_string())
            .or_default() += 1;
    }
    let shown: Vec<&Publication> = public
        .iter()
        // An older version stays readable at its address; the list shows the current one.
        .filter(|p| p.superseded_by.is_none())
        .filter(|p| in_category(p, &query.category))
        .filter(|p| match query.validity.as_str() {
            "valid" => p.validity == Validity::Valid,
            "invalid" => p.validity != Validity::Valid,
            _ => true,
        })
        .filter(|p| {
            query
                .year
                .is_none_or(|y| p.published_on.is_some_and(|d| d.year() == y))
        })
        .collect();
    let base = format!("/agencies/{}/publications", agency.code);
    let pages = shown.len().div_ceil(CATALOG_PAGE).max(1);
    let at = (query.page.unwrap_or(1).max(1) as usize).min(pages);
    let on_page =
        &shown[((at - 1) * CATALOG_PAGE).min(shown.len())..(at * CATALOG_PAGE).min(shown.len())];
    // The address of page `n` with the same filters.
    let page_address = |n: usize| {
        let mut address = format!("{base}?page={n}");
        if !query.category.is_empty() {
            address.push_str(&format!("&category={}", query.category));
        }
        if !query.validity.is_empty() {
            address.push_str(&format!("&validity={}", query.validity));
        }
        if let Some(year) = query.year {
            address.push_str(&format!("&year={year}"));
        }
        address
    };
    Ok(page(
        "政府信息公开目录",
        Chrome {
            agency: Some(&agency),
            ..Chrome::default()
        },
        html! {
            h1 { (agency.name) " · 政府信息公开目录" }
            p { a href={ "/agencies/" (agency.code) "/catalog" } { "主动公开基本目录（公开事项、内容概述、依据和时限）" } }
            div.catalog-layout {
                nav aria-label="公开目录" {
                    h2 { "目录" }
                    ul {
                        li { a href=(base) { "全部" } " (" (public.len()) ")" }
                        @for (top, subs) in &tree {
                            li {
                                a href={ (base) "?category=" (top) } { (top) } " (" (subs.values().sum::<usize>()) ")"
                                @if subs.keys().any(|s| !s.is_empty()) {
                                    ul { @for (sub, n) in subs { @if !sub.is_empty() {
                                        li { a href={ (base) "?category=" (top) "/" (sub) } { (sub) } " (" (n) ")" }
                                    } } }
                                }
                            }
                        }
                    }
                    p { a href={ (base) ".atom" @if !query.category.is_empty() { "?category=" (query.category) } } { "订阅（Atom）" } }
                }
                section {
                    h2 { @if query.category.is_empty() { "全部信息" } @else { (query.category) } }
                    form.inline method="get" action=(base) {
                        input type="hidden" name="category" value=(query.category);
                        div.field { label for="validity" { "有效性" } select #validity name="validity" {
                            option value="" { "全部" }
                            option value="valid" selected[query.validity == "valid"] { "有效" }
                            option value="invalid" selected[query.validity == "invalid"] { "已废止或失效" }
                        } }
                        div.field { label for="year" { "发布年份" } input #year type="number" name="year" value=[query.year] min="2008"; }
                        button type="submit" { "筛选" }
                    }
                    div.scroll tabindex="0" { table #catalog {
                        thead { tr { th { "标题" } th { "发布日期" } th { "索引号" } } }
                        tbody { @for p in on_page {
                            tr {
                                td { a href={ (base) "/" (p.id) } { (p.draft.title) } @if p.validity != Validity::Valid { " " span.tag { (p.validity.label()) } } }
                                td { @if let Some(d) = p.published_on { (d) } }
                                td { (p.index_number.as_deref().unwrap_or("")) }
                            }
                        } }
                    } }
                    @if shown.is_empty() { p.muted { "没有符合条件的信息。" } }
                    @if pages > 1 {
                        nav.pages aria-label="分页" {
                            "共 " (shown.len()) " 条，第 " (at) "/" (pages) " 页 "
                            @if at > 1 { a href=(page_address(at - 1)) rel="prev" { "上一页" } " " }
                            @if at < pages { a href=(page_address(at + 1)) rel="next" { "下一页" } }
                        }
                    }
                }
            }
        },
    ))
}

pub async fn item<S: Store>(
    State(app): Shared<S>,
    Path((code, id)): Path<(String, u64)>,
) -> Result<Response, WebError> {
    let agency = agency_of(&app, &code).await?;
    let Some(p) = app.store.publication(&agency.code, id).await? else {
        return Err(WebError::NotFound("没有这条信息".into()));
    };
    if p.state == PublicationState::Withdrawn && p.published_on.is_some() {
        let body = page(
            "信息已撤回",
            Chrome {
                agency: Some(&agency),
                ..Chrome::default()
            },
            html! {
                h1 { "该信息已撤回" }
                p { "此地址的信息已由发布机关撤回。" }
                p { a href={ "/agencies/" (agency.code) "/publications" } { "返回政府信息公开目录" } }
            },
        );
        return Ok((StatusCode::GONE, body).into_response());
    }
    if !p.is_public() {
        return Err(WebError::NotFound("没有这条信息".into()));
    }
    // 政策解读, linked both ways: the document a 解读 explains, the 解读 of a document.
    let explained = match p.draft.interprets {
        Some(x) => app
            .store
            .publication(&agency.code, x.document)
            .await?
            .filter(Publication::is_public)
            .map(|d| (d, x.form)),
        None => None,
    };
    let interpretations: Vec<Publication> =
        if gongkai_domain::publication::interpretation::needs_interpretation(&p) {
            app.store
                .interpretations_of(&agency.code, p.id)
                .await?
                .into_iter()
                .filter(Publication::is_public)
                .collect()
        } else {
            Vec::new()
        };
    Ok(page(&p.draft.title, Chrome { agency: Some(&agency), ..Chrome::default() }, html! {
        @if p.validity != Validity::Valid {
            p.warning role="note" { "本文件" (p.validity.label()) "，仅供查阅。" }
        }
        @if let Some(newer) = p.superseded_by {
            p.warning role="note" #superseded { "本信息已变更，请查阅" a href={ "/agencies/" (agency.code) "/publications/" (newer) } { "最新版本" } "。" }
        }
        @if let Some(older) = p.revises {
            p.muted #revises { "本信息于" @if let Some(d) = p.draft.changed_on { (chinese(d)) } "变更，"
                a href={ "/agencies/" (agency.code) "/publications/" (older) } { "查看变更前的版本" } "。" }
        }
        table.meta-block aria-label="信息属性" {
            tbody {
                tr { th { "索引号" } td { (p.index_number.as_deref().unwrap_or("")) } th { "主题分类" } td { (p.draft.topic) } }
                tr { th { "发布机构" } td { (p.publisher) } th { "成文日期" } td { (chinese(p.draft.written_on)) } }
                tr { th { "文号" } td { (p.draft.doc_number.as_deref().unwrap_or("")) } th { "发布日期" } td { @if let Some(d) = p.published_on { (chinese(d)) } } }
                tr { th { "有效性" } td { (p.validity.label()) } th { "公开方式" } td { (p.draft.channels.join("、")) } }
            }
        }
        h1 { (p.draft.title) }
        @if let Some((document, form)) = &explained {
            p.notice #explains { "本文是对" a href={ "/agencies/" (agency.code) "/publications/" (document.id) } { "《" (document.draft.title) "》" } "的" (form.label()) "。" }
        }
        (crate::richtext::render(&p.draft.body))
        (attachment_list(&p.draft.attachments, &format!("/agencies/{}/publications/{}/attachments", agency.code, p.id)))
        @if !interpretations.is_empty() {
            section #interpretations {
                h2 { "政策解读" }
                ul {
                    @for i in &interpretations {
                        li { a href={ "/agencies/" (agency.code) "/publications/" (i.id) } { (i.draft.title) }
                            @if let Some(x) = i.draft.interprets { " " span.muted { "（" (x.form.label()) "）" } } }
                    }
                }
            }
        }
    }).into_response())
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The site's address as the request names it (for absolute links in feeds and the sitemap).
fn origin<S: Store>(app: &App<S>, headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '-' | '[' | ']'))
        })
        .unwrap_or("localhost");
    let scheme = if app.config.secure_cookies {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

pub async fn atom<S: Store>(
    State(app): Shared<S>,
    Path(code): Path<String>,
    Query(query): Query<CatalogQuery>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let agency = agency_of(&app, &code).await?;
    let site = origin(&app, &headers);
    let items: Vec<Publication> = app
        .store
        .public_publications(&agency.code)
        .await?
        .into_iter()
        .filter(|p| in_category(p, &query.category))
        .take(50)
        .collect();
    let updated = items
        .first()
        .and_then(|p| p.published_on)
        .map_or_else(|| "2000-01-01".to_string(), |d| d.to_string());
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>{}{}</title>\n<id>{site}/agencies/{}/publications</id>\n<updated>{updated}T00:00:00+08:00</updated>\n<link href=\"{site}/agencies/{}/publications\"/>\n",
        xml(&agency.name),
        if query.category.is_empty() {
            String::from(" 政府信息公开")
        } else {
            format!(" {}", xml(&query.category))
        },
        agency.code,
        agency.code,
    );
    for p in &items {
        let url = format!("{site}/agencies/{}/publications/{}", agency.code, p.id);
        let day = p.published_on.map(|d| d.to_string()).unwrap_or_default();
        out.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{url}</id>\n<link href=\"{url}\"/>\n<updated>{day}T00:00:00+08:00</updated>\n<author><name>{}</name></author>\n<category term=\"{}\"/>\n<summary>{}</summary>\n</entry>\n",
            xml(&p.draft.title),
            xml(&p.publisher),
            xml(&p.draft.category),
            xml(&crate::richtext::plain(&p.draft.body.first().cloned().unwrap_or_default())),
        ));
    }
    out.push_str("</feed>\n");
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        out,
    )
        .into_response())
}

/// At most this many addresses in one sitemap file (the sitemaps protocol allows 50 000).
const SITEMAP_ADDRESSES: usize = 50_000;

/// The site's sitemap: an index of every agency's own sitemap (a province's items do not fit
/// one file).
pub async fn sitemap<S: Store>(
    State(app): Shared<S>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let site = origin(&app, &headers);
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for agency in app.agencies().await?.iter() {
        out.push_str(&format!(
            "<sitemap><loc>{site}/agencies/{}/sitemap.xml</loc></sitemap>\n",
            agency.code
        ));
    }
    out.push_str("</sitemapindex>\n");
    Ok(xml_response(out))
}

/// One agency's pages and its public items, newest first, within one sitemap file.
pub async fn agency_sitemap<S: Store>(
    State(app): Shared<S>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let agency = app.agency_named(&code).await?;
    let site = origin(&app, &headers);
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    out.push_str(&format!("<url><loc>{site}/</loc></url>\n"));
    for path in ["", "/guide", "/apply", "/publications", "/reports"] {
        out.push_str(&format!(
            "<url><loc>{site}/agencies/{}{path}</loc></url>\n",
            agency.code
        ));
    }
    let items = app.store.public_publications(&agency.code).await?;
    for p in items.iter().take(SITEMAP_ADDRESSES - 6) {
        out.push_str(&format!(
            "<url><loc>{site}/agencies/{}/publications/{}</loc>{}</url>\n",
            agency.code,
            p.id,
            p.published_on
                .map(|d| format!("<lastmod>{d}</lastmod>"))
                .unwrap_or_default()
        ));
    }
    out.push_str("</urlset>\n");
    Ok(xml_response(out))
}

fn xml_response(body: String) -> Response {
    (
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        body,
    )
        .into_response()
}

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    agency: String,
    #[serde(default)]
    category: String,
}

/// `/search?q=…`: public publications matching every word, with the words marked.
/// The best matches a search shows (each read from the database to show only what is public
/// now, with its words marked).
const SEARCH_PAGE: usize = 20;

/// Up to this many agencies, the search form lists every one of them.
const SEARCH_LIST_ALL: usize = 300;

pub async fn search<S: Store>(
    State(app): Shared<S>,
    Query(query): Query<SearchQuery>,
) -> Result<Response, WebError> {
    let Some(search) = app.search().cloned() else {
        return Err(WebError::NotFound("本站未启用全文检索".into()));
    };
    let agencies = app.agencies().await?;
    let agency = match query.agency.trim() {
        "" => None,
        code => {
            Some(AgencyCode::parse(code).map_err(|_| WebError::NotFound("没有这个机关".into()))?)
        }
    };
    let text = gongkai_domain::search::query(&query.q)?;
    let filter = gongkai_domain::search::SearchFilter {
        agency: agency.clone(),
        category: Some(query.category.trim().to_string()).filter(|c| !c.is_empty()),
    };
    let tokens = search.tokens(text);
    let hits = if text.is_empty() {
        Vec::new()
    } else {
        search
            .search(text, &filter, SEARCH_PAGE)
            .await
            .map_err(WebError::Internal)?
    };
    let keys: Vec<(AgencyCode, u64)> = hits.iter().map(|h| (h.agency.clone(), h.id)).collect();
    // The index may lag the database by a moment: show only what is public now.
    let results: Vec<Publication> = app
        .store
        .publications_by_keys(&keys)
        .await?
        .into_iter()
        .filter(Publication::is_public)
        .collect();
    let mark = |text: &str, width: usize| -> Markup {
        html! { @for (run, hit) in gongkai_domain::search::highlight(text, &tokens, width) {
            @if hit { mark { (run) } } @else { (run) }
        } }
    };
    // A province has thousands of townships: the list names them only when it is short; a
    // township's own pages search within it (`?agency=`), which keeps it selected here.
    let listed = |a: &gongkai_domain::Agency| {
        agencies.len() <= SEARCH_LIST_ALL
            || agency.as_ref() == Some(&a.code)
            || !matches!(
                a.level,
                gongkai_domain::AgencyLevel::Township | gongkai_domain::AgencyLevel::Department
            )
    };
    let name_of = |code: &AgencyCode| {
        agencies
            .iter()
            .find(|a| &a.code == code)
            .map_or(code.to_string(), |a| a.name.clone())
    };
    // Searching from an agency's pages keeps that agency's navigation around the results.
    let searched_in = agency
        .as_ref()
        .and_then(|code| agencies.iter().find(|a| &a.code == code));
    Ok(page("检索", Chrome { agency: searched_in, ..Chrome::default() }, html! {
        h1 { "政府信息检索" }
        form.inline method="get" action="/search" role="search" {
            div.field { label for="q" { "关键词" } input #q type="search" name="q" value=(text) placeholder="如 老旧小区 改造"; }
            div.field { label for="agency" { "机关" } select #agency name="agency" {
                option value="" { "全部机关" }
                @for a in agencies.iter().filter(|a| listed(a)) { option value=(a.code) selected[agency.as_ref() == Some(&a.code)] { (a.name) } }
            } }
            input type="hidden" name="category" value=(query.category);
            button type="submit" { "检索" }
        }
        @if !text.is_empty() {
            p #result-count { "找到" (results.len()) "条" @if results.len() == 50 { "（只显示前50条）" } "。" }
            ol.results {
                @for p in &results {
                    li {
                        h2 { a href={ "/agencies/" (p.agency) "/publications/" (p.id) } { (mark(&p.draft.title, 200)) } }
                        p { (mark(&p.draft.body.iter().map(|l| crate::richtext::plain(l)).collect::<Vec<_>>().join(" "), 120)) }
                        p.muted { (name_of(&p.agency)) " · " (p.draft.category) " · " @if let Some(d) = p.published_on { (d) } " · " (p.index_number.as_deref().unwrap_or("")) }
                    }
                }
            }
        }
    }).into_response())
}

/// A file of a public item (the public sees nothing of what is not public).
pub async fn attachment<S: Store>(
    State(app): Shared<S>,
    Path((code, id, index)): Path<(String, u64, usize)>,
) -> Result<Response, WebError> {
    let agency = agency_of(&app, &code).await?;
    let p = app
        .store
        .publication(&agency.code, id)
        .await?
        .filter(|p| p.is_public())
        .ok_or_else(|| WebError::NotFound("没有这条信息".into()))?;
    serve_attachment(&app, &p, index).await
}

/// 主动公开基本目录 for the public: every matter the agency must publish, what it holds (内容概述),
/// on what basis, by when, by whom and where — with a link to what is published under it.
pub async fn basic_catalog<S: Store>(
    State(app): Shared<S>,
    Path(code): Path<String>,
) -> Result<Markup, WebError> {
    let agency = agency_of(&app, &code).await?;
    let entries = app.store.catalog_entries(&agency.code).await?;
    let public = app.store.public_publications(&agency.code).await?;
    Ok(page(
        "主动公开基本目录",
        Chrome {
            agency: Some(&agency),
            ..Chrome::default()
        },
        html! {
            h1 { (agency.name) " · 主动公开基本目录" }
            p.muted { "本机关依照《政府信息公开条例》第二十条至第二十二条和上级要求编制的主动公开事项清单；每项公开的具体信息见"
                a href={ "/agencies/" (agency.code) "/publications" } { "政府信息公开目录" } "。" }
            @if entries.is_empty() {
                p.muted { "本机关尚未发布主动公开基本目录。" }
            } @else {
                div.scroll tabindex="0" { table #basic-catalog {
                    thead { tr { th { "公开事项" } th { "内容概述" } th { "公开依据" } th { "公开时限" } th { "公开主体" } th { "公开渠道" } th { "已公开" } } }
                    tbody { @for e in &entries {
                        @let count = public.iter().filter(|p| p.draft.catalog_entry == Some(e.id)).count();
                        tr {
                            td { (e.matter) }
                            td { @if e.summary.is_empty() { (e.content) } @else { (e.summary) } }
                            td { (e.basis) } td { (e.time_limit) } td { (e.owner) } td { (e.channels) }
                            td { (count) "条" }
                        }
                    } }
                } }
            }
        },
    ))
}
