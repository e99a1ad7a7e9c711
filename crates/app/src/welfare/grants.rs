//! Grants: proposed by one person, approved (paid through the ledger) or rejected by
//! another, one by one or a batch at a time.

use fucai_store::{GrantStatus, ProgrammeStatus};

use crate::clock::now_ms;
use fucai_ledger::{AccountCode, Fund, Money};
use fucai_store::{GrantRow, NewGrant, Writes};
use serde::Serialize;

use crate::error::{AppError, AppResult};
use crate::idcard;
use crate::journal::{entry, posting};
use crate::principal::{Access, Principal};
use crate::registers::parse_date;
use crate::App;

use super::*;

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
            posting(budget_account(&programme.code), grant.amount, None),
            posting(payable.clone(), -grant.amount, None),
        ],
    )?;
    tx.post_entry(&approve, "grant", None, now)?;
    let pay = entry(
        format!("grant:{grant_id}:pay"),
        format!("公益金资助 #{grant_id} 拨付 {}", grant.purpose),
        vec![
            posting(payable, grant.amount, None),
            posting(
                AccountCode::new("district", district, Fund::Bank),
                -grant.amount,
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
        format!("{} {}", grant.amount.fen(), grant.beneficiary_id).as_bytes(),
    )?;
    Ok(tx.reader().grant(grant_id)?)
}

impl App {
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
                        amount: g.amount,
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
}
