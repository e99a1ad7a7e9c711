//! Golden tests of a draw's prizes: the official draw 2023075 to the yuan, and constructed
//! cases with their arithmetic written out (all amounts in 元 unless noted).

use fucai_games::{
    compute_prizes, DrawFigures, DrawNumber, Fuyun, Game, PrizeError, PrizeOutcome, RuleBook,
    RuleVersion,
};
use fucai_ledger::Money;

fn version(game: Game, draw: &str) -> &'static RuleVersion {
    RuleBook::standard()
        .version_for(game, Some(draw.parse::<DrawNumber>().unwrap()))
        .unwrap()
}

fn yuan(y: i64) -> Money {
    Money::from_yuan(y)
}

fn figures(sales: i64, pool: i64, winners: &[u64]) -> DrawFigures {
    DrawFigures {
        sales: yuan(sales),
        pool_before: yuan(pool),
        adjustment_balance: yuan(1_000_000_000),
        winners: winners.to_vec(),
        fuyun: Fuyun::Inactive,
    }
}

fn prizes(game: Game, draw: &str, f: &DrawFigures) -> PrizeOutcome {
    compute_prizes(game, version(game, draw), f).unwrap()
}

fn per_bet(outcome: &PrizeOutcome) -> Vec<Money> {
    outcome.tiers.iter().map(|t| t.prize).collect()
}

#[test]
fn ssq_2023075_reproduces_the_official_prizes_to_the_yuan() {
    // Official: sales 382,962,350; pool 2,313,625,531 (≥ 1亿); winners as below.
    // 当期奖金 = 49% = 187,651,551.50; fixed tiers = 100,258,485; 高等奖奖金 = 87,393,066.50.
    // 55/20/25 split (largest remainder, in 分): 48,066,186.58 / 17,478,613.30 / 21,848,266.62.
    // 一等 (a) = (48,066,186.58 + pool) / 9, capped 5,000,000; (b) = floor(17,478,613.30 / 9)
    // = 1,942,068 → 6,942,068. 二等 = floor(21,848,266.62 / 107) = 204,189.
    let f = figures(
        382_962_350,
        2_313_625_531,
        &[9, 107, 1_526, 81_441, 1_516_836, 12_844_785],
    );
    let out = prizes(Game::Ssq, "2023075", &f);
    assert_eq!(
        per_bet(&out),
        [6_942_068, 204_189, 3_000, 200, 10, 5].map(yuan)
    );
    // Pool: 2,361,691,717.58 − 9 × 5,000,000 = 2,316,691,717.58.
    assert_eq!(out.pool_after, Money::from_fen(231_669_171_758));
    // Remainders: 17,478,613.30 − 9 × 1,942,068 = 1.30; 21,848,266.62 − 107 × 204,189 = 43.62.
    assert_eq!(out.adjustment_delta, Money::from_fen(130 + 4_362));
    assert_eq!(out.working_capital_advance, Money::ZERO);
    assert_eq!(out.fuyun_next, None);
}

#[test]
fn ssq_pool_below_one_yi_caps_the_first_prize_and_rolls_the_excess() {
    // sales 300,000,000 → 当期 147,000,000; fixed 1000×3000 + 50000×200 + 10^6×10 + 10^7×5
    // = 73,000,000; 高等 74,000,000. Pool 50,000,000 < 1亿: 一等 = 75% + pool = 105,500,000
    // over 2 bets = 52,750,000 → capped 5,000,000, excess 95,500,000 to the pool;
    // 二等 = 25% = 18,500,000 / 50 = 370,000 exactly.
    let f = figures(
        300_000_000,
        50_000_000,
        &[2, 50, 1_000, 50_000, 1_000_000, 10_000_000],
    );
    let out = prizes(Game::Ssq, "2019100", &f);
    assert_eq!(per_bet(&out)[..2], [yuan(5_000_000), yuan(370_000)]);
    assert_eq!(out.pool_after, yuan(95_500_000));
    assert_eq!(out.adjustment_delta, Money::ZERO);
}

#[test]
fn ssq_unwon_first_prize_rolls_into_the_pool() {
    let f = figures(
        300_000_000,
        50_000_000,
        &[0, 50, 1_000, 50_000, 1_000_000, 10_000_000],
    );
    let out = prizes(Game::Ssq, "2019100", &f);
    assert_eq!(out.tiers[0].prize, Money::ZERO);
    assert_eq!(out.pool_after, yuan(105_500_000));
}

#[test]
fn ssq_first_prize_below_second_merges_both_tiers() {
    // sales 10,000,000 → 当期 = 高等 = 4,900,000; 一等 75% = 3,675,000 / 10 = 367,500 <
    // 二等 1,225,000 / 1. Merge: 4,900,000 / 11 = 445,454 (remainder 6 to 调节基金).
    let f = figures(10_000_000, 0, &[10, 1, 0, 0, 0, 0]);
    let out = prizes(Game::Ssq, "2019100", &f);
    assert_eq!(per_bet(&out)[..2], [yuan(445_454), yuan(445_454)]);
    assert_eq!(out.adjustment_delta, yuan(6));
    assert_eq!(out.pool_after, Money::ZERO);
}

#[test]
fn ssq_second_prize_is_topped_up_to_twice_the_third() {
    // 二等 = 25% × 4,900,000 = 1,225,000 / 1000 = 1,225 < 6,000 → 调节基金 pays
    // 4,775 × 1000 = 4,775,000; the unwon 一等 share 3,675,000 rolls into the pool.
    let f = figures(10_000_000, 0, &[0, 1_000, 0, 0, 0, 0]);
    let out = prizes(Game::Ssq, "2019100", &f);
    assert_eq!(out.tiers[1].prize, yuan(6_000));
    assert_eq!(out.adjustment_delta, yuan(-4_775_000));
    assert_eq!(out.pool_after, yuan(3_675_000));

    // With only 1,000,000 in the adjustment fund, the 兑奖周转金 advances the rest.
    let mut short = f.clone();
    short.adjustment_balance = yuan(1_000_000);
    let out = prizes(Game::Ssq, "2019100", &short);
    assert_eq!(out.tiers[1].prize, yuan(6_000));
    assert_eq!(out.adjustment_delta, yuan(-1_000_000));
    assert_eq!(out.working_capital_advance, yuan(3_775_000));
}

#[test]
fn ssq_2026_caps_the_first_prize_total_at_one_yi() {
    // sales 400,000,000 → 高等 196,000,000 (no fixed winners); pool 20亿 ≥ 1亿.
    // (a) 55% = 107,800,000 + 2,000,000,000 over 30 → capped 5,000,000, excess 1,957,800,000;
    // (b) 20% = 39,200,000 / 30 = 1,306,666 (remainder 20). Per bet 6,306,666 × 30 > 1亿
    // → 3,333,333 per bet, (6,306,666 − 3,333,333) × 30 = 89,199,990 to the pool.
    // 二等 unwon: 49,000,000 to the pool. Pool 2,095,999,990 ≥ 15亿 starts 福运奖 next draw.
    let f = figures(400_000_000, 2_000_000_000, &[30, 0, 0, 0, 0, 0, 0]);
    let out = prizes(Game::Ssq, "2026100", &f);
    assert_eq!(out.tiers[0].prize, yuan(3_333_333));
    assert_eq!(out.pool_after, yuan(2_095_999_990));
    assert_eq!(out.adjustment_delta, yuan(20));
    assert_eq!(out.fuyun_next, Some(true));
    // The same figures under the previous rule pay the uncapped 6,306,666.
    let old = prizes(
        Game::Ssq,
        "2026013",
        &figures(400_000_000, 2_000_000_000, &[30, 0, 0, 0, 0, 0]),
    );
    assert_eq!(old.tiers[0].prize, yuan(6_306_666));
}

#[test]
fn ssq_fuyun_pays_only_inside_its_special_period() {
    let winners = [0, 0, 0, 0, 0, 0, 1_000];
    let mut f = figures(400_000_000, 0, &winners);
    assert_eq!(
        compute_prizes(Game::Ssq, version(Game::Ssq, "2026080"), &f),
        Err(PrizeError::FuyunOutsidePeriod)
    );
    f.fuyun = Fuyun::Active;
    let out = prizes(Game::Ssq, "2026050", &f);
    let fy = out.tiers.iter().find(|t| t.key == "fy").unwrap();
    assert_eq!((fy.bets, fy.prize), (1_000, yuan(5)));
    // 5,000 of 福运奖 comes out of 当期奖金 before the 高等奖 split: 196,000,000 − 5,000.
    assert_eq!(out.pool_after, yuan(196_000_000 - 5_000));
}

#[test]
fn fuyun_special_period_has_hysteresis() {
    let rule = version(Game::Ssq, "2026014").fuyun_rule().unwrap();
    // Active: stops only below 3亿 (exactly 3亿 keeps it).
    assert!(rule.next_active(true, yuan(300_000_000)));
    assert!(!rule.next_active(true, Money::from_fen(29_999_999_999)));
    assert!(rule.next_active(true, yuan(1_000_000_000)));
    // Inactive: starts only at 15亿.
    assert!(!rule.next_active(false, yuan(1_499_999_999)));
    assert!(rule.next_active(false, yuan(1_500_000_000)));
    // Observed: pool after 2026075 = 283,183,968 stopped it from 2026076.
    assert!(!rule.next_active(true, yuan(283_183_968)));
    let v = version(Game::Ssq, "2026075");
    assert_eq!(v.fuyun_for(Some("2026075".parse().unwrap())), Fuyun::Active);
    assert_eq!(
        v.fuyun_for(Some("2026076".parse().unwrap())),
        Fuyun::Inactive
    );
    assert_eq!(
        version(Game::Ssq, "2019100").fuyun_for(None),
        Fuyun::NotInRule
    );
}

#[test]
fn qlc_floating_tiers_share_70_10_20_with_bottom_up_top_ups() {
    // sales 10,000,000 → 当期 4,900,000; fixed 100×200 + 1000×50 + 5000×10 + 20000×5
    // = 220,000; 高等 4,680,000 → 3,276,000 / 468,000 / 936,000; pool 1,000,000 joins 一等.
    let f = figures(
        10_000_000,
        1_000_000,
        &[1, 2, 10, 100, 1_000, 5_000, 20_000],
    );
    let out = prizes(Game::Qlc, "2019100", &f);
    assert_eq!(
        per_bet(&out),
        [4_276_000, 234_000, 93_600, 200, 50, 10, 5].map(yuan)
    );
    assert_eq!(out.pool_after, Money::ZERO);

    // 三等 936,000 / 5000 = 187 (remainder 1,000) < 2 × 200 → topped up to 400:
    // 213 × 5000 = 1,065,000 from 调节基金; net −1,064,000.
    let f = figures(
        10_000_000,
        1_000_000,
        &[1, 2, 5_000, 100, 1_000, 5_000, 20_000],
    );
    let out = prizes(Game::Qlc, "2019100", &f);
    assert_eq!(out.tiers[2].prize, yuan(400));
    assert_eq!(out.adjustment_delta, yuan(-1_064_000));
}

#[test]
fn kl8_floating_prizes_guarantee_a_minimum_and_respect_caps() {
    // 0.5% of 1,000,000 = 5,000 in the pool; one 选十中十 winner gets the 200,000 minimum,
    // 195,000 of it from 调节基金.
    let out = prizes(Game::Kl8, "2026001", &figures(1_000_000, 0, &[1, 0]));
    assert_eq!(out.tiers[0].prize, yuan(200_000));
    assert_eq!(out.adjustment_delta, yuan(-195_000));
    assert_eq!(out.pool_after, Money::ZERO);

    // Pool 10,000,000 + 5,000: 选十中十 capped at 5,000,000; 3 × 选九中九 capped at 250,000;
    // 10,005,000 − 5,000,000 − 750,000 = 4,255,000 stays in the pool.
    let out = prizes(
        Game::Kl8,
        "2026001",
        &figures(1_000_000, 10_000_000, &[1, 3]),
    );
    assert_eq!(per_bet(&out), [yuan(5_000_000), yuan(250_000)]);
    assert_eq!(out.pool_after, yuan(4_255_000));

    // Before 2025350 only 选十中十 floats.
    let err = compute_prizes(
        Game::Kl8,
        version(Game::Kl8, "2025349"),
        &figures(1_000_000, 0, &[1, 0]),
    );
    assert!(matches!(
        err,
        Err(PrizeError::WinnerCount { expected: 1, .. })
    ));
}

#[test]
fn fc3d_pays_fixed_prizes_from_the_draw_then_the_pool_then_the_adjustment_fund() {
    // 当期 52% of 1,000,000 = 520,000; prizes 100×1040 + 200×346 + 300×173 = 225,100.
    let out = prizes(
        Game::Fc3d,
        "2019100",
        &figures(1_000_000, 50_000, &[100, 200, 300]),
    );
    assert_eq!(per_bet(&out), [1_040, 346, 173].map(yuan));
    assert_eq!(out.pool_after, yuan(50_000 + 520_000 - 225_100));
    // 1000 直选 = 1,040,000: 520,000 short, 50,000 from the pool, 470,000 from 调节基金.
    let out = prizes(
        Game::Fc3d,
        "2019100",
        &figures(1_000_000, 50_000, &[1_000, 0, 0]),
    );
    assert_eq!(out.pool_after, Money::ZERO);
    assert_eq!(out.adjustment_delta, yuan(-470_000));
}

#[test]
fn wrong_winner_counts_and_negative_figures_are_refused() {
    let v = version(Game::Ssq, "2019100");
    assert!(matches!(
        compute_prizes(Game::Ssq, v, &figures(100, 0, &[1, 2, 3])),
        Err(PrizeError::WinnerCount {
            expected: 6,
            given: 3,
            ..
        })
    ));
    let mut f = figures(100, 0, &[0; 6]);
    f.pool_before = Money::from_fen(-1);
    assert_eq!(
        compute_prizes(Game::Ssq, v, &f),
        Err(PrizeError::Negative("pool"))
    );
}

mod conservation {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// Whatever the figures, prizes are computed without breaking conservation (checked
        /// inside `compute_prizes`), nothing is negative, and floating prizes are whole 元.
        #[test]
        fn any_draw_figures_conserve_money(
            game_ix in 0usize..4,
            draw in prop_oneof![Just("2019100"), Just("2026050"), Just("2026100")],
            sales_yuan in 0i64..2_000_000_000,
            pool_yuan in 0i64..3_000_000_000,
            adjustment_yuan in 0i64..100_000_000,
            winners in proptest::collection::vec(prop_oneof![Just(0u64), 0u64..5, 0u64..100_000_000], 7),
            fuyun_on in any::<bool>(),
        ) {
            let game = Game::ALL[game_ix];
            let v = version(game, if game == Game::Kl8 && draw == "2019100" { "2026050" } else { draw });
            let keys = fucai_games::prize_tier_keys(game, v);
            let fuyun = match v.fuyun_for(None) {
                Fuyun::NotInRule => Fuyun::NotInRule,
                _ if fuyun_on => Fuyun::Active,
                _ => Fuyun::Inactive,
            };
            let mut w = winners[..keys.len()].to_vec();
            if fuyun == Fuyun::Inactive && keys.last().is_some_and(|k| k == "fy") {
                *w.last_mut().unwrap() = 0;
            }
            let f = DrawFigures {
                sales: yuan(sales_yuan * 2),
                pool_before: yuan(pool_yuan),
                adjustment_balance: yuan(adjustment_yuan),
                winners: w,
                fuyun,
            };
            let out = compute_prizes(game, v, &f).unwrap();
            prop_assert!(!out.pool_after.is_negative());
            prop_assert!(!out.working_capital_advance.is_negative());
            prop_assert!(out.adjustment_delta.fen() >= -f.adjustment_balance.fen());
            for t in &out.tiers {
                prop_assert!(!t.prize.is_negative());
                if t.floating {
                    prop_assert_eq!(t.prize.fen() % 100, 0, "floating prize not whole 元");
                }
            }
        }
    }
}
