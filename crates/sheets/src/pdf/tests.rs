//! PDFs made by hand with lopdf: what is read from a page, and what is refused before the
//! work it would cost.

use lopdf::{Dictionary, Document, Object, Stream, dictionary};

use super::*;

/// A one-page PDF with `content` and `resources` (Helvetica as /F1 unless given others).
fn pdf(content: &[u8], compress: bool, extra: impl FnOnce(&mut Document) -> Dictionary) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages = doc.new_object_id();
    let mut stream = Stream::new(dictionary! {}, content.to_vec());
    if compress {
        stream.compress().unwrap();
    }
    let content = doc.add_object(stream);
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let mut resources = dictionary! { "Font" => dictionary! { "F1" => font } };
    resources.extend(&extra(&mut doc));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages, "Contents" => content, "Resources" => resources,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    doc.objects.insert(
        pages,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
        ),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn no_extra(_: &mut Document) -> Dictionary {
    Dictionary::new()
}

#[test]
fn text_and_a_table_drawn_as_stroked_rectangles() {
    // Two cells side by side, each its own stroked rectangle; a line of text above.
    let content = b"BT /F1 12 Tf 72 760 Td (Annual report 2023) Tj ET \
        72 700 100 20 re 172 700 100 20 re S \
        BT /F1 10 Tf 80 706 Td (Total) Tj 100 0 Td (12) Tj ET";
    let html = pdf_to_html(&pdf(content, true, no_extra), &PdfLimits::default()).unwrap();
    assert!(html.contains("<p>Annual report 2023</p>"), "{html}");
    assert!(
        html.contains("<tr><td>Total</td><td>12</td></tr>"),
        "{html}"
    );
}

#[test]
fn text_in_a_form_xobject_is_read_where_the_form_puts_it() {
    let html = pdf_to_html(
        &pdf(b"q 1 0 0 1 100 0 cm /X1 Do Q", false, |doc| {
            let form = doc.add_object(Stream::new(
                dictionary! { "Type" => "XObject", "Subtype" => "Form",
                "BBox" => vec![0.into(), 0.into(), 500.into(), 800.into()] },
                b"BT /F1 12 Tf 0 700 Td (Inside) Tj ET".to_vec(),
            ));
            dictionary! { "XObject" => dictionary! { "X1" => form } }
        }),
        &PdfLimits::default(),
    )
    .unwrap();
    assert!(html.contains("<p>Inside</p>"), "{html}");
}

#[test]
fn a_scan_is_named_as_one() {
    let scan = pdf(b"q 595 0 0 842 0 0 cm /Im1 Do Q", false, |doc| {
        let image = doc.add_object(Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 1, "Height" => 1,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8 },
            vec![0],
        ));
        dictionary! { "XObject" => dictionary! { "Im1" => image } }
    });
    let refused = pdf_to_html(&scan, &PdfLimits::default()).unwrap_err();
    assert!(
        refused.0.contains("扫描") && refused.0.contains("OCR"),
        "{refused}"
    );
}

#[test]
fn what_would_cost_too_much_is_refused_before_it_does() {
    let limits = PdfLimits {
        max_page_bytes: 1024 * 1024,
        max_operations_per_page: 1_000,
        max_glyphs_per_page: 100,
        ..PdfLimits::default()
    };
    // A content stream that inflates past the page's budget (4 MB of spaces, a few KB packed).
    let bomb = pdf(&vec![b' '; 4 * 1024 * 1024], true, no_extra);
    assert!(bomb.len() < 64 * 1024);
    let refused = pdf_to_html(&bomb, &limits).unwrap_err();
    assert!(refused.0.contains("无法读取"), "{refused}");
    // Operations past the page's budget.
    let busy = pdf(&b"0 0 m 1 1 l ".repeat(1_000), false, no_extra);
    let refused = pdf_to_html(&busy, &limits).unwrap_err();
    assert!(refused.0.contains("1000项绘制指令"), "{refused}");
    // Characters past the page's budget.
    let wordy = pdf(
        format!("BT /F1 1 Tf ({}) Tj ET", "x".repeat(200)).as_bytes(),
        false,
        no_extra,
    );
    let refused = pdf_to_html(&wordy, &limits).unwrap_err();
    assert!(refused.0.contains("超过100个字符"), "{refused}");
    // Too large a file, and not a PDF at all.
    let small = PdfLimits {
        max_file_bytes: 100,
        ..limits
    };
    assert!(pdf_to_html(&busy, &small).unwrap_err().0.contains("超过"));
    let junk = pdf_to_html(b"%PDF-1.7\n garbage", &limits).unwrap_err();
    assert!(junk.0.contains("不是可读取的 PDF"), "{junk}");
}
