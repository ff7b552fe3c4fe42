//! 核查结果 — a batch of reports read and checked together (a supervisor's folder), as what
//! people work through: each finding with its fingerprint, where it stands against the
//! decisions already taken, and the row of the table it came from; written as one page
//! with the agencies' status and charts, as a workbook, and as the CSV reviewers fill in.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt::Write as _;

use rust_xlsxwriter::{Chart, ChartType, Format as Cell, Workbook, XlsxError};

use crate::{
    Status,
    across::agency_of,
    export::csv_field,
    findings::{Code, Finding, Severity},
    model::{CellAt, Report, TABLE4_COLUMNS, Table3Column, Table4Group},
    render::html::escape,
    review::{Decision, Decisions, Fingerprint, Standing, fingerprint},
};

/// A report's entries by year (indices into [`Batch::entries`]).
type ByYear = BTreeMap<Option<i32>, Vec<usize>>;

/// One finding with where it stands.
#[derive(Debug, Clone)]
pub struct Reviewed {
    pub finding: Finding,
    pub print: Fingerprint,
    pub standing: Standing,
    /// The row of the table the finding is about, as read: what the reviewer checks it by.
    pub quote: Option<String>,
}

/// One file of the batch.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The file as the batch names it (relative to the folder).
    pub file: String,
    /// The report's name for fingerprints: agency and year, else the file.
    pub document: String,
    pub agency: Option<String>,
    pub year: Option<i32>,
    pub status: Status,
    /// Why the file could not be read at all.
    pub problem: Option<String>,
    pub findings: Vec<Reviewed>,
}

/// A batch as read: what [`Batch::new`] takes per file.
pub struct Read<'a> {
    pub file: String,
    pub status: Status,
    pub problem: Option<String>,
    pub report: Option<&'a Report>,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone)]
pub struct Batch {
    pub title: String,
    pub entries: Vec<Entry>,
    /// Decisions whose finding no longer appears (the report was corrected, or is not in the
    /// batch): kept, and listed.
    pub gone: Vec<Decision>,
}

/// How many of each standing, for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub new: usize,
    pub changed: usize,
    pub confirmed: usize,
    pub dismissed: usize,
    pub gone: usize,
}

/// The name a report goes by across runs: `agency year` where it says both, else its file.
pub fn document_name(file: &str, report: Option<&Report>) -> String {
    match report.and_then(|r| Some((agency_of(r)?, r.meta.year?))) {
        Some((agency, year)) => format!("{agency} {year}"),
        None => file.to_string(),
    }
}

impl Batch {
    pub fn new(title: &str, read: Vec<Read<'_>>, decisions: &Decisions) -> Self {
        let mut seen = HashSet::new();
        let entries: Vec<Entry> = read
            .into_iter()
            .map(|r| {
                let document = document_name(&r.file, r.report);
                let findings = r
                    .findings
                    .into_iter()
                    .map(|finding| {
                        let print = fingerprint(&document, &finding);
                        seen.insert(print.full.clone());
                        Reviewed {
                            standing: decisions.standing(&print),
                            quote: r.report.and_then(|report| quote(report, &finding)),
                            finding,
                            print,
                        }
                    })
                    .collect();
                Entry {
                    agency: r.report.and_then(agency_of),
                    year: r.report.and_then(|r| r.meta.year),
                    file: r.file,
                    document,
                    status: r.status,
                    problem: r.problem,
                    findings,
                }
            })
            .collect();
        Self {
            title: title.to_string(),
            gone: decisions.gone(&seen).into_iter().cloned().collect(),
            entries,
        }
    }

    pub fn tally(&self) -> Tally {
        let mut tally = Tally {
            gone: self.gone.len(),
            ..Tally::default()
        };
        for reviewed in self.entries.iter().flat_map(|e| &e.findings) {
            match &reviewed.standing {
                Standing::New => tally.new += 1,
                Standing::Changed(_) => tally.changed += 1,
                Standing::Decided(d) if d.verdict == crate::review::Verdict::Confirmed => {
                    tally.confirmed += 1
                }
                Standing::Decided(_) => tally.dismissed += 1,
            }
        }
        tally
    }

    /// Every finding a line, with the columns a reviewer fills in (结论 确认/驳回, 理由,
    /// 核查人, 日期); decisions already taken are filled in, and those whose finding is gone are
    /// kept at the end, so the file can be read back as the next run's decisions.
    pub fn csv(&self) -> String {
        let mut csv = String::from(
            "file,document,status,severity,code,location,message,quote,fingerprint,place,standing,decision,reason,reviewer,date\n",
        );
        for entry in &self.entries {
            let head = format!(
                "{},{},{}",
                csv_field(&entry.file),
                csv_field(&entry.document),
                entry.status.code()
            );
            if entry.findings.is_empty() {
                let _ = writeln!(
                    csv,
                    "{head},,,,{},,,,,,,,",
                    csv_field(entry.problem.as_deref().unwrap_or(""))
                );
            }
            for r in &entry.findings {
                let decided = match &r.standing {
                    Standing::Decided(d) => Some(d),
                    _ => None,
                };
                let _ = writeln!(
                    csv,
                    "{head},{},{},{},{},{},{},{},{},{},{},{},{}",
                    r.finding.severity.code(),
                    r.finding.code.as_str(),
                    csv_field(&r.finding.location),
                    csv_field(&r.finding.message),
                    csv_field(r.quote.as_deref().unwrap_or("")),
                    r.print.full,
                    r.print.place,
                    r.standing.code(),
                    decided.map_or("", |d| d.verdict.label()),
                    csv_field(decided.map_or("", |d| &d.reason)),
                    csv_field(decided.map_or("", |d| &d.reviewer)),
                    csv_field(decided.map_or("", |d| &d.date)),
                );
            }
        }
        for d in &self.gone {
            let _ = writeln!(
                csv,
                ",,,,,,,,{},{},gone,{},{},{},{}",
                d.fingerprint,
                d.place,
                d.verdict.label(),
                csv_field(&d.reason),
                csv_field(&d.reviewer),
                csv_field(&d.date)
            );
        }
        csv
    }

    /// Open findings (new or changed) by code, and all findings by year and severity.
    fn by_code(&self) -> Vec<(Code, usize, usize)> {
        let mut counts: BTreeMap<Code, (usize, usize)> = BTreeMap::new();
        for r in self.entries.iter().flat_map(|e| &e.findings) {
            let c = counts.entry(r.finding.code).or_default();
            match r.finding.severity {
                Severity::Error => c.0 += 1,
                Severity::Warning => c.1 += 1,
            }
        }
        let mut out: Vec<(Code, usize, usize)> =
            counts.into_iter().map(|(k, (e, w))| (k, e, w)).collect();
        out.sort_by_key(|(code, e, w)| (std::cmp::Reverse(e + w), *code));
        out
    }

    fn by_year(&self) -> Vec<(String, usize, usize)> {
        let mut counts: BTreeMap<Option<i32>, (usize, usize)> = BTreeMap::new();
        for entry in &self.entries {
            let c = counts.entry(entry.year).or_default();
            for r in &entry.findings {
                match r.finding.severity {
                    Severity::Error => c.0 += 1,
                    Severity::Warning => c.1 += 1,
                }
            }
        }
        counts
            .into_iter()
            .map(|(year, (e, w))| (year.map_or("年度不明".into(), |y| format!("{y}年度")), e, w))
            .collect()
    }

    /// Agencies down, years across: each report's status and open errors and warnings.
    fn grid(&self) -> (Vec<Option<i32>>, Vec<(String, ByYear)>) {
        let years: BTreeSet<Option<i32>> = self.entries.iter().map(|e| e.year).collect();
        let mut agencies: BTreeMap<String, ByYear> = BTreeMap::new();
        for (i, entry) in self.entries.iter().enumerate() {
            let name = entry.agency.clone().unwrap_or_else(|| entry.file.clone());
            agencies
                .entry(name)
                .or_default()
                .entry(entry.year)
                .or_default()
                .push(i);
        }
        (years.into_iter().collect(), agencies.into_iter().collect())
    }

    /// One page: the tally, the agencies' status by year, charts of finding kinds and years,
    /// then every report with its findings — open ones first, decided ones folded away.
    /// `made_on` is the date the caller ran the batch (the crate reads no clock).
    pub fn html(&self, made_on: &str) -> String {
        let tally = self.tally();
        let mut by_status: BTreeMap<Status, usize> = BTreeMap::new();
        for e in &self.entries {
            *by_status.entry(e.status).or_default() += 1;
        }
        let mut out = String::with_capacity(64 * 1024);
        let title = escape(&self.title);
        let _ = write!(
            out,
            "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{title}</title><style>{STYLE}</style></head><body>\n<h1>{title}</h1>\n\
             <p class=\"muted\">{} · 共{}份文件 · 由 gongkai report lint 生成</p>\n",
            escape(made_on),
            self.entries.len()
        );
        out.push_str("<section class=\"tiles\" id=\"tally\">");
        for status in [
            Status::Consistent,
            Status::Inconsistent,
            Status::Incomplete,
            Status::Unreadable,
        ] {
            let _ = write!(
                out,
                "<div class=\"tile {}\"><b>{}</b><span>{}</span></div>",
                status.code(),
                by_status.get(&status).copied().unwrap_or(0),
                status.label()
            );
        }
        for (n, label, class) in [
            (tally.new, "新发现", "new"),
            (tally.changed, "有变化", "changed"),
            (tally.confirmed, "已确认", "confirmed"),
            (tally.dismissed, "已驳回", "dismissed"),
            (tally.gone, "已不再出现", "gone"),
        ] {
            let _ = write!(
                out,
                "<div class=\"tile {class}\"><b>{n}</b><span>{label}</span></div>"
            );
        }
        out.push_str("</section>\n");

        let (years, agencies) = self.grid();
        out.push_str("<h2>各机关各年度</h2>\n<div class=\"scroll\"><table id=\"agencies\"><thead><tr><th>机关</th>");
        for year in &years {
            let _ = write!(
                out,
                "<th>{}</th>",
                year.map_or("年度不明".into(), |y| format!("{y}年度"))
            );
        }
        out.push_str("</tr></thead><tbody>\n");
        for (agency, by_year) in &agencies {
            let _ = write!(out, "<tr><th scope=\"row\">{}</th>", escape(agency));
            for year in &years {
                out.push_str("<td>");
                for &i in by_year.get(year).map(Vec::as_slice).unwrap_or(&[]) {
                    let entry = &self.entries[i];
                    let open = |s: Severity| {
                        entry
                            .findings
                            .iter()
                            .filter(|r| r.standing.open() && r.finding.severity == s)
                            .count()
                    };
                    let _ = write!(
                        out,
                        "<a class=\"status {}\" href=\"#doc-{i}\">{}",
                        entry.status.code(),
                        entry.status.label()
                    );
                    let (errors, warnings) = (open(Severity::Error), open(Severity::Warning));
                    if errors + warnings > 0 {
                        let _ = write!(out, "<small>待核 错误{errors} 警告{warnings}</small>");
                    }
                    out.push_str("</a>");
                }
                out.push_str("</td>");
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody></table></div>\n<div class=\"grid2\">\n");
        let codes: Vec<(String, usize, usize)> = self
            .by_code()
            .into_iter()
            .map(|(code, e, w)| (code.label().to_string(), e, w))
            .collect();
        out.push_str("<section><h2>发现的种类</h2>");
        out.push_str(&bars(&codes, "kinds"));
        out.push_str("</section><section><h2>各年度的发现</h2>");
        out.push_str(&bars(&self.by_year(), "years"));
        out.push_str("</section></div>\n<h2>逐份报告</h2>\n");

        for (i, entry) in self.entries.iter().enumerate() {
            let _ = write!(
                out,
                "<section class=\"doc\" id=\"doc-{i}\"><h3>{}</h3><p><span class=\"status {}\">{}</span> {}</p>",
                escape(&entry.file),
                entry.status.code(),
                entry.status.label(),
                escape(&entry.document)
            );
            if let Some(problem) = &entry.problem {
                let _ = write!(out, "<p class=\"alert\">{}</p>", escape(problem));
            }
            let (open, decided): (Vec<&Reviewed>, Vec<&Reviewed>) =
                entry.findings.iter().partition(|r| r.standing.open());
            if !open.is_empty() {
                findings_table(&mut out, &open);
            }
            if !decided.is_empty() {
                let _ = write!(out, "<details><summary>已处理{}项</summary>", decided.len());
                findings_table(&mut out, &decided);
                out.push_str("</details>");
            }
            if entry.findings.is_empty() && entry.problem.is_none() {
                out.push_str("<p class=\"muted\">未发现问题。</p>");
            }
            out.push_str("</section>\n");
        }
        if !self.gone.is_empty() {
            out.push_str("<h2>已不再出现的发现</h2><p class=\"muted\">以下发现曾经处理，本次未再出现（报告已更正，或未在本批文件中）。</p><table><thead><tr><th>指纹</th><th>结论</th><th>理由</th><th>核查人</th><th>日期</th></tr></thead><tbody>");
            for d in &self.gone {
                let _ = write!(
                    out,
                    "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    d.fingerprint,
                    d.verdict.label(),
                    escape(&d.reason),
                    escape(&d.reviewer),
                    escape(&d.date)
                );
            }
            out.push_str("</tbody></table>\n");
        }
        out.push_str("</body></html>\n");
        out
    }

    /// The workbook: 概况 (agencies by year), 发现 (every finding, the reviewer's columns
    /// last), 图表 (finding kinds as an Excel chart).
    pub fn xlsx(&self) -> Result<Vec<u8>, String> {
        self.build_xlsx().map_err(|e| format!("XLSX 生成失败：{e}"))
    }

    fn build_xlsx(&self) -> Result<Vec<u8>, XlsxError> {
        let mut workbook = Workbook::new();
        let bold = Cell::new().set_bold().set_background_color(0xF3F5F8);
        let wrap = Cell::new().set_text_wrap();

        let (years, agencies) = self.grid();
        let sheet = workbook.add_worksheet().set_name("概况")?;
        sheet.write_string_with_format(0, 0, "机关", &bold)?;
        sheet.set_column_width(0, 30)?;
        for (c, year) in years.iter().enumerate() {
            let col = c as u16 + 1;
            sheet.set_column_width(col, 24)?;
            sheet.write_string_with_format(
                0,
                col,
                year.map_or("年度不明".into(), |y| format!("{y}年度")),
                &bold,
            )?;
        }
        for (r, (agency, by_year)) in agencies.iter().enumerate() {
            let row = r as u32 + 1;
            sheet.write_string(row, 0, agency)?;
            for (c, year) in years.iter().enumerate() {
                let said: Vec<String> = by_year
                    .get(year)
                    .map(Vec::as_slice)
                    .unwrap_or(&[])
                    .iter()
                    .map(|&i| {
                        let e = &self.entries[i];
                        let open = e.findings.iter().filter(|f| f.standing.open()).count();
                        format!("{}（待核{open}项）", e.status.label())
                    })
                    .collect();
                sheet.write_string(row, c as u16 + 1, said.join("；"))?;
            }
        }

        let sheet = workbook.add_worksheet().set_name("发现")?;
        let headings = [
            ("文件", 28),
            ("报告", 28),
            ("状态", 10),
            ("严重程度", 8),
            ("代码", 22),
            ("位置", 30),
            ("说明", 60),
            ("原文", 50),
            ("指纹", 18),
            ("位置指纹", 18),
            ("核查状态", 12),
            ("结论", 8),
            ("理由", 30),
            ("核查人", 10),
            ("日期", 12),
        ];
        for (c, (name, width)) in headings.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, *name, &bold)?;
            sheet.set_column_width(c as u16, *width)?;
        }
        let mut row = 1u32;
        for entry in &self.entries {
            for r in &entry.findings {
                let decided = match &r.standing {
                    Standing::Decided(d) => Some(d),
                    _ => None,
                };
                let cells = [
                    entry.file.as_str(),
                    &entry.document,
                    entry.status.label(),
                    r.finding.severity.label(),
                    r.finding.code.as_str(),
                    &r.finding.location,
                    &r.finding.message,
                    r.quote.as_deref().unwrap_or(""),
                    &r.print.full,
                    &r.print.place,
                    &r.standing.label(),
                    decided.map_or("", |d| d.verdict.label()),
                    decided.map_or("", |d| &d.reason),
                    decided.map_or("", |d| &d.reviewer),
                    decided.map_or("", |d| &d.date),
                ];
                for (c, text) in cells.iter().enumerate() {
                    sheet.write_string_with_format(row, c as u16, *text, &wrap)?;
                }
                row += 1;
            }
        }
        sheet.autofilter(
            0,
            0,
            row.saturating_sub(1).max(1),
            headings.len() as u16 - 1,
        )?;
        sheet.set_freeze_panes(1, 0)?;

        let codes = self.by_code();
        let sheet = workbook.add_worksheet().set_name("图表")?;
        for (c, name) in ["发现的种类", "错误", "警告"].iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, *name, &bold)?;
        }
        sheet.set_column_width(0, 24)?;
        for (i, (code, errors, warnings)) in codes.iter().enumerate() {
            let row = i as u32 + 1;
            sheet.write_string(row, 0, code.label())?;
            sheet.write_number(row, 1, *errors as f64)?;
            sheet.write_number(row, 2, *warnings as f64)?;
        }
        if !codes.is_empty() {
            let last = codes.len() as u32;
            let mut chart = Chart::new(ChartType::BarStacked);
            for (col, name) in [(1u16, "错误"), (2, "警告")] {
                chart
                    .add_series()
                    .set_name(name)
                    .set_categories(("图表", 1, 0, last, 0))
                    .set_values(("图表", 1, col, last, col));
            }
            chart.title().set_name("发现的种类");
            sheet.insert_chart(1, 4, &chart)?;
        }
        workbook.save_to_buffer()
    }
}

fn findings_table(out: &mut String, findings: &[&Reviewed]) {
    out.push_str("<table class=\"findings\"><thead><tr><th>核查状态</th><th>严重程度</th><th>位置</th><th>说明</th><th>原文</th><th>指纹</th></tr></thead><tbody>");
    for r in findings {
        let severity = match r.finding.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let standing = match &r.standing {
            Standing::New => "新发现".to_string(),
            Standing::Changed(d) => format!(
                "有变化：此处曾{}（{}），数字已不同",
                d.verdict.label(),
                escape(&d.reason)
            ),
            Standing::Decided(d) => format!(
                "已{}：{}（{} {}）",
                d.verdict.label(),
                escape(&d.reason),
                escape(&d.reviewer),
                escape(&d.date)
            ),
        };
        let _ = write!(
            out,
            "<tr class=\"{severity} {}\"><td>{standing}</td><td title=\"{}\">{}<br><small>{}</small></td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
            r.standing.code(),
            r.finding.code.as_str(),
            r.finding.severity.label(),
            r.finding.code.label(),
            escape(&r.finding.location),
            escape(&r.finding.message),
            escape(r.quote.as_deref().unwrap_or("")),
            r.print.full
        );
    }
    out.push_str("</tbody></table>");
}

/// Horizontal bars, errors and warnings side by side, each with its figure written beside it
/// (the page reads without colour).
fn bars(items: &[(String, usize, usize)], id: &str) -> String {
    if items.is_empty() {
        return "<p class=\"muted\">没有发现。</p>".into();
    }
    let max = items
        .iter()
        .map(|(_, e, w)| e + w)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let (width, label_width, row_height) = (520.0, 170.0, 24.0);
    let height = row_height * items.len() as f64 + 30.0;
    let said: Vec<String> = items
        .iter()
        .map(|(l, e, w)| format!("{l}：错误{e}、警告{w}"))
        .collect();
    let mut svg = format!(
        "<svg class=\"chart\" id=\"{id}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}-title\"><title id=\"{id}-title\">{}</title>",
        escape(&said.join("；"))
    );
    let scale = (width - label_width - 60.0) / max;
    for (i, (label, errors, warnings)) in items.iter().enumerate() {
        let y = 4.0 + row_height * i as f64;
        let e = *errors as f64 * scale;
        let w = *warnings as f64 * scale;
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"12\">{}</text>\
             <rect x=\"{label_width}\" y=\"{}\" width=\"{e}\" height=\"{}\" fill=\"#b3261e\"/>\
             <rect x=\"{}\" y=\"{}\" width=\"{w}\" height=\"{}\" fill=\"#c98a00\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"12\">{errors}＋{warnings}</text>",
            label_width - 6.0,
            y + 15.0,
            escape(label),
            y + 3.0,
            row_height - 8.0,
            label_width + e,
            y + 3.0,
            row_height - 8.0,
            label_width + e + w + 4.0,
            y + 15.0,
        );
    }
    let legend_y = height - 8.0;
    let _ = write!(
        svg,
        "<rect x=\"{label_width}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"#b3261e\"/><text x=\"{}\" y=\"{legend_y}\" font-size=\"12\">错误</text>\
         <rect x=\"{}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"#c98a00\"/><text x=\"{}\" y=\"{legend_y}\" font-size=\"12\">警告　（条后数字：错误＋警告）</text></svg>",
        legend_y - 9.0,
        label_width + 14.0,
        label_width + 60.0,
        legend_y - 9.0,
        label_width + 74.0,
    );
    svg
}

/// The row of a table a finding names, as the report was read: `自然人 5、…、总计 8`.
pub fn quote(report: &Report, finding: &Finding) -> Option<String> {
    let location = finding.location.as_str();
    if let Some(rest) = location.strip_prefix("表三") {
        // The longest row label the location names (（七）总计 before 总计).
        let row = report
            .table3
            .rows
            .iter()
            .map(|(row, _)| *row)
            .filter(|row| rest.contains(&row.short_label()))
            .max_by_key(|row| row.short_label().len())?;
        let cells = report.table3.row(row)?;
        return Some(format!(
            "{}：{}",
            row.short_label(),
            shown_row(
                Table3Column::ALL.iter().map(|c| c.label()),
                cells
                    .iter()
                    .zip(Table3Column::ALL)
                    .map(|(value, column)| { report.shown(CellAt::Table3(row, column), *value) })
            )
        ));
    }
    if let Some(rest) = location.strip_prefix("表四") {
        let group = Table4Group::ALL
            .into_iter()
            .filter(|g| rest.contains(g.label()))
            .max_by_key(|g| g.label().len())?;
        let cells = report.table4.group(group);
        return Some(format!(
            "{}：{}",
            group.label(),
            shown_row(
                TABLE4_COLUMNS.iter().copied(),
                cells
                    .iter()
                    .enumerate()
                    .map(|(i, value)| report.shown(CellAt::Table4(group, i), *value))
            )
        ));
    }
    if let Some(rest) = location.strip_prefix("表二") {
        let format = report.table2.format;
        let row = report
            .table2
            .rows
            .iter()
            .filter(|r| rest.contains(r.item.label(format)))
            .max_by_key(|r| r.item.label(format).len())?;
        return Some(format!(
            "{}：{}",
            row.item.label(format),
            shown_row(
                row.item.columns(format).iter().copied(),
                row.cells
                    .iter()
                    .enumerate()
                    .map(|(i, value)| report.shown_amount(CellAt::Table2(row.item, i), *value))
            )
        ));
    }
    None
}

fn shown_row<'a>(
    names: impl Iterator<Item = &'a str>,
    values: impl Iterator<Item = String>,
) -> String {
    names
        .zip(values)
        .map(|(name, value)| {
            let value = if value.is_empty() {
                "（空白）".to_string()
            } else {
                value
            };
            format!("{name} {value}")
        })
        .collect::<Vec<_>>()
        .join("、")
}

const STYLE: &str = "body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;max-width:1100px;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}\
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}h3{font-size:1rem;margin:0}\
.muted{color:#555}.alert{background:#fdecea;padding:.5rem;border-left:4px solid #b3261e}\
.tiles{display:flex;flex-wrap:wrap;gap:.5rem}.tile{border:1px solid #ccd;border-radius:6px;padding:.5rem .8rem;min-width:6rem}\
.tile b{display:block;font-size:1.4rem}.tile.inconsistent b,.tile.new b{color:#b3261e}.tile.changed b{color:#8a5a00}\
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #ccd;padding:.3rem .4rem;vertical-align:top;text-align:left;font-size:.9rem}\
thead th{background:#f3f5f8}.scroll{overflow-x:auto}.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:1rem}\
.status{display:inline-block;padding:0 .4rem;border-radius:4px;text-decoration:none;color:#1a1a1a}.status small{display:block}\
.status.consistent{background:#e6f4ea}.status.inconsistent{background:#fdecea}.status.incomplete{background:#fff4e0}.status.unreadable{background:#eee}\
tr.error td:first-child{border-left:4px solid #b3261e}tr.warning td:first-child{border-left:4px solid #c98a00}\
.findings th:nth-child(1){min-width:5.5em}.findings th:nth-child(2){min-width:6em}.findings th:nth-child(3){min-width:9em}.findings th:nth-child(5){min-width:10em}\
.doc{border-top:1px solid #ccd;padding-top:.8rem;margin-top:1rem}svg.chart{width:100%;height:auto}code{font-size:.8rem}\
@media print{details{display:block}.scroll{overflow:visible}}";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Table3Row;
    use crate::review::{Decision, Verdict};

    fn batch(decisions: &Decisions) -> (Batch, Report) {
        let mut report = crate::read(include_str!("../testdata/2023-hedong-taiping.txt")).report;
        let cell = Table3Column::Total.index();
        report.table3.row_mut(Table3Row::NewlyReceived).unwrap()[cell] = Some(99);
        let findings = crate::check(&report, None);
        let read = vec![
            Read {
                file: "taiping.pdf".into(),
                status: Status::Inconsistent,
                problem: None,
                report: Some(&report),
                findings,
            },
            Read {
                file: "scan.png".into(),
                status: Status::Unreadable,
                problem: Some("无法识别<表格>".into()),
                report: None,
                findings: Vec::new(),
            },
        ];
        (Batch::new("2023年度报告核查", read, decisions), report)
    }

    #[test]
    fn each_finding_shows_the_row_it_came_from() {
        let (batch, _) = batch(&Decisions::default());
        let row_total = batch.entries[0]
            .findings
            .iter()
            .find(|r| r.finding.code == Code::RowTotal)
            .expect("the altered total fails its row");
        let quote = row_total.quote.as_deref().unwrap();
        assert!(quote.starts_with("一、本年新收"), "{quote}");
        assert!(quote.ends_with("总计 99"), "{quote}");
        assert!(batch.entries[0].document.ends_with(" 2023"));
        assert_eq!(batch.entries[1].document, "scan.png");
    }

    #[test]
    fn the_page_tallies_charts_and_folds_what_was_decided() {
        let (first, _) = batch(&Decisions::default());
        let tally = first.tally();
        assert!(tally.new > 0 && tally.confirmed == 0);
        // Decide one finding through the CSV the batch writes, as a reviewer would.
        let csv = first.csv();
        let lines: Vec<&str> = csv.lines().collect();
        let header: Vec<&str> = lines[0].split(',').collect();
        let decision = header.iter().position(|h| *h == "decision").unwrap();
        let row_total = lines
            .iter()
            .position(|l| l.contains("T3_ROW_TOTAL"))
            .unwrap();
        let mut filled: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        let fields = crate::review::parse_csv(&format!("{}\n", lines[row_total])).unwrap();
        let mut fields = fields[0].clone();
        fields[decision] = "驳回".into();
        fields[decision + 1] = "印刷错误，已函告更正".into();
        filled[row_total] = fields
            .iter()
            .map(|f| csv_field(f))
            .collect::<Vec<_>>()
            .join(",");
        let decisions = Decisions::from_csv(&filled.join("\n")).unwrap();
        assert_eq!(decisions.len(), 1);

        let (again, _) = batch(&decisions);
        let tally = again.tally();
        assert_eq!(tally.dismissed, 1);
        assert_eq!(tally.new + 1, first.tally().new);
        let page = again.html("2026-12-03");
        assert!(
            page.contains("已驳回：印刷错误，已函告更正"),
            "decided, folded"
        );
        assert!(page.contains("<details><summary>已处理1项</summary>"));
        assert!(page.contains("<svg class=\"chart\" id=\"kinds\""));
        assert!(page.contains("表三行合计不符"));
        assert!(page.contains("无法识别&lt;表格&gt;"), "escaped");
        assert!(page.contains("href=\"#doc-0\""));
        // Written again, the decision stays in the file; read back, it is the same.
        let kept = Decisions::from_csv(&again.csv()).unwrap();
        assert_eq!(kept.len(), 1);
        // A finding gone from the batch keeps its decision, listed as gone.
        let mut extra = decisions.clone();
        let print = Fingerprint {
            full: "00000000000000aa".into(),
            place: "00000000000000bb".into(),
        };
        extra.insert(Decision::new(&print, Verdict::Confirmed, "", "李", "2026-11-30").unwrap());
        let (with_gone, _) = batch(&extra);
        assert_eq!(with_gone.tally().gone, 1);
        assert!(with_gone.html("d").contains("已不再出现的发现"));
        assert_eq!(Decisions::from_csv(&with_gone.csv()).unwrap().len(), 2);
        // The workbook opens as a zip with its three sheets.
        let book = with_gone.xlsx().unwrap();
        assert!(book.starts_with(b"PK"));
    }
}
