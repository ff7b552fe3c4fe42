//! Identifiers, parsed once at the edge ("parse, don't validate").

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::DomainError;

macro_rules! text_id {
    ($(#[$doc:meta])* $name:ident, $field:literal, $max:literal, $allowed:expr, $rule:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn parse(text: &str) -> Result<Self, DomainError> {
                let text = text.trim();
                let allowed: fn(char) -> bool = $allowed;
                if text.is_empty() || text.chars().count() > $max || !text.chars().all(allowed) {
                    return Err(DomainError::invalid($field, format!("「{text}」不符合要求：{}", $rule, text = gongkai_law::excerpt(text))));
                }
                Ok(Self(text.to_string()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = DomainError;
            fn try_from(text: String) -> Result<Self, Self::Error> {
                Self::parse(&text)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_id!(
    /// 机关代码 — an agency's short code, e.g. `demo`, `hedong-taiping`.
    AgencyCode, "机关代码", 64,
    |c| c.is_ascii_alphanumeric() || c == '-' || c == '_',
    "1–64个字母、数字、连字符或下划线"
);

text_id!(
    /// 申请编号 — the number an application is known by, e.g. `2024-0012` or `太政公〔2024〕12号`.
    ApplicationNumber, "申请编号", 64,
    |c| !c.is_control() && c != '/' && c != '\\',
    "1–64个字符，不含斜杠和控制字符"
);

text_id!(
    /// 用户名 — a staff login name.
    UserName, "用户名", 64,
    |c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.',
    "1–64个字母、数字、点、连字符或下划线"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse_at_the_edge() {
        assert_eq!(AgencyCode::parse(" demo ").unwrap().as_str(), "demo");
        assert!(
            AgencyCode::parse("河东")
                .unwrap_err()
                .to_string()
                .contains("机关代码")
        );
        assert!(ApplicationNumber::parse("太政公〔2024〕12号").is_ok());
        assert!(ApplicationNumber::parse("a/b").is_err());
        assert!(UserName::parse("").is_err());
        assert!(serde_json::from_str::<AgencyCode>("\"bad code\"").is_err());
    }
}
