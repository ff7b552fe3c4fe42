//! Administration of an agency by its 管理员: staff accounts (added with a password, enabled or
//! disabled, passwords reset), the agency's settings (letters, 指南, review chain, 索引号), and
//! loading a State Council holiday notice into the calendar every server uses.

use gongkai_domain::{
    Actor, Agency, AgencyCode, AgencySettings, Role, User, UserName, store::Store,
};
use gongkai_law::HolidayNotice;

use crate::{app::App, error::WebError, security::hash_password};

fn require_admin(admin: &Actor) -> Result<(), WebError> {
    Ok(admin.require(&admin.agency, Role::Administrator, "管理用户和机关设置")?)
}

/// A member of staff of the administrator's own agency (another agency's is not found).
async fn own_user<S: Store>(
    app: &App<S>,
    admin: &Actor,
    name: &UserName,
) -> Result<User, WebError> {
    app.store
        .user(name)
        .await?
        .filter(|u| u.agency == admin.agency)
        .ok_or_else(|| WebError::NotFound(format!("本机关没有用户 {name}")))
}

/// Adds a member of staff to the administrator's agency with one role and a password.
pub async fn add_user<S: Store>(
    app: &App<S>,
    admin: &Actor,
    name: UserName,
    display_name: &str,
    role: Role,
    password: &str,
) -> Result<User, WebError> {
    require_admin(admin)?;
    if role == Role::SystemAdministrator && !admin.has(Role::SystemAdministrator) {
        return Err(WebError::Forbidden(
            "系统管理员（管理全系统的节假日通知）只能由系统管理员或命令行授予".into(),
        ));
    }
    let hash = hash_password(password)?;
    let user = User {
        name,
        display_name: display_name.trim().to_string(),
        agency: admin.agency.clone(),
        roles: vec![role],
        active: true,
    };
    let stamp = app.stamp(admin.user.as_str());
    app.store.add_user(&user, &stamp).await?;
    app.store.set_password(&user.name, &hash, &stamp).await?;
    Ok(user)
}

/// Enables or disables an account (never one's own: an agency keeps its administrator).
pub async fn set_user_active<S: Store>(
    app: &App<S>,
    admin: &Actor,
    name: &UserName,
    active: bool,
) -> Result<(), WebError> {
    require_admin(admin)?;
    let user = own_user(app, admin, name).await?;
    if user.name == admin.user && !active {
        return Err(WebError::Conflict("不能停用自己的账号".into()));
    }
    let stamp = app.stamp(admin.user.as_str());
    Ok(app
        .store
        .set_user_active(&user.name, active, &stamp)
        .await?)
}

pub async fn reset_password<S: Store>(
    app: &App<S>,
    admin: &Actor,
    name: &UserName,
    password: &str,
) -> Result<(), WebError> {
    require_admin(admin)?;
    let user = own_user(app, admin, name).await?;
    let hash = hash_password(password)?;
    let stamp = app.stamp(admin.user.as_str());
    Ok(app.store.set_password(&user.name, &hash, &stamp).await?)
}

/// Changes the agency's settings as `change` says (audited with before and after).
pub async fn update_settings<S: Store>(
    app: &App<S>,
    admin: &Actor,
    change: impl FnOnce(&mut AgencySettings),
) -> Result<Agency, WebError> {
    require_admin(admin)?;
    let mut agency = app.agency(&admin.agency).await?;
    change(&mut agency.settings);
    app.store
        .update_agency(&agency, &app.stamp(admin.user.as_str()))
        .await?;
    Ok(agency)
}

/// Loads a published State Council holiday notice (a 系统管理员's): stored for every server and
/// every agency, audited as a system-wide entry, and this server's calendar rebuilt at once.
pub async fn load_holiday_notice<S: Store>(
    app: &App<S>,
    admin: &Actor,
    notice: &HolidayNotice,
) -> Result<(), WebError> {
    // The notice counts for every agency: not one agency's 管理员's to change (issue #14).
    admin.require(&admin.agency, Role::SystemAdministrator, "加载节假日通知")?;
    if !notice.is_published() {
        return Err(WebError::BadRequest(format!(
            "{}年通知没有任何日期：通知尚未发布时无需加载",
            notice.year
        )));
    }
    let stamp = app.stamp(admin.user.as_str());
    app.store
        .put_calendar_notice(notice.year, &notice.to_json(), &stamp)
        .await?;
    Ok(app.reload_calendar().await?)
}

/// The API tokens of the agency's users (never sessions), by user.
pub async fn agency_tokens<S: Store>(
    app: &App<S>,
    admin: &Actor,
) -> Result<Vec<(User, Vec<gongkai_domain::access::AccessToken>)>, WebError> {
    require_admin(admin)?;
    let mut out = Vec::new();
    for user in app.store.users(Some(&admin.agency)).await? {
        let tokens = app.store.api_tokens(&user.name).await?;
        out.push((user, tokens));
    }
    Ok(out)
}

/// Creates an API token for a user of the agency; the secret is returned to be shown once.
pub async fn create_token<S: Store>(
    app: &App<S>,
    admin: &Actor,
    user: &UserName,
    name: &str,
    days: Option<u32>,
) -> Result<(String, gongkai_domain::access::AccessToken), WebError> {
    require_admin(admin)?;
    let user = own_user(app, admin, user).await?;
    if !user.active {
        return Err(WebError::field("user", format!("{} 已停用", user.name)));
    }
    crate::security::create_api_token(
        &app.store,
        &user,
        name,
        days,
        &app.stamp(admin.user.as_str()),
    )
    .await
}

/// Revokes a token (by its id) of a user of the agency.
pub async fn revoke_token<S: Store>(
    app: &App<S>,
    admin: &Actor,
    user: &UserName,
    id: &str,
) -> Result<String, WebError> {
    require_admin(admin)?;
    let user = own_user(app, admin, user).await?;
    let tokens = app.store.api_tokens(&user.name).await?;
    let token = tokens
        .iter()
        .find(|t| gongkai_domain::access::token_id(t) == id.trim())
        .ok_or_else(|| WebError::NotFound("没有这个接口令牌（可能已吊销）".into()))?;
    app.store.remove_access_token(&token.hash).await?;
    tracing::info!(user = %user.name, "api token revoked");
    Ok(token.name.clone())
}

/// Staff members' 姓名 by login name: pages name people, never their accounts.
pub struct StaffNames(std::collections::HashMap<String, String>);

impl StaffNames {
    /// The 姓名 of an account, or a word saying it is gone.
    pub fn of(&self, user: &UserName) -> String {
        self.0
            .get(user.as_str())
            .cloned()
            .unwrap_or_else(|| "（已删除的用户）".to_string())
    }

    /// The 姓名 of a login name as the audit log records it, if it is a staff account.
    pub fn get(&self, login: &str) -> Option<&str> {
        self.0.get(login).map(String::as_str)
    }
}

/// The agency's staff (or everyone, for views across agencies) by their names.
pub async fn display_names<S: Store>(
    app: &App<S>,
    agency: Option<&AgencyCode>,
) -> Result<StaffNames, WebError> {
    Ok(StaffNames(
        app.store
            .users(agency)
            .await?
            .into_iter()
            .map(|u| (u.name.to_string(), u.display_name))
            .collect(),
    ))
}
