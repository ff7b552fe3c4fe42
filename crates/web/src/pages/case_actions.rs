//! The actions a case offers in its state to the actor's roles, their forms, and the form
//! posted back (`ActForm`) read into the domain's [`Action`].

use gongkai_domain::{Action, Actor, Application, Role, State as CaseState};
use gongkai_law::{ClockEventKind, FeeMethod, Outcome, parse_date};
use maud::{Markup, html};
use serde::Deserialize;

use crate::{
    error::WebError,
    security::CsrfToken,
    views::{case_action_label as label_of, csrf_field},
};

/// The actions this state allows, whatever the role (the role decides which are shown).
pub fn actions_in(state: CaseState) -> &'static [&'static str] {
    match state {
        CaseState::Pending => &["register", "add_note"],
        CaseState::Registered => &[
            "answer_on_the_spot",
            "start_handling",
            "request_supplement",
            "start_consultation",
            "extend",
            "send_fee_notice",
            "ask_for_reasons",
            "submit_answer",
            "add_note",
        ],
        CaseState::AwaitingSupplement => &["receive_supplement", "submit_answer", "add_note"],
        CaseState::InProgress => &[
            "submit_answer",
            "request_supplement",
            "start_consultation",
            "end_consultation",
            "extend",
            "send_fee_notice",
            "deliver_fee_notice",
            "record_fee_paid",
            "waive_fee",
            "ask_for_reasons",
            "set_reasonable_deadline",
            "add_note",
        ],
        CaseState::UnderReview => &["approve_answer", "return_for_revision", "add_note"],
        CaseState::Answered => &["deliver", "add_note"],
        CaseState::Delivered => &["archive", "add_note"],
        CaseState::Archived => &["add_note"],
    }
}

/// The clock event an action records, for the statute's say on whether it may be offered.
fn clock_event_of(code: &str) -> Option<ClockEventKind> {
    Some(match code {
        "request_supplement" => ClockEventKind::SupplementRequested,
        "receive_supplement" => ClockEventKind::SupplementReceived,
        "start_consultation" => ClockEventKind::ConsultationStarted,
        "end_consultation" => ClockEventKind::ConsultationEnded,
        "extend" => ClockEventKind::Extended,
        "send_fee_notice" => ClockEventKind::FeeNotice,
        // Delivering the notice needs a notice first, as paying does.
        "deliver_fee_notice" | "record_fee_paid" => ClockEventKind::FeePaid,
        "waive_fee" => ClockEventKind::FeeWaived,
        _ => return None,
    })
}

/// The role an action needs, as the domain's `Action::role` says (第三十三条: extensions by the
/// head of the disclosure office; so are 减免 and a 第三十五条 deadline).
fn role_of(code: &str) -> Role {
    match code {
        "extend" | "waive_fee" | "set_reasonable_deadline" => Role::OfficeHead,
        "return_for_revision" | "approve_answer" => Role::Reviewer,
        _ => Role::CaseOfficer,
    }
}

pub fn actions_for<'a>(
    csrf: &CsrfToken,
    a: &'a Application,
    actor: &Actor,
    today: gongkai_law::Date,
    supplement_period: u32,
    typed: Option<&'a ActForm>,
) -> Markup {
    // What was typed into a form that came back with an error, so nothing is typed twice.
    let kept = |code: &str, name: &str, default: &'a str| -> &'a str {
        typed
            .filter(|t| t.action == code)
            .map_or(default, |t| t.field(name))
    };
    let allowed: Vec<&str> = actions_in(a.state)
        .iter()
        .copied()
        .filter(|code| actor.has(role_of(code)))
        .filter(|code| *code != "answer_on_the_spot" || a.may_answer_on_the_spot(today))
        .filter(|code| clock_event_of(code).is_none_or(|kind| a.may_record(kind)))
        .collect();
    if allowed.is_empty() {
        return html! { p.muted { "您的角色在此状态下没有可办理的事项。" } };
    }
    html! {
        div.actions {
            @for &code in &allowed {
                details id={ "act-" (code) } open[typed.map_or(allowed.first() == Some(&code), |t| t.action == code)] {
                    summary { (label_of(code)) }
                    form.stack method="post" action={ "/staff/cases/" (a.number) "/act" } enctype=[(code == "submit_answer").then_some("multipart/form-data")] {
                        (csrf_field(csrf))
                        input type="hidden" name="action" value=(code);
                        input type="hidden" name="version" value=(a.version);
                        @match code {
                            "register" => {
                                (action_field(code, "department", "承办科室", ActionInput::Line(kept(code, "department", "")), false))
                                p.muted { "登记后将出具登记回执。" }
                            },
                            "request_supplement" => {
                                (action_field(code, "date", "日期", ActionInput::Date(today), true))
                                (action_field(code, "what", "需要补正的事项（一次性告知，第三十条）", ActionInput::Text(kept(code, "what", "")), true))
                                (action_field(code, "period", "补正期限（工作日，自告知之日起；默认为本机关设置）", ActionInput::Days(supplement_period), true))
                            },
                            "receive_supplement" | "end_consultation" | "record_fee_paid" | "approve_answer" => {
                                (action_field(code, "date", "日期", ActionInput::Date(today), true))
                                @if code == "approve_answer" { p.muted { "审核通过后出具答复书，答复日期计入年报。" } }
                            },
                            "start_consultation" => {
                                (action_field(code, "date", "日期", ActionInput::Date(today), true))
                                (action_field(code, "party", "征求意见的第三方或机关", ActionInput::Line(kept(code, "party", "")), true))
                                div.field {
                                    label for={ (code) "-consulted" } { "征求对象" }
                                    select id={ (code) "-consulted" } name="consulted" {
                                        @for kind in gongkai_domain::ConsultationKind::ALL { option value=(kind.code()) { (kind.label()) } }
                                    }
                                }
                                p.muted { "对方应自收到之日起" (gongkai_domain::CONSULTATION_PERIOD) "个工作日内提出意见；期间不计入答复期限。期满或收到意见后请登记“征求意见结束”。" }
                            },
                            "extend" => {
                                (action_field(code, "date", "日期", ActionInput::Date(today), true))
                                (action_field(code, "reason", "延期理由（第三十三条）", ActionInput::Text(kept(code, "reason", "")), true))
                            },
                            "send_fee_notice" => {
                                (action_field(code, "date", "日期", ActionInput::Date(today), true))
                                div.field {
                                    label for="send_fee_notice-fee_method" { "计费方式（一件申请只适用一种）" }
                                    select #send_fee_notice-fee_method name="fee_method" {
                                        option value="per_application" { "按件计收（按申请人本自然月的申请件数，系统统计）" }
                                        option value="per_page" { "按量计收（按提供信息的页数）" }
                                    }
                                }
                                (action_field(code, "pages", "页数（按量计收时填写）", ActionInput::Count, false))
                                p.muted { "金额按国办函〔2020〕109号的标准计算，不手工填写；缴费期限自申请人收到通知次日起20个工作日。" }
                            },
                            "deliver_fee_notice" => {
                                (action_field(code, "date", "申请人收到收费通知的日期", ActionInput::Date(today), true))
                                p.muted { "缴费期限自此日次日起算20个工作日；期满未缴费的，方可以“逾期未缴费”答复。" }
                            },
                            "waive_fee" => {
                                (action_field(code, "date", "日期", ActionInput::Date(today), true))
                                (action_field(code, "yuan", "减免后应缴金额（元，0 为全部免收）", ActionInput::Count, true))
                                (action_field(code, "reason", "减免理由（记入案卷）", ActionInput::Text(kept(code, "reason", "")), true))
                            },
                            "ask_for_reasons" => {
                                (action_field(code, "date", "日期", ActionInput::Date(today), true))
                                (action_field(code, "what", "请申请人说明的事项（申请数量、频次明显超过合理范围，第三十五条）", ActionInput::Text(kept(code, "what", "")), true))
                            },
                            "set_reasonable_deadline" => {
                                (action_field(code, "date", "日期", ActionInput::Date(today), true))
                                (action_field(code, "due", "延迟答复的合理期限", ActionInput::Date(today), true))
                                (action_field(code, "reason", "理由（申请人理由合理，但无法在法定期限内答复）", ActionInput::Text(kept(code, "reason", "")), true))
                            },
                            "submit_answer" => {
                                div.field {
                                    label for="submit_answer-outcome" { "办理结果（年报表三）" }
                                    select #submit_answer-outcome name="outcome" required {
                                        @for o in Outcome::ALL {
                                            @if a.state != CaseState::AwaitingSupplement || o == Outcome::SupplementOverdue {
                                                option value=(o.code()) { (o.full_label()) }
                                            }
                                        }
                                    }
                                }
                                (action_field(code, "text", "答复正文（结论、理由、依据）", ActionInput::Text(kept(code, "text", a.answer.as_ref().map_or("", |d| d.text.as_str()))), true))
                                (action_field(code, "referral", "负责公开该信息的机关及联系方式（第三十六条第（五）项，能够确定的）", ActionInput::Line(kept(code, "referral", a.answer.as_ref().and_then(|d| d.referral.as_deref()).unwrap_or(""))), false))
                                @if let Some(draft) = a.answer.as_ref().filter(|d| !d.attachments.is_empty()) {
                                    fieldset {
                                        legend { "上次起草的附件（取消勾选即不再随答复提供）" }
                                        @for (i, file) in draft.attachments.iter().enumerate() {
                                            label.check { input type="checkbox" name={ "keep_attachment_" (i) } value="yes" checked; " " (file.name) }
                                        }
                                    }
                                }
                                div.field {
                                    label for="submit_answer-attachments" { "附件：提供的政府信息文件（正文写有“见附件”的须上传；PDF、Word、Excel、图片或文本，每个不超过20MB，最多" (gongkai_domain::application::ATTACHMENT_MAX_COUNT) "个）" }
                                    input #submit_answer-attachments type="file" name="attachments" multiple accept=".pdf,.doc,.docx,.xls,.xlsx,.jpg,.jpeg,.png,.txt";
                                }
                            },
                            "answer_on_the_spot" => {
                                p.muted { "当面提交、能够当场答复的，应当当场予以答复（第三十三条第一款）。当场答复即出具答复书并当面交付；不予公开、部分公开等须审核的，请“开始办理”后起草答复。" }
                                div.field {
                                    label for="answer_on_the_spot-outcome" { "办理结果" }
                                    select #answer_on_the_spot-outcome name="outcome" required {
                                        @for o in Outcome::ALL {
                                            @if gongkai_domain::application::answerable_on_the_spot(o) {
                                                option value=(o.code()) { (o.full_label()) }
                                            }
                                        }
                                    }
                                }
                                (action_field(code, "text", "答复内容（提供的信息或获取途径）", ActionInput::Text(kept(code, "text", "")), true))
                            },
                            "return_for_revision" => {
                                (action_field(code, "reason", "退回理由", ActionInput::Text(kept(code, "reason", "")), true))
                            },
                            "deliver" => {
                                (action_field(code, "date", "日期", ActionInput::Date(today), true))
                                (action_field(code, "method", "送达方式", ActionInput::Line(kept(code, "method", "在线下载")), true))
                                (action_field(code, "proof", "送达凭证", ActionInput::Line(kept(code, "proof", "")), false))
                                label.check {
                                    input type="checkbox" name="consent" value="yes" checked[a.wanted_form.contains("电子") || a.channel == gongkai_domain::Channel::Online];
                                    " 申请人同意电子送达（电子邮件、在线等方式须经申请人同意）"
                                }
                            },
                            "add_note" => {
                                (action_field(code, "text", "备注", ActionInput::Text(kept(code, "text", "")), true))
                            },
                            _ => {},
                        }
                        p { button type="submit" { (label_of(code)) } }
                    }
                }
            }
        }
    }
}

enum ActionInput<'a> {
    Line(&'a str),
    /// A textarea, with what it holds (the previous draft, when revising).
    Text(&'a str),
    Date(gongkai_law::Date),
    Count,
    Days(u32),
}

/// A field of an action form; ids are `{action}-{field}` so every label points at its own input.
fn action_field(
    code: &str,
    name: &str,
    label: &str,
    input: ActionInput<'_>,
    required: bool,
) -> Markup {
    let id = format!("{code}-{name}");
    html! {
        div.field {
            label for=(id) { (label) }
            @match input {
                ActionInput::Line(value) => { input id=(id) type="text" name=(name) value=(value) required[required]; },
                ActionInput::Text(value) => { textarea id=(id) name=(name) required[required] { (value) } },
                ActionInput::Date(today) => { input id=(id) type="date" name=(name) value=(today) required[required]; },
                ActionInput::Count => { input id=(id) type="number" min="0" max=(gongkai_law::fees::MAX_QUANTITY) name=(name) required[required]; },
                ActionInput::Days(days) => { input id=(id) type="number" min="1" max=(gongkai_domain::MAX_SUPPLEMENT_PERIOD) name=(name) value=(days) required[required]; },
            }
        }
    }
}

#[derive(Deserialize, Default, Debug)]
pub struct ActForm {
    pub action: String,
    #[serde(default)]
    pub version: Option<u64>,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub what: String,
    /// 补正期限 in working days.
    #[serde(default)]
    pub period: String,
    /// Whom a consultation asks: `third_party` (第三十二条) or `other_agency` (第三十四条).
    #[serde(default)]
    pub consulted: String,
    /// 第三十六条第（五）项: who holds the information.
    #[serde(default)]
    pub referral: String,
    /// The applicant agreed to electronic delivery (`yes`).
    #[serde(default)]
    pub consent: String,
    #[serde(default)]
    pub party: String,
    #[serde(default)]
    pub reason: String,
    /// 减免后金额（元）.
    #[serde(default)]
    pub yuan: String,
    /// 计费方式: `per_application` or `per_page`.
    #[serde(default)]
    pub fee_method: String,
    /// 按量计收's pages.
    #[serde(default)]
    pub pages: String,
    /// 第三十五条's reasonable deadline.
    #[serde(default)]
    pub due: String,
    /// Whether the suggested applicant record is the same applicant (`yes`/`no`).
    #[serde(default)]
    pub same: String,
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub proof: String,
}

impl ActForm {
    /// A text field by its form name ("" for any other).
    fn field(&self, name: &str) -> &str {
        match name {
            "department" => &self.department,
            "what" => &self.what,
            "party" => &self.party,
            "referral" => &self.referral,
            "reason" => &self.reason,
            "text" => &self.text,
            "method" => &self.method,
            "proof" => &self.proof,
            _ => "",
        }
    }

    /// The domain action the form asks for; field errors name the field in Chinese.
    pub fn action(&self) -> Result<Action, WebError> {
        let date = || {
            parse_date("日期", &self.date)
                .map_err(|_| WebError::field("日期", "请填写日期，格式 YYYY-MM-DD"))
        };
        Ok(match self.action.as_str() {
            "register" => Action::Register {
                department: Some(self.department.trim().to_string()).filter(|d| !d.is_empty()),
            },
            "start_handling" => Action::StartHandling,
            "request_supplement" => Action::RequestSupplement {
                date: date()?,
                what: self.what.clone(),
                period: match self.period.trim() {
                    "" => None,
                    days => Some(days.parse().map_err(|_| {
                        WebError::field("补正期限", "请填写补正期限的工作日数，如 15")
                    })?),
                },
            },
            "receive_supplement" => Action::ReceiveSupplement { date: date()? },
            "start_consultation" => Action::StartConsultation {
                date: date()?,
                party: self.party.clone(),
                kind: match self.consulted.trim() {
                    "" => gongkai_domain::ConsultationKind::default(),
                    code => gongkai_domain::ConsultationKind::ALL
                        .into_iter()
                        .find(|k| k.code() == code)
                        .ok_or_else(|| WebError::field("征求对象", "请选择第三方或其他机关"))?,
                },
            },
            "end_consultation" => Action::EndConsultation { date: date()? },
            "extend" => Action::Extend {
                date: date()?,
                reason: self.reason.clone(),
            },
            "send_fee_notice" => {
                let method = FeeMethod::from_code(&self.fee_method)
                    .ok_or_else(|| WebError::field("计费方式", "请选择按件计收或按量计收"))?;
                Action::SendFeeNotice {
                    date: date()?,
                    method,
                    // 按件: counted from the records by the use case.
                    quantity: match method {
                        FeeMethod::PerApplication => 0,
                        FeeMethod::PerPage => count(&self.pages, "页数")?,
                    },
                }
            }
            "deliver_fee_notice" => Action::DeliverFeeNotice { date: date()? },
            "waive_fee" => Action::WaiveFee {
                date: date()?,
                yuan: u64::from(count(&self.yuan, "减免后金额")?),
                reason: self.reason.clone(),
            },
            "ask_for_reasons" => Action::AskForReasons {
                date: date()?,
                what: self.what.clone(),
            },
            "set_reasonable_deadline" => Action::SetReasonableDeadline {
                date: date()?,
                due: parse_date("合理期限", &self.due)
                    .map_err(|_| WebError::field("合理期限", "请填写日期，格式 YYYY-MM-DD"))?,
                reason: self.reason.clone(),
            },
            "confirm_applicant" => Action::ConfirmApplicant {
                same: match self.same.trim() {
                    "yes" => true,
                    "no" => false,
                    _ => return Err(WebError::field("确认申请人", "请选择是否为同一申请人")),
                },
            },
            "record_fee_paid" => Action::RecordFeePaid { date: date()? },
            "submit_answer" => Action::SubmitAnswer {
                outcome: Outcome::from_code(self.outcome.trim())
                    .ok_or_else(|| WebError::field("办理结果", "请选择办理结果"))?,
                text: self.text.clone(),
                referral: Some(self.referral.trim().to_string()).filter(|r| !r.is_empty()),
                attachments: Vec::new(),
            },
            "answer_on_the_spot" => Action::AnswerOnTheSpot {
                outcome: Outcome::from_code(self.outcome.trim())
                    .ok_or_else(|| WebError::field("办理结果", "请选择办理结果"))?,
                text: self.text.clone(),
            },
            "return_for_revision" => Action::ReturnForRevision {
                reason: self.reason.clone(),
            },
            "approve_answer" => Action::ApproveAnswer { date: date()? },
            "deliver" => Action::Deliver {
                method: self.method.clone(),
                date: date()?,
                proof: self.proof.clone(),
                consent: self.consent.trim() == "yes",
            },
            "archive" => Action::Archive,
            "add_note" => Action::AddNote {
                text: self.text.clone(),
            },
            other => {
                return Err(WebError::BadRequest(format!(
                    "未知的办理事项「{other}」",
                    other = gongkai_law::excerpt(other)
                )));
            }
        })
    }
}

/// A whole number from a form field (pages, 元), bounded like every fee quantity.
fn count(text: &str, field: &'static str) -> Result<u32, WebError> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| *n <= gongkai_law::fees::MAX_QUANTITY)
        .ok_or_else(|| {
            WebError::field(
                field,
                format!("请填写0至{}之间的整数", gongkai_law::fees::MAX_QUANTITY),
            )
        })
}
