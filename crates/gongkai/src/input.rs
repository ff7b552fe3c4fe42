//! Reading report files as sites publish them: text in UTF-8, GBK/GB18030 or UTF-16, HTML,
//! PDF (its text layer), Word (.docx) and Excel (.xlsx), scans (PDF or PNG/JPEG, by OCR) — all through
//! `gongkai_sheets::report_text`, the same reading the web's batch import uses.

use std::path::Path;

use gongkai_law::RuleViolation;

use crate::failure::Failure;

pub fn read_text(path: &Path) -> Result<String, Failure> {
    let bytes = std::fs::read(path).map_err(|e| {
        Failure::from(RuleViolation::new(
            "FILE",
            format!("无法读取文件 {}：{}", path.display(), e.kind()),
            format!("cannot read {}: {e}", path.display()),
        ))
    })?;
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
