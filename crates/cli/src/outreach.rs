//! `fucai campaign …`, `fucai activity …` and `fucai evidence …`, acting as a signed-in
//! person.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};
use fucai_app::network::{ActivityInput, CampaignInput};
use fucai_app::{App, Format, Principal};

use crate::error::CliError;
use crate::session::{app_error, emit_file};
use crate::station::Acting;

#[derive(Args)]
pub struct CampaignArgs {
    #[command(subcommand)]
    pub command: CampaignCommand,
    #[command(flatten)]
    pub acting: Acting,
}

#[derive(Subcommand)]
pub enum CampaignCommand {
    /// Start a campaign: --game repeated; metric volume, growth or per_day; --town to limit it.
    Create {
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        #[arg(long = "game", required = true)]
        games: Vec<String>,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        metric: String,
        #[arg(long)]
        town: Option<String>,
    },
    /// Campaigns, newest first.
    List,
    /// A campaign's ranking (live, or as kept at its close) and rewards; --output FILE
    /// writes it as CSV (XLSX with --xlsx).
    Show {
        code: String,
        #[arg(long)]
        output: Option<PathBuf>,
        #[arg(long)]
        xlsx: bool,
    },
    /// Close a campaign: its ranking is kept for good.
    Close { code: String },
    /// Record a reward given to a ranked station.
    Reward {
        code: String,
        #[arg(long)]
        station: String,
        #[arg(long)]
        reward: String,
        #[arg(long)]
        given_on: String,
    },
}

#[derive(Args)]
pub struct ActivityArgs {
    #[command(subcommand)]
    pub command: ActivityCommand,
    #[command(flatten)]
    pub acting: Acting,
}

#[derive(Subcommand)]
pub enum ActivityCommand {
    /// Record an activity: party (党建), volunteer (志愿服务), team_building (团建) or other.
    Record {
        #[arg(long)]
        kind: String,
        #[arg(long)]
        title: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        place: String,
        #[arg(long)]
        organiser: String,
        #[arg(long)]
        participants: i64,
        #[arg(long, default_value = "")]
        description: String,
        /// A staff member who took part (repeat).
        #[arg(long)]
        staff: Vec<String>,
    },
    /// Activities of a period.
    List {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
    },
}

#[derive(Args)]
pub struct EvidenceArgs {
    #[command(subcommand)]
    pub command: EvidenceCommand,
    #[command(flatten)]
    pub acting: Acting,
}

#[derive(Subcommand)]
pub enum EvidenceCommand {
    /// Store a file (image or PDF, at most 10 MB) as evidence of finding:ID, visit:ID or
    /// activity:ID.
    Upload {
        #[arg(long)]
        subject: String,
        file: PathBuf,
    },
    /// Re-read every evidence file; exits 1 when one is missing or changed.
    Check,
}

pub fn run_campaign(args: &CampaignArgs) -> Result<(), CliError> {
    let app = args.acting.open()?;
    args.acting
        .run(&app, |app, who| Box::pin(campaign(app, who, &args.command)))
}

async fn campaign(app: &App, who: Principal, c: &CampaignCommand) -> Result<(), CliError> {
    match c {
        CampaignCommand::Create {
            code,
            name,
            games,
            from,
            to,
            metric,
            town,
        } => {
            let input = CampaignInput {
                code: code.clone(),
                name: name.clone(),
                games: games.clone(),
                starts_on: from.clone(),
                ends_on: to.clone(),
                metric: metric.clone(),
                town: town.clone(),
            };
            let c = app.create_campaign(&who, input).await.map_err(app_error)?;
            println!(
                "campaign {} started ({} {}..{})",
                c.code, c.metric, c.starts_on, c.ends_on
            );
        }
        CampaignCommand::List => {
            for c in app.campaigns(&who).map_err(app_error)? {
                println!(
                    "{} {} {} {}..{} {} {}",
                    c.code, c.status, c.metric, c.starts_on, c.ends_on, c.games, c.name
                );
            }
        }
        CampaignCommand::Show { code, output, xlsx } => {
            if output.is_some() || *xlsx {
                let format = if *xlsx { Format::Xlsx } else { Format::Csv };
                let bytes = app.export_campaign(&who, code, format).map_err(app_error)?;
                emit_file(&bytes, format, output.as_deref())?;
                return Ok(());
            }
            let v = app.campaign(&who, code).map_err(app_error)?;
            println!(
                "{} {} ({})",
                v.campaign.code, v.campaign.name, v.campaign.status
            );
            for s in &v.standings {
                println!("{:>4} {} {} {}", s.rank, s.station_code, s.score, s.sales);
            }
            for r in &v.rewards {
                println!("reward {} {}: {}", r.given_on, r.station_code, r.reward);
            }
        }
        CampaignCommand::Close { code } => {
            let v = app.close_campaign(&who, code).await.map_err(app_error)?;
            println!(
                "campaign {} closed; its ranking of {} stations is kept",
                v.campaign.code,
                v.standings.len()
            );
        }
        CampaignCommand::Reward {
            code,
            station,
            reward,
            given_on,
        } => {
            app.reward_station(&who, code, station, reward, given_on)
                .await
                .map_err(app_error)?;
            println!("campaign {code}: {station} rewarded ({reward})");
        }
    }
    Ok(())
}

pub fn run_activity(args: &ActivityArgs) -> Result<(), CliError> {
    let app = args.acting.open()?;
    args.acting.run(&app, |app, who| {
        Box::pin(async move {
            match &args.command {
                ActivityCommand::Record {
                    kind,
                    title,
                    from,
                    to,
                    place,
                    organiser,
                    participants,
                    description,
                    staff,
                } => {
                    let input = ActivityInput {
                        kind: kind.clone(),
                        title: title.clone(),
                        starts_on: from.clone(),
                        ends_on: to.clone(),
                        place: place.clone(),
                        organiser: organiser.clone(),
                        participants: *participants,
                        description: description.clone(),
                        staff: staff.clone(),
                    };
                    let a = app.record_activity(&who, input).await.map_err(app_error)?;
                    println!("activity #{} recorded ({} {})", a.id, a.starts_on, a.title);
                }
                ActivityCommand::List { from, to } => {
                    for a in app.activities(&who, from, to).map_err(app_error)? {
                        println!(
                            "#{} {}..{} {} {} {} people, staff {}",
                            a.id,
                            a.starts_on,
                            a.ends_on,
                            a.kind,
                            a.title,
                            a.participants,
                            a.staff.join(" ")
                        );
                    }
                }
            }
            Ok(())
        })
    })
}

pub fn run_evidence(args: &EvidenceArgs) -> Result<(), CliError> {
    let app = args.acting.open()?;
    args.acting.run(&app, |app, who| {
        Box::pin(async move {
            match &args.command {
                EvidenceCommand::Upload { subject, file } => {
                    let bytes = std::fs::read(file)
                        .with_context(|| format!("reading {}", file.display()))?;
                    let name = file
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    let e = app
                        .upload_evidence(&who, subject, &name, &bytes)
                        .await
                        .map_err(app_error)?;
                    println!(
                        "{} stored ({} bytes, {}) for {subject}",
                        e.sha256, e.size, e.mime
                    );
                }
                EvidenceCommand::Check => {
                    let problems = app.check_evidence(&who).map_err(app_error)?;
                    for p in &problems {
                        println!("{} {}: {}", p.sha256, p.name, p.problem);
                    }
                    if !problems.is_empty() {
                        return Err(CliError::Internal(anyhow::anyhow!(
                            "{} evidence files are missing or changed",
                            problems.len()
                        )));
                    }
                    println!("every evidence file has its hash");
                }
            }
            Ok(())
        })
    })
}
