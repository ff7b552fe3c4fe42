//! Parsing what people type into forms, shared by the portal, the back office and the API:
//! the applicant of an application (第二十九条) with identity documents checked.

use gongkai_domain::{
    Applicant, DomainError,
    identity::{CreditCode, IdDocument, ResidentId},
};
use gongkai_law::{ApplicantKind, Date, parse_date};

use crate::{error::WebError, views::FormState};

/// A date field (`YYYY-MM-DD`); the error names the field and says the format.
pub fn date(value: &str, name: &str, label: &str) -> Result<Date, WebError> {
    parse_date(label, value.trim())
        .map_err(|_| WebError::field(name, format!("{label}应为 YYYY-MM-DD 格式的日期")))
}

/// A date field that may be left empty.
pub fn optional_date(value: &str, name: &str, label: &str) -> Result<Option<Date>, WebError> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        date(value, name, label).map(Some)
    }
}

/// The six applicant columns of table 三 (codes of `ApplicantKind`; a test keeps them equal).
pub const KINDS: [(&str, &str); 6] = [
    ("natural_person", "自然人"),
    ("business", "法人或其他组织：商业企业"),
    ("research", "法人或其他组织：科研机构"),
    ("public_interest", "法人或其他组织：社会公益组织"),
    ("legal_service", "法人或其他组织：法律服务机构"),
    ("other_organisation", "法人或其他组织：其他"),
];

/// The applicant part of an application from form fields (shared with the API and the back
/// office). Errors are keyed by the form field they belong to.
pub fn applicant_from(
    fields: &dyn Fn(&str) -> String,
    errors: &mut FormState,
) -> Option<Applicant> {
    let kind = ApplicantKind::from_code(&fields("kind"));
    if kind.is_none() {
        errors
            .errors
            .insert("kind".into(), "请选择申请人类型".into());
    }
    let id_number = fields("id_number");
    let id = match fields("id_type").as_str() {
        "resident_id" => ResidentId::parse(&id_number).map(IdDocument::ResidentId),
        "credit_code" => CreditCode::parse(&id_number).map(IdDocument::CreditCode),
        "other" => {
            let name = fields("id_name");
            if name.is_empty() || id_number.is_empty() {
                Err(DomainError::invalid("证件", "请填写证件名称和号码"))
            } else {
                Ok(IdDocument::Other {
                    name,
                    number: id_number,
                })
            }
        }
        _ => Err(DomainError::invalid("证件", "请选择身份证明类型")),
    };
    let id = match id {
        Ok(id) => Some(id),
        Err(e) => {
            errors.errors.insert("id_number".into(), message_of(&e));
            None
        }
    };
    let phone = fields("phone");
    if phone.chars().filter(char::is_ascii_digit).count() < 7 {
        errors.errors.insert(
            "phone".into(),
            "请填写能联系到您的电话号码（至少7位数字）".into(),
        );
    }
    let email = fields("email");
    let plausible_email = email.contains('@') && email.contains('.');
    if !email.is_empty() && !plausible_email {
        errors.errors.insert(
            "email".into(),
            "电子邮箱格式不正确，例如 name@example.com".into(),
        );
    }
    let mut contact = format!("电话 {phone}");
    if !email.is_empty() {
        contact.push_str(&format!("；邮箱 {email}"));
    }
    let address = fields("address");
    if !address.is_empty() {
        contact.push_str(&format!("；地址 {address}"));
    }
    let (kind, id) = (kind?, id?);
    match Applicant::new(kind, &fields("name"), Some(id), &contact) {
        Ok(applicant) => Some(applicant),
        Err(e) => {
            let key = match &e {
                DomainError::Invalid { field, .. } if field == "申请人" => "name",
                _ => "id_type",
            };
            errors.errors.insert(key.into(), message_of(&e));
            None
        }
    }
}

fn message_of(e: &DomainError) -> String {
    match e {
        DomainError::Invalid { field, message } => format!("{field}：{message}"),
        other => other.to_string(),
    }
}
