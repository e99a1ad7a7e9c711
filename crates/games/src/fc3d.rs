//! 福彩3D: a three-digit number 000–999; plays 直选 (zx), 组选3 (z3), 组选6 (z6).

use crate::combin::binomial;
use crate::error::{Reason, SelectionError};
use crate::syntax::{end_column, Token, TokenKind, ZoneSpec};
use crate::NumberSet;

const DIGIT: ZoneSpec = ZoneSpec {
    name: "digit",
    min: 0,
    max: 9,
    two_digits: false,
};
const GROUP3_DIGITS: (u32, u32) = (2, 10);
const GROUP6_DIGITS: (u32, u32) = (3, 10);
const PLAYS: &str = "zx (直选), z3 (组选3), z6 (组选6)";

/// Tier slots: 直选, 组选3, 组选6.
pub const TIER_KEYS: [&str; 3] = ["zx", "z3", "z6"];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Fc3dNumbers {
    /// 直选: the digits allowed at 百, 十 and 个 (one each for 单式).
    Direct([NumberSet; 3]),
    /// 组选3: each ordered pair of distinct digits (a, b) is the bet {a, a, b}.
    Group3(NumberSet),
    /// 组选6: each 3 distinct digits form one bet.
    Group6(NumberSet),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Fc3dResult(pub [u8; 3]);

/// One expanded bet: digits in order for 直选, a sorted multiset for 组选.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fc3dBet {
    Direct([u8; 3]),
    Group3([u8; 3]),
    Group6([u8; 3]),
}

/// The draw's form decides which 组选 can win: 组三 (exactly two equal), 组六 (all
/// different), or neither (豹子, all three equal).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    Pair,
    AllDifferent,
    Triple,
}

impl Fc3dResult {
    fn form(&self) -> Form {
        let [a, b, c] = self.0;
        if a == b && b == c {
            Form::Triple
        } else if a == b || b == c || a == c {
            Form::Pair
        } else {
            Form::AllDifferent
        }
    }

    fn sorted(&self) -> [u8; 3] {
        let mut digits = self.0;
        digits.sort_unstable();
        digits
    }

    fn digit_set(&self) -> NumberSet {
        self.0.iter().copied().collect()
    }

    pub(crate) fn parse(tokens: &[Token<'_>]) -> Result<Fc3dResult, SelectionError> {
        let mut digits = Vec::with_capacity(3);
        for token in tokens {
            if token.kind != TokenKind::Number {
                return Err(token.unexpected("digits"));
            }
            digits.extend(token.text.bytes().map(|b| b - b'0'));
        }
        if digits.len() != 3 {
            return Err(SelectionError::new(
                end_column(tokens),
                Reason::Count(format!(
                    "{} digits: a 福彩3D result is 3 digits",
                    digits.len()
                )),
            ));
        }
        Ok(Fc3dResult([digits[0], digits[1], digits[2]]))
    }

    pub fn print(&self) -> String {
        let [a, b, c] = self.0;
        format!("{a} {b} {c}")
    }
}

impl Fc3dNumbers {
    pub(crate) fn parse(tokens: &[Token<'_>]) -> Result<Fc3dNumbers, SelectionError> {
        let play = &tokens[0];
        let rest = &tokens[1..];
        let keyword = play.text.to_ascii_lowercase();
        match keyword.as_str() {
            "zx" => parse_direct(play, rest),
            "z3" => parse_group(play, rest, GROUP3_DIGITS, "组选3").map(Fc3dNumbers::Group3),
            "z6" => parse_group(play, rest, GROUP6_DIGITS, "组选6").map(Fc3dNumbers::Group6),
            _ => Err(play.error(Reason::UnknownPlay {
                found: play.text.to_string(),
                game: "福彩3D",
                plays: PLAYS,
            })),
        }
    }

    pub fn print(&self) -> String {
        match self {
            Fc3dNumbers::Direct(positions) => {
                let parts: Vec<String> = positions
                    .iter()
                    .map(|p| p.iter().map(|d| char::from(b'0' + d)).collect())
                    .collect();
                format!("zx {}", parts.join("|"))
            }
            Fc3dNumbers::Group3(digits) => format!("z3 {}", DIGIT.print(*digits)),
            Fc3dNumbers::Group6(digits) => format!("z6 {}", DIGIT.print(*digits)),
        }
    }

    pub fn bets(&self) -> u64 {
        match self {
            Fc3dNumbers::Direct(p) => p.iter().map(|s| u64::from(s.len())).product(),
            Fc3dNumbers::Group3(d) => {
                let n = u64::from(d.len());
                n * (n - 1)
            }
            Fc3dNumbers::Group6(d) => binomial(d.len(), 3),
        }
    }

    pub fn play_name(&self) -> &'static str {
        match self {
            Fc3dNumbers::Direct(_) if self.bets() == 1 => "直选单式",
            Fc3dNumbers::Direct(_) => "直选复式",
            Fc3dNumbers::Group3(_) => "组选3",
            Fc3dNumbers::Group6(_) => "组选6",
        }
    }

    /// Winning bets per tier slot (see [`TIER_KEYS`]), in closed form: at most one bet of a
    /// selection can match a given draw.
    pub fn tier_counts(&self, result: &Fc3dResult) -> [u64; 3] {
        let mut slots = [0u64; 3];
        match self {
            Fc3dNumbers::Direct(positions) => {
                let hit = positions.iter().zip(result.0).all(|(p, d)| p.contains(d));
                slots[0] = u64::from(hit);
            }
            Fc3dNumbers::Group3(digits) => {
                let covered = result.digit_set().difference(*digits).is_empty();
                slots[1] = u64::from(result.form() == Form::Pair && covered);
            }
            Fc3dNumbers::Group6(digits) => {
                let covered = result.digit_set().difference(*digits).is_empty();
                slots[2] = u64::from(result.form() == Form::AllDifferent && covered);
            }
        }
        slots
    }

    pub fn expand(&self) -> Vec<Fc3dBet> {
        match self {
            Fc3dNumbers::Direct([h, t, u]) => h
                .iter()
                .flat_map(|a| {
                    t.iter()
                        .flat_map(move |b| u.iter().map(move |c| Fc3dBet::Direct([a, b, c])))
                })
                .collect(),
            Fc3dNumbers::Group3(digits) => digits
                .iter()
                .flat_map(|a| {
                    digits.iter().filter(move |&b| b != a).map(move |b| {
                        let mut bet = [a, a, b];
                        bet.sort_unstable();
                        Fc3dBet::Group3(bet)
                    })
                })
                .collect(),
            Fc3dNumbers::Group6(digits) => digits
                .subsets(3)
                .into_iter()
                .map(|s| {
                    let v: Vec<u8> = s.iter().collect();
                    Fc3dBet::Group6([v[0], v[1], v[2]])
                })
                .collect(),
        }
    }
}

impl Fc3dBet {
    pub fn tier_slot(&self, result: &Fc3dResult) -> Option<usize> {
        match self {
            Fc3dBet::Direct(d) => (*d == result.0).then_some(0),
            Fc3dBet::Group3(d) => {
                (result.form() == Form::Pair && *d == result.sorted()).then_some(1)
            }
            Fc3dBet::Group6(d) => {
                (result.form() == Form::AllDifferent && *d == result.sorted()).then_some(2)
            }
        }
    }
}

/// `zx 12|3|459`: three positions split by `|`; inside a position every digit counts, written
/// together or apart.
fn parse_direct(play: &Token<'_>, rest: &[Token<'_>]) -> Result<Fc3dNumbers, SelectionError> {
    let mut positions = [NumberSet::EMPTY; 3];
    let mut index = 0;
    let mut bar_seen_last = true;
    for token in rest {
        match token.kind {
            TokenKind::Bar => {
                if bar_seen_last || index == 2 {
                    let reason = if index == 2 {
                        Reason::Count("直选 has exactly 3 positions (百|十|个)".into())
                    } else {
                        Reason::Count(format!("position {} has no digit", index + 1))
                    };
                    return Err(token.error(reason));
                }
                index += 1;
                bar_seen_last = true;
            }
            TokenKind::Number => {
                for (offset, b) in token.text.bytes().enumerate() {
                    let d = b - b'0';
                    if positions[index].contains(d) {
                        return Err(SelectionError::new(
                            token.column + offset,
                            Reason::Repeated {
                                zone: "digit",
                                value: d.to_string(),
                            },
                        ));
                    }
                    positions[index].insert(d);
                }
                bar_seen_last = false;
            }
            _ => return Err(token.unexpected("digits or '|'")),
        }
    }
    if index != 2 || bar_seen_last {
        let column = end_column(rest).max(play.column + play.text.len());
        return Err(SelectionError::new(
            column,
            Reason::Count(format!(
                "直选 needs 3 positions with at least one digit each (百|十|个), found {}",
                index + usize::from(!bar_seen_last)
            )),
        ));
    }
    Ok(Fc3dNumbers::Direct(positions))
}

fn parse_group(
    play: &Token<'_>,
    rest: &[Token<'_>],
    (min, max): (u32, u32),
    name: &str,
) -> Result<NumberSet, SelectionError> {
    let digits = DIGIT.read(rest, NumberSet::EMPTY)?;
    let n = digits.len();
    if n < min || n > max {
        let column = end_column(rest).max(play.column + play.text.len());
        return Err(SelectionError::new(
            column,
            Reason::Count(format!(
                "{n} digits: {name} needs {min}–{max} different digits"
            )),
        ));
    }
    Ok(digits)
}
