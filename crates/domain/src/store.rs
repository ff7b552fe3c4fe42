//! The repository the stores implement (SQLite embedded, PostgreSQL at scale). Every write
//! that changes a record appends its audit entry in the same transaction.

use std::future::Future;

use gongkai_report::model::Table3;
use jiff::Timestamp;

use gongkai_law::Date;
use gongkai_report::render::letter::LetterDocument;

use crate::{
    Agency, AgencyCode, Application, ApplicationNumber, DomainError, Event, User, UserName,
    access::AccessToken,
    audit::AuditEntry,
    catalog::CatalogEntry,
    letters::LetterKind,
    publication::{Publication, PublicationState},
    register::{RegisteredDocument, YearFigures},
    stats::{CaseFacts, Table3Counts},
};

/// A composed letter to be numbered and recorded.
#[derive(Debug, Clone, Copy)]
pub struct LetterToIssue<'a> {
    pub agency: &'a AgencyCode,
    pub application: &'a ApplicationNumber,
    pub kind: LetterKind,
    /// 文书编号字头 (the agency's letter prefix).
    pub prefix: &'a str,
    pub issued_on: Date,
    pub document: &'a LetterDocument,
}

/// A letter as issued, with its number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedLetter {
    pub kind: LetterKind,
    pub number: String,
    pub issued_on: Date,
    pub document: LetterDocument,
}

/// Why a store call failed. Database and decoding failures keep their cause (`source()`), for
/// the log; the public sees a generic message.
#[derive(Debug)]
pub enum StoreError {
    /// The domain refused (duplicate, not found, version conflict …).
    Domain(DomainError),
    /// The database failed.
    Database(Box<dyn std::error::Error + Send + Sync>),
    /// A stored value could not be read back as what it should be (`what`, e.g. "publication").
    Corrupt {
        what: String,
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl StoreError {
    pub fn database(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Database(Box::new(e))
    }

    pub fn corrupt(what: impl Into<String>, e: impl std::fmt::Display) -> Self {
        Self::Corrupt {
            what: what.into(),
            source: e.to_string().into(),
        }
    }
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Domain(e) => write!(f, "{e}"),
            Self::Database(e) => write!(f, "数据库错误：{e}"),
            Self::Corrupt { what, source } => write!(f, "数据库中的{what}数据无法解析：{source}"),
        }
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Domain(e) => Some(e),
            Self::Database(e) | Self::Corrupt { source: e, .. } => Some(e.as_ref()),
        }
    }
}

impl From<DomainError> for StoreError {
    fn from(e: DomainError) -> Self {
        Self::Domain(e)
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Who did it and when, for the audit entry written with the change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub actor: String,
    pub at: Timestamp,
}

/// The search outbox as the indexes see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutboxState {
    /// The newest position written (or forgotten).
    pub head: u64,
    /// Entries up to here are forgotten: an index behind them cannot catch up by reading.
    pub forgotten_through: u64,
    /// Raised to make every index rebuild (`gongkai search reindex`, a restore).
    pub generation: u64,
}

impl OutboxState {
    /// Whether an index that applied the outbox through `position` in `generation` can catch
    /// up by reading what follows, rather than rebuilding.
    pub fn can_continue(&self, generation: u64, position: u64) -> bool {
        generation == self.generation && position >= self.forgotten_through
    }
}

/// Agencies, staff and their credentials.
pub trait AgencyStore: Send + Sync {
    fn add_agency(
        &self,
        agency: &Agency,
        stamp: &Stamp,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    fn agency(&self, code: &AgencyCode)
    -> impl Future<Output = StoreResult<Option<Agency>>> + Send;
    fn agencies(&self) -> impl Future<Output = StoreResult<Vec<Agency>>> + Send;
    /// Changes an agency's name or settings (not its code or place in the tree).
    fn update_agency(
        &self,
        agency: &Agency,
        stamp: &Stamp,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    fn add_user(&self, user: &User, stamp: &Stamp) -> impl Future<Output = StoreResult<()>> + Send;
    fn user(&self, name: &UserName) -> impl Future<Output = StoreResult<Option<User>>> + Send;
    fn users(
        &self,
        agency: Option<&AgencyCode>,
    ) -> impl Future<Output = StoreResult<Vec<User>>> + Send;
    fn set_user_active(
        &self,
        name: &UserName,
        active: bool,
        stamp: &Stamp,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Sets a user's password hash (argon2 PHC string); audited without the hash.
    fn set_password(
        &self,
        name: &UserName,
        password_hash: &str,
        stamp: &Stamp,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    fn password_hash(
        &self,
        name: &UserName,
    ) -> impl Future<Output = StoreResult<Option<String>>> + Send;
    /// Records a session or an API token (API tokens are audited; sessions are many).
    fn add_access_token(
        &self,
        token: &AccessToken,
        stamp: &Stamp,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    fn access_token(
        &self,
        hash: &str,
    ) -> impl Future<Output = StoreResult<Option<AccessToken>>> + Send;
    fn remove_access_token(&self, hash: &str) -> impl Future<Output = StoreResult<()>> + Send;
    /// A user's API tokens (not sessions), oldest first.
    fn api_tokens(
        &self,
        user: &UserName,
    ) -> impl Future<Output = StoreResult<Vec<AccessToken>>> + Send;
}

/// 依申请公开: applications, their letters, attachments and statistics.
pub trait ApplicationStore: Send + Sync {
    /// Records new applications, all or none (an import is one transaction), each linked to
    /// its applicant record ([`crate::applicants`]); returns them as stored (version 1).
    fn insert_applications(
        &self,
        applications: &[Application],
        stamp: &Stamp,
    ) -> impl Future<Output = StoreResult<Vec<Application>>> + Send;
    /// The applications of one applicant record, oldest first (at most the latest 1,000).
    fn applicant_applications(
        &self,
        agency: &AgencyCode,
        applicant: crate::applicants::ApplicantId,
    ) -> impl Future<Output = StoreResult<Vec<Application>>> + Send;
    fn application(
        &self,
        agency: &AgencyCode,
        number: &ApplicationNumber,
    ) -> impl Future<Output = StoreResult<Option<Application>>> + Send;
    fn applications(
        &self,
        agency: &AgencyCode,
    ) -> impl Future<Output = StoreResult<Vec<Application>>> + Send;
    /// The agency's applications in one state (待审核 answers for the reviewers' count),
    /// oldest first.
    fn applications_in_state(
        &self,
        agency: &AgencyCode,
        state: crate::State,
    ) -> impl Future<Output = StoreResult<Vec<Application>>> + Send;
    /// The agency's applications answered within `from..=to` (考核 of a period), by the
    /// answer's day — read through the index on (agency, answered_on), not every case ever.
    fn applications_answered_between(
        &self,
        agency: &AgencyCode,
        from: gongkai_law::Date,
        to: gongkai_law::Date,
    ) -> impl Future<Output = StoreResult<Vec<Application>>> + Send;
    /// Saves a changed application if nobody saved it since `changed.version` was read;
    /// otherwise a [`DomainError::Conflict`]. Returns it with its new version.
    fn save_application(
        &self,
        changed: &Application,
        event: &Event,
    ) -> impl Future<Output = StoreResult<Application>> + Send;
    /// Logs that staff read an applicant's personal data.
    fn log_personal_data_read(
        &self,
        agency: &AgencyCode,
        number: &ApplicationNumber,
        stamp: &Stamp,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// The facts statistics need, for cases received up to the end of `year`.
    fn case_facts(
        &self,
        agency: &AgencyCode,
        year: i16,
    ) -> impl Future<Output = StoreResult<Vec<CaseFacts>>> + Send;
    /// Table 三 counted by the database over a set of agencies (a roll-up is a subtree).
    fn table3_counts(
        &self,
        agencies: &[AgencyCode],
        year: i16,
    ) -> impl Future<Output = StoreResult<Table3Counts>> + Send;
    /// Numbers a letter (the next in its agency, 字号 and year) and records it.
    fn issue_letter(
        &self,
        letter: LetterToIssue<'_>,
        stamp: &Stamp,
    ) -> impl Future<Output = StoreResult<IssuedLetter>> + Send;
    /// The letters issued for an application, oldest first.
    fn letters(
        &self,
        agency: &AgencyCode,
        application: &ApplicationNumber,
    ) -> impl Future<Output = StoreResult<Vec<IssuedLetter>>> + Send;
    /// The next number of an agency's series `prefix` (`2026-W` → 1, 2, … for `2026-W0001`,
    /// `2026-W0002`), atomically, also across servers. A new series starts after the
    /// applications already numbered with its prefix (imports).
    fn next_in_series(
        &self,
        agency: &AgencyCode,
        prefix: &str,
    ) -> impl Future<Output = StoreResult<u64>> + Send;
    /// The first of the next `count` (≥ 1) numbers of a series, taken at once (an import's
    /// rows), atomically like [`ApplicationStore::next_in_series`].
    fn next_block_in_series(
        &self,
        agency: &AgencyCode,
        prefix: &str,
        count: u32,
    ) -> impl Future<Output = StoreResult<u64>> + Send;
    /// Records one new application in one transaction: takes the next number of `prefix`,
    /// builds the application with it (`build` gets the number's sequence), keeps its files
    /// (sha256, bytes), links its applicant and writes its audit entry — all or nothing, so a
    /// crash leaves neither a consumed number nor a file without its case.
    fn record_application(
        &self,
        agency: &AgencyCode,
        prefix: &str,
        files: &[(&str, &[u8])],
        build: &(dyn Fn(u64) -> Result<Application, DomainError> + Send + Sync),
        stamp: &Stamp,
    ) -> impl Future<Output = StoreResult<Application>> + Send;
    /// Keeps an attachment's bytes under their sha256 (idempotent).
    fn put_attachment(
        &self,
        sha256: &str,
        bytes: &[u8],
    ) -> impl Future<Output = StoreResult<()>> + Send;
    fn attachment_bytes(
        &self,
        sha256: &str,
    ) -> impl Future<Output = StoreResult<Option<Vec<u8>>>> + Send;
}

/// How many publications [`PublicationStore::publications_by_keys`] reads at once.
pub const PUBLICATIONS_AT_ONCE: usize = 100;

/// 主动公开: publications and the outbox that keeps the search index in step.
pub trait PublicationStore: Send + Sync {
    /// Records a new draft (audited).
    fn add_publication(
        &self,
        publication: &Publication,
        stamp: &Stamp,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Records many new publications in one transaction, all or none, each audited (items an
    /// agency published before it used gongkai; the province benchmark). Items already public
    /// must carry every approval, as always. The transaction holds the audit chain's turn
    /// throughout (on PostgreSQL every other writer waits), so callers beside a serving site
    /// keep batches small.
    fn add_publications(
        &self,
        publications: &[Publication],
        stamp: &Stamp,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    fn publication(
        &self,
        agency: &AgencyCode,
        id: u64,
    ) -> impl Future<Output = StoreResult<Option<Publication>>> + Send;
    /// Several publications in one read (a page of search results), in the order asked; those
    /// not found are left out. At most [`PUBLICATIONS_AT_ONCE`] keys.
    fn publications_by_keys(
        &self,
        keys: &[(AgencyCode, u64)],
    ) -> impl Future<Output = StoreResult<Vec<Publication>>> + Send;
    /// The 解读 of one policy document (政策解读), in any state, oldest first.
    fn interpretations_of(
        &self,
        agency: &AgencyCode,
        document: u64,
    ) -> impl Future<Output = StoreResult<Vec<Publication>>> + Send;
    /// The agency's publications in review (审核中), each waiting on one of its steps.
    fn publications_in_review(
        &self,
        agency: &AgencyCode,
    ) -> impl Future<Output = StoreResult<Vec<Publication>>> + Send;
    /// Every publication of an agency, in any state (staff only).
    fn publications(
        &self,
        agency: &AgencyCode,
    ) -> impl Future<Output = StoreResult<Vec<Publication>>> + Send;
    /// Only what the public may see: published after every approval, newest first.
    fn public_publications(
        &self,
        agency: &AgencyCode,
    ) -> impl Future<Output = StoreResult<Vec<Publication>>> + Send;
    /// Saves a change if nobody saved the publication since `changed.version` was read. Refuses
    /// (whatever the caller checked) to store a publication as published without every
    /// approval, an 索引号 and a 发布日期. Audited with `action`.
    fn save_publication(
        &self,
        changed: &Publication,
        action: &str,
        stamp: &Stamp,
    ) -> impl Future<Output = StoreResult<Publication>> + Send;
    /// Publication changes after outbox position `after`, oldest first: (position, agency,
    /// publication id). Written with every change, in its transaction, in the order of commits;
    /// each server's index reads them from its own position.
    fn search_outbox_after(
        &self,
        after: u64,
        limit: usize,
    ) -> impl Future<Output = StoreResult<Vec<(u64, AgencyCode, u64)>>> + Send;
    /// Where the outbox stands (its head, what was forgotten, the index generation).
    fn search_outbox_state(&self) -> impl Future<Output = StoreResult<OutboxState>> + Send;
    /// What an index at position `after` should hold: (publications public, outbox entries
    /// after it).
    fn search_expected(&self, after: u64) -> impl Future<Output = StoreResult<(u64, u64)>> + Send;
    /// Forgets the outbox entries written before `before`; returns how many. An index whose
    /// position is behind them rebuilds itself from the publications.
    fn forget_search_outbox(
        &self,
        before: Timestamp,
    ) -> impl Future<Output = StoreResult<u64>> + Send;
    /// Tells every server's index to rebuild itself (a new generation); returns it.
    fn rebuild_every_search_index(&self) -> impl Future<Output = StoreResult<u64>> + Send;
}

/// Everything the application needs kept: one trait per area, and what concerns the whole
/// installation (schema, audit log, calendar).
pub trait Store:
    AgencyStore
    + ApplicationStore
    + PublicationStore
    + RegisterStore
    + crate::records::RecordStore
    + crate::imports::ImportStore
    + Send
    + Sync
{
    /// Brings the schema up to date (idempotent).
    fn migrate(&self) -> impl Future<Output = StoreResult<()>> + Send;

    /// The whole audit log in order (tests and small installations; a long log is read with
    /// [`Store::audit_entries_after`]).
    fn audit_entries(&self) -> impl Future<Output = StoreResult<Vec<AuditEntry>>> + Send;
    /// At most `limit` entries after number `after`, in order: the chain a piece at a time.
    fn audit_entries_after(
        &self,
        after: u64,
        limit: u32,
    ) -> impl Future<Output = StoreResult<Vec<AuditEntry>>> + Send;
    /// A page of what one agency's audit view shows — its own entries and the system-wide
    /// ones (agency empty: holiday notices) — newest first, numbered below `before`.
    fn audit_entries_of(
        &self,
        agency: &AgencyCode,
        before: Option<u64>,
        limit: u32,
    ) -> impl Future<Output = StoreResult<Vec<AuditEntry>>> + Send;
    /// How many entries that view holds.
    fn audit_count_of(&self, agency: &AgencyCode) -> impl Future<Output = StoreResult<u64>> + Send;
    /// The first `limit` entries about one subject of an agency (an application's number:
    /// its every action and letter), oldest first.
    fn audit_entries_about(
        &self,
        agency: &AgencyCode,
        subject: &str,
        limit: u32,
    ) -> impl Future<Output = StoreResult<Vec<AuditEntry>>> + Send;

    /// Stores a State Council holiday notice (holiday-cn JSON) for a year, so every server
    /// sees the same calendar; audited.
    fn put_calendar_notice(
        &self,
        year: i16,
        json: &str,
        stamp: &Stamp,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// The notices loaded into the database, by year.
    fn calendar_notices(&self) -> impl Future<Output = StoreResult<Vec<(i16, String)>>> + Send;
    /// Takes one of `limit` uses of `key` on `day` — a count every server on the database
    /// shares; `false` (nothing taken) when the day's are used up. Keys are hashes, never an
    /// address or an identity number.
    fn take_quota(
        &self,
        day: Date,
        key: &str,
        limit: u32,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Forgets the counts of days before `day`.
    fn forget_quotas_before(&self, day: Date) -> impl Future<Output = StoreResult<u64>> + Send;

    /// The number of the last audit entry that may change what the public reads (0 when
    /// none): every such change is audited, so a page rendered at one number stays right until
    /// it moves. Entries about applications, applicants, letters and staff accounts — the
    /// busy ones, none of which a public page shows — do not move it.
    fn site_generation(&self) -> impl Future<Output = StoreResult<u64>> + Send;
}

/// The 第二十条 register and the 主动公开 catalog: the store's reference data.
pub trait RegisterStore: Send + Sync {
    /// Adds or replaces a 规章/行政规范性文件 entry (audited).
    fn save_register_document(
        &self,
        document: &RegisteredDocument,
        stamp: &Stamp,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    fn register_documents(
        &self,
        agency: &AgencyCode,
    ) -> impl Future<Output = StoreResult<Vec<RegisteredDocument>>> + Send;
    /// Adds new documents, all or none (an import is one transaction; audited).
    fn add_register_documents(
        &self,
        documents: &[RegisteredDocument],
        stamp: &Stamp,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Sets a year's decisions and fees (audited).
    fn save_year_figures(
        &self,
        agency: &AgencyCode,
        year: i16,
        figures: &YearFigures,
        stamp: &Stamp,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// A year's figures; all blank when none were entered.
    fn year_figures(
        &self,
        agency: &AgencyCode,
        year: i16,
    ) -> impl Future<Output = StoreResult<YearFigures>> + Send;

    /// Adds catalog entries, all or none (an import is one transaction; audited).
    fn add_catalog_entries(
        &self,
        entries: &[CatalogEntry],
        stamp: &Stamp,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    fn catalog_entries(
        &self,
        agency: &AgencyCode,
    ) -> impl Future<Output = StoreResult<Vec<CatalogEntry>>> + Send;
}

/// What the stores refuse to save as public (the domain's own check, repeated at the store).
pub fn refuse_unapproved_release(p: &Publication) -> StoreResult<()> {
    if p.state == PublicationState::Published
        && (!p.fully_approved() || p.index_number.is_none() || p.published_on.is_none())
    {
        return Err(DomainError::Forbidden(format!(
            "“{}”未经全部审核（含保密审查）或缺少索引号，不得发布",
            p.draft.title
        ))
        .into());
    }
    Ok(())
}

/// An agency and everything below it, from a list of all agencies (linear in their number).
pub fn subtree(agencies: &[Agency], root: &AgencyCode) -> Vec<AgencyCode> {
    let mut children: std::collections::HashMap<&AgencyCode, Vec<&AgencyCode>> =
        std::collections::HashMap::new();
    for agency in agencies {
        if let Some(parent) = &agency.parent {
            children.entry(parent).or_default().push(&agency.code);
        }
    }
    let mut out = vec![root.clone()];
    let mut i = 0;
    while i < out.len() {
        if let Some(below) = children.get(&out[i]) {
            out.extend(below.iter().map(|&code| code.clone()));
        }
        i += 1;
    }
    out
}

/// Table 三 for an agency's subtree, counted by the store.
pub async fn table3_for_subtree<S: Store>(
    store: &S,
    root: &AgencyCode,
    year: i16,
) -> StoreResult<Table3> {
    let agencies = store.agencies().await?;
    let codes = subtree(&agencies, root);
    Ok(store.table3_counts(&codes, year).await?.into_table())
}

/// Every store trait, for code that calls a concrete store's methods:
/// `use gongkai_domain::store::prelude::*;`.
pub mod prelude {
    pub use super::{AgencyStore, ApplicationStore, PublicationStore, RegisterStore, Store};
    pub use crate::{imports::ImportStore, records::RecordStore};
}

/// How many audit entries a chain check reads at once: memory stays bounded however long the log.
pub const AUDIT_PIECE: u32 = 5_000;

/// Reads the audit log after `head` a piece at a time and checks each piece against the chain
/// so far, handing every good entry to `each`. The outer error is the store's; the inner
/// result is the chain's verdict, with the head at the last good entry.
pub async fn check_audit_chain<S: Store + ?Sized>(
    store: &S,
    mut head: crate::audit::ChainHead,
    mut each: impl FnMut(&AuditEntry) + Send,
) -> StoreResult<(crate::audit::ChainHead, Result<(), crate::audit::Broken>)> {
    loop {
        let piece = store.audit_entries_after(head.seq, AUDIT_PIECE).await?;
        for entry in &piece {
            if let Err(broken) = head.extend([entry]) {
                return Ok((head, Err(broken)));
            }
            each(entry);
        }
        // A short piece is the end of the log.
        if piece.len() < AUDIT_PIECE as usize {
            return Ok((head, Ok(())));
        }
    }
}
