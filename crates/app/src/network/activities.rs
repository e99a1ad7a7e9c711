//! Activities (党建 / 志愿服务 / 团建): date(s), kind, title, place, organiser, how many took
//! part and which of the center's staff, and what happened; photos go in as evidence.

use fucai_store::{ActivityKind, ActivityRow, NewActivity};

use super::training::{period, NETWORK_EDITORS, NETWORK_READERS};
use crate::clock::now_ms;
use crate::error::{AppError, AppResult};
use crate::principal::{Access, Principal};
use crate::tabular::{write_table, Format};
use crate::App;

#[derive(Clone, Debug, Default)]
pub struct ActivityInput {
    /// party (党建), volunteer (志愿服务), team_building (团建) or other.
    pub kind: String,
    pub title: String,
    pub starts_on: String,
    pub ends_on: String,
    pub place: String,
    pub organiser: String,
    pub participants: i64,
    pub description: String,
    /// Usernames of the staff who took part.
    pub staff: Vec<String>,
}

impl App {
    /// Records an activity.
    pub async fn record_activity(
        &self,
        who: &Principal,
        input: ActivityInput,
    ) -> AppResult<ActivityRow> {
        who.require(Access::Roles(NETWORK_EDITORS), None)?;
        let kind: ActivityKind = input
            .kind
            .parse()
            .map_err(|_| AppError::invalid("kind", "party, volunteer, team_building or other"))?;
        for (field, value) in [
            ("title", &input.title),
            ("place", &input.place),
            ("organiser", &input.organiser),
        ] {
            if value.trim().is_empty() || value.chars().count() > 200 {
                return Err(AppError::invalid(field, "required, at most 200 characters"));
            }
        }
        if input.description.chars().count() > 5000 {
            return Err(AppError::invalid("description", "at most 5000 characters"));
        }
        period(&input.starts_on, &input.ends_on).map_err(|_| {
            AppError::invalid(
                "ends_on",
                "two dates (YYYY-MM-DD), the end not before the start",
            )
        })?;
        if !(0..=100_000).contains(&input.participants) {
            return Err(AppError::invalid("participants", "from 0 to 100000"));
        }
        let users = self.store.read(|r| r.users())?;
        if let Some(unknown) = input
            .staff
            .iter()
            .find(|s| !users.iter().any(|u| &u.username == *s))
        {
            return Err(AppError::invalid(
                "staff",
                format!("unknown user '{unknown}'"),
            ));
        }
        if (input.participants as usize) < input.staff.len() {
            return Err(AppError::invalid(
                "participants",
                "fewer than the staff listed",
            ));
        }
        let actor = who.actor();
        self.writes
            .run(move |tx| {
                let now = now_ms();
                let id = tx.insert_activity(
                    &NewActivity {
                        kind,
                        title: input.title.trim(),
                        starts_on: &input.starts_on,
                        ends_on: &input.ends_on,
                        place: input.place.trim(),
                        organiser: input.organiser.trim(),
                        participants: input.participants,
                        description: input.description.trim(),
                        staff: &input.staff,
                        created_by: &actor,
                    },
                    now,
                )?;
                tx.audit(
                    now,
                    &actor,
                    "activity.record",
                    &format!("activity:{id}"),
                    format!("{kind} {} {}", input.starts_on, input.title).as_bytes(),
                )?;
                tx.reader()
                    .activity(id)?
                    .ok_or_else(|| AppError::internal("the activity just written"))
            })
            .await
    }

    /// Activities that took place (at least partly) in a period.
    pub fn activities(&self, who: &Principal, from: &str, to: &str) -> AppResult<Vec<ActivityRow>> {
        who.require(Access::Roles(NETWORK_READERS), None)?;
        period(from, to)?;
        Ok(self.store.read(|r| r.activities(from, to))?)
    }

    pub fn export_activities(
        &self,
        who: &Principal,
        from: &str,
        to: &str,
        format: Format,
    ) -> AppResult<Vec<u8>> {
        let rows: Vec<Vec<String>> = self
            .activities(who, from, to)?
            .into_iter()
            .map(|a| {
                vec![
                    a.starts_on,
                    a.ends_on,
                    a.kind.to_string(),
                    a.title,
                    a.place,
                    a.organiser,
                    a.participants.to_string(),
                    a.staff.join(" "),
                    a.description,
                ]
            })
            .collect();
        write_table(
            format,
            "活动",
            &[
                "开始",
                "结束",
                "类别",
                "名称",
                "地点",
                "组织者",
                "参加人数",
                "参加职工",
                "内容",
            ],
            &rows,
        )
    }
}
