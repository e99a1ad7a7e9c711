//! The answers of the welfare routes and of the user import.

use fucai_app::welfare::{
    AddedBeneficiary, BeneficiaryView, DisclosureLine, GrantDecision, ProgrammeLine, SumLine,
    WelfareReport,
};
use fucai_app::welfare_rows::{GrantRow, ProgrammeRow};
use fucai_app::UserImportReport;
use serde::Serialize;
use utoipa::ToSchema;

use super::RowErrorJson;

/// A welfare programme with what it has spent.
#[derive(Serialize, ToSchema)]
pub struct ProgrammeJson {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// elderly, disabled, orphans or hardship.
    pub category: String,
    pub year: i64,
    pub district_code: String,
    pub budget_fen: i64,
    /// draft, approved, rejected or closed.
    pub status: String,
    pub maker: String,
    pub checker: Option<String>,
    pub spent_fen: i64,
}

impl From<ProgrammeRow> for ProgrammeJson {
    fn from(p: ProgrammeRow) -> ProgrammeJson {
        ProgrammeJson {
            id: p.id,
            code: p.code,
            name: p.name,
            category: p.category,
            year: p.year,
            district_code: p.district_code,
            budget_fen: p.budget.fen(),
            status: p.status.to_string(),
            maker: p.maker,
            checker: p.checker,
            spent_fen: p.spent.fen(),
        }
    }
}

/// A beneficiary, personal data masked unless the role may see it.
#[derive(Serialize, ToSchema)]
pub struct BeneficiaryJson {
    pub id: i64,
    /// person or organisation.
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

impl From<BeneficiaryView> for BeneficiaryJson {
    fn from(b: BeneficiaryView) -> BeneficiaryJson {
        BeneficiaryJson {
            id: b.id,
            kind: b.kind,
            name: b.name,
            id_number: b.id_number,
            birth_date: b.birth_date,
            town: b.town,
            household: b.household,
            tags: b.tags,
            contact: b.contact,
            masked: b.masked,
        }
    }
}

/// A beneficiary just registered, with the ids of likely duplicates to look at.
#[derive(Serialize, ToSchema)]
pub struct AddedBeneficiaryJson {
    pub beneficiary: BeneficiaryJson,
    pub likely_duplicates: Vec<i64>,
}

impl From<AddedBeneficiary> for AddedBeneficiaryJson {
    fn from(a: AddedBeneficiary) -> AddedBeneficiaryJson {
        AddedBeneficiaryJson {
            beneficiary: a.beneficiary.into(),
            likely_duplicates: a.likely_duplicates,
        }
    }
}

/// A grant from a programme to a beneficiary.
#[derive(Serialize, ToSchema)]
pub struct GrantJson {
    pub id: i64,
    pub programme_code: String,
    pub category: String,
    pub beneficiary_id: i64,
    pub beneficiary_kind: String,
    pub beneficiary_name: String,
    pub town_code: String,
    pub batch_id: Option<i64>,
    pub amount_fen: i64,
    pub purpose: String,
    pub grant_date: String,
    pub note: String,
    /// proposed, paid or rejected.
    pub status: String,
    pub maker: String,
    pub checker: Option<String>,
    pub reason: Option<String>,
}

impl From<GrantRow> for GrantJson {
    fn from(g: GrantRow) -> GrantJson {
        GrantJson {
            id: g.id,
            programme_code: g.programme_code,
            category: g.category,
            beneficiary_id: g.beneficiary_id,
            beneficiary_kind: g.beneficiary_kind,
            beneficiary_name: g.beneficiary_name,
            town_code: g.town_code,
            batch_id: g.batch_id,
            amount_fen: g.amount.fen(),
            purpose: g.purpose,
            grant_date: g.grant_date,
            note: g.note,
            status: g.status.to_string(),
            maker: g.maker,
            checker: g.checker,
            reason: g.reason,
        }
    }
}

/// One grant's outcome in a batch approval.
#[derive(Serialize, ToSchema)]
pub struct GrantDecisionJson {
    pub grant_id: i64,
    pub paid: bool,
    pub message: String,
}

impl From<GrantDecision> for GrantDecisionJson {
    fn from(d: GrantDecision) -> GrantDecisionJson {
        GrantDecisionJson {
            grant_id: d.grant_id,
            paid: d.paid,
            message: d.message,
        }
    }
}

/// A programme's budget against its spending.
#[derive(Serialize, ToSchema)]
pub struct ProgrammeLineJson {
    pub code: String,
    pub name: String,
    pub category: String,
    pub category_name: String,
    pub status: String,
    pub budget_fen: i64,
    pub spent_fen: i64,
    pub remaining_fen: i64,
}

impl From<ProgrammeLine> for ProgrammeLineJson {
    fn from(p: ProgrammeLine) -> ProgrammeLineJson {
        ProgrammeLineJson {
            code: p.code,
            name: p.name,
            category: p.category,
            category_name: p.category_name,
            status: p.status.to_string(),
            budget_fen: p.budget.fen(),
            spent_fen: p.spent.fen(),
            remaining_fen: p.remaining.fen(),
        }
    }
}

/// Paid grants added up under one key (a category or a town).
#[derive(Serialize, ToSchema)]
pub struct SumLineJson {
    pub key: String,
    pub name: String,
    pub grants: usize,
    pub amount_fen: i64,
}

impl From<SumLine> for SumLineJson {
    fn from(s: SumLine) -> SumLineJson {
        SumLineJson {
            key: s.key,
            name: s.name,
            grants: s.grants,
            amount_fen: s.amount.fen(),
        }
    }
}

/// The welfare fund's use in a year.
#[derive(Serialize, ToSchema)]
pub struct WelfareReportJson {
    pub year: i64,
    pub programmes: Vec<ProgrammeLineJson>,
    pub by_category: Vec<SumLineJson>,
    pub by_town: Vec<SumLineJson>,
    pub total_paid_fen: i64,
}

impl From<WelfareReport> for WelfareReportJson {
    fn from(r: WelfareReport) -> WelfareReportJson {
        WelfareReportJson {
            year: r.year,
            programmes: r.programmes.into_iter().map(Into::into).collect(),
            by_category: r.by_category.into_iter().map(Into::into).collect(),
            by_town: r.by_town.into_iter().map(Into::into).collect(),
            total_paid_fen: r.total_paid.fen(),
        }
    }
}

/// One paid grant as the public disclosure shows it (names masked).
#[derive(Serialize, ToSchema)]
pub struct DisclosureLineJson {
    pub date: String,
    pub category: String,
    pub programme: String,
    pub beneficiary: String,
    pub town: String,
    pub purpose: String,
    pub amount_fen: i64,
}

impl From<DisclosureLine> for DisclosureLineJson {
    fn from(d: DisclosureLine) -> DisclosureLineJson {
        DisclosureLineJson {
            date: d.date,
            category: d.category,
            programme: d.programme,
            beneficiary: d.beneficiary,
            town: d.town,
            purpose: d.purpose,
            amount_fen: d.amount.fen(),
        }
    }
}

/// What a user import did: the accounts created with their first passwords (shown once), or
/// the row errors.
#[derive(Serialize, ToSchema)]
pub struct UserImportJson {
    pub imported: usize,
    pub errors: Vec<RowErrorJson>,
    /// (username, first password).
    pub passwords: Vec<(String, String)>,
}

impl From<UserImportReport> for UserImportJson {
    fn from(r: UserImportReport) -> UserImportJson {
        UserImportJson {
            imported: r.imported,
            errors: r.errors.into_iter().map(RowErrorJson::from).collect(),
            passwords: r.passwords,
        }
    }
}
