//! 快乐8: 选一…选十, N numbers of 1–80; the draw is 20 numbers.

use crate::error::{Reason, SelectionError};
use crate::syntax::{end_column, refuse_repeated, Token, TokenKind, ZoneSpec};
use crate::zone::{print_pick, PickLimits};
use crate::{NumberSet, Pick};

const NUMBER: ZoneSpec = ZoneSpec {
    name: "number",
    min: 1,
    max: 80,
    two_digits: true,
};
/// Most numbers on one 快乐8 selection (复式 or 胆+拖). Demo assumption: the terminal limit
/// is not in the sources (docs/RULES.md §4); 20 keeps 选十 复式 at C(20,10) bets.
pub const KL8_MAX_NUMBERS: u32 = 20;
/// Numbers drawn.
pub const KL8_DRAWN: u32 = 20;
const NAMES: [&str; 10] = [
    "选一", "选二", "选三", "选四", "选五", "选六", "选七", "选八", "选九", "选十",
];

/// Tier keys: the hit counts "0"…"10" (a 选N selection uses "0"…"N").
pub const TIER_KEYS: [&str; 11] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Kl8Numbers {
    /// N of 选N.
    pub spot: u8,
    pub pick: Pick,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Kl8Result(pub NumberSet);

pub fn play_name(spot: u8) -> &'static str {
    NAMES[usize::from(spot) - 1]
}

fn limits(spot: u8) -> PickLimits {
    PickLimits {
        game: play_name(spot),
        noun: "numbers",
        size: spot,
        plain_max: KL8_MAX_NUMBERS,
        dan_max: u32::from(spot) - 1,
        dantuo_min_total: u32::from(spot) + 1,
        dantuo_max_total: KL8_MAX_NUMBERS,
    }
}

impl Kl8Numbers {
    pub(crate) fn parse(tokens: &[Token<'_>]) -> Result<Kl8Numbers, SelectionError> {
        let play = &tokens[0];
        let spot = play
            .text
            .to_ascii_lowercase()
            .strip_prefix('x')
            .and_then(|n| n.parse::<u8>().ok())
            .filter(|n| (1..=10).contains(n))
            .filter(|_| play.kind == TokenKind::Word);
        let Some(spot) = spot else {
            return Err(play.error(Reason::UnknownPlay {
                found: play.text.to_string(),
                game: "快乐8",
                plays: "x1 (选一) … x10 (选十)",
            }));
        };
        let rest = &tokens[1..];
        refuse_repeated(rest, TokenKind::Plus, '+')?;
        if rest.is_empty() {
            return Err(SelectionError::new(
                end_column(tokens),
                Reason::Count(format!("{} needs at least {spot} numbers", play_name(spot))),
            ));
        }
        let pick = limits(spot).read(&NUMBER, rest)?;
        Ok(Kl8Numbers { spot, pick })
    }

    pub fn print(&self) -> String {
        format!("x{} {}", self.spot, print_pick(&NUMBER, &self.pick))
    }

    pub fn bets(&self) -> u64 {
        self.pick.bets()
    }

    pub fn play_name(&self) -> &'static str {
        play_name(self.spot)
    }

    /// Bets per hit count 0..=N, in closed form.
    pub fn tier_counts(&self, result: &Kl8Result) -> Vec<u64> {
        self.pick.hit_counts(result.0)
    }

    pub fn expand(&self) -> Vec<NumberSet> {
        self.pick.expand()
    }
}

impl Kl8Result {
    pub(crate) fn parse(tokens: &[Token<'_>]) -> Result<Kl8Result, SelectionError> {
        refuse_repeated(tokens, TokenKind::Plus, '+')?;
        refuse_repeated(tokens, TokenKind::Hash, '#')?;
        let drawn = NUMBER.read(tokens, NumberSet::EMPTY)?;
        if drawn.len() != KL8_DRAWN {
            return Err(SelectionError::new(
                end_column(tokens),
                Reason::Count(format!(
                    "{} numbers: a 快乐8 result is {KL8_DRAWN} numbers",
                    drawn.len()
                )),
            ));
        }
        Ok(Kl8Result(drawn))
    }

    pub fn print(&self) -> String {
        NUMBER.print(self.0)
    }
}
