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

/// A task set by mistake is corrected, or withdrawn with its reason: the agencies below no
/// longer see it, the portal no longer lists it, nobody reports on it; only the setter may.
#[tokio::test]
async fn a_task_is_corrected_then_withdrawn_by_its_setter() {
    let h = Harness::fixture().await;
    let mut supervisor = h.login("supervisor").await;
    let csrf = supervisor.csrf().await;
    let task = |title: &'static str, due: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("year", "2026".to_string()),
            ("title", title.to_string()),
            ("detail", String::new()),
            ("due", due.to_string()),
        ]
    };
    let fields = task("建立政务公开专区", "2026-12-31");
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let made = supervisor
        .post_form("/staff/work-plan/tasks", &fields)
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER);
    let page = supervisor.get("/staff/work-plan?year=2026").await;
    let id = page
        .between("action=\"/staff/work-plan/tasks/edit\"", "</form>")
        .split("name=\"id\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("an edit form per task")
        .to_string();

    // Corrected: its title and deadline; the street sees the new words.
    let mut corrected = task("建设政务公开专区并投入使用", "2026-12-20");
    corrected.push(("id", id.clone()));
    let corrected: Vec<(&str, &str)> = corrected.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut clerk = h.login("clerk").await;
    let clerk_csrf = clerk.csrf().await;
    let mut as_clerk = corrected.clone();
    as_clerk[0] = ("csrf", clerk_csrf.as_str());
    let refused = clerk
        .post_form("/staff/work-plan/tasks/edit", &as_clerk)
        .await;
    assert_eq!(
        refused.status,
        StatusCode::NOT_FOUND,
        "not a task of the street's"
    );
    let edited = supervisor
        .post_form("/staff/work-plan/tasks/edit", &corrected)
        .await;
    assert_eq!(
        edited.status,
        StatusCode::SEE_OTHER,
        "{}",
        edited.text_snippet()
    );
    let street = clerk.get("/staff/work-plan?year=2026").await;
    assert!(street.body.contains("建设政务公开专区并投入使用"));
    assert!(street.body.contains("2026年12月20日"));
    let mut visitor = h.client();
    let portal = visitor.get("/agencies/district/work-plan?year=2026").await;
    assert!(portal.body.contains("建设政务公开专区并投入使用"));

    // Withdrawn: a reason is needed; then gone from the street's list and the portal.
    let withdraw = |reason: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("id", id.clone()),
            ("year", "2026".to_string()),
            ("reason", reason.to_string()),
        ]
    };
    let blank = withdraw(" ");
    let blank: Vec<(&str, &str)> = blank.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let no_reason = supervisor
        .post_form("/staff/work-plan/tasks/withdraw", &blank)
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    let given = withdraw("与区级年度重点任务重复");
    let given: Vec<(&str, &str)> = given.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let withdrawn = supervisor
        .post_form("/staff/work-plan/tasks/withdraw", &given)
        .await;
    assert_eq!(
        withdrawn.status,
        StatusCode::SEE_OTHER,
        "{}",
        withdrawn.text_snippet()
    );
    let own = supervisor.get("/staff/work-plan?year=2026").await;
    let section = own.between(&format!("id=\"set-{id}\""), "</section>");
    assert!(
        section.contains("已撤销") && section.contains("与区级年度重点任务重复"),
        "{section}"
    );
    let street = clerk.get("/staff/work-plan?year=2026").await;
    assert!(!street.body.contains("建设政务公开专区并投入使用"));
    h.app.published.changed();
    let portal = visitor.get("/agencies/district/work-plan?year=2026").await;
    assert!(!portal.body.contains("建设政务公开专区并投入使用"));
    let again = supervisor
        .post_form("/staff/work-plan/tasks/edit", &corrected)
        .await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a withdrawn task stays as it was"
    );
    assert!(again.body.contains("已于"), "{}", again.text_snippet());
}
