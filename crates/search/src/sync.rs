use std::sync::Arc;

use gongkai_domain::{
    AgencyCode,
    search::{
        BoxFuture, PublicationSearch, SearchBackend, SearchFilter, SearchHealth, SearchHit,
        SearchResult,
    },
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

    fn health(&self) -> BoxFuture<'_, SearchResult<SearchHealth>> {
        Box::pin(async move {
            let (public, pending) = self
                .store
                .search_expected()
                .await
                .map_err(|e| e.to_string())?;
            Ok(SearchHealth {
                indexed: self.backend.count().await?,
                public,
                pending,
            })
        })
    }

    fn rebuild(&self) -> BoxFuture<'_, SearchResult<usize>> {
        Box::pin(async move {
            let _one = self.syncing.lock().await;
            reindex(&self.store, self.backend.as_ref(), &self.segmenter, |_| {}).await
        })
    }
}

/// Rebuilds the index from scratch, all or nothing: every public publication of every agency
/// is gathered, then the index is replaced in one commit (an interrupted rebuild leaves the old
/// index, never an empty one). The outbox is left alone: what is in it is applied by the next
/// sync, which gives the same index whether or not the rebuild already covered it.
pub async fn reindex<S: Store>(
    store: &S,
    backend: &dyn SearchBackend,
    segmenter: &Segmenter,
    mut progress: impl FnMut(usize),
) -> SearchResult<usize> {
    let mut docs = Vec::new();
    for agency in store.agencies().await.map_err(|e| e.to_string())? {
        for p in store
            .public_publications(&agency.code)
            .await
            .map_err(|e| e.to_string())?
        {
            docs.push(segmenter.document(&p));
            if docs.len() % 1000 == 0 {
                progress(docs.len());
            }
        }
    }
    let indexed = docs.len();
    backend.rebuild(docs).await?;
    progress(indexed);
    Ok(indexed)
}
