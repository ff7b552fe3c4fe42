//! Sections 一, 五 and 六 drafted from the year's facts in the structure of 国办公开办函〔2021〕30号,
//! every figure taken from the tables or the records. Sentences are worded so that the report
//! engine's prose check (identity 5) reads the same figures back.

use std::collections::BTreeMap;

use gongkai_law::{ApplicantKind, OutcomeGroup};
use gongkai_report::{
    checks::group_sum,
    model::{Report, SectionKind, Table3Column, Table3Row, Table4Group},
};

use super::YearFacts;

const TOTAL: Table3Column = Table3Column::Total;

pub fn preamble(facts: &YearFacts) -> Vec<String> {
    let mut contact = Vec::new();
    if !facts.phone.is_empty() {
        contact.push(format!("电话：{}", facts.phone));
    }
    if !facts.email.is_empty() {
        contact.push(format!("电子邮箱：{}", facts.email));
    }
    let mut text = format!(
        "根据《中华人民共和国政府信息公开条例》（国务院令第711号，以下简称《条例》）第四十九条、第五十条和《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号），编制本报告。报告包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六个部分。本报告所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。",
        y = facts.year
    );
    if !contact.is_empty() {
        text.push_str(&format!(
            "如对本报告有疑问，请与{}联系（{}）。",
            facts.agency_name,
            contact.join("；")
        ));
    }
    vec![text]
}

/// The drafted paragraphs of the narrative sections.
pub fn draft(facts: &YearFacts, report: &Report) -> BTreeMap<SectionKind, Vec<String>> {
    let mut sections = BTreeMap::new();
    sections.insert(SectionKind::Overview, overview(facts, report));
    sections.insert(SectionKind::Problems, problems(facts, report));
    sections.insert(SectionKind::Other, other(facts));
    sections
}

/// 公众参与: each channel's messages, replies, late replies and those that became
/// applications. Counted in 份 and 回复, never "收到…件" or "答复…件": the prose check reads
/// those as figures of table 三.
fn participation_sentence(facts: &YearFacts) -> Option<String> {
    if facts.participation.is_empty() {
        return None;
    }
    let parts: Vec<String> = facts
        .participation
        .iter()
        .map(|(channel, c)| {
            let mut part = format!("{}{}份，已回复{}份", channel.label(), c.received, c.replied);
            if c.replied_late > 0 {
                part.push_str(&format!(
                    "（其中{}份晚于本机关规定的回复期限）",
                    c.replied_late
                ));
            }
            if c.became_applications > 0 {
                part.push_str(&format!(
                    "，{}份转为政府信息公开申请办理",
                    c.became_applications
                ));
            }
            part
        })
        .collect();
    Some(format!(
        "{}年，本机关通过公众参与渠道回应社会关切：{}。",
        facts.year,
        parts.join("；")
    ))
}

/// 政策解读: how many went out and in what forms, and how the year's policy documents stand
/// with theirs (no sentence when the year had neither).
fn interpretations_sentence(facts: &YearFacts) -> Option<String> {
    let i = &facts.interpretations;
    if i.published == 0 && i.documents == 0 {
        return None;
    }
    let y = facts.year;
    let mut text = format!("{y}年，本机关发布政策解读{}篇", i.published);
    if i.by_form.len() > 1 {
        let forms: Vec<String> = i
            .by_form
            .iter()
            .map(|(form, n)| format!("{}{n}篇", form.short()))
            .collect();
        text.push_str(&format!("（其中{}）", forms.join("、")));
    } else if let Some((form, _)) = i.by_form.first() {
        text.push_str(&format!("，均为{}", form.short()));
    }
    if i.documents > 0 {
        text.push_str(&format!(
            "；本年公开的政策文件{}件中，{}件在公开后{}个工作日内发布了解读",
            i.documents, i.on_time, facts.interpretation_days
        ));
        if i.late > 0 {
            text.push_str(&format!("，{}件的解读晚于这一期限", i.late));
        }
        if i.missing > 0 {
            text.push_str(&format!("，{}件尚未解读", i.missing));
        }
    }
    text.push('。');
    Some(text)
}

fn cell(report: &Report, row: Table3Row) -> u64 {
    report.table3.cell(row, TOTAL).unwrap_or(0)
}

fn overview(facts: &YearFacts, report: &Report) -> Vec<String> {
    let y = facts.year;
    let mut out = vec!["（一）主动公开".to_string()];
    out.push(if facts.published == 0 {
        format!("{y}年，本机关未主动公开政府信息。")
    } else {
        let mut text = format!(
            "{y}年，本机关主动公开政府信息{}条，其中在政府网站公开{}条",
            facts.published, facts.website
        );
        if !facts.other_channels.is_empty() {
            let list: Vec<String> = facts
                .other_channels
                .iter()
                .map(|(c, n)| format!("{c}{n}条"))
                .collect();
            text.push_str(&format!("，同时通过{}发布", list.join("、")));
        }
        text.push('。');
        text.push_str(&if facts.late_publications == 0 {
            "均在信息形成或者变更之日起20个工作日内公开（《条例》第二十六条）。".to_string()
        } else {
            format!(
                "其中{}条超过《条例》第二十六条规定的20个工作日公开期限。",
                facts.late_publications
            )
        });
        text
    });
    if let Some(text) = interpretations_sentence(facts) {
        out.push(text);
    }
    let t2 = |item| {
        report
            .table2
            .row(item)
            .and_then(|r| r.cells.first().copied().flatten())
    };
    if let (Some(regs), Some(norms)) = (
        t2(gongkai_report::model::Table2Item::Regulations),
        t2(gongkai_report::model::Table2Item::NormativeDocuments),
    ) {
        out.push(format!(
            "本年制发规章{regs}件、行政规范性文件{norms}件，具体见本报告第二部分。"
        ));
    }

    out.push("（二）依申请公开".to_string());
    out.push(applications_paragraph(
        report,
        facts.previous_received,
        facts,
    ));
    out.push(appeals_sentence(report));

    out.push("（三）政府信息管理".to_string());
    out.push(format!(
        "本机关坚持“谁公开谁审查、谁审查谁负责”和“先审后发”原则，主动公开的政府信息依次经过{}后方可发布，每条信息均经保密审查（《条例》第十七条）；发布时按统一格式编制索引号。",
        if facts.review_steps.is_empty() {
            "保密审查".to_string()
        } else {
            facts.review_steps.join("、")
        }
    ));

    out.push("（四）政府信息公开平台建设".to_string());
    let mut platform = "本机关依托政府网站政府信息公开专栏发布政府信息，提供公开目录、全文检索和订阅；公众可在网上提交政府信息公开申请，凭申请编号和查询码查询办理进度、下载答复文书。".to_string();
    if !facts.received_by_channel.is_empty() {
        let list: Vec<String> = facts
            .received_by_channel
            .iter()
            .map(|(c, n)| format!("{}提交{n}份", c.label()))
            .collect();
        platform.push_str(&format!("本年度各渠道提交情况：{}。", list.join("、")));
    }
    out.push(platform);
    if let Some(text) = participation_sentence(facts) {
        out.push(text);
    }

    out.push("（五）监督保障".to_string());
    out.push(if facts.trainings == 0 {
        format!("{y}年，本机关未组织政务公开专题培训。")
    } else if facts.participants > 0 {
        format!(
            "{y}年，本机关开展政务公开培训{}次，参训{}人次。",
            facts.trainings, facts.participants
        )
    } else {
        format!("{y}年，本机关开展政务公开培训{}次。", facts.trainings)
    });
    out
}

/// The 依申请公开 paragraph: received, compared with last year, by applicant, handled by
/// result group, carried forward — the figures of table 三.
pub fn applications_paragraph(
    report: &Report,
    previous_received: Option<u64>,
    facts: &YearFacts,
) -> String {
    let y = facts.year;
    let received = cell(report, Table3Row::NewlyReceived);
    let mut text = format!("{y}年，本机关共收到政府信息公开申请{received}件");
    if let Some(last) = previous_received {
        text.push_str(&match received.cmp(&last) {
            std::cmp::Ordering::Greater => {
                format!("，与上年收到申请{last}件相比，增加{}件", received - last)
            }
            std::cmp::Ordering::Less => {
                format!("，与上年收到申请{last}件相比，减少{}件", last - received)
            }
            std::cmp::Ordering::Equal => format!("，与上年收到申请{last}件相比持平"),
        });
    }
    text.push('。');
    if received > 0 {
        let by_kind: Vec<String> = ApplicantKind::ALL
            .into_iter()
            .filter_map(|k| {
                let n = report
                    .table3
                    .cell(Table3Row::NewlyReceived, Table3Column::Applicant(k))
                    .unwrap_or(0);
                (n > 0).then(|| format!("{}{n}件", applicant_word(k)))
            })
            .collect();
        text.push_str(&format!("其中{}。", by_kind.join("、")));
    }
    let carried = cell(report, Table3Row::CarriedOver);
    if carried > 0 {
        text.push_str(&format!("另有上年结转{carried}件。"));
    }
    let handled = cell(report, Table3Row::Total);
    text.push_str(&format!("本年度办结政府信息公开申请{handled}件"));
    let groups: Vec<String> = OutcomeGroup::ALL
        .into_iter()
        .filter_map(|g| {
            let n = group_sum(&report.table3, g, TOTAL).exact().unwrap_or(0);
            (n > 0).then(|| format!("{}{n}件", group_word(g)))
        })
        .collect();
    if !groups.is_empty() {
        text.push_str(&format!("，其中{}", groups.join("、")));
    }
    text.push('。');
    if handled > 0 {
        text.push_str(&if facts.late_answers == 0 {
            "均在法定期限内作出答复。".to_string()
        } else {
            format!("有{}件超过法定期限作出答复。", facts.late_answers)
        });
    }
    let forward = cell(report, Table3Row::CarriedForward);
    text.push_str(&if forward == 0 {
        "无结转下年度继续办理的申请。".to_string()
    } else {
        format!("结转下年度继续办理{forward}件。")
    });
    text
}

/// 行政复议、行政诉讼 in one sentence, from table 四.
pub fn appeals_sentence(report: &Report) -> String {
    let total = |g: Table4Group| report.table4.group(g)[4].unwrap_or(0);
    let reconsideration = total(Table4Group::Reconsideration);
    let litigation =
        total(Table4Group::DirectLitigation) + total(Table4Group::LitigationAfterReconsideration);
    if reconsideration == 0 && litigation == 0 {
        "本年度未发生因政府信息公开引起的行政复议、行政诉讼。".to_string()
    } else {
        format!(
            "本年度因政府信息公开引起行政复议{reconsideration}件、行政诉讼{litigation}件，具体见本报告第四部分。"
        )
    }
}

/// How the narrative names an applicant column (the prose check reads these words).
fn applicant_word(kind: ApplicantKind) -> &'static str {
    match kind {
        ApplicantKind::OtherOrganisation => "其他法人或者其他组织",
        other => other.label(),
    }
}

fn group_word(group: OutcomeGroup) -> &'static str {
    match group {
        OutcomeGroup::Disclosed => "予以公开",
        OutcomeGroup::PartlyDisclosed => "部分公开",
        OutcomeGroup::Withheld => "不予公开",
        OutcomeGroup::CannotProvide => "无法提供",
        OutcomeGroup::NotHandled => "不予处理",
        OutcomeGroup::OtherHandling => "其他处理",
    }
}

fn problems(facts: &YearFacts, report: &Report) -> Vec<String> {
    let corrected: u64 = Table4Group::ALL
        .iter()
        .map(|g| report.table4.group(*g)[1].unwrap_or(0))
        .sum();
    let mut problems = Vec::new();
    let mut fixes = Vec::new();
    if facts.late_publications > 0 {
        problems.push(format!(
            "主动公开时效有待提高，本年有{}条信息超过20个工作日才公开。",
            facts.late_publications
        ));
        fixes.push("严格执行《条例》第二十六条，在系统中逐条跟踪信息形成之日起20个工作日的公开期限，即将到期的信息提前提醒承办科室。".to_string());
    }
    if facts.late_answers > 0 {
        problems.push(format!(
            "依申请公开办理时效有待提高，本年有{}件超过法定期限答复。",
            facts.late_answers
        ));
        fixes.push("按《条例》第三十三条管理答复期限，需要延期的及时报经审核并告知申请人，逾期前逐件督办。".to_string());
    }
    if let Some(first) = facts.tasks.open.first() {
        problems.push(format!(
            "上级部署的政务公开工作要点中，“{first}”等{}项任务年底前尚未完成。",
            facts.tasks.open.len()
        ));
        fixes.push("对尚未完成的工作要点任务逐项明确责任科室和完成时限，在下一年度第一季度内完成并报告落实情况。".to_string());
    }
    if corrected > 0 {
        problems.push(format!(
            "答复质量有待提高，本年有{corrected}件行政复议、行政诉讼案件结果为纠正。"
        ));
        fixes.push(
            "逐案分析被纠正的原因，完善答复书的事实认定和法律依据，加强答复前的法制审核。"
                .to_string(),
        );
    }
    let mut out = vec!["（一）存在的主要问题".to_string()];
    if problems.is_empty() {
        out.push("本年度记录中未见主动公开超期、依申请公开逾期答复或答复被纠正的情况，但政务公开的深度和公开形式仍有提升空间。".to_string());
        fixes.push("持续梳理主动公开基本目录，丰富政策解读和公开形式，提升公开质量。".to_string());
    } else {
        out.extend(numbered(&problems));
    }
    out.push("（二）改进情况".to_string());
    out.extend(numbered(&fixes));
    if facts.peoples_government {
        out.extend(government_results());
    }
    out
}

/// What marks text the records cannot support and a person must write before the report is
/// submitted ([`unfilled`]).
pub const TO_FILL: &str = "【待填写";

/// 第五十条第（四）项: a 人民政府's report also states 工作考核、社会评议和责任追究结果. The records
/// hold none of it, so the draft asks for it and submission waits until it is written.
fn government_results() -> Vec<String> {
    vec![
        "（三）工作考核、社会评议和责任追究结果情况".to_string(),
        format!(
            "{TO_FILL}：本年度政府信息公开工作考核、社会评议和责任追究结果情况（《条例》第五十条第（四）项），无相关情况的请如实说明】"
        ),
    ]
}

/// The paragraphs still holding a [`TO_FILL`] mark, with the section they are in.
pub fn unfilled(report: &Report) -> Vec<String> {
    report
        .preamble
        .iter()
        .chain(report.sections.iter().flat_map(|s| s.paragraphs.iter()))
        .filter(|p| p.contains(TO_FILL))
        .cloned()
        .collect()
}

fn numbered(items: &[String]) -> Vec<String> {
    const ORDINALS: [&str; 6] = ["一", "二", "三", "四", "五", "六"];
    items
        .iter()
        .enumerate()
        .map(|(i, text)| format!("{}是{}", ORDINALS[i.min(5)], text))
        .collect()
}

fn other(facts: &YearFacts) -> Vec<String> {
    let mut out = vec!["（一）依申请公开信息处理费收费情况".to_string()];
    out.push(if facts.fee_notices == 0 && facts.fees_paid_yuan == 0 {
        "本年度未收取信息处理费。".to_string()
    } else {
        format!(
            "本年度依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）发出收费通知{}份，收取信息处理费{}元。",
            facts.fee_notices, facts.fees_paid_yuan
        )
    });
    out.push("（二）本年度建议、提案办理情况".to_string());
    let proposals = facts.deputy_suggestions + facts.member_proposals;
    out.push(if proposals == 0 {
        "本年度未承办人大代表建议、政协委员提案。".to_string()
    } else {
        format!(
            "本年度承办人大代表建议{}份、政协委员提案{}份，已办复{}份。",
            facts.deputy_suggestions, facts.member_proposals, facts.proposals_answered
        )
    });
    let t = &facts.tasks;
    if t.tasks > 0 {
        out.push("（三）落实上级年度政务公开工作要点情况".to_string());
        let mut text = format!(
            "本年度上级部署的政务公开工作要点任务{}项，已完成{}项",
            t.tasks, t.done
        );
        if t.done_late > 0 {
            text.push_str(&format!("（其中{}项晚于完成时限）", t.done_late));
        }
        if !t.open.is_empty() {
            text.push_str(&format!("，{}项尚在推进", t.open.len()));
        }
        text.push('。');
        out.push(text);
    }
    out
}
