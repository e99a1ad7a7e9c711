//! `fucai ledger balance|verify` and `fucai audit verify`: read the database directly (the
//! operator holding the database file needs no login).

use clap::{Args, Subcommand};
use fucai_ledger::Money;
use fucai_store::repo::*;
use fucai_store::Store;

use crate::error::CliError;
use crate::server::DEFAULT_DATABASE;

#[derive(Args)]
pub struct LedgerArgs {
    #[command(subcommand)]
    pub command: LedgerCommand,
    #[arg(long, env = "FUCAI_DATABASE_URL", default_value = DEFAULT_DATABASE, global = true)]
    pub database_url: String,
}

#[derive(Subcommand)]
pub enum LedgerCommand {
    /// Every account's balance (debit positive, credit negative) and the trial balance.
    Balance,
    /// Check every entry balances, balances equal their lines, tickets equal their postings.
    Verify,
}

#[derive(Args)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub command: AuditCommand,
    #[arg(long, env = "FUCAI_DATABASE_URL", default_value = DEFAULT_DATABASE, global = true)]
    pub database_url: String,
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Walk the hash chain; report the first edited, inserted or deleted record.
    Verify,
}

fn open(url: &str) -> Result<Store, CliError> {
    let path = fucai_store::sqlite_path(url).map_err(|e| CliError::input("--database-url", e))?;
    if !path.exists() {
        return Err(CliError::input(
            "--database-url",
            format!("{} does not exist", path.display()),
        ));
    }
    Store::open(url).map_err(|e| CliError::input("--database-url", e))
}

pub fn run_ledger(args: &LedgerArgs) -> Result<(), CliError> {
    let store = open(&args.database_url)?;
    match args.command {
        LedgerCommand::Balance => {
            let balances = store.read(|r| r.balances()).map_err(anyhow::Error::from)?;
            let (mut debit, mut credit) = (0i64, 0i64);
            println!("{:<44} {:>22}", "account", "balance");
            for b in &balances {
                println!(
                    "{:<44} {:>22}",
                    b.code,
                    Money::from_fen(b.balance_fen).to_string()
                );
                if b.balance_fen >= 0 {
                    debit += b.balance_fen
                } else {
                    credit += b.balance_fen
                }
            }
            println!(
                "trial balance: debits {}, credits {}, difference {}",
                Money::from_fen(debit),
                Money::from_fen(-credit),
                Money::from_fen(debit + credit)
            );
            Ok(())
        }
        LedgerCommand::Verify => {
            let check = store
                .read(|r| r.verify_ledger())
                .map_err(anyhow::Error::from)?;
            println!("entries: {}", check.entries);
            println!("unbalanced entries: {}", check.unbalanced_entries.len());
            println!(
                "accounts whose balance differs from their lines: {}",
                check.balance_mismatches.len()
            );
            for (account, stored, lines) in &check.balance_mismatches {
                println!("  {account}: stored {stored}, lines {lines}");
            }
            println!(
                "sold tickets {} vs receivable posted for them {}",
                Money::from_fen(check.tickets_total_fen),
                Money::from_fen(check.ticket_postings_fen)
            );
            println!(
                "tickets without their entry: {}; entries without their ticket: {}",
                check.tickets_without_entry, check.entries_without_ticket
            );
            if check.is_ok() {
                println!("ledger verify: OK");
                Ok(())
            } else {
                Err(CliError::Internal(anyhow::anyhow!("ledger verify: FAILED")))
            }
        }
    }
}

pub fn run_audit(args: &AuditArgs) -> Result<(), CliError> {
    let store = open(&args.database_url)?;
    match args.command {
        AuditCommand::Verify => {
            let (count, broken) = store
                .read(|r| r.verify_audit())
                .map_err(anyhow::Error::from)?;
            match broken {
                None => {
                    println!("audit verify: OK ({count} records)");
                    Ok(())
                }
                Some(b) => Err(CliError::Internal(anyhow::anyhow!(
                    "audit verify: chain broken at record {}: {}",
                    b.id,
                    b.reason
                ))),
            }
        }
    }
}
