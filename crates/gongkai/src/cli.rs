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

    /// PostgreSQL 数据库地址（省略则使用数据目录中的内置 SQLite）— postgres://… (default: embedded SQLite in DIR)
    #[arg(long, global = true, env = "GONGKAI_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 工作日日历：节假日与调休 — the statutory working-day calendar
    #[command(subcommand)]
    Calendar(CalendarCommand),

    /// 创建或升级数据库 — create or upgrade the database
    Migrate,

    /// 启动网站：公众门户、工作台、数据接口 — run the web server: portal, back office, JSON API
    Serve {
        /// 监听地址 — address to listen on
        #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
        bind: String,
        /// 载入演示数据（可重复运行）— load the demo district (idempotent)
        #[arg(long)]
        demo: bool,
        /// Cookie 加 Secure 标记（非本机地址时自动开启；在 HTTPS 反向代理后面请加上）— mark cookies Secure (on by itself unless bound to loopback)
        #[arg(long)]
        secure_cookies: bool,
        /// 每个地址每分钟可提交的公众请求数（申请、查询、补正）— public submissions per address per minute
        #[arg(long, default_value = "20", value_name = "N")]
        public_per_minute: u32,
        /// 每个地址每日可在线提交的申请数 — online applications per address per day
        #[arg(long, default_value = "50", value_name = "N")]
        public_per_day: u32,
        /// 同一申请人每日可在线提交的申请数 — online applications per applicant per day
        #[arg(long, default_value = "20", value_name = "N")]
        applicant_per_day: u32,
        /// 每个地址每分钟可尝试登录的次数 — login attempts per address per minute
        #[arg(long, default_value = "10", value_name = "N")]
        login_per_minute: u32,
        /// 本网站所属机关：/reports/年度 显示其年度报告（--demo 时默认 demo）— the agency whose site this is: /reports/YEAR shows its annual report
        #[arg(long, value_name = "CODE")]
        site_agency: Option<String>,
        /// 可信的反向代理地址或网段（可多次给出），从其 X-Forwarded-For 取得访问者地址 — a reverse proxy (address or CIDR, repeatable) whose X-Forwarded-For is believed
        #[arg(long = "trusted-proxy", value_name = "CIDR")]
        trusted_proxies: Vec<String>,
        /// 政务公开专区终端：只提供该机关的专区页面（申请、查询、公报、咨询），首页即专区 — a service-hall terminal's server: only this agency's kiosk pages
        #[arg(long, value_name = "CODE")]
        kiosk: Option<String>,
        /// 专区页面无人操作多少秒后自动清除（15–3600）— seconds without a touch before a kiosk page clears itself
        #[arg(long, default_value = "90", value_name = "SECONDS", value_parser = clap::value_parser!(u32).range(15..=3600))]
        kiosk_idle: u32,
    },

    /// 机关和用户管理 — agencies and users
    #[command(subcommand)]
    Admin(AdminCommand),

    /// 依申请公开：导入历史案件、表三统计 — applications: import history, table 三 statistics
    #[command(subcommand)]
    Applications(ApplicationsCommand),

    /// 审计日志 — the audit log
    #[command(subcommand)]
    Audit(AuditCommand),

    /// 全文检索 — full-text search
    #[command(subcommand)]
    Search(SearchCommand),

    /// 导入任务：查看进度、继续中断的导入 — import jobs: progress, finishing interrupted ones
    #[command(subcommand)]
    Imports(ImportsCommand),

    /// 备份到新目录：数据库（SQLite 在线一致副本 / PostgreSQL pg_dump）、附件和节假日通知 — back up to a new directory
    Backup {
        /// 备份目录（须不存在或为空）— the backup directory (new or empty)
        dir: PathBuf,
    },

    /// 从备份恢复：先核对审计日志，再替换数据库并重建检索索引 — restore from a backup
    Restore {
        /// gongkai backup 生成的目录 — a directory made by gongkai backup
        dir: PathBuf,
        /// 覆盖已有数据 — replace a database that already holds records
        #[arg(long)]
        force: bool,
    },

    /// 性能测试（模拟数据）— benchmarks on synthetic data
    #[command(subcommand)]
    Bench(BenchCommand),

    /// 政府信息公开工作年度报告：核对、导出、生成 — annual reports: check, export, render
    #[command(subcommand)]
    Report(ReportCommand),

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

/// Output formats of `report render`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RenderFormat {
    /// Markdown
    Md,
    /// HTML 网页（含元数据块）— the public page with the metadata block
    Html,
    /// JSON 数据模型 — the JSON model
    Json,
    /// Word 文档（公文版式、合并表头、页码）— Word, official layout with merged headers
    Docx,
    /// Excel 工作簿（每表一页，另附数据页）— Excel, a sheet per table and a flat data sheet
    Xlsx,
    /// PDF（中文排版、表格、页码）— PDF with Chinese typesetting, tables and page numbers
    #[cfg(feature = "pdf")]
    Pdf,
}

/// Output formats of `report export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// 读取并核对年度报告（勾稽关系、正文数字、跨年度）— read and check annual reports
    ///
    /// 退出状态 exit status：0 一致（可有警告）consistent；1 勾稽关系不成立 an identity fails；
    /// 2 无法完整读取 could not be read (in full).
    Check {
        /// 报告文件（文本、HTML 或 JSON 模型）— report files (text, HTML or the JSON model)
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// 上一年度报告，用于核对上年结转 — last year's report, for the carry-over identity
        #[arg(long, value_name = "FILE")]
        previous: Option<PathBuf>,
        /// 以 JSON 输出 — print JSON
        #[arg(long)]
        json: bool,
    },
    /// 导出表二、表三或表四（CSV 或 JSON）— export table 2, 3 or 4 as CSV or JSON
    Export {
        file: PathBuf,
        /// 表：2、3 或 4 — which table
        #[arg(long, value_name = "2|3|4")]
        table: String,
        #[arg(long, value_enum, default_value = "csv")]
        format: ExportFormat,
        /// 即使表格未能完整读取也导出（无法读取的单元格留空）— export even if not read in full
        #[arg(long)]
        partial: bool,
    },
    /// 生成报告的 Markdown、HTML、JSON、Word、Excel 或 PDF — render a report
    Render {
        /// 已发布的报告或 JSON 模型 — a published report or the JSON model
        file: PathBuf,
        #[arg(long, value_enum)]
        format: RenderFormat,
        /// 输出文件（省略则写到标准输出）— output file (stdout if omitted)
        #[arg(short = 'o', long = "out", value_name = "OUT")]
        out: Option<PathBuf>,
    },
    /// 批量核对目录下全部报告（并行）— check every report under a directory, in parallel
    Lint {
        dir: PathBuf,
        /// 将全部发现写入 CSV（含指纹与“结论、理由”列，填写后即为决定文件）— write every
        /// finding to this CSV (with fingerprints and the reviewer's columns)
        #[arg(long, value_name = "CSV")]
        out: Option<PathBuf>,
        /// 核查结果网页（各机关状态、图表、逐项发现）— the findings as one HTML page
        #[arg(long, value_name = "HTML")]
        html: Option<PathBuf>,
        /// 核查结果工作簿（概况、发现、图表）— the findings as an XLSX workbook
        #[arg(long, value_name = "XLSX")]
        xlsx: Option<PathBuf>,
        /// 决定文件：上次 --out 写出并填了“结论”（确认/驳回）与“理由”的 CSV；已处理的发现
        /// 不再列出 — decisions taken: re-runs show only what is new or changed
        #[arg(long, value_name = "CSV")]
        decisions: Option<PathBuf>,
        /// 隶属关系文件：每行“下级机关,上级机关”；上级报告按下级之和逐格核对 — who is under
        /// whom: each parent's tables are held to the sum of its children's
        #[arg(long, value_name = "CSV")]
        parents: Option<PathBuf>,
        /// 并行线程数（默认为 CPU 核数）— worker threads (default: the number of cores)
        #[arg(long, value_name = "N")]
        jobs: Option<usize>,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// 机关 — agencies
    #[command(subcommand)]
    Agency(AgencyCommand),
    /// 用户 — users
    #[command(subcommand)]
    User(UserCommand),
    /// 接口令牌 — API tokens
    #[command(subcommand)]
    Token(TokenCommand),
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// 为用户创建接口令牌（只显示一次）— create a bearer token for a user (shown once)
    Create {
        #[arg(long)]
        user: String,
        /// 用途，如“统计报送” — what the token is for
        #[arg(long, default_value = "命令行创建")]
        name: String,
        /// 有效天数（1–730，默认365）— days it lasts
        #[arg(long)]
        days: Option<u32>,
    },
    /// 列出用户的接口令牌 — list a user's tokens
    List {
        #[arg(long)]
        user: String,
    },
    /// 吊销接口令牌（编号见 list）— revoke a token (id from list)
    Revoke {
        #[arg(long)]
        user: String,
        /// 令牌编号 — the token's id
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AgencyCommand {
    /// 添加机关 — add an agency
    Add {
        /// 机关代码（字母、数字、连字符）— code
        code: String,
        /// 机关全称 — full name
        name: String,
        /// 上级机关代码 — parent agency code
        #[arg(long, value_name = "CODE")]
        parent: Option<String>,
        /// 层级：省级、市级、区县级、乡镇街道、部门 — level
        #[arg(long, default_value = "乡镇街道")]
        level: String,
    },
    /// 列出机关 — list agencies
    List,
    /// 修改机关名称与设置 — change an agency's name and settings
    Set {
        code: String,
        #[arg(long)]
        name: Option<String>,
        /// 索引号前缀 — index number prefix
        #[arg(long)]
        index_prefix: Option<String>,
        /// 文书编号字头，如 太政公 — letter number prefix
        #[arg(long)]
        letter_prefix: Option<String>,
        /// 行政复议机关 — the reconsideration body named in decision letters
        #[arg(long)]
        reconsideration_body: Option<String>,
        /// 管辖人民法院 — the court named in decision letters
        #[arg(long)]
        court: Option<String>,
        /// 缴费期间是否暂停答复期限（true/false）— whether fee waiting stops the clock
        #[arg(long)]
        fee_wait_pauses_clock: Option<bool>,
        /// 补正期限（工作日，1–60）— the period a 补正告知书 gives, in working days
        #[arg(long, value_name = "DAYS")]
        supplement_period: Option<u32>,
        /// 一人办理：答复起草人也可审核（true/false）— a one-person office
        #[arg(long)]
        one_person_office: Option<bool>,
        /// 缴费方式（收费通知写明的收款单位、账号或渠道）— how fees are paid
        #[arg(long)]
        fee_payment: Option<String>,
        /// 不予公开信息评估审查周期（月，第十八条）— months between reviews of withheld information
        #[arg(long, value_name = "MONTHS")]
        review_months: Option<u32>,
        /// 申请件数提示线（件/月，第三十五条）— monthly applications before the volume warning
        #[arg(long, value_name = "COUNT")]
        volume_threshold: Option<u32>,
        /// 另列为先行复议的办理结果代码，逗号分隔，空则清除 — outcomes also sent to 行政复议 first
        #[arg(long, value_name = "CODES")]
        reconsideration_first: Option<String>,
    },
    /// 查看或修改文书模板 — show or edit a letter template
    Template {
        code: String,
        /// 文书类型：receipt、supplement_notice、extension_notice、consultation_letter、fee_notice、answer、reasons_notice、delay_notice
        kind: String,
        /// 从文件读取新模板（占位符如 {申请人}）— new template from a file
        #[arg(long, value_name = "FILE", conflicts_with = "reset")]
        file: Option<PathBuf>,
        /// 恢复默认模板 — back to the built-in template
        #[arg(long)]
        reset: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// 添加用户 — add a user
    Add {
        /// 用户名 — login name
        name: String,
        /// 所属机关代码 — agency code
        #[arg(long, value_name = "CODE")]
        agency: String,
        /// 角色，逗号分隔：经办人、审核人、保密审查员、管理员、上级监督 — roles, comma-separated
        #[arg(long, value_delimiter = ',', required = true)]
        roles: Vec<String>,
        /// 姓名 — display name
        #[arg(long)]
        display_name: Option<String>,
    },
    /// 列出用户 — list users
    List {
        #[arg(long, value_name = "CODE")]
        agency: Option<String>,
    },
    /// 停用用户 — disable a user
    Disable { name: String },
    /// 启用用户 — enable a user
    Enable { name: String },
    /// 设置密码（从标准输入读一行，至少10个字符）— set a password (one line from standard input)
    Password { name: String },
}

#[derive(Debug, Subcommand)]
pub enum ApplicationsCommand {
    /// 导入历史案件（CSV 或 XLSX；逐行校验，全部正确才导入，再分批写入并显示进度）— import historical cases: every row checked first, then written in pieces
    ///
    /// 列 columns：申请编号、收到日期、申请人类型（自然人或商业企业/科研机构/社会公益组织/法律服务机构/其他）、
    /// 答复日期（未答复留空）、办理结果（如 予以公开、属于国家秘密、重复申请、其他，或其代码）；
    /// 可选：申请人、申请内容、申请方式。
    Import {
        file: PathBuf,
        #[arg(long, value_name = "CODE")]
        agency: String,
    },
    /// 出具文书（编号、记录并生成文件）— issue a letter: number it, record it, render it
    Letter {
        #[arg(long, value_name = "CODE")]
        agency: String,
        /// 申请编号 — application number
        #[arg(long)]
        number: String,
        /// receipt、supplement_notice、extension_notice、consultation_letter、fee_notice、answer、reasons_notice、delay_notice
        #[arg(long)]
        kind: String,
        #[arg(long, value_enum, default_value = "docx")]
        format: LetterFormat,
        #[arg(short = 'o', long = "out", value_name = "OUT")]
        out: PathBuf,
        /// 成文日期（默认今天）— date of the letter (default: today)
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
    /// 表三统计（由记录生成）— table 三 from the records
    Stats {
        #[arg(long, value_name = "CODE")]
        agency: String,
        #[arg(long)]
        year: String,
        #[arg(long, value_enum, default_value = "csv")]
        format: ExportFormat,
        /// 汇总本机关及全部下级机关 — roll up the agency's whole subtree
        #[arg(long)]
        subtree: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportsCommand {
    /// 列出一个机关最近的导入任务 — list an agency's latest import jobs
    List {
        #[arg(long, value_name = "CODE")]
        agency: String,
    },
    /// 完成等待中或中断的导入任务（服务器运行时会自行完成）— finish waiting or interrupted imports (a running server does this by itself)
    Run,
}

#[derive(Debug, Subcommand)]
pub enum SearchCommand {
    /// 从数据库重建检索索引 — rebuild the search index from the database
    Reindex,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// 校验审计日志哈希链，指出第一条被改动的记录 — verify the hash chain
    ///
    /// 给出 --anchor 时还核对锚点：锚点所记链头之前的记录若被改写（即使重新计算了哈希）即可发现。
    /// With --anchor, also proves nothing up to the anchored head was rewritten.
    Verify {
        /// gongkai audit anchor 签发的锚点文件 — an anchor written by `gongkai audit anchor`
        #[arg(long)]
        anchor: Option<PathBuf>,
        /// 锚点须由此公钥签发（64位十六进制；默认本系统密钥的公钥）— the signer's public key
        #[arg(long)]
        public_key: Option<String>,
        /// 本系统签名密钥文件（默认 DATA_DIR/keys/audit-anchor.key）— the installation's key
        #[arg(long)]
        key: Option<PathBuf>,
    },
    /// 签发审计链头锚点：以本系统 ed25519 密钥签名当前最后一条记录的序号和哈希 — sign the head
    ///
    /// 锚点应另行保存（交上级监督机关、打印归档），日后用 audit verify --anchor 核对。
    /// Keep the anchor elsewhere (with the supervising agency, on paper) and verify against it.
    Anchor {
        /// 写入此文件（须为新文件；默认打印）— write to this new file (printed otherwise)
        #[arg(long)]
        out: Option<PathBuf>,
        /// 签名密钥文件（默认 DATA_DIR/keys/audit-anchor.key，不存在时生成）— the key file
        #[arg(long)]
        key: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// 生成模拟数据并计时表三统计与汇总 — synthetic data, then time table 三 and the roll-up
    ///
    /// 只在空数据库中运行（SQLite 用新的数据目录；PostgreSQL 用新建的空库）。
    /// Runs only on an empty store (a fresh --data-dir, or an empty PostgreSQL database).
    Stats {
        /// 申请总数 — applications in all
        #[arg(long, default_value = "100000")]
        applications: u32,
        /// 下级机关数 — agencies under the root
        #[arg(long, default_value = "1")]
        agencies: u32,
    },
    /// 生成一个省：机关树、公开信息和一年的申请 — a province: agency tree, publications, a year of applications
    ///
    /// 只在空数据库中运行；计时由 crates/web/benches/province.sh 完成。
    /// Runs only on an empty store; crates/web/benches/province.sh does the timing.
    Province {
        /// 机关总数（含省、市、区县） — agencies in all (with the province, cities, counties)
        #[arg(long, default_value = "10000", value_parser = clap::value_parser!(u32).range(15..=100_000))]
        agencies: u32,
        /// 公开信息条数 — published items
        #[arg(long, default_value = "250000", value_parser = clap::value_parser!(u32).range(0..=10_000_000))]
        publications: u32,
        /// 申请件数（上一年） — applications (last year)
        #[arg(long, default_value = "1000000", value_parser = clap::value_parser!(u32).range(0..=10_000_000))]
        applications: u32,
    },
}

/// Output formats of a letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LetterFormat {
    Html,
    Docx,
    #[cfg(feature = "pdf")]
    Pdf,
}
