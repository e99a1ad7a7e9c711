//! `fucai bench check`: evaluates random selections of every game against a random result
//! (parse, closed-form tier counts, fixed prizes) and compares with brute-force expansion of
//! the same selections, measured in the same run.

use std::time::{Duration, Instant};

use clap::{Args, Subcommand};
use fucai_games::{DrawResult, Game, RuleBook, Selection};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use crate::check::evaluate;
use crate::error::CliError;

#[derive(Args)]
pub struct BenchArgs {
    #[command(subcommand)]
    pub which: Which,
}

#[derive(Subcommand)]
pub enum Which {
    /// Selections per second of `fucai check`'s evaluation, against brute-force expansion.
    Check {
        /// Selections per game.
        #[arg(long, default_value_t = 100_000)]
        count: usize,
        /// Random seed (the same seed gives the same selections).
        #[arg(long, default_value_t = 2019)]
        seed: u64,
    },
    /// Durable tickets/s and latency of the sales API over loopback HTTP: group commit against
    /// one transaction per sale, each on a fresh database file.
    Sales {
        /// Concurrent HTTP clients (each a terminal selling one ticket after another).
        #[arg(long, default_value_t = 64)]
        clients: usize,
        /// Seconds of load per configuration.
        #[arg(long, default_value_t = 5.0)]
        seconds: f64,
    },
    /// The staff dashboard's server time on the demo database (seeded with the reference
    /// year when empty), against reading its figures report by report.
    Pages {
        #[arg(long, default_value = "target/bench-pages.db")]
        database_url: String,
        #[arg(long, default_value_t = 20)]
        runs: usize,
    },
    /// Settles a generated national-scale 双色球 draw: fucai's kernel against DuckDB SQL on the
    /// same sealed file and against brute-force expansion of a sample.
    Settle {
        /// Bets in the draw (multiples included).
        #[arg(long, default_value_t = 200_000_000)]
        bets: u64,
        #[arg(long, default_value_t = 2019)]
        seed: u64,
        /// Where the sealed file is generated (kept for the next run).
        #[arg(long, default_value = "target/bench-settle")]
        dir: std::path::PathBuf,
        /// Lines expanded bet by bet for the brute-force figure.
        #[arg(long, default_value_t = 200_000)]
        sample: usize,
    },
}

pub fn run(args: &BenchArgs) -> Result<(), CliError> {
    match args.which {
        Which::Check { count, seed } => bench_check(count, seed),
        Which::Sales { clients, seconds } => crate::bench_sales::run(clients, seconds),
        Which::Pages {
            ref database_url,
            runs,
        } => crate::bench_pages::run(database_url, runs.max(1)),
        Which::Settle {
            bets,
            seed,
            ref dir,
            sample,
        } => crate::bench_settle::run(bets, seed, dir, sample),
    }
}

fn bench_check(count: usize, seed: u64) -> Result<(), CliError> {
    if cfg!(debug_assertions) {
        eprintln!("note: this is a debug build; run `cargo run --release -p fucai-cli -- bench check` for real figures");
    }
    let mut rng = StdRng::seed_from_u64(seed);
    println!("fucai bench check: {count} random selections per game (seed {seed})");
    println!(
        "{:<8} {:>12} {:>14} {:>16} {:>16} {:>8}",
        "game", "selections", "bets", "closed sel/s", "expand sel/s", "ratio"
    );
    let mut total_time = Duration::ZERO;
    let mut total = 0usize;
    for game in Game::ALL {
        let version = RuleBook::standard()
            .version_for(game, None)
            .expect("newest version");
        let texts: Vec<String> = (0..count)
            .map(|_| random_selection(game, &mut rng))
            .collect();
        let result = DrawResult::parse(game, &random_result(game, &mut rng)).expect("valid result");
        let fuyun = version.fuyun_for(None);

        let started = Instant::now();
        let mut bets = 0u64;
        let mut winners = 0u64;
        for text in &texts {
            let report = evaluate(game, version, text, Some(&result), fuyun)?;
            bets += report.bets;
            winners += report
                .tiers
                .map_or(0, |t| t.0.iter().map(|&(_, n)| n).sum());
        }
        let closed = started.elapsed();
        total_time += closed;
        total += texts.len();

        // Baseline: the same work by expanding every bet, on the same selections.
        let started = Instant::now();
        let mut brute_winners = 0u64;
        for text in &texts {
            let selection = Selection::parse(game, text).expect("generated selections are valid");
            let counts = selection
                .tier_counts_by_expansion(&result, fuyun)
                .expect("same game");
            brute_winners += counts.0.iter().map(|&(_, n)| n).sum::<u64>();
        }
        let brute = started.elapsed();
        assert_eq!(winners, brute_winners, "closed form and expansion disagree");
        let rate = |d: Duration| texts.len() as f64 / d.as_secs_f64();
        println!(
            "{:<8} {:>12} {:>14} {:>16.0} {:>16.0} {:>7.1}×",
            game.code(),
            texts.len(),
            bets,
            rate(closed),
            rate(brute),
            brute.as_secs_f64() / closed.as_secs_f64()
        );
    }
    println!(
        "total: {total} selections in {:.3} s ({:.0} selections/s)",
        total_time.as_secs_f64(),
        total as f64 / total_time.as_secs_f64()
    );
    println!();
    bench_large_selections(&mut rng);
    Ok(())
}

/// The largest selections, where the closed form matters most: evaluation only (parsed once).
fn bench_large_selections(rng: &mut StdRng) {
    let all = |lo: u8, hi: u8| join(&(lo..=hi).collect::<Vec<u8>>());
    let cases = [
        (Game::Ssq, format!("{} + {}", all(1, 20), all(1, 16))),
        (
            Game::Fc3d,
            "zx 0123456789|0123456789|0123456789".to_string(),
        ),
        (Game::Qlc, all(1, 16)),
        (Game::Kl8, format!("x10 {}", all(1, 20))),
    ];
    println!(
        "{:<8} {:>10} {:>16} {:>16} {:>10}",
        "largest", "bets", "closed µs/sel", "expand µs/sel", "ratio"
    );
    for (game, text) in cases {
        let selection = Selection::parse(game, &text).expect("valid");
        let result = DrawResult::parse(game, &random_result(game, rng)).expect("valid");
        let fuyun = RuleBook::standard()
            .version_for(game, None)
            .expect("version")
            .fuyun_for(None);
        let time = |reps: u32, f: &dyn Fn() -> u64| {
            let started = Instant::now();
            let mut sink = 0u64;
            for _ in 0..reps {
                sink = sink.wrapping_add(f());
            }
            std::hint::black_box(sink);
            started.elapsed().as_secs_f64() * 1e6 / f64::from(reps)
        };
        let sum = |c: fucai_games::TierCounts| c.0.iter().map(|&(_, n)| n).sum::<u64>();
        let closed = time(20_000, &|| {
            sum(selection.tier_counts(&result, fuyun).expect("same game"))
        });
        let brute = time(5, &|| {
            sum(selection
                .tier_counts_by_expansion(&result, fuyun)
                .expect("same game"))
        });
        println!(
            "{:<8} {:>10} {:>16.3} {:>16.1} {:>9.0}×",
            game.code(),
            selection.bets(),
            closed,
            brute,
            brute / closed
        );
    }
}

fn numbers(rng: &mut StdRng, lo: u8, hi: u8, n: usize) -> Vec<u8> {
    let mut all: Vec<u8> = (lo..=hi).collect();
    all.shuffle(rng);
    all.truncate(n);
    all
}

fn join(ns: &[u8]) -> String {
    ns.iter()
        .map(|n| format!("{n:02}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A pick zone in the mix of real sales: mostly 单式, some 复式 and 胆拖.
fn pick_zone(rng: &mut StdRng, hi: u8, size: usize, extra_max: usize, dan_max: usize) -> String {
    let roll: u32 = rng.random_range(0..100);
    if roll < 70 {
        join(&numbers(rng, 1, hi, size))
    } else if roll < 90 || dan_max == 0 {
        let n = size + rng.random_range(1..=extra_max);
        join(&numbers(rng, 1, hi, n))
    } else {
        let dan = rng.random_range(1..=dan_max);
        let tuo = size - dan + rng.random_range(1..=extra_max);
        let all = numbers(rng, 1, hi, dan + tuo);
        format!("{} # {}", join(&all[..dan]), join(&all[dan..]))
    }
}

fn multiple(rng: &mut StdRng) -> String {
    if rng.random_range(0..10) < 8 {
        String::new()
    } else {
        format!(" x {}", rng.random_range(2..=10))
    }
}

fn random_selection(game: Game, rng: &mut StdRng) -> String {
    let body = match game {
        Game::Ssq => {
            let blues = if rng.random_range(0..10) < 9 { 1 } else { 2 };
            format!(
                "{} + {}",
                pick_zone(rng, 33, 6, 4, 5),
                join(&numbers(rng, 1, 16, blues))
            )
        }
        Game::Qlc => pick_zone(rng, 30, 7, 3, 6),
        Game::Kl8 => {
            let spot = rng.random_range(1..=10usize);
            let dan_max = spot - 1;
            format!("x{spot} {}", pick_zone(rng, 80, spot, 3, dan_max))
        }
        Game::Fc3d => match rng.random_range(0..100) {
            0..60 => format!(
                "zx {}|{}|{}",
                rng.random_range(0..10),
                rng.random_range(0..10),
                rng.random_range(0..10)
            ),
            60..75 => {
                let pos = |rng: &mut StdRng| {
                    let n = rng.random_range(1..=3);
                    numbers(rng, 0, 9, n)
                        .iter()
                        .map(|d| d.to_string())
                        .collect::<String>()
                };
                format!("zx {}|{}|{}", pos(rng), pos(rng), pos(rng))
            }
            75..90 => {
                let n = rng.random_range(2..=5);
                format!(
                    "z3 {}",
                    numbers(rng, 0, 9, n)
                        .iter()
                        .map(|d| d.to_string())
                        .collect::<Vec<_>>()
                        .join(" ")
                )
            }
            _ => {
                let n = rng.random_range(3..=6);
                format!(
                    "z6 {}",
                    numbers(rng, 0, 9, n)
                        .iter()
                        .map(|d| d.to_string())
                        .collect::<Vec<_>>()
                        .join(" ")
                )
            }
        },
    };
    format!("{body}{}", multiple(rng))
}

fn random_result(game: Game, rng: &mut StdRng) -> String {
    match game {
        Game::Ssq => format!(
            "{} + {}",
            join(&numbers(rng, 1, 33, 6)),
            rng.random_range(1..=16)
        ),
        Game::Qlc => {
            let all = numbers(rng, 1, 30, 8);
            format!("{} + {}", join(&all[..7]), all[7])
        }
        Game::Kl8 => join(&numbers(rng, 1, 80, 20)),
        Game::Fc3d => format!(
            "{} {} {}",
            rng.random_range(0..10),
            rng.random_range(0..10),
            rng.random_range(0..10)
        ),
    }
}
