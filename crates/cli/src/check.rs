//! `fucai check <game> "<selection>" --result "<result>" [--draw <期号>] [--json]`.

use clap::{Args, ValueEnum};
use fucai_games::{DrawResult, Fuyun, Game, RuleVersion, Selection, TierCounts};
use fucai_ledger::Money;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use crate::error::CliError;
use crate::rules::resolve;

#[derive(Args)]
pub struct CheckArgs {
    /// ssq, fc3d, qlc or kl8.
    pub game: String,
    /// One selection in the syntax of docs/SYNTAX.md, e.g. "01 02 03 04 05 06 + 07 x 2".
    pub selection: String,
    /// The draw's winning numbers, e.g. "01 02 03 04 05 09 + 07".
    #[arg(long)]
    pub result: Option<String>,
    /// Draw number (期号): picks the rule version; the newest when absent.
    #[arg(long)]
    pub draw: Option<String>,
    /// 双色球 福运奖 special period; by default what the rule data knows for the draw.
    #[arg(long, value_enum)]
    pub fuyun: Option<OnOff>,
    /// Print one JSON object (docs/SYNTAX.md).
    #[arg(long)]
    pub json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

/// The checked selection; also the `--json` output.
#[derive(Serialize)]
pub struct CheckReport {
    pub game: &'static str,
    pub bets: u64,
    pub multiple: u8,
    pub cost_fen: i64,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "ordered_tiers"
    )]
    pub tiers: Option<TierCounts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed_prize_fen: Option<i64>,
}

/// Tiers as a JSON object in the game's tier order.
fn ordered_tiers<S: Serializer>(tiers: &Option<TierCounts>, s: S) -> Result<S::Ok, S::Error> {
    let entries = tiers.as_ref().map_or(&[][..], |t| &t.0[..]);
    let mut map = s.serialize_map(Some(entries.len()))?;
    for (key, count) in entries {
        map.serialize_entry(key, count)?;
    }
    map.end()
}

pub fn fuyun_state(
    version: &RuleVersion,
    draw: Option<fucai_games::DrawNumber>,
    flag: Option<OnOff>,
) -> Fuyun {
    match (version.fuyun_for(draw), flag) {
        (Fuyun::NotInRule, _) => Fuyun::NotInRule,
        (_, Some(OnOff::On)) => Fuyun::Active,
        (_, Some(OnOff::Off)) => Fuyun::Inactive,
        (known, None) => known,
    }
}

/// Parses and evaluates one selection under `version` (the work `fucai bench check` times).
pub fn evaluate(
    game: Game,
    version: &RuleVersion,
    selection_text: &str,
    result: Option<&DrawResult>,
    fuyun: Fuyun,
) -> Result<CheckReport, CliError> {
    let selection =
        Selection::parse(game, selection_text).map_err(|e| CliError::input("selection", e))?;
    let price = fucai_games::RuleBook::standard().game(game).price.0;
    let cost = price
        .checked_mul(selection.weighted_bets() as i64)
        .map_err(|e| CliError::input("selection", e))?;
    let (tiers, fixed) = match result {
        Some(r) => {
            let counts = selection
                .tier_counts(r, fuyun)
                .map_err(|e| CliError::input("--result", e))?;
            let fixed = version.fixed_prize(&selection, &counts);
            (Some(counts), Some(fixed.fen()))
        }
        None => (None, None),
    };
    Ok(CheckReport {
        game: game.code(),
        bets: selection.bets(),
        multiple: selection.multiple,
        cost_fen: cost.fen(),
        tiers,
        fixed_prize_fen: fixed,
    })
}

pub fn run(args: &CheckArgs) -> Result<(), CliError> {
    let (game, draw, version) = resolve(&args.game, args.draw.as_deref())?;
    let result = args
        .result
        .as_deref()
        .map(|r| DrawResult::parse(game, r))
        .transpose()
        .map_err(|e| CliError::input("--result", e))?;
    let fuyun = fuyun_state(version, draw, args.fuyun);
    let report = evaluate(game, version, &args.selection, result.as_ref(), fuyun)?;
    if args.json {
        let json = serde_json::to_string(&report).map_err(anyhow::Error::from)?;
        println!("{json}");
        return Ok(());
    }
    let selection =
        Selection::parse(game, &args.selection).map_err(|e| CliError::input("selection", e))?;
    println!("{} {}: {}", game.name(), selection.play_name(), selection);
    println!(
        "rule set {}{}",
        version.id,
        draw.map(|d| format!(" (draw {d})")).unwrap_or_default()
    );
    println!(
        "bets {}, multiple {}, cost {}",
        report.bets,
        report.multiple,
        Money::from_fen(report.cost_fen)
    );
    if let (Some(result), Some(tiers)) = (&result, &report.tiers) {
        println!("result {result}");
        for (key, count) in &tiers.0 {
            let name = tier_name(version, game, key);
            println!("  {name:<8} {count}");
        }
        let fixed = Money::from_fen(report.fixed_prize_fen.unwrap_or(0));
        println!("fixed prizes {fixed} (before tax; floating tiers not included)");
    }
    Ok(())
}

fn tier_name(version: &RuleVersion, game: Game, key: &str) -> String {
    match (game, version.tier(key)) {
        (Game::Kl8, _) => format!("中{key}"),
        (_, Some(t)) => t.name.clone(),
        (_, None) => key.to_string(),
    }
}
