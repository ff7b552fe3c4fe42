//! 信息处理费 — the information processing fee of 国办函〔2020〕109号 (《政府信息公开信息处理费管理办法》).
//!
//! Two progressive methods, one per application, never both: 按件计收 counts an applicant's
//! applications in one calendar month, 按量计收 counts the pages (or equivalent) provided.

use crate::{Date, Reckoning, RuleViolation, WorkingCalendar, clock::FEE_PAYMENT_DAYS};

/// The largest quantity one assessment accepts; anything near it is a typing error.
pub const MAX_QUANTITY: u32 = 100_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeMethod {
    /// 按件计收 — by the number of applications of one applicant in one calendar month.
    PerApplication,
    /// 按量计收 — by the number of pages provided for one application.
    PerPage,
}

impl FeeMethod {
    pub fn label(self) -> &'static str {
        match self {
            Self::PerApplication => "按件计收",
            Self::PerPage => "按量计收",
        }
    }

    pub fn unit(self) -> &'static str {
        match self {
            Self::PerApplication => "件",
            Self::PerPage => "页",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::PerApplication => "per_application",
            Self::PerPage => "per_page",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Self::PerApplication, Self::PerPage]
            .into_iter()
            .find(|m| m.code() == code.trim())
    }

    /// The standard as a fee notice states it.
    pub fn standard(self) -> &'static str {
        match self {
            Self::PerApplication => {
                "按件计收：同一申请人一个自然月内累计申请10件以下（含10件）的，不收费；11—30件（含30件）的部分，每件100元；30件以上的部分，以10件为一档，每增加一档，收费标准每件提高100元"
            }
            Self::PerPage => {
                "按量计收：30页以下（含30页）的，不收费；31—100页（含100页）的部分，每页10元；101—200页（含200页）的部分，每页20元；200页以上的部分，每页40元"
            }
        }
    }
}

/// What one application is charged: by its place among the applicant's applications of the
/// month (按件), or by the pages it provides (按量).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeCharge {
    pub method: FeeMethod,
    /// 按件: this application is the applicant's `quantity`-th of the natural month; 按量: pages.
    pub quantity: u32,
    /// 元, whole.
    pub yuan: u64,
    /// How the amount follows from the standard, for the notice.
    pub working: String,
}

impl FeeCharge {
    pub fn new(method: FeeMethod, quantity: u32) -> Result<Self, RuleViolation> {
        match method {
            FeeMethod::PerApplication => {
                if quantity == 0 {
                    return Err(RuleViolation::new(
                        "quantity",
                        "按件计收须知道本件是申请人当月的第几件申请",
                        "the application's place in the month is needed",
                    ));
                }
                // The nth application costs what the nth unit of the progressive schedule costs.
                let upto = FeeAssessment::per_application(quantity)?;
                let before = FeeAssessment::per_application(quantity - 1)?;
                let yuan = upto.yuan - before.yuan;
                let band = upto.bands.last().expect("quantity ≥ 1 reaches a band");
                let range = match band.to {
                    Some(to) => format!("第{}—{}件", band.from, to),
                    None => format!("第{}件起", band.from),
                };
                let working = if yuan == 0 {
                    format!("本件为申请人本自然月内的第{quantity}件申请，属{range}，不收费")
                } else {
                    format!("本件为申请人本自然月内的第{quantity}件申请，属{range}，每件{yuan}元")
                };
                Ok(Self {
                    method,
                    quantity,
                    yuan,
                    working,
                })
            }
            FeeMethod::PerPage => {
                let assessment = FeeAssessment::per_page(quantity)?;
                let working = format!(
                    "本件提供信息共{quantity}页：{}",
                    assessment.explain().join("；")
                );
                Ok(Self {
                    method,
                    quantity,
                    yuan: assessment.yuan,
                    working,
                })
            }
        }
    }
}

/// The last day to pay: 20 working days from the day after the applicant received the notice
/// (国办函〔2020〕109号).
pub fn payment_due(
    calendar: &WorkingCalendar,
    notice_received: Date,
) -> Result<Reckoning, RuleViolation> {
    calendar.add_working_days(notice_received, FEE_PAYMENT_DAYS)
}

/// One band of the progressive schedule that the quantity reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeBand {
    /// First unit of the band (1-based).
    pub from: u32,
    /// Last unit of the band; `None` for the open top band.
    pub to: Option<u32>,
    /// Units of the quantity that fell in this band.
    pub count: u32,
    /// 元 per unit in this band.
    pub unit_yuan: u64,
    pub subtotal_yuan: u64,
}

/// A fee worked out band by band.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeAssessment {
    pub method: FeeMethod,
    pub quantity: u32,
    /// The total in whole 元 (every rate is whole yuan).
    pub yuan: u64,
    /// The bands the quantity reached, lowest first, the free band included.
    pub bands: Vec<FeeBand>,
}

impl FeeAssessment {
    /// 按件计收: 1–10 free; 11–30 at 100元; from 31 on, each further band of 10 costs 100元
    /// more per application (31–40: 200元, 41–50: 300元, …).
    pub fn per_application(count: u32) -> Result<Self, RuleViolation> {
        check_quantity("--items", count)?;
        let mut schedule = vec![(1, Some(10), 0), (11, Some(30), 100)];
        let mut from = 31;
        let mut rate = 200;
        while from <= count {
            schedule.push((from, Some(from + 9), rate));
            from += 10;
            rate += 100;
        }
        Ok(Self::assess(FeeMethod::PerApplication, count, &schedule))
    }

    /// 按量计收: 1–30 pages free; 31–100 at 10元; 101–200 at 20元; from 201 at 40元 per page.
    pub fn per_page(pages: u32) -> Result<Self, RuleViolation> {
        check_quantity("--pages", pages)?;
        let schedule = [
            (1, Some(30), 0),
            (31, Some(100), 10),
            (101, Some(200), 20),
            (201, None, 40),
        ];
        Ok(Self::assess(FeeMethod::PerPage, pages, &schedule))
    }

    fn assess(method: FeeMethod, quantity: u32, schedule: &[(u32, Option<u32>, u64)]) -> Self {
        let bands: Vec<FeeBand> = schedule
            .iter()
            .filter(|(from, _, _)| *from <= quantity)
            .map(|&(from, to, unit_yuan)| {
                let last = to.map_or(quantity, |to| to.min(quantity));
                let count = last - from + 1;
                FeeBand {
                    from,
                    to,
                    count,
                    unit_yuan,
                    subtotal_yuan: u64::from(count) * unit_yuan,
                }
            })
            .collect();
        Self {
            method,
            quantity,
            yuan: bands.iter().map(|b| b.subtotal_yuan).sum(),
            bands,
        }
    }

    /// One line per band, for people: `第11–30件：20件 × 100元 = 2000元`.
    pub fn explain(&self) -> Vec<String> {
        let unit = self.method.unit();
        self.bands
            .iter()
            .map(|b| {
                let range = match b.to {
                    Some(to) => format!("第{}–{}{unit}", b.from, to),
                    None => format!("第{}{unit}起", b.from),
                };
                if b.unit_yuan == 0 {
                    format!("{range}：{}{unit}，免费", b.count)
                } else {
                    format!(
                        "{range}：{}{unit} × {}元 = {}元",
                        b.count, b.unit_yuan, b.subtotal_yuan
                    )
                }
            })
            .collect()
    }
}

fn check_quantity(field: &str, quantity: u32) -> Result<(), RuleViolation> {
    if quantity > MAX_QUANTITY {
        return Err(RuleViolation::new(
            field,
            format!("数量 {quantity} 过大（上限 {MAX_QUANTITY}），请核实"),
            format!("{quantity} is implausibly large (limit {MAX_QUANTITY}); please check"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn per_application_hand_worked() {
        let cases = [
            (0, 0),
            (1, 0),
            (10, 0),
            (11, 100),
            (30, 2000),
            (31, 2200),
            (40, 4000),
            (41, 4300),
            (50, 7000),
            (55, 9000),
        ];
        for (n, yuan) in cases {
            assert_eq!(
                FeeAssessment::per_application(n).unwrap().yuan,
                yuan,
                "{n} applications"
            );
        }
        let bands = FeeAssessment::per_application(45).unwrap().bands;
        let rates: Vec<_> = bands
            .iter()
            .map(|b| (b.from, b.count, b.unit_yuan))
            .collect();
        assert_eq!(
            rates,
            [(1, 10, 0), (11, 20, 100), (31, 10, 200), (41, 5, 300)]
        );
    }

    #[test]
    fn per_page_hand_worked() {
        let cases = [
            (0, 0),
            (30, 0),
            (31, 10),
            (100, 700),
            (101, 720),
            (200, 2700),
            (201, 2740),
            (250, 4700),
        ];
        for (p, yuan) in cases {
            assert_eq!(FeeAssessment::per_page(p).unwrap().yuan, yuan, "{p} pages");
        }
        let top = FeeAssessment::per_page(250).unwrap();
        assert_eq!(top.bands.last().unwrap().to, None);
        assert_eq!(top.explain()[3], "第201页起：50页 × 40元 = 2000元");
    }

    #[test]
    fn refuses_absurd_quantities() {
        assert_eq!(
            FeeAssessment::per_page(MAX_QUANTITY + 1).unwrap_err().field,
            "--pages"
        );
        assert!(FeeAssessment::per_application(MAX_QUANTITY).is_ok());
    }

    #[test]
    fn one_application_pays_the_rate_of_its_place_in_the_month() {
        let charge = |n| FeeCharge::new(FeeMethod::PerApplication, n).unwrap().yuan;
        assert_eq!(
            [charge(1), charge(10), charge(11), charge(30)],
            [0, 0, 100, 100]
        );
        assert_eq!(
            [charge(31), charge(40), charge(41), charge(51)],
            [200, 200, 300, 400]
        );
        let eleventh = FeeCharge::new(FeeMethod::PerApplication, 11).unwrap();
        assert!(
            eleventh
                .working
                .contains("第11件申请，属第11—30件，每件100元")
        );
        assert!(FeeCharge::new(FeeMethod::PerApplication, 0).is_err());
        let pages = FeeCharge::new(FeeMethod::PerPage, 120).unwrap();
        assert_eq!(pages.yuan, 700 + 400);
        assert!(pages.working.starts_with("本件提供信息共120页"));
    }

    #[test]
    fn payment_period_counts_from_the_day_after_receipt() {
        let calendar = WorkingCalendar::embedded();
        let d = |s| crate::parse_date("d", s).unwrap();
        // Received Friday 2024-09-27; National Day week is off, 9-29 and 10-12 are 调休 workdays.
        let due = payment_due(&calendar, d("2024-09-27")).unwrap();
        assert_eq!(
            calendar.working_days_between(d("2024-09-27"), due.date),
            FEE_PAYMENT_DAYS
        );
        assert!(calendar.is_working_day(due.date));
        assert!(!due.is_provisional());
    }

    proptest! {
        #[test]
        fn charges_add_up_to_the_assessment(n in 1u32..500) {
            let total: u64 = (1..=n)
                .map(|i| FeeCharge::new(FeeMethod::PerApplication, i).unwrap().yuan)
                .sum();
            prop_assert_eq!(total, FeeAssessment::per_application(n).unwrap().yuan);
        }

        #[test]
        fn bands_add_up_and_fees_never_fall(n in 0u32..2000) {
            for assess in [FeeAssessment::per_application, FeeAssessment::per_page] {
                let here = assess(n).unwrap();
                let next = assess(n + 1).unwrap();
                prop_assert_eq!(here.bands.iter().map(|b| b.count).sum::<u32>(), n);
                prop_assert_eq!(here.bands.iter().map(|b| b.subtotal_yuan).sum::<u64>(), here.yuan);
                prop_assert!(next.yuan >= here.yuan);
            }
        }
    }
}
