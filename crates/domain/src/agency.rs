//! Agencies (行政机关) form a tree: 省 → 市 → 区县 → 街道/乡镇, with departments below.

use serde::{Deserialize, Serialize};

use crate::{AgencyCode, DomainError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgencyLevel {
    /// 省级
    Province,
    /// 市级
    City,
    /// 区县级
    County,
    /// 街道、乡镇
    Township,
    /// 部门
    Department,
}

impl AgencyLevel {
    pub fn label(self) -> &'static str {
        match self {
            Self::Province => "省级",
            Self::City => "市级",
            Self::County => "区县级",
            Self::Township => "乡镇街道",
            Self::Department => "部门",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::Province,
            Self::City,
            Self::County,
            Self::Township,
            Self::Department,
        ]
        .into_iter()
        .find(|l| {
            l.label() == text
                || serde_json::to_value(l)
                    .ok()
                    .and_then(|v| v.as_str().map(|s| s == text))
                    == Some(true)
        })
    }
}

/// Per-agency settings the statute leaves to the agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencySettings {
    /// 索引号前缀 (unit code), e.g. `hedongquhd0304`.
    pub index_prefix: String,
    /// 文书编号字头, e.g. `太政公复`.
    pub letter_prefix: String,
    /// Whether waiting for a fee stops the answer clock (LAW.md: UNCONFIRMED; default yes).
    pub fee_wait_pauses_clock: bool,
    /// 行政复议机关, named in every decision letter.
    #[serde(default)]
    pub reconsideration_body: String,
    /// 管辖法院 for 行政诉讼.
    #[serde(default)]
    pub court: String,
    /// Letter templates the agency edited, by letter kind code; the rest use the defaults.
    #[serde(default)]
    pub letter_templates: std::collections::BTreeMap<String, String>,
    /// 政府信息公开工作机构 — the office that receives applications (第十二条 指南).
    #[serde(default)]
    pub office: OfficeDetails,
    /// 主动公开审核流程; always holds a 保密审查 step.
    #[serde(default)]
    pub review_chain: crate::publication::ReviewChain,
    /// 索引号格式, e.g. `{unit}/{year}-{seq:07}` ({unit} is the index prefix).
    #[serde(default = "default_index_pattern")]
    pub index_pattern: String,
    /// A one-person disclosure office: whoever drafts an answer may also approve it. Otherwise
    /// the approver is always someone else.
    #[serde(default)]
    pub one_person_office: bool,
    /// 合理的补正期限 in working days from the 补正告知书 (第三十条 leaves it to the agency).
    #[serde(default = "default_supplement_period")]
    pub supplement_period: u32,
    /// 缴费方式 quoted in every fee notice (收款单位、账号或缴款渠道; 国办函〔2020〕109号 leaves the
    /// channel to the agency and its finance rules).
    #[serde(default)]
    pub fee_payment: String,
    /// How many applications of one applicant in a natural month the agency treats as the edge
    /// of a reasonable range (第三十五条 leaves it to the agency): past it, the case page says
    /// so. Default 10, the free band of 按件计收.
    #[serde(default = "default_volume_threshold")]
    pub volume_threshold: u32,
    /// 第十八条 定期评估审查: months between reviews of information withheld (the 条例 says only
    /// 定期; default 12).
    #[serde(default = "default_review_months")]
    pub review_months: u32,
    /// Outcomes this agency's legal adviser reads as 复议前置 besides those the law's table
    /// gives (`gongkai_law::appeal::route_for`): their letters say 行政复议 first.
    #[serde(default)]
    pub reconsideration_first: Vec<gongkai_law::Outcome>,
    /// 政策解读: working days after a policy document within which its 解读 is published.
    /// The State Council asks for 解读 "同步组织、同步审签、同步部署" with the document
    /// (国办发〔2016〕80号); provinces set a number of days, so it is a setting (default 3).
    #[serde(default = "default_interpretation_days")]
    pub interpretation_days: u32,
    /// 公众参与: working days to reply, by channel code (`mailbox`, `hotline`, …); a channel
    /// not set has its default (`participation::ParticipationChannel::default_days`).
    #[serde(default)]
    pub participation_days: std::collections::BTreeMap<String, u32>,
}

impl AgencySettings {
    /// How this agency's cases are handled.
    pub fn case_rules(&self) -> crate::application::CaseRules {
        crate::application::CaseRules {
            fee_wait_pauses_clock: self.fee_wait_pauses_clock,
            one_person_office: self.one_person_office,
        }
    }
}

fn default_interpretation_days() -> u32 {
    crate::publication::interpretation::DEFAULT_DAYS
}

fn default_review_months() -> u32 {
    crate::rereview::DEFAULT_REVIEW_MONTHS
}

fn default_volume_threshold() -> u32 {
    DEFAULT_VOLUME_THRESHOLD
}

/// The default edge of a reasonable monthly volume (第三十五条): the free band of 按件计收.
pub const DEFAULT_VOLUME_THRESHOLD: u32 = 10;

/// The longest 缴费方式 kept (it is quoted whole in every fee notice).
pub const MAX_FEE_PAYMENT_CHARS: usize = 300;

/// A monthly volume edge: 1 to 1,000 applications.
pub fn check_volume_threshold(count: u32) -> Result<u32, crate::DomainError> {
    if (1..=1000).contains(&count) {
        Ok(count)
    } else {
        Err(crate::DomainError::invalid(
            "合理范围",
            format!("每月申请件数的提示线应为1至1000件，收到 {count}"),
        ))
    }
}

/// A 缴费方式 as fee notices quote it: at most [`MAX_FEE_PAYMENT_CHARS`] characters.
pub fn check_fee_payment(text: &str) -> Result<String, crate::DomainError> {
    let text = text.trim();
    if text.chars().count() > MAX_FEE_PAYMENT_CHARS {
        return Err(crate::DomainError::invalid(
            "缴费方式",
            format!("缴费方式不超过{MAX_FEE_PAYMENT_CHARS}字"),
        ));
    }
    Ok(text.to_string())
}

fn default_supplement_period() -> u32 {
    crate::application::DEFAULT_SUPPLEMENT_PERIOD
}

fn default_index_pattern() -> String {
    "{unit}/{year}-{seq:07}".to_string()
}

/// What the 政府信息公开指南 tells the public about the office (第十二条).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeDetails {
    /// 办公地址
    pub address: String,
    /// 邮政编码
    pub postcode: String,
    /// 办公时间
    pub hours: String,
    /// 联系电话
    pub phone: String,
    /// 传真
    pub fax: String,
    /// 电子邮箱
    pub email: String,
}

impl Default for AgencySettings {
    fn default() -> Self {
        Self {
            index_prefix: String::new(),
            letter_prefix: String::new(),
            fee_wait_pauses_clock: true,
            reconsideration_body: String::new(),
            court: String::new(),
            letter_templates: std::collections::BTreeMap::new(),
            office: OfficeDetails::default(),
            review_chain: crate::publication::ReviewChain::standard(),
            index_pattern: default_index_pattern(),
            one_person_office: false,
            supplement_period: default_supplement_period(),
            fee_payment: String::new(),
            volume_threshold: default_volume_threshold(),
            review_months: default_review_months(),
            reconsideration_first: Vec::new(),
            interpretation_days: default_interpretation_days(),
            participation_days: std::collections::BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    pub code: AgencyCode,
    /// 全称, e.g. 河东区人民政府太平街道办事处.
    pub name: String,
    pub level: AgencyLevel,
    pub parent: Option<AgencyCode>,
    pub settings: AgencySettings,
}

impl Agency {
    /// 人民政府 (省、市、县、乡镇人民政府) as opposed to its departments and 派出机关 such as a
    /// 街道办事处: by level and by its full name ending in 人民政府 (第五十条第（四）项 asks more
    /// of their annual reports).
    pub fn is_peoples_government(&self) -> bool {
        self.level != AgencyLevel::Department && self.name.trim().ends_with("人民政府")
    }

    pub fn new(
        code: AgencyCode,
        name: &str,
        level: AgencyLevel,
        parent: Option<AgencyCode>,
    ) -> Result<Self, DomainError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(DomainError::invalid("机关名称", "应为1–100个字的全称"));
        }
        if parent.as_ref() == Some(&code) {
            return Err(DomainError::invalid("上级机关", "不能是机关自身"));
        }
        Ok(Self {
            code,
            name: name.to_string(),
            level,
            parent,
            settings: AgencySettings::default(),
        })
    }
}
