//! The selection syntax of SYNTAX.md: examples, canonical printing and error messages.

use fucai_games::{DrawResult, Game, Selection};

fn canonical(game: Game, text: &str) -> String {
    Selection::parse(game, text)
        .unwrap_or_else(|e| panic!("{text:?}: {e}"))
        .to_string()
}

fn error(game: Game, text: &str) -> String {
    match Selection::parse(game, text) {
        Ok(s) => panic!("{text:?} parsed as {s}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn documented_examples_parse_and_print_canonically() {
    let cases = [
        (
            Game::Ssq,
            "01 02 03 04 05 06 + 07",
            "01 02 03 04 05 06 + 07",
            1,
        ),
        (
            Game::Ssq,
            "01 02 03 04 05 06 07 + 07 08",
            "01 02 03 04 05 06 07 + 07 08",
            14,
        ),
        (
            Game::Ssq,
            "01 02 # 03 04 05 06 07 + 09",
            "01 02 # 03 04 05 06 07 + 09",
            5,
        ),
        (Game::Fc3d, "zx 1|2|3", "zx 1|2|3", 1),
        (Game::Fc3d, "zx 12|3|459", "zx 12|3|459", 6),
        (Game::Fc3d, "z3 1 2", "z3 1 2", 2),
        (Game::Fc3d, "z6 1 2 3", "z6 1 2 3", 1),
        (Game::Qlc, "01 02 03 04 05 06 07", "01 02 03 04 05 06 07", 1),
        (
            Game::Qlc,
            "01 02 # 03 04 05 06 07 08",
            "01 02 # 03 04 05 06 07 08",
            6,
        ),
        (Game::Kl8, "x5 01 02 03 04 05", "x5 01 02 03 04 05", 1),
        (Game::Kl8, "x5 01 02 03 04 05 06", "x5 01 02 03 04 05 06", 6),
        (
            Game::Kl8,
            "x5 01 02 # 03 04 05 06",
            "x5 01 02 # 03 04 05 06",
            4,
        ),
    ];
    for (game, text, printed, bets) in cases {
        let selection = Selection::parse(game, text).unwrap();
        assert_eq!(selection.to_string(), printed);
        assert_eq!(selection.bets(), bets, "{text}");
    }
}

#[test]
fn leading_zeros_separators_case_and_order_are_normalised() {
    assert_eq!(
        canonical(Game::Ssq, "6,5 4  3,,2 1+7"),
        "01 02 03 04 05 06 + 07"
    );
    assert_eq!(
        canonical(Game::Ssq, "1 2 3 4 5 6 + 7 X 5"),
        "01 02 03 04 05 06 + 07 x 5"
    );
    assert_eq!(
        canonical(Game::Ssq, "1 2 3 4 5 6 + 7 x 1"),
        "01 02 03 04 05 06 + 07"
    );
    assert_eq!(
        canonical(Game::Ssq, "1 2 3 4 5 6 + 7 x2"),
        "01 02 03 04 05 06 + 07 x 2"
    );
    assert_eq!(canonical(Game::Fc3d, "ZX 21 | 3 | 9 5 4"), "zx 12|3|459");
    assert_eq!(canonical(Game::Fc3d, "z6 07 3 1"), "z6 1 3 7");
    assert_eq!(
        canonical(Game::Kl8, "X10 80 1 2 3 4 5 6 7 8 9 x 3"),
        "x10 01 02 03 04 05 06 07 08 09 80 x 3"
    );
    assert_eq!(
        canonical(Game::Qlc, "1，2，3，4，5，6，7"),
        "01 02 03 04 05 06 07"
    );
}

#[test]
fn errors_name_the_reason_in_the_documented_words() {
    assert!(error(Game::Ssq, "01 02 03 04 05 34 + 07").contains("red ball 34 is out of range 1–33"));
    assert!(error(Game::Ssq, "01 02 03 04 05 06 07 +")
        .contains("7 reds and 0 blues: 双色球 needs at least 1 blue"));
    assert!(error(Game::Ssq, "01 05 # 03 04 05 06 07 + 09").contains("胆 05 is repeated in 拖"));
    assert!(error(Game::Ssq, "01 02 03 04 05 06 + 07 x 120")
        .contains("multiple 120 exceeds the limit 99"));
    assert!(error(Game::Ssq, "01 02 03 04 05 06 + 07 x 0").contains("multiple 0 is not allowed"));
    assert!(
        error(Game::Ssq, "01 02 03 04 05 06 + 17").contains("blue ball 17 is out of range 1–16")
    );
    assert!(error(Game::Ssq, "01 02 03 04 05 05 + 07").contains("red ball 05 is repeated"));
    assert!(error(Game::Ssq, "01 02 03 04 05 + 07").contains("5 reds: 双色球 needs 6–20 reds"));
    assert!(error(Game::Ssq, "01 02 03 04 05 06").contains("expected '+' before the blue balls"));
    assert!(error(Game::Ssq, "1 2 3 4 5 6 # 7 + 1").contains("6 胆: 双色球 allows 1–5 胆"));
    assert!(error(Game::Ssq, "1 2 # 3 4 5 6 + 1").contains("needs 胆+拖 from 7"));
    assert!(error(Game::Ssq, "1 2 3 4 5 6 + 1 + 2").contains("'+' appears more than once"));
    assert!(error(Game::Ssq, "1 2 3 4 5 6 + a").contains("expected a number, found 'a'"));
    assert!(error(Game::Ssq, "1 2 3 4 5 6 + 7 ?").contains("unexpected character '?'"));
    assert!(error(Game::Ssq, "   ").contains("empty"));
    assert!(error(Game::Fc3d, "zx 1|2").contains("直选 needs 3 positions"));
    assert!(error(Game::Fc3d, "zx 11|2|3").contains("digit 1 is repeated"));
    assert!(error(Game::Fc3d, "zx 1||3").contains("position 2 has no digit"));
    assert!(error(Game::Fc3d, "z3 1").contains("1 digits: 组选3 needs 2–10 different digits"));
    assert!(error(Game::Fc3d, "z6 1 2 12").contains("digit 12 is out of range 0–9"));
    assert!(error(Game::Fc3d, "zz 1 2 3").contains("unknown play 'zz'"));
    assert!(error(Game::Qlc, "01 02 03 04 05 06").contains("6 numbers: 七乐彩 needs 7–16 numbers"));
    assert!(error(Game::Qlc, "01 02 03 04 05 06 31").contains("number 31 is out of range 1–30"));
    assert!(error(Game::Qlc, "01 # 02 03 04 05 06 07").contains("needs 胆+拖 from 8"));
    assert!(error(Game::Kl8, "x11 01 02").contains("unknown play 'x11'"));
    assert!(error(Game::Kl8, "x1 01 # 02").contains("选一 numbers has no 胆拖"));
    assert!(error(Game::Kl8, "x3 01 02").contains("2 numbers: 选三 needs 3–20 numbers"));
    assert!(error(Game::Kl8, "x2 81 02").contains("number 81 is out of range 1–80"));
}

#[test]
fn errors_point_at_the_column() {
    let e = Selection::parse(Game::Ssq, "01 02 03 04 05 34 + 07").unwrap_err();
    assert_eq!(e.column, 16);
    assert!(e.to_string().starts_with("column 16: "));
}

#[test]
fn results_parse_and_print() {
    let cases = [
        (Game::Ssq, "1 2 3 4 5 9 + 7", "01 02 03 04 05 09 + 07"),
        (Game::Fc3d, "1 2 3", "1 2 3"),
        (Game::Fc3d, "321", "3 2 1"),
        (Game::Qlc, "1 2 3 4 5 6 7 + 8", "01 02 03 04 05 06 07 + 08"),
        (
            Game::Kl8,
            "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20",
            "01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20",
        ),
    ];
    for (game, text, printed) in cases {
        let result = DrawResult::parse(game, text).unwrap();
        assert_eq!(result.to_string(), printed);
        assert_eq!(DrawResult::parse(game, printed).unwrap(), result);
    }
    for (game, bad) in [
        (Game::Ssq, "1 2 3 4 5 6 7 + 8"),
        (Game::Ssq, "1 2 3 4 5 6 + 7 x 2"),
        (Game::Fc3d, "1 2"),
        (Game::Qlc, "1 2 3 4 5 6 7 + 7"),
        (Game::Kl8, "1 2 3"),
    ] {
        assert!(DrawResult::parse(game, bad).is_err(), "{bad}");
    }
}
