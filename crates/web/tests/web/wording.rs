//! 界面用语: what people read on the back office's and the portal's pages is Chinese — no
//! login name, role code, agency code or internal English word (format names such as PDF,
//! Word and Excel are fine).

use axum::http::StatusCode;

use crate::support::Harness;

/// The text a reader sees: tags, scripts, styles and attribute values left out, entities
/// read as the characters they stand for.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        out.push(' ');
        rest = &rest[open..];
        let lower = rest.get(..8).unwrap_or("").to_ascii_lowercase();
        for skipped in ["<style", "<script", "<title"] {
            if lower.starts_with(skipped) {
                let end = format!("</{}", &skipped[1..]);
                rest = rest.find(&end).map_or("", |at| &rest[at..]);
            }
        }
        rest = rest.find('>').map_or("", |at| &rest[at + 1..]);
    }
    out.push_str(rest);
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// Words that are ours, not the reader's: login names of the fixture, role and agency codes,
/// field names.
const INTERNAL: [&str; 12] = [
    "clerk",
    "reviewer",
    "supervisor",
    "secrecy",
    "admin",
    "applicant",
    "street",
    "district",
    "case_officer",
    "natural_person",
    "in_review",
    "None",
];

pub fn internal_words(text: &str) -> Vec<&'static str> {
    let lower = text.to_ascii_lowercase();
    INTERNAL
        .iter()
        .copied()
        .filter(|w| {
            // As a word: not inside a longer Latin word or an address.
            lower.match_indices(&w.to_ascii_lowercase()).any(|(at, m)| {
                let before = lower[..at].chars().next_back();
                let after = lower[at + m.len()..].chars().next();
                let latin = |c: Option<char>| {
                    c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '/' || c == '.')
                };
                !latin(before) && !latin(after)
            })
        })
        .collect()
}

#[tokio::test]
async fn staff_and_public_pages_speak_only_chinese() {
    let h = Harness::fixture().await;
    let mut problems = Vec::new();
    let mut public = h.client();
    for path in [
        "/",
        "/agencies/street",
        "/agencies/street/guide",
        "/agencies/street/apply",
        "/agencies/street/status",
        "/agencies/street/publications",
        "/agencies/street/reports",
        "/agencies/street/participation",
        "/agencies/district/work-plan",
        "/agencies/district/assessment",
        "/search?q=公开",
        "/kiosk/street",
        "/kiosk/street/apply",
        "/kiosk/street/search",
        "/kiosk/street/gazette",
        "/kiosk/street/contact",
    ] {
        let r = public.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        let found = internal_words(&visible_text(&r.body));
        if !found.is_empty() {
            problems.push(format!("public {path}: {found:?}"));
        }
    }
    // A published report speaks as the agency, not as the product.
    let report = public.get("/agencies/street/reports/2023").await;
    assert_eq!(report.status, StatusCode::OK);
    for wording in ["本系统", "不可跳过"] {
        if visible_text(&report.body).contains(wording) {
            let text = visible_text(&report.body);
            let at = text.find(wording).unwrap_or(0);
            let from = text[..at]
                .char_indices()
                .rev()
                .nth(30)
                .map_or(0, |(i, _)| i);
            let context: String = text[from..].chars().take(60).collect();
            problems.push(format!("published report: {wording} in “{context}”"));
        }
    }
    for user in [
        "clerk",
        "reviewer",
        "head",
        "secrecy",
        "admin",
        "supervisor",
    ] {
        let mut c = h.login(user).await;
        for path in crate::security::STAFF_PAGES {
            // 用户与机关 manages the accounts: it shows their login names, and only there.
            if path == "/staff/admin" {
                continue;
            }
            let r = c.get(path).await;
            if r.status != StatusCode::OK {
                continue;
            }
            let found = internal_words(&visible_text(&r.body));
            if !found.is_empty() {
                problems.push(format!("{user} {path}: {found:?}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_check_sees_what_a_reader_sees() {
    let html = "<style>.clerk{}</style><p title=\"applicant\">经办人 <a href=\"/agencies/street\">城关镇</a></p><p>clerk</p>";
    let text = visible_text(html);
    assert!(!text.contains("applicant") && !text.contains("street"));
    assert_eq!(internal_words(&text), vec!["clerk"]);
    assert!(internal_words("www.street.gov.cn 与 /agencies/street").is_empty());
}
