//! SQLite, embedded: one file in the data directory, WAL journal, a busy timeout, foreign keys
//! on, one writer connection (so writers take turns by construction) and a pool of readers.

use std::{path::Path, str::FromStr, time::Duration};

use gongkai_domain::store::StoreResult;
use sqlx::{
    Sqlite,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteQueryResult},
};

use crate::{
    SqlStore,
    dialect::{BoxFuture, Dialect, db},
    migrations,
};

pub type SqliteStore = SqlStore<Sqlite>;

impl Dialect for Sqlite {
    const AGENCY_IN_JSON_LIST: &'static str = "agency IN (SELECT value FROM json_each($1))";
    const BEGIN_WRITE: &'static str = "BEGIN IMMEDIATE";
    const TABLE3_SOURCE: &'static str = "applications INDEXED BY applications_table3";

    const MIGRATIONS: &'static [(&'static str, &'static str)] = migrations!("sqlite");

    fn take_turns<'c>(
        _conn: &'c mut Self::Connection,
        _table: &'static str,
    ) -> BoxFuture<'c, Result<(), sqlx::Error>> {
        Box::pin(async { Ok(()) })
    }

    fn migration_lock(
        _conn: &mut Self::Connection,
        _hold: bool,
    ) -> BoxFuture<'_, Result<(), sqlx::Error>> {
        Box::pin(async { Ok(()) })
    }

    fn rows_affected(result: &SqliteQueryResult) -> u64 {
        result.rows_affected()
    }
}

impl SqlStore<Sqlite> {
    /// Opens (creating if needed) the database file.
    pub async fn open(path: &Path) -> StoreResult<Self> {
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))
            .map_err(db)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await
            .map_err(db)?;
        let readers = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options.read_only(true))
            .await
            .map_err(db)?;
        Ok(Self { writer, readers })
    }

    /// A consistent copy of the whole database at `path` while it is in use (`VACUUM INTO`,
    /// on the writer, so no write lands halfway): what `gongkai backup` keeps. The file must
    /// not exist yet.
    pub async fn copy_into(&self, path: &Path) -> StoreResult<()> {
        sqlx::query("VACUUM INTO $1")
            .bind(path.display().to_string())
            .execute(&self.writer)
            .await
            .map_err(db)?;
        Ok(())
    }

    /// Closes both pools (before the file is moved or replaced).
    pub async fn close(&self) {
        self.writer.close().await;
        self.readers.close().await;
    }

    /// A store in a temporary in-memory database (tests, demos).
    pub async fn in_memory() -> StoreResult<Self> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")
            .map_err(db)?
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .map_err(db)?;
        Ok(Self {
            writer: pool.clone(),
            readers: pool,
        })
    }
}
