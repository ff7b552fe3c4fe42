//! The small world the router tests start from — theirs alone, so the demo may change without
//! breaking a test. 示例县人民政府 (`district`) over 城关镇人民政府 (`street`, where the staff
//! work); one user per role; this year's cases in the states the tests act on; four answered
//! cases of 2023 for the statistics; one publication along the review chain. Made through the
//! same use cases staff use, on the harness's fixed clock (Friday 2026-11-27).

use gongkai_domain::{
    Action, Actor, Agency, AgencyCode, AgencyLevel, Applicant, Application, ApplicationNumber,
    Channel, NewApplication, OfficeDetails, Role, User, UserName,
    identity::{CreditCode, IdDocument, ResidentId},
    publication::{Draft, Publication, PublicationAction},
    store::prelude::*,
};
use gongkai_law::{ApplicantKind, Date, Outcome, parse_date};
use gongkai_store::SqliteStore;
use gongkai_web::{
    App, security,
    uploads::Upload,
    usecases::{
        applications::{PaperApplication, act_on, record_online, register_paper},
        numbering::{self, Series},
        publications,
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
    let hash = security::hash_password(PASSWORD).unwrap();
    for (name, display, agency, role) in [
        ("admin", "王管理", STREET, Role::Administrator),
        ("clerk", "李经办", STREET, Role::CaseOfficer),
        ("reviewer", "张审核", STREET, Role::Reviewer),
        ("secrecy", "赵保密", STREET, Role::SecrecyReviewer),
        ("supervisor", "刘监督", DISTRICT, Role::Supervisor),
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
    seed_publication(app, &street).await;
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

/// Publication 1, drafted by the clerk and released along the review chain.
async fn seed_publication(app: &App<SqliteStore>, street: &Agency) {
    let clerk = actor("clerk", Role::CaseOfficer);
    let draft = Draft {
        title: "城关镇2026年部门预算".into(),
        body: vec!["城关镇2026年部门预算及说明。".into()],
        category: "财政信息/预算决算".into(),
        topic: "财政".into(),
        written_on: date("2026-11-20"),
        doc_number: None,
        channels: vec!["政府网站".into()],
        release_on: None,
        department: Some("财政所".into()),
        catalog_entry: None,
        attachments: Vec::new(),
    };
    let id = numbering::next(app, &street.code, Series::Publications)
        .await
        .unwrap();
    let p = Publication::new(
        street.code.clone(),
        id,
        &street.name,
        &clerk,
        draft,
        street.settings.review_chain.clone(),
    )
    .unwrap();
    app.store
        .add_publication(&p, &app.stamp("clerk"))
        .await
        .unwrap();
    let mut p = app
        .store
        .publication(&street.code, id)
        .await
        .unwrap()
        .unwrap();
    for (who, role, action) in [
        ("clerk", Role::CaseOfficer, PublicationAction::Submit),
        ("reviewer", Role::Reviewer, PublicationAction::Approve),
        ("secrecy", Role::SecrecyReviewer, PublicationAction::Approve),
        ("reviewer", Role::Reviewer, PublicationAction::Approve),
    ] {
        p = publications::act_on(app, &actor(who, role), street, &p, action, None)
            .await
            .unwrap()
            .0;
    }
}
