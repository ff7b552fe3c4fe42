//! Multipart forms with files: fields, files checked by their extension and first bytes,
//! kept in the store under their sha256.

use std::{collections::BTreeMap, sync::Arc};

use axum::extract::Multipart;
use gongkai_domain::{
    Attachment,
    application::{ATTACHMENT_MAX_BYTES, ATTACHMENT_MAX_COUNT},
    store::Store,
};
use sha2::{Digest, Sha256};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::WebError;

pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What one multipart form may carry.
#[derive(Debug, Clone, Copy)]
pub struct UploadLimits {
    pub max_files: usize,
    pub max_file_bytes: u64,
    /// All files of the form together.
    pub max_total_bytes: u64,
}

impl UploadLimits {
    /// An application's or a publication's attachments.
    pub const ATTACHMENTS: Self = Self {
        max_files: ATTACHMENT_MAX_COUNT,
        max_file_bytes: ATTACHMENT_MAX_BYTES,
        max_total_bytes: 60 * 1024 * 1024,
    };
    /// A batch of subordinate agencies' reports (text files, many).
    pub const REPORT_BATCH: Self = Self {
        max_files: 2000,
        max_file_bytes: 5 * 1024 * 1024,
        max_total_bytes: 50 * 1024 * 1024,
    };
}

/// The memory uploads may take in the whole process at once (in KiB). A form reading
/// past it waits for room, then is refused "busy": sixteen clients sending 200 MB each cannot
/// take the server's memory, whatever the per-form limits.
const UPLOAD_BUDGET_KIB: usize = 64 * 1024;
/// How long a form waits for room in the budget before it is refused.
const BUDGET_WAIT: std::time::Duration = std::time::Duration::from_secs(20);
/// A text field of a form.
const MAX_FIELD_BYTES: usize = 64 * 1024;

static UPLOAD_BUDGET: std::sync::LazyLock<Arc<Semaphore>> =
    std::sync::LazyLock::new(|| Arc::new(Semaphore::new(UPLOAD_BUDGET_KIB)));

#[derive(Default)]
pub struct Submitted {
    pub fields: BTreeMap<String, String>,
    pub files: Vec<Upload>,
    /// The share of the upload budget the files hold, given back when the form is dropped.
    held: Option<OwnedSemaphorePermit>,
}

impl Submitted {
    pub fn get(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", |v| v.trim())
    }

    /// The text fields read into a typed form, as if they had been posted urlencoded.
    pub fn fields_as<T: serde::de::DeserializeOwned>(&self) -> Result<T, WebError> {
        let refused =
            |e: &dyn std::fmt::Display| WebError::BadRequest(format!("表单内容不符合要求：{e}"));
        let encoded = serde_urlencoded::to_string(&self.fields).map_err(|e| refused(&e))?;
        serde_urlencoded::from_str(&encoded).map_err(|e| refused(&e))
    }

    /// Takes `bytes` more of the process's upload budget, waiting a while for room.
    async fn hold(&mut self, bytes: usize) -> Result<(), WebError> {
        let kib = u32::try_from(bytes.div_ceil(1024)).unwrap_or(u32::MAX);
        let permit =
            tokio::time::timeout(BUDGET_WAIT, UPLOAD_BUDGET.clone().acquire_many_owned(kib))
                .await
                .map_err(|_| WebError::Busy)?
                .map_err(|_| WebError::Busy)?;
        match &mut self.held {
            Some(held) => held.merge(permit),
            None => self.held = Some(permit),
        }
        Ok(())
    }
}

/// Reads a multipart form; file inputs named `files`. Empty file inputs are skipped. Files are
/// counted as they stream in and refused at the first byte past a limit (the rest is never
/// read); what is kept is charged to the process's upload budget.
pub async fn read(multipart: Multipart) -> Result<Submitted, WebError> {
    read_within(multipart, UploadLimits::ATTACHMENTS).await
}

pub async fn read_within(
    mut multipart: Multipart,
    limits: UploadLimits,
) -> Result<Submitted, WebError> {
    let mut out = Submitted::default();
    let too_big = || {
        WebError::field(
            "files",
            format!(
                "附件过大：每个文件不超过{}MB，合计不超过{}MB，最多{}个",
                limits.max_file_bytes / 1024 / 1024,
                limits.max_total_bytes / 1024 / 1024,
                limits.max_files
            ),
        )
    };
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        WebError::BadRequest(format!(
            "表单无法读取：{}",
            gongkai_sheets::excerpt(&e.body_text())
        ))
    };
    let mut total: u64 = 0;
    while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_string();
        if let Some(file_name) = field.file_name().map(str::to_string) {
            if out.files.len() >= limits.max_files {
                return Err(too_big());
            }
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(|e| {
                if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    too_big()
                } else {
                    unreadable(e)
                }
            })? {
                let size = bytes.len() as u64 + chunk.len() as u64;
                total += chunk.len() as u64;
                if size > limits.max_file_bytes || total > limits.max_total_bytes {
                    return Err(too_big());
                }
                // Charged by what is allocated (capacity), not by what is used: a growing
                // buffer may hold twice its length.
                let needed = bytes.len() + chunk.len();
                if needed > bytes.capacity() {
                    let grown = (bytes.capacity() * 2)
                        .max(needed)
                        .min(limits.max_file_bytes as usize)
                        .max(needed);
                    out.hold(grown - bytes.capacity()).await?;
                    bytes.reserve_exact(grown - bytes.len());
                }
                bytes.extend_from_slice(&chunk);
            }
            if file_name.is_empty() && bytes.is_empty() {
                continue;
            }
            out.files.push(Upload {
                name: file_name,
                bytes,
            });
        } else {
            let mut text = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                if text.len() + chunk.len() > MAX_FIELD_BYTES {
                    return Err(WebError::field(&name, "内容过长（不超过64KB）"));
                }
                text.extend_from_slice(&chunk);
            }
            let text = String::from_utf8(text)
                .map_err(|_| WebError::field(&name, "内容不是有效的 UTF-8 文本"))?;
            out.fields.insert(name, text);
        }
    }
    Ok(out)
}

/// A request body that hands over one chunk per poll. multer (under axum's `Multipart`) pulls
/// every chunk that is ready into its own buffer before the form sees any; from a fast client
/// that is the whole upload, whatever our limits. Yielding between chunks lets the limits act
/// on each chunk as it arrives.
struct OneChunkAtATime {
    inner: axum::body::Body,
    just_gave: bool,
}

impl http_body::Body for OneChunkAtATime {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        if self.just_gave {
            self.just_gave = false;
            cx.waker().wake_by_ref();
            return std::task::Poll::Pending;
        }
        let polled = std::pin::Pin::new(&mut self.inner).poll_frame(cx);
        if matches!(polled, std::task::Poll::Ready(Some(Ok(_)))) {
            self.just_gave = true;
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }
}

/// The multipart form of a request, read chunk by chunk (see [`OneChunkAtATime`]).
pub async fn multipart_of(request: axum::extract::Request) -> Result<Multipart, WebError> {
    use axum::extract::FromRequest;
    let (parts, body) = request.into_parts();
    let body = axum::body::Body::new(OneChunkAtATime {
        inner: body,
        just_gave: false,
    });
    Multipart::from_request(axum::extract::Request::from_parts(parts, body), &())
        .await
        .map_err(|e| WebError::BadRequest(format!("表单无法读取：{e}")))
}

/// A form posted either as multipart (with files) or urlencoded (without).
pub async fn read_any(request: axum::extract::Request) -> Result<Submitted, WebError> {
    use axum::extract::FromRequest;
    let multipart = request
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if multipart {
        return read(multipart_of(request).await?).await;
    }
    let axum::Form(fields) = axum::Form::<BTreeMap<String, String>>::from_request(request, &())
        .await
        .map_err(|e| WebError::BadRequest(format!("表单无法读取：{e}")))?;
    Ok(Submitted {
        fields,
        ..Submitted::default()
    })
}

/// The media type a file's extension claims, if its first bytes agree.
pub fn media_type(name: &str, bytes: &[u8]) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    let zip = bytes.starts_with(b"PK\x03\x04");
    let ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    let (kind, ok) = match ext.as_str() {
        "pdf" => ("application/pdf", bytes.starts_with(b"%PDF-")),
        "jpg" | "jpeg" => ("image/jpeg", bytes.starts_with(&[0xFF, 0xD8, 0xFF])),
        "png" => ("image/png", bytes.starts_with(b"\x89PNG\r\n\x1a\n")),
        "doc" => ("application/msword", ole),
        "docx" => (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            zip,
        ),
        "xls" => ("application/vnd.ms-excel", ole),
        "xlsx" => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            zip,
        ),
        "txt" => ("text/plain", std::str::from_utf8(bytes).is_ok()),
        _ => return None,
    };
    ok.then_some(kind)
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Checks each file (type by extension and first bytes, size); returns the metadata a case or
/// a publication records, with each file's sha256. Nothing is kept yet.
pub fn checked(files: &[Upload]) -> Result<Vec<Attachment>, WebError> {
    files
        .iter()
        .map(|file| {
            let kind = media_type(&file.name, &file.bytes).ok_or_else(|| {
                WebError::field(
                    "files",
                    format!(
                        "「{}」不是可接受的文件：请上传 PDF、JPG、PNG、Word、Excel 或文本文件（扩展名须与内容一致）",
                        gongkai_law::excerpt(&file.name)
                    ),
                )
            })?;
            let sha = sha256_hex(&file.bytes);
            Attachment::new(&file.name, kind, file.bytes.len() as u64, &sha).map_err(|e| match e {
                gongkai_domain::DomainError::Invalid { message, .. } => {
                    WebError::field("files", message)
                }
                other => other.into(),
            })
        })
        .collect()
}

/// Checks each file and keeps its bytes; returns the metadata the item records.
pub async fn keep<S: Store>(store: &S, files: &[Upload]) -> Result<Vec<Attachment>, WebError> {
    let attachments = checked(files)?;
    for (attachment, file) in attachments.iter().zip(files) {
        store
            .put_attachment(&attachment.sha256, &file.bytes)
            .await?;
    }
    Ok(attachments)
}

/// A published report's text (`gongkai_sheets::report_text`: text in UTF-8, GBK or UTF-16,
/// a PDF, Word or Excel file's paragraphs and tables as HTML, a scan read by tesseract), read
/// on a blocking thread.
pub async fn report_text(bytes: Vec<u8>) -> Result<String, String> {
    tokio::task::spawn_blocking(move || {
        let ocr = OneAtATime(gongkai_sheets::ocr::Tesseract::default());
        gongkai_sheets::report_text(&bytes, Some(&ocr)).map_err(|e| e.0)
    })
    .await
    .map_err(|e| format!("读取文件失败：{e}"))?
}

/// OCR on a server: one page at a time, whoever asks (a scan takes seconds of a core a page;
/// several supervisors uploading scans at once must not take every core from the requests).
struct OneAtATime(gongkai_sheets::ocr::Tesseract);

static OCR_TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());

impl gongkai_sheets::ocr::Recognize for OneAtATime {
    fn recognize(
        &self,
        pgm: &[u8],
        pass: gongkai_sheets::ocr::Pass,
    ) -> Result<Vec<gongkai_sheets::ocr::Word>, gongkai_sheets::SheetError> {
        let _turn = OCR_TURN
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        self.0.recognize(pgm, pass)
    }
}

/// The rows of a CSV (UTF-8, with or without BOM, or GBK) or XLSX (first sheet) file, read
/// within `gongkai_sheets`' bounds (a sparse or compressed bomb is refused, not allocated).
/// Read on a blocking thread: a large import does not hold up the requests around it.
pub async fn rows_of(file: Upload) -> Result<Vec<Vec<String>>, String> {
    tokio::task::spawn_blocking(move || {
        gongkai_sheets::read(&file.name, &file.bytes, &gongkai_sheets::Limits::default())
            .map_err(|e| e.0)
    })
    .await
    .map_err(|_| "文件读取中断，请重试".to_string())?
}

/// A kept file as a download (`private`: personal data, never cached).
pub fn download(
    file: &gongkai_domain::Attachment,
    index: usize,
    bytes: Vec<u8>,
    private: bool,
) -> axum::response::Response {
    use axum::{http::header, response::IntoResponse};
    let disposition = format!(
        "attachment; filename=\"attachment-{index}\"; filename*=UTF-8''{}",
        crate::views::urlencode(&file.name)
    );
    let mut response = (
        [
            (header::CONTENT_TYPE, file.media_type.clone()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response();
    if private {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-store"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_must_match_contents() {
        assert_eq!(
            media_type("a.pdf", b"%PDF-1.7 ..."),
            Some("application/pdf")
        );
        assert_eq!(
            media_type("a.PDF", b"%PDF-1.7 ..."),
            Some("application/pdf")
        );
        assert_eq!(media_type("a.pdf", b"MZ\x90\x00"), None);
        assert_eq!(media_type("a.exe", b"MZ\x90\x00"), None);
        assert_eq!(media_type("noext", b"%PDF-"), None);
        assert_eq!(media_type("a.txt", "说明".as_bytes()), Some("text/plain"));
        assert_eq!(media_type("a.txt", &[0xff, 0xfe, 0x00]), None);
        assert_eq!(
            media_type("a.png", b"\x89PNG\r\n\x1a\n...."),
            Some("image/png")
        );
    }
}
