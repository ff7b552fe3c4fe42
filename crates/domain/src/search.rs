//! 全文检索 of what has been published: the documents an index holds (segmented text, so any
//! engine can index it), the backend trait the embedded index and PostgreSQL implement, the
//! search the web calls, and highlighting. Segmentation itself (jieba) lives in
//! `gongkai-search`.

use std::{future::Future, pin::Pin};

use gongkai_law::Date;

use crate::{AgencyCode, DomainError};

/// The longest query a search takes, in characters: a 政府信息 title is rarely longer, and
/// every word past it would only make the index work harder.
pub const MAX_QUERY_CHARS: usize = 100;

/// A visitor's query, trimmed; refused past [`MAX_QUERY_CHARS`] with what to do.
pub fn query(text: &str) -> Result<&str, DomainError> {
    let text = text.trim();
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(DomainError::invalid(
            "检索词",
            format!("最多{MAX_QUERY_CHARS}个字，请缩短后再检索"),
        ));
    }
    Ok(text)
}

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
pub type SearchResult<T> = Result<T, String>;

/// A public publication as an index holds it: title and body as space-separated tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchDoc {
    pub agency: AgencyCode,
    pub id: u64,
    pub category: String,
    pub published_on: Option<Date>,
    pub title_tokens: String,
    pub body_tokens: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchFilter {
    pub agency: Option<AgencyCode>,
    /// A 公开目录 category and everything under it.
    pub category: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub agency: AgencyCode,
    pub id: u64,
    pub score: f32,
}

/// An index of public publications, kept by each server (tantivy; BENCHMARKS.md has the
/// engines measured side by side). Every token of a query must match (in the title or the
/// body); better matches first. The index records, in the same commit as its documents, the
/// outbox position it has applied through and the generation it was built in, so a server
/// restarted — or new — carries on from where its own index stands.
pub trait SearchBackend: Send + Sync {
    fn name(&self) -> &'static str;
    /// Where the index stands: `None` for an index never built.
    fn position(&self) -> SearchResult<Option<IndexPosition>>;
    /// Adds or replaces `upserts` (by agency and id), removes `removals`, and records
    /// `position`, in one commit.
    fn apply<'a>(
        &'a self,
        upserts: &'a [SearchDoc],
        removals: &'a [(AgencyCode, u64)],
        position: IndexPosition,
    ) -> BoxFuture<'a, SearchResult<()>>;
    /// Starts replacing the whole index: documents are added a piece at a time and land
    /// together at `finish`; searches see the old index until then, and a rebuild dropped
    /// before it leaves the old index as it was.
    fn rebuild(&self) -> SearchResult<Box<dyn Rebuilding + '_>>;
    /// How many documents the index holds.
    fn count(&self) -> BoxFuture<'_, SearchResult<u64>>;
    fn search<'a>(
        &'a self,
        tokens: &'a [String],
        filter: &'a SearchFilter,
        limit: usize,
    ) -> BoxFuture<'a, SearchResult<Vec<SearchHit>>>;
}

/// A rebuild under way (see [`SearchBackend::rebuild`]).
pub trait Rebuilding: Send {
    fn add(&mut self, docs: &[SearchDoc]) -> SearchResult<()>;
    /// Replaces the index with what was added, recording `position`.
    fn finish(self: Box<Self>, position: IndexPosition) -> SearchResult<()>;
}

/// The outbox position an index has applied through, in the generation it was built in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IndexPosition {
    pub generation: u64,
    pub applied_through: u64,
}

impl IndexPosition {
    /// As an index keeps it beside its commit: `generation:position`.
    pub fn encode(&self) -> String {
        format!("{}:{}", self.generation, self.applied_through)
    }

    /// `None` for anything else (an index written by an older version): it is rebuilt.
    pub fn decode(text: &str) -> Option<Self> {
        let (generation, applied_through) = text.split_once(':')?;
        Some(Self {
            generation: generation.parse().ok()?,
            applied_through: applied_through.parse().ok()?,
        })
    }
}

/// What the web needs: search by a person's words, the words' tokens for highlighting, and
/// bringing the index up to date with the database (the outbox).
pub trait PublicationSearch: Send + Sync {
    fn tokens(&self, text: &str) -> Vec<String>;
    fn search<'a>(
        &'a self,
        query: &'a str,
        filter: &'a SearchFilter,
        limit: usize,
    ) -> BoxFuture<'a, SearchResult<Vec<SearchHit>>>;
    /// Brings this server's index up to date: applies the outbox from the index's position,
    /// or rebuilds it when it cannot carry on (new, another generation, behind what was
    /// forgotten); returns how many changes or documents it wrote.
    fn sync(&self) -> BoxFuture<'_, SearchResult<usize>>;
    /// Whether the index holds what the database says is public.
    fn health(&self) -> BoxFuture<'_, SearchResult<SearchHealth>>;
    /// Rebuilds the index from the database, all or nothing; returns how many documents.
    fn rebuild(&self) -> BoxFuture<'_, SearchResult<usize>>;
}

/// The index against the database: documents held, publications public, changes not applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchHealth {
    pub indexed: u64,
    pub public: u64,
    /// Outbox entries waiting (the index lags behind these).
    pub pending: u64,
}

impl SearchHealth {
    pub fn is_complete(&self) -> bool {
        self.pending == 0 && self.indexed == self.public
    }

    /// One line for `/healthz` and the back office.
    pub fn describe(&self) -> String {
        if self.is_complete() {
            format!("检索索引完整：{}条公开信息", self.public)
        } else if self.pending > 0 {
            format!(
                "检索索引待更新：{}项变更尚未写入（索引{}条，公开信息{}条）",
                self.pending, self.indexed, self.public
            )
        } else {
            format!(
                "检索索引不完整：索引{}条，公开信息{}条，正在重建",
                self.indexed, self.public
            )
        }
    }
}

/// A window of `text` around the first match of any token, split into (text, is_match) runs.
pub fn highlight(text: &str, tokens: &[String], width: usize) -> Vec<(String, bool)> {
    let chars: Vec<char> = text.chars().collect();
    let lower: Vec<char> = text.to_lowercase().chars().collect();
    let tokens: Vec<Vec<char>> = tokens
        .iter()
        .filter(|t| !t.is_empty())
        .map(|t| t.to_lowercase().chars().collect())
        .collect();
    let matches_at = |i: usize| -> Option<usize> {
        tokens
            .iter()
            .filter(|t| lower.len() == chars.len() && lower[i..].starts_with(t))
            .map(Vec::len)
            .max()
    };
    let first = (0..chars.len()).find(|&i| matches_at(i).is_some());
    let start = first.map_or(0, |f| f.saturating_sub(width / 4));
    let end = (start + width).min(chars.len());
    let mut runs: Vec<(String, bool)> = Vec::new();
    if start > 0 {
        runs.push(("…".into(), false));
    }
    let mut i = start;
    while i < end {
        if let Some(len) = matches_at(i) {
            let stop = (i + len).min(chars.len());
            runs.push((chars[i..stop].iter().collect(), true));
            i = stop;
        } else {
            let mut j = i + 1;
            while j < end && matches_at(j).is_none() {
                j += 1;
            }
            runs.push((chars[i..j].iter().collect(), false));
            i = j;
        }
    }
    if end < chars.len() {
        runs.push(("…".into(), false));
    }
    runs
}

/// Every level of a category path (`财政信息/预算决算` → `财政信息`, `财政信息/预算决算`), so that a
/// filter on a category finds its sub-categories.
pub fn category_levels(category: &str) -> Vec<String> {
    let mut levels = Vec::new();
    let mut path = String::new();
    for part in category.split('/') {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str(part);
        levels.push(path.clone());
    }
    levels
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_is_trimmed_and_bounded() {
        assert_eq!(query("  老旧小区 ").unwrap(), "老旧小区");
        let long = "改".repeat(MAX_QUERY_CHARS);
        assert_eq!(query(&long).unwrap(), long);
        assert!(query(&format!("{long}造")).is_err());
    }

    #[test]
    fn highlights_every_match_in_a_window_around_the_first() {
        let runs = highlight(
            "本街道老旧小区改造实施方案，涉及老旧小区12个。",
            &["老旧".into(), "小区".into()],
            40,
        );
        let marked: Vec<&str> = runs
            .iter()
            .filter(|(_, m)| *m)
            .map(|(t, _)| t.as_str())
            .collect();
        assert_eq!(marked, ["老旧", "小区", "老旧", "小区"]);
        let text: String = runs.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(text, "本街道老旧小区改造实施方案，涉及老旧小区12个。");
        let long = "甲".repeat(100) + "目标" + &"乙".repeat(100);
        let runs = highlight(&long, &["目标".into()], 20);
        assert_eq!(runs.first().unwrap().0, "…");
        assert!(runs.iter().any(|(t, m)| *m && t == "目标"));
        assert_eq!(
            highlight("没有", &["其他".into()], 10),
            [("没有".to_string(), false)]
        );
    }
}
