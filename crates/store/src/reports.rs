//! Sales by channel, game, station, town and day, from the sales records of every channel:
//! tickets sold (not cancelled), the upstream daily reports, 即开票 packs whose sales are
//! recognised, 中福在线 closes in force. (The ledger's own totals per channel are checked
//! against the same records by `verify_ledger`.)

use fucai_ledger::Money;
use rusqlite::params;
use serde::Serialize;

use crate::{Reader, StoreResult, WriteTx};

/// A year's totals from before fucai kept the books.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HistoryYear {
    pub year: i64,
    pub computer: Money,
    pub instant: Money,
    pub vlt: Money,
    pub welfare: Money,
}

/// One channel's sales of one game at one station on one (Beijing) day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SalesCell {
    /// computer, instant or vlt.
    pub channel: String,
    /// The game's code (`vlt` for 中福在线).
    pub game: String,
    pub station_code: String,
    pub town_code: String,
    /// YYYY-MM-DD.
    pub day: String,
    pub amount: Money,
}

/// Beijing is 8 hours east of UTC: a Unix-ms instant's Beijing date in SQL.
const BEIJING_DAY: &str = "date((? + 28800000) / 1000, 'unixepoch')";

impl ReportsReads for Reader<'_> {
    fn history_years(&self) -> StoreResult<Vec<HistoryYear>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT year, computer_fen, instant_fen, vlt_fen, welfare_fen FROM history_years ORDER BY year",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(HistoryYear {
                year: r.get(0)?,
                computer: r.get(1)?,
                instant: r.get(2)?,
                vlt: r.get(3)?,
                welfare: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn sales_cells(&self, from_day: &str, to_day: &str) -> StoreResult<Vec<SalesCell>> {
        // Instants are bounded by the days' Beijing midnights, kept in SQL so that the query
        // needs only the two days. A daily import row is already one cell (unique per day,
        // station and game): it needs no grouping, which would sort every row.
        let day_of = |column: &str| BEIJING_DAY.replace('?', column);
        let start = "(strftime('%s', ?1) * 1000 - 28800000)";
        let end = "(strftime('%s', ?2, '+1 day') * 1000 - 28800000)";
        let sql = format!(
            "SELECT 'computer', k.game, s.code, t.code, {ticket_day}, SUM(k.amount_fen)
               FROM tickets k JOIN stations s ON s.id = k.station_id JOIN towns t ON t.id = s.town_id
              WHERE k.status = 'sold' AND k.sold_at >= {start} AND k.sold_at < {end}
              GROUP BY k.game, s.code, t.code, 5
             UNION ALL
             SELECT 'computer', d.game, s.code, t.code, d.sale_date, d.amount_fen
               FROM daily_sales d JOIN stations s ON s.id = d.station_id JOIN towns t ON t.id = s.town_id
              WHERE d.sale_date >= ?1 AND d.sale_date <= ?2
             UNION ALL
             SELECT 'instant', b.game, s.code, t.code, {pack_day}, SUM(p.sales_fen)
               FROM instant_packs p JOIN instant_batches b ON b.id = p.batch_id
               JOIN stations s ON s.id = p.station_id JOIN towns t ON t.id = s.town_id
              WHERE p.sales_posted_at >= {start} AND p.sales_posted_at < {end}
              GROUP BY b.game, s.code, t.code, 5
             UNION ALL
             SELECT 'vlt', 'vlt', s.code, t.code, h.day, SUM(h.wagered_fen)
               FROM hall_days h JOIN halls l ON l.id = h.hall_id
               JOIN stations s ON s.id = l.station_id JOIN towns t ON t.id = s.town_id
              WHERE h.current = 1 AND h.day >= ?1 AND h.day <= ?2
              GROUP BY s.code, t.code, h.day",
            ticket_day = day_of("k.sold_at"),
            pack_day = day_of("p.sales_posted_at"),
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![from_day, to_day], |r| {
            Ok(SalesCell {
                channel: r.get(0)?,
                game: r.get(1)?,
                station_code: r.get(2)?,
                town_code: r.get(3)?,
                day: r.get(4)?,
                amount: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl HistoryWrites for WriteTx<'_> {
    fn insert_history_year(&mut self, y: &HistoryYear, by: &str, at: i64) -> StoreResult<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO history_years (year, computer_fen, instant_fen, vlt_fen, welfare_fen, recorded_by, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![y.year, y.computer, y.instant, y.vlt, y.welfare, by, at])
            .map_err(crate::registers::duplicate(format!("the totals of {}", y.year)))?;
        Ok(())
    }
}

/// Writes of the years before fucai.
pub trait HistoryWrites {
    /// A year's totals, once.
    fn insert_history_year(&mut self, y: &HistoryYear, by: &str, at: i64) -> StoreResult<()>;
}

/// Reads for sales reports.
pub trait ReportsReads {
    /// The years before fucai kept the books, oldest first.
    fn history_years(&self) -> StoreResult<Vec<HistoryYear>>;
    /// Every channel's sales by game, station, town and day over `[from_day, to_day]`
    /// (YYYY-MM-DD, Beijing days).
    fn sales_cells(&self, from_day: &str, to_day: &str) -> StoreResult<Vec<SalesCell>>;
}
