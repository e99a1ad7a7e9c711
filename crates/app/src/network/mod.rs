//! The station network at work: the register's upkeep (station lifecycle, terminals, the
//! people who work at stations), station money, training, visits and rectifications, star
//! ratings, campaigns, activities, and the evidence files behind them.

mod activities;
pub mod campaigns;
pub mod checklist;
pub mod coverage;
mod evidence;
mod inspections;
mod money;
mod people;
mod ratings;
mod stations;
mod training;
pub(crate) use inspections::is_overdue;
pub(crate) use training::period;

pub use activities::ActivityInput;
pub use campaigns::{CampaignInput, CampaignView};
pub use evidence::{EvidenceProblem, EVIDENCE_UPLOADERS, MAX_EVIDENCE_BYTES};
pub use inspections::{
    FindingDetail, FindingInput, FindingMove, PlanProgress, RecordedReturnVisit, RecordedVisit,
    ReturnVisitInput, VisitInput, STATION_OWNERS,
};
pub use money::{
    OverdueStation, RemittanceInput, StationStatement, DEFAULT_REMIT_DAYS, FINANCE_STAFF,
    MONEY_READERS,
};
pub use people::{StationPersonInput, StationPersonView};
pub use ratings::RatingLine;
pub use stations::{PublicStation, StationMove};
pub use training::{
    AttendanceView, Attendee, TownTraining, TrainingInput, TrainingReport, NETWORK_EDITORS,
    NETWORK_READERS,
};

use fucai_store::StationRow;

use crate::error::{AppError, AppResult};
use crate::registers::parse_date;
use coverage::StationSpan;

/// The stations' lives as the coverage counts them.
pub(crate) fn station_spans(stations: &[StationRow]) -> AppResult<Vec<StationSpan>> {
    stations
        .iter()
        .map(|s| {
            let day = |d: &str| {
                parse_date(d).ok_or_else(|| {
                    AppError::internal(format!("station {}: stored date '{d}'", s.code))
                })
            };
            Ok(StationSpan {
                code: s.code.clone(),
                town: s.town_code.clone(),
                opened_on: day(&s.opened_on)?,
                closed_on: s.closed_on.as_deref().map(day).transpose()?,
            })
        })
        .collect()
}
