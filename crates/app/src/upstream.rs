//! Daily sales reported by the upstream (national) system, for centers whose tickets are not
//! sold through fucai: each row posts the same ledger split as a ticket sale.

use std::collections::HashSet;

use fucai_games::{Game, RuleBook};
use fucai_ledger::{FundSplitPolicy, JournalEntry, Money, SaleParties};
use fucai_store::{DailySalesRow, Writes};

use crate::calendar::{beijing_day_start_ms, draw_on_or_before};
use crate::closures::check_market_open;
use crate::error::{AppError, AppResult};
use crate::principal::{Access, Principal, Role};
use crate::registers::{parse_date, ImportReport};
use crate::tabular::{cell, Table};
use crate::App;

pub const DAILY_SALES_COLUMNS: [&str; 5] = ["date", "station", "game", "amount", "bets"];

impl App {
    /// Imports a daily sales report (date, station, game, amount in 元, bets). All rows or none.
    pub async fn import_daily_sales(
        &self,
        who: &Principal,
        bytes: &[u8],
    ) -> AppResult<ImportReport> {
        who.require(Access::Roles(&[Role::Admin, Role::Finance]), None)?;
        let table = Table::read(bytes)?;
        let cols = table.columns(&DAILY_SALES_COLUMNS)?;
        let stations: HashSet<String> = self
            .store
            .read(|r| r.stations())?
            .into_iter()
            .map(|s| s.code)
            .collect();
        let existing: HashSet<(String, String, String)> = self
            .store
            .read(|r| r.daily_sales())?
            .into_iter()
            .map(|d| (d.sale_date, d.station_code, d.game))
            .collect();
        let mut seen = HashSet::new();
        let policy = self.policy.clone();
        let actor = who.actor();
        self.import_rows(
            &table,
            |row, errors| {
                let date = cell(row, cols[0]).to_string();
                match parse_date(&date) {
                    None => errors.push("date", format!("'{date}' is not a date (YYYY-MM-DD)")),
                    Some(day) => {
                        if let Err(closed) = check_market_open(day) {
                            errors.push("date", closed);
                        }
                    }
                }
                let station = cell(row, cols[1]).to_string();
                if !stations.contains(&station) {
                    errors.push("station", format!("unknown station '{station}'"));
                }
                let game = cell(row, cols[2])
                    .parse::<Game>()
                    .map_err(|e| errors.push("game", e.to_string()))
                    .ok();
                let amount = cell(row, cols[3])
                    .parse::<Money>()
                    .map_err(|e| errors.push("amount", e.to_string()))
                    .ok();
                let bets = cell(row, cols[4])
                    .parse::<i64>()
                    .map_err(|_| {
                        let text = cell(row, cols[4]);
                        errors.push("bets", format!("'{text}' is not a whole number"))
                    })
                    .ok();
                let (game, amount, bets) = (game?, amount?, bets?);
                if !errors.is_clean() {
                    return None;
                }
                let price = RuleBook::standard().game(game).price.0;
                if bets < 0 || amount.is_negative() || price.checked_mul(bets).ok() != Some(amount)
                {
                    errors.push("amount", format!("{amount} is not {bets} bets × {price}"));
                    return None;
                }
                let key = (date.clone(), station.clone(), game.code().to_string());
                if existing.contains(&key) || !seen.insert(key) {
                    errors.push(
                        "date",
                        format!("{date} {station} {} is already imported", game.code()),
                    );
                }
                Some(DailySalesRow {
                    sale_date: date,
                    station_code: station,
                    game: game.code().to_string(),
                    amount,
                    bets,
                })
            },
            move |tx, row, now| post_daily_sales(tx, &policy, &actor, row, now),
        )
        .await
    }
}

/// Writes one day's upstream sales of a station and game, with its ledger entry under the
/// rule version of that day's draw, and its audit record.
fn post_daily_sales(
    tx: &mut dyn Writes,
    policy: &FundSplitPolicy,
    actor: &str,
    row: &DailySalesRow,
    now: i64,
) -> AppResult<()> {
    let game: Game = row.game.parse().map_err(AppError::caused_by)?;
    let date = parse_date(&row.sale_date).expect("checked on import");
    let version = draw_on_or_before(game, date)
        .and_then(|d| RuleBook::standard().version_for(game, Some(d)))
        .ok_or_else(|| {
            AppError::invalid(
                "date",
                format!("no {} rule set covers {}", game.name(), row.sale_date),
            )
        })?;
    let station = tx.reader().station_by_code(&row.station_code)?;
    let chain = tx.reader().station_chain(station.id)?;
    let parties = SaleParties {
        game: game.code(),
        station: &station.code,
        district: &chain.district_code,
        city: &chain.city_code,
        province: &chain.province_code,
    };
    let split = version.split.game_split();
    let postings = policy
        .for_station(crate::sales::station_commission(&chain)?)
        .sale_postings(&parties, split, row.amount, None)
        .map_err(AppError::caused_by)?;
    let key = format!("daily:{}:{}:{}", row.sale_date, row.station_code, row.game);
    let entry = JournalEntry::new(
        key.clone(),
        format!("{} {} 日销售", row.sale_date, game.name()),
        postings,
    )
    .map_err(AppError::caused_by)?;
    tx.insert_daily_sales(row)?;
    // Posted on its sales day: statements and the overdue list count the money from the day
    // it was taken, not from the day the report arrived.
    tx.post_entry(&entry, "daily_sales", None, beijing_day_start_ms(date))?;
    tx.audit(
        now,
        actor,
        "daily_sales.import",
        &key,
        format!("{} {}", row.amount.fen(), row.bets).as_bytes(),
    )?;
    Ok(())
}
