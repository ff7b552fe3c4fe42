//! `gongkai backup DIR` and `gongkai restore DIR [--force]`.
//!
//! A backup is a directory: `manifest.json` (what it holds: database kind, counts, the head of
//! the audit chain), the database — SQLite as a consistent online copy (`VACUUM INTO`, the
//! attachments are inside), PostgreSQL as a `pg_dump` custom-format archive — and the holiday
//! notices of the data directory. The search index is not copied: a restore rebuilds it. A
//! restore checks the audit chain of what it restores before putting it in place, refuses to
//! overwrite a database that holds records unless `--force`, and rebuilds search.

use std::{
    fs,
    path::{Path, PathBuf},
    process::ExitCode,
};

use gongkai_domain::{audit, store::Store};
use gongkai_law::RuleViolation;
use gongkai_store::SqliteStore;
use serde_json::json;

use super::search::run_reindex;
use crate::{
    failure::Failure,
    store::{INDEX_DIR, SQLITE_FILE},
};

const MANIFEST: &str = "manifest.json";
const FORMAT: &str = "gongkai-backup-1";
const PG_DUMP: &str = "gongkai.pgdump";

fn bad(field: &str, zh: String, en: &str) -> Failure {
    RuleViolation::new(field, zh, en).into()
}

fn io(what: String) -> impl FnOnce(std::io::Error) -> Failure {
    move |e| Failure::io(what, e)
}

/// The whole audit chain checked a piece at a time: its head, or where it breaks.
async fn checked_chain<S: Store>(
    store: &S,
    unreadable: &str,
) -> Result<Result<audit::ChainHead, audit::Broken>, Failure> {
    let (head, verdict) =
        gongkai_domain::store::check_audit_chain(store, audit::ChainHead::default(), |_| {})
            .await
            .map_err(|e| Failure::io(unreadable, e))?;
    Ok(verdict.map(|()| head))
}

/// What the backup holds, written last: a directory without it is not a backup.
async fn manifest<S: Store>(store: &S, database: &str) -> Result<serde_json::Value, Failure> {
    let head = checked_chain(store, "无法读取审计日志")
        .await?
        .map_err(|broken| {
            Failure::Refused(format!(
                "审计日志第 {} 条起哈希链断裂（{}）：先查明原因，再备份",
                broken.seq, broken.reason
            ))
        })?;
    let agencies = store
        .agencies()
        .await
        .map_err(|e| Failure::io("无法读取机关", e))?;
    let mut applications = 0;
    // Counted from the indexed columns (`case_facts`), not by reading every case whole.
    for agency in &agencies {
        applications += store
            .case_facts(&agency.code, gongkai_law::date::LAST_YEAR)
            .await
            .map_err(|e| Failure::io("无法读取申请", e))?
            .len();
    }
    Ok(json!({
        "format": FORMAT,
        "created_at": jiff::Timestamp::now().to_string(),
        "database": database,
        "agencies": agencies.len(),
        "applications": applications,
        "audit_entries": head.seq,
        "audit_head": (head.seq > 0).then_some(head.hash),
        "search_index": "not copied: rebuilt by gongkai restore",
    }))
}

fn fresh_dir(dir: &Path) -> Result<(), Failure> {
    if dir.exists()
        && fs::read_dir(dir)
            .map_err(io(format!("无法读取 {}", dir.display())))?
            .next()
            .is_some()
    {
        return Err(bad(
            "DIR",
            format!("{} 已存在且不是空目录：请指定新的备份目录", dir.display()),
            "the backup directory must be new or empty",
        ));
    }
    fs::create_dir_all(dir).map_err(io(format!("无法创建 {}", dir.display())))
}

fn copy_calendar(from: &Path, to: &Path) -> Result<usize, Failure> {
    let source = from.join("calendar");
    let Ok(entries) = fs::read_dir(&source) else {
        return Ok(0);
    };
    fs::create_dir_all(to.join("calendar")).map_err(io(format!("无法创建 {}", to.display())))?;
    let mut copied = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|x| x == "json") {
            let target = to.join("calendar").join(entry.file_name());
            fs::copy(&path, &target).map_err(io(format!("无法复制 {}", path.display())))?;
            copied += 1;
        }
    }
    Ok(copied)
}

fn write_manifest(dir: &Path, manifest: &serde_json::Value) -> Result<(), Failure> {
    let path = dir.join(MANIFEST);
    let text = serde_json::to_string_pretty(manifest).expect("JSON values serialize");
    fs::write(&path, text).map_err(io(format!("无法写入 {}", path.display())))
}

fn read_manifest(dir: &Path) -> Result<serde_json::Value, Failure> {
    let path = dir.join(MANIFEST);
    let text = fs::read_to_string(&path).map_err(|_| {
        bad(
            "DIR",
            format!(
                "{} 中没有 {MANIFEST}：不是 gongkai backup 生成的备份，或备份未完成",
                dir.display()
            ),
            "not a complete gongkai backup",
        )
    })?;
    let manifest: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        bad(
            "DIR",
            format!("{} 无法读取：{e}", path.display()),
            "unreadable manifest",
        )
    })?;
    if manifest["format"] != FORMAT {
        return Err(bad(
            "DIR",
            format!("{} 的格式不是 {FORMAT}", path.display()),
            "unknown backup format",
        ));
    }
    Ok(manifest)
}

fn run_tool(program: &str, args: &[&str], what: &str) -> Result<(), Failure> {
    let output = std::process::Command::new(program)
        .args(args)
        .output()
        .map_err(|e| {
            Failure::io(
                format!("无法运行 {program}（请安装 PostgreSQL 客户端工具）"),
                e,
            )
        })?;
    if output.status.success() {
        Ok(())
    } else {
        Err(Failure::io(
            format!("{what}失败"),
            String::from_utf8_lossy(&output.stderr).trim().to_string(),
        ))
    }
}

pub async fn backup_sqlite(
    store: &SqliteStore,
    data_dir: &Path,
    dir: &Path,
) -> Result<ExitCode, Failure> {
    fresh_dir(dir)?;
    let manifest = manifest(store, "sqlite").await?;
    store
        .copy_into(&dir.join(SQLITE_FILE))
        .await
        .map_err(|e| Failure::io("无法复制数据库", e))?;
    let notices = copy_calendar(data_dir, dir)?;
    write_manifest(dir, &manifest)?;
    println!(
        "已备份到 {}：{} 个机关、{} 件申请、{} 条审计记录（哈希链完整），{notices} 个节假日通知文件。检索索引不备份，恢复时重建。",
        dir.display(),
        manifest["agencies"],
        manifest["applications"],
        manifest["audit_entries"]
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn backup_postgres<S: Store>(
    store: &S,
    url: &str,
    data_dir: &Path,
    dir: &Path,
) -> Result<ExitCode, Failure> {
    fresh_dir(dir)?;
    let manifest = manifest(store, "postgres").await?;
    let dump = dir.join(PG_DUMP);
    let dump_arg = format!("--file={}", dump.display());
    run_tool(
        "pg_dump",
        &["--format=custom", "--no-owner", &dump_arg, url],
        "pg_dump 备份",
    )?;
    let notices = copy_calendar(data_dir, dir)?;
    write_manifest(dir, &manifest)?;
    println!(
        "已备份到 {}（pg_dump）：{} 个机关、{} 件申请、{} 条审计记录，{notices} 个节假日通知文件。",
        dir.display(),
        manifest["agencies"],
        manifest["applications"],
        manifest["audit_entries"]
    );
    Ok(ExitCode::SUCCESS)
}

fn check_kind(manifest: &serde_json::Value, expected: &str) -> Result<(), Failure> {
    if manifest["database"] != expected {
        return Err(bad(
            "DIR",
            format!(
                "备份来自 {} 数据库，不能恢复到 {expected}",
                manifest["database"].as_str().unwrap_or("未知")
            ),
            "the backup is of another database kind",
        ));
    }
    Ok(())
}

async fn verified_against<S: Store>(
    store: &S,
    manifest: &serde_json::Value,
) -> Result<u64, Failure> {
    let head = checked_chain(store, "无法读取备份中的审计日志")
        .await?
        .map_err(|broken| {
            Failure::Refused(format!(
                "备份中的审计日志第 {} 条起哈希链断裂（{}）：未恢复",
                broken.seq, broken.reason
            ))
        })?;
    let count = head.seq;
    if json!((count > 0).then_some(head.hash)) != manifest["audit_head"] {
        return Err(Failure::Refused(
            "备份中的审计日志与清单记录的不一致（可能不完整或被替换）：未恢复".into(),
        ));
    }
    Ok(count)
}

pub async fn restore_sqlite(data_dir: &Path, dir: &Path, force: bool) -> Result<ExitCode, Failure> {
    let manifest = read_manifest(dir)?;
    check_kind(&manifest, "sqlite")?;
    let target = data_dir.join(SQLITE_FILE);
    if target.exists() && !force {
        return Err(bad(
            "--force",
            format!(
                "{} 已有数据库：恢复会覆盖它，确认时请加 --force",
                target.display()
            ),
            "a database is there already; add --force to replace it",
        ));
    }
    fs::create_dir_all(data_dir).map_err(io(format!("无法创建 {}", data_dir.display())))?;
    // Checked as a copy beside the target, then moved into place in one rename.
    let staged = data_dir.join(format!("{SQLITE_FILE}.restoring"));
    let _ = fs::remove_file(&staged);
    fs::copy(dir.join(SQLITE_FILE), &staged)
        .map_err(io(format!("无法复制 {}", dir.join(SQLITE_FILE).display())))?;
    let copy = SqliteStore::open(&staged)
        .await
        .map_err(|e| Failure::io("无法打开备份中的数据库", e))?;
    let checked = verified_against(&copy, &manifest).await;
    copy.close().await;
    let count = match checked {
        Ok(count) => count,
        Err(e) => {
            let _ = fs::remove_file(&staged);
            return Err(e);
        }
    };
    for suffix in ["-wal", "-shm"] {
        let _ = fs::remove_file(data_dir.join(format!("{SQLITE_FILE}{suffix}")));
        let _ = fs::remove_file(data_dir.join(format!("{SQLITE_FILE}.restoring{suffix}")));
    }
    fs::rename(&staged, &target).map_err(io(format!("无法替换 {}", target.display())))?;
    let notices = copy_calendar(dir, data_dir)?;
    let _ = fs::remove_dir_all(data_dir.join(INDEX_DIR));
    let store = SqliteStore::open(&target)
        .await
        .map_err(|e| Failure::io("无法打开恢复的数据库", e))?;
    store
        .migrate()
        .await
        .map_err(|e| Failure::io("无法升级恢复的数据库", e))?;
    println!(
        "已从 {} 恢复：{} 件申请，审计日志 {count} 条（哈希链完整，与备份清单一致），{notices} 个节假日通知文件。",
        dir.display(),
        manifest["applications"]
    );
    run_reindex(&store, data_dir).await
}

pub async fn restore_postgres<S: crate::store::Installed>(
    store: &S,
    url: &str,
    data_dir: &Path,
    dir: &Path,
    force: bool,
) -> Result<ExitCode, Failure> {
    let manifest = read_manifest(dir)?;
    check_kind(&manifest, "postgres")?;
    let holds_records = !store
        .agencies()
        .await
        .map_err(|e| Failure::io("无法读取目标数据库", e))?
        .is_empty();
    if holds_records && !force {
        return Err(bad(
            "--force",
            "目标 PostgreSQL 数据库已有数据：恢复会覆盖它，确认时请加 --force".into(),
            "the database holds records; add --force to replace them",
        ));
    }
    let dump: PathBuf = dir.join(PG_DUMP);
    let dbname = format!("--dbname={url}");
    run_tool(
        "pg_restore",
        &[
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            &dbname,
            &dump.display().to_string(),
        ],
        "pg_restore 恢复",
    )?;
    let count = verified_against(store, &manifest).await?;
    let notices = copy_calendar(dir, data_dir)?;
    println!(
        "已从 {} 恢复（pg_restore）：{} 件申请，审计日志 {count} 条（哈希链完整，与备份清单一致），{notices} 个节假日通知文件。",
        dir.display(),
        manifest["applications"]
    );
    run_reindex(store, data_dir).await
}
