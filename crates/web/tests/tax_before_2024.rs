//! Claims of a draw held before 2024-09-01, when one 中奖收入 was the prize of a single bet:
//! the whole process runs as if it were August 2024 (its own test binary, since the clock
//! shift is process-wide).

mod common;

use chrono::TimeZone;
use common::draws::{id_number, settled_draw, staff};
use common::{start, OWN_STATION};
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn before_september_2024_each_bet_is_taxed_on_its_own() {
    // 2024-08-20 12:00 Beijing time.
    let then = fucai_app::beijing()
        .with_ymd_and_hms(2024, 8, 20, 12, 0, 0)
        .unwrap()
        .timestamp_millis();
    fucai_app::set_clock(then);

    let s = start().await;
    let staff = staff(&s).await;
    // 快乐8 under its 2020 rules: 选七中七 10,000元, 选八中八 50,000元.
    let result = "01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20";
    let seven = "x7 01 02 03 04 05 06 07";
    let sold = settled_draw(
        &s,
        &staff,
        "kl8",
        "2024230",
        &[
            &[seven],
            &["x8 01 02 03 04 05 06 07 08"],
            &[seven],
            &[seven],
        ],
        result,
    )
    .await;
    let claim = |i: usize, person: u16, at_station: bool| {
        let body = json!({
            "serial": sold[i]["serial"],
            "code": sold[i]["verification_code"],
            "claimant_id": id_number(person),
        });
        let request = s.client.post(s.url("/api/v1/claims")).json(&body);
        let request = if at_station {
            request.headers(s.terminal(OWN_STATION))
        } else {
            request.headers(s.session_headers(&staff.finance))
        };
        async move {
            let r = request.send().await.unwrap();
            let status = r.status();
            (status, r.json::<Value>().await.unwrap())
        }
    };

    // 10,000元 exactly: free.
    let (st, paid) = claim(0, 41, true).await;
    assert_eq!(st, StatusCode::OK, "{paid}");
    assert_eq!(paid["draws"][0]["tax_fen"], 0);
    // One bet of 50,000元: 20% of it, at the district.
    let (st, paid) = claim(1, 42, false).await;
    assert_eq!(st, StatusCode::OK, "{paid}");
    assert_eq!(paid["draws"][0]["gross_fen"], 5_000_000);
    assert_eq!(paid["draws"][0]["tax_fen"], 1_000_000);
    // One person's two tickets of 10,000元 each: each bet is its own 中奖收入, so neither is
    // taxed and each is paid at a station (from 2024-09-01 the second would withhold 4,000元).
    for ticket in [2, 3] {
        let (st, paid) = claim(ticket, 43, true).await;
        assert_eq!(st, StatusCode::OK, "{paid}");
        assert_eq!(paid["draws"][0]["tax_fen"], 0, "{paid}");
        assert_eq!(paid["net_fen"], 1_000_000);
    }
    let ledger = s.get_json("/api/v1/ledger/verify", &staff.finance).await;
    assert_eq!(ledger["ok"], true, "{ledger}");
}
