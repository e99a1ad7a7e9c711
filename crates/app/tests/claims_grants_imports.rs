//! Rules that live in the use cases, without HTTP: where a prize is paid and what tax is
//! withheld (one person's winnings in one draw add up), a programme's budget bounds its grants
//! (four eyes on each), and an import writes all of its rows or none.

mod common;

use chrono::NaiveDate;
use common::District;
use fucai_app::welfare::{BeneficiaryInput, GrantInput, ProgrammeInput};
use fucai_app::{AppError, ClaimRequest, Role};
use fucai_ledger::Money;

const RESULT: &str = "01 02 03 04 05 06 + 07";
/// 5 red + the blue: 三等奖, 3,000元 a bet.
const THIRD: &str = "01 02 03 04 05 09 + 07";

fn claim(serial: &str, code: &str, claimant: Option<&str>) -> ClaimRequest {
    ClaimRequest {
        serial: serial.into(),
        code: code.into(),
        claimant_id: claimant.map(String::from),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prizes_are_paid_at_the_right_office_once_with_the_draws_tax() {
    let d = District::new();
    let draw = "2099101".to_string();
    let cutoff = d.short_draws(std::slice::from_ref(&draw));
    let small = d.sell("c-small", &draw, &[THIRD], 1).await; // 3,000元
    let large = d.sell("c-large", &draw, &[THIRD], 5).await; // 15,000元
    let first = d.sell("c-first", &draw, &[THIRD], 3).await; // 9,000元
    let second = d.sell("c-second", &draw, &[THIRD], 3).await; // 9,000元
    d.seal_and_result(cutoff, std::slice::from_ref(&draw), RESULT)
        .await;
    let finance = d.person(Role::Finance);
    d.app.settle_draw(&finance, "ssq", &draw).await.unwrap();
    let terminal = d.terminal();
    let someone =
        fucai_app::demo::id_number("320412", NaiveDate::from_ymd_opt(1970, 1, 1).unwrap(), 7);
    let another =
        fucai_app::demo::id_number("320412", NaiveDate::from_ymd_opt(1980, 2, 2).unwrap(), 8);

    let station = &d.credentials.terminals[0].1;
    let commission = || {
        d.app
            .store()
            .read(|r| r.account_balance(&format!("station/{station}/commission")))
            .unwrap()
    };
    let before = commission();
    // Up to the station limit a station pays, untaxed at 3,000元.
    let paid = d
        .app
        .claim(&terminal, claim(&small.0, &small.1, None))
        .await
        .unwrap();
    assert_eq!((paid.office.as_str(), paid.net.fen()), ("station", 300_000));
    assert_eq!(paid.draws[0].tax.fen(), 0);
    // It earns the claim commission: 1% of the prize it paid (a credit of 30元).
    assert_eq!(before.fen() - commission().fen(), 3_000);
    // Once.
    let again = d
        .app
        .claim(&terminal, claim(&small.0, &small.1, None))
        .await;
    assert!(matches!(again, Err(AppError::Conflict(_))), "{again:?}");

    // Above the station limit: the district pays, withholding 20% of the whole 中奖收入.
    let refused = d
        .app
        .claim(&terminal, claim(&large.0, &large.1, Some(&someone)))
        .await;
    assert!(matches!(refused, Err(AppError::Refused(_))), "{refused:?}");
    let paid = d
        .app
        .claim(&finance, claim(&large.0, &large.1, Some(&someone)))
        .await
        .unwrap();
    assert_eq!(paid.office, "district");
    assert_eq!(
        (paid.draws[0].gross.fen(), paid.draws[0].tax.fen()),
        (1_500_000, 300_000)
    );
    assert_eq!(paid.net.fen(), 1_200_000);

    // One person's two tickets of one draw are one 中奖收入 (from 2024-09-01): 9,000元 is
    // untaxed alone, but with the next 9,000元 the person has won 18,000元 in the draw.
    let one = d
        .app
        .claim(&finance, claim(&first.0, &first.1, Some(&another)))
        .await
        .unwrap();
    assert_eq!(one.draws[0].tax.fen(), 0);
    let two = d
        .app
        .claim(&finance, claim(&second.0, &second.1, Some(&another)))
        .await
        .unwrap();
    assert_eq!(
        two.draws[0].tax.fen(),
        360_000,
        "20% of 18,000元, all withheld now"
    );
    assert_eq!(two.net.fen(), 900_000 - 360_000);

    let check = d.app.store().read(|r| r.verify_ledger()).unwrap();
    assert!(check.is_ok(), "{check:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grants_stay_within_their_programmes_budget_and_need_a_second_person() {
    let d = District::new();
    // The reference year's sales put money in the district welfare fund.
    fucai_app::demo::seed_reference_year(&d.app).await.unwrap();
    let (maker, checker) = (d.person(Role::Welfare), d.person(Role::Finance));
    let programme = ProgrammeInput {
        code: "TEST-BUDGET".into(),
        name: "预算测试".into(),
        category: "elderly".into(),
        year: 2019,
        budget: Money::from_yuan(1_000),
    };
    d.app.create_programme(&maker, programme).await.unwrap();
    let own = d.app.approve_programme(&maker, "TEST-BUDGET").await;
    assert!(
        matches!(own, Err(AppError::Forbidden(_))),
        "the maker approved: {own:?}"
    );
    d.app
        .approve_programme(&checker, "TEST-BUDGET")
        .await
        .unwrap();

    let person = BeneficiaryInput {
        kind: "person".into(),
        name: "王老伯".into(),
        id_number: Some(fucai_app::demo::id_number(
            "320412",
            NaiveDate::from_ymd_opt(1940, 3, 3).unwrap(),
            9,
        )),
        town: "32041201".into(),
        household: String::new(),
        tags: String::new(),
        contact: String::new(),
    };
    let beneficiary = d
        .app
        .add_beneficiary(&maker, person)
        .await
        .unwrap()
        .beneficiary
        .id;
    let grant = |yuan: i64| GrantInput {
        beneficiary_id: beneficiary,
        amount: Money::from_yuan(yuan),
        purpose: "慰问金".into(),
        date: "2019-03-01".into(),
        note: String::new(),
    };
    let proposed = d
        .app
        .propose_grants(&maker, "TEST-BUDGET", vec![grant(600), grant(600)])
        .await
        .unwrap();
    let own = d.app.approve_grant(&maker, proposed[0].id).await;
    assert!(own.is_err(), "the maker paid their own grant");
    d.app.approve_grant(&checker, proposed[0].id).await.unwrap();
    // 600 + 600 > 1,000: the second would overdraw the programme's budget.
    let over = d.app.approve_grant(&checker, proposed[1].id).await;
    assert!(matches!(over, Err(AppError::Refused(_))), "{over:?}");
    let programme = d
        .app
        .programmes(&checker)
        .unwrap()
        .into_iter()
        .find(|p| p.code == "TEST-BUDGET")
        .unwrap();
    assert_eq!(programme.spent.fen(), 60_000);
    let check = d.app.store().read(|r| r.verify_ledger()).unwrap();
    assert!(check.is_ok(), "{check:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_with_one_bad_row_writes_nothing() {
    let d = District::new();
    let ops = d.person(Role::Operations);
    let before = d.app.stations(&ops).unwrap().len();
    let header = "code,name,owner,phone,address,town,licence_no,status,opened_on,closed_on\n";
    let good = "32041299001,新站一,王五,13900000001,湖塘镇某路1号,32041201,苏福彩证-9001,active,2020-01-01,\n";
    let bad = "32041299002,新站二,赵六,12,某路,99999999,苏福彩证-9002,open,2020-13-01,\n";

    let report = d
        .app
        .import_stations(&ops, format!("{header}{good}{bad}").as_bytes())
        .await
        .unwrap();
    assert_eq!(report.imported, 0);
    let fields: Vec<&str> = report.errors.iter().map(|e| e.column.as_str()).collect();
    for field in ["phone", "town", "status", "opened_on"] {
        assert!(
            fields.contains(&field),
            "{field} not reported: {:?}",
            report.errors
        );
    }
    assert!(
        report.errors.iter().all(|e| e.row == 2),
        "{:?}",
        report.errors
    );
    assert_eq!(
        d.app.stations(&ops).unwrap().len(),
        before,
        "a row was written"
    );

    let report = d
        .app
        .import_stations(&ops, format!("{header}{good}").as_bytes())
        .await
        .unwrap();
    assert_eq!((report.imported, report.errors.len()), (1, 0));
    assert_eq!(d.app.stations(&ops).unwrap().len(), before + 1);
}
