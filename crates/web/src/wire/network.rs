//! The station network's requests and answers: station moves and history, terminals, station
//! people, account administration, the public station finder.

use fucai_app::network::{PublicStation, StationPersonView};
use fucai_app::StationEventRow;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::beijing_time;

/// Filters of the station list.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StationFilter {
    /// Town (镇/街道) code.
    pub town: Option<String>,
    /// active, suspended or closed.
    pub status: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonBody {
    pub reason: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseStationBody {
    /// The day it closed (YYYY-MM-DD, not after today).
    pub on: String,
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct StationEventJson {
    pub from: String,
    pub to: String,
    pub effective_on: String,
    pub reason: String,
    pub actor: String,
    pub at: String,
}

impl From<StationEventRow> for StationEventJson {
    fn from(e: StationEventRow) -> StationEventJson {
        StationEventJson {
            from: e.from.to_string(),
            to: e.to.to_string(),
            effective_on: e.effective_on,
            reason: e.reason,
            actor: e.actor,
            at: beijing_time(e.at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TerminalSecretJson {
    pub code: String,
    /// Shown once: the terminal's new credentials; the old secret is refused from now on.
    pub secret: String,
}

#[derive(Serialize, ToSchema)]
pub struct DoneJson {
    pub ok: bool,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StationPeopleFilter {
    /// One station's people (station roles: their own station only).
    pub station: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StationPersonBody {
    pub station: String,
    /// owner or clerk.
    pub role: String,
    pub name: String,
    pub phone: String,
    /// 身份证号 (18 characters, check digit verified); answered masked.
    pub id_number: String,
    /// YYYY-MM-DD.
    pub from_on: String,
    pub to_on: Option<String>,
    #[serde(default)]
    pub certificates: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeaveBody {
    /// The last day at the station (YYYY-MM-DD).
    pub to_on: String,
}

#[derive(Serialize, ToSchema)]
pub struct StationPersonJson {
    pub id: i64,
    pub station: String,
    pub role: String,
    pub name: String,
    pub phone: String,
    /// Masked.
    pub id_number: String,
    pub from_on: String,
    pub to_on: Option<String>,
    pub certificates: String,
}

impl From<StationPersonView> for StationPersonJson {
    fn from(p: StationPersonView) -> StationPersonJson {
        StationPersonJson {
            id: p.id,
            station: p.station,
            role: p.role.to_string(),
            name: p.name,
            phone: p.phone,
            id_number: p.id_number,
            from_on: p.from_on,
            to_on: p.to_on,
            certificates: p.certificates,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleBody {
    pub role: String,
    /// The station, for station roles.
    pub station: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PasswordResetJson {
    pub username: String,
    /// Shown once; the person's sessions have ended.
    pub password: String,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TownFilter {
    /// Town (镇/街道) code.
    pub town: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PublicStationJson {
    pub code: String,
    pub name: String,
    pub address: String,
    pub town: String,
    pub town_name: String,
    /// Open for sales now (a suspended station is not).
    pub open: bool,
    pub games: Vec<String>,
}

impl From<PublicStation> for PublicStationJson {
    fn from(s: PublicStation) -> PublicStationJson {
        PublicStationJson {
            code: s.code,
            name: s.name,
            address: s.address,
            town: s.town,
            town_name: s.town_name,
            open: s.open,
            games: s.games,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainingBody {
    /// station (站点业务培训), staff (工作人员培训) or external (外部课程).
    pub kind: String,
    pub topic: String,
    /// YYYY-MM-DD.
    pub held_on: String,
    pub place: String,
    pub trainer: String,
    /// The exam's pass mark (0–100), where the session has an exam.
    pub pass_score: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct TrainingJson {
    pub id: i64,
    pub kind: String,
    pub topic: String,
    pub held_on: String,
    pub place: String,
    pub trainer: String,
    pub pass_score: Option<i64>,
    pub attendees: i64,
}

impl From<fucai_app::TrainingSessionRow> for TrainingJson {
    fn from(t: fucai_app::TrainingSessionRow) -> TrainingJson {
        TrainingJson {
            id: t.id,
            kind: t.kind.to_string(),
            topic: t.topic,
            held_on: t.held_on,
            place: t.place,
            trainer: t.trainer,
            pass_score: t.pass_score,
            attendees: t.attendees,
        }
    }
}

/// One attendee: a station person (`person_id`) or a staff member (`username`).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendeeBody {
    pub person_id: Option<i64>,
    pub username: Option<String>,
    /// The exam score (0–100), exactly where the session has an exam.
    pub score: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceBody {
    pub attendees: Vec<AttendeeBody>,
}

#[derive(Serialize, ToSchema)]
pub struct AttendanceJson {
    pub session_id: i64,
    pub kind: String,
    pub topic: String,
    pub held_on: String,
    pub score: Option<i64>,
    /// Null where the session had no exam.
    pub passed: Option<bool>,
    pub person: Option<String>,
    pub station: Option<String>,
    pub username: Option<String>,
}

impl From<fucai_app::network::AttendanceView> for AttendanceJson {
    fn from(a: fucai_app::network::AttendanceView) -> AttendanceJson {
        AttendanceJson {
            session_id: a.session_id,
            kind: a.kind.to_string(),
            topic: a.topic,
            held_on: a.held_on,
            score: a.score,
            passed: a.passed,
            person: a.person,
            station: a.station,
            username: a.username,
        }
    }
}

/// A period: two dates, both included.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PeriodQuery {
    /// First day (YYYY-MM-DD).
    pub from: String,
    /// Last day (YYYY-MM-DD).
    pub to: String,
}

#[derive(Serialize, ToSchema)]
pub struct TownTrainingJson {
    pub town: String,
    pub town_name: String,
    pub sessions: usize,
    pub person_times: usize,
    pub stations_open: usize,
    pub stations_trained: usize,
    pub coverage_permille: u32,
}

#[derive(Serialize, ToSchema)]
pub struct TrainingReportJson {
    pub from: String,
    pub to: String,
    pub sessions: usize,
    /// Attendances of station people (人次).
    pub person_times: usize,
    pub staff_person_times: usize,
    /// Stations open on at least one day of the period.
    pub stations_open: usize,
    /// Of those, stations with at least one person trained in the period.
    pub stations_trained: usize,
    pub coverage_permille: u32,
    pub coverage: String,
    pub by_town: Vec<TownTrainingJson>,
}

impl From<fucai_app::network::TrainingReport> for TrainingReportJson {
    fn from(r: fucai_app::network::TrainingReport) -> TrainingReportJson {
        TrainingReportJson {
            from: r.from,
            to: r.to,
            sessions: r.sessions,
            person_times: r.person_times,
            staff_person_times: r.staff_person_times,
            stations_open: r.stations_open,
            stations_trained: r.stations_trained,
            coverage_permille: r.coverage_permille,
            coverage: r.coverage,
            by_town: r
                .by_town
                .into_iter()
                .map(|t| TownTrainingJson {
                    town: t.town,
                    town_name: t.town_name,
                    sessions: t.sessions,
                    person_times: t.person_times,
                    stations_open: t.stations_open,
                    stations_trained: t.stations_trained,
                    coverage_permille: t.coverage_permille,
                })
                .collect(),
        }
    }
}
