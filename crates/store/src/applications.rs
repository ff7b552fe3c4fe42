//! 依申请公开: applications (the whole case as JSON beside the indexed columns statistics
//! need), their letters numbered per agency, 字号 and year, attachments kept by sha256, the
//! agencies' number series, and table 三 counted by the database.

use gongkai_domain::{
    AgencyCode, Application, ApplicationNumber, DomainError, Event,
    audit::AuditRecord,
    letters::{self, LetterKind},
    stats::{CaseFacts, Table3Counts},
    store::{ApplicationStore, IssuedLetter, LetterToIssue, Stamp, StoreError, StoreResult},
};
use gongkai_law::{ApplicantKind, Outcome};
use gongkai_report::render::letter::LetterDocument;
use serde_json::Value;

use crate::{
    SqlStore,
    dialect::{Dialect, Row, conflict_if_duplicate, db, is_foreign_key_violation, sql, sql_built},
    to_json,
};

pub(crate) fn application_from<DB: Dialect>(row: &Row<DB>) -> StoreResult<Application> {
    let mut app: Application = row.json(0, "application")?;
    app.version = row.number(1)?;
    Ok(app)
}

/// The outcome column: set once the answer is dated.
fn outcome_code(app: &Application) -> Option<&'static str> {
    app.answer
        .as_ref()
        .filter(|_| app.answered_on.is_some())
        .map(|a| a.outcome.code())
}

fn kind(row_value: String) -> StoreResult<ApplicantKind> {
    ApplicantKind::from_code(&row_value)
        .ok_or_else(|| StoreError::corrupt("applicant kind", row_value))
}

/// Table 三's four counts in one pass over the agencies' cases received by the year's end
/// (`{agencies}`, whatever their number; `$2` the year's first day, `$3` its last), read from
/// the index `applications_table3` (agency, kind, outcome, received, answered_on) alone, in
/// grouping order ([`Dialect::TABLE3_SOURCE`]).
/// A case answered in the year was received by its end, so one range holds all four.
const TABLE3: &str = "SELECT applicant_kind, outcome, \
     COUNT(*) FILTER (WHERE received >= $2), \
     COUNT(*) FILTER (WHERE received < $2 AND (answered_on IS NULL OR answered_on >= $2)), \
     COUNT(*) FILTER (WHERE answered_on >= $2 AND answered_on <= $3), \
     COUNT(*) FILTER (WHERE answered_on IS NULL OR answered_on > $3) \
     FROM {source} WHERE {agencies} AND received <= $3 GROUP BY applicant_kind, outcome";

impl<DB: Dialect> SqlStore<DB> {
    /// Inserts one new application (linked to its applicant) with its audit entry; returns it as
    /// stored, version 1.
    pub(crate) async fn insert_one(
        conn: &mut DB::Connection,
        app: &Application,
        stamp: &Stamp,
    ) -> StoreResult<Application> {
        let link = Self::link_applicant(conn, app).await?;
        let stored = Application {
            version: 1,
            applicant_link: Some(link),
            ..app.clone()
        };
        sql::<DB>("INSERT INTO applications (agency, number, applicant_kind, received, state, outcome, answered_on, version, data, applicant_id) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9)")
            .bind(app.agency.as_str())
            .bind(app.number.as_str())
            .bind(app.applicant.kind.code())
            .bind(app.received.to_string())
            .bind(app.state.code())
            .bind(outcome_code(app))
            .bind(app.answered_on.map(|d| d.to_string()))
            .bind(to_json(&stored).to_string())
            .bind(link.id as i64)
            .try_execute(conn)
            .await
            .map_err(conflict_if_duplicate(format!(
                "申请编号 {} 在 {} 已存在",
                app.number, app.agency
            )))?;
        let record = AuditRecord::new(
            stamp,
            app.agency.as_str(),
            "application.add",
            app.number.as_str(),
            Value::Null,
            to_json(&stored),
        );
        Self::audit(conn, record).await?;
        Ok(stored)
    }

    /// The next number of a series, on `conn` (in the caller's transaction when it has one).
    /// A new series starts after the applications already numbered with its prefix.
    async fn next_number(
        conn: &mut DB::Connection,
        agency: &AgencyCode,
        prefix: &str,
    ) -> StoreResult<u64> {
        Self::next_numbers(conn, agency, prefix, 1).await
    }

    /// The first of the next `count` numbers of a series, taken in one statement.
    async fn next_numbers(
        conn: &mut DB::Connection,
        agency: &AgencyCode,
        prefix: &str,
        count: u32,
    ) -> StoreResult<u64> {
        let last = sql::<DB>(
            "INSERT INTO number_series (agency, prefix, last_value) VALUES ($1, $2, (SELECT COUNT(*) FROM applications WHERE agency = $1 AND substr(number, 1, length($2)) = $2) + $3) \
             ON CONFLICT (agency, prefix) DO UPDATE SET last_value = number_series.last_value + $3 RETURNING last_value",
        )
        .bind(agency.as_str())
        .bind(prefix)
        .bind(i64::from(count))
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| StoreError::corrupt("number series", "no value returned"))?
        .number(0)?;
        Ok(last + 1 - u64::from(count))
    }

    async fn grouped(
        &self,
        query: &str,
        agencies: &str,
        dates: [&str; 2],
    ) -> StoreResult<Vec<Row<DB>>> {
        sql_built::<DB>(query.replace("{agencies}", DB::AGENCY_IN_JSON_LIST))
            .bind(agencies)
            .bind(dates[0])
            .bind(dates[1])
            .read_all(&self.readers)
            .await
    }
}

impl<DB: Dialect> ApplicationStore for SqlStore<DB> {
    async fn insert_applications(
        &self,
        applications: &[Application],
        stamp: &Stamp,
    ) -> StoreResult<Vec<Application>> {
        let mut tx = self.begin_write().await?;
        let mut inserted = Vec::with_capacity(applications.len());
        for app in applications {
            inserted.push(Self::insert_one(&mut tx, app, stamp).await?);
        }
        tx.commit().await.map_err(db)?;
        Ok(inserted)
    }

    async fn record_application(
        &self,
        agency: &AgencyCode,
        prefix: &str,
        files: &[(&str, &[u8])],
        build: &(dyn Fn(u64) -> Result<Application, DomainError> + Send + Sync),
        stamp: &Stamp,
    ) -> StoreResult<Application> {
        let mut tx = self.begin_write().await?;
        // A number an import took already, or holds while it runs, is skipped (the series
        // counts on past it).
        let mut app = build(Self::next_number(&mut tx, agency, prefix).await?)?;
        for _ in 0..1000 {
            let taken = sql::<DB>(
                "SELECT 1 FROM applications WHERE agency = $1 AND number = $2 \
                 UNION ALL SELECT 1 FROM import_items WHERE agency = $1 AND reserved = $2",
            )
            .bind(agency.as_str())
            .bind(app.number.as_str())
            .fetch_optional(&mut tx)
            .await?
            .is_some();
            if !taken {
                break;
            }
            app = build(Self::next_number(&mut tx, agency, prefix).await?)?;
        }
        for (sha256, bytes) in files {
            sql::<DB>("INSERT INTO attachments (sha256, content) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING")
                .bind(*sha256)
                .bind(*bytes)
                .execute(&mut tx)
                .await?;
        }
        let stored = Self::insert_one(&mut tx, &app, stamp).await?;
        tx.commit().await.map_err(db)?;
        Ok(stored)
    }

    async fn applicant_applications(
        &self,
        agency: &AgencyCode,
        applicant: gongkai_domain::applicants::ApplicantId,
    ) -> StoreResult<Vec<Application>> {
        SqlStore::applicant_applications(self, agency, applicant).await
    }

    async fn application(
        &self,
        agency: &AgencyCode,
        number: &ApplicationNumber,
    ) -> StoreResult<Option<Application>> {
        let row =
            sql::<DB>("SELECT data, version FROM applications WHERE agency = $1 AND number = $2")
                .bind(agency.as_str())
                .bind(number.as_str())
                .read_optional(&self.readers)
                .await?;
        row.as_ref().map(application_from).transpose()
    }

    async fn applications(&self, agency: &AgencyCode) -> StoreResult<Vec<Application>> {
        let rows = sql::<DB>(
            "SELECT data, version FROM applications WHERE agency = $1 ORDER BY received, number",
        )
        .bind(agency.as_str())
        .read_all(&self.readers)
        .await?;
        rows.iter().map(application_from).collect()
    }

    async fn applications_in_state(
        &self,
        agency: &AgencyCode,
        state: gongkai_domain::State,
    ) -> StoreResult<Vec<Application>> {
        let rows = sql::<DB>(
            "SELECT data, version FROM applications WHERE agency = $1 AND state = $2 ORDER BY received, number",
        )
        .bind(agency.as_str())
        .bind(state.code())
        .read_all(&self.readers)
        .await?;
        rows.iter().map(application_from).collect()
    }

    async fn applications_answered_between(
        &self,
        agency: &AgencyCode,
        from: gongkai_law::Date,
        to: gongkai_law::Date,
    ) -> StoreResult<Vec<Application>> {
        // Dates are stored as YYYY-MM-DD text, which sorts as the days do.
        let rows = sql::<DB>(
            "SELECT data, version FROM applications WHERE agency = $1 AND answered_on >= $2 AND answered_on <= $3 ORDER BY answered_on, number",
        )
        .bind(agency.as_str())
        .bind(from.to_string())
        .bind(to.to_string())
        .read_all(&self.readers)
        .await?;
        rows.iter().map(application_from).collect()
    }

    async fn save_application(
        &self,
        changed: &Application,
        event: &Event,
    ) -> StoreResult<Application> {
        let mut tx = self.begin_write().await?;
        let before =
            sql::<DB>("SELECT data, version FROM applications WHERE agency = $1 AND number = $2")
                .bind(changed.agency.as_str())
                .bind(changed.number.as_str())
                .fetch_optional(&mut tx)
                .await?
                .as_ref()
                .map(application_from)
                .transpose()?
                .ok_or_else(|| DomainError::NotFound(format!("申请 {} 不存在", changed.number)))?;
        if before.version != changed.version {
            return Err(DomainError::Conflict(format!(
                "申请 {} 已被他人修改（版本 {} → {}），请刷新后重新操作，您的修改未保存",
                changed.number, changed.version, before.version
            ))
            .into());
        }
        let saved = Application {
            version: changed.version + 1,
            ..changed.clone()
        };
        // The version in the WHERE clause makes the database, not the read above, the judge
        // of who saved first.
        let written = sql::<DB>("UPDATE applications SET state = $1, outcome = $2, answered_on = $3, version = $4, data = $5, applicant_id = $9 WHERE agency = $6 AND number = $7 AND version = $8")
            .bind(saved.state.code())
            .bind(outcome_code(&saved))
            .bind(saved.answered_on.map(|d| d.to_string()))
            .bind(saved.version as i64)
            .bind(to_json(&saved).to_string())
            .bind(saved.agency.as_str())
            .bind(saved.number.as_str())
            .bind(changed.version as i64)
            .bind(saved.applicant_link.map(|l| l.id as i64))
            .execute(&mut tx)
            .await?;
        if written != 1 {
            return Err(DomainError::Conflict(format!(
                "申请 {} 已被他人修改，请刷新后重新操作",
                changed.number
            ))
            .into());
        }
        let stamp = Stamp {
            actor: event.actor.to_string(),
            at: event.at,
        };
        let record = AuditRecord::new(
            &stamp,
            saved.agency.as_str(),
            &format!("application.{}", event.action.code()),
            saved.number.as_str(),
            to_json(&before),
            to_json(&saved),
        );
        Self::audit(&mut tx, record).await?;
        tx.commit().await.map_err(db)?;
        Ok(saved)
    }

    async fn log_personal_data_read(
        &self,
        agency: &AgencyCode,
        number: &ApplicationNumber,
        stamp: &Stamp,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let record = AuditRecord::new(
            stamp,
            agency.as_str(),
            "application.read_personal_data",
            number.as_str(),
            Value::Null,
            Value::Null,
        );
        Self::audit(&mut tx, record).await?;
        tx.commit().await.map_err(db)
    }

    async fn case_facts(&self, agency: &AgencyCode, year: i16) -> StoreResult<Vec<CaseFacts>> {
        let rows = sql::<DB>("SELECT number, applicant_kind, received, outcome, answered_on FROM applications WHERE agency = $1 AND received <= $2 ORDER BY received, number")
            .bind(agency.as_str())
            .bind(format!("{year:04}-12-31"))
            .read_all(&self.readers)
            .await?;
        rows.iter()
            .map(|row| {
                let outcome: Option<String> = row.get(3)?;
                let answered_on: Option<String> = row.get(4)?;
                CaseFacts::from_columns(
                    &row.get::<String>(0)?,
                    &row.get::<String>(1)?,
                    &row.get::<String>(2)?,
                    outcome.as_deref(),
                    answered_on.as_deref(),
                )
                .map_err(|e| StoreError::corrupt("application", e))
            })
            .collect()
    }

    async fn table3_counts(&self, agencies: &[AgencyCode], year: i16) -> StoreResult<Table3Counts> {
        let (first, last) = (format!("{year:04}-01-01"), format!("{year:04}-12-31"));
        let codes: Vec<&str> = agencies.iter().map(|a| a.as_str()).collect();
        let codes = serde_json::to_string(&codes).expect("strings serialize");
        let mut counts = Table3Counts::default();
        let query = TABLE3.replace("{source}", DB::TABLE3_SOURCE);
        for row in self.grouped(&query, &codes, [&first, &last]).await? {
            let kind = kind(row.get(0)?)?;
            let [newly, carried_over, answered, carried_forward] =
                [2, 3, 4, 5].map(|i| row.number(i));
            counts.newly_received.push((kind, newly?));
            counts.carried_over.push((kind, carried_over?));
            counts.carried_forward.push((kind, carried_forward?));
            let answered = answered?;
            if answered > 0 {
                let outcome_text: String = row
                    .get::<Option<String>>(1)?
                    .ok_or_else(|| StoreError::corrupt("outcome", "answered without one"))?;
                let outcome = Outcome::from_code(&outcome_text)
                    .ok_or_else(|| StoreError::corrupt("outcome", outcome_text))?;
                counts.results.push((kind, outcome, answered));
            }
        }
        Ok(counts)
    }

    async fn issue_letter(
        &self,
        letter: LetterToIssue<'_>,
        stamp: &Stamp,
    ) -> StoreResult<IssuedLetter> {
        let mut tx = self.begin_write().await?;
        DB::take_turns(&mut tx, "letters").await.map_err(db)?;
        let year = letter.issued_on.year();
        let tag = letter.kind.tag();
        let last: Option<i64> =
            sql::<DB>("SELECT MAX(seq) FROM letters WHERE agency = $1 AND tag = $2 AND year = $3")
                .bind(letter.agency.as_str())
                .bind(tag)
                .bind(i64::from(year))
                .fetch_optional(&mut tx)
                .await?
                .map(|row| row.get(0))
                .transpose()?
                .flatten();
        let seq = last.unwrap_or(0) + 1;
        let number = letters::letter_number(letter.prefix, letter.kind, year, seq as u32);
        let document = LetterDocument {
            number: number.clone(),
            ..letter.document.clone()
        };
        sql::<DB>("INSERT INTO letters (agency, tag, year, seq, application, kind, number, issued_on, document) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
            .bind(letter.agency.as_str())
            .bind(tag)
            .bind(i64::from(year))
            .bind(seq)
            .bind(letter.application.as_str())
            .bind(letter.kind.code())
            .bind(number.as_str())
            .bind(letter.issued_on.to_string())
            .bind(to_json(&document).to_string())
            .try_execute(&mut tx)
            .await
            .map_err(|e| {
                if is_foreign_key_violation(&e) {
                    DomainError::NotFound(format!("申请 {} 不存在", letter.application)).into()
                } else {
                    db(e)
                }
            })?;
        let record = AuditRecord::new(
            stamp,
            letter.agency.as_str(),
            "letter.issue",
            letter.application.as_str(),
            Value::Null,
            to_json(&document),
        );
        Self::audit(&mut tx, record).await?;
        tx.commit().await.map_err(db)?;
        Ok(IssuedLetter {
            kind: letter.kind,
            number,
            issued_on: letter.issued_on,
            document,
        })
    }

    async fn letters(
        &self,
        agency: &AgencyCode,
        application: &ApplicationNumber,
    ) -> StoreResult<Vec<IssuedLetter>> {
        let rows = sql::<DB>("SELECT kind, number, issued_on, document FROM letters WHERE agency = $1 AND application = $2 ORDER BY issued_on, tag, seq")
            .bind(agency.as_str())
            .bind(application.as_str())
            .read_all(&self.readers)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(IssuedLetter {
                    kind: LetterKind::parse(&row.get::<String>(0)?)
                        .map_err(|e| StoreError::corrupt("letter", e))?,
                    number: row.get(1)?,
                    issued_on: gongkai_law::parse_date("issued_on", &row.get::<String>(2)?)
                        .map_err(|e| StoreError::corrupt("letter", e))?,
                    document: row.json(3, "letter")?,
                })
            })
            .collect()
    }

    async fn next_in_series(&self, agency: &AgencyCode, prefix: &str) -> StoreResult<u64> {
        let mut conn = self.writer.acquire().await.map_err(db)?;
        Self::next_number(&mut conn, agency, prefix).await
    }

    async fn next_block_in_series(
        &self,
        agency: &AgencyCode,
        prefix: &str,
        count: u32,
    ) -> StoreResult<u64> {
        if count == 0 {
            return Err(DomainError::invalid("count", "至少取一个编号").into());
        }
        let mut conn = self.writer.acquire().await.map_err(db)?;
        Self::next_numbers(&mut conn, agency, prefix, count).await
    }

    async fn put_attachment(&self, sha256: &str, bytes: &[u8]) -> StoreResult<()> {
        sql::<DB>("INSERT INTO attachments (sha256, content) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING")
            .bind(sha256)
            .bind(bytes)
            .write(&self.writer)
            .await?;
        Ok(())
    }

    async fn attachment_bytes(&self, sha256: &str) -> StoreResult<Option<Vec<u8>>> {
        sql::<DB>("SELECT content FROM attachments WHERE sha256 = $1")
            .bind(sha256)
            .read_optional(&self.readers)
            .await?
            .map(|r| r.get(0))
            .transpose()
    }
}
