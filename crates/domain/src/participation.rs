//! 公众参与 — what the public sends through the agency's channels (领导信箱, 12345 转办, 民意征集,
//! 网上调查) and the agency's reply: each channel's time limit (an agency setting), the overdue
//! ones listed, replies published on the portal when the sender agreed, the year's counts for
//! the annual report. A message that is really a disclosure request becomes an application in
//! one step (its 第三十一条 received date kept), and the two stay linked.

use std::collections::BTreeMap;

use gongkai_law::{Date, WorkingCalendar};
use serde::{Deserialize, Serialize};

use crate::{
    Actor, AgencyCode, ApplicationNumber, DomainError, Role, UserName,
    error::bounded_text,
    records::{Record, RecordKind},
};

/// The longest subject and message kept.
pub const MAX_SUBJECT_CHARS: usize = 100;
pub const MAX_TEXT_CHARS: usize = 5000;
/// The longest 工单编号 kept (12345 platforms number their 工单 in 20-odd characters).
pub const MAX_REFERENCE_CHARS: usize = 40;

/// 工单编号: the number the sending platform (12345) gave the message — letters, digits, `-`
/// and `_`; empty for none.
pub fn reference(text: &str) -> Result<Option<String>, DomainError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > MAX_REFERENCE_CHARS
        || !text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(DomainError::invalid(
            "工单编号",
            format!("应为1–{MAX_REFERENCE_CHARS}位字母、数字、“-”或“_”"),
        ));
    }
    Ok(Some(text.to_string()))
}

/// The message already recorded under the same 工单编号 (a platform that sends a 工单 twice).
pub fn same_reference<'a>(
    messages: &'a [Message],
    reference: &str,
    except: Option<u64>,
) -> Option<&'a Message> {
    messages
        .iter()
        .find(|m| m.reference.as_deref() == Some(reference) && Some(m.id) != except)
}

/// 公众参与渠道
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParticipationChannel {
    /// 领导信箱（区长信箱、主任信箱）
    Mailbox,
    /// 12345 政务服务便民热线转办
    Hotline,
    /// 民意征集 (a draft policy put to the public; the agency answers what it adopted)
    Consultation,
    /// 网上调查
    Survey,
}

impl ParticipationChannel {
    pub const ALL: [Self; 4] = [
        Self::Mailbox,
        Self::Hotline,
        Self::Consultation,
        Self::Survey,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Mailbox => "mailbox",
            Self::Hotline => "hotline",
            Self::Consultation => "consultation",
            Self::Survey => "survey",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Mailbox => "领导信箱",
            Self::Hotline => "12345热线转办",
            Self::Consultation => "民意征集",
            Self::Survey => "网上调查",
        }
    }

    /// Working days to reply unless the agency sets another number. 12345 工单 are commonly
    /// due in 5 working days, 信箱 in 15 (provinces differ: a setting, see `AgencySettings`).
    pub fn default_days(self) -> u32 {
        match self {
            Self::Mailbox => 15,
            Self::Hotline => 5,
            Self::Consultation | Self::Survey => 20,
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// Each channel's time limit in working days, as the agency set it (missing: the default).
pub fn days_for(settings: &BTreeMap<String, u32>, channel: ParticipationChannel) -> u32 {
    settings
        .get(channel.code())
        .copied()
        .unwrap_or(channel.default_days())
}

/// The agency's reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipationReply {
    pub on: Date,
    pub text: String,
    pub by: UserName,
}

/// A message received through a 公众参与 channel, and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub agency: AgencyCode,
    pub id: u64,
    pub channel: ParticipationChannel,
    /// 收到日期 (for 12345, the day the 工单 was transferred to the agency).
    pub received: Date,
    /// Who wrote (a name, or 匿名); shown on the portal only as its surname.
    pub sender: String,
    pub subject: String,
    pub text: String,
    /// The sender agreed that the message and reply be published.
    pub publishable: bool,
    pub reply: Option<ParticipationReply>,
    /// The disclosure application it became (第三十一条: received on `received`).
    #[serde(default)]
    pub application: Option<ApplicationNumber>,
    pub recorded_by: UserName,
    /// 工单编号 of the platform that sent it (12345), if any.
    #[serde(default)]
    pub reference: Option<String>,
}

impl Record for Message {
    const KIND: RecordKind = RecordKind::Message;
    fn agency(&self) -> &AgencyCode {
        &self.agency
    }
    fn key(&self) -> String {
        format!("{:010}", self.id)
    }
}

/// What a clerk records of a message received.
#[derive(Debug, Clone, Copy)]
pub struct NewMessage<'a> {
    pub channel: ParticipationChannel,
    pub received: Date,
    pub sender: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub publishable: bool,
    /// 工单编号; empty for none.
    pub reference: &'a str,
}

impl Message {
    pub fn new(
        actor: &Actor,
        agency: AgencyCode,
        id: u64,
        new: NewMessage<'_>,
        today: Date,
    ) -> Result<Self, DomainError> {
        actor.require(&agency, Role::CaseOfficer, "登记公众来信")?;
        if new.received > today {
            return Err(DomainError::invalid("收到日期", "不能晚于今天"));
        }
        let sender = match new.sender.trim() {
            "" => "匿名".to_string(),
            name => bounded_text("来信人", name, 50)?,
        };
        Ok(Self {
            agency,
            id,
            channel: new.channel,
            received: new.received,
            sender,
            subject: bounded_text("主题", new.subject, MAX_SUBJECT_CHARS)?,
            text: bounded_text("内容", new.text, MAX_TEXT_CHARS)?,
            publishable: new.publishable,
            reply: None,
            application: None,
            recorded_by: actor.user.clone(),
            reference: reference(new.reference)?,
        })
    }

    /// Corrected as recorded (a channel, date or word mistyped), until it is replied to or
    /// has become an application: what was sent or done on it is not rewritten.
    pub fn edit(
        &self,
        actor: &Actor,
        new: NewMessage<'_>,
        today: Date,
    ) -> Result<Self, DomainError> {
        if self.reply.is_some() || self.application.is_some() {
            return Err(DomainError::State(format!(
                "来信“{}”已答复或已转为申请，不能再修改",
                self.subject
            )));
        }
        let mut next = Self::new(actor, self.agency.clone(), self.id, new, today)?;
        next.recorded_by = self.recorded_by.clone();
        Ok(next)
    }

    /// The reply, once: a reply is what the sender received and is not rewritten.
    pub fn answer(
        &self,
        actor: &Actor,
        on: Date,
        text: &str,
        today: Date,
    ) -> Result<Self, DomainError> {
        actor.require(&self.agency, Role::CaseOfficer, "答复公众来信")?;
        if self.reply.is_some() {
            return Err(DomainError::State(format!("来信“{}”已答复", self.subject)));
        }
        if self.application.is_some() {
            return Err(DomainError::State(format!(
                "来信“{}”已转为政府信息公开申请，请在申请中答复",
                self.subject
            )));
        }
        if on < self.received || on > today {
            return Err(DomainError::invalid("答复日期", "应在收到日期与今天之间"));
        }
        let mut next = self.clone();
        next.reply = Some(ParticipationReply {
            on,
            text: bounded_text("答复内容", text, MAX_TEXT_CHARS)?,
            by: actor.user.clone(),
        });
        Ok(next)
    }

    /// Whether it may still become an application (not replied, not converted already).
    pub fn may_become_application(&self, actor: &Actor) -> Result<(), DomainError> {
        actor.require(&self.agency, Role::CaseOfficer, "转为政府信息公开申请")?;
        if self.reply.is_some() || self.application.is_some() {
            return Err(DomainError::State(format!(
                "来信“{}”已答复或已转为申请",
                self.subject
            )));
        }
        Ok(())
    }

    /// Marks the message as having become the application `number`.
    pub fn became(&self, actor: &Actor, number: ApplicationNumber) -> Result<Self, DomainError> {
        self.may_become_application(actor)?;
        let mut next = self.clone();
        next.application = Some(number);
        Ok(next)
    }

    /// The last day to reply: `days` working days after it was received.
    pub fn due(&self, calendar: &WorkingCalendar, days: u32) -> Option<Date> {
        calendar
            .add_working_days(self.received, days)
            .ok()
            .map(|r| r.date)
    }

    /// Replied after the due day, or still open past it (an application it became is answered
    /// on that application's own clock).
    pub fn is_late(&self, calendar: &WorkingCalendar, days: u32, today: Date) -> bool {
        if self.application.is_some() {
            return false;
        }
        let Some(due) = self.due(calendar, days) else {
            return false;
        };
        match &self.reply {
            Some(reply) => reply.on > due,
            None => today > due,
        }
    }

    /// On the portal: published with the sender's consent once replied.
    pub fn is_public(&self) -> bool {
        self.publishable && self.reply.is_some()
    }

    /// The sender as the portal shows them: the first character and 某.
    pub fn sender_masked(&self) -> String {
        match self.sender.chars().next() {
            Some(_) if self.sender == "匿名" => "匿名".into(),
            Some(first) => format!("{first}某"),
            None => "匿名".into(),
        }
    }
}

/// A channel's year, as the annual report states it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChannelYear {
    pub received: usize,
    pub replied: usize,
    pub replied_late: usize,
    pub became_applications: usize,
}

/// Messages received in `year`, per channel (channels with none left out), as of 31 December.
pub fn year(
    messages: &[Message],
    calendar: &WorkingCalendar,
    settings: &BTreeMap<String, u32>,
    year: i16,
) -> Vec<(ParticipationChannel, ChannelYear)> {
    let Ok(end) = Date::new(year, 12, 31) else {
        return Vec::new();
    };
    let mut out: BTreeMap<ParticipationChannel, ChannelYear> = BTreeMap::new();
    for m in messages.iter().filter(|m| m.received.year() == year) {
        let days = days_for(settings, m.channel);
        let counts = out.entry(m.channel).or_default();
        counts.received += 1;
        if m.reply.as_ref().is_some_and(|r| r.on <= end) {
            counts.replied += 1;
            if m.is_late(calendar, days, end) {
                counts.replied_late += 1;
            }
        }
        if m.application.is_some() {
            counts.became_applications += 1;
        }
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        gongkai_law::parse_date("t", text).unwrap()
    }

    fn clerk() -> Actor {
        Actor {
            user: UserName::parse("clerk").unwrap(),
            agency: AgencyCode::parse("demo").unwrap(),
            roles: vec![Role::CaseOfficer],
        }
    }

    fn message(channel: ParticipationChannel, received: &str) -> Message {
        Message::new(
            &clerk(),
            AgencyCode::parse("demo").unwrap(),
            1,
            NewMessage {
                channel,
                received: d(received),
                sender: "张三",
                subject: "小区路灯不亮",
                text: "和平路3号院路灯不亮，请维修。",
                publishable: true,
                reference: "",
            },
            d("2026-11-27"),
        )
        .unwrap()
    }

    #[test]
    fn a_reply_is_due_by_the_channel_and_given_once() {
        let calendar = WorkingCalendar::embedded();
        let settings = BTreeMap::new();
        // 12345: five working days from Monday 2026-11-02 is Monday 2026-11-09.
        let m = message(ParticipationChannel::Hotline, "2026-11-02");
        let days = days_for(&settings, m.channel);
        assert_eq!(m.due(&calendar, days), Some(d("2026-11-09")));
        assert!(m.is_late(&calendar, days, d("2026-11-10")));
        assert!(!m.is_public(), "not public before the reply");
        let replied = m
            .answer(&clerk(), d("2026-11-06"), "已安排维修。", d("2026-11-27"))
            .unwrap();
        assert!(!replied.is_late(&calendar, days, d("2026-11-27")));
        assert!(replied.is_public());
        assert_eq!(replied.sender_masked(), "张某");
        assert!(
            replied
                .answer(&clerk(), d("2026-11-07"), "再答", d("2026-11-27"))
                .is_err(),
            "one reply"
        );
        // The agency's own limit overrides the default.
        let longer: BTreeMap<String, u32> = [("hotline".to_string(), 10)].into();
        assert_eq!(days_for(&longer, ParticipationChannel::Hotline), 10);
        assert!(!m.is_late(&calendar, 10, d("2026-11-10")));
    }

    #[test]
    fn a_message_that_became_an_application_is_answered_there() {
        let m = message(ParticipationChannel::Mailbox, "2026-11-02");
        let number = ApplicationNumber::parse("2026-0042").unwrap();
        let became = m.became(&clerk(), number.clone()).unwrap();
        assert_eq!(became.application, Some(number));
        assert!(
            became
                .answer(&clerk(), d("2026-11-05"), "答复", d("2026-11-27"))
                .is_err()
        );
        assert!(!became.is_late(&WorkingCalendar::embedded(), 15, d("2026-12-31")));
    }

    #[test]
    fn bad_input_is_refused_with_its_field() {
        let new = |subject: &'static str, received: &'static str| NewMessage {
            channel: ParticipationChannel::Survey,
            received: d(received),
            sender: "",
            subject,
            text: "内容",
            publishable: false,
            reference: "",
        };
        let agency = AgencyCode::parse("demo").unwrap();
        let today = d("2026-11-27");
        assert!(Message::new(&clerk(), agency.clone(), 1, new("", "2026-11-02"), today).is_err());
        assert!(
            Message::new(
                &clerk(),
                agency.clone(),
                1,
                new("主题", "2026-11-30"),
                today
            )
            .is_err()
        );
        // Past its bound a subject is refused, saying the bound.
        let long = "题".repeat(MAX_SUBJECT_CHARS + 1);
        let too_long = NewMessage {
            subject: &long,
            ..new("主题", "2026-11-02")
        };
        let refused = Message::new(&clerk(), agency.clone(), 1, too_long, today)
            .unwrap_err()
            .to_string();
        assert!(refused.contains("100"), "{refused}");
        let anonymous =
            Message::new(&clerk(), agency, 1, new("主题", "2026-11-02"), today).unwrap();
        assert_eq!(anonymous.sender_masked(), "匿名");
    }

    #[test]
    fn a_message_is_corrected_until_replied_and_its_reference_checked() {
        let m = message(ParticipationChannel::Hotline, "2026-11-02");
        let today = d("2026-11-27");
        let corrected = NewMessage {
            channel: ParticipationChannel::Hotline,
            received: d("2026-11-03"),
            sender: "张三",
            subject: "和平路路灯不亮",
            text: "和平路3号院路灯不亮。",
            publishable: false,
            reference: " GD20261103-0042 ",
        };
        let edited = m.edit(&clerk(), corrected, today).unwrap();
        assert_eq!(edited.id, m.id);
        assert_eq!(edited.received, d("2026-11-03"));
        assert_eq!(edited.reference.as_deref(), Some("GD20261103-0042"));
        assert_eq!(
            same_reference(std::slice::from_ref(&edited), "GD20261103-0042", None).map(|m| m.id),
            Some(1)
        );
        assert!(
            same_reference(std::slice::from_ref(&edited), "GD20261103-0042", Some(1)).is_none()
        );
        let replied = edited
            .answer(&clerk(), d("2026-11-05"), "已修复。", today)
            .unwrap();
        assert!(
            replied.edit(&clerk(), corrected, today).is_err(),
            "replied: as sent"
        );
        for bad in ["工单1", "a b", &"9".repeat(MAX_REFERENCE_CHARS + 1)] {
            assert!(reference(bad).is_err(), "{bad}");
        }
        assert_eq!(reference("  ").unwrap(), None);
    }

    #[test]
    fn the_year_counts_per_channel() {
        let calendar = WorkingCalendar::embedded();
        let a = message(ParticipationChannel::Hotline, "2026-11-02")
            .answer(&clerk(), d("2026-11-12"), "已处理。", d("2026-11-27"))
            .unwrap();
        let b = message(ParticipationChannel::Mailbox, "2026-03-02");
        let c = message(ParticipationChannel::Mailbox, "2025-12-30");
        let counted = year(&[a, b, c], &calendar, &BTreeMap::new(), 2026);
        assert_eq!(
            counted,
            [
                (
                    ParticipationChannel::Mailbox,
                    ChannelYear {
                        received: 1,
                        ..Default::default()
                    }
                ),
                (
                    ParticipationChannel::Hotline,
                    ChannelYear {
                        received: 1,
                        replied: 1,
                        replied_late: 1,
                        became_applications: 0,
                    }
                ),
            ]
        );
    }
}
