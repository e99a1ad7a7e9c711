//! `fucai`: the command-line tool of the fucai welfare-lottery platform.

mod bench;
mod check;
mod error;
mod prizes;
mod rules;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "fucai",
    version,
    about = "福彩 — operations platform of a district welfare-lottery center"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a selection against a draw result: bets, cost, winning bets per tier, fixed prizes.
    Check(check::CheckArgs),
    /// Compute a draw's per-bet prizes, pool and adjustment-fund movements from its figures.
    Prizes(prizes::PrizesArgs),
    /// Print the rule set in force for a game (tiers, prizes, fund split, limits, assumptions).
    Rules(rules::RulesArgs),
    /// Benchmarks (release build): `fucai bench check`.
    Bench(bench::BenchArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Prizes(args) => prizes::run(&args),
        Command::Rules(args) => rules::run(&args),
        Command::Bench(args) => bench::run(&args),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fucai: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
