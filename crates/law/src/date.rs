//! Civil dates (Asia/Shanghai calendar days), parsed strictly as `YYYY-MM-DD`.

pub use jiff::civil::Date;

use crate::RuleViolation;

/// Parses `YYYY-MM-DD` and nothing else, so `2024-9-27` or `2024-02-30` never slip through
/// as some other day.
/// The years a date typed or imported may fall in: no government record of the People's
/// Republic is older, and nothing is planned beyond.
pub const FIRST_YEAR: i16 = 1949;
pub const LAST_YEAR: i16 = 2100;

pub fn parse_date(field: &str, text: &str) -> Result<Date, RuleViolation> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shaped {
        return Err(RuleViolation::new(
            field,
            format!(
                "「{text}」不是 YYYY-MM-DD 格式的日期（例如 2024-09-27）",
                text = crate::excerpt(text)
            ),
            format!("\"{text}\" is not a date in YYYY-MM-DD form (e.g. 2024-09-27)"),
        ));
    }
    let number = |range: std::ops::Range<usize>| -> i16 {
        text[range].parse().expect("digits checked above")
    };
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
        return Err(RuleViolation::new(
            field,
            format!(
                "「{text}」的年份超出可处理的范围（{FIRST_YEAR}–{LAST_YEAR}年）",
                text = crate::excerpt(text)
            ),
            format!("\"{text}\" is outside the years handled ({FIRST_YEAR}-{LAST_YEAR})"),
        ));
    }
    if !(1..=12).contains(&month) {
        return Err(RuleViolation::new(
            field,
            format!(
                "「{text}」的月份 {month} 不存在，月份应为 01–12",
                text = crate::excerpt(text)
            ),
            format!("\"{text}\" has month {month}; months are 01-12"),
        ));
    }
    let month = month as i8;
    let last_day = Date::new(year.max(1), month, 1)
        .map(|first| first.days_in_month())
        .unwrap_or(31);
    if day < 1 || day > i16::from(last_day) {
        return Err(RuleViolation::new(
            field,
            format!(
                "「{text}」不是有效日期：{year}年{month}月只有{last_day}天",
                text = crate::excerpt(text)
            ),
            format!("\"{text}\" is not a real day: {year}-{month:02} has {last_day} days"),
        ));
    }
    Date::new(year, month, day as i8).map_err(|e| {
        RuleViolation::new(
            field,
            format!(
                "「{text}」超出可处理的日期范围",
                text = crate::excerpt(text)
            ),
            format!("\"{text}\" is outside the supported range: {e}"),
        )
    })
}

/// The civil date in Asia/Shanghai (UTC+8 all year since 1991) at an instant. The caller
/// passes the instant: this crate never reads the clock.
pub fn china_date(at: jiff::Timestamp) -> Date {
    let days = (at.as_second() + 8 * 3600).div_euclid(86_400);
    Date::new(1970, 1, 1)
        .expect("the epoch")
        .checked_add(jiff::Span::new().days(days))
        .expect("timestamps stay within the supported range")
}

/// `2024-09-27` → `2024年9月27日`, the form letters and explanations use.
pub fn chinese(date: Date) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// 星期几 for explanations.
pub fn weekday_zh(date: Date) -> &'static str {
    use jiff::civil::Weekday::*;
    match date.weekday() {
        Monday => "星期一",
        Tuesday => "星期二",
        Wednesday => "星期三",
        Thursday => "星期四",
        Friday => "星期五",
        Saturday => "星期六",
        Sunday => "星期日",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_days_including_leap_day() {
        assert_eq!(
            parse_date("d", "2024-02-29").unwrap(),
            Date::new(2024, 2, 29).unwrap()
        );
        assert_eq!(
            parse_date("d", "2023-12-31").unwrap(),
            Date::new(2023, 12, 31).unwrap()
        );
    }

    #[test]
    fn rejects_impossible_and_sloppy_dates_naming_the_rule() {
        let err = parse_date("received", "2024-02-30").unwrap_err();
        assert_eq!(err.field, "received");
        assert!(err.zh.contains("只有29天"), "{err}");
        assert!(
            parse_date("d", "2023-02-29")
                .unwrap_err()
                .zh
                .contains("只有28天")
        );
        assert!(
            parse_date("d", "2024-13-01")
                .unwrap_err()
                .zh
                .contains("月份")
        );
        assert!(parse_date("d", "2024-00-10").is_err());
        assert!(parse_date("d", "2024-01-00").is_err());
        for sloppy in [
            "2024-9-27",
            "2024/09/27",
            "20240927",
            "",
            "2024-09-27 ",
            "２０２４-09-27",
        ] {
            assert!(parse_date("d", sloppy).is_err(), "{sloppy:?} accepted");
        }
    }

    #[test]
    fn china_date_is_utc_plus_eight() {
        let before_midnight = jiff::Timestamp::from_second(1_700_000_000).unwrap(); // 2023-11-14 22:13 UTC
        assert_eq!(
            china_date(before_midnight),
            Date::new(2023, 11, 15).unwrap()
        );
        assert_eq!(
            china_date(jiff::Timestamp::UNIX_EPOCH),
            Date::new(1970, 1, 1).unwrap()
        );
    }

    #[test]
    fn chinese_forms() {
        let d = Date::new(2024, 9, 27).unwrap();
        assert_eq!(chinese(d), "2024年9月27日");
        assert_eq!(weekday_zh(d), "星期五");
    }
}
