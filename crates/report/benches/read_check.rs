//! Read + check throughput on the real reports in testdata, one thread, best of 7 rounds.
//!
//! `cargo bench -p gongkai-report --bench read_check` — prints MB/s per report and overall.
//! Figures are recorded in BENCHMARKS.md.

use std::time::{Duration, Instant};

const REPORTS: [(&str, &str); 10] = [
    (
        "2023-hedong-taiping.txt",
        include_str!("../testdata/2023-hedong-taiping.txt"),
    ),
    (
        "2023-pingtan.txt",
        include_str!("../testdata/2023-pingtan.txt"),
    ),
    (
        "2019-pingtan-format2019.txt",
        include_str!("../testdata/2019-pingtan-format2019.txt"),
    ),
    (
        "2019-shanghai-bgt-format2019.html",
        include_str!("../testdata/2019-shanghai-bgt-format2019.html"),
    ),
    (
        "009 row pipes",
        include_str!("../testdata/fragments/009_FRAGMENT_longgang_qzfgzbm_2024_rowpipes.txt"),
    ),
    (
        "010 cell lines",
        include_str!("../testdata/fragments/010_FRAGMENT_yueyang_nanhu_bureau_2019_celllines.txt"),
    ),
    (
        "011 pdf text",
        include_str!("../testdata/fragments/011_FRAGMENT_shenji_flipbook_2020_pdftext_p9.txt"),
    ),
    (
        "012 value then pipe",
        include_str!(
            "../testdata/fragments/012_FRAGMENT_taojiang_sjj_2020_value_then_pipe_lines.txt"
        ),
    ),
    (
        "013 empty tables",
        include_str!(
            "../testdata/fragments/013_FRAGMENT_jiaxian_xizhen_2022_EMPTY_TABLES_oldformat.txt"
        ),
    ),
    (
        "014 blank-line cells",
        include_str!("../testdata/fragments/014_FRAGMENT_changtu_qijiazi_2023_blankline_cells.txt"),
    ),
];

/// The best of several rounds of at least 200 ms each: other work on the machine only ever
/// slows a round down, so the fastest round is the closest to the code's own speed.
fn measure(text: &str) -> Duration {
    for _ in 0..5 {
        std::hint::black_box(gongkai_report::assess(text, None));
    }
    (0..7)
        .map(|_| {
            let start = Instant::now();
            let mut runs = 0u32;
            while start.elapsed() < Duration::from_millis(200) {
                std::hint::black_box(gongkai_report::assess(std::hint::black_box(text), None));
                runs += 1;
            }
            start.elapsed() / runs
        })
        .min()
        .expect("seven rounds")
}

fn main() {
    let mut bytes = 0f64;
    let mut seconds = 0f64;
    println!(
        "{:<36}{:>10}{:>12}{:>12}",
        "report", "bytes", "µs/report", "MB/s"
    );
    for (name, text) in REPORTS {
        let per = measure(text).as_secs_f64();
        println!(
            "{:<36}{:>10}{:>12.1}{:>12.1}",
            name,
            text.len(),
            per * 1e6,
            text.len() as f64 / per / 1e6
        );
        bytes += text.len() as f64;
        seconds += per;
    }
    println!(
        "{:<36}{:>10}{:>12.1}{:>12.1}",
        "all (read + check, 1 thread)",
        bytes as u64,
        seconds * 1e6,
        bytes / seconds / 1e6
    );
}
