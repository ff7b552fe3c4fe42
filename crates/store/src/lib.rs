//! The store: one body of SQL serving SQLite (embedded, the default) and PostgreSQL (several
//! servers sharing one database). Each area of the domain's `Store` is a module here, written
//! once for any [`Dialect`]; `sqlite` and `postgres` hold only what really differs. Every
//! change and its audit entry are written in one transaction.

mod agencies;
mod applicants;
mod applications;
pub mod dialect;
mod imports;
mod postgres;
mod publications;
mod records;
mod register;
mod sqlite;

use gongkai_domain::{
    AgencyCode,
    audit::{AuditEntry, AuditRecord, GENESIS},
    store::{Stamp, Store, StoreResult},
};
use gongkai_law::Date;
use sqlx::{Database, Pool};

pub use dialect::Dialect;
use dialect::{conflict_if_duplicate, db, sql};
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

/// The migrations for one database's folder, in order: `own` ones are in that folder (their SQL
/// differs between the databases), `shared` ones in `migrations/shared`. Both databases apply
/// the same names (a test enforces it).
#[macro_export]
#[doc(hidden)]
macro_rules! migrations {
    ($dir:literal) => {
        $crate::migrations!(@list $dir; own "0001_initial", own "0002_letters",
            shared "0003_statistics_index", own "0004_web", shared "0005_publications",
            shared "0006_register", shared "0007_catalog", own "0008_search",
            shared "0009_records", shared "0010_applicants",
            shared "0011_token_names", shared "0012_audit_by_agency",
            shared "0013_daily_quotas", own "0014_imports",
            shared "0015_table3_index", own "0016_search_cursor",
            shared "0017_public_generation", shared "0018_audit_by_subject",
            shared "0019_applications_by_state", shared "0020_publication_interprets")
    };
    (@list $dir:literal; $($kind:ident $name:literal),*) => {
        &[$($crate::migrations!(@one $dir $kind $name)),*]
    };
    (@one $dir:literal own $name:literal) => {
        ($name, include_str!(concat!("../migrations/", $dir, "/", $name, ".sql")))
    };
    (@one $dir:literal shared $name:literal) => {
        ($name, include_str!(concat!("../migrations/shared/", $name, ".sql")))
    };
}

/// The store on database `DB`: a pool for writing and one for reading (the same pool on
/// PostgreSQL; on SQLite a single writer connection and read-only readers).
pub struct SqlStore<DB: Database> {
    writer: Pool<DB>,
    readers: Pool<DB>,
}

impl<DB: Database> Clone for SqlStore<DB> {
    fn clone(&self) -> Self {
        Self {
            writer: self.writer.clone(),
            readers: self.readers.clone(),
        }
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).expect("domain values serialize")
}

/// A domain enum's serde code (`"township"`), as the indexed columns keep it.
fn code<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        other => panic!("expected a code, got {other:?}"),
    }
}

/// The columns [`audit_entry`] reads, in its order.
macro_rules! audit_columns {
    () => {
        "seq, at, agency, actor, action, subject, before, after, prev_hash, hash"
    };
}

fn audit_entry<DB: Dialect>(row: &dialect::Row<DB>) -> StoreResult<AuditEntry> {
    Ok(AuditEntry {
        seq: row.number(0)?,
        record: AuditRecord {
            at: row.get(1)?,
            agency: row.get(2)?,
            actor: row.get(3)?,
            action: row.get(4)?,
            subject: row.get(5)?,
            before: row.json(6, "audit")?,
            after: row.json(7, "audit")?,
        },
        prev_hash: row.get(8)?,
        hash: row.get(9)?,
    })
}

impl<DB: Dialect> SqlStore<DB> {
    /// A writing transaction ([`Dialect::BEGIN_WRITE`]).
    async fn begin_write(&self) -> StoreResult<sqlx::Transaction<'static, DB>> {
        self.writer.begin_with(DB::BEGIN_WRITE).await.map_err(db)
    }

    /// Appends an audit entry chained to the last one, inside the caller's transaction.
    async fn audit(conn: &mut DB::Connection, record: AuditRecord) -> StoreResult<()> {
        DB::take_turns(conn, "audit_log").await.map_err(db)?;
        let last = sql::<DB>("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
            .fetch_optional(conn)
            .await?;
        let (seq, prev) = match last {
            Some(row) => (row.number(0)? + 1, row.get::<String>(1)?),
            None => (1, GENESIS.to_string()),
        };
        let entry = AuditEntry::new(seq, &prev, record);
        sql::<DB>("INSERT INTO audit_log (seq, at, agency, actor, action, subject, before, after, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
            .bind(entry.seq as i64)
            .bind(entry.record.at)
            .bind(entry.record.agency)
            .bind(entry.record.actor)
            .bind(entry.record.action)
            .bind(entry.record.subject)
            .bind(entry.record.before.to_string())
            .bind(entry.record.after.to_string())
            .bind(entry.prev_hash)
            .bind(entry.hash)
            .execute(conn)
            .await?;
        Ok(())
    }

    /// Inserts new `(agency, id, data)` rows with `insert` (an `INSERT … (agency, id, data)`
    /// into one of the document tables), all or none (an import is one transaction), each with
    /// its audit entry; an id already there is a conflict named `what`.
    async fn insert_all<'a>(
        &self,
        insert: &'static str,
        rows: impl Iterator<Item = (&'a AgencyCode, u64, serde_json::Value)> + Send,
        action: &str,
        what: &str,
        stamp: &Stamp,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        for row in rows {
            Self::insert_keyed(&mut tx, insert, row, action, what, stamp).await?;
        }
        tx.commit().await.map_err(db)
    }

    /// Inserts one `(agency, id, data)` row with its audit entry, on `conn`; a duplicate id is
    /// the conflict "`what` `id` 已存在".
    async fn insert_keyed(
        conn: &mut DB::Connection,
        insert: &'static str,
        (agency, id, data): (&AgencyCode, u64, serde_json::Value),
        action: &str,
        what: &str,
        stamp: &Stamp,
    ) -> StoreResult<()> {
        sql::<DB>(insert)
            .bind(agency.as_str())
            .bind(id as i64)
            .bind(data.to_string())
            .try_execute(conn)
            .await
            .map_err(conflict_if_duplicate(format!("{what} {id} 已存在")))?;
        let record = AuditRecord::new(
            stamp,
            agency.as_str(),
            action,
            &id.to_string(),
            serde_json::Value::Null,
            data,
        );
        Self::audit(conn, record).await
    }

    /// Applies the migrations not applied yet, each in its own transaction.
    async fn migrate_locked(conn: &mut DB::Connection) -> StoreResult<()> {
        sql::<DB>("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            .execute(conn)
            .await?;
        for (name, script) in DB::MIGRATIONS {
            let done = sql::<DB>("SELECT 1 FROM schema_migrations WHERE name = $1")
                .bind(*name)
                .fetch_optional(conn)
                .await?;
            if done.is_some() {
                continue;
            }
            let mut tx = sqlx::Connection::begin(&mut *conn).await.map_err(db)?;
            DB::script(script, &mut tx).await.map_err(db)?;
            sql::<DB>("INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)")
                .bind(*name)
                .bind(jiff::Timestamp::now().to_string())
                .execute(&mut tx)
                .await?;
            tx.commit().await.map_err(db)?;
        }
        Ok(())
    }
}

impl<DB: Dialect> Store for SqlStore<DB> {
    async fn migrate(&self) -> StoreResult<()> {
        let mut conn = self.writer.acquire().await.map_err(db)?;
        // Several servers may start at once: one migrates, the others wait and then find
        // nothing to do.
        DB::migration_lock(&mut conn, true).await.map_err(db)?;
        let mut result = Self::migrate_locked(&mut conn).await;
        if result.is_ok() {
            result = Self::link_unlinked(&mut conn).await;
        }
        DB::migration_lock(&mut conn, false).await.map_err(db)?;
        result
    }

    async fn audit_entries(&self) -> StoreResult<Vec<AuditEntry>> {
        let rows = sql::<DB>(concat!(
            "SELECT ",
            audit_columns!(),
            " FROM audit_log ORDER BY seq"
        ))
        .read_all(&self.readers)
        .await?;
        rows.iter().map(audit_entry).collect()
    }

    async fn audit_entries_after(&self, after: u64, limit: u32) -> StoreResult<Vec<AuditEntry>> {
        let rows = sql::<DB>(concat!(
            "SELECT ",
            audit_columns!(),
            " FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2"
        ))
        .bind(i64::try_from(after).unwrap_or(i64::MAX))
        .bind(i64::from(limit))
        .read_all(&self.readers)
        .await?;
        rows.iter().map(audit_entry).collect()
    }

    async fn audit_entries_of(
        &self,
        agency: &AgencyCode,
        before: Option<u64>,
        limit: u32,
    ) -> StoreResult<Vec<AuditEntry>> {
        let before = before.map_or(i64::MAX, |b| i64::try_from(b).unwrap_or(i64::MAX));
        // Two index ranges (the agency's and the system-wide), merged newest first.
        let rows = sql::<DB>(concat!(
            "SELECT ",
            audit_columns!(),
            " FROM audit_log WHERE agency IN ($1, '') AND seq < $2 ORDER BY seq DESC LIMIT $3"
        ))
        .bind(agency.as_str())
        .bind(before)
        .bind(i64::from(limit))
        .read_all(&self.readers)
        .await?;
        rows.iter().map(audit_entry).collect()
    }

    async fn audit_entries_about(
        &self,
        agency: &AgencyCode,
        subject: &str,
        limit: u32,
    ) -> StoreResult<Vec<AuditEntry>> {
        let rows = sql::<DB>(concat!(
            "SELECT ",
            audit_columns!(),
            " FROM audit_log WHERE agency = $1 AND subject = $2 ORDER BY seq LIMIT $3"
        ))
        .bind(agency.as_str())
        .bind(subject)
        .bind(i64::from(limit))
        .read_all(&self.readers)
        .await?;
        rows.iter().map(audit_entry).collect()
    }

    async fn audit_count_of(&self, agency: &AgencyCode) -> StoreResult<u64> {
        let row = sql::<DB>("SELECT COUNT(*) FROM audit_log WHERE agency IN ($1, '')")
            .bind(agency.as_str())
            .read_optional(&self.readers)
            .await?;
        row.map_or(Ok(0), |row| row.number(0))
    }

    async fn put_calendar_notice(&self, year: i16, json: &str, stamp: &Stamp) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let before = sql::<DB>("SELECT notice FROM calendar_notices WHERE year = $1")
            .bind(i32::from(year))
            .fetch_optional(&mut tx)
            .await?
            .map(|r| r.get::<String>(0))
            .transpose()?;
        sql::<DB>("INSERT INTO calendar_notices (year, notice) VALUES ($1, $2) ON CONFLICT (year) DO UPDATE SET notice = excluded.notice")
            .bind(i32::from(year))
            .bind(json)
            .execute(&mut tx)
            .await?;
        let record = AuditRecord::new(
            stamp,
            "",
            "calendar.load_notice",
            &year.to_string(),
            before.map_or(serde_json::Value::Null, serde_json::Value::String),
            serde_json::Value::String(json.to_string()),
        );
        Self::audit(&mut tx, record).await?;
        tx.commit().await.map_err(db)
    }

    async fn take_quota(&self, day: Date, key: &str, limit: u32) -> StoreResult<bool> {
        if limit == 0 {
            return Ok(false);
        }
        // One statement: a new key starts at 1; a known one counts up only below the limit.
        let taken = sql::<DB>(
            "INSERT INTO daily_quotas (day, key, used) VALUES ($1, $2, 1) \
             ON CONFLICT (day, key) DO UPDATE SET used = daily_quotas.used + 1 \
             WHERE daily_quotas.used < $3",
        )
        .bind(day.to_string())
        .bind(key)
        .bind(i64::from(limit))
        .write(&self.writer)
        .await?;
        Ok(taken == 1)
    }

    async fn site_generation(&self) -> StoreResult<u64> {
        // The same condition as the partial index `audit_public_changes` (0017).
        sql::<DB>("SELECT COALESCE(MAX(seq), 0) FROM audit_log WHERE action NOT LIKE 'application.%' AND action NOT LIKE 'applicant.%' AND action NOT LIKE 'letter.%' AND action NOT LIKE 'user.%'")
            .read_optional(&self.readers)
            .await?
            .map_or(Ok(0), |row| row.number(0))
    }

    async fn forget_quotas_before(&self, day: Date) -> StoreResult<u64> {
        sql::<DB>("DELETE FROM daily_quotas WHERE day < $1")
            .bind(day.to_string())
            .write(&self.writer)
            .await
    }

    async fn calendar_notices(&self) -> StoreResult<Vec<(i16, String)>> {
        let rows = sql::<DB>("SELECT year, notice FROM calendar_notices ORDER BY year")
            .read_all(&self.readers)
            .await?;
        rows.iter()
            .map(|r| Ok((r.get::<i32>(0)? as i16, r.get(1)?)))
            .collect()
    }
}
