//! `gongkai` — the one binary: CLI today, server later (issue 5).

mod cli;
mod commands;
mod data_dir;
mod failure;
mod input;
mod store;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::Cli;

fn main() -> ExitCode {
    output_failures_are_errors();
    let cli = Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("{failure}");
            failure.exit_code()
        }
    }
}

/// `println!` panics when standard output is gone (`gongkai … | head`) or the disk is full;
/// that becomes one line on stderr and exit status 1 instead of a panic trace and 101.
fn output_failures_are_errors() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.starts_with("failed printing to stdout") {
            let why = if message.contains("Broken pipe") || message.contains("os error 32") {
                "输出已被关闭（如管道的读取端已退出），其余结果未输出"
            } else {
                "无法写出结果（磁盘已满或输出不可写）"
            };
            let _ = std::io::Write::write_all(
                &mut std::io::stderr(),
                format!("错误 error: {why} — {message}\n").as_bytes(),
            );
            std::process::exit(1);
        }
        default(info);
    }));
}
