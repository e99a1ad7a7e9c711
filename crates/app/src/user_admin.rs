//! Administering people's accounts after creation: deactivate (their sessions end at once)
//! and reactivate, reset a password (the first password shown once), change a role — admin
//! only, each audited. An admin cannot lock themselves out this way.

use crate::auth::{hash_password, random_token};
use crate::clock::now_ms;
use crate::error::{AppError, AppResult};
use crate::principal::{Access, Principal, Role, ADMINS};
use crate::App;

impl App {
    fn not_oneself(&self, who: &Principal, username: &str, what: &str) -> AppResult<()> {
        match who {
            Principal::User { username: me, .. } if me == username => Err(AppError::Refused(
                format!("an admin may not {what} their own account"),
            )),
            _ => Ok(()),
        }
    }

    /// Deactivates (`active = false`: sign-in refused, sessions ended) or reactivates an account.
    pub async fn set_user_active(
        &self,
        who: &Principal,
        username: &str,
        active: bool,
    ) -> AppResult<()> {
        who.require(Access::Roles(ADMINS), None)?;
        if !active {
            self.not_oneself(who, username, "deactivate")?;
        }
        let (actor, username) = (who.actor(), username.to_string());
        self.writes
            .run(move |tx| {
                tx.set_user_active(&username, active)?;
                let action = if active {
                    "user.activate"
                } else {
                    "user.deactivate"
                };
                tx.audit(now_ms(), &actor, action, &username, b"")?;
                Ok(())
            })
            .await
    }

    /// A new random first password for an account, returned once; the person's sessions end.
    pub async fn reset_password(&self, who: &Principal, username: &str) -> AppResult<String> {
        who.require(Access::Roles(ADMINS), None)?;
        let password = random_token(8);
        let hash = hash_password(&password)?;
        let (actor, username) = (who.actor(), username.to_string());
        self.writes
            .run(move |tx| {
                tx.set_user_password(&username, &hash)?;
                tx.audit(now_ms(), &actor, "user.reset_password", &username, b"")?;
                Ok(())
            })
            .await?;
        Ok(password)
    }

    /// Gives an account another role (a station role needs its station); sessions end.
    pub async fn change_role(
        &self,
        who: &Principal,
        username: &str,
        role: &str,
        station: Option<&str>,
    ) -> AppResult<()> {
        who.require(Access::Roles(ADMINS), None)?;
        let role: Role = role.parse()?;
        if role.is_station_role() != station.is_some() {
            return Err(AppError::invalid(
                "station",
                "station roles need a station; other roles have none",
            ));
        }
        if role != Role::Admin {
            self.not_oneself(who, username, "give up the admin role of")?;
        }
        let (actor, username, station) = (
            who.actor(),
            username.to_string(),
            station.map(str::to_string),
        );
        self.writes
            .run(move |tx| {
                tx.set_user_role(&username, role.code(), station.as_deref())?;
                tx.audit(
                    now_ms(),
                    &actor,
                    "user.role",
                    &username,
                    format!("{} {}", role.code(), station.as_deref().unwrap_or("")).as_bytes(),
                )?;
                Ok(())
            })
            .await
    }
}
