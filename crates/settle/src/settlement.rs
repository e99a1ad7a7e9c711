//! From winner counts to money: per-bet prizes by the game's rules, each ticket's winnings,
//! and the ledger movements of the draw. Pure arithmetic in 分.

use std::collections::BTreeMap;

use fucai_games::{
    compute_prizes, kl8_tier_name, prize_tier_keys, DrawFigures, DrawNumber, Fuyun, Game, Kl8Prize,
    RuleVersion, TierKey,
};
use fucai_ledger::{AccountCode, Fund, Money, MoneyError, Posting};

use crate::error::{SealError, SealResult};
use crate::kernel::{LineWin, WinnerTally};

/// What is known of a draw before settling it, besides its winners.
#[derive(Clone, Debug)]
pub struct DrawBooks {
    /// What the sealed tickets paid for the draw.
    pub sales: Money,
    /// This draw's 当期奖金 as booked by its sales (the split's rounding included).
    pub prize_fund: Money,
    pub pool_before: Money,
    pub adjustment_balance: Money,
}

/// One tier of the announcement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TierLine {
    pub key: TierKey,
    pub name: String,
    pub bets: u64,
    /// Per bet, before tax.
    pub prize: Money,
}

/// One ticket's winnings in the draw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TicketWin {
    pub serial: i64,
    pub amount: Money,
    /// Winning bets per paying tier (multiples included).
    pub tiers: BTreeMap<String, u64>,
}

/// A settled draw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settlement {
    pub tiers: Vec<TierLine>,
    pub total: Money,
    pub tickets: Vec<TicketWin>,
    pub pool_before: Money,
    pub pool_after: Money,
    /// Into the adjustment fund (negative: taken from it), rounding included.
    pub adjustment: Money,
    /// Advanced by the 兑奖周转金.
    pub advance: Money,
    pub prize_fund: Money,
    /// 双色球 from 2026: whether 福运奖 is active in the next draw.
    pub fuyun_next: Option<bool>,
}

/// The 福运奖 state of a draw: the previous settlement's verdict when there is one (the
/// special period's state machine), else what the rule data knows.
pub fn fuyun_state(
    version: &RuleVersion,
    number: DrawNumber,
    previous_next: Option<bool>,
) -> Fuyun {
    match (version.fuyun_for(Some(number)), previous_next) {
        (Fuyun::NotInRule, _) => Fuyun::NotInRule,
        (_, Some(true)) => Fuyun::Active,
        (_, Some(false)) => Fuyun::Inactive,
        (known, None) => known,
    }
}

/// 快乐8 tally key "x{N}-{hits}" → (N, hits, 选N中hits).
fn kl8_tier(key: &str) -> Option<(u8, u8, String)> {
    let (spot, hits) = key.strip_prefix('x')?.split_once('-')?;
    let (spot, hits): (u8, u8) = (spot.parse().ok()?, hits.parse().ok()?);
    Some((spot, hits, kl8_tier_name(spot, hits)))
}

fn fail(e: impl std::fmt::Display) -> SealError {
    SealError::Settlement(e.to_string())
}

/// Settles a draw: prizes by the rules, each ticket's winnings (which must add up to the
/// tiers' total), and the pool and adjustment-fund movements.
pub fn settle(
    game: Game,
    version: &RuleVersion,
    fuyun: Fuyun,
    books: &DrawBooks,
    tally: &WinnerTally,
    lines: &[LineWin],
) -> SealResult<Settlement> {
    let winners: Vec<u64> = prize_tier_keys(game, version)
        .iter()
        .map(|k| {
            if k.is_fuyun() && fuyun != Fuyun::Active {
                0
            } else {
                tally.get(k.as_str())
            }
        })
        .collect();
    let figures = DrawFigures {
        sales: books.sales,
        pool_before: books.pool_before,
        adjustment_balance: books.adjustment_balance.max(Money::ZERO),
        winners,
        fuyun,
    };
    let outcome = compute_prizes(game, version, &figures).map_err(fail)?;

    // Per-bet prize of every paying tier, in the tally's keys.
    let mut per_bet: BTreeMap<String, Money> = BTreeMap::new();
    let mut tiers = Vec::new();
    if game == Game::Kl8 {
        // Fixed prizes from the play tables; 选十中十 / 选九中九 from the floating pool below.
        for (key, n) in &tally.counts {
            let Some((spot, hits, name)) = kl8_tier(key) else {
                continue;
            };
            if let Some(Kl8Prize::Fixed(m)) = version.kl8_prize(spot, hits) {
                per_bet.insert(key.clone(), m);
                if *n > 0 {
                    tiers.push(TierLine {
                        key: TierKey::new(key.clone()),
                        name,
                        bets: *n,
                        prize: m,
                    });
                }
            }
        }
    }
    for t in &outcome.tiers {
        if t.key.is_fuyun() && fuyun != Fuyun::Active {
            continue;
        }
        per_bet.insert(t.key.to_string(), t.prize);
        tiers.push(TierLine {
            key: t.key.clone(),
            name: t.name.clone(),
            bets: t.bets,
            prize: t.prize,
        });
    }
    if game == Game::Kl8 {
        tiers.sort_by_key(|t| {
            let (spot, hits, _) = kl8_tier(t.key.as_str()).unwrap_or_default();
            (std::cmp::Reverse(spot), std::cmp::Reverse(hits))
        });
    }
    let total = Money::checked_sum(
        tiers
            .iter()
            .map(|t| t.prize.checked_mul(t.bets as i64))
            .collect::<Result<Vec<_>, _>>()
            .map_err(fail)?,
    )
    .map_err(fail)?;

    // Each ticket's winnings; lines come in serial order.
    let mut tickets: Vec<TicketWin> = Vec::new();
    for line in lines {
        let mut amount = Money::ZERO;
        let mut won = BTreeMap::new();
        for (key, n) in &line.tiers {
            if let Some(&prize) = per_bet.get(key).filter(|p| p.fen() > 0) {
                amount = amount
                    .checked_add(prize.checked_mul(*n as i64).map_err(fail)?)
                    .map_err(fail)?;
                won.insert(key.clone(), *n);
            }
        }
        if won.is_empty() {
            continue;
        }
        match tickets.last_mut() {
            Some(t) if t.serial == line.serial => {
                t.amount = t.amount.checked_add(amount).map_err(fail)?;
                for (k, n) in won {
                    *t.tiers.entry(k).or_default() += n;
                }
            }
            _ => tickets.push(TicketWin {
                serial: line.serial,
                amount,
                tiers: won,
            }),
        }
    }
    let per_ticket = Money::checked_sum(tickets.iter().map(|t| t.amount)).map_err(fail)?;
    if per_ticket != total {
        return Err(fail(format!(
            "tickets win {per_ticket} but the tiers total {total}"
        )));
    }

    // What the booked prize fund leaves after prizes and the rules' pool and fund movements:
    // the split's rounding, which goes to the adjustment fund — or, for 快乐8 whose fixed
    // prizes come out of the prize fund, what they leave, which feeds its pool.
    let mut pool_after = outcome.pool_after;
    let mut adjustment = outcome.adjustment_delta;
    let residual = books
        .prize_fund
        .checked_sub(total)
        .and_then(|m| m.checked_sub(pool_after.checked_sub(books.pool_before)?))
        .and_then(|m| m.checked_sub(adjustment))
        .and_then(|m| m.checked_add(outcome.working_capital_advance))
        .map_err(fail)?;
    if game == Game::Kl8 && residual > Money::ZERO {
        pool_after = pool_after.checked_add(residual).map_err(fail)?;
    } else {
        adjustment = adjustment.checked_add(residual).map_err(fail)?;
    }
    Ok(Settlement {
        tiers,
        total,
        tickets,
        pool_before: books.pool_before,
        pool_after,
        adjustment,
        advance: outcome.working_capital_advance,
        prize_fund: books.prize_fund,
        fuyun_next: outcome.fuyun_next,
    })
}

/// An account of the game's national funds.
pub fn national(game: Game, fund: Fund) -> AccountCode {
    AccountCode::new("national", game.code(), fund)
}

impl Settlement {
    /// The draw's ledger movements (debits positive): the prize fund and the pool pay the
    /// prizes, the pool keeps the rest, the adjustment fund takes rounding and tops up, the
    /// 兑奖周转金 advances any shortfall. They balance by construction; zero lines are left out.
    pub fn postings(&self, game: Game, draw_id: i64) -> Result<Vec<Posting>, MoneyError> {
        let line = |fund: Fund, amount: Money, draw: Option<i64>| Posting {
            account: national(game, fund),
            amount,
            draw,
        };
        let credit = |m: Money| Money::ZERO.checked_sub(m);
        Ok([
            line(Fund::Prize, self.prize_fund, Some(draw_id)),
            line(Fund::PrizePayable, credit(self.total)?, Some(draw_id)),
            line(
                Fund::JackpotPool,
                self.pool_before.checked_sub(self.pool_after)?,
                None,
            ),
            line(Fund::Adjustment, credit(self.adjustment)?, None),
            line(Fund::WorkingCapital, self.advance, None),
        ]
        .into_iter()
        .filter(|p| p.amount != Money::ZERO)
        .collect())
    }
}
