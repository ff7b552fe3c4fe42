use std::{path::Path, sync::Mutex};

use gongkai_domain::{
    AgencyCode,
    search::{
        BoxFuture, IndexPosition, Rebuilding, SearchBackend, SearchDoc, SearchFilter, SearchHit,
        SearchResult, category_levels,
    },
};
use tantivy::{
    Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term,
    collector::TopDocs,
    query::{BooleanQuery, Occur, Query, TermQuery},
    schema::{
        Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
        Value,
    },
};

/// The embedded index: a tantivy directory (or memory, for tests) over pre-segmented text.
pub struct TantivyIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
}

#[derive(Clone, Copy)]
struct Fields {
    key: Field,
    agency: Field,
    id: Field,
    category: Field,
    title: Field,
    body: Field,
}

fn err(e: impl std::fmt::Display) -> String {
    format!("检索索引错误：{e}")
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("whitespace")
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let fields = Fields {
        key: builder.add_text_field("key", STRING),
        agency: builder.add_text_field("agency", STRING | STORED),
        id: builder.add_u64_field("id", INDEXED | STORED),
        category: builder.add_text_field("category", STRING),
        title: builder.add_text_field("title", text.clone()),
        body: builder.add_text_field("body", text),
    };
    (builder.build(), fields)
}

fn key(agency: &AgencyCode, id: u64) -> String {
    format!("{agency}/{id}")
}

/// Index directories one data directory can hold: one per server process started on it.
pub const INDEX_SLOTS: usize = 16;

/// Why an index could not be opened.
enum Opening {
    /// Another process (a running server) holds its writer.
    Held,
    Failed(String),
}

impl TantivyIndex {
    /// Opens the index in `dir`, creating it when absent.
    pub fn open(dir: &Path) -> SearchResult<Self> {
        Self::open_dir(dir).map_err(|e| match e {
            Opening::Held => "检索索引正被另一个进程（如运行中的 gongkai serve）使用：先停止它再重建；服务器运行时会自动保持索引最新".to_string(),
            Opening::Failed(message) => message,
        })
    }

    /// Opens the first index under `base` no other process holds: `base` itself, else
    /// `base.2`, `base.3`, … — each server started on one data directory keeps its own index
    /// (and finds it again after a restart, so it carries on instead of rebuilding).
    pub fn open_first_free(base: &Path) -> SearchResult<(Self, std::path::PathBuf)> {
        for slot in 1..=INDEX_SLOTS {
            let dir = if slot == 1 {
                base.to_path_buf()
            } else {
                let mut name = base.as_os_str().to_owned();
                name.push(format!(".{slot}"));
                name.into()
            };
            match Self::open_dir(&dir) {
                Ok(index) => return Ok((index, dir)),
                Err(Opening::Held) => continue,
                Err(Opening::Failed(message)) => return Err(message),
            }
        }
        Err(format!(
            "{} 下的 {INDEX_SLOTS} 个检索索引都在使用中：同一数据目录最多运行 {INDEX_SLOTS} 个服务器进程",
            base.display()
        ))
    }

    fn open_dir(dir: &Path) -> Result<Self, Opening> {
        let failed = |e: &dyn std::fmt::Display| Opening::Failed(err(e));
        std::fs::create_dir_all(dir).map_err(|e| failed(&e))?;
        let (schema, fields) = schema();
        let directory = tantivy::directory::MmapDirectory::open(dir).map_err(|e| failed(&e))?;
        let index = Index::open_or_create(directory, schema).map_err(|e| failed(&e))?;
        Self::with(index, fields)
    }

    pub fn in_memory() -> SearchResult<Self> {
        let (schema, fields) = schema();
        Self::with(Index::create_in_ram(schema), fields).map_err(|e| match e {
            Opening::Held => err("内存索引被占用"),
            Opening::Failed(message) => message,
        })
    }

    fn with(index: Index, fields: Fields) -> Result<Self, Opening> {
        let writer = index.writer(50_000_000).map_err(|e| match e {
            tantivy::TantivyError::LockFailure(..) => Opening::Held,
            other => Opening::Failed(err(other)),
        })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| Opening::Failed(err(e)))?;
        Ok(Self {
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
        })
    }

    fn commit(&self, writer: &mut IndexWriter, position: IndexPosition) -> SearchResult<()> {
        let mut prepared = writer.prepare_commit().map_err(err)?;
        prepared.set_payload(&position.encode());
        prepared.commit().map_err(err)?;
        self.reader.reload().map_err(err)
    }

    /// The tantivy document of a publication (the one shape every writer adds).
    fn document(&self, d: &SearchDoc) -> TantivyDocument {
        let f = self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.key, key(&d.agency, d.id));
        doc.add_text(f.agency, d.agency.as_str());
        doc.add_u64(f.id, d.id);
        for level in category_levels(&d.category) {
            doc.add_text(f.category, level);
        }
        doc.add_text(f.title, &d.title_tokens);
        doc.add_text(f.body, &d.body_tokens);
        doc
    }

    fn apply_now(
        &self,
        upserts: &[SearchDoc],
        removals: &[(AgencyCode, u64)],
        position: IndexPosition,
    ) -> SearchResult<()> {
        let f = self.fields;
        let mut writer = self.writer.lock().map_err(err)?;
        for d in upserts {
            writer.delete_term(Term::from_field_text(f.key, &key(&d.agency, d.id)));
            writer.add_document(self.document(d)).map_err(err)?;
        }
        for (agency, id) in removals {
            writer.delete_term(Term::from_field_text(f.key, &key(agency, *id)));
        }
        self.commit(&mut writer, position)
    }

    fn search_now(
        &self,
        tokens: &[String],
        filter: &SearchFilter,
        limit: usize,
    ) -> SearchResult<Vec<SearchHit>> {
        let f = self.fields;
        if tokens.is_empty() {
            return Ok(Vec::new());
        }
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for token in tokens {
            let either: Vec<(Occur, Box<dyn Query>)> = [(f.title, 2.0), (f.body, 1.0)]
                .into_iter()
                .map(|(field, boost)| {
                    let q: Box<dyn Query> = Box::new(tantivy::query::BoostQuery::new(
                        Box::new(TermQuery::new(
                            Term::from_field_text(field, token),
                            IndexRecordOption::WithFreqs,
                        )),
                        boost,
                    ));
                    (Occur::Should, q)
                })
                .collect();
            must.push((Occur::Must, Box::new(BooleanQuery::new(either))));
        }
        if let Some(agency) = &filter.agency {
            must.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.agency, agency.as_str()),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        if let Some(category) = &filter.category {
            must.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.category, category),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        let query = BooleanQuery::new(must);
        let searcher = self.reader.searcher();
        let top = searcher
            .search(&query, &TopDocs::with_limit(limit.max(1)).order_by_score())
            .map_err(err)?;
        top.into_iter()
            .map(|(score, address)| {
                let doc: TantivyDocument = searcher.doc(address).map_err(err)?;
                let agency = doc
                    .get_first(f.agency)
                    .and_then(|v| v.as_str())
                    .ok_or("索引文档缺少机关")?;
                let id = doc
                    .get_first(f.id)
                    .and_then(|v| v.as_u64())
                    .ok_or("索引文档缺少编号")?;
                Ok(SearchHit {
                    agency: AgencyCode::parse(agency).map_err(err)?,
                    id,
                    score,
                })
            })
            .collect()
    }

    /// How many documents the index holds.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A rebuild of a [`TantivyIndex`]: the writer's pending state holds "delete everything" and
/// the new documents until `finish` commits them; dropped before, the writer rolls back.
struct TantivyRebuild<'a> {
    index: &'a TantivyIndex,
    finished: bool,
}

impl Rebuilding for TantivyRebuild<'_> {
    fn add(&mut self, docs: &[SearchDoc]) -> SearchResult<()> {
        let writer = self.index.writer.lock().map_err(err)?;
        for d in docs {
            writer.add_document(self.index.document(d)).map_err(err)?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>, position: IndexPosition) -> SearchResult<()> {
        let mut writer = self.index.writer.lock().map_err(err)?;
        self.index.commit(&mut writer, position)?;
        self.finished = true;
        Ok(())
    }
}

impl Drop for TantivyRebuild<'_> {
    fn drop(&mut self) {
        if !self.finished
            && let Ok(mut writer) = self.index.writer.lock()
        {
            // Back to the last commit. It fails only when the directory does, and then so
            // does every later commit: nothing half-built is ever committed.
            let _ = writer.rollback();
        }
    }
}

impl SearchBackend for TantivyIndex {
    fn name(&self) -> &'static str {
        "tantivy"
    }

    fn position(&self) -> SearchResult<Option<IndexPosition>> {
        let metas = self.index.load_metas().map_err(err)?;
        Ok(metas.payload.as_deref().and_then(IndexPosition::decode))
    }

    fn apply<'a>(
        &'a self,
        upserts: &'a [SearchDoc],
        removals: &'a [(AgencyCode, u64)],
        position: IndexPosition,
    ) -> BoxFuture<'a, SearchResult<()>> {
        Box::pin(async move { self.apply_now(upserts, removals, position) })
    }

    fn rebuild(&self) -> SearchResult<Box<dyn Rebuilding + '_>> {
        self.writer
            .lock()
            .map_err(err)?
            .delete_all_documents()
            .map_err(err)?;
        Ok(Box::new(TantivyRebuild {
            index: self,
            finished: false,
        }))
    }

    fn count(&self) -> BoxFuture<'_, SearchResult<u64>> {
        Box::pin(async move { Ok(self.reader.searcher().num_docs()) })
    }

    fn search<'a>(
        &'a self,
        tokens: &'a [String],
        filter: &'a SearchFilter,
        limit: usize,
    ) -> BoxFuture<'a, SearchResult<Vec<SearchHit>>> {
        Box::pin(async move { self.search_now(tokens, filter, limit) })
    }
}
