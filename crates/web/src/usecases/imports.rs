//! 批量导入: a checked file becomes a job the server applies a piece at a time, off the
//! request path (`gongkai_domain::imports`); the clerk follows its progress on a page.

use std::sync::Arc;

use gongkai_domain::{
    Actor, DomainError,
    imports::{self, ImportJob, StagedItem},
    store::Store,
};

use crate::{app::App, error::WebError};

/// How many of an agency's jobs the list shows.
const LISTED: u32 = 50;

/// Stages `items` (checked already) as a job of the actor's agency, queues it and sets this
/// server's runner to work on it. A conflict found while staging (an application number taken
/// meanwhile) fails the job and comes back as the field error; nothing is imported then.
pub async fn start<S: Store + 'static>(
    app: &Arc<App<S>>,
    actor: &Actor,
    file_name: &str,
    items: &[StagedItem],
) -> Result<ImportJob, WebError> {
    let stamp = app.stamp(actor.user.as_str());
    let job = imports::stage(
        &app.store,
        &actor.agency,
        file_name,
        items,
        &stamp,
        || app.now(),
        tokio::task::yield_now,
    )
    .await
    .map_err(|e| match e {
        gongkai_domain::store::StoreError::Domain(DomainError::Conflict(m)) => {
            WebError::field("文件", format!("{m}；未导入任何内容"))
        }
        other => other.into(),
    })?;
    let runner = app.clone();
    tokio::spawn(async move {
        runner.run_imports().await;
    });
    Ok(job)
}

/// The actor's agency's latest jobs, newest first.
pub async fn jobs<S: Store>(app: &App<S>, actor: &Actor) -> Result<Vec<ImportJob>, WebError> {
    Ok(app.store.import_jobs(&actor.agency, LISTED).await?)
}

/// One of the actor's agency's jobs (another agency's is not found).
pub async fn job<S: Store>(app: &App<S>, actor: &Actor, id: u64) -> Result<ImportJob, WebError> {
    app.store
        .import_job(&actor.agency, id)
        .await?
        .ok_or_else(|| WebError::NotFound("本机关没有这个导入任务".into()))
}
