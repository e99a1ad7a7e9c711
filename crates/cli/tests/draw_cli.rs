//! The draw commands on a demo database: seal a closed draw, check the seal (with and without
//! the database, and after tampering), four-eyes result entry, settle, announce; and the
//! transcript check that needs nothing but the transcript.

mod common;

use std::process::Command;

use common::{text, DemoDb};
use fucai_games::Game;
use fucai_store::repo::AuditReads;

#[test]
fn a_closed_draw_through_the_command_line() {
    let demo = DemoDb::new();
    let db = demo.url.clone();
    let fucai = |user: Option<(&str, &str)>, args: &[&str]| demo.run(user, args);
    let ops = demo.user("operations");
    let admin = demo.user("admin");
    let finance = demo.user("finance");

    // Yesterday's 快乐8 draw of the demo calendar has closed.
    let yesterday = fucai_app::beijing_date(fucai_app::now_ms()) - chrono::Duration::days(1);
    let draw = fucai_app::schedule_draws(Game::Kl8, yesterday, yesterday)[0]
        .number
        .to_string();

    let sealed = fucai(ops, &["draw", "seal", "kl8", &draw]);
    assert!(sealed.status.success(), "{}", text(&sealed));
    assert!(text(&sealed).contains("SHA-256"), "{}", text(&sealed));
    let again = fucai(ops, &["draw", "seal", "kl8", &draw]);
    assert!(!again.status.success(), "sealed once: {}", text(&again));

    let verified = fucai(None, &["draw", "verify-seal", "kl8", &draw]);
    assert!(verified.status.success(), "{}", text(&verified));
    // Anyone with the two files, no database.
    let seals = format!("{db}-seals");
    let file = format!("{seals}/kl8-{draw}.parquet");
    let manifest = format!("{seals}/kl8-{draw}.manifest.json");
    let alone = Command::new(env!("CARGO_BIN_EXE_fucai"))
        .args([
            "draw",
            "verify-seal",
            "--file",
            &file,
            "--manifest",
            &manifest,
        ])
        .output()
        .unwrap();
    assert!(alone.status.success(), "{}", text(&alone));

    let result = "01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20";
    let first = fucai(
        ops,
        &["draw", "enter-result", "kl8", &draw, "--numbers", result],
    );
    assert!(first.status.success(), "{}", text(&first));
    let wrong = fucai(
        admin,
        &[
            "draw",
            "enter-result",
            "kl8",
            &draw,
            "--numbers",
            &result.replace("20", "21"),
        ],
    );
    assert!(!wrong.status.success(), "a mismatch records nothing");
    assert!(
        text(&wrong).contains("nothing was recorded"),
        "{}",
        text(&wrong)
    );
    for user in [ops, admin] {
        let out = fucai(
            user,
            &["draw", "enter-result", "kl8", &draw, "--numbers", result],
        );
        assert!(out.status.success(), "{}", text(&out));
    }
    let settled = fucai(finance, &["draw", "settle", "kl8", &draw]);
    assert!(settled.status.success(), "{}", text(&settled));
    let announced = fucai(None, &["draw", "announce", "kl8", &draw]);
    assert!(
        text(&announced).contains("开奖公告"),
        "{}",
        text(&announced)
    );
    assert!(text(&announced).contains(result), "{}", text(&announced));
    let json = fucai(None, &["draw", "announce", "kl8", &draw, "--json"]);
    let a: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(a["result"], result);

    // Its claim period over, nothing was won: nothing moves, but the draw is closed.
    let expired = fucai(
        finance,
        &["draw", "expire", "kl8", &draw, "--today", "2099-01-01"],
    );
    assert!(expired.status.success(), "{}", text(&expired));
    assert!(text(&expired).contains("0 unclaimed"), "{}", text(&expired));

    let ledger = fucai(None, &["ledger", "verify"]);
    assert!(ledger.status.success(), "{}", text(&ledger));

    // One changed byte and the seal no longer verifies.
    let mut bytes = std::fs::read(&file).unwrap();
    let last = bytes.len() - 10;
    bytes[last] ^= 1;
    std::fs::write(&file, bytes).unwrap();
    let broken = fucai(None, &["draw", "verify-seal", "kl8", &draw]);
    assert!(!broken.status.success());
    assert!(text(&broken).contains("SHA-256"), "{}", text(&broken));
}

/// quicknet round 657413 (`https://api.drand.sh/52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971/public/657413`).
const QUICKNET_657413: &str = "b713718a38ae728dfd477991af2822e08d2f305e47718cef9f7848ce4050e7be41076862b98fad56e91a6b85b89cd97b";

#[test]
fn a_transcript_is_checked_from_itself_alone() {
    use fucai_settle::verifiable::{self, Beacon};
    let dir = tempfile::tempdir().unwrap();
    let secret = [7u8; 32];
    let seal = "5a".repeat(32);
    let round = fucai_settle::BeaconRound::verify(657_413, QUICKNET_657413).unwrap();
    let beacon = Beacon::Drand(round.clone());
    let (result, drawn) = verifiable::draw(Game::Ssq, &secret, &seal, &beacon).unwrap();
    let transcript = fucai_settle::Transcript {
        algorithm: beacon.algorithm().into(),
        game: "ssq".into(),
        draw: "2023108".into(),
        commitment: verifiable::commitment(&secret),
        committed_at: "2023-09-15T18:00:00+08:00".into(),
        secret: secret.iter().map(|b| format!("{b:02x}")).collect(),
        seal_sha256: seal.clone(),
        beacon: beacon.value(),
        drand: Some(round),
        sales_closed_at: Some("2023-09-15T18:59:00+08:00".into()),
        drawn,
        result: result.to_string(),
    };
    let path = dir.path().join("t.json");
    let check = |t: &fucai_settle::Transcript| {
        std::fs::write(&path, serde_json::to_string(t).unwrap()).unwrap();
        Command::new(env!("CARGO_BIN_EXE_fucai"))
            .args(["draw", "verify-transcript"])
            .arg(&path)
            .output()
            .unwrap()
    };
    let ok = check(&transcript);
    assert!(ok.status.success(), "{}", text(&ok));
    assert!(text(&ok).contains(&result.to_string()));
    assert!(
        text(&ok).contains("drand quicknet round 657413"),
        "{}",
        text(&ok)
    );

    let mut forged = transcript.clone();
    // One hex digit changed: four bits of the signature.
    let digit = if &QUICKNET_657413[11..12] == "0" {
        "1"
    } else {
        "0"
    };
    forged.drand.as_mut().unwrap().signature = format!(
        "{}{digit}{}",
        &QUICKNET_657413[..11],
        &QUICKNET_657413[12..]
    );
    let bad = check(&forged);
    assert!(!bad.status.success());
    assert!(text(&bad).contains("verification failed"), "{}", text(&bad));

    // A transcript of the old algorithm (an operator's beacon text) still verifies.
    let typed = Beacon::Operator("SZSE 10234.11".into());
    let (result, drawn) = verifiable::draw(Game::Ssq, &secret, &seal, &typed).unwrap();
    let old = fucai_settle::Transcript {
        algorithm: typed.algorithm().into(),
        beacon: typed.value(),
        drand: None,
        sales_closed_at: None,
        drawn,
        result: result.to_string(),
        ..transcript
    };
    assert!(check(&old).status.success());
    let mut forged = old.clone();
    forged.beacon = "SZSE 10234.12".into();
    assert!(!check(&forged).status.success());
}

/// The demo's rehearsed 双色球 draw has winners; one is paid through `fucai claim`, once.
#[test]
fn a_winning_ticket_of_the_demo_draw_is_paid_once_through_the_command_line() {
    let demo = DemoDb::new();
    let (serial, code, amount) = {
        let app = fucai_app::App::open(&fucai_app::Config::new(&demo.url)).unwrap();
        let draw = app.recent_results(Some("ssq"), 1).unwrap().remove(0).number;
        let tickets = app.store().read(|r| r.ticket_count()).unwrap();
        (1..=tickets)
            .find_map(|id| {
                let serial = fucai_store::Serial::new(1, draw.parse().unwrap(), id)
                    .unwrap()
                    .to_string();
                let ticket = app.store().read(|r| r.ticket_by_serial(&serial)).ok()?;
                let won = app.store().read(|r| r.ticket_winnings(ticket.id)).ok()?;
                let amount = won.first()?.amount.fen();
                Some((serial, ticket.verification_code, amount))
            })
            .expect("the rehearsed draw has a winning ticket")
    };
    let finance = demo.user("finance");
    let person = fucai_app::demo::id_number(
        "320412",
        chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap(),
        1,
    );
    let args = [
        "claim",
        "--serial",
        &serial,
        "--code",
        &code,
        "--claimant-id",
        &person,
    ];
    let paid = demo.run(finance, &args);
    assert!(paid.status.success(), "{}", text(&paid));
    assert!(
        text(&paid).contains("已在区福彩中心兑付"),
        "{}",
        text(&paid)
    );
    assert!(
        text(&paid).contains(&fucai_ledger::Money::from_fen(amount).to_string()),
        "{}",
        text(&paid)
    );
    let again = demo.run(finance, &args);
    assert!(!again.status.success(), "paid once: {}", text(&again));
    assert!(text(&again).contains("already paid"), "{}", text(&again));
    let ledger = demo.run(None, &["ledger", "verify"]);
    assert!(ledger.status.success(), "{}", text(&ledger));
}

/// `fucai audit verify` compares the chain with the head in every sealed manifest (the demo's
/// rehearsed draw has one) and with the heads it is given.
#[test]
fn audit_verify_checks_sealed_and_given_heads() {
    let demo = DemoDb::new();
    let plain = demo.run(None, &["audit", "verify"]);
    assert!(plain.status.success(), "{}", text(&plain));
    assert!(
        text(&plain).contains("published heads compared: 1"),
        "{}",
        text(&plain)
    );

    let head = fucai_store::Store::open(&demo.url)
        .unwrap()
        .read(|r| r.audit_head())
        .unwrap();
    let kept = format!("{}:{}", head.count, head.hash);
    let ok = demo.run(None, &["audit", "verify", "--head", &kept]);
    assert!(ok.status.success(), "{}", text(&ok));

    // A head the chain does not reach: records were removed since it was published.
    let beyond = format!("{}:{}", head.count + 10, head.hash);
    let cut = demo.run(None, &["audit", "verify", "--head", &beyond]);
    assert!(!cut.status.success(), "{}", text(&cut));
    assert!(text(&cut).contains("records removed"), "{}", text(&cut));

    let bad = demo.run(None, &["audit", "verify", "--head", "12:not-a-hash"]);
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad));
    assert!(text(&bad).contains("--head"), "{}", text(&bad));
}

/// The demo's rehearsed 双色球 draw re-settled by the public DuckDB query: every tier
/// confirmed, the outcome in the audit chain; a tampered sealed file is refused.
#[test]
fn a_settled_draw_is_reconciled_by_the_independent_query() {
    let demo = DemoDb::new();
    let draw = {
        let app = fucai_app::App::open(&fucai_app::Config::new(&demo.url)).unwrap();
        app.recent_results(Some("ssq"), 1).unwrap().remove(0).number
    };
    let ops = demo.user("operations");
    let refused = demo.run(ops, &["draw", "reconcile", "ssq", &draw]);
    assert!(!refused.status.success(), "operations do not reconcile");
    let auditor = demo.user("auditor");
    let out = demo.run(auditor, &["draw", "reconcile", "ssq", &draw]);
    let printed = text(&out);
    assert!(out.status.success(), "{printed}");
    assert!(printed.contains("reconciled"), "{printed}");
    // Every tier line confirmed, and at least one with winners.
    let tiers: Vec<&str> = printed
        .lines()
        .filter(|l| l.contains(" settled "))
        .collect();
    assert!(
        tiers.len() >= 6 && tiers.iter().all(|l| l.ends_with(" ok")),
        "{printed}"
    );
    assert!(
        tiers.iter().any(|l| !l.contains("settled            0 ")),
        "{printed}"
    );
    let app = fucai_app::App::open(&fucai_app::Config::new(&demo.url)).unwrap();
    let records = app
        .store()
        .read(|r| r.audit_records("draw.reconcile", &format!("ssq/{draw}")))
        .unwrap();
    assert!(
        records[0].object.ends_with(" reconciled"),
        "{:?}",
        records[0]
    );

    // The sealed file changed: refused before any count.
    let file = format!("{}-seals/ssq-{draw}.parquet", demo.url);
    let mut bytes = std::fs::read(&file).unwrap();
    let last = bytes.len() - 10;
    bytes[last] ^= 1;
    std::fs::write(&file, bytes).unwrap();
    let tampered = demo.run(auditor, &["draw", "reconcile", "ssq", &draw]);
    assert!(!tampered.status.success());
    assert!(
        text(&tampered).contains("changed since sealing"),
        "{}",
        text(&tampered)
    );
}
