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
