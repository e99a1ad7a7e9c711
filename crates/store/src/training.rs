//! Training sessions and their attendance.

use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

use crate::registers::duplicate;
use crate::{Reader, StoreError, StoreResult, TrainingKind, WriteTx};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TrainingSessionRow {
    pub id: i64,
    pub kind: TrainingKind,
    pub topic: String,
    pub held_on: String,
    pub place: String,
    pub trainer: String,
    /// The exam's pass mark (0–100); `None`: no exam.
    pub pass_score: Option<i64>,
    pub created_by: String,
    /// People who attended.
    pub attendees: i64,
}

#[derive(Clone, Debug)]
pub struct NewTrainingSession<'a> {
    pub kind: TrainingKind,
    pub topic: &'a str,
    pub held_on: &'a str,
    pub place: &'a str,
    pub trainer: &'a str,
    pub pass_score: Option<i64>,
    pub created_by: &'a str,
}

/// One attendance: a station person's or a staff member's, with the session's facts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AttendanceRow {
    pub session_id: i64,
    pub kind: TrainingKind,
    pub topic: String,
    pub held_on: String,
    pub pass_score: Option<i64>,
    pub score: Option<i64>,
    /// A station person's id, name, station and town.
    pub person_id: Option<i64>,
    pub person_name: Option<String>,
    pub station_code: Option<String>,
    pub town_code: Option<String>,
    /// A staff member's username.
    pub username: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NewAttendance {
    Person {
        id: i64,
        score: Option<i64>,
    },
    Staff {
        username: String,
        score: Option<i64>,
    },
}

const SESSION_COLUMNS: &str =
    "t.id, t.kind, t.topic, t.held_on, t.place, t.trainer, t.pass_score, t.created_by,
    (SELECT COUNT(*) FROM training_attendance a WHERE a.session_id = t.id)";

fn session_row(r: &Row<'_>) -> rusqlite::Result<TrainingSessionRow> {
    Ok(TrainingSessionRow {
        id: r.get(0)?,
        kind: r.get(1)?,
        topic: r.get(2)?,
        held_on: r.get(3)?,
        place: r.get(4)?,
        trainer: r.get(5)?,
        pass_score: r.get(6)?,
        created_by: r.get(7)?,
        attendees: r.get(8)?,
    })
}

const ATTENDANCE_SELECT: &str = "SELECT t.id, t.kind, t.topic, t.held_on, t.pass_score, a.score,
        p.id, p.name, s.code, w.code, u.username
    FROM training_attendance a JOIN training_sessions t ON t.id = a.session_id
    LEFT JOIN station_people p ON p.id = a.person_id LEFT JOIN stations s ON s.id = p.station_id
    LEFT JOIN towns w ON w.id = s.town_id LEFT JOIN users u ON u.id = a.user_id";

fn attendance_row(r: &Row<'_>) -> rusqlite::Result<AttendanceRow> {
    Ok(AttendanceRow {
        session_id: r.get(0)?,
        kind: r.get(1)?,
        topic: r.get(2)?,
        held_on: r.get(3)?,
        pass_score: r.get(4)?,
        score: r.get(5)?,
        person_id: r.get(6)?,
        person_name: r.get(7)?,
        station_code: r.get(8)?,
        town_code: r.get(9)?,
        username: r.get(10)?,
    })
}

impl TrainingReads for Reader<'_> {
    fn training_sessions(&self, from: &str, to: &str) -> StoreResult<Vec<TrainingSessionRow>> {
        let sql = format!(
            "SELECT {SESSION_COLUMNS} FROM training_sessions t WHERE t.held_on BETWEEN ?1 AND ?2 ORDER BY t.held_on, t.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([from, to], session_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn training_session(&self, id: i64) -> StoreResult<TrainingSessionRow> {
        let sql = format!("SELECT {SESSION_COLUMNS} FROM training_sessions t WHERE t.id = ?1");
        self.conn
            .prepare_cached(&sql)?
            .query_row([id], session_row)
            .optional()?
            .ok_or_else(|| StoreError::not_found(format!("training session #{id}")))
    }

    fn attendance_between(&self, from: &str, to: &str) -> StoreResult<Vec<AttendanceRow>> {
        let sql = format!(
            "{ATTENDANCE_SELECT} WHERE t.held_on BETWEEN ?1 AND ?2 ORDER BY t.held_on, a.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([from, to], attendance_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn session_attendance(&self, session_id: i64) -> StoreResult<Vec<AttendanceRow>> {
        let sql = format!("{ATTENDANCE_SELECT} WHERE a.session_id = ?1 ORDER BY a.id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([session_id], attendance_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn staff_attendance(&self, username: &str) -> StoreResult<Vec<AttendanceRow>> {
        let sql = format!("{ATTENDANCE_SELECT} WHERE u.username = ?1 ORDER BY t.held_on, a.id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([username], attendance_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl TrainingWrites for WriteTx<'_> {
    fn insert_training_session(&mut self, t: &NewTrainingSession<'_>, at: i64) -> StoreResult<i64> {
        self.tx
            .prepare_cached(
                "INSERT INTO training_sessions (kind, topic, held_on, place, trainer, pass_score, created_by, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![t.kind, t.topic, t.held_on, t.place, t.trainer, t.pass_score, t.created_by, at])?;
        Ok(self.tx.last_insert_rowid())
    }

    fn insert_attendance(&mut self, session_id: i64, a: &NewAttendance) -> StoreResult<()> {
        let (person, user, score, who) = match a {
            NewAttendance::Person { id, score } => {
                let exists: bool = self
                    .tx
                    .prepare_cached("SELECT EXISTS (SELECT 1 FROM station_people WHERE id = ?1)")?
                    .query_row([id], |r| r.get(0))?;
                if !exists {
                    return Err(StoreError::not_found(format!("station person #{id}")));
                }
                (Some(*id), None, *score, format!("station person #{id}"))
            }
            NewAttendance::Staff { username, score } => {
                let id: i64 = self
                    .tx
                    .prepare_cached("SELECT id FROM users WHERE username = ?1")?
                    .query_row([username], |r| r.get(0))
                    .optional()?
                    .ok_or_else(|| StoreError::not_found(format!("user {username}")))?;
                (None, Some(id), *score, format!("user {username}"))
            }
        };
        self.tx
            .prepare_cached(
                "INSERT INTO training_attendance (session_id, person_id, user_id, score) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![session_id, person, user, score])
            .map_err(duplicate(format!("{who} in training session #{session_id}")))?;
        Ok(())
    }
}

/// The reads of training sessions and attendance. SQLite implements it on
/// [`Reader`](crate::Reader); another backend implements it on its own handle.
pub trait TrainingReads {
    /// Sessions held between two dates (YYYY-MM-DD, both included).
    fn training_sessions(&self, from: &str, to: &str) -> StoreResult<Vec<TrainingSessionRow>>;
    fn training_session(&self, id: i64) -> StoreResult<TrainingSessionRow>;
    /// Every attendance at sessions held between two dates.
    fn attendance_between(&self, from: &str, to: &str) -> StoreResult<Vec<AttendanceRow>>;
    fn session_attendance(&self, session_id: i64) -> StoreResult<Vec<AttendanceRow>>;
    /// A staff member's training record.
    fn staff_attendance(&self, username: &str) -> StoreResult<Vec<AttendanceRow>>;
}

/// The writes of training sessions and attendance.
pub trait TrainingWrites {
    fn insert_training_session(&mut self, t: &NewTrainingSession<'_>, at: i64) -> StoreResult<i64>;
    /// Records one attendance; a person twice at one session is a duplicate.
    fn insert_attendance(&mut self, session_id: i64, a: &NewAttendance) -> StoreResult<()>;
}
