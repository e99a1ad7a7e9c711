//! Users and sessions.

use rusqlite::{params, OptionalExtension, Row};

use crate::registers::duplicate;
use crate::{Reader, SessionRow, StoreError, StoreResult, UserRow, WriteTx};

const USER_COLUMNS: &str =
    "u.id, u.username, u.display_name, u.password_hash, u.role, u.station_id, s.code, u.active";

fn user_row(r: &Row<'_>) -> rusqlite::Result<UserRow> {
    Ok(UserRow {
        id: r.get(0)?,
        username: r.get(1)?,
        display_name: r.get(2)?,
        password_hash: r.get(3)?,
        role: r.get(4)?,
        station_id: r.get(5)?,
        station_code: r.get(6)?,
        active: r.get(7)?,
    })
}

impl UsersReads for Reader<'_> {
    fn user_by_name(&self, username: &str) -> StoreResult<UserRow> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u LEFT JOIN stations s ON s.id = u.station_id WHERE u.username = ?1");
        self.conn
            .prepare_cached(&sql)?
            .query_row([username], user_row)
            .optional()?
            .ok_or_else(|| StoreError::not_found(format!("user {username}")))
    }

    fn users(&self) -> StoreResult<Vec<UserRow>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u LEFT JOIN stations s ON s.id = u.station_id ORDER BY u.id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], user_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn session(&self, token_hash: &str, now: i64) -> StoreResult<Option<SessionRow>> {
        let sql = format!(
            "SELECT {USER_COLUMNS}, x.csrf_token, x.expires_at FROM sessions x JOIN users u ON u.id = x.user_id
             LEFT JOIN stations s ON s.id = u.station_id WHERE x.token_hash = ?1 AND x.expires_at > ?2 AND u.active = 1"
        );
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row(params![token_hash, now], |r| {
                Ok(SessionRow {
                    user: user_row(r)?,
                    csrf_token: r.get(8)?,
                    expires_at: r.get(9)?,
                })
            })
            .optional()?)
    }
}

impl UsersWrites for WriteTx<'_> {
    fn insert_user(
        &mut self,
        username: &str,
        display_name: &str,
        password_hash: &str,
        role: &str,
        station_code: Option<&str>,
    ) -> StoreResult<i64> {
        let station = match station_code {
            Some(code) => Some(self.id_of("stations", code)?),
            None => None,
        };
        self.tx
            .prepare_cached("INSERT INTO users (username, display_name, password_hash, role, station_id) VALUES (?1, ?2, ?3, ?4, ?5)")?
            .execute(params![username, display_name, password_hash, role, station])
            .map_err(duplicate(format!("user {username}")))?;
        Ok(self.tx.last_insert_rowid())
    }

    fn insert_session(
        &mut self,
        token_hash: &str,
        user_id: i64,
        csrf_token: &str,
        created_at: i64,
        expires_at: i64,
    ) -> StoreResult<()> {
        self.tx
            .prepare_cached("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)")?
            .execute(params![token_hash, user_id, csrf_token, created_at, expires_at])?;
        // Expired sessions go as new ones come, so the table stays the size of the live ones.
        self.tx
            .prepare_cached("DELETE FROM sessions WHERE expires_at <= ?1")?
            .execute([created_at])?;
        Ok(())
    }

    fn set_user_active(&mut self, username: &str, active: bool) -> StoreResult<()> {
        let id = self.user_id(username)?;
        self.tx
            .prepare_cached("UPDATE users SET active = ?2 WHERE id = ?1")?
            .execute(params![id, active])?;
        if !active {
            self.tx
                .prepare_cached("DELETE FROM sessions WHERE user_id = ?1")?
                .execute([id])?;
        }
        Ok(())
    }

    fn set_user_password(&mut self, username: &str, password_hash: &str) -> StoreResult<()> {
        let id = self.user_id(username)?;
        self.tx
            .prepare_cached("UPDATE users SET password_hash = ?2 WHERE id = ?1")?
            .execute(params![id, password_hash])?;
        // Whoever held the old password holds no session either.
        self.tx
            .prepare_cached("DELETE FROM sessions WHERE user_id = ?1")?
            .execute([id])?;
        Ok(())
    }

    fn set_user_role(
        &mut self,
        username: &str,
        role: &str,
        station_code: Option<&str>,
    ) -> StoreResult<()> {
        let id = self.user_id(username)?;
        let station = match station_code {
            Some(code) => Some(self.id_of("stations", code)?),
            None => None,
        };
        self.tx
            .prepare_cached("UPDATE users SET role = ?2, station_id = ?3 WHERE id = ?1")?
            .execute(params![id, role, station])?;
        self.tx
            .prepare_cached("DELETE FROM sessions WHERE user_id = ?1")?
            .execute([id])?;
        Ok(())
    }

    fn delete_session(&mut self, token_hash: &str) -> StoreResult<()> {
        self.tx
            .prepare_cached("DELETE FROM sessions WHERE token_hash = ?1")?
            .execute([token_hash])?;
        Ok(())
    }
}

/// The reads of user accounts and sessions. SQLite implements it on [`Reader`](crate::Reader);
/// another backend implements it on its own handle.
pub trait UsersReads {
    fn user_by_name(&self, username: &str) -> StoreResult<UserRow>;
    fn users(&self) -> StoreResult<Vec<UserRow>>;
    /// The live session with this token hash, if any.
    fn session(&self, token_hash: &str, now: i64) -> StoreResult<Option<SessionRow>>;
}

/// The writes (inside a write transaction) of user accounts and sessions. SQLite implements it on
/// [`WriteTx`](crate::WriteTx); another backend implements it on its own handle.
pub trait UsersWrites {
    fn insert_user(
        &mut self,
        username: &str,
        display_name: &str,
        password_hash: &str,
        role: &str,
        station_code: Option<&str>,
    ) -> StoreResult<i64>;
    fn insert_session(
        &mut self,
        token_hash: &str,
        user_id: i64,
        csrf_token: &str,
        created_at: i64,
        expires_at: i64,
    ) -> StoreResult<()>;
    fn delete_session(&mut self, token_hash: &str) -> StoreResult<()>;
    /// Deactivating ends the person's sessions at once.
    fn set_user_active(&mut self, username: &str, active: bool) -> StoreResult<()>;
    /// A new password ends the person's sessions.
    fn set_user_password(&mut self, username: &str, password_hash: &str) -> StoreResult<()>;
    /// A new role (and station, for station roles) ends the person's sessions.
    fn set_user_role(
        &mut self,
        username: &str,
        role: &str,
        station_code: Option<&str>,
    ) -> StoreResult<()>;
}

impl WriteTx<'_> {
    fn user_id(&self, username: &str) -> StoreResult<i64> {
        self.tx
            .prepare_cached("SELECT id FROM users WHERE username = ?1")?
            .query_row([username], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::not_found(format!("user {username}")))
    }
}
