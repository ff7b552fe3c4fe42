//! What differs between SQLite and PostgreSQL, and the small layer that lets one body of SQL run
//! on both. The SQL is written once with `$n` placeholders (sqlx's SQLite driver numbers them
//! as PostgreSQL does).
//!
//! sqlx states what a database can bind, decode and execute as bounds on other types
//! (`String: Encode<DB>`, `&mut DB::Connection: Executor`), which Rust does not carry from a
//! trait to its users. [`Bind`], [`Get`] and [`Run`] restate them as traits of the database
//! itself, implemented once for every database that has them, so that [`Dialect`] can require
//! them as supertraits and the store's code needs only `DB: Dialect`.

pub use gongkai_domain::search::BoxFuture;
use gongkai_domain::{
    DomainError,
    store::{StoreError, StoreResult},
};
use sqlx::{
    ColumnIndex, Database, Decode, Encode, Executor, IntoArguments, Pool, Row as _, Type,
    query::Query,
};

/// A statement with its parameters, as sqlx builds it.
pub type Statement<DB> = Query<'static, DB, <DB as Database>::Arguments>;

/// The database can bind a `T` as a parameter.
pub trait Bind<T>: Database {
    fn bind_value(statement: Statement<Self>, value: T) -> Statement<Self>;
}

impl<DB: Database, T> Bind<T> for DB
where
    T: for<'e> Encode<'e, DB> + Type<DB>,
{
    fn bind_value(statement: Statement<DB>, value: T) -> Statement<DB> {
        statement.bind(value)
    }
}

/// The database can read a column as a `T`.
pub trait Get<T>: Database {
    fn get_value(row: &Self::Row, index: usize) -> Result<T, sqlx::Error>;
}

impl<DB: Database, T> Get<T> for DB
where
    T: for<'r> Decode<'r, DB> + Type<DB>,
    usize: ColumnIndex<DB::Row>,
{
    fn get_value(row: &DB::Row, index: usize) -> Result<T, sqlx::Error> {
        row.try_get(index)
    }
}

/// The database can run statements on one of its connections.
pub trait Run: Database {
    fn execute(
        statement: Statement<Self>,
        conn: &mut Self::Connection,
    ) -> BoxFuture<'_, Result<Self::QueryResult, sqlx::Error>>;
    fn fetch_all(
        statement: Statement<Self>,
        conn: &mut Self::Connection,
    ) -> BoxFuture<'_, Result<Vec<Self::Row>, sqlx::Error>>;
    fn fetch_optional(
        statement: Statement<Self>,
        conn: &mut Self::Connection,
    ) -> BoxFuture<'_, Result<Option<Self::Row>, sqlx::Error>>;
    /// Several statements without parameters (a migration).
    fn script<'c>(
        sql: &'static str,
        conn: &'c mut Self::Connection,
    ) -> BoxFuture<'c, Result<(), sqlx::Error>>;
}

impl<DB: Database> Run for DB
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
{
    fn execute(
        statement: Statement<DB>,
        conn: &mut DB::Connection,
    ) -> BoxFuture<'_, Result<DB::QueryResult, sqlx::Error>> {
        conn.execute(statement)
    }

    fn fetch_all(
        statement: Statement<DB>,
        conn: &mut DB::Connection,
    ) -> BoxFuture<'_, Result<Vec<DB::Row>, sqlx::Error>> {
        conn.fetch_all(statement)
    }

    fn fetch_optional(
        statement: Statement<DB>,
        conn: &mut DB::Connection,
    ) -> BoxFuture<'_, Result<Option<DB::Row>, sqlx::Error>> {
        conn.fetch_optional(statement)
    }

    fn script<'c>(
        sql: &'static str,
        conn: &'c mut DB::Connection,
    ) -> BoxFuture<'c, Result<(), sqlx::Error>> {
        Box::pin(async move {
            sqlx::raw_sql(sql).execute(conn).await?;
            Ok(())
        })
    }
}

/// A database the store runs on: what it can bind and read, and what really differs.
pub trait Dialect:
    Run
    + Bind<String>
    + for<'a> Bind<&'a str>
    + Bind<Option<String>>
    + Bind<Option<&'static str>>
    + Bind<i64>
    + Bind<Option<i64>>
    + Bind<i32>
    + Bind<bool>
    + for<'a> Bind<&'a [u8]>
    + Get<String>
    + Get<Option<String>>
    + Get<i64>
    + Get<Option<i64>>
    + Get<i32>
    + Get<bool>
    + Get<Vec<u8>>
{
    /// `agency IN (…)` over the JSON array of agency codes bound as `$1`.
    const AGENCY_IN_JSON_LIST: &'static str;

    /// How a writing transaction begins. SQLite's takes the write lock at once (`IMMEDIATE`):
    /// a transaction that read first and wrote later could otherwise fail at once with
    /// "database is locked" when another process (a command beside the server) wrote between.
    const BEGIN_WRITE: &'static str;

    /// Where table 三 is counted from. SQLite's planner prefers the range index on `received`
    /// and then sorts every case to group them; the index in grouping order streams instead.
    const TABLE3_SOURCE: &'static str;

    /// The migrations, in order; both databases have the same names (a test enforces it).
    const MIGRATIONS: &'static [(&'static str, &'static str)];

    /// Makes the writers of `table` take turns until the transaction ends (the audit chain and
    /// letter numbers are sequences). SQLite's single writer already does.
    fn take_turns<'c>(
        conn: &'c mut Self::Connection,
        table: &'static str,
    ) -> BoxFuture<'c, Result<(), sqlx::Error>>;

    /// Holds (`true`) or releases (`false`) the lock that lets one server migrate while the
    /// others wait.
    fn migration_lock(
        conn: &mut Self::Connection,
        hold: bool,
    ) -> BoxFuture<'_, Result<(), sqlx::Error>>;

    fn rows_affected(result: &Self::QueryResult) -> u64;
}

/// A statement being built: `sql("… $1 …").bind(x).execute(&mut conn)`.
pub struct Sql<DB: Database>(Statement<DB>);

pub fn sql<DB: Dialect>(text: &'static str) -> Sql<DB> {
    Sql(sqlx::query(text))
}

/// A statement whose text is put together at run time from the store's own constant parts
/// (never from input).
pub fn sql_built<DB: Dialect>(text: String) -> Sql<DB> {
    Sql(sqlx::query(sqlx::AssertSqlSafe(text)))
}

impl<DB: Dialect> Sql<DB> {
    pub fn bind<T>(self, value: T) -> Self
    where
        DB: Bind<T>,
    {
        Self(DB::bind_value(self.0, value))
    }

    /// Runs it; the number of rows changed. A unique or foreign-key violation is returned as
    /// sqlx's error, for the caller to name.
    pub async fn try_execute(self, conn: &mut DB::Connection) -> Result<u64, sqlx::Error> {
        DB::execute(self.0, conn)
            .await
            .map(|r| DB::rows_affected(&r))
    }

    pub async fn execute(self, conn: &mut DB::Connection) -> StoreResult<u64> {
        self.try_execute(conn).await.map_err(db)
    }

    pub async fn fetch_all(self, conn: &mut DB::Connection) -> StoreResult<Vec<Row<DB>>> {
        let rows = DB::fetch_all(self.0, conn).await.map_err(db)?;
        Ok(rows.into_iter().map(Row).collect())
    }

    pub async fn fetch_optional(self, conn: &mut DB::Connection) -> StoreResult<Option<Row<DB>>> {
        Ok(DB::fetch_optional(self.0, conn).await.map_err(db)?.map(Row))
    }

    /// Reads with a connection of the pool.
    pub async fn read_all(self, pool: &Pool<DB>) -> StoreResult<Vec<Row<DB>>> {
        self.fetch_all(&mut *pool.acquire().await.map_err(db)?)
            .await
    }

    pub async fn read_optional(self, pool: &Pool<DB>) -> StoreResult<Option<Row<DB>>> {
        self.fetch_optional(&mut *pool.acquire().await.map_err(db)?)
            .await
    }

    /// Writes with a connection of the pool, outside any transaction.
    pub async fn write(self, pool: &Pool<DB>) -> StoreResult<u64> {
        self.execute(&mut *pool.acquire().await.map_err(db)?).await
    }
}

/// A row read by the store.
pub struct Row<DB: Database>(DB::Row);

impl<DB: Dialect> Row<DB> {
    /// Column `index` as a `T`; a mismatch means the database holds what the store never wrote.
    pub fn get<T>(&self, index: usize) -> StoreResult<T>
    where
        DB: Get<T>,
    {
        DB::get_value(&self.0, index).map_err(|e| StoreError::corrupt(format!("第{index}列"), e))
    }

    /// Column `index` holding JSON, decoded as a `T` (`what` names it in an error).
    pub fn json<T: serde::de::DeserializeOwned>(&self, index: usize, what: &str) -> StoreResult<T> {
        let text: String = self.get(index)?;
        serde_json::from_str(&text).map_err(|e| StoreError::corrupt(what, e))
    }

    /// A count or sequence number, never negative.
    pub fn number(&self, index: usize) -> StoreResult<u64> {
        let n: i64 = self.get(index)?;
        u64::try_from(n).map_err(|e| StoreError::corrupt(format!("第{index}列"), e))
    }
}

pub fn db(e: sqlx::Error) -> StoreError {
    StoreError::database(e)
}

pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// For an `INSERT`: a duplicate key is the conflict `what`, anything else a database error.
pub fn conflict_if_duplicate(what: String) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |e| {
        if is_unique_violation(&e) {
            DomainError::Conflict(what).into()
        } else {
            db(e)
        }
    }
}

pub fn is_foreign_key_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_foreign_key_violation())
}
