//! Visits, findings, appeals, return visits, plans and ratings on the wire.

use std::collections::BTreeMap;

use fucai_app::network::{
    FindingDetail, PlanProgress, RatingLine, RecordedReturnVisit, RecordedVisit,
};
use fucai_app::network_rows::{AppealRow, FindingEventRow, FindingRow, ReturnVisitRow, VisitRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::beijing_time;

#[derive(Serialize, ToSchema)]
pub struct ChecklistItemJson {
    pub code: String,
    pub name: String,
    pub points: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ChecklistJson {
    pub version: String,
    pub items: Vec<ChecklistItemJson>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VisitPlanBody {
    pub year: i64,
    /// visit (走访), inspection (巡查) or mystery (暗访).
    pub kind: String,
    /// Visits of this kind each station gets in the year.
    pub per_station: i64,
}

#[derive(Serialize, ToSchema)]
pub struct TownProgressJson {
    pub town: String,
    pub stations_open: usize,
    pub stations_done: usize,
    pub coverage_permille: u32,
}

#[derive(Serialize, ToSchema)]
pub struct PlanProgressJson {
    pub year: i64,
    pub kind: String,
    pub per_station: i64,
    pub visits: usize,
    pub stations_open: usize,
    /// Stations that had at least `per_station` visits of the kind.
    pub stations_done: usize,
    pub coverage_permille: u32,
    pub by_town: Vec<TownProgressJson>,
}

impl From<PlanProgress> for PlanProgressJson {
    fn from(p: PlanProgress) -> PlanProgressJson {
        PlanProgressJson {
            year: p.year,
            kind: p.kind.to_string(),
            per_station: p.per_station,
            visits: p.visits,
            stations_open: p.stations_open,
            stations_done: p.stations_done,
            coverage_permille: p.coverage_permille,
            by_town: p
                .by_town
                .into_iter()
                .map(|(town, open, done, permille)| TownProgressJson {
                    town,
                    stations_open: open,
                    stations_done: done,
                    coverage_permille: permille,
                })
                .collect(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FindingBody {
    /// The checklist item it concerns.
    pub item: Option<String>,
    pub description: String,
    /// Who is to rectify it.
    pub responsible: String,
    /// YYYY-MM-DD.
    pub deadline: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VisitBody {
    pub station: String,
    /// visit (走访), inspection (巡查) or mystery (暗访).
    pub kind: String,
    pub visited_on: String,
    pub visitors: String,
    /// Opinions and suggestions heard (意见建议).
    #[serde(default)]
    pub opinions: String,
    /// Points per checklist item code: every item for an inspection or an unannounced visit,
    /// none for a 走访.
    #[serde(default)]
    pub scores: BTreeMap<String, i64>,
    #[serde(default)]
    pub findings: Vec<FindingBody>,
}

#[derive(Serialize, ToSchema)]
pub struct VisitJson {
    pub id: i64,
    pub station: String,
    pub town: String,
    pub kind: String,
    pub visited_on: String,
    pub visitors: String,
    pub opinions: String,
    pub checklist_version: String,
    pub score: i64,
    pub scores: BTreeMap<String, i64>,
}

impl From<VisitRow> for VisitJson {
    fn from(v: VisitRow) -> VisitJson {
        VisitJson {
            id: v.id,
            station: v.station_code,
            town: v.town_code,
            kind: v.kind.to_string(),
            visited_on: v.visited_on,
            visitors: v.visitors,
            opinions: v.opinions,
            checklist_version: v.checklist_version,
            score: v.score,
            scores: v.scores.into_iter().collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct FindingJson {
    pub id: i64,
    pub station: Option<String>,
    pub visit_id: Option<i64>,
    pub return_visit_id: Option<i64>,
    pub item: Option<String>,
    pub description: String,
    pub responsible: String,
    pub deadline: String,
    /// open, in_progress, submitted, closed, reopened or withdrawn.
    pub status: String,
    pub evidence: String,
    pub raised_by: String,
    pub raised_at: String,
}

impl From<FindingRow> for FindingJson {
    fn from(f: FindingRow) -> FindingJson {
        FindingJson {
            id: f.id,
            station: f.station_code,
            visit_id: f.visit_id,
            return_visit_id: f.return_visit_id,
            item: f.item,
            description: f.description,
            responsible: f.responsible,
            deadline: f.deadline,
            status: f.status.to_string(),
            evidence: f.evidence,
            raised_by: f.raised_by,
            raised_at: beijing_time(f.raised_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RecordedVisitJson {
    pub visit: VisitJson,
    pub findings: Vec<FindingJson>,
}

impl From<RecordedVisit> for RecordedVisitJson {
    fn from(v: RecordedVisit) -> RecordedVisitJson {
        RecordedVisitJson {
            visit: v.visit.into(),
            findings: v.findings.into_iter().map(FindingJson::from).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct FindingEventJson {
    pub from: Option<String>,
    pub to: String,
    pub note: String,
    pub actor: String,
    pub at: String,
}

impl From<FindingEventRow> for FindingEventJson {
    fn from(e: FindingEventRow) -> FindingEventJson {
        FindingEventJson {
            from: e.from.map(|s| s.to_string()),
            to: e.to.to_string(),
            note: e.note,
            actor: e.actor,
            at: beijing_time(e.at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AppealJson {
    pub id: i64,
    pub reason: String,
    pub filed_by: String,
    pub filed_at: String,
    /// upheld or overturned, once decided.
    pub decision: Option<String>,
    pub decision_note: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
}

impl From<AppealRow> for AppealJson {
    fn from(a: AppealRow) -> AppealJson {
        AppealJson {
            id: a.id,
            reason: a.reason,
            filed_by: a.filed_by,
            filed_at: beijing_time(a.filed_at),
            decision: a.decision,
            decision_note: a.decision_note,
            decided_by: a.decided_by,
            decided_at: a.decided_at.map(beijing_time),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct FindingDetailJson {
    pub finding: FindingJson,
    /// Still waiting on the station after its deadline.
    pub overdue: bool,
    /// Every move, oldest first (the first is its raising).
    pub history: Vec<FindingEventJson>,
    pub appeals: Vec<AppealJson>,
}

impl From<FindingDetail> for FindingDetailJson {
    fn from(d: FindingDetail) -> FindingDetailJson {
        FindingDetailJson {
            finding: d.finding.into(),
            overdue: d.overdue,
            history: d.history.into_iter().map(FindingEventJson::from).collect(),
            appeals: d.appeals.into_iter().map(AppealJson::from).collect(),
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FindingFilter {
    /// One station's findings (station owners: their own station only).
    pub station: Option<String>,
    pub status: Option<String>,
    /// Only the overdue ones.
    #[serde(default)]
    pub overdue: bool,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct VisitFilter {
    pub station: Option<String>,
    /// First day (YYYY-MM-DD).
    pub from: String,
    /// Last day (YYYY-MM-DD).
    pub to: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceBody {
    /// What was done, and where the proof is.
    pub evidence: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    #[serde(default)]
    pub note: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppealDecisionBody {
    /// True: the appeal succeeds and the finding is withdrawn.
    pub overturn: bool,
    pub note: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnVisitBody {
    /// The station whose customer was called back …
    pub station: Option<String>,
    /// … or the grant beneficiary.
    pub beneficiary_id: Option<i64>,
    pub visited_on: String,
    pub visitor: String,
    pub person: String,
    pub outcome: String,
    /// 1 (very dissatisfied) to 5 (very satisfied).
    pub satisfaction: i64,
    pub finding: Option<FindingBody>,
}

#[derive(Serialize, ToSchema)]
pub struct ReturnVisitJson {
    pub id: i64,
    pub station: Option<String>,
    pub beneficiary_id: Option<i64>,
    pub visited_on: String,
    pub visitor: String,
    pub person: String,
    pub outcome: String,
    pub satisfaction: i64,
}

impl From<ReturnVisitRow> for ReturnVisitJson {
    fn from(r: ReturnVisitRow) -> ReturnVisitJson {
        ReturnVisitJson {
            id: r.id,
            station: r.station_code,
            beneficiary_id: r.beneficiary_id,
            visited_on: r.visited_on,
            visitor: r.visitor,
            person: r.person,
            outcome: r.outcome,
            satisfaction: r.satisfaction,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RecordedReturnVisitJson {
    pub return_visit: ReturnVisitJson,
    pub finding: Option<FindingJson>,
}

impl From<RecordedReturnVisit> for RecordedReturnVisitJson {
    fn from(r: RecordedReturnVisit) -> RecordedReturnVisitJson {
        RecordedReturnVisitJson {
            return_visit: r.return_visit.into(),
            finding: r.finding.map(FindingJson::from),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RatingJson {
    pub station: String,
    pub inspections: i64,
    pub average_score: String,
    pub sales_fen: i64,
    pub open_findings: i64,
    /// Hundredths of a point as a decimal (`79.00`).
    pub points: String,
    pub stars: i64,
    /// The commission (代销费) the grade sets, in permille of sales.
    pub commission_permille: i64,
    /// Kept for good; false: a preview computed now.
    pub recorded: bool,
}

impl From<RatingLine> for RatingJson {
    fn from(r: RatingLine) -> RatingJson {
        RatingJson {
            station: r.station,
            inspections: r.inspections,
            average_score: r.average_score,
            sales_fen: r.sales.fen(),
            open_findings: r.open_findings,
            points: r.points,
            stars: r.stars,
            commission_permille: r.commission_permille,
            recorded: r.recorded,
        }
    }
}
