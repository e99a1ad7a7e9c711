//! Units of work inside one group-commit transaction: a failed unit leaves no trace, and one
//! that fails half-way without a savepoint stops the transaction from committing.

use fucai_ledger::{AccountCode, Fund, JournalEntry, Money, Posting};
use fucai_store::repo::*;
use fucai_store::{Store, StoreError};

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("t.db").display().to_string()).unwrap();
    (dir, store)
}

fn entry(key: &str, fen: i64) -> JournalEntry {
    let p = |fund, amount| Posting {
        account: AccountCode::new("district", "320412", fund),
        amount: Money::from_fen(amount),
        draw: None,
    };
    JournalEntry::new(
        key,
        "test",
        vec![p(Fund::Receivable, fen), p(Fund::Welfare, -fen)],
    )
    .unwrap()
}

#[test]
fn a_failed_unit_rolls_back_alone_and_the_rest_commits() {
    let (_dir, store) = store();
    let mut writer = store.writer().unwrap();
    let mut tx = writer.transaction().unwrap();
    tx.attempt(|tx| tx.post_entry(&entry("a", 100), "test", None, 0).map(|_| ()))
        .unwrap();
    let failed: Result<(), StoreError> = tx.attempt(|tx| {
        tx.post_entry(&entry("b", 50), "test", None, 0)?;
        tx.audit(0, "t", "x", "y", b"")?;
        Err(StoreError::not_found("something"))
    });
    assert!(failed.is_err());
    tx.audit(0, "t", "after", "z", b"").unwrap();
    tx.commit().unwrap();
    let check = store.read(|r| r.verify_ledger()).unwrap();
    assert!(check.is_ok(), "{check:?}");
    assert_eq!(check.entries, 1);
    let balances = store.read(|r| r.balances()).unwrap();
    assert!(
        balances.iter().all(|b| b.balance_fen.abs() == 100),
        "{balances:?}"
    );
    assert_eq!(store.read(|r| r.verify_audit()).unwrap(), (1, None));
}

#[test]
fn a_unit_failing_half_way_without_a_savepoint_poisons_the_transaction() {
    let (_dir, store) = store();
    let mut writer = store.writer().unwrap();
    let mut tx = writer.transaction().unwrap();
    // Failing before any write is harmless.
    let early: Result<(), StoreError> =
        tx.attempt_validated(|_| Err(StoreError::not_found("draw")));
    assert!(early.is_err() && !tx.is_poisoned());
    let late: Result<(), StoreError> = tx.attempt_validated(|tx| {
        tx.post_entry(&entry("c", 10), "test", None, 0)?;
        Err(StoreError::not_found("too late"))
    });
    assert!(late.is_err() && tx.is_poisoned());
    assert!(tx.commit().is_err());
    assert_eq!(store.read(|r| r.verify_ledger()).unwrap().entries, 0);
}

#[test]
fn the_welfare_fund_is_never_overdrawn() {
    let (_dir, store) = store();
    store
        .write(|tx| {
            tx.post_entry(&entry("in", 100), "test", None, 0)
                .map(|_| ())
        })
        .unwrap();
    // Spending 150 from a fund holding 100 is refused, even within one transaction.
    let spend = entry("out", -150);
    let err = store
        .write(|tx| tx.post_entry(&spend, "test", None, 0).map(|_| ()))
        .unwrap_err();
    assert!(matches!(err, StoreError::Overdraft { .. }), "{err}");
    store
        .write(|tx| {
            tx.post_entry(&entry("out", -100), "test", None, 0)
                .map(|_| ())
        })
        .unwrap();
    assert!(store.read(|r| r.verify_ledger()).unwrap().is_ok());
}
