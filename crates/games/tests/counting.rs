//! Bet counting and per-tier win counts: official examples, and property tests of the
//! closed form against brute-force expansion for every play type of every game.

use fucai_games::{DrawResult, Fuyun, Game, Selection};
use proptest::prelude::*;
use proptest::sample::Index;

fn bets(game: Game, text: &str) -> u64 {
    Selection::parse(game, text).unwrap().bets()
}

#[test]
fn official_bet_counts() {
    // docs/RULES.md §1.2
    assert_eq!(bets(Game::Ssq, "1 2 3 4 5 6 7 + 1"), 7);
    assert_eq!(bets(Game::Ssq, "1 2 3 4 5 6 7 8 + 1"), 28);
    assert_eq!(bets(Game::Ssq, "1 2 3 4 5 6 7 + 1 2"), 14);
    let all_blues: Vec<String> = (1..=16).map(|n| n.to_string()).collect();
    let twenty_reds: Vec<String> = (1..=20).map(|n| n.to_string()).collect();
    let full = format!("{} + {}", twenty_reds.join(" "), all_blues.join(" "));
    assert_eq!(bets(Game::Ssq, &full), 620_160);
    // 胆拖: C(t, 6-d) x blues
    assert_eq!(bets(Game::Ssq, "1 2 # 3 4 5 6 7 8 + 1 2"), 15 * 2);
    // 福彩3D §2.2: 直选复式 = product, 组选3 = n(n-1), 组选6 = C(n,3)
    assert_eq!(
        bets(Game::Fc3d, "zx 0123456789|0123456789|0123456789"),
        1000
    );
    assert_eq!(bets(Game::Fc3d, "z3 0 1 2 3 4 5 6 7 8 9"), 90);
    assert_eq!(bets(Game::Fc3d, "z6 0 1 2 3 4 5 6 7 8 9"), 120);
    // 七乐彩 §3: C(n,7) and C(t, 7-d)
    assert_eq!(
        bets(Game::Qlc, "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16"),
        11_440
    );
    assert_eq!(bets(Game::Qlc, "1 2 3 # 4 5 6 7 8 9"), 15);
    // 快乐8: C(n,N)
    let twenty: Vec<String> = (1..=20).map(|n| n.to_string()).collect();
    assert_eq!(
        bets(Game::Kl8, &format!("x10 {}", twenty.join(" "))),
        184_756
    );
}

#[test]
fn the_syntax_md_check_example_has_the_documented_tiers() {
    let selection = Selection::parse(Game::Ssq, "01 02 03 04 05 06 07 + 07 08").unwrap();
    let result = DrawResult::parse(Game::Ssq, "01 02 03 04 05 09 + 07").unwrap();
    let counts = selection.tier_counts(&result, Fuyun::NotInRule).unwrap();
    let expected = [("1", 0), ("2", 0), ("3", 2), ("4", 7), ("5", 5), ("6", 0)];
    assert_eq!(counts.0, expected);
}

#[test]
fn a_bet_counts_once_in_its_highest_tier_and_multiples_scale_every_tier() {
    let selection = Selection::parse(Game::Ssq, "01 02 03 04 05 06 + 07 x 3").unwrap();
    let result = DrawResult::parse(Game::Ssq, "01 02 03 04 05 06 + 07").unwrap();
    let counts = selection.tier_counts(&result, Fuyun::Active).unwrap();
    assert_eq!(counts.get("1"), Some(3));
    assert_eq!(counts.0.iter().map(|&(_, n)| n).sum::<u64>(), 3);
}

#[test]
fn fuyun_counts_three_reds_without_blue_only_in_its_period() {
    let selection = Selection::parse(Game::Ssq, "01 02 03 10 11 12 + 07").unwrap();
    let result = DrawResult::parse(Game::Ssq, "01 02 03 04 05 06 + 08").unwrap();
    let count = |f| selection.tier_counts(&result, f).unwrap();
    assert_eq!(count(Fuyun::Active).get("fy"), Some(1));
    assert_eq!(count(Fuyun::Inactive).get("fy"), Some(0));
    assert_eq!(count(Fuyun::NotInRule).get("fy"), None);
}

#[test]
fn fc3d_group_plays_follow_the_draw_form() {
    let count = |sel: &str, res: &str| {
        let s = Selection::parse(Game::Fc3d, sel).unwrap();
        let r = DrawResult::parse(Game::Fc3d, res).unwrap();
        s.tier_counts(&r, Fuyun::NotInRule).unwrap().0
    };
    assert_eq!(count("z3 1 2", "2 1 1"), [("zx", 0), ("z3", 1), ("z6", 0)]);
    assert_eq!(count("z3 1 2", "1 1 1"), [("zx", 0), ("z3", 0), ("z6", 0)]);
    assert_eq!(
        count("z6 1 2 3", "3 1 2"),
        [("zx", 0), ("z3", 0), ("z6", 1)]
    );
    assert_eq!(
        count("z6 1 2 3", "1 1 2"),
        [("zx", 0), ("z3", 0), ("z6", 0)]
    );
    assert_eq!(
        count("zx 12|3|459 x 2", "2 3 9"),
        [("zx", 2), ("z3", 0), ("z6", 0)]
    );
}

/// A permutation of `lo..=hi`.
fn permutation(lo: u8, hi: u8) -> impl Strategy<Value = Vec<u8>> {
    Just((lo..=hi).collect::<Vec<u8>>()).prop_shuffle()
}

/// Writes numbers in a random but valid style: leading zeros or not, spaces or commas.
fn write(numbers: &[u8], style: u8) -> String {
    let sep = [" ", ",", "  ", " , "][usize::from(style % 4)];
    let parts: Vec<String> = numbers
        .iter()
        .map(|n| {
            if style & 4 != 0 {
                format!("{n:02}")
            } else {
                n.to_string()
            }
        })
        .collect();
    parts.join(sep)
}

fn with_multiple(body: String, multiple: u8) -> String {
    if multiple == 1 {
        body
    } else {
        format!("{body} x {multiple}")
    }
}

/// Numbers zone text, plain or 胆拖, from a prefix of `perm`.
fn zone(perm: &[u8], dan: usize, total: usize, style: u8) -> String {
    if dan == 0 {
        write(&perm[..total], style)
    } else {
        format!(
            "{} # {}",
            write(&perm[..dan], style),
            write(&perm[dan..total], style)
        )
    }
}

/// (game, selection text, result text) with results that overlap the selection a lot.
fn ssq_case() -> impl Strategy<Value = (Game, String, String)> {
    (
        permutation(1, 33),
        permutation(1, 16),
        prop_oneof![Just(0usize), 1usize..=5],
        any::<Index>(),
        1usize..=5,
        any::<Index>(),
        any::<Index>(),
        1u8..=99,
        any::<u8>(),
    )
        .prop_map(
            |(reds, blues, dan, total_ix, nb, start_ix, blue_ix, multiple, style)| {
                let (lo, hi) = if dan == 0 {
                    (6, 12)
                } else {
                    (7.max(dan + 2), 13)
                };
                let total = lo + total_ix.index(hi - lo + 1);
                let start = start_ix.index(total + 1);
                let sel = format!(
                    "{} + {}",
                    zone(&reds, dan, total, style),
                    write(&blues[..nb], style)
                );
                let result = format!(
                    "{} + {}",
                    write(&reds[start..start + 6], 0),
                    blues[blue_ix.index(nb + 1)]
                );
                (Game::Ssq, with_multiple(sel, multiple), result)
            },
        )
}

fn qlc_case() -> impl Strategy<Value = (Game, String, String)> {
    (
        permutation(1, 30),
        prop_oneof![Just(0usize), 1usize..=6],
        any::<Index>(),
        any::<Index>(),
        any::<Index>(),
        1u8..=99,
        any::<u8>(),
    )
        .prop_map(
            |(perm, dan, total_ix, start_ix, special_ix, multiple, style)| {
                let (lo, hi) = if dan == 0 {
                    (7, 12)
                } else {
                    (8.max(dan + 2), 13)
                };
                let total = lo + total_ix.index(hi - lo + 1);
                let start = start_ix.index(total + 1);
                let basic = &perm[start..start + 7];
                let sp = special_ix.index(23);
                let special = if sp < start { perm[sp] } else { perm[sp + 7] };
                let result = format!("{} + {}", write(basic, 0), special);
                (
                    Game::Qlc,
                    with_multiple(zone(&perm, dan, total, style), multiple),
                    result,
                )
            },
        )
}

fn kl8_case() -> impl Strategy<Value = (Game, String, String)> {
    (
        permutation(1, 80),
        1u8..=10,
        any::<bool>(),
        any::<Index>(),
        any::<Index>(),
        any::<Index>(),
        1u8..=99,
        any::<u8>(),
    )
        .prop_map(
            |(perm, spot, dantuo, dan_ix, total_ix, start_ix, multiple, style)| {
                let spot_n = usize::from(spot);
                let dan = if dantuo && spot > 1 {
                    1 + dan_ix.index(spot_n - 1)
                } else {
                    0
                };
                let (lo, hi) = if dan == 0 {
                    (spot_n, 14)
                } else {
                    (spot_n + 1, 15)
                };
                let total = lo + total_ix.index(hi - lo + 1);
                let start = start_ix.index(total + 1);
                let result = write(&perm[start..start + 20], 0);
                let sel = format!("x{spot} {}", zone(&perm, dan, total, style));
                (Game::Kl8, with_multiple(sel, multiple), result)
            },
        )
}

fn digits(min: usize) -> impl Strategy<Value = Vec<u8>> {
    (permutation(0, 9), any::<Index>())
        .prop_map(move |(p, n)| p[..min + n.index(11 - min)].to_vec())
}

fn fc3d_case() -> impl Strategy<Value = (Game, String, String)> {
    let direct = (digits(1), digits(1), digits(1)).prop_map(|(a, b, c)| {
        let pos = |d: &[u8]| d.iter().map(|x| x.to_string()).collect::<String>();
        format!("zx {}|{}|{}", pos(&a), pos(&b), pos(&c))
    });
    let group3 = digits(2).prop_map(|d| format!("z3 {}", write(&d, 0)));
    let group6 = digits(3).prop_map(|d| format!("z6 {}", write(&d, 1)));
    (
        prop_oneof![direct, group3, group6],
        0u8..10,
        0u8..10,
        0u8..10,
        1u8..=99,
    )
        .prop_map(|(sel, a, b, c, multiple)| {
            (
                Game::Fc3d,
                with_multiple(sel, multiple),
                format!("{a} {b} {c}"),
            )
        })
}

fn any_case() -> impl Strategy<Value = (Game, String, String)> {
    prop_oneof![ssq_case(), qlc_case(), kl8_case(), fc3d_case()]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5000))]

    #[test]
    fn closed_form_tier_counts_equal_brute_force_expansion((game, sel, res) in any_case()) {
        let selection = Selection::parse(game, &sel).unwrap();
        let result = DrawResult::parse(game, &res).unwrap();
        for fuyun in [Fuyun::NotInRule, Fuyun::Inactive, Fuyun::Active] {
            let closed = selection.tier_counts(&result, fuyun).unwrap();
            let brute = selection.tier_counts_by_expansion(&result, fuyun).unwrap();
            prop_assert_eq!(closed, brute, "{} against {}", sel, res);
        }
    }

    #[test]
    fn bet_count_equals_expansion_size((game, sel, _res) in any_case()) {
        let selection = Selection::parse(game, &sel).unwrap();
        prop_assert_eq!(selection.bets(), selection.expanded_bet_count() as u64);
    }

    #[test]
    fn parse_of_print_is_identity((game, sel, res) in any_case()) {
        let selection = Selection::parse(game, &sel).unwrap();
        let printed = selection.to_string();
        prop_assert_eq!(Selection::parse(game, &printed).unwrap(), selection);
        // The canonical form is a fixed point.
        prop_assert_eq!(Selection::parse(game, &printed).unwrap().to_string(), printed);
        let result = DrawResult::parse(game, &res).unwrap();
        prop_assert_eq!(DrawResult::parse(game, &result.to_string()).unwrap(), result);
    }

    #[test]
    fn every_bet_of_a_kl8_selection_has_exactly_one_hit_count((_g, sel, res) in kl8_case()) {
        let selection = Selection::parse(Game::Kl8, &sel).unwrap();
        let result = DrawResult::parse(Game::Kl8, &res).unwrap();
        let counts = selection.tier_counts(&result, Fuyun::NotInRule).unwrap();
        let total: u64 = counts.0.iter().map(|&(_, n)| n).sum();
        prop_assert_eq!(total, selection.weighted_bets());
    }
}
