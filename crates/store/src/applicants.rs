//! 申请人: every application is linked to an applicant record in the transaction that records
//! it (the domain decides how: `gongkai_domain::applicants::decide`), and applications recorded
//! before the records existed are linked once, when the schema is migrated.

use gongkai_domain::{
    AgencyCode, Application,
    applicants::{ApplicantId, ApplicantKeys, ApplicantLink, decide},
    store::StoreResult,
};

use crate::{
    SqlStore,
    dialect::{Dialect, db, sql},
    to_json,
};

/// How many applications of one applicant are read at most (the most recent).
pub const HISTORY_LIMIT: i64 = 1000;

impl<DB: Dialect> SqlStore<DB> {
    /// Finds or makes the applicant record of `app` (applications are written one writer at a
    /// time per table, so the next id cannot be taken twice).
    pub(crate) async fn link_applicant(
        conn: &mut DB::Connection,
        app: &Application,
    ) -> StoreResult<ApplicantLink> {
        DB::take_turns(conn, "applicants").await.map_err(db)?;
        let keys = ApplicantKeys::of(&app.applicant);
        let agency = app.agency.as_str();
        let by_document = match &keys.document {
            Some(key) => sql::<DB>("SELECT id FROM applicants WHERE agency = $1 AND document_key = $2 ORDER BY id LIMIT 1")
                .bind(agency)
                .bind(key.as_str())
                .fetch_optional(conn)
                .await?
                .map(|row| row.number(0))
                .transpose()?,
            None => None,
        };
        let by_name_and_contact = if keys.contact.is_empty() {
            None
        } else {
            sql::<DB>("SELECT id FROM applicants WHERE agency = $1 AND name = $2 AND contact_key = $3 ORDER BY id LIMIT 1")
                .bind(agency)
                .bind(keys.name.as_str())
                .bind(keys.contact.as_str())
                .fetch_optional(conn)
                .await?
                .map(|row| row.number(0))
                .transpose()?
        };
        let matched = decide(by_document, by_name_and_contact);
        let new_id: ApplicantId = match matched {
            gongkai_domain::applicants::Matched::Existing(id) => id,
            gongkai_domain::applicants::Matched::New { .. } => {
                let last: Option<i64> =
                    sql::<DB>("SELECT MAX(id) FROM applicants WHERE agency = $1")
                        .bind(agency)
                        .fetch_optional(conn)
                        .await?
                        .map(|row| row.get(0))
                        .transpose()?
                        .flatten();
                let id = last.unwrap_or(0) + 1;
                sql::<DB>("INSERT INTO applicants (agency, id, kind, name, document_key, contact_key) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(agency)
                    .bind(id)
                    .bind(app.applicant.kind.code())
                    .bind(keys.name.clone())
                    .bind(keys.document.clone())
                    .bind(keys.contact.clone())
                    .execute(conn)
                    .await?;
                id as ApplicantId
            }
        };
        Ok(matched.link(new_id))
    }

    /// Links the applications recorded before applicant records existed, oldest first (run
    /// with the migrations; nothing to do afterwards).
    pub(crate) async fn link_unlinked(conn: &mut DB::Connection) -> StoreResult<()> {
        loop {
            let rows = sql::<DB>("SELECT data, version FROM applications WHERE applicant_id IS NULL ORDER BY agency, received, number LIMIT 200")
                .fetch_all(conn)
                .await?;
            if rows.is_empty() {
                return Ok(());
            }
            let mut tx = sqlx::Connection::begin(&mut *conn).await.map_err(db)?;
            for row in &rows {
                let mut app: Application = row.json(0, "application")?;
                app.version = row.number(1)?;
                let link = Self::link_applicant(&mut tx, &app).await?;
                app.applicant_link = Some(link);
                sql::<DB>("UPDATE applications SET applicant_id = $1, data = $2 WHERE agency = $3 AND number = $4")
                    .bind(link.id as i64)
                    .bind(to_json(&app).to_string())
                    .bind(app.agency.as_str())
                    .bind(app.number.as_str())
                    .execute(&mut tx)
                    .await?;
            }
            tx.commit().await.map_err(db)?;
        }
    }

    pub(crate) async fn applicant_applications(
        &self,
        agency: &AgencyCode,
        applicant: ApplicantId,
    ) -> StoreResult<Vec<Application>> {
        let rows = sql::<DB>("SELECT data, version FROM applications WHERE agency = $1 AND applicant_id = $2 ORDER BY received DESC, number DESC LIMIT $3")
            .bind(agency.as_str())
            .bind(applicant as i64)
            .bind(HISTORY_LIMIT)
            .read_all(&self.readers)
            .await?;
        let mut applications = rows
            .iter()
            .map(crate::applications::application_from)
            .collect::<StoreResult<Vec<_>>>()?;
        applications.reverse();
        Ok(applications)
    }
}
