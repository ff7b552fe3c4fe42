//! `import_jobs` and `import_items`: 批量导入 applied a piece at a time, each piece in one
//! transaction with the job's progress and its lease.

use gongkai_domain::{
    AgencyCode, DomainError,
    audit::AuditRecord,
    imports::{
        ImportItem, ImportJob, ImportKind, ImportState, ImportStore, LEASE_SECONDS, PIECE,
        StagedItem, Step,
    },
    store::{Stamp, StoreError, StoreResult},
};
use jiff::Timestamp;
use serde_json::{Value, json};

use crate::{
    SqlStore,
    dialect::{Dialect, Row, db, is_unique_violation, sql},
    to_json,
};

/// The columns [`job_from`] reads, in its order.
const JOB_COLUMNS: &str =
    "id, agency, kind, file_name, state, total, done, created_by, created_at, updated_at, message";

fn seconds(t: Timestamp) -> i64 {
    t.as_second()
}

fn job_from<DB: Dialect>(row: &Row<DB>) -> StoreResult<ImportJob> {
    let text = |i: usize| -> StoreResult<String> { row.get(i) };
    let time = |i: usize| -> StoreResult<Timestamp> {
        let s: i64 = row.get(i)?;
        Timestamp::from_second(s).map_err(|e| StoreError::corrupt("import time", e))
    };
    let agency =
        AgencyCode::parse(&text(1)?).map_err(|e| StoreError::corrupt("import agency", e))?;
    let kind = ImportKind::parse(&text(2)?)
        .ok_or_else(|| StoreError::corrupt("import kind", "unknown code"))?;
    let state = ImportState::parse(&text(4)?)
        .ok_or_else(|| StoreError::corrupt("import state", "unknown code"))?;
    Ok(ImportJob {
        id: row.number(0)?,
        agency,
        kind,
        file_name: text(3)?,
        state,
        total: row.number(5)?,
        done: row.number(6)?,
        created_by: text(7)?,
        created_at: time(8)?,
        updated_at: time(9)?,
        message: row.get(10)?,
    })
}

impl<DB: Dialect> SqlStore<DB> {
    async fn job_on(conn: &mut DB::Connection, id: u64) -> StoreResult<Option<ImportJob>> {
        crate::dialect::sql_built::<DB>(format!(
            "SELECT {JOB_COLUMNS} FROM import_jobs WHERE id = $1"
        ))
        .bind(id as i64)
        .fetch_optional(conn)
        .await?
        .as_ref()
        .map(job_from)
        .transpose()
    }

    /// Writes one staged item where it belongs, with its audit entry.
    async fn apply_item(
        conn: &mut DB::Connection,
        item: &ImportItem,
        line: u64,
        stamp: &Stamp,
    ) -> StoreResult<()> {
        let at_line = |e: StoreError| match e {
            StoreError::Domain(DomainError::Conflict(m)) => {
                DomainError::Conflict(format!("第{line}行：{m}")).into()
            }
            other => other,
        };
        match item {
            ImportItem::Application(app) => {
                // Its number no longer needs holding once the application has it.
                sql::<DB>("DELETE FROM import_items WHERE agency = $1 AND reserved = $2")
                    .bind(app.agency.as_str())
                    .bind(app.number.as_str())
                    .execute(conn)
                    .await?;
                Self::insert_one(conn, app, stamp).await.map_err(at_line)?;
            }
            ImportItem::RegisterDocument(d) => Self::insert_keyed(
                conn,
                "INSERT INTO register_documents (agency, id, data) VALUES ($1, $2, $3)",
                (&d.agency, d.id, to_json(d)),
                "register.import",
                "第二十条登记",
                stamp,
            )
            .await
            .map_err(at_line)?,
            ImportItem::CatalogEntry(e) => Self::insert_keyed(
                conn,
                "INSERT INTO catalog_entries (agency, id, data) VALUES ($1, $2, $3)",
                (&e.agency, e.id, to_json(e)),
                "catalog.add",
                "目录条目",
                stamp,
            )
            .await
            .map_err(at_line)?,
        }
        Ok(())
    }

    async fn audit_job(
        conn: &mut DB::Connection,
        job: &ImportJob,
        actor: &str,
        at: Timestamp,
        action: &str,
        after: Value,
    ) -> StoreResult<()> {
        let stamp = Stamp {
            actor: actor.to_string(),
            at,
        };
        let record = AuditRecord::new(
            &stamp,
            job.agency.as_str(),
            action,
            &job.id.to_string(),
            Value::Null,
            after,
        );
        Self::audit(conn, record).await
    }
}

impl<DB: Dialect> ImportStore for SqlStore<DB> {
    async fn create_import(
        &self,
        agency: &AgencyCode,
        kind: ImportKind,
        file_name: &str,
        total: u64,
        stamp: &Stamp,
    ) -> StoreResult<ImportJob> {
        let mut tx = self.begin_write().await?;
        let id = sql::<DB>(
            "INSERT INTO import_jobs (agency, kind, file_name, state, total, done, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $7) RETURNING id",
        )
        .bind(agency.as_str())
        .bind(kind.code())
        .bind(file_name)
        .bind(ImportState::Staging.code())
        .bind(total as i64)
        .bind(stamp.actor.as_str())
        .bind(seconds(stamp.at))
        .fetch_optional(&mut tx)
        .await?
        .ok_or_else(|| StoreError::corrupt("import job", "no id returned"))?
        .number(0)?;
        let job = Self::job_on(&mut tx, id)
            .await?
            .ok_or_else(|| StoreError::corrupt("import job", "not found after insert"))?;
        Self::audit_job(
            &mut tx,
            &job,
            &stamp.actor,
            stamp.at,
            "import.start",
            json!({ "kind": kind.code(), "file": file_name, "total": total }),
        )
        .await?;
        tx.commit().await.map_err(db)?;
        Ok(job)
    }

    async fn stage_import_items(
        &self,
        job: u64,
        items: &[StagedItem],
        now: Timestamp,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let current = Self::job_on(&mut tx, job)
            .await?
            .filter(|j| j.state == ImportState::Staging)
            .ok_or_else(|| DomainError::State(format!("导入任务 {job} 不在上传中")))?;
        let staged: i64 = sql::<DB>("SELECT COUNT(*) FROM import_items WHERE job = $1")
            .bind(job as i64)
            .fetch_optional(&mut tx)
            .await?
            .map_or(Ok(0), |r| r.get(0))?;
        for (i, staged_item) in items.iter().enumerate() {
            let item = &staged_item.item;
            if item.agency() != &current.agency || item.kind() != current.kind {
                return Err(
                    DomainError::invalid("文件", "一次导入只能是同一机关的同一类内容").into(),
                );
            }
            let line = staged_item.line;
            if let Some(number) = item.reserved_key() {
                let taken =
                    sql::<DB>("SELECT 1 FROM applications WHERE agency = $1 AND number = $2")
                        .bind(current.agency.as_str())
                        .bind(number)
                        .fetch_optional(&mut tx)
                        .await?
                        .is_some();
                if taken {
                    return Err(DomainError::Conflict(format!(
                        "第{line}行：申请编号 {number} 在 {} 已存在",
                        current.agency
                    ))
                    .into());
                }
            }
            sql::<DB>("INSERT INTO import_items (job, seq, line, agency, reserved, data) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(job as i64)
                .bind(staged + i as i64)
                .bind(i64::from(line))
                .bind(current.agency.as_str())
                .bind(item.reserved_key().map(str::to_string))
                .bind(to_json(item).to_string())
                .try_execute(&mut tx)
                .await
                .map_err(|e| {
                    if is_unique_violation(&e) {
                        DomainError::Conflict(format!(
                            "第{line}行：申请编号 {} 正在另一次导入中",
                            item.reserved_key().unwrap_or_default()
                        ))
                        .into()
                    } else {
                        db(e)
                    }
                })?;
        }
        sql::<DB>("UPDATE import_jobs SET updated_at = $1 WHERE id = $2")
            .bind(seconds(now))
            .bind(job as i64)
            .execute(&mut tx)
            .await?;
        tx.commit().await.map_err(db)
    }

    async fn queue_import(&self, job: u64, now: Timestamp) -> StoreResult<()> {
        let changed = sql::<DB>(
            "UPDATE import_jobs SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4",
        )
        .bind(ImportState::Queued.code())
        .bind(seconds(now))
        .bind(job as i64)
        .bind(ImportState::Staging.code())
        .write(&self.writer)
        .await?;
        if changed != 1 {
            return Err(DomainError::State(format!("导入任务 {job} 不在上传中")).into());
        }
        Ok(())
    }

    async fn claim_import(&self, runner: &str, now: Timestamp) -> StoreResult<Option<ImportJob>> {
        // A job this runner holds already is taken up again (it stopped on an error). Whoever changes the row first has it: the state and lease in the WHERE clause make
        // the database the judge when several servers look at once.
        for _ in 0..8 {
            let candidate = sql::<DB>(
                "SELECT id FROM import_jobs WHERE state = $1 OR (state = $2 AND (lease_until < $3 OR runner = $4)) ORDER BY id LIMIT 1",
            )
            .bind(ImportState::Queued.code())
            .bind(ImportState::Running.code())
            .bind(seconds(now))
            .bind(runner)
            .read_optional(&self.writer)
            .await?;
            let Some(row) = candidate else {
                return Ok(None);
            };
            let id = row.number(0)?;
            let taken = sql::<DB>(
                "UPDATE import_jobs SET state = $1, runner = $2, lease_until = $3, updated_at = $4 \
                 WHERE id = $5 AND (state = $6 OR (state = $1 AND (lease_until < $4 OR runner = $2)))",
            )
            .bind(ImportState::Running.code())
            .bind(runner)
            .bind(seconds(now) + LEASE_SECONDS)
            .bind(seconds(now))
            .bind(id as i64)
            .bind(ImportState::Queued.code())
            .write(&self.writer)
            .await?;
            if taken == 1 {
                let mut conn = self.writer.acquire().await.map_err(db)?;
                return Self::job_on(&mut conn, id).await;
            }
        }
        Ok(None)
    }

    async fn apply_import_piece(
        &self,
        job: u64,
        runner: &str,
        now: Timestamp,
    ) -> StoreResult<Step> {
        let mut tx = self.begin_write().await?;
        let held = sql::<DB>("SELECT runner FROM import_jobs WHERE id = $1 AND state = $2")
            .bind(job as i64)
            .bind(ImportState::Running.code())
            .fetch_optional(&mut tx)
            .await?
            .map(|r| r.get::<Option<String>>(0))
            .transpose()?
            .flatten();
        if held.as_deref() != Some(runner) {
            return Ok(Step::LostLease);
        }
        let current = Self::job_on(&mut tx, job)
            .await?
            .ok_or_else(|| StoreError::corrupt("import job", "vanished"))?;
        let rows = sql::<DB>(
            "SELECT seq, line, data FROM import_items WHERE job = $1 ORDER BY seq LIMIT $2",
        )
        .bind(job as i64)
        .bind(i64::from(PIECE))
        .fetch_all(&mut tx)
        .await?;
        let stamp = Stamp {
            actor: current.created_by.clone(),
            at: now,
        };
        let mut last_seq = None;
        for row in &rows {
            let seq: i64 = row.get(0)?;
            let line = row.number(1)?;
            let item: ImportItem = row.json(2, "import item")?;
            Self::apply_item(&mut tx, &item, line, &stamp).await?;
            last_seq = Some(seq);
        }
        if let Some(last) = last_seq {
            sql::<DB>("DELETE FROM import_items WHERE job = $1 AND seq <= $2")
                .bind(job as i64)
                .bind(last)
                .execute(&mut tx)
                .await?;
        }
        let done = current.done + rows.len() as u64;
        let finished = rows.len() < PIECE as usize
            || sql::<DB>("SELECT 1 FROM import_items WHERE job = $1 LIMIT 1")
                .bind(job as i64)
                .fetch_optional(&mut tx)
                .await?
                .is_none();
        let state = if finished {
            ImportState::Done
        } else {
            ImportState::Running
        };
        sql::<DB>("UPDATE import_jobs SET done = $1, state = $2, lease_until = $3, updated_at = $4 WHERE id = $5")
            .bind(done as i64)
            .bind(state.code())
            .bind(seconds(now) + LEASE_SECONDS)
            .bind(seconds(now))
            .bind(job as i64)
            .execute(&mut tx)
            .await?;
        if finished {
            Self::audit_job(
                &mut tx,
                &current,
                &current.created_by,
                now,
                "import.done",
                json!({ "imported": done }),
            )
            .await?;
        }
        let applied = Self::job_on(&mut tx, job)
            .await?
            .ok_or_else(|| StoreError::corrupt("import job", "vanished"))?;
        tx.commit().await.map_err(db)?;
        Ok(Step::Applied(applied))
    }

    async fn fail_import(&self, job: u64, message: &str, now: Timestamp) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let Some(current) = Self::job_on(&mut tx, job).await? else {
            return Ok(());
        };
        if current.state.finished() {
            return Ok(());
        }
        sql::<DB>("DELETE FROM import_items WHERE job = $1")
            .bind(job as i64)
            .execute(&mut tx)
            .await?;
        sql::<DB>("UPDATE import_jobs SET state = $1, message = $2, runner = NULL, lease_until = NULL, updated_at = $3 WHERE id = $4")
            .bind(ImportState::Failed.code())
            .bind(message)
            .bind(seconds(now))
            .bind(job as i64)
            .execute(&mut tx)
            .await?;
        Self::audit_job(
            &mut tx,
            &current,
            &current.created_by,
            now,
            "import.failed",
            json!({ "imported": current.done, "message": message }),
        )
        .await?;
        tx.commit().await.map_err(db)
    }

    async fn abandoned_imports(&self, before: Timestamp) -> StoreResult<Vec<u64>> {
        sql::<DB>("SELECT id FROM import_jobs WHERE state = $1 AND updated_at < $2 ORDER BY id")
            .bind(ImportState::Staging.code())
            .bind(seconds(before))
            .read_all(&self.readers)
            .await?
            .iter()
            .map(|r| r.number(0))
            .collect()
    }

    async fn import_job(&self, agency: &AgencyCode, id: u64) -> StoreResult<Option<ImportJob>> {
        crate::dialect::sql_built::<DB>(format!(
            "SELECT {JOB_COLUMNS} FROM import_jobs WHERE agency = $1 AND id = $2"
        ))
        .bind(agency.as_str())
        .bind(id as i64)
        .read_optional(&self.readers)
        .await?
        .as_ref()
        .map(job_from)
        .transpose()
    }

    async fn import_jobs(&self, agency: &AgencyCode, limit: u32) -> StoreResult<Vec<ImportJob>> {
        crate::dialect::sql_built::<DB>(format!(
            "SELECT {JOB_COLUMNS} FROM import_jobs WHERE agency = $1 ORDER BY id DESC LIMIT $2"
        ))
        .bind(agency.as_str())
        .bind(i64::from(limit))
        .read_all(&self.readers)
        .await?
        .iter()
        .map(job_from)
        .collect()
    }
}
