//! 第二十条 register — what the annual report's table 二 counts: 规章 and 行政规范性文件 as
//! issued and repealed (with 文号 and dates), and each year's numbers of 行政许可, 行政处罚 and
//! 行政强制 decisions and the 行政事业性收费 collected. Table 二 of any year comes from here.

use gongkai_law::Date;
use gongkai_report::model::{Format, Table2, Table2Item};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::{AgencyCode, DomainError};

/// 规章 or 行政规范性文件 (第二十条第（一）项).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// 规章
    Regulation,
    /// 行政规范性文件
    NormativeDocument,
}

impl DocumentKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Regulation => "规章",
            Self::NormativeDocument => "行政规范性文件",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "规章" | "regulation" => Some(Self::Regulation),
            "行政规范性文件" | "规范性文件" | "normative_document" => {
                Some(Self::NormativeDocument)
            }
            _ => None,
        }
    }

    fn item(self) -> Table2Item {
        match self {
            Self::Regulation => Table2Item::Regulations,
            Self::NormativeDocument => Table2Item::NormativeDocuments,
        }
    }
}

/// One 规章 or 行政规范性文件 the agency issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisteredDocument {
    pub agency: AgencyCode,
    pub id: u64,
    pub kind: DocumentKind,
    pub title: String,
    /// 文号
    pub doc_number: String,
    /// 制发日期
    pub issued_on: Date,
    /// 废止日期 (or the day it lapsed)
    pub repealed_on: Option<Date>,
}

impl RegisteredDocument {
    pub fn new(
        agency: AgencyCode,
        id: u64,
        kind: DocumentKind,
        title: &str,
        doc_number: &str,
        issued_on: Date,
        repealed_on: Option<Date>,
    ) -> Result<Self, DomainError> {
        if title.trim().is_empty() {
            return Err(DomainError::invalid("名称", "请填写文件名称"));
        }
        if doc_number.trim().is_empty() {
            return Err(DomainError::invalid("文号", "规章和行政规范性文件应有文号"));
        }
        if repealed_on.is_some_and(|r| r < issued_on) {
            return Err(DomainError::invalid("废止日期", "不能早于制发日期"));
        }
        Ok(Self {
            agency,
            id,
            kind,
            title: title.trim().to_string(),
            doc_number: doc_number.trim().to_string(),
            issued_on,
            repealed_on,
        })
    }

    fn in_force_at(&self, day: Date) -> bool {
        self.issued_on <= day && self.repealed_on.is_none_or(|r| r > day)
    }
}

/// A year's decisions and fees (第二十条第（五）（六）（八）项); blank = not entered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearFigures {
    /// 行政许可 本年处理决定数量
    pub licensing: Option<u64>,
    /// 行政处罚 本年处理决定数量
    pub punishment: Option<u64>,
    /// 行政强制 本年处理决定数量
    pub enforcement: Option<u64>,
    /// 行政事业性收费 本年收费金额（万元）, exact decimal.
    pub fees_wan_yuan: Option<Decimal>,
}

/// Table 二 (2021 format) for a year from the register and the year's figures.
pub fn table2(documents: &[RegisteredDocument], figures: &YearFigures, year: i16) -> Table2 {
    let mut table = Table2::blank(Format::Current2021);
    let last = Date::new(year, 12, 31).expect("a valid year");
    for row in &mut table.rows {
        row.cells = match row.item {
            Table2Item::Regulations | Table2Item::NormativeDocuments => {
                let of_kind: Vec<&RegisteredDocument> = documents
                    .iter()
                    .filter(|d| d.kind.item() == row.item)
                    .collect();
                let issued = of_kind
                    .iter()
                    .filter(|d| d.issued_on.year() == year)
                    .count();
                let repealed = of_kind
                    .iter()
                    .filter(|d| d.repealed_on.is_some_and(|r| r.year() == year))
                    .count();
                let in_force = of_kind.iter().filter(|d| d.in_force_at(last)).count();
                [issued, repealed, in_force]
                    .into_iter()
                    .map(|n| Some(Decimal::from(n as u64)))
                    .collect()
            }
            Table2Item::Licensing => vec![figures.licensing.map(Decimal::from)],
            Table2Item::Punishment => vec![figures.punishment.map(Decimal::from)],
            Table2Item::Enforcement => vec![figures.enforcement.map(Decimal::from)],
            Table2Item::Fees => vec![figures.fees_wan_yuan],
            _ => row.cells.clone(),
        };
    }
    table
}

/// The columns a register import understands, with the names registers use for them.
const COLUMNS: [crate::table::Column; 5] = [
    ("kind", &["类别", "类型", "文件类别", "种类"]),
    ("title", &["名称", "文件名称", "标题", "文件标题"]),
    ("doc_number", &["文号", "发文字号", "文件编号"]),
    (
        "issued_on",
        &["制发日期", "印发日期", "发布日期", "成文日期", "公布日期"],
    ),
    ("repealed_on", &["废止日期", "失效日期", "废止时间"]),
];

/// 规章 and 行政规范性文件 from a table (CSV or a sheet): header row first, then one document a
/// row. Every bad row is reported with its line; nothing is returned unless all are good.
pub fn read_table(
    agency: &AgencyCode,
    first_id: u64,
    rows: &[Vec<String>],
) -> Result<Vec<RegisteredDocument>, Vec<String>> {
    let Some((header, data)) = rows.split_first() else {
        return Err(vec!["文件是空的".into()]);
    };
    let map = crate::table::header_map(
        header,
        &COLUMNS,
        &["kind", "title", "doc_number", "issued_on"],
    )
    .map_err(|missing| {
        vec![format!(
            "第1行：表头缺少列：{}（应有 类别、名称、文号、制发日期，可有 废止日期）",
            missing.join("、")
        )]
    })?;
    let mut documents = Vec::new();
    let mut errors = Vec::new();
    for (i, cells) in data.iter().enumerate() {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let value = |field: &str| crate::table::cell(&map, cells, field);
        let line = i + 2;
        let row = (|| -> Result<RegisteredDocument, String> {
            let kind = DocumentKind::parse(&value("kind"))
                .ok_or_else(|| format!("类别「{}」应为“规章”或“行政规范性文件”", value("kind")))?;
            let date = |field: &str, label: &str| -> Result<Option<Date>, String> {
                let text = value(field);
                if text.is_empty() {
                    return Ok(None);
                }
                gongkai_law::parse_date(label, &text)
                    .map(Some)
                    .map_err(|_| {
                        format!(
                            "{label}「{text}」应为 YYYY-MM-DD 格式的日期",
                            text = gongkai_law::excerpt(&text)
                        )
                    })
            };
            let issued = date("issued_on", "制发日期")?.ok_or("“制发日期”为空")?;
            let repealed = date("repealed_on", "废止日期")?;
            RegisteredDocument::new(
                agency.clone(),
                first_id + documents.len() as u64,
                kind,
                &value("title"),
                &value("doc_number"),
                issued,
                repealed,
            )
            .map_err(|e| e.to_string())
        })();
        match row {
            Ok(document) => documents.push(document),
            Err(e) => errors.push(format!("第{line}行：{e}")),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if documents.is_empty() {
        return Err(vec!["没有任何文件".into()]);
    }
    Ok(documents)
}

#[cfg(test)]
mod tests {
    use gongkai_law::parse_date;

    use super::*;

    fn d(text: &str) -> Date {
        parse_date("t", text).unwrap()
    }

    fn doc(
        id: u64,
        kind: DocumentKind,
        issued: &str,
        repealed: Option<&str>,
    ) -> RegisteredDocument {
        RegisteredDocument::new(
            AgencyCode::parse("demo").unwrap(),
            id,
            kind,
            "某文件",
            "示太政发〔2026〕1号",
            d(issued),
            repealed.map(d),
        )
        .unwrap()
    }

    #[test]
    fn documents_are_counted_as_issued_repealed_and_in_force() {
        let docs = [
            doc(1, DocumentKind::NormativeDocument, "2024-05-01", None),
            doc(
                2,
                DocumentKind::NormativeDocument,
                "2025-03-01",
                Some("2026-06-30"),
            ),
            doc(3, DocumentKind::NormativeDocument, "2026-02-01", None),
            doc(
                4,
                DocumentKind::NormativeDocument,
                "2026-04-01",
                Some("2026-12-31"),
            ),
            doc(5, DocumentKind::Regulation, "2026-01-10", None),
            doc(6, DocumentKind::NormativeDocument, "2027-01-05", None),
        ];
        let figures = YearFigures {
            punishment: Some(12),
            fees_wan_yuan: Some(Decimal::new(125, 2)),
            ..YearFigures::default()
        };
        let t = table2(&docs, &figures, 2026);
        let cells = |item| t.row(item).unwrap().cells.clone();
        let n = |v: u64| Some(Decimal::from(v));
        // issued 3 and 4; repealed 2 and 4 (4 repealed on 31 December is not in force then).
        assert_eq!(cells(Table2Item::NormativeDocuments), [n(2), n(2), n(2)]);
        assert_eq!(cells(Table2Item::Regulations), [n(1), n(0), n(1)]);
        assert_eq!(cells(Table2Item::Punishment), [n(12)]);
        assert_eq!(
            cells(Table2Item::Licensing),
            [None],
            "not entered stays blank"
        );
        assert_eq!(cells(Table2Item::Fees), [Some(Decimal::new(125, 2))]);
        let earlier = table2(&docs, &YearFigures::default(), 2025);
        assert_eq!(
            earlier.row(Table2Item::NormativeDocuments).unwrap().cells,
            [n(1), n(0), n(2)]
        );
    }

    #[test]
    fn documents_need_a_number_and_sensible_dates() {
        let code = AgencyCode::parse("demo").unwrap();
        let kind = DocumentKind::Regulation;
        assert!(
            RegisteredDocument::new(code.clone(), 1, kind, "名称", " ", d("2026-01-01"), None)
                .is_err()
        );
        assert!(
            RegisteredDocument::new(
                code,
                1,
                kind,
                "名称",
                "号",
                d("2026-01-02"),
                Some(d("2026-01-01"))
            )
            .is_err()
        );
        assert_eq!(
            DocumentKind::parse("规范性文件"),
            Some(DocumentKind::NormativeDocument)
        );
    }

    #[test]
    fn a_register_is_imported_whole_with_every_bad_row_named() {
        let rows = |table: &[&[&str]]| -> Vec<Vec<String>> {
            table
                .iter()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect()
        };
        let agency = AgencyCode::parse("demo").unwrap();
        let good = rows(&[
            &["类别", "文件名称", "发文字号", "印发日期", "废止日期"],
            &[
                "行政规范性文件",
                "停车收费标准",
                "街发〔2026〕7号",
                "2026-03-01",
                "",
            ],
            &["规章", "某规章", "第3号令", "2025-01-10", "2026-06-30"],
        ]);
        let documents = read_table(&agency, 5, &good).unwrap();
        assert_eq!(documents.len(), 2);
        assert_eq!(documents[1].id, 6);
        assert_eq!(documents[1].kind, DocumentKind::Regulation);
        assert_eq!(
            documents[1].repealed_on,
            Some(gongkai_law::parse_date("t", "2026-06-30").unwrap())
        );
        let bad = rows(&[
            &["类别", "名称", "文号", "制发日期"],
            &["通知", "甲", "1号", "2026-01-01"],
            &["规章", "乙", "", "2026-01-01"],
            &["规章", "丙", "3号", "2026-02-30"],
        ]);
        let errors = read_table(&agency, 1, &bad).unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[0].starts_with("第2行：类别「通知」"));
        assert!(errors[1].starts_with("第3行：") && errors[1].contains("文号"));
        assert!(errors[2].starts_with("第4行：制发日期「2026-02-30」"));
        assert!(read_table(&agency, 1, &rows(&[&["名称"]])).unwrap_err()[0].contains("类别"));
    }
}
