//! 中福在线 video-lottery halls: the register, and each hall's daily close from the upstream
//! video-lottery system — checked (充值 − 兑付 = 投注额 − 中奖额 + the change in card balances),
//! posted to the ledger (sales with the channel's split; prizes and card balances, which are
//! owed to players), and corrected by reversal, every revision kept.

use std::collections::{HashMap, HashSet};

use fucai_ledger::Fund;
use fucai_ledger::{AccountCode, FundSplitPolicy, JournalEntry, Money, Posting, SaleParties};
use fucai_store::{HallDayRow, HallRow, HallStatus, NewHall, Writes};
use serde::Serialize;

use super::{
    channel_rules, CHANNEL_EDITORS, CHANNEL_READERS, HALL_CARDS, HALL_CARDS_REVERSAL, HALL_SALES,
    HALL_SALES_REVERSAL,
};
use crate::calendar::beijing_day_start_ms;
use crate::error::{AppError, AppResult};
use crate::import::RowErrors;
use crate::journal::{entry_if_any, posting};
use crate::network::period;
use crate::principal::{Access, Principal, REGISTER_EDITORS};
use crate::registers::{parse_date, ImportReport};
use crate::tabular::{cell, write_table, Format, Table};
use crate::App;

pub const HALL_COLUMNS: [&str; 8] = [
    "code",
    "name",
    "station",
    "address",
    "terminals",
    "opening_hours",
    "status",
    "opening_card_balance",
];

pub const HALL_DAY_COLUMNS: [&str; 8] = [
    "date",
    "hall",
    "wagered",
    "prizes",
    "top_ups",
    "cash_outs",
    "card_balance",
    "terminals_online",
];

/// One hall's close of one day, as the upstream system reports it (amounts in 元 on input).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HallDayInput {
    pub hall: String,
    pub date: String,
    /// 投注额.
    pub wagered: Money,
    /// 中奖额.
    pub prizes: Money,
    /// 充值.
    pub top_ups: Money,
    /// 兑付.
    pub cash_outs: Money,
    /// Card balances at close.
    pub card_balance: Money,
    pub terminals_online: i64,
}

/// A hall's closes over a period: the days in force, their totals, and every earlier
/// revision of a corrected day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HallDayReport {
    pub hall: HallRow,
    pub from: String,
    pub to: String,
    pub days: Vec<HallDayRow>,
    pub superseded: Vec<HallDayRow>,
    pub wagered: Money,
    pub prizes: Money,
    pub top_ups: Money,
    pub cash_outs: Money,
    /// Card balances at the period's last close.
    pub closing_card_balance: Money,
}

/// 充值 − 兑付 must equal 投注额 − 中奖额 + (balances at close − balances at the previous close).
fn check_identity(d: &HallDayInput, previous_balance: Money) -> Result<(), String> {
    let cash_in = d
        .top_ups
        .checked_sub(d.cash_outs)
        .map_err(|e| e.to_string())?;
    let played = d
        .wagered
        .checked_sub(d.prizes)
        .and_then(|net| net.checked_add(d.card_balance))
        .and_then(|net| net.checked_sub(previous_balance))
        .map_err(|e| e.to_string())?;
    if cash_in == played {
        Ok(())
    } else {
        Err(format!(
            "充值 − 兑付 = {cash_in}, but 投注额 − 中奖额 + the change in card balances ({previous_balance} → {}) = {played}",
            d.card_balance
        ))
    }
}

fn entry_key(hall: &str, day: &str, revision: i64, part: &str) -> String {
    format!("hall:{hall}:{day}:r{revision}:{part}")
}

/// A close's two journal entries (either left out when it moves nothing): the sales, with the
/// channel's split, owed by the hall's station; and the cards — prizes credited to them out of
/// the prize fund, the change in what they hold (owed to players), and the cash the station
/// took beyond the sales.
fn close_entries(
    policy: &FundSplitPolicy,
    hall: &HallRow,
    parties: &SaleParties<'_>,
    d: &HallDayInput,
    revision: i64,
    previous_balance: Money,
) -> AppResult<Vec<(JournalEntry, &'static str)>> {
    let rules = &channel_rules().vlt;
    let mut entries = Vec::new();
    if d.wagered != Money::ZERO {
        let postings = policy
            .for_station(Some(rules.hall_commission))
            .sale_postings(parties, rules.split.game_split(), d.wagered, None)
            .map_err(AppError::caused_by)?;
        let entry = JournalEntry::new(
            entry_key(&hall.code, &d.date, revision, "sales"),
            format!("{} {} 中福在线投注额", d.date, hall.name),
            postings,
        )
        .map_err(AppError::caused_by)?;
        entries.push((entry, HALL_SALES));
    }
    let cash_beyond_sales = d.top_ups.checked_sub(d.cash_outs)?.checked_sub(d.wagered)?;
    let balance_change = d.card_balance.checked_sub(previous_balance)?;
    let cards = entry_if_any(
        entry_key(&hall.code, &d.date, revision, "cards"),
        format!("{} {} 中福在线中奖与投注卡", d.date, hall.name),
        vec![
            posting(
                AccountCode::new("station", &hall.station_code, Fund::Receivable),
                cash_beyond_sales,
                None,
            ),
            posting(
                AccountCode::new("national", "vlt", Fund::Prize),
                d.prizes,
                None,
            ),
            posting(
                AccountCode::new("hall", &hall.code, Fund::CardBalance),
                -balance_change,
                None,
            ),
        ],
    )?;
    entries.extend(cards.map(|e| (e, HALL_CARDS)));
    Ok(entries)
}

/// Writes a close as revision `revision`, with its entries (posted on its day) and audit record.
fn write_close(
    tx: &mut dyn Writes,
    policy: &FundSplitPolicy,
    actor: &str,
    d: &HallDayInput,
    revision: i64,
    now: i64,
) -> AppResult<HallDayRow> {
    let hall = tx.reader().hall(&d.hall)?;
    let previous = tx
        .reader()
        .hall_close_before(hall.id, &d.date)?
        .map_or(hall.opening_card_balance, |p| p.card_balance);
    check_identity(d, previous).map_err(|e| AppError::invalid("card_balance", e))?;
    let station = tx.reader().station_by_code(&hall.station_code)?;
    let chain = tx.reader().station_chain(station.id)?;
    let parties = SaleParties {
        game: "vlt",
        station: &hall.station_code,
        district: &chain.district_code,
        city: &chain.city_code,
        province: &chain.province_code,
    };
    let day = parse_date(&d.date).ok_or_else(|| AppError::invalid("date", "YYYY-MM-DD"))?;
    let row = HallDayRow {
        hall_code: hall.code.clone(),
        day: d.date.clone(),
        revision,
        wagered: d.wagered,
        prizes: d.prizes,
        top_ups: d.top_ups,
        cash_outs: d.cash_outs,
        card_balance: d.card_balance,
        terminals_online: d.terminals_online,
        current: true,
        imported_by: actor.to_string(),
        imported_at: now,
    };
    tx.insert_hall_day(hall.id, &row)?;
    for (entry, kind) in close_entries(policy, &hall, &parties, d, revision, previous)? {
        tx.post_entry(&entry, kind, None, beijing_day_start_ms(day))?;
    }
    let action = if revision == 1 {
        "hall_day.import"
    } else {
        "hall_day.correct"
    };
    tx.audit(
        now,
        actor,
        action,
        &format!("hall:{}:{} r{revision}", hall.code, d.date),
        format!(
            "{} {} {} {} {} {}",
            d.wagered.fen(),
            d.prizes.fen(),
            d.top_ups.fen(),
            d.cash_outs.fen(),
            d.card_balance.fen(),
            d.terminals_online
        )
        .as_bytes(),
    )?;
    Ok(row)
}

/// Parses one close's cells; problems go to `errors`.
fn parse_close(row: &[String], cols: &[usize], errors: &mut RowErrors<'_>) -> Option<HallDayInput> {
    let date = cell(row, cols[0]).to_string();
    match parse_date(&date) {
        None => errors.push("date", format!("'{date}' is not a date (YYYY-MM-DD)")),
        // The halls close with the market in a 休市.
        Some(day) => {
            if let Err(closed) = crate::check_market_open(day) {
                errors.push("date", closed);
            }
        }
    }
    let mut money = |i: usize| -> Option<Money> {
        let column = HALL_DAY_COLUMNS[i];
        match cell(row, cols[i]).parse::<Money>() {
            Ok(m) if !m.is_negative() => Some(m),
            Ok(m) => {
                errors.push(column, format!("{m} is negative"));
                None
            }
            Err(e) => {
                errors.push(column, e.to_string());
                None
            }
        }
    };
    let figures = [2, 3, 4, 5, 6].map(&mut money);
    let terminals = cell(row, cols[7]).parse::<i64>().ok().filter(|n| *n >= 0);
    if terminals.is_none() {
        errors.push(
            "terminals_online",
            format!(
                "'{}' is not a whole number of terminals",
                cell(row, cols[7])
            ),
        );
    }
    let [Some(wagered), Some(prizes), Some(top_ups), Some(cash_outs), Some(card_balance)] = figures
    else {
        return None;
    };
    Some(HallDayInput {
        hall: cell(row, cols[1]).to_string(),
        date,
        wagered,
        prizes,
        top_ups,
        cash_outs,
        card_balance,
        terminals_online: terminals?,
    })
}

impl App {
    /// Imports the hall register (add or update by code); all rows or none.
    pub async fn import_halls(&self, who: &Principal, bytes: &[u8]) -> AppResult<ImportReport> {
        who.require(Access::Roles(REGISTER_EDITORS), None)?;
        let table = Table::read(bytes)?;
        let cols = table.columns(&HALL_COLUMNS)?;
        let stations: HashMap<String, i64> = self
            .store
            .read(|r| r.stations())?
            .into_iter()
            .map(|s| (s.code, s.id))
            .collect();
        let mut seen = HashSet::new();
        let actor = who.actor();
        self.import_rows(
            &table,
            |row, errors| {
                let code = cell(row, cols[0]).to_string();
                errors.unique_code(&code, &mut seen);
                let name = cell(row, cols[1]).to_string();
                if name.is_empty() {
                    errors.push("name", "a hall needs a name");
                }
                let station = cell(row, cols[2]);
                let station_id = stations.get(station).copied();
                if station_id.is_none() {
                    errors.push("station", format!("unknown station '{station}'"));
                }
                let terminals = cell(row, cols[4]).parse::<i64>().ok().filter(|n| *n >= 0);
                if terminals.is_none() {
                    errors.push("terminals", "a whole number of terminals");
                }
                let status = cell(row, cols[6])
                    .parse::<HallStatus>()
                    .map_err(|_| errors.push("status", "open, suspended or closed"))
                    .ok();
                let balance = cell(row, cols[7])
                    .parse::<Money>()
                    .ok()
                    .filter(|m| !m.is_negative());
                if balance.is_none() {
                    errors.push("opening_card_balance", "an amount in 元, not negative");
                }
                Some((
                    code,
                    name,
                    station_id?,
                    cell(row, cols[3]).to_string(),
                    terminals?,
                    cell(row, cols[5]).to_string(),
                    status?,
                    balance?,
                ))
            },
            move |tx, (code, name, station_id, address, terminals, hours, status, balance), now| {
                tx.upsert_hall(&NewHall {
                    code,
                    name,
                    station_id: *station_id,
                    address,
                    terminals: *terminals,
                    opening_hours: hours,
                    status: *status,
                    opening_card_balance: *balance,
                })?;
                tx.audit(
                    now,
                    &actor,
                    "hall.import",
                    &format!("hall:{code}"),
                    name.as_bytes(),
                )?;
                Ok(())
            },
        )
        .await
    }

    /// Imports the upstream system's daily closes (CSV/XLSX, [`HALL_DAY_COLUMNS`]); all rows
    /// or none. A hall's days come in date order after its latest close; a day already
    /// imported is refused (correct it instead).
    pub async fn import_hall_days(&self, who: &Principal, bytes: &[u8]) -> AppResult<ImportReport> {
        who.require(Access::Roles(CHANNEL_EDITORS), None)?;
        let table = Table::read(bytes)?;
        let cols = table.columns(&HALL_DAY_COLUMNS)?;
        let halls: HashMap<String, HallRow> = self
            .store
            .read(|r| r.halls())?
            .into_iter()
            .map(|h| (h.code.clone(), h))
            .collect();
        // Each hall's last close so far: stored, then the file's rows as they are checked.
        let mut last: HashMap<String, (String, Money)> = HashMap::new();
        for hall in halls.values() {
            let latest = self.store.read(|r| {
                let day = r.hall_latest_day(hall.id)?;
                let close = match &day {
                    Some(day) => r.hall_day(hall.id, day)?,
                    None => None,
                };
                Ok(close)
            })?;
            if let Some(close) = latest {
                last.insert(hall.code.clone(), (close.day, close.card_balance));
            }
        }
        let policy = self.policy.clone();
        let actor = who.actor();
        self.import_rows(
            &table,
            |row, errors| {
                let close = parse_close(row, &cols, errors)?;
                let Some(hall) = halls.get(&close.hall) else {
                    errors.push("hall", format!("unknown hall '{}'", close.hall));
                    return None;
                };
                if close.terminals_online > hall.terminals {
                    errors.push(
                        "terminals_online",
                        format!("hall {} has {} terminals", hall.code, hall.terminals),
                    );
                }
                let previous = match last.get(&hall.code) {
                    Some((day, _)) if *day >= close.date => {
                        errors.push(
                            "date",
                            format!(
                                "hall {} already has a close for {day}: closes are imported in date order, once (correct a day instead)",
                                hall.code
                            ),
                        );
                        return None;
                    }
                    Some((_, balance)) => *balance,
                    None => hall.opening_card_balance,
                };
                if let Err(e) = check_identity(&close, previous) {
                    errors.push("card_balance", e);
                }
                last.insert(hall.code.clone(), (close.date.clone(), close.card_balance));
                Some(close)
            },
            move |tx, close, now| write_close(tx, &policy, &actor, close, 1, now).map(|_| ()),
        )
        .await
    }

    /// Corrects a day's close: the entries of the revision in force are reversed and the new
    /// figures posted, both kept. Only the hall's latest day may change its closing card
    /// balances (a later day's check starts from them).
    pub async fn correct_hall_day(
        &self,
        who: &Principal,
        close: HallDayInput,
    ) -> AppResult<HallDayRow> {
        who.require(Access::Roles(CHANNEL_EDITORS), None)?;
        if parse_date(&close.date).is_none() {
            return Err(AppError::invalid(
                "date",
                format!("'{}' is not a date (YYYY-MM-DD)", close.date),
            ));
        }
        let policy = self.policy.clone();
        let actor = who.actor();
        self.writes
            .run(move |tx| {
                let now = crate::clock::now_ms();
                let hall = tx.reader().hall(&close.hall)?;
                let old = tx.reader().hall_day(hall.id, &close.date)?.ok_or_else(|| {
                    AppError::NotFound(format!("close of hall {} on {}", hall.code, close.date))
                })?;
                if close.terminals_online > hall.terminals {
                    return Err(AppError::invalid(
                        "terminals_online",
                        format!("hall {} has {} terminals", hall.code, hall.terminals),
                    ));
                }
                let latest = tx.reader().hall_latest_day(hall.id)?;
                if latest.as_deref() != Some(close.date.as_str())
                    && close.card_balance != old.card_balance
                {
                    return Err(AppError::invalid(
                        "card_balance",
                        format!(
                            "the card balances at close of {} start the next day's check: only the latest day ({}) may change them",
                            close.date,
                            latest.unwrap_or_default()
                        ),
                    ));
                }
                for (part, kind) in [("sales", HALL_SALES_REVERSAL), ("cards", HALL_CARDS_REVERSAL)] {
                    let key = entry_key(&hall.code, &old.day, old.revision, part);
                    if !tx.reader().entry_exists(&key)? {
                        continue;
                    }
                    let postings = tx.entry_postings(&key)?;
                    let reversal = JournalEntry::new(
                        format!("{key}:reversed"),
                        format!("{} {} 中福在线日结更正（冲销第{}版）", old.day, hall.name, old.revision),
                        postings.into_iter().map(|p| Posting { amount: -p.amount, ..p }).collect(),
                    )
                    .map_err(AppError::caused_by)?;
                    let day = parse_date(&old.day).expect("stored days parse");
                    tx.post_entry(&reversal, kind, None, beijing_day_start_ms(day))?;
                }
                tx.supersede_hall_day(hall.id, &old.day)?;
                write_close(tx, &policy, &actor, &close, old.revision + 1, now)
            })
            .await
    }

    /// The halls.
    pub fn halls(&self, who: &Principal) -> AppResult<Vec<HallRow>> {
        who.require(Access::Roles(CHANNEL_READERS), None)?;
        Ok(self.store.read(|r| r.halls())?)
    }

    /// A hall's daily close report over `[from, to]`.
    pub fn hall_report(
        &self,
        who: &Principal,
        code: &str,
        from: &str,
        to: &str,
    ) -> AppResult<HallDayReport> {
        who.require(Access::Roles(CHANNEL_READERS), None)?;
        let (from, to) = period(from, to)?;
        let (from, to) = (from.to_string(), to.to_string());
        let (hall, all) = self.store.read(|r| {
            let hall = r.hall(code)?;
            let all = r.hall_days(Some(code), &from, &to, true)?;
            Ok((hall, all))
        })?;
        let (days, superseded): (Vec<_>, Vec<_>) = all.into_iter().partition(|d| d.current);
        let sum = |f: fn(&HallDayRow) -> Money| Money::checked_sum(days.iter().map(f));
        Ok(HallDayReport {
            wagered: sum(|d| d.wagered)?,
            prizes: sum(|d| d.prizes)?,
            top_ups: sum(|d| d.top_ups)?,
            cash_outs: sum(|d| d.cash_outs)?,
            closing_card_balance: days.last().map_or(Money::ZERO, |d| d.card_balance),
            hall,
            from,
            to,
            days,
            superseded,
        })
    }
}

/// The close report as a sheet: each revision, in force or superseded, and the totals.
pub fn export_hall_report(r: &HallDayReport, format: Format) -> AppResult<Vec<u8>> {
    let mut days: Vec<&HallDayRow> = r.days.iter().chain(&r.superseded).collect();
    days.sort_by(|a, b| (&a.day, a.revision).cmp(&(&b.day, b.revision)));
    let mut rows: Vec<Vec<String>> = days
        .into_iter()
        .map(|d| {
            vec![
                d.day.clone(),
                d.revision.to_string(),
                if d.current { "有效" } else { "已更正" }.to_string(),
                d.wagered.display_plain(),
                d.prizes.display_plain(),
                d.top_ups.display_plain(),
                d.cash_outs.display_plain(),
                d.card_balance.display_plain(),
                d.terminals_online.to_string(),
            ]
        })
        .collect();
    rows.push(vec![
        "合计".into(),
        String::new(),
        String::new(),
        r.wagered.display_plain(),
        r.prizes.display_plain(),
        r.top_ups.display_plain(),
        r.cash_outs.display_plain(),
        r.closing_card_balance.display_plain(),
        String::new(),
    ]);
    write_table(
        format,
        "中福在线日结",
        &[
            "日期",
            "版本",
            "状态",
            "投注额（元）",
            "中奖额（元）",
            "充值（元）",
            "兑付（元）",
            "卡余额（元）",
            "在线终端",
        ],
        &rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(
        wagered: i64,
        prizes: i64,
        top_ups: i64,
        cash_outs: i64,
        balance: i64,
    ) -> HallDayInput {
        HallDayInput {
            hall: "H1".into(),
            date: "2019-03-01".into(),
            wagered: Money::from_fen(wagered),
            prizes: Money::from_fen(prizes),
            top_ups: Money::from_fen(top_ups),
            cash_outs: Money::from_fen(cash_outs),
            card_balance: Money::from_fen(balance),
            terminals_online: 10,
        }
    }

    #[test]
    fn the_cash_must_match_the_play_and_the_cards() {
        // 10,000 topped up, 6,000 cashed out: 4,000 net = 9,000 wagered − 5,900 won + 900 more on cards.
        assert!(check_identity(
            &close(900_000, 590_000, 1_000_000, 600_000, 290_000),
            Money::from_fen(200_000)
        )
        .is_ok());
        let e = check_identity(
            &close(900_000, 590_000, 1_000_000, 600_000, 290_001),
            Money::from_fen(200_000),
        )
        .unwrap_err();
        assert!(e.contains("充值 − 兑付"), "{e}");
    }
}
