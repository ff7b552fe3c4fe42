use std::{path::Path, process::ExitCode};

use gongkai_law::{
    HolidayNotice, RuleViolation, WorkingCalendar,
    calendar::{NoticeDay, NoticeDayKind},
    date::weekday_zh,
    parse_date,
};

use super::{parse_count, read_input};
use crate::{
    cli::CalendarCommand,
    data_dir::{load_calendar, store_notice},
    failure::Failure,
};

pub fn run(data_dir: &Path, command: CalendarCommand) -> Result<ExitCode, Failure> {
    match command {
        CalendarCommand::AddWorkdays { date, n } => {
            let start = parse_date("DATE", &date)?;
            let n = parse_count("N", &n)?;
            let calendar = load_calendar(data_dir)?;
            let reckoning = calendar.add_working_days(start, n)?;
            println!("{}", reckoning.date);
            if reckoning.is_provisional() {
                eprintln!("{}", provisional_warning(&reckoning.provisional_years));
            }
        }
        CalendarCommand::Show { year } => {
            let year = parse_year(&year)?;
            let calendar = load_calendar(data_dir)?;
            print!("{}", describe_year(&calendar, year));
            if !calendar.covers_year(year) {
                eprintln!("{}", provisional_warning(&[year].into()));
            }
        }
        CalendarCommand::Load { file } => {
            let text = read_input(&file)?;
            let notice = HolidayNotice::from_json(&text)?;
            let replaced = load_calendar(data_dir)?.covers_year(notice.year);
            let stored = store_notice(data_dir, &notice)?;
            let off = notice
                .days
                .iter()
                .filter(|d| d.kind == NoticeDayKind::Off)
                .count();
            println!(
                "已加载{}年节假日安排：放假 {} 天，调休上班 {} 天{}，保存于 {}。涉及{}年的暂定期限将按新日历重新计算。",
                notice.year,
                off,
                notice.days.len() - off,
                if replaced {
                    "（替换原有安排）"
                } else {
                    ""
                },
                stored.display(),
                notice.year
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn parse_year(text: &str) -> Result<i16, RuleViolation> {
    text.trim()
        .parse::<i16>()
        .ok()
        .filter(|y| (1949..=9998).contains(y))
        .ok_or_else(|| {
            RuleViolation::new(
                "YEAR",
                format!(
                    "年份应为四位数字，如 2026，「{text}」不是",
                    text = gongkai_law::excerpt(text)
                ),
                format!("YEAR must be a four-digit year such as 2026, not \"{text}\""),
            )
        })
}

pub fn provisional_warning(years: &std::collections::BTreeSet<i16>) -> String {
    let list: Vec<String> = years.iter().map(|y| format!("{y}年")).collect();
    format!(
        "暂定 provisional：{} 的国务院节假日安排尚未加载，按周末计算；通知发布后请用 `gongkai calendar load FILE` 加载并重新计算。 — no holiday notice is loaded for {}; weekends only.",
        list.join("、"),
        years
            .iter()
            .map(|y| y.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// The year's notice grouped into runs of days, for people.
fn describe_year(calendar: &WorkingCalendar, year: i16) -> String {
    let Some(notice) = calendar.notice(year) else {
        return format!("{year}年：尚未加载国务院节假日安排（暂定：仅按周末计算）。\n");
    };
    let mut out = format!("{year}年节假日安排\n");
    for paper in &notice.papers {
        out.push_str(&format!("依据：{paper}\n"));
    }
    out.push_str("放假：\n");
    for run in runs(notice, NoticeDayKind::Off) {
        out.push_str(&run);
    }
    out.push_str("调休上班：\n");
    for run in runs(notice, NoticeDayKind::Makeup) {
        out.push_str(&run);
    }
    out
}

fn runs(notice: &HolidayNotice, kind: NoticeDayKind) -> Vec<String> {
    let days: Vec<&NoticeDay> = notice.days.iter().filter(|d| d.kind == kind).collect();
    let mut lines = Vec::new();
    let mut i = 0;
    while i < days.len() {
        let mut j = i;
        while j + 1 < days.len()
            && days[j + 1].name == days[i].name
            && days[j].date.tomorrow().ok() == Some(days[j + 1].date)
        {
            j += 1;
        }
        let (first, last) = (days[i].date, days[j].date);
        lines.push(if i == j {
            format!("  {:<6}{} {}\n", days[i].name, first, weekday_zh(first))
        } else {
            format!(
                "  {:<6}{} {} 至 {} {}（共{}天）\n",
                days[i].name,
                first,
                weekday_zh(first),
                last,
                weekday_zh(last),
                j - i + 1
            )
        });
        i = j + 1;
    }
    lines
}
