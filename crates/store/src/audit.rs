//! The audit log: a keyed hash chain. Each record's hash is an HMAC-SHA256, under a key kept
//! in a file outside the database, of its fields and the previous hash: an edited, inserted
//! or deleted row breaks the chain from that point on, and someone who can write the
//! database but not read the key cannot recompute the chain after an edit. Deleting the
//! newest records leaves a shorter chain that is still whole; that is caught against a
//! published head ([`AuditHead`]: `/api/v1/public/audit-head`, every sealed draw's manifest).

use std::io::Write;
use std::path::{Path, PathBuf};

use hmac::{Hmac, Mac};
use rand::RngCore;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{Reader, StoreError, StoreResult, WriteTx};

/// The setting that names the first record keyed with [`AuditKey`]: a database created
/// before the chain was keyed keeps its older records' plain SHA-256 links.
const KEYED_FROM_SETTING: &str = "audit_keyed_from";

/// The secret the chain's links are keyed with, and the first record keyed with it.
#[derive(Clone)]
pub struct AuditKey {
    key: Vec<u8>,
    keyed_from: i64,
}

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditKey")
            .field("keyed_from", &self.keyed_from)
            .finish_non_exhaustive()
    }
}

/// Where the audit key of a database lives unless told otherwise: beside it, as
/// `<database>.audit-key` (the operator keeps it readable by fucai only, and backs it up
/// apart from the database).
pub fn default_audit_key_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".audit-key");
    PathBuf::from(name)
}

impl AuditKey {
    /// Reads the key file, creating it (mode 0600) for a database that has no keyed record
    /// yet. A database with keyed records and no key file is refused: a new key would make
    /// its whole chain look forged.
    pub(crate) fn load_or_create(
        conn: &rusqlite::Connection,
        path: &Path,
    ) -> StoreResult<AuditKey> {
        let head = head(conn)?;
        let stored: Option<String> = conn
            .query_row(
                "SELECT value FROM settings WHERE key = ?1",
                [KEYED_FROM_SETTING],
                |r| r.get(0),
            )
            .optional()?;
        let keyed_from = match stored {
            Some(v) => v
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("{KEYED_FROM_SETTING} = {v}")))?,
            None => {
                let from = head.id + 1;
                conn.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",
                    params![KEYED_FROM_SETTING, from.to_string()],
                )?;
                from
            }
        };
        let io = |what: &str| {
            let what = format!("{what} {}", path.display());
            move |source| StoreError::Io { what, source }
        };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if head.id >= keyed_from {
                    return Err(StoreError::Corrupt(format!(
                        "the audit chain is keyed but its key file {} is missing; restore it from its backup",
                        path.display()
                    )));
                }
                create_key_file(path).map_err(io("creating the audit key file"))?
            }
            Err(e) => return Err(io("reading the audit key file")(e)),
        };
        let key = hex::decode(text.trim())
            .ok()
            .filter(|k| k.len() == 32)
            .ok_or_else(|| {
                StoreError::Corrupt(format!("{} is not a 32-byte hex key", path.display()))
            })?;
        Ok(AuditKey { key, keyed_from })
    }

    /// The key of record `id`'s link, or none for a record from before the chain was keyed.
    fn for_record(&self, id: i64) -> Option<&[u8]> {
        (id >= self.keyed_from).then_some(self.key.as_slice())
    }
}

/// Writes a new random key; if another process created the file first, reads theirs.
fn create_key_file(path: &Path) -> std::io::Result<String> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let text = hex::encode(bytes);
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(mut file) => {
            file.write_all(format!("{text}\n").as_bytes())?;
            file.sync_all()?;
            Ok(text)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => std::fs::read_to_string(path),
        Err(e) => Err(e),
    }
}

/// The chain's newest record as it is published, so that anyone holding a copy can later
/// tell whether records up to it were removed or rewritten.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditHead {
    /// Records in the chain (the newest record's id).
    pub count: i64,
    /// When the newest record was written (Unix ms); 0 for an empty chain.
    pub at_ms: i64,
    /// The newest record's hash.
    pub hash: String,
}

/// Hash of the (empty) chain before the first record.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Head {
    pub id: i64,
    pub hash: String,
}

/// Which records an audit log page lists.
#[derive(Clone, Debug, Default)]
pub struct AuditQuery {
    /// Actions starting with this (e.g. `grant.`).
    pub action: Option<String>,
    pub actor: Option<String>,
    /// Objects containing this.
    pub object: Option<String>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    pub limit: usize,
    pub offset: usize,
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

/// The hash of a record's link (every field but its own hash).
fn link_hash(key: Option<&[u8]>, rec: &AuditRecord) -> String {
    // Length-prefixed fields: no two different records serialise alike.
    let mut fields = Vec::new();
    for field in [
        rec.id.to_string().as_str(),
        rec.at.to_string().as_str(),
        &rec.actor,
        &rec.action,
        &rec.object,
        &rec.payload_hash,
        &rec.prev_hash,
    ] {
        fields.extend_from_slice(&(field.len() as u64).to_be_bytes());
        fields.extend_from_slice(field.as_bytes());
    }
    match key {
        Some(key) => {
            let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
            mac.update(&fields);
            hex::encode(mac.finalize().into_bytes())
        }
        None => sha256_hex(&fields),
    }
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
        let mut rec = AuditRecord {
            id,
            at,
            actor: actor.to_string(),
            action: action.to_string(),
            object: object.to_string(),
            payload_hash: sha256_hex(payload),
            prev_hash: self.audit_head.hash.clone(),
            hash: String::new(),
        };
        rec.hash = link_hash(self.audit_key.for_record(id), &rec);
        self.tx
            .prepare_cached("INSERT INTO audit_log (id, at, actor, action, object, payload_hash, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")?
            .execute(params![rec.id, rec.at, rec.actor, rec.action, rec.object, rec.payload_hash, rec.prev_hash, rec.hash])?;
        let hash = rec.hash;
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
            let recomputed = link_hash(self.audit_key.for_record(rec.id), &rec);
            if recomputed != rec.hash {
                return broken(
                    "its content does not match its keyed hash (edited, or re-hashed without the key)"
                        .into(),
                );
            }
            expected_prev = rec.hash;
            expected_id += 1;
        }
        Ok((count, None))
    }

    fn audit_head(&self) -> StoreResult<AuditHead> {
        let row: Option<(i64, i64, String)> = self
            .conn
            .prepare_cached("SELECT id, at, hash FROM audit_log ORDER BY id DESC LIMIT 1")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        Ok(row.map_or(
            AuditHead {
                count: 0,
                at_ms: 0,
                hash: GENESIS_HASH.into(),
            },
            |(count, at_ms, hash)| AuditHead { count, at_ms, hash },
        ))
    }

    fn audit_record(&self, id: i64) -> StoreResult<Option<AuditRecord>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id, at, actor, action, object, payload_hash, prev_hash, hash FROM audit_log WHERE id = ?1")?
            .query_row([id], audit_row)
            .optional()?)
    }

    fn audit_records(&self, action: &str, object_prefix: &str) -> StoreResult<Vec<AuditRecord>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, at, actor, action, object, payload_hash, prev_hash, hash FROM audit_log
             WHERE action = ?1 AND substr(object, 1, length(?2)) = ?2 ORDER BY id",
        )?;
        let rows = stmt.query_map(params![action, object_prefix], audit_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn audit_page(&self, q: &AuditQuery) -> StoreResult<(i64, Vec<AuditRecord>)> {
        let action = q.action.as_deref().map(|a| format!("{a}%"));
        let actor = q.actor.as_deref();
        let object = q.object.as_deref().map(|o| format!("%{o}%"));
        let filter = "(?1 IS NULL OR action LIKE ?1) AND (?2 IS NULL OR actor = ?2) AND (?3 IS NULL OR object LIKE ?3) AND (?4 IS NULL OR at >= ?4) AND (?5 IS NULL OR at < ?5)";
        let total: i64 = self
            .conn
            .prepare_cached(&format!("SELECT COUNT(*) FROM audit_log WHERE {filter}"))?
            .query_row(params![action, actor, object, q.from_ms, q.to_ms], |r| {
                r.get(0)
            })?;
        let mut stmt = self.conn.prepare_cached(&format!("SELECT id, at, actor, action, object, payload_hash, prev_hash, hash FROM audit_log WHERE {filter} ORDER BY id DESC LIMIT ?6 OFFSET ?7"))?;
        let rows = stmt.query_map(
            params![
                action,
                actor,
                object,
                q.from_ms,
                q.to_ms,
                q.limit as i64,
                q.offset as i64
            ],
            audit_row,
        )?;
        Ok((total, rows.collect::<Result<_, _>>()?))
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
    /// The newest record, as published.
    fn audit_head(&self) -> StoreResult<AuditHead>;
    fn audit_record(&self, id: i64) -> StoreResult<Option<AuditRecord>>;
    /// The records of one action whose object starts with `object_prefix`, oldest first.
    fn audit_records(&self, action: &str, object_prefix: &str) -> StoreResult<Vec<AuditRecord>>;
    fn audit_tail(&self, limit: usize) -> StoreResult<Vec<AuditRecord>>;
    /// One page of the log, newest first, and how many records match in all.
    fn audit_page(&self, q: &AuditQuery) -> StoreResult<(i64, Vec<AuditRecord>)>;
}
