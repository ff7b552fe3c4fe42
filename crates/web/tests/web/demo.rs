//! The demo district: idempotent and alive.

use gongkai_domain::{Role, User, store::prelude::*};

use crate::support::Harness;

#[tokio::test]
async fn the_demo_is_idempotent_and_alive() {
    let h = Harness::demo().await;
    assert!(
        !gongkai_demo::seed(&h.app).await.unwrap(),
        "a second run adds nothing"
    );
    let apps = h.app.store.applications(&h.agency()).await.unwrap();
    for state in [
        "pending",
        "registered",
        "awaiting_supplement",
        "in_progress",
        "under_review",
        "answered",
        "delivered",
        "archived",
    ] {
        assert!(
            apps.iter().any(|a| a.state.code() == state),
            "no case in {state}"
        );
    }
    let mut clerk = h.login("clerk").await;
    let queue = clerk.get("/staff").await.body;
    assert!(queue.contains("class=\"overdue\""), "some overdue");
    assert!(
        queue.contains("class=\"soon\""),
        "some due within 3 working days"
    );
    assert!(apps.iter().any(|a| {
        a.clock
            .iter()
            .any(|e| e.kind.code() == "consultation_started")
    }));
    assert!(
        apps.iter()
            .any(|a| a.clock.iter().any(|e| e.kind.code() == "extended"))
    );
}

#[tokio::test]
async fn every_user_has_one_role_in_the_demo() {
    let h = Harness::demo().await;
    let users = h.app.store.users(None).await.unwrap();
    for role in Role::ALL {
        assert!(users.iter().any(|u: &User| u.roles == [role]), "{role:?}");
    }
}
