//! `fucai hall …`, `fucai instant …` and `fucai report sales` on a demo database, signed in.

mod common;

use common::{text, DemoDb};

const STATION: &str = "32041201001";

#[test]
fn both_channels_are_run_and_reported_from_the_command_line() {
    let db = DemoDb::new();
    let admin = db.user("admin");
    let ops = db.user("operations");
    let finance = db.user("finance");
    let dir = db.dir.path();

    // 中福在线: a hall and two days that add up.
    let halls = dir.join("halls.csv");
    std::fs::write(
        &halls,
        format!("code,name,station,address,terminals,opening_hours,status,opening_card_balance\nH1,湖塘中福在线销售厅,{STATION},湖塘镇,20,09:00-22:00,open,0.00\n"),
    )
    .unwrap();
    let imported = db.run(admin, &["hall", "import", halls.to_str().unwrap()]);
    assert!(imported.status.success(), "{}", text(&imported));
    let days = dir.join("days.csv");
    std::fs::write(
        &days,
        "date,hall,wagered,prizes,top_ups,cash_outs,card_balance,terminals_online\n\
         2019-09-01,H1,1000.00,600.00,900.00,400.00,100.00,18\n\
         2019-09-02,H1,2000.00,1300.00,1500.00,900.00,0.00,18\n",
    )
    .unwrap();
    let imported = db.run(finance, &["hall", "import-days", days.to_str().unwrap()]);
    assert!(imported.status.success(), "{}", text(&imported));
    let again = db.run(finance, &["hall", "import-days", days.to_str().unwrap()]);
    assert!(!again.status.success(), "a hall-day once");
    assert!(
        text(&again).contains("already has a close"),
        "{}",
        text(&again)
    );
    let report = db.run(
        finance,
        &[
            "hall",
            "report",
            "H1",
            "--from",
            "2019-09-01",
            "--to",
            "2019-09-30",
        ],
    );
    assert!(
        text(&report).contains("投注额 3,000.00元"),
        "{}",
        text(&report)
    );

    // 即开票: a winner file, packs to a station, one on sale.
    let mut winners = String::from("pack,ticket,code,prize\n");
    let prizes = [(500, 1), (100, 10), (50, 20), (20, 100), (10, 200)];
    for group in 0..2 {
        let mut k = 0;
        for (yuan, n) in prizes {
            for _ in 0..n {
                let index = k * 3;
                winners.push_str(&format!(
                    "{},{},{:08},{yuan}.00\n",
                    group * 50 + index / 20 + 1,
                    index % 20 + 1,
                    k + 1000 * group
                ));
                k += 1;
            }
        }
    }
    let file = dir.join("winners.csv");
    std::fs::write(&file, &winners).unwrap();
    let out = db.run(
        ops,
        &[
            "instant",
            "winners",
            "HY10",
            "190001",
            file.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("662 winners"), "{}", text(&out));
    for step in [
        vec!["instant", "scan", "receive", "HY10-190001-0001"],
        vec![
            "instant",
            "scan",
            "issue",
            "HY10-190001-0001",
            "--station",
            STATION,
        ],
        vec!["instant", "scan", "confirm", "HY10-190001-0001"],
    ] {
        let out = db.run(ops, &step);
        assert!(out.status.success(), "{step:?}: {}", text(&out));
    }
    let twice = db.run(ops, &["instant", "scan", "confirm", "HY10-190001-0001"]);
    assert!(!twice.status.success(), "no state twice");
    let on_sale = db.run(ops, &["instant", "scan", "activate", "HY10-190001-0001"]);
    assert!(
        text(&on_sale).contains("sales recognised 200.00元"),
        "{}",
        text(&on_sale)
    );
    let paid = db.run(
        finance,
        &[
            "instant",
            "claim",
            "HY10-190001-0001-001",
            "--code",
            "00000000",
        ],
    );
    assert!(text(&paid).contains("中奖 500.00元"), "{}", text(&paid));
    let stock = db.run(ops, &["instant", "stock"]);
    assert!(
        text(&stock).contains("agrees with the packs' moves: yes"),
        "{}",
        text(&stock)
    );
    let prizes = db.run(None, &["instant", "prizes"]);
    assert!(
        text(&prizes).contains("500.00元: 2 winners, 1 paid, 1 left"),
        "{}",
        text(&prizes)
    );

    // Every channel in one report, and the ledger reconciles.
    let report = db.run(
        finance,
        &[
            "report",
            "sales",
            "--from",
            "2019-09-01",
            "--to",
            "2019-09-30",
            "--by",
            "channel",
            "--format",
            "csv",
        ],
    );
    assert!(text(&report).contains("vlt,3000.00"), "{}", text(&report));
    let verify = db.run(None, &["ledger", "verify"]);
    assert!(verify.status.success(), "{}", text(&verify));
    // The demo's halls and this one.
    let wagered = fucai_ledger::Money::from_yuan(fucai_app::demo::reference::VLT_YUAN + 3_000);
    assert!(
        text(&verify).contains(&format!(
            "中福在线 hall closes: wagered {wagered} vs receivable posted for them {wagered}"
        )),
        "{}",
        text(&verify)
    );
}

/// Sums one integer column of the demo database, independently of fucai's code.
fn sum(db: &DemoDb, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(&db.url).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn the_summary_comes_from_the_ledger_and_the_registers() {
    let db = DemoDb::new();
    let finance = db.user("finance");
    let out = db.run(
        finance,
        &[
            "report",
            "summary",
            "--from",
            "2019-01-01",
            "--to",
            "2019-08-31",
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let s: serde_json::Value = serde_json::from_str(&text(&out)).unwrap();
    // Each figure recomputed from the database's rows (the period: 2019-01-01 00:00 to
    // 2019-09-01 00:00 Beijing time, in Unix ms).
    let computer = sum(
        &db,
        "SELECT SUM(amount_fen) FROM daily_sales WHERE sale_date BETWEEN '2019-01-01' AND '2019-08-31'",
    );
    let vlt = sum(
        &db,
        "SELECT SUM(wagered_fen) FROM hall_days WHERE current = 1 AND day BETWEEN '2019-01-01' AND '2019-08-31'",
    );
    let welfare = -sum(
        &db,
        "SELECT SUM(l.amount_fen) FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id
         WHERE l.account = 'district/320412/welfare' AND e.kind IN ('daily_sales', 'hall_sales', 'instant_sales', 'sale', 'cancel')
           AND e.posted_at >= 1546272000000 AND e.posted_at < 1567267200000",
    );
    let history = sum(
        &db,
        "SELECT SUM(computer_fen + instant_fen + vlt_fen) FROM history_years",
    );
    assert_eq!(s["sales_fen"]["computer"], computer);
    assert_eq!(s["sales_fen"]["vlt"], vlt);
    assert_eq!(
        s["sales_fen"]["total"],
        computer + vlt + s["sales_fen"]["instant"].as_i64().unwrap()
    );
    assert_eq!(s["welfare_raised_fen"], welfare);
    assert_eq!(
        s["cumulative"]["sales_fen"],
        history + s["sales_fen"]["total"].as_i64().unwrap()
    );
    let history_welfare = sum(&db, "SELECT SUM(welfare_fen) FROM history_years");
    assert_eq!(s["cumulative"]["welfare_fen"], history_welfare + welfare);
    assert_eq!(s["cumulative"]["since_year"], 1987);
    assert_eq!(s["cumulative"]["years"], 32);
    let sessions = sum(
        &db,
        "SELECT COUNT(*) FROM training_sessions WHERE held_on BETWEEN '2019-01-01' AND '2019-08-31'",
    );
    let person_times = sum(
        &db,
        "SELECT COUNT(*) FROM training_attendance a JOIN training_sessions t ON t.id = a.session_id
         WHERE a.person_id IS NOT NULL AND t.held_on BETWEEN '2019-01-01' AND '2019-08-31'",
    );
    let stations_trained = sum(
        &db,
        "SELECT COUNT(DISTINCT p.station_id) FROM training_attendance a JOIN station_people p ON p.id = a.person_id",
    );
    assert_eq!(s["training"]["sessions"], sessions);
    assert_eq!(s["training"]["person_times"], person_times);
    assert!(
        (600..700).contains(&person_times),
        "600余人次: {person_times}"
    );
    // The stations open in the period: all but the one closed before it began (none here).
    let open = sum(&db, "SELECT COUNT(*) FROM stations");
    let pct = s["training"]["coverage_pct"].as_f64().unwrap();
    assert!(
        (pct - (stations_trained * 1000 / open) as f64 / 10.0).abs() < 0.11,
        "{pct}"
    );
    assert_eq!(s["grants"][0]["category"], "济困");
    assert_eq!(s["grants"][0]["recipients"], 12);
    assert_eq!(s["grants"][0]["amount_fen"], 2_400_000);
    // The year's visits (every finding rectified), campaign rewards and youth event.
    assert_eq!(
        sum(
            &db,
            "SELECT COUNT(*) FROM findings WHERE status <> 'closed'"
        ),
        0
    );
    assert!(sum(&db, "SELECT COUNT(*) FROM findings") >= 12);
    assert_eq!(
        sum(
            &db,
            "SELECT COUNT(*) FROM campaign_rewards WHERE given_on = '2019-06-27'"
        ),
        3
    );
    assert_eq!(
        sum(
            &db,
            "SELECT participants FROM activities WHERE starts_on = '2019-05-05'"
        ),
        40
    );
    for check in [["ledger", "verify"], ["audit", "verify"]] {
        let out = db.run(None, &check);
        assert!(out.status.success(), "{check:?}: {}", text(&out));
    }
    // As the reference publishes them (DESIGN.md §1).
    let text = s["text"].as_str().unwrap();
    for figure in [
        "共销售福利彩票2.08亿元",
        "电脑票销售1.02亿元",
        "即开票销售1063万元",
        "中福在线销售9481万元",
        "共筹集福彩公益金1872万元",
        "开展投注站业务培训3期，培训600余人次，培训覆盖率93%",
        "自1987年发行福利彩票32年来",
        "累计销售福利彩票34亿元",
        "筹集福彩公益金3亿元",
    ] {
        assert!(text.contains(figure), "{figure}: {text}");
    }
}
