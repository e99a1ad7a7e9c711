//! 中福在线 halls and sales by channel on the wire.

use std::collections::BTreeMap;

use fucai_app::{ChannelSales, HallDayReport, SalesReport, Summary};
use fucai_store::{HallDayRow, HallRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

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

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SalesReportQuery {
    /// First day (YYYY-MM-DD).
    pub from: String,
    /// Last day (YYYY-MM-DD).
    pub to: String,
    /// Dimensions, comma-separated: channel, game, station, town, day, month, year (none: the total).
    pub by: Option<String>,
    /// json (default), csv or xlsx.
    pub format: Option<String>,
}

/// One group: its value of each dimension, its sales and the same group a year earlier.
#[derive(Serialize, ToSchema)]
pub struct SalesReportRowJson {
    /// The group's value of each dimension asked for, by the dimension's name.
    #[serde(flatten)]
    pub key: BTreeMap<String, String>,
    pub amount_fen: i64,
    pub last_year_fen: i64,
    /// Growth on a year earlier, in permille; none when a year earlier sold nothing.
    pub growth_permille: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct SalesReportJson {
    pub from: String,
    pub to: String,
    pub by: Vec<String>,
    pub rows: Vec<SalesReportRowJson>,
    pub total_fen: i64,
    pub last_year_total_fen: i64,
}

impl From<SalesReport> for SalesReportJson {
    fn from(r: SalesReport) -> SalesReportJson {
        let names: Vec<String> =
            r.by.iter()
                .map(|d| {
                    serde_json::to_value(d)
                        .ok()
                        .and_then(|v| v.as_str().map(String::from))
                        .unwrap_or_default()
                })
                .collect();
        SalesReportJson {
            rows: r
                .rows
                .iter()
                .map(|row| SalesReportRowJson {
                    key: names.iter().cloned().zip(row.key.iter().cloned()).collect(),
                    amount_fen: row.amount.fen(),
                    last_year_fen: row.last_year.fen(),
                    growth_permille: row.growth_permille(),
                })
                .collect(),
            from: r.from,
            to: r.to,
            by: names,
            total_fen: r.total.fen(),
            last_year_total_fen: r.last_year_total.fen(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SummarySalesJson {
    pub total: i64,
    pub computer: i64,
    pub instant: i64,
    pub vlt: i64,
}

#[derive(Serialize, ToSchema)]
pub struct CumulativeJson {
    pub since_year: i32,
    pub years: i32,
    pub sales_fen: i64,
    pub welfare_fen: i64,
}

#[derive(Serialize, ToSchema)]
pub struct TrainingSummaryJson {
    pub sessions: usize,
    pub person_times: usize,
    /// For display (computed from integer permille).
    pub coverage_pct: f64,
}

#[derive(Serialize, ToSchema)]
pub struct GrantEventJson {
    pub date: String,
    pub category: String,
    pub amount_fen: i64,
    pub recipients: usize,
}

/// The period's summary: every figure exact in 分 or counts, and the paragraph.
#[derive(Serialize, ToSchema)]
pub struct SummaryJson {
    pub from: String,
    pub to: String,
    /// By channel; `total` is their sum.
    pub sales_fen: SummarySalesJson,
    pub welfare_raised_fen: i64,
    pub cumulative: CumulativeJson,
    pub training: TrainingSummaryJson,
    pub grants: Vec<GrantEventJson>,
    pub text: String,
}

impl From<Summary> for SummaryJson {
    fn from(s: Summary) -> SummaryJson {
        SummaryJson {
            from: s.from,
            to: s.to,
            sales_fen: SummarySalesJson {
                total: s.sales.total.fen(),
                computer: s.sales.computer.fen(),
                instant: s.sales.instant.fen(),
                vlt: s.sales.vlt.fen(),
            },
            welfare_raised_fen: s.welfare_raised.fen(),
            cumulative: CumulativeJson {
                since_year: s.cumulative.since_year,
                years: s.cumulative.years,
                sales_fen: s.cumulative.sales.fen(),
                welfare_fen: s.cumulative.welfare.fen(),
            },
            training: TrainingSummaryJson {
                sessions: s.training.sessions,
                person_times: s.training.person_times,
                coverage_pct: s.training.coverage_pct,
            },
            grants: s
                .grants
                .into_iter()
                .map(|g| GrantEventJson {
                    date: g.date,
                    category: g.category,
                    amount_fen: g.amount.fen(),
                    recipients: g.recipients,
                })
                .collect(),
            text: s.text,
        }
    }
}
