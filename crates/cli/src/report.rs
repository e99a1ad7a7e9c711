//! `fucai report summary`: the period's summary paragraph; `fucai report sales`: every
//! channel's sales over a period, grouped by any of channel, game, station, town, day, month
//! and year, beside the same period a year earlier.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use fucai_app::{App, Format, Principal, SalesDimension};

use crate::error::CliError;
use crate::session::{app_error, emit_file};
use crate::station::Acting;

#[derive(Args)]
pub struct ReportArgs {
    #[command(subcommand)]
    pub command: ReportCommand,
    #[command(flatten)]
    pub acting: Acting,
}

#[derive(Subcommand)]
pub enum ReportCommand {
    /// The period's summary paragraph (sales by channel, welfare fund raised, training,
    /// grants, cumulative figures), every figure from the ledger and the registers.
    Summary {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        json: bool,
    },
    /// Sales by channel, game, station, town, day, month or year, with a year earlier.
    Sales {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        /// Comma-separated dimensions (none: the total).
        #[arg(long, default_value = "channel")]
        by: String,
        /// text (default), json, csv or xlsx.
        #[arg(long, default_value = "text")]
        format: String,
        /// Where csv or xlsx goes (csv: standard output when absent).
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

pub fn run(args: &ReportArgs) -> Result<(), CliError> {
    let app = args.acting.open()?;
    args.acting
        .run(&app, |app, who| Box::pin(report(app, who, &args.command)))
}

async fn report(app: &App, who: Principal, c: &ReportCommand) -> Result<(), CliError> {
    let (from, to, by, format, output) = match c {
        ReportCommand::Summary { from, to, json } => {
            let s = app.summary(&who, from, to).map_err(app_error)?;
            if *json {
                // The same contract as `GET /api/v1/reports/summary`.
                let json = fucai_web::wire::SummaryJson::from(s);
                println!(
                    "{}",
                    serde_json::to_string_pretty(&json).expect("serialises")
                );
            } else {
                println!("{}", s.text);
            }
            return Ok(());
        }
        ReportCommand::Sales {
            from,
            to,
            by,
            format,
            output,
        } => (from, to, by, format, output),
    };
    let dims = SalesDimension::parse_list(by).map_err(|e| CliError::input("--by", e))?;
    let r = app.sales_report(&who, from, to, &dims).map_err(app_error)?;
    match format.as_str() {
        "text" => {
            for row in &r.rows {
                let growth = row
                    .growth_text()
                    .map_or(String::new(), |g| format!(" ({g})"));
                println!(
                    "{:<40} {:>16}  a year earlier {:>16}{growth}",
                    row.key.join(" "),
                    row.amount.to_string(),
                    row.last_year.to_string()
                );
            }
            println!(
                "{}..{}: total {} (a year earlier {})",
                r.from, r.to, r.total, r.last_year_total
            );
        }
        "json" => println!("{}", serde_json::to_string_pretty(&r).expect("serialises")),
        "csv" | "xlsx" => {
            let format = if format == "csv" {
                Format::Csv
            } else {
                Format::Xlsx
            };
            let bytes = fucai_app::export_sales_report(&r, format).map_err(app_error)?;
            emit_file(&bytes, format, output.as_deref())?;
        }
        other => {
            return Err(CliError::input(
                "--format",
                format!("'{other}': text, json, csv or xlsx"),
            ))
        }
    }
    Ok(())
}
