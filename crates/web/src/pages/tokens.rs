//! 接口令牌 — the API tokens of the agency's users: each named for what it is for, with an
//! expiry; created here (the secret shown once) and revoked here. The CLI does the same
//! (`gongkai admin token create|list|revoke`).

use std::sync::Arc;

use axum::{
    extract::{Query, State},
    response::{IntoResponse, Redirect, Response},
};
use gongkai_domain::{UserName, access::token_id, store::Store};
use maud::{Markup, html};
use serde::Deserialize;

use crate::{
    app::App,
    error::WebError,
    security::{CsrfForm, CsrfToken, Staff},
    usecases::admin,
    views::{chrome, csrf_field, page, urlencode},
};

type Shared<S> = State<Arc<App<S>>>;

#[derive(Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    done: String,
}

pub async fn tokens_page<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    Query(done): Query<Done>,
) -> Result<Markup, WebError> {
    view(&app, &staff, &csrf, &done.done, None, None).await
}

async fn view<S: Store>(
    app: &App<S>,
    staff: &Staff,
    csrf: &CsrfToken,
    done: &str,
    created: Option<(&str, &str)>,
    error: Option<&str>,
) -> Result<Markup, WebError> {
    let users = admin::agency_tokens(app, &staff.actor).await?;
    let now = app.now();
    Ok(page(
        "接口令牌",
        chrome(staff, csrf),
        html! {
            p { a href="/staff/admin" { "← 用户与机关设置" } }
            h1 { "接口令牌" }
            p.muted { "接口令牌让其他系统以本机关用户的身份调用 /api/v1（Authorization: Bearer …）。每个令牌写明用途、有一个有效期，可随时吊销；用户改密码或被停用时，其全部令牌随之失效。" }
            @if !done.is_empty() { p.notice role="status" { "已" (done) "。" } }
            @if let Some(e) = error { p.alert role="alert" { (e) } }
            @if let Some((secret, name)) = created {
                div.notice role="status" #new-token {
                    p { "已创建令牌“" (name) "”。请立即复制保存，离开本页后不再显示：" }
                    p { code { (secret) } }
                }
            }
            table #tokens {
                thead { tr { th { "用户" } th { "编号" } th { "用途" } th { "创建" } th { "有效期至" } th {} } }
                tbody {
                    @for (user, tokens) in &users {
                        @for t in tokens {
                            tr {
                                td { (user.display_name) "（" (user.name) "）" }
                                td { code { (token_id(t)) } }
                                td { (t.name) }
                                td { (t.created_at.strftime("%Y-%m-%d")) }
                                td {
                                    @match t.expires_at {
                                        Some(end) if end <= now => { span.tag.overdue { "已过期" } },
                                        Some(end) => { (end.strftime("%Y-%m-%d")) },
                                        None => { "不限（旧令牌，建议吊销后重建）" },
                                    }
                                }
                                td {
                                    form.inline method="post" action="/staff/admin/tokens/revoke" {
                                        (csrf_field(csrf))
                                        input type="hidden" name="user" value=(user.name);
                                        input type="hidden" name="id" value=(token_id(t));
                                        button.secondary type="submit" { "吊销" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            h2 { "创建令牌" }
            form.stack method="post" action="/staff/admin/tokens" {
                (csrf_field(csrf))
                div.field { label for="t-user" { "用户" }
                    select #t-user name="user" { @for (user, _) in &users { @if user.active { option value=(user.name) { (user.display_name) "（" (user.name) "）" } } } } }
                div.field { label for="t-name" { "用途" } input #t-name type="text" name="name" required maxlength="50" placeholder="如 统计报送"; }
                div.field { label for="t-days" { "有效天数" } input #t-days type="number" name="days" min="1" max=(gongkai_domain::access::MAX_TOKEN_DAYS) value=(gongkai_domain::access::TOKEN_DAYS); }
                p { button type="submit" { "创建" } }
            }
        },
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CreateForm {
    user: String,
    name: String,
    days: String,
}

pub async fn create<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<CreateForm>,
) -> Result<Response, WebError> {
    let result = async {
        let user =
            UserName::parse(&form.user).map_err(|_| WebError::field("user", "请选择用户"))?;
        let days = match form.days.trim() {
            "" => None,
            text => Some(
                text.parse()
                    .map_err(|_| WebError::field("days", "有效天数应为整数"))?,
            ),
        };
        admin::create_token(&app, &staff.actor, &user, &form.name, days).await
    }
    .await;
    match result {
        // Shown on this response only: the secret is never stored.
        Ok((secret, token)) => {
            Ok(
                view(&app, &staff, &csrf, "", Some((&secret, &token.name)), None)
                    .await?
                    .into_response(),
            )
        }
        Err(e @ WebError::Field { .. }) => Ok((
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            view(&app, &staff, &csrf, "", None, Some(&e.message())).await?,
        )
            .into_response()),
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RevokeForm {
    user: String,
    id: String,
}

pub async fn revoke<S: Store>(
    State(app): Shared<S>,
    staff: Staff,
    CsrfForm(form): CsrfForm<RevokeForm>,
) -> Result<Response, WebError> {
    let user =
        UserName::parse(&form.user).map_err(|_| WebError::NotFound("没有这个用户".into()))?;
    let name = admin::revoke_token(&app, &staff.actor, &user, &form.id).await?;
    Ok(Redirect::to(&format!(
        "/staff/admin/tokens?done={}",
        urlencode(&format!("吊销令牌“{name}”"))
    ))
    .into_response())
}
