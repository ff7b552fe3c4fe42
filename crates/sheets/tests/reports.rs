//! Reports as agencies publish them in Word, Excel and PDF: every report in the report crate's
//! testdata, rendered by the project's own DOCX, XLSX and PDF renderers and by LibreOffice
//! (`testdata/make.sh`), reads back through `office_to_html` and `pdf_to_html` to the very
//! tables its text gives.

use gongkai_report::{Report, read, render};
use gongkai_sheets::{
    OfficeKind, PdfLimits, document_limits, is_pdf, office_kind, office_to_html, pdf_to_html,
};

fn sources() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            "seed",
            include_str!("../../report/testdata/2023-hedong-taiping.txt"),
        ),
        (
            "pingtan 2023",
            include_str!("../../report/testdata/2023-pingtan.txt"),
        ),
        (
            "pingtan 2019",
            include_str!("../../report/testdata/2019-pingtan-format2019.txt"),
        ),
        (
            "shanghai 2019",
            include_str!("../../report/testdata/2019-shanghai-bgt-format2019.html"),
        ),
    ]
}

#[test]
fn word_and_excel_renderings_read_back_to_the_same_tables() {
    for (name, text) in sources() {
        let original = read(text).report;
        for (kind, bytes) in [
            (OfficeKind::Docx, render::docx::render(&original).unwrap()),
            (OfficeKind::Xlsx, render::xlsx::render(&original).unwrap()),
        ] {
            assert_eq!(office_kind(&bytes), Some(kind), "{name}");
            let html = office_to_html(&bytes, &document_limits()).unwrap();
            let again = read(&html).report;
            assert_eq!(again.format, original.format, "{name} {kind:?}");
            assert_eq!(again.table2, original.table2, "{name} {kind:?}: table 二");
            assert_eq!(again.table3, original.table3, "{name} {kind:?}: table 三");
            assert_eq!(again.table4, original.table4, "{name} {kind:?}: table 四");
            if kind == OfficeKind::Docx {
                // The prose rides along in Word: sections and the year read the same.
                assert_eq!(again.meta.year, original.meta.year, "{name}");
                assert_eq!(again.sections, original.sections, "{name}: sections");
            }
        }
    }
}

/// The tables (and format and year) read from `html` are the original's.
fn same_tables(original: &Report, html: &str, what: &str) {
    let again = read(html).report;
    assert_eq!(again.format, original.format, "{what}");
    assert_eq!(again.meta.year, original.meta.year, "{what}: year");
    assert_eq!(again.table2, original.table2, "{what}: table 二");
    assert_eq!(again.table3, original.table3, "{what}: table 三");
    assert_eq!(again.table4, original.table4, "{what}: table 四");
    let sorted = |r: &Report| {
        let mut b: Vec<String> = r
            .blanks
            .iter()
            .map(|(a, k)| format!("{a:?}={k:?}"))
            .collect();
        b.sort();
        b
    };
    assert_eq!(
        sorted(&again),
        sorted(original),
        "{what}: how blanks were written"
    );
}

/// The seed with cells written "—", "/", "无" and "不适用", as agencies do.
fn marked() -> Report {
    use gongkai_report::model::{Blank, CellAt, Table2Item, Table3Column, Table3Row, Table4Group};
    let mut report = read(sources()[0].1).report;
    let secret = Table3Row::Result(gongkai_law::Outcome::StateSecret);
    report.table3.row_mut(secret).unwrap()[0] = None;
    report.table3.row_mut(secret).unwrap()[6] = None;
    report.table4.groups[0][0] = None;
    report.table2.rows[0].cells[0] = None;
    report.blanks = vec![
        (CellAt::Table3(secret, Table3Column::ALL[0]), Blank::Dash),
        (CellAt::Table3(secret, Table3Column::Total), Blank::Slash),
        (
            CellAt::Table4(Table4Group::Reconsideration, 0),
            Blank::Nothing,
        ),
        (
            CellAt::Table2(Table2Item::Regulations, 0),
            Blank::NotApplicable,
        ),
    ];
    report
}

#[test]
fn blanks_keep_how_they_were_written_in_word_excel_and_pdf() {
    let original = marked();
    let docx = render::docx::render(&original).unwrap();
    let xlsx = render::xlsx::render(&original).unwrap();
    let pdf = gongkai_report_pdf::render(&original).unwrap();
    let limits = document_limits();
    same_tables(&original, &office_to_html(&docx, &limits).unwrap(), "Word");
    same_tables(&original, &office_to_html(&xlsx, &limits).unwrap(), "Excel");
    same_tables(
        &original,
        &pdf_to_html(&pdf, &PdfLimits::default()).unwrap(),
        "PDF",
    );
}

#[test]
fn pdf_renderings_read_back_to_the_same_tables() {
    for (name, text) in sources() {
        let original = read(text).report;
        let pdf = gongkai_report_pdf::render(&original).unwrap();
        assert!(is_pdf(&pdf));
        let html = pdf_to_html(&pdf, &PdfLimits::default()).unwrap();
        same_tables(&original, &html, &format!("{name} (our PDF)"));
        let again = read(&html).report;
        let titles = |r: &Report| r.sections.iter().map(|s| s.kind).collect::<Vec<_>>();
        assert_eq!(titles(&again), titles(&original), "{name}: sections");
    }
}

/// Printed to PDF and saved as Word by LibreOffice, as offices do (`testdata/make.sh`).
#[test]
fn libreoffice_files_read_back_to_the_same_tables() {
    let files: [(&[u8], &[u8]); 4] = [
        (
            include_bytes!("../testdata/libreoffice/2023-hedong-taiping.pdf"),
            include_bytes!("../testdata/libreoffice/2023-hedong-taiping.docx"),
        ),
        (
            include_bytes!("../testdata/libreoffice/2023-pingtan.pdf"),
            include_bytes!("../testdata/libreoffice/2023-pingtan.docx"),
        ),
        (
            include_bytes!("../testdata/libreoffice/2019-pingtan-format2019.pdf"),
            include_bytes!("../testdata/libreoffice/2019-pingtan-format2019.docx"),
        ),
        (
            include_bytes!("../testdata/libreoffice/2019-shanghai-bgt-format2019.pdf"),
            include_bytes!("../testdata/libreoffice/2019-shanghai-bgt-format2019.docx"),
        ),
    ];
    for ((name, text), (pdf, docx)) in sources().into_iter().zip(files) {
        let original = read(text).report;
        let html = pdf_to_html(pdf, &PdfLimits::default()).unwrap();
        same_tables(&original, &html, &format!("{name} (LibreOffice PDF)"));
        let html = office_to_html(docx, &document_limits()).unwrap();
        same_tables(&original, &html, &format!("{name} (LibreOffice Word)"));
    }
}

#[test]
fn other_files_are_refused_with_a_reason() {
    let limits = document_limits();
    let not_office = office_to_html(b"PK\x03\x04 not really a zip", &limits).unwrap_err();
    assert!(not_office.0.contains(".docx"), "{not_office}");
    let text = office_to_html("二〇二三年度报告".as_bytes(), &limits).unwrap_err();
    assert!(text.0.contains("另存为"), "{text}");
}

/// A .docx holding only `body` as its document part.
fn docx(body: &str) -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("word/document.xml", options).unwrap();
    write!(
        zip,
        r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    )
    .unwrap();
    zip.finish().unwrap();
    out.into_inner()
}

#[test]
fn a_word_body_keeps_its_text_and_its_merges_and_stays_within_bounds() {
    let limits = document_limits();
    let html = office_to_html(
        &docx(concat!(
            "<w:p><w:r><w:t>收到申请 &amp; 答复</w:t></w:r></w:p>",
            "<w:tbl><w:tr>",
            "<w:tc><w:tcPr><w:gridSpan w:val=\"2\"/><w:vMerge w:val=\"restart\"/></w:tcPr><w:p><w:r><w:t>合并</w:t></w:r></w:p></w:tc>",
            "<w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>",
            "</w:tr><w:tr>",
            "<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>",
            "<w:tc><w:p><w:r><w:t>&lt;2&gt;</w:t></w:r></w:p></w:tc>",
            "</w:tr></w:tbl>"
        )),
        &limits,
    )
    .unwrap();
    assert!(html.contains("<p>收到申请 &amp; 答复</p>"), "{html}");
    assert!(
        html.contains("<tr><td colspan=\"2\">合并</td><td>1</td></tr>"),
        "{html}"
    );
    assert!(
        html.contains("<tr><td>&lt;2&gt;</td></tr>"),
        "the continued cell is left out: {html}"
    );
    let wide = format!(
        "<w:tbl><w:tr>{}</w:tr></w:tbl>",
        "<w:tc><w:p/></w:tc>".repeat(limits.max_columns as usize + 1)
    );
    let refused = office_to_html(&docx(&wide), &limits).unwrap_err();
    assert!(refused.0.contains("列"), "{refused}");
    let broken = office_to_html(&docx("<w:p><w:t>未闭合"), &limits);
    assert!(broken.is_err() || broken.unwrap().contains("未闭合"));
}
