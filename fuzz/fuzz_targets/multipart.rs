//! Any bytes as the body of a multipart form (boundary `gkfuzz`) through the server's own
//! reader — one chunk a poll, files counted as they stream, the process's upload budget — and
//! the file checks that follow: refused or read, never a panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
});

fuzz_target!(|data: &[u8]| {
    let request = axum::http::Request::builder()
        .method("POST")
        .uri("/apply")
        .header("content-type", "multipart/form-data; boundary=gkfuzz")
        .body(axum::body::Body::from(data.to_vec()))
        .expect("a request");
    RUNTIME.block_on(async {
        if let Ok(submitted) = gongkai_web::uploads::read_any(request).await {
            let _ = gongkai_web::uploads::checked(&submitted.files);
        }
    });
});
