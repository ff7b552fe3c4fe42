//! Who may do what, route by route (issue #14): the routes are read from the router's own
//! source, so a route added without a rule here fails the test. Every route is asked by the
//! public, by each role of the agency, by staff of the supervising agency and by staff of
//! another agency (every role), and each answer is held to the route's rule.

use axum::http::StatusCode;
use gongkai_domain::Role;

use crate::support::{Client, Harness, Reply};

/// The router's source: every `.route("path", get(…).post(…))` in it.
const ROUTER: &str = include_str!("../../src/lib.rs");

/// (method, path) of every route the router declares.
fn declared_routes() -> Vec<(&'static str, &'static str)> {
    let mut routes = Vec::new();
    for (at, _) in ROUTER.match_indices(".route(") {
        let call = &ROUTER[at + ".route(".len()..];
        let path_start = call.find('"').expect("a path") + 1;
        let path_len = call[path_start..].find('"').expect("the path ends");
        let path = &call[path_start..path_start + path_len];
        // The call runs to its closing parenthesis.
        let mut depth = 1;
        let mut end = 0;
        for (i, c) in call.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let handlers = &call[path_start + path_len..end];
        for method in ["get", "post", "put", "patch", "delete"] {
            let called = handlers.match_indices(&format!("{method}(")).any(|(i, _)| {
                i == 0 || !handlers[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_')
            });
            if called {
                routes.push((method, path));
            }
        }
    }
    routes
}

/// Who is asked.
const STAFF: [&str; 8] = [
    "admin",
    "clerk",
    "reviewer",
    "head",
    "secrecy",
    "supervisor",
    "root",
    "outsider",
];

/// A request that reaches the route: its parameters filled with things of the fixture's
/// agency (`street`).
fn uri(path: &str) -> String {
    path.replace("{code}", "street")
        .replace("{number}", "2026-D0001")
        .replace("{id}", "1")
        .replace("{index}", "0")
        .replace("{file}", "2023.html")
        .replace("{agency}", "street")
}

/// What an answer says of access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Sent to the login page (a page for staff, asked by the public).
    Login,
    /// 401 (the API without a token).
    Unauthorized,
    /// 403
    Forbidden,
    /// 404: for staff of another agency, the thing is not there.
    NotFound,
    /// Anything else: the route did its work or judged the input.
    Reached,
}

fn access(r: &Reply) -> Access {
    match r.status {
        StatusCode::SEE_OTHER if r.header("location") == "/staff/login" => Access::Login,
        StatusCode::UNAUTHORIZED => Access::Unauthorized,
        StatusCode::FORBIDDEN => Access::Forbidden,
        StatusCode::NOT_FOUND => Access::NotFound,
        _ => Access::Reached,
    }
}

async fn ask(c: &mut Client, token: Option<&str>, method: &str, path: &str) -> Access {
    let uri = uri(path);
    if path.starts_with("/api/") {
        let body = (method == "post").then(|| serde_json::json!({}));
        return access(
            &c.request_json(&method.to_ascii_uppercase(), &uri, body, token)
                .await,
        );
    }
    match method {
        "get" => access(&c.get(&uri).await),
        _ => {
            let csrf = c.csrf().await;
            access(&c.post_form(&uri, &[("csrf", &csrf)]).await)
        }
    }
}

async fn harness() -> Harness {
    let h = Harness::fixture().await;
    h.add_outsider(&[
        Role::CaseOfficer,
        Role::Reviewer,
        Role::OfficeHead,
        Role::SecrecyReviewer,
        Role::Administrator,
        Role::Supervisor,
    ])
    .await;
    // Import job 1 of the fixture's agency.
    let mut clerk = h.login("clerk").await;
    let csrf = clerk.csrf().await;
    let r = clerk
        .post_multipart(
            "/staff/register20/import",
            &[("csrf", &csrf), ("year", "2026")],
            &[(
                "登记.csv",
                "类别,名称,文号,制发日期\n规章,甲,1号,2026-01-05\n".as_bytes(),
            )],
        )
        .await;
    assert_eq!(r.header("location"), "/staff/imports/1");
    h.finish_imports().await;
    h
}

/// The rule of every route: how the public (`public`), each role of the fixture's agency
/// (`admin` 管理员, `clerk` 经办人, `reviewer` 审核人, `head` 负责人, `secrecy` 保密审查员), the
/// supervising agency's `supervisor` and system administrator `root`, and `outsider` (another
/// agency, every role) are answered. L: sent to the login page; U: 401; F: 403; N: 404 (not
/// theirs, or not there); R: reached (the route did its work or judged the input). A POST is
/// sent with only its CSRF token: where the rule is decided by the action (case and
/// publication actions, the report, records), the domain's own tests hold each action to it.
const RULES: &str = "\
get /kiosk/{code}: public=R admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /kiosk/{code}/apply: public=R admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
post /kiosk/{code}/apply: public=R admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /kiosk/{code}/receipt: public=N admin=N clerk=N reviewer=N head=N secrecy=N supervisor=N root=N outsider=N
get /kiosk/{code}/reset: public=R admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /kiosk/{code}/search: public=R admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /kiosk/{code}/gazette: public=R admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /kiosk/{code}/publications/{agency}/{id}: public=R admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /kiosk/{code}/contact: public=R admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /static/kiosk.js: public=R admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /: public=R admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /healthz: public=R admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /static/style.css: public=R admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /agencies/{code}: public=R admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /agencies/{code}/guide: public=R admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /agencies/{code}/apply: public=R admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
post /agencies/{code}/apply: public=R admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /agencies/{code}/receipt: public=N admin=N clerk=N reviewer=N head=N secrecy=N supervisor=N root=N outsider=N
get /agencies/{code}/status: public=R admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
post /agencies/{code}/status: public=N admin=N clerk=N reviewer=N head=N secrecy=N supervisor=N root=N outsider=N
post /agencies/{code}/status/supplement: public=N admin=N clerk=N reviewer=N head=N secrecy=N supervisor=N root=N outsider=N
post /agencies/{code}/status/letter: public=N admin=N clerk=N reviewer=N head=N secrecy=N supervisor=N root=N outsider=N
post /agencies/{code}/status/attachment: public=N admin=N clerk=N reviewer=N head=N secrecy=N supervisor=N root=N outsider=N
get /agencies/{code}/participation: public=R admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /agencies/{code}/work-plan: public=R admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /agencies/{code}/assessment: public=R admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /agencies/{code}/assessment/{id}: public=N admin=N clerk=N reviewer=N head=N secrecy=N supervisor=N root=N outsider=N
get /agencies/{code}/reports: public=R admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /agencies/{code}/reports/{file}: public=R admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /reports/{file}: public=R admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /agencies/{code}/publications: public=R admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /agencies/{code}/catalog: public=R admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /agencies/{code}/publications.atom: public=R admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /agencies/{code}/publications/{id}: public=R admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /agencies/{code}/publications/{id}/attachments/{index}: public=N admin=N clerk=N reviewer=N head=N secrecy=N supervisor=N root=N outsider=N
get /sitemap.xml: public=R admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /agencies/{code}/sitemap.xml: public=R admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /search: public=R admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /staff/login: public=R admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
post /staff/login: public=U admin=U clerk=U reviewer=U head=U secrecy=U supervisor=U root=U outsider=U
post /staff/logout: public=L admin=L clerk=L reviewer=L head=L secrecy=L supervisor=L root=L outsider=L
get /staff: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /staff/register: public=L admin=F clerk=R reviewer=F head=F secrecy=F supervisor=F root=F outsider=R
post /staff/register: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /staff/cases/{number}: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=N root=N outsider=N
post /staff/cases/{number}/act: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=N root=N outsider=N
get /staff/cases/{number}/letters/{index}: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=N root=N outsider=N
get /staff/cases/{number}/attachments/{index}: public=L admin=F clerk=N reviewer=N head=N secrecy=F supervisor=N root=N outsider=N
get /staff/cases/{number}/answer-attachments/{index}: public=L admin=F clerk=N reviewer=N head=N secrecy=F supervisor=N root=N outsider=N
get /staff/statistics: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /staff/statistics/cases: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /staff/statistics/table3: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /staff/admin: public=L admin=R clerk=F reviewer=F head=F secrecy=F supervisor=F root=F outsider=R
post /staff/admin/users: public=L admin=R clerk=F reviewer=F head=F secrecy=F supervisor=F root=F outsider=R
post /staff/admin/users/active: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
post /staff/admin/users/password: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
post /staff/admin/agency: public=L admin=R clerk=F reviewer=F head=F secrecy=F supervisor=F root=F outsider=R
get /staff/admin/tokens: public=L admin=R clerk=F reviewer=F head=F secrecy=F supervisor=F root=F outsider=R
post /staff/admin/tokens: public=L admin=R clerk=F reviewer=F head=F secrecy=F supervisor=F root=F outsider=R
post /staff/admin/tokens/revoke: public=L admin=N clerk=N reviewer=N head=N secrecy=N supervisor=N root=N outsider=N
post /staff/admin/review-chain: public=L admin=R clerk=F reviewer=F head=F secrecy=F supervisor=F root=F outsider=R
get /staff/calendar: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
post /staff/calendar: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /staff/audit: public=L admin=R clerk=F reviewer=F head=F secrecy=F supervisor=R root=F outsider=R
get /staff/participation: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
post /staff/participation: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
post /staff/participation/reply: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
post /staff/participation/edit: public=L admin=N clerk=N reviewer=N head=N secrecy=N supervisor=N root=N outsider=N
get /staff/assessment: public=L admin=F clerk=F reviewer=F head=F secrecy=F supervisor=R root=F outsider=R
post /staff/assessment/scheme: public=L admin=F clerk=F reviewer=F head=F secrecy=F supervisor=R root=F outsider=R
post /staff/assessment/publish: public=L admin=F clerk=F reviewer=F head=F secrecy=F supervisor=R root=F outsider=R
post /staff/assessment/withdraw: public=L admin=F clerk=F reviewer=F head=F secrecy=F supervisor=N root=F outsider=N
get /staff/work-plan: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
post /staff/work-plan/tasks: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
post /staff/work-plan/tasks/edit: public=L admin=N clerk=N reviewer=N head=N secrecy=N supervisor=N root=N outsider=N
post /staff/work-plan/tasks/withdraw: public=L admin=N clerk=N reviewer=N head=N secrecy=N supervisor=N root=N outsider=N
post /staff/work-plan/report: public=L admin=N clerk=N reviewer=N head=N secrecy=N supervisor=N root=N outsider=N
get /staff/interpretations: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /staff/publications: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /staff/publications/new: public=L admin=F clerk=R reviewer=F head=F secrecy=F supervisor=F root=F outsider=R
post /staff/publications/new: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /staff/publications/{id}: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=N root=N outsider=N
get /staff/publications/{id}/attachments/{index}: public=L admin=N clerk=N reviewer=N head=N secrecy=N supervisor=N root=N outsider=N
post /staff/publications/{id}/act: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=N root=N outsider=N
get /staff/publications/{id}/revise: public=L admin=F clerk=R reviewer=F head=F secrecy=F supervisor=N root=N outsider=N
post /staff/publications/{id}/revise: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=N root=N outsider=N
get /staff/catalog: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
post /staff/catalog: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /staff/reports: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
post /staff/reports/act: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /staff/reports/appeals: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /staff/corrections: public=L admin=F clerk=R reviewer=R head=R secrecy=F supervisor=F root=F outsider=R
post /staff/corrections: public=L admin=F clerk=R reviewer=R head=R secrecy=F supervisor=F root=F outsider=R
post /staff/corrections/decide: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /staff/corrections/{id}/letter: public=L admin=F clerk=N reviewer=N head=N secrecy=F supervisor=F root=F outsider=N
get /staff/rereview: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
post /staff/rereview: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /staff/records: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
post /staff/records/appeals: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
post /staff/records/appeals/decide: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
post /staff/records/trainings: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
post /staff/records/proposals: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /staff/supervision: public=L admin=F clerk=F reviewer=F head=F secrecy=F supervisor=R root=F outsider=R
post /staff/supervision/import: public=L admin=F clerk=F reviewer=F head=F secrecy=F supervisor=R root=F outsider=R
post /staff/supervision/findings: public=L admin=F clerk=F reviewer=F head=F secrecy=F supervisor=R root=F outsider=R
get /staff/register20: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
post /staff/register20/documents: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
post /staff/register20/repeal: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
post /staff/register20/import: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
post /staff/register20/figures: public=L admin=R clerk=R reviewer=F head=F secrecy=F supervisor=F root=F outsider=R
get /staff/imports: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /staff/imports/{id}: public=L admin=R clerk=R reviewer=R head=R secrecy=R supervisor=N root=N outsider=N
get /api/openapi.json: public=R admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
post /api/v1/applications: public=R admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /api/v1/applications/{number}: public=N admin=N clerk=N reviewer=N head=N secrecy=N supervisor=N root=N outsider=N
get /api/v1/cases: public=U admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /api/v1/cases/{number}: public=U admin=R clerk=R reviewer=R head=R secrecy=R supervisor=N root=N outsider=N
post /api/v1/cases/{number}/actions: public=U admin=R clerk=R reviewer=R head=R secrecy=R supervisor=N root=N outsider=N
get /api/v1/corrections: public=U admin=F clerk=R reviewer=R head=R secrecy=F supervisor=F root=F outsider=R
post /api/v1/corrections: public=U admin=F clerk=R reviewer=R head=R secrecy=F supervisor=F root=F outsider=R
post /api/v1/corrections/{id}/decision: public=U admin=F clerk=N reviewer=N head=N secrecy=F supervisor=F root=F outsider=N
get /api/v1/work-plan: public=U admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
post /api/v1/work-plan/report: public=U admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /api/v1/assessment/results: public=U admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /api/v1/participation: public=U admin=F clerk=R reviewer=R head=R secrecy=F supervisor=F root=F outsider=R
post /api/v1/participation: public=U admin=F clerk=R reviewer=R head=R secrecy=F supervisor=F root=F outsider=R
post /api/v1/participation/{id}/reply: public=U admin=F clerk=N reviewer=N head=N secrecy=F supervisor=F root=F outsider=N
get /api/v1/rereview: public=U admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /api/v1/publications: public=U admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
post /api/v1/publications: public=U admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
get /api/v1/publications/{id}: public=U admin=R clerk=R reviewer=R head=R secrecy=R supervisor=N root=N outsider=N
post /api/v1/publications/{id}/actions: public=U admin=R clerk=R reviewer=R head=R secrecy=R supervisor=N root=N outsider=N
get /api/v1/statistics/table3: public=U admin=R clerk=R reviewer=R head=R secrecy=R supervisor=R root=R outsider=R
";

fn code(a: Access) -> char {
    match a {
        Access::Login => 'L',
        Access::Unauthorized => 'U',
        Access::Forbidden => 'F',
        Access::NotFound => 'N',
        Access::Reached => 'R',
    }
}

#[tokio::test]
async fn every_route_answers_each_role_by_its_rule() {
    let declared = declared_routes();
    let rules: Vec<(&str, &str)> = RULES
        .lines()
        .map(|line| line.split_once(": ").expect("METHOD PATH: answers"))
        .collect();
    for (method, path) in &declared {
        let route = format!("{method} {path}");
        assert!(
            rules.iter().any(|(r, _)| *r == route),
            "{route} is in the router but has no rule here: add one to RULES"
        );
    }
    for (route, _) in &rules {
        assert!(
            declared.iter().any(|(m, p)| format!("{m} {p}") == *route),
            "{route} has a rule but is no longer in the router"
        );
    }
    assert!(
        declared.len() >= 90,
        "the router's source was read ({})",
        declared.len()
    );
    let h = harness().await;
    // One browser and one token each, signed in once (argon2 is slow by design).
    let mut asked: Vec<(&str, Client, Option<String>)> = vec![("public", h.client(), None)];
    for who in STAFF {
        asked.push((who, h.login(who).await, Some(h.token(who).await)));
    }
    let mut wrong = Vec::new();
    for (route, expected) in rules {
        let (method, path) = route.split_once(' ').unwrap();
        let mut answers = Vec::new();
        for (who, client, token) in &mut asked {
            let answer = if route == "post /staff/logout" && *who != "public" {
                // Signing out ends that browser's session: a browser of its own.
                let mut once = h.login(who).await;
                ask(&mut once, token.as_deref(), method, path).await
            } else {
                ask(client, token.as_deref(), method, path).await
            };
            answers.push(format!("{who}={}", code(answer)));
        }
        let answers = answers.join(" ");
        if answers != expected {
            wrong.push(format!(
                "{route}:\n  rule:   {expected}\n  answer: {answers}"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "routes that break their rule:\n{}",
        wrong.join("\n")
    );
}
