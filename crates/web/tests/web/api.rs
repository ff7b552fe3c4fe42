//! The JSON API under /api/v1.

use axum::http::StatusCode;

use crate::support::Harness;

#[tokio::test]
async fn the_api_submits_looks_up_lists_and_acts() {
    let h = Harness::fixture().await;
    let mut c = h.client();
    let body = serde_json::json!({
        "agency": "street",
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
            "/api/v1/statistics/table3?agency=street&year=2023&format=json",
            None,
            Some(&token),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("[1,1,0,0,0,0,2]"), "{}", r.body);
}
