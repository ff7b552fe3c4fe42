//! Staff users and their roles. Every action checks the actor's role and agency.

use serde::{Deserialize, Serialize};

use crate::{AgencyCode, DomainError, UserName};

/// 角色
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 经办人 — registers and handles applications.
    CaseOfficer,
    /// 审核人 — approves answers (科室负责人、分管负责人、主要负责人).
    Reviewer,
    /// 负责人 — 政府信息公开工作机构负责人: agrees to an extension (第三十三条第二款), signs
    /// publications off in the standard review chain.
    OfficeHead,
    /// 保密审查员 — secrecy review of what is published.
    SecrecyReviewer,
    /// 管理员 — users, roles and agency settings.
    Administrator,
    /// 上级公开办 — reads the agency's subtree.
    Supervisor,
    /// 系统管理员 — what is the same for every agency on this installation: the State Council
    /// holiday notices. Granted by the CLI (`gongkai admin user add … --role system_admin`) or
    /// another system administrator, never by an agency's 管理员.
    SystemAdministrator,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Self::CaseOfficer,
        Self::Reviewer,
        Self::OfficeHead,
        Self::SecrecyReviewer,
        Self::Administrator,
        Self::Supervisor,
        Self::SystemAdministrator,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::CaseOfficer => "经办人",
            Self::Reviewer => "审核人",
            Self::OfficeHead => "负责人",
            Self::SecrecyReviewer => "保密审查员",
            Self::Administrator => "管理员",
            Self::Supervisor => "上级监督",
            Self::SystemAdministrator => "系统管理员",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::CaseOfficer => "case_officer",
            Self::Reviewer => "reviewer",
            Self::OfficeHead => "office_head",
            Self::SecrecyReviewer => "secrecy_reviewer",
            Self::Administrator => "administrator",
            Self::Supervisor => "supervisor",
            Self::SystemAdministrator => "system_admin",
        }
    }

    /// Accepts the Chinese label or the code.
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let text = text.trim();
        Self::ALL
            .into_iter()
            .find(|r| r.label() == text || r.code() == text)
            .ok_or_else(|| {
                let known: Vec<&str> = Self::ALL.iter().map(|r| r.label()).collect();
                DomainError::invalid(
                    "角色",
                    format!(
                        "「{text}」不是已知角色，应为 {} 之一",
                        known.join("、"),
                        text = gongkai_law::excerpt(text)
                    ),
                )
            })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub name: UserName,
    /// 姓名
    pub display_name: String,
    pub agency: AgencyCode,
    pub roles: Vec<Role>,
    pub active: bool,
}

/// Who is acting: a user, in an agency, with roles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user: UserName,
    pub agency: AgencyCode,
    pub roles: Vec<Role>,
}

impl Actor {
    pub fn of(user: &User) -> Self {
        Self {
            user: user.name.clone(),
            agency: user.agency.clone(),
            roles: user.roles.clone(),
        }
    }

    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Refuses unless the actor works in `agency` and holds `role`.
    pub fn require(&self, agency: &AgencyCode, role: Role, doing: &str) -> Result<(), DomainError> {
        if &self.agency != agency {
            return Err(DomainError::Forbidden(format!(
                "{}不属于{}，不能{}",
                self.user, agency, doing
            )));
        }
        if !self.has(role) {
            return Err(DomainError::Forbidden(format!(
                "{}须由{}办理，{}没有该角色",
                doing,
                role.label(),
                self.user
            )));
        }
        Ok(())
    }
}
