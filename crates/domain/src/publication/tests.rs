use gongkai_law::{WorkingCalendar, parse_date};
use jiff::Timestamp;
use proptest::prelude::*;

use super::*;

fn d(text: &str) -> Date {
    parse_date("t", text).unwrap()
}

fn actor(name: &str, roles: &[Role]) -> Actor {
    Actor {
        user: UserName::parse(name).unwrap(),
        agency: AgencyCode::parse("demo").unwrap(),
        roles: roles.to_vec(),
    }
}

fn draft() -> Draft {
    Draft {
        title: "太平街道2026年财政预算".into(),
        body: vec!["一、收入预算".into(), "二、支出预算".into()],
        category: "法定主动公开内容/财政信息".into(),
        topic: "财政、金融、审计".into(),
        written_on: d("2026-03-02"),
        changed_on: None,
        doc_number: Some("示太政发〔2026〕3号".into()),
        channels: vec!["政府网站".into()],
        release_on: None,
        department: Some("党政办公室".into()),
        catalog_entry: None,
        attachments: Vec::new(),
        interprets: None,
    }
}

fn drafted() -> Publication {
    let clerk = actor("clerk", &[Role::CaseOfficer]);
    Publication::new(
        AgencyCode::parse("demo").unwrap(),
        1,
        "示例区人民政府太平街道办事处",
        &clerk,
        draft(),
        ReviewChain::standard(),
    )
    .unwrap()
}

fn go(p: &Publication, who: &Actor, action: PublicationAction) -> Result<Publication, DomainError> {
    p.apply(who, action, Timestamp::UNIX_EPOCH, d("2026-03-10"))
}

#[test]
fn nothing_is_public_before_the_last_approval() {
    let clerk = actor("clerk", &[Role::CaseOfficer]);
    let head = actor("head", &[Role::Reviewer]);
    let secrecy = actor("secrecy", &[Role::SecrecyReviewer]);
    let p = go(&drafted(), &clerk, PublicationAction::Submit).unwrap();
    assert_eq!(p.state, PublicationState::InReview(0));
    assert!(!p.is_public());
    // The secrecy reviewer cannot take the department's step, nor skip ahead.
    assert!(matches!(
        go(
            &p,
            &secrecy,
            PublicationAction::approve_with("经审查同意公开")
        ),
        Err(DomainError::Forbidden(_))
    ));
    let p = go(&p, &head, PublicationAction::approve_with("经审查同意公开")).unwrap();
    assert_eq!(p.state, PublicationState::InReview(1));
    assert!(matches!(
        go(&p, &head, PublicationAction::approve_with("经审查同意公开")),
        Err(DomainError::Forbidden(_))
    ));
    // 保密审查 concludes in writing; the opinion is kept with the step.
    assert!(matches!(
        go(&p, &secrecy, PublicationAction::approve_with("  ")),
        Err(DomainError::Invalid { .. })
    ));
    let p = go(
        &p,
        &secrecy,
        PublicationAction::approve_with("经审查同意公开"),
    )
    .unwrap();
    assert_eq!(p.approvals[1].opinion.as_deref(), Some("经审查同意公开"));
    assert!(!p.is_public());
    // 签发 is the office head's, and someone who approved a step before may not take it.
    assert!(matches!(
        go(&p, &head, PublicationAction::approve_with("经审查同意公开")),
        Err(DomainError::Forbidden(_))
    ));
    let both = actor("head", &[Role::Reviewer, Role::OfficeHead]);
    let twice = go(&p, &both, PublicationAction::approve_with("经审查同意公开")).unwrap_err();
    assert!(twice.to_string().contains("不同的人"), "{twice}");
    let chief = actor("chief", &[Role::OfficeHead]);
    let p = go(
        &p,
        &chief,
        PublicationAction::approve_with("经审查同意公开"),
    )
    .unwrap();
    assert_eq!(p.state, PublicationState::Published);
    assert!(p.is_public() && p.fully_approved());
    assert_eq!(p.published_on, Some(d("2026-03-10")));
}

#[test]
fn the_drafter_does_not_approve_their_own_draft() {
    let both = actor(
        "clerk",
        &[Role::CaseOfficer, Role::Reviewer, Role::SecrecyReviewer],
    );
    let p = go(&drafted(), &both, PublicationAction::Submit).unwrap();
    let refused = go(&p, &both, PublicationAction::approve_with("经审查同意公开")).unwrap_err();
    assert!(refused.to_string().contains("起草人"), "{refused}");
}

#[test]
fn the_secrecy_step_cannot_be_removed() {
    let without = ReviewChain::new(vec![ReviewStep {
        name: "签发".into(),
        role: Role::Reviewer,
    }]);
    assert!(without.unwrap_err().to_string().contains("保密审查"));
    let json = r#"[{"name":"签发","role":"reviewer"}]"#;
    assert!(
        serde_json::from_str::<ReviewChain>(json).is_err(),
        "not even through JSON"
    );
    let mut p = drafted();
    p.state = PublicationState::Published;
    p.approvals = vec![Approval {
        step: 0,
        name: "科室审核".into(),
        by: UserName::parse("head").unwrap(),
        at: Timestamp::UNIX_EPOCH,
        opinion: None,
    }];
    assert!(!p.is_public(), "a forged state is not public");
}

#[test]
fn rejection_goes_back_to_the_drafter_with_the_reason() {
    let clerk = actor("clerk", &[Role::CaseOfficer]);
    let head = actor("head", &[Role::Reviewer]);
    let p = go(&drafted(), &clerk, PublicationAction::Submit).unwrap();
    let p = go(&p, &head, PublicationAction::approve_with("经审查同意公开")).unwrap();
    let secrecy = actor("secrecy", &[Role::SecrecyReviewer]);
    assert!(
        go(
            &p,
            &secrecy,
            PublicationAction::Reject { reason: " ".into() }
        )
        .is_err()
    );
    let p = go(
        &p,
        &secrecy,
        PublicationAction::Reject {
            reason: "含有个人身份证号码，请删除".into(),
        },
    )
    .unwrap();
    assert_eq!(p.state, PublicationState::Draft);
    assert!(p.approvals.is_empty());
    assert_eq!(p.reason.as_deref(), Some("含有个人身份证号码，请删除"));
    let mut changed = draft();
    changed.body.push("三、说明".into());
    let p = go(
        &p,
        &clerk,
        PublicationAction::Edit {
            draft: Box::new(changed),
        },
    )
    .unwrap();
    assert_eq!(p.draft.body.len(), 3);
}

#[test]
fn scheduled_release_waits_for_its_day() {
    let clerk = actor("clerk", &[Role::CaseOfficer]);
    let head = actor("head", &[Role::Reviewer]);
    let secrecy = actor("secrecy", &[Role::SecrecyReviewer]);
    let mut first = drafted();
    first.draft.release_on = Some(d("2026-03-20"));
    let p = go(&first, &clerk, PublicationAction::Submit).unwrap();
    let p = go(&p, &head, PublicationAction::approve_with("经审查同意公开")).unwrap();
    let p = go(
        &p,
        &secrecy,
        PublicationAction::approve_with("经审查同意公开"),
    )
    .unwrap();
    let chief = actor("chief", &[Role::OfficeHead]);
    let p = go(
        &p,
        &chief,
        PublicationAction::approve_with("经审查同意公开"),
    )
    .unwrap();
    assert_eq!(p.state, PublicationState::Scheduled);
    assert!(!p.is_public());
    assert!(p.release_if_due(d("2026-03-19")).is_none());
    let p = p.release_if_due(d("2026-03-20")).unwrap();
    assert!(p.is_public());
    let p = go(
        &p,
        &head,
        PublicationAction::Withdraw {
            reason: "内容有误".into(),
        },
    )
    .unwrap();
    assert!(!p.is_public());
}

#[test]
fn due_twenty_working_days_after_it_was_made() {
    let calendar = WorkingCalendar::embedded();
    let p = drafted();
    assert_eq!(p.due(&calendar), Some(d("2026-03-30")));
    assert!(!p.is_late(&calendar, d("2026-03-30")));
    assert!(p.is_late(&calendar, d("2026-03-31")));
    let mut published = p.clone();
    published.published_on = Some(d("2026-03-27"));
    assert!(!published.is_late(&calendar, d("2026-12-31")));
    published.published_on = Some(d("2026-04-01"));
    assert!(published.is_late(&calendar, d("2026-04-01")));
}

#[test]
fn index_numbers_follow_the_pattern() {
    assert_eq!(
        index_number("{unit}/{year}-{seq:07}", "sl-tp", 2026, 42).unwrap(),
        "sl-tp/2026-0000042"
    );
    assert_eq!(index_number("{unit}-{seq}", "x", 2026, 7).unwrap(), "x-7");
    assert!(
        index_number("{unit}/{year}", "x", 2026, 1).is_err(),
        "without seq it repeats"
    );
    assert!(index_number("{unit}/{what}-{seq}", "x", 2026, 1).is_err());
    assert!(index_number("{unit/{seq}", "x", 2026, 1).is_err());
}

proptest! {
    /// Whatever happens, in whatever order, by whoever: public implies every step approved.
    #[test]
    fn random_histories_never_publish_without_every_approval(steps in proptest::collection::vec((0u8..6, 0u8..4), 0..30)) {
        let people = [
            actor("clerk", &[Role::CaseOfficer]),
            actor("head", &[Role::Reviewer]),
            actor("secrecy", &[Role::SecrecyReviewer]),
            actor("boss", &[Role::Reviewer, Role::CaseOfficer]),
        ];
        let mut p = drafted();
        for (action, who) in steps {
            let action = match action {
                0 => PublicationAction::Submit,
                1 | 2 => PublicationAction::approve_with("经审查同意公开"),
                3 => PublicationAction::Reject { reason: "改".into() },
                4 => PublicationAction::Withdraw { reason: "撤".into() },
                _ => PublicationAction::Edit {
                    draft: Box::new(draft()),
                },
            };
            if let Ok(next) = go(&p, &people[who as usize], action) {
                p = next;
            }
            if p.state == PublicationState::Published {
                prop_assert!(p.fully_approved());
            }
        }
    }
}

/// 第二十六条 counts from the 变更日期 of changed information; a published item changes by a new
/// version that needs its change date and the whole review chain, and is superseded once.
#[test]
fn a_change_is_a_new_version_counted_from_the_change() {
    let calendar = WorkingCalendar::embedded();
    let clerk = actor("clerk", &[Role::CaseOfficer]);
    let mut published = drafted();
    published.state = PublicationState::Published;
    let mut changed = draft();
    let no_date = published.revision(
        &clerk,
        2,
        changed.clone(),
        ReviewChain::standard(),
        d("2026-06-30"),
    );
    assert!(no_date.unwrap_err().to_string().contains("变更日期"));
    changed.changed_on = Some(d("2026-02-01"));
    let before_written = published.revision(
        &clerk,
        2,
        changed.clone(),
        ReviewChain::standard(),
        d("2026-06-30"),
    );
    assert!(
        before_written.is_err(),
        "a change cannot come before the text was written"
    );
    changed.changed_on = Some(d("2026-06-01"));
    let revision = published
        .revision(
            &clerk,
            2,
            changed.clone(),
            ReviewChain::standard(),
            d("2026-06-30"),
        )
        .unwrap();
    assert_eq!(
        (revision.revises, revision.state),
        (Some(1), PublicationState::Draft)
    );
    assert!(
        revision.approvals.is_empty(),
        "reviewed again from the first step"
    );
    assert_eq!(
        revision.due(&calendar),
        Some(calendar.add_working_days(d("2026-06-01"), 20).unwrap().date)
    );
    let old = published.superseded(2);
    assert_eq!(old.superseded_by, Some(2));
    assert_eq!(
        old.state,
        PublicationState::Published,
        "the old address stays, marked"
    );
    assert!(
        old.revision(&clerk, 3, changed, ReviewChain::standard(), d("2026-06-30"))
            .is_err()
    );
}
