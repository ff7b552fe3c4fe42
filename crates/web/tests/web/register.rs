//! 第二十条 register and the 主动公开 catalog: table 二 from the register, imports all or nothing.

use axum::http::StatusCode;
use gongkai_domain::store::prelude::*;

use crate::support::{Client, Harness, Reply};

#[tokio::test]
async fn table_two_comes_from_the_register() {
    let h = Harness::fixture().await;
    let mut clerk = h.login("clerk").await;
    // Nothing entered for 2025: every cell of table 二 is blank, not 0.
    let page = clerk.get("/staff/register20?year=2025").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("未填"));
    let csrf = clerk.csrf().await;
    let zeros = [
        ("csrf", csrf.as_str()),
        ("year", "2025"),
        ("licensing", "0"),
        ("punishment", "0"),
        ("enforcement", "0"),
        ("fees", "0"),
    ];
    let r = clerk.post_form("/staff/register20/figures", &zeros).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    let page = clerk.get("/staff/register20?year=2025").await;
    assert!(!page.body.contains("未填"), "every 2025 cell entered");
    // This year: two 行政规范性文件 issued, one of them repealed; 12 行政处罚.
    for (title, number, issued) in [
        ("关于甲事项的通知", "城政发〔2026〕1号", "2026-02-10"),
        ("关于乙事项的通知", "城政发〔2026〕2号", "2026-03-15"),
    ] {
        let r = clerk
            .post_form(
                "/staff/register20/documents",
                &[
                    ("csrf", &csrf),
                    ("year", "2026"),
                    ("kind", "normative_document"),
                    ("title", title),
                    ("doc_number", number),
                    ("issued_on", issued),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    }
    let first = h.app.store.register_documents(&h.agency()).await.unwrap()[0].id;
    let r = clerk
        .post_form(
            "/staff/register20/repeal",
            &[
                ("csrf", &csrf),
                ("year", "2026"),
                ("id", &first.to_string()),
                ("date", "2026-10-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    let r = clerk
        .post_form(
            "/staff/register20/figures",
            &[("csrf", &csrf), ("year", "2026"), ("punishment", "12")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = clerk.get("/staff/register20?year=2026").await;
    let table = page.between("id=\"table2\"", "</table>");
    assert!(
        table.contains("本年制发件数：<strong>2</strong>"),
        "{table}"
    );
    assert!(
        table.contains("本年废止件数：<strong>1</strong>")
            && table.contains("现行有效件数：<strong>1</strong>")
    );
    assert!(table.contains("<strong>12</strong>"));
    // Entering a document and a repeal changes the table; bad input is named.
    let csrf = clerk.csrf().await;
    let r = clerk
        .post_form(
            "/staff/register20/documents",
            &[
                ("csrf", &csrf),
                ("year", "2026"),
                ("kind", "normative_document"),
                ("title", "关于某事项的通知"),
                ("doc_number", ""),
                ("issued_on", "2026-11-20"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("文号"));
    let r = clerk
        .post_form(
            "/staff/register20/documents",
            &[
                ("csrf", &csrf),
                ("year", "2026"),
                ("kind", "normative_document"),
                ("title", "关于某事项的通知"),
                ("doc_number", "示太政发〔2026〕11号"),
                ("issued_on", "2026-11-20"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    let r = clerk
        .post_form(
            "/staff/register20/figures",
            &[
                ("csrf", &csrf),
                ("year", "2026"),
                ("punishment", "13"),
                ("fees", "-1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = clerk
        .post_form(
            "/staff/register20/figures",
            &[
                ("csrf", &csrf),
                ("year", "2026"),
                ("punishment", "13"),
                ("fees", "0.35"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let table = clerk
        .get("/staff/register20?year=2026")
        .await
        .between("id=\"table2\"", "</table>");
    assert!(
        table.contains("本年制发件数：<strong>3</strong>")
            && table.contains("<strong>13</strong>")
            && table.contains("<strong>0.35</strong>")
    );
    assert!(
        table.contains("行政许可") && table.contains("未填"),
        "licensing left blank stays blank"
    );
    // The secrecy reviewer reads but does not enter.
    let mut secrecy = h.login("secrecy").await;
    let csrf = secrecy.csrf().await;
    let r = secrecy
        .post_form(
            "/staff/register20/figures",
            &[("csrf", &csrf), ("year", "2026"), ("punishment", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Channels are counted on the publications page.
    let list = clerk.get("/staff/publications").await;
    assert!(list.body.contains("各渠道发布数量") && list.body.contains("政务公众号"));
    // Per period: the year and its quarters; any earlier year.
    assert!(list.body.contains("三季度") && list.body.contains("四季度"));
    let earlier = clerk.get("/staff/publications?year=2024").await;
    assert!(earlier.body.contains("2024年各渠道发布数量"));
}

/// A checked import is sent to its job's page; once the runner is done the page says so and
/// the list shows it.
async fn follow_import(h: &Harness, clerk: &mut Client, r: &Reply, items: u64) {
    let page = r.header("location");
    assert!(page.starts_with("/staff/imports/"), "{page}");
    h.finish_imports().await;
    let job = clerk.get(&page).await;
    assert_eq!(job.status, StatusCode::OK);
    let state = job.between("id=\"import-state\"", "</dd>");
    assert!(state.contains("已完成"), "{}", job.text_snippet());
    assert!(
        job.body
            .contains(&format!("value=\"{items}\" max=\"{items}\"")),
        "{}",
        job.text_snippet()
    );
    assert!(
        !job.body.contains("http-equiv=\"refresh\""),
        "a finished job stops reloading"
    );
    let list = clerk.get("/staff/imports").await;
    assert!(list.body.contains(&format!("href=\"{page}\"")));
}

#[tokio::test]
async fn the_catalog_is_imported_whole_or_not_at_all_and_shows_what_is_overdue() {
    let h = Harness::fixture().await;
    let mut clerk = h.login("clerk").await;
    assert_eq!(clerk.get("/staff/catalog").await.status, StatusCode::OK);
    let before = h
        .app
        .store
        .catalog_entries(&h.agency())
        .await
        .unwrap()
        .len();
    let csrf = clerk.csrf().await;
    let bad = "公开事项,公开内容,公开依据,公开时限,牵头科室\n征地补偿,补偿标准,《土地管理法》,批准后20个工作日内,城建科\n,名单,依据,每季度,社会事务办\n危房改造,,依据,每年,城建科\n";
    let r = clerk
        .post_multipart(
            "/staff/catalog",
            &[("csrf", &csrf)],
            &[("目录.csv", bad.as_bytes())],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("第3行：“公开事项”为空") && r.body.contains("第4行：“公开内容”为空"),
        "{}",
        r.text_snippet()
    );
    assert_eq!(
        h.app
            .store
            .catalog_entries(&h.agency())
            .await
            .unwrap()
            .len(),
        before,
        "nothing imported"
    );
    // GBK text and Excel files are read too.
    let good = "公开事项,公开内容,公开依据,公开时限,牵头科室\n征地补偿,补偿标准,《土地管理法》,批准后20个工作日内,城建科\n财政收支,月度收支,预算法,每月15日前,财政所\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(good);
    let r = clerk
        .post_multipart("/staff/catalog", &[("csrf", &csrf)], &[("目录.csv", &gbk)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    follow_import(&h, &mut clerk, &r, 2).await;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, v) in ["公开事项", "公开内容", "内容概述", "公开时限", "公开主体"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *v).unwrap();
    }
    for (c, v) in [
        "危房改造",
        "补助对象和标准",
        "农村危房改造的补助对象、标准和名单",
        "每年",
        "城建科",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(1, c as u16, *v).unwrap();
    }
    let xlsx = book.save_to_buffer().unwrap();
    let r = clerk
        .post_multipart(
            "/staff/catalog",
            &[("csrf", &csrf)],
            &[("目录.xlsx", &xlsx)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    follow_import(&h, &mut clerk, &r, 1).await;
    let entries = h.app.store.catalog_entries(&h.agency()).await.unwrap();
    assert_eq!(entries.len(), before + 3);
    assert!(
        entries
            .iter()
            .any(|e| e.matter == "征地补偿" && e.owner == "城建科")
    );
    // The catalog's own 时限 is a deadline: nothing published for last month is shown.
    let page = clerk.get("/staff/catalog").await;
    assert!(
        page.body.contains("2026年10月未公开（时限至2026-10-31）"),
        "{}",
        page.text_snippet()
    );
    let ids: std::collections::BTreeSet<u64> = entries.iter().map(|e| e.id).collect();
    assert_eq!(ids.len(), entries.len(), "ids never repeat");
    // The public sees the catalog with its 内容概述 (or the 公开内容 where there is none).
    let mut public = h.client();
    let basic = public.get("/agencies/street/catalog").await;
    let table = basic.between("id=\"basic-catalog\"", "</table>");
    assert!(
        table.contains("农村危房改造的补助对象、标准和名单") && table.contains("补偿标准"),
        "{table}"
    );
    // The drafting form offers the entries.
    assert!(
        clerk
            .get("/staff/publications/new")
            .await
            .body
            .contains("危房改造")
    );
}

#[tokio::test]
async fn the_register_is_imported_whole_or_not_at_all() {
    let h = Harness::fixture().await;
    let mut clerk = h.login("clerk").await;
    let csrf = clerk.csrf().await;
    let before = h
        .app
        .store
        .register_documents(&h.agency())
        .await
        .unwrap()
        .len();
    let bad = "类别,名称,文号,制发日期\n规章,甲,1号,2026-01-05\n通知,乙,2号,2026-01-06\n行政规范性文件,丙,,2026-01-07\n";
    let r = clerk
        .post_multipart(
            "/staff/register20/import",
            &[("csrf", &csrf), ("year", "2026")],
            &[("登记.csv", bad.as_bytes())],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("第3行：类别「通知」") && r.body.contains("第4行："),
        "{}",
        r.text_snippet()
    );
    assert_eq!(
        h.app
            .store
            .register_documents(&h.agency())
            .await
            .unwrap()
            .len(),
        before,
        "nothing imported"
    );
    // Excel with real date cells.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, v) in ["类别", "文件名称", "发文字号", "印发日期", "废止日期"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *v).unwrap();
    }
    let date_format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    for (r, (kind, title, number, issued)) in [
        ("规章", "示例规章", "示例第1号令", (2026, 2, 3)),
        (
            "行政规范性文件",
            "关于公开栏管理的通知",
            "示太政发〔2026〕9号",
            (2026, 4, 1),
        ),
    ]
    .iter()
    .enumerate()
    {
        let row = r as u32 + 1;
        sheet.write_string(row, 0, *kind).unwrap();
        sheet.write_string(row, 1, *title).unwrap();
        sheet.write_string(row, 2, *number).unwrap();
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(issued.0, issued.1, issued.2).unwrap();
        sheet
            .write_datetime_with_format(row, 3, &date, &date_format)
            .unwrap();
    }
    let xlsx = book.save_to_buffer().unwrap();
    let r = clerk
        .post_multipart(
            "/staff/register20/import",
            &[("csrf", &csrf), ("year", "2026")],
            &[("登记.xlsx", &xlsx)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    follow_import(&h, &mut clerk, &r, 2).await;
    let documents = h.app.store.register_documents(&h.agency()).await.unwrap();
    assert_eq!(documents.len(), before + 2);
    assert!(
        documents
            .iter()
            .any(|d| d.title == "示例规章" && d.issued_on.to_string() == "2026-02-03")
    );
    let ids: std::collections::BTreeSet<u64> = documents.iter().map(|d| d.id).collect();
    assert_eq!(ids.len(), documents.len(), "ids never repeat");
    // Table 二 counts them.
    let page = clerk.get("/staff/register20?year=2026").await;
    assert!(page.body.contains("示例规章"));
}

/// Issue #14: a 4.9 KB workbook whose only cells are A1 and XFD1048575 made the server try to
/// allocate 549 GB. Both imports now refuse it, naming the far cell, and the server goes on.
#[tokio::test]
async fn a_sparse_spreadsheet_bomb_is_refused_not_allocated() {
    let h = Harness::fixture().await;
    let mut clerk = h.login("clerk").await;
    let csrf = clerk.csrf().await;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "公开事项").unwrap();
    sheet.write_string(1_048_574, 16_383, "x").unwrap();
    let bomb = book.save_to_buffer().unwrap();
    assert!(bomb.len() < 10_000, "{} bytes", bomb.len());
    for path in ["/staff/catalog", "/staff/register20/import"] {
        let r = clerk
            .post_multipart(
                path,
                &[("csrf", &csrf), ("year", "2026")],
                &[("目录.xlsx", &bomb)],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        assert!(
            r.body.contains("第1048575行第16384列超出可导入的范围"),
            "{path}: {}",
            r.text_snippet()
        );
    }
    assert_eq!(clerk.get("/staff/catalog").await.status, StatusCode::OK);
}

/// A job still waiting reloads its page and says where it stands; another agency's staff do
/// not find it; a failed one says what it kept.
#[tokio::test]
async fn an_import_job_shows_its_progress_until_it_ends() {
    use gongkai_domain::{
        imports::{self, ImportItem, StagedItem},
        register::{DocumentKind, RegisteredDocument},
    };
    let h = Harness::fixture().await;
    let items: Vec<StagedItem> = (1..=3)
        .map(|id| StagedItem {
            line: id as u32 + 1,
            item: ImportItem::RegisterDocument(
                RegisteredDocument::new(
                    h.agency(),
                    9000 + id,
                    DocumentKind::NormativeDocument,
                    "等待中的文件",
                    "示发〔2026〕1号",
                    gongkai_law::parse_date("d", "2026-01-05").unwrap(),
                    None,
                )
                .unwrap(),
            ),
        })
        .collect();
    let job = imports::stage(
        &h.app.store,
        &h.agency(),
        &format!("{}.csv", "很长的文件名".repeat(100)),
        &items,
        &h.app.stamp("clerk"),
        || h.app.now(),
        tokio::task::yield_now,
    )
    .await
    .unwrap();
    assert_eq!(
        job.file_name.chars().count(),
        imports::FILE_NAME_CHARS,
        "an upload's file name is kept short"
    );
    let mut clerk = h.login("clerk").await;
    let page = clerk.get(&format!("/staff/imports/{}", job.id)).await;
    assert!(page.body.contains("http-equiv=\"refresh\" content=\"2\""));
    assert!(
        page.between("id=\"import-state\"", "</dd>")
            .contains("排队中")
    );
    assert!(
        page.body.contains("已导入 0/3 份（0%）"),
        "{}",
        page.text_snippet()
    );
    h.add_outsider(&[gongkai_domain::Role::CaseOfficer]).await;
    let mut outsider = h.login("outsider").await;
    assert_eq!(
        outsider
            .get(&format!("/staff/imports/{}", job.id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        outsider.get("/staff/imports/x").await.status,
        StatusCode::NOT_FOUND
    );
    h.app
        .store
        .fail_import(job.id, "导入中途停止：测试。已导入前 0 份", h.app.now())
        .await
        .unwrap();
    let failed = clerk.get(&format!("/staff/imports/{}", job.id)).await;
    assert!(failed.body.contains("导入中途停止：测试"));
    assert!(!failed.body.contains("http-equiv=\"refresh\""));
}
