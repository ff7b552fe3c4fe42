//! 主动公开基本目录 and 基层政务公开标准目录 — what the agency must publish: each entry's
//! 公开事项, 内容, 依据, 时限, 主体, 渠道, 对象, 方式 and 层级. Publications name the entry they
//! fulfil; an entry with nothing published, or with items past their 第二十六条 deadline, is
//! overdue.

use serde::{Deserialize, Serialize};

use crate::AgencyCode;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogEntry {
    pub agency: AgencyCode,
    pub id: u64,
    /// 公开事项
    pub matter: String,
    /// 公开内容（要素）
    pub content: String,
    /// 内容概述 — what the items of this matter say, in a sentence or two, for the public.
    #[serde(default)]
    pub summary: String,
    /// 公开依据
    pub basis: String,
    /// 公开时限, as the catalog states it (e.g. 信息形成或变更之日起20个工作日内).
    pub time_limit: String,
    /// 公开主体 / 牵头科室
    pub owner: String,
    /// 公开渠道
    pub channels: String,
    /// 公开对象 (全社会 / 特定群体)
    pub audience: String,
    /// 公开方式 (主动 / 依申请)
    pub mode: String,
    /// 公开层级
    pub level: String,
}

/// The columns an import understands, with the names catalogs use for them.
const COLUMNS: [crate::table::Column; 10] = [
    ("matter", &["公开事项", "事项", "公开事项名称", "事项名称"]),
    (
        "content",
        &[
            "公开内容",
            "内容",
            "公开内容（要素）",
            "公开内容(要素)",
            "公开要素",
        ],
    ),
    (
        "summary",
        &["内容概述", "内容摘要", "概述", "内容简介", "事项概述"],
    ),
    ("basis", &["公开依据", "依据"]),
    ("time_limit", &["公开时限", "时限"]),
    (
        "owner",
        &["公开主体", "主体", "牵头科室", "责任主体", "责任科室"],
    ),
    ("channels", &["公开渠道", "渠道", "公开渠道和载体"]),
    ("audience", &["公开对象", "对象"]),
    ("mode", &["公开方式", "方式"]),
    ("level", &["公开层级", "层级"]),
];

const REQUIRED: [&str; 4] = ["matter", "content", "time_limit", "owner"];

/// Which column holds which field, from the header row; names what is missing.
pub fn header_map(headers: &[String]) -> Result<Vec<Option<&'static str>>, String> {
    crate::table::header_map(headers, &COLUMNS, &REQUIRED).map_err(|missing| {
        format!(
            "表头缺少列：{}（应有 公开事项、公开内容、内容概述（可选）、公开依据、公开时限、公开主体、公开渠道、公开对象、公开方式、公开层级）",
            missing.join("、")
        )
    })
}

impl CatalogEntry {
    /// One data row under a header map; the message says which cell is wrong.
    pub fn from_row(
        agency: &AgencyCode,
        id: u64,
        map: &[Option<&'static str>],
        cells: &[String],
    ) -> Result<Self, String> {
        let value = |field: &str| crate::table::cell(map, cells, field);
        for field in REQUIRED {
            if value(field).is_empty() {
                let name = COLUMNS.iter().find(|(f, _)| *f == field).expect("known").1[0];
                return Err(format!("“{name}”为空"));
            }
        }
        Ok(Self {
            agency: agency.clone(),
            id,
            matter: value("matter"),
            content: value("content"),
            summary: value("summary"),
            basis: value("basis"),
            time_limit: value("time_limit"),
            owner: value("owner"),
            channels: value("channels"),
            audience: value("audience"),
            mode: value("mode"),
            level: value("level"),
        })
    }
}

/// Reads a whole table (header row first): every entry, or every bad row with its line
/// number (counting the header as line 1). Blank rows are skipped.
pub fn read_table(
    agency: &AgencyCode,
    first_id: u64,
    rows: &[Vec<String>],
) -> Result<Vec<CatalogEntry>, Vec<String>> {
    let Some((header, data)) = rows.split_first() else {
        return Err(vec!["文件是空的".into()]);
    };
    let map = header_map(header).map_err(|e| vec![format!("第1行：{e}")])?;
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    for (i, cells) in data.iter().enumerate() {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        match CatalogEntry::from_row(agency, first_id + entries.len() as u64, &map, cells) {
            Ok(entry) => entries.push(entry),
            Err(e) => errors.push(format!("第{}行：{e}", i + 2)),
        }
    }
    if errors.is_empty() {
        if entries.is_empty() {
            return Err(vec!["没有任何目录条目".into()]);
        }
        Ok(entries)
    } else {
        Err(errors)
    }
}

/// 公开时限 as a schedule: what a catalog's own time limit asks of the agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schedule {
    /// 信息形成或变更之日起20个工作日内, 及时, 实时 … — each item by its 第二十六条 deadline.
    OnChange,
    /// 每月
    Monthly,
    /// 每季度
    Quarterly,
    /// 每半年
    HalfYearly,
    /// 每年（某月某日前）; 每年 alone is by 31 December.
    Yearly { month: i8, day: i8 },
}

/// A period of a schedule: what was due in it, and by when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// e.g. `2026年第三季度`, `2026年（1月31日前）`
    pub label: String,
    pub start: gongkai_law::Date,
    pub due: gongkai_law::Date,
}

impl Schedule {
    /// Reads the common ways catalogs write their 时限; `None` when the text is not one of
    /// them (it is then shown as written, and only the items' own deadlines count).
    pub fn parse(text: &str) -> Option<Schedule> {
        let t = crate::table::fold(text);
        if t.contains("每月") || t.contains("按月") {
            return Some(Self::Monthly);
        }
        if t.contains("每季度") || t.contains("按季度") || t.contains("季度") {
            return Some(Self::Quarterly);
        }
        if t.contains("每半年") || t.contains("半年") {
            return Some(Self::HalfYearly);
        }
        if t.contains("每年") || (t.contains("年度") && t.contains("前")) {
            return Some(
                yearly_date(&t).map_or(Self::Yearly { month: 12, day: 31 }, |(month, day)| {
                    Self::Yearly { month, day }
                }),
            );
        }
        if t.contains("工作日") || t.contains("及时") || t.contains("实时") || t.contains("日内")
        {
            return Some(Self::OnChange);
        }
        None
    }

    /// The last period that has ended by `today` (its due day is before today), for periodic
    /// schedules.
    pub fn last_due(self, today: gongkai_law::Date) -> Option<Period> {
        use gongkai_law::Date;
        let date = |y: i16, m: i8, d: i8| Date::new(y, m, d).ok();
        let month_end = |y: i16, m: i8| date(y, m, 1).map(|d| d.last_of_month());
        let y = today.year();
        match self {
            Self::OnChange => None,
            Self::Monthly => {
                let (py, pm) = if today.month() == 1 {
                    (y - 1, 12)
                } else {
                    (y, today.month() - 1)
                };
                Some(Period {
                    label: format!("{py}年{pm}月"),
                    start: date(py, pm, 1)?,
                    due: month_end(py, pm)?,
                })
            }
            Self::Quarterly | Self::HalfYearly => {
                let months = if self == Self::Quarterly { 3 } else { 6 };
                let current = (today.month() - 1) / months;
                let (py, index) = if current == 0 {
                    (y - 1, 12 / months - 1)
                } else {
                    (y, current - 1)
                };
                let first = index * months + 1;
                let label = if months == 3 {
                    format!("{py}年第{}季度", ["一", "二", "三", "四"][index as usize])
                } else {
                    format!("{py}年{}", ["上半年", "下半年"][index as usize])
                };
                Some(Period {
                    label,
                    start: date(py, first, 1)?,
                    due: month_end(py, first + months - 1)?,
                })
            }
            Self::Yearly { month, day } => {
                let this = date(y, month, day)?;
                let due_year = if this < today { y } else { y - 1 };
                Some(Period {
                    label: format!("{due_year}年（{month}月{day}日前）"),
                    start: date(due_year, 1, 1)?,
                    due: date(due_year, month, day)?,
                })
            }
        }
    }
}

/// `3月31日前`, `6月底前` in a folded time limit.
fn yearly_date(t: &str) -> Option<(i8, i8)> {
    let at = t.find('月')?;
    let month: i8 = t[..at]
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .chars()
        .rev()
        .collect::<String>()
        .parse()
        .ok()?;
    if !(1..=12).contains(&month) {
        return None;
    }
    let rest = &t[at + '月'.len_utf8()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let day = if rest.starts_with("底") || rest.starts_with("末") {
        gongkai_law::Date::new(2001, month, 1)
            .ok()?
            .last_of_month()
            .day()
    } else {
        digits.parse().ok()?
    };
    gongkai_law::Date::new(2024, month, day).ok()?;
    Some((month, day))
}

impl CatalogEntry {
    pub fn schedule(&self) -> Option<Schedule> {
        Schedule::parse(&self.time_limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn reads_a_catalog_with_its_own_column_names() {
        let agency = AgencyCode::parse("demo").unwrap();
        let rows = vec![
            row(&[
                "序号",
                "公开事项",
                "公开内容（要素）",
                "公开依据",
                "公开时限",
                "牵头科室",
                "公开渠道",
                "公开对象",
                "公开方式",
                "公开层级",
            ]),
            row(&[
                "1",
                "财政预决算",
                "部门预算、决算及说明",
                "《预算法》",
                "批复后20日内",
                "财政所",
                "政府网站",
                "全社会",
                "主动",
                "街道",
            ]),
            row(&["", "", "", "", "", "", "", "", "", ""]),
            row(&[
                "2",
                "低保",
                "救助对象、标准",
                "《社会救助暂行办法》",
                "每季度",
                "社会事务办",
                "公开栏",
                "特定群体",
                "主动",
                "街道",
            ]),
        ];
        let entries = read_table(&agency, 10, &rows).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].id, 10);
        assert_eq!(entries[1].owner, "社会事务办");
        assert_eq!(entries[1].audience, "特定群体");
    }

    #[test]
    fn a_summary_column_is_read_when_there_is_one() {
        let agency = AgencyCode::parse("demo").unwrap();
        let rows = vec![
            row(&["公开事项", "公开内容", "内容概述", "公开时限", "公开主体"]),
            row(&[
                "财政预决算",
                "部门预算、决算",
                "每年公开本机关收支预算和决算，含“三公”经费",
                "批复后20日内",
                "财政所",
            ]),
        ];
        let entries = read_table(&agency, 1, &rows).unwrap();
        assert_eq!(
            entries[0].summary,
            "每年公开本机关收支预算和决算，含“三公”经费"
        );
        assert_eq!(entries[0].content, "部门预算、决算", "内容概述 is not 内容");
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line() {
        let agency = AgencyCode::parse("demo").unwrap();
        let rows = vec![
            row(&["公开事项", "公开内容", "公开时限", "公开主体"]),
            row(&["财政", "", "20个工作日", "财政所"]),
            row(&["低保", "名单", "每季度", "社会事务办"]),
            row(&["", "名单", "每季度", "社会事务办"]),
        ];
        let errors = read_table(&agency, 1, &rows).unwrap_err();
        assert_eq!(errors, ["第2行：“公开内容”为空", "第4行：“公开事项”为空"]);
        let errors = read_table(&agency, 1, &[row(&["事项", "名称"])]).unwrap_err();
        assert!(
            errors[0].starts_with("第1行：表头缺少列：公开内容"),
            "{errors:?}"
        );
        assert!(read_table(&agency, 1, &[]).is_err());
    }

    #[test]
    fn time_limits_become_schedules_and_periods() {
        let d = |t: &str| gongkai_law::parse_date("t", t).unwrap();
        assert_eq!(
            Schedule::parse("信息形成或变更之日起20个工作日内"),
            Some(Schedule::OnChange)
        );
        assert_eq!(Schedule::parse("每季度"), Some(Schedule::Quarterly));
        assert_eq!(
            Schedule::parse("每年1月31日前"),
            Some(Schedule::Yearly { month: 1, day: 31 })
        );
        assert_eq!(
            Schedule::parse("每年6月底前"),
            Some(Schedule::Yearly { month: 6, day: 30 })
        );
        assert_eq!(
            Schedule::parse("每年"),
            Some(Schedule::Yearly { month: 12, day: 31 })
        );
        assert_eq!(Schedule::parse("每月10日前"), Some(Schedule::Monthly));
        assert_eq!(Schedule::parse("长期"), None);
        let q = Schedule::Quarterly.last_due(d("2026-11-27")).unwrap();
        assert_eq!(
            (q.label.as_str(), q.start, q.due),
            ("2026年第三季度", d("2026-07-01"), d("2026-09-30"))
        );
        let q = Schedule::Quarterly.last_due(d("2026-02-01")).unwrap();
        assert_eq!((q.start, q.due), (d("2025-10-01"), d("2025-12-31")));
        let y = Schedule::Yearly { month: 1, day: 31 }
            .last_due(d("2026-11-27"))
            .unwrap();
        assert_eq!((y.start, y.due), (d("2026-01-01"), d("2026-01-31")));
        let y = Schedule::Yearly { month: 3, day: 31 }
            .last_due(d("2026-03-31"))
            .unwrap();
        assert_eq!(y.due, d("2025-03-31"), "due today is not yet missed");
        let m = Schedule::Monthly.last_due(d("2026-01-15")).unwrap();
        assert_eq!((m.start, m.due), (d("2025-12-01"), d("2025-12-31")));
        let h = Schedule::HalfYearly.last_due(d("2026-08-01")).unwrap();
        assert_eq!((h.label.as_str(), h.due), ("2026年上半年", d("2026-06-30")));
    }
}
