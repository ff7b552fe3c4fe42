//! The reader: any published annual report — plain text in the shapes sites and scrapers
//! produce, or HTML — back into the model, with a finding for everything it could not read
//! for sure. It never guesses silently and never panics.

mod cells;
mod folded;
mod labels;
mod meta;

use rust_decimal::Decimal;

use self::{
    cells::{Fit, Rule, Token, fit, fit_pinned, tokenize},
    folded::{Folded, Hit, chars},
};
use crate::{
    findings::{Code, Finding},
    html,
    model::Count,
    model::{
        Blank, CellAt, Format, Report, Section, SectionKind, Table2, Table2Item, Table3,
        Table3Column, Table3Row, Table4, Table4Group,
    },
    text::normalize,
};

pub use cells::MAX_CANDIDATES;

/// How the tables were laid out in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// HTML tables (rowspan/colspan, `&nbsp;` for blank cells).
    Html,
    /// One cell per line, `|` ending the cell or on the next line.
    CellPerLine,
    /// One table row per line, cells separated by ` | `.
    RowPerLine,
    /// One cell per paragraph, blank lines between.
    BlankLineCells,
    /// Numbers separated by spaces (PDF-extracted text).
    SpaceSeparated,
    /// Whole tables with no delimiters (`801000081`).
    Flattened,
    /// Not read from text: the JSON model.
    Model,
    /// No table found.
    Unknown,
}

impl Shape {
    pub fn label(self) -> &'static str {
        match self {
            Self::Html => "HTML 表格",
            Self::CellPerLine => "每格一行（|）",
            Self::RowPerLine => "每行一列（ | 分隔）",
            Self::BlankLineCells => "每格一段（空行分隔）",
            Self::SpaceSeparated => "空格分隔（PDF 提取文本）",
            Self::Flattened => "无分隔（数字连写）",
            Self::Model => "JSON 数据模型",
            Self::Unknown => "未识别",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Html => "html",
            Self::CellPerLine => "cell_per_line",
            Self::RowPerLine => "row_per_line",
            Self::BlankLineCells => "blank_line_cells",
            Self::SpaceSeparated => "space_separated",
            Self::Flattened => "flattened",
            Self::Model => "model",
            Self::Unknown => "unknown",
        }
    }
}

/// What the reader made of a text.
#[derive(Debug, Clone)]
pub struct Reading {
    pub report: Report,
    pub shape: Shape,
    /// Reading findings: ambiguities, missing rows and cells, blank cells.
    pub findings: Vec<Finding>,
    /// The table 三 rows found, of those the format has.
    pub table3_rows_found: usize,
}

impl Reading {
    /// A report given as the JSON model: nothing to read, every row is there by construction.
    pub fn from_model(report: Report) -> Self {
        let table3_rows_found = report.table3.rows.len();
        Self {
            report,
            shape: Shape::Model,
            findings: Vec::new(),
            table3_rows_found,
        }
    }

    /// Whether anything of table 三 was found at all.
    pub fn found_table3(&self) -> bool {
        self.table3_rows_found > 0
    }

    /// Whether every table was read in full (ambiguities aside).
    pub fn is_complete(&self) -> bool {
        !self.findings.iter().any(|f| f.code.is_reading_gap())
    }
}

/// A table-三 row whose own sum left several splits: the candidates as counts and as text.
type PendingRow<'t> = (Table3Row, Vec<[Count; 7]>, Vec<Vec<&'t str>>);

/// Section headings as the formats print them; a heading found by its key is extended over
/// the rest of its text.
const SECTION_HEADINGS: [&str; 7] = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "五、存在的主要问题及改进情况",
    "五、政府信息公开工作存在的主要问题及改进情况",
    "六、其他需要报告的事项",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
];

/// How far after one row label the next is looked for, in folded chars.
const ROW_WINDOW: usize = 700;

/// Reads a published report, text or HTML.
pub fn read(input: &str) -> Reading {
    let from_html = html::looks_like_html(input);
    let text = if from_html {
        normalize(&html::to_text(input))
    } else {
        normalize(input)
    };
    let folded = Folded::new(&text);
    let mut reader = Reader {
        text: &text,
        folded: &folded,
        findings: Vec::new(),
        blanks: Vec::new(),
        unsettled: Vec::new(),
    };
    reader.read(from_html)
}

struct Reader<'a> {
    text: &'a str,
    folded: &'a Folded,
    findings: Vec<Finding>,
    /// How the blank cells read so far were written.
    blanks: Vec<(CellAt, Blank)>,
    /// Rows of table 二 whose flattened digits split more than one way, for the text to settle.
    unsettled: Vec<Unsettled<'a>>,
}

/// Where a row sits, named only when a finding needs it (naming formats a string).
#[derive(Debug, Clone, Copy)]
enum Place<'l> {
    Table3(Table3Row),
    Named(&'l str),
}

impl Place<'_> {
    fn name(self) -> String {
        match self {
            Self::Table3(row) => format!("表三 {}", row.short_label()),
            Self::Named(name) => name.to_string(),
        }
    }
}

/// A row of table 二 left blank because its digits split more than one way.
struct Unsettled<'a> {
    item: Table2Item,
    tokens: Vec<Token<'a>>,
    /// Its AMBIGUOUS_SPLIT finding, replaced when the text settles the row.
    finding: usize,
}

/// Where the parts of the report sit, in folded positions.
struct Layout {
    overview: Option<Hit>,
    proactive: Option<Hit>,
    table2_start: Option<usize>,
    table3_start: usize,
    /// Where table 三 starts, and the first row at that place.
    table3_anchor: Option<(Hit, Table3Row)>,
}

impl<'a> Reader<'a> {
    fn read(&mut self, from_html: bool) -> Reading {
        let layout = self.layout();
        let (table3, found, table3_end, shape_text) = self.read_table3(&layout);
        let format = table3.format;
        let mut report = Report::blank(format);
        report.meta = meta::extract(self.text, self.folded);
        report.table3 = table3;
        report.table2 = self.read_table2(&layout, format);
        report.table4 = self.read_table4(&layout, table3_end);
        report.sections = self.sections(&layout);
        self.settle_by_text(&mut report);
        report.preamble = self.preamble(&layout);
        report.blanks = std::mem::take(&mut self.blanks);
        self.uncertain_cells(&report);
        // The title line often stands again above the body.
        report
            .preamble
            .retain(|p| Some(p) != report.meta.title.as_ref());
        if found == 0 {
            self.findings.insert(
                0,
                Finding::error(
                    Code::NoTable3,
                    "表三",
                    "未找到“收到和处理政府信息公开申请情况”表（表三），无法作为年度报告读取",
                ),
            );
        }
        if report.table2.format == Format::Trial2019 && report.meta.year.is_some_and(|y| y >= 2021)
        {
            self.findings.push(Finding::warning(
                Code::OutdatedFormat,
                "表二",
                format!(
                    "{}年度报告仍使用2019年试行格式（本年新制作数量、上一年项目数量等），应使用国办公开办函〔2021〕30号格式",
                    report.meta.year.unwrap_or_default()
                ),
            ));
        }
        let shape = if found == 0 {
            Shape::Unknown
        } else if from_html {
            Shape::Html
        } else {
            shape_of(shape_text)
        };
        Reading {
            report,
            shape,
            findings: std::mem::take(&mut self.findings),
            table3_rows_found: found,
        }
    }

    fn all(&self) -> usize {
        self.folded.len()
    }

    /// The first key (most specific first) found in `[from, to)`, with the key that hit.
    fn find_key(
        &self,
        keys: &[&'static str],
        from: usize,
        to: usize,
    ) -> Option<(Hit, &'static str)> {
        // Every key exactly first; the typo-tolerant scan only when none is there.
        let exact = keys.iter().find_map(|&key| {
            let needle = chars(key);
            self.folded.find(&needle, from, to).map(|start| {
                (
                    Hit {
                        start,
                        end: start + needle.len(),
                    },
                    key,
                )
            })
        });
        exact.or_else(|| {
            keys.iter().find_map(|&key| {
                self.folded
                    .find_near(&chars(key), from, to)
                    .map(|hit| (hit, key))
            })
        })
    }

    fn layout(&self) -> Layout {
        let all = self.all();
        let anchor = self.table3_anchor();
        let table3_anchor_pos = anchor.map_or(all, |(h, _)| h.start);
        // The heading just before the table, not its mention in the introduction.
        let heading_from = table3_anchor_pos.saturating_sub(160);
        let table3_start = self
            .folded
            .find(
                &chars("收到和处理政府信息公开申请"),
                heading_from,
                table3_anchor_pos,
            )
            .map(|p| self.back_to_marker(p, "三."))
            .unwrap_or(table3_anchor_pos);
        let table2_start = self
            .folded
            .find(&chars("第二十条第(一)项"), 0, table3_start);
        let proactive = self.heading(
            "二.",
            &["主动公开政府信息情况", "主动公开政府信息"],
            0,
            table2_start.unwrap_or(table3_start),
        );
        let overview = self.heading(
            "一.",
            &["总体情况"],
            0,
            proactive.map_or(table3_start, |h| h.start),
        );
        Layout {
            overview,
            proactive,
            table2_start,
            table3_start,
            table3_anchor: anchor,
        }
    }

    /// A heading such as `二、主动公开政府信息情况`: the key, preceded (closely) by its number.
    fn heading(
        &self,
        number: &'static str,
        keys: &[&'static str],
        from: usize,
        to: usize,
    ) -> Option<Hit> {
        let marker = chars(number);
        for key in keys {
            let needle = chars(key);
            let mut at = from;
            while let Some(start) = self.folded.find(&needle, at, to) {
                let lookback = self
                    .folded
                    .slice(start.saturating_sub(marker.len() + 12), start);
                if lookback.windows(marker.len()).any(|w| w == &*marker) {
                    let hit = Hit {
                        start,
                        end: start + needle.len(),
                    };
                    let hit = SECTION_HEADINGS
                        .iter()
                        .map(|full| self.folded.extend_forward(hit, &chars(full), &needle))
                        .max_by_key(|h| h.end)
                        .unwrap_or(hit);
                    return Some(Hit {
                        start: self.back_to_marker(start, number),
                        end: hit.end,
                    });
                }
                at = start + 1;
            }
        }
        None
    }

    /// Moves a heading's start back to its number (`五.`) if that stands just before it.
    fn back_to_marker(&self, start: usize, number: &'static str) -> usize {
        let marker = chars(number);
        let from = start.saturating_sub(marker.len() + 12);
        let window = self.folded.slice(from, start);
        window
            .windows(marker.len())
            .rposition(|w| w == &*marker)
            .map_or(start, |i| from + i)
    }

    /// Row 一 of table 三, confirmed by row 二 or （一） following it.
    fn table3_anchor(&self) -> Option<(Hit, Table3Row)> {
        let label = labels::table3(Table3Row::NewlyReceived);
        let all = self.all();
        for key in label.keys {
            let needle = chars(key);
            let mut at = 0;
            while let Some(hit) = self.folded.find_near(&needle, at, all) {
                let after = hit.end;
                let confirmed = self
                    .folded
                    .find(&chars("上年结转"), after, after + 400)
                    .is_some()
                    || self
                        .folded
                        .find(&chars("予以公开"), after, after + 700)
                        .is_some();
                if confirmed {
                    let hit = self.folded.extend_back(hit, &chars(label.full), &needle);
                    return Some((hit, Table3Row::NewlyReceived));
                }
                at = hit.start + 1;
            }
        }
        // A fragment that starts inside the table: anchor on the first row it still has,
        // just before that row's label so the row search begins there.
        [
            (
                "本年度办理结果",
                Table3Row::Result(gongkai_law::Outcome::Disclosed),
            ),
            (
                "(一)予以公开",
                Table3Row::Result(gongkai_law::Outcome::Disclosed),
            ),
            ("(七)总计", Table3Row::Total),
            ("结转下年度继续办理", Table3Row::CarriedForward),
        ]
        .iter()
        .find_map(|&(key, row)| {
            let needle = chars(key);
            self.folded.find(&needle, 0, all).map(|start| {
                let start = self.back_to_marker(start, "四.");
                (Hit { start, end: start }, row)
            })
        })
    }

    fn table3_format(&self, from: usize) -> Format {
        let to = (from + 4000).min(self.all());
        let has = |key: &'static str| self.folded.find(&chars(key), from, to).is_some();
        if has("逾期不补正") || has("缴纳费用") {
            Format::Current2021
        } else if has("其他处理") || self.trial_table2(0, from) {
            // (六)其他处理 as one row, or a fragment cut before it with the old table 二.
            Format::Trial2019
        } else {
            Format::Current2021
        }
    }

    fn trial_table2(&self, from: usize, to: usize) -> bool {
        labels::TRIAL_TABLE2_MARKERS
            .iter()
            .any(|m| self.folded.find(&chars(m), from, to).is_some())
    }

    /// Finds each row label in order; the text between a label and the next is its cells.
    /// Returns the table, the rows found, where the table ends, and its text (for the shape).
    fn read_table3(&mut self, layout: &Layout) -> (Table3, usize, usize, &'a str) {
        let text: &'a str = self.text;
        let Some((anchor, first_row)) = layout.table3_anchor else {
            return (
                Table3::blank(Format::Current2021),
                0,
                layout.table3_start,
                "",
            );
        };
        let format = self.table3_format(anchor.start);
        let mut table = Table3::blank(format);
        let rows = Table3Row::rows(format);
        let mut hits: Vec<(Table3Row, Hit)> = Vec::new();
        let mut cursor = anchor.start;
        let all = self.all();
        let first = rows.iter().position(|&r| r == first_row).unwrap_or(0);
        // No row label is looked for past table 四's heading: a garbled “（七）总计” must not be
        // found in table 四's “总计”.
        let table4 = self
            .heading_loose(&["政府信息公开行政复议", "行政复议"], anchor.end, all)
            .map_or(all, |h| self.back_to_marker(h.start, "四."));
        for &row in &rows[first..] {
            let label = labels::table3(row);
            let found = if row == Table3Row::NewlyReceived {
                Some(anchor)
            } else {
                self.find_key(label.keys, cursor, (cursor + ROW_WINDOW).min(table4))
                    .map(|(hit, key)| {
                        self.folded
                            .extend_back(hit, &chars(label.full), &chars(key))
                    })
            };
            if let Some(hit) = found {
                cursor = hit.end;
                hits.push((row, hit));
            }
        }
        // The table ends where table 四 begins.
        let end = self
            .heading_loose(&["政府信息公开行政复议", "行政复议"], cursor, all)
            .map_or(all, |h| self.back_to_marker(h.start, "四."));
        let mut missing: Vec<Table3Row> = rows
            .iter()
            .copied()
            .filter(|r| !hits.iter().any(|(h, _)| h == r))
            .collect();
        let mut pending = Vec::new();
        let mut by_position = 0;
        for (i, &(row, hit)) in hits.iter().enumerate() {
            let next = hits.get(i + 1).map_or(end, |(_, h)| h.start);
            let region = &self.text[self.folded.byte_end(hit.end)
                ..self.folded.byte(next).max(self.folded.byte_end(hit.end))];
            let tokens = tokenize(region);
            // Rows whose labels were not found (garbled by OCR, misspelt) between this row and
            // the next found: when the cells that follow are exactly theirs too, seven by seven,
            // each takes its place in the format's order — and the finding says so.
            let after = rows
                .iter()
                .position(|r| *r == row)
                .map_or(rows.len(), |p| p + 1);
            let until = hits
                .get(i + 1)
                .and_then(|(next, _)| rows.iter().position(|r| r == next))
                .unwrap_or(rows.len());
            let unlabelled: Vec<Table3Row> = rows[after.min(until)..until]
                .iter()
                .copied()
                .filter(|r| missing.contains(r))
                .collect();
            if !unlabelled.is_empty() && tokens.len() == 7 * (unlabelled.len() + 1) {
                for (k, placed) in std::iter::once(row)
                    .chain(unlabelled.iter().copied())
                    .enumerate()
                {
                    let chunk = &tokens[k * 7..(k + 1) * 7];
                    let fitted = fit(chunk, 7, Rule::SumLast { size: 7 });
                    self.take_row(&mut table, placed, fitted, chunk);
                }
                let names: Vec<String> = unlabelled.iter().map(|r| r.short_label()).collect();
                self.findings.push(Finding::warning(
                    Code::RowByPosition,
                    "表三",
                    format!(
                        "未能识别行标题（{}），按表格中的位置读取其数字：请对照原件核实",
                        names.join("、")
                    ),
                ));
                by_position += unlabelled.len();
                missing.retain(|r| !unlabelled.contains(r));
                continue;
            }
            match fit(&tokens, 7, Rule::SumLast { size: 7 }) {
                Fit::Ambiguous {
                    candidates,
                    more: false,
                } if !candidates.is_empty() => {
                    let counts: Vec<[Count; 7]> =
                        candidates.iter().filter_map(|c| as_counts(c)).collect();
                    pending.push((row, counts, candidates));
                }
                other => self.take_row(&mut table, row, other, &tokens),
            }
        }
        self.resolve_by_columns(&mut table, pending);
        if !hits.is_empty() && !missing.is_empty() {
            let names: Vec<String> = missing.iter().map(|r| r.short_label()).collect();
            self.findings.push(Finding::warning(
                Code::MissingRows,
                "表三",
                format!(
                    "不完整（incomplete）：表三应有{}行，缺少{}行：{}",
                    rows.len(),
                    missing.len(),
                    names.join("、")
                ),
            ));
        }
        let start_byte = self.folded.byte(anchor.start);
        let end_byte = self.folded.byte(end).max(start_byte);
        (
            table,
            hits.len() + by_position,
            end,
            &text[start_byte..end_byte],
        )
    }

    fn heading_loose(&self, keys: &[&'static str], from: usize, to: usize) -> Option<Hit> {
        self.find_key(keys, from, to).map(|(hit, _)| hit)
    }

    /// Rows whose own sum left several splits: the combination of candidates that satisfies
    /// the table's column identities (（七）总计 = the results; 一 + 二 = （七） + 四) is taken
    /// if it is the only one; otherwise each row is reported with its candidates.
    fn resolve_by_columns(&mut self, table: &mut Table3, pending: Vec<PendingRow<'a>>) {
        if pending.is_empty() {
            return;
        }
        let combinations = pending
            .iter()
            .try_fold(1usize, |acc, (_, c, _)| acc.checked_mul(c.len()));
        let mut solutions: Vec<Vec<usize>> = Vec::new();
        if let Some(total) = combinations.filter(|&n| n > 0 && n <= 100_000) {
            for index in 0..total {
                let mut rest = index;
                let choice: Vec<usize> = pending
                    .iter()
                    .map(|(_, c, _)| {
                        let pick = rest % c.len();
                        rest /= c.len();
                        pick
                    })
                    .collect();
                let mut trial = table.clone();
                for ((row, counts, _), &pick) in pending.iter().zip(&choice) {
                    if let Some(cells) = trial.row_mut(*row) {
                        *cells = counts[pick];
                    }
                }
                if columns_hold(&trial) {
                    solutions.push(choice);
                    if solutions.len() > 1 {
                        break;
                    }
                }
            }
        }
        if let [choice] = solutions.as_slice() {
            for ((row, counts, _), &pick) in pending.iter().zip(choice) {
                if let Some(cells) = table.row_mut(*row) {
                    *cells = counts[pick];
                }
            }
            return;
        }
        for (row, _, candidates) in pending {
            self.accept_counts(
                Fit::Ambiguous {
                    candidates,
                    more: false,
                },
                7,
                Place::Table3(row),
            );
        }
    }

    /// A row of table 三 from its fit (and how its blank cells were written), or the finding
    /// that says why it could not be read.
    fn take_row(&mut self, table: &mut Table3, row: Table3Row, fitted: Fit, tokens: &[Token]) {
        if let Some(values) = self.accept_counts(fitted, 7, Place::Table3(row))
            && let Some(cells) = table.row_mut(row)
        {
            cells.copy_from_slice(&values);
            self.note_blanks(tokens, &values, |i| {
                CellAt::Table3(row, Table3Column::ALL[i])
            });
        }
    }

    /// Keeps how each blank cell of a row was written (an empty cell needs no note).
    fn note_blanks<T>(
        &mut self,
        tokens: &[Token],
        values: &[Option<T>],
        at: impl Fn(usize) -> CellAt,
    ) {
        let blanks = cells::blanks(tokens, values.len());
        for (i, (value, blank)) in values.iter().zip(blanks).enumerate() {
            if value.is_none()
                && let Some(blank) = blank.filter(|b| *b != Blank::Empty)
            {
                self.blanks.push((at(i), blank));
            }
        }
    }

    /// A figure OCR was not sure of is a blank, never a figure: each is named.
    fn uncertain_cells(&mut self, report: &Report) {
        for (at, blank) in &report.blanks {
            if let Blank::Uncertain { read, confidence } = blank {
                self.findings.push(Finding::warning(
                    Code::OcrUncertain,
                    at.label(report.format),
                    format!(
                        "文字识别读作「{read}」，置信度{confidence}%，低于可采信的{}%：未采信，按空白处理（请对照原件填写）",
                        cells::CERTAIN_CONFIDENCE
                    ),
                ));
            }
        }
    }

    fn accept_counts(
        &mut self,
        fitted: Fit,
        cells: usize,
        location: Place<'_>,
    ) -> Option<Vec<Option<u64>>> {
        let values = self.accept(fitted, cells, location)?;
        let mut out = Vec::with_capacity(cells);
        for value in values {
            match value {
                None => out.push(None),
                Some(text) => match text.parse::<u64>() {
                    Ok(n) => out.push(Some(n)),
                    Err(_) => {
                        self.findings.push(Finding::warning(
                            Code::Unsplittable,
                            location.name(),
                            format!("单元格「{text}」不是非负整数"),
                        ));
                        return None;
                    }
                },
            }
        }
        Some(out)
    }

    /// The cells of a fit, or a finding saying why there are none.
    fn accept<'t>(
        &mut self,
        fitted: Fit<'t>,
        cells: usize,
        location: Place<'_>,
    ) -> Option<Vec<Option<&'t str>>> {
        match fitted {
            Fit::Cells(values) => Some(values),
            Fit::Ambiguous { candidates, more } => {
                let shown: Vec<String> = candidates.iter().map(|c| c.join("/")).collect();
                self.findings.push(Finding::warning(
                    Code::AmbiguousSplit,
                    location.name(),
                    if candidates.is_empty() {
                        "数字连写，可能的拆分过多，无法确定各单元格".to_string()
                    } else {
                        format!(
                            "数字连写，拆分不唯一，未采用任何一种：候选 {}{}",
                            shown.join("；"),
                            if more {
                                "；……（还有更多）"
                            } else {
                                ""
                            }
                        )
                    },
                ));
                None
            }
            Fit::Unsplittable { runs } => {
                self.findings.push(Finding::warning(
                    Code::Unsplittable,
                    location.name(),
                    format!(
                        "数字「{}」无法拆分为{}个单元格并满足合计关系",
                        runs.join(" "),
                        cells
                    ),
                ));
                None
            }
            Fit::Missing { found } => {
                let shown: Vec<&str> = found.iter().map(|v| v.unwrap_or("空")).collect();
                self.findings.push(Finding::warning(
                    Code::MissingCells,
                    location.name(),
                    format!(
                        "应有{}个单元格，只读到{}个（{}）；空白单元格可能被丢弃，无法确定所在列",
                        cells,
                        found.len(),
                        shown.join("、")
                    ),
                ));
                None
            }
            Fit::Extra { found } => {
                self.findings.push(Finding::warning(
                    Code::ExtraValues,
                    location.name(),
                    format!(
                        "应有{}个单元格，却读到{}个数值（{}）",
                        cells,
                        found.len(),
                        found.join("、")
                    ),
                ));
                None
            }
            Fit::Empty => {
                self.findings.push(Finding::warning(
                    Code::MissingCells,
                    location.name(),
                    format!("应有{cells}个单元格，没有读到任何数值"),
                ));
                None
            }
        }
    }

    fn read_table2(&mut self, layout: &Layout, table3_format: Format) -> Table2 {
        let Some(start) = layout.table2_start else {
            let mut table = Table2::blank(table3_format);
            if layout.table3_anchor.is_some() {
                self.findings.push(Finding::warning(
                    Code::MissingRows,
                    "表二",
                    "未找到“主动公开政府信息情况”表（表二）",
                ));
            }
            table.format = table3_format;
            return table;
        };
        let end = layout.table3_start.max(start);
        let format = if self.trial_table2(start, end) {
            Format::Trial2019
        } else {
            Format::Current2021
        };
        let mut table = Table2::blank(format);
        let mut hits: Vec<(Table2Item, Hit)> = Vec::new();
        let mut cursor = start;
        for &item in Table2Item::rows(format) {
            let label = labels::table2(item);
            if let Some((hit, key)) = self.find_key(label.keys, cursor, end) {
                let hit = self
                    .folded
                    .extend_back(hit, &chars(label.full), &chars(key));
                cursor = hit.end;
                hits.push((item, hit));
            }
        }
        for (i, &(item, hit)) in hits.iter().enumerate() {
            let next = hits.get(i + 1).map_or(end, |(_, h)| h.start);
            let from = self.folded.byte_end(hit.end);
            let region = &self.text[from..self.folded.byte(next).max(from)];
            let columns = item.columns(format).len();
            let location = format!("表二 {}", item.label(format));
            let tokens = tokenize(region);
            let fitted = fit(&tokens, columns, Rule::Free);
            if matches!(fitted, Fit::Ambiguous { .. }) {
                self.unsettled.push(Unsettled {
                    item,
                    tokens: tokens.clone(),
                    finding: self.findings.len(),
                });
            }
            if let Some(values) = self.accept(fitted, columns, Place::Named(&location)) {
                self.note_blanks(&tokens, &values, |i| CellAt::Table2(item, i));
                let parsed: Vec<Option<Decimal>> = values
                    .iter()
                    .map(|v| {
                        v.as_ref()
                            .and_then(|t| t.trim_start_matches('+').parse::<Decimal>().ok())
                    })
                    .collect();
                if let Some(row) = table.rows.iter_mut().find(|r| r.item == item) {
                    row.cells = parsed;
                }
            }
        }
        let missing: Vec<&str> = Table2Item::rows(format)
            .iter()
            .filter(|item| !hits.iter().any(|(h, _)| h == *item))
            .map(|item| item.label(format))
            .collect();
        if !missing.is_empty() {
            self.findings.push(Finding::warning(
                Code::MissingRows,
                "表二",
                format!(
                    "不完整（incomplete）：表二缺少{}行：{}",
                    missing.len(),
                    missing.join("、")
                ),
            ));
        }
        table
    }

    fn read_table4(&mut self, layout: &Layout, table3_end: usize) -> Table4 {
        let all = self.all();
        let mut table = Table4::default();
        if layout.table3_anchor.is_none() || table3_end >= all {
            if layout.table3_anchor.is_some() {
                self.findings.push(Finding::warning(
                    Code::MissingRows,
                    "表四",
                    "不完整（incomplete）：未找到“行政复议、行政诉讼情况”表（表四）",
                ));
            }
            return table;
        }
        let end = self
            .heading(
                "五.",
                &["存在的主要问题", "主要问题及改进"],
                table3_end,
                all,
            )
            .map_or(all, |h| h.start);
        let from = self.folded.byte(table3_end);
        let region = &self.text[from..self.folded.byte(end).max(from)];
        // The numbers follow the last header word (持, 总计, …), whatever prose came before.
        let mut tail_start = region
            .char_indices()
            .rfind(|&(_, c)| !is_data_or_markup(c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        // 无 and 不适用 written in a cell are data too.
        while let Some(mark) = ["无", "不适用"]
            .into_iter()
            .find(|m| region[..tail_start].ends_with(m))
        {
            let before = &region[..tail_start - mark.len()];
            let is_cell = before.ends_with(is_data_or_markup) || before.is_empty();
            if !is_cell {
                break;
            }
            tail_start = before
                .char_indices()
                .rfind(|&(_, c)| !is_data_or_markup(c))
                .map_or(0, |(i, c)| i + c.len_utf8());
        }
        let tail = &region[tail_start..];
        let tokens = tokenize(tail);
        let fitted = fit(&tokens, 15, Rule::SumLast { size: 5 });
        if let Some(values) = self.accept_counts(fitted, 15, Place::Named("表四")) {
            self.note_blanks(&tokens, &values, |i| {
                CellAt::Table4(Table4Group::ALL[i / 5], i % 5)
            });
            for (i, value) in values.into_iter().enumerate() {
                table.groups[i / 5][i % 5] = value;
            }
        }
        table
    }

    /// The paragraphs before section 一: the basis and scope of the report, without the
    /// metadata block and scraper headers.
    fn preamble(&self, layout: &Layout) -> Vec<String> {
        let end = layout
            .overview
            .map(|h| h.start)
            .or(layout.proactive.map(|h| h.start))
            .or(layout.table2_start)
            .unwrap_or(layout.table3_start);
        let body = &self.text[..self.folded.byte(end)];
        let body = body
            .rsplit_once("正文 ====================")
            .map_or(body, |(_, after)| after);
        body.lines()
            .map(str::trim)
            .filter(|line| {
                let head: String = line.chars().take(10).collect();
                !line.is_empty()
                    && !head.contains(':')
                    && !line.starts_with('[')
                    && !line.starts_with("===")
                    && !line.contains(" | ")
                    && line.chars().count() > 20
            })
            .map(str::to_string)
            .collect()
    }

    /// A row of table 二 whose digits split more than one way, settled by what the text
    /// states of its cells (制发N件, 现行有效N件): the split is taken only when the stated
    /// cells leave exactly one, and the finding says which words settled it.
    fn settle_by_text(&mut self, report: &mut Report) {
        let format = report.table2.format;
        let text: String = report
            .sections
            .iter()
            .filter(|s| matches!(s.kind, SectionKind::Overview | SectionKind::Proactive))
            .flat_map(|s| s.paragraphs.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join("\n");
        for unsettled in std::mem::take(&mut self.unsettled) {
            let columns = unsettled.item.columns(format);
            let stated = crate::prose::stated_table2(&text, unsettled.item, format);
            if stated.iter().all(Option::is_none) {
                continue;
            }
            let pinned = |only: Option<usize>| -> Vec<Option<String>> {
                stated
                    .iter()
                    .enumerate()
                    .map(|(i, s)| {
                        s.as_ref()
                            .filter(|_| only.is_none_or(|o| o == i))
                            .map(|(value, _)| value.to_string())
                    })
                    .collect()
            };
            let unique = |pins: &[Option<String>]| match fit_pinned(
                &unsettled.tokens,
                columns.len(),
                Rule::Free,
                pins,
            ) {
                Fit::Cells(values) => Some(values),
                _ => None,
            };
            // All the stated cells together; else any one alone that leaves one split (the
            // text may also state a figure of another count, 清理后现行有效…).
            let (values, used) = match unique(&pinned(None)) {
                Some(values) => (values, None),
                None => {
                    let alone: Vec<(usize, Vec<Option<&str>>)> = (0..stated.len())
                        .filter(|i| stated[*i].is_some())
                        .filter_map(|i| unique(&pinned(Some(i))).map(|v| (i, v)))
                        .collect();
                    match alone.as_slice() {
                        [(i, values)] => (values.clone(), Some(*i)),
                        [(i, values), rest @ ..] if rest.iter().all(|(_, v)| v == values) => {
                            (values.clone(), Some(*i))
                        }
                        _ => continue,
                    }
                }
            };
            let parsed: Vec<Option<Decimal>> = values
                .iter()
                .map(|v| v.as_ref().and_then(|t| t.parse::<Decimal>().ok()))
                .collect();
            let Some(row) = report
                .table2
                .rows
                .iter_mut()
                .find(|r| r.item == unsettled.item)
            else {
                continue;
            };
            row.cells = parsed;
            let said: Vec<String> = stated
                .iter()
                .enumerate()
                .filter(|(i, _)| used.is_none_or(|u| u == *i))
                .filter_map(|(i, s)| {
                    s.as_ref()
                        .map(|(value, excerpt)| format!("{}{value}（“{excerpt}”）", columns[i]))
                })
                .collect();
            let read: Vec<&str> = values.iter().map(|v| v.as_deref().unwrap_or("")).collect();
            let location = format!("表二 {}", unsettled.item.label(format));
            if let Some(finding) = self.findings.get_mut(unsettled.finding) {
                *finding = Finding::warning(
                    Code::SettledByText,
                    location,
                    format!(
                        "数字连写，拆分不唯一；正文称{}，据此读作 {}（请对照原表核实）",
                        said.join("、"),
                        read.join("/")
                    ),
                );
            }
        }
    }

    fn sections(&self, layout: &Layout) -> Vec<Section> {
        let all = self.all();
        let mut sections = Vec::new();
        let table3_end = layout.table3_start;
        let problems = self.heading(
            "五.",
            &["存在的主要问题", "主要问题及改进"],
            table3_end,
            all,
        );
        let other = self.heading(
            "六.",
            &["其他需要报告的事项"],
            problems.map_or(table3_end, |h| h.end),
            all,
        );
        if let Some(overview) = layout.overview {
            let end = layout
                .proactive
                .map(|h| h.start)
                .or(layout.table2_start)
                .unwrap_or(layout.table3_start);
            sections.push(self.section(SectionKind::Overview, overview.end, end));
        }
        if let Some(problems) = problems {
            let end = other.map_or(all, |h| h.start);
            sections.push(self.section(SectionKind::Problems, problems.end, end));
        }
        if let Some(other) = other {
            sections.push(self.section(SectionKind::Other, other.end, all));
        }
        sections
    }

    fn section(&self, kind: SectionKind, from: usize, to: usize) -> Section {
        let start = self.folded.byte_end(from);
        let end = self.folded.byte(to).max(start);
        let body = &self.text[start..end];
        let paragraphs = body
            .lines()
            .map(|l| {
                l.trim()
                    .trim_start_matches(['|', ' ', '#'])
                    .trim_end_matches(['|', ' ', '#'])
                    .to_string()
            })
            .filter(|l| !l.is_empty())
            .collect();
        Section { kind, paragraphs }
    }
}

/// Digits, cell bars and blank marks belong to a table's data; Markdown markup (the `## ` of
/// the next heading) is not a header word either.
fn is_data_or_markup(c: char) -> bool {
    c.is_ascii_digit()
        || c.is_whitespace()
        || matches!(
            c,
            '|' | '.' | '-' | '+' | '—' | '/' | '\\' | '#' | '*' | '>' | '`'
        )
        || matches!(c, cells::UNCERTAIN | cells::CONFIDENCE | cells::END)
}

fn as_counts(candidate: &[&str]) -> Option<[Count; 7]> {
    let mut counts = [None; 7];
    for (slot, text) in counts.iter_mut().zip(candidate) {
        *slot = Some(text.parse().ok()?);
    }
    (candidate.len() == 7).then_some(counts)
}

/// Whether no column identity of table 三 fails for sure.
fn columns_hold(table: &Table3) -> bool {
    use crate::checks::{Partial, Verdict, compare};
    Table3Column::ALL.iter().all(|&column| {
        let c = column.index();
        let cell = |row| Partial::cell(table.cell(row, column));
        let results = Partial::of(
            table
                .rows
                .iter()
                .filter(|(r, _)| r.is_result())
                .map(|(_, cells)| cells[c]),
        );
        let total = cell(Table3Row::Total);
        let intake = cell(Table3Row::NewlyReceived) + cell(Table3Row::CarriedOver);
        let outflow = total + cell(Table3Row::CarriedForward);
        compare(results, total) != Verdict::Fails && compare(intake, outflow) != Verdict::Fails
    })
}

fn shape_of(table_text: &str) -> Shape {
    if table_text.contains('|') {
        let row_lines = table_text
            .lines()
            .filter(|l| l.matches('|').count() >= 3 && l.chars().any(|c| c.is_ascii_digit()))
            .count();
        if row_lines >= 3 {
            Shape::RowPerLine
        } else {
            Shape::CellPerLine
        }
    } else if table_text.contains("\n\n") || table_text.contains("\n \n") {
        Shape::BlankLineCells
    } else if table_text
        .split(|c: char| !c.is_ascii_digit())
        .any(|run| run.len() >= 7)
    {
        Shape::Flattened
    } else {
        Shape::SpaceSeparated
    }
}

#[cfg(test)]
mod tests;
