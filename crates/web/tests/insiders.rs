//! Someone with write access to the database (and the seal directory) edits the record
//! behind fucai's back. Each edit that used to pass both verifies is now reported.

mod common;

use common::draws::*;
use common::*;
use fucai_app::now_ms;
use fucai_app::Role;
use fucai_games::{Game, Selection};
use fucai_settle::{LineColumns, SealHeader, SealWriter, SealedLine};
use hmac_sha256_chain::*;
use reqwest::StatusCode;
use serde_json::Value;

/// The insider's own connection to the database file.
fn db(s: &Server) -> rusqlite::Connection {
    let c = rusqlite::Connection::open(s.dir.path().join("test.db")).unwrap();
    c.busy_timeout(std::time::Duration::from_secs(10)).unwrap();
    c
}

/// Checks the chain as an auditor (reading it writes nothing to it).
async fn audit_verify(s: &Server, auditor: &Session, query: &str) -> Value {
    s.get_json(&format!("/api/v1/audit/verify{query}"), auditor)
        .await
}

async fn audit_head(s: &Server) -> (i64, String) {
    let (st, head) = public(s, "/api/v1/public/audit-head").await;
    assert_eq!(st, StatusCode::OK);
    (
        head["count"].as_i64().unwrap(),
        head["hash"].as_str().unwrap().to_string(),
    )
}

async fn sell_a_few(s: &Server, n: usize) -> Vec<Value> {
    let mut sold = Vec::new();
    for _ in 0..n {
        sold.push(
            sell(
                s,
                OWN_STATION,
                "ssq",
                "2098001",
                &["01 02 03 04 05 06 + 07"],
            )
            .await,
        );
    }
    sold
}

/// How an insider recomputes the chain's links: with the key when they have stolen it, with
/// plain SHA-256 when they have not.
mod hmac_sha256_chain {
    use hmac::{Hmac, Mac};
    use sha2::{Digest, Sha256};

    pub fn fields(rec: &(i64, i64, String, String, String, String, String)) -> Vec<u8> {
        let (id, at, actor, action, object, payload_hash, prev) = rec;
        let mut out = Vec::new();
        for f in [
            id.to_string(),
            at.to_string(),
            actor.clone(),
            action.clone(),
            object.clone(),
            payload_hash.clone(),
            prev.clone(),
        ] {
            out.extend_from_slice(&(f.len() as u64).to_be_bytes());
            out.extend_from_slice(f.as_bytes());
        }
        out
    }

    pub fn link(key: Option<&[u8]>, data: &[u8]) -> String {
        match key {
            Some(k) => {
                let mut mac = Hmac::<Sha256>::new_from_slice(k).unwrap();
                mac.update(data);
                hex::encode(mac.finalize().into_bytes())
            }
            None => hex::encode(Sha256::digest(data)),
        }
    }
}

/// Edits record `id`'s object and recomputes every later link (and the edited one).
fn rewrite_from(c: &rusqlite::Connection, id: i64, key: Option<&[u8]>) {
    c.execute(
        "UPDATE audit_log SET object = object || ' (edited)' WHERE id = ?1",
        [id],
    )
    .unwrap();
    let mut prev: String = c
        .query_row("SELECT hash FROM audit_log WHERE id = ?1", [id - 1], |r| {
            r.get(0)
        })
        .unwrap();
    let rows: Vec<(i64, i64, String, String, String, String, String)> = c
        .prepare("SELECT id, at, actor, action, object, payload_hash, prev_hash FROM audit_log WHERE id >= ?1 ORDER BY id")
        .unwrap()
        .query_map([id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for mut rec in rows {
        rec.6 = prev.clone();
        let hash = link(key, &fields(&rec));
        c.execute(
            "UPDATE audit_log SET prev_hash = ?1, hash = ?2 WHERE id = ?3",
            rusqlite::params![rec.6, hash, rec.0],
        )
        .unwrap();
        prev = hash;
    }
}

#[tokio::test]
async fn removing_the_newest_audit_records_is_found_against_a_published_head() {
    let s = start().await;
    let auditor = s.login(Role::Auditor).await;
    sell_a_few(&s, 3).await;
    let (count, hash) = audit_head(&s).await;
    let kept = format!("?count={count}&hash={hash}");
    assert_eq!(audit_verify(&s, &auditor, &kept).await["ok"], true);

    db(&s)
        .execute("DELETE FROM audit_log WHERE id > ?1", [count - 2])
        .unwrap();
    let plain = audit_verify(&s, &auditor, "").await;
    assert_eq!(plain["ok"], true, "a cut chain is still whole: {plain}");
    let against_head = audit_verify(&s, &auditor, &kept).await;
    assert_eq!(against_head["ok"], false, "{against_head}");
    let why = against_head["head_mismatches"][0].as_str().unwrap();
    assert!(why.contains("records removed"), "{why}");
}

#[tokio::test]
async fn a_sealed_manifest_carries_the_head_and_catches_a_cut_chain() {
    let s = start().await;
    let auditor = s.login(Role::Auditor).await;
    let draw = "2098111";
    short_draw(&s, "ssq", draw, now_ms() + 3_600_000);
    sell(&s, OWN_STATION, "ssq", draw, &["01 02 03 04 05 06 + 07"]).await;
    wait_for_cutoff().await;
    let round = s.app.seal_due_draws().await.unwrap();
    assert!(round.failed.is_empty(), "{round:?}");
    let manifest = fucai_settle::Manifest::read(&fucai_app::draws::manifest_path(
        s.app.seal_dir(),
        Game::Ssq,
        draw,
    ))
    .unwrap();
    let head = manifest
        .audit_head
        .expect("the manifest records the audit head");
    assert!(head.count > 0);
    assert_eq!(audit_verify(&s, &auditor, "").await["ok"], true);

    db(&s)
        .execute("DELETE FROM audit_log WHERE id >= ?1", [head.count])
        .unwrap();
    let check = audit_verify(&s, &auditor, "").await;
    assert_eq!(check["ok"], false, "{check}");
    let why = check["head_mismatches"].to_string();
    assert!(why.contains(&format!("ssq-{draw}.manifest.json")), "{why}");
}

#[tokio::test]
async fn an_edited_record_with_every_later_hash_recomputed_is_found() {
    let s = start().await;
    let auditor = s.login(Role::Auditor).await;
    sell_a_few(&s, 4).await;
    let (count, hash) = audit_head(&s).await;
    let target = count - 2;

    // Without the key: the chain itself shows the edit.
    rewrite_from(&db(&s), target, None);
    let check = audit_verify(&s, &auditor, "").await;
    assert_eq!(check["ok"], false, "{check}");
    assert_eq!(check["broken_at"], target);
    assert!(
        check["reason"].as_str().unwrap().contains("keyed"),
        "{check}"
    );

    // With the stolen key the chain is whole again, but not the one that was published.
    let key_file = s.dir.path().join("test.db.audit-key");
    let key = hex::decode(std::fs::read_to_string(key_file).unwrap().trim()).unwrap();
    rewrite_from(&db(&s), target + 1, Some(&key));
    rewrite_from(&db(&s), target, Some(&key));
    assert_eq!(audit_verify(&s, &auditor, "").await["ok"], true);
    let against_head = audit_verify(&s, &auditor, &format!("?count={count}&hash={hash}")).await;
    assert_eq!(against_head["ok"], false, "{against_head}");
    assert!(
        against_head["head_mismatches"][0]
            .as_str()
            .unwrap()
            .contains("rewritten"),
        "{against_head}"
    );
}

#[tokio::test]
async fn a_sale_deleted_with_its_entry_and_balances_is_found_by_its_audit_record() {
    let s = start().await;
    let sold = sell_a_few(&s, 2).await;
    let finance = s.login(Role::Finance).await;
    assert_eq!(
        s.get_json("/api/v1/ledger/verify", &finance).await["ok"],
        true
    );

    let serial = sold[1]["serial"].as_str().unwrap();
    let c = db(&s);
    let (ticket_id, entry_id): (i64, i64) = c
        .query_row(
            "SELECT t.id, e.id FROM tickets t JOIN journal_entries e ON e.entry_key = 'sale:' || t.serial WHERE t.serial = ?1",
            [serial],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    c.execute_batch(&format!(
        "BEGIN;
         UPDATE accounts SET balance_fen = balance_fen - (SELECT SUM(l.amount_fen) FROM journal_lines l WHERE l.entry_id = {entry_id} AND l.account = accounts.code)
           WHERE code IN (SELECT account FROM journal_lines WHERE entry_id = {entry_id});
         DELETE FROM journal_lines WHERE entry_id = {entry_id};
         DELETE FROM journal_entries WHERE id = {entry_id};
         DELETE FROM ticket_lines WHERE ticket_id = {ticket_id};
         DELETE FROM ticket_draws WHERE ticket_id = {ticket_id};
         DELETE FROM tickets WHERE id = {ticket_id};
         COMMIT;"
    ))
    .unwrap();
    let check = s.get_json("/api/v1/ledger/verify", &finance).await;
    assert_eq!(check["ok"], false, "{check}");
    assert_eq!(check["sale_records_without_ticket"], 1, "{check}");
    assert_eq!(check["tickets_without_entry"], 0, "{check}");
    assert!(
        check["balance_mismatches"].as_array().unwrap().is_empty(),
        "{check}"
    );
}

#[tokio::test]
async fn a_sealed_file_rewritten_with_its_manifest_and_stored_hash_is_found() {
    let s = start().await;
    let draw = "2098112";
    short_draw(&s, "ssq", draw, now_ms() + 3_600_000);
    let kept = sell(&s, OWN_STATION, "ssq", draw, &["01 02 03 04 05 06 + 07"]).await;
    sell(&s, OWN_STATION, "ssq", draw, &["08 09 10 11 12 13 + 14"]).await;
    wait_for_cutoff().await;
    assert!(s.app.seal_due_draws().await.unwrap().failed.is_empty());
    s.app.verify_seal("ssq", draw).unwrap();

    // A new file with only the first ticket's line, its manifest, and the stored hash.
    let path = s.app.seal_dir().join(format!("ssq-{draw}.parquet"));
    let mut writer = SealWriter::create(
        &path,
        SealHeader {
            game: Game::Ssq,
            draw: draw.to_string(),
        },
    )
    .unwrap();
    let mut columns = LineColumns::default();
    let serial: i64 = kept["serial"].as_str().unwrap().parse().unwrap();
    let selection = Selection::parse(Game::Ssq, "01 02 03 04 05 06 + 07").unwrap();
    columns.push(&SealedLine::new(serial, 1, OWN_STATION, &selection));
    writer.write(&columns).unwrap();
    let forged = writer.finish().unwrap();
    forged
        .write(&fucai_app::draws::manifest_path(
            s.app.seal_dir(),
            Game::Ssq,
            draw,
        ))
        .unwrap();
    db(&s)
        .execute(
            "UPDATE draw_seals SET sha256 = ?1, rows = ?2, bets = ?3, amount_fen = ?4, bytes = ?5
             WHERE draw_id = (SELECT id FROM draws WHERE game = 'ssq' AND number = ?6)",
            rusqlite::params![
                forged.sha256,
                forged.rows as i64,
                forged.bets as i64,
                forged.amount_fen,
                forged.bytes as i64,
                draw
            ],
        )
        .unwrap();
    let err = s.app.verify_seal("ssq", draw).unwrap_err().to_string();
    assert!(err.contains("sealing audit record"), "{err}");
}
