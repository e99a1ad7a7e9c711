//! `fucai bench sales`: N concurrent HTTP clients on loopback against a `fucai serve` process
//! (this same release binary) on a fresh database file, (a) with group commit and (b) with one
//! transaction per sale, in one run; then (c) the same sales straight into the use case, with
//! no HTTP, which is what storage alone sustains.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use fucai_app::{App, Config};
use fucai_store::repo::*;

use crate::error::CliError;
use crate::load_client::LoadClient;

/// Most clients the benchmark runs (each holds a connection).
const MAX_CLIENTS: usize = 1024;
const MAX_SECONDS: f64 = 600.0;
/// Load before measuring starts.
const WARM_UP: Duration = Duration::from_millis(500);
/// The draw every benchmark ticket is sold for (added as a practice draw).
const DRAW: &str = "2098001";

struct RunResult {
    tickets: usize,
    elapsed: Duration,
    latencies_us: Vec<u64>,
    /// CPU seconds of the serving process over the measured window.
    server_cpu: f64,
    /// CPU seconds of the serving process and the clients together.
    total_cpu: f64,
}

impl RunResult {
    fn rate(&self) -> f64 {
        self.tickets as f64 / self.elapsed.as_secs_f64()
    }

    fn us_per_ticket(&self, cpu_seconds: f64) -> f64 {
        cpu_seconds * 1e6 / self.tickets.max(1) as f64
    }

    fn percentile_ms(&self, p: f64) -> f64 {
        if self.latencies_us.is_empty() {
            return 0.0;
        }
        let i = ((self.latencies_us.len() as f64 - 1.0) * p).round() as usize;
        self.latencies_us[i] as f64 / 1000.0
    }
}

pub fn run(clients: usize, seconds: f64) -> Result<(), CliError> {
    if clients == 0 || clients > MAX_CLIENTS {
        return Err(CliError::input("--clients", format!("1–{MAX_CLIENTS}")));
    }
    if !(0.5..=MAX_SECONDS).contains(&seconds) {
        return Err(CliError::input("--seconds", format!("0.5–{MAX_SECONDS}")));
    }
    if cfg!(debug_assertions) {
        eprintln!("note: this is a debug build; run `cargo run --release -p fucai-cli -- bench sales` for real figures");
    }
    // One thread drives the clients (and, without HTTP, the use case): the server, like a
    // real deployment, gets the other cores.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .context("runtime")?;
    println!("fucai bench sales: {clients} clients, {seconds} s per configuration, loopback HTTP to a `fucai serve` process, fresh SQLite file (WAL, synchronous=FULL)");
    println!(
        "{:<28} {:>9} {:>10} {:>8} {:>8} {:>14} {:>13}",
        "configuration",
        "tickets",
        "tickets/s",
        "p50 ms",
        "p99 ms",
        "server CPU µs/t",
        "all CPU µs/t"
    );
    let mut results = Vec::new();
    for (label, max_batch, transport) in [
        ("group commit", fucai_app::MAX_BATCH, Transport::Http),
        ("one transaction per sale", 1, Transport::Http),
        (
            "group commit, no HTTP",
            fucai_app::MAX_BATCH,
            Transport::Direct,
        ),
    ] {
        let r = rt.block_on(run_one(
            clients,
            Duration::from_secs_f64(seconds),
            max_batch,
            transport,
        ))?;
        println!(
            "{label:<28} {:>9} {:>10.0} {:>8.2} {:>8.2} {:>14.0} {:>13.0}",
            r.tickets,
            r.rate(),
            r.percentile_ms(0.5),
            r.percentile_ms(0.99),
            r.us_per_ticket(r.server_cpu),
            r.us_per_ticket(r.total_cpu)
        );
        results.push(r);
    }
    println!(
        "group commit / baseline: {:.1}× tickets/s",
        results[0].rate() / results[1].rate().max(f64::MIN_POSITIVE)
    );
    println!("(CPU: user + system time per ticket over the measured window; \"server\" is the `fucai serve` process, \"all\" adds the clients, which share this machine's cores)");
    Ok(())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Transport {
    /// HTTP to a `fucai serve` child process.
    Http,
    /// Calls `App::sell` in-process: what storage alone sustains.
    Direct,
}

async fn run_one(
    clients: usize,
    duration: Duration,
    max_batch: usize,
    transport: Transport,
) -> Result<RunResult, CliError> {
    let path = std::env::temp_dir().join(format!(
        "fucai-bench-sales-{}-{max_batch}.db",
        std::process::id()
    ));
    remove_database(&path);
    let mut config = Config::new(path.display().to_string());
    config.max_batch = max_batch;
    let app = Arc::new(App::open(&config).map_err(anyhow::Error::from)?);
    let today = chrono::Utc::now().date_naive();
    let credentials = fucai_app::demo::seed(&app, today).map_err(anyhow::Error::from)?;
    fucai_app::demo::add_practice_draws(&app, fucai_games::Game::Ssq, 2098, 1)
        .map_err(anyhow::Error::from)?;
    let terminals = credentials.active_terminals();

    let server = match transport {
        Transport::Http => {
            // The server gets the database to itself.
            drop(app);
            Server::Process(ServeProcess::start(&path, max_batch)?)
        }
        Transport::Direct => Server::InProcess(app),
    };
    let server_addr = match &server {
        Server::Process(p) => Some(p.addr.clone()),
        Server::InProcess(_) => None,
    };

    let stop = Arc::new(AtomicBool::new(false));
    let measure_from = Instant::now() + WARM_UP;
    let mut tasks = Vec::with_capacity(clients);
    for c in 0..clients {
        let (server_addr, stop) = (server_addr.clone(), stop.clone());
        let (code, secret) = terminals[c % terminals.len()].clone();
        let direct = match &server {
            Server::InProcess(app) => Some((
                app.clone(),
                app.terminal(&code, &secret).map_err(anyhow::Error::from)?,
            )),
            Server::Process(_) => None,
        };
        tasks.push(tokio::spawn(async move {
            let mut http = match &server_addr {
                Some(addr) => Some(
                    LoadClient::connect(addr, &format!("Terminal {code}:{secret}"))
                        .await
                        .map_err(|e| format!("connecting to {addr}: {e}"))?,
                ),
                None => None,
            };
            let mut latencies = Vec::new();
            let mut n: u64 = 0;
            while !stop.load(Ordering::Relaxed) {
                let request_id = format!("c{c}-{n}");
                let selection = format!("{:02} 12 17 23 28 31 + {:02}", n % 11 + 1, n % 16 + 1);
                let sent = Instant::now();
                if let Some((app, principal)) = &direct {
                    let request = fucai_app::SaleRequest {
                        request_id,
                        game: "ssq".into(),
                        draw: DRAW.into(),
                        draws: 1,
                        multiple: 1,
                        selections: vec![selection],
                    };
                    app.sell(principal, request)
                        .await
                        .map_err(|e| e.to_string())?;
                } else if let Some(http) = &mut http {
                    let body = format!(
                        r#"{{"request_id":"{request_id}","game":"ssq","draw":"{DRAW}","selections":["{selection}"]}}"#
                    );
                    let answer = http.post_json("/api/v1/tickets", &body).await?;
                    if answer.status != 201 {
                        return Err(format!(
                            "sale answered {}: {}",
                            answer.status,
                            String::from_utf8_lossy(answer.body)
                        ));
                    }
                }
                if sent >= measure_from {
                    latencies.push(sent.elapsed().as_micros() as u64);
                }
                n += 1;
            }
            Ok(latencies)
        }));
    }
    tokio::time::sleep(WARM_UP).await;
    let (server_before, own_before) = (server.cpu_seconds(), cpu_seconds("self"));
    tokio::time::sleep(duration).await;
    stop.store(true, Ordering::Relaxed);
    let elapsed = measure_from.elapsed();
    let server_cpu = server.cpu_seconds() - server_before;
    let total_cpu = match &server {
        Server::Process(_) => server_cpu + cpu_seconds("self") - own_before,
        Server::InProcess(_) => server_cpu,
    };
    let mut latencies_us = Vec::new();
    for t in tasks {
        let l = t
            .await
            .context("client task")?
            .map_err(|e| anyhow::anyhow!(e))?;
        latencies_us.extend(l);
    }
    latencies_us.sort_unstable();
    drop(server);
    let verified = fucai_store::Store::open(&path.display().to_string())
        .and_then(|store| store.read(|r| r.verify_ledger()))
        .map_err(anyhow::Error::from)?;
    if !verified.is_ok() {
        return Err(CliError::Internal(anyhow::anyhow!(
            "ledger verify failed after the benchmark: {verified:?}"
        )));
    }
    remove_database(&path);
    Ok(RunResult {
        tickets: latencies_us.len(),
        elapsed,
        latencies_us,
        server_cpu,
        total_cpu,
    })
}

/// Who answers the sales.
enum Server {
    Process(ServeProcess),
    InProcess(Arc<App>),
}

impl Server {
    fn cpu_seconds(&self) -> f64 {
        match self {
            Server::Process(p) => cpu_seconds(&p.child.id().to_string()),
            Server::InProcess(_) => cpu_seconds("self"),
        }
    }
}

/// `fucai serve` on the benchmark's database, stopped when dropped.
struct ServeProcess {
    child: Child,
    addr: String,
}

impl ServeProcess {
    fn start(database: &Path, max_batch: usize) -> Result<ServeProcess, CliError> {
        let exe: PathBuf = std::env::current_exe().context("this program's path")?;
        let mut child = Command::new(exe)
            .args(["serve", "--addr", "127.0.0.1:0", "--max-batch"])
            .arg(max_batch.to_string())
            .arg("--database-url")
            .arg(database)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("starting `fucai serve`")?;
        // It prints "fucai serving on http://ADDR (…)" once it listens.
        let mut line = String::new();
        let stdout = child.stdout.take().context("server output")?;
        let mut output = std::io::BufReader::new(stdout);
        output
            .read_line(&mut line)
            .context("reading the server's address")?;
        // Its log goes to the same pipe: keep reading it so the server never blocks on it.
        std::thread::spawn(move || for _ in output.lines() {});
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .map(str::to_string);
        let Some(addr) = addr else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(CliError::Internal(anyhow::anyhow!(
                "`fucai serve` did not start: {line:?}"
            )));
        };
        Ok(ServeProcess { child, addr })
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// User + system CPU seconds a process has used (`/proc/<pid>/stat`, Linux; 0 elsewhere).
fn cpu_seconds(pid: &str) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0.0;
    };
    // Fields after the command name (which is in parentheses and may hold spaces):
    // utime and stime are the 12th and 13th, in clock ticks of 1/100 s.
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: Vec<f64> = after_name
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|t| t.parse().ok())
        .collect();
    ticks.iter().sum::<f64>() / 100.0
}

fn remove_database(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let _ = std::fs::remove_dir_all(format!("{}-seals", path.display()));
}
