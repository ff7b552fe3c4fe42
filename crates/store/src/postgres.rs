//! PostgreSQL, for several stateless servers sharing one database: one pool serves reads and
//! writes; sequences (the audit chain, letter numbers) are kept by locking their table for the
//! rest of the writing transaction; migrations run under an advisory lock. Search is each
//! server's own index, fed from the outbox (`gongkai-search`).

use std::time::Duration;

use gongkai_domain::store::StoreResult;
use sqlx::{
    Postgres,
    postgres::{PgPoolOptions, PgQueryResult},
};

use crate::{
    SqlStore,
    dialect::{BoxFuture, Dialect, db},
    migrations,
};

pub type PostgresStore = SqlStore<Postgres>;

/// Any number, the same on every server: the key of the advisory lock held while migrating.
const MIGRATION_LOCK: i64 = 7_263_504;

impl Dialect for Postgres {
    const BEGIN_WRITE: &'static str = "BEGIN";
    const TABLE3_SOURCE: &'static str = "applications";
    const AGENCY_IN_JSON_LIST: &'static str =
        "agency IN (SELECT json_array_elements_text($1::json))";

    const MIGRATIONS: &'static [(&'static str, &'static str)] = migrations!("postgres");

    fn take_turns<'c>(
        conn: &'c mut Self::Connection,
        table: &'static str,
    ) -> BoxFuture<'c, Result<(), sqlx::Error>> {
        Box::pin(async move {
            // Writers take turns; readers are not blocked.
            let lock = format!("LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE");
            sqlx::raw_sql(sqlx::AssertSqlSafe(lock))
                .execute(conn)
                .await?;
            Ok(())
        })
    }

    fn migration_lock(
        conn: &mut Self::Connection,
        hold: bool,
    ) -> BoxFuture<'_, Result<(), sqlx::Error>> {
        let sql = if hold {
            "SELECT pg_advisory_lock($1)"
        } else {
            "SELECT pg_advisory_unlock($1)"
        };
        Box::pin(async move {
            sqlx::query(sql).bind(MIGRATION_LOCK).execute(conn).await?;
            Ok(())
        })
    }

    fn rows_affected(result: &PgQueryResult) -> u64 {
        result.rows_affected()
    }
}

impl SqlStore<Postgres> {
    /// Connects to `postgres://…`.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await
            .map_err(db)?;
        Ok(Self {
            writer: pool.clone(),
            readers: pool,
        })
    }

    /// Runs one administrative statement (`CREATE DATABASE …`) outside a transaction.
    pub async fn execute_admin(&self, sql: &str) -> StoreResult<()> {
        // Only called with statements built from generated identifiers (tests, setup).
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
            .execute(&self.writer)
            .await
            .map(|_| ())
            .map_err(db)
    }

    pub async fn close(&self) {
        self.writer.close().await;
    }
}
