//! `fucai draw seal|commit|enter-result|draw|settle|announce|expire|info <game> <draw>`,
//! `fucai draw verify-seal` and `fucai draw verify-transcript`, and `fucai claim`.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};
use fucai_app::{beijing_time, App, BeaconInput, ClaimRequest, Principal, ResultEntry};
use fucai_ledger::Money;
use fucai_settle::{Manifest, Transcript};

use crate::error::CliError;
use crate::server::DEFAULT_DATABASE;
use crate::session::{act, app_error, open_existing};

#[derive(Args)]
pub struct DrawArgs {
    #[command(subcommand)]
    pub command: DrawCommand,
    #[arg(long, env = "FUCAI_DATABASE_URL", default_value = DEFAULT_DATABASE, global = true)]
    pub database_url: String,
    /// The person acting; the password comes from FUCAI_PASSWORD or the first line of
    /// standard input.
    #[arg(long, global = true)]
    pub user: Option<String>,
}

/// A game and a draw number (期号).
#[derive(Args, Clone)]
pub struct DrawRef {
    /// ssq, fc3d, qlc or kl8.
    pub game: String,
    /// The draw number, e.g. 2019100.
    pub draw: String,
}

#[derive(Subcommand)]
pub enum DrawCommand {
    /// Seal a draw whose sales have closed: its sealed file, manifest and SHA-256.
    Seal(DrawRef),
    /// Check a sealed file: against the database's record, or (--file/--manifest) alone.
    VerifySeal {
        game: Option<String>,
        draw: Option<String>,
        /// A sealed file to check without any database.
        #[arg(long, requires = "manifest")]
        file: Option<PathBuf>,
        #[arg(long)]
        manifest: Option<PathBuf>,
    },
    /// Commit to a secret and a future drand quicknet round for fucai's verifiable draw
    /// (before the cutoff).
    Commit(DrawRef),
    /// Enter the official result; a second person must enter the same numbers.
    EnterResult {
        #[command(flatten)]
        draw: DrawRef,
        /// The winning numbers, e.g. "01 02 03 04 05 06 + 07".
        #[arg(long)]
        numbers: String,
    },
    /// Run fucai's verifiable draw from the committed secret, the seal and the committed drand
    /// round's signature (fetch it from any relay:
    /// https://api.drand.sh/52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971/public/ROUND).
    Draw {
        #[command(flatten)]
        draw: DrawRef,
        /// The committed quicknet round's signature, hex.
        #[arg(long, required_unless_present = "beacon", conflicts_with = "beacon")]
        signature: Option<String>,
        /// The round the signature is for (checked against the committed round).
        #[arg(long, requires = "signature")]
        round: Option<u64>,
        /// Old commitments only (made before draws named a drand round): the beacon text.
        #[arg(long)]
        beacon: Option<String>,
        /// Write the transcript here as well.
        #[arg(long)]
        transcript: Option<PathBuf>,
    },
    /// Recompute a verifiable draw from its transcript (no database needed).
    VerifyTranscript { file: PathBuf },
    /// Settle a resulted draw: winners, prizes, per-ticket winnings, ledger.
    Settle(DrawRef),
    /// Print the 开奖公告 of a settled draw.
    Announce {
        #[command(flatten)]
        draw: DrawRef,
        #[arg(long)]
        json: bool,
    },
    /// Move unclaimed prizes to the welfare fund after the claim period.
    Expire {
        #[command(flatten)]
        draw: DrawRef,
        /// The date deciding it (Beijing); today by default.
        #[arg(long)]
        today: Option<chrono::NaiveDate>,
    },
    /// The public facts of a draw: status, seal, commitment, result.
    Info(DrawRef),
    /// Re-settle a settled draw independently: the public DuckDB query over its sealed file,
    /// compared tier by tier with the stored settlement; the outcome goes in the audit chain
    /// (exit 1 on a mismatch). Needs Python 3 with the duckdb package.
    Reconcile(DrawRef),
}

#[derive(Args)]
pub struct ClaimArgs {
    #[arg(long, env = "FUCAI_DATABASE_URL", default_value = DEFAULT_DATABASE)]
    pub database_url: String,
    /// The district cashier paying the prize.
    #[arg(long)]
    pub user: Option<String>,
    #[arg(long)]
    pub serial: String,
    /// The ticket's verification code.
    #[arg(long)]
    pub code: String,
    /// The winner's 身份证号 (required above 3,000元).
    #[arg(long)]
    pub claimant_id: Option<String>,
}

pub fn run(args: &DrawArgs) -> Result<(), CliError> {
    match &args.command {
        DrawCommand::VerifyTranscript { file } => return verify_transcript(file),
        DrawCommand::VerifySeal {
            file: Some(file),
            manifest: Some(manifest),
            ..
        } => {
            let expected =
                Manifest::read(manifest).map_err(|e| CliError::input("--manifest", e))?;
            let found = fucai_settle::verify(file, &expected)
                .map_err(|e| CliError::Internal(anyhow::anyhow!("{e}")))?;
            print_manifest("seal verified", &found.manifest);
            return Ok(());
        }
        _ => {}
    }
    let app = open_existing(&args.database_url)?;
    let user = args.user.as_deref();
    match &args.command {
        DrawCommand::VerifySeal { game, draw, .. } => {
            let (Some(game), Some(draw)) = (game, draw) else {
                return Err(CliError::input(
                    "draw",
                    "give <game> <draw>, or --file and --manifest",
                ));
            };
            let manifest = app.verify_seal(game, draw).map_err(verify_failed)?;
            print_manifest("seal verified", &manifest);
        }
        DrawCommand::Announce { draw, json } => {
            let a = app
                .announcement(&draw.game, &draw.draw)
                .map_err(app_error)?;
            if *json {
                println!("{}", serde_json::to_string_pretty(&a).expect("serialises"));
            } else {
                print!("{}", a.to_text());
            }
        }
        DrawCommand::Info(d) => {
            let info = app.draw_info(&d.game, &d.draw).map_err(app_error)?;
            println!(
                "{}",
                serde_json::to_string_pretty(&info).expect("serialises")
            );
        }
        _ => act(&app, user, |app, who| {
            Box::pin(acting(app, who, &args.command))
        })?,
    }
    Ok(())
}

fn verify_failed(e: fucai_app::AppError) -> CliError {
    CliError::Internal(anyhow::anyhow!("verification failed: {e}"))
}

fn print_manifest(what: &str, m: &Manifest) {
    println!(
        "{what}: {} draw {}: {} lines, {} bets, {}, {} bytes, SHA-256 {}",
        m.game,
        m.draw,
        m.rows,
        m.bets,
        Money::from_fen(m.amount_fen),
        m.bytes,
        m.sha256
    );
}

fn verify_transcript(file: &PathBuf) -> Result<(), CliError> {
    let text = std::fs::read_to_string(file).map_err(|e| CliError::input("file", e))?;
    let t: Transcript = serde_json::from_str(&text)
        .map_err(|e| CliError::input("file", format!("not a transcript: {e}")))?;
    let result = t
        .verify()
        .map_err(|e| CliError::Internal(anyhow::anyhow!("verification failed: {e}")))?;
    let beacon = match &t.drand {
        Some(round) => format!(
            "drand quicknet round {} (signature verified against quicknet's key; randomness {})",
            round.round, round.randomness
        ),
        None => format!("beacon \"{}\"", t.beacon),
    };
    println!(
        "transcript verified: {} draw {} ({}): SHA-256(secret) is the commitment {}, and secret + seal {} + {beacon} give {result}",
        t.game, t.draw, t.algorithm, t.commitment, t.seal_sha256
    );
    Ok(())
}

async fn acting(app: &App, who: Principal, command: &DrawCommand) -> Result<(), CliError> {
    match command {
        DrawCommand::Reconcile(d) => {
            let r = app
                .reconcile_draw(&who, &d.game, &d.draw)
                .await
                .map_err(app_error)?;
            for (tier, settled, independent) in &r.tiers {
                let mark = if settled == independent {
                    "ok"
                } else {
                    "MISMATCH"
                };
                println!("{tier:>6} settled {settled:>12} independent {independent:>12} {mark}");
            }
            if !r.mismatches.is_empty() {
                return Err(CliError::Internal(anyhow::anyhow!(
                    "draw {} {}: {} tiers differ from the independent count",
                    d.game,
                    d.draw,
                    r.mismatches.len()
                )));
            }
            println!(
                "draw {} {} reconciled: every tier's winning bets confirmed by the DuckDB query",
                d.game, d.draw
            );
        }
        DrawCommand::Seal(d) => {
            let s = app
                .seal_draw(&who, &d.game, &d.draw)
                .await
                .map_err(app_error)?;
            println!(
                "{} 第{}期已封存：{} 张票，{} 注，销售额 {}，SHA-256 {}",
                d.game, d.draw, s.rows, s.bets, s.amount, s.sha256
            );
            println!("封存文件：{}", app.seal_dir().join(&s.file).display());
        }
        DrawCommand::Commit(d) => {
            let c = app
                .commit_draw(&who, &d.game, &d.draw)
                .await
                .map_err(app_error)?;
            println!(
                "draw {} {} commitment SHA-256(secret) = {}",
                d.game, d.draw, c.commitment
            );
            println!(
                "drand quicknet round {} (signed {}); run the draw by {}",
                c.beacon.round,
                beijing_time(c.beacon.round_at),
                beijing_time(c.beacon.reveal_by)
            );
        }
        DrawCommand::EnterResult { draw, numbers } => {
            match app
                .enter_result(&who, &draw.game, &draw.draw, numbers)
                .await
                .map_err(app_error)?
            {
                ResultEntry::AwaitingSecond => {
                    println!("第一次录入已保存，须由另一位工作人员录入相同号码")
                }
                ResultEntry::Recorded { result } => {
                    println!("{} 第{}期开奖号码已记录：{result}", draw.game, draw.draw)
                }
                ResultEntry::Mismatch => {
                    return Err(CliError::Internal(anyhow::anyhow!(
                        "两次录入的号码不一致，均未记录，请两人重新录入（the two entries differ: nothing was recorded）"
                    )))
                }
            }
        }
        DrawCommand::Draw {
            draw,
            signature,
            round,
            beacon,
            transcript,
        } => {
            let input = match (signature, beacon) {
                (Some(signature), _) => BeaconInput::Drand {
                    round: *round,
                    signature: signature.clone(),
                },
                (None, beacon) => BeaconInput::Operator(beacon.clone().unwrap_or_default()),
            };
            let t = app
                .verifiable_draw(&who, &draw.game, &draw.draw, input)
                .await
                .map_err(app_error)?;
            let text = serde_json::to_string_pretty(&t).expect("serialises");
            if let Some(path) = transcript {
                std::fs::write(path, &text)
                    .with_context(|| format!("writing {}", path.display()))?;
            }
            println!("{text}");
        }
        DrawCommand::Settle(d) => {
            let a = app
                .settle_draw(&who, &d.game, &d.draw)
                .await
                .map_err(app_error)?;
            print!("{}", a.to_text());
        }
        DrawCommand::Expire { draw, today } => {
            let today = today.unwrap_or_else(|| fucai_app::beijing_date(fucai_app::now_ms()));
            let (count, total) = app
                .expire_draw(&who, &draw.game, &draw.draw, today)
                .await
                .map_err(app_error)?;
            println!(
                "{} 第{}期：{count} 注未兑奖金共 {}，已转入公益金（{count} unclaimed）",
                draw.game, draw.draw, total
            );
        }
        _ => unreachable!("handled without signing in"),
    }
    Ok(())
}

pub fn claim(args: &ClaimArgs) -> Result<(), CliError> {
    let app = open_existing(&args.database_url)?;
    let req = ClaimRequest {
        serial: args.serial.clone(),
        code: args.code.clone(),
        claimant_id: args.claimant_id.clone(),
    };
    act(&app, args.user.as_deref(), |app, who| {
        Box::pin(async move {
            let r = app.claim(&who, req).await.map_err(app_error)?;
            for d in &r.draws {
                println!(
                    "彩票 {} 第{}期：奖金 {}，代扣个人所得税 {}，实付 {}",
                    r.serial, d.draw, d.gross, d.tax, d.net
                );
            }
            let office = if r.office == "station" {
                "投注站"
            } else {
                "区福彩中心"
            };
            println!("已在{office}兑付，合计实付 {}", r.net);
            Ok(())
        })
    })
}
