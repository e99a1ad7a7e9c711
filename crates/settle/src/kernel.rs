//! The settlement kernel: winning bets per tier over a whole sealed file, in closed form per
//! line (never expanding a 复式 or 胆拖), row groups in parallel.
//!
//! 双色球 — the national-scale game — has a fast path over the mask columns alone: popcounts
//! against the winning numbers and a small binomial table. Every other game (and any line the
//! fast path does not cover) goes through the games crate's closed form, which the property
//! tests hold equal to brute-force expansion.

use fucai_games::{DrawResult, Fuyun, Game, Selection};
use rayon::prelude::*;

use crate::error::{SealError, SealResult};
use parquet::file::reader::FileReader;

use crate::sealfile::{col, read_i32, read_i64, LineColumns, SealedFile};

/// Winning bets (multiples included) per tier of a draw. Tier keys are the games crate's
/// (双色球 "1"…"6", "fy"; 福彩3D "zx", "z3", "z6"; 七乐彩 "1"…"7"); 快乐8 keys are
/// "x{N}-{hits}" for 选N with that many hits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WinnerTally {
    pub game: Game,
    pub counts: Vec<(String, u64)>,
}

impl WinnerTally {
    pub fn get(&self, key: &str) -> u64 {
        self.counts
            .iter()
            .find(|(k, _)| k == key)
            .map_or(0, |&(_, n)| n)
    }

    fn from_slots(game: Game, slots: &[u64]) -> WinnerTally {
        WinnerTally {
            game,
            counts: slot_keys(game)
                .into_iter()
                .zip(slots.iter().copied())
                .collect(),
        }
    }
}

/// Slot layout of a game's tally.
fn slot_keys(game: Game) -> Vec<String> {
    match game {
        Game::Ssq => fucai_games::SSQ_TIER_KEYS.map(String::from).to_vec(),
        Game::Fc3d => ["zx", "z3", "z6"].map(String::from).to_vec(),
        Game::Qlc => ["1", "2", "3", "4", "5", "6", "7"]
            .map(String::from)
            .to_vec(),
        Game::Kl8 => (0..KL8_SLOTS)
            .map(|i| format!("x{}-{}", i / 11, i % 11))
            .collect(),
    }
}

/// 快乐8: slot = spot × 11 + hits.
const KL8_SLOTS: usize = 11 * 11;

fn slot_count(game: Game) -> usize {
    match game {
        Game::Ssq | Game::Qlc => 7,
        Game::Fc3d => 3,
        Game::Kl8 => KL8_SLOTS,
    }
}

/// Adds one selection's winning bets into `slots` (games crate closed form).
pub(crate) fn add_selection(slots: &mut [u64], selection: &Selection, result: &DrawResult) {
    let counts = selection
        .tier_counts(result, Fuyun::Active)
        .expect("a sealed file holds one game");
    add_counts(slots, selection, &counts);
}

/// Adds a selection's per-tier counts at its slots (快乐8: its 选N row).
fn add_counts(slots: &mut [u64], selection: &Selection, counts: &fucai_games::TierCounts) {
    let base = match selection.numbers {
        fucai_games::Numbers::Kl8(k) => usize::from(k.spot) * 11,
        _ => 0,
    };
    for (i, (_, n)) in counts.0.iter().enumerate() {
        slots[base + i] += n;
    }
}

/// The file's game, which must be the result's.
fn same_game(file: &SealedFile, result: &DrawResult) -> SealResult<Game> {
    let game = file.header.game;
    if result.game() == game {
        Ok(game)
    } else {
        Err(SealError::Result(format!(
            "a {} result cannot settle a {} draw",
            result.game().name(),
            game.name()
        )))
    }
}

/// Winning bets per tier over the whole file. The 福运奖 slot is always counted; whether it
/// pays is the prize rules' business.
pub fn count_winners(file: &SealedFile, result: &DrawResult) -> SealResult<WinnerTally> {
    let game = same_game(file, result)?;
    let width = slot_count(game);
    let slots = (0..file.row_groups())
        .into_par_iter()
        .map_init(SsqBuffers::default, |buf, g| match result {
            DrawResult::Ssq(r) => ssq_row_group(file, g, r, buf),
            _ => generic_row_group(file, g, result, width),
        })
        .try_reduce(
            || vec![0u64; width],
            |mut a, b| {
                a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                Ok(a)
            },
        )?;
    Ok(WinnerTally::from_slots(game, &slots))
}

fn generic_row_group(
    file: &SealedFile,
    group: usize,
    result: &DrawResult,
    width: usize,
) -> SealResult<Vec<u64>> {
    let columns = file.row_group(group)?;
    let mut slots = vec![0u64; width];
    for line in columns.lines() {
        let selection = line.selection(file.header.game)?;
        add_selection(&mut slots, &selection, result);
    }
    Ok(slots)
}

/// Rows decoded per step: small enough that the four columns stay in cache.
const BATCH: usize = 64 * 1024;

/// C(n, k) for n ≤ 33, k ≤ 6 (k outside 0..=n gives 0).
const fn binomials() -> [[u64; 7]; 34] {
    let mut t = [[0u64; 7]; 34];
    let mut n = 0;
    while n < 34 {
        t[n][0] = 1;
        let mut k = 1;
        while k < 7 {
            t[n][k] = if n == 0 {
                0
            } else {
                t[n - 1][k - 1] + t[n - 1][k]
            };
            k += 1;
        }
        n += 1;
    }
    t
}
const C: [[u64; 7]; 34] = binomials();

/// Bits 1–33 and 1–16.
const SSQ_REDS: u64 = 0x3_ffff_fffe;
const SSQ_BLUES: u64 = 0x1_fffe;

/// Red masks (numbers and 胆, OR-ed together) and blue masks must hold only 1–33 and 1–16:
/// a damaged file would otherwise index past the tables.
fn ssq_in_range(reds: i64, blues: i32) -> SealResult<()> {
    if reds as u64 & !SSQ_REDS == 0 && u64::from(blues as u32) & !SSQ_BLUES == 0 {
        Ok(())
    } else {
        Err(SealError::Format("双色球 numbers out of range".into()))
    }
}

/// 双色球 tier slot for (red hits, blue hit); 7 = no prize.
const SSQ_SLOT: [[usize; 2]; 7] = [[7, 5], [7, 5], [7, 5], [6, 4], [4, 3], [3, 2], [1, 0]];

/// Column buffers one worker reuses from row group to row group (fresh ones would be
/// zeroed and page-faulted every time).
#[derive(Default)]
struct SsqBuffers {
    numbers: Vec<i64>,
    dan: Vec<i64>,
    high: Vec<i64>,
    blue: Vec<i32>,
    multiple: Vec<i32>,
}

/// Whether a column chunk's statistics prove it all zero.
fn all_zero(rg: &dyn parquet::file::reader::RowGroupReader, column: usize) -> bool {
    match rg.metadata().column(column).statistics() {
        Some(parquet::file::statistics::Statistics::Int64(s)) => {
            s.min_opt() == Some(&0) && s.max_opt() == Some(&0)
        }
        _ => false,
    }
}

fn ssq_row_group(
    file: &SealedFile,
    group: usize,
    result: &fucai_games::SsqResult,
    buf: &mut SsqBuffers,
) -> SealResult<Vec<u64>> {
    let rg = file.reader.get_row_group(group)?;
    let rows = rg.metadata().num_rows() as usize;
    let win = result.red.bits() as u64;
    let blue_bit = 1u32 << result.blue;
    // 双色球 numbers live in the low words; the high words must be zero (their chunk
    // statistics say so, or they are read to check).
    for high in [col::NUMBERS_HI, col::DAN_HI] {
        if !all_zero(rg.as_ref(), high) {
            buf.high.clear();
            read_i64(&mut rg.get_column_reader(high)?, rows, &mut buf.high)?;
            if buf.high.iter().any(|&w| w != 0) {
                return Err(SealError::Format("双色球 numbers above 63".into()));
            }
        }
    }
    let mut numbers_r = rg.get_column_reader(col::NUMBERS)?;
    let mut dan_r = rg.get_column_reader(col::DAN)?;
    let mut blue_r = rg.get_column_reader(col::BLUE)?;
    let mut multiple_r = rg.get_column_reader(col::MULTIPLE)?;
    let mut acc = [0u64; 8];
    let mut done = 0;
    while done < rows {
        let n = BATCH.min(rows - done);
        let SsqBuffers {
            numbers,
            dan,
            blue,
            multiple,
            ..
        } = &mut *buf;
        numbers.clear();
        dan.clear();
        blue.clear();
        multiple.clear();
        read_i64(&mut numbers_r, n, numbers)?;
        read_i64(&mut dan_r, n, dan)?;
        read_i32(&mut blue_r, n, blue)?;
        read_i32(&mut multiple_r, n, multiple)?;
        let words = numbers.iter().chain(dan.iter()).fold(0, |a, &w| a | w);
        ssq_in_range(words, blue.iter().fold(0, |a, &w| a | w))?;
        for i in 0..n {
            ssq_line(
                &mut acc,
                numbers[i] as u64,
                dan[i] as u64,
                blue[i] as u32,
                multiple[i] as u64,
                win,
                blue_bit,
            );
        }
        done += n;
    }
    Ok(acc[..7].to_vec())
}

/// One 双色球 line into the slot accumulator.
#[inline(always)]
fn ssq_line(acc: &mut [u64; 8], tuo: u64, dan: u64, blue: u32, m: u64, win: u64, blue_bit: u32) {
    let blue_hit = usize::from(blue & blue_bit != 0);
    if dan == 0 && tuo.count_ones() == 6 && blue.count_ones() == 1 {
        // 单式: one bet.
        let reds = (tuo & win).count_ones() as usize;
        acc[SSQ_SLOT[reds][blue_hit]] += m;
        return;
    }
    let dan_n = dan.count_ones() as usize;
    let dan_hits = (dan & win).count_ones() as usize;
    let tuo_n = tuo.count_ones() as usize;
    let tuo_hits = (tuo & win).count_ones() as usize;
    let need = 6usize.saturating_sub(dan_n);
    let blues = blue.count_ones() as u64;
    let hit = blue_hit as u64;
    for from_tuo in 0..=need.min(tuo_hits) {
        let bets = C[tuo_hits][from_tuo] * C[tuo_n - tuo_hits][need - from_tuo] * m;
        let reds = dan_hits + from_tuo;
        acc[SSQ_SLOT[reds][1]] += bets * hit;
        acc[SSQ_SLOT[reds][0]] += bets * (blues - hit);
    }
}

/// One line's winnings, for per-ticket records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineWin {
    pub serial: i64,
    pub line: i32,
    pub station: String,
    /// Winning bets per tier key (multiples included), only tiers with winners.
    pub tiers: Vec<(String, u64)>,
}

/// Every winning line of the file, in file order (by serial), through the games crate's
/// closed form; its totals must equal [`count_winners`].
pub fn winning_lines(file: &SealedFile, result: &DrawResult) -> SealResult<Vec<LineWin>> {
    let game = same_game(file, result)?;
    let keys = slot_keys(game);
    let width = slot_count(game);
    let groups: Vec<Vec<LineWin>> = (0..file.row_groups())
        .into_par_iter()
        .map(|g| {
            let columns: LineColumns = file.row_group(g)?;
            let mut wins = Vec::new();
            for (i, line) in columns.lines().enumerate() {
                let mut slots = vec![0u64; width];
                match result {
                    // 双色球: the fast path on the masks (every line of a national draw).
                    DrawResult::Ssq(r) => {
                        let mut acc = [0u64; 8];
                        let (tuo, dan, blue) =
                            (columns.numbers[i], columns.dan[i], columns.blue[i]);
                        if columns.numbers_hi[i] | columns.dan_hi[i] != 0 {
                            return Err(SealError::Format("双色球 numbers above 63".into()));
                        }
                        ssq_in_range(tuo | dan, blue)?;
                        ssq_line(
                            &mut acc,
                            tuo as u64,
                            dan as u64,
                            blue as u32,
                            columns.multiple[i] as u64,
                            r.red.bits() as u64,
                            1u32 << r.blue,
                        );
                        slots.copy_from_slice(&acc[..7]);
                    }
                    _ => add_selection(&mut slots, &line.selection(game)?, result),
                }
                let tiers: Vec<(String, u64)> = keys
                    .iter()
                    .zip(&slots)
                    .filter(|(_, &n)| n > 0)
                    .map(|(k, &n)| (k.clone(), n))
                    .collect();
                if !tiers.is_empty() {
                    wins.push(LineWin {
                        serial: line.serial,
                        line: line.line,
                        station: line.station,
                        tiers,
                    });
                }
            }
            Ok(wins)
        })
        .collect::<SealResult<_>>()?;
    Ok(groups.into_iter().flatten().collect())
}

/// Reference: winning bets by expanding every bet of every line (slow; a sample in the
/// benchmark, the oracle in tests).
pub fn count_winners_by_expansion(
    game: Game,
    columns: &LineColumns,
    result: &DrawResult,
) -> SealResult<WinnerTally> {
    let mut slots = vec![0u64; slot_count(game)];
    for line in columns.lines() {
        let selection = line.selection(game)?;
        let counts = selection
            .tier_counts_by_expansion(result, Fuyun::Active)
            .map_err(|e| SealError::Result(e.to_string()))?;
        add_counts(&mut slots, &selection, &counts);
    }
    Ok(WinnerTally::from_slots(game, &slots))
}
