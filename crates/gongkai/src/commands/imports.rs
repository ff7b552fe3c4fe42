//! `gongkai imports list|run`, and following a job to its end with its progress on stderr
//! (what `applications import` does after checking its file).

use std::process::ExitCode;

use gongkai_domain::{
    AgencyCode, DomainError,
    imports::{self, ImportJob, ImportState},
    store::Store,
};
use jiff::Timestamp;

use super::store_failure;
use crate::{cli::ImportsCommand, failure::Failure};

pub async fn run<S: Store>(store: &S, command: ImportsCommand) -> Result<ExitCode, Failure> {
    match command {
        ImportsCommand::List { agency } => {
            let agency = AgencyCode::parse(&agency).map_err(|e| Failure::Refused(e.to_string()))?;
            let jobs = store
                .import_jobs(&agency, 50)
                .await
                .map_err(store_failure)?;
            if jobs.is_empty() {
                println!("{agency} 还没有导入任务。");
            }
            for job in &jobs {
                println!(
                    "{}\t{}\t{}\t{}\t{}{}",
                    job.id,
                    job.kind.label(),
                    job.state.label(),
                    job.progress(),
                    job.file_name,
                    job.message
                        .as_deref()
                        .map(|m| format!("\t{m}"))
                        .unwrap_or_default()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        ImportsCommand::Run => {
            let finished =
                imports::run_pending(store, &runner_name(), Timestamp::now, report, rest)
                    .await
                    .map_err(store_failure)?;
            println!("完成 {finished} 个导入任务。");
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// This process as an import runner (its leases carry the name).
fn runner_name() -> String {
    format!(
        "cli-{}-{}",
        std::process::id(),
        Timestamp::now().as_nanosecond()
    )
}

/// A pause after each piece: a server on the same SQLite database polls for the write lock
/// (at most every 100 ms), and a command that took it again at once would keep it waiting.
pub fn rest() -> tokio::time::Sleep {
    tokio::time::sleep(std::time::Duration::from_millis(100))
}

/// A line on stderr at the start, every tenth of the way and at the end.
fn report(job: &ImportJob) {
    let step = (job.total / 10).max(1);
    let piece = u64::from(imports::PIECE);
    if job.state != ImportState::Running
        || job.done == 0
        || job.done / step != job.done.saturating_sub(piece) / step
    {
        eprintln!(
            "导入任务 {}（{}）：{}，{}",
            job.id,
            job.kind.label(),
            job.state.label(),
            job.progress()
        );
    }
}

/// Applies `job` (and any other waiting one) until it ends; when a server holds it, waits
/// and reports what the server has done. Returns the job as it ended.
pub async fn follow<S: Store>(store: &S, job: &ImportJob) -> Result<ImportJob, Failure> {
    let runner = runner_name();
    let mut last_done = None;
    loop {
        imports::run_pending(store, &runner, Timestamp::now, report, rest)
            .await
            .map_err(store_failure)?;
        let current = store
            .import_job(&job.agency, job.id)
            .await
            .map_err(store_failure)?
            .ok_or_else(|| {
                Failure::Refused(
                    DomainError::NotFound(format!("导入任务 {} 不见了", job.id)).to_string(),
                )
            })?;
        if current.state.finished() {
            return Ok(current);
        }
        // Another runner (a server) holds it; its lease runs out if it stops, and then this
        // process takes the job over.
        if last_done != Some(current.done) {
            eprintln!(
                "导入任务 {} 由服务器写入中：{}",
                current.id,
                current.progress()
            );
            last_done = Some(current.done);
        }
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
}
