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
