//! 登录会话与接口令牌 — what lets staff in. Only the sha256 of a secret is ever stored, so a copy
//! of the database does not let anyone log in.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{DomainError, UserName};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessKind {
    /// 登录会话 (browser cookie), expires.
    Session,
    /// 接口令牌 (`Authorization: Bearer …`), until it expires or is revoked.
    ApiToken,
}

impl AccessKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Session => "session",
            Self::ApiToken => "api_token",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Session, Self::ApiToken]
            .into_iter()
            .find(|k| k.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessToken {
    /// sha256 of the secret, lowercase hex.
    pub hash: String,
    pub kind: AccessKind,
    pub user: UserName,
    pub created_at: Timestamp,
    pub expires_at: Option<Timestamp>,
    /// What the token is for (接口令牌的用途), shown when tokens are listed.
    pub name: String,
}

impl AccessToken {
    pub fn is_valid_at(&self, now: Timestamp) -> bool {
        self.expires_at.is_none_or(|end| now < end)
    }
}

/// Rebuilds a token from the columns both stores keep (timestamps as RFC 3339 text).
pub fn access_token_from(
    hash: String,
    kind: &str,
    user: &str,
    created_at: &str,
    expires_at: Option<&str>,
    name: &str,
) -> Result<AccessToken, DomainError> {
    let bad = |what: &str| DomainError::invalid("access_tokens", format!("{what} 无法解析"));
    Ok(AccessToken {
        hash,
        kind: AccessKind::parse(kind).ok_or_else(|| bad("kind"))?,
        user: UserName::parse(user)?,
        created_at: created_at.parse().map_err(|_| bad("created_at"))?,
        expires_at: expires_at
            .map(|t| t.parse().map_err(|_| bad("expires_at")))
            .transpose()?,
        name: name.to_string(),
    })
}

/// How long an API token lasts unless told otherwise, and at most (days).
pub const TOKEN_DAYS: u32 = 365;
pub const MAX_TOKEN_DAYS: u32 = 730;

/// A token's short public id: the first 12 characters of its hash (to list and revoke it).
pub fn token_id(token: &AccessToken) -> &str {
    &token.hash[..token.hash.len().min(12)]
}

/// sha256 of a secret (session id, API token, query code), lowercase hex.
pub fn secret_hash(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_sha256_hex() {
        assert_eq!(
            secret_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn sessions_expire_and_tokens_do_not() {
        let at = Timestamp::from_second(1_000).unwrap();
        let mut token = AccessToken {
            hash: secret_hash("x"),
            kind: AccessKind::Session,
            user: UserName::parse("a").unwrap(),
            created_at: at,
            expires_at: Some(Timestamp::from_second(2_000).unwrap()),
            name: String::new(),
        };
        assert!(token.is_valid_at(Timestamp::from_second(1_999).unwrap()));
        assert!(!token.is_valid_at(Timestamp::from_second(2_000).unwrap()));
        token.expires_at = None;
        assert!(token.is_valid_at(Timestamp::from_second(9_999_999).unwrap()));
    }
}
