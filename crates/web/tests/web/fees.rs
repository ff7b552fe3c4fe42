//! 信息处理费 and 第三十五条 through the back office and the API: the 按件 count comes from the
//! applicant's applications of the month, the payment period from the notice's delivery,
//! 逾期未缴费 only after it, 减免 by the office head; volume past the agency's line is flagged.

use axum::http::StatusCode;
use gongkai_domain::identity::ResidentId;
use serde_json::json;

use crate::{
    fixture::{APPLICANT, APPLICANT_ID17, APPLICANT_PHONE},
    support::{Client, Harness},
};

/// Registers a paper application of the fixture's applicant 李四 received on `received`.
async fn register_for_the_applicant(clerk: &mut Client, received: &str, content: &str) -> String {
    let csrf = clerk.csrf().await;
    let id = ResidentId::with_check_character(APPLICANT_ID17).unwrap();
    let r = clerk
        .post_form(
            "/staff/register",
            &[
                ("csrf", &csrf),
                ("channel", "in_person"),
                ("received", received),
                ("kind", "natural_person"),
                ("name", APPLICANT),
                ("id_type", "resident_id"),
                ("id_number", id.as_str()),
                ("phone", APPLICANT_PHONE),
                ("content", content),
                ("wanted_form", "纸质"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    let location = r.header("location");
    let number = location.trim_start_matches("/staff/cases/");
    number.split('?').next().unwrap().to_string()
}

#[tokio::test]
async fn a_fee_is_worked_out_from_the_month_and_paid_within_its_period() {
    let h = Harness::fixture().await;
    let mut clerk = h.login("clerk").await;
    // 李四 already has 2026-D0001 (2 November); eleven more make twelve in November.
    let mut numbers = Vec::new();
    for day in 3..=13 {
        let received = format!("2026-11-{day:02}");
        numbers.push(
            register_for_the_applicant(&mut clerk, &received, &format!("第{day}号文件")).await,
        );
    }
    let twelfth = numbers.last().unwrap().clone();
    let eleventh = numbers[numbers.len() - 2].clone();
    let page = clerk.get(&format!("/staff/cases/{twelfth}")).await;
    assert!(
        page.body.contains("共12件申请，本件为第12件"),
        "{}",
        page.text_snippet()
    );
    assert!(
        page.body.contains("id=\"volume\""),
        "past the default line of 10 a month"
    );

    clerk.act(&twelfth, &[("action", "start_handling")]).await;
    // A quantity typed for 按件 is ignored: the records count.
    clerk
        .act(
            &twelfth,
            &[
                ("action", "send_fee_notice"),
                ("date", "2026-11-27"),
                ("fee_method", "per_application"),
                ("pages", "1"),
            ],
        )
        .await;
    let case = h.case(&twelfth).await;
    assert_eq!(case.letter_facts.fee_yuan, Some(100));
    let page = clerk.get(&format!("/staff/cases/{twelfth}")).await;
    assert!(
        page.body.contains("第12件申请，属第11—30件，每件100元"),
        "{}",
        page.text_snippet()
    );
    assert!(page.body.contains("尚未登记收费通知送达日期"));
    let letter = clerk
        .get(&format!("/staff/cases/{twelfth}/letters/1?format=html"))
        .await;
    assert!(
        letter.body.contains("收费通知书")
            && letter.body.contains("按件计收")
            && letter.body.contains("缴入示例县财政局非税收入账户"),
        "{}",
        letter.text_snippet()
    );

    // 逾期未缴费: not before the delivery is recorded, not before the period has run out.
    let csrf = clerk.csrf().await;
    let unpaid = [
        ("csrf", csrf.as_str()),
        ("action", "submit_answer"),
        ("outcome", "other_fee_unpaid"),
        ("text", "逾期未缴费，不再处理。"),
    ];
    let r = clerk
        .post_form(&format!("/staff/cases/{twelfth}/act"), &unpaid)
        .await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "not in this state of the case"
    );
    assert!(
        r.body.contains("尚未登记收费通知送达日期"),
        "{}",
        r.text_snippet()
    );
    clerk
        .act(
            &twelfth,
            &[("action", "deliver_fee_notice"), ("date", "2026-11-27")],
        )
        .await;
    let page = clerk.get(&format!("/staff/cases/{twelfth}")).await;
    assert!(
        page.body.contains("缴费期限至 <strong>2026年12月25日"),
        "{}",
        page.text_snippet()
    );
    let r = clerk
        .post_form(&format!("/staff/cases/{twelfth}/act"), &unpaid)
        .await;
    assert!(
        r.body.contains("缴费期限至2026年12月25日"),
        "{}",
        r.text_snippet()
    );

    // 减免 is the office head's: the case officer is refused, the head waives with a reason.
    let waive = [
        ("action", "waive_fee"),
        ("date", "2026-11-27"),
        ("yuan", "0"),
        ("reason", "申请人为低保对象"),
    ];
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(&waive);
    let r = clerk
        .post_form(&format!("/staff/cases/{twelfth}/act"), &all)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text_snippet());
    let mut head = h.login("head").await;
    head.act(&twelfth, &waive).await;
    let case = h.case(&twelfth).await;
    assert_eq!(case.letter_facts.fee_yuan, Some(0));
    assert!(
        case.deadline(&gongkai_law::WorkingCalendar::embedded(), true, None)
            .unwrap()
            .due
            .is_some(),
        "a whole waiver ends the wait"
    );

    // The API counts too: the eleventh application costs 100元 whatever quantity is sent.
    let token = h.token("clerk").await;
    let mut api = h.client();
    let act = |body: serde_json::Value| body;
    let r = api
        .request_json(
            "POST",
            &format!("/api/v1/cases/{eleventh}/actions"),
            Some(act(json!({"action": "start_handling"}))),
            Some(&token),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = api
        .request_json(
            "POST",
            &format!("/api/v1/cases/{eleventh}/actions"),
            Some(json!({"action": "send_fee_notice", "date": "2026-11-27", "method": "per_application", "quantity": 1})),
            Some(&token),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["fee"]["quantity"], 11);
    assert_eq!(v["fee"]["charged_yuan"], 100);
    assert_eq!(v["applicant_history"]["month_count"], 12);
    // 按量: 30 pages are free, so no notice.
    let r = api
        .request_json(
            "POST",
            &format!("/api/v1/cases/{}/actions", numbers[0]),
            Some(json!({"action": "send_fee_notice", "date": "2026-11-27", "method": "per_page", "quantity": 30})),
            Some(&token),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("不收取信息处理费"), "{}", r.body);
}

/// 第三十五条: the applicant is asked for reasons; the head sets a later deadline that the
/// clock then shows.
#[tokio::test]
async fn a_reasonable_deadline_follows_the_reasons_asked() {
    let h = Harness::fixture().await;
    let mut clerk = h.login("clerk").await;
    clerk
        .act(
            "2026-D0001",
            &[
                ("action", "ask_for_reasons"),
                ("date", "2026-11-27"),
                ("what", "请说明本月大量申请的理由"),
            ],
        )
        .await;
    let mut head = h.login("head").await;
    head.act(
        "2026-D0001",
        &[
            ("action", "set_reasonable_deadline"),
            ("date", "2026-11-27"),
            ("due", "2027-01-29"),
            ("reason", "申请涉及档案逾千页，需逐件检索"),
        ],
    )
    .await;
    let page = clerk.get("/staff/cases/2026-D0001").await;
    assert!(
        page.body.contains("2027年1月29日") && page.body.contains("第三十五条"),
        "{}",
        page.text_snippet()
    );
    assert!(clerk.get("/staff").await.body.contains("2027-01-29"));
    // Both were told to the applicant in letters.
    let reasons = clerk
        .get("/staff/cases/2026-D0001/letters/1?format=html")
        .await;
    assert!(
        reasons.body.contains("说明理由告知书")
            && reasons.body.contains("请说明本月大量申请的理由"),
        "{}",
        reasons.text_snippet()
    );
    let delay = clerk
        .get("/staff/cases/2026-D0001/letters/2?format=html")
        .await;
    assert!(
        delay.body.contains("延迟答复告知书")
            && delay.body.contains("2027年1月29日")
            && delay.body.contains("第三十五条"),
        "{}",
        delay.text_snippet()
    );
}

/// The applicant's status page states the amount, the last day to pay and how.
#[tokio::test]
async fn the_applicant_sees_the_fee_and_its_last_day() {
    let h = Harness::fixture().await;
    let mut clerk = h.login("clerk").await;
    clerk.act("2026-W0001", &[("action", "register")]).await;
    clerk
        .act(
            "2026-W0001",
            &[
                ("action", "send_fee_notice"),
                ("date", "2026-11-27"),
                ("fee_method", "per_page"),
                ("pages", "45"),
            ],
        )
        .await;
    clerk
        .act(
            "2026-W0001",
            &[("action", "deliver_fee_notice"), ("date", "2026-11-27")],
        )
        .await;
    let mut public = h.client();
    let csrf = public.csrf().await;
    let status = public
        .post_form(
            "/agencies/street/status",
            &[
                ("csrf", &csrf),
                ("number", "2026-W0001"),
                ("code", h.query_code()),
            ],
        )
        .await;
    let fee = status.between("id=\"fee\"", "</p>");
    assert!(
        fee.contains("150元") && fee.contains("2026年12月25日") && fee.contains("非税收入账户"),
        "{fee}"
    );
}
