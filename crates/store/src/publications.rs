//! 主动公开: publications, with the store's own 先审后发 guard (in code here and as a CHECK
//! constraint in the schema), unique 索引号, optimistic versions, and the search outbox written
//! in each change's transaction.

use gongkai_domain::{
    AgencyCode, DomainError,
    audit::AuditRecord,
    publication::Publication,
    store::{
        OutboxState, PUBLICATIONS_AT_ONCE, PublicationStore, Stamp, StoreResult,
        refuse_unapproved_release,
    },
};
use serde_json::Value;

use crate::{
    SqlStore,
    dialect::{Dialect, conflict_if_duplicate, db, sql, sql_built},
    to_json,
};

/// The policy document a 解读 explains, for its indexed column.
fn interprets(p: &Publication) -> Option<i64> {
    p.draft.interprets.map(|x| x.document as i64)
}

impl<DB: Dialect> SqlStore<DB> {
    /// Tells the search indexes, in the same transaction, that a publication changed. Called
    /// after the change's audit entry: writers take turns on the audit chain until they commit,
    /// so the outbox's sequence follows the order of commits and every server can read it from
    /// its own position without missing an entry committed late.
    async fn enqueue_for_search(
        conn: &mut DB::Connection,
        p: &Publication,
        stamp: &Stamp,
    ) -> StoreResult<()> {
        sql::<DB>("INSERT INTO search_outbox (agency, publication, recorded) VALUES ($1, $2, $3)")
            .bind(p.agency.as_str())
            .bind(p.id as i64)
            .bind(stamp.at.as_second())
            .execute(conn)
            .await?;
        Ok(())
    }

    /// Inserts a new publication on `conn` with its audit entry and outbox entry.
    async fn insert_publication(
        conn: &mut DB::Connection,
        p: &Publication,
        stamp: &Stamp,
    ) -> StoreResult<()> {
        refuse_unapproved_release(p)?;
        let stored = Publication {
            version: 1,
            ..p.clone()
        };
        sql::<DB>("INSERT INTO publications (agency, id, state, fully_approved, index_number, published_on, written_on, category, version, data, interprets) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10)")
            .bind(p.agency.as_str())
            .bind(p.id as i64)
            .bind(p.state.code())
            .bind(i32::from(p.fully_approved()))
            .bind(p.index_number.clone())
            .bind(p.published_on.map(|d| d.to_string()))
            .bind(p.draft.written_on.to_string())
            .bind(p.draft.category.as_str())
            .bind(to_json(&stored).to_string())
            .bind(interprets(p))
            .try_execute(conn)
            .await
            .map_err(conflict_if_duplicate(format!("公开信息 {} 已存在", p.id)))?;
        let record = AuditRecord::new(
            stamp,
            p.agency.as_str(),
            "publication.add",
            &p.id.to_string(),
            Value::Null,
            to_json(p),
        );
        Self::audit(conn, record).await?;
        Self::enqueue_for_search(conn, p, stamp).await
    }
}

impl<DB: Dialect> PublicationStore for SqlStore<DB> {
    async fn add_publication(&self, p: &Publication, stamp: &Stamp) -> StoreResult<()> {
        self.add_publications(std::slice::from_ref(p), stamp).await
    }

    async fn add_publications(&self, all: &[Publication], stamp: &Stamp) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        for p in all {
            Self::insert_publication(&mut tx, p, stamp).await?;
        }
        tx.commit().await.map_err(db)
    }

    async fn publication(&self, agency: &AgencyCode, id: u64) -> StoreResult<Option<Publication>> {
        sql::<DB>("SELECT data FROM publications WHERE agency = $1 AND id = $2")
            .bind(agency.as_str())
            .bind(id as i64)
            .read_optional(&self.readers)
            .await?
            .map(|r| r.json(0, "publication"))
            .transpose()
    }

    async fn publications_by_keys(
        &self,
        keys: &[(AgencyCode, u64)],
    ) -> StoreResult<Vec<Publication>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        if keys.len() > PUBLICATIONS_AT_ONCE {
            return Err(DomainError::invalid(
                "keys",
                format!("一次最多读取{PUBLICATIONS_AT_ONCE}条公开信息"),
            )
            .into());
        }
        // Row values over numbered placeholders only: the text is built from the count alone.
        let values = (0..keys.len())
            .map(|i| format!("(${}, ${})", 2 * i + 1, 2 * i + 2))
            .collect::<Vec<_>>()
            .join(", ");
        let mut query = sql_built::<DB>(format!(
            "SELECT data FROM publications WHERE (agency, id) IN (VALUES {values})"
        ));
        for (agency, id) in keys {
            query = query.bind(agency.as_str()).bind(*id as i64);
        }
        let found: Vec<Publication> = query
            .read_all(&self.readers)
            .await?
            .iter()
            .map(|r| r.json(0, "publication"))
            .collect::<StoreResult<_>>()?;
        Ok(keys
            .iter()
            .filter_map(|(agency, id)| {
                found
                    .iter()
                    .find(|p| &p.agency == agency && p.id == *id)
                    .cloned()
            })
            .collect())
    }

    async fn interpretations_of(
        &self,
        agency: &AgencyCode,
        document: u64,
    ) -> StoreResult<Vec<Publication>> {
        sql::<DB>("SELECT data FROM publications WHERE agency = $1 AND interprets = $2 ORDER BY id")
            .bind(agency.as_str())
            .bind(document as i64)
            .read_all(&self.readers)
            .await?
            .iter()
            .map(|r| r.json(0, "publication"))
            .collect()
    }

    async fn publications_in_review(&self, agency: &AgencyCode) -> StoreResult<Vec<Publication>> {
        // `publications_public` (agency, state, …) finds them.
        sql::<DB>(
            "SELECT data FROM publications WHERE agency = $1 AND state = 'in_review' ORDER BY id",
        )
        .bind(agency.as_str())
        .read_all(&self.readers)
        .await?
        .iter()
        .map(|r| r.json(0, "publication"))
        .collect()
    }

    async fn publications(&self, agency: &AgencyCode) -> StoreResult<Vec<Publication>> {
        sql::<DB>("SELECT data FROM publications WHERE agency = $1 ORDER BY id DESC")
            .bind(agency.as_str())
            .read_all(&self.readers)
            .await?
            .iter()
            .map(|r| r.json(0, "publication"))
            .collect()
    }

    async fn public_publications(&self, agency: &AgencyCode) -> StoreResult<Vec<Publication>> {
        let all: Vec<Publication> = sql::<DB>("SELECT data FROM publications WHERE agency = $1 AND state = 'published' AND fully_approved = 1 ORDER BY published_on DESC, id DESC")
            .bind(agency.as_str())
            .read_all(&self.readers)
            .await?
            .iter()
            .map(|r| r.json(0, "publication"))
            .collect::<StoreResult<_>>()?;
        Ok(all.into_iter().filter(Publication::is_public).collect())
    }

    async fn save_publication(
        &self,
        changed: &Publication,
        action: &str,
        stamp: &Stamp,
    ) -> StoreResult<Publication> {
        refuse_unapproved_release(changed)?;
        let mut tx = self.begin_write().await?;
        let before: Publication =
            sql::<DB>("SELECT data FROM publications WHERE agency = $1 AND id = $2")
                .bind(changed.agency.as_str())
                .bind(changed.id as i64)
                .fetch_optional(&mut tx)
                .await?
                .map(|r| r.json(0, "publication"))
                .transpose()?
                .ok_or_else(|| DomainError::NotFound(format!("公开信息 {} 不存在", changed.id)))?;
        let saved = Publication {
            version: changed.version + 1,
            ..changed.clone()
        };
        let index_number = saved.index_number.as_deref().unwrap_or("");
        let written = sql::<DB>("UPDATE publications SET state = $1, fully_approved = $2, index_number = $3, published_on = $4, written_on = $5, category = $6, version = $7, data = $8, interprets = $12 WHERE agency = $9 AND id = $10 AND version = $11")
            .bind(saved.state.code())
            .bind(i32::from(saved.fully_approved()))
            .bind(saved.index_number.clone())
            .bind(saved.published_on.map(|d| d.to_string()))
            .bind(saved.draft.written_on.to_string())
            .bind(saved.draft.category.as_str())
            .bind(saved.version as i64)
            .bind(to_json(&saved).to_string())
            .bind(saved.agency.as_str())
            .bind(saved.id as i64)
            .bind(changed.version as i64)
            .bind(interprets(&saved))
            .try_execute(&mut tx)
            .await
            .map_err(conflict_if_duplicate(format!("索引号 {index_number} 已被使用")))?;
        if written != 1 {
            return Err(DomainError::Conflict(format!(
                "“{}”已被他人修改（版本 {} → {}），请刷新后重新操作，您的操作未保存",
                changed.draft.title, changed.version, before.version
            ))
            .into());
        }
        let record = AuditRecord::new(
            stamp,
            saved.agency.as_str(),
            &format!("publication.{action}"),
            &saved.id.to_string(),
            to_json(&before),
            to_json(&saved),
        );
        Self::audit(&mut tx, record).await?;
        Self::enqueue_for_search(&mut tx, &saved, stamp).await?;
        tx.commit().await.map_err(db)?;
        Ok(saved)
    }

    async fn search_outbox_after(
        &self,
        after: u64,
        limit: usize,
    ) -> StoreResult<Vec<(u64, AgencyCode, u64)>> {
        // Read on the writer: what was just committed must be seen.
        let mut conn = self.writer.acquire().await.map_err(db)?;
        sql::<DB>("SELECT seq, agency, publication FROM search_outbox WHERE seq > $1 ORDER BY seq LIMIT $2")
            .bind(after as i64)
            .bind(limit as i64)
            .fetch_all(&mut conn)
            .await?
            .iter()
            .map(|r| {
                Ok((
                    r.number(0)?,
                    AgencyCode::parse(&r.get::<String>(1)?)?,
                    r.number(2)?,
                ))
            })
            .collect()
    }

    async fn search_outbox_state(&self) -> StoreResult<OutboxState> {
        let mut conn = self.writer.acquire().await.map_err(db)?;
        let row = sql::<DB>("SELECT h.through, h.generation, (SELECT MAX(seq) FROM search_outbox) FROM search_outbox_horizon h WHERE h.id = 1")
            .fetch_optional(&mut conn)
            .await?
            .ok_or_else(|| DomainError::NotFound("检索变更记录的起点缺失（迁移未完成？）".into()))?;
        let forgotten_through = row.number(0)?;
        let newest: Option<i64> = row.get(2)?;
        Ok(OutboxState {
            head: newest.map_or(forgotten_through, |n| (n as u64).max(forgotten_through)),
            forgotten_through,
            generation: row.number(1)?,
        })
    }

    async fn search_expected(&self, after: u64) -> StoreResult<(u64, u64)> {
        let mut conn = self.writer.acquire().await.map_err(db)?;
        let public = sql::<DB>(
            "SELECT COUNT(*) FROM publications WHERE state = 'published' AND fully_approved = 1",
        )
        .fetch_optional(&mut conn)
        .await?
        .map(|r| r.number(0))
        .transpose()?
        .unwrap_or(0);
        let pending = sql::<DB>("SELECT COUNT(*) FROM search_outbox WHERE seq > $1")
            .bind(after as i64)
            .fetch_optional(&mut conn)
            .await?
            .map(|r| r.number(0))
            .transpose()?
            .unwrap_or(0);
        Ok((public, pending))
    }

    async fn forget_search_outbox(&self, before: jiff::Timestamp) -> StoreResult<u64> {
        let mut tx = self.begin_write().await?;
        let newest: Option<i64> =
            sql::<DB>("SELECT MAX(seq) FROM search_outbox WHERE recorded < $1")
                .bind(before.as_second())
                .fetch_optional(&mut tx)
                .await?
                .map(|r| r.get(0))
                .transpose()?
                .flatten();
        let Some(newest) = newest else {
            return Ok(0);
        };
        let removed = sql::<DB>("DELETE FROM search_outbox WHERE seq <= $1")
            .bind(newest)
            .execute(&mut tx)
            .await?;
        sql::<DB>("UPDATE search_outbox_horizon SET through = $1 WHERE id = 1 AND through < $1")
            .bind(newest)
            .execute(&mut tx)
            .await?;
        tx.commit().await.map_err(db)?;
        Ok(removed)
    }

    async fn rebuild_every_search_index(&self) -> StoreResult<u64> {
        let mut tx = self.begin_write().await?;
        sql::<DB>("UPDATE search_outbox_horizon SET generation = generation + 1 WHERE id = 1")
            .execute(&mut tx)
            .await?;
        let generation = sql::<DB>("SELECT generation FROM search_outbox_horizon WHERE id = 1")
            .fetch_optional(&mut tx)
            .await?
            .map(|r| r.number(0))
            .transpose()?
            .unwrap_or(0);
        tx.commit().await.map_err(db)?;
        Ok(generation)
    }
}
