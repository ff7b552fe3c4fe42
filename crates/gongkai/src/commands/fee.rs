use std::process::ExitCode;

use gongkai_law::FeeAssessment;
use serde_json::json;

use super::parse_count;
use crate::failure::Failure;

pub fn run(items: Option<&str>, pages: Option<&str>, as_json: bool) -> Result<ExitCode, Failure> {
    let assessment = match (items, pages) {
        (Some(items), _) => FeeAssessment::per_application(parse_count("--items", items)?)?,
        (None, Some(pages)) => FeeAssessment::per_page(parse_count("--pages", pages)?)?,
        (None, None) => unreachable!("clap requires one of --items and --pages"),
    };
    if as_json {
        let bands: Vec<_> = assessment
            .bands
            .iter()
            .map(|b| {
                json!({
                    "from": b.from, "to": b.to, "count": b.count,
                    "unit_yuan": b.unit_yuan, "subtotal_yuan": b.subtotal_yuan,
                })
            })
            .collect();
        let value = json!({
            "yuan": assessment.yuan,
            "method": assessment.method.code(),
            "quantity": assessment.quantity,
            "bands": bands,
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&value).expect("JSON values serialize")
        );
    } else {
        println!(
            "信息处理费（{}，{}{}）：{}元",
            assessment.method.label(),
            assessment.quantity,
            assessment.method.unit(),
            assessment.yuan
        );
        for line in assessment.explain() {
            println!("  {line}");
        }
        println!("  依据：国办函〔2020〕109号《政府信息公开信息处理费管理办法》");
    }
    Ok(ExitCode::SUCCESS)
}
