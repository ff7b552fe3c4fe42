//! Records an agency keeps as documents beside its applications and publications: appeals
//! (行政复议、行政诉讼), 更正申请 (第四十一条), the facts the annual report states (培训、
//! 建议提案), annual report versions and reports brought in from elsewhere. One table serves them all, keyed by
//! (agency, kind, key), with an optimistic version and an audit entry for every change.

use std::future::Future;

use serde::{Serialize, de::DeserializeOwned};

use crate::{
    AgencyCode, DomainError,
    store::{Stamp, StoreError, StoreResult},
};

/// What kind of document a record holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    /// 行政复议、行政诉讼案件
    Appeal,
    /// 政务公开培训
    Training,
    /// 人大代表建议、政协委员提案
    Proposal,
    /// 年度报告 (one record per version)
    AnnualReport,
    /// 年度报告 published outside gongkai and read in with the report reader
    ImportedReport,
    /// 更正申请 (第四十一条)
    Correction,
    /// 不予公开信息的定期评估审查 (第十八条)
    Review,
    /// 核查结论 — a supervisor's decision on a finding in a report of an agency below
    FindingDecision,
    /// 公众参与 — a message through 领导信箱, 12345, 民意征集 or 网上调查, and its reply
    Message,
    /// 政务公开工作要点 — a task the upper level set for the year
    KeyTask,
    /// An agency's report on a 工作要点 task
    TaskReport,
    /// 考核办法 — a supervising office's weights
    AssessmentScheme,
    /// 考核结果 — a ranking published for a period, frozen
    AssessmentResult,
}

impl RecordKind {
    pub const ALL: [RecordKind; 13] = [
        Self::Appeal,
        Self::Training,
        Self::Proposal,
        Self::AnnualReport,
        Self::ImportedReport,
        Self::Correction,
        Self::Review,
        Self::FindingDecision,
        Self::Message,
        Self::KeyTask,
        Self::TaskReport,
        Self::AssessmentScheme,
        Self::AssessmentResult,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Appeal => "appeal",
            Self::Training => "training",
            Self::Proposal => "proposal",
            Self::AnnualReport => "annual_report",
            Self::ImportedReport => "imported_report",
            Self::Correction => "correction",
            Self::Review => "review",
            Self::FindingDecision => "finding_decision",
            Self::Message => "participation",
            Self::KeyTask => "key_task",
            Self::TaskReport => "task_report",
            Self::AssessmentScheme => "assessment_scheme",
            Self::AssessmentResult => "assessment_result",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// A record as the store keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRecord {
    pub agency: AgencyCode,
    pub kind: RecordKind,
    pub key: String,
    /// 0 for a record not yet stored; bumped by every save.
    pub version: u64,
    pub data: serde_json::Value,
}

pub trait RecordStore: Send + Sync {
    /// Stores a new record (`version` 0) or replaces the one read at `version`, with its
    /// audit entry `{kind}.{action}` in the same transaction. A record that exists already,
    /// or changed since it was read, is a [`DomainError::Conflict`]. Returns the new version.
    fn put_record(
        &self,
        record: &StoredRecord,
        action: &str,
        stamp: &Stamp,
    ) -> impl Future<Output = StoreResult<u64>> + Send;
    fn record(
        &self,
        agency: &AgencyCode,
        kind: RecordKind,
        key: &str,
    ) -> impl Future<Output = StoreResult<Option<StoredRecord>>> + Send;
    /// Every record of a kind, by key.
    fn records(
        &self,
        agency: &AgencyCode,
        kind: RecordKind,
    ) -> impl Future<Output = StoreResult<Vec<StoredRecord>>> + Send;
}

/// A typed document kept as a record.
pub trait Record: Serialize + DeserializeOwned + Send + Sync {
    const KIND: RecordKind;
    fn agency(&self) -> &AgencyCode;
    /// Its key within the agency and kind; keys sort in the order lists show.
    fn key(&self) -> String;
}

/// A record with the version it was read at.
#[derive(Debug, Clone, PartialEq)]
pub struct Versioned<T> {
    pub value: T,
    pub version: u64,
}

fn decode<R: Record>(record: StoredRecord) -> StoreResult<Versioned<R>> {
    let value = serde_json::from_value(record.data)
        .map_err(|e| StoreError::corrupt(format!("{} {}", R::KIND.code(), record.key), e))?;
    Ok(Versioned {
        value,
        version: record.version,
    })
}

pub async fn load<R: Record, S: RecordStore>(
    store: &S,
    agency: &AgencyCode,
    key: &str,
) -> StoreResult<Option<Versioned<R>>> {
    store
        .record(agency, R::KIND, key)
        .await?
        .map(decode)
        .transpose()
}

pub async fn load_all<R: Record, S: RecordStore>(
    store: &S,
    agency: &AgencyCode,
) -> StoreResult<Vec<Versioned<R>>> {
    store
        .records(agency, R::KIND)
        .await?
        .into_iter()
        .map(decode)
        .collect()
}

/// Saves `value`, read at `version` (0: new). Returns the new version.
pub async fn save<R: Record, S: RecordStore>(
    store: &S,
    value: &R,
    version: u64,
    action: &str,
    stamp: &Stamp,
) -> StoreResult<u64> {
    let data = serde_json::to_value(value)
        .map_err(|e| DomainError::invalid(R::KIND.code(), format!("无法保存：{e}")))?;
    store
        .put_record(
            &StoredRecord {
                agency: value.agency().clone(),
                kind: R::KIND,
                key: value.key(),
                version,
                data,
            },
            action,
            stamp,
        )
        .await
}
