//! Reading report files as sites publish them: UTF-8, or GBK/GB18030 (common on government
//! sites), or UTF-16 with a byte-order mark; Word (.docx) and Excel (.xlsx) files as their
//! paragraphs and tables (`gongkai_sheets::office_to_html`). A PDF or other binary file is
//! refused with a message that says what to do.

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
    if gongkai_sheets::office_kind(&bytes).is_some() {
        // A report published as Word or Excel: its paragraphs and tables as HTML.
        return gongkai_sheets::office_to_html(&bytes, &gongkai_sheets::document_limits()).map_err(
            |e| {
                RuleViolation::new(
                    "FILE",
                    format!("{}：{e}", path.display()),
                    format!(
                        "{} could not be read as a Word or Excel file",
                        path.display()
                    ),
                )
                .into()
            },
        );
    }
    let pdf = bytes.starts_with(b"%PDF");
    decode(bytes).ok_or_else(|| {
        RuleViolation::new(
            "FILE",
            if pdf {
                format!(
                    "{} 是 PDF 文件：请先提取文本（如 pdftotext -layout）再读取",
                    path.display()
                )
            } else {
                format!(
                    "{} 不是文本文件（既非 UTF-8，也非 GBK/GB18030）",
                    path.display()
                )
            },
            format!("{} is not a text file (PDF or binary)", path.display()),
        )
        .into()
    })
}

/// Text in whichever encoding it is; `None` for binary data.
pub fn decode(bytes: Vec<u8>) -> Option<String> {
    if bytes.starts_with(b"%PDF") {
        return None;
    }
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(&bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return Some(text.into_owned());
    }
    match String::from_utf8(bytes) {
        Ok(text) => mostly_text(&text).then_some(text),
        Err(not_utf8) => {
            let (text, _, had_errors) = encoding_rs::GB18030.decode(not_utf8.as_bytes());
            (!had_errors && mostly_text(&text)).then(|| text.into_owned())
        }
    }
}

/// Binary data decodes too (NULs are valid UTF-8): text has almost no control characters.
fn mostly_text(text: &str) -> bool {
    let control = text
        .chars()
        .filter(|c| c.is_control() && !c.is_whitespace())
        .count();
    control * 100 <= text.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_gbk_and_binary() {
        assert_eq!(
            decode("一、总体情况".as_bytes().to_vec()).unwrap(),
            "一、总体情况"
        );
        let (gbk, _, _) = encoding_rs::GBK.encode("二、主动公开政府信息情况");
        assert_eq!(
            decode(gbk.into_owned()).unwrap(),
            "二、主动公开政府信息情况"
        );
        assert!(decode(b"%PDF-1.7\n\x00\x01".to_vec()).is_none());
        assert!(
            decode(vec![0u8; 64]).is_none(),
            "NUL bytes are not a report"
        );
        assert!(decode(vec![0x81u8, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05]).is_none());
    }
}
