//! Training (培训): sessions of the three kinds, who attended (station people and the
//! center's staff) with exam scores where a session has an exam, each staff member's record,
//! and per period and per town the sessions, person-times, stations trained and coverage
//! ([`super::coverage`] says how stations opening or closing mid-period count).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use fucai_store::{
    AttendanceRow, NewAttendance, NewTrainingSession, StoreError, TrainingKind, TrainingSessionRow,
};
use serde::Serialize;

use super::coverage::{coverage, Coverage};
use super::station_spans;
use crate::clock::now_ms;
use crate::error::{AppError, AppResult};
use crate::import::check_rows;
use crate::principal::{Access, Principal, Role, ALL_STAFF};
use crate::registers::{parse_date, ImportReport};
use crate::tabular::{cell, write_table, Format, Table};
use crate::App;

/// Record trainings, visits, campaigns and activities.
pub const NETWORK_EDITORS: &[Role] = &[Role::Admin, Role::Operations];
/// Read the network's reports.
pub const NETWORK_READERS: &[Role] = &[Role::Admin, Role::Operations, Role::Finance, Role::Auditor];
const MAX_TEXT_CHARS: usize = 200;

#[derive(Clone, Debug, Default)]
pub struct TrainingInput {
    /// station (站点业务培训), staff (工作人员培训) or external (外部课程).
    pub kind: String,
    pub topic: String,
    pub held_on: String,
    pub place: String,
    pub trainer: String,
    /// The exam's pass mark (0–100), where the session has an exam.
    pub pass_score: Option<i64>,
}

/// One attendee: a station person (by id) or a staff member (by username), with the exam
/// score where there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Attendee {
    Person {
        id: i64,
        score: Option<i64>,
    },
    Staff {
        username: String,
        score: Option<i64>,
    },
}

/// An attendance as reports show it: whether the exam was passed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AttendanceView {
    pub session_id: i64,
    pub kind: TrainingKind,
    pub topic: String,
    pub held_on: String,
    pub score: Option<i64>,
    /// `None` where the session had no exam.
    pub passed: Option<bool>,
    pub person: Option<String>,
    pub station: Option<String>,
    pub username: Option<String>,
}

impl From<AttendanceRow> for AttendanceView {
    fn from(a: AttendanceRow) -> AttendanceView {
        AttendanceView {
            passed: a.pass_score.map(|pass| a.score.is_some_and(|s| s >= pass)),
            session_id: a.session_id,
            kind: a.kind,
            topic: a.topic,
            held_on: a.held_on,
            score: a.score,
            person: a.person_name,
            station: a.station_code,
            username: a.username,
        }
    }
}

/// One town's line of the training report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TownTraining {
    pub town: String,
    pub town_name: String,
    /// Sessions attended by people of this town's stations.
    pub sessions: usize,
    pub person_times: usize,
    pub stations_open: usize,
    pub stations_trained: usize,
    pub coverage_permille: u32,
}

/// The training report of a period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TrainingReport {
    pub from: String,
    pub to: String,
    /// Sessions held, of every kind.
    pub sessions: usize,
    /// Attendances of station people (人次).
    pub person_times: usize,
    /// Attendances of the center's staff.
    pub staff_person_times: usize,
    pub stations_open: usize,
    pub stations_trained: usize,
    pub coverage_permille: u32,
    /// `93.0%`.
    pub coverage: String,
    pub by_town: Vec<TownTraining>,
}

fn text(field: &str, value: &str) -> AppResult<()> {
    if value.trim().is_empty() || value.chars().count() > MAX_TEXT_CHARS {
        return Err(AppError::invalid(
            field,
            format!("required, at most {MAX_TEXT_CHARS} characters"),
        ));
    }
    Ok(())
}

fn score(field: &str, value: Option<i64>) -> AppResult<()> {
    if value.is_some_and(|s| !(0..=100).contains(&s)) {
        return Err(AppError::invalid(field, "a score from 0 to 100"));
    }
    Ok(())
}

/// A period given as two dates, `from` not after `to`.
pub(crate) fn period(from: &str, to: &str) -> AppResult<(NaiveDate, NaiveDate)> {
    let day = |field: &str, v: &str| {
        parse_date(v)
            .ok_or_else(|| AppError::invalid(field, format!("'{v}' is not a date (YYYY-MM-DD)")))
    };
    let (f, t) = (day("from", from)?, day("to", to)?);
    if t < f {
        return Err(AppError::invalid("to", "before from"));
    }
    Ok((f, t))
}

/// Columns of an attendance sheet: a station person's 身份证号 or a staff member's username,
/// and the exam score where the session has one.
pub const ATTENDANCE_COLUMNS: [&str; 3] = ["id_number", "username", "score"];

impl App {
    /// Imports a session's attendance sheet (CSV or XLSX): every row names a station person
    /// (by 身份证号, at the station they worked at on the session's day) or a staff member;
    /// all rows, or none with every row's error.
    pub async fn import_attendance(
        &self,
        who: &Principal,
        session_id: i64,
        bytes: &[u8],
    ) -> AppResult<ImportReport> {
        who.require(Access::Roles(NETWORK_EDITORS), None)?;
        let session = self.store.read(|r| r.training_session(session_id))?;
        let table = Table::read(bytes)?;
        let cols = table.columns(&ATTENDANCE_COLUMNS[..2])?;
        let score_col = table.column("score").unwrap_or(usize::MAX);
        let (people, users) = self
            .store
            .read(|r| Ok((r.station_people(None)?, r.users()?)))?;
        let held = session.held_on.as_str();
        let checked = check_rows(&table, |row, errors| {
            let (id_number, username) = (cell(row, cols[0]), cell(row, cols[1]));
            let score = match cell(row, score_col) {
                "" => None,
                text => match text.parse::<i64>() {
                    Ok(s) if (0..=100).contains(&s) => Some(s),
                    _ => {
                        errors.push("score", format!("'{text}' is not a score from 0 to 100"));
                        None
                    }
                },
            };
            match (session.pass_score, score) {
                (Some(_), None) => errors.push("score", "the session has an exam"),
                (None, Some(_)) => errors.push("score", "the session has no exam"),
                _ => {}
            }
            let attendee = match (id_number, username) {
                (id, "") if !id.is_empty() => people
                    .iter()
                    .find(|p| {
                        p.id_number.eq_ignore_ascii_case(id)
                            && p.from_on.as_str() <= held
                            && p.to_on.as_deref().is_none_or(|to| held <= to)
                    })
                    .map(|p| Attendee::Person { id: p.id, score })
                    .or_else(|| {
                        errors.push(
                            "id_number",
                            "no station person with it on the session's day",
                        );
                        None
                    }),
                ("", name) if !name.is_empty() => users
                    .iter()
                    .find(|u| u.username == name)
                    .map(|u| Attendee::Staff {
                        username: u.username.clone(),
                        score,
                    })
                    .or_else(|| {
                        errors.push("username", format!("unknown user '{name}'"));
                        None
                    }),
                _ => {
                    errors.push("id_number", "either an id_number or a username");
                    None
                }
            };
            attendee
        });
        match checked {
            Err(errors) => Ok(ImportReport {
                imported: 0,
                errors,
            }),
            Ok(attendees) => {
                let imported = attendees.len();
                self.record_attendance(who, session_id, attendees).await?;
                Ok(ImportReport {
                    imported,
                    errors: Vec::new(),
                })
            }
        }
    }

    /// The training report as a spreadsheet: the district's line, then one per town.
    pub fn export_training_report(
        &self,
        who: &Principal,
        from: &str,
        to: &str,
        format: Format,
    ) -> AppResult<Vec<u8>> {
        let r = self.training_report(who, from, to)?;
        let mut rows = vec![vec![
            "全区".to_string(),
            String::new(),
            r.sessions.to_string(),
            r.person_times.to_string(),
            r.stations_open.to_string(),
            r.stations_trained.to_string(),
            r.coverage.clone(),
        ]];
        rows.extend(r.by_town.iter().map(|t| {
            vec![
                t.town.clone(),
                t.town_name.clone(),
                t.sessions.to_string(),
                t.person_times.to_string(),
                t.stations_open.to_string(),
                t.stations_trained.to_string(),
                super::coverage::percent(t.coverage_permille),
            ]
        }));
        write_table(
            format,
            "培训",
            &[
                "镇（街道）",
                "名称",
                "场次",
                "人次",
                "营业站点",
                "已培训站点",
                "覆盖率",
            ],
            &rows,
        )
    }

    /// Records a training session.
    pub async fn create_training(
        &self,
        who: &Principal,
        input: TrainingInput,
    ) -> AppResult<TrainingSessionRow> {
        who.require(Access::Roles(NETWORK_EDITORS), None)?;
        let kind: TrainingKind = input
            .kind
            .parse()
            .map_err(|_| AppError::invalid("kind", "station, staff or external"))?;
        text("topic", &input.topic)?;
        text("place", &input.place)?;
        text("trainer", &input.trainer)?;
        if parse_date(&input.held_on).is_none() {
            return Err(AppError::invalid(
                "held_on",
                format!("'{}' is not a date (YYYY-MM-DD)", input.held_on),
            ));
        }
        score("pass_score", input.pass_score)?;
        let actor = who.actor();
        self.writes
            .run(move |tx| {
                let now = now_ms();
                let id = tx.insert_training_session(
                    &NewTrainingSession {
                        kind,
                        topic: input.topic.trim(),
                        held_on: &input.held_on,
                        place: input.place.trim(),
                        trainer: input.trainer.trim(),
                        pass_score: input.pass_score,
                        created_by: &actor,
                    },
                    now,
                )?;
                tx.audit(
                    now,
                    &actor,
                    "training.create",
                    &format!("training:{id}"),
                    format!("{kind} {} {}", input.held_on, input.topic).as_bytes(),
                )?;
                Ok(tx.reader().training_session(id)?)
            })
            .await
    }

    /// Records who attended a session: all of them, or (one unknown or already recorded)
    /// none. A score is given exactly where the session has an exam.
    pub async fn record_attendance(
        &self,
        who: &Principal,
        session_id: i64,
        attendees: Vec<Attendee>,
    ) -> AppResult<TrainingSessionRow> {
        who.require(Access::Roles(NETWORK_EDITORS), None)?;
        if attendees.is_empty() || attendees.len() > 1000 {
            return Err(AppError::invalid("attendees", "from 1 to 1000 attendees"));
        }
        let session = self.store.read(|r| r.training_session(session_id))?;
        let rows: Vec<NewAttendance> = attendees
            .into_iter()
            .enumerate()
            .map(|(i, a)| {
                let (row, given) = match a {
                    Attendee::Person { id, score } => (NewAttendance::Person { id, score }, score),
                    Attendee::Staff { username, score } => {
                        (NewAttendance::Staff { username, score }, score)
                    }
                };
                let field = format!("attendees[{i}].score");
                score(&field, given)?;
                match (session.pass_score, given) {
                    (Some(_), None) => Err(AppError::invalid(field, "the session has an exam")),
                    (None, Some(_)) => Err(AppError::invalid(field, "the session has no exam")),
                    _ => Ok(row),
                }
            })
            .collect::<AppResult<_>>()?;
        let actor = who.actor();
        self.writes
            .run(move |tx| {
                for a in &rows {
                    tx.insert_attendance(session_id, a).map_err(|e| match e {
                        StoreError::NotFound { what } => {
                            AppError::invalid("attendees", format!("{what} not found"))
                        }
                        other => other.into(),
                    })?;
                }
                tx.audit(
                    now_ms(),
                    &actor,
                    "training.attendance",
                    &format!("training:{session_id}"),
                    format!("{rows:?}").as_bytes(),
                )?;
                Ok(tx.reader().training_session(session_id)?)
            })
            .await
    }

    /// Sessions held in a period.
    pub fn trainings(
        &self,
        who: &Principal,
        from: &str,
        to: &str,
    ) -> AppResult<Vec<TrainingSessionRow>> {
        who.require(Access::Roles(NETWORK_READERS), None)?;
        period(from, to)?;
        Ok(self.store.read(|r| r.training_sessions(from, to))?)
    }

    /// Who attended one session.
    pub fn training_attendance(
        &self,
        who: &Principal,
        session_id: i64,
    ) -> AppResult<Vec<AttendanceView>> {
        who.require(Access::Roles(NETWORK_READERS), None)?;
        Ok(self
            .store
            .read(|r| {
                r.training_session(session_id)?;
                r.session_attendance(session_id)
            })?
            .into_iter()
            .map(AttendanceView::from)
            .collect())
    }

    /// A staff member's training record (anyone may read their own).
    pub fn staff_training_record(
        &self,
        who: &Principal,
        username: &str,
    ) -> AppResult<Vec<AttendanceView>> {
        let own = matches!(who, Principal::User { username: me, .. } if me == username);
        if !own {
            who.require(Access::Roles(NETWORK_READERS), None)?;
        } else {
            who.require(Access::Roles(ALL_STAFF), None)?;
        }
        let user = self.store.read(|r| r.user_by_name(username))?;
        Ok(self
            .store
            .read(|r| r.staff_attendance(&user.username))?
            .into_iter()
            .map(AttendanceView::from)
            .collect())
    }

    /// The training report of a period: sessions, person-times, stations trained and
    /// coverage, for the district and per town.
    pub fn training_report(
        &self,
        who: &Principal,
        from: &str,
        to: &str,
    ) -> AppResult<TrainingReport> {
        who.require(Access::Roles(NETWORK_READERS), None)?;
        let (from_day, to_day) = period(from, to)?;
        let (sessions, attendance, stations, towns) = self.store.read(|r| {
            Ok((
                r.training_sessions(from, to)?,
                r.attendance_between(from, to)?,
                r.stations()?,
                r.towns()?,
            ))
        })?;
        let spans = station_spans(&stations)?;
        let trained: BTreeSet<String> = attendance
            .iter()
            .filter_map(|a| a.station_code.clone())
            .collect();
        let (all, by_town_coverage) = coverage(&spans, &trained, from_day, to_day);
        // Sessions and person-times per town, from the attendance of its stations' people.
        let mut town_sessions: HashMap<&str, BTreeSet<i64>> = HashMap::new();
        let mut town_times: HashMap<&str, usize> = HashMap::new();
        for a in &attendance {
            if let Some(town) = a.town_code.as_deref() {
                town_sessions.entry(town).or_default().insert(a.session_id);
                *town_times.entry(town).or_default() += 1;
            }
        }
        let names: BTreeMap<&str, &str> = towns
            .iter()
            .map(|t| (t.code.as_str(), t.name.as_str()))
            .collect();
        let by_town = by_town_coverage
            .iter()
            .map(|(town, c): (&String, &Coverage)| TownTraining {
                town: town.clone(),
                town_name: names.get(town.as_str()).unwrap_or(&"").to_string(),
                sessions: town_sessions.get(town.as_str()).map_or(0, BTreeSet::len),
                person_times: town_times.get(town.as_str()).copied().unwrap_or(0),
                stations_open: c.stations_open,
                stations_trained: c.stations_trained,
                coverage_permille: c.permille,
            })
            .collect();
        let person_times = attendance.iter().filter(|a| a.person_id.is_some()).count();
        Ok(TrainingReport {
            from: from.to_string(),
            to: to.to_string(),
            sessions: sessions.len(),
            person_times,
            staff_person_times: attendance.len() - person_times,
            stations_open: all.stations_open,
            stations_trained: all.stations_trained,
            coverage_permille: all.permille,
            coverage: all.percent(),
            by_town,
        })
    }
}
