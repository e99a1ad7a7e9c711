//! The welfare commands on a demo database: a maker and a checker, each with their password.

mod common;

use common::{text, DemoDb};

fn welfare(db: &DemoDb, user: Option<(&str, &str)>, args: &[&str]) -> std::process::Output {
    let mut all = vec!["welfare"];
    all.extend_from_slice(args);
    db.run(user, &all)
}

#[test]
fn a_programme_and_a_grant_through_the_command_line() {
    let db = DemoDb::new();
    let officer = db.user("welfare");
    let finance = db.user("finance");

    // The reference year is already there.
    let disclosure = welfare(&db, None, &["disclosure", "--year", "2019"]);
    assert!(
        text(&disclosure).contains("常州市武进区儿童福利院"),
        "{}",
        text(&disclosure)
    );

    let wrong = welfare(
        &db,
        Some(("welfare", "not-the-password")),
        &["programme", "list"],
    );
    assert_eq!(wrong.status.code(), Some(2), "{}", text(&wrong));
    assert!(text(&wrong).contains("--user"));

    let created = welfare(
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
    assert!(!welfare(&db, officer, &["programme", "approve", "CLI-1"])
        .status
        .success());
    let approved = welfare(&db, finance, &["programme", "approve", "CLI-1"]);
    assert!(approved.status.success(), "{}", text(&approved));

    let bad = welfare(
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
    let added = welfare(
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

    let proposed = welfare(
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
    let paid = welfare(&db, finance, &["grant", "approve", &grant]);
    assert!(text(&paid).contains("paid"), "{}", text(&paid));
    let report = welfare(&db, None, &["report", "--year", "2019"]);
    assert!(
        text(&report).contains("total paid 127,000.00元"),
        "{}",
        text(&report)
    );
    let verify = db.run(None, &["ledger", "verify"]);
    assert!(verify.status.success(), "{}", text(&verify));
}
