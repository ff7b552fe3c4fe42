//! `agency_records`: appeals, report facts, annual report versions, imported reports — one
//! table of documents keyed by (agency, kind, key), each with an optimistic version.

use gongkai_domain::{
    AgencyCode, DomainError,
    audit::AuditRecord,
    records::{RecordKind, RecordStore, StoredRecord},
    store::{Stamp, StoreError, StoreResult},
};
use serde_json::Value;

use crate::{
    SqlStore,
    dialect::{Dialect, Row, db, is_unique_violation, sql},
};

fn record_from<DB: Dialect>(
    agency: &AgencyCode,
    kind: RecordKind,
    row: &Row<DB>,
) -> StoreResult<StoredRecord> {
    Ok(StoredRecord {
        agency: agency.clone(),
        kind,
        key: row.get(0)?,
        version: row.number(1)?,
        data: row.json(2, kind.code())?,
    })
}

impl<DB: Dialect> RecordStore for SqlStore<DB> {
    async fn put_record(
        &self,
        record: &StoredRecord,
        action: &str,
        stamp: &Stamp,
    ) -> StoreResult<u64> {
        let conflict = || -> StoreError {
            DomainError::Conflict(format!(
                "记录 {} 已被他人修改或已存在，请刷新后重试",
                record.key
            ))
            .into()
        };
        let mut tx = self.begin_write().await?;
        let before = sql::<DB>(
            "SELECT version, data FROM agency_records WHERE agency = $1 AND kind = $2 AND key = $3",
        )
        .bind(record.agency.as_str())
        .bind(record.kind.code())
        .bind(record.key.as_str())
        .fetch_optional(&mut tx)
        .await?;
        let before_data = match (&before, record.version) {
            (None, 0) => Value::Null,
            (Some(row), v) if v > 0 && row.number(0)? == v => {
                row.json(1, record.kind.code()).unwrap_or(Value::Null)
            }
            _ => return Err(conflict()),
        };
        // The version in the WHERE clause (and the key's uniqueness for a new record) makes the
        // database, not the read above, the judge of who saved first.
        let written = if record.version == 0 {
            sql::<DB>("INSERT INTO agency_records (agency, kind, key, version, data) VALUES ($1, $2, $3, 1, $4)")
                .bind(record.agency.as_str())
                .bind(record.kind.code())
                .bind(record.key.as_str())
                .bind(record.data.to_string())
                .try_execute(&mut tx)
                .await
                .map_err(|e| if is_unique_violation(&e) { conflict() } else { db(e) })?
        } else {
            sql::<DB>("UPDATE agency_records SET version = version + 1, data = $1 WHERE agency = $2 AND kind = $3 AND key = $4 AND version = $5")
                .bind(record.data.to_string())
                .bind(record.agency.as_str())
                .bind(record.kind.code())
                .bind(record.key.as_str())
                .bind(record.version as i64)
                .execute(&mut tx)
                .await?
        };
        if written != 1 {
            return Err(conflict());
        }
        let audit = AuditRecord::new(
            stamp,
            record.agency.as_str(),
            &format!("{}.{action}", record.kind.code()),
            &record.key,
            before_data,
            record.data.clone(),
        );
        Self::audit(&mut tx, audit).await?;
        tx.commit().await.map_err(db)?;
        Ok(record.version + 1)
    }

    async fn record(
        &self,
        agency: &AgencyCode,
        kind: RecordKind,
        key: &str,
    ) -> StoreResult<Option<StoredRecord>> {
        sql::<DB>(
            "SELECT key, version, data FROM agency_records WHERE agency = $1 AND kind = $2 AND key = $3",
        )
        .bind(agency.as_str())
        .bind(kind.code())
        .bind(key)
        .read_optional(&self.readers)
        .await?
        .map(|row| record_from(agency, kind, &row))
        .transpose()
    }

    async fn records(
        &self,
        agency: &AgencyCode,
        kind: RecordKind,
    ) -> StoreResult<Vec<StoredRecord>> {
        sql::<DB>(
            "SELECT key, version, data FROM agency_records WHERE agency = $1 AND kind = $2 ORDER BY key",
        )
        .bind(agency.as_str())
        .bind(kind.code())
        .read_all(&self.readers)
        .await?
        .iter()
        .map(|row| record_from(agency, kind, row))
        .collect()
    }
}
