//! Visits (走访 / 巡查 / 暗访) and what they find. A visit plan sets how many visits of a kind
//! each station gets in a year; an inspection or an unannounced visit scores every item of
//! the checklist; a visit raises findings, each rectified through
//! `FindingStatus::can_become` (no closing without a submission, and the verifier is never
//! the submitter), every move kept; a station may appeal a finding once at a time, and an
//! overturned finding is withdrawn; return visits (回访) to the people served may raise
//! findings too. Overdue: a finding still waiting on the station after its deadline.

use std::collections::{BTreeMap, BTreeSet};

use fucai_store::{
    AppealRow, FindingEventRow, FindingRow, FindingSource, FindingStatus, NewFinding,
    NewReturnVisit, NewVisit, ReturnVisitRow, StationRow, VisitKind, VisitPlanRow, VisitRow,
};
use serde::Serialize;

use super::checklist::inspection_rules;
use super::coverage::coverage;
use super::station_spans;
use super::training::{period, NETWORK_EDITORS, NETWORK_READERS};
use crate::clock::now_ms;
use crate::error::{AppError, AppResult};
use crate::principal::{Access, Principal, Role};
use crate::registers::parse_date;
use crate::{beijing_date, App};

/// Station owners act on their own station's findings (start, submit, appeal).
pub const STATION_OWNERS: &[Role] = &[Role::StationOwner];
const MAX_TEXT_CHARS: usize = 1000;

#[derive(Clone, Debug, Default)]
pub struct FindingInput {
    /// The checklist item it concerns, if any.
    pub item: Option<String>,
    pub description: String,
    pub responsible: String,
    /// YYYY-MM-DD.
    pub deadline: String,
}

#[derive(Clone, Debug, Default)]
pub struct VisitInput {
    pub station: String,
    /// visit (走访), inspection (巡查) or mystery (暗访).
    pub kind: String,
    pub visited_on: String,
    pub visitors: String,
    /// Opinions and suggestions heard (意见建议).
    pub opinions: String,
    /// Points per checklist item: every item for an inspection or an unannounced visit, none
    /// for a 走访.
    pub scores: Vec<(String, i64)>,
    pub findings: Vec<FindingInput>,
}

/// A visit with the findings it raised.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecordedVisit {
    pub visit: VisitRow,
    pub findings: Vec<FindingRow>,
}

/// A finding with its whole history and its appeals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FindingDetail {
    pub finding: FindingRow,
    pub overdue: bool,
    pub history: Vec<FindingEventRow>,
    pub appeals: Vec<AppealRow>,
}

/// A move of a finding asked for by someone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FindingMove {
    /// The station starts on it.
    Start,
    /// Done, with the evidence.
    Submit { evidence: String },
    /// The center checked the evidence: closed.
    Verify { note: String },
    /// Not done after all (a rejected submission, or a closed finding found again).
    Reopen { reason: String },
}

#[derive(Clone, Debug, Default)]
pub struct ReturnVisitInput {
    pub station: Option<String>,
    pub beneficiary_id: Option<i64>,
    pub visited_on: String,
    pub visitor: String,
    /// Who was called back (a customer, the beneficiary).
    pub person: String,
    pub outcome: String,
    /// 1 (very dissatisfied) to 5 (very satisfied).
    pub satisfaction: i64,
    pub finding: Option<FindingInput>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecordedReturnVisit {
    pub return_visit: ReturnVisitRow,
    pub finding: Option<FindingRow>,
}

/// How far one visit plan has got: stations open in the year that had their N visits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlanProgress {
    pub year: i64,
    pub kind: VisitKind,
    pub per_station: i64,
    pub visits: usize,
    pub stations_open: usize,
    pub stations_done: usize,
    pub coverage_permille: u32,
    /// Per town: (town, open, done, permille).
    pub by_town: Vec<(String, usize, usize, u32)>,
}

fn text(field: &str, value: &str, required: bool) -> AppResult<()> {
    if (required && value.trim().is_empty()) || value.chars().count() > MAX_TEXT_CHARS {
        let need = if required { "required, " } else { "" };
        return Err(AppError::invalid(
            field,
            format!("{need}at most {MAX_TEXT_CHARS} characters"),
        ));
    }
    Ok(())
}

fn date(field: &str, value: &str) -> AppResult<()> {
    parse_date(value)
        .map(|_| ())
        .ok_or_else(|| AppError::invalid(field, format!("'{value}' is not a date (YYYY-MM-DD)")))
}

fn kind(value: &str) -> AppResult<VisitKind> {
    value
        .parse()
        .map_err(|_| AppError::invalid("kind", "visit, inspection or mystery"))
}

fn check_finding(prefix: &str, f: &FindingInput) -> AppResult<()> {
    if let Some(item) = &f.item {
        if inspection_rules().item(item).is_none() {
            return Err(AppError::invalid(
                format!("{prefix}.item"),
                format!("'{item}' is not a checklist item"),
            ));
        }
    }
    text(&format!("{prefix}.description"), &f.description, true)?;
    text(&format!("{prefix}.responsible"), &f.responsible, true)?;
    date(&format!("{prefix}.deadline"), &f.deadline)
}

/// Checks a visit's scores against the checklist: every item once, within its points, for a
/// checklist visit; none for a 走访.
fn check_scores(kind: VisitKind, scores: &[(String, i64)]) -> AppResult<()> {
    let rules = inspection_rules();
    if kind == VisitKind::Visit {
        if !scores.is_empty() {
            return Err(AppError::invalid("scores", "a 走访 is not scored"));
        }
        return Ok(());
    }
    let mut seen = BTreeSet::new();
    for (code, points) in scores {
        let item = rules.item(code).ok_or_else(|| {
            AppError::invalid("scores", format!("'{code}' is not a checklist item"))
        })?;
        if !(0..=item.points).contains(points) || !seen.insert(code.as_str()) {
            return Err(AppError::invalid(
                format!("scores.{code}"),
                format!("once, from 0 to {}", item.points),
            ));
        }
    }
    if seen.len() != rules.item.len() {
        let missing: Vec<&str> = rules
            .item
            .iter()
            .map(|i| i.code.as_str())
            .filter(|c| !seen.contains(c))
            .collect();
        return Err(AppError::invalid(
            "scores",
            format!(
                "every checklist item is scored; missing {}",
                missing.join(", ")
            ),
        ));
    }
    Ok(())
}

impl App {
    /// The checklist visits are scored against (rule data).
    pub fn checklist(&self) -> &'static super::checklist::Inspection {
        inspection_rules()
    }

    /// Sets how many visits of a kind each station gets in a year.
    pub async fn set_visit_plan(
        &self,
        who: &Principal,
        year: i64,
        kind_text: &str,
        per_station: i64,
    ) -> AppResult<VisitPlanRow> {
        who.require(Access::Roles(NETWORK_EDITORS), None)?;
        let kind = kind(kind_text)?;
        if !(2000..=2100).contains(&year) {
            return Err(AppError::invalid("year", "a year from 2000 to 2100"));
        }
        if !(1..=52).contains(&per_station) {
            return Err(AppError::invalid("per_station", "from 1 to 52 a year"));
        }
        let plan = VisitPlanRow {
            year,
            kind,
            per_station,
        };
        let actor = who.actor();
        self.writes
            .run(move |tx| {
                let now = now_ms();
                tx.set_visit_plan(&plan, &actor, now)?;
                tx.audit(
                    now,
                    &actor,
                    "visit_plan.set",
                    &format!("{year}/{kind}"),
                    per_station.to_string().as_bytes(),
                )?;
                Ok(plan)
            })
            .await
    }

    /// Records a visit with its checklist scores and the findings it raised.
    pub async fn record_visit(
        &self,
        who: &Principal,
        input: VisitInput,
    ) -> AppResult<RecordedVisit> {
        who.require(Access::Roles(NETWORK_EDITORS), None)?;
        let kind = kind(&input.kind)?;
        let station = self.store.read(|r| r.station_by_code(&input.station))?;
        date("visited_on", &input.visited_on)?;
        text("visitors", &input.visitors, true)?;
        text("opinions", &input.opinions, false)?;
        check_scores(kind, &input.scores)?;
        for (i, f) in input.findings.iter().enumerate() {
            check_finding(&format!("findings[{i}]"), f)?;
        }
        let actor = who.actor();
        self.writes
            .run(move |tx| {
                let now = now_ms();
                let id = tx.insert_visit(
                    &NewVisit {
                        station_code: &station.code,
                        kind,
                        visited_on: &input.visited_on,
                        visitors: input.visitors.trim(),
                        opinions: input.opinions.trim(),
                        checklist_version: &inspection_rules().version,
                        scores: &input.scores,
                        created_by: &actor,
                    },
                    now,
                )?;
                let mut findings = Vec::new();
                for f in &input.findings {
                    let finding = tx.insert_finding(
                        &NewFinding {
                            station_code: Some(&station.code),
                            source: FindingSource::Visit(id),
                            item: f.item.as_deref(),
                            description: f.description.trim(),
                            responsible: f.responsible.trim(),
                            deadline: &f.deadline,
                            raised_by: &actor,
                        },
                        now,
                    )?;
                    findings.push(tx.reader().finding(finding)?);
                }
                let visit = tx.reader().visit(id)?;
                tx.audit(
                    now,
                    &actor,
                    "visit.record",
                    &format!("visit:{id}"),
                    format!(
                        "{} {kind} {} score {} findings {}",
                        station.code,
                        visit.visited_on,
                        visit.score,
                        findings.len()
                    )
                    .as_bytes(),
                )?;
                Ok(RecordedVisit { visit, findings })
            })
            .await
    }

    /// Visits between two dates, of one station or all (station owners: their own).
    pub fn visits(
        &self,
        who: &Principal,
        station: Option<&str>,
        from: &str,
        to: &str,
    ) -> AppResult<Vec<VisitRow>> {
        period(from, to)?;
        let station = self.readable_station(who, station)?;
        Ok(self
            .store
            .read(|r| r.visits(station.map(|s| s.id), from, to))?)
    }

    /// The station a caller may read findings and visits of: any (or none = all) for the
    /// network's readers, their own for a station owner.
    fn readable_station(
        &self,
        who: &Principal,
        code: Option<&str>,
    ) -> AppResult<Option<StationRow>> {
        match code {
            Some(code) => {
                let s = self.store.read(|r| r.station_by_code(code))?;
                who.require(Access::Roles(STATION_OWNERS), Some(s.id))
                    .or_else(|_| who.require(Access::Roles(NETWORK_READERS), None))?;
                Ok(Some(s))
            }
            None => {
                who.require(Access::Roles(NETWORK_READERS), None)?;
                Ok(None)
            }
        }
    }

    /// Findings of one station or all, optionally in one status or only the overdue ones.
    pub fn findings(
        &self,
        who: &Principal,
        station: Option<&str>,
        status: Option<&str>,
        overdue_only: bool,
    ) -> AppResult<Vec<FindingRow>> {
        let station = self.readable_station(who, station)?;
        let status = status
            .map(|s| {
                s.parse::<FindingStatus>()
                    .map_err(|e| AppError::invalid("status", e))
            })
            .transpose()?;
        let today = beijing_date(now_ms()).to_string();
        Ok(self
            .store
            .read(|r| r.findings(station.map(|s| s.id), status))?
            .into_iter()
            .filter(|f| !overdue_only || is_overdue(f, &today))
            .collect())
    }

    /// A finding with its history and appeals.
    pub fn finding(&self, who: &Principal, id: i64) -> AppResult<FindingDetail> {
        let (finding, history, appeals) = self.store.read(|r| {
            Ok((
                r.finding(id)?,
                r.finding_events(id)?,
                r.finding_appeals(id)?,
            ))
        })?;
        self.may_read_finding(who, &finding)?;
        let today = beijing_date(now_ms()).to_string();
        Ok(FindingDetail {
            overdue: is_overdue(&finding, &today),
            finding,
            history,
            appeals,
        })
    }

    fn finding_station_id(&self, f: &FindingRow) -> AppResult<Option<i64>> {
        f.station_code
            .as_deref()
            .map(|code| self.store.read(|r| r.station_by_code(code)).map(|s| s.id))
            .transpose()
            .map_err(AppError::from)
    }

    fn may_read_finding(&self, who: &Principal, f: &FindingRow) -> AppResult<()> {
        self.owner_or(who, f, NETWORK_READERS)
    }

    /// The finding's station's owner, or else one of the center's `roles`. A finding of no
    /// station (a beneficiary's return visit) is the center's alone: a station role's access
    /// is scoped only where a station is named.
    pub(super) fn owner_or(
        &self,
        who: &Principal,
        f: &FindingRow,
        roles: &'static [Role],
    ) -> AppResult<()> {
        match self.finding_station_id(f)? {
            Some(id) => who
                .require(Access::Roles(STATION_OWNERS), Some(id))
                .or_else(|_| who.require(Access::Roles(roles), None)),
            None => who.require(Access::Roles(roles), None),
        }
    }

    /// Moves a finding: the station's owner (or the center) starts and submits; the center
    /// verifies or reopens, never the person who submitted.
    pub async fn move_finding(
        &self,
        who: &Principal,
        id: i64,
        change: FindingMove,
    ) -> AppResult<FindingDetail> {
        let finding = self.store.read(|r| r.finding(id))?;
        let (to, note, by_station) = match &change {
            FindingMove::Start => (FindingStatus::InProgress, String::new(), true),
            FindingMove::Submit { evidence } => {
                text("evidence", evidence, true)?;
                (FindingStatus::Submitted, evidence.trim().to_string(), true)
            }
            FindingMove::Verify { note } => {
                text("note", note, false)?;
                (FindingStatus::Closed, note.trim().to_string(), false)
            }
            FindingMove::Reopen { reason } => {
                text("reason", reason, true)?;
                (FindingStatus::Reopened, reason.trim().to_string(), false)
            }
        };
        if by_station {
            self.owner_or(who, &finding, NETWORK_EDITORS)?;
        } else {
            who.require(Access::Roles(NETWORK_EDITORS), None)?;
        }
        let actor = who.actor();
        if to == FindingStatus::Closed && finding.submitted_by.as_deref() == Some(actor.as_str()) {
            return Err(AppError::forbidden(
                "the person who submitted a rectification may not verify it",
            ));
        }
        if !finding.status.can_become(to) {
            return Err(AppError::Conflict(format!(
                "finding #{id} is {}; it cannot become {to}",
                finding.status
            )));
        }
        let from = finding.status;
        self.writes
            .run(move |tx| {
                let now = now_ms();
                tx.move_finding(id, from, to, &note, &actor, now)?;
                tx.audit(
                    now,
                    &actor,
                    &format!("finding.{to}"),
                    &format!("finding:{id}"),
                    format!("{from} → {to}: {note}").as_bytes(),
                )?;
                Ok(())
            })
            .await?;
        self.finding(who, id)
    }

    /// The station appeals (申诉) a finding not closed yet: one appeal waiting at a time.
    pub async fn appeal_finding(
        &self,
        who: &Principal,
        id: i64,
        reason: &str,
    ) -> AppResult<FindingDetail> {
        let finding = self.store.read(|r| r.finding(id))?;
        self.owner_or(who, &finding, NETWORK_EDITORS)?;
        text("reason", reason, true)?;
        if !finding.status.can_become(FindingStatus::Withdrawn) {
            return Err(AppError::Conflict(format!(
                "finding #{id} is {}: there is nothing left to appeal",
                finding.status
            )));
        }
        let (actor, reason) = (who.actor(), reason.trim().to_string());
        self.writes
            .run(move |tx| {
                let now = now_ms();
                let appeal = tx.insert_appeal(id, &reason, &actor, now)?;
                tx.audit(
                    now,
                    &actor,
                    "finding.appeal",
                    &format!("finding:{id} appeal:{appeal}"),
                    reason.as_bytes(),
                )?;
                Ok(())
            })
            .await?;
        self.finding(who, id)
    }

    /// Decides an appeal (never the person who filed it): overturned withdraws the finding;
    /// upheld leaves it where it was. Both stay on record.
    pub async fn decide_appeal(
        &self,
        who: &Principal,
        appeal_id: i64,
        overturn: bool,
        note: &str,
    ) -> AppResult<FindingDetail> {
        who.require(Access::Roles(NETWORK_EDITORS), None)?;
        text("note", note, true)?;
        let appeal = self.store.read(|r| r.appeal(appeal_id))?;
        let actor = who.actor();
        if appeal.filed_by == actor {
            return Err(AppError::forbidden(
                "the person who filed an appeal may not decide it",
            ));
        }
        let finding = self.store.read(|r| r.finding(appeal.finding_id))?;
        let note = note.trim().to_string();
        self.writes
            .run(move |tx| {
                let now = now_ms();
                tx.decide_appeal(appeal_id, overturn, &note, &actor, now)?;
                if overturn {
                    tx.move_finding(
                        finding.id,
                        finding.status,
                        FindingStatus::Withdrawn,
                        &format!("申诉成立: {note}"),
                        &actor,
                        now,
                    )?;
                }
                let decision = if overturn { "overturned" } else { "upheld" };
                tx.audit(
                    now,
                    &actor,
                    "finding.appeal_decided",
                    &format!("finding:{} appeal:{appeal_id}", finding.id),
                    format!("{decision}: {note}").as_bytes(),
                )?;
                Ok(())
            })
            .await?;
        self.finding(who, appeal.finding_id)
    }

    /// Records a return visit (回访) to a station's customer or a grant's beneficiary, with
    /// the finding it raised, if any.
    pub async fn record_return_visit(
        &self,
        who: &Principal,
        input: ReturnVisitInput,
    ) -> AppResult<RecordedReturnVisit> {
        who.require(Access::Roles(NETWORK_EDITORS), None)?;
        let station = match (&input.station, input.beneficiary_id) {
            (Some(code), None) => Some(self.store.read(|r| r.station_by_code(code))?.code),
            (None, Some(id)) => {
                self.store.read(|r| r.beneficiary(id))?;
                None
            }
            _ => {
                return Err(AppError::invalid(
                    "station",
                    "either a station or a beneficiary_id",
                ))
            }
        };
        date("visited_on", &input.visited_on)?;
        text("visitor", &input.visitor, true)?;
        text("person", &input.person, true)?;
        text("outcome", &input.outcome, true)?;
        if !(1..=5).contains(&input.satisfaction) {
            return Err(AppError::invalid("satisfaction", "from 1 to 5"));
        }
        if let Some(f) = &input.finding {
            check_finding("finding", f)?;
        }
        let actor = who.actor();
        self.writes
            .run(move |tx| {
                let now = now_ms();
                let id = tx.insert_return_visit(
                    &NewReturnVisit {
                        station_code: station.as_deref(),
                        beneficiary_id: input.beneficiary_id,
                        visited_on: &input.visited_on,
                        visitor: input.visitor.trim(),
                        person: input.person.trim(),
                        outcome: input.outcome.trim(),
                        satisfaction: input.satisfaction,
                        created_by: &actor,
                    },
                    now,
                )?;
                let finding = match &input.finding {
                    Some(f) => {
                        let fid = tx.insert_finding(
                            &NewFinding {
                                station_code: station.as_deref(),
                                source: FindingSource::ReturnVisit(id),
                                item: f.item.as_deref(),
                                description: f.description.trim(),
                                responsible: f.responsible.trim(),
                                deadline: &f.deadline,
                                raised_by: &actor,
                            },
                            now,
                        )?;
                        Some(tx.reader().finding(fid)?)
                    }
                    None => None,
                };
                tx.audit(
                    now,
                    &actor,
                    "return_visit.record",
                    &format!("return_visit:{id}"),
                    format!("{} satisfaction {}", input.outcome, input.satisfaction).as_bytes(),
                )?;
                Ok(RecordedReturnVisit {
                    return_visit: tx.reader().return_visit(id)?,
                    finding,
                })
            })
            .await
    }

    pub fn return_visits(
        &self,
        who: &Principal,
        from: &str,
        to: &str,
    ) -> AppResult<Vec<ReturnVisitRow>> {
        who.require(Access::Roles(NETWORK_READERS), None)?;
        period(from, to)?;
        Ok(self.store.read(|r| r.return_visits(from, to))?)
    }

    /// Each plan of the year with the stations that had their visits: coverage counted as
    /// for training (a station counts when open on at least one day of the year).
    pub fn plan_progress(&self, who: &Principal, year: i64) -> AppResult<Vec<PlanProgress>> {
        who.require(Access::Roles(NETWORK_READERS), None)?;
        let (from, to) = (format!("{year}-01-01"), format!("{year}-12-31"));
        let (from_day, to_day) = period(&from, &to)?;
        let (plans, visits, stations) = self.store.read(|r| {
            Ok((
                r.visit_plans(year)?,
                r.visits(None, &from, &to)?,
                r.stations()?,
            ))
        })?;
        let spans = station_spans(&stations)?;
        Ok(plans
            .into_iter()
            .map(|plan| {
                let mut counts: BTreeMap<&str, i64> = BTreeMap::new();
                let of_kind: Vec<&VisitRow> =
                    visits.iter().filter(|v| v.kind == plan.kind).collect();
                for v in &of_kind {
                    *counts.entry(v.station_code.as_str()).or_default() += 1;
                }
                let done: BTreeSet<String> = counts
                    .into_iter()
                    .filter(|(_, n)| *n >= plan.per_station)
                    .map(|(code, _)| code.to_string())
                    .collect();
                let (all, towns) = coverage(&spans, &done, from_day, to_day);
                PlanProgress {
                    year,
                    kind: plan.kind,
                    per_station: plan.per_station,
                    visits: of_kind.len(),
                    stations_open: all.stations_open,
                    stations_done: all.stations_trained,
                    coverage_permille: all.permille,
                    by_town: towns
                        .into_iter()
                        .map(|(t, c)| (t, c.stations_open, c.stations_trained, c.permille))
                        .collect(),
                }
            })
            .collect())
    }
}

/// Still waiting on the station after its deadline (a submission waits on the center).
pub(crate) fn is_overdue(f: &FindingRow, today: &str) -> bool {
    f.status.is_pending() && f.deadline.as_str() < today
}
