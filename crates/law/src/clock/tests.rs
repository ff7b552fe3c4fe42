use super::*;
use proptest::prelude::*;

fn d(text: &str) -> Date {
    parse_date("test", text).unwrap()
}

fn clock(received: &str, events: &[(ClockEventKind, &str)]) -> AnswerClock {
    let mut clock = AnswerClock::new(d(received));
    clock.events = events
        .iter()
        .map(|&(kind, date)| ClockEvent {
            kind,
            date: d(date),
        })
        .collect();
    clock
}

fn due(clock: &AnswerClock) -> Option<Date> {
    clock
        .deadline(&WorkingCalendar::embedded(), None)
        .unwrap()
        .due
}

fn refused(clock: &AnswerClock) -> RuleViolation {
    clock
        .deadline(&WorkingCalendar::embedded(), None)
        .unwrap_err()
}

use ClockEventKind::*;

#[test]
fn plain_twenty_working_days_across_national_day() {
    let c = clock("2024-09-27", &[]);
    let deadline = c.deadline(&WorkingCalendar::embedded(), None).unwrap();
    assert_eq!(deadline.due, Some(d("2024-10-30")));
    assert_eq!(deadline.working_days, 20);
    assert_eq!(deadline.state, ClockState::Running);
    assert!(deadline.steps[0].text.contains("第三十三条第一款"));
    assert!(!deadline.is_provisional());
}

#[test]
fn supplement_restarts_the_clock_in_full() {
    let c = clock(
        "2024-09-27",
        &[
            (SupplementRequested, "2024-10-09"),
            (SupplementReceived, "2024-10-15"),
        ],
    );
    let deadline = c.deadline(&WorkingCalendar::embedded(), None).unwrap();
    assert_eq!(deadline.due, Some(d("2024-11-12")));
    assert_eq!(deadline.started, d("2024-10-15"));
    assert_eq!(
        deadline.steps[1].due, None,
        "stopped while awaiting the supplement"
    );
    assert!(
        deadline.steps[1].text.contains("2024年10月12日"),
        "{}",
        deadline.steps[1].text
    );
}

#[test]
fn supplement_awaited_has_no_due_date() {
    let c = clock("2024-09-27", &[(SupplementRequested, "2024-10-12")]);
    let deadline = c
        .deadline(&WorkingCalendar::embedded(), Some(d("2024-10-20")))
        .unwrap();
    assert_eq!(deadline.due, None);
    assert_eq!(deadline.working_days_left, None);
    assert_eq!(
        deadline.state,
        ClockState::AwaitingSupplement {
            since: d("2024-10-12")
        }
    );
}

#[test]
fn supplement_notice_after_seven_working_days_is_refused() {
    // 7th working day after 2024-09-27 is Saturday 2024-10-12 (调休上班).
    let err = refused(&clock("2024-09-27", &[(SupplementRequested, "2024-10-14")]));
    assert_eq!(err.field, "events[0].date");
    assert!(
        err.zh.contains("第三十条") && err.zh.contains("2024-10-12"),
        "{err}"
    );
}

#[test]
fn consultation_days_do_not_count() {
    let c = clock(
        "2024-03-01",
        &[
            (ConsultationStarted, "2024-03-11"),
            (ConsultationEnded, "2024-03-22"),
        ],
    );
    assert_eq!(due(&clock("2024-03-01", &[])), Some(d("2024-03-29")));
    let deadline = c.deadline(&WorkingCalendar::embedded(), None).unwrap();
    // 9 working days skipped, across 清明 and the Sunday 2024-04-07 that was worked.
    assert_eq!(deadline.due, Some(d("2024-04-12")));
    assert!(
        deadline.steps[2].text.contains("9个工作日"),
        "{}",
        deadline.steps[2].text
    );
    assert!(deadline.steps[1].text.contains("15个工作日"));
}

#[test]
fn open_consultation_freezes_the_days_left() {
    let c = clock("2024-03-01", &[(ConsultationStarted, "2024-03-11")]);
    let deadline = c
        .deadline(&WorkingCalendar::embedded(), Some(d("2024-03-20")))
        .unwrap();
    assert_eq!(deadline.due, None);
    assert_eq!(
        deadline.state,
        ClockState::Consulting {
            since: d("2024-03-11")
        }
    );
    assert_eq!(deadline.working_days_left, Some(14));
}

#[test]
fn extension_adds_twenty_working_days_once_and_only_in_time() {
    let c = clock("2024-03-01", &[(Extended, "2024-03-20")]);
    let deadline = c.deadline(&WorkingCalendar::embedded(), None).unwrap();
    assert_eq!(
        deadline.due,
        Some(d("2024-04-28")),
        "Sunday 2024-04-28 was a working day"
    );
    assert_eq!(deadline.working_days, 40);

    let twice = refused(&clock(
        "2024-03-01",
        &[(Extended, "2024-03-20"), (Extended, "2024-03-21")],
    ));
    assert_eq!(twice.field, "events[1]");
    assert!(twice.zh.contains("只能延长一次"));

    let late = refused(&clock("2024-03-01", &[(Extended, "2024-04-01")]));
    assert!(late.zh.contains("2024-03-29"), "{late}");
}

#[test]
fn fee_wait_pauses_by_default_and_not_when_the_agency_says_so() {
    let mut c = clock(
        "2024-03-01",
        &[(FeeNotice, "2024-03-04"), (FeePaid, "2024-03-08")],
    );
    assert_eq!(due(&c), Some(d("2024-04-07")));
    c.settings.fee_wait_pauses_clock = false;
    assert_eq!(due(&c), Some(d("2024-03-29")));

    let waiting = clock("2024-03-01", &[(FeeNotice, "2024-03-04")]);
    let deadline = waiting
        .deadline(&WorkingCalendar::embedded(), None)
        .unwrap();
    assert_eq!(
        deadline.state,
        ClockState::AwaitingFee {
            since: d("2024-03-04")
        }
    );
    assert_eq!(deadline.due, None);
}

#[test]
fn a_waived_fee_ends_the_wait_like_a_payment_and_only_once() {
    let waived = clock(
        "2024-03-01",
        &[(FeeNotice, "2024-03-04"), (FeeWaived, "2024-03-08")],
    );
    assert_eq!(due(&waived), Some(d("2024-04-07")));
    let deadline = waived.deadline(&WorkingCalendar::embedded(), None).unwrap();
    assert!(deadline.steps.last().unwrap().text.contains("免收费用"));
    for settings in [true, false] {
        let mut twice = clock(
            "2024-03-01",
            &[
                (FeeNotice, "2024-03-04"),
                (FeePaid, "2024-03-05"),
                (FeeWaived, "2024-03-08"),
            ],
        );
        twice.settings.fee_wait_pauses_clock = settings;
        refused(&twice);
    }
}

#[test]
fn days_left_go_negative_when_overdue() {
    let c = clock("2024-03-01", &[]);
    let cal = WorkingCalendar::embedded();
    assert_eq!(
        c.deadline(&cal, Some(d("2024-03-01")))
            .unwrap()
            .working_days_left,
        Some(20)
    );
    assert_eq!(
        c.deadline(&cal, Some(d("2024-03-29")))
            .unwrap()
            .working_days_left,
        Some(0)
    );
    assert_eq!(
        c.deadline(&cal, Some(d("2024-04-02")))
            .unwrap()
            .working_days_left,
        Some(-2)
    );
}

#[test]
fn a_deadline_into_an_unannounced_year_is_provisional() {
    let deadline = clock("2026-12-15", &[])
        .deadline(&WorkingCalendar::embedded(), None)
        .unwrap();
    assert_eq!(deadline.provisional_years, BTreeSet::from([2027]));
    assert!(deadline.due.unwrap().year() == 2027);
}

#[test]
fn bad_sequences_are_refused_with_the_field() {
    let cases: &[(&[(ClockEventKind, &str)], &str)] = &[
        (
            &[
                (ConsultationStarted, "2024-03-11"),
                (ConsultationEnded, "2024-03-08"),
            ],
            "events[1]",
        ),
        (&[(ConsultationStarted, "2024-02-28")], "events[0]"),
        (&[(SupplementReceived, "2024-03-05")], "events[0]"),
        (&[(ConsultationEnded, "2024-03-05")], "events[0]"),
        (&[(FeePaid, "2024-03-05")], "events[0]"),
        (
            &[
                (SupplementRequested, "2024-03-04"),
                (Extended, "2024-03-05"),
            ],
            "events[1]",
        ),
        (
            &[
                (SupplementRequested, "2024-03-04"),
                (SupplementReceived, "2024-03-05"),
                (SupplementRequested, "2024-03-06"),
            ],
            "events[2]",
        ),
        (
            &[
                (Extended, "2024-03-04"),
                (SupplementRequested, "2024-03-05"),
            ],
            "events[1]",
        ),
        (
            &[
                (ConsultationStarted, "2024-03-04"),
                (ConsultationStarted, "2024-03-05"),
            ],
            "events[1]",
        ),
        (
            &[(FeeNotice, "2024-03-04"), (FeeNotice, "2024-03-05")],
            "events[1]",
        ),
        (&[(FeeNotice, "2024-04-01")], "events[0].date"),
    ];
    for (events, field) in cases {
        let err = refused(&clock("2024-03-01", events));
        assert_eq!(&err.field, field, "{events:?}: {err}");
        assert!(!err.zh.is_empty() && !err.en.is_empty());
    }
}

#[test]
fn json_input_names_the_bad_field() {
    let ok = AnswerClock::from_json(
        r#"{"received":"2024-09-27","events":[{"kind":"extended","date":"2024-10-10"}]}"#,
    )
    .unwrap();
    assert_eq!(ok.events[0].kind, Extended);
    let cases = [
        ("{", "JSON"),
        (r#"{"events":[]}"#, "received"),
        (r#"{"received":"2024-02-30"}"#, "received"),
        (
            r#"{"received":"2024-02-01","events":[{"kind":"paused","date":"2024-02-02"}]}"#,
            "events[0].kind",
        ),
        (
            r#"{"received":"2024-02-01","events":[{"kind":"extended","date":"2024-2-2"}]}"#,
            "events[0].date",
        ),
        (
            r#"{"received":"2024-02-01","events":[{"kind":"extended"}]}"#,
            "events[0].date",
        ),
        (r#"{"received":"2024-02-01","bogus":1}"#, "JSON"),
    ];
    for (text, field) in cases {
        assert_eq!(
            AnswerClock::from_json(text).unwrap_err().field,
            field,
            "{text}"
        );
    }
}

fn any_events() -> impl Strategy<Value = Vec<(usize, u8)>> {
    prop::collection::vec((0usize..ClockEventKind::ALL.len(), 0u8..12), 0..8)
}

proptest! {
    /// Whatever the events, the clock answers or refuses; an answer that has a due date puts
    /// it on a working day no earlier than 20 working days after the start.
    #[test]
    fn never_panics_and_due_dates_are_sane(start in 0i32..2500, events in any_events()) {
        let received = d("2019-06-01").checked_add(jiff::Span::new().days(start)).unwrap();
        let mut c = AnswerClock::new(received);
        let mut date = received;
        for (kind, gap) in events {
            date = date.checked_add(jiff::Span::new().days(i32::from(gap))).unwrap();
            c.events.push(ClockEvent { kind: ClockEventKind::ALL[kind], date });
        }
        let calendar = WorkingCalendar::embedded();
        if let Ok(deadline) = c.deadline(&calendar, Some(date))
            && let Some(due) = deadline.due {
                prop_assert!(calendar.is_working_day(due));
                let minimum = calendar.add_working_days(deadline.started, deadline.working_days).unwrap().date;
                prop_assert!(due >= minimum);
                prop_assert!(deadline.working_days == 20 || deadline.working_days == 40);
            }
    }
}

/// Issue #14: 100,000 events took 54 s (each checked against all before it); a clock takes at
/// most MAX_EVENTS, and dates outside 1949–2100 are refused with the field named.
#[test]
fn absurd_files_are_refused_quickly() {
    let events: Vec<String> = (0..MAX_EVENTS + 1)
        .map(|_| r#"{"kind":"consultation_started","date":"2024-03-04"}"#.to_string())
        .collect();
    let file = format!(
        r#"{{"received":"2024-03-01","events":[{}]}}"#,
        events.join(",")
    );
    let refused = AnswerClock::from_json(&file).unwrap_err();
    assert_eq!(refused.field, "events");
    let ancient = AnswerClock::from_json(r#"{"received":"0000-01-01","events":[]}"#).unwrap_err();
    assert!(
        ancient.field.contains("received") && ancient.zh.contains("1949"),
        "{ancient}"
    );
    assert!(crate::parse_date("d", "2101-01-01").is_err());
    assert!(crate::parse_date("d", "1949-10-01").is_ok());
}

#[test]
fn a_huge_field_is_quoted_not_echoed() {
    let huge = "x".repeat(10 * 1024 * 1024);
    let refused = crate::parse_date("received", &huge).unwrap_err();
    assert!(refused.zh.len() < 300, "{} bytes", refused.zh.len());
    assert!(refused.zh.contains("（共10485760字）"), "{}", refused.zh);
}

/// What `cargo fuzz` found (fuzz/, RELIABILITY.md), kept as regression tests: each input is
/// read and counted as the fuzz target does, without a panic. This one — a consultation
/// ending 61 years after it began — timed out (10 s) while the machine was loaded; alone it
/// takes a fraction of a second, bounded by the 1949–2100 dates and MAX_EVENTS.
#[test]
fn fuzz_finds_stay_found() {
    let calendar = WorkingCalendar::embedded();
    let today = crate::parse_date("today", "2026-11-27").ok();
    // Each new find is added here.
    const FINDS: &[&str] = &[include_str!(
        "../../tests-data/fuzz/deadline-sixty-year-consultation.json"
    )];
    for input in FINDS {
        let clock = AnswerClock::from_json(input).expect("a clock the fuzzer reached");
        let deadline = clock.deadline(&calendar, today).expect("counted");
        assert!(
            deadline.due.is_some_and(|due| due.year() == 2086),
            "{deadline:?}"
        );
        assert!(
            deadline.is_provisional(),
            "years without a notice are said to be provisional"
        );
        let _ = clock.deadline(&calendar, None);
    }
}
