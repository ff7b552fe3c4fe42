//! Identity 5: the figures that section 一 states (applications received, handled, carried
//! over, each kind of result, reconsiderations, lawsuits) must agree with the tables.
//!
//! Only figures in a recognisable phrase are taken (`共收到政府信息公开申请8件`,
//! `予以公开及部分公开42件`, `行政复议案件2件`); a figure said of the previous year
//! (`与上一年受理…9件相比`) is checked against last year's report instead.

use gongkai_law::{ApplicantKind, OutcomeGroup};

use crate::{
    checks::{Partial, Verdict, compare, group_sum, row_total},
    findings::{Code, Finding},
    model::{Format, Report, SectionKind, Table2Item, Table3Column, Table3Row, Table4Group},
    text::normalize,
};

/// What a stated figure is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// 本年新收 (一, 总计)
    Received,
    /// 上年结转 (二)
    CarriedOver,
    /// 办结/答复 (（七）总计)
    Handled,
    /// 结转下年度 (四)
    CarriedForward,
    /// One group of results.
    Group(OutcomeGroup),
    /// 予以公开及部分公开
    DisclosedOrPartly,
    /// New applications from one kind of applicant.
    Applicant(ApplicantKind),
    /// 行政复议 (table 四)
    Reconsideration,
    /// 行政诉讼 (table 四, both groups)
    Litigation,
    /// Applications received the previous year.
    PreviousReceived,
}

impl Subject {
    fn label(self) -> String {
        match self {
            Self::Received => "本年新收申请".into(),
            Self::CarriedOver => "上年结转申请".into(),
            Self::Handled => "办结（答复）申请".into(),
            Self::CarriedForward => "结转下年度申请".into(),
            Self::Group(group) => group.label().chars().take_while(|&c| c != '（').collect(),
            Self::DisclosedOrPartly => "予以公开及部分公开".into(),
            Self::Applicant(kind) => format!("{}申请", kind.label()),
            Self::Reconsideration => "行政复议".into(),
            Self::Litigation => "行政诉讼".into(),
            Self::PreviousReceived => "上一年收到申请".into(),
        }
    }
}

/// A figure stated in the text, with the words it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub subject: Subject,
    pub value: u64,
    pub excerpt: String,
}

/// Reads the figures section 一 states.
pub fn claims(text: &str) -> Vec<Claim> {
    claims_in_normalized(&normalize(text))
}

/// [`claims`] for text the reader already normalized.
fn claims_in_normalized(text: &str) -> Vec<Claim> {
    // The reader's text is normalized: its spaces are ASCII (U+3000, U+00A0, U+2002–U+200B
    // became ' '), so the pieces between them are cut by bytes.
    let mut joined = String::with_capacity(text.len());
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b.is_ascii_whitespace() {
            joined.push_str(&text[start..i]);
            start = i + 1;
        }
    }
    joined.push_str(&text[start..]);
    let text = joined;
    let mut claims = Vec::new();
    for clause in text.split(['。', ';', '；', '\n']) {
        read_clause(clause, &mut claims);
    }
    claims
}

/// Verbs after which a count of applications follows.
const RECEIVED: [&str; 6] = ["收到", "受理", "接收", "接到", "收取", "共收"];
const HANDLED: [&str; 3] = ["办结", "答复", "办理完成"];
const GROUPS: [(&str, Option<OutcomeGroup>); 7] = [
    ("予以公开及部分公开", None),
    ("予以公开", Some(OutcomeGroup::Disclosed)),
    ("部分公开", Some(OutcomeGroup::PartlyDisclosed)),
    ("不予公开", Some(OutcomeGroup::Withheld)),
    ("无法提供", Some(OutcomeGroup::CannotProvide)),
    ("不予处理", Some(OutcomeGroup::NotHandled)),
    ("其他处理", Some(OutcomeGroup::OtherHandling)),
];
const UNITS: [char; 5] = ['件', '个', '条', '宗', '起'];
const PREVIOUS: [&str; 4] = ["上一年", "上年", "去年", "上一年度"];

fn read_clause(clause: &str, claims: &mut Vec<Claim>) {
    // Most clauses state no count at all: a count is always followed by its unit (8件), and a
    // negation states a zero (未发生…行政复议).
    if !states_a_count(clause) && !clause.contains(['未', '无']) && !clause.contains("没有") {
        return;
    }
    let mut add = |subject, value| {
        if !claims
            .iter()
            .any(|c: &Claim| c.subject == subject && c.value == value)
        {
            let excerpt = around_figure(clause, value);
            claims.push(Claim {
                subject,
                value,
                excerpt,
            });
        }
    };
    let previous_year = |at: usize| {
        PREVIOUS
            .iter()
            .any(|p| last_chars(clause, at, 8).contains(p))
    };
    for verb in RECEIVED {
        for (at, _) in occurrences(clause, verb) {
            if let Some((value, gap)) = number_after(clause, at + verb.len(), 30)
                && gap.contains("申请")
                && !gap.contains("结转")
            {
                add(
                    if previous_year(at) {
                        Subject::PreviousReceived
                    } else {
                        Subject::Received
                    },
                    value,
                );
            }
        }
    }
    for verb in HANDLED {
        for (at, _) in occurrences(clause, verb) {
            if let Some((value, gap)) = number_after(clause, at + verb.len(), 20)
                && gap.contains("申请")
                && !gap.contains("结转")
                && !previous_year(at)
            {
                add(Subject::Handled, value);
            }
        }
    }
    for (phrase, group) in GROUPS {
        for (at, _) in occurrences(clause, phrase) {
            let after = at + phrase.len();
            // `予以公开` inside `予以公开及部分公开`, `部分公开` after `及`: the combined phrase.
            if group.is_some()
                && (clause[after..].starts_with("及部分公开") || clause[..at].ends_with('及'))
            {
                continue;
            }
            if let Some((value, _)) = number_after(clause, after, 3) {
                add(
                    group.map_or(Subject::DisclosedOrPartly, Subject::Group),
                    value,
                );
            }
        }
    }
    for kind in ApplicantKind::ALL
        .into_iter()
        .filter(|k| *k != ApplicantKind::OtherOrganisation)
    {
        for (at, _) in occurrences(clause, kind.label()) {
            if let Some((value, _)) = number_after(clause, at + kind.label().len(), 3) {
                add(Subject::Applicant(kind), value);
            }
        }
    }
    for (at, word) in occurrences(clause, "结转") {
        let after = at + word.len();
        if previous_year(at) || clause[..at].ends_with("上年度") {
            if let Some((value, _)) = number_after(clause, after, 6) {
                add(Subject::CarriedOver, value);
            }
            continue;
        }
        let rest = first_chars(&clause[at..], 16);
        if !(rest.contains("下年")
            || rest.contains("下一年")
            || rest.contains("继续办理")
            || rest.contains("年度"))
        {
            continue;
        }
        if clause[..at].ends_with('无') || clause[..at].ends_with("没有") {
            add(Subject::CarriedForward, 0);
        } else if let Some((value, _)) = number_after(clause, after, 16) {
            add(Subject::CarriedForward, value);
        }
    }
    for phrase in ["顺延到下年度", "顺延至下年度"] {
        for (at, _) in occurrences(clause, phrase) {
            if let Some(value) = number_before(clause, at, 16) {
                add(Subject::CarriedForward, value);
            }
        }
    }
    for (phrase, subject) in [
        ("行政复议", Subject::Reconsideration),
        ("诉讼", Subject::Litigation),
    ] {
        for (at, _) in occurrences(clause, phrase) {
            // Negation anywhere in the same comma-delimited part: 未发生…行政复议、行政诉讼.
            let part = clause[..at].rsplit([',', '，']).next().unwrap_or("");
            if part.contains('未') || part.contains("没有") || part.contains('无') {
                add(subject, 0);
            } else if let Some((value, _)) = number_after(clause, at + phrase.len(), 4) {
                add(subject, value);
            }
        }
    }
}

/// Whether a figure stands right before its unit somewhere in the clause (`8件`, `十二条`).
fn states_a_count(clause: &str) -> bool {
    let numeral = |c: char| {
        c.is_ascii_digit()
            || matches!(
                c,
                '零' | '〇'
                    | '一'
                    | '二'
                    | '两'
                    | '三'
                    | '四'
                    | '五'
                    | '六'
                    | '七'
                    | '八'
                    | '九'
                    | '十'
                    | '百'
                    | '千'
            )
    };
    let mut previous = ' ';
    clause.chars().any(|c| {
        let count = UNITS.contains(&c) && numeral(previous);
        previous = c;
        count
    })
}

/// Where `phrase` occurs in `clause`; cheap when its first character is absent, as it
/// mostly is.
fn occurrences<'c>(
    clause: &'c str,
    phrase: &'c str,
) -> impl Iterator<Item = (usize, &'c str)> + 'c {
    let first = phrase.chars().next().unwrap_or('\0');
    let present = clause.contains(first);
    present
        .then(|| clause.match_indices(phrase))
        .into_iter()
        .flatten()
}

/// The last `n` chars of `text[..at]`.
fn last_chars(text: &str, at: usize, n: usize) -> &str {
    let head = &text[..at];
    let start = head
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    &head[start..]
}

/// The words that state a cell of table 二 in the text, by the column's heading.
fn table2_verbs(heading: &str) -> &'static [&'static str] {
    match heading {
        "本年制发件数" => &["制发", "印发", "出台", "制定"],
        "本年废止件数" => &["废止"],
        "现行有效件数" => &["现行有效"],
        "本年新制作数量" => &["新制作", "制作"],
        "本年新公开数量" => &["新公开"],
        "对外公开总数量" => &["对外公开总", "累计公开"],
        _ => &[],
    }
}

/// What the text states of a row of table 二, per column: `(value, the words)`, where one
/// figure is stated for it (two different figures: none). Only 规章 and 规范性文件 rows, whose
/// sentences name them (“本年制发规范性文件5件，废止2件，现行有效38件”).
pub fn stated_table2(text: &str, item: Table2Item, format: Format) -> Vec<Option<(u64, String)>> {
    let columns = item.columns(format);
    let noun = match item {
        Table2Item::Regulations => "规章",
        Table2Item::NormativeDocuments => "规范性文件",
        _ => return vec![None; columns.len()],
    };
    let other = if noun == "规章" {
        "规范性文件"
    } else {
        "规章"
    };
    let mut found: Vec<Vec<(u64, String)>> = vec![Vec::new(); columns.len()];
    for sentence in text.split(['。', '；', ';', '\n']) {
        let mut about = false;
        for clause in sentence.split([',', '，', '、']) {
            if clause.contains(noun) {
                about = true;
            } else if clause.contains(other) {
                about = false;
            }
            if !about {
                continue;
            }
            for (c, heading) in columns.iter().enumerate() {
                for verb in table2_verbs(heading) {
                    let Some(at) = clause.find(verb) else {
                        continue;
                    };
                    let before = &clause[..at];
                    let value = if before.ends_with('未') || before.ends_with("没有") {
                        Some(0)
                    } else {
                        figure_in_pieces(&clause[at..])
                    };
                    if let Some(value) = value {
                        found[c].push((value, first_chars(clause, 60).to_string()));
                    }
                    break;
                }
            }
        }
    }
    found
        .into_iter()
        .map(|stated| match stated.as_slice() {
            [first, rest @ ..] if rest.iter().all(|(v, _)| *v == first.0) => Some(first.clone()),
            _ => None,
        })
        .collect()
}

/// The first run of digits followed by 件 (or 个, 部) in `text`.
fn figure_in_pieces(text: &str) -> Option<u64> {
    let mut digits = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        if !digits.is_empty() {
            if matches!(c, '件' | '个' | '部') {
                return digits.parse().ok();
            }
            digits.clear();
        }
    }
    None
}

/// The words around where a clause states `value` (its first standalone run of digits), so a
/// finding quotes what it is about; the clause's start when the figure is in words.
fn around_figure(clause: &str, value: u64) -> String {
    let digits = value.to_string();
    let at = clause
        .match_indices(digits.as_str())
        .map(|(at, _)| at)
        .find(|&at| {
            let before = clause[..at].chars().next_back();
            let after = clause[at + digits.len()..].chars().next();
            !before.is_some_and(|c| c.is_ascii_digit())
                && !after.is_some_and(|c| c.is_ascii_digit())
        });
    match at {
        Some(at) => format!(
            "{}{}",
            last_chars(clause, at, 30),
            first_chars(&clause[at..], 40)
        ),
        None => first_chars(clause, 80).to_string(),
    }
}

/// The first `n` chars of `text`.
fn first_chars(text: &str, n: usize) -> &str {
    let end = text.char_indices().nth(n).map_or(text.len(), |(i, _)| i);
    &text[..end]
}

/// The first count (digits or Chinese numerals) after byte `from` within `max_gap` chars,
/// followed by a unit (件, 个 …), before a comma. Returns it with the words skipped.
fn number_after(clause: &str, from: usize, max_gap: usize) -> Option<(u64, &str)> {
    let rest = &clause[from..];
    for (skipped, (i, c)) in rest.char_indices().enumerate() {
        if skipped > max_gap {
            return None;
        }
        if let Some((value, len)) = count_at(&rest[i..]) {
            let unit = rest[i + len..].chars().next();
            return unit
                .is_some_and(|u| UNITS.contains(&u))
                .then_some((value, &rest[..i]));
        }
        if matches!(c, ',' | '，' | ':' | '(' | '%') && i > 0 {
            return None;
        }
    }
    None
}

/// A count ending with a unit just before byte `at`, within `max_gap` chars (`72件申请…顺延`).
fn number_before(clause: &str, at: usize, max_gap: usize) -> Option<u64> {
    let window = last_chars(clause, at, max_gap);
    let offset = at - window.len();
    window.char_indices().find_map(|(i, _)| {
        let position = offset + i;
        if clause[..position].ends_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        let (value, len) = count_at(&clause[position..])?;
        let unit = clause[position + len..].chars().next()?;
        UNITS.contains(&unit).then_some(value)
    })
}

/// Digits or Chinese numerals at the start of `text`: the value and their length in bytes.
fn count_at(text: &str) -> Option<(u64, usize)> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 {
        if text[digits..].starts_with('.') {
            return None; // a percentage or decimal, not a count
        }
        return text[..digits].parse().ok().map(|v| (v, digits));
    }
    chinese_number(text)
}

fn chinese_number(text: &str) -> Option<(u64, usize)> {
    let digit = |c: char| {
        Some(match c {
            '零' | '〇' => 0,
            '一' => 1,
            '二' | '两' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            _ => return None,
        })
    };
    let mut total = 0u64;
    let mut current = 0u64;
    let mut len = 0;
    for c in text.chars().take(12) {
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            _ => 0,
        };
        if unit > 0 {
            total += current.max(1) * unit;
            current = 0;
        } else if let Some(d) = digit(c) {
            current = current * 10 + d;
        } else {
            break;
        }
        len += c.len_utf8();
    }
    (len > 0).then_some((total + current, len))
}

/// What the tables say about a subject.
fn table_value(report: &Report, subject: Subject) -> Option<Partial> {
    let t3 = &report.table3;
    let total = |row: Table3Row| t3.row(row).map(row_total);
    let group_total = |group| group_sum(t3, group, Table3Column::Total);
    let group_by_columns = |group| {
        (0..6).fold(Partial::default(), |acc, i| {
            acc + group_sum(t3, group, Table3Column::ALL[i])
        })
    };
    // A group's total, from the 总计 column when it is filled in, else from the columns.
    let group_value = |group| {
        let by_total = group_total(group);
        if by_total.blanks == 0 {
            by_total
        } else {
            group_by_columns(group)
        }
    };
    let t4 = |group: Table4Group| {
        let cells = report.table4.group(group);
        if cells[4].is_some() {
            Partial::cell(cells[4])
        } else {
            Partial::of(cells[..4].iter().copied())
        }
    };
    Some(match subject {
        Subject::Received => total(Table3Row::NewlyReceived)?,
        Subject::CarriedOver => total(Table3Row::CarriedOver)?,
        Subject::Handled => total(Table3Row::Total)?,
        Subject::CarriedForward => total(Table3Row::CarriedForward)?,
        Subject::Group(group) => group_value(group),
        Subject::DisclosedOrPartly => {
            group_value(OutcomeGroup::Disclosed) + group_value(OutcomeGroup::PartlyDisclosed)
        }
        Subject::Applicant(kind) => {
            Partial::cell(t3.cell(Table3Row::NewlyReceived, Table3Column::Applicant(kind)))
        }
        Subject::Reconsideration => t4(Table4Group::Reconsideration),
        Subject::Litigation => {
            t4(Table4Group::DirectLitigation) + t4(Table4Group::LitigationAfterReconsideration)
        }
        Subject::PreviousReceived => return None,
    })
}

/// Another figure of the tables that a stated number equals, read the way reports often
/// mean it: "收到申请75件" counting 上年结转 with 本年新收, "办结" meaning all received, and
/// so on. Only figures the tables give in full are taken.
fn other_reading(report: &Report, subject: Subject, value: u64) -> Option<&'static str> {
    let figure = |s: Subject| table_value(report, s).and_then(|p| p.exact());
    let received = figure(Subject::Received);
    let carried = figure(Subject::CarriedOver);
    let handled = figure(Subject::Handled);
    let forward = figure(Subject::CarriedForward);
    let sum = |a: Option<u128>, b: Option<u128>| Some(a? + b?);
    let readings: Vec<(&'static str, Option<u128>)> = match subject {
        Subject::Received => vec![
            (
                "本年新收与上年结转之和（表三 一＋二）",
                sum(received, carried),
            ),
            ("本年办结总数（表三 （七）总计）", handled),
        ],
        Subject::Handled => vec![
            ("本年新收申请数（表三 一）", received),
            (
                "本年新收与上年结转之和（表三 一＋二）",
                sum(received, carried),
            ),
            (
                "办结与结转下年度之和（表三 （七）＋四）",
                sum(handled, forward),
            ),
        ],
        Subject::CarriedOver => vec![("结转下年度申请数（表三 四）", forward)],
        Subject::CarriedForward => vec![("上年结转申请数（表三 二）", carried)],
        Subject::DisclosedOrPartly => vec![(
            "予以公开一项（表三 （一））",
            figure(Subject::Group(OutcomeGroup::Disclosed)),
        )],
        _ => Vec::new(),
    };
    readings
        .into_iter()
        .find(|(_, figure)| *figure == Some(u128::from(value)))
        .map(|(name, _)| name)
}

pub fn check(report: &Report, previous: Option<&Report>, findings: &mut Vec<Finding>) {
    let Some(overview) = report.section(SectionKind::Overview) else {
        return;
    };
    let text = overview.paragraphs.join("\n");
    for claim in claims_in_normalized(&text) {
        if claim.subject == Subject::PreviousReceived {
            if let Some(previous) = previous
                && let Some(last) = previous.table3.row(Table3Row::NewlyReceived).map(row_total)
            {
                let stated = Partial {
                    known: u128::from(claim.value),
                    blanks: 0,
                };
                if compare(stated, last) == Verdict::Fails {
                    findings.push(Finding::error(
                        Code::CrossYear,
                        "正文 一、总体情况",
                        format!(
                            "正文称上一年收到申请{}件（“{}”），上年报告表三为{}",
                            claim.value, claim.excerpt, last.known
                        ),
                    ));
                }
            }
            continue;
        }
        let Some(table) = table_value(report, claim.subject) else {
            continue;
        };
        let stated = Partial {
            known: u128::from(claim.value),
            blanks: 0,
        };
        let message = format!(
            "正文称{}{}件（“{}”），表中为{}",
            claim.subject.label(),
            claim.value,
            claim.excerpt,
            table.known
        );
        match compare(stated, table) {
            Verdict::Holds => {}
            Verdict::Fails => match other_reading(report, claim.subject, claim.value) {
                // The text counts something else the tables also hold: two readings, a warning.
                Some(other) => findings.push(Finding::warning(
                    Code::ProseOtherFigure,
                    "正文 一、总体情况",
                    format!(
                        "{message}；但{}恰为“{other}”的数字：正文可能指的是{other}，请核实措辞",
                        claim.value
                    ),
                )),
                None => findings.push(Finding::error(
                    Code::ProseMismatch,
                    "正文 一、总体情况",
                    message,
                )),
            },
            Verdict::Unverifiable => findings.push(Finding::warning(
                Code::ProseMismatch,
                "正文 一、总体情况",
                format!("{message}（另有空白单元格，无法核对）"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_states_cells_of_table_2_by_their_words() {
        let stated = |text: &str, item| -> Vec<Option<u64>> {
            stated_table2(text, item, Format::Current2021)
                .into_iter()
                .map(|s| s.map(|(v, _)| v))
                .collect()
        };
        let text = "本年制发行政规范性文件5件，废止2件，现行有效38件；本年未制发规章。";
        assert_eq!(
            stated(text, Table2Item::NormativeDocuments),
            vec![Some(5), Some(2), Some(38)]
        );
        assert_eq!(
            stated(text, Table2Item::Regulations),
            vec![Some(0), None, None]
        );
        // Two figures for one cell: neither is taken.
        let twice = "制发规范性文件5件。另印发规范性文件7件。";
        assert_eq!(
            stated(twice, Table2Item::NormativeDocuments),
            vec![None, None, None]
        );
        assert_eq!(
            stated(text, Table2Item::Licensing),
            vec![None],
            "only the rows the text names"
        );
    }

    fn read(text: &str) -> Vec<(Subject, u64)> {
        claims(text)
            .into_iter()
            .map(|c| (c.subject, c.value))
            .collect()
    }

    #[test]
    fn a_figure_that_is_another_of_the_tables_is_a_warning_naming_both() {
        use gongkai_law::ApplicantKind;
        // 8 new and 1 carried over; the text says 9 were received (counting the carry-over).
        let mut report = crate::read(include_str!("../testdata/2023-hedong-taiping.txt")).report;
        let carried = report.table3.row_mut(Table3Row::CarriedOver).unwrap();
        carried[Table3Column::Applicant(ApplicantKind::ALL[0]).index()] = Some(1);
        carried[Table3Column::Total.index()] = Some(1);
        let overview = report
            .sections
            .iter_mut()
            .find(|s| s.kind == SectionKind::Overview)
            .unwrap();
        overview.paragraphs = vec!["本年度共收到政府信息公开申请9件。".into()];
        let mut findings = Vec::new();
        check(&report, None, &mut findings);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].code, Code::ProseOtherFigure);
        assert_eq!(findings[0].severity, crate::Severity::Warning);
        assert!(
            findings[0].message.contains("表中为8") && findings[0].message.contains("一＋二"),
            "{}",
            findings[0].message
        );
        // A number that is no figure of the tables stays an error.
        let overview = report
            .sections
            .iter_mut()
            .find(|s| s.kind == SectionKind::Overview)
            .unwrap();
        overview.paragraphs = vec!["本年度共收到政府信息公开申请11件。".into()];
        let mut findings = Vec::new();
        check(&report, None, &mut findings);
        assert_eq!(findings[0].code, Code::ProseMismatch);
        assert_eq!(findings[0].severity, crate::Severity::Error);
    }

    #[test]
    fn seed_sentences() {
        let got = read(
            "2023年1月1日至12月31日,太平街道共收到依申请公开政府信息8件,全部按规定时限、格式规范答复申请人,无结转到2024年度继续办理的政府信息公开申请,与上一年受理政府信息公开申请9件次数量相比,减少1件。",
        );
        assert!(got.contains(&(Subject::Received, 8)), "{got:?}");
        assert!(got.contains(&(Subject::CarriedForward, 0)), "{got:?}");
        assert!(got.contains(&(Subject::PreviousReceived, 9)), "{got:?}");
        assert!(!got.contains(&(Subject::Received, 9)));
    }

    #[test]
    fn pingtan_and_shanghai_sentences() {
        let got = read(
            "2023年全区接收通过邮寄、网络提交的各类政府信息公开申请共计81件，涉及自然人80件、商业企业1件。办结依申请公开81件，其中：予以公开及部分公开42件，占51.85%；不予公开5件，占6.17%；无法提供31件；不予处理1件；其他处理2件；因政府信息公开引起的行政复议案件2件、行政诉讼案件7件。",
        );
        for expected in [
            (Subject::Received, 81),
            (Subject::Applicant(ApplicantKind::NaturalPerson), 80),
            (Subject::Applicant(ApplicantKind::Business), 1),
            (Subject::Handled, 81),
            (Subject::DisclosedOrPartly, 42),
            (Subject::Group(OutcomeGroup::Withheld), 5),
            (Subject::Group(OutcomeGroup::CannotProvide), 31),
            (Subject::Group(OutcomeGroup::NotHandled), 1),
            (Subject::Group(OutcomeGroup::OtherHandling), 2),
            (Subject::Reconsideration, 2),
            (Subject::Litigation, 7),
        ] {
            assert!(got.contains(&expected), "{expected:?} not in {got:?}");
        }
        assert!(
            !got.iter()
                .any(|(s, _)| *s == Subject::Group(OutcomeGroup::Disclosed))
        );

        let got = read(
            "市政府办公厅代表市政府共受理政府信息公开申请859件；答复政府信息公开申请805件（含上年度结转申请18件，另有72件申请按照《条例》顺延到下年度答复）。信息公开类行政复议7件，诉讼9件。",
        );
        for expected in [
            (Subject::Received, 859),
            (Subject::Handled, 805),
            (Subject::CarriedOver, 18),
            (Subject::CarriedForward, 72),
            (Subject::Reconsideration, 7),
            (Subject::Litigation, 9),
        ] {
            assert!(got.contains(&expected), "{expected:?} not in {got:?}");
        }
    }

    #[test]
    fn chinese_numerals_and_negations() {
        let got = read(
            "全年共收到政府信息公开申请十二件。未发生因政府信息公开引起的行政复议、行政诉讼。",
        );
        assert!(got.contains(&(Subject::Received, 12)), "{got:?}");
        assert!(got.contains(&(Subject::Reconsideration, 0)), "{got:?}");
        assert!(got.contains(&(Subject::Litigation, 0)), "{got:?}");
        assert_eq!(chinese_number("二百零五件"), Some((205, 12)));
    }
}
