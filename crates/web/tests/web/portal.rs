//! The public portal: pages without login, the application form's errors, simultaneous submissions.

use axum::http::StatusCode;
use gongkai_domain::store::prelude::*;

use crate::support::Harness;

#[tokio::test]
async fn the_public_portal_needs_no_login() {
    let h = Harness::fixture().await;
    let mut c = h.client();
    for (path, expect) in [
        ("/", crate::fixture::STREET_NAME),
        ("/agencies/street", "在线申请政府信息公开"),
        ("/agencies/street/guide", "人民路1号"),
        ("/agencies/street/guide", "第三十三条"),
        ("/agencies/street/guide", "分类和编排体系"),
        ("/agencies/street/guide", "示例县人民法院"),
        ("/agencies/street/apply", "政府信息公开申请表"),
        ("/agencies/street/status", "查询码"),
        ("/agencies/street/reports", "年度报告"),
        ("/healthz", "search: complete"),
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
    // The applicant of 2026-W0001 follows it with the code the receipt showed.
    let csrf = c.csrf().await;
    let status = c
        .post_form(
            "/agencies/street/status",
            &[
                ("csrf", &csrf),
                ("number", "2026-W0001"),
                ("code", h.query_code()),
            ],
        )
        .await;
    assert_eq!(status.status, StatusCode::OK, "{}", status.text_snippet());
    assert!(status.body.contains("待确认"));
    // Each state is explained, and the way ahead shown with where it stands.
    assert!(
        status
            .between("id=\"state-explained\">", "<")
            .contains("正在核对")
    );
    assert!(
        status
            .body
            .contains("<li class=\"here\" aria-current=\"step\">收到申请</li>")
    );
    // An agency's pages lead back to the site's home.
    let guide = c.get("/agencies/street/guide").await;
    assert!(
        guide
            .between("aria-label=\"当前位置\"", "</nav>")
            .contains("href=\"/\"")
    );
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

#[tokio::test]
async fn the_application_form_keeps_input_and_explains_each_error() {
    let h = Harness::fixture().await;
    let mut c = h.client();
    let csrf = c.csrf().await;
    let r = c
        .post_multipart(
            "/agencies/street/apply",
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
            "/agencies/street/apply",
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
        1,
        "nothing recorded but the fixture's 2026-W0001"
    );
}

#[tokio::test]
async fn simultaneous_submissions_get_distinct_numbers() {
    let h = std::sync::Arc::new(Harness::fixture().await);
    let mut tasks = Vec::new();
    for _ in 0..12 {
        let h = h.clone();
        tasks.push(tokio::spawn(async move {
            let mut c = h.client();
            let csrf = c.csrf().await;
            let sent = c
                .post_multipart("/agencies/street/apply", &h.valid_application(&csrf), &[])
                .await;
            assert_eq!(
                sent.status,
                StatusCode::SEE_OTHER,
                "{}",
                sent.text_snippet()
            );
            let r = c.get("/agencies/street/receipt").await;
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
    assert_eq!(numbers.first().unwrap(), "2026-W0002");
    assert_eq!(numbers.last().unwrap(), "2026-W0013");
}

/// A province's portal: past a few dozen agencies the home page shows the top two levels and
/// says how many more there are; each agency's page lists those under it.
#[tokio::test]
async fn a_large_tree_is_browsed_level_by_level() {
    use gongkai_domain::{Agency, AgencyCode, AgencyLevel, store::Stamp};
    let h = Harness::fixture().await;
    let stamp = Stamp {
        actor: "test".into(),
        at: h.app.now(),
    };
    let street = AgencyCode::parse(crate::fixture::STREET).unwrap();
    for i in 0..70 {
        let code = AgencyCode::parse(&format!("village-{i:02}")).unwrap();
        let village = Agency::new(
            code,
            &format!("城关镇第{i}村民委员会"),
            AgencyLevel::Department,
            Some(street.clone()),
        )
        .unwrap();
        h.app.store.add_agency(&village, &stamp).await.unwrap();
    }
    // Added behind the server's back: say so, as a change made through it would.
    h.app.published.changed();
    let mut c = h.client();
    let home = c.get("/").await;
    assert!(home.body.contains("另有 "), "{}", home.body);
    assert!(!home.body.contains("城关镇第7村民委员会"));
    let street_page = c.get("/agencies/street").await;
    assert!(street_page.body.contains("下属机关"));
    assert!(street_page.body.contains("/agencies/village-69"));
}
