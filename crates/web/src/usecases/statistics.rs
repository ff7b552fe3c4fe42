//! Statistics and what a member of staff may look at: the year asked for, the agency (their own
//! or, for a supervisor, one below), table 三 counted by the database.

use gongkai_domain::{
    Agency, AgencyCode,
    store::{Store, subtree},
};

use crate::{app::App, error::WebError};

/// The agency a staff member may see statistics of: their own, or (supervisors) any below it.
pub async fn visible_agency<S: Store>(
    app: &App<S>,
    staff_agency: &AgencyCode,
    roles_supervise: bool,
    wanted: Option<&str>,
) -> Result<Agency, WebError> {
    let Some(wanted) = wanted.filter(|w| !w.is_empty()) else {
        return Ok(app.agency(staff_agency).await?);
    };
    let code = AgencyCode::parse(wanted)?;
    if &code == staff_agency {
        return Ok(app.agency(&code).await?);
    }
    let all = app.store.agencies().await?;
    if roles_supervise && subtree(&all, staff_agency).contains(&code) {
        return Ok(app.agency(&code).await?);
    }
    Err(WebError::Forbidden(format!(
        "无权查看机关 {code} 的数据：只有上级监督人员可查看下级机关"
    )))
}

pub fn year_of<S: Store>(app: &App<S>, year: Option<i16>) -> Result<i16, WebError> {
    let this = app.today().year();
    match year {
        None => Ok(this),
        Some(y) if (2008..=this).contains(&y) => Ok(y),
        Some(y) => Err(WebError::field(
            "year",
            format!("年份应在2008至{this}之间，收到 {y}"),
        )),
    }
}

/// Table 三 counted by the database (the whole table; cheap at any size).
pub async fn table3_counted<S: Store>(
    app: &App<S>,
    agency: &AgencyCode,
    year: i16,
) -> Result<gongkai_report::model::Table3, WebError> {
    Ok(app
        .store
        .table3_counts(std::slice::from_ref(agency), year)
        .await?
        .into_table())
}

/// The year a report is usually being written for: last year.
pub fn report_year<S: gongkai_domain::store::Store>(
    app: &App<S>,
    year: Option<i16>,
) -> Result<i16, WebError> {
    year_of(app, Some(year.unwrap_or(app.today().year() - 1)))
}
