//! 考核 (issue #18, item 4): the supervising office ranks the agencies below from their
//! records for a period, charts the totals, names what cost points, and sets its own weights.

use axum::http::StatusCode;
use gongkai_domain::store::prelude::*;

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

/// 公布考核结果: the ranking of a period frozen as a record and published on the office's
/// portal, once per period, only for a period that is over; a 公众参与 message's subject is
/// evidence in the back office but only a count on the portal.
#[tokio::test]
async fn a_period_s_result_is_published_frozen_on_the_portal() {
    let h = Harness::fixture().await;
    // A 12345 message of October the street never answered: late by now.
    let mut clerk = h.login("clerk").await;
    let csrf = clerk.csrf().await;
    let recorded = clerk
        .post_form(
            "/staff/participation",
            &[
                ("csrf", csrf.as_str()),
                ("channel", "hotline"),
                ("received", "2026-10-09"),
                ("sender", "王五"),
                ("subject", "王五家门前积水"),
                ("text", "门前积水，请处理。"),
            ],
        )
        .await;
    assert_eq!(
        recorded.status,
        StatusCode::SEE_OTHER,
        "{}",
        recorded.text_snippet()
    );

    let mut supervisor = h.login("supervisor").await;
    let period = "/staff/assessment?from=2026-01-01&to=2026-11-27";
    let before = supervisor.get(period).await;
    assert!(
        before.body.contains("id=\"publish\""),
        "{}",
        before.text_snippet()
    );
    let evidence = before.between("id=\"agency-street\"", "</section>");
    assert!(evidence.contains("王五家门前积水"), "{evidence}");
    let mut visitor = h.client();
    let none = visitor.get("/agencies/district/assessment").await;
    assert!(
        none.body.contains("id=\"no-results\""),
        "{}",
        none.text_snippet()
    );

    let csrf = supervisor.csrf().await;
    let publish = |from: &'static str, to: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("from", from.to_string()),
            ("to", to.to_string()),
        ]
    };
    let fields = publish("2026-01-01", "2026-11-27");
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let published = supervisor
        .post_form("/staff/assessment/publish", &fields)
        .await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.text_snippet()
    );
    let after = supervisor.get(period).await;
    assert!(after.body.contains("id=\"published-already\""));
    assert!(!after.body.contains("id=\"publish\""));
    let again = supervisor
        .post_form("/staff/assessment/publish", &fields)
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(
        again.body.contains("不能重复公布"),
        "{}",
        again.text_snippet()
    );
    // A period not over yet is not published.
    let early = publish("2026-01-01", "2026-12-31");
    let early: Vec<(&str, &str)> = early.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = supervisor
        .post_form("/staff/assessment/publish", &early)
        .await;
    assert_ne!(refused.status, StatusCode::SEE_OTHER);
    assert!(
        refused.body.contains("考核期间尚未结束"),
        "{}",
        refused.text_snippet()
    );

    // Weights changed later do not change what was published.
    let mut weights = vec![("csrf", csrf.as_str())];
    for code in [
        "answers_on_time",
        "published_in_time",
        "catalog_fulfilled",
        "annual_report",
        "interpretations",
    ] {
        weights.push((code, "10"));
    }
    weights.push(("participation_replies", "50"));
    let saved = supervisor
        .post_form("/staff/assessment/scheme", &weights)
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    h.app.published.changed();

    let list = visitor.get("/agencies/district/assessment").await;
    assert_eq!(list.status, StatusCode::OK);
    let entry = list.between("id=\"public-results\"", "</ul>");
    assert!(entry.contains("2026年1月1日至2026年11月27日"), "{entry}");
    let page = visitor
        .get("/agencies/district/assessment/2026-01-01_2026-11-27")
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text_snippet());
    let ranking = page.between("id=\"ranking\"", "</table>");
    assert!(ranking.contains("示例县城关镇人民政府"), "{ranking}");
    assert!(
        ranking.contains("公众参与按期回复（15）"),
        "frozen weights: {ranking}"
    );
    assert!(page.body.contains("id=\"assessment-chart\""));
    let public_evidence = page.between("id=\"agency-street\"", "</section>");
    assert!(
        public_evidence.contains("公众参与按期回复") && public_evidence.contains("1件未做到"),
        "{public_evidence}"
    );
    assert!(
        !page.body.contains("王五"),
        "a sender's words stay in the back office"
    );
    // The live page now weighs 公众参与 by 50.
    let live = supervisor.get(period).await;
    assert!(live.body.contains("公众参与按期回复（50）"));
    // Addresses that are not a period are not found.
    for bad in ["1", "2026-01-01", "2026-01-01_x", "2025-01-01_2025-12-31"] {
        let r = visitor
            .get(&format!("/agencies/district/assessment/{bad}"))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{bad}");
    }
    // The district's home links the results.
    let home = visitor.get("/agencies/district").await;
    assert!(home.body.contains("/agencies/district/assessment"));

    // Published in error: withdrawn with a reason, the ranking no longer shown; then published
    // again, saying so.
    let withdraw = |reason: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("from", "2026-01-01".to_string()),
            ("to", "2026-11-27".to_string()),
            ("reason", reason.to_string()),
        ]
    };
    let blank = withdraw("");
    let blank: Vec<(&str, &str)> = blank.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = supervisor
        .post_form("/staff/assessment/withdraw", &blank)
        .await;
    assert_ne!(refused.status, StatusCode::SEE_OTHER, "a reason is needed");
    let given = withdraw("权重设置有误");
    let given: Vec<(&str, &str)> = given.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let withdrawn = supervisor
        .post_form("/staff/assessment/withdraw", &given)
        .await;
    assert_eq!(
        withdrawn.status,
        StatusCode::SEE_OTHER,
        "{}",
        withdrawn.text_snippet()
    );
    h.app.published.changed();
    let gone = visitor
        .get("/agencies/district/assessment/2026-01-01_2026-11-27")
        .await;
    assert!(gone.body.contains("id=\"withdrawn\"") && gone.body.contains("权重设置有误"));
    assert!(
        !gone.body.contains("id=\"ranking\""),
        "its ranking is no longer shown"
    );
    let republished = supervisor
        .post_form("/staff/assessment/publish", &fields)
        .await;
    assert_eq!(
        republished.status,
        StatusCode::SEE_OTHER,
        "{}",
        republished.text_snippet()
    );
    h.app.published.changed();
    let corrected = visitor
        .get("/agencies/district/assessment/2026-01-01_2026-11-27")
        .await;
    assert!(corrected.body.contains("id=\"ranking\""));
    assert!(
        corrected.body.contains("撤回：权重设置有误"),
        "{}",
        corrected.text_snippet()
    );
    assert!(
        corrected
            .between("id=\"ranking\"", "</table>")
            .contains("公众参与按期回复（50）"),
        "computed again with the weights of today"
    );
}

/// The ranking takes the office's direct subordinates unless the whole tree is asked for: a
/// committee under the street is not ranked with the district's streets and departments.
#[tokio::test]
async fn the_ranking_takes_direct_subordinates_unless_the_whole_tree_is_asked() {
    let h = Harness::fixture().await;
    let village = gongkai_domain::Agency::new(
        gongkai_domain::AgencyCode::parse("village").unwrap(),
        "城关镇东关村民委员会",
        gongkai_domain::AgencyLevel::Township,
        Some(h.agency()),
    )
    .unwrap();
    h.app
        .store
        .add_agency(&village, &h.app.stamp("test"))
        .await
        .unwrap();
    h.app.published.changed();
    let mut supervisor = h.login("supervisor").await;
    let direct = supervisor
        .get("/staff/assessment?from=2026-01-01&to=2026-11-27")
        .await;
    let ranking = direct.between("id=\"ranking\"", "</table>");
    assert!(
        ranking.contains("城关镇人民政府") && !ranking.contains("东关村"),
        "{ranking}"
    );
    let whole = supervisor
        .get("/staff/assessment?from=2026-01-01&to=2026-11-27&scope=whole")
        .await;
    let ranking = whole.between("id=\"ranking\"", "</table>");
    assert!(ranking.contains("东关村民委员会"), "{ranking}");
    assert!(
        whole.body.contains("name=\"scope\" value=\"whole\""),
        "published as computed"
    );
    let odd = supervisor
        .get("/staff/assessment?from=2026-01-01&to=2026-11-27&scope=everything")
        .await;
    assert_eq!(odd.status, StatusCode::UNPROCESSABLE_ENTITY);
}
