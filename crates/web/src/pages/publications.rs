//! 主动公开 in the back office: drafting, the review chain step by step (保密审查 always in
//! it), 索引号 on release, scheduled release, withdrawal, 有效性; what is late or due soon
//! per department (第二十六条: 20 working days from 成文).

use std::{collections::BTreeMap, sync::Arc};

use axum::{
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use gongkai_domain::{
    Actor, Agency, Role,
    publication::{
        Draft, Publication, PublicationAction, PublicationState, Validity,
        interpretation::{self, InterpretationForm, Interprets},
    },
    store::Store,
};
use gongkai_law::{Date, date::chinese, parse_date};
use maud::{Markup, html};
use serde::Deserialize;

use crate::{
    app::App,
    error::WebError,
    security::{CsrfForm, CsrfToken, CsrfUpload, Staff},
    usecases::{
        publications::{self, act_on, days_left, release_scheduled},
        statistics::year_of,
    },
    views::{
        Fields, FormState, Input, attachment_list, catalog_options, chrome, csrf_field, due_tag,
        field, get, page, row_class, urlencode,
    },
};

type Shared<S> = State<Arc<App<S>>>;

/// 公开目录 categories offered when drafting (an agency's catalog may add its own).
pub const CATEGORIES: [&str; 10] = [
    "机构职能",
    "政策文件/规范性文件",
    "政策文件/其他文件",
    "政策解读",
    "规划计划",
    "财政信息/预算决算",
    "重点领域/民生保障",
    "重点领域/城乡建设",
    "政务动态",
    "年度报告",
];

pub use gongkai_domain::publication::CHANNELS;

const QUARTERS: [&str; 4] = ["一季度", "二季度", "三季度", "四季度"];

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    state: String,
    /// The year of the channel counts.
    #[serde(default)]
    year: Option<i16>,
    #[serde(default)]
    done: String,
}

pub async fn list<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    Query(query): Query<ListQuery>,
) -> Result<Markup, WebError> {
    let agency = app.agency(&staff.user.agency).await?;
    release_scheduled(&app, &agency).await?;
    let all = app.store.publications(&agency.code).await?;
    let calendar = app.calendar();
    let today = app.today();
    let mut by_department: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    for p in &all {
        let entry = by_department
            .entry(
                p.draft
                    .department
                    .clone()
                    .unwrap_or_else(|| "未指定科室".into()),
            )
            .or_default();
        match days_left(&app, p) {
            Some(n) if n < 0 => entry.0 += 1,
            Some(n) if n <= 3 => entry.1 += 1,
            _ => {}
        }
        if p.published_on.is_some() && p.is_late(&calendar, today) {
            entry.2 += 1;
        }
    }
    let year = year_of(&app, query.year)?;
    let in_year: Vec<&Publication> = all
        .iter()
        .filter(|p| p.is_public() && p.published_on.is_some_and(|d| d.year() == year))
        .collect();
    let in_quarter = |q: i8| -> Vec<&Publication> {
        in_year
            .iter()
            .copied()
            .filter(|p| p.published_on.is_some_and(|d| (d.month() - 1) / 3 == q))
            .collect()
    };
    let on_channel = |items: &[&Publication], c: &str| {
        items
            .iter()
            .filter(|p| p.draft.channels.iter().any(|x| x == c))
            .count()
    };
    let shown: Vec<&Publication> = all
        .iter()
        .filter(|p| match query.state.as_str() {
            "" => true,
            "late" => days_left(&app, p).is_some_and(|n| n < 0),
            "review" => matches!(p.state, PublicationState::InReview(_)),
            code => p.state.code() == code,
        })
        .collect();
    Ok(page(
        "主动公开",
        chrome(&staff, &csrf),
        html! {
            h1 { (agency.name) " · 主动公开" }
            @if !query.done.is_empty() { p.notice role="status" { "已" (query.done) "。" } }
            p { a.button href="/staff/publications/new" { "起草公开信息" } }
            h2 { "各科室时限情况（第二十六条：自形成或变更之日起20个工作日内公开）" }
            div.scroll tabindex="0" { table {
                thead { tr { th { "科室" } th.num { "未发布且已超期" } th.num { "3个工作日内到期" } th.num { "今年超期发布" } } }
                tbody { @for (dept, (late, soon, late_published)) in &by_department {
                    tr { td { (dept) } td.num { (late) } td.num { (soon) } td.num { (late_published) } }
                } }
            } }
            h2 { (year) "年各渠道发布数量" }
            form.inline method="get" action="/staff/publications" {
                div.field { label for="channel-year" { "年度" } input #channel-year type="number" name="year" value=(year) min="2008" max=(today.year()); }
                button.secondary type="submit" { "查看" }
            }
            div.scroll tabindex="0" { table #channels {
                thead { tr { th { "渠道" } th.num { "全年" } @for q in QUARTERS { th.num { (q) } } } }
                tbody {
                    @for c in CHANNELS {
                        tr {
                            td { (c) }
                            td.num { (on_channel(&in_year, c)) }
                            @for q in 0..4 { td.num { (on_channel(&in_quarter(q), c)) } }
                        }
                    }
                    tr {
                        th { "合计（各渠道发布次数）" }
                        th.num { (in_year.iter().map(|p| p.draft.channels.len()).sum::<usize>()) }
                        @for q in 0..4 { th.num { (in_quarter(q).iter().map(|p| p.draft.channels.len()).sum::<usize>()) } }
                    }
                    tr {
                        th { "政府信息条数" }
                        th.num { (in_year.len()) }
                        @for q in 0..4 { th.num { (in_quarter(q).len()) } }
                    }
                }
            } }
            form.inline method="get" action="/staff/publications" {
                div.field { label for="state" { "筛选" } select #state name="state" {
                    @for (code, label) in [("", "全部"), ("draft", "草稿"), ("review", "审核中"), ("scheduled", "待发布"), ("published", "已发布"), ("withdrawn", "已撤回"), ("late", "未发布且已超期")] {
                        option value=(code) selected[query.state == code] { (label) }
                    }
                } }
                button type="submit" { "筛选" }
            }
            div.scroll tabindex="0" { table #publications {
                thead { tr { th { "标题" } th { "栏目" } th { "状态" } th { "成文日期" } th { "发布日期" } th { "期限" } th { "索引号" } } }
                tbody { @for p in &shown {
                    @let left = days_left(&app, p);
                    tr class=(row_class(left)) {
                        td { a href={ "/staff/publications/" (p.id) } { (p.draft.title) } }
                        td { (p.draft.category) }
                        td { (state_label(p)) }
                        td { (p.draft.written_on) }
                        td { @if let Some(d) = p.published_on { (d) @if p.is_late(&calendar, today) { " " span.tag.overdue { "超期发布" } } } }
                        td { @if left.is_some() { (due_tag(left)) } }
                        td { (p.index_number.as_deref().unwrap_or("")) }
                    }
                } }
            } }
        },
    ))
}

fn state_label(p: &Publication) -> String {
    match p.state {
        PublicationState::InReview(step) => format!("审核中：{}", p.chain.steps()[step].name),
        PublicationState::Published if p.validity != Validity::Valid => {
            format!("已发布，{}", p.validity.label())
        }
        other => other.label().to_string(),
    }
}

fn draft_form(
    staff: &Staff,
    csrf: &CsrfToken,
    form: &FormState,
    action: &str,
    title: &str,
    choices: &DraftChoices,
) -> Markup {
    let categories: Vec<(&str, &str)> = CATEGORIES.iter().map(|c| (*c, *c)).collect();
    let mut catalog: Vec<(&str, &str)> = vec![("", "（不对应目录条目）")];
    catalog.extend(
        choices
            .catalog
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str())),
    );
    let mut documents: Vec<(&str, &str)> = vec![("", "（不是政策解读）")];
    documents.extend(
        choices
            .documents
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str())),
    );
    let forms: Vec<(&str, &str)> = InterpretationForm::ALL
        .iter()
        .map(|f| (f.code(), f.label()))
        .collect();
    page(
        title,
        chrome(staff, csrf),
        html! {
            h1 { (title) }
            p.muted { "草稿提交后按本机关审核流程逐级审核（含保密审查），全部通过后才会公开（先审后发）。" }
            @if form.has_errors() { div.alert role="alert" { ul { @for (name, m) in &form.errors { li { a href={ "#f-" (name) } { (m) } } } } } }
            form.stack method="post" action=(action) enctype="multipart/form-data" {
                (csrf_field(csrf))
                (field(form, "title", "标题", Input::Text, true, None))
                (field(form, "category", "公开目录栏目", Input::Select(&categories), true, None))
                (field(form, "topic", "主题分类", Input::Text, false, Some("如 财政、金融、审计")))
                (field(form, "written_on", "成文日期", Input::Date, true, Some("形成之日：20个工作日内应当公开（第二十六条）")))
                (field(form, "changed_on", "变更日期", Input::Date, false, Some("信息变更的（如修订已发布的信息），自变更之日起20个工作日内公开（第二十六条）；新形成的信息留空")))
                (field(form, "doc_number", "文号", Input::Text, false, Some("如 示太政发〔2026〕3号")))
                (field(form, "department", "主办科室", Input::Text, false, None))
                (field(form, "catalog_entry", "落实的目录条目", Input::Select(&catalog), false, Some("主动公开基本目录中的哪一项")))
                (field(form, "release_on", "定时发布日期", Input::Date, false, Some("留空则审核通过即发布")))
                fieldset {
                    legend { "政策解读" }
                    (field(form, "interprets_document", "解读的政策文件", Input::Select(&documents), false, Some("本信息是对哪一件已公开的政策文件的解读；解读与文件互相链接，并计入年度报告")))
                    (field(form, "interprets_form", "解读形式", Input::Select(&forms), false, None))
                }
                fieldset {
                    legend { "公开方式、渠道" }
                    @for c in CHANNELS {
                        label { input type="checkbox" name={ "channel_" (c) } value="yes" checked[c == "政府网站" || form.value(&format!("channel_{c}")) == "yes"]; " " (c) }
                    }
                }
                (field(form, "body", "正文", Input::TextArea, true, Some("每段一行。可用“## ”开头写小标题，“- ”或“1. ”开头写列表，**加粗**，[文字](https://…) 写链接；其他内容按原文显示。")))
                div.field.invalid[form.error("files").is_some()] {
                    label for="f-files" { "附件" }
                    span.hint { "PDF、Word、Excel、图片或文本，每个不超过20MB，最多10个。" }
                    input #f-files type="file" name="files" multiple accept=".pdf,.doc,.docx,.xls,.xlsx,.jpg,.jpeg,.png,.txt";
                    @if let Some(e) = form.error("files") { span.error role="alert" { (e) } }
                }
                p { button type="submit" { "保存草稿" } }
            }
        },
    )
}

pub async fn new_page<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
) -> Result<Markup, WebError> {
    staff
        .actor
        .require(&staff.user.agency, Role::CaseOfficer, "起草公开信息")?;
    let form = FormState {
        values: [("written_on".to_string(), app.today().to_string())].into(),
        ..FormState::default()
    };
    let entries = draft_choices(&app, &staff.user.agency).await?;
    Ok(draft_form(
        &staff,
        &csrf,
        &form,
        "/staff/publications/new",
        "起草公开信息",
        &entries,
    ))
}

/// What the draft form offers to choose from.
struct DraftChoices {
    /// 主动公开基本目录 entries (id → name).
    catalog: BTreeMap<String, String>,
    /// Public policy documents a 解读 may explain (id, title), newest first.
    documents: Vec<(String, String)>,
}

async fn draft_choices<S: Store>(
    app: &App<S>,
    agency: &gongkai_domain::AgencyCode,
) -> Result<DraftChoices, WebError> {
    let catalog = catalog_options(&app.store.catalog_entries(agency).await?);
    let documents = app
        .store
        .public_publications(agency)
        .await?
        .into_iter()
        .filter(|p| interpretation::needs_interpretation(p) && p.superseded_by.is_none())
        .map(|p| (p.id.to_string(), crate::views::short(&p.draft.title, 40)))
        .collect();
    Ok(DraftChoices { catalog, documents })
}

fn draft_from(fields: &Fields, form: &mut FormState) -> Option<Draft> {
    let date = |name: &str, label: &str, form: &mut FormState| -> Option<Option<Date>> {
        let text = get(fields, name);
        if text.is_empty() {
            return Some(None);
        }
        match parse_date(label, &text) {
            Ok(d) => Some(Some(d)),
            Err(_) => {
                form.errors
                    .insert(name.into(), format!("{label}格式应为 YYYY-MM-DD"));
                None
            }
        }
    };
    let written_on = date("written_on", "成文日期", form)?;
    let changed_on = date("changed_on", "变更日期", form)?;
    let release_on = date("release_on", "定时发布日期", form)?;
    let Some(written_on) = written_on else {
        form.errors
            .insert("written_on".into(), "请填写成文日期".into());
        return None;
    };
    let optional = |name: &str| Some(get(fields, name)).filter(|v| !v.is_empty());
    let interprets = match get(fields, "interprets_document").as_str() {
        "" => None,
        id => {
            let document = id.parse().ok();
            let form_code = get(fields, "interprets_form");
            let kind = InterpretationForm::from_code(&form_code);
            match (document, kind) {
                (Some(document), Some(form)) => Some(Interprets { document, form }),
                (None, _) => {
                    form.errors.insert(
                        "interprets_document".into(),
                        "请从列表中选择解读的政策文件".into(),
                    );
                    return None;
                }
                (_, None) => {
                    form.errors
                        .insert("interprets_form".into(), "请选择解读形式".into());
                    return None;
                }
            }
        }
    };
    Some(Draft {
        title: get(fields, "title"),
        body: get(fields, "body")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect(),
        category: get(fields, "category"),
        topic: get(fields, "topic"),
        written_on,
        changed_on,
        doc_number: optional("doc_number"),
        channels: CHANNELS
            .iter()
            .filter(|c| get(fields, &format!("channel_{c}")) == "yes")
            .map(|c| c.to_string())
            .collect(),
        release_on,
        department: optional("department"),
        catalog_entry: get(fields, "catalog_entry").parse().ok(),
        attachments: Vec::new(),
        interprets,
    })
}

fn field_of(domain_field: &str) -> &'static str {
    match domain_field {
        "标题" => "title",
        "正文" => "body",
        "公开目录" => "category",
        "解读的政策文件" => "interprets_document",
        _ => "title",
    }
}

pub async fn create<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    CsrfUpload(submitted): CsrfUpload,
) -> Result<Response, WebError> {
    let fields: Fields = submitted.fields.clone();
    let agency = app.agency(&staff.user.agency).await?;
    let entries = draft_choices(&app, &agency.code).await?;
    let mut form = FormState {
        values: fields.clone(),
        ..FormState::default()
    };
    form.values.remove("csrf");
    let mut draft = draft_from(&fields, &mut form);
    if let Some(draft) = draft.as_mut()
        && !form.has_errors()
    {
        // Files are checked by extension and first bytes before anything is kept.
        match crate::uploads::keep(&app.store, &submitted.files).await {
            Ok(files) => draft.attachments = files,
            Err(e) => {
                form.errors.insert("files".into(), e.message());
            }
        }
    }
    let result = match draft {
        Some(draft) if !form.has_errors() => {
            publications::draft(&app, &staff.actor, &agency, draft).await
        }
        _ => {
            return Ok((
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                draft_form(
                    &staff,
                    &csrf,
                    &form,
                    "/staff/publications/new",
                    "起草公开信息",
                    &entries,
                ),
            )
                .into_response());
        }
    };
    let publication = match result {
        Ok(p) => p,
        Err(WebError::Field { field, message }) => {
            form.errors
                .insert(field_of(&field).into(), format!("{field}：{message}"));
            return Ok((
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                draft_form(
                    &staff,
                    &csrf,
                    &form,
                    "/staff/publications/new",
                    "起草公开信息",
                    &entries,
                ),
            )
                .into_response());
        }
        Err(e) => return Err(e),
    };
    Ok(Redirect::to(&format!(
        "/staff/publications/{}?done={}",
        publication.id,
        urlencode("保存草稿")
    ))
    .into_response())
}

async fn own<S: Store>(
    app: &App<S>,
    staff: &Staff,
    id: u64,
) -> Result<(Agency, Publication), WebError> {
    let agency = app.agency(&staff.user.agency).await?;
    let p = app
        .store
        .publication(&agency.code, id)
        .await?
        .ok_or_else(|| WebError::NotFound(format!("本机关没有编号为 {id} 的公开信息")))?;
    Ok((agency, p))
}

pub async fn show<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    Path(id): Path<u64>,
    Query(query): Query<ListQuery>,
) -> Result<Markup, WebError> {
    let (_, p) = own(&app, &staff, id).await?;
    let names = crate::usecases::admin::display_names(&app, Some(&staff.user.agency)).await?;
    Ok(show_view(
        &app,
        &staff,
        &csrf,
        &p,
        &names,
        &query.done,
        None,
    ))
}

fn show_view<S: Store>(
    app: &App<S>,
    staff: &Staff,
    csrf: &CsrfToken,
    p: &Publication,
    names: &crate::usecases::admin::StaffNames,
    done: &str,
    error: Option<&str>,
) -> Markup {
    let calendar = app.calendar();
    let current = match p.state {
        PublicationState::InReview(step) => Some(step),
        _ => None,
    };
    let can = |role: Role| staff.actor.has(role);
    let actor: &Actor = &staff.actor;
    html! {
        (page(&p.draft.title, chrome(staff, csrf), html! {
            p { a href="/staff/publications" { "← 返回主动公开" } }
            h1 { (p.draft.title) }
            @if !done.is_empty() { p.notice role="status" { "已" (done) "。" } }
            @if let Some(e) = error { p.alert role="alert" { (e) } }
            @if let Some(reason) = &p.reason { p.warning { "退回或撤回理由：" (reason) } }
            dl.meta {
                dt { "状态" } dd #state { strong { (state_label(p)) } }
                dt { "索引号" } dd { (p.index_number.as_deref().unwrap_or("（发布时生成）")) }
                dt { "公开目录" } dd { (p.draft.category) }
                dt { "主题分类" } dd { (p.draft.topic) }
                dt { "发布机构" } dd { (p.publisher) }
                dt { "成文日期" } dd { (chinese(p.draft.written_on)) }
                @if let Some(changed) = p.draft.changed_on { dt { "变更日期" } dd { (chinese(changed)) } }
                @if let Some(older) = p.revises { dt { "修订自" } dd { a href={ "/staff/publications/" (older) } { "第" (older) "号信息" } "（发布后取代原版本）" } }
                @if let Some(newer) = p.superseded_by { dt { "已被取代" } dd { a href={ "/staff/publications/" (newer) } { "新版本：第" (newer) "号信息" } } }
                dt { "公开时限" } dd { @if let Some(due) = p.due_reckoning(&calendar) { (chinese(due.date)) (crate::views::provisional_mark(&due)) "前（第二十六条）" } }
                dt { "发布日期" } dd { @if let Some(d) = p.published_on { (chinese(d)) } @else if let Some(d) = p.draft.release_on { "定时 " (chinese(d)) } }
                dt { "文号" } dd { (p.draft.doc_number.as_deref().unwrap_or("")) }
                dt { "有效性" } dd { (p.validity.label()) }
                dt { "公开方式" } dd { (p.draft.channels.join("、")) }
                dt { "起草人" } dd { (names.of(&p.drafted_by)) }
            }
            h2 { "审核流程（先审后发）" }
            ol.timeline #chain {
                @for (i, step) in p.chain.steps().iter().enumerate() {
                    li {
                        strong { (step.name) } "（" (step.role.label()) "）："
                        @if let Some(a) = p.approvals.iter().find(|a| a.step == i) {
                            "已通过，" (names.of(&a.by)) " " (crate::views::beijing_time(a.at))
                            @if let Some(opinion) = &a.opinion { br; span.opinion { "意见：" (opinion) } }
                        }
                        @else if current == Some(i) { span.tag.soon { "待审核" } }
                        @else { span.muted { "未到" } }
                    }
                }
            }
            h2 { "正文" }
            (crate::richtext::render(&p.draft.body))
            (attachment_list(&p.draft.attachments, &format!("/staff/publications/{}/attachments", p.id)))
            h2 { "办理" }
            div.actions {
                @if p.state == PublicationState::Draft && can(Role::CaseOfficer) {
                    (act_form(csrf, p, "submit", "提交审核", html! {}))
                }
                @if let Some(step) = current {
                    @let required = &p.chain.steps()[step];
                    @if can(required.role) && actor.user != p.drafted_by {
                        (act_form(csrf, p, "approve", &format!("{}：通过", required.name), html! {
                            @if required.role == Role::SecrecyReviewer {
                                div.field {
                                    label for="approve-opinion" { "保密审查意见（必填，随审核记录保存）" }
                                    textarea #approve-opinion name="opinion" required maxlength="500" { "经审查，该信息不涉及国家秘密、工作秘密、商业秘密和个人隐私，同意公开。" }
                                }
                            } @else {
                                div.field {
                                    label for="approve-opinion" { "审核意见（可选）" }
                                    textarea #approve-opinion name="opinion" maxlength="500" {}
                                }
                            }
                        }))
                        (act_form(csrf, p, "reject", "退回起草人", html! {
                            div.field { label for="reject-reason" { "退回理由" } textarea #reject-reason name="reason" required {} }
                        }))
                    }
                }
                @if matches!(p.state, PublicationState::Published | PublicationState::Scheduled) && can(Role::Reviewer) {
                    (act_form(csrf, p, "withdraw", "撤回", html! {
                        div.field { label for="withdraw-reason" { "撤回理由" } textarea #withdraw-reason name="reason" required {} }
                    }))
                }
                @if p.state == PublicationState::Published && p.superseded_by.is_none() && can(Role::CaseOfficer) {
                    p #revise { a.button href={ "/staff/publications/" (p.id) "/revise" } { "修订（变更）" }
                        span.muted { " 已发布的信息变更时，起草新版本，按审核流程重新审核；新版本发布后，原页面保留并指向新版本（第二十六条）。" } }
                }
                @if p.state == PublicationState::Published && can(Role::CaseOfficer) {
                    (act_form(csrf, p, "validity", "标注有效性", html! {
                        div.field { label for="validity-kind" { "有效性" } select #validity-kind name="validity" {
                            option value="valid" { "有效" } option value="repealed" { "废止" } option value="lapsed" { "失效" }
                        } }
                        div.field { label for="validity-date" { "自何日起" } input #validity-date type="date" name="date" value=(app.today()); }
                    }))
                }
            }
        }))
    }
}

fn act_form(csrf: &CsrfToken, p: &Publication, action: &str, label: &str, extra: Markup) -> Markup {
    html! {
        form.stack id={ "pub-" (action) } method="post" action={ "/staff/publications/" (p.id) "/act" } {
            (csrf_field(csrf))
            input type="hidden" name="action" value=(action);
            input type="hidden" name="version" value=(p.version);
            (extra)
            p { button type="submit" { (label) } }
        }
    }
}

/// A review-chain action on a publication: 提交、通过、退回、撤回、有效性.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ActForm {
    action: String,
    version: String,
    reason: String,
    opinion: String,
    date: String,
    validity: String,
}

impl ActForm {
    /// The action the form asks for; a wrong date is named.
    fn action(&self) -> Result<PublicationAction, WebError> {
        let reason = self.reason.trim().to_string();
        Ok(match self.action.trim() {
            "submit" => PublicationAction::Submit,
            "approve" => PublicationAction::approve_with(self.opinion.trim()),
            "reject" => PublicationAction::Reject { reason },
            "withdraw" => PublicationAction::Withdraw { reason },
            "validity" => {
                let date = parse_date("日期", self.date.trim())
                    .map_err(|_| WebError::field("日期", "格式应为 YYYY-MM-DD"))?;
                PublicationAction::ChangeValidity {
                    validity: match self.validity.trim() {
                        "repealed" => Validity::Repealed(date),
                        "lapsed" => Validity::Lapsed(date),
                        _ => Validity::Valid,
                    },
                }
            }
            other => {
                return Err(WebError::BadRequest(format!(
                    "未知的操作「{other}」",
                    other = gongkai_law::excerpt(other)
                )));
            }
        })
    }
}

pub async fn act<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    Path(id): Path<u64>,
    CsrfForm(form): CsrfForm<ActForm>,
) -> Result<Response, WebError> {
    let (agency, p) = own(&app, &staff, id).await?;
    let version = form.version.trim().parse::<u64>().ok();
    let result = match form.action() {
        Ok(action) => act_on(&app, &staff.actor, &agency, &p, action, version).await,
        Err(e) => Err(e),
    };
    match result {
        Ok((saved, label)) => Ok(Redirect::to(&format!(
            "/staff/publications/{}?done={}",
            saved.id,
            urlencode(label)
        ))
        .into_response()),
        Err(
            e @ (WebError::Field { .. }
            | WebError::Conflict(_)
            | WebError::Forbidden(_)
            | WebError::BadRequest(_)),
        ) => {
            let status = match e {
                WebError::Conflict(_) => axum::http::StatusCode::CONFLICT,
                WebError::Forbidden(_) => axum::http::StatusCode::FORBIDDEN,
                _ => axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            };
            let current = app.store.publication(&agency.code, id).await?.unwrap_or(p);
            Ok((
                status,
                show_view(
                    &app,
                    &staff,
                    &csrf,
                    &current,
                    &crate::usecases::admin::display_names(&app, Some(&staff.user.agency)).await?,
                    "",
                    Some(&e.message()),
                ),
            )
                .into_response())
        }
        Err(e) => Err(e),
    }
}

/// A file of one of the agency's own items, in any state (staff review what they approve).
pub async fn attachment<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    Path((id, index)): Path<(u64, usize)>,
) -> Result<Response, WebError> {
    let (_, p) = own(&app, &staff, id).await?;
    crate::usecases::publications::serve_attachment(&app, &p, index).await
}

/// The draft of a published item, as the form shows it for a new version (变更日期 today).
fn revision_form_values(p: &Publication, today: gongkai_law::Date) -> FormState {
    let mut values: BTreeMap<String, String> = [
        ("title", p.draft.title.clone()),
        ("category", p.draft.category.clone()),
        ("topic", p.draft.topic.clone()),
        ("written_on", p.draft.written_on.to_string()),
        ("changed_on", today.to_string()),
        ("doc_number", p.draft.doc_number.clone().unwrap_or_default()),
        ("department", p.draft.department.clone().unwrap_or_default()),
        (
            "catalog_entry",
            p.draft
                .catalog_entry
                .map(|e| e.to_string())
                .unwrap_or_default(),
        ),
        ("body", p.draft.body.join("\n")),
        (
            "interprets_document",
            p.draft
                .interprets
                .map(|x| x.document.to_string())
                .unwrap_or_default(),
        ),
        (
            "interprets_form",
            p.draft
                .interprets
                .map(|x| x.form.code().to_string())
                .unwrap_or_default(),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    for channel in &p.draft.channels {
        values.insert(format!("channel_{channel}"), "yes".into());
    }
    FormState {
        values,
        ..FormState::default()
    }
}

/// 修订（变更）: the form for a new version of a published item.
pub async fn revise_page<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    Path(id): Path<u64>,
) -> Result<Markup, WebError> {
    let (agency, p) = own(&app, &staff, id).await?;
    staff
        .actor
        .require(&agency.code, Role::CaseOfficer, "修订已发布的信息")?;
    let entries = draft_choices(&app, &agency.code).await?;
    Ok(draft_form(
        &staff,
        &csrf,
        &revision_form_values(&p, app.today()),
        &format!("/staff/publications/{id}/revise"),
        &format!("修订（变更）：{}", p.draft.title),
        &entries,
    ))
}

pub async fn revise<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    Path(id): Path<u64>,
    CsrfUpload(submitted): CsrfUpload,
) -> Result<Response, WebError> {
    let (agency, original) = own(&app, &staff, id).await?;
    let fields: Fields = submitted.fields.clone();
    let entries = draft_choices(&app, &agency.code).await?;
    let mut form = FormState {
        values: fields.clone(),
        ..FormState::default()
    };
    form.values.remove("csrf");
    let action = format!("/staff/publications/{id}/revise");
    let title = format!("修订（变更）：{}", original.draft.title);
    let mut draft = draft_from(&fields, &mut form);
    if let Some(draft) = draft.as_mut()
        && !form.has_errors()
    {
        // The published files go with the new version, and any added now.
        draft.attachments = original.draft.attachments.clone();
        match crate::uploads::keep(&app.store, &submitted.files).await {
            Ok(files) => draft.attachments.extend(files),
            Err(e) => {
                form.errors.insert("files".into(), e.message());
            }
        }
    }
    let result = match draft {
        Some(draft) if !form.has_errors() => {
            publications::revise(&app, &staff.actor, &agency, &original, draft).await
        }
        _ => Err(WebError::field("form", "")),
    };
    match result {
        Ok(revision) => Ok(Redirect::to(&format!(
            "/staff/publications/{}?done={}",
            revision.id,
            urlencode("保存修订稿")
        ))
        .into_response()),
        Err(WebError::Field { field, message }) => {
            if field != "form" {
                let name = if field == "变更日期" {
                    "changed_on"
                } else {
                    field_of(&field)
                };
                form.errors
                    .insert(name.into(), format!("{field}：{message}"));
            }
            Ok((
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                draft_form(&staff, &csrf, &form, &action, &title, &entries),
            )
                .into_response())
        }
        Err(e) => Err(e),
    }
}
