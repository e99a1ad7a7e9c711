//! Beneficiaries: persons with a validated 身份证号 (masked unless the role may see it) and
//! institutions; registered one by one or imported all-or-nothing.

use std::collections::{BTreeMap, HashSet};

use crate::clock::now_ms;
use fucai_store::{BeneficiaryRow, NewBeneficiary};
use serde::Serialize;

use crate::error::{AppError, AppResult};
use crate::idcard;
use crate::principal::{Access, Principal};
use crate::registers::ImportReport;
use crate::tabular::{cell, Table};
use crate::App;

use super::*;

#[derive(Clone, Debug)]
pub struct BeneficiaryInput {
    pub kind: String,
    pub name: String,
    pub id_number: Option<String>,
    pub town: String,
    pub household: String,
    pub tags: String,
    pub contact: String,
}

/// A beneficiary as shown: personal data masked unless the reader may see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BeneficiaryView {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub id_number: Option<String>,
    pub birth_date: Option<String>,
    pub town: String,
    pub household: String,
    pub tags: String,
    pub contact: String,
    pub masked: bool,
}

impl BeneficiaryView {
    fn of(b: BeneficiaryRow, masked: bool) -> BeneficiaryView {
        let person = b.kind == "person";
        let hide = masked && person;
        BeneficiaryView {
            id: b.id,
            kind: b.kind,
            name: if hide {
                idcard::mask_name(&b.name)
            } else {
                b.name
            },
            id_number: b
                .id_number
                .map(|n| if hide { idcard::mask_id(&n) } else { n }),
            birth_date: if hide { None } else { b.birth_date },
            town: b.town_code,
            household: if hide { String::new() } else { b.household },
            tags: b.tags,
            contact: if hide { String::new() } else { b.contact },
            masked: hide,
        }
    }
}

/// What adding a beneficiary found worth a second look.
#[derive(Clone, Debug, Serialize)]
pub struct AddedBeneficiary {
    pub beneficiary: BeneficiaryView,
    /// Existing people with the same name, birth date and town.
    pub likely_duplicates: Vec<i64>,
}

impl App {
    fn check_beneficiary(
        &self,
        input: &BeneficiaryInput,
        towns: &HashSet<String>,
    ) -> Result<NewBeneficiary, (String, String)> {
        let bad = |f: &str, m: String| (f.to_string(), m);
        let name = input.name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(bad("name", "required, at most 100 characters".into()));
        }
        if !towns.contains(input.town.trim()) {
            return Err(bad(
                "town",
                format!("unknown town code '{}'", input.town.trim()),
            ));
        }
        let (id_number, birth_date) = match input.kind.as_str() {
            "person" => {
                let raw = input.id_number.as_deref().unwrap_or("");
                let (id, birth) =
                    idcard::validate(raw).map_err(|e| bad("id_number", e.to_string()))?;
                (Some(id), Some(birth.to_string()))
            }
            "institution" => (None, None),
            other => {
                return Err(bad(
                    "kind",
                    format!("'{other}' is not person or institution"),
                ))
            }
        };
        Ok(NewBeneficiary {
            kind: input.kind.clone(),
            name: name.to_string(),
            id_number,
            birth_date,
            town_code: input.town.trim().to_string(),
            household: input.household.trim().to_string(),
            tags: input.tags.trim().to_string(),
            contact: input.contact.trim().to_string(),
        })
    }

    /// Town code → name.
    pub(super) fn town_names(&self) -> AppResult<BTreeMap<String, String>> {
        Ok(self
            .store
            .read(|r| r.towns())?
            .into_iter()
            .map(|t| (t.code, t.name))
            .collect())
    }

    fn town_codes(&self) -> AppResult<HashSet<String>> {
        Ok(self
            .store
            .read(|r| r.towns())?
            .into_iter()
            .map(|t| t.code)
            .collect())
    }

    /// Registers a beneficiary; a 身份证号 already registered is refused, a likely duplicate
    /// (same name, birth date and town) is reported.
    pub async fn add_beneficiary(
        &self,
        who: &Principal,
        input: BeneficiaryInput,
    ) -> AppResult<AddedBeneficiary> {
        who.require(Access::Roles(WELFARE_MAKERS), None)?;
        let new = self
            .check_beneficiary(&input, &self.town_codes()?)
            .map_err(|(f, m)| AppError::invalid(f, m))?;
        let actor = who.actor();
        let unmasked = who.allows(Access::Roles(PERSONAL_DATA_READERS), None);
        self.writes
            .run(move |tx| {
                let likely: Vec<i64> = match (&new.birth_date, new.kind.as_str()) {
                    (Some(birth), "person") => tx
                        .reader()
                        .likely_duplicates(&new.name, birth, &new.town_code)?
                        .into_iter()
                        .map(|b| b.id)
                        .collect(),
                    _ => Vec::new(),
                };
                let now = now_ms();
                let id = tx.insert_beneficiary(&new, now)?;
                tx.audit(
                    now,
                    &actor,
                    "beneficiary.create",
                    &format!("beneficiary:{id}"),
                    new.name.as_bytes(),
                )?;
                let row = tx.reader().beneficiary(id)?;
                Ok(AddedBeneficiary {
                    beneficiary: BeneficiaryView::of(row, !unmasked),
                    likely_duplicates: likely,
                })
            })
            .await
    }

    /// Imports beneficiaries from CSV/XLSX (kind, name, id_number, town, household, tags,
    /// contact): every row valid and new, or nothing.
    pub async fn import_beneficiaries(
        &self,
        who: &Principal,
        bytes: &[u8],
    ) -> AppResult<ImportReport> {
        who.require(Access::Roles(WELFARE_MAKERS), None)?;
        let table = Table::read(bytes)?;
        let cols = table.columns(&BENEFICIARY_COLUMNS)?;
        let towns = self.town_codes()?;
        // Every 身份证号 registered so far, and those of the file's earlier rows.
        let mut seen: HashSet<String> = self
            .store
            .read(|r| r.beneficiaries())?
            .into_iter()
            .filter_map(|b| b.id_number)
            .collect();
        let actor = who.actor();
        self.import_rows(
            &table,
            |row, errors| {
                let get = |c: usize| cell(row, cols[c]).to_string();
                let input = BeneficiaryInput {
                    kind: get(0),
                    name: get(1),
                    id_number: Some(get(2)).filter(|s| !s.is_empty()),
                    town: get(3),
                    household: get(4),
                    tags: get(5),
                    contact: get(6),
                };
                let b = self
                    .check_beneficiary(&input, &towns)
                    .map_err(|(column, message)| errors.push(&column, message))
                    .ok()?;
                if b.id_number
                    .as_ref()
                    .is_some_and(|id| !seen.insert(id.clone()))
                {
                    errors.push("id_number", "this 身份证号 is already registered");
                }
                Some(b)
            },
            move |tx, b, now| {
                let id = tx.insert_beneficiary(b, now)?;
                Ok(tx.audit(
                    now,
                    &actor,
                    "beneficiary.create",
                    &format!("beneficiary:{id}"),
                    b.name.as_bytes(),
                )?)
            },
        )
        .await
    }

    /// Beneficiaries; unmasked only for the roles allowed, and every unmasked read is audited.
    pub async fn beneficiaries(
        &self,
        who: &Principal,
        unmasked: bool,
    ) -> AppResult<Vec<BeneficiaryView>> {
        who.require(Access::Roles(WELFARE_READERS), None)?;
        if unmasked {
            who.require(Access::Roles(PERSONAL_DATA_READERS), None)?;
            let actor = who.actor();
            self.writes
                .run(move |tx| {
                    Ok(tx.audit(
                        now_ms(),
                        &actor,
                        "beneficiary.read_unmasked",
                        "beneficiaries",
                        b"all",
                    )?)
                })
                .await?;
        }
        let rows = self.store.read(|r| r.beneficiaries())?;
        Ok(rows
            .into_iter()
            .map(|b| BeneficiaryView::of(b, !unmasked))
            .collect())
    }
}
