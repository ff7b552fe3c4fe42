//! Reading report files as sites publish them: text in UTF-8, GBK/GB18030 or UTF-16, HTML,
//! PDF (its text layer), Word (.docx) and Excel (.xlsx), scans (PDF or PNG/JPEG, by OCR) — all through
//! `gongkai_sheets::report_text`, the same reading the web's batch import uses.

use std::path::Path;

use gongkai_law::RuleViolation;

use crate::failure::Failure;

/// The largest report file read (a report with its scans runs to a few megabytes).
const MAX_REPORT_BYTES: u64 = 64 * 1024 * 1024;

pub fn read_text(path: &Path) -> Result<String, Failure> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| {
        Failure::from(RuleViolation::new(
            "FILE",
            format!("无法读取文件 {}：{}", path.display(), e.kind()),
            format!("cannot read {}: {e}", path.display()),
        ))
    };
    // Read no further than the bound, whatever the file claims to be.
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_REPORT_BYTES + 1).read_to_end(&mut bytes))
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_REPORT_BYTES {
        return Err(RuleViolation::new(
            "FILE",
            format!(
                "{} 超过{}MB，不像是一份年度报告：请检查文件",
                path.display(),
                MAX_REPORT_BYTES / 1024 / 1024
            ),
            format!("{} is larger than 64 MB", path.display()),
        )
        .into());
    }
    // A scan is read by tesseract, started for it (Debian: tesseract-ocr, tesseract-ocr-chi-sim).
    let ocr = gongkai_sheets::ocr::Tesseract::default();
    gongkai_sheets::report_text(&bytes, Some(&ocr)).map_err(|e| {
        RuleViolation::new(
            "FILE",
            format!("{}：{e}", path.display()),
            format!("{} could not be read as a report", path.display()),
        )
        .into()
    })
}
