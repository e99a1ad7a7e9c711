//! 中福在线 halls and sales by channel on the wire.

use fucai_app::{ChannelSales, HallDayReport};
use fucai_store::{HallDayRow, HallRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct HallJson {
    pub code: String,
    pub name: String,
    /// The station that runs it.
    pub station: String,
    pub town: String,
    pub address: String,
    pub terminals: i64,
    pub opening_hours: String,
    /// open, suspended or closed.
    pub status: String,
    pub opening_card_balance_fen: i64,
}

impl From<HallRow> for HallJson {
    fn from(h: HallRow) -> HallJson {
        HallJson {
            code: h.code,
            name: h.name,
            station: h.station_code,
            town: h.town_code,
            address: h.address,
            terminals: h.terminals,
            opening_hours: h.opening_hours,
            status: h.status.to_string(),
            opening_card_balance_fen: h.opening_card_balance.fen(),
        }
    }
}

/// One revision of a hall's daily close.
#[derive(Serialize, ToSchema)]
pub struct HallDayJson {
    pub hall: String,
    pub date: String,
    pub revision: i64,
    /// 投注额.
    pub wagered_fen: i64,
    /// 中奖额.
    pub prizes_fen: i64,
    /// 充值.
    pub top_ups_fen: i64,
    /// 兑付.
    pub cash_outs_fen: i64,
    /// Card balances at close.
    pub card_balance_fen: i64,
    pub terminals_online: i64,
    /// Whether this revision is in force (a correction supersedes it).
    pub current: bool,
    pub imported_by: String,
}

impl From<HallDayRow> for HallDayJson {
    fn from(d: HallDayRow) -> HallDayJson {
        HallDayJson {
            hall: d.hall_code,
            date: d.day,
            revision: d.revision,
            wagered_fen: d.wagered.fen(),
            prizes_fen: d.prizes.fen(),
            top_ups_fen: d.top_ups.fen(),
            cash_outs_fen: d.cash_outs.fen(),
            card_balance_fen: d.card_balance.fen(),
            terminals_online: d.terminals_online,
            current: d.current,
            imported_by: d.imported_by,
        }
    }
}

/// A hall's closes over a period, their totals, and the superseded revisions.
#[derive(Serialize, ToSchema)]
pub struct HallReportJson {
    pub hall: HallJson,
    pub from: String,
    pub to: String,
    pub days: Vec<HallDayJson>,
    pub superseded: Vec<HallDayJson>,
    pub wagered_fen: i64,
    pub prizes_fen: i64,
    pub top_ups_fen: i64,
    pub cash_outs_fen: i64,
    pub closing_card_balance_fen: i64,
}

impl From<HallDayReport> for HallReportJson {
    fn from(r: HallDayReport) -> HallReportJson {
        HallReportJson {
            hall: r.hall.into(),
            from: r.from,
            to: r.to,
            days: r.days.into_iter().map(HallDayJson::from).collect(),
            superseded: r.superseded.into_iter().map(HallDayJson::from).collect(),
            wagered_fen: r.wagered.fen(),
            prizes_fen: r.prizes.fen(),
            top_ups_fen: r.top_ups.fen(),
            cash_outs_fen: r.cash_outs.fen(),
            closing_card_balance_fen: r.closing_card_balance.fen(),
        }
    }
}

/// A corrected close; amounts in 元.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HallDayBody {
    pub wagered: String,
    pub prizes: String,
    pub top_ups: String,
    pub cash_outs: String,
    pub card_balance: String,
    pub terminals_online: i64,
}

/// Sales of a period by channel, from the ledger.
#[derive(Serialize, ToSchema)]
pub struct ChannelSalesJson {
    pub from: String,
    pub to: String,
    /// 电脑票: the draw games.
    pub computer_fen: i64,
    /// 即开票.
    pub instant_fen: i64,
    /// 中福在线.
    pub vlt_fen: i64,
    pub total_fen: i64,
}

impl From<ChannelSales> for ChannelSalesJson {
    fn from(s: ChannelSales) -> ChannelSalesJson {
        ChannelSalesJson {
            from: s.from,
            to: s.to,
            computer_fen: s.computer.fen(),
            instant_fen: s.instant.fen(),
            vlt_fen: s.vlt.fen(),
            total_fen: s.total.fen(),
        }
    }
}
