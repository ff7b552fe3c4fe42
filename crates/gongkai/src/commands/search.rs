//! 全文检索: the index that goes with the store (see `store::Installed`), and
//! `gongkai search reindex`.

use std::{path::Path, process::ExitCode, sync::Arc};

use gongkai_domain::search::{PublicationSearch, SearchBackend};
use gongkai_search::{Search, Segmenter, reindex};

use crate::{failure::Failure, store::Installed};

async fn parts<S: Installed>(
    store: &S,
    data_dir: &Path,
) -> Result<(Arc<dyn SearchBackend>, Arc<Segmenter>), Failure> {
    let backend = store.search_backend(data_dir)?;
    // Agency names join the dictionary so they are searched as words.
    let agencies = store
        .agencies()
        .await
        .map_err(|e| Failure::io("无法读取机关", e))?;
    let segmenter = Segmenter::new(agencies.iter().map(|a| a.name.as_str()));
    Ok((backend, Arc::new(segmenter)))
}

pub async fn open<S: Installed>(
    store: &S,
    data_dir: &Path,
) -> Result<Arc<dyn PublicationSearch>, Failure> {
    let (backend, segmenter) = parts(store, data_dir).await?;
    Ok(Arc::new(Search::new(store.clone(), backend, segmenter)))
}

pub async fn run_reindex<S: Installed>(store: &S, data_dir: &Path) -> Result<ExitCode, Failure> {
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
