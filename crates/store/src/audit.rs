//! The audit log: a hash chain. Each record's hash covers its fields and the previous hash,
//! so an edited, inserted or deleted row breaks the chain from that point on.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::{Reader, StoreResult, WriteTx};

/// Hash of the (empty) chain before the first record.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Head {
    pub id: i64,
    pub hash: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditRecord {
    pub id: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub payload_hash: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The first broken link found by `verify_audit`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditBreak {
    pub id: i64,
    pub reason: String,
}

fn audit_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditRecord> {
    Ok(AuditRecord {
        id: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        action: r.get(3)?,
        object: r.get(4)?,
        payload_hash: r.get(5)?,
        prev_hash: r.get(6)?,
        hash: r.get(7)?,
    })
}

pub(crate) fn head(conn: &rusqlite::Connection) -> StoreResult<Head> {
    let row: Option<(i64, String)> = conn
        .query_row(
            "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(row.map_or(
        Head {
            id: 0,
            hash: GENESIS_HASH.into(),
        },
        |(id, hash)| Head { id, hash },
    ))
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

fn link_hash(
    id: i64,
    at: i64,
    actor: &str,
    action: &str,
    object: &str,
    payload_hash: &str,
    prev_hash: &str,
) -> String {
    // Length-prefixed fields: no two different records serialise alike.
    let mut h = Sha256::new();
    for field in [
        id.to_string().as_str(),
        at.to_string().as_str(),
        actor,
        action,
        object,
        payload_hash,
        prev_hash,
    ] {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field.as_bytes());
    }
    hex::encode(h.finalize())
}

impl AuditWrites for WriteTx<'_> {
    fn audit(
        &mut self,
        at: i64,
        actor: &str,
        action: &str,
        object: &str,
        payload: &[u8],
    ) -> StoreResult<()> {
        let id = self.audit_head.id + 1;
        let payload_hash = sha256_hex(payload);
        let hash = link_hash(
            id,
            at,
            actor,
            action,
            object,
            &payload_hash,
            &self.audit_head.hash,
        );
        self.tx
            .prepare_cached("INSERT INTO audit_log (id, at, actor, action, object, payload_hash, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")?
            .execute(params![id, at, actor, action, object, payload_hash, self.audit_head.hash, hash])?;
        *self.audit_head = Head { id, hash };
        Ok(())
    }
}

impl AuditReads for Reader<'_> {
    fn verify_audit(&self) -> StoreResult<(i64, Option<AuditBreak>)> {
        let mut stmt = self.conn.prepare("SELECT id, at, actor, action, object, payload_hash, prev_hash, hash FROM audit_log ORDER BY id")?;
        let mut rows = stmt.query([])?;
        let mut expected_prev = GENESIS_HASH.to_string();
        let mut expected_id = 1;
        let mut count = 0;
        while let Some(r) = rows.next()? {
            let rec = audit_row(r)?;
            count += 1;
            let broken = |reason: String| Ok((count, Some(AuditBreak { id: rec.id, reason })));
            if rec.id != expected_id {
                return broken(format!(
                    "record {expected_id} is missing (next is {})",
                    rec.id
                ));
            }
            if rec.prev_hash != expected_prev {
                return broken("its previous-hash does not match the record before it".into());
            }
            let recomputed = link_hash(
                rec.id,
                rec.at,
                &rec.actor,
                &rec.action,
                &rec.object,
                &rec.payload_hash,
                &rec.prev_hash,
            );
            if recomputed != rec.hash {
                return broken("its content does not match its hash (edited)".into());
            }
            expected_prev = rec.hash;
            expected_id += 1;
        }
        Ok((count, None))
    }

    fn audit_tail(&self, limit: usize) -> StoreResult<Vec<AuditRecord>> {
        let mut stmt = self.conn.prepare_cached("SELECT id, at, actor, action, object, payload_hash, prev_hash, hash FROM audit_log ORDER BY id DESC LIMIT ?1")?;
        let rows = stmt.query_map([limit as i64], audit_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// The writes (inside a write transaction) of the audit hash chain. SQLite implements it on
/// [`WriteTx`](crate::WriteTx); another backend implements it on its own handle.
pub trait AuditWrites {
    /// Appends one record to the chain.
    fn audit(
        &mut self,
        at: i64,
        actor: &str,
        action: &str,
        object: &str,
        payload: &[u8],
    ) -> StoreResult<()>;
}

/// The reads of the audit hash chain. SQLite implements it on [`Reader`](crate::Reader); another
/// backend implements it on its own handle.
pub trait AuditReads {
    /// Walks the chain from the start; returns the number of records and the first break.
    fn verify_audit(&self) -> StoreResult<(i64, Option<AuditBreak>)>;
    fn audit_tail(&self, limit: usize) -> StoreResult<Vec<AuditRecord>>;
}
