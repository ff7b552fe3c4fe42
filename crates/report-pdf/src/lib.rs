//! The annual report as a PDF, typeset by typst with a template in this crate and an OFL CJK
//! font subset embedded in the binary, so a fresh machine prints Chinese, not tofu.
//!
//! A leaf crate: typst is heavy to build, and nothing else depends on it but the binary.

use gongkai_report::{
    Report,
    model::SectionKind,
    render::{
        layout::{self, TableLayout},
        letter::LetterDocument,
        metadata_lines, narrative, title,
    },
};
use typst::foundations::{Array, Dict, IntoValue, Value};
use typst_as_lib::TypstEngine;
use typst_layout::PagedDocument;

const TEMPLATE: &str = include_str!("../templates/report.typ");
const LETTER_TEMPLATE: &str = include_str!("../templates/letter.typ");
/// Noto Serif CJK SC (宋体-like) and Noto Sans CJK SC Bold (黑体-like), GB2312 subsets; SIL OFL 1.1
/// (fonts/LICENSE-OFL.txt).
const SERIF: &[u8] = include_bytes!("../fonts/NotoSerifSC-Regular-GB2312.otf");
const SANS_BOLD: &[u8] = include_bytes!("../fonts/NotoSansSC-Bold-GB2312.otf");

/// Typesets the report; the error says what typst could not do.
pub fn render(report: &Report) -> Result<Vec<u8>, String> {
    let engine = TypstEngine::builder()
        .main_file(TEMPLATE)
        .fonts([SERIF, SANS_BOLD])
        .build();
    let document: PagedDocument = engine
        .compile_with_input(inputs(report))
        .output
        .map_err(|e| format!("PDF 排版失败：{e:?}"))?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default())
        .map_err(|e| format!("PDF 生成失败：{e:?}"))
}

/// Typesets a letter (告知书、答复书).
pub fn render_letter(letter: &LetterDocument) -> Result<Vec<u8>, String> {
    let engine = TypstEngine::builder()
        .main_file(LETTER_TEMPLATE)
        .fonts([SERIF, SANS_BOLD])
        .build();
    let mut inputs = Dict::new();
    for (key, value) in [
        ("title", text(letter.title.clone())),
        ("number", text(letter.number.clone())),
        ("recipient", text(letter.recipient.clone())),
        (
            "paragraphs",
            list(letter.paragraphs.iter().map(|p| text(p.clone()))),
        ),
        ("agency", text(letter.agency.clone())),
        ("date", text(letter.date.clone())),
    ] {
        inputs.insert(key.into(), value);
    }
    let document: PagedDocument = engine
        .compile_with_input(inputs)
        .output
        .map_err(|e| format!("PDF 排版失败：{e:?}"))?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default())
        .map_err(|e| format!("PDF 生成失败：{e:?}"))
}

fn text(value: impl Into<String>) -> Value {
    value.into().as_str().into_value()
}

fn list(values: impl IntoIterator<Item = Value>) -> Value {
    Value::Array(values.into_iter().collect::<Array>())
}

fn dict(entries: impl IntoIterator<Item = (&'static str, Value)>) -> Value {
    let mut dict = Dict::new();
    for (key, value) in entries {
        dict.insert(key.into(), value);
    }
    Value::Dict(dict)
}

fn table(layout: &TableLayout) -> Value {
    let cells = layout.rows.iter().flatten().map(|cell| {
        dict([
            ("text", text(cell.text.clone())),
            ("rows", (cell.rows as i64).into_value()),
            ("cols", (cell.cols as i64).into_value()),
            ("header", cell.header.into_value()),
            ("label", cell.label.into_value()),
        ])
    });
    dict([
        (
            "widths",
            list(layout.widths.iter().map(|w| i64::from(*w).into_value())),
        ),
        ("cells", list(cells)),
    ])
}

fn inputs(report: &Report) -> Dict {
    let sections = SectionKind::ALL.iter().map(|&kind| {
        dict([
            ("kind", text(kind.code())),
            ("heading", text(kind.heading())),
            (
                "paragraphs",
                list(
                    narrative(report, kind)
                        .unwrap_or_default()
                        .iter()
                        .map(|p| text(p.clone())),
                ),
            ),
        ])
    });
    let meta = metadata_lines(report)
        .into_iter()
        .map(|(label, value)| list([text(label), text(value)]));
    let mut inputs = Dict::new();
    for (key, value) in [
        ("title", text(title(report))),
        ("meta", list(meta)),
        (
            "preamble",
            list(report.preamble.iter().map(|p| text(p.clone()))),
        ),
        ("sections", list(sections)),
        ("table2", table(&layout::table2(report))),
        ("table3", table(&layout::table3(report))),
        ("table4", table(&layout::table4(report))),
    ] {
        inputs.insert(key.into(), value);
    }
    inputs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pdf_with_the_fonts_embedded() {
        let report = gongkai_report::read(include_str!(
            "../../report/testdata/2023-hedong-taiping.txt"
        ))
        .report;
        let pdf = render(&report).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let raw = String::from_utf8_lossy(&pdf);
        assert!(
            raw.contains("NotoSerifCJKsc") || raw.contains("Noto Serif CJK SC"),
            "serif embedded"
        );
        assert!(
            raw.contains("NotoSansCJKsc") || raw.contains("Noto Sans CJK SC"),
            "sans embedded"
        );
        assert!(raw.contains("/ToUnicode"), "text can be extracted");
    }

    #[test]
    fn a_letter_pdf() {
        let letter = LetterDocument {
            title: "补正告知书".into(),
            number: "太政公补〔2026〕3号".into(),
            recipient: "张三：".into(),
            paragraphs: vec!["请于收到本告知书之日起15个工作日内补正。 #emph[x] $y$".into()],
            agency: "示例街道办事处".into(),
            date: "2026年11月28日".into(),
        };
        assert!(render_letter(&letter).unwrap().starts_with(b"%PDF-"));
    }

    #[test]
    fn text_in_a_report_is_never_markup() {
        let mut report = Report::blank(gongkai_report::Format::Current2021);
        report.preamble = vec!["#panic(\"injected\") *bold* $x$ \\ ] [ // comment".into()];
        report.meta.title = Some("#set page(paper: \"a0\")".into());
        assert!(render(&report).unwrap().starts_with(b"%PDF-"));
    }
}
