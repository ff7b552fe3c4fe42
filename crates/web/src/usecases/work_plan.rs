//! 政务公开工作要点: tasks set by a supervising agency for those below it, and their reports.

use gongkai_domain::{
    Actor, Agency, AgencyCode,
    records::{self, Versioned},
    store::Store,
    work_plan::{self, KeyTask, NewTask, TaskReport},
};
use gongkai_law::Date;

use crate::{
    app::App,
    error::WebError,
    usecases::numbering::{self, Series},
};

/// Every agency under `top` (not itself), from the agencies read once per generation.
pub fn below(agencies: &[Agency], top: &AgencyCode) -> Vec<AgencyCode> {
    gongkai_domain::store::subtree(agencies, top)
        .into_iter()
        .skip(1)
        .collect()
}

/// The agencies above `agency`, nearest first.
fn above(agencies: &[Agency], agency: &AgencyCode) -> Vec<AgencyCode> {
    let mut out = Vec::new();
    let mut at = agency.clone();
    while let Some(parent) = agencies
        .iter()
        .find(|a| a.code == at)
        .and_then(|a| a.parent.clone())
    {
        if out.contains(&parent) {
            break;
        }
        out.push(parent.clone());
        at = parent;
    }
    out
}

/// The tasks `setter` set, of `year` (or every year), in order.
pub async fn tasks_set_by<S: Store>(
    app: &App<S>,
    setter: &AgencyCode,
    year: Option<i16>,
) -> Result<Vec<KeyTask>, WebError> {
    Ok(records::load_all::<KeyTask, _>(&app.store, setter)
        .await?
        .into_iter()
        .map(|v| v.value)
        .filter(|t| year.is_none_or(|y| t.year == y))
        .collect())
}

/// One task `setter` set, with the version it was read at.
async fn task_set_by<S: Store>(
    app: &App<S>,
    setter: &AgencyCode,
    id: u64,
) -> Result<Versioned<KeyTask>, WebError> {
    records::load_all::<KeyTask, _>(&app.store, setter)
        .await?
        .into_iter()
        .find(|v| v.value.id == id)
        .ok_or_else(|| WebError::NotFound("没有这项任务".into()))
}

/// The tasks the levels above set for `agency` and have not withdrawn.
pub async fn tasks_for<S: Store>(
    app: &App<S>,
    agency: &AgencyCode,
) -> Result<Vec<KeyTask>, WebError> {
    let agencies = app.agencies().await?;
    let mut out = Vec::new();
    for setter in above(&agencies, agency) {
        let under = below(&agencies, &setter);
        out.extend(
            tasks_set_by(app, &setter, None)
                .await?
                .into_iter()
                .filter(|t| t.is_active() && t.is_for(agency, &under)),
        );
    }
    Ok(out)
}

/// An agency's reports on the tasks set for it.
pub async fn reports_of<S: Store>(
    app: &App<S>,
    agency: &AgencyCode,
) -> Result<Vec<Versioned<TaskReport>>, WebError> {
    Ok(records::load_all::<TaskReport, _>(&app.store, agency).await?)
}

/// A task set by the actor's agency for those below it (all of them when `assignees` is
/// empty; otherwise only agencies below may be named).
pub async fn add_task<S: Store>(
    app: &App<S>,
    actor: &Actor,
    new: NewTask<'_>,
    assignees: Vec<AgencyCode>,
) -> Result<KeyTask, WebError> {
    refuse_strangers(app, actor, &assignees).await?;
    KeyTask::new(actor, actor.agency.clone(), 0, new, assignees.clone())?;
    let id = numbering::next(app, &actor.agency, Series::KeyTasks).await?;
    let task = KeyTask::new(actor, actor.agency.clone(), id, new, assignees)?;
    let stamp = app.stamp(actor.user.as_str());
    records::save(&app.store, &task, 0, "add", &stamp).await?;
    Ok(task)
}

/// Corrects a task the actor's agency set, if nobody changed it since `version` was read.
pub async fn edit_task<S: Store>(
    app: &App<S>,
    actor: &Actor,
    id: u64,
    version: Option<u64>,
    new: NewTask<'_>,
    assignees: Vec<AgencyCode>,
) -> Result<KeyTask, WebError> {
    let current = task_set_by(app, &actor.agency, id).await?;
    refuse_strangers(app, actor, &assignees).await?;
    let next = current.value.edit(actor, new, assignees)?;
    let stamp = app.stamp(actor.user.as_str());
    records::save(
        &app.store,
        &next,
        version.unwrap_or(current.version),
        "update",
        &stamp,
    )
    .await?;
    Ok(next)
}

/// 撤销 a task the actor's agency set.
pub async fn withdraw_task<S: Store>(
    app: &App<S>,
    actor: &Actor,
    id: u64,
    reason: &str,
) -> Result<KeyTask, WebError> {
    let current = task_set_by(app, &actor.agency, id).await?;
    let next = current.value.withdraw(actor, reason, app.today())?;
    let stamp = app.stamp(actor.user.as_str());
    records::save(&app.store, &next, current.version, "withdraw", &stamp).await?;
    Ok(next)
}

/// Only agencies below the actor's may carry out its tasks.
async fn refuse_strangers<S: Store>(
    app: &App<S>,
    actor: &Actor,
    assignees: &[AgencyCode],
) -> Result<(), WebError> {
    let agencies = app.agencies().await?;
    let under = below(&agencies, &actor.agency);
    match assignees.iter().find(|a| !under.contains(a)) {
        Some(stranger) => Err(WebError::field(
            "assignees",
            format!("{stranger} 不是本机关的下级机关"),
        )),
        None => Ok(()),
    }
}

/// The actor's agency reports on a task set for it (again: the report is replaced).
pub async fn report<S: Store>(
    app: &App<S>,
    actor: &Actor,
    setter: &AgencyCode,
    task: u64,
    text: &str,
    done_on: Option<Date>,
    evidence: Vec<u64>,
) -> Result<TaskReport, WebError> {
    let task = tasks_for(app, &actor.agency)
        .await?
        .into_iter()
        .find(|t| &t.agency == setter && t.id == task)
        .ok_or_else(|| WebError::NotFound("没有部署给本机关的这项任务".into()))?;
    for id in &evidence {
        let public = app
            .store
            .publication(&actor.agency, *id)
            .await?
            .is_some_and(|p| p.is_public());
        if !public {
            return Err(WebError::field(
                "佐证",
                format!("本机关没有已公开的信息 {id}"),
            ));
        }
    }
    let report = TaskReport::new(actor, &task, text, done_on, evidence, app.today())?;
    let key = work_plan::report_key(setter, task.id);
    let read = records::load::<TaskReport, _>(&app.store, &actor.agency, &key)
        .await?
        .map_or(0, |v| v.version);
    let stamp = app.stamp(actor.user.as_str());
    records::save(&app.store, &report, read, "report", &stamp).await?;
    Ok(report)
}
