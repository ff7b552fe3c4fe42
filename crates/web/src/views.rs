//! The page frame and the small pieces every page uses (fields with their errors, tags).

use std::collections::BTreeMap;

use axum::http::StatusCode;
use gongkai_domain::{Agency, Role, catalog::CatalogEntry};
use maud::{DOCTYPE, Markup, html};

use crate::security::{CSRF_FIELD, CsrfToken, Staff};

/// What the frame around a page shows: the agency whose portal it is, or the staff member.
#[derive(Default, Clone, Copy)]
pub struct Chrome<'a> {
    pub agency: Option<&'a Agency>,
    pub staff: Option<&'a Staff>,
    pub csrf: Option<&'a CsrfToken>,
    /// Reload the page every so many seconds (a job's progress; no script needed).
    pub refresh_seconds: Option<u8>,
    /// A page of the 政务公开专区's terminal (kiosk): its own frame, no way off the kiosk, and
    /// everything cleared after this many seconds with nobody at the screen.
    pub kiosk_idle_seconds: Option<u32>,
}

pub fn page(title: &str, chrome: Chrome<'_>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                @if let Some(seconds) = chrome.refresh_seconds { meta http-equiv="refresh" content=(seconds); }
                title { (title) " · 政府信息公开" }
                link rel="stylesheet" href="/static/style.css";
            }
            @if let (Some(idle), Some(agency)) = (chrome.kiosk_idle_seconds, chrome.agency) {
                (kiosk_body(agency, idle, body))
            } @else {
            body {
                a.skip href="#main" { "跳到正文" }
                header.site {
                    @if let Some(staff) = chrome.staff {
                        @let may = |roles: &[Role]| roles.iter().any(|r| staff.actor.has(*r));
                        a.brand href="/staff" { "政府信息公开 · 工作台" }
                        nav aria-label="工作台导航" {
                            // Only what the user's roles may open.
                            a href="/staff" {
                                "我的待办"
                                @if let Some(n) = staff.waiting.filter(|n| *n > 0) {
                                    span.badge #waiting-count { (n) span.visually-hidden { "件等待我处理" } }
                                }
                            }
                            @if may(&[Role::CaseOfficer]) { a href="/staff/register" { "登记申请" } }
                            a href="/staff/publications" { "主动公开" }
                            a href="/staff/interpretations" { "政策解读" }
                            a href="/staff/participation" { "公众参与" }
                            a href="/staff/work-plan" { "工作要点" }
                            a href="/staff/catalog" { "公开目录" }
                            a href="/staff/register20" { "第二十条" }
                            a href="/staff/statistics" { "统计" }
                            a href="/staff/reports" { "年度报告" }
                            @if may(&[Role::Supervisor]) { a href="/staff/supervision" { "下级机关汇总" } a href="/staff/assessment" { "考核" } }
                            a href="/staff/records" { "复议诉讼" }
                            @if may(&[Role::CaseOfficer, Role::Reviewer, Role::OfficeHead]) { a href="/staff/corrections" { "更正申请" } }
                            a href="/staff/rereview" { "定期审查" }
                            a href="/staff/imports" { "导入任务" }
                            a href="/staff/calendar" { "工作日历" }
                            @if may(&[Role::Administrator, Role::Supervisor]) { a href="/staff/audit" { "审计日志" } }
                            @if may(&[Role::Administrator]) { a href="/staff/admin" { "用户与机关" } }
                        }
                        // Who is signed in, and the way out: outside the menu, so a phone's
                        // sideways-scrolling menu never hides them.
                        div.who {
                            span { (staff.user.display_name) "（" (staff.agency_name) "）" }
                            @if let Some(csrf) = chrome.csrf {
                                form method="post" action="/staff/logout" {
                                    (csrf_field(csrf))
                                    button.secondary type="submit" { "退出" }
                                }
                            }
                        }
                    } @else if let Some(agency) = chrome.agency {
                        a.brand href={ "/agencies/" (agency.code) } { (agency.name) " · 政府信息公开" }
                        nav aria-label="公开栏目" {
                            a href={ "/agencies/" (agency.code) } { "首页" }
                            a href={ "/agencies/" (agency.code) "/guide" } { "公开指南" }
                            a href={ "/agencies/" (agency.code) "/publications" } { "公开目录" }
                            a href={ "/agencies/" (agency.code) "/apply" } { "在线申请" }
                            a href={ "/agencies/" (agency.code) "/status" } { "办理进度查询" }
                            a href={ "/agencies/" (agency.code) "/participation" } { "公众参与" }
                            a href={ "/agencies/" (agency.code) "/reports" } { "年度报告" }
                            a href={ "/search?agency=" (agency.code) } { "检索" }
                        }
                    } @else {
                        a.brand href="/" { "政府信息公开" }
                        nav aria-label="公开栏目" {
                            a href="/" { "首页" }
                            a href="/search" { "检索" }
                            a href="/staff/login" { "工作人员登录" }
                        }
                    }
                }
                main #main {
                    // On an agency's pages: where this is, and the way back to the site's home.
                    @if let (None, Some(agency)) = (chrome.staff, chrome.agency) {
                        nav.breadcrumb aria-label="当前位置" {
                            ol {
                                li { a href="/" { "政府信息公开首页" } }
                                @if title == agency.name {
                                    li aria-current="page" { (agency.name) }
                                } @else {
                                    li { a href={ "/agencies/" (agency.code) } { (agency.name) } }
                                    li aria-current="page" { (short(title, 24)) }
                                }
                            }
                        }
                    }
                    (body)
                }
                footer.site {
                    "依据《中华人民共和国政府信息公开条例》（国务院令第711号）提供服务 · "
                    a href="/api/openapi.json" { "数据接口" }
                }
            }
            }
        }
    }
}

/// The terminal's frame: the agency's name and the way home, nothing else to leave by; the
/// script clears the screen after `idle` seconds without a touch (`/static/kiosk.js`).
fn kiosk_body(agency: &Agency, idle: u32, body: Markup) -> Markup {
    let home = format!("/kiosk/{}", agency.code);
    html! {
        body.kiosk data-idle=(idle) data-reset={ (home) "/reset" } {
            header.site {
                span.brand { (agency.name) " · 政务公开专区" }
                nav aria-label="专区导航" { a.button href=(home) { "返回首页" } }
            }
            main #main { (body) }
            footer.site {
                "无人操作" (idle) "秒后，本机自动清除已填写的内容并回到首页。"
            }
            script src="/static/kiosk.js" {}
        }
    }
}

pub fn error_page(status: StatusCode, message: &str) -> Markup {
    let title = match status {
        StatusCode::NOT_FOUND => "未找到",
        StatusCode::FORBIDDEN => "无权访问",
        StatusCode::TOO_MANY_REQUESTS => "操作过于频繁",
        StatusCode::CONFLICT => "无法办理",
        StatusCode::INTERNAL_SERVER_ERROR => "服务器错误",
        _ => "请求有误",
    };
    page(
        title,
        Chrome::default(),
        html! {
            h1 { (title) }
            p.alert role="alert" { (message) }
            @if status == StatusCode::FORBIDDEN {
                p { a.button href="/staff" { "返回工作台" } " " a href="/" { "返回首页" } }
            } @else {
                p { a href="/" { "返回首页" } }
            }
        },
    )
}

pub fn csrf_field(token: &CsrfToken) -> Markup {
    html! { input type="hidden" name=(CSRF_FIELD) value=(token.0); }
}

/// "（暂定）" after a date counted into a year whose holiday notice is not loaded yet.
pub fn provisional_mark(reckoning: &gongkai_law::Reckoning) -> &'static str {
    if reckoning.is_provisional() {
        "（暂定）"
    } else {
        ""
    }
}

/// A submitted form's fields by name.
pub type Fields = BTreeMap<String, String>;

/// A field of a submitted form, trimmed; empty when absent.
pub fn get(fields: &Fields, name: &str) -> String {
    fields
        .get(name)
        .map_or(String::new(), |v| v.trim().to_string())
}

/// The messages of a form that did not pass, by field name, and the values typed.
#[derive(Debug, Default, Clone)]
pub struct FormState {
    pub values: BTreeMap<String, String>,
    pub errors: BTreeMap<String, String>,
}

impl FormState {
    /// The values of a typed form, to show again beside its errors.
    pub fn keep<T: serde::Serialize>(form: &T) -> Self {
        let values = match serde_json::to_value(form) {
            Ok(serde_json::Value::Object(map)) => map
                .into_iter()
                .filter_map(|(k, v)| match v {
                    serde_json::Value::String(s) => Some((k, s)),
                    serde_json::Value::Null => None,
                    other => Some((k, other.to_string())),
                })
                .collect(),
            _ => BTreeMap::new(),
        };
        Self {
            values,
            errors: BTreeMap::new(),
        }
    }

    pub fn value(&self, name: &str) -> &str {
        self.values.get(name).map_or("", String::as_str)
    }

    pub fn error(&self, name: &str) -> Option<&str> {
        self.errors.get(name).map(String::as_str)
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}

pub enum Input<'a> {
    Text,
    Password,
    Date,
    Email,
    Tel,
    TextArea,
    Select(&'a [(&'a str, &'a str)]),
}

/// A labelled field with its hint and, when the form came back, its error and typed value.
pub fn field(
    form: &FormState,
    name: &str,
    label: &str,
    input: Input<'_>,
    required: bool,
    hint: Option<&str>,
) -> Markup {
    let id = format!("f-{name}");
    let error = form.error(name);
    let described = match (hint.is_some(), error.is_some()) {
        (_, true) => Some(format!("{id}-error")),
        (true, false) => Some(format!("{id}-hint")),
        _ => None,
    };
    let value = form.value(name);
    html! {
        div.field.invalid[error.is_some()] {
            label for=(id) { (label) @if required { " " span.muted { "（必填）" } } }
            @if let Some(hint) = hint { span.hint id={ (id) "-hint" } { (hint) } }
            @match input {
                Input::TextArea => {
                    textarea id=(id) name=(name) required[required]
                        aria-invalid=[error.map(|_| "true")] aria-describedby=[described.as_deref()] { (value) }
                }
                Input::Select(options) => {
                    select id=(id) name=(name) required[required]
                        aria-invalid=[error.map(|_| "true")] aria-describedby=[described.as_deref()] {
                        @for (code, text) in options {
                            option value=(code) selected[*code == value] { (text) }
                        }
                    }
                }
                _ => {
                    input id=(id) name=(name) value=(value) required[required]
                        type=(match input { Input::Password => "password", Input::Date => "date",
                            Input::Email => "email", Input::Tel => "tel", _ => "text" })
                        autocomplete=[matches!(input, Input::Password).then_some("current-password")]
                        aria-invalid=[error.map(|_| "true")] aria-describedby=[described.as_deref()];
                }
            }
            @if let Some(error) = error { span.error id={ (id) "-error" } role="alert" { (error) } }
        }
    }
}

/// A due-date tag: red when overdue, amber within 3 working days.
pub fn due_tag(left: Option<i64>) -> Markup {
    match left {
        Some(n) if n < 0 => html! { span.tag.overdue { "已逾期" (-n) "个工作日" } },
        Some(0) => html! { span.tag.soon { "今天到期" } },
        Some(n) if n <= 3 => html! { span.tag.soon { "剩" (n) "个工作日" } },
        Some(n) => html! { span.tag.ok { "剩" (n) "个工作日" } },
        None => html! { span.tag { "期限中止/暂停" } },
    }
}

pub fn row_class(left: Option<i64>) -> &'static str {
    match left {
        Some(n) if n < 0 => "overdue",
        Some(n) if n <= 3 => "soon",
        _ => "",
    }
}

pub fn chrome<'a>(staff: &'a Staff, csrf: &'a CsrfToken) -> Chrome<'a> {
    Chrome {
        staff: Some(staff),
        csrf: Some(csrf),
        agency: None,
        refresh_seconds: None,
        kiosk_idle_seconds: None,
    }
}

pub fn urlencode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn short(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        text.to_string()
    } else {
        text.chars().take(chars).collect::<String>() + "…"
    }
}

/// 张三 → 张*; lists show names masked, the case page shows them to those handling it.
pub fn masked_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) if name.chars().count() > 1 => {
            format!("{first}{}", "*".repeat(name.chars().count().min(4) - 1))
        }
        Some(first) => first.to_string(),
        None => String::new(),
    }
}

/// 附件 of a publication, each linked for download.
pub fn attachment_list(files: &[gongkai_domain::Attachment], base: &str) -> Markup {
    html! {
        @if !files.is_empty() {
            section.attachments {
                h2 { "附件" }
                ul #attachments {
                    @for (i, f) in files.iter().enumerate() {
                        li { a href={ (base) "/" (i) } { (f.name) } " " span.muted { "（" (f.bytes.div_ceil(1024)) " KB）" } }
                    }
                }
            }
        }
    }
}

/// The entries as choices for the drafting form.
pub fn catalog_options(entries: &[CatalogEntry]) -> BTreeMap<String, String> {
    entries
        .iter()
        .map(|e| (e.id.to_string(), format!("{}：{}", e.matter, e.content)))
        .collect()
}

/// A moment as Beijing time, to the minute (`2026-12-02 23:42`).
pub fn beijing_time(t: jiff::Timestamp) -> String {
    let minute = (t.as_second() + 8 * 3600).rem_euclid(86_400) / 60;
    format!(
        "{} {:02}:{:02}",
        gongkai_law::date::china_date(t),
        minute / 60,
        minute % 60
    )
}

/// A case action's name as staff read it (its form, its button, its place in the story).
pub fn case_action_label(code: &str) -> &'static str {
    match code {
        "register" => "确认登记",
        "start_handling" => "开始办理",
        "request_supplement" => "告知补正",
        "receive_supplement" => "收到补正（纸质、邮寄等）",
        "start_consultation" => "征求意见（第三方或其他机关）",
        "end_consultation" => "征求意见结束",
        "extend" => "延期答复",
        "send_fee_notice" => "发出收费通知",
        "deliver_fee_notice" => "收费通知已送达",
        "record_fee_paid" => "已缴费",
        "waive_fee" => "减免信息处理费",
        "ask_for_reasons" => "要求说明理由（第三十五条）",
        "set_reasonable_deadline" => "确定延迟答复的合理期限（第三十五条）",
        "confirm_applicant" => "确认申请人",
        "answer_on_the_spot" => "当场答复（第三十三条第一款）",
        "submit_answer" => "起草答复并提交审核",
        "return_for_revision" => "退回修改",
        "approve_answer" => "审核通过并答复",
        "deliver" => "送达",
        "archive" => "归档",
        "add_note" => "添加备注",
        _ => "办理",
    }
}

/// An audit entry's action (`application.submit_answer`) in words: what was acted on, and how.
/// An action this table does not know keeps its code.
pub fn audit_action(action: &str) -> String {
    let (entity, verb) = action.split_once('.').unwrap_or((action, ""));
    if entity == "application" {
        // A case's actions are named as on its page.
        let verb = match verb {
            "add" => "收到申请",
            "read_personal_data" => "查看个人信息",
            other => case_action_label(other),
        };
        return format!("依申请公开 · {verb}");
    }
    let entity = match entity {
        "applicant" => "申请人",
        "publication" => "主动公开",
        "letter" => "文书",
        "user" => "用户",
        "agency" => "机关",
        "calendar" => "工作日历",
        "catalog" => "公开目录",
        "register" => "第二十条",
        "import" => "批量导入",
        "appeal" => "复议诉讼",
        "training" => "培训",
        "proposal" => "建议提案",
        "annual_report" => "年度报告",
        "imported_report" => "导入的年度报告",
        "correction" => "更正申请",
        "review" => "定期审查",
        "finding_decision" => "报告核查",
        "participation" => "公众参与",
        "key_task" => "工作要点",
        "task_report" => "工作要点落实",
        "assessment_scheme" => "考核办法",
        "assessment_result" => "考核结果",
        _ => return action.to_string(),
    };
    let verb = match verb {
        "add" => "新增",
        "update" | "edit" => "修改",
        "load_notice" => "加载节假日通知",
        "start" => "开始",
        "done" => "完成",
        "failed" => "失败",
        "issue" => "出具",
        "document" => "登记文件",
        "figures" => "填报数字",
        "import" => "导入",
        "disable" => "停用",
        "enable" => "启用",
        "login" => "登录",
        "set_password" => "重设密码",
        "create_api_token" => "创建接口令牌",
        "revoke_api_token" => "撤销接口令牌",
        "link" => "关联",
        "submit" => "提交审核",
        "approve" => "审核通过",
        "reject" => "退回",
        "withdraw" => "撤回",
        "change_validity" => "标注有效性",
        "release" => "发布",
        "confirmed" => "确认",
        "dismissed" => "驳回",
        "decide" => "决定",
        "reply" => "回复",
        "report" => "报告",
        "set" => "设置",
        "became_application" => "转为申请",
        "publish" => "公布",
        other => other,
    };
    format!("{entity} · {verb}")
}
