//! Centers, towns, stations, terminals.

use rusqlite::{params, OptionalExtension, Row};

use crate::repo::StationMoneyReads;

use crate::{
    CenterRow, NewStationPerson, Reader, StationChain, StationEventRow, StationPersonRow,
    StationRow, StationStatus, StoreError, StoreResult, TerminalRow, TerminalStatus, TownRow,
    WriteTx,
};

const STATION_COLUMNS: &str = "s.id, s.code, s.name, s.owner, s.phone, s.address, t.code, s.licence_no, s.status, s.opened_on, s.closed_on, s.status_reason";
const PERSON_COLUMNS: &str =
    "p.id, s.code, p.role, p.name, p.phone, p.id_number, p.from_on, p.to_on, p.certificates";

fn person_row(r: &Row<'_>) -> rusqlite::Result<StationPersonRow> {
    Ok(StationPersonRow {
        id: r.get(0)?,
        station_code: r.get(1)?,
        role: r.get(2)?,
        name: r.get(3)?,
        phone: r.get(4)?,
        id_number: r.get(5)?,
        from_on: r.get(6)?,
        to_on: r.get(7)?,
        certificates: r.get(8)?,
    })
}

fn station_row(r: &Row<'_>) -> rusqlite::Result<StationRow> {
    Ok(StationRow {
        id: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
        owner: r.get(3)?,
        phone: r.get(4)?,
        address: r.get(5)?,
        town_code: r.get(6)?,
        licence_no: r.get(7)?,
        status: r.get(8)?,
        opened_on: r.get(9)?,
        closed_on: r.get(10)?,
        status_reason: r.get(11)?,
    })
}

fn unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY)
}

/// Maps a unique-constraint failure to `Duplicate(what)`.
pub(crate) fn duplicate(what: impl Into<String>) -> impl FnOnce(rusqlite::Error) -> StoreError {
    let what = what.into();
    move |e| {
        if unique_violation(&e) {
            StoreError::Duplicate(what)
        } else {
            StoreError::from(e)
        }
    }
}

impl RegistersReads for Reader<'_> {
    fn centers(&self) -> StoreResult<Vec<CenterRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.code, c.name, c.level, p.code FROM centers c LEFT JOIN centers p ON p.id = c.parent_id ORDER BY c.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(CenterRow {
                id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
                level: r.get(3)?,
                parent_code: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn towns(&self) -> StoreResult<Vec<TownRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT t.id, t.code, t.name, c.code FROM towns t JOIN centers c ON c.id = t.center_id ORDER BY t.code",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(TownRow {
                id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
                center_code: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn stations(&self) -> StoreResult<Vec<StationRow>> {
        let sql = format!("SELECT {STATION_COLUMNS} FROM stations s JOIN towns t ON t.id = s.town_id ORDER BY s.code");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], station_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn stations_where(
        &self,
        town: Option<&str>,
        status: Option<StationStatus>,
    ) -> StoreResult<Vec<StationRow>> {
        let sql = format!(
            "SELECT {STATION_COLUMNS} FROM stations s JOIN towns t ON t.id = s.town_id
             WHERE (?1 IS NULL OR t.code = ?1) AND (?2 IS NULL OR s.status = ?2) ORDER BY s.code"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![town, status], station_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn station_events(&self, station_id: i64) -> StoreResult<Vec<StationEventRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT from_status, to_status, effective_on, reason, actor, at FROM station_events
             WHERE station_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([station_id], |r| {
            Ok(StationEventRow {
                from: r.get(0)?,
                to: r.get(1)?,
                effective_on: r.get(2)?,
                reason: r.get(3)?,
                actor: r.get(4)?,
                at: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn station_people(&self, station_id: Option<i64>) -> StoreResult<Vec<StationPersonRow>> {
        let sql = format!(
            "SELECT {PERSON_COLUMNS} FROM station_people p JOIN stations s ON s.id = p.station_id
             WHERE ?1 IS NULL OR p.station_id = ?1 ORDER BY s.code, p.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([station_id], person_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn station_person(&self, id: i64) -> StoreResult<StationPersonRow> {
        let sql = format!(
            "SELECT {PERSON_COLUMNS} FROM station_people p JOIN stations s ON s.id = p.station_id WHERE p.id = ?1"
        );
        self.conn
            .prepare_cached(&sql)?
            .query_row([id], person_row)
            .optional()?
            .ok_or_else(|| StoreError::not_found(format!("station person #{id}")))
    }

    fn station_by_code(&self, code: &str) -> StoreResult<StationRow> {
        let sql = format!("SELECT {STATION_COLUMNS} FROM stations s JOIN towns t ON t.id = s.town_id WHERE s.code = ?1");
        self.conn
            .prepare_cached(&sql)?
            .query_row([code], station_row)
            .optional()?
            .ok_or_else(|| StoreError::not_found(format!("station {code}")))
    }

    fn station_by_id(&self, id: i64) -> StoreResult<StationRow> {
        let sql = format!("SELECT {STATION_COLUMNS} FROM stations s JOIN towns t ON t.id = s.town_id WHERE s.id = ?1");
        self.conn
            .prepare_cached(&sql)?
            .query_row([id], station_row)
            .optional()?
            .ok_or_else(|| StoreError::not_found(format!("station #{id}")))
    }

    fn station_chain(&self, station_id: i64) -> StoreResult<StationChain> {
        let station = self.station_by_id(station_id)?;
        let (district, city, province): (String, Option<String>, Option<String>) = self.conn.prepare_cached(
            "SELECT d.code, c.code, p.code FROM stations s JOIN towns t ON t.id = s.town_id JOIN centers d ON d.id = t.center_id
             LEFT JOIN centers c ON c.id = d.parent_id LEFT JOIN centers p ON p.id = c.parent_id WHERE s.id = ?1",
        )?.query_row([station_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        let city =
            city.ok_or_else(|| StoreError::Corrupt(format!("district {district} has no city")))?;
        let province =
            province.ok_or_else(|| StoreError::Corrupt(format!("city {city} has no province")))?;
        let terms = self.station_terms(station_id)?;
        let commission_permille = self
            .conn
            .prepare_cached(
                "SELECT commission_permille FROM station_ratings WHERE station_id = ?1 ORDER BY year DESC LIMIT 1",
            )?
            .query_row([station_id], |r| r.get(0))
            .optional()?;
        Ok(StationChain {
            station,
            terms,
            commission_permille,
            district_code: district,
            city_code: city,
            province_code: province,
        })
    }

    fn terminal_by_code(&self, code: &str) -> StoreResult<TerminalRow> {
        self.conn
            .prepare_cached(
                "SELECT m.id, m.code, m.station_id, s.code, m.secret_hash, m.status FROM terminals m JOIN stations s ON s.id = m.station_id WHERE m.code = ?1",
            )?
            .query_row([code], |r| {
                Ok(TerminalRow { id: r.get(0)?, code: r.get(1)?, station_id: r.get(2)?, station_code: r.get(3)?, secret_hash: r.get(4)?, status: r.get(5)? })
            })
            .optional()?
            .ok_or_else(|| StoreError::not_found(format!("terminal {code}")))
    }

    fn terminals(&self) -> StoreResult<Vec<TerminalRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT m.id, m.code, m.station_id, s.code, m.secret_hash, m.status FROM terminals m JOIN stations s ON s.id = m.station_id ORDER BY m.code",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(TerminalRow {
                id: r.get(0)?,
                code: r.get(1)?,
                station_id: r.get(2)?,
                station_code: r.get(3)?,
                secret_hash: r.get(4)?,
                status: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn setting(&self, key: &str) -> StoreResult<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?)
    }
}

impl RegistersWrites for WriteTx<'_> {
    fn insert_center(
        &mut self,
        code: &str,
        name: &str,
        level: &str,
        parent_code: Option<&str>,
    ) -> StoreResult<i64> {
        self.reference_changed();
        let parent = parent_code.map(|p| self.id_of("centers", p)).transpose()?;
        self.tx
            .prepare_cached(
                "INSERT INTO centers (code, name, level, parent_id) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![code, name, level, parent])
            .map_err(duplicate(format!("center {code}")))?;
        Ok(self.tx.last_insert_rowid())
    }

    fn upsert_center(
        &mut self,
        code: &str,
        name: &str,
        level: &str,
        parent_code: Option<&str>,
    ) -> StoreResult<i64> {
        self.reference_changed();
        let parent = parent_code.map(|p| self.id_of("centers", p)).transpose()?;
        self.tx
            .prepare_cached(
                "INSERT INTO centers (code, name, level, parent_id) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name",
            )?
            .execute(params![code, name, level, parent])?;
        self.id_of("centers", code)
    }

    fn insert_town(&mut self, code: &str, name: &str, center_code: &str) -> StoreResult<i64> {
        self.reference_changed();
        let center = self.id_of("centers", center_code)?;
        self.tx
            .prepare_cached("INSERT INTO towns (code, name, center_id) VALUES (?1, ?2, ?3)")?
            .execute(params![code, name, center])
            .map_err(duplicate(format!("town {code}")))?;
        Ok(self.tx.last_insert_rowid())
    }

    fn upsert_town(&mut self, code: &str, name: &str, center_code: &str) -> StoreResult<i64> {
        self.reference_changed();
        let center = self.id_of("centers", center_code)?;
        self.tx
            .prepare_cached(
                "INSERT INTO towns (code, name, center_id) VALUES (?1, ?2, ?3)
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name, center_id = excluded.center_id",
            )?
            .execute(params![code, name, center])?;
        self.id_of("towns", code)
    }

    fn upsert_station(&mut self, s: &StationRow) -> StoreResult<i64> {
        self.reference_changed();
        let town = self.id_of("towns", &s.town_code)?;
        self.tx.prepare_cached(
            "INSERT INTO stations (code, name, owner, phone, address, town_id, licence_no, status, opened_on, closed_on, status_reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, owner = excluded.owner, phone = excluded.phone,
               address = excluded.address, town_id = excluded.town_id, licence_no = excluded.licence_no,
               status = excluded.status, opened_on = excluded.opened_on, closed_on = excluded.closed_on,
               status_reason = CASE WHEN excluded.status = 'suspended' THEN stations.status_reason ELSE '' END",
        )?.execute(params![s.code, s.name, s.owner, s.phone, s.address, town, s.licence_no, s.status, s.opened_on, s.closed_on, s.status_reason])?;
        self.id_of("stations", &s.code)
    }

    fn insert_terminal(
        &mut self,
        code: &str,
        station_code: &str,
        secret_hash: &str,
    ) -> StoreResult<i64> {
        self.reference_changed();
        let station = self.id_of("stations", station_code)?;
        self.tx
            .prepare_cached("INSERT INTO terminals (code, station_id, secret_hash, status) VALUES (?1, ?2, ?3, 'active')")?
            .execute(params![code, station, secret_hash])
            .map_err(duplicate(format!("terminal {code}")))?;
        Ok(self.tx.last_insert_rowid())
    }

    fn move_station(
        &mut self,
        station_id: i64,
        from: StationStatus,
        to: StationStatus,
        effective_on: &str,
        reason: &str,
        actor: &str,
        at: i64,
    ) -> StoreResult<()> {
        if !from.can_become(to) {
            return Err(StoreError::Conflict(format!(
                "a station does not move from {from} to {to}"
            )));
        }
        self.reference_changed();
        let suspended_reason = if to == StationStatus::Suspended {
            reason
        } else {
            ""
        };
        let closed_on = (to == StationStatus::Closed).then_some(effective_on);
        let n = self
            .tx
            .prepare_cached(
                "UPDATE stations SET status = ?3, status_reason = ?4, closed_on = COALESCE(?5, closed_on)
                 WHERE id = ?1 AND status = ?2",
            )?
            .execute(params![station_id, from, to, suspended_reason, closed_on])?;
        if n != 1 {
            return Err(StoreError::Conflict(format!(
                "station #{station_id} is not {from}"
            )));
        }
        self.tx
            .prepare_cached(
                "INSERT INTO station_events (station_id, from_status, to_status, effective_on, reason, actor, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![station_id, from, to, effective_on, reason, actor, at])?;
        if to == StationStatus::Closed {
            self.tx
                .prepare_cached("UPDATE terminals SET status = ?2 WHERE station_id = ?1")?
                .execute(params![station_id, TerminalStatus::Disabled])?;
        }
        Ok(())
    }

    fn set_terminal_status(&mut self, code: &str, status: TerminalStatus) -> StoreResult<()> {
        self.reference_changed();
        let n = self
            .tx
            .prepare_cached("UPDATE terminals SET status = ?2 WHERE code = ?1")?
            .execute(params![code, status])?;
        if n == 1 {
            Ok(())
        } else {
            Err(StoreError::not_found(format!("terminal {code}")))
        }
    }

    fn set_terminal_secret(&mut self, code: &str, secret_hash: &str) -> StoreResult<()> {
        self.reference_changed();
        let n = self
            .tx
            .prepare_cached("UPDATE terminals SET secret_hash = ?2 WHERE code = ?1")?
            .execute(params![code, secret_hash])?;
        if n == 1 {
            Ok(())
        } else {
            Err(StoreError::not_found(format!("terminal {code}")))
        }
    }

    fn insert_station_person(&mut self, p: &NewStationPerson<'_>, at: i64) -> StoreResult<i64> {
        let station = self.id_of("stations", p.station_code)?;
        self.tx
            .prepare_cached(
                "INSERT INTO station_people (station_id, role, name, phone, id_number, from_on, to_on, certificates, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![station, p.role, p.name, p.phone, p.id_number, p.from_on, p.to_on, p.certificates, at])
            .map_err(duplicate(format!("{} at station {} from {}", p.name, p.station_code, p.from_on)))?;
        Ok(self.tx.last_insert_rowid())
    }

    fn end_station_person(&mut self, id: i64, to_on: &str) -> StoreResult<()> {
        let n = self
            .tx
            .prepare_cached("UPDATE station_people SET to_on = ?2 WHERE id = ?1 AND to_on IS NULL AND from_on <= ?2")?
            .execute(params![id, to_on])?;
        if n == 1 {
            Ok(())
        } else {
            Err(StoreError::Conflict(format!(
                "station person #{id} has already left, or started after {to_on}"
            )))
        }
    }

    fn set_setting(&mut self, key: &str, value: &str) -> StoreResult<()> {
        self.tx
            .prepare_cached("INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")?
            .execute(params![key, value])?;
        Ok(())
    }
}

impl WriteTx<'_> {
    /// The id of a row by its `code` in one of the register tables.
    pub(crate) fn id_of(&self, table: &'static str, code: &str) -> StoreResult<i64> {
        let singular = table.trim_end_matches('s');
        self.tx
            .prepare_cached(&format!("SELECT id FROM {table} WHERE code = ?1"))?
            .query_row([code], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::not_found(format!("{singular} {code}")))
    }
}

/// The reads of centers, towns, stations, terminals and settings. SQLite implements it on
/// [`Reader`](crate::Reader); another backend implements it on its own handle.
pub trait RegistersReads {
    fn centers(&self) -> StoreResult<Vec<CenterRow>>;
    fn towns(&self) -> StoreResult<Vec<TownRow>>;
    fn stations(&self) -> StoreResult<Vec<StationRow>>;
    /// Stations of a town and/or in a status, by code.
    fn stations_where(
        &self,
        town: Option<&str>,
        status: Option<StationStatus>,
    ) -> StoreResult<Vec<StationRow>>;
    /// Every move of a station's status, oldest first.
    fn station_events(&self, station_id: i64) -> StoreResult<Vec<StationEventRow>>;
    /// The people of one station (or of all), past and present.
    fn station_people(&self, station_id: Option<i64>) -> StoreResult<Vec<StationPersonRow>>;
    fn station_person(&self, id: i64) -> StoreResult<StationPersonRow>;
    fn station_by_code(&self, code: &str) -> StoreResult<StationRow>;
    fn station_by_id(&self, id: i64) -> StoreResult<StationRow>;
    /// The station and the centers above it: town → district → city → province.
    fn station_chain(&self, station_id: i64) -> StoreResult<StationChain>;
    fn terminal_by_code(&self, code: &str) -> StoreResult<TerminalRow>;
    fn terminals(&self) -> StoreResult<Vec<TerminalRow>>;
    fn setting(&self, key: &str) -> StoreResult<Option<String>>;
}

/// The writes (inside a write transaction) of centers, towns, stations, terminals and settings.
/// SQLite implements it on [`WriteTx`](crate::WriteTx); another backend implements it on its own
/// handle.
pub trait RegistersWrites {
    fn insert_center(
        &mut self,
        code: &str,
        name: &str,
        level: &str,
        parent_code: Option<&str>,
    ) -> StoreResult<i64>;
    /// Inserts a center or, when the code exists, renames it (level and parent stay).
    fn upsert_center(
        &mut self,
        code: &str,
        name: &str,
        level: &str,
        parent_code: Option<&str>,
    ) -> StoreResult<i64>;
    fn insert_town(&mut self, code: &str, name: &str, center_code: &str) -> StoreResult<i64>;
    /// Inserts a town or, when the code exists, renames it and moves it to `center_code`.
    fn upsert_town(&mut self, code: &str, name: &str, center_code: &str) -> StoreResult<i64>;
    /// Inserts or, when the code exists, updates a station.
    fn upsert_station(&mut self, s: &StationRow) -> StoreResult<i64>;
    fn insert_terminal(
        &mut self,
        code: &str,
        station_code: &str,
        secret_hash: &str,
    ) -> StoreResult<i64>;
    /// Moves a station from `from` to `to` (the moves `StationStatus::can_become` allows),
    /// keeping the event; closing disables every terminal of the station.
    #[allow(clippy::too_many_arguments)]
    fn move_station(
        &mut self,
        station_id: i64,
        from: StationStatus,
        to: StationStatus,
        effective_on: &str,
        reason: &str,
        actor: &str,
        at: i64,
    ) -> StoreResult<()>;
    fn set_terminal_status(&mut self, code: &str, status: TerminalStatus) -> StoreResult<()>;
    /// New credentials for a terminal: the old secret stops working at the commit.
    fn set_terminal_secret(&mut self, code: &str, secret_hash: &str) -> StoreResult<()>;
    fn insert_station_person(&mut self, p: &NewStationPerson<'_>, at: i64) -> StoreResult<i64>;
    /// The person left the station on `to_on`.
    fn end_station_person(&mut self, id: i64, to_on: &str) -> StoreResult<()>;
    fn set_setting(&mut self, key: &str, value: &str) -> StoreResult<()>;
}
