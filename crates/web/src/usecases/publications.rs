//! 主动公开: acting on a publication along its review chain, 索引号 on release, scheduled
//! release, new versions of published items (第二十六条 变更), attachments.

use axum::response::Response;
use gongkai_domain::{
    Actor, Agency,
    publication::{Draft, Publication, PublicationAction, PublicationState, index_number},
    store::Store,
};

use crate::{
    app::App,
    error::WebError,
    usecases::numbering::{self, Series},
};

/// Working days left before the 第二十六条 deadline (negative when late), for unpublished items.
pub fn days_left<S: Store>(app: &App<S>, p: &Publication) -> Option<i64> {
    if matches!(
        p.state,
        PublicationState::Published | PublicationState::Withdrawn
    ) {
        return None;
    }
    let calendar = app.calendar();
    let due = p.due(&calendar)?;
    let today = app.today();
    Some(if today <= due {
        i64::from(calendar.working_days_between(today, due))
    } else {
        -i64::from(calendar.working_days_between(due, today))
    })
}

/// Scheduled items whose day has come become public (run by the server every minute and
/// whenever staff open the list).
pub async fn release_scheduled<S: Store>(app: &App<S>, agency: &Agency) -> Result<usize, WebError> {
    let mut released = 0;
    for p in app.store.publications(&agency.code).await? {
        if let Some(mut next) = p.release_if_due(app.today()) {
            give_index(app, agency, &mut next).await?;
            let saved = app
                .store
                .save_publication(&next, "release", &app.stamp("system"))
                .await?;
            supersede_original(app, agency, &saved).await?;
            crate::usecases::annual::prepare_downloads(app, &agency.code, saved.id).await;
            released += 1;
        }
    }
    if released > 0 {
        app.sync_search().await;
    }
    Ok(released)
}

/// Gives a publication about to become public its 索引号 (next in the agency's yearly series).
pub async fn give_index<S: Store>(
    app: &App<S>,
    agency: &Agency,
    p: &mut Publication,
) -> Result<(), WebError> {
    if p.index_number.is_some() {
        return Ok(());
    }
    let year = p.published_on.unwrap_or(app.today()).year();
    let seq = numbering::next(app, &agency.code, Series::IndexNumbers(year)).await?;
    let unit = if agency.settings.index_prefix.trim().is_empty() {
        agency.code.as_str()
    } else {
        agency.settings.index_prefix.trim()
    };
    p.index_number = Some(index_number(
        &agency.settings.index_pattern,
        unit,
        year,
        seq,
    )?);
    Ok(())
}

/// Drafts a publication (起草) under the agency's next number, with the agency's review chain
/// as it stands today; the domain refuses what is incomplete, naming the field.
pub async fn draft<S: Store>(
    app: &App<S>,
    actor: &Actor,
    agency: &Agency,
    draft: Draft,
) -> Result<Publication, WebError> {
    check_interprets(app, agency, &draft).await?;
    let id = numbering::next(app, &agency.code, Series::Publications).await?;
    add_draft(app, actor, agency, id, draft).await
}

/// A 解读 explains a policy document of the same agency that the public can read (政策解读).
async fn check_interprets<S: Store>(
    app: &App<S>,
    agency: &Agency,
    draft: &Draft,
) -> Result<(), WebError> {
    let Some(explains) = draft.interprets else {
        return Ok(());
    };
    match app
        .store
        .publication(&agency.code, explains.document)
        .await?
    {
        Some(document)
            if document.is_public()
                && gongkai_domain::publication::interpretation::needs_interpretation(&document) =>
        {
            Ok(())
        }
        _ => Err(WebError::field(
            "解读的政策文件",
            "请选择本机关已公开的政策文件",
        )),
    }
}

/// Keeps a draft under an id already taken from the agency's series (the annual report numbers
/// its carrier before it freezes the version that names it).
pub async fn add_draft<S: Store>(
    app: &App<S>,
    actor: &Actor,
    agency: &Agency,
    id: u64,
    draft: Draft,
) -> Result<Publication, WebError> {
    let publication = Publication::new(
        agency.code.clone(),
        id,
        &agency.name,
        actor,
        draft,
        agency.settings.review_chain.clone(),
    )?;
    app.store
        .add_publication(&publication, &app.stamp(actor.user.as_str()))
        .await?;
    // As stored: a new publication is version 1.
    Ok(Publication {
        version: 1,
        ..publication
    })
}

/// Applies a review-chain action as `actor` and saves it (only if nobody saved the item since
/// `version`); a release gets its 索引号 first. Returns the item saved and the action's label.
pub async fn act_on<S: Store>(
    app: &App<S>,
    actor: &Actor,
    agency: &Agency,
    p: &Publication,
    action: PublicationAction,
    version: Option<u64>,
) -> Result<(Publication, &'static str), WebError> {
    if let Some(v) = version
        && v != p.version
    {
        return Err(WebError::Conflict(
            "该信息已被他人处理，请查看最新状态后重新操作，您的操作未保存".into(),
        ));
    }
    let label = action.label();
    let code = action.code();
    let mut next = p.apply(actor, action, app.now(), app.today())?;
    if next.state == PublicationState::Published {
        give_index(app, agency, &mut next).await?;
    }
    let saved = app
        .store
        .save_publication(&next, code, &app.stamp(actor.user.as_str()))
        .await?;
    supersede_original(app, agency, &saved).await?;
    app.sync_search().await;
    if saved.is_public() {
        crate::usecases::annual::prepare_downloads(app, &agency.code, saved.id).await;
    }
    Ok((saved, label))
}

/// 变更 (第二十六条): drafts a new version of a published item (its own id, the whole review
/// chain again); the item stays public until the new version is.
pub async fn revise<S: Store>(
    app: &App<S>,
    actor: &Actor,
    agency: &Agency,
    original: &Publication,
    draft: Draft,
) -> Result<Publication, WebError> {
    check_interprets(app, agency, &draft).await?;
    let chain = agency.settings.review_chain.clone();
    // Checked before a number is taken.
    original.revision(actor, 0, draft.clone(), chain.clone(), app.today())?;
    let id = numbering::next(app, &agency.code, Series::Publications).await?;
    let revision = original.revision(actor, id, draft, chain, app.today())?;
    app.store
        .add_publication(&revision, &app.stamp(actor.user.as_str()))
        .await?;
    Ok(Publication {
        version: 1,
        ..revision
    })
}

/// Once a new version is public, the one it changes points to it.
async fn supersede_original<S: Store>(
    app: &App<S>,
    agency: &Agency,
    published: &Publication,
) -> Result<(), WebError> {
    let (Some(older), PublicationState::Published) = (published.revises, published.state) else {
        return Ok(());
    };
    if let Some(original) = app.store.publication(&agency.code, older).await?
        && original.superseded_by.is_none()
    {
        app.store
            .save_publication(
                &original.superseded(published.id),
                "supersede",
                &app.stamp("system"),
            )
            .await?;
    }
    Ok(())
}

/// A publication's attachment as a download.
pub async fn serve_attachment<S: Store>(
    app: &App<S>,
    p: &Publication,
    index: usize,
) -> Result<Response, WebError> {
    let file = p
        .draft
        .attachments
        .get(index)
        .ok_or_else(|| WebError::NotFound("没有这个附件".into()))?;
    let bytes = app
        .store
        .attachment_bytes(&file.sha256)
        .await?
        .ok_or_else(|| WebError::NotFound("附件文件缺失".into()))?;
    // Staff see drafts' files; the public only those of public items (checked by the caller).
    Ok(crate::uploads::download(file, index, bytes, !p.is_public()))
}
