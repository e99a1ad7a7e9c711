//! Money and exact splits for the fucai fund ledger.
//!
//! Architecture invariants:
//! - money is an integer number of 分 (`i64`); no floating point anywhere in this crate;
//! - every arithmetic operation is checked: overflow is an error, never a wrap;
//! - a split always returns parts that add up to the whole, exactly and deterministically.
//!
//! The crate does no I/O.

mod journal;
mod money;
mod ratio;
mod split;
#[cfg(feature = "rusqlite")]
mod sql;

pub use journal::{
    fund_of, AccountCode, Fund, FundSplitPolicy, GameSplit, JournalEntry, JournalError, NormalSide,
    Posting, SaleParties, MAX_ENTRY_KEY_BYTES,
};
pub use money::{Money, MoneyError};
pub use ratio::{Ratio, RatioError};
pub use split::{split_by_ratios, split_by_weights, SplitError};
