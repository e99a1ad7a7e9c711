//! Evidence an insider cannot rewrite: the audit chain checked against every head that was
//! published (the public audit-head answer someone kept, each sealed draw's manifest), so
//! that removing the newest records or rewriting a stretch of the chain is found even by
//! someone who could write the database.

use fucai_settle::{AuditHeadStamp, Manifest};
use fucai_store::{AuditBreak, AuditHead};
use serde::Serialize;

use crate::error::{AppError, AppResult};
use crate::principal::{Access, Principal, Role};
use crate::App;

/// A head as someone kept it, and where it was published.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublishedHead {
    /// Where it came from: a manifest's file name, or what the caller says.
    pub source: String,
    pub head: AuditHead,
}

impl PublishedHead {
    /// A head someone kept (its count and hash; its time is not needed to compare it).
    pub fn kept(source: impl Into<String>, count: i64, hash: String) -> PublishedHead {
        PublishedHead {
            source: source.into(),
            head: AuditHead {
                count,
                at_ms: 0,
                hash,
            },
        }
    }
}

/// The outcome of checking the audit chain.
#[derive(Clone, Debug, Serialize)]
pub struct AuditCheck {
    pub records: i64,
    /// The first broken link of the chain itself.
    pub broken: Option<AuditBreak>,
    /// How many published heads were compared with the chain.
    pub heads_checked: usize,
    /// Each published head the chain no longer agrees with, and how.
    pub head_mismatches: Vec<String>,
}

impl AuditCheck {
    pub fn is_ok(&self) -> bool {
        self.broken.is_none() && self.head_mismatches.is_empty()
    }
}

pub(crate) fn stamp(head: AuditHead) -> AuditHeadStamp {
    AuditHeadStamp {
        count: head.count,
        at_ms: head.at_ms,
        hash: head.hash,
    }
}

impl App {
    /// The audit chain's newest record, for anyone to keep (public).
    pub fn audit_head(&self) -> AppResult<AuditHead> {
        Ok(self.store.read(|r| r.audit_head())?)
    }

    /// Walks the chain and compares it with every head published in a sealed draw's
    /// manifest and with `kept` (heads a caller saved earlier), for auditors.
    pub fn verify_audit(&self, who: &Principal, kept: &[PublishedHead]) -> AppResult<AuditCheck> {
        who.require(Access::Roles(&[Role::Admin, Role::Auditor]), None)?;
        self.check_audit(kept)
    }

    /// One page of the audit log, newest first, with the number of matching records (admins
    /// and auditors).
    pub fn audit_log(
        &self,
        who: &Principal,
        q: &fucai_store::AuditQuery,
    ) -> AppResult<(i64, Vec<fucai_store::AuditRecord>)> {
        who.require(Access::Roles(&[Role::Admin, Role::Auditor]), None)?;
        Ok(self.store.read(|r| r.audit_page(q))?)
    }

    /// [`App::verify_audit`] for the operator holding the database and its key file (the
    /// command line).
    pub fn check_audit(&self, kept: &[PublishedHead]) -> AppResult<AuditCheck> {
        let mut heads = self.sealed_heads()?;
        heads.extend(kept.iter().cloned());
        let (records, broken, head_mismatches) = self.store.read(|r| {
            let (records, broken) = r.verify_audit()?;
            let mut mismatches = Vec::new();
            for published in &heads {
                let head = &published.head;
                if head.count == 0 {
                    continue;
                }
                match r.audit_record(head.count)? {
                    None => mismatches.push(format!(
                        "{}: the head published there names record {}, but the chain ends at {records} (records removed)",
                        published.source, head.count
                    )),
                    Some(rec) if rec.hash != head.hash => {
                        mismatches.push(format!(
                            "{}: record {} is not the one published there (the chain was cut and written on, or rewritten)",
                            published.source, head.count
                        ))
                    }
                    Some(_) => {}
                }
            }
            Ok((records, broken, mismatches))
        })?;
        Ok(AuditCheck {
            records,
            broken,
            heads_checked: heads.len(),
            head_mismatches,
        })
    }

    /// The heads recorded in the manifests of the seal directory.
    fn sealed_heads(&self) -> AppResult<Vec<PublishedHead>> {
        let entries = match std::fs::read_dir(&self.seal_dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => {
                return Err(AppError::context(
                    format!("reading {}", self.seal_dir.display()),
                    e,
                ))
            }
        };
        let mut heads = Vec::new();
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.ends_with(".manifest.json") {
                continue;
            }
            let manifest =
                Manifest::read(&path).map_err(|e| AppError::context(path.display(), e))?;
            if let Some(stamp) = manifest.audit_head {
                heads.push(PublishedHead {
                    source: name,
                    head: AuditHead {
                        count: stamp.count,
                        at_ms: stamp.at_ms,
                        hash: stamp.hash,
                    },
                });
            }
        }
        heads.sort_by(|a, b| a.source.cmp(&b.source));
        Ok(heads)
    }
}
