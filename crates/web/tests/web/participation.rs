//! 公众参与 (issue #18, item 2): messages recorded with their channel's reply deadline, replied
//! to once, published with the sender's consent (the sender's name masked), and a message that
//! is really a disclosure request registered as an application keeping its received date.

use axum::http::StatusCode;

use crate::support::Harness;

#[tokio::test]
async fn a_message_is_recorded_replied_to_and_published() {
    let h = Harness::fixture().await;
    let mut clerk = h.login("clerk").await;
    let csrf = clerk.csrf().await;
    let fields = |subject: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("channel", "hotline".to_string()),
            ("received", "2026-11-23".to_string()),
            ("sender", "张三".to_string()),
            ("subject", subject.to_string()),
            ("text", "人民路3号院路灯不亮，请维修。".to_string()),
            ("publishable", "yes".to_string()),
        ]
    };
    let blank = fields("");
    let blank: Vec<(&str, &str)> = blank.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = clerk.post_form("/staff/participation", &blank).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("id=\"f-subject-error\""),
        "{}",
        refused.text_snippet()
    );
    let good = fields("人民路路灯不亮");
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let added = clerk.post_form("/staff/participation", &good).await;
    assert_eq!(
        added.status,
        StatusCode::SEE_OTHER,
        "{}",
        added.text_snippet()
    );
    // 12345: five working days from Monday 2026-11-23.
    let list = clerk.get("/staff/participation").await;
    let open = list.between("id=\"open-messages\"", "</ul>");
    assert!(
        open.contains("人民路路灯不亮") && open.contains("应于2026年11月30日前回复"),
        "{open}"
    );
    // Not on the portal before its reply.
    let mut visitor = h.client();
    let before = visitor.get("/agencies/street/participation").await;
    assert!(!before.body.contains("人民路路灯不亮"));
    let replied = clerk
        .post_form(
            "/staff/participation/reply",
            &[
                ("csrf", csrf.as_str()),
                ("id", "1"),
                ("on", "2026-11-26"),
                ("text", "已安排维修，感谢监督。"),
            ],
        )
        .await;
    assert_eq!(
        replied.status,
        StatusCode::SEE_OTHER,
        "{}",
        replied.text_snippet()
    );
    let again = clerk
        .post_form(
            "/staff/participation/reply",
            &[
                ("csrf", csrf.as_str()),
                ("id", "1"),
                ("on", "2026-11-27"),
                ("text", "再次回复。"),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "one reply");
    let after = visitor.get("/agencies/street/participation").await;
    let shown = after.between("id=\"public-replies\"", "</ol>");
    assert!(
        shown.contains("人民路路灯不亮") && shown.contains("已安排维修") && shown.contains("张某"),
        "{shown}"
    );
    assert!(!shown.contains("张三"), "the sender's name is masked");
}

#[tokio::test]
async fn a_message_that_asks_for_information_becomes_an_application() {
    let h = Harness::fixture().await;
    let mut clerk = h.login("clerk").await;
    let csrf = clerk.csrf().await;
    let added = clerk
        .post_form(
            "/staff/participation",
            &[
                ("csrf", csrf.as_str()),
                ("channel", "mailbox"),
                ("received", "2026-11-20"),
                ("sender", "李四"),
                ("subject", "申请公开改造资金明细"),
                ("text", "请公开城关镇2025年老旧小区改造资金使用明细。"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let form = clerk.get("/staff/register?from_message=1").await;
    assert!(form.body.contains("id=\"from-message\""));
    assert!(
        form.body
            .contains("请公开城关镇2025年老旧小区改造资金使用明细")
    );
    let registered = clerk
        .post_form(
            "/staff/register",
            &[
                ("csrf", csrf.as_str()),
                ("from_message", "1"),
                ("channel", "online"),
                ("received", "2026-11-20"),
                ("kind", "natural_person"),
                ("name", "李四"),
                ("id_type", "resident_id"),
                ("id_number", "11010519491231002X"),
                ("phone", "13800000001"),
                ("content", "请公开城关镇2025年老旧小区改造资金使用明细。"),
                ("wanted_form", "电子文档（在线下载）"),
            ],
        )
        .await;
    assert_eq!(
        registered.status,
        StatusCode::SEE_OTHER,
        "{}",
        registered.text_snippet()
    );
    let number = registered
        .header("location")
        .trim_start_matches("/staff/cases/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let case = h.case(&number).await;
    assert_eq!(
        case.received.to_string(),
        "2026-11-20",
        "第三十一条: the message's day"
    );
    let list = clerk.get("/staff/participation").await;
    assert!(
        list.between("id=\"closed-messages\"", "</ul>")
            .contains(&format!("/staff/cases/{number}"))
    );
    // Once only; and a message that became an application is answered there.
    let twice = clerk.get("/staff/register?from_message=1").await;
    assert_eq!(
        twice.status,
        StatusCode::CONFLICT,
        "{}",
        twice.text_snippet()
    );
    let reply = clerk
        .post_form(
            "/staff/participation/reply",
            &[
                ("csrf", csrf.as_str()),
                ("id", "1"),
                ("on", "2026-11-27"),
                ("text", "答复。"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Online is offered only for a message.
    let plain = clerk.get("/staff/register").await;
    assert!(!plain.body.contains("value=\"online\""));
}

/// A 12345 工单 carries the platform's number, recorded once; a message mistyped is corrected
/// until it is replied to, and a reply is not rewritten.
#[tokio::test]
async fn a_work_order_is_recorded_once_and_corrected_until_replied() {
    let h = Harness::fixture().await;
    let mut clerk = h.login("clerk").await;
    let csrf = clerk.csrf().await;
    let order = |reference: &'static str, subject: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("channel", "hotline".to_string()),
            ("received", "2026-11-24".to_string()),
            ("reference", reference.to_string()),
            ("sender", "赵六".to_string()),
            ("subject", subject.to_string()),
            ("text", "东街井盖松动。".to_string()),
        ]
    };
    let first = order("GD202611240042", "东街井盖松动");
    let first: Vec<(&str, &str)> = first.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let added = clerk.post_form("/staff/participation", &first).await;
    assert_eq!(
        added.status,
        StatusCode::SEE_OTHER,
        "{}",
        added.text_snippet()
    );
    let list = clerk.get("/staff/participation").await;
    assert!(
        list.between("id=\"open-messages\"", "</ul>")
            .contains("工单编号 GD202611240042")
    );
    // The platform sends the same 工单 again: refused beside the field, the form kept.
    let again = clerk.post_form("/staff/participation", &first).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = again.between("id=\"f-reference-error\"", "</");
    assert!(error.contains("工单编号GD202611240042已登记"), "{error}");
    // A number that is not one.
    let bad = order("工单 42", "西街井盖");
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = clerk.post_form("/staff/participation", &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("id=\"f-reference-error\""));

    // Corrected: the received day and the subject.
    let mut edit = order("GD202611240042", "东街12号井盖松动");
    edit[2].1 = "2026-11-23".into();
    edit.push(("id", "1".into()));
    let edit: Vec<(&str, &str)> = edit.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let edited = clerk.post_form("/staff/participation/edit", &edit).await;
    assert_eq!(
        edited.status,
        StatusCode::SEE_OTHER,
        "{}",
        edited.text_snippet()
    );
    let list = clerk.get("/staff/participation").await;
    let open = list.between("id=\"open-messages\"", "</ul>");
    assert!(
        open.contains("东街12号井盖松动") && open.contains("2026年11月23日收到"),
        "{open}"
    );
    // A form read before that correction does not overwrite it.
    let mut stale = edit.clone();
    stale.push(("version", "1"));
    let conflict = clerk.post_form("/staff/participation/edit", &stale).await;
    assert_eq!(conflict.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = clerk.get("/staff/participation").await;
    assert!(
        page.body.contains("name=\"version\" value=\"2\""),
        "the edit form carries the version it was read at"
    );
    // Replied: as sent.
    let replied = clerk
        .post_form(
            "/staff/participation/reply",
            &[
                ("csrf", csrf.as_str()),
                ("id", "1"),
                ("on", "2026-11-25"),
                ("text", "已修复。"),
            ],
        )
        .await;
    assert_eq!(replied.status, StatusCode::SEE_OTHER);
    let late = clerk.post_form("/staff/participation/edit", &edit).await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(late.body.contains("不能再修改"), "{}", late.text_snippet());
    // Another agency's staff find no such message.
    h.add_outsider(&[gongkai_domain::Role::CaseOfficer]).await;
    let mut outsider = h.login("outsider").await;
    let mut theirs = edit.clone();
    let outsider_csrf = outsider.csrf().await;
    theirs[0] = ("csrf", outsider_csrf.as_str());
    let hidden = outsider
        .post_form("/staff/participation/edit", &theirs)
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
}
