//! The reference year's station training through the real use cases: two people at each
//! station (its owner and a clerk, imported with the people register), then three sessions of
//! 站点业务培训 with an exam, attended so that 93% of the stations open in the period had
//! someone trained — 600余 person-times in all.

use chrono::NaiveDate;
use fucai_store::{StationPersonRole, StationStatus};

use super::{demo_stations, id_number, user, DISTRICT_CODE, GIVEN, SURNAMES};
use crate::error::{AppError, AppResult};
use crate::import::ImportKind;
use crate::network::{Attendee, TrainingInput};
use crate::App;

const SESSIONS: [(&str, &str, &str); 3] = [
    (
        "2019-03-14",
        "即开票新游戏上市与销售规范培训",
        "区福彩中心培训室",
    ),
    ("2019-05-16", "责任彩票与兑奖业务培训", "区福彩中心培训室"),
    (
        "2019-07-11",
        "电脑票系统操作与安全管理培训",
        "武进区会议中心",
    ),
];

/// The station people register: an owner and a clerk at every station.
fn people_register() -> String {
    let mut csv = String::from("station,role,name,phone,id_number,from_on\n");
    for (n, s) in demo_stations().iter().enumerate() {
        for (k, role) in ["owner", "clerk"].into_iter().enumerate() {
            let seq = (n * 2 + k) as u16;
            let birth = NaiveDate::from_ymd_opt(
                1965 + i32::from(seq % 30),
                1 + u32::from(seq % 12),
                1 + u32::from(seq % 27),
            )
            .expect("a date");
            csv.push_str(&format!(
                "{},{role},{}{},1391{:07},{},2018-01-01\n",
                s.code,
                SURNAMES[(n + k * 5) % SURNAMES.len()],
                GIVEN[(n * 3 + k) % GIVEN.len()],
                seq,
                id_number(DISTRICT_CODE, birth, 100 + seq),
            ));
        }
    }
    csv
}

/// Imports the people and runs the three sessions.
pub async fn run_training_year(app: &App) -> AppResult<()> {
    let ops = user(app, "operations")?;
    let report = app
        .import_file(
            &ops,
            ImportKind::StationPeople,
            people_register().as_bytes(),
        )
        .await?;
    if let Some(e) = report.errors.first() {
        return Err(AppError::internal(format!(
            "demo station people refused: {e:?}"
        )));
    }
    let (from, to) = ("2019-01-01", "2019-08-31");
    let open = app.training_report(&ops, from, to)?.stations_open;
    // 93% of the open stations, rounded as the report rounds.
    let trained = (93 * open + 50) / 100;
    let stations: Vec<String> = demo_stations()
        .into_iter()
        .filter(|s| s.status == StationStatus::Active)
        .map(|s| s.code)
        .take(trained)
        .collect();
    let people = app.station_people(&ops, None)?;
    for (s, (held_on, topic, place)) in SESSIONS.into_iter().enumerate() {
        let session = app
            .create_training(
                &ops,
                TrainingInput {
                    kind: "station".into(),
                    topic: topic.into(),
                    held_on: held_on.into(),
                    place: place.into(),
                    trainer: "区福彩中心业务科".into(),
                    pass_score: Some(60),
                },
            )
            .await?;
        // Each station sends both its people to two sessions of three, most to all three.
        let attendees: Vec<Attendee> = stations
            .iter()
            .enumerate()
            .filter(|(i, _)| (i + s) % 15 != 0)
            .flat_map(|(i, code)| {
                people
                    .iter()
                    .filter(move |p| &p.station == code)
                    .map(move |p| Attendee::Person {
                        id: p.id,
                        score: Some(
                            70 + ((i * 7 + s * 3 + (p.role == StationPersonRole::Clerk) as usize)
                                % 29) as i64,
                        ),
                    })
            })
            .collect();
        app.record_attendance(&ops, session.id, attendees).await?;
    }
    Ok(())
}
