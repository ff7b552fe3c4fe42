//! `gongkai serve`: opens the store (migrating it), optionally loads the demo, and serves the
//! portal, back office and API until Ctrl-C or SIGTERM, giving the requests in flight a grace
//! period (`gongkai_web::server`).

use std::{net::SocketAddr, path::Path, process::ExitCode, sync::Arc};

use gongkai_demo as demo;
use gongkai_domain::store::Store;
use gongkai_law::RuleViolation;
use gongkai_web::{App, Config};

use crate::{
    failure::Failure,
    store::{Installed, with_store},
};

/// What `serve` takes besides where the data is.
pub struct Limits {
    pub secure_cookies: bool,
    pub public_per_minute: u32,
    pub public_per_day: u32,
    pub applicant_per_day: u32,
    pub login_per_minute: u32,
    /// `--site-agency`: whose annual reports `/reports/{year}` shows.
    pub site_agency: Option<String>,
    /// `--trusted-proxy`: proxies whose X-Forwarded-For names the client.
    pub trusted_proxies: Vec<String>,
    /// `--kiosk`: a 政务公开专区 terminal's server, for this agency only.
    pub kiosk: Option<String>,
    /// `--kiosk-idle`: seconds before a kiosk page clears itself.
    pub kiosk_idle: u32,
}

pub fn run(
    data_dir: &Path,
    database_url: Option<&str>,
    bind: &str,
    load_demo: bool,
    limits: Limits,
) -> Result<ExitCode, Failure> {
    let address: SocketAddr = bind.parse().map_err(|_| {
        RuleViolation::new(
            "--bind",
            format!("「{bind}」不是监听地址，应如 127.0.0.1:8080 或 0.0.0.0:80"),
            "expected ADDRESS:PORT",
        )
    })?;
    tracing_subscriber::fmt()
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .init();
    let site_agency = match limits.site_agency.as_deref() {
        Some(code) => Some(gongkai_domain::AgencyCode::parse(code).map_err(|e| {
            RuleViolation::new("--site-agency", e.to_string(), "not an agency code")
        })?),
        None if load_demo => {
            Some(gongkai_domain::AgencyCode::parse(demo::AGENCY).expect("the demo's code is valid"))
        }
        None => None,
    };
    let kiosk = limits
        .kiosk
        .as_deref()
        .map(|code| {
            gongkai_domain::AgencyCode::parse(code)
                .map_err(|e| RuleViolation::new("--kiosk", e.to_string(), "not an agency code"))
        })
        .transpose()?;
    let trusted_proxies = limits
        .trusted_proxies
        .iter()
        .map(|text| {
            gongkai_web::client::Cidr::parse(text).map_err(|zh| {
                RuleViolation::new("--trusted-proxy", zh, "expected an address or CIDR")
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::io("无法启动运行时", e))?;
    let calendar = crate::data_dir::load_calendar(data_dir)?;
    runtime.block_on(async {
        let opened = crate::store::open(data_dir, database_url).await?;
        let config = Config {
            secure_cookies: limits.secure_cookies || !address.ip().is_loopback(),
            public_per_minute: limits.public_per_minute,
            public_per_day: limits.public_per_day,
            applicant_per_day: limits.applicant_per_day,
            login_per_minute: limits.login_per_minute,
            site_agency,
            trusted_proxies,
            kiosk,
            kiosk_idle_seconds: limits.kiosk_idle,
            ..Config::default()
        };
        with_store!(opened, store => serve(store, config, calendar, data_dir, address, load_demo).await)
    })
}

/// How often a server reads the search outbox for changes made through the others.
const SEARCH_FOLLOWS_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

/// How long search outbox entries are kept: a server stopped for longer rebuilds its index
/// from the database when it starts again, instead of reading the changes it missed.
const SEARCH_CHANGES_KEPT: jiff::SignedDuration = jiff::SignedDuration::from_hours(7 * 24);

/// Serves until Ctrl-C or SIGTERM, on whichever database was opened.
async fn serve<S: Installed>(
    store: S,
    config: Config,
    calendar: gongkai_law::WorkingCalendar,
    data_dir: &Path,
    address: SocketAddr,
    load_demo: bool,
) -> Result<ExitCode, Failure> {
    let clock: gongkai_web::Clock = Arc::new(jiff::Timestamp::now);
    let search = super::search::open(&store, data_dir).await?;
    let app = App::new(store, config, calendar, clock)
        .await
        .map_err(|e| Failure::io("无法读取数据库中的日历", e))?
        .with_search(search);
    if load_demo {
        let added = demo::seed(&app)
            .await
            .map_err(|e| Failure::io("演示数据载入失败", e.message()))?;
        println!(
            "{}",
            if added {
                "已载入演示数据：示例区人民政府太平街道办事处（机关代码 demo）。"
            } else {
                "演示数据已存在，未重复载入。"
            }
        );
        print!("{}", demo::credentials());
    }
    warn_without_users(&app.store).await;
    // Replays what the outbox holds (changes a crash left unapplied, the demo's items) and
    // rebuilds an index that lags the database (an interrupted rebuild, a restored database).
    if let Some(health) = app.check_search().await {
        println!("{}", health.describe());
    }
    // The whole chain at start (then each new entry every minute, the whole again each day).
    match app.check_audit().await {
        Ok(watch) => match &watch.broken {
            None => println!("审计日志完整：{} 条记录。", watch.head.seq),
            Some(broken) => println!(
                "警告：审计日志第 {} 条起哈希链断裂（{}）。请立即查明。",
                broken.seq, broken.reason
            ),
        },
        Err(e) => tracing::error!(error = %e, "audit chain could not be checked"),
    }
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|e| Failure::io(format!("无法监听 {address}"), e))?;
    println!(
        "gongkai 已启动：http://{address}/   （工作台 http://{address}/staff ，按 Ctrl-C 停止）"
    );
    let app = Arc::new(app);
    // Changes made through other servers reach this one's index within seconds.
    let follower = app.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(SEARCH_FOLLOWS_EVERY);
        loop {
            every.tick().await;
            follower.sync_search().await;
        }
    });
    let releaser = app.clone();
    tokio::spawn(async move {
        let mut every_minute = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            every_minute.tick().await;
            match gongkai_web::release_scheduled_everywhere(&releaser).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(released = n, "scheduled publications released"),
                Err(e) => tracing::error!(error = %e.message(), "scheduled release failed"),
            }
            releaser.check_search().await;
            if let Err(e) = releaser.check_audit().await {
                tracing::error!(error = %e, "audit chain could not be checked");
            }
            // Imports a stopped server or command left (their lease has run out), and any
            // another server queued; one runner per server at a time.
            let runner = releaser.clone();
            tokio::spawn(async move {
                runner.run_imports().await;
            });
            let today = releaser.today();
            if let Err(e) =
                gongkai_domain::store::Store::forget_quotas_before(&releaser.store, today).await
            {
                tracing::error!(error = %e, "old daily quota counts not removed");
            }
            let kept_since = releaser.now() - SEARCH_CHANGES_KEPT;
            if let Err(e) = releaser.store.forget_search_outbox(kept_since).await {
                tracing::error!(error = %e, "old search outbox entries not removed");
            }
        }
    });
    let router = gongkai_web::router(app);
    let timeouts = gongkai_web::server::Timeouts::default();
    let cut = gongkai_web::server::serve(listener, router, shutdown(), timeouts).await;
    if cut > 0 {
        println!(
            "gongkai 已停止（{cut}个连接在{}秒内未完成，已关闭）。",
            timeouts.grace.as_secs()
        );
    } else {
        println!("gongkai 已停止。");
    }
    Ok(ExitCode::SUCCESS)
}

async fn warn_without_users<S: Store>(store: &S) {
    if matches!(store.users(None).await, Ok(users) if users.is_empty()) {
        println!(
            "提示：还没有任何用户。用 gongkai admin agency add、gongkai admin user add 和 gongkai admin user password 创建，或用 --demo 载入演示数据。"
        );
    }
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
