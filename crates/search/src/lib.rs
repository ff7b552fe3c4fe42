//! Chinese full-text search of what has been published. `Segmenter` cuts text with jieba (a
//! user dictionary adds agency and law names); `TantivyIndex` is the embedded index in the data
//! directory; `Search` keeps any `SearchBackend` (this index, or PostgreSQL's full-text) in step
//! with the database through the store's outbox — written in the same transaction as every
//! publication change, applied after it, replayed at start, so a crash never loses an update.

mod segment;
mod sync;
mod tantivy_index;

pub use segment::Segmenter;
pub use sync::{Search, reindex};
pub use tantivy_index::TantivyIndex;
