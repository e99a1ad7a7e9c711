//! Sealing a draw at its cutoff and checking a seal.

use std::path::{Path, PathBuf};

use crate::clock::now_ms;
use fucai_games::{Game, Selection};
use fucai_ledger::Money;
use fucai_settle::{LineColumns, Manifest, SealHeader, SealWriter, SealedLine};
use fucai_store::{sha256_hex, AuditHead, DrawRow, DrawStatus, SealRow, Serial};

use crate::error::{AppError, AppResult};
use crate::principal::{Access, Principal};
use crate::App;

use super::{parse_game, DRAW_OPERATORS};

/// Lines per row group of a sealed file.
const SEAL_GROUP_ROWS: usize = 1 << 20;

/// The audit action that records a seal; its object is `{game}/{draw} sha256:{hash}`.
const SEAL_AUDIT_ACTION: &str = "draw.seal";

/// The sealing audit record's object up to the hash it names.
fn seal_record_prefix(game: Game, draw: &str) -> String {
    format!("{}/{draw} sha256:", game.code())
}

/// Writes a draw's sold lines as its sealed file and a manifest that also records the audit
/// chain's head at sealing.
fn write_seal(
    dir: &Path,
    game: Game,
    draw: &str,
    lines: &[fucai_store::DrawLine],
    audit_head: AuditHead,
) -> AppResult<Manifest> {
    let path = dir.join(format!("{}-{draw}.parquet", game.code()));
    let sealed = |e: fucai_settle::SealError| AppError::context(format!("sealing draw {draw}"), e);
    let mut writer = SealWriter::create(
        &path,
        SealHeader {
            game,
            draw: draw.to_string(),
        },
    )
    .map_err(sealed)?;
    for chunk in lines.chunks(SEAL_GROUP_ROWS) {
        let mut columns = LineColumns::default();
        for l in chunk {
            let mut selection = Selection::parse(game, &l.selection).map_err(|e| {
                AppError::internal(format!("stored selection {}: {e}", l.selection))
            })?;
            selection.multiple = u8::try_from(l.multiple)
                .map_err(|_| AppError::internal(format!("stored multiple {}", l.multiple)))?;
            let serial = l
                .serial
                .parse::<Serial>()
                .map_err(AppError::caused_by)?
                .number();
            columns.push(&SealedLine::new(
                serial,
                l.line_no as i32,
                &l.station_code,
                &selection,
            ));
        }
        writer.write(&columns).map_err(sealed)?;
    }
    let mut manifest = writer.finish().map_err(sealed)?;
    manifest.audit_head = Some(crate::evidence::stamp(audit_head));
    manifest
        .write(&manifest_path(dir, game, draw))
        .map_err(sealed)?;
    Ok(manifest)
}

pub fn manifest_path(dir: &Path, game: Game, draw: &str) -> PathBuf {
    dir.join(format!("{}-{draw}.manifest.json", game.code()))
}

impl App {
    /// Where a draw's sealed file lives.
    pub fn sealed_file_path(&self, game: &str, number: &str) -> AppResult<PathBuf> {
        let (_, _, seal) = self.seal_of(game, number)?;
        Ok(self.seal_dir.join(seal.file))
    }

    /// A sealed draw with its seal.
    fn seal_of(&self, game: &str, number: &str) -> AppResult<(Game, DrawRow, SealRow)> {
        let (g, draw) = self.find_draw(game, number)?;
        let seal = self
            .store
            .read(|r| r.seal(draw.id))?
            .ok_or_else(|| AppError::NotFound(format!("seal of draw {number}")))?;
        Ok((g, draw, seal))
    }

    /// Seals a draw whose sales have closed.
    pub async fn seal_draw(&self, who: &Principal, game: &str, number: &str) -> AppResult<SealRow> {
        who.require(Access::Roles(DRAW_OPERATORS), None)?;
        let actor = who.actor();
        let (g, draw) = self.find_draw(game, number)?;
        self.seal(g, draw.id, actor).await
    }

    /// Seals in three steps so that sales of other draws never wait on a large file: close
    /// the draw (writer, instant: every later sale or cancel of it is refused), write the file
    /// from the now-frozen lines (outside the writer), record the seal (writer, instant). A
    /// draw left `sealing` by a crash is finished by the next attempt or the scheduler.
    pub(crate) async fn seal(&self, game: Game, draw_id: i64, actor: String) -> AppResult<SealRow> {
        let closer = actor.clone();
        let draw = self
            .writes
            .run(move |tx| {
                let now = now_ms();
                let draw = tx.reader().draw_by_id(draw_id)?;
                match draw.status {
                    DrawStatus::Sealing => return Ok(draw),
                    DrawStatus::Scheduled => {}
                    other => {
                        return Err(AppError::Conflict(format!(
                            "draw {} is already {other}",
                            draw.number
                        )))
                    }
                }
                if now < draw.closes_at {
                    return Err(AppError::Refused(format!(
                        "sales for draw {} are still open; it can be sealed after its cutoff",
                        draw.number
                    )));
                }
                tx.advance_draw(draw.id, DrawStatus::Scheduled, DrawStatus::Sealing)?;
                let object = format!("{}/{}", game.code(), draw.number);
                tx.audit(now, &closer, "draw.close", &object, object.as_bytes())?;
                Ok(draw)
            })
            .await?;

        let (store, dir) = (self.store.clone(), self.seal_dir.clone());
        let number = draw.number.clone();
        let manifest = tokio::task::spawn_blocking(move || {
            let (lines, sold, head) = store.read(|r| {
                Ok((
                    r.draw_lines(draw_id)?,
                    r.draw_sales(draw_id)?,
                    r.audit_head()?,
                ))
            })?;
            let manifest = write_seal(&dir, game, &number, &lines, head)?;
            if Money::from_fen(manifest.amount_fen) != sold {
                return Err(AppError::internal(format!(
                    "draw {number}: the sealed lines cost {} but the tickets paid {sold}",
                    Money::from_fen(manifest.amount_fen)
                )));
            }
            Ok(manifest)
        })
        .await
        .map_err(AppError::caused_by)??;

        self.writes
            .run(move |tx| {
                let now = now_ms();
                let seal = SealRow {
                    file: manifest.file.clone(),
                    rows: manifest.rows as i64,
                    bets: manifest.bets as i64,
                    amount: Money::from_fen(manifest.amount_fen),
                    bytes: manifest.bytes as i64,
                    sha256: manifest.sha256.clone(),
                    sealed_at: now,
                    sealed_by: actor.clone(),
                };
                tx.advance_draw(draw_id, DrawStatus::Sealing, DrawStatus::Sealed)?;
                tx.insert_seal(draw_id, &seal)?;
                let payload = serde_json::to_vec(&manifest).expect("serialises");
                tx.audit(
                    now,
                    &actor,
                    SEAL_AUDIT_ACTION,
                    &format!("{}{}", seal_record_prefix(game, &draw.number), seal.sha256),
                    &payload,
                )?;
                Ok(seal)
            })
            .await
    }

    /// Recomputes a sealed file against its manifest, the hash stored at sealing and the
    /// sealing's audit record (which holds the hash and the whole manifest's digest, so a
    /// file rewritten with its manifest and stored hash is still found).
    pub fn verify_seal(&self, game: &str, number: &str) -> AppResult<Manifest> {
        let (g, draw, seal) = self.seal_of(game, number)?;
        let manifest = Manifest::read(&manifest_path(&self.seal_dir, g, &draw.number))
            .map_err(|e| AppError::Refused(e.to_string()))?;
        if manifest.sha256 != seal.sha256 {
            return Err(AppError::Refused(format!(
                "the manifest's SHA-256 {} is not the one recorded at sealing ({})",
                manifest.sha256, seal.sha256
            )));
        }
        let prefix = seal_record_prefix(g, &draw.number);
        let records = self
            .store
            .read(|r| r.audit_records(SEAL_AUDIT_ACTION, &prefix))?;
        let Some(record) = records.last() else {
            return Err(AppError::Refused(format!(
                "the audit chain has no sealing record of draw {}",
                draw.number
            )));
        };
        let audited_hash = &record.object[prefix.len()..];
        if audited_hash != seal.sha256 {
            return Err(AppError::Refused(format!(
                "the sealing audit record {} names SHA-256 {audited_hash}, but the seal and its manifest have {}",
                record.id, seal.sha256
            )));
        }
        let manifest_digest = sha256_hex(&serde_json::to_vec(&manifest).expect("serialises"));
        if manifest_digest != record.payload_hash {
            return Err(AppError::Refused(format!(
                "the manifest is not the one recorded by the sealing audit record {}",
                record.id
            )));
        }
        fucai_settle::verify(&self.seal_dir.join(&seal.file), &manifest)
            .map(|v| v.manifest)
            .map_err(|e| AppError::Refused(e.to_string()))
    }

    /// Seals every draw past its cutoff (the scheduler's job). A draw that fails to seal does not stop the others:
    /// it is reported in `failed` and, being still `scheduled` or `sealing`, is tried again
    /// by the next round.
    pub async fn seal_due_draws(&self) -> AppResult<DueSeals> {
        let due = self.store.read(|r| r.draws_to_seal(now_ms()))?;
        let mut outcome = DueSeals::default();
        for d in due {
            let name = format!("{} {}", d.game, d.number);
            let sealed = match parse_game(&d.game) {
                Ok(game) => self.seal(game, d.id, "scheduler".into()).await,
                Err(e) => Err(e),
            };
            match sealed {
                Ok(_) | Err(AppError::Conflict(_)) => outcome.sealed.push(name),
                Err(e) => outcome.failed.push((name, e)),
            }
        }
        Ok(outcome)
    }
}

/// What one round of the seal scheduler did.
#[derive(Debug, Default)]
pub struct DueSeals {
    /// Draws now sealed ("ssq 2026137").
    pub sealed: Vec<String>,
    /// Draws that could not be sealed this round, with why.
    pub failed: Vec<(String, AppError)>,
}
