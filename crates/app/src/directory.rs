//! The center hierarchy (province → city → district) and people's accounts: CSV/XLSX import
//! (every row checked, a file with any bad row imports nothing) and export.

use std::collections::{HashMap, HashSet};

use fucai_store::CenterRow;
use serde::Serialize;

use crate::accounts::validate_username;
use crate::auth::{hash_password, random_token};
use crate::error::{AppError, AppResult};
use crate::import::check_rows;
use crate::principal::{Access, Principal, Role, ADMINS, REGISTER_EDITORS, REGISTER_READERS};
use crate::registers::{ImportReport, RowError};
use crate::tabular::{cell, write_table, Format, Table};
use crate::App;

/// Columns of the center file.
pub const CENTER_COLUMNS: [&str; 4] = ["code", "name", "level", "parent"];
/// Columns of the user file (import); the export adds `active`.
pub const USER_COLUMNS: [&str; 4] = ["username", "display_name", "role", "station"];
const LEVELS: [&str; 3] = ["province", "city", "district"];
const MAX_NAME_CHARS: usize = 200;

/// What a user import did: the accounts created, each with its first password (shown once;
/// the person changes it), or the row errors.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UserImportReport {
    pub imported: usize,
    pub errors: Vec<RowError>,
    pub passwords: Vec<(String, String)>,
}

/// A person's account as staff may see it (never its password hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UserView {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub station: Option<String>,
    pub active: bool,
}

/// A sales terminal as staff may see it (never its secret's hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TerminalView {
    pub code: String,
    pub station: String,
    pub status: String,
}

fn level_rank(level: &str) -> Option<usize> {
    LEVELS.iter().position(|l| *l == level)
}

impl App {
    /// The center hierarchy (center staff).
    pub fn centers(&self, who: &Principal) -> AppResult<Vec<CenterRow>> {
        who.require(Access::Roles(REGISTER_READERS), None)?;
        Ok(self.store.read(|r| r.centers())?)
    }

    /// Towns and streets (center staff).
    pub fn towns(&self, who: &Principal) -> AppResult<Vec<fucai_store::TownRow>> {
        who.require(Access::Roles(REGISTER_READERS), None)?;
        Ok(self.store.read(|r| r.towns())?)
    }

    /// Every sales terminal (center staff).
    pub fn terminals(&self, who: &Principal) -> AppResult<Vec<TerminalView>> {
        who.require(Access::Roles(REGISTER_READERS), None)?;
        Ok(self
            .store
            .read(|r| r.terminals())?
            .into_iter()
            .map(|t| TerminalView {
                code: t.code,
                station: t.station_code,
                status: t.status.to_string(),
            })
            .collect())
    }

    /// Every account (admins).
    pub fn users(&self, who: &Principal) -> AppResult<Vec<UserView>> {
        who.require(Access::Roles(ADMINS), None)?;
        Ok(self
            .store
            .read(|r| r.users())?
            .into_iter()
            .map(|u| UserView {
                username: u.username,
                display_name: u.display_name,
                role: u.role,
                station: u.station_code,
                active: u.active,
            })
            .collect())
    }

    pub fn export_centers(&self, who: &Principal, format: Format) -> AppResult<Vec<u8>> {
        who.require(Access::Roles(REGISTER_READERS), None)?;
        let rows: Vec<Vec<String>> = self
            .store
            .read(|r| r.centers())?
            .into_iter()
            .map(|c| vec![c.code, c.name, c.level, c.parent_code.unwrap_or_default()])
            .collect();
        write_table(format, "centers", &CENTER_COLUMNS, &rows)
    }

    /// Imports centers: new ones are added under their parent (a province has none, a city's
    /// parent is a province, a district's a city); existing ones are renamed, never moved.
    pub async fn import_centers(&self, who: &Principal, bytes: &[u8]) -> AppResult<ImportReport> {
        who.require(Access::Roles(REGISTER_EDITORS), None)?;
        let table = Table::read(bytes)?;
        let cols = table.columns(&CENTER_COLUMNS)?;
        let existing: HashMap<String, CenterRow> = self
            .store
            .read(|r| r.centers())?
            .into_iter()
            .map(|c| (c.code.clone(), c))
            .collect();
        // Levels of the centers known after the import (file rows included), to check parents.
        let mut level_of: HashMap<String, String> = existing
            .values()
            .map(|c| (c.code.clone(), c.level.clone()))
            .collect();
        for row in &table.rows {
            let (code, level) = (cell(row, cols[0]), cell(row, cols[2]));
            if level_rank(level).is_some() {
                level_of
                    .entry(code.to_string())
                    .or_insert_with(|| level.to_string());
            }
        }
        let mut seen = HashSet::new();
        let checked = check_rows(&table, |row, errors| {
            let [code, name, level, parent] = [0, 1, 2, 3].map(|c| cell(row, cols[c]));
            errors.unique_code(code, &mut seen);
            if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
                errors.push(
                    "name",
                    format!("required, at most {MAX_NAME_CHARS} characters"),
                );
            }
            let parent = (!parent.is_empty()).then_some(parent);
            if let Err(why) = parent_fits(level, parent, &level_of) {
                errors.push(why.0, why.1);
            }
            if let Some(old) = existing.get(code) {
                if old.level != level || old.parent_code.as_deref() != parent {
                    errors.push(
                        "level",
                        format!(
                            "center {code} exists as a {}; it can be renamed, not moved",
                            old.level
                        ),
                    );
                }
            }
            Some((
                code.to_string(),
                name.to_string(),
                level.to_string(),
                parent.map(str::to_string),
            ))
        });
        let mut centers = match checked {
            Ok(centers) => centers,
            Err(errors) => {
                return Ok(ImportReport {
                    imported: 0,
                    errors,
                })
            }
        };
        // Parents before children.
        centers.sort_by_key(|(_, _, level, _)| level_rank(level));
        let actor = who.actor();
        self.write_rows(centers, move |tx, (code, name, level, parent), now| {
            tx.upsert_center(code, name, level, parent.as_deref())?;
            Ok(tx.audit(now, &actor, "center.upsert", code, name.as_bytes())?)
        })
        .await
    }

    pub fn export_users(&self, who: &Principal, format: Format) -> AppResult<Vec<u8>> {
        who.require(Access::Roles(ADMINS), None)?;
        let rows: Vec<Vec<String>> = self
            .store
            .read(|r| r.users())?
            .into_iter()
            .map(|u| {
                vec![
                    u.username,
                    u.display_name,
                    u.role,
                    u.station_code.unwrap_or_default(),
                    u.active.to_string(),
                ]
            })
            .collect();
        let mut columns = USER_COLUMNS.to_vec();
        columns.push("active");
        write_table(format, "users", &columns, &rows)
    }

    /// Creates accounts from a file, each with a random first password returned once.
    pub async fn import_users(&self, who: &Principal, bytes: &[u8]) -> AppResult<UserImportReport> {
        who.require(Access::Roles(ADMINS), None)?;
        let table = Table::read(bytes)?;
        let cols = table.columns(&USER_COLUMNS)?;
        let (taken, stations): (HashSet<String>, HashSet<String>) = self.store.read(|r| {
            Ok((
                r.users()?.into_iter().map(|u| u.username).collect(),
                r.stations()?.into_iter().map(|s| s.code).collect(),
            ))
        })?;
        let mut seen = HashSet::new();
        let checked = check_rows(&table, |row, errors| {
            let [username, display, role, station] = [0, 1, 2, 3].map(|c| cell(row, cols[c]));
            if let Err(e) = validate_username(username) {
                errors.push("username", e.to_string());
            } else if taken.contains(username) || !seen.insert(username.to_string()) {
                errors.push("username", format!("'{username}' is taken"));
            }
            if display.is_empty() || display.chars().count() > MAX_NAME_CHARS {
                errors.push(
                    "display_name",
                    format!("required, at most {MAX_NAME_CHARS} characters"),
                );
            }
            match role.parse::<Role>() {
                Err(e) => errors.push("role", e.to_string()),
                Ok(r) if r.is_station_role() && !stations.contains(station) => errors.push(
                    "station",
                    format!("a {role} needs the code of an existing station, not '{station}'"),
                ),
                Ok(r) if !r.is_station_role() && !station.is_empty() => {
                    errors.push("station", format!("a {role} belongs to no station"))
                }
                Ok(_) => {}
            }
            Some((
                username.to_string(),
                display.to_string(),
                role.to_string(),
                (!station.is_empty()).then(|| station.to_string()),
            ))
        });
        let users = match checked {
            Ok(users) => users,
            Err(errors) => {
                return Ok(UserImportReport {
                    imported: 0,
                    errors,
                    passwords: Vec::new(),
                })
            }
        };
        let mut passwords = Vec::new();
        let mut rows = Vec::new();
        for (username, display, role, station) in users {
            let password = random_token(8);
            rows.push((
                username.clone(),
                display,
                hash_password(&password)?,
                role,
                station,
            ));
            passwords.push((username, password));
        }
        let actor = who.actor();
        let report = self
            .write_rows(
                rows,
                move |tx, (username, display, hash, role, station), now| {
                    tx.insert_user(username, display, hash, role, station.as_deref())?;
                    Ok(tx.audit(now, &actor, "user.create", username, role.as_bytes())?)
                },
            )
            .await
            .map_err(|e| match e {
                AppError::Conflict(m) => AppError::Conflict(format!("{m}; nothing was imported")),
                other => other,
            })?;
        Ok(UserImportReport {
            imported: report.imported,
            errors: Vec::new(),
            passwords,
        })
    }
}

/// Whether a center of `level` may sit under `parent`: a province under none, a city under a
/// province, a district under a city (`level_of`: the levels known, the file's rows included).
/// The column and message when it may not.
fn parent_fits(
    level: &str,
    parent: Option<&str>,
    level_of: &HashMap<String, String>,
) -> Result<(), (&'static str, String)> {
    match level_rank(level) {
        None => Err((
            "level",
            format!("'{level}' is not one of {}", LEVELS.join(", ")),
        )),
        Some(0) if parent.is_some() => Err(("parent", "a province has no parent".into())),
        Some(rank @ (1 | 2)) => {
            let wanted = LEVELS[rank - 1];
            if parent.and_then(|p| level_of.get(p)).map(String::as_str) == Some(wanted) {
                Ok(())
            } else {
                Err((
                    "parent",
                    format!(
                        "a {level} belongs to a {wanted}: '{}' is not one",
                        parent.unwrap_or("")
                    ),
                ))
            }
        }
        _ => Ok(()),
    }
}
