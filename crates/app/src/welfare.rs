//! The welfare fund (彩票公益金) at work: programmes under 扶老/助残/救孤/济困 with budgets
//! reserved from the district's welfare fund, beneficiaries (persons with a validated 身份证号,
//! masked for everyone without the right to see it; institutions), grants proposed by one
//! person and approved by another, disbursement posted to the ledger, and public disclosure.

use fucai_store::{GrantStatus, ProgrammeStatus};
use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;
use fucai_ledger::{AccountCode, Fund, Money};
use fucai_store::{
    now_ms, BeneficiaryRow, GrantRow, NewBeneficiary, NewGrant, ProgrammeRow, Writes,
};
use serde::Serialize;

use crate::error::{AppError, AppResult};
use crate::idcard;
use crate::journal::{entry, posting};
use crate::principal::{Access, Principal, Role};
use crate::registers::{parse_date, ImportReport, RowError};
use crate::tabular::{cell, write_table, Format, Table};
use crate::App;

/// Propose programmes, beneficiaries and grants.
pub const WELFARE_MAKERS: &[Role] = &[Role::Admin, Role::Welfare];
/// Approve or reject them (never their own).
pub const WELFARE_CHECKERS: &[Role] = &[Role::Admin, Role::Finance];
/// Read programmes, grants and (masked) beneficiaries.
pub const WELFARE_READERS: &[Role] = &[
    Role::Admin,
    Role::Welfare,
    Role::Finance,
    Role::Auditor,
    Role::Operations,
];
/// May see personal data unmasked; every such read is audited.
pub const PERSONAL_DATA_READERS: &[Role] = &[Role::Admin, Role::Welfare, Role::Auditor];

pub const CATEGORIES: [(&str, &str); 4] = [
    ("elderly", "扶老"),
    ("disabled", "助残"),
    ("orphans", "救孤"),
    ("poverty", "济困"),
];
pub const BENEFICIARY_COLUMNS: [&str; 7] = [
    "kind",
    "name",
    "id_number",
    "town",
    "household",
    "tags",
    "contact",
];
/// Largest single grant.
pub const MAX_GRANT: Money = Money::from_yuan(10_000_000);
pub const MAX_BATCH_ROWS: usize = 1000;

pub fn category_name(code: &str) -> &'static str {
    CATEGORIES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("其他", |(_, n)| n)
}

#[derive(Clone, Debug)]
pub struct ProgrammeInput {
    pub code: String,
    pub name: String,
    pub category: String,
    pub year: i64,
    pub budget: Money,
}

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

#[derive(Clone, Debug)]
pub struct GrantInput {
    pub beneficiary_id: i64,
    pub amount: Money,
    pub purpose: String,
    pub date: String,
    pub note: String,
}

/// The outcome of one row of a batch approval.
#[derive(Clone, Debug, Serialize)]
pub struct GrantDecision {
    pub grant_id: i64,
    pub paid: bool,
    pub message: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ProgrammeLine {
    pub code: String,
    pub name: String,
    pub category: String,
    pub category_name: String,
    pub status: ProgrammeStatus,
    pub budget_fen: i64,
    pub spent_fen: i64,
    pub remaining_fen: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct SumLine {
    pub key: String,
    pub name: String,
    pub grants: usize,
    pub amount_fen: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct WelfareReport {
    pub year: i64,
    pub programmes: Vec<ProgrammeLine>,
    pub by_category: Vec<SumLine>,
    pub by_town: Vec<SumLine>,
    pub total_paid_fen: i64,
}

/// One line of the public disclosure (公示): personal names masked.
#[derive(Clone, Debug, Serialize)]
pub struct DisclosureLine {
    pub date: String,
    pub category: String,
    pub programme: String,
    pub beneficiary: String,
    pub town: String,
    pub purpose: String,
    pub amount_fen: i64,
}

fn budget_account(programme: &str) -> AccountCode {
    AccountCode::new("programme", programme, Fund::ProgrammeBudget)
}

fn maker_name(who: &Principal) -> AppResult<String> {
    match who {
        Principal::User { username, .. } => Ok(username.clone()),
        Principal::Terminal { .. } => Err(AppError::forbidden(
            "terminals cannot act on the welfare fund",
        )),
    }
}

/// Approves and pays one proposed grant inside the transaction: programme budget → grant
/// payable → paid from the bank. The budget account never overdraws, so a grant beyond what
/// the programme holds fails and (in its savepoint) posts nothing.
fn pay_grant(tx: &mut dyn Writes, grant_id: i64, checker: &str, now: i64) -> AppResult<GrantRow> {
    let grant = tx.reader().grant(grant_id)?;
    if grant.status != GrantStatus::Proposed {
        return Err(AppError::Conflict(format!(
            "grant #{grant_id} is already {}",
            grant.status
        )));
    }
    if grant.maker == checker {
        return Err(AppError::forbidden(
            "the person who proposed a grant may not approve it",
        ));
    }
    let programme = tx.reader().programme(&grant.programme_code)?;
    if programme.status != ProgrammeStatus::Approved {
        return Err(AppError::Refused(format!(
            "programme {} is {}, not approved",
            programme.code, programme.status
        )));
    }
    let district = &programme.district_code;
    let payable = AccountCode::new("district", district, Fund::GrantPayable);
    let approve = entry(
        format!("grant:{grant_id}:approve"),
        format!("公益金资助 #{grant_id} 批准"),
        vec![
            posting(budget_account(&programme.code), grant.amount_fen, None),
            posting(payable.clone(), -grant.amount_fen, None),
        ],
    )?;
    tx.post_entry(&approve, "grant", None, now)?;
    let pay = entry(
        format!("grant:{grant_id}:pay"),
        format!("公益金资助 #{grant_id} 拨付 {}", grant.purpose),
        vec![
            posting(payable, grant.amount_fen, None),
            posting(
                AccountCode::new("district", district, Fund::Bank),
                -grant.amount_fen,
                None,
            ),
        ],
    )?;
    tx.post_entry(&pay, "grant", None, now)?;
    tx.decide_grant(grant_id, GrantStatus::Paid, checker, None, now)?;
    tx.audit(
        now,
        &format!("user:{checker}"),
        "grant.approve",
        &format!("grant:{grant_id}"),
        format!("{} {}", grant.amount_fen, grant.beneficiary_id).as_bytes(),
    )?;
    Ok(tx.reader().grant(grant_id)?)
}

impl App {
    fn district_code(&self) -> AppResult<String> {
        let centers = self.store.read(|r| r.centers())?;
        let districts: Vec<_> = centers
            .into_iter()
            .filter(|c| c.level == "district")
            .collect();
        match districts.as_slice() {
            [one] => Ok(one.code.clone()),
            [] => Err(AppError::Refused("no district center is registered".into())),
            _ => Err(AppError::Refused(
                "several district centers are registered; programmes need one".into(),
            )),
        }
    }

    pub async fn create_programme(
        &self,
        who: &Principal,
        input: ProgrammeInput,
    ) -> AppResult<ProgrammeRow> {
        who.require(Access::Roles(WELFARE_MAKERS), None)?;
        let maker = maker_name(who)?;
        if input.code.is_empty()
            || input.code.len() > 32
            || !input
                .code
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err(AppError::invalid("code", "1–32 letters, digits or '-'"));
        }
        if input.name.trim().is_empty() {
            return Err(AppError::invalid("name", "required"));
        }
        if !CATEGORIES.iter().any(|(c, _)| *c == input.category) {
            return Err(AppError::invalid(
                "category",
                "one of elderly (扶老), disabled (助残), orphans (救孤), poverty (济困)",
            ));
        }
        if !(1987..=2999).contains(&input.year) {
            return Err(AppError::invalid("year", "a year from 1987"));
        }
        if input.budget <= Money::ZERO
            || input.budget > MAX_GRANT.checked_mul(100).expect("constant")
        {
            return Err(AppError::invalid("budget", "a positive amount"));
        }
        let district = self.district_code()?;
        self.writes
            .run(move |tx| {
                let now = now_ms();
                tx.insert_programme(
                    &input.code,
                    input.name.trim(),
                    &input.category,
                    input.year,
                    &district,
                    input.budget.fen(),
                    &maker,
                    now,
                )?;
                tx.audit(
                    now,
                    &format!("user:{maker}"),
                    "programme.create",
                    &input.code,
                    input.budget.fen().to_string().as_bytes(),
                )?;
                Ok(tx.reader().programme(&input.code)?)
            })
            .await
    }

    /// Approves a programme and reserves its budget out of the district's welfare fund (which
    /// never overdraws: a budget beyond what the fund holds is refused).
    pub async fn approve_programme(&self, who: &Principal, code: &str) -> AppResult<ProgrammeRow> {
        who.require(Access::Roles(WELFARE_CHECKERS), None)?;
        let checker = maker_name(who)?;
        let code = code.to_string();
        self.writes
            .run(move |tx| {
                let p = tx.reader().programme(&code)?;
                if p.maker == checker {
                    return Err(AppError::forbidden(
                        "the person who proposed a programme may not approve it",
                    ));
                }
                let now = now_ms();
                tx.decide_programme(p.id, ProgrammeStatus::Approved, &checker, now)?;
                let reserve = entry(
                    format!("programme:{code}:reserve"),
                    format!("公益金项目 {} 预算", p.name),
                    vec![
                        posting(
                            AccountCode::new("district", &p.district_code, Fund::Welfare),
                            p.budget_fen,
                            None,
                        ),
                        posting(budget_account(&code), -p.budget_fen, None),
                    ],
                )?;
                tx.post_entry(&reserve, "programme", None, now)?;
                tx.audit(
                    now,
                    &format!("user:{checker}"),
                    "programme.approve",
                    &code,
                    p.budget_fen.to_string().as_bytes(),
                )?;
                Ok(tx.reader().programme(&code)?)
            })
            .await
    }

    pub fn programmes(&self, who: &Principal) -> AppResult<Vec<ProgrammeRow>> {
        who.require(Access::Roles(WELFARE_READERS), None)?;
        Ok(self.store.read(|r| r.programmes())?)
    }

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
    fn town_names(&self) -> AppResult<BTreeMap<String, String>> {
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
        let mut errors = Vec::new();
        let mut rows = Vec::new();
        let mut seen = HashSet::new();
        for (i, row) in table.rows.iter().enumerate() {
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
            match self.check_beneficiary(&input, &towns) {
                Err((column, message)) => errors.push(RowError::at(i + 1, &column, message)),
                Ok(b) => {
                    if let Some(id) = &b.id_number {
                        if !seen.insert(id.clone())
                            || self
                                .store
                                .read(|r| r.beneficiary_by_id_number(id))?
                                .is_some()
                        {
                            errors.push(RowError::at(
                                i + 1,
                                "id_number",
                                "this 身份证号 is already registered".into(),
                            ));
                            continue;
                        }
                    }
                    rows.push(b);
                }
            }
        }
        if !errors.is_empty() {
            return Ok(ImportReport {
                imported: 0,
                errors,
            });
        }
        let actor = who.actor();
        let count = rows.len();
        self.writes
            .run(move |tx| {
                let now = now_ms();
                for b in &rows {
                    let id = tx.insert_beneficiary(b, now)?;
                    tx.audit(
                        now,
                        &actor,
                        "beneficiary.create",
                        &format!("beneficiary:{id}"),
                        b.name.as_bytes(),
                    )?;
                }
                Ok(())
            })
            .await?;
        Ok(ImportReport {
            imported: count,
            errors: Vec::new(),
        })
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

    fn check_grant(input: &GrantInput) -> AppResult<()> {
        if input.amount <= Money::ZERO || input.amount > MAX_GRANT {
            return Err(AppError::invalid(
                "amount",
                format!("a positive amount up to {MAX_GRANT}"),
            ));
        }
        if input.purpose.trim().is_empty() || input.purpose.chars().count() > 200 {
            return Err(AppError::invalid(
                "purpose",
                "required, at most 200 characters",
            ));
        }
        if parse_date(&input.date).is_none() {
            return Err(AppError::invalid(
                "date",
                format!("'{}' is not a date (YYYY-MM-DD)", input.date),
            ));
        }
        Ok(())
    }

    /// Proposes grants under one programme; several rows form one batch (one approval).
    pub async fn propose_grants(
        &self,
        who: &Principal,
        programme: &str,
        inputs: Vec<GrantInput>,
    ) -> AppResult<Vec<GrantRow>> {
        who.require(Access::Roles(WELFARE_MAKERS), None)?;
        let maker = maker_name(who)?;
        if inputs.is_empty() || inputs.len() > MAX_BATCH_ROWS {
            return Err(AppError::invalid(
                "grants",
                format!("1–{MAX_BATCH_ROWS} grants"),
            ));
        }
        for (i, g) in inputs.iter().enumerate() {
            Self::check_grant(g).map_err(|e| match e {
                AppError::Invalid { field, message } => {
                    AppError::invalid(format!("grants[{i}].{field}"), message)
                }
                other => other,
            })?;
        }
        let programme = programme.to_string();
        self.writes
            .run(move |tx| {
                let p = tx.reader().programme(&programme)?;
                if p.status != ProgrammeStatus::Approved {
                    return Err(AppError::Refused(format!(
                        "programme {} is {}, not approved",
                        p.code, p.status
                    )));
                }
                let now = now_ms();
                let batch = if inputs.len() > 1 {
                    Some(tx.insert_grant_batch(p.id, &maker, now)?)
                } else {
                    None
                };
                let mut ids = Vec::new();
                for g in &inputs {
                    tx.reader().beneficiary(g.beneficiary_id)?;
                    let new = NewGrant {
                        programme_id: p.id,
                        beneficiary_id: g.beneficiary_id,
                        batch_id: batch,
                        amount_fen: g.amount.fen(),
                        purpose: g.purpose.trim().to_string(),
                        grant_date: g.date.clone(),
                        note: g.note.clone(),
                        maker: maker.clone(),
                    };
                    let id = tx.insert_grant(&new, now)?;
                    tx.audit(
                        now,
                        &format!("user:{maker}"),
                        "grant.propose",
                        &format!("grant:{id}"),
                        g.amount.fen().to_string().as_bytes(),
                    )?;
                    ids.push(id);
                }
                ids.into_iter()
                    .map(|id| Ok(tx.reader().grant(id)?))
                    .collect()
            })
            .await
    }

    /// Approves one grant: checker ≠ maker, within the programme's budget; posts and pays.
    pub async fn approve_grant(&self, who: &Principal, grant_id: i64) -> AppResult<GrantRow> {
        who.require(Access::Roles(WELFARE_CHECKERS), None)?;
        let checker = maker_name(who)?;
        self.writes
            .run(move |tx| pay_grant(tx, grant_id, &checker, now_ms()))
            .await
    }

    /// Approves every proposed grant of a batch in one decision; each row succeeds or fails
    /// on its own (e.g. when the budget runs out), and the answer lists each outcome.
    pub async fn approve_batch(
        &self,
        who: &Principal,
        batch_id: i64,
    ) -> AppResult<Vec<GrantDecision>> {
        who.require(Access::Roles(WELFARE_CHECKERS), None)?;
        let checker = maker_name(who)?;
        let grants = self.store.read(|r| r.grants(None, Some(batch_id)))?;
        if grants.is_empty() {
            return Err(AppError::NotFound(format!("batch #{batch_id}")));
        }
        self.writes
            .run(move |tx| {
                let now = now_ms();
                let mut decisions = Vec::new();
                for g in grants.iter().filter(|g| g.status == GrantStatus::Proposed) {
                    let outcome = tx.attempt(|tx| pay_grant(tx, g.id, &checker, now));
                    decisions.push(match outcome {
                        Ok(_) => GrantDecision {
                            grant_id: g.id,
                            paid: true,
                            message: "paid".into(),
                        },
                        Err(e @ AppError::Forbidden(_)) => return Err(e),
                        Err(e) => GrantDecision {
                            grant_id: g.id,
                            paid: false,
                            message: e.to_string(),
                        },
                    });
                }
                Ok(decisions)
            })
            .await
    }

    pub async fn reject_grant(
        &self,
        who: &Principal,
        grant_id: i64,
        reason: &str,
    ) -> AppResult<GrantRow> {
        who.require(Access::Roles(WELFARE_CHECKERS), None)?;
        let checker = maker_name(who)?;
        let reason = reason.trim().to_string();
        if reason.is_empty() {
            return Err(AppError::invalid("reason", "a rejection needs its reason"));
        }
        self.writes
            .run(move |tx| {
                let g = tx.reader().grant(grant_id)?;
                if g.maker == checker {
                    return Err(AppError::forbidden(
                        "the person who proposed a grant may not decide on it",
                    ));
                }
                let now = now_ms();
                tx.decide_grant(
                    grant_id,
                    GrantStatus::Rejected,
                    &checker,
                    Some(&reason),
                    now,
                )?;
                tx.audit(
                    now,
                    &format!("user:{checker}"),
                    "grant.reject",
                    &format!("grant:{grant_id}"),
                    reason.as_bytes(),
                )?;
                Ok(tx.reader().grant(grant_id)?)
            })
            .await
    }

    pub fn grants(&self, who: &Principal, programme: Option<&str>) -> AppResult<Vec<GrantRow>> {
        who.require(Access::Roles(WELFARE_READERS), None)?;
        // Names of people stay masked here for everyone; the full record is one audited read
        // of the beneficiary list away.
        let mut rows = self.store.read(|r| r.grants(programme, None))?;
        for g in rows.iter_mut().filter(|g| g.beneficiary_kind == "person") {
            g.beneficiary_name = idcard::mask_name(&g.beneficiary_name);
        }
        Ok(rows)
    }

    /// Budget against spending per programme, and paid grants per category and per town.
    pub fn welfare_report(&self, who: &Principal, year: i64) -> AppResult<WelfareReport> {
        who.require(Access::Roles(WELFARE_READERS), None)?;
        self.welfare_summary(year)
    }

    /// The same report for the operator's command line: it holds no personal data (towns
    /// and categories only), like the public disclosure.
    pub fn welfare_summary(&self, year: i64) -> AppResult<WelfareReport> {
        let programmes: Vec<ProgrammeRow> = self
            .store
            .read(|r| r.programmes())?
            .into_iter()
            .filter(|p| p.year == year)
            .collect();
        let codes: HashSet<&str> = programmes.iter().map(|p| p.code.as_str()).collect();
        let paid: Vec<GrantRow> = self
            .store
            .read(|r| r.grants(None, None))?
            .into_iter()
            .filter(|g| g.status == GrantStatus::Paid && codes.contains(g.programme_code.as_str()))
            .collect();
        let towns = self.town_names()?;
        let mut by_category: BTreeMap<String, SumLine> = BTreeMap::new();
        let mut by_town: BTreeMap<String, SumLine> = BTreeMap::new();
        for g in &paid {
            let c = by_category
                .entry(g.category.clone())
                .or_insert_with(|| SumLine {
                    key: g.category.clone(),
                    name: category_name(&g.category).into(),
                    grants: 0,
                    amount_fen: 0,
                });
            c.grants += 1;
            c.amount_fen += g.amount_fen;
            let t = by_town
                .entry(g.town_code.clone())
                .or_insert_with(|| SumLine {
                    key: g.town_code.clone(),
                    name: towns.get(&g.town_code).cloned().unwrap_or_default(),
                    grants: 0,
                    amount_fen: 0,
                });
            t.grants += 1;
            t.amount_fen += g.amount_fen;
        }
        Ok(WelfareReport {
            year,
            programmes: programmes
                .into_iter()
                .map(|p| ProgrammeLine {
                    category_name: category_name(&p.category).into(),
                    remaining_fen: if p.status == ProgrammeStatus::Approved {
                        p.budget_fen - p.spent_fen
                    } else {
                        0
                    },
                    code: p.code,
                    name: p.name,
                    category: p.category,
                    status: p.status,
                    budget_fen: p.budget_fen,
                    spent_fen: p.spent_fen,
                })
                .collect(),
            by_category: by_category.into_values().collect(),
            by_town: by_town.into_values().collect(),
            total_paid_fen: paid.iter().map(|g| g.amount_fen).sum(),
        })
    }

    /// The year's 公益金使用公告: every paid grant, personal names masked (public).
    pub fn disclosure(&self, year: i64) -> AppResult<Vec<DisclosureLine>> {
        let programmes: BTreeMap<String, ProgrammeRow> = self
            .store
            .read(|r| r.programmes())?
            .into_iter()
            .filter(|p| p.year == year)
            .map(|p| (p.code.clone(), p))
            .collect();
        let towns = self.town_names()?;
        let grants = self.store.read(|r| r.grants(None, None))?;
        let mut lines: Vec<DisclosureLine> = grants
            .into_iter()
            .filter(|g| g.status == GrantStatus::Paid)
            .filter_map(|g| {
                let p = programmes.get(&g.programme_code)?;
                Some(DisclosureLine {
                    date: g.grant_date.clone(),
                    category: category_name(&p.category).into(),
                    programme: p.name.clone(),
                    beneficiary: if g.beneficiary_kind == "person" {
                        idcard::mask_name(&g.beneficiary_name)
                    } else {
                        g.beneficiary_name.clone()
                    },
                    town: towns.get(&g.town_code).cloned().unwrap_or_default(),
                    purpose: g.purpose.clone(),
                    amount_fen: g.amount_fen,
                })
            })
            .collect();
        lines.sort_by(|a, b| a.date.cmp(&b.date));
        Ok(lines)
    }

    pub fn export_disclosure(&self, year: i64, format: Format) -> AppResult<Vec<u8>> {
        let headers = [
            "日期",
            "类别",
            "项目",
            "受助对象",
            "镇（街道）",
            "用途",
            "金额（元）",
        ];
        let rows: Vec<Vec<String>> = self
            .disclosure(year)?
            .into_iter()
            .map(|l| {
                let yuan = Money::from_fen(l.amount_fen);
                vec![
                    l.date,
                    l.category,
                    l.programme,
                    l.beneficiary,
                    l.town,
                    l.purpose,
                    format!("{}.{:02}", yuan.fen() / 100, yuan.fen() % 100),
                ]
            })
            .collect();
        write_table(format, "公益金使用公告", &headers, &rows)
    }
}

/// A valid demo 身份证号: region, birth date, sequence, check character.
pub fn demo_id_number(region: &str, birth: NaiveDate, sequence: u16) -> String {
    let first17 = format!("{region}{}{sequence:03}", birth.format("%Y%m%d"));
    format!("{first17}{}", idcard::check_character(first17.as_bytes()))
}
