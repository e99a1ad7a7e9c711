//! After the cutoff: seals, commitments, result entries, results, settlements, per-ticket
//! winnings and claims.

use fucai_ledger::Money;
use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

use crate::registers::duplicate;
use crate::sales::draw_row;
use crate::{
    DrawRow, DrawStatus, Reader, RevealMark, StoreError, StoreResult, WinningStatus, WriteTx,
};

/// One sold line of a draw, as it goes into the sealed file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DrawLine {
    pub serial: String,
    pub line_no: i64,
    pub station_code: String,
    /// The numbers, without the multiple.
    pub selection: String,
    pub multiple: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SealRow {
    pub file: String,
    pub rows: i64,
    pub bets: i64,
    pub amount: Money,
    pub bytes: i64,
    pub sha256: String,
    pub sealed_at: i64,
    pub sealed_by: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitmentRow {
    pub commitment: String,
    pub secret: String,
    pub committed_at: i64,
    pub committed_by: String,
    /// The drand quicknet round the draw will use; `None` for an old operator-beacon draw.
    pub beacon_round: Option<u64>,
    /// When the draw must be run by (the round's time plus the window).
    pub reveal_by: Option<i64>,
    pub reveal: Option<RevealMark>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResultEntryRow {
    pub numbers: String,
    pub entered_by: String,
    pub entered_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DrawResultRow {
    pub numbers: String,
    pub method: String,
    pub first_by: String,
    pub second_by: String,
    pub transcript: Option<String>,
    pub recorded_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SettlementRow {
    pub draw_id: i64,
    pub rule_version: String,
    pub sales: Money,
    pub prize_fund: Money,
    pub pool_before: Money,
    pub pool_after: Money,
    pub adjustment_delta: Money,
    pub advance: Money,
    pub prizes: Money,
    pub fuyun: String,
    pub fuyun_next: Option<bool>,
    /// Last day to claim (YYYY-MM-DD, Beijing).
    pub claim_deadline: String,
    pub settled_at: i64,
    pub settled_by: String,
    pub expired_at: Option<i64>,
    pub expired_amount: Option<Money>,
}

/// A settled draw in the public results list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResultRow {
    pub game: String,
    pub number: String,
    pub draw_at: i64,
    pub numbers: String,
    pub method: String,
    pub sales: Money,
    pub prizes: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TierRow {
    pub tier: String,
    pub name: String,
    pub bets: i64,
    pub prize: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WinningRow {
    pub ticket_id: i64,
    pub draw_id: i64,
    pub amount: Money,
    pub tiers: String,
    pub status: WinningStatus,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewClaim<'a> {
    pub ticket_id: i64,
    pub draw_id: i64,
    pub claimant_key: Option<&'a str>,
    pub claimant_masked: Option<&'a str>,
    pub gross: Money,
    pub tax: Money,
    pub net: Money,
    pub office: &'a str,
    pub paid_by: &'a str,
    pub paid_at: i64,
}

const SETTLEMENT_COLUMNS: &str = "draw_id, rule_version, sales_fen, prize_fund_fen, pool_before_fen, pool_after_fen,
    adjustment_delta_fen, advance_fen, prizes_fen, fuyun, fuyun_next, claim_deadline, settled_at, settled_by,
    expired_at, expired_fen";

fn settlement_row(r: &Row<'_>) -> rusqlite::Result<SettlementRow> {
    Ok(SettlementRow {
        draw_id: r.get(0)?,
        rule_version: r.get(1)?,
        sales: r.get(2)?,
        prize_fund: r.get(3)?,
        pool_before: r.get(4)?,
        pool_after: r.get(5)?,
        adjustment_delta: r.get(6)?,
        advance: r.get(7)?,
        prizes: r.get(8)?,
        fuyun: r.get(9)?,
        fuyun_next: r.get(10)?,
        claim_deadline: r.get(11)?,
        settled_at: r.get(12)?,
        settled_by: r.get(13)?,
        expired_at: r.get(14)?,
        expired_amount: r.get(15)?,
    })
}

fn winning_row(r: &Row<'_>) -> rusqlite::Result<WinningRow> {
    Ok(WinningRow {
        ticket_id: r.get(0)?,
        draw_id: r.get(1)?,
        amount: r.get(2)?,
        tiers: r.get(3)?,
        status: r.get(4)?,
    })
}

impl DrawsReads for Reader<'_> {
    fn unsettled_draw_before(&self, game: &str, number: &str) -> StoreResult<Option<DrawRow>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT d.id, d.game, d.number, d.opens_at, d.closes_at, d.draw_at, d.status FROM draws d
                 WHERE d.game = ?1 AND d.number < ?2 AND d.status NOT IN ('settled', 'expired')
                   AND EXISTS (SELECT 1 FROM ticket_draws td JOIN tickets k ON k.id = td.ticket_id
                               WHERE td.draw_id = d.id AND k.status = 'sold')
                 ORDER BY d.number LIMIT 1",
            )?
            .query_row([game, number], draw_row)
            .optional()?)
    }

    fn draw_by_id(&self, id: i64) -> StoreResult<DrawRow> {
        self.conn
            .prepare_cached("SELECT id, game, number, opens_at, closes_at, draw_at, status FROM draws WHERE id = ?1")?
            .query_row([id], draw_row)
            .optional()?
            .ok_or_else(|| StoreError::not_found(format!("draw {id}")))
    }

    fn draw_lines(&self, draw_id: i64) -> StoreResult<Vec<DrawLine>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT k.serial, l.line_no, s.code, l.selection, l.multiple FROM ticket_draws d
             JOIN tickets k ON k.id = d.ticket_id JOIN stations s ON s.id = k.station_id
             JOIN ticket_lines l ON l.ticket_id = k.id
             WHERE d.draw_id = ?1 AND k.status = 'sold' ORDER BY k.id, l.line_no",
        )?;
        let rows = stmt.query_map([draw_id], |r| {
            Ok(DrawLine {
                serial: r.get(0)?,
                line_no: r.get(1)?,
                station_code: r.get(2)?,
                selection: r.get(3)?,
                multiple: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn draw_sales(&self, draw_id: i64) -> StoreResult<Money> {
        Ok(self.conn.prepare_cached(
            "SELECT COALESCE(SUM(d.amount_fen), 0) FROM ticket_draws d JOIN tickets k ON k.id = d.ticket_id
             WHERE d.draw_id = ?1 AND k.status = 'sold'",
        )?
        .query_row([draw_id], |r| r.get(0))?)
    }

    fn seal(&self, draw_id: i64) -> StoreResult<Option<SealRow>> {
        Ok(self
            .conn
            .prepare_cached("SELECT file, rows, bets, amount_fen, bytes, sha256, sealed_at, sealed_by FROM draw_seals WHERE draw_id = ?1")?
            .query_row([draw_id], |r| {
                Ok(SealRow {
                    file: r.get(0)?,
                    rows: r.get(1)?,
                    bets: r.get(2)?,
                    amount: r.get(3)?,
                    bytes: r.get(4)?,
                    sha256: r.get(5)?,
                    sealed_at: r.get(6)?,
                    sealed_by: r.get(7)?,
                })
            })
            .optional()?)
    }

    fn commitment(&self, draw_id: i64) -> StoreResult<Option<CommitmentRow>> {
        Ok(self
            .conn
            .prepare_cached("SELECT commitment, secret, committed_at, committed_by, beacon_round, reveal_by, reveal FROM draw_commitments WHERE draw_id = ?1")?
            .query_row([draw_id], |r| {
                Ok(CommitmentRow {
                    commitment: r.get(0)?,
                    secret: r.get(1)?,
                    committed_at: r.get(2)?,
                    committed_by: r.get(3)?,
                    beacon_round: r.get::<_, Option<i64>>(4)?.map(|n| n as u64),
                    reveal_by: r.get(5)?,
                    reveal: r.get(6)?,
                })
            })
            .optional()?)
    }

    fn overdue_reveals(&self, now: i64) -> StoreResult<Vec<DrawRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.id, d.game, d.number, d.opens_at, d.closes_at, d.draw_at, d.status
             FROM draw_commitments c JOIN draws d ON d.id = c.draw_id
             WHERE c.reveal_by < ?1 AND c.reveal IS NULL
               AND d.status IN ('scheduled', 'sealing', 'sealed') ORDER BY c.reveal_by",
        )?;
        let rows = stmt.query_map([now], draw_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn result_entry(&self, draw_id: i64) -> StoreResult<Option<ResultEntryRow>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT numbers, entered_by, entered_at FROM result_entries WHERE draw_id = ?1",
            )?
            .query_row([draw_id], |r| {
                Ok(ResultEntryRow {
                    numbers: r.get(0)?,
                    entered_by: r.get(1)?,
                    entered_at: r.get(2)?,
                })
            })
            .optional()?)
    }

    fn draw_result(&self, draw_id: i64) -> StoreResult<Option<DrawResultRow>> {
        Ok(self
            .conn
            .prepare_cached("SELECT numbers, method, first_by, second_by, transcript, recorded_at FROM draw_results WHERE draw_id = ?1")?
            .query_row([draw_id], |r| {
                Ok(DrawResultRow {
                    numbers: r.get(0)?,
                    method: r.get(1)?,
                    first_by: r.get(2)?,
                    second_by: r.get(3)?,
                    transcript: r.get(4)?,
                    recorded_at: r.get(5)?,
                })
            })
            .optional()?)
    }

    fn settlement(&self, draw_id: i64) -> StoreResult<Option<SettlementRow>> {
        let sql = format!("SELECT {SETTLEMENT_COLUMNS} FROM draw_settlements WHERE draw_id = ?1");
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([draw_id], settlement_row)
            .optional()?)
    }

    fn previous_settlement(&self, game: &str, number: &str) -> StoreResult<Option<SettlementRow>> {
        let sql = format!(
            "SELECT {SETTLEMENT_COLUMNS} FROM draw_settlements WHERE draw_id = (
                SELECT d.id FROM draws d JOIN draw_settlements s ON s.draw_id = d.id
                WHERE d.game = ?1 AND d.number < ?2 ORDER BY d.number DESC LIMIT 1)"
        );
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([game, number], settlement_row)
            .optional()?)
    }

    fn unexpired_settlements(&self) -> StoreResult<Vec<(DrawRow, SettlementRow)>> {
        let sql = format!(
            "SELECT {SETTLEMENT_COLUMNS} FROM draw_settlements WHERE expired_at IS NULL ORDER BY draw_id"
        );
        let rows: Vec<SettlementRow> = self
            .conn
            .prepare_cached(&sql)?
            .query_map([], settlement_row)?
            .collect::<Result<_, _>>()?;
        rows.into_iter()
            .map(|s| Ok((self.draw_by_id(s.draw_id)?, s)))
            .collect()
    }

    fn settled_draws(&self, game: Option<&str>, limit: usize) -> StoreResult<Vec<ResultRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.game, d.number, d.draw_at, r.numbers, r.method, s.sales_fen, s.prizes_fen
             FROM draw_settlements s JOIN draws d ON d.id = s.draw_id JOIN draw_results r ON r.draw_id = d.id
             WHERE ?1 IS NULL OR d.game = ?1 ORDER BY d.draw_at DESC, d.game LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![game, limit as i64], |r| {
            Ok(ResultRow {
                game: r.get(0)?,
                number: r.get(1)?,
                draw_at: r.get(2)?,
                numbers: r.get(3)?,
                method: r.get(4)?,
                sales: r.get(5)?,
                prizes: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn draws_to_seal(&self, now: i64) -> StoreResult<Vec<DrawRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, game, number, opens_at, closes_at, draw_at, status FROM draws
             WHERE status IN ('scheduled', 'sealing') AND closes_at <= ?1 ORDER BY closes_at",
        )?;
        let rows = stmt.query_map([now], draw_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn draw_tiers(&self, draw_id: i64) -> StoreResult<Vec<TierRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT tier, name, bets, prize_fen FROM draw_tiers WHERE draw_id = ?1 ORDER BY position",
        )?;
        let rows = stmt.query_map([draw_id], |r| {
            Ok(TierRow {
                tier: r.get(0)?,
                name: r.get(1)?,
                bets: r.get(2)?,
                prize: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn ticket_winnings(&self, ticket_id: i64) -> StoreResult<Vec<WinningRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT ticket_id, draw_id, amount_fen, tiers, status FROM ticket_winnings WHERE ticket_id = ?1 ORDER BY draw_id",
        )?;
        let rows = stmt.query_map([ticket_id], winning_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn winnings_total(&self, draw_id: i64, status: WinningStatus) -> StoreResult<(i64, Money)> {
        Ok(self
            .conn
            .prepare_cached("SELECT COUNT(*), COALESCE(SUM(amount_fen), 0) FROM ticket_winnings WHERE draw_id = ?1 AND status = ?2")?
            .query_row(params![draw_id, status], |r| Ok((r.get(0)?, r.get(1)?)))?)
    }

    fn winnings_by_status(
        &self,
        from_ms: i64,
        to_ms: i64,
    ) -> StoreResult<Vec<(WinningStatus, i64, Money)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT w.status, COUNT(*), COALESCE(SUM(w.amount_fen), 0) FROM ticket_winnings w JOIN draws d ON d.id = w.draw_id WHERE d.draw_at >= ?1 AND d.draw_at < ?2 GROUP BY w.status ORDER BY w.status",
        )?;
        let rows = stmt.query_map(params![from_ms, to_ms], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn unclaimed_by_station(&self, draw_id: i64) -> StoreResult<Vec<(i64, Money)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT k.station_id, SUM(w.amount_fen) FROM ticket_winnings w JOIN tickets k ON k.id = w.ticket_id
             WHERE w.draw_id = ?1 AND w.status = 'unclaimed' GROUP BY k.station_id ORDER BY k.station_id",
        )?;
        let rows = stmt.query_map([draw_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn claimant_paid(&self, claimant_key: &str, draw_id: i64) -> StoreResult<(Money, Money)> {
        Ok(self
            .conn
            .prepare_cached("SELECT COALESCE(SUM(gross_fen), 0), COALESCE(SUM(tax_fen), 0) FROM claims WHERE claimant_key = ?1 AND draw_id = ?2")?
            .query_row(params![claimant_key, draw_id], |r| Ok((r.get(0)?, r.get(1)?)))?)
    }

    fn claim_count(&self) -> StoreResult<i64> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM claims", [], |r| r.get(0))?)
    }
}

impl DrawsWrites for WriteTx<'_> {
    fn advance_draw(&mut self, draw_id: i64, from: DrawStatus, to: DrawStatus) -> StoreResult<()> {
        if from.next() != Some(to) {
            return Err(StoreError::Conflict(format!(
                "a draw does not move from {from} to {to}"
            )));
        }
        self.reference_changed();
        let n = self
            .tx
            .prepare_cached("UPDATE draws SET status = ?3 WHERE id = ?1 AND status = ?2")?
            .execute(params![draw_id, from, to])?;
        if n == 1 {
            Ok(())
        } else {
            Err(StoreError::Conflict(format!(
                "draw {draw_id} is not {from}"
            )))
        }
    }

    fn insert_seal(&mut self, draw_id: i64, s: &SealRow) -> StoreResult<()> {
        self.tx
            .prepare_cached("INSERT INTO draw_seals (draw_id, file, rows, bets, amount_fen, bytes, sha256, sealed_at, sealed_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")?
            .execute(params![draw_id, s.file, s.rows, s.bets, s.amount, s.bytes, s.sha256, s.sealed_at, s.sealed_by])
            .map_err(duplicate(format!("seal of draw {draw_id}")))?;
        Ok(())
    }

    fn insert_commitment(&mut self, draw_id: i64, c: &CommitmentRow) -> StoreResult<()> {
        self.tx
            .prepare_cached("INSERT INTO draw_commitments (draw_id, commitment, secret, committed_at, committed_by, beacon_round, reveal_by, reveal) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")?
            .execute(params![draw_id, c.commitment, c.secret, c.committed_at, c.committed_by, c.beacon_round.map(|n| n as i64), c.reveal_by, c.reveal])
            .map_err(duplicate(format!("commitment of draw {draw_id}")))?;
        Ok(())
    }

    fn mark_reveal(&mut self, draw_id: i64, mark: RevealMark) -> StoreResult<()> {
        self.tx
            .prepare_cached("UPDATE draw_commitments SET reveal = ?2 WHERE draw_id = ?1")?
            .execute(params![draw_id, mark])?;
        Ok(())
    }

    fn insert_result_entry(&mut self, draw_id: i64, e: &ResultEntryRow) -> StoreResult<()> {
        self.tx
            .prepare_cached("INSERT INTO result_entries (draw_id, numbers, entered_by, entered_at) VALUES (?1, ?2, ?3, ?4)")?
            .execute(params![draw_id, e.numbers, e.entered_by, e.entered_at])
            .map_err(duplicate(format!("result entry of draw {draw_id}")))?;
        Ok(())
    }

    fn delete_result_entry(&mut self, draw_id: i64) -> StoreResult<()> {
        self.tx
            .prepare_cached("DELETE FROM result_entries WHERE draw_id = ?1")?
            .execute([draw_id])?;
        Ok(())
    }

    fn insert_draw_result(&mut self, draw_id: i64, r: &DrawResultRow) -> StoreResult<()> {
        self.tx
            .prepare_cached("INSERT INTO draw_results (draw_id, numbers, method, first_by, second_by, transcript, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?
            .execute(params![draw_id, r.numbers, r.method, r.first_by, r.second_by, r.transcript, r.recorded_at])
            .map_err(duplicate(format!("result of draw {draw_id}")))?;
        Ok(())
    }

    fn insert_settlement(&mut self, s: &SettlementRow, tiers: &[TierRow]) -> StoreResult<()> {
        let sql = format!(
            "INSERT INTO draw_settlements ({SETTLEMENT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
        );
        self.tx
            .prepare_cached(&sql)?
            .execute(params![
                s.draw_id,
                s.rule_version,
                s.sales,
                s.prize_fund,
                s.pool_before,
                s.pool_after,
                s.adjustment_delta,
                s.advance,
                s.prizes,
                s.fuyun,
                s.fuyun_next,
                s.claim_deadline,
                s.settled_at,
                s.settled_by,
                s.expired_at,
                s.expired_amount
            ])
            .map_err(duplicate(format!("settlement of draw {}", s.draw_id)))?;
        let mut insert = self.tx.prepare_cached(
            "INSERT INTO draw_tiers (draw_id, position, tier, name, bets, prize_fen) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for (i, t) in tiers.iter().enumerate() {
            insert.execute(params![
                s.draw_id, i as i64, t.tier, t.name, t.bets, t.prize
            ])?;
        }
        Ok(())
    }

    fn insert_winning(&mut self, w: &WinningRow) -> StoreResult<()> {
        self.tx
            .prepare_cached("INSERT INTO ticket_winnings (ticket_id, draw_id, amount_fen, tiers, status) VALUES (?1, ?2, ?3, ?4, ?5)")?
            .execute(params![w.ticket_id, w.draw_id, w.amount, w.tiers, w.status])?;
        Ok(())
    }

    fn pay_winning(&mut self, ticket_id: i64, draw_id: i64) -> StoreResult<bool> {
        let n = self
            .tx
            .prepare_cached("UPDATE ticket_winnings SET status = 'paid' WHERE ticket_id = ?1 AND draw_id = ?2 AND status = 'unclaimed'")?
            .execute(params![ticket_id, draw_id])?;
        Ok(n == 1)
    }

    fn insert_claim(&mut self, c: &NewClaim<'_>) -> StoreResult<i64> {
        self.tx
            .prepare_cached("INSERT INTO claims (ticket_id, draw_id, claimant_key, claimant_masked, gross_fen, tax_fen, net_fen, office, paid_by, paid_at)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")?
            .execute(params![c.ticket_id, c.draw_id, c.claimant_key, c.claimant_masked, c.gross, c.tax, c.net, c.office, c.paid_by, c.paid_at])
            .map_err(duplicate(format!("claim of ticket {} draw {}", c.ticket_id, c.draw_id)))?;
        Ok(self.tx.last_insert_rowid())
    }

    fn expire_winnings(&mut self, draw_id: i64, at: i64) -> StoreResult<(i64, Money)> {
        let (count, total) = self
            .reader()
            .winnings_total(draw_id, WinningStatus::Unclaimed)?;
        self.tx
            .prepare_cached("UPDATE ticket_winnings SET status = 'expired' WHERE draw_id = ?1 AND status = 'unclaimed'")?
            .execute([draw_id])?;
        let n = self
            .tx
            .prepare_cached("UPDATE draw_settlements SET expired_at = ?2, expired_fen = ?3 WHERE draw_id = ?1 AND expired_at IS NULL")?
            .execute(params![draw_id, at, total])?;
        if n != 1 {
            return Err(StoreError::Conflict(format!(
                "draw {draw_id} is not settled or already expired"
            )));
        }
        Ok((count, total))
    }
}

/// The reads of seals, commitments, results, settlements, winnings and claims. SQLite implements it
/// on [`Reader`](crate::Reader); another backend implements it on its own handle.
pub trait DrawsReads {
    fn draw_by_id(&self, id: i64) -> StoreResult<DrawRow>;
    /// The game's earliest draw before `number` that has sales and is not settled: money
    /// moves through a game's pool in draw order, so it must settle first.
    fn unsettled_draw_before(&self, game: &str, number: &str) -> StoreResult<Option<DrawRow>>;
    /// Every sold (not cancelled) line of a draw, by ticket and line.
    fn draw_lines(&self, draw_id: i64) -> StoreResult<Vec<DrawLine>>;
    /// What the sold tickets of a draw paid for it.
    fn draw_sales(&self, draw_id: i64) -> StoreResult<Money>;
    fn seal(&self, draw_id: i64) -> StoreResult<Option<SealRow>>;
    fn commitment(&self, draw_id: i64) -> StoreResult<Option<CommitmentRow>>;
    /// Committed draws not run by their reveal deadline and not yet marked.
    fn overdue_reveals(&self, now: i64) -> StoreResult<Vec<DrawRow>>;
    fn result_entry(&self, draw_id: i64) -> StoreResult<Option<ResultEntryRow>>;
    fn draw_result(&self, draw_id: i64) -> StoreResult<Option<DrawResultRow>>;
    fn settlement(&self, draw_id: i64) -> StoreResult<Option<SettlementRow>>;
    /// The settlement of the game's latest settled draw before `number`.
    fn previous_settlement(&self, game: &str, number: &str) -> StoreResult<Option<SettlementRow>>;
    /// Settled draws whose prizes have not been expired yet.
    fn unexpired_settlements(&self) -> StoreResult<Vec<(DrawRow, SettlementRow)>>;
    /// The latest settled draws, newest first.
    fn settled_draws(&self, game: Option<&str>, limit: usize) -> StoreResult<Vec<ResultRow>>;
    /// Draws whose sales have closed but that are not sealed yet (on sale, or left half-way).
    fn draws_to_seal(&self, now: i64) -> StoreResult<Vec<DrawRow>>;
    fn draw_tiers(&self, draw_id: i64) -> StoreResult<Vec<TierRow>>;
    fn ticket_winnings(&self, ticket_id: i64) -> StoreResult<Vec<WinningRow>>;
    /// (count, total) of a draw's winnings in `status`.
    fn winnings_total(&self, draw_id: i64, status: WinningStatus) -> StoreResult<(i64, Money)>;
    /// Winnings of the draws drawn in `[from_ms, to_ms)` added up by status: (status, count,
    /// total).
    fn winnings_by_status(
        &self,
        from_ms: i64,
        to_ms: i64,
    ) -> StoreResult<Vec<(WinningStatus, i64, Money)>>;
    /// A draw's unclaimed winnings added up per selling station: (station id, total).
    fn unclaimed_by_station(&self, draw_id: i64) -> StoreResult<Vec<(i64, Money)>>;
    /// (gross, tax) already paid to one claimant for one draw.
    fn claimant_paid(&self, claimant_key: &str, draw_id: i64) -> StoreResult<(Money, Money)>;
    fn claim_count(&self) -> StoreResult<i64>;
}

/// The writes (inside a write transaction) of seals, commitments, results, settlements, winnings
/// and claims. SQLite implements it on [`WriteTx`](crate::WriteTx); another backend implements it
/// on its own handle.
pub trait DrawsWrites {
    /// Moves a draw from one status to the next; `Conflict` when it is not in `from`.
    fn advance_draw(&mut self, draw_id: i64, from: DrawStatus, to: DrawStatus) -> StoreResult<()>;
    fn insert_seal(&mut self, draw_id: i64, s: &SealRow) -> StoreResult<()>;
    fn insert_commitment(&mut self, draw_id: i64, c: &CommitmentRow) -> StoreResult<()>;
    fn mark_reveal(&mut self, draw_id: i64, mark: RevealMark) -> StoreResult<()>;
    fn insert_result_entry(&mut self, draw_id: i64, e: &ResultEntryRow) -> StoreResult<()>;
    fn delete_result_entry(&mut self, draw_id: i64) -> StoreResult<()>;
    fn insert_draw_result(&mut self, draw_id: i64, r: &DrawResultRow) -> StoreResult<()>;
    fn insert_settlement(&mut self, s: &SettlementRow, tiers: &[TierRow]) -> StoreResult<()>;
    fn insert_winning(&mut self, w: &WinningRow) -> StoreResult<()>;
    /// Marks one unclaimed winning paid; `false` when it was not unclaimed (already paid or
    /// expired) — the guard against paying twice.
    fn pay_winning(&mut self, ticket_id: i64, draw_id: i64) -> StoreResult<bool>;
    fn insert_claim(&mut self, c: &NewClaim<'_>) -> StoreResult<i64>;
    /// Expires every unclaimed winning of a draw; returns (count, total).
    fn expire_winnings(&mut self, draw_id: i64, at: i64) -> StoreResult<(i64, Money)>;
}
