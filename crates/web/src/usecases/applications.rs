//! 依申请公开: acting on a case (and issuing the letter the action sends), recording online and
//! paper applications under the agency's numbers, the queue with its deadlines.

use gongkai_domain::applicants;
use gongkai_domain::{
    Action, Actor, Agency, Applicant, Application, ApplicationNumber, Channel, NewApplication,
    Role, access::secret_hash, letters::LetterKind, store::Store,
};
use gongkai_law::{Date, Deadline, FeeMethod};
use serde::Deserialize;

use crate::{
    app::App,
    error::WebError,
    letters,
    security::query_code,
    uploads,
    usecases::numbering::{Series, record_application},
};

/// Whether this staff member handles or decides cases (and so may see applicants' personal data).
pub fn handles_cases(actor: &Actor) -> bool {
    actor.has(Role::CaseOfficer) || actor.has(Role::Reviewer) || actor.has(Role::OfficeHead)
}

/// A case of the actor's own agency (another agency's number is simply not found).
pub async fn own_case<S: Store>(
    app: &App<S>,
    actor: &Actor,
    number: &str,
) -> Result<(Agency, Application), WebError> {
    let agency = app.agency(&actor.agency).await?;
    let number =
        ApplicationNumber::parse(number).map_err(|_| WebError::NotFound("没有这件申请".into()))?;
    let application = app
        .store
        .application(&agency.code, &number)
        .await?
        .ok_or_else(|| WebError::NotFound(format!("本机关没有编号为 {number} 的申请")))?;
    Ok((agency, application))
}

/// The files a drafted answer carries (附件): those of the previous draft that staff kept (by
/// their place in it) and the new uploads, checked and kept in the store.
pub async fn answer_files<S: Store>(
    app: &App<S>,
    application: &Application,
    kept: impl Fn(usize) -> bool,
    uploaded: &[uploads::Upload],
) -> Result<Vec<gongkai_domain::Attachment>, WebError> {
    let mut files: Vec<gongkai_domain::Attachment> = application
        .answer
        .iter()
        .flat_map(|a| a.attachments.iter())
        .enumerate()
        .filter(|(i, _)| kept(*i))
        .map(|(_, f)| f.clone())
        .collect();
    files.extend(uploads::keep(&app.store, uploaded).await?);
    Ok(files)
}

/// Applies an action as `actor`, saves it (only if nobody saved the case since `version`),
/// and issues the letter the action sends.
pub async fn act_on<S: Store>(
    app: &App<S>,
    actor: &Actor,
    agency: &Agency,
    application: &Application,
    action: Action,
    version: Option<u64>,
) -> Result<Application, WebError> {
    if let Some(v) = version
        && v != application.version
    {
        return Err(WebError::Conflict(format!(
            "申请 {} 已被他人修改，请查看最新情况后重新操作，您的操作未保存",
            application.number
        )));
    }
    let letter = letters::letter_for(&action);
    let action = match action {
        // 按件计收 counts the applicant's applications of the month from the records, whatever
        // the form or the client said.
        Action::SendFeeNotice {
            date,
            method: FeeMethod::PerApplication,
            ..
        } => Action::SendFeeNotice {
            date,
            method: FeeMethod::PerApplication,
            quantity: applicant_history(app, application).await?.place,
        },
        // The agency's 补正期限 where staff gave none.
        Action::RequestSupplement {
            date,
            what,
            period: None,
        } => Action::RequestSupplement {
            date,
            what,
            period: Some(agency.settings.supplement_period),
        },
        other => other,
    };
    let (changed, event) = application.apply(
        actor,
        action,
        &app.calendar(),
        &agency.settings.case_rules(),
        app.now(),
        app.today(),
    )?;
    let saved = app.store.save_application(&changed, &event).await?;
    tracing::info!(agency = %agency.code, number = %saved.number, action = event.action.code(), "case changed");
    if let Some(kind) = letter {
        letters::issue(app, agency, &saved, kind).await?;
    }
    Ok(saved)
}

/// What the applicant's other applications to this agency say about this one.
pub struct ApplicantHistory {
    /// The applicant's applications other than this one, oldest first.
    pub others: Vec<Application>,
    /// This application's place among the applicant's applications of its month (按件计收).
    pub place: u32,
    /// The applicant's applications in this application's month (第三十五条).
    pub month_count: u32,
    /// An earlier answered request for the same information (第三十六条第（六）项).
    pub repeat_of: Option<Application>,
    /// The suggested record's applications (same name and contact), until staff decide.
    pub suggested: Vec<Application>,
}

pub async fn applicant_history<S: Store>(
    app: &App<S>,
    application: &Application,
) -> Result<ApplicantHistory, WebError> {
    let link = application.applicant_link;
    let mut history = match link {
        Some(link) => {
            app.store
                .applicant_applications(&application.agency, link.id)
                .await?
        }
        None => Vec::new(),
    };
    if !history.iter().any(|a| a.number == application.number) {
        history.push(application.clone());
    }
    let suggested = match link.and_then(|l| l.suggested) {
        Some(id) => {
            app.store
                .applicant_applications(&application.agency, id)
                .await?
        }
        None => Vec::new(),
    };
    Ok(ApplicantHistory {
        place: applicants::place_in_month(application, &history),
        month_count: applicants::month_count(&history, application.received),
        repeat_of: applicants::repeat_of(application, &history).cloned(),
        others: history
            .into_iter()
            .filter(|a| a.number != application.number)
            .collect(),
        suggested,
    })
}

/// One application with its deadline as of today.
pub struct Row {
    pub application: Application,
    pub deadline: Option<Deadline>,
}

impl Row {
    pub fn left(&self) -> Option<i64> {
        self.deadline.as_ref().and_then(|d| d.working_days_left)
    }
}

pub async fn rows<S: Store>(app: &App<S>, agency: &Agency) -> Result<Vec<Row>, WebError> {
    let calendar = app.calendar();
    let today = app.today();
    Ok(app
        .store
        .applications(&agency.code)
        .await?
        .into_iter()
        .map(|application| {
            let deadline = application
                .deadline(
                    &calendar,
                    agency.settings.fee_wait_pauses_clock,
                    Some(today),
                )
                .ok();
            Row {
                application,
                deadline,
            }
        })
        .collect())
}

#[derive(Deserialize, Default)]
pub struct QueueFilter {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub department: String,
}

/// What a queue can be narrowed to: open (also empty), overdue, all, or a state's code.
pub fn queue_states() -> impl Iterator<Item = &'static str> {
    ["", "open", "overdue", "all"]
        .into_iter()
        .chain(gongkai_domain::State::ALL.iter().map(|s| s.code()))
}

pub fn matches(row: &Row, filter: &QueueFilter) -> bool {
    let a = &row.application;
    let state_ok = match filter.state.as_str() {
        "" | "open" => a.state.is_open(),
        "all" => true,
        "overdue" => a.state.is_open() && row.left().is_some_and(|n| n < 0),
        code => a.state.code() == code,
    };
    let q = filter.q.trim();
    let text_ok = q.is_empty()
        || a.number.as_str().contains(q)
        || a.content.contains(q)
        || a.applicant.name.contains(q);
    let department_ok =
        filter.department.is_empty() || a.department.as_deref() == Some(filter.department.as_str());
    state_ok && text_ok && department_ok
}

/// Takes one of today's online submissions for the address and for the applicant: a bound on
/// abuse of the public form and API, not a rule of law — the message points to the other
/// channels (当面、邮寄).
pub async fn take_daily_quota<S: Store>(
    app: &App<S>,
    from: std::net::IpAddr,
    applicant: &Applicant,
) -> Result<(), WebError> {
    let today = app.today();
    // Counted in the database, so that every server behind a balancer counts the same day;
    // kept as hashes (no address or identity number is stored for this).
    let address =
        uploads::sha256_hex(format!("address:{}", crate::client::limit_key(from)).as_bytes());
    if !app
        .store
        .take_quota(today, &address, app.config.public_per_day)
        .await?
    {
        return Err(WebError::Quota(format!(
            "本地址今日在线提交已达{}件，请明日再试，或当面、邮寄提交",
            app.config.public_per_day
        )));
    }
    let keys = applicants::ApplicantKeys::of(applicant);
    let who = keys
        .document
        .unwrap_or_else(|| format!("{}/{}", keys.name, keys.contact));
    let who = uploads::sha256_hex(format!("applicant:{who}").as_bytes());
    if !app
        .store
        .take_quota(today, &who, app.config.applicant_per_day)
        .await?
    {
        return Err(WebError::Quota(format!(
            "同一申请人每日在线提交不超过{}件，请明日再试，或当面、邮寄提交",
            app.config.applicant_per_day
        )));
    }
    Ok(())
}

/// Numbers an online application `2026-W0001` and records it, with its files and the hash of
/// the query code; returns it with the code, which is shown once and never kept.
pub async fn record_online<S: Store>(
    app: &App<S>,
    agency: &Agency,
    applicant: Applicant,
    content: &str,
    wanted_form: &str,
    files: &[uploads::Upload],
) -> Result<(Application, String), WebError> {
    let today = app.today();
    // Checked now, kept with the application in its transaction.
    let attachments = uploads::checked(files)?;
    let kept: Vec<(&str, &[u8])> = attachments
        .iter()
        .zip(files)
        .map(|(a, f)| (a.sha256.as_str(), f.bytes.as_slice()))
        .collect();
    let code = query_code();
    let series = Series::Applications {
        year: today.year(),
        online: true,
    };
    let stamp = app.stamp("portal");
    let application = record_application(app, &agency.code, series, &stamp, &kept, |number| {
        let new = NewApplication {
            number,
            applicant: applicant.clone(),
            channel: Channel::Online,
            received: today,
            content: content.to_string(),
            wanted_form: wanted_form.to_string(),
        };
        let mut application = Application::new(agency.code.clone(), new, app.now(), today)?;
        application.attach(attachments.clone())?;
        application.query_code_sha256 = Some(secret_hash(&code));
        Ok(application)
    })
    .await?;
    Ok((application, code))
}

/// An application that came in person, by post, fax or e-mail, as staff register it.
pub struct PaperApplication {
    pub applicant: Applicant,
    pub channel: Channel,
    /// 收到申请之日 as 第三十一条 sets it for the channel.
    pub received: Date,
    pub content: String,
    pub wanted_form: String,
    pub department: Option<String>,
}

/// Registers a paper application `2026-D0001` and issues its 登记回执 at once; returns it and
/// whether the receipt could be issued (it cannot before the agency sets its 文书编号字头).
pub async fn register_paper<S: Store>(
    app: &App<S>,
    actor: &Actor,
    agency: &Agency,
    paper: PaperApplication,
) -> Result<(Application, bool), WebError> {
    actor.require(&agency.code, Role::CaseOfficer, "登记申请")?;
    let series = Series::Applications {
        year: paper.received.year(),
        online: false,
    };
    let stamp = app.stamp(actor.user.as_str());
    let application = record_application(app, &agency.code, series, &stamp, &[], |number| {
        let new = NewApplication {
            number,
            applicant: paper.applicant.clone(),
            channel: paper.channel,
            received: paper.received,
            content: paper.content.clone(),
            wanted_form: paper.wanted_form.clone(),
        };
        let mut application = Application::new(agency.code.clone(), new, app.now(), app.today())?;
        application.department = paper.department.clone();
        Ok(application)
    })
    .await?;
    let receipt = letters::issue(app, agency, &application, LetterKind::Receipt).await;
    Ok((application, receipt.is_ok()))
}
