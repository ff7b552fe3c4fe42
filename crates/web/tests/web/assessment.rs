//! 考核 (issue #18, item 4): the supervising office ranks the agencies below from their
//! records for a period, charts the totals, names what cost points, and sets its own weights.

use axum::http::StatusCode;

use crate::support::Harness;

#[tokio::test]
async fn agencies_below_are_scored_from_their_records_with_the_evidence() {
    let h = Harness::fixture().await;
    let mut clerk = h.login("clerk").await;
    assert_eq!(
        clerk.get("/staff/assessment").await.status,
        StatusCode::FORBIDDEN
    );
    let mut supervisor = h.login("supervisor").await;
    let page = supervisor
        .get("/staff/assessment?from=2026-01-01&to=2026-11-27")
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text_snippet());
    let ranking = page.between("id=\"ranking\"", "</table>");
    assert!(ranking.contains("示例县城关镇人民政府"), "{ranking}");
    assert!(page.body.contains("id=\"assessment-chart\""));
    // The street published the rules of its market late: the evidence says so.
    let evidence = page.between("id=\"agency-street\"", "</section>");
    assert!(
        evidence.contains("主动公开按时发布") || evidence.contains("无失分事项"),
        "{evidence}"
    );
    // Its own weights: answers alone. A street whose answers were all in time scores 100.
    let csrf = supervisor.csrf().await;
    let mut weights = vec![("csrf", csrf.as_str())];
    for (code, weight) in [
        ("answers_on_time", "100"),
        ("published_in_time", "0"),
        ("catalog_fulfilled", "0"),
        ("annual_report", "0"),
        ("interpretations", "0"),
        ("participation_replies", "0"),
    ] {
        weights.push((code, weight));
    }
    let saved = supervisor
        .post_form("/staff/assessment/scheme", &weights)
        .await;
    assert_eq!(
        saved.status,
        StatusCode::SEE_OTHER,
        "{}",
        saved.text_snippet()
    );
    let reweighed = supervisor
        .get("/staff/assessment?from=2026-01-01&to=2026-11-27")
        .await;
    assert!(reweighed.body.contains("依申请公开按期答复（100）"));
    let mut zero = weights.clone();
    zero[1] = ("answers_on_time", "0");
    let refused = supervisor
        .post_form("/staff/assessment/scheme", &zero)
        .await;
    assert_ne!(refused.status, StatusCode::SEE_OTHER, "some weight above 0");
}
