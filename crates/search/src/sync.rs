use std::{collections::BTreeSet, sync::Arc};

use gongkai_domain::{
    AgencyCode,
    search::{
        BoxFuture, IndexPosition, PublicationSearch, SearchBackend, SearchFilter, SearchHealth,
        SearchHit, SearchResult,
    },
    store::Store,
};
use tokio::sync::Mutex;

use crate::Segmenter;

/// Search over this server's index, kept in step with the database through the outbox.
pub struct Search<S> {
    store: S,
    backend: Arc<dyn SearchBackend>,
    segmenter: Arc<Segmenter>,
    /// One catch-up at a time per server. Every server reads the outbox from its own index's
    /// position; nothing in the database records who read what.
    syncing: Mutex<()>,
}

/// Outbox entries read and applied per index commit.
const PIECE: usize = 500;

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

    /// Brings the index up to date: from its own position while the outbox still holds what
    /// follows it; otherwise — a new server, an index of another generation, a server stopped
    /// longer than the outbox keeps entries — rebuilt from the publications, then carried on.
    async fn catch_up(&self) -> SearchResult<usize> {
        let _one = self.syncing.lock().await;
        let state = self
            .store
            .search_outbox_state()
            .await
            .map_err(|e| e.to_string())?;
        match self.backend.position()? {
            Some(at) if state.can_continue(at.generation, at.applied_through) => {
                self.apply_from(at).await
            }
            _ => {
                let rebuilt =
                    reindex(&self.store, self.backend.as_ref(), &self.segmenter, |_| {}).await?;
                let at = self.backend.position()?.unwrap_or_default();
                Ok(rebuilt + self.apply_from(at).await?)
            }
        }
    }

    async fn apply_from(&self, mut at: IndexPosition) -> SearchResult<usize> {
        let mut applied = 0;
        loop {
            let batch = self
                .store
                .search_outbox_after(at.applied_through, PIECE)
                .await
                .map_err(|e| e.to_string())?;
            let Some(&(last, _, _)) = batch.last() else {
                return Ok(applied);
            };
            let changed: BTreeSet<(AgencyCode, u64)> = batch
                .iter()
                .map(|(_, agency, id)| (agency.clone(), *id))
                .collect();
            let mut upserts = Vec::new();
            let mut removals = Vec::new();
            for (agency, id) in changed {
                // What the publication is now, whatever the entry was: applying an entry
                // twice, or late, gives the same index.
                match self
                    .store
                    .publication(&agency, id)
                    .await
                    .map_err(|e| e.to_string())?
                {
                    Some(p) if p.is_public() => upserts.push(self.segmenter.document(&p)),
                    _ => removals.push((agency, id)),
                }
            }
            at.applied_through = last;
            self.backend.apply(&upserts, &removals, at).await?;
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
        Box::pin(self.catch_up())
    }

    fn health(&self) -> BoxFuture<'_, SearchResult<SearchHealth>> {
        Box::pin(async move {
            let at = self.backend.position()?.unwrap_or_default();
            let (public, pending) = self
                .store
                .search_expected(at.applied_through)
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

/// Rebuilds the index from the publications, all or nothing: every public publication of
/// every agency is segmented and added a agency at a time (memory holds one agency's, not the
/// province's), and the whole lands in one commit that records the outbox head read before the
/// first publication — what changed meanwhile is applied again by the next catch-up, which
/// gives the same index. An interrupted rebuild leaves the old index, never an empty one.
pub async fn reindex<S: Store>(
    store: &S,
    backend: &dyn SearchBackend,
    segmenter: &Segmenter,
    mut progress: impl FnMut(usize),
) -> SearchResult<usize> {
    let state = store
        .search_outbox_state()
        .await
        .map_err(|e| e.to_string())?;
    let mut rebuilding = backend.rebuild()?;
    let mut indexed = 0;
    for agency in store.agencies().await.map_err(|e| e.to_string())? {
        let docs: Vec<_> = store
            .public_publications(&agency.code)
            .await
            .map_err(|e| e.to_string())?
            .iter()
            .map(|p| segmenter.document(p))
            .collect();
        rebuilding.add(&docs)?;
        indexed += docs.len();
        progress(indexed);
    }
    rebuilding.finish(IndexPosition {
        generation: state.generation,
        applied_through: state.head,
    })?;
    Ok(indexed)
}
