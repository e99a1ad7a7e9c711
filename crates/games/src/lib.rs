//! The welfare-lottery games as pure rules: 双色球 (`ssq`), 福彩3D (`fc3d`), 七乐彩 (`qlc`) and
//! 快乐8 (`kl8`).
//!
//! - [`Selection::parse`] / `Display`: the selection syntax of docs/SYNTAX.md, canonical print;
//! - [`Selection::bets`]: bet counting by binomial formulas;
//! - [`Selection::tier_counts`]: winning bets per tier in closed form (never expanding), with
//!   [`Selection::tier_counts_by_expansion`] as the brute-force reference;
//! - [`RuleBook`]: versioned rule data (prize tables, fund splits, floating rules) chosen by
//!   draw number;
//! - [`compute_prizes`]: a draw's floating prizes, pool and adjustment-fund movements.
//!
//! Architecture invariant: no I/O (rule data is embedded at build time), no floats.

mod combin;
mod draw_number;
mod error;
mod fc3d;
mod game;
mod kl8;
mod numbers;
mod pick;
mod prizes;
mod qlc;
mod rules;
mod selection;
mod ssq;
mod syntax;
mod tier;
mod zone;

pub use combin::binomial;
pub use draw_number::{BadDrawNumber, DrawNumber};
pub use error::{Reason, SelectionError};
pub use fc3d::{Fc3dNumbers, Fc3dResult};
pub use game::{Game, UnknownGame};
pub use kl8::{Kl8Numbers, Kl8Result, KL8_MAX_NUMBERS};
pub use numbers::NumberSet;
pub use pick::Pick;
pub use prizes::{
    compute_prizes, kl8_tier_name, prize_tier_keys, DrawFigures, PrizeError, PrizeOutcome,
    TierPrize,
};
pub use qlc::{QlcNumbers, QlcResult};
pub use rules::{
    FloatingRule, FundSplit, GameRules, Kl8Prize, RuleBook, RuleError, RuleVersion, TierRule,
};
pub use selection::{DrawResult, Fuyun, GameMismatch, Numbers, Selection, TierCounts};
pub use ssq::{SsqNumbers, SsqResult, TIER_KEYS as SSQ_TIER_KEYS};
pub use syntax::{MAX_MULTIPLE, MAX_SELECTION_BYTES};
pub use tier::TierKey;
