//! The station network at work: the register's upkeep (station lifecycle, terminals, the
//! people who work at stations), training, visits and rectifications.

mod people;
mod stations;

pub use people::{StationPersonInput, StationPersonView};
pub use stations::{PublicStation, StationMove};
