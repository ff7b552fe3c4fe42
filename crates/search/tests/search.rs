//! The search crate's one integration-test binary: the backend contract on the embedded index,
//! and the outbox keeping the index in step with a store (SQLite) through changes and a crash.

use std::sync::Arc;

use gongkai_domain::{
    Actor, Agency, AgencyCode, AgencyLevel, Role, UserName,
    publication::{Draft, Publication, PublicationAction, ReviewChain},
    search::{IndexPosition, PublicationSearch, SearchBackend, SearchDoc, SearchFilter},
    store::{Stamp, prelude::*},
};
use gongkai_law::parse_date;
use gongkai_search::{Search, Segmenter, TantivyIndex, reindex};
use gongkai_store::SqliteStore;

#[tokio::test]
async fn the_embedded_index_keeps_the_backend_contract() {
    run_search(&TantivyIndex::in_memory().unwrap()).await;
    let dir = tempfile::tempdir().unwrap();
    run_search(&TantivyIndex::open(dir.path()).unwrap()).await;
    // Where it stands survives a restart (it is in the index's own commit).
    let reopened = TantivyIndex::open(dir.path()).unwrap();
    assert_eq!(
        reopened.position().unwrap(),
        Some(IndexPosition {
            generation: 1,
            applied_through: 10
        })
    );
}

fn code(text: &str) -> AgencyCode {
    AgencyCode::parse(text).unwrap()
}

fn d(text: &str) -> gongkai_law::Date {
    parse_date("test", text).unwrap()
}

/// The behaviour of a search backend. Tokens are given already segmented, as `Segmenter`
/// makes them.
async fn run_search(backend: &dyn SearchBackend) {
    assert_eq!(
        backend.position().unwrap(),
        None,
        "a new index was never built"
    );
    let at = |applied_through| IndexPosition {
        generation: 1,
        applied_through,
    };
    let doc = |agency: &str, id: u64, category: &str, title: &str, body: &str| SearchDoc {
        agency: code(agency),
        id,
        category: category.into(),
        published_on: Some(d("2026-03-10")),
        title_tokens: title.into(),
        body_tokens: body.into(),
    };
    let docs = [
        doc(
            "street",
            1,
            "政策文件/规范性文件",
            "老旧 小区 老旧小区 改造 方案",
            "关于 老旧 小区 改造 的 实施 方案",
        ),
        doc(
            "street",
            2,
            "政务动态",
            "街道 工作 动态",
            "本周 走访 老旧 小区 三个",
        ),
        doc(
            "other",
            3,
            "政策文件/其他文件",
            "老旧 小区 改造 通知",
            "通知 全文",
        ),
        doc(
            "street",
            4,
            "财政信息/预算决算",
            "2026 年 部门 预算",
            "收入 预算 支出 预算",
        ),
    ];
    backend.apply(&docs, &[], at(4)).await.unwrap();
    assert_eq!(backend.count().await.unwrap(), 4);
    assert_eq!(backend.position().unwrap(), Some(at(4)));
    // A rebuild replaces everything at once, and records where it stands.
    let mut rebuilding = backend.rebuild().unwrap();
    rebuilding.add(&docs[3..]).unwrap();
    assert_eq!(
        backend.count().await.unwrap(),
        4,
        "the old index until it lands"
    );
    rebuilding.finish(at(5)).unwrap();
    assert_eq!(backend.count().await.unwrap(), 1);
    assert_eq!(backend.position().unwrap(), Some(at(5)));
    // A rebuild dropped before it lands leaves the index as it was.
    let mut abandoned = backend.rebuild().unwrap();
    abandoned.add(&docs).unwrap();
    drop(abandoned);
    backend.apply(&[], &[], at(6)).await.unwrap();
    assert_eq!(
        backend.count().await.unwrap(),
        1,
        "nothing half-built committed"
    );
    let mut rebuilding = backend.rebuild().unwrap();
    rebuilding.add(&docs).unwrap();
    rebuilding.finish(at(7)).unwrap();
    assert_eq!(backend.count().await.unwrap(), 4);
    let q = |words: &[&str]| words.iter().map(|w| w.to_string()).collect::<Vec<String>>();
    let ids = |hits: Vec<gongkai_domain::search::SearchHit>| {
        hits.into_iter().map(|h| h.id).collect::<Vec<u64>>()
    };
    let all = SearchFilter::default();
    let found = ids(backend
        .search(&q(&["老旧", "小区"]), &all, 10)
        .await
        .unwrap());
    assert_eq!(found.len(), 3, "{found:?}");
    assert_ne!(
        found[0], 2,
        "a title match ranks above a body-only one: {found:?}"
    );
    assert!(
        ids(backend
            .search(&q(&["老旧", "预算"]), &all, 10)
            .await
            .unwrap())
        .is_empty(),
        "every token must match"
    );
    let street = SearchFilter {
        agency: Some(code("street")),
        ..SearchFilter::default()
    };
    let mut in_street = ids(backend
        .search(&q(&["老旧", "小区"]), &street, 10)
        .await
        .unwrap());
    in_street.sort();
    assert_eq!(in_street, [1, 2]);
    let policies = SearchFilter {
        category: Some("政策文件".into()),
        ..SearchFilter::default()
    };
    let mut in_policies = ids(backend.search(&q(&["改造"]), &policies, 10).await.unwrap());
    in_policies.sort();
    assert_eq!(
        in_policies,
        [1, 3],
        "a category filter covers its sub-categories"
    );
    assert_eq!(
        ids(backend.search(&q(&["预算"]), &all, 1).await.unwrap()),
        [4]
    );
    assert!(backend.search(&[], &all, 10).await.unwrap().is_empty());
    // Replacing a document drops its old words; removing it drops it.
    backend
        .apply(
            &[doc(
                "street",
                4,
                "财政信息/预算决算",
                "2025 年 部门 决算",
                "决算",
            )],
            &[],
            at(8),
        )
        .await
        .unwrap();
    assert!(ids(backend.search(&q(&["预算"]), &all, 10).await.unwrap()).is_empty());
    assert_eq!(
        ids(backend.search(&q(&["决算"]), &all, 10).await.unwrap()),
        [4]
    );
    backend
        .apply(&[], &[(code("street"), 4)], at(9))
        .await
        .unwrap();
    assert!(ids(backend.search(&q(&["决算"]), &all, 10).await.unwrap()).is_empty());
    // Quotes and backslashes in a query are words, not syntax.
    assert!(
        backend
            .search(&q(&["'", "\\", "a&b", "!"]), &all, 10)
            .await
            .unwrap()
            .is_empty()
    );
    backend.rebuild().unwrap().finish(at(10)).unwrap();
    assert!(ids(backend.search(&q(&["老旧"]), &all, 10).await.unwrap()).is_empty());
}

fn stamp() -> Stamp {
    Stamp {
        actor: "test".into(),
        at: jiff::Timestamp::from_second(1_700_000_000).unwrap(),
    }
}

async fn publish(store: &SqliteStore, id: u64, title: &str, body: &str) -> Publication {
    let code = AgencyCode::parse("street").unwrap();
    let person = |name: &str, role| Actor {
        user: UserName::parse(name).unwrap(),
        agency: code.clone(),
        roles: vec![role],
    };
    let draft = Draft {
        title: title.into(),
        body: vec![body.into()],
        category: "政策文件/规范性文件".into(),
        topic: String::new(),
        written_on: parse_date("t", "2026-03-02").unwrap(),
        changed_on: None,
        doc_number: None,
        channels: vec!["政府网站".into()],
        release_on: None,
        department: None,
        catalog_entry: None,
        attachments: Vec::new(),
        interprets: None,
    };
    let now = stamp().at;
    let today = parse_date("t", "2026-03-05").unwrap();
    let p = Publication::new(
        code.clone(),
        id,
        "街道办事处",
        &person("clerk", Role::CaseOfficer),
        draft,
        ReviewChain::standard(),
    )
    .unwrap();
    store.add_publication(&p, &stamp()).await.unwrap();
    let mut p = store.publication(&code, id).await.unwrap().unwrap();
    for (who, role) in [
        ("clerk", Role::CaseOfficer),
        ("head", Role::Reviewer),
        ("secret", Role::SecrecyReviewer),
        ("chief", Role::OfficeHead),
    ] {
        let action = if role == Role::CaseOfficer {
            PublicationAction::Submit
        } else {
            PublicationAction::approve_with("经审查同意公开")
        };
        let mut next = p.apply(&person(who, role), action, now, today).unwrap();
        if next.state == gongkai_domain::publication::PublicationState::Published {
            next.index_number = Some(format!("jd/2026-{id:07}"));
        }
        p = store
            .save_publication(&next, "step", &stamp())
            .await
            .unwrap();
    }
    p
}

#[tokio::test]
async fn the_outbox_keeps_the_index_in_step_and_survives_a_crash() {
    let store = SqliteStore::in_memory().await.unwrap();
    store.migrate().await.unwrap();
    let agency = Agency::new(
        AgencyCode::parse("street").unwrap(),
        "太平街道办事处",
        AgencyLevel::Township,
        None,
    )
    .unwrap();
    store.add_agency(&agency, &stamp()).await.unwrap();
    let segmenter = Arc::new(Segmenter::new(["太平街道"]));
    let dir = tempfile::tempdir().unwrap();
    let index: Arc<dyn SearchBackend> = Arc::new(TantivyIndex::open(dir.path()).unwrap());
    let search = Search::new(store.clone(), index.clone(), segmenter.clone());
    let all = SearchFilter::default();
    let found = |hits: Vec<gongkai_domain::search::SearchHit>| {
        hits.iter().map(|h| h.id).collect::<Vec<_>>()
    };

    // A draft in review is not searchable; once published it is, after the sync.
    let p = publish(
        &store,
        1,
        "太平街道老旧小区改造实施方案",
        "改造涉及12个老旧小区。",
    )
    .await;
    assert!(
        found(search.search("老旧小区", &all, 10).await.unwrap()).is_empty(),
        "not applied yet"
    );
    assert!(search.sync().await.unwrap() > 0);
    assert_eq!(
        found(search.search("老旧小区 改造", &all, 10).await.unwrap()),
        [1]
    );
    assert_eq!(
        search.sync().await.unwrap(),
        0,
        "the outbox is empty after a sync"
    );

    // A crash between the database commit and the index update: the index (a fresh one,
    // standing for the lost in-memory work) catches up by replaying the outbox at start.
    let head = Actor {
        user: UserName::parse("head").unwrap(),
        agency: p.agency.clone(),
        roles: vec![Role::Reviewer],
    };
    let withdrawn = p
        .apply(
            &head,
            PublicationAction::Withdraw {
                reason: "有误".into(),
            },
            stamp().at,
            parse_date("t", "2026-03-06").unwrap(),
        )
        .unwrap();
    store
        .save_publication(&withdrawn, "withdraw", &stamp())
        .await
        .unwrap();
    publish(&store, 2, "太平街道防汛应急预案", "汛期值班安排。").await;
    drop(search);
    let restarted = Search::new(store.clone(), index.clone(), segmenter.clone());
    restarted.sync().await.unwrap();
    assert!(
        found(restarted.search("老旧小区", &all, 10).await.unwrap()).is_empty(),
        "withdrawn leaves the index"
    );
    assert_eq!(
        found(restarted.search("防汛", &all, 10).await.unwrap()),
        [2]
    );

    // A new server: its empty index rebuilds itself from the database at its first sync;
    // then both indexes follow the same outbox, each from its own position.
    let other_dir = tempfile::tempdir().unwrap();
    let other_index: Arc<dyn SearchBackend> =
        Arc::new(TantivyIndex::open(other_dir.path()).unwrap());
    let other = Search::new(store.clone(), other_index.clone(), segmenter.clone());
    let new = other.health().await.unwrap();
    assert!(!new.is_complete() && new.pending > 0, "{new:?}");
    other.sync().await.unwrap();
    assert!(other.health().await.unwrap().is_complete());
    assert_eq!(found(other.search("防汛", &all, 10).await.unwrap()), [2]);
    let third = publish(&store, 3, "太平街道防汛物资清单", "沙袋与救生衣。").await;
    for server in [&restarted, &other] {
        server.sync().await.unwrap();
        let mut ids = found(server.search("防汛", &all, 10).await.unwrap());
        ids.sort();
        assert_eq!(ids, [2, 3], "each server's index follows the outbox");
    }

    // A server stopped longer than the outbox keeps its entries rebuilds instead of reading.
    let withdrawn = third
        .apply(
            &head,
            PublicationAction::Withdraw {
                reason: "重复".into(),
            },
            stamp().at,
            parse_date("t", "2026-03-06").unwrap(),
        )
        .unwrap();
    store
        .save_publication(&withdrawn, "withdraw", &stamp())
        .await
        .unwrap();
    store
        .forget_search_outbox(jiff::Timestamp::from_second(2_000_000_000).unwrap())
        .await
        .unwrap();
    assert!(store.search_outbox_after(0, 10).await.unwrap().is_empty());
    other.sync().await.unwrap();
    assert_eq!(found(other.search("防汛", &all, 10).await.unwrap()), [2]);
    assert!(other.health().await.unwrap().is_complete());

    // `gongkai search reindex`: a new generation, and every index rebuilds at its next sync.
    let generation = store.rebuild_every_search_index().await.unwrap();
    restarted.sync().await.unwrap();
    assert_eq!(index.position().unwrap().unwrap().generation, generation);
    assert_eq!(
        found(restarted.search("防汛", &all, 10).await.unwrap()),
        [2]
    );

    // A rebuild from the database alone, on demand.
    assert_eq!(restarted.rebuild().await.unwrap(), 1);
    assert_eq!(
        reindex(&store, other_index.as_ref(), &segmenter, |_| {})
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        found(other.search("防汛 预案", &all, 10).await.unwrap()),
        [2]
    );
}
