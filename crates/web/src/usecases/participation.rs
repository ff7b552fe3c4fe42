//! 公众参与: messages recorded, replied to, published, and turned into applications.

use gongkai_domain::{
    Actor, AgencyCode, ApplicationNumber,
    participation::{self, Message, NewMessage},
    records::{self, Versioned},
    store::Store,
};
use gongkai_law::Date;

use crate::{
    app::App,
    error::WebError,
    usecases::numbering::{self, Series},
};

fn key(id: u64) -> String {
    format!("{id:010}")
}

/// Records a message; one 工单编号 is recorded once.
pub async fn add<S: Store>(
    app: &App<S>,
    actor: &Actor,
    new: NewMessage<'_>,
) -> Result<Message, WebError> {
    let today = app.today();
    let make =
        |id: u64, new: NewMessage<'_>| Message::new(actor, actor.agency.clone(), id, new, today);
    // Checked before a number is taken, so a refused form leaves no gap in the series.
    let checked = make(0, new)?;
    refuse_same_reference(app, &checked, None).await?;
    let id = numbering::next(app, &actor.agency, Series::Messages).await?;
    let message = make(id, new)?;
    let stamp = app.stamp(actor.user.as_str());
    records::save(&app.store, &message, 0, "add", &stamp).await?;
    Ok(message)
}

/// Corrects a message as recorded, if nobody changed it since `version` was read.
pub async fn edit<S: Store>(
    app: &App<S>,
    actor: &Actor,
    id: u64,
    version: Option<u64>,
    new: NewMessage<'_>,
) -> Result<Message, WebError> {
    let current = message(app, &actor.agency, id).await?;
    let next = current.value.edit(actor, new, app.today())?;
    refuse_same_reference(app, &next, Some(id)).await?;
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

async fn refuse_same_reference<S: Store>(
    app: &App<S>,
    message: &Message,
    except: Option<u64>,
) -> Result<(), WebError> {
    let Some(reference) = &message.reference else {
        return Ok(());
    };
    let all = messages(app, &message.agency).await?;
    match participation::same_reference(&all, reference, except) {
        Some(earlier) => Err(WebError::field(
            "reference",
            format!(
                "工单编号{reference}已登记（{}收到的“{}”）",
                gongkai_law::date::chinese(earlier.received),
                earlier.subject
            ),
        )),
        None => Ok(()),
    }
}

/// One message of the agency, with the version it was read at.
pub async fn message<S: Store>(
    app: &App<S>,
    agency: &AgencyCode,
    id: u64,
) -> Result<Versioned<Message>, WebError> {
    records::load::<Message, _>(&app.store, agency, &key(id))
        .await?
        .ok_or_else(|| WebError::NotFound("没有这件来信".into()))
}

/// Every message of the agency, newest first.
pub async fn messages<S: Store>(
    app: &App<S>,
    agency: &AgencyCode,
) -> Result<Vec<Message>, WebError> {
    Ok(read_messages(app, agency)
        .await?
        .into_iter()
        .map(|v| v.value)
        .collect())
}

/// Every message of the agency with the version it was read at (for forms that change one),
/// newest first.
pub async fn read_messages<S: Store>(
    app: &App<S>,
    agency: &AgencyCode,
) -> Result<Vec<Versioned<Message>>, WebError> {
    let mut all = records::load_all::<Message, _>(&app.store, agency).await?;
    all.sort_by_key(|v| std::cmp::Reverse((v.value.received, v.value.id)));
    Ok(all)
}

/// The reply, if nobody changed the message since `version` was read.
pub async fn reply<S: Store>(
    app: &App<S>,
    actor: &Actor,
    id: u64,
    version: Option<u64>,
    on: Date,
    text: &str,
) -> Result<Message, WebError> {
    let current = message(app, &actor.agency, id).await?;
    let next = current.value.answer(actor, on, text, app.today())?;
    let stamp = app.stamp(actor.user.as_str());
    records::save(
        &app.store,
        &next,
        version.unwrap_or(current.version),
        "reply",
        &stamp,
    )
    .await?;
    Ok(next)
}

/// Refused unless the message may still become an application (checked before registering).
pub async fn may_become_application<S: Store>(
    app: &App<S>,
    actor: &Actor,
    id: u64,
) -> Result<Message, WebError> {
    let current = message(app, &actor.agency, id).await?;
    current.value.may_become_application(actor)?;
    Ok(current.value)
}

/// Links the message to the application it became.
pub async fn became<S: Store>(
    app: &App<S>,
    actor: &Actor,
    id: u64,
    number: ApplicationNumber,
) -> Result<Message, WebError> {
    let current = message(app, &actor.agency, id).await?;
    let next = current.value.became(actor, number)?;
    let stamp = app.stamp(actor.user.as_str());
    records::save(
        &app.store,
        &next,
        current.version,
        "became_application",
        &stamp,
    )
    .await?;
    Ok(next)
}
