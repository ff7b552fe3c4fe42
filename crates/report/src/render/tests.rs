//! Markdown and HTML renderings read back to identical tables.

use crate::{json, model::Report, read, render};

fn sources() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            "seed",
            include_str!("../../testdata/2023-hedong-taiping.txt"),
        ),
        (
            "pingtan 2023",
            include_str!("../../testdata/2023-pingtan.txt"),
        ),
        (
            "pingtan 2019",
            include_str!("../../testdata/2019-pingtan-format2019.txt"),
        ),
        (
            "shanghai 2019",
            include_str!("../../testdata/2019-shanghai-bgt-format2019.html"),
        ),
    ]
}

fn assert_same_tables(name: &str, original: &Report, again: &Report) {
    assert_eq!(again.format, original.format, "{name}");
    assert_eq!(again.table2, original.table2, "{name}: table 二");
    assert_eq!(again.table3, original.table3, "{name}: table 三");
    assert_eq!(again.table4, original.table4, "{name}: table 四");
}

#[test]
fn markdown_reads_back_to_identical_tables() {
    for (name, text) in sources() {
        let original = read(text).report;
        let markdown = render::markdown::render(&original);
        let again = read(&markdown);
        assert_same_tables(name, &original, &again.report);
        assert_eq!(
            again.report.meta.index_number, original.meta.index_number,
            "{name}"
        );
        assert_eq!(again.report.meta.year, original.meta.year, "{name}");
        assert_eq!(again.report.sections, original.sections, "{name}: sections");
    }
}

#[test]
fn html_reads_back_to_identical_tables() {
    for (name, text) in sources() {
        let original = read(text).report;
        let page = render::html::render(&original);
        assert!(page.contains("rowspan"), "{name}");
        let again = read(&page);
        assert_same_tables(name, &original, &again.report);
        assert_eq!(
            again.report.meta.written_date, original.meta.written_date,
            "{name}"
        );
    }
}

#[test]
fn json_model_round_trips() {
    for (name, text) in sources() {
        let original = read(text).report;
        let again = json::from_json(&json::to_json(&original).to_string()).unwrap();
        assert_eq!(again, original, "{name}");
    }
    assert!(json::from_json("{}").is_err());
    assert!(
        json::from_json(r#"{"format":"2021","table3":{"rows":[{"row":"total","cells":[1]}]}}"#)
            .unwrap_err()
            .contains("table3.rows[0]")
    );
}

/// The entries of a zip package (DOCX, XLSX) as text.
fn unzip(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip package");
    let mut entry = archive
        .by_name(name)
        .unwrap_or_else(|_| panic!("{name} in the package"));
    let mut text = String::new();
    std::io::Read::read_to_string(&mut entry, &mut text).unwrap();
    text
}

/// The text of every `<tag …>text</tag>` in document order.
fn texts(xml: &str, tag: &str) -> Vec<String> {
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(at) = rest.find(&open) {
        let after = &rest[at + open.len()..];
        // `<w:t>` or `<w:t xml:space=…>`, not `<w:tc>`/`<w:tbl>`.
        if !(after.starts_with('>') || after.starts_with(' ')) {
            rest = after;
            continue;
        }
        let Some(gt) = after.find('>') else { break };
        let body = &after[gt + 1..];
        let Some(end) = body.find(&close) else { break };
        out.push(body[..end].to_string());
        rest = &body[end..];
    }
    out
}

#[test]
fn docx_contains_the_tables_with_merged_headers_and_page_numbers() {
    for (name, text) in sources() {
        let report = read(text).report;
        let bytes = render::docx::render(&report).unwrap();
        let xml = unzip(&bytes, "word/document.xml");
        assert!(
            xml.contains("w:vMerge") && xml.contains("w:gridSpan"),
            "{name}"
        );
        assert!(xml.contains("仿宋") && xml.contains("宋体"), "{name}");
        let words = texts(&xml, "w:t");
        for (row, cells) in &report.table3.rows {
            let label = render::table3_label_parts(*row).1;
            let at = words
                .iter()
                .position(|w| *w == label)
                .unwrap_or_else(|| panic!("{name}: {label}"));
            let expected: Vec<String> = cells
                .iter()
                .map(|c| c.map(|n| n.to_string()).unwrap_or_default())
                .collect();
            assert_eq!(words[at + 1..at + 8], expected[..], "{name}: {label}");
        }
        let footer = (1..4)
            .map(|i| format!("word/footer{i}.xml"))
            .find_map(|entry| {
                zip::ZipArchive::new(std::io::Cursor::new(&bytes))
                    .ok()?
                    .by_name(&entry)
                    .ok()
                    .map(|_| entry)
            })
            .expect("a footer");
        assert!(
            unzip(&bytes, &footer).contains("PAGE"),
            "{name}: page numbers"
        );
    }
}

#[test]
fn xlsx_has_a_sheet_per_table_with_merges_and_a_flat_sheet() {
    for (name, text) in sources() {
        let report = read(text).report;
        let bytes = render::xlsx::render(&report).unwrap();
        let workbook = unzip(&bytes, "xl/workbook.xml");
        for sheet in [
            "说明",
            "表二 主动公开",
            "表三 依申请公开",
            "表四 复议诉讼",
            "数据",
        ] {
            assert!(workbook.contains(sheet), "{name}: {sheet}");
        }
        let strings = texts(&unzip(&bytes, "xl/sharedStrings.xml"), "t");
        assert!(
            strings
                .iter()
                .any(|s| s == "一、本年新收政府信息公开申请数量"),
            "{name}"
        );
        let table3 = unzip(&bytes, "xl/worksheets/sheet3.xml");
        assert!(
            table3.contains("<mergeCell ref=\"A1:C3\"/>"),
            "{name}: the 勾稽关系 header spans 3×3"
        );
        // Row 一 is spreadsheet row 4: its seven cells are D4:J4, figures as numbers.
        for (i, cell) in report.table3.rows[0].1.iter().enumerate() {
            let reference = format!("{}4", (b'D' + i as u8) as char);
            assert_eq!(
                number_at(&table3, &reference),
                cell.map(|n| n.to_string()),
                "{name}: {reference}"
            );
        }
        let flat = unzip(&bytes, "xl/worksheets/sheet5.xml");
        assert!(
            flat.matches("<row ").count() > 25 * 7,
            "{name}: one row per cell"
        );
    }
}

/// The number in cell `reference` of a sheet's XML (`None` for a blank or a text cell).
fn number_at(sheet: &str, reference: &str) -> Option<String> {
    let start = sheet.find(&format!("<c r=\"{reference}\""))?;
    let cell = &sheet[start..];
    let open_end = cell.find('>')?;
    if cell[..open_end].ends_with('/') {
        return None; // <c r="F4" s="2"/>: a blank cell
    }
    let cell = &cell[..cell.find("</c>")?];
    if cell.contains("t=\"s\"") {
        return None;
    }
    texts(cell, "v").into_iter().next()
}

/// The seed report with cells written as "—", "/", "无" and "不适用" in each table.
pub(crate) fn marked() -> Report {
    use crate::model::{Blank, CellAt, Table2Item, Table3Column, Table3Row, Table4Group};
    let mut report = read(include_str!("../../testdata/2023-hedong-taiping.txt")).report;
    let secret = Table3Row::Result(gongkai_law::Outcome::StateSecret);
    let marks = [
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
    for (at, blank) in marks {
        match at {
            CellAt::Table3(row, column) => {
                report.table3.row_mut(row).unwrap()[column.index()] = None
            }
            CellAt::Table4(group, i) => report.table4.groups[group as usize][i] = None,
            CellAt::Table2(item, i) => {
                report
                    .table2
                    .rows
                    .iter_mut()
                    .find(|r| r.item == item)
                    .unwrap()
                    .cells[i] = None
            }
        }
        report.blanks.push((at, blank));
    }
    report
}

#[test]
fn blanks_keep_how_they_were_written_through_every_rendering() {
    use crate::{check, export, model::Blank};
    let original = marked();
    let sorted = |r: &Report| {
        let mut b: Vec<String> = r
            .blanks
            .iter()
            .map(|(a, k)| format!("{a:?}={k:?}"))
            .collect();
        b.sort();
        b
    };
    for (name, text) in [
        ("markdown", render::markdown::render(&original)),
        ("html", render::html::render(&original)),
    ] {
        let again = read(&text).report;
        assert_same_tables(name, &original, &again);
        assert_eq!(sorted(&again), sorted(&original), "{name}: blanks");
    }
    assert_eq!(
        json::from_json(&json::to_json(&original).to_string()).unwrap(),
        original
    );
    // Exported as written, never as 0; JSON keeps null with the mark beside it.
    let csv = export::to_csv(&export::grid(&original, export::TableId::Three));
    assert!(csv.contains("（三）1.属于国家秘密,—,0,0,0,0,0,/"), "{csv}");
    let t4 = export::to_json(&original, export::TableId::Four);
    assert_eq!(t4["rows"][0]["cells"][0], serde_json::Value::Null);
    assert_eq!(t4["rows"][0]["blanks"][0], "无");
    // The checks say how each blank was treated, and none is an error.
    let findings = check(&original, None);
    let blanks = findings
        .iter()
        .find(|f| f.location == "表三" && f.code.as_str() == "BLANK_CELLS")
        .unwrap();
    assert!(
        blanks.message.contains("“—”1个、“/”1个") && blanks.message.contains("不视为0"),
        "{}",
        blanks.message
    );
    assert!(
        findings
            .iter()
            .all(|f| f.severity != crate::Severity::Error),
        "{findings:?}"
    );
    assert_eq!(Blank::from_mark("—"), Some(Blank::Dash));
}

#[test]
fn a_figure_ocr_was_not_sure_of_is_never_taken_as_read() {
    use crate::model::{Blank, CellAt, Table3Column, Table3Row};
    let page = render::html::render(&marked());
    // The 总计 of （三）1 written "/" becomes a 7 that OCR read with 41 % confidence.
    let unsure = page.replacen(">/<", ">\u{FFF9}7\u{FFFA}41\u{FFFB}<", 1);
    assert_ne!(unsure, page);
    let reading = read(&unsure);
    let secret = Table3Row::Result(gongkai_law::Outcome::StateSecret);
    assert_eq!(
        reading.report.table3.cell(secret, Table3Column::Total),
        None
    );
    assert_eq!(
        reading
            .report
            .blank_at(CellAt::Table3(secret, Table3Column::Total)),
        &Blank::Uncertain {
            read: "7".into(),
            confidence: 41
        }
    );
    let finding = reading
        .findings
        .iter()
        .find(|f| f.code.as_str() == "READ_OCR_UNCERTAIN")
        .unwrap();
    assert!(finding.message.contains("「7」") && finding.message.contains("41%"));
    assert!(finding.location.contains("（三）1.属于国家秘密"));
}

#[test]
fn rows_whose_labels_were_garbled_are_read_by_their_place() {
    let original = read(include_str!("../../testdata/2023-pingtan.txt")).report;
    let page = render::html::render(&original);
    // As OCR garbles labels on a scan: one in the middle of table 三, and its last one.
    let garbled = page
        .replacen("无正当理由大量反复申请", "无正当埋由大量反复屮诸", 1)
        .replacen("四、结转下年度继续办理", "四、结转下年度姓续力理", 1);
    assert_ne!(garbled, page);
    let reading = read(&garbled);
    assert_eq!(reading.report.table3, original.table3);
    let finding = reading
        .findings
        .iter()
        .find(|f| f.code.as_str() == "READ_ROW_BY_POSITION")
        .unwrap();
    assert!(
        finding.message.contains("无正当理由大量反复申请"),
        "{}",
        finding.message
    );
    // A row that is not there at all is still missing, not made up from its neighbours.
    let at = page.find("（七）总计").unwrap();
    let (start, end) = (
        page[..at].rfind("<tr").unwrap(),
        at + page[at..].find("</tr>").unwrap() + 5,
    );
    let cut = format!("{}{}", &page[..start], &page[end..]);
    let reading = read(&cut);
    assert!(
        reading
            .findings
            .iter()
            .all(|f| f.code.as_str() != "READ_ROW_BY_POSITION")
    );
    assert!(!reading.is_complete(), "{:?}", reading.findings);
}
