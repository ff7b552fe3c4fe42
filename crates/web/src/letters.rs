//! Letters in the web: issued when the action that needs them is taken, downloaded as HTML,
//! DOCX or (with the "pdf" feature) PDF.

use axum::{
    http::header,
    response::{IntoResponse, Response},
};
use gongkai_domain::{
    Action, Agency, Application,
    letters::{self, LetterKind},
    store::{IssuedLetter, LetterToIssue, Store},
};
use gongkai_report::render::letter;

use crate::{app::App, error::WebError};

#[cfg(feature = "pdf")]
pub const FORMATS: [(&str, &str); 3] = [("pdf", "PDF"), ("docx", "Word"), ("html", "网页")];
#[cfg(not(feature = "pdf"))]
pub const FORMATS: [(&str, &str); 2] = [("docx", "Word"), ("html", "网页")];

/// The letter an action sends, if any.
pub fn letter_for(action: &Action) -> Option<LetterKind> {
    Some(match action {
        Action::Register { .. } => LetterKind::Receipt,
        Action::RequestSupplement { .. } => LetterKind::SupplementNotice,
        Action::Extend { .. } => LetterKind::ExtensionNotice,
        Action::StartConsultation { .. } => LetterKind::ConsultationLetter,
        Action::SendFeeNotice { .. } => LetterKind::FeeNotice,
        Action::ApproveAnswer { .. } | Action::AnswerOnTheSpot { .. } => LetterKind::Answer,
        Action::AskForReasons { .. } => LetterKind::ReasonsNotice,
        Action::SetReasonableDeadline { .. } => LetterKind::DelayNotice,
        _ => return None,
    })
}

/// Composes, numbers and records a letter. Without a letter prefix the agency cannot number
/// letters: the caller learns why.
pub async fn issue<S: Store>(
    app: &App<S>,
    agency: &Agency,
    application: &Application,
    kind: LetterKind,
) -> Result<IssuedLetter, WebError> {
    if agency.settings.letter_prefix.trim().is_empty() {
        return Err(WebError::Conflict(
            "尚未设置文书编号字头，文书未出具：请管理员在“用户与机关”中填写".into(),
        ));
    }
    let today = app.today();
    let document = letters::compose(kind, application, agency, &app.calendar(), today)?;
    let issued = app
        .store
        .issue_letter(
            LetterToIssue {
                agency: &agency.code,
                application: &application.number,
                kind,
                prefix: &agency.settings.letter_prefix,
                issued_on: today,
                document: &document,
            },
            &app.stamp("system"),
        )
        .await?;
    Ok(issued)
}

pub fn download(issued: &IssuedLetter, format: &str) -> Result<Response, WebError> {
    let base = format!("{}-{}", issued.kind.code(), issued.issued_on);
    download_document(&issued.document, &base, format)
}

/// A letter document as a download named `base` (ASCII) in `format`.
pub fn download_document(
    document: &letter::LetterDocument,
    base: &str,
    format: &str,
) -> Result<Response, WebError> {
    let (bytes, media, ext) = match format {
        "html" => (
            letter::html(document).into_bytes(),
            "text/html; charset=utf-8",
            "html",
        ),
        "docx" => (
            letter::docx(document).map_err(|e| WebError::Internal(e.to_string()))?,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        #[cfg(feature = "pdf")]
        "pdf" => (
            gongkai_report_pdf::render_letter(document)
                .map_err(|e| WebError::Internal(e.to_string()))?,
            "application/pdf",
            "pdf",
        ),
        other => {
            return Err(WebError::BadRequest(format!(
                "不支持的格式「{other}」：可选 {}",
                FORMATS.map(|(c, _)| c).join("、"),
                other = gongkai_law::excerpt(other)
            )));
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, media.to_string()),
            (
                header::CONTENT_DISPOSITION,
                // The web page opens in the browser; Word and PDF are saved.
                format!(
                    "{}; filename=\"{base}.{ext}\"",
                    if ext == "html" {
                        "inline"
                    } else {
                        "attachment"
                    }
                ),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}
