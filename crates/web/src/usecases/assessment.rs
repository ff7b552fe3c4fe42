//! 考核 of the agencies below a supervising office: its scheme, and every agency measured from
//! its records for a period and ranked.

use std::collections::BTreeMap;

use gongkai_domain::{
    Actor, Agency, AgencyCode,
    assessment::{
        self, Criterion, Inputs, Measure, PublishedResult, PublishedRow, Scheme, Scope, Score,
    },
    records::{self, Versioned},
    store::Store,
};
use gongkai_law::Date;

use crate::{
    app::App,
    error::WebError,
    usecases::{annual, participation},
};

/// The office's scheme, or the standard one (version 0) until it sets its own.
pub async fn scheme<S: Store>(
    app: &App<S>,
    agency: &AgencyCode,
) -> Result<Versioned<Scheme>, WebError> {
    Ok(records::load::<Scheme, _>(&app.store, agency, "scheme")
        .await?
        .unwrap_or_else(|| Versioned {
            value: Scheme::standard(agency.clone()),
            version: 0,
        }))
}

pub async fn set_scheme<S: Store>(
    app: &App<S>,
    actor: &Actor,
    weights: BTreeMap<Criterion, u32>,
) -> Result<Scheme, WebError> {
    let next = Scheme::set(actor, actor.agency.clone(), weights)?;
    let current = scheme(app, &actor.agency).await?;
    let stamp = app.stamp(actor.user.as_str());
    records::save(&app.store, &next, current.version, "set", &stamp).await?;
    Ok(next)
}

/// One agency's result.
pub struct Assessed {
    pub agency: Agency,
    pub score: Score,
    pub measures: Vec<Measure>,
}

/// The agencies of `scope` below `office`, measured for `from..=to`, highest score first.
pub async fn assess<S: Store>(
    app: &App<S>,
    office: &AgencyCode,
    (from, to, scope): (Date, Date, Scope),
) -> Result<Vec<Assessed>, WebError> {
    let scheme = scheme(app, office).await?.value;
    let agencies = app.agencies().await?;
    let calendar = app.calendar();
    let mut out = Vec::new();
    let by_code: BTreeMap<&AgencyCode, &Agency> = agencies.iter().map(|a| (&a.code, a)).collect();
    for code in scope.agencies(&agencies, office) {
        let Some(agency) = by_code.get(&code).map(|a| (*a).clone()) else {
            continue;
        };
        let applications = app
            .store
            .applications_answered_between(&code, from, to)
            .await?;
        let publications = app.store.publications(&code).await?;
        let catalog = app.store.catalog_entries(&code).await?;
        let messages = participation::messages(app, &code).await?;
        let year = to.year() - 1;
        let report = annual::versions(app, &code, year)
            .await?
            .iter()
            .rev()
            .find_map(|v| {
                let on = v.publication.as_ref().and_then(|p| p.published_on)?;
                let report = v.published()?;
                let errors = gongkai_report::check(&report, None)
                    .iter()
                    .filter(|f| f.severity == gongkai_report::Severity::Error)
                    .count();
                Some((on, errors))
            });
        let measures = assessment::measures(&Inputs {
            agency: &agency,
            from,
            to,
            applications: &applications,
            publications: &publications,
            catalog: &catalog,
            messages: &messages,
            report,
            calendar: &calendar,
        });
        let score = assessment::score(&scheme, code, &measures);
        out.push(Assessed {
            agency,
            score,
            measures,
        });
    }
    out.sort_by(|a, b| {
        b.score
            .total
            .total_cmp(&a.score.total)
            .then_with(|| a.agency.code.cmp(&b.agency.code))
    });
    Ok(out)
}

/// 公布考核结果: the ranking for `from..=to` computed now and kept as it is; a period is
/// published once, again only after its result was withdrawn (the new one says so).
pub async fn publish<S: Store>(
    app: &App<S>,
    actor: &Actor,
    (from, to, scope): (Date, Date, Scope),
) -> Result<PublishedResult, WebError> {
    let office = &actor.agency;
    let key = PublishedResult::key_of(from, to);
    let earlier = records::load::<PublishedResult, _>(&app.store, office, &key).await?;
    if let Some(earlier) = &earlier {
        // Refused before anything is computed.
        earlier.value.may_be_replaced()?;
    }
    let scheme = scheme(app, office).await?.value;
    let rows = assess(app, office, (from, to, scope))
        .await?
        .into_iter()
        .map(|a| PublishedRow::new(a.agency.name, &a.score, &a.measures))
        .collect();
    let mut result =
        PublishedResult::publish(actor, &scheme, (from, to, scope), app.today(), rows)?;
    let read = match &earlier {
        Some(earlier) => {
            result = result.replacing(&earlier.value)?;
            earlier.version
        }
        None => 0,
    };
    let stamp = app.stamp(actor.user.as_str());
    records::save(&app.store, &result, read, "publish", &stamp).await?;
    Ok(result)
}

/// 撤回 a published result with its reason.
pub async fn withdraw<S: Store>(
    app: &App<S>,
    actor: &Actor,
    key: &str,
    reason: &str,
) -> Result<PublishedResult, WebError> {
    let current = records::load::<PublishedResult, _>(&app.store, &actor.agency, key)
        .await?
        .ok_or_else(|| WebError::NotFound("没有这一期考核结果".into()))?;
    let next = current.value.withdraw(actor, reason, app.today())?;
    let stamp = app.stamp(actor.user.as_str());
    records::save(&app.store, &next, current.version, "withdraw", &stamp).await?;
    Ok(next)
}

/// Every result `office` published, the latest period first.
pub async fn published<S: Store>(
    app: &App<S>,
    office: &AgencyCode,
) -> Result<Vec<PublishedResult>, WebError> {
    let mut all: Vec<PublishedResult> = records::load_all::<PublishedResult, _>(&app.store, office)
        .await?
        .into_iter()
        .map(|v| v.value)
        .collect();
    all.sort_by_key(|r| std::cmp::Reverse((r.to, r.from)));
    Ok(all)
}

/// One published result, by its key (`from_to`).
pub async fn published_one<S: Store>(
    app: &App<S>,
    office: &AgencyCode,
    key: &str,
) -> Result<PublishedResult, WebError> {
    records::load::<PublishedResult, _>(&app.store, office, key)
        .await?
        .map(|v| v.value)
        .ok_or_else(|| WebError::NotFound("没有这一期考核结果".into()))
}
