//! PostgreSQL, for several stateless servers sharing one database: one pool serves reads and
//! writes; sequences (the audit chain, letter numbers) are kept by locking their table for the
//! rest of the writing transaction; migrations run under an advisory lock; and the database's
//! own full-text search is the search backend, shared by every server.

use std::time::Duration;

use gongkai_domain::{
    AgencyCode,
    search::{SearchBackend, SearchDoc, SearchFilter, SearchHit, SearchResult, category_levels},
    store::StoreResult,
};
use sqlx::{
    Postgres, Row,
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

impl SearchBackend for SqlStore<Postgres> {
    fn name(&self) -> &'static str {
        "postgresql"
    }

    fn upsert<'a>(&'a self, docs: &'a [SearchDoc]) -> BoxFuture<'a, SearchResult<()>> {
        Box::pin(async move {
            let mut tx = self.writer.begin().await.map_err(|e| e.to_string())?;
            for d in docs {
                sqlx::query("INSERT INTO publication_search (agency, id, categories, document) VALUES ($1, $2, $3, setweight(to_tsvector('simple', $4), 'A') || setweight(to_tsvector('simple', $5), 'B')) ON CONFLICT (agency, id) DO UPDATE SET categories = excluded.categories, document = excluded.document")
                    .bind(d.agency.as_str())
                    .bind(d.id as i64)
                    .bind(category_levels(&d.category))
                    .bind(&d.title_tokens)
                    .bind(&d.body_tokens)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| e.to_string())?;
            }
            tx.commit().await.map_err(|e| e.to_string())
        })
    }

    fn remove<'a>(&'a self, keys: &'a [(AgencyCode, u64)]) -> BoxFuture<'a, SearchResult<()>> {
        Box::pin(async move {
            for (agency, id) in keys {
                sqlx::query("DELETE FROM publication_search WHERE agency = $1 AND id = $2")
                    .bind(agency.as_str())
                    .bind(*id as i64)
                    .execute(&self.writer)
                    .await
                    .map_err(|e| e.to_string())?;
            }
            Ok(())
        })
    }

    fn clear(&self) -> BoxFuture<'_, SearchResult<()>> {
        Box::pin(async move {
            sqlx::query("DELETE FROM publication_search")
                .execute(&self.writer)
                .await
                .map_err(|e| e.to_string())?;
            Ok(())
        })
    }

    fn rebuild(&self, docs: Vec<SearchDoc>) -> BoxFuture<'_, SearchResult<()>> {
        Box::pin(async move {
            // One transaction: the other servers search the old rows until it commits.
            let mut tx = self.writer.begin().await.map_err(|e| e.to_string())?;
            sqlx::query("DELETE FROM publication_search")
                .execute(&mut *tx)
                .await
                .map_err(|e| e.to_string())?;
            for d in &docs {
                sqlx::query("INSERT INTO publication_search (agency, id, categories, document) VALUES ($1, $2, $3, setweight(to_tsvector('simple', $4), 'A') || setweight(to_tsvector('simple', $5), 'B'))")
                    .bind(d.agency.as_str())
                    .bind(d.id as i64)
                    .bind(category_levels(&d.category))
                    .bind(&d.title_tokens)
                    .bind(&d.body_tokens)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| e.to_string())?;
            }
            tx.commit().await.map_err(|e| e.to_string())
        })
    }

    fn count(&self) -> BoxFuture<'_, SearchResult<u64>> {
        Box::pin(async move {
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM publication_search")
                .fetch_one(&self.readers)
                .await
                .map_err(|e| e.to_string())?;
            Ok(n as u64)
        })
    }

    fn search<'a>(
        &'a self,
        tokens: &'a [String],
        filter: &'a SearchFilter,
        limit: usize,
    ) -> BoxFuture<'a, SearchResult<Vec<SearchHit>>> {
        Box::pin(async move {
            if tokens.is_empty() {
                return Ok(Vec::new());
            }
            // Each token quoted as a lexeme, all required.
            let query = tokens
                .iter()
                .map(|t| format!("'{}'", t.replace('\\', "\\\\").replace('\'', "''")))
                .collect::<Vec<_>>()
                .join(" & ");
            let rows = sqlx::query("SELECT agency, id, ts_rank(document, q)::REAL FROM publication_search, to_tsquery('simple', $1) AS q WHERE document @@ q AND ($2::TEXT IS NULL OR agency = $2) AND ($3::TEXT IS NULL OR $3 = ANY (categories)) ORDER BY 3 DESC, id DESC LIMIT $4")
                .bind(&query)
                .bind(filter.agency.as_ref().map(|a| a.as_str()))
                .bind(filter.category.as_deref())
                .bind(limit as i64)
                .fetch_all(&self.readers)
                .await
                .map_err(|e| e.to_string())?;
            rows.iter()
                .map(|r| {
                    Ok(SearchHit {
                        agency: AgencyCode::parse(&r.get::<String, _>(0))
                            .map_err(|e| e.to_string())?,
                        id: r.get::<i64, _>(1) as u64,
                        score: r.get::<f32, _>(2),
                    })
                })
                .collect()
        })
    }
}
