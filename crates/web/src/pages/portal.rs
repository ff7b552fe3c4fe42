//! 门户 — what the public sees: agencies, the 公开指南 (第十二条), the online application form
//! (第二十九条), the receipt with its query code, the status page with letters and 补正.

use std::sync::Arc;

use axum::{
    extract::{Path, State},
    http::header,
    response::{IntoResponse, Response},
};
use gongkai_domain::{
    Agency, AgencyCode, Application, ApplicationNumber, State as CaseState,
    letters::LetterKind,
    store::{IssuedLetter, Store},
};
use gongkai_law::date::chinese;
use maud::{Markup, html};
use serde::Deserialize;

use crate::{
    app::App,
    error::WebError,
    forms::{KINDS, applicant_from},
    letters,
    security::{ClientIp, CsrfForm, CsrfToken, check_csrf},
    uploads,
    usecases::applications::record_online,
    views::{Chrome, FormState, Input, csrf_field, field, page},
};

type Shared<S> = State<Arc<App<S>>>;

/// Up to this many agencies the home page shows every one; past it, the top two levels, each
/// agency's page listing those under it.
const HOME_CARDS: usize = 60;

pub async fn home<S: Store>(State(app): Shared<S>) -> Result<Markup, WebError> {
    let all = app.agencies().await?;
    // Each agency's parent, looked up once: a province has ten thousand agencies.
    let parent_of: std::collections::HashMap<&AgencyCode, Option<&AgencyCode>> =
        all.iter().map(|a| (&a.code, a.parent.as_ref())).collect();
    let is_root = |parent: Option<&AgencyCode>| parent.is_none_or(|p| !parent_of.contains_key(p));
    let mut agencies: Vec<&Agency> = all
        .iter()
        .filter(|a| {
            let parent = a.parent.as_ref();
            all.len() <= HOME_CARDS
                || is_root(parent)
                || parent
                    .and_then(|p| parent_of.get(p))
                    .is_some_and(|grandparent| is_root(*grandparent))
        })
        .collect();
    agencies.sort_by(|a, b| a.code.cmp(&b.code));
    let elsewhere = all.len() - agencies.len();
    Ok(page(
        "首页",
        Chrome::default(),
        html! {
            h1 { "政府信息公开" }
            p.lead { "公民、法人或者其他组织可以向行政机关申请获取相关政府信息（《政府信息公开条例》第二十七条）。选择机关，查看其公开指南、在线提交申请或查询办理进度。" }
            div.cards {
                @for agency in &agencies {
                    div.card {
                        h3 { a href={ "/agencies/" (agency.code) } { (agency.name) } }
                        p.muted { (agency.level.label()) }
                        p {
                            a href={ "/agencies/" (agency.code) "/apply" } { "在线申请" } " · "
                            a href={ "/agencies/" (agency.code) "/status" } { "进度查询" } " · "
                            a href={ "/agencies/" (agency.code) "/guide" } { "公开指南" }
                        }
                    }
                }
            }
            @if elsewhere > 0 {
                p.muted { "另有 " (elsewhere) " 个机关：请从其上级机关的页面进入（“下属机关”）。" }
            }
            @if agencies.is_empty() {
                p.warning { "尚未设立任何机关。管理员可运行 gongkai admin agency add 添加，或以 gongkai serve --demo 启动演示数据。" }
            }
        },
    ))
}

async fn portal_agency<S: Store>(app: &App<S>, code: &str) -> Result<Agency, WebError> {
    app.agency_named(code).await
}

pub async fn agency_home<S: Store>(
    State(app): Shared<S>,
    Path(code): Path<String>,
) -> Result<Markup, WebError> {
    let agency = portal_agency(&app, &code).await?;
    let all = app.agencies().await?;
    let mut below: Vec<&Agency> = all
        .iter()
        .filter(|a| a.parent.as_ref() == Some(&agency.code))
        .collect();
    below.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(page(
        &agency.name,
        Chrome {
            agency: Some(&agency),
            ..Chrome::default()
        },
        html! {
            h1 { (agency.name) }
            div.cards {
                div.card {
                    h3 { a href={ "/agencies/" (agency.code) "/publications" } { "政府信息公开目录" } }
                    p { "本机关主动公开的政府信息，按目录分类，可检索、订阅（第二十条、第二十三条）。" }
                }
                div.card {
                    h3 { a href={ "/agencies/" (agency.code) "/guide" } { "政府信息公开指南" } }
                    p { "公开的方式和途径、申请的受理机构、办公时间、收费和救济渠道（第十二条）。" }
                }
                div.card {
                    h3 { a href={ "/agencies/" (agency.code) "/apply" } { "在线申请政府信息公开" } }
                    p { "填写申请，提交后获得申请编号和查询码，凭此查询进度、补正和下载答复书。" }
                }
                div.card {
                    h3 { a href={ "/agencies/" (agency.code) "/status" } { "办理进度查询" } }
                    p { "输入申请编号和查询码。" }
                }
                div.card {
                    h3 { a href={ "/agencies/" (agency.code) "/reports" } { "政府信息公开工作年度报告" } }
                    p { "每年1月31日前公布上一年度报告（第四十九条、第五十条）。" }
                }
                div.card {
                    h3 { a href={ "/agencies/" (agency.code) "/participation" } { "公众参与" } }
                    p { "来信和本机关的回复（经来信人同意公开的）。" }
                }
                @if !below.is_empty() {
                    div.card {
                        h3 { a href={ "/agencies/" (agency.code) "/work-plan" } { "政务公开工作要点" } }
                        p { "本机关部署的年度任务及下级机关的完成情况。" }
                    }
                    div.card {
                        h3 { a href={ "/agencies/" (agency.code) "/assessment" } { "政务公开工作考核结果" } }
                        p { "本机关对下级机关政务公开工作的考核排名和失分依据。" }
                    }
                }
            }
            @if !below.is_empty() {
                section {
                    h2 { "下属机关" }
                    ul.columns {
                        @for a in &below { li { a href={ "/agencies/" (a.code) } { (a.name) } } }
                    }
                }
            }
        },
    ))
}

/// The setting, or a general word where the agency has not filled it in yet.
fn or_text<'a>(value: &'a str, general: &'a str) -> &'a str {
    if value.trim().is_empty() {
        general
    } else {
        value.trim()
    }
}

pub async fn guide<S: Store>(
    State(app): Shared<S>,
    Path(code): Path<String>,
) -> Result<Markup, WebError> {
    let agency = portal_agency(&app, &code).await?;
    let office = &agency.settings.office;
    let or_missing = |text: &str| -> Markup {
        if text.trim().is_empty() {
            html! { span.muted { "（机关尚未填写）" } }
        } else {
            html! { (text) }
        }
    };
    Ok(page(
        "政府信息公开指南",
        Chrome {
            agency: Some(&agency),
            ..Chrome::default()
        },
        html! {
            h1 { (agency.name) "政府信息公开指南" }
            p.muted { "根据《中华人民共和国政府信息公开条例》第十二条编制。" }
            h2 { "一、主动公开" }
            p { "本机关主动公开的政府信息，通过本机关门户网站、政务新媒体、政务服务场所和公开栏等途径公开，自信息形成或者变更之日起20个工作日内予以公开（第二十三条、第二十四条、第二十六条）。" }
            h3 { "政府信息的分类和编排体系" }
            p {
                "本机关的" a href={ "/agencies/" (agency.code) "/publications" } { "政府信息公开目录" }
                "按公开类别分类（如机构职能、政策文件、规划计划、财政信息、重点领域信息、政务动态、政府信息公开年度报告），类别下可再分子类；每条信息载明索引号、发布机构、成文日期、发布日期、文号、主题分类和有效性，按发布日期由新到旧编排。可按类别和年份筛选、全文检索，亦可通过 Atom 订阅更新。索引号由机关代码、年份和顺序号组成，一经使用不再重复。已发布的信息变更后，以新版本重新审核发布，原页面保留并指向新版本。"
            }
            p {
                "本机关应当主动公开的事项、各事项的内容概述、公开依据、时限和主体，见"
                a href={ "/agencies/" (agency.code) "/catalog" } { "主动公开基本目录" } "。"
            }
            h2 { "二、依申请公开" }
            h3 { "（一）受理机构" }
            dl.meta {
                dt { "名称" } dd { (agency.name) "政府信息公开工作机构" }
                dt { "网上申请" } dd { a href={ "/agencies/" (agency.code) "/apply" } { "本网站在线申请" } "；" a href={ "/agencies/" (agency.code) "/status" } { "办理进度查询" } }
                dt { "办公地址" } dd { (or_missing(&office.address)) }
                dt { "邮政编码" } dd { (or_missing(&office.postcode)) }
                dt { "办公时间" } dd { (or_missing(&office.hours)) }
                dt { "联系电话" } dd { (or_missing(&office.phone)) }
                dt { "传真" } dd { (or_missing(&office.fax)) }
                dt { "电子邮箱" } dd { (or_missing(&office.email)) }
            }
            h3 { "（二）申请方式" }
            p { "申请人可以通过以下方式提出申请，并应当提交书面申请（第二十九条）：" }
            ul {
                li { "在线申请：" a href={ "/agencies/" (agency.code) "/apply" } { "填写在线申请表" } "（提交后本网站即出具载有申请编号和查询码的回执，出具回执之日为双方确认之日，即收到申请之日，第三十一条第三项）；" }
                li { "当面提交：到上述地址提交申请表（以提交之日为收到申请之日，第三十一条第一项）；" }
                li { "邮寄：寄至上述地址，信封注明“政府信息公开申请”（以本机关签收之日为收到申请之日，第三十一条第二项）；" }
                li { "传真、电子邮件：以双方确认之日为收到申请之日（第三十一条第三项）。" }
            }
            p { "申请应当包括：申请人的姓名或者名称、身份证明、联系方式；申请公开的政府信息的名称、文号或者便于行政机关查询的其他特征性描述；申请公开的政府信息的形式要求，包括获取信息的方式、途径（第二十九条第二款）。" }
            h3 { "（三）办理时限" }
            p { "能够当场答复的，当场予以答复；不能当场答复的，自收到申请之日起20个工作日内予以答复；需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不超过20个工作日（第三十三条）。征求第三方和其他机关意见所需时间不计算在前款规定的期限内。申请内容不明确的，本机关在收到申请之日起7个工作日内一次性告知补正，答复期限自收到补正的申请之日起计算（第三十条）。补正期限为自告知之日起" (agency.settings.supplement_period) "个工作日（本机关设置），无正当理由逾期不补正的，视为放弃申请。" }
            h3 { "（四）收费" }
            p { "行政机关依申请提供政府信息，不收取费用。但是，申请人申请公开政府信息的数量、频次明显超过合理范围的，行政机关可以收取信息处理费（第四十二条；《政府信息公开信息处理费管理办法》，国办函〔2020〕109号）。" }
            h2 { "三、监督和救济" }
            p { "公民、法人或者其他组织认为行政机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关或者政府信息公开工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼（第五十一条）。" }
            @for paragraph in gongkai_law::appeal::guide_paragraphs(
                or_text(&agency.settings.reconsideration_body, "行政复议机关"),
                or_text(&agency.settings.court, "人民法院"),
            ) {
                p { (paragraph) }
            }
            @if !agency.settings.reconsideration_first.is_empty() {
                p { "本机关另将以下答复也作为先行申请行政复议的情形（本机关设置）："
                    (agency.settings.reconsideration_first.iter().map(|o| o.short_label()).collect::<Vec<_>>().join("、")) "。" }
            }
            dl.meta {
                dt { "行政复议机关" } dd { (or_missing(&agency.settings.reconsideration_body)) }
                dt { "管辖人民法院" } dd { (or_missing(&agency.settings.court)) }
            }
        },
    ))
}

const ID_TYPES: [(&str, &str); 3] = [
    ("resident_id", "居民身份证（自然人）"),
    ("credit_code", "统一社会信用代码（法人或其他组织）"),
    ("other", "其他有效证件（护照、港澳台居民居住证等）"),
];

const FORMS: [(&str, &str); 4] = [
    ("电子文档（在线下载）", "电子文档，在本网站下载"),
    ("电子文档（电子邮件）", "电子文档，发送电子邮件"),
    ("纸质文本（邮寄）", "纸质文本，邮寄"),
    ("纸质文本（自行领取）", "纸质文本，当面领取"),
];

/// Where an application is made: the portal, or a terminal in the service hall's 政务公开专区
/// (the same form and rules; the terminal's pages keep nothing for the next person).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    Portal,
    Kiosk { idle_seconds: u32 },
}

impl Surface {
    pub fn kiosk<S>(app: &App<S>) -> Self {
        Self::Kiosk {
            idle_seconds: app.config.kiosk_idle_seconds,
        }
    }

    pub fn is_kiosk(self) -> bool {
        matches!(self, Self::Kiosk { .. })
    }

    /// The agency's pages on this surface.
    pub fn base(self, agency: &AgencyCode) -> String {
        match self {
            Self::Portal => format!("/agencies/{agency}"),
            Self::Kiosk { .. } => format!("/kiosk/{agency}"),
        }
    }

    pub fn chrome(self, agency: &Agency) -> Chrome<'_> {
        Chrome {
            agency: Some(agency),
            kiosk_idle_seconds: match self {
                Self::Portal => None,
                Self::Kiosk { idle_seconds } => Some(idle_seconds),
            },
            ..Chrome::default()
        }
    }

    /// How long the receipt stays in the browser: an hour at home, minutes on a terminal.
    fn receipt_seconds(self) -> i64 {
        match self {
            Self::Portal => 60 * 60,
            Self::Kiosk { .. } => 10 * 60,
        }
    }
}

pub(crate) fn apply_form(
    agency: &Agency,
    csrf: &CsrfToken,
    form: &FormState,
    surface: Surface,
) -> Markup {
    let kiosk = surface.is_kiosk();
    page(
        "在线申请",
        surface.chrome(agency),
        html! {
            h1 { "政府信息公开申请表" }
            p { "向" strong { (agency.name) } "申请获取政府信息。带“必填”的项目是《政府信息公开条例》第二十九条要求的内容。" }
            @if form.has_errors() {
                div.alert role="alert" {
                    p { strong { "申请尚未提交，请修改以下" (form.errors.len()) "处：" } }
                    ul { @for (name, message) in &form.errors { li { a href={ "#f-" (name) } { (message) } } } }
                    @if !form.value("had_files").is_empty() { p { "出于安全原因，附件需要重新选择。" } }
                }
            }
            form.stack method="post" enctype="multipart/form-data" action={ (surface.base(&agency.code)) "/apply" } novalidate autocomplete=[kiosk.then_some("off")] {
                (csrf_field(csrf))
                // One token per filled-in form: sent twice (reload, back and again), it
                // leads to the receipt of the application it made, not to a second one.
                input type="hidden" name="submission" value=(submission_token(form));
                fieldset {
                    legend { "申请人信息" }
                    (field(form, "kind", "申请人类型", Input::Select(&KINDS), true, None))
                    (field(form, "name", "姓名或名称", Input::Text, true, None))
                    (field(form, "id_type", "身份证明类型", Input::Select(&ID_TYPES), true, None))
                    (field(form, "id_number", "证件号码", Input::Text, true, Some("居民身份证18位；统一社会信用代码18位。")))
                    (field(form, "id_name", "其他证件名称", Input::Text, false, Some("选择“其他有效证件”时填写，如“护照”。")))
                    (field(form, "phone", "联系电话", Input::Tel, true, None))
                    (field(form, "email", "电子邮箱", Input::Email, false, None))
                    (field(form, "address", "通信地址", Input::Text, false, Some("需要邮寄纸质文本时必填。")))
                }
                fieldset {
                    legend { "所需信息" }
                    (field(form, "content", "所需政府信息的名称、文号或者便于查询的其他特征性描述", Input::TextArea, true, Some("写得越具体，越快答复。例：《××街道2023年老旧小区改造实施方案》（太政发〔2023〕5号）。")))
                    (field(form, "wanted_form", "获取信息的方式、途径", Input::Select(&FORMS), true, None))
                    // A terminal has no files of the applicant's to attach.
                    @if !kiosk {
                    div.field.invalid[form.error("files").is_some()] {
                        label for="f-files" { "附件（可选）" }
                        span.hint id="f-files-hint" { "身份证明复印件等，PDF、JPG、PNG、Word、Excel 或文本文件，每个不超过20MB，最多10个。" }
                        input #f-files type="file" name="files" multiple aria-describedby="f-files-hint";
                        @if let Some(error) = form.error("files") { span.error role="alert" { (error) } }
                    }
                    }
                }
                div.field.invalid[form.error("confirm").is_some()] {
                    label {
                        input type="checkbox" name="confirm" value="yes" checked[form.value("confirm") == "yes"];
                        " 本人确认以上信息真实、准确，并知悉提交后本机关将据此办理。"
                    }
                    @if let Some(error) = form.error("confirm") { span.error id="f-confirm" role="alert" { (error) } }
                }
                p { button type="submit" { "提交申请" } }
            }
        },
    )
}

pub async fn apply_page<S: Store>(
    State(app): Shared<S>,
    Path(code): Path<String>,
    csrf: CsrfToken,
) -> Result<Markup, WebError> {
    let agency = portal_agency(&app, &code).await?;
    Ok(apply_form(
        &agency,
        &csrf,
        &FormState::default(),
        Surface::Portal,
    ))
}

pub async fn apply_submit<S: Store>(
    State(app): Shared<S>,
    Path(code): Path<String>,
    ip: ClientIp,
    csrf: CsrfToken,
    request: axum::extract::Request,
) -> Result<Response, WebError> {
    submit_application(&app, &code, ip, &csrf, request, Surface::Portal).await
}

/// An application sent from the form on `surface`: checked, recorded, and its receipt shown
/// by POST-redirect-GET; the form again with its errors otherwise.
pub async fn submit_application<S: Store>(
    app: &App<S>,
    code: &str,
    ip: ClientIp,
    csrf: &CsrfToken,
    request: axum::extract::Request,
    surface: Surface,
) -> Result<Response, WebError> {
    if !app.public_limiter.allow(ip.0, app.now()) {
        return Err(WebError::TooManyRequests);
    }
    let agency = portal_agency(app, code).await?;
    let request_receipt = crate::security::cookie(request.headers(), RECEIPT_COOKIE);
    // Read here, not by an extractor: the rate limit above is checked before the body is.
    let submitted = uploads::read(uploads::multipart_of(request).await?).await?;
    check_csrf(csrf, submitted.get(crate::security::CSRF_FIELD))?;
    // The same filled-in form again (reload, or back and send): its receipt, whatever the
    // fields now say.
    if let Some(done) =
        already_submitted(app, &agency, &submitted, &request_receipt, surface).await?
    {
        return Ok(done);
    }
    let mut form = FormState {
        values: submitted
            .fields
            .iter()
            .filter(|(k, _)| k.as_str() != crate::security::CSRF_FIELD)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        ..FormState::default()
    };
    if !submitted.files.is_empty() {
        form.values.insert("had_files".into(), "yes".into());
    }
    let get = |name: &str| submitted.get(name).to_string();
    let applicant = applicant_from(&get, &mut form);
    let content = submitted.get("content");
    if content.chars().count() < 4 {
        form.errors.insert(
            "content".into(),
            "请写明所需政府信息的名称、文号或便于查询的特征描述（第二十九条）".into(),
        );
    }
    let wanted = submitted.get("wanted_form");
    if !FORMS.iter().any(|(c, _)| *c == wanted) {
        form.errors
            .insert("wanted_form".into(), "请选择获取信息的方式".into());
    }
    if submitted.get("confirm") != "yes" {
        form.errors
            .insert("confirm".into(), "请确认所填信息真实、准确后再提交".into());
    }
    let applicant = match applicant {
        Some(a) if !form.has_errors() => a,
        _ => {
            return Ok((
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                apply_form(&agency, csrf, &form, surface),
            )
                .into_response());
        }
    };
    crate::usecases::applications::take_daily_quota(app, ip.0, &applicant).await?;
    let (application, query_code) =
        match record_online(app, &agency, applicant, content, wanted, &submitted.files).await {
            Ok(done) => done,
            Err(WebError::Field { field, message }) => {
                form.errors.insert(field, message);
                return Ok((
                    axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                    apply_form(&agency, csrf, &form, surface),
                )
                    .into_response());
            }
            Err(e) => return Err(e),
        };
    tracing::info!(agency = %agency.code, number = %application.number, "online application received");
    let receipt = Receipt {
        submission: valid_submission(submitted.get("submission")).unwrap_or_default(),
        number: application.number.to_string(),
        code: query_code,
    };
    Ok(to_receipt(app, &agency, &receipt, surface))
}

/// The cookie that carries a receipt from the submission to the page that shows it
/// (POST-redirect-GET): only in the applicant's browser, for an hour.
pub(crate) const RECEIPT_COOKIE: &str = "gk_receipt";

/// What the receipt page shows, as the cookie carries it: `submission.number.code`.
struct Receipt {
    submission: String,
    number: String,
    code: String,
}

impl Receipt {
    fn parse(cookie: &str) -> Option<Self> {
        let mut parts = cookie.splitn(3, '.');
        let (submission, number, code) = (parts.next()?, parts.next()?, parts.next()?);
        let plain =
            |s: &str| s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        (plain(submission) && plain(number) && plain(code)).then(|| Self {
            submission: submission.to_string(),
            number: number.to_string(),
            code: code.to_string(),
        })
    }
}

fn submission_token(form: &FormState) -> String {
    valid_submission(form.value("submission")).unwrap_or_else(|| crate::security::secret(24))
}

fn valid_submission(token: &str) -> Option<String> {
    (!token.is_empty() && token.len() <= 64 && token.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then(|| token.to_string())
}

fn to_receipt<S: Store>(
    app: &App<S>,
    agency: &Agency,
    receipt: &Receipt,
    surface: Surface,
) -> Response {
    (
        axum::http::StatusCode::SEE_OTHER,
        [
            (
                header::LOCATION,
                axum::http::HeaderValue::from_str(&format!(
                    "{}/receipt",
                    surface.base(&agency.code)
                ))
                .expect("agency codes are ASCII"),
            ),
            (
                header::SET_COOKIE,
                crate::security::set_cookie(
                    RECEIPT_COOKIE,
                    &format!("{}.{}.{}", receipt.submission, receipt.number, receipt.code),
                    surface.receipt_seconds(),
                    app.config.secure_cookies,
                ),
            ),
        ],
    )
        .into_response()
}

/// The same filled-in form sent again by this browser: its receipt, not a second application.
async fn already_submitted<S: Store>(
    app: &App<S>,
    agency: &Agency,
    submitted: &uploads::Submitted,
    cookie: &Option<String>,
    surface: Surface,
) -> Result<Option<Response>, WebError> {
    let Some(token) = valid_submission(submitted.get("submission")) else {
        return Ok(None);
    };
    let Some(receipt) = cookie.as_deref().and_then(Receipt::parse) else {
        return Ok(None);
    };
    if receipt.submission != token || receipt_application(app, agency, &receipt).await?.is_none() {
        return Ok(None);
    }
    Ok(Some(to_receipt(app, agency, &receipt, surface)))
}

/// The application a receipt names, when its query code is right.
async fn receipt_application<S: Store>(
    app: &App<S>,
    agency: &Agency,
    receipt: &Receipt,
) -> Result<Option<Application>, WebError> {
    let Ok(number) = ApplicationNumber::parse(&receipt.number) else {
        return Ok(None);
    };
    let found = app.store.application(&agency.code, &number).await?;
    Ok(found.filter(|a| a.query_code_matches(&receipt.code)))
}

/// 回执: shown to the browser that submitted the application, for an hour, as often as it is
/// reloaded; nowhere else.
pub async fn receipt<S: Store>(
    State(app): Shared<S>,
    Path(code): Path<String>,
    headers: axum::http::HeaderMap,
) -> Result<Response, WebError> {
    show_receipt(&app, &code, &headers, Surface::Portal).await
}

/// The receipt page on `surface`; on a terminal it prints (a print stylesheet) and ends with
/// a button that clears it for the next person.
pub async fn show_receipt<S: Store>(
    app: &App<S>,
    code: &str,
    headers: &axum::http::HeaderMap,
    surface: Surface,
) -> Result<Response, WebError> {
    let kiosk = surface.is_kiosk();
    let agency = portal_agency(app, code).await?;
    let base = surface.base(&agency.code);
    let receipt = crate::security::cookie(headers, RECEIPT_COOKIE)
        .as_deref()
        .and_then(Receipt::parse);
    let application = match &receipt {
        Some(receipt) => receipt_application(app, &agency, receipt).await?,
        None => None,
    };
    let chrome = surface.chrome(&agency);
    let no_store = [(header::CACHE_CONTROL, "no-store")];
    let (Some(receipt), Some(application)) = (receipt, application) else {
        return Ok((
            axum::http::StatusCode::NOT_FOUND,
            no_store,
            page(
                "回执",
                chrome,
                html! {
                    h1 { "回执已不在本页" }
                    p { "回执只在提交申请的浏览器中短时保留。请凭申请编号和查询码查询办理进度；忘记查询码的，请联系受理机关。" }
                    @if kiosk {
                        p { a.button href=(base) { "返回首页" } }
                    } @else {
                        p { a.button href={ (base) "/status" } { "查询办理进度" } }
                    }
                },
            ),
        )
            .into_response());
    };
    let due = application
        .deadline(&app.calendar(), agency.settings.fee_wait_pauses_clock, None)
        .ok()
        .and_then(|d| d.due);
    Ok((
        no_store,
        page(
            "申请已提交",
            chrome,
            html! {
                h1 { "申请已提交" }
                div.receipt role="status" {
                    p { "申请编号" br; span.code #number { (application.number) } }
                    p { "查询码" br; span.code #query-code { (receipt.code) } }
                    @if kiosk {
                        p.warning.no-print { "请打印本回执或记下申请编号和查询码：凭查询码查询进度、提交补正和下载答复书。离开前请点“完成”，本机将清除本页信息。" }
                    } @else {
                        p.warning { "请记下或截图保存申请编号和查询码：凭查询码查询进度、提交补正和下载答复书。本页关闭1小时后不再显示查询码。" }
                    }
                    dl.meta {
                        dt { "受理机关" } dd { (agency.name) }
                        dt { "提交日期" } dd { (chinese(application.received)) }
                        dt { "附件" } dd { (application.attachments.len()) "个" }
                        @if let Some(due) = due {
                            dt { "答复期限" } dd { "自收到之日起20个工作日内答复，不晚于" (chinese(due)) "（第三十三条）" }
                        }
                    }
                    p.muted { "本回执即为双方确认：通过互联网提交的申请，以出具本回执之日（" (chinese(application.received)) "）为收到申请之日（第三十一条第三项）。" }
                }
                @if kiosk {
                    p.buttons.no-print {
                        button #print type="button" data-print { "打印回执" }
                        a.button.secondary #done href={ (base) "/reset" } { "完成（清除本页信息）" }
                    }
                } @else {
                    p { a.button href={ (base) "/status?number=" (application.number) } { "查询办理进度" } }
                }
            },
        ),
    )
        .into_response())
}

/// The steps an applicant sees, in order (补正 and 审核 are passing states of 办理).
const PROGRESS: [(&str, u8); 5] = [
    ("收到申请", 0),
    ("登记", 1),
    ("办理", 2),
    ("答复", 3),
    ("送达", 4),
];

fn progress_step(state: CaseState) -> u8 {
    match state {
        CaseState::Pending => 0,
        CaseState::Registered => 1,
        CaseState::AwaitingSupplement | CaseState::InProgress | CaseState::UnderReview => 2,
        CaseState::Answered => 3,
        CaseState::Delivered | CaseState::Archived => 4,
    }
}

#[derive(Deserialize)]
pub struct StatusQuery {
    #[serde(default)]
    number: String,
}

pub async fn status_page<S: Store>(
    State(app): Shared<S>,
    Path(code): Path<String>,
    axum::extract::Query(query): axum::extract::Query<StatusQuery>,
    csrf: CsrfToken,
) -> Result<Markup, WebError> {
    let agency = portal_agency(&app, &code).await?;
    let form = FormState {
        values: [("number".to_string(), query.number)].into(),
        ..FormState::default()
    };
    Ok(status_form(&agency, &csrf, &form))
}

fn status_form(agency: &Agency, csrf: &CsrfToken, form: &FormState) -> Markup {
    page(
        "办理进度查询",
        Chrome {
            agency: Some(agency),
            ..Chrome::default()
        },
        html! {
            h1 { "办理进度查询" }
            @if let Some(e) = form.error("lookup") { p.alert role="alert" { (e) } }
            form.stack method="post" action={ "/agencies/" (agency.code) "/status" } {
                (csrf_field(csrf))
                (field(form, "number", "申请编号", Input::Text, true, Some("例：2026-W0001")))
                (field(form, "code", "查询码", Input::Text, true, Some("提交申请时页面显示的10位查询码")))
                p { button type="submit" { "查询" } }
            }
        },
    )
}

#[derive(Deserialize)]
pub struct Lookup {
    #[serde(default)]
    number: String,
    #[serde(default)]
    code: String,
    /// 补正内容 (only for the supplement form)
    #[serde(default)]
    supplement: String,
    /// Which letter (or answer attachment) to download, by its place; and how.
    #[serde(default)]
    letter: String,
    #[serde(default)]
    format: String,
}

/// Finds the application only when the number and the query code match; anything else
/// gets the same answer, so a wrong code reveals nothing (not even that the number exists).
async fn look_up<S: Store>(
    app: &App<S>,
    agency: &Agency,
    lookup: &Lookup,
    ip: ClientIp,
) -> Result<Option<Application>, WebError> {
    if !app.public_limiter.allow(ip.0, app.now()) {
        return Err(WebError::TooManyRequests);
    }
    let Ok(number) = ApplicationNumber::parse(&lookup.number) else {
        return Ok(None);
    };
    let found = app.store.application(&agency.code, &number).await?;
    Ok(found.filter(|a| a.query_code_matches(&lookup.code)))
}

const NOT_FOUND: &str = "申请编号或查询码不正确。请核对后重试；忘记查询码的，请联系受理机关。";

/// The agency and the application a request names with its number and query code, or the
/// same "not found" whatever was wrong.
async fn applicants_own<S: Store>(
    app: &App<S>,
    code: &str,
    lookup: &Lookup,
    ip: ClientIp,
) -> Result<(Agency, Application), WebError> {
    let agency = portal_agency(app, code).await?;
    match look_up(app, &agency, lookup, ip).await? {
        Some(application) => Ok((agency, application)),
        None => Err(WebError::NotFound(NOT_FOUND.into())),
    }
}

pub async fn status_lookup<S: Store>(
    State(app): Shared<S>,
    Path(code): Path<String>,
    ip: ClientIp,
    csrf: CsrfToken,
    CsrfForm(lookup): CsrfForm<Lookup>,
) -> Result<Response, WebError> {
    let agency = portal_agency(&app, &code).await?;
    let Some(application) = look_up(&app, &agency, &lookup, ip).await? else {
        let form = FormState {
            values: [("number".to_string(), lookup.number.clone())].into(),
            errors: [("lookup".to_string(), NOT_FOUND.to_string())].into(),
        };
        return Ok((
            axum::http::StatusCode::NOT_FOUND,
            status_form(&agency, &csrf, &form),
        )
            .into_response());
    };
    let letters = public_letters(&app, &agency, &application).await?;
    Ok(status_view(
        &app,
        &agency,
        &csrf,
        &application,
        &letters,
        Shown {
            code: &lookup.code,
            message: None,
            supplement: &FormState::default(),
        },
    )
    .into_response())
}

async fn public_letters<S: Store>(
    app: &App<S>,
    agency: &Agency,
    application: &Application,
) -> Result<Vec<IssuedLetter>, WebError> {
    Ok(app
        .store
        .letters(&agency.code, &application.number)
        .await?
        .into_iter()
        // The consultation letter goes to the third party, not to the applicant.
        .filter(|l| l.kind != LetterKind::ConsultationLetter)
        .collect())
}

/// What the status page shows besides the case: the code it was opened with, a message after
/// a change, and the 补正 form as typed.
struct Shown<'a> {
    code: &'a str,
    message: Option<&'a str>,
    supplement: &'a FormState,
}

fn status_view<S: Store>(
    app: &App<S>,
    agency: &Agency,
    csrf: &CsrfToken,
    application: &Application,
    letters: &[IssuedLetter],
    shown: Shown<'_>,
) -> Markup {
    let Shown {
        code,
        message,
        supplement,
    } = shown;
    let deadline = application
        .deadline(
            &app.calendar(),
            agency.settings.fee_wait_pauses_clock,
            Some(app.today()),
        )
        .ok();
    page(
        "办理进度",
        Chrome {
            agency: Some(agency),
            ..Chrome::default()
        },
        html! {
            h1 { "申请 " (application.number) " 的办理进度" }
            @if let Some(message) = message { p.notice role="status" { (message) } }
            // Where the application is on its way, and what that means.
            ol.progress aria-label="办理环节" {
                @for (state, step) in PROGRESS {
                    @let here = progress_step(application.state) == step;
                    @let passed = progress_step(application.state) > step;
                    li class=(if here { "here" } else if passed { "done" } else { "" }) aria-current=[here.then_some("step")] { (state) }
                }
            }
            dl.meta {
                dt { "状态" } dd #state { strong { (application.state.label()) } br; span.muted #state-explained { (application.state.explained()) } }
                dt { "受理机关" } dd { (agency.name) }
                dt { "收到日期" } dd { (chinese(application.received)) }
                dt { "申请内容" } dd { (application.content) }
                @if application.state.is_open() {
                    @if let Some(d) = &deadline {
                        dt { "答复期限" }
                        dd {
                            @match d.due { Some(due) => { (chinese(due)) @if d.is_provisional() { (gongkai_domain::letters::PROVISIONAL) } }, None => { (d.state.label()) } }
                        }
                    }
                }
                @if let Some(pause) = application.open_pause(&app.calendar()).filter(|_| application.state.is_open()) {
                    dt { "征求意见" }
                    dd #consultation {
                        "本机关正在征求" (pause.kind.label()) "意见，至" (chinese(pause.due.date)) (crate::views::provisional_mark(&pause.due))
                        "止；征求意见的时间不计入答复期限（第三十三条第二款）。"
                    }
                }
                @if let Some(answer) = application.answer.as_ref().filter(|_| application.answered_on.is_some()) {
                    dt { "办理结果" } dd { (answer.outcome.label()) }
                }
            }
            @if application.state == CaseState::AwaitingSupplement {
                h2 { "需要补正" }
                p.warning {
                    "本机关认为申请内容不够明确，请补正：" strong { (application.letter_facts.supplement.as_deref().unwrap_or("（见补正告知书）")) } "。"
                    @if let Some(due) = application.supplement_due(&app.calendar()) {
                        "请于" strong #supplement-due { (chinese(due.date)) } (crate::views::provisional_mark(&due)) "前（含当日）提交补正；"
                    }
                    "无正当理由逾期不补正的，视为放弃申请（第三十条）。"
                }
                form.stack method="post" action={ "/agencies/" (agency.code) "/status/supplement" } {
                    (csrf_field(csrf))
                    input type="hidden" name="number" value=(application.number);
                    input type="hidden" name="code" value=(code);
                    (field(supplement, "supplement", "补正内容", Input::TextArea, true, Some("写明所需信息的名称、文号或便于查询的特征描述")))
                    p { button type="submit" { "提交补正" } }
                }
            }
            @if let (Some(fee), true) = (&application.letter_facts.fee, application.state.is_open()) {
                h2 { "信息处理费" }
                p #fee {
                    "应缴信息处理费 " strong { (application.letter_facts.fee_yuan.unwrap_or(fee.charged_yuan)) "元" }
                    "（" (fee.method.label()) "，国办函〔2020〕109号；计算方法见收费通知）。"
                    @if fee.waiver.is_some() { "已减免。" }
                    @match application.fee_payment_due(&app.calendar()) {
                        Some(due) => { "请于" strong { (chinese(due.date)) } (crate::views::provisional_mark(&due)) "前（含当日）缴纳，缴费方式：" (agency.settings.fee_payment) "。逾期未缴纳的，视为放弃申请。" },
                        None => { "请自收到收费通知次日起20个工作日内缴纳。" },
                    }
                }
            }
            @if let Some(later) = application.letter_facts.reasonable_deadline.as_ref().filter(|_| application.state.is_open()) {
                p #reasonable-deadline { "本机关已确定延迟答复的合理期限至" strong { (chinese(later.due)) } "（第三十五条）。" }
            }
            @if let Some(files) = application.answer.as_ref().filter(|a| application.answered_on.is_some() && !a.attachments.is_empty()).map(|a| &a.attachments) {
                h2 { "答复附件" }
                p.muted { "答复书所附的政府信息文件。" }
                ul.files #answer-attachments {
                    @for (i, file) in files.iter().enumerate() {
                        li.buttons {
                            form.inline method="post" action={ "/agencies/" (agency.code) "/status/attachment" } {
                                (csrf_field(csrf))
                                input type="hidden" name="number" value=(application.number);
                                input type="hidden" name="code" value=(code);
                                input type="hidden" name="letter" value=(i);
                                button.secondary #{ "answer-attachment-" (i) } type="submit" { "下载 " (file.name) }
                            }
                            span.muted { (file.bytes / 1024 + 1) " KB" }
                        }
                    }
                }
            }
            h2 { "文书" }
            @if letters.is_empty() {
                p.muted { "暂无文书。" }
            } @else {
                table {
                    thead { tr { th { "文书" } th { "文号" } th { "日期" } th { "下载" } } }
                    tbody {
                        @for (i, letter) in letters.iter().enumerate() {
                            tr {
                                td { (letter.document.title) }
                                td { (letter.number) }
                                td { (chinese(letter.issued_on)) }
                                td {
                                    @for (format, label) in letters::FORMATS {
                                        form.inline method="post" action={ "/agencies/" (agency.code) "/status/letter" } {
                                            (csrf_field(csrf))
                                            input type="hidden" name="number" value=(application.number);
                                            input type="hidden" name="code" value=(code);
                                            input type="hidden" name="letter" value=(i);
                                            input type="hidden" name="format" value=(format);
                                            button.secondary type="submit" aria-label={ "下载" (letter.document.title) "（" (label) "）" } { (label) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

pub async fn supplement<S: Store>(
    State(app): Shared<S>,
    Path(code): Path<String>,
    ip: ClientIp,
    csrf: CsrfToken,
    CsrfForm(lookup): CsrfForm<Lookup>,
) -> Result<Response, WebError> {
    let (agency, application) = applicants_own(&app, &code, &lookup, ip).await?;
    let (changed, event) =
        match application.supplement_by_applicant(&lookup.supplement, app.now(), app.today()) {
            Ok(done) => done,
            // Empty or too long: the same page, the text kept, the message beside it.
            Err(gongkai_domain::DomainError::Invalid { message, .. }) => {
                let mut form = FormState::default();
                form.values
                    .insert("supplement".into(), lookup.supplement.clone());
                form.errors.insert("supplement".into(), message);
                let letters = public_letters(&app, &agency, &application).await?;
                let page = status_view(
                    &app,
                    &agency,
                    &csrf,
                    &application,
                    &letters,
                    Shown {
                        code: &lookup.code,
                        message: None,
                        supplement: &form,
                    },
                );
                return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
            }
            Err(e) => return Err(e.into()),
        };
    let saved = app.store.save_application(&changed, &event).await?;
    let letters = public_letters(&app, &agency, &saved).await?;
    Ok(status_view(
        &app,
        &agency,
        &csrf,
        &saved,
        &letters,
        Shown {
            code: &lookup.code,
            message: Some("补正已提交。答复期限自本机关收到补正之日起重新计算（第三十条）。"),
            supplement: &FormState::default(),
        },
    )
    .into_response())
}

pub async fn letter_download<S: Store>(
    State(app): Shared<S>,
    Path(code): Path<String>,
    ip: ClientIp,
    CsrfForm(lookup): CsrfForm<Lookup>,
) -> Result<Response, WebError> {
    let (agency, application) = applicants_own(&app, &code, &lookup, ip).await?;
    let letters = public_letters(&app, &agency, &application).await?;
    let letter = lookup
        .letter
        .parse::<usize>()
        .ok()
        .and_then(|i| letters.get(i))
        .ok_or_else(|| WebError::NotFound("没有这份文书".into()))?;
    letters::download(letter, &lookup.format)
}

/// A file of the answer (附件), for the applicant with the number and query code; only once
/// the answer is issued (a draft under review is not the agency's answer yet).
pub async fn answer_attachment<S: Store>(
    State(app): Shared<S>,
    Path(code): Path<String>,
    ip: ClientIp,
    CsrfForm(lookup): CsrfForm<Lookup>,
) -> Result<Response, WebError> {
    let (_, application) = applicants_own(&app, &code, &lookup, ip).await?;
    let index = lookup.letter.parse::<usize>().ok();
    let file = application
        .answer
        .as_ref()
        .filter(|_| application.answered_on.is_some())
        .zip(index)
        .and_then(|(answer, i)| answer.attachments.get(i).map(|f| (i, f)));
    let Some((index, file)) = file else {
        return Err(WebError::NotFound("没有这个附件".into()));
    };
    let bytes = app
        .store
        .attachment_bytes(&file.sha256)
        .await?
        .ok_or_else(|| WebError::NotFound("附件文件缺失，请联系受理机关".into()))?;
    Ok(crate::uploads::download(file, index, bytes, true))
}

/// The terminal's script: clears the screen after a while without a touch, prints receipts.
pub async fn kiosk_script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/kiosk.js"),
    )
}

pub async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/style.css"),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_form_offers_every_applicant_column() {
        let codes: Vec<&str> = gongkai_law::ApplicantKind::ALL
            .iter()
            .map(|k| k.code())
            .collect();
        let offered: Vec<&str> = crate::forms::KINDS.iter().map(|(c, _)| *c).collect();
        assert_eq!(codes, offered);
    }
}
