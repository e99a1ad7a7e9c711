//! 中福在线: the video-lottery halls and their daily closes (every revision kept).

use fucai_ledger::Money;
use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

use crate::{HallStatus, Reader, StoreError, StoreResult, WriteTx};

/// A hall, with the station that runs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HallRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub station_code: String,
    pub town_code: String,
    pub address: String,
    pub terminals: i64,
    pub opening_hours: String,
    pub status: HallStatus,
    /// What players' cards held when fucai began keeping the hall's closes.
    pub opening_card_balance: Money,
}

#[derive(Clone, Debug)]
pub struct NewHall<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub station_id: i64,
    pub address: &'a str,
    pub terminals: i64,
    pub opening_hours: &'a str,
    pub status: HallStatus,
    pub opening_card_balance: Money,
}

/// One revision of a hall's daily close as the upstream video-lottery system reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HallDayRow {
    pub hall_code: String,
    pub day: String,
    pub revision: i64,
    /// 投注额: the channel's sales.
    pub wagered: Money,
    /// 中奖额: prizes credited to players' cards.
    pub prizes: Money,
    /// 充值: money put on cards.
    pub top_ups: Money,
    /// 兑付: cash paid out from cards.
    pub cash_outs: Money,
    /// Card balances at close.
    pub card_balance: Money,
    pub terminals_online: i64,
    pub current: bool,
    pub imported_by: String,
    pub imported_at: i64,
}

const HALL_COLUMNS: &str = "h.id, h.code, h.name, s.code, t.code, h.address, h.terminals, h.opening_hours, h.status, h.opening_card_balance_fen";

fn hall_row(r: &Row<'_>) -> rusqlite::Result<HallRow> {
    Ok(HallRow {
        id: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
        station_code: r.get(3)?,
        town_code: r.get(4)?,
        address: r.get(5)?,
        terminals: r.get(6)?,
        opening_hours: r.get(7)?,
        status: r.get(8)?,
        opening_card_balance: r.get(9)?,
    })
}

const HALL_FROM: &str =
    "FROM halls h JOIN stations s ON s.id = h.station_id JOIN towns t ON t.id = s.town_id";

const DAY_COLUMNS: &str = "h.code, d.day, d.revision, d.wagered_fen, d.prizes_fen, d.top_ups_fen, d.cash_outs_fen, d.card_balance_fen, d.terminals_online, d.current, d.imported_by, d.imported_at";

fn day_row(r: &Row<'_>) -> rusqlite::Result<HallDayRow> {
    Ok(HallDayRow {
        hall_code: r.get(0)?,
        day: r.get(1)?,
        revision: r.get(2)?,
        wagered: r.get(3)?,
        prizes: r.get(4)?,
        top_ups: r.get(5)?,
        cash_outs: r.get(6)?,
        card_balance: r.get(7)?,
        terminals_online: r.get(8)?,
        current: r.get(9)?,
        imported_by: r.get(10)?,
        imported_at: r.get(11)?,
    })
}

impl HallsReads for Reader<'_> {
    fn halls(&self) -> StoreResult<Vec<HallRow>> {
        let sql = format!("SELECT {HALL_COLUMNS} {HALL_FROM} ORDER BY h.code");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], hall_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn hall(&self, code: &str) -> StoreResult<HallRow> {
        let sql = format!("SELECT {HALL_COLUMNS} {HALL_FROM} WHERE h.code = ?1");
        self.conn
            .prepare_cached(&sql)?
            .query_row([code], hall_row)
            .optional()?
            .ok_or_else(|| StoreError::not_found(format!("hall {code}")))
    }

    fn hall_days(
        &self,
        hall: Option<&str>,
        from: &str,
        to: &str,
        every_revision: bool,
    ) -> StoreResult<Vec<HallDayRow>> {
        let sql = format!(
            "SELECT {DAY_COLUMNS} FROM hall_days d JOIN halls h ON h.id = d.hall_id
             WHERE (?1 IS NULL OR h.code = ?1) AND d.day >= ?2 AND d.day <= ?3 AND (?4 OR d.current = 1)
             ORDER BY d.day, h.code, d.revision"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![hall, from, to, every_revision], day_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn hall_close_before(&self, hall_id: i64, day: &str) -> StoreResult<Option<HallDayRow>> {
        let sql = format!(
            "SELECT {DAY_COLUMNS} FROM hall_days d JOIN halls h ON h.id = d.hall_id
             WHERE d.hall_id = ?1 AND d.day < ?2 AND d.current = 1 ORDER BY d.day DESC LIMIT 1"
        );
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row(params![hall_id, day], day_row)
            .optional()?)
    }

    fn hall_latest_day(&self, hall_id: i64) -> StoreResult<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT MAX(day) FROM hall_days WHERE hall_id = ?1")?
            .query_row([hall_id], |r| r.get(0))?)
    }

    fn hall_day(&self, hall_id: i64, day: &str) -> StoreResult<Option<HallDayRow>> {
        let sql = format!(
            "SELECT {DAY_COLUMNS} FROM hall_days d JOIN halls h ON h.id = d.hall_id
             WHERE d.hall_id = ?1 AND d.day = ?2 AND d.current = 1"
        );
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row(params![hall_id, day], day_row)
            .optional()?)
    }
}

impl HallsWrites for WriteTx<'_> {
    fn upsert_hall(&mut self, h: &NewHall<'_>) -> StoreResult<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO halls (code, name, station_id, address, terminals, opening_hours, status, opening_card_balance_fen)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name, station_id = excluded.station_id,
                   address = excluded.address, terminals = excluded.terminals,
                   opening_hours = excluded.opening_hours, status = excluded.status,
                   opening_card_balance_fen = excluded.opening_card_balance_fen",
            )?
            .execute(params![
                h.code,
                h.name,
                h.station_id,
                h.address,
                h.terminals,
                h.opening_hours,
                h.status,
                h.opening_card_balance
            ])?;
        Ok(())
    }

    fn insert_hall_day(&mut self, hall_id: i64, d: &HallDayRow) -> StoreResult<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO hall_days (hall_id, day, revision, wagered_fen, prizes_fen, top_ups_fen, cash_outs_fen,
                   card_balance_fen, terminals_online, current, imported_by, imported_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1, ?10, ?11)",
            )?
            .execute(params![
                hall_id,
                d.day,
                d.revision,
                d.wagered,
                d.prizes,
                d.top_ups,
                d.cash_outs,
                d.card_balance,
                d.terminals_online,
                d.imported_by,
                d.imported_at
            ])
            .map_err(crate::registers::duplicate(format!(
                "close of hall {} on {}",
                d.hall_code, d.day
            )))?;
        Ok(())
    }

    fn supersede_hall_day(&mut self, hall_id: i64, day: &str) -> StoreResult<()> {
        self.tx
            .prepare_cached("UPDATE hall_days SET current = 0 WHERE hall_id = ?1 AND day = ?2")?
            .execute(params![hall_id, day])?;
        Ok(())
    }
}

/// The halls and their closes.
pub trait HallsReads {
    fn halls(&self) -> StoreResult<Vec<HallRow>>;
    fn hall(&self, code: &str) -> StoreResult<HallRow>;
    /// Closes of one hall or all in `[from, to]` (days as YYYY-MM-DD); the revisions in force,
    /// or every revision.
    fn hall_days(
        &self,
        hall: Option<&str>,
        from: &str,
        to: &str,
        every_revision: bool,
    ) -> StoreResult<Vec<HallDayRow>>;
    /// The hall's last close (in force) before `day`.
    fn hall_close_before(&self, hall_id: i64, day: &str) -> StoreResult<Option<HallDayRow>>;
    /// The hall's latest day with a close.
    fn hall_latest_day(&self, hall_id: i64) -> StoreResult<Option<String>>;
    /// The close of one day, in force.
    fn hall_day(&self, hall_id: i64, day: &str) -> StoreResult<Option<HallDayRow>>;
}

/// Writes of halls and closes.
pub trait HallsWrites {
    /// Adds a hall, or updates the one with its code.
    fn upsert_hall(&mut self, h: &NewHall<'_>) -> StoreResult<()>;
    /// A close (the revision in force from now on).
    fn insert_hall_day(&mut self, hall_id: i64, d: &HallDayRow) -> StoreResult<()>;
    /// Takes a day's close out of force (a correction follows).
    fn supersede_hall_day(&mut self, hall_id: i64, day: &str) -> StoreResult<()>;
}
