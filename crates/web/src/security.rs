//! Passwords, secrets, sessions, CSRF, rate limits and the headers every response carries.

use std::{
    collections::HashMap,
    net::{IpAddr, SocketAddr},
    sync::{Arc, Mutex},
};

use argon2::{
    Argon2,
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
};
use axum::{
    body::Bytes,
    extract::{ConnectInfo, FromRequest, FromRequestParts, Request, State},
    http::{HeaderMap, HeaderValue, header, request::Parts},
    middleware::Next,
    response::Response,
};
use gongkai_domain::{
    Actor, User,
    access::{AccessKind, AccessToken, secret_hash},
    store::Store,
};
use jiff::{SignedDuration, Timestamp};

use crate::{app::App, error::WebError};

/// Letters and digits that cannot be mistaken for each other when read aloud or typed
/// (no 0/O, 1/I/L).
const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// A random secret of `len` characters from the operating system's generator.
pub fn secret(len: usize) -> String {
    let mut bytes = vec![0u8; len];
    getrandom::fill(&mut bytes).expect("the operating system's random generator");
    bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

/// 查询码: 10 characters, shown once on the receipt.
pub fn query_code() -> String {
    secret(10)
}

pub const MIN_PASSWORD_CHARS: usize = 10;

/// Checks the password rules and hashes with argon2id (PHC string, salt inside).
pub fn hash_password(password: &str) -> Result<String, WebError> {
    check_password_rules(password)?;
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("the operating system's random generator");
    let salt = SaltString::encode_b64(&salt).expect("16 bytes of salt");
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| WebError::Internal(format!("argon2: {e}")))
}

/// What a new password must be (checked before it is hashed).
pub fn check_password_rules(password: &str) -> Result<(), WebError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(WebError::field(
            "password",
            format!("密码至少{MIN_PASSWORD_CHARS}个字符"),
        ));
    }
    Ok(())
}

/// A real argon2id hash of a random password, checked when a login names no user, so that
/// the answer takes as long as for a real one.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password(&secret(24)).expect("argon2 with default parameters"))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A fixed-window counter per client address (IPv6 by /64): `limit` requests a minute.
pub struct RateLimiter {
    limit: u32,
    windows: Mutex<HashMap<IpAddr, (i64, u32)>>,
}

impl RateLimiter {
    pub fn new(limit: u32) -> Self {
        Self {
            limit,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one request; `false` when the address is over its limit this minute.
    pub fn allow(&self, ip: IpAddr, now: Timestamp) -> bool {
        let minute = now.as_second() / 60;
        let mut windows = self.windows.lock().expect("rate limiter lock");
        if windows.len() > 100_000 {
            windows.retain(|_, (m, _)| *m == minute);
        }
        let entry = windows
            .entry(crate::client::limit_key(ip))
            .or_insert((minute, 0));
        if entry.0 != minute {
            *entry = (minute, 0);
        }
        entry.1 += 1;
        entry.1 <= self.limit
    }
}

pub const SESSION_COOKIE: &str = "gk_session";
pub const CSRF_COOKIE: &str = "gk_csrf";
pub const CSRF_FIELD: &str = "csrf";

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

pub fn set_cookie(name: &str, value: &str, max_age_seconds: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; Max-Age={max_age_seconds}; HttpOnly; SameSite=Lax{secure}"
    ))
    .expect("cookie values are ASCII")
}

/// The CSRF token of this visitor: for a signed-in session, derived from the session; otherwise
/// double-submit (a cookie, and the same value in every form).
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

/// Gives every visitor a CSRF cookie, and every response the security headers.
pub async fn protect<S: Store + 'static>(
    State(app): State<Arc<App<S>>>,
    mut request: Request,
    next: Next,
) -> Response {
    let existing = cookie(request.headers(), CSRF_COOKIE).filter(|t| t.len() == 32);
    let token = existing.clone().unwrap_or_else(|| secret(32));
    // Signed in, the forms carry a token derived from the session: the anonymous cookie alone
    // (readable by any page of the site, settable by a sibling domain) no longer passes.
    let bound = cookie(request.headers(), SESSION_COOKIE)
        .filter(|id| !id.is_empty())
        .map(|id| session_csrf(&id));
    request
        .extensions_mut()
        .insert(CsrfToken(bound.unwrap_or_else(|| token.clone())));
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::from([127, 0, 0, 1]), |c| c.0.ip());
    let forwarded = request
        .headers()
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let client =
        crate::client::client_address(peer, forwarded.as_deref(), &app.config.trusted_proxies);
    request.extensions_mut().insert(ClientIp(client));
    let staff_page = request.uri().path().starts_with("/staff");
    let mut response = next.run(request).await;
    let kept = response
        .extensions()
        .get::<crate::published::Kept>()
        .is_some();
    let headers = response.headers_mut();
    if existing.is_none() && !kept {
        headers.append(
            header::SET_COOKIE,
            set_cookie(CSRF_COOKIE, &token, 60 * 60 * 24, app.config.secure_cookies),
        );
    }
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    if app.config.secure_cookies {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    if staff_page && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// The CSRF token of a signed-in session: unguessable without the session cookie itself.
fn session_csrf(session_id: &str) -> String {
    secret_hash(&format!("csrf:{session_id}"))[..32].to_string()
}

/// Refuses a form whose CSRF field does not match the visitor's cookie.
pub fn check_csrf(token: &CsrfToken, submitted: &str) -> Result<(), WebError> {
    let expected = token.0.as_bytes();
    let given = submitted.as_bytes();
    let same = expected.len() == given.len()
        && expected
            .iter()
            .zip(given)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if same {
        Ok(())
    } else {
        Err(WebError::Forbidden(
            "表单已过期或来源不明（CSRF 校验失败）：请刷新页面后重新提交".into(),
        ))
    }
}

impl<S> FromRequestParts<S> for CsrfToken
where
    S: Send + Sync,
{
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        csrf_token_of(&parts.extensions)
    }
}

/// A submitted form (`application/x-www-form-urlencoded`) whose CSRF field matched the
/// visitor's cookie: checked before the handler runs, refused with 403 otherwise. `T` is the
/// form's typed fields (the `csrf` field itself is not part of it).
pub struct CsrfForm<T>(pub T);

#[derive(serde::Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf: String,
}

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for CsrfForm<T> {
    type Rejection = WebError;
    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let token = csrf_token_of(request.extensions())?;
        let body = Bytes::from_request(request, state)
            .await
            .map_err(|e| WebError::BadRequest(format!("表单无法读取：{e}")))?;
        let field: CsrfField = serde_urlencoded::from_bytes(&body).unwrap_or(CsrfField {
            csrf: String::new(),
        });
        check_csrf(&token, &field.csrf)?;
        serde_urlencoded::from_bytes(&body)
            .map(Self)
            .map_err(|e| WebError::BadRequest(format!("表单内容不符合要求：{e}")))
    }
}

/// A form with files (multipart, within the limits of `uploads::read`; or urlencoded when no
/// file is sent) whose CSRF field matched the visitor's cookie.
pub struct CsrfUpload(pub crate::uploads::Submitted);

impl<S: Send + Sync> FromRequest<S> for CsrfUpload {
    type Rejection = WebError;
    async fn from_request(request: Request, _: &S) -> Result<Self, Self::Rejection> {
        let token = csrf_token_of(request.extensions())?;
        let submitted = crate::uploads::read_any(request).await?;
        check_csrf(&token, submitted.get(CSRF_FIELD))?;
        Ok(Self(submitted))
    }
}

fn csrf_token_of(extensions: &axum::http::Extensions) -> Result<CsrfToken, WebError> {
    extensions
        .get::<CsrfToken>()
        .cloned()
        .ok_or_else(|| WebError::Internal("CSRF middleware missing".into()))
}

/// The client's address, for rate limits (never logged): the peer, or behind a proxy given with
/// `--trusted-proxy`, the address the proxy saw (`client::client_address`).
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        // `protect` found it (behind trusted proxies, from X-Forwarded-For).
        if let Some(client) = parts.extensions.get::<ClientIp>() {
            return Ok(*client);
        }
        Ok(Self(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or(IpAddr::from([127, 0, 0, 1]), |c| c.0.ip()),
        ))
    }
}

/// A logged-in staff member (browser session).
#[derive(Debug, Clone)]
pub struct Staff {
    pub user: User,
    pub actor: Actor,
    /// 机关名称 of the user's agency, as the pages name it.
    pub agency_name: String,
    /// sha256 of the session id (to log out).
    pub session_hash: String,
    /// How many items wait on this person's decision (the menu's count); counted for pages
    /// (GET) only.
    pub waiting: Option<usize>,
}

/// A staff member calling the API with a bearer token.
#[derive(Debug, Clone)]
pub struct ApiStaff {
    pub user: User,
    pub actor: Actor,
}

async fn active_user<S: Store>(
    app: &App<S>,
    hash: &str,
    kind: AccessKind,
) -> Result<Option<User>, WebError> {
    let Some(token) = app.store.access_token(hash).await? else {
        return Ok(None);
    };
    if token.kind != kind || !token.is_valid_at(app.now()) {
        return Ok(None);
    }
    Ok(app.store.user(&token.user).await?.filter(|u| u.active))
}

impl<S: Store + 'static> FromRequestParts<Arc<App<S>>> for Staff {
    type Rejection = WebError;
    async fn from_request_parts(
        parts: &mut Parts,
        app: &Arc<App<S>>,
    ) -> Result<Self, Self::Rejection> {
        let Some(id) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(WebError::LoginRequired);
        };
        let hash = secret_hash(&id);
        match active_user(app, &hash, AccessKind::Session).await? {
            Some(user) => {
                let actor = Actor::of(&user);
                let waiting = if parts.method == axum::http::Method::GET {
                    Some(
                        crate::usecases::waiting::waiting_for(app, &actor, &user.agency)
                            .await?
                            .count(),
                    )
                } else {
                    None
                };
                Ok(Staff {
                    actor,
                    waiting,
                    agency_name: app
                        .agencies()
                        .await?
                        .iter()
                        .find(|a| a.code == user.agency)
                        .map_or_else(|| user.agency.to_string(), |a| a.name.clone()),
                    user,
                    session_hash: hash,
                })
            }
            None => Err(WebError::LoginRequired),
        }
    }
}

impl<S: Store + 'static> FromRequestParts<Arc<App<S>>> for ApiStaff {
    type Rejection = crate::error::ApiError;
    async fn from_request_parts(
        parts: &mut Parts,
        app: &Arc<App<S>>,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(WebError::Unauthorized)?;
        match active_user(app, &secret_hash(token), AccessKind::ApiToken).await? {
            Some(user) => Ok(ApiStaff {
                actor: Actor::of(&user),
                user,
            }),
            None => Err(WebError::Unauthorized.into()),
        }
    }
}

/// Starts a session: a new random id in the cookie, its hash in the store.
pub async fn start_session<S: Store>(app: &App<S>, user: &User) -> Result<HeaderValue, WebError> {
    let id = secret(40);
    let now = app.now();
    let token = AccessToken {
        hash: secret_hash(&id),
        kind: AccessKind::Session,
        user: user.name.clone(),
        created_at: now,
        expires_at: Some(now + SignedDuration::from_hours(app.config.session_hours)),
        name: "网页登录".into(),
    };
    app.store
        .add_access_token(&token, &app.stamp(user.name.as_str()))
        .await?;
    Ok(set_cookie(
        SESSION_COOKIE,
        &id,
        app.config.session_hours * 3600,
        app.config.secure_cookies,
    ))
}

/// A new API token for a user, named for what it is for, lasting `days` (1 to
/// `MAX_TOKEN_DAYS`; default `TOKEN_DAYS`): the secret is returned once, only its hash kept.
pub async fn create_api_token<S: Store>(
    store: &S,
    user: &User,
    name: &str,
    days: Option<u32>,
    stamp: &gongkai_domain::store::Stamp,
) -> Result<(String, AccessToken), WebError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 50 {
        return Err(WebError::field(
            "name",
            "请写明令牌的用途（1–50字），如“统计报送”",
        ));
    }
    let days = days.unwrap_or(gongkai_domain::access::TOKEN_DAYS);
    if !(1..=gongkai_domain::access::MAX_TOKEN_DAYS).contains(&days) {
        return Err(WebError::field(
            "days",
            format!("有效期应为1至{}天", gongkai_domain::access::MAX_TOKEN_DAYS),
        ));
    }
    let secret_token = format!("gk_{}", secret(40));
    let token = AccessToken {
        hash: secret_hash(&secret_token),
        kind: AccessKind::ApiToken,
        user: user.name.clone(),
        created_at: stamp.at,
        expires_at: Some(stamp.at + SignedDuration::from_hours(24 * i64::from(days))),
        name: name.to_string(),
    };
    store.add_access_token(&token, stamp).await?;
    Ok((secret_token, token))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_use_the_unambiguous_alphabet() {
        let s = secret(200);
        assert_eq!(s.len(), 200);
        assert!(s.bytes().all(|b| ALPHABET.contains(&b)));
        assert_ne!(secret(20), secret(20));
    }

    #[test]
    fn passwords_hash_and_verify() {
        assert!(hash_password("short").is_err());
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse batterx", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn the_limiter_counts_per_address_and_minute() {
        let limiter = RateLimiter::new(2);
        let a = IpAddr::from([10, 0, 0, 1]);
        let b = IpAddr::from([10, 0, 0, 2]);
        let t = Timestamp::from_second(6_000).unwrap();
        assert!(limiter.allow(a, t));
        assert!(limiter.allow(a, t));
        assert!(!limiter.allow(a, t));
        assert!(limiter.allow(b, t));
        assert!(limiter.allow(a, Timestamp::from_second(6_060).unwrap()));
    }

    #[test]
    fn cookies_are_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; gk_csrf=XYZ; b=2"),
        );
        assert_eq!(cookie(&headers, CSRF_COOKIE).as_deref(), Some("XYZ"));
        assert_eq!(cookie(&headers, SESSION_COOKIE), None);
    }
}
