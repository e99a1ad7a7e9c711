//! Crash safety: a load of concurrent sales against a `fucai serve` process that is killed
//! with SIGKILL mid-load, several times. Every acknowledged sale must survive, retries after
//! the restart must not sell twice, and the ledger and audit chain must verify.

use std::collections::{BTreeMap, HashMap};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fucai_app::{App, Config};
use fucai_store::repo::*;
use serde_json::{json, Value};

const ROUNDS: usize = 3;
const CLIENTS: usize = 16;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Seeds the demo district and a draw on sale now; returns (terminal code, secret) pairs.
fn seed(url: &str) -> Vec<(String, String)> {
    {
        let app = App::open(&Config::new(url)).unwrap();
        let today = chrono::Utc::now().date_naive();
        let credentials = fucai_app::demo::seed(&app, today).unwrap();
        fucai_app::demo::add_practice_draws(&app, fucai_games::Game::Ssq, 2098, 1).unwrap();
        credentials.active_terminals()
    }
}

fn spawn_server(url: &str, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_fucai"))
        .args([
            "serve",
            "--database-url",
            url,
            "--addr",
            &format!("127.0.0.1:{port}"),
        ])
        .env("FUCAI_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

async fn wait_ready(client: &reqwest::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if client.get(format!("{base}/healthz")).send().await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("server did not start");
}

fn sale(request_id: &str, n: usize) -> Value {
    let reds: Vec<String> = (0..6)
        .map(|k| ((n * 7 + k * 5) % 33 + 1).to_string())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let reds = if reds.len() == 6 {
        reds.join(" ")
    } else {
        "1 2 3 4 5 6".to_string()
    };
    json!({"request_id": request_id, "game": "ssq", "draw": "2098001", "selections": [format!("{reds} + {}", n % 16 + 1)]})
}

#[derive(Default)]
struct Outcomes {
    /// request id → serial, for every sale the server acknowledged.
    acknowledged: BTreeMap<String, String>,
    /// request ids sent without an answer (in flight at the kill).
    unanswered: Vec<(String, usize, usize)>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_sales_survive_kill_9_and_the_ledger_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().join("crash.db").display().to_string();
    let terminals = Arc::new(seed(&url));
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let outcomes = Arc::new(Mutex::new(Outcomes::default()));

    for round in 0..ROUNDS {
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let mut server = spawn_server(&url, port);
        wait_ready(&client, &base).await;
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let mut tasks = Vec::new();
        for c in 0..CLIENTS {
            let (client, base, terminals, outcomes, stop) = (
                client.clone(),
                base.clone(),
                terminals.clone(),
                outcomes.clone(),
                stop.clone(),
            );
            tasks.push(tokio::spawn(async move {
                let (code, secret) = &terminals[(round * CLIENTS + c) % terminals.len()];
                let mut n = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let request_id = format!("r{round}-c{c}-{n}");
                    let answer = client
                        .post(format!("{base}/api/v1/tickets"))
                        .header("authorization", format!("Terminal {code}:{secret}"))
                        .json(&sale(&request_id, n))
                        .send()
                        .await;
                    match answer {
                        Ok(r) if r.status().as_u16() == 201 => {
                            let t: Value = r.json().await.unwrap();
                            outcomes
                                .lock()
                                .unwrap()
                                .acknowledged
                                .insert(request_id, t["serial"].as_str().unwrap().to_string());
                        }
                        Ok(r) => panic!("unexpected answer {} for {request_id}", r.status()),
                        Err(_) => {
                            outcomes.lock().unwrap().unanswered.push((
                                request_id,
                                (round * CLIENTS + c) % terminals.len(),
                                n,
                            ));
                            break;
                        }
                    }
                    n += 1;
                }
            }));
        }
        // Let the load run, then pull the plug.
        tokio::time::sleep(Duration::from_millis(400 + 300 * round as u64)).await;
        server.kill().unwrap(); // SIGKILL
        server.wait().unwrap();
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        for t in tasks {
            t.await.unwrap();
        }
    }

    // Restart once more: retry every unanswered request; each sells at most once.
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = spawn_server(&url, port);
    wait_ready(&client, &base).await;
    let (acknowledged, unanswered) = {
        let o = outcomes.lock().unwrap();
        (o.acknowledged.clone(), o.unanswered.clone())
    };
    assert!(
        acknowledged.len() > 100,
        "the load sold only {} tickets",
        acknowledged.len()
    );
    let mut retried: HashMap<String, String> = HashMap::new();
    for (request_id, terminal, n) in &unanswered {
        let (code, secret) = &terminals[*terminal];
        let r = client
            .post(format!("{base}/api/v1/tickets"))
            .header("authorization", format!("Terminal {code}:{secret}"))
            .json(&sale(request_id, *n))
            .send()
            .await
            .unwrap();
        assert!(
            r.status().as_u16() == 201 || r.status().as_u16() == 200,
            "retry of {request_id}: {}",
            r.status()
        );
        let t: Value = r.json().await.unwrap();
        retried.insert(
            request_id.clone(),
            t["serial"].as_str().unwrap().to_string(),
        );
    }
    server.kill().unwrap();
    server.wait().unwrap();

    // Every acknowledged serial is in the database, once.
    let store = fucai_store::Store::open(&url).unwrap();
    for (request_id, serial) in &acknowledged {
        let t = store
            .read(|r| r.ticket_by_serial(serial))
            .unwrap_or_else(|e| panic!("acknowledged {serial} ({request_id}) lost: {e}"));
        assert_eq!(&t.request_id, request_id);
    }
    let total = store.read(|r| r.ticket_count()).unwrap() as usize;
    assert_eq!(
        total,
        acknowledged.len() + retried.len(),
        "tickets beyond the acknowledged and retried ones"
    );
    let check = store.read(|r| r.verify_ledger()).unwrap();
    assert!(check.is_ok(), "{check:?}");
    let (records, broken) = store.read(|r| r.verify_audit()).unwrap();
    assert!(broken.is_none(), "{broken:?}");
    assert!(records as usize > total);
    // And the command a center would run says the same.
    for args in [["ledger", "verify"], ["audit", "verify"]] {
        let out = Command::new(env!("CARGO_BIN_EXE_fucai"))
            .args(args)
            .args(["--database-url", &url])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "fucai {args:?}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    println!(
        "crash test: {} acknowledged over {ROUNDS} kills, {} retried after restart",
        acknowledged.len(),
        retried.len()
    );
}
