//! The embedded store: one SQLite file in the data directory, WAL journal, a busy timeout,
//! foreign keys on, one writer connection and a pool of readers. Every change and its audit
//! entry are written in one transaction.

mod records;

use std::{path::Path, str::FromStr, time::Duration};

use gongkai_domain::{
    Agency, AgencyCode, Application, ApplicationNumber, DomainError, Event, User, UserName,
    access::{AccessKind, AccessToken, access_token_from},
    audit::{AuditEntry, AuditRecord, GENESIS},
    catalog::CatalogEntry,
    letters::{self, LetterKind},
    publication::Publication,
    register::{RegisteredDocument, YearFigures},
    stats::{CaseFacts, Table3Counts},
    store::{
        IssuedLetter, LetterToIssue, RegisterStore, Stamp, Store, StoreError, StoreResult,
        refuse_unapproved_release,
    },
};
use gongkai_law::{ApplicantKind, Outcome};
use gongkai_report::render::letter::LetterDocument;
use sqlx::{
    Row, SqliteConnection,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions},
};

/// The migrations, in order; the PostgreSQL store has the same names (a test enforces it).
pub const MIGRATIONS: [(&str, &str); 9] = [
    (
        "0001_initial",
        include_str!("../migrations/0001_initial.sql"),
    ),
    (
        "0002_letters",
        include_str!("../migrations/0002_letters.sql"),
    ),
    (
        "0003_statistics_index",
        include_str!("../migrations/0003_statistics_index.sql"),
    ),
    ("0004_web", include_str!("../migrations/0004_web.sql")),
    (
        "0005_publications",
        include_str!("../migrations/0005_publications.sql"),
    ),
    (
        "0006_register",
        include_str!("../migrations/0006_register.sql"),
    ),
    (
        "0007_catalog",
        include_str!("../migrations/0007_catalog.sql"),
    ),
    ("0008_search", include_str!("../migrations/0008_search.sql")),
    (
        "0009_records",
        include_str!("../migrations/0009_records.sql"),
    ),
];

#[derive(Clone)]
pub struct SqliteStore {
    writer: SqlitePool,
    readers: SqlitePool,
}

fn db(e: sqlx::Error) -> StoreError {
    StoreError::Database(e.to_string())
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Database(format!("{what} 数据无法解析：{e}"))
}

impl SqliteStore {
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

    /// Inserts new `(agency, id, data)` rows with `insert` (an `INSERT … (agency, id, data)`
    /// into one of the document tables), all or none (an import is one transaction), each with
    /// its audit entry; an id already there is a conflict named `what`.
    async fn insert_all<'a>(
        &self,
        insert: &'static str,
        rows: impl Iterator<Item = (&'a AgencyCode, u64, serde_json::Value)>,
        action: &str,
        what: &str,
        stamp: &Stamp,
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(db)?;
        for (agency, id, data) in rows {
            sqlx::query(insert)
                .bind(agency.as_str())
                .bind(id as i64)
                .bind(data.to_string())
                .execute(&mut *tx)
                .await
                .map_err(|e| {
                    if duplicate(&e) {
                        DomainError::Conflict(format!("{what} {id} 已存在")).into()
                    } else {
                        db(e)
                    }
                })?;
            Self::audit(
                &mut tx,
                AuditRecord::new(
                    stamp,
                    agency.as_str(),
                    action,
                    &id.to_string(),
                    serde_json::Value::Null,
                    data,
                ),
            )
            .await?;
        }
        tx.commit().await.map_err(db)
    }

    /// Appends an audit entry chained to the last one, on the writer's connection inside the
    /// caller's transaction.
    async fn audit(conn: &mut SqliteConnection, record: AuditRecord) -> StoreResult<()> {
        let last = sqlx::query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut *conn)
            .await
            .map_err(db)?;
        let (seq, prev) = match last {
            Some(row) => (row.get::<i64, _>(0) as u64 + 1, row.get::<String, _>(1)),
            None => (1, GENESIS.to_string()),
        };
        let entry = AuditEntry::new(seq, &prev, record);
        sqlx::query("INSERT INTO audit_log (seq, at, agency, actor, action, subject, before, after, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .bind(entry.seq as i64)
            .bind(&entry.record.at)
            .bind(&entry.record.agency)
            .bind(&entry.record.actor)
            .bind(&entry.record.action)
            .bind(&entry.record.subject)
            .bind(entry.record.before.to_string())
            .bind(entry.record.after.to_string())
            .bind(&entry.prev_hash)
            .bind(&entry.hash)
            .execute(&mut *conn)
            .await
            .map_err(db)?;
        Ok(())
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).expect("domain values serialize")
}

fn agency_from(row: &sqlx::sqlite::SqliteRow) -> StoreResult<Agency> {
    let code: String = row.get("code");
    Ok(Agency {
        code: AgencyCode::parse(&code)?,
        name: row.get("name"),
        level: serde_json::from_value(serde_json::Value::String(row.get("level")))
            .map_err(|e| corrupt("agency level", e))?,
        parent: row
            .get::<Option<String>, _>("parent")
            .map(|p| AgencyCode::parse(&p))
            .transpose()?,
        settings: serde_json::from_str(&row.get::<String, _>("settings"))
            .map_err(|e| corrupt("agency settings", e))?,
    })
}

fn user_from(row: &sqlx::sqlite::SqliteRow) -> StoreResult<User> {
    Ok(User {
        name: UserName::parse(&row.get::<String, _>("name"))?,
        display_name: row.get("display_name"),
        agency: AgencyCode::parse(&row.get::<String, _>("agency"))?,
        roles: serde_json::from_str(&row.get::<String, _>("roles"))
            .map_err(|e| corrupt("user roles", e))?,
        active: row.get::<i64, _>("active") != 0,
    })
}

fn application_from(row: &sqlx::sqlite::SqliteRow) -> StoreResult<Application> {
    let mut app: Application = serde_json::from_str(&row.get::<String, _>("data"))
        .map_err(|e| corrupt("application", e))?;
    app.version = row.get::<i64, _>("version") as u64;
    Ok(app)
}

fn code<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        other => panic!("expected a code, got {other:?}"),
    }
}

fn duplicate(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

impl Store for SqliteStore {
    async fn migrate(&self) -> StoreResult<()> {
        let mut conn = self.writer.acquire().await.map_err(db)?;
        sqlx::query("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            .execute(&mut *conn)
            .await
            .map_err(db)?;
        for (name, sql) in MIGRATIONS {
            let done = sqlx::query("SELECT 1 FROM schema_migrations WHERE name = ?")
                .bind(name)
                .fetch_optional(&mut *conn)
                .await
                .map_err(db)?;
            if done.is_some() {
                continue;
            }
            let mut tx = sqlx::Connection::begin(&mut *conn).await.map_err(db)?;
            sqlx::raw_sql(sql).execute(&mut *tx).await.map_err(db)?;
            sqlx::query(
                "INSERT INTO schema_migrations (name, applied_at) VALUES (?, datetime('now'))",
            )
            .bind(name)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
            tx.commit().await.map_err(db)?;
        }
        Ok(())
    }

    async fn add_agency(&self, agency: &Agency, stamp: &Stamp) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(db)?;
        if let Some(parent) = &agency.parent {
            let found = sqlx::query("SELECT 1 FROM agencies WHERE code = ?")
                .bind(parent.as_str())
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?;
            if found.is_none() {
                return Err(
                    DomainError::NotFound(format!("上级机关 {parent} 不存在，请先添加")).into(),
                );
            }
        }
        sqlx::query(
            "INSERT INTO agencies (code, name, level, parent, settings) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(agency.code.as_str())
        .bind(&agency.name)
        .bind(code(&agency.level))
        .bind(agency.parent.as_ref().map(|p| p.as_str()))
        .bind(to_json(&agency.settings).to_string())
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            if duplicate(&e) {
                DomainError::Conflict(format!("机关代码 {} 已存在", agency.code)).into()
            } else {
                db(e)
            }
        })?;
        Self::audit(
            &mut tx,
            AuditRecord::new(
                stamp,
                agency.code.as_str(),
                "agency.add",
                agency.code.as_str(),
                serde_json::Value::Null,
                to_json(agency),
            ),
        )
        .await?;
        tx.commit().await.map_err(db)
    }

    async fn agency(&self, code: &AgencyCode) -> StoreResult<Option<Agency>> {
        let row = sqlx::query("SELECT * FROM agencies WHERE code = ?")
            .bind(code.as_str())
            .fetch_optional(&self.readers)
            .await
            .map_err(db)?;
        row.as_ref().map(agency_from).transpose()
    }

    async fn agencies(&self) -> StoreResult<Vec<Agency>> {
        let rows = sqlx::query("SELECT * FROM agencies ORDER BY code")
            .fetch_all(&self.readers)
            .await
            .map_err(db)?;
        rows.iter().map(agency_from).collect()
    }

    async fn add_user(&self, user: &User, stamp: &Stamp) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(db)?;
        let agency = sqlx::query("SELECT 1 FROM agencies WHERE code = ?")
            .bind(user.agency.as_str())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
        if agency.is_none() {
            return Err(DomainError::NotFound(format!("机关 {} 不存在", user.agency)).into());
        }
        sqlx::query(
            "INSERT INTO users (name, agency, display_name, roles, active) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(user.name.as_str())
        .bind(user.agency.as_str())
        .bind(&user.display_name)
        .bind(to_json(&user.roles).to_string())
        .bind(i64::from(user.active))
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            if duplicate(&e) {
                DomainError::Conflict(format!("用户名 {} 已存在", user.name)).into()
            } else {
                db(e)
            }
        })?;
        Self::audit(
            &mut tx,
            AuditRecord::new(
                stamp,
                user.agency.as_str(),
                "user.add",
                user.name.as_str(),
                serde_json::Value::Null,
                to_json(user),
            ),
        )
        .await?;
        tx.commit().await.map_err(db)
    }

    async fn user(&self, name: &UserName) -> StoreResult<Option<User>> {
        let row = sqlx::query("SELECT * FROM users WHERE name = ?")
            .bind(name.as_str())
            .fetch_optional(&self.readers)
            .await
            .map_err(db)?;
        row.as_ref().map(user_from).transpose()
    }

    async fn users(&self, agency: Option<&AgencyCode>) -> StoreResult<Vec<User>> {
        let rows = match agency {
            Some(a) => {
                sqlx::query("SELECT * FROM users WHERE agency = ? ORDER BY name")
                    .bind(a.as_str())
                    .fetch_all(&self.readers)
                    .await
            }
            None => {
                sqlx::query("SELECT * FROM users ORDER BY name")
                    .fetch_all(&self.readers)
                    .await
            }
        }
        .map_err(db)?;
        rows.iter().map(user_from).collect()
    }

    async fn set_user_active(
        &self,
        name: &UserName,
        active: bool,
        stamp: &Stamp,
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(db)?;
        let row = sqlx::query("SELECT * FROM users WHERE name = ?")
            .bind(name.as_str())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
        let before = row
            .as_ref()
            .map(user_from)
            .transpose()?
            .ok_or_else(|| DomainError::NotFound(format!("用户 {name} 不存在")))?;
        sqlx::query("UPDATE users SET active = ? WHERE name = ?")
            .bind(i64::from(active))
            .bind(name.as_str())
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        let after = User {
            active,
            ..before.clone()
        };
        let action = if active {
            "user.enable"
        } else {
            "user.disable"
        };
        Self::audit(
            &mut tx,
            AuditRecord::new(
                stamp,
                before.agency.as_str(),
                action,
                name.as_str(),
                to_json(&before),
                to_json(&after),
            ),
        )
        .await?;
        tx.commit().await.map_err(db)
    }

    async fn insert_applications(
        &self,
        applications: &[Application],
        stamp: &Stamp,
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(db)?;
        for app in applications {
            sqlx::query("INSERT INTO applications (agency, number, applicant_kind, received, state, outcome, answered_on, version, data) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)")
                .bind(app.agency.as_str())
                .bind(app.number.as_str())
                .bind(app.applicant.kind.code())
                .bind(app.received.to_string())
                .bind(app.state.code())
                .bind(app.answer.as_ref().filter(|_| app.answered_on.is_some()).map(|a| a.outcome.code()))
                .bind(app.answered_on.map(|d| d.to_string()))
                .bind(to_json(&Application { version: 1, ..app.clone() }).to_string())
                .execute(&mut *tx)
                .await
                .map_err(|e| {
                    if duplicate(&e) {
                        DomainError::Conflict(format!("申请编号 {} 在 {} 已存在", app.number, app.agency)).into()
                    } else {
                        db(e)
                    }
                })?;
            Self::audit(
                &mut tx,
                AuditRecord::new(
                    stamp,
                    app.agency.as_str(),
                    "application.add",
                    app.number.as_str(),
                    serde_json::Value::Null,
                    to_json(app),
                ),
            )
            .await?;
        }
        tx.commit().await.map_err(db)
    }

    async fn application(
        &self,
        agency: &AgencyCode,
        number: &ApplicationNumber,
    ) -> StoreResult<Option<Application>> {
        let row =
            sqlx::query("SELECT data, version FROM applications WHERE agency = ? AND number = ?")
                .bind(agency.as_str())
                .bind(number.as_str())
                .fetch_optional(&self.readers)
                .await
                .map_err(db)?;
        row.as_ref().map(application_from).transpose()
    }

    async fn applications(&self, agency: &AgencyCode) -> StoreResult<Vec<Application>> {
        let rows = sqlx::query(
            "SELECT data, version FROM applications WHERE agency = ? ORDER BY received, number",
        )
        .bind(agency.as_str())
        .fetch_all(&self.readers)
        .await
        .map_err(db)?;
        rows.iter().map(application_from).collect()
    }

    async fn save_application(
        &self,
        changed: &Application,
        event: &Event,
    ) -> StoreResult<Application> {
        let mut tx = self.writer.begin().await.map_err(db)?;
        let before =
            sqlx::query("SELECT data, version FROM applications WHERE agency = ? AND number = ?")
                .bind(changed.agency.as_str())
                .bind(changed.number.as_str())
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?
                .as_ref()
                .map(application_from)
                .transpose()?
                .ok_or_else(|| DomainError::NotFound(format!("申请 {} 不存在", changed.number)))?;
        if before.version != changed.version {
            return Err(DomainError::Conflict(format!(
                "申请 {} 已被他人修改（版本 {} → {}），请刷新后重新操作，您的修改未保存",
                changed.number, changed.version, before.version
            ))
            .into());
        }
        let saved = Application {
            version: changed.version + 1,
            ..changed.clone()
        };
        let result = sqlx::query("UPDATE applications SET state = ?, outcome = ?, answered_on = ?, version = ?, data = ? WHERE agency = ? AND number = ? AND version = ?")
            .bind(saved.state.code())
            .bind(saved.answer.as_ref().filter(|_| saved.answered_on.is_some()).map(|a| a.outcome.code()))
            .bind(saved.answered_on.map(|d| d.to_string()))
            .bind(saved.version as i64)
            .bind(to_json(&saved).to_string())
            .bind(saved.agency.as_str())
            .bind(saved.number.as_str())
            .bind(changed.version as i64)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        if result.rows_affected() != 1 {
            return Err(DomainError::Conflict(format!(
                "申请 {} 已被他人修改，请刷新后重新操作",
                changed.number
            ))
            .into());
        }
        let stamp = Stamp {
            actor: event.actor.to_string(),
            at: event.at,
        };
        let action = format!("application.{}", event.action.code());
        Self::audit(
            &mut tx,
            AuditRecord::new(
                &stamp,
                saved.agency.as_str(),
                &action,
                saved.number.as_str(),
                to_json(&before),
                to_json(&saved),
            ),
        )
        .await?;
        tx.commit().await.map_err(db)?;
        Ok(saved)
    }

    async fn log_personal_data_read(
        &self,
        agency: &AgencyCode,
        number: &ApplicationNumber,
        stamp: &Stamp,
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(db)?;
        Self::audit(
            &mut tx,
            AuditRecord::new(
                stamp,
                agency.as_str(),
                "application.read_personal_data",
                number.as_str(),
                serde_json::Value::Null,
                serde_json::Value::Null,
            ),
        )
        .await?;
        tx.commit().await.map_err(db)
    }

    async fn case_facts(&self, agency: &AgencyCode, year: i16) -> StoreResult<Vec<CaseFacts>> {
        let rows = sqlx::query("SELECT number, applicant_kind, received, outcome, answered_on FROM applications WHERE agency = ? AND received <= ? ORDER BY received, number")
            .bind(agency.as_str())
            .bind(format!("{year:04}-12-31"))
            .fetch_all(&self.readers)
            .await
            .map_err(db)?;
        rows.iter()
            .map(|row| {
                CaseFacts::from_columns(row.get(0), row.get(1), row.get(2), row.get(3), row.get(4))
                    .map_err(|e| corrupt("application", e))
            })
            .collect()
    }

    async fn table3_counts(&self, agencies: &[AgencyCode], year: i16) -> StoreResult<Table3Counts> {
        let first = format!("{year:04}-01-01");
        let last = format!("{year:04}-12-31");
        let codes: Vec<String> = agencies.iter().map(|a| a.to_string()).collect();
        // Four grouped queries over the whole set of agencies, whatever its size.
        let grouped = |sql: &'static str, dates: [&str; 2]| {
            let codes = serde_json::to_string(&codes).expect("strings serialize");
            let first_date = dates[0].to_string();
            let second_date = dates[1].to_string();
            async move {
                sqlx::query(sql)
                    .bind(codes)
                    .bind(first_date)
                    .bind(second_date)
                    .fetch_all(&self.readers)
                    .await
                    .map_err(db)
            }
        };
        let mut counts = Table3Counts::default();
        for row in grouped("SELECT applicant_kind, COUNT(*) FROM applications WHERE agency IN (SELECT value FROM json_each(?)) AND received >= ? AND received <= ? GROUP BY applicant_kind", [&first, &last]).await? {
            counts.newly_received.push((kind(row.get(0))?, row.get::<i64, _>(1) as u64));
        }
        for row in grouped("SELECT applicant_kind, COUNT(*) FROM applications WHERE agency IN (SELECT value FROM json_each(?)) AND received < ? AND (answered_on IS NULL OR answered_on >= ?) GROUP BY applicant_kind", [&first, &first]).await? {
            counts.carried_over.push((kind(row.get(0))?, row.get::<i64, _>(1) as u64));
        }
        for row in grouped("SELECT applicant_kind, outcome, COUNT(*) FROM applications WHERE agency IN (SELECT value FROM json_each(?)) AND answered_on >= ? AND answered_on <= ? GROUP BY applicant_kind, outcome", [&first, &last]).await? {
            counts.results.push((kind(row.get(0))?, outcome(row.get(1))?, row.get::<i64, _>(2) as u64));
        }
        for row in grouped("SELECT applicant_kind, COUNT(*) FROM applications WHERE agency IN (SELECT value FROM json_each(?)) AND received <= ? AND (answered_on IS NULL OR answered_on > ?) GROUP BY applicant_kind", [&last, &last]).await? {
            counts.carried_forward.push((kind(row.get(0))?, row.get::<i64, _>(1) as u64));
        }
        Ok(counts)
    }

    async fn update_agency(&self, agency: &Agency, stamp: &Stamp) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(db)?;
        let row = sqlx::query("SELECT * FROM agencies WHERE code = ?")
            .bind(agency.code.as_str())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
        let before = row
            .as_ref()
            .map(agency_from)
            .transpose()?
            .ok_or_else(|| DomainError::NotFound(format!("机关 {} 不存在", agency.code)))?;
        if before.parent != agency.parent || before.level != agency.level {
            return Err(DomainError::invalid("机关", "不能在此更改上级机关或层级").into());
        }
        sqlx::query("UPDATE agencies SET name = ?, settings = ? WHERE code = ?")
            .bind(&agency.name)
            .bind(to_json(&agency.settings).to_string())
            .bind(agency.code.as_str())
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        Self::audit(
            &mut tx,
            AuditRecord::new(
                stamp,
                agency.code.as_str(),
                "agency.update",
                agency.code.as_str(),
                to_json(&before),
                to_json(agency),
            ),
        )
        .await?;
        tx.commit().await.map_err(db)
    }

    async fn issue_letter(
        &self,
        letter: LetterToIssue<'_>,
        stamp: &Stamp,
    ) -> StoreResult<IssuedLetter> {
        let mut tx = self.writer.begin().await.map_err(db)?;
        let year = letter.issued_on.year();
        let tag = letter.kind.tag();
        let last: Option<i64> =
            sqlx::query("SELECT MAX(seq) FROM letters WHERE agency = ? AND tag = ? AND year = ?")
                .bind(letter.agency.as_str())
                .bind(tag)
                .bind(i64::from(year))
                .fetch_one(&mut *tx)
                .await
                .map_err(db)?
                .get(0);
        let seq = last.unwrap_or(0) + 1;
        let number = letters::letter_number(letter.prefix, letter.kind, year, seq as u32);
        let document = LetterDocument {
            number: number.clone(),
            ..letter.document.clone()
        };
        sqlx::query("INSERT INTO letters (agency, tag, year, seq, application, kind, number, issued_on, document) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .bind(letter.agency.as_str())
            .bind(tag)
            .bind(i64::from(year))
            .bind(seq)
            .bind(letter.application.as_str())
            .bind(letter.kind.code())
            .bind(&number)
            .bind(letter.issued_on.to_string())
            .bind(to_json(&document).to_string())
            .execute(&mut *tx)
            .await
            .map_err(|e| match &e {
                sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
                    StoreError::Domain(DomainError::NotFound(format!("申请 {} 不存在", letter.application)))
                }
                _ => db(e),
            })?;
        Self::audit(
            &mut tx,
            AuditRecord::new(
                stamp,
                letter.agency.as_str(),
                "letter.issue",
                letter.application.as_str(),
                serde_json::Value::Null,
                to_json(&document),
            ),
        )
        .await?;
        tx.commit().await.map_err(db)?;
        Ok(IssuedLetter {
            kind: letter.kind,
            number,
            issued_on: letter.issued_on,
            document,
        })
    }

    async fn letters(
        &self,
        agency: &AgencyCode,
        application: &ApplicationNumber,
    ) -> StoreResult<Vec<IssuedLetter>> {
        let rows = sqlx::query("SELECT kind, number, issued_on, document FROM letters WHERE agency = ? AND application = ? ORDER BY issued_on, tag, seq")
            .bind(agency.as_str())
            .bind(application.as_str())
            .fetch_all(&self.readers)
            .await
            .map_err(db)?;
        rows.iter()
            .map(|row| {
                Ok(IssuedLetter {
                    kind: LetterKind::parse(&row.get::<String, _>(0))
                        .map_err(|e| corrupt("letter", e))?,
                    number: row.get(1),
                    issued_on: gongkai_law::parse_date("issued_on", &row.get::<String, _>(2))
                        .map_err(|e| corrupt("letter", e))?,
                    document: serde_json::from_str(&row.get::<String, _>(3))
                        .map_err(|e| corrupt("letter", e))?,
                })
            })
            .collect()
    }

    async fn audit_entries(&self) -> StoreResult<Vec<AuditEntry>> {
        let rows = sqlx::query("SELECT * FROM audit_log ORDER BY seq")
            .fetch_all(&self.readers)
            .await
            .map_err(db)?;
        rows.iter()
            .map(|row| {
                Ok(AuditEntry {
                    seq: row.get::<i64, _>("seq") as u64,
                    record: AuditRecord {
                        at: row.get("at"),
                        agency: row.get("agency"),
                        actor: row.get("actor"),
                        action: row.get("action"),
                        subject: row.get("subject"),
                        before: serde_json::from_str(&row.get::<String, _>("before"))
                            .map_err(|e| corrupt("audit", e))?,
                        after: serde_json::from_str(&row.get::<String, _>("after"))
                            .map_err(|e| corrupt("audit", e))?,
                    },
                    prev_hash: row.get("prev_hash"),
                    hash: row.get("hash"),
                })
            })
            .collect()
    }

    async fn next_in_series(&self, agency: &AgencyCode, prefix: &str) -> StoreResult<u64> {
        let row = sqlx::query(
            "INSERT INTO number_series (agency, prefix, last_value) VALUES (?1, ?2, (SELECT COUNT(*) FROM applications WHERE agency = ?1 AND substr(number, 1, length(?2)) = ?2) + 1) \
             ON CONFLICT (agency, prefix) DO UPDATE SET last_value = number_series.last_value + 1 RETURNING last_value",
        )
        .bind(agency.as_str())
        .bind(prefix)
        .fetch_one(&self.writer)
        .await
        .map_err(db)?;
        Ok(row.get::<i64, _>(0) as u64)
    }

    async fn set_password(
        &self,
        name: &UserName,
        password_hash: &str,
        stamp: &Stamp,
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(db)?;
        let user = sqlx::query("SELECT * FROM users WHERE name = ?")
            .bind(name.as_str())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?
            .as_ref()
            .map(user_from)
            .transpose()?
            .ok_or_else(|| DomainError::NotFound(format!("用户 {name} 不存在")))?;
        sqlx::query("INSERT INTO credentials (user_name, password_hash) VALUES (?, ?) ON CONFLICT (user_name) DO UPDATE SET password_hash = excluded.password_hash")
            .bind(name.as_str())
            .bind(password_hash)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        Self::audit(
            &mut tx,
            AuditRecord::new(
                stamp,
                user.agency.as_str(),
                "user.set_password",
                name.as_str(),
                serde_json::Value::Null,
                serde_json::Value::Null,
            ),
        )
        .await?;
        tx.commit().await.map_err(db)
    }

    async fn password_hash(&self, name: &UserName) -> StoreResult<Option<String>> {
        let row = sqlx::query("SELECT password_hash FROM credentials WHERE user_name = ?")
            .bind(name.as_str())
            .fetch_optional(&self.readers)
            .await
            .map_err(db)?;
        Ok(row.map(|r| r.get(0)))
    }

    async fn add_access_token(&self, token: &AccessToken, stamp: &Stamp) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(db)?;
        let agency = sqlx::query("SELECT agency FROM users WHERE name = ?")
            .bind(token.user.as_str())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?
            .map(|r| r.get::<String, _>(0))
            .ok_or_else(|| DomainError::NotFound(format!("用户 {} 不存在", token.user)))?;
        sqlx::query("INSERT INTO access_tokens (hash, kind, user_name, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")
            .bind(&token.hash)
            .bind(token.kind.code())
            .bind(token.user.as_str())
            .bind(token.created_at.to_string())
            .bind(token.expires_at.map(|t| t.to_string()))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        let action = match token.kind {
            AccessKind::Session => "user.login",
            AccessKind::ApiToken => "user.create_api_token",
        };
        Self::audit(
            &mut tx,
            AuditRecord::new(
                stamp,
                &agency,
                action,
                token.user.as_str(),
                serde_json::Value::Null,
                serde_json::Value::Null,
            ),
        )
        .await?;
        tx.commit().await.map_err(db)
    }

    async fn access_token(&self, hash: &str) -> StoreResult<Option<AccessToken>> {
        let row = sqlx::query("SELECT hash, kind, user_name, created_at, expires_at FROM access_tokens WHERE hash = ?")
            .bind(hash)
            .fetch_optional(&self.readers)
            .await
            .map_err(db)?;
        row.map(|row| {
            access_token_from(
                row.get(0),
                &row.get::<String, _>(1),
                &row.get::<String, _>(2),
                &row.get::<String, _>(3),
                row.get::<Option<String>, _>(4).as_deref(),
            )
        })
        .transpose()
        .map_err(|e| corrupt("access token", e))
    }

    async fn remove_access_token(&self, hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM access_tokens WHERE hash = ?")
            .bind(hash)
            .execute(&self.writer)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn put_attachment(&self, sha256: &str, bytes: &[u8]) -> StoreResult<()> {
        sqlx::query("INSERT INTO attachments (sha256, content) VALUES (?, ?) ON CONFLICT (sha256) DO NOTHING")
            .bind(sha256)
            .bind(bytes)
            .execute(&self.writer)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn attachment_bytes(&self, sha256: &str) -> StoreResult<Option<Vec<u8>>> {
        let row = sqlx::query("SELECT content FROM attachments WHERE sha256 = ?")
            .bind(sha256)
            .fetch_optional(&self.readers)
            .await
            .map_err(db)?;
        Ok(row.map(|r| r.get(0)))
    }

    async fn put_calendar_notice(&self, year: i16, json: &str, stamp: &Stamp) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(db)?;
        let before = sqlx::query("SELECT notice FROM calendar_notices WHERE year = ?")
            .bind(i64::from(year))
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?
            .map(|r| r.get::<String, _>(0));
        sqlx::query("INSERT INTO calendar_notices (year, notice) VALUES (?, ?) ON CONFLICT (year) DO UPDATE SET notice = excluded.notice")
            .bind(i64::from(year))
            .bind(json)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        Self::audit(
            &mut tx,
            AuditRecord::new(
                stamp,
                "",
                "calendar.load_notice",
                &year.to_string(),
                before.map_or(serde_json::Value::Null, serde_json::Value::String),
                serde_json::Value::String(json.to_string()),
            ),
        )
        .await?;
        tx.commit().await.map_err(db)
    }

    async fn calendar_notices(&self) -> StoreResult<Vec<(i16, String)>> {
        let rows = sqlx::query("SELECT year, notice FROM calendar_notices ORDER BY year")
            .fetch_all(&self.readers)
            .await
            .map_err(db)?;
        Ok(rows
            .iter()
            .map(|r| (r.get::<i64, _>(0) as i16, r.get(1)))
            .collect())
    }
    async fn add_publication(&self, p: &Publication, stamp: &Stamp) -> StoreResult<()> {
        refuse_unapproved_release(p)?;
        let mut tx = self.writer.begin().await.map_err(db)?;
        sqlx::query("INSERT INTO publications (agency, id, state, fully_approved, index_number, published_on, written_on, category, version, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)")
            .bind(p.agency.as_str())
            .bind(p.id as i64)
            .bind(p.state.code())
            .bind(i64::from(p.fully_approved()))
            .bind(&p.index_number)
            .bind(p.published_on.map(|d| d.to_string()))
            .bind(p.draft.written_on.to_string())
            .bind(&p.draft.category)
            .bind(to_json(&Publication { version: 1, ..p.clone() }).to_string())
            .execute(&mut *tx)
            .await
            .map_err(|e| {
                if duplicate(&e) {
                    DomainError::Conflict(format!("公开信息 {} 已存在", p.id)).into()
                } else {
                    db(e)
                }
            })?;
        sqlx::query("INSERT INTO search_outbox (agency, publication) VALUES (?, ?)")
            .bind(p.agency.as_str())
            .bind(p.id as i64)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        Self::audit(
            &mut tx,
            AuditRecord::new(
                stamp,
                p.agency.as_str(),
                "publication.add",
                &p.id.to_string(),
                serde_json::Value::Null,
                to_json(p),
            ),
        )
        .await?;
        tx.commit().await.map_err(db)
    }

    async fn publication(&self, agency: &AgencyCode, id: u64) -> StoreResult<Option<Publication>> {
        let row = sqlx::query("SELECT data FROM publications WHERE agency = ? AND id = ?")
            .bind(agency.as_str())
            .bind(id as i64)
            .fetch_optional(&self.readers)
            .await
            .map_err(db)?;
        row.map(|r| {
            serde_json::from_str(&r.get::<String, _>(0)).map_err(|e| corrupt("publication", e))
        })
        .transpose()
    }

    async fn publications(&self, agency: &AgencyCode) -> StoreResult<Vec<Publication>> {
        let rows = sqlx::query("SELECT data FROM publications WHERE agency = ? ORDER BY id DESC")
            .bind(agency.as_str())
            .fetch_all(&self.readers)
            .await
            .map_err(db)?;
        rows.iter()
            .map(|r| {
                serde_json::from_str(&r.get::<String, _>(0)).map_err(|e| corrupt("publication", e))
            })
            .collect()
    }

    async fn public_publications(&self, agency: &AgencyCode) -> StoreResult<Vec<Publication>> {
        let rows = sqlx::query("SELECT data FROM publications WHERE agency = ? AND state = 'published' AND fully_approved = 1 ORDER BY published_on DESC, id DESC")
            .bind(agency.as_str())
            .fetch_all(&self.readers)
            .await
            .map_err(db)?;
        let all: Vec<Publication> = rows
            .iter()
            .map(|r| {
                serde_json::from_str(&r.get::<String, _>(0)).map_err(|e| corrupt("publication", e))
            })
            .collect::<StoreResult<_>>()?;
        Ok(all.into_iter().filter(Publication::is_public).collect())
    }

    async fn save_publication(
        &self,
        changed: &Publication,
        action: &str,
        stamp: &Stamp,
    ) -> StoreResult<Publication> {
        refuse_unapproved_release(changed)?;
        let mut tx = self.writer.begin().await.map_err(db)?;
        let before: Publication =
            sqlx::query("SELECT data FROM publications WHERE agency = ? AND id = ?")
                .bind(changed.agency.as_str())
                .bind(changed.id as i64)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?
                .map(|r| {
                    serde_json::from_str(&r.get::<String, _>(0))
                        .map_err(|e| corrupt("publication", e))
                })
                .transpose()?
                .ok_or_else(|| DomainError::NotFound(format!("公开信息 {} 不存在", changed.id)))?;
        let saved = Publication {
            version: changed.version + 1,
            ..changed.clone()
        };
        let result = sqlx::query("UPDATE publications SET state = ?, fully_approved = ?, index_number = ?, published_on = ?, written_on = ?, category = ?, version = ?, data = ? WHERE agency = ? AND id = ? AND version = ?")
            .bind(saved.state.code())
            .bind(i64::from(saved.fully_approved()))
            .bind(&saved.index_number)
            .bind(saved.published_on.map(|d| d.to_string()))
            .bind(saved.draft.written_on.to_string())
            .bind(&saved.draft.category)
            .bind(saved.version as i64)
            .bind(to_json(&saved).to_string())
            .bind(saved.agency.as_str())
            .bind(saved.id as i64)
            .bind(changed.version as i64)
            .execute(&mut *tx)
            .await
            .map_err(|e| {
                if duplicate(&e) {
                    DomainError::Conflict(format!("索引号 {} 已被使用", saved.index_number.as_deref().unwrap_or(""))).into()
                } else {
                    db(e)
                }
            })?;
        if result.rows_affected() != 1 {
            return Err(DomainError::Conflict(format!(
                "“{}”已被他人修改（版本 {} → {}），请刷新后重新操作，您的操作未保存",
                changed.draft.title, changed.version, before.version
            ))
            .into());
        }
        sqlx::query("INSERT INTO search_outbox (agency, publication) VALUES (?, ?)")
            .bind(saved.agency.as_str())
            .bind(saved.id as i64)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        Self::audit(
            &mut tx,
            AuditRecord::new(
                stamp,
                saved.agency.as_str(),
                &format!("publication.{action}"),
                &saved.id.to_string(),
                to_json(&before),
                to_json(&saved),
            ),
        )
        .await?;
        tx.commit().await.map_err(db)?;
        Ok(saved)
    }

    async fn search_outbox(&self, limit: usize) -> StoreResult<Vec<(u64, AgencyCode, u64)>> {
        let rows =
            sqlx::query("SELECT seq, agency, publication FROM search_outbox ORDER BY seq LIMIT ?")
                .bind(limit as i64)
                .fetch_all(&self.writer)
                .await
                .map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.get::<i64, _>(0) as u64,
                    AgencyCode::parse(&r.get::<String, _>(1))?,
                    r.get::<i64, _>(2) as u64,
                ))
            })
            .collect()
    }

    async fn search_outbox_done(&self, seq: u64) -> StoreResult<()> {
        sqlx::query("DELETE FROM search_outbox WHERE seq <= ?")
            .bind(seq as i64)
            .execute(&self.writer)
            .await
            .map_err(db)?;
        Ok(())
    }
}

impl RegisterStore for SqliteStore {
    async fn save_register_document(
        &self,
        document: &RegisteredDocument,
        stamp: &Stamp,
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(db)?;
        let before = sqlx::query("SELECT data FROM register_documents WHERE agency = ? AND id = ?")
            .bind(document.agency.as_str())
            .bind(document.id as i64)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?
            .map(|r| {
                serde_json::from_str::<serde_json::Value>(&r.get::<String, _>(0))
                    .unwrap_or(serde_json::Value::Null)
            })
            .unwrap_or(serde_json::Value::Null);
        sqlx::query("INSERT INTO register_documents (agency, id, data) VALUES (?, ?, ?) ON CONFLICT (agency, id) DO UPDATE SET data = excluded.data")
            .bind(document.agency.as_str())
            .bind(document.id as i64)
            .bind(to_json(document).to_string())
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        Self::audit(
            &mut tx,
            AuditRecord::new(
                stamp,
                document.agency.as_str(),
                "register.document",
                &document.id.to_string(),
                before,
                to_json(document),
            ),
        )
        .await?;
        tx.commit().await.map_err(db)
    }

    async fn register_documents(
        &self,
        agency: &AgencyCode,
    ) -> StoreResult<Vec<RegisteredDocument>> {
        let rows = sqlx::query("SELECT data FROM register_documents WHERE agency = ? ORDER BY id")
            .bind(agency.as_str())
            .fetch_all(&self.readers)
            .await
            .map_err(db)?;
        rows.iter()
            .map(|r| {
                serde_json::from_str(&r.get::<String, _>(0))
                    .map_err(|e| corrupt("register document", e))
            })
            .collect()
    }

    async fn add_register_documents(
        &self,
        documents: &[RegisteredDocument],
        stamp: &Stamp,
    ) -> StoreResult<()> {
        let rows = documents.iter().map(|r| (&r.agency, r.id, to_json(r)));
        self.insert_all(
            "INSERT INTO register_documents (agency, id, data) VALUES (?, ?, ?)",
            rows,
            "register.import",
            "第二十条登记",
            stamp,
        )
        .await
    }

    async fn save_year_figures(
        &self,
        agency: &AgencyCode,
        year: i16,
        figures: &YearFigures,
        stamp: &Stamp,
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(db)?;
        sqlx::query("INSERT INTO register_figures (agency, year, data) VALUES (?, ?, ?) ON CONFLICT (agency, year) DO UPDATE SET data = excluded.data")
            .bind(agency.as_str())
            .bind(i64::from(year))
            .bind(to_json(figures).to_string())
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        Self::audit(
            &mut tx,
            AuditRecord::new(
                stamp,
                agency.as_str(),
                "register.figures",
                &year.to_string(),
                serde_json::Value::Null,
                to_json(figures),
            ),
        )
        .await?;
        tx.commit().await.map_err(db)
    }

    async fn year_figures(&self, agency: &AgencyCode, year: i16) -> StoreResult<YearFigures> {
        let row = sqlx::query("SELECT data FROM register_figures WHERE agency = ? AND year = ?")
            .bind(agency.as_str())
            .bind(i64::from(year))
            .fetch_optional(&self.readers)
            .await
            .map_err(db)?;
        match row {
            Some(r) => serde_json::from_str(&r.get::<String, _>(0))
                .map_err(|e| corrupt("register figures", e)),
            None => Ok(YearFigures::default()),
        }
    }

    async fn add_catalog_entries(
        &self,
        entries: &[CatalogEntry],
        stamp: &Stamp,
    ) -> StoreResult<()> {
        let rows = entries.iter().map(|r| (&r.agency, r.id, to_json(r)));
        self.insert_all(
            "INSERT INTO catalog_entries (agency, id, data) VALUES (?, ?, ?)",
            rows,
            "catalog.add",
            "目录条目",
            stamp,
        )
        .await
    }

    async fn catalog_entries(&self, agency: &AgencyCode) -> StoreResult<Vec<CatalogEntry>> {
        let rows = sqlx::query("SELECT data FROM catalog_entries WHERE agency = ? ORDER BY id")
            .bind(agency.as_str())
            .fetch_all(&self.readers)
            .await
            .map_err(db)?;
        rows.iter()
            .map(|r| {
                serde_json::from_str(&r.get::<String, _>(0))
                    .map_err(|e| corrupt("catalog entry", e))
            })
            .collect()
    }
}

fn kind(code: String) -> StoreResult<ApplicantKind> {
    ApplicantKind::from_code(&code).ok_or_else(|| corrupt("applicant kind", code))
}

fn outcome(code: String) -> StoreResult<Outcome> {
    Outcome::from_code(&code).ok_or_else(|| corrupt("outcome", code))
}
