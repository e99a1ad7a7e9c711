//! The station network at work: the register's upkeep (station lifecycle, terminals, the
//! people who work at stations), training, visits and rectifications.

pub mod coverage;
mod people;
mod stations;
mod training;

pub use people::{StationPersonInput, StationPersonView};
pub use stations::{PublicStation, StationMove};
pub use training::{
    AttendanceView, Attendee, TownTraining, TrainingInput, TrainingReport, NETWORK_EDITORS,
    NETWORK_READERS,
};
