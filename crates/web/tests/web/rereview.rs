//! 第十八条 定期评估审查: the information answers withheld, due for review at the agency's
//! interval; a reviewer records the result; what can now be disclosed leaves the queue.

use axum::http::StatusCode;

use crate::support::Harness;

#[tokio::test]
async fn withheld_information_is_reviewed_at_the_agencys_interval() {
    let h = Harness::fixture().await;
    // 2023-0002 and 2023-0003 were answered 部分公开 in 2023: both overdue for review.
    let mut clerk = h.login("clerk").await;
    let page = clerk.get("/staff/rereview").await;
    let table = page.between("id=\"rereview\"", "</table>");
    assert!(
        table.contains("2023-0002") && table.contains("2023-0003") && !table.contains("2023-0001"),
        "{table}"
    );
    assert!(
        table.contains("2024年6月2日") && table.contains("已到期"),
        "{table}"
    );
    assert!(
        table.contains("由审核人审查"),
        "a case officer does not decide it"
    );

    let mut reviewer = h.login("reviewer").await;
    let csrf = reviewer.csrf().await;
    let post = |number: &'static str, result: &'static str, note: &'static str| {
        vec![
            ("application", number),
            ("result", result),
            ("date", "2026-11-27"),
            ("note", note),
        ]
    };
    for (fields, status) in [
        (
            post("2023-0002", "now_disclosable", ""),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            post("2023-0001", "still_withheld", "x"),
            StatusCode::CONFLICT,
        ),
        (
            post(
                "2023-0002",
                "now_disclosable",
                "项目已完工验收，相关信息可以公开",
            ),
            StatusCode::SEE_OTHER,
        ),
        (
            post("2023-0003", "still_withheld", "仍涉及第三方商业秘密"),
            StatusCode::SEE_OTHER,
        ),
    ] {
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend(fields);
        let r = reviewer.post_form("/staff/rereview", &all).await;
        assert_eq!(r.status, status, "{all:?}: {}", r.text_snippet());
    }
    let page = reviewer.get("/staff/rereview").await;
    let table = page.between("id=\"rereview\"", "</table>");
    assert!(!table.contains("2023-0002"), "{table}");
    assert!(
        table.contains("2027年11月27日") && table.contains("仍不宜公开"),
        "{table}"
    );
    assert!(
        page.between("id=\"disclosable\"", "</ul>")
            .contains("2023-0002")
    );
}
