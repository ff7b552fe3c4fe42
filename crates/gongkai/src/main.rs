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
    let cli = Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("{failure}");
            failure.exit_code()
        }
    }
}
