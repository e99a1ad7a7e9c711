//! `fucai station …` and `fucai user …` on a demo database, signed in.

mod common;

use common::{text, DemoDb};

/// `fucai station person add` of an owner; its output.
fn person(
    db: &DemoDb,
    ops: Option<(&str, &str)>,
    station: &str,
    phone: &str,
) -> std::process::Output {
    db.run(
        ops,
        &[
            "station",
            "person",
            "add",
            "--station",
            station,
            "--role",
            "owner",
            "--name",
            "周建国",
            "--phone",
            phone,
            "--id-number",
            "11010519491231002X",
            "--from-on",
            "2015-04-01",
        ],
    )
}

/// Adds an owner; answers their id.
fn add_owner(db: &DemoDb, ops: Option<(&str, &str)>, station: &str, phone: &str) -> String {
    let added = person(db, ops, station, phone);
    assert!(added.status.success(), "{}", text(&added));
    id_after_hash(&text(&added))
}

/// The number after the first `#` of a command's output ("training session #4 recorded").
fn id_after_hash(out: &str) -> String {
    out.split('#')
        .nth(1)
        .map(|rest| rest.chars().take_while(char::is_ascii_digit).collect())
        .unwrap_or_else(|| panic!("no id in {out}"))
}

#[test]
fn the_station_register_is_kept_from_the_command_line() {
    let db = DemoDb::new();
    let ops = db.user("operations");
    let admin = db.user("admin");

    let suspended = db.run(
        ops,
        &[
            "station",
            "suspend",
            "32041201002",
            "--reason",
            "未按时缴款",
        ],
    );
    assert!(suspended.status.success(), "{}", text(&suspended));
    let list = db.run(ops, &["station", "list", "--status", "suspended"]);
    let out = text(&list);
    assert!(
        out.contains("32041201002 suspended") && out.contains("未按时缴款"),
        "{out}"
    );
    let bad = db.run(ops, &["station", "list", "--status", "sleeping"]);
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad));
    assert!(text(&bad).contains("status"));

    // Operations may not administer accounts; the admin may.
    let refused = db.run(ops, &["user", "deactivate", "stationclerk"]);
    assert!(!refused.status.success());
    let done = db.run(admin, &["user", "reset-password", "stationclerk"]);
    assert!(text(&done).contains("shown once"), "{}", text(&done));

    add_owner(&db, ops, "32041201002", "13905190099");
    let missing_field = person(&db, ops, "32041201002", "1");
    assert_eq!(missing_field.status.code(), Some(2));
    assert!(
        text(&missing_field).contains("phone"),
        "{}",
        text(&missing_field)
    );
    let csv = db.run(ops, &["station", "person", "export"]);
    let out = text(&csv);
    assert!(
        out.contains("周建国") && out.contains("1101**********002X"),
        "{out}"
    );

    let history = db.run(ops, &["station", "history", "32041201002"]);
    assert!(
        text(&history).contains("active → suspended by user:operations: 未按时缴款"),
        "{}",
        text(&history)
    );
}

#[test]
fn a_training_session_and_its_report_from_the_command_line() {
    let db = DemoDb::new();
    let ops = db.user("operations");
    let person = add_owner(&db, ops, "32041201001", "13905190099");
    let created = db.run(
        ops,
        &[
            "training",
            "create",
            "--kind",
            "station",
            "--topic",
            "即开票兑奖流程",
            "--held-on",
            "2020-04-18",
            "--place",
            "区中心",
            "--trainer",
            "省中心讲师",
            "--pass-score",
            "60",
        ],
    );
    assert!(
        text(&created).contains("training session #"),
        "{}",
        text(&created)
    );
    let session = id_after_hash(&text(&created));
    let bad = db.run(
        ops,
        &[
            "training",
            "attend",
            &session,
            "--person",
            &format!("{person}:abc"),
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad).contains("--person"), "{}", text(&bad));
    let attended = db.run(
        ops,
        &[
            "training",
            "attend",
            &session,
            "--person",
            &format!("{person}:88"),
            "--staff",
            "operations:75",
        ],
    );
    assert!(
        text(&attended).contains("2 attendees"),
        "{}",
        text(&attended)
    );
    let report = db.run(
        ops,
        &[
            "training",
            "report",
            "--from",
            "2020-01-01",
            "--to",
            "2020-08-31",
        ],
    );
    let out = text(&report);
    // 119 demo stations open in 2020 (one closed on 2019-06-30), one trained: 8.4‰ → 0.8%.
    assert!(
        out.contains(
            "1 sessions, 1 person-times (staff 1), 1 of 119 stations trained, coverage 0.8%"
        ),
        "{out}"
    );
    let record = db.run(ops, &["training", "record", "operations"]);
    assert!(
        text(&record).contains("2020-04-18 station 即开票兑奖流程 passed"),
        "{}",
        text(&record)
    );
}

#[test]
fn a_visit_its_finding_rectified_and_the_rating_from_the_command_line() {
    let db = DemoDb::new();
    let ops = db.user("operations");
    let admin = db.user("admin");
    let owner = db.user("stationowner");
    let mut args = vec![
        "visit",
        "record",
        "--station",
        "32041201001",
        "--kind",
        "inspection",
        "--on",
        "2025-03-01",
        "--visitors",
        "张科长",
    ];
    let scores = [
        "licence=0",
        "no_minors=10",
        "responsible_play=10",
        "results_posted=10",
        "welfare_only=15",
        "terminal_clean=15",
        "cutoff_kept=10",
        "safety=15",
    ];
    for s in &scores {
        args.extend(["--score", s]);
    }
    let bad = db.run(ops, &[&args[..], &["--finding", "no deadline"]].concat());
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad).contains("--finding"), "{}", text(&bad));
    args.extend(["--finding", "代销证未悬挂|站点业主|2099-03-15|licence"]);
    let recorded = db.run(ops, &args);
    let finding = text(&recorded)
        .rsplit('[')
        .next()
        .map(|r| r.trim_end().trim_end_matches(']').to_string())
        .unwrap_or_default();
    assert!(
        text(&recorded).contains(&format!("scored 85; findings [{finding}]")),
        "{}",
        text(&recorded)
    );

    let early = db.run(ops, &["finding", "verify", &finding]);
    assert!(!early.status.success(), "no closing without a submission");
    assert!(db
        .run(
            owner,
            &["finding", "submit", &finding, "--evidence", "已悬挂"]
        )
        .status
        .success());
    let closed = db.run(admin, &["finding", "verify", &finding, "--note", "核实"]);
    let out = text(&closed);
    assert!(
        out.contains(&format!("finding #{finding} 32041201001 closed")),
        "{out}"
    );
    assert!(
        out.contains("open → submitted by user:stationowner: 已悬挂"),
        "{out}"
    );

    let rating = db.run(ops, &["rating", "show", "2025"]);
    // 85 × 60% = 51.00, no 2025 sales, no open finding: 51.00 → 1 star (below 60).
    assert!(
        text(&rating).contains("32041201001 1★ 51.00 points"),
        "{}",
        text(&rating)
    );
    assert!(text(&rating).contains("(preview)"));
}

#[test]
fn remittances_statements_and_the_overdue_list_from_the_command_line() {
    let db = DemoDb::new();
    let finance = db.user("finance");
    // The reference year's January 2019 upstream sales are owed and long overdue.
    let overdue = db.run(finance, &["station", "overdue"]);
    let out = text(&overdue);
    let line = out
        .lines()
        .find(|l| l.starts_with("32041201001 "))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(line.contains("overdue"), "{line}");

    let bad = db.run(
        finance,
        &[
            "station",
            "remit",
            "32041201001",
            "--amount",
            "-5",
            "--method",
            "cash",
            "--paid-on",
            "2019-02-01",
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad).contains("--amount"), "{}", text(&bad));
    let remitted = db.run(
        finance,
        &[
            "station",
            "remit",
            "32041201001",
            "--amount",
            "100",
            "--method",
            "cash",
            "--paid-on",
            "2019-02-01",
        ],
    );
    assert!(
        text(&remitted).contains("remittance #1 of 100.00元"),
        "{}",
        text(&remitted)
    );
    let statement = db.run(
        finance,
        &[
            "station",
            "statement",
            "32041201001",
            "--from",
            "2019-01-01",
            "--to",
            "2030-12-31",
        ],
    );
    let out = text(&statement);
    assert!(
        out.contains("对账单") && out.contains("缴款") && out.contains("100.00元"),
        "{out}"
    );
}

#[test]
fn a_campaign_an_activity_and_evidence_from_the_command_line() {
    let db = DemoDb::new();
    let ops = db.user("operations");
    // The reference year's January 2019 upstream sales rank the stations.
    let created = db.run(
        ops,
        &[
            "campaign",
            "create",
            "--code",
            "JAN",
            "--name",
            "一月销量",
            "--game",
            "ssq",
            "--game",
            "fc3d",
            "--from",
            "2019-01-01",
            "--to",
            "2019-01-31",
            "--metric",
            "volume",
        ],
    );
    assert!(created.status.success(), "{}", text(&created));
    let shown = db.run(ops, &["campaign", "show", "JAN"]);
    let out = text(&shown);
    let first = out.lines().nth(1).unwrap_or_default().to_string();
    assert!(first.trim_start().starts_with("1 3204"), "{out}");
    let closed = db.run(ops, &["campaign", "close", "JAN"]);
    assert!(text(&closed).contains("is kept"), "{}", text(&closed));
    let again = db.run(ops, &["campaign", "show", "JAN"]);
    assert_eq!(
        text(&again).lines().nth(1),
        Some(first.as_str()),
        "kept as it stood"
    );

    let recorded = db.run(
        ops,
        &[
            "activity",
            "record",
            "--kind",
            "volunteer",
            "--title",
            "敬老院志愿服务",
            "--from",
            "2019-03-05",
            "--to",
            "2019-03-05",
            "--place",
            "湖塘敬老院",
            "--organiser",
            "区中心",
            "--participants",
            "12",
            "--staff",
            "operations",
        ],
    );
    assert!(
        text(&recorded).contains("activity #"),
        "{}",
        text(&recorded)
    );
    let subject = format!("activity:{}", id_after_hash(&text(&recorded)));
    let photo = db.dir.path().join("photo.jpg");
    std::fs::write(&photo, b"\xFF\xD8\xFF\xE0 a photo").unwrap();
    let stored = db.run(
        ops,
        &[
            "evidence",
            "upload",
            "--subject",
            &subject,
            photo.to_str().unwrap(),
        ],
    );
    assert!(text(&stored).contains("image/jpeg"), "{}", text(&stored));
    let text_file = db.dir.path().join("note.jpg");
    std::fs::write(&text_file, b"not a photo").unwrap();
    let refused = db.run(
        ops,
        &[
            "evidence",
            "upload",
            "--subject",
            &subject,
            text_file.to_str().unwrap(),
        ],
    );
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    let checked = db.run(ops, &["evidence", "check"]);
    assert!(checked.status.success(), "{}", text(&checked));
}
