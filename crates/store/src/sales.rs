//! Draws, tickets and upstream daily sales.

use fucai_ledger::Money;
use rusqlite::{params, OptionalExtension, Row};

use crate::registers::duplicate;
use crate::serial::Serial;
use crate::{
    DailySalesRow, DrawRow, DrawStatus, NewTicket, Reader, StoreError, StoreResult, TicketLineRow,
    TicketRow, WriteTx,
};

/// Which draws a calendar page lists.
#[derive(Clone, Debug, Default)]
pub struct DrawQuery {
    pub game: Option<String>,
    pub status: Option<DrawStatus>,
    /// Draw time from (inclusive) and to (exclusive), epoch ms.
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    pub limit: usize,
    pub offset: usize,
}

pub(crate) fn draw_row(r: &Row<'_>) -> rusqlite::Result<DrawRow> {
    Ok(DrawRow {
        id: r.get(0)?,
        game: r.get(1)?,
        number: r.get(2)?,
        opens_at: r.get(3)?,
        closes_at: r.get(4)?,
        draw_at: r.get(5)?,
        status: r.get(6)?,
    })
}

const TICKET_COLUMNS: &str = "k.id, k.serial, k.terminal_id, m.code, k.station_id, s.code, k.game, k.amount_fen, k.request_id,
    k.request_hash, k.verification_code, k.sold_at, k.status, k.cancelled_at";

fn ticket_row(r: &Row<'_>) -> rusqlite::Result<TicketRow> {
    Ok(TicketRow {
        id: r.get(0)?,
        serial: r.get(1)?,
        terminal_id: r.get(2)?,
        terminal_code: r.get(3)?,
        station_id: r.get(4)?,
        station_code: r.get(5)?,
        game: r.get(6)?,
        draws: Vec::new(),
        amount: r.get(7)?,
        request_id: r.get(8)?,
        request_hash: r.get(9)?,
        verification_code: r.get(10)?,
        sold_at: r.get(11)?,
        status: r.get(12)?,
        cancelled_at: r.get(13)?,
        lines: Vec::new(),
    })
}

/// The key of a ticket's sale entry in the journal; `fucai ledger verify` pairs each ticket
/// with its entry by it.
pub fn sale_entry_key(serial: &str) -> String {
    format!("sale:{serial}")
}

/// The audit action of a sale, whose object is the ticket's serial; `fucai ledger verify`
/// pairs each ticket with its record both ways.
pub const SALE_AUDIT_ACTION: &str = "ticket.sell";

/// The ticket id inside a serial.
fn ticket_id_of(serial: &str) -> Option<i64> {
    serial.parse::<Serial>().ok().map(Serial::ticket_id)
}

impl SalesReads for Reader<'_> {
    fn station_sales(
        &self,
        from: &str,
        to: &str,
        from_ms: i64,
        to_ms: i64,
    ) -> StoreResult<Vec<(String, Money)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.code, SUM(x.amount) FROM (
                 SELECT k.station_id AS station_id, k.amount_fen AS amount FROM tickets k
                 WHERE k.status = 'sold' AND k.sold_at >= ?3 AND k.sold_at < ?4
                 UNION ALL
                 SELECT d.station_id, d.amount_fen FROM daily_sales d WHERE d.sale_date BETWEEN ?1 AND ?2
             ) x JOIN stations s ON s.id = x.station_id GROUP BY s.code ORDER BY s.code",
        )?;
        let rows = stmt.query_map(params![from, to, from_ms, to_ms], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn draw(&self, game: &str, number: &str) -> StoreResult<DrawRow> {
        self.conn
            .prepare_cached("SELECT id, game, number, opens_at, closes_at, draw_at, status FROM draws WHERE game = ?1 AND number = ?2")?
            .query_row([game, number], draw_row)
            .optional()?
            .ok_or_else(|| StoreError::not_found(format!("draw {game} {number}")))
    }

    fn draw_calendar(&self, q: &DrawQuery) -> StoreResult<(i64, Vec<DrawRow>)> {
        let status = q.status.map(|s| s.as_str());
        let total: i64 = self.conn.prepare_cached(
            "SELECT COUNT(*) FROM draws WHERE (?1 IS NULL OR game = ?1) AND (?2 IS NULL OR status = ?2) AND (?3 IS NULL OR draw_at >= ?3) AND (?4 IS NULL OR draw_at < ?4)",
        )?
        .query_row(params![q.game, status, q.from_ms, q.to_ms], |r| r.get(0))?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, game, number, opens_at, closes_at, draw_at, status FROM draws WHERE (?1 IS NULL OR game = ?1) AND (?2 IS NULL OR status = ?2) AND (?3 IS NULL OR draw_at >= ?3) AND (?4 IS NULL OR draw_at < ?4) ORDER BY draw_at DESC, game LIMIT ?5 OFFSET ?6",
        )?;
        let rows = stmt.query_map(
            params![
                q.game,
                status,
                q.from_ms,
                q.to_ms,
                q.limit as i64,
                q.offset as i64
            ],
            draw_row,
        )?;
        Ok((total, rows.collect::<Result<_, _>>()?))
    }

    fn draws_from(&self, game: &str, number: &str, count: usize) -> StoreResult<Vec<DrawRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, game, number, opens_at, closes_at, draw_at, status FROM draws WHERE game = ?1 AND number >= ?2 ORDER BY number LIMIT ?3",
        )?;
        let rows = stmt.query_map(params![game, number, count as i64], draw_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn draws_open_at(
        &self,
        game: Option<&str>,
        at: i64,
        limit: usize,
    ) -> StoreResult<Vec<DrawRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, game, number, opens_at, closes_at, draw_at, status FROM draws
             WHERE closes_at > ?1 AND (?2 IS NULL OR game = ?2) ORDER BY closes_at, game LIMIT ?3",
        )?;
        let rows = stmt.query_map(params![at, game, limit as i64], draw_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn ticket_by_serial(&self, serial: &str) -> StoreResult<TicketRow> {
        let not_found = || StoreError::not_found(format!("ticket {serial}"));
        let id = ticket_id_of(serial).ok_or_else(not_found)?;
        let sql = format!(
            "SELECT {TICKET_COLUMNS} FROM tickets k JOIN terminals m ON m.id = k.terminal_id JOIN stations s ON s.id = k.station_id
             WHERE k.id = ?1 AND k.serial = ?2"
        );
        let ticket = self
            .conn
            .prepare_cached(&sql)?
            .query_row(params![id, serial], ticket_row)
            .optional()?
            .ok_or_else(not_found)?;
        self.with_details(ticket)
    }

    fn ticket_by_request(
        &self,
        terminal_id: i64,
        request_id: &str,
    ) -> StoreResult<Option<TicketRow>> {
        let sql = format!(
            "SELECT {TICKET_COLUMNS} FROM tickets k JOIN terminals m ON m.id = k.terminal_id JOIN stations s ON s.id = k.station_id
             WHERE k.terminal_id = ?1 AND k.request_id = ?2"
        );
        let ticket = self
            .conn
            .prepare_cached(&sql)?
            .query_row(params![terminal_id, request_id], ticket_row)
            .optional()?;
        ticket.map(|t| self.with_details(t)).transpose()
    }

    fn station_tickets(
        &self,
        station_id: i64,
        limit: usize,
        before_id: Option<i64>,
    ) -> StoreResult<Vec<TicketRow>> {
        let sql = format!(
            "SELECT {TICKET_COLUMNS} FROM tickets k JOIN terminals m ON m.id = k.terminal_id JOIN stations s ON s.id = k.station_id
             WHERE k.terminal_id IN (SELECT id FROM terminals WHERE station_id = ?1) AND k.station_id = ?1 AND k.id < ?2
             ORDER BY k.id DESC LIMIT ?3"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(
            params![station_id, before_id.unwrap_or(i64::MAX), limit as i64],
            ticket_row,
        )?;
        let tickets: Vec<TicketRow> = rows.collect::<Result<_, _>>()?;
        tickets.into_iter().map(|t| self.with_details(t)).collect()
    }

    fn ticket_request(
        &self,
        terminal_id: i64,
        request_id: &str,
    ) -> StoreResult<Option<(String, String)>> {
        Ok(self
            .conn
            .prepare_cached("SELECT serial, request_hash FROM tickets WHERE terminal_id = ?1 AND request_id = ?2")?
            .query_row(params![terminal_id, request_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    fn draw_state(&self, draw_id: i64) -> StoreResult<(DrawStatus, i64)> {
        self.conn
            .prepare_cached("SELECT status, closes_at FROM draws WHERE id = ?1")?
            .query_row([draw_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .ok_or_else(|| StoreError::not_found(format!("draw #{draw_id}")))
    }

    fn max_ticket_id(&self) -> StoreResult<i64> {
        Ok(self
            .conn
            .query_row("SELECT COALESCE(MAX(id), 0) FROM tickets", [], |r| r.get(0))?)
    }

    fn ticket_count(&self) -> StoreResult<i64> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM tickets", [], |r| r.get(0))?)
    }

    fn daily_sales(&self) -> StoreResult<Vec<DailySalesRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.sale_date, s.code, d.game, d.amount_fen, d.bets FROM daily_sales d JOIN stations s ON s.id = d.station_id ORDER BY d.sale_date, s.code, d.game",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(DailySalesRow {
                sale_date: r.get(0)?,
                station_code: r.get(1)?,
                game: r.get(2)?,
                amount: r.get(3)?,
                bets: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl Reader<'_> {
    fn with_details(&self, mut ticket: TicketRow) -> StoreResult<TicketRow> {
        let mut stmt = self.conn.prepare_cached("SELECT selection, bets, multiple FROM ticket_lines WHERE ticket_id = ?1 ORDER BY line_no")?;
        ticket.lines = stmt
            .query_map([ticket.id], |r| {
                Ok(TicketLineRow {
                    selection: r.get(0)?,
                    bets: r.get(1)?,
                    multiple: r.get(2)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.number FROM ticket_draws td JOIN draws d ON d.id = td.draw_id WHERE td.ticket_id = ?1 ORDER BY d.number",
        )?;
        ticket.draws = stmt
            .query_map([ticket.id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(ticket)
    }
}

impl SalesWrites for WriteTx<'_> {
    fn next_ticket_id(&mut self) -> StoreResult<i64> {
        let next = match self.next_ticket_id {
            Some(n) => n,
            None => self.reader().max_ticket_id()? + 1,
        };
        self.next_ticket_id = Some(next);
        Ok(next)
    }

    fn insert_draw(
        &mut self,
        game: &str,
        number: &str,
        opens_at: i64,
        closes_at: i64,
        draw_at: i64,
    ) -> StoreResult<i64> {
        self.reference_changed();
        self.tx
            .prepare_cached("INSERT INTO draws (game, number, opens_at, closes_at, draw_at) VALUES (?1, ?2, ?3, ?4, ?5)")?
            .execute(params![game, number, opens_at, closes_at, draw_at])
            .map_err(duplicate(format!("draw {game} {number}")))?;
        Ok(self.tx.last_insert_rowid())
    }

    fn insert_ticket(&mut self, id: i64, t: &NewTicket) -> StoreResult<()> {
        let amount = t.amount_per_draw.checked_mul(t.draw_ids.len() as i64)?;
        self.tx
            .prepare_cached(
                "INSERT INTO tickets (id, serial, terminal_id, station_id, game, first_draw_id, draw_count, amount_fen, request_id,
                 request_hash, verification_code, sold_at, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'sold')",
            )?
            .execute(params![
                id, t.serial, t.terminal_id, t.station_id, t.game, t.draw_ids[0], t.draw_ids.len() as i64, amount,
                t.request_id, t.request_hash, t.verification_code, t.sold_at
            ])
            .map_err(duplicate(format!("request {}", t.request_id)))?;
        let mut line = self.tx.prepare_cached("INSERT INTO ticket_lines (ticket_id, line_no, selection, bets, multiple) VALUES (?1, ?2, ?3, ?4, ?5)")?;
        for (no, l) in t.lines.iter().enumerate() {
            line.execute(params![id, no as i64, l.selection, l.bets, l.multiple])?;
        }
        let mut draw = self.tx.prepare_cached(
            "INSERT INTO ticket_draws (ticket_id, draw_id, amount_fen) VALUES (?1, ?2, ?3)",
        )?;
        for d in &t.draw_ids {
            draw.execute(params![id, d, t.amount_per_draw])?;
        }
        self.next_ticket_id = Some(id + 1);
        Ok(())
    }

    fn mark_ticket_cancelled(&mut self, ticket_id: i64, at: i64) -> StoreResult<()> {
        let changed = self
            .tx
            .prepare_cached("UPDATE tickets SET status = 'cancelled', cancelled_at = ?2 WHERE id = ?1 AND status = 'sold'")?
            .execute(params![ticket_id, at])?;
        if changed != 1 {
            return Err(StoreError::Duplicate(format!(
                "cancellation of ticket #{ticket_id}"
            )));
        }
        Ok(())
    }

    fn insert_daily_sales(&mut self, row: &DailySalesRow) -> StoreResult<i64> {
        let station = self.id_of("stations", &row.station_code)?;
        self.tx
            .prepare_cached("INSERT INTO daily_sales (sale_date, station_id, game, amount_fen, bets) VALUES (?1, ?2, ?3, ?4, ?5)")?
            .execute(params![row.sale_date, station, row.game, row.amount, row.bets])
            .map_err(duplicate(format!("daily sales of {} {} {}", row.sale_date, row.station_code, row.game)))?;
        Ok(self.tx.last_insert_rowid())
    }
}

/// The reads of draws, tickets and upstream daily sales. SQLite implements it on
/// [`Reader`](crate::Reader); another backend implements it on its own handle.
pub trait SalesReads {
    fn draw(&self, game: &str, number: &str) -> StoreResult<DrawRow>;
    /// `count` consecutive draws of a game starting at `number` (multi-draw tickets).
    /// One page of the draw calendar, latest draw time first, and how many match in all.
    fn draw_calendar(&self, q: &DrawQuery) -> StoreResult<(i64, Vec<DrawRow>)>;
    fn draws_from(&self, game: &str, number: &str, count: usize) -> StoreResult<Vec<DrawRow>>;
    /// Draws of a game whose sales window contains `at`, or that open after it (upcoming).
    fn draws_open_at(&self, game: Option<&str>, at: i64, limit: usize)
        -> StoreResult<Vec<DrawRow>>;
    fn ticket_by_serial(&self, serial: &str) -> StoreResult<TicketRow>;
    fn ticket_by_request(
        &self,
        terminal_id: i64,
        request_id: &str,
    ) -> StoreResult<Option<TicketRow>>;
    /// A station's tickets, newest first.
    fn station_tickets(
        &self,
        station_id: i64,
        limit: usize,
        before_id: Option<i64>,
    ) -> StoreResult<Vec<TicketRow>>;
    /// (serial, request hash) of the ticket a terminal sold under `request_id`.
    fn ticket_request(
        &self,
        terminal_id: i64,
        request_id: &str,
    ) -> StoreResult<Option<(String, String)>>;
    /// A draw's (status, sales close time), for the last check before a sale is written.
    fn draw_state(&self, draw_id: i64) -> StoreResult<(DrawStatus, i64)>;
    fn max_ticket_id(&self) -> StoreResult<i64>;
    fn ticket_count(&self) -> StoreResult<i64>;
    fn daily_sales(&self) -> StoreResult<Vec<DailySalesRow>>;
    /// Each station's sales between two days (both included): its sold tickets (sold at
    /// from `from_ms` to before `to_ms`, the days' bounds in Beijing time) and the upstream
    /// daily sales imported for those days. Stations without sales are left out.
    fn station_sales(
        &self,
        from: &str,
        to: &str,
        from_ms: i64,
        to_ms: i64,
    ) -> StoreResult<Vec<(String, Money)>>;
}

/// The writes (inside a write transaction) of draws, tickets and upstream daily sales. SQLite
/// implements it on [`WriteTx`](crate::WriteTx); another backend implements it on its own handle.
pub trait SalesWrites {
    /// The id the next ticket of this transaction gets (read once, then counted in memory):
    /// the same until a ticket is inserted, so a refused sale leaves no gap.
    fn next_ticket_id(&mut self) -> StoreResult<i64>;
    fn insert_draw(
        &mut self,
        game: &str,
        number: &str,
        opens_at: i64,
        closes_at: i64,
        draw_at: i64,
    ) -> StoreResult<i64>;
    /// Stores a ticket with its lines and draws; `id` is chosen by the caller (the serial
    /// embeds it).
    fn insert_ticket(&mut self, id: i64, t: &NewTicket) -> StoreResult<()>;
    fn mark_ticket_cancelled(&mut self, ticket_id: i64, at: i64) -> StoreResult<()>;
    fn insert_daily_sales(&mut self, row: &DailySalesRow) -> StoreResult<i64>;
}
