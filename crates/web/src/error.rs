//! What a request can fail with, as a page a person can act on (or JSON for the API).

use axum::{
    Json,
    http::{StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use gongkai_domain::{DomainError, store::StoreError};

use crate::views;

#[derive(Debug)]
pub enum WebError {
    /// A form field is wrong (field name, message in Chinese).
    Field {
        field: String,
        message: String,
    },
    BadRequest(String),
    NotFound(String),
    /// Logged in, but not allowed.
    Forbidden(String),
    /// A browser page that needs a login.
    LoginRequired,
    /// An API call without a valid bearer token.
    Unauthorized,
    Conflict(String),
    TooManyRequests,
    /// The server is at its limit for uploads held at once; try again shortly.
    Busy,
    /// A daily quota is used up (the message says which and what else to do).
    Quota(String),
    /// Logged for operators; the public sees a generic message.
    Internal(String),
}

impl WebError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::Field {
            field: field.to_string(),
            message: message.into(),
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            Self::Field { .. } | Self::BadRequest(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::LoginRequired | Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            Self::Busy => StatusCode::SERVICE_UNAVAILABLE,
            Self::Quota(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn message(&self) -> String {
        match self {
            Self::Field { field, message } => format!("{field}：{message}"),
            Self::BadRequest(m)
            | Self::NotFound(m)
            | Self::Forbidden(m)
            | Self::Conflict(m)
            | Self::Quota(m) => {
                m.clone()
            }
            Self::LoginRequired => "请先登录".into(),
            Self::Unauthorized => {
                "需要有效的接口令牌：Authorization: Bearer …（gongkai admin token create --user 用户名）"
                    .into()
            }
            Self::TooManyRequests => "操作过于频繁，请一分钟后再试".into(),
            Self::Busy => "同时上传的文件较多，服务器暂时繁忙，请稍后重新提交（已填写的内容请先保存）".into(),
            Self::Internal(_) => "服务器内部错误，已记录，请稍后再试".into(),
        }
    }

    fn log(&self) {
        if let Self::Internal(detail) = self {
            tracing::error!(detail = %detail, "internal error");
        }
    }

    /// The same failure as JSON, for `/api/v1`.
    pub fn into_json(self) -> Response {
        self.log();
        let status = self.status();
        let mut body = serde_json::json!({ "error": self.message() });
        if let Self::Field { field, .. } = &self {
            body["field"] = serde_json::Value::String(field.clone());
        }
        (status, Json(body)).into_response()
    }
}

impl From<DomainError> for WebError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::Invalid { field, message } => Self::Field { field, message },
            DomainError::Statute(v) => Self::BadRequest(v.to_string()),
            DomainError::State(m) => Self::Conflict(m),
            DomainError::Forbidden(m) => Self::Forbidden(m),
            DomainError::Conflict(m) => Self::Conflict(m),
            DomainError::NotFound(m) => Self::NotFound(m),
        }
    }
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Domain(d) => d.into(),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        self.log();
        if matches!(self, Self::LoginRequired) {
            return Redirect::to("/staff/login").into_response();
        }
        let status = self.status();
        let page = views::error_page(status, &self.message());
        let mut response = (status, page).into_response();
        if status == StatusCode::TOO_MANY_REQUESTS {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from_static("60"));
        }
        response
    }
}

/// The API's wrapper: the same errors, as JSON.
pub struct ApiError(pub WebError);

impl<E: Into<WebError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        Self(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.into_json()
    }
}
