//! 公众参与: the back office's list of messages (领导信箱, 12345, 民意征集, 网上调查) by their
//! reply deadline, the forms to record and reply, the way to turn one into an application; and
//! the portal's published replies.

use std::sync::Arc;

use axum::{
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use gongkai_domain::{
    participation::{self, Message, NewMessage, ParticipationChannel},
    store::Store,
};
use gongkai_law::{date::chinese, parse_date};
use maud::{Markup, html};
use serde::{Deserialize, Serialize};

use crate::{
    app::App,
    error::WebError,
    security::{CsrfForm, CsrfToken, Staff},
    usecases::participation as messages,
    views::{Chrome, FormState, Input, chrome, csrf_field, field, page, urlencode},
};

type Shared<S> = State<Arc<App<S>>>;

const CHANNELS: [(&str, &str); 4] = [
    ("mailbox", "领导信箱"),
    ("hotline", "12345热线转办"),
    ("consultation", "民意征集"),
    ("survey", "网上调查"),
];

#[derive(Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    done: String,
}

pub async fn participation_page<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    Query(done): Query<Done>,
) -> Result<Markup, WebError> {
    let form = FormState {
        values: [("received".to_string(), app.today().to_string())].into(),
        ..FormState::default()
    };
    view(&app, &staff, &csrf, &done.done, &form, None).await
}

async fn view<S: Store>(
    app: &App<S>,
    staff: &Staff,
    csrf: &CsrfToken,
    done: &str,
    form: &FormState,
    error: Option<&str>,
) -> Result<Markup, WebError> {
    let agency = app.agency(&staff.user.agency).await?;
    let read = messages::read_messages(app, &agency.code).await?;
    let version_of = |id: u64| read.iter().find(|v| v.value.id == id).map(|v| v.version);
    let all: Vec<Message> = read.iter().map(|v| v.value.clone()).collect();
    let calendar = app.calendar();
    let today = app.today();
    let settings = &agency.settings.participation_days;
    let days = |m: &Message| participation::days_for(settings, m.channel);
    let open: Vec<&Message> = {
        let mut open: Vec<&Message> = all
            .iter()
            .filter(|m| m.reply.is_none() && m.application.is_none())
            .collect();
        open.sort_by_key(|m| m.due(&calendar, days(m)));
        open
    };
    let closed: Vec<&Message> = all
        .iter()
        .filter(|m| m.reply.is_some() || m.application.is_some())
        .collect();
    let year = participation::year(&all, &calendar, settings, today.year());
    Ok(page(
        "公众参与",
        chrome(staff, csrf),
        html! {
            h1 { (agency.name) " · 公众参与" }
            @if !done.is_empty() { p.notice role="status" { "已" (done) "。" } }
            @if let Some(error) = error { p.alert role="alert" { (error) } }
            p.muted { "回复期限（工作日，自收到之日起）："
                @for (i, channel) in ParticipationChannel::ALL.iter().enumerate() {
                    @if i > 0 { "；" } (channel.label()) (participation::days_for(settings, *channel)) "个"
                }
                "。期限可在机关设置中调整。" }
            @if !year.is_empty() {
                table #participation-year {
                    caption { (today.year()) "年各渠道情况" }
                    thead { tr { th { "渠道" } th { "来信" } th { "已回复" } th { "逾期回复" } th { "转为申请" } } }
                    tbody { @for (channel, c) in &year {
                        tr { th scope="row" { (channel.label()) } td { (c.received) } td { (c.replied) } td { (c.replied_late) } td { (c.became_applications) } }
                    } }
                }
            }
            h2 { "待回复（" (open.len()) "）" }
            @if open.is_empty() { p.muted { "没有待回复的来信。" } }
            ul.messages #open-messages {
                @for m in &open {
                    @let due = m.due(&calendar, days(m));
                    li {
                        strong { (m.subject) } " "
                        span.muted { (m.channel.label()) " · " (chinese(m.received)) "收到 · " (m.sender)
                            @if let Some(reference) = &m.reference { " · 工单编号 " (reference) } }
                        " "
                        @if m.is_late(&calendar, days(m), today) { span.tag.overdue { "已逾期" } }
                        @else if let Some(due) = due { span.tag { "应于" (chinese(due)) "前回复" } }
                        p { (m.text) }
                        details {
                            summary { "回复" }
                            form.stack method="post" action="/staff/participation/reply" {
                                (csrf_field(csrf))
                                input type="hidden" name="id" value=(m.id);
                                div.field { label for={ "on-" (m.id) } { "回复日期" } input id={ "on-" (m.id) } type="date" name="on" value=(today) required; }
                                div.field { label for={ "reply-" (m.id) } { "回复内容" } textarea id={ "reply-" (m.id) } name="text" required {} }
                                p { button type="submit" { "回复" } }
                            }
                        }
                        details {
                            summary { "修改登记内容" }
                            (edit_form(csrf, m, version_of(m.id)))
                        }
                        p { a href={ "/staff/register?from_message=" (m.id) } { "这是政府信息公开申请：转为申请登记" } }
                    }
                }
            }
            h2 { "已回复" }
            ul.messages #closed-messages {
                @for m in &closed {
                    li {
                        strong { (m.subject) } " " span.muted { (m.channel.label()) " · " (chinese(m.received)) "收到"
                            @if let Some(reference) = &m.reference { " · 工单编号 " (reference) } }
                        @if let Some(number) = &m.application {
                            " · 已转为申请 " a href={ "/staff/cases/" (number) } { (number) }
                        }
                        @if let Some(reply) = &m.reply {
                            " · " (chinese(reply.on)) "回复"
                            @if m.is_late(&calendar, days(m), today) { " " span.tag.overdue { "逾期回复" } }
                            @if m.is_public() { " " span.tag.ok { "已在网站公开" } }
                            p { (reply.text) }
                        }
                    }
                }
            }
            h2 #add { "登记来信" }
            form.stack method="post" action="/staff/participation" {
                (csrf_field(csrf))
                (field(form, "channel", "渠道", Input::Select(&CHANNELS), true, None))
                (field(form, "received", "收到日期", Input::Date, true, Some("12345转办的，为工单转到本机关之日")))
                (field(form, "reference", "工单编号", Input::Text, false, Some("12345等平台转来的，填写平台的工单编号（同一工单只登记一次）；其他可不填")))
                (field(form, "sender", "来信人", Input::Text, false, Some("不填写则为匿名；网站上只显示姓氏")))
                (field(form, "subject", "主题", Input::Text, true, None))
                (field(form, "text", "内容", Input::TextArea, true, None))
                label.check { input type="checkbox" name="publishable" value="yes" checked[form.value("publishable") == "yes"]; " 来信人同意在网站公开来信和回复" }
                p { button type="submit" { "登记" } }
            }
        },
    ))
}

/// A message as recorded, prefilled to be corrected (its fields' ids carry its number).
fn edit_form(csrf: &CsrfToken, m: &Message, version: Option<u64>) -> Markup {
    let id = |name: &str| format!("e-{name}-{}", m.id);
    html! {
        form.stack method="post" action="/staff/participation/edit" {
            (csrf_field(csrf))
            input type="hidden" name="id" value=(m.id);
            @if let Some(version) = version { input type="hidden" name="version" value=(version); }
            div.field { label for=(id("channel")) { "渠道" }
                select id=(id("channel")) name="channel" {
                    @for (code, text) in CHANNELS { option value=(code) selected[code == m.channel.code()] { (text) } }
                } }
            div.field { label for=(id("received")) { "收到日期" } input id=(id("received")) type="date" name="received" value=(m.received) required; }
            div.field { label for=(id("reference")) { "工单编号" } input id=(id("reference")) type="text" name="reference" value=(m.reference.as_deref().unwrap_or("")); }
            div.field { label for=(id("sender")) { "来信人" } input id=(id("sender")) type="text" name="sender" value=(if m.sender == "匿名" { "" } else { &m.sender }); }
            div.field { label for=(id("subject")) { "主题" } input id=(id("subject")) type="text" name="subject" value=(m.subject) required; }
            div.field { label for=(id("text")) { "内容" } textarea id=(id("text")) name="text" required { (m.text) } }
            label.check { input type="checkbox" name="publishable" value="yes" checked[m.publishable]; " 来信人同意在网站公开来信和回复" }
            p { button type="submit" { "保存修改" } }
        }
    }
}

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
pub struct MessageForm {
    channel: String,
    received: String,
    reference: String,
    sender: String,
    subject: String,
    text: String,
    publishable: String,
}

impl MessageForm {
    fn message(&self) -> Result<NewMessage<'_>, WebError> {
        let channel = ParticipationChannel::from_code(self.channel.trim())
            .ok_or_else(|| WebError::field("channel", "请选择渠道"))?;
        let received = parse_date("收到日期", &self.received)
            .map_err(|_| WebError::field("received", "请填写收到日期（YYYY-MM-DD）"))?;
        Ok(NewMessage {
            channel,
            received,
            sender: &self.sender,
            subject: &self.subject,
            text: &self.text,
            publishable: self.publishable == "yes",
            reference: &self.reference,
        })
    }
}

/// A field the domain named in words, as the form names it.
fn form_field(field: &str) -> &str {
    match field {
        "主题" => "subject",
        "内容" => "text",
        "来信人" => "sender",
        "收到日期" => "received",
        "工单编号" => "reference",
        other => other,
    }
}

pub async fn add<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<MessageForm>,
) -> Result<Response, WebError> {
    let result = async { messages::add(&app, &staff.actor, form.message()?).await }.await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!(
            "/staff/participation?done={}",
            urlencode("登记来信")
        ))
        .into_response()),
        Err(e @ (WebError::Field { .. } | WebError::BadRequest(_))) => {
            let mut kept = FormState::keep(&form);
            if let WebError::Field { field, message } = &e {
                kept.errors
                    .insert(form_field(field).to_string(), message.clone());
            }
            let body = view(&app, &staff, &csrf, "", &kept, Some(&e.message())).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
        Err(e) => Err(e),
    }
}

/// Its numbers as text: a flattened form reads every value as a string.
#[derive(Deserialize, Default)]
pub struct EditForm {
    #[serde(default)]
    id: String,
    #[serde(default)]
    version: String,
    #[serde(flatten)]
    message: MessageForm,
}

/// 修改登记内容 of a message not yet replied to.
pub async fn edit<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<EditForm>,
) -> Result<Response, WebError> {
    let result = async {
        let id = form
            .id
            .trim()
            .parse::<u64>()
            .map_err(|_| WebError::NotFound("没有这件来信".into()))?;
        let version = form.version.trim().parse::<u64>().ok();
        let new = form.message.message()?;
        messages::edit(&app, &staff.actor, id, version, new).await
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!(
            "/staff/participation?done={}",
            urlencode("修改来信")
        ))
        .into_response()),
        Err(e @ (WebError::Field { .. } | WebError::BadRequest(_) | WebError::Conflict(_))) => {
            let form = FormState {
                values: [("received".to_string(), app.today().to_string())].into(),
                ..FormState::default()
            };
            let body = view(&app, &staff, &csrf, "", &form, Some(&e.message())).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReplyForm {
    id: u64,
    version: Option<u64>,
    on: String,
    text: String,
}

pub async fn reply<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<ReplyForm>,
) -> Result<Response, WebError> {
    let result = async {
        let on = parse_date("回复日期", &form.on)
            .map_err(|_| WebError::field("on", "请填写回复日期（YYYY-MM-DD）"))?;
        messages::reply(&app, &staff.actor, form.id, form.version, on, &form.text).await
    }
    .await;
    match result {
        Ok(_) => Ok(
            Redirect::to(&format!("/staff/participation?done={}", urlencode("回复")))
                .into_response(),
        ),
        Err(e @ (WebError::Field { .. } | WebError::BadRequest(_) | WebError::Conflict(_))) => {
            let form = FormState {
                values: [("received".to_string(), app.today().to_string())].into(),
                ..FormState::default()
            };
            let body = view(&app, &staff, &csrf, "", &form, Some(&e.message())).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
        Err(e) => Err(e),
    }
}

/// 回复选登: the replies the senders agreed to publish, newest first.
pub async fn public_replies<S: Store>(
    State(app): Shared<S>,
    Path(code): Path<String>,
) -> Result<Markup, WebError> {
    let agency = app.agency_named(&code).await?;
    let shown: Vec<Message> = messages::messages(&app, &agency.code)
        .await?
        .into_iter()
        .filter(Message::is_public)
        .take(200)
        .collect();
    Ok(page(
        "公众参与",
        Chrome {
            agency: Some(&agency),
            ..Chrome::default()
        },
        html! {
            h1 { "公众参与 · 来信回复选登" }
            p.muted { "经来信人同意公开的来信和本机关的回复。" }
            @if shown.is_empty() { p.muted { "暂无公开的回复。" } }
            ol.results #public-replies {
                @for m in &shown {
                    li {
                        h2 { (m.subject) }
                        p.muted { (m.channel.label()) " · " (m.sender_masked()) " · " (chinese(m.received)) }
                        p { (m.text) }
                        @if let Some(reply) = &m.reply {
                            p.notice { strong { "回复（" (chinese(reply.on)) "）：" } (reply.text) }
                        }
                    }
                }
            }
        },
    ))
}
