use std::fmt;

/// A rule that some input breaks, named by the field it is in.
///
/// Shown to people as one line: the Chinese sentence first, the English one after it, so an
/// officer and an integrator both learn which field to fix and which rule (with its article)
/// it broke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleViolation {
    /// Where the bad value is, e.g. `events[2].date` or `N`.
    pub field: String,
    /// 中文说明 — what is wrong and what the rule is.
    pub zh: String,
    /// The same in English.
    pub en: String,
}

impl RuleViolation {
    pub fn new(field: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The same violation, reported under a containing field (`events[2]` + `date`).
    pub fn within(mut self, parent: &str) -> Self {
        self.field = if self.field.is_empty() {
            parent.to_string()
        } else {
            format!("{parent}.{}", self.field)
        };
        self
    }
}

impl fmt::Display for RuleViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{field}：{zh} — {field}: {en}",
            field = self.field,
            zh = self.zh,
            en = self.en
        )
    }
}

impl std::error::Error for RuleViolation {}
