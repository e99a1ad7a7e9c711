//! Registers: centers, towns, stations and terminals; station CSV/XLSX import and export.

use fucai_store::StationStatus;
use std::collections::HashSet;

use crate::clock::now_ms;
use chrono::NaiveDate;
use fucai_games::Game;
use fucai_store::StationRow;
use serde::Serialize;

use crate::auth::{random_token, token_hash};
use crate::draws::add_missing_draws;
use crate::error::{AppError, AppResult};
use crate::import::RowErrors;
use crate::principal::{Access, Principal, REGISTER_EDITORS, REGISTER_READERS, SALES_READERS};
use crate::tabular::{cell, write_table, Format, Table};
use crate::{schedule_draws, App};

/// Columns of the town file.
pub const TOWN_COLUMNS: [&str; 3] = ["code", "name", "center"];
/// Columns of the terminal export (secrets are never exported).
pub const TERMINAL_COLUMNS: [&str; 3] = ["code", "station", "status"];

/// Columns of the station file, in export order.
pub const STATION_COLUMNS: [&str; 10] = [
    "code",
    "name",
    "owner",
    "phone",
    "address",
    "town",
    "licence_no",
    "status",
    "opened_on",
    "closed_on",
];
/// The statuses a station row may give, as an error lists them.
fn station_statuses() -> String {
    StationStatus::ALL
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
const MAX_TEXT_CHARS: usize = 200;

/// One problem in an imported file: the row (1 = the first data row), the column, why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RowError {
    pub row: usize,
    pub column: String,
    pub message: String,
}

impl RowError {
    pub fn at(row: usize, column: &str, message: String) -> RowError {
        RowError {
            row,
            column: column.into(),
            message,
        }
    }
}

/// The outcome of an import: either every row imported or none, with every error found.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ImportReport {
    pub imported: usize,
    pub errors: Vec<RowError>,
}

pub(crate) fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// Checks one station row; pushes its errors.
fn station_from_row(
    row: &[String],
    cols: &[usize],
    towns: &HashSet<String>,
    errors: &mut RowErrors<'_>,
) -> Option<StationRow> {
    let mut err = |column: &str, message: String| errors.push(column, message);
    let get = |i: usize| cell(row, cols[i]).to_string();
    let code = get(0);
    if code.is_empty()
        || code.len() > 32
        || !code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        err("code", "1–32 letters, digits or '-'".into());
    }
    for (i, name) in [(1, "name"), (2, "owner"), (4, "address"), (6, "licence_no")] {
        let v = get(i);
        if v.is_empty() || v.chars().count() > MAX_TEXT_CHARS {
            err(
                name,
                format!("required, at most {MAX_TEXT_CHARS} characters"),
            );
        }
    }
    let phone = get(3);
    if phone.len() < 5
        || phone.len() > 20
        || !phone
            .bytes()
            .all(|b| b.is_ascii_digit() || b"+- ".contains(&b))
    {
        err("phone", "5–20 digits (+, - and spaces allowed)".into());
    }
    let town = get(5);
    if !towns.contains(&town) {
        err("town", format!("unknown town code '{town}'"));
    }
    let status_text = get(7);
    let status = status_text.parse::<StationStatus>().ok();
    if status.is_none() {
        err(
            "status",
            format!("'{status_text}' is not one of {}", station_statuses()),
        );
    }
    let opened = get(8);
    let opened_date = parse_date(&opened);
    if opened_date.is_none() {
        err(
            "opened_on",
            format!("'{opened}' is not a date (YYYY-MM-DD)"),
        );
    }
    let closed = cols
        .get(9)
        .map(|&c| cell(row, c).to_string())
        .filter(|s| !s.is_empty());
    match (&closed, status) {
        (None, Some(StationStatus::Closed)) => err(
            "closed_on",
            "a closed station needs its closing date".into(),
        ),
        (Some(c), _) => match parse_date(c) {
            None => err("closed_on", format!("'{c}' is not a date (YYYY-MM-DD)")),
            Some(d) if opened_date.is_some_and(|o| d < o) => {
                err("closed_on", "before opened_on".into())
            }
            Some(_) if status != Some(StationStatus::Closed) => err(
                "closed_on",
                "only a closed station has a closing date".into(),
            ),
            _ => {}
        },
        _ => {}
    }
    let status = status?;
    Some(StationRow {
        id: 0,
        code,
        name: get(1),
        owner: get(2),
        phone,
        address: get(4),
        town_code: town,
        licence_no: get(6),
        status,
        opened_on: opened,
        closed_on: closed,
        status_reason: String::new(),
    })
}

impl App {
    pub fn stations(&self, who: &Principal) -> AppResult<Vec<StationRow>> {
        who.require(Access::Roles(REGISTER_READERS), None)?;
        Ok(self.store.read(|r| r.stations())?)
    }

    /// One station; station roles may read their own.
    pub fn station(&self, who: &Principal, code: &str) -> AppResult<StationRow> {
        let station = self.store.read(|r| r.station_by_code(code))?;
        who.require(Access::Roles(SALES_READERS), Some(station.id))
            .or_else(|_| who.require(Access::Roles(REGISTER_READERS), None))?;
        Ok(station)
    }

    /// Imports stations (insert or update by code) from CSV or XLSX. Any bad row and nothing
    /// is imported; the report lists every error.
    pub async fn import_stations(&self, who: &Principal, bytes: &[u8]) -> AppResult<ImportReport> {
        who.require(Access::Roles(REGISTER_EDITORS), None)?;
        let table = Table::read(bytes)?;
        let mut cols = table.columns(&STATION_COLUMNS[..9])?;
        if let Some(c) = table.column("closed_on") {
            cols.push(c);
        }
        let towns: HashSet<String> = self
            .store
            .read(|r| r.towns())?
            .into_iter()
            .map(|t| t.code)
            .collect();
        // A status the file changes moves as a suspension or closing by hand would: allowed
        // moves only, each kept in the station's history.
        let existing: std::collections::HashMap<String, (i64, StationStatus)> = self
            .store
            .read(|r| r.stations())?
            .into_iter()
            .map(|s| (s.code, (s.id, s.status)))
            .collect();
        let today = crate::beijing_date(now_ms()).to_string();
        let mut seen = HashSet::new();
        let actor = who.actor();
        self.import_rows(
            &table,
            |row, errors| {
                let s = station_from_row(row, &cols, &towns, errors)?;
                if !seen.insert(s.code.clone()) {
                    errors.push(
                        "code",
                        format!("station {} appears twice in the file", s.code),
                    );
                }
                let moved = match existing.get(&s.code) {
                    Some(&(id, from)) if from != s.status => {
                        if !from.can_become(s.status) {
                            errors.push(
                                "status",
                                format!(
                                    "station {} is {from}; it cannot become {}",
                                    s.code, s.status
                                ),
                            );
                        }
                        Some((id, from))
                    }
                    _ => None,
                };
                Some((s, moved))
            },
            move |tx, (s, moved), now| {
                if let Some((id, from)) = moved {
                    let on = s.closed_on.as_deref().unwrap_or(&today);
                    tx.move_station(*id, *from, s.status, on, "站点名录导入", &actor, now)?;
                }
                tx.upsert_station(s)?;
                let payload = format!("{s:?}");
                Ok(tx.audit(now, &actor, "station.upsert", &s.code, payload.as_bytes())?)
            },
        )
        .await
    }

    pub fn export_stations(&self, who: &Principal, format: Format) -> AppResult<Vec<u8>> {
        let stations = self.stations(who)?;
        let rows: Vec<Vec<String>> = stations
            .into_iter()
            .map(|s| {
                vec![
                    s.code,
                    s.name,
                    s.owner,
                    s.phone,
                    s.address,
                    s.town_code,
                    s.licence_no,
                    s.status.to_string(),
                    s.opened_on,
                    s.closed_on.unwrap_or_default(),
                ]
            })
            .collect();
        write_table(format, "stations", &STATION_COLUMNS, &rows)
    }

    pub fn export_towns(&self, who: &Principal, format: Format) -> AppResult<Vec<u8>> {
        who.require(Access::Roles(REGISTER_READERS), None)?;
        let rows: Vec<Vec<String>> = self
            .store
            .read(|r| r.towns())?
            .into_iter()
            .map(|t| vec![t.code, t.name, t.center_code])
            .collect();
        write_table(format, "towns", &TOWN_COLUMNS, &rows)
    }

    /// Imports towns and streets (insert, or rename by code) under district centers. All rows
    /// or none.
    pub async fn import_towns(&self, who: &Principal, bytes: &[u8]) -> AppResult<ImportReport> {
        who.require(Access::Roles(REGISTER_EDITORS), None)?;
        let table = Table::read(bytes)?;
        let cols = table.columns(&TOWN_COLUMNS)?;
        let districts: HashSet<String> = self
            .store
            .read(|r| r.centers())?
            .into_iter()
            .filter(|c| c.level == "district")
            .map(|c| c.code)
            .collect();
        let mut seen = HashSet::new();
        let actor = who.actor();
        self.import_rows(
            &table,
            |row, errors| {
                let (code, name, center) =
                    (cell(row, cols[0]), cell(row, cols[1]), cell(row, cols[2]));
                errors.unique_code(code, &mut seen);
                if name.is_empty() || name.chars().count() > MAX_TEXT_CHARS {
                    errors.push(
                        "name",
                        format!("required, at most {MAX_TEXT_CHARS} characters"),
                    );
                }
                if !districts.contains(center) {
                    errors.push("center", format!("'{center}' is not a district center"));
                }
                Some((code.to_string(), name.to_string(), center.to_string()))
            },
            move |tx, (code, name, center), now| {
                tx.upsert_town(code, name, center)?;
                Ok(tx.audit(now, &actor, "town.upsert", code, name.as_bytes())?)
            },
        )
        .await
    }

    pub fn export_terminals(&self, who: &Principal, format: Format) -> AppResult<Vec<u8>> {
        who.require(Access::Roles(REGISTER_READERS), None)?;
        let rows: Vec<Vec<String>> = self
            .store
            .read(|r| r.terminals())?
            .into_iter()
            .map(|t| vec![t.code, t.station_code, t.status.to_string()])
            .collect();
        write_table(format, "terminals", &TERMINAL_COLUMNS, &rows)
    }

    /// Registers a terminal at a station; returns its secret (shown once).
    pub async fn add_terminal(
        &self,
        who: &Principal,
        station_code: &str,
        terminal_code: &str,
    ) -> AppResult<String> {
        who.require(Access::Roles(REGISTER_EDITORS), None)?;
        if terminal_code.is_empty()
            || terminal_code.len() > 32
            || !terminal_code
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err(AppError::invalid("terminal", "1–32 letters, digits or '-'"));
        }
        let secret = random_token(24);
        let (hash, station, code, actor) = (
            token_hash(&secret),
            station_code.to_string(),
            terminal_code.to_string(),
            who.actor(),
        );
        self.writes
            .run(move |tx| {
                tx.insert_terminal(&code, &station, &hash)?;
                tx.audit(
                    now_ms(),
                    &actor,
                    "terminal.create",
                    &code,
                    station.as_bytes(),
                )?;
                Ok(())
            })
            .await?;
        Ok(secret)
    }

    /// Adds a game's draws between two dates to the calendar (existing ones are kept).
    pub async fn schedule(
        &self,
        who: &Principal,
        game: Game,
        from: NaiveDate,
        to: NaiveDate,
    ) -> AppResult<usize> {
        who.require(Access::Roles(REGISTER_EDITORS), None)?;
        if to < from || (to - from).num_days() > 800 {
            return Err(AppError::invalid(
                "to",
                "a range of at most 800 days, not before 'from'",
            ));
        }
        let draws = schedule_draws(game, from, to);
        let actor = who.actor();
        self.writes
            .run(move |tx| {
                let added = add_missing_draws(tx, &draws)?;
                tx.audit(
                    now_ms(),
                    &actor,
                    "draws.schedule",
                    game.code(),
                    format!("{from}..{to}: {added}").as_bytes(),
                )?;
                Ok(added)
            })
            .await
    }

    /// Draws whose sales have not closed yet at `at_ms`, soonest first.
    pub fn open_draws(
        &self,
        game: Option<Game>,
        at_ms: i64,
        limit: usize,
    ) -> AppResult<Vec<fucai_store::DrawRow>> {
        Ok(self
            .store
            .read(|r| r.draws_open_at(game.map(|g| g.code()), at_ms, limit.clamp(1, 200)))?)
    }
}
