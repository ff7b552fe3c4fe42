//! 告知书与答复书 — the letters of the application process, composed from templates an agency
//! may edit. Each states its legal basis; decision letters state the applicant's rights of
//! 行政复议 (60 days) and 行政诉讼 (6 months).

use gongkai_law::{Date, WorkingCalendar, date::chinese};
use gongkai_report::render::letter::LetterDocument;
use serde::{Deserialize, Serialize};

use crate::{Agency, Application, DomainError, State};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LetterKind {
    /// 登记回执
    Receipt,
    /// 补正告知书 (第三十条)
    SupplementNotice,
    /// 延期答复告知书 (第三十三条)
    ExtensionNotice,
    /// 征求第三方意见书 (第三十二条), addressed to the third party
    ConsultationLetter,
    /// 收费通知书 (第四十二条、国办函〔2020〕109号)
    FeeNotice,
    /// 政府信息公开申请答复书 (第三十六条 and the outcome's articles)
    Answer,
    /// 说明理由告知书 (第三十五条): asks the applicant to give reasons for the volume or frequency.
    ReasonsNotice,
    /// 延迟答复告知书 (第三十五条): the reasonable later deadline.
    DelayNotice,
}

/// Said after a date counted into a year whose holiday notice is not yet loaded.
pub const PROVISIONAL: &str = "（暂定，以国务院公布的节假日安排为准）";

/// The names a template may use, each `{名称}`.
pub const PLACEHOLDERS: [&str; 24] = [
    "申请人",
    "申请编号",
    "收到日期",
    "申请内容",
    "机关",
    "日期",
    "答复期限",
    "补正事项",
    "补正期限",
    "征求意见对象",
    "延期理由",
    "金额",
    "计费方式",
    "收费标准",
    "计费说明",
    "缴费方式",
    "缴费期限",
    "说明事项",
    "延迟理由",
    "合理期限",
    "办理结果",
    "答复正文",
    "依据",
    "权利告知",
];

impl LetterKind {
    pub const ALL: [LetterKind; 8] = [
        Self::Receipt,
        Self::SupplementNotice,
        Self::ExtensionNotice,
        Self::ConsultationLetter,
        Self::FeeNotice,
        Self::Answer,
        Self::ReasonsNotice,
        Self::DelayNotice,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Receipt => "receipt",
            Self::SupplementNotice => "supplement_notice",
            Self::ExtensionNotice => "extension_notice",
            Self::ConsultationLetter => "consultation_letter",
            Self::FeeNotice => "fee_notice",
            Self::Answer => "answer",
            Self::ReasonsNotice => "reasons_notice",
            Self::DelayNotice => "delay_notice",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Receipt => "政府信息公开申请登记回执",
            Self::SupplementNotice => "政府信息公开申请补正告知书",
            Self::ExtensionNotice => "政府信息公开申请延期答复告知书",
            Self::ConsultationLetter => "政府信息公开征求第三方意见书",
            Self::FeeNotice => "政府信息公开信息处理费收费通知书",
            Self::Answer => "政府信息公开申请答复书",
            Self::ReasonsNotice => "政府信息公开申请说明理由告知书",
            Self::DelayNotice => "政府信息公开申请延迟答复告知书",
        }
    }

    /// The character after the agency's prefix in the letter number (太政公**复**〔2026〕12号).
    pub fn tag(self) -> &'static str {
        match self {
            Self::Receipt => "收",
            Self::SupplementNotice => "补",
            Self::ExtensionNotice => "延",
            Self::ConsultationLetter => "征",
            Self::FeeNotice => "费",
            Self::Answer => "复",
            Self::ReasonsNotice => "理",
            Self::DelayNotice => "迟",
        }
    }

    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let text = text.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.code() == text || k.title() == text)
            .ok_or_else(|| {
                let codes: Vec<&str> = Self::ALL.iter().map(|k| k.code()).collect();
                DomainError::invalid(
                    "文书类型",
                    format!(
                        "「{text}」不是已知文书，应为 {} 之一",
                        codes.join("、"),
                        text = gongkai_law::excerpt(text)
                    ),
                )
            })
    }

    /// Whether the letter decides something the applicant may appeal.
    fn is_decision(self) -> bool {
        matches!(self, Self::Answer | Self::FeeNotice)
    }

    /// The built-in template: paragraphs separated by line breaks.
    pub fn default_template(self) -> &'static str {
        match self {
            Self::Receipt => {
                "您于{收到日期}提交的政府信息公开申请（申请编号：{申请编号}）已收到并登记。申请内容：{申请内容}。\n根据《中华人民共和国政府信息公开条例》第三十三条，本机关将自收到申请之日起20个工作日内予以答复，答复期限至{答复期限}；需要延长答复期限的，将另行告知。\n您可以凭申请编号查询办理进度。"
            }
            Self::SupplementNotice => {
                "本机关于{收到日期}收到您的政府信息公开申请（申请编号：{申请编号}）。经审查，申请内容不够明确。根据《中华人民共和国政府信息公开条例》第三十条，请您补正以下事项：{补正事项}。\n请于{补正期限}前（含当日）向本机关提交补正，可凭申请编号和查询码在线提交，或当面、邮寄提交。答复期限自本机关收到补正后的申请之日起计算。您无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。"
            }
            Self::ExtensionNotice => {
                "本机关于{收到日期}收到您的政府信息公开申请（申请编号：{申请编号}）。因{延期理由}，不能在规定期限内答复。经政府信息公开工作机构负责人同意，根据《中华人民共和国政府信息公开条例》第三十三条第一款，答复期限延长20个工作日，至{答复期限}。"
            }
            Self::ConsultationLetter => {
                "本机关收到一项政府信息公开申请（申请编号：{申请编号}），申请公开的信息为：{申请内容}。该信息可能涉及贵方合法权益。根据《中华人民共和国政府信息公开条例》第三十二条，现书面征求贵方意见。\n请于收到本意见书之日起15个工作日内提出意见；逾期未提出意见的，由本机关依照条例规定决定是否公开。"
            }
            Self::FeeNotice => {
                "本机关于{收到日期}收到您的政府信息公开申请（申请编号：{申请编号}）。根据《中华人民共和国政府信息公开条例》第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），本次申请{计费方式}。\n收费标准：{收费标准}。\n{计费说明}，应缴纳信息处理费{金额}元。\n缴费方式：{缴费方式}。请自收到本通知次日起20个工作日内缴纳{缴费期限}；逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。\n{权利告知}"
            }
            Self::Answer => {
                "本机关于{收到日期}收到您的政府信息公开申请（申请编号：{申请编号}），申请获取：{申请内容}。根据《中华人民共和国政府信息公开条例》（以下简称《条例》），现答复如下：\n{答复正文}\n办理结果：{办理结果}。依据：{依据}。\n{权利告知}"
            }
            Self::ReasonsNotice => {
                "本机关于{收到日期}收到您的政府信息公开申请（申请编号：{申请编号}）。您申请公开政府信息的数量、频次明显超过合理范围，根据《中华人民共和国政府信息公开条例》第三十五条，请您说明理由：{说明事项}。\n本机关认为申请理由不合理的，将告知您不予处理；认为申请理由合理，但是无法在条例第三十三条规定的期限内答复的，将确定延迟答复的合理期限并告知您。"
            }
            Self::DelayNotice => {
                "本机关于{收到日期}收到您的政府信息公开申请（申请编号：{申请编号}）。经审查，本机关认为您说明的申请理由合理，但因{延迟理由}，无法在《中华人民共和国政府信息公开条例》第三十三条规定的期限内答复。根据条例第三十五条，本机关确定延迟答复的合理期限至{合理期限}，届时将予以答复。"
            }
        }
    }
}

/// Checks a template an agency wants to use: every `{名称}` must be known.
pub fn validate_template(template: &str) -> Result<(), DomainError> {
    fill(template, &|name| {
        PLACEHOLDERS.contains(&name).then(String::new)
    })
    .map(|_| ())
}

/// Replaces every `{名称}` with its value; an unknown name is an error naming the known ones.
fn fill(template: &str, value: &dyn Fn(&str) -> Option<String>) -> Result<String, DomainError> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err(DomainError::invalid("文书模板", "“{”没有配对的“}”"));
        };
        let name = &after[..close];
        match value(name) {
            Some(text) => out.push_str(&text),
            None => {
                return Err(DomainError::invalid(
                    "文书模板",
                    format!(
                        "未知的占位符「{{{name}}}」，可用：{}",
                        PLACEHOLDERS.map(|p| format!("{{{p}}}")).join("、")
                    ),
                ));
            }
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// `太政公复〔2026〕12号`
pub fn letter_number(prefix: &str, kind: LetterKind, year: i16, seq: u32) -> String {
    format!("{prefix}{}〔{year}〕{seq}号", kind.tag())
}

/// Composes a letter for an application as it stands. The number is left empty: the store
/// gives it when the letter is issued.
pub fn compose(
    kind: LetterKind,
    application: &Application,
    agency: &Agency,
    calendar: &WorkingCalendar,
    date: Date,
) -> Result<LetterDocument, DomainError> {
    let settings = &agency.settings;
    let facts = &application.letter_facts;
    let missing = |what: &str| {
        DomainError::State(format!(
            "申请 {} 尚无{what}，不能出具{}",
            application.number,
            kind.title()
        ))
    };
    let answer = application.answer.as_ref();
    match kind {
        LetterKind::SupplementNotice if facts.supplement.is_none() => {
            return Err(missing("补正告知"));
        }
        LetterKind::ExtensionNotice if facts.extension_reason.is_none() => {
            return Err(missing("延期决定"));
        }
        LetterKind::ConsultationLetter if facts.consulted.is_none() => {
            return Err(missing("征求意见对象"));
        }
        LetterKind::FeeNotice if facts.fee_yuan.is_none() => return Err(missing("收费通知")),
        LetterKind::ReasonsNotice if facts.reasons_asked.is_none() => {
            return Err(missing("说明理由的要求"));
        }
        LetterKind::DelayNotice if facts.reasonable_deadline.is_none() => {
            return Err(missing("确定的合理期限"));
        }
        LetterKind::FeeNotice if settings.fee_payment.trim().is_empty() => {
            return Err(DomainError::invalid(
                "机关设置",
                "收费通知须写明缴费方式：请先在机关设置中填写“缴费方式”（收款单位、账号或缴款渠道）",
            ));
        }
        LetterKind::Answer
            if !matches!(
                application.state,
                State::UnderReview | State::Answered | State::Delivered | State::Archived
            ) || answer.is_none() =>
        {
            return Err(missing("已起草的答复"));
        }
        _ => {}
    }
    if kind.is_decision()
        && (settings.reconsideration_body.trim().is_empty() || settings.court.trim().is_empty())
    {
        return Err(DomainError::invalid(
            "机关设置",
            "决定类文书须告知行政复议机关和人民法院：请先在机关设置中填写（gongkai admin agency set CODE --reconsideration-body … --court …）",
        ));
    }
    let deadline = application.deadline(calendar, settings.fee_wait_pauses_clock, None)?;
    let due = match deadline.due {
        Some(due) if deadline.is_provisional() => format!("{}{PROVISIONAL}", chinese(due)),
        Some(due) => chinese(due),
        None => "（期限暂停中）".to_string(),
    };
    let supplement_due = application
        .supplement_due(calendar)
        .map(|r| {
            if r.is_provisional() {
                format!("{}{PROVISIONAL}", chinese(r.date))
            } else {
                chinese(r.date)
            }
        })
        .unwrap_or_default();
    let fee = facts.fee.as_ref();
    // Known once the notice's delivery is recorded (a notice handed over or sent online).
    let pay_by = application
        .fee_payment_due(calendar)
        .map(|r| {
            let mark = if r.is_provisional() { PROVISIONAL } else { "" };
            format!("（即{}{mark}前）", chinese(r.date))
        })
        .unwrap_or_default();
    // 救济途径 as the law read on the letter's date: since 2024 a refusal goes to 行政复议 first.
    let outcome = answer
        .filter(|_| kind == LetterKind::Answer)
        .map(|a| a.outcome);
    let route =
        gongkai_law::appeal::route_with_settings(outcome, date, &settings.reconsideration_first);
    let rights = gongkai_law::appeal::rights_sentence(
        route,
        if kind == LetterKind::Answer {
            "答复"
        } else {
            "通知"
        },
        settings.reconsideration_body.trim(),
        settings.court.trim(),
    );
    let value = |name: &str| -> Option<String> {
        Some(match name {
            "申请人" => application.applicant.name.clone(),
            "申请编号" => application.number.to_string(),
            "收到日期" => chinese(application.received),
            "申请内容" => application.content.trim_end_matches('。').to_string(),
            "机关" => agency.name.clone(),
            "日期" => chinese(date),
            "答复期限" => due.clone(),
            "补正事项" => facts
                .supplement
                .clone()
                .unwrap_or_default()
                .trim_end_matches('。')
                .to_string(),
            "补正期限" => supplement_due.clone(),
            "征求意见对象" => facts.consulted.clone().unwrap_or_default(),
            "延期理由" => facts
                .extension_reason
                .clone()
                .unwrap_or_default()
                .trim_end_matches('。')
                .to_string(),
            "金额" => facts.fee_yuan.map(|y| y.to_string()).unwrap_or_default(),
            "计费方式" => fee
                .map(|f| f.method.label().to_string())
                .unwrap_or_default(),
            "收费标准" => fee
                .map(|f| f.method.standard().to_string())
                .unwrap_or_default(),
            "计费说明" => fee.map(|f| f.working.clone()).unwrap_or_default(),
            "缴费方式" => settings.fee_payment.trim().trim_end_matches('。').to_string(),
            "缴费期限" => pay_by.clone(),
            "说明事项" => facts
                .reasons_what
                .clone()
                .unwrap_or_default()
                .trim_end_matches('。')
                .to_string(),
            "延迟理由" => facts
                .reasonable_deadline
                .as_ref()
                .map(|r| r.reason.trim_end_matches('。').to_string())
                .unwrap_or_default(),
            "合理期限" => facts
                .reasonable_deadline
                .as_ref()
                .map(|r| chinese(r.due))
                .unwrap_or_default(),
            "办理结果" => answer
                .map(|a| a.outcome.short_label().to_string())
                .unwrap_or_default(),
            "答复正文" => answer
                .map(|a| match &a.referral {
                    Some(holder) => format!(
                        "{}\n经查，负责公开该政府信息的行政机关为：{holder}，请向其申请（第三十六条第（五）项）。",
                        a.text
                    ),
                    None => a.text.clone(),
                })
                .unwrap_or_default(),
            "依据" => answer
                .map(|a| a.outcome.basis().to_string())
                .unwrap_or_default(),
            "权利告知" => rights.clone(),
            _ => return None,
        })
    };
    let template = settings
        .letter_templates
        .get(kind.code())
        .map(String::as_str)
        .unwrap_or(kind.default_template());
    let body = fill(template, &value)?;
    let recipient = match kind {
        LetterKind::ConsultationLetter => facts.consulted.clone().unwrap_or_default(),
        _ => application.applicant.name.clone(),
    };
    let mut paragraphs: Vec<String> = body
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    // 附件 after the body, as an official document lists them (GB/T 9704): 附件：1．…；2．…
    if let Some(files) = answer
        .filter(|a| kind == LetterKind::Answer && !a.attachments.is_empty())
        .map(|a| &a.attachments)
    {
        let listed: Vec<String> = files
            .iter()
            .enumerate()
            .map(|(i, f)| format!("{}．{}", i + 1, f.name))
            .collect();
        paragraphs.push(format!("附件：{}", listed.join("；")));
    }
    Ok(LetterDocument {
        title: kind.title().to_string(),
        number: String::new(),
        recipient: format!("{recipient}："),
        paragraphs,
        agency: agency.name.clone(),
        date: chinese(date),
    })
}

#[cfg(test)]
mod tests {
    use gongkai_law::{ApplicantKind, Outcome, parse_date};
    use jiff::Timestamp;

    use super::*;
    use crate::{
        Action, Actor, AgencyCode, AgencyLevel, Applicant, ApplicationNumber, Channel,
        NewApplication, Role, UserName,
    };

    fn d(text: &str) -> Date {
        parse_date("t", text).unwrap()
    }

    fn agency() -> Agency {
        let mut agency = Agency::new(
            AgencyCode::parse("demo").unwrap(),
            "示例区人民政府太平街道办事处",
            AgencyLevel::Township,
            None,
        )
        .unwrap();
        agency.settings.letter_prefix = "太政公".into();
        agency.settings.reconsideration_body = "示例区人民政府".into();
        agency.settings.court = "示例区人民法院".into();
        agency.settings.fee_payment =
            "汇款至示例区财政局非税收入账户（账号 0000 0000 0000）".into();
        agency
    }

    fn application() -> Application {
        let new = NewApplication {
            number: ApplicationNumber::parse("2024-017").unwrap(),
            applicant: Applicant::new(ApplicantKind::NaturalPerson, "张三", None, "").unwrap(),
            channel: Channel::InPerson,
            received: d("2024-09-27"),
            content: "2023年老旧小区改造资金使用情况".into(),
            wanted_form: "电子邮件".into(),
        };
        Application::new(
            AgencyCode::parse("demo").unwrap(),
            new,
            Timestamp::UNIX_EPOCH,
            d("2026-01-01"),
        )
        .unwrap()
    }

    fn act(app: Application, action: Action, day: &str) -> Application {
        let actor = Actor {
            user: UserName::parse("clerk").unwrap(),
            agency: AgencyCode::parse("demo").unwrap(),
            roles: vec![Role::CaseOfficer, Role::Reviewer],
        };
        app.apply(
            &actor,
            action,
            &WorkingCalendar::embedded(),
            // One person drafts and approves here: a one-person office.
            &crate::CaseRules {
                one_person_office: true,
                ..Default::default()
            },
            Timestamp::UNIX_EPOCH,
            d(day),
        )
        .unwrap()
        .0
    }

    #[test]
    fn receipt_states_the_deadline_with_its_article() {
        let letter = compose(
            LetterKind::Receipt,
            &application(),
            &agency(),
            &WorkingCalendar::embedded(),
            d("2024-09-27"),
        )
        .unwrap();
        let text = letter.paragraphs.join("");
        assert!(
            text.contains("第三十三条") && text.contains("2024年10月30日"),
            "{text}"
        );
        assert_eq!(letter.recipient, "张三：");
        assert_eq!(
            letter_number("太政公", LetterKind::Answer, 2026, 12),
            "太政公复〔2026〕12号"
        );
    }

    /// The answer letter for `outcome`, dated `day` (the day of the decision it carries).
    fn answer_letter(outcome: Outcome, text: &str, day: &str, agency: &Agency) -> String {
        // Some outcomes need what led to them: a 补正 asked (and received), a fee notice.
        let ask = Action::RequestSupplement {
            date: d("2024-09-30"),
            what: "请写明文件名称".into(),
            period: None,
        };
        let app = match outcome {
            Outcome::StillUnclear => act(
                act(application(), ask, "2024-09-30"),
                Action::ReceiveSupplement {
                    date: d("2024-10-08"),
                },
                "2024-10-08",
            ),
            Outcome::SupplementOverdue => act(application(), ask, "2024-09-30"),
            Outcome::FeeUnpaid => act(
                act(
                    application(),
                    Action::SendFeeNotice {
                        date: d("2024-09-30"),
                        method: gongkai_law::FeeMethod::PerPage,
                        quantity: 40,
                    },
                    "2024-09-30",
                ),
                Action::DeliverFeeNotice {
                    date: d("2024-09-30"),
                },
                "2024-09-30",
            ),
            _ => application(),
        };
        // Answered after the 补正期限 (2024-10-25) has run out, before the deadline; a fee
        // left unpaid only after its 20 working days from delivery (to 2024-11-01).
        let (submitted, approved) = if outcome == Outcome::FeeUnpaid {
            ("2024-11-04", "2024-11-05")
        } else {
            ("2024-10-28", "2024-10-29")
        };
        let app = act(
            app,
            Action::SubmitAnswer {
                outcome,
                text: text.into(),
                referral: None,
                attachments: Vec::new(),
            },
            submitted,
        );
        let app = act(app, Action::ApproveAnswer { date: d(approved) }, approved);
        compose(
            LetterKind::Answer,
            &app,
            agency,
            &WorkingCalendar::embedded(),
            d(day),
        )
        .unwrap()
        .paragraphs
        .join("\n")
    }

    /// The answer letter lists its files after the body, numbered.
    #[test]
    fn an_answer_letter_lists_its_attachments() {
        let file = |name: &str| crate::Attachment {
            name: name.into(),
            media_type: "application/pdf".into(),
            bytes: 10,
            sha256: "cd".repeat(32),
        };
        let app = act(
            application(),
            Action::SubmitAnswer {
                outcome: Outcome::Disclosed,
                text: "经查，予以公开，详见附件。".into(),
                referral: None,
                attachments: vec![file("预算表.pdf"), file("决算表.pdf")],
            },
            "2024-10-08",
        );
        let app = act(
            app,
            Action::ApproveAnswer {
                date: d("2024-10-09"),
            },
            "2024-10-09",
        );
        let letter = compose(
            LetterKind::Answer,
            &app,
            &agency(),
            &WorkingCalendar::embedded(),
            d("2024-10-09"),
        )
        .unwrap();
        assert_eq!(
            letter.paragraphs.last().unwrap(),
            "附件：1．预算表.pdf；2．决算表.pdf"
        );
    }

    /// A date counted into a year whose holiday notice is not loaded is said to be 暂定 in the
    /// letter, and counted again when the notice comes.
    #[test]
    fn dates_past_the_last_notice_are_provisional_and_move_when_it_comes() {
        let new = NewApplication {
            number: ApplicationNumber::parse("2026-090").unwrap(),
            applicant: Applicant::new(ApplicantKind::NaturalPerson, "张三", None, "").unwrap(),
            channel: Channel::InPerson,
            received: d("2026-12-21"),
            content: "某信息".into(),
            wanted_form: "电子邮件".into(),
        };
        let app = Application::new(
            AgencyCode::parse("demo").unwrap(),
            new,
            Timestamp::UNIX_EPOCH,
            d("2026-12-21"),
        )
        .unwrap();
        let calendar = WorkingCalendar::embedded();
        let receipt = compose(
            LetterKind::Receipt,
            &app,
            &agency(),
            &calendar,
            d("2026-12-21"),
        )
        .unwrap()
        .paragraphs
        .join("");
        assert!(receipt.contains(PROVISIONAL), "{receipt}");
        let ask = act(
            app,
            Action::RequestSupplement {
                date: d("2026-12-22"),
                what: "请写明文号".into(),
                period: None,
            },
            "2026-12-22",
        );
        let due = ask.supplement_due(&calendar).unwrap();
        assert!(due.is_provisional());
        let notice = compose(
            LetterKind::SupplementNotice,
            &ask,
            &agency(),
            &calendar,
            d("2026-12-22"),
        )
        .unwrap()
        .paragraphs
        .join("");
        assert!(notice.contains(PROVISIONAL), "{notice}");
        // The 2027 notice, once loaded, moves the date: New Year's Day off and, say, 4 January.
        let mut loaded = calendar.clone();
        loaded.insert_notice(
            gongkai_law::HolidayNotice::from_json(
                r#"{"year":2027,"papers":[],"days":[{"name":"元旦","date":"2027-01-01","isOffDay":true},{"name":"元旦","date":"2027-01-04","isOffDay":true}]}"#,
            )
            .unwrap(),
        );
        let exact = ask.supplement_due(&loaded).unwrap();
        assert!(!exact.is_provisional());
        assert!(exact.date > due.date, "{} after {}", exact.date, due.date);
    }

    /// 第三十条: the 补正告知书 names what to supplement and the last day to do it.
    #[test]
    fn a_supplement_notice_states_its_period() {
        let app = act(
            application(),
            Action::RequestSupplement {
                date: d("2024-09-30"),
                what: "请写明所需文件的文号".into(),
                period: None,
            },
            "2024-09-30",
        );
        let letter = compose(
            LetterKind::SupplementNotice,
            &app,
            &agency(),
            &WorkingCalendar::embedded(),
            d("2024-09-30"),
        )
        .unwrap();
        let text = letter.paragraphs.join("");
        assert!(
            text.contains("请写明所需文件的文号") && text.contains("请于2024年10月25日前"),
            "{text}"
        );
    }

    /// 行政复议法（2023年修订）第二十三条: since 2024 every refusal says 行政复议 first, naming the
    /// 复议机关 and the article; the other outcomes keep the choice, citing theirs.
    #[test]
    fn each_outcome_of_2025_states_the_route_the_table_gives() {
        for outcome in Outcome::ALL {
            let text = answer_letter(outcome, "经审查，答复如下。", "2025-03-12", &agency());
            let first = "应当先自收到之日起60日内向示例区人民政府申请行政复议";
            let choice = "或者自收到之日起6个月内向示例区人民法院提起行政诉讼";
            match outcome.group() {
                gongkai_law::OutcomeGroup::Withheld => {
                    assert!(text.contains(first), "{outcome:?}: {text}");
                    assert!(
                        text.contains("行政复议法》第二十三条第一款第（四）项"),
                        "{outcome:?}"
                    );
                    assert!(!text.contains(choice), "{outcome:?}: no free choice");
                }
                gongkai_law::OutcomeGroup::PartlyDisclosed => {
                    assert!(text.contains("不予公开的部分不服，应当先"), "{text}");
                    assert!(text.contains("第二十三条第一款第（四）项") && text.contains(choice));
                }
                _ => {
                    assert!(
                        text.contains(choice) && !text.contains("应当先"),
                        "{outcome:?}: {text}"
                    );
                }
            }
        }
    }

    #[test]
    fn letters_dated_before_2024_keep_the_wording_of_their_time() {
        let text = answer_letter(
            Outcome::StateSecret,
            "经审查，答复如下。",
            "2023-12-29",
            &agency(),
        );
        assert!(text.contains("可以自收到之日起60日内向示例区人民政府申请行政复议，或者自收到之日起6个月内向示例区人民法院提起行政诉讼"), "{text}");
        assert!(!text.contains("应当先"));
    }

    #[test]
    fn an_agency_setting_sends_more_rows_to_reconsideration_first() {
        let mut agency = agency();
        agency.settings.reconsideration_first = vec![Outcome::NotHeld];
        let text = answer_letter(
            Outcome::NotHeld,
            "经审查，答复如下。",
            "2025-03-12",
            &agency,
        );
        assert!(
            text.contains("应当先") && text.contains("本机关设置"),
            "{text}"
        );
    }

    #[test]
    fn answer_has_basis_and_appeal_rights() {
        let text = answer_letter(
            Outcome::PartlyDisclosed,
            "经审查，部分信息涉及第三方个人信息，予以区分处理。",
            "2024-10-11",
            &agency(),
        );
        for expected in [
            "第三十七条",
            "部分公开",
            "60日内向示例区人民政府申请行政复议",
            "6个月内向示例区人民法院提起行政诉讼",
            "区分处理",
        ] {
            assert!(text.contains(expected), "{expected}: {text}");
        }
    }

    #[test]
    fn letters_need_their_facts_and_the_agency_settings() {
        let err = compose(
            LetterKind::SupplementNotice,
            &application(),
            &agency(),
            &WorkingCalendar::embedded(),
            d("2024-09-30"),
        )
        .unwrap_err();
        assert!(err.to_string().contains("补正"), "{err}");
        let app = act(
            application(),
            Action::RequestSupplement {
                date: d("2024-09-30"),
                what: "所需信息的文号或标题".into(),
                period: None,
            },
            "2024-09-30",
        );
        let letter = compose(
            LetterKind::SupplementNotice,
            &app,
            &agency(),
            &WorkingCalendar::embedded(),
            d("2024-09-30"),
        )
        .unwrap();
        assert!(
            letter.paragraphs[0].contains("所需信息的文号或标题")
                && letter.paragraphs[0].contains("第三十条")
        );
        let mut bare = agency();
        bare.settings.court.clear();
        let app = act(
            application(),
            Action::SendFeeNotice {
                date: d("2024-09-30"),
                method: gongkai_law::FeeMethod::PerApplication,
                quantity: 31,
            },
            "2024-09-30",
        );
        assert!(
            compose(
                LetterKind::FeeNotice,
                &app,
                &bare,
                &WorkingCalendar::embedded(),
                d("2024-09-30")
            )
            .unwrap_err()
            .to_string()
            .contains("人民法院")
        );
        let fee = compose(
            LetterKind::FeeNotice,
            &app,
            &agency(),
            &WorkingCalendar::embedded(),
            d("2024-09-30"),
        )
        .unwrap();
        let text = fee.paragraphs.join("");
        assert!(
            text.contains("第31件申请，属第31—40件，每件200元") && text.contains("200元"),
            "{text}"
        );
        assert!(
            text.contains("按件计收：同一申请人一个自然月内") && text.contains("汇款至"),
            "{text}"
        );
    }

    #[test]
    fn agencies_edit_templates_within_the_known_placeholders() {
        assert!(validate_template("{申请人}您好，{日期}").is_ok());
        assert!(
            validate_template("{姓名}")
                .unwrap_err()
                .to_string()
                .contains("{申请人}")
        );
        assert!(validate_template("{申请人").is_err());
        let mut edited = agency();
        edited.settings.letter_templates.insert(
            "receipt".into(),
            "{申请人}，您的申请{申请编号}已登记。".into(),
        );
        let letter = compose(
            LetterKind::Receipt,
            &application(),
            &edited,
            &WorkingCalendar::embedded(),
            d("2024-09-27"),
        )
        .unwrap();
        assert_eq!(letter.paragraphs, ["张三，您的申请2024-017已登记。"]);
    }
}
