//! Which store the commands use: the SQLite file in the data directory (default), or
//! PostgreSQL with `--database-url postgres://…`.

use std::path::Path;

use gongkai_domain::{
    Agency, AgencyCode, Application, ApplicationNumber, Event, User, UserName,
    access::AccessToken,
    audit::AuditEntry,
    catalog::CatalogEntry,
    publication::Publication,
    records::{RecordKind, RecordStore, StoredRecord},
    register::{RegisteredDocument, YearFigures},
    stats::{CaseFacts, Table3Counts},
    store::{IssuedLetter, LetterToIssue, RegisterStore, Stamp, Store, StoreResult},
};
use gongkai_store_postgres::PostgresStore;
use gongkai_store_sqlite::SqliteStore;

use crate::failure::Failure;

#[derive(Clone)]
pub enum AnyStore {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

/// The SQLite file inside the data directory.
pub const SQLITE_FILE: &str = "gongkai.sqlite3";

pub async fn open(data_dir: &Path, database_url: Option<&str>) -> Result<AnyStore, Failure> {
    let store = match database_url {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            AnyStore::Postgres(
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
            AnyStore::Sqlite(
                SqliteStore::open(&data_dir.join(SQLITE_FILE))
                    .await
                    .map_err(|e| Failure::io("无法打开数据库文件", e))?,
            )
        }
    };
    store
        .migrate()
        .await
        .map_err(|e| Failure::io("数据库迁移失败", e))?;
    Ok(store)
}

macro_rules! both {
    ($self:ident, $store:ident => $call:expr) => {
        match $self {
            AnyStore::Sqlite($store) => $call.await,
            AnyStore::Postgres($store) => $call.await,
        }
    };
}

impl Store for AnyStore {
    async fn migrate(&self) -> StoreResult<()> {
        both!(self, s => s.migrate())
    }
    async fn add_agency(&self, agency: &Agency, stamp: &Stamp) -> StoreResult<()> {
        both!(self, s => s.add_agency(agency, stamp))
    }
    async fn agency(&self, code: &AgencyCode) -> StoreResult<Option<Agency>> {
        both!(self, s => s.agency(code))
    }
    async fn agencies(&self) -> StoreResult<Vec<Agency>> {
        both!(self, s => s.agencies())
    }
    async fn update_agency(&self, agency: &Agency, stamp: &Stamp) -> StoreResult<()> {
        both!(self, s => s.update_agency(agency, stamp))
    }
    async fn issue_letter(
        &self,
        letter: LetterToIssue<'_>,
        stamp: &Stamp,
    ) -> StoreResult<IssuedLetter> {
        both!(self, s => s.issue_letter(letter, stamp))
    }
    async fn letters(
        &self,
        agency: &AgencyCode,
        application: &ApplicationNumber,
    ) -> StoreResult<Vec<IssuedLetter>> {
        both!(self, s => s.letters(agency, application))
    }
    async fn add_user(&self, user: &User, stamp: &Stamp) -> StoreResult<()> {
        both!(self, s => s.add_user(user, stamp))
    }
    async fn user(&self, name: &UserName) -> StoreResult<Option<User>> {
        both!(self, s => s.user(name))
    }
    async fn users(&self, agency: Option<&AgencyCode>) -> StoreResult<Vec<User>> {
        both!(self, s => s.users(agency))
    }
    async fn set_user_active(
        &self,
        name: &UserName,
        active: bool,
        stamp: &Stamp,
    ) -> StoreResult<()> {
        both!(self, s => s.set_user_active(name, active, stamp))
    }
    async fn insert_applications(
        &self,
        applications: &[Application],
        stamp: &Stamp,
    ) -> StoreResult<()> {
        both!(self, s => s.insert_applications(applications, stamp))
    }
    async fn application(
        &self,
        agency: &AgencyCode,
        number: &ApplicationNumber,
    ) -> StoreResult<Option<Application>> {
        both!(self, s => s.application(agency, number))
    }
    async fn applications(&self, agency: &AgencyCode) -> StoreResult<Vec<Application>> {
        both!(self, s => s.applications(agency))
    }
    async fn save_application(
        &self,
        changed: &Application,
        event: &Event,
    ) -> StoreResult<Application> {
        both!(self, s => s.save_application(changed, event))
    }
    async fn log_personal_data_read(
        &self,
        agency: &AgencyCode,
        number: &ApplicationNumber,
        stamp: &Stamp,
    ) -> StoreResult<()> {
        both!(self, s => s.log_personal_data_read(agency, number, stamp))
    }
    async fn case_facts(&self, agency: &AgencyCode, year: i16) -> StoreResult<Vec<CaseFacts>> {
        both!(self, s => s.case_facts(agency, year))
    }
    async fn table3_counts(&self, agencies: &[AgencyCode], year: i16) -> StoreResult<Table3Counts> {
        both!(self, s => s.table3_counts(agencies, year))
    }
    async fn audit_entries(&self) -> StoreResult<Vec<AuditEntry>> {
        both!(self, s => s.audit_entries())
    }
    async fn next_in_series(&self, agency: &AgencyCode, prefix: &str) -> StoreResult<u64> {
        both!(self, s => s.next_in_series(agency, prefix))
    }
    async fn set_password(&self, name: &UserName, hash: &str, stamp: &Stamp) -> StoreResult<()> {
        both!(self, s => s.set_password(name, hash, stamp))
    }
    async fn password_hash(&self, name: &UserName) -> StoreResult<Option<String>> {
        both!(self, s => s.password_hash(name))
    }
    async fn add_access_token(&self, token: &AccessToken, stamp: &Stamp) -> StoreResult<()> {
        both!(self, s => s.add_access_token(token, stamp))
    }
    async fn access_token(&self, hash: &str) -> StoreResult<Option<AccessToken>> {
        both!(self, s => s.access_token(hash))
    }
    async fn remove_access_token(&self, hash: &str) -> StoreResult<()> {
        both!(self, s => s.remove_access_token(hash))
    }
    async fn put_attachment(&self, sha256: &str, bytes: &[u8]) -> StoreResult<()> {
        both!(self, s => s.put_attachment(sha256, bytes))
    }
    async fn attachment_bytes(&self, sha256: &str) -> StoreResult<Option<Vec<u8>>> {
        both!(self, s => s.attachment_bytes(sha256))
    }
    async fn put_calendar_notice(&self, year: i16, json: &str, stamp: &Stamp) -> StoreResult<()> {
        both!(self, s => s.put_calendar_notice(year, json, stamp))
    }
    async fn calendar_notices(&self) -> StoreResult<Vec<(i16, String)>> {
        both!(self, s => s.calendar_notices())
    }
    async fn add_publication(&self, p: &Publication, stamp: &Stamp) -> StoreResult<()> {
        both!(self, s => s.add_publication(p, stamp))
    }
    async fn publication(&self, agency: &AgencyCode, id: u64) -> StoreResult<Option<Publication>> {
        both!(self, s => s.publication(agency, id))
    }
    async fn publications(&self, agency: &AgencyCode) -> StoreResult<Vec<Publication>> {
        both!(self, s => s.publications(agency))
    }
    async fn public_publications(&self, agency: &AgencyCode) -> StoreResult<Vec<Publication>> {
        both!(self, s => s.public_publications(agency))
    }
    async fn save_publication(
        &self,
        p: &Publication,
        action: &str,
        stamp: &Stamp,
    ) -> StoreResult<Publication> {
        both!(self, s => s.save_publication(p, action, stamp))
    }
    async fn search_outbox(&self, limit: usize) -> StoreResult<Vec<(u64, AgencyCode, u64)>> {
        both!(self, s => s.search_outbox(limit))
    }
    async fn search_outbox_done(&self, seq: u64) -> StoreResult<()> {
        both!(self, s => s.search_outbox_done(seq))
    }
}

impl RegisterStore for AnyStore {
    async fn save_register_document(
        &self,
        document: &RegisteredDocument,
        stamp: &Stamp,
    ) -> StoreResult<()> {
        both!(self, s => s.save_register_document(document, stamp))
    }
    async fn register_documents(
        &self,
        agency: &AgencyCode,
    ) -> StoreResult<Vec<RegisteredDocument>> {
        both!(self, s => s.register_documents(agency))
    }
    async fn add_register_documents(
        &self,
        documents: &[RegisteredDocument],
        stamp: &Stamp,
    ) -> StoreResult<()> {
        both!(self, s => s.add_register_documents(documents, stamp))
    }
    async fn save_year_figures(
        &self,
        agency: &AgencyCode,
        year: i16,
        figures: &YearFigures,
        stamp: &Stamp,
    ) -> StoreResult<()> {
        both!(self, s => s.save_year_figures(agency, year, figures, stamp))
    }
    async fn year_figures(&self, agency: &AgencyCode, year: i16) -> StoreResult<YearFigures> {
        both!(self, s => s.year_figures(agency, year))
    }
    async fn add_catalog_entries(
        &self,
        entries: &[CatalogEntry],
        stamp: &Stamp,
    ) -> StoreResult<()> {
        both!(self, s => s.add_catalog_entries(entries, stamp))
    }
    async fn catalog_entries(&self, agency: &AgencyCode) -> StoreResult<Vec<CatalogEntry>> {
        both!(self, s => s.catalog_entries(agency))
    }
}

impl RecordStore for AnyStore {
    async fn put_record(
        &self,
        record: &StoredRecord,
        action: &str,
        stamp: &Stamp,
    ) -> StoreResult<u64> {
        both!(self, s => s.put_record(record, action, stamp))
    }
    async fn record(
        &self,
        agency: &AgencyCode,
        kind: RecordKind,
        key: &str,
    ) -> StoreResult<Option<StoredRecord>> {
        both!(self, s => s.record(agency, kind, key))
    }
    async fn records(
        &self,
        agency: &AgencyCode,
        kind: RecordKind,
    ) -> StoreResult<Vec<StoredRecord>> {
        both!(self, s => s.records(agency, kind))
    }
}
