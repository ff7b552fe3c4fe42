//! The notices 2019–2026 transcribed by hand from the State Council texts, independently of
//! the embedded JSON, and every day of those years checked against them.

use super::*;
use proptest::prelude::*;

fn d(text: &str) -> Date {
    parse_date("test", text).unwrap()
}

/// (year, days off as inclusive ranges, weekend days made working days).
type Transcription = (
    i16,
    &'static [(&'static str, &'static str)],
    &'static [&'static str],
);

const NOTICES: &[Transcription] = &[
    (
        2019,
        &[
            ("2018-12-30", "2019-01-01"),
            ("2019-02-04", "2019-02-10"),
            ("2019-04-05", "2019-04-07"),
            ("2019-05-01", "2019-05-04"),
            ("2019-06-07", "2019-06-09"),
            ("2019-09-13", "2019-09-15"),
            ("2019-10-01", "2019-10-07"),
        ],
        &[
            "2018-12-29",
            "2019-02-02",
            "2019-02-03",
            "2019-04-28",
            "2019-05-05",
            "2019-09-29",
            "2019-10-12",
        ],
    ),
    (
        2020,
        &[
            ("2020-01-01", "2020-01-01"),
            // 春节, extended to 2 February by 国办发明电〔2020〕1号; the 1 February makeup day fell away.
            ("2020-01-24", "2020-02-02"),
            ("2020-04-04", "2020-04-06"),
            ("2020-05-01", "2020-05-05"),
            ("2020-06-25", "2020-06-27"),
            ("2020-10-01", "2020-10-08"),
        ],
        &[
            "2020-01-19",
            "2020-04-26",
            "2020-05-09",
            "2020-06-28",
            "2020-09-27",
            "2020-10-10",
        ],
    ),
    (
        2021,
        &[
            ("2021-01-01", "2021-01-03"),
            ("2021-02-11", "2021-02-17"),
            ("2021-04-03", "2021-04-05"),
            ("2021-05-01", "2021-05-05"),
            ("2021-06-12", "2021-06-14"),
            ("2021-09-19", "2021-09-21"),
            ("2021-10-01", "2021-10-07"),
        ],
        &[
            "2021-02-07",
            "2021-02-20",
            "2021-04-25",
            "2021-05-08",
            "2021-09-18",
            "2021-09-26",
            "2021-10-09",
        ],
    ),
    (
        2022,
        &[
            ("2022-01-01", "2022-01-03"),
            ("2022-01-31", "2022-02-06"),
            ("2022-04-03", "2022-04-05"),
            ("2022-04-30", "2022-05-04"),
            ("2022-06-03", "2022-06-05"),
            ("2022-09-10", "2022-09-12"),
            ("2022-10-01", "2022-10-07"),
        ],
        &[
            "2022-01-29",
            "2022-01-30",
            "2022-04-02",
            "2022-04-24",
            "2022-05-07",
            "2022-10-08",
            "2022-10-09",
        ],
    ),
    (
        2023,
        &[
            ("2022-12-31", "2023-01-02"),
            ("2023-01-21", "2023-01-27"),
            ("2023-04-05", "2023-04-05"),
            ("2023-04-29", "2023-05-03"),
            ("2023-06-22", "2023-06-24"),
            ("2023-09-29", "2023-10-06"),
        ],
        &[
            "2023-01-28",
            "2023-01-29",
            "2023-04-23",
            "2023-05-06",
            "2023-06-25",
            "2023-10-07",
            "2023-10-08",
        ],
    ),
    (
        2024,
        &[
            ("2024-01-01", "2024-01-01"),
            ("2024-02-10", "2024-02-17"),
            ("2024-04-04", "2024-04-06"),
            ("2024-05-01", "2024-05-05"),
            ("2024-06-10", "2024-06-10"),
            ("2024-09-15", "2024-09-17"),
            ("2024-10-01", "2024-10-07"),
        ],
        &[
            "2024-02-04",
            "2024-02-18",
            "2024-04-07",
            "2024-04-28",
            "2024-05-11",
            "2024-09-14",
            "2024-09-29",
            "2024-10-12",
        ],
    ),
    (
        2025,
        &[
            ("2025-01-01", "2025-01-01"),
            ("2025-01-28", "2025-02-04"),
            ("2025-04-04", "2025-04-06"),
            ("2025-05-01", "2025-05-05"),
            ("2025-05-31", "2025-06-02"),
            ("2025-10-01", "2025-10-08"),
        ],
        &[
            "2025-01-26",
            "2025-02-08",
            "2025-04-27",
            "2025-09-28",
            "2025-10-11",
        ],
    ),
    (
        2026,
        &[
            ("2026-01-01", "2026-01-03"),
            ("2026-02-15", "2026-02-23"),
            ("2026-04-04", "2026-04-06"),
            ("2026-05-01", "2026-05-05"),
            ("2026-06-19", "2026-06-21"),
            ("2026-09-25", "2026-09-27"),
            ("2026-10-01", "2026-10-07"),
        ],
        &[
            "2026-01-04",
            "2026-02-14",
            "2026-02-28",
            "2026-05-09",
            "2026-09-20",
            "2026-10-10",
        ],
    ),
];

fn expected_working(date: Date) -> bool {
    for (_, offs, makeups) in NOTICES {
        if offs.iter().any(|(a, b)| d(a) <= date && date <= d(b)) {
            return false;
        }
        if makeups.iter().any(|m| d(m) == date) {
            return true;
        }
    }
    !is_weekend(date)
}

#[test]
fn every_day_2019_to_2026_follows_the_notices() {
    let calendar = WorkingCalendar::embedded();
    let mut day = d("2018-12-29");
    let last = d("2026-12-31");
    let mut checked = 0;
    while day <= last {
        assert_eq!(
            calendar.is_working_day(day),
            expected_working(day),
            "{day} ({})",
            crate::date::weekday_zh(day)
        );
        assert_eq!(
            calendar.day_status(day).working,
            expected_working(day),
            "{day}"
        );
        checked += 1;
        day = day.tomorrow().unwrap();
    }
    assert_eq!(checked, 2925);
}

#[test]
fn every_listed_holiday_is_off_and_every_makeup_day_is_a_weekend_working_day() {
    let calendar = WorkingCalendar::embedded();
    for (year, offs, makeups) in NOTICES {
        assert!(calendar.covers_year(*year));
        for (a, b) in *offs {
            let mut day = d(a);
            while day <= d(b) {
                let status = calendar.day_status(day);
                assert!(!status.working, "{day} should be off");
                day = day.tomorrow().unwrap();
            }
        }
        for m in *makeups {
            let status = calendar.day_status(d(m));
            assert!(is_weekend(d(m)), "{m} is a weekend day");
            assert!(
                matches!(status.reason, DayReason::Makeup(_)),
                "{m}: {status:?}"
            );
            assert!(status.working);
        }
    }
}

#[test]
fn law_md_examples() {
    let calendar = WorkingCalendar::embedded();
    assert!(calendar.is_working_day(d("2023-10-07")), "调休 Saturday");
    assert!(calendar.is_working_day(d("2026-02-14")), "调休 Saturday");
    assert!(
        calendar.is_working_day(d("2024-02-09")),
        "除夕 2024 is a working day"
    );
}

/// Deadlines worked by hand with a printed calendar.
#[test]
fn hand_worked_deadlines() {
    let calendar = WorkingCalendar::embedded();
    let cases = [
        // 国庆 2024: 9-29 (Sun) works, 10-1..7 off, 10-12 (Sat) works.
        ("2024-09-27", 20, "2024-10-30"),
        ("2024-09-27", 1, "2024-09-29"),
        ("2024-09-29", 1, "2024-09-30"),
        ("2024-09-30", 1, "2024-10-08"),
        ("2024-10-11", 1, "2024-10-12"),
        // 春节 2024: 2-4 (Sun) works; 2-9 除夕 works; 2-10..17 off; 2-18 (Sun) works.
        ("2024-02-02", 1, "2024-02-04"),
        ("2024-02-08", 2, "2024-02-18"),
        ("2024-02-01", 20, "2024-03-05"),
        // 春节 2026: 2-14 (Sat) works, 2-15..23 off, 2-28 (Sat) works.
        ("2026-02-13", 1, "2026-02-14"),
        ("2026-02-14", 1, "2026-02-24"),
        ("2026-02-10", 7, "2026-02-26"),
        ("2026-02-27", 1, "2026-02-28"),
        // 中秋国庆 2023: 9-29..10-6 off, 10-7 and 10-8 (weekend) work.
        ("2023-09-28", 1, "2023-10-07"),
        ("2023-09-28", 2, "2023-10-08"),
        ("2023-09-28", 3, "2023-10-09"),
        ("2023-09-15", 20, "2023-10-19"),
        // Year end into 元旦 2023 (2022-12-31..2023-01-02 off).
        ("2022-12-30", 1, "2023-01-03"),
        // 2020 extended Spring Festival.
        ("2020-01-23", 1, "2020-02-03"),
        ("2024-03-15", 0, "2024-03-15"),
    ];
    for (start, n, due) in cases {
        let got = calendar.add_working_days(d(start), n).unwrap();
        assert_eq!(got.date, d(due), "{start} + {n}");
        assert!(!got.is_provisional(), "{start} + {n}");
    }
}

#[test]
fn spans_into_a_year_without_notice_are_provisional() {
    let calendar = WorkingCalendar::embedded();
    let got = calendar.add_working_days(d("2026-12-20"), 20).unwrap();
    assert_eq!(got.provisional_years, BTreeSet::from([2027]));
    // 12-21..12-31 gives 9 working days; 2027 counts weekends only, so 1 January (a Friday) counts.
    assert_eq!(got.date, d("2027-01-15"));
    let inside = calendar.add_working_days(d("2026-12-01"), 5).unwrap();
    assert!(!inside.is_provisional());
    assert_eq!(
        calendar.provisional_years_between(d("2026-12-31"), d("2027-01-04")),
        BTreeSet::from([2027])
    );
    assert!(
        calendar
            .provisional_years_between(d("2026-12-30"), d("2026-12-31"))
            .is_empty()
    );
}

#[test]
fn loading_a_notice_makes_the_year_exact_and_replaces_an_older_one() {
    let mut calendar = WorkingCalendar::embedded();
    let notice = HolidayNotice::from_json(
        r#"{"year":2027,"papers":[],"days":[
            {"name":"元旦","date":"2027-01-01","isOffDay":true},
            {"name":"春节","date":"2027-02-06","isOffDay":false}]}"#,
    )
    .unwrap();
    calendar.insert_notice(notice);
    assert!(calendar.covers_year(2027));
    let got = calendar.add_working_days(d("2026-12-31"), 1).unwrap();
    assert_eq!(got.date, d("2027-01-04"), "1 January off, then the weekend");
    assert!(!got.is_provisional());
    assert!(calendar.is_working_day(d("2027-02-06")));

    let empty = HolidayNotice::from_json(r#"{"year":2027,"papers":[],"days":[]}"#).unwrap();
    assert!(!empty.is_published());
    let mut fresh = WorkingCalendar::embedded();
    fresh.insert_notice(empty);
    assert!(!fresh.covers_year(2027));
}

#[test]
fn notice_round_trips_through_json() {
    let calendar = WorkingCalendar::embedded();
    let notice = calendar.notice(2024).unwrap();
    assert_eq!(
        &HolidayNotice::from_json(&notice.to_json()).unwrap(),
        notice
    );
}

#[test]
fn bad_notices_say_what_is_wrong() {
    let cases = [
        ("{", "JSON"),
        (
            r#"{"year":2027,"papers":[],"days":[{"name":"x","date":"2027-02-30","isOffDay":true}]}"#,
            "days[0].date",
        ),
        (
            r#"{"year":2027,"papers":[],"days":[{"name":"x","date":"2031-02-03","isOffDay":true}]}"#,
            "days[0].date",
        ),
        (
            r#"{"year":2027,"papers":[],"days":[{"name":"x","date":"2027-02-06","isOffDay":true},{"name":"x","date":"2027-02-06","isOffDay":false}]}"#,
            "days[1].date",
        ),
        (r#"{"year":20270,"papers":[],"days":[]}"#, "year"),
        (r#"{"year":2027,"papers":[],"days":[],"extra":1}"#, "JSON"),
    ];
    for (text, field) in cases {
        assert_eq!(
            HolidayNotice::from_json(text).unwrap_err().field,
            field,
            "{text}"
        );
    }
}

#[test]
fn absurd_spans_are_refused() {
    let calendar = WorkingCalendar::embedded();
    assert!(
        calendar
            .add_working_days(d("2024-01-01"), MAX_WORKING_DAYS + 1)
            .is_err()
    );
}

fn any_date() -> impl Strategy<Value = Date> {
    (0i32..(365 * 10)).prop_map(|offset| {
        d("2018-06-01")
            .checked_add(jiff::Span::new().days(offset))
            .unwrap()
    })
}

proptest! {
    #[test]
    fn adding_composes(start in any_date(), a in 0u32..60, b in 0u32..60) {
        let calendar = WorkingCalendar::embedded();
        let once = calendar.add_working_days(start, a + b).unwrap().date;
        let twice = calendar
            .add_working_days(calendar.add_working_days(start, a).unwrap().date, b)
            .unwrap()
            .date;
        prop_assert_eq!(once, twice);
    }

    #[test]
    fn results_land_on_working_days_and_count_back(start in any_date(), n in 1u32..80) {
        let calendar = WorkingCalendar::embedded();
        let due = calendar.add_working_days(start, n).unwrap().date;
        prop_assert!(calendar.is_working_day(due));
        prop_assert!(due > start);
        prop_assert_eq!(calendar.working_days_between(start, due), n);
    }

    #[test]
    fn adding_is_monotonic(start in any_date(), later in 0i32..30, n in 0u32..40, m in 0u32..40) {
        let calendar = WorkingCalendar::embedded();
        let other = start.checked_add(jiff::Span::new().days(later)).unwrap();
        let (small, big) = (n.min(m), n.max(m));
        prop_assert!(calendar.add_working_days(start, small).unwrap().date
            <= calendar.add_working_days(start, big).unwrap().date);
        prop_assert!(calendar.add_working_days(start, n).unwrap().date
            <= calendar.add_working_days(other, n).unwrap().date);
    }
}
