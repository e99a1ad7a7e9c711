//! `fucai instant …`: 即开票 — a batch's winner file, pack scans, a pack's moves, the stock,
//! paying a ticket at the district center, a station's claim scope, the prizes left.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};
use fucai_app::instant::{InstantClaimRequest, PackAction, PackScan};
use fucai_app::{App, Principal};

use crate::error::CliError;
use crate::session::app_error;
use crate::station::Acting;

#[derive(Args)]
pub struct InstantArgs {
    #[command(subcommand)]
    pub command: InstantCommand,
    #[command(flatten)]
    pub acting: Acting,
}

#[derive(Subcommand)]
pub enum InstantCommand {
    /// Import a batch's winner file from the printer (CSV: pack, ticket, code, prize in 元);
    /// prints its SHA-256, which is published.
    Winners {
        game: String,
        batch: String,
        file: PathBuf,
    },
    /// Scan packs (labels GAME-BATCH-PACK): receive, issue (--station), confirm, activate,
    /// settle, return, hold, release or block — all of them or none.
    Scan {
        action: String,
        #[arg(required = true)]
        packs: Vec<String>,
        #[arg(long)]
        station: Option<String>,
        /// The order `issue` fills.
        #[arg(long)]
        order: Option<i64>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// A station orders packs of a game (订票).
    Order {
        #[arg(long)]
        station: String,
        #[arg(long)]
        game: String,
        #[arg(long)]
        packs: i64,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Every order and the packs issued against it.
    Orders,
    /// Sales recognised over a period by station, game and day.
    Sales {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
    },
    /// A pack where it is now, and its moves.
    Pack { label: String },
    /// Packs by holder, game and state.
    Stock,
    /// Pay a ticket at the district center (GAME-BATCH-PACK-TICKET and its 保安区 code).
    Claim {
        ticket: String,
        #[arg(long)]
        code: String,
        #[arg(long)]
        claimant_id: Option<String>,
    },
    /// Set a station's claim scope: own (本站自兑), area (区域通兑) or center (中心通兑).
    Scope { station: String, scope: String },
    /// Every batch's winner-file SHA-256 and the prizes left.
    Prizes,
}

pub fn run(args: &InstantArgs) -> Result<(), CliError> {
    let app = args.acting.open()?;
    if let InstantCommand::Prizes = args.command {
        return prizes(&app);
    }
    args.acting
        .run(&app, |app, who| Box::pin(instant(app, who, &args.command)))
}

fn prizes(app: &App) -> Result<(), CliError> {
    for b in app.instant_prizes().map_err(app_error)? {
        println!(
            "{} {} batch {} — winner file SHA-256 {}",
            b.game, b.game_name, b.batch, b.winner_sha256
        );
        for (amount, winners, paid, left) in &b.prizes {
            println!("  {amount:>12}: {winners} winners, {paid} paid, {left} left");
        }
    }
    Ok(())
}

async fn instant(app: &App, who: Principal, c: &InstantCommand) -> Result<(), CliError> {
    match c {
        InstantCommand::Winners { game, batch, file } => {
            let bytes =
                std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
            let b = app
                .import_winner_file(&who, game, batch, &bytes)
                .await
                .map_err(app_error)?;
            println!(
                "{} batch {}: {} winners, {} of prizes; winner file SHA-256 {}",
                b.game, b.batch, b.winners, b.prizes, b.winner_sha256
            );
        }
        InstantCommand::Scan {
            action,
            packs,
            station,
            order,
            note,
        } => {
            let parsed: PackAction = serde_json::from_value(serde_json::Value::String(
                action.clone(),
            ))
            .map_err(|_| {
                CliError::input(
                    "action",
                    "receive, issue, confirm, activate, settle, return, hold, release or block",
                )
            })?;
            let scan = PackScan {
                action: Some(parsed),
                packs: packs.clone(),
                station: station.clone(),
                order: *order,
                note: note.clone(),
            };
            let r = app.move_packs(&who, scan).await.map_err(app_error)?;
            println!(
                "{action}: {} packs ({}); sales recognised {}",
                r.packs.len(),
                r.packs.join(" "),
                r.sales
            );
        }
        InstantCommand::Pack { label } => {
            let (p, moves) = app.instant_pack(&who, label).map_err(app_error)?;
            println!(
                "{label}: {} at {}",
                p.state,
                p.station_code.as_deref().unwrap_or("the center")
            );
            for m in moves {
                println!(
                    "  {} {} → {} {} by {} {}",
                    fucai_app::beijing_time(m.at),
                    m.from_state,
                    m.to_state,
                    m.station_code.unwrap_or_default(),
                    m.actor,
                    m.note
                );
            }
        }
        InstantCommand::Stock => {
            let s = app.instant_stock(&who).map_err(app_error)?;
            for r in &s.rows {
                println!(
                    "{:<14} {:<6} {:<11} {}",
                    r.station_code.as_deref().unwrap_or("center"),
                    r.game,
                    r.state,
                    r.packs
                );
            }
            println!(
                "stock agrees with the packs' moves: {}",
                if s.consistent { "yes" } else { "NO" }
            );
        }
        InstantCommand::Claim {
            ticket,
            code,
            claimant_id,
        } => {
            let r = app
                .claim_instant(
                    &who,
                    InstantClaimRequest {
                        ticket: ticket.clone(),
                        code: code.clone(),
                        claimant_id: claimant_id.clone(),
                    },
                )
                .await
                .map_err(app_error)?;
            println!(
                "即开票 {} 中奖 {}，代扣个人所得税 {}，实付 {}（{}兑奖）",
                r.ticket,
                r.prize,
                r.tax,
                r.net,
                if r.office == "station" {
                    "投注站"
                } else {
                    "区中心"
                }
            );
        }
        InstantCommand::Scope { station, scope } => {
            let s = app
                .set_claim_scope(&who, station, scope)
                .await
                .map_err(app_error)?;
            println!("station {station}: claim scope {s}");
        }
        InstantCommand::Order {
            station,
            game,
            packs,
            note,
        } => {
            let o = app
                .order_packs(&who, station, game, *packs, note)
                .await
                .map_err(app_error)?;
            println!(
                "order #{}: station {} asks for {} packs of {}",
                o.id, o.station_code, o.packs, o.game
            );
        }
        InstantCommand::Orders => {
            for o in app.instant_orders(&who).map_err(app_error)? {
                println!(
                    "#{} {} {} {} packs, {} issued {}",
                    o.id, o.station_code, o.game, o.packs, o.issued, o.note
                );
            }
        }
        InstantCommand::Sales { from, to } => {
            for r in app.instant_sales(&who, from, to).map_err(app_error)? {
                println!(
                    "{} {} {} {} packs {}",
                    fucai_app::beijing_date(r.day_ms),
                    r.station_code,
                    r.game,
                    r.packs,
                    r.sales
                );
            }
        }
        InstantCommand::Prizes => unreachable!("answered without signing in"),
    }
    Ok(())
}
