//! Welfare programmes: proposed with a budget, approved by another person (the budget
//! reserved from the district welfare fund).

use fucai_store::ProgrammeStatus;

use crate::clock::now_ms;
use fucai_ledger::{AccountCode, Fund, Money};
use fucai_store::ProgrammeRow;

use crate::error::{AppError, AppResult};
use crate::journal::{entry, posting};
use crate::principal::{Access, Principal};
use crate::App;

use super::*;

#[derive(Clone, Debug)]
pub struct ProgrammeInput {
    pub code: String,
    pub name: String,
    pub category: String,
    pub year: i64,
    pub budget: Money,
}

impl App {
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
                            p.budget,
                            None,
                        ),
                        posting(budget_account(&code), -p.budget, None),
                    ],
                )?;
                tx.post_entry(&reserve, "programme", None, now)?;
                tx.audit(
                    now,
                    &format!("user:{checker}"),
                    "programme.approve",
                    &code,
                    p.budget.fen().to_string().as_bytes(),
                )?;
                Ok(tx.reader().programme(&code)?)
            })
            .await
    }

    pub fn programmes(&self, who: &Principal) -> AppResult<Vec<ProgrammeRow>> {
        who.require(Access::Roles(WELFARE_READERS), None)?;
        Ok(self.store.read(|r| r.programmes())?)
    }
}
