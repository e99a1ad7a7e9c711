//! 七乐彩: 7 of 1–30; the draw is 7 basic numbers and 1 special number.

use crate::error::{Reason, SelectionError};
use crate::syntax::{end_column, refuse_repeated, split_at_kind, Token, TokenKind, ZoneSpec};
use crate::zone::{print_pick, PickLimits};
use crate::{NumberSet, Pick};

const NUMBER: ZoneSpec = ZoneSpec {
    name: "number",
    min: 1,
    max: 30,
    two_digits: true,
};
const LIMITS: PickLimits = PickLimits {
    game: "七乐彩",
    noun: "numbers",
    size: 7,
    plain_max: 16,
    dan_max: 6,
    dantuo_min_total: 8,
    dantuo_max_total: 30,
};

/// Tier slots: 一等…七等.
pub const TIER_KEYS: [&str; 7] = ["1", "2", "3", "4", "5", "6", "7"];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct QlcNumbers(pub Pick);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct QlcResult {
    pub basic: NumberSet,
    pub special: u8,
}

impl QlcNumbers {
    pub(crate) fn parse(tokens: &[Token<'_>]) -> Result<QlcNumbers, SelectionError> {
        refuse_repeated(tokens, TokenKind::Plus, '+')?;
        LIMITS.read(&NUMBER, tokens).map(QlcNumbers)
    }

    pub fn print(&self) -> String {
        print_pick(&NUMBER, &self.0)
    }

    pub fn bets(&self) -> u64 {
        self.0.bets()
    }

    pub fn play_name(&self) -> &'static str {
        match (self.0.is_dantuo(), self.bets()) {
            (true, _) => "胆拖",
            (false, 1) => "单式",
            (false, _) => "复式",
        }
    }

    pub fn tier_counts(&self, result: &QlcResult) -> [u64; 7] {
        let by_hits = self.0.hit_counts_with_special(result.basic, result.special);
        let mut slots = [0u64; 7];
        for (hits, by_special) in by_hits.iter().enumerate() {
            for (special, &count) in by_special.iter().enumerate() {
                if let Some(slot) = tier_slot(hits as u32, special == 1) {
                    slots[slot] += count;
                }
            }
        }
        slots
    }

    pub fn expand(&self) -> Vec<NumberSet> {
        self.0.expand()
    }
}

/// Slot of one bet of 7 numbers against a result.
pub fn bet_tier_slot(bet: NumberSet, result: &QlcResult) -> Option<usize> {
    tier_slot(
        bet.intersection(result.basic).len(),
        bet.contains(result.special),
    )
}

fn tier_slot(hits: u32, special: bool) -> Option<usize> {
    match (hits, special) {
        (7, _) => Some(0),
        (6, true) => Some(1),
        (6, false) => Some(2),
        (5, true) => Some(3),
        (5, false) => Some(4),
        (4, true) => Some(5),
        (4, false) => Some(6),
        _ => None,
    }
}

impl QlcResult {
    pub(crate) fn parse(tokens: &[Token<'_>]) -> Result<QlcResult, SelectionError> {
        let (basic_tokens, plus) = split_at_kind(tokens, TokenKind::Plus);
        let Some((_, special_tokens)) = plus else {
            return Err(SelectionError::new(
                end_column(tokens),
                Reason::Unexpected {
                    expected: "'+' before the special number",
                    found: "end of line".into(),
                },
            ));
        };
        let basic = NUMBER.read(basic_tokens, NumberSet::EMPTY)?;
        let special = NUMBER.read(special_tokens, NumberSet::EMPTY)?;
        if basic.len() != 7 || special.len() != 1 {
            return Err(SelectionError::new(
                end_column(tokens),
                Reason::Count(format!(
                    "{} + {} numbers: a 七乐彩 result is 7 basic numbers + 1 special",
                    basic.len(),
                    special.len()
                )),
            ));
        }
        let special_number = special.iter().next().expect("one special");
        if basic.contains(special_number) {
            return Err(SelectionError::new(
                special_tokens[0].column,
                Reason::Repeated {
                    zone: "number",
                    value: NUMBER.format(u32::from(special_number)),
                },
            ));
        }
        Ok(QlcResult {
            basic,
            special: special_number,
        })
    }

    pub fn print(&self) -> String {
        format!(
            "{} + {}",
            NUMBER.print(self.basic),
            NUMBER.format(u32::from(self.special))
        )
    }
}
