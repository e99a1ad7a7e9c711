//! `fucai prizes <game> --draw … --sales … --pool … --winners … [--adjustment …] [--json]`.

use clap::Args;
use fucai_games::{compute_prizes, DrawFigures, PrizeOutcome};
use fucai_ledger::Money;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use crate::check::{fuyun_state, OnOff};
use crate::error::CliError;
use crate::rules::resolve;

/// Default adjustment-fund balance: "large enough" (1万亿元).
const LARGE_ADJUSTMENT_FUND: Money = Money::from_yuan(1_000_000_000_000);

#[derive(Args)]
pub struct PrizesArgs {
    /// ssq, fc3d, qlc or kl8.
    pub game: String,
    /// Draw number (期号): picks the rule version.
    #[arg(long)]
    pub draw: String,
    /// The draw's sales in 元.
    #[arg(long)]
    pub sales: String,
    /// The jackpot pool (奖池) before the draw in 元 (快乐8: the 选十中十 pool).
    #[arg(long)]
    pub pool: String,
    /// Winning bets per tier in tier order, multiples included, e.g. 9,107,1526,81441,1516836,12844785.
    #[arg(long)]
    pub winners: String,
    /// Adjustment fund (调节基金) balance in 元; large enough when absent.
    #[arg(long)]
    pub adjustment: Option<String>,
    /// 双色球 福运奖 special period; by default what the rule data knows for the draw.
    #[arg(long, value_enum)]
    pub fuyun: Option<OnOff>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct PrizesReport<'a> {
    game: &'static str,
    draw: String,
    #[serde(serialize_with = "tiers_object")]
    tiers: &'a PrizeOutcome,
    pool_after_fen: i64,
    adjustment_delta_fen: i64,
    #[serde(skip_serializing_if = "is_zero")]
    working_capital_advance_fen: i64,
}

fn is_zero(v: &i64) -> bool {
    *v == 0
}

#[derive(Serialize)]
struct TierJson {
    bets: u64,
    prize_fen: i64,
}

fn tiers_object<S: Serializer>(outcome: &&PrizeOutcome, s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(outcome.tiers.len()))?;
    for t in &outcome.tiers {
        map.serialize_entry(
            &t.key,
            &TierJson {
                bets: t.bets,
                prize_fen: t.prize.fen(),
            },
        )?;
    }
    map.end()
}

pub fn run(args: &PrizesArgs) -> Result<(), CliError> {
    let (game, draw, version) = resolve(&args.game, Some(&args.draw))?;
    let winners = args
        .winners
        .split(',')
        .map(|w| w.trim().parse::<u64>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| {
            CliError::input(
                "--winners",
                format!(
                    "'{}' is not a comma-separated list of whole numbers",
                    args.winners
                ),
            )
        })?;
    let figures = DrawFigures {
        sales: CliError::money("--sales", &args.sales, Some(Money::ZERO))?,
        pool_before: CliError::money("--pool", &args.pool, Some(Money::ZERO))?,
        adjustment_balance: match &args.adjustment {
            Some(a) => CliError::money("--adjustment", a, Some(Money::ZERO))?,
            None => LARGE_ADJUSTMENT_FUND,
        },
        winners,
        fuyun: fuyun_state(version, draw, args.fuyun),
    };
    let outcome =
        compute_prizes(game, version, &figures).map_err(|e| CliError::input("--winners", e))?;
    if args.json {
        let report = PrizesReport {
            game: game.code(),
            draw: args.draw.trim().to_string(),
            tiers: &outcome,
            pool_after_fen: outcome.pool_after.fen(),
            adjustment_delta_fen: outcome.adjustment_delta.fen(),
            working_capital_advance_fen: outcome.working_capital_advance.fen(),
        };
        println!(
            "{}",
            serde_json::to_string(&report).map_err(anyhow::Error::from)?
        );
        return Ok(());
    }
    println!(
        "{} draw {} — rule set {}",
        game.name(),
        args.draw.trim(),
        version.id
    );
    println!(
        "sales {}, pool before {}",
        figures.sales, figures.pool_before
    );
    for t in &outcome.tiers {
        let kind = if t.floating { "floating" } else { "fixed" };
        println!(
            "  {:<8} {:>12} bets × {:>16}  ({kind})",
            t.name,
            t.bets,
            t.prize.to_string()
        );
    }
    println!("pool after {}", outcome.pool_after);
    println!(
        "adjustment fund {:+}分 ({})",
        outcome.adjustment_delta.fen(),
        outcome.adjustment_delta
    );
    if outcome.working_capital_advance > Money::ZERO {
        println!(
            "advanced by the 兑奖周转金: {}",
            outcome.working_capital_advance
        );
    }
    if let Some(next) = outcome.fuyun_next {
        println!(
            "福运奖 next draw: {}",
            if next { "active" } else { "inactive" }
        );
    }
    Ok(())
}
