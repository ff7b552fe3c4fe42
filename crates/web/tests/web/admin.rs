//! Administration: users, settings, the calendar, the review chain.

use axum::http::StatusCode;

use gongkai_domain::store::prelude::*;

use crate::support::Harness;

#[tokio::test]
async fn administrators_manage_users_settings_and_the_calendar() {
    let h = Harness::fixture().await;
    let mut admin = h.login("admin").await;
    let csrf = admin.csrf().await;
    let r = admin
        .post_form(
            "/staff/admin/users",
            &[
                ("csrf", &csrf),
                ("name", "new-clerk"),
                ("display_name", "新经办"),
                ("role", "case_officer"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("至少10个字符") && r.body.contains("value=\"new-clerk\""));
    let r = admin
        .post_form(
            "/staff/admin/users",
            &[
                ("csrf", &csrf),
                ("name", "new-clerk"),
                ("display_name", "新经办"),
                ("role", "case_officer"),
                ("password", "a-long-password"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    h.login_with("new-clerk", "a-long-password").await;
    let r = admin
        .post_form(
            "/staff/admin/agency",
            &[
                ("csrf", &csrf),
                ("letter_prefix", "示太政公"),
                ("reconsideration_body", "示例区人民政府"),
                ("court", "示例区人民法院"),
                ("address", "新地址8号"),
                ("rf_unavailable_not_held", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let guide = h.client().get("/agencies/street/guide").await.body;
    assert!(guide.contains("新地址8号"));
    // The 补正 period the agency sets is bounded; a wrong one comes back named.
    for bad in ["0", "61", "十五"] {
        let r = admin
            .post_form(
                "/staff/admin/agency",
                &[
                    ("csrf", &csrf),
                    ("letter_prefix", "示太政公"),
                    ("reconsideration_body", "示例区人民政府"),
                    ("court", "示例区人民法院"),
                    ("supplement_period", bad),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(
            r.body.contains("补正期限应为"),
            "{bad}: {}",
            r.text_snippet()
        );
    }
    // The other settings the statute leaves to the agency are bounded too, and kept.
    let long = "账".repeat(301);
    for (name, bad, message) in [
        ("volume_threshold", "0", "提示线"),
        ("review_months", "61", "评估审查周期"),
        ("fee_payment", long.as_str(), "缴费方式不超过300字"),
    ] {
        let r = admin
            .post_form(
                "/staff/admin/agency",
                &[
                    ("csrf", &csrf),
                    ("letter_prefix", "示太政公"),
                    ("reconsideration_body", "示例区人民政府"),
                    ("court", "示例区人民法院"),
                    (name, bad),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(r.body.contains(message), "{name}: {}", r.text_snippet());
    }
    let r = admin
        .post_form(
            "/staff/admin/agency",
            &[
                ("csrf", &csrf),
                ("letter_prefix", "示太政公"),
                ("reconsideration_body", "示例区人民政府"),
                ("court", "示例区人民法院"),
                ("address", "新地址8号"),
                ("rf_unavailable_not_held", "yes"),
                ("volume_threshold", "20"),
                ("review_months", "6"),
                ("fee_payment", "到镇财政所缴纳"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let settings = h.app.agency(&h.agency()).await.unwrap().settings;
    assert_eq!(
        (
            settings.volume_threshold,
            settings.review_months,
            settings.fee_payment.as_str()
        ),
        (20, 6, "到镇财政所缴纳")
    );
    // The row the agency's adviser reads as 复议前置 is shown as the agency's setting.
    assert!(
        guide.contains(
            "另将以下答复也作为先行申请行政复议的情形（本机关设置）：本机关不掌握相关政府信息"
        ),
        "{guide}"
    );
    // The notice counts for every agency: an agency's 管理员 cannot replace it (issue #14); the
    // 系统管理员 loads it, and every agency's audit log shows it.
    let notice = "{\"year\": 2027, \"papers\": [], \"days\": [{\"name\": \"元旦\", \"date\": \"2027-01-01\", \"isOffDay\": true}]}";
    let r = admin
        .post_form("/staff/calendar", &[("csrf", &csrf), ("notice", notice)])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text_snippet());
    let mut root = h.login("root").await;
    let root_csrf = root.csrf().await;
    let r = root
        .post_form(
            "/staff/calendar",
            &[("csrf", &root_csrf), ("notice", notice)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    let audit = admin.get("/staff/audit").await;
    assert!(
        audit.body.contains("calendar.load_notice") && audit.body.contains("全系统"),
        "{}",
        audit.text_snippet()
    );
    assert!(
        !h.app
            .calendar()
            .is_working_day(gongkai_law::parse_date("t", "2027-01-01").unwrap())
    );
    let r = admin
        .post_form(
            "/staff/calendar",
            &[("csrf", &csrf), ("notice", "{\"year\": 2027}")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let audit = admin.get("/staff/audit").await;
    assert!(audit.body.contains("校验通过"), "{}", audit.text_snippet());
}

#[tokio::test]
async fn administrators_set_the_review_chain_but_cannot_drop_secrecy_review() {
    let h = Harness::fixture().await;
    let mut admin = h.login("admin").await;
    let page = admin.get("/staff/admin").await;
    assert!(
        page.body.contains("保密审查：保密审查员"),
        "{}",
        page.text_snippet()
    );
    let csrf = admin.csrf().await;
    let r = admin
        .post_form(
            "/staff/admin/review-chain",
            &[
                ("csrf", &csrf),
                ("chain", "科室审核：审核人\n签发：审核人"),
                ("index_pattern", "{unit}/{year}-{seq:07}"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("保密审查") && r.body.contains("签发：审核人"),
        "{}",
        r.text_snippet()
    );
    let r = admin
        .post_form(
            "/staff/admin/review-chain",
            &[
                ("csrf", &csrf),
                ("chain", "拟稿审核：审核人\n保密审查：保密审查员"),
                ("index_pattern", "{unit}/{year}"),
            ],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a pattern without {{seq}} repeats numbers"
    );
    let r = admin
        .post_form(
            "/staff/admin/review-chain",
            &[
                ("csrf", &csrf),
                ("chain", "拟稿审核：审核人\n保密审查：保密审查员"),
                ("index_pattern", "{unit}-{year}-{seq:5}"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    let settings = h.app.agency(&h.agency()).await.unwrap().settings;
    assert_eq!(settings.review_chain.steps().len(), 2);
    assert_eq!(settings.index_pattern, "{unit}-{year}-{seq:5}");
    let mut clerk = h.login("clerk").await;
    let csrf = clerk.csrf().await;
    let r = clerk
        .post_form(
            "/staff/admin/review-chain",
            &[
                ("csrf", &csrf),
                ("chain", "保密审查：保密审查员"),
                ("index_pattern", "{seq}"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

/// Issue #14: API tokens never expired and could not be listed or revoked. Now each has a
/// name and an expiry, and an administrator lists and revokes them.
#[tokio::test]
async fn api_tokens_are_named_expire_and_can_be_revoked() {
    let h = Harness::fixture().await;
    let mut clerk = h.login("clerk").await;
    assert_eq!(
        clerk.get("/staff/admin/tokens").await.status,
        StatusCode::FORBIDDEN
    );
    let mut admin = h.login("admin").await;
    let csrf = admin.csrf().await;
    let r = admin
        .post_form(
            "/staff/admin/tokens",
            &[
                ("csrf", &csrf),
                ("user", "clerk"),
                ("name", "统计报送"),
                ("days", "800"),
            ],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "at most 730 days"
    );
    let r = admin
        .post_form(
            "/staff/admin/tokens",
            &[
                ("csrf", &csrf),
                ("user", "clerk"),
                ("name", "统计报送"),
                ("days", "365"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text_snippet());
    let secret = r.between("id=\"new-token\"", "</div>");
    let secret = secret
        .split("<code>")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    assert!(secret.starts_with("gk_"));
    let mut api = h.client();
    let ok = api
        .request_json("GET", "/api/v1/cases", None, Some(&secret))
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    let list = admin.get("/staff/admin/tokens").await;
    let table = list.between("id=\"tokens\"", "</table>");
    assert!(
        table.contains("统计报送") && table.contains("2027-11-27"),
        "{table}"
    );
    assert!(
        !list.body.contains(&secret),
        "the secret is shown once only"
    );
    let id = table
        .split("<code>")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    let r = admin
        .post_form(
            "/staff/admin/tokens/revoke",
            &[("csrf", &csrf), ("user", "clerk"), ("id", &id)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let gone = api
        .request_json("GET", "/api/v1/cases", None, Some(&secret))
        .await;
    assert_eq!(gone.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_audit_page_reads_a_page_at_a_time_newest_first() {
    let h = Harness::fixture().await;
    let agency = h.agency();
    let number = gongkai_domain::ApplicationNumber::parse("2026-900").unwrap();
    let store = &h.app.store;
    let before = store.audit_count_of(&agency).await.unwrap();
    for _ in 0..150 {
        store
            .log_personal_data_read(&agency, &number, &h.app.stamp("clerk"))
            .await
            .unwrap();
    }
    let mut admin = h.login("admin").await;
    let total = store.audit_count_of(&agency).await.unwrap();
    assert!(total >= before + 150);
    let first = admin.get("/staff/audit").await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.body.contains(&format!("本机关共{total}条记录")));
    assert!(first.body.contains("校验通过"), "{}", first.text_snippet());
    assert_eq!(first.body.matches("<td class=\"num\">").count(), 100);
    let next = first
        .body
        .split("/staff/audit?before=")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a link to older entries")
        .to_string();
    let second = admin.get(&format!("/staff/audit?before={next}")).await;
    assert_eq!(
        second.body.matches("<td class=\"num\">").count() as u64,
        (total - 100).min(100)
    );
    assert!(second.body.contains("最新"));
    assert!(
        !second.body.contains(&format!(">{next}</td>")),
        "the page starts below"
    );
}
