//! 行政复议 and 行政诉讼 arising from the agency's disclosure work, and table 四 of the annual
//! report derived from them.
//!
//! A case is counted in the year it was filed (收到复议申请书或起诉状), with its result as it
//! stood on 31 December: decided by then → 维持/纠正/其他; still open → 尚未审结. So every case
//! is counted once, and a report never changes once its year is over.

use std::collections::BTreeMap;

use gongkai_law::Date;
use gongkai_report::model::{Table4, Table4Group};
use serde::{Deserialize, Serialize};

use crate::{
    Actor, AgencyCode, ApplicationNumber, DomainError, Role,
    records::{Record, RecordKind},
};

/// Which group of table 四 a case belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealKind {
    /// 行政复议
    Reconsideration,
    /// 行政诉讼 — 未经复议直接起诉
    DirectLitigation,
    /// 行政诉讼 — 复议后起诉
    LitigationAfterReconsideration,
}

impl AppealKind {
    pub const ALL: [AppealKind; 3] = [
        Self::Reconsideration,
        Self::DirectLitigation,
        Self::LitigationAfterReconsideration,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Reconsideration => "行政复议",
            Self::DirectLitigation => "行政诉讼（未经复议直接起诉）",
            Self::LitigationAfterReconsideration => "行政诉讼（复议后起诉）",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Reconsideration => "reconsideration",
            Self::DirectLitigation => "direct_litigation",
            Self::LitigationAfterReconsideration => "litigation_after_reconsideration",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn group(self) -> Table4Group {
        match self {
            Self::Reconsideration => Table4Group::Reconsideration,
            Self::DirectLitigation => Table4Group::DirectLitigation,
            Self::LitigationAfterReconsideration => Table4Group::LitigationAfterReconsideration,
        }
    }

    /// 复议机关 or 人民法院.
    pub fn body_label(self) -> &'static str {
        match self {
            Self::Reconsideration => "复议机关",
            _ => "人民法院",
        }
    }
}

/// 审理结果
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealResult {
    /// 结果维持 (复议维持、判决驳回诉讼请求)
    Upheld,
    /// 结果纠正 (撤销、变更、确认违法、责令履行)
    Corrected,
    /// 其他结果 (申请人撤回、终止、驳回复议申请或起诉 …)
    Other,
}

impl AppealResult {
    pub const ALL: [AppealResult; 3] = [Self::Upheld, Self::Corrected, Self::Other];

    pub fn label(self) -> &'static str {
        match self {
            Self::Upheld => "结果维持",
            Self::Corrected => "结果纠正",
            Self::Other => "其他结果",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Upheld => "upheld",
            Self::Corrected => "corrected",
            Self::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Its column in a group of table 四.
    pub fn column(self) -> usize {
        match self {
            Self::Upheld => 0,
            Self::Corrected => 1,
            Self::Other => 2,
        }
    }
}

/// The 尚未审结 column of a group of table 四.
pub const PENDING_COLUMN: usize = 3;
/// The 总计 column.
pub const TOTAL_COLUMN: usize = 4;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub on: Date,
    pub result: AppealResult,
    /// 决定书、判决书文号 or a short note.
    pub note: String,
}

/// 行政复议或行政诉讼案件
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appeal {
    pub agency: AgencyCode,
    pub id: u64,
    pub kind: AppealKind,
    /// The application the case arose from.
    pub application: ApplicationNumber,
    /// 收到复议申请书或起诉状之日
    pub filed_on: Date,
    /// 复议机关 or 法院
    pub body: String,
    /// 案号
    pub case_number: String,
    pub decision: Option<Decision>,
}

impl Record for Appeal {
    const KIND: RecordKind = RecordKind::Appeal;
    fn agency(&self) -> &AgencyCode {
        &self.agency
    }
    fn key(&self) -> String {
        format!("{:010}", self.id)
    }
}

impl Appeal {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        actor: &Actor,
        agency: AgencyCode,
        id: u64,
        kind: AppealKind,
        application: ApplicationNumber,
        filed_on: Date,
        body: &str,
        case_number: &str,
        application_received: Date,
    ) -> Result<Self, DomainError> {
        actor.require(&agency, Role::CaseOfficer, "登记行政复议、行政诉讼案件")?;
        if filed_on < application_received {
            return Err(DomainError::invalid(
                "收到日期",
                format!("不能早于申请 {application} 的收到日期 {application_received}"),
            ));
        }
        if body.trim().is_empty() {
            return Err(DomainError::invalid(
                "body",
                format!("请填写{}", kind.body_label()),
            ));
        }
        Ok(Self {
            agency,
            id,
            kind,
            application,
            filed_on,
            body: body.trim().to_string(),
            case_number: case_number.trim().to_string(),
            decision: None,
        })
    }

    /// 审结 — records the result (once; a wrong entry is corrected by another decision).
    pub fn decide(&self, actor: &Actor, decision: Decision) -> Result<Self, DomainError> {
        actor.require(&self.agency, Role::CaseOfficer, "登记审理结果")?;
        if decision.on < self.filed_on {
            return Err(DomainError::invalid(
                "审结日期",
                format!("不能早于收到日期 {}", self.filed_on),
            ));
        }
        Ok(Self {
            decision: Some(Decision {
                note: decision.note.trim().to_string(),
                ..decision
            }),
            ..self.clone()
        })
    }

    /// The column it is counted in for `year`, if it is counted in that year.
    pub fn column_in(&self, year: i16) -> Option<usize> {
        if self.filed_on.year() != year {
            return None;
        }
        Some(match &self.decision {
            Some(d) if d.on.year() == year => d.result.column(),
            _ => PENDING_COLUMN,
        })
    }

    pub fn status_label(&self) -> &'static str {
        match &self.decision {
            Some(d) => d.result.label(),
            None => "尚未审结",
        }
    }
}

/// Table 四 for `year`, with the cases behind every cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table4FromRecords {
    pub table: Table4,
    /// (group, column) → ids of the cases counted there.
    pub cells: BTreeMap<(usize, usize), Vec<u64>>,
}

impl Table4FromRecords {
    pub fn behind(&self, group: Table4Group, column: usize) -> &[u64] {
        self.cells
            .get(&(group as usize, column))
            .map_or(&[], Vec::as_slice)
    }
}

pub fn table4<'a>(appeals: impl IntoIterator<Item = &'a Appeal>, year: i16) -> Table4FromRecords {
    let mut table = Table4 {
        groups: [[Some(0); 5]; 3],
    };
    let mut cells: BTreeMap<(usize, usize), Vec<u64>> = BTreeMap::new();
    for appeal in appeals {
        let Some(column) = appeal.column_in(year) else {
            continue;
        };
        let group = appeal.kind.group() as usize;
        for c in [column, TOTAL_COLUMN] {
            let cell = &mut table.groups[group][c];
            *cell = Some(cell.unwrap_or(0) + 1);
            cells.entry((group, c)).or_default().push(appeal.id);
        }
    }
    Table4FromRecords { table, cells }
}
