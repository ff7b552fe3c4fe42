//! 政务公开工作要点 (issue #18, item 5): the supervising agency sets a task for those below, the
//! street reports what it did with its publications as evidence, and the supervisor sees it.

use axum::http::StatusCode;
use gongkai_domain::store::prelude::*;

use crate::support::Harness;

#[tokio::test]
async fn a_task_set_above_is_reported_below_with_its_evidence() {
    let h = Harness::fixture().await;
    let mut supervisor = h.login("supervisor").await;
    let csrf = supervisor.csrf().await;
    let set = |due: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("year", "2026".to_string()),
            ("title", "梳理更新主动公开基本目录".to_string()),
            ("detail", "6月底前完成。".to_string()),
            ("due", due.to_string()),
        ]
    };
    let wrong = set("2027-01-15");
    let wrong: Vec<(&str, &str)> = wrong.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = supervisor.post_form("/staff/work-plan/tasks", &wrong).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("应在要点所属的年度内"));
    let right = set("2026-06-30");
    let right: Vec<(&str, &str)> = right.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let made = supervisor.post_form("/staff/work-plan/tasks", &right).await;
    assert_eq!(
        made.status,
        StatusCode::SEE_OTHER,
        "{}",
        made.text_snippet()
    );
    // A clerk cannot set tasks.
    let mut clerk = h.login("clerk").await;
    let clerk_csrf = clerk.csrf().await;
    let mut as_clerk = right.clone();
    as_clerk[0] = ("csrf", clerk_csrf.as_str());
    assert_eq!(
        clerk
            .post_form("/staff/work-plan/tasks", &as_clerk)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // The street sees it and reports, citing one of its public items.
    let page = clerk.get("/staff/work-plan?year=2026").await;
    assert!(page.body.contains("梳理更新主动公开基本目录"));
    assert!(page.body.contains("未报告，已超时限"));
    let public = h.app.store.public_publications(&h.agency()).await.unwrap();
    let cited = public[0].id.to_string();
    let draft = h
        .app
        .store
        .publications(&h.agency())
        .await
        .unwrap()
        .into_iter()
        .find(|p| !p.is_public())
        .unwrap()
        .id
        .to_string();
    let setter = page.between("name=\"setter\" value=\"", "\"");
    let task = page.between("name=\"task\" value=\"", "\"");
    let report = |evidence: &str| -> Vec<(String, String)> {
        [
            ("csrf", clerk_csrf.as_str()),
            ("setter", setter.as_str()),
            ("task", task.as_str()),
            ("text", "已对照上级目录完成更新。"),
            ("done_on", "2026-06-20"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .chain([(format!("evidence_{evidence}"), "yes".to_string())])
        .collect()
    };
    let hidden = report(&draft);
    let hidden: Vec<(&str, &str)> = hidden
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let refused = clerk.post_form("/staff/work-plan/report", &hidden).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a draft is no evidence"
    );
    let good = report(&cited);
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let reported = clerk.post_form("/staff/work-plan/report", &good).await;
    assert_eq!(
        reported.status,
        StatusCode::SEE_OTHER,
        "{}",
        reported.text_snippet()
    );
    // The supervisor follows it: done in time, with the evidence linked.
    let followed = supervisor.get("/staff/work-plan?year=2026").await;
    let section = followed.between("本机关部署的任务", "部署任务</h3>");
    assert!(section.contains("已完成"), "{section}");
    assert!(
        section.contains(&format!("/agencies/street/publications/{cited}")),
        "{section}"
    );
    // The public reads the district's 工作要点 with how many agencies have done each task.
    let mut visitor = h.client();
    let district = h.app.agency(&h.agency()).await.unwrap().parent.unwrap();
    let public = visitor
        .get(&format!("/agencies/{district}/work-plan?year=2026"))
        .await;
    let tasks = public.between("id=\"public-tasks\"", "</ol>");
    assert!(
        tasks.contains("梳理更新主动公开基本目录") && tasks.contains("已完成1个"),
        "{tasks}"
    );
}
