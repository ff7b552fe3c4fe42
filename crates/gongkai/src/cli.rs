//! The command line, bilingual: every help text is Chinese first, English after.

use std::path::PathBuf;

use clap::{ArgGroup, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "gongkai",
    version,
    about = "gongkai（公开）：政府信息公开工作系统 — runs an agency's government information disclosure work",
    long_about = "gongkai（公开）：办理依申请公开、主动公开，并按国办公开办函〔2021〕30号格式编写政府信息公开工作年度报告。\n\
                  gongkai runs an agency's government information disclosure (政府信息公开) and writes its annual report."
)]
pub struct Cli {
    /// 数据目录（日历、数据库）— data directory (calendar, database)
    #[arg(
        long,
        global = true,
        default_value = "./gongkai-data",
        value_name = "DIR"
    )]
    pub data_dir: PathBuf,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 工作日日历：节假日与调休 — the statutory working-day calendar
    #[command(subcommand)]
    Calendar(CalendarCommand),

    /// 计算答复期限并说明依据 — work out an application's answer deadline, with the articles
    Deadline {
        /// 期限描述文件（JSON：received、events）— clock file (JSON: received, events)
        file: PathBuf,
        /// 以 JSON 输出 — print JSON
        #[arg(long)]
        json: bool,
        /// 计算剩余工作日的日期（YYYY-MM-DD）— count the working days left as of this day
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
    },

    /// 计算信息处理费（国办函〔2020〕109号）— work out the information processing fee
    #[command(group(ArgGroup::new("method").required(true).args(["items", "pages"])))]
    Fee {
        /// 按件计收：申请人本月申请件数 — per application: the applicant's applications this month
        #[arg(long, value_name = "N", allow_hyphen_values = true)]
        items: Option<String>,
        /// 按量计收：页数 — per page: the number of pages
        #[arg(long, value_name = "P", allow_hyphen_values = true)]
        pages: Option<String>,
        /// 以 JSON 输出 — print JSON
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// 计算某日之后第 N 个工作日 — the N-th working day after DATE
    AddWorkdays {
        /// 起算日（当日不计入），YYYY-MM-DD — start day (not counted)
        date: String,
        /// 工作日数 — number of working days
        #[arg(allow_hyphen_values = true)]
        n: String,
    },
    /// 显示某年的放假与调休上班日期 — show a year's holidays and makeup working days
    Show {
        /// 年份 — year
        year: String,
    },
    /// 加载国务院节假日安排通知（JSON），无需升级程序 — load a year's holiday notice (JSON) without a release
    Load {
        /// 通知文件，格式同 holiday-cn — notice file in the holiday-cn shape
        file: PathBuf,
    },
}
