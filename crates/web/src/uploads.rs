//! Multipart forms with files: fields, files checked by their extension and first bytes,
//! kept in the store under their sha256.

use std::collections::BTreeMap;

use axum::extract::Multipart;
use gongkai_domain::{
    Attachment,
    application::{ATTACHMENT_MAX_BYTES, ATTACHMENT_MAX_COUNT},
    store::Store,
};
use sha2::{Digest, Sha256};

use crate::error::WebError;

pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

#[derive(Default)]
pub struct Submitted {
    pub fields: BTreeMap<String, String>,
    pub files: Vec<Upload>,
}

impl Submitted {
    pub fn get(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", |v| v.trim())
    }
}

/// Reads a multipart form; file inputs named `files`. Empty file inputs are skipped.
pub async fn read(mut multipart: Multipart) -> Result<Submitted, WebError> {
    let mut out = Submitted::default();
    let too_big = || {
        WebError::field(
            "files",
            format!(
                "附件过大：每个文件不超过{}MB，最多{}个",
                ATTACHMENT_MAX_BYTES / 1024 / 1024,
                ATTACHMENT_MAX_COUNT
            ),
        )
    };
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| WebError::BadRequest(format!("表单无法读取：{e}")))?
    {
        let name = field.name().unwrap_or_default().to_string();
        if let Some(file_name) = field.file_name().map(str::to_string) {
            let bytes = field.bytes().await.map_err(|_| too_big())?;
            if file_name.is_empty() && bytes.is_empty() {
                continue;
            }
            if out.files.len() >= ATTACHMENT_MAX_COUNT {
                return Err(too_big());
            }
            out.files.push(Upload {
                name: file_name,
                bytes: bytes.to_vec(),
            });
        } else {
            let text = field
                .text()
                .await
                .map_err(|e| WebError::BadRequest(format!("表单无法读取：{e}")))?;
            if text.len() > 64 * 1024 {
                return Err(WebError::field(&name, "内容过长（不超过64KB）"));
            }
            out.fields.insert(name, text);
        }
    }
    Ok(out)
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
        let form = Multipart::from_request(request, &())
            .await
            .map_err(|e| WebError::BadRequest(format!("表单无法读取：{e}")))?;
        return read(form).await;
    }
    let axum::Form(fields) = axum::Form::<BTreeMap<String, String>>::from_request(request, &())
        .await
        .map_err(|e| WebError::BadRequest(format!("表单无法读取：{e}")))?;
    Ok(Submitted {
        fields,
        files: Vec::new(),
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

/// Checks each file and keeps its bytes; returns the metadata the application records.
pub async fn keep<S: Store>(store: &S, files: &[Upload]) -> Result<Vec<Attachment>, WebError> {
    let mut out = Vec::new();
    for file in files {
        let kind = media_type(&file.name, &file.bytes).ok_or_else(|| {
            WebError::field(
                "files",
                format!(
                    "「{}」不是可接受的文件：请上传 PDF、JPG、PNG、Word、Excel 或文本文件（扩展名须与内容一致）",
                    file.name
                ),
            )
        })?;
        let sha = sha256_hex(&file.bytes);
        let attachment = Attachment::new(&file.name, kind, file.bytes.len() as u64, &sha).map_err(
            |e| match e {
                gongkai_domain::DomainError::Invalid { message, .. } => {
                    WebError::field("files", message)
                }
                other => other.into(),
            },
        )?;
        store.put_attachment(&sha, &file.bytes).await?;
        out.push(attachment);
    }
    Ok(out)
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
