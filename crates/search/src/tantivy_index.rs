use std::{path::Path, sync::Mutex};

use gongkai_domain::{
    AgencyCode,
    search::{
        BoxFuture, SearchBackend, SearchDoc, SearchFilter, SearchHit, SearchResult, category_levels,
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

impl TantivyIndex {
    /// Opens the index in `dir`, creating it when absent.
    pub fn open(dir: &Path) -> SearchResult<Self> {
        std::fs::create_dir_all(dir).map_err(err)?;
        let (schema, fields) = schema();
        let directory = tantivy::directory::MmapDirectory::open(dir).map_err(err)?;
        let index = Index::open_or_create(directory, schema).map_err(err)?;
        Self::with(index, fields)
    }

    pub fn in_memory() -> SearchResult<Self> {
        let (schema, fields) = schema();
        Self::with(Index::create_in_ram(schema), fields)
    }

    fn with(index: Index, fields: Fields) -> SearchResult<Self> {
        let writer = index.writer(50_000_000).map_err(|e| match e {
            tantivy::TantivyError::LockFailure(..) => {
                "检索索引正被另一个进程（如运行中的 gongkai serve）使用：先停止它再重建；服务器运行时会自动保持索引最新"
                    .to_string()
            }
            other => err(other),
        })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(err)?;
        Ok(Self {
            reader,
            writer: Mutex::new(writer),
            fields,
        })
    }

    fn commit(&self, writer: &mut IndexWriter) -> SearchResult<()> {
        writer.commit().map_err(err)?;
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

    fn upsert_now(&self, docs: &[SearchDoc]) -> SearchResult<()> {
        let f = self.fields;
        let mut writer = self.writer.lock().map_err(err)?;
        for d in docs {
            writer.delete_term(Term::from_field_text(f.key, &key(&d.agency, d.id)));
            writer.add_document(self.document(d)).map_err(err)?;
        }
        self.commit(&mut writer)
    }

    fn remove_now(&self, keys: &[(AgencyCode, u64)]) -> SearchResult<()> {
        let mut writer = self.writer.lock().map_err(err)?;
        for (agency, id) in keys {
            writer.delete_term(Term::from_field_text(self.fields.key, &key(agency, *id)));
        }
        self.commit(&mut writer)
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

    /// Adds many documents with one commit (for rebuilding and benchmarks).
    pub fn bulk(&self, docs: impl IntoIterator<Item = SearchDoc>) -> SearchResult<u64> {
        let mut writer = self.writer.lock().map_err(err)?;
        let mut n = 0;
        for d in docs {
            writer.add_document(self.document(&d)).map_err(err)?;
            n += 1;
        }
        self.commit(&mut writer)?;
        Ok(n)
    }
}

impl SearchBackend for TantivyIndex {
    fn name(&self) -> &'static str {
        "tantivy"
    }

    fn upsert<'a>(&'a self, docs: &'a [SearchDoc]) -> BoxFuture<'a, SearchResult<()>> {
        Box::pin(async move { self.upsert_now(docs) })
    }

    fn remove<'a>(&'a self, keys: &'a [(AgencyCode, u64)]) -> BoxFuture<'a, SearchResult<()>> {
        Box::pin(async move { self.remove_now(keys) })
    }

    fn clear(&self) -> BoxFuture<'_, SearchResult<()>> {
        Box::pin(async move {
            let mut writer = self.writer.lock().map_err(err)?;
            writer.delete_all_documents().map_err(err)?;
            self.commit(&mut writer)
        })
    }

    fn rebuild(&self, docs: Vec<SearchDoc>) -> BoxFuture<'_, SearchResult<()>> {
        Box::pin(async move {
            // Deleted and added under one commit: readers see the old index until it lands, and
            // an interruption before it leaves the old one on disk.
            let mut writer = self.writer.lock().map_err(err)?;
            writer.delete_all_documents().map_err(err)?;
            for d in docs {
                writer.add_document(self.document(&d)).map_err(err)?;
            }
            self.commit(&mut writer)
        })
    }

    fn count(&self) -> BoxFuture<'_, SearchResult<u64>> {
        Box::pin(async move { Ok(self.len()) })
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
