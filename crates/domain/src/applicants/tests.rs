use gongkai_law::{ApplicantKind, Outcome, parse_date};
use jiff::Timestamp;
use proptest::prelude::*;

use super::*;
use crate::{
    AgencyCode, ApplicationNumber, Channel, NewApplication,
    application::Answer,
    identity::{IdDocument, ResidentId},
};

fn d(text: &str) -> Date {
    parse_date("t", text).unwrap()
}

fn applicant(name: &str, id: Option<&str>, contact: &str) -> Applicant {
    let document = id
        .map(|first17| IdDocument::ResidentId(ResidentId::with_check_character(first17).unwrap()));
    Applicant::new(ApplicantKind::NaturalPerson, name, document, contact).unwrap()
}

fn application(number: &str, received: &str, content: &str) -> Application {
    let new = NewApplication {
        number: ApplicationNumber::parse(number).unwrap(),
        applicant: applicant("张三", None, "13800000000"),
        channel: Channel::InPerson,
        received: d(received),
        content: content.into(),
        wanted_form: "纸质".into(),
    };
    Application::new(
        AgencyCode::parse("demo").unwrap(),
        new,
        Timestamp::UNIX_EPOCH,
        d("2026-11-27"),
    )
    .unwrap()
}

fn answered(mut app: Application, on: &str, outcome: Outcome) -> Application {
    app.answered_on = Some(d(on));
    app.answer = Some(Answer {
        outcome,
        text: "答复".into(),
        referral: None,
        attachments: Vec::new(),
        drafted_by: crate::UserName::parse("clerk").unwrap(),
        approved_by: None,
    });
    app
}

#[test]
fn keys_ignore_spacing_and_case_but_keep_the_document_kind() {
    let a = ApplicantKeys::of(&applicant(
        "张三",
        Some("11010519491231002"),
        "138-0000 0000",
    ));
    let b = ApplicantKeys::of(&applicant(
        " 张三 ",
        Some("11010519491231002"),
        "13800000000",
    ));
    assert_eq!(a, b);
    assert!(a.document.as_deref().unwrap().starts_with("resident:"));
    assert_eq!(a.contact, "13800000000");
    let none = ApplicantKeys::of(&applicant("张三", None, ""));
    assert_eq!((none.document, none.contact.as_str()), (None, ""));
}

#[test]
fn a_document_links_a_name_only_suggests() {
    assert_eq!(decide(Some(3), Some(5)), Matched::Existing(3));
    assert_eq!(
        decide(None, Some(5)).link(9),
        ApplicantLink {
            id: 9,
            basis: MatchBasis::NewRecord,
            suggested: Some(5)
        }
    );
    assert_eq!(decide(None, None).link(9).suggested, None);
    assert_eq!(decide(Some(3), None).link(9).basis, MatchBasis::IdDocument);
}

#[test]
fn a_repeat_is_the_same_request_already_answered_on_its_substance() {
    let earlier = answered(
        application(
            "2026-D0001",
            "2026-03-02",
            "2025年本街道老旧小区改造项目的资金使用情况",
        ),
        "2026-03-20",
        Outcome::Disclosed,
    );
    let withdrawn = answered(
        application(
            "2026-D0002",
            "2026-04-01",
            "2025年本街道老旧小区改造项目的资金使用情况",
        ),
        "2026-05-20",
        Outcome::SupplementOverdue,
    );
    let other = answered(
        application("2026-D0003", "2026-04-02", "2026年城市更新项目的招标文件"),
        "2026-04-20",
        Outcome::Disclosed,
    );
    let open = application(
        "2026-D0004",
        "2026-06-01",
        "2025年本街道老旧小区改造项目的资金使用情况",
    );
    let now = application(
        "2026-D0009",
        "2026-09-01",
        "2025年本街道 老旧小区改造项目的资金使用情况。",
    );
    let history = vec![earlier.clone(), withdrawn, other, open, now.clone()];
    assert_eq!(
        repeat_of(&now, &history).map(|a| a.number.as_str()),
        Some("2026-D0001")
    );
    // The first request repeats nothing; a different request is not a repeat.
    assert!(repeat_of(&earlier, &history).is_none());
    let different = application("2026-D0010", "2026-09-02", "2026年城市更新项目的验收报告");
    assert!(repeat_of(&different, &history).is_none());
}

#[test]
fn the_place_in_the_month_counts_only_that_month_in_order() {
    let history: Vec<_> = [
        ("2026-D0001", "2026-02-27"),
        ("2026-D0002", "2026-03-02"),
        ("2026-D0003", "2026-03-02"),
        ("2026-D0004", "2026-03-31"),
        ("2026-D0005", "2026-04-01"),
    ]
    .iter()
    .map(|(n, r)| application(n, r, "某项信息"))
    .collect();
    let places: Vec<u32> = history
        .iter()
        .map(|a| place_in_month(a, &history))
        .collect();
    assert_eq!(places, [1, 1, 2, 3, 1]);
    assert_eq!(month_count(&history, d("2026-03-15")), 3);
}

proptest! {
    #[test]
    fn similarity_is_symmetric_bounded_and_one_for_equal_texts(a in "[一二三四五六七八九十ab ]{0,30}", b in "[一二三四五六七八九十ab ]{0,30}") {
        let (x, y) = (normalized(&a), normalized(&b));
        let s = similarity(&x, &y);
        prop_assert!((0.0..=1.0).contains(&s));
        prop_assert!((s - similarity(&y, &x)).abs() < 1e-12);
        prop_assert!((similarity(&x, &x) - 1.0).abs() < 1e-12);
    }
}
