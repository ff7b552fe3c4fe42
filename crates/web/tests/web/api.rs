//! The JSON API under /api/v1.

use axum::http::StatusCode;
use gongkai_domain::store::prelude::*;

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

/// Issue #14 (Schemathesis): every error of the API is JSON and listed in the document — also
/// those axum writes itself — and what the document declares the server holds to.
#[tokio::test]
async fn the_api_keeps_the_promises_of_its_document() {
    let h = Harness::fixture().await;
    let mut c = h.client();
    let token = h.token("reviewer").await;
    let doc: serde_json::Value = serde_json::from_str(
        &c.request_json("GET", "/api/openapi.json", None, None)
            .await
            .body,
    )
    .unwrap();
    let statuses = |path: &str, method: &str| -> Vec<String> {
        doc["paths"][path][method]["responses"]
            .as_object()
            .unwrap_or_else(|| panic!("{method} {path} documented"))
            .keys()
            .cloned()
            .collect()
    };
    let cases: [(&str, &str, &str, Option<serde_json::Value>, StatusCode); 6] = [
        // axum's own rejections, once plain text
        (
            "POST",
            "/api/v1/corrections/{id}/decision",
            "/api/v1/corrections/null,null/decision",
            Some(serde_json::json!({})),
            StatusCode::BAD_REQUEST,
        ),
        (
            "GET",
            "/api/v1/statistics/table3",
            "/api/v1/statistics/table3?year=x",
            None,
            StatusCode::BAD_REQUEST,
        ),
        // declared enums and patterns, refused with the field named
        (
            "GET",
            "/api/v1/cases",
            "/api/v1/cases?state=bogus",
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "GET",
            "/api/v1/statistics/table3",
            "/api/v1/statistics/table3?format=",
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "GET",
            "/api/v1/statistics/table3",
            "/api/v1/statistics/table3?year=2007",
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        // an applicant's field of the wrong type is refused before any rule
        (
            "POST",
            "/api/v1/applications",
            "/api/v1/applications",
            Some(serde_json::json!({
            "agency": "street", "content": "某项目的环评批复", "wanted_form": "电子邮件",
            "applicant": { "kind": "business", "name": "某律师事务所", "id_type": "credit_code", "id_number": "91350100M000100Y43", "phone": "010-12345678", "email": 12 } })),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ];
    for (method, documented, uri, body, expected) in cases {
        let r = c.request_json(method, uri, body, Some(&token)).await;
        assert_eq!(r.status, expected, "{method} {uri}: {}", r.body);
        let error: serde_json::Value = serde_json::from_str(&r.body)
            .unwrap_or_else(|_| panic!("{method} {uri} answers JSON: {}", r.body));
        assert!(error["error"].is_string(), "{}", r.body);
        assert!(
            statuses(documented, &method.to_ascii_lowercase())
                .contains(&expected.as_u16().to_string()),
            "{method} {documented} lists {expected}"
        );
    }
    let r = c
        .request_json("DELETE", "/api/v1/cases", None, Some(&token))
        .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(r.body.contains("\"error\""), "{}", r.body);
    // What one application may say is bounded, at every door.
    let long = serde_json::json!({
        "agency": "street", "content": "某".repeat(5_001), "wanted_form": "电子邮件",
        "applicant": { "kind": "business", "name": "某律师事务所", "id_type": "credit_code", "id_number": "91350100M000100Y43", "phone": "010-12345678" } });
    let r = c
        .request_json("POST", "/api/v1/applications", Some(long), None)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("不超过5000字"), "{}", r.body);
    // The year the document allows is this year at most, as the server holds it.
    let this_year = h.app.today().year();
    assert_eq!(
        doc["paths"]["/api/v1/statistics/table3"]["get"]["parameters"][1]["schema"]["maximum"],
        this_year
    );
}

/// Issue #14: publications are read and drafted through the API too, by the same review chain
/// (先审后发): the drafter cannot approve, each step by its role, and a draft sent here cannot
/// name stored files.
#[tokio::test]
async fn publications_are_read_drafted_and_reviewed_through_the_api() {
    let h = Harness::fixture().await;
    let mut c = h.client();
    let clerk = h.token("clerk").await;
    let draft = serde_json::json!({
        "title": "关于示例事项的通知",
        "body": ["## 一、事项", "正文第一段。", "  "],
        "category": "政务动态",
        "written_on": "2026-11-20",
        "channels": ["政府网站", "公开栏"],
        "attachments": [{ "name": "x.pdf", "media_type": "application/pdf", "bytes": 1, "sha256": "00".repeat(32) }],
    });
    let r = c
        .request_json(
            "POST",
            "/api/v1/publications",
            Some(draft.clone()),
            Some(&clerk),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let item: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let id = item["id"].as_u64().unwrap();
    assert_eq!(item["state"], "draft");
    assert_eq!(
        item["body"].as_array().unwrap().len(),
        2,
        "blank paragraphs dropped"
    );
    assert_eq!(
        item["attachments"],
        serde_json::json!([]),
        "files only from the back office"
    );
    let mut bad = draft.clone();
    bad["channels"] = serde_json::json!(["微博"]);
    let r = c
        .request_json("POST", "/api/v1/publications", Some(bad), Some(&clerk))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("channels"), "{}", r.body);
    let mut long = draft.clone();
    long["body"] = serde_json::json!(vec!["一段"; 2_001]);
    let r = c
        .request_json("POST", "/api/v1/publications", Some(long), Some(&clerk))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("至多2000段"), "{}", r.body);

    let path = format!("/api/v1/publications/{id}/actions");
    let act = |action: &str, version: u64| serde_json::json!({ "action": action, "version": version, "opinion": "经审查，不涉及国家秘密，同意公开" });
    let r = c
        .request_json("POST", &path, Some(act("submit", 1)), Some(&clerk))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let mut version = 2;
    let r = c
        .request_json("POST", &path, Some(act("approve", version)), Some(&clerk))
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "the drafter never approves: {}",
        r.body
    );
    let mut state = String::new();
    for _ in 0..8 {
        let mut moved = false;
        for user in ["reviewer", "secrecy", "head"] {
            let token = h.token(user).await;
            let r = c
                .request_json("POST", &path, Some(act("approve", version)), Some(&token))
                .await;
            if r.status == StatusCode::OK {
                let item: serde_json::Value = serde_json::from_str(&r.body).unwrap();
                version = item["version"].as_u64().unwrap();
                state = item["state"].as_str().unwrap().to_string();
                moved = true;
                break;
            }
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{user}: {}", r.body);
        }
        assert!(moved, "some role approves each step");
        if state == "published" {
            break;
        }
    }
    assert_eq!(state, "published");
    let r = c
        .request_json(
            "GET",
            "/api/v1/publications?state=published",
            None,
            Some(&clerk),
        )
        .await;
    let list: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let published = list["publications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .expect("listed as published");
    assert!(published["index_number"].is_string(), "{published}");
    let r = c
        .request_json(
            "GET",
            "/api/v1/publications?state=bogus",
            None,
            Some(&clerk),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = c
        .request_json("GET", &format!("/api/v1/publications/{id}"), None, None)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "staff only");
}

/// 公众参与 through the API (#18): a 12345 platform pushes its 工单 (recorded once by their
/// numbers), the clerk replies, the list says who is late; 政策解读 drafted through the API
/// names the document it explains.
#[tokio::test]
async fn participation_and_interpretations_through_the_api() {
    let h = Harness::fixture().await;
    let clerk = h.token("clerk").await;
    let mut c = h.client();
    let order = serde_json::json!({
        "channel": "hotline",
        "received": "2026-11-24",
        "reference": "GD202611240007",
        "sender": "钱七",
        "subject": "北街路面破损",
        "text": "北街与人民路交叉口路面破损。",
    });
    let r = c
        .request_json(
            "POST",
            "/api/v1/participation",
            Some(order.clone()),
            Some(&clerk),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let created: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(created["reference"], "GD202611240007");
    assert_eq!(created["due"], "2026-12-01", "five working days");
    let id = created["id"].as_u64().unwrap();
    let again = c
        .request_json("POST", "/api/v1/participation", Some(order), Some(&clerk))
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again.body.contains("\"field\":\"reference\""),
        "{}",
        again.body
    );
    let bad = serde_json::json!({ "channel": "fax", "received": "2026-11-24", "subject": "x", "text": "y" });
    let r = c
        .request_json("POST", "/api/v1/participation", Some(bad), Some(&clerk))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let path = format!("/api/v1/participation/{id}/reply");
    let reply = serde_json::json!({ "on": "2026-11-26", "text": "已修补。" });
    let r = c
        .request_json("POST", &path, Some(reply.clone()), Some(&clerk))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = c
        .request_json("POST", &path, Some(reply), Some(&clerk))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "one reply: {}", r.body);
    let list = c
        .request_json("GET", "/api/v1/participation", None, Some(&clerk))
        .await;
    let list: serde_json::Value = serde_json::from_str(&list.body).unwrap();
    let first = &list["messages"][0];
    assert_eq!(first["reply"]["text"], "已修补。");
    assert_eq!(first["late"], false);
    let supervisor = h.token("supervisor").await;
    let r = c
        .request_json("GET", "/api/v1/participation", None, Some(&supervisor))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // A 解读 drafted through the API: of a policy document of the agency, in a named form.
    let document = h
        .app
        .store
        .public_publications(&h.agency())
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.draft.category.starts_with("政策文件"))
        .map(|p| p.id)
        .expect("the fixture has a public 政策文件");
    let draft = |document: u64, form: &str| {
        serde_json::json!({
            "title": "图解：城关镇老旧小区改造办法",
            "body": ["一图读懂改造范围和补助标准。"],
            "category": "政策解读",
            "written_on": "2026-11-26",
            "channels": ["政府网站"],
            "interprets": { "document": document, "form": form },
        })
    };
    let r = c
        .request_json(
            "POST",
            "/api/v1/publications",
            Some(draft(document, "graphic")),
            Some(&clerk),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let created: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(created["interprets"]["document"], document);
    assert_eq!(created["interprets"]["form"], "graphic");
    let r = c
        .request_json(
            "POST",
            "/api/v1/publications",
            Some(draft(document, "poster")),
            Some(&clerk),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let doc = c.request_json("GET", "/api/openapi.json", None, None).await;
    assert!(
        doc.body.contains("/api/v1/participation/{id}/reply")
            && doc.body.contains("\"interprets\"")
    );
}

/// 工作要点 and 考核 through the API (#18): the district's task seen by the street with where
/// it stands, reported through the API with a public item as evidence, the district's view of
/// each agency's progress; the district's published 考核 results.
#[tokio::test]
async fn work_plan_and_assessment_results_through_the_api() {
    let h = Harness::fixture().await;
    let clerk = h.token("clerk").await;
    let supervisor = h.token("supervisor").await;
    let mut c = h.client();
    // The district sets a task (in the back office).
    let mut staff = h.login("supervisor").await;
    let csrf = staff.csrf().await;
    let made = staff
        .post_form(
            "/staff/work-plan/tasks",
            &[
                ("csrf", csrf.as_str()),
                ("year", "2026"),
                ("title", "规范政策文件解读"),
                ("detail", ""),
                ("due", "2026-12-31"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER);
    let r = c
        .request_json("GET", "/api/v1/work-plan?year=2026", None, Some(&clerk))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let plan: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let task = &plan["assigned"][0];
    assert_eq!(task["title"], "规范政策文件解读");
    assert_eq!(task["progress"], "not_reported");
    let public = h.app.store.public_publications(&h.agency()).await.unwrap()[0].id;
    let report = serde_json::json!({
        "setter": task["setter"],
        "task": task["id"],
        "text": "政策文件与解读同步发布。",
        "done_on": "2026-11-20",
        "evidence": [public],
    });
    let r = c
        .request_json(
            "POST",
            "/api/v1/work-plan/report",
            Some(report.clone()),
            Some(&clerk),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let mut late = report.clone();
    late["done_on"] = "2026-12-01".into();
    let r = c
        .request_json("POST", "/api/v1/work-plan/report", Some(late), Some(&clerk))
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not after today: {}",
        r.body
    );
    let r = c
        .request_json(
            "GET",
            "/api/v1/work-plan?year=2026",
            None,
            Some(&supervisor),
        )
        .await;
    let plan: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let street = plan["set"][0]["progress"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["agency"] == "street")
        .cloned()
        .expect("the street carries it out");
    assert_eq!(street["progress"], "done");
    let r = c
        .request_json("GET", "/api/v1/work-plan?year=1999", None, Some(&clerk))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // 考核 published in the back office, read through the API.
    let published = staff
        .post_form(
            "/staff/assessment/publish",
            &[
                ("csrf", csrf.as_str()),
                ("from", "2026-01-01"),
                ("to", "2026-11-27"),
            ],
        )
        .await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    let r = c
        .request_json("GET", "/api/v1/assessment/results", None, Some(&supervisor))
        .await;
    let results: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let first = &results["results"][0];
    assert_eq!(first["to"], "2026-11-27");
    assert_eq!(first["scope"], "direct");
    assert!(
        first["ranking"]
            .as_array()
            .unwrap()
            .iter()
            .any(|row| row["agency"] == "street" && row["rank"].as_u64().is_some()),
        "{first}"
    );
}
