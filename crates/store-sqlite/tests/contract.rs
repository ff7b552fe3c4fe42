//! The store contract on SQLite: in memory, and in a file (WAL, separate reader pool).

use gongkai_store_sqlite::SqliteStore;

#[tokio::test]
async fn contract_in_memory() {
    let store = SqliteStore::in_memory().await.unwrap();
    gongkai_domain::store::Store::migrate(&store).await.unwrap();
    gongkai_store_contract::run(&store).await;
}

#[tokio::test]
async fn contract_in_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("gongkai.sqlite3"))
        .await
        .unwrap();
    gongkai_domain::store::Store::migrate(&store).await.unwrap();
    gongkai_store_contract::run(&store).await;
}

#[test]
fn both_stores_have_the_same_migrations() {
    let sqlite: Vec<&str> = gongkai_store_sqlite::MIGRATIONS
        .iter()
        .map(|(name, _)| *name)
        .collect();
    let files: Vec<String> = std::fs::read_dir(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../store-postgres/migrations"
    ))
    .unwrap()
    .map(|e| {
        e.unwrap()
            .file_name()
            .to_string_lossy()
            .trim_end_matches(".sql")
            .to_string()
    })
    .collect();
    let mut postgres = files;
    postgres.sort();
    assert_eq!(
        sqlite, postgres,
        "crates/store-sqlite and crates/store-postgres need the same migration names"
    );
}
