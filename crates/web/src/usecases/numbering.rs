//! Numbers: every series an agency counts in, and the one routine that numbers a new
//! application. The store hands out each number once, atomically, also across servers.

use gongkai_domain::{
    AgencyCode, Application, ApplicationNumber, DomainError,
    store::{Stamp, Store, StoreError},
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

/// Numbers a new application in its series and records it; `build` makes it under the number
/// given. If the number was taken meanwhile (an import, another server), the next one is used.
pub async fn record_application<S: Store>(
    app: &App<S>,
    agency: &AgencyCode,
    series: Series,
    stamp: &Stamp,
    build: impl Fn(ApplicationNumber) -> Result<Application, WebError>,
) -> Result<Application, WebError> {
    let prefix = series.prefix();
    for _ in 0..5 {
        let seq = app.store.next_in_series(agency, &prefix).await?;
        let application = build(ApplicationNumber::parse(&format!("{prefix}{seq:04}"))?)?;
        match app
            .store
            .insert_applications(std::slice::from_ref(&application), stamp)
            .await
        {
            // As stored: version 1, linked to its applicant record.
            Ok(mut stored) => return Ok(stored.remove(0)),
            Err(StoreError::Domain(DomainError::Conflict(_))) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(WebError::Conflict(
        "提交人数较多，申请编号分配失败，请稍后重新提交".into(),
    ))
}
