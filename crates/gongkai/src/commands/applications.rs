//! `gongkai applications import|stats`.

use std::{collections::HashSet, path::Path, process::ExitCode};

use gongkai_domain::{
    AgencyCode, Applicant, Application, ApplicationNumber, Channel, DomainError, NewApplication,
    imports::{self, ImportItem, ImportState, StagedItem},
    letters::{self, LetterKind},
    stats,
    store::{LetterToIssue, Store, table3_for_subtree},
};
use gongkai_law::{ApplicantKind, Date, Outcome, WorkingCalendar, parse_date};
use gongkai_report::{
    Report,
    export::{self, TableId},
    model::Format,
};

use super::{cli_stamp, read_input_bytes, store_failure};
use crate::{
    cli::{ApplicationsCommand, ExportFormat, LetterFormat},
    failure::Failure,
};

pub async fn run<S: Store>(
    store: &S,
    command: ApplicationsCommand,
    calendar: &WorkingCalendar,
) -> Result<ExitCode, Failure> {
    match command {
        ApplicationsCommand::Import { file, agency } => import(store, &file, &agency).await,
        ApplicationsCommand::Stats {
            agency,
            year,
            format,
            subtree,
        } => statistics(store, &agency, &year, format, subtree).await,
        ApplicationsCommand::Letter {
            agency,
            number,
            kind,
            format,
            out,
            date,
        } => {
            letter(
                store,
                calendar,
                &agency,
                &number,
                &kind,
                format,
                &out,
                date.as_deref(),
            )
            .await
        }
    }
}

fn refused(e: DomainError) -> Failure {
    Failure::Refused(e.to_string())
}

async fn known_agency<S: Store>(store: &S, code: &str) -> Result<AgencyCode, Failure> {
    let code = AgencyCode::parse(code).map_err(refused)?;
    if store.agency(&code).await.map_err(store_failure)?.is_none() {
        return Err(refused(DomainError::NotFound(format!(
            "机关 {code} 不存在：先用 `gongkai admin agency add {code} 全称` 添加"
        ))));
    }
    Ok(code)
}

/// The columns an import file has (by their Chinese headings).
const REQUIRED: [&str; 5] = ["申请编号", "收到日期", "申请人类型", "答复日期", "办理结果"];
const OPTIONAL: [&str; 3] = ["申请人", "申请内容", "申请方式"];

/// Rows of text cells, with the line number each came from (CSV or XLSX, read within the
/// bounds of `gongkai_sheets`: a hostile file is refused, never allowed to exhaust memory).
fn read_rows(path: &Path) -> Result<Vec<(usize, Vec<String>)>, Failure> {
    let bytes = read_input_bytes(path)?;
    let name = path.to_string_lossy();
    let rows =
        gongkai_sheets::read(&name, &bytes, &gongkai_sheets::Limits::default()).map_err(|e| {
            refused(DomainError::invalid(
                "FILE",
                format!("{}：{e}", path.display()),
            ))
        })?;
    Ok(rows
        .into_iter()
        .enumerate()
        .map(|(i, cells)| {
            (
                i + 1,
                cells
                    .iter()
                    .map(|c| c.trim().trim_start_matches('\u{feff}').to_string())
                    .collect(),
            )
        })
        .collect())
}

async fn import<S: Store>(store: &S, path: &Path, agency: &str) -> Result<ExitCode, Failure> {
    let agency = known_agency(store, agency).await?;
    let rows = read_rows(path)?;
    let Some((_, header)) = rows
        .iter()
        .find(|(_, cells)| cells.iter().any(|c| !c.is_empty()))
    else {
        return Err(refused(DomainError::invalid("FILE", "文件是空的")));
    };
    let column = |name: &str| header.iter().position(|h| h.trim() == name);
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|name| column(name).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(refused(DomainError::invalid(
            "表头",
            format!(
                "缺少列：{}（必需列：{}；可选列：{}）",
                missing.join("、"),
                REQUIRED.join("、"),
                OPTIONAL.join("、")
            ),
        )));
    }
    let index: Vec<usize> = REQUIRED
        .iter()
        .map(|n| column(n).expect("checked above"))
        .collect();
    let optional: Vec<Option<usize>> = OPTIONAL.iter().map(|n| column(n)).collect();
    let header_line = rows
        .iter()
        .position(|(_, cells)| cells == header)
        .expect("found above");
    let now = jiff::Timestamp::now();
    let today = gongkai_law::date::china_date(now);
    let mut errors = Vec::new();
    let mut applications = Vec::new();
    let mut seen = HashSet::new();
    for (line, cells) in rows.iter().skip(header_line + 1) {
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        let get = |i: usize| cells.get(i).map(String::as_str).unwrap_or("").trim();
        let opt = |i: Option<usize>| i.map(&get).unwrap_or("");
        // A number used twice is an error whatever else is wrong with either row.
        let number = get(index[0]);
        if !number.is_empty() && !seen.insert(number.to_string()) {
            errors.push(format!("第{line}行：申请编号 {number} 在文件中重复"));
            continue;
        }
        match parse_row(
            &agency,
            number,
            get(index[1]),
            get(index[2]),
            get(index[3]),
            get(index[4]),
            opt(optional[0]),
            opt(optional[1]),
            opt(optional[2]),
            now,
            today,
        ) {
            Ok(app) => applications.push(StagedItem {
                line: u32::try_from(*line).unwrap_or(u32::MAX),
                item: ImportItem::Application(Box::new(app)),
            }),
            Err(message) => errors.push(format!("第{line}行：{message}")),
        }
    }
    if !errors.is_empty() {
        for error in &errors {
            eprintln!("{error}");
        }
        return Err(Failure::Refused(format!(
            "{} 行有误，全部未导入；请改正后重新导入",
            errors.len()
        )));
    }
    // Checked; written in pieces by an import job, so a server on the same database keeps
    // answering the public meanwhile, and an interrupted import continues where it stopped.
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let job = imports::stage(
        store,
        &agency,
        &file_name,
        &applications,
        &cli_stamp(),
        jiff::Timestamp::now,
        super::imports::rest,
    )
    .await
    .map_err(|e| match store_failure(e) {
        Failure::Refused(m) => Failure::Refused(format!("{m}；全部未导入")),
        other => other,
    })?;
    eprintln!(
        "已检查 {} 件，导入任务 {} 开始写入（中断后可用 gongkai imports run 继续）",
        job.total, job.id
    );
    let ended = super::imports::follow(store, &job).await?;
    if ended.state == ImportState::Failed {
        return Err(Failure::Refused(
            ended.message.unwrap_or_else(|| "导入未完成".into()),
        ));
    }
    println!("已导入 {} 件申请到 {agency}", ended.done);
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::too_many_arguments)]
fn parse_row(
    agency: &AgencyCode,
    number: &str,
    received: &str,
    kind: &str,
    answered: &str,
    outcome: &str,
    name: &str,
    content: &str,
    channel: &str,
    now: jiff::Timestamp,
    today: Date,
) -> Result<Application, String> {
    let number = ApplicationNumber::parse(number).map_err(|e| e.to_string())?;
    let received = parse_date("收到日期", received)
        .map_err(|e| e.zh.clone())
        .map_err(|e| format!("收到日期{e}"))?;
    let kind = ApplicantKind::parse(kind).ok_or_else(|| {
        format!("申请人类型「{kind}」应为 自然人、商业企业、科研机构、社会公益组织、法律服务机构 或 其他")
    })?;
    let answered = match (answered.is_empty(), outcome.is_empty()) {
        (true, true) => None,
        (false, false) => {
            let date = parse_date("答复日期", answered).map_err(|e| format!("答复日期{}", e.zh))?;
            let outcome = Outcome::parse(outcome).ok_or_else(|| format!("办理结果「{outcome}」不是年度报告表三的办理结果（如 予以公开、属于国家秘密、重复申请、其他）"))?;
            Some((date, outcome))
        }
        (true, false) => {
            return Err("有办理结果而无答复日期：已答复的请填答复日期，未答复的两列都留空".into());
        }
        (false, true) => return Err("有答复日期而无办理结果".into()),
    };
    let channel = if channel.is_empty() {
        Channel::InPerson
    } else {
        Channel::parse(channel).ok_or_else(|| {
            format!("申请方式「{channel}」应为 当面、挂号信、平信、网络、传真 或 电子邮件")
        })?
    };
    let applicant = Applicant::new(
        kind,
        if name.is_empty() {
            "（历史数据）"
        } else {
            name
        },
        None,
        "",
    )
    .map_err(|e| e.to_string())?;
    let new = NewApplication {
        number,
        applicant,
        channel,
        received,
        content: if content.is_empty() {
            "（历史数据导入）".to_string()
        } else {
            content.to_string()
        },
        wanted_form: String::new(),
    };
    Application::historical(agency.clone(), new, answered, now, today).map_err(|e| e.to_string())
}

#[allow(clippy::too_many_arguments)]
async fn letter<S: Store>(
    store: &S,
    calendar: &WorkingCalendar,
    agency: &str,
    number: &str,
    kind: &str,
    format: LetterFormat,
    out: &Path,
    date: Option<&str>,
) -> Result<ExitCode, Failure> {
    let agency = super::admin::existing_agency(store, agency).await?;
    let number = ApplicationNumber::parse(number).map_err(refused)?;
    let kind = LetterKind::parse(kind).map_err(refused)?;
    let date = match date {
        Some(text) => parse_date("--date", text)?,
        None => gongkai_law::date::china_date(jiff::Timestamp::now()),
    };
    if agency.settings.letter_prefix.trim().is_empty() {
        return Err(refused(DomainError::invalid(
            "机关设置",
            format!(
                "尚未设置文书编号字头：gongkai admin agency set {} --letter-prefix 字头",
                agency.code
            ),
        )));
    }
    let application = store
        .application(&agency.code, &number)
        .await
        .map_err(store_failure)?
        .ok_or_else(|| refused(DomainError::NotFound(format!("申请 {number} 不存在"))))?;
    let document =
        letters::compose(kind, &application, &agency, calendar, date).map_err(refused)?;
    let issue = LetterToIssue {
        agency: &agency.code,
        application: &number,
        kind,
        prefix: &agency.settings.letter_prefix,
        issued_on: date,
        document: &document,
    };
    let issued = store
        .issue_letter(issue, &cli_stamp())
        .await
        .map_err(store_failure)?;
    let bytes = match format {
        LetterFormat::Html => gongkai_report::render::letter::html(&issued.document).into_bytes(),
        LetterFormat::Docx => gongkai_report::render::letter::docx(&issued.document)
            .map_err(|e| Failure::io("无法生成 DOCX", e))?,
        #[cfg(feature = "pdf")]
        LetterFormat::Pdf => gongkai_report_pdf::render_letter(&issued.document)
            .map_err(|e| Failure::io("无法生成 PDF", e))?,
    };
    super::report::write_atomically(out, &bytes)?;
    println!(
        "已出具 {}（{}），保存于 {}",
        issued.document.title,
        issued.number,
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

async fn statistics<S: Store>(
    store: &S,
    agency: &str,
    year: &str,
    format: ExportFormat,
    subtree: bool,
) -> Result<ExitCode, Failure> {
    let agency = known_agency(store, agency).await?;
    let year: i16 = year
        .trim()
        .parse()
        .ok()
        .filter(|y| (2008..=9998).contains(y))
        .ok_or_else(|| {
            refused(DomainError::invalid(
                "--year",
                format!("「{year}」不是年份"),
            ))
        })?;
    let table = if subtree {
        table3_for_subtree(store, &agency, year)
            .await
            .map_err(store_failure)?
    } else {
        stats::table3(
            &store
                .case_facts(&agency, year)
                .await
                .map_err(store_failure)?,
            year,
        )
        .table
    };
    let mut report = Report::blank(Format::Current2021);
    report.table3 = table;
    match format {
        ExportFormat::Csv => print!("{}", export::to_csv(&export::grid(&report, TableId::Three))),
        ExportFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&export::to_json(&report, TableId::Three))
                .expect("JSON serializes")
        ),
    }
    Ok(ExitCode::SUCCESS)
}
