//! The annual report from live records: published, downloaded and checked; written, blocked on
//! a check error, overridden by a 审核人 with a reason, approved along the review chain,
//! corrected as a new version; appeals and facts counted; the supervisor's roll-up.

use axum::http::StatusCode;
use gongkai_report::{
    Status,
    model::{Table3Column, Table3Row},
};

use gongkai_domain::store::prelude::*;

use crate::support::{Client, Harness};

/// The id of the publication carrying the report, from the report page.
fn carrier(page: &str) -> String {
    let at = page.find("公开信息 #").expect("a carrier link") + "公开信息 #".len();
    page[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect()
}

async fn act(c: &mut Client, fields: &[(&str, &str)]) -> crate::support::Reply {
    let csrf = c.csrf().await;
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    c.post_form("/staff/reports/act", &all).await
}

async fn version(c: &mut Client, year: &str) -> String {
    let page = c.get(&format!("/staff/reports?year={year}")).await;
    page.between("name=\"version\" value=\"", "\"")
}

#[tokio::test]
async fn a_report_is_checked_before_it_goes_out_and_corrected_as_a_new_version() {
    let h = Harness::fixture().await;
    let mut clerk = h.login("clerk").await;
    let page = clerk.get("/staff/reports?year=2026").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("id=\"checks-clean\""),
        "{}",
        page.text_snippet()
    );
    // Table 二's cells open the register they are counted from.
    assert!(
        page.body
            .contains("href=\"/staff/register20?year=2026#documents\"")
    );
    // The pending 行政复议 is in table 四 as 尚未审结, and its cell opens it.
    assert!(page.body.contains(
        "/staff/reports/appeals?year=2026&amp;agency=street&amp;group=reconsideration&amp;column=3"
    ));
    let cell = clerk
        .get("/staff/reports/appeals?year=2026&agency=street&group=reconsideration&column=3")
        .await;
    assert_eq!(cell.between("id=\"cell-count\">", "<"), "1");

    // 第五十条第（四）项: a 人民政府's draft asks for 工作考核、社会评议和责任追究 — the records hold
    // none of it — and cannot be submitted until someone writes it.
    assert!(page.body.contains("【待填写"), "{}", page.text_snippet());
    let v = version(&mut clerk, "2026").await;
    let unfilled = act(
        &mut clerk,
        &[("year", "2026"), ("version", &v), ("action", "submit")],
    )
    .await;
    assert_eq!(unfilled.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unfilled.body.contains("待填写") && unfilled.body.contains("第五十条第（四）项"),
        "{}",
        unfilled.text_snippet()
    );
    let r = act(
        &mut clerk,
        &[
            ("year", "2026"),
            ("version", &v),
            ("action", "edit"),
            ("section", "problems"),
            (
                "text",
                "（一）存在的主要问题\n公开形式仍有提升空间。\n（二）改进情况\n持续梳理主动公开基本目录。\n（三）工作考核、社会评议和责任追究结果情况\n本年度未开展社会评议，未发生责任追究情况。",
            ),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());

    // A figure in the text the tables contradict: an error, and publishing is blocked.
    let v = version(&mut clerk, "2026").await;
    let r = act(
        &mut clerk,
        &[
            ("year", "2026"),
            ("version", &v),
            ("action", "edit"),
            ("section", "overview"),
            (
                "text",
                "（二）依申请公开\n2026年，本机关共收到政府信息公开申请999件。",
            ),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    let page = clerk.get("/staff/reports?year=2026").await;
    assert!(page.body.contains("999件") && page.body.contains("id=\"findings\""));
    let v = version(&mut clerk, "2026").await;
    let blocked = act(
        &mut clerk,
        &[("year", "2026"), ("version", &v), ("action", "submit")],
    )
    .await;
    assert_ne!(blocked.status, StatusCode::SEE_OTHER);
    assert!(
        blocked.body.contains("不能发布"),
        "{}",
        blocked.text_snippet()
    );
    let forged = act(
        &mut clerk,
        &[
            ("year", "2026"),
            ("version", &v),
            ("action", "allow_errors"),
            ("reason", "赶时间"),
        ],
    )
    .await;
    assert_eq!(
        forged.status,
        StatusCode::FORBIDDEN,
        "only a 审核人 allows it"
    );

    // A 审核人 with a written reason lets this text go out; the reason is kept.
    let mut reviewer = h.login("reviewer").await;
    let empty = act(
        &mut reviewer,
        &[
            ("year", "2026"),
            ("version", &v),
            ("action", "allow_errors"),
            ("reason", " "),
        ],
    )
    .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = act(
        &mut reviewer,
        &[
            ("year", "2026"),
            ("version", &v),
            ("action", "allow_errors"),
            ("reason", "正文数字按上级口径填报"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    let v = version(&mut clerk, "2026").await;
    let r = act(
        &mut clerk,
        &[("year", "2026"), ("version", &v), ("action", "submit")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    let page = clerk.get("/staff/reports?year=2026").await;
    assert!(page.body.contains("正文数字按上级口径填报") && page.body.contains("审核中"));
    let id = carrier(&page.body);
    // Frozen while in review (the page offers no edit), and nothing public yet.
    assert!(!page.body.contains("value=\"edit\""));
    let r = act(
        &mut clerk,
        &[
            ("year", "2026"),
            ("action", "edit"),
            ("section", "overview"),
            ("text", "改"),
        ],
    )
    .await;
    assert!(r.body.contains("锁定"), "{}", r.text_snippet());
    assert_eq!(
        h.client().get("/agencies/street/reports/2026").await.status,
        StatusCode::NOT_FOUND
    );

    h.approve_along_the_chain(&id).await;
    let public = h.client().get("/agencies/street/reports/2026.md").await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body.contains("999件"));

    // The correction: a new version from the published text; the first stays, marked.
    let v = version(&mut clerk, "2026").await;
    let r = act(
        &mut clerk,
        &[
            ("year", "2026"),
            ("version", &v),
            ("action", "correct"),
            ("reason", "更正正文中的申请件数"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    let v = version(&mut clerk, "2026").await;
    let r = act(
        &mut clerk,
        &[
            ("year", "2026"),
            ("version", &v),
            ("action", "edit"),
            ("section", "overview"),
            ("text", ""),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    let page = clerk.get("/staff/reports?year=2026").await;
    assert!(
        page.body.contains("id=\"checks-clean\""),
        "the drafted text agrees again"
    );
    let v = version(&mut clerk, "2026").await;
    let r = act(
        &mut clerk,
        &[("year", "2026"), ("version", &v), ("action", "submit")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    let id = carrier(&clerk.get("/staff/reports?year=2026").await.body);
    h.approve_along_the_chain(&id).await;
    let mut public = h.client();
    let newest = public.get("/agencies/street/reports/2026.md").await;
    let read = gongkai_report::assess(&newest.body, None);
    assert_eq!(read.status, Status::Consistent, "{:?}", read.findings);
    let old = public.get("/agencies/street/reports/2026?v=1").await;
    assert!(old.body.contains("id=\"superseded\""));
    assert!(
        public
            .get("/agencies/street/reports/2026.md?v=1")
            .await
            .body
            .contains("999件")
    );
    let audit = h.app.store.audit_entries().await.unwrap();
    for action in [
        "annual_report.edit",
        "annual_report.allow_errors",
        "annual_report.submit",
        "annual_report.correct",
    ] {
        assert!(
            audit.iter().any(|e| e.record.action == action),
            "{action} audited"
        );
    }
}

#[tokio::test]
async fn appeals_trainings_and_proposals_are_recorded_and_counted() {
    let h = Harness::fixture().await;
    let mut clerk = h.login("clerk").await;
    let csrf = clerk.csrf().await;
    let bad = clerk
        .post_form(
            "/staff/records/appeals",
            &[
                ("csrf", &csrf),
                ("kind", "direct_litigation"),
                ("application", "1999-0001"),
                ("filed_on", "2026-11-20"),
                ("body", "示例县人民法院"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("本机关没有申请") && bad.body.contains("示例县人民法院"),
        "input kept"
    );
    let r = clerk
        .post_form(
            "/staff/records/appeals",
            &[
                ("csrf", &csrf),
                ("kind", "direct_litigation"),
                ("application", "2026-D0001"),
                ("filed_on", "2026-11-26"),
                ("body", "示例县人民法院"),
                ("case_number", "（2026）示0101行初12号"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    let r = clerk
        .post_form(
            "/staff/records/trainings",
            &[
                ("csrf", &csrf),
                ("held_on", "2026-10-15"),
                ("title", "依申请公开答复规范"),
                ("participants", "10"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    let r = clerk
        .post_form(
            "/staff/records/proposals",
            &[
                ("csrf", &csrf),
                ("proposal_kind", "member_proposal"),
                ("received_on", "2026-05-06"),
                ("proposal_title", "关于公开老旧小区改造资金的提案"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    let page = clerk.get("/staff/reports?year=2026").await;
    assert!(
        page.body.contains("开展政务公开培训2次，参训40人次"),
        "{}",
        page.text_snippet()
    );
    assert!(page.body.contains("行政复议1件、行政诉讼1件"));
    assert!(page.body.contains("人大代表建议1份、政协委员提案1份"));
    let cell = clerk
        .get("/staff/reports/appeals?year=2026&agency=street&group=direct_litigation&column=3")
        .await;
    assert_eq!(cell.between("id=\"cell-count\">", "<"), "1");
    assert!(cell.body.contains("2026-D0001"));
    // 审结: the case moves from 尚未审结 to 结果维持.
    let records = clerk.get("/staff/records").await;
    let id = records.between("name=\"id\" value=\"", "\"");
    let v = records.between("name=\"version\" value=\"", "\"");
    let r = clerk
        .post_form(
            "/staff/records/appeals/decide",
            &[
                ("csrf", &csrf),
                ("id", &id),
                ("version", &v),
                ("result", "upheld"),
                ("date", "2026-11-27"),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    let table4 = gongkai_report::read(&clerk.get("/staff/reports?year=2026&format=md").await.body)
        .report
        .table4;
    assert_eq!(
        table4.groups[0],
        [Some(1), Some(0), Some(0), Some(0), Some(1)],
        "the pending one, decided here"
    );
}

#[tokio::test]
async fn supervisors_see_every_subordinate_report_checked_and_summed() {
    let h = Harness::fixture().await;
    let mut clerk = h.login("clerk").await;
    assert_eq!(
        clerk.get("/staff/supervision?year=2023").await.status,
        StatusCode::FORBIDDEN
    );
    let mut sup = h.login("supervisor").await;
    let page = sup.get("/staff/supervision?year=2023").await;
    assert_eq!(page.status, StatusCode::OK);
    let children = page.between("id=\"children\"", "</table>");
    for name in [
        "示例县人民政府",
        "城关镇人民政府",
        "住房和城乡建设局",
        "民政局",
    ] {
        assert!(children.contains(name), "{name}");
    }
    assert!(children.contains("已发布"));
    // A report nobody has written is not “一致”; the overdue figures say as of when.
    assert!(children.contains("未编写"), "{children}");
    for row in children.split("<tr").filter(|r| r.contains("未编写")) {
        assert!(!row.contains("一致"), "{row}");
    }
    assert!(children.contains("截至2026-11-27"), "{children}");
    assert!(page.body.contains("<svg"), "charts");
    // A subordinate's own report is open to the supervisor, read-only.
    let report = sup.get("/staff/reports?year=2023&agency=street").await;
    assert_eq!(report.status, StatusCode::OK);
    assert!(!report.body.contains("name=\"action\" value=\"edit\""));

    // Reports of agencies that do not run gongkai come in by the batch, all or none.
    let seed = include_bytes!("../../../report/testdata/2023-hedong-taiping.txt");
    let csrf = sup.csrf().await;
    let bad = sup
        .post_multipart(
            "/staff/supervision/import",
            &[("csrf", &csrf), ("year", "2023")],
            &[
                ("housing.txt", seed),
                ("nobody.txt", seed),
                ("civil.txt", b"not a report"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problems = bad.between("id=\"import-problems\"", "</ul>");
    assert!(
        problems.contains("nobody.txt") && problems.contains("civil.txt"),
        "{problems}"
    );
    // The good one as offices publish it: printed to PDF (by LibreOffice).
    let seed_pdf = include_bytes!("../../../sheets/testdata/libreoffice/2023-hedong-taiping.pdf");
    let r = sup
        .post_multipart(
            "/staff/supervision/import",
            &[("csrf", &csrf), ("year", "2023")],
            &[("housing.pdf", seed_pdf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    let page = sup.get("/staff/supervision?year=2023").await;
    assert!(
        page.between("id=\"children\"", "</table>")
            .contains("已导入")
    );
    let rollup = sup.get("/staff/supervision?year=2023&format=md").await;
    let summed = gongkai_report::read(&rollup.body).report.table3;
    assert_eq!(
        summed.cell(Table3Row::NewlyReceived, Table3Column::Total),
        Some(12),
        "the street office's 4 and the imported 8"
    );
    let xlsx = sup
        .get("/staff/supervision?year=2023&format=tables.xlsx")
        .await;
    assert!(xlsx.bytes.starts_with(b"PK"));
}

#[tokio::test]
async fn supervisors_confirm_or_dismiss_findings_and_see_only_what_is_new() {
    let h = Harness::fixture().await;
    let mut sup = h.login("supervisor").await;
    // A subordinate's published report with a wrong figure: 自然人 9 where the total says 8.
    let seed = include_str!("../../../report/testdata/2023-hedong-taiping.txt");
    let wrong = seed.replacen(
        "一、本年新收政府信息公开申请数量 |\n8 |",
        "一、本年新收政府信息公开申请数量 |\n9 |",
        1,
    );
    assert_ne!(wrong, seed);
    let csrf = sup.csrf().await;
    let r = sup
        .post_multipart(
            "/staff/supervision/import",
            &[("csrf", &csrf), ("year", "2023")],
            &[("civil.txt", wrong.as_bytes())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    let page = sup.get("/staff/supervision?year=2023").await;
    let findings = page.between("id=\"findings\"", "</section>");
    assert!(findings.contains("T3_ROW_TOTAL"), "{findings}");
    // The row it came from is quoted: the reviewer checks the finding against it.
    assert!(findings.contains("自然人 9"), "{findings}");
    let open_before = open_count(&page.body);
    assert!(open_before > 0);
    let field = |name: &str| -> String {
        let at = findings.find("T3_ROW_TOTAL").unwrap();
        let form = &findings[at..];
        let key = format!("name=\"{name}\" value=\"");
        let start = form.find(&key).unwrap() + key.len();
        form[start..start + form[start..].find('"').unwrap()].to_string()
    };
    let (fingerprint, place, agency) = (field("fingerprint"), field("place"), field("agency"));
    assert_eq!(agency, "civil");
    let decide = |verdict: &str, reason: &str| -> Vec<(&'static str, String)> {
        vec![
            ("csrf", csrf.clone()),
            ("year", "2023".into()),
            ("agency", "civil".into()),
            ("fingerprint", fingerprint.clone()),
            ("place", place.clone()),
            ("verdict", verdict.into()),
            ("reason", reason.into()),
        ]
    };
    // A dismissal without a reason is refused, saying what to add.
    let form = decide("dismissed", " ");
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = sup.post_form("/staff/supervision/findings", &pairs).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("须写明理由"),
        "{}",
        refused.text_snippet()
    );
    let form = decide("dismissed", "印刷错误，已函告更正");
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let done = sup.post_form("/staff/supervision/findings", &pairs).await;
    assert_eq!(
        done.status,
        StatusCode::SEE_OTHER,
        "{}",
        done.text_snippet()
    );
    let page = sup.get("/staff/supervision?year=2023").await;
    assert_eq!(open_count(&page.body), open_before - 1);
    let decided = page.between("id=\"decided\"", "</details>");
    assert!(
        decided.contains("已驳回：印刷错误，已函告更正"),
        "{decided}"
    );
    // An agency outside the supervisor's tree is refused.
    let mut form = decide("confirmed", "");
    form[2].1 = "nowhere".into();
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let outside = sup.post_form("/staff/supervision/findings", &pairs).await;
    assert_eq!(outside.status, StatusCode::FORBIDDEN);
}

fn open_count(body: &str) -> usize {
    let at =
        body.find("id=\"findings-tally\">").expect("the tally") + "id=\"findings-tally\">".len();
    body[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}
