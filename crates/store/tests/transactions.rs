//! Units of work inside one group-commit transaction, through the backend interface the
//! application uses: a failed unit leaves no trace, and one that fails half-way without a
//! savepoint stops the transaction from committing.

use fucai_ledger::{AccountCode, Fund, JournalEntry, Money, Posting};
use fucai_store::repo::*;
use fucai_store::{Backend, Store, StoreError};

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
    let backend: &dyn Backend = &store;
    let mut connection = backend.group_commit_connection().unwrap();
    let mut tx = connection.transaction().unwrap();
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
    let check = backend.read(|r| r.verify_ledger()).unwrap();
    assert!(check.is_ok(), "{check:?}");
    assert_eq!(check.entries, 1);
    let balances = backend.read(|r| r.balances()).unwrap();
    assert!(
        balances.iter().all(|b| b.balance.fen().abs() == 100),
        "{balances:?}"
    );
    assert_eq!(backend.read(|r| r.verify_audit()).unwrap(), (1, None));
}

#[test]
fn a_unit_failing_half_way_without_a_savepoint_poisons_the_transaction() {
    let (_dir, store) = store();
    let backend: &dyn Backend = &store;
    let mut connection = backend.group_commit_connection().unwrap();
    let mut tx = connection.transaction().unwrap();
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
    assert_eq!(backend.read(|r| r.verify_ledger()).unwrap().entries, 0);
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

/// The salts in the WAL's header: SQLite draws new ones each time the WAL starts over.
fn wal_salts(store: &Store) -> Vec<u8> {
    let wal = std::fs::read(format!("{}-wal", store.path().display())).unwrap();
    wal[16..24].to_vec()
}

/// One write transaction of the group-commit writer, during which the background
/// checkpointer runs — as it nearly always does under steady load.
fn write_while_checkpointing(
    writer: &mut fucai_store::Writer,
    checkpointer: &fucai_store::Checkpointer,
    n: usize,
) {
    let mut tx = writer.transaction().unwrap();
    tx.set_setting(&format!("k{n}"), &"x".repeat(20_000))
        .unwrap();
    checkpointer.checkpoint().unwrap();
    tx.commit().unwrap();
}

#[test]
fn the_wal_starts_over_only_when_the_writer_catches_the_checkpoint_up() {
    let (_dir, store) = store();
    let mut writer = store.writer().unwrap();
    writer.checkpoint_elsewhere().unwrap();
    let checkpointer = store.checkpointer().unwrap();
    write_while_checkpointing(&mut writer, &checkpointer, 0);
    let first = wal_salts(&store);
    // Each checkpoint runs while a transaction is open, so no transaction begins with every
    // frame copied: the WAL never starts over, it only grows.
    for n in 1..4 {
        write_while_checkpointing(&mut writer, &checkpointer, n);
        assert_eq!(wal_salts(&store), first, "transaction {n}");
    }
    // The writer copies the rest between two transactions: the next one starts it over.
    writer.catch_up_checkpoint().unwrap();
    write_while_checkpointing(&mut writer, &checkpointer, 4);
    assert_ne!(wal_salts(&store), first);
}
