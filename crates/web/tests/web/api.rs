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

/// 更正申请 (第四十一条) and the 第十八条 review queue through the API.
#[tokio::test]
async fn corrections_and_the_review_queue_through_the_api() {
    let h = Harness::fixture().await;
    let clerk = h.token("clerk").await;
    let reviewer = h.token("reviewer").await;
    let mut c = h.client();
    let new = serde_json::json!({
        "received": "2026-11-20",
        "requester": { "kind": "natural_person", "name": "周八", "id_type": "other", "id_name": "护照", "id_number": "E5550001", "phone": "13300000000" },
        "record": "低保名单中本人的家庭人口数",
        "correction": "记为2人，应为3人",
        "evidence": "户口簿复印件",
    });
    let r = c
        .request_json("POST", "/api/v1/corrections", Some(new), Some(&clerk))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let created: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let id = created["id"].as_u64().unwrap();
    let decide =
        serde_json::json!({ "on": "2026-11-27", "outcome": "corrected", "note": "已更正为3人" });
    let path = format!("/api/v1/corrections/{id}/decision");
    let r = c
        .request_json("POST", &path, Some(decide.clone()), Some(&clerk))
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "the reviewer decides: {}",
        r.body
    );
    let r = c
        .request_json("POST", &path, Some(decide), Some(&reviewer))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = c
        .request_json("GET", "/api/v1/corrections", None, Some(&clerk))
        .await;
    assert!(r.body.contains("\"outcome\":\"corrected\""), "{}", r.body);
    let supervisor = h.token("supervisor").await;
    let r = c
        .request_json("GET", "/api/v1/corrections", None, Some(&supervisor))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let r = c
        .request_json("GET", "/api/v1/rereview", None, Some(&clerk))
        .await;
    let queue: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let numbers: Vec<&str> = queue["queue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["application"].as_str().unwrap())
        .collect();
    assert_eq!(numbers, ["2023-0002", "2023-0003"]);
    let doc = c.request_json("GET", "/api/openapi.json", None, None).await;
    assert!(
        doc.body.contains("/api/v1/corrections/{id}/decision")
            && doc.body.contains("/api/v1/rereview")
    );
}

/// Issue #14: daily quotas on online submissions — one applicant at most 20 a day (here from
/// many addresses); the message points to the other channels.
#[tokio::test]
async fn one_applicant_submits_at_most_so_many_a_day_online() {
    let h = Harness::fixture().await;
    let body = serde_json::json!({
        "agency": "street",
        "applicant": { "kind": "natural_person", "name": "赵十", "id_type": "other", "id_name": "护照", "id_number": "E9990001", "phone": "13700000001" },
        "content": "城关镇2026年的某项政府信息",
        "wanted_form": "电子文档",
    });
    for i in 0..20 {
        let r = h
            .client()
            .request_json("POST", "/api/v1/applications", Some(body.clone()), None)
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "submission {i}: {}", r.body);
    }
    let r = h
        .client()
        .request_json("POST", "/api/v1/applications", Some(body), None)
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert!(
        r.body.contains("同一申请人每日在线提交不超过20件") && r.body.contains("当面"),
        "{}",
        r.body
    );
}
