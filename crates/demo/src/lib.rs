//! `gongkai serve --demo`: a fictional district (示例区) with a street office (`demo`), two
//! district departments, one user per role, the 2023 year whose table 三 equals the seed
//! report's (8 applications from 自然人: 6 予以公开, 2 部分公开), and this year's cases in every
//! state — some overdue, some in 补正, one in consultation, one extended. Idempotent: nothing
//! is added when the street office exists.

use gongkai_domain::{
    Action, Actor, Agency, AgencyCode, AgencyLevel, Applicant, Application, ApplicationNumber,
    Channel, NewApplication, OfficeDetails, Role, User, UserName,
    access::secret_hash,
    identity::{CreditCode, IdDocument, ResidentId},
    publication::PublicationAction,
    store::Store,
};
use gongkai_law::{ApplicantKind, Date, Outcome, WorkingCalendar};

use gongkai_web::{
    app::App,
    error::WebError,
    letters,
    security::hash_password,
    usecases::{
        annual,
        applications::act_on,
        numbering::{self, Series},
        publications, records,
    },
};

pub const AGENCY: &str = "demo";
pub const PASSWORD: &str = "gongkai-demo";
/// The query code of every demo online application (real ones get random codes).
pub const QUERY_CODE: &str = "DEMOCODE26";

/// (user name, display name, agency, role)
pub const USERS: [(&str, &str, &str, Role); 7] = [
    ("admin", "王管理", AGENCY, Role::Administrator),
    ("clerk", "李经办", AGENCY, Role::CaseOfficer),
    ("reviewer", "赵审核", AGENCY, Role::Reviewer),
    ("head", "周主任", AGENCY, Role::OfficeHead),
    ("secrecy", "钱保密", AGENCY, Role::SecrecyReviewer),
    ("supervisor", "孙监督", "demo-district", Role::Supervisor),
    (
        "root",
        "系统管理员",
        "demo-district",
        Role::SystemAdministrator,
    ),
];

/// What the demo printed at start (and the README repeats).
pub fn credentials() -> String {
    let mut out = String::from("演示账号（密码均为 gongkai-demo）：\n");
    for (name, display, agency, role) in USERS {
        out.push_str(&format!(
            "  {name:<11} {display}  {}（{agency}）\n",
            role.label()
        ));
    }
    out.push_str(&format!(
        "演示在线申请（编号 今年-W0001 起）的查询码：{QUERY_CODE}\n"
    ));
    out
}

fn person(name: &str, id17: &str, phone: &str) -> Applicant {
    Applicant::new(
        ApplicantKind::NaturalPerson,
        name,
        Some(IdDocument::ResidentId(
            ResidentId::with_check_character(id17).expect("a valid demo number"),
        )),
        &format!("电话 {phone}"),
    )
    .expect("a valid demo applicant")
}

/// `n` working days before `day`.
fn back(calendar: &WorkingCalendar, day: Date, n: u32) -> Date {
    let mut d = day;
    let mut left = n;
    while left > 0 {
        d = d.yesterday().expect("not year 1");
        if calendar.is_working_day(d) {
            left -= 1;
        }
    }
    d
}

pub async fn seed<S: Store>(app: &App<S>) -> Result<bool, WebError> {
    let code = AgencyCode::parse(AGENCY)?;
    if app.store.agency(&code).await?.is_some() {
        return Ok(false);
    }
    let stamp = app.stamp("demo");
    let district_code = AgencyCode::parse("demo-district")?;
    let mut district = Agency::new(
        district_code.clone(),
        "示例区人民政府",
        AgencyLevel::County,
        None,
    )?;
    district.settings.letter_prefix = "示府公".into();
    district.settings.reconsideration_body = "示例市人民政府".into();
    district.settings.court = "示例市中级人民法院".into();
    let mut street = Agency::new(
        code.clone(),
        "示例区人民政府太平街道办事处",
        AgencyLevel::Township,
        Some(district_code.clone()),
    )?;
    street.settings.letter_prefix = "示太政公".into();
    street.settings.index_prefix = "sl-tp".into();
    street.settings.reconsideration_body = "示例区人民政府".into();
    street.settings.court = "示例区人民法院".into();
    street.settings.fee_payment =
        "通过示例区非税收入缴款平台缴纳（缴款码随通知附送），或到街道党政办公室现场缴纳".into();
    street.settings.office = OfficeDetails {
        address: "示例区太平街道和平路1号 党政办公室".into(),
        postcode: "100000".into(),
        hours: "工作日 上午9:00—12:00，下午13:30—17:30（法定节假日除外）".into(),
        phone: "010-00000000".into(),
        fax: "010-00000001".into(),
        email: "gongkai@demo.example".into(),
    };
    app.store.add_agency(&district, &stamp).await?;
    app.store.add_agency(&street, &stamp).await?;
    for (dept, name) in [
        ("demo-housing", "示例区住房和城乡建设局"),
        ("demo-civil", "示例区民政局"),
    ] {
        let mut agency = Agency::new(
            AgencyCode::parse(dept)?,
            name,
            AgencyLevel::Department,
            Some(district_code.clone()),
        )?;
        agency.settings = district.settings.clone();
        app.store.add_agency(&agency, &stamp).await?;
    }
    let hash = hash_password(PASSWORD)?;
    for (name, display, agency, role) in USERS {
        let user = User {
            name: UserName::parse(name)?,
            display_name: display.into(),
            agency: AgencyCode::parse(agency)?,
            roles: vec![role],
            active: true,
        };
        app.store.add_user(&user, &stamp).await?;
        app.store.set_password(&user.name, &hash, &stamp).await?;
    }
    seed_2023(app, &code).await?;
    seed_this_year(app, &street).await?;
    let catalog = seed_catalog(app, &street).await?;
    seed_publications(app, &street, &catalog).await?;
    seed_interpretations(app, &street).await?;
    seed_participation(app, &street).await?;
    seed_gazette(app, &district).await?;
    seed_work_plan(app, &district, &street).await?;
    seed_register(app, &street).await?;
    seed_report_facts(app, &street).await?;
    seed_annual_report(app, &street).await?;
    seed_assessment(app, &district).await?;
    Ok(true)
}

/// A member of `agency`'s staff with one role, as the seed acts.
fn staff_of(agency: &Agency, name: &str, role: Role) -> Result<Actor, WebError> {
    Ok(Actor {
        user: UserName::parse(name)?,
        agency: agency.code.clone(),
        roles: vec![role],
    })
}

fn demo_actor(name: &str, role: Role) -> Result<Actor, WebError> {
    Ok(Actor {
        user: UserName::parse(name)?,
        agency: AgencyCode::parse(AGENCY)?,
        roles: vec![role],
    })
}

/// What the annual report states besides the tables: the seed's two trainings of 2023, this
/// year's training, a suggestion, and a 行政复议 over one of this year's answers, still open.
async fn seed_report_facts<S: Store>(app: &App<S>, agency: &Agency) -> Result<(), WebError> {
    use gongkai_domain::{appeal::AppealKind, facts::ProposalKind};
    let clerk = demo_actor("clerk", Role::CaseOfficer)?;
    let date =
        |y: i16, m: i8, d: i8| Date::new(y, m, d).map_err(|e| WebError::Internal(e.to_string()));
    let year = app.today().year();
    let trainings = [
        (date(2023, 4, 18)?, "政务公开业务培训（一）", Some(35)),
        (date(2023, 9, 12)?, "政务公开业务培训（二）", Some(28)),
        (
            date(year, 3, 20)?,
            "《政府信息公开条例》与依申请公开办理实务",
            Some(40),
        ),
    ];
    for (held_on, title, people) in trainings {
        records::add_training(app, &clerk, held_on, title, people).await?;
    }
    records::add_proposal(
        app,
        &clerk,
        ProposalKind::DeputySuggestion,
        date(year, 4, 8)?,
        "关于在社区公开栏同步公开惠民政策的建议",
        Some(date(year, 6, 5)?),
    )
    .await?;
    // 第四十一条: a request to correct a record about the requester, waiting for a reviewer.
    records::add_correction(
        app,
        &clerk,
        records::NewCorrection {
            received: back(&app.calendar(), app.today(), 3),
            requester: person("江午", "11010519700303300", "13600000000"),
            record: "街道公开的今年高龄津贴发放名单中本人的出生年月".into(),
            correction: "名单记为1950年3月，应为1945年3月".into(),
            evidence: "居民身份证和户口簿复印件".into(),
        },
    )
    .await?;
    let answered = app
        .store
        .applications(&agency.code)
        .await?
        .into_iter()
        .filter(|a| a.received.year() == year)
        .find(|a| a.answered_on.is_some());
    if let Some(case) = answered {
        let appeal = records::NewAppeal {
            kind: AppealKind::Reconsideration,
            application: case.number.clone(),
            filed_on: case.answered_on.unwrap_or(case.received),
            body: agency.settings.reconsideration_body.clone(),
            case_number: format!("示复〔{year}〕1号"),
        };
        records::add_appeal(app, &clerk, appeal).await?;
    }
    Ok(())
}

/// The 2023 report, assembled from the records, submitted by the clerk and approved along the
/// review chain (科室审核, 保密审查, 签发): public at `/agencies/demo/reports/2023` (and
/// `/reports/2023`), its table 三 that of the seed report.
async fn seed_annual_report<S: Store>(app: &App<S>, agency: &Agency) -> Result<(), WebError> {
    let current = gongkai_domain::records::Versioned {
        value: gongkai_domain::annual::AnnualReport::first(agency.code.clone(), 2023),
        version: 0,
    };
    let clerk = demo_actor("clerk", Role::CaseOfficer)?;
    let id = annual::submit(app, &clerk, agency, &current).await?;
    for approver in [
        demo_actor("reviewer", Role::Reviewer)?,
        demo_actor("secrecy", Role::SecrecyReviewer)?,
        demo_actor("head", Role::OfficeHead)?,
    ] {
        let p = app
            .store
            .publication(&agency.code, id)
            .await?
            .ok_or_else(|| WebError::Internal("年度报告的公开信息未保存".into()))?;
        publications::act_on(
            app,
            &approver,
            agency,
            &p,
            PublicationAction::approve_with("经审查同意公开"),
            None,
        )
        .await?;
    }
    Ok(())
}

/// The 第二十条 register: 2023 as the seed report has it (all zero), and this year's
/// documents (two issued, one of them repealed), decisions and fees.
async fn seed_register<S: Store>(app: &App<S>, agency: &Agency) -> Result<(), WebError> {
    use gongkai_domain::register::{DocumentKind, RegisteredDocument, YearFigures};
    let stamp = app.stamp("demo");
    let zero = YearFigures {
        licensing: Some(0),
        punishment: Some(0),
        enforcement: Some(0),
        fees_wan_yuan: Some(0.into()),
    };
    app.store
        .save_year_figures(&agency.code, 2023, &zero, &stamp)
        .await?;
    let calendar = app.calendar();
    let today = app.today();
    let documents = [
        (
            "关于印发《太平街道老旧小区改造工作方案》的通知",
            "示太政发〔2026〕3号",
            180,
            None,
        ),
        (
            "关于调整辖区临时停车收费标准的通知",
            "示太政发〔2026〕7号",
            130,
            Some(20),
        ),
    ];
    for (title, number, issued_ago, repealed_ago) in documents {
        let id = numbering::next(app, &agency.code, Series::RegisterDocuments).await?;
        let document = RegisteredDocument::new(
            agency.code.clone(),
            id,
            DocumentKind::NormativeDocument,
            title,
            number,
            back(&calendar, today, issued_ago),
            repealed_ago.map(|n| back(&calendar, today, n)),
        )?;
        app.store.save_register_document(&document, &stamp).await?;
    }
    let this_year = YearFigures {
        licensing: Some(0),
        punishment: Some(12),
        enforcement: Some(0),
        fees_wan_yuan: Some(0.into()),
    };
    app.store
        .save_year_figures(&agency.code, today.year(), &this_year, &stamp)
        .await?;
    Ok(())
}

/// This year's 主动公开: most published in time, some late, one repealed, and one of each
/// unfinished state (draft, in 保密审查, scheduled).
/// A 主动公开基本目录 of seven entries (the annual report's has nothing yet); returns (category prefix, entry id) for linking.
async fn seed_catalog<S: Store>(
    app: &App<S>,
    agency: &Agency,
) -> Result<Vec<(&'static str, u64)>, WebError> {
    let rows: [[&str; 10]; 7] = [
        [
            "机构职能",
            "机构职能",
            "职责、内设机构、负责人、办公地址和电话",
            "《政府信息公开条例》第二十条第（二）项",
            "信息形成或变更之日起20个工作日内",
            "党政办公室",
            "政府网站",
            "全社会",
            "主动",
            "街道",
        ],
        [
            "财政信息",
            "财政预决算",
            "部门预算、决算及其说明",
            "《预算法》第十四条",
            "批复后20日内",
            "财政所",
            "政府网站",
            "全社会",
            "主动",
            "街道",
        ],
        [
            "政策文件",
            "政策文件",
            "本机关制发的规范性文件和其他政策文件",
            "《政府信息公开条例》第二十条第（一）项",
            "信息形成或变更之日起20个工作日内",
            "党政办公室",
            "政府网站、公开栏",
            "全社会",
            "主动",
            "街道",
        ],
        [
            "政策解读",
            "政策解读",
            "重要政策文件的解读材料",
            "国办发〔2016〕80号",
            "与政策文件同步",
            "党政办公室",
            "政府网站",
            "全社会",
            "主动",
            "街道",
        ],
        [
            "重点领域",
            "社会救助",
            "低保、特困人员救助对象和标准",
            "《社会救助暂行办法》",
            "每季度",
            "社会事务办",
            "公开栏、政府网站",
            "特定群体",
            "主动",
            "街道",
        ],
        [
            "规划计划",
            "规划计划",
            "年度工作计划、为民办实事项目",
            "《政府信息公开条例》第二十条第（三）项",
            "信息形成或变更之日起20个工作日内",
            "党政办公室",
            "政府网站",
            "全社会",
            "主动",
            "街道",
        ],
        [
            "年度报告",
            "政府信息公开工作年度报告",
            "上一年度政府信息公开工作年度报告",
            "《政府信息公开条例》第四十九条、第五十条",
            "每年1月31日前",
            "党政办公室",
            "政府网站",
            "全社会",
            "主动",
            "街道",
        ],
    ];
    let mut table: Vec<Vec<String>> = vec![
        [
            "公开事项",
            "公开内容",
            "公开依据",
            "公开时限",
            "公开主体",
            "公开渠道",
            "公开对象",
            "公开方式",
            "公开层级",
        ]
        .iter()
        .map(|c| c.to_string())
        .collect(),
    ];
    table.extend(
        rows.iter()
            .map(|r| r[1..].iter().map(|c| c.to_string()).collect()),
    );
    let mut ids = Vec::new();
    for _ in &rows {
        ids.push(numbering::next(app, &agency.code, Series::CatalogEntries).await?);
    }
    let entries = gongkai_domain::catalog::read_table(&agency.code, ids[0], &table)
        .map_err(|e| WebError::Internal(e.join("；")))?;
    app.store
        .add_catalog_entries(&entries, &app.stamp("demo"))
        .await?;
    Ok(rows
        .iter()
        .map(|r| r[0])
        .zip(entries.iter().map(|e| e.id))
        .collect())
}

async fn seed_publications<S: Store>(
    app: &App<S>,
    agency: &Agency,
    catalog: &[(&str, u64)],
) -> Result<(), WebError> {
    let catalog_for = |category: &str| {
        catalog
            .iter()
            .find(|(prefix, _)| category.starts_with(prefix))
            .map(|(_, id)| *id)
    };
    use gongkai_domain::publication::{Draft, Publication, PublicationAction, Validity};
    let calendar = app.calendar();
    let today = app.today();
    let person = |name: &str, role: Role| staff_of(agency, name, role);
    let clerk = person("clerk", Role::CaseOfficer)?;
    let reviewer = person("reviewer", Role::Reviewer)?;
    let secrecy = person("secrecy", Role::SecrecyReviewer)?;
    let head = person("head", Role::OfficeHead)?;
    #[derive(Clone, Copy, PartialEq)]
    enum End {
        Published,
        Late,
        Repealed,
        Draft,
        InSecrecy,
        Scheduled,
    }
    /// (title, category, topic, made N working days ago, published M working days later, 文号, end state)
    struct Item(
        &'static str,
        &'static str,
        &'static str,
        u32,
        u32,
        Option<&'static str>,
        End,
    );
    let items = [
        Item(
            "太平街道办事处主要职责和内设机构",
            "机构职能",
            "综合政务",
            220,
            3,
            None,
            End::Published,
        ),
        Item(
            "太平街道2026年部门预算",
            "财政信息/预算决算",
            "财政、金融、审计",
            200,
            15,
            Some("示太政发〔2026〕1号"),
            End::Published,
        ),
        Item(
            "关于印发《太平街道老旧小区改造工作方案》的通知",
            "政策文件/规范性文件",
            "城乡建设、环境保护",
            180,
            10,
            Some("示太政发〔2026〕3号"),
            End::Published,
        ),
        Item(
            "太平街道2026年为民办实事项目计划",
            "规划计划",
            "综合政务",
            160,
            26,
            Some("示太政发〔2026〕5号"),
            End::Late,
        ),
        Item(
            "太平街道2026年一季度低保、特困人员救助情况",
            "重点领域/民生保障",
            "民政、扶贫、救灾",
            140,
            8,
            None,
            End::Published,
        ),
        Item(
            "关于调整辖区临时停车收费标准的通知",
            "政策文件/规范性文件",
            "城乡建设、环境保护",
            130,
            5,
            Some("示太政发〔2026〕7号"),
            End::Repealed,
        ),
        Item(
            "太平街道防汛应急预案（2026年修订）",
            "政策文件/其他文件",
            "公共安全",
            110,
            31,
            Some("示太政发〔2026〕9号"),
            End::Late,
        ),
        Item(
            "太平街道2025年部门决算",
            "财政信息/预算决算",
            "财政、金融、审计",
            90,
            18,
            None,
            End::Published,
        ),
        Item(
            "太平街道二季度社区公共服务设施改造进展",
            "重点领域/城乡建设",
            "城乡建设、环境保护",
            60,
            9,
            None,
            End::Published,
        ),
        Item(
            "太平街道三季度低保、特困人员救助情况",
            "重点领域/民生保障",
            "民政、扶贫、救灾",
            25,
            6,
            None,
            End::Published,
        ),
        Item(
            "太平街道2027年度政府信息公开工作要点",
            "规划计划",
            "综合政务",
            6,
            0,
            None,
            End::Draft,
        ),
        Item(
            "关于和平路沿街立面整治的公告",
            "重点领域/城乡建设",
            "城乡建设、环境保护",
            4,
            0,
            None,
            End::InSecrecy,
        ),
        Item(
            "太平街道冬季供暖服务保障安排",
            "政务动态",
            "综合政务",
            2,
            0,
            None,
            End::Scheduled,
        ),
    ];
    for Item(title, category, topic, made_ago, publish_after, doc_number, end) in items {
        let written_on = back(&calendar, today, made_ago);
        let publish_on = calendar
            .add_working_days(written_on, publish_after)
            .map_err(|v| WebError::Internal(v.to_string()))?
            .date
            .min(today);
        let draft = Draft {
            title: title.into(),
            body: vec![
                format!("{title}。"),
                "本信息由太平街道办事处党政办公室负责解释，联系电话 010-00000000。".into(),
            ],
            category: category.into(),
            topic: topic.into(),
            written_on,
            changed_on: None,
            doc_number: doc_number.map(String::from),
            channels: if category.starts_with("重点领域") {
                vec!["政府网站".into(), "政务公众号".into(), "公开栏".into()]
            } else {
                vec!["政府网站".into()]
            },
            release_on: (end == End::Scheduled)
                .then(|| calendar.add_working_days(today, 2).map(|r| r.date))
                .transpose()
                .map_err(|v| WebError::Internal(v.to_string()))?,
            department: Some(
                if category.starts_with("财政") {
                    "财政所"
                } else {
                    "党政办公室"
                }
                .into(),
            ),
            catalog_entry: catalog_for(category),
            attachments: Vec::new(),
            interprets: None,
        };
        let id = numbering::next(app, &agency.code, Series::Publications).await?;
        let p = Publication::new(
            agency.code.clone(),
            id,
            &agency.name,
            &clerk,
            draft,
            agency.settings.review_chain.clone(),
        )?;
        app.store.add_publication(&p, &app.stamp("demo")).await?;
        let mut p = app
            .store
            .publication(&agency.code, id)
            .await?
            .ok_or_else(|| WebError::Internal("demo publication vanished".into()))?;
        if end == End::Draft {
            continue;
        }
        let at = app.now();
        let mut steps: Vec<(&Actor, PublicationAction)> = vec![
            (&clerk, PublicationAction::Submit),
            (&reviewer, PublicationAction::approve_with("经审查同意公开")),
        ];
        if end != End::InSecrecy {
            steps.push((&secrecy, PublicationAction::approve_with("经审查同意公开")));
            steps.push((&head, PublicationAction::approve_with("经审查同意公开")));
        }
        p = review(app, agency, p, steps, publish_on).await?;
        if end == End::Repealed {
            let repealed_on = back(&calendar, today, 20);
            let next = p.apply(
                &clerk,
                PublicationAction::ChangeValidity {
                    validity: Validity::Repealed(repealed_on),
                },
                at,
                today,
            )?;
            app.store
                .save_publication(&next, "change_validity", &app.stamp("clerk"))
                .await?;
        }
    }
    Ok(())
}

/// Takes a publication through its review steps (先审后发), giving it its 索引号 when it goes out.
async fn review<S: Store>(
    app: &App<S>,
    agency: &Agency,
    mut p: gongkai_domain::publication::Publication,
    steps: Vec<(&Actor, gongkai_domain::publication::PublicationAction)>,
    publish_on: Date,
) -> Result<gongkai_domain::publication::Publication, WebError> {
    let at = app.now();
    for (who, action) in steps {
        let code = action.code();
        let mut next = p.apply(who, action, at, publish_on)?;
        if next.state == gongkai_domain::publication::PublicationState::Published {
            publications::give_index(app, agency, &mut next).await?;
        }
        p = app
            .store
            .save_publication(&next, code, &app.stamp(who.user.as_str()))
            .await?;
    }
    Ok(p)
}

/// 政策解读 of the street's policy documents: the 老旧小区 plan explained by a 图解 two working
/// days after it went out, the 防汛 plan by a text a week late, the parking fees not at all —
/// the back office lists it, and the annual report counts the three.
async fn seed_interpretations<S: Store>(app: &App<S>, street: &Agency) -> Result<(), WebError> {
    use gongkai_domain::publication::{
        Draft, PublicationAction,
        interpretation::{INTERPRETATION_CATEGORY, InterpretationForm, Interprets},
    };
    let calendar = app.calendar();
    let public = app.store.public_publications(&street.code).await?;
    let person = |name: &str, role: Role| staff_of(street, name, role);
    let clerk = person("clerk", Role::CaseOfficer)?;
    let reviewer = person("reviewer", Role::Reviewer)?;
    let secrecy = person("secrecy", Role::SecrecyReviewer)?;
    let head = person("head", Role::OfficeHead)?;
    let plans = [
        (
            "老旧小区改造工作方案",
            "图解：太平街道老旧小区改造工作方案",
            InterpretationForm::Graphic,
            2,
        ),
        (
            "防汛应急预案",
            "《太平街道防汛应急预案（2026年修订）》政策解读",
            InterpretationForm::Text,
            8,
        ),
    ];
    for (words, title, form, after) in plans {
        let Some(document) = public.iter().find(|p| {
            gongkai_domain::publication::interpretation::needs_interpretation(p)
                && p.draft.title.contains(words)
        }) else {
            continue;
        };
        let Some(published) = document.published_on else {
            continue;
        };
        let on = calendar
            .add_working_days(published, after)
            .map_err(|v| WebError::Internal(v.to_string()))?
            .date
            .min(app.today());
        let draft = Draft {
            title: title.into(),
            body: vec![
                format!(
                    "一、制定背景：为落实{}，结合本街道实际制定。",
                    document.draft.title
                ),
                "二、主要内容：明确了工作目标、实施范围、职责分工和时间安排。".into(),
                "三、适用对象：辖区内相关居民、单位。".into(),
                "四、解读机关及联系方式：太平街道办事处党政办公室，010-00000000。".into(),
            ],
            category: INTERPRETATION_CATEGORY.into(),
            topic: document.draft.topic.clone(),
            written_on: on,
            changed_on: None,
            doc_number: None,
            channels: vec!["政府网站".into(), "政务公众号".into()],
            release_on: None,
            department: Some("党政办公室".into()),
            catalog_entry: None,
            attachments: Vec::new(),
            interprets: Some(Interprets {
                document: document.id,
                form,
            }),
        };
        let p = publications::draft(app, &clerk, street, draft).await?;
        let approve = || PublicationAction::approve_with("经审查同意公开");
        let steps = vec![
            (&clerk, PublicationAction::Submit),
            (&reviewer, approve()),
            (&secrecy, approve()),
            (&head, approve()),
        ];
        review(app, street, p, steps, on).await?;
    }
    Ok(())
}

/// A year of 公众参与: letters to the 主任信箱 (one answered and published, one answered late,
/// one still open, one that was really a disclosure request and became an application), 12345
/// 工单 answered within their five days, a 民意征集 on the parking plan and a 网上调查.
async fn seed_participation<S: Store>(app: &App<S>, street: &Agency) -> Result<(), WebError> {
    use gongkai_domain::participation::{NewMessage, ParticipationChannel as C};
    use gongkai_web::usecases::{applications, participation};
    let calendar = app.calendar();
    let today = app.today();
    let clerk = staff_of(street, "clerk", Role::CaseOfficer)?;
    /// (channel, working days ago, sender, subject, text, publishable, replied after N days)
    struct Letter(
        C,
        u32,
        &'static str,
        &'static str,
        &'static str,
        bool,
        Option<u32>,
    );
    let letters = [
        Letter(
            C::Mailbox,
            150,
            "王芳",
            "和平路3号院路灯不亮",
            "和平路3号院东侧路灯已坏两周，夜间出行不便，请尽快维修。",
            true,
            Some(6),
        ),
        Letter(
            C::Mailbox,
            90,
            "赵强",
            "建议增设社区养老餐桌",
            "辖区老人较多，建议在社区服务中心增设老年餐桌。",
            false,
            Some(21),
        ),
        Letter(
            C::Mailbox,
            3,
            "",
            "垃圾分类亭异味",
            "东门垃圾分类亭夏季异味较重，建议增加清运次数。",
            true,
            None,
        ),
        Letter(
            C::Hotline,
            60,
            "李明",
            "小区门口占道经营",
            "12345工单：和平路菜市场门口早晚占道经营，影响通行。",
            true,
            Some(4),
        ),
        Letter(
            C::Hotline,
            20,
            "陈静",
            "楼道堆物清理",
            "12345工单：5号楼楼道堆放杂物，存在消防隐患。",
            false,
            Some(3),
        ),
        Letter(
            C::Consultation,
            100,
            "",
            "《临时停车收费标准调整方案（征求意见稿）》意见",
            "建议对居民夜间停车给予优惠。",
            true,
            Some(18),
        ),
        Letter(
            C::Survey,
            40,
            "",
            "社区服务满意度网上调查",
            "对社区服务总体满意，希望延长周末办事时间。",
            false,
            Some(10),
        ),
    ];
    for (i, Letter(channel, ago, sender, subject, text, publishable, replied)) in
        letters.into_iter().enumerate()
    {
        let received = back(&calendar, today, ago);
        // 12345 transfers carry the platform's 工单编号.
        let reference = match channel {
            C::Hotline => format!("SL{}{:04}", received.to_string().replace('-', ""), i + 1),
            _ => String::new(),
        };
        let message = participation::add(
            app,
            &clerk,
            NewMessage {
                channel,
                received,
                sender,
                subject,
                text,
                publishable,
                reference: &reference,
            },
        )
        .await?;
        if let Some(after) = replied {
            let on = calendar
                .add_working_days(received, after)
                .map_err(|v| WebError::Internal(v.to_string()))?
                .date
                .min(today);
            participation::reply(
                app,
                &clerk,
                message.id,
                None,
                on,
                "感谢您的来信。经核实，已责成相关科室办理，办理结果将及时向您反馈。",
            )
            .await?;
        }
    }
    // A letter that asked for government information: registered as an application, its
    // received date kept (第三十一条), and the two linked.
    let received = back(&calendar, today, 30);
    let message = participation::add(
        app,
        &clerk,
        NewMessage {
            channel: C::Mailbox,
            received,
            sender: "孙丽",
            subject: "申请公开老旧小区改造资金使用情况",
            text: "请公开太平街道2025年老旧小区改造项目的资金使用明细。",
            publishable: false,
            reference: "",
        },
    )
    .await?;
    let paper = applications::PaperApplication {
        applicant: person("孙丽", "11010519850707004", "13900000077"),
        channel: Channel::Online,
        received,
        content: message.text.clone(),
        wanted_form: "电子文档（在线下载）".into(),
        department: Some("党政办公室".into()),
    };
    let (application, _) = applications::register_paper(app, &clerk, street, paper).await?;
    participation::became(app, &clerk, message.id, application.number).await?;
    Ok(())
}

/// The district's 政务公开工作要点 for this year, three tasks for every agency below, and the
/// street's reports: one done in time with its publications as evidence, one done late, one
/// still being carried out.
async fn seed_work_plan<S: Store>(
    app: &App<S>,
    district: &Agency,
    street: &Agency,
) -> Result<(), WebError> {
    use gongkai_domain::work_plan::NewTask;
    use gongkai_web::usecases::work_plan;
    let calendar = app.calendar();
    let today = app.today();
    let year = today.year();
    let supervisor = staff_of(district, "supervisor", Role::Supervisor)?;
    let clerk = staff_of(street, "clerk", Role::CaseOfficer)?;
    let date = |month: i8, day: i8| {
        Date::new(year, month, day).map_err(|e| WebError::Internal(e.to_string()))
    };
    let tasks = [
        (
            "梳理更新主动公开基本目录",
            "对照上级目录梳理本机关主动公开事项，6月底前完成更新。",
            date(6, 30)?,
        ),
        (
            "规范政策文件解读",
            "政策文件与解读同步起草、同步审签、同步发布。",
            date(9, 30)?,
        ),
        (
            "建设政务公开专区",
            "在便民服务大厅设立政务公开专区，提供申请、查询和咨询服务。",
            date(12, 31)?,
        ),
    ];
    let mut set = Vec::new();
    for (title, detail, due) in tasks {
        let new = NewTask {
            year,
            title,
            detail,
            due,
        };
        set.push(work_plan::add_task(app, &supervisor, new, Vec::new()).await?);
    }
    let public = app.store.public_publications(&street.code).await?;
    let evidence: Vec<u64> = public
        .iter()
        .filter(|p| p.draft.category.starts_with("政策") || p.draft.category == "机构职能")
        .map(|p| p.id)
        .take(2)
        .collect();
    let reports = [
        (
            "已对照区级目录更新本街道主动公开基本目录。",
            Some(back(&calendar, date(6, 30)?, 3).min(today)),
            evidence,
        ),
        (
            "已建立政策文件与解读同步发布机制。",
            Some(
                calendar
                    .add_working_days(date(9, 30)?, 8)
                    .map_err(|v| WebError::Internal(v.to_string()))?
                    .date
                    .min(today),
            ),
            Vec::new(),
        ),
        ("专区终端已安装调试，正在试运行。", None, Vec::new()),
    ];
    for (task, (text, done_on, evidence)) in set.iter().zip(reports) {
        work_plan::report(
            app,
            &clerk,
            &district.code,
            task.id,
            text,
            done_on,
            evidence,
        )
        .await?;
    }
    Ok(())
}

/// The district's 考核 of the agencies below, published for this year up to the end of last
/// month (last year's whole year in January), computed from everything seeded before it.
async fn seed_assessment<S: Store>(app: &App<S>, district: &Agency) -> Result<(), WebError> {
    use gongkai_web::usecases::assessment;
    let supervisor = staff_of(district, "supervisor", Role::Supervisor)?;
    let to = app
        .today()
        .first_of_month()
        .yesterday()
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let from = to.first_of_year();
    let scope = gongkai_domain::assessment::Scope::Direct;
    assessment::publish(app, &supervisor, (from, to, scope)).await?;
    Ok(())
}

/// The district's 政府公报, one issue a quarter: the street office's terminal in its service
/// hall shows them (政务公开专区).
async fn seed_gazette<S: Store>(app: &App<S>, district: &Agency) -> Result<(), WebError> {
    use gongkai_domain::publication::{Draft, Publication, PublicationAction};
    let calendar = app.calendar();
    let today = app.today();
    let person = |name: &str, role: Role| staff_of(district, name, role);
    let clerk = person("district-clerk", Role::CaseOfficer)?;
    let reviewer = person("district-reviewer", Role::Reviewer)?;
    let secrecy = person("district-secrecy", Role::SecrecyReviewer)?;
    let head = person("district-head", Role::OfficeHead)?;
    let year = today.year();
    for issue in 1..=3u32 {
        let written_on = back(&calendar, today, 190 - 60 * issue);
        let title = format!("示例区人民政府公报（{year}年第{issue}期）");
        let draft = Draft {
            title: title.clone(),
            body: vec![
                format!("{title}目录"),
                "【区政府文件】示例区人民政府关于印发本区老旧小区改造实施意见的通知".into(),
                "【区政府办公室文件】示例区人民政府办公室关于做好冬季供暖保障工作的通知".into(),
                "【人事任免】示例区人民政府人事任免事项".into(),
                "《示例区人民政府公报》是区人民政府主办的政府出版物，刊登的规范性文件文本为标准文本。".into(),
            ],
            category: "政府公报".into(),
            topic: "综合政务".into(),
            written_on,
            changed_on: None,
            doc_number: None,
            channels: vec!["政府网站".into(), "政务公开专区".into()],
            release_on: None,
            department: Some("区政府办公室".into()),
            catalog_entry: None,
            attachments: Vec::new(),
            interprets: None,
        };
        let id = numbering::next(app, &district.code, Series::Publications).await?;
        let p = Publication::new(
            district.code.clone(),
            id,
            &district.name,
            &clerk,
            draft,
            district.settings.review_chain.clone(),
        )?;
        app.store.add_publication(&p, &app.stamp("demo")).await?;
        let p = app
            .store
            .publication(&district.code, id)
            .await?
            .ok_or_else(|| WebError::Internal("demo gazette vanished".into()))?;
        let approve = || PublicationAction::approve_with("经审查同意公开");
        let steps = vec![
            (&clerk, PublicationAction::Submit),
            (&reviewer, approve()),
            (&secrecy, approve()),
            (&head, approve()),
        ];
        let publish_on = calendar
            .add_working_days(written_on, 5)
            .map_err(|v| WebError::Internal(v.to_string()))?
            .date;
        review(app, district, p, steps, publish_on).await?;
    }
    Ok(())
}

/// The seed report's year: 8 applications from 自然人, 6 予以公开 and 2 部分公开, none carried.
async fn seed_2023<S: Store>(app: &App<S>, agency: &AgencyCode) -> Result<(), WebError> {
    let cases = [
        (
            "2023-03-06",
            "2023-03-20",
            Outcome::Disclosed,
            "2022年度本街道财政预决算",
        ),
        (
            "2023-04-11",
            "2023-04-25",
            Outcome::Disclosed,
            "太平街道老旧小区改造项目计划",
        ),
        (
            "2023-05-16",
            "2023-06-02",
            Outcome::PartlyDisclosed,
            "和平路沿街商铺征收补偿方案",
        ),
        (
            "2023-06-08",
            "2023-06-21",
            Outcome::Disclosed,
            "2023年度低保审批名单公示情况",
        ),
        (
            "2023-07-19",
            "2023-08-04",
            Outcome::Disclosed,
            "辖区垃圾分类收运点设置规划",
        ),
        (
            "2023-09-05",
            "2023-09-26",
            Outcome::PartlyDisclosed,
            "某社区物业服务企业选聘过程文件",
        ),
        (
            "2023-10-23",
            "2023-11-08",
            Outcome::Disclosed,
            "街道防汛应急预案",
        ),
        (
            "2023-11-27",
            "2023-12-12",
            Outcome::Disclosed,
            "2023年度为民办实事项目完成情况",
        ),
    ];
    let mut applications = Vec::new();
    for (i, (received, answered, outcome, content)) in cases.into_iter().enumerate() {
        let received = gongkai_law::parse_date("received", received)
            .map_err(|v| WebError::Internal(v.to_string()))?;
        let answered = gongkai_law::parse_date("answered", answered)
            .map_err(|v| WebError::Internal(v.to_string()))?;
        let new = NewApplication {
            number: ApplicationNumber::parse(&format!("2023-{:04}", i + 1))?,
            applicant: person(
                [
                    "周一", "吴二", "郑三", "冯四", "陈五", "褚六", "卫七", "蒋八",
                ][i],
                &format!("11010519800101{:03}", 100 + i),
                "13800000000",
            ),
            channel: if i % 3 == 0 {
                Channel::Online
            } else {
                Channel::InPerson
            },
            received,
            content: content.into(),
            wanted_form: "纸质文本，自行领取".into(),
        };
        let mut a = Application::historical(
            agency.clone(),
            new,
            Some((answered, outcome)),
            app.now(),
            app.today(),
        )?;
        a.department = Some("党政办公室".into());
        applications.push(a);
    }
    app.store
        .insert_applications(&applications, &app.stamp("demo"))
        .await?;
    Ok(())
}

struct Plan {
    channel: Channel,
    received_back: u32,
    content: &'static str,
    organisation: bool,
    /// (action, working days before today)
    steps: Vec<(Step, u32)>,
}

#[derive(Clone, Copy)]
enum Step {
    Register,
    Handle,
    Supplement,
    Consult,
    Extend,
    /// 按量计收: a fee notice for this many pages.
    Fee(u32),
    /// The applicant received the fee notice.
    FeeDelivered,
    Answer(Outcome),
    Approve,
    Deliver,
    Archive,
}

async fn seed_this_year<S: Store>(app: &App<S>, agency: &Agency) -> Result<(), WebError> {
    use Step::*;
    let calendar = app.calendar();
    let today = app.today();
    let clerk = staff_of(agency, "clerk", Role::CaseOfficer)?;
    let reviewer = staff_of(agency, "reviewer", Role::Reviewer)?;
    let head = staff_of(agency, "head", Role::OfficeHead)?;
    let plans = vec![
        Plan {
            channel: Channel::Online,
            received_back: 0,
            content: "本街道今年老年助餐点的分布和补贴标准",
            organisation: false,
            steps: vec![],
        },
        Plan {
            channel: Channel::Online,
            received_back: 1,
            content: "太平街道今年社区公共服务设施改造清单",
            organisation: false,
            steps: vec![(Register, 0)],
        },
        Plan {
            channel: Channel::InPerson,
            received_back: 2,
            content: "和平路口交通信号灯改造的批复文件",
            organisation: false,
            steps: vec![],
        },
        Plan {
            channel: Channel::Online,
            received_back: 5,
            content: "关于拆迁的文件",
            organisation: false,
            steps: vec![(Register, 4), (Supplement, 3)],
        },
        Plan {
            channel: Channel::RegisteredMail,
            received_back: 10,
            content: "街道今年政府采购项目的合同",
            organisation: true,
            steps: vec![(Handle, 9)],
        },
        Plan {
            channel: Channel::InPerson,
            received_back: 25,
            content: "某小区违法建设查处情况",
            organisation: false,
            steps: vec![(Handle, 24)],
        },
        Plan {
            channel: Channel::Email,
            received_back: 22,
            content: "辖区河道整治工程验收报告",
            organisation: false,
            steps: vec![(Handle, 21)],
        },
        Plan {
            channel: Channel::InPerson,
            received_back: 18,
            content: "街道与某物业公司签订的服务合同",
            organisation: false,
            steps: vec![(Handle, 17)],
        },
        Plan {
            channel: Channel::InPerson,
            received_back: 12,
            content: "某企业在辖区内的环评公示材料",
            organisation: false,
            steps: vec![(Handle, 11), (Consult, 8)],
        },
        Plan {
            channel: Channel::OrdinaryMail,
            received_back: 19,
            content: "近三年街道各类补贴发放汇总",
            organisation: false,
            steps: vec![(Handle, 18), (Extend, 17)],
        },
        Plan {
            channel: Channel::InPerson,
            received_back: 16,
            content: "近五年街道党工委会议纪要中涉及征收补偿的部分",
            organisation: false,
            steps: vec![(Handle, 15), (Fee(260), 12), (FeeDelivered, 11)],
        },
        Plan {
            channel: Channel::InPerson,
            received_back: 15,
            content: "街道今年第二季度财政收支情况",
            organisation: false,
            steps: vec![(Handle, 14), (Answer(Outcome::Disclosed), 2)],
        },
        Plan {
            channel: Channel::Online,
            received_back: 30,
            content: "街道办事处内设机构和职能",
            organisation: false,
            steps: vec![
                (Register, 29),
                (Handle, 29),
                (Answer(Outcome::Disclosed), 15),
                (Approve, 14),
            ],
        },
        Plan {
            channel: Channel::InPerson,
            received_back: 40,
            content: "辖区义务教育学校划片范围",
            organisation: false,
            steps: vec![
                (Handle, 39),
                (Answer(Outcome::NotHeld), 26),
                (Approve, 25),
                (Deliver, 24),
            ],
        },
        Plan {
            channel: Channel::InPerson,
            received_back: 60,
            content: "街道今年应急物资储备清单",
            organisation: true,
            steps: vec![
                (Handle, 59),
                (Answer(Outcome::PartlyDisclosed), 46),
                (Approve, 45),
                (Deliver, 44),
                (Archive, 40),
            ],
        },
    ];
    for (i, plan) in plans.into_iter().enumerate() {
        let received = back(&calendar, today, plan.received_back);
        let series = Series::Applications {
            year: received.year(),
            online: plan.channel == Channel::Online,
        };
        let seq = numbering::next(app, &agency.code, series).await?;
        let applicant = if plan.organisation {
            Applicant::new(
                ApplicantKind::Business,
                "示例科技有限公司",
                Some(IdDocument::CreditCode(CreditCode::parse(
                    "91350100M000100Y43",
                )?)),
                "电话 010-11111111；地址 示例区和平路8号",
            )?
        } else {
            person(
                [
                    "林甲", "何乙", "高丙", "罗丁", "梁戊", "宋己", "唐庚", "许辛", "韩壬", "曹癸",
                    "彭子", "曾丑", "萧寅", "田卯", "姜辰",
                ][i],
                &format!("11010519900202{:03}", 200 + i),
                "13900000000",
            )
        };
        let new = NewApplication {
            number: ApplicationNumber::parse(&format!("{}{seq:04}", series.prefix()))?,
            applicant,
            channel: plan.channel,
            received,
            content: plan.content.into(),
            wanted_form: "电子文档（在线下载）".into(),
        };
        let mut a = Application::new(agency.code.clone(), new, app.now(), today)?;
        if plan.channel == Channel::Online {
            a.query_code_sha256 = Some(secret_hash(QUERY_CODE));
        }
        a.department = Some(
            if i % 2 == 0 {
                "党政办公室"
            } else {
                "城市管理办公室"
            }
            .into(),
        );
        app.store
            .insert_applications(std::slice::from_ref(&a), &app.stamp("demo"))
            .await?;
        let mut a = app
            .store
            .application(&agency.code, &a.number)
            .await?
            .ok_or_else(|| WebError::Internal("demo application vanished".into()))?;
        if plan.channel != Channel::Online {
            letters::issue(
                app,
                agency,
                &a,
                gongkai_domain::letters::LetterKind::Receipt,
            )
            .await?;
        }
        for (step, days) in plan.steps {
            let date = back(&calendar, today, days);
            let (actor, action) = match step {
                Register => (
                    &clerk,
                    Action::Register {
                        department: a.department.clone(),
                    },
                ),
                Handle => (&clerk, Action::StartHandling),
                Supplement => (
                    &clerk,
                    Action::RequestSupplement {
                        date,
                        what: "请写明所需文件的名称、文号或形成时间".into(),
                        period: None,
                    },
                ),
                Consult => (
                    &clerk,
                    Action::StartConsultation {
                        date,
                        party: "示例环保科技有限公司".into(),
                        kind: Default::default(),
                    },
                ),
                Extend => (
                    &head,
                    Action::Extend {
                        date,
                        reason: "申请的信息涉及三年数据，需要汇总整理".into(),
                    },
                ),
                Fee(pages) => (
                    &clerk,
                    Action::SendFeeNotice {
                        date,
                        method: gongkai_law::FeeMethod::PerPage,
                        quantity: pages,
                    },
                ),
                FeeDelivered => (&clerk, Action::DeliverFeeNotice { date }),
                Answer(outcome) => (
                    &clerk,
                    Action::SubmitAnswer {
                        outcome,
                        text: answer_text(outcome).into(),
                        referral: None,
                        attachments: if gongkai_domain::application::refers_to_attachment(
                            answer_text(outcome),
                        ) {
                            answer_files(app, &a).await?
                        } else {
                            Vec::new()
                        },
                    },
                ),
                Approve => (&reviewer, Action::ApproveAnswer { date }),
                Deliver => (
                    &clerk,
                    Action::Deliver {
                        method: "在线下载".into(),
                        date,
                        proof: "申请人已下载".into(),
                        consent: false,
                    },
                ),
                Archive => (&clerk, Action::Archive),
            };
            a = act_on(app, actor, agency, &a, action, None).await?;
        }
    }
    Ok(())
}

/// What a "详见附件" answer provides: the information asked for, as a text file.
async fn answer_files<S: Store>(
    app: &App<S>,
    a: &Application,
) -> Result<Vec<gongkai_domain::Attachment>, WebError> {
    let text = format!(
        "申请编号：{}\n申请内容：{}\n\n（示例数据：此处为提供给申请人的政府信息。）\n",
        a.number, a.content
    );
    let file = gongkai_web::uploads::Upload {
        name: format!("提供的政府信息（{}）.txt", a.number),
        bytes: text.into_bytes(),
    };
    gongkai_web::uploads::keep(&app.store, &[file]).await
}

fn answer_text(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Disclosed => "经查，您申请获取的信息属于公开范围，现予以提供，详见附件。",
        Outcome::PartlyDisclosed => {
            "经查，您申请获取的信息中含有个人隐私，已作区分处理，对可以公开的部分予以提供。"
        }
        Outcome::NotHeld => "经查，本机关未制作或获取您申请的信息。",
        _ => "经研究，答复如下。",
    }
}
