//! Issue #14: uploads are counted as they stream. A 190 MB file used to be read whole before
//! the 20 MB limit was checked; now the server stops reading just past the limit.

use std::{
    convert::Infallible,
    pin::Pin,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    task::{Context, Poll},
};

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use bytes::Bytes;
use http_body::Frame;

use crate::support::Harness;

/// A multipart body that makes its file's bytes only as the server asks for them.
struct Streamed {
    head: Option<Bytes>,
    file_left: u64,
    tail: Option<Bytes>,
    pulled: Arc<AtomicU64>,
}

impl http_body::Body for Streamed {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if let Some(head) = self.head.take() {
            return Poll::Ready(Some(Ok(Frame::data(head))));
        }
        if self.file_left > 0 {
            let n = self.file_left.min(64 * 1024);
            self.file_left -= n;
            self.pulled.fetch_add(n, Ordering::Relaxed);
            let mut chunk = vec![b'a'; n as usize];
            chunk[..4].copy_from_slice(b"%PDF");
            return Poll::Ready(Some(Ok(Frame::data(Bytes::from(chunk)))));
        }
        Poll::Ready(self.tail.take().map(|t| Ok(Frame::data(t))))
    }
}

#[tokio::test]
async fn a_huge_file_is_refused_after_the_limit_not_after_the_file() {
    let h = Harness::fixture().await;
    let mut public = h.client();
    let csrf = public.csrf().await;
    let boundary = "----gongkai-stream";
    let mut head = String::new();
    for (k, v) in h.valid_application(&csrf) {
        head.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        ));
    }
    head.push_str(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"大文件.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"));
    let pulled = Arc::new(AtomicU64::new(0));
    let body = Streamed {
        head: Some(Bytes::from(head)),
        file_left: 190 * 1024 * 1024,
        tail: Some(Bytes::from(format!("\r\n--{boundary}--\r\n"))),
        pulled: pulled.clone(),
    };
    let request = Request::post("/agencies/street/apply")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::new(body))
        .unwrap();
    let r = public.send(request).await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        r.text_snippet()
    );
    assert!(r.body.contains("附件过大"), "{}", r.text_snippet());
    let read = pulled.load(Ordering::Relaxed);
    assert!(
        read < 21 * 1024 * 1024,
        "the server read {} MB of a 190 MB file",
        read / 1024 / 1024
    );
}
