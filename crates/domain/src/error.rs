use std::fmt;

use gongkai_law::RuleViolation;

/// Why a domain operation was refused. Every message says, in Chinese, what to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainError {
    /// A value is not acceptable (field, what is wrong).
    Invalid {
        field: String,
        message: String,
    },
    /// The statute forbids it (with its article).
    Statute(RuleViolation),
    /// Not allowed in the application's current state.
    State(String),
    /// The actor's role or agency does not allow it.
    Forbidden(String),
    /// Someone else changed the record first (optimistic versioning).
    Conflict(String),
    NotFound(String),
}

impl DomainError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// `text` trimmed, refused unless it holds 1 to `max` characters (named by `field`).
pub(crate) fn bounded_text(field: &str, text: &str, max: usize) -> Result<String, DomainError> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > max {
        return Err(DomainError::invalid(field, format!("应为1–{max}个字")));
    }
    Ok(text.to_string())
}

impl fmt::Display for DomainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Invalid { field, message } => write!(f, "{field}：{message}"),
            Self::Statute(v) => write!(f, "{v}"),
            Self::State(m) | Self::Forbidden(m) | Self::Conflict(m) | Self::NotFound(m) => {
                f.write_str(m)
            }
        }
    }
}

impl std::error::Error for DomainError {}

impl From<RuleViolation> for DomainError {
    fn from(v: RuleViolation) -> Self {
        Self::Statute(v)
    }
}
