//! `fucai`: the command-line tool of the fucai welfare-lottery platform.

mod bench;
mod bench_pages;
mod bench_sales;
mod bench_settle;
mod check;
mod draw;
mod error;
mod hall;
mod instant;
mod ledger;
mod load_client;
mod outreach;
mod prizes;
mod report;
mod rules;
mod server;
mod session;
mod station;
mod training;
mod visit;
mod welfare;

use std::process::ExitCode;

/// The server answers many small requests on several threads; glibc's allocator spent about
/// a tenth of its CPU consolidating and locking arenas under the sales load (`fucai bench sales`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "fucai",
    version,
    about = "福彩 — operations platform of a district welfare-lottery center"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a selection against a draw result: bets, cost, winning bets per tier, fixed prizes.
    Check(check::CheckArgs),
    /// Compute a draw's per-bet prizes, pool and adjustment-fund movements from its figures.
    Prizes(prizes::PrizesArgs),
    /// Print the rule set in force for a game (tiers, prizes, fund split, limits, assumptions).
    Rules(rules::RulesArgs),
    /// Serve the API on a database (SQLite file, migrated on start).
    Serve(server::ServeArgs),
    /// Create (if empty) and seed the demo district database, print its credentials, and serve it.
    Demo(server::DemoArgs),
    /// The fund ledger: balances and self-check.
    Ledger(ledger::LedgerArgs),
    /// The audit hash chain.
    Audit(ledger::AuditArgs),
    /// The welfare fund's use: report and public disclosure.
    Welfare(welfare::WelfareArgs),
    /// After the cutoff: seal, result (four-eyes or verifiable draw), settle, announce, expire.
    Draw(draw::DrawArgs),
    /// Pay a winning ticket at the district center (tax withheld, paid once).
    Claim(draw::ClaimArgs),
    /// The station register's upkeep: list, suspend, reopen, close, history, terminals, people.
    Station(station::StationArgs),
    /// Account administration: deactivate, activate, reset a password, change a role.
    User(station::UserArgs),
    /// Training: sessions, attendance, the period's report with coverage, staff records.
    Training(training::TrainingArgs),
    /// Visits: plans and their progress, visits with checklist scores and findings, return visits.
    Visit(visit::VisitArgs),
    /// Findings: list, show, start, submit, verify, reopen, appeal, decide an appeal.
    Finding(visit::FindingArgs),
    /// The yearly star rating: show (or preview) and record.
    Rating(visit::RatingArgs),
    /// Campaigns: start, rank (from the ledger), close (ranking kept), reward.
    Campaign(outreach::CampaignArgs),
    /// Activities: 党建, 志愿服务, 团建 and others.
    Activity(outreach::ActivityArgs),
    /// Evidence files: upload (stored by SHA-256), check every stored file.
    Evidence(outreach::EvidenceArgs),
    /// 中福在线 halls: register, daily closes, corrections, reports; sales by channel.
    Hall(hall::HallArgs),
    /// 即开票: winner files, pack scans, stock, claims, claim scopes, prizes left.
    Instant(instant::InstantArgs),
    /// Reports: sales by channel, game, station, town, day, month or year.
    Report(report::ReportArgs),
    /// Benchmarks (release build): `fucai bench check`, `fucai bench sales`, `fucai bench pages`,
    /// `fucai bench settle`.
    Bench(bench::BenchArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Prizes(args) => prizes::run(&args),
        Command::Rules(args) => rules::run(&args),
        Command::Serve(args) => server::serve(&args),
        Command::Demo(args) => server::demo(&args),
        Command::Ledger(args) => ledger::run_ledger(&args),
        Command::Audit(args) => ledger::run_audit(&args),
        Command::Welfare(args) => welfare::run(&args),
        Command::Draw(args) => draw::run(&args),
        Command::Claim(args) => draw::claim(&args),
        Command::Station(args) => station::run(&args),
        Command::User(args) => station::run_user(&args),
        Command::Training(args) => training::run(&args),
        Command::Hall(args) => hall::run(&args),
        Command::Instant(args) => instant::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Visit(args) => visit::run(&args),
        Command::Finding(args) => visit::run_finding(&args),
        Command::Rating(args) => visit::run_rating(&args),
        Command::Campaign(args) => outreach::run_campaign(&args),
        Command::Activity(args) => outreach::run_activity(&args),
        Command::Evidence(args) => outreach::run_evidence(&args),
        Command::Bench(args) => bench::run(&args),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fucai: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
