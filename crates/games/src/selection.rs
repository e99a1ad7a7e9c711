//! `Selection` (one ticket line) and `DrawResult` of any game: parse, canonical print, bets,
//! and per-tier win counts in closed form or by brute-force expansion.

use std::fmt;

use crate::error::{Reason, SelectionError};
use crate::fc3d::{Fc3dNumbers, Fc3dResult};
use crate::kl8::{Kl8Numbers, Kl8Result};
use crate::qlc::{QlcNumbers, QlcResult};
use crate::ssq::{SsqNumbers, SsqResult};
use crate::syntax::{print_multiple, take_multiple, tokenize, Token, TokenKind};
use crate::{fc3d, kl8, qlc, ssq, Game};

/// The numbers of a selection, per game.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Numbers {
    Ssq(SsqNumbers),
    Fc3d(Fc3dNumbers),
    Qlc(QlcNumbers),
    Kl8(Kl8Numbers),
}

/// One ticket line: the numbers and the multiple (倍数, 1–99).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Selection {
    pub numbers: Numbers,
    pub multiple: u8,
}

/// A draw's winning numbers, per game.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DrawResult {
    Ssq(SsqResult),
    Fc3d(Fc3dResult),
    Qlc(QlcResult),
    Kl8(Kl8Result),
}

/// Whether 双色球's 福运奖 (3 reds + 0 blue) pays for the draw being evaluated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fuyun {
    /// The rule version has no 福运奖: the tier is not listed.
    NotInRule,
    /// In the rule, outside its special period: listed with 0 bets.
    Inactive,
    /// In the rule and its special period.
    Active,
}

/// Winning bets per tier, in the game's tier order, multiples included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TierCounts(pub Vec<(&'static str, u64)>);

impl TierCounts {
    pub fn get(&self, key: &str) -> Option<u64> {
        self.0.iter().find(|(k, _)| *k == key).map(|&(_, n)| n)
    }
}

impl Selection {
    /// Parses one line of SYNTAX.md for `game`.
    pub fn parse(game: Game, text: &str) -> Result<Selection, SelectionError> {
        let mut tokens = tokenize(text)?;
        let multiple = take_multiple(&mut tokens)?;
        let numbers = match game {
            Game::Ssq => Numbers::Ssq(SsqNumbers::parse(&tokens)?),
            Game::Fc3d => Numbers::Fc3d(Fc3dNumbers::parse(&tokens)?),
            Game::Qlc => Numbers::Qlc(QlcNumbers::parse(&tokens)?),
            Game::Kl8 => Numbers::Kl8(Kl8Numbers::parse(&tokens)?),
        };
        Ok(Selection { numbers, multiple })
    }

    pub fn game(&self) -> Game {
        match self.numbers {
            Numbers::Ssq(_) => Game::Ssq,
            Numbers::Fc3d(_) => Game::Fc3d,
            Numbers::Qlc(_) => Game::Qlc,
            Numbers::Kl8(_) => Game::Kl8,
        }
    }

    /// Distinct bets, without the multiple.
    pub fn bets(&self) -> u64 {
        match &self.numbers {
            Numbers::Ssq(n) => n.bets(),
            Numbers::Fc3d(n) => n.bets(),
            Numbers::Qlc(n) => n.bets(),
            Numbers::Kl8(n) => n.bets(),
        }
    }

    /// Bets including the multiple: what is paid for and what can win.
    pub fn weighted_bets(&self) -> u64 {
        self.bets() * u64::from(self.multiple)
    }

    /// The play in the domain's words: 单式, 复式, 胆拖, 直选复式, 选五 …
    pub fn play_name(&self) -> &'static str {
        match &self.numbers {
            Numbers::Ssq(n) => n.play_name(),
            Numbers::Fc3d(n) => n.play_name(),
            Numbers::Qlc(n) => n.play_name(),
            Numbers::Kl8(n) => n.play_name(),
        }
    }

    /// Winning bets per tier in closed form (no expansion), times the multiple.
    pub fn tier_counts(
        &self,
        result: &DrawResult,
        fuyun: Fuyun,
    ) -> Result<TierCounts, GameMismatch> {
        let slots: Vec<u64> = match (&self.numbers, result) {
            (Numbers::Ssq(n), DrawResult::Ssq(r)) => n.tier_counts(r).to_vec(),
            (Numbers::Fc3d(n), DrawResult::Fc3d(r)) => n.tier_counts(r).to_vec(),
            (Numbers::Qlc(n), DrawResult::Qlc(r)) => n.tier_counts(r).to_vec(),
            (Numbers::Kl8(n), DrawResult::Kl8(r)) => n.tier_counts(r),
            _ => return Err(GameMismatch(self.game(), result.game())),
        };
        Ok(self.label(slots, fuyun))
    }

    /// The same counts by expanding every bet (tests and baselines; slow for big 复式).
    pub fn tier_counts_by_expansion(
        &self,
        result: &DrawResult,
        fuyun: Fuyun,
    ) -> Result<TierCounts, GameMismatch> {
        let mut slots = vec![0u64; self.slot_count()];
        let mut tally = |slot: Option<usize>| {
            if let Some(s) = slot {
                slots[s] += 1;
            }
        };
        match (&self.numbers, result) {
            (Numbers::Ssq(n), DrawResult::Ssq(r)) => {
                n.expand().iter().for_each(|b| tally(b.tier_slot(r)))
            }
            (Numbers::Fc3d(n), DrawResult::Fc3d(r)) => {
                n.expand().iter().for_each(|b| tally(b.tier_slot(r)))
            }
            (Numbers::Qlc(n), DrawResult::Qlc(r)) => n
                .expand()
                .iter()
                .for_each(|&b| tally(qlc::bet_tier_slot(b, r))),
            (Numbers::Kl8(n), DrawResult::Kl8(r)) => n
                .expand()
                .iter()
                .for_each(|b| tally(Some(b.intersection(r.0).len() as usize))),
            _ => return Err(GameMismatch(self.game(), result.game())),
        }
        Ok(self.label(slots, fuyun))
    }

    /// Number of distinct bets by expansion (tests).
    pub fn expanded_bet_count(&self) -> usize {
        match &self.numbers {
            Numbers::Ssq(n) => n.expand().len(),
            Numbers::Fc3d(n) => n.expand().len(),
            Numbers::Qlc(n) => n.expand().len(),
            Numbers::Kl8(n) => n.expand().len(),
        }
    }

    fn slot_count(&self) -> usize {
        match &self.numbers {
            Numbers::Ssq(_) => ssq::TIER_KEYS.len(),
            Numbers::Fc3d(_) => fc3d::TIER_KEYS.len(),
            Numbers::Qlc(_) => qlc::TIER_KEYS.len(),
            Numbers::Kl8(n) => usize::from(n.spot) + 1,
        }
    }

    /// Names the slots, applies the multiple and the 福运奖 state.
    fn label(&self, slots: Vec<u64>, fuyun: Fuyun) -> TierCounts {
        let keys: &[&'static str] = match self.numbers {
            Numbers::Ssq(_) => &ssq::TIER_KEYS,
            Numbers::Fc3d(_) => &fc3d::TIER_KEYS,
            Numbers::Qlc(_) => &qlc::TIER_KEYS,
            Numbers::Kl8(_) => &kl8::TIER_KEYS,
        };
        let multiple = u64::from(self.multiple);
        let mut counts: Vec<(&'static str, u64)> = keys
            .iter()
            .zip(slots)
            .map(|(&k, n)| (k, n * multiple))
            .collect();
        if let Numbers::Ssq(_) = self.numbers {
            match fuyun {
                Fuyun::NotInRule => {
                    counts.truncate(ssq::FUYUN_SLOT);
                }
                Fuyun::Inactive => counts[ssq::FUYUN_SLOT].1 = 0,
                Fuyun::Active => {}
            }
        }
        TierCounts(counts)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a {} selection cannot be checked against a {} result", .0.name(), .1.name())]
pub struct GameMismatch(pub Game, pub Game);

impl fmt::Display for Selection {
    /// The canonical form of SYNTAX.md.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body = match &self.numbers {
            Numbers::Ssq(n) => n.print(),
            Numbers::Fc3d(n) => n.print(),
            Numbers::Qlc(n) => n.print(),
            Numbers::Kl8(n) => n.print(),
        };
        write!(f, "{body}{}", print_multiple(self.multiple))
    }
}

impl DrawResult {
    pub fn parse(game: Game, text: &str) -> Result<DrawResult, SelectionError> {
        let tokens = tokenize(text)?;
        refuse_words(&tokens)?;
        Ok(match game {
            Game::Ssq => DrawResult::Ssq(SsqResult::parse(&tokens)?),
            Game::Fc3d => DrawResult::Fc3d(Fc3dResult::parse(&tokens)?),
            Game::Qlc => DrawResult::Qlc(QlcResult::parse(&tokens)?),
            Game::Kl8 => DrawResult::Kl8(Kl8Result::parse(&tokens)?),
        })
    }

    pub fn game(&self) -> Game {
        match self {
            DrawResult::Ssq(_) => Game::Ssq,
            DrawResult::Fc3d(_) => Game::Fc3d,
            DrawResult::Qlc(_) => Game::Qlc,
            DrawResult::Kl8(_) => Game::Kl8,
        }
    }
}

/// A result has no keywords and no multiple.
fn refuse_words(tokens: &[Token<'_>]) -> Result<(), SelectionError> {
    match tokens
        .iter()
        .find(|t| t.kind == TokenKind::Word || t.kind == TokenKind::Bar)
    {
        Some(t) => Err(t.error(Reason::Unexpected {
            expected: "a number",
            found: t.text.to_string(),
        })),
        None => Ok(()),
    }
}

impl fmt::Display for DrawResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            DrawResult::Ssq(r) => r.print(),
            DrawResult::Fc3d(r) => r.print(),
            DrawResult::Qlc(r) => r.print(),
            DrawResult::Kl8(r) => r.print(),
        };
        f.write_str(&text)
    }
}
