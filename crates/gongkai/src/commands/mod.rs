//! One module per command; each parses its arguments, calls the pure crates and prints.

mod calendar;
mod deadline;
mod fee;
mod report;

use std::process::ExitCode;

use gongkai_law::RuleViolation;

use crate::{
    cli::{Cli, Command},
    failure::Failure,
};

pub fn run(cli: Cli) -> Result<ExitCode, Failure> {
    match cli.command {
        Command::Calendar(command) => calendar::run(&cli.data_dir, command),
        Command::Deadline { file, json, today } => {
            deadline::run(&cli.data_dir, &file, json, today.as_deref())
        }
        Command::Fee { items, pages, json } => fee::run(items.as_deref(), pages.as_deref(), json),
        Command::Report(command) => report::run(command),
    }
}

/// A whole number ≥ 0 given on the command line, refused with the field's name otherwise.
pub fn parse_count(field: &str, text: &str) -> Result<u32, RuleViolation> {
    let trimmed = text.trim();
    if let Ok(n) = trimmed.parse::<i64>() {
        if n < 0 {
            return Err(RuleViolation::new(
                field,
                format!("不能为负数（此处为 {n}）"),
                format!("must not be negative (got {n})"),
            ));
        }
        if let Ok(n) = u32::try_from(n) {
            return Ok(n);
        }
    }
    Err(RuleViolation::new(
        field,
        format!("应为非负整数，「{text}」不是"),
        format!("must be a whole number ≥ 0, not \"{text}\""),
    ))
}

/// Reads an input file; a missing or unreadable file is bad input (exit 2), named.
pub fn read_input(path: &std::path::Path) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| {
        RuleViolation::new(
            "FILE",
            format!("无法读取文件 {}：{}", path.display(), io_reason_zh(&e)),
            format!("cannot read {}: {e}", path.display()),
        )
        .into()
    })
}

fn io_reason_zh(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::NotFound => "文件不存在",
        std::io::ErrorKind::PermissionDenied => "没有读取权限",
        std::io::ErrorKind::InvalidData => "不是 UTF-8 文本",
        _ => "读取失败",
    }
}
