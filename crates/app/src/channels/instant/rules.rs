//! 即开票 rule data — the channel's split, each game (方案) with its print batches (批次) and
//! its prize group (奖组) — and the identities printed on packs and tickets. Pure: no I/O.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use fucai_ledger::{Money, Ratio};

use crate::channels::ChannelSplit;
use serde::{Deserialize, Serialize};

/// When a game's sales are recognised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SalesOn {
    /// When a station activates a pack.
    Activation,
    /// When a pack is settled.
    Settlement,
}

/// An amount written in 元 in the rule data ("10.00").
fn yuan<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Money, D::Error> {
    let text = String::deserialize(d)?;
    text.parse().map_err(serde::de::Error::custom)
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PrizeLevel {
    #[serde(deserialize_with = "yuan")]
    pub amount: Money,
    /// Winners of this amount in each prize group.
    pub count: u32,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Batch {
    pub number: String,
    pub packs: u32,
}

/// A game plan (方案).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InstantGame {
    pub code: String,
    pub name: String,
    #[serde(deserialize_with = "yuan")]
    pub face_value: Money,
    pub tickets_per_pack: u32,
    pub packs_per_box: u32,
    /// Tickets in one prize group (奖组).
    pub group_tickets: u32,
    pub sales_on: SalesOn,
    /// Prizes up to this are low tier (a pack settles once enough of them are paid).
    #[serde(deserialize_with = "yuan")]
    pub low_tier_max: Money,
    pub settle_share: Ratio,
    pub settle_days: u32,
    pub sales_commission: Ratio,
    pub claim_commission: Ratio,
    pub sale_from: String,
    pub game_end: String,
    pub prizes: Vec<PrizeLevel>,
    pub batches: Vec<Batch>,
}

// No `deny_unknown_fields`: serde does not support it beside `flatten`.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct InstantChannel {
    pub name: String,
    #[serde(flatten)]
    pub split: ChannelSplit,
    pub source: String,
}

/// The channel and its games (`crates/app/data/instant.toml`).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InstantRules {
    pub channel: InstantChannel,
    pub game: Vec<InstantGame>,
}

impl InstantGame {
    /// Packs in one prize group.
    pub fn group_packs(&self) -> u32 {
        self.group_tickets / self.tickets_per_pack
    }

    /// What one pack sells for.
    pub fn pack_value(&self) -> Money {
        self.face_value
            .checked_mul(i64::from(self.tickets_per_pack))
            .expect("a pack's value fits (checked by validate)")
    }

    pub fn batch(&self, number: &str) -> Option<&Batch> {
        self.batches.iter().find(|b| b.number == number)
    }

    /// Winners per prize amount in one group.
    pub fn group_structure(&self) -> BTreeMap<Money, u32> {
        let mut structure = BTreeMap::new();
        for p in &self.prizes {
            *structure.entry(p.amount).or_insert(0) += p.count;
        }
        structure
    }

    fn validate(&self, channel: &InstantChannel) -> Result<(), String> {
        let name = &self.code;
        if self.tickets_per_pack == 0 || !self.group_tickets.is_multiple_of(self.tickets_per_pack) {
            return Err(format!("{name}: a prize group is whole packs"));
        }
        let group_value = self
            .face_value
            .checked_mul(i64::from(self.group_tickets))
            .map_err(|e| e.to_string())?;
        let mut prizes = Money::ZERO;
        for p in &self.prizes {
            prizes = p
                .amount
                .checked_mul(i64::from(p.count))
                .and_then(|level| prizes.checked_add(level))
                .map_err(|e| e.to_string())?;
        }
        if prizes != group_value.mul_ratio_floor(channel.split.prize) {
            return Err(format!(
                "{name}: a group's prizes are {prizes}, not the prize share of its {group_value}"
            ));
        }
        let winners: u32 = self.prizes.iter().map(|p| p.count).sum();
        if winners > self.group_tickets {
            return Err(format!("{name}: more winners than tickets in a group"));
        }
        for b in &self.batches {
            if b.packs == 0 || !b.packs.is_multiple_of(self.group_packs()) {
                return Err(format!(
                    "{name} batch {}: {} packs is not whole prize groups of {} packs",
                    b.number,
                    b.packs,
                    self.group_packs()
                ));
            }
        }
        Ok(())
    }
}

impl InstantRules {
    pub fn game(&self, code: &str) -> Option<&InstantGame> {
        self.game.iter().find(|g| g.code == code)
    }

    fn validate(&self) -> Result<(), String> {
        let c = &self.channel;
        for g in &self.game {
            g.validate(c)?;
            c.split.validate(&g.code, g.sales_commission)?;
        }
        Ok(())
    }
}

/// The embedded 即开票 rules, validated once.
pub fn instant_rules() -> &'static InstantRules {
    static DATA: OnceLock<InstantRules> = OnceLock::new();
    DATA.get_or_init(|| {
        let rules: InstantRules = toml::from_str(include_str!("../../../data/instant.toml"))
            .expect("the embedded instant rules parse (checked by the tests)");
        rules
            .validate()
            .expect("the embedded instant rules are valid (checked by the tests)");
        rules
    })
}

/// A pack's identity, as its label's barcode carries it: `HY10-190001-0007`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PackLabel {
    pub game: String,
    pub batch: String,
    pub pack: u32,
}

/// A ticket's identity: its pack and number, `HY10-190001-0007-013`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TicketId {
    pub pack: PackLabel,
    pub ticket: u32,
}

impl std::fmt::Display for PackLabel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}-{:04}", self.game, self.batch, self.pack)
    }
}

impl std::fmt::Display for TicketId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{:03}", self.pack, self.ticket)
    }
}

impl PackLabel {
    /// The label of a stored pack.
    pub fn of(pack: &fucai_store::PackRow) -> PackLabel {
        PackLabel {
            game: pack.game.clone(),
            batch: pack.batch.clone(),
            pack: pack.pack as u32,
        }
    }

    /// Parses a label and checks it names a pack of a batch in the rules.
    pub fn parse(text: &str) -> Result<PackLabel, String> {
        let parts: Vec<&str> = text.trim().split('-').collect();
        let [game, batch, pack] = parts[..] else {
            return Err(format!("'{text}' is not a pack label (GAME-BATCH-PACK)"));
        };
        PackLabel::checked(game, batch, pack, text)
    }

    fn checked(game: &str, batch: &str, pack: &str, text: &str) -> Result<PackLabel, String> {
        let rules = instant_rules()
            .game(game)
            .ok_or_else(|| format!("'{text}': no 即开票 game {game}"))?;
        let b = rules
            .batch(batch)
            .ok_or_else(|| format!("'{text}': game {game} has no batch {batch}"))?;
        let pack: u32 = pack
            .parse()
            .ok()
            .filter(|p| (1..=b.packs).contains(p))
            .ok_or_else(|| format!("'{text}': batch {batch} has packs 1–{}", b.packs))?;
        Ok(PackLabel {
            game: game.into(),
            batch: batch.into(),
            pack,
        })
    }

    pub fn game_rules(&self) -> &'static InstantGame {
        instant_rules()
            .game(&self.game)
            .expect("a parsed label names a game in the rules")
    }
}

impl TicketId {
    pub fn parse(text: &str) -> Result<TicketId, String> {
        let parts: Vec<&str> = text.trim().split('-').collect();
        let [game, batch, pack, ticket] = parts[..] else {
            return Err(format!(
                "'{text}' is not a ticket number (GAME-BATCH-PACK-TICKET)"
            ));
        };
        let pack = PackLabel::checked(game, batch, pack, text)?;
        let per_pack = pack.game_rules().tickets_per_pack;
        let ticket = ticket
            .parse()
            .ok()
            .filter(|t| (1..=per_pack).contains(t))
            .ok_or_else(|| format!("'{text}': a pack has tickets 1–{per_pack}"))?;
        Ok(TicketId { pack, ticket })
    }
}

/// One winner in a batch's winner file: pack, ticket, the 保安区 code, the prize.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Winner {
    pub pack: u32,
    pub ticket: u32,
    pub code: String,
    pub prize: Money,
}

/// The columns of a winner file (CSV from the printer).
pub const WINNER_COLUMNS: [&str; 4] = ["pack", "ticket", "code", "prize"];

/// Parses and checks a batch's winner file: every row in range, each ticket once, and each
/// prize group exactly the game's prize structure.
pub fn parse_winner_file(
    game: &InstantGame,
    batch: &Batch,
    text: &str,
) -> Result<Vec<Winner>, String> {
    let mut lines = text.lines();
    let header: Vec<&str> = lines
        .next()
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .collect();
    if header != WINNER_COLUMNS {
        return Err(format!(
            "the first line must be the columns {}",
            WINNER_COLUMNS.join(",")
        ));
    }
    let mut winners = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut groups: BTreeMap<u32, BTreeMap<Money, u32>> = BTreeMap::new();
    for (i, line) in lines.enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let row = i + 1;
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        let [pack, ticket, code, prize] = cells[..] else {
            return Err(format!("row {row}: four columns"));
        };
        let pack: u32 = pack
            .parse()
            .ok()
            .filter(|p| (1..=batch.packs).contains(p))
            .ok_or_else(|| format!("row {row}: pack '{pack}' is not 1–{}", batch.packs))?;
        let ticket: u32 = ticket
            .parse()
            .ok()
            .filter(|t| (1..=game.tickets_per_pack).contains(t))
            .ok_or_else(|| {
                format!(
                    "row {row}: ticket '{ticket}' is not 1–{}",
                    game.tickets_per_pack
                )
            })?;
        if code.is_empty() || code.len() > 32 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(format!("row {row}: '{code}' is not a 保安区 code"));
        }
        let prize: Money = prize
            .parse()
            .map_err(|e| format!("row {row}: prize: {e}"))?;
        if !seen.insert((pack, ticket)) {
            return Err(format!("row {row}: pack {pack} ticket {ticket} twice"));
        }
        *groups
            .entry((pack - 1) / game.group_packs())
            .or_default()
            .entry(prize)
            .or_insert(0) += 1;
        winners.push(Winner {
            pack,
            ticket,
            code: code.to_string(),
            prize,
        });
    }
    let structure = game.group_structure();
    for group in 0..batch.packs / game.group_packs() {
        let found = groups.remove(&group).unwrap_or_default();
        if found != structure {
            return Err(format!(
                "prize group {} (packs {}–{}) does not have the game's prize structure",
                group + 1,
                group * game.group_packs() + 1,
                (group + 1) * game.group_packs()
            ));
        }
    }
    Ok(winners)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_rules_are_valid() {
        let rules: InstantRules =
            toml::from_str(include_str!("../../../data/instant.toml")).unwrap();
        rules.validate().unwrap();
        assert_eq!(rules.game("HY10").unwrap().group_packs(), 50);
    }

    #[test]
    fn labels_and_ticket_numbers_name_real_packs() {
        let t = TicketId::parse("HY10-190001-0007-013").unwrap();
        assert_eq!((t.pack.pack, t.ticket), (7, 13));
        assert_eq!(t.to_string(), "HY10-190001-0007-013");
        assert!(
            TicketId::parse("HY10-190001-0007-021").is_err(),
            "20 a pack"
        );
        assert!(PackLabel::parse("HY10-190001-0101").is_err(), "100 packs");
        assert!(PackLabel::parse("XX10-190001-0001").is_err());
        assert_eq!(PackLabel::parse("HY10-190002-0151").unwrap().pack, 151);
    }
}
