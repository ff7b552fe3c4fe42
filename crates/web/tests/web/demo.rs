//! The demo district: idempotent and alive, one role a user, its 2023 report published and
//! consistent with the seed report.

use axum::http::StatusCode;
use gongkai_domain::{Role, User, store::prelude::*};
use gongkai_report::Status;

use crate::support::Harness;

#[tokio::test]
async fn the_demo_is_idempotent_and_alive() {
    let h = Harness::demo().await;
    assert!(
        !gongkai_demo::seed(&h.app).await.unwrap(),
        "a second run adds nothing"
    );
    let apps = h.app.store.applications(&h.agency()).await.unwrap();
    for state in [
        "pending",
        "registered",
        "awaiting_supplement",
        "in_progress",
        "under_review",
        "answered",
        "delivered",
        "archived",
    ] {
        assert!(
            apps.iter().any(|a| a.state.code() == state),
            "no case in {state}"
        );
    }
    let mut clerk = h.login("clerk").await;
    let queue = clerk.get("/staff").await.body;
    assert!(queue.contains("class=\"overdue\""), "some overdue");
    assert!(
        queue.contains("class=\"soon\""),
        "some due within 3 working days"
    );
    assert!(apps.iter().any(|a| {
        a.clock
            .iter()
            .any(|e| e.kind.code() == "consultation_started")
    }));
    assert!(
        apps.iter()
            .any(|a| a.clock.iter().any(|e| e.kind.code() == "extended"))
    );
    // The district published a 考核 of the agencies below, the street ranked in it.
    let mut visitor = h.client();
    let results = visitor.get("/agencies/demo-district/assessment").await;
    let list = results.between("id=\"public-results\"", "</ul>");
    let href = list
        .split("href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("one result published: {list}"))
        .to_string();
    let result = visitor.get(&href).await;
    assert_eq!(result.status, StatusCode::OK, "{href}");
    assert!(
        result
            .between("id=\"ranking\"", "</table>")
            .contains("太平街道办事处"),
        "{}",
        result.text_snippet()
    );
}

#[tokio::test]
async fn every_user_has_one_role_in_the_demo() {
    let h = Harness::demo().await;
    let users = h.app.store.users(None).await.unwrap();
    for role in Role::ALL {
        assert!(users.iter().any(|u: &User| u.roles == [role]), "{role:?}");
    }
}

fn seed_table3() -> gongkai_report::model::Table3 {
    gongkai_report::read(include_str!(
        "../../../report/testdata/2023-hedong-taiping.txt"
    ))
    .report
    .table3
}

#[tokio::test]
async fn the_demo_2023_report_is_published_and_passes_every_check() {
    let h = Harness::demo().await;
    let mut c = h.client();
    for path in ["/reports/2023.md", "/agencies/demo/reports/2023.md"] {
        let r = c.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert!(r.header("content-type").starts_with("text/markdown"));
        let assessment = gongkai_report::assess(&r.body, None);
        assert_eq!(
            assessment.status,
            Status::Consistent,
            "{:?}",
            assessment.findings
        );
        assert_eq!(assessment.warnings(), 0, "{:?}", assessment.findings);
        assert_eq!(assessment.report().table3, seed_table3());
        assert!(
            assessment
                .report()
                .meta
                .index_number
                .as_deref()
                .is_some_and(|i| i.starts_with("sl-tp/")),
            "the 索引号 the review chain gave it"
        );
    }
    let page = c.get("/reports/2023").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("sl-tp/") && page.body.contains("id=\"table3\""));
    let list = c.get("/agencies/demo/reports").await;
    assert!(list.body.contains("href=\"/agencies/demo/reports/2023\""));
    for (ext, kind) in [
        ("docx", "wordprocessingml"),
        ("xlsx", "spreadsheetml"),
        ("html", "text/html"),
        ("json", "application/json"),
    ] {
        let r = c.get(&format!("/reports/2023.{ext}")).await;
        assert_eq!(r.status, StatusCode::OK, "{ext}");
        assert!(r.header("content-type").contains(kind), "{ext}");
        if ext == "docx" || ext == "xlsx" {
            assert!(r.bytes.starts_with(b"PK"), "{ext} is a zip package");
        }
    }
    let json = c.get("/reports/2023.json").await.body;
    assert_eq!(
        gongkai_report::json::from_json(&json).unwrap().table3,
        seed_table3()
    );
    for missing in ["/reports/2022", "/reports/2023.exe", "/reports/abc"] {
        assert_eq!(
            c.get(missing).await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
}

/// The demo's current year drafted from its records (#18): section 一 states the year's 政策解读
/// 公众参与 and 工作要点 in its own words, and the checks pass.
#[tokio::test]
async fn the_demo_current_year_report_states_its_interpretations() {
    let h = Harness::demo().await;
    let agency = h.app.agency(&h.agency()).await.unwrap();
    let year = h.app.today().year();
    let assembled =
        gongkai_web::usecases::annual::assemble(&h.app, &agency, year, &Default::default())
            .await
            .unwrap();
    let overview = assembled
        .report
        .sections
        .iter()
        .find(|s| s.kind == gongkai_report::model::SectionKind::Overview)
        .unwrap()
        .paragraphs
        .join("\n");
    assert!(
        overview.contains("发布政策解读2篇（其中") && overview.contains("1件尚未解读"),
        "{overview}"
    );
    // 公众参与 per channel: the 主任信箱's late reply and the letter that became an application.
    assert!(
        overview.contains(
            "领导信箱4份，已回复2份（其中1份晚于本机关规定的回复期限），1份转为政府信息公开申请办理"
        ) && overview.contains("12345热线转办2份，已回复2份"),
        "{overview}"
    );
    // 工作要点: set by the district, carried out by the street (section 六, and 五 for the open one).
    let other = assembled
        .report
        .sections
        .iter()
        .find(|s| s.kind == gongkai_report::model::SectionKind::Other)
        .unwrap()
        .paragraphs
        .join("\n");
    assert!(
        other.contains("工作要点任务3项，已完成2项（其中1项晚于完成时限），1项尚在推进"),
        "{other}"
    );
    let problems = assembled
        .report
        .sections
        .iter()
        .find(|s| s.kind == gongkai_report::model::SectionKind::Problems)
        .unwrap()
        .paragraphs
        .join("\n");
    assert!(
        problems.contains("“建设政务公开专区”等1项任务"),
        "{problems}"
    );
    let errors: Vec<_> = assembled
        .findings
        .iter()
        .filter(|f| f.severity == gongkai_report::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}
