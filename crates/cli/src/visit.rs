//! `fucai visit …` (plans, visits, return visits), `fucai finding …` (rectifications and
//! appeals) and `fucai rating …` (the yearly star rating), acting as a signed-in person.

use clap::{Args, Subcommand};
use fucai_app::network::{FindingInput, FindingMove, ReturnVisitInput, VisitInput};
use fucai_app::{App, Principal};

use crate::error::CliError;
use crate::session::app_error;
use crate::station::Acting;

#[derive(Args)]
pub struct VisitArgs {
    #[command(subcommand)]
    pub command: VisitCommand,
    #[command(flatten)]
    pub acting: Acting,
}

#[derive(Subcommand)]
pub enum VisitCommand {
    /// Set how many visits of a kind each station gets in a year.
    Plan {
        #[arg(long)]
        year: i64,
        /// visit (走访), inspection (巡查) or mystery (暗访).
        #[arg(long)]
        kind: String,
        #[arg(long)]
        per_station: i64,
    },
    /// How far the year's plans have got.
    Progress {
        #[arg(long)]
        year: i64,
    },
    /// Record a visit: `--score ITEM=POINTS` for every checklist item (inspections and
    /// unannounced visits), `--finding "DESCRIPTION|RESPONSIBLE|DEADLINE[|ITEM]"` per finding.
    Record {
        #[arg(long)]
        station: String,
        #[arg(long)]
        kind: String,
        #[arg(long)]
        on: String,
        #[arg(long)]
        visitors: String,
        #[arg(long, default_value = "")]
        opinions: String,
        #[arg(long)]
        score: Vec<String>,
        #[arg(long)]
        finding: Vec<String>,
    },
    /// Visits in a period.
    List {
        #[arg(long)]
        station: Option<String>,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
    },
    /// Record a return visit (回访) to a station's customer or a beneficiary.
    Return {
        #[arg(long)]
        station: Option<String>,
        #[arg(long)]
        beneficiary: Option<i64>,
        #[arg(long)]
        on: String,
        #[arg(long)]
        visitor: String,
        #[arg(long)]
        person: String,
        #[arg(long)]
        outcome: String,
        /// 1 to 5.
        #[arg(long)]
        satisfaction: i64,
        /// "DESCRIPTION|RESPONSIBLE|DEADLINE[|ITEM]".
        #[arg(long)]
        finding: Option<String>,
    },
}

#[derive(Args)]
pub struct FindingArgs {
    #[command(subcommand)]
    pub command: FindingCommand,
    #[command(flatten)]
    pub acting: Acting,
}

#[derive(Subcommand)]
pub enum FindingCommand {
    /// Findings of one station or all, by status, or the overdue ones.
    List {
        #[arg(long)]
        station: Option<String>,
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        overdue: bool,
    },
    /// A finding with its history and appeals.
    Show {
        id: i64,
    },
    Start {
        id: i64,
    },
    Submit {
        id: i64,
        #[arg(long)]
        evidence: String,
    },
    Verify {
        id: i64,
        #[arg(long, default_value = "")]
        note: String,
    },
    Reopen {
        id: i64,
        #[arg(long)]
        reason: String,
    },
    Appeal {
        id: i64,
        #[arg(long)]
        reason: String,
    },
    /// Decide an appeal: --overturn withdraws the finding, otherwise it is upheld.
    Decide {
        appeal: i64,
        #[arg(long)]
        overturn: bool,
        #[arg(long)]
        note: String,
    },
}

#[derive(Args)]
pub struct RatingArgs {
    #[command(subcommand)]
    pub command: RatingCommand,
    #[command(flatten)]
    pub acting: Acting,
}

#[derive(Subcommand)]
pub enum RatingCommand {
    /// A year's ratings: as recorded, or a preview computed now.
    Show { year: i64 },
    /// Rate every station for a year that has ended, and keep it.
    Record { year: i64 },
}

fn finding_input(field: &'static str, text: &str) -> Result<FindingInput, CliError> {
    let parts: Vec<&str> = text.split('|').map(str::trim).collect();
    match parts.as_slice() {
        [description, responsible, deadline, rest @ ..] if rest.len() <= 1 => Ok(FindingInput {
            description: description.to_string(),
            responsible: responsible.to_string(),
            deadline: deadline.to_string(),
            item: rest.first().map(|s| s.to_string()),
        }),
        _ => Err(CliError::input(
            field,
            "DESCRIPTION|RESPONSIBLE|DEADLINE[|ITEM]",
        )),
    }
}

pub fn run(args: &VisitArgs) -> Result<(), CliError> {
    let app = args.acting.open()?;
    args.acting
        .run(&app, |app, who| Box::pin(visit(app, who, &args.command)))
}

async fn visit(app: &App, who: Principal, c: &VisitCommand) -> Result<(), CliError> {
    match c {
        VisitCommand::Plan {
            year,
            kind,
            per_station,
        } => {
            app.set_visit_plan(&who, *year, kind, *per_station)
                .await
                .map_err(app_error)?;
            println!("{year}: every station gets {per_station} × {kind}");
        }
        VisitCommand::Progress { year } => {
            for p in app.plan_progress(&who, *year).map_err(app_error)? {
                println!(
                    "{year} {} × {}: {} visits, {} of {} stations done ({}‰)",
                    p.per_station,
                    p.kind,
                    p.visits,
                    p.stations_done,
                    p.stations_open,
                    p.coverage_permille
                );
            }
        }
        VisitCommand::Record {
            station,
            kind,
            on,
            visitors,
            opinions,
            score,
            finding,
        } => {
            let scores = score
                .iter()
                .map(|s| {
                    let (item, points) = s
                        .split_once('=')
                        .ok_or_else(|| CliError::input("--score", "ITEM=POINTS"))?;
                    let points = points.parse().map_err(|_| {
                        CliError::input("--score", format!("'{points}' is not a number"))
                    })?;
                    Ok((item.to_string(), points))
                })
                .collect::<Result<_, CliError>>()?;
            let findings = finding
                .iter()
                .map(|f| finding_input("--finding", f))
                .collect::<Result<_, _>>()?;
            let input = VisitInput {
                station: station.clone(),
                kind: kind.clone(),
                visited_on: on.clone(),
                visitors: visitors.clone(),
                opinions: opinions.clone(),
                scores,
                findings,
            };
            let v = app.record_visit(&who, input).await.map_err(app_error)?;
            println!(
                "visit #{} at {} scored {}; findings {:?}",
                v.visit.id,
                v.visit.station_code,
                v.visit.score,
                v.findings.iter().map(|f| f.id).collect::<Vec<_>>()
            );
        }
        VisitCommand::List { station, from, to } => {
            for v in app
                .visits(&who, station.as_deref(), from, to)
                .map_err(app_error)?
            {
                println!(
                    "#{} {} {} {} score {} by {} {}",
                    v.id, v.visited_on, v.station_code, v.kind, v.score, v.visitors, v.opinions
                );
            }
        }
        VisitCommand::Return {
            station,
            beneficiary,
            on,
            visitor,
            person,
            outcome,
            satisfaction,
            finding,
        } => {
            let input = ReturnVisitInput {
                station: station.clone(),
                beneficiary_id: *beneficiary,
                visited_on: on.clone(),
                visitor: visitor.clone(),
                person: person.clone(),
                outcome: outcome.clone(),
                satisfaction: *satisfaction,
                finding: finding
                    .as_deref()
                    .map(|f| finding_input("--finding", f))
                    .transpose()?,
            };
            let r = app
                .record_return_visit(&who, input)
                .await
                .map_err(app_error)?;
            println!(
                "return visit #{} recorded{}",
                r.return_visit.id,
                r.finding
                    .map(|f| format!("; finding #{}", f.id))
                    .unwrap_or_default()
            );
        }
    }
    Ok(())
}

pub fn run_finding(args: &FindingArgs) -> Result<(), CliError> {
    let app = args.acting.open()?;
    args.acting
        .run(&app, |app, who| Box::pin(finding(app, who, &args.command)))
}

async fn finding(app: &App, who: Principal, c: &FindingCommand) -> Result<(), CliError> {
    let change = match c {
        FindingCommand::List {
            station,
            status,
            overdue,
        } => {
            for f in app
                .findings(&who, station.as_deref(), status.as_deref(), *overdue)
                .map_err(app_error)?
            {
                println!(
                    "#{} {} {} due {} {} ({})",
                    f.id,
                    f.station_code.as_deref().unwrap_or("-"),
                    f.status,
                    f.deadline,
                    f.description,
                    f.responsible
                );
            }
            return Ok(());
        }
        FindingCommand::Show { id } => {
            let d = app.finding(&who, *id).map_err(app_error)?;
            print_detail(&d);
            return Ok(());
        }
        FindingCommand::Appeal { id, reason } => {
            let d = app
                .appeal_finding(&who, *id, reason)
                .await
                .map_err(app_error)?;
            print_detail(&d);
            return Ok(());
        }
        FindingCommand::Decide {
            appeal,
            overturn,
            note,
        } => {
            let d = app
                .decide_appeal(&who, *appeal, *overturn, note)
                .await
                .map_err(app_error)?;
            print_detail(&d);
            return Ok(());
        }
        FindingCommand::Start { id } => (*id, FindingMove::Start),
        FindingCommand::Submit { id, evidence } => (
            *id,
            FindingMove::Submit {
                evidence: evidence.clone(),
            },
        ),
        FindingCommand::Verify { id, note } => (*id, FindingMove::Verify { note: note.clone() }),
        FindingCommand::Reopen { id, reason } => (
            *id,
            FindingMove::Reopen {
                reason: reason.clone(),
            },
        ),
    };
    let d = app
        .move_finding(&who, change.0, change.1)
        .await
        .map_err(app_error)?;
    print_detail(&d);
    Ok(())
}

fn print_detail(d: &fucai_app::network::FindingDetail) {
    let f = &d.finding;
    let overdue = if d.overdue { " OVERDUE" } else { "" };
    println!(
        "finding #{} {} {}{overdue}: {} (due {}, {})",
        f.id,
        f.station_code.as_deref().unwrap_or("-"),
        f.status,
        f.description,
        f.deadline,
        f.responsible
    );
    for e in &d.history {
        let from = e.from.map(|s| s.to_string()).unwrap_or_default();
        println!("  {from} → {} by {}: {}", e.to, e.actor, e.note);
    }
    for a in &d.appeals {
        println!(
            "  appeal #{} by {}: {} — {}",
            a.id,
            a.filed_by,
            a.reason,
            a.decision.as_deref().unwrap_or("waiting")
        );
    }
}

pub fn run_rating(args: &RatingArgs) -> Result<(), CliError> {
    let app = args.acting.open()?;
    args.acting.run(&app, |app, who| {
        Box::pin(async move {
            let lines = match &args.command {
                RatingCommand::Show { year } => app.ratings(&who, *year).map_err(app_error)?,
                RatingCommand::Record { year } => {
                    app.record_ratings(&who, *year).await.map_err(app_error)?
                }
            };
            for r in &lines {
                println!(
                    "{} {}★ {} points (inspections {} avg {}, sales {}, open findings {}) commission {}‰{}",
                    r.station,
                    r.stars,
                    r.points,
                    r.inspections,
                    r.average_score,
                    r.sales,
                    r.open_findings,
                    r.commission_permille,
                    if r.recorded { "" } else { " (preview)" }
                );
            }
            Ok(())
        })
    })
}
