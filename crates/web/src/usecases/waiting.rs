//! 等待我处理: what waits on one person's decision — answers to approve (审核) and the review
//! steps of publications in their role (三审、保密审查), never their own drafts.

use gongkai_domain::{
    Actor, AgencyCode, Application, Role, State, publication::Publication, store::Store,
};

use crate::{app::App, error::WebError};

pub struct Waiting {
    /// 答复待审核, for a reviewer.
    pub answers: Vec<Application>,
    /// Publications whose current step is the actor's role.
    pub steps: Vec<Publication>,
}

impl Waiting {
    pub fn count(&self) -> usize {
        self.answers.len() + self.steps.len()
    }
}

pub async fn waiting_for<S: Store>(
    app: &App<S>,
    actor: &Actor,
    agency: &AgencyCode,
) -> Result<Waiting, WebError> {
    let answers = if actor.has(Role::Reviewer) {
        app.store
            .applications_in_state(agency, State::UnderReview)
            .await?
    } else {
        Vec::new()
    };
    let steps = app
        .store
        .publications_in_review(agency)
        .await?
        .into_iter()
        .filter(|p| {
            p.waiting_on().is_some_and(|step| actor.has(step.role)) && p.drafted_by != actor.user
        })
        .collect();
    Ok(Waiting { answers, steps })
}
