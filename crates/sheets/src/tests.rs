use std::io::Write;

use proptest::prelude::*;
use rust_xlsxwriter::Workbook;

use super::*;

fn xlsx(cells: &[(u32, u16, &str)]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (row, column, text) in cells {
        sheet.write_string(*row, *column, *text).unwrap();
    }
    book.save_to_buffer().unwrap()
}

/// A zip with the given entries, deflated.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    let mut writer = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap();
    out.into_inner()
}

#[test]
fn a_sparse_sheet_is_refused_at_its_far_cell_without_a_grid() {
    // The sheet of issue #14: A1 and XFD1048575 — 549 GB as a dense grid.
    let bomb = xlsx(&[(0, 0, "公开事项"), (1_048_574, 16_383, "x")]);
    assert!(bomb.len() < 10_000);
    let error = read("目录.xlsx", &bomb, &Limits::default()).unwrap_err();
    assert!(error.0.contains("第1048575行第16384列超出"), "{error}");
    let wide = xlsx(&[(0, 0, "a"), (2_999, 16_383, "x")]);
    assert!(read("目录.xlsx", &wide, &Limits::default()).is_err());
}

#[test]
fn a_table_reads_with_its_row_numbers() {
    let book = xlsx(&[(0, 0, "公开事项"), (0, 1, "公开内容"), (3, 1, "补偿标准")]);
    let rows = read("x.xlsx", &book, &Limits::default()).unwrap();
    assert_eq!(
        rows.len(),
        4,
        "blank rows inside the table keep the numbering"
    );
    assert_eq!(rows[0], ["公开事项", "公开内容"]);
    assert!(rows[1].is_empty() && rows[2].is_empty());
    assert_eq!(rows[3], ["", "补偿标准"]);
}

#[test]
fn an_archive_that_expands_too_far_is_refused_before_it_is_parsed() {
    let zeros = vec![b' '; 2 * 1024 * 1024];
    let bomb = zip_of(&[("xl/worksheets/sheet1.xml", &zeros)]);
    assert!(bomb.len() < 100_000);
    let small = Limits {
        max_unzipped_bytes: 1024 * 1024,
        ..Limits::default()
    };
    let error = read("x.xlsx", &bomb, &small).unwrap_err();
    assert!(error.0.contains("解压后超过1MB"), "{error}");
    let many: Vec<(String, Vec<u8>)> = (0..300).map(|i| (format!("f{i}.xml"), vec![])).collect();
    let entries: Vec<(&str, &[u8])> = many
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    assert!(
        read("x.xlsx", &zip_of(&entries), &Limits::default())
            .unwrap_err()
            .0
            .contains("部件")
    );
}

#[test]
fn a_declared_shared_string_count_is_checked_before_calamine_reserves_it() {
    let sst = br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="9999999999999"><si><t>a</t></si></sst>"#;
    let book = zip_of(&[("xl/sharedStrings.xml", sst)]);
    let error = read("x.xlsx", &book, &Limits::default()).unwrap_err();
    assert!(error.0.contains("不同的文本"), "{error}");
}

#[test]
fn long_cells_are_refused_with_a_short_excerpt() {
    let long = "长".repeat(5_000);
    let csv = format!("公开事项,公开内容\n征地,{long}\n");
    let error = read("x.csv", csv.as_bytes(), &Limits::default()).unwrap_err();
    assert!(error.0.contains("第2行第2列内容过长"), "{error}");
    assert!(
        error.0.chars().count() < 120,
        "the message quotes an excerpt: {error}"
    );
}

#[test]
fn csv_in_gbk_and_padded_exports() {
    let (gbk, _, _) = encoding_rs::GBK.encode("公开事项,公开内容,,,\n征地补偿,补偿标准,,,\n");
    let rows = read("目录.csv", &gbk, &Limits::default()).unwrap();
    assert_eq!(
        rows,
        [vec!["公开事项", "公开内容"], vec!["征地补偿", "补偿标准"]]
    );
    let padded = format!("a{}\n", ",".repeat(500));
    assert_eq!(
        read("x.csv", padded.as_bytes(), &Limits::default()).unwrap(),
        [vec!["a"]]
    );
    let wide = format!("a{},b\n", ",".repeat(100));
    assert!(read("x.csv", wide.as_bytes(), &Limits::default()).is_err());
}

proptest! {
    /// Whatever the bytes, reading refuses or returns a table within the limits; it never
    /// panics.
    #[test]
    fn any_bytes_are_read_or_refused(bytes in prop::collection::vec(any::<u8>(), 0..2048), xlsx_name in any::<bool>()) {
        let limits = Limits { max_rows: 50, max_columns: 8, ..Limits::default() };
        let name = if xlsx_name { "x.xlsx" } else { "x.csv" };
        if let Ok(rows) = read(name, &bytes, &limits) {
            prop_assert!(rows.len() <= 50);
            prop_assert!(rows.iter().all(|r| r.len() <= 8));
        }
    }
}
