//! Activities (党建 / 志愿服务 / 团建) with the staff who took part, and evidence files: each
//! stored once by its SHA-256, linked to what it is evidence of.

use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

use crate::{ActivityKind, Reader, StoreError, StoreResult, WriteTx};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ActivityRow {
    pub id: i64,
    pub kind: ActivityKind,
    pub title: String,
    pub starts_on: String,
    pub ends_on: String,
    pub place: String,
    pub organiser: String,
    pub participants: i64,
    pub description: String,
    /// Usernames of the staff who took part.
    pub staff: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct NewActivity<'a> {
    pub kind: ActivityKind,
    pub title: &'a str,
    pub starts_on: &'a str,
    pub ends_on: &'a str,
    pub place: &'a str,
    pub organiser: &'a str,
    pub participants: i64,
    pub description: &'a str,
    pub staff: &'a [String],
    pub created_by: &'a str,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EvidenceRow {
    pub sha256: String,
    pub size: i64,
    pub mime: String,
    pub name: String,
    pub uploaded_by: String,
    pub uploaded_at: i64,
}

fn activity_row(r: &Row<'_>) -> rusqlite::Result<ActivityRow> {
    Ok(ActivityRow {
        id: r.get(0)?,
        kind: r.get(1)?,
        title: r.get(2)?,
        starts_on: r.get(3)?,
        ends_on: r.get(4)?,
        place: r.get(5)?,
        organiser: r.get(6)?,
        participants: r.get(7)?,
        description: r.get(8)?,
        staff: Vec::new(),
    })
}

fn evidence_row(r: &Row<'_>) -> rusqlite::Result<EvidenceRow> {
    Ok(EvidenceRow {
        sha256: r.get(0)?,
        size: r.get(1)?,
        mime: r.get(2)?,
        name: r.get(3)?,
        uploaded_by: r.get(4)?,
        uploaded_at: r.get(5)?,
    })
}

const ACTIVITY_SELECT: &str = "SELECT id, kind, title, starts_on, ends_on, place, organiser, participants, description FROM activities";

impl Reader<'_> {
    /// The activity with the usernames of the staff who took part.
    fn with_staff(&self, mut a: ActivityRow) -> StoreResult<ActivityRow> {
        a.staff = self
            .conn
            .prepare_cached(
                "SELECT u.username FROM activity_staff a JOIN users u ON u.id = a.user_id WHERE a.activity_id = ?1 ORDER BY u.username",
            )?
            .query_map([a.id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(a)
    }
}

const EVIDENCE_COLUMNS: &str = "e.sha256, e.size, e.mime, e.name, e.uploaded_by, e.uploaded_at";

impl ActivitiesReads for Reader<'_> {
    fn activities(&self, from: &str, to: &str) -> StoreResult<Vec<ActivityRow>> {
        let sql = format!(
            "{ACTIVITY_SELECT} WHERE starts_on <= ?2 AND ends_on >= ?1 ORDER BY starts_on, id"
        );
        let rows: Vec<ActivityRow> = self
            .conn
            .prepare_cached(&sql)?
            .query_map([from, to], activity_row)?
            .collect::<Result<_, _>>()?;
        rows.into_iter().map(|a| self.with_staff(a)).collect()
    }

    fn activity(&self, id: i64) -> StoreResult<Option<ActivityRow>> {
        let sql = format!("{ACTIVITY_SELECT} WHERE id = ?1");
        let row = self
            .conn
            .prepare_cached(&sql)?
            .query_row([id], activity_row)
            .optional()?;
        row.map(|a| self.with_staff(a)).transpose()
    }

    fn evidence(&self, sha256: &str) -> StoreResult<Option<EvidenceRow>> {
        let sql = format!("SELECT {EVIDENCE_COLUMNS} FROM evidence_files e WHERE e.sha256 = ?1");
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([sha256], evidence_row)
            .optional()?)
    }

    fn evidence_of(&self, subject: &str) -> StoreResult<Vec<EvidenceRow>> {
        let sql = format!(
            "SELECT {EVIDENCE_COLUMNS} FROM evidence_links l JOIN evidence_files e ON e.sha256 = l.sha256
             WHERE l.subject = ?1 ORDER BY l.linked_at, e.sha256"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([subject], evidence_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn all_evidence(&self) -> StoreResult<Vec<EvidenceRow>> {
        let sql = format!(
            "SELECT {EVIDENCE_COLUMNS} FROM evidence_files e ORDER BY e.uploaded_at, e.sha256"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], evidence_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl ActivitiesWrites for WriteTx<'_> {
    fn insert_activity(&mut self, a: &NewActivity<'_>, at: i64) -> StoreResult<i64> {
        self.tx
            .prepare_cached(
                "INSERT INTO activities (kind, title, starts_on, ends_on, place, organiser, participants, description, created_by, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![a.kind, a.title, a.starts_on, a.ends_on, a.place, a.organiser, a.participants, a.description, a.created_by, at])?;
        let id = self.tx.last_insert_rowid();
        for username in a.staff {
            let user: i64 = self
                .tx
                .prepare_cached("SELECT id FROM users WHERE username = ?1")?
                .query_row([username], |r| r.get(0))
                .optional()?
                .ok_or_else(|| StoreError::not_found(format!("user {username}")))?;
            self.tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO activity_staff (activity_id, user_id) VALUES (?1, ?2)",
                )?
                .execute(params![id, user])?;
        }
        Ok(id)
    }

    fn insert_evidence(&mut self, e: &EvidenceRow) -> StoreResult<bool> {
        let n = self
            .tx
            .prepare_cached(
                "INSERT OR IGNORE INTO evidence_files (sha256, size, mime, name, uploaded_by, uploaded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![e.sha256, e.size, e.mime, e.name, e.uploaded_by, e.uploaded_at])?;
        Ok(n == 1)
    }

    fn link_evidence(&mut self, sha256: &str, subject: &str, by: &str, at: i64) -> StoreResult<()> {
        self.tx
            .prepare_cached(
                "INSERT OR IGNORE INTO evidence_links (sha256, subject, linked_by, linked_at) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![sha256, subject, by, at])?;
        Ok(())
    }
}

/// The reads of activities and evidence. SQLite implements it on [`Reader`](crate::Reader).
pub trait ActivitiesReads {
    /// Activities that took place (at least partly) between two days.
    fn activities(&self, from: &str, to: &str) -> StoreResult<Vec<ActivityRow>>;
    fn activity(&self, id: i64) -> StoreResult<Option<ActivityRow>>;
    fn evidence(&self, sha256: &str) -> StoreResult<Option<EvidenceRow>>;
    /// The evidence linked to a subject (`finding:12`, `visit:3`, `activity:5`).
    fn evidence_of(&self, subject: &str) -> StoreResult<Vec<EvidenceRow>>;
    fn all_evidence(&self) -> StoreResult<Vec<EvidenceRow>>;
}

/// The writes of activities and evidence.
pub trait ActivitiesWrites {
    fn insert_activity(&mut self, a: &NewActivity<'_>, at: i64) -> StoreResult<i64>;
    /// Records a file once; false when the same content was stored before.
    fn insert_evidence(&mut self, e: &EvidenceRow) -> StoreResult<bool>;
    fn link_evidence(&mut self, sha256: &str, subject: &str, by: &str, at: i64) -> StoreResult<()>;
}
