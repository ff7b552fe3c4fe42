use std::sync::Arc;

use gongkai_domain::{
    AgencyCode,
    search::{BoxFuture, PublicationSearch, SearchBackend, SearchFilter, SearchHit, SearchResult},
    store::Store,
};
use tokio::sync::Mutex;

use crate::Segmenter;

/// Search over a backend kept in step with the store through its outbox.
pub struct Search<S> {
    store: S,
    backend: Arc<dyn SearchBackend>,
    segmenter: Arc<Segmenter>,
    /// One sync at a time per server (several servers may sync the same outbox: applying an
    /// entry twice gives the same index, and each deletes only what it applied).
    syncing: Mutex<()>,
}

impl<S: Store> Search<S> {
    pub fn new(store: S, backend: Arc<dyn SearchBackend>, segmenter: Arc<Segmenter>) -> Self {
        Self {
            store,
            backend,
            segmenter,
            syncing: Mutex::new(()),
        }
    }

    pub fn backend(&self) -> &dyn SearchBackend {
        self.backend.as_ref()
    }

    async fn apply_outbox(&self) -> SearchResult<usize> {
        let _one = self.syncing.lock().await;
        let mut applied = 0;
        loop {
            let batch = self
                .store
                .search_outbox(500)
                .await
                .map_err(|e| e.to_string())?;
            let Some(&(last, _, _)) = batch.last() else {
                return Ok(applied);
            };
            let mut upserts = Vec::new();
            let mut removals: Vec<(AgencyCode, u64)> = Vec::new();
            for (_, agency, id) in &batch {
                match self
                    .store
                    .publication(agency, *id)
                    .await
                    .map_err(|e| e.to_string())?
                {
                    Some(p) if p.is_public() => upserts.push(self.segmenter.document(&p)),
                    _ => removals.push((agency.clone(), *id)),
                }
            }
            self.backend.upsert(&upserts).await?;
            self.backend.remove(&removals).await?;
            self.store
                .search_outbox_done(last)
                .await
                .map_err(|e| e.to_string())?;
            applied += batch.len();
        }
    }
}

impl<S: Store + 'static> PublicationSearch for Search<S> {
    fn tokens(&self, text: &str) -> Vec<String> {
        self.segmenter.tokens(text)
    }

    fn search<'a>(
        &'a self,
        query: &'a str,
        filter: &'a SearchFilter,
        limit: usize,
    ) -> BoxFuture<'a, SearchResult<Vec<SearchHit>>> {
        Box::pin(async move {
            let tokens = self.segmenter.tokens(query);
            self.backend.search(&tokens, filter, limit).await
        })
    }

    fn sync(&self) -> BoxFuture<'_, SearchResult<usize>> {
        Box::pin(self.apply_outbox())
    }
}

/// Rebuilds the index from scratch: clears it and indexes every public publication of every
/// agency. The outbox is left alone: what is in it is applied by the next sync, which gives the
/// same index whether or not the rebuild already covered it.
pub async fn reindex<S: Store>(
    store: &S,
    backend: &dyn SearchBackend,
    segmenter: &Segmenter,
    mut progress: impl FnMut(usize),
) -> SearchResult<usize> {
    backend.clear().await?;
    let mut indexed = 0;
    for agency in store.agencies().await.map_err(|e| e.to_string())? {
        let docs: Vec<_> = store
            .public_publications(&agency.code)
            .await
            .map_err(|e| e.to_string())?
            .iter()
            .map(|p| segmenter.document(p))
            .collect();
        for chunk in docs.chunks(1000) {
            backend.upsert(chunk).await?;
            indexed += chunk.len();
            progress(indexed);
        }
    }
    Ok(indexed)
}
