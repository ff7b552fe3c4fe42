//! 全文检索: which index the server uses (the embedded one in the data directory, or
//! PostgreSQL's full-text when the store is PostgreSQL), and `gongkai search reindex`.

use std::{path::Path, process::ExitCode, sync::Arc};

use gongkai_domain::{search::SearchBackend, store::Store};
use gongkai_search::{Search, Segmenter, TantivyIndex, reindex};

use crate::{failure::Failure, store::AnyStore};

/// The embedded index lives here, inside the data directory.
pub const INDEX_DIR: &str = "search-index";

async fn parts(
    store: &AnyStore,
    data_dir: &Path,
) -> Result<(Arc<dyn SearchBackend>, Arc<Segmenter>), Failure> {
    let backend: Arc<dyn SearchBackend> = match store {
        AnyStore::Postgres(pg) => Arc::new(pg.clone()),
        AnyStore::Sqlite(_) => Arc::new(
            TantivyIndex::open(&data_dir.join(INDEX_DIR))
                .map_err(|e| Failure::io("无法打开检索索引", e))?,
        ),
    };
    // Agency names join the dictionary so they are searched as words.
    let agencies = store
        .agencies()
        .await
        .map_err(|e| Failure::io("无法读取机关", e))?;
    let segmenter = Segmenter::new(agencies.iter().map(|a| a.name.as_str()));
    Ok((backend, Arc::new(segmenter)))
}

pub async fn open(
    store: &AnyStore,
    data_dir: &Path,
) -> Result<Arc<dyn gongkai_domain::search::PublicationSearch>, Failure> {
    let (backend, segmenter) = parts(store, data_dir).await?;
    Ok(Arc::new(Search::new(store.clone(), backend, segmenter)))
}

pub async fn run_reindex(store: &AnyStore, data_dir: &Path) -> Result<ExitCode, Failure> {
    let (backend, segmenter) = parts(store, data_dir).await?;
    let started = std::time::Instant::now();
    let indexed = reindex(store, backend.as_ref(), &segmenter, |n| {
        if n % 10_000 == 0 {
            eprintln!("已索引 {n} 条……");
        }
    })
    .await
    .map_err(|e| Failure::io("重建索引失败", e))?;
    println!(
        "已重建全文检索索引（{}）：{indexed} 条公开信息，用时 {:.1} 秒。",
        backend.name(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
