//! The small world the router tests start from — theirs alone, so the demo may change without
//! breaking a test. 示例县人民政府 (`district`) over 城关镇人民政府 (`street`, where the staff
//! work) and two county departments (`housing`, `civil`); one user per role; four answered cases
//! of 2023 and its register figures, with the 2023 annual report published; this year's cases in
//! the states the tests act on, a pending 行政复议, a training and a deputy's suggestion; a
//! publication at every stage of the review chain. Made through the same use cases staff use, on the
//! harness's fixed clock (Friday 2026-11-27).

use gongkai_domain::{
    Action, Actor, Agency, AgencyCode, AgencyLevel, Applicant, Application, ApplicationNumber,
    Channel, NewApplication, OfficeDetails, Role, User, UserName,
    annual::AnnualReport,
    appeal::AppealKind,
    facts::ProposalKind,
    identity::{CreditCode, IdDocument, ResidentId},
    publication::{Draft, PublicationAction, Validity},
    records::Versioned,
    register::YearFigures,
    store::prelude::*,
};
use gongkai_law::{ApplicantKind, Date, Outcome, parse_date};
use gongkai_report::model::SectionKind;
use gongkai_store::SqliteStore;
use gongkai_web::{
    App, security,
    uploads::Upload,
    usecases::{
        annual,
        applications::{PaperApplication, act_on, record_online, register_paper},
        publications, records, register,
    },
};

pub const PASSWORD: &str = "fixture-password";
/// The agency whose staff the tests log in as.
pub const STREET: &str = "street";
pub const DISTRICT: &str = "district";
pub const STREET_NAME: &str = "示例县城关镇人民政府";
/// The applicant of 2026-D0001, whose personal data only case handlers see.
pub const APPLICANT: &str = "李四";
pub const APPLICANT_PHONE: &str = "13900000000";
pub const APPLICANT_ID17: &str = "11010519900202201";

/// What a test needs to know of the world it was given.
pub struct Seeded {
    /// The 查询码 of the online application 2026-W0001 (shown once, kept only as a hash).
    pub query_code: String,
}

fn date(text: &str) -> Date {
    parse_date("fixture", text).unwrap()
}

fn person(name: &str, id17: &str, phone: &str) -> Applicant {
    let id = ResidentId::with_check_character(id17).unwrap();
    let contact = format!("电话 {phone}");
    Applicant::new(
        ApplicantKind::NaturalPerson,
        name,
        Some(IdDocument::ResidentId(id)),
        &contact,
    )
    .unwrap()
}

fn actor(name: &str, role: Role) -> Actor {
    Actor {
        user: UserName::parse(name).unwrap(),
        agency: AgencyCode::parse(STREET).unwrap(),
        roles: vec![role],
    }
}

pub async fn seed(app: &App<SqliteStore>) -> Seeded {
    let stamp = app.stamp("fixture");
    let mut district = Agency::new(
        AgencyCode::parse(DISTRICT).unwrap(),
        "示例县人民政府",
        AgencyLevel::County,
        None,
    )
    .unwrap();
    district.settings.letter_prefix = "示县公".into();
    district.settings.reconsideration_body = "示例市人民政府".into();
    district.settings.court = "示例市中级人民法院".into();
    let mut street = Agency::new(
        AgencyCode::parse(STREET).unwrap(),
        STREET_NAME,
        AgencyLevel::Township,
        Some(district.code.clone()),
    )
    .unwrap();
    let s = &mut street.settings;
    s.letter_prefix = "城政公".into();
    s.index_prefix = "cg".into();
    s.reconsideration_body = "示例县人民政府".into();
    s.court = "示例县人民法院".into();
    s.fee_payment = "缴入示例县财政局非税收入账户（账号 0000 0000 0000）".into();
    s.office = OfficeDetails {
        address: "示例县城关镇人民路1号 党政办公室".into(),
        postcode: "100001".into(),
        hours: "工作日 上午9:00—12:00，下午13:30—17:30".into(),
        phone: "010-10000000".into(),
        fax: "010-10000001".into(),
        email: "gongkai@street.example".into(),
    };
    app.store.add_agency(&district, &stamp).await.unwrap();
    app.store.add_agency(&street, &stamp).await.unwrap();
    for (code, name) in [
        ("housing", "示例县住房和城乡建设局"),
        ("civil", "示例县民政局"),
    ] {
        let department = Agency::new(
            AgencyCode::parse(code).unwrap(),
            name,
            AgencyLevel::Department,
            Some(district.code.clone()),
        )
        .unwrap();
        app.store.add_agency(&department, &stamp).await.unwrap();
    }
    let hash = security::hash_password(PASSWORD).unwrap();
    for (name, display, agency, role) in [
        ("admin", "王管理", STREET, Role::Administrator),
        ("clerk", "李经办", STREET, Role::CaseOfficer),
        ("reviewer", "张审核", STREET, Role::Reviewer),
        ("head", "周主任", STREET, Role::OfficeHead),
        ("secrecy", "赵保密", STREET, Role::SecrecyReviewer),
        ("supervisor", "刘监督", DISTRICT, Role::Supervisor),
        // Holiday notices count for every agency: only a 系统管理员 loads them.
        ("root", "系统管理员", DISTRICT, Role::SystemAdministrator),
    ] {
        let user = User {
            name: UserName::parse(name).unwrap(),
            display_name: display.into(),
            agency: AgencyCode::parse(agency).unwrap(),
            roles: vec![role],
            active: true,
        };
        app.store.add_user(&user, &stamp).await.unwrap();
        app.store
            .set_password(&user.name, &hash, &stamp)
            .await
            .unwrap();
    }
    seed_2023(app, &street).await;
    let query_code = seed_this_year(app, &street).await;
    seed_publications(app, &street).await;
    seed_report_facts(app).await;
    Seeded { query_code }
}

/// 2023-0001 … 2023-0004, answered in 2023: 予以公开 and 部分公开 (twice) for 自然人, 予以公开
/// for a business.
async fn seed_2023(app: &App<SqliteStore>, street: &Agency) {
    let business = Applicant::new(
        ApplicantKind::Business,
        "示例商贸有限公司",
        Some(IdDocument::CreditCode(
            CreditCode::parse("91350100M000100Y43").unwrap(),
        )),
        "电话 010-20000000",
    )
    .unwrap();
    let cases = [
        ("2023-03-06", "2023-03-20", Outcome::Disclosed, None),
        ("2023-05-16", "2023-06-02", Outcome::PartlyDisclosed, None),
        ("2023-09-05", "2023-09-26", Outcome::PartlyDisclosed, None),
        (
            "2023-10-23",
            "2023-11-08",
            Outcome::Disclosed,
            Some(business),
        ),
    ];
    let mut applications = Vec::new();
    for (i, (received, answered, outcome, applicant)) in cases.into_iter().enumerate() {
        let new = NewApplication {
            number: ApplicationNumber::parse(&format!("2023-{:04}", i + 1)).unwrap(),
            applicant: applicant.unwrap_or_else(|| {
                person(
                    "周一",
                    &format!("11010519800101{:03}", 100 + i),
                    "13800000000",
                )
            }),
            channel: Channel::InPerson,
            received: date(received),
            content: format!("2023年的第{}件申请", i + 1),
            wanted_form: "纸质文本，自行领取".into(),
        };
        let answer = Some((date(answered), outcome));
        let application =
            Application::historical(street.code.clone(), new, answer, app.now(), app.today())
                .unwrap();
        applications.push(application);
    }
    app.store
        .insert_applications(&applications, &app.stamp("fixture"))
        .await
        .unwrap();
    let clerk = actor("clerk", Role::CaseOfficer);
    let none = YearFigures {
        licensing: Some(0),
        punishment: Some(0),
        enforcement: Some(0),
        fees_wan_yuan: Some(0.into()),
    };
    register::save_figures(app, &clerk, 2023, &none)
        .await
        .unwrap();
    // The 2023 report, from these records, submitted and approved along the review chain.
    // A 人民政府's report states 工作考核、社会评议和责任追究 (第五十条第（四）项): written by hand.
    let written = AnnualReport::first(street.code.clone(), 2023)
        .edit(
            &actor("clerk", Role::CaseOfficer),
            SectionKind::Problems,
            "（一）存在的主要问题\n政务公开的深度和公开形式仍有提升空间。\n（二）改进情况\n持续梳理主动公开基本目录。\n（三）工作考核、社会评议和责任追究结果情况\n县政府办公室对本镇政府信息公开工作进行了年度考核；未开展社会评议；未发生责任追究情况。",
        )
        .unwrap();
    let first = Versioned {
        value: written,
        version: 0,
    };
    let id = annual::submit(app, &clerk, street, &first).await.unwrap();
    approve_along_the_chain(app, street, id).await;
}

/// A draft sent into review by the clerk and approved along the whole chain: public.
pub async fn publish_draft(app: &App<SqliteStore>, street: &Agency, id: u64) {
    let p = app
        .store
        .publication(&street.code, id)
        .await
        .unwrap()
        .unwrap();
    let clerk = actor("clerk", Role::CaseOfficer);
    publications::act_on(app, &clerk, street, &p, PublicationAction::Submit, None)
        .await
        .unwrap();
    approve_along_the_chain(app, street, id).await;
}

/// 科室审核 (reviewer), 保密审查 (secrecy), 负责人签发 (head): the street's review chain.
async fn approve_along_the_chain(app: &App<SqliteStore>, street: &Agency, id: u64) {
    for (who, role) in [
        ("reviewer", Role::Reviewer),
        ("secrecy", Role::SecrecyReviewer),
        ("head", Role::OfficeHead),
    ] {
        let p = app
            .store
            .publication(&street.code, id)
            .await
            .unwrap()
            .unwrap();
        let approve = PublicationAction::approve_with("经审查同意公开");
        publications::act_on(app, &actor(who, role), street, &p, approve, None)
            .await
            .unwrap();
    }
}

/// This year's 行政复议 over 2026-D0003 (still open), a training and a deputy's suggestion.
async fn seed_report_facts(app: &App<SqliteStore>) {
    let clerk = actor("clerk", Role::CaseOfficer);
    let appeal = records::NewAppeal {
        kind: AppealKind::Reconsideration,
        application: ApplicationNumber::parse("2026-D0003").unwrap(),
        filed_on: date("2026-11-20"),
        body: "示例县人民政府".into(),
        case_number: "示复〔2026〕5号".into(),
    };
    records::add_appeal(app, &clerk, appeal).await.unwrap();
    records::add_training(
        app,
        &clerk,
        date("2026-04-16"),
        "政务公开业务培训",
        Some(30),
    )
    .await
    .unwrap();
    records::add_proposal(
        app,
        &clerk,
        ProposalKind::DeputySuggestion,
        date("2026-04-08"),
        "关于公开镇区道路改造计划的建议",
        Some(date("2026-06-05")),
    )
    .await
    .unwrap();
}

/// 2026-D0001 being handled (its receipt issued), 2026-D0002 under review, 2026-D0003 received
/// long ago (too late for a 补正 request), and the online 2026-W0001 with one attachment.
async fn seed_this_year(app: &App<SqliteStore>, street: &Agency) -> String {
    let clerk = actor("clerk", Role::CaseOfficer);
    let cases = [
        (
            "2026-11-02",
            APPLICANT,
            APPLICANT_ID17,
            "城关镇2026年财政预算",
        ),
        (
            "2026-11-09",
            "王五",
            "11010519850303301",
            "人民路拓宽工程批复",
        ),
        (
            "2026-10-12",
            "赵六",
            "11010519750404401",
            "老旧小区改造计划",
        ),
    ];
    for (i, (received, name, id17, content)) in cases.into_iter().enumerate() {
        let paper = PaperApplication {
            applicant: person(name, id17, APPLICANT_PHONE),
            channel: Channel::InPerson,
            received: date(received),
            content: content.into(),
            wanted_form: "纸质文本，自行领取".into(),
            department: Some("党政办公室".into()),
        };
        let (mut case, receipt) = register_paper(app, &clerk, street, paper).await.unwrap();
        assert!(receipt, "the fixture's agency numbers its letters");
        case = act_on(app, &clerk, street, &case, Action::StartHandling, None)
            .await
            .unwrap();
        if i == 1 {
            let answer = Action::SubmitAnswer {
                outcome: Outcome::Disclosed,
                text: "经查，予以公开。".into(),
                referral: None,
                attachments: Vec::new(),
            };
            act_on(app, &clerk, street, &case, answer, None)
                .await
                .unwrap();
        }
    }
    let file = Upload {
        name: "身份证.pdf".into(),
        bytes: b"%PDF-1.4 fixture".to_vec(),
    };
    let (_, code) = record_online(
        app,
        street,
        person("孙七", "11010519950505501", "13700000000"),
        "城关镇2026年民生实事项目清单",
        "电子文档（在线下载）",
        &[file],
    )
    .await
    .unwrap();
    code
}

/// How far along its review chain a fixture publication goes.
#[derive(Clone, Copy, PartialEq)]
enum Stage {
    Draft,
    /// Approved by the 科室, waiting for 保密审查.
    AtSecrecy,
    Public,
    /// Public, then 废止.
    Repealed,
    /// Approved, to be released two working days from now.
    Scheduled,
}

/// Items at every stage (three public, one repealed, one at 保密审查, a draft written long ago,
/// one scheduled), besides the 2023 report published before them.
async fn seed_publications(app: &App<SqliteStore>, street: &Agency) {
    let clerk = actor("clerk", Role::CaseOfficer);
    let items = [
        (
            "城关镇2026年部门预算",
            "财政信息/预算决算",
            "财政所",
            "2026-11-20",
            Stage::Public,
        ),
        (
            "城关镇人民政府主要职责",
            "机构职能",
            "党政办公室",
            "2026-11-02",
            Stage::Public,
        ),
        (
            "城关镇老旧小区改造工作方案",
            "政策文件/其他文件",
            "党政办公室",
            "2026-11-10",
            Stage::Public,
        ),
        (
            "城关镇集市管理办法",
            "政策文件/规范性文件",
            "党政办公室",
            "2026-03-02",
            Stage::Repealed,
        ),
        (
            "人民路沿街立面整治方案",
            "重点领域/城乡建设",
            "党政办公室",
            "2026-11-24",
            Stage::AtSecrecy,
        ),
        (
            "城关镇防汛应急预案",
            "政务动态",
            "党政办公室",
            "2026-09-01",
            Stage::Draft,
        ),
        (
            "城关镇冬季供暖安排",
            "政务动态",
            "财政所",
            "2026-11-25",
            Stage::Scheduled,
        ),
    ];
    for (title, category, department, written, stage) in items {
        let release_on = (stage == Stage::Scheduled).then(|| {
            app.calendar()
                .add_working_days(app.today(), 2)
                .unwrap()
                .date
        });
        let draft = Draft {
            title: title.into(),
            body: vec![format!("{title}全文。")],
            category: category.into(),
            topic: "综合政务".into(),
            written_on: date(written),
            changed_on: None,
            doc_number: None,
            channels: vec!["政府网站".into()],
            release_on,
            department: Some(department.into()),
            catalog_entry: None,
            attachments: Vec::new(),
            interprets: None,
        };
        let p = publications::draft(app, &clerk, street, draft)
            .await
            .unwrap();
        if stage == Stage::Draft {
            continue;
        }
        let submit = PublicationAction::Submit;
        let (p, _) = publications::act_on(app, &clerk, street, &p, submit, None)
            .await
            .unwrap();
        if stage == Stage::AtSecrecy {
            let reviewer = actor("reviewer", Role::Reviewer);
            let approve = PublicationAction::approve_with("经审查同意公开");
            publications::act_on(app, &reviewer, street, &p, approve, None)
                .await
                .unwrap();
            continue;
        }
        approve_along_the_chain(app, street, p.id).await;
        if stage == Stage::Repealed {
            let p = app
                .store
                .publication(&street.code, p.id)
                .await
                .unwrap()
                .unwrap();
            let repeal = PublicationAction::ChangeValidity {
                validity: Validity::Repealed(date("2026-10-01")),
            };
            publications::act_on(app, &clerk, street, &p, repeal, None)
                .await
                .unwrap();
        }
    }
}
