//! 政务公开专区 terminal (issue #18, item 1): its four services, an application with a printed
//! receipt, nothing kept for the next person, no way off the kiosk; a terminal's own server
//! serves the kiosk alone.

use axum::http::StatusCode;
use gongkai_domain::store::prelude::*;

use crate::support::{Harness, Reply};

/// Every link of a kiosk page stays on the kiosk (or is its stylesheet or script).
fn links_stay_on_the_kiosk(page: &Reply) {
    for (at, _) in page.body.match_indices("href=\"") {
        let target = &page.body[at + 6..];
        let target = &target[..target.find('"').unwrap()];
        assert!(
            target.starts_with("/kiosk/street") || target.starts_with("/static/"),
            "a link off the kiosk: {target}"
        );
    }
    assert!(
        !page.body.contains("action=\"/agencies"),
        "a form off the kiosk"
    );
}

#[tokio::test]
async fn the_terminal_offers_its_four_services_and_nothing_else() {
    let h = Harness::fixture().await;
    let mut c = h.client();
    let home = c.get("/kiosk/street").await;
    assert_eq!(home.status, StatusCode::OK);
    for tile in ["政府信息公开申请", "政府信息查询", "政府公报", "咨询"] {
        assert!(home.body.contains(tile), "{tile}");
    }
    // The frame: large type, the idle reset and its script, never kept by the browser.
    assert!(home.body.contains("class=\"kiosk\""));
    assert!(home.body.contains("data-idle=\"8\""));
    assert!(home.body.contains("data-reset=\"/kiosk/street/reset\""));
    assert!(home.body.contains("src=\"/static/kiosk.js\""));
    assert_eq!(home.header("cache-control"), "no-store");
    let script = c.get("/static/kiosk.js").await;
    assert!(script.header("content-type").starts_with("text/javascript"));
    assert!(script.body.contains("location.replace"));
    for path in [
        "/kiosk/street",
        "/kiosk/street/apply",
        "/kiosk/street/search",
        "/kiosk/street/search?q=预算",
        "/kiosk/street/gazette",
        "/kiosk/street/contact",
    ] {
        let page = c.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_eq!(page.header("cache-control"), "no-store", "{path}");
        links_stay_on_the_kiosk(&page);
    }
    assert_eq!(c.get("/kiosk/nowhere").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_catalog_and_search_open_items_on_the_terminal() {
    let h = Harness::fixture().await;
    let mut c = h.client();
    let public = h.app.store.public_publications(&h.agency()).await.unwrap();
    let item = public
        .iter()
        .find(|p| p.draft.title == "城关镇老旧小区改造工作方案")
        .expect("the fixture publishes the plan");
    let list = c.get("/kiosk/street/search").await;
    let address = format!("/kiosk/street/publications/street/{}", item.id);
    assert!(list.body.contains(&address), "{}", list.text_snippet());
    let shown = c.get(&address).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.body.contains(&item.draft.title));
    links_stay_on_the_kiosk(&shown);
    // What the public may not see is not on the terminal either.
    let hidden = h
        .app
        .store
        .publications(&h.agency())
        .await
        .unwrap()
        .into_iter()
        .find(|p| !p.is_public())
        .expect("the fixture has drafts");
    let refused = c
        .get(&format!("/kiosk/street/publications/street/{}", hidden.id))
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    // Words of its title find it.
    let found = c
        .get(&format!(
            "/kiosk/street/search?q={}",
            gongkai_web::views::urlencode("老旧小区")
        ))
        .await;
    assert!(found.body.contains(&address), "{}", found.text_snippet());
}

#[tokio::test]
async fn an_application_at_the_terminal_prints_its_receipt_and_leaves_nothing_behind() {
    let h = Harness::fixture().await;
    let mut c = h.client();
    let form = c.get("/kiosk/street/apply").await;
    assert!(form.body.contains("autocomplete=\"off\""));
    assert!(
        !form.body.contains("type=\"file\""),
        "a terminal has no files"
    );
    let csrf = c.csrf().await;
    let mut fields = h.valid_application(&csrf);
    let token = form.between("name=\"submission\" value=\"", "\"");
    fields.push(("submission", &token));
    // A mistake comes back on the terminal's form.
    let mut wrong = fields.clone();
    wrong.retain(|(k, _)| *k != "confirm");
    let refused = c.post_multipart("/kiosk/street/apply", &wrong, &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("class=\"kiosk\""));
    let sent = c.post_multipart("/kiosk/street/apply", &fields, &[]).await;
    assert_eq!(
        sent.status,
        StatusCode::SEE_OTHER,
        "{}",
        sent.text_snippet()
    );
    assert_eq!(sent.header("location"), "/kiosk/street/receipt");
    let receipt = c.get("/kiosk/street/receipt").await;
    assert_eq!(receipt.status, StatusCode::OK);
    let number = receipt.between("id=\"number\">", "<");
    assert!(receipt.body.contains("id=\"query-code\""));
    assert!(receipt.body.contains("data-print"), "a print button");
    assert!(receipt.body.contains("href=\"/kiosk/street/reset\""));
    let case = h.case(&number).await;
    assert_eq!(case.content, "太平街道2026年老旧小区改造的实施方案");
    // 完成: the receipt and the form token forgotten, the browser told to clear the site.
    let reset = c.get("/kiosk/street/reset").await;
    assert_eq!(reset.status, StatusCode::SEE_OTHER);
    assert_eq!(reset.header("location"), "/kiosk/street");
    assert!(reset.header("clear-site-data").contains("cookies"));
    assert!(c.cookie("gk_receipt").is_none());
    let gone = c.get("/kiosk/street/receipt").await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert!(!gone.body.contains(&number));
    links_stay_on_the_kiosk(&gone);
}

#[tokio::test]
async fn a_terminals_own_server_serves_the_kiosk_alone() {
    let h = Harness::fixture().await;
    let mut t = h.terminal().await;
    let root = t.get("/").await;
    assert_eq!(root.status, StatusCode::SEE_OTHER);
    assert_eq!(root.header("location"), "/kiosk/street");
    assert_eq!(t.get("/kiosk/street").await.status, StatusCode::OK);
    for elsewhere in [
        "/staff/login",
        "/staff",
        "/api/openapi.json",
        "/agencies/street",
        "/search?q=预算",
    ] {
        assert_eq!(
            t.get(elsewhere).await.status,
            StatusCode::NOT_FOUND,
            "{elsewhere}"
        );
    }
    // Only its own agency.
    h.add_outsider(&[]).await;
    assert_eq!(t.get("/kiosk/other").await.status, StatusCode::NOT_FOUND);
}
