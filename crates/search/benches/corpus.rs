//! The same synthetic Chinese corpus in every candidate engine, on the same machine in the same
//! run: the tantivy index each server keeps, SQLite FTS5, and PostgreSQL with a GIN index and
//! with the RUM index (when a server is given; RUM needs Debian `postgresql-15-rum`). Prints
//! the build rate and the query latency p50/p99 for a common and a rare word.
//!
//! cargo bench -p gongkai-search --bench corpus -- [ITEMS] [postgres://…]
//!
//! Documents are generated deterministically from a Zipf-distributed vocabulary of Chinese
//! words and indexed as segmented text (what `Segmenter` hands every backend); the jieba
//! segmentation rate is measured separately on generated sentences.

use std::time::{Duration, Instant};

use gongkai_domain::{
    AgencyCode,
    search::{IndexPosition, SearchBackend, SearchDoc, SearchFilter},
};
use gongkai_search::{Segmenter, TantivyIndex};
use sqlx::{Connection, Row};

const SYLLABLES: &str = "政府信息公开街道社区改造项目财政预算决算规划计划民生保障救助城乡建设环境保护教育卫生交通安全应急管理服务办理许可处罚强制收费文件通知公告方案意见办法规定实施工作报告会议决定批复";

/// A little deterministic generator (xorshift), so every run and engine sees the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A word rank by a Zipf-like law: rank r with probability ∝ 1/r.
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() % 1_000_000) as f64 / 1_000_000.0;
        ((n as f64).powf(u) as usize).clamp(1, n) - 1
    }
}

fn vocabulary() -> Vec<String> {
    let chars: Vec<char> = SYLLABLES.chars().collect();
    let mut words = Vec::new();
    for a in &chars {
        for b in &chars {
            if a != b {
                words.push(format!("{a}{b}"));
            }
        }
    }
    words
}

fn corpus(items: u64, words: &[String]) -> impl Iterator<Item = SearchDoc> + '_ {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let agency = AgencyCode::parse("bench").unwrap();
    (1..=items).map(move |id| {
        let mut pick = |n: usize| -> String {
            (0..n)
                .map(|_| words[rng.zipf(words.len())].as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        SearchDoc {
            agency: agency.clone(),
            id,
            category: "政策文件".into(),
            published_on: None,
            title_tokens: pick(8),
            body_tokens: pick(60),
        }
    })
}

fn percentile(times: &mut [Duration], p: f64) -> f64 {
    times.sort();
    let i = ((times.len() as f64 - 1.0) * p).round() as usize;
    times[i].as_secs_f64() * 1000.0
}

fn report(
    engine: &str,
    items: u64,
    build: Duration,
    common: &mut [Duration],
    rare: &mut [Duration],
) {
    println!(
        "| {engine} | {items} | {:.0} | {:.2} | {:.2} | {:.2} | {:.2} |",
        items as f64 / build.as_secs_f64(),
        percentile(common, 0.5),
        percentile(common, 0.99),
        percentile(rare, 0.5),
        percentile(rare, 0.99)
    );
}

const QUERIES: usize = 200;

async fn time_backend(backend: &dyn SearchBackend, word: &str) -> Vec<Duration> {
    let tokens = vec![word.to_string()];
    let filter = SearchFilter::default();
    let mut times = Vec::new();
    for _ in 0..QUERIES {
        let started = Instant::now();
        let hits = backend.search(&tokens, &filter, 10).await.unwrap();
        times.push(started.elapsed());
        assert!(!hits.is_empty(), "{word} found");
    }
    times
}

async fn fts5_queries(conn: &mut sqlx::SqliteConnection, word: &str) -> Vec<Duration> {
    let mut times = Vec::new();
    for _ in 0..QUERIES {
        let started = Instant::now();
        let rows = sqlx::query(
            "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 2.0, 1.0) LIMIT 10",
        )
        .bind(format!("\"{word}\""))
        .fetch_all(&mut *conn)
        .await
        .unwrap();
        times.push(started.elapsed());
        assert!(!rows.is_empty(), "{word} found");
        std::hint::black_box(rows[0].get::<i64, _>(0));
    }
    times
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let items: u64 = args.first().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let postgres = args.iter().find(|a| a.starts_with("postgres"));
    let words = vocabulary();
    let common = words[0].clone();
    let rare = words[words.len() / 2].clone();
    println!(
        "corpus: {items} items, 8-word titles, 60-word bodies, {} words (Zipf); common 「{common}」, rare 「{rare}」",
        words.len()
    );

    // Segmentation rate (jieba, search mode) on generated sentences.
    let segmenter = Segmenter::new([]);
    let sentences: Vec<String> = corpus(2_000, &words)
        .map(|d| d.body_tokens.replace(' ', ""))
        .collect();
    let started = Instant::now();
    let mut chars = 0;
    for s in &sentences {
        chars += s.chars().count();
        std::hint::black_box(segmenter.tokens(s));
    }
    println!(
        "jieba segmentation: {:.1} M characters/s",
        chars as f64 / started.elapsed().as_secs_f64() / 1e6
    );
    println!();
    println!(
        "| engine | items | build (items/s) | common p50 ms | common p99 ms | rare p50 ms | rare p99 ms |"
    );
    println!("|---|---|---|---|---|---|---|");

    // tantivy
    let dir = tempfile::tempdir().unwrap();
    let index = TantivyIndex::open(dir.path()).unwrap();
    let started = Instant::now();
    let mut rebuilding = index.rebuild().unwrap();
    let docs: Vec<SearchDoc> = corpus(items, &words).collect();
    for piece in docs.chunks(10_000) {
        rebuilding.add(piece).unwrap();
    }
    rebuilding.finish(IndexPosition::default()).unwrap();
    drop(docs);
    let build = started.elapsed();
    let mut c = time_backend(&index, &common).await;
    let mut r = time_backend(&index, &rare).await;
    report("tantivy (embedded)", items, build, &mut c, &mut r);

    // SQLite FTS5
    let path = dir.path().join("fts5.sqlite3");
    let mut conn =
        sqlx::SqliteConnection::connect(&format!("sqlite://{}?mode=rwc", path.display()))
            .await
            .unwrap();
    sqlx::query("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize = 'unicode61')")
        .execute(&mut conn)
        .await
        .unwrap();
    let started = Instant::now();
    let mut tx = conn.begin().await.unwrap();
    for (n, d) in corpus(items, &words).enumerate() {
        sqlx::query("INSERT INTO docs (rowid, title, body) VALUES (?, ?, ?)")
            .bind(d.id as i64)
            .bind(&d.title_tokens)
            .bind(&d.body_tokens)
            .execute(&mut *tx)
            .await
            .unwrap();
        if n % 50_000 == 49_999 {
            tx.commit().await.unwrap();
            tx = conn.begin().await.unwrap();
        }
    }
    tx.commit().await.unwrap();
    let build = started.elapsed();
    let mut c = fts5_queries(&mut conn, &common).await;
    let mut r = fts5_queries(&mut conn, &rare).await;
    report("SQLite FTS5", items, build, &mut c, &mut r);

    // PostgreSQL: the GIN index over a tsvector (what the servers searched before each kept
    // its own tantivy index), and the RUM index.
    if let Some(url) = postgres {
        postgres_candidate(
            url,
            "PostgreSQL full-text (GIN, ts_rank)",
            items,
            &words,
            "CREATE INDEX ON bench_pg USING GIN (document)",
            "SELECT id FROM bench_pg, to_tsquery('simple', $1) AS q WHERE document @@ q ORDER BY ts_rank(document, q) DESC, id DESC LIMIT 10",
            (&common, &rare),
        )
        .await;
        postgres_candidate(
            url,
            "PostgreSQL RUM (`<=>`)",
            items,
            &words,
            "CREATE INDEX ON bench_pg USING rum (document rum_tsvector_ops)",
            "SELECT id FROM bench_pg, to_tsquery('simple', $1) AS q WHERE document @@ q ORDER BY document <=> q LIMIT 10",
            (&common, &rare),
        )
        .await;
    } else {
        println!("(PostgreSQL not measured: pass a postgres:// URL of an empty database)");
    }
}

/// One PostgreSQL candidate: the corpus as weighted tsvectors (title A, body B), `index` built
/// after the load, `query` timed for the common and the rare word.
async fn postgres_candidate(
    url: &str,
    engine: &str,
    items: u64,
    words: &[String],
    index: &'static str,
    query: &'static str,
    (common, rare): (&str, &str),
) {
    let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
    if index.contains("rum")
        && sqlx::query("CREATE EXTENSION IF NOT EXISTS rum")
            .execute(&mut conn)
            .await
            .is_err()
    {
        println!(
            "({engine} not measured: the rum extension is not installed — Debian postgresql-15-rum)"
        );
        return;
    }
    for sql in [
        "DROP TABLE IF EXISTS bench_pg",
        "CREATE TABLE bench_pg (id BIGINT PRIMARY KEY, document TSVECTOR NOT NULL)",
    ] {
        sqlx::query(sql).execute(&mut conn).await.unwrap();
    }
    let started = Instant::now();
    let docs: Vec<SearchDoc> = corpus(items, words).collect();
    for chunk in docs.chunks(5_000) {
        let ids: Vec<i64> = chunk.iter().map(|d| d.id as i64).collect();
        let titles: Vec<&str> = chunk.iter().map(|d| d.title_tokens.as_str()).collect();
        let bodies: Vec<&str> = chunk.iter().map(|d| d.body_tokens.as_str()).collect();
        sqlx::query("INSERT INTO bench_pg SELECT i, setweight(to_tsvector('simple', t), 'A') || setweight(to_tsvector('simple', b), 'B') FROM UNNEST($1::BIGINT[], $2::TEXT[], $3::TEXT[]) AS u(i, t, b)")
            .bind(&ids)
            .bind(&titles)
            .bind(&bodies)
            .execute(&mut conn)
            .await
            .unwrap();
    }
    drop(docs);
    sqlx::query(index).execute(&mut conn).await.unwrap();
    let build = started.elapsed();
    sqlx::query("VACUUM ANALYZE bench_pg")
        .execute(&mut conn)
        .await
        .unwrap();
    let mut c = postgres_queries(&mut conn, query, common).await;
    let mut r = postgres_queries(&mut conn, query, rare).await;
    report(engine, items, build, &mut c, &mut r);
    sqlx::query("DROP TABLE bench_pg")
        .execute(&mut conn)
        .await
        .unwrap();
}

async fn postgres_queries(
    conn: &mut sqlx::PgConnection,
    query: &'static str,
    word: &str,
) -> Vec<Duration> {
    let mut times = Vec::new();
    for _ in 0..QUERIES {
        let started = Instant::now();
        let rows = sqlx::query(query)
            .bind(format!("'{word}'"))
            .fetch_all(&mut *conn)
            .await
            .unwrap();
        times.push(started.elapsed());
        assert!(!rows.is_empty(), "{word} found");
    }
    times
}
