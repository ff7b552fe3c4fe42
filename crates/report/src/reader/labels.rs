//! The labels the reader looks for, with the shorter keys it falls back on.

use gongkai_law::Outcome;

use crate::model::{Table2Item, Table3Row};

/// A row label: the whole label (with its item number) and the keys that find it, most
/// specific first. Every key is a piece of `full`.
pub struct Label {
    pub full: &'static str,
    pub keys: &'static [&'static str],
}

pub fn table3(row: Table3Row) -> Label {
    use Outcome::*;
    let (full, keys): (&str, &[&str]) = match row {
        Table3Row::NewlyReceived => (
            "一、本年新收政府信息公开申请数量",
            &["本年新收政府信息公开申请数量", "本年新收"],
        ),
        Table3Row::CarriedOver => (
            "二、上年结转政府信息公开申请数量",
            &["上年结转政府信息公开申请数量", "上年结转"],
        ),
        Table3Row::Result(outcome) => match outcome {
            Disclosed => ("（一）予以公开", &["（一）予以公开", "予以公开"]),
            PartlyDisclosed => ("（二）部分公开", &["（二）部分公开", "部分公开"]),
            StateSecret => ("1.属于国家秘密", &["属于国家秘密", "国家秘密"]),
            ForbiddenByLaw => (
                "2.其他法律行政法规禁止公开",
                &["其他法律行政法规禁止公开", "禁止公开"],
            ),
            EndangersSecurity => ("3.危及三安全一稳定", &["危及三安全一稳定", "三安全一稳定"]),
            ThirdPartyRights => (
                "4.保护第三方合法权益",
                &["保护第三方合法权益", "第三方合法权益"],
            ),
            InternalAffairs => (
                "5.属于三类内部事务信息",
                &["属于三类内部事务信息", "三类内部事务"],
            ),
            ProcessInformation => (
                "6.属于四类过程性信息",
                &["属于四类过程性信息", "四类过程性"],
            ),
            EnforcementFile => ("7.属于行政执法案卷", &["属于行政执法案卷", "行政执法案卷"]),
            AdministrativeQuery => ("8.属于行政查询事项", &["属于行政查询事项", "行政查询事项"]),
            NotHeld => (
                "1.本机关不掌握相关政府信息",
                &["本机关不掌握相关政府信息", "不掌握"],
            ),
            NeedsCreation => (
                "2.没有现成信息需要另行制作",
                &["没有现成信息需要另行制作", "另行制作"],
            ),
            StillUnclear => (
                "3.补正后申请内容仍不明确",
                &["补正后申请内容仍不明确", "仍不明确"],
            ),
            Petition => (
                "1.信访举报投诉类申请",
                &["信访举报投诉类申请", "信访举报投诉"],
            ),
            Repeated => ("2.重复申请", &["重复申请"]),
            Publication => (
                "3.要求提供公开出版物",
                &["要求提供公开出版物", "公开出版物"],
            ),
            Excessive => (
                "4.无正当理由大量反复申请",
                &["无正当理由大量反复申请", "大量反复申请"],
            ),
            Reconfirmation => (
                "5.要求行政机关确认或重新出具已获取信息",
                &[
                    "要求行政机关确认或重新出具已获取信息",
                    "重新出具已获取信息",
                    "重新出具",
                ],
            ),
            SupplementOverdue => (
                "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                &["行政机关不再处理其政府信息公开申请", "逾期不补正"],
            ),
            FeeUnpaid => (
                "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                &["行政机关不再处理其政府信息公开申请", "缴纳费用"],
            ),
            Other => ("3.其他", &["3.其他", "其他"]),
        },
        Table3Row::OtherHandling => ("（六）其他处理", &["（六）其他处理", "其他处理"]),
        Table3Row::Total => ("（七）总计", &["（七）总计", "总计"]),
        Table3Row::CarriedForward => (
            "四、结转下年度继续办理",
            &["结转下年度继续办理", "结转下年度"],
        ),
    };
    Label { full, keys }
}

pub fn table2(item: Table2Item) -> Label {
    let (full, keys): (&str, &[&str]) = match item {
        Table2Item::Regulations => ("规章", &["规章"]),
        Table2Item::NormativeDocuments => ("行政规范性文件", &["规范性文件"]),
        Table2Item::Licensing => ("行政许可", &["行政许可"]),
        Table2Item::OtherManagementServices => (
            "其他对外管理服务事项",
            &["其他对外管理服务事项", "对外管理服务"],
        ),
        Table2Item::Punishment => ("行政处罚", &["行政处罚"]),
        Table2Item::Enforcement => ("行政强制", &["行政强制"]),
        Table2Item::Fees => ("行政事业性收费", &["行政事业性收费", "事业性收费"]),
        Table2Item::Procurement => ("政府集中采购", &["政府集中采购", "集中采购"]),
    };
    Label { full, keys }
}

/// Headers that only the 2019 trial format's table 二 has.
pub const TRIAL_TABLE2_MARKERS: [&str; 5] = [
    "本年新制作",
    "上一年项目数量",
    "本年新公开",
    "对外公开总数",
    "集中采购",
];
