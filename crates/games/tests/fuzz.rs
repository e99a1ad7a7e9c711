//! The parsers never panic, whatever they are given: arbitrary Unicode, and strings built
//! from the syntax's own alphabet (which reach far deeper into the grammar).

use fucai_games::{DrawResult, Game, Selection};
use proptest::prelude::*;

fn exercise(text: &str) {
    for game in Game::ALL {
        if let Ok(selection) = Selection::parse(game, text) {
            // Whatever parses prints to something that parses back to the same selection.
            let printed = selection.to_string();
            assert_eq!(
                Selection::parse(game, &printed).as_ref(),
                Ok(&selection),
                "{text:?}"
            );
            let _ = selection.bets();
        }
        let _ = DrawResult::parse(game, text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100_000))]

    #[test]
    fn parser_never_panics_on_syntax_alphabet(text in "[0-9 ,+#|xXzZ36×，-]{0,60}") {
        exercise(&text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100_000))]

    #[test]
    fn parser_never_panics_on_arbitrary_strings(text in any::<String>()) {
        exercise(&text);
    }
}

#[test]
fn parser_refuses_oversize_input() {
    let long = "1 ".repeat(2000);
    assert!(Selection::parse(Game::Ssq, &long).is_err());
}
