//! Campaigns, activities and evidence files on the wire.

use fucai_app::network::{CampaignView, EvidenceProblem};
use fucai_app::network_rows::{ActivityRow, CampaignRow, EvidenceRow, StandingRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::beijing_time;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignBody {
    pub code: String,
    pub name: String,
    /// Game codes: ssq, fc3d, qlc, kl8.
    pub games: Vec<String>,
    pub starts_on: String,
    pub ends_on: String,
    /// volume, growth (over the same days a year earlier) or per_day (sales per day open).
    pub metric: String,
    /// A town code; the whole district when absent.
    pub town: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CampaignJson {
    pub code: String,
    pub name: String,
    pub games: Vec<String>,
    pub starts_on: String,
    pub ends_on: String,
    pub metric: String,
    pub town: Option<String>,
    /// active (ranking live) or closed (ranking kept).
    pub status: String,
}

impl From<CampaignRow> for CampaignJson {
    fn from(c: CampaignRow) -> CampaignJson {
        CampaignJson {
            code: c.code,
            name: c.name,
            games: c.games.split(',').map(str::to_string).collect(),
            starts_on: c.starts_on,
            ends_on: c.ends_on,
            metric: c.metric.to_string(),
            town: c.town_code,
            status: c.status.to_string(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct StandingJson {
    pub rank: i64,
    pub station: String,
    pub sales_fen: i64,
    /// The same days a year earlier.
    pub base_fen: i64,
    pub days_open: i64,
    /// The metric's value as shown (元, a percentage, or 元 a day).
    pub score: String,
}

impl From<StandingRow> for StandingJson {
    fn from(s: StandingRow) -> StandingJson {
        StandingJson {
            rank: s.rank,
            station: s.station_code,
            sales_fen: s.sales.fen(),
            base_fen: s.base.fen(),
            days_open: s.days_open,
            score: s.score,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RewardJson {
    pub station: String,
    pub reward: String,
    pub given_on: String,
    pub recorded_by: String,
}

#[derive(Serialize, ToSchema)]
pub struct CampaignViewJson {
    pub campaign: CampaignJson,
    pub standings: Vec<StandingJson>,
    pub rewards: Vec<RewardJson>,
}

impl From<CampaignView> for CampaignViewJson {
    fn from(v: CampaignView) -> CampaignViewJson {
        CampaignViewJson {
            campaign: v.campaign.into(),
            standings: v.standings.into_iter().map(StandingJson::from).collect(),
            rewards: v
                .rewards
                .into_iter()
                .map(|r| RewardJson {
                    station: r.station_code,
                    reward: r.reward,
                    given_on: r.given_on,
                    recorded_by: r.recorded_by,
                })
                .collect(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RewardBody {
    pub station: String,
    pub reward: String,
    /// YYYY-MM-DD.
    pub given_on: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivityBody {
    /// party (党建), volunteer (志愿服务), team_building (团建) or other.
    pub kind: String,
    pub title: String,
    pub starts_on: String,
    pub ends_on: String,
    pub place: String,
    pub organiser: String,
    pub participants: i64,
    #[serde(default)]
    pub description: String,
    /// Usernames of the staff who took part.
    #[serde(default)]
    pub staff: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ActivityJson {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub starts_on: String,
    pub ends_on: String,
    pub place: String,
    pub organiser: String,
    pub participants: i64,
    pub description: String,
    pub staff: Vec<String>,
}

impl From<ActivityRow> for ActivityJson {
    fn from(a: ActivityRow) -> ActivityJson {
        ActivityJson {
            id: a.id,
            kind: a.kind.to_string(),
            title: a.title,
            starts_on: a.starts_on,
            ends_on: a.ends_on,
            place: a.place,
            organiser: a.organiser,
            participants: a.participants,
            description: a.description,
            staff: a.staff,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PeriodExportQuery {
    pub from: String,
    pub to: String,
    /// csv (default) or xlsx.
    pub format: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EvidenceUploadQuery {
    /// What the file is evidence of: finding:ID, visit:ID or activity:ID.
    pub subject: String,
    /// The file's name, as the uploader had it.
    pub name: String,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SubjectQuery {
    /// finding:ID, visit:ID or activity:ID.
    pub subject: String,
}

#[derive(Serialize, ToSchema)]
pub struct EvidenceJson {
    pub sha256: String,
    pub size: i64,
    pub mime: String,
    pub name: String,
    pub uploaded_by: String,
    pub uploaded_at: String,
}

impl From<EvidenceRow> for EvidenceJson {
    fn from(e: EvidenceRow) -> EvidenceJson {
        EvidenceJson {
            sha256: e.sha256,
            size: e.size,
            mime: e.mime,
            name: e.name,
            uploaded_by: e.uploaded_by,
            uploaded_at: beijing_time(e.uploaded_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EvidenceProblemJson {
    pub sha256: String,
    pub name: String,
    pub problem: String,
}

impl From<EvidenceProblem> for EvidenceProblemJson {
    fn from(p: EvidenceProblem) -> EvidenceProblemJson {
        EvidenceProblemJson {
            sha256: p.sha256,
            name: p.name,
            problem: p.problem,
        }
    }
}
