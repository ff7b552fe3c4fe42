//! The search crate's one integration-test binary: the backend contract on the embedded index,
//! and the outbox keeping the index in step with a store (SQLite) through changes and a crash.

use std::sync::Arc;

use gongkai_domain::{
    Actor, Agency, AgencyCode, AgencyLevel, Role, UserName,
    publication::{Draft, Publication, PublicationAction, ReviewChain},
    search::{PublicationSearch, SearchBackend, SearchFilter},
    store::{Stamp, prelude::*},
};
use gongkai_law::parse_date;
use gongkai_search::{Search, Segmenter, TantivyIndex, reindex};
use gongkai_store::SqliteStore;

#[tokio::test]
async fn the_embedded_index_keeps_the_backend_contract() {
    gongkai_store_contract::run_search(&TantivyIndex::in_memory().unwrap()).await;
    let dir = tempfile::tempdir().unwrap();
    gongkai_store_contract::run_search(&TantivyIndex::open(dir.path()).unwrap()).await;
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
            PublicationAction::Approve
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

    // The index knows when it lags the database: a database restored without its index (here,
    // an index emptied) is found incomplete and rebuilt whole.
    assert!(restarted.health().await.unwrap().is_complete());
    index.clear().await.unwrap();
    let lagging = restarted.health().await.unwrap();
    assert!(
        !lagging.is_complete() && lagging.pending == 0,
        "{lagging:?}"
    );
    assert!(lagging.describe().contains("不完整"));
    assert_eq!(restarted.rebuild().await.unwrap(), 1);
    assert!(restarted.health().await.unwrap().is_complete());

    // `search reindex` rebuilds from the database alone.
    index.clear().await.unwrap();
    assert!(found(restarted.search("防汛", &all, 10).await.unwrap()).is_empty());
    assert_eq!(
        reindex(&store, index.as_ref(), &segmenter, |_| {})
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        found(restarted.search("防汛 预案", &all, 10).await.unwrap()),
        [2]
    );
}
