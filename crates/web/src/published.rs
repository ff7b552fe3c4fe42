//! 发布内容 served from memory — render once, serve many. What the public reads (the home page,
//! an agency's pages, the 公开目录, an item, an annual report and its downloads) changes only
//! when something changes in the database, and every such change is audited. So a rendered
//! page is kept under its address, the audit head it was rendered at and the day (pages that
//! count days), with its gzip and brotli forms made once and a strong ETag; it is served again
//! until the head moves. Each server reads the head at most once a second, and at once after
//! a change it made itself: several servers stay correct without telling each other anything,
//! and a change made elsewhere shows within a second.

use std::{
    collections::HashMap,
    io::Write,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use axum::{
    body::{Body, Bytes},
    extract::{MatchedPath, Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use gongkai_domain::store::Store;
use gongkai_law::Date;
use sha2::{Digest, Sha256};
use tokio::sync::OnceCell;

use crate::app::App;

/// The routes whose answers are the same for every visitor and change only with the database.
/// (The application form and the status lookup carry a visitor's CSRF token; search answers
/// any words; neither is kept.)
const KEPT_ROUTES: &[&str] = &[
    "/",
    "/static/style.css",
    "/agencies/{code}",
    "/agencies/{code}/guide",
    "/agencies/{code}/reports",
    "/agencies/{code}/reports/{file}",
    "/agencies/{code}/participation",
    "/agencies/{code}/work-plan",
    "/agencies/{code}/assessment",
    "/agencies/{code}/assessment/{id}",
    "/reports/{file}",
    "/agencies/{code}/publications",
    "/agencies/{code}/catalog",
    "/agencies/{code}/publications.atom",
    "/agencies/{code}/publications/{id}",
    "/agencies/{code}/publications/{id}/attachments/{index}",
    "/sitemap.xml",
    "/agencies/{code}/sitemap.xml",
];

/// How long a server trusts the audit head it read (a change made elsewhere shows this late).
const HEAD_FRESH: Duration = Duration::from_secs(1);
/// What the kept pages may hold together, and one page at most; past them pages are served
/// as rendered, unkept.
const KEPT_BYTES: usize = 96 * 1024 * 1024;
const KEPT_PAGE_BYTES: usize = 8 * 1024 * 1024;
/// How many addresses may be kept, and how many of them with a query string (a visitor can
/// make up any number of those; they must not crowd out the plain addresses).
const KEPT_ADDRESSES: usize = 20_000;
const KEPT_WITH_QUERY: usize = 5_000;
/// Longer addresses are not kept.
const KEPT_ADDRESS_LENGTH: usize = 512;
/// Smaller bodies are not worth compressing.
const COMPRESS_FROM: usize = 512;

/// A page as kept: its bytes in each encoding and what identifies it.
#[derive(Debug)]
pub struct KeptPage {
    content_type: HeaderValue,
    disposition: Option<HeaderValue>,
    identity: Bytes,
    gzip: Option<Bytes>,
    brotli: Option<Bytes>,
    etag: HeaderValue,
    last_modified: HeaderValue,
}

impl KeptPage {
    fn size(&self) -> usize {
        self.identity.len()
            + self.gzip.as_ref().map_or(0, Bytes::len)
            + self.brotli.as_ref().map_or(0, Bytes::len)
    }

    /// Made from a rendered answer, compressed once (off the async threads).
    async fn from_rendered(
        headers: &HeaderMap,
        body: Bytes,
        rendered_at: jiff::Timestamp,
    ) -> Option<Self> {
        let content_type = headers.get(header::CONTENT_TYPE)?.clone();
        let disposition = headers.get(header::CONTENT_DISPOSITION).cloned();
        let compressible = body.len() >= COMPRESS_FROM
            && content_type.to_str().is_ok_and(|t| {
                [
                    "text/",
                    "application/json",
                    "application/atom+xml",
                    "application/xml",
                    "image/svg",
                ]
                .iter()
                .any(|p| t.starts_with(p))
            });
        let identity = body.clone();
        let (etag, gzip, brotli) = tokio::task::spawn_blocking(move || {
            let etag = format!("\"{}\"", &hex(&Sha256::digest(&body))[..32]);
            if compressible {
                (etag, gzip(&body), brotli(&body))
            } else {
                (etag, None, None)
            }
        })
        .await
        .ok()?;
        Some(Self {
            content_type,
            disposition,
            identity,
            gzip: gzip.map(Bytes::from),
            brotli: brotli.map(Bytes::from),
            etag: HeaderValue::from_str(&etag).ok()?,
            last_modified: HeaderValue::from_str(&http_date(rendered_at)).ok()?,
        })
    }

    /// The answer to one request: 304 when the visitor has it, else the best encoding it takes.
    fn answer(&self, asked: &Asked) -> Response {
        let mut response = if asked.if_none_match.as_ref().is_some_and(|tags| {
            tags.to_str().is_ok_and(|tags| {
                tags.split(',')
                    .any(|t| t.trim().trim_start_matches("W/") == self.etag.to_str().unwrap_or(""))
            })
        }) {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            let accepts = &asked.encodings;
            let (body, encoding) = match (&self.brotli, &self.gzip) {
                (Some(br), _) if accepts.brotli => (br.clone(), Some("br")),
                (_, Some(gz)) if accepts.gzip => (gz.clone(), Some("gzip")),
                _ => (self.identity.clone(), None),
            };
            let mut response = Response::new(Body::from(body));
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, self.content_type.clone());
            if let Some(d) = &self.disposition {
                headers.insert(header::CONTENT_DISPOSITION, d.clone());
            }
            if let Some(encoding) = encoding {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
            }
            response
        };
        let headers = response.headers_mut();
        headers.insert(header::ETAG, self.etag.clone());
        headers.insert(header::LAST_MODIFIED, self.last_modified.clone());
        if self.gzip.is_some() || self.brotli.is_some() {
            headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        }
        // Kept by browsers and proxies, but asked again each time (a 304 when unchanged).
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        response.extensions_mut().insert(Kept);
        response
    }
}

/// Marks an answer served from the kept pages: the same for everyone, so `protect` gives it no
/// visitor's cookie (the pages with a form set it).
#[derive(Debug, Clone, Copy)]
pub struct Kept;

/// What of a request a kept page's answer depends on.
struct Asked {
    if_none_match: Option<HeaderValue>,
    encodings: Accepted,
}

#[derive(Default)]
struct Accepted {
    gzip: bool,
    brotli: bool,
}

fn accepted_encodings(headers: &HeaderMap) -> Accepted {
    let mut accepted = Accepted::default();
    for value in headers.get_all(header::ACCEPT_ENCODING) {
        for part in value.to_str().unwrap_or("").split(',') {
            let mut pieces = part.split(';');
            let name = pieces.next().unwrap_or("").trim();
            let refused = pieces.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q == 0.0)
            });
            match name {
                "gzip" => accepted.gzip = !refused,
                "br" => accepted.brotli = !refused,
                _ => {}
            }
        }
    }
    accepted
}

fn gzip(body: &[u8]) -> Option<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(body).ok()?;
    let compressed = encoder.finish().ok()?;
    (compressed.len() < body.len()).then_some(compressed)
}

fn brotli(body: &[u8]) -> Option<Vec<u8>> {
    let mut compressed = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut compressed, 4096, 11, 22);
        writer.write_all(body).ok()?;
    }
    (compressed.len() < body.len()).then_some(compressed)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `Wed, 02 Dec 2026 15:42:44 GMT` (RFC 9110's date).
fn http_date(at: jiff::Timestamp) -> String {
    jiff::tz::Offset::UTC
        .to_datetime(at)
        .strftime("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}

type Slot = Arc<OnceCell<Option<Arc<KeptPage>>>>;

/// The pages kept for one audit head and day.
#[derive(Default)]
struct Shelf {
    head: u64,
    day: Option<Date>,
    slots: HashMap<String, Slot>,
    with_query: usize,
    bytes: usize,
}

/// The kept pages and the audit head they belong to.
#[derive(Default)]
pub struct Published {
    shelf: Mutex<Shelf>,
    /// The head as last read, and when.
    head: Mutex<Option<(u64, Instant)>>,
    /// Set after a change on this server: the next page reads the head again.
    changed_here: AtomicBool,
}

impl Published {
    /// This server changed something: pages read the head again before they are served.
    pub fn changed(&self) {
        self.changed_here.store(true, Ordering::Release);
    }

    /// The public generation (`Store::site_generation`), read at most once a second, and at
    /// once after this server's own change.
    pub(crate) async fn generation<S: Store>(&self, store: &S) -> Option<u64> {
        let changed = self.changed_here.swap(false, Ordering::AcqRel);
        if !changed
            && let Some((head, read)) = *self.head.lock().expect("head lock")
            && read.elapsed() < HEAD_FRESH
        {
            return Some(head);
        }
        match store.site_generation().await {
            Ok(head) => {
                *self.head.lock().expect("head lock") = Some((head, Instant::now()));
                Some(head)
            }
            Err(e) => {
                tracing::error!(error = %e, "audit head not read; pages served unkept");
                None
            }
        }
    }

    /// The slot for `address` at `head` on `day` (the shelf is emptied when either moved), or
    /// `None` when the shelf is full.
    fn slot(&self, address: &str, head: u64, day: Date) -> Option<Slot> {
        let mut shelf = self.shelf.lock().expect("shelf lock");
        if shelf.head != head || shelf.day != Some(day) {
            // A page rendered at an older head may be served to whoever waits on it already;
            // nobody finds it here any more.
            *shelf = Shelf {
                head,
                day: Some(day),
                ..Shelf::default()
            };
        }
        if let Some(slot) = shelf.slots.get(address) {
            return Some(slot.clone());
        }
        let with_query = address.contains('?');
        if shelf.slots.len() >= KEPT_ADDRESSES
            || (with_query && shelf.with_query >= KEPT_WITH_QUERY)
            || shelf.bytes >= KEPT_BYTES
        {
            return None;
        }
        shelf.with_query += usize::from(with_query);
        let slot = Slot::default();
        shelf.slots.insert(address.to_string(), slot.clone());
        Some(slot)
    }

    /// The bytes the shelf holds now.
    pub fn kept_bytes(&self) -> usize {
        self.shelf.lock().expect("shelf lock").bytes
    }

    fn count(&self, head: u64, page: &KeptPage) {
        let mut shelf = self.shelf.lock().expect("shelf lock");
        if shelf.head == head {
            shelf.bytes += page.size();
        }
    }
}

/// Serves a kept route's page from memory, rendering it once per audit head: the first request
/// renders, those arriving meanwhile wait for it, the rest are served the kept bytes.
pub async fn serve<S: Store>(
    State(app): State<Arc<App<S>>>,
    request: Request,
    next: Next,
) -> Response {
    let kept_route = request.method() == Method::GET
        && request
            .extensions()
            .get::<MatchedPath>()
            .is_some_and(|m| KEPT_ROUTES.contains(&m.as_str()));
    let address = request
        .uri()
        .path_and_query()
        .map_or_else(String::new, |p| p.as_str().to_string());
    if !kept_route || address.len() > KEPT_ADDRESS_LENGTH {
        return next.run(request).await;
    }
    let Some(head) = app.published.generation(&app.store).await else {
        return next.run(request).await;
    };
    let Some(slot) = app.published.slot(&address, head, app.today()) else {
        return next.run(request).await;
    };
    let asked = Asked {
        if_none_match: request.headers().get(header::IF_NONE_MATCH).cloned(),
        encodings: accepted_encodings(request.headers()),
    };
    let mut pending = Some((request, next));
    let mut unkept = None;
    let (pending_here, unkept_here) = (&mut pending, &mut unkept);
    let now = app.now();
    let published = &app.published;
    let kept = slot
        .get_or_init(|| async move {
            let (request, next) = pending_here.take()?;
            let rendered = next.run(request).await;
            match keep(rendered, now).await {
                Ok(page) => {
                    // Counted once, when it is put on the shelf (not each time it is served).
                    published.count(head, &page);
                    Some(Arc::new(page))
                }
                Err(rendered) => {
                    *unkept_here = Some(rendered);
                    None
                }
            }
        })
        .await
        .clone();
    if let Some(page) = kept {
        return page.answer(&asked);
    }
    // This request rendered an answer that is not kept (an error, a cookie, too large) …
    if let Some(rendered) = unkept {
        return rendered;
    }
    // … or another request's answer was not: this one renders its own.
    match pending {
        Some((request, next)) => next.run(request).await,
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// The rendered answer as a page to keep, or back as it was when it is not one: only a 200
/// for everyone (no cookie), of a known length within [`KEPT_PAGE_BYTES`].
async fn keep(rendered: Response, at: jiff::Timestamp) -> Result<KeptPage, Response> {
    use http_body::Body as _;
    let length = rendered.body().size_hint().exact();
    let keepable = rendered.status() == StatusCode::OK
        && !rendered.headers().contains_key(header::SET_COOKIE)
        && !rendered.headers().contains_key(header::CONTENT_ENCODING)
        && length.is_some_and(|n| n as usize <= KEPT_PAGE_BYTES);
    if !keepable {
        return Err(rendered);
    }
    let (parts, body) = rendered.into_parts();
    let bytes = match axum::body::to_bytes(body, KEPT_PAGE_BYTES).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::error!(error = %e, "a rendered page could not be read back");
            return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
        }
    };
    match KeptPage::from_rendered(&parts.headers, bytes.clone(), at).await {
        Some(page) => Ok(page),
        None => Err(Response::from_parts(parts, Body::from(bytes))),
    }
}

/// Notes every change this server makes (any request that is not a read), so that its own
/// pages read the audit head again at once.
pub async fn note_changes<S: Store>(
    State(app): State<Arc<App<S>>>,
    request: Request,
    next: Next,
) -> Response {
    let reads = matches!(*request.method(), Method::GET | Method::HEAD);
    let response = next.run(request).await;
    if !reads {
        app.published.changed();
    }
    response
}
