//! Draw settlement at national scale.
//!
//! - [`sealfile`]: the sealed file of a draw — one Parquet row per selection line, with its
//!   manifest and SHA-256 — written at cutoff and verified by anyone;
//! - [`kernel`]: winning bets per tier over a sealed file, in closed form per line and in
//!   parallel over row groups (rayon), plus each winning line for per-ticket records;
//! - [`settlement`]: from winner counts to money — per-bet prizes by the games crate's rules,
//!   each ticket's winnings, the draw's ledger movements (pure);
//! - [`verifiable`]: fucai's own commit–reveal draw and its transcript;
//! - [`beacon`]: drand quicknet, the public randomness a verifiable draw commits to (pinned
//!   constants, BLS verification by `drand-verify`).
//!
//! This crate reads and writes sealed files only; it knows nothing of the database.

pub mod beacon;
mod error;
pub mod kernel;
mod line;
pub mod reconcile;
pub mod sealfile;
pub mod settlement;
pub mod verifiable;

pub use beacon::{BeaconError, BeaconRound};
pub use error::{SealError, SealResult};
pub use kernel::{count_winners, count_winners_by_expansion, winning_lines, LineWin, WinnerTally};
pub use line::SealedLine;
pub use parquet::data_type::ByteArray;
pub use sealfile::{
    sha256_file, verify, AuditHeadStamp, LineColumns, Manifest, SealHeader, SealWriter, SealedFile,
};
pub use verifiable::Transcript;

pub use reconcile::{DUCKDB_RUNNER_PY, SSQ_TIERS_SQL};
