//! An annual report as pages and downloads show it: the report body with its tables (cells
//! linked to the records behind them where the page can), the download formats, the status tag.

use axum::{
    http::header,
    response::{IntoResponse, Response},
};
use gongkai_domain::annual::ReportStatus;
use gongkai_report::{
    Report,
    model::{Blank, CellAt, SectionKind, TABLE4_COLUMNS, Table3Column, Table3Row, Table4Group},
    render,
};
use maud::{Markup, html};
use serde::Deserialize;

use crate::error::WebError;

/// The download formats, with their labels.
pub const FORMATS: [(&str, &str); 6] = [
    ("html", "网页"),
    ("docx", "Word"),
    ("xlsx", "Excel"),
    ("pdf", "PDF"),
    ("json", "数据（JSON）"),
    ("md", "纯文本（Markdown）"),
];

/// Where a table cell of the report leads (the back office links cells to records).
pub trait CellLinks {
    /// Table 二 comes from the 第二十条 register.
    fn table2(&self) -> Option<String> {
        None
    }
    fn table3(&self, row: Table3Row, column: Table3Column) -> Option<String>;
    fn table4(&self, group: Table4Group, column: usize) -> Option<String>;
}

/// The portal links nowhere.
pub struct NoLinks;

impl CellLinks for NoLinks {
    fn table3(&self, _: Table3Row, _: Table3Column) -> Option<String> {
        None
    }
    fn table4(&self, _: Table4Group, _: usize) -> Option<String> {
        None
    }
}

/// Tables 二/三/四 and the narrative, in the report's order.
pub fn report_body(
    report: &Report,
    links: &dyn CellLinks,
    editor: Option<&dyn Fn(SectionKind) -> Markup>,
) -> Markup {
    html! {
        @for p in &report.preamble { p.indent { (p) } }
        @for kind in SectionKind::ALL {
            section.report-section id={ "section-" (kind.code()) } {
                h2 { (kind.heading()) }
                @match kind {
                    SectionKind::Proactive => {
                        (table2(report, links))
                        @if let Some(href) = links.table2() { p.muted { "表二由" a href=(href) { "第二十条登记" } "的规章、行政规范性文件和各项处理决定数、收费金额计算。" } }
                    }
                    SectionKind::Applications => (table3(report, links)),
                    SectionKind::Appeals => (table4(report, links)),
                    _ => {
                        @for p in render::narrative(report, kind).unwrap_or_default() {
                            @if is_subheading(p) { h3 { (p) } } @else { p.indent { (p) } }
                        }
                    }
                }
                @if let Some(editor) = editor { (editor(kind)) }
            }
        }
    }
}

/// Report files as rendered, kept by what they are rendered from (the report's whole JSON and
/// the format): a file is typeset once, on a blocking thread, however many ask for it and
/// whatever else changes in the database; those asking meanwhile wait for that one rendering.
#[derive(Default)]
pub struct KeptFiles {
    files: std::sync::Mutex<KeptShelf>,
}

type FileSlot = std::sync::Arc<tokio::sync::OnceCell<Result<axum::body::Bytes, String>>>;

#[derive(Default)]
struct KeptShelf {
    slots: std::collections::HashMap<[u8; 32], FileSlot>,
    bytes: usize,
}

impl KeptFiles {
    /// What the kept files may hold; past it the shelf is emptied and filled again.
    const BYTES: usize = 64 * 1024 * 1024;

    fn slot(&self, key: [u8; 32]) -> FileSlot {
        let mut shelf = self.files.lock().expect("files lock");
        if shelf.bytes > Self::BYTES {
            *shelf = KeptShelf::default();
        }
        shelf.slots.entry(key).or_default().clone()
    }

    fn count(&self, bytes: usize) {
        self.files.lock().expect("files lock").bytes += bytes;
    }

    /// How many files are typeset and kept now.
    pub fn kept(&self) -> usize {
        let shelf = self.files.lock().expect("files lock");
        shelf.slots.values().filter(|s| s.initialized()).count()
    }
}

impl KeptFiles {
    /// The bytes of a report file in one format, typeset once per report content.
    pub async fn file(&self, report: &Report, format: &str) -> Result<axum::body::Bytes, WebError> {
        media_type(format)?;
        let json = gongkai_report::json::to_json(report).to_string();
        let key: [u8; 32] = {
            use sha2::Digest;
            let mut hash = sha2::Sha256::new();
            hash.update(format.as_bytes());
            hash.update([0]);
            hash.update(json.as_bytes());
            hash.finalize().into()
        };
        let slot = self.slot(key);
        let mut rendered_here = false;
        let rendered = slot
            .get_or_init(|| {
                rendered_here = true;
                let report = report.clone();
                let format = format.to_string();
                async move {
                    tokio::task::spawn_blocking(move || render_file(&report, &format))
                        .await
                        .unwrap_or_else(|e| Err(format!("排版中断：{e}")))
                        .map(axum::body::Bytes::from)
                }
            })
            .await
            .clone();
        let bytes = rendered.map_err(WebError::Internal)?;
        if rendered_here {
            self.count(bytes.len());
        }
        Ok(bytes)
    }

    /// Typesets the heavy formats of a report just published, so that its first reader does
    /// not wait for them.
    pub async fn prepare(&self, report: &Report) {
        for format in ["pdf", "docx", "xlsx"] {
            if media_type(format).is_ok()
                && let Err(e) = self.file(report, format).await
            {
                tracing::error!(format, error = %e.message(), "report file not typeset ahead");
            }
        }
    }
}

/// A report file in one format, typeset once per report content (see [`KeptFiles`]).
pub async fn download(
    kept: &KeptFiles,
    report: &Report,
    format: &str,
    base: &str,
) -> Result<Response, WebError> {
    let media = media_type(format)?;
    let bytes = kept.file(report, format).await?;
    Ok((
        [
            (header::CONTENT_TYPE, media.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{base}.{format}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

fn media_type(format: &str) -> Result<&'static str, WebError> {
    Ok(match format {
        "md" => "text/markdown; charset=utf-8",
        "html" => "text/html; charset=utf-8",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "json" => "application/json",
        #[cfg(feature = "pdf")]
        "pdf" => "application/pdf",
        #[cfg(not(feature = "pdf"))]
        "pdf" => {
            return Err(WebError::NotFound(
                "本服务器编译时未启用 PDF（typst），请下载 Word 或网页版本".into(),
            ));
        }
        other => {
            return Err(WebError::NotFound(format!(
                "没有「{other}」格式：可下载 {}",
                FORMATS.map(|(c, _)| c).join("、"),
                other = gongkai_law::excerpt(other)
            )));
        }
    })
}

/// Typesets one file (blocking: a PDF takes tens of milliseconds).
fn render_file(report: &Report, format: &str) -> Result<Vec<u8>, String> {
    match format {
        "md" => Ok(render::markdown::render(report).into_bytes()),
        "html" => Ok(render::html::render(report).into_bytes()),
        "docx" => render::docx::render(report),
        "xlsx" => render::xlsx::render(report),
        "json" => serde_json::to_string_pretty(&gongkai_report::json::to_json(report))
            .map(String::into_bytes)
            .map_err(|e| e.to_string()),
        #[cfg(feature = "pdf")]
        "pdf" => gongkai_report_pdf::render(report),
        other => Err(format!("没有「{other}」格式")),
    }
}

/// The status words for a version in lists.
pub fn status_tag(status: &ReportStatus) -> Markup {
    let class = match status {
        ReportStatus::Published => "ok",
        ReportStatus::Returned => "overdue",
        _ => "soon",
    };
    html! { span class={ "tag " (class) } { (status.label()) } }
}

#[derive(Deserialize, Default)]
pub struct ReportQuery {
    #[serde(default)]
    pub year: Option<i16>,
    #[serde(default)]
    pub agency: Option<String>,
    #[serde(default)]
    pub done: String,
    #[serde(default)]
    pub format: String,
    #[serde(default)]
    pub group: String,
    #[serde(default)]
    pub column: Option<usize>,
}

fn figure(
    report: &Report,
    at: CellAt,
    value: Option<u64>,
    link: Option<String>,
    label: String,
) -> Markup {
    match (value, link) {
        (Some(n), Some(href)) if n > 0 => {
            html! { a href=(href) aria-label={ (label) "：" (n) "件" } { (n) } }
        }
        (Some(n), _) => html! { (n) },
        (None, _) => blank(report.blank_at(at)),
    }
}

/// A cell without a figure, as it was written; never shown as a 0.
fn blank(blank: &Blank) -> Markup {
    let title = format!("{}：不视为0", blank.describe());
    match blank {
        Blank::Empty => html! { span.muted title=(title) { "空" } },
        Blank::Uncertain { .. } => html! { span.muted title=(title) { "？" } },
        other => html! { span.muted title=(title) { (other.shown()) } },
    }
}

fn amount(report: &Report, at: CellAt, value: Option<rust_decimal::Decimal>) -> Markup {
    match value {
        Some(_) => html! { (report.shown_amount(at, value)) },
        None => blank(report.blank_at(at)),
    }
}

fn table2(report: &Report, links: &dyn CellLinks) -> Markup {
    let register = links.table2();
    html! {
        div.scroll tabindex="0" { table #table2 {
            @for (heading, columns, rows) in render::table2_blocks(report) {
                tr { th colspan="4" { (heading) } }
                tr { th { "信息内容" } @for c in columns { th { (c) } } }
                @for row in rows {
                    tr {
                        th scope="row" { (row.item.label(report.table2.format)) }
                        @for (i, cell) in row.cells.iter().enumerate() {
                            @let shown = amount(report, CellAt::Table2(row.item, i), *cell);
                            td.num {
                                @match (&register, row.item) {
                                    // 规章 and 行政规范性文件 open the documents counted; the rest the year's figures.
                                    (Some(href), gongkai_report::model::Table2Item::Regulations | gongkai_report::model::Table2Item::NormativeDocuments) => {
                                        a href={ (href) "#documents" } { (shown) }
                                    }
                                    (Some(href), _) => { a href={ (href) "#table2" } { (shown) } }
                                    (None, _) => { (shown) }
                                }
                            }
                        }
                    }
                }
            }
        } }
    }
}

fn table3(report: &Report, links: &dyn CellLinks) -> Markup {
    html! {
        div.scroll tabindex="0" { table #table3 {
            // The official grouped headers: 申请人情况 over 自然人, 法人或其他组织 (five kinds) and 总计.
            thead {
                tr { th rowspan="3" scope="col" { "项目" } th.num colspan="7" scope="colgroup" { "申请人情况" } }
                tr {
                    th.num rowspan="2" scope="col" { (Table3Column::ALL[0].label()) }
                    th.num colspan="5" scope="colgroup" { "法人或其他组织" }
                    th.num rowspan="2" scope="col" { (Table3Column::Total.label()) }
                }
                tr { @for c in &Table3Column::ALL[1..6] { th.num scope="col" { (c.label()) } } }
            }
            tbody {
                @for (i, (row, cells)) in report.table3.rows.iter().enumerate() {
                    @if row.is_result() && !report.table3.rows.get(i.wrapping_sub(1)).is_some_and(|(r, _)| r.is_result()) {
                        tr.group { th colspan="8" scope="rowgroup" { "三、本年度办理结果" } }
                    }
                    tr {
                        th scope="row" { (row.label()) }
                        @for c in Table3Column::ALL {
                            td.num { (figure(report, CellAt::Table3(*row, c), cells[c.index()], links.table3(*row, c), format!("{}，{}", row.short_label(), c.label()))) }
                        }
                    }
                }
            }
        } }
    }
}

fn table4(report: &Report, links: &dyn CellLinks) -> Markup {
    html! {
        div.scroll tabindex="0" { table #table4 {
            thead {
                tr { th { "类别" } @for c in TABLE4_COLUMNS { th.num { (c) } } }
            }
            tbody {
                @for group in Table4Group::ALL {
                    tr {
                        th scope="row" { @if group != Table4Group::Reconsideration { "行政诉讼 · " } (group.label()) }
                        @for (i, cell) in report.table4.group(group).iter().enumerate() {
                            td.num { (figure(report, CellAt::Table4(group, i), *cell, links.table4(group, i), format!("{}，{}", group.label(), TABLE4_COLUMNS[i]))) }
                        }
                    }
                }
            }
        } }
    }
}

fn is_subheading(p: &str) -> bool {
    p.starts_with('（') && p.chars().count() <= 30 && !p.ends_with('。')
}
