//! Test helpers: an app on an in-memory SQLite store with the clock fixed on Friday 2026-11-27,
//! holding the tests' own small world (`fixture`) or, for the tests of the demo itself, the demo;
//! and a client that keeps cookies like a browser.

use std::{
    collections::BTreeMap,
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicU8, Ordering},
    },
};

use axum::{
    Router,
    body::Body,
    extract::ConnectInfo,
    http::{HeaderMap, Request, StatusCode, header},
};
use gongkai_demo as demo;
use gongkai_domain::{
    AgencyCode, Application, ApplicationNumber, Role, User, UserName, store::prelude::*,
};
use gongkai_law::WorkingCalendar;
use gongkai_store::SqliteStore;
use gongkai_web::{App, Config, security, views::urlencode};

use crate::fixture;
use http_body_util::BodyExt;
use tower::ServiceExt;

/// The address of the reverse proxy the harness trusts (clients are 10.0.0.1, .2, …).
pub const PROXY: &str = "10.0.0.250";

/// 10:00 in Beijing on Friday 2026-11-27.
pub const NOW: &str = "2026-11-27T02:00:00Z";

pub struct Harness {
    pub app: Arc<App<SqliteStore>>,
    router: Router,
    next_ip: AtomicU8,
    /// The agency whose staff log in.
    agency: AgencyCode,
    password: &'static str,
    /// What the fixture made (none for the demo).
    seeded: Option<fixture::Seeded>,
}

/// Which world a harness starts from.
enum World {
    Fixture,
    Demo,
}

impl Harness {
    /// The tests' own small world (see `fixture`).
    pub async fn fixture() -> Self {
        Self::start(World::Fixture).await
    }

    /// The demo district, for the tests of the demo itself and the browser walk-throughs.
    pub async fn demo() -> Self {
        Self::start(World::Demo).await
    }

    async fn start(world: World) -> Self {
        let (agency, password) = match world {
            World::Fixture => (fixture::STREET, fixture::PASSWORD),
            World::Demo => (demo::AGENCY, demo::PASSWORD),
        };
        let agency = AgencyCode::parse(agency).unwrap();
        let store = SqliteStore::in_memory().await.unwrap();
        store.migrate().await.unwrap();
        let now: jiff::Timestamp = NOW.parse().unwrap();
        let config = Config {
            secure_cookies: false,
            site_agency: Some(agency.clone()),
            // The reverse proxy of `Harness::behind_proxy`.
            trusted_proxies: vec![gongkai_web::client::Cidr::parse(PROXY).unwrap()],
            // Short, so the browser flow sees the terminal clear itself.
            kiosk_idle_seconds: 8,
            ..Config::default()
        };
        // One dictionary for every test: loading it is the slow part.
        static SEGMENTER: std::sync::OnceLock<Arc<gongkai_search::Segmenter>> =
            std::sync::OnceLock::new();
        let segmenter = SEGMENTER
            .get_or_init(|| {
                Arc::new(gongkai_search::Segmenter::new([
                    "示例区人民政府太平街道办事处",
                    fixture::STREET_NAME,
                ]))
            })
            .clone();
        let index = Arc::new(gongkai_search::TantivyIndex::in_memory().unwrap());
        let search = Arc::new(gongkai_search::Search::new(store.clone(), index, segmenter));
        let app = App::new(
            store,
            config,
            WorkingCalendar::embedded(),
            Arc::new(move || now),
        )
        .await
        .unwrap()
        .with_search(search);
        let seeded = match world {
            World::Fixture => Some(fixture::seed(&app).await),
            World::Demo => {
                assert!(demo::seed(&app).await.unwrap());
                None
            }
        };
        app.sync_search().await;
        let app = Arc::new(app);
        Self {
            router: gongkai_web::router(app.clone()),
            app,
            next_ip: AtomicU8::new(1),
            agency,
            password,
            seeded,
        }
    }

    /// The 查询码 of the fixture's online application 2026-W0001.
    pub fn query_code(&self) -> &str {
        &self.seeded.as_ref().expect("a fixture harness").query_code
    }

    /// A browser of its own, from its own address (rate limits are per address).
    pub fn client(&self) -> Client {
        Client {
            router: self.router.clone(),
            cookies: BTreeMap::new(),
            ip: SocketAddr::from((
                [10, 0, 0, self.next_ip.fetch_add(1, Ordering::SeqCst)],
                40000,
            )),
            forwarded_for: None,
        }
    }

    /// A browser of a terminal's own server (`serve --kiosk`) on the same database.
    pub async fn terminal(&self) -> Client {
        let config = Config {
            secure_cookies: false,
            kiosk: Some(self.agency.clone()),
            ..Config::default()
        };
        let now: jiff::Timestamp = NOW.parse().unwrap();
        let app = App::new(
            self.app.store.clone(),
            config,
            WorkingCalendar::embedded(),
            Arc::new(move || now),
        )
        .await
        .unwrap();
        Client {
            router: gongkai_web::router(Arc::new(app)),
            cookies: BTreeMap::new(),
            ip: SocketAddr::from((
                [10, 0, 1, self.next_ip.fetch_add(1, Ordering::SeqCst)],
                40000,
            )),
            forwarded_for: None,
        }
    }

    /// A browser at `address` reaching the server through the trusted reverse proxy.
    pub fn behind_proxy(&self, address: &str) -> Client {
        Client {
            router: self.router.clone(),
            cookies: BTreeMap::new(),
            ip: SocketAddr::new(PROXY.parse().unwrap(), 40000),
            forwarded_for: Some(address.to_string()),
        }
    }

    pub async fn login(&self, user: &str) -> Client {
        self.login_with(user, self.password).await
    }

    pub async fn login_with(&self, user: &str, password: &str) -> Client {
        let mut c = self.client();
        let csrf = c.csrf().await;
        let r = c
            .post_form(
                "/staff/login",
                &[("csrf", &csrf), ("user", user), ("password", password)],
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "login {user}: {}",
            r.text_snippet()
        );
        assert!(c.cookie("gk_session").is_some());
        c
    }

    pub async fn add_user(&self, name: &str, agency: &AgencyCode, roles: &[Role]) {
        let user = User {
            name: UserName::parse(name).unwrap(),
            display_name: name.into(),
            agency: agency.clone(),
            roles: roles.to_vec(),
            active: true,
        };
        let stamp = self.app.stamp("test");
        self.app.store.add_user(&user, &stamp).await.unwrap();
        let hash = security::hash_password(self.password).unwrap();
        self.app
            .store
            .set_password(&user.name, &hash, &stamp)
            .await
            .unwrap();
    }

    /// Another street of the district (`other`) and its staff member `outsider` with `roles`:
    /// someone who must see nothing of the fixture's agency.
    pub async fn add_outsider(&self, roles: &[Role]) {
        let other = AgencyCode::parse("other").unwrap();
        let agency = gongkai_domain::Agency::new(
            other.clone(),
            "另一街道办事处",
            gongkai_domain::AgencyLevel::Township,
            Some(AgencyCode::parse("district").unwrap()),
        )
        .unwrap();
        self.app
            .store
            .add_agency(&agency, &self.app.stamp("test"))
            .await
            .unwrap();
        self.add_user("outsider", &other, roles).await;
    }

    pub async fn token(&self, user: &str) -> String {
        let user = self
            .app
            .store
            .user(&UserName::parse(user).unwrap())
            .await
            .unwrap()
            .unwrap();
        security::create_api_token(
            &self.app.store,
            &user,
            "测试",
            None,
            &self.app.stamp("test"),
        )
        .await
        .unwrap()
        .0
    }

    /// The standard review chain, step by step: 科室审核 (reviewer), 保密审查 (secrecy), 负责人签发
    /// (head).
    pub async fn approve_along_the_chain(&self, id: &str) {
        for user in ["reviewer", "secrecy", "head"] {
            let mut c = self.login(user).await;
            let csrf = c.csrf().await;
            let r = c
                .post_form(
                    &format!("/staff/publications/{id}/act"),
                    &[
                        ("csrf", &csrf),
                        ("action", "approve"),
                        ("opinion", "经审查，不涉及国家秘密，同意公开"),
                    ],
                )
                .await;
            assert_eq!(
                r.status,
                StatusCode::SEE_OTHER,
                "{user}: {}",
                r.text_snippet()
            );
        }
    }

    /// Waits until the import runner has applied every job waiting (the one a handler set off
    /// holds the runner until it is done; this one then finds nothing left).
    pub async fn finish_imports(&self) {
        self.app.run_imports().await;
    }

    pub fn agency(&self) -> AgencyCode {
        self.agency.clone()
    }

    pub async fn case(&self, number: &str) -> Application {
        self.app
            .store
            .application(&self.agency(), &ApplicationNumber::parse(number).unwrap())
            .await
            .unwrap()
            .unwrap()
    }

    pub fn valid_application<'a>(&self, csrf: &'a str) -> Vec<(&'static str, &'a str)> {
        vec![
            ("csrf", csrf),
            ("kind", "natural_person"),
            ("name", "张三"),
            ("id_type", "resident_id"),
            ("id_number", "11010519491231002X"),
            ("phone", "13800000000"),
            ("email", "zhang@example.com"),
            ("content", "太平街道2026年老旧小区改造的实施方案"),
            ("wanted_form", "电子文档（在线下载）"),
            ("confirm", "yes"),
        ]
    }
}

pub struct Client {
    router: Router,
    cookies: BTreeMap<String, String>,
    ip: SocketAddr,
    /// What a reverse proxy in front would put in X-Forwarded-For.
    forwarded_for: Option<String>,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get_all(name)
            .iter()
            .map(|v| v.to_str().unwrap_or_default().to_string())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The text between two markers (first occurrence).
    pub fn between(&self, start: &str, end: &str) -> String {
        let from = self
            .body
            .find(start)
            .unwrap_or_else(|| panic!("no {start} in {}", self.text_snippet()))
            + start.len();
        let to = self.body[from..].find(end).unwrap() + from;
        self.body[from..to].to_string()
    }

    /// The page's alerts and main text, for failure messages.
    pub fn text_snippet(&self) -> String {
        let main = self
            .body
            .find("<main")
            .map_or(&self.body[..], |i| &self.body[i..]);
        main.chars().take(1500).collect()
    }
}

impl Client {
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.get(name).cloned()
    }

    pub fn set_cookie(&mut self, name: &str, value: &str) {
        self.cookies.insert(name.into(), value.into());
    }

    /// The CSRF token (the cookie the server set; forms carry the same value).
    /// The token forms must carry: the anonymous cookie's, or once signed in the session's
    /// (read from the sign-out form every staff page has).
    pub async fn csrf(&mut self) -> String {
        if self.cookie("gk_session").is_some() {
            let page = self.get("/staff").await;
            let form = page.between("action=\"/staff/logout\"", "</form>");
            return form
                .split("name=\"csrf\" value=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .expect("a signed-in page carries the session's token")
                .to_string();
        }
        if self.cookie("gk_csrf").is_none() {
            // A page with a form sets it (kept public pages are the same for everyone).
            self.get("/staff/login").await;
        }
        self.cookie("gk_csrf").unwrap()
    }

    pub async fn send(&mut self, mut request: Request<Body>) -> Reply {
        let cookie = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        if !cookie.is_empty() {
            request
                .headers_mut()
                .insert(header::COOKIE, cookie.parse().unwrap());
        }
        request.extensions_mut().insert(ConnectInfo(self.ip));
        if let Some(address) = &self.forwarded_for {
            request
                .headers_mut()
                .insert("x-forwarded-for", address.parse().unwrap());
        }
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        for set in headers.get_all(header::SET_COOKIE) {
            let text = set.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if text.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_string(), value.to_string());
            }
        }
        let bytes = response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes,
        }
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    pub async fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &[u8])],
    ) -> Reply {
        let boundary = "----gongkai-test-boundary";
        let mut body = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        for (name, bytes) in files {
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let request = Request::post(path)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    pub async fn request_json(
        &mut self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
        token: Option<&str>,
    ) -> Reply {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let request = match body {
            Some(json) => request
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(json.to_string())),
            None => request.body(Body::empty()),
        }
        .unwrap();
        // The API uses no cookies.
        let saved = std::mem::take(&mut self.cookies);
        let reply = self.send(request).await;
        self.cookies = saved;
        reply
    }
}

impl Harness {
    /// The number of a demo case in `state`.
    pub async fn find_state(&self, state: &str) -> String {
        self.app
            .store
            .applications(&self.agency())
            .await
            .unwrap()
            .into_iter()
            .find(|a| a.state.code() == state)
            .unwrap()
            .number
            .to_string()
    }
}

impl Client {
    /// Posts an action form on a case page and expects the redirect back.
    pub async fn act(&mut self, number: &str, fields: &[(&str, &str)]) {
        let csrf = self.csrf().await;
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        let r = self
            .post_form(&format!("/staff/cases/{number}/act"), &all)
            .await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "{fields:?}: {}",
            r.text_snippet()
        );
    }
}
