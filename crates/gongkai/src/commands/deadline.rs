use std::{path::Path, process::ExitCode};

use gongkai_law::{AnswerClock, Deadline, date::weekday_zh, parse_date};
use serde_json::json;

use super::{calendar::provisional_warning, read_input};
use crate::{data_dir::load_calendar, failure::Failure};

pub fn run(
    data_dir: &Path,
    file: &Path,
    as_json: bool,
    today: Option<&str>,
) -> Result<ExitCode, Failure> {
    let today = today.map(|t| parse_date("--today", t)).transpose()?;
    let clock = AnswerClock::from_json(&read_input(file)?)?;
    let calendar = load_calendar(data_dir)?;
    let deadline = clock.deadline(&calendar, today)?;
    if as_json {
        println!(
            "{}",
            serde_json::to_string_pretty(&to_json(&deadline)).expect("JSON values serialize")
        );
    } else {
        print!("{}", explain(&deadline, today));
    }
    if deadline.is_provisional() {
        eprintln!("{}", provisional_warning(&deadline.provisional_years));
    }
    Ok(ExitCode::SUCCESS)
}

fn to_json(deadline: &Deadline) -> serde_json::Value {
    json!({
        "due": deadline.due.map(|d| d.to_string()),
        "provisional": deadline.is_provisional(),
        "provisional_years": deadline.provisional_years,
        "working_days": deadline.working_days,
        "working_days_left": deadline.working_days_left,
        "state": deadline.state.code(),
        "started": deadline.started.to_string(),
        "steps": deadline.steps.iter().map(|s| json!({
            "date": s.date.to_string(),
            "event": s.event.map(|e| e.code()),
            "article": s.article,
            "text": s.text,
            "due": s.due.map(|d| d.to_string()),
        })).collect::<Vec<_>>(),
    })
}

fn explain(deadline: &Deadline, today: Option<gongkai_law::Date>) -> String {
    let mut out = String::new();
    match deadline.due {
        Some(due) => out.push_str(&format!(
            "答复期限：{due}（{}）{}\n",
            weekday_zh(due),
            if deadline.is_provisional() {
                "【暂定】"
            } else {
                ""
            }
        )),
        None => out.push_str("答复期限：暂未确定\n"),
    }
    out.push_str(&format!("状态：{}\n", deadline.state.label()));
    out.push_str(&format!(
        "期限：自{}起{}个工作日{}\n",
        deadline.started,
        deadline.working_days,
        if deadline.working_days > 20 {
            "（已延期）"
        } else {
            ""
        }
    ));
    if let (Some(left), Some(today)) = (deadline.working_days_left, today) {
        if left >= 0 {
            out.push_str(&format!("截至{today}剩余：{left}个工作日\n"));
        } else {
            out.push_str(&format!("截至{today}已逾期：{}个工作日\n", -left));
        }
    }
    out.push_str("计算过程：\n");
    for (i, step) in deadline.steps.iter().enumerate() {
        out.push_str(&format!("{}. [{}] {}\n", i + 1, step.article, step.text));
    }
    out
}
