//! The web crate's one integration-test binary: in-process router tests (every route × role ×
//! own/other agency, forms, security) and, in `browser`, real flows in headless Chromium.

mod annual;
mod browser;
mod support;

use axum::http::StatusCode;
use gongkai_domain::{Agency, AgencyCode, AgencyLevel, Role, User, UserName, store::prelude::*};
use support::{Client, Harness};

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let h = Harness::demo().await;
    let mut c = h.client();
    for path in [
        "/",
        "/agencies/demo",
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
    // The CSRF cookie is HttpOnly and SameSite.
    let r = h.client().get("/").await;
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

#[tokio::test]
async fn the_public_portal_needs_no_login() {
    let h = Harness::demo().await;
    let mut c = h.client();
    for (path, expect) in [
        ("/", "示例区人民政府太平街道办事处"),
        ("/agencies/demo", "在线申请政府信息公开"),
        ("/agencies/demo/guide", "和平路1号"),
        ("/agencies/demo/guide", "第三十三条"),
        ("/agencies/demo/guide", "示例区人民法院"),
        ("/agencies/demo/apply", "政府信息公开申请表"),
        ("/agencies/demo/status", "查询码"),
        ("/agencies/demo/reports", "年度报告"),
        ("/healthz", "ok"),
        ("/static/style.css", "frame"),
    ] {
        let r = c.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        if path != "/static/style.css" {
            assert!(r.body.contains(expect), "{path} lacks {expect}");
        }
    }
    assert_eq!(
        c.get("/agencies/nowhere").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(c.get("/no/such/page").await.status, StatusCode::NOT_FOUND);
    let api: serde_json::Value =
        serde_json::from_str(&c.get("/api/openapi.json").await.body).unwrap();
    assert_eq!(api["openapi"], "3.0.3");
    for path in [
        "/api/v1/applications",
        "/api/v1/applications/{number}",
        "/api/v1/cases",
        "/api/v1/cases/{number}/actions",
        "/api/v1/statistics/table3",
    ] {
        assert!(api["paths"][path].is_object(), "{path} undocumented");
    }
}

const STAFF_PAGES: [&str; 18] = [
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
    "/staff/register",
    "/staff/cases/2026-D0001",
    "/staff/statistics",
    "/staff/statistics/cases?year=2023&row=disclosed&column=total",
    "/staff/statistics/table3?year=2023&format=csv",
    "/staff/admin",
    "/staff/calendar",
    "/staff/audit",
];

const STAFF_POSTS: [&str; 19] = [
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
    let h = Harness::demo().await;
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
        ("GET", "/api/v1/statistics/table3?agency=demo&year=2023"),
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
    let h = Harness::demo().await;
    let expect = |user: &str, path: &str| -> StatusCode {
        let admin_only = path.starts_with("/staff/admin");
        let audit = path.starts_with("/staff/audit");
        let supervision = path.starts_with("/staff/supervision");
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
    for user in ["admin", "clerk", "reviewer", "secrecy", "supervisor"] {
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
    let h = Harness::demo().await;
    let other = AgencyCode::parse("other").unwrap();
    let agency = Agency::new(
        other.clone(),
        "另一街道办事处",
        AgencyLevel::Township,
        Some(AgencyCode::parse("demo-district").unwrap()),
    )
    .unwrap();
    h.app
        .store
        .add_agency(&agency, &h.app.stamp("test"))
        .await
        .unwrap();
    h.add_user(
        "outsider",
        &other,
        &[
            Role::CaseOfficer,
            Role::Reviewer,
            Role::Administrator,
            Role::Supervisor,
        ],
    )
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
        "/staff/statistics?agency=demo",
        "/staff/statistics/cases?agency=demo&year=2023&row=disclosed&column=total",
        "/staff/statistics/table3?agency=demo&year=2023",
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
            "/api/v1/statistics/table3?agency=demo&year=2023",
            None,
            Some(&token),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The district's supervisor sees the street office's statistics, not its cases.
    let mut sup = h.login("supervisor").await;
    let r = sup.get("/staff/statistics?agency=demo&year=2023").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("示例区人民政府太平街道办事处"));
    assert_eq!(
        sup.get("/staff/cases/2026-D0001").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn roles_decide_the_actions() {
    let h = Harness::demo().await;
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
            .any(|l| l.number.starts_with("示太政公复〔2026〕")),
        "{letters:?}"
    );
}

#[tokio::test]
async fn personal_data_is_masked_except_for_those_handling_the_case() {
    let h = Harness::demo().await;
    let mut clerk = h.login("clerk").await;
    let full = clerk.get("/staff/cases/2026-D0001").await.body;
    assert!(full.contains("高丙"), "the clerk sees the name");
    assert!(full.contains("电话 13900000000"));
    let mut secrecy = h.login("secrecy").await;
    let masked = secrecy.get("/staff/cases/2026-D0001").await.body;
    assert!(!masked.contains("高丙") && masked.contains("高*"));
    assert!(!masked.contains("13900000000"));
    assert!(
        !masked.contains("110105199002022"),
        "identity number hidden"
    );
    // The queue masks names for everyone.
    assert!(!clerk.get("/staff").await.body.contains("高丙"));
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
    let h = Harness::demo().await;
    let mut c = h.client();
    c.get("/staff/login").await;
    let r = c
        .post_form(
            "/staff/login",
            &[
                ("csrf", "WRONG"),
                ("user", "clerk"),
                ("password", "gongkai-demo"),
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
}

#[tokio::test]
async fn logins_are_checked_limited_and_ended() {
    let h = Harness::demo().await;
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
                ("password", "gongkai-demo"),
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
                ("password", "gongkai-demo"),
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

#[tokio::test]
async fn the_application_form_keeps_input_and_explains_each_error() {
    let h = Harness::demo().await;
    let mut c = h.client();
    let csrf = c.csrf().await;
    let r = c
        .post_multipart(
            "/agencies/demo/apply",
            &[
                ("csrf", &csrf),
                ("kind", "natural_person"),
                ("name", "张三"),
                ("id_type", "resident_id"),
                ("id_number", "110105194912310021"),
                ("phone", "12"),
                ("content", "某某文件"),
                ("wanted_form", "纸质文本（邮寄）"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("id=\"f-id_number-error\""),
        "error beside the field"
    );
    assert!(
        r.body.contains("校验码"),
        "says what is wrong with the number: {}",
        r.text_snippet()
    );
    assert!(r.body.contains("id=\"f-phone-error\""));
    assert!(r.body.contains("请确认所填信息真实"));
    assert!(r.body.contains("value=\"张三\""), "input kept");
    assert!(r.body.contains("某某文件"), "textarea kept");
    assert!(r.body.contains("aria-invalid=\"true\""));
    // A wrong file type is refused beside the file field.
    let r = c
        .post_multipart(
            "/agencies/demo/apply",
            &h.valid_application(&csrf),
            &[("virus.exe", b"MZ\x90\x00".as_slice())],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("virus.exe") && r.body.contains("附件需要重新选择"));
    let online = h.app.store.applications(&h.agency()).await.unwrap();
    assert_eq!(
        online
            .iter()
            .filter(|a| a.number.as_str().starts_with("2026-W"))
            .count(),
        4,
        "nothing recorded"
    );
}

#[tokio::test]
async fn an_application_goes_round_the_whole_loop() {
    let h = Harness::demo().await;
    let mut public = h.client();
    let csrf = public.csrf().await;
    let r = public
        .post_multipart(
            "/agencies/demo/apply",
            &h.valid_application(&csrf),
            &[("身份证.pdf", b"%PDF-1.4 test".as_slice())],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text_snippet());
    let number = r.between("id=\"number\">", "<");
    let code = r.between("id=\"query-code\">", "<");
    assert_eq!(number, "2026-W0005");
    assert_eq!(code.len(), 10);
    assert!(r.body.contains("第三十一条"));

    // The status page needs the right code; a wrong one reveals nothing.
    let wrong = public
        .post_form(
            "/agencies/demo/status",
            &[("csrf", &csrf), ("number", &number), ("code", "WRONGCODE1")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    assert!(!wrong.body.contains("老旧小区") && !wrong.body.contains("待确认"));
    let nobody = public
        .post_form(
            "/agencies/demo/status",
            &[
                ("csrf", &csrf),
                ("number", "2026-W9999"),
                ("code", "WRONGCODE1"),
            ],
        )
        .await;
    assert_eq!(
        nobody.body.replace("2026-W9999", &number),
        wrong.body,
        "unknown numbers look the same"
    );
    let status = public
        .post_form(
            "/agencies/demo/status",
            &[("csrf", &csrf), ("number", &number), ("code", &code)],
        )
        .await;
    assert!(status.body.contains("待确认"));

    // Staff register it (a receipt is issued), then ask for 补正.
    let mut clerk = h.login("clerk").await;
    let case = clerk.get(&format!("/staff/cases/{number}")).await;
    assert!(case.body.contains("身份证.pdf"));
    let file = clerk
        .get(&format!("/staff/cases/{number}/attachments/0"))
        .await;
    assert_eq!(file.body, "%PDF-1.4 test");
    clerk
        .act(
            &number,
            &[("action", "register"), ("department", "党政办公室")],
        )
        .await;
    clerk
        .act(
            &number,
            &[
                ("action", "request_supplement"),
                ("date", "2026-11-27"),
                ("what", "请写明文件名称"),
            ],
        )
        .await;
    assert_eq!(h.case(&number).await.state.code(), "awaiting_supplement");

    // The applicant sees the request and supplements online.
    let status = public
        .post_form(
            "/agencies/demo/status",
            &[("csrf", &csrf), ("number", &number), ("code", &code)],
        )
        .await;
    assert!(status.body.contains("请写明文件名称"));
    assert!(status.body.contains("补正告知书"));
    let r = public
        .post_form(
            "/agencies/demo/status/supplement",
            &[
                ("csrf", &csrf),
                ("number", &number),
                ("code", &code),
                ("supplement", "《太平街道老旧小区改造实施方案》"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text_snippet());
    assert!(r.body.contains("补正已提交"));
    assert_eq!(h.case(&number).await.state.code(), "in_progress");

    // Staff answer; a reviewer approves; the answer letter is there to download.
    clerk
        .act(
            &number,
            &[
                ("action", "submit_answer"),
                ("outcome", "disclosed"),
                ("text", "经查，予以公开，见附件。"),
            ],
        )
        .await;
    let mut reviewer = h.login("reviewer").await;
    reviewer
        .act(
            &number,
            &[("action", "approve_answer"), ("date", "2026-11-27")],
        )
        .await;
    let status = public
        .post_form(
            "/agencies/demo/status",
            &[("csrf", &csrf), ("number", &number), ("code", &code)],
        )
        .await;
    assert!(status.body.contains("已答复") && status.body.contains("予以公开"));
    assert!(status.body.contains("政府信息公开申请答复书"));
    let letters = h
        .app
        .store
        .letters(
            &h.agency(),
            &gongkai_domain::ApplicationNumber::parse(&number).unwrap(),
        )
        .await
        .unwrap();
    let answer = letters
        .iter()
        .position(|l| l.kind.code() == "answer")
        .unwrap();
    let index = answer.to_string();
    let r = public
        .post_form(
            "/agencies/demo/status/letter",
            &[
                ("csrf", &csrf),
                ("number", &number),
                ("code", &code),
                ("letter", &index),
                ("format", "html"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-disposition").contains("attachment"));
    assert!(r.body.contains("经查，予以公开") && r.body.contains("行政复议"));
    let docx = public
        .post_form(
            "/agencies/demo/status/letter",
            &[
                ("csrf", &csrf),
                ("number", &number),
                ("code", &code),
                ("letter", &index),
                ("format", "docx"),
            ],
        )
        .await;
    assert!(docx.bytes.starts_with(b"PK"));
    // Without the code, no letter.
    let r = public
        .post_form(
            "/agencies/demo/status/letter",
            &[
                ("csrf", &csrf),
                ("number", &number),
                ("code", "WRONGCODE1"),
                ("letter", &index),
                ("format", "html"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_stale_form_does_not_overwrite_a_newer_change() {
    let h = Harness::demo().await;
    let mut clerk = h.login("clerk").await;
    let old = h.case("2026-D0001").await.version.to_string();
    let csrf = clerk.csrf().await;
    let ok = clerk
        .post_form(
            "/staff/cases/2026-D0001/act",
            &[
                ("csrf", &csrf),
                ("action", "add_note"),
                ("text", "第一条"),
                ("version", &old),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let stale = clerk
        .post_form(
            "/staff/cases/2026-D0001/act",
            &[
                ("csrf", &csrf),
                ("action", "add_note"),
                ("text", "第二条"),
                ("version", &old),
            ],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("已被他人修改"));
    let notes: Vec<String> = h
        .case("2026-D0001")
        .await
        .notes
        .iter()
        .map(|n| n.text.clone())
        .collect();
    assert_eq!(notes, ["第一条"]);
    // A statute violation comes back on the case page, in Chinese, with the article.
    let csrf = clerk.csrf().await;
    let r = clerk
        .post_form(
            "/staff/cases/2026-D0003/act",
            &[
                ("csrf", &csrf),
                ("action", "request_supplement"),
                ("date", "2026-11-27"),
                ("what", "x"),
            ],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        r.text_snippet()
    );
    assert!(r.body.contains("第三十条"), "{}", r.text_snippet());
}

#[tokio::test]
async fn staff_register_paper_applications_with_the_statutory_date() {
    let h = Harness::demo().await;
    let mut clerk = h.login("clerk").await;
    let csrf = clerk.csrf().await;
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("channel", "registered_mail"),
        ("received", "2026-11-30"),
        ("kind", "natural_person"),
        ("name", "邮寄人"),
        ("id_type", "other"),
        ("id_name", "护照"),
        ("id_number", "E12345678"),
        ("phone", "13700000000"),
        ("content", "某文件"),
        ("wanted_form", "邮寄"),
    ];
    let r = clerk.post_form("/staff/register", &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("收到之日不能在将来"));
    fields[2] = ("received", "2026-11-25");
    let r = clerk.post_form("/staff/register", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    let location = r.header("location");
    assert!(location.starts_with("/staff/cases/2026-D"), "{location}");
    let page = clerk.get(&location).await;
    assert!(page.body.contains("第三十一条第（二）项") && page.body.contains("登记回执"));
}

#[tokio::test]
async fn statistics_trace_every_cell_to_its_applications() {
    let h = Harness::demo().await;
    let mut clerk = h.login("clerk").await;
    let page = clerk.get("/staff/statistics?year=2023").await;
    assert!(page.body.contains("<svg"), "charts");
    assert!(page.body.contains("href=\"/staff/statistics/cases?year=2023&amp;agency=demo&amp;row=disclosed&amp;column=natural_person\""));
    let cell = clerk.get("/staff/statistics/cases?year=2023&agency=demo&row=partly_disclosed&column=natural_person").await;
    assert_eq!(cell.between("id=\"cell-count\">", "<"), "2");
    assert!(cell.body.contains("2023-0003") && cell.body.contains("2023-0006"));
    // The CSV is the report engine's table-三 contract and equals the seed's 2023 table.
    let csv = clerk
        .get("/staff/statistics/table3?year=2023&format=csv")
        .await
        .body;
    let token = h.token("clerk").await;
    let api = clerk
        .request_json(
            "GET",
            "/api/v1/statistics/table3?agency=demo&year=2023&format=csv",
            None,
            Some(&token),
        )
        .await;
    assert_eq!(api.body, csv);
    let seed = gongkai_report::read(include_str!(
        "../../../report/testdata/2023-hedong-taiping.txt"
    ));
    let mut expected =
        gongkai_report::model::Report::blank(gongkai_report::model::Format::Current2021);
    expected.table3 = seed.report.table3.clone();
    assert_eq!(
        csv,
        gongkai_report::export::to_csv(&gongkai_report::export::grid(
            &expected,
            gongkai_report::export::TableId::Three
        ))
    );
}

#[tokio::test]
async fn the_api_submits_looks_up_lists_and_acts() {
    let h = Harness::demo().await;
    let mut c = h.client();
    let body = serde_json::json!({
        "agency": "demo",
        "applicant": { "kind": "business", "name": "某律师事务所", "id_type": "credit_code", "id_number": "91350100M000100Y43", "phone": "010-12345678" },
        "content": "某项目的环评批复",
        "wanted_form": "电子邮件",
    });
    let r = c
        .request_json("POST", "/api/v1/applications", Some(body.clone()), None)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let receipt: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let number = receipt["number"].as_str().unwrap().to_string();
    let code = receipt["query_code"].as_str().unwrap().to_string();
    let r = c
        .request_json(
            "GET",
            &format!("/api/v1/applications/{number}?code={code}"),
            None,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let status: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(status["state"], "pending");
    let r = c
        .request_json(
            "GET",
            &format!("/api/v1/applications/{number}?code=WRONGCODE1"),
            None,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Field errors come back by field.
    let mut bad = body.clone();
    bad["applicant"]["id_number"] = "91350100M000100Y44".into();
    let r = c
        .request_json("POST", "/api/v1/applications", Some(bad), None)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id_number"));
    let r = c
        .request_json(
            "POST",
            "/api/v1/applications",
            Some(serde_json::json!({"agency": 1})),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("openapi"));

    let token = h.token("clerk").await;
    let r = c
        .request_json("GET", "/api/v1/cases?state=pending", None, Some(&token))
        .await;
    assert!(r.body.contains(&number), "{}", r.body);
    let r = c
        .request_json(
            "POST",
            &format!("/api/v1/cases/{number}/actions"),
            Some(serde_json::json!({"action": "register", "department": "党政办公室"})),
            Some(&token),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let case: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(case["state"], "registered");
    let r = c
        .request_json(
            "POST",
            &format!("/api/v1/cases/{number}/actions"),
            Some(serde_json::json!({"action": "approve_answer", "date": "2026-11-27"})),
            Some(&token),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = c
        .request_json(
            "POST",
            &format!("/api/v1/cases/{number}/actions"),
            Some(serde_json::json!({"action": "archive", "version": 1})),
            Some(&token),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let r = c
        .request_json(
            "GET",
            "/api/v1/statistics/table3?agency=demo&year=2023&format=json",
            None,
            Some(&token),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("[6,0,0,0,0,0,6]"), "{}", r.body);
}

#[tokio::test]
async fn administrators_manage_users_settings_and_the_calendar() {
    let h = Harness::demo().await;
    let mut admin = h.login("admin").await;
    let csrf = admin.csrf().await;
    let r = admin
        .post_form(
            "/staff/admin/users",
            &[
                ("csrf", &csrf),
                ("name", "new-clerk"),
                ("display_name", "新经办"),
                ("role", "case_officer"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("至少10个字符") && r.body.contains("value=\"new-clerk\""));
    let r = admin
        .post_form(
            "/staff/admin/users",
            &[
                ("csrf", &csrf),
                ("name", "new-clerk"),
                ("display_name", "新经办"),
                ("role", "case_officer"),
                ("password", "a-long-password"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    h.login_with("new-clerk", "a-long-password").await;
    let r = admin
        .post_form(
            "/staff/admin/agency",
            &[
                ("csrf", &csrf),
                ("letter_prefix", "示太政公"),
                ("reconsideration_body", "示例区人民政府"),
                ("court", "示例区人民法院"),
                ("address", "新地址8号"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        h.client()
            .get("/agencies/demo/guide")
            .await
            .body
            .contains("新地址8号")
    );
    let r = admin.post_form("/staff/calendar", &[("csrf", &csrf), ("notice", "{\"year\": 2027, \"papers\": [], \"days\": [{\"name\": \"元旦\", \"date\": \"2027-01-01\", \"isOffDay\": true}]}")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    assert!(
        !h.app
            .calendar()
            .is_working_day(gongkai_law::parse_date("t", "2027-01-01").unwrap())
    );
    let r = admin
        .post_form(
            "/staff/calendar",
            &[("csrf", &csrf), ("notice", "{\"year\": 2027}")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let audit = admin.get("/staff/audit").await;
    assert!(audit.body.contains("校验通过"), "{}", audit.text_snippet());
}

#[tokio::test]
async fn the_demo_is_idempotent_and_alive() {
    let h = Harness::demo().await;
    assert!(
        !gongkai_web::demo::seed(&h.app).await.unwrap(),
        "a second run adds nothing"
    );
    let apps = h.app.store.applications(&h.agency()).await.unwrap();
    for state in [
        "pending",
        "registered",
        "awaiting_supplement",
        "in_progress",
        "under_review",
        "answered",
        "delivered",
        "archived",
    ] {
        assert!(
            apps.iter().any(|a| a.state.code() == state),
            "no case in {state}"
        );
    }
    let mut clerk = h.login("clerk").await;
    let queue = clerk.get("/staff").await.body;
    assert!(queue.contains("class=\"overdue\""), "some overdue");
    assert!(
        queue.contains("class=\"soon\""),
        "some due within 3 working days"
    );
    assert!(apps.iter().any(|a| {
        a.clock
            .iter()
            .any(|e| e.kind.code() == "consultation_started")
    }));
    assert!(
        apps.iter()
            .any(|a| a.clock.iter().any(|e| e.kind.code() == "extended"))
    );
}

#[tokio::test]
async fn every_user_has_one_role_in_the_demo() {
    let h = Harness::demo().await;
    let users = h.app.store.users(None).await.unwrap();
    for role in Role::ALL {
        assert!(users.iter().any(|u: &User| u.roles == [role]), "{role:?}");
    }
}

impl Harness {
    async fn find_state(&self, state: &str) -> String {
        self.app
            .store
            .applications(&self.agency())
            .await
            .unwrap()
            .into_iter()
            .find(|a| a.state.code() == state)
            .unwrap()
            .number
            .to_string()
    }
}

impl Client {
    /// Posts an action form on a case page and expects the redirect back.
    async fn act(&mut self, number: &str, fields: &[(&str, &str)]) {
        let csrf = self.csrf().await;
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        let r = self
            .post_form(&format!("/staff/cases/{number}/act"), &all)
            .await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "{fields:?}: {}",
            r.text_snippet()
        );
    }
}

#[tokio::test]
async fn simultaneous_submissions_get_distinct_numbers() {
    let h = std::sync::Arc::new(Harness::demo().await);
    let mut tasks = Vec::new();
    for _ in 0..12 {
        let h = h.clone();
        tasks.push(tokio::spawn(async move {
            let mut c = h.client();
            let csrf = c.csrf().await;
            let r = c
                .post_multipart("/agencies/demo/apply", &h.valid_application(&csrf), &[])
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text_snippet());
            r.between("id=\"number\">", "<")
        }));
    }
    let mut numbers = Vec::new();
    for task in tasks {
        numbers.push(task.await.unwrap());
    }
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 12);
    assert_eq!(numbers.first().unwrap(), "2026-W0005");
    assert_eq!(numbers.last().unwrap(), "2026-W0016");
}

#[tokio::test]
async fn the_portal_shows_only_what_passed_every_review() {
    let h = Harness::demo().await;
    let all = h.app.store.publications(&h.agency()).await.unwrap();
    let public: Vec<_> = all.iter().filter(|p| p.is_public()).collect();
    let hidden: Vec<_> = all.iter().filter(|p| !p.is_public()).collect();
    assert!(
        public.len() >= 10 && hidden.len() >= 3,
        "{} public, {} not",
        public.len(),
        hidden.len()
    );
    let mut c = h.client();
    let catalog = c.get("/agencies/demo/publications").await;
    assert_eq!(catalog.status, StatusCode::OK);
    for p in &public {
        assert!(
            catalog.body.contains(&p.draft.title),
            "{} missing",
            p.draft.title
        );
        let page = c
            .get(&format!("/agencies/demo/publications/{}", p.id))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(p.index_number.as_deref().unwrap()));
        assert!(
            page.body.contains("发布机构")
                && page.body.contains("成文日期")
                && page.body.contains("有效性")
        );
    }
    for p in &hidden {
        assert!(
            !catalog.body.contains(&p.draft.title),
            "{} shown before approval",
            p.draft.title
        );
        let page = c
            .get(&format!("/agencies/demo/publications/{}", p.id))
            .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{}", p.draft.title);
        assert!(!page.body.contains(&p.draft.title));
    }
    // A repealed item stays readable, marked.
    let repealed = public
        .iter()
        .find(|p| p.validity != gongkai_domain::publication::Validity::Valid)
        .unwrap();
    let page = c
        .get(&format!("/agencies/demo/publications/{}", repealed.id))
        .await;
    assert!(page.body.contains("已废止"));
    // Filters, the feed and the sitemap list only public items.
    let filtered = c
        .get("/agencies/demo/publications?category=%E8%B4%A2%E6%94%BF%E4%BF%A1%E6%81%AF")
        .await;
    assert!(filtered.body.contains("部门预算") && !filtered.body.contains("主要职责"));
    let atom = c.get("/agencies/demo/publications.atom").await;
    assert_eq!(
        atom.header("content-type"),
        "application/atom+xml; charset=utf-8"
    );
    assert!(atom.body.starts_with("<?xml") && atom.body.contains("<entry>"));
    for p in &hidden {
        assert!(!atom.body.contains(&p.draft.title));
    }
    let sitemap = c.get("/sitemap.xml").await;
    assert!(sitemap.body.contains(&format!(
        "/agencies/demo/publications/{}</loc>",
        public[0].id
    )));
    assert!(
        !sitemap
            .body
            .contains(&format!("/agencies/demo/publications/{}<", hidden[0].id))
    );
    // 索引号 follow the agency's pattern and never repeat.
    let mut numbers: Vec<&str> = public
        .iter()
        .map(|p| p.index_number.as_deref().unwrap())
        .collect();
    assert!(
        numbers
            .iter()
            .all(|n| n.starts_with("sl-tp/2026-") && n.len() == "sl-tp/2026-0000001".len()),
        "{numbers:?}"
    );
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), public.len());
}

async fn publication_id(h: &Harness, state: &str) -> u64 {
    h.app
        .store
        .publications(&h.agency())
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.state.code() == state)
        .unwrap()
        .id
}

#[tokio::test]
async fn no_path_publishes_without_every_approval() {
    let h = Harness::demo().await;
    let mut clerk = h.login("clerk").await;
    // Draft a new item through the form; a missing title comes back beside its field.
    let csrf = clerk.csrf().await;
    let r = clerk
        .post_form(
            "/staff/publications/new",
            &[
                ("csrf", &csrf),
                ("title", ""),
                ("category", "政务动态"),
                ("written_on", "2026-11-27"),
                ("body", "正文"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("id=\"f-title-error\""),
        "{}",
        r.text_snippet()
    );
    let r = clerk
        .post_form(
            "/staff/publications/new",
            &[
                ("csrf", &csrf),
                ("title", "街道寒潮防范提示"),
                ("category", "政务动态"),
                ("written_on", "2026-11-27"),
                ("body", "第一段\n第二段"),
                ("channel_政府网站", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    let id: u64 = r
        .header("location")
        .trim_start_matches("/staff/publications/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    async fn act(c: &mut Client, id: u64, action: &str) -> support::Reply {
        let csrf = c.csrf().await;
        c.post_form(
            &format!("/staff/publications/{id}/act"),
            &[("csrf", &csrf), ("action", action), ("reason", "理由")],
        )
        .await
    }
    // The drafter cannot approve; nobody can before it is submitted.
    assert_eq!(
        act(&mut clerk, id, "approve").await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        act(&mut clerk, id, "submit").await.status,
        StatusCode::SEE_OTHER
    );
    let mut secrecy = h.login("secrecy").await;
    assert_eq!(
        act(&mut secrecy, id, "approve").await.status,
        StatusCode::FORBIDDEN,
        "保密审查 cannot take the department's step"
    );
    let mut reviewer = h.login("reviewer").await;
    assert_eq!(
        act(&mut reviewer, id, "approve").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        h.client()
            .get(&format!("/agencies/demo/publications/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        act(&mut reviewer, id, "approve").await.status,
        StatusCode::FORBIDDEN,
        "the reviewer cannot skip 保密审查"
    );
    assert_eq!(
        act(&mut secrecy, id, "approve").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        h.client()
            .get(&format!("/agencies/demo/publications/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The last step, by two reviewers at once from the same version: one wins.
    h.add_user("reviewer2", &h.agency(), &[Role::Reviewer])
        .await;
    let mut other = h.login("reviewer2").await;
    let version = h
        .app
        .store
        .publication(&h.agency(), id)
        .await
        .unwrap()
        .unwrap()
        .version
        .to_string();
    let csrf_a = reviewer.csrf().await;
    let csrf_b = other.csrf().await;
    let path = format!("/staff/publications/{id}/act");
    let fields_a = [
        ("csrf", csrf_a.as_str()),
        ("action", "approve"),
        ("version", version.as_str()),
    ];
    let fields_b = [
        ("csrf", csrf_b.as_str()),
        ("action", "approve"),
        ("version", version.as_str()),
    ];
    let (a, b) = tokio::join!(
        reviewer.post_form(&path, &fields_a),
        other.post_form(&path, &fields_b)
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::CONFLICT]);
    let published = h
        .app
        .store
        .publication(&h.agency(), id)
        .await
        .unwrap()
        .unwrap();
    assert!(published.is_public());
    assert_eq!(published.approvals.len(), 3);
    let page = h
        .client()
        .get(&format!("/agencies/demo/publications/{id}"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains(published.index_number.as_deref().unwrap())
    );
    // Withdrawn: the address answers 410 and shows nothing of it.
    let mut reviewer = h.login("reviewer").await;
    assert_eq!(
        act(&mut reviewer, id, "withdraw").await.status,
        StatusCode::SEE_OTHER
    );
    let gone = h
        .client()
        .get(&format!("/agencies/demo/publications/{id}"))
        .await;
    assert_eq!(gone.status, StatusCode::GONE);
    assert!(!gone.body.contains("第一段"));
    // Every step is in the audit log.
    let actions: Vec<String> = h
        .app
        .store
        .audit_entries()
        .await
        .unwrap()
        .into_iter()
        .filter(|e| {
            e.record.subject == id.to_string() && e.record.action.starts_with("publication.")
        })
        .map(|e| e.record.action)
        .collect();
    assert_eq!(
        actions,
        [
            "publication.add",
            "publication.submit",
            "publication.approve",
            "publication.approve",
            "publication.approve",
            "publication.withdraw"
        ]
    );
}

#[tokio::test]
async fn scheduled_items_wait_for_their_day_and_late_ones_are_listed() {
    let h = Harness::demo().await;
    let scheduled = publication_id(&h, "scheduled").await;
    assert_eq!(
        gongkai_web::release_scheduled_everywhere(&h.app)
            .await
            .unwrap(),
        0,
        "not yet"
    );
    assert_eq!(
        h.client()
            .get(&format!("/agencies/demo/publications/{scheduled}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let mut clerk = h.login("clerk").await;
    let list = clerk.get("/staff/publications").await;
    assert!(list.body.contains("各科室时限情况") && list.body.contains("超期发布"));
    assert!(list.body.contains("党政办公室") && list.body.contains("财政所"));
    let review = clerk.get("/staff/publications?state=review").await;
    assert!(
        review.body.contains("审核中：保密审查"),
        "{}",
        review.text_snippet()
    );
}

#[tokio::test]
async fn table_two_comes_from_the_register() {
    let h = Harness::demo().await;
    let mut clerk = h.login("clerk").await;
    // 2023 as the seed report has it: every cell 0.
    let page = clerk.get("/staff/register20?year=2023").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("未填"), "every 2023 cell entered");
    // This year: two 行政规范性文件 issued, one repealed, one in force; 12 行政处罚.
    let page = clerk.get("/staff/register20?year=2026").await;
    let table = page.between("id=\"table2\"", "</table>");
    assert!(
        table.contains("本年制发件数：<strong>2</strong>"),
        "{table}"
    );
    assert!(
        table.contains("本年废止件数：<strong>1</strong>")
            && table.contains("现行有效件数：<strong>1</strong>")
    );
    assert!(table.contains("<strong>12</strong>"));
    // Entering a document and a repeal changes the table; bad input is named.
    let csrf = clerk.csrf().await;
    let r = clerk
        .post_form(
            "/staff/register20/documents",
            &[
                ("csrf", &csrf),
                ("year", "2026"),
                ("kind", "normative_document"),
                ("title", "关于某事项的通知"),
                ("doc_number", ""),
                ("issued_on", "2026-11-20"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("文号"));
    let r = clerk
        .post_form(
            "/staff/register20/documents",
            &[
                ("csrf", &csrf),
                ("year", "2026"),
                ("kind", "normative_document"),
                ("title", "关于某事项的通知"),
                ("doc_number", "示太政发〔2026〕11号"),
                ("issued_on", "2026-11-20"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    let r = clerk
        .post_form(
            "/staff/register20/figures",
            &[
                ("csrf", &csrf),
                ("year", "2026"),
                ("punishment", "13"),
                ("fees", "-1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = clerk
        .post_form(
            "/staff/register20/figures",
            &[
                ("csrf", &csrf),
                ("year", "2026"),
                ("punishment", "13"),
                ("fees", "0.35"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let table = clerk
        .get("/staff/register20?year=2026")
        .await
        .between("id=\"table2\"", "</table>");
    assert!(
        table.contains("本年制发件数：<strong>3</strong>")
            && table.contains("<strong>13</strong>")
            && table.contains("<strong>0.35</strong>")
    );
    assert!(
        table.contains("行政许可") && table.contains("未填"),
        "licensing left blank stays blank"
    );
    // The secrecy reviewer reads but does not enter.
    let mut secrecy = h.login("secrecy").await;
    let csrf = secrecy.csrf().await;
    let r = secrecy
        .post_form(
            "/staff/register20/figures",
            &[("csrf", &csrf), ("year", "2026"), ("punishment", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Channels are counted on the publications page.
    let list = clerk.get("/staff/publications").await;
    assert!(list.body.contains("各渠道发布数量") && list.body.contains("政务公众号"));
    // Per period: the year and its quarters; any earlier year.
    assert!(list.body.contains("三季度") && list.body.contains("四季度"));
    let earlier = clerk.get("/staff/publications?year=2024").await;
    assert!(earlier.body.contains("2024年各渠道发布数量"));
}

#[tokio::test]
async fn the_catalog_is_imported_whole_or_not_at_all_and_shows_what_is_overdue() {
    let h = Harness::demo().await;
    let mut clerk = h.login("clerk").await;
    let page = clerk.get("/staff/catalog").await;
    assert!(
        page.body.contains("财政预决算") && page.body.contains("已公开"),
        "{}",
        page.text_snippet()
    );
    assert!(
        page.body.contains("尚无公开信息")
            || page.body.contains("超期未公开")
            || page.body.contains("未公开（时限至")
    );
    let before = h
        .app
        .store
        .catalog_entries(&h.agency())
        .await
        .unwrap()
        .len();
    let csrf = clerk.csrf().await;
    let bad = "公开事项,公开内容,公开依据,公开时限,牵头科室\n征地补偿,补偿标准,《土地管理法》,批准后20个工作日内,城建科\n,名单,依据,每季度,社会事务办\n危房改造,,依据,每年,城建科\n";
    let r = clerk
        .post_multipart(
            "/staff/catalog",
            &[("csrf", &csrf)],
            &[("目录.csv", bad.as_bytes())],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("第3行：“公开事项”为空") && r.body.contains("第4行：“公开内容”为空"),
        "{}",
        r.text_snippet()
    );
    assert_eq!(
        h.app
            .store
            .catalog_entries(&h.agency())
            .await
            .unwrap()
            .len(),
        before,
        "nothing imported"
    );
    // GBK text and Excel files are read too.
    let good = "公开事项,公开内容,公开依据,公开时限,牵头科室\n征地补偿,补偿标准,《土地管理法》,批准后20个工作日内,城建科\n财政收支,月度收支,预算法,每月15日前,财政所\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(good);
    let r = clerk
        .post_multipart("/staff/catalog", &[("csrf", &csrf)], &[("目录.csv", &gbk)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, v) in ["公开事项", "公开内容", "公开时限", "公开主体"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *v).unwrap();
    }
    for (c, v) in ["危房改造", "补助对象和标准", "每年", "城建科"]
        .iter()
        .enumerate()
    {
        sheet.write_string(1, c as u16, *v).unwrap();
    }
    let xlsx = book.save_to_buffer().unwrap();
    let r = clerk
        .post_multipart(
            "/staff/catalog",
            &[("csrf", &csrf)],
            &[("目录.xlsx", &xlsx)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    let entries = h.app.store.catalog_entries(&h.agency()).await.unwrap();
    assert_eq!(entries.len(), before + 3);
    assert!(
        entries
            .iter()
            .any(|e| e.matter == "征地补偿" && e.owner == "城建科")
    );
    // The catalog's own 时限 is a deadline: nothing published for last month is shown.
    let page = clerk.get("/staff/catalog").await;
    assert!(
        page.body.contains("2026年10月未公开（时限至2026-10-31）"),
        "{}",
        page.text_snippet()
    );
    let ids: std::collections::BTreeSet<u64> = entries.iter().map(|e| e.id).collect();
    assert_eq!(ids.len(), entries.len(), "ids never repeat");
    // The drafting form offers the entries.
    assert!(
        clerk
            .get("/staff/publications/new")
            .await
            .body
            .contains("危房改造")
    );
}

#[tokio::test]
async fn the_portal_searches_what_is_public_and_marks_the_words() {
    let h = Harness::demo().await;
    let mut c = h.client();
    let r = c
        .get("/search?q=%E8%80%81%E6%97%A7%E5%B0%8F%E5%8C%BA")
        .await; // 老旧小区
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("<mark>老旧小区</mark>") || r.body.contains("<mark>老旧</mark>"),
        "{}",
        r.text_snippet()
    );
    assert!(r.body.contains("改造工作方案"), "{}", r.text_snippet());
    // Items not (or no longer) public are not found.
    let hidden: Vec<_> = h
        .app
        .store
        .publications(&h.agency())
        .await
        .unwrap()
        .into_iter()
        .filter(|p| !p.is_public())
        .collect();
    let in_review = hidden
        .iter()
        .find(|p| p.draft.title.contains("立面整治"))
        .unwrap();
    let r = c
        .get("/search?q=%E7%AB%8B%E9%9D%A2%E6%95%B4%E6%B2%BB")
        .await; // 立面整治
    assert!(
        !r.body.contains(&in_review.draft.title),
        "found before approval"
    );
    // Published through the review chain, it is found at once; withdrawn, it is gone.
    let id = in_review.id.to_string();
    let mut head = h.login("reviewer").await;
    let csrf = head.csrf().await;
    let mut secrecy = h.login("secrecy").await;
    let csrf_s = secrecy.csrf().await;
    let path = format!("/staff/publications/{id}/act");
    assert_eq!(
        secrecy
            .post_form(&path, &[("csrf", &csrf_s), ("action", "approve")])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        head.post_form(&path, &[("csrf", &csrf), ("action", "approve")])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let r = c
        .get("/search?q=%E7%AB%8B%E9%9D%A2%E6%95%B4%E6%B2%BB")
        .await;
    assert!(r.body.contains("立面整治"), "{}", r.text_snippet());
    assert_eq!(
        head.post_form(
            &path,
            &[("csrf", &csrf), ("action", "withdraw"), ("reason", "有误")]
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    let r = c
        .get("/search?q=%E7%AB%8B%E9%9D%A2%E6%95%B4%E6%B2%BB")
        .await;
    assert!(r.body.contains("找到0条"), "{}", r.text_snippet());
    // Filters by agency and category; markup in the query is text.
    let r = c
        .get("/search?q=%E9%A2%84%E7%AE%97&agency=demo-district")
        .await; // 预算
    assert!(r.body.contains("找到0条"));
    let r = c.get("/search?q=%3Cscript%3E").await;
    assert!(!r.body.contains("<script>"));
}

#[tokio::test]
async fn administrators_set_the_review_chain_but_cannot_drop_secrecy_review() {
    let h = Harness::demo().await;
    let mut admin = h.login("admin").await;
    let page = admin.get("/staff/admin").await;
    assert!(
        page.body.contains("保密审查：保密审查员"),
        "{}",
        page.text_snippet()
    );
    let csrf = admin.csrf().await;
    let r = admin
        .post_form(
            "/staff/admin/review-chain",
            &[
                ("csrf", &csrf),
                ("chain", "科室审核：审核人\n签发：审核人"),
                ("index_pattern", "{unit}/{year}-{seq:07}"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("保密审查") && r.body.contains("签发：审核人"),
        "{}",
        r.text_snippet()
    );
    let r = admin
        .post_form(
            "/staff/admin/review-chain",
            &[
                ("csrf", &csrf),
                ("chain", "拟稿审核：审核人\n保密审查：保密审查员"),
                ("index_pattern", "{unit}/{year}"),
            ],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a pattern without {{seq}} repeats numbers"
    );
    let r = admin
        .post_form(
            "/staff/admin/review-chain",
            &[
                ("csrf", &csrf),
                ("chain", "拟稿审核：审核人\n保密审查：保密审查员"),
                ("index_pattern", "{unit}-{year}-{seq:5}"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    let settings = h.app.agency(&h.agency()).await.unwrap().settings;
    assert_eq!(settings.review_chain.steps().len(), 2);
    assert_eq!(settings.index_pattern, "{unit}-{year}-{seq:5}");
    let mut clerk = h.login("clerk").await;
    let csrf = clerk.csrf().await;
    let r = clerk
        .post_form(
            "/staff/admin/review-chain",
            &[
                ("csrf", &csrf),
                ("chain", "保密审查：保密审查员"),
                ("index_pattern", "{seq}"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_register_is_imported_whole_or_not_at_all() {
    let h = Harness::demo().await;
    let mut clerk = h.login("clerk").await;
    let csrf = clerk.csrf().await;
    let before = h
        .app
        .store
        .register_documents(&h.agency())
        .await
        .unwrap()
        .len();
    let bad = "类别,名称,文号,制发日期\n规章,甲,1号,2026-01-05\n通知,乙,2号,2026-01-06\n行政规范性文件,丙,,2026-01-07\n";
    let r = clerk
        .post_multipart(
            "/staff/register20/import",
            &[("csrf", &csrf), ("year", "2026")],
            &[("登记.csv", bad.as_bytes())],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("第3行：类别「通知」") && r.body.contains("第4行："),
        "{}",
        r.text_snippet()
    );
    assert_eq!(
        h.app
            .store
            .register_documents(&h.agency())
            .await
            .unwrap()
            .len(),
        before,
        "nothing imported"
    );
    // Excel with real date cells.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, v) in ["类别", "文件名称", "发文字号", "印发日期", "废止日期"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *v).unwrap();
    }
    let date_format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    for (r, (kind, title, number, issued)) in [
        ("规章", "示例规章", "示例第1号令", (2026, 2, 3)),
        (
            "行政规范性文件",
            "关于公开栏管理的通知",
            "示太政发〔2026〕9号",
            (2026, 4, 1),
        ),
    ]
    .iter()
    .enumerate()
    {
        let row = r as u32 + 1;
        sheet.write_string(row, 0, *kind).unwrap();
        sheet.write_string(row, 1, *title).unwrap();
        sheet.write_string(row, 2, *number).unwrap();
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(issued.0, issued.1, issued.2).unwrap();
        sheet
            .write_datetime_with_format(row, 3, &date, &date_format)
            .unwrap();
    }
    let xlsx = book.save_to_buffer().unwrap();
    let r = clerk
        .post_multipart(
            "/staff/register20/import",
            &[("csrf", &csrf), ("year", "2026")],
            &[("登记.xlsx", &xlsx)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    let documents = h.app.store.register_documents(&h.agency()).await.unwrap();
    assert_eq!(documents.len(), before + 2);
    assert!(
        documents
            .iter()
            .any(|d| d.title == "示例规章" && d.issued_on.to_string() == "2026-02-03")
    );
    let ids: std::collections::BTreeSet<u64> = documents.iter().map(|d| d.id).collect();
    assert_eq!(ids.len(), documents.len(), "ids never repeat");
    // Table 二 counts them.
    let page = clerk.get("/staff/register20?year=2026").await;
    assert!(page.body.contains("示例规章"));
}

#[tokio::test]
async fn publications_carry_safe_markup_and_attachments_public_only_once_approved() {
    let h = Harness::demo().await;
    let mut clerk = h.login("clerk").await;
    let csrf = clerk.csrf().await;
    let fields = [
        ("csrf", csrf.as_str()),
        ("title", "关于老旧小区改造的公示"),
        ("category", "政务动态"),
        ("written_on", "2026-11-26"),
        (
            "body",
            "## 一、改造范围\n- 和平路1号院\n- 和平路3号院\n详见**附件**。<script>alert(1)</script>\n[javascript](javascript:alert(1))",
        ),
        ("channel_政府网站", "yes"),
    ];
    let bad = clerk
        .post_multipart(
            "/staff/publications/new",
            &fields,
            &[("名单.exe", b"MZ\x90\x00")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("不是可接受的文件"),
        "{}",
        bad.text_snippet()
    );
    let pdf = b"%PDF-1.7\n% test\n";
    let r = clerk
        .post_multipart("/staff/publications/new", &fields, &[("改造名单.pdf", pdf)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    let id: String = r
        .header("location")
        .trim_start_matches("/staff/publications/")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let portal_file = format!("/agencies/demo/publications/{id}/attachments/0");
    assert_eq!(
        h.client().get(&portal_file).await.status,
        StatusCode::NOT_FOUND,
        "not public yet"
    );
    let staff_file = clerk
        .get(&format!("/staff/publications/{id}/attachments/0"))
        .await;
    assert_eq!(staff_file.bytes, pdf, "reviewers see what they approve");
    let csrf = clerk.csrf().await;
    clerk
        .post_form(
            &format!("/staff/publications/{id}/act"),
            &[("csrf", &csrf), ("action", "submit")],
        )
        .await;
    h.approve_along_the_chain(&id).await;
    let mut public = h.client();
    let page = public
        .get(&format!("/agencies/demo/publications/{id}"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("<h3>一、改造范围</h3>") && page.body.contains("<li>和平路1号院</li>")
    );
    assert!(page.body.contains("<strong>附件</strong>") && page.body.contains("&lt;script&gt;"));
    assert!(!page.body.contains("href=\"javascript"));
    assert!(page.body.contains(&portal_file) && page.body.contains("改造名单.pdf"));
    let file = public.get(&portal_file).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.bytes, pdf);
    assert_eq!(file.header("content-type"), "application/pdf");
}
