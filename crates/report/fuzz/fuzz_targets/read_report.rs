//! Any bytes, as text, through the reader, the checks and the renderings: nothing may panic.
//!
//! `cargo fuzz run read_report` from crates/report (see README, "Fuzzing").

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let assessment = gongkai_report::assess(&text, None);
    let report = assessment.report();
    let markdown = gongkai_report::render::markdown::render(report);
    let _ = gongkai_report::render::html::render(report);
    let _ = gongkai_report::json::to_json(report);
    // Whatever was read renders to Markdown that reads back without panicking too.
    let _ = gongkai_report::assess(&markdown, None);
});
