//! 即开票 on the wire: winner files, pack moves, packs, stock, prizes left, claims.

use fucai_app::instant::{BatchPrizes, InstantClaimReceipt, InstantStock, PackMoveReport};
use fucai_store::{InstantBatchRow, InstantOrderRow, PackEventRow, PackRow, PackSalesRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct InstantBatchJson {
    pub game: String,
    pub batch: String,
    /// SHA-256 of the winner file as delivered (published).
    pub winner_sha256: String,
    pub winners: i64,
    pub prizes_fen: i64,
}

impl From<InstantBatchRow> for InstantBatchJson {
    fn from(b: InstantBatchRow) -> InstantBatchJson {
        InstantBatchJson {
            game: b.game,
            batch: b.batch,
            winner_sha256: b.winner_sha256,
            winners: b.winners,
            prizes_fen: b.prizes.fen(),
        }
    }
}

/// A scan of packs.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PackMoveBody {
    /// Pack labels, `GAME-BATCH-PACK`.
    pub packs: Vec<String>,
    /// Where `issue` sends them.
    pub station: Option<String>,
    /// The order `issue` fills.
    pub order: Option<i64>,
    /// Why (a discrepancy, a theft report …).
    #[serde(default)]
    pub note: String,
}

#[derive(Serialize, ToSchema)]
pub struct PackMoveJson {
    pub action: String,
    pub packs: Vec<String>,
    /// Sales these moves recognised.
    pub sales_fen: i64,
}

impl From<PackMoveReport> for PackMoveJson {
    fn from(r: PackMoveReport) -> PackMoveJson {
        PackMoveJson {
            action: serde_json::to_value(r.action)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default(),
            packs: r.packs,
            sales_fen: r.sales.fen(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PackEventJson {
    pub at: i64,
    pub actor: String,
    pub from: String,
    pub to: String,
    pub station: Option<String>,
    pub note: String,
}

impl From<PackEventRow> for PackEventJson {
    fn from(e: PackEventRow) -> PackEventJson {
        PackEventJson {
            at: e.at,
            actor: e.actor,
            from: e.from_state.to_string(),
            to: e.to_state.to_string(),
            station: e.station_code,
            note: e.note,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PackJson {
    pub pack: String,
    /// in_transit, at_center, to_station, at_station, activated, settled, returned, held, blocked.
    pub state: String,
    pub station: Option<String>,
    pub activated_at: Option<i64>,
    pub settled_at: Option<i64>,
    pub sales_fen: Option<i64>,
    pub moves: Vec<PackEventJson>,
}

impl PackJson {
    pub fn new(p: PackRow, moves: Vec<PackEventRow>) -> PackJson {
        PackJson {
            pack: fucai_app::instant::PackLabel::of(&p).to_string(),
            state: p.state.to_string(),
            station: p.station_code,
            activated_at: p.activated_at,
            settled_at: p.settled_at,
            sales_fen: p.sales_posted_at.map(|_| {
                fucai_app::instant::instant_rules()
                    .game(&p.game)
                    .map_or(0, |g| g.pack_value().fen())
            }),
            moves: moves.into_iter().map(PackEventJson::from).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct StockRowJson {
    /// The station holding them; none: the center (or on the way to it).
    pub station: Option<String>,
    pub game: String,
    pub state: String,
    pub packs: i64,
}

#[derive(Serialize, ToSchema)]
pub struct InstantStockJson {
    pub rows: Vec<StockRowJson>,
    /// Whether the packs per state agree with the states their recorded moves leave them in.
    pub consistent: bool,
}

impl From<InstantStock> for InstantStockJson {
    fn from(s: InstantStock) -> InstantStockJson {
        InstantStockJson {
            rows: s
                .rows
                .into_iter()
                .map(|r| StockRowJson {
                    station: r.station_code,
                    game: r.game,
                    state: r.state.to_string(),
                    packs: r.packs,
                })
                .collect(),
            consistent: s.consistent,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PrizeLeftJson {
    pub amount_fen: i64,
    pub winners: i64,
    pub paid: i64,
    pub left: i64,
}

#[derive(Serialize, ToSchema)]
pub struct BatchPrizesJson {
    pub game: String,
    pub game_name: String,
    pub batch: String,
    pub winner_sha256: String,
    pub prizes: Vec<PrizeLeftJson>,
}

impl From<BatchPrizes> for BatchPrizesJson {
    fn from(b: BatchPrizes) -> BatchPrizesJson {
        BatchPrizesJson {
            game: b.game,
            game_name: b.game_name,
            batch: b.batch,
            winner_sha256: b.winner_sha256,
            prizes: b
                .prizes
                .into_iter()
                .map(|(amount, winners, paid, left)| PrizeLeftJson {
                    amount_fen: amount.fen(),
                    winners,
                    paid,
                    left,
                })
                .collect(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InstantClaimBody {
    /// `GAME-BATCH-PACK-TICKET`.
    pub ticket: String,
    /// The 保安区 code under the scratch area.
    pub code: String,
    /// The winner's 身份证号 (above 3,000元).
    pub claimant_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct InstantClaimJson {
    pub ticket: String,
    pub office: String,
    pub prize_fen: i64,
    pub tax_fen: i64,
    pub net_fen: i64,
    pub pack_settled: bool,
}

impl From<InstantClaimReceipt> for InstantClaimJson {
    fn from(r: InstantClaimReceipt) -> InstantClaimJson {
        InstantClaimJson {
            ticket: r.ticket,
            office: r.office,
            prize_fen: r.prize.fen(),
            tax_fen: r.tax.fen(),
            net_fen: r.net.fen(),
            pack_settled: r.pack_settled,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimScopeBody {
    /// own (本站自兑), area (区域通兑) or center (中心通兑).
    pub scope: String,
}

#[derive(Serialize, ToSchema)]
pub struct ClaimScopeJson {
    pub station: String,
    pub scope: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderBody {
    pub station: String,
    pub game: String,
    pub packs: i64,
    #[serde(default)]
    pub note: String,
}

#[derive(Serialize, ToSchema)]
pub struct OrderJson {
    pub id: i64,
    pub station: String,
    pub game: String,
    pub packs: i64,
    /// Packs issued against it so far.
    pub issued: i64,
    pub note: String,
    pub ordered_by: String,
    pub ordered_at: i64,
}

impl From<InstantOrderRow> for OrderJson {
    fn from(o: InstantOrderRow) -> OrderJson {
        OrderJson {
            id: o.id,
            station: o.station_code,
            game: o.game,
            packs: o.packs,
            issued: o.issued,
            note: o.note,
            ordered_by: o.ordered_by,
            ordered_at: o.ordered_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PackSalesJson {
    pub station: String,
    pub game: String,
    /// YYYY-MM-DD (Beijing).
    pub date: String,
    pub packs: i64,
    pub sales_fen: i64,
}

impl From<PackSalesRow> for PackSalesJson {
    fn from(r: PackSalesRow) -> PackSalesJson {
        PackSalesJson {
            station: r.station_code,
            game: r.game,
            date: fucai_app::beijing_date(r.day_ms).to_string(),
            packs: r.packs,
            sales_fen: r.sales.fen(),
        }
    }
}
