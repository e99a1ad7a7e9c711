//! Paying prizes (兑奖) and expiring the unclaimed (弃奖).
//!
//! A claim names the ticket by serial and verification code. It pays every settled draw of
//! the ticket still inside its claim period, once: the winning row moves from `unclaimed` to
//! `paid` in the same transaction as the payment, and claims go through the single writer, so
//! concurrent claims of one ticket pay exactly once.

use crate::clock::now_ms;
use chrono::NaiveDate;
use fucai_games::Game;
use fucai_ledger::Money;
use fucai_ledger::{AccountCode, Fund};
use fucai_store::WinningStatus;
use fucai_store::{DrawRow, NewClaim, Reads, StoreError, TicketRow, WinningRow, Writes};
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;

use crate::calendar::beijing_date;
use fucai_settle::settlement::national;

use crate::draws::{draw_date, SETTLERS};
use crate::error::{AppError, AppResult};
use crate::journal::{entry, entry_if_any, posting};
use crate::principal::{Access, Principal, Role};
use crate::tax::{self, TaxRegime};
use crate::{idcard, App};

/// People who pay prizes at the district center's window.
pub const DISTRICT_CASHIERS: &[Role] = &[Role::Admin, Role::Finance];

/// Where a prize may be paid, by the size of one 中奖收入.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClaimLimits {
    /// Most a station pays (docs/RULES.md: 10,000元).
    pub station: Money,
    /// Most the district center pays (50万元); above it, the provincial center.
    pub district: Money,
}

impl Default for ClaimLimits {
    fn default() -> ClaimLimits {
        ClaimLimits {
            station: Money::from_yuan(10_000),
            district: Money::from_yuan(500_000),
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct ClaimRequest {
    pub serial: String,
    pub code: String,
    /// The winner's 身份证号: required above 3,000元, and what adds up one person's winnings
    /// of one draw for the tax.
    pub claimant_id: Option<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ClaimedDraw {
    pub draw: String,
    pub gross: Money,
    pub tax: Money,
    pub net: Money,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ClaimReceipt {
    pub serial: String,
    /// station or district.
    pub office: String,
    pub draws: Vec<ClaimedDraw>,
    pub net: Money,
}

/// What a ticket won in one draw, for anyone holding it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct TicketPrize {
    pub draw: String,
    pub amount: Money,
    /// Winning bets per tier.
    pub tiers: serde_json::Value,
    pub status: WinningStatus,
    pub claim_deadline: String,
}

/// Where the claim is made.
pub(crate) enum Office {
    Station { code: String },
    District,
}

impl Office {
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Office::Station { .. } => "station",
            Office::District => "district",
        }
    }

    /// Whether this office may pay an `income` (real name above 3,000元; stations up to their
    /// limit, the district up to its own, the province beyond).
    pub(crate) fn may_pay(
        &self,
        limits: &ClaimLimits,
        named: bool,
        income: Money,
    ) -> AppResult<()> {
        if income > tax::REAL_NAME && !named {
            return Err(AppError::invalid(
                "claimant_id",
                format!(
                    "a prize of {income} needs the winner's 身份证号 (real-name claim above {})",
                    tax::REAL_NAME
                ),
            ));
        }
        if income > limits.district {
            return Err(AppError::Refused(format!(
                "a prize of {income} is paid only at the provincial center (省福彩中心)"
            )));
        }
        if income > limits.station && matches!(self, Office::Station { .. }) {
            return Err(AppError::Refused(format!(
                "a prize of {income} is paid at the district center (区福彩中心): stations pay up to {}",
                limits.station
            )));
        }
        Ok(())
    }

    /// The account a payment comes out of: the station pays from its takings (less owed to
    /// the center); the district pays from its bank account.
    pub(crate) fn paid_from(&self, district_code: &str) -> AccountCode {
        match self {
            Office::Station { code } => AccountCode::new("station", code, Fund::Receivable),
            Office::District => AccountCode::new("district", district_code, Fund::Bank),
        }
    }
}

/// A winner named by 身份证号.
pub(crate) struct Claimant {
    /// What one person's claims of one draw add up under.
    key: String,
    pub(crate) masked: String,
}

/// The draws a claim would pay now, with their tax, and the receipt they start.
struct ClaimPlan {
    receipt: ClaimReceipt,
    payable: Vec<(WinningRow, DrawRow, Money)>,
}

/// One claim of one ticket, ready to be paid inside the writer.
struct Claim {
    ticket: TicketRow,
    game: Game,
    district_code: String,
    office: Office,
    claimant: Option<Claimant>,
    limits: ClaimLimits,
    actor: String,
    /// The Beijing date deciding whether a claim period has ended.
    today: NaiveDate,
}

impl Claim {
    /// Pays every claimable draw of the ticket; refuses the claim when none is.
    fn pay(&self, tx: &mut dyn Writes) -> AppResult<ClaimReceipt> {
        // One moment for every draw the claim pays.
        let now = now_ms();
        let plan = self.plan(&*tx.reader())?;
        let mut receipt = plan.receipt;
        for (w, draw, tax) in plan.payable {
            let paid = self.pay_draw(tx, &w, &draw, tax, now)?;
            receipt.net = receipt.net.checked_add(paid.net)?;
            receipt.draws.push(paid);
        }
        Ok(receipt)
    }

    /// What paying the ticket now would pay, draw by draw, with the tax; the same refusals
    /// as paying. Reads only: the console shows it before anyone confirms.
    fn quote(&self, r: &dyn Reads) -> AppResult<ClaimReceipt> {
        let plan = self.plan(r)?;
        let mut receipt = plan.receipt;
        for (w, draw, tax) in plan.payable {
            let net = w.amount.checked_sub(tax)?;
            receipt.net = receipt.net.checked_add(net)?;
            receipt.draws.push(ClaimedDraw {
                draw: draw.number,
                gross: w.amount,
                tax,
                net,
            });
        }
        Ok(receipt)
    }

    /// The draws that can be paid now with their tax, or why none can.
    fn plan(&self, r: &dyn Reads) -> AppResult<ClaimPlan> {
        let winnings = r.ticket_winnings(self.ticket.id)?;
        if winnings.is_empty() {
            return Err(AppError::Refused(format!(
                "ticket {} has no prize (or its draws are not settled yet)",
                self.ticket.serial
            )));
        }
        let mut payable = Vec::new();
        let mut refusals = Vec::new();
        // Paid before (a conflict with an earlier claim) rather than out of time.
        let mut paid_before = false;
        for w in winnings {
            let draw = r.draw_by_id(w.draw_id)?;
            if let Some(why) = self.unclaimable(r, &w, &draw)? {
                paid_before |= w.status == WinningStatus::Paid;
                refusals.push(why);
                continue;
            }
            let tax = self.tax(r, &w, &draw)?;
            payable.push((w, draw, tax));
        }
        if payable.is_empty() {
            let why = format!("ticket {}: {}", self.ticket.serial, refusals.join("; "));
            return Err(if paid_before {
                AppError::Conflict(why)
            } else {
                AppError::Refused(why)
            });
        }
        Ok(ClaimPlan {
            receipt: ClaimReceipt {
                serial: self.ticket.serial.clone(),
                office: self.office.name().into(),
                draws: Vec::new(),
                net: Money::ZERO,
            },
            payable,
        })
    }

    /// Why a draw's winnings cannot be paid now (already paid, expired, the period over).
    fn unclaimable(
        &self,
        r: &dyn Reads,
        w: &WinningRow,
        draw: &DrawRow,
    ) -> AppResult<Option<String>> {
        let settlement = r
            .settlement(w.draw_id)?
            .ok_or_else(|| AppError::internal("winnings without a settlement"))?;
        let deadline: NaiveDate = settlement
            .claim_deadline
            .parse()
            .map_err(|e| AppError::context("stored claim deadline", e))?;
        Ok(match w.status {
            WinningStatus::Paid => Some(format!("draw {}: already paid", draw.number)),
            WinningStatus::Unclaimed if self.today <= deadline => None,
            _ => Some(format!(
                "draw {}: the claim period ended on {deadline}",
                draw.number
            )),
        })
    }

    /// The tax withheld from one draw's winnings, after checking that this office may pay
    /// the whole 中奖收入 it belongs to and that the winner is named where the law asks.
    fn tax(&self, r: &dyn Reads, w: &WinningRow, draw: &DrawRow) -> AppResult<Money> {
        // One 中奖收入: the person's whole draw from 2024-09-01, else this ticket.
        let regime = tax::regime(draw_date(draw));
        let (earlier_gross, earlier_tax) = match (&self.claimant, regime) {
            (Some(c), TaxRegime::PerPersonPerDraw) => r.claimant_paid(&c.key, draw.id)?,
            _ => (Money::ZERO, Money::ZERO),
        };
        let income = earlier_gross.checked_add(w.amount)?;
        self.office
            .may_pay(&self.limits, self.claimant.is_some(), income)?;
        let bets = match regime {
            TaxRegime::PerPersonPerDraw => Vec::new(),
            TaxRegime::PerBet => winning_bets(r, w, draw)?,
        };
        tax::withholding(regime, earlier_gross, earlier_tax, w.amount, &bets)
            .map_err(AppError::caused_by)
    }

    /// Marks one draw's winnings paid, records the claim, posts the payment and audits it.
    fn pay_draw(
        &self,
        tx: &mut dyn Writes,
        w: &WinningRow,
        draw: &DrawRow,
        tax: Money,
        now: i64,
    ) -> AppResult<ClaimedDraw> {
        let ticket = &self.ticket;
        if !tx.pay_winning(ticket.id, draw.id)? {
            return Err(AppError::Conflict(format!(
                "ticket {} draw {} is already paid",
                ticket.serial, draw.number
            )));
        }
        let net = w.amount.checked_sub(tax)?;
        tx.insert_claim(&NewClaim {
            ticket_id: ticket.id,
            draw_id: draw.id,
            claimant_key: self.claimant.as_ref().map(|c| c.key.as_str()),
            claimant_masked: self.claimant.as_ref().map(|c| c.masked.as_str()),
            gross: w.amount,
            tax,
            net,
            office: self.office.name(),
            paid_by: &self.actor,
            paid_at: now,
        })
        .map_err(|e| match e {
            StoreError::Duplicate(_) => {
                AppError::Conflict(format!("ticket {} is already paid", ticket.serial))
            }
            other => other.into(),
        })?;
        let paid_from = self.office.paid_from(&self.district_code);
        let mut postings = vec![
            posting(
                national(self.game, Fund::PrizePayable),
                w.amount,
                Some(draw.id),
            ),
            posting(
                AccountCode::new("district", &self.district_code, Fund::TaxWithheld),
                -tax,
                None,
            ),
            posting(paid_from, -net, None),
        ];
        // A station earns its claim commission (兑奖代销费) on what it pays, out of the
        // game's issuance fee (docs/NETWORK.md).
        if let Office::Station { code } = &self.office {
            let commission = claim_commission(w.amount)?;
            postings.extend(claim_commission_postings(
                self.game.code(),
                code,
                commission,
            ));
        }
        let payment = entry(
            format!("claim:{}:{}", ticket.id, draw.id),
            format!("兑奖 {} 第{}期", ticket.serial, draw.number),
            postings,
        )?;
        tx.post_entry(&payment, "claim", Some(ticket.id), now)?;
        tx.audit(
            now,
            &self.actor,
            "prize.claim",
            &format!("{} draw {}", ticket.serial, draw.number),
            format!("{}:{}:{}", w.amount.fen(), tax.fen(), net.fen()).as_bytes(),
        )?;
        Ok(ClaimedDraw {
            draw: draw.number.clone(),
            gross: w.amount,
            tax,
            net,
        })
    }
}

/// A station's claim commission (兑奖代销费) on what it paid, out of the game's issuance fee.
pub(crate) fn claim_commission_postings(
    game: &str,
    station: &str,
    commission: Money,
) -> [fucai_ledger::Posting; 2] {
    [
        posting(
            AccountCode::new("issuer", game, Fund::IssuanceFee),
            commission,
            None,
        ),
        posting(
            AccountCode::new("station", station, Fund::Commission),
            -commission,
            None,
        ),
    ]
}

/// The claim commission on a prize paid at a station: the rule data's permille of it,
/// rounded down to the 分.
fn claim_commission(prize: Money) -> AppResult<Money> {
    let permille = crate::network::checklist::inspection_rules()
        .commission
        .claim_permille;
    Ok(prize.mul_ratio_floor(crate::network::checklist::permille_ratio(permille)?))
}

/// A ticket's winning bets in one draw as (count, per-bet prize), for the per-bet tax rule.
fn winning_bets(r: &dyn Reads, w: &WinningRow, draw: &DrawRow) -> AppResult<Vec<(i64, Money)>> {
    let tiers: std::collections::BTreeMap<String, i64> =
        serde_json::from_str(&w.tiers).map_err(AppError::caused_by)?;
    let prizes = r.draw_tiers(draw.id)?;
    Ok(tiers
        .iter()
        .filter_map(|(k, n)| prizes.iter().find(|t| &t.tier == k).map(|t| (*n, t.prize)))
        .collect())
}

impl App {
    fn claimant_key(&self, id_number: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.ticket_key).expect("any key length");
        mac.update(b"claimant:");
        mac.update(id_number.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// Pays a winning ticket: at a station (its terminal) or at the district center (finance).
    /// Every settled draw of the ticket still inside its claim period is paid, once.
    pub async fn claim(&self, who: &Principal, req: ClaimRequest) -> AppResult<ClaimReceipt> {
        let claim = self.prepare_claim(who, &req)?;
        self.writes.run(move |tx| claim.pay(tx)).await
    }

    /// What [`App::claim`] would pay now — draws, tax, net and the office — or its refusal,
    /// without paying anything (shown before a cashier confirms).
    pub fn claim_quote(&self, who: &Principal, req: &ClaimRequest) -> AppResult<ClaimReceipt> {
        let claim = self.prepare_claim(who, req)?;
        let mut quote = None;
        self.store
            .read_view(&mut |r| quote = Some(claim.quote(r)))?;
        quote.unwrap_or_else(|| Err(AppError::internal("the read view never ran")))
    }

    fn prepare_claim(&self, who: &Principal, req: &ClaimRequest) -> AppResult<Claim> {
        let office = self.claim_office(who)?;
        let claimant = self.claimant(req.claimant_id.as_deref())?;
        let ticket = self.checked_ticket(&req.serial, &req.code)?;
        let game: Game = ticket
            .game
            .parse()
            .map_err(|e| AppError::context("stored game", e))?;
        let chain = self
            .reference
            .station_chain(&*self.store, ticket.station_id)?;
        Ok(Claim {
            game,
            district_code: chain.district_code,
            office,
            claimant,
            limits: self.claim_limits,
            actor: who.actor(),
            today: beijing_date(now_ms()),
            ticket,
        })
    }

    /// Where `who` pays: their station's window (a terminal) or the district center's.
    pub(crate) fn claim_office(&self, who: &Principal) -> AppResult<Office> {
        Ok(match who {
            Principal::Terminal { station_id, .. } => {
                let station = self.store.read(|r| r.station_by_id(*station_id))?;
                Office::Station { code: station.code }
            }
            Principal::User { .. } => {
                who.require(Access::Roles(DISTRICT_CASHIERS), None)?;
                Office::District
            }
        })
    }

    /// The winner named by a 身份证号, if given: the key their claims of one draw add up
    /// under (a keyed hash, never the number) and the number masked.
    pub(crate) fn claimant(&self, id_number: Option<&str>) -> AppResult<Option<Claimant>> {
        Ok(match id_number.map(str::trim).filter(|s| !s.is_empty()) {
            Some(id) => {
                let (id, _) =
                    idcard::validate(id).map_err(|e| AppError::invalid("claimant_id", e))?;
                Some(Claimant {
                    key: self.claimant_key(&id),
                    masked: idcard::mask_id(&id),
                })
            }
            None => None,
        })
    }

    /// Moves a draw's unclaimed prizes to the provincial welfare fund once its claim period
    /// has ended (弃奖). `today` is the Beijing date deciding it.
    pub async fn expire_draw(
        &self,
        who: &Principal,
        game: &str,
        number: &str,
        today: NaiveDate,
    ) -> AppResult<(i64, Money)> {
        who.require(Access::Roles(SETTLERS), None)?;
        let (g, draw) = self.find_draw(game, number)?;
        self.expire(g, draw.id, today, who.actor()).await
    }

    pub(crate) async fn expire(
        &self,
        game: Game,
        draw_id: i64,
        today: NaiveDate,
        actor: String,
    ) -> AppResult<(i64, Money)> {
        let store = self.store.clone();
        self.writes
            .run(move |tx| {
                let now = now_ms();
                let draw = tx.reader().draw_by_id(draw_id)?;
                let settlement = tx.reader().settlement(draw_id)?.ok_or_else(|| {
                    AppError::Refused(format!("draw {} is not settled", draw.number))
                })?;
                let deadline: NaiveDate = settlement
                    .claim_deadline
                    .parse()
                    .map_err(|e| AppError::context("stored claim deadline", e))?;
                if today <= deadline {
                    return Err(AppError::Refused(format!(
                        "draw {}'s prizes may be claimed until {}",
                        draw.number, settlement.claim_deadline
                    )));
                }
                let by_station = tx.reader().unclaimed_by_station(draw_id)?;
                let (count, total) = tx.expire_winnings(draw_id, now)?;
                let mut postings = vec![posting(
                    national(game, Fund::PrizePayable),
                    total,
                    Some(draw_id),
                )];
                for (station_id, unclaimed) in by_station {
                    let chain = store.read(|r| r.station_chain(station_id))?;
                    postings.push(posting(
                        AccountCode::new("province", &chain.province_code, Fund::Welfare),
                        -unclaimed,
                        None,
                    ));
                }
                let expiry = entry_if_any(
                    format!("draw:{}:{}:expire", game.code(), draw.number),
                    format!(
                        "{} 第{}期 逾期未兑奖奖金转入公益金",
                        game.name(),
                        draw.number
                    ),
                    postings,
                )?;
                if let Some(expiry) = &expiry {
                    tx.post_entry(expiry, "expiry", None, now)?;
                }
                tx.audit(
                    now,
                    &actor,
                    "draw.expire",
                    &format!(
                        "{}/{} unclaimed_fen:{}",
                        game.code(),
                        draw.number,
                        total.fen()
                    ),
                    format!("{count}:{}", total.fen()).as_bytes(),
                )?;
                Ok((count, total))
            })
            .await
    }

    /// Expires every settled draw whose claim period has ended (the scheduler's job).
    pub async fn expire_due_draws(&self, today: NaiveDate) -> AppResult<Vec<String>> {
        let due = self.store.read(|r| r.unexpired_settlements())?;
        let mut done = Vec::new();
        for (draw, s) in due {
            if s.claim_deadline
                .parse::<NaiveDate>()
                .is_ok_and(|d| today > d)
            {
                let game: Game = draw
                    .game
                    .parse()
                    .map_err(|e| AppError::context("stored game", e))?;
                self.expire(game, draw.id, today, "scheduler".into())
                    .await?;
                done.push(format!("{} {}", draw.game, draw.number));
            }
        }
        Ok(done)
    }

    /// What a ticket won, draw by draw (settled draws only): serial and code must match.
    pub fn ticket_prizes(&self, serial: &str, code: &str) -> AppResult<Vec<TicketPrize>> {
        let ticket = self.checked_ticket(serial, code)?;
        self.store
            .read(|r| {
                r.ticket_winnings(ticket.id)?
                    .into_iter()
                    .map(|w| {
                        let draw = r.draw_by_id(w.draw_id)?;
                        let deadline = r
                            .settlement(w.draw_id)?
                            .map(|s| s.claim_deadline)
                            .ok_or_else(|| {
                                fucai_store::StoreError::Corrupt(format!(
                                    "winnings of draw {} without its settlement",
                                    draw.number
                                ))
                            })?;
                        Ok(TicketPrize {
                            draw: draw.number,
                            amount: w.amount,
                            tiers: serde_json::from_str(&w.tiers).map_err(|e| {
                                fucai_store::StoreError::Corrupt(format!("stored tiers: {e}"))
                            })?,
                            status: w.status,
                            claim_deadline: deadline,
                        })
                    })
                    .collect()
            })
            .map_err(Into::into)
    }

    /// The stored ticket behind a serial and verification code (both must match).
    pub(crate) fn checked_ticket(&self, serial: &str, code: &str) -> AppResult<TicketRow> {
        let not_found =
            || AppError::NotFound(format!("ticket {serial} with that verification code"));
        let ticket = self
            .store
            .read(|r| r.ticket_by_serial(serial))
            .map_err(|e| match e {
                StoreError::NotFound { .. } => not_found(),
                other => other.into(),
            })?;
        if !crate::auth::same_digest(&ticket.verification_code, &code.trim().to_uppercase()) {
            return Err(not_found());
        }
        Ok(ticket)
    }
}
