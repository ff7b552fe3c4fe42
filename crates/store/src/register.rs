//! 第二十条 register (规章、行政规范性文件 and each year's figures) and the 主动公开基本目录.

use gongkai_domain::{
    AgencyCode,
    audit::AuditRecord,
    catalog::CatalogEntry,
    register::{RegisteredDocument, YearFigures},
    store::{RegisterStore, Stamp, StoreResult},
};
use serde_json::Value;

use crate::{
    SqlStore,
    dialect::{Dialect, db, sql},
    to_json,
};

impl<DB: Dialect> RegisterStore for SqlStore<DB> {
    async fn save_register_document(
        &self,
        document: &RegisteredDocument,
        stamp: &Stamp,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let before = sql::<DB>("SELECT data FROM register_documents WHERE agency = $1 AND id = $2")
            .bind(document.agency.as_str())
            .bind(document.id as i64)
            .fetch_optional(&mut tx)
            .await?
            .and_then(|r| r.json(0, "register document").ok())
            .unwrap_or(Value::Null);
        sql::<DB>("INSERT INTO register_documents (agency, id, data) VALUES ($1, $2, $3) ON CONFLICT (agency, id) DO UPDATE SET data = excluded.data")
            .bind(document.agency.as_str())
            .bind(document.id as i64)
            .bind(to_json(document).to_string())
            .execute(&mut tx)
            .await?;
        let record = AuditRecord::new(
            stamp,
            document.agency.as_str(),
            "register.document",
            &document.id.to_string(),
            before,
            to_json(document),
        );
        Self::audit(&mut tx, record).await?;
        tx.commit().await.map_err(db)
    }

    async fn register_documents(
        &self,
        agency: &AgencyCode,
    ) -> StoreResult<Vec<RegisteredDocument>> {
        sql::<DB>("SELECT data FROM register_documents WHERE agency = $1 ORDER BY id")
            .bind(agency.as_str())
            .read_all(&self.readers)
            .await?
            .iter()
            .map(|r| r.json(0, "register document"))
            .collect()
    }

    async fn add_register_documents(
        &self,
        documents: &[RegisteredDocument],
        stamp: &Stamp,
    ) -> StoreResult<()> {
        let rows = documents.iter().map(|r| (&r.agency, r.id, to_json(r)));
        self.insert_all(
            "INSERT INTO register_documents (agency, id, data) VALUES ($1, $2, $3)",
            rows,
            "register.import",
            "第二十条登记",
            stamp,
        )
        .await
    }

    async fn save_year_figures(
        &self,
        agency: &AgencyCode,
        year: i16,
        figures: &YearFigures,
        stamp: &Stamp,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sql::<DB>("INSERT INTO register_figures (agency, year, data) VALUES ($1, $2, $3) ON CONFLICT (agency, year) DO UPDATE SET data = excluded.data")
            .bind(agency.as_str())
            .bind(i32::from(year))
            .bind(to_json(figures).to_string())
            .execute(&mut tx)
            .await?;
        let record = AuditRecord::new(
            stamp,
            agency.as_str(),
            "register.figures",
            &year.to_string(),
            Value::Null,
            to_json(figures),
        );
        Self::audit(&mut tx, record).await?;
        tx.commit().await.map_err(db)
    }

    async fn year_figures(&self, agency: &AgencyCode, year: i16) -> StoreResult<YearFigures> {
        let row = sql::<DB>("SELECT data FROM register_figures WHERE agency = $1 AND year = $2")
            .bind(agency.as_str())
            .bind(i32::from(year))
            .read_optional(&self.readers)
            .await?;
        match row {
            Some(r) => r.json(0, "register figures"),
            None => Ok(YearFigures::default()),
        }
    }

    async fn add_catalog_entries(
        &self,
        entries: &[CatalogEntry],
        stamp: &Stamp,
    ) -> StoreResult<()> {
        let rows = entries.iter().map(|r| (&r.agency, r.id, to_json(r)));
        self.insert_all(
            "INSERT INTO catalog_entries (agency, id, data) VALUES ($1, $2, $3)",
            rows,
            "catalog.add",
            "目录条目",
            stamp,
        )
        .await
    }

    async fn catalog_entries(&self, agency: &AgencyCode) -> StoreResult<Vec<CatalogEntry>> {
        sql::<DB>("SELECT data FROM catalog_entries WHERE agency = $1 ORDER BY id")
            .bind(agency.as_str())
            .read_all(&self.readers)
            .await?
            .iter()
            .map(|r| r.json(0, "catalog entry"))
            .collect()
    }
}
