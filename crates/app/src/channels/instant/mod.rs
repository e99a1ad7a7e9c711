//! 即开票 (刮刮乐): games and batches as rule data ([`rules`]); each batch's winner file from
//! the printer, imported before the batch goes on sale and its SHA-256 published; the packs'
//! logistics ([`packs`]); prize validation ([`prizes`]); stock, and the prizes left per game.

mod packs;
mod prizes;
pub mod rules;

use std::collections::BTreeMap;
use std::path::PathBuf;

use fucai_ledger::Money;
use fucai_store::{InstantBatchRow, PackState, StockRow};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::clock::now_ms;
use crate::error::{AppError, AppResult};
use crate::principal::{Access, Principal, Role};
use crate::App;

pub use packs::{export_instant_sales, PackAction, PackMoveReport, PackScan};
pub use prizes::{InstantClaimReceipt, InstantClaimRequest};
pub use rules::{instant_rules, InstantGame, InstantRules, PackLabel, TicketId, Winner};

/// Who handles packs at the center and imports winner files.
pub const INSTANT_OPERATORS: &[Role] = &[Role::Admin, Role::Operations];

/// A batch as the public sees it: its winner file's hash and the prizes left.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BatchPrizes {
    pub game: String,
    pub game_name: String,
    pub batch: String,
    pub winner_sha256: String,
    /// Per prize amount: (amount, winners in the file, paid, left).
    pub prizes: Vec<(Money, i64, i64, i64)>,
}

/// Packs by holder, game and state, and whether that agrees with the packs' recorded moves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InstantStock {
    pub rows: Vec<StockRow>,
    /// Packs per state counted from the stock and from the moves, equal when consistent.
    pub by_state: Vec<(PackState, i64)>,
    pub by_moves: Vec<(PackState, i64)>,
    pub consistent: bool,
}

impl App {
    /// Where winner files are kept: `<database>-seals-instant` beside the seals.
    pub fn winner_dir(&self) -> PathBuf {
        self.beside_seals("instant")
    }

    /// Imports a batch's winner file from the printer before the batch goes on sale: checked
    /// against the game's prize structure, kept as delivered, its SHA-256 published (audit
    /// chain and public list); the batch's packs start on their way to the center.
    pub async fn import_winner_file(
        &self,
        who: &Principal,
        game: &str,
        batch: &str,
        bytes: &[u8],
    ) -> AppResult<InstantBatchRow> {
        who.require(Access::Roles(INSTANT_OPERATORS), None)?;
        let rules = instant_rules()
            .game(game)
            .ok_or_else(|| AppError::invalid("game", format!("no 即开票 game '{game}'")))?;
        let b = rules.batch(batch).ok_or_else(|| {
            AppError::invalid("batch", format!("game {game} has no batch '{batch}'"))
        })?;
        let text = std::str::from_utf8(bytes)
            .map_err(|_| AppError::invalid("file", "a winner file is UTF-8 CSV"))?;
        let winners =
            rules::parse_winner_file(rules, b, text).map_err(|e| AppError::invalid("file", e))?;
        let sha256 = hex::encode(Sha256::digest(bytes));
        let name = format!("{game}-{batch}-{sha256}.csv");
        // Written (and synced) before the row that names it, so a row never names a missing file.
        crate::files::write_whole(
            &self.winner_dir().join(&name),
            bytes,
            "storing the winner file",
        )?;
        let prizes = Money::checked_sum(winners.iter().map(|w| w.prize))?;
        let row = InstantBatchRow {
            id: 0,
            game: game.into(),
            batch: batch.into(),
            winner_sha256: sha256.clone(),
            winner_file: name,
            winners: winners.len() as i64,
            prizes,
            imported_by: who.actor(),
            imported_at: 0,
        };
        let packs = i64::from(b.packs);
        self.writes
            .run(move |tx| {
                let now = now_ms();
                let row = InstantBatchRow {
                    imported_at: now,
                    ..row
                };
                let id = tx.insert_instant_batch(&row, packs)?;
                tx.audit(
                    now,
                    &row.imported_by,
                    "instant.winner_file",
                    &format!("{}/{} sha256:{}", row.game, row.batch, row.winner_sha256),
                    format!("{} {}", row.winners, row.prizes.fen()).as_bytes(),
                )?;
                Ok(InstantBatchRow { id, ..row })
            })
            .await
    }

    /// A batch's winners, read from its kept winner file after checking the file still has
    /// its published SHA-256 (a changed file pays nothing).
    pub(crate) fn batch_winners(&self, batch: &InstantBatchRow) -> AppResult<Vec<Winner>> {
        let path = self.winner_dir().join(&batch.winner_file);
        let bytes = std::fs::read(&path).map_err(|e| {
            AppError::Refused(format!(
                "the winner file of {} batch {} cannot be read ({e}): no prize is paid until it is restored",
                batch.game, batch.batch
            ))
        })?;
        if hex::encode(Sha256::digest(&bytes)) != batch.winner_sha256 {
            return Err(AppError::Refused(format!(
                "the winner file of {} batch {} no longer has its published SHA-256 {}: no prize is paid until it is restored",
                batch.game, batch.batch, batch.winner_sha256
            )));
        }
        let game = instant_rules()
            .game(&batch.game)
            .ok_or_else(|| AppError::internal("a batch of a game not in the rules"))?;
        let b = game
            .batch(&batch.batch)
            .ok_or_else(|| AppError::internal("a batch not in the rules"))?;
        let text = String::from_utf8_lossy(&bytes);
        rules::parse_winner_file(game, b, &text).map_err(AppError::internal)
    }

    /// Every imported batch with its winner file's hash and the prizes left (public).
    pub fn instant_prizes(&self) -> AppResult<Vec<BatchPrizes>> {
        let batches = self.store.read(|r| r.instant_batches())?;
        let mut out = Vec::new();
        for b in batches {
            let game = instant_rules()
                .game(&b.game)
                .ok_or_else(|| AppError::internal("a batch of a game not in the rules"))?;
            let groups = i64::from(
                game.batch(&b.batch)
                    .map_or(0, |x| x.packs / game.group_packs()),
            );
            let paid: BTreeMap<Money, i64> = self
                .store
                .read(|r| r.instant_paid_in_batch(b.id))?
                .into_iter()
                .collect();
            let prizes = game
                .group_structure()
                .into_iter()
                .rev()
                .map(|(amount, per_group)| {
                    let winners = i64::from(per_group) * groups;
                    let paid = paid.get(&amount).copied().unwrap_or(0);
                    (amount, winners, paid, winners - paid)
                })
                .collect();
            out.push(BatchPrizes {
                game: b.game,
                game_name: game.name.clone(),
                batch: b.batch,
                winner_sha256: b.winner_sha256,
                prizes,
            });
        }
        Ok(out)
    }

    /// Packs by holder, game and state, checked against the packs' recorded moves.
    pub fn instant_stock(&self, who: &Principal) -> AppResult<InstantStock> {
        who.require(Access::Roles(super::CHANNEL_READERS), None)?;
        let (rows, by_moves) = self
            .store
            .read(|r| Ok((r.instant_stock()?, r.instant_moves_counted()?)))?;
        let mut states: BTreeMap<&str, (PackState, i64)> = BTreeMap::new();
        for r in &rows {
            states.entry(r.state.as_str()).or_insert((r.state, 0)).1 += r.packs;
        }
        let by_state: Vec<(PackState, i64)> = states.into_values().collect();
        let consistent = by_state == by_moves;
        Ok(InstantStock {
            rows,
            by_state,
            by_moves,
            consistent,
        })
    }
}
