//! 全文检索: this process's index (see `store::INDEX_DIR`), and `gongkai search reindex`.

use std::{path::Path, process::ExitCode, sync::Arc};

use gongkai_domain::search::PublicationSearch;
use gongkai_search::{Search, Segmenter, TantivyIndex, reindex};

use crate::{
    failure::Failure,
    store::{INDEX_DIR, Installed},
};

/// The segmenter with the agencies' names in its dictionary, so they are searched as words.
async fn segmenter<S: Installed>(store: &S) -> Result<Arc<Segmenter>, Failure> {
    let agencies = store
        .agencies()
        .await
        .map_err(|e| Failure::io("无法读取机关", e))?;
    Ok(Arc::new(Segmenter::new(
        agencies.iter().map(|a| a.name.as_str()),
    )))
}

/// A server's search: the first index in the data directory no other server holds, kept in
/// step with the database from its own position in the outbox.
pub async fn open<S: Installed>(
    store: &S,
    data_dir: &Path,
) -> Result<Arc<dyn PublicationSearch>, Failure> {
    let (index, dir) = TantivyIndex::open_first_free(&data_dir.join(INDEX_DIR))
        .map_err(|e| Failure::io("无法打开检索索引", e))?;
    tracing::info!(index = %dir.display(), "search index opened");
    let segmenter = segmenter(store).await?;
    Ok(Arc::new(Search::new(
        store.clone(),
        Arc::new(index),
        segmenter,
    )))
}

/// Tells every server's index to rebuild itself (a new generation in the database), and
/// rebuilds this data directory's own index now when no server holds it.
pub async fn run_reindex<S: Installed>(store: &S, data_dir: &Path) -> Result<ExitCode, Failure> {
    let generation = store
        .rebuild_every_search_index()
        .await
        .map_err(|e| Failure::io("无法通知各服务器重建索引", e))?;
    let index = match TantivyIndex::open(&data_dir.join(INDEX_DIR)) {
        Ok(index) => index,
        Err(held) => {
            println!(
                "已通知所有服务器重建全文检索索引（第 {generation} 代）：运行中的服务器会在几秒内各自重建。（本目录的索引：{held}）"
            );
            return Ok(ExitCode::SUCCESS);
        }
    };
    let segmenter = segmenter(store).await?;
    let started = std::time::Instant::now();
    let mut told = 0;
    let indexed = reindex(store, &index, &segmenter, |n| {
        if n >= told + 10_000 {
            told = n;
            eprintln!("已索引 {n} 条……");
        }
    })
    .await
    .map_err(|e| Failure::io("重建索引失败", e))?;
    println!(
        "已重建全文检索索引：{indexed} 条公开信息，用时 {:.1} 秒；其他服务器的索引会各自重建（第 {generation} 代）。",
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
