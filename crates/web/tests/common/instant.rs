//! 即开票 fixtures: a winner file for a batch, written out here with the game's exact prize
//! structure per prize group, and pack moves over HTTP.

use std::collections::HashMap;

use reqwest::StatusCode;
use serde_json::{json, Value};

use super::draws::{post, post_with_terminal};
use super::{Server, Session};

/// A batch's winner file and its winners: (pack, ticket) → (code, prize in 分).
pub struct WinnerFile {
    pub csv: String,
    pub winners: HashMap<(u32, u32), (String, i64)>,
}

/// The game's prize levels (元, winners per group), largest first.
fn levels(game: &str) -> Vec<(i64, usize)> {
    match game {
        "HY10" => vec![(500, 1), (100, 10), (50, 20), (20, 100), (10, 200)],
        "FMT5" => vec![(100, 5), (20, 50), (10, 200), (5, 600)],
        other => panic!("no fixture for {other}"),
    }
}

/// A group's winners, the largest prizes first.
pub fn winner_file(game: &str, packs: u32, tickets_per_pack: u32, group_packs: u32) -> WinnerFile {
    let mut csv = String::from("pack,ticket,code,prize\n");
    let mut winners = HashMap::new();
    let prizes: Vec<i64> = levels(game)
        .into_iter()
        .flat_map(|(yuan, n)| std::iter::repeat_n(yuan, n))
        .collect();
    // Winners spread evenly: every third ticket of a group, or closer where there are more.
    let stride = (group_packs * tickets_per_pack / prizes.len() as u32).min(3);
    for group in 0..packs / group_packs {
        for (k, yuan) in prizes.iter().enumerate() {
            let index = k as u32 * stride;
            let pack = group * group_packs + index / tickets_per_pack + 1;
            let ticket = index % tickets_per_pack + 1;
            let code = format!("{:08}", (pack * 1000 + ticket) * 7919 % 100_000_000);
            csv.push_str(&format!("{pack},{ticket},{code},{yuan}.00\n"));
            winners.insert((pack, ticket), (code, yuan * 100));
        }
    }
    WinnerFile { csv, winners }
}

/// Scans packs as `who` (a person) and answers the status and body.
pub async fn scan(
    s: &Server,
    who: &Session,
    action: &str,
    packs: &[&str],
    station: Option<&str>,
) -> (StatusCode, Value) {
    post(
        s,
        who,
        &format!("/api/v1/instant/scans/{action}"),
        json!({"packs": packs, "station": station, "note": ""}),
    )
    .await
}

/// Scans packs at a station's terminal.
pub async fn scan_at(
    s: &Server,
    station: &str,
    action: &str,
    packs: &[&str],
) -> (StatusCode, Value) {
    post_with_terminal(
        s,
        station,
        &format!("/api/v1/instant/scans/{action}"),
        json!({"packs": packs}),
    )
    .await
}
