//! The binary as a user runs it: exit statuses, stdout and stderr.

use std::{path::Path, process::Command};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn gongkai(data_dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .output()
        .expect("the binary runs");
    Run {
        code: output.status.code().expect("exited normally"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn assert_bad_input(run: &Run, field: &str) {
    assert_eq!(run.code, 2, "stderr: {}", run.stderr);
    assert_eq!(run.stdout, "", "nothing on stdout for bad input");
    assert_eq!(run.stderr.lines().count(), 1, "one message: {}", run.stderr);
    assert!(run.stderr.contains(field), "names {field}: {}", run.stderr);
}

#[test]
fn add_workdays_prints_the_date() {
    let dir = tempfile::tempdir().unwrap();
    let run = gongkai(
        dir.path(),
        &["calendar", "add-workdays", "2024-09-27", "20"],
    );
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "2024-10-30\n", "")
    );
}

#[test]
fn provisional_years_warn_on_stderr_until_the_notice_is_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let run = gongkai(dir.path(), &["calendar", "add-workdays", "2026-12-31", "1"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout, "2027-01-01\n",
        "weekends only: 1 January 2027 is a Friday"
    );
    assert!(
        run.stderr.contains("provisional")
            && run.stderr.contains("暂定")
            && run.stderr.contains("2027")
    );

    let notice = write(
        dir.path(),
        "2027.json",
        r#"{"year":2027,"papers":[],"days":[{"name":"元旦","date":"2027-01-01","isOffDay":true}]}"#,
    );
    let load = gongkai(dir.path(), &["calendar", "load", &notice]);
    assert_eq!(load.code, 0, "{}", load.stderr);
    assert!(load.stdout.contains("2027"));

    let run = gongkai(dir.path(), &["calendar", "add-workdays", "2026-12-31", "1"]);
    assert_eq!(
        (run.stdout.as_str(), run.stderr.as_str()),
        ("2027-01-04\n", "")
    );
    let show = gongkai(dir.path(), &["calendar", "show", "2027"]);
    assert!(show.stdout.contains("元旦") && show.stderr.is_empty());
}

#[test]
fn bad_notices_are_not_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let empty = write(
        dir.path(),
        "e.json",
        r#"{"year":2027,"papers":[],"days":[]}"#,
    );
    assert_bad_input(&gongkai(dir.path(), &["calendar", "load", &empty]), "days");
    let broken = write(
        dir.path(),
        "b.json",
        r#"{"year":2027,"papers":[],"days":[{"name":"x","date":"2027-02-30","isOffDay":true}]}"#,
    );
    assert_bad_input(
        &gongkai(dir.path(), &["calendar", "load", &broken]),
        "days[0].date",
    );
    assert!(!dir.path().join("calendar").exists());
}

#[test]
fn calendar_show_lists_holidays_and_makeup_days() {
    let dir = tempfile::tempdir().unwrap();
    let run = gongkai(dir.path(), &["calendar", "show", "2024"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout
            .contains("2024-02-10 星期六 至 2024-02-17 星期六（共8天）"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("2024-02-04 星期日"));
    assert_bad_input(&gongkai(dir.path(), &["calendar", "show", "24"]), "YEAR");
}

#[test]
fn deadline_json_and_explanation() {
    let dir = tempfile::tempdir().unwrap();
    let example = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/application-clock.json"
    );
    let run = gongkai(dir.path(), &["deadline", example, "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(value["due"], "2024-12-16");
    assert_eq!(value["provisional"], false);
    assert_eq!(value["working_days"], 40);
    assert_eq!(value["steps"].as_array().unwrap().len(), 6);
    let keys: Vec<_> = value.as_object().unwrap().keys().take(4).cloned().collect();
    assert_eq!(
        keys,
        ["due", "provisional", "provisional_years", "working_days"]
    );

    let plain = gongkai(dir.path(), &["deadline", example, "--today", "2024-11-20"]);
    assert!(plain.stdout.contains("答复期限：2024-12-16"));
    assert!(plain.stdout.contains("剩余：18个工作日"));
    assert!(plain.stdout.contains("第三十三条第二款"));
}

#[test]
fn deadline_refuses_bad_files_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("{not json", "JSON"),
        (r#"{"received":"2024-02-30"}"#, "received"),
        (
            r#"{"received":"2024-09-27","events":[{"kind":"nap","date":"2024-10-01"}]}"#,
            "events[0].kind",
        ),
        (
            r#"{"received":"2024-09-27","events":[{"kind":"extended","date":"2024-10-09"},{"kind":"extended","date":"2024-10-10"}]}"#,
            "events[1]",
        ),
        (
            r#"{"received":"2024-09-27","events":[{"kind":"consultation_started","date":"2024-10-09"},{"kind":"consultation_ended","date":"2024-10-08"}]}"#,
            "events[1]",
        ),
        (
            r#"{"received":"2024-09-27","events":[{"kind":"supplement_requested","date":"2024-10-14"}]}"#,
            "events[0].date",
        ),
    ];
    for (i, (text, field)) in cases.iter().enumerate() {
        let file = write(dir.path(), &format!("c{i}.json"), text);
        assert_bad_input(&gongkai(dir.path(), &["deadline", &file, "--json"]), field);
    }
    assert_bad_input(
        &gongkai(dir.path(), &["deadline", "/nonexistent/clock.json"]),
        "FILE",
    );
}

#[test]
fn bad_calendar_arguments() {
    let dir = tempfile::tempdir().unwrap();
    assert_bad_input(
        &gongkai(dir.path(), &["calendar", "add-workdays", "2024-02-30", "3"]),
        "DATE",
    );
    assert_bad_input(
        &gongkai(
            dir.path(),
            &["calendar", "add-workdays", "2024-02-03", "-3"],
        ),
        "N",
    );
    assert_bad_input(
        &gongkai(dir.path(), &["calendar", "add-workdays", "2024-02-03", "x"]),
        "N",
    );
}

#[test]
fn fees() {
    let dir = tempfile::tempdir().unwrap();
    let run = gongkai(dir.path(), &["fee", "--items", "45", "--json"]);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(value["yuan"], 5500);
    assert_eq!(value["bands"].as_array().unwrap().len(), 4);
    let pages = gongkai(dir.path(), &["fee", "--pages", "250"]);
    assert!(pages.stdout.contains("4700元"), "{}", pages.stdout);
    assert_bad_input(&gongkai(dir.path(), &["fee", "--pages", "-5"]), "--pages");
    assert_eq!(
        gongkai(dir.path(), &["fee", "--items", "1", "--pages", "1"]).code,
        2
    );
}

#[test]
fn help_is_bilingual() {
    let dir = tempfile::tempdir().unwrap();
    let run = gongkai(dir.path(), &["--help"]);
    assert!(run.stdout.contains("计算答复期限") && run.stdout.contains("answer deadline"));
}

fn testdata(name: &str) -> String {
    format!("{}/../report/testdata/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn report_check_exit_statuses() {
    let dir = tempfile::tempdir().unwrap();
    let seed = gongkai(
        dir.path(),
        &["report", "check", &testdata("2023-hedong-taiping.txt")],
    );
    assert_eq!(seed.code, 0, "{}", seed.stdout);
    assert!(seed.stdout.contains("一致"));
    let shanghai = gongkai(
        dir.path(),
        &[
            "report",
            "check",
            &testdata("2019-shanghai-bgt-format2019.html"),
        ],
    );
    assert_eq!(shanghai.code, 1, "an identity (the prose) fails");
    assert!(shanghai.stdout.contains("PROSE_MISMATCH"));
    let fragment = testdata("fragments/009_FRAGMENT_longgang_qzfgzbm_2024_rowpipes.txt");
    let cut = gongkai(dir.path(), &["report", "check", &fragment]);
    assert_eq!(cut.code, 2);
    assert!(cut.stdout.contains("incomplete") && cut.stdout.contains("（三）8.属于行政查询事项"));
    let junk = write(dir.path(), "junk.txt", "这不是年度报告。");
    let unreadable = gongkai(dir.path(), &["report", "check", &junk, "--json"]);
    assert_eq!(unreadable.code, 2);
    let value: serde_json::Value = serde_json::from_str(&unreadable.stdout).unwrap();
    assert_eq!(value["reports"][0]["status"], "unreadable");
    assert_eq!(value["reports"][0]["findings"][0]["code"], "READ_NO_TABLE3");
    let huge = dir.path().join("huge.txt");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(65 * 1024 * 1024)
        .unwrap();
    assert_bad_input(
        &gongkai(
            dir.path(),
            &["report", "check", &huge.display().to_string()],
        ),
        "超过64MB",
    );
    let broken = write(dir.path(), "r.pdf", "%PDF-1.7 binary");
    assert_bad_input(
        &gongkai(dir.path(), &["report", "check", &broken]),
        "不是可读取的 PDF",
    );
    // A report published as PDF is read from its text layer, tables and all.
    let pdf = dir.path().join("seed.pdf").display().to_string();
    let seed = testdata("2023-hedong-taiping.txt");
    let render = gongkai(
        dir.path(),
        &["report", "render", &seed, "--format", "pdf", "-o", &pdf],
    );
    assert_eq!(render.code, 0, "{}", render.stderr);
    let read = gongkai(dir.path(), &["report", "check", &pdf]);
    assert_eq!(read.code, 0, "{}{}", read.stdout, read.stderr);
    let table3 =
        |file: &str| gongkai(dir.path(), &["report", "export", file, "--table", "3"]).stdout;
    assert_eq!(table3(&pdf), table3(&seed));
}

#[test]
fn report_check_with_previous_year() {
    let dir = tempfile::tempdir().unwrap();
    // A previous report whose 结转下年度 (0) matches this year's 上年结转 (0), but whose
    // new applications (8) contradict the text's "上一年受理…9件".
    let run = gongkai(
        dir.path(),
        &[
            "report",
            "check",
            &testdata("2023-hedong-taiping.txt"),
            "--previous",
            &testdata("2023-hedong-taiping.txt"),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("CROSS_YEAR") && run.stdout.contains("9件"),
        "{}",
        run.stdout
    );
}

#[test]
fn report_export_follows_the_csv_contract() {
    let dir = tempfile::tempdir().unwrap();
    let seed = testdata("2023-hedong-taiping.txt");
    let t3 = gongkai(
        dir.path(),
        &["report", "export", &seed, "--table", "3", "--format", "csv"],
    );
    assert_eq!(t3.code, 0, "{}", t3.stderr);
    let lines: Vec<&str> = t3.stdout.lines().collect();
    assert_eq!(lines.len(), 26, "a header and 25 rows");
    assert_eq!(
        lines[0],
        "项目,自然人,商业企业,科研机构,社会公益组织,法律服务机构,其他,总计"
    );
    assert_eq!(lines[1], "一、本年新收政府信息公开申请数量,8,0,0,0,0,0,8");
    assert!(
        lines
            .iter()
            .skip(1)
            .all(|l| l.split(',').count() == 8 || l.starts_with('"'))
    );
    assert_eq!(lines[25], "四、结转下年度继续办理,0,0,0,0,0,0,0");
    let t4 = gongkai(dir.path(), &["report", "export", &seed, "--table", "4"]);
    assert_eq!(t4.stdout.lines().count(), 4);
    assert!(t4.stdout.contains("未经复议直接起诉,0,0,0,0,0"));
    let t2 = gongkai(dir.path(), &["report", "export", &seed, "--table", "2"]);
    assert_eq!(
        t2.stdout.lines().nth(3),
        Some("行政许可,0,,"),
        "one-figure rows fill the first cell"
    );
    let shanghai = gongkai(
        dir.path(),
        &[
            "report",
            "export",
            &testdata("2019-shanghai-bgt-format2019.html"),
            "--table",
            "3",
        ],
    );
    assert_eq!(
        shanghai.stdout.lines().count(),
        24,
        "the 2019 format's own 23 rows"
    );
    assert!(
        shanghai.stdout.contains("（一）予以公开,258,12,,,1,1,\n"),
        "blank cells stay empty"
    );
    let json = gongkai(
        dir.path(),
        &[
            "report", "export", &seed, "--table", "3", "--format", "json",
        ],
    );
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(value["rows"][0]["cells"][0], 8);
    // Table 二 of Pingtan has an ambiguous flattened row: refused unless --partial.
    let pingtan = testdata("2023-pingtan.txt");
    assert_bad_input(
        &gongkai(dir.path(), &["report", "export", &pingtan, "--table", "2"]),
        "--partial",
    );
    assert_eq!(
        gongkai(
            dir.path(),
            &["report", "export", &pingtan, "--table", "2", "--partial"]
        )
        .code,
        0
    );
    assert_bad_input(
        &gongkai(dir.path(), &["report", "export", &seed, "--table", "5"]),
        "--table",
    );
}

#[test]
fn report_render_round_trips_through_files() {
    let dir = tempfile::tempdir().unwrap();
    for format in ["md", "html", "json"] {
        let out = dir.path().join(format!("seed.{format}"));
        let out = out.display().to_string();
        let run = gongkai(
            dir.path(),
            &[
                "report",
                "render",
                &testdata("2023-pingtan.txt"),
                "--format",
                format,
                "-o",
                &out,
            ],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        let back = gongkai(dir.path(), &["report", "export", &out, "--table", "3"]);
        let original = gongkai(
            dir.path(),
            &[
                "report",
                "export",
                &testdata("2023-pingtan.txt"),
                "--table",
                "3",
            ],
        );
        assert_eq!(back.stdout, original.stdout, "{format}");
        let check = gongkai(dir.path(), &["report", "check", &out]);
        assert_eq!(check.code, 0, "{format}: {}", check.stdout);
    }
}

#[test]
fn report_lint_summarises_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let reports = dir.path().join("reports");
    std::fs::create_dir_all(reports.join("fragments")).unwrap();
    for name in [
        "2023-hedong-taiping.txt",
        "2023-pingtan.txt",
        "2019-shanghai-bgt-format2019.html",
        "fragments/011_FRAGMENT_shenji_flipbook_2020_pdftext_p9.txt",
    ] {
        std::fs::copy(testdata(name), reports.join(name)).unwrap();
    }
    std::fs::write(reports.join("broken.txt"), [0u8; 40]).unwrap();
    // The street office's report a year earlier, as a PDF: this year's text is last year's.
    let seed = std::fs::read_to_string(testdata("2023-hedong-taiping.txt")).unwrap();
    let last_year = dir.path().join("2022.txt");
    std::fs::write(
        &last_year,
        seed.replace("2023", "2022").replace("2024", "2023"),
    )
    .unwrap();
    let last_pdf = reports.join("2022-hedong-taiping.pdf");
    let render = gongkai(
        dir.path(),
        &[
            "report",
            "render",
            &last_year.display().to_string(),
            "--format",
            "pdf",
            "-o",
            &last_pdf.display().to_string(),
        ],
    );
    assert_eq!(render.code, 0, "{}", render.stderr);
    let csv = dir.path().join("findings.csv");
    let run = gongkai(
        dir.path(),
        &[
            "report",
            "lint",
            &reports.display().to_string(),
            "--out",
            &csv.display().to_string(),
            "--jobs",
            "2",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("共 6 份：已读取 5（一致 3，不一致 1，不完整 1），无法读取 1"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("PROSE_MISMATCH"));
    assert!(run.stdout.contains("COPIED_TEXT"), "{}", run.stdout);
    let written = std::fs::read_to_string(&csv).unwrap();
    assert!(written.starts_with(
        "file,document,status,severity,code,location,message,quote,fingerprint,place,standing,decision,reason,reviewer,date\n"
    ));
    assert!(written.contains("unreadable"));

    // A reviewer dismisses the copied-text finding in the file (as Excel would save it: with
    // a BOM and CRLF), and the next run shows only what is still open.
    let filled: Vec<String> = written
        .lines()
        .map(|line| {
            if line.contains("COPIED_TEXT") {
                let cut = line.trim_end_matches(',').trim_end_matches(',');
                let fields = line.matches(',').count() - cut.matches(',').count();
                assert!(fields >= 4, "{line}");
                format!("{cut},驳回,街道工作逐年延续，表述相同属正常,张三,2026-12-03")
            } else {
                line.to_string()
            }
        })
        .collect();
    let decisions = dir.path().join("decisions.csv");
    std::fs::write(&decisions, format!("\u{feff}{}\r\n", filled.join("\r\n"))).unwrap();
    // Who is under whom: a city whose report is 平潭's figures, over 平潭 and the street.
    let city = seed_or(&testdata("2023-pingtan.txt")).replace(
        "发布机构: 平潭综合实验区管委会办公室",
        "发布机构: 某市人民政府",
    );
    std::fs::write(reports.join("2023-city.txt"), city).unwrap();
    let parents = write(
        dir.path(),
        "parents.csv",
        "下级机关,上级机关\n平潭综合实验区管委会办公室,某市人民政府\n河东区太平街道,某市人民政府\n",
    );
    let (html, xlsx) = (
        dir.path().join("findings.html"),
        dir.path().join("findings.xlsx"),
    );
    let again = gongkai(
        dir.path(),
        &[
            "report",
            "lint",
            &reports.display().to_string(),
            "--decisions",
            &decisions.display().to_string(),
            "--parents",
            &parents,
            "--html",
            &html.display().to_string(),
            "--xlsx",
            &xlsx.display().to_string(),
            "--out",
            &csv.display().to_string(),
        ],
    );
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.stdout.contains("已驳回 3"), "{}", again.stdout);
    assert!(
        !again
            .stdout
            .lines()
            .any(|l| l.contains("COPIED_TEXT") && l.contains("新发现")),
        "{}",
        again.stdout
    );
    // The city counts fewer than 平潭 and the street together: an error on its rows.
    assert!(
        again
            .stdout
            .lines()
            .any(|l| l.contains("[新发现] 2023-city.txt") && l.contains("HIERARCHY_SUM")),
        "{}",
        again.stdout
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains("已驳回：街道工作逐年延续"),
        "decided findings shown folded"
    );
    assert!(page.contains("与下级之和不符"));
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
    // The file written again still holds the decision.
    let rewritten = std::fs::read_to_string(&csv).unwrap();
    assert!(
        rewritten.contains("dismissed,驳回,街道工作逐年延续"),
        "{rewritten}"
    );

    // A decision file with a mistake is refused before any work, saying where.
    let bad = write(
        dir.path(),
        "bad.csv",
        "fingerprint,decision\n0123456789abcdef,也许\n",
    );
    let refused = gongkai(
        dir.path(),
        &[
            "report",
            "lint",
            &reports.display().to_string(),
            "--decisions",
            &bad,
        ],
    );
    assert_ne!(refused.code, 0);
    assert!(
        refused.stderr.contains("第2行：结论“也许”无法识别"),
        "{}",
        refused.stderr
    );
    // A decisions file past 64 MB is refused before it is read in full.
    let huge = dir.path().join("huge.csv");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(65 * 1024 * 1024)
        .unwrap();
    let refused = gongkai(
        dir.path(),
        &[
            "report",
            "lint",
            &reports.display().to_string(),
            "--decisions",
            &huge.display().to_string(),
        ],
    );
    assert_ne!(refused.code, 0);
    assert!(refused.stderr.contains("超过64MB"), "{}", refused.stderr);
}

fn seed_or(path: &str) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn agencies_users_import_stats_and_audit() {
    let dir = tempfile::tempdir().unwrap();
    let ok = |args: &[&str]| {
        let run = gongkai(dir.path(), args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        run
    };
    ok(&["migrate"]);
    ok(&[
        "admin",
        "agency",
        "add",
        "district",
        "示例区人民政府",
        "--level",
        "区县级",
    ]);
    ok(&[
        "admin",
        "agency",
        "add",
        "demo",
        "示例区太平街道办事处",
        "--parent",
        "district",
    ]);
    let orphan = gongkai(
        dir.path(),
        &[
            "admin",
            "agency",
            "add",
            "x",
            "无上级",
            "--parent",
            "nowhere",
        ],
    );
    assert_eq!(orphan.code, 2);
    assert!(orphan.stderr.contains("nowhere"), "{}", orphan.stderr);
    ok(&[
        "admin",
        "user",
        "add",
        "clerk",
        "--agency",
        "demo",
        "--roles",
        "经办人,审核人",
    ]);
    assert_eq!(
        gongkai(
            dir.path(),
            &[
                "admin", "user", "add", "x", "--agency", "demo", "--roles", "校长"
            ]
        )
        .code,
        2
    );
    ok(&["admin", "user", "disable", "clerk"]);
    assert!(ok(&["admin", "user", "list"]).stdout.contains("停用"));

    let bad = write(
        dir.path(),
        "bad.csv",
        "申请编号,收到日期,申请人类型,答复日期,办理结果\nA-1,2023-02-30,自然人,2023-03-01,予以公开\nA-2,2023-03-01,自然人,2023-03-20,公开了\nA-2,2023-03-01,自然人,,\n",
    );
    let refused = gongkai(
        dir.path(),
        &["applications", "import", &bad, "--agency", "demo"],
    );
    assert_eq!(refused.code, 2);
    for expected in ["第2行", "第3行", "第4行", "全部未导入"] {
        assert!(
            refused.stderr.contains(expected),
            "{expected}: {}",
            refused.stderr
        );
    }
    let good = write(
        dir.path(),
        "seed-2023.csv",
        &std::iter::once("申请编号,收到日期,申请人类型,答复日期,办理结果".to_string())
            .chain((1..=8).map(|i| {
                let outcome = if i <= 6 {
                    "予以公开"
                } else {
                    "部分公开"
                };
                format!(
                    "2023-{i:03},2023-0{}-10,自然人,2023-0{}-25,{outcome}",
                    i % 9 + 1,
                    i % 9 + 1
                )
            }))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    let imported = ok(&["applications", "import", &good, "--agency", "demo"]);
    assert!(imported.stdout.contains("已导入 8 件"));
    // Written by an import job, its progress on stderr; the job is listed afterwards.
    assert!(
        imported.stderr.contains("已完成，已导入 8/8 件（100%）"),
        "{}",
        imported.stderr
    );
    let jobs = ok(&["imports", "list", "--agency", "demo"]).stdout;
    assert!(
        jobs.contains("历史申请\t已完成") && jobs.contains("seed-2023.csv"),
        "{jobs}"
    );
    assert!(ok(&["imports", "run"]).stdout.contains("完成 0 个导入任务"));
    let twice = gongkai(
        dir.path(),
        &["applications", "import", &good, "--agency", "demo"],
    );
    assert_eq!(twice.code, 2, "duplicates are refused, all or nothing");

    // Table 三 from the records equals the seed report's (8 from 自然人: 6 予以公开, 2 部分公开).
    let stats = ok(&[
        "applications",
        "stats",
        "--agency",
        "demo",
        "--year",
        "2023",
    ])
    .stdout;
    let seed = ok(&[
        "report",
        "export",
        &testdata("2023-hedong-taiping.txt"),
        "--table",
        "3",
    ])
    .stdout;
    assert_eq!(stats, seed);
    let rolled = ok(&[
        "applications",
        "stats",
        "--agency",
        "district",
        "--year",
        "2023",
        "--subtree",
    ])
    .stdout;
    assert_eq!(rolled, seed);

    let verify = ok(&["audit", "verify"]);
    assert!(verify.stdout.contains("完整"), "{}", verify.stdout);
}

#[test]
fn import_from_excel_with_date_cells() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        gongkai(
            dir.path(),
            &["admin", "agency", "add", "demo", "示例街道办事处"]
        )
        .code,
        0
    );
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (c, heading) in [
        "申请编号",
        "收到日期",
        "申请人类型",
        "答复日期",
        "办理结果",
        "申请方式",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, c as u16, *heading).unwrap();
    }
    // Row 2: real Excel dates; row 3: dates typed as text; row 4: still open.
    sheet.write_string(1, 0, "X-1").unwrap();
    sheet
        .write_datetime_with_format(1, 1, ExcelDateTime::from_ymd(2023, 2, 1).unwrap(), &date)
        .unwrap();
    sheet.write_string(1, 2, "商业企业").unwrap();
    sheet
        .write_datetime_with_format(1, 3, ExcelDateTime::from_ymd(2023, 2, 20).unwrap(), &date)
        .unwrap();
    sheet
        .write_string(1, 4, "本机关不掌握相关政府信息")
        .unwrap();
    sheet.write_string(1, 5, "挂号信").unwrap();
    for (c, value) in [
        "X-2",
        "2023-05-04",
        "自然人",
        "2023-05-30",
        "withheld_state_secret",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(2, c as u16, *value).unwrap();
    }
    for (c, value) in ["X-3", "2023-12-28", "法律服务机构", "", ""]
        .iter()
        .enumerate()
    {
        sheet.write_string(3, c as u16, *value).unwrap();
    }
    let path = dir.path().join("cases.xlsx");
    workbook.save(&path).unwrap();
    let run = gongkai(
        dir.path(),
        &[
            "applications",
            "import",
            &path.display().to_string(),
            "--agency",
            "demo",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let stats = gongkai(
        dir.path(),
        &[
            "applications",
            "stats",
            "--agency",
            "demo",
            "--year",
            "2023",
            "--format",
            "json",
        ],
    );
    let value: serde_json::Value = serde_json::from_str(&stats.stdout).unwrap();
    let row = |label: &str| {
        value["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["label"] == label)
            .unwrap()["cells"]
            .clone()
    };
    assert_eq!(row("一、本年新收政府信息公开申请数量")[6], 3);
    assert_eq!(row("（四）1.本机关不掌握相关政府信息")[1], 1, "商业企业");
    assert_eq!(
        row("（三）1.属于国家秘密")[0],
        1,
        "自然人, by the outcome's code"
    );
    assert_eq!(
        row("四、结转下年度继续办理")[4],
        1,
        "法律服务机构, still open"
    );
}

#[test]
fn letters_are_numbered_recorded_and_rendered() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        gongkai(
            dir.path(),
            &["admin", "agency", "add", "demo", "示例街道办事处"]
        )
        .code,
        0
    );
    let cases = write(
        dir.path(),
        "cases.csv",
        "申请编号,收到日期,申请人类型,答复日期,办理结果,申请人,申请内容\n2024-017,2024-09-27,自然人,2024-10-11,部分公开,张三,老旧小区改造资金\n",
    );
    assert_eq!(
        gongkai(
            dir.path(),
            &["applications", "import", &cases, "--agency", "demo"]
        )
        .code,
        0
    );
    let out = |name: &str| dir.path().join(name).display().to_string();
    let unready = gongkai(
        dir.path(),
        &[
            "applications",
            "letter",
            "--agency",
            "demo",
            "--number",
            "2024-017",
            "--kind",
            "answer",
            "-o",
            &out("a.html"),
            "--format",
            "html",
        ],
    );
    assert_eq!(unready.code, 2);
    assert!(
        unready.stderr.contains("--letter-prefix"),
        "{}",
        unready.stderr
    );
    let set = gongkai(
        dir.path(),
        &[
            "admin",
            "agency",
            "set",
            "demo",
            "--letter-prefix",
            "太政公",
            "--reconsideration-body",
            "示例区人民政府",
            "--court",
            "示例区人民法院",
        ],
    );
    assert_eq!(set.code, 0, "{}", set.stderr);
    // What the statute leaves to the agency is set here too, and shown.
    let rules = gongkai(
        dir.path(),
        &[
            "admin",
            "agency",
            "set",
            "demo",
            "--supplement-period",
            "10",
            "--one-person-office",
            "true",
            "--reconsideration-first",
            "unavailable_not_held",
        ],
    );
    assert_eq!(rules.code, 0, "{}", rules.stderr);
    for shown in [
        "补正期限：10个工作日",
        "一人办理：是",
        "另列为先行复议：本机关不掌握相关政府信息",
    ] {
        assert!(rules.stdout.contains(shown), "{shown}: {}", rules.stdout);
    }
    for (flag, value) in [
        ("--supplement-period", "0"),
        ("--reconsideration-first", "no_such_outcome"),
    ] {
        let bad = gongkai(dir.path(), &["admin", "agency", "set", "demo", flag, value]);
        assert_bad_input(&bad, flag);
    }
    for (i, format) in ["html", "docx", "html"].iter().enumerate() {
        let run = gongkai(
            dir.path(),
            &[
                "applications",
                "letter",
                "--agency",
                "demo",
                "--number",
                "2024-017",
                "--kind",
                "answer",
                "--format",
                format,
                "-o",
                &out(&format!("a{i}.{format}")),
                "--date",
                "2024-10-11",
            ],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stdout.contains(&format!("太政公复〔2024〕{}号", i + 1)),
            "{}",
            run.stdout
        );
    }
    let page = std::fs::read_to_string(out("a2.html")).unwrap();
    for expected in [
        "政府信息公开申请答复书",
        "太政公复〔2024〕3号",
        "张三：",
        "第三十七条",
        "60日内向示例区人民政府申请行政复议",
        "6个月内向示例区人民法院提起行政诉讼",
    ] {
        assert!(page.contains(expected), "{expected}");
    }
    // An edited template is checked before it is kept.
    let bad = write(dir.path(), "bad.txt", "{姓名}您好");
    assert_eq!(
        gongkai(
            dir.path(),
            &[
                "admin", "agency", "template", "demo", "receipt", "--file", &bad
            ]
        )
        .code,
        2
    );
    let good = write(
        dir.path(),
        "good.txt",
        "{申请人}：您的申请{申请编号}已登记。",
    );
    assert_eq!(
        gongkai(
            dir.path(),
            &[
                "admin", "agency", "template", "demo", "receipt", "--file", &good
            ]
        )
        .code,
        0
    );
    let receipt = gongkai(
        dir.path(),
        &[
            "applications",
            "letter",
            "--agency",
            "demo",
            "--number",
            "2024-017",
            "--kind",
            "receipt",
            "--format",
            "html",
            "-o",
            &out("r.html"),
            "--date",
            "2024-09-27",
        ],
    );
    assert_eq!(receipt.code, 0);
    assert!(
        std::fs::read_to_string(out("r.html"))
            .unwrap()
            .contains("张三：您的申请2024-017已登记。")
    );
    assert!(
        gongkai(dir.path(), &["audit", "verify"])
            .stdout
            .contains("完整")
    );
}

/// Issue #14: the sparse workbook (A1 and XFD1048575) aborted the import with exit 134 trying
/// to allocate 549 GB; it is refused as bad input (exit 2), naming the far cell.
#[test]
fn a_sparse_workbook_is_refused_not_allocated() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        gongkai(
            dir.path(),
            &["admin", "agency", "add", "demo", "示例街道办事处"]
        )
        .code,
        0
    );
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "申请编号").unwrap();
    sheet.write_string(1_048_574, 16_383, "x").unwrap();
    let path = dir.path().join("bomb.xlsx");
    workbook.save(&path).unwrap();
    let run = gongkai(
        dir.path(),
        &[
            "applications",
            "import",
            &path.display().to_string(),
            "--agency",
            "demo",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("第1048575行第16384列超出"),
        "{}",
        run.stderr
    );
}

/// Issue #14: `gongkai … | head` used to panic (exit 101) when the pipe closed; a full disk
/// (/dev/full) the same. Now one line on stderr and exit 1.
#[test]
fn closed_or_full_output_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["calendar", "show", "2024"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("输出已被关闭") && !stderr.contains("panicked"),
        "{stderr}"
    );

    if let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") {
        let output = Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .arg("--data-dir")
            .arg(dir.path())
            .args(["calendar", "show", "2024"])
            .stdout(full)
            .output()
            .unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("无法写出结果"), "{stderr}");
    }
}

/// Issue #14: backup and restore (SQLite): a consistent copy with a manifest; restore checks
/// the audit chain against the manifest, refuses to overwrite without --force, rebuilds search.
#[test]
fn backup_and_restore_round_trip() {
    let data = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let backup = elsewhere.path().join("backup");
    assert_eq!(
        gongkai(
            data.path(),
            &["admin", "agency", "add", "demo", "示例街道办事处"]
        )
        .code,
        0
    );
    let cases = write(
        data.path(),
        "cases.csv",
        "申请编号,收到日期,申请人类型,答复日期,办理结果\nA-1,2023-02-01,自然人,2023-02-20,予以公开\nA-2,2023-03-01,商业企业,,\n",
    );
    assert_eq!(
        gongkai(
            data.path(),
            &["applications", "import", &cases, "--agency", "demo"]
        )
        .code,
        0
    );
    let made = gongkai(data.path(), &["backup", &backup.display().to_string()]);
    assert_eq!(made.code, 0, "{}", made.stderr);
    assert!(made.stdout.contains("2 件申请"), "{}", made.stdout);
    let again = gongkai(data.path(), &["backup", &backup.display().to_string()]);
    assert_eq!(again.code, 2, "a backup never overwrites another");

    let restored_dir = elsewhere.path().join("restored");
    let restored = gongkai(&restored_dir, &["restore", &backup.display().to_string()]);
    assert_eq!(restored.code, 0, "{}", restored.stderr);
    assert!(restored.stdout.contains("哈希链完整") && restored.stdout.contains("检索索引"));
    let stats = |dir: &Path| {
        gongkai(
            dir,
            &[
                "applications",
                "stats",
                "--agency",
                "demo",
                "--year",
                "2023",
                "--format",
                "json",
            ],
        )
        .stdout
    };
    assert_eq!(stats(&restored_dir), stats(data.path()));
    assert_eq!(gongkai(&restored_dir, &["audit", "verify"]).code, 0);
    let twice = gongkai(&restored_dir, &["restore", &backup.display().to_string()]);
    assert_bad_input(&twice, "--force");
    assert_eq!(
        gongkai(
            &restored_dir,
            &["restore", &backup.display().to_string(), "--force"]
        )
        .code,
        0
    );

    // A manifest that does not match what the backup holds: nothing is restored.
    let manifest = backup.join("manifest.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let forged = text.replacen("\"audit_head\": \"", "\"audit_head\": \"0", 1);
    std::fs::write(&manifest, forged).unwrap();
    let fresh = elsewhere.path().join("fresh");
    let refused = gongkai(&fresh, &["restore", &backup.display().to_string()]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(refused.stderr.contains("不一致"), "{}", refused.stderr);
    assert!(
        !fresh.join("gongkai.sqlite3").exists(),
        "nothing was put in place"
    );
}

/// API tokens from the CLI: named, expiring, listed by id, revoked.
#[test]
fn tokens_are_created_listed_and_revoked() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        gongkai(
            dir.path(),
            &["admin", "agency", "add", "demo", "示例街道办事处"]
        )
        .code,
        0
    );
    let add = gongkai(
        dir.path(),
        &[
            "admin",
            "user",
            "add",
            "clerk",
            "--agency",
            "demo",
            "--roles",
            "经办人",
        ],
    );
    assert_eq!(add.code, 0, "{}", add.stderr);
    let made = gongkai(
        dir.path(),
        &[
            "admin",
            "token",
            "create",
            "--user",
            "clerk",
            "--name",
            "统计报送",
            "--days",
            "30",
        ],
    );
    assert_eq!(made.code, 0, "{}", made.stderr);
    assert!(made.stdout.trim().starts_with("gk_") && made.stderr.contains("有效期至"));
    let too_long = gongkai(
        dir.path(),
        &[
            "admin", "token", "create", "--user", "clerk", "--days", "9999",
        ],
    );
    assert_bad_input(&too_long, "--days");
    let list = gongkai(dir.path(), &["admin", "token", "list", "--user", "clerk"]);
    assert!(list.stdout.contains("统计报送"), "{}", list.stdout);
    let id = list.stdout.split('\t').next().unwrap().trim().to_string();
    let revoked = gongkai(
        dir.path(),
        &["admin", "token", "revoke", "--user", "clerk", &id],
    );
    assert_eq!(revoked.code, 0, "{}", revoked.stderr);
    assert!(
        gongkai(dir.path(), &["admin", "token", "list", "--user", "clerk"])
            .stdout
            .contains("没有接口令牌")
    );
    assert_eq!(
        gongkai(
            dir.path(),
            &["admin", "token", "revoke", "--user", "clerk", &id]
        )
        .code,
        2
    );
}

/// Rewrites audit entry `seq` in the SQLite file as an intruder with the database would, then
/// reseals it and every later entry so that the chain alone still verifies.
fn rewrite_and_reseal(data_dir: &Path, seq: i64) {
    use gongkai_domain::audit::{AuditRecord, seal};
    use sqlx::{Connection, Row};
    let url = format!("sqlite://{}", data_dir.join("gongkai.sqlite3").display());
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let mut db = sqlx::SqliteConnection::connect(&url).await.unwrap();
            let rows = sqlx::query("SELECT seq, at, agency, actor, action, subject, before, after, prev_hash FROM audit_log WHERE seq >= $1 ORDER BY seq")
                .bind(seq)
                .fetch_all(&mut db)
                .await
                .unwrap();
            let mut previous: String = rows[0].get(8);
            for row in rows {
                let seq: i64 = row.get(0);
                let mut record = AuditRecord {
                    at: row.get(1),
                    agency: row.get(2),
                    actor: row.get(3),
                    action: row.get(4),
                    subject: row.get(5),
                    before: serde_json::from_str(row.get(6)).unwrap(),
                    after: serde_json::from_str(row.get(7)).unwrap(),
                };
                if record.actor != "intruder" && previous == row.get::<String, _>(8) {
                    record.actor = "intruder".into();
                }
                let hash = seal(seq as u64, &previous, &record);
                sqlx::query("UPDATE audit_log SET actor = $1, prev_hash = $2, hash = $3 WHERE seq = $4")
                    .bind(&record.actor)
                    .bind(&previous)
                    .bind(&hash)
                    .bind(seq)
                    .execute(&mut db)
                    .await
                    .unwrap();
                previous = hash;
            }
        });
}

/// Issue #14: a signed anchor proves nothing before it was rewritten, even by someone who
/// recomputed every hash after the change.
#[test]
fn an_anchor_proves_the_log_was_not_rewritten_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| gongkai(dir.path(), args);
    for code in ["demo", "other"] {
        assert_eq!(
            run(&["admin", "agency", "add", code, "示例街道办事处"]).code,
            0
        );
    }
    let anchor = dir.path().join("anchor-1.json");
    let anchor = anchor.to_str().unwrap();
    let signed = run(&["audit", "anchor", "--out", anchor]);
    assert_eq!(signed.code, 0, "{}", signed.stderr);
    assert!(signed.stdout.contains("第 2 条"), "{}", signed.stdout);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let key = dir.path().join("keys/audit-anchor.key");
        let mode = std::fs::metadata(key).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the key is its owner's only: {mode:o}");
    }
    assert_eq!(
        run(&["audit", "anchor", "--out", anchor]).code,
        2,
        "an anchor is never replaced"
    );
    assert_eq!(
        run(&["admin", "agency", "add", "third", "第三街道"]).code,
        0
    );
    let later = run(&["audit", "verify", "--anchor", anchor]);
    assert_eq!(later.code, 0, "{}{}", later.stdout, later.stderr);
    assert!(later.stdout.contains("未被改写"), "{}", later.stdout);

    rewrite_and_reseal(dir.path(), 1);
    let chain_only = run(&["audit", "verify"]);
    assert_eq!(
        chain_only.code, 0,
        "resealed, the chain alone cannot tell: {}",
        chain_only.stdout
    );
    let against = run(&["audit", "verify", "--anchor", anchor]);
    assert_eq!(against.code, 1, "{}", against.stdout);
    assert!(against.stdout.contains("被改写"), "{}", against.stdout);

    // The anchor itself cannot be edited to fit, nor made with another key.
    let text = std::fs::read_to_string(anchor).unwrap();
    let edited = write(
        dir.path(),
        "edited.json",
        &text.replace("\"seq\": 2", "\"seq\": 3"),
    );
    assert_bad_input(&run(&["audit", "verify", "--anchor", &edited]), "--anchor");
    let other_key = dir.path().join("other.key");
    let forged = dir.path().join("forged.json");
    let made = run(&[
        "audit",
        "anchor",
        "--key",
        other_key.to_str().unwrap(),
        "--out",
        forged.to_str().unwrap(),
    ]);
    assert_eq!(made.code, 0, "{}", made.stderr);
    assert_bad_input(
        &run(&["audit", "verify", "--anchor", forged.to_str().unwrap()]),
        "--anchor",
    );
    assert_bad_input(
        &run(&["audit", "verify", "--anchor", anchor, "--public-key", "xyz"]),
        "--public-key",
    );
    // Files past their size are refused before they are read.
    let big = write(dir.path(), "big.json", &" ".repeat(5_000));
    assert_bad_input(&run(&["audit", "verify", "--anchor", &big]), "--anchor");
    let big_key = write(dir.path(), "big.key", &"0".repeat(5_000));
    assert_bad_input(
        &run(&["audit", "verify", "--anchor", anchor, "--key", &big_key]),
        "--key",
    );
}
