//! Numbers: every series an agency counts in, and the one routine that numbers a new
//! application. The store hands out each number once, atomically, also across servers.

use gongkai_domain::{
    AgencyCode, Application, ApplicationNumber, DomainError,
    store::{Stamp, Store},
};

use crate::{app::App, error::WebError};

/// A series an agency numbers things in; each counts on by itself.
#[derive(Debug, Clone, Copy)]
pub enum Series {
    /// 申请编号 of a year: `2026-W0001` for online applications, `2026-D0001` for those staff
    /// register (当面、邮寄、传真、电子邮件).
    Applications { year: i16, online: bool },
    /// 主动公开: the publication's id within the agency.
    Publications,
    /// 索引号 given on release, per year.
    IndexNumbers(i16),
    /// 行政复议、行政诉讼案件.
    Appeals,
    /// 政务公开培训.
    Trainings,
    /// 人大代表建议、政协委员提案.
    Proposals,
    /// 第二十条 register: 规章、行政规范性文件.
    RegisterDocuments,
    /// 主动公开基本目录 entries.
    CatalogEntries,
    /// 更正申请 (第四十一条).
    Corrections,
    /// 公众参与 messages.
    Messages,
    /// 工作要点 tasks an agency sets for those below it.
    KeyTasks,
}

impl Series {
    /// The series' name in the store (for applications, the prefix of their numbers).
    pub fn prefix(self) -> String {
        match self {
            Self::Applications { year, online } => {
                format!("{year}-{}", if online { 'W' } else { 'D' })
            }
            Self::Publications => "主动公开".into(),
            Self::IndexNumbers(year) => format!("索引号{year}"),
            Self::Appeals => "复议诉讼".into(),
            Self::Trainings => "培训".into(),
            Self::Proposals => "建议提案".into(),
            Self::RegisterDocuments => "第二十条文件".into(),
            Self::CatalogEntries => "目录条目".into(),
            Self::Corrections => "更正申请".into(),
            Self::Messages => "公众参与".into(),
            Self::KeyTasks => "工作要点".into(),
        }
    }
}

/// The next number of `series` in `agency`.
pub async fn next<S: Store>(
    app: &App<S>,
    agency: &AgencyCode,
    series: Series,
) -> Result<u64, WebError> {
    Ok(app.store.next_in_series(agency, &series.prefix()).await?)
}

/// Numbers a new application `{prefix}0001`… and records it with its files, in one store
/// transaction (number, application, files, applicant, audit: all or nothing). Returns it as
/// stored, version 1.
pub async fn record_application<S: Store>(
    app: &App<S>,
    agency: &AgencyCode,
    series: Series,
    stamp: &Stamp,
    files: &[(&str, &[u8])],
    build: impl Fn(ApplicationNumber) -> Result<Application, WebError> + Send + Sync,
) -> Result<Application, WebError> {
    let prefix = series.prefix();
    // The domain's error passes through the store; anything else the closure met is kept here.
    let failure: std::sync::Mutex<Option<WebError>> = std::sync::Mutex::new(None);
    let build_numbered = |seq: u64| -> Result<Application, DomainError> {
        let number = ApplicationNumber::parse(&format!("{prefix}{seq:04}"))?;
        build(number).map_err(|e| match e {
            WebError::Field { field, message } => DomainError::invalid(&field, message),
            other => {
                let message = other.message();
                *failure.lock().expect("failure lock") = Some(other);
                DomainError::State(message)
            }
        })
    };
    match app
        .store
        .record_application(agency, &prefix, files, &build_numbered, stamp)
        .await
    {
        Ok(stored) => Ok(stored),
        Err(e) => Err(failure
            .lock()
            .expect("failure lock")
            .take()
            .unwrap_or_else(|| e.into())),
    }
}
