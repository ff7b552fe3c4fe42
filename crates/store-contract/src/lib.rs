//! The behaviour every store must have, run against SQLite and PostgreSQL alike. Each check is
//! a public function that starts from a freshly migrated, empty store, sets up what it needs and
//! panics with what went wrong; [`contract_tests!`] makes one test of each, so that a failure
//! names its check and hides none of the others.

use gongkai_domain::{
    Action, Actor, Agency, AgencyCode, AgencyLevel, Applicant, Application, ApplicationNumber,
    Channel, DomainError, NewApplication, Role, User, UserName,
    access::{AccessKind, AccessToken, secret_hash},
    audit, catalog,
    imports::{self, ImportItem, ImportKind, ImportState, StagedItem, Step},
    publication::{Draft, Publication, PublicationAction, PublicationState, ReviewChain},
    records::Record,
    register::{DocumentKind, RegisteredDocument, YearFigures},
    stats,
    store::{PUBLICATIONS_AT_ONCE, Stamp, Store, StoreError, subtree, table3_for_subtree},
};
use gongkai_law::{ApplicantKind, Date, Outcome, WorkingCalendar, parse_date};
use gongkai_report::model::{Table3Column, Table3Row};
use jiff::Timestamp;

fn d(text: &str) -> Date {
    parse_date("test", text).unwrap()
}

fn stamp(actor: &str) -> Stamp {
    Stamp {
        actor: actor.to_string(),
        at: Timestamp::from_second(1_700_000_000).unwrap(),
    }
}

fn code(text: &str) -> AgencyCode {
    AgencyCode::parse(text).unwrap()
}

fn application(agency: &str, number: &str, kind: ApplicantKind, received: &str) -> Application {
    let new = NewApplication {
        number: ApplicationNumber::parse(number).unwrap(),
        applicant: Applicant::new(kind, "申请人", None, "联系方式").unwrap(),
        channel: Channel::InPerson,
        received: d(received),
        content: "某项政府信息".into(),
        wanted_form: "纸质".into(),
    };
    Application::new(
        code(agency),
        new,
        Timestamp::from_second(1_700_000_000).unwrap(),
        d("2026-11-28"),
    )
    .unwrap()
}

fn officer(agency: &str) -> Actor {
    Actor {
        user: UserName::parse("clerk").unwrap(),
        agency: code(agency),
        roles: vec![Role::CaseOfficer, Role::Reviewer],
    }
}

/// What a check starts from: a fresh store, and how to clean up after it (drop the database).
pub struct Fresh<S> {
    pub store: S,
    pub cleanup: Option<std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>>,
}

impl<S: Store> Fresh<S> {
    /// A migrated store; `migrate` runs twice to show that it is harmless.
    pub async fn migrated(store: S) -> Self {
        store.migrate().await.expect("migrating an empty store");
        store.migrate().await.expect("migrating twice is harmless");
        Self {
            store,
            cleanup: None,
        }
    }

    pub async fn finish(self) {
        if let Some(cleanup) = self.cleanup {
            cleanup.await;
        }
    }
}

/// One `#[tokio::test]` per check, each on a store made by `fresh()` (an `async fn` returning
/// [`Fresh`]); attributes given (`#[ignore = "…"]`) go on every test.
#[macro_export]
macro_rules! contract_tests {
    ($(#[$attr:meta])* fn $fresh:ident) => {
        $crate::contract_tests!(@each [$(#[$attr])*] $fresh:
            agencies_and_users, applications_round_trip, optimistic_versioning,
            imports_are_all_or_nothing, statistics_agree_with_the_records,
            letters_are_numbered_per_year_and_kind, access_files_and_calendar,
            publications_need_every_approval, the_register_round_trips,
            records_are_versioned_and_audited, audit_chain_is_intact,
            applicants_are_linked_across_applications, a_submission_is_one_transaction,
            daily_quotas_are_shared_and_exact, imports_run_a_piece_at_a_time_and_resume,
            a_failed_import_says_what_it_kept, an_import_holds_its_application_numbers,
            the_search_outbox_is_a_log_every_server_reads);
    };
    (@each $attrs:tt $fresh:ident: $($check:ident),*) => {$(
        $crate::contract_tests!(@one $attrs $fresh $check);
    )*};
    (@one [$($attr:tt)*] $fresh:ident $check:ident) => {
        #[tokio::test]
        $($attr)*
        async fn $check() {
            let fresh = $fresh().await;
            $crate::$check(&fresh.store).await;
            fresh.finish().await;
        }
    };
}

/// Three agencies (示例区 over two streets) and the street's clerk.
async fn district<S: Store>(store: &S) {
    for (agency, name, level, parent) in [
        ("district", "示例区人民政府", AgencyLevel::County, None),
        (
            "street",
            "示例区太平街道办事处",
            AgencyLevel::Township,
            Some("district"),
        ),
        (
            "other",
            "另一街道办事处",
            AgencyLevel::Township,
            Some("district"),
        ),
    ] {
        let agency = Agency::new(code(agency), name, level, parent.map(code)).unwrap();
        store.add_agency(&agency, &stamp("admin")).await.unwrap();
    }
    store
        .add_user(&clerk_user(), &stamp("admin"))
        .await
        .unwrap();
}

fn clerk_user() -> User {
    User {
        name: UserName::parse("clerk").unwrap(),
        display_name: "李经办".into(),
        agency: code("street"),
        roles: vec![Role::CaseOfficer, Role::Reviewer],
        active: true,
    }
}

/// The district, and the street's application 2024-001 (returned as it was inserted).
async fn district_with_an_application<S: Store>(store: &S) -> Application {
    district(store).await;
    let app = application(
        "street",
        "2024-001",
        ApplicantKind::NaturalPerson,
        "2024-09-27",
    );
    store
        .insert_applications(std::slice::from_ref(&app), &stamp("clerk"))
        .await
        .unwrap()
        .remove(0)
}

/// Appeals (and every record kept as a document): new once, replaced only at the version read,
/// two saves of one version cannot both win, each change audited, other agencies see nothing.
pub async fn records_are_versioned_and_audited<S: Store>(store: &S) {
    district(store).await;
    use gongkai_domain::{
        appeal::{Appeal, AppealKind, AppealResult, Decision},
        records::{self, RecordKind, Versioned},
    };
    let street = code("street");
    let clerk = officer("street");
    let appeal = Appeal::new(
        &clerk,
        street.clone(),
        1,
        AppealKind::Reconsideration,
        ApplicationNumber::parse("2026-001").unwrap(),
        d("2026-04-01"),
        "示例区人民政府",
        "示复〔2026〕3号",
        d("2026-03-01"),
    )
    .unwrap();
    let audited = store.audit_entries().await.unwrap().len();
    assert_eq!(
        records::save(store, &appeal, 0, "add", &stamp("clerk"))
            .await
            .unwrap(),
        1
    );
    assert!(
        matches!(
            records::save(store, &appeal, 0, "add", &stamp("clerk")).await,
            Err(StoreError::Domain(DomainError::Conflict(_)))
        ),
        "a key is new only once"
    );
    let decided = appeal
        .decide(
            &clerk,
            Decision {
                on: d("2026-06-01"),
                result: AppealResult::Upheld,
                note: String::new(),
            },
        )
        .unwrap();
    let (by_clerk, by_other) = (stamp("clerk"), stamp("other"));
    let (a, b) = tokio::join!(
        records::save(store, &decided, 1, "decide", &by_clerk),
        records::save(store, &appeal, 1, "edit", &by_other)
    );
    assert!(
        a.is_ok() != b.is_ok(),
        "two saves of version 1: one wins ({a:?}, {b:?})"
    );
    let winner = if a.is_ok() { &decided } else { &appeal };
    let loaded: Vec<Versioned<Appeal>> = records::load_all(store, &street).await.unwrap();
    assert_eq!(
        loaded,
        [Versioned {
            value: winner.clone(),
            version: 2
        }]
    );
    assert_eq!(
        records::load::<Appeal, _>(store, &street, &appeal.key())
            .await
            .unwrap()
            .map(|v| v.version),
        Some(2)
    );
    assert!(
        store
            .records(&code("other"), RecordKind::Appeal)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .records(&street, RecordKind::Training)
            .await
            .unwrap()
            .is_empty()
    );
    let entries = store.audit_entries().await.unwrap();
    assert_eq!(entries.len(), audited + 2);
    assert_eq!(
        entries.last().unwrap().record.action.split('.').next(),
        Some("appeal")
    );
}

pub async fn the_register_round_trips<S: Store>(store: &S) {
    district(store).await;
    let street = code("street");
    let document = RegisteredDocument::new(
        street.clone(),
        1,
        DocumentKind::NormativeDocument,
        "临时停车收费标准",
        "街发〔2026〕7号",
        d("2026-03-01"),
        None,
    )
    .unwrap();
    store
        .save_register_document(&document, &stamp("clerk"))
        .await
        .unwrap();
    let repealed = RegisteredDocument {
        repealed_on: Some(d("2026-10-01")),
        ..document.clone()
    };
    store
        .save_register_document(&repealed, &stamp("clerk"))
        .await
        .unwrap();
    assert_eq!(
        store.register_documents(&street).await.unwrap(),
        std::slice::from_ref(&repealed)
    );
    // An import is all or none: one clash and nothing is added.
    let imported = RegisteredDocument {
        id: 2,
        ..document.clone()
    };
    assert!(
        store
            .add_register_documents(&[imported.clone(), document.clone()], &stamp("clerk"))
            .await
            .is_err()
    );
    assert_eq!(store.register_documents(&street).await.unwrap().len(), 1);
    store
        .add_register_documents(std::slice::from_ref(&imported), &stamp("clerk"))
        .await
        .unwrap();
    assert_eq!(
        store.register_documents(&street).await.unwrap(),
        [repealed, imported]
    );
    assert!(
        store
            .register_documents(&code("other"))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.year_figures(&street, 2026).await.unwrap(),
        YearFigures::default()
    );
    let figures = YearFigures {
        punishment: Some(12),
        fees_wan_yuan: Some("1.25".parse().unwrap()),
        ..YearFigures::default()
    };
    store
        .save_year_figures(&street, 2026, &figures, &stamp("clerk"))
        .await
        .unwrap();
    assert_eq!(store.year_figures(&street, 2026).await.unwrap(), figures);
    assert_eq!(
        store.year_figures(&street, 2025).await.unwrap(),
        YearFigures::default()
    );

    let rows: Vec<Vec<String>> = [
        ["公开事项", "公开内容", "公开时限", "公开主体"],
        ["财政预决算", "预算、决算及说明", "批复后20日内", "财政所"],
        ["低保", "对象和标准", "每季度", "社会事务办"],
    ]
    .iter()
    .map(|r| r.iter().map(|c| c.to_string()).collect())
    .collect();
    let entries = catalog::read_table(&street, 1, &rows).unwrap();
    store
        .add_catalog_entries(&entries, &stamp("clerk"))
        .await
        .unwrap();
    assert_eq!(store.catalog_entries(&street).await.unwrap(), entries);
    // An import with a clash adds nothing.
    let clash = catalog::read_table(&street, 2, &rows).unwrap();
    assert!(
        store
            .add_catalog_entries(&clash, &stamp("clerk"))
            .await
            .is_err()
    );
    assert_eq!(store.catalog_entries(&street).await.unwrap().len(), 2);
}

/// 先审后发 at the store: nothing is saved as public without every approval; concurrent
/// approvals of the same step cannot both win; 索引号 never repeat.
pub async fn publications_need_every_approval<S: Store>(store: &S) {
    district(store).await;
    let street = code("street");
    let person = |name: &str, role: Role| Actor {
        user: UserName::parse(name).unwrap(),
        agency: street.clone(),
        roles: vec![role],
    };
    let (clerk, head, secrecy) = (
        person("clerk", Role::CaseOfficer),
        person("head", Role::Reviewer),
        person("secret", Role::SecrecyReviewer),
    );
    let draft = Draft {
        title: "2026年财政预算".into(),
        body: vec!["正文".into()],
        category: "财政信息".into(),
        topic: "财政".into(),
        written_on: d("2026-03-02"),
        changed_on: None,
        doc_number: None,
        channels: vec!["政府网站".into()],
        release_on: None,
        department: None,
        catalog_entry: None,
        attachments: Vec::new(),
        interprets: None,
    };
    let now = Timestamp::from_second(1_700_000_000).unwrap();
    let today = d("2026-03-10");
    let p = Publication::new(
        street.clone(),
        1,
        "街道办事处",
        &clerk,
        draft.clone(),
        ReviewChain::standard(),
    )
    .unwrap();
    let public = store.site_generation().await.unwrap();
    store.add_publication(&p, &stamp("clerk")).await.unwrap();
    assert!(store.site_generation().await.unwrap() > public);
    assert_eq!(
        store
            .publications_by_keys(&[(street.clone(), 7), (street.clone(), 1), (code("other"), 1)])
            .await
            .unwrap()
            .iter()
            .map(|p| (p.agency.as_str(), p.id))
            .collect::<Vec<_>>(),
        [("street", 1)],
        "found in the order asked, the missing left out"
    );
    let too_many: Vec<_> = (1..=PUBLICATIONS_AT_ONCE as u64 + 1)
        .map(|id| (street.clone(), id))
        .collect();
    assert!(
        store.publications_by_keys(&too_many).await.is_err(),
        "at most {PUBLICATIONS_AT_ONCE} at once"
    );
    let p = store.publication(&street, 1).await.unwrap().unwrap();
    assert_eq!(p.version, 1);

    // A forged "published" without the approvals is refused, and nothing becomes public.
    let mut forged = p.clone();
    forged.state = PublicationState::Published;
    forged.published_on = Some(today);
    forged.index_number = Some("forged/1".into());
    assert!(matches!(
        store
            .save_publication(&forged, "approve", &stamp("x"))
            .await,
        Err(StoreError::Domain(DomainError::Forbidden(_)))
    ));
    let mut forged_new = forged.clone();
    forged_new.id = 99;
    assert!(
        store
            .add_publication(&forged_new, &stamp("x"))
            .await
            .is_err()
    );
    assert!(store.public_publications(&street).await.unwrap().is_empty());

    let save = |p: Publication, action: &'static str| async move {
        store.save_publication(&p, action, &stamp("t")).await
    };
    let p = save(
        p.apply(&clerk, PublicationAction::Submit, now, today)
            .unwrap(),
        "submit",
    )
    .await
    .unwrap();
    // In review it is found among what waits on a reviewer; a draft or a published item is not.
    let waiting = store.publications_in_review(&street).await.unwrap();
    assert_eq!(waiting.iter().map(|w| w.id).collect::<Vec<_>>(), [p.id]);
    assert!(
        store
            .publications_in_review(&code("district"))
            .await
            .unwrap()
            .is_empty()
    );
    let p = save(
        p.apply(
            &head,
            PublicationAction::approve_with("经审查同意公开"),
            now,
            today,
        )
        .unwrap(),
        "approve",
    )
    .await
    .unwrap();
    // Two secrecy reviewers approve the same version at once: one wins, one is told.
    let other = person("secret2", Role::SecrecyReviewer);
    let first = p
        .apply(
            &secrecy,
            PublicationAction::approve_with("经审查同意公开"),
            now,
            today,
        )
        .unwrap();
    let second = p
        .apply(
            &other,
            PublicationAction::approve_with("经审查同意公开"),
            now,
            today,
        )
        .unwrap();
    let p = save(first, "approve").await.unwrap();
    assert!(matches!(
        save(second, "approve").await,
        Err(StoreError::Domain(DomainError::Conflict(_)))
    ));
    let chief = person("chief", Role::OfficeHead);
    let mut last = p
        .apply(
            &chief,
            PublicationAction::approve_with("经审查同意公开"),
            now,
            today,
        )
        .unwrap();
    assert_eq!(last.state, PublicationState::Published);
    assert!(
        store
            .save_publication(&last, "approve", &stamp("t"))
            .await
            .is_err(),
        "no 索引号 yet"
    );
    last.index_number = Some("jd/2026-0000001".into());
    let published = save(last, "approve").await.unwrap();
    let public = store.public_publications(&street).await.unwrap();
    assert_eq!(public, std::slice::from_ref(&published));
    assert_eq!(store.publications(&street).await.unwrap().len(), 1);

    // 索引号 are unique.
    let q = Publication::new(
        street.clone(),
        2,
        "街道办事处",
        &clerk,
        draft.clone(),
        ReviewChain::standard(),
    )
    .unwrap();
    store.add_publication(&q, &stamp("clerk")).await.unwrap();
    let q = store.publication(&street, 2).await.unwrap().unwrap();
    let mut q = q
        .apply(&clerk, PublicationAction::Submit, now, today)
        .unwrap();
    q.index_number = Some("jd/2026-0000001".into());
    assert!(matches!(
        store.save_publication(&q, "submit", &stamp("t")).await,
        Err(StoreError::Domain(DomainError::Conflict(_)))
    ));
    // Withdrawn: no longer public.
    let withdrawn = published
        .apply(
            &head,
            PublicationAction::Withdraw {
                reason: "有误".into(),
            },
            now,
            today,
        )
        .unwrap();
    save(withdrawn, "withdraw").await.unwrap();
    assert!(store.public_publications(&street).await.unwrap().is_empty());

    // A 解读 is found from the document it explains (政策解读), and still after it is saved.
    use gongkai_domain::publication::interpretation::{InterpretationForm, Interprets};
    let explains = Interprets {
        document: 1,
        form: InterpretationForm::Graphic,
    };
    let explained = Publication::new(
        street.clone(),
        50,
        "街道办事处",
        &clerk,
        Draft {
            title: "《2026年财政预算》图解".into(),
            interprets: Some(explains),
            ..draft.clone()
        },
        ReviewChain::standard(),
    )
    .unwrap();
    store
        .add_publication(&explained, &stamp("clerk"))
        .await
        .unwrap();
    let ids = |found: Vec<Publication>| found.iter().map(|p| p.id).collect::<Vec<_>>();
    assert_eq!(
        ids(store.interpretations_of(&street, 1).await.unwrap()),
        [50]
    );
    assert!(
        store
            .interpretations_of(&street, 50)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .interpretations_of(&code("other"), 1)
            .await
            .unwrap()
            .is_empty()
    );
    let explained = store.publication(&street, 50).await.unwrap().unwrap();
    save(
        explained
            .apply(&clerk, PublicationAction::Submit, now, today)
            .unwrap(),
        "submit",
    )
    .await
    .unwrap();
    assert_eq!(
        ids(store.interpretations_of(&street, 1).await.unwrap()),
        [50]
    );
}

/// Passwords, sessions and tokens (hashes only), attachment bytes, notices, and the count
/// online numbering relies on.
pub async fn access_files_and_calendar<S: Store>(store: &S) {
    district_with_an_application(store).await;
    let clerk = UserName::parse("clerk").unwrap();
    assert_eq!(store.password_hash(&clerk).await.unwrap(), None);
    store
        .set_password(&clerk, "$argon2id$v=19$first", &stamp("admin"))
        .await
        .unwrap();
    store
        .set_password(&clerk, "$argon2id$v=19$second", &stamp("admin"))
        .await
        .unwrap();
    assert_eq!(
        store.password_hash(&clerk).await.unwrap().as_deref(),
        Some("$argon2id$v=19$second")
    );
    assert!(matches!(
        store
            .set_password(&UserName::parse("nobody").unwrap(), "x", &stamp("admin"))
            .await,
        Err(StoreError::Domain(DomainError::NotFound(_)))
    ));

    let created = Timestamp::from_second(1_700_000_000).unwrap();
    let session = AccessToken {
        hash: secret_hash("session-secret"),
        kind: AccessKind::Session,
        user: clerk.clone(),
        created_at: created,
        expires_at: Some(Timestamp::from_second(1_700_028_800).unwrap()),
        name: "网页登录".into(),
    };
    let api = AccessToken {
        hash: secret_hash("api-secret"),
        kind: AccessKind::ApiToken,
        expires_at: Some(Timestamp::from_second(1_731_536_000).unwrap()),
        name: "统计报送".into(),
        ..session.clone()
    };
    store
        .add_access_token(&session, &stamp("clerk"))
        .await
        .unwrap();
    store.add_access_token(&api, &stamp("admin")).await.unwrap();
    assert_eq!(
        store.access_token(&session.hash).await.unwrap().as_ref(),
        Some(&session)
    );
    assert_eq!(
        store.access_token(&api.hash).await.unwrap().as_ref(),
        Some(&api)
    );
    assert_eq!(
        store.access_token(&secret_hash("guess")).await.unwrap(),
        None
    );
    // API tokens are listed by user (not sessions), with their names, to be revoked.
    assert_eq!(
        store.api_tokens(&clerk).await.unwrap(),
        std::slice::from_ref(&api)
    );
    store.remove_access_token(&session.hash).await.unwrap();
    assert_eq!(store.access_token(&session.hash).await.unwrap(), None);

    let bytes: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    let sha = secret_hash("attachment");
    store.put_attachment(&sha, &bytes).await.unwrap();
    store.put_attachment(&sha, &bytes).await.unwrap();
    assert_eq!(store.attachment_bytes(&sha).await.unwrap(), Some(bytes));
    assert_eq!(
        store.attachment_bytes(&secret_hash("none")).await.unwrap(),
        None
    );

    store
        .put_calendar_notice(2027, r#"{"year":2027,"days":[]}"#, &stamp("admin"))
        .await
        .unwrap();
    store
        .put_calendar_notice(2027, r#"{"year":2027,"days":[1]}"#, &stamp("admin"))
        .await
        .unwrap();
    assert_eq!(
        store.calendar_notices().await.unwrap(),
        [(2027, r#"{"year":2027,"days":[1]}"#.to_string())]
    );

    let street = code("street");
    let all = store.applications(&street).await.unwrap();
    let first = &all[0].number.as_str()[..2];
    let taken = all
        .iter()
        .filter(|a| a.number.as_str().starts_with(first))
        .count() as u64;
    // A new series starts after the numbers already used with its prefix, then counts on.
    assert_eq!(
        store.next_in_series(&street, first).await.unwrap(),
        taken + 1
    );
    assert_eq!(
        store.next_in_series(&street, first).await.unwrap(),
        taken + 2
    );
    assert_eq!(store.next_in_series(&street, "2026-W").await.unwrap(), 1);
    assert_eq!(store.next_in_series(&street, "2026-W").await.unwrap(), 2);
    assert_eq!(
        store
            .next_in_series(&code("other"), "2026-W")
            .await
            .unwrap(),
        1,
        "per agency"
    );
}

pub async fn agencies_and_users<S: Store>(store: &S) {
    district(store).await;
    let orphan = Agency::new(
        code("orphan"),
        "无上级",
        AgencyLevel::Township,
        Some(code("nowhere")),
    )
    .unwrap();
    assert!(matches!(
        store.add_agency(&orphan, &stamp("admin")).await,
        Err(StoreError::Domain(DomainError::NotFound(_)))
    ));
    let street = store.agency(&code("street")).await.unwrap().unwrap();
    assert_eq!(street.name, "示例区太平街道办事处");
    assert_eq!(street.parent, Some(code("district")));
    assert!(matches!(
        store.add_agency(&street, &stamp("admin")).await,
        Err(StoreError::Domain(DomainError::Conflict(_)))
    ));
    let all = store.agencies().await.unwrap();
    assert_eq!(all.len(), 3);
    let mut tree = subtree(&all, &code("district"));
    tree.sort();
    assert_eq!(tree, [code("district"), code("other"), code("street")]);

    let user = clerk_user();
    assert_eq!(store.user(&user.name).await.unwrap(), Some(user.clone()));
    assert!(matches!(
        store.add_user(&user, &stamp("admin")).await,
        Err(StoreError::Domain(DomainError::Conflict(_)))
    ));
    // A new password, or a disabled account, ends every session and API token of the user.
    let token = |hash: &str, kind| AccessToken {
        hash: hash.into(),
        kind,
        user: user.name.clone(),
        created_at: Timestamp::from_second(1_700_000_000).unwrap(),
        expires_at: None,
        name: String::new(),
    };
    for (hash, kind) in [("s1", AccessKind::Session), ("t1", AccessKind::ApiToken)] {
        store
            .add_access_token(&token(hash, kind), &stamp("clerk"))
            .await
            .unwrap();
    }
    store
        .set_password(&user.name, "new-hash", &stamp("admin"))
        .await
        .unwrap();
    for hash in ["s1", "t1"] {
        assert!(store.access_token(hash).await.unwrap().is_none(), "{hash}");
    }
    store
        .add_access_token(&token("t2", AccessKind::ApiToken), &stamp("clerk"))
        .await
        .unwrap();
    store
        .set_user_active(&user.name, false, &stamp("admin"))
        .await
        .unwrap();
    assert!(!store.user(&user.name).await.unwrap().unwrap().active);
    assert!(store.access_token("t2").await.unwrap().is_none());
    assert_eq!(store.users(Some(&code("street"))).await.unwrap().len(), 1);
    assert_eq!(store.users(None).await.unwrap().len(), 1);
    assert!(
        store.users(Some(&code("other"))).await.unwrap().is_empty(),
        "an agency sees only its own users"
    );
}

pub async fn applications_round_trip<S: Store>(store: &S) {
    let app = district_with_an_application(store).await;
    applications_round_trip_on(store, app).await;
}

async fn applications_round_trip_on<S: Store>(store: &S, app: Application) {
    let loaded = store
        .application(&code("street"), &app.number)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(loaded.version, 1);
    assert_eq!(loaded, app, "as insert_applications returned it");
    assert!(
        store
            .application(&code("other"), &app.number)
            .await
            .unwrap()
            .is_none(),
        "no leak across agencies"
    );
    let (changed, event) = loaded
        .apply(
            &officer("street"),
            Action::StartHandling,
            &WorkingCalendar::embedded(),
            &gongkai_domain::CaseRules::default(),
            Timestamp::from_second(1_700_000_100).unwrap(),
            d("2024-10-08"),
        )
        .unwrap();
    let public = store.site_generation().await.unwrap();
    let saved = store.save_application(&changed, &event).await.unwrap();
    assert_eq!(saved.version, 2);
    assert_eq!(
        store.site_generation().await.unwrap(),
        public,
        "a case's step changes no public page"
    );
    assert_eq!(
        store
            .application(&code("street"), &app.number)
            .await
            .unwrap()
            .unwrap(),
        saved
    );
    store
        .log_personal_data_read(&code("street"), &app.number, &stamp("clerk"))
        .await
        .unwrap();
}

/// 申请人: the same identity document links applications to one record; the same name and
/// contact only suggests it; a staff confirmation moves the application to the suggested record;
/// another agency's applicants are its own.
pub async fn applicants_are_linked_across_applications<S: Store>(store: &S) {
    use gongkai_domain::{
        applicants::MatchBasis,
        identity::{IdDocument, ResidentId},
    };
    district(store).await;
    let with = |agency: &str, number: &str, received: &str, document: bool, contact: &str| {
        let mut app = application(agency, number, ApplicantKind::NaturalPerson, received);
        let id = ResidentId::with_check_character("11010519491231002").unwrap();
        app.applicant = Applicant::new(
            ApplicantKind::NaturalPerson,
            "王五",
            document.then_some(IdDocument::ResidentId(id)),
            contact,
        )
        .unwrap();
        app
    };
    let first = with("street", "2024-101", "2024-09-02", true, "13900000000");
    let stored = store
        .insert_applications(
            &[
                first,
                with("street", "2024-102", "2024-09-03", true, "别的电话"),
                with("street", "2024-103", "2024-09-04", false, "139 0000 0000"),
                with("street", "2024-104", "2024-09-05", false, ""),
                with("other", "2024-101", "2024-09-02", true, "13900000000"),
            ],
            &stamp("clerk"),
        )
        .await
        .unwrap();
    let links: Vec<_> = stored.iter().map(|a| a.applicant_link.unwrap()).collect();
    assert_eq!(links[0].basis, MatchBasis::NewRecord);
    assert_eq!(
        (links[1].id, links[1].basis),
        (links[0].id, MatchBasis::IdDocument)
    );
    assert_eq!(links[2].basis, MatchBasis::NewRecord);
    assert_ne!(links[2].id, links[0].id);
    assert_eq!(
        links[2].suggested,
        Some(links[0].id),
        "same name and contact"
    );
    assert_eq!(links[3].suggested, None, "no contact, no suggestion");
    let history = store
        .applicant_applications(&code("street"), links[0].id)
        .await
        .unwrap();
    let numbers: Vec<&str> = history.iter().map(|a| a.number.as_str()).collect();
    assert_eq!(numbers, ["2024-101", "2024-102"]);
    let elsewhere = store
        .applicant_applications(&code("other"), links[4].id)
        .await
        .unwrap();
    assert_eq!(elsewhere.len(), 1, "another agency's applicant is its own");

    let (confirmed, event) = stored[2]
        .apply(
            &officer("street"),
            Action::ConfirmApplicant { same: true },
            &WorkingCalendar::embedded(),
            &gongkai_domain::CaseRules::default(),
            Timestamp::from_second(1_700_000_100).unwrap(),
            d("2024-09-04"),
        )
        .unwrap();
    store.save_application(&confirmed, &event).await.unwrap();
    let history = store
        .applicant_applications(&code("street"), links[0].id)
        .await
        .unwrap();
    assert_eq!(history.len(), 3);
    assert_eq!(
        history[2].applicant_link.unwrap().basis,
        MatchBasis::ConfirmedByStaff
    );
}

/// A submission takes its number, keeps its files and is recorded in one transaction: a build
/// that fails leaves no consumed number and no file; a number an import took is skipped; two
/// at once get two numbers.
pub async fn a_submission_is_one_transaction<S: Store>(store: &S) {
    district(store).await;
    let street = code("street");
    let build = |seq: u64| {
        Ok(application(
            "street",
            &format!("2026-W{seq:04}"),
            ApplicantKind::NaturalPerson,
            "2026-03-02",
        ))
    };
    let failing = |_: u64| -> Result<Application, DomainError> {
        Err(DomainError::invalid("申请内容", "不合格"))
    };
    let file: &[u8] = b"%PDF-1.4 never kept";
    let refused = store
        .record_application(
            &street,
            "2026-W",
            &[("deadbeef", file)],
            &failing,
            &stamp("portal"),
        )
        .await;
    assert!(refused.is_err());
    assert!(
        store.attachment_bytes("deadbeef").await.unwrap().is_none(),
        "no orphan file"
    );
    let first = store
        .record_application(
            &street,
            "2026-W",
            &[("cafe", file)],
            &build,
            &stamp("portal"),
        )
        .await
        .unwrap();
    assert_eq!(
        first.number.as_str(),
        "2026-W0001",
        "the refused one consumed no number"
    );
    assert_eq!(first.version, 1);
    assert!(first.applicant_link.is_some());
    assert_eq!(
        store.attachment_bytes("cafe").await.unwrap().as_deref(),
        Some(file)
    );
    // An import took W0002: the next submission skips it.
    store
        .insert_applications(
            &[application(
                "street",
                "2026-W0002",
                ApplicantKind::NaturalPerson,
                "2026-03-02",
            )],
            &stamp("import"),
        )
        .await
        .unwrap();
    let third = store
        .record_application(&street, "2026-W", &[], &build, &stamp("portal"))
        .await
        .unwrap();
    assert_eq!(third.number.as_str(), "2026-W0003");
    let portal = stamp("portal");
    let (a, b) = tokio::join!(
        store.record_application(&street, "2026-W", &[], &build, &portal),
        store.record_application(&street, "2026-W", &[], &build, &portal),
    );
    let mut numbers = [a.unwrap().number, b.unwrap().number];
    numbers.sort();
    assert_eq!(numbers.map(|n| n.to_string()), ["2026-W0004", "2026-W0005"]);
}

pub async fn optimistic_versioning<S: Store>(store: &S) {
    district_with_an_application(store).await;
    let number = ApplicationNumber::parse("2024-001").unwrap();
    let read_by_a = store
        .application(&code("street"), &number)
        .await
        .unwrap()
        .unwrap();
    let read_by_b = read_by_a.clone();
    let calendar = WorkingCalendar::embedded();
    let now = Timestamp::from_second(1_700_000_200).unwrap();
    let (a, event_a) = read_by_a
        .apply(
            &officer("street"),
            Action::AddNote {
                text: "甲的备注".into(),
            },
            &calendar,
            &gongkai_domain::CaseRules::default(),
            now,
            d("2024-10-09"),
        )
        .unwrap();
    let (b, event_b) = read_by_b
        .apply(
            &officer("street"),
            Action::AddNote {
                text: "乙的备注".into(),
            },
            &calendar,
            &gongkai_domain::CaseRules::default(),
            now,
            d("2024-10-09"),
        )
        .unwrap();
    store.save_application(&a, &event_a).await.unwrap();
    let lost = store.save_application(&b, &event_b).await;
    assert!(
        matches!(lost, Err(StoreError::Domain(DomainError::Conflict(_)))),
        "{lost:?}"
    );
    let kept = store
        .application(&code("street"), &number)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.notes.len(), 1);
    assert_eq!(
        kept.notes[0].text, "甲的备注",
        "the winner's change is kept, nothing overwritten"
    );
}

pub async fn imports_are_all_or_nothing<S: Store>(store: &S) {
    district_with_an_application(store).await;
    imports_are_all_or_nothing_on(store).await;
}

async fn imports_are_all_or_nothing_on<S: Store>(store: &S) {
    let batch = [
        application("street", "2024-100", ApplicantKind::Business, "2024-01-05"),
        application("street", "2024-001", ApplicantKind::Business, "2024-01-05"),
    ];
    assert!(matches!(
        store.insert_applications(&batch, &stamp("clerk")).await,
        Err(StoreError::Domain(DomainError::Conflict(_)))
    ));
    assert!(
        store
            .application(&code("street"), &batch[0].number)
            .await
            .unwrap()
            .is_none(),
        "nothing of a failed import is kept"
    );
}

pub async fn statistics_agree_with_the_records<S: Store>(store: &S) {
    district(store).await;
    let calendar = WorkingCalendar::embedded();
    let mut cases = Vec::new();
    let specs = [
        (
            "S-1",
            "street",
            ApplicantKind::NaturalPerson,
            "2022-12-20",
            Some(("2023-01-10", Outcome::Disclosed)),
        ),
        (
            "S-2",
            "street",
            ApplicantKind::Business,
            "2023-03-01",
            Some(("2023-03-20", Outcome::PartlyDisclosed)),
        ),
        (
            "S-3",
            "street",
            ApplicantKind::NaturalPerson,
            "2023-12-25",
            None,
        ),
        (
            "S-4",
            "street",
            ApplicantKind::Research,
            "2023-12-28",
            Some(("2024-01-15", Outcome::NotHeld)),
        ),
        (
            "O-1",
            "other",
            ApplicantKind::LegalService,
            "2023-06-01",
            Some(("2023-06-20", Outcome::Repeated)),
        ),
    ];
    for (number, agency, kind, received, answered) in specs {
        let mut app = application(agency, number, kind, received);
        if let Some((date, outcome)) = answered {
            let who = officer(agency);
            let steps = [
                Action::SubmitAnswer {
                    outcome,
                    text: "答复".into(),
                    referral: None,
                    attachments: Vec::new(),
                },
                Action::ApproveAnswer { date: d(date) },
            ];
            for action in steps {
                app = app
                    .apply(
                        &who,
                        action,
                        &calendar,
                        // One officer drafts and approves: a one-person office.
                        &gongkai_domain::CaseRules {
                            one_person_office: true,
                            ..Default::default()
                        },
                        Timestamp::from_second(1_700_000_000).unwrap(),
                        d(date),
                    )
                    .unwrap()
                    .0;
            }
        }
        cases.push(app);
    }
    store
        .insert_applications(&cases, &stamp("import"))
        .await
        .unwrap();
    // An agency's cases in one state, oldest first; another agency's are not among them.
    let answered = store
        .applications_in_state(&code("street"), gongkai_domain::State::Answered)
        .await
        .unwrap();
    assert_eq!(
        answered
            .iter()
            .map(|a| a.number.as_str())
            .collect::<Vec<_>>(),
        ["S-1", "S-2", "S-4"]
    );
    assert!(
        store
            .applications_in_state(&code("street"), gongkai_domain::State::UnderReview)
            .await
            .unwrap()
            .is_empty()
    );
    // Answered within a period, by the answer's day (both ends counted), this agency's only.
    let answered_in_2023 = store
        .applications_answered_between(&code("street"), d("2023-01-10"), d("2023-12-31"))
        .await
        .unwrap();
    assert_eq!(
        answered_in_2023
            .iter()
            .map(|a| a.number.as_str())
            .collect::<Vec<_>>(),
        ["S-1", "S-2"]
    );
    assert!(
        store
            .applications_answered_between(&code("street"), d("2023-01-11"), d("2023-03-19"))
            .await
            .unwrap()
            .is_empty()
    );
    for year in [2023, 2024] {
        let facts = store.case_facts(&code("street"), year).await.unwrap();
        let expected = stats::table3(&facts, year).table;
        let counted = store
            .table3_counts(&[code("street")], year)
            .await
            .unwrap()
            .into_table();
        assert_eq!(counted, expected, "SQL counts equal the records, {year}");
    }
    let t2023 = stats::table3(
        &store.case_facts(&code("street"), 2023).await.unwrap(),
        2023,
    )
    .table;
    assert_eq!(
        t2023.cell(
            Table3Row::CarriedOver,
            Table3Column::Applicant(ApplicantKind::NaturalPerson)
        ),
        Some(1)
    );
    assert_eq!(
        t2023.cell(Table3Row::CarriedForward, Table3Column::Total),
        Some(2),
        "S-3 and S-4 (2024-001 came in 2024)"
    );
    let rolled = table3_for_subtree(store, &code("district"), 2023)
        .await
        .unwrap();
    let street = store
        .table3_counts(&[code("street")], 2023)
        .await
        .unwrap()
        .into_table();
    let other = store
        .table3_counts(&[code("other")], 2023)
        .await
        .unwrap()
        .into_table();
    assert_eq!(rolled, stats::sum(&[street, other]));
    assert_eq!(
        rolled.cell(Table3Row::Result(Outcome::Repeated), Table3Column::Total),
        Some(1)
    );
}

pub async fn letters_are_numbered_per_year_and_kind<S: Store>(store: &S) {
    district_with_an_application(store).await;
    let mut agency = store.agency(&code("street")).await.unwrap().unwrap();
    agency.settings.letter_prefix = "太政公".into();
    agency.settings.reconsideration_body = "示例区人民政府".into();
    agency.settings.court = "示例区人民法院".into();
    store.update_agency(&agency, &stamp("admin")).await.unwrap();
    assert_eq!(
        store
            .agency(&code("street"))
            .await
            .unwrap()
            .unwrap()
            .settings
            .court,
        "示例区人民法院"
    );
    let moved = Agency {
        parent: None,
        ..agency.clone()
    };
    assert!(
        store.update_agency(&moved, &stamp("admin")).await.is_err(),
        "the tree is not changed this way"
    );

    let number = ApplicationNumber::parse("2024-001").unwrap();
    let app = store
        .application(&code("street"), &number)
        .await
        .unwrap()
        .unwrap();
    let calendar = WorkingCalendar::embedded();
    let receipt = gongkai_domain::letters::compose(
        gongkai_domain::letters::LetterKind::Receipt,
        &app,
        &agency,
        &calendar,
        d("2024-09-27"),
    )
    .unwrap();
    let issue = |day: &'static str, kind| gongkai_domain::store::LetterToIssue {
        agency: &agency.code,
        application: &number,
        kind,
        prefix: &agency.settings.letter_prefix,
        issued_on: d(day),
        document: &receipt,
    };
    use gongkai_domain::letters::LetterKind::{Answer, Receipt};
    let first = store
        .issue_letter(issue("2024-09-27", Receipt), &stamp("clerk"))
        .await
        .unwrap();
    let second = store
        .issue_letter(issue("2024-10-08", Receipt), &stamp("clerk"))
        .await
        .unwrap();
    let other_kind = store
        .issue_letter(issue("2024-10-09", Answer), &stamp("clerk"))
        .await
        .unwrap();
    let next_year = store
        .issue_letter(issue("2025-01-02", Receipt), &stamp("clerk"))
        .await
        .unwrap();
    assert_eq!(
        [
            first.number.as_str(),
            second.number.as_str(),
            other_kind.number.as_str(),
            next_year.number.as_str()
        ],
        [
            "太政公收〔2024〕1号",
            "太政公收〔2024〕2号",
            "太政公复〔2024〕1号",
            "太政公收〔2025〕1号"
        ]
    );
    assert_eq!(
        first.document.number, first.number,
        "the number is printed on the letter"
    );
    let kept = store.letters(&code("street"), &number).await.unwrap();
    assert_eq!(kept.len(), 4);
    assert_eq!(kept[0], first);
    let nobody = ApplicationNumber::parse("no-such").unwrap();
    let orphan = gongkai_domain::store::LetterToIssue {
        application: &nobody,
        ..issue("2024-10-10", Receipt)
    };
    assert!(store.issue_letter(orphan, &stamp("clerk")).await.is_err());
}

pub async fn audit_chain_is_intact<S: Store>(store: &S) {
    let app = district_with_an_application(store).await;
    applications_round_trip_on(store, app).await;
    imports_are_all_or_nothing_on(store).await;
    let entries = store.audit_entries().await.unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.record.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "agency.add",
            "agency.add",
            "agency.add",
            "user.add",
            "application.add",
            "application.start_handling",
            "application.read_personal_data"
        ],
        "every change was audited, in order"
    );
    assert_eq!(audit::verify(&entries), Ok(entries.len() as u64));
    assert!(
        entries
            .iter()
            .any(|e| e.record.action == "application.start_handling"
                && e.record.before != e.record.after)
    );
    assert!(
        !entries.iter().any(|e| e.record.subject == "2024-100"),
        "the failed import left no trace but its refusal"
    );
    // Writers at once (several servers on PostgreSQL) still make one linear chain.
    let number = ApplicationNumber::parse("2024-001").unwrap();
    let read = |actor: &'static str| {
        let (street, number) = (code("street"), number.clone());
        async move {
            store
                .log_personal_data_read(&street, &number, &stamp(actor))
                .await
        }
    };
    let (a, b, c, e) = tokio::join!(read("a"), read("b"), read("c"), read("e"));
    for result in [a, b, c, e] {
        result.unwrap();
    }
    let entries = store.audit_entries().await.unwrap();
    assert_eq!(audit::verify(&entries), Ok(11));
    // Read a piece at a time, the chain is the same.
    let first = store.audit_entries_after(0, 4).await.unwrap();
    let rest = store.audit_entries_after(4, 100).await.unwrap();
    assert_eq!([first, rest].concat(), entries);
    let (head, verdict) =
        gongkai_domain::store::check_audit_chain(store, Default::default(), |_| {})
            .await
            .unwrap();
    assert_eq!(
        (head.seq, head.hash.as_str(), verdict),
        (11, entries[10].hash.as_str(), Ok(()))
    );
    // One agency's view, a page at a time, newest first: its own entries and the system-wide.
    let street = code("street");
    let expected: Vec<u64> = entries
        .iter()
        .rev()
        .filter(|e| e.record.agency == "street" || e.record.agency.is_empty())
        .map(|e| e.seq)
        .collect();
    assert!(
        expected.len() > 3 && expected.len() < entries.len(),
        "{expected:?}"
    );
    assert_eq!(
        store.audit_count_of(&street).await.unwrap(),
        expected.len() as u64
    );
    let mut paged = Vec::new();
    let mut before = None;
    loop {
        let page = store.audit_entries_of(&street, before, 3).await.unwrap();
        let Some(last) = page.last() else { break };
        before = Some(last.seq);
        paged.extend(page.iter().map(|e| e.seq));
    }
    assert_eq!(paged, expected);
    // One application's story: its entries alone, oldest first, bounded.
    let story = store
        .audit_entries_about(&street, "2024-001", 100)
        .await
        .unwrap();
    let expected: Vec<u64> = entries
        .iter()
        .filter(|e| e.record.agency == "street" && e.record.subject == "2024-001")
        .map(|e| e.seq)
        .collect();
    assert!(expected.len() >= 6, "{expected:?}");
    assert_eq!(story.iter().map(|e| e.seq).collect::<Vec<_>>(), expected);
    assert_eq!(
        store
            .audit_entries_about(&street, "2024-001", 2)
            .await
            .unwrap()
            .len(),
        2
    );
    assert!(
        store
            .audit_entries_about(&code("district"), "2024-001", 100)
            .await
            .unwrap()
            .is_empty()
    );
}

/// The search outbox is a log: every publication change leaves an entry in its transaction,
/// read by each server's index from its own position (nothing is removed by reading); old
/// entries are forgotten by time, and a new generation tells every index to rebuild.
pub async fn the_search_outbox_is_a_log_every_server_reads<S: Store>(store: &S) {
    district(store).await;
    let street = code("street");
    let clerk = Actor {
        user: UserName::parse("clerk").unwrap(),
        agency: street.clone(),
        roles: vec![Role::CaseOfficer],
    };
    let start = store.search_outbox_state().await.unwrap();
    assert_eq!(start.forgotten_through, 0);
    let at = |second: i64| Stamp {
        actor: "clerk".into(),
        at: Timestamp::from_second(second).unwrap(),
    };
    for (id, second) in [(1, 1_000), (2, 2_000), (1, 3_000)] {
        let draft = Draft {
            title: format!("通知{id}"),
            body: vec!["正文".into()],
            category: "通知公告".into(),
            topic: String::new(),
            written_on: d("2026-03-02"),
            changed_on: None,
            doc_number: None,
            channels: vec!["政府网站".into()],
            release_on: None,
            department: None,
            catalog_entry: None,
            attachments: Vec::new(),
            interprets: None,
        };
        match store.publication(&street, id).await.unwrap() {
            None => {
                let p = Publication::new(
                    street.clone(),
                    id,
                    "街道办事处",
                    &clerk,
                    draft,
                    ReviewChain::standard(),
                )
                .unwrap();
                store.add_publication(&p, &at(second)).await.unwrap();
            }
            Some(p) => {
                let edited = p
                    .apply(
                        &clerk,
                        PublicationAction::Edit {
                            draft: Box::new(draft),
                        },
                        Timestamp::from_second(second).unwrap(),
                        d("2026-03-03"),
                    )
                    .unwrap();
                store
                    .save_publication(&edited, "edit", &at(second))
                    .await
                    .unwrap();
            }
        }
    }
    let entries = store.search_outbox_after(0, 10).await.unwrap();
    let ids: Vec<u64> = entries.iter().map(|e| e.2).collect();
    assert_eq!(ids, [1, 2, 1], "in the order of commits");
    assert!(entries.windows(2).all(|w| w[0].0 < w[1].0));
    let state = store.search_outbox_state().await.unwrap();
    assert_eq!(state.head, entries[2].0);
    // Reading removes nothing: a second server reads the same entries.
    assert_eq!(store.search_outbox_after(0, 10).await.unwrap(), entries);
    assert_eq!(
        store.search_outbox_after(entries[0].0, 1).await.unwrap(),
        entries[1..2]
    );
    assert_eq!(
        store.search_expected(entries[0].0).await.unwrap().1,
        2,
        "two entries after the first"
    );
    assert!(state.can_continue(state.generation, 0));

    // Entries written before the time given are forgotten; an index behind them must rebuild.
    assert_eq!(
        store
            .forget_search_outbox(Timestamp::from_second(2_500).unwrap())
            .await
            .unwrap(),
        2
    );
    let forgotten = store.search_outbox_state().await.unwrap();
    assert_eq!(forgotten.forgotten_through, entries[1].0);
    assert_eq!(forgotten.head, state.head);
    assert!(!forgotten.can_continue(state.generation, entries[0].0));
    assert!(forgotten.can_continue(state.generation, entries[1].0));
    assert_eq!(
        store.search_outbox_after(0, 10).await.unwrap(),
        entries[2..]
    );
    // Everything forgotten: the head stays where it was.
    store
        .forget_search_outbox(Timestamp::from_second(10_000).unwrap())
        .await
        .unwrap();
    let empty = store.search_outbox_state().await.unwrap();
    assert_eq!(
        (empty.head, empty.forgotten_through),
        (state.head, state.head)
    );

    // A new generation: every index rebuilds, wherever it stands.
    let generation = store.rebuild_every_search_index().await.unwrap();
    assert_eq!(generation, state.generation + 1);
    let next = store.search_outbox_state().await.unwrap();
    assert!(!next.can_continue(state.generation, next.head));
    assert!(next.can_continue(generation, next.head));
}

/// Daily quotas on online submissions are counted in the database (every server behind a
/// balancer counts the same day): exactly `limit` takes succeed, even at once.
pub async fn daily_quotas_are_shared_and_exact<S: Store>(store: &S) {
    let day = d("2026-12-02");
    let next = d("2026-12-03");
    assert!(store.take_quota(day, "a", 2).await.unwrap());
    assert!(store.take_quota(day, "a", 2).await.unwrap());
    assert!(
        !store.take_quota(day, "a", 2).await.unwrap(),
        "the third is refused"
    );
    assert!(
        store.take_quota(day, "b", 2).await.unwrap(),
        "another key has its own"
    );
    assert!(
        store.take_quota(next, "a", 2).await.unwrap(),
        "a new day starts again"
    );
    assert!(
        !store.take_quota(day, "c", 0).await.unwrap(),
        "a limit of 0 allows none"
    );
    // Ten at once against a limit of five: exactly five.
    let takes = (0..10).map(|_| store.take_quota(day, "crowd", 5));
    let taken = futures_join_all(takes).await;
    assert_eq!(taken.iter().filter(|t| **t).count(), 5, "{taken:?}");
    assert_eq!(store.forget_quotas_before(next).await.unwrap(), 3);
    assert!(
        store.take_quota(day, "a", 2).await.unwrap(),
        "forgotten days count again"
    );
}

/// Runs the futures at once (the store's writers take turns) and collects their answers.
async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<bool>
where
    F: std::future::Future<Output = gongkai_domain::store::StoreResult<bool>>,
{
    use std::task::Poll;
    let mut futures: Vec<_> = futures.map(Box::pin).collect();
    let mut answers: Vec<Option<bool>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut waiting = false;
        for (future, answer) in futures.iter_mut().zip(answers.iter_mut()) {
            if answer.is_none() {
                match future.as_mut().poll(cx) {
                    Poll::Ready(result) => *answer = Some(result.expect("the store answers")),
                    Poll::Pending => waiting = true,
                }
            }
        }
        if waiting {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    answers
        .into_iter()
        .map(|a| a.expect("every one answered"))
        .collect()
}

fn register_items(agency: &str, ids: std::ops::RangeInclusive<u64>) -> Vec<StagedItem> {
    ids.map(|id| StagedItem {
        line: id as u32 + 1,
        item: ImportItem::RegisterDocument(
            RegisteredDocument::new(
                code(agency),
                id,
                DocumentKind::NormativeDocument,
                &format!("文件{id}"),
                &format!("街发〔2026〕{id}号"),
                d("2026-03-01"),
                None,
            )
            .unwrap(),
        ),
    })
    .collect()
}

/// Nothing between pieces (no other writer here).
fn no_rest() -> std::future::Ready<()> {
    std::future::ready(())
}

fn at(second: i64) -> Timestamp {
    Timestamp::from_second(1_700_000_000 + second).unwrap()
}

/// The street's clerk stages `items` from `file` at `second`.
async fn stage_as_clerk<S: Store>(
    store: &S,
    file: &str,
    items: &[StagedItem],
    second: i64,
) -> gongkai_domain::store::StoreResult<imports::ImportJob> {
    imports::stage(
        store,
        &code("street"),
        file,
        items,
        &stamp("clerk"),
        || at(second),
        no_rest,
    )
    .await
}

/// An import is applied a piece at a time with its progress in the same transaction; a runner
/// whose lease ran out loses the job to another, which goes on from the last piece applied —
/// nothing twice, nothing lost, every item audited as the job's creator's.
pub async fn imports_run_a_piece_at_a_time_and_resume<S: Store>(store: &S) {
    district(store).await;
    let street = code("street");
    let items = register_items("street", 1..=450);
    let job = stage_as_clerk(store, "登记.csv", &items, 0).await.unwrap();
    assert_eq!(
        (job.state, job.total, job.done),
        (ImportState::Queued, 450, 0)
    );
    let claimed = store.claim_import("one", at(1)).await.unwrap().unwrap();
    assert_eq!((claimed.id, claimed.state), (job.id, ImportState::Running));
    assert!(
        store.claim_import("two", at(2)).await.unwrap().is_none(),
        "a job under lease is nobody else's"
    );
    let Step::Applied(after_one) = store
        .apply_import_piece(job.id, "one", at(3))
        .await
        .unwrap()
    else {
        panic!("the holder applies")
    };
    assert_eq!(after_one.done, u64::from(imports::PIECE));
    assert_eq!(
        store.register_documents(&street).await.unwrap().len(),
        imports::PIECE as usize
    );
    // "one" stops (a crash): once its lease has run out, "two" takes the job over.
    let later = 3 + imports::LEASE_SECONDS + 1;
    let taken = store.claim_import("two", at(later)).await.unwrap().unwrap();
    assert_eq!((taken.id, taken.done), (job.id, after_one.done));
    assert_eq!(
        store
            .apply_import_piece(job.id, "one", at(later))
            .await
            .unwrap(),
        Step::LostLease
    );
    let finished = imports::run_pending(store, "two", || at(later + 1), |_| {}, no_rest)
        .await
        .unwrap();
    assert_eq!(finished, 1);
    let done = store.import_job(&street, job.id).await.unwrap().unwrap();
    assert_eq!(
        (done.state, done.done, done.percent()),
        (ImportState::Done, 450, 100)
    );
    let documents = store.register_documents(&street).await.unwrap();
    let ids: std::collections::BTreeSet<u64> = documents.iter().map(|d| d.id).collect();
    assert_eq!((documents.len(), ids.len()), (450, 450), "each once");
    let log = store.audit_entries().await.unwrap();
    let by = |action: &str| {
        log.iter()
            .filter(|e| e.record.action == action && e.record.actor == "clerk")
            .count()
    };
    assert_eq!(
        (by("import.start"), by("register.import"), by("import.done")),
        (1, 450, 1)
    );
    assert!(audit::verify(&log).is_ok());
    // Only the agency's own staff see it.
    assert!(
        store
            .import_job(&code("other"), job.id)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(store.import_jobs(&street, 10).await.unwrap().len(), 1);
    assert!(
        store
            .claim_import("three", at(later + 2))
            .await
            .unwrap()
            .is_none()
    );
}

/// A piece that fails stops its job, says how much was imported before it (kept, audited) and
/// drops the rest; an upload that stopped while staging is given up.
pub async fn a_failed_import_says_what_it_kept<S: Store>(store: &S) {
    district(store).await;
    let street = code("street");
    // Document 300 exists already: the second piece (201–400) clashes with it.
    store
        .add_register_documents(&register_items_plain("street", 300), &stamp("clerk"))
        .await
        .unwrap();
    let items = register_items("street", 1..=400);
    let job = stage_as_clerk(store, "登记.csv", &items, 0).await.unwrap();
    let mut seen = Vec::new();
    imports::run_pending(store, "runner", || at(1), |j| seen.push(j.done), no_rest)
        .await
        .unwrap();
    let failed = store.import_job(&street, job.id).await.unwrap().unwrap();
    assert_eq!((failed.state, failed.done), (ImportState::Failed, 200));
    let message = failed.message.unwrap();
    assert!(
        message.contains("第301行")
            && message.contains("已导入前 200 份")
            && message.contains("其余 200 份未导入"),
        "{message}"
    );
    assert_eq!(store.register_documents(&street).await.unwrap().len(), 201);
    assert!(seen.contains(&200));
    // Staged, never queued, and left: given up after a while, nothing imported.
    let stalled = store
        .create_import(
            &street,
            ImportKind::RegisterDocuments,
            "b.csv",
            5,
            &stamp("clerk"),
        )
        .await
        .unwrap();
    store
        .stage_import_items(stalled.id, &register_items("street", 1000..=1001), at(0))
        .await
        .unwrap();
    let soon = at(60);
    imports::run_pending(store, "runner", || soon, |_| {}, no_rest)
        .await
        .unwrap();
    assert_eq!(
        store
            .import_job(&street, stalled.id)
            .await
            .unwrap()
            .unwrap()
            .state,
        ImportState::Staging,
        "a slow upload is not given up early"
    );
    let late = at(imports::STAGING_ABANDONED_SECONDS + 1);
    imports::run_pending(store, "runner", || late, |_| {}, no_rest)
        .await
        .unwrap();
    let given_up = store
        .import_job(&street, stalled.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(given_up.state, ImportState::Failed);
    assert!(given_up.message.unwrap().contains("上传中断"));
    assert_eq!(store.register_documents(&street).await.unwrap().len(), 201);
}

fn register_items_plain(agency: &str, id: u64) -> Vec<RegisteredDocument> {
    register_items(agency, id..=id)
        .into_iter()
        .map(|s| match s.item {
            ImportItem::RegisterDocument(d) => d,
            _ => unreachable!(),
        })
        .collect()
}

/// While an imported application waits, its number is held: staging a number that exists is
/// refused with its line, two imports cannot hold one number, and an online submission whose
/// series reaches it takes the next.
pub async fn an_import_holds_its_application_numbers<S: Store>(store: &S) {
    let existing = district_with_an_application(store).await;
    let street = code("street");
    let item = |line: u32, number: &str| StagedItem {
        line,
        item: ImportItem::Application(Box::new(application(
            "street",
            number,
            ApplicantKind::NaturalPerson,
            "2026-03-02",
        ))),
    };
    let clash = stage_as_clerk(
        store,
        "a.csv",
        &[item(2, "2026-W0009"), item(3, existing.number.as_str())],
        0,
    )
    .await
    .unwrap_err();
    assert!(clash.to_string().contains("第3行"), "{clash}");
    let refused = store.import_jobs(&street, 1).await.unwrap().remove(0);
    assert_eq!(refused.state, ImportState::Failed);
    let held = stage_as_clerk(store, "b.csv", &[item(2, "2026-W0001")], 1)
        .await
        .unwrap();
    let twice = stage_as_clerk(store, "c.csv", &[item(5, "2026-W0001")], 2)
        .await
        .unwrap_err();
    assert!(twice.to_string().contains("第5行"), "{twice}");
    let build = |seq: u64| {
        Ok(application(
            "street",
            &format!("2026-W{seq:04}"),
            ApplicantKind::NaturalPerson,
            "2026-03-02",
        ))
    };
    let online = store
        .record_application(&street, "2026-W", &[], &build, &stamp("portal"))
        .await
        .unwrap();
    assert_eq!(
        online.number.as_str(),
        "2026-W0002",
        "W0001 is held by the import"
    );
    imports::run_pending(store, "runner", || at(3), |_| {}, no_rest)
        .await
        .unwrap();
    let done = store.import_job(&street, held.id).await.unwrap().unwrap();
    assert_eq!(done.state, ImportState::Done);
    let numbers: Vec<String> = store
        .applications(&street)
        .await
        .unwrap()
        .iter()
        .map(|a| a.number.as_str().to_string())
        .collect();
    assert!(
        numbers.contains(&"2026-W0001".to_string()) && numbers.contains(&"2026-W0002".to_string())
    );
}
