//! 更正申请 (第四十一条): registered with evidence, decided by a reviewer, told in a letter, and
//! never counted as a disclosure application.

use axum::http::StatusCode;

use gongkai_domain::store::prelude::*;

use crate::support::Harness;

#[tokio::test]
async fn a_correction_request_is_decided_and_told_in_a_letter() {
    let h = Harness::fixture().await;
    let mut clerk = h.login("clerk").await;
    let csrf = clerk.csrf().await;
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("received", "2026-11-20"),
        ("kind", "natural_person"),
        ("name", "周八"),
        ("id_type", "other"),
        ("id_name", "护照"),
        ("id_number", "E5550001"),
        ("phone", "13300000000"),
        ("record", "2026年城关镇低保名单中本人的家庭人口数"),
        ("correction", "记为2人，应为3人"),
        ("evidence", ""),
    ];
    let r = clerk.post_form("/staff/corrections", &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("证据（第四十一条）"),
        "{}",
        r.text_snippet()
    );
    assert!(
        r.body.contains("记为2人，应为3人"),
        "what was typed is kept"
    );
    fields[10] = ("evidence", "户口簿复印件");
    let r = clerk.post_form("/staff/corrections", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    let table3_before = h.app.store.applications(&h.agency()).await.unwrap().len();

    // The case officer cannot decide; the reviewer transfers it without naming the agency: refused.
    let decide = |csrf: &str, other: &str| -> Vec<(String, String)> {
        [
            ("csrf", csrf),
            ("id", "1"),
            ("outcome", "transferred"),
            ("date", "2026-11-27"),
            ("other_agency", other),
            ("note", "已转送"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    };
    let pairs = |v: &[(String, String)]| -> Vec<(String, String)> { v.to_vec() };
    let mut reviewer = h.login("reviewer").await;
    let rcsrf = reviewer.csrf().await;
    let tries = [
        (
            pairs(&decide(&csrf, "示例县民政局")),
            StatusCode::FORBIDDEN,
            true,
        ),
        (
            pairs(&decide(&rcsrf, "")),
            StatusCode::UNPROCESSABLE_ENTITY,
            false,
        ),
        (
            pairs(&decide(&rcsrf, "示例县民政局")),
            StatusCode::SEE_OTHER,
            false,
        ),
    ];
    for (fields, status, by_clerk) in tries {
        let borrowed: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let who = if by_clerk { &mut clerk } else { &mut reviewer };
        let r = who.post_form("/staff/corrections/decide", &borrowed).await;
        assert_eq!(r.status, status, "{}", r.text_snippet());
        if status == StatusCode::UNPROCESSABLE_ENTITY {
            assert!(
                r.body.contains("有权更正的行政机关"),
                "{}",
                r.text_snippet()
            );
        }
    }

    let letter = reviewer
        .get("/staff/corrections/1/letter?format=html")
        .await;
    assert_eq!(letter.status, StatusCode::OK);
    assert!(
        letter.body.contains("转送有权更正的示例县民政局") && letter.body.contains("第四十一条"),
        "{}",
        letter.text_snippet()
    );
    let docx = reviewer
        .get("/staff/corrections/1/letter?format=docx")
        .await;
    assert_eq!(docx.status, StatusCode::OK);
    assert_eq!(
        h.app.store.applications(&h.agency()).await.unwrap().len(),
        table3_before,
        "not a disclosure application"
    );
    // Personal data: not for staff who do not handle cases.
    let mut supervisor = h.login("supervisor").await;
    assert_eq!(
        supervisor.get("/staff/corrections").await.status,
        StatusCode::FORBIDDEN
    );
}
