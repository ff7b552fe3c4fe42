//! 批量导入 — imports that run off the request path. Every row of the file is checked first
//! (one bad row and nothing is imported); the checked items are then staged in the database
//! and applied a piece at a time, each piece in its own short transaction with the job's
//! progress, so a long import never holds the writer long enough to stall public submissions,
//! shows how far it has come, and continues where it stopped after a crash — on this server,
//! another one, or `gongkai imports run`.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::{
    AgencyCode, Application, DomainError, catalog::CatalogEntry, register::RegisteredDocument,
    store::StoreResult,
};

/// How many items one piece applies: a few hundred milliseconds of writing at most.
pub const PIECE: u32 = 200;
/// How many items are staged per transaction.
pub const STAGE_PIECE: usize = 250;
/// How long a runner holds a job without reporting progress before another may take it over.
pub const LEASE_SECONDS: i64 = 60;
/// How much of an uploaded file's name a job keeps.
pub const FILE_NAME_CHARS: usize = 100;
/// A job still being staged this long after its last step was abandoned (its upload stopped).
pub const STAGING_ABANDONED_SECONDS: i64 = 600;

/// What a job imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportKind {
    /// 历史申请 (`gongkai applications import`).
    Applications,
    /// 第二十条 规章、行政规范性文件.
    RegisterDocuments,
    /// 主动公开基本目录.
    CatalogEntries,
}

impl ImportKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Applications => "applications",
            Self::RegisterDocuments => "register",
            Self::CatalogEntries => "catalog",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [
            Self::Applications,
            Self::RegisterDocuments,
            Self::CatalogEntries,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }

    /// What one item is called (件申请, 份文件, 条目录).
    pub fn label(self) -> &'static str {
        match self {
            Self::Applications => "历史申请",
            Self::RegisterDocuments => "第二十条文件",
            Self::CatalogEntries => "主动公开目录",
        }
    }

    pub fn unit(self) -> &'static str {
        match self {
            Self::Applications => "件",
            Self::RegisterDocuments => "份",
            Self::CatalogEntries => "条",
        }
    }

    /// What was not imported, in a message (未导入任何申请).
    fn unit_phrase(self) -> &'static str {
        match self {
            Self::Applications => "申请",
            Self::RegisterDocuments => "文件",
            Self::CatalogEntries => "目录条目",
        }
    }
}

/// One checked item waiting to be applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ImportItem {
    Application(Box<Application>),
    RegisterDocument(RegisteredDocument),
    CatalogEntry(CatalogEntry),
}

impl ImportItem {
    pub fn kind(&self) -> ImportKind {
        match self {
            Self::Application(_) => ImportKind::Applications,
            Self::RegisterDocument(_) => ImportKind::RegisterDocuments,
            Self::CatalogEntry(_) => ImportKind::CatalogEntries,
        }
    }

    pub fn agency(&self) -> &AgencyCode {
        match self {
            Self::Application(a) => &a.agency,
            Self::RegisterDocument(d) => &d.agency,
            Self::CatalogEntry(e) => &e.agency,
        }
    }

    /// What must stay unique while it waits: an application's number, which a submission
    /// must not take meanwhile. Documents and entries have their ids from the series already.
    pub fn reserved_key(&self) -> Option<&str> {
        match self {
            Self::Application(a) => Some(a.number.as_str()),
            _ => None,
        }
    }
}

/// An item with the line of the file it came from (for messages).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StagedItem {
    pub line: u32,
    pub item: ImportItem,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportState {
    /// 上传中: items are being staged.
    Staging,
    /// 排队中.
    Queued,
    /// 导入中.
    Running,
    /// 已完成.
    Done,
    /// 未完成: stopped with a message saying what was imported and what not.
    Failed,
}

impl ImportState {
    pub fn code(self) -> &'static str {
        match self {
            Self::Staging => "staging",
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Done => "done",
            Self::Failed => "failed",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [
            Self::Staging,
            Self::Queued,
            Self::Running,
            Self::Done,
            Self::Failed,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Staging => "上传中",
            Self::Queued => "排队中",
            Self::Running => "导入中",
            Self::Done => "已完成",
            Self::Failed => "未完成",
        }
    }

    pub fn finished(self) -> bool {
        matches!(self, Self::Done | Self::Failed)
    }
}

/// 导入任务.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportJob {
    pub id: u64,
    pub agency: AgencyCode,
    pub kind: ImportKind,
    /// The uploaded file's name, as the clerk knows it.
    pub file_name: String,
    pub state: ImportState,
    /// Items staged; `done` of them applied.
    pub total: u64,
    pub done: u64,
    /// Who started it: each imported item's audit entry names them.
    pub created_by: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Why it stopped, when it failed.
    pub message: Option<String>,
}

impl ImportJob {
    /// Whole percent applied (100 only when done).
    pub fn percent(&self) -> u64 {
        match (self.state, self.total) {
            (ImportState::Done, _) => 100,
            (_, 0) => 0,
            (_, total) => (self.done * 100 / total).min(99),
        }
    }

    /// "已导入 120/500 份" — what the progress page and the CLI say.
    pub fn progress(&self) -> String {
        format!(
            "已导入 {}/{} {}（{}%）",
            self.done,
            self.total,
            self.kind.unit(),
            self.percent()
        )
    }
}

/// What a runner got from one step.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// A piece was applied; the job as it now stands (done when it finished).
    Applied(ImportJob),
    /// Another runner holds the job now (this one's lease ran out): stop quietly.
    LostLease,
}

/// The store's part: jobs, their staged items and the piece-at-a-time application.
pub trait ImportStore: Send + Sync {
    /// Opens a job in [`ImportState::Staging`] (audited: who, which file, how many).
    fn create_import(
        &self,
        agency: &AgencyCode,
        kind: ImportKind,
        file_name: &str,
        total: u64,
        stamp: &crate::store::Stamp,
    ) -> impl Future<Output = StoreResult<ImportJob>> + Send;
    /// Stages items of a job (in the order given, after those staged before). An application
    /// number that exists already or waits in another import is a conflict naming its line.
    fn stage_import_items(
        &self,
        job: u64,
        items: &[StagedItem],
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Staging → queued, once every item is staged.
    fn queue_import(
        &self,
        job: u64,
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Takes the oldest job that is queued, running under a lease that ran out, or held by
    /// `runner` already, for `runner` until `now` + [`LEASE_SECONDS`]; `None` when there is
    /// nothing to do.
    fn claim_import(
        &self,
        runner: &str,
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<Option<ImportJob>>> + Send;
    /// Applies the next [`PIECE`] items of a job `runner` holds, in one transaction with the
    /// progress (so a crash repeats nothing and loses nothing), renewing the lease; the job is
    /// done when nothing is left. Each item is audited as the job's creator's.
    fn apply_import_piece(
        &self,
        job: u64,
        runner: &str,
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<Step>> + Send;
    /// Stops a job: failed with `message`, its waiting items dropped (audited).
    fn fail_import(
        &self,
        job: u64,
        message: &str,
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Jobs still staging whose last step is older than `before` (their upload stopped).
    fn abandoned_imports(
        &self,
        before: Timestamp,
    ) -> impl Future<Output = StoreResult<Vec<u64>>> + Send;
    fn import_job(
        &self,
        agency: &AgencyCode,
        id: u64,
    ) -> impl Future<Output = StoreResult<Option<ImportJob>>> + Send;
    /// An agency's latest `limit` jobs, newest first.
    fn import_jobs(
        &self,
        agency: &AgencyCode,
        limit: u32,
    ) -> impl Future<Output = StoreResult<Vec<ImportJob>>> + Send;
}

/// Starts a job: creates it, stages its items a piece at a time (awaiting `between_pieces`
/// after each, as [`run_pending`] does) and queues it. A conflict while staging fails the job
/// (nothing of it was applied) and is returned.
pub async fn stage<S: ImportStore + ?Sized, Rest: Future<Output = ()> + Send>(
    store: &S,
    agency: &AgencyCode,
    file_name: &str,
    items: &[StagedItem],
    stamp: &crate::store::Stamp,
    now: impl Fn() -> Timestamp + Send + Sync,
    between_pieces: impl Fn() -> Rest + Send + Sync,
) -> StoreResult<ImportJob> {
    let Some(kind) = items.first().map(|i| i.item.kind()) else {
        return Err(DomainError::invalid("文件", "文件中没有可导入的行").into());
    };
    if items
        .iter()
        .any(|i| i.item.kind() != kind || i.item.agency() != agency)
    {
        return Err(DomainError::invalid("文件", "一次导入只能是同一机关的同一类内容").into());
    }
    // The name an upload gives its file is the sender's to choose: kept short.
    let file_name: String = file_name.chars().take(FILE_NAME_CHARS).collect();
    let job = store
        .create_import(agency, kind, &file_name, items.len() as u64, stamp)
        .await?;
    for piece in items.chunks(STAGE_PIECE) {
        if let Err(e) = store.stage_import_items(job.id, piece, now()).await {
            let message = format!("{e}；未导入任何{}", kind.unit_phrase());
            store.fail_import(job.id, &message, now()).await?;
            return Err(e);
        }
        between_pieces().await;
    }
    store.queue_import(job.id, now()).await?;
    Ok(ImportJob {
        state: ImportState::Queued,
        ..job
    })
}

/// Runs every job there is to run, a piece at a time, reporting each step to `progress` and
/// awaiting `between_pieces` after each (other writers' turn: a yield in the server, a pause
/// in a command beside a server on SQLite, whose waiting writers poll for the lock); returns
/// how many jobs it finished. A piece that fails stops its job with a message saying how many
/// items were imported before it — those stay, each audited.
pub async fn run_pending<S: ImportStore + ?Sized, Rest: Future<Output = ()> + Send>(
    store: &S,
    runner: &str,
    now: impl Fn() -> Timestamp + Send + Sync,
    mut progress: impl FnMut(&ImportJob) + Send,
    between_pieces: impl Fn() -> Rest + Send + Sync,
) -> StoreResult<u64> {
    let mut finished = 0;
    for id in store
        .abandoned_imports(now() - jiff::SignedDuration::from_secs(STAGING_ABANDONED_SECONDS))
        .await?
    {
        store
            .fail_import(id, "上传中断，未导入任何内容；请重新导入", now())
            .await?;
    }
    while let Some(job) = store.claim_import(runner, now()).await? {
        progress(&job);
        loop {
            match store.apply_import_piece(job.id, runner, now()).await {
                Ok(Step::Applied(current)) => {
                    progress(&current);
                    if current.state.finished() {
                        finished += 1;
                        break;
                    }
                }
                Ok(Step::LostLease) => break,
                Err(e) => {
                    let done = store
                        .import_job(&job.agency, job.id)
                        .await?
                        .map_or(0, |j| j.done);
                    let message = format!(
                        "导入中途停止：{e}。已导入前 {done} {unit}（各有审计记录），其余 {rest} {unit}未导入",
                        unit = job.kind.unit(),
                        rest = job.total.saturating_sub(done),
                    );
                    store.fail_import(job.id, &message, now()).await?;
                    if let Some(failed) = store.import_job(&job.agency, job.id).await? {
                        progress(&failed);
                    }
                    finished += 1;
                    break;
                }
            }
            between_pieces().await;
        }
    }
    Ok(finished)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(state: ImportState, done: u64, total: u64) -> ImportJob {
        ImportJob {
            id: 1,
            agency: AgencyCode::parse("A1").unwrap(),
            kind: ImportKind::RegisterDocuments,
            file_name: "f.csv".into(),
            state,
            total,
            done,
            created_by: "clerk".into(),
            created_at: Timestamp::UNIX_EPOCH,
            updated_at: Timestamp::UNIX_EPOCH,
            message: None,
        }
    }

    #[test]
    fn progress_reaches_a_hundred_only_when_done() {
        assert_eq!(job(ImportState::Running, 0, 0).percent(), 0);
        assert_eq!(job(ImportState::Running, 1, 3).percent(), 33);
        assert_eq!(job(ImportState::Running, 3, 3).percent(), 99);
        assert_eq!(job(ImportState::Done, 3, 3).percent(), 100);
        assert_eq!(
            job(ImportState::Running, 120, 500).progress(),
            "已导入 120/500 份（24%）"
        );
    }

    #[test]
    fn codes_read_back() {
        for kind in [
            ImportKind::Applications,
            ImportKind::RegisterDocuments,
            ImportKind::CatalogEntries,
        ] {
            assert_eq!(ImportKind::parse(kind.code()), Some(kind));
        }
        for state in [
            ImportState::Staging,
            ImportState::Queued,
            ImportState::Running,
            ImportState::Done,
            ImportState::Failed,
        ] {
            assert_eq!(ImportState::parse(state.code()), Some(state));
        }
    }
}
