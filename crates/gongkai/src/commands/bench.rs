//! `gongkai bench stats`: a synthetic region in an empty store, then table 三 timed.

use std::{
    io::Write,
    process::ExitCode,
    time::{Duration, Instant},
};

use gongkai_domain::{
    Agency, AgencyCode, AgencyLevel, Applicant, Application, ApplicationNumber, Channel,
    NewApplication, stats,
    store::{Store, table3_for_subtree},
};
use gongkai_law::{ApplicantKind, Date, Outcome};

use super::{cli_stamp, store_failure};
use crate::{cli::BenchCommand, failure::Failure};

/// A small deterministic generator (no dependency, same data every run).
pub(super) struct Lcg(pub(super) u64);

impl Lcg {
    pub(super) fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below
    }
}

pub(super) const BATCH: usize = 10_000;

pub async fn run<S: Store>(store: &S, command: BenchCommand) -> Result<ExitCode, Failure> {
    let BenchCommand::Stats {
        applications,
        agencies,
    } = command
    else {
        unreachable!("bench province is run by commands::province");
    };
    let existing = store.agencies().await.map_err(store_failure)?;
    let root = AgencyCode::parse("bench-root").expect("valid");
    let reuse = existing.iter().any(|a| a.code == root);
    if !existing.is_empty() && !reuse {
        return Err(Failure::Refused(
            "性能测试只在空数据库中运行：请用新的 --data-dir，或新建空的 PostgreSQL 数据库".into(),
        ));
    }
    let children: Vec<AgencyCode> = if reuse {
        eprintln!("数据库中已有模拟数据：只计时，不再生成");
        let mut below: Vec<AgencyCode> = existing
            .iter()
            .filter(|a| a.parent.as_ref() == Some(&root))
            .map(|a| a.code.clone())
            .collect();
        below.sort();
        below
    } else {
        generate(store, &root, applications, agencies).await?
    };
    let time = |runs: Vec<Duration>| {
        let mut runs = runs;
        runs.sort();
        (runs[0], runs[runs.len() / 2])
    };
    let mut one = Vec::new();
    let mut facts = Vec::new();
    let mut rollup = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let counted = store
            .table3_counts(std::slice::from_ref(&children[0]), 2023)
            .await
            .map_err(store_failure)?
            .into_table();
        one.push(t.elapsed());
        let t = Instant::now();
        let from_records = stats::table3(
            &store
                .case_facts(&children[0], 2023)
                .await
                .map_err(store_failure)?,
            2023,
        )
        .table;
        facts.push(t.elapsed());
        assert_eq!(
            counted, from_records,
            "the database's counts equal the records"
        );
        let t = Instant::now();
        table3_for_subtree(store, &root, 2023)
            .await
            .map_err(store_failure)?;
        rollup.push(t.elapsed());
    }
    let in_one = store
        .case_facts(&children[0], 2024)
        .await
        .map_err(store_failure)?
        .len();
    let (best, median) = time(one);
    println!(
        "表三（一个机关，{in_one} 件，SQL 分组计数）：最快 {:.1} ms，中位 {:.1} ms",
        best.as_secs_f64() * 1e3,
        median.as_secs_f64() * 1e3
    );
    let (best, median) = time(facts);
    println!(
        "表三（同一机关，逐件读取记录后计算，可追溯到每件）：最快 {:.1} ms，中位 {:.1} ms",
        best.as_secs_f64() * 1e3,
        median.as_secs_f64() * 1e3
    );
    let (best, median) = time(rollup);
    println!(
        "汇总（全部 {} 个机关）：最快 {:.1} ms，中位 {:.1} ms",
        children.len() + 1,
        best.as_secs_f64() * 1e3,
        median.as_secs_f64() * 1e3
    );
    Ok(ExitCode::SUCCESS)
}

/// A deterministic synthetic region: a root, `agencies` below it, `applications` cases over
/// 2022–2024, half of them in the first agency.
async fn generate<S: Store>(
    store: &S,
    root: &AgencyCode,
    applications: u32,
    agencies: u32,
) -> Result<Vec<AgencyCode>, Failure> {
    let stamp = cli_stamp();
    let started = Instant::now();
    store
        .add_agency(
            &Agency::new(root.clone(), "模拟市人民政府", AgencyLevel::City, None).expect("valid"),
            &stamp,
        )
        .await
        .map_err(store_failure)?;
    let children: Vec<AgencyCode> = (0..agencies.max(1))
        .map(|i| AgencyCode::parse(&format!("bench-{i:05}")).expect("valid"))
        .collect();
    for (i, code) in children.iter().enumerate() {
        let agency = Agency::new(
            code.clone(),
            &format!("模拟街道{i}"),
            AgencyLevel::Township,
            Some(root.clone()),
        )
        .expect("valid");
        store
            .add_agency(&agency, &stamp)
            .await
            .map_err(store_failure)?;
    }
    eprintln!(
        "{} 个机关，用时 {:.1} s",
        children.len() + 1,
        started.elapsed().as_secs_f64()
    );

    let first = Date::new(2022, 1, 1).expect("valid");
    write_applications(store, applications, first, 3 * 365, |n, random| {
        // The first agency gets half of everything: "one large agency" plus the rest.
        if n % 2 == 0 {
            children[0].clone()
        } else {
            children[random.next(children.len() as u64) as usize].clone()
        }
    })
    .await?;
    Ok(children)
}

/// Writes `count` answered (nine in ten) historical applications received over `days` days from
/// `first`, each in the agency `pick` chooses for it, `BATCH` to a transaction.
pub(super) async fn write_applications<S: Store>(
    store: &S,
    count: u32,
    first: Date,
    days: u64,
    mut pick: impl FnMut(u32, &mut Lcg) -> AgencyCode,
) -> Result<(), Failure> {
    let stamp = cli_stamp();
    let mut random = Lcg(2026);
    let now = jiff::Timestamp::now();
    let today = gongkai_law::date::china_date(now);
    let mut batch = Vec::with_capacity(BATCH);
    let started = Instant::now();
    for n in 0..count {
        let agency = pick(n, &mut random);
        let received = first
            .checked_add(jiff::Span::new().days(random.next(days) as i64))
            .expect("in range");
        let answered = (random.next(10) > 0).then(|| {
            let date = received
                .checked_add(jiff::Span::new().days(1 + random.next(40) as i64))
                .expect("in range");
            (date.min(today), Outcome::ALL[random.next(21) as usize])
        });
        let new = NewApplication {
            number: ApplicationNumber::parse(&format!("B{n:08}")).expect("valid"),
            applicant: Applicant::new(
                ApplicantKind::ALL[random.next(6) as usize],
                "模拟申请人",
                None,
                "",
            )
            .expect("valid"),
            channel: Channel::Online,
            received: received.min(today),
            content: "模拟申请内容".into(),
            wanted_form: "电子邮件".into(),
        };
        batch.push(
            Application::historical(agency, new, answered, now, today)
                .map_err(|e| Failure::Refused(e.to_string()))?,
        );
        if batch.len() == BATCH || n + 1 == count {
            store
                .insert_applications(&batch, &stamp)
                .await
                .map_err(store_failure)?;
            batch.clear();
            eprint!("\r已生成 {}/{} 件申请", n + 1, count);
            let _ = std::io::stderr().flush();
        }
    }
    eprintln!("，用时 {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}
