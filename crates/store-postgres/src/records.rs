//! `agency_records` on PostgreSQL: appeals, report facts, annual report versions, imported reports.

use gongkai_domain::{
    AgencyCode, DomainError,
    audit::AuditRecord,
    records::{RecordKind, RecordStore, StoredRecord},
    store::{Stamp, StoreResult},
};
use sqlx::Row;

use crate::{PostgresStore, corrupt, db, duplicate};

fn record_from(
    agency: &AgencyCode,
    kind: RecordKind,
    row: &sqlx::postgres::PgRow,
) -> StoreResult<StoredRecord> {
    let key: String = row.get("key");
    let data =
        serde_json::from_str(&row.get::<String, _>("data")).map_err(|e| corrupt(kind.code(), e))?;
    Ok(StoredRecord {
        agency: agency.clone(),
        kind,
        key,
        version: row.get::<i64, _>("version") as u64,
        data,
    })
}

impl RecordStore for PostgresStore {
    async fn put_record(
        &self,
        record: &StoredRecord,
        action: &str,
        stamp: &Stamp,
    ) -> StoreResult<u64> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let before = sqlx::query(
            "SELECT version, data FROM agency_records WHERE agency = $1 AND kind = $2 AND key = $3 FOR UPDATE",
        )
        .bind(record.agency.as_str())
        .bind(record.kind.code())
        .bind(&record.key)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
        let conflict = || -> gongkai_domain::store::StoreError {
            DomainError::Conflict(format!(
                "记录 {} 已被他人修改或已存在，请刷新后重试",
                record.key
            ))
            .into()
        };
        let before_data = match (&before, record.version) {
            (None, 0) => serde_json::Value::Null,
            (Some(row), v) if row.get::<i64, _>(0) as u64 == v && v > 0 => {
                serde_json::from_str(&row.get::<String, _>(1)).unwrap_or(serde_json::Value::Null)
            }
            _ => return Err(conflict()),
        };
        // The version in the WHERE clause (and the key's uniqueness for a new record) makes the
        // store, not the read above, the judge of who saved first.
        let written = if record.version == 0 {
            sqlx::query("INSERT INTO agency_records (agency, kind, key, version, data) VALUES ($1, $2, $3, 1, $4)")
                .bind(record.agency.as_str())
                .bind(record.kind.code())
                .bind(&record.key)
                .bind(record.data.to_string())
                .execute(&mut *tx)
                .await
                .map_err(|e| if duplicate(&e) { conflict() } else { db(e) })?
        } else {
            sqlx::query("UPDATE agency_records SET version = version + 1, data = $1 WHERE agency = $2 AND kind = $3 AND key = $4 AND version = $5")
                .bind(record.data.to_string())
                .bind(record.agency.as_str())
                .bind(record.kind.code())
                .bind(&record.key)
                .bind(record.version as i64)
                .execute(&mut *tx)
                .await
                .map_err(db)?
        };
        if written.rows_affected() != 1 {
            return Err(conflict());
        }
        let next = record.version + 1;
        Self::audit(
            &mut tx,
            AuditRecord::new(
                stamp,
                record.agency.as_str(),
                &format!("{}.{action}", record.kind.code()),
                &record.key,
                before_data,
                record.data.clone(),
            ),
        )
        .await?;
        tx.commit().await.map_err(db)?;
        Ok(next)
    }

    async fn record(
        &self,
        agency: &AgencyCode,
        kind: RecordKind,
        key: &str,
    ) -> StoreResult<Option<StoredRecord>> {
        sqlx::query(
            "SELECT key, version, data FROM agency_records WHERE agency = $1 AND kind = $2 AND key = $3",
        )
        .bind(agency.as_str())
        .bind(kind.code())
        .bind(key)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?
        .map(|row| record_from(agency, kind, &row))
        .transpose()
    }

    async fn records(
        &self,
        agency: &AgencyCode,
        kind: RecordKind,
    ) -> StoreResult<Vec<StoredRecord>> {
        sqlx::query(
            "SELECT key, version, data FROM agency_records WHERE agency = $1 AND kind = $2 ORDER BY key",
        )
        .bind(agency.as_str())
        .bind(kind.code())
        .fetch_all(&self.pool)
        .await
        .map_err(db)?
        .iter()
        .map(|row| record_from(agency, kind, row))
        .collect()
    }
}
