//! A station's life in the register: suspended with a reason (its sales refused), reopened,
//! closed on a date (its terminals disabled); terminals disabled, enabled or replaced; the
//! staff's filtered list and the public station finder.

use chrono::NaiveDate;
use fucai_games::Game;
use fucai_store::{StationEventRow, StationRow, StationStatus, TerminalStatus};
use serde::Serialize;

use crate::auth::{random_token, token_hash};
use crate::clock::now_ms;
use crate::error::{AppError, AppResult};
use crate::principal::{Access, Principal, REGISTER_EDITORS, REGISTER_READERS};
use crate::registers::parse_date;
use crate::{beijing_date, App};

const MAX_REASON_CHARS: usize = 500;

/// A change of a station's status asked for by the center.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StationMove {
    /// Sales stop until it reopens.
    Suspend {
        reason: String,
    },
    Reopen {
        reason: String,
    },
    /// For good, from `on`; every terminal of the station is disabled.
    Close {
        on: String,
        reason: String,
    },
}

impl StationMove {
    fn target(&self) -> StationStatus {
        match self {
            StationMove::Suspend { .. } => StationStatus::Suspended,
            StationMove::Reopen { .. } => StationStatus::Active,
            StationMove::Close { .. } => StationStatus::Closed,
        }
    }

    fn reason(&self) -> &str {
        match self {
            StationMove::Suspend { reason }
            | StationMove::Reopen { reason }
            | StationMove::Close { reason, .. } => reason.trim(),
        }
    }
}

/// A station as the public finder shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PublicStation {
    pub code: String,
    pub name: String,
    pub address: String,
    pub town: String,
    pub town_name: String,
    pub open: bool,
    /// The games its terminals sell (none without an active terminal).
    pub games: Vec<String>,
}

impl App {
    /// Stations, optionally of one town and/or in one status.
    pub fn stations_where(
        &self,
        who: &Principal,
        town: Option<&str>,
        status: Option<&str>,
    ) -> AppResult<Vec<StationRow>> {
        who.require(Access::Roles(REGISTER_READERS), None)?;
        let status = status
            .map(|s| {
                s.parse::<StationStatus>()
                    .map_err(|e| AppError::invalid("status", e))
            })
            .transpose()?;
        Ok(self.store.read(|r| r.stations_where(town, status))?)
    }

    /// Every move of a station's status, oldest first.
    pub fn station_history(&self, who: &Principal, code: &str) -> AppResult<Vec<StationEventRow>> {
        let station = self.station(who, code)?;
        Ok(self.store.read(|r| r.station_events(station.id))?)
    }

    /// Suspends, reopens or closes a station; audited, with the reason kept.
    pub async fn move_station(
        &self,
        who: &Principal,
        code: &str,
        change: StationMove,
    ) -> AppResult<StationRow> {
        who.require(Access::Roles(REGISTER_EDITORS), None)?;
        let reason = change.reason().to_string();
        if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
            return Err(AppError::invalid(
                "reason",
                format!("required, at most {MAX_REASON_CHARS} characters"),
            ));
        }
        let station = self.store.read(|r| r.station_by_code(code))?;
        let today = beijing_date(now_ms());
        let effective_on = match &change {
            StationMove::Close { on, .. } => {
                let on_date = parse_date(on).ok_or_else(|| {
                    AppError::invalid("on", format!("'{on}' is not a date (YYYY-MM-DD)"))
                })?;
                check_closing_date(on_date, &station.opened_on, today)?;
                on_date
            }
            _ => today,
        };
        let to = change.target();
        if !station.status.can_become(to) {
            return Err(AppError::Conflict(format!(
                "station {code} is {}; it cannot become {to}",
                station.status
            )));
        }
        let (actor, code) = (who.actor(), code.to_string());
        self.writes
            .run(move |tx| {
                let now = now_ms();
                let effective = effective_on.to_string();
                tx.move_station(
                    station.id,
                    station.status,
                    to,
                    &effective,
                    &reason,
                    &actor,
                    now,
                )?;
                tx.audit(
                    now,
                    &actor,
                    &format!("station.{}", to.as_str()),
                    &code,
                    format!("{} → {to} on {effective}: {reason}", station.status).as_bytes(),
                )?;
                Ok(tx.reader().station_by_code(&code)?)
            })
            .await
    }

    /// Disables or enables a terminal: a disabled terminal's requests are refused at once.
    pub async fn set_terminal_enabled(
        &self,
        who: &Principal,
        code: &str,
        enabled: bool,
    ) -> AppResult<()> {
        who.require(Access::Roles(REGISTER_EDITORS), None)?;
        let terminal = self.store.read(|r| r.terminal_by_code(code))?;
        if enabled {
            let station = self.store.read(|r| r.station_by_id(terminal.station_id))?;
            if station.status == StationStatus::Closed {
                return Err(AppError::Refused(format!(
                    "station {} is closed: its terminals stay disabled",
                    station.code
                )));
            }
        }
        let status = if enabled {
            TerminalStatus::Active
        } else {
            TerminalStatus::Disabled
        };
        let (actor, code) = (who.actor(), code.to_string());
        self.writes
            .run(move |tx| {
                tx.set_terminal_status(&code, status)?;
                tx.audit(
                    now_ms(),
                    &actor,
                    &format!("terminal.{}", if enabled { "enable" } else { "disable" }),
                    &code,
                    status.as_str().as_bytes(),
                )?;
                Ok(())
            })
            .await
    }

    /// New credentials for a terminal (a replaced device): the new secret is shown once and
    /// the old one is refused from the commit on.
    pub async fn replace_terminal(&self, who: &Principal, code: &str) -> AppResult<String> {
        who.require(Access::Roles(REGISTER_EDITORS), None)?;
        self.store.read(|r| r.terminal_by_code(code))?;
        let secret = random_token(24);
        let (hash, actor, code) = (token_hash(&secret), who.actor(), code.to_string());
        self.writes
            .run(move |tx| {
                tx.set_terminal_secret(&code, &hash)?;
                tx.audit(now_ms(), &actor, "terminal.replace", &code, b"new secret")?;
                Ok(())
            })
            .await?;
        Ok(secret)
    }

    /// The towns (code, name) for the public finder's choice.
    pub fn public_towns(&self) -> AppResult<Vec<(String, String)>> {
        Ok(self
            .store
            .read(|r| r.towns())?
            .into_iter()
            .map(|t| (t.code, t.name))
            .collect())
    }

    /// The public station finder: every station not closed, optionally of one town.
    pub fn public_stations(&self, town: Option<&str>) -> AppResult<Vec<PublicStation>> {
        let (stations, towns, terminals) = self
            .store
            .read(|r| Ok((r.stations_where(town, None)?, r.towns()?, r.terminals()?)))?;
        let draw_games: Vec<String> = Game::ALL.iter().map(|g| g.name().to_string()).collect();
        Ok(stations
            .into_iter()
            .filter(|s| s.status != StationStatus::Closed)
            .map(|s| {
                let selling = terminals
                    .iter()
                    .any(|t| t.station_id == s.id && t.status == TerminalStatus::Active);
                PublicStation {
                    town_name: towns
                        .iter()
                        .find(|t| t.code == s.town_code)
                        .map(|t| t.name.clone())
                        .unwrap_or_default(),
                    open: s.status == StationStatus::Active,
                    games: if selling {
                        draw_games.clone()
                    } else {
                        Vec::new()
                    },
                    code: s.code,
                    name: s.name,
                    address: s.address,
                    town: s.town_code,
                }
            })
            .collect())
    }
}

/// A station closes on a day between its opening and today (a closing is recorded once it
/// has happened, not planned ahead).
fn check_closing_date(on: NaiveDate, opened_on: &str, today: NaiveDate) -> AppResult<()> {
    if on > today {
        return Err(AppError::invalid(
            "on",
            format!("{on} is after today ({today})"),
        ));
    }
    if parse_date(opened_on).is_some_and(|opened| on < opened) {
        return Err(AppError::invalid(
            "on",
            format!("{on} is before the station opened ({opened_on})"),
        ));
    }
    Ok(())
}
