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
    /// Walk the keyed hash chain; report the first edited, inserted or deleted record, and
    /// every published head (each sealed draw's manifest, each --head) it no longer agrees
    /// with — records removed from the end, or a stretch rewritten.
    Verify {
        /// A head kept from /api/v1/public/audit-head, as COUNT:HASH (repeatable).
        #[arg(long)]
        head: Vec<String>,
    },
}

fn open(url: &str) -> Result<Store, CliError> {
    let path = fucai_store::sqlite_path(url).map_err(|e| CliError::input("--database-url", e))?;
    if !path.exists() {
        return Err(CliError::input(
            "--database-url",
            format!("{} does not exist", path.display()),
        ));
    }
    match fucai_app::audit_key_file_from_env() {
        Some(key_file) => Store::open_with_audit_key(url, &key_file),
        None => Store::open(url),
    }
    .map_err(|e| CliError::input("--database-url", e))
}

pub fn run_ledger(args: &LedgerArgs) -> Result<(), CliError> {
    let store = open(&args.database_url)?;
    match args.command {
        LedgerCommand::Balance => {
            let balances = store.read(|r| r.balances()).map_err(anyhow::Error::from)?;
            let (mut debit, mut credit) = (Money::ZERO, Money::ZERO);
            println!("{:<44} {:>22}", "account", "balance");
            for b in &balances {
                println!("{:<44} {:>22}", b.code, b.balance.to_string());
                if b.balance.is_negative() {
                    credit = credit.checked_add(b.balance)?;
                } else {
                    debit = debit.checked_add(b.balance)?;
                }
            }
            println!(
                "trial balance: debits {}, credits {}, difference {}",
                debit,
                -credit,
                debit.checked_add(credit)?
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
                check.tickets_total, check.ticket_postings
            );
            println!(
                "tickets without their entry: {}; entries without their ticket: {}",
                check.tickets_without_entry, check.entries_without_ticket
            );
            println!(
                "tickets without their sale audit record: {}; sale audit records without their ticket: {}",
                check.tickets_without_sale_record, check.sale_records_without_ticket
            );
            println!(
                "中福在线 hall closes: wagered {} vs receivable posted for them {}",
                check.hall_sales_total, check.hall_sales_postings
            );
            println!(
                "即开票 packs sold {} vs receivable posted {}; prizes paid {} vs paid from the prize fund {}",
                check.instant_sales_total,
                check.instant_sales_postings,
                check.instant_prizes_total,
                check.instant_prize_postings
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
    match &args.command {
        AuditCommand::Verify { head } => {
            let kept = head
                .iter()
                .map(|text| parse_head(text))
                .collect::<Result<Vec<_>, _>>()?;
            let app = crate::session::open_existing(&args.database_url)?;
            let check = app.check_audit(&kept).map_err(anyhow::Error::from)?;
            println!("records: {}", check.records);
            println!(
                "published heads compared: {} (every sealed draw's manifest{})",
                check.heads_checked,
                if kept.is_empty() { "" } else { " and --head" }
            );
            for mismatch in &check.head_mismatches {
                println!("  {mismatch}");
            }
            if let Some(b) = &check.broken {
                println!("chain broken at record {}: {}", b.id, b.reason);
            }
            if check.is_ok() {
                println!("audit verify: OK ({} records)", check.records);
                Ok(())
            } else {
                Err(CliError::Internal(anyhow::anyhow!("audit verify: FAILED")))
            }
        }
    }
}

/// `COUNT:HASH`, as `/api/v1/public/audit-head` gives them.
fn parse_head(text: &str) -> Result<fucai_app::PublishedHead, CliError> {
    let bad = || {
        CliError::input(
            "--head",
            "COUNT:HASH (count and hash from /api/v1/public/audit-head)",
        )
    };
    let (count, hash) = text.split_once(':').ok_or_else(bad)?;
    let count: i64 = count.trim().parse().map_err(|_| bad())?;
    let hash = hash.trim().to_ascii_lowercase();
    if count < 0 || hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad());
    }
    Ok(fucai_app::PublishedHead::kept(
        format!("--head {count}:{hash}"),
        count,
        hash,
    ))
}
