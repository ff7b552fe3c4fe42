//! One applicant across applications: the same identity document links, the same name and
//! contact is only suggested until staff confirm, and a request answered before is flagged as
//! a repeat (第三十六条第（六）项).

use axum::http::StatusCode;

use crate::{
    fixture::{APPLICANT, APPLICANT_PHONE},
    support::{Client, Harness},
};

async fn register(clerk: &mut Client, fields: &[(&str, &str)]) -> String {
    let csrf = clerk.csrf().await;
    let mut all = vec![
        ("csrf", csrf.as_str()),
        ("channel", "in_person"),
        ("received", "2026-11-26"),
        ("kind", "natural_person"),
        ("wanted_form", "纸质"),
    ];
    all.extend_from_slice(fields);
    let r = clerk.post_form("/staff/register", &all).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    let location = r.header("location");
    let number = location.trim_start_matches("/staff/cases/");
    number.split('?').next().unwrap().to_string()
}

#[tokio::test]
async fn a_same_name_and_contact_is_suggested_until_staff_confirm() {
    let h = Harness::fixture().await;
    let mut clerk = h.login("clerk").await;
    // 李四 again, with a passport instead of the identity card of 2026-D0001.
    let number = register(
        &mut clerk,
        &[
            ("name", APPLICANT),
            ("id_type", "other"),
            ("id_name", "护照"),
            ("id_number", "E12345678"),
            ("phone", APPLICANT_PHONE),
            ("content", "城关镇2026年财政决算"),
        ],
    )
    .await;
    let page = clerk.get(&format!("/staff/cases/{number}")).await;
    assert!(
        page.body.contains("id=\"suggested-applicant\""),
        "{}",
        page.text_snippet()
    );
    assert!(
        page.body.contains("2026-D0001"),
        "the suggested record's applications are listed"
    );
    assert!(
        page.body.contains("没有其他申请"),
        "not linked before staff decide"
    );
    // Staff without case duties see no personal data, so no suggestion either.
    let mut supervisor = h.login("supervisor").await;
    let seen = supervisor.get(&format!("/staff/cases/{number}")).await;
    assert!(!seen.body.contains("id=\"suggested-applicant\""));
    assert!(
        !seen.body.contains("id=\"applicant-history\""),
        "nor who else applied"
    );

    clerk
        .act(&number, &[("action", "confirm_applicant"), ("same", "yes")])
        .await;
    let page = clerk.get(&format!("/staff/cases/{number}")).await;
    assert!(!page.body.contains("id=\"suggested-applicant\""));
    assert!(
        page.body.contains("工作人员确认为同一申请人"),
        "{}",
        page.text_snippet()
    );
    assert!(
        page.between("id=\"applicant-history\"", "</section>")
            .contains("2026-D0001")
    );
    let d0001 = clerk.get("/staff/cases/2026-D0001").await;
    assert!(
        d0001
            .between("id=\"applicant-history\"", "</section>")
            .contains(&number)
    );
}

#[tokio::test]
async fn a_request_answered_before_is_flagged_as_a_repeat() {
    let h = Harness::fixture().await;
    // 2026-D0002 (王五, 人民路拓宽工程批复) is under review: answer it.
    let mut reviewer = h.login("reviewer").await;
    reviewer
        .act(
            "2026-D0002",
            &[("action", "approve_answer"), ("date", "2026-11-27")],
        )
        .await;
    let d0002 = h.case("2026-D0002").await;
    let id = match &d0002.applicant.id_document {
        Some(gongkai_domain::identity::IdDocument::ResidentId(id)) => id.as_str().to_string(),
        other => panic!("the fixture's 王五 has an identity card: {other:?}"),
    };
    let mut clerk = h.login("clerk").await;
    let again = register(
        &mut clerk,
        &[
            ("name", "王五"),
            ("id_type", "resident_id"),
            ("id_number", &id),
            ("phone", "13500000000"),
            ("content", "人民路拓宽工程的批复。"),
        ],
    )
    .await;
    let page = clerk.get(&format!("/staff/cases/{again}")).await;
    let flag = page.between("id=\"repeat\"", "</p>");
    assert!(
        flag.contains("2026-D0002") && flag.contains("第三十六条第（六）项"),
        "{flag}"
    );
    let other = register(
        &mut clerk,
        &[
            ("name", "王五"),
            ("id_type", "resident_id"),
            ("id_number", &id),
            ("phone", "13500000000"),
            ("content", "人民路沿线绿化养护合同"),
        ],
    )
    .await;
    let page = clerk.get(&format!("/staff/cases/{other}")).await;
    assert!(!page.body.contains("id=\"repeat\""));
    assert!(page.body.contains("本件为第3件"), "{}", page.text_snippet());
}
