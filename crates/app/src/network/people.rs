//! The people who work at stations (业主 and 销售员): a register of their own, apart from
//! login accounts, with the 身份证号 validated and shown masked, from/to dates and
//! certificates. Added one by one or imported all-or-nothing; exported.

use std::collections::HashSet;

use fucai_store::{NewStationPerson, StationPersonRole, StationPersonRow};
use serde::Serialize;

use crate::clock::now_ms;
use crate::error::{AppError, AppResult};
use crate::idcard;
use crate::import::RowErrors;
use crate::principal::{Access, Principal, REGISTER_EDITORS, REGISTER_READERS, SALES_READERS};
use crate::registers::{parse_date, ImportReport};
use crate::tabular::{cell, write_table, Format, Table};
use crate::App;

/// Columns of the station people file, in export order.
pub const STATION_PEOPLE_COLUMNS: [&str; 8] = [
    "station",
    "role",
    "name",
    "phone",
    "id_number",
    "from_on",
    "to_on",
    "certificates",
];
const MAX_NAME_CHARS: usize = 50;
const MAX_CERTIFICATES_CHARS: usize = 500;

#[derive(Clone, Debug, Default)]
pub struct StationPersonInput {
    pub station: String,
    pub role: String,
    pub name: String,
    pub phone: String,
    pub id_number: String,
    pub from_on: String,
    pub to_on: Option<String>,
    pub certificates: String,
}

/// A station person as shown: the 身份证号 masked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StationPersonView {
    pub id: i64,
    pub station: String,
    pub role: StationPersonRole,
    pub name: String,
    pub phone: String,
    pub id_number: String,
    pub from_on: String,
    pub to_on: Option<String>,
    pub certificates: String,
}

impl From<StationPersonRow> for StationPersonView {
    fn from(p: StationPersonRow) -> StationPersonView {
        StationPersonView {
            id: p.id,
            station: p.station_code,
            role: p.role,
            name: p.name,
            phone: p.phone,
            id_number: idcard::mask_id(&p.id_number),
            from_on: p.from_on,
            to_on: p.to_on,
            certificates: p.certificates,
        }
    }
}

/// A checked person, owning what `NewStationPerson` borrows.
struct CheckedPerson {
    input: StationPersonInput,
    role: StationPersonRole,
    id_number: String,
}

impl CheckedPerson {
    /// Adds the person to the register, with the audit record; their id.
    fn write(&self, tx: &mut dyn fucai_store::Writes, actor: &str, now: i64) -> AppResult<i64> {
        let id = tx.insert_station_person(&self.as_new(), now)?;
        tx.audit(
            now,
            actor,
            "station_person.create",
            &format!("station_person:{id}"),
            format!("{} {} {}", self.input.station, self.role, self.input.name).as_bytes(),
        )?;
        Ok(id)
    }

    fn as_new(&self) -> NewStationPerson<'_> {
        NewStationPerson {
            station_code: &self.input.station,
            role: self.role,
            name: &self.input.name,
            phone: &self.input.phone,
            id_number: &self.id_number,
            from_on: &self.input.from_on,
            to_on: self.input.to_on.as_deref(),
            certificates: &self.input.certificates,
        }
    }
}

/// Checks one person; every problem goes to `errors` by field.
fn check_person(
    mut input: StationPersonInput,
    stations: &HashSet<String>,
    errors: &mut RowErrors<'_>,
) -> Option<CheckedPerson> {
    for text in [
        &mut input.station,
        &mut input.role,
        &mut input.name,
        &mut input.phone,
        &mut input.id_number,
        &mut input.from_on,
        &mut input.certificates,
    ] {
        *text = text.trim().to_string();
    }
    input.to_on = input
        .to_on
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    if !stations.contains(&input.station) {
        errors.push("station", format!("unknown station '{}'", input.station));
    }
    let role = input.role.parse::<StationPersonRole>().ok();
    if role.is_none() {
        errors.push("role", format!("'{}' is not owner or clerk", input.role));
    }
    if input.name.is_empty() || input.name.chars().count() > MAX_NAME_CHARS {
        errors.push(
            "name",
            format!("required, at most {MAX_NAME_CHARS} characters"),
        );
    }
    if input.phone.len() < 5
        || input.phone.len() > 20
        || !input
            .phone
            .bytes()
            .all(|b| b.is_ascii_digit() || b"+- ".contains(&b))
    {
        errors.push("phone", "5–20 digits (+, - and spaces allowed)");
    }
    let id_number = match idcard::validate(&input.id_number) {
        Ok((id, _)) => Some(id),
        Err(e) => {
            errors.push("id_number", e.to_string());
            None
        }
    };
    let from = parse_date(&input.from_on);
    if from.is_none() {
        errors.push(
            "from_on",
            format!("'{}' is not a date (YYYY-MM-DD)", input.from_on),
        );
    }
    if let Some(to_on) = &input.to_on {
        match parse_date(to_on) {
            None => errors.push("to_on", format!("'{to_on}' is not a date (YYYY-MM-DD)")),
            Some(to) if from.is_some_and(|f| to < f) => errors.push("to_on", "before from_on"),
            Some(_) => {}
        }
    }
    if input.certificates.chars().count() > MAX_CERTIFICATES_CHARS {
        errors.push(
            "certificates",
            format!("at most {MAX_CERTIFICATES_CHARS} characters"),
        );
    }
    Some(CheckedPerson {
        input,
        role: role?,
        id_number: id_number?,
    })
}

impl App {
    fn station_codes(&self) -> AppResult<HashSet<String>> {
        Ok(self
            .store
            .read(|r| r.stations())?
            .into_iter()
            .map(|s| s.code)
            .collect())
    }

    /// Adds a person to a station's register.
    pub async fn add_station_person(
        &self,
        who: &Principal,
        input: StationPersonInput,
    ) -> AppResult<StationPersonView> {
        who.require(Access::Roles(REGISTER_EDITORS), None)?;
        let stations = self.station_codes()?;
        let mut errors = Vec::new();
        let checked = check_person(input, &stations, &mut RowErrors::single(&mut errors));
        let checked = match (checked, errors.into_iter().next()) {
            (Some(c), None) => c,
            (_, Some(e)) => return Err(AppError::invalid(e.column, e.message)),
            (None, None) => return Err(AppError::internal("a refused person without a reason")),
        };
        let actor = who.actor();
        self.writes
            .run(move |tx| {
                let id = checked.write(tx, &actor, now_ms())?;
                Ok(tx.reader().station_person(id)?.into())
            })
            .await
    }

    /// Records that a person left their station on `to_on`.
    pub async fn end_station_person(
        &self,
        who: &Principal,
        id: i64,
        to_on: &str,
    ) -> AppResult<StationPersonView> {
        who.require(Access::Roles(REGISTER_EDITORS), None)?;
        if parse_date(to_on).is_none() {
            return Err(AppError::invalid(
                "to_on",
                format!("'{to_on}' is not a date (YYYY-MM-DD)"),
            ));
        }
        let (actor, to_on) = (who.actor(), to_on.to_string());
        self.writes
            .run(move |tx| {
                tx.end_station_person(id, &to_on)?;
                tx.audit(
                    now_ms(),
                    &actor,
                    "station_person.leave",
                    &format!("station_person:{id}"),
                    to_on.as_bytes(),
                )?;
                Ok(tx.reader().station_person(id)?.into())
            })
            .await
    }

    /// The people of one station (its own people for station roles) or, for center staff,
    /// of every station when `station` is `None`.
    pub fn station_people(
        &self,
        who: &Principal,
        station: Option<&str>,
    ) -> AppResult<Vec<StationPersonView>> {
        let station_id = match station {
            Some(code) => {
                let s = self.store.read(|r| r.station_by_code(code))?;
                who.require(Access::Roles(SALES_READERS), Some(s.id))
                    .or_else(|_| who.require(Access::Roles(REGISTER_READERS), None))?;
                Some(s.id)
            }
            None => {
                who.require(Access::Roles(REGISTER_READERS), None)?;
                None
            }
        };
        Ok(self
            .store
            .read(|r| r.station_people(station_id))?
            .into_iter()
            .map(StationPersonView::from)
            .collect())
    }

    /// Imports station people from CSV or XLSX: every row valid and new, or nothing.
    pub async fn import_station_people(
        &self,
        who: &Principal,
        bytes: &[u8],
    ) -> AppResult<ImportReport> {
        who.require(Access::Roles(REGISTER_EDITORS), None)?;
        let table = Table::read(bytes)?;
        let mut cols = table.columns(&STATION_PEOPLE_COLUMNS[..6])?;
        cols.extend(
            ["to_on", "certificates"]
                .into_iter()
                .map(|c| table.column(c).unwrap_or(usize::MAX)),
        );
        let stations = self.station_codes()?;
        let mut seen = HashSet::new();
        let actor = who.actor();
        self.import_rows(
            &table,
            |row, errors| {
                let get = |i: usize| cell(row, cols[i]).to_string();
                let input = StationPersonInput {
                    station: get(0),
                    role: get(1),
                    name: get(2),
                    phone: get(3),
                    id_number: get(4),
                    from_on: get(5),
                    to_on: Some(get(6)),
                    certificates: get(7),
                };
                let key = (get(0), get(4).to_uppercase(), get(5));
                let twice = !seen.insert(key);
                let person = check_person(input, &stations, errors);
                if twice {
                    errors.push("id_number", "the same person twice in the file");
                }
                person
            },
            move |tx, person, now| {
                person.write(tx, &actor, now)?;
                Ok(())
            },
        )
        .await
    }

    /// Exports the station people (身份证号 masked).
    pub fn export_station_people(&self, who: &Principal, format: Format) -> AppResult<Vec<u8>> {
        let rows: Vec<Vec<String>> = self
            .station_people(who, None)?
            .into_iter()
            .map(|p| {
                vec![
                    p.station,
                    p.role.to_string(),
                    p.name,
                    p.phone,
                    p.id_number,
                    p.from_on,
                    p.to_on.unwrap_or_default(),
                    p.certificates,
                ]
            })
            .collect();
        write_table(format, "station_people", &STATION_PEOPLE_COLUMNS, &rows)
    }
}
