//! 办理结果 — how an application ended, as the result rows of table 三 of the annual report
//! (国办公开办函〔2021〕30号). The letters, the workflow and the report all use this one type.
//!
//! The format has 21 result rows under 三、本年度办理结果; (七)总计 is their sum, not an outcome.

/// The six groups (一)–(六) of result rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OutcomeGroup {
    /// (一)予以公开
    Disclosed,
    /// (二)部分公开
    PartlyDisclosed,
    /// (三)不予公开
    Withheld,
    /// (四)无法提供
    CannotProvide,
    /// (五)不予处理
    NotHandled,
    /// (六)其他处理
    OtherHandling,
}

impl OutcomeGroup {
    pub const ALL: [OutcomeGroup; 6] = [
        Self::Disclosed,
        Self::PartlyDisclosed,
        Self::Withheld,
        Self::CannotProvide,
        Self::NotHandled,
        Self::OtherHandling,
    ];

    /// The group's label without its number.
    pub fn label(self) -> &'static str {
        match self {
            Self::Disclosed => "予以公开",
            Self::PartlyDisclosed => "部分公开（区分处理的，只计这一情形，不计其他情形）",
            Self::Withheld => "不予公开",
            Self::CannotProvide => "无法提供",
            Self::NotHandled => "不予处理",
            Self::OtherHandling => "其他处理",
        }
    }

    /// The group's number, e.g. `（三）`.
    pub fn number(self) -> &'static str {
        ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）"][self as usize]
    }

    pub fn outcomes(self) -> impl Iterator<Item = Outcome> {
        Outcome::ALL.into_iter().filter(move |o| o.group() == self)
    }
}

/// One result row of table 三.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// (一)予以公开
    Disclosed,
    /// (二)部分公开 — counted here only, whatever else the answer says.
    PartlyDisclosed,
    /// (三)1.属于国家秘密
    StateSecret,
    /// (三)2.其他法律行政法规禁止公开
    ForbiddenByLaw,
    /// (三)3.危及"三安全一稳定"
    EndangersSecurity,
    /// (三)4.保护第三方合法权益
    ThirdPartyRights,
    /// (三)5.属于三类内部事务信息
    InternalAffairs,
    /// (三)6.属于四类过程性信息
    ProcessInformation,
    /// (三)7.属于行政执法案卷
    EnforcementFile,
    /// (三)8.属于行政查询事项
    AdministrativeQuery,
    /// (四)1.本机关不掌握相关政府信息
    NotHeld,
    /// (四)2.没有现成信息需要另行制作
    NeedsCreation,
    /// (四)3.补正后申请内容仍不明确
    StillUnclear,
    /// (五)1.信访举报投诉类申请
    Petition,
    /// (五)2.重复申请
    Repeated,
    /// (五)3.要求提供公开出版物
    Publication,
    /// (五)4.无正当理由大量反复申请
    Excessive,
    /// (五)5.要求行政机关确认或重新出具已获取信息
    Reconfirmation,
    /// (六)1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请
    SupplementOverdue,
    /// (六)2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请
    FeeUnpaid,
    /// (六)3.其他
    Other,
}

impl Outcome {
    pub const ALL: [Outcome; 21] = [
        Self::Disclosed,
        Self::PartlyDisclosed,
        Self::StateSecret,
        Self::ForbiddenByLaw,
        Self::EndangersSecurity,
        Self::ThirdPartyRights,
        Self::InternalAffairs,
        Self::ProcessInformation,
        Self::EnforcementFile,
        Self::AdministrativeQuery,
        Self::NotHeld,
        Self::NeedsCreation,
        Self::StillUnclear,
        Self::Petition,
        Self::Repeated,
        Self::Publication,
        Self::Excessive,
        Self::Reconfirmation,
        Self::SupplementOverdue,
        Self::FeeUnpaid,
        Self::Other,
    ];

    pub fn group(self) -> OutcomeGroup {
        use Outcome::*;
        match self {
            Disclosed => OutcomeGroup::Disclosed,
            PartlyDisclosed => OutcomeGroup::PartlyDisclosed,
            StateSecret | ForbiddenByLaw | EndangersSecurity | ThirdPartyRights
            | InternalAffairs | ProcessInformation | EnforcementFile | AdministrativeQuery => {
                OutcomeGroup::Withheld
            }
            NotHeld | NeedsCreation | StillUnclear => OutcomeGroup::CannotProvide,
            Petition | Repeated | Publication | Excessive | Reconfirmation => {
                OutcomeGroup::NotHandled
            }
            SupplementOverdue | FeeUnpaid | Other => OutcomeGroup::OtherHandling,
        }
    }

    /// The item number within its group (1.–8.), or `None` for the two one-row groups.
    pub fn item_number(self) -> Option<usize> {
        let group = self.group();
        if matches!(
            group,
            OutcomeGroup::Disclosed | OutcomeGroup::PartlyDisclosed
        ) {
            return None;
        }
        group.outcomes().position(|o| o == self).map(|i| i + 1)
    }

    /// The official row label without its number, e.g. `属于国家秘密`; for the one-row groups
    /// the group label.
    pub fn label(self) -> &'static str {
        use Outcome::*;
        match self {
            Disclosed => "予以公开",
            PartlyDisclosed => "部分公开（区分处理的，只计这一情形，不计其他情形）",
            StateSecret => "属于国家秘密",
            ForbiddenByLaw => "其他法律行政法规禁止公开",
            EndangersSecurity => "危及“三安全一稳定”",
            ThirdPartyRights => "保护第三方合法权益",
            InternalAffairs => "属于三类内部事务信息",
            ProcessInformation => "属于四类过程性信息",
            EnforcementFile => "属于行政执法案卷",
            AdministrativeQuery => "属于行政查询事项",
            NotHeld => "本机关不掌握相关政府信息",
            NeedsCreation => "没有现成信息需要另行制作",
            StillUnclear => "补正后申请内容仍不明确",
            Petition => "信访举报投诉类申请",
            Repeated => "重复申请",
            Publication => "要求提供公开出版物",
            Excessive => "无正当理由大量反复申请",
            Reconfirmation => "要求行政机关确认或重新出具已获取信息",
            SupplementOverdue => "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            FeeUnpaid => "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            Other => "其他",
        }
    }

    /// A short name for lists and charts (`部分公开` rather than the full row label).
    pub fn short_label(self) -> &'static str {
        match self {
            Self::PartlyDisclosed => "部分公开",
            Self::Other => "其他处理",
            other => other.label(),
        }
    }

    /// The label as printed in the table: `（三）不予公开 1.属于国家秘密`.
    pub fn full_label(self) -> String {
        let group = self.group();
        match self.item_number() {
            None => format!("{}{}", group.number(), self.label()),
            Some(n) => format!("{}{} {}.{}", group.number(), group.label(), n, self.label()),
        }
    }

    /// Stable short code, used in files, APIs and the database.
    pub fn code(self) -> &'static str {
        use Outcome::*;
        match self {
            Disclosed => "disclosed",
            PartlyDisclosed => "partly_disclosed",
            StateSecret => "withheld_state_secret",
            ForbiddenByLaw => "withheld_forbidden_by_law",
            EndangersSecurity => "withheld_endangers_security",
            ThirdPartyRights => "withheld_third_party",
            InternalAffairs => "withheld_internal_affairs",
            ProcessInformation => "withheld_process_information",
            EnforcementFile => "withheld_enforcement_file",
            AdministrativeQuery => "withheld_administrative_query",
            NotHeld => "unavailable_not_held",
            NeedsCreation => "unavailable_needs_creation",
            StillUnclear => "unavailable_still_unclear",
            Petition => "not_handled_petition",
            Repeated => "not_handled_repeated",
            Publication => "not_handled_publication",
            Excessive => "not_handled_excessive",
            Reconfirmation => "not_handled_reconfirmation",
            SupplementOverdue => "other_supplement_overdue",
            FeeUnpaid => "other_fee_unpaid",
            Other => "other",
        }
    }

    /// The legal basis that answer letters cite for this outcome.
    pub fn basis(self) -> &'static str {
        use Outcome::*;
        match self {
            Disclosed => "《条例》第三十六条第（一）项、第（二）项",
            PartlyDisclosed => "《条例》第三十七条",
            StateSecret | ForbiddenByLaw | EndangersSecurity => {
                "《条例》第十四条、第三十六条第（三）项"
            }
            ThirdPartyRights => "《条例》第十五条、第三十二条、第三十六条第（三）项",
            InternalAffairs => "《条例》第十六条第一款、第三十六条第（三）项",
            ProcessInformation | EnforcementFile => "《条例》第十六条第二款、第三十六条第（三）项",
            AdministrativeQuery => "《条例》第三十六条第（七）项",
            NotHeld => "《条例》第三十六条第（四）项、第（五）项",
            NeedsCreation => "《条例》第三十八条",
            StillUnclear => "《条例》第三十条",
            Petition => "《条例》第三十九条第一款",
            Repeated => "《条例》第三十六条第（六）项",
            Publication => "《条例》第三十九条第二款",
            Excessive => "《条例》第三十五条",
            Reconfirmation => "国办公开办函〔2021〕30号（年度报告格式）",
            SupplementOverdue => "《条例》第三十条",
            FeeUnpaid => "《条例》第四十二条、国办函〔2020〕109号",
            Other => "—",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == code)
    }

    /// Accepts the short code, the row label without its number (as in LAW.md, e.g.
    /// `属于国家秘密`, `部分公开`), with or without quotes and full-/half-width punctuation.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if let Some(outcome) = Self::from_code(text) {
            return Some(outcome);
        }
        let wanted = fold_label(text);
        Self::ALL.into_iter().find(|o| {
            let label = fold_label(o.label());
            label == wanted || fold_label(o.short_label()) == wanted
        })
    }
}

/// Folds the spellings a label is written in: full-/half-width brackets, kinds of quotes,
/// spaces.
pub fn fold_label(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '“' | '”' | '"' | '\'' | '‘' | '’'))
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            ',' => '，',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn twenty_one_rows_in_official_order_with_unique_codes() {
        assert_eq!(Outcome::ALL.len(), 21);
        let codes: HashSet<_> = Outcome::ALL.iter().map(|o| o.code()).collect();
        assert_eq!(codes.len(), 21);
        let mut sorted = Outcome::ALL;
        sorted.sort();
        assert_eq!(sorted, Outcome::ALL, "declaration order is the table order");
        let per_group: Vec<usize> = OutcomeGroup::ALL
            .iter()
            .map(|g| g.outcomes().count())
            .collect();
        assert_eq!(per_group, [1, 1, 8, 3, 5, 3]);
    }

    #[test]
    fn labels_codes_and_numbers() {
        for outcome in Outcome::ALL {
            assert_eq!(Outcome::parse(outcome.code()), Some(outcome));
            assert_eq!(
                Outcome::parse(outcome.label()),
                Some(outcome),
                "{outcome:?}"
            );
            assert!(!outcome.basis().is_empty());
        }
        assert_eq!(Outcome::parse("部分公开"), Some(Outcome::PartlyDisclosed));
        assert_eq!(
            Outcome::parse("危及\"三安全一稳定\""),
            Some(Outcome::EndangersSecurity)
        );
        assert_eq!(Outcome::parse("其他"), Some(Outcome::Other));
        assert_eq!(Outcome::parse("予以 公开"), Some(Outcome::Disclosed));
        assert_eq!(Outcome::parse("公开"), None);
        assert_eq!(Outcome::StateSecret.item_number(), Some(1));
        assert_eq!(Outcome::AdministrativeQuery.item_number(), Some(8));
        assert_eq!(Outcome::Other.item_number(), Some(3));
        assert_eq!(Outcome::Disclosed.item_number(), None);
        assert_eq!(
            Outcome::StateSecret.full_label(),
            "（三）不予公开 1.属于国家秘密"
        );
        assert_eq!(Outcome::Disclosed.full_label(), "（一）予以公开");
    }
}
