//! `fucai station …` and `fucai user …` on a demo database, signed in.

mod common;

use common::{text, DemoDb};

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

    let added = db.run(
        ops,
        &[
            "station",
            "person",
            "add",
            "--station",
            "32041201002",
            "--role",
            "owner",
            "--name",
            "周建国",
            "--phone",
            "13905190099",
            "--id-number",
            "11010519491231002X",
            "--from-on",
            "2015-04-01",
        ],
    );
    assert!(added.status.success(), "{}", text(&added));
    let missing_field = db.run(
        ops,
        &[
            "station",
            "person",
            "add",
            "--station",
            "32041201002",
            "--role",
            "owner",
            "--name",
            "周建国",
            "--phone",
            "1",
            "--id-number",
            "11010519491231002X",
            "--from-on",
            "2015-04-01",
        ],
    );
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
