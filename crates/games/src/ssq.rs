//! 双色球: 6 reds of 1–33 and 1 blue of 1–16.

use crate::error::{Reason, SelectionError};
use crate::syntax::{end_column, refuse_repeated, split_at_kind, Token, TokenKind, ZoneSpec};
use crate::tier::TierKey;
use crate::zone::{print_pick, PickLimits};
use crate::{NumberSet, Pick};

pub(crate) const RED: ZoneSpec = ZoneSpec {
    name: "red ball",
    min: 1,
    max: 33,
    two_digits: true,
};
pub(crate) const BLUE: ZoneSpec = ZoneSpec {
    name: "blue ball",
    min: 1,
    max: 16,
    two_digits: true,
};
const RED_LIMITS: PickLimits = PickLimits {
    game: "双色球",
    noun: "reds",
    size: 6,
    plain_max: 20,
    dan_max: 5,
    dantuo_min_total: 7,
    dantuo_max_total: 33,
};
const MAX_BLUES: u32 = 16;

/// Tier slots: 一等…六等 then 福运奖 (3 reds + 0 blue).
pub const TIER_KEYS: [&str; 7] = ["1", "2", "3", "4", "5", "6", TierKey::FUYUN];
pub(crate) const FUYUN_SLOT: usize = 6;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SsqNumbers {
    pub red: Pick,
    pub blue: NumberSet,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SsqResult {
    pub red: NumberSet,
    pub blue: u8,
}

/// One expanded bet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SsqBet {
    pub red: NumberSet,
    pub blue: u8,
}

fn split_blue<'t, 'a>(
    tokens: &'t [Token<'a>],
) -> Result<(&'t [Token<'a>], &'t [Token<'a>]), SelectionError> {
    let (red, plus) = split_at_kind(tokens, TokenKind::Plus);
    let Some((_, blue)) = plus else {
        return Err(SelectionError::new(
            end_column(tokens),
            Reason::Unexpected {
                expected: "'+' before the blue balls",
                found: "end of line".into(),
            },
        ));
    };
    refuse_repeated(blue, TokenKind::Plus, '+')?;
    Ok((red, blue))
}

impl SsqNumbers {
    pub(crate) fn parse(tokens: &[Token<'_>]) -> Result<SsqNumbers, SelectionError> {
        let (red_tokens, blue_tokens) = split_blue(tokens)?;
        let red = RED_LIMITS.read(&RED, red_tokens)?;
        let blue = BLUE.read(blue_tokens, NumberSet::EMPTY)?;
        if blue.is_empty() || blue.len() > MAX_BLUES {
            let reds = red.dan.len() + red.tuo.len();
            return Err(SelectionError::new(
                end_column(tokens),
                Reason::Count(format!(
                    "{reds} reds and {} blues: 双色球 needs at least 1 blue",
                    blue.len()
                )),
            ));
        }
        Ok(SsqNumbers { red, blue })
    }

    pub fn print(&self) -> String {
        format!(
            "{} + {}",
            print_pick(&RED, &self.red),
            BLUE.print(self.blue)
        )
    }

    pub fn bets(&self) -> u64 {
        self.red.bets() * u64::from(self.blue.len())
    }

    pub fn play_name(&self) -> &'static str {
        match (self.red.is_dantuo(), self.bets()) {
            (true, _) => "胆拖",
            (false, 1) => "单式",
            (false, _) => "复式",
        }
    }

    /// Winning bets per tier slot (see [`TIER_KEYS`]), in closed form.
    pub fn tier_counts(&self, result: &SsqResult) -> [u64; 7] {
        let reds = self.red.hit_counts(result.red);
        let blue_hit = u64::from(self.blue.contains(result.blue));
        let blue_miss = u64::from(self.blue.len()) - blue_hit;
        let mut slots = [0u64; 7];
        for (red_hits, &count) in reds.iter().enumerate() {
            for (blue_hits, blue_count) in [(0, blue_miss), (1, blue_hit)] {
                if let Some(slot) = tier_slot(red_hits as u32, blue_hits) {
                    slots[slot] += count * blue_count;
                }
            }
        }
        slots
    }

    pub fn expand(&self) -> Vec<SsqBet> {
        let reds = self.red.expand();
        reds.iter()
            .flat_map(|&red| self.blue.iter().map(move |blue| SsqBet { red, blue }))
            .collect()
    }
}

impl SsqBet {
    pub fn tier_slot(&self, result: &SsqResult) -> Option<usize> {
        tier_slot(
            self.red.intersection(result.red).len(),
            u32::from(self.blue == result.blue),
        )
    }
}

/// The slot of a (red hits, blue hits) match; 3+0 is the 福运奖 slot, kept apart so that
/// rule versions without 福运奖 simply ignore it.
fn tier_slot(red: u32, blue: u32) -> Option<usize> {
    match (red, blue) {
        (6, 1) => Some(0),
        (6, 0) => Some(1),
        (5, 1) => Some(2),
        (5, 0) | (4, 1) => Some(3),
        (4, 0) | (3, 1) => Some(4),
        (_, 1) => Some(5),
        (3, 0) => Some(FUYUN_SLOT),
        _ => None,
    }
}

impl SsqResult {
    pub(crate) fn parse(tokens: &[Token<'_>]) -> Result<SsqResult, SelectionError> {
        let (red_tokens, blue_tokens) = split_blue(tokens)?;
        refuse_repeated(red_tokens, TokenKind::Hash, '#')?;
        let red = RED.read(red_tokens, NumberSet::EMPTY)?;
        let blue = BLUE.read(blue_tokens, NumberSet::EMPTY)?;
        if red.len() != 6 || blue.len() != 1 {
            return Err(SelectionError::new(
                end_column(tokens),
                Reason::Count(format!(
                    "{} reds and {} blues: a 双色球 result is 6 reds + 1 blue",
                    red.len(),
                    blue.len()
                )),
            ));
        }
        Ok(SsqResult {
            red,
            blue: blue.iter().next().expect("one blue"),
        })
    }

    pub fn print(&self) -> String {
        format!(
            "{} + {}",
            RED.print(self.red),
            BLUE.format(u32::from(self.blue))
        )
    }
}
