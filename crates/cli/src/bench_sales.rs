//! `fucai bench sales`: N concurrent HTTP clients on loopback against the server on a fresh
//! database file, (a) with group commit and (b) with one transaction per sale, in one run.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use fucai_app::{App, Config};

use crate::error::CliError;
use fucai_store::repo::*;

/// Most clients the benchmark runs (each holds a connection).
const MAX_CLIENTS: usize = 1024;
const MAX_SECONDS: f64 = 600.0;
/// Load before measuring starts.
const WARM_UP: Duration = Duration::from_millis(500);

struct RunResult {
    tickets: usize,
    elapsed: Duration,
    latencies_us: Vec<u64>,
    cpu_seconds: f64,
}

impl RunResult {
    fn rate(&self) -> f64 {
        self.tickets as f64 / self.elapsed.as_secs_f64()
    }

    fn cpu_us_per_ticket(&self) -> f64 {
        self.cpu_seconds * 1e6 / self.tickets.max(1) as f64
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
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("runtime")?;
    println!("fucai bench sales: {clients} clients, {seconds} s per configuration, loopback HTTP, fresh SQLite file (WAL, synchronous=FULL)");
    println!(
        "{:<28} {:>10} {:>12} {:>10} {:>10} {:>12}",
        "configuration", "tickets", "tickets/s", "p50 ms", "p99 ms", "CPU µs/t"
    );
    let mut results = Vec::new();
    // The last one is the storage ceiling: the same sales straight into the use case.
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
            "{label:<28} {:>10} {:>12.0} {:>10.2} {:>10.2} {:>12.0}",
            r.tickets,
            r.rate(),
            r.percentile_ms(0.5),
            r.percentile_ms(0.99),
            r.cpu_us_per_ticket()
        );
        results.push(r);
    }
    println!(
        "group commit / baseline: {:.1}× tickets/s",
        results[0].rate() / results[1].rate().max(f64::MIN_POSITIVE)
    );
    println!("(CPU = this process's user + system time per ticket: server, writer and the clients together)");
    Ok(())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Transport {
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
    let principals: Vec<fucai_app::Principal> = terminals
        .iter()
        .map(|(code, secret)| app.terminal(code, secret))
        .collect::<Result<_, _>>()
        .map_err(anyhow::Error::from)?;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .context("bind")?;
    let sell_url = reqwest::Url::parse(&format!(
        "http://{}/api/v1/tickets",
        listener.local_addr().context("addr")?
    ))
    .context("url")?;
    let server = tokio::spawn(fucai_web::serve(app.clone(), listener, Default::default()));
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .build()
        .context("client")?;

    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let measure_from = started + WARM_UP;
    let mut tasks = Vec::with_capacity(clients);
    for c in 0..clients {
        let (client, sell_url, stop) = (client.clone(), sell_url.clone(), stop.clone());
        let (code, secret) = terminals[c % terminals.len()].clone();
        let principal = principals[c % principals.len()].clone();
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let auth = format!("Terminal {code}:{secret}");
            let mut latencies = Vec::new();
            let mut n: u64 = 0;
            while !stop.load(Ordering::Relaxed) {
                let body = format!(
                    r#"{{"request_id":"c{c}-{n}","game":"ssq","draw":"2098001","selections":["{:02} 12 17 23 28 31 + {:02}"]}}"#,
                    n % 11 + 1,
                    n % 16 + 1
                );
                let sent = Instant::now();
                if transport == Transport::Direct {
                    let request = fucai_app::SaleRequest {
                        request_id: format!("c{c}-{n}"),
                        game: "ssq".into(),
                        draw: "2098001".into(),
                        draws: 1,
                        multiple: 1,
                        selections: vec![format!("{:02} 12 17 23 28 31 + {:02}", n % 11 + 1, n % 16 + 1)],
                    };
                    app.sell(&principal, request).await.map_err(|e| e.to_string())?;
                    if sent >= measure_from {
                        latencies.push(sent.elapsed().as_micros() as u64);
                    }
                    n += 1;
                    continue;
                }
                let r = client.post(sell_url.clone()).header("authorization", &auth).header("content-type", "application/json").body(body).send().await;
                match r {
                    Ok(r) if r.status().as_u16() == 201 => {
                        let _ = r.bytes().await;
                        if sent >= measure_from {
                            latencies.push(sent.elapsed().as_micros() as u64);
                        }
                    }
                    Ok(r) => return Err(format!("sale answered {}: {}", r.status(), r.text().await.unwrap_or_default())),
                    Err(e) => return Err(e.to_string()),
                }
                n += 1;
            }
            Ok(latencies)
        }));
    }
    tokio::time::sleep(WARM_UP).await;
    let cpu_before = process_cpu_seconds();
    tokio::time::sleep(duration).await;
    stop.store(true, Ordering::Relaxed);
    let elapsed = measure_from.elapsed();
    let cpu_seconds = process_cpu_seconds() - cpu_before;
    let mut latencies_us = Vec::new();
    for t in tasks {
        let l = t
            .await
            .context("client task")?
            .map_err(|e| anyhow::anyhow!(e))?;
        latencies_us.extend(l);
    }
    latencies_us.sort_unstable();
    server.abort();
    let verified = app
        .store()
        .read(|r| r.verify_ledger())
        .map_err(anyhow::Error::from)?;
    if !verified.is_ok() {
        return Err(CliError::Internal(anyhow::anyhow!(
            "ledger verify failed after the benchmark: {verified:?}"
        )));
    }
    drop(app);
    remove_database(&path);
    Ok(RunResult {
        tickets: latencies_us.len(),
        elapsed,
        latencies_us,
        cpu_seconds,
    })
}

/// User + system CPU seconds this process has used (Linux `/proc/self/stat`; 0 elsewhere).
fn process_cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
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

fn remove_database(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let _ = std::fs::remove_dir_all(format!("{}-seals", path.display()));
}
