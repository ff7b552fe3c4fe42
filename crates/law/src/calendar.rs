//! 工作日 — the statutory working-day calendar.
//!
//! A working day is Monday–Friday, except the days the State Council's yearly notice
//! (国务院办公厅关于部分节假日安排的通知) gives off, plus the weekend days it makes working days
//! (调休上班). Periods are counted the usual way: the day of the triggering event is not
//! counted and the period ends on the N-th working day after it. A span that reaches a year
//! with no loaded notice is counted with weekends only and marked provisional (暂定).

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Weekday;
use serde::Deserialize;

use crate::{Date, RuleViolation, date::parse_date};

/// The notices shipped in the binary (holiday-cn data, MIT licence, see data/holiday-cn/LICENSE).
const EMBEDDED_NOTICES: [(i16, &str); 9] = [
    (2018, include_str!("../data/holiday-cn/2018.json")),
    (2019, include_str!("../data/holiday-cn/2019.json")),
    (2020, include_str!("../data/holiday-cn/2020.json")),
    (2021, include_str!("../data/holiday-cn/2021.json")),
    (2022, include_str!("../data/holiday-cn/2022.json")),
    (2023, include_str!("../data/holiday-cn/2023.json")),
    (2024, include_str!("../data/holiday-cn/2024.json")),
    (2025, include_str!("../data/holiday-cn/2025.json")),
    (2026, include_str!("../data/holiday-cn/2026.json")),
];

/// The longest span one call will count, far beyond any statutory period; it keeps a typo
/// like `N = 2000000` from walking the calendar for minutes.
pub const MAX_WORKING_DAYS: u32 = 10_000;

/// What the notice says about one date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoticeDayKind {
    /// 放假 — a statutory day off.
    Off,
    /// 调休上班 — a weekend day made a working day.
    Makeup,
}

/// One dated line of a notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeDay {
    /// The holiday it belongs to, e.g. 春节.
    pub name: String,
    pub date: Date,
    pub kind: NoticeDayKind,
}

/// 国务院办公厅关于YYYY年部分节假日安排的通知 — one year's notice as data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolidayNotice {
    pub year: i16,
    /// Addresses of the notice(s) on gov.cn.
    pub papers: Vec<String>,
    pub days: Vec<NoticeDay>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNotice {
    #[serde(rename = "$schema", default)]
    _schema: Option<String>,
    #[serde(rename = "$id", default)]
    _id: Option<String>,
    year: i64,
    papers: Vec<String>,
    days: Vec<RawDay>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDay {
    name: String,
    date: String,
    #[serde(rename = "isOffDay")]
    is_off_day: bool,
}

impl HolidayNotice {
    /// Reads a notice in the holiday-cn JSON shape and checks it makes sense as a notice.
    pub fn from_json(text: &str) -> Result<Self, RuleViolation> {
        let raw: RawNotice = serde_json::from_str(text).map_err(|e| {
            RuleViolation::new(
                "JSON",
                format!(
                    "节假日通知文件无法解析（第{}行第{}列）：应为 {{\"year\":…,\"papers\":[…],\"days\":[{{\"name\":…,\"date\":\"YYYY-MM-DD\",\"isOffDay\":true|false}}]}}",
                    e.line(),
                    e.column()
                ),
                format!("the holiday notice file cannot be read: {e}"),
            )
        })?;
        if !(1949..=9998).contains(&raw.year) {
            return Err(RuleViolation::new(
                "year",
                format!("年份 {} 不合理", raw.year),
                format!("year {} is not plausible", raw.year),
            ));
        }
        let year = raw.year as i16;
        let mut seen: BTreeMap<Date, NoticeDayKind> = BTreeMap::new();
        let mut days = Vec::with_capacity(raw.days.len());
        for (i, day) in raw.days.into_iter().enumerate() {
            let field = format!("days[{i}].date");
            let date = parse_date(&field, &day.date)?;
            if (date.year() - year).abs() > 1 {
                return Err(RuleViolation::new(
                    field,
                    format!("{}年通知中的日期 {} 不在该年或相邻年份内", year, day.date),
                    format!("date {} is too far from the notice year {year}", day.date),
                ));
            }
            let kind = if day.is_off_day {
                NoticeDayKind::Off
            } else {
                NoticeDayKind::Makeup
            };
            if let Some(previous) = seen.insert(date, kind)
                && previous != kind
            {
                return Err(RuleViolation::new(
                    field,
                    format!("日期 {} 既被列为放假又被列为调休上班", day.date),
                    format!(
                        "date {} is listed both as a day off and as a working day",
                        day.date
                    ),
                ));
            }
            days.push(NoticeDay {
                name: day.name,
                date,
                kind,
            });
        }
        Ok(Self {
            year,
            papers: raw.papers,
            days,
        })
    }

    /// A notice with no dates is a year whose notice has not been published yet (2027.json).
    pub fn is_published(&self) -> bool {
        !self.days.is_empty()
    }

    /// The notice in the same JSON shape it was read from.
    pub fn to_json(&self) -> String {
        let days: Vec<serde_json::Value> = self
            .days
            .iter()
            .map(|d| {
                serde_json::json!({
                    "name": d.name,
                    "date": d.date.to_string(),
                    "isOffDay": d.kind == NoticeDayKind::Off,
                })
            })
            .collect();
        let value = serde_json::json!({"year": self.year, "papers": self.papers, "days": days});
        serde_json::to_string_pretty(&value).expect("plain JSON values serialize")
    }
}

/// Why a date is or is not a working day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayReason {
    Weekday,
    Weekend,
    /// 法定节假日 with its name.
    Holiday(String),
    /// 调休上班 with the holiday it makes up for.
    Makeup(String),
}

/// The status of one day, and whether it rests on a loaded notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayStatus {
    pub working: bool,
    pub reason: DayReason,
    /// No notice is loaded for this date's year: weekends only, 暂定.
    pub provisional: bool,
}

/// The result of counting working days: the date, and the years it had to guess.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reckoning {
    pub date: Date,
    /// Years without a loaded notice that the counted span reached. Empty = exact.
    pub provisional_years: BTreeSet<i16>,
}

impl Reckoning {
    pub fn is_provisional(&self) -> bool {
        !self.provisional_years.is_empty()
    }
}

/// The working-day calendar built from every loaded notice.
#[derive(Debug, Clone, Default)]
pub struct WorkingCalendar {
    notices: BTreeMap<i16, HolidayNotice>,
    exceptions: BTreeMap<Date, (NoticeDayKind, String)>,
}

impl WorkingCalendar {
    /// The notices shipped in the binary (2018–2026).
    pub fn embedded() -> Self {
        let mut calendar = Self::default();
        for (year, text) in EMBEDDED_NOTICES {
            let notice = HolidayNotice::from_json(text).expect("embedded notices are valid");
            debug_assert_eq!(notice.year, year);
            calendar.insert_notice(notice);
        }
        calendar
    }

    /// Adds a notice, replacing any earlier one for the same year (a corrected notice wins).
    /// An unpublished (empty) notice is ignored: it covers nothing.
    pub fn insert_notice(&mut self, notice: HolidayNotice) {
        if !notice.is_published() {
            return;
        }
        self.notices.insert(notice.year, notice);
        self.rebuild();
    }

    fn rebuild(&mut self) {
        self.exceptions.clear();
        // Later notice years are applied last, so a date listed by two notices follows the
        // newer one (its own year's notice when a December date sits in the next file).
        for notice in self.notices.values() {
            for day in &notice.days {
                self.exceptions
                    .insert(day.date, (day.kind, day.name.clone()));
            }
        }
    }

    /// The years with a loaded notice.
    pub fn notice_years(&self) -> impl Iterator<Item = i16> + '_ {
        self.notices.keys().copied()
    }

    pub fn notice(&self, year: i16) -> Option<&HolidayNotice> {
        self.notices.get(&year)
    }

    /// A year is covered when its own notice is loaded.
    pub fn covers_year(&self, year: i16) -> bool {
        self.notices.contains_key(&year)
    }

    pub fn day_status(&self, date: Date) -> DayStatus {
        let provisional = !self.covers_year(date.year());
        if let Some((kind, name)) = self.exceptions.get(&date) {
            return match kind {
                NoticeDayKind::Off => DayStatus {
                    working: false,
                    reason: DayReason::Holiday(name.clone()),
                    provisional,
                },
                NoticeDayKind::Makeup if is_weekend(date) => DayStatus {
                    working: true,
                    reason: DayReason::Makeup(name.clone()),
                    provisional,
                },
                // A "makeup" weekday (2020-02-03 in the data) changes nothing.
                NoticeDayKind::Makeup => DayStatus {
                    working: true,
                    reason: DayReason::Weekday,
                    provisional,
                },
            };
        }
        if is_weekend(date) {
            DayStatus {
                working: false,
                reason: DayReason::Weekend,
                provisional,
            }
        } else {
            DayStatus {
                working: true,
                reason: DayReason::Weekday,
                provisional,
            }
        }
    }

    pub fn is_working_day(&self, date: Date) -> bool {
        match self.exceptions.get(&date) {
            Some((NoticeDayKind::Off, _)) => false,
            Some((NoticeDayKind::Makeup, _)) => true,
            None => !is_weekend(date),
        }
    }

    /// The N-th working day after `start` (the start day itself is not counted).
    /// `n = 0` gives `start` back.
    pub fn add_working_days(&self, start: Date, n: u32) -> Result<Reckoning, RuleViolation> {
        if n > MAX_WORKING_DAYS {
            return Err(too_many_days(n));
        }
        let mut reckoning = Reckoning {
            date: start,
            provisional_years: BTreeSet::new(),
        };
        let mut counted = 0;
        while counted < n {
            reckoning.date = next_day(reckoning.date)?;
            self.note_provisional(&mut reckoning);
            if self.is_working_day(reckoning.date) {
                counted += 1;
            }
        }
        Ok(reckoning)
    }

    /// How many working days `d` satisfy `from < d ≤ to` (0 when `to ≤ from`).
    pub fn working_days_between(&self, from: Date, to: Date) -> u32 {
        let mut count = 0;
        let mut day = from;
        while day < to {
            day = match day.tomorrow() {
                Ok(d) => d,
                Err(_) => break,
            };
            if self.is_working_day(day) {
                count += 1;
            }
        }
        count
    }

    fn note_provisional(&self, reckoning: &mut Reckoning) {
        let year = reckoning.date.year();
        if !self.covers_year(year) {
            reckoning.provisional_years.insert(year);
        }
    }

    /// The years without a notice among the days `from < d ≤ to`.
    pub fn provisional_years_between(&self, from: Date, to: Date) -> BTreeSet<i16> {
        match from.tomorrow() {
            Ok(first) if first <= to => (first.year()..=to.year())
                .filter(|&y| !self.covers_year(y))
                .collect(),
            _ => BTreeSet::new(),
        }
    }
}

pub(crate) fn is_weekend(date: Date) -> bool {
    matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

pub(crate) fn next_day(date: Date) -> Result<Date, RuleViolation> {
    date.tomorrow().map_err(|_| {
        RuleViolation::new(
            "date",
            "日期超出可处理的范围（9999年以后）",
            "date is past the supported range (year 9999)",
        )
    })
}

fn too_many_days(n: u32) -> RuleViolation {
    RuleViolation::new(
        "N",
        format!("工作日数 {n} 过大：一次最多计算 {MAX_WORKING_DAYS} 个工作日"),
        format!("{n} working days is too many: at most {MAX_WORKING_DAYS} per calculation"),
    )
}

#[cfg(test)]
mod tests;
