//! Welfare-fund programmes, beneficiaries and grants.

use fucai_ledger::Money;
use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

use crate::registers::duplicate;
use crate::{GrantStatus, ProgrammeStatus};
use crate::{Reader, StoreError, StoreResult, WriteTx};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProgrammeRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub category: String,
    pub year: i64,
    pub district_code: String,
    pub budget: Money,
    pub status: ProgrammeStatus,
    pub maker: String,
    pub checker: Option<String>,
    /// Paid out so far.
    pub spent: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BeneficiaryRow {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub id_number: Option<String>,
    pub birth_date: Option<String>,
    pub town_code: String,
    pub household: String,
    pub tags: String,
    pub contact: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GrantRow {
    pub id: i64,
    pub programme_code: String,
    pub category: String,
    pub beneficiary_id: i64,
    pub beneficiary_kind: String,
    pub beneficiary_name: String,
    pub town_code: String,
    pub batch_id: Option<i64>,
    pub amount: Money,
    pub purpose: String,
    pub grant_date: String,
    pub note: String,
    pub status: GrantStatus,
    pub maker: String,
    pub checker: Option<String>,
    pub reason: Option<String>,
}

const PROGRAMME_COLUMNS: &str = "p.id, p.code, p.name, p.category, p.year, p.district_code, p.budget_fen, p.status, p.maker, p.checker,
    COALESCE((SELECT SUM(g.amount_fen) FROM grants g WHERE g.programme_id = p.id AND g.status = 'paid'), 0)";

fn programme_row(r: &Row<'_>) -> rusqlite::Result<ProgrammeRow> {
    Ok(ProgrammeRow {
        id: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
        category: r.get(3)?,
        year: r.get(4)?,
        district_code: r.get(5)?,
        budget: r.get(6)?,
        status: r.get(7)?,
        maker: r.get(8)?,
        checker: r.get(9)?,
        spent: r.get(10)?,
    })
}

const BENEFICIARY_COLUMNS: &str =
    "id, kind, name, id_number, birth_date, town_code, household, tags, contact";

fn beneficiary_row(r: &Row<'_>) -> rusqlite::Result<BeneficiaryRow> {
    Ok(BeneficiaryRow {
        id: r.get(0)?,
        kind: r.get(1)?,
        name: r.get(2)?,
        id_number: r.get(3)?,
        birth_date: r.get(4)?,
        town_code: r.get(5)?,
        household: r.get(6)?,
        tags: r.get(7)?,
        contact: r.get(8)?,
    })
}

const GRANT_COLUMNS: &str = "g.id, p.code, p.category, b.id, b.kind, b.name, b.town_code, g.batch_id, g.amount_fen, g.purpose, g.grant_date,
    g.note, g.status, g.maker, g.checker, g.reason";

fn grant_row(r: &Row<'_>) -> rusqlite::Result<GrantRow> {
    Ok(GrantRow {
        id: r.get(0)?,
        programme_code: r.get(1)?,
        category: r.get(2)?,
        beneficiary_id: r.get(3)?,
        beneficiary_kind: r.get(4)?,
        beneficiary_name: r.get(5)?,
        town_code: r.get(6)?,
        batch_id: r.get(7)?,
        amount: r.get(8)?,
        purpose: r.get(9)?,
        grant_date: r.get(10)?,
        note: r.get(11)?,
        status: r.get(12)?,
        maker: r.get(13)?,
        checker: r.get(14)?,
        reason: r.get(15)?,
    })
}

impl WelfareReads for Reader<'_> {
    fn programmes(&self) -> StoreResult<Vec<ProgrammeRow>> {
        let sql = format!("SELECT {PROGRAMME_COLUMNS} FROM programmes p ORDER BY p.year, p.code");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], programme_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn programme(&self, code: &str) -> StoreResult<ProgrammeRow> {
        let sql = format!("SELECT {PROGRAMME_COLUMNS} FROM programmes p WHERE p.code = ?1");
        self.conn
            .prepare_cached(&sql)?
            .query_row([code], programme_row)
            .optional()?
            .ok_or_else(|| StoreError::not_found(format!("programme {code}")))
    }

    fn beneficiaries(&self) -> StoreResult<Vec<BeneficiaryRow>> {
        let sql = format!("SELECT {BENEFICIARY_COLUMNS} FROM beneficiaries ORDER BY id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], beneficiary_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn beneficiary(&self, id: i64) -> StoreResult<BeneficiaryRow> {
        let sql = format!("SELECT {BENEFICIARY_COLUMNS} FROM beneficiaries WHERE id = ?1");
        self.conn
            .prepare_cached(&sql)?
            .query_row([id], beneficiary_row)
            .optional()?
            .ok_or_else(|| StoreError::not_found(format!("beneficiary #{id}")))
    }

    fn beneficiary_by_id_number(&self, id_number: &str) -> StoreResult<Option<BeneficiaryRow>> {
        let sql = format!("SELECT {BENEFICIARY_COLUMNS} FROM beneficiaries WHERE id_number = ?1");
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([id_number], beneficiary_row)
            .optional()?)
    }

    fn likely_duplicates(
        &self,
        name: &str,
        birth_date: &str,
        town_code: &str,
    ) -> StoreResult<Vec<BeneficiaryRow>> {
        let sql = format!("SELECT {BENEFICIARY_COLUMNS} FROM beneficiaries WHERE name = ?1 AND birth_date = ?2 AND town_code = ?3");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![name, birth_date, town_code], beneficiary_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn grants(&self, programme: Option<&str>, batch: Option<i64>) -> StoreResult<Vec<GrantRow>> {
        let sql = format!(
            "SELECT {GRANT_COLUMNS} FROM grants g JOIN programmes p ON p.id = g.programme_id JOIN beneficiaries b ON b.id = g.beneficiary_id
             WHERE (?1 IS NULL OR p.code = ?1) AND (?2 IS NULL OR g.batch_id = ?2) ORDER BY g.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![programme, batch], grant_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn grant(&self, id: i64) -> StoreResult<GrantRow> {
        let sql = format!(
            "SELECT {GRANT_COLUMNS} FROM grants g JOIN programmes p ON p.id = g.programme_id JOIN beneficiaries b ON b.id = g.beneficiary_id WHERE g.id = ?1"
        );
        self.conn
            .prepare_cached(&sql)?
            .query_row([id], grant_row)
            .optional()?
            .ok_or_else(|| StoreError::not_found(format!("grant #{id}")))
    }
}

/// A new beneficiary.
#[derive(Clone, Debug)]
pub struct NewBeneficiary {
    pub kind: String,
    pub name: String,
    pub id_number: Option<String>,
    pub birth_date: Option<String>,
    pub town_code: String,
    pub household: String,
    pub tags: String,
    pub contact: String,
}

/// A new grant proposal.
#[derive(Clone, Debug)]
pub struct NewGrant {
    pub programme_id: i64,
    pub beneficiary_id: i64,
    pub batch_id: Option<i64>,
    pub amount: Money,
    pub purpose: String,
    pub grant_date: String,
    pub note: String,
    pub maker: String,
}

impl WelfareWrites for WriteTx<'_> {
    #[allow(clippy::too_many_arguments)]
    fn insert_programme(
        &mut self,
        code: &str,
        name: &str,
        category: &str,
        year: i64,
        district_code: &str,
        budget: i64,
        maker: &str,
        at: i64,
    ) -> StoreResult<i64> {
        self.tx
            .prepare_cached(
                "INSERT INTO programmes (code, name, category, year, district_code, budget_fen, status, maker, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'draft', ?7, ?8)",
            )?
            .execute(params![code, name, category, year, district_code, budget, maker, at])
            .map_err(duplicate(format!("programme {code}")))?;
        Ok(self.tx.last_insert_rowid())
    }

    fn decide_programme(
        &mut self,
        id: i64,
        status: ProgrammeStatus,
        checker: &str,
        at: i64,
    ) -> StoreResult<()> {
        if !ProgrammeStatus::Draft.can_become(status) {
            return Err(StoreError::Conflict(format!(
                "a draft programme does not become {status}"
            )));
        }
        let n = self
            .tx
            .prepare_cached("UPDATE programmes SET status = ?2, checker = ?3, decided_at = ?4 WHERE id = ?1 AND status = 'draft'")?
            .execute(params![id, status, checker, at])?;
        if n != 1 {
            return Err(StoreError::Duplicate(format!(
                "decision on programme #{id}"
            )));
        }
        Ok(())
    }

    fn insert_beneficiary(&mut self, b: &NewBeneficiary, at: i64) -> StoreResult<i64> {
        self.tx
            .prepare_cached(
                "INSERT INTO beneficiaries (kind, name, id_number, birth_date, town_code, household, tags, contact, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![b.kind, b.name, b.id_number, b.birth_date, b.town_code, b.household, b.tags, b.contact, at])
            .map_err(duplicate("a beneficiary with this 身份证号"))?;
        Ok(self.tx.last_insert_rowid())
    }

    fn insert_grant_batch(&mut self, programme_id: i64, maker: &str, at: i64) -> StoreResult<i64> {
        self.tx
            .prepare_cached(
                "INSERT INTO grant_batches (programme_id, maker, created_at) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![programme_id, maker, at])?;
        Ok(self.tx.last_insert_rowid())
    }

    fn insert_grant(&mut self, g: &NewGrant, at: i64) -> StoreResult<i64> {
        self.tx
            .prepare_cached(
                "INSERT INTO grants (programme_id, beneficiary_id, batch_id, amount_fen, purpose, grant_date, note, status, maker, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'proposed', ?8, ?9)",
            )?
            .execute(params![g.programme_id, g.beneficiary_id, g.batch_id, g.amount, g.purpose, g.grant_date, g.note, g.maker, at])?;
        Ok(self.tx.last_insert_rowid())
    }

    fn decide_grant(
        &mut self,
        id: i64,
        status: GrantStatus,
        checker: &str,
        reason: Option<&str>,
        at: i64,
    ) -> StoreResult<()> {
        if !GrantStatus::Proposed.can_become(status) {
            return Err(StoreError::Conflict(format!(
                "a proposed grant does not become {status}"
            )));
        }
        let n = self
            .tx
            .prepare_cached("UPDATE grants SET status = ?2, checker = ?3, reason = ?4, decided_at = ?5 WHERE id = ?1 AND status = 'proposed'")?
            .execute(params![id, status, checker, reason, at])?;
        if n != 1 {
            return Err(StoreError::Duplicate(format!("decision on grant #{id}")));
        }
        Ok(())
    }
}

/// The reads of welfare programmes, beneficiaries and grants. SQLite implements it on
/// [`Reader`](crate::Reader); another backend implements it on its own handle.
pub trait WelfareReads {
    fn programmes(&self) -> StoreResult<Vec<ProgrammeRow>>;
    fn programme(&self, code: &str) -> StoreResult<ProgrammeRow>;
    fn beneficiaries(&self) -> StoreResult<Vec<BeneficiaryRow>>;
    fn beneficiary(&self, id: i64) -> StoreResult<BeneficiaryRow>;
    fn beneficiary_by_id_number(&self, id_number: &str) -> StoreResult<Option<BeneficiaryRow>>;
    /// People with the same name, birth date and town: likely the same person.
    fn likely_duplicates(
        &self,
        name: &str,
        birth_date: &str,
        town_code: &str,
    ) -> StoreResult<Vec<BeneficiaryRow>>;
    /// Grants, optionally of one programme or one batch, in id order.
    fn grants(&self, programme: Option<&str>, batch: Option<i64>) -> StoreResult<Vec<GrantRow>>;
    fn grant(&self, id: i64) -> StoreResult<GrantRow>;
}

/// The writes (inside a write transaction) of welfare programmes, beneficiaries and grants. SQLite
/// implements it on [`WriteTx`](crate::WriteTx); another backend implements it on its own handle.
pub trait WelfareWrites {
    #[allow(clippy::too_many_arguments)]
    fn insert_programme(
        &mut self,
        code: &str,
        name: &str,
        category: &str,
        year: i64,
        district_code: &str,
        budget: i64,
        maker: &str,
        at: i64,
    ) -> StoreResult<i64>;
    fn decide_programme(
        &mut self,
        id: i64,
        status: ProgrammeStatus,
        checker: &str,
        at: i64,
    ) -> StoreResult<()>;
    fn insert_beneficiary(&mut self, b: &NewBeneficiary, at: i64) -> StoreResult<i64>;
    fn insert_grant_batch(&mut self, programme_id: i64, maker: &str, at: i64) -> StoreResult<i64>;
    fn insert_grant(&mut self, g: &NewGrant, at: i64) -> StoreResult<i64>;
    fn decide_grant(
        &mut self,
        id: i64,
        status: GrantStatus,
        checker: &str,
        reason: Option<&str>,
        at: i64,
    ) -> StoreResult<()>;
}
