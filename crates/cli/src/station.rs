//! `fucai station …` (the station register's upkeep: list, suspend, reopen, close, history,
//! terminals, station people) and `fucai user …` (account administration), acting as a
//! signed-in person.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use fucai_app::network::{RemittanceInput, StationMove, StationPersonInput};
use fucai_app::{App, Format, Principal};
use fucai_ledger::Money;

use crate::error::CliError;
use crate::server::DEFAULT_DATABASE;
use crate::session::{act, app_error, emit_file, import_file, open_existing};

/// Where a command acts and who acts.
#[derive(Args)]
pub struct Acting {
    #[arg(long, env = "FUCAI_DATABASE_URL", default_value = DEFAULT_DATABASE, global = true)]
    pub database_url: String,
    /// The person acting; the password comes from FUCAI_PASSWORD or the first line of
    /// standard input.
    #[arg(long, global = true)]
    pub user: Option<String>,
}

impl Acting {
    /// Opens the database, signs the person in and runs `f` as them.
    pub fn run<'a, F>(&self, app: &'a App, f: F) -> Result<(), CliError>
    where
        F: FnOnce(&'a App, Principal) -> crate::session::Action<'a>,
    {
        act(app, self.user.as_deref(), f)
    }

    pub fn open(&self) -> Result<App, CliError> {
        open_existing(&self.database_url)
    }
}

#[derive(Args)]
pub struct StationArgs {
    #[command(subcommand)]
    pub command: StationCommand,
    #[command(flatten)]
    pub acting: Acting,
}

#[derive(Subcommand)]
pub enum StationCommand {
    /// List stations, optionally of one town and/or in one status.
    List {
        #[arg(long)]
        town: Option<String>,
        /// active, suspended or closed.
        #[arg(long)]
        status: Option<String>,
    },
    /// Suspend a station (its sales are refused until it reopens).
    Suspend {
        code: String,
        #[arg(long)]
        reason: String,
    },
    /// Reopen a suspended station.
    Reopen {
        code: String,
        #[arg(long)]
        reason: String,
    },
    /// Close a station for good on a date (YYYY-MM-DD); its terminals are disabled.
    Close {
        code: String,
        #[arg(long)]
        on: String,
        #[arg(long)]
        reason: String,
    },
    /// Every move of a station's status.
    History { code: String },
    /// Terminals: disable, enable, replace (new credentials).
    #[command(subcommand)]
    Terminal(TerminalCommand),
    /// The people who work at stations.
    #[command(subcommand)]
    Person(PersonCommand),
    /// Set a station's credit limit (its deposit, in 元) and days to remit.
    Terms {
        code: String,
        #[arg(long)]
        credit_limit: String,
        #[arg(long, default_value_t = 7)]
        remit_days: i64,
    },
    /// Record a remittance (缴款) in 元: cash, transfer or bank_debit.
    Remit {
        code: String,
        #[arg(long)]
        amount: String,
        #[arg(long)]
        method: String,
        #[arg(long, default_value = "")]
        reference: String,
        #[arg(long)]
        paid_on: String,
    },
    /// The periodic bank debit: every station with an account agreement (terms) that owes
    /// anything has all of it debited as of a day.
    BankDebit {
        #[arg(long)]
        on: String,
    },
    /// Settle a station's commission: --deduct (from what it owes) or paid out.
    Commission {
        code: String,
        #[arg(long)]
        deduct: bool,
    },
    /// A station's statement (对账单) of a period; --output FILE writes CSV (or XLSX with --xlsx).
    Statement {
        code: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        output: Option<PathBuf>,
        #[arg(long)]
        xlsx: bool,
    },
    /// Stations owing takings older than their days to remit.
    Overdue,
}

#[derive(Subcommand)]
pub enum TerminalCommand {
    Disable {
        code: String,
    },
    Enable {
        code: String,
    },
    /// New credentials: the new secret is printed once, the old one is refused.
    Replace {
        code: String,
    },
}

#[derive(Subcommand)]
pub enum PersonCommand {
    /// Add an owner or clerk to a station's register.
    Add {
        #[arg(long)]
        station: String,
        /// owner or clerk.
        #[arg(long)]
        role: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        phone: String,
        #[arg(long)]
        id_number: String,
        #[arg(long)]
        from_on: String,
        #[arg(long)]
        to_on: Option<String>,
        #[arg(long, default_value = "")]
        certificates: String,
    },
    /// A person left their station on a date.
    Leave {
        id: i64,
        #[arg(long)]
        to_on: String,
    },
    /// List station people (身份证号 masked), of one station or all.
    List {
        #[arg(long)]
        station: Option<String>,
    },
    /// Import a CSV/XLSX list (station, role, name, phone, id_number, from_on[, to_on,
    /// certificates]); all rows or none.
    Import { file: PathBuf },
    /// Export the list as CSV (standard output or --output) or XLSX (--output).
    Export {
        #[arg(long)]
        output: Option<PathBuf>,
        #[arg(long)]
        xlsx: bool,
    },
}

pub fn run(args: &StationArgs) -> Result<(), CliError> {
    let app = args.acting.open()?;
    args.acting
        .run(&app, |app, who| Box::pin(station(app, who, &args.command)))
}

async fn station(app: &App, who: Principal, c: &StationCommand) -> Result<(), CliError> {
    let moved = |s: fucai_app::StationRow| {
        println!("station {} is {} {}", s.code, s.status, s.status_reason);
    };
    match c {
        StationCommand::List { town, status } => {
            let stations = app
                .stations_where(&who, town.as_deref(), status.as_deref())
                .map_err(app_error)?;
            for s in &stations {
                println!(
                    "{} {} {} {} {}",
                    s.code, s.status, s.town_code, s.name, s.status_reason
                );
            }
            println!("{} stations", stations.len());
        }
        StationCommand::Suspend { code, reason } => moved(
            app.move_station(
                &who,
                code,
                StationMove::Suspend {
                    reason: reason.clone(),
                },
            )
            .await
            .map_err(app_error)?,
        ),
        StationCommand::Reopen { code, reason } => moved(
            app.move_station(
                &who,
                code,
                StationMove::Reopen {
                    reason: reason.clone(),
                },
            )
            .await
            .map_err(app_error)?,
        ),
        StationCommand::Close { code, on, reason } => {
            let change = StationMove::Close {
                on: on.clone(),
                reason: reason.clone(),
            };
            moved(
                app.move_station(&who, code, change)
                    .await
                    .map_err(app_error)?,
            )
        }
        StationCommand::History { code } => {
            for e in app.station_history(&who, code).map_err(app_error)? {
                println!(
                    "{} {} → {} by {}: {}",
                    e.effective_on, e.from, e.to, e.actor, e.reason
                );
            }
        }
        StationCommand::Terminal(t) => terminal(app, &who, t).await?,
        StationCommand::Person(p) => person(app, &who, p).await?,
        StationCommand::Terms {
            code,
            credit_limit,
            remit_days,
        } => {
            let limit = CliError::money("--credit-limit", credit_limit, Some(Money::ZERO))?;
            let t = app
                .set_station_terms(&who, code, limit, *remit_days)
                .await
                .map_err(app_error)?;
            println!(
                "station {code}: credit limit {}, {} days to remit",
                t.credit_limit, t.remit_days
            );
        }
        StationCommand::Remit {
            code,
            amount,
            method,
            reference,
            paid_on,
        } => {
            let input = RemittanceInput {
                station: code.clone(),
                amount: CliError::money("--amount", amount, Some(Money::from_fen(1)))?,
                method: method.clone(),
                reference: reference.clone(),
                paid_on: paid_on.clone(),
            };
            let r = app
                .record_remittance(&who, input)
                .await
                .map_err(app_error)?;
            println!(
                "remittance #{} of {} from station {} recorded",
                r.id, r.amount, r.station_code
            );
        }
        StationCommand::BankDebit { on } => {
            let rows = app.debit_stations(&who, on).await.map_err(app_error)?;
            for r in &rows {
                println!("{} debited {}", r.station_code, r.amount);
            }
            println!("{} stations debited on {on}", rows.len());
        }
        StationCommand::Commission { code, deduct } => {
            let settled = app
                .settle_commission(&who, code, *deduct)
                .await
                .map_err(app_error)?;
            let how = if *deduct {
                "deducted at source"
            } else {
                "paid out"
            };
            println!("station {code}: commission {settled} {how}");
        }
        StationCommand::Statement {
            code,
            from,
            to,
            output,
            xlsx,
        } => {
            let s = app
                .station_statement(&who, code, from, to)
                .map_err(app_error)?;
            if output.is_some() || *xlsx {
                let format = if *xlsx { Format::Xlsx } else { Format::Csv };
                let bytes = app.export_statement(&s, format).map_err(app_error)?;
                emit_file(&bytes, format, output.as_deref())?;
            } else {
                print_statement(&s);
            }
        }
        StationCommand::Overdue => {
            for o in app.overdue_stations(&who).map_err(app_error)? {
                println!(
                    "{} {} owes {}, overdue {} ({} days to remit)",
                    o.station, o.name, o.owed, o.overdue, o.remit_days
                );
            }
        }
    }
    Ok(())
}

fn print_statement(s: &fucai_app::network::StationStatement) {
    println!(
        "{} {} 对账单 {} 至 {}",
        s.station, s.station_name, s.from, s.to
    );
    for (label, amount) in s.owed_lines().into_iter().chain(s.commission_lines()) {
        println!("  {label:<10} {amount:>18}");
    }
}

async fn terminal(app: &App, who: &Principal, c: &TerminalCommand) -> Result<(), CliError> {
    match c {
        TerminalCommand::Disable { code } | TerminalCommand::Enable { code } => {
            let enabled = matches!(c, TerminalCommand::Enable { .. });
            app.set_terminal_enabled(who, code, enabled)
                .await
                .map_err(app_error)?;
            let state = if enabled { "enabled" } else { "disabled" };
            println!("terminal {code} {state}");
        }
        TerminalCommand::Replace { code } => {
            let secret = app.replace_terminal(who, code).await.map_err(app_error)?;
            println!("terminal {code} replaced; its new secret (shown once): {secret}");
        }
    }
    Ok(())
}

async fn person(app: &App, who: &Principal, c: &PersonCommand) -> Result<(), CliError> {
    match c {
        PersonCommand::Add {
            station,
            role,
            name,
            phone,
            id_number,
            from_on,
            to_on,
            certificates,
        } => {
            let input = StationPersonInput {
                station: station.clone(),
                role: role.clone(),
                name: name.clone(),
                phone: phone.clone(),
                id_number: id_number.clone(),
                from_on: from_on.clone(),
                to_on: to_on.clone(),
                certificates: certificates.clone(),
            };
            let p = app
                .add_station_person(who, input)
                .await
                .map_err(app_error)?;
            println!(
                "person #{} added to station {} ({})",
                p.id, p.station, p.role
            );
        }
        PersonCommand::Leave { id, to_on } => {
            let p = app
                .end_station_person(who, *id, to_on)
                .await
                .map_err(app_error)?;
            println!("person #{} left station {} on {to_on}", p.id, p.station);
        }
        PersonCommand::List { station } => {
            for p in app
                .station_people(who, station.as_deref())
                .map_err(app_error)?
            {
                println!(
                    "#{} {} {} {} {} {} {}..{} {}",
                    p.id,
                    p.station,
                    p.role,
                    p.name,
                    p.phone,
                    p.id_number,
                    p.from_on,
                    p.to_on.as_deref().unwrap_or(""),
                    p.certificates
                );
            }
        }
        PersonCommand::Import { file } => {
            import_file(file, "station people", |bytes| async move {
                app.import_station_people(who, &bytes).await
            })
            .await?
        }
        PersonCommand::Export { output, xlsx } => {
            let format = if *xlsx { Format::Xlsx } else { Format::Csv };
            let bytes = app.export_station_people(who, format).map_err(app_error)?;
            emit_file(&bytes, format, output.as_deref())?;
        }
    }
    Ok(())
}

#[derive(Args)]
pub struct UserArgs {
    #[command(subcommand)]
    pub command: UserCommand,
    #[command(flatten)]
    pub acting: Acting,
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Deactivate an account: sign-in refused, its sessions ended.
    Deactivate { username: String },
    /// Reactivate an account.
    Activate { username: String },
    /// A new first password (printed once); the person's sessions end.
    ResetPassword { username: String },
    /// Another role (a station role with --station); the person's sessions end.
    Role {
        username: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        station: Option<String>,
    },
}

pub fn run_user(args: &UserArgs) -> Result<(), CliError> {
    let app = args.acting.open()?;
    args.acting.run(&app, |app, who| {
        Box::pin(async move {
            match &args.command {
                UserCommand::Deactivate { username } | UserCommand::Activate { username } => {
                    let active = matches!(args.command, UserCommand::Activate { .. });
                    app.set_user_active(&who, username, active)
                        .await
                        .map_err(app_error)?;
                    let state = if active { "active" } else { "deactivated" };
                    println!("user {username} {state}");
                }
                UserCommand::ResetPassword { username } => {
                    let password = app
                        .reset_password(&who, username)
                        .await
                        .map_err(app_error)?;
                    println!("user {username}: new password (shown once): {password}");
                }
                UserCommand::Role {
                    username,
                    role,
                    station,
                } => {
                    app.change_role(&who, username, role, station.as_deref())
                        .await
                        .map_err(app_error)?;
                    println!("user {username} is now {role}");
                }
            }
            Ok(())
        })
    })
}
