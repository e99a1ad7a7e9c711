//! `fucai welfare report|disclosure --year Y`: the welfare fund's use, from the database.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use fucai_app::{App, Config, Format};
use fucai_ledger::Money;

use crate::error::CliError;
use crate::server::DEFAULT_DATABASE;

#[derive(Args)]
pub struct WelfareArgs {
    #[command(subcommand)]
    pub command: WelfareCommand,
    #[arg(long, env = "FUCAI_DATABASE_URL", default_value = DEFAULT_DATABASE, global = true)]
    pub database_url: String,
}

#[derive(Subcommand)]
pub enum WelfareCommand {
    /// Budget against spending per programme; paid grants per category and per town.
    Report {
        #[arg(long)]
        year: i64,
    },
    /// The year's 公益金使用公告 (personal names masked).
    Disclosure {
        #[arg(long)]
        year: i64,
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
        /// Write the file here (csv and xlsx); standard output for text and csv otherwise.
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum OutputFormat {
    Text,
    Csv,
    Xlsx,
}

pub fn run(args: &WelfareArgs) -> Result<(), CliError> {
    let path = fucai_store::sqlite_path(&args.database_url)
        .map_err(|e| CliError::input("--database-url", e))?;
    if !path.exists() {
        return Err(CliError::input(
            "--database-url",
            format!("{} does not exist", path.display()),
        ));
    }
    let app = App::open(&Config::new(&args.database_url))
        .map_err(|e| CliError::input("--database-url", e))?;
    match &args.command {
        WelfareCommand::Report { year } => {
            let r = app.welfare_summary(*year).map_err(anyhow::Error::from)?;
            println!("{year}年彩票公益金使用情况");
            println!(
                "{:<12} {:<28} {:<6} {:>16} {:>16} {:>16}",
                "programme", "name", "类别", "budget", "spent", "remaining"
            );
            for p in &r.programmes {
                let m = |f| Money::from_fen(f).to_string();
                println!(
                    "{:<12} {:<28} {:<6} {:>16} {:>16} {:>16}",
                    p.code,
                    p.name,
                    p.category_name,
                    m(p.budget_fen),
                    m(p.spent_fen),
                    m(p.remaining_fen)
                );
            }
            println!("by category:");
            for c in &r.by_category {
                println!(
                    "  {:<6} {:>4} grants {:>16}",
                    c.name,
                    c.grants,
                    Money::from_fen(c.amount_fen).to_string()
                );
            }
            println!("by town:");
            for t in &r.by_town {
                println!(
                    "  {:<10} {:>4} grants {:>16}",
                    t.name,
                    t.grants,
                    Money::from_fen(t.amount_fen).to_string()
                );
            }
            println!("total paid {}", Money::from_fen(r.total_paid_fen));
        }
        WelfareCommand::Disclosure {
            year,
            format,
            output,
        } => match format {
            OutputFormat::Text => {
                println!("{year}年彩票公益金使用公告");
                for l in app.disclosure(*year).map_err(anyhow::Error::from)? {
                    println!(
                        "{} {} {} {} {} {} {}",
                        l.date,
                        l.category,
                        l.programme,
                        l.beneficiary,
                        l.town,
                        l.purpose,
                        Money::from_fen(l.amount_fen)
                    );
                }
            }
            OutputFormat::Csv | OutputFormat::Xlsx => {
                let f = if matches!(format, OutputFormat::Csv) {
                    Format::Csv
                } else {
                    Format::Xlsx
                };
                let bytes = app
                    .export_disclosure(*year, f)
                    .map_err(anyhow::Error::from)?;
                match output {
                    Some(path) => std::fs::write(path, bytes)
                        .with_context(|| format!("writing {}", path.display()))?,
                    None if matches!(format, OutputFormat::Csv) => {
                        print!("{}", String::from_utf8_lossy(&bytes))
                    }
                    None => {
                        return Err(CliError::input("--output", "xlsx needs a file to write to"))
                    }
                }
            }
        },
    }
    Ok(())
}
