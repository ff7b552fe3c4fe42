//! 依申请公开 in the back office: the whole loop, stale forms, paper applications, statistics.

use axum::http::StatusCode;
use gongkai_domain::store::prelude::*;

use crate::support::Harness;

#[tokio::test]
async fn an_application_goes_round_the_whole_loop() {
    let h = Harness::fixture().await;
    let mut public = h.client();
    let csrf = public.csrf().await;
    // The form as the portal serves it, with its one-time submission token.
    let form = public.get("/agencies/street/apply").await;
    let token = form.between("name=\"submission\" value=\"", "\"");
    let mut fields = h.valid_application(&csrf);
    fields.push(("submission", &token));
    let sent = public
        .post_multipart(
            "/agencies/street/apply",
            &fields,
            &[("身份证.pdf", b"%PDF-1.4 test".as_slice())],
        )
        .await;
    // POST-redirect-GET: the receipt is a page of its own.
    assert_eq!(
        sent.status,
        StatusCode::SEE_OTHER,
        "{}",
        sent.text_snippet()
    );
    assert_eq!(sent.header("location"), "/agencies/street/receipt");
    let r = public.get("/agencies/street/receipt").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text_snippet());
    assert_eq!(r.header("cache-control"), "no-store");
    let number = r.between("id=\"number\">", "<");
    let code = r.between("id=\"query-code\">", "<");
    assert_eq!(number, "2026-W0002");
    assert_eq!(code.len(), 10);
    assert!(r.body.contains("第三十一条"));
    // Reloading the receipt shows it again; sending the same form again (reload of the POST,
    // back and submit) leads to the same receipt, not to a second application.
    let again = public.get("/agencies/street/receipt").await;
    assert_eq!(again.between("id=\"number\">", "<"), number);
    let resent = public
        .post_multipart("/agencies/street/apply", &fields, &[])
        .await;
    assert_eq!(resent.status, StatusCode::SEE_OTHER);
    let shown = public.get("/agencies/street/receipt").await;
    assert_eq!(shown.between("id=\"number\">", "<"), number);
    let online = h.app.store.applications(&h.agency()).await.unwrap();
    assert_eq!(
        online
            .iter()
            .filter(|a| a.number.as_str() == "2026-W0003")
            .count(),
        0,
        "no second application"
    );
    // Another browser does not see the receipt.
    let elsewhere = h.client().get("/agencies/street/receipt").await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);
    assert!(!elsewhere.body.contains(&code) && elsewhere.body.contains("查询办理进度"));

    // The status page needs the right code; a wrong one reveals nothing.
    let wrong = public
        .post_form(
            "/agencies/street/status",
            &[("csrf", &csrf), ("number", &number), ("code", "WRONGCODE1")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    assert!(!wrong.body.contains("老旧小区") && !wrong.body.contains("待确认"));
    let nobody = public
        .post_form(
            "/agencies/street/status",
            &[
                ("csrf", &csrf),
                ("number", "2026-W9999"),
                ("code", "WRONGCODE1"),
            ],
        )
        .await;
    assert_eq!(
        nobody.body.replace("2026-W9999", &number),
        wrong.body,
        "unknown numbers look the same"
    );
    let status = public
        .post_form(
            "/agencies/street/status",
            &[("csrf", &csrf), ("number", &number), ("code", &code)],
        )
        .await;
    assert!(status.body.contains("待确认"));

    // Staff register it (a receipt is issued), then ask for 补正.
    let mut clerk = h.login("clerk").await;
    let case = clerk.get(&format!("/staff/cases/{number}")).await;
    assert!(case.body.contains("身份证.pdf"));
    let file = clerk
        .get(&format!("/staff/cases/{number}/attachments/0"))
        .await;
    assert_eq!(file.body, "%PDF-1.4 test");
    clerk
        .act(
            &number,
            &[("action", "register"), ("department", "党政办公室")],
        )
        .await;
    clerk
        .act(
            &number,
            &[
                ("action", "request_supplement"),
                ("date", "2026-11-27"),
                ("what", "请写明文件名称"),
            ],
        )
        .await;
    assert_eq!(h.case(&number).await.state.code(), "awaiting_supplement");
    // 15 working days from Friday 2026-11-27 (the fixture's agency keeps the default).
    let due = "2026年12月18日";
    let case = clerk.get(&format!("/staff/cases/{number}")).await;
    assert!(case.body.contains(due) && case.body.contains("期限届满前不能认定逾期不补正"));
    // The case tells its story step by step, with who did what; 补正 is not offered twice.
    let story = case.between("id=\"story\"", "</ol>");
    assert!(
        story.contains("依申请公开 · 确认登记") && story.contains("依申请公开 · 告知补正"),
        "{story}"
    );
    assert!(
        story.contains("李经办") && !story.contains("clerk"),
        "{story}"
    );
    assert!(!case.body.contains("id=\"act-request_supplement\""));
    assert!(
        !case.body.contains("id=\"act-end_consultation\""),
        "no consultation under way"
    );
    assert!(
        clerk
            .get("/staff")
            .await
            .body
            .contains("补正期限至2026-12-18")
    );
    let staff_csrf = clerk.csrf().await;
    let too_early = clerk
        .post_form(
            &format!("/staff/cases/{number}/act"),
            &[
                ("csrf", &staff_csrf),
                ("action", "submit_answer"),
                ("outcome", "other_supplement_overdue"),
                ("text", "逾期未补正。"),
            ],
        )
        .await;
    assert_ne!(too_early.status, StatusCode::SEE_OTHER);
    assert!(
        too_early.body.contains("补正期限至2026年12月18日"),
        "{}",
        too_early.text_snippet()
    );

    // The applicant sees the request and supplements online.
    let status = public
        .post_form(
            "/agencies/street/status",
            &[("csrf", &csrf), ("number", &number), ("code", &code)],
        )
        .await;
    assert!(status.body.contains("请写明文件名称"));
    assert!(status.body.contains("补正告知书"));
    assert_eq!(status.between("id=\"supplement-due\">", "<"), due);
    // An empty supplement comes back on the same page, what was typed kept.
    let blank = public
        .post_form(
            "/agencies/street/status/supplement",
            &[
                ("csrf", &csrf),
                ("number", &number),
                ("code", &code),
                ("supplement", "   "),
            ],
        )
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        blank.body.contains("id=\"f-supplement-error\""),
        "{}",
        blank.text_snippet()
    );
    assert_eq!(h.case(&number).await.state.code(), "awaiting_supplement");
    let r = public
        .post_form(
            "/agencies/street/status/supplement",
            &[
                ("csrf", &csrf),
                ("number", &number),
                ("code", &code),
                ("supplement", "《太平街道老旧小区改造实施方案》"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text_snippet());
    assert!(r.body.contains("补正已提交"));
    assert_eq!(h.case(&number).await.state.code(), "in_progress");

    // Staff answer "见附件": without the file the answer is refused, with it the file goes
    // with the answer; a reviewer approves; the letter lists it and both are there to download.
    let staff_csrf = clerk.csrf().await;
    let answer = [
        ("csrf", staff_csrf.as_str()),
        ("action", "submit_answer"),
        ("outcome", "disclosed"),
        ("text", "经查，予以公开，见附件。"),
    ];
    let act = format!("/staff/cases/{number}/act");
    let bare = clerk.post_form(&act, &answer).await;
    assert_eq!(bare.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bare.body.contains("没有附件"), "{}", bare.text_snippet());
    let plan = b"%PDF-1.7 the plan".as_slice();
    let with_file = clerk
        .post_multipart(&act, &answer, &[("老旧小区改造实施方案.pdf", plan)])
        .await;
    assert_eq!(
        with_file.status,
        StatusCode::SEE_OTHER,
        "{}",
        with_file.text_snippet()
    );
    let case_page = clerk.get(&format!("/staff/cases/{number}")).await;
    assert!(case_page.body.contains("老旧小区改造实施方案.pdf"));
    let staff_copy = clerk
        .get(&format!("/staff/cases/{number}/answer-attachments/0"))
        .await;
    assert_eq!(staff_copy.bytes, plan);
    let mut reviewer = h.login("reviewer").await;
    reviewer
        .act(
            &number,
            &[("action", "approve_answer"), ("date", "2026-11-27")],
        )
        .await;
    let status = public
        .post_form(
            "/agencies/street/status",
            &[("csrf", &csrf), ("number", &number), ("code", &code)],
        )
        .await;
    assert!(status.body.contains("已答复") && status.body.contains("予以公开"));
    assert!(status.body.contains("政府信息公开申请答复书"));
    assert!(status.body.contains("老旧小区改造实施方案.pdf"));
    let file = public
        .post_form(
            "/agencies/street/status/attachment",
            &[
                ("csrf", &csrf),
                ("number", &number),
                ("code", &code),
                ("letter", "0"),
            ],
        )
        .await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.bytes, plan);
    assert_eq!(file.header("cache-control"), "no-store");
    let guessed = public
        .post_form(
            "/agencies/street/status/attachment",
            &[
                ("csrf", &csrf),
                ("number", &number),
                ("code", "WRONGCODE1"),
                ("letter", "0"),
            ],
        )
        .await;
    assert_eq!(guessed.status, StatusCode::NOT_FOUND);
    let letters = h
        .app
        .store
        .letters(
            &h.agency(),
            &gongkai_domain::ApplicationNumber::parse(&number).unwrap(),
        )
        .await
        .unwrap();
    let answer = letters
        .iter()
        .position(|l| l.kind.code() == "answer")
        .unwrap();
    let index = answer.to_string();
    let r = public
        .post_form(
            "/agencies/street/status/letter",
            &[
                ("csrf", &csrf),
                ("number", &number),
                ("code", &code),
                ("letter", &index),
                ("format", "html"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    // The web page opens in the browser; Word is saved.
    assert!(r.header("content-disposition").starts_with("inline"));
    assert!(r.body.contains("经查，予以公开") && r.body.contains("行政复议"));
    assert!(r.body.contains("附件：1．老旧小区改造实施方案.pdf"));
    let docx = public
        .post_form(
            "/agencies/street/status/letter",
            &[
                ("csrf", &csrf),
                ("number", &number),
                ("code", &code),
                ("letter", &index),
                ("format", "docx"),
            ],
        )
        .await;
    assert!(docx.bytes.starts_with(b"PK"));
    // Without the code, no letter.
    let r = public
        .post_form(
            "/agencies/street/status/letter",
            &[
                ("csrf", &csrf),
                ("number", &number),
                ("code", "WRONGCODE1"),
                ("letter", &index),
                ("format", "html"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_stale_form_does_not_overwrite_a_newer_change() {
    let h = Harness::fixture().await;
    let mut clerk = h.login("clerk").await;
    let old = h.case("2026-D0001").await.version.to_string();
    let csrf = clerk.csrf().await;
    let ok = clerk
        .post_form(
            "/staff/cases/2026-D0001/act",
            &[
                ("csrf", &csrf),
                ("action", "add_note"),
                ("text", "第一条"),
                ("version", &old),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let stale = clerk
        .post_form(
            "/staff/cases/2026-D0001/act",
            &[
                ("csrf", &csrf),
                ("action", "add_note"),
                ("text", "第二条"),
                ("version", &old),
            ],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("已被他人修改"));
    let notes: Vec<String> = h
        .case("2026-D0001")
        .await
        .notes
        .iter()
        .map(|n| n.text.clone())
        .collect();
    assert_eq!(notes, ["第一条"]);
    // A statute violation comes back on the case page, in Chinese, with the article.
    let csrf = clerk.csrf().await;
    let r = clerk
        .post_form(
            "/staff/cases/2026-D0003/act",
            &[
                ("csrf", &csrf),
                ("action", "request_supplement"),
                ("date", "2026-11-27"),
                ("what", "x"),
            ],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        r.text_snippet()
    );
    assert!(r.body.contains("第三十条"), "{}", r.text_snippet());
}

#[tokio::test]
async fn staff_register_paper_applications_with_the_statutory_date() {
    let h = Harness::fixture().await;
    let mut clerk = h.login("clerk").await;
    let csrf = clerk.csrf().await;
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("channel", "registered_mail"),
        ("received", "2026-11-30"),
        ("kind", "natural_person"),
        ("name", "邮寄人"),
        ("id_type", "other"),
        ("id_name", "护照"),
        ("id_number", "E12345678"),
        ("phone", "13700000000"),
        ("content", "某文件"),
        ("wanted_form", "邮寄"),
    ];
    let r = clerk.post_form("/staff/register", &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("收到之日不能在将来"));
    fields[2] = ("received", "2026-11-25");
    let r = clerk.post_form("/staff/register", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    let location = r.header("location");
    assert!(location.starts_with("/staff/cases/2026-D"), "{location}");
    let page = clerk.get(&location).await;
    assert!(page.body.contains("第三十一条第（二）项") && page.body.contains("登记回执"));
}

#[tokio::test]
async fn statistics_trace_every_cell_to_its_applications() {
    let h = Harness::fixture().await;
    let mut clerk = h.login("clerk").await;
    let page = clerk.get("/staff/statistics?year=2023").await;
    assert!(page.body.contains("<svg"), "charts");
    assert!(page.body.contains("href=\"/staff/statistics/cases?year=2023&amp;agency=street&amp;row=disclosed&amp;column=natural_person\""));
    let cell = clerk.get("/staff/statistics/cases?year=2023&agency=street&row=partly_disclosed&column=natural_person").await;
    assert_eq!(cell.between("id=\"cell-count\">", "<"), "2");
    assert!(cell.body.contains("2023-0002") && cell.body.contains("2023-0003"));
    // The CSV is the report engine's table-三 contract and equals the seed's 2023 table.
    let csv = clerk
        .get("/staff/statistics/table3?year=2023&format=csv")
        .await
        .body;
    let token = h.token("clerk").await;
    let api = clerk
        .request_json(
            "GET",
            "/api/v1/statistics/table3?agency=street&year=2023&format=csv",
            None,
            Some(&token),
        )
        .await;
    assert_eq!(api.body, csv);
    // Counted by the database, it equals the table counted case by case from the records.
    let facts = h.app.store.case_facts(&h.agency(), 2023).await.unwrap();
    let mut expected =
        gongkai_report::model::Report::blank(gongkai_report::model::Format::Current2021);
    expected.table3 = gongkai_domain::stats::table3(&facts, 2023).table;
    assert_eq!(
        csv,
        gongkai_report::export::to_csv(&gongkai_report::export::grid(
            &expected,
            gongkai_report::export::TableId::Three
        ))
    );
}

/// 行政复议法 第二十三条 (in force 2024-01-01): a refusal sends the applicant to 行政复议 first,
/// in the letter and in the 指南; an answer that discloses keeps the choice.
#[tokio::test]
async fn a_refusal_sends_the_applicant_to_reconsideration_first() {
    let h = Harness::fixture().await;
    let mut clerk = h.login("clerk").await;
    clerk
        .act(
            "2026-D0001",
            &[
                ("action", "submit_answer"),
                ("outcome", "withheld_state_secret"),
                ("text", "经审查，所申请信息属于国家秘密。"),
            ],
        )
        .await;
    let mut reviewer = h.login("reviewer").await;
    reviewer
        .act(
            "2026-D0001",
            &[("action", "approve_answer"), ("date", "2026-11-27")],
        )
        .await;
    let letters = h
        .app
        .store
        .letters(
            &h.agency(),
            &gongkai_domain::ApplicationNumber::parse("2026-D0001").unwrap(),
        )
        .await
        .unwrap();
    let answer = letters
        .iter()
        .position(|l| l.kind.code() == "answer")
        .unwrap();
    let html = clerk
        .get(&format!(
            "/staff/cases/2026-D0001/letters/{answer}?format=html"
        ))
        .await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(
        html.body
            .contains("应当先自收到之日起60日内向示例县人民政府申请行政复议")
            && html.body.contains("行政复议法》第二十三条第一款第（四）项")
            && !html.body.contains("6个月内"),
        "{}",
        html.text_snippet()
    );
    let docx = clerk
        .get(&format!(
            "/staff/cases/2026-D0001/letters/{answer}?format=docx"
        ))
        .await;
    assert!(docx.bytes.starts_with(b"PK"));
    let guide = h.client().get("/agencies/street/guide").await;
    assert!(guide.body.contains("应当先向示例县人民政府申请行政复议"));
    assert!(guide.body.contains("第二十三条第一款第（三）项"));
    // The answer under review discloses: its letter keeps the choice.
    reviewer
        .act(
            "2026-D0002",
            &[("action", "approve_answer"), ("date", "2026-11-27")],
        )
        .await;
    let letters = h
        .app
        .store
        .letters(
            &h.agency(),
            &gongkai_domain::ApplicationNumber::parse("2026-D0002").unwrap(),
        )
        .await
        .unwrap();
    let answer = letters.iter().find(|l| l.kind.code() == "answer").unwrap();
    let text = answer.document.paragraphs.join("");
    assert!(
        text.contains("或者自收到之日起6个月内向示例县人民法院提起行政诉讼")
            && !text.contains("应当先")
    );
}

/// 第三十四条: consulting another agency shows its 15-working-day end on the case page and in
/// the queue; no answer goes out until the consultation is recorded as ended.
#[tokio::test]
async fn a_consultation_shows_its_end_and_must_be_closed_before_answering() {
    let h = Harness::fixture().await;
    let mut clerk = h.login("clerk").await;
    let csrf = clerk.csrf().await;
    let unknown = clerk
        .post_form(
            "/staff/cases/2026-D0001/act",
            &[
                ("csrf", &csrf),
                ("action", "start_consultation"),
                ("date", "2026-11-27"),
                ("party", "某公司"),
                ("consulted", "somebody"),
            ],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.body.contains("请选择第三方或其他机关"));
    clerk
        .act(
            "2026-D0001",
            &[
                ("action", "start_consultation"),
                ("date", "2026-11-27"),
                ("party", "示例县住房和城乡建设局"),
                ("consulted", "other_agency"),
            ],
        )
        .await;
    let case = clerk.get("/staff/cases/2026-D0001").await;
    assert!(
        case.body
            .contains("征求其他机关（第三十四条）意见期限：<strong>2026年12月18日</strong>"),
        "{}",
        case.text_snippet()
    );
    assert!(
        clerk
            .get("/staff")
            .await
            .body
            .contains("征求意见至2026-12-18")
    );
    let csrf = clerk.csrf().await;
    let early = clerk
        .post_form(
            "/staff/cases/2026-D0001/act",
            &[
                ("csrf", &csrf),
                ("action", "submit_answer"),
                ("outcome", "disclosed"),
                ("text", "予以公开。"),
            ],
        )
        .await;
    assert_ne!(early.status, StatusCode::SEE_OTHER);
    assert!(
        early.body.contains("请先登记征求意见结束"),
        "{}",
        early.text_snippet()
    );
    clerk
        .act(
            "2026-D0001",
            &[("action", "end_consultation"), ("date", "2026-11-27")],
        )
        .await;
    clerk
        .act(
            "2026-D0001",
            &[
                ("action", "submit_answer"),
                ("outcome", "disclosed"),
                ("text", "予以公开。"),
            ],
        )
        .await;
    assert_eq!(h.case("2026-D0001").await.state.code(), "under_review");
}

/// A date counted into a year whose holiday notice is not loaded is shown as 暂定, and counted
/// again once an administrator loads the notice.
#[tokio::test]
async fn dates_past_the_last_notice_are_provisional_until_it_is_loaded() {
    let h = Harness::fixture().await;
    let mut clerk = h.login("clerk").await;
    let number = h.find_state("pending").await;
    clerk
        .act(&number, &[("action", "register"), ("department", "")])
        .await;
    clerk
        .act(
            &number,
            &[
                ("action", "request_supplement"),
                ("date", "2026-11-27"),
                ("what", "请写明文号"),
                ("period", "30"),
            ],
        )
        .await;
    let case = clerk.get(&format!("/staff/cases/{number}")).await;
    let line = case.between("id=\"supplement-due\">", "</p>");
    assert!(
        line.contains("2027年") && line.contains("（暂定）"),
        "{line}"
    );
    let mut root = h.login("root").await;
    let csrf = root.csrf().await;
    let notice =
        r#"{"year":2027,"papers":[],"days":[{"name":"元旦","date":"2027-01-01","isOffDay":true}]}"#;
    let r = root
        .post_form("/staff/calendar", &[("csrf", &csrf), ("notice", notice)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    let case = clerk.get(&format!("/staff/cases/{number}")).await;
    let line = case.between("id=\"supplement-due\">", "</p>");
    assert!(!line.contains("暂定"), "{line}");
}

/// 第三十三条第一款: made in person and answerable at once — answered and handed over on the
/// spot, the answer letter issued; the choice is offered only on the day itself.
#[tokio::test]
async fn an_in_person_application_is_answered_on_the_spot() {
    let h = Harness::fixture().await;
    let mut clerk = h.login("clerk").await;
    let csrf = clerk.csrf().await;
    let r = clerk
        .post_form(
            "/staff/register",
            &[
                ("csrf", &csrf),
                ("channel", "in_person"),
                ("received", "2026-11-27"),
                ("kind", "natural_person"),
                ("name", "来访人"),
                ("id_type", "other"),
                ("id_name", "护照"),
                ("id_number", "E7654321"),
                ("phone", "13600000000"),
                ("content", "城关镇2026年部门预算"),
                ("wanted_form", "当场阅读"),
            ],
        )
        .await;
    let location = r.header("location");
    let number = location
        .trim_start_matches("/staff/cases/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let page = clerk.get(&format!("/staff/cases/{number}")).await;
    assert!(page.body.contains("act-answer_on_the_spot"));
    assert!(
        !page
            .between("answer_on_the_spot-outcome", "</select>")
            .contains("withheld")
    );
    clerk
        .act(
            &number,
            &[
                ("action", "answer_on_the_spot"),
                ("outcome", "disclosed"),
                (
                    "text",
                    "该预算已在本机关网站“财政信息”栏目公开，当场提供打印件。",
                ),
            ],
        )
        .await;
    let case = h.case(&number).await;
    assert_eq!(case.state.code(), "delivered");
    let page = clerk.get(&format!("/staff/cases/{number}")).await;
    assert!(
        page.body.contains("政府信息公开申请答复书"),
        "{}",
        page.text_snippet()
    );
    // 2026-D0001 came on 2 November: too late to answer it on the spot.
    let old = clerk.get("/staff/cases/2026-D0001").await;
    assert!(!old.body.contains("act-answer_on_the_spot"));
}
