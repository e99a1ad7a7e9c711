//! Selling and cancelling tickets, and reading them back.

use crate::clock::now_ms;
use fucai_games::{DrawNumber, Game, RuleBook, Selection};
use fucai_ledger::{AccountCode, Fund, JournalEntry, Money, Posting, SaleParties};
use fucai_store::{
    sale_entry_key, DrawRow, NewTicket, Serial, StationChain, StoreError, TicketLineRow, TicketRow,
    Writes, SALE_AUDIT_ACTION,
};
use fucai_store::{DrawStatus, StationStatus, TicketStatus};
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{AppError, AppResult};
use crate::principal::{Access, Principal, SALES_READERS};
use crate::App;

/// Most selection lines on one ticket.
pub const MAX_LINES_PER_TICKET: usize = 10;
/// Most consecutive draws one ticket may cover (多期).
pub const MAX_DRAWS_PER_TICKET: u32 = 30;
pub const MAX_REQUEST_ID_BYTES: usize = 64;
/// Most tickets one listing returns.
pub const MAX_LIST: usize = 500;

/// What a terminal asks to sell.
#[derive(Clone, Debug)]
pub struct SaleRequest {
    /// The terminal's own id for this request: retrying it never sells twice.
    pub request_id: String,
    pub game: String,
    /// First draw (期号).
    pub draw: String,
    /// Consecutive draws covered, from `draw` (1 = this draw only).
    pub draws: u32,
    /// Ticket-wide multiple applied to every line (1–99, with the lines' own multiples).
    pub multiple: u32,
    pub selections: Vec<String>,
}

/// One selection line of a ticket (canonical text, bets, effective multiple).
pub type TicketLine = TicketLineRow;

/// A ticket as the API shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Ticket {
    pub serial: String,
    pub verification_code: String,
    pub game: String,
    pub draws: Vec<String>,
    pub station: String,
    pub terminal: String,
    pub lines: Vec<TicketLine>,
    pub amount: Money,
    pub sold_at_ms: i64,
    pub status: TicketStatus,
    pub cancelled_at_ms: Option<i64>,
}

impl From<TicketRow> for Ticket {
    fn from(t: TicketRow) -> Ticket {
        Ticket {
            serial: t.serial,
            verification_code: t.verification_code,
            game: t.game,
            draws: t.draws,
            station: t.station_code,
            terminal: t.terminal_code,
            lines: t.lines,
            amount: t.amount,
            sold_at_ms: t.sold_at,
            status: t.status,
            cancelled_at_ms: t.cancelled_at,
        }
    }
}

/// A validated sale, ready for the writer.
struct PreparedSale {
    request_id: String,
    request_hash: String,
    game: Game,
    first_draw: DrawNumber,
    draw_count: u32,
    lines: Vec<TicketLineRow>,
    amount_per_draw: Money,
}

fn prepare(req: &SaleRequest) -> AppResult<PreparedSale> {
    let request_id = req.request_id.trim();
    if request_id.is_empty()
        || request_id.len() > MAX_REQUEST_ID_BYTES
        || !request_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
    {
        return Err(AppError::invalid(
            "request_id",
            format!("1–{MAX_REQUEST_ID_BYTES} characters of A–Z a–z 0–9 - _ . :"),
        ));
    }
    let game: Game = req.game.parse().map_err(|e| AppError::invalid("game", e))?;
    let first_draw: DrawNumber = req.draw.parse().map_err(|e| AppError::invalid("draw", e))?;
    if req.draws == 0 || req.draws > MAX_DRAWS_PER_TICKET {
        return Err(AppError::invalid(
            "draws",
            format!("a ticket covers 1–{MAX_DRAWS_PER_TICKET} draws"),
        ));
    }
    if req.multiple == 0 || req.multiple > fucai_games::MAX_MULTIPLE {
        return Err(AppError::invalid(
            "multiple",
            format!("the multiple is 1–{}", fucai_games::MAX_MULTIPLE),
        ));
    }
    if req.selections.is_empty() || req.selections.len() > MAX_LINES_PER_TICKET {
        return Err(AppError::invalid(
            "selections",
            format!("a ticket has 1–{MAX_LINES_PER_TICKET} selections"),
        ));
    }
    let rules = RuleBook::standard().game(game);
    let mut lines = Vec::with_capacity(req.selections.len());
    let mut bets_weighted: u64 = 0;
    for (i, text) in req.selections.iter().enumerate() {
        let field = format!("selections[{i}]");
        let mut selection =
            Selection::parse(game, text).map_err(|e| AppError::invalid(&field, e))?;
        let multiple = u32::from(selection.multiple) * req.multiple;
        if multiple > rules.max_multiple {
            return Err(AppError::invalid(
                &field,
                format!(
                    "multiple {multiple} (line × ticket) exceeds the limit {}",
                    rules.max_multiple
                ),
            ));
        }
        // Fits: rule data keeps max_multiple within a byte (checked on load).
        selection.multiple = u8::try_from(multiple)
            .map_err(|_| AppError::invalid(&field, format!("multiple {multiple} is too large")))?;
        bets_weighted += selection.weighted_bets();
        let mut canonical = selection;
        canonical.multiple = 1;
        lines.push(TicketLineRow {
            selection: canonical.to_string(),
            bets: selection.bets() as i64,
            multiple: i64::from(multiple),
        });
    }
    let amount_per_draw = rules
        .price
        .0
        .checked_mul(bets_weighted as i64)
        .map_err(|e| AppError::invalid("selections", e))?;
    let total = amount_per_draw
        .checked_mul(i64::from(req.draws))
        .map_err(|e| AppError::invalid("selections", e))?;
    if total > rules.max_ticket.0 {
        return Err(AppError::invalid(
            "selections",
            format!(
                "the ticket costs {total}; one ticket may cost at most {}",
                rules.max_ticket.0
            ),
        ));
    }
    let canonical_request = format!(
        "{}|{}|{}|{}",
        game.code(),
        first_draw,
        req.draws,
        lines
            .iter()
            .map(|l| format!("{} x {}", l.selection, l.multiple))
            .collect::<Vec<_>>()
            .join(";")
    );
    Ok(PreparedSale {
        request_id: request_id.to_string(),
        request_hash: hex::encode(Sha256::digest(canonical_request.as_bytes())),
        game,
        first_draw,
        draw_count: req.draws,
        lines,
        amount_per_draw,
    })
}

fn game_digit(game: Game) -> u8 {
    match game {
        Game::Ssq => 1,
        Game::Fc3d => 2,
        Game::Qlc => 3,
        Game::Kl8 => 4,
    }
}

/// The commission rate a station's latest star rating set, if it has been rated.
pub(crate) fn station_commission(chain: &StationChain) -> AppResult<Option<fucai_ledger::Ratio>> {
    chain
        .commission_permille
        .map(crate::network::checklist::permille_ratio)
        .transpose()
}

/// The text the verification code signs: everything that makes the ticket what it is.
/// A sale checked outside the writer, written by it.
struct SaleWrite {
    sale: PreparedSale,
    draws: Vec<DrawRow>,
    postings: Vec<Posting>,
    key: Vec<u8>,
    terminal_id: i64,
    terminal_code: String,
    station_id: i64,
    station_code: String,
    /// Most the station may owe (its deposit), where the center set one.
    credit_limit: Option<Money>,
}

impl SaleWrite {
    /// Inside the write transaction: the draws still on sale by the server's clock, then the
    /// ticket, its sale entry and its audit record. A retry gets the ticket its first try sold.
    fn record(self, tx: &mut dyn Writes) -> AppResult<SaleOutcome> {
        let now = now_ms();
        if let Some(closed) = self.closed_draw(tx, now)? {
            // A retry of a sale made in time still gets its ticket.
            if let Some(earlier) = earlier_sale(tx, self.terminal_id, &self.sale)? {
                return Ok(earlier);
            }
            return Err(AppError::Refused(format!(
                "sales for draw {closed} are closed"
            )));
        }
        if let Some(why) = self.beyond_credit(tx)? {
            if let Some(earlier) = earlier_sale(tx, self.terminal_id, &self.sale)? {
                return Ok(earlier);
            }
            return Err(AppError::Refused(why));
        }
        let id = tx.next_ticket_id()?;
        let sale = &self.sale;
        let serial = Serial::new(game_digit(sale.game), sale.first_draw.as_u32(), id)
            .map_err(AppError::caused_by)?
            .to_string();
        let draw_numbers: Vec<String> = self.draws.iter().map(|d| d.number.clone()).collect();
        let mut ticket = NewTicket {
            serial: serial.clone(),
            terminal_id: self.terminal_id,
            station_id: self.station_id,
            game: sale.game.code().to_string(),
            draw_ids: self.draws.iter().map(|d| d.id).collect(),
            amount_per_draw: sale.amount_per_draw,
            request_id: sale.request_id.clone(),
            request_hash: sale.request_hash.clone(),
            verification_code: String::new(),
            sold_at: now,
            lines: sale.lines.clone(),
        };
        let canonical = canonical_ticket(
            &ticket,
            &draw_numbers,
            &self.station_code,
            &self.terminal_code,
        );
        ticket.verification_code = verification_code(&self.key, &canonical);
        // The (terminal, request id) key finds a retry: no lookup before every sale.
        match tx.insert_ticket(id, &ticket) {
            Err(StoreError::Duplicate(_)) => {
                return earlier_sale(tx, self.terminal_id, sale)?
                    .ok_or_else(|| AppError::internal("a duplicate request without its ticket"));
            }
            inserted => inserted?,
        }
        let entry = JournalEntry::new(
            sale_entry_key(&serial),
            format!("{} 销售 {}", sale.game.name(), serial),
            self.postings,
        )
        .map_err(AppError::caused_by)?;
        tx.post_entry(&entry, "sale", Some(id), now)?;
        tx.audit(
            now,
            &format!("terminal:{}", self.terminal_code),
            SALE_AUDIT_ACTION,
            &serial,
            canonical.as_bytes(),
        )?;
        let amount = ticket
            .amount_per_draw
            .checked_mul(i64::from(sale.draw_count))?;
        Ok(SaleOutcome {
            ticket: Ticket {
                serial,
                verification_code: ticket.verification_code,
                game: ticket.game,
                draws: draw_numbers,
                station: self.station_code,
                terminal: self.terminal_code,
                lines: ticket.lines,
                amount,
                sold_at_ms: now,
                status: TicketStatus::Sold,
                cancelled_at_ms: None,
            },
            replayed: false,
        })
    }

    /// Why the sale would take the station past its credit limit, if it would: what it owes
    /// is read inside the transaction, with the sales of this batch already counted.
    fn beyond_credit(&self, tx: &dyn Writes) -> AppResult<Option<String>> {
        let Some(limit) = self.credit_limit else {
            return Ok(None);
        };
        let receivable = AccountCode::new("station", &self.station_code, Fund::Receivable);
        let owed = tx.balance_now(receivable.as_str())?;
        let amount = self
            .sale
            .amount_per_draw
            .checked_mul(i64::from(self.sale.draw_count))?;
        if owed.checked_add(amount)? <= limit {
            return Ok(None);
        }
        Ok(Some(format!(
            "station {} has reached its credit limit (保证金 {limit}): it owes {owed} and this sale is {amount}; a remittance (缴款) restores it",
            self.station_code
        )))
    }

    /// The first of the sale's draws no longer on sale at `now`, if any.
    fn closed_draw(&self, tx: &dyn Writes, now: i64) -> AppResult<Option<String>> {
        for d in &self.draws {
            let (status, closes_at) = tx.reader().draw_state(d.id)?;
            if now >= closes_at || !status.is_on_sale() {
                return Ok(Some(d.number.clone()));
            }
        }
        Ok(None)
    }
}

fn canonical_ticket(t: &NewTicket, draws: &[String], station: &str, terminal: &str) -> String {
    let lines: Vec<String> = t
        .lines
        .iter()
        .map(|l| format!("{} x {}", l.selection, l.multiple))
        .collect();
    // Integer 分 in the signed text, as every ticket sold so far was signed.
    let amount = t.amount_per_draw.fen() * t.draw_ids.len() as i64;
    format!(
        "{}|{}|{}|{station}|{terminal}|{}|{amount}|{}",
        t.serial,
        t.game,
        draws.join(","),
        lines.join(";"),
        t.sold_at
    )
}

/// The ticket an earlier request with this id sold, or a conflict when that request was for
/// another sale.
fn earlier_sale(
    tx: &dyn Writes,
    terminal_id: i64,
    sale: &PreparedSale,
) -> AppResult<Option<SaleOutcome>> {
    let Some((serial, hash)) = tx.reader().ticket_request(terminal_id, &sale.request_id)? else {
        return Ok(None);
    };
    if hash != sale.request_hash {
        return Err(AppError::Conflict(format!(
            "request_id {} was already used for a different sale",
            sale.request_id
        )));
    }
    Ok(Some(SaleOutcome {
        ticket: tx.reader().ticket_by_serial(&serial)?.into(),
        replayed: true,
    }))
}

pub(crate) fn verification_code(key: &[u8], canonical: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(canonical.as_bytes());
    hex::encode_upper(&mac.finalize().into_bytes()[..10])
}

/// A sale's outcome: the ticket, and whether it was already sold by an earlier attempt.
pub struct SaleOutcome {
    pub ticket: Ticket,
    pub replayed: bool,
}

impl App {
    /// Sells a ticket from a terminal. Answers only once the ticket and its journal entry are
    /// committed; a retried `request_id` returns the same ticket, a reused one with another
    /// body is a conflict.
    pub async fn sell(&self, who: &Principal, req: SaleRequest) -> AppResult<SaleOutcome> {
        who.require(Access::Terminal, None)?;
        let Principal::Terminal {
            id: terminal_id,
            code: terminal_code,
            station_id,
        } = who.clone()
        else {
            unreachable!("checked above")
        };
        let sale = prepare(&req)?;
        // Everything that does not need the write lock happens here, in parallel with other
        // requests: the draws, the station and its centers, the ledger postings.
        let draws = self.draws_on_sale(&sale)?;
        let chain = self.selling_station(station_id)?;
        let postings = self.sale_postings(&sale, &draws, &chain)?;
        let write = SaleWrite {
            sale,
            draws,
            postings,
            key: self.ticket_key.clone(),
            terminal_id,
            terminal_code,
            station_id,
            station_code: chain.station.code,
            credit_limit: chain.terms.map(|t| t.credit_limit),
        };
        self.writes.run_validated(move |tx| write.record(tx)).await
    }

    /// The draws a sale covers, from its first: all scheduled, and open for sale by now.
    fn draws_on_sale(&self, sale: &PreparedSale) -> AppResult<Vec<DrawRow>> {
        let first = sale.first_draw.to_string();
        let draws = self.reference.draws_from(
            &*self.store,
            sale.game.code(),
            &first,
            sale.draw_count as usize,
        )?;
        let Some(opening) = draws.first().filter(|d| d.number == first) else {
            return Err(AppError::NotFound(format!(
                "draw {} {first}",
                sale.game.code()
            )));
        };
        if draws.len() < sale.draw_count as usize {
            return Err(AppError::Refused(format!(
                "only {} draws from {first} are scheduled",
                draws.len()
            )));
        }
        if now_ms() < opening.opens_at {
            return Err(AppError::Refused(format!(
                "sales for draw {} have not opened yet",
                opening.number
            )));
        }
        Ok(draws)
    }

    /// The selling station with its centers, refused unless it is open for business.
    fn selling_station(&self, station_id: i64) -> AppResult<StationChain> {
        let chain = self.reference.station_chain(&*self.store, station_id)?;
        if chain.station.status != StationStatus::Active {
            return Err(AppError::Refused(format!(
                "station {} is {}",
                chain.station.code, chain.station.status
            )));
        }
        Ok(chain)
    }

    /// The sale's ledger postings, draw by draw under the rule version of each draw.
    fn sale_postings(
        &self,
        sale: &PreparedSale,
        draws: &[DrawRow],
        chain: &StationChain,
    ) -> AppResult<Vec<Posting>> {
        let parties = SaleParties {
            game: sale.game.code(),
            station: &chain.station.code,
            district: &chain.district_code,
            city: &chain.city_code,
            province: &chain.province_code,
        };
        let policy = self.policy.for_station(station_commission(chain)?);
        let mut postings = Vec::new();
        for d in draws {
            let number: DrawNumber = d
                .number
                .parse()
                .map_err(|e| AppError::context("stored draw", e))?;
            let version = RuleBook::standard()
                .version_for(sale.game, Some(number))
                .ok_or_else(|| AppError::Refused(format!("no rule set covers draw {number}")))?;
            let split = version.split.game_split();
            postings.extend(
                policy
                    .sale_postings(&parties, split, sale.amount_per_draw, Some(d.id))
                    .map_err(AppError::caused_by)?,
            );
        }
        Ok(postings)
    }

    /// Cancels a ticket: only the terminal that sold it, inside the cancel window and before
    /// the draw's cutoff. The sale's journal entry is reversed.
    pub async fn cancel(&self, who: &Principal, serial: &str) -> AppResult<Ticket> {
        who.require(Access::Terminal, None)?;
        let Principal::Terminal {
            id: terminal_id,
            code: terminal_code,
            ..
        } = who.clone()
        else {
            unreachable!("checked above")
        };
        let serial = serial.to_string();
        let window_ms = self.cancel_window_ms;
        self.writes
            .run(move |tx| {
                let reader = tx.reader();
                let ticket = reader.ticket_by_serial(&serial)?;
                if ticket.terminal_id != terminal_id {
                    return Err(AppError::forbidden(
                        "only the terminal that sold a ticket may cancel it",
                    ));
                }
                if ticket.status != TicketStatus::Sold {
                    return Err(AppError::Conflict(format!(
                        "ticket {serial} is already {}",
                        ticket.status
                    )));
                }
                let now = now_ms();
                if now - ticket.sold_at > window_ms {
                    return Err(AppError::Refused(format!(
                        "the cancel window of {} s is over",
                        window_ms / 1000
                    )));
                }
                let first = reader.draw(&ticket.game, &ticket.draws[0])?;
                if now >= first.closes_at || first.status != DrawStatus::Scheduled {
                    return Err(AppError::Refused(format!(
                        "sales for draw {} are closed",
                        first.number
                    )));
                }
                drop(reader);
                let postings = tx.entry_postings(&sale_entry_key(&serial))?;
                let sale = JournalEntry::new(sale_entry_key(&serial), "", postings)
                    .map_err(AppError::caused_by)?;
                let reversal = sale.reversal(format!("cancel:{serial}"), format!("撤销 {serial}"));
                tx.post_entry(&reversal, "cancel", Some(ticket.id), now)?;
                tx.mark_ticket_cancelled(ticket.id, now)?;
                tx.audit(
                    now,
                    &format!("terminal:{terminal_code}"),
                    "ticket.cancel",
                    &serial,
                    serial.as_bytes(),
                )?;
                Ok(tx.reader().ticket_by_serial(&serial)?.into())
            })
            .await
    }

    /// Anyone holding a ticket can check it: serial and verification code must both match.
    pub fn verify_ticket(&self, serial: &str, code: &str) -> AppResult<Ticket> {
        Ok(self.checked_ticket(serial, code)?.into())
    }

    /// A station's tickets, newest first; station roles see only their own station.
    pub fn station_sales(
        &self,
        who: &Principal,
        station_code: &str,
        limit: usize,
        before: Option<i64>,
    ) -> AppResult<Vec<Ticket>> {
        let station = self.store.read(|r| r.station_by_code(station_code))?;
        who.require(Access::Roles(SALES_READERS), Some(station.id))?;
        let rows = self
            .store
            .read(|r| r.station_tickets(station.id, limit.clamp(1, MAX_LIST), before))?;
        Ok(rows.into_iter().map(Ticket::from).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(selections: &[&str]) -> SaleRequest {
        SaleRequest {
            request_id: "r1".into(),
            game: "ssq".into(),
            draw: "2026140".into(),
            draws: 1,
            multiple: 1,
            selections: selections.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn equivalent_texts_give_the_same_request_hash() {
        let a = prepare(&request(&["1 2 3 4 5 6 + 7"])).unwrap();
        let b = prepare(&request(&["06,05,04,03,02,01 + 07"])).unwrap();
        assert_eq!(a.request_hash, b.request_hash);
        assert_eq!(a.amount_per_draw, Money::from_yuan(2));
    }

    #[test]
    fn bad_requests_name_the_field() {
        let err = |r: SaleRequest| prepare(&r).err().unwrap().to_string();
        assert!(err(request(&["1 2 3 4 5 34 + 7"])).starts_with("selections[0]: column"));
        let mut r = request(&["1 2 3 4 5 6 + 7"]);
        r.request_id = "has space".into();
        assert!(err(r).starts_with("request_id"));
        let mut r = request(&["1 2 3 4 5 6 + 7 x 50"]);
        r.multiple = 2;
        assert!(err(r).contains("multiple 100"));
        let big = (1..=20)
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(" ")
            + " + 1";
        assert!(err(request(&[&big])).contains("at most 20,000.00元"));
    }

    #[test]
    fn verification_codes_depend_on_the_key_and_every_field() {
        let a = verification_code(b"k1", "x");
        assert_eq!(a.len(), 20);
        assert_ne!(a, verification_code(b"k2", "x"));
        assert_ne!(a, verification_code(b"k1", "y"));
    }
}
