//! Identity documents an applicant gives (第二十九条: 身份证明), checked before they are kept.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// 居民身份证号码 (GB 11643-1999): 17 digits, a birth date inside, and a check character
/// (ISO 7064 MOD 11-2).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ResidentId(String);

const RESIDENT_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const RESIDENT_CHECK: &[u8; 11] = b"10X98765432";

impl ResidentId {
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let text = text.trim().to_ascii_uppercase();
        let bytes = text.as_bytes();
        let invalid = |why: &str| {
            DomainError::invalid(
                "居民身份证号码",
                format!("「{text}」{why}", text = gongkai_law::excerpt(&text)),
            )
        };
        if bytes.len() != 18 || !bytes[..17].iter().all(u8::is_ascii_digit) {
            return Err(invalid("应为18位：17位数字加1位校验码（数字或X）"));
        }
        let birth = &text[6..14];
        let date = format!("{}-{}-{}", &birth[..4], &birth[4..6], &birth[6..]);
        if gongkai_law::parse_date("birth", &date).is_err() {
            return Err(invalid("中的出生日期不存在"));
        }
        if bytes[17] != resident_check(&bytes[..17]) {
            return Err(invalid("的校验码不正确，请核对号码"));
        }
        Ok(Self(text))
    }

    /// The number whose first 17 digits are `first17`, completed with its check character
    /// (for numbers made up as examples, in demonstrations and tests).
    pub fn with_check_character(first17: &str) -> Result<Self, DomainError> {
        let digits = first17.trim().as_bytes();
        if digits.len() != 17 || !digits.iter().all(u8::is_ascii_digit) {
            return Err(DomainError::invalid(
                "居民身份证号码",
                format!("「{first17}」应为17位数字（不含校验码）"),
            ));
        }
        let check = resident_check(digits) as char;
        Self::parse(&format!("{}{check}", first17.trim()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// 110105********002X: what may be shown outside the case page.
    pub fn masked(&self) -> String {
        format!("{}********{}", &self.0[..6], &self.0[14..])
    }
}

/// The check character of 17 digits (ISO 7064 MOD 11-2).
fn resident_check(digits: &[u8]) -> u8 {
    let sum: u32 = digits
        .iter()
        .zip(RESIDENT_WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    RESIDENT_CHECK[(sum % 11) as usize]
}

/// 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character set, the last a check
/// character (weights 3^(i-1) mod 31).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

const CREDIT_CHARS: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

impl CreditCode {
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let text = text.trim().to_ascii_uppercase();
        let invalid = |why: &str| {
            DomainError::invalid(
                "统一社会信用代码",
                format!("「{text}」{why}", text = gongkai_law::excerpt(&text)),
            )
        };
        let values: Option<Vec<u32>> = text
            .bytes()
            .map(|b| CREDIT_CHARS.iter().position(|&c| c == b).map(|p| p as u32))
            .collect();
        let Some(values) = values.filter(|v| v.len() == 18) else {
            return Err(invalid(
                "应为18位，由数字和大写字母组成（不含I、O、Z、S、V）",
            ));
        };
        if values[17] != credit_check(&values[..17]) {
            return Err(invalid("的校验码不正确，请核对代码"));
        }
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The check value of the first 17 character values.
fn credit_check(values: &[u32]) -> u32 {
    let mut weight = 1;
    let mut sum = 0;
    for value in values {
        sum += value * weight;
        weight = weight * 3 % 31;
    }
    (31 - sum % 31) % 31
}

/// The document that identifies an applicant.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "number", rename_all = "snake_case")]
pub enum IdDocument {
    /// 居民身份证
    ResidentId(ResidentId),
    /// 统一社会信用代码
    CreditCode(CreditCode),
    /// 其他证件（护照、港澳台居民居住证等），kept as given.
    Other { name: String, number: String },
}

impl IdDocument {
    /// What may be shown outside the case page (personal data is masked).
    pub fn masked(&self) -> String {
        match self {
            Self::ResidentId(id) => id.masked(),
            Self::CreditCode(code) => code.as_str().to_string(),
            Self::Other { name, number } => {
                let visible: String = number
                    .chars()
                    .rev()
                    .take(4)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                format!("{name} ****{visible}")
            }
        }
    }
}

impl TryFrom<String> for ResidentId {
    type Error = DomainError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl From<ResidentId> for String {
    fn from(id: ResidentId) -> String {
        id.0
    }
}

impl TryFrom<String> for CreditCode {
    type Error = DomainError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl From<CreditCode> for String {
    fn from(code: CreditCode) -> String {
        code.0
    }
}

impl fmt::Display for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resident_id_from_the_standard() {
        // GB 11643-1999's own example.
        let id = ResidentId::parse("11010519491231002x").unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
        assert_eq!(id.masked(), "110105********002X");
        assert!(
            ResidentId::parse("110105194912310021")
                .unwrap_err()
                .to_string()
                .contains("校验码")
        );
        assert!(
            ResidentId::parse("110105194902310025")
                .unwrap_err()
                .to_string()
                .contains("出生日期")
        );
        assert!(ResidentId::parse("1101051949123100").is_err());
    }

    #[test]
    fn credit_code_from_the_standard() {
        // GB 32100-2015's worked example: the weighted sum of 91350100M000100Y4 is 1640,
        // 1640 mod 31 = 28, check value 31 - 28 = 3.
        let values: Vec<u32> = "91350100M000100Y4"
            .bytes()
            .map(|b| CREDIT_CHARS.iter().position(|&c| c == b).unwrap() as u32)
            .collect();
        let weights = [
            1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
        ];
        assert_eq!(
            values.iter().zip(weights).map(|(v, w)| v * w).sum::<u32>(),
            1640
        );
        assert!(CreditCode::parse("91350100M000100Y43").is_ok());
        assert!(
            CreditCode::parse("91350100M000100Y44")
                .unwrap_err()
                .to_string()
                .contains("校验码")
        );
        // The standard's own counter-example ends in Z, which is not even in the character set.
        assert!(
            CreditCode::parse("91350100M000100Y4Z")
                .unwrap_err()
                .to_string()
                .contains("不含I、O、Z")
        );
        assert!(
            CreditCode::parse("91350100M000100I43")
                .unwrap_err()
                .to_string()
                .contains("不含I")
        );
    }

    #[test]
    fn serde_refuses_bad_numbers() {
        assert!(serde_json::from_str::<ResidentId>("\"110105194912310021\"").is_err());
        let doc: IdDocument =
            serde_json::from_str(r#"{"kind":"credit_code","number":"91350100M000100Y43"}"#)
                .unwrap();
        assert_eq!(doc.masked(), "91350100M000100Y43");
    }
}
