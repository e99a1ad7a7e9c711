//! Reading a `Pick` (plain or 胆拖) from tokens, with each game's count limits.

use crate::error::{Reason, SelectionError};
use crate::syntax::{end_column, refuse_repeated, split_at_kind, Token, TokenKind, ZoneSpec};
use crate::{NumberSet, Pick};

/// Count limits of one game's pick zone (SYNTAX.md).
#[derive(Clone, Copy, Debug)]
pub(crate) struct PickLimits {
    /// Game name for messages: "双色球".
    pub game: &'static str,
    /// Plural noun for messages: "reds", "numbers".
    pub noun: &'static str,
    /// Numbers per bet.
    pub size: u8,
    /// Most numbers in a 单式/复式.
    pub plain_max: u32,
    /// 胆 allowed: 1..=dan_max (0 means the play has no 胆拖).
    pub dan_max: u32,
    /// 胆 + 拖 at least.
    pub dantuo_min_total: u32,
    /// 胆 + 拖 at most.
    pub dantuo_max_total: u32,
}

impl PickLimits {
    pub fn read(&self, spec: &ZoneSpec, tokens: &[Token<'_>]) -> Result<Pick, SelectionError> {
        let end = end_column(tokens);
        let (first, hash) = split_at_kind(tokens, TokenKind::Hash);
        let Some((hash_token, tuo_tokens)) = hash else {
            let numbers = spec.read(first, NumberSet::EMPTY)?;
            let n = numbers.len();
            let size = u32::from(self.size);
            if n < size || n > self.plain_max {
                let column = if n < size { end } else { first[0].column };
                return Err(SelectionError::new(
                    column,
                    Reason::Count(format!(
                        "{n} {}: {} needs {size}–{} {}",
                        self.noun, self.game, self.plain_max, self.noun
                    )),
                ));
            }
            return Ok(Pick::plain(numbers, self.size));
        };
        refuse_repeated(tuo_tokens, TokenKind::Hash, '#')?;
        if self.dan_max == 0 {
            return Err(hash_token.error(Reason::Count(format!(
                "{} {} has no 胆拖",
                self.game, self.noun
            ))));
        }
        let dan = spec.read(first, NumberSet::EMPTY)?;
        let d = dan.len();
        if d == 0 || d > self.dan_max {
            return Err(hash_token.error(Reason::Count(format!(
                "{d} 胆: {} allows 1–{} 胆 before '#'",
                self.game, self.dan_max
            ))));
        }
        let tuo = spec.read(tuo_tokens, dan)?;
        let total = d + tuo.len();
        if total < self.dantuo_min_total || total > self.dantuo_max_total {
            return Err(SelectionError::new(
                end,
                Reason::Count(format!(
                    "{d} 胆 and {} 拖: {} 胆拖 needs 胆+拖 from {} to {}",
                    tuo.len(),
                    self.game,
                    self.dantuo_min_total,
                    self.dantuo_max_total
                )),
            ));
        }
        Ok(Pick {
            dan,
            tuo,
            size: self.size,
        })
    }
}

/// Canonical text of a pick: `胆 # 拖` or the plain numbers.
pub(crate) fn print_pick(spec: &ZoneSpec, pick: &Pick) -> String {
    if pick.is_dantuo() {
        format!("{} # {}", spec.print(pick.dan), spec.print(pick.tuo))
    } else {
        spec.print(pick.tuo)
    }
}
