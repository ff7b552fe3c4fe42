//! 主动公开 — a publication goes out only after review ("谁公开谁审查、先审后发"): drafted,
//! then approved step by step along the agency's review chain, which always holds a
//! 保密审查 step, and only after the last approval is it public. It is due within 20 working
//! days of being made or changed (第二十六条). A repealed item stays readable, marked.

use gongkai_law::{Date, WorkingCalendar};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::{Actor, AgencyCode, DomainError, Role, UserName};

/// One step of the review chain (e.g. 科室审核 by a 审核人, 保密审查 by a 保密审查员).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewStep {
    pub name: String,
    pub role: Role,
}

/// 审核流程 — configurable per agency; the 保密审查 step cannot be removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<ReviewStep>", into = "Vec<ReviewStep>")]
pub struct ReviewChain(Vec<ReviewStep>);

impl ReviewChain {
    pub fn new(steps: Vec<ReviewStep>) -> Result<Self, DomainError> {
        if steps.is_empty() || steps.len() > 8 {
            return Err(DomainError::invalid("审核流程", "应有1至8个审核步骤"));
        }
        if !steps.iter().any(|s| s.role == Role::SecrecyReviewer) {
            return Err(DomainError::invalid(
                "审核流程",
                "必须包含保密审查步骤（由保密审查员办理），不能删除或跳过",
            ));
        }
        if steps.iter().any(|s| s.name.trim().is_empty()) {
            return Err(DomainError::invalid("审核流程", "每个步骤都要有名称"));
        }
        Ok(Self(steps))
    }

    /// 科室审核 → 保密审查 → 分管负责人签发.
    pub fn standard() -> Self {
        Self(vec![
            ReviewStep {
                name: "科室审核".into(),
                role: Role::Reviewer,
            },
            ReviewStep {
                name: "保密审查".into(),
                role: Role::SecrecyReviewer,
            },
            ReviewStep {
                name: "负责人签发".into(),
                role: Role::OfficeHead,
            },
        ])
    }

    pub fn steps(&self) -> &[ReviewStep] {
        &self.0
    }
}

impl Default for ReviewChain {
    fn default() -> Self {
        Self::standard()
    }
}

impl TryFrom<Vec<ReviewStep>> for ReviewChain {
    type Error = DomainError;
    fn try_from(steps: Vec<ReviewStep>) -> Result<Self, Self::Error> {
        Self::new(steps)
    }
}

impl From<ReviewChain> for Vec<ReviewStep> {
    fn from(chain: ReviewChain) -> Self {
        chain.0
    }
}

/// 公开方式、渠道 (第二十三条: 政府网站 and the others the agency uses).
pub const CHANNELS: [&str; 6] = [
    "政府网站",
    "政务公众号",
    "政务客户端",
    "公开栏",
    "广播电视",
    "报刊",
];

/// 正文 at most so many paragraphs, and so many characters in all.
pub const MAX_PARAGRAPHS: usize = 2_000;
pub const MAX_BODY_CHARS: usize = 200_000;

/// 有效性
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "since", rename_all = "snake_case")]
pub enum Validity {
    /// 有效
    Valid,
    /// 废止 — repealed by a decision, from the date.
    Repealed(Date),
    /// 失效 — lapsed (period ended), from the date.
    Lapsed(Date),
}

impl Validity {
    pub fn label(self) -> String {
        match self {
            Self::Valid => "有效".into(),
            Self::Repealed(d) => format!("已废止（{d}）"),
            Self::Lapsed(d) => format!("已失效（{d}）"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", content = "step", rename_all = "snake_case")]
pub enum PublicationState {
    /// 草稿
    Draft,
    /// 审核中, waiting for the step with this index.
    InReview(usize),
    /// 已审定，定时发布
    Scheduled,
    /// 已发布
    Published,
    /// 已撤回
    Withdrawn,
}

impl PublicationState {
    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::InReview(_) => "in_review",
            Self::Scheduled => "scheduled",
            Self::Published => "published",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "草稿",
            Self::InReview(_) => "审核中",
            Self::Scheduled => "待发布",
            Self::Published => "已发布",
            Self::Withdrawn => "已撤回",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    pub step: usize,
    pub name: String,
    pub by: UserName,
    pub at: Timestamp,
    /// 审核意见 (the 保密审查 step's conclusion), as the reviewer wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opinion: Option<String>,
}

/// An opinion's length at most.
pub const MAX_OPINION_CHARS: usize = 500;

impl PublicationAction {
    /// 审核通过 with the reviewer's opinion.
    pub fn approve_with(opinion: &str) -> Self {
        Self::Approve {
            opinion: opinion.to_string(),
        }
    }
}

/// What a drafter writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub title: String,
    /// 正文, paragraphs of plain text (shown escaped).
    pub body: Vec<String>,
    /// 公开目录 category, e.g. `法定主动公开内容/财政信息`.
    pub category: String,
    /// 主题分类, e.g. `财政、金融、审计`.
    pub topic: String,
    /// 成文日期
    pub written_on: Date,
    /// 变更日期 — when published information changed (a revision): 第二十六条 counts the 20
    /// working days from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed_on: Option<Date>,
    /// 文号 (e.g. 太政发〔2026〕3号), when it has one.
    pub doc_number: Option<String>,
    /// 发布渠道: 政府网站 always; 公众号、客户端、公开栏、广播 …
    pub channels: Vec<String>,
    /// 定时发布: not public before this day even when approved.
    pub release_on: Option<Date>,
    /// 主办科室, for the lists of what is late per department.
    #[serde(default)]
    pub department: Option<String>,
    /// The 主动公开基本目录 entry this item fulfils.
    #[serde(default)]
    pub catalog_entry: Option<u64>,
    /// 附件 — files published with the item (bytes kept by sha256, like applications').
    #[serde(default)]
    pub attachments: Vec<crate::Attachment>,
    /// 政策解读: the policy document this item explains, and how (see [`interpretation`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interprets: Option<interpretation::Interprets>,
}

impl Draft {
    fn check(&self) -> Result<(), DomainError> {
        let title = self.title.trim().chars().count();
        if title == 0 || title > 200 {
            return Err(DomainError::invalid("标题", "应为1–200个字"));
        }
        if self.body.iter().all(|p| p.trim().is_empty()) {
            return Err(DomainError::invalid("正文", "正文不能为空"));
        }
        if self.category.trim().is_empty() {
            return Err(DomainError::invalid("公开目录", "请选择公开目录栏目"));
        }
        let chars: usize = self.body.iter().map(|p| p.chars().count()).sum();
        if self.body.len() > MAX_PARAGRAPHS || chars > MAX_BODY_CHARS {
            return Err(DomainError::invalid(
                "正文",
                format!(
                    "至多{MAX_PARAGRAPHS}段、{MAX_BODY_CHARS}字（收到{}段、{chars}字）",
                    self.body.len()
                ),
            ));
        }
        let short = [
            ("公开目录", Some(&self.category)),
            ("主题分类", Some(&self.topic)),
            ("文号", self.doc_number.as_ref()),
            ("主办科室", self.department.as_ref()),
        ];
        for (field, text) in short {
            if text.is_some_and(|t| t.chars().count() > 100) {
                return Err(DomainError::invalid(field, "至多100字"));
            }
        }
        if self.channels.len() > CHANNELS.len()
            || self.channels.iter().any(|c| c.chars().count() > 20)
        {
            return Err(DomainError::invalid(
                "发布渠道",
                "至多6个渠道，每个至多20字",
            ));
        }
        if self
            .changed_on
            .is_some_and(|changed| changed < self.written_on)
        {
            return Err(DomainError::invalid("变更日期", "变更日期不能早于成文日期"));
        }
        if self.attachments.len() > crate::application::ATTACHMENT_MAX_COUNT {
            return Err(DomainError::invalid(
                "附件",
                format!("最多{}个附件", crate::application::ATTACHMENT_MAX_COUNT),
            ));
        }
        Ok(())
    }
}

/// A changed publication and what changed, for the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum PublicationAction {
    /// 修改草稿
    Edit { draft: Box<Draft> },
    /// 提交审核
    Submit,
    /// 审核通过 (the current step), with the reviewer's opinion (审核意见; the 保密审查 step
    /// records its conclusion here)
    Approve {
        #[serde(default, skip_serializing_if = "String::is_empty")]
        opinion: String,
    },
    /// 退回 — back to the drafter with the reason
    Reject { reason: String },
    /// 撤回 — a published or scheduled item taken down, with the reason
    Withdraw { reason: String },
    /// 标注废止或失效 — the page stays, marked
    ChangeValidity { validity: Validity },
}

impl PublicationAction {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Edit { .. } => "edit",
            Self::Submit => "submit",
            Self::Approve { .. } => "approve",
            Self::Reject { .. } => "reject",
            Self::Withdraw { .. } => "withdraw",
            Self::ChangeValidity { .. } => "change_validity",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Self::Edit { .. } => "修改",
            Self::Submit => "提交审核",
            Self::Approve { .. } => "审核通过",
            Self::Reject { .. } => "退回",
            Self::Withdraw { .. } => "撤回",
            Self::ChangeValidity { .. } => "标注有效性",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publication {
    pub agency: AgencyCode,
    /// Stable id within the agency; the page address keeps it forever.
    pub id: u64,
    pub draft: Draft,
    /// 发布机构 (full name of the agency at drafting).
    pub publisher: String,
    pub drafted_by: UserName,
    /// The chain as it was when the draft was submitted.
    pub chain: ReviewChain,
    pub approvals: Vec<Approval>,
    pub state: PublicationState,
    /// 索引号, given when it becomes public, never reused.
    pub index_number: Option<String>,
    /// 发布日期
    pub published_on: Option<Date>,
    pub validity: Validity,
    /// The last rejection or withdrawal reason.
    pub reason: Option<String>,
    /// The published item this one changes (a new version, 第二十六条 变更).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revises: Option<u64>,
    /// The newer version that replaced this one once it was published; this page stays,
    /// pointing to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<u64>,
    pub version: u64,
}

impl Publication {
    pub fn new(
        agency: AgencyCode,
        id: u64,
        publisher: &str,
        actor: &Actor,
        draft: Draft,
        chain: ReviewChain,
    ) -> Result<Self, DomainError> {
        actor.require(&agency, Role::CaseOfficer, "起草公开信息")?;
        draft.check()?;
        Ok(Self {
            agency,
            id,
            draft,
            publisher: publisher.to_string(),
            drafted_by: actor.user.clone(),
            chain,
            approvals: Vec::new(),
            state: PublicationState::Draft,
            index_number: None,
            published_on: None,
            validity: Validity::Valid,
            reason: None,
            revises: None,
            superseded_by: None,
            version: 0,
        })
    }

    /// 变更: published information changed is not edited in place — a new version is drafted
    /// (id `id`) and goes through the whole review chain; this one stays public until the new
    /// one is, then points to it ([`Publication::superseded`]). 第二十六条 counts from the
    /// 变更日期.
    pub fn revision(
        &self,
        actor: &Actor,
        id: u64,
        draft: Draft,
        chain: ReviewChain,
        today: Date,
    ) -> Result<Publication, DomainError> {
        actor.require(&self.agency, Role::CaseOfficer, "修订已发布的信息")?;
        if self.state != PublicationState::Published || self.superseded_by.is_some() {
            return Err(DomainError::State(format!(
                "“{}”不是现行有效的已发布信息，不能修订",
                self.draft.title
            )));
        }
        match draft.changed_on {
            None => {
                return Err(DomainError::invalid(
                    "变更日期",
                    "修订已发布的信息须填写变更日期（第二十六条：自变更之日起20个工作日内公开）",
                ));
            }
            Some(changed) if changed > today => {
                return Err(DomainError::invalid(
                    "变更日期",
                    format!("变更日期 {changed} 晚于今天"),
                ));
            }
            Some(_) => {}
        }
        let mut next = Publication::new(
            self.agency.clone(),
            id,
            &self.publisher,
            actor,
            draft,
            chain,
        )?;
        next.revises = Some(self.id);
        Ok(next)
    }

    /// This item once its new version `by` is public: still readable, pointing to it.
    pub fn superseded(&self, by: u64) -> Publication {
        Publication {
            superseded_by: Some(by),
            ..self.clone()
        }
    }

    /// Whether every step of the chain is approved, 保密审查 included, by someone other
    /// than the drafter. The store checks this again before anything is saved as public.
    /// The review step the publication waits on (审核中), if any.
    pub fn waiting_on(&self) -> Option<&ReviewStep> {
        match self.state {
            PublicationState::InReview(step) => self.chain.steps().get(step),
            _ => None,
        }
    }

    pub fn fully_approved(&self) -> bool {
        let steps = self.chain.steps();
        self.approvals.len() == steps.len()
            && self
                .approvals
                .iter()
                .enumerate()
                .all(|(i, a)| a.step == i && a.by != self.drafted_by)
            && steps.iter().any(|s| s.role == Role::SecrecyReviewer)
    }

    /// Whether the public may see it: published (or withdrawn never), after every approval.
    pub fn is_public(&self) -> bool {
        self.state == PublicationState::Published && self.fully_approved()
    }

    /// 第二十六条: due 20 working days after it was made (成文) or changed (变更日期).
    pub fn due(&self, calendar: &WorkingCalendar) -> Option<Date> {
        self.due_reckoning(calendar).map(|r| r.date)
    }

    /// The 第二十六条 deadline with whether it is 暂定 (counted into a year without a notice).
    pub fn due_reckoning(&self, calendar: &WorkingCalendar) -> Option<gongkai_law::Reckoning> {
        let from = self.draft.changed_on.unwrap_or(self.draft.written_on);
        calendar.add_working_days(from, 20).ok()
    }

    /// Published later than 20 working days after 成文, or still not public after them.
    pub fn is_late(&self, calendar: &WorkingCalendar, today: Date) -> bool {
        let Some(due) = self.due(calendar) else {
            return false;
        };
        match self.published_on {
            Some(day) => day > due,
            None => self.state != PublicationState::Withdrawn && today > due,
        }
    }

    pub fn apply(
        &self,
        actor: &Actor,
        action: PublicationAction,
        now: Timestamp,
        today: Date,
    ) -> Result<Publication, DomainError> {
        if actor.agency != self.agency {
            return Err(DomainError::Forbidden(format!(
                "{}不属于{}，不能{}",
                actor.user,
                self.agency,
                action.label()
            )));
        }
        let mut next = self.clone();
        let wrong_state = || {
            DomainError::State(format!(
                "“{}”当前为“{}”，不能{}",
                self.draft.title,
                self.state.label(),
                action.label()
            ))
        };
        match &action {
            PublicationAction::Edit { draft } => {
                actor.require(&self.agency, Role::CaseOfficer, "修改草稿")?;
                if self.state != PublicationState::Draft {
                    return Err(wrong_state());
                }
                draft.check()?;
                next.draft = draft.as_ref().clone();
            }
            PublicationAction::Submit => {
                actor.require(&self.agency, Role::CaseOfficer, "提交审核")?;
                if self.state != PublicationState::Draft {
                    return Err(wrong_state());
                }
                next.state = PublicationState::InReview(0);
                next.approvals.clear();
                next.reason = None;
            }
            PublicationAction::Approve { opinion } => {
                let PublicationState::InReview(step) = self.state else {
                    return Err(wrong_state());
                };
                let required = &self.chain.steps()[step];
                actor.require(&self.agency, required.role, &required.name)?;
                if actor.user == self.drafted_by {
                    return Err(DomainError::Forbidden(format!(
                        "您是起草人，不能审核自己起草的信息（{}）",
                        required.name
                    )));
                }
                if let Some(earlier) = self.approvals.iter().find(|a| a.by == actor.user) {
                    return Err(DomainError::Forbidden(format!(
                        "您已完成“{}”，每一步审核须由不同的人完成（{}）",
                        earlier.name, required.name
                    )));
                }
                let opinion = opinion.trim();
                // 保密审查 concludes in writing (《条例》第十七条: 审查机制): what was checked and
                // found.
                if required.role == Role::SecrecyReviewer && opinion.is_empty() {
                    return Err(DomainError::invalid(
                        "审核意见",
                        "保密审查须写明审查意见（如“经审查，不涉及国家秘密、工作秘密和个人隐私，同意公开”）",
                    ));
                }
                if opinion.chars().count() > MAX_OPINION_CHARS {
                    return Err(DomainError::invalid(
                        "审核意见",
                        format!("不超过{MAX_OPINION_CHARS}字"),
                    ));
                }
                next.approvals.push(Approval {
                    step,
                    name: required.name.clone(),
                    by: actor.user.clone(),
                    at: now,
                    opinion: Some(opinion.to_string()).filter(|o| !o.is_empty()),
                });
                if step + 1 < self.chain.steps().len() {
                    next.state = PublicationState::InReview(step + 1);
                } else if self.draft.release_on.is_some_and(|d| d > today) {
                    next.state = PublicationState::Scheduled;
                } else {
                    next.state = PublicationState::Published;
                    next.published_on = Some(today);
                }
            }
            PublicationAction::Reject { reason } => {
                let PublicationState::InReview(step) = self.state else {
                    return Err(wrong_state());
                };
                let required = &self.chain.steps()[step];
                actor.require(&self.agency, required.role, "退回")?;
                if reason.trim().is_empty() {
                    return Err(DomainError::invalid("退回理由", "请写明退回的理由"));
                }
                next.state = PublicationState::Draft;
                next.approvals.clear();
                next.reason = Some(reason.trim().to_string());
            }
            PublicationAction::Withdraw { reason } => {
                actor.require(&self.agency, Role::Reviewer, "撤回")?;
                if !matches!(
                    self.state,
                    PublicationState::Published | PublicationState::Scheduled
                ) {
                    return Err(wrong_state());
                }
                if reason.trim().is_empty() {
                    return Err(DomainError::invalid("撤回理由", "请写明撤回的理由"));
                }
                next.state = PublicationState::Withdrawn;
                next.reason = Some(reason.trim().to_string());
            }
            PublicationAction::ChangeValidity { validity } => {
                actor.require(&self.agency, Role::CaseOfficer, "标注有效性")?;
                if self.state != PublicationState::Published {
                    return Err(wrong_state());
                }
                next.validity = *validity;
            }
        }
        Ok(next)
    }

    /// 定时发布: an approved item scheduled for `release_on` becomes public on that day.
    pub fn release_if_due(&self, today: Date) -> Option<Publication> {
        if self.state != PublicationState::Scheduled
            || self.draft.release_on.is_some_and(|d| d > today)
        {
            return None;
        }
        let mut next = self.clone();
        next.state = PublicationState::Published;
        next.published_on = Some(today);
        Some(next)
    }
}

/// 索引号 from the agency's pattern: `{unit}`, `{year}` and `{seq:N}` (zero-padded to N).
pub fn index_number(pattern: &str, unit: &str, year: i16, seq: u64) -> Result<String, DomainError> {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..]
            .find('}')
            .map(|c| open + c)
            .ok_or_else(|| DomainError::invalid("索引号格式", "花括号未闭合"))?;
        let name = &rest[open + 1..close];
        match name {
            "unit" => out.push_str(unit),
            "year" => out.push_str(&year.to_string()),
            "seq" => out.push_str(&seq.to_string()),
            other => match other
                .strip_prefix("seq:")
                .and_then(|w| w.parse::<usize>().ok())
            {
                Some(width) if width <= 12 => out.push_str(&format!("{seq:0width$}")),
                _ => {
                    return Err(DomainError::invalid(
                        "索引号格式",
                        format!("不认识的占位符 {{{other}}}：可用 {{unit}}、{{year}}、{{seq:7}}"),
                    ));
                }
            },
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    if !pattern.contains("{seq") {
        return Err(DomainError::invalid(
            "索引号格式",
            "须含 {seq} 或 {seq:N}，否则索引号会重复",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests;

pub mod interpretation;
