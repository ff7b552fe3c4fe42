//! Security: headers on every response, who may open and do what (every staff route × the public,
//! each role, another agency's staff), masking of personal data, CSRF, logins.

use axum::http::StatusCode;
use gongkai_domain::{Role, UserName, store::prelude::*};

use crate::support::Harness;

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let h = Harness::fixture().await;
    let mut c = h.client();
    for path in [
        "/",
        "/agencies/street",
        "/staff/login",
        "/nope",
        "/api/openapi.json",
    ] {
        let r = c.get(path).await;
        let csp = r.header("content-security-policy");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}");
        assert_eq!(r.header("x-content-type-options"), "nosniff");
        assert_eq!(r.header("x-frame-options"), "DENY");
    }
    // The CSRF cookie is HttpOnly and SameSite; a page with a form sets it (the home page is
    // the same for everyone and carries no cookie).
    assert!(h.client().get("/").await.header("set-cookie").is_empty());
    let r = h.client().get("/agencies/street/apply").await;
    let cookie = r.header("set-cookie");
    assert!(
        cookie.contains("gk_csrf=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax")
    );
    // Staff pages are not cached.
    let mut clerk = h.login("clerk").await;
    assert_eq!(
        clerk.get("/staff").await.header("cache-control"),
        "no-store"
    );
}

pub const STAFF_PAGES: [&str; 22] = [
    "/staff/reports?year=2023",
    "/staff/reports/appeals?year=2026&group=reconsideration&column=3",
    "/staff/records",
    "/staff/supervision?year=2023",
    "/staff",
    "/staff/catalog",
    "/staff/register20?year=2023",
    "/staff/publications",
    "/staff/publications/new",
    "/staff/publications/1",
    "/staff/interpretations",
    "/staff/work-plan",
    "/staff/assessment",
    "/staff/participation",
    "/staff/register",
    "/staff/cases/2026-D0001",
    "/staff/statistics",
    "/staff/statistics/cases?year=2023&row=disclosed&column=total",
    "/staff/statistics/table3?year=2023&format=csv",
    "/staff/admin",
    "/staff/calendar",
    "/staff/audit",
];

const STAFF_POSTS: [&str; 30] = [
    "/staff/assessment/scheme",
    "/staff/assessment/publish",
    "/staff/assessment/withdraw",
    "/staff/work-plan/tasks",
    "/staff/work-plan/tasks/edit",
    "/staff/work-plan/tasks/withdraw",
    "/staff/work-plan/report",
    "/staff/participation",
    "/staff/participation/reply",
    "/staff/participation/edit",
    "/staff/supervision/findings",
    "/staff/register20/import",
    "/staff/reports/act",
    "/staff/records/appeals",
    "/staff/records/appeals/decide",
    "/staff/records/trainings",
    "/staff/records/proposals",
    "/staff/supervision/import",
    "/staff/logout",
    "/staff/register20/figures",
    "/staff/publications/new",
    "/staff/publications/1/act",
    "/staff/register",
    "/staff/cases/2026-D0001/act",
    "/staff/admin/users",
    "/staff/admin/users/active",
    "/staff/admin/users/password",
    "/staff/admin/agency",
    "/staff/calendar",
    "/staff/cases/2026-D0001/act",
];

#[tokio::test]
async fn the_public_is_sent_to_login_from_every_staff_route() {
    let h = Harness::fixture().await;
    let mut c = h.client();
    for path in STAFF_PAGES {
        let r = c.get(path).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "GET {path}");
        assert_eq!(r.header("location"), "/staff/login", "GET {path}");
    }
    for path in STAFF_POSTS {
        let csrf = c.csrf().await;
        let r = c.post_form(path, &[("csrf", &csrf)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "POST {path}");
    }
    for (method, path) in [
        ("GET", "/api/v1/cases"),
        ("GET", "/api/v1/cases/2026-D0001"),
        ("POST", "/api/v1/cases/2026-D0001/actions"),
        ("GET", "/api/v1/statistics/table3?agency=street&year=2023"),
    ] {
        let r = c
            .request_json(method, path, None, Some("gk_not-a-token"))
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{method} {path}");
        assert!(r.body.contains("接口令牌"), "{path}: {}", r.body);
        let r = c.request_json(method, path, None, None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{method} {path}");
    }
}

/// Which roles may open which back-office pages of their own agency.
#[tokio::test]
async fn roles_decide_the_back_office() {
    let h = Harness::fixture().await;
    let expect = |user: &str, path: &str| -> StatusCode {
        let admin_only = path.starts_with("/staff/admin");
        let audit = path.starts_with("/staff/audit");
        let supervision =
            path.starts_with("/staff/supervision") || path.starts_with("/staff/assessment");
        let register = path == "/staff/register" || path == "/staff/publications/new";
        let case = path.starts_with("/staff/cases/") || path == "/staff/publications/1";
        match user {
            "supervisor" if case => StatusCode::NOT_FOUND, // not of their agency
            _ if admin_only && user != "admin" => StatusCode::FORBIDDEN,
            _ if audit && !matches!(user, "admin" | "supervisor") => StatusCode::FORBIDDEN,
            _ if supervision && user != "supervisor" => StatusCode::FORBIDDEN,
            _ if register && user != "clerk" => StatusCode::FORBIDDEN,
            _ => StatusCode::OK,
        }
    };
    for user in [
        "admin",
        "clerk",
        "reviewer",
        "head",
        "secrecy",
        "supervisor",
    ] {
        let mut c = h.login(user).await;
        for path in STAFF_PAGES {
            let r = c.get(path).await;
            assert_eq!(
                r.status,
                expect(user, path),
                "{user} GET {path}: {}",
                r.text_snippet()
            );
        }
    }
}

#[tokio::test]
async fn other_agencies_staff_see_nothing_of_ours() {
    let h = Harness::fixture().await;
    h.add_outsider(&[
        Role::CaseOfficer,
        Role::Reviewer,
        Role::Administrator,
        Role::Supervisor,
    ])
    .await;
    let mut c = h.login("outsider").await;
    for path in [
        "/staff/cases/2026-D0001",
        "/staff/cases/2026-D0001/letters/0?format=html",
        "/staff/cases/2026-W0001/attachments/0",
    ] {
        assert_eq!(c.get(path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    for path in [
        "/staff/statistics?agency=street",
        "/staff/statistics/cases?agency=street&year=2023&row=disclosed&column=total",
        "/staff/statistics/table3?agency=street&year=2023",
    ] {
        assert_eq!(c.get(path).await.status, StatusCode::FORBIDDEN, "{path}");
    }
    // Acting on our case from their login changes nothing.
    let before = h.case("2026-D0001").await;
    let csrf = c.csrf().await;
    let r = c
        .post_form(
            "/staff/cases/2026-D0001/act",
            &[("csrf", &csrf), ("action", "add_note"), ("text", "x")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(h.case("2026-D0001").await, before);
    // Their queue and audit log hold none of ours.
    assert!(!c.get("/staff").await.body.contains("2026-D0001"));
    assert!(!c.get("/staff/audit").await.body.contains("2026-D0001"));
    // Nor does the API with their token.
    let token = h.token("outsider").await;
    let r = c
        .request_json("GET", "/api/v1/cases/2026-D0001", None, Some(&token))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = c
        .request_json("GET", "/api/v1/cases", None, Some(&token))
        .await;
    assert!(!r.body.contains("2026-D0001"));
    let r = c
        .request_json(
            "GET",
            "/api/v1/statistics/table3?agency=street&year=2023",
            None,
            Some(&token),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The district's supervisor sees the street office's statistics, not its cases.
    let mut sup = h.login("supervisor").await;
    let r = sup.get("/staff/statistics?agency=street&year=2023").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("示例县城关镇人民政府"));
    assert_eq!(
        sup.get("/staff/cases/2026-D0001").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn roles_decide_the_actions() {
    let h = Harness::fixture().await;
    // Approving an answer needs a 审核人.
    let under_review = h.find_state("under_review").await;
    let mut clerk = h.login("clerk").await;
    let page = clerk.get(&format!("/staff/cases/{under_review}")).await;
    assert!(
        !page.body.contains("value=\"approve_answer\""),
        "a clerk is not offered approval"
    );
    let csrf = clerk.csrf().await;
    let r = clerk
        .post_form(
            &format!("/staff/cases/{under_review}/act"),
            &[
                ("csrf", &csrf),
                ("action", "approve_answer"),
                ("date", "2026-11-27"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text_snippet());
    assert!(r.body.contains("审核人"));
    let mut reviewer = h.login("reviewer").await;
    let page = reviewer.get(&format!("/staff/cases/{under_review}")).await;
    assert!(page.body.contains("value=\"approve_answer\""));
    let csrf = reviewer.csrf().await;
    let r = reviewer
        .post_form(
            &format!("/staff/cases/{under_review}/act"),
            &[
                ("csrf", &csrf),
                ("action", "approve_answer"),
                ("date", "2026-11-27"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    assert_eq!(h.case(&under_review).await.state.code(), "answered");
    // The answer letter was issued with the agency's number.
    let letters = h
        .app
        .store
        .letters(
            &h.agency(),
            &gongkai_domain::ApplicationNumber::parse(&under_review).unwrap(),
        )
        .await
        .unwrap();
    assert!(
        letters
            .iter()
            .any(|l| l.number.starts_with("城政公复〔2026〕")),
        "{letters:?}"
    );
}

#[tokio::test]
async fn personal_data_is_masked_except_for_those_handling_the_case() {
    let h = Harness::fixture().await;
    let mut clerk = h.login("clerk").await;
    let full = clerk.get("/staff/cases/2026-D0001").await.body;
    assert!(full.contains("李四"), "the clerk sees the name");
    assert!(full.contains("电话 13900000000"));
    let mut secrecy = h.login("secrecy").await;
    let masked = secrecy.get("/staff/cases/2026-D0001").await.body;
    assert!(!masked.contains("李四") && masked.contains("李*"));
    assert!(!masked.contains("13900000000"));
    assert!(
        !masked.contains("110105199002022"),
        "identity number hidden"
    );
    // The queue masks names for everyone.
    assert!(!clerk.get("/staff").await.body.contains("李四"));
    // Reading personal data is audited.
    let entries = h.app.store.audit_entries().await.unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e.record.action == "application.read_personal_data"
                && e.record.actor == "clerk")
    );
    assert!(!entries.iter().any(
        |e| e.record.action == "application.read_personal_data" && e.record.actor == "secrecy"
    ));
}

#[tokio::test]
async fn forms_need_their_csrf_token() {
    let h = Harness::fixture().await;
    let mut c = h.client();
    c.get("/staff/login").await;
    let r = c
        .post_form(
            "/staff/login",
            &[
                ("csrf", "WRONG"),
                ("user", "clerk"),
                ("password", crate::fixture::PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("CSRF"));
    let mut clerk = h.login("clerk").await;
    let before = h.case("2026-D0001").await;
    let r = clerk
        .post_form(
            "/staff/cases/2026-D0001/act",
            &[("action", "add_note"), ("text", "x")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(h.case("2026-D0001").await, before);
    // Signed in, the anonymous cookie's token no longer passes: the forms carry one bound to
    // the session (issue #14).
    let anonymous = clerk.cookie("gk_csrf").unwrap();
    let r = clerk
        .post_form(
            "/staff/cases/2026-D0001/act",
            &[("csrf", &anonymous), ("action", "add_note"), ("text", "x")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let bound = clerk.csrf().await;
    assert_ne!(bound, anonymous);
    let r = clerk
        .post_form(
            "/staff/cases/2026-D0001/act",
            &[("csrf", &bound), ("action", "add_note"), ("text", "x")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn logins_are_checked_limited_and_ended() {
    let h = Harness::fixture().await;
    let mut c = h.client();
    let csrf = c.csrf().await;
    let r = c
        .post_form(
            "/staff/login",
            &[
                ("csrf", &csrf),
                ("user", "clerk"),
                ("password", "wrong-password"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.body.contains("用户名或密码不正确"));
    assert!(r.body.contains("value=\"clerk\""), "the user name is kept");
    let r = c
        .post_form(
            "/staff/login",
            &[
                ("csrf", &csrf),
                ("user", "nobody"),
                ("password", crate::fixture::PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // A disabled user cannot log in.
    h.app
        .store
        .set_user_active(
            &UserName::parse("secrecy").unwrap(),
            false,
            &h.app.stamp("t"),
        )
        .await
        .unwrap();
    let r = c
        .post_form(
            "/staff/login",
            &[
                ("csrf", &csrf),
                ("user", "secrecy"),
                ("password", crate::fixture::PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // Ten attempts a minute from one address, then 429.
    let mut last = StatusCode::OK;
    for _ in 0..10 {
        last = c
            .post_form(
                "/staff/login",
                &[
                    ("csrf", &csrf),
                    ("user", "clerk"),
                    ("password", "wrong-password"),
                ],
            )
            .await
            .status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    // Logging out ends the session on the server, not only in the browser.
    let mut clerk = h.login("clerk").await;
    let session = clerk.cookie("gk_session").unwrap();
    let csrf = clerk.csrf().await;
    assert_eq!(
        clerk
            .post_form("/staff/logout", &[("csrf", &csrf)])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let mut replay = h.client();
    replay.set_cookie("gk_session", &session);
    assert_eq!(replay.get("/staff").await.status, StatusCode::SEE_OTHER);
}

/// Issue #14: a password reset left the user's sessions and API tokens valid.
#[tokio::test]
async fn a_new_password_ends_the_old_sessions_and_tokens() {
    let h = Harness::fixture().await;
    let mut clerk = h.login("clerk").await;
    let token = h.token("clerk").await;
    assert_eq!(clerk.get("/staff").await.status, StatusCode::OK);
    let name = UserName::parse("clerk").unwrap();
    let hash = gongkai_web::security::hash_password("another-long-password").unwrap();
    h.app
        .store
        .set_password(&name, &hash, &h.app.stamp("admin"))
        .await
        .unwrap();
    let after = clerk.get("/staff").await;
    assert_ne!(after.status, StatusCode::OK, "the session ended");
    let api = h
        .client()
        .request_json("GET", "/api/v1/cases", None, Some(&token))
        .await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED, "the token ended");
}

/// Issue #14: behind the HTTPS proxy the README recommends, every client had the proxy's
/// address — 11 failed logins a minute locked every member of staff out. With
/// `--trusted-proxy`, limits count the address the proxy saw; and repeated failures slow down
/// that account from that address only.
#[tokio::test]
async fn behind_a_trusted_proxy_each_client_is_counted_apart() {
    let h = Harness::fixture().await;
    let mut attacker = h.behind_proxy("203.0.113.9");
    let csrf = attacker.csrf().await;
    let mut last = StatusCode::OK;
    for _ in 0..12 {
        last = attacker
            .post_form(
                "/staff/login",
                &[("csrf", &csrf), ("user", "clerk"), ("password", "guess")],
            )
            .await
            .status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    // The clerk, at another address behind the same proxy, signs in.
    let mut office = h.behind_proxy("198.51.100.20");
    let csrf = office.csrf().await;
    let r = office
        .post_form(
            "/staff/login",
            &[
                ("csrf", &csrf),
                ("user", "clerk"),
                ("password", crate::fixture::PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    // (A header a client writes itself is not believed: `client::tests`.)
}

/// Failed logins slow down one account at one address: after five, the next waits.
#[tokio::test]
async fn repeated_failures_slow_that_account_down() {
    let h = Harness::fixture().await;
    let mut c = h.client();
    let csrf = c.csrf().await;
    let attempt = |password: &'static str| {
        [
            ("csrf", csrf.clone()),
            ("user", "reviewer".to_string()),
            ("password", password.to_string()),
        ]
    };
    for _ in 0..6 {
        let fields = attempt("guess");
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        c.post_form("/staff/login", &borrowed).await;
    }
    let fields = attempt(crate::fixture::PASSWORD);
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = c.post_form("/staff/login", &borrowed).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("秒后再试"), "{}", r.text_snippet());
    // Another account from the same address is not slowed down.
    let r = c
        .post_form(
            "/staff/login",
            &[
                ("csrf", &csrf),
                ("user", "head"),
                ("password", crate::fixture::PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
}
