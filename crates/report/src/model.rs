//! The annual report (政府信息公开工作年度报告) as data: its metadata, its narrative sections
//! and tables 二/三/四 as typed rows and columns. A blank cell is `None`, never zero.

use gongkai_law::{ApplicantKind, Outcome};
use rust_decimal::Decimal;

/// A count in a table; `None` is a blank cell (missing data, not zero).
pub type Count = Option<u64>;

/// Which official format the report follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// 国办公开办函〔2019〕60号 — the trial format used for the 2019 and 2020 reports.
    Trial2019,
    /// 国办公开办函〔2021〕30号 — the format in force since the 2021 reports.
    Current2021,
}

impl Format {
    pub fn label(self) -> &'static str {
        match self {
            Self::Trial2019 => "国办公开办函〔2019〕60号（试行格式）",
            Self::Current2021 => "国办公开办函〔2021〕30号",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Trial2019 => "2019",
            Self::Current2021 => "2021",
        }
    }
}

/// Where a cell is: table 二 (row, column index), 三 (row, column) or 四 (group, column index).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CellAt {
    Table2(Table2Item, usize),
    Table3(Table3Row, Table3Column),
    Table4(Table4Group, usize),
}

impl CellAt {
    /// The cell as a reader finds it: `表三 （三）1.属于国家秘密 自然人`.
    pub fn label(&self, format: Format) -> String {
        match self {
            Self::Table2(item, column) => {
                let columns = item.columns(format);
                let name = columns.get(*column).copied().unwrap_or("");
                format!("表二 {} {name}", item.label(format))
            }
            Self::Table3(row, column) => format!("表三 {} {}", row.short_label(), column.label()),
            Self::Table4(group, column) => format!(
                "表四 {} {}",
                group.label(),
                TABLE4_COLUMNS.get(*column).copied().unwrap_or("")
            ),
        }
    }
}

/// How a cell without a figure was written. Agencies write "—", "/", "无" or "不适用" where
/// they have nothing to report; none of them is a zero, and each is kept as written through
/// reading, checking and export. A figure OCR read without enough confidence is a blank too:
/// it is never taken as certain.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Blank {
    /// Nothing in the cell.
    Empty,
    /// "—", "-", "--": a dash.
    Dash,
    /// "/" or "\\".
    Slash,
    /// 无
    Nothing,
    /// 不适用
    NotApplicable,
    /// Read by OCR below the confidence taken as certain.
    Uncertain { read: String, confidence: u8 },
}

impl Blank {
    /// The mark as written in a cell, if it is one.
    pub fn from_mark(text: &str) -> Option<Blank> {
        Some(match text {
            "" => Blank::Empty,
            "-" | "—" | "—-" | "--" | "——" | "–" | "－" => Blank::Dash,
            "/" | "\\" | "／" => Blank::Slash,
            "无" => Blank::Nothing,
            "不适用" => Blank::NotApplicable,
            _ => return None,
        })
    }

    /// What the cell shows when the report is drawn again.
    pub fn shown(&self) -> &str {
        match self {
            Blank::Empty | Blank::Uncertain { .. } => "",
            Blank::Dash => "—",
            Blank::Slash => "/",
            Blank::Nothing => "无",
            Blank::NotApplicable => "不适用",
        }
    }

    /// How a finding names it.
    pub fn describe(&self) -> String {
        match self {
            Blank::Empty => "空白".to_string(),
            Blank::Uncertain { read, confidence } => {
                format!("文字识别存疑（读作「{read}」，置信度{confidence}%）")
            }
            other => format!("“{}”", other.shown()),
        }
    }
}

/// The metadata block agency sites show above a publication.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    /// 标题
    pub title: Option<String>,
    /// 报告年度 — the year the report covers.
    pub year: Option<i32>,
    /// 发布机构
    pub agency: Option<String>,
    /// 索引号
    pub index_number: Option<String>,
    /// 公开目录
    pub catalog: Option<String>,
    /// 成文日期 (YYYY-MM-DD)
    pub written_date: Option<String>,
    /// 发布日期 (YYYY-MM-DD)
    pub published_date: Option<String>,
}

/// The six sections of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SectionKind {
    /// 一、总体情况
    Overview,
    /// 二、主动公开政府信息情况
    Proactive,
    /// 三、收到和处理政府信息公开申请情况
    Applications,
    /// 四、政府信息公开行政复议、行政诉讼情况
    Appeals,
    /// 五、存在的主要问题及改进情况
    Problems,
    /// 六、其他需要报告的事项
    Other,
}

impl SectionKind {
    pub const ALL: [SectionKind; 6] = [
        Self::Overview,
        Self::Proactive,
        Self::Applications,
        Self::Appeals,
        Self::Problems,
        Self::Other,
    ];

    pub fn heading(self) -> &'static str {
        match self {
            Self::Overview => "一、总体情况",
            Self::Proactive => "二、主动公开政府信息情况",
            Self::Applications => "三、收到和处理政府信息公开申请情况",
            Self::Appeals => "四、政府信息公开行政复议、行政诉讼情况",
            Self::Problems => "五、存在的主要问题及改进情况",
            Self::Other => "六、其他需要报告的事项",
        }
    }
}

/// A narrative section: its paragraphs, subsection headings kept as their own paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub kind: SectionKind,
    pub paragraphs: Vec<String>,
}

/// 表二 — 主动公开政府信息情况 (第二十条), one entry per row the format has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table2 {
    pub format: Format,
    pub rows: Vec<Table2Row>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table2Row {
    pub item: Table2Item,
    /// One value per column of this row in its format; amounts are exact decimals.
    pub cells: Vec<Option<Decimal>>,
}

/// The rows of table 二.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table2Item {
    /// 规章 (第二十条第（一）项)
    Regulations,
    /// 行政规范性文件 (2019: 规范性文件)
    NormativeDocuments,
    /// 行政许可 (第（五）项)
    Licensing,
    /// 其他对外管理服务事项 (2019 format only)
    OtherManagementServices,
    /// 行政处罚 (第（六）项)
    Punishment,
    /// 行政强制 (第（六）项)
    Enforcement,
    /// 行政事业性收费 (第（八）项)
    Fees,
    /// 政府集中采购 (第（九）项, 2019 format only)
    Procurement,
}

impl Table2Item {
    pub fn label(self, format: Format) -> &'static str {
        match (self, format) {
            (Self::Regulations, _) => "规章",
            (Self::NormativeDocuments, Format::Current2021) => "行政规范性文件",
            (Self::NormativeDocuments, Format::Trial2019) => "规范性文件",
            (Self::Licensing, _) => "行政许可",
            (Self::OtherManagementServices, _) => "其他对外管理服务事项",
            (Self::Punishment, _) => "行政处罚",
            (Self::Enforcement, _) => "行政强制",
            (Self::Fees, _) => "行政事业性收费",
            (Self::Procurement, _) => "政府集中采购",
        }
    }

    /// The 第二十条 item the row sits under.
    pub fn article_item(self) -> &'static str {
        match self {
            Self::Regulations | Self::NormativeDocuments => "第二十条第（一）项",
            Self::Licensing | Self::OtherManagementServices => "第二十条第（五）项",
            Self::Punishment | Self::Enforcement => "第二十条第（六）项",
            Self::Fees => "第二十条第（八）项",
            Self::Procurement => "第二十条第（九）项",
        }
    }

    /// The rows of a format, in order.
    pub fn rows(format: Format) -> &'static [Table2Item] {
        use Table2Item::*;
        match format {
            Format::Current2021 => &[
                Regulations,
                NormativeDocuments,
                Licensing,
                Punishment,
                Enforcement,
                Fees,
            ],
            // The trial format has every row.
            Format::Trial2019 => &Table2Item::ALL,
        }
    }

    /// The column headings of this row in a format.
    pub fn columns(self, format: Format) -> &'static [&'static str] {
        use Table2Item::*;
        match (format, self) {
            (Format::Current2021, Regulations | NormativeDocuments) => {
                &["本年制发件数", "本年废止件数", "现行有效件数"]
            }
            (Format::Current2021, Licensing | Punishment | Enforcement) => &["本年处理决定数量"],
            (Format::Current2021, Fees) => &["本年收费金额（单位：万元）"],
            (Format::Trial2019, Regulations | NormativeDocuments) => {
                &["本年新制作数量", "本年新公开数量", "对外公开总数量"]
            }
            (Format::Trial2019, Licensing | OtherManagementServices | Punishment | Enforcement) => {
                &["上一年项目数量", "本年增/减", "处理决定数量"]
            }
            (Format::Trial2019, Fees) => &["上一年项目数量", "本年增/减"],
            (Format::Trial2019, Procurement) => &["采购项目数量", "采购总金额"],
            (Format::Current2021, OtherManagementServices | Procurement) => &[],
        }
    }
}

impl Table2 {
    /// A table of the given format with every cell blank.
    pub fn blank(format: Format) -> Self {
        Self {
            format,
            rows: Table2Item::rows(format)
                .iter()
                .map(|&item| Table2Row {
                    item,
                    cells: vec![None; item.columns(format).len()],
                })
                .collect(),
        }
    }

    pub fn row(&self, item: Table2Item) -> Option<&Table2Row> {
        self.rows.iter().find(|r| r.item == item)
    }
}

/// The columns of table 三: six kinds of applicant and the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Table3Column {
    Applicant(ApplicantKind),
    /// 总计
    Total,
}

impl Table3Column {
    pub const ALL: [Table3Column; 7] = [
        Self::Applicant(ApplicantKind::NaturalPerson),
        Self::Applicant(ApplicantKind::Business),
        Self::Applicant(ApplicantKind::Research),
        Self::Applicant(ApplicantKind::PublicInterest),
        Self::Applicant(ApplicantKind::LegalService),
        Self::Applicant(ApplicantKind::OtherOrganisation),
        Self::Total,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Applicant(kind) => kind.label(),
            Self::Total => "总计",
        }
    }

    pub fn index(self) -> usize {
        match self {
            Self::Applicant(kind) => kind.index(),
            Self::Total => 6,
        }
    }

    /// Stable code for links and APIs: the applicant kind's code, or `total`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Applicant(kind) => kind.code(),
            Self::Total => "total",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// The rows of table 三.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Table3Row {
    /// 一、本年新收政府信息公开申请数量
    NewlyReceived,
    /// 二、上年结转政府信息公开申请数量
    CarriedOver,
    /// 三、本年度办理结果 — one result row.
    Result(Outcome),
    /// （六）其他处理 as a single row (2019 trial format).
    OtherHandling,
    /// （七）总计
    Total,
    /// 四、结转下年度继续办理
    CarriedForward,
}

impl Table3Row {
    /// The rows of a format in the official order (25 in 2021, 23 in 2019).
    pub fn rows(format: Format) -> Vec<Table3Row> {
        let mut rows = vec![Self::NewlyReceived, Self::CarriedOver];
        for outcome in Outcome::ALL {
            let other = outcome.group() == gongkai_law::OutcomeGroup::OtherHandling;
            match (format, other) {
                (Format::Trial2019, true) => {
                    if outcome == Outcome::SupplementOverdue {
                        rows.push(Self::OtherHandling);
                    }
                }
                _ => rows.push(Self::Result(outcome)),
            }
        }
        rows.push(Self::Total);
        rows.push(Self::CarriedForward);
        rows
    }

    /// The label as printed in the report.
    pub fn label(self) -> String {
        match self {
            Self::NewlyReceived => "一、本年新收政府信息公开申请数量".into(),
            Self::CarriedOver => "二、上年结转政府信息公开申请数量".into(),
            Self::Result(outcome) => outcome.full_label(),
            Self::OtherHandling => "（六）其他处理".into(),
            Self::Total => "（七）总计".into(),
            Self::CarriedForward => "四、结转下年度继续办理".into(),
        }
    }

    /// The label used in CSV exports and findings: the leaf label, numbered.
    pub fn short_label(self) -> String {
        match self {
            Self::Result(outcome) => match outcome.item_number() {
                Some(n) => format!("{}{}.{}", outcome.group().number(), n, outcome.label()),
                None => outcome.full_label(),
            },
            other => other.label(),
        }
    }

    /// Whether the row is one of the result rows summed into （七）总计.
    pub fn is_result(self) -> bool {
        matches!(self, Self::Result(_) | Self::OtherHandling)
    }
}

/// 表三 — 收到和处理政府信息公开申请情况.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table3 {
    pub format: Format,
    /// Every row of the format, in order, with its seven cells (`Table3Column::ALL` order).
    pub rows: Vec<(Table3Row, [Count; 7])>,
}

impl Table3 {
    pub fn blank(format: Format) -> Self {
        Self {
            format,
            rows: Table3Row::rows(format)
                .into_iter()
                .map(|r| (r, [None; 7]))
                .collect(),
        }
    }

    pub fn row(&self, row: Table3Row) -> Option<&[Count; 7]> {
        self.rows.iter().find(|(r, _)| *r == row).map(|(_, c)| c)
    }

    pub fn row_mut(&mut self, row: Table3Row) -> Option<&mut [Count; 7]> {
        self.rows
            .iter_mut()
            .find(|(r, _)| *r == row)
            .map(|(_, c)| c)
    }

    pub fn cell(&self, row: Table3Row, column: Table3Column) -> Count {
        self.row(row).and_then(|cells| cells[column.index()])
    }
}

/// The three groups of table 四.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table4Group {
    /// 行政复议
    Reconsideration,
    /// 行政诉讼 — 未经复议直接起诉
    DirectLitigation,
    /// 行政诉讼 — 复议后起诉
    LitigationAfterReconsideration,
}

impl Table4Group {
    pub const ALL: [Table4Group; 3] = [
        Self::Reconsideration,
        Self::DirectLitigation,
        Self::LitigationAfterReconsideration,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Reconsideration => "行政复议",
            Self::DirectLitigation => "未经复议直接起诉",
            Self::LitigationAfterReconsideration => "复议后起诉",
        }
    }
}

/// The five columns of each group of table 四.
pub const TABLE4_COLUMNS: [&str; 5] = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];

/// 表四 — 政府信息公开行政复议、行政诉讼情况: three groups × five cells.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table4 {
    pub groups: [[Count; 5]; 3],
}

impl Table4 {
    pub fn group(&self, group: Table4Group) -> &[Count; 5] {
        &self.groups[group as usize]
    }
}

/// A whole report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The format of table 三 (and of the report as a whole).
    pub format: Format,
    pub meta: Metadata,
    /// Paragraphs before section 一 (the basis and scope of the report).
    pub preamble: Vec<String>,
    /// The narrative sections that were found, in order.
    pub sections: Vec<Section>,
    pub table2: Table2,
    pub table3: Table3,
    pub table4: Table4,
    /// How each cell without a figure was written, where it was written as more than
    /// nothing ("—", "/", "无", "不适用", or a figure OCR could not be sure of). A cell with
    /// no entry here was simply empty. Each is a blank, never a zero.
    pub blanks: Vec<(CellAt, Blank)>,
}

impl Report {
    pub fn blank(format: Format) -> Self {
        Self {
            format,
            meta: Metadata::default(),
            preamble: Vec::new(),
            sections: Vec::new(),
            table2: Table2::blank(format),
            table3: Table3::blank(format),
            table4: Table4::default(),
            blanks: Vec::new(),
        }
    }

    /// How a blank cell was written (`Blank::Empty` when nothing was).
    pub fn blank_at(&self, at: CellAt) -> &Blank {
        self.blanks
            .iter()
            .find(|(a, _)| *a == at)
            .map_or(&Blank::Empty, |(_, b)| b)
    }

    /// A count as published: the figure, or how its blank was written.
    pub fn shown(&self, at: CellAt, value: Count) -> String {
        match value {
            Some(n) => n.to_string(),
            None => self.blank_at(at).shown().to_string(),
        }
    }

    /// A table 二 value as published: the exact amount, or how its blank was written.
    pub fn shown_amount(&self, at: CellAt, value: Option<Decimal>) -> String {
        match value {
            Some(d) => d.normalize().to_string(),
            None => self.blank_at(at).shown().to_string(),
        }
    }

    pub fn section(&self, kind: SectionKind) -> Option<&Section> {
        self.sections.iter().find(|s| s.kind == kind)
    }
}

impl SectionKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Overview => "overview",
            Self::Proactive => "proactive",
            Self::Applications => "applications",
            Self::Appeals => "appeals",
            Self::Problems => "problems",
            Self::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

impl Table2Item {
    pub const ALL: [Table2Item; 8] = [
        Self::Regulations,
        Self::NormativeDocuments,
        Self::Licensing,
        Self::OtherManagementServices,
        Self::Punishment,
        Self::Enforcement,
        Self::Fees,
        Self::Procurement,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Regulations => "regulations",
            Self::NormativeDocuments => "normative_documents",
            Self::Licensing => "licensing",
            Self::OtherManagementServices => "other_management_services",
            Self::Punishment => "punishment",
            Self::Enforcement => "enforcement",
            Self::Fees => "fees",
            Self::Procurement => "procurement",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|i| i.code() == code)
    }
}

impl Table3Row {
    pub fn code(self) -> &'static str {
        match self {
            Self::NewlyReceived => "newly_received",
            Self::CarriedOver => "carried_over",
            Self::Result(outcome) => outcome.code(),
            Self::OtherHandling => "other_handling",
            Self::Total => "total",
            Self::CarriedForward => "carried_forward",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "newly_received" => Some(Self::NewlyReceived),
            "carried_over" => Some(Self::CarriedOver),
            "other_handling" => Some(Self::OtherHandling),
            "total" => Some(Self::Total),
            "carried_forward" => Some(Self::CarriedForward),
            other => Outcome::from_code(other).map(Self::Result),
        }
    }
}

impl Table4Group {
    pub fn code(self) -> &'static str {
        match self {
            Self::Reconsideration => "reconsideration",
            Self::DirectLitigation => "direct_litigation",
            Self::LitigationAfterReconsideration => "litigation_after_reconsideration",
        }
    }
}

impl Format {
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "2019" => Some(Self::Trial2019),
            "2021" => Some(Self::Current2021),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table3_has_the_official_rows() {
        let rows = Table3Row::rows(Format::Current2021);
        assert_eq!(rows.len(), 25);
        assert_eq!(rows[2], Table3Row::Result(Outcome::Disclosed));
        assert_eq!(rows[23], Table3Row::Total);
        assert_eq!(Table3Row::rows(Format::Trial2019).len(), 23);
        assert_eq!(
            Table3Row::Result(Outcome::StateSecret).short_label(),
            "（三）1.属于国家秘密"
        );
    }

    #[test]
    fn table2_shapes() {
        assert_eq!(Table2::blank(Format::Current2021).rows.len(), 6);
        assert_eq!(Table2::blank(Format::Trial2019).rows.len(), 8);
        assert_eq!(Table2Item::Fees.columns(Format::Trial2019).len(), 2);
    }
}
