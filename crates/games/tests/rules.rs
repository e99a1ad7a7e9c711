//! The rule book: embedded data loads, versions are chosen by draw number.

use fucai_games::{DrawNumber, DrawResult, Fuyun, Game, Kl8Prize, RuleBook, Selection};
use fucai_ledger::Money;

fn draw(s: &str) -> Option<DrawNumber> {
    Some(s.parse().unwrap())
}

#[test]
fn embedded_rule_data_is_valid() {
    let book = RuleBook::load().expect("rule data loads and validates");
    for game in Game::ALL {
        assert!(!book.game(game).versions.is_empty());
        assert_eq!(book.game(game).price.0, Money::from_yuan(2));
    }
}

#[test]
fn versions_are_chosen_by_the_draw_not_by_today() {
    let book = RuleBook::standard();
    assert_eq!(
        book.version_for(Game::Ssq, draw("2026013")).unwrap().id,
        "ssq-2013"
    );
    assert_eq!(
        book.version_for(Game::Ssq, draw("2026014")).unwrap().id,
        "ssq-2026"
    );
    assert_eq!(book.version_for(Game::Ssq, None).unwrap().id, "ssq-2026");
    assert_eq!(
        book.version_for(Game::Kl8, draw("2025349")).unwrap().id,
        "kl8-2020"
    );
    assert_eq!(
        book.version_for(Game::Kl8, draw("2025350")).unwrap().id,
        "kl8-2025350"
    );
    assert!(book.version_for(Game::Kl8, draw("2019001")).is_none());
}

#[test]
fn kl8_prize_tables_differ_across_the_2025350_boundary() {
    let book = RuleBook::standard();
    let old = book.version_for(Game::Kl8, draw("2025349")).unwrap();
    let new = book.version_for(Game::Kl8, draw("2025350")).unwrap();
    assert_eq!(
        old.kl8_prize(1, 1),
        Some(Kl8Prize::Fixed(Money::from_fen(460)))
    );
    assert_eq!(
        new.kl8_prize(1, 1),
        Some(Kl8Prize::Fixed(Money::from_fen(450)))
    );
    assert_eq!(
        old.kl8_prize(9, 9),
        Some(Kl8Prize::Fixed(Money::from_yuan(300_000)))
    );
    assert_eq!(new.kl8_prize(9, 9), Some(Kl8Prize::Floating));
    assert_eq!(new.kl8_prize(10, 1), None);
}

#[test]
fn fixed_prize_total_follows_the_version_of_the_draw() {
    let book = RuleBook::standard();
    let selection = Selection::parse(Game::Ssq, "01 02 03 04 05 06 07 + 07 08").unwrap();
    let result = DrawResult::parse(Game::Ssq, "01 02 03 04 05 09 + 07").unwrap();
    let v = book.version_for(Game::Ssq, draw("2019100")).unwrap();
    let counts = selection
        .tier_counts(&result, v.fuyun_for(draw("2019100")))
        .unwrap();
    assert_eq!(v.fixed_prize(&selection, &counts), Money::from_yuan(7_450));

    // 选十 with zero hits wins 2元 per bet; 选十 with one hit wins nothing.
    let kl8 = Selection::parse(Game::Kl8, "x10 61 62 63 64 65 66 67 68 69 70").unwrap();
    let drawn: Vec<String> = (1..=20).map(|n| n.to_string()).collect();
    let result = DrawResult::parse(Game::Kl8, &drawn.join(" ")).unwrap();
    let v = book.version_for(Game::Kl8, draw("2026001")).unwrap();
    let counts = kl8.tier_counts(&result, Fuyun::NotInRule).unwrap();
    assert_eq!(counts.get("0"), Some(1));
    assert_eq!(v.fixed_prize(&kl8, &counts), Money::from_yuan(2));
}

#[test]
fn fund_splits_add_up_to_the_whole_sale() {
    for game in Game::ALL {
        for v in &RuleBook::standard().game(game).versions {
            let parts =
                fucai_ledger::split_by_ratios(Money::from_yuan(2), &v.split.ratios()).unwrap();
            assert_eq!(parts.iter().map(|m| m.fen()).sum::<i64>(), 200, "{}", v.id);
        }
    }
}
