//! One sealed selection line as plain columns (the sealed file's schema) and its conversion to
//! and from a game's [`Selection`].
//!
//! Numbers are bitmasks: bit n is number n (双色球 reds 1–33 in bits 1–33, blues 1–16 in bits
//! 1–16). 快乐8 needs 80 bits, so every main-zone mask has a low word (bits 0–63) and a high
//! word (bits 64–127). 福彩3D 直选 keeps each position's digits in its own 10 bits: 百 in bits
//! 0–9, 十 in 10–19, 个 in 20–29; 组选 keeps the digit set in bits 0–9.

use fucai_games::{
    Fc3dNumbers, Game, Kl8Numbers, NumberSet, Numbers, Pick, QlcNumbers, Selection, SsqNumbers,
};

use crate::error::SealError;

/// 10 bits: one 福彩3D position.
const DIGITS: u128 = 0x3ff;

/// One selection line in the sealed file's terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealedLine {
    /// The ticket serial as a number (its 18 digits never start with 0).
    pub serial: i64,
    /// 1-based position of the line on its ticket.
    pub line: i32,
    pub station: String,
    /// The play in the domain's words (单式, 复式, 胆拖, 直选复式, 组选3, 选五 …).
    pub play: String,
    /// Numbers per bet (6 for 双色球 reds, 7 for 七乐彩, N for 快乐8 选N, 3 for 福彩3D).
    pub pick: i32,
    pub multiple: i32,
    /// Distinct bets of the line, without the multiple.
    pub bets: i64,
    /// Main-zone numbers (the 拖码 of a 胆拖).
    pub numbers: u128,
    /// 胆码 (0 when not a 胆拖).
    pub dan: u128,
    /// 双色球 blue balls (0 for other games).
    pub blue: u32,
}

impl SealedLine {
    pub fn new(serial: i64, line: i32, station: &str, selection: &Selection) -> SealedLine {
        let (pick, numbers, dan, blue) = match selection.numbers {
            Numbers::Ssq(n) => (
                n.red.size,
                n.red.tuo.bits(),
                n.red.dan.bits(),
                n.blue.bits() as u32,
            ),
            Numbers::Qlc(QlcNumbers(p)) => (p.size, p.tuo.bits(), p.dan.bits(), 0),
            Numbers::Kl8(k) => (k.spot, k.pick.tuo.bits(), k.pick.dan.bits(), 0),
            Numbers::Fc3d(Fc3dNumbers::Direct([a, b, c])) => {
                (3, a.bits() | b.bits() << 10 | c.bits() << 20, 0, 0)
            }
            Numbers::Fc3d(Fc3dNumbers::Group3(s) | Fc3dNumbers::Group6(s)) => (3, s.bits(), 0, 0),
        };
        SealedLine {
            serial,
            line,
            station: station.to_string(),
            play: selection.play_name().to_string(),
            pick: i32::from(pick),
            multiple: i32::from(selection.multiple),
            bets: selection.bets() as i64,
            numbers,
            dan,
            blue,
        }
    }

    /// The selection this line stands for, checked: it must be a valid selection of `game`
    /// (it prints and parses back to itself) with the recorded play and bet count.
    pub fn selection(&self, game: Game) -> Result<Selection, SealError> {
        let bad = |why: &str| SealError::BadLine {
            serial: self.serial,
            line: self.line,
            why: why.to_string(),
        };
        let selection = decode(
            game,
            &self.play,
            self.pick,
            self.numbers,
            self.dan,
            self.blue,
        )
        .zip(u8::try_from(self.multiple).ok())
        .map(|(numbers, multiple)| Selection { numbers, multiple })
        .ok_or_else(|| bad("columns do not describe a selection"))?;
        let canonical = selection.to_string();
        match Selection::parse(game, &canonical) {
            Ok(again) if again == selection => {}
            _ => return Err(bad(&format!("not a valid selection: {canonical}"))),
        }
        if selection.play_name() != self.play {
            return Err(bad(&format!(
                "play is {}, not {}",
                selection.play_name(),
                self.play
            )));
        }
        if selection.bets() as i64 != self.bets {
            return Err(bad(&format!(
                "{} bets, not {}",
                selection.bets(),
                self.bets
            )));
        }
        Ok(selection)
    }
}

/// Rebuilds a selection's numbers from the masks; `None` when the columns cannot be one.
pub(crate) fn decode(
    game: Game,
    play: &str,
    pick: i32,
    numbers: u128,
    dan: u128,
    blue: u32,
) -> Option<Numbers> {
    let size = u8::try_from(pick).ok()?;
    let pick_of = || Pick {
        dan: NumberSet::from_bits(dan),
        tuo: NumberSet::from_bits(numbers),
        size,
    };
    Some(match game {
        Game::Ssq => Numbers::Ssq(SsqNumbers {
            red: pick_of(),
            blue: NumberSet::from_bits(u128::from(blue)),
        }),
        Game::Qlc => Numbers::Qlc(QlcNumbers(pick_of())),
        Game::Kl8 => Numbers::Kl8(Kl8Numbers {
            spot: size,
            pick: pick_of(),
        }),
        Game::Fc3d => {
            let set = |shift: u32| NumberSet::from_bits(numbers >> shift & DIGITS);
            Numbers::Fc3d(match play {
                p if p.starts_with("直选") => Fc3dNumbers::Direct([set(0), set(10), set(20)]),
                "组选3" => Fc3dNumbers::Group3(set(0)),
                "组选6" => Fc3dNumbers::Group6(set(0)),
                _ => return None,
            })
        }
    })
}

/// The low and high 64-bit words of a mask, as Parquet INT64 values.
pub(crate) fn words(mask: u128) -> (i64, i64) {
    (mask as u64 as i64, (mask >> 64) as u64 as i64)
}

pub(crate) fn mask(lo: i64, hi: i64) -> u128 {
    u128::from(lo as u64) | u128::from(hi as u64) << 64
}
