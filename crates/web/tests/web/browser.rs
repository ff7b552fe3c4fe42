//! Real browser flows: the server on a loopback port, Debian's Chromium driven headless
//! through chromedriver (W3C WebDriver). `.ci/run` installs both and runs these with
//! `--ignored`; without them a run with `--ignored` fails loudly, saying what is missing.
//! Screenshots of the main pages are kept in `target/screenshots/`.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::Arc,
    time::{Duration, Instant},
};

use serde_json::{Value, json};

use gongkai_domain::store::prelude::*;

use crate::support::Harness;

fn tool(env: &str, default: &str) -> PathBuf {
    let path = std::env::var_os(env).map_or_else(|| PathBuf::from(default), PathBuf::from);
    assert!(
        path.exists(),
        "browser tests need {} (set {env} or install Debian's chromium and chromium-driver: apt-get install chromium chromium-driver)",
        path.display()
    );
    path
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn screenshots_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The server of a test harness on a real loopback port.
async fn serve(h: &Harness) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = gongkai_web::router(Arc::clone(&h.app));
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    address
}

struct Driver {
    process: Child,
    agent: ureq::Agent,
    base: String,
    session: String,
    downloads: PathBuf,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self
            .agent
            .delete(format!("{}/session/{}", self.base, self.session))
            .call();
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

impl Driver {
    fn start() -> Self {
        let chromium = tool("GONGKAI_CHROMIUM", "/usr/bin/chromium");
        let chromedriver = tool("GONGKAI_CHROMEDRIVER", "/usr/bin/chromedriver");
        let port = free_port();
        let process = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let base = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while agent.get(format!("{base}/status")).call().is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let downloads = profile.path().join("downloads");
        std::fs::create_dir_all(&downloads).unwrap();
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1280,1000",
                    format!("--user-data-dir={}", profile.path().join("profile").display()),
                ],
                "prefs": {
                    "download.default_directory": downloads,
                    "download.prompt_for_download": false,
                },
            },
        } } });
        let reply = Self::call(
            &agent,
            "POST",
            &format!("{base}/session"),
            Some(capabilities),
        );
        let session = reply["sessionId"].as_str().expect("a session").to_string();
        Self {
            process,
            agent,
            base,
            session,
            downloads,
            _profile: profile,
        }
    }

    fn call(agent: &ureq::Agent, method: &str, url: &str, body: Option<Value>) -> Value {
        let response = match (method, body) {
            ("GET", _) => agent.get(url).call(),
            ("DELETE", _) => agent.delete(url).call(),
            (_, Some(body)) => agent.post(url).send_json(body),
            (_, None) => agent.post(url).send_json(json!({})),
        };
        let mut response = response.unwrap_or_else(|e| panic!("{method} {url}: {e}"));
        let status = response.status();
        let value: Value = response.body_mut().read_json().unwrap_or(Value::Null);
        assert!(status.is_success(), "{method} {url}: {status} {value}");
        value["value"].clone()
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        Self::call(
            &self.agent,
            method,
            &format!("{}/session/{}{path}", self.base, self.session),
            body,
        )
    }

    fn open(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({ "url": url })));
    }

    fn find(&self, css: &str) -> String {
        let started = Instant::now();
        loop {
            let url = format!("{}/session/{}/element", self.base, self.session);
            let mut response = self
                .agent
                .post(&url)
                .send_json(json!({ "using": "css selector", "value": css }))
                .unwrap();
            let ok = response.status().is_success();
            let value: Value = response.body_mut().read_json().unwrap();
            if ok {
                let element = &value["value"];
                return element
                    .as_object()
                    .unwrap()
                    .values()
                    .next()
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string();
            }
            if started.elapsed() > Duration::from_secs(10) {
                let page = self.text("body");
                panic!(
                    "no element {css} on {}: {}",
                    self.url(),
                    page.chars().take(800).collect::<String>()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn url(&self) -> String {
        self.cmd("GET", "/url", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The element's text; found again if the page changed between finding and reading it.
    fn text(&self, css: &str) -> String {
        let started = Instant::now();
        loop {
            let id = self.find(css);
            let url = format!("{}/session/{}/element/{id}/text", self.base, self.session);
            let mut response = self.agent.get(&url).call().unwrap();
            let ok = response.status().is_success();
            let value: Value = response.body_mut().read_json().unwrap_or(Value::Null);
            if ok {
                return value["value"].as_str().unwrap_or_default().to_string();
            }
            assert!(
                value["value"]["error"] == "stale element reference"
                    && started.elapsed() < Duration::from_secs(10),
                "GET {url}: {value}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn click(&self, css: &str) {
        let id = self.find(css);
        self.cmd("POST", &format!("/element/{id}/click"), None);
    }

    /// Clicks a button or link that loads a new page, and waits until the new page is there.
    fn submit(&self, css: &str) {
        let old = self.find("html");
        self.click(css);
        let started = Instant::now();
        loop {
            let now = self.find("html");
            let ready = self.cmd(
                "POST",
                "/execute/sync",
                Some(json!({ "script": "return document.readyState", "args": [] })),
            );
            if now != old && ready == "complete" {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "{css} did not load a page"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css);
        self.cmd("POST", &format!("/element/{id}/clear"), None);
        self.cmd(
            "POST",
            &format!("/element/{id}/value"),
            Some(json!({ "text": text })),
        );
    }

    /// A form field's current value.
    fn value(&self, css: &str) -> String {
        let id = self.find(css);
        self.cmd("GET", &format!("/element/{id}/property/value"), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Chooses a local file in a file input (the driver sends its path).
    fn attach_file(&self, css: &str, path: &std::path::Path) {
        let id = self.find(css);
        self.cmd(
            "POST",
            &format!("/element/{id}/value"),
            Some(json!({ "text": path.to_str().unwrap() })),
        );
    }

    fn logout_all(&self) {
        self.cmd("DELETE", "/cookie", None);
    }

    fn screenshot(&self, name: &str) {
        use base64::Engine;
        let data = self.cmd("GET", "/screenshot", None);
        let png = base64::engine::general_purpose::STANDARD
            .decode(data.as_str().unwrap())
            .unwrap();
        assert!(png.starts_with(b"\x89PNG"));
        std::fs::write(screenshots_dir().join(format!("{name}.png")), png).unwrap();
    }

    /// Waits for a downloaded file whose name starts with `prefix` and returns its bytes.
    fn downloaded(&self, prefix: &str) -> Vec<u8> {
        let started = Instant::now();
        loop {
            if let Some(path) = std::fs::read_dir(&self.downloads)
                .unwrap()
                .filter_map(|e| e.ok().map(|e| e.path()))
                .find(|p| {
                    let name = p.file_name().unwrap().to_string_lossy().into_owned();
                    name.starts_with(prefix) && !name.ends_with(".crdownload")
                })
            {
                return std::fs::read(path).unwrap();
            }
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "no download {prefix}*"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn login(&self, site: &str, user: &str) {
        self.logout_all();
        self.open(&format!("{site}/staff/login"));
        self.type_into("#f-user", user);
        self.type_into("#f-password", crate::fixture::PASSWORD);
        self.submit("form.stack button[type=submit]");
        let landed = self.text("h1");
        assert!(
            landed.contains("待办") || landed.contains("汇总"),
            "{user} logged in: {landed}"
        );
    }
}

/// Apply online → staff register → ask for 补正 → the applicant supplements → staff answer,
/// a reviewer approves → the applicant downloads the answer letter.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Debian chromium and chromium-driver (installed by .ci/run); run with --ignored"]
async fn the_whole_loop_in_a_real_browser() {
    let h = Harness::fixture().await;
    let site = format!("http://{}", serve(&h).await);
    tokio::task::spawn_blocking(move || {
        let d = Driver::start();
        d.open(&format!("{site}/"));
        d.screenshot("01-home");
        d.open(&format!("{site}/agencies/street/guide"));
        d.screenshot("02-guide");
        // On a phone-sized window the form is one readable column.
        d.cmd("POST", "/window/rect", Some(json!({ "width": 390, "height": 844 })));
        d.open(&format!("{site}/agencies/street/apply"));
        let width = d.cmd(
            "POST",
            "/execute/sync",
            Some(json!({ "script": "const w = document.documentElement; const wide = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w.clientWidth + 1).map(e => e.tagName + '.' + e.className + '#' + e.id + ':' + Math.round(e.getBoundingClientRect().right)); return [w.scrollWidth, w.clientWidth, wide.slice(0, 8)]", "args": [] })),
        );
        assert!(width[0].as_u64() <= width[1].as_u64(), "no sideways scrolling on a phone: {width}");
        d.screenshot("02-apply-phone");
        d.cmd("POST", "/window/rect", Some(json!({ "width": 1280, "height": 1000 })));

        // The applicant fills the form; a mistake comes back beside its field.
        d.open(&format!("{site}/agencies/street/apply"));
        d.type_into("#f-name", "张三");
        d.type_into("#f-id_number", "110105194912310021");
        d.type_into("#f-phone", "13800000000");
        d.type_into("#f-content", "太平街道2026年老旧小区改造的实施方案");
        d.click("input[name=confirm]");
        d.submit("form.stack button[type=submit]");
        assert!(d.text("#f-id_number-error").contains("校验码"));
        d.screenshot("03-apply-error");
        assert_eq!(
            d.cmd(
                "GET",
                &format!("/element/{}/property/value", d.find("#f-name")),
                None
            ),
            "张三",
            "input kept"
        );
        d.type_into("#f-id_number", "11010519491231002X");
        d.submit("form.stack button[type=submit]");
        let number = d.text("#number");
        let code = d.text("#query-code");
        assert_eq!(code.len(), 10);
        d.screenshot("04-receipt");
        // Reloading the receipt, or going back and sending the form again, makes no second
        // application: the same receipt comes back.
        d.cmd("POST", "/refresh", Some(json!({})));
        assert_eq!(d.text("#number"), number);
        d.cmd("POST", "/back", Some(json!({})));
        assert!(d.url().ends_with("/apply"), "{}", d.url());
        d.submit("form.stack button[type=submit]");
        assert_eq!(d.text("#number"), number, "the same form sent twice");

        // Staff register it and ask for 补正.
        d.login(&site, "clerk");
        d.screenshot("05-queue");
        d.open(&format!("{site}/staff/cases/{number}"));
        d.screenshot("06-case");
        d.submit("#act-register button[type=submit]");
        assert!(d.text("#state").contains("已登记"));
        d.click("#act-request_supplement summary");
        d.type_into("#request_supplement-what", "请写明所需文件的名称或文号");
        d.submit("#act-request_supplement button[type=submit]");
        assert!(d.text("#state").contains("补正中"));

        // The applicant supplements with the number and the query code.
        d.logout_all();
        d.open(&format!("{site}/agencies/street/status"));
        d.type_into("#f-number", &number);
        d.type_into("#f-code", &code);
        d.submit("form.stack button[type=submit]");
        assert!(d.text("main").contains("请写明所需文件的名称或文号"));
        d.type_into(
            "#f-supplement",
            "《太平街道老旧小区改造实施方案》（示太政发〔2026〕3号）",
        );
        d.submit("form.stack button[type=submit]");
        assert!(d.text("#state").contains("办理中"));
        d.screenshot("07-status-supplemented");

        // Staff answer; a reviewer approves.
        d.login(&site, "clerk");
        d.open(&format!("{site}/staff/cases/{number}"));
        d.type_into(
            "#submit_answer-text",
            "经查，您申请的信息予以公开，见附件。",
        );
        // "见附件" with no file is refused and says why; the file chosen, it goes.
        d.submit("#act-submit_answer button[type=submit]");
        assert!(d.text("main").contains("没有附件"));
        let plan = d.downloads.parent().unwrap().join("改造方案.pdf");
        std::fs::write(&plan, b"%PDF-1.7 the plan").unwrap();
        // What was typed comes back with the error.
        assert!(d.value("#submit_answer-text").contains("予以公开，见附件"));
        d.attach_file("#submit_answer-attachments", &plan);
        d.submit("#act-submit_answer button[type=submit]");
        assert!(d.text("#state").contains("待审核"));
        d.login(&site, "reviewer");
        d.open(&format!("{site}/staff/cases/{number}"));
        d.submit("#act-approve_answer button[type=submit]");
        assert!(d.text("#state").contains("已答复"));

        // The applicant downloads the answer.
        d.logout_all();
        d.open(&format!("{site}/agencies/street/status"));
        d.type_into("#f-number", &number);
        d.type_into("#f-code", &code);
        d.submit("form.stack button[type=submit]");
        assert!(d.text("#state").contains("已答复"));
        d.screenshot("08-status-answered");
        // The letter as a web page opens in the browser; as Word it is saved.
        d.submit("button[aria-label='下载政府信息公开申请答复书（网页）']");
        let letter = d.text("body");
        assert!(letter.contains("经查，您申请的信息予以公开") && letter.contains("行政复议"), "{letter}");
        d.screenshot("08b-letter");
        d.cmd("POST", "/back", Some(json!({})));
        d.click("button[aria-label='下载政府信息公开申请答复书（Word）']");
        assert!(d.downloaded("answer-").starts_with(b"PK"), "the Word letter is saved");
        // The file the answer provides, with it.
        d.click("#answer-attachment-0");
        assert_eq!(d.downloaded("改造方案"), b"%PDF-1.7 the plan");
    })
    .await
    .unwrap();
}

/// The statistics page: each cell of table 三 opens the applications counted in it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Debian chromium and chromium-driver (installed by .ci/run); run with --ignored"]
async fn a_table_cell_opens_its_applications() {
    let h = Harness::fixture().await;
    let site = format!("http://{}", serve(&h).await);
    tokio::task::spawn_blocking(move || {
        let d = Driver::start();
        d.login(&site, "clerk");
        d.open(&format!("{site}/staff/statistics?year=2023"));
        d.screenshot("09-statistics");
        d.submit("a[href*='row=partly_disclosed'][href*='column=natural_person']");
        assert_eq!(d.text("#cell-count"), "2");
        let cases = d.text("#cell-cases");
        assert!(
            cases.contains("2023-0002") && cases.contains("2023-0003"),
            "{cases}"
        );
        d.open(&format!("{site}/staff/calendar"));
        d.screenshot("10-calendar");
        d.login(&site, "admin");
        d.open(&format!("{site}/staff/audit"));
        assert!(d.text("main").contains("校验通过"));
        d.screenshot("11-audit");
    })
    .await
    .unwrap();
}

/// The annual report in the back office: a cell of its table 三 opens the applications
/// counted in it; the published report on the portal; the supervisor's roll-up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Debian chromium and chromium-driver (installed by .ci/run); run with --ignored"]
async fn the_annual_report_opens_the_records_behind_its_cells() {
    let h = Harness::fixture().await;
    let site = format!("http://{}", serve(&h).await);
    tokio::task::spawn_blocking(move || {
        let d = Driver::start();
        d.login(&site, "clerk");
        d.open(&format!("{site}/staff/reports?year=2023"));
        assert!(d.text("#checks").contains("核对通过"));
        d.screenshot("12-annual-report");
        d.submit("#table3 a[href*='row=partly_disclosed'][href*='column=natural_person']");
        assert_eq!(d.text("#cell-count"), "2");
        let cases = d.text("#cell-cases");
        assert!(
            cases.contains("2023-0002") && cases.contains("2023-0003"),
            "{cases}"
        );
        d.open(&format!("{site}/reports/2023"));
        assert!(d.text("main").contains("本年新收政府信息公开申请数量"));
        d.screenshot("13-published-report");
        d.login(&site, "supervisor");
        d.open(&format!("{site}/staff/supervision?year=2023"));
        assert!(d.text("#children").contains("已发布"));
        d.screenshot("14-supervision");
    })
    .await
    .unwrap();
}

/// axe-core (from the npm registry; `.ci/run` installs it into `target/axe`), injected into each
/// page: its serious and critical violations. Without it the check fails loudly.
fn axe_source() -> String {
    let path = std::env::var_os("GONGKAI_AXE").map_or_else(
        || {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../target/axe/node_modules/axe-core/axe.min.js")
        },
        PathBuf::from,
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the accessibility check needs axe-core at {} ({e}): npm install --prefix target/axe axe-core@4.14.1, or set GONGKAI_AXE",
            path.display()
        )
    })
}

impl Driver {
    /// What a visitor would object to on the open page: sideways scrolling, words that are
    /// ours and not theirs, and axe's serious or critical accessibility violations.
    fn problems(&self, axe: &str) -> Vec<String> {
        let mut problems = Vec::new();
        let width = self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({ "script": "const w = document.documentElement; return [w.scrollWidth, w.clientWidth, [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w.clientWidth + 1).slice(0, 3).map(e => e.tagName + '.' + e.className)]", "args": [] })),
        );
        if width[0].as_u64() > width[1].as_u64() {
            problems.push(format!("scrolls sideways: {width}"));
        }
        let text = self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({ "script": "return document.body.innerText", "args": [] })),
        );
        let found = crate::wording::internal_words(text.as_str().unwrap_or(""));
        if !found.is_empty() {
            problems.push(format!("internal words {found:?}"));
        }
        let script = format!(
            "{axe}\nconst done = arguments[arguments.length - 1];\naxe.run(document, {{ resultTypes: ['violations'] }}).then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')))).catch(e => done(['axe failed: ' + e]));"
        );
        let violations = self.cmd(
            "POST",
            "/execute/async",
            Some(json!({ "script": script, "args": [] })),
        );
        for v in violations.as_array().into_iter().flatten() {
            problems.push(v.as_str().unwrap_or("").to_string());
        }
        problems
    }
}

/// Every main screen of a citizen, a clerk, a reviewer and a supervisor, at desktop and phone
/// width: no sideways scrolling, only Chinese, no serious accessibility violation; each kept
/// as a screenshot for people to read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Debian chromium and chromium-driver and axe-core (installed by .ci/run); run with --ignored"]
async fn every_screen_at_both_widths() {
    let h = Harness::fixture().await;
    let all = h.app.store.publications(&h.agency()).await.unwrap();
    let publication = all.iter().find(|p| p.is_public()).unwrap().id;
    // An item waiting on a review step: the landing page of whoever takes that step lists it.
    let (waiting, reviewer) = all
        .iter()
        .find_map(|p| {
            let user = match p.waiting_on()?.role {
                gongkai_domain::Role::Reviewer => "reviewer",
                gongkai_domain::Role::SecrecyReviewer => "secrecy",
                gongkai_domain::Role::OfficeHead => "head",
                _ => return None,
            };
            Some((p.draft.title.clone(), user))
        })
        .expect("the fixture has an item in review");
    // A message open for reply and a task set by the district: their forms (reply, correct,
    // withdraw) are on the screens below.
    seed_forms(&h).await;
    let site = format!("http://{}", serve(&h).await);
    let axe = axe_source();
    tokio::task::spawn_blocking(move || {
        let d = Driver::start();
        let public = [
            ("home", "/".to_string()),
            ("agency", "/agencies/street".to_string()),
            ("guide", "/agencies/street/guide".to_string()),
            ("apply", "/agencies/street/apply".to_string()),
            ("status", "/agencies/street/status".to_string()),
            ("catalog", "/agencies/street/publications".to_string()),
            (
                "publication",
                format!("/agencies/street/publications/{publication}"),
            ),
            ("report", "/agencies/street/reports/2023".to_string()),
            ("search", "/search?q=%E5%85%AC%E5%BC%80".to_string()),
        ];
        let staff = [
            ("clerk", "queue", "/staff".to_string()),
            ("clerk", "case", "/staff/cases/2026-D0001".to_string()),
            (
                "clerk",
                "staff-publication",
                format!("/staff/publications/{publication}"),
            ),
            ("clerk", "annual", "/staff/reports?year=2023".to_string()),
            ("clerk", "interpretations", "/staff/interpretations".to_string()),
            (reviewer, "reviewer-queue", "/staff".to_string()),
            (
                "supervisor",
                "rollup",
                "/staff/supervision?year=2023".to_string(),
            ),
            (
                "supervisor",
                "assessment",
                "/staff/assessment?from=2026-01-01&to=2026-11-27".to_string(),
            ),
            ("clerk", "participation", "/staff/participation".to_string()),
            ("clerk", "work-plan", "/staff/work-plan?year=2026".to_string()),
            (
                "supervisor",
                "work-plan-set",
                "/staff/work-plan?year=2026".to_string(),
            ),
        ];
        let mut problems = Vec::new();
        let widths = [(1280, 1000, "desktop"), (390, 844, "phone")];
        let mut check = |d: &Driver, name: &str, path: &str, suffix: &str| {
            d.open(&format!("{site}{path}"));
            d.screenshot(&format!("screen-{name}-{suffix}"));
            for p in d.problems(&axe) {
                problems.push(format!("{name} {suffix}: {p}"));
            }
        };
        d.logout_all();
        for (width, height, suffix) in widths {
            d.cmd(
                "POST",
                "/window/rect",
                Some(json!({ "width": width, "height": height })),
            );
            for (name, path) in &public {
                check(&d, name, path, suffix);
            }
        }
        // High-contrast mode (emulated as the system would ask for it): still no violation.
        d.cmd(
            "POST",
            "/goog/cdp/execute",
            Some(json!({ "cmd": "Emulation.setEmulatedMedia", "params": { "features": [{ "name": "prefers-contrast", "value": "more" }] } })),
        );
        for (name, path) in public.iter().take(4) {
            check(&d, name, path, "contrast");
        }
        d.cmd(
            "POST",
            "/goog/cdp/execute",
            Some(json!({ "cmd": "Emulation.setEmulatedMedia", "params": { "features": [] } })),
        );
        // One sign-in per person (sign-ins are limited per address and minute).
        for user in ["clerk", reviewer, "supervisor"] {
            d.login(&site, user);
            for (width, height, suffix) in widths {
                d.cmd(
                    "POST",
                    "/window/rect",
                    Some(json!({ "width": width, "height": height })),
                );
                for (_, name, path) in staff.iter().filter(|(u, _, _)| *u == user) {
                    check(&d, name, path, suffix);
                    if *name == "reviewer-queue" {
                        assert!(d.text("#waiting-for-me").contains(&waiting), "{suffix}");
                    }
                    if *name == "assessment" {
                        // 考核: the ranking names the street; the chart draws it.
                        assert!(d.text("#ranking").contains("城关镇"), "{suffix}");
                        assert!(d.text("#assessment-chart").contains("城关镇"), "{suffix}");
                    }
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    })
    .await
    .unwrap();
}

/// What `every_screen_at_both_widths` needs beyond the fixture: a 12345 message waiting for
/// its reply, and a 工作要点 task the district set.
async fn seed_forms(h: &Harness) {
    use gongkai_domain::{
        Actor, AgencyCode, Role, UserName,
        participation::{NewMessage, ParticipationChannel},
        work_plan::NewTask,
    };
    use gongkai_web::usecases::{participation, work_plan};
    let person = |name: &str, agency: AgencyCode, role| Actor {
        user: UserName::parse(name).unwrap(),
        agency,
        roles: vec![role],
    };
    let day = |text| gongkai_law::parse_date("t", text).unwrap();
    let clerk = person("clerk", h.agency(), Role::CaseOfficer);
    let message = NewMessage {
        channel: ParticipationChannel::Hotline,
        received: day("2026-11-25"),
        sender: "钱七",
        subject: "北街路灯不亮",
        text: "北街路灯连续三晚不亮。",
        publishable: true,
        reference: "GD202611250001",
    };
    participation::add(&h.app, &clerk, message).await.unwrap();
    let district = AgencyCode::parse("district").unwrap();
    let supervisor = person("supervisor", district, Role::Supervisor);
    let task = NewTask {
        year: 2026,
        title: "建设政务公开专区",
        detail: "在便民服务大厅设立专区。",
        due: day("2026-12-31"),
    };
    work_plan::add_task(&h.app, &supervisor, task, Vec::new())
        .await
        .unwrap();
}

/// 政务公开专区: the terminal at a standing screen's size — its services large and on the
/// kiosk, an application typed on the screen with its receipt printed (the print stylesheet
/// leaves the receipt alone), and the screen clearing itself when nobody touches it: the
/// receipt gone, a half-filled form empty for the next person.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Debian chromium and chromium-driver and axe-core (installed by .ci/run); run with --ignored"]
async fn the_kiosk_prints_its_receipt_and_clears_itself() {
    let h = Harness::fixture().await;
    let idle = Duration::from_secs(u64::from(h.app.config.kiosk_idle_seconds) + 2);
    let site = format!("http://{}", serve(&h).await);
    let axe = axe_source();
    tokio::task::spawn_blocking(move || {
        let d = Driver::start();
        let home = format!("{site}/kiosk/street");
        d.cmd(
            "POST",
            "/window/rect",
            Some(json!({ "width": 1080, "height": 1920 })),
        );
        let mut problems = Vec::new();
        let mut look = |d: &Driver, name: &str| {
            for p in d.problems(&axe) {
                problems.push(format!("{name}: {p}"));
            }
            d.screenshot(name);
        };
        d.open(&home);
        look(&d, "kiosk-home");
        for (tile, name) in [
            ("#tile-search", "kiosk-search"),
            ("#tile-gazette", "kiosk-gazette"),
            ("#tile-contact", "kiosk-contact"),
        ] {
            d.open(&home);
            d.submit(tile);
            look(&d, name);
        }
        d.open(&home);
        d.submit("#tile-apply");
        d.type_into("#f-name", "张三");
        d.type_into("#f-id_number", "11010519491231002X");
        d.type_into("#f-phone", "13800000000");
        d.type_into("#f-content", "太平街道2026年老旧小区改造的实施方案");
        d.click("input[name=confirm]");
        look(&d, "kiosk-apply");
        d.submit("form.stack button[type=submit]");
        let number = d.text("#number");
        assert!(number.starts_with("2026-"), "{number}");
        look(&d, "kiosk-receipt");
        // Printed, the receipt stands alone: no frame, no buttons.
        let media = |kind: &str| {
            d.cmd(
                "POST",
                "/goog/cdp/execute",
                Some(json!({ "cmd": "Emulation.setEmulatedMedia", "params": { "media": kind } })),
            );
        };
        media("print");
        let shown = d.cmd(
            "POST",
            "/execute/sync",
            Some(json!({ "script": "return ['header.site', '.no-print', '#number'].map(s => getComputedStyle(document.querySelector(s)).display).join(' ')", "args": [] })),
        );
        assert_eq!(shown, "none none inline", "{shown}");
        d.screenshot("kiosk-receipt-print");
        media("");
        // Nobody at the screen: it goes home by itself, and the receipt is no longer there.
        std::thread::sleep(idle);
        assert_eq!(d.url(), home, "the receipt cleared itself");
        d.open(&format!("{home}/receipt"));
        let after = d.text("main");
        assert!(after.contains("回执已不在本页") && !after.contains(&number), "{after}");
        // A form left half filled is empty for the next person.
        d.open(&format!("{home}/apply"));
        d.type_into("#f-name", "李四");
        std::thread::sleep(idle);
        assert_eq!(d.url(), home, "the form cleared itself");
        d.open(&format!("{home}/apply"));
        assert_eq!(d.value("#f-name"), "");
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    })
    .await
    .unwrap();
}

/// 公众参与 and 政策解读 in a real browser (#18): a clerk records a 12345 工单 and replies, the
/// reply shows on the portal with the sender masked; a 解读 drafted against its policy document
/// goes through review and the two pages link to each other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Debian chromium and chromium-driver (installed by .ci/run); run with --ignored"]
async fn participation_and_interpretation_in_a_browser() {
    let h = Harness::fixture().await;
    let document = h
        .app
        .store
        .public_publications(&h.agency())
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.draft.title == "城关镇老旧小区改造工作方案")
        .unwrap()
        .id;
    let site = format!("http://{}", serve(&h).await);
    let drafted = {
        let site = site.clone();
        tokio::task::spawn_blocking(move || {
            let d = Driver::start();
            d.login(&site, "clerk");
            d.open(&format!("{site}/staff/participation"));
            d.cmd(
                "POST",
                "/execute/sync",
                Some(json!({ "script": "document.querySelector('#f-channel').value = 'hotline'", "args": [] })),
            );
            d.type_into("#f-sender", "王五");
            d.type_into("#f-subject", "人民路积水");
            d.type_into("#f-text", "雨后人民路口积水严重，请疏通。");
            d.click("input[name=publishable]");
            d.submit("#add ~ form button[type=submit]");
            assert!(d.text("#open-messages").contains("人民路积水"));
            d.click("#open-messages details summary");
            d.type_into("#open-messages textarea", "已疏通排水口，感谢反映。");
            d.submit("#open-messages details button[type=submit]");
            assert!(d.text("#closed-messages").contains("已在网站公开"));
            d.screenshot("participation-staff");
            d.open(&format!("{site}/agencies/street/participation"));
            let shown = d.text("#public-replies");
            assert!(shown.contains("王某") && shown.contains("已疏通排水口"), "{shown}");
            d.screenshot("participation-portal");
            // A 解读 of the plan, drafted in the form.
            d.open(&format!("{site}/staff/publications/new"));
            d.type_into("#f-title", "图解：城关镇老旧小区改造工作方案");
            d.cmd(
                "POST",
                "/execute/sync",
                Some(json!({ "script": format!("document.querySelector('#f-category').value = '政策解读'; document.querySelector('#f-interprets_document').value = '{document}'; document.querySelector('#f-interprets_form').value = 'graphic';"), "args": [] })),
            );
            d.type_into("#f-body", "一图读懂改造范围和时间。");
            d.submit("form.stack button[type=submit]");
            let url = d.url();
            url.rsplit('/')
                .next()
                .unwrap()
                .split('?')
                .next()
                .unwrap()
                .parse::<u64>()
                .unwrap()
        })
        .await
        .unwrap()
    };
    // Through the review chain (its own browser flow is the whole loop's).
    let agency = h.app.agency(&h.agency()).await.unwrap();
    crate::fixture::publish_draft(&h.app, &agency, drafted).await;
    tokio::task::spawn_blocking(move || {
        let d = Driver::start();
        d.open(&format!("{site}/agencies/street/publications/{document}"));
        assert!(d.text("#interpretations").contains("图解"));
        d.screenshot("interpretation-document");
        d.submit("#interpretations a");
        assert!(d.text("#explains").contains("城关镇老旧小区改造工作方案"));
        d.screenshot("interpretation-item");
    })
    .await
    .unwrap();
}

/// 工作要点 in a real browser (#18): the supervisor sets a task, the street's clerk reports it
/// done with a publication as evidence, and the supervisor sees the agency's progress.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Debian chromium and chromium-driver (installed by .ci/run); run with --ignored"]
async fn a_work_plan_task_set_and_reported_in_a_browser() {
    let h = Harness::fixture().await;
    let site = format!("http://{}", serve(&h).await);
    tokio::task::spawn_blocking(move || {
        let d = Driver::start();
        d.login(&site, "supervisor");
        d.open(&format!("{site}/staff/work-plan?year=2026"));
        d.type_into("#task-title", "建设政务公开专区");
        d.type_into("#task-detail", "在便民服务大厅设立专区。");
        d.cmd(
            "POST",
            "/execute/sync",
            Some(json!({ "script": "document.querySelector('#task-due').value = '2026-12-31'", "args": [] })),
        );
        d.submit("#add-task ~ form button[type=submit]");
        assert!(d.text("main").contains("建设政务公开专区"));
        d.logout_all();
        d.login(&site, "clerk");
        d.open(&format!("{site}/staff/work-plan?year=2026"));
        d.type_into("section.task textarea", "专区已投入使用。");
        d.cmd(
            "POST",
            "/execute/sync",
            Some(json!({ "script": "document.querySelector('section.task input[type=date]').value = '2026-11-20'", "args": [] })),
        );
        d.click("section.task input[type=checkbox]");
        d.submit("section.task button[type=submit]");
        assert!(d.text("section.task h3").contains("已完成"));
        d.screenshot("work-plan-agency");
        d.logout_all();
        d.login(&site, "supervisor");
        d.open(&format!("{site}/staff/work-plan?year=2026"));
        assert!(d.text("section.task").contains("已完成1/"));
        d.screenshot("work-plan-supervisor");
    })
    .await
    .unwrap();
}

/// 考核 published (#18): the supervisor computes the ranking of a period and publishes it;
/// a visitor finds it from the district's home, reads the ranking and the chart at desktop and
/// phone width, and the page passes the same checks as every screen.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Debian chromium and chromium-driver and axe-core (installed by .ci/run); run with --ignored"]
async fn an_assessment_published_and_read_on_the_portal() {
    let h = Harness::fixture().await;
    let site = format!("http://{}", serve(&h).await);
    let axe = axe_source();
    tokio::task::spawn_blocking(move || {
        let d = Driver::start();
        d.login(&site, "supervisor");
        d.open(&format!(
            "{site}/staff/assessment?from=2026-01-01&to=2026-11-27"
        ));
        assert!(d.text("#ranking").contains("城关镇"));
        d.submit("#publish button[type=submit]");
        assert!(
            d.text("main")
                .contains("已公布2026年1月1日至2026年11月27日的考核结果"),
            "{}",
            d.text("main")
        );
        // The page now offers to withdraw what it published.
        assert!(d.text("main").contains("撤回本期考核结果"));
        let mut problems: Vec<String> = d
            .problems(&axe)
            .into_iter()
            .map(|p| format!("assessment after publishing: {p}"))
            .collect();
        d.logout_all();
        d.open(&format!("{site}/agencies/district"));
        d.submit("a[href='/agencies/district/assessment']");
        d.submit("#public-results a");
        assert!(
            d.url()
                .ends_with("/agencies/district/assessment/2026-01-01_2026-11-27")
        );
        for (width, height, suffix) in [(1280, 900, "desktop"), (390, 844, "phone")] {
            d.cmd(
                "POST",
                "/window/rect",
                Some(json!({ "width": width, "height": height })),
            );
            assert!(d.text("#ranking").contains("城关镇"), "{suffix}");
            assert!(d.text("#assessment-chart").contains("城关镇"), "{suffix}");
            assert!(d.text("main").contains("失分依据"), "{suffix}");
            problems.extend(
                d.problems(&axe)
                    .into_iter()
                    .map(|p| format!("assessment result ({suffix}): {p}")),
            );
            d.screenshot(&format!("assessment-published-{suffix}"));
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    })
    .await
    .unwrap();
}
