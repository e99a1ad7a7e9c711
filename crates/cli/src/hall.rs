//! `fucai hall …`: the 中福在线 halls — import the register and the upstream system's daily
//! closes, correct a day, print a hall's close report — and `fucai hall channels`, sales by
//! channel from the ledger.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use fucai_app::{App, HallDayInput, Principal};

use crate::error::CliError;
use crate::session::{app_error, import_file};
use crate::station::Acting;

#[derive(Args)]
pub struct HallArgs {
    #[command(subcommand)]
    pub command: HallCommand,
    #[command(flatten)]
    pub acting: Acting,
}

#[derive(Subcommand)]
pub enum HallCommand {
    /// List the halls.
    List,
    /// Import the hall register (CSV/XLSX: code, name, station, address, terminals,
    /// opening_hours, status, opening_card_balance); added or updated by code.
    Import { file: PathBuf },
    /// Import daily closes (CSV/XLSX: date, hall, wagered, prizes, top_ups, cash_outs,
    /// card_balance, terminals_online; amounts in 元); all rows or none.
    ImportDays { file: PathBuf },
    /// Correct one day's close: the figures in force are reversed and the new ones posted.
    Correct {
        hall: String,
        /// YYYY-MM-DD.
        date: String,
        /// 投注额, 元.
        #[arg(long)]
        wagered: String,
        /// 中奖额, 元.
        #[arg(long)]
        prizes: String,
        /// 充值, 元.
        #[arg(long)]
        top_ups: String,
        /// 兑付, 元.
        #[arg(long)]
        cash_outs: String,
        /// Card balances at close, 元.
        #[arg(long)]
        card_balance: String,
        #[arg(long)]
        terminals_online: i64,
    },
    /// A hall's daily close report over a period.
    Report {
        hall: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        json: bool,
    },
    /// Sales of a period by channel (电脑票, 即开票, 中福在线), from the ledger.
    Channels {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(args: &HallArgs) -> Result<(), CliError> {
    let app = args.acting.open()?;
    args.acting
        .run(&app, |app, who| Box::pin(hall(app, who, &args.command)))
}

async fn hall(app: &App, who: Principal, c: &HallCommand) -> Result<(), CliError> {
    let who = &who;
    match c {
        HallCommand::List => {
            for h in app.halls(who).map_err(app_error)? {
                println!(
                    "{} {} station {} {} terminals {} {} [{}]",
                    h.code,
                    h.name,
                    h.station_code,
                    h.address,
                    h.terminals,
                    h.opening_hours,
                    h.status
                );
            }
        }
        HallCommand::Import { file } => {
            import_file(file, "halls", |bytes| async move {
                app.import_halls(who, &bytes).await
            })
            .await?
        }
        HallCommand::ImportDays { file } => {
            import_file(file, "hall closes", |bytes| async move {
                app.import_hall_days(who, &bytes).await
            })
            .await?
        }
        HallCommand::Correct {
            hall,
            date,
            wagered,
            prizes,
            top_ups,
            cash_outs,
            card_balance,
            terminals_online,
        } => {
            let close = HallDayInput {
                hall: hall.clone(),
                date: date.clone(),
                wagered: CliError::money("--wagered", wagered, None)?,
                prizes: CliError::money("--prizes", prizes, None)?,
                top_ups: CliError::money("--top-ups", top_ups, None)?,
                cash_outs: CliError::money("--cash-outs", cash_outs, None)?,
                card_balance: CliError::money("--card-balance", card_balance, None)?,
                terminals_online: *terminals_online,
            };
            let row = app.correct_hall_day(who, close).await.map_err(app_error)?;
            println!(
                "hall {} {}: revision {} in force (投注额 {}, 中奖额 {}); the earlier revision is reversed and kept",
                row.hall_code, row.day, row.revision, row.wagered, row.prizes
            );
        }
        HallCommand::Report {
            hall,
            from,
            to,
            json,
        } => {
            let r = app.hall_report(who, hall, from, to).map_err(app_error)?;
            if *json {
                println!("{}", serde_json::to_string_pretty(&r).expect("serialises"));
                return Ok(());
            }
            println!("{} {} — {}..{}", r.hall.code, r.hall.name, r.from, r.to);
            println!("date        rev  投注额        中奖额        充值          兑付          卡余额        在线终端");
            for d in &r.days {
                println!(
                    "{} {:>3}  {:>12}  {:>12}  {:>12}  {:>12}  {:>12}  {:>4}",
                    d.day,
                    d.revision,
                    d.wagered.to_string(),
                    d.prizes.to_string(),
                    d.top_ups.to_string(),
                    d.cash_outs.to_string(),
                    d.card_balance.to_string(),
                    d.terminals_online
                );
            }
            println!(
                "total: 投注额 {}, 中奖额 {}, 充值 {}, 兑付 {}; card balances at close {}",
                r.wagered, r.prizes, r.top_ups, r.cash_outs, r.closing_card_balance
            );
            for d in &r.superseded {
                println!(
                    "superseded: {} revision {} (投注额 {}, 中奖额 {})",
                    d.day, d.revision, d.wagered, d.prizes
                );
            }
        }
        HallCommand::Channels { from, to, json } => {
            let s = app.sales_by_channel(who, from, to).map_err(app_error)?;
            if *json {
                let out = serde_json::json!({
                    "from": s.from, "to": s.to,
                    "sales_fen": {"total": s.total.fen(), "computer": s.computer.fen(), "instant": s.instant.fen(), "vlt": s.vlt.fen()},
                });
                println!(
                    "{}",
                    serde_json::to_string_pretty(&out).expect("serialises")
                );
            } else {
                println!(
                    "{}..{}: 电脑票 {}, 即开票 {}, 中福在线 {}, total {}",
                    s.from, s.to, s.computer, s.instant, s.vlt, s.total
                );
            }
        }
    }
    Ok(())
}
