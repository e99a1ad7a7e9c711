//! A draw's official result: two matching entries by two people (four-eyes).

use crate::clock::now_ms;
use fucai_games::DrawResult;
use fucai_store::DrawStatus;
use fucai_store::{DrawResultRow, ResultEntryRow};
use serde::Serialize;

use crate::error::{AppError, AppResult};
use crate::principal::{Access, Principal};
use crate::App;

use super::{user_name, DRAW_OPERATORS};

/// A result is recorded only for a sealed draw that has none yet.
pub(super) fn awaiting_result(draw: &fucai_store::DrawRow) -> AppResult<()> {
    if draw.status == DrawStatus::Sealed {
        Ok(())
    } else {
        Err(AppError::Refused(format!(
            "draw {} is {}: a result is recorded after sealing and before any other result",
            draw.number, draw.status
        )))
    }
}

/// What a second result entry did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ResultEntry {
    /// The first entry is stored; a second person must enter the same numbers.
    AwaitingSecond,
    /// Both entries matched: the result is recorded.
    Recorded { result: String },
    /// The entries differ: nothing is recorded, and both must be made again.
    Mismatch,
}

impl App {
    /// One of the two official result entries (four-eyes).
    pub async fn enter_result(
        &self,
        who: &Principal,
        game: &str,
        number: &str,
        numbers: &str,
    ) -> AppResult<ResultEntry> {
        who.require(Access::Roles(DRAW_OPERATORS), None)?;
        let me = user_name(who)?;
        let (g, draw) = self.find_draw(game, number)?;
        let result = DrawResult::parse(g, numbers)
            .map_err(|e| AppError::invalid("numbers", e))?
            .to_string();
        self.writes
            .run(move |tx| {
                let now = now_ms();
                let draw = tx.reader().draw_by_id(draw.id)?;
                awaiting_result(&draw)?;
                let object = format!("{}/{}", g.code(), draw.number);
                let actor = format!("user:{me}");
                let entered = tx.reader().result_entry(draw.id)?;
                match entered {
                    None => {
                        tx.insert_result_entry(
                            draw.id,
                            &ResultEntryRow {
                                numbers: result.clone(),
                                entered_by: me,
                                entered_at: now,
                            },
                        )?;
                        tx.audit(now, &actor, "draw.result.first", &object, result.as_bytes())?;
                        Ok(ResultEntry::AwaitingSecond)
                    }
                    Some(first) if first.entered_by == me => Err(AppError::Conflict(
                        "you made the first entry; a second person must enter the result".into(),
                    )),
                    Some(first) if first.numbers != result => {
                        tx.delete_result_entry(draw.id)?;
                        tx.audit(
                            now,
                            &actor,
                            "draw.result.mismatch",
                            &object,
                            result.as_bytes(),
                        )?;
                        Ok(ResultEntry::Mismatch)
                    }
                    Some(first) => {
                        tx.delete_result_entry(draw.id)?;
                        tx.insert_draw_result(
                            draw.id,
                            &DrawResultRow {
                                numbers: result.clone(),
                                method: "official".into(),
                                first_by: first.entered_by,
                                second_by: me,
                                transcript: None,
                                recorded_at: now,
                            },
                        )?;
                        tx.advance_draw(draw.id, DrawStatus::Sealed, DrawStatus::Resulted)?;
                        tx.audit(
                            now,
                            &actor,
                            "draw.result",
                            &format!("{object} result:{result}"),
                            result.as_bytes(),
                        )?;
                        Ok(ResultEntry::Recorded { result })
                    }
                }
            })
            .await
    }
}
