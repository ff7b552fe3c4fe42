//! 申请人情况 — the applicant columns of table 三 of the annual report.

/// The six applicant columns of table 三, in the official order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ApplicantKind {
    /// 自然人
    NaturalPerson,
    /// 法人或其他组织 — 商业企业
    Business,
    /// 法人或其他组织 — 科研机构
    Research,
    /// 法人或其他组织 — 社会公益组织
    PublicInterest,
    /// 法人或其他组织 — 法律服务机构
    LegalService,
    /// 法人或其他组织 — 其他
    OtherOrganisation,
}

impl ApplicantKind {
    pub const ALL: [ApplicantKind; 6] = [
        Self::NaturalPerson,
        Self::Business,
        Self::Research,
        Self::PublicInterest,
        Self::LegalService,
        Self::OtherOrganisation,
    ];

    /// The column label in the report.
    pub fn label(self) -> &'static str {
        match self {
            Self::NaturalPerson => "自然人",
            Self::Business => "商业企业",
            Self::Research => "科研机构",
            Self::PublicInterest => "社会公益组织",
            Self::LegalService => "法律服务机构",
            Self::OtherOrganisation => "其他",
        }
    }

    /// Stable short code for files and APIs.
    pub fn code(self) -> &'static str {
        match self {
            Self::NaturalPerson => "natural_person",
            Self::Business => "business",
            Self::Research => "research",
            Self::PublicInterest => "public_interest",
            Self::LegalService => "legal_service",
            Self::OtherOrganisation => "other_organisation",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// Whether this is one of the five kinds of 法人或其他组织.
    pub fn is_organisation(self) -> bool {
        self != Self::NaturalPerson
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Accepts the official label or the short code (imports use either).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.label() == text || k.code() == text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_codes_round_trip() {
        for kind in ApplicantKind::ALL {
            assert_eq!(ApplicantKind::parse(kind.label()), Some(kind));
            assert_eq!(ApplicantKind::parse(kind.code()), Some(kind));
            assert_eq!(ApplicantKind::ALL[kind.index()], kind);
        }
        assert_eq!(ApplicantKind::parse("法人"), None);
    }
}
