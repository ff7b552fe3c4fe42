//! 依申请公开 — an application and its closed loop: 收件 → 登记 → 审核 → 办理 → 答复 → 送达 → 归档.
//!
//! Every change goes through [`Application::apply`], which checks the actor's role and agency,
//! the state, and the statute (the answer clock of `gongkai-law`), and returns the changed
//! application with the [`Event`] that records it. An archived case is read-only except for
//! notes.

use gongkai_law::{
    AnswerClock, ApplicantKind, ClockEvent, ClockEventKind, Date, Deadline, FeeMethod, Outcome,
    Reckoning, WorkingCalendar,
};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::{
    Actor, AgencyCode, ApplicationNumber, DomainError, Role, UserName, applicants::ApplicantLink,
    identity::IdDocument,
};

mod fee;
mod volume;

pub use fee::{FeeFacts, FeeWaiver};
pub use volume::ReasonableDeadline;

/// 申请方式 — how the application came in (第二十九条、第三十一条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 当面提交
    InPerson,
    /// 挂号信 (received = the day the agency signs for it)
    RegisteredMail,
    /// 平信 (received = the day confirmed with the applicant)
    OrdinaryMail,
    /// 互联网（在线申请）
    Online,
    /// 传真
    Fax,
    /// 电子邮件
    Email,
}

impl Channel {
    pub const ALL: [Channel; 6] = [
        Self::InPerson,
        Self::RegisteredMail,
        Self::OrdinaryMail,
        Self::Online,
        Self::Fax,
        Self::Email,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::InPerson => "当面",
            Self::RegisteredMail => "挂号信",
            Self::OrdinaryMail => "平信",
            Self::Online => "网络",
            Self::Fax => "传真",
            Self::Email => "电子邮件",
        }
    }

    /// How 第三十一条 fixes the receipt date for this channel.
    pub fn receipt_rule(self) -> &'static str {
        match self {
            Self::InPerson => "第三十一条第（一）项：当面提交的，以提交之日为收到之日",
            Self::RegisteredMail => {
                "第三十一条第（二）项：以邮寄方式提交的，以行政机关签收之日为收到之日"
            }
            Self::OrdinaryMail => {
                "第三十一条第（二）项：以平常信函等无需签收的邮寄方式提交的，以与申请人确认之日为收到之日"
            }
            Self::Online | Self::Fax | Self::Email => {
                "第三十一条第（三）项：通过互联网渠道或者传真提交的，以双方确认之日为收到之日"
            }
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        Self::ALL.into_iter().find(|c| {
            c.label() == text
                || serde_json::to_value(c)
                    .ok()
                    .and_then(|v| v.as_str().map(|s| s == text))
                    == Some(true)
        })
    }
}

/// 申请人
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicant {
    /// 自然人, or one of the five kinds of 法人或其他组织 (the report's columns).
    pub kind: ApplicantKind,
    /// 姓名或名称
    pub name: String,
    pub id_document: Option<IdDocument>,
    /// 联系方式 (phone, address, e-mail) as given.
    pub contact: String,
}

/// What one application may say of the information wanted (申请内容), in characters.
pub const MAX_CONTENT_CHARS: usize = 5_000;
/// A name, or the form of delivery wanted.
pub const MAX_SHORT_CHARS: usize = 200;
/// Phone, e-mail and address together.
pub const MAX_CONTACT_CHARS: usize = 500;

fn too_long(field: &str, text: &str, max: usize) -> Result<(), DomainError> {
    let count = text.trim().chars().count();
    if count > max {
        return Err(DomainError::invalid(
            field,
            format!("不超过{max}字（收到{count}字）"),
        ));
    }
    Ok(())
}

impl Applicant {
    pub fn new(
        kind: ApplicantKind,
        name: &str,
        id_document: Option<IdDocument>,
        contact: &str,
    ) -> Result<Self, DomainError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(DomainError::invalid(
                "申请人",
                "姓名或名称不能为空（第二十九条）",
            ));
        }
        too_long("申请人", name, MAX_SHORT_CHARS)?;
        too_long("联系方式", contact, MAX_CONTACT_CHARS)?;
        match (&id_document, kind.is_organisation()) {
            (Some(IdDocument::ResidentId(_)), true) => {
                return Err(DomainError::invalid(
                    "身份证明",
                    "法人或其他组织应提供统一社会信用代码，而非居民身份证",
                ));
            }
            (Some(IdDocument::CreditCode(_)), false) => {
                return Err(DomainError::invalid(
                    "身份证明",
                    "自然人应提供居民身份证或其他身份证件，而非统一社会信用代码",
                ));
            }
            _ => {}
        }
        Ok(Self {
            kind,
            name: name.to_string(),
            id_document,
            contact: contact.trim().to_string(),
        })
    }
}

/// The states of an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// 待确认 — submitted online, not yet confirmed by staff.
    Pending,
    /// 已登记
    Registered,
    /// 补正中 — waiting for the applicant's supplement.
    AwaitingSupplement,
    /// 办理中 (consultations, fees and extensions are clock events, not states)
    InProgress,
    /// 待审核 — an answer is drafted and waits for a reviewer.
    UnderReview,
    /// 已答复
    Answered,
    /// 已送达
    Delivered,
    /// 已归档 — read-only except for notes.
    Archived,
}

impl State {
    pub const ALL: [State; 8] = [
        Self::Pending,
        Self::Registered,
        Self::AwaitingSupplement,
        Self::InProgress,
        Self::UnderReview,
        Self::Answered,
        Self::Delivered,
        Self::Archived,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "待确认",
            Self::Registered => "已登记",
            Self::AwaitingSupplement => "补正中",
            Self::InProgress => "办理中",
            Self::UnderReview => "待审核",
            Self::Answered => "已答复",
            Self::Delivered => "已送达",
            Self::Archived => "已归档",
        }
    }

    /// What the state means, told to the applicant on the public status page.
    pub fn explained(self) -> &'static str {
        match self {
            Self::Pending => {
                "本机关已收到您在网上提交的申请，正在核对申请人信息和申请内容，确认后登记办理。"
            }
            Self::Registered => "申请已登记，即将交承办科室办理。",
            Self::AwaitingSupplement => {
                "申请内容不够明确，本机关已一次性告知需要补正的事项；补正期间不计算答复期限，收到补正后重新计算。"
            }
            Self::InProgress => {
                "承办科室正在查找、审查所需信息；征求第三方或其他机关意见、缴纳信息处理费的期间不计算在答复期限内。"
            }
            Self::UnderReview => "答复已起草，正由审核人审核，审核通过后即出具答复书。",
            Self::Answered => "本机关已作出答复，可在下方下载答复书。",
            Self::Delivered => "答复书已送达。对答复不服的，可依答复书所列途径申请行政复议。",
            Self::Archived => "本件已办结归档。",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Registered => "registered",
            Self::AwaitingSupplement => "awaiting_supplement",
            Self::InProgress => "in_progress",
            Self::UnderReview => "under_review",
            Self::Answered => "answered",
            Self::Delivered => "delivered",
            Self::Archived => "archived",
        }
    }

    /// Whether the answer clock still runs (the case counts as open for 结转).
    pub fn is_open(self) -> bool {
        !matches!(self, Self::Answered | Self::Delivered | Self::Archived)
    }
}

/// The drafted or issued answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub outcome: Outcome,
    /// 答复书正文
    pub text: String,
    /// 第三十六条第（五）项: who holds the information, and how to reach them.
    #[serde(default)]
    pub referral: Option<String>,
    /// 附件: the files the answer provides (the information itself, 见附件), sent with the letter.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    pub drafted_by: UserName,
    pub approved_by: Option<UserName>,
}

/// 送达
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// 送达方式 (当面、邮寄、电子邮件、在线 …)
    pub method: String,
    pub date: Date,
    /// 送达凭证 (签收单号、邮件回执 …)
    pub proof: String,
    /// For electronic delivery: the applicant's consent was on record.
    #[serde(default)]
    pub consent: bool,
}

impl Delivery {
    /// Whether a 送达方式 is electronic (电子邮件、在线、短信 …), which needs the applicant's consent.
    pub fn is_electronic(method: &str) -> bool {
        ["电子", "邮件", "在线", "网上", "短信", "平台"]
            .iter()
            .any(|w| method.contains(w))
            && !method.contains("邮寄")
    }
}

/// 附件 — a file that came with the application (its bytes are kept by the web layer, found by
/// their sha256).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub name: String,
    /// e.g. `application/pdf`
    pub media_type: String,
    pub bytes: u64,
    pub sha256: String,
}

/// What the portal and staff may attach.
pub const ATTACHMENT_TYPES: [&str; 8] = [
    "application/pdf",
    "image/jpeg",
    "image/png",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "text/plain",
];
/// At most 20 MB a file and 10 files an application.
pub const ATTACHMENT_MAX_BYTES: u64 = 20 * 1024 * 1024;
pub const ATTACHMENT_MAX_COUNT: usize = 10;

impl Attachment {
    pub fn new(
        name: &str,
        media_type: &str,
        bytes: u64,
        sha256: &str,
    ) -> Result<Self, DomainError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 || name.contains(['/', '\\']) {
            return Err(DomainError::invalid(
                "附件",
                "文件名应为1–200个字符，不含路径",
            ));
        }
        if !ATTACHMENT_TYPES.contains(&media_type) {
            return Err(DomainError::invalid(
                "附件",
                format!("「{name}」的类型不受支持：请上传 PDF、JPG、PNG、Word、Excel 或文本文件"),
            ));
        }
        if bytes == 0 || bytes > ATTACHMENT_MAX_BYTES {
            return Err(DomainError::invalid(
                "附件",
                format!("「{name}」大小应在1字节到20MB之间"),
            ));
        }
        if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(DomainError::invalid(
                "附件",
                "文件摘要应为64位十六进制 sha256",
            ));
        }
        Ok(Self {
            name: name.to_string(),
            media_type: media_type.to_string(),
            bytes,
            sha256: sha256.to_ascii_lowercase(),
        })
    }
}

/// Facts of the case that its letters quote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterFacts {
    /// 补正事项
    pub supplement: Option<String>,
    /// 补正期限 in working days from the 补正告知书 (its end is counted when asked, so that a
    /// holiday notice loaded later moves it: [`Application::supplement_due`]).
    #[serde(default)]
    pub supplement_period: Option<u32>,
    /// Whom the running consultation asks (its end: [`Application::open_pause`]).
    #[serde(default)]
    pub consultation_kind: Option<ConsultationKind>,
    /// 被征求意见的第三方或机关
    pub consulted: Option<String>,
    /// 延期理由
    pub extension_reason: Option<String>,
    /// 信息处理费（元）: what the applicant is to pay (after any 减免).
    pub fee_yuan: Option<u64>,
    /// How the fee was worked out, when the notice reached the applicant, any 减免.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee: Option<FeeFacts>,
    /// 第三十五条: the day the applicant was asked to give reasons for the volume or frequency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasons_asked: Option<Date>,
    /// 第三十五条: what the applicant was asked to explain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasons_what: Option<String>,
    /// 第三十五条: the reasonable later deadline set and told to the applicant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasonable_deadline: Option<ReasonableDeadline>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub at: Timestamp,
    pub by: UserName,
    pub text: String,
}

/// Whom an agency consults before it decides, and what the law says of their silence.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsultationKind {
    /// 第三方 (第三十二条): silence leaves the decision to the agency.
    #[default]
    ThirdParty,
    /// 其他机关 (第三十四条): silence is consent.
    OtherAgency,
}

impl ConsultationKind {
    pub const ALL: [ConsultationKind; 2] = [Self::ThirdParty, Self::OtherAgency];

    pub fn code(self) -> &'static str {
        match self {
            Self::ThirdParty => "third_party",
            Self::OtherAgency => "other_agency",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::ThirdParty => "第三方（第三十二条）",
            Self::OtherAgency => "其他机关（第三十四条）",
        }
    }

    /// What follows when the period runs out without an answer.
    pub fn silence(self) -> &'static str {
        match self {
            Self::ThirdParty => {
                "第三方逾期未提出意见的，由本机关依照《条例》的规定决定是否公开（第三十二条）"
            }
            Self::OtherAgency => "被征求意见机关逾期未提出意见的，视为同意公开（第三十四条）",
        }
    }
}

/// The working days a consulted third party or agency has to answer (第三十二条、第三十四条).
pub const CONSULTATION_PERIOD: u32 = 15;

/// A pause of the answer clock still open, and when it should end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenPause {
    pub kind: ConsultationKind,
    /// The last day of the consulted party's period (暂定 where a year's notice is missing).
    pub due: Reckoning,
}

/// What an agency decides for itself about how a case is handled (its settings, not law).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseRules {
    /// Whether waiting for a fee stops the answer clock.
    pub fee_wait_pauses_clock: bool,
    /// A one-person office: the drafter of an answer may also approve it.
    pub one_person_office: bool,
}

impl Default for CaseRules {
    fn default() -> Self {
        Self {
            fee_wait_pauses_clock: true,
            one_person_office: false,
        }
    }
}

/// 合理的补正期限 when the agency has set none: 15 working days from the 补正告知书 (第三十条
/// leaves the length to the agency; this is a default, shown as such).
pub const DEFAULT_SUPPLEMENT_PERIOD: u32 = 15;

/// The longest 补正期限 accepted (a bound on input, not a rule of law).
pub const MAX_SUPPLEMENT_PERIOD: u32 = 60;

/// The longest answer text kept (a long answer lists documents; a novel is a mistake).
pub const MAX_ANSWER_CHARS: usize = 20_000;

/// Whether an answer's text points to files sent with it ("详见附件", a line "附件：…").
pub fn refers_to_attachment(text: &str) -> bool {
    text.contains("见附件")
        || text
            .lines()
            .any(|line| line.trim_start().starts_with("附件"))
}

/// An answer that says "见附件" carries its files, and no more than an application may.
fn check_answer_attachments(text: &str, attachments: &[Attachment]) -> Result<(), DomainError> {
    if attachments.len() > ATTACHMENT_MAX_COUNT {
        return Err(DomainError::invalid(
            "附件",
            format!("答复最多附{ATTACHMENT_MAX_COUNT}个附件"),
        ));
    }
    if attachments.is_empty() && refers_to_attachment(text) {
        return Err(DomainError::invalid(
            "附件",
            "答复书正文写有“见附件”，但没有附件：请上传所提供的政府信息文件，或改写正文",
        ));
    }
    Ok(())
}

fn check_answer_length(text: &str) -> Result<(), DomainError> {
    if text.trim().chars().count() > MAX_ANSWER_CHARS {
        return Err(DomainError::invalid(
            "答复书",
            format!("答复书正文不超过{MAX_ANSWER_CHARS}字；所附信息请作为附件或文书送达"),
        ));
    }
    Ok(())
}

/// The longest 第三十六条第（五）项 referral (机关名称及联系方式) kept.
pub const MAX_REFERRAL_CHARS: usize = 200;

/// A 补正期限 in working days: 1 to [`MAX_SUPPLEMENT_PERIOD`] (for a case, or the agency's).
pub fn check_supplement_period(days: u32) -> Result<u32, DomainError> {
    if (1..=MAX_SUPPLEMENT_PERIOD).contains(&days) {
        Ok(days)
    } else {
        Err(DomainError::invalid(
            "补正期限",
            format!("补正期限应为1至{MAX_SUPPLEMENT_PERIOD}个工作日，收到 {days}"),
        ))
    }
}

/// Whether an answer with `outcome` may be given on the spot without review: the information
/// provided (or where it is public), not held by this agency, or a publication to be bought.
pub fn answerable_on_the_spot(outcome: Outcome) -> bool {
    matches!(
        outcome,
        Outcome::Disclosed | Outcome::NotHeld | Outcome::Publication
    )
}

/// The name events carry when the applicant acted through the portal (补正).
pub const APPLICANT_ACTOR: &str = "applicant";

/// What an application needs when it is first recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApplication {
    pub number: ApplicationNumber,
    pub applicant: Applicant,
    pub channel: Channel,
    /// 收到申请之日 (第三十一条), not the day it is typed in.
    pub received: Date,
    /// 申请内容 — what information is asked for.
    pub content: String,
    /// 获取信息的方式、途径
    pub wanted_form: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    pub agency: AgencyCode,
    pub number: ApplicationNumber,
    pub applicant: Applicant,
    pub channel: Channel,
    pub received: Date,
    /// When staff (or the portal) recorded it.
    pub entered_at: Timestamp,
    pub content: String,
    pub wanted_form: String,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    pub department: Option<String>,
    pub state: State,
    /// The answer clock's events, in order.
    pub clock: Vec<ClockEvent>,
    pub answer: Option<Answer>,
    /// 答复日期: the answer counts in the year of this date (办理结果).
    pub answered_on: Option<Date>,
    pub delivery: Option<Delivery>,
    pub notes: Vec<Note>,
    /// What letters quote: 补正事项, 征求意见对象, 延期理由, 收费金额.
    #[serde(default)]
    pub letter_facts: LetterFacts,
    /// sha256 of the 查询码 the applicant got with the receipt (online applications).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_code_sha256: Option<String>,
    /// The applicant record (set by the store when the application is recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applicant_link: Option<ApplicantLink>,
    /// Optimistic version: bumped by every change the store saves.
    pub version: u64,
}

/// One change to an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// 登记 — staff confirm an application (and route it to a department).
    Register {
        department: Option<String>,
    },
    /// 告知补正 (第三十条) — once, within 7 working days of receipt, naming what to supplement
    /// and a reasonable period (`period` working days from the notice; when not given, the
    /// agency's setting, else [`DEFAULT_SUPPLEMENT_PERIOD`]).
    RequestSupplement {
        date: Date,
        what: String,
        #[serde(default)]
        period: Option<u32>,
    },
    /// 收到补正 — the clock restarts.
    ReceiveSupplement {
        date: Date,
    },
    /// 开始办理 — from 已登记 to 办理中.
    StartHandling,
    /// 征求意见 (第三十二条、第三十四条) — the clock pauses until the answer comes or the
    /// 15 working days run out; either way the end is recorded (`EndConsultation`).
    StartConsultation {
        date: Date,
        party: String,
        #[serde(default)]
        kind: ConsultationKind,
    },
    EndConsultation {
        date: Date,
    },
    /// 延期答复 (第三十三条) — approved by a reviewer, once, 20 working days.
    Extend {
        date: Date,
        reason: String,
    },
    /// 收费通知 (国办函〔2020〕109号): the amount is worked out from the method and the quantity
    /// (按件: the application's place among the applicant's applications of the month, which the
    /// records give — [`crate::applicants::place_in_month`]; 按量: pages), never typed.
    SendFeeNotice {
        date: Date,
        method: FeeMethod,
        #[serde(default)]
        quantity: u32,
    },
    /// 收费通知送达 — the day the applicant received the notice; the 20 working days to pay
    /// count from the next day.
    DeliverFeeNotice {
        date: Date,
    },
    /// 减免 — the fee reduced to `yuan` (0 = waived whole) for a recorded reason.
    WaiveFee {
        date: Date,
        yuan: u64,
        reason: String,
    },
    RecordFeePaid {
        date: Date,
    },
    /// 第三十五条: the applicant is asked to give reasons for the volume or frequency.
    AskForReasons {
        date: Date,
        what: String,
    },
    /// 第三十五条: the reasons are reasonable but the answer cannot come within 第三十三条's
    /// period — a reasonable later deadline is set and told to the applicant.
    SetReasonableDeadline {
        date: Date,
        due: Date,
        reason: String,
    },
    /// 确认申请人 — staff decide whether the suggested record (same name and contact) is the
    /// same applicant.
    ConfirmApplicant {
        same: bool,
    },
    /// 提交审核 — a drafted answer with its outcome.
    SubmitAnswer {
        outcome: Outcome,
        text: String,
        /// 第三十六条第（五）项: the agency that holds the information and its contact, when it
        /// can be determined (for 本机关不掌握相关政府信息).
        #[serde(default)]
        referral: Option<String>,
        /// 附件: files already kept in the store (checked by the web layer). Never read from a
        /// request body: a client could otherwise name another case's stored file.
        #[serde(skip)]
        attachments: Vec<Attachment>,
    },
    /// 当场答复 (第三十三条第一款: 能够当场答复的，应当当场予以答复) — an application made in
    /// person, answered and handed over the day it was made, by the officer who received it.
    /// Only for answers that need no review: the information given or pointed to, not held, or
    /// a publication (refusals go through 提交审核).
    AnswerOnTheSpot {
        outcome: Outcome,
        text: String,
    },
    /// 退回修改
    ReturnForRevision {
        reason: String,
    },
    /// 审核通过并答复 — the answer is issued on `date`.
    ApproveAnswer {
        date: Date,
    },
    /// 送达
    Deliver {
        method: String,
        date: Date,
        proof: String,
        /// The applicant agreed to electronic delivery (asked for it in the application, or
        /// said so since).
        #[serde(default)]
        consent: bool,
    },
    /// 归档
    Archive,
    /// 备注 — allowed at any time, also after archiving.
    AddNote {
        text: String,
    },
}

impl Action {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Register { .. } => "register",
            Self::RequestSupplement { .. } => "request_supplement",
            Self::ReceiveSupplement { .. } => "receive_supplement",
            Self::StartHandling => "start_handling",
            Self::StartConsultation { .. } => "start_consultation",
            Self::EndConsultation { .. } => "end_consultation",
            Self::Extend { .. } => "extend",
            Self::SendFeeNotice { .. } => "send_fee_notice",
            Self::DeliverFeeNotice { .. } => "deliver_fee_notice",
            Self::WaiveFee { .. } => "waive_fee",
            Self::RecordFeePaid { .. } => "record_fee_paid",
            Self::AskForReasons { .. } => "ask_for_reasons",
            Self::SetReasonableDeadline { .. } => "set_reasonable_deadline",
            Self::ConfirmApplicant { .. } => "confirm_applicant",
            Self::SubmitAnswer { .. } => "submit_answer",
            Self::AnswerOnTheSpot { .. } => "answer_on_the_spot",
            Self::ReturnForRevision { .. } => "return_for_revision",
            Self::ApproveAnswer { .. } => "approve_answer",
            Self::Deliver { .. } => "deliver",
            Self::Archive => "archive",
            Self::AddNote { .. } => "add_note",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Self::Register { .. } => "登记",
            Self::RequestSupplement { .. } => "告知补正",
            Self::ReceiveSupplement { .. } => "收到补正",
            Self::StartHandling => "开始办理",
            Self::StartConsultation { .. } => "征求意见",
            Self::EndConsultation { .. } => "征求意见结束",
            Self::Extend { .. } => "延期答复",
            Self::SendFeeNotice { .. } => "发出收费通知",
            Self::DeliverFeeNotice { .. } => "收费通知送达",
            Self::WaiveFee { .. } => "减免信息处理费",
            Self::RecordFeePaid { .. } => "缴费",
            Self::AskForReasons { .. } => "要求说明理由",
            Self::SetReasonableDeadline { .. } => "确定延迟答复的合理期限",
            Self::ConfirmApplicant { .. } => "确认申请人",
            Self::SubmitAnswer { .. } => "提交审核",
            Self::AnswerOnTheSpot { .. } => "当场答复",
            Self::ReturnForRevision { .. } => "退回修改",
            Self::ApproveAnswer { .. } => "审核通过并答复",
            Self::Deliver { .. } => "送达",
            Self::Archive => "归档",
            Self::AddNote { .. } => "备注",
        }
    }

    /// The role the action needs (第三十三条: an extension needs the head's approval).
    pub fn role(&self) -> Role {
        match self {
            // 第三十三条第二款: 经政府信息公开工作机构负责人同意; a 减免 and a 第三十五条 deadline
            // are likewise the office's decisions, not the case officer's.
            Self::Extend { .. } | Self::WaiveFee { .. } | Self::SetReasonableDeadline { .. } => {
                Role::OfficeHead
            }
            Self::ReturnForRevision { .. } | Self::ApproveAnswer { .. } => Role::Reviewer,
            _ => Role::CaseOfficer,
        }
    }

    fn clock_event(&self) -> Option<ClockEvent> {
        let (kind, date) = match self {
            Self::RequestSupplement { date, .. } => (ClockEventKind::SupplementRequested, *date),
            Self::ReceiveSupplement { date } => (ClockEventKind::SupplementReceived, *date),
            Self::StartConsultation { date, .. } => (ClockEventKind::ConsultationStarted, *date),
            Self::EndConsultation { date } => (ClockEventKind::ConsultationEnded, *date),
            Self::Extend { date, .. } => (ClockEventKind::Extended, *date),
            Self::SendFeeNotice { date, .. } => (ClockEventKind::FeeNotice, *date),
            Self::RecordFeePaid { date } => (ClockEventKind::FeePaid, *date),
            Self::WaiveFee { date, yuan: 0, .. } => (ClockEventKind::FeeWaived, *date),
            _ => return None,
        };
        Some(ClockEvent { kind, date })
    }
}

/// What a change did: recorded in the audit log with the application before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub at: Timestamp,
    pub actor: UserName,
    pub action: Action,
    pub before: State,
    pub after: State,
}

impl Application {
    /// Records a new application. Online submissions start 待确认; others are registered by
    /// the staff member who typed them in.
    pub fn new(
        agency: AgencyCode,
        new: NewApplication,
        entered_at: Timestamp,
        today: Date,
    ) -> Result<Self, DomainError> {
        if new.received > today {
            return Err(DomainError::invalid(
                "收到日期",
                format!("{} 晚于今天（{today}），收到之日不能在将来", new.received),
            ));
        }
        if new.content.trim().is_empty() {
            return Err(DomainError::invalid(
                "申请内容",
                "请写明所需政府信息的名称、文号或便于查询的特征描述（第二十九条）",
            ));
        }
        too_long("申请内容", &new.content, MAX_CONTENT_CHARS)?;
        too_long("获取方式", &new.wanted_form, MAX_SHORT_CHARS)?;
        let state = if new.channel == Channel::Online {
            State::Pending
        } else {
            State::Registered
        };
        Ok(Self {
            agency,
            number: new.number,
            applicant: new.applicant,
            channel: new.channel,
            received: new.received,
            entered_at,
            content: new.content.trim().to_string(),
            wanted_form: new.wanted_form.trim().to_string(),
            attachments: Vec::new(),
            department: None,
            state,
            clock: Vec::new(),
            answer: None,
            answered_on: None,
            delivery: None,
            notes: Vec::new(),
            letter_facts: LetterFacts::default(),
            query_code_sha256: None,
            applicant_link: None,
            version: 0,
        })
    }

    /// Whether `code` is this application's 查询码 (a wrong or missing code reveals nothing).
    pub fn query_code_matches(&self, code: &str) -> bool {
        let Some(expected) = &self.query_code_sha256 else {
            return false;
        };
        let given = crate::access::secret_hash(code.trim());
        // Compare every byte so the time taken does not tell how much matched.
        given.len() == expected.len()
            && given
                .bytes()
                .zip(expected.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }

    /// 申请人在线补正 — the applicant sends the supplement through the portal with the query
    /// code. The answer clock restarts from the day it arrives (第三十条); the text is kept as
    /// a note signed by the applicant.
    pub fn supplement_by_applicant(
        &self,
        text: &str,
        now: Timestamp,
        today: Date,
    ) -> Result<(Application, Event), DomainError> {
        if self.state != State::AwaitingSupplement {
            return Err(DomainError::State(format!(
                "申请 {} 当前为“{}”，无需补正",
                self.number,
                self.state.label()
            )));
        }
        let text = text.trim();
        if text.is_empty() || text.chars().count() > 5000 {
            return Err(DomainError::invalid(
                "补正内容",
                "请写明补正的内容（1–5000字），如所需信息的名称、文号或便于查询的特征描述",
            ));
        }
        if today < self.last_date() {
            return Err(DomainError::invalid(
                "日期",
                format!("{today} 早于本申请上一事项的日期 {}", self.last_date()),
            ));
        }
        let applicant = UserName::parse(APPLICANT_ACTOR).expect("a valid name");
        let action = Action::ReceiveSupplement { date: today };
        let mut next = self.clone();
        next.clock
            .push(action.clock_event().expect("a clock event"));
        next.state = State::InProgress;
        next.notes.push(Note {
            at: now,
            by: applicant.clone(),
            text: format!("申请人在线补正：{text}"),
        });
        let event = Event {
            at: now,
            actor: applicant,
            action,
            before: self.state,
            after: next.state,
        };
        Ok((next, event))
    }

    /// Adds the files that came with the application (on submission or registration).
    pub fn attach(&mut self, files: Vec<Attachment>) -> Result<(), DomainError> {
        if self.attachments.len() + files.len() > ATTACHMENT_MAX_COUNT {
            return Err(DomainError::invalid(
                "附件",
                format!("每件申请最多{ATTACHMENT_MAX_COUNT}个附件"),
            ));
        }
        self.attachments.extend(files);
        Ok(())
    }

    /// A case from before gongkai, imported from the agency's register: open, or answered on
    /// a date with an outcome. Its history is not known, so it carries no clock events.
    pub fn historical(
        agency: AgencyCode,
        new: NewApplication,
        answered: Option<(Date, Outcome)>,
        entered_at: Timestamp,
        today: Date,
    ) -> Result<Self, DomainError> {
        let mut app = Self::new(agency, new, entered_at, today)?;
        app.state = State::InProgress;
        if let Some((date, outcome)) = answered {
            if date < app.received {
                return Err(DomainError::invalid(
                    "答复日期",
                    format!("{date} 早于收到日期 {}", app.received),
                ));
            }
            if date > today {
                return Err(DomainError::invalid(
                    "答复日期",
                    format!("{date} 晚于今天（{today}）"),
                ));
            }
            app.state = State::Answered;
            app.answered_on = Some(date);
            app.answer = Some(Answer {
                outcome,
                text: "（历史数据导入，答复书见原纸质档案）".to_string(),
                referral: None,
                attachments: Vec::new(),
                drafted_by: UserName::parse("import").expect("a valid name"),
                approved_by: None,
            });
        }
        Ok(app)
    }

    /// The answer clock as the law sees it.
    pub fn answer_clock(&self, fee_wait_pauses_clock: bool) -> AnswerClock {
        let mut clock = AnswerClock::new(self.received);
        clock.events = self.clock.clone();
        clock.settings.fee_wait_pauses_clock = fee_wait_pauses_clock;
        clock
    }

    pub fn deadline(
        &self,
        calendar: &WorkingCalendar,
        fee_wait_pauses_clock: bool,
        today: Option<Date>,
    ) -> Result<Deadline, DomainError> {
        let deadline = self
            .answer_clock(fee_wait_pauses_clock)
            .deadline(calendar, today)?;
        // 第三十五条: a reasonable later deadline, once set, is the one to keep.
        Ok(match &self.letter_facts.reasonable_deadline {
            Some(later) => later.apply_to(deadline, calendar, today),
            None => deadline,
        })
    }

    /// The last date anything happened on (receipt, clock events, answer, delivery).
    /// The last day to supplement (第三十条), while a 补正 is awaited; 暂定 where the period
    /// reaches a year whose holiday notice is not loaded.
    pub fn supplement_due(&self, calendar: &WorkingCalendar) -> Option<Reckoning> {
        if self.state != State::AwaitingSupplement {
            return None;
        }
        let asked = self
            .clock
            .iter()
            .rev()
            .find(|e| e.kind == ClockEventKind::SupplementRequested)?;
        let period = self.letter_facts.supplement_period?;
        calendar.add_working_days(asked.date, period).ok()
    }

    /// Whether the statute lets this clock event be recorded now, as the case stands: 补正 is
    /// asked once (第三十条: 一次性告知), a consultation ends only when one is under way and
    /// starts only when none is, the answer is extended once (第三十三条第二款), a fee is
    /// noticed once and paid or waived only after its notice. The full check is `apply`'s;
    /// this says which actions a case offers.
    pub fn may_record(&self, kind: ClockEventKind) -> bool {
        let ever = |k: ClockEventKind| self.clock.iter().any(|e| e.kind == k);
        let consulting = self.consultation_under_way().is_some();
        match kind {
            ClockEventKind::SupplementRequested => !ever(ClockEventKind::SupplementRequested),
            ClockEventKind::SupplementReceived => {
                ever(ClockEventKind::SupplementRequested)
                    && !ever(ClockEventKind::SupplementReceived)
            }
            ClockEventKind::ConsultationStarted => !consulting,
            ClockEventKind::ConsultationEnded => consulting,
            ClockEventKind::Extended => !ever(ClockEventKind::Extended),
            ClockEventKind::FeeNotice => !ever(ClockEventKind::FeeNotice),
            ClockEventKind::FeePaid | ClockEventKind::FeeWaived => {
                ever(ClockEventKind::FeeNotice)
                    && !ever(ClockEventKind::FeePaid)
                    && !ever(ClockEventKind::FeeWaived)
            }
        }
    }

    /// The start of a consultation not yet recorded as ended.
    fn consultation_under_way(&self) -> Option<&ClockEvent> {
        self.clock
            .iter()
            .rev()
            .find(|e| {
                matches!(
                    e.kind,
                    ClockEventKind::ConsultationStarted | ClockEventKind::ConsultationEnded
                )
            })
            .filter(|e| e.kind == ClockEventKind::ConsultationStarted)
    }

    /// The consultation under way, if any: the clock is paused until it is recorded as ended.
    pub fn open_pause(&self, calendar: &WorkingCalendar) -> Option<OpenPause> {
        let started = self.consultation_under_way()?;
        let kind = self.letter_facts.consultation_kind?;
        let due = calendar
            .add_working_days(started.date, CONSULTATION_PERIOD)
            .ok()?;
        Some(OpenPause { kind, due })
    }

    fn last_date(&self) -> Date {
        let mut last = self.received;
        for date in self
            .clock
            .iter()
            .map(|e| e.date)
            .chain(self.answered_on)
            .chain(self.delivery.as_ref().map(|d| d.date))
        {
            last = last.max(date);
        }
        last
    }

    /// Applies one action for `actor`, checking role, state and statute.
    pub fn apply(
        &self,
        actor: &Actor,
        action: Action,
        calendar: &WorkingCalendar,
        rules: &CaseRules,
        now: Timestamp,
        today: Date,
    ) -> Result<(Application, Event), DomainError> {
        let fee_wait_pauses_clock = rules.fee_wait_pauses_clock;
        actor.require(&self.agency, action.role(), action.label())?;
        let mut next = self.clone();
        let in_state = |allowed: &[State]| -> Result<(), DomainError> {
            if allowed.contains(&self.state) {
                Ok(())
            } else {
                let names: Vec<&str> = allowed.iter().map(|s| s.label()).collect();
                Err(DomainError::State(format!(
                    "申请 {} 当前为“{}”，只有“{}”时才能{}",
                    self.number,
                    self.state.label(),
                    names.join("”或“"),
                    action.label()
                )))
            }
        };
        let dated = |date: Date| -> Result<(), DomainError> {
            if date > today {
                return Err(DomainError::invalid(
                    "日期",
                    format!("{date} 晚于今天（{today}）"),
                ));
            }
            if date < self.last_date() {
                return Err(DomainError::invalid(
                    "日期",
                    format!("{date} 早于本申请上一事项的日期 {}", self.last_date()),
                ));
            }
            Ok(())
        };
        if self.state == State::Archived && !matches!(action, Action::AddNote { .. }) {
            return Err(DomainError::State(format!(
                "申请 {} 已归档，只能添加备注",
                self.number
            )));
        }
        match &action {
            Action::Register { department } => {
                in_state(&[State::Pending])?;
                next.state = State::Registered;
                next.department = department.clone().filter(|d| !d.trim().is_empty());
            }
            Action::StartHandling => {
                in_state(&[State::Registered])?;
                next.state = State::InProgress;
            }
            Action::RequestSupplement { date, what, period } => {
                in_state(&[State::Registered, State::InProgress])?;
                dated(*date)?;
                if what.trim().is_empty() {
                    return Err(DomainError::invalid(
                        "补正事项",
                        "应一次性写明需要补正的事项和合理的补正期限（第三十条）",
                    ));
                }
                let period = check_supplement_period(period.unwrap_or(DEFAULT_SUPPLEMENT_PERIOD))?;
                // Counted now only to refuse what the calendar cannot count.
                calendar
                    .add_working_days(*date, period)
                    .map_err(DomainError::Statute)?;
                next.state = State::AwaitingSupplement;
                next.letter_facts.supplement = Some(what.trim().to_string());
                next.letter_facts.supplement_period = Some(period);
            }
            Action::ReceiveSupplement { date } => {
                in_state(&[State::AwaitingSupplement])?;
                dated(*date)?;
                next.state = State::InProgress;
            }
            Action::StartConsultation { date, party, kind } => {
                in_state(&[State::Registered, State::InProgress])?;
                dated(*date)?;
                if party.trim().is_empty() {
                    return Err(DomainError::invalid(
                        "被征求意见方",
                        "请写明第三方或其他机关的名称",
                    ));
                }
                calendar
                    .add_working_days(*date, CONSULTATION_PERIOD)
                    .map_err(DomainError::Statute)?;
                next.state = State::InProgress;
                next.letter_facts.consulted = Some(party.trim().to_string());
                next.letter_facts.consultation_kind = Some(*kind);
            }
            Action::EndConsultation { date } => {
                in_state(&[State::InProgress])?;
                dated(*date)?;
                next.letter_facts.consultation_kind = None;
            }
            Action::RecordFeePaid { date } => {
                in_state(&[State::InProgress])?;
                dated(*date)?;
            }
            Action::Extend { date, reason } => {
                in_state(&[State::Registered, State::InProgress])?;
                dated(*date)?;
                if reason.trim().is_empty() {
                    return Err(DomainError::invalid(
                        "延期理由",
                        "延期须写明理由，并告知申请人（第三十三条）",
                    ));
                }
                next.state = State::InProgress;
                next.letter_facts.extension_reason = Some(reason.trim().to_string());
            }
            Action::SendFeeNotice {
                date,
                method,
                quantity,
            } => {
                in_state(&[State::Registered, State::InProgress])?;
                dated(*date)?;
                next.state = State::InProgress;
                let facts = FeeFacts::work_out(*method, *quantity)?;
                next.letter_facts.fee_yuan = Some(facts.charged_yuan);
                next.letter_facts.fee = Some(facts);
            }
            Action::DeliverFeeNotice { date } => {
                in_state(&[State::InProgress])?;
                dated(*date)?;
                next.letter_facts.fee =
                    Some(self.fee_awaiting("登记收费通知送达")?.delivered(*date)?);
            }
            Action::WaiveFee { date, yuan, reason } => {
                in_state(&[State::InProgress])?;
                dated(*date)?;
                let fee = self.fee_awaiting("减免")?;
                let waiver = FeeWaiver::new(
                    *date,
                    *yuan,
                    reason,
                    self.letter_facts.fee_yuan.unwrap_or(0),
                    &actor.user,
                )?;
                next.letter_facts.fee_yuan = Some(*yuan);
                next.letter_facts.fee = Some(FeeFacts {
                    waiver: Some(waiver),
                    ..fee
                });
            }
            Action::AskForReasons { date, what } => {
                in_state(&[State::Registered, State::InProgress])?;
                dated(*date)?;
                if what.trim().is_empty() || what.trim().chars().count() > volume::MAX_REASON_CHARS
                {
                    return Err(DomainError::invalid(
                        "说明理由",
                        format!(
                            "请写明需要申请人说明的事项（1–{}字，第三十五条）",
                            volume::MAX_REASON_CHARS
                        ),
                    ));
                }
                next.state = State::InProgress;
                next.letter_facts.reasons_asked = Some(*date);
                next.letter_facts.reasons_what = Some(what.trim().to_string());
                next.notes.push(Note {
                    at: now,
                    by: actor.user.clone(),
                    text: format!("要求申请人说明理由（第三十五条）：{}", what.trim()),
                });
            }
            Action::SetReasonableDeadline { date, due, reason } => {
                in_state(&[State::InProgress])?;
                dated(*date)?;
                let statutory = self
                    .answer_clock(fee_wait_pauses_clock)
                    .deadline(calendar, None)
                    .map_err(DomainError::Statute)?
                    .due;
                next.letter_facts.reasonable_deadline = Some(ReasonableDeadline::new(
                    self.letter_facts.reasons_asked,
                    *date,
                    *due,
                    reason,
                    statutory,
                )?);
            }
            Action::ConfirmApplicant { same } => {
                let link = self.applicant_link.ok_or_else(|| {
                    DomainError::State(format!("申请 {} 尚未关联申请人记录", self.number))
                })?;
                let suggested = link.suggested.ok_or_else(|| {
                    DomainError::State(format!("申请 {} 没有待确认的同名申请人", self.number))
                })?;
                next.applicant_link = Some(if *same {
                    ApplicantLink {
                        id: suggested,
                        basis: crate::applicants::MatchBasis::ConfirmedByStaff,
                        suggested: None,
                    }
                } else {
                    ApplicantLink {
                        suggested: None,
                        ..link
                    }
                });
            }
            Action::SubmitAnswer {
                outcome,
                text,
                referral,
                attachments,
            } => {
                if text.trim().is_empty() {
                    return Err(DomainError::invalid(
                        "答复书",
                        "答复书正文不能为空：须写明结论、理由和依据，并告知复议、诉讼权利",
                    ));
                }
                check_answer_length(text)?;
                check_answer_attachments(text, attachments)?;
                if let Some(pause) = self.open_pause(calendar) {
                    return Err(DomainError::State(format!(
                        "申请 {} 正在征求{}意见（期限至{}）：请先登记征求意见结束，再起草答复",
                        self.number,
                        pause.kind.label(),
                        gongkai_law::date::chinese(pause.due.date)
                    )));
                }
                let awaiting = self.state == State::AwaitingSupplement;
                if awaiting {
                    if *outcome != Outcome::SupplementOverdue {
                        return Err(DomainError::State(format!(
                            "申请 {} 正在等待补正：此时只能以“逾期不补正、不再处理”答复（第三十条）",
                            self.number
                        )));
                    }
                } else {
                    in_state(&[State::Registered, State::InProgress])?;
                }
                self.check_outcome_fits(*outcome, calendar, today)?;
                next.state = State::UnderReview;
                let referral = referral.as_deref().map(str::trim).filter(|r| !r.is_empty());
                if referral.is_some_and(|r| r.chars().count() > MAX_REFERRAL_CHARS) {
                    return Err(DomainError::invalid(
                        "负责机关",
                        format!("负责公开该信息的机关及联系方式不超过{MAX_REFERRAL_CHARS}字"),
                    ));
                }
                next.answer = Some(Answer {
                    outcome: *outcome,
                    text: text.trim().to_string(),
                    referral: referral.map(String::from),
                    attachments: attachments.clone(),
                    drafted_by: actor.user.clone(),
                    approved_by: None,
                });
            }
            Action::AnswerOnTheSpot { outcome, text } => {
                in_state(&[State::Registered])?;
                if !self.may_answer_on_the_spot(today) {
                    return Err(DomainError::State(format!(
                        "只有当面提交、当天办理的申请才能当场答复（第三十三条第一款）；申请 {} 为{}，收到于{}",
                        self.number,
                        self.channel.label(),
                        self.received
                    )));
                }
                if !answerable_on_the_spot(*outcome) {
                    return Err(DomainError::invalid(
                        "办理结果",
                        format!(
                            "“{}”须经审核后答复，请起草答复并提交审核",
                            outcome.short_label()
                        ),
                    ));
                }
                if text.trim().is_empty() {
                    return Err(DomainError::invalid(
                        "答复书",
                        "请写明当场答复的内容（提供的信息或获取途径）",
                    ));
                }
                check_answer_length(text)?;
                next.answer = Some(Answer {
                    outcome: *outcome,
                    text: text.trim().to_string(),
                    referral: None,
                    attachments: Vec::new(),
                    drafted_by: actor.user.clone(),
                    approved_by: Some(actor.user.clone()),
                });
                next.answered_on = Some(today);
                next.delivery = Some(Delivery {
                    method: "当场答复，当面交付".into(),
                    date: today,
                    proof: String::new(),
                    consent: false,
                });
                next.state = State::Delivered;
            }
            Action::ReturnForRevision { reason } => {
                in_state(&[State::UnderReview])?;
                if reason.trim().is_empty() {
                    return Err(DomainError::invalid("退回理由", "请写明退回修改的理由"));
                }
                next.state = if self
                    .answer
                    .as_ref()
                    .is_some_and(|a| a.outcome == Outcome::SupplementOverdue)
                    && self
                        .clock
                        .iter()
                        .any(|e| e.kind == ClockEventKind::SupplementRequested)
                    && !self
                        .clock
                        .iter()
                        .any(|e| e.kind == ClockEventKind::SupplementReceived)
                {
                    State::AwaitingSupplement
                } else {
                    State::InProgress
                };
                next.answer = None;
            }
            Action::ApproveAnswer { date } => {
                in_state(&[State::UnderReview])?;
                dated(*date)?;
                let answer = next
                    .answer
                    .as_mut()
                    .ok_or_else(|| DomainError::State("没有待审核的答复".into()))?;
                if answer.drafted_by == actor.user && !rules.one_person_office {
                    return Err(DomainError::Forbidden(format!(
                        "{}起草了这份答复，审核须由另一人完成（本机关未设置为一人办理）",
                        actor.user
                    )));
                }
                answer.approved_by = Some(actor.user.clone());
                next.answered_on = Some(*date);
                next.state = State::Answered;
            }
            Action::Deliver {
                method,
                date,
                proof,
                consent,
            } => {
                in_state(&[State::Answered])?;
                dated(*date)?;
                if method.trim().is_empty() {
                    return Err(DomainError::invalid(
                        "送达方式",
                        "请写明送达方式（当面、邮寄、电子邮件、在线等）",
                    ));
                }
                // Asked for in the application (电子文档…), or recorded since.
                let consent = *consent
                    || self.wanted_form.contains("电子")
                    || self.channel == Channel::Online;
                if Delivery::is_electronic(method) && !consent {
                    return Err(DomainError::invalid(
                        "送达方式",
                        "电子送达须经申请人同意：申请中未选择电子方式的，请先取得并记录申请人的同意",
                    ));
                }
                if self.answered_on.is_some_and(|answered| *date < answered) {
                    return Err(DomainError::invalid("送达日期", "送达日期不能早于答复日期"));
                }
                next.delivery = Some(Delivery {
                    method: method.trim().to_string(),
                    date: *date,
                    proof: proof.trim().to_string(),
                    consent: Delivery::is_electronic(method) && consent,
                });
                next.state = State::Delivered;
            }
            Action::Archive => {
                in_state(&[State::Delivered])?;
                next.state = State::Archived;
            }
            Action::AddNote { text } => {
                if text.trim().is_empty() {
                    return Err(DomainError::invalid("备注", "备注不能为空"));
                }
                next.notes.push(Note {
                    at: now,
                    by: actor.user.clone(),
                    text: text.trim().to_string(),
                });
            }
        }
        if let Some(event) = action.clock_event() {
            next.clock.push(event);
            // The statute decides: 补正 within 7 working days and once, one extension before
            // expiry, pauses paired, fee notice within the period.
            next.answer_clock(fee_wait_pauses_clock)
                .deadline(calendar, None)
                .map_err(|v| DomainError::Statute(v.within("clock")))?;
        }
        let event = Event {
            at: now,
            actor: actor.user.clone(),
            before: self.state,
            after: next.state,
            action,
        };
        Ok((next, event))
    }

    /// Whether this application may still be answered on the spot (第三十三条第一款): made in
    /// person, registered, and it is still the day it was made.
    pub fn may_answer_on_the_spot(&self, today: Date) -> bool {
        self.channel == Channel::InPerson
            && self.state == State::Registered
            && today == self.received
    }

    /// Outcomes that need a history: 逾期不补正 needs a 补正 request without a supplement;
    /// 逾期未缴费 a fee notice without payment; 补正后仍不明确 a supplement received.
    fn check_outcome_fits(
        &self,
        outcome: Outcome,
        calendar: &WorkingCalendar,
        today: Date,
    ) -> Result<(), DomainError> {
        let has = |kind| self.clock.iter().any(|e| e.kind == kind);
        let refuse = |why: &str| {
            Err(DomainError::State(format!(
                "不能以“{}”答复：{why}",
                outcome.short_label()
            )))
        };
        match outcome {
            Outcome::SupplementOverdue
                if !has(ClockEventKind::SupplementRequested)
                    || has(ClockEventKind::SupplementReceived) =>
            {
                refuse("本申请没有未答复的补正告知")
            }
            Outcome::SupplementOverdue
                if self
                    .supplement_due(calendar)
                    .is_some_and(|due| today <= due.date) =>
            {
                let due = self.supplement_due(calendar).expect("checked").date;
                refuse(&format!(
                    "补正期限至{}，期限届满后（{}起）才能认定逾期不补正（第三十条）",
                    gongkai_law::date::chinese(due),
                    gongkai_law::date::chinese(due.tomorrow().unwrap_or(due))
                ))
            }
            Outcome::FeeUnpaid
                if !has(ClockEventKind::FeeNotice)
                    || has(ClockEventKind::FeePaid)
                    || has(ClockEventKind::FeeWaived) =>
            {
                refuse("本申请没有未缴费的收费通知")
            }
            Outcome::FeeUnpaid => match self.fee_payment_due(calendar) {
                // Old cases recorded before the notice's delivery was kept cannot be judged.
                None if self.letter_facts.fee.is_some() => {
                    refuse("尚未登记收费通知送达日期，缴费期限无从起算（国办函〔2020〕109号）")
                }
                Some(due) if today <= due.date => refuse(&format!(
                    "缴费期限至{}，期限届满后（{}起）才能认定逾期未缴费（国办函〔2020〕109号）",
                    gongkai_law::date::chinese(due.date),
                    gongkai_law::date::chinese(due.date.tomorrow().unwrap_or(due.date))
                )),
                _ => Ok(()),
            },
            Outcome::StillUnclear if !has(ClockEventKind::SupplementReceived) => {
                refuse("本申请没有收到过补正")
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests;
