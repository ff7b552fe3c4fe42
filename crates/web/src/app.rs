//! The state every request shares: the store, the working calendar, the clock, limits.

use std::sync::{Arc, RwLock};

use gongkai_domain::{
    Agency, AgencyCode, DomainError,
    search::PublicationSearch,
    store::{Stamp, Store, StoreError},
};
use gongkai_law::{Date, HolidayNotice, WorkingCalendar, date::china_date};
use jiff::Timestamp;

use crate::security::RateLimiter;

/// "Now", injected so tests can fix the day.
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

#[derive(Debug, Clone)]
pub struct Config {
    /// Mark cookies `Secure` (the server sits behind HTTPS). Off only for plain loopback.
    pub secure_cookies: bool,
    /// How long a login lasts.
    pub session_hours: i64,
    /// Login attempts allowed per address per minute.
    pub login_per_minute: u32,
    /// Public submissions (applications, 补正, status lookups) per address per minute.
    pub public_per_minute: u32,
    /// The agency whose site this is: `/reports/{year}` shows its annual report.
    pub site_agency: Option<AgencyCode>,
    /// Online applications a day from one address (IPv6 by /64).
    pub public_per_day: u32,
    /// Online applications a day by one applicant (same identity document, else name and
    /// contact): the other channels stay open.
    pub applicant_per_day: u32,
    /// Reverse proxies whose `X-Forwarded-For` is believed (`--trusted-proxy`).
    pub trusted_proxies: Vec<crate::client::Cidr>,
    /// A terminal's server (`serve --kiosk CODE`): only that agency's kiosk pages, the site's
    /// home leading to them; no back office, no API.
    pub kiosk: Option<AgencyCode>,
    /// Seconds without a touch before a kiosk page clears itself.
    pub kiosk_idle_seconds: u32,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            secure_cookies: true,
            session_hours: 8,
            login_per_minute: 10,
            public_per_minute: 20,
            site_agency: None,
            public_per_day: 50,
            applicant_per_day: 20,
            trusted_proxies: Vec::new(),
            kiosk: None,
            kiosk_idle_seconds: 90,
        }
    }
}

pub struct App<S> {
    pub store: S,
    pub config: Config,
    clock: Clock,
    /// The embedded notices, those loaded in the data directory, and those in the database.
    base_calendar: WorkingCalendar,
    calendar: RwLock<Arc<WorkingCalendar>>,
    pub(crate) login_limiter: RateLimiter,
    pub(crate) public_limiter: RateLimiter,
    pub(crate) login_delays: crate::client::LoginDelays,
    /// 全文检索, when the server was given one.
    search: Option<Arc<dyn PublicationSearch>>,
    /// How far the audit chain has been checked.
    audit_watch: tokio::sync::Mutex<AuditWatch>,
    /// This server's name as an import runner (its leases carry it).
    import_runner: String,
    /// One import runner at a time on this server; jobs are shared through the database.
    imports_running: tokio::sync::Mutex<()>,
    /// Public pages kept as rendered, for the audit head they were rendered at.
    pub published: crate::published::Published,
    /// Report files as typeset, by what they were typeset from.
    pub report_files: crate::report_view::KeptFiles,
    /// Every agency as of a public generation: a province has ten thousand, and the portal's
    /// pages that list or name them read this instead of the table.
    agencies: std::sync::Mutex<Option<(u64, Arc<Vec<Agency>>)>>,
}

/// The audit chain as last checked: entries are checked once as they come, and the whole
/// chain again each day (an entry rewritten in the database long after it was checked).
#[derive(Debug, Clone, Default)]
pub struct AuditWatch {
    pub head: gongkai_domain::audit::ChainHead,
    pub broken: Option<gongkai_domain::audit::Broken>,
    /// When the whole chain was last read from its first entry.
    pub whole_at: Option<Timestamp>,
}

impl AuditWatch {
    const WHOLE_EVERY: jiff::SignedDuration = jiff::SignedDuration::from_hours(24);
}

impl<S: Store> App<S> {
    /// `base_calendar` holds the notices known without the database (embedded, data directory);
    /// the notices stored in the database are added on top.
    pub async fn new(
        store: S,
        config: Config,
        base_calendar: WorkingCalendar,
        clock: Clock,
    ) -> Result<Self, StoreError> {
        let app = Self {
            login_limiter: RateLimiter::new(config.login_per_minute),
            public_limiter: RateLimiter::new(config.public_per_minute),
            login_delays: crate::client::LoginDelays::default(),
            store,
            config,
            clock,
            calendar: RwLock::new(Arc::new(base_calendar.clone())),
            base_calendar,
            search: None,
            audit_watch: tokio::sync::Mutex::default(),
            import_runner: format!("server-{}", crate::security::secret(12)),
            imports_running: tokio::sync::Mutex::default(),
            published: crate::published::Published::default(),
            report_files: crate::report_view::KeptFiles::default(),
            agencies: std::sync::Mutex::default(),
        };
        app.reload_calendar().await?;
        Ok(app)
    }

    /// Adds full-text search (the embedded index or PostgreSQL's).
    pub fn with_search(mut self, search: Arc<dyn PublicationSearch>) -> Self {
        self.search = Some(search);
        self
    }

    pub fn search(&self) -> Option<&Arc<dyn PublicationSearch>> {
        self.search.as_ref()
    }

    /// Brings the index up to date after a publication changed. A failure is logged, not
    /// fatal: the outbox keeps the change and the next sync applies it.
    pub async fn sync_search(&self) {
        if let Some(search) = &self.search
            && let Err(e) = search.sync().await
        {
            tracing::error!(error = %e, "search index not updated yet; the outbox keeps the change");
        }
    }

    /// Brings the index up to date and checks it against the database; an index that lags
    /// with nothing waiting (an interrupted rebuild, a database restored without its index) is
    /// rebuilt. Returns what was found, `None` without search.
    pub async fn check_search(&self) -> Option<gongkai_domain::search::SearchHealth> {
        let search = self.search.as_ref()?;
        self.sync_search().await;
        let health = match search.health().await {
            Ok(health) => health,
            Err(e) => {
                tracing::error!(error = %e, "search index could not be checked");
                return None;
            }
        };
        if health.is_complete() || health.pending > 0 {
            return Some(health);
        }
        tracing::warn!(
            indexed = health.indexed,
            public = health.public,
            "search index incomplete: rebuilding"
        );
        match search.rebuild().await {
            Ok(n) => tracing::info!(indexed = n, "search index rebuilt"),
            Err(e) => tracing::error!(error = %e, "search index rebuild failed"),
        }
        search.health().await.ok()
    }

    /// Checks the audit entries written since the last check (the whole chain once a day and
    /// at the first check), a piece at a time. A break is logged and stays reported until a
    /// whole check finds the chain intact.
    pub async fn check_audit(&self) -> Result<AuditWatch, StoreError> {
        let mut watch = self.audit_watch.lock().await;
        let now = self.now();
        let whole = watch
            .whole_at
            .is_none_or(|at| now.duration_since(at) >= AuditWatch::WHOLE_EVERY);
        if !whole && watch.broken.is_some() {
            return Ok(watch.clone());
        }
        let from = if whole {
            Default::default()
        } else {
            watch.head.clone()
        };
        let (head, verdict) =
            gongkai_domain::store::check_audit_chain(&self.store, from, |_| {}).await?;
        if let Err(broken) = &verdict {
            tracing::error!(seq = broken.seq, reason = %broken.reason, "audit chain broken");
        }
        *watch = AuditWatch {
            head,
            broken: verdict.err(),
            whole_at: if whole { Some(now) } else { watch.whole_at },
        };
        Ok(watch.clone())
    }

    /// The index against the database, without repairing anything (for `/healthz` and pages).
    pub async fn search_health(&self) -> Option<gongkai_domain::search::SearchHealth> {
        self.search.as_ref()?.health().await.ok()
    }

    pub fn now(&self) -> Timestamp {
        (self.clock)()
    }

    /// Today in China (UTC+8), whatever the server's time zone.
    pub fn today(&self) -> Date {
        china_date(self.now())
    }

    pub fn calendar(&self) -> Arc<WorkingCalendar> {
        self.calendar.read().expect("calendar lock").clone()
    }

    /// Rebuilds the calendar from the base and the notices in the database.
    pub async fn reload_calendar(&self) -> Result<(), StoreError> {
        let mut calendar = self.base_calendar.clone();
        for (year, json) in self.store.calendar_notices().await? {
            let notice = HolidayNotice::from_json(&json)
                .map_err(|v| StoreError::corrupt(format!("{year}年节假日通知"), v))?;
            calendar.insert_notice(notice);
        }
        *self.calendar.write().expect("calendar lock") = Arc::new(calendar);
        Ok(())
    }

    /// Applies the imports waiting in the database — started here, left by a server or a
    /// `gongkai applications import` that stopped — a piece at a time, until none is left.
    /// Returns how many jobs ended. Failures are logged; the job keeps its place.
    pub async fn run_imports(&self) -> u64 {
        let _one_at_a_time = self.imports_running.lock().await;
        match gongkai_domain::imports::run_pending(
            &self.store,
            &self.import_runner,
            || self.now(),
            |_| {},
            // Public submissions wait for the one writer connection in turn with the pieces.
            tokio::task::yield_now,
        )
        .await
        {
            Ok(finished) => {
                if finished > 0 {
                    self.published.changed();
                }
                finished
            }
            Err(e) => {
                tracing::error!(error = %e, "imports not applied yet; they keep their place");
                0
            }
        }
    }

    pub fn stamp(&self, actor: &str) -> Stamp {
        Stamp {
            actor: actor.to_string(),
            at: self.now(),
        }
    }

    /// Every agency, read once per public generation (agencies and their settings change only
    /// with audited entries that move it).
    pub async fn agencies(&self) -> Result<Arc<Vec<Agency>>, StoreError> {
        let generation = self.published.generation(&self.store).await;
        if let (Some(now), Some((at, all))) =
            (generation, &*self.agencies.lock().expect("agencies lock"))
            && now == *at
        {
            return Ok(all.clone());
        }
        let all = Arc::new(self.store.agencies().await?);
        if let Some(now) = generation {
            *self.agencies.lock().expect("agencies lock") = Some((now, all.clone()));
        }
        Ok(all)
    }

    pub async fn agency(&self, code: &AgencyCode) -> Result<Agency, StoreError> {
        self.store
            .agency(code)
            .await?
            .ok_or_else(|| DomainError::NotFound(format!("机关 {code} 不存在")).into())
    }

    /// The agency an address names (`/agencies/{code}/…`): text that is no agency code is
    /// simply not found, like a code nobody has.
    pub async fn agency_named(&self, code: &str) -> Result<Agency, crate::error::WebError> {
        let code = AgencyCode::parse(code)
            .map_err(|_| crate::error::WebError::NotFound("没有这个机关".into()))?;
        Ok(self.agency(&code).await?)
    }
}
