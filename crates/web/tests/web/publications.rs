//! 主动公开: 先审后发 on every path, scheduled and late items, search, markup and attachments.

use axum::http::StatusCode;
use gongkai_domain::{Role, store::prelude::*};

use crate::support::{Client, Harness};

#[tokio::test]
async fn the_portal_shows_only_what_passed_every_review() {
    let h = Harness::fixture().await;
    let all = h.app.store.publications(&h.agency()).await.unwrap();
    let public: Vec<_> = all.iter().filter(|p| p.is_public()).collect();
    let hidden: Vec<_> = all.iter().filter(|p| !p.is_public()).collect();
    assert!(
        public.len() >= 4 && hidden.len() >= 3,
        "{} public, {} not",
        public.len(),
        hidden.len()
    );
    let mut c = h.client();
    let catalog = c.get("/agencies/street/publications").await;
    assert_eq!(catalog.status, StatusCode::OK);
    for p in &public {
        assert!(
            catalog.body.contains(&p.draft.title),
            "{} missing",
            p.draft.title
        );
        let page = c
            .get(&format!("/agencies/street/publications/{}", p.id))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(p.index_number.as_deref().unwrap()));
        assert!(
            page.body.contains("发布机构")
                && page.body.contains("成文日期")
                && page.body.contains("有效性")
        );
    }
    for p in &hidden {
        assert!(
            !catalog.body.contains(&p.draft.title),
            "{} shown before approval",
            p.draft.title
        );
        let page = c
            .get(&format!("/agencies/street/publications/{}", p.id))
            .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{}", p.draft.title);
        assert!(!page.body.contains(&p.draft.title));
    }
    // A repealed item stays readable, marked.
    let repealed = public
        .iter()
        .find(|p| p.validity != gongkai_domain::publication::Validity::Valid)
        .unwrap();
    let page = c
        .get(&format!("/agencies/street/publications/{}", repealed.id))
        .await;
    assert!(page.body.contains("已废止"));
    // Filters, the feed and the sitemap list only public items.
    let filtered = c
        .get("/agencies/street/publications?category=%E8%B4%A2%E6%94%BF%E4%BF%A1%E6%81%AF")
        .await;
    assert!(filtered.body.contains("部门预算") && !filtered.body.contains("主要职责"));
    let atom = c.get("/agencies/street/publications.atom").await;
    assert_eq!(
        atom.header("content-type"),
        "application/atom+xml; charset=utf-8"
    );
    assert!(atom.body.starts_with("<?xml") && atom.body.contains("<entry>"));
    for p in &hidden {
        assert!(!atom.body.contains(&p.draft.title));
    }
    let index = c.get("/sitemap.xml").await;
    assert!(
        index.body.contains("<sitemapindex")
            && index.body.contains("/agencies/street/sitemap.xml</loc>"),
        "{}",
        index.body
    );
    let sitemap = c.get("/agencies/street/sitemap.xml").await;
    assert!(sitemap.body.contains(&format!(
        "/agencies/street/publications/{}</loc>",
        public[0].id
    )));
    assert!(
        !sitemap
            .body
            .contains(&format!("/agencies/street/publications/{}<", hidden[0].id))
    );
    // 索引号 follow the agency's pattern and never repeat.
    let mut numbers: Vec<&str> = public
        .iter()
        .map(|p| p.index_number.as_deref().unwrap())
        .collect();
    assert!(
        numbers
            .iter()
            .all(|n| n.starts_with("cg/2026-") && n.len() == "cg/2026-0000001".len()),
        "{numbers:?}"
    );
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), public.len());
}

async fn publication_id(h: &Harness, state: &str) -> u64 {
    h.app
        .store
        .publications(&h.agency())
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.state.code() == state)
        .unwrap()
        .id
}

#[tokio::test]
async fn no_path_publishes_without_every_approval() {
    let h = Harness::fixture().await;
    let mut clerk = h.login("clerk").await;
    // Draft a new item through the form; a missing title comes back beside its field.
    let csrf = clerk.csrf().await;
    let r = clerk
        .post_form(
            "/staff/publications/new",
            &[
                ("csrf", &csrf),
                ("title", ""),
                ("category", "政务动态"),
                ("written_on", "2026-11-27"),
                ("body", "正文"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("id=\"f-title-error\""),
        "{}",
        r.text_snippet()
    );
    let r = clerk
        .post_form(
            "/staff/publications/new",
            &[
                ("csrf", &csrf),
                ("title", "街道寒潮防范提示"),
                ("category", "政务动态"),
                ("written_on", "2026-11-27"),
                ("body", "第一段\n第二段"),
                ("channel_政府网站", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    let id: u64 = r
        .header("location")
        .trim_start_matches("/staff/publications/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    async fn act(c: &mut Client, id: u64, action: &str) -> crate::support::Reply {
        let csrf = c.csrf().await;
        c.post_form(
            &format!("/staff/publications/{id}/act"),
            &[
                ("csrf", &csrf),
                ("action", action),
                ("reason", "理由"),
                ("opinion", "经审查，不涉及国家秘密，同意公开"),
            ],
        )
        .await
    }
    // The drafter cannot approve; nobody can before it is submitted.
    assert_eq!(
        act(&mut clerk, id, "approve").await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        act(&mut clerk, id, "submit").await.status,
        StatusCode::SEE_OTHER
    );
    let mut secrecy = h.login("secrecy").await;
    assert_eq!(
        act(&mut secrecy, id, "approve").await.status,
        StatusCode::FORBIDDEN,
        "保密审查 cannot take the department's step"
    );
    let mut reviewer = h.login("reviewer").await;
    assert_eq!(
        act(&mut reviewer, id, "approve").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        h.client()
            .get(&format!("/agencies/street/publications/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        act(&mut reviewer, id, "approve").await.status,
        StatusCode::FORBIDDEN,
        "the reviewer cannot skip 保密审查"
    );
    assert_eq!(
        act(&mut secrecy, id, "approve").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        h.client()
            .get(&format!("/agencies/street/publications/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The last step is the office head's; the reviewer who took the first may not take it.
    assert_eq!(
        act(&mut reviewer, id, "approve").await.status,
        StatusCode::FORBIDDEN,
        "签发 is another person's"
    );
    // 签发 by two office heads at once from the same version: one wins.
    h.add_user("head2", &h.agency(), &[Role::OfficeHead]).await;
    let mut head = h.login("head").await;
    let mut other = h.login("head2").await;
    let version = h
        .app
        .store
        .publication(&h.agency(), id)
        .await
        .unwrap()
        .unwrap()
        .version
        .to_string();
    let csrf_a = head.csrf().await;
    let csrf_b = other.csrf().await;
    let path = format!("/staff/publications/{id}/act");
    let fields_a = [
        ("csrf", csrf_a.as_str()),
        ("action", "approve"),
        ("opinion", "经审查，不涉及国家秘密，同意公开"),
        ("version", version.as_str()),
    ];
    let fields_b = [
        ("csrf", csrf_b.as_str()),
        ("action", "approve"),
        ("opinion", "经审查，不涉及国家秘密，同意公开"),
        ("version", version.as_str()),
    ];
    let (a, b) = tokio::join!(
        head.post_form(&path, &fields_a),
        other.post_form(&path, &fields_b)
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::CONFLICT]);
    let published = h
        .app
        .store
        .publication(&h.agency(), id)
        .await
        .unwrap()
        .unwrap();
    assert!(published.is_public());
    assert_eq!(published.approvals.len(), 3);
    let page = h
        .client()
        .get(&format!("/agencies/street/publications/{id}"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains(published.index_number.as_deref().unwrap())
    );
    // Withdrawn: the address answers 410 and shows nothing of it.
    let mut reviewer = h.login("reviewer").await;
    assert_eq!(
        act(&mut reviewer, id, "withdraw").await.status,
        StatusCode::SEE_OTHER
    );
    let gone = h
        .client()
        .get(&format!("/agencies/street/publications/{id}"))
        .await;
    assert_eq!(gone.status, StatusCode::GONE);
    assert!(!gone.body.contains("第一段"));
    // Every step is in the audit log.
    let actions: Vec<String> = h
        .app
        .store
        .audit_entries()
        .await
        .unwrap()
        .into_iter()
        .filter(|e| {
            e.record.subject == id.to_string() && e.record.action.starts_with("publication.")
        })
        .map(|e| e.record.action)
        .collect();
    assert_eq!(
        actions,
        [
            "publication.add",
            "publication.submit",
            "publication.approve",
            "publication.approve",
            "publication.approve",
            "publication.withdraw"
        ]
    );
}

#[tokio::test]
async fn scheduled_items_wait_for_their_day_and_late_ones_are_listed() {
    let h = Harness::fixture().await;
    let scheduled = publication_id(&h, "scheduled").await;
    assert_eq!(
        gongkai_web::release_scheduled_everywhere(&h.app)
            .await
            .unwrap(),
        0,
        "not yet"
    );
    assert_eq!(
        h.client()
            .get(&format!("/agencies/street/publications/{scheduled}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let mut clerk = h.login("clerk").await;
    let list = clerk.get("/staff/publications").await;
    assert!(list.body.contains("各科室时限情况") && list.body.contains("超期发布"));
    assert!(list.body.contains("党政办公室") && list.body.contains("财政所"));
    let review = clerk.get("/staff/publications?state=review").await;
    assert!(
        review.body.contains("审核中：保密审查"),
        "{}",
        review.text_snippet()
    );
}

#[tokio::test]
async fn the_portal_searches_what_is_public_and_marks_the_words() {
    let h = Harness::fixture().await;
    let mut c = h.client();
    let r = c
        .get("/search?q=%E8%80%81%E6%97%A7%E5%B0%8F%E5%8C%BA")
        .await; // 老旧小区
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("<mark>老旧小区</mark>") || r.body.contains("<mark>老旧</mark>"),
        "{}",
        r.text_snippet()
    );
    assert!(r.body.contains("改造工作方案"), "{}", r.text_snippet());
    // Items not (or no longer) public are not found.
    let hidden: Vec<_> = h
        .app
        .store
        .publications(&h.agency())
        .await
        .unwrap()
        .into_iter()
        .filter(|p| !p.is_public())
        .collect();
    let in_review = hidden
        .iter()
        .find(|p| p.draft.title.contains("立面整治"))
        .unwrap();
    let r = c
        .get("/search?q=%E7%AB%8B%E9%9D%A2%E6%95%B4%E6%B2%BB")
        .await; // 立面整治
    assert!(
        !r.body.contains(&in_review.draft.title),
        "found before approval"
    );
    // Published through the review chain, it is found at once; withdrawn, it is gone.
    let id = in_review.id.to_string();
    let mut head = h.login("head").await;
    let csrf = head.csrf().await;
    let mut reviewer = h.login("reviewer").await;
    let csrf_r = reviewer.csrf().await;
    let mut secrecy = h.login("secrecy").await;
    let csrf_s = secrecy.csrf().await;
    let path = format!("/staff/publications/{id}/act");
    assert_eq!(
        secrecy
            .post_form(
                &path,
                &[
                    ("csrf", &csrf_s),
                    ("action", "approve"),
                    ("opinion", "经审查，不涉及国家秘密，同意公开"),
                ],
            )
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        head.post_form(&path, &[("csrf", &csrf), ("action", "approve")])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let r = c
        .get("/search?q=%E7%AB%8B%E9%9D%A2%E6%95%B4%E6%B2%BB")
        .await;
    assert!(r.body.contains("立面整治"), "{}", r.text_snippet());
    assert_eq!(
        reviewer
            .post_form(
                &path,
                &[
                    ("csrf", &csrf_r),
                    ("action", "withdraw"),
                    ("reason", "有误")
                ]
            )
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let r = c
        .get("/search?q=%E7%AB%8B%E9%9D%A2%E6%95%B4%E6%B2%BB")
        .await;
    assert!(r.body.contains("找到0条"), "{}", r.text_snippet());
    // Filters by agency and category; markup in the query is text.
    let r = c.get("/search?q=%E9%A2%84%E7%AE%97&agency=district").await; // 预算
    assert!(r.body.contains("找到0条"));
    let r = c.get("/search?q=%3Cscript%3E").await;
    assert!(!r.body.contains("<script>"));
    // A query past its bound is refused in words that say what to do, here and at the kiosk.
    let long = gongkai_web::views::urlencode(&"改".repeat(101));
    for path in [
        format!("/search?q={long}"),
        format!("/kiosk/street/search?q={long}"),
    ] {
        let r = c.get(&path).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        assert!(r.body.contains("最多100个字"), "{}", r.text_snippet());
    }
}

#[tokio::test]
async fn publications_carry_safe_markup_and_attachments_public_only_once_approved() {
    let h = Harness::fixture().await;
    let mut clerk = h.login("clerk").await;
    let csrf = clerk.csrf().await;
    let fields = [
        ("csrf", csrf.as_str()),
        ("title", "关于老旧小区改造的公示"),
        ("category", "政务动态"),
        ("written_on", "2026-11-26"),
        (
            "body",
            "## 一、改造范围\n- 和平路1号院\n- 和平路3号院\n详见**附件**。<script>alert(1)</script>\n[javascript](javascript:alert(1))",
        ),
        ("channel_政府网站", "yes"),
    ];
    let bad = clerk
        .post_multipart(
            "/staff/publications/new",
            &fields,
            &[("名单.exe", b"MZ\x90\x00")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("不是可接受的文件"),
        "{}",
        bad.text_snippet()
    );
    let pdf = b"%PDF-1.7\n% test\n";
    let r = clerk
        .post_multipart("/staff/publications/new", &fields, &[("改造名单.pdf", pdf)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    let id: String = r
        .header("location")
        .trim_start_matches("/staff/publications/")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let portal_file = format!("/agencies/street/publications/{id}/attachments/0");
    assert_eq!(
        h.client().get(&portal_file).await.status,
        StatusCode::NOT_FOUND,
        "not public yet"
    );
    let staff_file = clerk
        .get(&format!("/staff/publications/{id}/attachments/0"))
        .await;
    assert_eq!(staff_file.bytes, pdf, "reviewers see what they approve");
    let csrf = clerk.csrf().await;
    clerk
        .post_form(
            &format!("/staff/publications/{id}/act"),
            &[("csrf", &csrf), ("action", "submit")],
        )
        .await;
    h.approve_along_the_chain(&id).await;
    let mut public = h.client();
    let page = public
        .get(&format!("/agencies/street/publications/{id}"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("<h3>一、改造范围</h3>") && page.body.contains("<li>和平路1号院</li>")
    );
    assert!(page.body.contains("<strong>附件</strong>") && page.body.contains("&lt;script&gt;"));
    assert!(!page.body.contains("href=\"javascript"));
    assert!(page.body.contains(&portal_file) && page.body.contains("改造名单.pdf"));
    let file = public.get(&portal_file).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.bytes, pdf);
    assert_eq!(file.header("content-type"), "application/pdf");
}

/// 第二十六条 变更: a published item is not edited in place — a new version is drafted with its
/// 变更日期, reviewed along the whole chain, and once public the old page points to it.
#[tokio::test]
async fn a_changed_publication_is_a_new_version_counted_from_its_change() {
    let h = Harness::fixture().await;
    let original = h
        .app
        .store
        .public_publications(&h.agency())
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.draft.title == "城关镇2026年部门预算")
        .unwrap();
    let mut clerk = h.login("clerk").await;
    let form = clerk
        .get(&format!("/staff/publications/{}/revise", original.id))
        .await;
    assert!(form.body.contains("城关镇2026年部门预算") && form.body.contains("2026-11-27"));
    let csrf = clerk.csrf().await;
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("title", "城关镇2026年部门预算（调整后）"),
        ("category", original.draft.category.as_str()),
        ("written_on", "2026-11-20"),
        ("changed_on", ""),
        ("body", "预算调整后的全文"),
        ("channel_政府网站", "yes"),
    ];
    let path = format!("/staff/publications/{}/revise", original.id);
    let r = clerk.post_form(&path, &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("须填写变更日期"), "{}", r.text_snippet());
    fields[4] = ("changed_on", "2026-11-25");
    let r = clerk.post_form(&path, &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text_snippet());
    let id: u64 = r
        .header("location")
        .trim_start_matches("/staff/publications/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let draft = clerk.get(&format!("/staff/publications/{id}")).await;
    // 20 working days from the 变更日期 (2026-11-25), not from 成文.
    assert!(
        draft.body.contains("2026年12月23日前（第二十六条）"),
        "{}",
        draft.text_snippet()
    );
    assert!(draft.body.contains("修订自"));
    // Until the new version is public, the old one is the current one.
    let mut public = h.client();
    let old_page = format!("/agencies/street/publications/{}", original.id);
    assert!(
        !public
            .get(&old_page)
            .await
            .body
            .contains("id=\"superseded\"")
    );

    let csrf = clerk.csrf().await;
    let r = clerk
        .post_form(
            &format!("/staff/publications/{id}/act"),
            &[("csrf", &csrf), ("action", "submit")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    h.approve_along_the_chain(&id.to_string()).await;
    let old = public.get(&old_page).await;
    assert_eq!(old.status, StatusCode::OK, "the old address stays");
    assert!(
        old.between("id=\"superseded\"", "</p>")
            .contains(&format!("/publications/{id}"))
    );
    let new = public
        .get(&format!("/agencies/street/publications/{id}"))
        .await;
    assert!(new.body.contains("id=\"revises\"") && new.body.contains("2026年11月25日变更"));
    let list = public.get("/agencies/street/publications").await;
    assert!(list.body.contains("（调整后）"));
    assert!(
        !list
            .body
            .contains(&format!("/agencies/street/publications/{}\"", original.id)),
        "the list shows the current version only"
    );
    // A superseded item cannot be revised again.
    let again = clerk.post_form(&path, &fields).await;
    assert_eq!(
        again.status,
        StatusCode::CONFLICT,
        "{}",
        again.text_snippet()
    );
}

/// The 公开目录 lists an agency's items fifty to a page, the filters kept from page to page.
#[tokio::test]
async fn the_catalog_is_read_a_page_at_a_time() {
    use gongkai_domain::{
        Actor, Role, UserName,
        publication::{Draft, Publication, PublicationAction, PublicationState, ReviewChain},
        store::Stamp,
    };
    let h = Harness::fixture().await;
    let street = h.agency();
    let person = |name: &str, role| Actor {
        user: UserName::parse(name).unwrap(),
        agency: street.clone(),
        roles: vec![role],
    };
    let today = h.app.today();
    let now = h.app.now();
    let mut items = Vec::new();
    for id in 1000..1060u64 {
        let draft = Draft {
            title: format!("第{id}号通知"),
            body: vec!["正文".into()],
            category: "通知公告".into(),
            topic: String::new(),
            written_on: today,
            changed_on: None,
            doc_number: None,
            channels: vec!["政府网站".into()],
            release_on: None,
            department: None,
            catalog_entry: None,
            attachments: Vec::new(),
            interprets: None,
        };
        let mut p = Publication::new(
            street.clone(),
            id,
            "城关镇",
            &person("clerk", Role::CaseOfficer),
            draft,
            ReviewChain::standard(),
        )
        .unwrap();
        p = p
            .apply(
                &person("clerk", Role::CaseOfficer),
                PublicationAction::Submit,
                now,
                today,
            )
            .unwrap();
        for (who, role) in [
            ("reviewer", Role::Reviewer),
            ("secrecy", Role::SecrecyReviewer),
            ("head", Role::OfficeHead),
        ] {
            if p.state != PublicationState::Published {
                p = p
                    .apply(
                        &person(who, role),
                        PublicationAction::approve_with("经审查同意公开"),
                        now,
                        today,
                    )
                    .unwrap();
            }
        }
        p.index_number = Some(format!("page-test/{id}"));
        items.push(p);
    }
    let stamp = Stamp {
        actor: "test".into(),
        at: now,
    };
    h.app.store.add_publications(&items, &stamp).await.unwrap();
    let mut c = h.client();
    let first = c
        .get("/agencies/street/publications?category=通知公告")
        .await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(
        first.body.matches("号通知</a>").count(),
        50,
        "fifty to a page"
    );
    assert!(first.body.contains("第 1/2 页"), "{}", first.text_snippet());
    assert!(first.body.contains("page=2&amp;category=通知公告"));
    let second = c
        .get("/agencies/street/publications?page=2&category=通知公告")
        .await;
    assert_eq!(second.body.matches("号通知</a>").count(), 10);
    assert!(second.body.contains("上一页"));
    let beyond = c.get("/agencies/street/publications?page=99").await;
    assert_eq!(
        beyond.status,
        StatusCode::OK,
        "a page past the last shows the last"
    );
}

/// Work finds its people: each reviewer's 我的待办 lists the publications waiting on a step in
/// their role; a supervisor lands on the 下级机关汇总.
#[tokio::test]
async fn reviewers_land_on_what_waits_for_them() {
    let h = Harness::fixture().await;
    let all = h.app.store.publications(&h.agency()).await.unwrap();
    let waiting: Vec<_> = all.iter().filter(|p| p.waiting_on().is_some()).collect();
    assert!(!waiting.is_empty(), "the fixture has items in review");
    let mut listed = 0;
    for (user, role) in [
        ("reviewer", Role::Reviewer),
        ("head", Role::OfficeHead),
        ("secrecy", Role::SecrecyReviewer),
    ] {
        let mut c = h.login(user).await;
        let page = c.get("/staff").await;
        for p in &waiting {
            let mine = p.waiting_on().unwrap().role == role;
            let shown = page.body.contains("id=\"waiting-for-me\"")
                && page
                    .between("id=\"waiting-for-me\"", "</section>")
                    .contains(&p.draft.title);
            assert_eq!(shown, mine, "{user}: {}", p.draft.title);
            listed += usize::from(shown);
        }
        // The menu counts them on every page: the same number as the list.
        let items = if page.body.contains("id=\"waiting-for-me\"") {
            page.between("id=\"waiting-for-me\"", "</section>")
                .matches("<li>")
                .count()
        } else {
            0
        };
        let elsewhere = c.get("/staff/statistics").await;
        let badge = if elsewhere.body.contains("id=\"waiting-count\"") {
            elsewhere
                .between("id=\"waiting-count\">", "<")
                .parse::<usize>()
                .unwrap()
        } else {
            0
        };
        assert_eq!(badge, items, "{user}");
    }
    assert!(listed > 0, "some item waited on one of them");
    // The supervisor lands on the summary of the agencies below.
    let mut c = h.client();
    let csrf = c.csrf().await;
    let r = c
        .post_form(
            "/staff/login",
            &[
                ("csrf", &csrf),
                ("user", "supervisor"),
                ("password", crate::fixture::PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.header("location"), "/staff/supervision");
}

/// 政策解读 (#18): a 解读 names the policy document it explains; once public, each page links
/// to the other; the back office lists the documents by where they stand; a 解读 of something
/// that is not a public policy document is refused on its field.
#[tokio::test]
async fn an_interpretation_and_its_document_link_to_each_other() {
    let h = Harness::fixture().await;
    let mut clerk = h.login("clerk").await;
    let public = h.app.store.public_publications(&h.agency()).await.unwrap();
    let document = public
        .iter()
        .find(|p| p.draft.title == "城关镇老旧小区改造工作方案")
        .unwrap();
    let notice = public
        .iter()
        .find(|p| !p.draft.category.starts_with("政策文件"))
        .unwrap();
    let csrf = clerk.csrf().await;
    let (document_id, notice_id) = (document.id.to_string(), notice.id.to_string());
    let fields = |explained: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("title", "图解：城关镇老旧小区改造工作方案".to_string()),
            ("category", "政策解读".to_string()),
            ("written_on", "2026-11-26".to_string()),
            ("body", "一图读懂改造范围、时间和资金来源。".to_string()),
            ("channel_政府网站", "yes".to_string()),
            ("interprets_document", explained.to_string()),
            ("interprets_form", "graphic".to_string()),
        ]
    };
    let wrong = fields(&notice_id);
    let wrong: Vec<(&str, &str)> = wrong.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = clerk
        .post_multipart("/staff/publications/new", &wrong, &[])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("请选择本机关已公开的政策文件"),
        "{}",
        refused.text_snippet()
    );
    let right = fields(&document_id);
    let right: Vec<(&str, &str)> = right.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let made = clerk
        .post_multipart("/staff/publications/new", &right, &[])
        .await;
    assert_eq!(
        made.status,
        StatusCode::SEE_OTHER,
        "{}",
        made.text_snippet()
    );
    let id: u64 = made
        .header("location")
        .trim_start_matches("/staff/publications/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    // Through the review chain, as every item goes.
    let agency = h.app.agency(&h.agency()).await.unwrap();
    crate::fixture::publish_draft(&h.app, &agency, id).await;
    // Both ways on the portal.
    let mut visitor = h.client();
    let document_page = visitor
        .get(&format!("/agencies/street/publications/{}", document.id))
        .await;
    let listed = document_page.between("id=\"interpretations\"", "</section>");
    assert!(
        listed.contains(&format!("/agencies/street/publications/{id}")) && listed.contains("图解"),
        "{listed}"
    );
    let interpretation_page = visitor
        .get(&format!("/agencies/street/publications/{id}"))
        .await;
    assert!(
        interpretation_page
            .between("id=\"explains\"", "</p>")
            .contains(&format!("/agencies/street/publications/{}", document.id))
    );
    // The back office: this document explained on time; the rules published today wait for
    // theirs (due three working days later).
    let list = clerk.get("/staff/interpretations").await;
    let table = list.between("id=\"interpretation-list\"", "</table>");
    let row_of = |title: &str| {
        let at = table
            .find(title)
            .unwrap_or_else(|| panic!("{title} in {table}"));
        table[at..].split("</tr>").next().unwrap().to_string()
    };
    assert!(row_of("城关镇老旧小区改造工作方案").contains("按时解读"));
    assert!(row_of("城关镇集市管理办法").contains("待解读"));
    assert!(
        list.between("id=\"interpretation-year\"", "</dl>")
            .contains("图解1篇")
    );
}
