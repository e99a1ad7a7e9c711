//! People: login, sessions, user administration; terminals' credentials; ledger and audit
//! reads for the roles allowed to see them.

use crate::clock::now_ms;
use fucai_store::TerminalStatus;
use fucai_store::{LedgerCheck, StoreError};
use serde::Serialize;

use crate::auth::{
    hash_password, random_token, same_digest, token_hash, verify_password_of, MIN_PASSWORD_CHARS,
};
use crate::error::{AppError, AppResult};
use crate::principal::{Access, Principal, Role, ADMINS, LEDGER_READERS};
use crate::{AccountBalance, App};

#[derive(Clone, Debug, Serialize)]
pub struct LoginOutcome {
    /// The session token for the cookie (never shown again).
    #[serde(skip)]
    pub token: String,
    pub csrf_token: String,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub station: Option<String>,
    pub expires_at_ms: i64,
}

#[derive(Clone, Debug)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub role: String,
    pub station: Option<String>,
}

fn principal_of(user: &fucai_store::UserRow) -> AppResult<Principal> {
    Ok(Principal::User {
        id: user.id,
        username: user.username.clone(),
        role: user.role.parse()?,
        station_id: user.station_id,
    })
}

impl App {
    /// Checks a password; five failures for an account (or fifty from one address) within
    /// 15 minutes lock further attempts for the rest of the window.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        address: &str,
    ) -> AppResult<LoginOutcome> {
        let user = self.check_password(username, password, address)?;
        let now = now_ms();
        let token = random_token(32);
        let csrf = random_token(16);
        let expires = now + self.session_ttl_ms;
        let (hash, csrf_stored, user_id, actor) = (
            token_hash(&token),
            csrf.clone(),
            user.id,
            format!("user:{}", user.username),
        );
        self.writes
            .run(move |tx| {
                tx.insert_session(&hash, user_id, &csrf_stored, now, expires)?;
                tx.audit(now, &actor, "session.login", &actor, b"")?;
                Ok(())
            })
            .await?;
        Ok(LoginOutcome {
            token,
            csrf_token: csrf,
            username: user.username,
            display_name: user.display_name,
            role: user.role,
            station: user.station_code,
            expires_at_ms: expires,
        })
    }

    /// Checks a person's password for the command line (same limits as a login, no session).
    pub fn authenticate(&self, username: &str, password: &str) -> AppResult<Principal> {
        principal_of(&self.check_password(username, password, "cli")?)
    }

    /// The account whose password this is. Every attempt is counted against the account and
    /// the source before the password is checked, and an unknown or inactive account costs
    /// the same argon2 work as a wrong password.
    fn check_password(
        &self,
        username: &str,
        password: &str,
        source: &str,
    ) -> AppResult<fucai_store::UserRow> {
        let attempt = self.limiter.begin(username, source, now_ms())?;
        let user = match self.store.read(|r| r.user_by_name(username)) {
            Ok(u) => Some(u),
            Err(StoreError::NotFound { .. }) => None,
            Err(e) => return Err(e.into()),
        };
        let right = verify_password_of(password, user.as_ref().map(|u| u.password_hash.as_str()));
        match user {
            Some(u) if right && u.active => {
                attempt.succeeded();
                Ok(u)
            }
            _ => Err(AppError::Unauthenticated),
        }
    }

    /// The station code of a signed-in person of a station role (as their login showed it).
    pub fn station_of(&self, who: &Principal) -> AppResult<Option<String>> {
        match who {
            Principal::User { username, .. } => {
                Ok(self.store.read(|r| r.user_by_name(username))?.station_code)
            }
            Principal::Terminal { .. } => Ok(None),
        }
    }

    pub async fn logout(&self, token: &str) -> AppResult<()> {
        let hash = token_hash(token);
        self.writes
            .run(move |tx| Ok(tx.delete_session(&hash)?))
            .await
    }

    /// The principal of a session cookie, with its CSRF token.
    pub fn session(&self, token: &str) -> AppResult<(Principal, String)> {
        let session = self
            .store
            .read(|r| r.session(&token_hash(token), now_ms()))?
            .ok_or(AppError::Unauthenticated)?;
        Ok((principal_of(&session.user)?, session.csrf_token))
    }

    /// The principal of a terminal presenting `code` and its secret.
    pub fn terminal(&self, code: &str, secret: &str) -> AppResult<Principal> {
        let terminal = match self.reference.terminal(&*self.store, code) {
            Ok(t) => t,
            Err(StoreError::NotFound { .. }) => return Err(AppError::Unauthenticated),
            Err(e) => return Err(e.into()),
        };
        if terminal.status != TerminalStatus::Active
            || !same_digest(&terminal.secret_hash, &token_hash(secret))
        {
            return Err(AppError::Unauthenticated);
        }
        Ok(Principal::Terminal {
            id: terminal.id,
            code: terminal.code,
            station_id: terminal.station_id,
        })
    }

    pub async fn create_user(&self, who: &Principal, new: NewUser) -> AppResult<()> {
        who.require(Access::Roles(ADMINS), None)?;
        let role: Role = new.role.parse()?;
        validate_username(&new.username)?;
        if new.password.chars().count() < MIN_PASSWORD_CHARS {
            return Err(AppError::invalid(
                "password",
                format!("at least {MIN_PASSWORD_CHARS} characters"),
            ));
        }
        if role.is_station_role() != new.station.is_some() {
            return Err(AppError::invalid(
                "station",
                "station roles need a station; other roles have none",
            ));
        }
        let hash = hash_password(&new.password)?;
        let actor = who.actor();
        self.writes
            .run(move |tx| {
                let now = now_ms();
                tx.insert_user(
                    &new.username,
                    &new.display_name,
                    &hash,
                    role.code(),
                    new.station.as_deref(),
                )?;
                tx.audit(
                    now,
                    &actor,
                    "user.create",
                    &new.username,
                    role.code().as_bytes(),
                )?;
                Ok(())
            })
            .await
    }

    pub fn balances(&self, who: &Principal) -> AppResult<Vec<AccountBalance>> {
        who.require(Access::Roles(LEDGER_READERS), None)?;
        Ok(self.store.read(|r| r.balances())?)
    }

    pub fn verify_ledger(&self, who: &Principal) -> AppResult<LedgerCheck> {
        who.require(Access::Roles(LEDGER_READERS), None)?;
        Ok(self.store.read(|r| r.verify_ledger())?)
    }
}

pub(crate) fn validate_username(name: &str) -> AppResult<()> {
    if name.is_empty()
        || name.len() > 32
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-')
    {
        return Err(AppError::invalid(
            "username",
            "1–32 characters of a–z 0–9 _ . -",
        ));
    }
    Ok(())
}
