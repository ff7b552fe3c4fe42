//! Which database the commands use: the SQLite file in the data directory (default), or
//! PostgreSQL with `--database-url postgres://…`. It is chosen once, at start; every command
//! is generic over the store it is given.

use std::path::Path;

use gongkai_domain::store::Store;
use gongkai_store::{PostgresStore, SqliteStore};

use crate::failure::Failure;

/// The SQLite file inside the data directory.
pub const SQLITE_FILE: &str = "gongkai.sqlite3";

/// Each server's search index lives here, inside its data directory (`search-index`, or
/// `search-index.2`, … when several servers share one).
pub const INDEX_DIR: &str = "search-index";

/// A store as an installation runs it, on either database.
pub trait Installed: Store + Clone + 'static {}

impl Installed for SqliteStore {}

impl Installed for PostgresStore {}

/// The store opened and migrated, on whichever database was chosen.
pub enum Opened {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

/// `with_store!(opened, store => body)`: runs `body` with `store` bound to the opened store,
/// whichever database it is on.
macro_rules! with_store {
    ($opened:expr, $store:ident => $body:expr) => {
        match $opened {
            $crate::store::Opened::Sqlite($store) => $body,
            $crate::store::Opened::Postgres($store) => $body,
        }
    };
}
pub(crate) use with_store;

pub async fn open(data_dir: &Path, database_url: Option<&str>) -> Result<Opened, Failure> {
    let opened = match database_url {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Opened::Postgres(
                PostgresStore::connect(url)
                    .await
                    .map_err(|e| Failure::io("无法连接 PostgreSQL 数据库", e))?,
            )
        }
        Some(url) => {
            return Err(gongkai_law::RuleViolation::new(
                "--database-url",
                format!("「{url}」不是 postgres:// 地址；使用内置数据库时请省略此参数"),
                "expected a postgres:// URL",
            )
            .into());
        }
        None => {
            std::fs::create_dir_all(data_dir)
                .map_err(|e| Failure::io(format!("无法创建数据目录 {}", data_dir.display()), e))?;
            Opened::Sqlite(
                SqliteStore::open(&data_dir.join(SQLITE_FILE))
                    .await
                    .map_err(|e| Failure::io("无法打开数据库文件", e))?,
            )
        }
    };
    with_store!(&opened, store => store.migrate().await)
        .map_err(|e| Failure::io("数据库迁移失败", e))?;
    Ok(opened)
}
