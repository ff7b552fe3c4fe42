//! `gongkai admin …` and `gongkai audit verify`.

use std::process::ExitCode;

use gongkai_domain::{
    Agency, AgencyCode, AgencyLevel, DomainError, Role, User, UserName,
    letters::{self, LetterKind},
    store::Store,
};

use super::{cli_stamp, store_failure};
use crate::{
    cli::{AdminCommand, AgencyCommand, TokenCommand, UserCommand},
    failure::Failure,
};

fn refused(e: DomainError) -> Failure {
    Failure::Refused(e.to_string())
}

pub async fn existing_agency<S: Store>(store: &S, code: &str) -> Result<Agency, Failure> {
    let code = AgencyCode::parse(code).map_err(refused)?;
    store
        .agency(&code)
        .await
        .map_err(store_failure)?
        .ok_or_else(|| refused(DomainError::NotFound(format!("机关 {code} 不存在"))))
}

async fn active_user<S: Store>(store: &S, user: &str) -> Result<gongkai_domain::User, Failure> {
    let name = UserName::parse(user).map_err(refused)?;
    store
        .user(&name)
        .await
        .map_err(store_failure)?
        .filter(|u| u.active)
        .ok_or_else(|| refused(DomainError::NotFound(format!("用户 {name} 不存在或已停用"))))
}

pub async fn run<S: Store>(store: &S, command: AdminCommand) -> Result<ExitCode, Failure> {
    let stamp = cli_stamp();
    match command {
        AdminCommand::Agency(AgencyCommand::Add {
            code,
            name,
            parent,
            level,
        }) => {
            let level = AgencyLevel::parse(&level).ok_or_else(|| {
                refused(DomainError::invalid(
                    "--level",
                    format!("「{level}」不是层级，应为 省级、市级、区县级、乡镇街道 或 部门"),
                ))
            })?;
            let parent = parent
                .as_deref()
                .map(AgencyCode::parse)
                .transpose()
                .map_err(refused)?;
            let agency = Agency::new(
                AgencyCode::parse(&code).map_err(refused)?,
                &name,
                level,
                parent,
            )
            .map_err(refused)?;
            store
                .add_agency(&agency, &stamp)
                .await
                .map_err(store_failure)?;
            println!(
                "已添加机关 {}（{}，{}）",
                agency.code,
                agency.name,
                agency.level.label()
            );
        }
        AdminCommand::Agency(AgencyCommand::Set {
            code,
            name,
            index_prefix,
            letter_prefix,
            reconsideration_body,
            court,
            fee_wait_pauses_clock,
            supplement_period,
            one_person_office,
            fee_payment,
            volume_threshold,
            review_months,
            reconsideration_first,
        }) => {
            let mut agency = existing_agency(store, &code).await?;
            if let Some(name) = name {
                agency.name = Agency::new(agency.code.clone(), &name, agency.level, None)
                    .map_err(refused)?
                    .name;
            }
            let settings = &mut agency.settings;
            for (value, slot) in [
                (index_prefix, &mut settings.index_prefix),
                (letter_prefix, &mut settings.letter_prefix),
                (reconsideration_body, &mut settings.reconsideration_body),
                (court, &mut settings.court),
            ] {
                if let Some(value) = value {
                    *slot = value.trim().to_string();
                }
            }
            if let Some(pauses) = fee_wait_pauses_clock {
                settings.fee_wait_pauses_clock = pauses;
            }
            if let Some(days) = supplement_period {
                settings.supplement_period = gongkai_domain::check_supplement_period(days)
                    .map_err(|e| {
                        gongkai_law::RuleViolation::new(
                            "--supplement-period",
                            e.to_string(),
                            "the 补正 period is 1–60 working days",
                        )
                    })?;
            }
            if let Some(one) = one_person_office {
                settings.one_person_office = one;
            }
            if let Some(text) = fee_payment {
                settings.fee_payment =
                    gongkai_domain::agency::check_fee_payment(&text).map_err(|e| {
                        gongkai_law::RuleViolation::new(
                            "--fee-payment",
                            e.to_string(),
                            "at most 300 characters",
                        )
                    })?;
            }
            if let Some(months) = review_months {
                settings.review_months = gongkai_domain::rereview::check_review_months(months)
                    .map_err(|e| {
                        gongkai_law::RuleViolation::new(
                            "--review-months",
                            e.to_string(),
                            "1–60 months",
                        )
                    })?;
            }
            if let Some(count) = volume_threshold {
                settings.volume_threshold = gongkai_domain::agency::check_volume_threshold(count)
                    .map_err(|e| {
                    gongkai_law::RuleViolation::new(
                        "--volume-threshold",
                        e.to_string(),
                        "1–1000 applications a month",
                    )
                })?;
            }
            if let Some(codes) = reconsideration_first {
                settings.reconsideration_first = codes
                    .split([',', '，'])
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(|c| {
                        gongkai_law::Outcome::from_code(c).ok_or_else(|| {
                            gongkai_law::RuleViolation::new(
                                "--reconsideration-first",
                                format!("「{c}」不是办理结果代码（如 unavailable_not_held）"),
                                "not an outcome code",
                            )
                        })
                    })
                    .collect::<Result<_, _>>()?;
            }
            store
                .update_agency(&agency, &stamp)
                .await
                .map_err(store_failure)?;
            let s = &agency.settings;
            let yes_no = |b: bool| if b { "是" } else { "否" };
            let extra: Vec<&str> = s
                .reconsideration_first
                .iter()
                .map(|o| o.short_label())
                .collect();
            println!(
                "{}（{}）\n  索引号前缀：{}\n  文书编号字头：{}\n  行政复议机关：{}\n  人民法院：{}\n  缴费期间暂停答复期限：{}\n  补正期限：{}个工作日\n  一人办理：{}\n  缴费方式：{}\n  申请件数提示线：每月{}件\n  不予公开信息评估审查周期：{}个月\n  另列为先行复议：{}",
                agency.code,
                agency.name,
                s.index_prefix,
                s.letter_prefix,
                s.reconsideration_body,
                s.court,
                yes_no(s.fee_wait_pauses_clock),
                s.supplement_period,
                yes_no(s.one_person_office),
                if s.fee_payment.is_empty() {
                    "（未设置，不能出具收费通知）"
                } else {
                    s.fee_payment.as_str()
                },
                s.volume_threshold,
                s.review_months,
                if extra.is_empty() {
                    "无".to_string()
                } else {
                    extra.join("、")
                }
            );
        }
        AdminCommand::Agency(AgencyCommand::Template {
            code,
            kind,
            file,
            reset,
        }) => {
            let mut agency = existing_agency(store, &code).await?;
            let kind = LetterKind::parse(&kind).map_err(refused)?;
            if reset || file.is_some() {
                if let Some(file) = file {
                    let template = super::read_input(&file)?;
                    letters::validate_template(&template).map_err(refused)?;
                    agency
                        .settings
                        .letter_templates
                        .insert(kind.code().to_string(), template);
                } else {
                    agency.settings.letter_templates.remove(kind.code());
                }
                store
                    .update_agency(&agency, &stamp)
                    .await
                    .map_err(store_failure)?;
                println!(
                    "已{}{}的模板",
                    if reset { "恢复" } else { "更新" },
                    kind.title()
                );
            } else {
                let template = agency
                    .settings
                    .letter_templates
                    .get(kind.code())
                    .map(String::as_str);
                println!("{}", template.unwrap_or(kind.default_template()));
                eprintln!(
                    "（{}；可用占位符：{}）",
                    if template.is_some() {
                        "本机关自定义模板"
                    } else {
                        "默认模板"
                    },
                    letters::PLACEHOLDERS.map(|p| format!("{{{p}}}")).join("")
                );
            }
        }
        AdminCommand::Agency(AgencyCommand::List) => {
            for agency in store.agencies().await.map_err(store_failure)? {
                let parent = agency
                    .parent
                    .map(|p| format!("，上级 {p}"))
                    .unwrap_or_default();
                println!(
                    "{}\t{}\t{}{}",
                    agency.code,
                    agency.name,
                    agency.level.label(),
                    parent
                );
            }
        }
        AdminCommand::User(UserCommand::Add {
            name,
            agency,
            roles,
            display_name,
        }) => {
            let roles = roles
                .iter()
                .map(|r| Role::parse(r))
                .collect::<Result<Vec<_>, _>>()
                .map_err(refused)?;
            let name = UserName::parse(&name).map_err(refused)?;
            let user = User {
                display_name: display_name.unwrap_or_else(|| name.to_string()),
                name,
                agency: AgencyCode::parse(&agency).map_err(refused)?,
                roles,
                active: true,
            };
            store.add_user(&user, &stamp).await.map_err(store_failure)?;
            let roles: Vec<&str> = user.roles.iter().map(|r| r.label()).collect();
            println!(
                "已添加用户 {}（{}，{}）",
                user.name,
                user.agency,
                roles.join("、")
            );
        }
        AdminCommand::User(UserCommand::List { agency }) => {
            let agency = agency
                .as_deref()
                .map(AgencyCode::parse)
                .transpose()
                .map_err(refused)?;
            for user in store.users(agency.as_ref()).await.map_err(store_failure)? {
                let roles: Vec<&str> = user.roles.iter().map(|r| r.label()).collect();
                let state = if user.active { "启用" } else { "停用" };
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    user.name,
                    user.display_name,
                    user.agency,
                    roles.join("、"),
                    state
                );
            }
        }
        AdminCommand::User(UserCommand::Disable { name }) => {
            store
                .set_user_active(&UserName::parse(&name).map_err(refused)?, false, &stamp)
                .await
                .map_err(store_failure)?;
            println!("已停用用户 {name}");
        }
        AdminCommand::User(UserCommand::Enable { name }) => {
            store
                .set_user_active(&UserName::parse(&name).map_err(refused)?, true, &stamp)
                .await
                .map_err(store_failure)?;
            println!("已启用用户 {name}");
        }
        AdminCommand::User(UserCommand::Password { name }) => {
            let name = UserName::parse(&name).map_err(refused)?;
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .map_err(|e| Failure::io("无法读取标准输入", e))?;
            let hash = gongkai_web::security::hash_password(line.trim_end_matches(['\r', '\n']))
                .map_err(|e| Failure::Refused(e.message()))?;
            store
                .set_password(&name, &hash, &stamp)
                .await
                .map_err(store_failure)?;
            println!("已设置用户 {name} 的密码");
        }
        AdminCommand::Token(TokenCommand::Create { user, name, days }) => {
            let user = active_user(store, &user).await?;
            let (secret, token) =
                gongkai_web::security::create_api_token(store, &user, &name, days, &stamp)
                    .await
                    .map_err(|e| match e {
                        gongkai_web::error::WebError::Field { field, message } => {
                            Failure::BadInput(gongkai_law::RuleViolation::new(
                                format!("--{field}"),
                                message,
                                "see the message",
                            ))
                        }
                        other => Failure::Refused(other.message()),
                    })?;
            eprintln!(
                "已为 {} 创建接口令牌“{}”（编号 {}，有效期至 {}；只显示这一次，请妥善保存）：",
                user.name,
                token.name,
                gongkai_domain::access::token_id(&token),
                token.expires_at.map(|t| t.to_string()).unwrap_or_default()
            );
            println!("{secret}");
        }
        AdminCommand::Token(TokenCommand::List { user }) => {
            let user = UserName::parse(&user).map_err(refused)?;
            let tokens = store.api_tokens(&user).await.map_err(store_failure)?;
            if tokens.is_empty() {
                println!("{user} 没有接口令牌。");
            }
            for t in &tokens {
                println!(
                    "{}\t{}\t创建 {}\t有效期至 {}",
                    gongkai_domain::access::token_id(t),
                    t.name,
                    t.created_at,
                    t.expires_at
                        .map_or_else(|| "不限".to_string(), |e| e.to_string())
                );
            }
        }
        AdminCommand::Token(TokenCommand::Revoke { user, id }) => {
            let user = UserName::parse(&user).map_err(refused)?;
            let tokens = store.api_tokens(&user).await.map_err(store_failure)?;
            let token = tokens
                .iter()
                .find(|t| gongkai_domain::access::token_id(t) == id.trim())
                .ok_or_else(|| {
                    refused(DomainError::NotFound(format!(
                        "{user} 没有编号为 {} 的接口令牌（见 gongkai admin token list --user {user}）",
                        gongkai_law::excerpt(&id)
                    )))
                })?;
            store
                .remove_access_token(&token.hash)
                .await
                .map_err(store_failure)?;
            println!("已吊销 {user} 的接口令牌“{}”。", token.name);
        }
    }
    Ok(ExitCode::SUCCESS)
}
