//! `fucai training …`: record sessions and attendance, list them, print a period's report
//! and a staff member's record.

use clap::{Args, Subcommand};
use fucai_app::network::{Attendee, TrainingInput};
use fucai_app::{App, Principal};

use crate::error::CliError;
use crate::session::app_error;
use crate::station::Acting;

#[derive(Args)]
pub struct TrainingArgs {
    #[command(subcommand)]
    pub command: TrainingCommand,
    #[command(flatten)]
    pub acting: Acting,
}

#[derive(Subcommand)]
pub enum TrainingCommand {
    /// Record a session: station (站点业务培训), staff (工作人员培训) or external (外部课程).
    Create {
        #[arg(long)]
        kind: String,
        #[arg(long)]
        topic: String,
        /// YYYY-MM-DD.
        #[arg(long)]
        held_on: String,
        #[arg(long)]
        place: String,
        #[arg(long)]
        trainer: String,
        /// The exam's pass mark (0–100), where the session has an exam.
        #[arg(long)]
        pass_score: Option<i64>,
    },
    /// Record attendance: `--person ID[:SCORE]` and `--staff USERNAME[:SCORE]`, repeated; all
    /// or none.
    Attend {
        session: i64,
        #[arg(long)]
        person: Vec<String>,
        #[arg(long)]
        staff: Vec<String>,
    },
    /// Sessions held in a period.
    List {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
    },
    /// Sessions, person-times, stations trained and coverage, per town.
    Report {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
    },
    /// A staff member's training record.
    Record { username: String },
}

/// `NAME[:SCORE]` into the name and the score.
fn with_score(field: &'static str, text: &str) -> Result<(String, Option<i64>), CliError> {
    match text.split_once(':') {
        None => Ok((text.to_string(), None)),
        Some((name, score)) => {
            let score = score
                .parse()
                .map_err(|_| CliError::input(field, format!("'{score}' is not a score")))?;
            Ok((name.to_string(), Some(score)))
        }
    }
}

pub fn run(args: &TrainingArgs) -> Result<(), CliError> {
    let app = args.acting.open()?;
    args.acting
        .run(&app, |app, who| Box::pin(training(app, who, &args.command)))
}

async fn training(app: &App, who: Principal, c: &TrainingCommand) -> Result<(), CliError> {
    match c {
        TrainingCommand::Create {
            kind,
            topic,
            held_on,
            place,
            trainer,
            pass_score,
        } => {
            let input = TrainingInput {
                kind: kind.clone(),
                topic: topic.clone(),
                held_on: held_on.clone(),
                place: place.clone(),
                trainer: trainer.clone(),
                pass_score: *pass_score,
            };
            let t = app.create_training(&who, input).await.map_err(app_error)?;
            println!(
                "training session #{} recorded ({} {})",
                t.id, t.held_on, t.topic
            );
        }
        TrainingCommand::Attend {
            session,
            person,
            staff,
        } => {
            let mut attendees = Vec::new();
            for p in person {
                let (id, score) = with_score("--person", p)?;
                let id = id.parse().map_err(|_| {
                    CliError::input("--person", format!("'{id}' is not a person id"))
                })?;
                attendees.push(Attendee::Person { id, score });
            }
            for s in staff {
                let (username, score) = with_score("--staff", s)?;
                attendees.push(Attendee::Staff { username, score });
            }
            let t = app
                .record_attendance(&who, *session, attendees)
                .await
                .map_err(app_error)?;
            println!("training session #{}: {} attendees", t.id, t.attendees);
        }
        TrainingCommand::List { from, to } => {
            for t in app.trainings(&who, from, to).map_err(app_error)? {
                println!(
                    "#{} {} {} {} {} ({}) {} attendees",
                    t.id, t.held_on, t.kind, t.topic, t.place, t.trainer, t.attendees
                );
            }
        }
        TrainingCommand::Report { from, to } => {
            let r = app.training_report(&who, from, to).map_err(app_error)?;
            println!(
                "{from}..{to}: {} sessions, {} person-times (staff {}), {} of {} stations trained, coverage {}",
                r.sessions,
                r.person_times,
                r.staff_person_times,
                r.stations_trained,
                r.stations_open,
                r.coverage
            );
            for t in &r.by_town {
                println!(
                    "  {} {} sessions {} person-times {} trained {}/{} ({}‰)",
                    t.town,
                    t.town_name,
                    t.sessions,
                    t.person_times,
                    t.stations_trained,
                    t.stations_open,
                    t.coverage_permille
                );
            }
        }
        TrainingCommand::Record { username } => {
            for a in app
                .staff_training_record(&who, username)
                .map_err(app_error)?
            {
                let result = match a.passed {
                    Some(true) => "passed",
                    Some(false) => "failed",
                    None => "no exam",
                };
                println!("{} {} {} {result}", a.held_on, a.kind, a.topic);
            }
        }
    }
    Ok(())
}
