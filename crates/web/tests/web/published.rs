//! Published pages kept as rendered (issue #15): the same bytes under a strong ETag until the
//! database changes, compressed once, the security headers still on, and never a page that
//! carries a visitor's own token.

use std::io::Read;

use axum::{
    body::Body,
    http::{Request, StatusCode},
};
use gongkai_domain::store::prelude::*;

use crate::support::{Client, Harness, Reply};

async fn get_with(client: &mut Client, path: &str, headers: &[(&str, &str)]) -> Reply {
    let mut request = Request::get(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    client.send(request.body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn a_published_page_is_rendered_once_and_revalidated() {
    let h = Harness::demo().await;
    let mut public = h.client();
    let first = public.get("/reports/2023").await;
    assert_eq!(first.status, StatusCode::OK);
    let etag = first.header("etag");
    assert!(etag.starts_with('"') && etag.len() == 34, "{etag}");
    assert_eq!(first.header("cache-control"), "no-cache");
    assert!(
        first.header("set-cookie").is_empty(),
        "the same page for everyone carries nobody's cookie"
    );
    assert!(!first.header("last-modified").is_empty());
    assert!(
        first
            .header("content-security-policy")
            .contains("default-src"),
        "the security headers go on kept pages too"
    );
    let again = public.get("/reports/2023").await;
    assert_eq!(
        (again.header("etag"), &again.bytes),
        (etag.clone(), &first.bytes)
    );
    let unchanged = get_with(&mut public, "/reports/2023", &[("if-none-match", &etag)]).await;
    assert_eq!(unchanged.status, StatusCode::NOT_MODIFIED);
    assert!(unchanged.bytes.is_empty());
    assert_eq!(unchanged.header("etag"), etag);
    let other = get_with(&mut public, "/reports/2023", &[("if-none-match", "\"0\"")]).await;
    assert_eq!(other.status, StatusCode::OK);

    // Compressed once, each decoding to the same page.
    let br = get_with(
        &mut public,
        "/reports/2023",
        &[("accept-encoding", "gzip, br")],
    )
    .await;
    assert_eq!(br.header("content-encoding"), "br");
    assert_eq!(br.header("vary"), "accept-encoding");
    let mut decoded = Vec::new();
    brotli::Decompressor::new(br.bytes.as_slice(), 4096)
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(decoded, first.bytes);
    assert!(br.bytes.len() * 3 < first.bytes.len(), "worth it");
    let gz = get_with(
        &mut public,
        "/reports/2023",
        &[("accept-encoding", "br;q=0, gzip")],
    )
    .await;
    assert_eq!(gz.header("content-encoding"), "gzip");
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(gz.bytes.as_slice())
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(decoded, first.bytes);

    // The heavy downloads were typeset when the report was published (the demo approves it
    // through the review chain); a download is then a lookup.
    let typeset = h.app.report_files.kept();
    assert!(typeset >= 2, "docx and xlsx typeset ahead: {typeset}");
    let docx = public.get("/reports/2023.docx").await;
    assert_eq!(docx.status, StatusCode::OK);
    assert!(docx.bytes.starts_with(b"PK"));
    let docx_again = public.get("/reports/2023.docx").await;
    assert_eq!(docx_again.header("etag"), docx.header("etag"));
    assert!(
        docx_again
            .header("content-disposition")
            .contains("report-demo-2023")
    );
    assert_eq!(h.app.report_files.kept(), typeset, "nothing typeset again");
}

#[tokio::test]
async fn a_page_with_a_visitors_token_is_never_kept() {
    let h = Harness::demo().await;
    let token_of = |reply: &Reply| reply.between("name=\"csrf\" value=\"", "\"");
    let one = h.client().get("/agencies/demo/apply").await;
    let two = h.client().get("/agencies/demo/apply").await;
    assert_ne!(token_of(&one), token_of(&two));
    assert!(one.header("etag").is_empty());
    // Not found is answered each time, never kept.
    let missing = h.client().get("/agencies/demo/publications/99999").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.header("etag").is_empty());
}

#[tokio::test]
async fn a_change_made_elsewhere_shows_within_a_second() {
    let h = Harness::demo().await;
    let mut public = h.client();
    let before = public.get("/agencies/demo/guide").await;
    assert!(!before.body.contains("另一台服务器改的地址"));
    // Another server (or the command line) changes the agency: this one learns of it from the
    // audit head, read again after a second.
    let mut agency = h.app.store.agency(&h.agency()).await.unwrap().unwrap();
    agency.settings.office.address = "另一台服务器改的地址".into();
    h.app
        .store
        .update_agency(&agency, &h.app.stamp("admin"))
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let after = public.get("/agencies/demo/guide").await;
    assert!(after.body.contains("另一台服务器改的地址"));
    assert_ne!(after.header("etag"), before.header("etag"));
}

/// A kept page counts against the shelf once, when it is kept, however often it is served:
/// pages asked for later are kept too (they were not once a popular page had been served
/// 96 MB worth — found by the province benchmark).
#[tokio::test]
async fn serving_a_kept_page_does_not_fill_the_shelf() {
    let h = Harness::demo().await;
    let mut public = h.client();
    let first = public.get("/").await;
    assert_eq!(first.status, StatusCode::OK);
    let held = h.app.published.kept_bytes();
    assert!(held > 0);
    for _ in 0..50 {
        assert_eq!(public.get("/").await.status, StatusCode::OK);
    }
    assert_eq!(
        h.app.published.kept_bytes(),
        held,
        "served, not counted again"
    );
    let later = public.get("/agencies/demo").await;
    assert!(later.header("set-cookie").is_empty() && !later.header("etag").is_empty());
    assert!(h.app.published.kept_bytes() > held);
}
