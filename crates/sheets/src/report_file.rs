//! A published report's file, whatever it is, as the text the report reader reads: a PDF's
//! text layer, a scan read by OCR, or a Word/Excel file as HTML paragraphs and tables; text
//! in UTF-8, GBK/GB18030
//! (common on government sites) or UTF-16 with a byte-order mark. Other binary data is
//! refused, each with what to do instead.

use crate::ocr::{self, OcrLimits, Recognize};
use crate::{
    PdfLimits, SheetError, document_limits, is_pdf, office_kind, office_to_html,
    pdf_to_html_with_ocr, refuse,
};

/// The report file's text (HTML for PDF, Word and Excel files). A scan — a PDF of page
/// images, or a PNG or JPEG page — is read by `ocr` when given.
pub fn report_text(bytes: &[u8], ocr: Option<&dyn Recognize>) -> Result<String, SheetError> {
    if office_kind(bytes).is_some() {
        return office_to_html(bytes, &document_limits());
    }
    let ocr_limits = OcrLimits::default();
    if is_pdf(bytes) {
        let engine = ocr.map(|engine| (engine, &ocr_limits));
        return pdf_to_html_with_ocr(bytes, &PdfLimits::default(), engine);
    }
    if ocr::is_image(bytes) {
        return match ocr {
            Some(engine) => ocr::image_to_html(bytes, engine, &ocr_limits),
            None => Err(refuse("图像文件须经文字识别（OCR）后读取")),
        };
    }
    decode(bytes).ok_or_else(|| {
        refuse("不是可读取的报告文件：请提供网页、文本（UTF-8 或 GBK）、PDF、Word（.docx）、Excel（.xlsx）或扫描图片（PNG、JPEG）；旧版 .doc/.xls 请另存为新格式")
    })
}

/// Text in whichever encoding it is; `None` for binary data.
pub fn decode(bytes: &[u8]) -> Option<String> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return Some(text.into_owned());
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => mostly_text(text).then(|| text.to_string()),
        Err(_) => {
            let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
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
    fn utf8_gbk_utf16_and_binary() {
        assert_eq!(decode("一、总体情况".as_bytes()).unwrap(), "一、总体情况");
        let (gbk, _, _) = encoding_rs::GBK.encode("二、主动公开政府信息情况");
        assert_eq!(decode(&gbk).unwrap(), "二、主动公开政府信息情况");
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend("三、".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&utf16).unwrap(), "三、");
        assert!(decode(&[0u8; 64]).is_none(), "NUL bytes are not a report");
        assert!(decode(&[0x81u8, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05]).is_none());
        let refused = report_text(&[0u8; 64], None).unwrap_err();
        assert!(refused.0.contains("PDF、Word"), "{refused}");
        assert!(
            report_text(b"%PDF-1.7\n junk", None)
                .unwrap_err()
                .0
                .contains("PDF")
        );
    }
}
