//! 答复期限 — the answer clock of an application, as segments.
//!
//! The clock starts on the receipt date (第三十一条) and runs 20 working days (第三十三条第一款).
//! A 补正 notice (第三十条) stops it; the supplemented application starts it afresh. Time spent
//! consulting a third party or another agency (第三十二条、第三十四条) does not count
//! (第三十三条第二款): working days `d` with `start < d ≤ end` of a consultation are skipped.
//! One approved extension adds 20 working days (第三十三条第一款). Waiting for a fee to be paid
//! (国办函〔2020〕109号) may also stop the clock: that is a per-agency setting, because the
//! measures do not say (LAW.md: UNCONFIRMED).

use std::collections::BTreeSet;

use serde::Deserialize;

use crate::{
    Date, RuleViolation, WorkingCalendar,
    calendar::next_day,
    date::{chinese, parse_date},
};

/// 20 working days to answer (第三十三条第一款).
pub const ANSWER_DAYS: u32 = 20;
/// An approved extension adds at most 20 working days, once (第三十三条第一款).
pub const EXTENSION_DAYS: u32 = 20;
/// 补正 must be asked for within 7 working days of receipt (第三十条).
pub const SUPPLEMENT_NOTICE_DAYS: u32 = 7;
/// A consulted third party or agency answers within 15 working days (第三十二条、第三十四条).
pub const CONSULTATION_DAYS: u32 = 15;
/// The most events one clock takes: one 补正, one extension and one fee notice with their ends
/// leave room for dozens of consultations; more is a wrong file, and each event is checked
/// against all before it.
pub const MAX_EVENTS: usize = 200;
/// The applicant pays within 20 working days of receiving the fee notice (国办函〔2020〕109号).
pub const FEE_PAYMENT_DAYS: u32 = 20;

/// Per-agency settings that the statute leaves open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockSettings {
    /// Whether the time waiting for a fee to be paid stops the answer clock. Default: yes.
    pub fee_wait_pauses_clock: bool,
}

impl Default for ClockSettings {
    fn default() -> Self {
        Self {
            fee_wait_pauses_clock: true,
        }
    }
}

/// Something that happened to an application that moves its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClockEventKind {
    /// 补正告知 — the applicant was asked to supplement the application (第三十条).
    SupplementRequested,
    /// 收到补正 — the supplemented application arrived; the clock restarts.
    SupplementReceived,
    /// 征求意见 — consultation of a third party or another agency began (第三十二/三十四条).
    ConsultationStarted,
    /// 征求意见结束 — the answer came back, or the 15 working days ran out.
    ConsultationEnded,
    /// 延期答复 — extension approved by the head of the disclosure office (第三十三条).
    Extended,
    /// 收费通知 — fee notice sent (国办函〔2020〕109号).
    FeeNotice,
    /// 缴费 — the fee was paid.
    FeePaid,
    /// 免收 — the agency waived the whole fee (减免, 国办函〔2020〕109号): the wait ends as if paid.
    FeeWaived,
}

impl ClockEventKind {
    pub const ALL: [ClockEventKind; 8] = [
        Self::SupplementRequested,
        Self::SupplementReceived,
        Self::ConsultationStarted,
        Self::ConsultationEnded,
        Self::Extended,
        Self::FeeNotice,
        Self::FeePaid,
        Self::FeeWaived,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::SupplementRequested => "supplement_requested",
            Self::SupplementReceived => "supplement_received",
            Self::ConsultationStarted => "consultation_started",
            Self::ConsultationEnded => "consultation_ended",
            Self::Extended => "extended",
            Self::FeeNotice => "fee_notice",
            Self::FeePaid => "fee_paid",
            Self::FeeWaived => "fee_waived",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::SupplementRequested => "告知补正",
            Self::SupplementReceived => "收到补正",
            Self::ConsultationStarted => "征求意见",
            Self::ConsultationEnded => "征求意见结束",
            Self::Extended => "延期答复",
            Self::FeeNotice => "发出收费通知",
            Self::FeePaid => "缴纳费用",
            Self::FeeWaived => "免收费用",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ClockEvent {
    pub kind: ClockEventKind,
    pub date: Date,
}

/// Where the clock stands after the last event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockState {
    /// 计时中
    Running,
    /// 待补正 — stopped until the supplement arrives; it will restart in full.
    AwaitingSupplement { since: Date },
    /// 征求意见中 — paused.
    Consulting { since: Date },
    /// 待缴费 — paused (when the agency's setting says so).
    AwaitingFee { since: Date },
}

impl ClockState {
    pub fn code(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::AwaitingSupplement { .. } => "awaiting_supplement",
            Self::Consulting { .. } => "consulting",
            Self::AwaitingFee { .. } => "awaiting_fee",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Running => "计时中",
            Self::AwaitingSupplement { .. } => "待补正（期限中止，收到补正后重新计算）",
            Self::Consulting { .. } => "征求意见中（期限暂停）",
            Self::AwaitingFee { .. } => "待缴费（期限暂停）",
        }
    }
}

/// One line of the explanation: what happened, under which article, and the due date after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub date: Date,
    /// `None` for the receipt itself.
    pub event: Option<ClockEventKind>,
    /// The article the step rests on, e.g. `第三十三条第一款`.
    pub article: &'static str,
    /// The explanation in Chinese.
    pub text: String,
    /// The due date after this step; `None` while the clock is stopped.
    pub due: Option<Date>,
}

/// The answer deadline with its explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    /// 答复期限 — the last day to answer; `None` while the clock is stopped or paused.
    pub due: Option<Date>,
    pub state: ClockState,
    /// The day the current count started (receipt, or receipt of the supplement).
    pub started: Date,
    /// The period in working days: 20, or 40 after an extension.
    pub working_days: u32,
    /// Working days left as of the day asked about; negative when overdue. `None` while
    /// awaiting a supplement, or when no day was asked about.
    pub working_days_left: Option<i64>,
    /// Years without a loaded notice that the computation reached (暂定).
    pub provisional_years: BTreeSet<i16>,
    pub steps: Vec<Step>,
}

impl Deadline {
    pub fn is_provisional(&self) -> bool {
        !self.provisional_years.is_empty()
    }
}

/// The clock of one application: the receipt date and the events since, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerClock {
    /// 收到申请之日 (第三十一条) — not the day staff typed the case in.
    pub received: Date,
    pub events: Vec<ClockEvent>,
    pub settings: ClockSettings,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClock {
    received: Option<String>,
    #[serde(default)]
    events: Vec<RawEvent>,
    #[serde(default)]
    settings: Option<RawSettings>,
}

#[derive(Deserialize)]
struct RawEvent {
    kind: Option<String>,
    date: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    fee_wait_pauses_clock: bool,
}

impl AnswerClock {
    pub fn new(received: Date) -> Self {
        Self {
            received,
            events: Vec::new(),
            settings: ClockSettings::default(),
        }
    }

    /// Reads `{"received":"YYYY-MM-DD","events":[{"kind":…,"date":…}],"settings":{…}}`.
    /// Only the shape is checked here; the statute is checked by [`AnswerClock::deadline`].
    pub fn from_json(text: &str) -> Result<Self, RuleViolation> {
        let raw: RawClock = serde_json::from_str(text).map_err(|e| {
            RuleViolation::new(
                "JSON",
                format!(
                    "文件不是有效的期限描述（第{}行第{}列）：应为 {{\"received\":\"YYYY-MM-DD\",\"events\":[{{\"kind\":…,\"date\":\"YYYY-MM-DD\"}}]}}",
                    e.line(),
                    e.column()
                ),
                format!("not a valid clock description: {e}"),
            )
        })?;
        let received = raw.received.ok_or_else(|| {
            RuleViolation::new(
                "received",
                "缺少收到申请之日（第三十一条）",
                "the receipt date is missing",
            )
        })?;
        let mut clock = Self::new(parse_date("received", &received)?);
        if let Some(settings) = raw.settings {
            clock.settings.fee_wait_pauses_clock = settings.fee_wait_pauses_clock;
        }
        if raw.events.len() > MAX_EVENTS {
            return Err(RuleViolation::new(
                "events",
                format!(
                    "期限事件有{}个，超过{MAX_EVENTS}个：一件申请的补正、征求意见、延期和收费事件不会这样多，请核对文件",
                    raw.events.len()
                ),
                format!("{} events; at most {MAX_EVENTS}", raw.events.len()),
            ));
        }
        for (i, event) in raw.events.into_iter().enumerate() {
            let field = format!("events[{i}]");
            let kind_text = event.kind.ok_or_else(|| {
                RuleViolation::new("kind", "缺少事件类型", "the event kind is missing")
                    .within(&field)
            })?;
            let kind = ClockEventKind::from_code(&kind_text).ok_or_else(|| {
                let known: Vec<_> = ClockEventKind::ALL.iter().map(|k| k.code()).collect();
                RuleViolation::new(
                    "kind",
                    format!(
                        "未知的事件类型「{kind_text}」，应为 {} 之一",
                        known.join("、")
                    ),
                    format!(
                        "unknown event kind \"{kind_text}\"; expected one of {}",
                        known.join(", ")
                    ),
                )
                .within(&field)
            })?;
            let date_text = event.date.ok_or_else(|| {
                RuleViolation::new("date", "缺少事件日期", "the event date is missing")
                    .within(&field)
            })?;
            let date = parse_date("date", &date_text).map_err(|e| e.within(&field))?;
            clock.events.push(ClockEvent { kind, date });
        }
        Ok(clock)
    }

    /// Works out the deadline, checking every event against the statute. `as_of` is the day
    /// to count the working days left from (the caller's "today").
    pub fn deadline(
        &self,
        calendar: &WorkingCalendar,
        as_of: Option<Date>,
    ) -> Result<Deadline, RuleViolation> {
        if self.events.len() > MAX_EVENTS {
            return Err(RuleViolation::new(
                "events",
                format!("期限事件超过{MAX_EVENTS}个"),
                format!("more than {MAX_EVENTS} events"),
            ));
        }
        Reckoner::new(self, calendar)?.run(as_of)
    }
}

/// A stretch of days that does not count: `start < d ≤ end`, open while `end` is `None`.
#[derive(Debug, Clone, Copy)]
struct Pause {
    start: Date,
    end: Option<Date>,
}

impl Pause {
    fn excludes(&self, day: Date) -> bool {
        day > self.start && self.end.is_none_or(|end| day <= end)
    }
}

struct Reckoner<'a> {
    clock: &'a AnswerClock,
    calendar: &'a WorkingCalendar,
    started: Date,
    limit: u32,
    pauses: Vec<Pause>,
    awaiting_supplement: Option<Date>,
    provisional: BTreeSet<i16>,
    steps: Vec<Step>,
}

impl<'a> Reckoner<'a> {
    fn new(clock: &'a AnswerClock, calendar: &'a WorkingCalendar) -> Result<Self, RuleViolation> {
        let mut reckoner = Self {
            clock,
            calendar,
            started: clock.received,
            limit: ANSWER_DAYS,
            pauses: Vec::new(),
            awaiting_supplement: None,
            provisional: BTreeSet::new(),
            steps: Vec::new(),
        };
        let due = reckoner.due()?;
        reckoner.steps.push(Step {
            date: clock.received,
            event: None,
            article: "第三十一条、第三十三条第一款",
            text: format!(
                "收到申请（第三十一条确定的收到之日：{}）。不能当场答复的，应当自收到申请之日起20个工作日内予以答复（第三十三条第一款），期限至{}。",
                chinese(clock.received),
                describe(due)
            ),
            due,
        });
        Ok(reckoner)
    }

    fn open_pause(&self) -> Option<Pause> {
        self.pauses.iter().copied().find(|p| p.end.is_none())
    }

    /// The due date under the current segments, or `None` while stopped or paused.
    fn due(&mut self) -> Result<Option<Date>, RuleViolation> {
        if self.awaiting_supplement.is_some() {
            return Ok(None);
        }
        let open_from = self.open_pause().map(|p| p.start);
        let mut day = self.started;
        let mut counted = 0;
        while counted < self.limit {
            day = next_day(day)?;
            if open_from.is_some_and(|from| day > from) {
                return Ok(None);
            }
            if !self.calendar.covers_year(day.year()) {
                self.provisional.insert(day.year());
            }
            if self.calendar.is_working_day(day) && !self.pauses.iter().any(|p| p.excludes(day)) {
                counted += 1;
            }
        }
        Ok(Some(day))
    }

    /// Working days counted from the start through `as_of` (paused days excluded).
    fn counted_through(&self, as_of: Date) -> i64 {
        let mut day = self.started;
        let mut counted = 0;
        while day < as_of {
            day = match day.tomorrow() {
                Ok(d) => d,
                Err(_) => break,
            };
            if self.calendar.is_working_day(day) && !self.pauses.iter().any(|p| p.excludes(day)) {
                counted += 1;
            }
        }
        counted
    }

    fn run(mut self, as_of: Option<Date>) -> Result<Deadline, RuleViolation> {
        let clock = self.clock;
        let mut previous = clock.received;
        let mut extended = false;
        let mut fee_noticed = false;
        // Paid or waived: the fee is settled once.
        let mut fee_settled = false;
        let mut other_business = false;
        for (i, event) in clock.events.iter().enumerate() {
            let field = format!("events[{i}]");
            let date = event.date;
            if date < clock.received {
                return Err(violation(
                    &field,
                    format!("事件日期 {} 早于收到申请之日 {}", date, clock.received),
                    format!(
                        "the event date {date} is before the receipt date {}",
                        clock.received
                    ),
                ));
            }
            if date < previous {
                return Err(violation(
                    &field,
                    format!("事件须按日期先后排列：{date} 早于前一事件的 {previous}"),
                    format!(
                        "events must be in date order: {date} comes before the previous event's {previous}"
                    ),
                ));
            }
            previous = date;
            if let Some(since) = self.awaiting_supplement
                && event.kind != ClockEventKind::SupplementReceived
            {
                return Err(violation(
                    &field,
                    format!(
                        "自{since}起等待申请人补正，期限中止；收到补正（supplement_received）之前不能{}（第三十条）",
                        event.kind.label()
                    ),
                    format!(
                        "the clock is stopped awaiting the supplement since {since}; nothing but supplement_received can happen before it (Art. 30)"
                    ),
                ));
            }
            let step = match event.kind {
                ClockEventKind::SupplementRequested => {
                    if self
                        .steps
                        .iter()
                        .any(|s| s.event == Some(ClockEventKind::SupplementRequested))
                    {
                        return Err(violation(
                            &field,
                            "补正只能一次性告知（第三十条），不能再次告知补正".into(),
                            "a supplement may be requested only once (Art. 30)".into(),
                        ));
                    }
                    if other_business {
                        return Err(violation(
                            &field,
                            "补正须在征求意见、延期或收费之前告知（第三十条：自收到申请之日起7个工作日内一次性告知）".into(),
                            "a supplement must be requested before consultation, extension or fees (Art. 30)".into(),
                        ));
                    }
                    let latest = self
                        .calendar
                        .add_working_days(clock.received, SUPPLEMENT_NOTICE_DAYS)?;
                    self.provisional
                        .extend(latest.provisional_years.iter().copied());
                    if date > latest.date {
                        return Err(violation(
                            &format!("{field}.date"),
                            format!(
                                "补正告知须在收到申请之日起7个工作日内作出（第三十条），最迟为{}，此处为{}",
                                latest.date, date
                            ),
                            format!(
                                "a supplement must be requested within 7 working days of receipt (Art. 30): by {}, not {date}",
                                latest.date
                            ),
                        ));
                    }
                    self.awaiting_supplement = Some(date);
                    let text = format!(
                        "{}告知申请人补正（第三十条：收到申请之日起7个工作日内一次性告知，最迟{}）。答复期限中止，自收到补正后的申请之日起重新计算；申请人无正当理由逾期不补正的，视为放弃申请。",
                        chinese(date),
                        chinese(latest.date)
                    );
                    (text, "第三十条")
                }
                ClockEventKind::SupplementReceived => {
                    if self.awaiting_supplement.is_none() {
                        return Err(violation(
                            &field,
                            "没有告知补正（supplement_requested），不能收到补正".into(),
                            "supplement_received needs an earlier supplement_requested".into(),
                        ));
                    }
                    self.awaiting_supplement = None;
                    self.started = date;
                    let due = self.due()?;
                    (
                        format!(
                            "{}收到补正后的申请，答复期限自该日起重新计算20个工作日（第三十条、第三十三条第一款），期限至{}。",
                            chinese(date),
                            describe(due)
                        ),
                        "第三十条",
                    )
                }
                ClockEventKind::ConsultationStarted => {
                    other_business = true;
                    if let Some(open) = self.open_pause() {
                        return Err(violation(
                            &field,
                            format!(
                                "{}开始的征求意见或待缴费尚未结束，不能同时开始新的征求意见",
                                open.start
                            ),
                            format!("the pause that began on {} has not ended", open.start),
                        ));
                    }
                    let reply_by = self.calendar.add_working_days(date, CONSULTATION_DAYS)?;
                    self.provisional
                        .extend(reply_by.provisional_years.iter().copied());
                    self.pauses.push(Pause {
                        start: date,
                        end: None,
                    });
                    (
                        format!(
                            "{}书面征求第三方或其他机关意见（第三十二条、第三十四条），被征求意见方应在15个工作日内提出意见（至{}）。征求意见所需时间不计算在答复期限内（第三十三条第二款），期限暂停。",
                            chinese(date),
                            chinese(reply_by.date)
                        ),
                        "第三十三条第二款",
                    )
                }
                ClockEventKind::ConsultationEnded
                | ClockEventKind::FeePaid
                | ClockEventKind::FeeWaived => {
                    let settled_before = fee_settled;
                    if event.kind != ClockEventKind::ConsultationEnded {
                        fee_settled = true;
                    }
                    let (opening, name) = if event.kind == ClockEventKind::ConsultationEnded {
                        (ClockEventKind::ConsultationStarted, "征求意见")
                    } else {
                        (ClockEventKind::FeeNotice, "收费通知")
                    };
                    let open_index = self
                        .pauses
                        .iter()
                        .rposition(|p| p.end.is_none())
                        .filter(|_| self.last_opening_kind() == Some(opening));
                    let closed = match open_index {
                        Some(index) => {
                            self.pauses[index].end = Some(date);
                            Some(self.pauses[index])
                        }
                        None if event.kind != ClockEventKind::ConsultationEnded
                            && fee_noticed
                            && !settled_before
                            && !clock.settings.fee_wait_pauses_clock =>
                        {
                            None
                        }
                        None => {
                            return Err(violation(
                                &field,
                                format!("没有尚未结束的{name}，不能{}", event.kind.label()),
                                format!(
                                    "{} has no open {} before it",
                                    event.kind.code(),
                                    opening.code()
                                ),
                            ));
                        }
                    };
                    let due = self.due()?;
                    match closed {
                        Some(pause) => {
                            let skipped = self.calendar.working_days_between(pause.start, date);
                            let article = if event.kind == ClockEventKind::ConsultationEnded {
                                "第三十三条第二款"
                            } else {
                                "国办函〔2020〕109号"
                            };
                            (
                                format!(
                                    "{}{}，{}至{}之间的{}个工作日不计入答复期限（{}），期限顺延至{}。",
                                    chinese(date),
                                    event.kind.label(),
                                    pause.start,
                                    date,
                                    skipped,
                                    if event.kind == ClockEventKind::ConsultationEnded {
                                        "第三十三条第二款"
                                    } else {
                                        "本机关设置：缴费期间不计入答复期限"
                                    },
                                    describe(due)
                                ),
                                article,
                            )
                        }
                        None => (
                            format!(
                                "{}{}（本机关设置：缴费期间计入答复期限），期限仍至{}。",
                                chinese(date),
                                event.kind.label(),
                                describe(due)
                            ),
                            "国办函〔2020〕109号",
                        ),
                    }
                }
                ClockEventKind::Extended => {
                    other_business = true;
                    if extended {
                        return Err(violation(
                            &field,
                            "答复期限只能延长一次，延长的期限最长不得超过20个工作日（第三十三条第一款）".into(),
                            "the answer period may be extended only once, by at most 20 working days (Art. 33)".into(),
                        ));
                    }
                    if let Some(due) = self.due()?
                        && date > due
                    {
                        return Err(violation(
                            &format!("{field}.date"),
                            format!(
                                "答复期限已于{due}届满，{date}不能再决定延期（第三十三条第一款）"
                            ),
                            format!(
                                "the answer period ended on {due}; it cannot be extended on {date} (Art. 33)"
                            ),
                        ));
                    }
                    extended = true;
                    self.limit += EXTENSION_DAYS;
                    let due = self.due()?;
                    (
                        format!(
                            "{}经政府信息公开工作机构负责人同意并告知申请人，延长答复期限20个工作日（第三十三条第一款），期限至{}。",
                            chinese(date),
                            describe(due)
                        ),
                        "第三十三条第一款",
                    )
                }
                ClockEventKind::FeeNotice => {
                    other_business = true;
                    if fee_noticed {
                        return Err(violation(
                            &field,
                            "同一申请只能发出一次收费通知（国办函〔2020〕109号：一件申请只适用一种计费方式）".into(),
                            "only one fee notice per application".into(),
                        ));
                    }
                    if let Some(due) = self.due()?
                        && date > due
                    {
                        return Err(violation(
                            &format!("{field}.date"),
                            format!(
                                "收费通知须在答复期限内发出，期限已于{due}届满（国办函〔2020〕109号）"
                            ),
                            format!(
                                "the fee notice must be sent within the answer period, which ended on {due}"
                            ),
                        ));
                    }
                    if let Some(open) = self.open_pause() {
                        return Err(violation(
                            &field,
                            format!(
                                "{}开始的征求意见尚未结束，请在其结束后再发出收费通知",
                                open.start
                            ),
                            format!(
                                "the consultation that began on {} has not ended",
                                open.start
                            ),
                        ));
                    }
                    fee_noticed = true;
                    let pay_by = self.calendar.add_working_days(date, FEE_PAYMENT_DAYS)?;
                    self.provisional
                        .extend(pay_by.provisional_years.iter().copied());
                    let pauses = clock.settings.fee_wait_pauses_clock;
                    if pauses {
                        self.pauses.push(Pause {
                            start: date,
                            end: None,
                        });
                    }
                    (
                        format!(
                            "{}发出收费通知（国办函〔2020〕109号），申请人应自收到通知次日起20个工作日内缴费（按发出之日计至{}），逾期未缴视为放弃申请。{}",
                            chinese(date),
                            chinese(pay_by.date),
                            if pauses {
                                "按本机关设置，缴费期间不计入答复期限，期限暂停。"
                            } else {
                                "按本机关设置，缴费期间计入答复期限。"
                            }
                        ),
                        "国办函〔2020〕109号",
                    )
                }
            };
            let due = self.due()?;
            self.steps.push(Step {
                date,
                event: Some(event.kind),
                article: step.1,
                text: step.0,
                due,
            });
        }

        let due = self.due()?;
        let state = if let Some(since) = self.awaiting_supplement {
            ClockState::AwaitingSupplement { since }
        } else if let Some(open) = self.open_pause() {
            if self.last_opening_kind() == Some(ClockEventKind::FeeNotice) {
                ClockState::AwaitingFee { since: open.start }
            } else {
                ClockState::Consulting { since: open.start }
            }
        } else {
            ClockState::Running
        };
        let working_days_left = match (state, as_of) {
            (ClockState::AwaitingSupplement { .. }, _) | (_, None) => None,
            (_, Some(as_of)) => Some(i64::from(self.limit) - self.counted_through(as_of)),
        };
        Ok(Deadline {
            due,
            state,
            started: self.started,
            working_days: self.limit,
            working_days_left,
            provisional_years: self.provisional,
            steps: self.steps,
        })
    }

    /// Which kind of event opened the most recent pause.
    fn last_opening_kind(&self) -> Option<ClockEventKind> {
        self.steps.iter().rev().find_map(|s| match s.event {
            Some(k @ (ClockEventKind::ConsultationStarted | ClockEventKind::FeeNotice)) => Some(k),
            _ => None,
        })
    }
}

fn describe(due: Option<Date>) -> String {
    match due {
        Some(date) => chinese(date),
        None => "（期限暂停，待恢复计算后确定）".to_string(),
    }
}

fn violation(field: &str, zh: String, en: String) -> RuleViolation {
    RuleViolation::new(field, zh, en)
}

#[cfg(test)]
mod tests;
