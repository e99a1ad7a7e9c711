//! The `fucai` binary through its command line: the output contracts of docs/SYNTAX.md and
//! the exit code 2 with a message on bad input.

use std::process::{Command, Output};

fn fucai(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fucai"))
        .args(args)
        .output()
        .expect("fucai runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

#[test]
fn check_json_prints_exactly_the_documented_object() {
    let out = fucai(&[
        "check",
        "ssq",
        "01 02 03 04 05 06 07 + 07 08",
        "--result",
        "01 02 03 04 05 09 + 07",
        "--draw",
        "2019100",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out).trim(),
        r#"{"game":"ssq","bets":14,"multiple":1,"cost_fen":2800,"tiers":{"1":0,"2":0,"3":2,"4":7,"5":5,"6":0},"fixed_prize_fen":745000}"#
    );
}

#[test]
fn check_json_lists_fuyun_only_where_the_rule_has_it() {
    let args = |draw: &'static str| {
        vec![
            "check",
            "ssq",
            "1 2 3 10 11 12 + 9 x 2",
            "--result",
            "1 2 3 4 5 6 + 7",
            "--draw",
            draw,
            "--json",
        ]
    };
    let in_period = stdout(&fucai(&args("2026050")));
    assert!(in_period.contains(r#""fy":2"#), "{in_period}");
    assert!(
        in_period.contains(r#""fixed_prize_fen":1000"#),
        "{in_period}"
    );
    let after = stdout(&fucai(&args("2026093")));
    assert!(
        after.contains(r#""fy":0"#) && after.contains(r#""fixed_prize_fen":0"#),
        "{after}"
    );
    let before = stdout(&fucai(&args("2025100")));
    assert!(!before.contains("fy"), "{before}");
}

#[test]
fn check_json_for_kl8_keys_tiers_by_hit_count() {
    let drawn: Vec<String> = (1..=20).map(|n| n.to_string()).collect();
    let out = fucai(&[
        "check",
        "kl8",
        "x3 1 2 3 4",
        "--result",
        &drawn.join(" "),
        "--draw",
        "2026001",
        "--json",
    ]);
    assert_eq!(
        stdout(&out).trim(),
        r#"{"game":"kl8","bets":4,"multiple":1,"cost_fen":800,"tiers":{"0":0,"1":0,"2":0,"3":4},"fixed_prize_fen":20800}"#
    );
}

#[test]
fn prizes_json_reproduces_draw_2023075() {
    let out = fucai(&[
        "prizes",
        "ssq",
        "--draw",
        "2023075",
        "--sales",
        "382962350",
        "--pool",
        "2313625531",
        "--winners",
        "9,107,1526,81441,1516836,12844785",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(json["game"], "ssq");
    assert_eq!(json["draw"], "2023075");
    assert_eq!(json["tiers"]["1"]["prize_fen"], 694_206_800);
    assert_eq!(json["tiers"]["1"]["bets"], 9);
    assert_eq!(json["tiers"]["2"]["prize_fen"], 20_418_900);
    assert_eq!(json["tiers"]["6"]["bets"], 12_844_785);
    assert_eq!(json["pool_after_fen"], 231_669_171_758_i64);
    assert_eq!(json["adjustment_delta_fen"], 4_492);
    let keys: Vec<&String> = json["tiers"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["1", "2", "3", "4", "5", "6"]);
}

#[test]
fn bad_input_exits_2_with_the_parser_message_on_stderr() {
    let cases: [(&[&str], &str); 7] = [
        (
            &["check", "ssq", "01 02 03 04 05 34 + 07"],
            "red ball 34 is out of range 1–33",
        ),
        (
            &[
                "check",
                "ssq",
                "01 02 03 04 05 06 + 07",
                "--result",
                "1 2 3",
            ],
            "--result",
        ),
        (&["check", "lotto", "1"], "unknown game 'lotto'"),
        (
            &["check", "ssq", "01 02 03 04 05 06 + 07", "--draw", "19"],
            "--draw",
        ),
        (
            &[
                "prizes",
                "ssq",
                "--draw",
                "2023075",
                "--sales",
                "1.234",
                "--pool",
                "0",
                "--winners",
                "0,0,0,0,0,0",
            ],
            "--sales",
        ),
        (
            &[
                "prizes",
                "ssq",
                "--draw",
                "2023075",
                "--sales",
                "100",
                "--pool",
                "0",
                "--winners",
                "1,2",
            ],
            "6 tiers",
        ),
        (
            &[
                "prizes",
                "ssq",
                "--draw",
                "2023075",
                "--sales",
                "100",
                "--pool",
                "0",
                "--winners",
                "a,b",
            ],
            "--winners",
        ),
    ];
    for (args, message) in cases {
        let out = fucai(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains(message), "{args:?}: {}", stderr(&out));
        assert!(stdout(&out).is_empty(), "{args:?} printed to stdout");
    }
}

#[test]
fn rules_show_the_version_in_force_and_the_demo_assumptions() {
    let old = stdout(&fucai(&["rules", "ssq", "--draw", "2019100"]));
    assert!(
        old.contains("ssq-2013") && old.contains("三等奖") && !old.contains("福运奖"),
        "{old}"
    );
    let new = stdout(&fucai(&["rules", "ssq"]));
    assert!(
        new.contains("ssq-2026") && new.contains("福运奖") && new.contains("DEMO-ASSUMPTION"),
        "{new}"
    );
    let kl8 = stdout(&fucai(&["rules", "kl8", "--draw", "2025349"]));
    assert!(
        kl8.contains("中1 4.60元") && kl8.contains("demo assumptions"),
        "{kl8}"
    );
    let fc3d = stdout(&fucai(&["rules", "fc3d"]));
    assert!(
        fc3d.contains("1,040.00元") && fc3d.contains("52%"),
        "{fc3d}"
    );
}

#[test]
fn bench_check_runs_and_prints_rates() {
    let out = fucai(&["bench", "check", "--count", "200"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for game in ["ssq", "fc3d", "qlc", "kl8"] {
        assert!(text.contains(game), "{text}");
    }
    assert!(text.contains("selections/s"), "{text}");
}

#[test]
fn bench_sales_drives_a_served_database_and_verifies_its_ledger() {
    // A short run: every configuration sells over its transport (the two HTTP ones through a
    // `fucai serve` child), and the benchmark fails unless each sale is answered 201 and the
    // ledger verifies afterwards.
    let out = fucai(&["bench", "sales", "--clients", "4", "--seconds", "0.5"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for label in [
        "group commit  ",
        "one transaction per sale",
        "group commit, no HTTP",
    ] {
        let row = text
            .lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("no row {label:?} in {text}"));
        let tickets: u64 = row[28..]
            .split_whitespace()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(tickets > 0, "{row}");
    }
    assert!(text.contains("group commit / baseline:"), "{text}");
}

/// The audit key lives where FUCAI_AUDIT_KEY_FILE says, and a database whose chain is keyed
/// does not open without it.
#[test]
fn the_audit_key_file_can_live_apart_and_is_required() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("apart.db").display().to_string();
    let key = dir.path().join("elsewhere").join("audit.key");
    std::fs::create_dir_all(key.parent().unwrap()).unwrap();
    let run = |args: &[&str], key: Option<&std::path::Path>| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_fucai"));
        c.args(args).env_remove("FUCAI_AUDIT_KEY_FILE");
        if let Some(k) = key {
            c.env("FUCAI_AUDIT_KEY_FILE", k);
        }
        c.output().unwrap()
    };
    let seeded = run(&["demo", "--no-serve", "--database-url", &db], Some(&key));
    assert!(seeded.status.success(), "{}", stderr(&seeded));
    assert!(key.exists(), "the key is where it was asked to be");
    assert!(!std::path::Path::new(&format!("{db}.audit-key")).exists());

    let with_key = run(&["audit", "verify", "--database-url", &db], Some(&key));
    assert!(with_key.status.success(), "{}", stderr(&with_key));
    let without = run(&["audit", "verify", "--database-url", &db], None);
    assert!(!without.status.success());
    assert!(
        stderr(&without).contains("key file"),
        "{}",
        stderr(&without)
    );
    let ledger = run(&["ledger", "verify", "--database-url", &db], Some(&key));
    assert!(ledger.status.success(), "{}", stderr(&ledger));
}
