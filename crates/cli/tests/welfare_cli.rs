//! The welfare commands on a demo database: a maker and a checker, each with their password.

use std::collections::HashMap;
use std::process::{Command, Output};

fn fucai(db: &str, user: Option<(&str, &str)>, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_fucai"));
    c.arg("welfare").args(args).args(["--database-url", db]);
    if let Some((name, password)) = user {
        c.args(["--user", name]).env("FUCAI_PASSWORD", password);
    }
    c.output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn a_programme_and_a_grant_through_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db").display().to_string();
    let seeded = Command::new(env!("CARGO_BIN_EXE_fucai"))
        .args(["demo", "--no-serve", "--database-url", &db])
        .output()
        .unwrap();
    assert!(seeded.status.success(), "{}", text(&seeded));
    let credentials = std::fs::read_to_string(format!("{db}.credentials.txt")).unwrap();
    let passwords: HashMap<&str, &str> = credentials
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let parts: Vec<&str> = l.split(' ').collect();
            (parts.len() == 3 && !parts[0].starts_with('T')).then(|| (parts[0], parts[2]))
        })
        .collect();
    let officer = Some(("welfare", passwords["welfare"]));
    let finance = Some(("finance", passwords["finance"]));

    // The reference year is already there.
    let disclosure = fucai(&db, None, &["disclosure", "--year", "2019"]);
    assert!(
        text(&disclosure).contains("常州市武进区儿童福利院"),
        "{}",
        text(&disclosure)
    );

    let wrong = fucai(
        &db,
        Some(("welfare", "not-the-password")),
        &["programme", "list"],
    );
    assert_eq!(wrong.status.code(), Some(2), "{}", text(&wrong));
    assert!(text(&wrong).contains("--user"));

    let created = fucai(
        &db,
        officer,
        &[
            "programme",
            "create",
            "--code",
            "CLI-1",
            "--name",
            "助残辅具",
            "--category",
            "disabled",
            "--year",
            "2019",
            "--budget",
            "3000",
        ],
    );
    assert!(created.status.success(), "{}", text(&created));
    // The welfare officer cannot approve; finance can.
    assert!(!fucai(&db, officer, &["programme", "approve", "CLI-1"])
        .status
        .success());
    let approved = fucai(&db, finance, &["programme", "approve", "CLI-1"]);
    assert!(approved.status.success(), "{}", text(&approved));

    let bad = fucai(
        &db,
        officer,
        &[
            "beneficiary",
            "add",
            "--name",
            "吴海峰",
            "--id-number",
            "320412195001010000",
            "--town",
            "32041203",
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad).contains("id_number"), "{}", text(&bad));
    let added = fucai(
        &db,
        officer,
        &[
            "beneficiary",
            "add",
            "--kind",
            "institution",
            "--name",
            "武进区残疾人康复中心",
            "--town",
            "32041203",
        ],
    );
    assert!(added.status.success(), "{}", text(&added));
    let id = text(&added)
        .split('#')
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .to_string();

    let proposed = fucai(
        &db,
        officer,
        &[
            "grant",
            "propose",
            "--programme",
            "CLI-1",
            "--beneficiary",
            &id,
            "--amount",
            "3000",
            "--purpose",
            "康复辅具",
            "--date",
            "2019-05-16",
        ],
    );
    assert!(proposed.status.success(), "{}", text(&proposed));
    let grant = text(&proposed)
        .split('#')
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .to_string();
    let paid = fucai(&db, finance, &["grant", "approve", &grant]);
    assert!(text(&paid).contains("paid"), "{}", text(&paid));
    let report = fucai(&db, None, &["report", "--year", "2019"]);
    assert!(
        text(&report).contains("total paid 127,000.00元"),
        "{}",
        text(&report)
    );
    let verify = Command::new(env!("CARGO_BIN_EXE_fucai"))
        .args(["ledger", "verify", "--database-url", &db])
        .output()
        .unwrap();
    assert!(verify.status.success());
}
