//! The store contract, one test per check: on SQLite (a file in WAL mode with its separate
//! reader pool) in every `cargo test`, and on PostgreSQL when a server is given. `.ci/run`
//! starts a throw-away cluster and runs the PostgreSQL tests with `--ignored`; by hand:
//!
//! `GONGKAI_TEST_POSTGRES_URL=postgres://USER@127.0.0.1:PORT/postgres cargo test -p gongkai-store -- --ignored`
//!
//! Each PostgreSQL test creates its own database and drops it when the check passes.

use gongkai_domain::store::Store;
use gongkai_store::Dialect;
use gongkai_store_contract::{Fresh, contract_tests};

mod sqlite {
    use super::*;
    use gongkai_store::SqliteStore;

    async fn fresh() -> Fresh<SqliteStore> {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("gongkai.sqlite3"))
            .await
            .unwrap();
        let mut fresh = Fresh::migrated(store).await;
        fresh.cleanup = Some(Box::pin(async move { drop(dir) }));
        fresh
    }

    contract_tests!(fn fresh);

    /// Applications recorded before applicant records existed are linked when the store is
    /// migrated, oldest first, the same identity document to one record.
    #[tokio::test]
    async fn older_applications_are_linked_on_migrate() {
        use gongkai_domain::{
            Agency, AgencyCode, AgencyLevel, Applicant, Application, ApplicationNumber, Channel,
            NewApplication,
            identity::{IdDocument, ResidentId},
            store::{Stamp, prelude::*},
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gongkai.sqlite3");
        let store = SqliteStore::open(&path).await.unwrap();
        store.migrate().await.unwrap();
        let code = AgencyCode::parse("street").unwrap();
        let stamp = Stamp {
            actor: "test".into(),
            at: jiff::Timestamp::UNIX_EPOCH,
        };
        let agency = Agency::new(code.clone(), "太平街道", AgencyLevel::Township, None).unwrap();
        store.add_agency(&agency, &stamp).await.unwrap();
        let id = ResidentId::with_check_character("11010519491231002").unwrap();
        let apps: Vec<Application> = ["2024-001", "2024-002"]
            .iter()
            .map(|number| {
                let new = NewApplication {
                    number: ApplicationNumber::parse(number).unwrap(),
                    applicant: Applicant::new(
                        gongkai_law::ApplicantKind::NaturalPerson,
                        "王五",
                        Some(IdDocument::ResidentId(id.clone())),
                        "",
                    )
                    .unwrap(),
                    channel: Channel::InPerson,
                    received: gongkai_law::parse_date("d", "2024-09-02").unwrap(),
                    content: "某项信息".into(),
                    wanted_form: "纸质".into(),
                };
                Application::new(
                    code.clone(),
                    new,
                    jiff::Timestamp::UNIX_EPOCH,
                    gongkai_law::parse_date("d", "2024-09-02").unwrap(),
                )
                .unwrap()
            })
            .collect();
        store.insert_applications(&apps, &stamp).await.unwrap();
        // As an installation from before 0010 would have them: no records, no links.
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        sqlx::raw_sql("DELETE FROM applicants; UPDATE applications SET applicant_id = NULL")
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
        store.migrate().await.unwrap();
        let first = store
            .application(&code, &apps[0].number)
            .await
            .unwrap()
            .unwrap();
        let history = store
            .applicant_applications(&code, first.applicant_link.unwrap().id)
            .await
            .unwrap();
        assert_eq!(history.len(), 2);
    }

    #[tokio::test]
    async fn in_memory_too() {
        let store = SqliteStore::in_memory().await.unwrap();
        store.migrate().await.unwrap();
        gongkai_store_contract::audit_chain_is_intact(&store).await;
    }
}

mod postgres {
    use super::*;
    use gongkai_store::PostgresStore;

    const HOW: &str = "PostgreSQL suite NOT RUN: set GONGKAI_TEST_POSTGRES_URL=postgres://… (a server where the user may CREATE DATABASE) and run `cargo test -p gongkai-store -- --ignored`, or run .ci/run";

    /// A new database on the server named by `GONGKAI_TEST_POSTGRES_URL`, dropped afterwards.
    async fn fresh() -> Fresh<PostgresStore> {
        let url = std::env::var("GONGKAI_TEST_POSTGRES_URL").unwrap_or_else(|_| panic!("{HOW}"));
        let admin = PostgresStore::connect(&url)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to {url}: {e}\n{HOW}"));
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let name = format!(
            "gongkai_contract_{}_{}_{}",
            std::process::id(),
            jiff::Timestamp::now().as_millisecond(),
            NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        // UTF-8 whatever the cluster's default, so full-text search sees Chinese as words.
        admin
            .execute_admin(&format!(
                "CREATE DATABASE {name} ENCODING 'UTF8' LC_CTYPE 'C' LC_COLLATE 'C' TEMPLATE template0"
            ))
            .await
            .unwrap();
        let store = PostgresStore::connect(&replace_database(&url, &name))
            .await
            .unwrap();
        let mut fresh = Fresh::migrated(store.clone()).await;
        fresh.cleanup = Some(Box::pin(async move {
            store.close().await;
            admin
                .execute_admin(&format!("DROP DATABASE {name}"))
                .await
                .unwrap();
            admin.close().await;
        }));
        fresh
    }

    contract_tests!(
        #[ignore = "needs PostgreSQL: set GONGKAI_TEST_POSTGRES_URL and run with --ignored (.ci/run does)"]
        fn fresh
    );

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
}

/// Each database applies every migration file there is for it (its own folder and the shared
/// one), under the same names as the other, and no name is both shared and its own.
#[test]
fn both_databases_have_the_same_migrations() {
    let listed = |dir: &str| -> Vec<String> {
        let folder = format!("{}/migrations/{dir}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_dir(folder)
            .unwrap()
            .map(|e| {
                let name = e.unwrap().file_name().to_string_lossy().to_string();
                name.trim_end_matches(".sql").to_string()
            })
            .collect()
    };
    let applied = |migrations: &[(&str, &str)]| -> Vec<String> {
        migrations.iter().map(|(n, _)| n.to_string()).collect()
    };
    let shared = listed("shared");
    for dir in ["sqlite", "postgres"] {
        let own = listed(dir);
        assert!(
            own.iter().all(|n| !shared.contains(n)),
            "{dir}: a migration is both shared and its own"
        );
        let mut all: Vec<String> = own.into_iter().chain(shared.iter().cloned()).collect();
        all.sort();
        assert_eq!(all, applied(sqlx::Sqlite::MIGRATIONS), "{dir}");
        assert_eq!(all, applied(sqlx::Postgres::MIGRATIONS), "{dir}");
    }
}
