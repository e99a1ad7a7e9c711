//! The channels beside the draw games — 即开票 ([`instant`]) and 中福在线 video-lottery halls
//! ([`halls`]) — and sales by channel, read from the ledger.

mod halls;
pub mod instant;
mod report;

use std::sync::OnceLock;

use fucai_ledger::{GameSplit, Money, Ratio};
use serde::{Deserialize, Serialize};

use crate::calendar::beijing_day_start_ms;
use crate::error::{AppError, AppResult};
use crate::network::period;
use crate::principal::{Access, Principal, Role};
use crate::App;

pub use halls::{export_hall_report, HallDayInput, HallDayReport, HALL_COLUMNS, HALL_DAY_COLUMNS};
pub use report::{export_sales_report, SalesDimension, SalesReport, SalesReportRow};

// The kinds of journal entry a hall's close is posted under (the store's ledger check counts
// the first two).
const HALL_SALES: &str = "hall_sales";
const HALL_SALES_REVERSAL: &str = "hall_sales_reversal";
const HALL_CARDS: &str = "hall_cards";
const HALL_CARDS_REVERSAL: &str = "hall_cards_reversal";

/// Who reads the channels' sales and closes: the center's staff, not stations.
pub const CHANNEL_READERS: &[Role] = &[Role::Admin, Role::Finance, Role::Operations, Role::Auditor];
/// Who imports and corrects them.
pub const CHANNEL_EDITORS: &[Role] = &[Role::Admin, Role::Finance];

/// A channel's split of its sales: 奖金 / 发行费 / 公益金 (no adjustment fund, no pool).
#[derive(Clone, Copy, Debug, Deserialize, Serialize)]
pub struct ChannelSplit {
    pub prize: Ratio,
    pub issuance_fee: Ratio,
    pub welfare: Ratio,
}

impl ChannelSplit {
    pub fn game_split(&self) -> GameSplit {
        GameSplit {
            prize: self.prize,
            adjustment: Ratio::ZERO,
            issuance_fee: self.issuance_fee,
            welfare: self.welfare,
        }
    }

    /// The three shares add up to the whole, and `commission` comes out of 发行费.
    pub(crate) fn validate(&self, name: &str, commission: Ratio) -> Result<(), String> {
        let total =
            self.prize.per_million() + self.issuance_fee.per_million() + self.welfare.per_million();
        if total != Ratio::WHOLE.per_million() {
            return Err(format!("{name}'s split adds up to {total} ppm, not 100%"));
        }
        if commission > self.issuance_fee {
            return Err(format!("{name}: the commission exceeds 发行费"));
        }
        Ok(())
    }
}

/// 中福在线's rule data.
// No `deny_unknown_fields`: serde does not support it beside `flatten`.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct VltRules {
    pub name: String,
    #[serde(flatten)]
    pub split: ChannelSplit,
    /// The hall's commission, out of 发行费.
    pub hall_commission: Ratio,
    pub source: String,
}

/// The channels' rule data (`crates/app/data/channels.toml`).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelRules {
    pub vlt: VltRules,
}

/// The embedded channel rules, validated once.
pub fn channel_rules() -> &'static ChannelRules {
    static DATA: OnceLock<ChannelRules> = OnceLock::new();
    DATA.get_or_init(|| {
        let rules: ChannelRules = toml::from_str(include_str!("../../data/channels.toml"))
            .expect("the embedded channel rules parse (checked by the tests)");
        let vlt = &rules.vlt;
        vlt.split
            .validate(&vlt.name, vlt.hall_commission)
            .expect("the embedded channel rules are valid (checked by the tests)");
        rules
    })
}

/// A sales channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 电脑票: the draw games, sold on terminals or reported daily by the upstream system.
    Computer,
    /// 即开票: packs, recognised on activation or settlement by the game's rule.
    Instant,
    /// 中福在线.
    Vlt,
}

impl Channel {
    /// The channel whose sales a kind of journal entry records, if any (the kinds whose
    /// welfare share is what sales raised).
    pub(crate) fn of_entry_kind(kind: &str) -> Option<Channel> {
        match kind {
            "sale" | "cancel" | "daily_sales" => Some(Channel::Computer),
            "instant_sales" => Some(Channel::Instant),
            HALL_SALES | HALL_SALES_REVERSAL => Some(Channel::Vlt),
            _ => None,
        }
    }
}

/// Sales of a period by channel, from the ledger (what stations came to owe for sales).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ChannelSales {
    pub from: String,
    pub to: String,
    pub computer: Money,
    pub instant: Money,
    pub vlt: Money,
    pub total: Money,
}

impl App {
    /// Sales in `[from, to]` (Beijing days) by channel, summed from the journal.
    pub fn sales_by_channel(
        &self,
        who: &Principal,
        from: &str,
        to: &str,
    ) -> AppResult<ChannelSales> {
        who.require(Access::Roles(CHANNEL_READERS), None)?;
        let (from, to) = period(from, to)?;
        let end = to
            .succ_opt()
            .ok_or_else(|| AppError::invalid("to", "out of range"))?;
        let kinds = self.store.read(|r| {
            r.receivable_by_kind(beijing_day_start_ms(from), beijing_day_start_ms(end))
        })?;
        let mut sales = ChannelSales {
            from: from.to_string(),
            to: to.to_string(),
            ..Default::default()
        };
        for (kind, amount) in kinds {
            let channel = match Channel::of_entry_kind(&kind) {
                Some(Channel::Computer) => &mut sales.computer,
                Some(Channel::Instant) => &mut sales.instant,
                Some(Channel::Vlt) => &mut sales.vlt,
                None => continue,
            };
            *channel = channel.checked_add(amount)?;
        }
        sales.total = Money::checked_sum([sales.computer, sales.instant, sales.vlt])?;
        Ok(sales)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_rules_are_valid() {
        let rules: ChannelRules = toml::from_str(include_str!("../../data/channels.toml")).unwrap();
        let vlt = &rules.vlt;
        vlt.split.validate(&vlt.name, vlt.hall_commission).unwrap();
        assert_eq!(vlt.split.prize, Ratio::percent(65));
    }
}
