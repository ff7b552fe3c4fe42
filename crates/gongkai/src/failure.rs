use std::{fmt, process::ExitCode};

use gongkai_law::RuleViolation;

/// Why a command could not do its work, and the exit status that tells scripts which kind.
#[derive(Debug)]
pub enum Failure {
    /// Bad input: exit 2, nothing on stdout, one message on stderr naming the field and rule.
    BadInput(RuleViolation),
    /// The domain refused (duplicate, conflict, not found, not allowed): exit 2.
    Refused(String),
    /// The machine failed us (disk, permissions): exit 1.
    Io { zh: String, en: String },
}

impl Failure {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Self::BadInput(_) | Self::Refused(_) => ExitCode::from(2),
            Self::Io { .. } => ExitCode::from(1),
        }
    }

    pub fn io(zh: impl Into<String>, error: impl fmt::Display) -> Self {
        let zh = zh.into();
        Self::Io {
            en: error.to_string(),
            zh,
        }
    }
}

impl From<RuleViolation> for Failure {
    fn from(v: RuleViolation) -> Self {
        Self::BadInput(v)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadInput(v) => write!(f, "错误 error: {v}"),
            Self::Refused(message) => write!(f, "错误 error: {message}"),
            Self::Io { zh, en } => write!(f, "错误 error: {zh} — {en}"),
        }
    }
}
