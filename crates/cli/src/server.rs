//! `fucai serve` and `fucai demo`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::Args;
use fucai_app::{App, Config};

use crate::error::CliError;

/// Where the database lives unless told otherwise.
pub const DEFAULT_DATABASE: &str = "fucai.db";
pub const DEMO_DATABASE: &str = "fucai-demo.db";

#[derive(Args)]
pub struct ServeArgs {
    /// Database URL (a file path or sqlite://PATH).
    #[arg(long, env = "FUCAI_DATABASE_URL", default_value = DEFAULT_DATABASE)]
    pub database_url: String,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Mark the session cookie Secure (when served over TLS).
    #[arg(long)]
    pub secure_cookies: bool,
    /// Requests per group commit (1 = one transaction per request).
    #[arg(long, default_value_t = fucai_app::MAX_BATCH)]
    pub max_batch: usize,
    /// Seconds after a sale during which its terminal may cancel it.
    #[arg(long, default_value_t = 300)]
    pub cancel_window_s: u32,
    /// Largest 中奖收入 a station pays, in 元 (above it: the district center).
    #[arg(long, default_value = "10000")]
    pub station_claim_limit: String,
    /// Largest 中奖收入 the district center pays, in 元 (above it: the provincial center).
    #[arg(long, default_value = "500000")]
    pub district_claim_limit: String,
    /// Where sealed draw files are kept (default: `<database>-seals` beside the database).
    #[arg(long)]
    pub seal_dir: Option<PathBuf>,
    /// The audit chain's key file (default: `<database>.audit-key` beside the database). Keep
    /// it readable by fucai only, and back it up apart from the database.
    #[arg(long, env = "FUCAI_AUDIT_KEY_FILE")]
    pub audit_key_file: Option<PathBuf>,
    /// Threads answering HTTP (default: one fewer than the cores, at least one, so that the
    /// group-commit writer keeps a core of its own).
    #[arg(long)]
    pub workers: Option<usize>,
    /// Re-settle every draw independently right after it is settled (the public DuckDB query;
    /// needs Python 3 with the duckdb package) and record the verdict in the audit chain.
    #[arg(long)]
    pub reconcile_after_settlement: bool,
    /// A verifiable draw commits to the first drand quicknet round signed this many seconds
    /// after its sales cutoff (time to write and publish the seal first).
    #[arg(long, default_value_t = 900)]
    pub beacon_margin_s: u32,
    /// A verifiable draw must be run within this many seconds of its round; later it is
    /// marked late, and one not run by then abandoned (on its public page and in the audit chain).
    #[arg(long, default_value_t = 7200, value_parser = clap::value_parser!(u32).range(60..))]
    pub reveal_window_s: u32,
}

fn claim_limit(field: &'static str, text: &str) -> Result<fucai_ledger::Money, CliError> {
    CliError::money(field, text, Some(fucai_ledger::Money::from_fen(1)))
}

#[derive(Args)]
pub struct DemoArgs {
    /// Database URL of the demo (created and seeded when empty).
    #[arg(long, env = "FUCAI_DATABASE_URL", default_value = DEMO_DATABASE)]
    pub database_url: String,
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Seed and exit without serving.
    #[arg(long)]
    pub no_serve: bool,
}

/// Most HTTP worker threads `--workers` accepts.
const MAX_WORKERS: usize = 256;

fn runtime(workers: Option<usize>) -> Result<tokio::runtime::Runtime, CliError> {
    let workers = match workers {
        Some(n) if (1..=MAX_WORKERS).contains(&n) => n,
        Some(_) => return Err(CliError::input("--workers", format!("1–{MAX_WORKERS}"))),
        // Every sale ends on the one writer thread; HTTP threads beyond the other cores
        // only take turns with it.
        None => {
            std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1).max(1))
        }
    };
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .context("starting the async runtime")?)
}

fn init_logging() {
    let filter =
        tracing_subscriber::EnvFilter::try_from_env("FUCAI_LOG").unwrap_or_else(|_| "info".into());
    let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
}

pub fn serve(args: &ServeArgs) -> Result<(), CliError> {
    init_logging();
    let rt = runtime(args.workers)?;
    rt.block_on(async {
        let mut config = Config::new(&args.database_url);
        config.max_batch = args.max_batch;
        config.cancel_window_ms = i64::from(args.cancel_window_s) * 1000;
        config.seal_dir = args.seal_dir.clone();
        config.reconcile_after_settlement = args.reconcile_after_settlement;
        config.beacon_timing = fucai_app::BeaconTiming {
            margin_ms: i64::from(args.beacon_margin_s) * 1000,
            reveal_window_ms: i64::from(args.reveal_window_s) * 1000,
        };
        if let Some(key_file) = &args.audit_key_file {
            config.audit_key_file = Some(key_file.clone());
        }
        config.claim_limits = fucai_app::ClaimLimits {
            station: claim_limit("--station-claim-limit", &args.station_claim_limit)?,
            district: claim_limit("--district-claim-limit", &args.district_claim_limit)?,
        };
        if config.claim_limits.station > config.claim_limits.district {
            return Err(CliError::input(
                "--station-claim-limit",
                "must not exceed --district-claim-limit",
            ));
        }
        let app = Arc::new(App::open(&config).map_err(|e| CliError::input("--database-url", e))?);
        run_server(app, args.addr, args.secure_cookies).await
    })
}

async fn run_server(app: Arc<App>, addr: SocketAddr, secure_cookies: bool) -> Result<(), CliError> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| CliError::input("--addr", format!("cannot listen on {addr}: {e}")))?;
    println!(
        "fucai serving on http://{} (API: /api/v1, OpenAPI: /api/v1/openapi.json)",
        listener.local_addr().map_err(anyhow::Error::from)?
    );
    tokio::spawn(schedule(app.clone()));
    fucai_web::serve_with(
        app,
        listener,
        fucai_web::WebOptions { secure_cookies },
        fucai_web::ServeOptions::fitted_to_descriptor_limit(),
    )
    .await
    .context("serving")?;
    Ok(())
}

/// How often the scheduler looks for draws to seal and claim periods that ended.
const SCHEDULE_EVERY: std::time::Duration = std::time::Duration::from_secs(15);

/// Seals each draw at its cutoff, marks verifiable draws not run in their window abandoned,
/// settles instant packs by their game's rule, keeps the draw calendar scheduled to its
/// rolling horizon, and expires unclaimed prizes after their claim period.
async fn schedule(app: Arc<App>) {
    let mut tick = tokio::time::interval(SCHEDULE_EVERY);
    loop {
        tick.tick().await;
        match app.seal_due_draws().await {
            Ok(round) => {
                if !round.sealed.is_empty() {
                    tracing::info!(sealed = ?round.sealed, "sealed draws at cutoff");
                }
                for (draw, e) in &round.failed {
                    tracing::error!(draw, "sealing failed, retrying next round: {e}");
                }
            }
            Err(e) => tracing::error!("listing the draws to seal: {e}"),
        }
        match app.mark_abandoned_draws().await {
            Ok(marked) if !marked.is_empty() => {
                tracing::warn!(?marked, "verifiable draws not run within their window after the drand round: marked abandoned")
            }
            Ok(_) => {}
            Err(e) => tracing::error!("marking abandoned draws: {e}"),
        }
        match app.settle_due_packs().await {
            Ok(settled) if !settled.is_empty() => {
                tracing::info!(?settled, "即开票 packs settled by their game's rule")
            }
            Ok(_) => {}
            Err(e) => tracing::error!("settling instant packs: {e}"),
        }
        let today = fucai_app::beijing_date(fucai_app::now_ms());
        match app.extend_calendar(today).await {
            Ok(added) if !added.is_empty() => {
                tracing::info!(?added, "draw calendar extended to the horizon")
            }
            Ok(_) => {}
            Err(e) => tracing::error!("extending the draw calendar: {e}"),
        }
        match app.expire_due_draws(today).await {
            Ok(expired) if !expired.is_empty() => {
                tracing::info!(?expired, "unclaimed prizes moved to the welfare fund")
            }
            Ok(_) => {}
            Err(e) => tracing::error!("expiring draws: {e}"),
        }
    }
}

pub fn demo(args: &DemoArgs) -> Result<(), CliError> {
    init_logging();
    let started = std::time::Instant::now();
    let rt = runtime(None)?;
    rt.block_on(async {
        let app = Arc::new(
            App::open(&Config::new(&args.database_url))
                .map_err(|e| CliError::input("--database-url", e))?,
        );
        let today = fucai_app::beijing_date(fucai_app::now_ms());
        match fucai_app::demo::seed(&app, today) {
            Ok(credentials) => {
                let file = PathBuf::from(format!(
                    "{}.credentials.txt",
                    fucai_store::sqlite_path(&args.database_url)
                        .map_err(anyhow::Error::from)?
                        .display()
                ));
                let mut text =
                    String::from("# fucai demo credentials\n# users: username role password\n");
                println!(
                    "demo district seeded in {}: 武进区, 12 towns, {} stations with terminals",
                    args.database_url,
                    credentials.terminals.len()
                );
                println!("users (username / role / password):");
                for (user, role, password) in &credentials.users {
                    println!("  {user:<14} {:<14} {password}", role.code());
                    text.push_str(&format!("{user} {} {password}\n", role.code()));
                }
                text.push_str(
                    "# terminals: code station secret (Authorization: Terminal CODE:SECRET)\n",
                );
                for (code, station, secret) in &credentials.terminals {
                    text.push_str(&format!("{code} {station} {secret}\n"));
                }
                std::fs::write(&file, text)
                    .with_context(|| format!("writing {}", file.display()))?;
                let bar = indicatif::ProgressBar::new(fucai_app::demo::REFERENCE_STEPS);
                bar.set_style(
                    indicatif::ProgressStyle::with_template("{elapsed:>4} [{bar:30}] {pos}/{len} {msg}")
                        .expect("a valid template")
                        .progress_chars("=> "),
                );
                let step = |name: &str| {
                    if bar.position() > 0 || !bar.message().is_empty() {
                        bar.inc(1);
                    }
                    bar.set_message(name.to_string());
                };
                fucai_app::demo::seed_reference_year_with(&app, &step)
                    .await
                    .map_err(|e| CliError::Internal(anyhow::anyhow!(e)))?;
                bar.finish_with_message("reference year seeded");
                println!("reference year 2019 (to 31 Aug): 电脑票, 即开票 and 中福在线 sales, the 1987–2018 totals, station training, and the 济困 / 扶老 / 救孤 grants — `fucai report summary --from 2019-01-01 --to 2019-08-31 --user finance` prints the paragraph");
                println!("public disclosure: http://{}/welfare/disclosure?year=2019", args.addr);
                println!(
                    "staff console: http://{addr}/console (sign in as finance with the password above); the reference year's dashboard: http://{addr}/console?from=2019-01-01&to=2019-08-31",
                    addr = args.addr
                );
                let rehearsal = fucai_app::demo::rehearse_last_draw(&app, &credentials)
                    .await
                    .map_err(|e| CliError::Internal(anyhow::anyhow!(e)))?;
                let a = &rehearsal.announcement;
                println!(
                    "last 双色球 draw rehearsed: {} 第{}期 sold {} bets, sealed, result entered by two people ({}), settled: {} in prizes",
                    a.game_name,
                    a.draw,
                    a.bets,
                    a.result,
                    a.prizes
                );
                println!("results: http://{}/draws (开奖公告 http://{}/draws/ssq/{})", args.addr, args.addr, a.draw);
                let (code, _, secret) = &credentials.terminals[0];
                println!("terminal example: Authorization: Terminal {code}:{secret}");
                println!("all credentials: {}", file.display());
                if let Some(draw) = app
                    .open_draws(Some(fucai_games::Game::Ssq), fucai_app::now_ms(), 1)
                    .ok()
                    .and_then(|d| d.into_iter().next())
                {
                    println!("sell a ticket (paste as is):");
                    println!(
                        "  curl -s -X POST http://{}/api/v1/tickets -H 'Authorization: Terminal {code}:{secret}' -H 'content-type: application/json' -d '{{\"request_id\":\"r1\",\"game\":\"ssq\",\"draw\":\"{}\",\"selections\":[\"01 02 03 04 05 06 + 07\"]}}'",
                        args.addr, draw.number
                    );
                }
                if let Some((serial, code, prize)) = &rehearsal.winner {
                    println!("a winning ticket of that draw ({prize}): http://{}/check?serial={serial}&code={code}", args.addr);
                    println!("  pay it: fucai claim --serial {serial} --code {code} --user finance --database-url {}", args.database_url);
                }
                println!("demo ready in {:.1} s", started.elapsed().as_secs_f64());
            }
            Err(fucai_app::AppError::Conflict(_)) => println!(
                "{} is already seeded; credentials are in its .credentials.txt file",
                args.database_url
            ),
            Err(e) => return Err(CliError::Internal(anyhow::anyhow!(e))),
        }
        if args.no_serve {
            return Ok(());
        }
        run_server(app, args.addr, false).await
    })
}
