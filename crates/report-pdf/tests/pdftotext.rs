//! The PDF read back by poppler's `pdftotext`: Chinese text, not tofu, and the tables' rows.
//! Needs Debian's poppler-utils, so it is ignored by `cargo test`; `.ci/run` installs the
//! package and runs it with `cargo test -p gongkai-report-pdf -- --ignored`.

use std::process::Command;

#[test]
#[ignore = "needs pdftotext (Debian poppler-utils); .ci/run installs it and runs this"]
fn pdftotext_reads_the_chinese_text_and_tables_back() {
    let available = Command::new("pdftotext").arg("-v").output().is_ok();
    assert!(
        available,
        "pdftotext NOT FOUND: install poppler-utils (apt-get install poppler-utils) to run this test"
    );

    for (name, text) in [
        (
            "seed",
            include_str!("../../report/testdata/2023-hedong-taiping.txt"),
        ),
        (
            "shanghai",
            include_str!("../../report/testdata/2019-shanghai-bgt-format2019.html"),
        ),
    ] {
        let report = gongkai_report::read(text).report;
        let pdf = gongkai_report_pdf::render(&report).unwrap();
        let dir = std::env::temp_dir().join(format!("gongkai-pdf-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("report.pdf");
        std::fs::write(&path, &pdf).unwrap();
        let output = Command::new("pdftotext")
            .arg("-layout")
            .arg(&path)
            .arg("-")
            .output()
            .unwrap();
        assert!(output.status.success(), "{name}: pdftotext failed");
        let extracted = String::from_utf8(output.stdout).unwrap();
        for expected in [
            "一、总体情况",
            "二、主动公开政府信息情况",
            "本年新收政府信息公开申请数量",
            "结转下年度继续办理",
            "行政复议",
            "六、其他需要报告的事项",
        ] {
            assert!(
                extracted.contains(expected),
                "{name}: «{expected}» not in the PDF text"
            );
        }
        assert!(
            extracted.replace(char::is_whitespace, "").contains("—1—"),
            "{name}: page numbers"
        );
        // The first row of table 三 with its figures, in order.
        let row: Vec<String> = report.table3.rows[0]
            .1
            .iter()
            .flatten()
            .map(u64::to_string)
            .collect();
        let line = extracted
            .lines()
            .find(|l| l.contains("本年新收政府信息公开申请数量"))
            .unwrap();
        let numbers: Vec<&str> = line
            .split_whitespace()
            .filter(|w| w.chars().all(|c| c.is_ascii_digit()))
            .collect();
        assert_eq!(numbers, row, "{name}: {line}");
        std::fs::remove_dir_all(&dir).ok();
    }
}
