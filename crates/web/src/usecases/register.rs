//! The 第二十条 register (规章、行政规范性文件 as issued and repealed, each year's decisions and
//! fees — table 二 of the annual report) and the 主动公开基本目录, entered one by one or imported
//! whole from a spreadsheet (all rows right, or nothing imported; then applied by an import
//! job off the request path).

use std::sync::Arc;

use gongkai_domain::{
    Actor, Role, catalog,
    imports::{ImportItem, ImportJob, StagedItem},
    register::{self, DocumentKind, RegisteredDocument, YearFigures},
    store::Store,
};
use gongkai_law::Date;

use crate::{
    app::App,
    error::WebError,
    usecases::{
        imports,
        numbering::{self, Series},
    },
};

/// 第二十条 information and the catalog are kept by a 经办人 or a 管理员.
fn require_editor(actor: &Actor, what: &str) -> Result<(), WebError> {
    if actor.has(Role::CaseOfficer) || actor.has(Role::Administrator) {
        Ok(())
    } else {
        Err(WebError::Forbidden(format!("{what}由经办人或管理员登记")))
    }
}

/// The first of `count` new numbers of `series`, taken at once (an import numbers its rows).
async fn block<S: Store>(
    app: &App<S>,
    actor: &Actor,
    series: Series,
    count: usize,
) -> Result<u64, WebError> {
    let count = u32::try_from(count.max(1)).map_err(|_| WebError::field("文件", "行数过多"))?;
    Ok(app
        .store
        .next_block_in_series(&actor.agency, &series.prefix(), count)
        .await?)
}

/// The line of the file each non-blank data row came from (the header is line 1), in the
/// order `read_table` numbers its items.
fn data_lines(rows: &[Vec<String>]) -> impl Iterator<Item = u32> + '_ {
    rows.iter()
        .enumerate()
        .skip(1)
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX))
}

pub async fn add_document<S: Store>(
    app: &App<S>,
    actor: &Actor,
    kind: DocumentKind,
    title: &str,
    doc_number: &str,
    issued_on: Date,
) -> Result<RegisteredDocument, WebError> {
    require_editor(actor, "第二十条信息")?;
    let id = numbering::next(app, &actor.agency, Series::RegisterDocuments).await?;
    let document = RegisteredDocument::new(
        actor.agency.clone(),
        id,
        kind,
        title,
        doc_number,
        issued_on,
        None,
    )?;
    let stamp = app.stamp(actor.user.as_str());
    app.store.save_register_document(&document, &stamp).await?;
    Ok(document)
}

/// Records that document `id` was repealed (废止) on `date`.
pub async fn repeal<S: Store>(
    app: &App<S>,
    actor: &Actor,
    id: u64,
    date: Date,
) -> Result<RegisteredDocument, WebError> {
    require_editor(actor, "第二十条信息")?;
    let document = app
        .store
        .register_documents(&actor.agency)
        .await?
        .into_iter()
        .find(|d| d.id == id)
        .ok_or_else(|| WebError::NotFound("本机关没有这份文件".into()))?;
    let changed = RegisteredDocument::new(
        document.agency.clone(),
        id,
        document.kind,
        &document.title,
        &document.doc_number,
        document.issued_on,
        Some(date),
    )?;
    let stamp = app.stamp(actor.user.as_str());
    app.store.save_register_document(&changed, &stamp).await?;
    Ok(changed)
}

/// Imports 规章 and 行政规范性文件 from a spreadsheet's rows (header first): every bad row is
/// named with its line and nothing is imported unless all are right; then the documents are
/// added by an import job, off the request path. Returns the job.
pub async fn import_documents<S: Store + 'static>(
    app: &Arc<App<S>>,
    actor: &Actor,
    file_name: &str,
    rows: &[Vec<String>],
) -> Result<ImportJob, WebError> {
    require_editor(actor, "第二十条信息")?;
    let first = block(
        app,
        actor,
        Series::RegisterDocuments,
        rows.len().saturating_sub(1),
    )
    .await?;
    let documents = register::read_table(&actor.agency, first, rows).map_err(|errors| {
        WebError::field(
            "文件",
            format!(
                "有{}处问题，未导入任何文件（全部正确才导入）：{}",
                errors.len(),
                errors.join("；")
            ),
        )
    })?;
    let items: Vec<StagedItem> = documents
        .into_iter()
        .zip(data_lines(rows))
        .map(|(d, line)| StagedItem {
            line,
            item: ImportItem::RegisterDocument(d),
        })
        .collect();
    imports::start(app, actor, file_name, &items).await
}

/// A year's 行政许可、行政处罚、行政强制 decisions and fees (blank stays blank).
pub async fn save_figures<S: Store>(
    app: &App<S>,
    actor: &Actor,
    year: i16,
    figures: &YearFigures,
) -> Result<(), WebError> {
    require_editor(actor, "第二十条信息")?;
    let stamp = app.stamp(actor.user.as_str());
    Ok(app
        .store
        .save_year_figures(&actor.agency, year, figures, &stamp)
        .await?)
}

/// Imports 主动公开基本目录 entries from a spreadsheet's rows by an import job; `Ok(Err(problems))`
/// names every bad row and nothing is imported.
pub async fn import_catalog<S: Store + 'static>(
    app: &Arc<App<S>>,
    actor: &Actor,
    file_name: &str,
    rows: &[Vec<String>],
) -> Result<Result<ImportJob, Vec<String>>, WebError> {
    if !(actor.has(Role::Administrator) || actor.has(Role::CaseOfficer)) {
        return Err(WebError::Forbidden("目录由管理员或经办人导入".into()));
    }
    let first = block(
        app,
        actor,
        Series::CatalogEntries,
        rows.len().saturating_sub(1),
    )
    .await?;
    match catalog::read_table(&actor.agency, first, rows) {
        Ok(entries) => {
            let items: Vec<StagedItem> = entries
                .into_iter()
                .zip(data_lines(rows))
                .map(|(e, line)| StagedItem {
                    line,
                    item: ImportItem::CatalogEntry(e),
                })
                .collect();
            Ok(Ok(imports::start(app, actor, file_name, &items).await?))
        }
        Err(problems) => Ok(Err(problems)),
    }
}
