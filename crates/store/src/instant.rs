//! 即开票: batches with their winner files, packs and their moves, prizes paid, claim scopes.

use fucai_ledger::Money;
use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

use crate::registers::duplicate;
use crate::{ClaimScope, PackState, Reader, StoreError, StoreResult, WriteTx};

/// A batch whose winner file was imported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InstantBatchRow {
    pub id: i64,
    pub game: String,
    pub batch: String,
    /// SHA-256 of the winner file as the printer delivered it (published).
    pub winner_sha256: String,
    /// The file's name in the winner-file directory.
    pub winner_file: String,
    pub winners: i64,
    pub prizes: Money,
    pub imported_by: String,
    pub imported_at: i64,
}

/// A pack where it is now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PackRow {
    pub id: i64,
    pub batch_id: i64,
    pub game: String,
    pub batch: String,
    pub pack: i64,
    pub state: PackState,
    pub station_id: Option<i64>,
    pub station_code: Option<String>,
    pub town_code: Option<String>,
    pub activated_at: Option<i64>,
    pub settled_at: Option<i64>,
    pub sales_posted_at: Option<i64>,
}

/// One move of a pack.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PackEventRow {
    pub at: i64,
    pub actor: String,
    pub from_state: PackState,
    pub to_state: PackState,
    pub station_code: Option<String>,
    pub note: String,
}

/// A prize paid.
#[derive(Clone, Debug)]
pub struct NewInstantClaim<'a> {
    pub pack_id: i64,
    pub ticket: i64,
    pub prize: Money,
    pub tax: Money,
    pub net: Money,
    pub office: &'a str,
    pub station_id: Option<i64>,
    pub claimant_masked: Option<&'a str>,
    pub paid_by: &'a str,
    pub paid_at: i64,
}

/// A station's order for packs (订票), and how many were issued against it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InstantOrderRow {
    pub id: i64,
    pub station_id: i64,
    pub station_code: String,
    pub game: String,
    pub packs: i64,
    pub issued: i64,
    pub note: String,
    pub ordered_by: String,
    pub ordered_at: i64,
}

/// Sales recognised for packs of one station and game on one day (Beijing), from `day_ms`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PackSalesRow {
    pub station_code: String,
    pub game: String,
    /// The Beijing day's start, Unix ms.
    pub day_ms: i64,
    pub packs: i64,
    pub sales: Money,
}

/// Packs of one station (or the center, `None`), game and state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StockRow {
    pub station_code: Option<String>,
    pub game: String,
    pub state: PackState,
    pub packs: i64,
}

const BATCH_COLUMNS: &str =
    "id, game, batch, winner_sha256, winner_file, winners, prizes_fen, imported_by, imported_at";

fn batch_row(r: &Row<'_>) -> rusqlite::Result<InstantBatchRow> {
    Ok(InstantBatchRow {
        id: r.get(0)?,
        game: r.get(1)?,
        batch: r.get(2)?,
        winner_sha256: r.get(3)?,
        winner_file: r.get(4)?,
        winners: r.get(5)?,
        prizes: r.get(6)?,
        imported_by: r.get(7)?,
        imported_at: r.get(8)?,
    })
}

const PACK_SELECT: &str =
    "SELECT p.id, p.batch_id, b.game, b.batch, p.pack, p.state, p.station_id, s.code, t.code,
        p.activated_at, p.settled_at, p.sales_posted_at
    FROM instant_packs p JOIN instant_batches b ON b.id = p.batch_id
    LEFT JOIN stations s ON s.id = p.station_id LEFT JOIN towns t ON t.id = s.town_id";

fn pack_row(r: &Row<'_>) -> rusqlite::Result<PackRow> {
    Ok(PackRow {
        id: r.get(0)?,
        batch_id: r.get(1)?,
        game: r.get(2)?,
        batch: r.get(3)?,
        pack: r.get(4)?,
        state: r.get(5)?,
        station_id: r.get(6)?,
        station_code: r.get(7)?,
        town_code: r.get(8)?,
        activated_at: r.get(9)?,
        settled_at: r.get(10)?,
        sales_posted_at: r.get(11)?,
    })
}

impl InstantReads for Reader<'_> {
    fn instant_batch(&self, game: &str, batch: &str) -> StoreResult<Option<InstantBatchRow>> {
        let sql =
            format!("SELECT {BATCH_COLUMNS} FROM instant_batches WHERE game = ?1 AND batch = ?2");
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row(params![game, batch], batch_row)
            .optional()?)
    }

    fn instant_batches(&self) -> StoreResult<Vec<InstantBatchRow>> {
        let sql = format!("SELECT {BATCH_COLUMNS} FROM instant_batches ORDER BY game, batch");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], batch_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn instant_pack(&self, game: &str, batch: &str, pack: i64) -> StoreResult<Option<PackRow>> {
        let sql = format!("{PACK_SELECT} WHERE b.game = ?1 AND b.batch = ?2 AND p.pack = ?3");
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row(params![game, batch, pack], pack_row)
            .optional()?)
    }

    fn instant_packs_in(&self, state: PackState) -> StoreResult<Vec<PackRow>> {
        let sql = format!("{PACK_SELECT} WHERE p.state = ?1 ORDER BY b.game, b.batch, p.pack");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([state], pack_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn instant_pack_events(&self, pack_id: i64) -> StoreResult<Vec<PackEventRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.at, e.actor, e.from_state, e.to_state, s.code, e.note FROM instant_pack_events e
             LEFT JOIN stations s ON s.id = e.station_id WHERE e.pack_id = ?1 ORDER BY e.id",
        )?;
        let rows = stmt.query_map([pack_id], |r| {
            Ok(PackEventRow {
                at: r.get(0)?,
                actor: r.get(1)?,
                from_state: r.get(2)?,
                to_state: r.get(3)?,
                station_code: r.get(4)?,
                note: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn instant_paid_in_pack(&self, pack_id: i64) -> StoreResult<Vec<(i64, Money)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT ticket, prize_fen FROM instant_claims WHERE pack_id = ?1")?;
        let rows = stmt.query_map([pack_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn instant_paid_in_batch(&self, batch_id: i64) -> StoreResult<Vec<(Money, i64)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.prize_fen, COUNT(*) FROM instant_claims c JOIN instant_packs p ON p.id = c.pack_id
             WHERE p.batch_id = ?1 GROUP BY c.prize_fen ORDER BY c.prize_fen",
        )?;
        let rows = stmt.query_map([batch_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn instant_stock(&self) -> StoreResult<Vec<StockRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.code, b.game, p.state, COUNT(*) FROM instant_packs p JOIN instant_batches b ON b.id = p.batch_id
             LEFT JOIN stations s ON s.id = p.station_id GROUP BY s.code, b.game, p.state ORDER BY s.code, b.game, p.state",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(StockRow {
                station_code: r.get(0)?,
                game: r.get(1)?,
                state: r.get(2)?,
                packs: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn instant_moves_counted(&self) -> StoreResult<Vec<(PackState, i64)>> {
        // Where the moves say each pack is: its last move's state (packs that never moved are
        // where their batch put them).
        let mut stmt = self.conn.prepare_cached(
            "SELECT COALESCE((SELECT e.to_state FROM instant_pack_events e WHERE e.pack_id = p.id ORDER BY e.id DESC LIMIT 1), 'in_transit'),
                    COUNT(*)
             FROM instant_packs p GROUP BY 1 ORDER BY 1",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn instant_orders(&self) -> StoreResult<Vec<InstantOrderRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT o.id, o.station_id, s.code, o.game, o.packs, o.issued, o.note, o.ordered_by, o.ordered_at
             FROM instant_orders o JOIN stations s ON s.id = o.station_id ORDER BY o.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(InstantOrderRow {
                id: r.get(0)?,
                station_id: r.get(1)?,
                station_code: r.get(2)?,
                game: r.get(3)?,
                packs: r.get(4)?,
                issued: r.get(5)?,
                note: r.get(6)?,
                ordered_by: r.get(7)?,
                ordered_at: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn instant_pack_sales(
        &self,
        from_ms: i64,
        to_ms: i64,
        day_offset_ms: i64,
    ) -> StoreResult<Vec<PackSalesRow>> {
        // Days are counted in the center's time zone: `day_offset_ms` east of UTC.
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.code, b.game, ((p.sales_posted_at + ?3) / 86400000) * 86400000 - ?3 AS day,
                    COUNT(*), SUM(p.sales_fen)
             FROM instant_packs p JOIN instant_batches b ON b.id = p.batch_id JOIN stations s ON s.id = p.station_id
             WHERE p.sales_posted_at >= ?1 AND p.sales_posted_at < ?2
             GROUP BY s.code, b.game, day ORDER BY day, s.code, b.game",
        )?;
        let rows = stmt.query_map(params![from_ms, to_ms, day_offset_ms], |r| {
            Ok(PackSalesRow {
                station_code: r.get(0)?,
                game: r.get(1)?,
                day_ms: r.get(2)?,
                packs: r.get(3)?,
                sales: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn claim_scope(&self, station_id: i64) -> StoreResult<ClaimScope> {
        self.conn
            .prepare_cached("SELECT instant_claim_scope FROM stations WHERE id = ?1")?
            .query_row([station_id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::not_found(format!("station #{station_id}")))
    }
}

impl InstantWrites for WriteTx<'_> {
    fn insert_instant_batch(&mut self, b: &InstantBatchRow, packs: i64) -> StoreResult<i64> {
        self.tx
            .prepare_cached(
                "INSERT INTO instant_batches (game, batch, winner_sha256, winner_file, winners, prizes_fen, imported_by, imported_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                b.game,
                b.batch,
                b.winner_sha256,
                b.winner_file,
                b.winners,
                b.prizes,
                b.imported_by,
                b.imported_at
            ])
            .map_err(duplicate(format!("winner file of {} batch {}", b.game, b.batch)))?;
        let id = self.tx.last_insert_rowid();
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO instant_packs (batch_id, pack, state) VALUES (?1, ?2, 'in_transit')",
        )?;
        for pack in 1..=packs {
            stmt.execute(params![id, pack])?;
        }
        Ok(id)
    }

    fn move_pack(&mut self, m: &PackMove<'_>) -> StoreResult<()> {
        let n = self
            .tx
            .prepare_cached(
                "UPDATE instant_packs SET state = ?3, station_id = ?4,
                   activated_at = CASE WHEN ?3 = 'activated' THEN ?5 ELSE activated_at END,
                   settled_at = CASE WHEN ?3 = 'settled' THEN ?5 ELSE settled_at END
                 WHERE id = ?1 AND state = ?2",
            )?
            .execute(params![m.pack_id, m.from, m.to, m.station_id, m.at])?;
        if n != 1 {
            return Err(StoreError::Conflict(format!(
                "pack #{} is no longer {}",
                m.pack_id, m.from
            )));
        }
        self.tx
            .prepare_cached(
                "INSERT INTO instant_pack_events (pack_id, at, actor, from_state, to_state, station_id, note)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![m.pack_id, m.at, m.actor, m.from, m.to, m.station_id, m.note])?;
        Ok(())
    }

    fn mark_pack_sales_posted(&mut self, pack_id: i64, at: i64, sales: Money) -> StoreResult<()> {
        self.tx
            .prepare_cached(
                "UPDATE instant_packs SET sales_posted_at = ?2, sales_fen = ?3 WHERE id = ?1",
            )?
            .execute(params![pack_id, at, sales])?;
        Ok(())
    }

    fn insert_instant_claim(&mut self, c: &NewInstantClaim<'_>) -> StoreResult<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO instant_claims (pack_id, ticket, prize_fen, tax_fen, net_fen, office, station_id, claimant_masked, paid_by, paid_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
                c.pack_id,
                c.ticket,
                c.prize,
                c.tax,
                c.net,
                c.office,
                c.station_id,
                c.claimant_masked,
                c.paid_by,
                c.paid_at
            ])
            .map_err(duplicate(format!("the prize of ticket {} of pack #{}", c.ticket, c.pack_id)))?;
        Ok(())
    }

    fn insert_instant_order(&mut self, o: &InstantOrderRow) -> StoreResult<i64> {
        self.tx
            .prepare_cached(
                "INSERT INTO instant_orders (station_id, game, packs, note, ordered_by, ordered_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                o.station_id,
                o.game,
                o.packs,
                o.note,
                o.ordered_by,
                o.ordered_at
            ])?;
        Ok(self.tx.last_insert_rowid())
    }

    fn count_issued(&mut self, order_id: i64, packs: i64) -> StoreResult<()> {
        self.tx
            .prepare_cached("UPDATE instant_orders SET issued = issued + ?2 WHERE id = ?1")?
            .execute(params![order_id, packs])?;
        Ok(())
    }

    fn set_claim_scope(&mut self, station_id: i64, scope: ClaimScope) -> StoreResult<()> {
        self.tx
            .prepare_cached("UPDATE stations SET instant_claim_scope = ?2 WHERE id = ?1")?
            .execute(params![station_id, scope])?;
        Ok(())
    }
}

/// One move of a pack, with who made it and why.
#[derive(Clone, Debug)]
pub struct PackMove<'a> {
    pub pack_id: i64,
    pub from: PackState,
    pub to: PackState,
    /// Where the pack is after the move (a station, or `None` at the center).
    pub station_id: Option<i64>,
    pub at: i64,
    pub actor: &'a str,
    pub note: &'a str,
}

/// Reads of 即开票 batches, packs and prizes.
pub trait InstantReads {
    fn instant_batch(&self, game: &str, batch: &str) -> StoreResult<Option<InstantBatchRow>>;
    fn instant_batches(&self) -> StoreResult<Vec<InstantBatchRow>>;
    fn instant_pack(&self, game: &str, batch: &str, pack: i64) -> StoreResult<Option<PackRow>>;
    fn instant_packs_in(&self, state: PackState) -> StoreResult<Vec<PackRow>>;
    fn instant_pack_events(&self, pack_id: i64) -> StoreResult<Vec<PackEventRow>>;
    /// Prizes paid in a pack: (ticket, prize).
    fn instant_paid_in_pack(&self, pack_id: i64) -> StoreResult<Vec<(i64, Money)>>;
    /// Prizes paid in a batch: (prize, count).
    fn instant_paid_in_batch(&self, batch_id: i64) -> StoreResult<Vec<(Money, i64)>>;
    /// Packs by holder, game and state.
    fn instant_stock(&self) -> StoreResult<Vec<StockRow>>;
    /// Packs by the state their moves leave them in (to check the stock against).
    fn instant_moves_counted(&self) -> StoreResult<Vec<(PackState, i64)>>;
    fn claim_scope(&self, station_id: i64) -> StoreResult<ClaimScope>;
    fn instant_orders(&self) -> StoreResult<Vec<InstantOrderRow>>;
    /// Sales recognised in `[from_ms, to_ms)` by station, game and day (days start
    /// `day_offset_ms` east of UTC midnight).
    fn instant_pack_sales(
        &self,
        from_ms: i64,
        to_ms: i64,
        day_offset_ms: i64,
    ) -> StoreResult<Vec<PackSalesRow>>;
}

/// Writes of 即开票 batches, packs and prizes.
pub trait InstantWrites {
    /// A batch's winner file, and its packs (on their way to the center).
    fn insert_instant_batch(&mut self, b: &InstantBatchRow, packs: i64) -> StoreResult<i64>;
    /// Moves a pack that is in `from` (else a conflict), recording the move.
    fn move_pack(&mut self, m: &PackMove<'_>) -> StoreResult<()>;
    /// Records that the pack's sales (`sales`) were posted.
    fn mark_pack_sales_posted(&mut self, pack_id: i64, at: i64, sales: Money) -> StoreResult<()>;
    /// A prize paid; a ticket already paid is a duplicate.
    fn insert_instant_claim(&mut self, c: &NewInstantClaim<'_>) -> StoreResult<()>;
    fn set_claim_scope(&mut self, station_id: i64, scope: ClaimScope) -> StoreResult<()>;
    fn insert_instant_order(&mut self, o: &InstantOrderRow) -> StoreResult<i64>;
    /// Counts packs issued against an order.
    fn count_issued(&mut self, order_id: i64, packs: i64) -> StoreResult<()>;
}
