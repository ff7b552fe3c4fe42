//! 年度报告 in the back office: the report of a year assembled from the records, every table
//! cell opening the records counted in it, the checks, the narrative to edit (audited), last
//! year's report to bring in, and the way out: submit (frozen; blocked on a check error unless
//! a 审核人 gives a reason), review along the chain as a publication, correction as a new version.

use std::sync::Arc;

use axum::{
    extract::{Query, State},
    response::{IntoResponse, Redirect, Response},
};
use gongkai_domain::{
    Agency, AgencyCode, Role,
    annual::{self, EDITABLE, ReportStatus},
    appeal::{PENDING_COLUMN, TOTAL_COLUMN},
    records,
};
use gongkai_report::{
    Severity,
    model::{SectionKind, Table3Column, Table3Row, Table4Group},
    render,
};
use maud::{Markup, html};
use serde::Deserialize;

use crate::{
    app::App,
    error::WebError,
    report_view::{CellLinks, FORMATS, ReportQuery, download, report_body, status_tag},
    security::{CsrfForm, CsrfToken, Staff},
    usecases::{
        annual::{self as assembly, PreviousSource, ReportAction, VersionView},
        statistics::{report_year, visible_agency},
    },
    views::{chrome, csrf_field, page, urlencode},
};

type Shared<S> = State<Arc<App<S>>>;

struct StaffLinks<'a> {
    agency: &'a AgencyCode,
    year: i16,
    /// The register page shows the staff member's own agency only.
    own: bool,
}

impl CellLinks for StaffLinks<'_> {
    fn table2(&self) -> Option<String> {
        self.own
            .then(|| format!("/staff/register20?year={}", self.year))
    }
    fn table3(&self, row: Table3Row, column: Table3Column) -> Option<String> {
        Some(format!(
            "/staff/statistics/cases?year={}&agency={}&row={}&column={}",
            self.year,
            self.agency,
            row.code(),
            column.code()
        ))
    }
    fn table4(&self, group: Table4Group, column: usize) -> Option<String> {
        Some(format!(
            "/staff/reports/appeals?year={}&agency={}&group={}&column={column}",
            self.year,
            self.agency,
            group.code()
        ))
    }
}

pub async fn report_page<S: gongkai_domain::store::Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    Query(query): Query<ReportQuery>,
) -> Result<Response, WebError> {
    let agency = visible_agency(
        &app,
        &staff.user.agency,
        staff.actor.has(Role::Supervisor),
        query.agency.as_deref(),
    )
    .await?;
    let year = report_year(&app, query.year)?;
    view(
        &app,
        &staff,
        &csrf,
        &agency,
        year,
        &query.done,
        None,
        &query.format,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn view<S: gongkai_domain::store::Store>(
    app: &App<S>,
    staff: &Staff,
    csrf: &CsrfToken,
    agency: &Agency,
    year: i16,
    done: &str,
    error: Option<&str>,
    format: &str,
) -> Result<Response, WebError> {
    let versions = assembly::versions(app, &agency.code, year).await?;
    let current = assembly::current(&versions, &agency.code, year);
    let names = crate::usecases::admin::display_names(app, Some(&agency.code)).await?;
    let status = versions
        .last()
        .map_or(ReportStatus::Drafting, VersionView::status);
    // Once submitted, what is shown is what was frozen and checked; the records are read only
    // while it is being written.
    let (shown, previous, findings) = match current.value.frozen().and_then(Result::ok) {
        Some(frozen) => {
            let previous = assembly::previous(app, &agency.code, year).await?;
            let findings = gongkai_report::check(&frozen, previous.as_ref().map(|(r, _)| r));
            (frozen, previous, findings)
        }
        None => {
            let assembled = assembly::assemble(app, agency, year, &current.value.edits).await?;
            (assembled.report, assembled.previous, assembled.findings)
        }
    };
    let shown = &shown;
    if !format.is_empty() {
        return download(
            &app.report_files,
            shown,
            format,
            &format!("draft-{}-{year}", agency.code),
        )
        .await;
    }
    let own = agency.code == staff.user.agency;
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let is_reviewer = staff.actor.has(Role::Reviewer);

    let editable = own && current.value.submission.is_none();
    let published_any = versions
        .iter()
        .any(|v| v.status() == ReportStatus::Published);
    let reminder = annual::reminder(agency.level, year, app.today(), published_any);
    let links = StaffLinks {
        agency: &agency.code,
        year,
        own,
    };
    let record_version = current.version;
    let editor = |kind: SectionKind| -> Markup {
        if !editable || !EDITABLE.contains(&kind) {
            return html! {};
        }
        let text = shown
            .section(kind)
            .map(|s| s.paragraphs.join("\n"))
            .unwrap_or_default();
        let edited = current.value.edits.contains_key(kind.code());
        html! {
            details.edit {
                summary { "修改本部分" @if edited { "（已修改）" } @else { "（由记录起草）" } }
                form.stack method="post" action="/staff/reports/act" {
                    (csrf_field(csrf))
                    input type="hidden" name="year" value=(year);
                    input type="hidden" name="version" value=(record_version);
                    input type="hidden" name="action" value="edit";
                    input type="hidden" name="section" value=(kind.code());
                    label for={ "text-" (kind.code()) } { "每段一行；清空后保存即恢复由记录起草的文字。" }
                    textarea id={ "text-" (kind.code()) } name="text" rows="12" { (text) }
                    button type="submit" { "保存修改" }
                }
            }
        }
    };
    let title = render::title(shown);
    Ok(page(
        &title,
        chrome(staff, csrf),
        html! {
            p { a href={ "/staff/reports?year=" (year) } { "年度报告" } " · " a href="/staff/records" { "复议诉讼与报告事项" }
                @if staff.actor.has(Role::Supervisor) { " · " a href={ "/staff/supervision?year=" (year) } { "下级机关汇总" } } }
            h1 { (title) }
            @if !done.is_empty() { p.notice role="status" { "已" (done) "。" } }
            @if let Some(e) = error { p.alert role="alert" { (e) } }
            form.inline method="get" action="/staff/reports" {
                div.field { label for="year" { "报告年度" } input #year type="number" name="year" value=(year) min="2008" max=(app.today().year()); }
                @if !own { input type="hidden" name="agency" value=(agency.code); }
                button type="submit" { "查看" }
            }
            @if let Some(r) = reminder {
                p class={ "alert " @if r.days_left < 0 { "overdue" } } role="status" #reminder {
                    @if r.days_left < 0 { (year) "年度报告应于" (r.due) "前公布，已超期" (-r.days_left) "天（《条例》第四十九条）。" }
                    @else { (year) "年度报告应于" (r.due) "前公布，还有" (r.days_left) "天（《条例》第四十九条）。" }
                }
            }
            section #report-status {
                h2 { "状态" }
                p { "第" (current.value.number) "版：" (status_tag(&status))
                    @if let Some(s) = &current.value.submission {
                        " · 已于" (gongkai_law::date::china_date(s.at)) "由" (names.of(&s.by)) "提交 · "
                        a href={ "/staff/publications/" (s.publication) } { "审核与发布（公开信息 #" (s.publication) "）" }
                    }
                }
                @if let Some(reason) = &current.value.correction_reason { p { "更正说明：" (reason) } }
                @if let Some(o) = current.value.submission.as_ref().and_then(|s| s.override_errors.as_ref()) {
                    p.warning { "核对有错误，由审核人 " (names.of(&o.by)) " 写明理由批准发布：" (o.reason) }
                }
                @if versions.len() > 1 {
                    ul { @for v in &versions { li { "第" (v.record.value.number) "版：" (status_tag(&v.status())) } } }
                }
                p.muted {
                    "上年报告："
                    @match &previous {
                        Some((_, PreviousSource::Gongkai)) => { (year - 1) "年度报告由本系统发布，用于上年结转和对比核对。" }
                        Some((_, PreviousSource::Imported(source))) => { (year - 1) "年度报告导入自「" (source) "」，用于上年结转和对比核对。" }
                        None => { "无。若上年报告在本系统之外发布，请在下方导入，以核对上年结转。" }
                    }
                }
                p.downloads { "下载当前稿：" @for (ext, label) in FORMATS { a href={ "/staff/reports?year=" (year) "&agency=" (agency.code) "&format=" (ext) } { (label) } " " } }
            }
            section #checks {
                h2 { "发布前核对" }
                @if findings.is_empty() {
                    p.notice #checks-clean { "核对通过：表三、表四勾稽关系、正文所述数字和上年结转均一致。" }
                } @else {
                    @if findings.iter().any(|f| f.code == gongkai_report::Code::CrossYear) {
                        p.muted { "“上年结转”由本系统的办理记录计算：上年收到、年底尚未办结的申请如未录入本系统，请用“登记申请”或命令 gongkai applications import 补录，使其与上年报告的“结转下年度继续办理”一致。" }
                    }
                    ul #findings {
                        @for f in &findings {
                            li class=(if f.severity == Severity::Error { "error" } else { "warning" }) {
                                (if f.severity == Severity::Error { "错误" } else { "提示" }) "：" (f.location) " — " (f.message)
                            }
                        }
                    }
                }
            }
            @if own {
                section #actions {
                    h2 { "办理" }
                    @match status {
                        ReportStatus::Drafting => {
                            @if errors > 0 {
                                @match &current.value.override_errors {
                                    Some(o) => { p.warning #allowed { "报告有" (errors) "项核对错误，审核人 " (names.of(&o.by)) " 已批准带错误发布：" (o.reason) } }
                                    None => { p.warning { "报告有" (errors) "项核对错误，不能提交。请更正办理记录或报告正文；确需发布的，须由审核人写明理由批准（理由随报告保存）。" } }
                                }
                                @if is_reviewer && current.value.override_errors.is_none() {
                                    form.stack method="post" action="/staff/reports/act" {
                                        (csrf_field(csrf))
                                        input type="hidden" name="year" value=(year);
                                        input type="hidden" name="version" value=(record_version);
                                        input type="hidden" name="action" value="allow_errors";
                                        label for="reason" { "审核人理由" }
                                        textarea #reason name="reason" rows="3" {}
                                        button.secondary type="submit" { "批准带错误发布" }
                                    }
                                }
                            }
                            form.stack method="post" action="/staff/reports/act" {
                                (csrf_field(csrf))
                                input type="hidden" name="year" value=(year);
                                input type="hidden" name="version" value=(record_version);
                                input type="hidden" name="action" value="submit";
                                p.muted { "提交后报告内容锁定，作为公开信息进入本机关审核流程（" (agency.settings.review_chain.steps().iter().map(|s| s.name.clone()).collect::<Vec<_>>().join(" → ")) "），全部审核通过后发布并生成索引号。" }
                                button type="submit" disabled[errors > 0 && current.value.override_errors.is_none()] { "提交审核发布" }
                            }
                        }
                        ReportStatus::Returned => {
                            form method="post" action="/staff/reports/act" {
                                (csrf_field(csrf))
                                input type="hidden" name="year" value=(year);
                                input type="hidden" name="version" value=(record_version);
                                input type="hidden" name="action" value="reopen";
                                p { "审核退回或已撤回。" }
                                button type="submit" { "重新编辑" }
                            }
                        }
                        ReportStatus::Published => {
                            form.stack method="post" action="/staff/reports/act" {
                                (csrf_field(csrf))
                                input type="hidden" name="year" value=(year);
                                input type="hidden" name="version" value=(record_version);
                                input type="hidden" name="action" value="correct";
                                p { "已发布的报告不能修改。如需更正，发布更正版本（原版本保留并标明已更正）。" a href={ "/agencies/" (agency.code) "/reports/" (year) } { "查看公开页面" } }
                                label for="correction" { "更正说明" }
                                textarea #correction name="reason" rows="2" {}
                                button.secondary type="submit" { "起草更正版本" }
                            }
                        }
                        _ => { p { "审核中，请到" a href={ "/staff/publications/" (current.value.submission.as_ref().map_or(0, |s| s.publication)) } { "公开信息审核页" } "逐级审核。" } }
                    }
                    details {
                        summary { "导入" (year - 1) "年度报告（在本系统之外发布的）" }
                        form.stack method="post" action="/staff/reports/act" {
                            (csrf_field(csrf))
                            input type="hidden" name="year" value=(year);
                            input type="hidden" name="action" value="import_previous";
                            label for="source" { "来源（网址或文件名）" }
                            input #source type="text" name="source";
                            label for="report-text" { "报告全文（网页源代码或复制的文字）" }
                            textarea #report-text name="text" rows="8" {}
                            button.secondary type="submit" { "读取并导入" }
                        }
                    }
                }
            }
            article.report #report { (report_body(shown, &links, Some(&editor))) }
        },
    )
    .into_response())
}

/// A change to the report of a year.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReportForm {
    year: String,
    action: String,
    version: String,
    section: String,
    /// Kept as typed (untrimmed): a section's text or last year's report.
    text: String,
    reason: String,
    source: String,
}

impl ReportForm {
    fn action(&self) -> Result<ReportAction, WebError> {
        let reason = self.reason.trim().to_string();
        Ok(match self.action.trim() {
            "edit" => ReportAction::Edit {
                section: SectionKind::from_code(self.section.trim())
                    .ok_or_else(|| WebError::BadRequest("没有这一部分".into()))?,
                text: self.text.clone(),
            },
            "submit" => ReportAction::Submit,
            "allow_errors" => ReportAction::AllowErrors { reason },
            "reopen" => ReportAction::Reopen,
            "correct" => ReportAction::Correct { reason },
            other => {
                return Err(WebError::BadRequest(format!(
                    "未知的操作「{other}」",
                    other = gongkai_law::excerpt(other)
                )));
            }
        })
    }
}

/// Every change to a report: edit, submit, reopen, correct, import last year's.
pub async fn act<S: gongkai_domain::store::Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<ReportForm>,
) -> Result<Response, WebError> {
    let agency = app.agency(&staff.user.agency).await?;
    let year = report_year(&app, form.year.trim().parse().ok())?;
    let version = form.version.trim().parse::<u64>().ok();
    let result = if form.action.trim() == "import_previous" {
        let source = Some(form.source.trim()).filter(|s| !s.is_empty());
        assembly::import_previous(&app, &staff.actor, &agency, year, source, &form.text)
            .await
            .map(|()| "导入上年报告")
    } else {
        match form.action() {
            Ok(action) => assembly::act(&app, &staff.actor, &agency, year, action, version).await,
            Err(e) => Err(e),
        }
    };
    match result {
        Ok(done) => Ok(Redirect::to(&format!(
            "/staff/reports?year={year}&done={}",
            urlencode(done)
        ))
        .into_response()),
        Err(
            e @ (WebError::Field { .. }
            | WebError::Conflict(_)
            | WebError::Forbidden(_)
            | WebError::BadRequest(_)),
        ) => {
            let status = match e {
                WebError::Conflict(_) => axum::http::StatusCode::CONFLICT,
                WebError::Forbidden(_) => axum::http::StatusCode::FORBIDDEN,
                _ => axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            };
            let page = view(
                &app,
                &staff,
                &csrf,
                &agency,
                year,
                "",
                Some(&e.message()),
                "",
            )
            .await?;
            Ok((status, page).into_response())
        }
        Err(e) => Err(e),
    }
}

/// A table-四 cell: the cases counted in it.
pub async fn appeal_cases<S: gongkai_domain::store::Store>(
    State(app): Shared<S>,
    staff: Staff,
    csrf: CsrfToken,
    Query(query): Query<ReportQuery>,
) -> Result<Markup, WebError> {
    let agency = visible_agency(
        &app,
        &staff.user.agency,
        staff.actor.has(Role::Supervisor),
        query.agency.as_deref(),
    )
    .await?;
    let year = report_year(&app, query.year)?;
    let group = Table4Group::ALL
        .into_iter()
        .find(|g| g.code() == query.group)
        .ok_or_else(|| WebError::field("group", format!("「{}」不是表四的类别", query.group)))?;
    let column = query
        .column
        .filter(|c| *c <= TOTAL_COLUMN)
        .ok_or_else(|| WebError::field("column", "表四每类有5列（0–4）"))?;
    let appeals: Vec<_> =
        records::load_all::<gongkai_domain::appeal::Appeal, _>(&app.store, &agency.code)
            .await?
            .into_iter()
            .map(|v| v.value)
            .collect();
    let table = gongkai_domain::appeal::table4(&appeals, year);
    let ids = table.behind(group, column);
    let own = agency.code == staff.user.agency;
    Ok(page(
        "表四明细",
        chrome(&staff, &csrf),
        html! {
            p { a href={ "/staff/reports?year=" (year) "&agency=" (agency.code) } { "← 返回年度报告" } }
            h1 { (year) "年 · " (group.label()) " · " (gongkai_report::model::TABLE4_COLUMNS[column]) }
            p { "计入此格的案件共" strong #cell-count { (ids.len()) } "件" @if column == PENDING_COLUMN { "（截至" (year) "年12月31日尚未审结）" } "：" }
            table #cell-appeals {
                thead { tr { th { "案号" } th { "收到日期" } th { "复议机关/法院" } th { "申请" } th { "结果" } } }
                tbody {
                    @for a in appeals.iter().filter(|a| ids.contains(&a.id)) {
                        tr {
                            td { (a.case_number) } td { (a.filed_on) } td { (a.body) }
                            td { @if own { a href={ "/staff/cases/" (urlencode(a.application.as_str())) } { (a.application) } } @else { (a.application) } }
                            td { (a.status_label()) @if let Some(d) = &a.decision { "（" (d.on) "）" } }
                        }
                    }
                }
            }
        },
    ))
}
