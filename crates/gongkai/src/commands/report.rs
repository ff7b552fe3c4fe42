//! `gongkai report …`: check, export, render and lint published annual reports.

use std::{
    collections::BTreeMap,
    io::{IsTerminal, Write},
    path::{Path, PathBuf},
    process::ExitCode,
    sync::{
        Mutex,
        atomic::{AtomicUsize, Ordering},
    },
};

use gongkai_law::RuleViolation;
use gongkai_report::{
    Assessment, Reading, Report, Status,
    assess::assess_reading,
    export::{self, TableId},
    json, render,
};
use serde_json::{Value, json};

use crate::{
    cli::{ExportFormat, RenderFormat, ReportCommand},
    failure::Failure,
    input::read_text,
};

pub fn run(command: ReportCommand) -> Result<ExitCode, Failure> {
    match command {
        ReportCommand::Check {
            files,
            previous,
            json,
        } => check(&files, previous.as_deref(), json),
        ReportCommand::Export {
            file,
            table,
            format,
            partial,
        } => export(&file, &table, format, partial),
        ReportCommand::Render { file, format, out } => render_report(&file, format, out.as_deref()),
        ReportCommand::Lint {
            dir,
            out,
            html,
            xlsx,
            decisions,
            parents,
            jobs,
        } => lint(
            &dir,
            &LintOutputs {
                csv: out,
                html,
                xlsx,
                decisions,
                parents,
            },
            jobs,
        ),
    }
}

/// A report from a file: the JSON model as it is, published text or HTML through the reader.
fn load(path: &Path, previous: Option<&Report>) -> Result<Assessment, Failure> {
    assess_text(path, &read_text(path)?, previous)
}

fn assess_text(path: &Path, text: &str, previous: Option<&Report>) -> Result<Assessment, Failure> {
    if text.trim_start().starts_with('{') {
        let report = json::from_json(text).map_err(|e| {
            Failure::from(RuleViolation::new(
                "FILE",
                format!("{}：{e}", path.display()),
                "invalid JSON report model",
            ))
        })?;
        return Ok(assess_reading(Reading::from_model(report), previous));
    }
    Ok(gongkai_report::assess(text, previous))
}

/// A report that has at least its table 三; otherwise bad input saying so.
fn load_readable(file: &Path) -> Result<Assessment, Failure> {
    let assessment = load(file, None)?;
    if assessment.status == Status::Unreadable {
        return Err(RuleViolation::new(
            "FILE",
            format!("{} 无法作为年度报告读取：未找到表三", file.display()),
            "not readable as an annual report",
        )
        .into());
    }
    Ok(assessment)
}

fn check(files: &[PathBuf], previous: Option<&Path>, as_json: bool) -> Result<ExitCode, Failure> {
    let previous = previous.map(|p| load(p, None)).transpose()?;
    let previous_report = previous
        .as_ref()
        .filter(|a| a.status != Status::Unreadable)
        .map(|a| a.report());
    let mut worst = Status::Consistent;
    let mut documents = Vec::new();
    for file in files {
        let assessment = load(file, previous_report)?;
        worst = worst.max(assessment.status);
        if as_json {
            documents.push(assessment_json(file, &assessment));
        } else {
            print!("{}", describe(file, &assessment));
        }
    }
    if as_json {
        let value = json!({"status": worst.code(), "reports": documents});
        println!(
            "{}",
            serde_json::to_string_pretty(&value).expect("JSON serializes")
        );
    }
    Ok(ExitCode::from(worst.exit_code()))
}

fn describe(file: &Path, a: &Assessment) -> String {
    let report = a.report();
    let mut out = format!(
        "{}：{}（错误 {}，警告 {}）\n",
        file.display(),
        a.status.label(),
        a.errors(),
        a.warnings()
    );
    if a.status != Status::Unreadable {
        let who = [
            report.meta.agency.clone(),
            report.meta.year.map(|y| format!("{y}年度")),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
        out.push_str(&format!(
            "  格式：{}；表格形式：{}{}\n",
            report.format.label(),
            a.reading.shape.label(),
            if who.is_empty() {
                String::new()
            } else {
                format!("；{who}")
            }
        ));
    }
    for finding in &a.findings {
        out.push_str(&format!("  {finding}\n"));
    }
    out
}

fn assessment_json(file: &Path, a: &Assessment) -> Value {
    let report = a.report();
    json!({
        "file": file.display().to_string(),
        "status": a.status.code(),
        "format": report.format.code(),
        "shape": a.reading.shape.code(),
        "year": report.meta.year,
        "agency": report.meta.agency,
        "errors": a.errors(),
        "warnings": a.warnings(),
        "findings": a.findings.iter().map(|f| json!({
            "code": f.code.as_str(), "severity": f.severity.code(), "location": f.location, "message": f.message,
        })).collect::<Vec<_>>(),
        "tables": {
            "table2": export::to_json(report, TableId::Two),
            "table3": export::to_json(report, TableId::Three),
            "table4": export::to_json(report, TableId::Four),
        },
    })
}

fn export(
    file: &Path,
    table: &str,
    format: ExportFormat,
    partial: bool,
) -> Result<ExitCode, Failure> {
    let table = TableId::parse(table).ok_or_else(|| {
        Failure::from(RuleViolation::new(
            "--table",
            format!("应为 2、3 或 4，「{table}」不是"),
            format!("must be 2, 3 or 4, not \"{table}\""),
        ))
    })?;
    let assessment = load_readable(file)?;
    let gaps: Vec<String> = assessment
        .reading
        .findings
        .iter()
        .filter(|f| {
            f.location.starts_with(table.label())
                && (f.code.is_reading_gap() || f.code == gongkai_report::Code::AmbiguousSplit)
        })
        .map(|f| f.to_string())
        .collect();
    if !gaps.is_empty() && !partial {
        return Err(RuleViolation::new(
            "FILE",
            format!(
                "{}未能完整读取，为免空白被误作数值，未导出（如仍需导出请加 --partial）：{}",
                table.label(),
                gaps.join("；")
            ),
            format!(
                "{} was not read in full; use --partial to export anyway",
                table.label()
            ),
        )
        .into());
    }
    let report = assessment.report();
    match format {
        ExportFormat::Csv => print!("{}", export::to_csv(&export::grid(report, table))),
        ExportFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&export::to_json(report, table)).expect("JSON serializes")
        ),
    }
    Ok(ExitCode::SUCCESS)
}

fn render_report(
    file: &Path,
    format: RenderFormat,
    out: Option<&Path>,
) -> Result<ExitCode, Failure> {
    let assessment = load_readable(file)?;
    for finding in assessment
        .findings
        .iter()
        .filter(|f| f.code.is_reading_gap())
    {
        eprintln!("警告 warning: {finding}");
    }
    let report = assessment.report();
    let output: Vec<u8> = match format {
        RenderFormat::Md => render::markdown::render(report).into_bytes(),
        RenderFormat::Html => render::html::render(report).into_bytes(),
        RenderFormat::Json => {
            (serde_json::to_string_pretty(&json::to_json(report)).expect("JSON serializes") + "\n")
                .into_bytes()
        }
        RenderFormat::Docx => {
            render::docx::render(report).map_err(|e| Failure::io("无法生成 DOCX", e))?
        }
        RenderFormat::Xlsx => {
            render::xlsx::render(report).map_err(|e| Failure::io("无法生成 XLSX", e))?
        }
        #[cfg(feature = "pdf")]
        RenderFormat::Pdf => {
            gongkai_report_pdf::render(report).map_err(|e| Failure::io("无法生成 PDF", e))?
        }
    };
    match out {
        Some(path) => write_atomically(path, &output)?,
        None if !matches!(
            format,
            RenderFormat::Md | RenderFormat::Html | RenderFormat::Json
        ) =>
        {
            return Err(RuleViolation::new(
                "-o",
                "Word、Excel、PDF 文件须用 -o 指定输出文件",
                "binary formats need an output file (-o OUT)",
            )
            .into());
        }
        None => std::io::stdout()
            .write_all(&output)
            .map_err(|e| Failure::io("无法写到标准输出", e))?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes next to the target and renames, so a crash never leaves half a file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = path.with_file_name(format!(".{name}.tmp"));
    std::fs::write(&temporary, bytes)
        .map_err(|e| Failure::io(format!("无法写入 {}", temporary.display()), e))?;
    std::fs::rename(&temporary, path)
        .map_err(|e| Failure::io(format!("无法保存 {}", path.display()), e))
}

const REPORT_EXTENSIONS: [&str; 11] = [
    "txt", "html", "htm", "md", "json", "docx", "xlsx", "pdf", "png", "jpg", "jpeg",
];

fn collect(dir: &Path, into: &mut Vec<PathBuf>) -> Result<(), Failure> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Failure::from(RuleViolation::new(
            "DIR",
            format!("无法读取目录 {}：{}", dir.display(), e.kind()),
            format!("cannot read directory {}: {e}", dir.display()),
        ))
    })?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect(&path, into)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| REPORT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        {
            into.push(path);
        }
    }
    Ok(())
}

struct LintRow {
    file: PathBuf,
    status: Status,
    findings: Vec<gongkai_report::Finding>,
    problem: Option<String>,
    /// The report read, for the checks across documents.
    report: Option<Box<gongkai_report::Report>>,
}

/// What `report lint` writes and reads beside the folder.
struct LintOutputs {
    csv: Option<PathBuf>,
    html: Option<PathBuf>,
    xlsx: Option<PathBuf>,
    decisions: Option<PathBuf>,
    parents: Option<PathBuf>,
}

/// Open findings listed on the terminal, at most (the files hold them all).
const LISTED: usize = 200;

/// A small text file beside the reports (decisions, hierarchy), bounded before it is read.
fn side_file(path: &Path, what: &str) -> Result<String, Failure> {
    use std::io::Read;
    const MAX: u64 = 64 * 1024 * 1024;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX + 1).read_to_end(&mut bytes))
        .map_err(|e| {
            Failure::from(RuleViolation::new(
                "FILE",
                format!("无法读取{what} {}：{}", path.display(), e.kind()),
                format!("cannot read {}: {e}", path.display()),
            ))
        })?;
    if bytes.len() as u64 > MAX {
        return Err(RuleViolation::new(
            "FILE",
            format!("{what} {} 超过64MB", path.display()),
            "file too large",
        )
        .into());
    }
    // Excel saves CSV as GB18030 on Chinese Windows: decoded as the reports are.
    gongkai_sheets::report_file::decode(&bytes).ok_or_else(|| {
        RuleViolation::new(
            "FILE",
            format!(
                "{what} {} 不是文本文件：请另存为 CSV（UTF-8 或 GBK）",
                path.display()
            ),
            "not a text file",
        )
        .into()
    })
}

fn bad_side_file(path: &Path, what: &str, error: String) -> Failure {
    RuleViolation::new(
        "FILE",
        format!("{what} {}：{error}", path.display()),
        format!("invalid {}", path.display()),
    )
    .into()
}

fn lint(dir: &Path, outputs: &LintOutputs, jobs: Option<usize>) -> Result<ExitCode, Failure> {
    // The files beside the folder first: a mistake in them is said before any work.
    let decisions = match &outputs.decisions {
        Some(path) => gongkai_report::review::Decisions::from_csv(&side_file(path, "决定文件")?)
            .map_err(|e| bad_side_file(path, "决定文件", e))?,
        None => gongkai_report::review::Decisions::default(),
    };
    let parents = match &outputs.parents {
        Some(path) => gongkai_report::across::parents_from(&side_file(path, "隶属关系文件")?)
            .map_err(|e| bad_side_file(path, "隶属关系文件", e))?,
        None => gongkai_report::across::Parents::new(),
    };
    let mut files = Vec::new();
    collect(dir, &mut files)?;
    let jobs = jobs
        .or_else(|| std::thread::available_parallelism().ok().map(|n| n.get()))
        .unwrap_or(1)
        .clamp(1, 64);
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<LintRow>>> = Mutex::new((0..files.len()).map(|_| None).collect());
    let progress = std::io::stderr().is_terminal();
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(file) = files.get(i) else { break };
                    let unreadable = |f: Failure| LintRow {
                        file: file.clone(),
                        status: Status::Unreadable,
                        findings: Vec::new(),
                        problem: Some(f.to_string()),
                        report: None,
                    };
                    let row = match read_text(file).and_then(|text| assess_text(file, &text, None))
                    {
                        Ok(a) => LintRow {
                            file: file.clone(),
                            status: a.status,
                            report: Some(Box::new(a.report().clone())),
                            findings: a.findings,
                            problem: None,
                        },
                        Err(f) => unreadable(f),
                    };
                    results.lock().expect("no worker panics holding the lock")[i] = Some(row);
                    let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
                    if progress {
                        let width = 30;
                        let filled = finished * width / files.len().max(1);
                        eprint!(
                            "\r[{}{}] {finished}/{} 份报告",
                            "#".repeat(filled),
                            "-".repeat(width - filled),
                            files.len()
                        );
                        let _ = std::io::stderr().flush();
                    }
                }
            });
        }
    });
    if progress {
        eprintln!();
    }
    let mut rows: Vec<LintRow> = results
        .into_inner()
        .expect("workers finished")
        .into_iter()
        .flatten()
        .collect();
    // Across documents: each agency's years against one another, parents against children.
    let read: Vec<(usize, &gongkai_report::Report)> = rows
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.report.as_deref().map(|report| (i, report)))
        .collect();
    let reports: Vec<&gongkai_report::Report> = read.iter().map(|(_, r)| *r).collect();
    let across: Vec<(usize, gongkai_report::Finding)> =
        gongkai_report::across::lint(&reports, &parents)
            .into_iter()
            .map(|(i, finding)| (read[i].0, finding))
            .collect();
    for (row, finding) in across {
        rows[row].findings.push(finding);
    }
    let batch = gongkai_report::batch::Batch::new(
        &format!("{} 年度报告核查结果", dir.display()),
        rows.iter_mut()
            .map(|row| gongkai_report::batch::Read {
                file: row
                    .file
                    .strip_prefix(dir)
                    .unwrap_or(&row.file)
                    .display()
                    .to_string(),
                status: row.status,
                problem: row.problem.clone(),
                report: row.report.as_deref(),
                findings: std::mem::take(&mut row.findings),
            })
            .collect(),
        &decisions,
    );
    let mut by_status: BTreeMap<Status, usize> = BTreeMap::new();
    let mut by_code: BTreeMap<&str, usize> = BTreeMap::new();
    for entry in &batch.entries {
        *by_status.entry(entry.status).or_default() += 1;
        for r in &entry.findings {
            *by_code.entry(r.finding.code.as_str()).or_default() += 1;
        }
    }
    let count = |s| by_status.get(&s).copied().unwrap_or(0);
    let read_ok = batch.entries.len() - count(Status::Unreadable);
    println!(
        "共 {} 份：已读取 {}（一致 {}，不一致 {}，不完整 {}），无法读取 {}",
        batch.entries.len(),
        read_ok,
        count(Status::Consistent),
        count(Status::Inconsistent),
        count(Status::Incomplete),
        count(Status::Unreadable)
    );
    if !by_code.is_empty() {
        println!("发现（按代码）：");
        for (code, n) in &by_code {
            println!("  {code:<22}{n}");
        }
    }
    for entry in batch.entries.iter().filter(|e| e.problem.is_some()) {
        println!(
            "  {}：{}",
            entry.file,
            entry.problem.as_deref().unwrap_or_default()
        );
    }
    if outputs.decisions.is_some() {
        let tally = batch.tally();
        println!(
            "核查：新发现 {}，有变化 {}，已确认 {}，已驳回 {}，已不再出现 {}",
            tally.new, tally.changed, tally.confirmed, tally.dismissed, tally.gone
        );
        // Only what a reviewer still has to look at.
        let open: Vec<(&str, &gongkai_report::batch::Reviewed)> = batch
            .entries
            .iter()
            .flat_map(|e| e.findings.iter().map(move |r| (e.file.as_str(), r)))
            .filter(|(_, r)| r.standing.open())
            .collect();
        for (file, r) in open.iter().take(LISTED) {
            println!("  [{}] {file} {}", r.standing.label(), r.finding);
        }
        if open.len() > LISTED {
            println!("  ……另有{}项，见输出文件", open.len() - LISTED);
        }
    }
    if let Some(path) = &outputs.csv {
        write_atomically(path, batch.csv().as_bytes())?;
        println!(
            "全部发现已写入 {}（填写“decision”列为确认或驳回、“reason”列为理由，下次用 --decisions 读入）",
            path.display()
        );
    }
    if let Some(path) = &outputs.html {
        let today = gongkai_law::date::china_date(jiff::Timestamp::now()).to_string();
        write_atomically(path, batch.html(&today).as_bytes())?;
        println!("核查结果网页已写入 {}", path.display());
    }
    if let Some(path) = &outputs.xlsx {
        let bytes = batch.xlsx().map_err(|e| {
            Failure::from(RuleViolation::new("XLSX", e, "cannot write the workbook"))
        })?;
        write_atomically(path, &bytes)?;
        println!("核查结果工作簿已写入 {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}
