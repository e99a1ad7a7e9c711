//! The independent re-settlement (docs/DRAWS.md): each game's public DuckDB query over the
//! sealed file, the parameters a result gives it, and the comparison of its tier counts with
//! a stored settlement's. Running the query is the caller's (it needs Python and DuckDB).

use std::collections::BTreeMap;

use fucai_games::DrawResult;

/// 双色球's query.
pub const SSQ_TIERS_SQL: &str = include_str!("../sql/ssq_tiers.sql");
const QLC_TIERS_SQL: &str = include_str!("../sql/qlc_tiers.sql");
const KL8_TIERS_SQL: &str = include_str!("../sql/kl8_tiers.sql");
const FC3D_TIERS_SQL: &str = include_str!("../sql/fc3d_tiers.sql");
/// Runs a tier query with Python's `duckdb` package and prints counts and timings as JSON
/// (`python3 duckdb_settle.py QUERY SEALED NAME=VALUE…`).
pub const DUCKDB_RUNNER_PY: &str = include_str!("../sql/duckdb_settle.py");

/// A game's query for a result: its file name, its text, and its `NAME=VALUE` parameters.
pub fn tier_query(result: &DrawResult) -> (&'static str, &'static str, Vec<String>) {
    // 快乐8's 80 bits are two signed 64-bit words, as the sealed file stores them.
    let words = |bits: u128| (bits as u64 as i64, (bits >> 64) as u64 as i64);
    match result {
        DrawResult::Ssq(r) => (
            "ssq_tiers.sql",
            SSQ_TIERS_SQL,
            vec![format!("red={}", r.red.bits()), format!("blue={}", r.blue)],
        ),
        DrawResult::Qlc(r) => (
            "qlc_tiers.sql",
            QLC_TIERS_SQL,
            vec![
                format!("basic={}", r.basic.bits()),
                format!("special={}", 1u64 << r.special),
            ],
        ),
        DrawResult::Kl8(r) => {
            let (lo, hi) = words(r.0.bits());
            (
                "kl8_tiers.sql",
                KL8_TIERS_SQL,
                vec![format!("lo={lo}"), format!("hi={hi}")],
            )
        }
        DrawResult::Fc3d(r) => {
            let [a, b, c] = r.0;
            let digits: u32 = [a, b, c].iter().fold(0, |set, &d| set | 1 << d);
            let form = match digits.count_ones() {
                2 => 3,
                3 => 6,
                _ => 0,
            };
            (
                "fc3d_tiers.sql",
                FC3D_TIERS_SQL,
                vec![
                    format!("d0={a}"),
                    format!("d1={b}"),
                    format!("d2={c}"),
                    format!("digits={digits}"),
                    format!("form={form}"),
                ],
            )
        }
    }
}

/// A tier whose two counts differ.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TierMismatch {
    pub tier: String,
    pub settled: u64,
    pub independent: u64,
}

/// The tiers of a settlement whose winning bets the independent count does not confirm (a
/// tier the query does not list counts as 0 there).
pub fn compare(
    settled: &[(String, u64)],
    independent: &BTreeMap<String, u64>,
) -> Vec<TierMismatch> {
    settled
        .iter()
        .filter_map(|(tier, n)| {
            let other = independent.get(tier).copied().unwrap_or(0);
            (other != *n).then(|| TierMismatch {
                tier: tier.clone(),
                settled: *n,
                independent: other,
            })
        })
        .collect()
}
