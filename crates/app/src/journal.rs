//! Building journal entries in the use cases: postings and entries that must balance.

use fucai_ledger::{AccountCode, JournalEntry, Money, Posting};

use crate::error::{AppError, AppResult};

/// A posting of `amount` (debits positive), tagged with a draw where it belongs to one.
pub(crate) fn posting(account: AccountCode, amount: Money, draw: Option<i64>) -> Posting {
    Posting {
        account,
        amount,
        draw,
    }
}

/// A balanced entry from postings, leaving out zero lines.
pub(crate) fn entry(key: String, memo: String, postings: Vec<Posting>) -> AppResult<JournalEntry> {
    let postings = postings
        .into_iter()
        .filter(|p| p.amount != Money::ZERO)
        .collect();
    JournalEntry::new(key, memo, postings).map_err(AppError::caused_by)
}

/// Like [`entry`], but `None` when every posting is zero (nothing moves).
pub(crate) fn entry_if_any(
    key: String,
    memo: String,
    postings: Vec<Posting>,
) -> AppResult<Option<JournalEntry>> {
    if postings.iter().all(|p| p.amount == Money::ZERO) {
        Ok(None)
    } else {
        entry(key, memo, postings).map(Some)
    }
}
