//! The welfare fund (彩票公益金) at work: programmes under 扶老/助残/救孤/济困 with budgets
//! reserved from the district's welfare fund, beneficiaries (persons with a validated 身份证号,
//! masked for everyone without the right to see it; institutions), grants proposed by one
//! person and approved by another, disbursement posted to the ledger, and public disclosure.

use fucai_ledger::{AccountCode, Fund, Money};

use crate::error::{AppError, AppResult};
use crate::principal::{Principal, Role};
use crate::App;

mod beneficiaries;
mod grants;
mod programmes;
mod reports;

pub use beneficiaries::{AddedBeneficiary, BeneficiaryInput, BeneficiaryView};
pub use grants::{GrantDecision, GrantInput};
pub use programmes::ProgrammeInput;
pub use reports::{DisclosureLine, ProgrammeLine, SumLine, WelfareReport};

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
}
