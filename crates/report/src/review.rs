//! 核查 — findings people work through. Every finding gets a stable fingerprint from its rule,
//! its document, its place and the figures it names; a reviewer confirms it (确认) or
//! dismisses it with a reason (驳回), and the next run over the same reports keeps those
//! decisions and shows only what is new, or what changed at a place already decided.

use std::collections::{HashMap, HashSet};

use crate::findings::Finding;

/// Where a finding stands against the decisions already taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verdict {
    /// 确认 — the finding is a real problem of the report.
    Confirmed,
    /// 驳回 — not a problem (with the reviewer's reason).
    Dismissed,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Self::Confirmed => "确认",
            Self::Dismissed => "驳回",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::Dismissed => "dismissed",
        }
    }

    /// The words reviewers write in a decisions file.
    pub fn parse(word: &str) -> Option<Self> {
        match word.trim().to_ascii_lowercase().as_str() {
            "确认" | "属实" | "confirm" | "confirmed" => Some(Self::Confirmed),
            "驳回" | "不属实" | "误报" | "忽略" | "dismiss" | "dismissed" => {
                Some(Self::Dismissed)
            }
            _ => None,
        }
    }
}

/// A finding's identity across runs: `place` stays while the figures change; `full` changes
/// with them. 16 hex digits each (FNV-1a, stable across builds and machines).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint {
    pub place: String,
    pub full: String,
}

/// `document` names the report the same way every run: agency and year where the report
/// says them, else its file.
pub fn fingerprint(document: &str, finding: &Finding) -> Fingerprint {
    let mut place = Fnv::new();
    place.write(finding.code.as_str());
    place.write(document.trim());
    place.write(finding.location.trim());
    let mut full = place;
    full.write(&figures(&finding.message));
    Fingerprint {
        place: place.hex(),
        full: full.hex(),
    }
}

/// The figures a message names, in order: what changes when the report's numbers change,
/// and nothing else (a reworded message keeps its fingerprint).
fn figures(message: &str) -> String {
    let mut out = String::new();
    let mut in_number = false;
    for c in message.chars() {
        if c.is_ascii_digit() {
            out.push(c);
            in_number = true;
        } else if in_number {
            out.push(',');
            in_number = false;
        }
    }
    out
}

#[derive(Debug, Clone, Copy)]
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, part: &str) {
        for byte in part.bytes().chain([0x1f]) {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn hex(self) -> String {
        format!("{:016x}", self.0)
    }
}

/// One reviewer's decision on one finding.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Decision {
    pub fingerprint: String,
    pub place: String,
    pub verdict: Verdict,
    pub reason: String,
    pub reviewer: String,
    /// YYYY-MM-DD, as the reviewer or the server wrote it.
    pub date: String,
}

impl serde::Serialize for Verdict {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> serde::Deserialize<'de> for Verdict {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let word = String::deserialize(d)?;
        Verdict::parse(&word).ok_or_else(|| serde::de::Error::custom(format!("结论“{word}”")))
    }
}

impl Decision {
    /// A decision as a reviewer gives it: a dismissal must say why.
    pub fn new(
        print: &Fingerprint,
        verdict: Verdict,
        reason: &str,
        reviewer: &str,
        date: &str,
    ) -> Result<Self, String> {
        let reason = reason.trim();
        if verdict == Verdict::Dismissed && reason.is_empty() {
            return Err("驳回一项发现须写明理由（例如“该机关本级另有工作，不是下级之和”）".into());
        }
        if reason.chars().count() > MAX_REASON_CHARS {
            return Err(format!("理由不超过{MAX_REASON_CHARS}字"));
        }
        Ok(Self {
            fingerprint: print.full.clone(),
            place: print.place.clone(),
            verdict,
            reason: reason.to_string(),
            reviewer: reviewer.trim().to_string(),
            date: date.trim().to_string(),
        })
    }
}

const MAX_REASON_CHARS: usize = 500;
/// A decisions file holds at most this many rows (a province's findings for some years).
pub const MAX_DECISIONS: usize = 200_000;

/// Where one finding stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// Never decided.
    New,
    /// Decided at this place before, with other figures: to be looked at again.
    Changed(Decision),
    /// Decided as it is.
    Decided(Decision),
}

impl Standing {
    pub fn label(&self) -> String {
        match self {
            Self::New => "新发现".into(),
            Self::Changed(_) => "有变化（此处曾处理，数字已不同）".into(),
            Self::Decided(d) => format!("已{}", d.verdict.label()),
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Changed(_) => "changed",
            Self::Decided(d) => d.verdict.code(),
        }
    }

    /// Whether a reviewer still has to look at it.
    pub fn open(&self) -> bool {
        !matches!(self, Self::Decided(_))
    }
}

/// The decisions taken so far, by fingerprint and by place; a later one replaces an earlier.
#[derive(Debug, Clone, Default)]
pub struct Decisions {
    by_print: HashMap<String, Decision>,
    by_place: HashMap<String, String>,
}

impl Decisions {
    pub fn insert(&mut self, decision: Decision) {
        self.by_place
            .insert(decision.place.clone(), decision.fingerprint.clone());
        self.by_print.insert(decision.fingerprint.clone(), decision);
    }

    pub fn len(&self) -> usize {
        self.by_print.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_print.is_empty()
    }

    pub fn standing(&self, print: &Fingerprint) -> Standing {
        if let Some(decision) = self.by_print.get(&print.full) {
            return Standing::Decided(decision.clone());
        }
        match self
            .by_place
            .get(&print.place)
            .and_then(|p| self.by_print.get(p))
        {
            Some(earlier) => Standing::Changed(earlier.clone()),
            None => Standing::New,
        }
    }

    /// Decisions whose finding no run shows any more (the report was corrected), sorted.
    pub fn gone(&self, seen: &HashSet<String>) -> Vec<&Decision> {
        let mut gone: Vec<&Decision> = self
            .by_print
            .values()
            .filter(|d| !seen.contains(&d.fingerprint))
            .collect();
        gone.sort_by(|a, b| a.fingerprint.cmp(&b.fingerprint));
        gone
    }

    /// Reads a decisions file: a CSV with a header naming at least `fingerprint` and
    /// `decision` (the findings file `report lint --out` writes, with its 结论 column filled
    /// in, is one). Rows whose decision is empty are not decisions yet and are skipped.
    pub fn from_csv(text: &str) -> Result<Self, String> {
        let rows = parse_csv(text)?;
        let Some((header, rows)) = rows.split_first() else {
            return Ok(Self::default());
        };
        let column = |names: &[&str]| {
            header
                .iter()
                .position(|h| names.contains(&h.trim().trim_start_matches('\u{feff}')))
        };
        let print = column(&["fingerprint", "指纹"]).ok_or(
            "决定文件的首行须有 fingerprint（指纹）列：请用 report lint --out 写出的文件填写",
        )?;
        let verdict = column(&["decision", "结论"])
            .ok_or("决定文件的首行须有 decision（结论）列：请填写“确认”或“驳回”")?;
        let place = column(&["place", "位置指纹"]);
        let reason = column(&["reason", "理由"]);
        let reviewer = column(&["reviewer", "核查人"]);
        let date = column(&["date", "日期"]);
        if rows.len() > MAX_DECISIONS {
            return Err(format!(
                "决定文件有{}行，超过上限{MAX_DECISIONS}行",
                rows.len()
            ));
        }
        let mut decisions = Self::default();
        for (i, row) in rows.iter().enumerate() {
            let line = i + 2;
            let cell = |c: Option<usize>| c.and_then(|c| row.get(c)).map_or("", |s| s.trim());
            let word = cell(Some(verdict));
            if word.is_empty() {
                continue;
            }
            let Some(v) = Verdict::parse(word) else {
                return Err(format!(
                    "第{line}行：结论“{word}”无法识别，请填写“确认”或“驳回”（或留空）"
                ));
            };
            let full = cell(Some(print));
            if full.len() != 16 || !full.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(format!(
                    "第{line}行：指纹“{full}”不是 report lint 写出的16位指纹"
                ));
            }
            let at = Fingerprint {
                full: full.to_ascii_lowercase(),
                place: cell(place).to_ascii_lowercase(),
            };
            let decision = Decision::new(&at, v, cell(reason), cell(reviewer), cell(date))
                .map_err(|e| format!("第{line}行：{e}"))?;
            decisions.insert(decision);
        }
        Ok(decisions)
    }
}

/// Fields of a CSV (RFC 4180: quotes, doubled quotes, CRLF or LF, a BOM before all).
pub fn parse_csv(text: &str) -> Result<Vec<Vec<String>>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
                line += 1;
            }
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err(format!("第{line}行：引号未闭合"));
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows.retain(|r| !(r.len() == 1 && r[0].trim().is_empty()));
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::{Code, Finding};

    fn sum_finding(total: u32) -> Finding {
        Finding::error(
            Code::RowTotal,
            "表三 一、本年新收政府信息公开申请数量",
            format!("各类申请人之和为{total}，总计为8"),
        )
    }

    #[test]
    fn a_fingerprint_follows_the_figures_and_keeps_the_place() {
        let a = fingerprint("某街道办事处 2023", &sum_finding(7));
        assert_eq!(a, fingerprint(" 某街道办事处 2023 ", &sum_finding(7)));
        let b = fingerprint("某街道办事处 2023", &sum_finding(9));
        assert_eq!(a.place, b.place);
        assert_ne!(a.full, b.full);
        let other = fingerprint("某街道办事处 2022", &sum_finding(7));
        assert_ne!(a.place, other.place);
        // Reworded, same figures: the same finding.
        let mut reworded = sum_finding(7);
        reworded.message = "申请人合计7，而总计8".into();
        assert_eq!(a, fingerprint("某街道办事处 2023", &reworded));
        // The value is fixed across builds: decisions files outlive the program.
        assert_eq!(a.full.len(), 16);
        assert_eq!(
            fingerprint("d", &Finding::warning(Code::Duplicate, "报告", "x1")).full,
            "033a6cfc4167bccb"
        );
    }

    #[test]
    fn decisions_are_kept_and_a_changed_figure_is_shown_again() {
        let seven = fingerprint("doc", &sum_finding(7));
        let nine = fingerprint("doc", &sum_finding(9));
        let mut decisions = Decisions::default();
        assert_eq!(decisions.standing(&seven), Standing::New);
        decisions.insert(
            Decision::new(
                &seven,
                Verdict::Dismissed,
                "表格印错一位",
                "王",
                "2026-12-01",
            )
            .unwrap(),
        );
        assert!(
            matches!(decisions.standing(&seven), Standing::Decided(d) if d.reason == "表格印错一位")
        );
        assert!(!decisions.standing(&seven).open());
        let changed = decisions.standing(&nine);
        assert!(matches!(&changed, Standing::Changed(d) if d.verdict == Verdict::Dismissed));
        assert!(changed.open());
        let seen: HashSet<String> = [nine.full.clone()].into();
        assert_eq!(decisions.gone(&seen).len(), 1);
        assert!(
            Decision::new(&seven, Verdict::Dismissed, "  ", "王", "2026-12-01")
                .unwrap_err()
                .contains("理由")
        );
    }

    #[test]
    fn a_decisions_file_is_the_findings_file_filled_in() {
        let seven = fingerprint("doc", &sum_finding(7));
        let csv = format!(
            "\u{feff}file,code,message,fingerprint,place,decision,reason\r\n\
             a.pdf,T3_ROW_TOTAL,\"各类申请人之和为7，\"\"总计\"\"为8\",{},{},驳回,\"印错，\n已更正\"\r\n\
             b.pdf,T3_ROW_TOTAL,x,0000000000000001,,,\r\n",
            seven.full, seven.place
        );
        let decisions = Decisions::from_csv(&csv).unwrap();
        assert_eq!(decisions.len(), 1);
        assert!(
            matches!(decisions.standing(&seven), Standing::Decided(d) if d.reason == "印错，\n已更正")
        );
        for (bad, says) in [
            (
                "fingerprint,decision\n0123456789abcdef,也许\n",
                "第2行：结论“也许”",
            ),
            ("fingerprint,decision\nxyz,确认\n", "第2行：指纹“xyz”"),
            (
                "fingerprint,decision\n0123456789abcdef,驳回\n",
                "第2行：驳回一项发现须写明理由",
            ),
            ("file,decision\na,确认\n", "fingerprint"),
            ("fingerprint,decision\n\"0123,确认\n", "引号未闭合"),
        ] {
            let error = Decisions::from_csv(bad).unwrap_err();
            assert!(error.contains(says), "{bad}: {error}");
        }
        assert_eq!(Decisions::from_csv("").unwrap().len(), 0);
    }

    #[test]
    fn a_decisions_file_and_its_reasons_are_bounded() {
        let seven = fingerprint("doc", &sum_finding(7));
        let long = "很".repeat(MAX_REASON_CHARS + 1);
        assert!(
            Decision::new(&seven, Verdict::Dismissed, &long, "王", "2026-12-01")
                .unwrap_err()
                .contains("不超过500字")
        );
        let mut csv = String::from("fingerprint,decision\n");
        for _ in 0..=MAX_DECISIONS {
            csv.push_str(",\n");
        }
        let error = Decisions::from_csv(&csv).unwrap_err();
        assert!(error.contains("超过上限200000行"), "{error}");
    }
}
