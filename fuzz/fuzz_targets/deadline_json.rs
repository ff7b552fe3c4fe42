//! Any bytes as the JSON of `gongkai deadline` (an application's receipt and clock events):
//! read, checked and counted on the embedded calendar without a panic, in time linear in the
//! events.

#![no_main]

use gongkai_law::{AnswerClock, WorkingCalendar};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static CALENDAR: LazyLock<WorkingCalendar> = LazyLock::new(WorkingCalendar::embedded);

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(clock) = AnswerClock::from_json(text) {
        let today = gongkai_law::parse_date("today", "2026-11-27").ok();
        let _ = clock.deadline(&CALENDAR, None);
        let _ = clock.deadline(&CALENDAR, today);
    }
});
