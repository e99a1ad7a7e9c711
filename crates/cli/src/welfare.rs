//! `fucai welfare report|disclosure --year Y`: the welfare fund's use, from the database.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use fucai_app::{App, Format};

use crate::error::CliError;
use crate::server::DEFAULT_DATABASE;
use crate::session::{act, app_error, emit_file, import_file, open_existing};

#[derive(Args)]
pub struct WelfareArgs {
    #[command(subcommand)]
    pub command: WelfareCommand,
    #[arg(long, env = "FUCAI_DATABASE_URL", default_value = DEFAULT_DATABASE, global = true)]
    pub database_url: String,
    /// The person acting (makers and checkers are told apart); the password comes from
    /// FUCAI_PASSWORD or the first line of standard input.
    #[arg(long, global = true)]
    pub user: Option<String>,
}

#[derive(Subcommand)]
pub enum WelfareCommand {
    /// Budget against spending per programme; paid grants per category and per town.
    Report {
        #[arg(long)]
        year: i64,
    },
    /// Programmes.
    #[command(subcommand)]
    Programme(ProgrammeCommand),
    /// Beneficiaries.
    #[command(subcommand)]
    Beneficiary(BeneficiaryCommand),
    /// Grants.
    #[command(subcommand)]
    Grant(GrantCommand),
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

#[derive(Subcommand)]
pub enum ProgrammeCommand {
    /// Propose a programme (draft).
    Create {
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        /// elderly (扶老), disabled (助残), orphans (救孤), poverty (济困).
        #[arg(long)]
        category: String,
        #[arg(long)]
        year: i64,
        /// In 元.
        #[arg(long)]
        budget: String,
    },
    /// Approve a programme: its budget is reserved from the district welfare fund.
    Approve { code: String },
    /// List programmes with budget and spending.
    List,
}

#[derive(Subcommand)]
pub enum BeneficiaryCommand {
    /// Register a person (with 身份证号) or an institution.
    Add {
        /// person or institution.
        #[arg(long, default_value = "person")]
        kind: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        id_number: Option<String>,
        /// Town code.
        #[arg(long)]
        town: String,
        #[arg(long, default_value = "")]
        household: String,
        #[arg(long, default_value = "")]
        tags: String,
        #[arg(long, default_value = "")]
        contact: String,
    },
    /// Import a CSV/XLSX list (kind, name, id_number, town, household, tags, contact).
    Import { file: PathBuf },
    /// List beneficiaries (masked unless --unmasked, which is audited).
    List {
        #[arg(long)]
        unmasked: bool,
    },
}

#[derive(Subcommand)]
pub enum GrantCommand {
    /// Propose a grant.
    Propose {
        #[arg(long)]
        programme: String,
        #[arg(long)]
        beneficiary: i64,
        /// In 元.
        #[arg(long)]
        amount: String,
        #[arg(long)]
        purpose: String,
        /// YYYY-MM-DD.
        #[arg(long)]
        date: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Approve (post and pay) a grant proposed by someone else.
    Approve { id: i64 },
    /// Reject a grant with its reason.
    Reject {
        id: i64,
        #[arg(long)]
        reason: String,
    },
    /// Approve every grant of a batch; prints each row's outcome.
    ApproveBatch { batch: i64 },
    /// List grants (names of people masked).
    List,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum OutputFormat {
    Text,
    Csv,
    Xlsx,
}

pub fn run(args: &WelfareArgs) -> Result<(), CliError> {
    let app = open_existing(&args.database_url)?;
    match &args.command {
        WelfareCommand::Report { year } => {
            let r = app.welfare_summary(*year).map_err(anyhow::Error::from)?;
            println!("{year}年彩票公益金使用情况");
            println!(
                "{:<12} {:<28} {:<6} {:>16} {:>16} {:>16}",
                "programme", "name", "类别", "budget", "spent", "remaining"
            );
            for p in &r.programmes {
                println!(
                    "{:<12} {:<28} {:<6} {:>16} {:>16} {:>16}",
                    p.code,
                    p.name,
                    p.category_name,
                    p.budget.to_string(),
                    p.spent.to_string(),
                    p.remaining.to_string()
                );
            }
            println!("by category:");
            for c in &r.by_category {
                println!(
                    "  {:<6} {:>4} grants {:>16}",
                    c.name,
                    c.grants,
                    c.amount.to_string()
                );
            }
            println!("by town:");
            for t in &r.by_town {
                println!(
                    "  {:<10} {:>4} grants {:>16}",
                    t.name,
                    t.grants,
                    t.amount.to_string()
                );
            }
            println!("total paid {}", r.total_paid);
        }
        WelfareCommand::Programme(c) => act(&app, args.user.as_deref(), |app, who| {
            Box::pin(programme(app, who, c))
        })?,
        WelfareCommand::Beneficiary(c) => act(&app, args.user.as_deref(), |app, who| {
            Box::pin(beneficiary(app, who, c))
        })?,
        WelfareCommand::Grant(c) => act(&app, args.user.as_deref(), |app, who| {
            Box::pin(grant(app, who, c))
        })?,
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
                        l.date, l.category, l.programme, l.beneficiary, l.town, l.purpose, l.amount
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
                emit_file(&bytes, f, output.as_deref())?;
            }
        },
    }
    Ok(())
}

async fn programme(
    app: &App,
    who: fucai_app::Principal,
    c: &ProgrammeCommand,
) -> Result<(), CliError> {
    match c {
        ProgrammeCommand::Create {
            code,
            name,
            category,
            year,
            budget,
        } => {
            let input = fucai_app::welfare::ProgrammeInput {
                code: code.clone(),
                name: name.clone(),
                category: category.clone(),
                year: *year,
                budget: CliError::money("--budget", budget, None)?,
            };
            let p = app.create_programme(&who, input).await.map_err(app_error)?;
            println!(
                "programme {} created ({}), budget {}",
                p.code, p.status, p.budget
            );
        }
        ProgrammeCommand::Approve { code } => {
            let p = app.approve_programme(&who, code).await.map_err(app_error)?;
            println!(
                "programme {} approved; {} reserved from the welfare fund",
                p.code, p.budget
            );
        }
        ProgrammeCommand::List => {
            for p in app.programmes(&who).map_err(app_error)? {
                println!(
                    "{} {} {} {} budget {} spent {}",
                    p.code, p.name, p.category, p.status, p.budget, p.spent
                );
            }
        }
    }
    Ok(())
}

async fn beneficiary(
    app: &App,
    who: fucai_app::Principal,
    c: &BeneficiaryCommand,
) -> Result<(), CliError> {
    match c {
        BeneficiaryCommand::Add {
            kind,
            name,
            id_number,
            town,
            household,
            tags,
            contact,
        } => {
            let input = fucai_app::welfare::BeneficiaryInput {
                kind: kind.clone(),
                name: name.clone(),
                id_number: id_number.clone(),
                town: town.clone(),
                household: household.clone(),
                tags: tags.clone(),
                contact: contact.clone(),
            };
            let added = app.add_beneficiary(&who, input).await.map_err(app_error)?;
            println!("beneficiary #{} registered", added.beneficiary.id);
            if !added.likely_duplicates.is_empty() {
                println!(
                    "warning: same name, birth date and town as #{:?}",
                    added.likely_duplicates
                );
            }
        }
        BeneficiaryCommand::Import { file } => {
            import_file(file, "beneficiaries", |bytes| async move {
                app.import_beneficiaries(&who, &bytes).await
            })
            .await?
        }
        BeneficiaryCommand::List { unmasked } => {
            for b in app
                .beneficiaries(&who, *unmasked)
                .await
                .map_err(app_error)?
            {
                println!(
                    "#{} {} {} {} {}",
                    b.id,
                    b.kind,
                    b.name,
                    b.id_number.unwrap_or_default(),
                    b.town
                );
            }
        }
    }
    Ok(())
}

async fn grant(app: &App, who: fucai_app::Principal, c: &GrantCommand) -> Result<(), CliError> {
    let show = |g: &fucai_app::welfare_rows::GrantRow| {
        println!(
            "grant #{} {} {} {} {} {}",
            g.id, g.programme_code, g.beneficiary_name, g.amount, g.grant_date, g.status
        )
    };
    match c {
        GrantCommand::Propose {
            programme,
            beneficiary,
            amount,
            purpose,
            date,
            note,
        } => {
            let input = fucai_app::welfare::GrantInput {
                beneficiary_id: *beneficiary,
                amount: CliError::money("--amount", amount, None)?,
                purpose: purpose.clone(),
                date: date.clone(),
                note: note.clone(),
            };
            for g in app
                .propose_grants(&who, programme, vec![input])
                .await
                .map_err(app_error)?
            {
                show(&g);
            }
        }
        GrantCommand::Approve { id } => {
            show(&app.approve_grant(&who, *id).await.map_err(app_error)?)
        }
        GrantCommand::Reject { id, reason } => show(
            &app.reject_grant(&who, *id, reason)
                .await
                .map_err(app_error)?,
        ),
        GrantCommand::ApproveBatch { batch } => {
            for d in app.approve_batch(&who, *batch).await.map_err(app_error)? {
                println!("grant #{}: {}", d.grant_id, d.message);
            }
        }
        GrantCommand::List => app
            .grants(&who, None)
            .map_err(app_error)?
            .iter()
            .for_each(show),
    }
    Ok(())
}
