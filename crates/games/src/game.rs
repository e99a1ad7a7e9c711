//! The four games fucai sells.

use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Game {
    /// 双色球
    Ssq,
    /// 福彩3D
    Fc3d,
    /// 七乐彩
    Qlc,
    /// 快乐8
    Kl8,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown game '{0}': the games are ssq (双色球), fc3d (福彩3D), qlc (七乐彩), kl8 (快乐8)")]
pub struct UnknownGame(pub String);

impl Game {
    pub const ALL: [Game; 4] = [Game::Ssq, Game::Fc3d, Game::Qlc, Game::Kl8];

    /// The code used in the CLI, the API and the data files.
    pub fn code(self) -> &'static str {
        match self {
            Game::Ssq => "ssq",
            Game::Fc3d => "fc3d",
            Game::Qlc => "qlc",
            Game::Kl8 => "kl8",
        }
    }

    /// The name shown to people.
    pub fn name(self) -> &'static str {
        match self {
            Game::Ssq => "双色球",
            Game::Fc3d => "福彩3D",
            Game::Qlc => "七乐彩",
            Game::Kl8 => "快乐8",
        }
    }
}

impl fmt::Display for Game {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Game {
    type Err = UnknownGame;

    fn from_str(s: &str) -> Result<Game, UnknownGame> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ssq" | "双色球" => Ok(Game::Ssq),
            "fc3d" | "3d" | "福彩3d" => Ok(Game::Fc3d),
            "qlc" | "七乐彩" => Ok(Game::Qlc),
            "kl8" | "快乐8" => Ok(Game::Kl8),
            _ => Err(UnknownGame(s.to_string())),
        }
    }
}
