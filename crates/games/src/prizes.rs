//! A draw's prizes: per-bet amounts of every tier and the movements of the jackpot pool (奖池)
//! and the adjustment fund (调节基金), from the draw's sales, its winning-bet counts and the
//! rule version in force. Pure arithmetic in 分; per-bet floating prizes are whole 元.

use crate::tier::TierKey;
use fucai_ledger::{split_by_ratios, split_by_weights, Money, MoneyError, Ratio};

use crate::rules::{FloatingRule, Kl8Floating, QlcFloating, RuleVersion, SsqFloating};
use crate::selection::Fuyun;
use crate::{ssq, Game};

/// Most winning bets one tier may report (a sanity bound far above any real draw).
pub const MAX_TIER_WINNERS: u64 = 1_000_000_000_000;

/// What is known about a draw before its prizes are fixed.
#[derive(Clone, Debug)]
pub struct DrawFigures {
    pub sales: Money,
    /// 奖池 before the draw (for 快乐8: the dedicated floating pool).
    pub pool_before: Money,
    /// 调节基金 balance available to top prizes up.
    pub adjustment_balance: Money,
    /// Winning bets per tier in [`prize_tier_keys`] order, multiples included.
    pub winners: Vec<u64>,
    pub fuyun: Fuyun,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TierPrize {
    pub key: TierKey,
    pub name: String,
    pub bets: u64,
    /// Per bet, before tax; for a two-part 一等奖 the sum of both parts.
    pub prize: Money,
    pub floating: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrizeOutcome {
    pub tiers: Vec<TierPrize>,
    pub pool_after: Money,
    /// Net movement of the adjustment fund: rounding remainders in, top-ups out.
    pub adjustment_delta: Money,
    /// What the adjustment fund could not cover, advanced by the 兑奖周转金.
    pub working_capital_advance: Money,
    /// 双色球 from 2026: whether 福运奖 is active in the next draw.
    pub fuyun_next: Option<bool>,
}

impl PrizeOutcome {
    /// Total of all prizes of the draw.
    pub fn total_paid(&self) -> Result<Money, MoneyError> {
        Money::checked_sum(
            self.tiers
                .iter()
                .map(|t| t.prize.checked_mul(t.bets as i64))
                .collect::<Result<Vec<_>, _>>()?,
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrizeError {
    #[error(
        "{game} under {version} has {expected} tiers ({keys}); {given} winner counts were given"
    )]
    WinnerCount {
        game: &'static str,
        version: String,
        expected: usize,
        keys: String,
        given: usize,
    },
    #[error("福运奖 has winners but the draw is outside its special period")]
    FuyunOutsidePeriod,
    #[error("{0} must not be negative")]
    Negative(&'static str),
    #[error("a tier reports more than {MAX_TIER_WINNERS} winning bets")]
    TooManyWinners,
    #[error(transparent)]
    Money(#[from] MoneyError),
}

/// Keys of the tiers whose winners `compute_prizes` takes, in order.
pub fn prize_tier_keys(game: Game, version: &RuleVersion) -> Vec<TierKey> {
    match &version.floating {
        Some(FloatingRule::Kl8(k)) => k.tiers.iter().map(|t| TierKey::new(t.key())).collect(),
        _ => {
            debug_assert!(game != Game::Kl8);
            version.tiers.iter().map(|t| t.key.clone()).collect()
        }
    }
}

/// Computes the prizes of one draw.
pub fn compute_prizes(
    game: Game,
    version: &RuleVersion,
    figures: &DrawFigures,
) -> Result<PrizeOutcome, PrizeError> {
    check_figures(game, version, figures)?;
    let mut book = Flows::default();
    let (tiers, pool_after) = match &version.floating {
        Some(FloatingRule::Ssq(rule)) => ssq_prizes(version, rule, figures, &mut book)?,
        Some(FloatingRule::Qlc(rule)) => qlc_prizes(version, rule, figures, &mut book)?,
        Some(FloatingRule::Kl8(rule)) => kl8_prizes(rule, figures, &mut book)?,
        None => fixed_odds_prizes(version, figures, &mut book)?,
    };
    let outcome = book.close(tiers, pool_after, figures, version)?;
    outcome.assert_conserved(version, figures, game)?;
    Ok(outcome)
}

fn check_figures(game: Game, version: &RuleVersion, f: &DrawFigures) -> Result<(), PrizeError> {
    for (name, m) in [
        ("sales", f.sales),
        ("pool", f.pool_before),
        ("adjustment fund", f.adjustment_balance),
    ] {
        if m.is_negative() {
            return Err(PrizeError::Negative(name));
        }
    }
    if f.winners.iter().any(|&w| w > MAX_TIER_WINNERS) {
        return Err(PrizeError::TooManyWinners);
    }
    let keys = prize_tier_keys(game, version);
    // 福运奖 winners may be left out: they are zero outside the special period.
    let fy_optional =
        keys.last().is_some_and(TierKey::is_fuyun) && f.winners.len() + 1 == keys.len();
    if f.winners.len() != keys.len() && !fy_optional {
        return Err(PrizeError::WinnerCount {
            game: game.name(),
            version: version.id.clone(),
            expected: keys.len(),
            keys: keys
                .iter()
                .map(TierKey::as_str)
                .collect::<Vec<_>>()
                .join(","),
            given: f.winners.len(),
        });
    }
    if keys.last().is_some_and(TierKey::is_fuyun)
        && f.fuyun != Fuyun::Active
        && f.winners.get(ssq::FUYUN_SLOT).is_some_and(|&w| w > 0)
    {
        return Err(PrizeError::FuyunOutsidePeriod);
    }
    Ok(())
}

/// Money flowing between the draw's prize fund, the pool and the adjustment fund.
#[derive(Default)]
struct Flows {
    /// Rounding remainders and other money into 调节基金.
    to_adjustment: Money,
    /// Top-ups and deficits paid by 调节基金.
    from_adjustment: Money,
}

impl Flows {
    fn take(&mut self, amount: Money) -> Result<(), MoneyError> {
        self.from_adjustment = self.from_adjustment.checked_add(amount)?;
        Ok(())
    }

    fn give(&mut self, amount: Money) -> Result<(), MoneyError> {
        self.to_adjustment = self.to_adjustment.checked_add(amount)?;
        Ok(())
    }

    fn close(
        self,
        tiers: Vec<TierPrize>,
        pool_after: Money,
        figures: &DrawFigures,
        version: &RuleVersion,
    ) -> Result<PrizeOutcome, MoneyError> {
        let delta = self.to_adjustment.checked_sub(self.from_adjustment)?;
        let floor = Money::ZERO.checked_sub(figures.adjustment_balance)?;
        let (adjustment_delta, working_capital_advance) = if delta < floor {
            (floor, floor.checked_sub(delta)?)
        } else {
            (delta, Money::ZERO)
        };
        let fuyun_next = version
            .fuyun_rule()
            .map(|rule| rule.next_active(figures.fuyun == Fuyun::Active, pool_after));
        Ok(PrizeOutcome {
            tiers,
            pool_after,
            adjustment_delta,
            working_capital_advance,
            fuyun_next,
        })
    }
}

impl PrizeOutcome {
    /// Conservation: what came in (this draw's prize share, the pool, what the adjustment
    /// fund and the working capital gave) equals what went out (prizes, the new pool, what
    /// the adjustment fund received). Violations are programming errors.
    fn assert_conserved(
        &self,
        version: &RuleVersion,
        figures: &DrawFigures,
        game: Game,
    ) -> Result<(), MoneyError> {
        let share = match game {
            Game::Kl8 => match &version.floating {
                Some(FloatingRule::Kl8(k)) => k.pool_share,
                _ => unreachable!("validated rules"),
            },
            _ => version.split.prize_current,
        };
        let kl8_fixed_excluded = game == Game::Kl8;
        let inflow = figures
            .sales
            .mul_ratio_floor(share)
            .checked_add(figures.pool_before)?
            .checked_sub(self.adjustment_delta)?
            .checked_add(self.working_capital_advance)?;
        let outflow = self.total_paid()?.checked_add(self.pool_after)?;
        assert!(
            kl8_fixed_excluded || inflow == outflow,
            "prize money not conserved: in {inflow}, out {outflow}"
        );
        if kl8_fixed_excluded {
            assert_eq!(inflow, outflow, "快乐8 floating pool not conserved");
        }
        Ok(())
    }
}

/// A fund shared equally among `bets` winners, per bet floored to 元 and capped.
struct Shared {
    per_bet: Money,
    /// Unwon money and the excess over the cap: to the pool.
    to_pool: Money,
    /// Rounding remainder: to the adjustment fund.
    remainder: Money,
}

fn share(fund: Money, bets: u64, cap: Money) -> Result<Shared, MoneyError> {
    if bets == 0 {
        return Ok(Shared {
            per_bet: Money::ZERO,
            to_pool: fund,
            remainder: Money::ZERO,
        });
    }
    let per_bet = fund.per_bet_floor_yuan(bets);
    let count = bets as i64;
    if per_bet > cap {
        return Ok(Shared {
            per_bet: cap,
            to_pool: fund.checked_sub(cap.checked_mul(count)?)?,
            remainder: Money::ZERO,
        });
    }
    Ok(Shared {
        per_bet,
        to_pool: Money::ZERO,
        remainder: fund.checked_sub(per_bet.checked_mul(count)?)?,
    })
}

fn tier(version: &RuleVersion, index: usize, bets: u64, prize: Money) -> TierPrize {
    let rule = &version.tiers[index];
    TierPrize {
        key: rule.key.clone(),
        name: rule.name.clone(),
        bets,
        prize,
        floating: rule.floating,
    }
}

/// Fixed tiers' total and this draw's money left for the floating tiers (高等奖奖金); a
/// shortfall is paid from the pool first, then the adjustment fund.
fn fixed_tiers(
    version: &RuleVersion,
    figures: &DrawFigures,
    fixed_from: usize,
    book: &mut Flows,
) -> Result<(Vec<TierPrize>, Money, Money), PrizeError> {
    let mut tiers = Vec::new();
    let mut low_total = Money::ZERO;
    for index in fixed_from..version.tiers.len() {
        let rule = &version.tiers[index];
        let winners = figures.winners.get(index).copied().unwrap_or(0);
        let pays = !rule.key.is_fuyun() || figures.fuyun == Fuyun::Active;
        let prize = match rule.prize {
            Some(p) if pays => p.0,
            _ => Money::ZERO,
        };
        low_total = low_total.checked_add(prize.checked_mul(winners as i64)?)?;
        tiers.push(tier(version, index, winners, prize));
    }
    let current = figures.sales.mul_ratio_floor(version.split.prize_current);
    let mut pool = figures.pool_before;
    let high = if low_total > current {
        let deficit = low_total.checked_sub(current)?;
        let from_pool = deficit.min(pool);
        pool = pool.checked_sub(from_pool)?;
        book.take(deficit.checked_sub(from_pool)?)?;
        Money::ZERO
    } else {
        current.checked_sub(low_total)?
    };
    Ok((tiers, high, pool))
}

fn ssq_prizes(
    version: &RuleVersion,
    rule: &SsqFloating,
    figures: &DrawFigures,
    book: &mut Flows,
) -> Result<(Vec<TierPrize>, Money), PrizeError> {
    let (fixed, high, pool) = fixed_tiers(version, figures, 2, book)?;
    let (w1, w2) = (figures.winners[0], figures.winners[1]);
    let cap = rule.per_bet_cap.0;
    // The threshold is tested on the pool before the draw.
    let (first_parts, second_fund) = if figures.pool_before >= rule.pool_threshold.0 {
        let parts = split_by_ratios_of(
            high,
            &[rule.above_first_a, rule.above_first_b, rule.above_second],
        );
        (vec![parts[0].checked_add(pool)?, parts[1]], parts[2])
    } else {
        let parts = split_by_ratios_of(high, &[rule.below_first, rule.below_second]);
        (vec![parts[0].checked_add(pool)?], parts[1])
    };
    let mut pool_after = Money::ZERO;
    let mut per1 = Money::ZERO;
    for part in first_parts {
        let s = share(part, w1, cap)?;
        per1 = per1.checked_add(s.per_bet)?;
        pool_after = pool_after.checked_add(s.to_pool)?;
        book.give(s.remainder)?;
    }
    let s = share(second_fund, w2, cap)?;
    let mut per2 = s.per_bet;
    pool_after = pool_after.checked_add(s.to_pool)?;
    book.give(s.remainder)?;

    // Per-draw total caps (2026 rule): the excess goes to the pool.
    for (per, winners, total_cap) in [
        (&mut per1, w1, rule.first_total_cap),
        (&mut per2, w2, rule.second_total_cap),
    ] {
        if let (Some(total_cap), true) = (total_cap, winners > 0) {
            let most = total_cap.0.per_bet_floor_yuan(winners);
            if *per > most {
                let excess = per.checked_sub(most)?.checked_mul(winners as i64)?;
                pool_after = pool_after.checked_add(excess)?;
                *per = most;
            }
        }
    }

    // Safeguard 1: 一等奖 never pays less than 二等奖 — pool both and share equally.
    let merged = w1 > 0 && w2 > 0 && per1 < per2;
    if merged {
        let total = per1
            .checked_mul(w1 as i64)?
            .checked_add(per2.checked_mul(w2 as i64)?)?;
        let per = total.per_bet_floor_yuan(w1 + w2);
        book.give(total.checked_sub(per.checked_mul((w1 + w2) as i64)?)?)?;
        per1 = per;
        per2 = per;
    }
    // Safeguard 2: 二等奖 at least N × 三等奖, topped up from the adjustment fund.
    let third = version.tiers[2].prize.map_or(Money::ZERO, |p| p.0);
    let floor = third.checked_mul(i64::from(rule.second_floor_times_third))?;
    for (per, winners, applies) in [(&mut per2, w2, true), (&mut per1, w1, merged)] {
        if applies && winners > 0 && *per < floor {
            book.take(floor.checked_sub(*per)?.checked_mul(winners as i64)?)?;
            *per = floor;
        }
    }

    let mut tiers = vec![tier(version, 0, w1, per1), tier(version, 1, w2, per2)];
    tiers.extend(fixed);
    Ok((tiers, pool_after))
}

fn qlc_prizes(
    version: &RuleVersion,
    rule: &QlcFloating,
    figures: &DrawFigures,
    book: &mut Flows,
) -> Result<(Vec<TierPrize>, Money), PrizeError> {
    let (fixed, high, pool) = fixed_tiers(version, figures, 3, book)?;
    let mut funds = split_by_ratios_of(high, &[rule.first, rule.second, rule.third]);
    funds[0] = funds[0].checked_add(pool)?;
    let cap = rule.per_bet_cap.0;
    let mut pool_after = Money::ZERO;
    let mut per = [Money::ZERO; 3];
    for (i, fund) in funds.into_iter().enumerate() {
        let s = share(fund, figures.winners[i], cap)?;
        per[i] = s.per_bet;
        pool_after = pool_after.checked_add(s.to_pool)?;
        book.give(s.remainder)?;
    }
    // Top-ups, bottom-up: each floating tier at least N × the tier below (四等奖 fixed).
    let mut below = version.tiers[3].prize.map_or(Money::ZERO, |p| p.0);
    for i in (0..3).rev() {
        let winners = figures.winners[i];
        if winners == 0 {
            continue;
        }
        let target = below
            .checked_mul(i64::from(rule.top_up_times_next))?
            .min(cap);
        if per[i] < target {
            book.take(target.checked_sub(per[i])?.checked_mul(winners as i64)?)?;
            per[i] = target;
        }
        below = per[i];
    }
    let mut tiers: Vec<TierPrize> = (0..3)
        .map(|i| tier(version, i, figures.winners[i], per[i]))
        .collect();
    tiers.extend(fixed);
    Ok((tiers, pool_after))
}

fn kl8_prizes(
    rule: &Kl8Floating,
    figures: &DrawFigures,
    book: &mut Flows,
) -> Result<(Vec<TierPrize>, Money), PrizeError> {
    let mut available = figures
        .pool_before
        .checked_add(figures.sales.mul_ratio_floor(rule.pool_share))?;
    let mut tiers = Vec::new();
    for (t, &winners) in rule.tiers.iter().zip(&figures.winners) {
        let mut per_bet = Money::ZERO;
        if winners > 0 {
            let guaranteed = rule.guaranteed_min.0;
            if available < guaranteed {
                book.take(guaranteed.checked_sub(available)?)?;
                available = guaranteed;
            }
            let s = share(available, winners, t.per_bet_cap.0)?;
            book.give(s.remainder)?;
            available = s.to_pool;
            per_bet = s.per_bet;
        }
        tiers.push(TierPrize {
            key: TierKey::new(t.key()),
            name: kl8_tier_name(t.spot, t.hits),
            bets: winners,
            prize: per_bet,
            floating: true,
        });
    }
    Ok((tiers, available))
}

/// The name of a 快乐8 prize: 选N中K.
pub fn kl8_tier_name(spot: u8, hits: u8) -> String {
    format!("选{}中{}", chinese_number(spot), chinese_number(hits))
}

fn chinese_number(n: u8) -> &'static str {
    [
        "零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
    ][usize::from(n.min(10))]
}

/// 福彩3D: all prizes fixed; the draw's prize share minus the prizes goes to (or comes from)
/// the pool, and a pool that cannot cover is refilled by the adjustment fund.
fn fixed_odds_prizes(
    version: &RuleVersion,
    figures: &DrawFigures,
    book: &mut Flows,
) -> Result<(Vec<TierPrize>, Money), PrizeError> {
    let (tiers, high, pool) = fixed_tiers(version, figures, 0, book)?;
    Ok((tiers, pool.checked_add(high)?))
}

/// Splits `amount` by ratios that are shares of the same whole (e.g. 55/20/25 of 高等奖奖金),
/// exactly: the parts add up to `amount`.
fn split_by_ratios_of(amount: Money, ratios: &[Ratio]) -> Vec<Money> {
    let sum: u32 = ratios.iter().map(|r| r.per_million()).sum();
    if sum == Ratio::WHOLE.per_million() {
        return split_by_ratios(amount, ratios).expect("non-negative amount, whole ratios");
    }
    let weights: Vec<u64> = ratios.iter().map(|r| u64::from(r.per_million())).collect();
    split_by_weights(amount, &weights).expect("non-negative amount, non-zero weights")
}
