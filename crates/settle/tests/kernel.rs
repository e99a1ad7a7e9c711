//! The kernel against brute-force expansion, the seal against tampering.

use std::path::Path;

use fucai_games::{DrawResult, Game, Selection};
use fucai_settle::{
    count_winners, count_winners_by_expansion, verify, winning_lines, LineColumns, SealHeader,
    SealWriter, SealedFile, SealedLine,
};
use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::seq::index::sample;
use rand::{Rng, SeedableRng};

/// `count` distinct numbers of `lo..=hi`, drawn from a narrow range half the time so that
/// selections and results overlap often (high tiers get exercised).
fn numbers(rng: &mut StdRng, lo: u8, hi: u8, count: usize, narrow: bool) -> Vec<u8> {
    let top = if narrow {
        hi.min(lo + count as u8 + 2)
    } else {
        hi
    };
    let span = usize::from(top - lo) + 1;
    let mut v: Vec<u8> = sample(rng, span, count.min(span))
        .into_iter()
        .map(|i| lo + i as u8)
        .collect();
    v.sort_unstable();
    v
}

fn join(v: &[u8]) -> String {
    v.iter()
        .map(|n| format!("{n:02}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A pick of `size` from `lo..=hi`: 单式, 复式 or 胆拖 (sizes kept small for expansion).
fn pick(rng: &mut StdRng, lo: u8, hi: u8, size: usize, narrow: bool) -> String {
    let extra = rng.random_range(1..=3);
    match rng.random_range(0..3) {
        0 => join(&numbers(rng, lo, hi, size, narrow)),
        1 => join(&numbers(rng, lo, hi, size + extra, narrow)),
        _ if size >= 2 => {
            let dan = rng.random_range(1..size);
            let all = numbers(rng, lo, hi, size + extra, narrow);
            format!("{} # {}", join(&all[..dan]), join(&all[dan..]))
        }
        _ => join(&numbers(rng, lo, hi, size, narrow)),
    }
}

fn random_selection(game: Game, rng: &mut StdRng) -> Selection {
    let narrow = rng.random_bool(0.5);
    let body = match game {
        Game::Ssq => {
            let blues = rng.random_range(1..=3);
            format!(
                "{} + {}",
                pick(rng, 1, 33, 6, narrow),
                join(&numbers(rng, 1, 16, blues, narrow))
            )
        }
        Game::Qlc => pick(rng, 1, 30, 7, narrow),
        Game::Kl8 => {
            let spot = rng.random_range(1..=10);
            format!("x{spot} {}", pick(rng, 1, 80, spot, narrow))
        }
        Game::Fc3d => {
            let digits = |rng: &mut StdRng, n: usize| {
                numbers(rng, 0, 9, n, false)
                    .iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            match rng.random_range(0..3) {
                0 => {
                    let pos: Vec<String> = (0..3)
                        .map(|_| {
                            let n = rng.random_range(1..=3);
                            digits(rng, n).replace(' ', "")
                        })
                        .collect();
                    format!("zx {}", pos.join("|"))
                }
                1 => {
                    let n = rng.random_range(2..=5);
                    format!("z3 {}", digits(rng, n))
                }
                _ => {
                    let n = rng.random_range(3..=6);
                    format!("z6 {}", digits(rng, n))
                }
            }
        }
    };
    let multiple = rng.random_range(1..=5);
    Selection::parse(game, &format!("{body} x {multiple}")).expect("generated selection")
}

fn random_result(game: Game, rng: &mut StdRng) -> DrawResult {
    let narrow = rng.random_bool(0.5);
    let text = match game {
        Game::Ssq => format!(
            "{} + {:02}",
            join(&numbers(rng, 1, 33, 6, narrow)),
            rng.random_range(1..=16)
        ),
        Game::Qlc => {
            let all = numbers(rng, 1, 30, 8, narrow);
            let special = rng.random_range(0..8);
            let basic: Vec<u8> = all
                .iter()
                .enumerate()
                .filter(|&(i, _)| i != special)
                .map(|(_, &n)| n)
                .collect();
            format!("{} + {:02}", join(&basic), all[special])
        }
        Game::Kl8 => join(&numbers(rng, 1, 80, 20, narrow)),
        Game::Fc3d => {
            let top = if narrow { 2 } else { 9 };
            (0..3)
                .map(|_| rng.random_range(0..=top).to_string())
                .collect::<Vec<_>>()
                .join(" ")
        }
    };
    DrawResult::parse(game, &text).expect("generated result")
}

/// Seals `lines` into `path` in row groups of `group` lines.
fn seal(path: &Path, game: Game, lines: &[SealedLine], group: usize) -> fucai_settle::Manifest {
    let mut writer = SealWriter::create(
        path,
        SealHeader {
            game,
            draw: "2099001".into(),
        },
    )
    .unwrap();
    for chunk in lines.chunks(group.max(1)) {
        let mut columns = LineColumns::default();
        chunk.iter().for_each(|l| columns.push(l));
        writer.write(&columns).unwrap();
    }
    writer.finish().unwrap()
}

fn random_lines(game: Game, rng: &mut StdRng, n: usize) -> Vec<SealedLine> {
    (0..n)
        .map(|i| {
            let s = random_selection(game, rng);
            SealedLine::new(
                120_990_010_000_000_000 + (i as i64 / 3),
                (i % 3) as i32 + 1,
                &format!("3204120{}", i % 4),
                &s,
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Kernel tier counts = brute-force expansion over random mixes of 单式/复式/胆拖 with
    /// multiples, for every game; the per-line winnings add up to the same totals.
    #[test]
    fn kernel_equals_expansion(seed in any::<u64>(), game_index in 0usize..4, n in 1usize..120, group in 1usize..50) {
        let game = [Game::Ssq, Game::Fc3d, Game::Qlc, Game::Kl8][game_index];
        let mut rng = StdRng::seed_from_u64(seed);
        let lines = random_lines(game, &mut rng, n);
        let result = random_result(game, &mut rng);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("draw.parquet");
        seal(&path, game, &lines, group);
        let file = SealedFile::open(&path).unwrap();
        let kernel = count_winners(&file, &result).unwrap();
        let mut all = LineColumns::default();
        lines.iter().for_each(|l| all.push(l));
        let brute = count_winners_by_expansion(game, &all, &result).unwrap();
        prop_assert_eq!(&kernel, &brute);
        let mut from_lines = vec![0u64; kernel.counts.len()];
        for win in winning_lines(&file, &result).unwrap() {
            for (key, n) in win.tiers {
                let i = kernel.counts.iter().position(|(k, _)| *k == key).unwrap();
                from_lines[i] += n;
            }
        }
        let totals: Vec<u64> = kernel.counts.iter().map(|&(_, n)| n).collect();
        prop_assert_eq!(from_lines, totals);
    }
}

#[test]
fn a_seal_verifies_and_one_changed_byte_does_not() {
    let mut rng = StdRng::seed_from_u64(7);
    let lines = random_lines(Game::Ssq, &mut rng, 500);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ssq-2099001.parquet");
    let manifest = seal(&path, Game::Ssq, &lines, 128);
    assert_eq!(manifest.rows, 500);
    let bets: u64 = lines
        .iter()
        .map(|l| (l.bets * l.multiple as i64) as u64)
        .sum();
    assert_eq!(manifest.bets, bets);
    assert_eq!(manifest.amount_fen, bets as i64 * 200);
    assert_eq!(verify(&path, &manifest).unwrap().manifest, manifest);

    let mut bytes = std::fs::read(&path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&path, &bytes).unwrap();
    let err = verify(&path, &manifest).unwrap_err().to_string();
    assert!(err.contains("SHA-256"), "{err}");

    // A manifest that lies about the rows fails even with the right hash.
    bytes[middle] ^= 0x01;
    std::fs::write(&path, &bytes).unwrap();
    let mut lying = manifest.clone();
    lying.rows += 1;
    assert!(verify(&path, &lying).is_err());
}

/// Runs a game's public DuckDB query on a sealed file; answers the tier counts it gives.
fn duckdb_tiers(path: &Path, result: &DrawResult) -> serde_json::Value {
    let sql = Path::new(env!("CARGO_MANIFEST_DIR")).join("sql");
    let (query, _, params) = fucai_settle::reconcile::tier_query(result);
    let out = std::process::Command::new("python3")
        .arg(sql.join("duckdb_settle.py"))
        .arg(sql.join(query))
        .arg(path)
        .args(&params)
        .output()
        .expect("python3 runs (install the duckdb package: pip install duckdb)");
    assert!(
        out.status.success(),
        "DuckDB query {query} failed (pip install duckdb): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["tiers"].take()
}

proptest! {
    // Each case starts DuckDB once per game; a few random mixes keep the suite quick.
    #![proptest_config(ProptestConfig::with_cases(4))]

    /// The public DuckDB queries (crates/settle/sql/*_tiers.sql, quoted in docs/DRAWS.md)
    /// re-settle a sealed file of every game, every play type mixed at random, to the same
    /// tier counts as the kernel.
    #[test]
    fn duckdb_sql_resettles_every_game_to_the_same_counts(seed in any::<u64>(), n in 500usize..3000) {
        ensure_duckdb();
        let mut rng = StdRng::seed_from_u64(seed);
        for game in Game::ALL {
            let lines = random_lines(game, &mut rng, n);
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join(format!("{}-2099001.parquet", game.code()));
            seal(&path, game, &lines, 700);
            let result = random_result(game, &mut rng);
            let kernel = count_winners(&SealedFile::open(&path).unwrap(), &result).unwrap();
            let tiers = duckdb_tiers(&path, &result);
            for (key, n) in &kernel.counts {
                let sql_n = tiers.get(key).and_then(|v| v.as_u64()).unwrap_or(0);
                prop_assert_eq!(sql_n, *n, "{} tier {} for {}", game, key, result);
            }
            // Nothing DuckDB counts that the kernel does not.
            for (key, v) in tiers.as_object().into_iter().flatten() {
                let kernel_n = kernel.counts.iter().find(|(k, _)| k == key).map_or(0, |&(_, n)| n);
                prop_assert_eq!(v.as_u64().unwrap_or(0), kernel_n, "{} tier {} for {}", game, key, result);
            }
        }
    }
}

/// Python's duckdb package, installed with pip when it is missing (CI installs it up front).
fn ensure_duckdb() {
    let has = |_: ()| {
        std::process::Command::new("python3")
            .args(["-c", "import duckdb"])
            .status()
            .is_ok_and(|s| s.success())
    };
    if has(()) {
        return;
    }
    let installed = std::process::Command::new("python3")
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "duckdb",
        ])
        .status();
    assert!(
        installed.is_ok_and(|s| s.success()) && has(()),
        "this test needs Python 3 with the duckdb package: pip install duckdb"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Settling any random draw: tickets' winnings add up to the tiers' total, the ledger
    /// movements balance, and nothing goes negative.
    #[test]
    fn a_settlement_balances(seed in any::<u64>(), game_index in 0usize..4, n in 1usize..150, pool in 0i64..50_000_000_000, rounding in -5i64..5) {
        use fucai_games::{Fuyun, RuleBook};
        use fucai_ledger::Money;
        use fucai_settle::settlement::{fuyun_state, settle, DrawBooks};
        let game = [Game::Ssq, Game::Fc3d, Game::Qlc, Game::Kl8][game_index];
        let mut rng = StdRng::seed_from_u64(seed);
        let lines = random_lines(game, &mut rng, n);
        let result = random_result(game, &mut rng);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("draw.parquet");
        let manifest = seal(&path, game, &lines, 64);
        let file = SealedFile::open(&path).unwrap();
        let tally = count_winners(&file, &result).unwrap();
        let wins = winning_lines(&file, &result).unwrap();
        let number = "2026050".parse().unwrap();
        let version = RuleBook::standard().version_for(game, Some(number)).unwrap();
        let fuyun = fuyun_state(version, number, None);
        let sales = Money::from_fen(manifest.amount_fen);
        let books = DrawBooks {
            sales,
            prize_fund: Money::from_fen((sales.mul_ratio_floor(version.split.prize_current).fen() + rounding).max(0)),
            pool_before: Money::from_fen(pool),
            adjustment_balance: Money::from_fen(1_000_000_000),
        };
        let s = settle(game, version, fuyun, &books, &tally, &wins).unwrap();
        let per_ticket: i64 = s.tickets.iter().map(|t| t.amount.fen()).sum();
        prop_assert_eq!(per_ticket, s.total.fen());
        let postings = s.postings(game, 1).unwrap();
        prop_assert_eq!(postings.iter().map(|p| p.amount.fen()).sum::<i64>(), 0);
        prop_assert!(s.pool_after.fen() >= 0);
        if fuyun != Fuyun::Active {
            prop_assert!(s.tiers.iter().all(|t| t.key != "fy"));
        }
    }
}

#[test]
fn a_result_of_another_game_is_refused() {
    let mut rng = StdRng::seed_from_u64(3);
    let lines = random_lines(Game::Ssq, &mut rng, 10);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ssq.parquet");
    seal(&path, Game::Ssq, &lines, 4);
    let file = SealedFile::open(&path).unwrap();
    let kl8 = random_result(Game::Kl8, &mut rng);
    assert!(count_winners(&file, &kl8).is_err());
    assert!(winning_lines(&file, &kl8).is_err());
}
