//! One module per command; each parses its arguments, calls the pure crates and prints.

mod admin;
mod applications;
mod audit;
mod backup;
mod bench;
mod calendar;
mod deadline;
mod fee;
mod imports;
mod province;
mod report;
mod search;
mod serve;

use std::process::ExitCode;

use gongkai_law::RuleViolation;

use crate::{
    cli::{
        AdminCommand, ApplicationsCommand, AuditCommand, BenchCommand, Cli, Command,
        ImportsCommand, SearchCommand,
    },
    failure::Failure,
    store::{Installed, with_store},
};

/// Commands that work on the database.
enum StoreWork {
    Migrate,
    Reindex(std::path::PathBuf),
    Admin(AdminCommand),
    Applications(ApplicationsCommand),
    Audit(AuditCommand, std::path::PathBuf),
    Bench(BenchCommand),
    Imports(ImportsCommand),
}

impl StoreWork {
    async fn run<S: Installed>(
        self,
        store: &S,
        calendar: &gongkai_law::WorkingCalendar,
    ) -> Result<ExitCode, Failure> {
        match self {
            Self::Migrate => {
                println!("数据库已是最新结构。");
                Ok(ExitCode::SUCCESS)
            }
            Self::Reindex(data_dir) => search::run_reindex(store, &data_dir).await,
            Self::Admin(command) => admin::run(store, command).await,
            Self::Applications(command) => applications::run(store, command, calendar).await,
            Self::Audit(command, data_dir) => audit::run(store, command, &data_dir).await,
            Self::Bench(BenchCommand::Province {
                agencies,
                publications,
                applications,
            }) => province::run(store, agencies, publications, applications).await,
            Self::Bench(command) => bench::run(store, command).await,
            Self::Imports(command) => imports::run(store, command).await,
        }
    }
}

/// Who the command line acts as, for the audit log.
pub fn cli_stamp() -> gongkai_domain::store::Stamp {
    let user = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
    gongkai_domain::store::Stamp {
        actor: format!("命令行:{user}"),
        at: jiff::Timestamp::now(),
    }
}

/// A store error as a failure: refusals are bad input (exit 2), database trouble exit 1.
pub fn store_failure(e: gongkai_domain::store::StoreError) -> Failure {
    match e {
        gongkai_domain::store::StoreError::Domain(d) => Failure::Refused(d.to_string()),
        other => Failure::io("数据库错误", other),
    }
}

pub fn run(cli: Cli) -> Result<ExitCode, Failure> {
    let data_dir = cli.data_dir.clone();
    let database_url = cli.database_url.clone();
    let on_store = |work: StoreWork| -> Result<ExitCode, Failure> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Failure::io("无法启动运行时", e))?;
        let calendar = crate::data_dir::load_calendar(&data_dir)?;
        runtime.block_on(async {
            let opened = crate::store::open(&data_dir, database_url.as_deref()).await?;
            with_store!(opened, store => work.run(&store, &calendar).await)
        })
    };
    match cli.command {
        Command::Migrate => on_store(StoreWork::Migrate),
        Command::Search(SearchCommand::Reindex) => {
            on_store(StoreWork::Reindex(cli.data_dir.clone()))
        }
        Command::Serve {
            bind,
            demo,
            secure_cookies,
            public_per_minute,
            public_per_day,
            applicant_per_day,
            login_per_minute,
            site_agency,
            trusted_proxies,
            kiosk,
            kiosk_idle,
        } => serve::run(
            &data_dir,
            database_url.as_deref(),
            &bind,
            demo,
            serve::Limits {
                secure_cookies,
                public_per_minute,
                public_per_day,
                applicant_per_day,
                login_per_minute,
                site_agency,
                trusted_proxies,
                kiosk,
                kiosk_idle,
            },
        ),
        Command::Admin(command) => on_store(StoreWork::Admin(command)),
        Command::Applications(command) => on_store(StoreWork::Applications(command)),
        Command::Audit(command) => on_store(StoreWork::Audit(command, cli.data_dir.clone())),
        Command::Bench(command) => on_store(StoreWork::Bench(command)),
        Command::Imports(command) => on_store(StoreWork::Imports(command)),
        Command::Calendar(command) => calendar::run(&cli.data_dir, command),
        Command::Deadline { file, json, today } => {
            deadline::run(&cli.data_dir, &file, json, today.as_deref())
        }
        Command::Fee { items, pages, json } => fee::run(items.as_deref(), pages.as_deref(), json),
        Command::Report(command) => report::run(command),
        Command::Backup { dir } => block_on(async {
            match crate::store::open(&data_dir, database_url.as_deref()).await? {
                crate::store::Opened::Sqlite(store) => {
                    backup::backup_sqlite(&store, &data_dir, &dir).await
                }
                crate::store::Opened::Postgres(store) => {
                    let url = database_url
                        .as_deref()
                        .expect("PostgreSQL comes from a URL");
                    backup::backup_postgres(&store, url, &data_dir, &dir).await
                }
            }
        }),
        Command::Restore { dir, force } => block_on(async {
            match database_url.as_deref() {
                None => backup::restore_sqlite(&data_dir, &dir, force).await,
                Some(url) => match crate::store::open(&data_dir, Some(url)).await? {
                    crate::store::Opened::Postgres(store) => {
                        backup::restore_postgres(&store, url, &data_dir, &dir, force).await
                    }
                    crate::store::Opened::Sqlite(_) => unreachable!("a URL opens PostgreSQL"),
                },
            }
        }),
    }
}

fn block_on(
    work: impl std::future::Future<Output = Result<ExitCode, Failure>>,
) -> Result<ExitCode, Failure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::io("无法启动运行时", e))?
        .block_on(work)
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
        format!(
            "应为非负整数，「{text}」不是",
            text = gongkai_law::excerpt(text)
        ),
        format!("must be a whole number ≥ 0, not \"{text}\""),
    ))
}

/// Reads an input file's bytes; a missing or unreadable file is bad input (exit 2).
pub fn read_input_bytes(path: &std::path::Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| {
        RuleViolation::new(
            "FILE",
            format!("无法读取文件 {}：{}", path.display(), io_reason_zh(&e)),
            format!("cannot read {}: {e}", path.display()),
        )
        .into()
    })
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
