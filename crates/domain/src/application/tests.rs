use gongkai_law::{ApplicantKind, Outcome, WorkingCalendar, parse_date};
use gongkai_report::{Severity, model::Format};
use jiff::Timestamp;
use proptest::prelude::*;

use super::*;
use crate::{AgencyCode, stats};

fn d(text: &str) -> Date {
    parse_date("t", text).unwrap()
}

fn agency() -> AgencyCode {
    AgencyCode::parse("demo").unwrap()
}

fn actor(roles: &[Role]) -> Actor {
    Actor {
        user: UserName::parse("clerk").unwrap(),
        agency: agency(),
        roles: roles.to_vec(),
    }
}

fn officer() -> Actor {
    actor(&[Role::CaseOfficer])
}

/// 审核人 who also heads the disclosure office (负责人: extensions, 第三十三条第二款).
fn reviewer() -> Actor {
    Actor {
        user: UserName::parse("head").unwrap(),
        ..actor(&[Role::Reviewer, Role::OfficeHead])
    }
}

fn new_application(number: &str, received: &str, channel: Channel) -> Application {
    let new = NewApplication {
        number: ApplicationNumber::parse(number).unwrap(),
        applicant: Applicant::new(ApplicantKind::NaturalPerson, "张三", None, "13800000000")
            .unwrap(),
        channel,
        received: d(received),
        content: "2023年度本街道老旧小区改造项目的资金使用情况".into(),
        wanted_form: "电子邮件".into(),
    };
    Application::new(agency(), new, Timestamp::UNIX_EPOCH, d("2026-11-28")).unwrap()
}

fn apply(
    app: &Application,
    who: &Actor,
    action: Action,
    today: &str,
) -> Result<Application, DomainError> {
    app.apply(
        who,
        action,
        &WorkingCalendar::embedded(),
        &CaseRules::default(),
        Timestamp::UNIX_EPOCH,
        d(today),
    )
    .map(|(a, _)| a)
}

#[test]
fn the_closed_loop() {
    let app = new_application("2024-001", "2024-09-27", Channel::InPerson);
    assert_eq!(app.state, State::Registered);
    let app = apply(&app, &officer(), Action::StartHandling, "2024-10-08").unwrap();
    let app = apply(
        &app,
        &officer(),
        Action::StartConsultation {
            date: d("2024-10-09"),
            party: "某公司".into(),
            kind: Default::default(),
        },
        "2024-10-09",
    )
    .unwrap();
    let app = apply(
        &app,
        &officer(),
        Action::EndConsultation {
            date: d("2024-10-15"),
        },
        "2024-10-15",
    )
    .unwrap();
    let app = apply(
        &app,
        &reviewer(),
        Action::Extend {
            date: d("2024-10-20"),
            reason: "信息量大".into(),
        },
        "2024-10-20",
    )
    .unwrap();
    let deadline = app
        .deadline(&WorkingCalendar::embedded(), true, None)
        .unwrap();
    assert_eq!(deadline.working_days, 40);
    let app = apply(
        &app,
        &officer(),
        Action::SubmitAnswer {
            outcome: Outcome::PartlyDisclosed,
            text: "经审查……".into(),
            referral: None,
            attachments: Vec::new(),
        },
        "2024-11-01",
    )
    .unwrap();
    assert_eq!(app.state, State::UnderReview);
    let app = apply(
        &app,
        &reviewer(),
        Action::ApproveAnswer {
            date: d("2024-11-04"),
        },
        "2024-11-04",
    )
    .unwrap();
    assert_eq!(
        (app.state, app.answered_on),
        (State::Answered, Some(d("2024-11-04")))
    );
    assert_eq!(
        app.answer
            .as_ref()
            .unwrap()
            .approved_by
            .as_ref()
            .unwrap()
            .as_str(),
        "head"
    );
    let app = apply(
        &app,
        &officer(),
        Action::Deliver {
            method: "电子邮件".into(),
            date: d("2024-11-04"),
            proof: "回执".into(),
            consent: false,
        },
        "2024-11-05",
    )
    .unwrap();
    let app = apply(&app, &officer(), Action::Archive, "2024-11-06").unwrap();
    assert_eq!(app.state, State::Archived);
    let err = apply(&app, &officer(), Action::StartHandling, "2024-11-07").unwrap_err();
    assert!(err.to_string().contains("已归档"), "{err}");
    assert_eq!(
        apply(
            &app,
            &officer(),
            Action::AddNote {
                text: "申请人来电致谢".into()
            },
            "2024-11-07"
        )
        .unwrap()
        .notes
        .len(),
        1
    );
}

#[test]
fn roles_and_agencies_are_enforced() {
    let app = new_application("2024-002", "2024-03-01", Channel::InPerson);
    let extend = Action::Extend {
        date: d("2024-03-05"),
        reason: "需要".into(),
    };
    assert!(matches!(
        apply(&app, &officer(), extend.clone(), "2024-03-05"),
        Err(DomainError::Forbidden(_))
    ));
    let stranger = Actor {
        agency: AgencyCode::parse("other").unwrap(),
        ..officer()
    };
    assert!(matches!(
        apply(&app, &stranger, Action::StartHandling, "2024-03-05"),
        Err(DomainError::Forbidden(_))
    ));
    assert!(apply(&app, &reviewer(), extend, "2024-03-05").is_ok());
}

#[test]
fn the_statute_is_enforced() {
    let app = new_application("2024-003", "2024-09-27", Channel::InPerson);
    // 补正 after 7 working days (the 7th is Saturday 2024-10-12).
    let late = Action::RequestSupplement {
        date: d("2024-10-14"),
        what: "请写明文号".into(),
        period: None,
    };
    assert!(matches!(
        apply(&app, &officer(), late, "2024-10-14"),
        Err(DomainError::Statute(_))
    ));
    // A second extension.
    let once = apply(
        &app,
        &reviewer(),
        Action::Extend {
            date: d("2024-10-09"),
            reason: "a".into(),
        },
        "2024-10-09",
    )
    .unwrap();
    let twice = apply(
        &once,
        &reviewer(),
        Action::Extend {
            date: d("2024-10-10"),
            reason: "b".into(),
        },
        "2024-10-10",
    );
    assert!(matches!(twice, Err(DomainError::Statute(_))), "{twice:?}");
    // No answer without text; 逾期不补正 only while awaiting a supplement.
    assert!(
        apply(
            &app,
            &officer(),
            Action::SubmitAnswer {
                outcome: Outcome::Disclosed,
                text: " ".into(),
                referral: None,
                attachments: Vec::new(),
            },
            "2024-10-09"
        )
        .is_err()
    );
    assert!(
        apply(
            &app,
            &officer(),
            Action::SubmitAnswer {
                outcome: Outcome::SupplementOverdue,
                text: "x".into(),
                referral: None,
                attachments: Vec::new(),
            },
            "2024-10-09"
        )
        .is_err()
    );
    assert!(app.may_record(ClockEventKind::SupplementRequested));
    assert!(!app.may_record(ClockEventKind::SupplementReceived));
    assert!(
        !app.may_record(ClockEventKind::ConsultationEnded),
        "none under way"
    );
    assert!(!app.may_record(ClockEventKind::FeePaid), "no notice yet");
    let waiting = apply(
        &app,
        &officer(),
        Action::RequestSupplement {
            date: d("2024-10-08"),
            what: "请写明文号".into(),
            period: None,
        },
        "2024-10-08",
    )
    .unwrap();
    // 一次性告知: a case that asked once is not offered a second 补正.
    assert!(!waiting.may_record(ClockEventKind::SupplementRequested));
    assert!(waiting.may_record(ClockEventKind::SupplementReceived));
    assert!(
        apply(
            &waiting,
            &officer(),
            Action::SubmitAnswer {
                outcome: Outcome::Disclosed,
                text: "x".into(),
                referral: None,
                attachments: Vec::new(),
            },
            "2024-11-09"
        )
        .is_err()
    );
    assert!(
        apply(
            &waiting,
            &officer(),
            Action::SubmitAnswer {
                outcome: Outcome::SupplementOverdue,
                text: "x".into(),
                referral: None,
                attachments: Vec::new(),
            },
            "2024-11-09"
        )
        .is_ok()
    );
    // Dates cannot go back, nor into the future.
    assert!(
        apply(
            &app,
            &officer(),
            Action::StartConsultation {
                date: d("2024-09-01"),
                party: "p".into(),
                kind: Default::default(),
            },
            "2024-10-01"
        )
        .is_err()
    );
    assert!(
        apply(
            &app,
            &officer(),
            Action::StartConsultation {
                date: d("2024-12-01"),
                party: "p".into(),
                kind: Default::default(),
            },
            "2024-10-01"
        )
        .is_err()
    );
}

#[test]
fn online_applications_wait_for_confirmation() {
    let app = new_application("2024-004", "2024-03-01", Channel::Online);
    assert_eq!(app.state, State::Pending);
    assert!(apply(&app, &officer(), Action::StartHandling, "2024-03-02").is_err());
    let app = apply(
        &app,
        &officer(),
        Action::Register {
            department: Some("党政办".into()),
        },
        "2024-03-02",
    )
    .unwrap();
    assert_eq!(app.department.as_deref(), Some("党政办"));
}

fn any_action() -> impl Strategy<Value = (u8, u8, u8)> {
    (0u8..15, 0u8..21, 0u8..6)
}

/// An action drawn from small numbers: which action, which outcome, how many days later.
fn action_from(pick: u8, outcome: u8, date: Date) -> (Action, bool) {
    let outcome = Outcome::ALL[outcome as usize % 21];
    let reviewer_acts = matches!(pick, 6 | 10 | 11);
    let action = match pick {
        0 => Action::Register { department: None },
        1 => Action::RequestSupplement {
            date,
            what: "补正事项".into(),
            period: None,
        },
        2 => Action::ReceiveSupplement { date },
        3 => Action::StartHandling,
        4 => Action::StartConsultation {
            date,
            party: "第三方".into(),
            kind: Default::default(),
        },
        5 => Action::EndConsultation { date },
        6 => Action::Extend {
            date,
            reason: "理由".into(),
        },
        7 => Action::SendFeeNotice {
            date,
            method: gongkai_law::FeeMethod::PerPage,
            quantity: 40,
        },
        8 => Action::RecordFeePaid { date },
        9 => Action::SubmitAnswer {
            outcome,
            text: "答复".into(),
            referral: None,
            attachments: Vec::new(),
        },
        10 => Action::ReturnForRevision {
            reason: "修改".into(),
        },
        11 => Action::ApproveAnswer { date },
        12 => Action::Deliver {
            method: "邮寄".into(),
            date,
            proof: "单号".into(),
            consent: false,
        },
        13 => Action::Archive,
        _ => Action::AddNote {
            text: "备注".into(),
        },
    };
    (action, reviewer_acts)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Random sequences of actions over many applications: whatever is accepted leaves every
    /// application in a legal state, and table 三 of the records satisfies every identity.
    #[test]
    fn random_histories_stay_legal_and_their_statistics_balance(
        cases in prop::collection::vec((0i32..700, 0u8..6, prop::collection::vec(any_action(), 0..14)), 1..12),
    ) {
        let calendar = WorkingCalendar::embedded();
        let mut facts = Vec::new();
        for (i, (start, kind, actions)) in cases.into_iter().enumerate() {
            let received = d("2023-01-02").checked_add(jiff::Span::new().days(start)).unwrap();
            let mut app = new_application(&format!("P-{i}"), "2023-01-02", if kind == 0 { Channel::Online } else { Channel::InPerson });
            app.received = received;
            app.applicant.kind = ApplicantKind::ALL[kind as usize];
            let mut day = received;
            for (pick, outcome, gap) in actions {
                day = day.checked_add(jiff::Span::new().days(i32::from(gap))).unwrap();
                let (action, by_reviewer) = action_from(pick, outcome, day);
                let who = if by_reviewer { reviewer() } else { officer() };
                if let Ok((next, event)) = app.apply(&who, action, &calendar, &CaseRules::default(), Timestamp::UNIX_EPOCH, day) {
                    prop_assert_eq!(event.before, app.state);
                    prop_assert_eq!(event.after, next.state);
                    app = next;
                }
                // Invariants of a legal state.
                prop_assert_eq!(app.answered_on.is_some(), matches!(app.state, State::Answered | State::Delivered | State::Archived));
                prop_assert_eq!(app.delivery.is_some(), matches!(app.state, State::Delivered | State::Archived));
                if app.state == State::UnderReview || app.answered_on.is_some() {
                    prop_assert!(app.answer.is_some());
                }
                if let Some(answered) = app.answered_on {
                    prop_assert!(answered >= app.received);
                }
                prop_assert!(app.answer_clock(true).deadline(&calendar, None).is_ok(), "the clock stays lawful");
                prop_assert!(app.clock.windows(2).all(|w| w[0].date <= w[1].date));
            }
            facts.push(stats::CaseFacts {
                number: app.number.clone(),
                kind: app.applicant.kind,
                received: app.received,
                answered: app.answered_on.zip(app.answer.as_ref().map(|a| a.outcome)),
            });
        }
        for year in 2022..=2026 {
            let table = stats::table3(&facts, year).table;
            let mut report = gongkai_report::Report::blank(Format::Current2021);
            report.table3 = table;
            let errors: Vec<String> = gongkai_report::check(&report, None)
                .into_iter()
                .filter(|f| f.severity == Severity::Error)
                .map(|f| f.to_string())
                .collect();
            prop_assert!(errors.is_empty(), "{year}: {errors:?}");
            if year > 2022 {
                let mut previous = gongkai_report::Report::blank(Format::Current2021);
                previous.table3 = stats::table3(&facts, year - 1).table;
                let cross = gongkai_report::check(&report, Some(&previous));
                prop_assert!(cross.iter().all(|f| f.code != gongkai_report::Code::CrossYear), "{year}");
            }
        }
    }
}

#[test]
fn attachments_are_checked() {
    let mut app = new_application("2024-005", "2024-03-01", Channel::Online);
    let digest = "a".repeat(64);
    let id_copy = Attachment::new("身份证复印件.pdf", "application/pdf", 120_000, &digest).unwrap();
    app.attach(vec![id_copy.clone()]).unwrap();
    assert_eq!(app.attachments.len(), 1);
    assert!(
        Attachment::new("run.exe", "application/x-msdownload", 10, &digest)
            .unwrap_err()
            .to_string()
            .contains("类型")
    );
    assert!(
        Attachment::new(
            "big.pdf",
            "application/pdf",
            ATTACHMENT_MAX_BYTES + 1,
            &digest
        )
        .is_err()
    );
    assert!(Attachment::new("../etc/passwd", "text/plain", 10, &digest).is_err());
    assert!(app.attach(vec![id_copy; ATTACHMENT_MAX_COUNT]).is_err());
    let stored: Application = serde_json::from_str(&serde_json::to_string(&app).unwrap()).unwrap();
    assert_eq!(stored, app);
}

#[test]
fn the_applicant_supplements_online_with_the_query_code() {
    let mut app = new_application("2026-W001", "2026-11-02", Channel::Online);
    app.query_code_sha256 = Some(crate::access::secret_hash("K7PQ2M9XRT"));
    assert!(app.query_code_matches("K7PQ2M9XRT"));
    assert!(app.query_code_matches(" K7PQ2M9XRT "));
    assert!(!app.query_code_matches("K7PQ2M9XRU"));
    assert!(!app.query_code_matches(""));

    let app = apply(
        &app,
        &officer(),
        Action::Register { department: None },
        "2026-11-02",
    )
    .unwrap();
    let refused = app
        .supplement_by_applicant("名称", Timestamp::UNIX_EPOCH, d("2026-11-03"))
        .unwrap_err();
    assert!(matches!(refused, DomainError::State(_)), "{refused}");
    let app = apply(
        &app,
        &officer(),
        Action::RequestSupplement {
            date: d("2026-11-04"),
            what: "请写明所需文件的名称".into(),
            period: None,
        },
        "2026-11-04",
    )
    .unwrap();
    let empty = app
        .supplement_by_applicant("  ", Timestamp::UNIX_EPOCH, d("2026-11-05"))
        .unwrap_err();
    assert!(matches!(empty, DomainError::Invalid { .. }));
    let (app, event) = app
        .supplement_by_applicant(
            "《太平街道2026年老旧小区改造实施方案》",
            Timestamp::UNIX_EPOCH,
            d("2026-11-06"),
        )
        .unwrap();
    assert_eq!(app.state, State::InProgress);
    assert_eq!(event.actor.as_str(), APPLICANT_ACTOR);
    assert!(app.notes.last().unwrap().text.contains("老旧小区"));
    // The clock restarts from the supplement: 20 working days from 2026-11-06.
    let due = app
        .deadline(&WorkingCalendar::embedded(), true, None)
        .unwrap()
        .due
        .unwrap();
    assert_eq!(due, d("2026-12-04"));
}

/// 第三十条: the 补正告知书 sets a reasonable period; 逾期不补正 is a conclusion only once it has
/// run out, and the period is the agency's to set within sane bounds.
#[test]
fn a_supplement_has_a_period_and_is_overdue_only_after_it() {
    let app = new_application("2024-020", "2024-09-27", Channel::InPerson);
    let ask = |period| Action::RequestSupplement {
        date: d("2024-09-30"),
        what: "请写明所需文件的文号".into(),
        period,
    };
    for wrong in [Some(0), Some(MAX_SUPPLEMENT_PERIOD + 1)] {
        assert!(matches!(
            apply(&app, &officer(), ask(wrong), "2024-09-30"),
            Err(DomainError::Invalid { .. })
        ));
    }
    // 15 working days from Monday 2024-09-30, the National Day week off: Friday 2024-10-25.
    let waiting = apply(&app, &officer(), ask(None), "2024-09-30").unwrap();
    let calendar = WorkingCalendar::embedded();
    let due = waiting.supplement_due(&calendar).unwrap();
    assert_eq!(due.date, d("2024-10-25"));
    assert!(!due.is_provisional());
    let overdue = || Action::SubmitAnswer {
        outcome: Outcome::SupplementOverdue,
        text: "逾期未补正，不再处理。".into(),
        referral: None,
        attachments: Vec::new(),
    };
    let early = apply(&waiting, &officer(), overdue(), "2024-10-25").unwrap_err();
    assert!(
        early.to_string().contains("补正期限至2024年10月25日"),
        "{early}"
    );
    let answered = apply(&waiting, &officer(), overdue(), "2024-10-28").unwrap();
    assert_eq!(answered.state, State::UnderReview);
    // A shorter period set by the agency (or for this case) counts the same way: the fifth
    // working day is Saturday 2024-10-12, a 调休 working day.
    let short = apply(&app, &officer(), ask(Some(5)), "2024-09-30").unwrap();
    assert_eq!(
        short.supplement_due(&calendar).unwrap().date,
        d("2024-10-12")
    );
}

/// 第三十二条、第三十四条: a consultation pauses the clock for at most the consulted party's 15
/// working days, and ends with a recorded event before the agency answers.
#[test]
fn a_consultation_is_bounded_and_ends_with_an_event() {
    let app = new_application("2024-021", "2024-09-27", Channel::InPerson);
    let app = apply(&app, &officer(), Action::StartHandling, "2024-10-08").unwrap();
    let consult = Action::StartConsultation {
        date: d("2024-10-09"),
        party: "示例区住房和城乡建设局".into(),
        kind: ConsultationKind::OtherAgency,
    };
    let paused = apply(&app, &officer(), consult, "2024-10-09").unwrap();
    let calendar = WorkingCalendar::embedded();
    let pause = paused.open_pause(&calendar).unwrap();
    assert_eq!(pause.kind, ConsultationKind::OtherAgency);
    // 15 working days from 2024-10-09 (Saturday 2024-10-12 a working day): 2024-10-29.
    assert_eq!(pause.due.date, d("2024-10-29"));
    assert!(pause.kind.silence().contains("视为同意"));
    let answer = || Action::SubmitAnswer {
        outcome: Outcome::Disclosed,
        text: "予以公开。".into(),
        referral: None,
        attachments: Vec::new(),
    };
    let refused = apply(&paused, &officer(), answer(), "2024-10-30").unwrap_err();
    assert!(
        refused.to_string().contains("请先登记征求意见结束"),
        "{refused}"
    );
    let ended = apply(
        &paused,
        &officer(),
        Action::EndConsultation {
            date: d("2024-10-30"),
        },
        "2024-10-30",
    )
    .unwrap();
    assert_eq!(ended.open_pause(&calendar), None);
    assert!(apply(&ended, &officer(), answer(), "2024-10-30").is_ok());
}

/// 第三十三条第二款: an extension needs the office head; an answer is approved by someone other
/// than its drafter unless the agency records that it is a one-person office.
#[test]
fn who_may_decide_what() {
    let app = new_application("2024-022", "2024-09-27", Channel::InPerson);
    let app = apply(&app, &officer(), Action::StartHandling, "2024-10-08").unwrap();
    let extend = || Action::Extend {
        date: d("2024-10-09"),
        reason: "需要调取档案".into(),
    };
    let plain_reviewer = Actor {
        user: UserName::parse("reviewer").unwrap(),
        ..actor(&[Role::Reviewer])
    };
    let refused = apply(&app, &plain_reviewer, extend(), "2024-10-09").unwrap_err();
    assert!(refused.to_string().contains("负责人"), "{refused}");
    assert!(apply(&app, &reviewer(), extend(), "2024-10-09").is_ok());

    let both = actor(&[Role::CaseOfficer, Role::Reviewer]);
    let drafted = apply(
        &app,
        &both,
        Action::SubmitAnswer {
            outcome: Outcome::Disclosed,
            text: "予以公开。".into(),
            referral: None,
            attachments: Vec::new(),
        },
        "2024-10-10",
    )
    .unwrap();
    let approve = || Action::ApproveAnswer {
        date: d("2024-10-10"),
    };
    let own = drafted
        .apply(
            &both,
            approve(),
            &WorkingCalendar::embedded(),
            &CaseRules::default(),
            Timestamp::UNIX_EPOCH,
            d("2024-10-10"),
        )
        .unwrap_err();
    assert!(own.to_string().contains("审核须由另一人完成"), "{own}");
    let one_person = CaseRules {
        one_person_office: true,
        ..CaseRules::default()
    };
    assert!(
        drafted
            .apply(
                &both,
                approve(),
                &WorkingCalendar::embedded(),
                &one_person,
                Timestamp::UNIX_EPOCH,
                d("2024-10-10"),
            )
            .is_ok()
    );
    assert!(apply(&drafted, &plain_reviewer, approve(), "2024-10-10").is_ok());
}

/// 第三十六条第（五）项 names who holds the information; electronic delivery needs the
/// applicant's consent, and delivery is dated apart from (and not before) the answer.
#[test]
fn referral_and_delivery() {
    let app = new_application("2024-023", "2024-09-27", Channel::InPerson);
    let app = apply(&app, &officer(), Action::StartHandling, "2024-10-08").unwrap();
    let answered = apply(
        &app,
        &officer(),
        Action::SubmitAnswer {
            outcome: Outcome::NotHeld,
            text: "经查，本机关未制作、未获取该信息。".into(),
            referral: Some("示例区住房和城乡建设局，电话 010-12345678".into()),
            attachments: Vec::new(),
        },
        "2024-10-09",
    )
    .unwrap();
    assert_eq!(
        answered.answer.as_ref().unwrap().referral.as_deref(),
        Some("示例区住房和城乡建设局，电话 010-12345678")
    );
    let too_long = apply(
        &app,
        &officer(),
        Action::SubmitAnswer {
            outcome: Outcome::NotHeld,
            text: "经查，本机关未制作、未获取该信息。".into(),
            referral: Some("局".repeat(MAX_REFERRAL_CHARS + 1)),
            attachments: Vec::new(),
        },
        "2024-10-09",
    )
    .unwrap_err();
    assert!(too_long.to_string().contains("不超过200字"), "{too_long}");
    let approved = apply(
        &answered,
        &reviewer(),
        Action::ApproveAnswer {
            date: d("2024-10-10"),
        },
        "2024-10-10",
    )
    .unwrap();
    let deliver = |method: &str, date: &str, consent| Action::Deliver {
        method: method.into(),
        date: d(date),
        proof: String::new(),
        consent,
    };
    // The application asked for 电子邮件 (its wanted form): consent is on record.
    assert!(
        apply(
            &approved,
            &officer(),
            deliver("电子邮件", "2024-10-11", false),
            "2024-10-11"
        )
        .is_ok()
    );
    let mut paper = approved.clone();
    paper.wanted_form = "纸质文本".into();
    let refused = apply(
        &paper,
        &officer(),
        deliver("电子邮件", "2024-10-11", false),
        "2024-10-11",
    )
    .unwrap_err();
    assert!(refused.to_string().contains("须经申请人同意"), "{refused}");
    let done = apply(
        &paper,
        &officer(),
        deliver("电子邮件", "2024-10-11", true),
        "2024-10-11",
    )
    .unwrap();
    assert!(done.delivery.as_ref().unwrap().consent);
    assert!(
        apply(
            &paper,
            &officer(),
            deliver("邮寄", "2024-10-11", false),
            "2024-10-11"
        )
        .is_ok()
    );
    let early = apply(
        &paper,
        &officer(),
        deliver("邮寄", "2024-10-09", false),
        "2024-10-11",
    );
    assert!(early.is_err(), "delivered before it was answered");
    assert_eq!(done.answered_on, Some(d("2024-10-10")));
    assert_eq!(done.delivery.as_ref().unwrap().date, d("2024-10-11"));
}

/// 国办函〔2020〕109号: the amount comes from the method and the quantity; the 20 working days to
/// pay count from the day after the notice was received; 逾期未缴费 only once they have run out;
/// a 减免 needs the office head and a reason, and a whole waiver ends the wait.
#[test]
fn fees_are_worked_out_delivered_and_waived() {
    let app = new_application("2024-030", "2024-09-27", Channel::InPerson);
    let app = apply(&app, &officer(), Action::StartHandling, "2024-09-27").unwrap();
    let notice = |method, quantity| Action::SendFeeNotice {
        date: d("2024-09-30"),
        method,
        quantity,
    };
    let free = apply(
        &app,
        &officer(),
        notice(FeeMethod::PerApplication, 10),
        "2024-09-30",
    );
    assert!(free.unwrap_err().to_string().contains("不收取信息处理费"));
    let noticed = apply(
        &app,
        &officer(),
        notice(FeeMethod::PerApplication, 12),
        "2024-09-30",
    )
    .unwrap();
    assert_eq!(noticed.letter_facts.fee_yuan, Some(100));
    let fee = noticed.letter_facts.fee.as_ref().unwrap();
    assert!(fee.working.contains("第12件"), "{}", fee.working);

    let unpaid = || Action::SubmitAnswer {
        outcome: Outcome::FeeUnpaid,
        text: "逾期未缴费，不再处理。".into(),
        referral: None,
        attachments: Vec::new(),
    };
    let undelivered = apply(&noticed, &officer(), unpaid(), "2024-12-02").unwrap_err();
    assert!(
        undelivered.to_string().contains("送达日期"),
        "{undelivered}"
    );
    let delivered = apply(
        &noticed,
        &officer(),
        Action::DeliverFeeNotice {
            date: d("2024-10-08"),
        },
        "2024-10-08",
    )
    .unwrap();
    // Received 2024-10-08: 20 working days from the next day (10-12 is a 调休 Saturday) end 11-04.
    let due = delivered
        .fee_payment_due(&WorkingCalendar::embedded())
        .unwrap();
    assert_eq!(due.date, d("2024-11-04"));
    let early = apply(&delivered, &officer(), unpaid(), "2024-11-04").unwrap_err();
    assert!(early.to_string().contains("2024年11月4日"), "{early}");
    assert!(apply(&delivered, &officer(), unpaid(), "2024-11-05").is_ok());

    let waive = |yuan, reason: &str| Action::WaiveFee {
        date: d("2024-10-09"),
        yuan,
        reason: reason.into(),
    };
    let by_officer = apply(&delivered, &officer(), waive(0, "低保户"), "2024-10-09");
    assert!(by_officer.unwrap_err().to_string().contains("负责人"));
    assert!(apply(&delivered, &reviewer(), waive(0, " "), "2024-10-09").is_err());
    assert!(apply(&delivered, &reviewer(), waive(100, "低保户"), "2024-10-09").is_err());
    let reduced = apply(&delivered, &reviewer(), waive(50, "低保户"), "2024-10-09").unwrap();
    assert_eq!(reduced.letter_facts.fee_yuan, Some(50));
    assert_eq!(
        reduced
            .deadline(&WorkingCalendar::embedded(), true, None)
            .unwrap()
            .due,
        None,
        "still waiting for the reduced fee"
    );
    let waived = apply(&delivered, &reviewer(), waive(0, "低保户"), "2024-10-09").unwrap();
    let deadline = waived
        .deadline(&WorkingCalendar::embedded(), true, None)
        .unwrap();
    assert!(deadline.due.is_some(), "a whole waiver ends the wait");
    assert_eq!(
        waived
            .letter_facts
            .fee
            .as_ref()
            .unwrap()
            .waiver
            .as_ref()
            .unwrap()
            .by
            .as_str(),
        "head"
    );
    let after = apply(&waived, &officer(), unpaid(), "2024-12-02").unwrap_err();
    assert!(after.to_string().contains("没有未缴费"), "{after}");
}

/// 第三十五条: reasons first; then a reasonable later deadline replaces the statutory one.
#[test]
fn a_reasonable_deadline_for_volume_needs_reasons_first() {
    let app = new_application("2024-031", "2024-09-27", Channel::InPerson);
    let app = apply(&app, &officer(), Action::StartHandling, "2024-09-27").unwrap();
    let set = || Action::SetReasonableDeadline {
        date: d("2024-10-10"),
        due: d("2024-12-31"),
        reason: "申请数量较大，需逐件检索".into(),
    };
    let unasked = apply(&app, &reviewer(), set(), "2024-10-10").unwrap_err();
    assert!(unasked.to_string().contains("说明理由"), "{unasked}");
    let asked = apply(
        &app,
        &officer(),
        Action::AskForReasons {
            date: d("2024-10-09"),
            what: "请说明本月申请40件的理由".into(),
        },
        "2024-10-09",
    )
    .unwrap();
    assert!(
        apply(&asked, &officer(), set(), "2024-10-10").is_err(),
        "the head decides"
    );
    let too_early = Action::SetReasonableDeadline {
        date: d("2024-10-10"),
        due: d("2024-10-20"),
        reason: "x".into(),
    };
    assert!(apply(&asked, &reviewer(), too_early, "2024-10-10").is_err());
    let set_ = apply(&asked, &reviewer(), set(), "2024-10-10").unwrap();
    let deadline = set_
        .deadline(&WorkingCalendar::embedded(), true, Some(d("2024-12-30")))
        .unwrap();
    assert_eq!(deadline.due, Some(d("2024-12-31")));
    assert_eq!(deadline.working_days_left, Some(1));
    assert_eq!(deadline.steps.last().unwrap().article, "第三十五条");
}

/// A suggested applicant record (same name and contact) is merged or kept apart by staff.
#[test]
fn staff_confirm_or_reject_a_suggested_applicant() {
    use crate::applicants::{ApplicantLink, MatchBasis};
    let mut app = new_application("2024-032", "2024-09-27", Channel::InPerson);
    let confirm = |same| Action::ConfirmApplicant { same };
    assert!(apply(&app, &officer(), confirm(true), "2024-09-27").is_err());
    app.applicant_link = Some(ApplicantLink {
        id: 7,
        basis: MatchBasis::NewRecord,
        suggested: Some(3),
    });
    let same = apply(&app, &officer(), confirm(true), "2024-09-27").unwrap();
    assert_eq!(
        same.applicant_link,
        Some(ApplicantLink {
            id: 3,
            basis: MatchBasis::ConfirmedByStaff,
            suggested: None
        })
    );
    let apart = apply(&app, &officer(), confirm(false), "2024-09-27").unwrap();
    assert_eq!(apart.applicant_link.unwrap().id, 7);
    assert!(apply(&apart, &officer(), confirm(true), "2024-09-27").is_err());
}

/// 第三十三条第一款: an application made in person may be answered on the spot, the same day,
/// when the answer needs no review; the answer and its delivery are recorded at once.
#[test]
fn an_in_person_application_is_answered_on_the_spot() {
    let app = new_application("2024-040", "2024-09-27", Channel::InPerson);
    let on_the_spot = |outcome| Action::AnswerOnTheSpot {
        outcome,
        text: "该信息已在本机关网站公开，网址为……".into(),
    };
    let done = apply(
        &app,
        &officer(),
        on_the_spot(Outcome::Disclosed),
        "2024-09-27",
    )
    .unwrap();
    assert_eq!(done.state, State::Delivered);
    assert_eq!(done.answered_on, Some(d("2024-09-27")));
    assert_eq!(done.delivery.as_ref().unwrap().date, d("2024-09-27"));
    let answer = done.answer.as_ref().unwrap();
    assert_eq!(answer.approved_by.as_ref(), Some(&answer.drafted_by));

    let next_day = apply(
        &app,
        &officer(),
        on_the_spot(Outcome::Disclosed),
        "2024-09-29",
    );
    assert!(next_day.unwrap_err().to_string().contains("当场答复"));
    let refusal = apply(
        &app,
        &officer(),
        on_the_spot(Outcome::StateSecret),
        "2024-09-27",
    );
    assert!(refusal.unwrap_err().to_string().contains("须经审核"));
    let mailed = new_application("2024-041", "2024-09-27", Channel::RegisteredMail);
    assert!(
        apply(
            &mailed,
            &officer(),
            on_the_spot(Outcome::Disclosed),
            "2024-09-27"
        )
        .is_err()
    );
}

/// Texts a case action keeps are bounded: what to explain (第三十五条) and an answer's text.
#[test]
fn long_texts_are_refused_with_their_bound() {
    let app = new_application("2024-050", "2024-09-27", Channel::InPerson);
    let ask = Action::AskForReasons {
        date: d("2024-09-27"),
        what: "理".repeat(volume::MAX_REASON_CHARS + 1),
    };
    let refused = apply(&app, &officer(), ask, "2024-09-27").unwrap_err();
    assert!(refused.to_string().contains("1–500字"), "{refused}");
    let long = "答".repeat(MAX_ANSWER_CHARS + 1);
    let spot = Action::AnswerOnTheSpot {
        outcome: Outcome::Disclosed,
        text: long.clone(),
    };
    assert!(
        apply(&app, &officer(), spot, "2024-09-27")
            .unwrap_err()
            .to_string()
            .contains("不超过20000字")
    );
    let handled = apply(&app, &officer(), Action::StartHandling, "2024-09-27").unwrap();
    let submit = Action::SubmitAnswer {
        outcome: Outcome::Disclosed,
        text: long,
        referral: None,
        attachments: Vec::new(),
    };
    assert!(apply(&handled, &officer(), submit, "2024-09-27").is_err());
}

/// "见附件" in an answer needs the files: the applicant cannot be pointed to nothing.
#[test]
fn an_answer_that_says_see_attachment_carries_its_files() {
    let app = new_application("2024-051", "2024-09-27", Channel::InPerson);
    let handled = apply(&app, &officer(), Action::StartHandling, "2024-09-27").unwrap();
    let submit = |text: &str, attachments: Vec<Attachment>| Action::SubmitAnswer {
        outcome: Outcome::Disclosed,
        text: text.into(),
        referral: None,
        attachments,
    };
    for text in [
        "经查，予以公开，详见附件。",
        "予以公开。\n附件：2023年预算表",
    ] {
        let refused = apply(&handled, &officer(), submit(text, Vec::new()), "2024-09-27")
            .unwrap_err()
            .to_string();
        assert!(refused.contains("没有附件"), "{refused}");
    }
    let file = Attachment {
        name: "2023年预算表.pdf".into(),
        media_type: "application/pdf".into(),
        bytes: 1200,
        sha256: "ab".repeat(32),
    };
    let submitted = apply(
        &handled,
        &officer(),
        submit("经查，予以公开，详见附件。", vec![file.clone()]),
        "2024-09-27",
    )
    .unwrap();
    assert_eq!(submitted.answer.unwrap().attachments, vec![file.clone()]);
    let too_many = vec![file; ATTACHMENT_MAX_COUNT + 1];
    assert!(
        apply(
            &handled,
            &officer(),
            submit("予以公开。", too_many),
            "2024-09-27"
        )
        .is_err()
    );
    // Text that does not point to a file needs none.
    assert!(
        apply(
            &handled,
            &officer(),
            submit("予以公开。", Vec::new()),
            "2024-09-27"
        )
        .is_ok()
    );
}
