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
