//! `gongkai bench province`: a province in an empty store — an agency tree of any size,
//! published items and a year of applications — for the province benchmark
//! (`crates/web/benches/province.sh`, BENCHMARKS.md).

use std::{io::Write, process::ExitCode, time::Instant};

use gongkai_domain::{
    Actor, Agency, AgencyCode, AgencyLevel, Role, UserName,
    publication::{Draft, Publication, PublicationAction, PublicationState, ReviewChain},
    store::Store,
};
use gongkai_law::Date;

use super::{
    bench::{Lcg, write_applications},
    cli_stamp, store_failure,
};
use crate::failure::Failure;

/// Words the generated items are written in: the first are in most items (「通知」 is the
/// common word the benchmark searches), the later ones rare (Zipf).
const WORDS: &[&str] = &[
    "通知", "工作", "公开", "政府", "关于", "街道", "社区", "管理", "服务", "方案", "实施", "项目",
    "建设", "安全", "计划", "报告", "财政", "预算", "决算", "教育", "卫生", "交通", "环境", "保护",
    "应急", "救助", "保障", "民生", "规划", "改造", "许可", "处罚", "收费", "会议", "决定", "批复",
    "意见", "办法", "规定", "公告", "招标", "采购", "就业", "养老", "医疗", "住房", "防汛", "消防",
    "食品", "药品", "农业", "水利", "林业", "文化", "体育", "旅游", "统计", "审计", "税务", "市场",
    "监管", "人口", "婚姻", "殡葬", "拆迁", "征收",
];

/// The rare word the benchmark searches: in one item of every `RARE_EVERY`, and in no other.
const RARE_WORD: &str = "地震";
const RARE_EVERY: u32 = 1_000;

/// Agencies under the root: cities, then counties under them, then the rest townships.
const CITIES: usize = 14;
const COUNTIES_PER_CITY: usize = 10;

pub async fn run<S: Store>(
    store: &S,
    agencies: u32,
    publications: u32,
    applications: u32,
) -> Result<ExitCode, Failure> {
    let existing = store.agencies().await.map_err(store_failure)?;
    let started = Instant::now();
    let grown = existing.iter().any(|a| a.code.as_str() == "prov");
    if !existing.is_empty() && !grown {
        return Err(Failure::Refused(
            "省级性能测试只在空数据库中运行：请新建空的 PostgreSQL 数据库（或新的 --data-dir）"
                .into(),
        ));
    }
    let tree = if grown {
        // A province made by an earlier run grows to the numbers asked: the same tree (its
        // codes sort in the order they were made), the items the same sequence would have
        // made next, no more applications.
        let mut tree: Vec<AgencyCode> = existing.into_iter().map(|a| a.code).collect();
        tree.sort();
        tree
    } else {
        add_tree(store, agencies.max(1 + CITIES as u32)).await?
    };
    eprintln!(
        "{} 个机关，用时 {:.1} s",
        tree.len(),
        started.elapsed().as_secs_f64()
    );
    let (already, _) = store.search_expected(0).await.map_err(store_failure)?;
    add_publications(store, &tree, already, publications).await?;
    if !grown {
        // A year of applications (last year's: the annual report now due), in every agency
        // but the root.
        let last_year = gongkai_law::date::china_date(jiff::Timestamp::now()).year() - 1;
        let first = Date::new(last_year, 1, 1).expect("valid");
        write_applications(store, applications, first, 365, |_, random| {
            tree[1 + random.next(tree.len() as u64 - 1) as usize].clone()
        })
        .await?;
    }
    println!(
        "{}：{} 个机关（根 prov），{} 条公开信息{}，用时 {:.0} s",
        if grown { "已扩充" } else { "已生成" },
        tree.len(),
        u64::from(publications).max(already),
        if grown {
            String::new()
        } else {
            format!("，{applications} 件申请")
        },
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// The root `prov`, cities `prov-c01`…, counties `prov-c01-01`…, townships `prov-t00001`… under
/// the counties in turn; returns every code, the root first.
async fn add_tree<S: Store>(store: &S, total: u32) -> Result<Vec<AgencyCode>, Failure> {
    let stamp = cli_stamp();
    let code = |text: String| AgencyCode::parse(&text).expect("valid");
    let root = code("prov".into());
    let mut added = vec![
        Agency::new(root.clone(), "模拟省人民政府", AgencyLevel::Province, None).expect("valid"),
    ];
    let mut counties = Vec::new();
    for c in 1..=CITIES {
        let city = code(format!("prov-c{c:02}"));
        added.push(
            Agency::new(
                city.clone(),
                &format!("模拟省第{c}市人民政府"),
                AgencyLevel::City,
                Some(root.clone()),
            )
            .expect("valid"),
        );
        for k in 1..=COUNTIES_PER_CITY {
            let county = code(format!("prov-c{c:02}-{k:02}"));
            added.push(
                Agency::new(
                    county.clone(),
                    &format!("模拟省第{c}市第{k}区人民政府"),
                    AgencyLevel::County,
                    Some(city.clone()),
                )
                .expect("valid"),
            );
            counties.push(county);
        }
    }
    let mut t = 0;
    while added.len() < total as usize {
        t += 1;
        let parent = counties[t % counties.len()].clone();
        added.push(
            Agency::new(
                code(format!("prov-t{t:05}")),
                &format!("模拟街道{t}办事处"),
                AgencyLevel::Township,
                Some(parent),
            )
            .expect("valid"),
        );
    }
    added.truncate(total as usize);
    for agency in &added {
        store
            .add_agency(agency, &stamp)
            .await
            .map_err(store_failure)?;
    }
    Ok(added.into_iter().map(|a| a.code).collect())
}

/// Items published last year and this up to `count` in all (the first `already` of the
/// sequence are in the store), through the whole review chain (one template approved once,
/// then varied), spread over every agency; titles and bodies drawn from `WORDS`.
async fn add_publications<S: Store>(
    store: &S,
    tree: &[AgencyCode],
    already: u64,
    count: u32,
) -> Result<(), Failure> {
    let stamp = cli_stamp();
    let template = approved_template(&tree[0]);
    let mut random = Lcg(7);
    let today = gongkai_law::date::china_date(jiff::Timestamp::now());
    let first = Date::new(today.year() - 1, 1, 1).expect("valid");
    let mut next_id = vec![0u64; tree.len()];
    let mut batch = Vec::with_capacity(super::bench::BATCH);
    let started = Instant::now();
    for n in 0..count {
        let at = random.next(tree.len() as u64) as usize;
        next_id[at] += 1;
        let id = next_id[at];
        let mut words = |k: usize| -> String { (0..k).map(|_| WORDS[zipf(&mut random)]).collect() };
        let mut p = template.clone();
        p.agency = tree[at].clone();
        p.id = id;
        p.draft.title = words(6);
        p.draft.body = vec![words(30), words(30)];
        if n % RARE_EVERY == 0 {
            p.draft.body.push(RARE_WORD.into());
        }
        let day = first
            .checked_add(jiff::Span::new().days(random.next(700) as i64))
            .expect("in range")
            .min(today);
        p.draft.written_on = day;
        p.published_on = Some(day);
        p.index_number = Some(format!("{}/{}-{id:07}", tree[at], day.year()));
        if u64::from(n) < already {
            continue;
        }
        batch.push(p);
        if batch.len() == super::bench::BATCH || (n + 1 == count && !batch.is_empty()) {
            store
                .add_publications(&batch, &stamp)
                .await
                .map_err(store_failure)?;
            batch.clear();
            eprint!("\r已生成 {}/{} 条公开信息", n + 1, count);
            let _ = std::io::stderr().flush();
        }
    }
    eprintln!("，用时 {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// One item taken through the standard review chain (经办人 → 审核人 → 保密审查 → 负责人).
fn approved_template(agency: &AgencyCode) -> Publication {
    let person = |name: &str, role| Actor {
        user: UserName::parse(name).expect("valid"),
        agency: agency.clone(),
        roles: vec![role],
    };
    let today = Date::new(2026, 1, 5).expect("valid");
    let draft = Draft {
        title: "模板".into(),
        body: vec!["模板".into()],
        category: "政策文件/其他文件".into(),
        topic: String::new(),
        written_on: today,
        changed_on: None,
        doc_number: None,
        channels: vec!["政府网站".into()],
        release_on: None,
        department: None,
        catalog_entry: None,
        attachments: Vec::new(),
        interprets: None,
    };
    let now = jiff::Timestamp::now();
    let mut p = Publication::new(
        agency.clone(),
        1,
        "模拟省人民政府",
        &person("clerk", Role::CaseOfficer),
        draft,
        ReviewChain::standard(),
    )
    .expect("valid");
    for (who, role) in [
        ("clerk", Role::CaseOfficer),
        ("head", Role::Reviewer),
        ("secret", Role::SecrecyReviewer),
        ("chief", Role::OfficeHead),
    ] {
        let action = if role == Role::CaseOfficer {
            PublicationAction::Submit
        } else {
            PublicationAction::approve_with("经审查同意公开")
        };
        p = p
            .apply(&person(who, role), action, now, today)
            .expect("valid");
        if p.state == PublicationState::Published {
            break;
        }
    }
    assert_eq!(
        p.state,
        PublicationState::Published,
        "the standard chain ends"
    );
    p
}

/// A word of `WORDS`, rank r with probability ∝ 1/r.
fn zipf(random: &mut Lcg) -> usize {
    let u = random.next(1_000_000) as f64 / 1_000_000.0;
    ((WORDS.len() as f64).powf(u) as usize).clamp(1, WORDS.len()) - 1
}
