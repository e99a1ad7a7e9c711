//! Rule sets as versioned data. The tables live in `crates/games/rules/*.toml` (embedded at
//! build time, so the crate still does no I/O); a draw is evaluated under the version whose
//! `from_draw` is the latest one not after the draw's 期号.

use crate::tier::TierKey;
use std::collections::BTreeMap;
use std::sync::OnceLock;

use fucai_ledger::{Money, Ratio};
use serde::Deserialize;

use crate::selection::{Fuyun, Numbers, Selection, TierCounts};
use crate::{fc3d, qlc, ssq, DrawNumber, Game};

const SOURCES: [(Game, &str); 4] = [
    (Game::Ssq, include_str!("../rules/ssq.toml")),
    (Game::Fc3d, include_str!("../rules/fc3d.toml")),
    (Game::Qlc, include_str!("../rules/qlc.toml")),
    (Game::Kl8, include_str!("../rules/kl8.toml")),
];

/// An amount written in 元 in the rule data (`"4.6"`), held in 分.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Yuan(pub Money);

impl TryFrom<String> for Yuan {
    type Error = fucai_ledger::MoneyError;
    fn try_from(s: String) -> Result<Yuan, Self::Error> {
        s.parse().map(Yuan)
    }
}

/// All rules of one game.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GameRules {
    pub game: String,
    pub name: String,
    /// Price of one bet.
    pub price: Yuan,
    pub max_multiple: u32,
    /// Most a single ticket may cost.
    pub max_ticket: Yuan,
    pub limits_status: String,
    #[serde(rename = "version")]
    pub versions: Vec<RuleVersion>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleVersion {
    pub id: String,
    pub from_draw: DrawNumber,
    pub title: String,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub assumptions: Vec<String>,
    pub split: FundSplit,
    /// Tiers of 双色球, 福彩3D and 七乐彩, in tier order.
    #[serde(default, rename = "tier")]
    pub tiers: Vec<TierRule>,
    /// Prize tables of 快乐8, one per 选N.
    #[serde(default, rename = "play")]
    pub plays: Vec<Kl8Play>,
    pub floating: Option<FloatingRule>,
}

/// How each sale is divided (shares of sales, adding up to 100%).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundSplit {
    /// 当期奖金: paid out for this draw.
    pub prize_current: Ratio,
    /// 调节基金.
    pub adjustment: Ratio,
    /// 发行费 (includes the station commission).
    pub issuance_fee: Ratio,
    /// 彩票公益金.
    pub welfare: Ratio,
    pub status: String,
}

impl FundSplit {
    /// The split in the ledger's terms.
    pub fn game_split(&self) -> fucai_ledger::GameSplit {
        fucai_ledger::GameSplit {
            prize: self.prize_current,
            adjustment: self.adjustment,
            issuance_fee: self.issuance_fee,
            welfare: self.welfare,
        }
    }

    /// The four shares in the order prize, adjustment, issuance fee, welfare.
    pub fn ratios(&self) -> [Ratio; 4] {
        [
            self.prize_current,
            self.adjustment,
            self.issuance_fee,
            self.welfare,
        ]
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierRule {
    pub key: TierKey,
    pub name: String,
    #[serde(rename = "match")]
    pub matches: String,
    /// Fixed prize per bet; `None` for a floating tier.
    pub prize: Option<Yuan>,
    #[serde(default)]
    pub floating: bool,
    pub status: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kl8Play {
    pub spot: u8,
    /// Hits → prize ("floating" for a pool-paid prize).
    pub prizes: BTreeMap<String, Kl8Prize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub enum Kl8Prize {
    Fixed(Money),
    Floating,
}

impl TryFrom<String> for Kl8Prize {
    type Error = fucai_ledger::MoneyError;
    fn try_from(s: String) -> Result<Kl8Prize, Self::Error> {
        if s == "floating" {
            Ok(Kl8Prize::Floating)
        } else {
            s.parse().map(Kl8Prize::Fixed)
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum FloatingRule {
    Ssq(SsqFloating),
    Qlc(QlcFloating),
    Kl8(Kl8Floating),
}

/// 双色球 一/二等奖 (docs/RULES.md §1.5, §1.7).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SsqFloating {
    /// Pool at or above which 一等奖 has two parts.
    pub pool_threshold: Yuan,
    pub below_first: Ratio,
    pub below_second: Ratio,
    pub above_first_a: Ratio,
    pub above_first_b: Ratio,
    pub above_second: Ratio,
    pub per_bet_cap: Yuan,
    /// 二等奖 is topped up to this many times the 三等奖 prize.
    pub second_floor_times_third: u32,
    pub first_total_cap: Option<Yuan>,
    pub second_total_cap: Option<Yuan>,
    pub fuyun: Option<FuyunRule>,
    pub status: String,
}

/// The 特别规定 state machine of 福运奖.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FuyunRule {
    /// A pool after a draw at or above this starts the period for the next draw.
    pub start_pool: Yuan,
    /// A pool after a draw below this stops the period for the next draw.
    pub stop_below: Yuan,
    pub status: String,
    /// Published periods (draw ranges, inclusive) when it was active.
    #[serde(default)]
    pub observed: Vec<DrawRange>,
}

impl FuyunRule {
    /// State of the next draw given this draw's state and its closing pool: between the two
    /// thresholds the state persists (hysteresis).
    pub fn next_active(&self, active_now: bool, pool_after: Money) -> bool {
        if active_now {
            pool_after >= self.stop_below.0
        } else {
            pool_after >= self.start_pool.0
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrawRange {
    pub from: DrawNumber,
    pub to: DrawNumber,
}

/// 七乐彩 一/二/三等奖.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QlcFloating {
    pub first: Ratio,
    pub second: Ratio,
    pub third: Ratio,
    pub per_bet_cap: Yuan,
    /// A tier is topped up to this many times the per-bet prize of the tier below.
    pub top_up_times_next: u32,
    pub status: String,
}

/// 快乐8 选十中十 / 选九中九 from a dedicated pool.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kl8Floating {
    pub pool_share: Ratio,
    pub guaranteed_min: Yuan,
    pub status: String,
    #[serde(rename = "tier")]
    pub tiers: Vec<Kl8FloatingTier>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kl8FloatingTier {
    pub spot: u8,
    pub hits: u8,
    pub per_bet_cap: Yuan,
}

impl Kl8FloatingTier {
    pub fn key(&self) -> String {
        format!("x{}-{}", self.spot, self.hits)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("rules of {game}: {message}")]
    Invalid { game: &'static str, message: String },
}

/// Every game's rule versions.
#[derive(Clone, Debug)]
pub struct RuleBook {
    games: Vec<(Game, GameRules)>,
}

impl RuleBook {
    /// Parses and validates the embedded rule data.
    pub fn load() -> Result<RuleBook, RuleError> {
        let mut games = Vec::new();
        for (game, text) in SOURCES {
            let invalid = |message: String| RuleError::Invalid {
                game: game.code(),
                message,
            };
            let rules: GameRules = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
            validate(game, &rules).map_err(invalid)?;
            games.push((game, rules));
        }
        Ok(RuleBook { games })
    }

    /// The embedded rule book; its data is checked by the test-suite, so failing to load it
    /// is a build defect.
    pub fn standard() -> &'static RuleBook {
        static BOOK: OnceLock<RuleBook> = OnceLock::new();
        BOOK.get_or_init(|| RuleBook::load().expect("embedded rule data is valid"))
    }

    pub fn game(&self, game: Game) -> &GameRules {
        &self
            .games
            .iter()
            .find(|(g, _)| *g == game)
            .expect("every game has rules")
            .1
    }

    /// The version in force for `draw`, or the newest when no draw is given. `None` when the
    /// draw precedes every version.
    pub fn version_for(&self, game: Game, draw: Option<DrawNumber>) -> Option<&RuleVersion> {
        let versions = &self.game(game).versions;
        match draw {
            None => versions.last(),
            Some(d) => versions.iter().rev().find(|v| v.from_draw <= d),
        }
    }
}

impl RuleVersion {
    pub fn fuyun_rule(&self) -> Option<&FuyunRule> {
        match &self.floating {
            Some(FloatingRule::Ssq(s)) => s.fuyun.as_ref(),
            _ => None,
        }
    }

    /// 福运奖 state for a draw as far as the rule data knows: active inside a published
    /// period, inactive otherwise. Settlement derives the live state from the pool instead.
    pub fn fuyun_for(&self, draw: Option<DrawNumber>) -> Fuyun {
        let Some(rule) = self.fuyun_rule() else {
            return Fuyun::NotInRule;
        };
        let active = draw.is_some_and(|d| rule.observed.iter().any(|r| r.from <= d && d <= r.to));
        if active {
            Fuyun::Active
        } else {
            Fuyun::Inactive
        }
    }

    pub fn tier(&self, key: &str) -> Option<&TierRule> {
        self.tiers.iter().find(|t| t.key == key)
    }

    pub fn kl8_prize(&self, spot: u8, hits: u8) -> Option<Kl8Prize> {
        self.plays
            .iter()
            .find(|p| p.spot == spot)
            .and_then(|p| p.prizes.get(&hits.to_string()).copied())
    }

    /// Total of the fixed-amount tiers won (floating tiers excluded), before tax.
    pub fn fixed_prize(&self, selection: &Selection, counts: &TierCounts) -> Money {
        let per_bet = |key: &str| -> Option<Money> {
            match &selection.numbers {
                Numbers::Kl8(n) => match self.kl8_prize(n.spot, key.parse().ok()?)? {
                    Kl8Prize::Fixed(m) => Some(m),
                    Kl8Prize::Floating => None,
                },
                _ => self.tier(key)?.prize.map(|y| y.0),
            }
        };
        let fen: i64 = counts
            .0
            .iter()
            .filter_map(|&(key, n)| per_bet(key).map(|m| m.fen() * n as i64))
            .sum();
        Money::from_fen(fen)
    }
}

fn validate(game: Game, rules: &GameRules) -> Result<(), String> {
    if rules.game != game.code() {
        return Err(format!("file says game '{}'", rules.game));
    }
    if rules.versions.is_empty() {
        return Err("no version".into());
    }
    // A selection carries its multiple in a byte, and a ticket's lines are multiplied by it.
    if rules.max_multiple == 0 || rules.max_multiple > u32::from(u8::MAX) {
        return Err(format!(
            "max_multiple {} is outside 1–{}",
            rules.max_multiple,
            u8::MAX
        ));
    }
    for pair in rules.versions.windows(2) {
        if pair[0].from_draw >= pair[1].from_draw {
            return Err(format!(
                "versions {} and {} are out of order",
                pair[0].id, pair[1].id
            ));
        }
    }
    for v in &rules.versions {
        let sum: u32 = v.split.ratios().iter().map(|r| r.per_million()).sum();
        if sum != Ratio::WHOLE.per_million() {
            return Err(format!(
                "{}: fund split adds up to {sum} ppm, not 100%",
                v.id
            ));
        }
        validate_tiers(game, v)?;
        validate_floating(game, v)?;
    }
    Ok(())
}

fn validate_tiers(game: Game, v: &RuleVersion) -> Result<(), String> {
    if game == Game::Kl8 {
        for spot in 1..=10u8 {
            let play = v
                .plays
                .iter()
                .find(|p| p.spot == spot)
                .ok_or(format!("{}: 选{spot} missing", v.id))?;
            for hits in play.prizes.keys() {
                let h: u8 = hits
                    .parse()
                    .map_err(|_| format!("{}: hits '{hits}'", v.id))?;
                if h > spot {
                    return Err(format!("{}: 选{spot} cannot hit {h}", v.id));
                }
            }
        }
        return Ok(());
    }
    let expected: &[&str] = match game {
        Game::Ssq if v.tiers.len() == 7 => &ssq::TIER_KEYS,
        Game::Ssq => &ssq::TIER_KEYS[..6],
        Game::Fc3d => &fc3d::TIER_KEYS,
        Game::Qlc => &qlc::TIER_KEYS,
        Game::Kl8 => unreachable!(),
    };
    let keys: Vec<&str> = v.tiers.iter().map(|t| t.key.as_str()).collect();
    if keys != expected {
        return Err(format!("{}: tiers {keys:?}, expected {expected:?}", v.id));
    }
    for t in &v.tiers {
        if t.floating == t.prize.is_some() {
            return Err(format!(
                "{}: tier {} must be either floating or have a prize",
                v.id, t.key
            ));
        }
    }
    Ok(())
}

fn validate_floating(game: Game, v: &RuleVersion) -> Result<(), String> {
    let kind_matches = matches!(
        (game, &v.floating),
        (Game::Ssq, Some(FloatingRule::Ssq(_)))
            | (Game::Qlc, Some(FloatingRule::Qlc(_)))
            | (Game::Kl8, Some(FloatingRule::Kl8(_)))
            | (Game::Fc3d, None)
    );
    if !kind_matches {
        return Err(format!("{}: floating rule does not fit the game", v.id));
    }
    if let Some(FloatingRule::Ssq(s)) = &v.floating {
        let has_fy_tier = v.tier(TierKey::FUYUN).is_some();
        if has_fy_tier != s.fuyun.is_some() {
            return Err(format!(
                "{}: 福运奖 tier and its special rule go together",
                v.id
            ));
        }
    }
    if let Some(FloatingRule::Kl8(k)) = &v.floating {
        for t in &k.tiers {
            if v.kl8_prize(t.spot, t.hits) != Some(Kl8Prize::Floating) {
                return Err(format!(
                    "{}: {} is not a floating prize in the table",
                    v.id,
                    t.key()
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_max_multiple_that_does_not_fit_a_selection_is_refused_on_load() {
        let (game, text) = SOURCES[0];
        let bad = text.replace("max_multiple = 99", "max_multiple = 300");
        let rules: GameRules = toml::from_str(&bad).unwrap();
        let why = validate(game, &rules).unwrap_err();
        assert!(why.contains("max_multiple 300"), "{why}");
        let good: GameRules = toml::from_str(text).unwrap();
        validate(game, &good).unwrap();
    }
}
