//! Who is asking: a person with a role, or a sales terminal. Authorization decisions are
//! made here, once, and used by every use case and by the web route table.

use std::fmt;
use std::str::FromStr;

use crate::error::AppError;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Admin,
    Finance,
    Operations,
    Welfare,
    Auditor,
    StationOwner,
    StationClerk,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Admin,
        Role::Finance,
        Role::Operations,
        Role::Welfare,
        Role::Auditor,
        Role::StationOwner,
        Role::StationClerk,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Finance => "finance",
            Role::Operations => "operations",
            Role::Welfare => "welfare",
            Role::Auditor => "auditor",
            Role::StationOwner => "station_owner",
            Role::StationClerk => "station_clerk",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Role::Admin => "系统管理员",
            Role::Finance => "财务",
            Role::Operations => "运营",
            Role::Welfare => "公益金管理",
            Role::Auditor => "审计",
            Role::StationOwner => "站点业主",
            Role::StationClerk => "站点销售员",
        }
    }

    /// Roles bound to one station.
    pub fn is_station_role(self) -> bool {
        matches!(self, Role::StationOwner | Role::StationClerk)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Role {
    type Err = AppError;
    fn from_str(s: &str) -> Result<Role, AppError> {
        Role::ALL
            .into_iter()
            .find(|r| r.code() == s)
            .ok_or_else(|| {
                AppError::invalid(
                    "role",
                    format!(
                        "'{s}' is not a role ({})",
                        Role::ALL.map(|r| r.code()).join(", ")
                    ),
                )
            })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Principal {
    User {
        id: i64,
        username: String,
        role: Role,
        station_id: Option<i64>,
    },
    Terminal {
        id: i64,
        code: String,
        station_id: i64,
    },
}

/// Who may call a route or use case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// A sales terminal (its own credentials, never a person's).
    Terminal,
    /// People with one of these roles; station roles only for their own station.
    Roles(&'static [Role]),
    /// A sales terminal, or people with one of these roles (e.g. a prize paid at a station
    /// or at the district center).
    TerminalOr(&'static [Role]),
}

/// Center staff who may read every station's sales.
pub const SALES_READERS: &[Role] = &[
    Role::Admin,
    Role::Finance,
    Role::Operations,
    Role::Auditor,
    Role::StationOwner,
    Role::StationClerk,
];
pub const REGISTER_EDITORS: &[Role] = &[Role::Admin, Role::Operations];
pub const REGISTER_READERS: &[Role] = &[
    Role::Admin,
    Role::Operations,
    Role::Finance,
    Role::Auditor,
    Role::Welfare,
];
pub const LEDGER_READERS: &[Role] = &[Role::Admin, Role::Finance, Role::Auditor];
pub const ADMINS: &[Role] = &[Role::Admin];
pub const ALL_STAFF: &[Role] = &Role::ALL;

impl Principal {
    pub fn actor(&self) -> String {
        match self {
            Principal::User { username, .. } => format!("user:{username}"),
            Principal::Terminal { code, .. } => format!("terminal:{code}"),
        }
    }

    /// Checks `access`; `station` is the station the request is about, if any.
    pub fn allows(&self, access: Access, station: Option<i64>) -> bool {
        match (access, self) {
            (Access::Public, _) => true,
            (Access::Terminal | Access::TerminalOr(_), Principal::Terminal { station_id, .. }) => {
                station.is_none_or(|s| s == *station_id)
            }
            (
                Access::Roles(roles) | Access::TerminalOr(roles),
                Principal::User {
                    role, station_id, ..
                },
            ) => {
                roles.contains(role)
                    && (!role.is_station_role() || station.is_none_or(|s| Some(s) == *station_id))
            }
            _ => false,
        }
    }

    pub fn require(&self, access: Access, station: Option<i64>) -> Result<(), AppError> {
        if self.allows(access, station) {
            Ok(())
        } else {
            Err(AppError::forbidden(match station {
                Some(_) => "this account may not act for that station",
                None => "this account may not do that",
            }))
        }
    }
}
