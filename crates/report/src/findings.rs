//! What the reader and the checks found, each with a stable code, a severity and a place.

use std::fmt;

/// error = an identity fails; warning = ambiguous or missing data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Self::Error => "错误",
            Self::Warning => "警告",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
        }
    }
}

/// Stable finding codes: tools and supervisors filter on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// No table 三 found: the text is not a readable annual report.
    NoTable3,
    /// Rows of a table are missing (a fragment, or a page cut off).
    MissingRows,
    /// A row has fewer values than cells (empty cells dropped by a scraper).
    MissingCells,
    /// A row has more values than cells.
    ExtraValues,
    /// A flattened digit run splits into cells in more than one way.
    AmbiguousSplit,
    /// A flattened digit run cannot be split to fit the table's sums.
    Unsplittable,
    /// Blank cells (blank is not zero).
    BlankCells,
    /// A report for 2021 or later in the 2019 trial format.
    OutdatedFormat,
    /// Identity 3: a row's 总计 is not the sum of the six applicant columns.
    RowTotal,
    /// Identity 2: （七）总计 is not the sum of the result rows.
    ResultSum,
    /// Identity 1: 一 + 二 = 三（七） + 四.
    Balance,
    /// Table 四: a group's 总计 is not the sum of its four results.
    AppealTotal,
    /// Identity 4: this year's 二 differs from last year's 四.
    CrossYear,
    /// Identity 5: a figure stated in the text differs from the tables.
    ProseMismatch,
    /// A figure OCR read below the confidence taken as certain: kept blank.
    OcrUncertain,
    /// A figure stated in the text differs from its cell but equals another figure of the
    /// tables (总计 with 上年结转, …): two readings, a warning.
    ProseOtherFigure,
    /// A section the format requires is missing or renamed, or section 六 says nothing of
    /// 信息处理费.
    MissingSection,
    /// Text copied word for word from last year's report (内容雷同).
    CopiedText,
    /// Two reports of one agency for one year.
    Duplicate,
    /// Rows of table 三 whose labels were not found, read by their place in the table.
    RowByPosition,
    /// A parent's tables differ from the sum of its children's.
    HierarchySum,
    /// A row of flattened digits split more than one way, settled by figures the text states.
    SettledByText,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoTable3 => "READ_NO_TABLE3",
            Self::MissingRows => "READ_MISSING_ROWS",
            Self::MissingCells => "READ_MISSING_CELLS",
            Self::ExtraValues => "READ_EXTRA_VALUES",
            Self::AmbiguousSplit => "READ_AMBIGUOUS_SPLIT",
            Self::Unsplittable => "READ_UNSPLITTABLE",
            Self::BlankCells => "BLANK_CELLS",
            Self::OutdatedFormat => "OUTDATED_FORMAT",
            Self::RowTotal => "T3_ROW_TOTAL",
            Self::ResultSum => "T3_RESULT_SUM",
            Self::Balance => "T3_BALANCE",
            Self::AppealTotal => "T4_GROUP_TOTAL",
            Self::CrossYear => "CROSS_YEAR",
            Self::ProseMismatch => "PROSE_MISMATCH",
            Self::OcrUncertain => "READ_OCR_UNCERTAIN",
            Self::ProseOtherFigure => "PROSE_OTHER_FIGURE",
            Self::MissingSection => "MISSING_SECTION",
            Self::CopiedText => "COPIED_TEXT",
            Self::Duplicate => "DUPLICATE_REPORT",
            Self::RowByPosition => "READ_ROW_BY_POSITION",
            Self::HierarchySum => "HIERARCHY_SUM",
            Self::SettledByText => "READ_SETTLED_BY_TEXT",
        }
    }

    /// A short Chinese name, for charts and tables.
    pub fn label(self) -> &'static str {
        match self {
            Self::NoTable3 => "未找到表三",
            Self::MissingRows => "缺少表格行",
            Self::MissingCells => "单元格缺失",
            Self::ExtraValues => "多出数值",
            Self::AmbiguousSplit => "数字串有多种拆分",
            Self::Unsplittable => "数字串无法拆分",
            Self::BlankCells => "空白单元格",
            Self::OutdatedFormat => "格式与年度不符",
            Self::RowTotal => "表三行合计不符",
            Self::ResultSum => "表三办理结果合计不符",
            Self::Balance => "表三收支不平衡",
            Self::AppealTotal => "表四合计不符",
            Self::CrossYear => "与上年结转不符",
            Self::ProseMismatch => "正文数字与表格不符",
            Self::OcrUncertain => "文字识别存疑",
            Self::ProseOtherFigure => "正文数字另有所指",
            Self::MissingSection => "缺少部分或未说明收费",
            Self::CopiedText => "与上年内容雷同",
            Self::Duplicate => "同一年度多份报告",
            Self::RowByPosition => "按位置读取的行",
            Self::HierarchySum => "与下级之和不符",
            Self::SettledByText => "据正文确定拆分",
        }
    }

    /// Whether the finding means the report could not be read in full.
    pub fn is_reading_gap(self) -> bool {
        matches!(
            self,
            Self::NoTable3
                | Self::MissingRows
                | Self::MissingCells
                | Self::ExtraValues
                | Self::Unsplittable
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    /// Where: `表三 （七）总计 自然人`.
    pub location: String,
    /// What, with the numbers, in Chinese.
    pub message: String,
}

impl Finding {
    pub fn error(code: Code, location: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code,
            severity: Severity::Error,
            location: location.into(),
            message: message.into(),
        }
    }

    pub fn warning(code: Code, location: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code,
            severity: Severity::Warning,
            location: location.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[{}] {} {}: {}",
            self.severity.label(),
            self.code.as_str(),
            self.location,
            self.message
        )
    }
}
