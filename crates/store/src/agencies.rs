//! Agencies (机关), staff (用户) and their credentials: password hashes, sessions and API
//! tokens, kept as hashes only.

use gongkai_domain::{
    Agency, AgencyCode, DomainError, User, UserName,
    access::{AccessKind, AccessToken, access_token_from},
    audit::AuditRecord,
    store::{AgencyStore, Stamp, StoreError, StoreResult},
};
use serde_json::Value;

use crate::{
    SqlStore, code,
    dialect::{Dialect, Row, conflict_if_duplicate, db, sql},
    to_json,
};

fn agency_from<DB: Dialect>(row: &Row<DB>) -> StoreResult<Agency> {
    Ok(Agency {
        code: AgencyCode::parse(&row.get::<String>(0)?)?,
        name: row.get(1)?,
        level: serde_json::from_value(Value::String(row.get(2)?))
            .map_err(|e| StoreError::corrupt("agency level", e))?,
        parent: row
            .get::<Option<String>>(3)?
            .map(|p| AgencyCode::parse(&p))
            .transpose()?,
        settings: row.json(4, "agency settings")?,
    })
}

fn user_from<DB: Dialect>(row: &Row<DB>) -> StoreResult<User> {
    Ok(User {
        name: UserName::parse(&row.get::<String>(0)?)?,
        agency: AgencyCode::parse(&row.get::<String>(1)?)?,
        display_name: row.get(2)?,
        roles: row.json(3, "user roles")?,
        active: row.get(4)?,
    })
}

impl<DB: Dialect> SqlStore<DB> {
    async fn agency_exists(conn: &mut DB::Connection, code: &AgencyCode) -> StoreResult<bool> {
        Ok(sql::<DB>("SELECT 1 FROM agencies WHERE code = $1")
            .bind(code.as_str())
            .fetch_optional(conn)
            .await?
            .is_some())
    }

    async fn user_in(conn: &mut DB::Connection, name: &UserName) -> StoreResult<User> {
        let sql_text =
            "SELECT name, agency, display_name, roles, active FROM users WHERE name = $1";
        sql::<DB>(sql_text)
            .bind(name.as_str())
            .fetch_optional(conn)
            .await?
            .as_ref()
            .map(user_from)
            .transpose()?
            .ok_or_else(|| DomainError::NotFound(format!("用户 {name} 不存在")).into())
    }
}

impl<DB: Dialect> AgencyStore for SqlStore<DB> {
    async fn add_agency(&self, agency: &Agency, stamp: &Stamp) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        if let Some(parent) = &agency.parent
            && !Self::agency_exists(&mut tx, parent).await?
        {
            return Err(
                DomainError::NotFound(format!("上级机关 {parent} 不存在，请先添加")).into(),
            );
        }
        sql::<DB>("INSERT INTO agencies (code, name, level, parent, settings) VALUES ($1, $2, $3, $4, $5)")
            .bind(agency.code.as_str())
            .bind(agency.name.as_str())
            .bind(code(&agency.level))
            .bind(agency.parent.as_ref().map(AgencyCode::to_string))
            .bind(to_json(&agency.settings).to_string())
            .try_execute(&mut tx)
            .await
            .map_err(conflict_if_duplicate(format!("机关代码 {} 已存在", agency.code)))?;
        let record = AuditRecord::new(
            stamp,
            agency.code.as_str(),
            "agency.add",
            agency.code.as_str(),
            Value::Null,
            to_json(agency),
        );
        Self::audit(&mut tx, record).await?;
        tx.commit().await.map_err(db)
    }

    async fn agency(&self, code: &AgencyCode) -> StoreResult<Option<Agency>> {
        let row =
            sql::<DB>("SELECT code, name, level, parent, settings FROM agencies WHERE code = $1")
                .bind(code.as_str())
                .read_optional(&self.readers)
                .await?;
        row.as_ref().map(agency_from).transpose()
    }

    async fn agencies(&self) -> StoreResult<Vec<Agency>> {
        let rows =
            sql::<DB>("SELECT code, name, level, parent, settings FROM agencies ORDER BY code")
                .read_all(&self.readers)
                .await?;
        rows.iter().map(agency_from).collect()
    }

    async fn update_agency(&self, agency: &Agency, stamp: &Stamp) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let before =
            sql::<DB>("SELECT code, name, level, parent, settings FROM agencies WHERE code = $1")
                .bind(agency.code.as_str())
                .fetch_optional(&mut tx)
                .await?
                .as_ref()
                .map(agency_from)
                .transpose()?
                .ok_or_else(|| DomainError::NotFound(format!("机关 {} 不存在", agency.code)))?;
        if before.parent != agency.parent || before.level != agency.level {
            return Err(DomainError::invalid("机关", "不能在此更改上级机关或层级").into());
        }
        sql::<DB>("UPDATE agencies SET name = $1, settings = $2 WHERE code = $3")
            .bind(agency.name.as_str())
            .bind(to_json(&agency.settings).to_string())
            .bind(agency.code.as_str())
            .execute(&mut tx)
            .await?;
        let record = AuditRecord::new(
            stamp,
            agency.code.as_str(),
            "agency.update",
            agency.code.as_str(),
            to_json(&before),
            to_json(agency),
        );
        Self::audit(&mut tx, record).await?;
        tx.commit().await.map_err(db)
    }

    async fn add_user(&self, user: &User, stamp: &Stamp) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        if !Self::agency_exists(&mut tx, &user.agency).await? {
            return Err(DomainError::NotFound(format!("机关 {} 不存在", user.agency)).into());
        }
        sql::<DB>("INSERT INTO users (name, agency, display_name, roles, active) VALUES ($1, $2, $3, $4, $5)")
            .bind(user.name.as_str())
            .bind(user.agency.as_str())
            .bind(user.display_name.as_str())
            .bind(to_json(&user.roles).to_string())
            .bind(user.active)
            .try_execute(&mut tx)
            .await
            .map_err(conflict_if_duplicate(format!("用户名 {} 已存在", user.name)))?;
        let record = AuditRecord::new(
            stamp,
            user.agency.as_str(),
            "user.add",
            user.name.as_str(),
            Value::Null,
            to_json(user),
        );
        Self::audit(&mut tx, record).await?;
        tx.commit().await.map_err(db)
    }

    async fn user(&self, name: &UserName) -> StoreResult<Option<User>> {
        let row = sql::<DB>(
            "SELECT name, agency, display_name, roles, active FROM users WHERE name = $1",
        )
        .bind(name.as_str())
        .read_optional(&self.readers)
        .await?;
        row.as_ref().map(user_from).transpose()
    }

    async fn users(&self, agency: Option<&AgencyCode>) -> StoreResult<Vec<User>> {
        let rows = sql::<DB>("SELECT name, agency, display_name, roles, active FROM users WHERE ($1 IS NULL OR agency = $1) ORDER BY name")
            .bind(agency.map(AgencyCode::to_string))
            .read_all(&self.readers)
            .await?;
        rows.iter().map(user_from).collect()
    }

    async fn set_user_active(
        &self,
        name: &UserName,
        active: bool,
        stamp: &Stamp,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let before = Self::user_in(&mut tx, name).await?;
        sql::<DB>("UPDATE users SET active = $1 WHERE name = $2")
            .bind(active)
            .bind(name.as_str())
            .execute(&mut tx)
            .await?;
        if !active {
            sql::<DB>("DELETE FROM access_tokens WHERE user_name = $1")
                .bind(name.as_str())
                .execute(&mut tx)
                .await?;
        }
        let after = User {
            active,
            ..before.clone()
        };
        let action = if active {
            "user.enable"
        } else {
            "user.disable"
        };
        let record = AuditRecord::new(
            stamp,
            before.agency.as_str(),
            action,
            name.as_str(),
            to_json(&before),
            to_json(&after),
        );
        Self::audit(&mut tx, record).await?;
        tx.commit().await.map_err(db)
    }

    async fn set_password(
        &self,
        name: &UserName,
        password_hash: &str,
        stamp: &Stamp,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let user = Self::user_in(&mut tx, name).await?;
        sql::<DB>("INSERT INTO credentials (user_name, password_hash) VALUES ($1, $2) ON CONFLICT (user_name) DO UPDATE SET password_hash = excluded.password_hash")
            .bind(name.as_str())
            .bind(password_hash)
            .execute(&mut tx)
            .await?;
        // A new password ends every way in the old one opened: sessions and API tokens.
        let revoked = sql::<DB>("DELETE FROM access_tokens WHERE user_name = $1")
            .bind(name.as_str())
            .execute(&mut tx)
            .await?;
        let record = AuditRecord::new(
            stamp,
            user.agency.as_str(),
            "user.set_password",
            name.as_str(),
            Value::Null,
            serde_json::json!({ "revoked_sessions_and_tokens": revoked }),
        );
        Self::audit(&mut tx, record).await?;
        tx.commit().await.map_err(db)
    }

    async fn password_hash(&self, name: &UserName) -> StoreResult<Option<String>> {
        sql::<DB>("SELECT password_hash FROM credentials WHERE user_name = $1")
            .bind(name.as_str())
            .read_optional(&self.readers)
            .await?
            .map(|r| r.get(0))
            .transpose()
    }

    async fn add_access_token(&self, token: &AccessToken, stamp: &Stamp) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let user = Self::user_in(&mut tx, &token.user).await?;
        sql::<DB>("INSERT INTO access_tokens (hash, kind, user_name, created_at, expires_at, name) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(token.hash.as_str())
            .bind(token.kind.code())
            .bind(token.user.as_str())
            .bind(token.created_at.to_string())
            .bind(token.expires_at.map(|t| t.to_string()))
            .bind(token.name.as_str())
            .execute(&mut tx)
            .await?;
        let action = match token.kind {
            AccessKind::Session => "user.login",
            AccessKind::ApiToken => "user.create_api_token",
        };
        let record = AuditRecord::new(
            stamp,
            user.agency.as_str(),
            action,
            token.user.as_str(),
            Value::Null,
            Value::Null,
        );
        Self::audit(&mut tx, record).await?;
        tx.commit().await.map_err(db)
    }

    async fn access_token(&self, hash: &str) -> StoreResult<Option<AccessToken>> {
        let Some(row) = sql::<DB>("SELECT hash, kind, user_name, created_at, expires_at, name FROM access_tokens WHERE hash = $1")
            .bind(hash)
            .read_optional(&self.readers)
            .await?
        else {
            return Ok(None);
        };
        let expires_at: Option<String> = row.get(4)?;
        let token = access_token_from(
            row.get(0)?,
            &row.get::<String>(1)?,
            &row.get::<String>(2)?,
            &row.get::<String>(3)?,
            expires_at.as_deref(),
            &row.get::<String>(5)?,
        );
        token
            .map(Some)
            .map_err(|e| StoreError::corrupt("access token", e))
    }

    async fn api_tokens(&self, user: &UserName) -> StoreResult<Vec<AccessToken>> {
        let rows = sql::<DB>("SELECT hash, kind, user_name, created_at, expires_at, name FROM access_tokens WHERE user_name = $1 AND kind = 'api_token' ORDER BY created_at, hash")
            .bind(user.as_str())
            .read_all(&self.readers)
            .await?;
        rows.iter()
            .map(|row| {
                let expires_at: Option<String> = row.get(4)?;
                access_token_from(
                    row.get(0)?,
                    &row.get::<String>(1)?,
                    &row.get::<String>(2)?,
                    &row.get::<String>(3)?,
                    expires_at.as_deref(),
                    &row.get::<String>(5)?,
                )
                .map_err(|e| StoreError::corrupt("access token", e))
            })
            .collect()
    }

    async fn remove_access_token(&self, hash: &str) -> StoreResult<()> {
        sql::<DB>("DELETE FROM access_tokens WHERE hash = $1")
            .bind(hash)
            .write(&self.writer)
            .await?;
        Ok(())
    }
}
