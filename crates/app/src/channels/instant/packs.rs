//! A pack's way: to the center, into its stock, issued to a station, confirmed there (or
//! reported missing), activated, settled — by the game's rule, by hand or at the end of the
//! game — or returned, held (missing) or blocked (stolen). Every move is checked against
//! [`PackState::can_become`], recorded and audited; a scan of several packs moves all or none.
//! Sales are posted when the game recognises them: on activation or on settlement.

use fucai_ledger::{FundSplitPolicy, JournalEntry, Money, SaleParties};
use fucai_store::{PackMove, PackRow, PackState, StationStatus, Writes};
use serde::{Deserialize, Serialize};

use super::rules::{instant_rules, InstantGame, PackLabel, SalesOn};
use super::INSTANT_OPERATORS;
use crate::calendar::beijing_date;
use crate::clock::now_ms;
use crate::error::{AppError, AppResult};
use crate::principal::{Access, Principal, Role};
use crate::App;

/// What a scan of packs does to them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PackAction {
    /// The center receives packs delivered to it.
    Receive,
    /// The center sends packs to a station.
    Issue,
    /// The station confirms it received them.
    Confirm,
    /// The station puts a pack on sale.
    Activate,
    /// The center settles a pack by hand.
    Settle,
    /// Whole packs go back to the center.
    Return,
    /// A pack is missing (a station reports one it did not receive).
    Hold,
    /// A missing pack is found and back in the center's stock.
    Release,
    /// A pack is stolen: its tickets never pay.
    Block,
}

impl PackAction {
    fn target(self) -> PackState {
        match self {
            PackAction::Receive | PackAction::Release => PackState::AtCenter,
            PackAction::Issue => PackState::ToStation,
            PackAction::Confirm => PackState::AtStation,
            PackAction::Activate => PackState::Activated,
            PackAction::Settle => PackState::Settled,
            PackAction::Return => PackState::Returned,
            PackAction::Hold => PackState::Held,
            PackAction::Block => PackState::Blocked,
        }
    }

    fn name(self) -> &'static str {
        match self {
            PackAction::Receive => "receive",
            PackAction::Issue => "issue",
            PackAction::Confirm => "confirm",
            PackAction::Activate => "activate",
            PackAction::Settle => "settle",
            PackAction::Return => "return",
            PackAction::Hold => "hold",
            PackAction::Release => "release",
            PackAction::Block => "block",
        }
    }

    /// Moves a station makes for itself (its terminal, owner or clerk); the center's staff
    /// make every move.
    fn by_station(self, from: PackState) -> bool {
        match self {
            PackAction::Confirm | PackAction::Activate => true,
            // Reporting a pack it was sent but did not receive.
            PackAction::Hold => from == PackState::ToStation,
            _ => false,
        }
    }
}

/// Who may act for a station on its packs.
const STATION_HANDLERS: &[Role] = &[
    Role::Admin,
    Role::Operations,
    Role::StationOwner,
    Role::StationClerk,
];

/// A scan of packs: what to do, to which packs (labels `GAME-BATCH-PACK`), where `issue`
/// sends them and against which order, and why.
#[derive(Clone, Debug, Default)]
pub struct PackScan {
    pub action: Option<PackAction>,
    pub packs: Vec<String>,
    pub station: Option<String>,
    pub order: Option<i64>,
    pub note: String,
}

/// What a scan did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PackMoveReport {
    pub action: PackAction,
    pub packs: Vec<String>,
    /// Sales recognised by these moves.
    pub sales: Money,
}

/// Posts a pack's sales (its tickets × face value) owed by its station, with the channel's
/// split and the game's sales commission.
fn post_sales(
    tx: &mut dyn Writes,
    policy: &FundSplitPolicy,
    pack: &PackRow,
    game: &InstantGame,
    now: i64,
) -> AppResult<Money> {
    let station_id = pack
        .station_id
        .ok_or_else(|| AppError::internal("an activated pack without a station"))?;
    let chain = tx.reader().station_chain(station_id)?;
    let parties = SaleParties {
        game: "instant",
        station: &chain.station.code,
        district: &chain.district_code,
        city: &chain.city_code,
        province: &chain.province_code,
    };
    let value = game.pack_value();
    let postings = policy
        .for_station(Some(game.sales_commission))
        .sale_postings(
            &parties,
            instant_rules().channel.split.game_split(),
            value,
            None,
        )
        .map_err(AppError::caused_by)?;
    let label = PackLabel::of(pack);
    let entry = JournalEntry::new(
        format!("instant-sales:{label}"),
        format!("即开票 {} {label} 销售", game.name),
        postings,
    )
    .map_err(AppError::caused_by)?;
    tx.post_entry(&entry, "instant_sales", None, now)?;
    tx.mark_pack_sales_posted(pack.id, now, value)?;
    Ok(value)
}

/// Sales per station, game and day as a sheet.
pub fn export_instant_sales(
    rows: &[fucai_store::PackSalesRow],
    format: crate::Format,
) -> AppResult<Vec<u8>> {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                beijing_date(r.day_ms).to_string(),
                r.station_code.clone(),
                r.game.clone(),
                r.packs.to_string(),
                r.sales.display_plain(),
            ]
        })
        .collect();
    crate::tabular::write_table(
        format,
        "即开票销售",
        &["日期", "投注站", "游戏", "本数", "销售额（元）"],
        &rows,
    )
}

/// Who moves packs, when and why, under which fund split.
pub(super) struct Mover<'a> {
    pub policy: &'a FundSplitPolicy,
    pub actor: &'a str,
    pub note: &'a str,
    pub now: i64,
}

/// Moves one pack, posting its sales when this move recognises them; answers the sales.
pub(super) fn move_pack(
    tx: &mut dyn Writes,
    by: &Mover<'_>,
    pack: &PackRow,
    action: PackAction,
    station_id: Option<i64>,
) -> AppResult<Money> {
    let (actor, note, now) = (by.actor, by.note, by.now);
    let to = action.target();
    let label = PackLabel::of(pack).to_string();
    if !pack.state.can_become(to) {
        return Err(AppError::Refused(format!(
            "pack {label} is {}: it cannot {}",
            pack.state,
            action.name()
        )));
    }
    let game = instant_rules()
        .game(&pack.game)
        .ok_or_else(|| AppError::internal("a pack of a game not in the rules"))?;
    if action == PackAction::Activate {
        let today = beijing_date(now).to_string();
        if today < game.sale_from || today > game.game_end {
            return Err(AppError::Refused(format!(
                "{} is on sale from {} to {}: pack {label} cannot be activated on {today}",
                game.name, game.sale_from, game.game_end
            )));
        }
    }
    tx.move_pack(&PackMove {
        pack_id: pack.id,
        from: pack.state,
        to,
        station_id,
        at: now,
        actor,
        note,
    })?;
    tx.audit(
        now,
        actor,
        &format!("instant.pack.{}", action.name()),
        &label,
        note.as_bytes(),
    )?;
    let recognised = match (game.sales_on, to) {
        (SalesOn::Activation, PackState::Activated) | (SalesOn::Settlement, PackState::Settled)
            if pack.sales_posted_at.is_none() =>
        {
            let moved = PackRow {
                station_id,
                ..pack.clone()
            };
            post_sales(tx, by.policy, &moved, game, now)?
        }
        _ => Money::ZERO,
    };
    Ok(recognised)
}

impl App {
    /// Moves the scanned packs by the scan's action: all or none. Issuing against an order
    /// counts the packs toward it (same station and game, never beyond what was ordered).
    pub async fn move_packs(&self, who: &Principal, scan: PackScan) -> AppResult<PackMoveReport> {
        let action = scan
            .action
            .ok_or_else(|| AppError::invalid("action", "what the scan does"))?;
        if scan.packs.is_empty() || scan.packs.len() > 1000 {
            return Err(AppError::invalid("packs", "scan 1–1000 packs"));
        }
        let labels = scan
            .packs
            .iter()
            .map(|l| PackLabel::parse(l).map_err(|e| AppError::invalid("packs", e)))
            .collect::<AppResult<Vec<_>>>()?;
        let issue_to = match (action, scan.station.as_deref()) {
            (PackAction::Issue, Some(code)) => {
                let s = self.store.read(|r| r.station_by_code(code))?;
                if s.status != StationStatus::Active {
                    return Err(AppError::Refused(format!(
                        "station {code} is {}: no packs are issued to it",
                        s.status
                    )));
                }
                Some(s.id)
            }
            (PackAction::Issue, None) => {
                return Err(AppError::invalid("station", "issue packs to a station"))
            }
            _ => None,
        };
        if let Some(order) = scan.order {
            self.check_order(order, action, issue_to, &labels)?;
        }
        let order = scan.order;
        let note = scan.note.trim().chars().take(500).collect::<String>();
        let who = who.clone();
        let policy = self.policy.clone();
        self.writes
            .run(move |tx| {
                let now = now_ms();
                let mut report = PackMoveReport {
                    action,
                    packs: Vec::new(),
                    sales: Money::ZERO,
                };
                for label in &labels {
                    let pack = tx
                        .reader()
                        .instant_pack(&label.game, &label.batch, i64::from(label.pack))?
                        .ok_or_else(|| {
                            AppError::Refused(format!(
                                "pack {label}: its batch's winner file is not imported yet"
                            ))
                        })?;
                    if action.by_station(pack.state) {
                        who.require(Access::TerminalOr(STATION_HANDLERS), pack.station_id)?;
                    } else {
                        who.require(Access::Roles(INSTANT_OPERATORS), None)?;
                    }
                    let station_id = match action.target() {
                        PackState::ToStation => issue_to,
                        PackState::AtCenter | PackState::Returned => None,
                        _ => pack.station_id,
                    };
                    let actor = who.actor();
                    let by = Mover {
                        policy: &policy,
                        actor: &actor,
                        note: &note,
                        now,
                    };
                    let sales = move_pack(tx, &by, &pack, action, station_id)?;
                    report.sales = report.sales.checked_add(sales)?;
                    report.packs.push(label.to_string());
                }
                if let Some(order) = order {
                    tx.count_issued(order, report.packs.len() as i64)?;
                }
                Ok(report)
            })
            .await
    }

    /// Checks that packs issued against `order` fill it: same station and game, no more than
    /// it still asks for.
    fn check_order(
        &self,
        order: i64,
        action: PackAction,
        station: Option<i64>,
        labels: &[PackLabel],
    ) -> AppResult<()> {
        let o = self
            .store
            .read(|r| r.instant_orders())?
            .into_iter()
            .find(|o| o.id == order)
            .ok_or_else(|| AppError::NotFound(format!("order #{order}")))?;
        let why = if action != PackAction::Issue {
            Some("only issued packs fill an order".to_string())
        } else if station != Some(o.station_id) {
            Some(format!("order #{order} is station {}'s", o.station_code))
        } else if labels.iter().any(|l| l.game != o.game) {
            Some(format!("order #{order} is for {}", o.game))
        } else if o.issued + labels.len() as i64 > o.packs {
            Some(format!(
                "order #{order} asks for {} packs and has {} already",
                o.packs, o.issued
            ))
        } else {
            None
        };
        match why {
            Some(why) => Err(AppError::invalid("order", why)),
            None => Ok(()),
        }
    }

    /// A station orders packs of a game (订票).
    pub async fn order_packs(
        &self,
        who: &Principal,
        station: &str,
        game: &str,
        packs: i64,
        note: &str,
    ) -> AppResult<fucai_store::InstantOrderRow> {
        let s = self.store.read(|r| r.station_by_code(station))?;
        who.require(Access::TerminalOr(STATION_HANDLERS), Some(s.id))?;
        if instant_rules().game(game).is_none() {
            return Err(AppError::invalid(
                "game",
                format!("no 即开票 game '{game}'"),
            ));
        }
        if !(1..=1000).contains(&packs) {
            return Err(AppError::invalid("packs", "1–1000 packs"));
        }
        let mut row = fucai_store::InstantOrderRow {
            id: 0,
            station_id: s.id,
            station_code: s.code.clone(),
            game: game.into(),
            packs,
            issued: 0,
            note: note.trim().chars().take(500).collect(),
            ordered_by: who.actor(),
            ordered_at: 0,
        };
        self.writes
            .run(move |tx| {
                row.ordered_at = now_ms();
                row.id = tx.insert_instant_order(&row)?;
                tx.audit(
                    row.ordered_at,
                    &row.ordered_by,
                    "instant.order",
                    &format!("order:{} station:{}", row.id, row.station_code),
                    format!("{} {}", row.game, row.packs).as_bytes(),
                )?;
                Ok(row)
            })
            .await
    }

    /// Every order, with the packs issued against it.
    pub fn instant_orders(&self, who: &Principal) -> AppResult<Vec<fucai_store::InstantOrderRow>> {
        who.require(Access::Roles(super::super::CHANNEL_READERS), None)?;
        Ok(self.store.read(|r| r.instant_orders())?)
    }

    /// Sales recognised in `[from, to]` by station, game and day.
    pub fn instant_sales(
        &self,
        who: &Principal,
        from: &str,
        to: &str,
    ) -> AppResult<Vec<fucai_store::PackSalesRow>> {
        who.require(Access::Roles(super::super::CHANNEL_READERS), None)?;
        let (from, to) = crate::network::period(from, to)?;
        let start = crate::calendar::beijing_day_start_ms(from);
        let end = crate::calendar::beijing_day_start_ms(to + chrono::Duration::days(1));
        Ok(self
            .store
            .read(|r| r.instant_pack_sales(start, end, 8 * 3_600_000))?)
    }

    /// A pack where it is now, and every move it made.
    pub fn instant_pack(
        &self,
        who: &Principal,
        label: &str,
    ) -> AppResult<(PackRow, Vec<fucai_store::PackEventRow>)> {
        who.require(Access::Roles(super::super::CHANNEL_READERS), None)?;
        let label = PackLabel::parse(label).map_err(|e| AppError::invalid("pack", e))?;
        Ok(self.store.read(|r| {
            let pack = r
                .instant_pack(&label.game, &label.batch, i64::from(label.pack))?
                .ok_or_else(|| fucai_store::StoreError::not_found(format!("pack {label}")))?;
            let events = r.instant_pack_events(pack.id)?;
            Ok((pack, events))
        })?)
    }

    /// Settles every activated pack whose game's rule says so by now: `settle_days` after its
    /// activation, or the game has ended (the scheduler's job). Answers the packs settled.
    pub async fn settle_due_packs(&self) -> AppResult<Vec<String>> {
        let now = now_ms();
        let today = beijing_date(now).to_string();
        let due: Vec<(PackRow, &'static str)> = self
            .store
            .read(|r| r.instant_packs_in(PackState::Activated))?
            .into_iter()
            .filter_map(|p| {
                let game = instant_rules().game(&p.game)?;
                let days = i64::from(game.settle_days) * 86_400_000;
                if today > game.game_end {
                    Some((p, "end of game"))
                } else if p.activated_at.is_some_and(|at| at + days <= now) {
                    Some((p, "rule: days after activation"))
                } else {
                    None
                }
            })
            .collect();
        let mut settled = Vec::new();
        // Several packs a transaction: a busy day settles thousands.
        for batch in due.chunks(500) {
            let batch = batch.to_vec();
            let policy = self.policy.clone();
            let done = self
                .writes
                .run(move |tx| {
                    let now = now_ms();
                    let mut done = Vec::new();
                    for (pack, why) in &batch {
                        let current = tx
                            .reader()
                            .instant_pack(&pack.game, &pack.batch, pack.pack)?
                            .filter(|p| p.state == PackState::Activated);
                        if let Some(p) = current {
                            let by = Mover {
                                policy: &policy,
                                actor: "system:scheduler",
                                note: why,
                                now,
                            };
                            move_pack(tx, &by, &p, PackAction::Settle, p.station_id)?;
                            done.push(PackLabel::of(&p).to_string());
                        }
                    }
                    Ok(done)
                })
                .await?;
            settled.extend(done);
        }
        Ok(settled)
    }
}
