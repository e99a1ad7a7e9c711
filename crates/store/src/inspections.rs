//! Visit plans, visits and their checklist scores, findings with their rectification
//! history, appeals, return visits, and recorded star ratings.

use fucai_ledger::Money;
use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

use crate::registers::duplicate;
use crate::{FindingStatus, Reader, StoreError, StoreResult, VisitKind, WriteTx};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VisitPlanRow {
    pub year: i64,
    pub kind: VisitKind,
    /// Visits of this kind each station gets in the year.
    pub per_station: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VisitRow {
    pub id: i64,
    pub station_code: String,
    pub town_code: String,
    pub kind: VisitKind,
    pub visited_on: String,
    pub visitors: String,
    pub opinions: String,
    pub checklist_version: String,
    /// The checklist's total (0–100).
    pub score: i64,
    /// Points per checklist item.
    pub scores: Vec<(String, i64)>,
}

#[derive(Clone, Debug)]
pub struct NewVisit<'a> {
    pub station_code: &'a str,
    pub kind: VisitKind,
    pub visited_on: &'a str,
    pub visitors: &'a str,
    pub opinions: &'a str,
    pub checklist_version: &'a str,
    pub scores: &'a [(String, i64)],
    pub created_by: &'a str,
}

/// Where a finding was raised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FindingSource {
    Visit(i64),
    ReturnVisit(i64),
}

#[derive(Clone, Debug)]
pub struct NewFinding<'a> {
    /// The station it concerns (none for a return visit to a grant's beneficiary).
    pub station_code: Option<&'a str>,
    pub source: FindingSource,
    pub item: Option<&'a str>,
    pub description: &'a str,
    pub responsible: &'a str,
    pub deadline: &'a str,
    pub raised_by: &'a str,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FindingRow {
    pub id: i64,
    pub station_code: Option<String>,
    pub visit_id: Option<i64>,
    pub return_visit_id: Option<i64>,
    pub item: Option<String>,
    pub description: String,
    pub responsible: String,
    pub deadline: String,
    pub status: FindingStatus,
    pub evidence: String,
    pub submitted_by: Option<String>,
    pub raised_by: String,
    pub raised_at: i64,
}

/// One move of a finding, kept for good (`from` is none for its raising).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FindingEventRow {
    pub from: Option<FindingStatus>,
    pub to: FindingStatus,
    pub note: String,
    pub actor: String,
    pub at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AppealRow {
    pub id: i64,
    pub finding_id: i64,
    pub reason: String,
    pub filed_by: String,
    pub filed_at: i64,
    /// upheld or overturned, once decided.
    pub decision: Option<String>,
    pub decision_note: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReturnVisitRow {
    pub id: i64,
    pub station_code: Option<String>,
    pub beneficiary_id: Option<i64>,
    pub visited_on: String,
    pub visitor: String,
    pub person: String,
    pub outcome: String,
    pub satisfaction: i64,
}

#[derive(Clone, Debug)]
pub struct NewReturnVisit<'a> {
    pub station_code: Option<&'a str>,
    pub beneficiary_id: Option<i64>,
    pub visited_on: &'a str,
    pub visitor: &'a str,
    pub person: &'a str,
    pub outcome: &'a str,
    pub satisfaction: i64,
    pub created_by: &'a str,
}

/// A station's star rating of one year, as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RatingRow {
    pub year: i64,
    pub station_code: String,
    pub inspections: i64,
    pub average_score_x100: i64,
    pub sales: Money,
    pub open_findings: i64,
    pub points_x100: i64,
    pub stars: i64,
    pub commission_permille: i64,
    pub rule_version: String,
    pub rated_by: String,
    pub rated_at: i64,
}

const VISIT_SELECT: &str = "SELECT v.id, s.code, t.code, v.kind, v.visited_on, v.visitors, v.opinions, v.checklist_version, v.score
    FROM visits v JOIN stations s ON s.id = v.station_id JOIN towns t ON t.id = s.town_id";

fn visit_row(r: &Row<'_>) -> rusqlite::Result<VisitRow> {
    Ok(VisitRow {
        id: r.get(0)?,
        station_code: r.get(1)?,
        town_code: r.get(2)?,
        kind: r.get(3)?,
        visited_on: r.get(4)?,
        visitors: r.get(5)?,
        opinions: r.get(6)?,
        checklist_version: r.get(7)?,
        score: r.get(8)?,
        scores: Vec::new(),
    })
}

const FINDING_SELECT: &str =
    "SELECT f.id, s.code, f.visit_id, f.return_visit_id, f.item, f.description, f.responsible,
    f.deadline, f.status, f.evidence, f.submitted_by, f.raised_by, f.raised_at
    FROM findings f LEFT JOIN stations s ON s.id = f.station_id";

fn finding_row(r: &Row<'_>) -> rusqlite::Result<FindingRow> {
    Ok(FindingRow {
        id: r.get(0)?,
        station_code: r.get(1)?,
        visit_id: r.get(2)?,
        return_visit_id: r.get(3)?,
        item: r.get(4)?,
        description: r.get(5)?,
        responsible: r.get(6)?,
        deadline: r.get(7)?,
        status: r.get(8)?,
        evidence: r.get(9)?,
        submitted_by: r.get(10)?,
        raised_by: r.get(11)?,
        raised_at: r.get(12)?,
    })
}

fn appeal_row(r: &Row<'_>) -> rusqlite::Result<AppealRow> {
    Ok(AppealRow {
        id: r.get(0)?,
        finding_id: r.get(1)?,
        reason: r.get(2)?,
        filed_by: r.get(3)?,
        filed_at: r.get(4)?,
        decision: r.get(5)?,
        decision_note: r.get(6)?,
        decided_by: r.get(7)?,
        decided_at: r.get(8)?,
    })
}

const RETURN_VISIT_SELECT: &str = "SELECT r.id, s.code, r.beneficiary_id, r.visited_on, r.visitor, r.person, r.outcome, r.satisfaction
    FROM return_visits r LEFT JOIN stations s ON s.id = r.station_id";

fn return_visit_row(r: &Row<'_>) -> rusqlite::Result<ReturnVisitRow> {
    Ok(ReturnVisitRow {
        id: r.get(0)?,
        station_code: r.get(1)?,
        beneficiary_id: r.get(2)?,
        visited_on: r.get(3)?,
        visitor: r.get(4)?,
        person: r.get(5)?,
        outcome: r.get(6)?,
        satisfaction: r.get(7)?,
    })
}

const APPEAL_COLUMNS: &str =
    "id, finding_id, reason, filed_by, filed_at, decision, decision_note, decided_by, decided_at";

impl Reader<'_> {
    fn with_scores(&self, mut v: VisitRow) -> StoreResult<VisitRow> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT item, points FROM visit_scores WHERE visit_id = ?1 ORDER BY item",
        )?;
        v.scores = stmt
            .query_map([v.id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        Ok(v)
    }
}

impl InspectionsReads for Reader<'_> {
    fn visit_plans(&self, year: i64) -> StoreResult<Vec<VisitPlanRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT year, kind, per_station FROM visit_plans WHERE year = ?1 ORDER BY kind",
        )?;
        let rows = stmt.query_map([year], |r| {
            Ok(VisitPlanRow {
                year: r.get(0)?,
                kind: r.get(1)?,
                per_station: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn visits(&self, station_id: Option<i64>, from: &str, to: &str) -> StoreResult<Vec<VisitRow>> {
        let sql = format!(
            "{VISIT_SELECT} WHERE (?1 IS NULL OR v.station_id = ?1) AND v.visited_on BETWEEN ?2 AND ?3
             ORDER BY v.visited_on, v.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows: Vec<VisitRow> = stmt
            .query_map(params![station_id, from, to], visit_row)?
            .collect::<Result<_, _>>()?;
        rows.into_iter().map(|v| self.with_scores(v)).collect()
    }

    fn visit(&self, id: i64) -> StoreResult<VisitRow> {
        let sql = format!("{VISIT_SELECT} WHERE v.id = ?1");
        let v = self
            .conn
            .prepare_cached(&sql)?
            .query_row([id], visit_row)
            .optional()?
            .ok_or_else(|| StoreError::not_found(format!("visit #{id}")))?;
        self.with_scores(v)
    }

    fn findings(
        &self,
        station_id: Option<i64>,
        status: Option<FindingStatus>,
    ) -> StoreResult<Vec<FindingRow>> {
        let sql = format!(
            "{FINDING_SELECT} WHERE (?1 IS NULL OR f.station_id = ?1) AND (?2 IS NULL OR f.status = ?2) ORDER BY f.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![station_id, status], finding_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn finding(&self, id: i64) -> StoreResult<FindingRow> {
        let sql = format!("{FINDING_SELECT} WHERE f.id = ?1");
        self.conn
            .prepare_cached(&sql)?
            .query_row([id], finding_row)
            .optional()?
            .ok_or_else(|| StoreError::not_found(format!("finding #{id}")))
    }

    fn finding_events(&self, finding_id: i64) -> StoreResult<Vec<FindingEventRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT from_status, to_status, note, actor, at FROM finding_events WHERE finding_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([finding_id], |r| {
            Ok(FindingEventRow {
                from: r.get(0)?,
                to: r.get(1)?,
                note: r.get(2)?,
                actor: r.get(3)?,
                at: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn finding_appeals(&self, finding_id: i64) -> StoreResult<Vec<AppealRow>> {
        let sql = format!(
            "SELECT {APPEAL_COLUMNS} FROM finding_appeals WHERE finding_id = ?1 ORDER BY id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([finding_id], appeal_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn appeal(&self, id: i64) -> StoreResult<AppealRow> {
        let sql = format!("SELECT {APPEAL_COLUMNS} FROM finding_appeals WHERE id = ?1");
        self.conn
            .prepare_cached(&sql)?
            .query_row([id], appeal_row)
            .optional()?
            .ok_or_else(|| StoreError::not_found(format!("appeal #{id}")))
    }

    fn return_visits(&self, from: &str, to: &str) -> StoreResult<Vec<ReturnVisitRow>> {
        let sql = format!(
            "{RETURN_VISIT_SELECT} WHERE r.visited_on BETWEEN ?1 AND ?2 ORDER BY r.visited_on, r.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([from, to], return_visit_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn return_visit(&self, id: i64) -> StoreResult<ReturnVisitRow> {
        let sql = format!("{RETURN_VISIT_SELECT} WHERE r.id = ?1");
        self.conn
            .prepare_cached(&sql)?
            .query_row([id], return_visit_row)
            .optional()?
            .ok_or_else(|| StoreError::not_found(format!("return visit #{id}")))
    }

    fn ratings(&self, year: i64) -> StoreResult<Vec<RatingRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT g.year, s.code, g.inspections, g.average_score_x100, g.sales_fen, g.open_findings, g.points_x100,
                    g.stars, g.commission_permille, g.rule_version, g.rated_by, g.rated_at
             FROM station_ratings g JOIN stations s ON s.id = g.station_id WHERE g.year = ?1
             ORDER BY g.points_x100 DESC, s.code",
        )?;
        let rows = stmt.query_map([year], |r| {
            Ok(RatingRow {
                year: r.get(0)?,
                station_code: r.get(1)?,
                inspections: r.get(2)?,
                average_score_x100: r.get(3)?,
                sales: r.get(4)?,
                open_findings: r.get(5)?,
                points_x100: r.get(6)?,
                stars: r.get(7)?,
                commission_permille: r.get(8)?,
                rule_version: r.get(9)?,
                rated_by: r.get(10)?,
                rated_at: r.get(11)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl WriteTx<'_> {
    fn finding_event(
        &self,
        finding_id: i64,
        from: Option<FindingStatus>,
        to: FindingStatus,
        note: &str,
        actor: &str,
        at: i64,
    ) -> StoreResult<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO finding_events (finding_id, from_status, to_status, note, actor, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![finding_id, from, to, note, actor, at])?;
        Ok(())
    }
}

impl InspectionsWrites for WriteTx<'_> {
    fn set_visit_plan(&mut self, plan: &VisitPlanRow, by: &str, at: i64) -> StoreResult<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO visit_plans (year, kind, per_station, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (year, kind) DO UPDATE SET per_station = excluded.per_station",
            )?
            .execute(params![plan.year, plan.kind, plan.per_station, by, at])?;
        Ok(())
    }

    fn insert_visit(&mut self, v: &NewVisit<'_>, at: i64) -> StoreResult<i64> {
        let station = self.id_of("stations", v.station_code)?;
        let score: i64 = v.scores.iter().map(|(_, p)| p).sum();
        self.tx
            .prepare_cached(
                "INSERT INTO visits (station_id, kind, visited_on, visitors, opinions, checklist_version, score, created_by, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![station, v.kind, v.visited_on, v.visitors, v.opinions, v.checklist_version, score, v.created_by, at])?;
        let id = self.tx.last_insert_rowid();
        let mut insert = self.tx.prepare_cached(
            "INSERT INTO visit_scores (visit_id, item, points) VALUES (?1, ?2, ?3)",
        )?;
        for (item, points) in v.scores {
            insert.execute(params![id, item, points])?;
        }
        Ok(id)
    }

    fn insert_return_visit(&mut self, v: &NewReturnVisit<'_>, at: i64) -> StoreResult<i64> {
        let station = v
            .station_code
            .map(|code| self.id_of("stations", code))
            .transpose()?;
        self.tx
            .prepare_cached(
                "INSERT INTO return_visits (station_id, beneficiary_id, visited_on, visitor, person, outcome, satisfaction, created_by, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![station, v.beneficiary_id, v.visited_on, v.visitor, v.person, v.outcome, v.satisfaction, v.created_by, at])?;
        Ok(self.tx.last_insert_rowid())
    }

    fn insert_finding(&mut self, f: &NewFinding<'_>, at: i64) -> StoreResult<i64> {
        let station = f
            .station_code
            .map(|code| self.id_of("stations", code))
            .transpose()?;
        let (visit, return_visit) = match f.source {
            FindingSource::Visit(id) => (Some(id), None),
            FindingSource::ReturnVisit(id) => (None, Some(id)),
        };
        self.tx
            .prepare_cached(
                "INSERT INTO findings (station_id, visit_id, return_visit_id, item, description, responsible, deadline, status, raised_by, raised_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![station, visit, return_visit, f.item, f.description, f.responsible, f.deadline, FindingStatus::Open, f.raised_by, at])?;
        let id = self.tx.last_insert_rowid();
        self.finding_event(
            id,
            None,
            FindingStatus::Open,
            f.description,
            f.raised_by,
            at,
        )?;
        Ok(id)
    }

    fn move_finding(
        &mut self,
        id: i64,
        from: FindingStatus,
        to: FindingStatus,
        note: &str,
        actor: &str,
        at: i64,
    ) -> StoreResult<()> {
        if !from.can_become(to) {
            return Err(StoreError::Conflict(format!(
                "a finding does not move from {from} to {to}"
            )));
        }
        // A submission keeps its evidence and who submitted (the verifier must be another).
        let n = if to == FindingStatus::Submitted {
            self.tx
                .prepare_cached(
                    "UPDATE findings SET status = ?3, evidence = ?4, submitted_by = ?5 WHERE id = ?1 AND status = ?2",
                )?
                .execute(params![id, from, to, note, actor])?
        } else {
            self.tx
                .prepare_cached("UPDATE findings SET status = ?3 WHERE id = ?1 AND status = ?2")?
                .execute(params![id, from, to])?
        };
        if n != 1 {
            return Err(StoreError::Conflict(format!("finding #{id} is not {from}")));
        }
        self.finding_event(id, Some(from), to, note, actor, at)
    }

    fn insert_appeal(
        &mut self,
        finding_id: i64,
        reason: &str,
        by: &str,
        at: i64,
    ) -> StoreResult<i64> {
        let pending: bool = self
            .tx
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM finding_appeals WHERE finding_id = ?1 AND decision IS NULL)",
            )?
            .query_row([finding_id], |r| r.get(0))?;
        if pending {
            return Err(StoreError::Conflict(format!(
                "finding #{finding_id} already has an appeal waiting for its decision"
            )));
        }
        self.tx
            .prepare_cached(
                "INSERT INTO finding_appeals (finding_id, reason, filed_by, filed_at) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![finding_id, reason, by, at])?;
        Ok(self.tx.last_insert_rowid())
    }

    fn decide_appeal(
        &mut self,
        id: i64,
        overturned: bool,
        note: &str,
        by: &str,
        at: i64,
    ) -> StoreResult<()> {
        let decision = if overturned { "overturned" } else { "upheld" };
        let n = self
            .tx
            .prepare_cached(
                "UPDATE finding_appeals SET decision = ?2, decision_note = ?3, decided_by = ?4, decided_at = ?5
                 WHERE id = ?1 AND decision IS NULL",
            )?
            .execute(params![id, decision, note, by, at])?;
        if n == 1 {
            Ok(())
        } else {
            Err(StoreError::Conflict(format!(
                "appeal #{id} is already decided"
            )))
        }
    }

    fn insert_rating(&mut self, r: &RatingRow) -> StoreResult<()> {
        // The rating sets the station's commission on every later sale.
        self.reference_changed();
        let station = self.id_of("stations", &r.station_code)?;
        self.tx
            .prepare_cached(
                "INSERT INTO station_ratings (year, station_id, inspections, average_score_x100, sales_fen, open_findings,
                   points_x100, stars, commission_permille, rule_version, rated_by, rated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?
            .execute(params![
                r.year, station, r.inspections, r.average_score_x100, r.sales, r.open_findings, r.points_x100,
                r.stars, r.commission_permille, r.rule_version, r.rated_by, r.rated_at
            ])
            .map_err(duplicate(format!("the {} rating of station {}", r.year, r.station_code)))?;
        Ok(())
    }
}

/// The reads of visits, findings, appeals, return visits and ratings. SQLite implements it
/// on [`Reader`](crate::Reader); another backend implements it on its own handle.
pub trait InspectionsReads {
    fn visit_plans(&self, year: i64) -> StoreResult<Vec<VisitPlanRow>>;
    /// Visits (of one station, or all) between two dates, with their scores.
    fn visits(&self, station_id: Option<i64>, from: &str, to: &str) -> StoreResult<Vec<VisitRow>>;
    fn visit(&self, id: i64) -> StoreResult<VisitRow>;
    /// Findings of one station (or all), in one status (or any).
    fn findings(
        &self,
        station_id: Option<i64>,
        status: Option<FindingStatus>,
    ) -> StoreResult<Vec<FindingRow>>;
    fn finding(&self, id: i64) -> StoreResult<FindingRow>;
    fn finding_events(&self, finding_id: i64) -> StoreResult<Vec<FindingEventRow>>;
    fn finding_appeals(&self, finding_id: i64) -> StoreResult<Vec<AppealRow>>;
    fn appeal(&self, id: i64) -> StoreResult<AppealRow>;
    fn return_visits(&self, from: &str, to: &str) -> StoreResult<Vec<ReturnVisitRow>>;
    fn return_visit(&self, id: i64) -> StoreResult<ReturnVisitRow>;
    /// A year's recorded ratings, best first.
    fn ratings(&self, year: i64) -> StoreResult<Vec<RatingRow>>;
}

/// The writes of visits, findings, appeals, return visits and ratings.
pub trait InspectionsWrites {
    /// Sets (or changes) the year's plan for one kind of visit.
    fn set_visit_plan(&mut self, plan: &VisitPlanRow, by: &str, at: i64) -> StoreResult<()>;
    /// A visit with its checklist scores; its score is their sum.
    fn insert_visit(&mut self, v: &NewVisit<'_>, at: i64) -> StoreResult<i64>;
    fn insert_return_visit(&mut self, v: &NewReturnVisit<'_>, at: i64) -> StoreResult<i64>;
    /// A finding, open, with its raising as the first event.
    fn insert_finding(&mut self, f: &NewFinding<'_>, at: i64) -> StoreResult<i64>;
    /// Moves a finding along `FindingStatus::can_become`, keeping the event; a submission's
    /// note is its evidence.
    #[allow(clippy::too_many_arguments)]
    fn move_finding(
        &mut self,
        id: i64,
        from: FindingStatus,
        to: FindingStatus,
        note: &str,
        actor: &str,
        at: i64,
    ) -> StoreResult<()>;
    /// An appeal; refused while another of the same finding waits for its decision.
    fn insert_appeal(
        &mut self,
        finding_id: i64,
        reason: &str,
        by: &str,
        at: i64,
    ) -> StoreResult<i64>;
    fn decide_appeal(
        &mut self,
        id: i64,
        overturned: bool,
        note: &str,
        by: &str,
        at: i64,
    ) -> StoreResult<()>;
    /// Records a station's rating of a year, once.
    fn insert_rating(&mut self, r: &RatingRow) -> StoreResult<()>;
}
