//! The store contract on PostgreSQL. It needs a server: `.ci/run` starts a throw-away cluster
//! and runs this with `--ignored`; by hand:
//!
//! `GONGKAI_TEST_POSTGRES_URL=postgres://USER@127.0.0.1:PORT/postgres cargo test -p gongkai-store-postgres -- --ignored`
//!
//! Each run creates a fresh database and drops it afterwards.

use gongkai_store_postgres::PostgresStore;

const HOW: &str = "PostgreSQL suite NOT RUN: set GONGKAI_TEST_POSTGRES_URL=postgres://… (a server where the user may CREATE DATABASE) and run `cargo test -p gongkai-store-postgres -- --ignored`, or run .ci/run";

#[tokio::test]
#[ignore = "needs PostgreSQL: set GONGKAI_TEST_POSTGRES_URL and run with --ignored (.ci/run does)"]
async fn contract_on_postgres() {
    let url = std::env::var("GONGKAI_TEST_POSTGRES_URL").unwrap_or_else(|_| panic!("{HOW}"));
    let name = format!(
        "gongkai_contract_{}_{}",
        std::process::id(),
        jiff::Timestamp::now().as_millisecond()
    );
    let admin = PostgresStore::connect(&url)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to {url}: {e}\n{HOW}"));
    // UTF-8 whatever the cluster's default, so full-text search sees Chinese as words.
    admin
        .execute_admin(&format!(
            "CREATE DATABASE {name} ENCODING 'UTF8' LC_CTYPE 'C' LC_COLLATE 'C' TEMPLATE template0"
        ))
        .await
        .unwrap();
    let database_url = replace_database(&url, &name);
    let store = PostgresStore::connect(&database_url).await.unwrap();
    gongkai_domain::store::Store::migrate(&store).await.unwrap();
    gongkai_store_contract::run(&store).await;
    gongkai_store_contract::run_search(&store).await;
    store.close().await;
    admin
        .execute_admin(&format!("DROP DATABASE {name}"))
        .await
        .unwrap();
}

/// `postgres://u@h:p/postgres?x` with the database replaced.
fn replace_database(url: &str, database: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let head = match base.rfind('/') {
        Some(i) if i > "postgres://".len() => &base[..i],
        _ => base,
    };
    match query {
        Some(q) => format!("{head}/{database}?{q}"),
        None => format!("{head}/{database}"),
    }
}
