//! Evidence files (证明材料, photos): images (JPEG, PNG, GIF, WebP) and PDF of at most 10 MB,
//! told apart by their content (not their name); stored once under their SHA-256 in the
//! evidence directory, with the hash in the audit chain; linked to what they are evidence of
//! (a finding, a visit, an activity). A check re-reads every file and reports any whose
//! content no longer has its hash, or that is missing.

use std::path::PathBuf;

use fucai_store::{sha256_hex, EvidenceRow};
use serde::Serialize;

use super::training::{NETWORK_EDITORS, NETWORK_READERS};
use crate::clock::now_ms;
use crate::error::{AppError, AppResult};
use crate::principal::{Access, Principal, Role};
use crate::App;

/// Largest evidence file.
pub const MAX_EVIDENCE_BYTES: usize = 10 * 1024 * 1024;
/// May upload evidence: the center's network staff and station owners (for their findings).
pub const EVIDENCE_UPLOADERS: &[Role] = &[Role::Admin, Role::Operations, Role::StationOwner];

/// A file that failed the check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EvidenceProblem {
    pub sha256: String,
    pub name: String,
    /// missing, or changed (with the hash it has now).
    pub problem: String,
}

/// The file's type by its first bytes; none for anything but the allowed types.
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    const TYPES: [(&[u8], &str); 5] = [
        (b"\xFF\xD8\xFF", "image/jpeg"),
        (b"\x89PNG\r\n\x1A\n", "image/png"),
        (b"GIF8", "image/gif"),
        (b"%PDF-", "application/pdf"),
        (b"RIFF", "image/webp"),
    ];
    TYPES
        .iter()
        .find(|(magic, mime)| {
            bytes.starts_with(magic) && (*mime != "image/webp" || bytes.get(8..12) == Some(b"WEBP"))
        })
        .map(|(_, mime)| *mime)
}

impl App {
    fn evidence_path(&self, sha256: &str) -> PathBuf {
        self.evidence_dir().join(sha256)
    }

    /// Checks an uploaded file (size, type by content — images only where `images_only` —
    /// and name) and writes it under its SHA-256; answers the row to record with it.
    pub(crate) fn store_file(
        &self,
        who: &Principal,
        name: &str,
        bytes: &[u8],
        images_only: bool,
    ) -> AppResult<EvidenceRow> {
        if bytes.is_empty() || bytes.len() > MAX_EVIDENCE_BYTES {
            return Err(AppError::invalid(
                "file",
                format!("from 1 byte to {} MB", MAX_EVIDENCE_BYTES / 1024 / 1024),
            ));
        }
        let mime = sniff(bytes)
            .filter(|m| !images_only || m.starts_with("image/"))
            .ok_or_else(|| {
                AppError::invalid(
                    "file",
                    if images_only {
                        "an image (JPEG, PNG, GIF, WebP)"
                    } else {
                        "an image (JPEG, PNG, GIF, WebP) or a PDF"
                    },
                )
            })?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 || name.contains(['/', '\\']) {
            return Err(AppError::invalid(
                "name",
                "a file name of at most 200 characters",
            ));
        }
        let sha256 = sha256_hex(bytes);
        crate::files::write_whole(&self.evidence_path(&sha256), bytes, "storing the file")?;
        Ok(EvidenceRow {
            sha256,
            size: bytes.len() as i64,
            mime: mime.to_string(),
            name: name.to_string(),
            uploaded_by: who.actor(),
            uploaded_at: now_ms(),
        })
    }

    /// Stores an uploaded file (once per content) and links it to `subject`; returns its row.
    pub async fn upload_evidence(
        &self,
        who: &Principal,
        subject: &str,
        name: &str,
        bytes: &[u8],
    ) -> AppResult<EvidenceRow> {
        who.require(Access::Roles(EVIDENCE_UPLOADERS), None)?;
        self.check_subject(who, subject)?;
        let row = self.store_file(who, name, bytes, false)?;
        let subject = subject.to_string();
        self.writes
            .run(move |tx| {
                let now = row.uploaded_at;
                tx.insert_evidence(&row)?;
                tx.link_evidence(&row.sha256, &subject, &row.uploaded_by, now)?;
                tx.audit(
                    now,
                    &row.uploaded_by,
                    "evidence.upload",
                    &format!("{subject} {}", row.sha256),
                    row.sha256.as_bytes(),
                )?;
                tx.reader()
                    .evidence(&row.sha256)?
                    .ok_or_else(|| AppError::internal("the evidence just written"))
            })
            .await
    }

    /// What a subject may be, and whether the caller may attach evidence to it: a finding
    /// (its station's owner, or the center), a visit or an activity (the center).
    fn check_subject(&self, who: &Principal, subject: &str) -> AppResult<()> {
        let bad = || AppError::invalid("subject", "finding:ID, visit:ID or activity:ID");
        let (kind, id) = subject.split_once(':').ok_or_else(bad)?;
        let id: i64 = id.parse().map_err(|_| bad())?;
        match kind {
            "finding" => {
                let f = self.store.read(|r| r.finding(id))?;
                self.owner_or(who, &f, NETWORK_EDITORS)
            }
            "visit" => {
                self.store.read(|r| r.visit(id))?;
                who.require(Access::Roles(NETWORK_EDITORS), None)
            }
            "activity" => {
                if self.store.read(|r| r.activity(id))?.is_none() {
                    return Err(AppError::NotFound(format!("activity #{id}")));
                }
                who.require(Access::Roles(NETWORK_EDITORS), None)
            }
            _ => Err(bad()),
        }
    }

    /// The evidence of a subject.
    pub fn evidence_of(&self, who: &Principal, subject: &str) -> AppResult<Vec<EvidenceRow>> {
        self.check_subject(who, subject)
            .or_else(|_| who.require(Access::Roles(NETWORK_READERS), None))?;
        Ok(self.store.read(|r| r.evidence_of(subject))?)
    }

    /// One stored file's bytes, checked against its hash on the way out.
    pub fn evidence_file(
        &self,
        who: &Principal,
        sha256: &str,
    ) -> AppResult<(EvidenceRow, Vec<u8>)> {
        who.require(Access::Roles(NETWORK_READERS), None)?;
        self.read_stored_file(sha256)
    }

    /// A stored file's row and bytes, checked against its hash on the way out (no access
    /// rule: the caller has checked that the reader may see what the file belongs to).
    pub(crate) fn read_stored_file(&self, sha256: &str) -> AppResult<(EvidenceRow, Vec<u8>)> {
        let row = self
            .store
            .read(|r| r.evidence(sha256))?
            .ok_or_else(|| AppError::NotFound(format!("evidence {sha256}")))?;
        let bytes = std::fs::read(self.evidence_path(&row.sha256))
            .map_err(|e| AppError::context(format!("evidence {sha256}"), e))?;
        if sha256_hex(&bytes) != row.sha256 {
            return Err(AppError::internal(format!(
                "evidence {sha256} has changed on disk"
            )));
        }
        Ok((row, bytes))
    }

    /// Re-reads every evidence file: those missing or whose content no longer has its hash.
    pub fn check_evidence(&self, who: &Principal) -> AppResult<Vec<EvidenceProblem>> {
        who.require(
            Access::Roles(&[Role::Admin, Role::Auditor, Role::Operations]),
            None,
        )?;
        let mut problems = Vec::new();
        for row in self.store.read(|r| r.all_evidence())? {
            let problem = match std::fs::read(self.evidence_path(&row.sha256)) {
                Err(_) => Some("missing".to_string()),
                Ok(bytes) => {
                    let now = sha256_hex(&bytes);
                    (now != row.sha256).then(|| format!("changed (now {now})"))
                }
            };
            if let Some(problem) = problem {
                problems.push(EvidenceProblem {
                    sha256: row.sha256,
                    name: row.name,
                    problem,
                });
            }
        }
        Ok(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::sniff;

    #[test]
    fn types_are_told_by_content() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0rest"), Some("image/jpeg"));
        assert_eq!(sniff(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(
            sniff(b"RIFF\0\0\0\0WAVEfmt "),
            None,
            "a RIFF that is not WebP"
        );
        assert_eq!(sniff(b"MZ\x90\0"), None, "an executable named photo.jpg");
    }
}
